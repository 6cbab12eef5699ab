//! Random-graph generators for synthetic social networks.
//!
//! Every generator is a pure function of its [`GeneratorSpec`] and a seed: the
//! seed initialises one Xoshiro256++ stream that the generator consumes in a
//! fixed order, so a scenario replays bit-for-bit. All generators run in
//! O(n + m) expected time, including the radix sort that puts the edges in
//! canonical order, because scenarios go to millions of people and ~5M edges.
//!
//! Each generator lives in its own file and cites its paper there:
//! Erdős–Rényi, Barabási–Albert, Watts–Strogatz, stochastic block model,
//! Chung–Lu power law and Holme–Kim.

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::graph::GeneratorSpec;

mod barabasi_albert;
mod erdos_renyi;
mod holme_kim;
mod powerlaw;
mod stochastic_block;
mod watts_strogatz;

/// An undirected simple graph as produced by a generator.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Number of people; ids are 0..nodes.
    pub nodes: u32,
    /// Undirected edges (u, v) with u < v, no self-loops, no duplicates, sorted ascending.
    pub edges: Vec<(u32, u32)>,
    /// Segment (community index) per person, for generators that plant communities (stochastic-block); None otherwise.
    pub segments: Option<Vec<u32>>,
}

/// Generate the graph; a pure function of (spec, seed). Parameters are already validated by the caller
/// (ranges listed below), so this never fails.
///
/// Ranges the caller guarantees: `nodes >= 2`; Erdős–Rényi `mean_degree` in
/// `[0, nodes - 1]`; Barabási–Albert / Holme–Kim `1 <= edges_per_node < nodes`;
/// Watts–Strogatz `neighbors` even with `2 <= neighbors < nodes` and `rewire`
/// in `[0, 1]`; stochastic-block `communities >= 1`, `community_size >= 2`,
/// `0 <= mean_degree_in <= community_size - 1`,
/// `0 <= mean_degree_out <= (communities - 1) * community_size`; power-law
/// `exponent > 2` and `0 < mean_degree < nodes - 1`; `triangle_prob` in `[0, 1]`.
pub fn generate(spec: &GeneratorSpec, seed: u64) -> Generated {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    match *spec {
        GeneratorSpec::ErdosRenyi { nodes, mean_degree } => {
            erdos_renyi::generate(nodes, mean_degree, &mut rng)
        }
        GeneratorSpec::BarabasiAlbert {
            nodes,
            edges_per_node,
        } => barabasi_albert::generate(nodes, edges_per_node, &mut rng),
        GeneratorSpec::WattsStrogatz {
            nodes,
            neighbors,
            rewire,
        } => watts_strogatz::generate(nodes, neighbors, rewire, &mut rng),
        GeneratorSpec::StochasticBlock {
            communities,
            community_size,
            mean_degree_in,
            mean_degree_out,
        } => stochastic_block::generate(
            communities,
            community_size,
            mean_degree_in,
            mean_degree_out,
            &mut rng,
        ),
        GeneratorSpec::Powerlaw {
            nodes,
            exponent,
            mean_degree,
        } => powerlaw::generate(nodes, exponent, mean_degree, &mut rng),
        GeneratorSpec::HolmeKim {
            nodes,
            edges_per_node,
            triangle_prob,
        } => holme_kim::generate(nodes, edges_per_node, triangle_prob, &mut rng),
    }
}

/// Brings an edge list into the form [`Generated::edges`] promises: each edge
/// oriented `u < v`, self-loops dropped, sorted ascending, duplicates removed.
///
/// Sorting is a two-pass LSD radix sort (stable counting sort by `v`, then by
/// `u`), O(n + m), because a comparison sort of ~5M edges would dominate the
/// generation time of the linear-time generators.
fn canonical_edges(nodes: u32, mut edges: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    for e in edges.iter_mut() {
        if e.0 > e.1 {
            *e = (e.1, e.0);
        }
    }
    edges.retain(|&(u, v)| u != v);
    if edges.windows(2).all(|w| w[0] < w[1]) {
        return edges;
    }
    // Generators that emit edges row by row already have them ordered by v,
    // and then the first pass would be a costly no-op. Ties in v need no
    // order: after the stable pass by u, equal (u, v) are adjacent anyway.
    let by_v_sorted = edges.windows(2).all(|w| w[0].1 <= w[1].1);
    let mut sorted = if by_v_sorted {
        counting_sort(nodes, &edges, |e| e.0)
    } else {
        counting_sort(nodes, &counting_sort(nodes, &edges, |e| e.1), |e| e.0)
    };
    sorted.dedup();
    sorted
}

/// Stable counting sort of `edges` by `key`, which must be `< nodes`.
fn counting_sort(
    nodes: u32,
    edges: &[(u32, u32)],
    key: impl Fn(&(u32, u32)) -> u32,
) -> Vec<(u32, u32)> {
    let mut start = vec![0usize; nodes as usize + 1];
    for e in edges {
        start[key(e) as usize + 1] += 1;
    }
    for i in 1..start.len() {
        start[i] += start[i - 1];
    }
    let mut out = vec![(0, 0); edges.len()];
    for e in edges {
        let slot = &mut start[key(e) as usize];
        out[*slot] = *e;
        *slot += 1;
    }
    out
}

/// Number of independent Bernoulli(p) failures before the next success,
/// i.e. how many candidate pairs to skip; `ln_q` is `ln(1 - p)`.
///
/// Inverse-transform sampling: P(skip >= k) = P(1 - r <= q^k) = q^k. Huge
/// skips (tiny p) saturate at `u64::MAX`, which callers treat as "past the end".
fn geometric_skip<R: Rng>(rng: &mut R, ln_q: f64) -> u64 {
    // 1 - r lies in (0, 1], so the logarithm is finite and <= 0.
    let r: f64 = rng.random();
    ((1.0 - r).ln() / ln_q).floor() as u64
}

/// Visits each cell of a ragged table independently with probability `p`,
/// in row-major order, calling `hit(row, column)` for each success.
///
/// Row `v` (for `v in 0..rows`) has `row_len(v)` cells. This is the
/// Batagelj & Brandes (2005) skipping scheme generalised to rows of arbitrary
/// length, so the cost is O(rows + hits) rather than O(cells): G(n, p) uses
/// row `v` = pairs (w, v) with w < v, the stochastic block model uses the
/// within-community and cross-community parts of that same triangle.
fn bernoulli_cells<R: Rng>(
    rng: &mut R,
    p: f64,
    rows: u32,
    row_len: impl Fn(u32) -> u64,
    mut hit: impl FnMut(u32, u64),
) {
    if p.is_nan() || p <= 0.0 {
        return;
    }
    if p >= 1.0 {
        for v in 0..rows {
            for c in 0..row_len(v) {
                hit(v, c);
            }
        }
        return;
    }
    let ln_q = (-p).ln_1p();
    let mut v = 0u32;
    // Column of the next candidate cell within row `v`.
    let mut w = 0u64;
    loop {
        w = w.saturating_add(geometric_skip(rng, ln_q));
        while v < rows && w >= row_len(v) {
            w -= row_len(v);
            v += 1;
        }
        if v >= rows {
            return;
        }
        hit(v, w);
        w += 1;
    }
}

/// Helpers shared by the generator tests: structural invariants, degree
/// statistics, clustering and power-law fitting.
#[cfg(test)]
mod testutil {
    use super::Generated;

    /// Asserts the invariants [`Generated::edges`] promises.
    pub(super) fn assert_canonical(g: &Generated) {
        for &(u, v) in &g.edges {
            assert!(u < v, "edge ({u}, {v}) not oriented u < v");
            assert!(v < g.nodes, "edge ({u}, {v}) has id >= {}", g.nodes);
        }
        for w in g.edges.windows(2) {
            assert!(w[0] < w[1], "edges not strictly ascending at {w:?}");
        }
    }

    pub(super) fn degrees(g: &Generated) -> Vec<u32> {
        let mut deg = vec![0u32; g.nodes as usize];
        for &(u, v) in &g.edges {
            deg[u as usize] += 1;
            deg[v as usize] += 1;
        }
        deg
    }

    /// Sample mean and (population) variance.
    pub(super) fn mean_var(xs: &[u32]) -> (f64, f64) {
        let n = xs.len() as f64;
        let mean = xs.iter().map(|&x| x as f64).sum::<f64>() / n;
        let var = xs.iter().map(|&x| (x as f64 - mean).powi(2)).sum::<f64>() / n;
        (mean, var)
    }

    /// Sorted adjacency lists in CSR form: neighbours of `u` are
    /// `targets[offsets[u]..offsets[u + 1]]`.
    pub(super) fn csr(g: &Generated) -> (Vec<usize>, Vec<u32>) {
        let deg = degrees(g);
        let mut offsets = vec![0usize; g.nodes as usize + 1];
        for (u, &d) in deg.iter().enumerate() {
            offsets[u + 1] = offsets[u] + d as usize;
        }
        let mut fill = offsets.clone();
        let mut targets = vec![0u32; offsets[g.nodes as usize]];
        for &(u, v) in &g.edges {
            targets[fill[u as usize]] = v;
            fill[u as usize] += 1;
            targets[fill[v as usize]] = u;
            fill[v as usize] += 1;
        }
        for u in 0..g.nodes as usize {
            targets[offsets[u]..offsets[u + 1]].sort_unstable();
        }
        (offsets, targets)
    }

    /// Average local clustering coefficient (Watts & Strogatz 1998), with
    /// nodes of degree < 2 counted as 0 (the networkx convention).
    pub(super) fn average_clustering(g: &Generated) -> f64 {
        let (off, adj) = csr(g);
        let n = g.nodes as usize;
        let mut mark = vec![u32::MAX; n];
        let mut total = 0.0;
        for u in 0..n {
            let nb = &adj[off[u]..off[u + 1]];
            let k = nb.len();
            if k < 2 {
                continue;
            }
            for &v in nb {
                mark[v as usize] = u as u32;
            }
            let mut links = 0u64;
            for &v in nb {
                for &w in &adj[off[v as usize]..off[v as usize + 1]] {
                    if mark[w as usize] == u as u32 {
                        links += 1;
                    }
                }
            }
            // Each link between two neighbours was seen from both ends.
            total += links as f64 / (k * (k - 1)) as f64;
        }
        total / n as f64
    }

    /// Discrete power-law maximum-likelihood exponent for the degrees
    /// `>= k_min` (Clauset, Shalizi & Newman 2009, eq. 3.5): maximises
    /// ℓ(α) = -α Σ ln k_i - n ln ζ(α, k_min). Returns (α̂, tail size); the
    /// asymptotic standard error is (α̂ - 1) / sqrt(tail size).
    pub(super) fn powerlaw_mle(degrees: &[u32], k_min: u32) -> (f64, usize) {
        let tail: Vec<f64> = degrees
            .iter()
            .filter(|&&k| k >= k_min)
            .map(|&k| (k as f64).ln())
            .collect();
        assert!(!tail.is_empty(), "no degrees >= {k_min}");
        let mean_ln = tail.iter().sum::<f64>() / tail.len() as f64;
        (
            crate::graph::analysis::mle_exponent(mean_ln, k_min),
            tail.len(),
        )
    }

    #[test]
    fn canonical_edges_orients_sorts_and_dedups() {
        let edges = vec![(3, 1), (0, 2), (2, 2), (1, 3), (0, 1), (2, 0)];
        assert_eq!(
            super::canonical_edges(4, edges),
            vec![(0, 1), (0, 2), (1, 3)]
        );
    }

    #[test]
    fn bernoulli_cells_full_and_empty() {
        use rand::SeedableRng;
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(1);
        let mut hits = Vec::new();
        super::bernoulli_cells(&mut rng, 1.0, 4, |v| v as u64, |v, c| hits.push((c, v)));
        assert_eq!(hits, vec![(0, 1), (0, 2), (1, 2), (0, 3), (1, 3), (2, 3)]);
        hits.clear();
        super::bernoulli_cells(&mut rng, 0.0, 4, |v| v as u64, |v, c| hits.push((c, v)));
        assert!(hits.is_empty());
    }
}
