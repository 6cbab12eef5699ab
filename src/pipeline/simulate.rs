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
    let models = Models::new(prepared);
    // A stop asked while a unit's runs were made leaves some of them
    // unmade: such an outcome is never reduced. The outcome itself says
    // so, whatever the stop flag says by the time it is looked at.
    let stopped = |outcome: &Outcome| stoppable && outcome.stopped();
    // With runs = "auto" every strategy's runs are made first, batch by
    // batch; with a fixed count one strategy's at a time, to keep only one
    // strategy's runs in memory.
    match prepared.scenario.simulation.auto {
        Some(auto) => {
            let (outcomes, report) = auto_outcomes(prepared, &models, auto, progress, planned);
            if outcomes.iter().any(stopped) {
                return Err(Interrupted);
            }
            let runs = *report.batches.last().expect("at least one batch");
            let mut batched = outcomes.into_iter();
            reduce(
                prepared,
                &models,
                runs,
                Some(report),
                t,
                &mut |unit, model| {
                    let outcome = match unit.start {
                        None => batched.next().expect("one outcome per strategy"),
                        Some(_) => outcome_of_runs(prepared, model, unit.strategy, runs, progress),
                    };
                    if stopped(&outcome) {
                        return Err(Interrupted);
                    }
                    Ok(outcome)
                },
                keep,
            )
        }
        None => {
            let runs = prepared.scenario.simulation.runs;
            reduce(
                prepared,
                &models,
                runs,
                None,
                t,
                &mut |unit, model| {
                    let outcome = outcome_of_runs(prepared, model, unit.strategy, runs, progress);
                    if stopped(&outcome) {
                        return Err(Interrupted);
                    }
                    Ok(outcome)
                },
                keep,
            )
        }
    }
}

/// One strategy's runs from one start of its seeds: the pieces a scenario's
/// runs come in, simulated and reduced in the order of [`units`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unit {
    /// The strategy, in scenario order.
    pub strategy: usize,
    /// None: the strategy's own start and model; else the step its seeds
    /// post at instead (see [`other_starts`]).
    pub start: Option<u32>,
}

/// Every unit of `scenario`'s runs, in the order [`reduce`] asks for
/// them: each strategy's own runs, then its runs at each of
/// [`other_starts`].
pub fn units(scenario: &Scenario) -> Vec<Unit> {
    (0..scenario.strategies.len())
        .flat_map(|strategy| {
            std::iter::once(Unit {
                strategy,
                start: None,
            })
            .chain(
                other_starts(scenario, strategy)
                    .into_iter()
                    .map(move |s| Unit {
                        strategy,
                        start: Some(s),
                    }),
            )
        })
        .collect()
}

/// Runs `range` (run numbers) of every unit of the prepared scenario, in
/// the order of [`units`], each handed to `sink` as soon as it is made and
/// then dropped: a shard's share of the runs, before any statistics.
pub fn simulate_range<E>(
    prepared: &Prepared,
    range: std::ops::Range<u32>,
    progress: &(dyn Fn(u64) + Sync),
    sink: &mut dyn FnMut(Unit, &Outcome) -> Result<(), E>,
) -> Result<(), E> {
    let models = Models::new(prepared);
    let steps = prepared.scenario.simulation.steps;
    for unit in units(&prepared.scenario) {
        let late;
        let model = match unit.start {
            None => models.of(unit.strategy),
            Some(start) => {
                late = model_at(prepared, unit.strategy, start);
                &late
            }
        };
        let mut outcome = Outcome::starting_at(model, steps, range.start);
        extend(
            prepared,
            model,
            unit.strategy,
            &mut outcome,
            range.end - range.start,
            progress,
        );
        sink(unit, &outcome)?;
    }
    Ok(())
}

/// An empty outcome of `unit`'s model: what its runs are appended to when
/// they are read back rather than simulated.
pub fn empty_outcome(prepared: &Prepared, unit: Unit) -> Outcome {
    let steps = prepared.scenario.simulation.steps;
    match unit.start {
        None => Outcome::empty(&model_of(prepared, unit.strategy), steps),
        Some(start) => Outcome::empty(&model_at(prepared, unit.strategy, start), steps),
    }
}

/// Reduce `runs` runs per unit to [`Results`], unit by unit in the order
/// of [`units`], each unit's runs (0 to `runs - 1`) from `fetch`, given
/// the unit's model: simulated on the spot, or read back from shards.
/// Each strategy's own runs go to `keep` (strategy index, outcome) once
/// reduced, the others are dropped. `started` is when
/// simulating began.
pub fn reduce<E>(
    prepared: &Prepared,
    models: &Models,
    runs: u32,
    auto: Option<AutoReport>,
    started: Instant,
    fetch: &mut dyn FnMut(Unit, &Model) -> Result<Outcome, E>,
    keep: &mut dyn FnMut(usize, Outcome),
) -> Result<Results, E> {
    let t = started;
    let scenario = &prepared.scenario;
    let strategies = scenario
        .strategies
        .iter()
        .zip(&prepared.seeds)
        .enumerate()
        .map(|(i, (spec, seeds))| {
            let outcome = fetch(
                Unit {
                    strategy: i,
                    start: None,
                },
                models.of(i),
            )?;
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
            // The late runs need the room only the statistics were kept
            // for, unless the caller keeps the runs.
            keep(i, outcome);
            let against = match prepared.rival_seeds.is_some() {
                false => None,
                true => Some({
                    let own = spec.start_step;
                    let mut finals = vec![RivalFinals::of_stats(own, &stats)];
                    for start in prepared.other_starts(i) {
                        let late = model_at(prepared, i, start);
                        let unit = Unit {
                            strategy: i,
                            start: Some(start),
                        };
                        let outcome = fetch(unit, &late)?;
                        finals.push(RivalFinals::of_outcome(start, &outcome));
                    }
                    let delays = scenario
                        .rival
                        .as_ref()
                        .map_or(&[][..], |r| &r.response_delays);
                    let rival_start = scenario.rival.as_ref().map_or(0, |r| r.start_step);
                    against_rival(&finals, own, rival_start, delays)
                }),
            };
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
        .collect::<Result<Vec<StrategyResult>, E>>()?;
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
