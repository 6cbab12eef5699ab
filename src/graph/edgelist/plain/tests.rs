use std::io::Cursor;

use super::*;
use crate::graph::edgelist::parse_within;

/// The graph (or error) the line-by-line reader makes of `text`.
fn by_lines(text: &[u8], directed: bool, memory: &Memory) -> Result<String, String> {
    outcome(parse_within(text, Path::new("net.txt"), directed, memory))
}

/// The graph (or error) the fast path makes of `text`, read in blocks of
/// `block` bytes cut into chunks of `chunk`.
fn by_chunks(
    text: &[u8],
    directed: bool,
    memory: &Memory,
    block: usize,
    chunk: usize,
) -> Result<String, String> {
    let source = Source::Reader {
        reader: Cursor::new(text),
        block: Vec::new(),
        eof: false,
    };
    let path = Path::new("net.txt");
    outcome(read(source, path, directed, memory, Sizes { block, chunk }))
}

/// [`by_chunks`] with the text in a file read through a map of it (None
/// where files cannot be mapped).
fn by_map(
    file: &std::fs::File,
    directed: bool,
    memory: &Memory,
    block: usize,
    chunk: usize,
) -> Option<Result<String, String>> {
    let map = Map::of(file, file.metadata().unwrap().len())?;
    let source: Source<std::fs::File> = Source::Map {
        map: &map,
        at: 0,
        window: block,
    };
    let path = Path::new("net.txt");
    Some(outcome(read(
        source,
        path,
        directed,
        memory,
        Sizes { block, chunk },
    )))
}

/// `text` in a temporary file.
fn file_of(text: &[u8]) -> std::fs::File {
    use std::io::{Seek, Write};
    let mut file = tempfile::tempfile().unwrap();
    file.write_all(text).unwrap();
    file.rewind().unwrap();
    file
}

/// Everything a graph read holds that the simulation sees, or the error.
fn outcome(result: Result<(Graph, Cleaning), GraphError>) -> Result<String, String> {
    let (g, c) = result.map_err(|e| e.to_string())?;
    let rows: Vec<(u64, Vec<u64>)> = (0..g.nodes())
        .map(|u| {
            (
                g.label(u),
                g.followers(u).iter().map(|&v| g.label(v)).collect(),
            )
        })
        .collect();
    Ok(format!("{} {:?} {:?}", g.fingerprint(), c, rows))
}

/// Whether the fast path agrees with the line-by-line reader on `text` for
/// every cut of blocks and chunks (including ones inside every line),
/// read through a buffer or a map of the file.
fn agrees(text: &str, memory: &Memory) {
    let file = (!text.is_empty()).then(|| file_of(text.as_bytes()));
    for directed in [false, true] {
        let want = by_lines(text.as_bytes(), directed, memory);
        for chunk in (1..=text.len() + 1).chain([1 << 18]) {
            for block in [1, 2, 5, 13, 1 << 16] {
                let got = by_chunks(text.as_bytes(), directed, memory, block, chunk);
                assert_eq!(
                    got, want,
                    "{text:?} directed {directed} block {block} chunk {chunk}"
                );
                if let Some(got) = file
                    .as_ref()
                    .and_then(|f| by_map(f, directed, memory, block, chunk))
                {
                    assert_eq!(
                        got, want,
                        "{text:?} mapped, directed {directed} block {block} chunk {chunk}"
                    );
                }
            }
        }
    }
}

#[test]
fn chunks_read_exactly_what_lines_read() {
    let texts = [
        "1 2\n2 3\n3 1\n",
        "# comment\n% another\n\n100 7\n7 5000 0.3\n\n5000,100\n",
        "1 2\r\n2 3\r\n\r\n# crlf\r\n3 4\r\n",
        "  1\t2  \n3,,4,extra,columns\n5 6 0.5 1700000000\n",
        "1 2\n2 1\n3 3\n1 2\n2 3",
        "10 20\n20 10\n10 20\n",
        "1 2\n# caf\u{e9} comment\n2 3 na\u{ef}ve\n+3 4\n5\u{a0}6\n",
        "18446744073709551615 0\n0 1\n",
    ];
    for text in texts {
        agrees(text, &Memory::UNLIMITED);
    }
}

#[test]
fn errors_name_the_same_line() {
    let texts = [
        "1 2\n2 3\n3\n4 5\n",
        "1 2\n# x\n\n-4 2\n",
        "1 2\r\n2 3\r\n2 x\r\n",
        "1 2\n2 3\n18446744073709551616 1\n",
        "1 2\n3 4;5\n",
        "1 2\n2 3\n\u{ff}\n",
        "1 2\n2 3\n4 5\n6 7",
        "# only\n5 5\n",
    ];
    for text in texts {
        agrees(text, &Memory::UNLIMITED);
    }
    let mut invalid = b"1 2\n2 3\n".to_vec();
    invalid.extend_from_slice(b"4 \xff 5\n6 7\n");
    let want = by_lines(&invalid, false, &Memory::UNLIMITED).unwrap_err();
    assert!(
        want.starts_with("net.txt:3: line is not valid UTF-8"),
        "{want}"
    );
    for chunk in 1..=invalid.len() {
        let got = by_chunks(&invalid, false, &Memory::UNLIMITED, 3, chunk);
        assert_eq!(got, Err(want.clone()), "chunk {chunk}");
    }
}

#[test]
fn a_line_too_long_is_refused_where_it_is() {
    let mut text = b"1 2\n# ".to_vec();
    text.resize(text.len() + MAX_LINE_BYTES, b'x');
    text.extend_from_slice(b"\n3 4\n");
    let want = by_lines(&text, false, &Memory::UNLIMITED).unwrap_err();
    assert!(
        want.starts_with("net.txt:2: line 2 is longer than"),
        "{want}"
    );
    for block in [4096, MAX_LINE_BYTES, 1 << 24] {
        let got = by_chunks(&text, false, &Memory::UNLIMITED, block, 1 << 18);
        assert_eq!(got, Err(want.clone()), "block {block}");
    }
}

#[test]
fn the_memory_limit_stops_at_the_same_line() {
    let text: String = (0..40).map(|i| format!("{i} {}\n# c\n", i + 1)).collect();
    let per_line = footprint::edge_list(1, 0, false).peak;
    for lines in [0, 1, 7, 39] {
        let memory = Memory::given(per_line * lines + per_line / 2);
        let want = by_lines(text.as_bytes(), false, &memory);
        assert!(want.is_err(), "{lines}: {want:?}");
        for chunk in [1, 5, 17, 64, 1 << 18] {
            let got = by_chunks(text.as_bytes(), false, &memory, 32, chunk);
            assert_eq!(got, want, "lines {lines} chunk {chunk}");
        }
    }
}

#[test]
fn chunks_end_at_line_ends_and_cover_the_text() {
    let text = b"1 2\n33 44\n\n555 666\n7 8";
    for size in 1..=text.len() + 1 {
        let bounds = chunk_bounds(text, size);
        let mut at = 0;
        for &(a, b) in &bounds {
            assert_eq!(a, at);
            assert!(b > a);
            assert!(
                b == text.len() || text[b - 1] == b'\n',
                "size {size}: {bounds:?}"
            );
            at = b;
        }
        assert_eq!(at, text.len());
    }
}

#[test]
fn only_a_plain_first_line_takes_the_fast_path() {
    assert!(starts_plain(b"# c\n\n1 2\nsource,target\n", false));
    assert!(starts_plain(b"1 2", true));
    assert!(!starts_plain(b"1 2", false));
    assert!(!starts_plain(b"source,target\n1,2\n", true));
    assert!(!starts_plain(b"a;b\n", true));
    assert!(!starts_plain(b"+1 2\n", true));
    assert!(!starts_plain(b"# only\n", true));
    assert!(!starts_plain(b"\xef\xbb\xbf1 2\n", true));
}

#[test]
fn ids_past_32_bits_widen_the_pairs_where_they_appear() {
    let texts = [
        "1 2\n3 4\n4294967296 1\n5 6\n",
        "4294967295 0\n0 1\n",
        "1 2\n2 3\n3 4\n4 5\n18446744073709551615 2\n# c\n6 7\n",
        "4294967296 4294967297\n",
    ];
    for text in texts {
        agrees(text, &Memory::UNLIMITED);
    }
}

#[test]
fn ids_numbering_people_from_0_keep_no_ids() {
    let read = |text: &str| by_chunks_graph(text.as_bytes(), false).expect("a plain edge list");
    let own = read("0 1\n1 2\n# c\n3 0\n");
    assert_eq!(own.ids(), None);
    assert_eq!(own.heap_bytes(), 4 * 5 + 4 * 6);
    let spread = read("1 2\n2 3\n4 1\n");
    assert_eq!(spread.ids(), Some(&[1u64, 2, 3, 4][..]));
    assert_eq!(spread.heap_bytes(), 4 * 5 + 4 * 6 + 8 * 4);
    // The fingerprint names people by id either way.
    let by_id = read("10 11\n11 12\n13 10\n");
    assert_ne!(own.fingerprint(), by_id.fingerprint());
    assert_eq!(
        own.fingerprint(),
        Graph::from_undirected(4, &[(0, 1), (1, 2), (0, 3)]).fingerprint()
    );
}

/// The graph the fast path reads from `text`.
fn by_chunks_graph(text: &[u8], directed: bool) -> Result<Graph, GraphError> {
    let source = Source::Reader {
        reader: Cursor::new(text),
        block: Vec::new(),
        eof: false,
    };
    let path = Path::new("net.txt");
    read(source, path, directed, &Memory::UNLIMITED, Sizes::DEFAULT).map(|(g, _)| g)
}
