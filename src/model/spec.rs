//! What spreads and how, in the model's own terms: the spread spec a
//! model is built from. The scenario module fills these in from
//! `[content]`, `[simulation]`, `[paid]`, `[conversion]` and `[rival]`;
//! nothing here knows of scenario files.

use std::fmt;

use super::{Metric, Model, RivalSeeding, Tally};
use crate::graph::Graph;

/// One kind of spread model: an entry of the registry
/// [`super::MODELS`], held by the model's own file. The scenario checker,
/// its messages, the report's description of the dynamics and the
/// optimisers (imm's reverse sampling) read it from there.
pub struct ModelKind {
    /// The name `[simulation] model = "..."` gives.
    pub name: &'static str,
    /// The dynamics in plain words, for the report.
    pub about: &'static str,
    /// Whether content can fade under it (`[content] half_life`).
    pub fades: bool,
    /// Whether ads can run beside it (`[paid]`).
    pub ads: bool,
    /// Whether a rival content can spread against it (`[rival]`).
    pub rival: bool,
    /// Whether people can follow an activity schedule under it
    /// (`[activity]`).
    pub schedules: bool,
    /// Whether the graph's epidemic thresholds (bond percolation) are its
    /// own.
    pub thresholds_apply: bool,
    /// Its live-arc form (Kempe, Kleinberg & Tardos 2003), which reverse
    /// influence sampling draws from; None if it has none.
    pub live_arcs: Option<LiveArcs>,
    /// The metrics a run of the model `spread` describes records, in row
    /// order (before the tallies'); the model's own list, so a size check
    /// made before any graph is built counts what the runs will hold.
    pub rows: fn(&SpreadSpec) -> &'static [Metric],
    /// Build the model `spread` describes.
    pub build: Build,
    /// Bytes the model keeps per person beside the graph, for the memory
    /// estimate made before a run.
    pub bytes_per_person: u64,
    /// Bytes a worker's workspace adds per person, beyond the marks and
    /// lists every cascade keeps.
    pub worker_bytes_per_person: u64,
}

/// How a model kind builds its model over a graph, followed by `tally`;
/// with a rival content in the spread, the rival's seeds come with it.
pub type Build =
    for<'g> fn(&SpreadSpec, &'g Graph, Tally<'g>, Option<RivalSeeding<'g>>) -> Model<'g>;

/// A model's outcome as a random graph of live arcs: the people who share
/// are those reachable from the seeds along live arcs.
#[derive(Debug, Clone, Copy)]
pub enum LiveArcs {
    /// Each arc is live on its own, with the probability given per arc id
    /// (for a stickiness).
    Independent(fn(&Graph, f64) -> Vec<f64>),
    /// Each person keeps at most one arc into them, arc `a` with the
    /// probability given per arc id.
    OneInto(fn(&Graph, f64) -> Vec<f64>),
}

impl ModelKind {
    /// The kind called `name`, if there is one.
    pub fn named(name: &str) -> Option<&'static ModelKind> {
        super::MODELS.iter().copied().find(|m| m.name == name)
    }

    /// The kind a scenario runs when it names none.
    pub fn default_kind() -> &'static ModelKind {
        super::MODELS[0]
    }

    /// The names of the kinds `has` accepts, quoted and joined by "or".
    pub fn names_that(has: fn(&ModelKind) -> bool) -> String {
        let names: Vec<String> = super::MODELS
            .iter()
            .filter(|m| has(m))
            .map(|m| format!("\"{}\"", m.name))
            .collect();
        names.join(" or ")
    }
}

impl fmt::Debug for ModelKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl PartialEq for ModelKind {
    fn eq(&self, other: &ModelKind) -> bool {
        self.name == other.name
    }
}

/// Paid exposure (ads) running alongside word of mouth.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct PaidSpec {
    /// Chance that a person sees the ad in a step of the window, in [0, 1].
    pub reach_per_step: f64,
    /// First step with ads (at least 1).
    pub from_step: u32,
    /// Last step with ads (at most the steps simulated).
    pub to_step: u32,
    /// Chance that a person reached by the ad shares it, in [0, 1].
    pub stickiness: f64,
    /// Price of one ad view, in the unit of seeding costs.
    pub cost_per_view: f64,
}

/// A strategy's own ads, bought with a budget (`[strategy.ads]`): the
/// budget buys floor(budget / cost_per_view) views (at most everyone in
/// every step of the window), spread over the window as evenly as whole
/// views allow, the earlier steps taking the remainder; each step shows
/// its views to that many distinct people drawn uniformly from everyone.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct AdBudget {
    /// Money for ads (apart from any seeding budget), above 0.
    pub budget: f64,
    /// Price of one ad view, above 0, in the unit of the budget.
    pub cost_per_view: f64,
    /// First step with ads (at least 1).
    pub from_step: u32,
    /// Last step with ads (at most the steps simulated).
    pub to_step: u32,
    /// Chance that a person reached by the ad shares it, in [0, 1].
    pub stickiness: f64,
}

impl AdBudget {
    /// Steps with ads.
    pub fn window(&self) -> u32 {
        self.to_step + 1 - self.from_step
    }

    /// Views bought in all among `people`: as many as the budget pays for
    /// (the price times the views never exceeds the budget, in floating
    /// point too), at most everyone in every step of the window.
    pub fn views(&self, people: u32) -> u64 {
        let cap = people as u64 * self.window() as u64;
        let mut views = (self.budget / self.cost_per_view).floor().min(cap as f64) as u64;
        // The quotient can round up across a whole number.
        while views > 0 && views as f64 * self.cost_per_view > self.budget {
            views -= 1;
        }
        views
    }

    /// Money spent on the views bought among `people`: at most the budget.
    pub fn spend(&self, people: u32) -> f64 {
        self.views(people) as f64 * self.cost_per_view
    }

    /// Views shown at `step` among `people` (0 outside the window).
    pub fn views_at(&self, step: u32, people: u32) -> u32 {
        if step < self.from_step || step > self.to_step {
            return 0;
        }
        let (views, window) = (self.views(people), self.window() as u64);
        let extra = (step - self.from_step) < (views % window) as u32;
        (views / window) as u32 + extra as u32
    }
}

/// The ads running alongside word of mouth.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AdsSpec {
    /// `[paid]`: every person sees the ad with a chance per step.
    Chance(PaidSpec),
    /// A strategy's own ads: a fixed number of views per step, bought with
    /// a budget.
    Budget(AdBudget),
    /// None shown, but the ad rows (paid reached, earned reached, views)
    /// recorded, all of them word of mouth: a strategy without ads beside
    /// strategies that buy their own, so that their outputs line up.
    Nothing,
}

impl AdsSpec {
    /// A strategy's own ads, if these are.
    pub fn budget(&self) -> Option<&AdBudget> {
        match self {
            AdsSpec::Budget(b) => Some(b),
            _ => None,
        }
    }
}

/// Who acts on the content, and what an action is worth.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct ConversionSpec {
    /// Chance that a reached person who did not share converts, in [0, 1].
    pub rate: f64,
    /// Chance that a person who shared converts, in [0, 1].
    pub rate_if_shared: f64,
    /// Money one conversion brings, at least 0, in the unit of seeding costs.
    pub value: f64,
}

/// A rival content spreading at the same time as ours (negative word of
/// mouth, say): a person adopts at most one of the two contents.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RivalContent {
    /// Its stickiness, in [0, 1].
    pub stickiness: f64,
    /// The step at which its seeds share (ours share at
    /// [`SpreadSpec::start_step`]).
    pub start_step: u32,
}

/// Everything the dynamics of a run depend on, besides the graph, the
/// seeds and what is tallied.
#[derive(Debug, Clone, PartialEq)]
pub struct SpreadSpec {
    pub model: &'static ModelKind,
    /// Chance that a person who sees the content from a fully trusted
    /// sharer shares it on, in [0, 1].
    pub stickiness: f64,
    /// Novelty decay: stickiness halves every this many steps (above 0).
    pub half_life: Option<f64>,
    /// Ads running alongside word of mouth.
    pub ads: Option<AdsSpec>,
    /// A rival content, if any (independent cascade only).
    pub rival: Option<RivalContent>,
    /// Stickiness by the follower's segment (`[content]
    /// stickiness_by_segment`, and the rival's own table), if given.
    pub resonance: Option<Resonance>,
    /// When people are online (`[activity]`), if not always.
    pub activity: Option<Activity>,
    /// The step at which our seeds share, 0 to `steps` (ads keep their
    /// own calendar).
    pub start_step: u32,
    /// Time steps simulated after step 0.
    pub steps: u32,
    /// Seed of every random decision in the runs.
    pub seed: u64,
}

/// Stickiness that depends on who sees the content: the chance that a
/// follower shares is the stickiness of the follower's segment times
/// trust; people of segments not listed (and people without a segment)
/// see the content's own stickiness.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct Resonance {
    /// Our content's stickiness per segment name, each in [0, 1].
    pub ours: Vec<(String, f64)>,
    /// The rival content's, each in [0, 1].
    pub rival: Vec<(String, f64)>,
    /// The chance that a new viewer of `[paid]`'s ads shares the ad, by
    /// the viewer's segment, each in [0, 1] (segments not listed use the
    /// ads' own stickiness).
    pub ads: Vec<(String, f64)>,
}

impl Resonance {
    /// Per segment slot of `graph` (see [`crate::graph::Segments::slot`]),
    /// the stickiness of content with stickiness `base` and the
    /// per-segment values `table`; None when the table is empty or the
    /// graph has no segments. Names the graph does not know are left out
    /// (the pipeline refuses them before any model is built).
    pub fn per_slot(graph: &Graph, base: f64, table: &[(String, f64)]) -> Option<Vec<f64>> {
        let segments = graph.segments()?;
        if table.is_empty() {
            return None;
        }
        let mut slots = vec![base; segments.slots()];
        for (name, value) in table {
            if let Some(s) = segments.index_of(name) {
                slots[s as usize] = *value;
            }
        }
        Some(slots)
    }
}

/// When people are online (`[activity]`): a share posted at step t is
/// seen by a follower at the first step of t + 1 ..= t + `visible_for` at
/// which they are online, or never. Step s is at hour
/// (s + `start_hour`) mod `period` of the cycle.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Activity {
    /// Steps in one cycle (24 for hours of a day), at least 1.
    pub period: u32,
    /// Per hour of the cycle, the chance that a person is online, in
    /// [0, 1]; `period` values.
    pub online: Vec<f64>,
    /// The same per segment name, for the segments that have their own.
    pub segments: Vec<(String, Vec<f64>)>,
    /// Steps a share stays in a follower's feed, at least 1.
    pub visible_for: u32,
    /// The hour of the cycle step 0 falls at, below `period`.
    pub start_hour: u32,
}

impl Activity {
    /// Whether everyone is online at every hour: the same runs as no
    /// schedule at all.
    pub fn always_online(&self) -> bool {
        self.online
            .iter()
            .chain(self.segments.iter().flat_map(|(_, o)| o))
            .all(|&p| p >= 1.0)
    }
}
