//! Simulating a prepared scenario: its model, each strategy's runs (and
//! with a rival, the same runs with our response one step late, and at
//! each of `[rival] response_delays`), reduced to [`Results`].

use super::*;

/// The scenario's model over the prepared graph, with its tallies, for
/// strategies without ads of their own that post at step 0 (see
/// [`model_of`] for the others).
pub fn model(prepared: &Prepared) -> Model<'_> {
    model_for(prepared, &prepared.scenario.spread())
}

/// Strategy `i`'s model: the scenario's, with the strategy's own ads if it
/// buys any and its seeds posting at its `start_step` (see
/// [`crate::scenario::Scenario::spread_of`]).
pub fn model_of(prepared: &Prepared, i: usize) -> Model<'_> {
    model_for(prepared, &prepared.scenario.spread_of(i))
}

/// Strategy `i`'s model with its seeds posting at step `our_start`
/// instead (a response to the rival).
fn model_at(prepared: &Prepared, i: usize, our_start: u32) -> Model<'_> {
    let spread = SpreadSpec {
        start_step: our_start,
        ..prepared.scenario.spread_of(i)
    };
    model_for(prepared, &spread)
}

/// The model of `spread` over the prepared graph, with the scenario's
/// tallies.
fn model_for<'p>(prepared: &'p Prepared, spread: &SpreadSpec) -> Model<'p> {
    let rival = prepared
        .rival_seeds
        .as_ref()
        .map(|seeds| RivalSeeding { seeds });
    let scenario = &prepared.scenario;
    let tally = Tally::new(
        scenario.conversion.as_ref(),
        scenario.simulation.seed,
        prepared.graph.segments(),
        prepared.target.clone(),
    );
    Model::new(spread, &prepared.graph, tally, rival)
}

/// The models the strategies run, each built once: strategies with the
/// same spread (all of them, unless some buy their own ads or post at
/// steps of their own) share one.
pub struct Models<'p> {
    models: Vec<Model<'p>>,
    /// Per strategy, its model's place in `models`.
    of: Vec<usize>,
}

impl<'p> Models<'p> {
    /// Every strategy's model.
    pub fn new(prepared: &'p Prepared) -> Models<'p> {
        let mut spreads: Vec<SpreadSpec> = Vec::new();
        let mut models = Vec::new();
        let of = (0..prepared.seeds.len())
            .map(|i| {
                let spread = prepared.scenario.spread_of(i);
                spreads
                    .iter()
                    .position(|s| *s == spread)
                    .unwrap_or_else(|| {
                        models.push(model_for(prepared, &spread));
                        spreads.push(spread);
                        spreads.len() - 1
                    })
            })
            .collect();
        Models { models, of }
    }

    /// Strategy `i`'s model.
    pub fn of(&self, i: usize) -> &Model<'p> {
        &self.models[self.of[i]]
    }
}

impl Prepared {
    /// Bytes it keeps in memory: the graph, everyone's cost, the target.
    pub fn resident_bytes(&self) -> u64 {
        self.graph.heap_bytes()
            + 8 * self.costs.all().len() as u64
            + self.target.as_ref().map_or(0, |t| t.len() as u64)
    }

    /// Runs [`simulate`] makes in all: each strategy's, and with a
    /// `[rival]` as many again with our response one step late and at
    /// each response delay not simulated already. With runs
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
        runs as u64 * self.starts_per_run()
    }

    /// See [`other_starts`].
    pub fn other_starts(&self, i: usize) -> Vec<u32> {
        other_starts(&self.scenario, i)
    }

    /// Runs made per run index: every strategy's own, and those of
    /// [`other_starts`].
    fn starts_per_run(&self) -> u64 {
        (0..self.seeds.len())
            .map(|i| 1 + self.other_starts(i).len() as u64)
            .sum()
    }
}

/// The steps, besides its own start, at which strategy `i`'s seeds post in
/// runs against a `[rival]`: one step late (for the cost of delay), then
/// each of `response_delays` after the rival's start; each once, in that
/// order. Empty without a rival.
pub fn other_starts(scenario: &Scenario, i: usize) -> Vec<u32> {
    let Some(rival) = &scenario.rival else {
        return Vec::new();
    };
    let own = scenario.strategies[i].start_step;
    let mut starts = vec![own + 1];
    for &d in &rival.response_delays {
        let start = rival.start_step + d;
        if start != own && !starts.contains(&start) {
            starts.push(start);
        }
    }
    starts
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
    match strategies(prepared, progress, planned, &mut |_, _| {}, false) {
        Ok(results) => results,
        Err(Interrupted) => unreachable!("only a stoppable simulation stops"),
    }
}

/// The simulation was stopped ([`engine::stop`]) before it finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interrupted;

/// [`simulate_planned`], handing each strategy's own runs to `keep` (the
/// strategy's index, its outcome) once their statistics are taken, for a
/// caller that shows them run by run ([`simulate_planned`] drops them);
/// [`Interrupted`] once [`engine::stop`] is asked, before the next
/// strategy's statistics.
pub fn simulate_keeping(
    prepared: &Prepared,
    progress: &(dyn Fn(u64) + Sync),
    planned: &dyn Fn(u64),
    keep: &mut dyn FnMut(usize, Outcome),
) -> Result<Results, Interrupted> {
    strategies(prepared, progress, planned, keep, true)
}

fn strategies(
    prepared: &Prepared,
    progress: &(dyn Fn(u64) + Sync),
    planned: &dyn Fn(u64),
    keep: &mut dyn FnMut(usize, Outcome),
    stoppable: bool,
) -> Result<Results, Interrupted> {
    let t = Instant::now();
    let scenario = &prepared.scenario;
    let sim = &scenario.simulation;
    let models = Models::new(prepared);
    // With runs = "auto" every strategy's runs are made first, batch by
    // batch; with a fixed count one strategy's at a time, to keep only one
    // strategy's runs in memory.
    let (runs, auto, mut batched) = match sim.auto {
        Some(auto) => {
            let (outcomes, report) = auto_outcomes(prepared, &models, auto, progress, planned);
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
                None => outcome_of_runs(prepared, models.of(i), i, runs, progress),
            };
            if stoppable && engine::stopping() {
                return Err(Interrupted);
            }
            let (seeds_per_run, seeding_costs) = invited(seeds, &prepared.costs, runs);
            let cost = seeding_costs.iter().sum::<f64>() / runs as f64;
            let stats = OutcomeStats::of(&outcome);
            // A strategy's own ads take the place of [paid]'s; beside
            // strategies that buy their own, one without ads spends nothing.
            let price = match (spec.ads, scenario.paid) {
                (Some(own), _) => Some(own.cost_per_view),
                (None, Some(p)) => Some(p.cost_per_view),
                (None, None) => scenario.buys_ads().then_some(0.0),
            };
            let ad_costs: Option<Vec<f64>> = price.map(|price| {
                stats
                    .final_values_of(Metric::AdViews)
                    .expect("ads record their views")
                    .iter()
                    .map(|&v| v * price)
                    .collect()
            });
            let run_costs: Vec<f64> = match &ad_costs {
                Some(ads) => seeding_costs.iter().zip(ads).map(|(s, a)| s + a).collect(),
                None => seeding_costs,
            };
            let money = scenario
                .conversion
                .map(|c| money(&stats, &run_costs, c.value));
            let cost_total = stats::summarize(&mut run_costs.clone());
            let paid = ad_costs.map(|ads| paid(&stats, ads));
            // The late runs need the room only the statistics were kept for.
            keep(i, outcome);
            let against = prepared.rival_seeds.is_some().then(|| {
                let own = spec.start_step;
                let mut finals = vec![RivalFinals::of_stats(own, &stats)];
                for start in prepared.other_starts(i) {
                    let late = model_at(prepared, i, start);
                    let outcome = outcome_of_runs(prepared, &late, i, runs, progress);
                    finals.push(RivalFinals::of_outcome(start, &outcome));
                }
                let delays = scenario
                    .rival
                    .as_ref()
                    .map_or(&[][..], |r| &r.response_delays);
                let rival_start = scenario.rival.as_ref().map_or(0, |r| r.start_step);
                against_rival(&finals, own, rival_start, delays)
            });
            let (rival, by_delay) = match against {
                Some((rival, by_delay)) => (Some(rival), by_delay),
                None => (None, Vec::new()),
            };
            Ok(StrategyResult {
                name: spec.name.clone(),
                kind: spec.kind.name,
                seeds: match seeds {
                    Seeds::Fixed(s) => {
                        Some(s.iter().map(|&v| prepared.graph.name(v).into()).collect())
                    }
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
                ads: spec.ads,
                cost_total,
                by_delay,
            })
        })
        .collect::<Result<_, _>>()?;
    let comparison = compare(&strategies, scenario.goal);
    let mut timings = prepared.timings;
    timings.simulate_seconds = t.elapsed().as_secs_f64();
    Ok(Results {
        people: prepared.graph.nodes(),
        strategies,
        comparison,
        timings,
        runs,
        auto,
        goal: scenario.goal,
    })
}
