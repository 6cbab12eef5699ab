//! One scenario end to end, as library calls: build the graph, let each
//! strategy choose, simulate, reduce to statistics. The command line is a
//! thin layer over this; tests and benchmarks call it directly.

use std::time::Instant;

use crate::engine::{self, Acceptance, Outcome};
use crate::error::Error;
use crate::footprint::{self, Purpose};
use crate::graph::costs::{self, Costs};
use crate::graph::{self, edgelist::Cleaning, segments, trust, Graph};
use crate::model::{Metric, Model, RivalSeeding, Tally};
use crate::model::{SeedScratch, Seeds};
use crate::resources::Resources;
use crate::scenario::{AutoRuns, GraphSource, Scenario, ScenarioError, SeedingTable, Step};
use crate::stats::{self, OutcomeStats, Summary};
use crate::strategy::{self, Limit, Progress, StrategyError};

/// Wall-clock seconds per phase.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Timings {
    /// Graph built or read, trust drawn.
    pub load_seconds: f64,
    /// Strategies chose their seeds (all of them).
    pub seed_seconds: f64,
    /// The Monte Carlo runs (and their statistics).
    pub simulate_seconds: f64,
    /// Outputs written.
    pub write_seconds: f64,
}

/// A scenario with its graph built and every strategy's seeds chosen: all
/// that can fail on bad input has been checked.
pub struct Prepared {
    pub scenario: Scenario,
    pub graph: Graph,
    /// What cleaning the edge list took (None for generated graphs).
    pub cleaning: Option<Cleaning>,
    /// What seeding each person costs.
    pub costs: Costs,
    /// The target audience (`[target]`), as a mask over the graph's segment
    /// slots (see [`graph::Segments::slot`]).
    pub target: Option<Vec<bool>>,
    pub seeds: Vec<Seeds>,
    /// The rival's seeds (`[rival]`).
    pub rival_seeds: Option<Seeds>,
    /// Seconds each strategy took to choose, in scenario order.
    pub choose_seconds: Vec<f64>,
    pub timings: Timings,
}

/// Build the scenario's graph, its segments and its trust, exactly as a run
/// sees them (no seeds chosen), within the memory this machine has
/// available. For an edge list, also say what cleaning it took.
pub fn load_graph(scenario: &Scenario) -> Result<(Graph, Option<Cleaning>), Error> {
    load_graph_within(scenario, &Resources::of_machine(), Purpose::Describe)
}

/// [`load_graph`] within `resources`, for `purpose`: refused before
/// anything large is built if the run would not fit (see [`footprint`]),
/// and checked again, exactly, once the graph is built.
pub fn load_graph_within(
    scenario: &Scenario,
    resources: &Resources,
    purpose: Purpose,
) -> Result<(Graph, Option<Cleaning>), Error> {
    footprint::check_before(scenario, resources, purpose)?;
    let (mut graph, cleaning) =
        graph::load(&scenario.graph, &resources.memory).map_err(|source| Error::Graph {
            location: Box::new(scenario.graph_location(match scenario.graph {
                GraphSource::EdgeList { .. } => "edges",
                GraphSource::Generated { .. } => "generator",
            })),
            source,
        })?;
    if let Some(path) = &scenario.segment_file {
        let located = |source| Error::Graph {
            location: Box::new(scenario.graph_location("segments")),
            source,
        };
        let read = segments::read(path, &graph).map_err(located)?;
        graph = graph.with_named_segments(read);
    }
    trust::assign(&mut graph, &scenario.trust, scenario.simulation.seed);
    if let Some(factors) = &scenario.segment_trust {
        trust::by_segment(&mut graph, factors);
    }
    footprint::check_built(scenario, &graph, resources, purpose)?;
    Ok((graph, cleaning))
}

/// Build the graph and choose the seeds, within the memory this machine
/// has available.
pub fn prepare(scenario: Scenario) -> Result<Prepared, Error> {
    prepare_within(scenario, &Resources::of_machine(), &strategy::Unwatched)
}

/// Build the graph and choose the seeds within `resources` (see
/// [`load_graph_within`]; a `[sweep]`'s points are checked too), telling
/// `progress` how far slow strategies got.
pub fn prepare_within(
    scenario: Scenario,
    resources: &Resources,
    progress: &dyn Progress,
) -> Result<Prepared, Error> {
    let t = Instant::now();
    let (graph, cleaning) = load_graph_within(&scenario, resources, Purpose::Simulate)?;
    // Each point of a sweep builds its own graph while this one and its
    // costs are kept.
    let base = graph.heap_bytes() + 8 * graph.nodes() as u64;
    footprint::check_sweep(&scenario, &graph, base, resources)?;
    prepare_on_within(scenario, graph, cleaning, t, resources, progress)
}

/// Choose the seeds on `graph`, which [`load_graph`] built for this
/// scenario (or for one with the same graph, segments, trust and seed);
/// `started` is when loading began.
pub fn prepare_on(
    scenario: Scenario,
    graph: Graph,
    cleaning: Option<Cleaning>,
    started: Instant,
) -> Result<Prepared, Error> {
    prepare_on_within(
        scenario,
        graph,
        cleaning,
        started,
        &Resources::of_machine(),
        &strategy::Unwatched,
    )
}

/// [`prepare_on`] within `resources`: the strategies may use what they
/// leave beside the graph and costs, and tell `progress` how far they got.
pub fn prepare_on_within(
    scenario: Scenario,
    graph: Graph,
    cleaning: Option<Cleaning>,
    started: Instant,
    resources: &Resources,
    progress: &dyn Progress,
) -> Result<Prepared, Error> {
    let t = started;
    if let (Some(_), Some(read)) = (&scenario.segment_file, graph.segments()) {
        // How many segments there are is known only now.
        scenario
            .check_result_size(read.slots() as u64)
            .map_err(|message| ScenarioError::at(scenario.graph_location("segments"), message))?;
    }
    let target = match &scenario.target {
        Some(t) => {
            let segments = graph
                .segments()
                .expect("a scenario with [target] has segments (checked when read)");
            Some(segments.select(&t.segments).map_err(|i| {
                ScenarioError::at(
                    scenario.target_location(i),
                    segments.unknown(&t.segments[i]),
                )
            })?)
        }
        None => None,
    };
    let costs = costs::assign(&graph, &scenario.costs).map_err(|source| Error::Graph {
        location: Box::new(scenario.costs_location(if scenario.costs.file.is_some() {
            "file"
        } else {
            "per_follower"
        })),
        source,
    })?;
    let load_seconds = t.elapsed().as_secs_f64();

    let t = Instant::now();
    // The strategies may use what the graph, the costs and the target
    // leave.
    let room = resources.memory.less(
        graph.heap_bytes()
            + 8 * costs.all().len() as u64
            + target.as_ref().map_or(0, |t| t.len() as u64),
    );
    let setting = scenario.setting(&graph);
    let located = |table: SeedingTable| {
        let scenario = &scenario;
        move |source: StrategyError| {
            let mut path = vec![Step::Key(source.key)];
            path.extend(source.index.map(Step::Index));
            Error::Strategy {
                location: Box::new(scenario.strategy_location(table, &path)),
                source,
            }
        }
    };
    let mut seeds = Vec::with_capacity(scenario.strategies.len());
    let mut choose_seconds = Vec::with_capacity(scenario.strategies.len());
    for (i, spec) in scenario.strategies.iter().enumerate() {
        let started = Instant::now();
        seeds.push(
            strategy::choose(&graph, spec, &setting, &costs, &room, progress)
                .map_err(located(SeedingTable::Strategy(i)))?,
        );
        choose_seconds.push(started.elapsed().as_secs_f64());
    }
    let rival_seeds = match &scenario.rival {
        Some(rival) => Some(
            strategy::choose_rival(
                &graph,
                &rival.seeding,
                rival.stickiness,
                &setting,
                &costs,
                &room,
                progress,
            )
            .map_err(located(SeedingTable::Rival))?,
        ),
        None => None,
    };
    let seed_seconds = t.elapsed().as_secs_f64();
    Ok(Prepared {
        scenario,
        graph,
        cleaning,
        costs,
        target,
        seeds,
        rival_seeds,
        choose_seconds,
        timings: Timings {
            load_seconds,
            seed_seconds,
            ..Timings::default()
        },
    })
}

/// One strategy's results.
pub struct StrategyResult {
    pub name: String,
    pub kind: &'static str,
    /// Seeds as original ids, for fixed seed sets.
    pub seeds: Option<Vec<u64>>,
    /// People invited per run (the mean over runs when drawn afresh).
    pub seeds_per_run: f64,
    /// What inviting them costs per run (the mean over runs when drawn
    /// afresh).
    pub cost: f64,
    /// The strategy's budget, if it was given one.
    pub budget: Option<f64>,
    pub stats: OutcomeStats,
    /// Revenue, cost and return on investment, when the scenario counts
    /// conversions.
    pub money: Option<Money>,
    /// What the ads bought, when the scenario has `[paid]`.
    pub paid: Option<PaidResult>,
    /// Net reach and the cost of a late response (`[rival]`).
    pub rival: Option<RivalResult>,
}

/// What paid exposure cost and what word of mouth added to it, per run.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct PaidResult {
    /// Ad views x cost per view.
    pub cost: Summary,
    /// Earned-media multiplier: people reached in all / people reached
    /// directly by seeding or ads (1 in a run that reached nobody).
    pub multiplier: Summary,
}

/// What a rival content does to a strategy's campaign (`[rival]`), each
/// figure computed run by run over the same runs (common random numbers).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct RivalResult {
    /// Net reach: our final reached minus the rival's.
    pub net_reached: Summary,
    /// What one step of delay in our response costs: our final reached
    /// when our seeds share at step 0 minus when they share at step 1,
    /// everything else (the rival, its start step, the runs) the same.
    pub delay_cost: Summary,
    /// The same for net reach.
    pub delay_cost_net: Summary,
}

/// What a campaign earns and costs, per run (`[conversion]`).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Money {
    /// Conversions x value.
    pub revenue: Summary,
    /// Seeding cost (what the invitations cost) plus ad views bought.
    pub cost: Summary,
    /// (revenue - cost) / cost.
    pub roi: Summary,
}

impl StrategyResult {
    /// Final reached summary (every model records reached).
    pub fn reached(&self) -> &Summary {
        self.stats
            .final_of(Metric::Reached)
            .expect("every model records reached")
    }

    /// Mean money spent per run: seeding plus ads.
    pub fn total_cost(&self) -> f64 {
        self.cost + self.paid.map_or(0.0, |p| p.cost.mean)
    }

    /// Mean final reached per 1000 of money spent (seeding and ads); None
    /// when nothing was spent.
    pub fn reached_per_1000(&self) -> Option<f64> {
        let cost = self.total_cost();
        (cost > 0.0).then(|| 1000.0 * self.reached().mean / cost)
    }

    /// The share of the mean final reach that falls outside the target
    /// audience, wasted reach (with `[target]`; None if nobody is reached).
    pub fn wasted_share(&self) -> Option<f64> {
        let outside = self.stats.final_of(Metric::ReachedOutsideTarget)?;
        let reached = self.reached().mean;
        (reached > 0.0).then(|| outside.mean / reached)
    }
}

/// The paired comparison of the two strategies with the highest mean final
/// reach: their run-by-run difference under common random numbers.
pub struct Comparison {
    pub best: usize,
    pub runner_up: usize,
    /// Final reached of best minus runner-up, per run.
    pub reached_difference: Summary,
    /// Per strategy, its final reached minus the best's, run by run (None
    /// for the best itself).
    pub versus_best: Vec<Option<Summary>>,
}

/// All results of a scenario.
pub struct Results {
    pub strategies: Vec<StrategyResult>,
    pub comparison: Option<Comparison>,
    pub timings: Timings,
    /// Runs made per strategy (with `[rival]`, also the late-response
    /// runs): `[simulation] runs`, or with runs = "auto" as many as it took.
    pub runs: u32,
    /// How runs = "auto" arrived at `runs` (None with a fixed count).
    pub auto: Option<AutoReport>,
}

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
/// a strategy is the half width of the 95% CI of its mean final reached
/// over that mean (see [`stats::relative_ci95_half_width`]).
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

/// The scenario's model over the prepared graph, with its tallies.
pub fn model(prepared: &Prepared) -> Model<'_> {
    model_with_our_start(prepared, 0)
}

/// The scenario's model with our seeds sharing at step `our_start` (which
/// matters only against a `[rival]`).
fn model_with_our_start(prepared: &Prepared, our_start: u32) -> Model<'_> {
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
    fn runs_for(&self, runs: u32) -> u64 {
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
fn outcome_of_runs(
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
fn extend(
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

/// Every strategy's runs for runs = "auto": batches of runs for all
/// strategies alike (so runs stay paired across strategies), until every
/// strategy's relative half width is within `auto.ci_half_width` or
/// `auto.max_runs` runs are made. The first batch is [`AUTO_FIRST_BATCH`]
/// runs, later ones follow [`next_auto_runs`]. Which runs are made depends
/// only on the runs' results, so on the scenario alone. `planned` is told
/// the runs to make in all (see [`Prepared::runs_to_simulate`]) before
/// each batch.
fn auto_outcomes(
    prepared: &Prepared,
    model: &Model,
    auto: AutoRuns,
    progress: &(dyn Fn(u64) + Sync),
    planned: &dyn Fn(u64),
) -> (Vec<Outcome>, AutoReport) {
    let mut outcomes: Vec<Outcome> = (0..prepared.seeds.len())
        .map(|i| outcome_of_runs(prepared, model, i, 0, progress))
        .collect();
    // Final reached per run and strategy: all the stopping rule reads.
    let mut reached: Vec<Vec<f64>> = vec![Vec::new(); outcomes.len()];
    let mut runs = AUTO_FIRST_BATCH.min(auto.max_runs);
    let mut batches = Vec::new();
    loop {
        planned(prepared.runs_for(runs));
        for (i, (outcome, reached)) in outcomes.iter_mut().zip(&mut reached).enumerate() {
            let first = outcome.runs;
            extend(prepared, model, i, outcome, runs - first, progress);
            let m = outcome
                .metric_index(Metric::Reached)
                .expect("every model records reached");
            reached.extend(
                (first..runs).map(|r| *outcome.curve(r, m).last().expect("steps + 1 >= 1") as f64),
            );
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
    let comparison = compare(&strategies);
    let mut timings = prepared.timings;
    timings.simulate_seconds = t.elapsed().as_secs_f64();
    Results {
        strategies,
        comparison,
        timings,
        runs,
        auto,
    }
}

/// How many people `seeds` invites per run (the mean over the runs when
/// drawn afresh) and what the invitations cost in each run.
pub fn invited(seeds: &Seeds, costs: &Costs, runs: u32) -> (f64, Vec<f64>) {
    match seeds {
        Seeds::Fixed(s) => (s.len() as f64, vec![costs.total(s); runs as usize]),
        Seeds::PerRun(rule) => {
            let mut scratch = SeedScratch::default();
            let mut drawn = Vec::new();
            let mut people = 0.0;
            let mut cost = Vec::with_capacity(runs as usize);
            for run in 0..runs as u64 {
                rule.draw(run, &mut scratch, &mut drawn);
                people += drawn.len() as f64;
                cost.push(costs.total(&drawn));
            }
            (people / runs as f64, cost)
        }
    }
}

/// Ad cost and the earned-media multiplier, run by run.
fn paid(stats: &OutcomeStats, mut ad_costs: Vec<f64>) -> PaidResult {
    let values = |m: Metric| stats.final_values_of(m).expect("ads record their split");
    let (reached, earned) = (values(Metric::Reached), values(Metric::EarnedReached));
    let mut multiplier: Vec<f64> = reached
        .iter()
        .zip(earned)
        .map(|(&r, &e)| if r > e { r / (r - e) } else { 1.0 })
        .collect();
    PaidResult {
        cost: stats::summarize(&mut ad_costs),
        multiplier: stats::summarize(&mut multiplier),
    }
}

/// Revenue, cost and ROI run by run, from each run's conversions (worth
/// `value` each) and seeding cost.
fn money(stats: &OutcomeStats, run_costs: &[f64], value: f64) -> Money {
    let converted = stats
        .final_values_of(Metric::Converted)
        .expect("a scenario with [conversion] records conversions");
    let mut revenue: Vec<f64> = converted.iter().map(|&c| c * value).collect();
    let mut roi: Vec<f64> = revenue
        .iter()
        .zip(run_costs)
        .map(|(&r, &c)| (r - c) / c)
        .collect();
    Money {
        revenue: stats::summarize(&mut revenue),
        cost: stats::summarize(&mut run_costs.to_vec()),
        roi: stats::summarize(&mut roi),
    }
}

/// Net reach and the cost of delay, from a strategy's statistics and the
/// outcome of the same runs with our response one step `late`.
fn against_rival(on_time: &OutcomeStats, late: &Outcome) -> RivalResult {
    let net = |reached: &[f64], rival: &[f64]| -> Vec<f64> {
        reached.iter().zip(rival).map(|(r, x)| r - x).collect()
    };
    let values = |metric| {
        on_time
            .final_values_of(metric)
            .expect("a scenario with [rival] records both reaches")
    };
    let late_values = |metric| {
        late.finals(
            late.metric_index(metric)
                .expect("a scenario with [rival] records both reaches"),
        )
    };
    let reached = values(Metric::Reached);
    let on_time_net = net(reached, values(Metric::RivalReached));
    let late_reached = late_values(Metric::Reached);
    let late_net = net(&late_reached, &late_values(Metric::RivalReached));
    RivalResult {
        net_reached: stats::summarize(&mut on_time_net.clone()),
        delay_cost: stats::paired_difference(reached, &late_reached),
        delay_cost_net: stats::paired_difference(&on_time_net, &late_net),
    }
}

/// The two strategies with the highest mean final reach (ties to the one
/// listed first), and their paired difference.
fn compare(strategies: &[StrategyResult]) -> Option<Comparison> {
    if strategies.len() < 2 {
        return None;
    }
    let mut order: Vec<usize> = (0..strategies.len()).collect();
    order.sort_by(|&a, &b| {
        strategies[b]
            .reached()
            .mean
            .total_cmp(&strategies[a].reached().mean)
            .then(a.cmp(&b))
    });
    let (best, runner_up) = (order[0], order[1]);
    let values = |i: usize| {
        strategies[i]
            .stats
            .final_values_of(Metric::Reached)
            .expect("reached is recorded")
    };
    let versus_best = (0..strategies.len())
        .map(|i| (i != best).then(|| stats::paired_difference(values(i), values(best))))
        .collect();
    Some(Comparison {
        versus_best,
        best,
        runner_up,
        reached_difference: stats::paired_difference(values(best), values(runner_up)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_batch_aims_at_the_target_within_bounds() {
        // 1.5 times too wide: 128 x 1.5^2 x 1.1 = 316.8, to whole blocks.
        assert_eq!(next_auto_runs(128, 1.5, 100_000), 320);
        // Twice too wide wants 563 runs: growth stops at 4x.
        assert_eq!(next_auto_runs(128, 2.0, 100_000), 512);
        assert_eq!(next_auto_runs(128, f64::INFINITY, 100_000), 512);
        // Barely too wide: the smallest batch.
        assert_eq!(next_auto_runs(128, 1.0001, 100_000), 128 + AUTO_MIN_BATCH);
        // 40 x 1.2^2 x 1.1 = 63.4 is below 40 + 64, rounded up to blocks.
        assert_eq!(next_auto_runs(40, 1.2, 1000), 112);
        // The cap wins over whole blocks.
        assert_eq!(next_auto_runs(128, 1.5, 300), 300);
        assert_eq!(next_auto_runs(128, 1.5, 130), 130);
    }
}
