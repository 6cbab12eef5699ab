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
    arcs: ShareArcs,
    steps: u32,
    seed: u64,
}

/// Each arc's share threshold (see [`rng::threshold`]) of
/// p = stickiness * trust.
enum ShareArcs {
    /// Every arc has the same probability (uniform trust): nothing per arc
    /// to read beyond the graph's own targets.
    Uniform(u32),
    /// Target and threshold side by side, so a sharer's row is one
    /// contiguous read.
    PerArc(Vec<(Node, u32)>),
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
        let threshold = |t: f32| rng::threshold((stickiness * t as f64).clamp(0.0, 1.0));
        let trust = graph.trust();
        let arcs = match trust.first() {
            Some(&first) if trust.iter().any(|&t| t != first) => ShareArcs::PerArc(
                graph
                    .targets()
                    .iter()
                    .zip(trust)
                    .map(|(&v, &t)| (v, threshold(t)))
                    .collect(),
            ),
            first => ShareArcs::Uniform(threshold(first.copied().unwrap_or(1.0))),
        };
        IndependentCascade {
            graph,
            arcs,
            steps,
            seed,
        }
    }

    /// One run over arcs whose (target, threshold) `arc_at` gives by arc id.
    #[inline(always)]
    fn cascade(
        &self,
        ws: &mut Workspace,
        seeds: &[Node],
        run: u64,
        mut record: RunRecord,
        arc_at: impl Fn(usize) -> (Node, u32),
        prefetch_arc: impl Fn(usize),
    ) {
        let key = rng::run_key(self.seed, run, Purpose::Share);
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
        let mut shared = seeds.len() as u32;
        record.row(0)[0] = marks.reached_count();
        record.row(1)[0] = shared;

        let mut step = 1usize;
        while step <= self.steps as usize && !sharing.is_empty() {
            next.clear();
            let n = sharing.len();
            for i in 0..n {
                // Memory latency, not arithmetic, bounds a cascade: fetch the
                // row bounds of the sharer 8 ahead, the row of the one 4 ahead.
                if i + 8 < n {
                    self.graph.prefetch_row_bounds(sharing[i + 8]);
                }
                if i + 4 < n {
                    prefetch_arc(self.graph.arc_range(sharing[i + 4]).start);
                }
                let u = sharing[i];
                for arc in self.graph.arc_range(u) {
                    let (v, threshold) = arc_at(arc);
                    let has_shared = marks.reach(v);
                    if !has_shared && rng::succeeds(rng::coin(key, arc as u64), threshold) {
                        marks.share(v);
                        next.push(v);
                    }
                }
            }
            shared += next.len() as u32;
            record.row(0)[step] = marks.reached_count();
            record.row(1)[step] = shared;
            std::mem::swap(sharing, next);
            step += 1;
        }
        // Nobody shares any more: the counts stay where they are.
        let reached = marks.reached_count();
        record.row(0)[step..].fill(reached);
        record.row(1)[step..].fill(shared);
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

    fn run(&self, ws: &mut Workspace, seeds: &[Node], run: u64, record: RunRecord) {
        match &self.arcs {
            ShareArcs::Uniform(threshold) => {
                let targets = self.graph.targets();
                self.cascade(
                    ws,
                    seeds,
                    run,
                    record,
                    |arc| (targets[arc], *threshold),
                    |arc| crate::prefetch(targets.as_ptr().wrapping_add(arc)),
                )
            }
            ShareArcs::PerArc(arcs) => self.cascade(
                ws,
                seeds,
                run,
                record,
                |arc| arcs[arc],
                |arc| crate::prefetch(arcs.as_ptr().wrapping_add(arc)),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine;
    use crate::graph::trust;
    use crate::scenario::TrustSpec;
    use crate::strategy::Seeds;

    #[test]
    fn uniform_and_per_arc_storage_give_identical_runs() {
        let edges: Vec<(Node, Node)> = (0..2000u32)
            .flat_map(|u| [(u, (u * 7 + 1) % 2000), (u, (u * 13 + 5) % 2000)])
            .filter(|(a, b)| a != b)
            .map(|(a, b)| (a.min(b), a.max(b)))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut g = Graph::from_undirected(2000, &edges);
        trust::assign(&mut g, &TrustSpec::Constant { value: 0.5 }, 1);
        let uniform = IndependentCascade::new(&g, 0.6, 50, 3);
        let ShareArcs::Uniform(threshold) = uniform.arcs else {
            panic!("constant trust is stored as one threshold");
        };
        let per_arc = IndependentCascade {
            arcs: ShareArcs::PerArc(g.targets().iter().map(|&v| (v, threshold)).collect()),
            ..IndependentCascade::new(&g, 0.6, 50, 3)
        };
        let seeds = Seeds::Fixed(vec![1000, 3]);
        let a = engine::simulate(&uniform, &seeds, 200, 50, &|_| {});
        let b = engine::simulate(&per_arc, &seeds, 200, 50, &|_| {});
        assert_eq!(a, b);
        assert!(a.finals(1).iter().any(|&s| s > 10.0), "the cascade should spread");
    }

    #[test]
    fn varying_trust_is_stored_per_arc() {
        let mut g = Graph::from_undirected(3, &[(0, 1), (1, 2)]);
        trust::assign(&mut g, &TrustSpec::Uniform { low: 0.1, high: 0.9 }, 1);
        let m = IndependentCascade::new(&g, 0.5, 5, 1);
        let ShareArcs::PerArc(arcs) = &m.arcs else {
            panic!("varying trust needs per-arc thresholds");
        };
        for (arc, &(v, t)) in arcs.iter().enumerate() {
            assert_eq!(v, g.targets()[arc]);
            assert_eq!(t, rng::threshold(0.5 * g.trust()[arc] as f64));
        }
    }
}
