//! The checked scenario: typed, validated configuration that the rest of the
//! pipeline trusts without re-checking. Built once from the raw TOML by
//! [`super::load`]; every value here is inside its documented range.

use std::path::PathBuf;

use super::Step;

/// A generated random graph. Every generator produces an undirected simple
/// graph (each edge becomes two arcs, one per direction of following).
#[derive(Debug, Clone, PartialEq)]
pub enum GeneratorSpec {
    /// G(n, p) with p = mean_degree / (nodes - 1).
    ErdosRenyi { nodes: u32, mean_degree: f64 },
    /// Preferential attachment: each new person follows `edges_per_node`
    /// existing people chosen proportionally to their degree.
    BarabasiAlbert { nodes: u32, edges_per_node: u32 },
    /// Ring lattice where each person links to `neighbors` nearest people
    /// (`neighbors` even), each edge rewired with probability `rewire`.
    WattsStrogatz {
        nodes: u32,
        neighbors: u32,
        rewire: f64,
    },
    /// Planted communities of equal size; mean degree split into links inside
    /// the own community and links to other communities. Each person keeps its
    /// community index (0-based) as its segment.
    StochasticBlock {
        communities: u32,
        community_size: u32,
        mean_degree_in: f64,
        mean_degree_out: f64,
    },
    /// Chung–Lu graph with expected degrees following a power law
    /// P(k) ~ k^-exponent, scaled to `mean_degree`.
    Powerlaw {
        nodes: u32,
        exponent: f64,
        mean_degree: f64,
    },
    /// Holme–Kim: preferential attachment plus triad formation with
    /// probability `triangle_prob` after each attachment, for clustering.
    HolmeKim {
        nodes: u32,
        edges_per_node: u32,
        triangle_prob: f64,
    },
}

impl GeneratorSpec {
    /// The generator's name as written in scenario files.
    pub fn name(&self) -> &'static str {
        match self {
            GeneratorSpec::ErdosRenyi { .. } => "erdos-renyi",
            GeneratorSpec::BarabasiAlbert { .. } => "barabasi-albert",
            GeneratorSpec::WattsStrogatz { .. } => "watts-strogatz",
            GeneratorSpec::StochasticBlock { .. } => "stochastic-block",
            GeneratorSpec::Powerlaw { .. } => "powerlaw",
            GeneratorSpec::HolmeKim { .. } => "holme-kim",
        }
    }
}

/// Where the graph comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum GraphSource {
    /// A random graph generated from `seed` (independent of the run seed).
    Generated { spec: GeneratorSpec, seed: u64 },
    /// A real network read from an edge-list file.
    EdgeList { path: PathBuf, directed: bool },
}

impl GraphSource {
    /// Whether the graph comes with segments of its own: the planted
    /// communities of the stochastic-block generator.
    pub fn plants_segments(&self) -> bool {
        matches!(
            self,
            GraphSource::Generated {
                spec: GeneratorSpec::StochasticBlock { .. },
                ..
            }
        )
    }
}

/// How trust is drawn, once per follower arc.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TrustSpec {
    /// Every arc has the same trust.
    Constant { value: f64 },
    /// Uniform on [low, high].
    Uniform { low: f64, high: f64 },
    /// Beta(alpha, beta), mean alpha / (alpha + beta).
    Beta { alpha: f64, beta: f64 },
}

impl TrustSpec {
    /// Expected trust of an arc.
    pub fn mean(&self) -> f64 {
        match *self {
            TrustSpec::Constant { value } => value,
            TrustSpec::Uniform { low, high } => 0.5 * (low + high),
            TrustSpec::Beta { alpha, beta } => alpha / (alpha + beta),
        }
    }
}

/// Trust scaled by segment (`[trust] same_segment`, `other_segment`): an
/// arc whose two ends are in the same segment has its trust multiplied by
/// `same_segment`, one between two different segments by `other_segment`,
/// then clamped to [0, 1]; arcs touching someone without a segment keep
/// their trust. Both factors are at least 0; 1 changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct SegmentTrust {
    pub same_segment: f64,
    pub other_segment: f64,
}

/// The audience the campaign is for (`[target]`): the people of these
/// segments. Reach among them and outside them is reported apart.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetSpec {
    /// Segment names as written (numbers as their decimal text); checked
    /// against the graph's segments once it is built.
    pub segments: Vec<String>,
}

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

/// Monte Carlo settings.
#[derive(Debug, Clone, PartialEq)]
pub struct SimulationSpec {
    pub model: ModelKind,
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

/// Paid exposure (ads) running alongside word of mouth.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct PaidSpec {
    /// Chance that a person sees the ad in a step of the window, in [0, 1].
    pub reach_per_step: f64,
    /// First step with ads (at least 1).
    pub from_step: u32,
    /// Last step with ads (at most `[simulation] steps`).
    pub to_step: u32,
    /// Chance that a person reached by the ad shares it, in [0, 1].
    pub stickiness: f64,
    /// Price of one ad view, in the unit of `[costs]`.
    pub cost_per_view: f64,
}

/// Who acts on the content, and what an action is worth.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct ConversionSpec {
    /// Chance that a reached person who did not share converts, in [0, 1].
    pub rate: f64,
    /// Chance that a person who shared converts, in [0, 1].
    pub rate_if_shared: f64,
    /// Money one conversion brings, at least 0, in the unit of `[costs]`.
    pub value: f64,
}

/// What a `count` of 0 means, in the words of every message about the
/// range of `count` (0 to the number of people who may be seeded).
pub const COUNT_ZERO: &str = "0: nobody, for example to see what [paid] ads do alone";

/// How many people a strategy may seed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Limit {
    /// Exactly this many people (fewer only if the graph is smaller).
    Count(u32),
    /// People whose seeding costs add up to at most this much money.
    Budget(f64),
}

/// What seeding a person costs, and how likely they are to post.
#[derive(Debug, Clone, PartialEq)]
pub struct CostSpec {
    /// Fixed cost of seeding anyone, above 0.
    pub base: f64,
    /// Cost per follower (raised to `exponent`), at least 0.
    pub per_follower: f64,
    /// How steeply cost grows with followers.
    pub exponent: f64,
    /// Per-person costs, `id cost` per line, overriding the formula.
    pub file: Option<PathBuf>,
    /// Chance that an invited person really posts, in [0, 1], decided
    /// afresh in every run.
    pub acceptance: f64,
}

impl Default for CostSpec {
    /// Everyone costs 1 and everyone invited posts.
    fn default() -> CostSpec {
        CostSpec {
            base: 1.0,
            per_follower: 0.0,
            exponent: 1.0,
            file: None,
            acceptance: 1.0,
        }
    }
}

/// How a strategy picks its seeds. Every kind but `explicit` seeds up to
/// its [`Limit`]: a number of people, or a budget spent greedily by the
/// kind's own score per unit of cost.
#[derive(Debug, Clone, PartialEq)]
pub enum StrategyKind {
    /// People drawn uniformly at random, afresh in every run.
    Random { limit: Limit },
    /// The people with the most followers; ties to the smaller id.
    TopDegree { limit: Limit },
    /// The people with these original ids.
    Explicit { nodes: Vec<u64> },
    /// DegreeDiscountIC (Chen, Wang & Yang 2009) with the scenario's mean
    /// share probability.
    DegreeDiscount { limit: Limit },
    /// Highest PageRank, rank flowing from followers to the people they
    /// follow, with damping factor `damping`.
    PageRank { limit: Limit, damping: f64 },
    /// Highest k-shell (Kitsak et al. 2010), ties by followers, no two seeds
    /// neighbours.
    Coreness { limit: Limit },
    /// The best-connected people of each community in turn
    /// ("micro-influencers").
    CommunitySpread { limit: Limit },
    /// Lazy greedy on Monte Carlo spread estimates of `runs` runs each
    /// (Leskovec et al. 2007).
    Celf { limit: Limit, runs: u32 },
    /// Reverse influence sampling, IMM (Tang, Shi & Xiao 2015): a
    /// (1 - 1/e - epsilon)-approximation with probability 1 - 1/n^ell.
    Imm {
        limit: Limit,
        epsilon: f64,
        ell: f64,
    },
}

impl StrategyKind {
    /// Every kind's name as written in scenario files.
    pub const NAMES: &'static [&'static str] = &[
        "random",
        "top-degree",
        "explicit",
        "degree-discount",
        "pagerank",
        "coreness",
        "community-spread",
        "celf",
        "imm",
    ];

    /// The kind's name as written in scenario files.
    pub fn name(&self) -> &'static str {
        match self {
            StrategyKind::Random { .. } => "random",
            StrategyKind::TopDegree { .. } => "top-degree",
            StrategyKind::Explicit { .. } => "explicit",
            StrategyKind::DegreeDiscount { .. } => "degree-discount",
            StrategyKind::PageRank { .. } => "pagerank",
            StrategyKind::Coreness { .. } => "coreness",
            StrategyKind::CommunitySpread { .. } => "community-spread",
            StrategyKind::Celf { .. } => "celf",
            StrategyKind::Imm { .. } => "imm",
        }
    }

    /// How many people the strategy may seed (None: `explicit`, which
    /// seeds the people it lists).
    pub fn limit(&self) -> Option<Limit> {
        match *self {
            StrategyKind::Explicit { .. } => None,
            StrategyKind::Random { limit }
            | StrategyKind::TopDegree { limit }
            | StrategyKind::DegreeDiscount { limit }
            | StrategyKind::PageRank { limit, .. }
            | StrategyKind::Coreness { limit }
            | StrategyKind::CommunitySpread { limit }
            | StrategyKind::Celf { limit, .. }
            | StrategyKind::Imm { limit, .. } => Some(limit),
        }
    }
}

/// One seeding strategy to compare.
#[derive(Debug, Clone, PartialEq)]
pub struct StrategySpec {
    /// The name shown in tables and charts.
    pub name: String,
    pub kind: StrategyKind,
    /// Only people of these segments may be seeded (names as written,
    /// checked against the graph's segments once it is built).
    pub segments: Option<Vec<String>>,
    /// Where its table is in the file.
    pub table: SeedingTable,
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
#[derive(Debug, Clone, PartialEq)]
pub struct RivalSpec {
    /// Its stickiness, in [0, 1].
    pub stickiness: f64,
    /// The step at which its seeds share, 0 to `[simulation] steps` (ours
    /// share at step 0).
    pub start_step: u32,
    /// How its seeds are chosen, with the keys of a `[[strategy]]` table;
    /// `name` labels the rival in tables and charts.
    pub seeding: StrategySpec,
}

impl Scenario {
    /// Counting slots per run for reach per segment when the number of
    /// segments is known before the graph is built (planted communities,
    /// plus one for people without a segment); 0 without segments or when
    /// a segment file will tell.
    pub fn known_segment_slots(&self) -> u64 {
        match self.graph {
            GraphSource::Generated {
                spec: GeneratorSpec::StochasticBlock { communities, .. },
                ..
            } => communities as u64 + 1,
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
    pub strategies: Vec<StrategySpec>,
    /// Chart formats to write (the CSV and JSON files are always written).
    pub charts: Vec<ChartFormat>,
    /// Keys varied over a grid of points, if the scenario sweeps any.
    pub sweep: Option<super::SweepSpec>,
    /// What the command line changed after the file was read.
    pub overrides: super::Overrides,
}
