//! Novelty decay: stickiness x 0.5^(t / half_life) for content shared at
//! step t, checked against exact results through the real engine.

mod common;

use common::{final_of, path, random_edges, run_model, uniform_trust};
use viralsim::graph::{Graph, Node};
use viralsim::model::{IndependentCascade, Metric};

/// An undirected random graph of `n` people with `m` edges, trust drawn
/// uniformly on [0.2, 1] when `varied` (else 1).
fn graph(n: u32, m: u32, varied: bool) -> Graph {
    let mut g = Graph::from_undirected(n, &random_edges(n, m, 77));
    if varied {
        uniform_trust(&mut g, 0.2, 1.0, 5);
    }
    g
}

#[test]
fn an_endless_half_life_is_no_decay() {
    for varied in [false, true] {
        let g = graph(300, 900, varied);
        let plain = IndependentCascade::new(&g, 0.3, 20, 9);
        let endless = IndependentCascade::new(&g, 0.3, 20, 9).with_half_life(1e300);
        let seeds = [0, 1, 2];
        assert_eq!(
            run_model(&plain, &seeds, 300, 20),
            run_model(&endless, &seeds, 300, 20),
            "varied trust: {varied}"
        );
    }
}

#[test]
fn a_vanishing_half_life_lets_only_the_seeds_followers_share() {
    // Content shared at step 0 spreads at full stickiness, content shared
    // later at 0.5^(t / 1e-6) = 0: the sharers are the seeds plus each
    // follower v of a seed with probability 1 - prod over seeds s it follows
    // of (1 - stickiness x trust(s -> v)), independently.
    let stickiness = 0.6;
    for varied in [false, true] {
        let g = graph(200, 600, varied);
        let seeds: Vec<Node> = vec![0, 5, 9];
        let mut fail = vec![1.0f64; g.nodes() as usize];
        for &s in &seeds {
            for arc in g.arc_range(s) {
                let v = g.targets()[arc] as usize;
                fail[v] *= 1.0 - stickiness * g.trust()[arc] as f64;
            }
        }
        let (mut mean, mut var) = (seeds.len() as f64, 0.0);
        for (v, &f) in fail.iter().enumerate() {
            if !seeds.contains(&(v as Node)) {
                mean += 1.0 - f;
                var += f * (1.0 - f);
            }
        }
        let runs = 20_000u32;
        let model = IndependentCascade::new(&g, stickiness, 10, 3).with_half_life(1e-6);
        let o = run_model(&model, &seeds, runs, 10);
        let m = o.metric_index(Metric::Shared).unwrap();
        let shared = o.finals(m);
        let got = shared.iter().sum::<f64>() / runs as f64;
        let se = (var / runs as f64).sqrt();
        assert!(
            (got - mean).abs() < 5.0 * se,
            "varied {varied}: {got} vs {mean} (se {se})"
        );
        // Nobody shares after step 1.
        for r in 0..runs {
            let curve = o.curve(r, m);
            assert!(curve[1..].iter().all(|&c| c == curve[1]));
        }
    }
}

#[test]
fn each_step_of_age_scales_stickiness_by_the_half_life() {
    // Chain 0 -> 1 -> 2 -> 3 (one-way follows), trust 1, stickiness s,
    // half-life h: 1 shares w.p. s (content of age 0), 2 w.p. s x s 0.5^(1/h),
    // 3 w.p. that x s 0.5^(2/h).
    let g = path(4);
    let (s, h) = (0.9, 2.0);
    let p1 = s;
    let p2 = p1 * s * 0.5f64.powf(1.0 / h);
    let p3 = p2 * s * 0.5f64.powf(2.0 / h);
    let runs = 40_000u32;
    let model = IndependentCascade::new(&g, s, 5, 8).with_half_life(h);
    let o = run_model(&model, &[0], runs, 5);
    // Shared at the end is 1 + (1 shared) + (2 shared) + (3 shared).
    let mut reached_depth = [0u32; 4];
    for r in 0..runs {
        reached_depth[(final_of(&o, Metric::Shared, r) - 1) as usize] += 1;
    }
    let at_least = |k: usize| reached_depth[k..].iter().sum::<u32>() as f64 / runs as f64;
    for (k, p) in [(1, p1), (2, p2), (3, p3)] {
        let se = (p * (1.0 - p) / runs as f64).sqrt();
        assert!(
            (at_least(k) - p).abs() < 5.0 * se,
            "depth {k}: {} vs {p}",
            at_least(k)
        );
    }
}
