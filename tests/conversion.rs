//! Conversions and money through the whole pipeline: expected conversions
//! are the conversion rate times the people reached plus the extra chance
//! of the sharers, and ROI comes from the same runs.

mod common;

use common::simulate;
use viralsim::model::Metric;
use viralsim::pipeline;

const RATE: f64 = 0.05;
const RATE_IF_SHARED: f64 = 0.3;
const VALUE: f64 = 12.0;

fn results(runs: u32) -> pipeline::Results {
    let text = format!(
        r#"version = 1
[graph]
generator = "erdos-renyi"
nodes = 2000
mean_degree = 5
[content]
stickiness = 0.15
[costs]
base = 3
[conversion]
rate = {RATE}
rate_if_shared = {RATE_IF_SHARED}
value = {VALUE}
[simulation]
runs = {runs}
steps = 40
seed = 21
[[strategy]]
kind = "top-degree"
count = 10
[[strategy]]
kind = "random"
budget = 30
"#
    );
    simulate(&text)
}

#[test]
fn conversions_follow_the_rates_of_the_reached_and_the_sharers() {
    let runs = 4000u32;
    let results = results(runs);
    for st in &results.strategies {
        let values = |m: Metric| st.stats.final_values_of(m).unwrap().to_vec();
        let (reached, shared, converted) = (
            values(Metric::Reached),
            values(Metric::Shared),
            values(Metric::Converted),
        );
        // Given a run's reached and shared, its conversions are a sum of
        // independent coins: mean rate (reached - shared) + rate_if_shared
        // shared, variance the sum of the coins' variances.
        let (mut residual, mut variance) = (0.0, 0.0);
        for r in 0..runs as usize {
            let others = reached[r] - shared[r];
            residual += converted[r] - (RATE * others + RATE_IF_SHARED * shared[r]);
            variance +=
                RATE * (1.0 - RATE) * others + RATE_IF_SHARED * (1.0 - RATE_IF_SHARED) * shared[r];
        }
        let (mean, se) = (residual / runs as f64, variance.sqrt() / runs as f64);
        assert!(
            mean.abs() < 5.0 * se,
            "{}: residual {mean} (se {se})",
            st.name
        );
        assert!(converted.iter().zip(&reached).all(|(c, r)| c <= r));

        // ROI from the same runs: cost 3 per seed, 10 seeds either way.
        let m = st.money.expect("conversions give money figures");
        assert_eq!(m.cost.mean, 30.0);
        let mean_converted = converted.iter().sum::<f64>() / runs as f64;
        assert!((m.revenue.mean - VALUE * mean_converted).abs() < 1e-9);
        assert!((m.roi.mean - (VALUE * mean_converted - 30.0) / 30.0).abs() < 1e-9);
        assert!(m.roi.ci95_low < m.roi.mean && m.roi.mean < m.roi.ci95_high);
    }
}

#[test]
fn conversions_are_counted_when_people_are_reached() {
    let results = results(200);
    let st = &results.strategies[0];
    let curve = |m: Metric| {
        st.stats
            .curves
            .iter()
            .find(|c| c.metric == m)
            .unwrap()
            .clone()
    };
    let (converted, reached) = (curve(Metric::Converted), curve(Metric::Reached));
    // Cumulative, never above the reach, and at step 0 only seeds convert
    // (each with the sharers' chance).
    assert!(converted.mean.windows(2).all(|w| w[0] <= w[1]));
    assert!(converted.p95.iter().zip(&reached.p95).all(|(c, r)| c <= r));
    let seeds_converting = converted.mean[0];
    let se = (10.0 * RATE_IF_SHARED * (1.0 - RATE_IF_SHARED) / 200.0).sqrt();
    assert!((seeds_converting - 10.0 * RATE_IF_SHARED).abs() < 5.0 * se);
}
