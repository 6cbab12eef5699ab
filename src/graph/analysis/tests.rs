//! Tests of the graph analysis against exact values (complete graphs, stars,
//! rings, cycles), published ones (the karate club) and theory.

use super::*;
use crate::graph::generators;
use crate::graph::GeneratorSpec;
use crate::graph::Node;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

fn complete(n: u32) -> Graph {
    let edges: Vec<(Node, Node)> = (0..n)
        .flat_map(|u| (u + 1..n).map(move |v| (u, v)))
        .collect();
    Graph::from_undirected(n, &edges)
}

fn star(leaves: u32) -> Graph {
    let edges: Vec<(Node, Node)> = (1..=leaves).map(|v| (0, v)).collect();
    Graph::from_undirected(leaves + 1, &edges)
}

fn ring(n: u32) -> Graph {
    let edges: Vec<(Node, Node)> = (0..n)
        .map(|i| (i, (i + 1) % n))
        .map(|(a, b)| (a.min(b), a.max(b)))
        .collect();
    Graph::from_undirected(n, &edges)
}

fn generated(spec: GeneratorSpec, seed: u64) -> Graph {
    let g = generators::generate(&spec, seed);
    Graph::from_undirected(g.nodes, &g.edges)
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1e-300)
}

/// What the power iteration guarantees: `lambda_max + 1` to
/// [`TOLERANCE`] (the midpoint of Collatz–Wielandt bounds that agree
/// that closely).
fn within_tolerance(lambda: f64, exact: f64) -> bool {
    close(lambda + 1.0, exact + 1.0, TOLERANCE)
}

#[test]
fn complete_graph() {
    for n in [3u32, 4, 10, 60] {
        let s = GraphAnalysis::of(&complete(n));
        let n64 = n as f64;
        assert_eq!(s.people, n);
        assert_eq!(s.arcs, (n * (n - 1)) as usize);
        assert!(s.undirected);
        assert_eq!(s.reciprocity, 1.0);
        assert_eq!(s.followers.mean, n64 - 1.0);
        assert_eq!(s.followers.max, n - 1);
        assert_eq!(s.clustering.average_local, 1.0);
        assert_eq!(s.clustering.global, 1.0);
        let choose3 = (n * (n - 1) * (n - 2) / 6) as u64;
        assert_eq!(s.clustering.triangles, choose3);
        assert_eq!((s.components.weak, s.components.largest_weak), (1, n));
        assert_eq!((s.components.strong, s.components.largest_strong), (1, n));
        let t = &s.thresholds;
        // The all-ones start is the Perron vector: exact at once.
        assert!(close(t.lambda_max, n64 - 1.0, 1e-12), "{}", t.lambda_max);
        assert!(t.converged && t.iterations == 1);
        // kappa = (k^2 - k) / k = n - 2.
        assert!(close(t.branching, n64 - 2.0, 1e-12));
        assert!(close(t.mean_field.unwrap(), 1.0 / (n64 - 2.0), 1e-12));
        // Every degree is the same: no power law to fit.
        assert!(s.followers.power_law.is_none());
    }
}

#[test]
fn star_graph() {
    let leaves = 99u32;
    let s = GraphAnalysis::of(&star(leaves));
    let t = &s.thresholds;
    // lambda_max of a star is sqrt(leaves) (bipartite: the shift is
    // what makes the power iteration converge).
    assert!(t.converged);
    assert!(
        within_tolerance(t.lambda_max, (leaves as f64).sqrt()),
        "{}",
        t.lambda_max
    );
    assert_eq!(s.clustering.average_local, 0.0);
    assert_eq!(s.clustering.global, 0.0);
    assert_eq!(s.clustering.triangles, 0);
    // Degrees: 99 x 1 and one 99. kappa = (99^2 + 99 - 198) / 198.
    let l = leaves as f64;
    let kappa = (l * l + l - 2.0 * l) / (2.0 * l);
    assert!(close(t.branching, kappa, 1e-12));
    assert!(close(t.mean_field.unwrap(), 2.0 / (l - 1.0), 1e-12));
    assert_eq!(s.followers.max, leaves);
    assert!(close(s.followers.mean, 2.0 * l / (l + 1.0), 1e-12));
}

#[test]
fn ring_graph() {
    let s = GraphAnalysis::of(&ring(1000));
    let t = &s.thresholds;
    assert!(close(t.lambda_max, 2.0, 1e-12));
    assert!(close(t.branching, 1.0, 1e-12));
    assert!(close(t.mean_field.unwrap(), 1.0, 1e-12));
    assert_eq!(s.clustering.triangles, 0);
    assert_eq!((s.components.weak, s.components.largest_weak), (1, 1000));
    assert!(s.followers.power_law.is_none());
}

#[test]
fn trust_scales_the_spectral_threshold() {
    // W = [[0, a], [b, 0]] has lambda_max = sqrt(a b).
    let mut pair = Graph::from_arcs(2, vec![(0, 1), (1, 0)]);
    pair.set_trust(vec![0.25, 0.5625]);
    let s = GraphAnalysis::of(&pair);
    assert!(
        within_tolerance(s.thresholds.lambda_max, 0.375),
        "{}",
        s.thresholds.lambda_max
    );
    assert!(close(s.trust.mean, (0.25 + 0.5625) / 2.0, 1e-15));
    // Nobody reached along an arc has anyone further to pass it to.
    assert_eq!(s.thresholds.branching, 0.0);
    assert!(s.thresholds.mean_field.is_none());

    // Constant trust t on K_n: lambda_max = t (n - 1); the mean-field
    // critical stickiness is T_c / t.
    let mut k = complete(8);
    k.set_trust(vec![0.5; k.arcs()]);
    let s = GraphAnalysis::of(&k);
    assert!(close(s.thresholds.lambda_max, 3.5, 1e-12));
    assert!(close(
        s.thresholds.mean_field_stickiness.unwrap(),
        2.0 / 6.0,
        1e-12
    ));
    assert!(close(
        s.thresholds.spectral_stickiness.unwrap(),
        1.0 / 3.5,
        1e-12
    ));
}

/// Chunked sums combined in a fixed order: the same bits on 1 and on 3
/// threads, on a graph large enough to span many chunks.
#[test]
fn lambda_max_does_not_depend_on_thread_count() {
    let mut g = generated(
        GeneratorSpec::BarabasiAlbert {
            nodes: 30_000,
            edges_per_node: 3,
        },
        2,
    );
    crate::graph::trust::assign(
        &mut g,
        &crate::graph::trust::TrustSpec::Beta {
            alpha: 2.0,
            beta: 5.0,
        },
        9,
    );
    let on = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| largest_eigenvalue(&g))
    };
    let one = on(1);
    assert!(one.converged && one.iterations > 10, "{one:?}");
    assert_eq!(one.lambda.to_bits(), on(3).lambda.to_bits());
    assert_eq!(one.iterations, on(3).iterations);
}

#[test]
fn directed_cycle_and_dag() {
    // A directed cycle: lambda_max = 1, strongly connected, no
    // reciprocity; kappa = <k_in k_out> / <k_in> = 1.
    let n = 7;
    let cycle = Graph::from_arcs(n, (0..n).map(|i| (i, (i + 1) % n)).collect());
    let s = GraphAnalysis::of(&cycle);
    assert!(!s.undirected);
    assert_eq!(s.reciprocity, 0.0);
    assert!(close(s.thresholds.lambda_max, 1.0, 1e-12));
    assert!(close(s.thresholds.branching, 1.0, 1e-12));
    assert_eq!((s.components.strong, s.components.largest_strong), (1, n));
    // A path of arcs has no cycle: lambda_max 0, every person their own
    // strong component, one weak component.
    let path = Graph::from_arcs(5, (0..4).map(|i| (i, i + 1)).collect());
    let s = GraphAnalysis::of(&path);
    assert_eq!(s.thresholds.lambda_max, 0.0);
    assert!(s.thresholds.converged);
    assert!(s.thresholds.spectral_stickiness.is_none());
    assert_eq!((s.components.strong, s.components.largest_strong), (5, 1));
    assert_eq!((s.components.weak, s.components.largest_weak), (1, 5));
    // kappa = (sum k_in k_out) / arcs = 3 / 4.
    assert!(close(s.thresholds.branching, 0.75, 1e-12));
}

#[test]
fn known_components() {
    // Triangle 0-1-2, path 3-4-5-6, person 7 alone, and a directed
    // part: 8 -> 9 -> 10 -> 8 (a cycle) with a tail 10 -> 11.
    let mut arcs = Vec::new();
    for (u, v) in [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (5, 6)] {
        arcs.push((u, v));
        arcs.push((v, u));
    }
    arcs.extend([(8, 9), (9, 10), (10, 8), (10, 11)]);
    let g = Graph::from_arcs(12, arcs);
    let s = GraphAnalysis::of(&g);
    assert_eq!((s.components.weak, s.components.largest_weak), (4, 4));
    // Strong: {0,1,2}, {3,4,5,6}, {7}, {8,9,10}, {11}.
    assert_eq!((s.components.strong, s.components.largest_strong), (5, 4));
    let (weak, _) = weak_component_of(&g.neighbours());
    assert_eq!(weak, vec![0, 0, 0, 1, 1, 1, 1, 2, 3, 3, 3, 3]);
    assert_eq!(s.clustering.triangles, 2);
    assert_eq!(s.followers.zero, 2);
}

/// Tarjan against the definition: u and v share a strong component iff
/// each reaches the other, checked by a search from every person.
#[test]
fn tarjan_matches_brute_force_reachability() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
    for trial in 0..40 {
        let n: u32 = rng.random_range(1..120);
        let p = rng.random_range(0.0..3.0) / n as f64;
        let mut arcs = Vec::new();
        for u in 0..n {
            for v in 0..n {
                if u != v && rng.random::<f64>() < p {
                    arcs.push((u, v));
                }
            }
        }
        let g = Graph::from_arcs(n, arcs);
        let reach: Vec<Vec<bool>> = (0..n)
            .map(|s| {
                let mut seen = vec![false; n as usize];
                let mut todo = vec![s];
                seen[s as usize] = true;
                while let Some(v) = todo.pop() {
                    for &w in g.followers(v) {
                        if !seen[w as usize] {
                            seen[w as usize] = true;
                            todo.push(w);
                        }
                    }
                }
                seen
            })
            .collect();
        let (component, count) = strong_component_of(&g);
        for u in 0..n as usize {
            for v in 0..n as usize {
                let same = reach[u][v] && reach[v][u];
                assert_eq!(component[u] == component[v], same, "trial {trial}: {u} {v}");
            }
        }
        let mut ids = component.clone();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len() as u32, count);
        assert_eq!(ids, (0..count).collect::<Vec<_>>());
    }
}

#[test]
fn a_long_path_needs_no_recursion() {
    // 2 million people in one directed cycle: a recursive search would
    // overflow the stack.
    let n = 2_000_000u32;
    let g = Graph::from_arcs(n, (0..n).map(|i| (i, (i + 1) % n)).collect());
    assert_eq!(
        strong_components(&g),
        ComponentSizes {
            count: 1,
            largest: n
        }
    );
}

/// Local and global clustering against a direct count over pairs of
/// contacts, on random graphs with some one-way arcs.
#[test]
fn clustering_matches_a_direct_count() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(8);
    for _ in 0..20 {
        let n: u32 = rng.random_range(3..80);
        let p = rng.random_range(0.02..0.4);
        let mut arcs = Vec::new();
        for u in 0..n {
            for v in 0..n {
                if u != v && rng.random::<f64>() < p {
                    arcs.push((u, v));
                }
            }
        }
        let g = Graph::from_arcs(n, arcs);
        let nb = g.neighbours();
        let linked = |a: Node, b: Node| nb.of(a).binary_search(&b).is_ok();
        let (mut local, mut closed, mut triples) = (0.0, 0u64, 0u64);
        for v in 0..n {
            let c = nb.of(v);
            let k = c.len() as u64;
            let mut links = 0u64;
            for i in 0..c.len() {
                for j in i + 1..c.len() {
                    links += linked(c[i], c[j]) as u64;
                }
            }
            if k >= 2 {
                local += links as f64 / (k * (k - 1) / 2) as f64;
                closed += links;
                triples += k * (k - 1) / 2;
            }
        }
        let c = clustering(&nb);
        assert!(close(c.average_local, local / n as f64, 1e-12));
        let global = if triples > 0 {
            closed as f64 / triples as f64
        } else {
            0.0
        };
        assert!(close(c.global, global, 1e-12));
        assert_eq!(c.triangles * 3, closed);
    }
}

#[test]
fn karate_club_matches_published_values() {
    let (g, _) = crate::graph::edgelist::read(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/karate.txt"),
        false,
    )
    .unwrap();
    let s = GraphAnalysis::of(&g);
    assert_eq!((s.people, s.arcs), (34, 156));
    // networkx 3.6.1: average_clustering 0.5706384782076823,
    // transitivity 0.2556818181818182, 45 triangles.
    assert!(close(s.clustering.average_local, 0.5706384782076823, 1e-12));
    assert!(close(s.clustering.global, 0.2556818181818182, 1e-12));
    assert_eq!(s.clustering.triangles, 45);
    // Largest adjacency eigenvalue of Zachary's club: 6.725697727.
    assert!(
        within_tolerance(s.thresholds.lambda_max, 6.725697727),
        "{}",
        s.thresholds.lambda_max
    );
    assert_eq!(s.followers.max, 17);
}

#[test]
fn hurwitz_zeta_matches_known_values() {
    let pi2_6 = std::f64::consts::PI.powi(2) / 6.0;
    assert!(close(hurwitz_zeta(2.0, 1.0), pi2_6, 1e-13));
    assert!(close(
        hurwitz_zeta(3.0, 1.0),
        1.202_056_903_159_594_2,
        1e-13
    ));
    let partial: f64 = (1..5).map(|k| 1.0 / (k * k) as f64).sum();
    assert!(close(hurwitz_zeta(2.0, 5.0), pi2_6 - partial, 1e-13));
    // zeta(s, q) - zeta(s, q + 1) = q^-s, far out and steep.
    for (s, q) in [(2.5, 40.0), (7.0, 100.0), (25.0, 3.0), (1.5, 1000.0)] {
        let d = hurwitz_zeta(s, q) - hurwitz_zeta(s, q + 1.0);
        assert!(close(d, f64::powf(q, -s), 1e-9), "s {s} q {q}");
    }
}

/// Exact draws from a discrete power law recover its exponent and
/// k_min: the exponent within 4 standard errors.
#[test]
fn fit_recovers_a_sampled_power_law() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
    for (alpha, k_min) in [(2.5f64, 1u32), (3.0, 5), (2.2, 10)] {
        // Inverse-CDF sampling of P(k) = k^-alpha / zeta(alpha, k_min),
        // cumulative probabilities tabulated up to a large k.
        let norm = hurwitz_zeta(alpha, k_min as f64);
        let mut cdf = Vec::new();
        let mut acc = 0.0;
        for k in k_min..200_000 {
            acc += (k as f64).powf(-alpha) / norm;
            cdf.push(acc);
        }
        // Below k_min, a body that is not a power law: uniform on
        // 1..k_min, a fifth of the people.
        let counts: Vec<u32> = (0..20_000)
            .map(|_| {
                if k_min > 1 && rng.random::<f64>() < 0.2 {
                    return rng.random_range(1..k_min);
                }
                let r: f64 = rng.random();
                k_min + cdf.partition_point(|&c| c < r) as u32
            })
            .collect();
        let fit = fit_power_law(&counts).unwrap();
        assert!(
            (fit.alpha - alpha).abs() < 4.0 * fit.alpha_error,
            "alpha {alpha}: fitted {} +- {}",
            fit.alpha,
            fit.alpha_error
        );
        assert!(fit.ks_distance < fit.ks_bound);
        assert_eq!(fit.verdict, Verdict::PowerLaw, "{fit:?}");
    }
}

/// Barabási–Albert degrees follow P(k) = 2m(m+1) / (k(k+1)(k+2)), which
/// is only asymptotically k^-3: from a finite k_min the best power law
/// is shallower (2.86 from k = 9, 2.94 from k = 20). So the fit must
/// match the exponent that the exact distribution's tail from the
/// chosen k_min gives, alpha* (the same likelihood equation with the
/// tail's expected mean ln k), within 4 standard errors,
/// (alpha - 1) / sqrt(tail) ≈ 0.02 to 0.04 here; the finite-size cutoff
/// near m sqrt(n) ≈ 950 trims only the far tail (seeds 1..8 land within
/// 1.1 standard errors of alpha*). And alpha* itself must be within 0.15
/// of 3: the KS choice of k_min keeps only the tail where the local
/// slope is steeper than -2.72.
#[test]
fn barabasi_albert_degrees_fit_their_exponent() {
    let m = 3u32;
    let g = generated(
        GeneratorSpec::BarabasiAlbert {
            nodes: 100_000,
            edges_per_node: m,
        },
        11,
    );
    let fit = GraphAnalysis::of(&g).followers.power_law.unwrap();
    assert_eq!(fit.verdict, Verdict::PowerLaw, "{fit:?}");
    let pmf = |k: f64| 1.0 / (k * (k + 1.0) * (k + 2.0));
    let (mut mass, mut ln_mass) = (0.0, 0.0);
    // Beyond 2e6 the tail's share of either sum is below 1e-12.
    for k in fit.k_min..2_000_000 {
        let p = pmf(k as f64);
        mass += p;
        ln_mass += p * (k as f64).ln();
    }
    let exact = mle_exponent(ln_mass / mass, fit.k_min);
    assert!(
        (fit.alpha - exact).abs() < 4.0 * fit.alpha_error,
        "fitted {fit:?}, exact tail from k_min gives {exact}"
    );
    assert!(
        (exact - 3.0).abs() < 0.15,
        "k_min {} gives {exact}",
        fit.k_min
    );
}

/// Erdős–Rényi G(n, c/n): T_c = sum k / sum k(k-1) has mean
/// (1/c)(n-1)/(n-2). To first order its relative error is minus that of
/// the edge count (variance 2/(nc)) plus the part of sum k(k-1) that the
/// edge count does not explain (Poisson degrees: 2c^2 per person of
/// variance 4c^3 + 2c^2, so 2/(nc^2) relative): sd =
/// sqrt(2/(nc) (1 + 1/c)) ≈ 0.0016 here (seeds 1..8 spread 0.0013).
/// Five sd.
#[test]
fn erdos_renyi_mean_field_threshold_is_one_over_c() {
    let (n, c) = (200_000u32, 5.0);
    let g = generated(
        GeneratorSpec::ErdosRenyi {
            nodes: n,
            mean_degree: c,
        },
        4,
    );
    let s = GraphAnalysis::of(&g);
    let tc = s.thresholds.mean_field.unwrap();
    let n = n as f64;
    let expected = (n - 1.0) / (n - 2.0) / c;
    let sd = (2.0 / (n * c) * (1.0 + 1.0 / c)).sqrt();
    assert!((tc / expected - 1.0).abs() < 5.0 * sd, "T_c {tc}");
    // Trust 1: the critical stickiness is T_c itself.
    assert_eq!(s.thresholds.mean_field_stickiness, Some(tc));
    // lambda_max is at least <k^2>/<k> = c + 1 (Rayleigh quotient of
    // the degree vector), and ER has no big hubs: it stays close.
    let lambda = s.thresholds.lambda_max;
    assert!(
        lambda >= c + 1.0 - 0.05 && lambda < c + 1.5,
        "lambda {lambda}"
    );
}

/// The same graph with nothing known of its arcs: built arc by arc.
fn as_directed(g: &Graph) -> Graph {
    let arcs = (0..g.nodes())
        .flat_map(|u| g.followers(u).iter().map(move |&v| (u, v)))
        .collect();
    let mut d = Graph::from_arcs(g.nodes(), arcs);
    if let Some(t) = g.trust().as_slice() {
        d.set_trust(t.to_vec());
    }
    d
}

#[test]
fn a_graph_known_undirected_is_analysed_as_one_looked_up() {
    let specs = [
        GeneratorSpec::BarabasiAlbert {
            nodes: 3000,
            edges_per_node: 3,
        },
        GeneratorSpec::ErdosRenyi {
            nodes: 3000,
            mean_degree: 1.5,
        },
    ];
    for spec in specs {
        let g = generated(spec.clone(), 5);
        let d = as_directed(&g);
        assert!(g.is_undirected() && !d.is_undirected());
        assert_eq!(reciprocated_arcs(&d), g.arcs());
        let (known, looked_up) = (GraphAnalysis::of(&g), GraphAnalysis::of(&d));
        // Every figure, the spectral one to the bit: both take Lanczos.
        assert_eq!(format!("{known:?}"), format!("{looked_up:?}"), "{spec:?}");
        let c = &known.components;
        assert_eq!((c.strong, c.largest_strong), (c.weak, c.largest_weak));
    }
}

#[test]
fn known_undirected_with_varying_trust_still_checks_the_trust_both_ways() {
    let g = generated(
        GeneratorSpec::BarabasiAlbert {
            nodes: 500,
            edges_per_node: 2,
        },
        2,
    );
    // Trust differing by direction: W is not symmetric, though every arc
    // has its reverse, so the power iteration's answer is the one.
    let mut one_way = g.clone();
    let trust: Vec<f32> = (0..g.nodes())
        .flat_map(|u| {
            g.followers(u)
                .iter()
                .map(move |&v| if u < v { 0.9 } else { 0.2 })
        })
        .collect();
    one_way.set_trust(trust);
    let known = spectral::largest_eigenvalue_known(&one_way, true);
    assert_eq!(known, spectral::power_iteration(&one_way));
    assert_eq!(known, largest_eigenvalue(&one_way));
    // Constant trust: Lanczos, as after the check.
    assert_eq!(
        spectral::largest_eigenvalue_known(&g, true),
        spectral::lanczos(&g)
    );
}

#[test]
fn triangles_do_not_depend_on_thread_count() {
    let g = generated(
        GeneratorSpec::HolmeKim {
            nodes: 150_000,
            edges_per_node: 3,
            triangle_prob: 0.6,
        },
        4,
    );
    let nb = g.neighbours();
    let on = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| triangles(&nb))
    };
    let one = on(1);
    assert!(one.iter().sum::<u64>() > 100_000);
    assert_eq!(on(2), one);
    assert_eq!(on(5), one);
}
