//! The checked scenario: typed, validated configuration that the rest of the
//! pipeline trusts without re-checking. Built once from the raw TOML by
//! [`super::load`]; every value here is inside its documented range.

use std::path::PathBuf;

use super::Step;
pub use crate::graph::costs::CostSpec;
pub use crate::graph::trust::{SegmentTrust, TrustSpec};
pub use crate::graph::{GeneratorSpec, GraphSource};
pub use crate::model::{AdBudget, AdsSpec, ConversionSpec, Goal, ModelKind, PaidSpec};
pub use crate::strategy::{Limit, StrategySpec, COUNT_ZERO};

/// The audience the campaign is for (`[target]`): the people of these
/// segments. Reach among them and outside them is reported apart.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetSpec {
    /// Segment names as written (numbers as their decimal text); checked
    /// against the graph's segments once it is built.
    pub segments: Vec<String>,
}

/// Monte Carlo settings.
#[derive(Debug, Clone, PartialEq)]
pub struct SimulationSpec {
    pub model: &'static ModelKind,
    /// What one step stands for, in tables and charts.
    pub step: TimeUnit,
    /// Independent runs per strategy. With `auto`, the most runs that may
    /// be made (its `max_runs`); the runs made are
    /// [`crate::pipeline::Results::runs`].
    pub runs: u32,
    /// `runs = "auto"`: run in batches until every strategy's confidence
    /// interval is narrow enough (None: exactly `runs` runs).
    pub auto: Option<AutoRuns>,
    /// Time steps simulated after the seeds share at step 0.
    pub steps: u32,
    /// Seed of every random decision in the runs.
    pub seed: u64,
}

impl SimulationSpec {
    /// The most runs per strategy the simulation may make: `runs`, which
    /// with `auto` is its cap.
    pub fn max_runs(&self) -> u32 {
        self.auto.map_or(self.runs, |a| a.max_runs)
    }
}

/// Adaptive run counts (`[simulation] runs = "auto"`): runs are made in
/// batches until, for every strategy, the 95% confidence interval of the
/// mean final reached is at most `ci_half_width` x the mean on either
/// side, or `max_runs` runs are made.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct AutoRuns {
    /// The widest 95% CI half width allowed, relative to the mean: above 0
    /// and below 1 (0.01: within ±1% of the mean).
    pub ci_half_width: f64,
    /// Most runs per strategy, 2 to [`super::MAX_RUNS`].
    pub max_runs: u32,
}

/// What one time step stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    Step,
    Minute,
    Hour,
    Day,
    Week,
    Month,
}

impl TimeUnit {
    /// Every unit, in the order of [`TimeUnit::NAMES`].
    pub const ALL: [TimeUnit; 6] = [
        TimeUnit::Step,
        TimeUnit::Minute,
        TimeUnit::Hour,
        TimeUnit::Day,
        TimeUnit::Week,
        TimeUnit::Month,
    ];
    /// Every unit as written in scenario files.
    pub const NAMES: [&'static str; 6] = ["step", "minute", "hour", "day", "week", "month"];

    /// The unit as written in scenario files.
    pub fn name(&self) -> &'static str {
        Self::NAMES[*self as usize]
    }

    /// The unit's plural, for labels ("hours").
    pub fn plural(&self) -> String {
        format!("{}s", self.name())
    }
}

/// Where a table of seeding keys (`kind`, `count`, ...) sits in the
/// scenario file, for locating errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedingTable {
    /// `[[strategy]]` number i (0-based).
    Strategy(usize),
    /// `[rival]`: the rival content's seeds.
    Rival,
}

impl SeedingTable {
    /// The key path of `rest` inside this table.
    pub fn path<'a>(&self, rest: &[Step<'a>]) -> Vec<Step<'a>> {
        let mut path = match *self {
            SeedingTable::Strategy(i) => vec![Step::Key("strategy"), Step::Index(i)],
            SeedingTable::Rival => vec![Step::Key("rival")],
        };
        path.extend_from_slice(rest);
        path
    }
}

/// A rival content spreading at the same time as ours (`[rival]`): negative
/// word of mouth, say. A person adopts at most one of the two contents.
#[derive(Debug, Clone)]
pub struct RivalSpec {
    /// Its stickiness, in [0, 1].
    pub stickiness: f64,
    /// The step at which its seeds share, 0 to `[simulation] steps` (ours
    /// share at step 0).
    pub start_step: u32,
    /// `response_delays`: steps after `start_step` at which our seeds post
    /// in the runs that measure how fast we must respond (distinct, each
    /// leaving our start within the steps simulated); empty without the
    /// key.
    pub response_delays: Vec<u32>,
    /// How its seeds are chosen, with the keys of a `[[strategy]]` table;
    /// `name` labels the rival in tables and charts.
    pub seeding: StrategySpec,
}

impl Scenario {
    /// What the strategies choose their seeds for, on `graph` (built for
    /// this scenario, trust assigned).
    pub fn setting(&self, graph: &crate::graph::Graph) -> crate::strategy::Setting {
        let mean_trust = match self.segment_trust {
            None => self.trust.mean(),
            Some(_) => {
                // Scaled by segment: the mean over the graph's own arcs.
                let t = graph.trust();
                t.iter().map(|&x| x as f64).sum::<f64>() / t.len().max(1) as f64
            }
        };
        crate::strategy::Setting {
            spread: self.spread(),
            acceptance: self.costs.acceptance,
            mean_trust,
            costs_from_file: self.costs.file.is_some(),
            aim: crate::strategy::Aim {
                goal: self.goal,
                conversion: self.conversion,
                // The target's people are known once the graph is built.
                target: None,
            },
        }
    }

    /// What spreads and how, as the model takes it.
    pub fn spread(&self) -> crate::model::SpreadSpec {
        crate::model::SpreadSpec {
            model: self.simulation.model,
            stickiness: self.stickiness,
            half_life: self.half_life,
            ads: self.paid.map(AdsSpec::Chance),
            rival: self.rival.as_ref().map(|r| crate::model::RivalContent {
                stickiness: r.stickiness,
                start_step: r.start_step,
            }),
            resonance: self.resonance.clone(),
            activity: self.activity.clone(),
            start_step: 0,
            steps: self.simulation.steps,
            seed: self.simulation.seed,
        }
    }

    /// What spreads and how for strategy `i`: its own ads in place of
    /// `[paid]`, if it buys any. Beside strategies that buy their own, a
    /// strategy without ads (and no `[paid]`) records the ad rows as well,
    /// all zero, so that every strategy's outputs have the same columns.
    pub fn spread_of(&self, i: usize) -> crate::model::SpreadSpec {
        let mut spread = self.spread();
        spread.start_step = self.strategies.get(i).map_or(0, |s| s.start_step);
        if let Some(own) = self.strategies.get(i).and_then(|s| s.ads) {
            spread.ads = Some(AdsSpec::Budget(own));
            self.own_ad_resonance(i, &mut spread);
        } else if spread.ads.is_none() && self.buys_ads() {
            spread.ads = Some(AdsSpec::Nothing);
        }
        spread
    }

    /// What strategy `i` chooses its seeds for: its own ads in place of
    /// `[paid]` (celf weighs seeds alongside them, imm refuses them).
    pub fn setting_of(
        &self,
        i: usize,
        setting: &crate::strategy::Setting,
    ) -> crate::strategy::Setting {
        let mut setting = setting.clone();
        // A strategy that posts late chooses for the steps left to it
        // (celf simulates, imm samples within them).
        setting.spread.start_step = self.strategies.get(i).map_or(0, |s| s.start_step);
        if let Some(own) = self.strategies.get(i).and_then(|s| s.ads) {
            setting.spread.ads = Some(AdsSpec::Budget(own));
            self.own_ad_resonance(i, &mut setting.spread);
        }
        setting
    }

    /// Strategy `i`'s own ads replace `[paid]`, and so does their table
    /// of stickiness by segment replace `[paid]`'s.
    fn own_ad_resonance(&self, i: usize, spread: &mut crate::model::SpreadSpec) {
        let table = self
            .strategy_ad_resonance
            .get(i)
            .cloned()
            .unwrap_or_default();
        match &mut spread.resonance {
            Some(r) => r.ads = table,
            None if !table.is_empty() => {
                spread.resonance = Some(crate::model::Resonance {
                    ads: table,
                    ..Default::default()
                })
            }
            None => {}
        }
    }

    /// Whether some strategy buys its own ads (`[strategy.ads]`).
    pub fn buys_ads(&self) -> bool {
        self.strategies.iter().any(|s| s.ads.is_some())
    }

    /// Counting slots per run for reach per segment when the number of
    /// segments is known before the graph is built (planted communities,
    /// plus one for people without a segment); 0 without segments or when
    /// a segment file will tell.
    pub fn known_segment_slots(&self) -> u64 {
        match self.graph {
            GraphSource::Generated {
                spec: GeneratorSpec::StochasticBlock { communities, .. },
                ..
            } => 2 * (communities as u64 + 1),
            _ => 0,
        }
    }
}

/// Chart formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartFormat {
    Png,
    Svg,
}

impl ChartFormat {
    /// The extension of its files, as `[output] formats` names it.
    pub fn extension(&self) -> &'static str {
        match self {
            ChartFormat::Png => "png",
            ChartFormat::Svg => "svg",
        }
    }
}

/// A checked scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// Name of the scenario; names its output folder.
    pub name: super::Name,
    /// The file it was read from.
    pub path: PathBuf,
    /// The file's text, copied into the outputs.
    pub text: String,
    pub graph: GraphSource,
    /// `[graph] segments`: a file of `id segment` lines giving people their
    /// segment.
    pub segment_file: Option<PathBuf>,
    /// `[graph] people`: a file with a header row giving people their
    /// segment and cost (columns `id`, `segment`, `cost`).
    pub people_file: Option<PathBuf>,
    /// Chance that a person who sees the content from a fully trusted
    /// sharer shares it on, in [0, 1].
    pub stickiness: f64,
    /// Novelty decay: stickiness halves every this many steps (content
    /// shared at step t spreads with stickiness x 0.5^(t / half_life)).
    pub half_life: Option<f64>,
    pub trust: TrustSpec,
    /// Trust scaled inside and across segments, if asked for.
    pub segment_trust: Option<SegmentTrust>,
    /// The target audience, if the scenario names one.
    pub target: Option<TargetSpec>,
    pub simulation: SimulationSpec,
    /// Seeding costs and acceptance (defaults: 1 per person, all accept).
    pub costs: CostSpec,
    /// Conversions, if the scenario counts them.
    pub conversion: Option<ConversionSpec>,
    /// Paid exposure, if any.
    pub paid: Option<PaidSpec>,
    /// A rival content spreading at the same time, if any.
    pub rival: Option<RivalSpec>,
    /// Stickiness by the follower's segment (`[content]` and `[rival]`
    /// `stickiness_by_segment`), if given.
    pub resonance: Option<crate::model::Resonance>,
    /// When people are online (`[activity]`, with `[simulation]
    /// start_hour`), if given.
    pub activity: Option<crate::model::Activity>,
    /// Per strategy, the chance that a new viewer of its own ads shares
    /// them, by the viewer's segment (`[strategy.ads]
    /// stickiness_by_segment`); empty when it gives none.
    pub strategy_ad_resonance: Vec<Vec<(String, f64)>>,
    /// What ranks the strategies and what celf and imm maximise
    /// (`[goal] metric`; reached when absent).
    pub goal: Goal,
    pub strategies: Vec<StrategySpec>,
    /// Chart formats to write (the CSV and JSON files are always written).
    pub charts: Vec<ChartFormat>,
    /// Keys varied over a grid of points, if the scenario sweeps any.
    pub sweep: Option<super::SweepSpec>,
    /// What the command line changed after the file was read.
    pub overrides: super::Overrides,
}
