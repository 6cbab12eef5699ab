//! Seeding strategies: who gets the content first. Each strategy is its own
//! file behind [`SeedingStrategy`]; [`build`] is the one place that maps a
//! scenario's `kind` to it. A strategy chooses once, against the graph,
//! either a fixed seed set or a rule that draws a fresh set for every run.

mod explicit;
mod random;
mod top_degree;

use thiserror::Error;

use crate::graph::{Graph, Node};
use crate::scenario::{Location, Scenario, StrategyKind, StrategySpec};

pub use explicit::Explicit;
pub use random::Random;
pub use top_degree::{top_by_followers as top_degree_seeds, TopDegree};

/// A strategy that cannot be applied to this graph.
#[derive(Debug, Error)]
#[error("{location}: {message}")]
pub struct StrategyError {
    pub location: Location,
    pub message: String,
}

/// Seeds a strategy chose.
pub enum Seeds {
    /// The same people in every run.
    Fixed(Vec<Node>),
    /// A fresh set per run.
    PerRun(Box<dyn RunSeeds>),
}

impl Seeds {
    /// How many people are seeded in each run.
    pub fn count(&self) -> u32 {
        match self {
            Seeds::Fixed(s) => s.len() as u32,
            Seeds::PerRun(r) => r.count(),
        }
    }
}

/// A rule drawing a seed set per run, a pure function of the run index.
pub trait RunSeeds: Send + Sync {
    /// Seeds drawn per run.
    fn count(&self) -> u32;
    /// Fill `out` with run `run`'s seeds (distinct), using `scratch` as
    /// reusable workspace.
    fn draw(&self, run: u64, scratch: &mut SeedScratch, out: &mut Vec<Node>);
}

/// Reusable per-worker memory for drawing seeds.
#[derive(Debug, Default)]
pub struct SeedScratch {
    stamp: Vec<u32>,
    epoch: u32,
}

impl SeedScratch {
    /// Start a new draw over `nodes` people with nobody picked.
    pub fn begin(&mut self, nodes: u32) {
        if self.stamp.len() != nodes as usize || self.epoch == u32::MAX {
            self.stamp = vec![0; nodes as usize];
            self.epoch = 0;
        }
        self.epoch += 1;
    }

    /// Pick `v`; false if already picked in this draw.
    pub fn pick(&mut self, v: Node) -> bool {
        let s = &mut self.stamp[v as usize];
        if *s == self.epoch {
            false
        } else {
            *s = self.epoch;
            true
        }
    }
}

/// Everything a strategy may look at when choosing.
pub struct Context<'a> {
    pub graph: &'a Graph,
    pub scenario: &'a Scenario,
    pub spec: &'a StrategySpec,
}

impl Context<'_> {
    /// An error located at this strategy's `key`.
    pub fn error(&self, key: &str, message: impl Into<String>) -> StrategyError {
        StrategyError {
            location: self.scenario.strategy_location(self.spec.index, key),
            message: message.into(),
        }
    }

    /// Check that `count` people exist in the graph.
    pub fn check_count(&self, count: u32) -> Result<(), StrategyError> {
        let nodes = self.graph.nodes();
        if count > nodes {
            return Err(self.error(
                "count",
                format!(
                    "count {count} is larger than the graph's {nodes} people: allowed 1 to {nodes}"
                ),
            ));
        }
        Ok(())
    }
}

/// How a strategy chooses its seeds.
pub trait SeedingStrategy {
    /// Choose against the graph.
    fn choose(&self, ctx: &Context) -> Result<Seeds, StrategyError>;
}

/// The strategy a scenario's `[[strategy]]` table names.
pub fn build(kind: &StrategyKind) -> Box<dyn SeedingStrategy> {
    match kind {
        StrategyKind::Random { count } => Box::new(Random { count: *count }),
        StrategyKind::TopDegree { count } => Box::new(TopDegree { count: *count }),
        StrategyKind::Explicit { nodes } => Box::new(Explicit { ids: nodes.clone() }),
    }
}

/// Choose the seeds of `spec`.
pub fn choose(
    graph: &Graph,
    scenario: &Scenario,
    spec: &StrategySpec,
) -> Result<Seeds, StrategyError> {
    build(&spec.kind).choose(&Context {
        graph,
        scenario,
        spec,
    })
}
