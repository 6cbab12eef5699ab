//! What spreads and how, in the model's own terms: the spread spec a
//! model is built from. The scenario module fills these in from
//! `[content]`, `[simulation]`, `[paid]`, `[conversion]` and `[rival]`;
//! nothing here knows of scenario files.

/// Which spread model runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelKind {
    /// Independent cascade with p(u -> v) = stickiness * trust(u -> v).
    IndependentCascade,
    /// Linear threshold: a person shares once stickiness x the trust-weighted
    /// share of the people they follow who shared reaches their threshold.
    LinearThreshold,
}

impl ModelKind {
    /// Every model's name as written in scenario files.
    pub const NAMES: &'static [&'static str] = &["independent-cascade", "linear-threshold"];

    /// The model's name as written in scenario files.
    pub fn name(&self) -> &'static str {
        match self {
            ModelKind::IndependentCascade => "independent-cascade",
            ModelKind::LinearThreshold => "linear-threshold",
        }
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
    /// The step at which its seeds share (ours share at step 0, or later
    /// to measure what a late response costs).
    pub start_step: u32,
}

/// Everything the dynamics of a run depend on, besides the graph, the
/// seeds and what is tallied.
#[derive(Debug, Clone, PartialEq)]
pub struct SpreadSpec {
    pub model: ModelKind,
    /// Chance that a person who sees the content from a fully trusted
    /// sharer shares it on, in [0, 1].
    pub stickiness: f64,
    /// Novelty decay: stickiness halves every this many steps (above 0).
    pub half_life: Option<f64>,
    /// Ads running alongside word of mouth.
    pub ads: Option<PaidSpec>,
    /// A rival content, if any (independent cascade only).
    pub rival: Option<RivalContent>,
    /// Time steps simulated after the seeds share at step 0.
    pub steps: u32,
    /// Seed of every random decision in the runs.
    pub seed: u64,
}
