//! Independent cascade (Kempe, Kleinberg & Tardos 2003) with per-arc
//! probability p(u -> v) = stickiness * trust(u -> v), in discrete steps:
//! the seeds share at step 0; a person who shares at step t exposes all
//! their followers at step t + 1, and each follower who has not shared yet
//! shares with that arc's probability, independently per arc.
//!
//! The coin of arc `a` in run `r` is a counter-based hash of
//! (seed, r, a) (see [`crate::rng`]). Since a person shares at most once,
//! each arc is tried at most once per run, so run `r` is a draw of the live
//! arcs of a bond percolation, the same for every seeding strategy.

use super::{Marks, Metric, RunRecord, SpreadModel};
use crate::graph::{Graph, Node};
use crate::rng::{self, Purpose};

/// The independent cascade over one graph.
pub struct IndependentCascade<'g> {
    graph: &'g Graph,
    /// Per-arc share threshold of p = stickiness * trust (see
    /// [`rng::threshold`]).
    thresholds: Vec<u64>,
    steps: u32,
    seed: u64,
}

/// Reused state of one worker.
pub struct Workspace {
    marks: Marks,
    sharing: Vec<Node>,
    next: Vec<Node>,
}

impl<'g> IndependentCascade<'g> {
    /// A cascade of content with `stickiness` in [0, 1] over `graph`, run for
    /// `steps` steps, with coins drawn from `seed`.
    pub fn new(graph: &'g Graph, stickiness: f64, steps: u32, seed: u64) -> Self {
        let thresholds = graph
            .trust()
            .iter()
            .map(|&t| rng::threshold((stickiness * t as f64).clamp(0.0, 1.0)))
            .collect();
        IndependentCascade {
            graph,
            thresholds,
            steps,
            seed,
        }
    }
}

const METRICS: &[Metric] = &[Metric::Reached, Metric::Shared];

impl SpreadModel for IndependentCascade<'_> {
    type Workspace = Workspace;

    fn metrics(&self) -> &'static [Metric] {
        METRICS
    }

    fn workspace(&self) -> Workspace {
        Workspace {
            marks: Marks::new(self.graph.nodes()),
            sharing: Vec::new(),
            next: Vec::new(),
        }
    }

    fn run(&self, ws: &mut Workspace, seeds: &[Node], run: u64, mut record: RunRecord) {
        let key = rng::run_key(self.seed, run, Purpose::Share);
        let targets = self.graph.targets();
        let thresholds = &self.thresholds[..];
        let Workspace {
            marks,
            sharing,
            next,
        } = ws;
        marks.reset();
        sharing.clear();
        for &s in seeds {
            marks.share(s);
            sharing.push(s);
        }
        let mut reached = seeds.len() as u32;
        let mut shared = reached;
        record.row(0)[0] = reached;
        record.row(1)[0] = shared;

        let mut step = 1usize;
        while step <= self.steps as usize && !sharing.is_empty() {
            next.clear();
            for &u in sharing.iter() {
                for arc in self.graph.arc_range(u) {
                    let v = targets[arc];
                    reached += marks.reach(v) as u32;
                    if !marks.has_shared(v)
                        && rng::succeeds(rng::coin(key, arc as u64), thresholds[arc])
                    {
                        marks.share(v);
                        next.push(v);
                    }
                }
            }
            shared += next.len() as u32;
            record.row(0)[step] = reached;
            record.row(1)[step] = shared;
            std::mem::swap(sharing, next);
            step += 1;
        }
        // Nobody shares any more: the counts stay where they are.
        for t in step..=self.steps as usize {
            record.row(0)[t] = reached;
            record.row(1)[t] = shared;
        }
    }
}
