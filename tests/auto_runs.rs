//! Adaptive run counts (`[simulation] runs = "auto"`) through the whole
//! pipeline: runs stop at the first batch after which every strategy's 95%
//! CI of the goal's mean final value (reached by default) is narrow
//! enough, batches follow the documented rule, the results are exactly
//! those of a fixed run count, whatever the thread count, and `max_runs`
//! caps the runs.

mod common;

use std::sync::atomic::{AtomicU64, Ordering};

use common::{on_threads, parse, prepare, simulate};
use viralsim::engine::{self, Acceptance, Outcome};
use viralsim::model::{Metric, Model};
use viralsim::pipeline::{self, Results};
use viralsim::report::table;
use viralsim::scenario::{self, AutoRuns};
use viralsim::stats;

/// A small campaign: three strategies (one drawn afresh per run) on an
/// Erdős–Rényi graph of 1,500 people; `runs` is the `[simulation]` keys
/// about runs, `extra` more tables.
fn scenario_text(runs: &str, extra: &str) -> String {
    format!(
        r#"version = 1
name = "auto"
[graph]
generator = "erdos-renyi"
nodes = 1500
mean_degree = 5
seed = 3
[content]
stickiness = 0.15
[trust]
distribution = "uniform"
low = 0.5
high = 1.0
[simulation]
{runs}
steps = 15
seed = 11
[[strategy]]
name = "random people"
kind = "random"
count = 5
[[strategy]]
name = "top influencers"
kind = "top-degree"
count = 5
[[strategy]]
name = "pagerank"
kind = "pagerank"
count = 3
{extra}"#
    )
}

/// Final reached of every run, per strategy.
fn reached(results: &Results) -> Vec<Vec<f64>> {
    results
        .strategies
        .iter()
        .map(|st| st.stats.final_values_of(Metric::Reached).unwrap().to_vec())
        .collect()
}

/// The half width of the 95% CI of the mean of `values` over the mean,
/// worked out here from its definition.
fn relative_half_width(values: &[f64]) -> f64 {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0);
    stats::t975(values.len() - 1) * var.sqrt() / n.sqrt() / mean
}

/// The widest relative half width over strategies of their first `runs`
/// runs.
fn widest(reached: &[Vec<f64>], runs: u32) -> f64 {
    reached
        .iter()
        .map(|v| relative_half_width(&v[..runs as usize]))
        .fold(0.0, f64::max)
}

/// Everything a strategy's and the comparison's results say, as text that
/// differs whenever a bit of any figure does (`{:?}` writes floats exactly).
fn fingerprint(results: &Results) -> String {
    let mut out = String::new();
    for st in &results.strategies {
        out.push_str(&format!(
            "{} {:?} {} {:?} {:?} {:?} {:?} {:?}\n",
            st.name, st.seeds, st.seeds_per_run, st.cost, st.stats, st.money, st.paid, st.rival
        ));
    }
    if let Some(c) = &results.comparison {
        out.push_str(&format!(
            "{} {} {:?} {:?}\n",
            c.best, c.runner_up, c.reached_difference, c.versus_best
        ));
    }
    out
}

#[test]
fn auto_stops_at_the_first_batch_with_every_ci_narrow_enough() {
    let target = 0.03;
    let results = simulate(&scenario_text(
        &format!("runs = \"auto\"\nci_half_width = {target}"),
        "",
    ));
    let auto = results.auto.as_ref().expect("runs = \"auto\" reports how");
    assert_eq!(auto.ci_half_width, target);
    assert_eq!(auto.max_runs, scenario::DEFAULT_MAX_RUNS);
    assert!(!auto.capped);
    let batches = &auto.batches;
    assert!(
        batches.len() >= 2,
        "the target needs more than one batch here: {batches:?}"
    );
    assert_eq!(batches[0], pipeline::AUTO_FIRST_BATCH);
    assert_eq!(*batches.last().unwrap(), results.runs);

    let reached = reached(&results);
    for (st, values) in results.strategies.iter().zip(&reached) {
        assert_eq!(values.len(), results.runs as usize, "{}", st.name);
        let r = st.reached();
        let relative = (r.ci95_high - r.mean) / r.mean;
        assert!(relative <= target, "{}: ±{relative}", st.name);
        assert!((relative - relative_half_width(values)).abs() < 1e-9);
    }
    // Every batch but the last left some strategy wider than asked, and
    // each next batch is what the rule plans from the runs made so far.
    for k in 0..batches.len() - 1 {
        let so_far = widest(&reached, batches[k]);
        assert!(
            so_far > target,
            "after {} runs every CI was already within ±{target} (widest {so_far})",
            batches[k]
        );
        assert_eq!(
            batches[k + 1],
            pipeline::next_auto_runs(batches[k], so_far / target, auto.max_runs)
        );
    }
    let last = widest(&reached, results.runs);
    assert!((auto.widest - last).abs() < 1e-12);
    let named = (0..reached.len())
        .max_by(|&a, &b| {
            relative_half_width(&reached[a]).total_cmp(&relative_half_width(&reached[b]))
        })
        .unwrap();
    assert_eq!(auto.widest_strategy, named);

    let line = table::auto_line(&results);
    assert!(
        line.contains("runs (auto: every strategy's 95% CI within ±3.0% of its mean; widest ±"),
        "{line}"
    );
    assert!(line.contains(&results.strategies[named].name), "{line}");
    // Wide enough that nothing wraps.
    assert!(table::render(&results, results.runs, 1_000, 10_000).contains(&line));
}

/// A campaign with everything that is computed over the runs: drawn
/// seeds who may decline, ads, conversions and a rival.
fn busy(runs: &str) -> String {
    scenario_text(
        runs,
        r#"
[costs]
base = 2
acceptance = 0.8
[paid]
reach_per_step = 0.002
to_step = 5
cost_per_view = 0.01
[conversion]
rate = 0.05
value = 20
[rival]
stickiness = 0.12
start_step = 1
kind = "random"
count = 3
"#,
    )
}

#[test]
fn auto_results_are_reproducible_and_equal_a_fixed_run_count() {
    let auto = busy("runs = \"auto\"\nci_half_width = 0.04");
    let prepared = prepare(&auto);
    let first = pipeline::simulate(&prepared, &|_| {});
    let runs = first.runs;
    assert!(first.auto.as_ref().unwrap().batches.len() >= 2);
    assert!(first.strategies.iter().all(|st| st.rival.is_some()));

    let again = simulate(&auto);
    assert_eq!(again.runs, runs);
    assert_eq!(again.auto, first.auto);
    assert_eq!(fingerprint(&again), fingerprint(&first));

    // Whatever the thread count, and told how the plan grows.
    for threads in [1, 3] {
        let done = AtomicU64::new(0);
        let plan = AtomicU64::new(prepared.runs_to_simulate());
        let results = on_threads(threads, || {
            pipeline::simulate_planned(
                &prepared,
                &|n| {
                    done.fetch_add(n, Ordering::Relaxed);
                },
                &|total| {
                    let before = plan.swap(total, Ordering::Relaxed);
                    assert!(total >= before, "the plan only grows");
                },
            )
        });
        assert_eq!(results.auto, first.auto, "{threads} threads");
        assert_eq!(
            fingerprint(&results),
            fingerprint(&first),
            "{threads} threads"
        );
        // Three strategies, each as many runs again with a late response.
        let made = runs as u64 * 3 * 2;
        assert_eq!(plan.into_inner(), made);
        assert_eq!(done.into_inner(), made);
    }

    let fixed = simulate(&busy(&format!("runs = {runs}")));
    assert_eq!(fixed.runs, runs);
    assert!(fixed.auto.is_none());
    assert_eq!(fingerprint(&fixed), fingerprint(&first));
}

#[test]
fn max_runs_stops_a_target_out_of_reach() {
    let max_runs = 300;
    let target = 0.001;
    let results = simulate(&scenario_text(
        &format!("runs = \"auto\"\nci_half_width = {target}\nmax_runs = {max_runs}"),
        "",
    ));
    assert_eq!(results.runs, max_runs);
    let auto = results.auto.as_ref().unwrap();
    assert!(auto.capped);
    assert_eq!(*auto.batches.last().unwrap(), max_runs);
    assert!(auto.batches.windows(2).all(|w| w[0] < w[1]));
    let reached = reached(&results);
    assert!(reached.iter().all(|v| v.len() == max_runs as usize));
    let widest = widest(&reached, max_runs);
    assert!(widest > target);
    assert!((auto.widest - widest).abs() < 1e-12);
    let line = table::auto_line(&results);
    assert!(
        line.contains("stopped at max_runs = 300: widest CI ±"),
        "{line}"
    );
    assert!(line.contains("asked ±0.10%"), "{line}");
}

#[test]
fn a_small_cap_is_the_only_batch() {
    let results = simulate(&scenario_text("runs = \"auto\"\nmax_runs = 40", ""));
    let auto = results.auto.as_ref().unwrap();
    assert_eq!(auto.batches, [40]);
    assert_eq!(results.runs, 40);
    assert_eq!(auto.ci_half_width, scenario::DEFAULT_CI_HALF_WIDTH);
}

#[test]
fn the_runs_flag_turns_auto_off() {
    let text = scenario_text("runs = \"auto\"\nmax_runs = 5000", "");
    let mut s = parse(&text);
    assert_eq!(
        s.simulation.auto,
        Some(AutoRuns {
            ci_half_width: 0.01,
            max_runs: 5000
        })
    );
    assert_eq!(s.simulation.max_runs(), 5000);
    s.set_runs(64).unwrap();
    assert!(s.simulation.auto.is_none());
    let results = pipeline::simulate(&pipeline::prepare(s).unwrap(), &|_| {});
    assert_eq!(results.runs, 64);
    assert!(results.auto.is_none());
    assert!(reached(&results).iter().all(|v| v.len() == 64));
    assert_eq!(table::auto_line(&results), "");
}

#[test]
fn runs_made_in_batches_are_the_runs_made_at_once() {
    // Drawn seeds who may decline: every source of randomness a run has.
    let p = prepare(&scenario_text("runs = 2", "[costs]\nacceptance = 0.7\n"));
    let sim = &p.scenario.simulation;
    let acceptance = Acceptance::new(0.7, sim.seed);
    let Model::IndependentCascade(model) = pipeline::model(&p) else {
        panic!("the scenario's model is the independent cascade");
    };
    let seeds = &p.seeds[0];
    let at_once = engine::simulate(&model, seeds, acceptance, 300, sim.steps, &|_| {});
    let mut batched = Outcome::empty(&model, sim.steps);
    // Batches that start inside the engine's blocks of runs.
    for count in [1, 17, 100, 182] {
        engine::extend(&mut batched, &model, seeds, acceptance, count, &|_| {});
    }
    assert_eq!(batched.runs, 300);
    assert_eq!(batched, at_once);
}

#[test]
fn auto_pins_down_the_goal_metric() {
    let target = 0.05;
    let results = simulate(&scenario_text(
        &format!("runs = \"auto\"\nci_half_width = {target}"),
        "[goal]\nmetric = \"shared\"",
    ));
    let auto = results.auto.as_ref().expect("runs = \"auto\" reports how");
    let shared: Vec<Vec<f64>> = results
        .strategies
        .iter()
        .map(|st| st.stats.final_values_of(Metric::Shared).unwrap().to_vec())
        .collect();
    // The rule reads sharers: they end within the target, every earlier
    // batch left some strategy's sharers wider, and reach alone would have
    // stopped at another run count.
    let last = widest(&shared, results.runs);
    assert!(last <= target && (auto.widest - last).abs() < 1e-12);
    for &runs in &auto.batches[..auto.batches.len() - 1] {
        assert!(widest(&shared, runs) > target, "after {runs} runs");
    }
    let by_reach = simulate(&scenario_text(
        &format!("runs = \"auto\"\nci_half_width = {target}"),
        "",
    ));
    assert_ne!(by_reach.runs, results.runs);
}
