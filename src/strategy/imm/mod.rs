//! `imm`: reverse influence sampling with IMM (Tang, Shi & Xiao, SIGMOD 2015,
//! "Influence Maximization in Near-Linear Time: A Martingale Approach"),
//! corrected as Chen (2018, "An Issue in the Martingale Analysis of the
//! Influence Maximization Algorithm IMM") describes. It chooses `count` seeds
//! whose expected reach is at least (1 - 1/e - epsilon) times the best
//! possible, with probability at least 1 - 1/n^ell (n people).
//!
//! # What is maximised: expected people reached
//!
//! viralsim's planner compares strategies by the people *reached* (who saw
//! the content: the seeds and every follower of a sharer), not only by the
//! sharers, so imm maximises reach. For a person v, let the *reach RR set*
//! R(v) be v, all the people v follows (their arcs expose v without any
//! coin), and everyone who reaches one of those by live arcs, each arc
//! `a -> b` live with its share probability p(a -> b) = stickiness x trust.
//! v is reached from seeds S exactly when S meets R(v): either v is a seed,
//! or someone v follows shares, which happens when a seed reaches them by
//! live arcs. So for v drawn uniformly from the n people,
//!
//! expected reached(S) = n x P(R(v) meets S),
//!
//! a coverage function, monotone and submodular, for which every step of
//! IMM's analysis holds unchanged (the classical RR sets of Borgs et al. 2014
//! are the special case counting sharers).
//!
//! Reach is counted within the scenario's `steps`, as every output counts
//! it. The live-arc view holds step by step: someone d live arcs behind a
//! person v follows shares at step d at the earliest and so reaches v at
//! step d + 1; within T steps R(v) keeps v, the people v follows, and the
//! people up to T - 1 live arcs behind them (see `rr_sets::Layers`).
//!
//! Under the linear threshold model the same holds with Kempe et al.'s
//! live-edge view of it (see [`crate::model::linear_threshold`]): every
//! person keeps at most one arc into them live, arc `a -> b` with
//! probability stickiness x trust(a -> b) / (total trust into b). R(v) is
//! then v, the people v follows, and from each of those the walk back along
//! live arcs: the reverse random walk by which IMM (and TIM before it, Tang,
//! Xiao & Shi 2014) samples RR sets under the linear threshold model, here
//! started from every exposer. It is again a coverage function.
//!
//! # Other goals: sharers, reach in the target
//!
//! To maximise sharers (`goal = "shared"`), R(v) is the classic RR set: v
//! and everyone who reaches v by live arcs, within `steps` live arcs (a
//! seed d live arcs behind v makes v share at step d); expected
//! shared(S) = n x P(R(v) meets S). To maximise reach in the target
//! (`goal = "reached_in_target"`), roots are drawn uniformly among the t
//! people of the target and expected reached_in_target(S) = t x P(R(v)
//! meets S). Both are coverage functions; the analysis below holds with
//! the root population N (n or t) as the scale of every estimate (OPT <=
//! N; lambda', lambda* and the search over x = N/2^i scale by N), while
//! the failure probability stays 1/n^ell. Conversions at one rate r for
//! everyone reached are r x reach, so imm maximises reach for them;
//! conversions at a higher rate for sharers, and net reach, are not
//! coverage functions of one RR set per root, so imm refuses them and
//! points to celf, which simulates them.
//!
//! # Algorithm
//!
//! 1. ell' = ell + ln 2 / ln n, so that the two phases below, each failing
//!    with probability at most 1/n^ell', fail together with probability at
//!    most 2/n^ell' = 1/n^ell, for any ell above 0 (Algorithm 3, line 1
//!    writes ell (1 + ln 2 / ln n), which does so only for ell >= 1).
//! 2. Lower bound of OPT, the best expected reach (Algorithm 2, lines 1-11):
//!    for x = n/2, n/4, ..., draw theta_i = lambda'/x RR sets (Eq. 9 for
//!    lambda'), take the greedy max-coverage seeds S_i, and stop once
//!    n F(S_i) >= (1 + epsilon') x, with LB = n F(S_i) / (1 + epsilon')
//!    (F: fraction of the sets covered; epsilon' = sqrt(2) epsilon).
//!    viralsim adds a deterministic lower bound LB0: the seeds and their
//!    followers are always reached, so the greedy cover of those closed
//!    neighbourhoods reaches at least LB0 <= OPT people for sure. LB is at
//!    least LB0, and the search stops before x falls below LB0 (skipping
//!    iterations only removes terms from the union bound). When that cover
//!    reaches everyone (LB0 = n, common with many seeds on a graph of ego
//!    networks) it is optimal and returned without sampling.
//! 3. theta = lambda* / LB (Algorithm 2, line 12; lambda* from Eq. 6, with
//!    alpha and beta from Eq. 5).
//! 4. Chen's correction: the theta RR sets of the final selection are a
//!    FRESH collection, independent of those that set LB (the original reused
//!    them, yet theta depends on them through LB, which breaks the martingale
//!    argument of Theorem 1). Given LB <= OPT, theta >= lambda*/OPT is then a
//!    fixed number for the fresh sets and Theorem 1 applies as stated.
//! 5. The greedy max-coverage seeds of the fresh sets, in selection order;
//!    ties go to the smaller original id.
//!
//! # Seeds from chosen segments
//!
//! With `segments`, only their people may be seeds: the greedy covers take
//! no one else, and the union bounds over all seed sets of size k run over
//! the C(m, k) sets of the m people who may be seeded (ln C(n, k) becomes
//! ln C(m, k) in Eqs. 5 and 9). Reach is still counted over everyone, so
//! the guarantee is relative to the best set of those m people. Within a
//! budget the bounds run over every set the budget can buy, of 1 to k
//! people (k: the most the budget buys, cheapest first), so ln C(m, k)
//! becomes ln of the sum of C(m, j) for j = 1 to k.
//!
//! # Nobody posting
//!
//! With acceptance 0 no invited person posts and every set reaches no one;
//! imm then returns the greedy cover of the closed neighbourhoods (whom
//! each would have reached) without sampling.
//!
//! # Reproducibility and memory
//!
//! RR set number i of phase f (1: lower bound, 2: final) is a pure function
//! of (scenario seed, f, i): its root and coins come from the counter-based
//! generator keyed by `rng::key(&[seed, Purpose::Selection, f, i])`. Sets are
//! drawn in parallel in chunks and concatenated in index order, so the seeds
//! are identical for any thread count. Sets are stored flat (members and
//! offsets); when they would exceed the memory the run leaves beside the
//! graph ([`Context::memory`]) with their index, imm refuses and suggests a
//! larger epsilon (the number of sets falls as 1/epsilon^2) or fewer seeds.
//! The refusal comes early: the sets' total is projected from the mean size
//! of the first ones drawn, before the rest are.
//!
//! # Files
//!
//! This file holds the kind's entry and its checks; `bounds.rs` the number
//! of sets the guarantee needs and the selection, `rr_sets.rs` the reverse
//! graph and the sampler, `cover.rs` the greedy covers.

mod bounds;
#[cfg(test)]
mod budget_tests;
mod cover;
mod rr_sets;
#[cfg(test)]
mod tests;

use std::cmp::Reverse as Desc;
use std::collections::BinaryHeap;
use std::f64::consts::{LN_2, SQRT_2};
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

use std::sync::Arc;

use super::kind::{within, Kind, Words};
use super::{Chosen, Context, Limit, Purse, SeedingStrategy, Seeds, StrategyError};
use crate::graph::costs::Costs;
use crate::graph::{Graph, Node};
use crate::model::LiveArcs as Form;
use crate::model::{AdsSpec, SpreadSpec};
use crate::model::{ConversionSpec, Goal};
use crate::resources::{human, Memory};
use crate::rng::{self, Purpose};

use bounds::*;
use cover::*;
use rr_sets::*;

/// Epsilon when the table does not give one.
pub const DEFAULT_EPSILON: f64 = 0.1;
/// Ell when the table does not give one.
pub const DEFAULT_ELL: f64 = 1.0;

/// `imm`: reverse influence sampling.
pub const KIND: Kind = Kind {
    name: "imm",
    about: "reverse influence sampling (IMM, Tang, Shi & Xiao 2015)",
    keys: &["count", "budget", "epsilon", "ell", "goal"],
    build: |keys| {
        let limit = keys.limit()?;
        let epsilon = keys.number(
            "epsilon",
            DEFAULT_EPSILON,
            |e| (0.01..=1.0).contains(&e),
            "allowed 0.01 to 1 (smaller is more accurate and slower; usually 0.1)",
        )?;
        let ell = keys.number(
            "ell",
            DEFAULT_ELL,
            |l| (0.1..=10.0).contains(&l),
            "allowed 0.1 to 10 (usually 1)",
        )?;
        let goal = keys.goal()?;
        Ok(Arc::new(Imm {
            limit,
            epsilon,
            ell,
            goal,
        }))
    },
};

/// Reverse influence sampling, IMM.
pub struct Imm {
    pub limit: Limit,
    pub epsilon: f64,
    pub ell: f64,
    /// What it maximises instead of the scenario's goal, if anything.
    pub goal: Option<Goal>,
}

/// What imm samples for `goal`: conversions at one rate whether or not
/// people share are that rate times reach, so it maximises reach for them.
fn sampled(goal: Goal, conversion: Option<&ConversionSpec>) -> Goal {
    match (goal, conversion) {
        (Goal::Converted, Some(c)) if c.rate == c.rate_if_shared => Goal::Reached,
        _ => goal,
    }
}

/// Why imm cannot maximise `goal` (given the conversion rates), if it
/// cannot.
fn refuses(goal: Goal, conversion: Option<&ConversionSpec>) -> Option<String> {
    match sampled(goal, conversion) {
        Goal::Reached | Goal::Shared | Goal::ReachedInTarget => None,
        Goal::Converted => Some(
            "imm cannot aim at converted: use kind = \"celf\", which simulates it (imm can only when sharers convert at the same rate as everyone reached, rate_if_shared = rate)".to_string(),
        ),
        Goal::NetReached => Some(format!(
            "imm cannot aim at {}: use kind = \"celf\", which simulates it",
            goal.name()
        )),
    }
}

/// Memory the tests give the RR sets and their index.
#[cfg(test)]
const MAX_BYTES: u64 = 8 << 30;

/// RR sets drawn before their mean size is first looked at: few enough to
/// draw in a moment however large the sets are.
const PILOT_SETS: u64 = 64;

/// RR sets drawn before their mean size is trusted to project the total
/// within a few per cent; before that, only a projection twice over the
/// budget refuses.
const TRUSTED_SETS: u64 = 1024;

/// Most members all RR sets together may hold (set ids and offsets stay
/// far from overflow).
const MAX_MEMBERS: u64 = 1 << 31;

/// Phase of the RR sets that set the lower bound.
const PHASE_LOWER_BOUND: u64 = 1;
/// Phase of the fresh RR sets of the final selection.
const PHASE_FINAL: u64 = 2;

impl SeedingStrategy for Imm {
    /// Share probabilities, the reverse graph with its temporaries, the
    /// sure cover and its index; the samples are checked as they are drawn.
    fn working_bytes(&self, nodes: u64, arcs: u64, _steps: u32, _workers: u64) -> u64 {
        36 * arcs + 80 * nodes
    }

    fn limit(&self) -> Option<Limit> {
        Some(self.limit)
    }

    fn goal(&self) -> Option<Goal> {
        self.goal
    }

    fn aims_at(&self, goal: Goal, conversion: Option<&ConversionSpec>) -> Result<(), String> {
        refuses(goal, conversion).map_or(Ok(()), Err)
    }

    fn describe(&self, words: &dyn Words) -> String {
        let aim = match self.goal {
            None | Some(Goal::Reached) => "to reach close to the most possible".to_string(),
            Some(goal) => format!("for close to the most {}", goal.words()),
        };
        let what = format!(
            "chosen {aim} (IMM: within a factor 1 - 1/e - {} of the best, with high probability)",
            words.plain(self.epsilon)
        );
        within(self.limit, words, &what)
    }

    fn choose(&self, ctx: &Context) -> Result<Seeds, StrategyError> {
        self.choose_ranked(ctx).map(|c| c.seeds)
    }

    fn choose_ranked(&self, ctx: &Context) -> Result<Chosen, StrategyError> {
        ctx.check_limit(self.limit)?;
        let spread = ctx.spread();
        if spread.half_life.is_some() {
            // Reverse samples draw each arc's coin without knowing when its
            // sharer shared, so they need probabilities fixed in time.
            return Err(ctx.error(
                "kind",
                "imm needs share probabilities that stay the same over time, and [content] half_life makes them fade: use kind = \"celf\" (which simulates the decay) or a ranking kind such as \"degree-discount\"",
            ));
        }
        if spread.activity.as_ref().is_some_and(|a| !a.always_online()) {
            // Whether a share is ever seen depends on when it was posted.
            return Err(ctx.error(
                "kind",
                "imm needs share probabilities that stay the same over time, and [activity] makes whether a share is seen depend on when it is posted: use kind = \"celf\" (which simulates the schedule) or a ranking kind such as \"degree-discount\"",
            ));
        }
        if let Some(AdsSpec::Budget(_)) = spread.ads {
            return Err(ctx.error(
                "ads",
                "imm cannot weigh seeds against this strategy's own ads, which reach people without any seed: use kind = \"celf\" (which simulates the ads) or a ranking kind such as \"degree-discount\"",
            ));
        }
        if spread.ads.is_some() {
            // Reverse samples know only word of mouth from the seeds.
            return Err(ctx.error(
                "kind",
                "imm cannot weigh seeds against the ads of [paid], which reach people without any seed: use kind = \"celf\" (which simulates the ads) or a ranking kind such as \"degree-discount\"",
            ));
        }
        if !(self.epsilon > 0.0 && self.epsilon.is_finite()) {
            return Err(ctx.error(
                "epsilon",
                format!(
                    "{} is not allowed: epsilon must be above 0 (usually 0.1)",
                    self.epsilon
                ),
            ));
        }
        if !(self.ell > 0.0 && self.ell.is_finite()) {
            return Err(ctx.error(
                "ell",
                format!(
                    "{} is not allowed: ell must be above 0 (usually 1)",
                    self.ell
                ),
            ));
        }
        let conversion = ctx.setting.aim.conversion.as_ref();
        let goal = self.goal.unwrap_or(ctx.setting.aim.goal);
        if let Some(why) = refuses(goal, conversion) {
            return Err(ctx.error("goal", why));
        }
        let goal = sampled(goal, conversion);
        let target: Option<Vec<Node>> = match goal {
            Goal::ReachedInTarget => match (&ctx.setting.aim.target, ctx.graph.segments()) {
                (Some(t), Some(segments)) => Some(
                    (0..ctx.graph.nodes())
                        .filter(|&v| t[segments.slot(v)])
                        .collect(),
                ),
                _ => {
                    return Err(ctx.error(
                        "goal",
                        "goal = \"reached_in_target\" needs a [target] table",
                    ))
                }
            },
            _ => None,
        };
        let roots = Roots {
            among: target.as_deref(),
            sharing: goal == Goal::Shared,
        };
        let reverse = match spread.model.live_arcs {
            Some(Form::Independent(p)) => ReverseGraph::new(ctx.graph, &live(ctx.graph, spread, p)),
            Some(Form::OneInto(p)) => ReverseGraph::one_of(ctx.graph, &live(ctx.graph, spread, p)),
            None => {
                // Reverse samples are drawn from the live-arc form.
                return Err(ctx.error(
                    "kind",
                    format!(
                        "imm samples the live arcs of a model, and model \"{}\" has no such form: use kind = \"celf\", which simulates it",
                        spread.model.name
                    ),
                ));
            }
        };
        // The sets get what the reverse graph leaves.
        let memory = ctx.memory.less(reverse.bytes());
        let params = Params {
            limit: self.limit,
            costs: ctx.costs,
            allowed: ctx.allowed,
            acceptance: ctx.setting.acceptance,
            // Reach counts within the steps left after the seeds post.
            horizon: spread.steps.saturating_sub(spread.start_step),
            epsilon: self.epsilon,
            ell: self.ell,
            seed: spread.seed,
            max_bytes: memory.bytes,
            full_cover_is_optimal: true,
            roots,
            progress: &|done, total| ctx.advance(done, total, "samples"),
        };
        match select(ctx.graph, &reverse, &params) {
            Ok(selection) => Ok(Chosen {
                seeds: Seeds::Fixed(selection.seeds),
                gains: Some(selection.gains),
            }),
            Err(too_big) => Err(ctx.error("epsilon", too_big.message(self.epsilon, &memory))),
        }
    }
}

/// Per arc id, the chance the arc is live under `spread`, from the model's
/// live-arc form `p`: with stickiness by segment, the form at stickiness 1
/// scaled by the stickiness of the arc's follower (every form is linear in
/// the stickiness).
fn live(graph: &Graph, spread: &SpreadSpec, p: fn(&Graph, f64) -> Vec<f64>) -> Vec<f64> {
    let per_slot = spread
        .resonance
        .as_ref()
        .and_then(|r| crate::model::Resonance::per_slot(graph, spread.stickiness, &r.ours));
    match (per_slot, graph.segments()) {
        (Some(slots), Some(segments)) => {
            let mut probs = p(graph, 1.0);
            for (q, &v) in probs.iter_mut().zip(graph.targets()) {
                *q = (*q * slots[segments.slot(v)]).clamp(0.0, 1.0);
            }
            probs
        }
        _ => p(graph, spread.stickiness),
    }
}
