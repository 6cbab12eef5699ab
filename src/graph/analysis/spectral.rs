//! The largest eigenvalue of the trust-weighted adjacency matrix, by power
//! iteration: what the spectral epidemic threshold is made of.

use rayon::prelude::*;

use super::components::tarjan;
use crate::graph::{Graph, Node};

/// Most power iterations for `lambda_max`.
pub const MAX_ITERATIONS: u32 = 1000;
/// The power iteration stops once `lambda_max + 1` is known to this
/// relative precision (its upper bound and its estimate agree): four
/// significant digits and more, all a threshold is needed to.
pub const TOLERANCE: f64 = 1e-6;
/// People per parallel work unit: fixed, so partial sums always combine the
/// same way, whatever the thread count.
const CHUNK: usize = 4096;

/// The largest eigenvalue of the trust-weighted adjacency matrix.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spectral {
    pub lambda: f64,
    pub iterations: u32,
    pub converged: bool,
}

/// `lambda_max` of `W[u][v] = trust(u -> v)` by power iteration.
///
/// The eigenvalues of `W` are those of its strongly connected blocks (over
/// the arcs of positive trust), so arcs between blocks are dropped first:
/// the iterated matrix is then block-diagonal with irreducible blocks, and
/// acyclic parts, whose chains would make the iteration crawl, become
/// isolated people. Iterating `A = W + I` from the all-ones vector keeps
/// every entry positive, so within each block the ratios `(A x)[u] / x[u]`
/// bracket the block's Perron root (Collatz–Wielandt): the largest ratio
/// anywhere bounds `lambda_max + 1` from above, and the largest over blocks
/// of each block's smallest ratio bounds it from below. The iteration stops
/// once the bounds agree to [`TOLERANCE`], or after [`MAX_ITERATIONS`], and
/// returns their midpoint. The shift makes the Perron root strictly
/// dominant on bipartite and cyclic graphs, where plain power iteration
/// oscillates.
pub fn largest_eigenvalue(graph: &Graph) -> Spectral {
    let n = graph.nodes() as usize;
    if n == 0 {
        return Spectral {
            lambda: 0.0,
            iterations: 0,
            converged: true,
        };
    }
    let (targets, trust) = (graph.targets(), graph.trust());
    let (block, blocks) = tarjan(graph, |a| trust[a] > 0.0);
    let mut weight = vec![0.0f32; graph.arcs()];
    for u in 0..graph.nodes() {
        for a in graph.arc_range(u) {
            if block[u as usize] == block[targets[a] as usize] {
                weight[a] = trust[a];
            }
        }
    }
    let mut x = vec![1.0 / n as f64; n];
    let mut y = vec![0.0; n];
    // (A x)[u] / x[u], NaN where x[u] is 0.
    let mut ratio = vec![0.0; n];
    let mut smallest = vec![f64::INFINITY; blocks as usize];
    let (mut lower, mut upper) = (0.0, f64::INFINITY);
    for iteration in 1..=MAX_ITERATIONS {
        let sums: Vec<f64> = y
            .par_chunks_mut(CHUNK)
            .zip(ratio.par_chunks_mut(CHUNK))
            .enumerate()
            .map(|(c, (ys, rs))| {
                let mut sum = 0.0f64;
                for (i, (out, r)) in ys.iter_mut().zip(rs).enumerate() {
                    let u = c * CHUNK + i;
                    let mut s = x[u];
                    for a in graph.arc_range(u as Node) {
                        s += weight[a] as f64 * x[targets[a] as usize];
                    }
                    *out = s;
                    *r = if x[u] > 0.0 { s / x[u] } else { f64::NAN };
                    sum += s;
                }
                sum
            })
            .collect();
        let sum: f64 = sums.iter().sum();
        smallest.fill(f64::INFINITY);
        upper = 0.0f64;
        for (&r, &b) in ratio.iter().zip(&block) {
            if !r.is_nan() {
                upper = upper.max(r);
                smallest[b as usize] = smallest[b as usize].min(r);
            }
        }
        lower = smallest
            .iter()
            .filter(|r| r.is_finite())
            .fold(0.0f64, |m, &r| m.max(r));
        if upper - lower <= TOLERANCE * lower {
            return Spectral {
                lambda: ((lower + upper) / 2.0 - 1.0).max(0.0),
                iterations: iteration,
                converged: true,
            };
        }
        // Rescale to |x|_1 = 1; values too small to matter are flushed to 0
        // so that people outside the dominant blocks do not slow every pass
        // with subnormal numbers.
        x.par_chunks_mut(CHUNK)
            .zip(y.par_chunks(CHUNK))
            .for_each(|(xs, ys)| {
                for (xi, &yi) in xs.iter_mut().zip(ys) {
                    let v = yi / sum;
                    *xi = if v < 1e-280 { 0.0 } else { v };
                }
            });
    }
    Spectral {
        lambda: ((lower + upper) / 2.0 - 1.0).max(0.0),
        iterations: MAX_ITERATIONS,
        converged: false,
    }
}
