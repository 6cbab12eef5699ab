//! `celf`: choose seeds by simulating the campaign itself. Seeds are added
//! one at a time, each time the person who adds the most expected reach to
//! those already chosen, with every reach estimated by `runs` Monte Carlo
//! cascades of the scenario's own model and horizon. This is the greedy
//! algorithm of Kempe, Kleinberg & Tardos (KDD 2003), within a factor
//! 1 - 1/e of the best possible seed set, made affordable by CELF's lazy
//! evaluation (Leskovec, Krause, Guestrin, Faloutsos, VanBriesen & Glance,
//! "Cost-effective Outbreak Detection in Networks", KDD 2007).
//!
//! For a planner it is the most faithful strategy, since it optimises exactly
//! what the report measures and so avoids seeding people whose audiences
//! overlap, but also the most expensive: its first round simulates from
//! every person. Beyond a few thousand people, `imm` gives nearly the same
//! guarantee (1 - 1/e - epsilon) far faster.
//!
//! It maximises the scenario's goal (`[goal] metric`), or the strategy's
//! own `goal`: people reached by default, or sharers, conversions, reach in
//! the target, or net reach against a rival (our reach minus the rival's,
//! simulated against the rival's seeds). Each is the final count of a
//! simulated metric, so the same greedy serves them all.
//!
//! Within a budget it is the cost-effective lazy forward selection of
//! Leskovec et al.: two greedy passes that both take only people the money
//! left pays for, one ranking by reach gained per unit of cost, one by
//! reach gained alone; the better of the two sets wins. Either pass alone
//! can fail badly (the first on one costly star, the second on many cheap
//! ones); the better of both is within (1 - 1/e) / 2 of the best affordable
//! set.

use std::cell::Cell;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

use std::sync::Arc;

use super::kind::{within, Kind, Words};
use super::{Chosen, Context, Limit, Purse, SeedingStrategy, Seeds, StrategyError};
use crate::engine::{self, Acceptance};
use crate::graph::{Graph, Node};
use crate::model::{Goal, Metric, Model, RivalSeeding, SpreadModel, SpreadSpec, Tally};
use crate::resources::human;
use crate::rng::{self, Purpose};

/// Runs per spread estimate when the table does not say.
pub const DEFAULT_RUNS: u32 = 200;

/// `celf`: lazy greedy on simulated reach.
pub const KIND: Kind = Kind {
    name: "celf",
    about: "lazy greedy (Leskovec et al. 2007) on Monte Carlo estimates of expected reach",
    keys: &["count", "budget", "runs", "goal"],
    build: |keys| {
        let limit = keys.limit()?;
        let runs = keys.whole("runs", DEFAULT_RUNS as u64, 10, 1_000_000)? as u32;
        let goal = keys.goal()?;
        Ok(Arc::new(Celf { limit, runs, goal }))
    },
};

/// Most work the first round may do, in arcs visited (people x runs x arcs
/// per cascade, plus a fixed cost per cascade); about a minute on two
/// cores. Beyond this `celf` would run for many minutes before choosing
/// anyone.
pub const MAX_FIRST_ROUND_WORK: f64 = 5e9;

/// Fixed cost of one simulated cascade, in arc visits' worth of time.
const CASCADE_OVERHEAD: f64 = 100.0;

/// Cost of recording one count of a cascade's curves (every step of every
/// metric is written, however early the cascade dies out), in arc visits'
/// worth of time: a sequential write against a random access.
const RECORD_WORK: f64 = 0.1;

/// Share of the budget the first round spends before its pace so far is
/// trusted to project the whole round: one costly cascade early on does
/// not condemn it.
const PROJECT_AFTER: f64 = 0.01;

/// Most work the rounds after the first may add, as a multiple of
/// [`MAX_FIRST_ROUND_WORK`]: lazy evaluation usually needs a small
/// fraction of the first round, but nothing bounds it in advance.
const LATER_ROUNDS_FACTOR: f64 = 1.0;

/// Runs of the pilot that measures how far a cascade goes.
const PILOT_RUNS: u32 = 50;

/// Most memory one spread estimate may hold: the engine keeps every run's
/// curves (runs x (steps + 1) x 2 metrics x 4 bytes).
const MAX_ESTIMATE_BYTES: u64 = 1 << 30;

/// Lazy greedy on simulated reach.
pub struct Celf {
    pub limit: Limit,
    pub runs: u32,
    /// What it maximises instead of the scenario's goal, if anything.
    pub goal: Option<Goal>,
}

impl SeedingStrategy for Celf {
    /// Each estimate's curves, the runs' workers and the lazy queue.
    fn working_bytes(&self, nodes: u64, _arcs: u64, steps: u32, workers: u64) -> u64 {
        let curves = self.runs as u64 * (steps as u64 + 1) * 2 * 4;
        curves + workers + 48 * nodes
    }

    fn limit(&self) -> Option<Limit> {
        Some(self.limit)
    }

    fn goal(&self) -> Option<Goal> {
        self.goal
    }

    fn describe(&self, words: &dyn Words) -> String {
        let aim = match self.goal {
            None | Some(Goal::Reached) => "reach".to_string(),
            Some(goal) => goal.words().to_string(),
        };
        let what = format!(
            "chosen greedily on simulated {aim} (CELF, {} runs per estimate)",
            words.count(self.runs as u64)
        );
        within(self.limit, words, &what)
    }

    fn choose(&self, ctx: &Context) -> Result<Seeds, StrategyError> {
        self.choose_ranked(ctx).map(|c| c.seeds)
    }

    fn choose_ranked(&self, ctx: &Context) -> Result<Chosen, StrategyError> {
        ctx.check_limit(self.limit)?;
        let steps = ctx.spread().steps;
        let goal = self.goal.unwrap_or(ctx.setting.aim.goal);
        // Reached and shared, and the rows the goal adds: conversions, reach
        // in and outside the target, the rival's reached and shared.
        let rows = 2 + match goal {
            Goal::Reached | Goal::Shared => 0,
            Goal::Converted => 1,
            Goal::ReachedInTarget | Goal::NetReached => 2,
        };
        let bytes = self.runs as u64 * (steps as u64 + 1) * rows * 4;
        if bytes > MAX_ESTIMATE_BYTES.min(ctx.memory.bytes) {
            let allowed = if ctx.memory.bytes < MAX_ESTIMATE_BYTES {
                format!(
                    "{} is left beside the graph ({})",
                    human(ctx.memory.bytes),
                    ctx.memory
                )
            } else {
                format!("at most {}", human(MAX_ESTIMATE_BYTES))
            };
            return Err(ctx.error(
                "runs",
                format!(
                    "each celf estimate of {} runs over {} steps needs {} of curves; {allowed}: lower runs or [simulation] steps",
                    self.runs,
                    steps,
                    human(bytes),
                ),
            ));
        }
        // One model, one seed for every estimate: run r of every candidate
        // set sees the same randomness, so the difference between two
        // estimates is the difference the seeds make, not sampling noise.
        let seed = rng::key(&[ctx.spread().seed, Purpose::Selection as u64]);
        let aim = &ctx.setting.aim;
        let missing = |table: &str| {
            ctx.error(
                "goal",
                format!("goal = \"{}\" needs a {table} table", goal.name()),
            )
        };
        let tally = match goal {
            Goal::Converted => match &aim.conversion {
                Some(c) => Tally::new(Some(c), seed, None, None),
                None => return Err(missing("[conversion]")),
            },
            Goal::ReachedInTarget => match (&aim.target, ctx.graph.segments()) {
                (Some(t), Some(segments)) => {
                    Tally::new(None, seed, Some(segments), Some(t.clone()))
                }
                _ => return Err(missing("[target]")),
            },
            _ => Tally::default(),
        };
        // Net reach is judged against the rival's seeds; every other goal
        // without them. The same decay and ads as the runs, always.
        let rival = match goal {
            Goal::NetReached => match (ctx.rival, ctx.spread().rival) {
                (Some(seeds), Some(_)) => Some(RivalSeeding { seeds }),
                _ => return Err(missing("[rival]")),
            },
            _ => None,
        };
        let spread = SpreadSpec {
            seed,
            rival: rival.as_ref().and(ctx.spread().rival),
            ..ctx.spread().clone()
        };
        let model = Model::new(&spread, ctx.graph, tally, rival);
        self.greedy_ranked(ctx, &model, goal, MAX_FIRST_ROUND_WORK)
    }
}

impl Celf {
    /// [`Celf::greedy_ranked`]'s seeds.
    #[cfg(test)]
    fn greedy_within<M: SpreadModel>(
        &self,
        ctx: &Context,
        model: &M,
        goal: Goal,
        budget: f64,
    ) -> Result<Seeds, StrategyError> {
        self.greedy_ranked(ctx, model, goal, budget)
            .map(|c| c.seeds)
    }

    /// Lazy greedy on the `goal` simulated with `model`, the first round's
    /// work bounded by `budget`
    /// (arc visits): refused up front when a pilot says it exceeds it, and
    /// stopped as soon as the work measured so far projects beyond it (a
    /// pilot from the best-followed person can be fooled, by a long chain
    /// say).
    fn greedy_ranked<M: SpreadModel>(
        &self,
        ctx: &Context,
        model: &M,
        goal: Goal,
        budget: f64,
    ) -> Result<Chosen, StrategyError> {
        let steps = ctx.spread().steps;
        let record = RECORD_WORK * (steps as f64 + 1.0) * model.metrics().len() as f64;
        let per_cascade = arcs_per_cascade(ctx.graph, model, steps) + record;
        let candidates = ctx.eligible() as u64;
        if let Err(message) = check_first_round(candidates as u32, self.runs, per_cascade, budget) {
            return Err(ctx.error("kind", message));
        }
        // Invited people decline on the same runs in every estimate, too.
        let seed = rng::key(&[ctx.spread().seed, Purpose::Selection as u64]);
        let acceptance = Acceptance::new(ctx.setting.acceptance, seed);
        let runs = self.runs;
        let mean_degree = ctx.graph.mean_degree();
        let most_seeds = match self.limit {
            Limit::Count(k) => k as u64,
            Limit::Budget(_) => candidates,
        };
        let (evaluated, work) = (Cell::new(0u64), Cell::new(0.0f64));
        // The goal without seeds: 0, or with a rival minus its reach alone.
        // Our seeds only take people from the rival, so every set's value
        // is at least this.
        let base = match goal {
            Goal::NetReached => {
                total_reach(
                    model,
                    acceptance,
                    &[],
                    runs,
                    steps,
                    mean_degree,
                    record,
                    goal,
                )
                .0
            }
            _ => 0,
        };
        let reach = |set: &[Node]| -> Result<u64, String> {
            let (value, measured) = total_reach(
                model,
                acceptance,
                set,
                runs,
                steps,
                mean_degree,
                record,
                goal,
            );
            let reach = (value - base).max(0) as u64;
            evaluated.set(evaluated.get() + 1);
            work.set(work.get() + measured);
            let pace = Pace {
                evaluated: evaluated.get(),
                work: work.get(),
                candidates,
                runs,
            };
            pace.check(budget)?;
            if pace.evaluated <= candidates {
                ctx.advance(pace.evaluated, candidates, "people");
            } else {
                ctx.advance(set.len() as u64 - 1, most_seeds, "seeds");
            }
            Ok(reach)
        };
        let seeds = cost_effective_greedy(ctx.graph, ctx.purse(self.limit), reach)
            .map_err(|message| ctx.error("kind", message))?;
        // Each seed's gain over the seeds before it: the same estimates
        // (common random numbers), so exactly the lazy greedy's gains, in
        // people per run. Past the work budget, the seeds stand without.
        let mut gains = Vec::with_capacity(seeds.len());
        let mut before = 0u64;
        for i in 1..=seeds.len() {
            let Ok(now) = reach(&seeds[..i]) else {
                break;
            };
            gains.push((now as f64 - before as f64) / runs as f64);
            before = now;
        }
        Ok(Chosen {
            gains: (gains.len() == seeds.len()).then_some(gains),
            seeds: Seeds::Fixed(seeds),
        })
    }
}

/// How far celf got, in evaluations of a seed set's reach and the work
/// they measured (arc visits' worth); the first `candidates` evaluations
/// are the first round, of `runs` runs each.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Pace {
    evaluated: u64,
    work: f64,
    candidates: u64,
    runs: u32,
}

impl Pace {
    /// Whether the work measured so far stays within `budget` for the
    /// first round, projected from its pace, and within
    /// [`LATER_ROUNDS_FACTOR`] x `budget` more for the rounds after it; if
    /// not, a message saying so and what to do.
    fn check(&self, budget: f64) -> Result<(), String> {
        let advice = "use kind = \"imm\", which gives nearly the same guarantee and scales to millions of people, or lower runs";
        if self.evaluated <= self.candidates {
            let projected = self.work / self.evaluated as f64 * self.candidates as f64;
            if self.work >= PROJECT_AFTER * budget && projected > budget {
                return Err(format!(
                    "celf's first round, measured on its first {} of {} people x {} runs, would take about \
                     {projected:.1e} arc visits, more than the {budget:.0e} that finish in about a minute \
                     (the cascades go much further than a pilot from the best-followed person said): {advice}",
                    self.evaluated, self.candidates, self.runs
                ));
            }
        } else if self.work > budget * (1.0 + LATER_ROUNDS_FACTOR) {
            return Err(format!(
                "celf's rounds after the first have taken more than {:.0e} arc visits and are not done: {advice}",
                budget * LATER_ROUNDS_FACTOR
            ));
        }
        Ok(())
    }
}

/// CELF within `purse`'s limit, among the people it may take: under a
/// count, plain lazy greedy; under a budget, the better (by `reach`) of the
/// per-cost and the plain greedy pass. Stops at the first error of
/// `reach`.
fn cost_effective_greedy<E>(
    graph: &Graph,
    purse: Purse,
    reach: impl Fn(&[Node]) -> Result<u64, E>,
) -> Result<Vec<Node>, E> {
    if purse.is_spent() {
        // A count of 0: nobody to choose.
        return Ok(Vec::new());
    }
    // The first round's estimates serve both passes; only the people who
    // may be seeded are simulated.
    let mut singles = vec![0u64; graph.nodes() as usize];
    for v in purse.candidates(graph.nodes()) {
        singles[v as usize] = reach(&[v])?;
    }
    let plain = lazy_greedy(graph, purse.clone(), false, &singles, &reach)?;
    Ok(match purse.limit() {
        Limit::Count(_) => plain.0,
        Limit::Budget(_) => {
            let per_cost = lazy_greedy(graph, purse, true, &singles, &reach)?;
            // Ties to the per-cost set, the cheaper way to the same reach.
            if per_cost.1 >= plain.1 {
                per_cost.0
            } else {
                plain.0
            }
        }
    })
}

/// Arcs a cascade visits, measured by a short pilot from the best-followed
/// person: their followers, plus a mean-degree row for every further
/// sharer. Cascades from the largest hub are among the costliest, and later
/// rounds simulate sets containing such hubs, so this errs on the side of
/// refusing. Deterministic: the pilot uses the model's own coins.
fn arcs_per_cascade<M: SpreadModel>(graph: &Graph, model: &M, steps: u32) -> f64 {
    let hub = super::top_degree_seeds(graph, 1);
    let outcome = engine::simulate(
        model,
        &Seeds::Fixed(hub.clone()),
        Acceptance::ALL,
        PILOT_RUNS,
        steps,
        &|_| {},
    );
    let shared = outcome.finals(
        outcome
            .metric_index(Metric::Shared)
            .expect("every model records shared"),
    );
    let mean_shared = shared.iter().sum::<f64>() / shared.len() as f64;
    graph.follower_count(hub[0]) as f64 + (mean_shared - 1.0).max(0.0) * graph.mean_degree()
}

/// Whether the first round, `nodes` people x `runs` runs of cascades
/// costing `per_cascade` arc visits each, is affordable within `budget`
/// arc visits; if not, a message saying what it would take and what to do
/// instead.
pub fn check_first_round(
    nodes: u32,
    runs: u32,
    per_cascade: f64,
    budget: f64,
) -> Result<(), String> {
    let per_run = nodes as f64 * (per_cascade + CASCADE_OVERHEAD);
    let work = per_run * runs as f64;
    if work <= budget {
        return Ok(());
    }
    let most_runs = (budget / per_run).floor() as u64;
    let lower = if most_runs >= 10 {
        format!(", or lower runs to at most {most_runs}")
    } else {
        String::new()
    };
    Err(format!(
        "celf's first round alone would simulate {nodes} people x {runs} runs = {} cascades of about \
         {per_cascade:.0} arc visits each ({work:.1e} arc visits, more than the {budget:.0e} that \
         finish in about a minute): use kind = \"imm\", which gives nearly the same guarantee and \
         scales to millions of people{lower}",
        nodes as u64 * runs as u64
    ))
}

/// The `goal` (reach by default) summed over all runs of `model` from
/// `set`: an integer, so equal gains compare equal and ties go
/// deterministically to the smaller id. With it, the work the runs took,
/// in arc visits' worth: per run, the people reached (each one a follower
/// visited), the sharers' rows at the graph's `mean_degree`, `record` for
/// writing the curves and a fixed cost.
#[allow(clippy::too_many_arguments)]
fn total_reach<M: SpreadModel>(
    model: &M,
    acceptance: Acceptance,
    set: &[Node],
    runs: u32,
    steps: u32,
    mean_degree: f64,
    record: f64,
    goal: Goal,
) -> (i64, f64) {
    let outcome = engine::simulate(
        model,
        &Seeds::Fixed(set.to_vec()),
        acceptance,
        runs,
        steps,
        &|_| {},
    );
    let reached = outcome
        .metric_index(Metric::Reached)
        .expect("every model records reach");
    let shared = outcome
        .metric_index(Metric::Shared)
        .expect("every model records sharers");
    let last = |r: u32, m: usize| outcome.final_value(r, m) as u64;
    let reach = (0..runs).map(|r| last(r, reached)).sum::<u64>();
    let sharers = (0..runs).map(|r| last(r, shared)).sum::<u64>();
    let work =
        reach as f64 + sharers as f64 * mean_degree + runs as f64 * (record + CASCADE_OVERHEAD);
    let (plus, minus) = goal.metrics();
    let total = |metric: Metric| -> i64 {
        outcome
            .metric_index(metric)
            .map_or(0, |m| (0..runs).map(|r| last(r, m) as i64).sum())
    };
    let value = total(plus) - minus.map_or(0, total);
    (value, work)
}

/// CELF: the greedy maximiser of `reach` (a set function, here total reach
/// over the runs), evaluating a candidate's gain only when it could still be
/// the best. Submodularity makes a gain computed in an earlier round an
/// upper bound on the current one, so a candidate whose fresh gain tops
/// every other bound is the greedy choice without looking at the rest.
/// Under the independent cascade with common random numbers, each run's
/// reach is a coverage function of that run's live arcs (the same for every
/// seed set), so the estimates are themselves submodular and this picks
/// exactly what plain greedy on them would. Under the linear threshold only
/// the expectation over thresholds is submodular (a run with fixed
/// thresholds need not be), so there a stale bound can fall below a gain by
/// sampling noise, and the pick may differ from plain greedy's on the same
/// estimates within that noise. Ties go to the smaller original id.
///
/// Only people `purse` may take are candidates, and only those it can
/// still pay for are taken; one it cannot is dropped for good, as the money
/// left only shrinks. With `per_cost`, gains rank per unit of cost.
/// `singles` holds each candidate's reach alone.
/// Returns the seeds and their total reach.
fn lazy_greedy<E>(
    graph: &Graph,
    mut purse: Purse,
    per_cost: bool,
    singles: &[u64],
    reach: impl Fn(&[Node]) -> Result<u64, E>,
) -> Result<(Vec<Node>, u64), E> {
    let costs = purse.costs();
    let rank = |v: Node, gain: i64| Rank {
        value: if per_cost {
            gain as f64 / costs.of(v)
        } else {
            gain as f64
        },
        label: Reverse(graph.label(v)),
    };
    // (rank, person, gain, size of the set the gain is over).
    let mut heap: BinaryHeap<(Rank, Node, i64, usize)> = purse
        .candidates(graph.nodes())
        .into_iter()
        .map(|v| {
            (
                rank(v, singles[v as usize] as i64),
                v,
                singles[v as usize] as i64,
                0,
            )
        })
        .collect();
    let mut chosen: Vec<Node> = Vec::new();
    let mut current = 0i64;
    while !purse.is_spent() {
        let Some((_, v, gain, round)) = heap.pop() else {
            break;
        };
        if !purse.fits(v) {
            continue;
        }
        if round == chosen.len() {
            purse.take(v);
            chosen.push(v);
            current += gain;
        } else {
            chosen.push(v);
            let gain = reach(&chosen)? as i64 - current;
            chosen.pop();
            heap.push((rank(v, gain), v, gain, chosen.len()));
        }
    }
    Ok((chosen, current.max(0) as u64))
}

/// A greedy candidate's rank: its (per-cost) gain, ties to the smaller id.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Rank {
    value: f64,
    label: Reverse<u64>,
}

impl Eq for Rank {}

impl PartialOrd for Rank {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Rank {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.value
            .total_cmp(&other.value)
            .then(self.label.cmp(&other.label))
    }
}

#[cfg(test)]
mod budget_tests;
#[cfg(test)]
mod tests;
