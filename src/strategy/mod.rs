//! Seeding strategies: who gets the content first. Each kind is its own
//! file behind [`SeedingStrategy`], with its [`Kind`] entry (name, keys,
//! how to build it) listed once in [`KINDS`]. A strategy chooses once,
//! against the graph, either a fixed seed set or a rule that draws a fresh
//! set for every run. Strategies speak the core's own terms: they read the
//! spread they choose for ([`crate::model::SpreadSpec`]) and the costs,
//! never the scenario file; their errors name the key at fault, and the
//! pipeline says where that key is.

mod celf;
mod community_spread;
mod coreness;
mod degree_discount;
mod explicit;
mod imm;
pub mod kind;
mod pagerank;
mod random;
mod top_degree;

use std::fmt;
use std::sync::Arc;

use thiserror::Error;

use crate::graph::costs::Costs;
use crate::graph::{Graph, Node};
use crate::model::{AdBudget, ConversionSpec, Goal, Seeds, SpreadSpec};
use crate::resources::Memory;
use crate::rng::{self, Purpose};

pub use celf::Celf;
pub use community_spread::CommunitySpread;
pub use coreness::Coreness;
pub use degree_discount::DegreeDiscount;
pub use explicit::Explicit;
pub use imm::Imm;
pub use kind::{Keys, Kind, Refused, Words};
pub use pagerank::PageRank;
pub use random::Random;
pub use top_degree::{top_by_followers as top_degree_seeds, TopDegree};

/// Every kind of seeding strategy, in the order messages and docs list
/// them.
pub const KINDS: &[&Kind] = &[
    &random::KIND,
    &top_degree::KIND,
    &explicit::KIND,
    &degree_discount::KIND,
    &pagerank::KIND,
    &coreness::KIND,
    &community_spread::KIND,
    &celf::KIND,
    &imm::KIND,
];

/// The kind called `name`, if there is one.
pub fn kind_named(name: &str) -> Option<&'static Kind> {
    KINDS.iter().copied().find(|k| k.name == name)
}

/// How many people a strategy may seed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Limit {
    /// Exactly this many people (fewer only if the graph is smaller).
    Count(u32),
    /// People whose seeding costs add up to at most this much money.
    Budget(f64),
}

/// What a `count` of 0 means, in the words of every message about the
/// range of `count` (0 to the number of people who may be seeded).
pub const COUNT_ZERO: &str = "0: nobody, for example to see what [paid] ads do alone";

/// One seeding strategy to compare.
#[derive(Clone)]
pub struct StrategySpec {
    /// The name shown in tables and charts.
    pub name: String,
    pub kind: &'static Kind,
    /// The strategy, built from its keys.
    pub strategy: Arc<dyn SeedingStrategy>,
    /// Only people of these segments may be seeded (names as written,
    /// checked against the graph's segments once it is built).
    pub segments: Option<Vec<String>>,
    /// The step at which the chosen seeds post, 0 to the steps simulated.
    pub start_step: u32,
    /// The strategy's own ads (`[strategy.ads]`), bought beside its seeds
    /// from a budget of their own; None: the scenario's `[paid]`, if any.
    pub ads: Option<AdBudget>,
}

impl fmt::Debug for StrategySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StrategySpec")
            .field("name", &self.name)
            .field("kind", &self.kind.name)
            .field("segments", &self.segments)
            .field("start_step", &self.start_step)
            .field("ads", &self.ads)
            .finish()
    }
}

impl StrategySpec {
    /// How many people the strategy may seed (None: it seeds the people it
    /// lists).
    pub fn limit(&self) -> Option<Limit> {
        self.strategy.limit()
    }
}

/// A strategy that cannot be applied to this graph: the key at fault (and
/// the position in its list, for a list), and what is wrong.
#[derive(Debug, Error)]
#[error("{message}")]
pub struct StrategyError {
    pub key: &'static str,
    pub index: Option<usize>,
    pub message: String,
}

/// What the seeds are chosen for, besides the graph and the costs.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    /// The spread the seeds will start; strategies that simulate or sample
    /// spread use it, and its seed keys their own random streams.
    pub spread: SpreadSpec,
    /// Chance that an invited person really posts, in [0, 1].
    pub acceptance: f64,
    /// Mean trust over the follower arcs, in [0, 1].
    pub mean_trust: f64,
    /// Whether the costs come from a file of per-person costs (for
    /// messages that say where a cost comes from).
    pub costs_from_file: bool,
    /// What the optimising strategies maximise unless they say otherwise.
    pub aim: Aim,
}

/// What the optimising strategies (`celf`, `imm`) maximise, and what they
/// need to count it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Aim {
    /// The scenario's goal (`[goal] metric`).
    pub goal: Goal,
    /// Conversion rates, for a goal of conversions.
    pub conversion: Option<ConversionSpec>,
    /// The target audience as a mask over the graph's segment slots, for a
    /// goal of reach in the target.
    pub target: Option<Vec<bool>>,
}

/// Everything a strategy may look at when choosing.
pub struct Context<'a> {
    pub graph: &'a Graph,
    /// The strategy's name, as progress reports it.
    pub name: &'a str,
    /// What the seeds are chosen for.
    pub setting: &'a Setting,
    /// The strategy's segments, if it seeds only from some.
    pub segments: Option<&'a [String]>,
    /// What seeding each person costs.
    pub costs: &'a Costs,
    /// Who may be seeded, by node: the people of the strategy's `segments`
    /// (None: everyone). Every strategy chooses only among them, through
    /// [`Context::purse`] and [`Context::candidates`].
    pub allowed: Option<&'a [bool]>,
    /// Memory the strategy may use while choosing: what the run's limit
    /// leaves beside the graph. A strategy whose needs grow with its
    /// parameters (imm's samples, celf's estimates) refuses beyond it.
    pub memory: Memory,
    /// Told how far a strategy that takes a while got.
    pub progress: &'a dyn Progress,
    /// The rival's seeds (`[rival]`), for a strategy aiming at net reach.
    pub rival: Option<&'a Seeds>,
}

/// Where a strategy that takes a while says how far it got (the command
/// line draws a bar from it). Called from the choosing thread only.
pub trait Progress: Sync {
    /// `done` of `total` `unit`s (e.g. "people") of strategy `name`'s work
    /// are through.
    fn advance(&self, name: &str, done: u64, total: u64, unit: &'static str);

    /// A slow step begins that may say nothing more until the next one:
    /// `what` in words ("loading the network", "choosing seeds: imm").
    fn phase(&self, _what: &str) {}

    /// The network is read from `file`, `bytes` long (see
    /// [`crate::graph::edgelist::bytes_read`] for how far it got).
    fn reading(&self, _file: &str, _bytes: u64) {}
}

/// Progress nobody watches.
pub struct Unwatched;

impl Progress for Unwatched {
    fn advance(&self, _: &str, _: u64, _: u64, _: &'static str) {}
}

impl<'a> Context<'a> {
    /// Tell the progress watcher that `done` of `total` `unit`s are
    /// through.
    pub fn advance(&self, done: u64, total: u64, unit: &'static str) {
        self.progress.advance(self.name, done, total, unit);
    }

    /// An error at this strategy's `key`.
    pub fn error(&self, key: &'static str, message: impl Into<String>) -> StrategyError {
        StrategyError {
            key,
            index: None,
            message: message.into(),
        }
    }

    /// The spread the seeds are chosen for.
    pub fn spread(&self) -> &'a SpreadSpec {
        &self.setting.spread
    }

    /// Whether `v` may be seeded at all.
    #[inline]
    pub fn may_seed(&self, v: Node) -> bool {
        self.allowed.is_none_or(|a| a[v as usize])
    }

    /// Everyone who may be seeded, by increasing node.
    pub fn candidates(&self) -> Vec<Node> {
        (0..self.graph.nodes())
            .filter(|&v| self.may_seed(v))
            .collect()
    }

    /// How many people may be seeded.
    pub fn eligible(&self) -> u32 {
        match self.allowed {
            Some(a) => a.iter().filter(|&&x| x).count() as u32,
            None => self.graph.nodes(),
        }
    }

    /// An empty purse for `limit` that takes only people who may be seeded.
    pub fn purse(&self, limit: Limit) -> Purse<'a> {
        Purse::among(self.costs, limit, self.allowed)
    }

    /// " of this strategy's segments ("a", "b")", or "" without segments.
    fn in_segments(&self) -> String {
        match self.segments {
            Some(names) => {
                let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
                format!(" in this strategy's segments ({})", quoted.join(", "))
            }
            None => String::new(),
        }
    }

    /// Check that `limit` can be met: a count no larger than the number of
    /// people who may be seeded, a budget that buys at least the cheapest
    /// of them.
    pub fn check_limit(&self, limit: Limit) -> Result<(), StrategyError> {
        let eligible = self.eligible();
        let purse = self.purse(limit);
        match limit {
            Limit::Count(count) if count > eligible => Err(self.error(
                "count",
                match self.allowed {
                    None => format!(
                        "count {count} is larger than the graph's {eligible} people: allowed 0 to {eligible} ({COUNT_ZERO})"
                    ),
                    Some(_) => format!(
                        "count {count} is larger than the {eligible} people{}: allowed 0 to {eligible} ({COUNT_ZERO})",
                        self.in_segments()
                    ),
                },
            )),
            Limit::Budget(budget) if budget < purse.cheapest() => Err(self.error(
                "budget",
                format!(
                    "budget {budget} buys no one: the cheapest person{} costs {}{}",
                    self.in_segments(),
                    purse.cheapest(),
                    if self.setting.costs_from_file {
                        " (see the [costs] file or the people file)"
                    } else {
                        " (people with the fewest followers cost base + per_follower x followers^exponent)"
                    }
                ),
            )),
            _ => Ok(()),
        }
    }
}

impl Context<'_> {
    /// The mean share probability, stickiness x mean trust.
    pub fn mean_share_probability(&self) -> f64 {
        (self.spread().stickiness * self.setting.mean_trust).clamp(0.0, 1.0)
    }
}

/// The `k` of `candidates` with the highest `score`, best first; ties to
/// the smaller original id.
pub fn top_k_by_score(
    graph: &Graph,
    score: &[f64],
    mut candidates: Vec<Node>,
    k: u32,
) -> Vec<Node> {
    candidates.sort_unstable_by(|&a, &b| {
        score[b as usize]
            .total_cmp(&score[a as usize])
            .then(graph.label(a).cmp(&graph.label(b)))
    });
    candidates.truncate(k as usize);
    candidates
}

/// The people a fixed `score` ranks best within `purse`'s limit, among
/// those it may take: for a count, the highest scores; for a budget, the
/// highest scores per unit of cost, each taken if the money left pays for
/// them. Ties to the smaller original id.
pub fn best_within(graph: &Graph, score: &[f64], mut purse: Purse) -> Vec<Node> {
    let candidates = purse.candidates(graph.nodes());
    match purse.limit() {
        Limit::Count(k) => top_k_by_score(graph, score, candidates, k),
        Limit::Budget(_) => {
            let costs = purse.costs();
            let per_cost: Vec<f64> = (0..graph.nodes())
                .map(|v| score[v as usize] / costs.of(v))
                .collect();
            let mut seeds = Vec::new();
            for v in top_k_by_score(graph, &per_cost, candidates, graph.nodes()) {
                if purse.is_spent() {
                    break;
                }
                if purse.fits(v) {
                    purse.take(v);
                    seeds.push(v);
                }
            }
            seeds
        }
    }
}

/// What a strategy has spent of its limit while choosing, and whom it may
/// take at all.
#[derive(Debug, Clone)]
pub struct Purse<'a> {
    costs: &'a Costs,
    limit: Limit,
    /// Who may be taken, by node (None: everyone).
    allowed: Option<&'a [bool]>,
    /// The lowest cost of anyone who may be taken.
    cheapest: f64,
    spent: f64,
    taken: u32,
}

impl<'a> Purse<'a> {
    /// Nothing spent yet; anyone may be taken.
    pub fn new(costs: &'a Costs, limit: Limit) -> Purse<'a> {
        Purse::among(costs, limit, None)
    }

    /// Nothing spent yet; only people `allowed` marks may be taken (None:
    /// anyone).
    pub fn among(costs: &'a Costs, limit: Limit, allowed: Option<&'a [bool]>) -> Purse<'a> {
        let cheapest = match allowed {
            None => costs.cheapest(),
            Some(a) => costs
                .all()
                .iter()
                .zip(a)
                .filter(|(_, &ok)| ok)
                .map(|(&c, _)| c)
                .fold(f64::INFINITY, f64::min),
        };
        Purse {
            costs,
            limit,
            allowed,
            cheapest,
            spent: 0.0,
            taken: 0,
        }
    }

    /// Whether `v` may be taken at all, whatever is left of the limit.
    #[inline]
    pub fn may_take(&self, v: Node) -> bool {
        self.allowed.is_none_or(|a| a[v as usize])
    }

    /// Everyone of `0..nodes` who may be taken, by increasing node.
    pub fn candidates(&self, nodes: u32) -> Vec<Node> {
        (0..nodes).filter(|&v| self.may_take(v)).collect()
    }

    /// Whether `v` can still be seeded: they may be taken, and the limit
    /// has room for them. Money is added up in the order the seeds are
    /// taken, as [`Costs::total`] does, so what a strategy spends never
    /// exceeds its budget.
    #[inline]
    pub fn fits(&self, v: Node) -> bool {
        self.may_take(v)
            && match self.limit {
                Limit::Count(k) => self.taken < k,
                Limit::Budget(b) => self.spent + self.costs.of(v) <= b,
            }
    }

    /// Seed `v` (which must fit).
    #[inline]
    pub fn take(&mut self, v: Node) {
        debug_assert!(self.fits(v));
        self.spent += self.costs.of(v);
        self.taken += 1;
    }

    /// Whether nobody at all fits any more.
    #[inline]
    pub fn is_spent(&self) -> bool {
        match self.limit {
            Limit::Count(k) => self.taken >= k,
            Limit::Budget(b) => self.spent + self.cheapest > b,
        }
    }

    /// The lowest cost of anyone who may be taken (infinite if nobody may).
    pub fn cheapest(&self) -> f64 {
        self.cheapest
    }

    /// `benefit` as the greedy ranks it: as it is under a count, per unit
    /// of `v`'s cost under a budget.
    #[inline]
    pub fn rank(&self, v: Node, benefit: f64) -> f64 {
        match self.limit {
            Limit::Count(_) => benefit,
            Limit::Budget(_) => benefit / self.costs.of(v),
        }
    }

    /// Money spent so far.
    pub fn spent(&self) -> f64 {
        self.spent
    }

    /// The costs it pays.
    pub fn costs(&self) -> &'a Costs {
        self.costs
    }

    /// The limit it spends within.
    pub fn limit(&self) -> Limit {
        self.limit
    }
}

/// Seeds as chosen, with what each added when a strategy builds its set
/// one person at a time.
pub struct Chosen {
    pub seeds: Seeds,
    /// Per fixed seed, in order, the estimated gain in what the strategy
    /// maximises (expected people reached) when it was added: celf's lazy
    /// greedy gain, imm's coverage gain x people / samples. None for
    /// strategies that rank or draw.
    pub gains: Option<Vec<f64>>,
}

/// How a strategy chooses its seeds.
pub trait SeedingStrategy: Send + Sync {
    /// Choose against the graph.
    fn choose(&self, ctx: &Context) -> Result<Seeds, StrategyError>;

    /// [`SeedingStrategy::choose`], with each seed's marginal gain if the
    /// strategy knows it.
    fn choose_ranked(&self, ctx: &Context) -> Result<Chosen, StrategyError> {
        Ok(Chosen {
            seeds: self.choose(ctx)?,
            gains: None,
        })
    }

    /// How many people it may seed (None: it seeds the people it lists).
    fn limit(&self) -> Option<Limit>;

    /// Whom it seeds, in plain words for the report ("10 people: the
    /// people with the most followers"), numbers written by `words`.
    fn describe(&self, words: &dyn Words) -> String;

    /// Bytes it holds beside the graph while choosing, at most, on a graph
    /// of `nodes` people and `arcs` follower arcs, for runs of `steps`
    /// steps; `workers` is what the runs' threads hold (a strategy that
    /// simulates needs them too). For the memory check made before a run.
    fn working_bytes(&self, nodes: u64, arcs: u64, steps: u32, workers: u64) -> u64;

    /// The goal it maximises instead of the scenario's, if its table gives
    /// one (`goal = "..."`, for the kinds that optimise).
    fn goal(&self) -> Option<Goal> {
        None
    }

    /// Whether it can maximise `goal` (with `conversion`, the scenario's
    /// conversion rates, if any); if not, why and what to use. Kinds that
    /// do not optimise any goal accept every one.
    fn aims_at(&self, _goal: Goal, _conversion: Option<&ConversionSpec>) -> Result<(), String> {
        Ok(())
    }
}

/// Choose the seeds of `spec`, for `setting`, using at most `memory` while
/// choosing and telling `progress` how far a slow strategy got.
pub fn choose(
    graph: &Graph,
    spec: &StrategySpec,
    setting: &Setting,
    costs: &Costs,
    memory: &Memory,
    progress: &dyn Progress,
) -> Result<Seeds, StrategyError> {
    choose_ranked(graph, spec, setting, costs, memory, progress).map(|c| c.seeds)
}

/// [`choose`], with each seed's marginal gain where the strategy knows it
/// (see [`Chosen`]).
pub fn choose_ranked(
    graph: &Graph,
    spec: &StrategySpec,
    setting: &Setting,
    costs: &Costs,
    memory: &Memory,
    progress: &dyn Progress,
) -> Result<Chosen, StrategyError> {
    choose_ranked_against(graph, spec, setting, costs, memory, progress, None)
}

/// [`choose_ranked`], with the rival's seeds for a strategy aiming at net
/// reach.
pub fn choose_ranked_against(
    graph: &Graph,
    spec: &StrategySpec,
    setting: &Setting,
    costs: &Costs,
    memory: &Memory,
    progress: &dyn Progress,
    rival: Option<&Seeds>,
) -> Result<Chosen, StrategyError> {
    let allowed = match &spec.segments {
        Some(names) => Some(people_of_segments(graph, names)?),
        None => None,
    };
    spec.strategy.choose_ranked(&Context {
        graph,
        name: &spec.name,
        setting,
        segments: spec.segments.as_deref(),
        costs,
        allowed: allowed.as_deref(),
        memory: *memory,
        progress,
        rival,
    })
}

/// Choose a rival content's seeds: as `spec` would choose ours, on the
/// same graph and costs, but for the rival's spread (its stickiness, for
/// the kinds that simulate or sample spread), from random streams of its
/// own (so a random rival never copies a random strategy's draws), and
/// with everyone it seeds posting (acceptance is about people we invite).
pub fn choose_rival(
    graph: &Graph,
    spec: &StrategySpec,
    rival_stickiness: f64,
    setting: &Setting,
    costs: &Costs,
    memory: &Memory,
    progress: &dyn Progress,
) -> Result<Seeds, StrategyError> {
    // The rival spreads with its own stickiness, by segment too.
    let resonance = setting
        .spread
        .resonance
        .as_ref()
        .map(|r| crate::model::Resonance {
            ours: r.rival.clone(),
            rival: Vec::new(),
            ads: r.ads.clone(),
        });
    let spread = SpreadSpec {
        stickiness: rival_stickiness,
        resonance,
        seed: rng::key(&[setting.spread.seed, Purpose::RivalSeeding as u64]),
        ..setting.spread.clone()
    };
    let setting = Setting {
        spread,
        acceptance: 1.0,
        // The rival spreads as far as it can.
        aim: Aim::default(),
        ..setting.clone()
    };
    choose(graph, spec, &setting, costs, memory, progress)
}

/// Who belongs to the segments called `names`, by node; an unknown name is
/// an error at `segments[j]` listing the graph's segments.
fn people_of_segments(graph: &Graph, names: &[String]) -> Result<Vec<bool>, StrategyError> {
    let segments = graph
        .segments()
        .expect("a strategy with segments runs on a graph with segments (checked when read)");
    let chosen = segments.select(names).map_err(|j| StrategyError {
        key: "segments",
        index: Some(j),
        message: segments.unknown(&names[j]),
    })?;
    Ok((0..graph.nodes())
        .map(|v| chosen[segments.slot(v)])
        .collect())
}

/// A context for a strategy's unit tests: everyone may be seeded, no
/// memory limit, nobody watching.
#[cfg(test)]
pub(crate) fn test_context<'a>(
    graph: &'a Graph,
    setting: &'a Setting,
    costs: &'a Costs,
) -> Context<'a> {
    Context {
        graph,
        name: "test",
        setting,
        segments: None,
        costs,
        allowed: None,
        memory: Memory::UNLIMITED,
        progress: &Unwatched,
        rival: None,
    }
}

/// A network where the linear threshold and the cascade disagree on the
/// best seed: hub 0 has followers 1..=10, who each also follow 11, 12 and
/// 13 (who never share) and have three followers of their own; person 14
/// has followers 15..=20 who follow nobody else, with three followers
/// each. At stickiness 1 the cascade passes everything on: the hub (and
/// each of 11, 12, 13) reaches 1 + 10 + 30 = 41, 14 only 25. Under the
/// linear threshold each of the hub's followers has a quarter of their
/// trust on the hub, so shares with probability 1/4: the hub reaches 11 +
/// 30/4 = 18.5, while 14 still reaches 25.
#[cfg(test)]
pub(crate) fn hub_or_only_friend() -> Graph {
    let mut arcs: Vec<(crate::graph::Node, crate::graph::Node)> = Vec::new();
    for (i, f) in (1..=10).enumerate() {
        arcs.extend([(0, f), (11, f), (12, f), (13, f)]);
        arcs.extend((0..3).map(|j| (f, 21 + 3 * i as u32 + j)));
    }
    for (i, f) in (15..=20).enumerate() {
        arcs.push((14, f));
        arcs.extend((0..3).map(|j| (f, 51 + 3 * i as u32 + j)));
    }
    Graph::from_arcs(69, arcs)
}

/// Budgets where one of the two pure greedy rules fails badly, for the
/// cost-aware strategies' tests. Everyone but the star centres costs more
/// than the budget, and at stickiness 0 a centre reaches exactly itself and
/// its followers.
#[cfg(test)]
pub(crate) mod traps {
    use crate::graph::costs::Costs;
    use crate::graph::{Graph, Node};

    /// Stars of `sizes[i]` followers round centres costing `costs[i]`; the
    /// centres are numbered first (0, 1, ...), leaves cost 1000.
    fn stars(sizes: &[u32], centre_costs: &[f64]) -> (Graph, Costs) {
        let centres = sizes.len() as u32;
        let mut edges = Vec::new();
        let mut next = centres;
        for (c, &size) in sizes.iter().enumerate() {
            for _ in 0..size {
                edges.push((c as Node, next));
                next += 1;
            }
        }
        let mut cost = vec![1000.0; next as usize];
        cost[..centres as usize].copy_from_slice(centre_costs);
        (Graph::from_undirected(next, &edges), Costs::new(cost))
    }

    /// Budget 100. A mega-influencer (199 followers, costs 100) and a cheap
    /// one (5 followers, costs 2): by reach per cost the cheap one comes
    /// first (3 vs 2 per unit) and leaves too little for the big one, 6
    /// people reached instead of 200. Best: `[0]`.
    pub fn per_cost_trap() -> (Graph, Costs, f64) {
        let (g, c) = stars(&[199, 5], &[100.0, 2.0]);
        (g, c, 100.0)
    }

    /// Budget 100. A mega-influencer (59 followers, costs 100) and ten
    /// micro-influencers (9 followers, cost 10 each): by plain reach the big
    /// one comes first and takes the whole budget, 60 people reached
    /// instead of the ten small ones' 100. Best: `[1..=10]`.
    pub fn plain_trap() -> (Graph, Costs, f64) {
        let mut sizes = vec![59];
        sizes.extend([9; 10]);
        let mut costs = vec![100.0];
        costs.extend([10.0; 10]);
        let (g, c) = stars(&sizes, &costs);
        (g, c, 100.0)
    }
}
