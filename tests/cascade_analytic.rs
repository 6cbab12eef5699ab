//! The independent cascade against percolation theory on Erdős–Rényi
//! graphs, where with trust 1 and uniform probability p the final sharers
//! are the seeds' clusters in a bond percolation with probability p.

use viralsim::engine::{self, Acceptance, Outcome};
use viralsim::graph::generators::generate;
use viralsim::graph::Graph;
use viralsim::model::{IndependentCascade, Metric};
use viralsim::model::{RunSeeds, SeedScratch, Seeds};
use viralsim::scenario::GeneratorSpec;
use viralsim::stats::mean_std;

const N: u32 = 100_000;

fn er(mean_degree: f64, seed: u64) -> Graph {
    let g = generate(
        &GeneratorSpec::ErdosRenyi {
            nodes: N,
            mean_degree,
        },
        seed,
    );
    Graph::from_undirected(g.nodes, &g.edges)
}

/// Ten seeds drawn uniformly per run, as the `random` strategy does.
struct TenRandom;
impl RunSeeds for TenRandom {
    fn draw(&self, run: u64, scratch: &mut SeedScratch, out: &mut Vec<u32>) {
        scratch.begin(N);
        out.clear();
        let mut i = 0;
        while out.len() < 10 {
            let v = (viralsim::rng::coin(run, i) % N as u64) as u32;
            if scratch.pick(v) {
                out.push(v);
            }
            i += 1;
        }
    }
}

/// Root of S = 1 - exp(-x S) for x > 1, by fixed-point iteration.
fn giant_fraction(x: f64) -> f64 {
    let mut s = 0.5;
    for _ in 0..10_000 {
        s = 1.0 - (-x * s).exp();
    }
    s
}

/// `runs` cascades with uniform probability `p` from ten random seeds on
/// G(N, c / N), long enough to finish (checked).
fn simulate_er(c: f64, p: f64, graph_seed: u64, runs: u32, seed: u64) -> Outcome {
    let g = er(c, graph_seed);
    let steps = 1_000;
    let model = IndependentCascade::new(&g, p, steps, seed);
    let o = engine::simulate(
        &model,
        &Seeds::PerRun(Box::new(TenRandom)),
        Acceptance::ALL,
        runs,
        steps,
        &|_| {},
    );
    let m = o.metric_index(Metric::Shared).unwrap();
    for r in 0..runs {
        let curve = o.curve(r, m);
        assert_eq!(
            curve[steps as usize / 2],
            curve[steps as usize],
            "run {r} still spreading at step {}",
            steps / 2
        );
    }
    o
}

#[test]
fn supercritical_shared_fraction_solves_the_percolation_equation() {
    let c = 10.0;
    let p = 0.2; // c p = 2
    let runs = 200;
    let o = simulate_er(c, p, 1, runs, 42);
    let shared: Vec<f64> = o
        .finals(o.metric_index(Metric::Shared).unwrap())
        .iter()
        .map(|v| v / N as f64)
        .collect();
    let reached: Vec<f64> = o
        .finals(o.metric_index(Metric::Reached).unwrap())
        .iter()
        .map(|v| v / N as f64)
        .collect();
    let (mean, sd) = mean_std(&shared);
    let s = giant_fraction(c * p);
    // Tolerance: the run-to-run standard error of the mean, plus the
    // graph-to-graph spread of the giant component (the graph is one draw):
    // its variance is at most the total variance of the giant component of
    // G(n, c p / n), n Var(S) -> S (1 - S) / (1 - c p (1 - S))^2
    // (Pittel 1990). Ten seeds add at most ten small clusters (O(10 / n)).
    let x = c * p;
    let graph_var = s * (1.0 - s) / (1.0 - x * (1.0 - s)).powi(2) / N as f64;
    let tol = 5.0 * (sd * sd / runs as f64 + graph_var).sqrt() + 10.0 * 2.0 / N as f64;
    assert!(
        (mean - s).abs() < tol,
        "shared fraction {mean:.5}, theory {s:.5}, tolerance {tol:.5}"
    );
    // Reached: everyone with at least one sharing friend, 1 - exp(-c S).
    let (rmean, rsd) = mean_std(&reached);
    let r = 1.0 - (-c * s).exp();
    let rtol =
        5.0 * (rsd * rsd / runs as f64 + c * c * (-c * s).exp().powi(2) * graph_var).sqrt() + 1e-4;
    assert!(
        (rmean - r).abs() < rtol,
        "reached fraction {rmean:.5}, theory {r:.5}, tolerance {rtol:.5}"
    );
}

#[test]
fn subcritical_cascade_has_the_branching_process_mean() {
    let c = 10.0;
    let p = 0.05; // c p = 0.5
    let runs = 4_000;
    let o = simulate_er(c, p, 2, runs, 7);
    let shared = o.finals(o.metric_index(Metric::Shared).unwrap());
    let (mean, sd) = mean_std(&shared);
    // A uniformly chosen seed has Poisson(c) friends, each the root of a
    // Galton-Watson tree with mean offspring c p: E[cluster] = 1 + c p /
    // (1 - c p) = 1 / (1 - c p). Ten seeds: 10 / (1 - c p) = 20.
    // Tolerance: 5 standard errors over the runs; the tree approximation and
    // the quenched graph add O(1 / n) per seed, far below that.
    let expected = 10.0 / (1.0 - c * p);
    let tol = 5.0 * sd / (runs as f64).sqrt();
    assert!(
        (mean - expected).abs() < tol,
        "mean cascade {mean:.3}, theory {expected}, tolerance {tol:.3}"
    );
}
