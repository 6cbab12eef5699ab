use super::*;
use crate::graph::GraphError;

/// Pairs of ids drawn from `ids` (with repeats, both orientations folded
/// as the parser folds them when undirected), cut into pieces of
/// irregular sizes, as [`Parsed`].
fn parsed(seed: u64, lines: usize, ids: &[u64], directed: bool) -> Parsed<u64> {
    let mut x = seed;
    let mut next = || {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        x >> 33
    };
    let mut read = Parsed::default();
    let mut piece = Vec::new();
    while read.pairs + piece.len() < lines {
        let u = ids[next() as usize % ids.len()];
        let v = ids[next() as usize % ids.len()];
        if u == v {
            continue;
        }
        read.low = read.low.min(u.min(v));
        read.high = read.high.max(u.max(v));
        piece.push(if directed || u < v { (u, v) } else { (v, u) });
        if next() % 7 == 0 {
            read.pairs += piece.len();
            read.pieces.push(std::mem::take(&mut piece));
        }
    }
    read.pairs += piece.len();
    read.pieces.push(piece);
    read
}

fn narrow(read: &Parsed<u64>) -> Parsed<u32> {
    Parsed {
        pieces: read
            .pieces
            .iter()
            .map(|p| p.iter().map(|&(u, v)| (u as u32, v as u32)).collect())
            .collect(),
        pairs: read.pairs,
        low: read.low,
        high: read.high,
    }
}

/// Everything the simulation sees of a graph (rows by id, fingerprint,
/// cleaning, memory held), or the error.
fn outcome(result: Result<(Graph, Cleaning), GraphError>) -> Result<String, String> {
    let (g, c) = result.map_err(|e| e.to_string())?;
    let rows: Vec<(u64, Vec<u64>)> = (0..g.nodes())
        .map(|u| {
            let followers = g.followers(u).iter().map(|&v| g.label(v)).collect();
            (g.label(u), followers)
        })
        .collect();
    Ok(format!(
        "{} {:?} {} {:?} {:?}",
        g.fingerprint(),
        c,
        g.heap_bytes(),
        g.ids(),
        rows
    ))
}

/// The graph counting builds and the one sorting builds, on `threads`.
fn both<T: Id>(
    read: Parsed<T>,
    directed: bool,
    memory: &Memory,
    threads: usize,
) -> (Result<String, String>, Result<String, String>) {
    let path = Path::new("net.txt");
    let cleaning = Cleaning {
        lines: read.pairs as u64 + 3,
        self_loops: 3,
        ..Cleaning::default()
    };
    let too_large = |line: Option<u64>, lines: u64, needed: u64| {
        super::super::too_large_error(path, memory, line, lines, needed)
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let mut pairs = Vec::new();
    for piece in &read.pieces {
        pairs.extend_from_slice(piece);
    }
    let counted = pool.install(|| build(read, path, directed, memory, cleaning, &too_large));
    let sorted = pool.install(|| build_plain(pairs, path, directed, memory, cleaning, &too_large));
    (outcome(counted), outcome(sorted))
}

#[test]
fn counting_builds_what_sorting_builds_on_any_thread_count() {
    // Ids filling 0..n (their own indices), filling a range from 1000,
    // with gaps, and a few spread wide (sorted, not counted).
    let dense: Vec<u64> = (0..300).collect();
    let offset: Vec<u64> = (1000..1300).collect();
    let gaps: Vec<u64> = (0..300).map(|i| 5 + 3 * i / 2).collect();
    let wide: Vec<u64> = (0..300).map(|i| i * 1_000_003).collect();
    for (name, ids) in [
        ("dense", &dense),
        ("offset", &offset),
        ("gaps", &gaps),
        ("wide", &wide),
    ] {
        for directed in [false, true] {
            // Few lines over many ids leave ids out; many repeat edges.
            for (seed, lines) in [(1, 250), (2, 2_000), (3, 30_000)] {
                let read = parsed(seed, lines, ids, directed);
                for threads in [1, 2, 3] {
                    let (counted, sorted) =
                        both(narrow(&read), directed, &Memory::UNLIMITED, threads);
                    assert!(sorted.is_ok(), "{name}: {sorted:?}");
                    assert_eq!(
                        counted, sorted,
                        "{name} directed {directed} lines {lines} threads {threads}"
                    );
                }
            }
        }
    }
}

#[test]
fn ids_past_32_bits_in_a_narrow_range_are_counted_alike() {
    let ids: Vec<u64> = (0..500).map(|i| (1 << 40) + 2 * i).collect();
    for directed in [false, true] {
        let read = parsed(7, 3_000, &ids, directed);
        let wide = Parsed {
            pieces: read.pieces.clone(),
            ..read
        };
        let (counted, sorted) = both(wide, directed, &Memory::UNLIMITED, 2);
        assert!(sorted.is_ok(), "{sorted:?}");
        assert_eq!(counted, sorted, "directed {directed}");
    }
}

#[test]
fn a_memory_limit_gives_what_sorting_gives() {
    // From far too little to plenty: refused alike, or built alike
    // (counting, or sorting when counting would not fit).
    let near: Vec<u64> = (10..2_010).collect();
    let spread: Vec<u64> = (0..2_000).map(|i| 7 + i * 1_000_003).collect();
    for (ids, directed) in [
        (&near, false),
        (&near, true),
        (&spread, false),
        (&spread, true),
    ] {
        let read = parsed(11, 4_000, ids, directed);
        let need = footprint::edge_list(4_000, 2_000, directed).peak;
        let (mut refused, mut built) = (0, 0);
        for step in 0..=40 {
            let memory = Memory::given(need * step / 20);
            let (counted, sorted) = both(narrow(&read), directed, &memory, 2);
            assert_eq!(
                counted, sorted,
                "directed {directed} memory {memory} ids {}",
                ids[1]
            );
            if sorted.is_ok() {
                built += 1;
            } else {
                refused += 1;
            }
        }
        assert!(refused > 0 && built > 0, "{refused} refused, {built} built");
    }
}

#[test]
fn no_pairs_is_an_empty_graph_error() {
    let (counted, sorted) = both(Parsed::<u32>::default(), false, &Memory::UNLIMITED, 2);
    assert_eq!(counted, sorted);
    assert!(counted.unwrap_err().contains("has no edges"));
}
