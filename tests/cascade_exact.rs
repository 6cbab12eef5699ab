//! Exact checks of the independent cascade: cases whose answer is known in
//! closed form or by graph search, run through the real engine.

mod common;

use common::{assert_same_on_threads, final_of, path, random_digraph, run_model, star};
use petgraph::graph::DiGraph;
use petgraph::visit::Bfs;
use viralsim::engine::Outcome;
use viralsim::graph::{trust, Graph, Node};
use viralsim::model::{IndependentCascade, Metric};
use viralsim::scenario::TrustSpec;

fn run(
    graph: &Graph,
    stickiness: f64,
    seeds: &[Node],
    runs: u32,
    steps: u32,
    seed: u64,
) -> Outcome {
    let model = IndependentCascade::new(graph, stickiness, steps, seed);
    run_model(&model, seeds, runs, steps)
}

#[test]
fn stickiness_zero_reaches_exactly_the_seeds_followers() {
    let g = random_digraph(2000, 4, 11);
    let seeds = [3, 77, 1500];
    let o = run(&g, 0.0, &seeds, 50, 5, 1);
    let mut reached: Vec<Node> = seeds.to_vec();
    for &s in &seeds {
        reached.extend_from_slice(g.followers(s));
    }
    reached.sort_unstable();
    reached.dedup();
    for r in 0..o.runs {
        assert_eq!(final_of(&o, Metric::Shared, r), seeds.len() as u32);
        assert_eq!(final_of(&o, Metric::Reached, r), reached.len() as u32);
        // Followers are reached at step 1, not at step 0.
        let m = o.metric_index(Metric::Reached).unwrap();
        assert_eq!(o.curve(r, m)[0], seeds.len() as u32);
    }
}

#[test]
fn stickiness_one_with_full_trust_shares_to_everything_reachable() {
    let g = random_digraph(3000, 2, 5);
    let seeds = [0, 10, 20];
    // Reference: breadth-first search in petgraph over the same arcs.
    let mut pg = DiGraph::<(), ()>::new();
    let idx: Vec<_> = (0..g.nodes()).map(|_| pg.add_node(())).collect();
    for u in 0..g.nodes() {
        for &v in g.followers(u) {
            pg.add_edge(idx[u as usize], idx[v as usize], ());
        }
    }
    let mut reachable = vec![false; g.nodes() as usize];
    for &s in &seeds {
        let mut bfs = Bfs::new(&pg, idx[s as usize]);
        while let Some(n) = bfs.next(&pg) {
            reachable[n.index()] = true;
        }
    }
    let expected_shared = reachable.iter().filter(|&&r| r).count() as u32;
    let mut reached = reachable.clone();
    for u in 0..g.nodes() {
        if reachable[u as usize] {
            for &v in g.followers(u) {
                reached[v as usize] = true;
            }
        }
    }
    let expected_reached = reached.iter().filter(|&&r| r).count() as u32;
    assert!(
        expected_shared > 100,
        "the test graph should cascade widely"
    );
    let o = run(&g, 1.0, &seeds, 20, 10_000, 3);
    for r in 0..o.runs {
        assert_eq!(final_of(&o, Metric::Shared, r), expected_shared);
        assert_eq!(final_of(&o, Metric::Reached, r), expected_reached);
    }
}

#[test]
fn star_hub_shares_with_each_leaf_independently() {
    // Hub 0 followed by n - 1 leaves; E[shared] = 1 + (n - 1) p, and the
    // count of leaves that share is Binomial(n - 1, p) in every run.
    let n = 101u32;
    let g = star(n);
    let p = 0.3;
    let runs = 20_000u32;
    let o = run(&g, p, &[0], runs, 3, 7);
    let finals: Vec<f64> = (0..runs)
        .map(|r| final_of(&o, Metric::Shared, r) as f64)
        .collect();
    let mean = finals.iter().sum::<f64>() / runs as f64;
    let expected = 1.0 + (n - 1) as f64 * p;
    // Standard error of the mean of Binomial(n - 1, p) over the runs; 5 SE.
    let se = ((n - 1) as f64 * p * (1.0 - p) / runs as f64).sqrt();
    assert!(
        (mean - expected).abs() < 5.0 * se,
        "mean {mean}, expected {expected} +- {}",
        5.0 * se
    );
    // Its variance is the binomial one too (relative SE of a sample variance
    // is about sqrt(2 / runs) for near-normal data; 5 of those).
    let var = finals.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (runs - 1) as f64;
    let expected_var = (n - 1) as f64 * p * (1.0 - p);
    assert!(
        (var / expected_var - 1.0).abs() < 5.0 * (2.0 / runs as f64).sqrt(),
        "var {var} vs {expected_var}"
    );
    // Everyone is reached at step 1.
    assert!((0..runs).all(|r| final_of(&o, Metric::Reached, r) == n));
}

#[test]
fn trust_scales_the_share_probability() {
    // The star again, with constant trust 0.5 and stickiness 0.6: p = 0.3.
    let n = 201u32;
    let mut g = star(n);
    trust::assign(&mut g, &TrustSpec::Constant { value: 0.5 }, 1);
    let runs = 10_000u32;
    let o = run(&g, 0.6, &[0], runs, 2, 9);
    let mean = (0..runs)
        .map(|r| final_of(&o, Metric::Shared, r) as f64)
        .sum::<f64>()
        / runs as f64;
    let expected = 1.0 + (n - 1) as f64 * 0.3;
    let se = ((n - 1) as f64 * 0.3 * 0.7 / runs as f64).sqrt();
    assert!(
        (mean - expected).abs() < 5.0 * se,
        "mean {mean} expected {expected}"
    );
}

#[test]
fn path_of_three_gives_the_exact_expectation() {
    // 0 -> 1 -> 2 with p: E[shared] = 1 + p + p^2, step by step.
    let g = path(3);
    let p = 0.5;
    let runs = 40_000u32;
    let o = run(&g, p, &[0], runs, 5, 2);
    let m = o.metric_index(Metric::Shared).unwrap();
    let at = |t: usize| (0..runs).map(|r| o.curve(r, m)[t] as f64).sum::<f64>() / runs as f64;
    // Variance of shared at step 2 is Var(B1 + B1 B2) with p = 1/2: 11/16.
    let se = (11.0f64 / 16.0 / runs as f64).sqrt();
    assert_eq!(at(0), 1.0);
    assert!((at(1) - 1.5).abs() < 5.0 * se);
    assert!((at(2) - 1.75).abs() < 5.0 * se);
    assert_eq!(at(2), at(5));
}

#[test]
fn results_do_not_depend_on_thread_count() {
    let g = random_digraph(5000, 5, 17);
    let seeds = [1, 2, 3, 4, 5];
    assert_same_on_threads(&[1, 3], || run(&g, 0.3, &seeds, 300, 20, 5));
}

#[test]
fn common_random_numbers_couple_strategies() {
    // With the same live arcs, a seed set's sharers contain those of any of
    // its subsets, run by run.
    let g = random_digraph(3000, 3, 23);
    let small = run(&g, 0.4, &[5], 200, 50, 8);
    let large = run(&g, 0.4, &[5, 900], 200, 50, 8);
    for r in 0..200 {
        assert!(final_of(&large, Metric::Shared, r) >= final_of(&small, Metric::Shared, r));
        assert!(final_of(&large, Metric::Reached, r) >= final_of(&small, Metric::Reached, r));
    }
}
