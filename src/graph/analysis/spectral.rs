//! The largest eigenvalue of the trust-weighted adjacency matrix: what the
//! spectral epidemic threshold is made of. Lanczos when the matrix is
//! symmetric (every follow mutual, with the same trust both ways), power
//! iteration otherwise.

use rayon::prelude::*;

use super::components::tarjan;
use super::thresholds::reverse_arc;
use crate::graph::{Graph, Node};

/// Most iterations (Lanczos steps or power iterations) for `lambda_max`.
pub const MAX_ITERATIONS: u32 = 1000;
/// The power iteration stops once `lambda_max + 1` is known to this
/// relative precision (its upper bound and its estimate agree), Lanczos
/// once its estimate is within this share of `lambda_max` of an eigenvalue:
/// four significant digits and more, all a threshold is needed to.
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

/// `lambda_max` of `W[u][v] = trust(u -> v)`: by Lanczos when `W` is
/// symmetric (see [`lanczos`]), by power iteration otherwise.
pub fn largest_eigenvalue(graph: &Graph) -> Spectral {
    largest_eigenvalue_known(graph, false)
}

/// [`largest_eigenvalue`] of a graph known to be undirected (every arc's
/// reverse an arc) when `undirected`: with one trust for every arc, `W` is
/// then symmetric without looking each reverse up.
pub fn largest_eigenvalue_known(graph: &Graph, undirected: bool) -> Spectral {
    let symmetric = match graph.trust().constant() {
        Some(_) if undirected => true,
        _ => symmetric(graph),
    };
    if symmetric {
        lanczos(graph)
    } else {
        power_iteration(graph)
    }
}

/// Whether every arc's reverse is an arc of the same trust. Only the arcs
/// to a later person are looked up: each found reverse is a distinct arc to
/// an earlier person, so when there are as many of those, every one is the
/// reverse of another.
fn symmetric(graph: &Graph) -> bool {
    let (targets, trust) = (graph.targets(), graph.trust());
    let (up, down) = (0..graph.nodes())
        .into_par_iter()
        .map(|u| {
            let mut down = 0usize;
            let mut up = 0usize;
            for a in graph.arc_range(u) {
                let v = targets[a];
                if v < u {
                    down += 1;
                } else if v > u {
                    if !reverse_arc(graph, u, v).is_some_and(|b| trust[b] == trust[a]) {
                        return None;
                    }
                    up += 1;
                }
            }
            Some((up, down))
        })
        .try_reduce(|| (0, 0), |a, b| Some((a.0 + b.0, a.1 + b.1)))
        .map_or((1, 0), |c| c);
    up == down
}

/// `lambda_max` of a symmetric `W` by the Lanczos iteration from a
/// positive vector, which has a share of every connected component's
/// Perron vector, so the largest eigenvalue is in the Krylov space it
/// spans. Step `k` gives a `k x k` tridiagonal matrix `T`; its largest
/// eigenvalue `theta` (by bisection) never exceeds `lambda_max`, and some
/// eigenvalue of `W` lies within `beta_k |s_k|` of it, `s` being the unit
/// eigenvector of `T` for `theta`. Iteration stops once that bound is
/// within [`TOLERANCE`] of `theta`: a few dozen steps where power iteration
/// takes hundreds, as convergence goes with the square root of the
/// eigenvalue gap. Lost orthogonality only adds copies of converged
/// eigenvalues, never a larger one.
pub fn lanczos(graph: &Graph) -> Spectral {
    let n = graph.nodes() as usize;
    if n == 0 || graph.arcs() == 0 {
        return Spectral {
            lambda: 0.0,
            iterations: 0,
            converged: true,
        };
    }
    let (targets, trust) = (graph.targets(), graph.trust());
    // Trust the same on every arc (the common case) is multiplied once per
    // person, not read once per arc.
    let same = match trust.as_slice() {
        None => trust.constant().map(|t| t as f64),
        Some(t) => t.iter().all(|&x| x == t[0]).then(|| t[0] as f64),
    };
    // Start from each person's trusted degree plus one: positive, so it has
    // a share of every component's Perron vector, and nearer that vector on
    // graphs with hubs than all-ones is.
    let mut q: Vec<f64> = (0..graph.nodes())
        .into_par_iter()
        .map(|u| 1.0 + graph.arc_range(u).map(|a| trust[a] as f64).sum::<f64>())
        .collect();
    let length = q.iter().map(|x| x * x).sum::<f64>().sqrt();
    q.iter_mut().for_each(|x| *x /= length);
    let mut previous = vec![0.0f64; n];
    let mut w = vec![0.0f64; n];
    let (mut alpha, mut beta) = (Vec::new(), Vec::new());
    let mut theta = 0.0;
    for step in 1..=MAX_ITERATIONS {
        let b = beta.last().copied().unwrap_or(0.0);
        // w = W q - b previous, and q . w, in fixed chunks summed in order.
        let a: f64 = w
            .par_chunks_mut(CHUNK)
            .enumerate()
            .map(|(c, ws)| {
                let mut dot = 0.0f64;
                for (i, out) in ws.iter_mut().enumerate() {
                    let u = c * CHUNK + i;
                    let range = graph.arc_range(u as Node);
                    let mut s = match same {
                        Some(t) => t * targets[range].iter().map(|&v| q[v as usize]).sum::<f64>(),
                        None => range
                            .map(|arc| trust[arc] as f64 * q[targets[arc] as usize])
                            .sum(),
                    };
                    s -= b * previous[u];
                    *out = s;
                    dot += s * q[u];
                }
                dot
            })
            .collect::<Vec<f64>>()
            .iter()
            .sum();
        alpha.push(a);
        let norm2: f64 = w
            .par_chunks_mut(CHUNK)
            .zip(q.par_chunks(CHUNK))
            .map(|(ws, qs)| {
                let mut sum = 0.0f64;
                for (wi, &qi) in ws.iter_mut().zip(qs) {
                    *wi -= a * qi;
                    sum += *wi * *wi;
                }
                sum
            })
            .collect::<Vec<f64>>()
            .iter()
            .sum();
        let next = norm2.sqrt();
        theta = largest_tridiagonal(&alpha, &beta);
        let residual = next * last_component(&alpha, &beta, theta);
        let scale = theta.abs().max(f64::MIN_POSITIVE);
        if residual <= TOLERANCE * scale || next <= 1e-12 * scale {
            return Spectral {
                lambda: theta.max(0.0),
                iterations: step,
                converged: true,
            };
        }
        beta.push(next);
        std::mem::swap(&mut previous, &mut q);
        q.par_chunks_mut(CHUNK)
            .zip(w.par_chunks(CHUNK))
            .for_each(|(qs, ws)| {
                for (qi, &wi) in qs.iter_mut().zip(ws) {
                    *qi = wi / next;
                }
            });
    }
    Spectral {
        lambda: theta.max(0.0),
        iterations: MAX_ITERATIONS,
        converged: false,
    }
}

/// The largest eigenvalue of the symmetric tridiagonal matrix with
/// diagonal `alpha` and off-diagonal `beta` (one shorter), by bisection on
/// Sturm counts to the last bit.
fn largest_tridiagonal(alpha: &[f64], beta: &[f64]) -> f64 {
    // Gershgorin bounds every eigenvalue.
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for (i, &a) in alpha.iter().enumerate() {
        let r = beta.get(i).map_or(0.0, |b| b.abs()) + if i > 0 { beta[i - 1].abs() } else { 0.0 };
        lo = lo.min(a - r);
        hi = hi.max(a + r);
    }
    // Eigenvalues above x: count of negative pivots of T - x I, from n.
    let above = |x: f64| {
        let mut d = 1.0f64;
        let mut negative = 0;
        for (i, &a) in alpha.iter().enumerate() {
            let b2 = if i > 0 {
                beta[i - 1] * beta[i - 1]
            } else {
                0.0
            };
            d = a - x - if i > 0 { b2 / d } else { 0.0 };
            if d == 0.0 {
                d = -f64::EPSILON * (x.abs() + 1.0);
            }
            if d < 0.0 {
                negative += 1;
            }
        }
        alpha.len() - negative
    };
    for _ in 0..200 {
        let mid = lo + (hi - lo) / 2.0;
        if mid <= lo || mid >= hi {
            break;
        }
        if above(mid) >= 1 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi
}

/// `|s_k|`, the last component of the unit eigenvector of the tridiagonal
/// matrix for its eigenvalue `theta`, by the three-term recurrence
/// (rescaled as it goes). The recurrence can only overstate a small last
/// component, which delays the stop but never makes it early; a breakdown
/// gives 1.
fn last_component(alpha: &[f64], beta: &[f64], theta: f64) -> f64 {
    let k = alpha.len();
    let (mut before, mut s) = (0.0f64, 1.0f64);
    let mut norm2 = 1.0f64;
    for j in 0..k - 1 {
        if beta[j] == 0.0 {
            return 1.0;
        }
        let prev_beta = if j > 0 { beta[j - 1] } else { 0.0 };
        let next = ((theta - alpha[j]) * s - prev_beta * before) / beta[j];
        before = s;
        s = next;
        norm2 += s * s;
        if norm2 > 1e150 {
            let scale = norm2.sqrt();
            before /= scale;
            s /= scale;
            norm2 = 1.0;
        }
    }
    let last = s.abs() / norm2.sqrt();
    if last.is_finite() {
        last
    } else {
        1.0
    }
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
pub fn power_iteration(graph: &Graph) -> Spectral {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::generators;
    use crate::graph::GeneratorSpec;

    fn undirected(n: Node, edges: &[(Node, Node)]) -> Graph {
        Graph::from_undirected(n, edges)
    }

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs()
    }

    #[test]
    fn lanczos_matches_exact_eigenvalues() {
        for k in [1u32, 4, 49, 1000] {
            let star: Vec<_> = (1..=k).map(|v| (0, v)).collect();
            let s = lanczos(&undirected(k + 1, &star));
            assert!(
                s.converged && close(s.lambda, (k as f64).sqrt(), 1e-6),
                "star {k}: {s:?}"
            );
        }
        for n in [2u32, 3, 10, 200] {
            let edges: Vec<_> = (0..n)
                .flat_map(|u| (u + 1..n).map(move |v| (u, v)))
                .collect();
            let s = lanczos(&undirected(n, &edges));
            assert!(close(s.lambda, (n - 1) as f64, 1e-6), "complete {n}: {s:?}");
        }
        for n in [3u32, 4, 7, 1000] {
            let edges: Vec<_> = (0..n)
                .map(|i| (i.min((i + 1) % n), i.max((i + 1) % n)))
                .collect();
            let s = lanczos(&undirected(n, &edges));
            assert!(close(s.lambda, 2.0, 1e-6), "cycle {n}: {s:?}");
        }
        // A path, whose start vector (degree + 1) is no eigenvector:
        // lambda_max = 2 cos(pi / (n + 1)).
        for n in [2u32, 5, 30, 300] {
            let edges: Vec<_> = (0..n - 1).map(|i| (i, i + 1)).collect();
            let s = lanczos(&undirected(n, &edges));
            let exact = 2.0 * (std::f64::consts::PI / (n as f64 + 1.0)).cos();
            assert!(close(s.lambda, exact, 1e-6), "path {n}: {s:?} vs {exact}");
        }
        // A star and a larger complete graph apart: the larger block counts.
        let mut edges: Vec<(Node, Node)> = (1..=9).map(|v| (0, v)).collect();
        edges.extend((10..16).flat_map(|u| (u + 1..16).map(move |v| (u, v))));
        let s = largest_eigenvalue(&undirected(16, &edges));
        assert!(close(s.lambda, 5.0, 1e-6), "{s:?}");
    }

    #[test]
    fn directed_cycle_falls_back_to_power_iteration() {
        let n = 9;
        let cycle = Graph::from_arcs(n, (0..n).map(|i| (i, (i + 1) % n)).collect());
        assert!(!symmetric(&cycle));
        let s = largest_eigenvalue(&cycle);
        assert_eq!(s, power_iteration(&cycle));
        assert!(s.converged && close(s.lambda, 1.0, 1e-6), "{s:?}");
    }

    #[test]
    fn unequal_trust_both_ways_is_not_symmetric() {
        let mut g = undirected(3, &[(0, 1), (1, 2)]);
        assert!(symmetric(&g));
        let trust: Vec<f32> = (0..g.arcs()).map(|a| 0.5 + a as f32 / 8.0).collect();
        g.set_trust(trust);
        assert!(!symmetric(&g));
    }

    #[test]
    fn random_graph_matches_power_iteration() {
        for (spec, seed) in [
            (
                GeneratorSpec::ErdosRenyi {
                    nodes: 3000,
                    mean_degree: 6.0,
                },
                3,
            ),
            (
                GeneratorSpec::BarabasiAlbert {
                    nodes: 5000,
                    edges_per_node: 3,
                },
                4,
            ),
        ] {
            let g = generators::generate(&spec, seed);
            let g = Graph::from_undirected(g.nodes, &g.edges);
            let (new, old) = (lanczos(&g), power_iteration(&g));
            assert!(new.converged && old.converged);
            assert!(new.iterations < old.iterations, "{new:?} {old:?}");
            // The power iteration knows lambda + 1 to TOLERANCE; four
            // significant digits need 5e-5.
            assert!(
                close(
                    new.lambda,
                    old.lambda,
                    TOLERANCE * (old.lambda + 1.0) / old.lambda
                ),
                "{new:?} {old:?}"
            );
        }
    }
}
