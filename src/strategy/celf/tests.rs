use std::path::Path;

use super::*;
use crate::graph::costs::Costs;
use crate::model::{IndependentCascade, LinearThreshold};
use crate::scenario::{self, Scenario};

fn scenario(stickiness: f64, count: u32, runs: u32) -> Scenario {
    scenario_with_model(stickiness, count, runs, "independent-cascade")
}

fn scenario_with_model(stickiness: f64, count: u32, runs: u32, model: &str) -> Scenario {
    let text = format!(
        "version = 1\n[graph]\ngenerator = \"erdos-renyi\"\nnodes = 10\nmean_degree = 2\n\
         [content]\nstickiness = {stickiness}\n[simulation]\nmodel = \"{model}\"\nsteps = 100\nseed = 7\n\
         [[strategy]]\nkind = \"celf\"\ncount = {count}\nruns = {runs}\n"
    );
    scenario::parse(Path::new("t.toml"), &text).unwrap()
}

fn celf(g: &Graph, s: &Scenario) -> Result<Vec<Node>, StrategyError> {
    let (setting, costs) = (s.setting(g), crate::graph::costs::Costs::uniform(g.nodes()));
    let ctx = crate::strategy::test_context(g, &setting, &costs);
    match s.strategies[0].strategy.choose(&ctx)? {
        Seeds::Fixed(v) => Ok(v),
        Seeds::PerRun(_) => panic!("celf chooses one fixed set"),
    }
}

fn karate() -> Graph {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/karate.txt");
    crate::graph::edgelist::read(Path::new(path), false)
        .unwrap()
        .0
}

/// Reach of every run from `set`, under a model seed of its own.
fn reach_per_run<M: SpreadModel>(model: &M, set: &[Node], runs: u32) -> Vec<f64> {
    let o = engine::simulate(
        model,
        &Seeds::Fixed(set.to_vec()),
        Acceptance::ALL,
        runs,
        100,
        &|_| {},
    );
    o.finals(o.metric_index(Metric::Reached).unwrap())
}

#[test]
fn picks_hubs_whose_audiences_do_not_overlap() {
    // Hub 20 has leaves 0..=9; hub 21 has leaves 0..=8, nearly the same
    // audience; hub 22 has six leaves 10..=15 of its own; 16-17-18 is a
    // path. At stickiness 0.1, reach({20}) = 11 + P(one of the shared
    // leaves passes it on to 21) = 11 + (1 - 0.9^9) = 11.6, and
    // reach({21}) is about 10.7. Given 20, adding 21 gains 0.4 people, 22
    // gains 7, and then 17 gains 3 (16 only 2.1). Top-degree would take
    // 20, 21, 22.
    let mut edges: Vec<(Node, Node)> = (0..10).map(|v| (v, 20)).collect();
    edges.extend((0..9).map(|v| (v, 21)));
    edges.extend((10..16).map(|v| (v, 22)));
    edges.extend([(16, 17), (17, 18)]);
    let g = Graph::from_undirected(23, &edges);
    let s = scenario(0.1, 3, 500);
    assert_eq!(celf(&g, &s).unwrap(), vec![20, 22, 17]);
}

#[test]
fn karate_pair_is_as_good_as_the_best_pair() {
    let g = karate();
    let model = IndependentCascade::new(&g, 0.15, 100, rng::key(&[99, 1]));
    check_karate_pair(&scenario(0.15, 2, 500), &model);
}

#[test]
fn karate_pair_is_as_good_as_the_best_pair_under_linear_threshold() {
    // At stickiness 0.6 a person needs a fair share of their friends
    // sharing; celf must simulate that model, not the cascade.
    let g = karate();
    let s = scenario_with_model(0.6, 2, 500, "linear-threshold");
    check_karate_pair(&s, &LinearThreshold::new(&g, 0.6, 100, rng::key(&[99, 1])));
}

#[test]
fn simulates_the_scenario_model() {
    // The cascade's best seed is the hub (41 reached), the linear
    // threshold's is 14 (25 against the hub's 18.5).
    let g = crate::strategy::hub_or_only_friend();
    let cascade = scenario_with_model(1.0, 1, 500, "independent-cascade");
    assert_ne!(celf(&g, &cascade).unwrap(), vec![14]);
    let threshold = scenario_with_model(1.0, 1, 500, "linear-threshold");
    assert_eq!(celf(&g, &threshold).unwrap(), vec![14]);
}

/// Every pair's reach is estimated from R = 2000 runs of `model`, seeded
/// independently of celf's own estimates, with common random numbers
/// across pairs. For celf's pair C and the pair B with the highest
/// estimate, d_r = reach_r(B) - reach_r(C) is i.i.d. over runs, and
/// mean(d) / (sd(d) / sqrt R) is close to N(mu, 1) with mu <= 0 if C is
/// optimal. B is picked by the same estimates (winner's curse), but
/// that ratio is at most the largest over all 561 pairs, which exceeds
/// 5 with probability at most 561 x P(Z > 5) = 561 x 2.9e-7 < 2e-4.
fn check_karate_pair<M: SpreadModel>(s: &Scenario, model: &M) {
    let g = karate();
    let chosen = celf(&g, s).unwrap();
    assert_eq!(chosen.len(), 2);
    let runs = 2000u32;
    let mut best: Option<(f64, Vec<f64>, [Node; 2])> = None;
    for a in 0..g.nodes() {
        for b in a + 1..g.nodes() {
            let r = reach_per_run(model, &[a, b], runs);
            let mean = r.iter().sum::<f64>() / runs as f64;
            if best.as_ref().is_none_or(|(m, _, _)| mean > *m) {
                best = Some((mean, r, [a, b]));
            }
        }
    }
    let (best_mean, best_runs, best_pair) = best.unwrap();
    let ours = reach_per_run(model, &chosen, runs);
    let d: Vec<f64> = best_runs.iter().zip(&ours).map(|(b, c)| b - c).collect();
    let mean = d.iter().sum::<f64>() / runs as f64;
    let var = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (runs - 1) as f64;
    let se = (var / runs as f64).sqrt();
    assert!(
        mean <= 5.0 * se,
        "celf {chosen:?} is {mean:.3} (se {se:.3}) below best pair {best_pair:?} ({best_mean:.2})"
    );
}

#[test]
fn refuses_graphs_too_large_for_the_first_round() {
    // A star of 400,000 followers at stickiness 1: the pilot cascade
    // from the hub visits all 400,000 arcs, so 400,001 people x 100
    // runs x 400,000 arcs is far beyond the limit.
    let n = 400_001u32;
    let g = Graph::from_arcs(n, (1..n).map(|v| (0, v)).collect());
    let s = scenario(1.0, 2, 100);
    let err = celf(&g, &s).unwrap_err().to_string();
    assert!(
        err.contains("400001 people x 100 runs = 40000100 cascades"),
        "{err}"
    );
    assert!(err.contains("kind = \"imm\""), "{err}");
    // Per run: 1e6 people x 1,000 arcs -> 1e9 visits; 5 runs fit.
    let check = |nodes, runs, per_cascade| {
        check_first_round(nodes, runs, per_cascade, MAX_FIRST_ROUND_WORK)
    };
    let err = check(1_000_000, 100, 900.0).unwrap_err();
    assert!(!err.contains("lower runs"), "fewer than 10 runs fit: {err}");
    assert!(check(1_000_000, 5, 900.0).is_ok());
    let err = check(100_000, 100, 900.0).unwrap_err();
    assert!(err.contains("lower runs to at most 50"), "{err}");
    // No runs count would do: only imm is suggested.
    let err = check(2_000_000, 10, 10_000.0).unwrap_err();
    assert!(err.contains("imm") && !err.contains("lower runs"), "{err}");
}

#[test]
fn stops_when_the_measured_work_outgrows_a_fooled_pilot() {
    // Person 0 has followers 1..=10; 11 -> 12 -> ... -> 2011 is a
    // chain. At stickiness 1 the pilot from the best-followed person
    // sees a cascade of 11 sharers, about 520 arc visits a run with
    // the curves of 2000 steps: 2012 people x 10 runs x 520 = 1.05e7,
    // within a budget of 2e7. But a cascade from a link of the chain
    // runs to its end (up to 2000 steps), about 2500 visits a run on
    // average over the chain: 5e7 in all, which the pace measured on
    // the first links projects long before the round is through.
    let mut arcs: Vec<(Node, Node)> = (1..=10).map(|v| (0, v)).collect();
    arcs.extend((11..2011).map(|v| (v, v + 1)));
    let g = Graph::from_arcs(2012, arcs);
    let text = "version = 1\n[graph]\ngenerator = \"erdos-renyi\"\nnodes = 10\nmean_degree = 2\n\
                [content]\nstickiness = 1\n[simulation]\nsteps = 2000\nseed = 7\n\
                [[strategy]]\nkind = \"celf\"\ncount = 2\nruns = 10\n";
    let s = scenario::parse(Path::new("t.toml"), text).unwrap();
    let ctx = Context {
        graph: &g,
        costs: &Costs::uniform(g.nodes()),
        name: "celf",
        setting: &s.setting(&g),
        segments: None,
        allowed: None,
        memory: crate::resources::Memory::UNLIMITED,
        progress: &crate::strategy::Unwatched,
        rival: None,
    };
    let model = IndependentCascade::new(&g, 1.0, 2000, 7);
    let celf = Celf {
        limit: Limit::Count(2),
        runs: 10,
        goal: None,
    };
    let Err(err) = celf.greedy_within(&ctx, &model, Goal::Reached, 2e7) else {
        panic!("the measured work should stop celf")
    };
    let err = err.to_string();
    assert!(
        err.contains("celf's first round, measured on its first"),
        "{err}"
    );
    assert!(err.contains("kind = \"imm\""), "{err}");
    // The first links alone told: far fewer than all 2012 were tried.
    let tried: u64 = err
        .split("measured on its first ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(tried < 100, "{tried} people simulated before stopping");
    // Within the usual budget it chooses, the head of the chain first.
    let Seeds::Fixed(seeds) = celf
        .greedy_within(&ctx, &model, Goal::Reached, MAX_FIRST_ROUND_WORK)
        .unwrap()
    else {
        panic!("celf chooses one fixed set")
    };
    assert_eq!(seeds[0], 11);
}

#[test]
fn later_rounds_are_bounded_too() {
    let pace = |evaluated, work| Pace {
        evaluated,
        work,
        candidates: 100,
        runs: 10,
    };
    // A first round on pace for 2e9 of a 5e9 budget goes on.
    assert!(pace(10, 2e8).check(5e9).is_ok());
    // On pace for 2e10: stopped.
    assert!(pace(10, 2e9).check(5e9).is_err());
    // Too early to tell: one costly cascade does not condemn the round.
    assert!(pace(1, 4e7).check(5e9).is_ok());
    // Later rounds get as much again, then stop.
    assert!(pace(150, 9e9).check(5e9).is_ok());
    let err = pace(150, 1.1e10).check(5e9).unwrap_err();
    assert!(err.contains("rounds after the first"), "{err}");
}

#[test]
fn refuses_estimates_too_large_to_hold() {
    let g = Graph::from_undirected(3, &[(0, 1), (1, 2)]);
    let text = "version = 1\n[graph]\ngenerator = \"erdos-renyi\"\nnodes = 10\nmean_degree = 2\n\
                [content]\nstickiness = 0.1\n[simulation]\nsteps = 1000\n\
                [[strategy]]\nkind = \"celf\"\ncount = 1\nruns = 1000000\n";
    let s = scenario::parse(Path::new("t.toml"), text).unwrap();
    let err = celf(&g, &s).unwrap_err().to_string();
    assert!(err.contains("lower runs or [simulation] steps"), "{err}");
}

#[test]
fn lazy_evaluation_picks_what_plain_greedy_picks() {
    // A coverage function (each person covers a fixed set of items) is
    // submodular, as the per-run reach is; lazy and plain greedy must
    // agree, ties included, while lazy evaluates far fewer sets.
    let n = 40u32;
    let g = Graph::from_arcs(n, vec![]);
    let covers: Vec<Vec<u32>> = (0..n)
        .map(|v| {
            let mut s = rng::stream(rng::key(&[3, v as u64]));
            let k = rand::Rng::random_range(&mut s, 1..12);
            (0..k)
                .map(|_| rand::Rng::random_range(&mut s, 0..60))
                .collect()
        })
        .collect();
    let value = |set: &[Node]| {
        let mut items: Vec<u32> = set
            .iter()
            .flat_map(|&v| covers[v as usize].clone())
            .collect();
        items.sort_unstable();
        items.dedup();
        items.len() as u64
    };
    let calls = std::cell::Cell::new(0);
    let singles: Vec<u64> = (0..n).map(|v| value(&[v])).collect();
    let costs = Costs::uniform(n);
    let (lazy, total) = lazy_greedy(
        &g,
        Purse::new(&costs, Limit::Count(8)),
        false,
        &singles,
        |set| {
            calls.set(calls.get() + 1);
            Ok::<_, ()>(value(set))
        },
    )
    .unwrap();
    let mut plain: Vec<Node> = Vec::new();
    for _ in 0..8 {
        let best = (0..n)
            .filter(|v| !plain.contains(v))
            .max_by_key(|&v| {
                let mut with = plain.clone();
                with.push(v);
                (value(&with), Reverse(v))
            })
            .unwrap();
        plain.push(best);
    }
    assert_eq!(lazy, plain);
    assert_eq!(total, value(&plain));
    let calls = calls.get();
    assert!(calls < n as usize * 8 / 2, "{calls} evaluations");
}

#[test]
fn same_seeds_on_one_or_three_threads() {
    let g = karate();
    let s = scenario(0.2, 4, 300);
    let on = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| celf(&g, &s).unwrap())
    };
    let one = on(1);
    assert_eq!(one.len(), 4);
    assert_eq!(one, on(3));
}

/// celf aiming at sharers: a hub (0) whose 8 followers follow nobody, and
/// a clique of 7 (10 to 16) at stickiness 0.6. From the hub 9 people are
/// reached and 1 + 8 x 0.6 = 5.8 share; from a clique member 7 are reached
/// and nearly all of them share.
fn hub_and_clique() -> (Graph, Scenario) {
    let mut arcs: Vec<(Node, Node)> = (1..=8).map(|v| (0, v)).collect();
    for a in 10..17 {
        arcs.extend((10..17).filter(|&b| b != a).map(|b| (a, b)));
    }
    let g = Graph::from_arcs(17, arcs);
    let text = "version = 1\n[graph]\ngenerator = \"erdos-renyi\"\nnodes = 17\nmean_degree = 2\n\
                [content]\nstickiness = 0.6\n[simulation]\nsteps = 20\nseed = 7\n\
                [[strategy]]\nkind = \"celf\"\ncount = 2\nruns = 400\ngoal = \"shared\"\n";
    (g, scenario::parse(Path::new("t.toml"), text).unwrap())
}

#[test]
fn aiming_at_sharers_matches_brute_force() {
    let (g, s) = hub_and_clique();
    let chosen = celf(&g, &s).unwrap();
    // Every pair's sharers over the same runs celf estimates with.
    let spread = SpreadSpec {
        seed: rng::key(&[s.spread().seed, Purpose::Selection as u64]),
        ..s.spread()
    };
    let model = Model::new(&spread, &g, Tally::default(), None);
    let value = |set: &[Node]| {
        total_reach(
            &model,
            Acceptance::ALL,
            set,
            400,
            20,
            1.0,
            0.0,
            Goal::Shared,
        )
        .0
    };
    let mut best = (i64::MIN, vec![]);
    for a in 0..17 {
        for b in a + 1..17 {
            let v = value(&[a, b]);
            if v > best.0 {
                best = (v, vec![a, b]);
            }
        }
    }
    let mut sorted = chosen.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, best.1, "celf {chosen:?}, brute force {best:?}");
    assert_eq!(value(&chosen), best.0);
    // Aiming at reach, the hub comes first.
    let reach = scenario::parse(
        Path::new("t.toml"),
        &s.text.replace("goal = \"shared\"", "goal = \"reached\""),
    )
    .unwrap();
    assert_eq!(celf(&g, &reach).unwrap()[0], 0);
    assert_ne!(chosen[0], 0);
}
