//! Simulating a prepared scenario: its model, each strategy's runs (and
//! with a rival, the same runs with our response one step late), reduced
//! to [`Results`].

use super::*;

/// The scenario's model over the prepared graph, with its tallies.
pub fn model(prepared: &Prepared) -> Model<'_> {
    model_with_our_start(prepared, 0)
}

/// The scenario's model with our seeds sharing at step `our_start` (which
/// matters only against a `[rival]`).
pub(super) fn model_with_our_start(prepared: &Prepared, our_start: u32) -> Model<'_> {
    let rival = prepared
        .rival_seeds
        .as_ref()
        .map(|seeds| RivalSeeding { seeds, our_start });
    let scenario = &prepared.scenario;
    let tally = Tally::new(
        scenario.conversion.as_ref(),
        scenario.simulation.seed,
        prepared.graph.segments(),
        prepared.target.clone(),
    );
    Model::new(&scenario.spread(), &prepared.graph, tally, rival)
}

impl Prepared {
    /// Bytes it keeps in memory: the graph, everyone's cost, the target.
    pub fn resident_bytes(&self) -> u64 {
        self.graph.heap_bytes()
            + 8 * self.costs.all().len() as u64
            + self.target.as_ref().map_or(0, |t| t.len() as u64)
    }

    /// Runs [`simulate`] makes in all: each strategy's, and with a
    /// `[rival]` as many again with our response one step late. With runs
    /// = "auto", those of the first batch: the plan grows batch by batch
    /// (see [`simulate_planned`]).
    pub fn runs_to_simulate(&self) -> u64 {
        let sim = &self.scenario.simulation;
        self.runs_for(match sim.auto {
            Some(auto) => AUTO_FIRST_BATCH.min(auto.max_runs),
            None => sim.runs,
        })
    }

    /// Runs [`simulate`] makes in all with `runs` runs per strategy.
    pub(super) fn runs_for(&self, runs: u32) -> u64 {
        let per_strategy = 1 + self.rival_seeds.is_some() as u64;
        runs as u64 * self.seeds.len() as u64 * per_strategy
    }
}

/// `[simulation] runs` runs of strategy `i` under `model` (from
/// [`model`]), before statistics (with runs = "auto" that is its cap,
/// `max_runs`; [`simulate`] decides how many to make). `progress` is told
/// of finished runs.
pub fn outcome(
    prepared: &Prepared,
    model: &Model,
    i: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> Outcome {
    outcome_of_runs(
        prepared,
        model,
        i,
        prepared.scenario.simulation.runs,
        progress,
    )
}

/// Runs 0 to `runs - 1` of strategy `i` under `model`.
pub(super) fn outcome_of_runs(
    prepared: &Prepared,
    model: &Model,
    i: usize,
    runs: u32,
    progress: &(dyn Fn(u64) + Sync),
) -> Outcome {
    let mut outcome = Outcome::empty(model, prepared.scenario.simulation.steps);
    extend(prepared, model, i, &mut outcome, runs, progress);
    outcome
}

/// Append the next `count` runs of strategy `i` under `model` to its
/// `outcome`.
pub(super) fn extend(
    prepared: &Prepared,
    model: &Model,
    i: usize,
    outcome: &mut Outcome,
    count: u32,
    progress: &(dyn Fn(u64) + Sync),
) {
    let sim = &prepared.scenario.simulation;
    let acceptance = Acceptance::new(prepared.scenario.costs.acceptance, sim.seed);
    let seeds = &prepared.seeds[i];
    engine::extend(outcome, model, seeds, acceptance, count, progress);
}

/// Simulate every strategy. `progress` is told of finished runs.
pub fn simulate(prepared: &Prepared, progress: &(dyn Fn(u64) + Sync)) -> Results {
    simulate_planned(prepared, progress, &|_| {})
}

/// Simulate every strategy. `progress` is told of finished runs, from any
/// thread; `planned` is told the runs to make in all whenever the plan
/// grows, as it does batch by batch with runs = "auto" (it starts at
/// [`Prepared::runs_to_simulate`]).
pub fn simulate_planned(
    prepared: &Prepared,
    progress: &(dyn Fn(u64) + Sync),
    planned: &dyn Fn(u64),
) -> Results {
    let t = Instant::now();
    let scenario = &prepared.scenario;
    let sim = &scenario.simulation;
    let model = model(prepared);
    let late = prepared
        .rival_seeds
        .is_some()
        .then(|| model_with_our_start(prepared, 1));
    // With runs = "auto" every strategy's runs are made first, batch by
    // batch; with a fixed count one strategy's at a time, to keep only one
    // strategy's runs in memory.
    let (runs, auto, mut batched) = match sim.auto {
        Some(auto) => {
            let (outcomes, report) = auto_outcomes(prepared, &model, auto, progress, planned);
            let runs = *report.batches.last().expect("at least one batch");
            (runs, Some(report), Some(outcomes.into_iter()))
        }
        None => (sim.runs, None, None),
    };
    let strategies: Vec<StrategyResult> = scenario
        .strategies
        .iter()
        .zip(&prepared.seeds)
        .enumerate()
        .map(|(i, (spec, seeds))| {
            let outcome = match &mut batched {
                Some(outcomes) => outcomes.next().expect("one outcome per strategy"),
                None => outcome_of_runs(prepared, &model, i, runs, progress),
            };
            let (seeds_per_run, seeding_costs) = invited(seeds, &prepared.costs, runs);
            let cost = seeding_costs.iter().sum::<f64>() / runs as f64;
            let stats = OutcomeStats::of(&outcome);
            let ad_costs: Option<Vec<f64>> = scenario.paid.map(|p| {
                stats
                    .final_values_of(Metric::AdViews)
                    .expect("ads record their views")
                    .iter()
                    .map(|&v| v * p.cost_per_view)
                    .collect()
            });
            let run_costs: Vec<f64> = match &ad_costs {
                Some(ads) => seeding_costs.iter().zip(ads).map(|(s, a)| s + a).collect(),
                None => seeding_costs,
            };
            let money = scenario
                .conversion
                .map(|c| money(&stats, &run_costs, c.value));
            let paid = ad_costs.map(|ads| paid(&stats, ads));
            // The late runs need the room only the statistics were kept for.
            drop(outcome);
            let rival = late.as_ref().map(|late| {
                against_rival(&stats, &outcome_of_runs(prepared, late, i, runs, progress))
            });
            StrategyResult {
                name: spec.name.clone(),
                kind: spec.kind.name,
                seeds: match seeds {
                    Seeds::Fixed(s) => Some(s.iter().map(|&v| prepared.graph.label(v)).collect()),
                    Seeds::PerRun(_) => None,
                },
                seeds_per_run,
                cost,
                budget: match spec.limit() {
                    Some(Limit::Budget(b)) => Some(b),
                    _ => None,
                },
                stats,
                money,
                paid,
                rival,
            }
        })
        .collect();
    let comparison = compare(&strategies, scenario.goal);
    let mut timings = prepared.timings;
    timings.simulate_seconds = t.elapsed().as_secs_f64();
    Results {
        strategies,
        comparison,
        timings,
        runs,
        auto,
        goal: scenario.goal,
    }
}
