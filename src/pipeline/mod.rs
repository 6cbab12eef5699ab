//! One scenario end to end, as library calls: build the graph, let each
//! strategy choose, simulate, reduce to statistics. The command line is a
//! thin layer over this; tests and benchmarks call it directly. This file
//! prepares (graph, costs, target, seeds); `simulate.rs` runs the
//! strategies, `auto.rs` sizes runs = "auto" in batches, `results.rs`
//! reduces the runs to what every output reports.

use std::time::Instant;

use crate::engine::{self, Acceptance, Outcome};
use crate::error::Error;
use crate::footprint::{self, Purpose};
use crate::graph::costs::{self, Costs};
use crate::graph::{self, edgelist::Cleaning, people, segments, trust, Graph};
use crate::model::{AdBudget, Goal, Metric, Model, RivalSeeding, SpreadSpec, Tally};
use crate::model::{SeedScratch, Seeds};
use crate::resources::Resources;
use crate::scenario::{AutoRuns, GraphSource, Scenario, ScenarioError, SeedingTable, Step};
use crate::stats::{self, OutcomeStats, Summary};
use crate::strategy::{self, Limit, Progress, StrategyError};

mod auto;
mod results;
mod simulate;
#[cfg(test)]
mod tests;

pub use auto::*;
pub use results::*;
pub use simulate::*;

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
    /// Per strategy, each fixed seed's marginal gain, for the strategies
    /// that know it (celf, imm; see [`strategy::Chosen`]).
    pub gains: Vec<Option<Vec<f64>>>,
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
    if let Some(path) = &scenario.people_file {
        graph = with_people(scenario, graph, path)?;
    }
    if scenario.graph.is_binary() {
        check_binary(scenario, &graph)?;
    }
    if cleaning.is_some_and(|c| c.trust_column) {
        // The file's trust is the network's own; a drawn one would
        // silently replace it.
        if scenario.trust != (trust::TrustSpec::Constant { value: 1.0 }) {
            return Err(ScenarioError::at(
                scenario.trust_location("distribution"),
                "the edge list has a `trust` column, which gives every arc its trust: drop `distribution` and its keys from [trust] (same_segment and other_segment still apply), or the column from the file",
            )
            .into());
        }
    } else {
        trust::assign(&mut graph, &scenario.trust, scenario.simulation.seed);
    }
    if let Some(factors) = &scenario.segment_trust {
        trust::by_segment(&mut graph, factors);
    }
    footprint::check_built(scenario, &graph, resources, purpose)?;
    Ok((graph, cleaning))
}

/// Refuse keys that a binary graph (which holds every arc's trust as
/// exported, segment factors included) would apply twice, and keys that
/// need segments it does not have.
fn check_binary(scenario: &Scenario, graph: &Graph) -> Result<(), Error> {
    if scenario.segment_trust.is_some() {
        return Err(ScenarioError::at(
            scenario.trust_location("same_segment"),
            "the binary graph holds every arc's trust as it was exported, [trust] same_segment and other_segment included: drop them from [trust] (they would apply twice)",
        )
        .into());
    }
    if graph.segments().is_none() && uses_segments(scenario) {
        return Err(ScenarioError::at(
            scenario.graph_location("edges"),
            "the scenario refers to segments ([target], a strategy's `segments` or [trust] same_segment / other_segment), but this binary graph was exported without segments: name a `segments` file, or export the graph from a scenario that gives them",
        )
        .into());
    }
    Ok(())
}

/// `graph` with the segments of the people file at `path`; an error if
/// another key gives the segments or the costs too, or if the scenario
/// needs segments the file does not give.
fn with_people(scenario: &Scenario, graph: Graph, path: &std::path::Path) -> Result<Graph, Error> {
    let here = || scenario.graph_location("people");
    let read = people::read(path, &graph).map_err(|source| Error::Graph {
        location: Box::new(here()),
        source,
    })?;
    if read.costs.is_some() && scenario.costs.file.is_some() {
        return Err(ScenarioError::at(
            here(),
            "the people file has a `cost` column and [costs] names a `file` too: give each person's cost in one of them (drop [costs] file, or the column)",
        )
        .into());
    }
    match read.segments {
        Some(_) if scenario.segment_file.is_some() => Err(ScenarioError::at(
            here(),
            "the people file has a `segment` column and [graph] names a `segments` file too: give each person's segment in one of them (drop `segments`, or the column)",
        )
        .into()),
        Some(_) if scenario.graph.plants_segments() => Err(ScenarioError::at(
            here(),
            "the people file has a `segment` column, but generator stochastic-block already gives everyone a segment (their community): drop the column or use another generator",
        )
        .into()),
        Some(segments) => Ok(graph.with_named_segments(segments)),
        None if graph.segments().is_none() && uses_segments(scenario) => Err(ScenarioError::at(
            here(),
            "the scenario refers to segments ([target], a strategy's `segments` or [trust] same_segment / other_segment), but the people file has no `segment` column: add one, or name a `segments` file",
        )
        .into()),
        None => Ok(graph),
    }
}

/// Whether any key of the scenario needs the graph to have segments.
fn uses_segments(scenario: &Scenario) -> bool {
    scenario.target.is_some()
        || scenario.segment_trust.is_some()
        || scenario.resonance.is_some()
        || scenario.strategy_ad_resonance.iter().any(|t| !t.is_empty())
        || scenario
            .activity
            .as_ref()
            .is_some_and(|a| !a.segments.is_empty())
        || scenario.strategies.iter().any(|s| s.segments.is_some())
        || scenario
            .rival
            .as_ref()
            .is_some_and(|r| r.seeding.segments.is_some())
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
    match &scenario.graph {
        GraphSource::EdgeList { path, .. } => progress.reading(
            &path
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::fs::metadata(path).map_or(0, |m| m.len()),
        ),
        GraphSource::Generated { .. } => progress.phase("building the network"),
    }
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
    let from_file = scenario.segment_file.is_some() || scenario.people_file.is_some();
    if let (true, Some(read)) = (from_file, graph.segments()) {
        // How many segments there are is known only now.
        scenario
            .check_result_size(2 * read.slots() as u64)
            .map_err(|message| {
                let key = if scenario.segment_file.is_some() {
                    "segments"
                } else {
                    "people"
                };
                ScenarioError::at(scenario.graph_location(key), message)
            })?;
    }
    scenario.check_segment_names(graph.segments())?;
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
    let listed = match &scenario.people_file {
        Some(path) => {
            people::read(path, &graph)
                .map_err(|source| Error::Graph {
                    location: Box::new(scenario.graph_location("people")),
                    source,
                })?
                .costs
        }
        None => None,
    };
    let costs =
        costs::assign_with(&graph, &scenario.costs, listed.as_deref()).map_err(|source| {
            Error::Graph {
                location: Box::new(scenario.costs_location(if scenario.costs.file.is_some() {
                    "file"
                } else {
                    "per_follower"
                })),
                source,
            }
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
    let mut setting = scenario.setting(&graph);
    setting.aim.target = target.clone();
    setting.costs_from_file |= listed.is_some();
    if cleaning.is_some_and(|c| c.trust_column) {
        // The file's trust, not a drawn one: its mean over the arcs.
        let t = graph.trust();
        // One trust for every arc: below 2^29 arcs each partial sum k x
        // (x has 24 significant bits) is exact, so the sum is n x.
        let sum = match t.constant() {
            Some(x) if t.len() < 1 << 29 => t.len() as f64 * x as f64,
            _ => t.iter().map(|&x| x as f64).sum::<f64>(),
        };
        setting.mean_trust = sum / t.len().max(1) as f64;
    }
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
    // The rival's seeds first: a strategy aiming at net reach is chosen
    // against them (they never depend on ours).
    let rival_seeds = match &scenario.rival {
        Some(rival) => Some({
            progress.phase("choosing the rival's seeds");
            strategy::choose_rival(
                &graph,
                &rival.seeding,
                rival.stickiness,
                &setting,
                &costs,
                &room,
                progress,
            )
            .map_err(located(SeedingTable::Rival))?
        }),
        None => None,
    };
    let mut seeds = Vec::with_capacity(scenario.strategies.len());
    let mut gains = Vec::with_capacity(scenario.strategies.len());
    let mut choose_seconds = Vec::with_capacity(scenario.strategies.len());
    for (i, spec) in scenario.strategies.iter().enumerate() {
        let started = Instant::now();
        progress.phase(&format!("choosing seeds: {}", spec.name));
        let chosen = strategy::choose_ranked_against(
            &graph,
            spec,
            &scenario.setting_of(i, &setting),
            &costs,
            &room,
            progress,
            rival_seeds.as_ref(),
        )
        .map_err(located(SeedingTable::Strategy(i)))?;
        seeds.push(chosen.seeds);
        gains.push(chosen.gains);
        choose_seconds.push(started.elapsed().as_secs_f64());
    }
    let seed_seconds = t.elapsed().as_secs_f64();
    Ok(Prepared {
        scenario,
        graph,
        cleaning,
        costs,
        target,
        seeds,
        gains,
        rival_seeds,
        choose_seconds,
        timings: Timings {
            load_seconds,
            seed_seconds,
            ..Timings::default()
        },
    })
}
