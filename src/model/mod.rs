//! Spread models: the dynamics of one run. A model turns a seed set and a
//! run index into per-step cumulative counts of its metrics. Each model is
//! its own file behind [`SpreadModel`]; [`Model`] is the one place that
//! lists them.

mod independent_cascade;

pub use independent_cascade::IndependentCascade;

use crate::graph::{Graph, Node};
use crate::scenario::{ModelKind, Scenario};

/// What a run counts, per step, cumulatively.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// People who saw the content at least once, seeds included.
    Reached,
    /// People who shared it, seeds included.
    Shared,
}

impl Metric {
    /// The metric's name in every output.
    pub fn name(&self) -> &'static str {
        match self {
            Metric::Reached => "reached",
            Metric::Shared => "shared",
        }
    }
}

/// One run's record: `metrics.len()` rows of `steps + 1` cumulative counts,
/// row-major, as the model's [`SpreadModel::metrics`] lists them.
pub struct RunRecord<'a> {
    pub data: &'a mut [u32],
    pub steps: u32,
}

impl RunRecord<'_> {
    /// The row of metric number `m`.
    #[inline]
    pub fn row(&mut self, m: usize) -> &mut [u32] {
        let len = self.steps as usize + 1;
        &mut self.data[m * len..(m + 1) * len]
    }
}

/// The dynamics of one run. Implementations keep all per-run state in their
/// workspace, reused across runs, so a run allocates nothing.
pub trait SpreadModel: Sync {
    /// Reusable per-worker state.
    type Workspace: Send;

    /// The metrics a run records, in row order.
    fn metrics(&self) -> &'static [Metric];

    /// A fresh workspace for this model and graph.
    fn workspace(&self) -> Self::Workspace;

    /// Simulate run number `run` from `seeds` (distinct people), filling
    /// every row of `record`. A pure function of (model, seeds, run).
    fn run(&self, ws: &mut Self::Workspace, seeds: &[Node], run: u64, record: RunRecord);
}

/// The models a scenario can name.
pub enum Model<'g> {
    IndependentCascade(IndependentCascade<'g>),
}

impl<'g> Model<'g> {
    /// Build the scenario's model over `graph` (trust already assigned).
    pub fn new(scenario: &Scenario, graph: &'g Graph) -> Model<'g> {
        let sim = &scenario.simulation;
        match sim.model {
            ModelKind::IndependentCascade => Model::IndependentCascade(IndependentCascade::new(
                graph,
                scenario.stickiness,
                sim.steps,
                sim.seed,
            )),
        }
    }
}

/// Marks of who was reached and who shared in the current run, reset in
/// O(1) per run by moving to a new epoch.
#[derive(Debug, Clone)]
pub struct Marks {
    stamp: Vec<u32>,
    base: u32,
}

impl Marks {
    /// Marks for `nodes` people, all unseen.
    pub fn new(nodes: u32) -> Marks {
        Marks {
            stamp: vec![0; nodes as usize],
            base: 0,
        }
    }

    /// Forget every mark (O(1) except once every 2^31 runs).
    #[inline]
    pub fn reset(&mut self) {
        if self.base >= u32::MAX - 2 {
            self.stamp.fill(0);
            self.base = 0;
        }
        self.base += 2;
    }

    /// Mark `v` reached; true if it was not reached before.
    #[inline(always)]
    pub fn reach(&mut self, v: Node) -> bool {
        let s = &mut self.stamp[v as usize];
        if *s < self.base {
            *s = self.base;
            true
        } else {
            false
        }
    }

    /// Whether `v` has shared.
    #[inline(always)]
    pub fn has_shared(&self, v: Node) -> bool {
        self.stamp[v as usize] == self.base + 1
    }

    /// Mark `v` as a sharer (and so reached).
    #[inline(always)]
    pub fn share(&mut self, v: Node) {
        self.stamp[v as usize] = self.base + 1;
    }
}
