//! `pagerank`: seed the people whose audience is itself well followed. A
//! follower passes standing to everyone they follow, so a person followed by
//! other hubs outranks one with many followers who follow half the network;
//! for a campaign planner it is a reach measure that looks past raw follower
//! counts, needing no spread simulation.
//!
//! PageRank of Brin & Page, "The Anatomy of a Large-Scale Hypertextual Web
//! Search Engine", WWW 1998, with rank flowing along "v follows u" the way it
//! flows along "page v links to page u". People who follow no one (dangling)
//! spread their rank evenly over everyone, so the ranks stay a distribution.

use rayon::prelude::*;

use std::sync::Arc;

use super::kind::{within, Kind, Words};
use super::{best_within, Context, Limit, SeedingStrategy, Seeds, StrategyError};
use crate::graph::Graph;

/// The damping factor when the table does not give one: the chance that
/// rank keeps flowing along follows rather than jumping to anyone.
pub const DEFAULT_DAMPING: f64 = 0.85;

/// `pagerank`: the people of highest PageRank.
pub const KIND: Kind = Kind {
    name: "pagerank",
    about: "people followed by people who are themselves well followed",
    keys: &["count", "budget", "damping"],
    build: |keys| {
        let limit = keys.limit()?;
        let damping = keys.number(
            "damping",
            DEFAULT_DAMPING,
            |d| d > 0.0 && d < 1.0,
            "allowed above 0 and below 1 (usually 0.85)",
        )?;
        Ok(Arc::new(PageRank { limit, damping }))
    },
};

/// The people of highest PageRank (per unit of cost, within a budget).
pub struct PageRank {
    pub limit: Limit,
    pub damping: f64,
}

impl SeedingStrategy for PageRank {
    fn working_bytes(&self, nodes: u64, _arcs: u64, _steps: u32, _workers: u64) -> u64 {
        40 * nodes
    }

    fn limit(&self) -> Option<Limit> {
        Some(self.limit)
    }

    fn describe(&self, words: &dyn Words) -> String {
        let what = format!(
            "the people with the highest PageRank (damping {})",
            words.plain(self.damping)
        );
        within(self.limit, words, &what)
    }

    fn choose(&self, ctx: &Context) -> Result<Seeds, StrategyError> {
        ctx.check_limit(self.limit)?;
        let rank = pagerank(ctx.graph, self.damping);
        Ok(Seeds::Fixed(best_within(
            ctx.graph,
            &rank,
            ctx.purse(self.limit),
        )))
    }
}

/// Power iteration stops once the ranks move less than this in L1.
const TOLERANCE: f64 = 1e-13;
/// ... or after this many iterations, whichever comes first.
const MAX_ITERATIONS: u32 = 10_000;
/// Nodes per parallel work unit. Fixed, so that partial sums are always
/// combined the same way whatever the thread count: results are reproducible.
const CHUNK: usize = 4096;

/// PageRank of every person with damping factor `damping` (in (0, 1)),
/// indexed by node; the ranks sum to 1.
///
/// A follower `v` of `u` (arc `u -> v`) passes `PR(v) / f(v)` to `u`, where
/// `f(v)` is the number of people `v` follows; a `v` following no one passes
/// `PR(v) / n` to everybody. Power iteration from the uniform vector.
pub fn pagerank(graph: &Graph, damping: f64) -> Vec<f64> {
    let n = graph.nodes() as usize;
    if n == 0 {
        return Vec::new();
    }
    let mut follows = vec![0u32; n];
    for &v in graph.targets() {
        follows[v as usize] += 1;
    }
    let inv_n = 1.0 / n as f64;
    let base = (1.0 - damping) * inv_n;
    let mut rank = vec![inv_n; n];
    let mut next = vec![0.0; n];
    // PR(v) / f(v), so that each arc costs one load and one add.
    let mut share = vec![0.0; n];
    let mut change = vec![0.0; n.div_ceil(CHUNK)];
    for _ in 0..MAX_ITERATIONS {
        let dangling: f64 = rank
            .par_chunks(CHUNK)
            .zip(follows.par_chunks(CHUNK))
            .zip(share.par_chunks_mut(CHUNK))
            .map(|((r, f), s)| {
                let mut dangling = 0.0;
                for ((&r, &f), s) in r.iter().zip(f).zip(s) {
                    if f == 0 {
                        dangling += r;
                        *s = 0.0;
                    } else {
                        *s = r / f as f64;
                    }
                }
                dangling
            })
            .collect::<Vec<f64>>()
            .iter()
            .sum();
        let uniform = base + damping * dangling * inv_n;
        next.par_chunks_mut(CHUNK)
            .zip(rank.par_chunks(CHUNK))
            .zip(change.par_iter_mut())
            .enumerate()
            .for_each(|(c, ((next, rank), change))| {
                let mut l1 = 0.0;
                for (i, (x, &old)) in next.iter_mut().zip(rank).enumerate() {
                    let u = (c * CHUNK + i) as u32;
                    let gathered: f64 = graph.followers(u).iter().map(|&v| share[v as usize]).sum();
                    *x = uniform + damping * gathered;
                    l1 += (*x - old).abs();
                }
                *change = l1;
            });
        std::mem::swap(&mut rank, &mut next);
        if change.iter().sum::<f64>() < TOLERANCE {
            break;
        }
    }
    rank
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Node;
    use rand::{Rng, SeedableRng};
    use rand_xoshiro::Xoshiro256PlusPlus;
    use std::path::Path;

    /// Solve `a x = b` by Gaussian elimination with partial pivoting.
    fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
        let n = b.len();
        for col in 0..n {
            let pivot = (col..n)
                .max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))
                .unwrap();
            a.swap(col, pivot);
            b.swap(col, pivot);
            for row in col + 1..n {
                let factor = a[row][col] / a[col][col];
                let (above, below) = a.split_at_mut(row);
                for (x, &p) in below[0][col..].iter_mut().zip(&above[col][col..]) {
                    *x -= factor * p;
                }
                b[row] -= factor * b[col];
            }
        }
        let mut x = vec![0.0; n];
        for row in (0..n).rev() {
            let tail: f64 = (row + 1..n).map(|k| a[row][k] * x[k]).sum();
            x[row] = (b[row] - tail) / a[row][row];
        }
        x
    }

    /// The fixed point written as (I - d (M + D)) x = (1 - d) / n, where
    /// M[u][v] = 1 / f(v) for each arc u -> v and D[u][v] = 1 / n for each
    /// dangling v.
    fn exact(n: u32, arcs: &[(Node, Node)], d: f64) -> Vec<f64> {
        let n = n as usize;
        let mut follows = vec![0usize; n];
        for &(_, v) in arcs {
            follows[v as usize] += 1;
        }
        let mut a = vec![vec![0.0; n]; n];
        for (u, row) in a.iter_mut().enumerate() {
            row[u] = 1.0;
            for (v, cell) in row.iter_mut().enumerate() {
                if follows[v] == 0 {
                    *cell -= d / n as f64;
                }
            }
        }
        for &(u, v) in arcs {
            a[u as usize][v as usize] -= d / follows[v as usize] as f64;
        }
        solve(a, vec![(1.0 - d) / n as f64; n])
    }

    fn random_arcs(rng: &mut Xoshiro256PlusPlus, n: u32) -> Vec<(Node, Node)> {
        let density = rng.random_range(0.1..0.5);
        // A few people follow no one, so the dangling term is exercised.
        let dangling: Vec<bool> = (0..n).map(|_| rng.random_bool(0.25)).collect();
        let mut arcs = Vec::new();
        for u in 0..n {
            for v in 0..n {
                if u != v && !dangling[v as usize] && rng.random_bool(density) {
                    arcs.push((u, v));
                }
            }
        }
        arcs
    }

    #[test]
    fn equals_linear_system_solution() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        let mut saw_dangling = 0;
        for case in 0..60 {
            let n = rng.random_range(8..=12u32);
            let arcs = random_arcs(&mut rng, n);
            let d = [0.85, 0.5, 0.99, 0.15][case % 4];
            let g = Graph::from_arcs(n, arcs.clone());
            let got = pagerank(&g, d);
            let want = exact(n, &arcs, d);
            if (0..n).any(|v| arcs.iter().all(|&(_, t)| t != v)) {
                saw_dangling += 1;
            }
            for (u, (x, y)) in got.iter().zip(&want).enumerate() {
                assert!((x - y).abs() < 1e-9, "case {case} node {u}: {x} vs {y}");
            }
        }
        assert!(saw_dangling > 30);
    }

    #[test]
    fn ranks_sum_to_one() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(12);
        for _ in 0..20 {
            let n = rng.random_range(1..=40u32);
            let g = Graph::from_arcs(n, random_arcs(&mut rng, n));
            let total: f64 = pagerank(&g, 0.85).iter().sum();
            assert!((total - 1.0).abs() < 1e-12, "{total}");
        }
        // Larger than one chunk, so several partial sums are combined.
        let n = 3 * CHUNK as u32 + 17;
        let arcs = (0..n)
            .flat_map(|u| [(u, (u * 7 + 1) % n), (u, (u * 13 + 5) % n)])
            .filter(|&(u, v)| u != v);
        let mut arcs: Vec<_> = arcs.collect();
        arcs.sort_unstable();
        arcs.dedup();
        let g = Graph::from_arcs(n, arcs);
        let rank = pagerank(&g, 0.85);
        assert!((rank.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert_eq!(rank, pagerank(&g, 0.85));
        // No arcs at all: everyone is dangling, so ranks stay uniform.
        assert!(pagerank(&Graph::from_arcs(4, vec![]), 0.85)
            .iter()
            .all(|&r| (r - 0.25).abs() < 1e-15));
    }

    #[test]
    fn star_hub_ranks_first() {
        let g = Graph::from_undirected(6, &[(3, 0), (3, 1), (3, 2), (3, 4), (3, 5)]);
        let rank = pagerank(&g, 0.85);
        assert!((0..6).filter(|&v| v != 3).all(|v| rank[3] > rank[v]));
        let text = "version = 1\n[graph]\ngenerator = \"erdos-renyi\"\nnodes = 10\nmean_degree = 2\n[content]\nstickiness = 0.1\n[[strategy]]\nkind = \"pagerank\"\ncount = 2\n";
        let s = crate::scenario::parse(Path::new("t.toml"), text).unwrap();
        let (setting, costs) = (
            s.setting(&g),
            crate::graph::costs::Costs::uniform(g.nodes()),
        );
        let ctx = crate::strategy::test_context(&g, &setting, &costs);
        // The leaves tie exactly; the smaller id comes first.
        match (PageRank {
            limit: Limit::Count(3),
            damping: 0.85,
        })
        .choose(&ctx)
        .unwrap()
        {
            Seeds::Fixed(seeds) => assert_eq!(seeds, vec![3, 0, 1]),
            Seeds::PerRun(_) => panic!("expected fixed seeds"),
        }
        assert!((PageRank {
            limit: Limit::Count(7),
            damping: 0.85
        })
        .choose(&ctx)
        .is_err());
    }
}
