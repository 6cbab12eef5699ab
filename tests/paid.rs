//! Paid reach through the whole pipeline: ads alone reach the audience
//! exactly as the Bass model's external influence says, and every run's
//! reach splits into seeded, paid and earned.

mod common;

use common::simulate;
use viralsim::model::Metric;
use viralsim::pipeline::Results;

const N: f64 = 1000.0;

fn run(stickiness: f64, count: u32, paid: &str, runs: u32) -> Results {
    let text = format!(
        r#"version = 1
[graph]
generator = "erdos-renyi"
nodes = 1000
mean_degree = 6
seed = 2
[content]
stickiness = {stickiness}
[paid]
{paid}
[simulation]
runs = {runs}
steps = 12
seed = 17
[[strategy]]
kind = "top-degree"
count = {count}
"#
    );
    simulate(&text)
}

fn curve(results: &Results, m: Metric) -> Vec<f64> {
    results.strategies[0]
        .stats
        .curves
        .iter()
        .find(|c| c.metric == m)
        .unwrap()
        .mean
        .clone()
}

#[test]
fn ads_alone_reach_one_minus_the_chance_of_missing_every_ad() {
    // Nothing spreads by word of mouth and nobody is seeded: after k steps
    // of ads each person has been reached with probability 1 - (1 - r)^k,
    // independently, so reached is Binomial(n, that).
    let (r, runs) = (0.07f64, 4000u32);
    let results = run(
        0.0,
        0,
        "reach_per_step = 0.07\nfrom_step = 3\nto_step = 8\ncost_per_view = 0.5",
        runs,
    );
    let reached = curve(&results, Metric::Reached);
    for (step, &got) in reached.iter().enumerate() {
        let k = step.clamp(2, 8) as i32 - 2;
        let q = 1.0 - (1.0 - r).powi(k);
        let se = (N * q * (1.0 - q) / runs as f64).sqrt();
        assert!(
            (got - N * q).abs() <= 5.0 * se + 1e-9,
            "step {step}: {got} vs {}",
            N * q
        );
    }
    assert_eq!(curve(&results, Metric::EarnedReached), vec![0.0; 13]);
    assert_eq!(curve(&results, Metric::PaidReached), reached);
    // Views: n r per step for 6 steps, Binomial(6n, r); they cost 0.5 each.
    let views = *curve(&results, Metric::AdViews).last().unwrap();
    let se = (6.0 * N * r * (1.0 - r) / runs as f64).sqrt();
    assert!((views - 6.0 * N * r).abs() < 5.0 * se, "{views}");
    let st = &results.strategies[0];
    let paid = st.paid.unwrap();
    assert!((paid.cost.mean - 0.5 * views).abs() < 1e-9);
    assert_eq!(st.cost, 0.0);
    assert_eq!(paid.multiplier.mean, 1.0);
}

#[test]
fn reach_splits_into_seeded_paid_and_earned_in_every_run() {
    let runs = 300u32;
    let results = run(
        0.12,
        5,
        "reach_per_step = 0.01\nstickiness = 0.2\ncost_per_view = 0.1",
        runs,
    );
    let st = &results.strategies[0];
    let values = |m: Metric| st.stats.final_values_of(m).unwrap().to_vec();
    let (reached, paid, earned) = (
        values(Metric::Reached),
        values(Metric::PaidReached),
        values(Metric::EarnedReached),
    );
    for r in 0..runs as usize {
        assert_eq!(5.0 + paid[r] + earned[r], reached[r], "run {r}");
    }
    assert!(earned.iter().sum::<f64>() > 0.0 && paid.iter().sum::<f64>() > 0.0);
    let m = st.paid.unwrap().multiplier;
    assert!(m.mean > 1.0, "word of mouth adds to paid reach: {}", m.mean);
}

#[test]
fn new_viewers_share_the_ad_at_its_stickiness() {
    // No word of mouth (stickiness 0): the sharers are exactly the new
    // viewers who share the ad, each with probability 0.3.
    let runs = 3000u32;
    let results = run(0.0, 0, "reach_per_step = 0.05\nstickiness = 0.3", runs);
    let st = &results.strategies[0];
    let values = |m: Metric| st.stats.final_values_of(m).unwrap().to_vec();
    let (shared, paid) = (values(Metric::Shared), values(Metric::PaidReached));
    let (mut residual, mut variance) = (0.0, 0.0);
    for r in 0..runs as usize {
        residual += shared[r] - 0.3 * paid[r];
        variance += 0.3 * 0.7 * paid[r];
    }
    let se = variance.sqrt() / runs as f64;
    let mean = residual / runs as f64;
    assert!(mean.abs() < 5.0 * se, "{mean} (se {se})");
}
