//! Exact checks of the linear threshold model, run through the real engine.
//! The reference is Kempe, Kleinberg & Tardos' live-edge view, enumerated
//! here independently of the model: every person keeps at most one arc into
//! them live, arc u -> v with probability stickiness x trust(u -> v) / W(v)
//! (W(v): the total trust into v), and the sharers by step t are the people
//! within t live arcs of a seed.

mod common;

use std::collections::BTreeMap;

use common::{assert_same_on_threads, final_of, random_digraph, run_model, uniform_trust};
use viralsim::engine::Outcome;
use viralsim::graph::{Graph, Node};
use viralsim::model::{IndependentCascade, LinearThreshold, Metric};

fn run(
    graph: &Graph,
    stickiness: f64,
    seeds: &[Node],
    runs: u32,
    steps: u32,
    seed: u64,
) -> Outcome {
    let model = LinearThreshold::new(graph, stickiness, steps, seed);
    run_model(&model, seeds, runs, steps)
}

/// A run's whole record: the reached curve, then the shared curve.
fn record(o: &Outcome, run: u32) -> Vec<u32> {
    let reached = o.curve(run, o.metric_index(Metric::Reached).unwrap());
    let shared = o.curve(run, o.metric_index(Metric::Shared).unwrap());
    reached.iter().chain(&shared).copied().collect()
}

/// The exact distribution of a run's record (reached then shared, per step
/// 0..=steps), by enumerating every choice of live arcs.
fn exact_records(
    graph: &Graph,
    stickiness: f64,
    seeds: &[Node],
    steps: u32,
) -> BTreeMap<Vec<u32>, f64> {
    let n = graph.nodes() as usize;
    // In-arcs of each person: (source, trust).
    let mut into: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    for u in 0..graph.nodes() {
        for arc in graph.arc_range(u) {
            let v = graph.targets()[arc] as usize;
            into[v].push((u as usize, graph.trust()[arc] as f64));
        }
    }
    // Each person's options: (the person whose arc is live, or None;
    // probability). Seeds share whatever they pick: one option.
    let options: Vec<Vec<(Option<usize>, f64)>> = (0..n)
        .map(|v| {
            let total: f64 = into[v].iter().map(|&(_, t)| t).sum();
            if seeds.contains(&(v as Node)) || total == 0.0 {
                return vec![(None, 1.0)];
            }
            let mut o: Vec<(Option<usize>, f64)> = into[v]
                .iter()
                .map(|&(u, t)| (Some(u), stickiness * t / total))
                .collect();
            o.push((None, 1.0 - stickiness));
            o
        })
        .collect();
    let mut dist = BTreeMap::new();
    let mut choice = vec![0usize; n];
    loop {
        let probability: f64 = (0..n).map(|v| options[v][choice[v]].1).product();
        if probability > 0.0 {
            // Step at which each person shares: live-arc distance from the
            // seeds (each person has at most one live arc in, so follow it
            // back until a seed, a dead end or a cycle).
            let share_step: Vec<Option<u32>> = (0..n)
                .map(|v| {
                    let mut at = v;
                    for d in 0..=n as u32 {
                        if seeds.contains(&(at as Node)) {
                            return Some(d);
                        }
                        match options[at][choice[at]].0 {
                            Some(u) => at = u,
                            None => return None,
                        }
                    }
                    None
                })
                .collect();
            let mut rec = Vec::with_capacity(2 * (steps as usize + 1));
            for t in 0..=steps {
                // Reached by step t: a seed, or a follower of someone who
                // shared by step t - 1.
                let reached = (0..n)
                    .filter(|&v| {
                        share_step[v] == Some(0)
                            || into[v]
                                .iter()
                                .any(|&(u, _)| share_step[u].is_some_and(|s| s < t))
                    })
                    .count();
                rec.push(reached as u32);
            }
            for t in 0..=steps {
                let shared = share_step
                    .iter()
                    .filter(|s| s.is_some_and(|s| s <= t))
                    .count();
                rec.push(shared as u32);
            }
            *dist.entry(rec).or_insert(0.0) += probability;
        }
        // Next choice, odometer style.
        let mut v = 0;
        loop {
            if v == n {
                return dist;
            }
            choice[v] += 1;
            if choice[v] < options[v].len() {
                break;
            }
            choice[v] = 0;
            v += 1;
        }
    }
}

/// Compare the frequency of every record over the runs with its exact
/// probability: within 5 binomial standard deviations, sqrt(p (1 - p) /
/// runs); a record of probability 0 must never occur.
fn assert_matches(o: &Outcome, exact: &BTreeMap<Vec<u32>, f64>) {
    let total: f64 = exact.values().sum();
    assert!((total - 1.0).abs() < 1e-12, "probabilities sum to {total}");
    let mut seen: BTreeMap<Vec<u32>, u64> = BTreeMap::new();
    for r in 0..o.runs {
        *seen.entry(record(o, r)).or_insert(0) += 1;
    }
    for rec in seen.keys() {
        assert!(
            exact.contains_key(rec),
            "impossible record {rec:?} occurred"
        );
    }
    let runs = o.runs as f64;
    for (rec, &p) in exact {
        let freq = seen.get(rec).copied().unwrap_or(0) as f64 / runs;
        let sd = (p * (1.0 - p) / runs).sqrt();
        assert!(
            (freq - p).abs() <= 5.0 * sd,
            "record {rec:?}: frequency {freq} vs exact {p} (5 sd = {})",
            5.0 * sd
        );
    }
}

#[test]
fn records_on_a_small_dag_have_their_exact_probabilities() {
    // 0 is the seed. 2 follows 0 (trust 0.9) and 1 (0.3, never shares); 3
    // follows 2 (0.8) and 5 (0.2, never shares); 4 follows 2 (0.5) and 3
    // (0.25), so may share at step 2 or, pushed over by 3, at step 3; 6
    // follows 0 with trust 0 and is never influenced; 7 follows 4.
    let arcs = vec![
        (0, 2),
        (0, 6),
        (1, 2),
        (2, 3),
        (2, 4),
        (3, 4),
        (4, 7),
        (5, 3),
    ];
    let mut g = Graph::from_arcs(8, arcs);
    g.set_trust(vec![0.9, 0.0, 0.3, 0.8, 0.5, 0.25, 0.6, 0.2]);
    let (stickiness, steps) = (0.7, 6);
    let exact = exact_records(&g, stickiness, &[0], steps);
    assert!(
        exact.len() >= 5,
        "the test graph should have several outcomes"
    );
    let o = run(&g, stickiness, &[0], 200_000, steps, 3);
    assert_matches(&o, &exact);
}

#[test]
fn records_on_a_graph_with_cycles_have_their_exact_probabilities() {
    // Mutual follows around two cycles, trust drawn per arc, two seeds.
    let edges = [
        (0, 1),
        (1, 2),
        (2, 3),
        (3, 0),
        (1, 3),
        (3, 4),
        (4, 5),
        (2, 5),
    ];
    let mut g = Graph::from_undirected(6, &edges);
    uniform_trust(&mut g, 0.1, 1.0, 4);
    assert!(g.trust().to_vec().windows(2).any(|w| w[0] != w[1]));
    for (stickiness, seeds, steps) in [(0.8, vec![0, 5], 5), (1.0, vec![1], 2)] {
        let exact = exact_records(&g, stickiness, &seeds, steps);
        let o = run(&g, stickiness, &seeds, 200_000, steps, 8);
        assert_matches(&o, &exact);
    }
}

#[test]
fn one_friend_of_two_is_a_coin_flip_at_full_stickiness() {
    // 2 follows 0 and 1 with equal trust: b = 1/2 each. With only 0 seeded,
    // 2 shares when theta_2 <= 1/2: probability exactly 1/2, where the
    // independent cascade at the same stickiness and trust always passes it on.
    let g = Graph::from_arcs(3, vec![(0, 2), (1, 2)]);
    let runs = 40_000u32;
    let o = run(&g, 1.0, &[0], runs, 3, 5);
    let shares = (0..runs)
        .filter(|&r| final_of(&o, Metric::Shared, r) == 2)
        .count() as f64;
    let se = (0.25 / runs as f64).sqrt();
    assert!(
        (shares / runs as f64 - 0.5).abs() <= 5.0 * se,
        "{shares} of {runs}"
    );
    let both = run(&g, 1.0, &[0, 1], 1000, 3, 5);
    assert!((0..1000).all(|r| final_of(&both, Metric::Shared, r) == 3));
    let cascade = IndependentCascade::new(&g, 1.0, 3, 5);
    let ic = run_model(&cascade, &[0], 1000, 3);
    assert!((0..1000).all(|r| final_of(&ic, Metric::Shared, r) == 2));
}

#[test]
fn the_chance_grows_with_the_share_of_friends_who_shared() {
    // 4 follows 0, 1, 2 and 3 with equal trust. With k of them seeded, 4
    // shares with probability stickiness x k / 4.
    let g = Graph::from_arcs(5, (0..4).map(|u| (u, 4)).collect());
    let runs = 40_000u32;
    for stickiness in [1.0, 0.5] {
        for k in 1..=4u32 {
            let seeds: Vec<Node> = (0..k).collect();
            let o = run(&g, stickiness, &seeds, runs, 2, 6);
            let shares = (0..runs)
                .filter(|&r| final_of(&o, Metric::Shared, r) == k + 1)
                .count() as f64;
            let p = stickiness * k as f64 / 4.0;
            let se = (p * (1.0 - p) / runs as f64).sqrt();
            assert!(
                (shares / runs as f64 - p).abs() <= 5.0 * se,
                "stickiness {stickiness}, {k} of 4 seeded: {shares} of {runs}, expected p = {p}"
            );
        }
    }
}

/// A random directed graph with `n` people and about `n * d` arcs, with
/// trust uniform on [0.2, 1].
fn trusted_digraph(n: u32, d: u32, seed: u64) -> Graph {
    let mut g = random_digraph(n, d, seed);
    uniform_trust(&mut g, 0.2, 1.0, seed);
    g
}

#[test]
fn results_do_not_depend_on_thread_count() {
    let g = trusted_digraph(5000, 6, 17);
    let seeds: Vec<Node> = (0..50).collect();
    let one = assert_same_on_threads(&[1, 2, 2], || run(&g, 0.9, &seeds, 300, 20, 5));
    assert!(
        (0..300).any(|r| final_of(&one, Metric::Shared, r) > 100),
        "the test graph should spread"
    );
    assert_ne!(one, run(&g, 0.9, &seeds, 300, 20, 6));
}

#[test]
fn common_random_numbers_couple_seed_sets() {
    // Same thresholds in run r for every seed set, and influence only grows
    // with more sharers: a seed set's sharers contain those of its subsets.
    let g = trusted_digraph(3000, 4, 23);
    let small = run(&g, 0.8, &[5, 6, 7], 200, 50, 8);
    let large = run(&g, 0.8, &[5, 6, 7, 900, 901], 200, 50, 8);
    for r in 0..200 {
        assert!(final_of(&large, Metric::Shared, r) >= final_of(&small, Metric::Shared, r));
        assert!(final_of(&large, Metric::Reached, r) >= final_of(&small, Metric::Reached, r));
    }
}
