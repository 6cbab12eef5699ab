//! Budgets, costs and acceptance through the whole pipeline: no strategy
//! ever spends more than its budget, greedy spending leaves nothing
//! affordable on the table, and invited people decline at the scenario's
//! rate, on common random numbers.

mod common;

use common::{prepare, simulate};
use viralsim::graph::Node;
use viralsim::model::Metric;
use viralsim::model::SeedScratch;
use viralsim::model::Seeds;
use viralsim::pipeline::{self, Prepared};
use viralsim::scenario::Limit;

/// Every strategy kind that takes a limit, on a 400-person preferential
/// attachment graph where cost grows faster than followers.
fn all_kinds(limit: &str) -> Prepared {
    let mut text = String::from(
        r#"version = 1
name = "budgets"
[graph]
generator = "barabasi-albert"
nodes = 400
edges_per_node = 3
seed = 5
[content]
stickiness = 0.05
[costs]
base = 20
per_follower = 4
exponent = 1.3
[simulation]
runs = 50
steps = 20
"#,
    );
    for kind in [
        "random",
        "top-degree",
        "degree-discount",
        "pagerank",
        "coreness",
        "community-spread",
        "celf",
        "imm",
    ] {
        text.push_str(&format!("[[strategy]]\nkind = \"{kind}\"\n{limit}\n"));
        if kind == "celf" {
            text.push_str("runs = 20\n");
        }
    }
    prepare(&text)
}

/// Check one seed set against the budget: distinct people, total within
/// it, and (for strategies that spend greedily by a score) nobody left out
/// whom the money left would still pay for.
fn check_set(p: &Prepared, name: &str, seeds: &[Node], budget: f64, spends_all: bool) {
    let mut sorted = seeds.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), seeds.len(), "{name}: a person seeded twice");
    assert!(!seeds.is_empty(), "{name}: nobody seeded");
    let total = p.costs.total(seeds);
    assert!(total <= budget, "{name}: spent {total} of {budget}");
    if spends_all {
        let left = budget - total;
        let affordable = (0..p.graph.nodes())
            .filter(|v| sorted.binary_search(v).is_err())
            .find(|&v| p.costs.of(v) <= left);
        assert!(
            affordable.is_none(),
            "{name}: {left} left unspent would pay for person {affordable:?}"
        );
    }
}

#[test]
fn no_strategy_spends_more_than_its_budget() {
    for budget in [60.0, 333.3, 1234.5, 9000.0] {
        let p = all_kinds(&format!("budget = {budget}"));
        for (spec, seeds) in p.scenario.strategies.iter().zip(&p.seeds) {
            assert_eq!(spec.limit(), Some(Limit::Budget(budget)));
            let name = format!("{} at budget {budget}", spec.name);
            // The simulation-based strategies stop once nobody adds reach.
            let spends_all = !matches!(spec.name.as_str(), "celf" | "imm");
            match seeds {
                Seeds::Fixed(s) => check_set(&p, &name, s, budget, spends_all),
                Seeds::PerRun(rule) => {
                    let mut scratch = SeedScratch::default();
                    let mut drawn = Vec::new();
                    for run in 0..300 {
                        rule.draw(run, &mut scratch, &mut drawn);
                        check_set(&p, &format!("{name}, run {run}"), &drawn, budget, true);
                    }
                }
            }
        }
    }
}

#[test]
fn a_count_seeds_exactly_that_many() {
    let p = all_kinds("count = 7");
    for (spec, seeds) in p.scenario.strategies.iter().zip(&p.seeds) {
        match seeds {
            Seeds::Fixed(s) => assert_eq!(s.len(), 7, "{}", spec.name),
            Seeds::PerRun(rule) => {
                let mut drawn = Vec::new();
                rule.draw(3, &mut SeedScratch::default(), &mut drawn);
                assert_eq!(drawn.len(), 7, "{}", spec.name);
            }
        }
    }
}

#[test]
fn random_within_a_budget_is_uniform_over_affordable_people() {
    // Everyone costs the same: a budget of 7.5 units buys 7 people, each
    // person with probability 7/400 per run.
    let text = r#"version = 1
[graph]
generator = "erdos-renyi"
nodes = 400
mean_degree = 3
[content]
stickiness = 0.1
[costs]
base = 10
[[strategy]]
kind = "random"
budget = 75
"#;
    let p = prepare(text);
    let Seeds::PerRun(rule) = &p.seeds[0] else {
        panic!("random draws per run")
    };
    let runs = 20_000u64;
    let mut hits = vec![0u32; 400];
    let mut scratch = SeedScratch::default();
    let mut drawn = Vec::new();
    for run in 0..runs {
        rule.draw(run, &mut scratch, &mut drawn);
        assert_eq!(drawn.len(), 7);
        for &v in &drawn {
            hits[v as usize] += 1;
        }
    }
    let q = 7.0 / 400.0;
    let sd = (runs as f64 * q * (1.0 - q)).sqrt();
    let worst = hits
        .iter()
        .map(|&h| (h as f64 - runs as f64 * q).abs() / sd)
        .fold(0.0, f64::max);
    // The largest of 400 near-normal deviations exceeds 4.5 sd with
    // probability below 400 x 6.8e-6 = 0.003.
    assert!(worst < 4.5, "{worst} sd");
}

/// Ten people 10 apart on a ring where everyone follows their two
/// neighbours; at stickiness 0 a seed who posts reaches exactly three
/// people (themselves and their two followers), and no two seeds share one.
fn ring(acceptance: f64, runs: u32) -> pipeline::Results {
    let text = format!(
        r#"version = 1
[graph]
generator = "watts-strogatz"
nodes = 100
neighbors = 2
rewire = 0
[content]
stickiness = 0
[costs]
acceptance = {acceptance}
[simulation]
runs = {runs}
steps = 3
seed = 4
[[strategy]]
name = "ten"
kind = "explicit"
nodes = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90]
[[strategy]]
name = "five of them"
kind = "explicit"
nodes = [0, 10, 20, 30, 40]
"#
    );
    simulate(&text)
}

#[test]
fn invited_people_post_at_the_acceptance_rate() {
    let (a, runs) = (0.3, 20_000u32);
    let results = ring(a, runs);
    let reached = |i: usize| {
        results.strategies[i]
            .stats
            .final_values_of(Metric::Reached)
            .unwrap()
            .to_vec()
    };
    let (ten, five) = (reached(0), reached(1));
    // Reached = 3 x Binomial(10, a): mean 30 a, variance 90 a (1 - a).
    let mean = ten.iter().sum::<f64>() / runs as f64;
    let se = (90.0 * a * (1.0 - a) / runs as f64).sqrt();
    assert!((mean - 30.0 * a).abs() < 5.0 * se, "mean {mean}");
    // Common random numbers: in each run the five decline exactly as they
    // do among the ten, so the five never reach more than the ten do, and
    // the difference is what the other five add.
    assert!(ten.iter().zip(&five).all(|(t, f)| f <= t));
    let extra = ten.iter().zip(&five).map(|(t, f)| t - f).sum::<f64>() / runs as f64;
    let se = (45.0 * a * (1.0 - a) / runs as f64).sqrt();
    assert!((extra - 15.0 * a).abs() < 5.0 * se, "extra {extra}");
    // The invitations still cost: ten people, one unit each.
    assert_eq!(results.strategies[0].cost, 10.0);
}

#[test]
fn nobody_accepting_reaches_nobody_and_everyone_accepting_changes_nothing() {
    let none = ring(0.0, 50);
    assert!(none.strategies[0]
        .stats
        .final_values_of(Metric::Reached)
        .unwrap()
        .iter()
        .all(|&r| r == 0.0));
    let all = ring(1.0, 50);
    assert!(all.strategies[0]
        .stats
        .final_values_of(Metric::Reached)
        .unwrap()
        .iter()
        .all(|&r| r == 30.0));
}
