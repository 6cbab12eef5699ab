//! `runs = "auto"`: batches of runs until every strategy's confidence
//! interval is narrow enough.

use super::*;

/// Runs in the first batch of runs = "auto" (all runs if `max_runs` is
/// smaller).
pub const AUTO_FIRST_BATCH: u32 = 128;
/// Fewest runs a later batch of runs = "auto" adds.
pub const AUTO_MIN_BATCH: u32 = 64;
/// A later batch at most multiplies the runs made by this.
pub const AUTO_MAX_GROWTH: u32 = 4;
/// Margin on the runs projected to be enough: the standard deviation is
/// itself estimated, so aim a little wide of the target rather than fall
/// just short of it and need another small batch.
pub const AUTO_MARGIN: f64 = 1.1;

/// How runs = "auto" arrived at its run count. The relative half width of
/// a strategy is the half width of the 95% CI of its mean final value of
/// the goal's metric (reached, shared, converted or reached in the target;
/// reached for net reach, whose mean may be near 0) over that mean (see
/// [`stats::relative_ci95_half_width`]).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AutoReport {
    /// The widest relative half width asked for (`ci_half_width`).
    pub ci_half_width: f64,
    /// The cap on runs per strategy (`max_runs`).
    pub max_runs: u32,
    /// The widest relative half width of any strategy after the last batch
    /// (infinite for final reached varying around a mean of 0, which
    /// counts of people never do).
    pub widest: f64,
    /// The strategy with the widest (index in scenario order; the first
    /// of equals).
    pub widest_strategy: usize,
    /// Whether `max_runs` stopped the runs before every strategy was
    /// within `ci_half_width`.
    pub capped: bool,
    /// Runs made per strategy in all after each batch, in order; the last
    /// is [`Results::runs`].
    pub batches: Vec<u32>,
}

/// The runs per strategy to have made after the next batch of runs =
/// "auto", having made `runs` whose widest relative half width is
/// `excess` times the target (above 1). The half width shrinks as
/// 1/sqrt(runs), so about runs x excess^2 are enough; aim for that times
/// [`AUTO_MARGIN`], adding at least [`AUTO_MIN_BATCH`] runs and at most
/// multiplying the runs by [`AUTO_MAX_GROWTH`] (the estimate is noisy),
/// rounded up to a whole number of the engine's blocks
/// ([`engine::BLOCK`]), and never more than `max_runs`.
pub fn next_auto_runs(runs: u32, excess: f64, max_runs: u32) -> u32 {
    let projected = (runs as f64 * excess * excess * AUTO_MARGIN).ceil();
    // `as` saturates: an infinite excess projects u64::MAX.
    let total = (projected as u64)
        .min(runs as u64 * AUTO_MAX_GROWTH as u64)
        .max(runs as u64 + AUTO_MIN_BATCH as u64);
    let block = engine::BLOCK as u64;
    let total = total.div_ceil(block) * block;
    total.min(max_runs as u64) as u32
}

/// Every strategy's runs for runs = "auto", strategy `i` under
/// `models[i]`: batches of runs for all
/// strategies alike (so runs stay paired across strategies), until every
/// strategy's relative half width is within `auto.ci_half_width` or
/// `auto.max_runs` runs are made. The first batch is [`AUTO_FIRST_BATCH`]
/// runs, later ones follow [`next_auto_runs`]. Which runs are made depends
/// only on the runs' results, so on the scenario alone. `planned` is told
/// the runs to make in all (see [`Prepared::runs_to_simulate`]) before
/// each batch.
pub(super) fn auto_outcomes(
    prepared: &Prepared,
    models: &Models,
    auto: AutoRuns,
    progress: &(dyn Fn(u64) + Sync),
    planned: &dyn Fn(u64),
) -> (Vec<Outcome>, AutoReport) {
    let mut outcomes: Vec<Outcome> = (0..prepared.seeds.len())
        .map(|i| outcome_of_runs(prepared, models.of(i), i, 0, progress))
        .collect();
    // The goal's final value per run and strategy: all the stopping rule
    // reads. Net reach is pinned down through our reach: a difference of
    // two reaches may have a mean near 0, where a relative width means
    // nothing.
    let (metric, _) = prepared.scenario.goal.metrics();
    let mut reached: Vec<Vec<f64>> = vec![Vec::new(); outcomes.len()];
    let mut runs = AUTO_FIRST_BATCH.min(auto.max_runs);
    let mut batches = Vec::new();
    loop {
        planned(prepared.runs_for(runs));
        for (i, (outcome, reached)) in outcomes.iter_mut().zip(&mut reached).enumerate() {
            let first = outcome.runs;
            extend(prepared, models.of(i), i, outcome, runs - first, progress);
            let m = outcome
                .metric_index(metric)
                .expect("the scenario checks that its goal is counted");
            reached.extend((first..runs).map(|r| outcome.final_value(r, m) as f64));
        }
        batches.push(runs);
        let (widest_strategy, widest) = reached
            .iter()
            .map(|values| stats::relative_ci95_half_width(values))
            .enumerate()
            .fold((0, f64::NEG_INFINITY), |best, (i, h)| {
                if h > best.1 {
                    (i, h)
                } else {
                    best
                }
            });
        let narrow_enough = widest <= auto.ci_half_width;
        if narrow_enough || runs >= auto.max_runs {
            let report = AutoReport {
                ci_half_width: auto.ci_half_width,
                max_runs: auto.max_runs,
                widest,
                widest_strategy,
                capped: !narrow_enough,
                batches,
            };
            return (outcomes, report);
        }
        runs = next_auto_runs(runs, widest / auto.ci_half_width, auto.max_runs);
    }
}
