//! Seeding strategies: who gets the content first. Each strategy is its own
//! file behind [`SeedingStrategy`]; [`build`] is the one place that maps a
//! scenario's `kind` to it. A strategy chooses once, against the graph,
//! either a fixed seed set or a rule that draws a fresh set for every run.

mod celf;
mod community_spread;
mod coreness;
mod degree_discount;
mod explicit;
mod imm;
mod pagerank;
mod random;
mod top_degree;

use thiserror::Error;

pub use crate::engine::{RunSeeds, SeedScratch, Seeds};
use crate::graph::Graph;
use crate::scenario::{Location, Scenario, StrategyKind, StrategySpec};

pub use celf::Celf;
pub use community_spread::CommunitySpread;
pub use coreness::Coreness;
pub use degree_discount::DegreeDiscount;
pub use explicit::Explicit;
pub use imm::Imm;
pub use pagerank::PageRank;
pub use random::Random;
pub use top_degree::{top_by_followers as top_degree_seeds, TopDegree};

/// A strategy that cannot be applied to this graph.
#[derive(Debug, Error)]
#[error("{location}: {message}")]
pub struct StrategyError {
    pub location: Location,
    pub message: String,
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

impl Context<'_> {
    /// Share probability of every arc, stickiness x trust, by arc id.
    pub fn share_probabilities(&self) -> Vec<f64> {
        let s = self.scenario.stickiness;
        self.graph
            .trust()
            .iter()
            .map(|&t| (s * t as f64).clamp(0.0, 1.0))
            .collect()
    }

    /// The scenario's mean share probability, stickiness x mean trust.
    pub fn mean_share_probability(&self) -> f64 {
        (self.scenario.stickiness * self.scenario.trust.mean()).clamp(0.0, 1.0)
    }
}

/// The `k` people with the highest `score`, best first; ties to the smaller
/// original id.
pub fn top_k_by_score(graph: &Graph, score: &[f64], k: u32) -> Vec<crate::graph::Node> {
    let mut order: Vec<crate::graph::Node> = (0..graph.nodes()).collect();
    order.sort_unstable_by(|&a, &b| {
        score[b as usize]
            .total_cmp(&score[a as usize])
            .then(graph.label(a).cmp(&graph.label(b)))
    });
    order.truncate(k as usize);
    order
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
        StrategyKind::DegreeDiscount { count } => Box::new(DegreeDiscount { count: *count }),
        StrategyKind::PageRank { count, damping } => Box::new(PageRank {
            count: *count,
            damping: *damping,
        }),
        StrategyKind::Coreness { count } => Box::new(Coreness { count: *count }),
        StrategyKind::CommunitySpread { count } => Box::new(CommunitySpread { count: *count }),
        StrategyKind::Celf { count, runs } => Box::new(Celf {
            count: *count,
            runs: *runs,
        }),
        StrategyKind::Imm {
            count,
            epsilon,
            ell,
        } => Box::new(Imm {
            count: *count,
            epsilon: *epsilon,
            ell: *ell,
        }),
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
