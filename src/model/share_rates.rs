//! How a content's share probabilities are stored for the cascades:
//! p(u -> v) = stickiness x trust(u -> v). With one trust for every arc, one
//! rate; otherwise, per person, the candidate rate q of their row (its
//! largest p) for geometric skipping, and per arc the threshold of keeping
//! a candidate, p / q (thinning). Novelty decay scales a row's every p by
//! the same factor, so the keep thresholds stay and only q changes: a table
//! per age for one rate, q x factor per row otherwise.

use crate::graph::{Graph, Node};
use crate::rng;

/// One content's share probabilities p(u -> v) = stickiness x trust(u -> v),
/// with novelty decay if asked for.
pub struct ShareRates {
    pub(super) arcs: ShareArcs,
    /// With novelty decay, per age a (steps since the content's start):
    /// 0.5^(a / half_life) for per-arc trust, ln(1 - p 0.5^(a / half_life))
    /// for uniform trust.
    pub(super) decay: Option<Vec<f64>>,
}

pub(super) enum ShareArcs {
    /// Every arc has the same probability p; `gaps` is the
    /// [`rng::gap_table`] of its rate for the graph's longest row.
    Uniform {
        log_fail: f64,
        p: f64,
        gaps: rng::GapTable,
    },
    /// Per person, ln(1 - q) of the largest probability q on their row and
    /// q itself; per arc, the threshold of keeping a candidate, p / q.
    PerArc {
        row_log_fail: Vec<f64>,
        keep: Vec<u32>,
        row_max: Vec<f64>,
    },
}

impl ShareRates {
    /// Content with `stickiness` in [0, 1] over `graph`.
    pub fn new(graph: &Graph, stickiness: f64) -> ShareRates {
        ShareRates::resonating(graph, stickiness, None)
    }

    /// Content with `stickiness` in [0, 1] over `graph`, or with the
    /// stickiness of the follower's segment slot when `per_slot` gives one
    /// per slot (see [`super::Resonance::per_slot`]).
    pub fn resonating(graph: &Graph, stickiness: f64, per_slot: Option<&[f64]>) -> ShareRates {
        let p = |t: f32| (stickiness * t as f64).clamp(0.0, 1.0);
        let trust = graph.trust();
        if let (Some(slots), Some(segments)) = (per_slot, graph.segments()) {
            let targets = graph.targets();
            let mut row_log_fail = Vec::with_capacity(graph.nodes() as usize);
            let mut keep = Vec::with_capacity(graph.arcs());
            let mut row_max = Vec::with_capacity(graph.nodes() as usize);
            for u in 0..graph.nodes() {
                let arcs = graph.arc_range(u);
                let row = targets[arcs.clone()]
                    .iter()
                    .zip(arcs)
                    .map(|(&v, a)| (slots[segments.slot(v)] * trust[a] as f64).clamp(0.0, 1.0));
                row_max.push(row.clone().fold(0.0, f64::max));
                row_log_fail.push(rng::thin_row(row, &mut keep));
            }
            let arcs = ShareArcs::PerArc {
                row_log_fail,
                keep,
                row_max,
            };
            return ShareRates { arcs, decay: None };
        }
        let varying = trust.as_slice().filter(|t| {
            t.first()
                .is_some_and(|&first| t.iter().any(|&x| x != first))
        });
        let arcs = match varying {
            Some(trust) => {
                let mut row_log_fail = Vec::with_capacity(graph.nodes() as usize);
                let mut keep = Vec::with_capacity(graph.arcs());
                let mut row_max = Vec::with_capacity(graph.nodes() as usize);
                for u in 0..graph.nodes() {
                    let row = trust[graph.arc_range(u)].iter().map(|&t| p(t));
                    row_max.push(row.clone().fold(0.0, f64::max));
                    row_log_fail.push(rng::thin_row(row, &mut keep));
                }
                ShareArcs::PerArc {
                    row_log_fail,
                    keep,
                    row_max,
                }
            }
            None => {
                let p = p(trust.first().copied().unwrap_or(1.0));
                let longest = (0..graph.nodes())
                    .map(|u| graph.arc_range(u).len())
                    .max()
                    .unwrap_or(0);
                ShareArcs::Uniform {
                    log_fail: rng::log_fail(p),
                    p,
                    gaps: rng::gap_table(rng::log_fail(p), longest),
                }
            }
        };
        ShareRates { arcs, decay: None }
    }

    /// Novelty decay over ages 0..=`steps`: content of age a spreads with
    /// stickiness x 0.5^(a / `half_life`).
    pub fn with_half_life(mut self, half_life: f64, steps: u32) -> ShareRates {
        let factor = (0..=steps).map(|a| 0.5f64.powf(a as f64 / half_life));
        self.decay = Some(match self.arcs {
            ShareArcs::Uniform { p, .. } => factor.map(|f| rng::log_fail(p * f)).collect(),
            ShareArcs::PerArc { .. } => factor.collect(),
        });
        self
    }

    /// ln(1 - q) of the candidate rate of `u`'s row for content of `age`.
    #[inline(always)]
    pub fn row_log_fail(&self, u: Node, age: usize) -> f64 {
        match (&self.arcs, &self.decay) {
            (ShareArcs::Uniform { log_fail, .. }, None) => *log_fail,
            (ShareArcs::PerArc { row_log_fail, .. }, None) => row_log_fail[u as usize],
            (ShareArcs::Uniform { .. }, Some(log_fail)) => log_fail[age],
            (ShareArcs::PerArc { row_max, .. }, Some(factor)) => {
                rng::log_fail(row_max[u as usize] * factor[age])
            }
        }
    }

    /// The [`rng::gap_table`] of a row's rate for content of any age, when
    /// every row has the same one; empty otherwise.
    #[inline(always)]
    pub fn gaps(&self) -> &rng::GapTable {
        match (&self.arcs, &self.decay) {
            (ShareArcs::Uniform { gaps, .. }, None) => gaps,
            _ => &rng::NO_GAPS,
        }
    }

    /// The threshold of keeping a candidate on arc `arc`.
    #[inline(always)]
    pub fn keep(&self, arc: usize) -> u32 {
        match &self.arcs {
            ShareArcs::Uniform { .. } => u32::MAX,
            ShareArcs::PerArc { keep, .. } => keep[arc],
        }
    }
}
