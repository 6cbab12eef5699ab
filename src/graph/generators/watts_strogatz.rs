//! Watts–Strogatz small-world graph (Watts & Strogatz, "Collective dynamics
//! of 'small-world' networks", Nature 393, 440 (1998)): a ring lattice where
//! each person links to the k/2 nearest people on each side, after which every
//! lattice edge (u, u + j) is rewired with probability `rewire` to (u, w) for a
//! uniformly random w, avoiding self-loops and duplicate edges.
//!
//! Follows the semantics of networkx `watts_strogatz_graph`: edges are visited
//! by lattice distance j = 1..=k/2 (outer) and person u (inner), the endpoint
//! u is kept, and an edge is left in place when u already links to everybody.
//! Rewiring moves edges and never creates or destroys one, so the graph
//! always has exactly n·k/2 edges.

use rand::Rng;
use rand_xoshiro::Xoshiro256PlusPlus;

use super::Generated;

pub(super) fn generate(
    nodes: u32,
    neighbors: u32,
    rewire: f64,
    rng: &mut Xoshiro256PlusPlus,
) -> Generated {
    debug_assert!(neighbors.is_multiple_of(2) && neighbors >= 2 && neighbors < nodes);
    debug_assert!((0.0..=1.0).contains(&rewire));
    let n = nodes as usize;
    let half = neighbors / 2;
    // Adjacency lists, because rewiring needs "does u already link to w?"
    // and edge removal; degrees stay near k, so linear scans are cheap.
    let mut adj: Vec<Vec<u32>> = (0..nodes)
        .map(|u| {
            let mut nb = Vec::with_capacity(neighbors as usize + 2);
            for j in 1..=half {
                nb.push((u + j) % nodes);
                nb.push((u + nodes - j) % nodes);
            }
            nb
        })
        .collect();
    if rewire > 0.0 {
        for j in 1..=half {
            for u in 0..nodes {
                if rng.random::<f64>() >= rewire {
                    continue;
                }
                // Without this guard the rejection loop below would never end.
                if adj[u as usize].len() >= n - 1 {
                    continue;
                }
                let v = (u + j) % nodes;
                let w = loop {
                    let w = rng.random_range(0..nodes);
                    // v is still a neighbour, so this also rules out w == v.
                    if w != u && !adj[u as usize].contains(&w) {
                        break w;
                    }
                };
                remove(&mut adj[u as usize], v);
                remove(&mut adj[v as usize], u);
                adj[u as usize].push(w);
                adj[w as usize].push(u);
            }
        }
    }
    // Reading the lists in person order yields the edges already sorted.
    let mut edges = Vec::with_capacity(n * half as usize);
    for (u, nb) in adj.iter_mut().enumerate() {
        nb.sort_unstable();
        let u = u as u32;
        edges.extend(nb.iter().filter(|&&v| v > u).map(|&v| (u, v)));
    }
    Generated {
        nodes,
        edges,
        segments: None,
    }
}

fn remove(list: &mut Vec<u32>, x: u32) {
    let pos = list
        .iter()
        .position(|&y| y == x)
        .expect("lattice edge present until it is rewired");
    list.swap_remove(pos);
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{assert_canonical, average_clustering, degrees};
    use super::super::{generate, Generated};
    use crate::graph::GeneratorSpec;

    fn ws(nodes: u32, neighbors: u32, rewire: f64, seed: u64) -> Generated {
        generate(
            &GeneratorSpec::WattsStrogatz {
                nodes,
                neighbors,
                rewire,
            },
            seed,
        )
    }

    /// Clustering of the ring lattice with k neighbours (Barrat & Weigt 2000).
    fn lattice_clustering(k: u32) -> f64 {
        3.0 * (k as f64 - 2.0) / (4.0 * (k as f64 - 1.0))
    }

    #[test]
    fn invariants_and_determinism() {
        let a = ws(5_000, 6, 0.2, 7);
        assert_canonical(&a);
        assert!(a.segments.is_none());
        assert_eq!(a.edges, ws(5_000, 6, 0.2, 7).edges);
        assert_ne!(a.edges, ws(5_000, 6, 0.2, 8).edges);
    }

    #[test]
    fn no_rewiring_is_the_ring_lattice() {
        let (n, k) = (2_000u32, 10u32);
        let g = ws(n, k, 0.0, 1);
        assert_canonical(&g);
        let mut lattice: Vec<(u32, u32)> = (0..n)
            .flat_map(|u| (1..=k / 2).map(move |j| (u, (u + j) % n)))
            .map(|(u, v)| (u.min(v), u.max(v)))
            .collect();
        lattice.sort_unstable();
        assert_eq!(g.edges, lattice);
        assert_eq!(g.edges.len(), (n * k / 2) as usize);
        assert!(degrees(&g).iter().all(|&d| d == k));
        // Exact: every person sees the same neighbourhood.
        let c = average_clustering(&g);
        assert!((c - lattice_clustering(k)).abs() < 1e-12, "clustering {c}");
    }

    #[test]
    fn full_rewiring_keeps_edges_and_destroys_clustering() {
        let (n, k) = (2_000u32, 10u32);
        let g = ws(n, k, 1.0, 2);
        assert_canonical(&g);
        assert_eq!(g.edges.len(), (n * k / 2) as usize);
        // Each person keeps its own k/2 "forward" edge ends.
        assert!(degrees(&g).iter().all(|&d| d >= k / 2));
        // C(p) ≈ C(0)(1 - p)³ (Barrat & Weigt 2000), so at p = 1 only the
        // random-graph clustering ~ k/n = 0.005 is left, against C(0) = 2/3.
        // Demanding C < C(0)/10 leaves a tenfold margin over k/n.
        let c = average_clustering(&g);
        assert!(c < lattice_clustering(k) / 10.0, "clustering {c}");
    }

    #[test]
    fn tiny_and_complete_lattices() {
        // n = k + 1 is the complete graph: every rewiring must be skipped
        // rather than loop forever looking for a free endpoint.
        for (n, k) in [(3, 2), (5, 4), (4, 2), (7, 6)] {
            for p in [0.0, 0.5, 1.0] {
                let g = ws(n, k, p, 9);
                assert_canonical(&g);
                assert_eq!(g.edges.len(), (n * k / 2) as usize, "n={n} k={k} p={p}");
            }
        }
    }

    #[test]
    fn moderate_rewiring_keeps_edges_and_follows_barrat_weigt() {
        let (n, k, p) = (10_000u32, 10u32, 0.1);
        let g = ws(n, k, p, 3);
        assert_canonical(&g);
        assert_eq!(g.edges.len(), (n * k / 2) as usize);
        // Barrat & Weigt's C(p) ≈ C(0)(1 - p)³ = 0.486 neglects the O(k/n)
        // chance that rewired edges close triangles and counts a triangle as
        // surviving only if none of its three edges moved; the sampling error
        // of the average of 10 000 local coefficients, each in [0, 1] with
        // sd ≲ 0.15, is ≈ 0.0015. Seeds 1..5 measure 0.489..0.493, so the
        // approximation is off by ≈ 0.005; ±0.03 covers that with room while
        // rejecting C(p) for p = 0.05 or 0.15 (0.57, 0.41).
        let c = average_clustering(&g);
        let expected = lattice_clustering(k) * (1.0 - p).powi(3);
        assert!(
            (c - expected).abs() < 0.03,
            "clustering {c}, expected {expected}"
        );
    }
}
