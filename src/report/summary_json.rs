//! `summary.json`: the scenario's results for machines: graph, each
//! strategy's seeds, final reached/shared/impressions statistics, share of
//! the network reached, frequency and costs per 1000 (with a target, in
//! and outside it; with segments, per segment; with a rival, the rival's
//! reach, net reach and the cost of delay), the paired comparison of the
//! two best strategies in the goal's metric (`[goal]`), the runs made (with runs = "auto", how it got
//! there), and with a sweep its grid and tipping points. No timings, so it
//! is reproducible byte for byte.

use serde::Serialize;
use std::collections::BTreeMap;

use super::{Exporter, OutputFile, Report};
use crate::error::Error;
use crate::model::Seeds;
use crate::pipeline::{self, DelayResult, Money, RivalResult};
use crate::scenario::{ConversionSpec, GraphSource, SegmentTrust, TrustSpec};
use crate::stats::Summary;

pub struct SummaryJson;

#[derive(Serialize)]
struct Summary_<'a> {
    scenario: &'a str,
    model: &'static str,
    /// what one step stands for
    step: &'static str,
    /// steps in which stickiness halves (novelty decay), if any
    half_life: Option<f64>,
    seed: u64,
    /// runs made per strategy
    runs: u32,
    /// with runs = "auto", how the run count was reached (null: fixed)
    auto: Option<AutoOut<'a>>,
    steps: u32,
    stickiness: f64,
    /// stickiness by the follower's segment, ours and the rival's
    /// (absent unless given)
    #[serde(skip_serializing_if = "Option::is_none")]
    stickiness_by_segment: Option<ResonanceOut<'a>>,
    /// when people are online (absent without `[activity]`)
    #[serde(skip_serializing_if = "Option::is_none")]
    activity: Option<&'a crate::model::Activity>,
    trust: TrustOut,
    costs: CostsOut,
    conversion: Option<ConversionSpec>,
    paid: Option<crate::scenario::PaidSpec>,
    graph: GraphOut,
    target: Option<TargetOut<'a>>,
    rival: Option<RivalOut<'a>>,
    /// what ranks the strategies and what celf and imm maximise
    goal: GoalOut,
    strategies: Vec<StrategyOut<'a>>,
    comparison: Option<ComparisonOut<'a>>,
    /// the `[sweep]`'s grid and tipping points (its figures: sweep.csv)
    sweep: Option<SweepOut<'a>>,
}

#[derive(Serialize)]
struct ResonanceOut<'a> {
    ours: std::collections::BTreeMap<&'a str, f64>,
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    rival: std::collections::BTreeMap<&'a str, f64>,
    /// a new ad viewer's chance to share the ad of `[paid]`
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    ads: std::collections::BTreeMap<&'a str, f64>,
}

#[derive(Serialize)]
struct SweepOut<'a> {
    keys: Vec<SweepKeyOut<'a>>,
    points: usize,
    tipping_fraction: f64,
    /// the order of each tipping line's `strategies`
    strategies: &'a [String],
    /// one line per value of the other key (one in a one-key sweep); empty
    /// unless content.stickiness is swept
    tipping: &'a [crate::sweep::TippingLine],
}

#[derive(Serialize)]
struct SweepKeyOut<'a> {
    key: &'a str,
    values: &'a [f64],
}

#[derive(Serialize)]
struct AutoOut<'a> {
    /// the widest 95% CI half width asked for, relative to the mean
    ci_half_width: f64,
    max_runs: u32,
    /// the widest relative 95% CI half width of mean final reached after
    /// the last batch, and whose it is
    widest: f64,
    widest_strategy: &'a str,
    /// whether every strategy's CI is within ci_half_width
    reached_target: bool,
    /// whether max_runs stopped the runs first
    stopped_at_max_runs: bool,
    /// runs made per strategy in all after each batch
    batches: &'a [u32],
}

#[derive(Serialize)]
struct TrustOut {
    distribution: &'static str,
    #[serde(flatten)]
    params: BTreeMap<&'static str, f64>,
    mean: f64,
    /// `same_segment` and `other_segment` factors, if given
    by_segment: Option<SegmentTrust>,
    /// mean trust over the graph's arcs after the segment factors (with
    /// `by_segment`)
    mean_over_arcs: Option<f64>,
}

#[derive(Serialize)]
struct CostsOut {
    base: f64,
    per_follower: f64,
    exponent: f64,
    /// the per-person cost file's name, if any
    file: Option<String>,
    acceptance: f64,
}

#[derive(Serialize)]
struct GraphOut {
    source: String,
    nodes: u32,
    arcs: usize,
    mean_degree: f64,
    /// number of segments (null: the graph has none)
    segments: Option<usize>,
    /// the segment file's name, if any
    segment_file: Option<String>,
}

#[derive(Serialize)]
struct TargetOut<'a> {
    segments: &'a [String],
    /// people in the target segments
    people: u64,
}

#[derive(Serialize)]
struct RivalOut<'a> {
    name: &'a str,
    kind: &'static str,
    stickiness: f64,
    /// the step at which its seeds share (ours share at step 0)
    start_step: u32,
    /// people it seeds per run (mean over runs for a fresh draw per run)
    seeds_per_run: f64,
    /// its seeds, ids as in the edge list (null: drawn afresh per run)
    seeds: Option<Vec<crate::graph::PersonRef>>,
    /// the segments its seeds were drawn from (null: anyone)
    seeded_from: Option<&'a [String]>,
}

#[derive(Serialize)]
struct SegmentOut {
    segment: String,
    people: u32,
    /// whether the segment is in the target (null without `[target]`)
    in_target: Option<bool>,
    /// final people reached in the segment
    reached: Summary,
    /// final people in the segment who shared
    shared: Summary,
}

#[derive(Serialize)]
struct StrategyOut<'a> {
    name: &'a str,
    kind: &'static str,
    /// people invited per run (mean over runs for a fresh draw per run)
    invited: f64,
    /// what inviting them costs (mean over runs for a fresh draw per run)
    cost: f64,
    budget: Option<f64>,
    /// the segments seeds were drawn from (null: anyone)
    seeded_from: Option<&'a [String]>,
    /// the step at which the seeds post (absent when 0)
    #[serde(skip_serializing_if = "is_zero")]
    start_step: u32,
    seeds: Option<&'a [crate::graph::PersonRef]>,
    #[serde(rename = "final")]
    finals: BTreeMap<&'static str, Summary>,
    /// the goal's final value (see `goal`) minus the best strategy's, run
    /// by run (null for the best)
    versus_best: Option<Summary>,
    /// what a celf or imm strategy maximised instead of the scenario's
    /// goal (absent: the scenario's)
    #[serde(skip_serializing_if = "Option::is_none")]
    aimed_at: Option<&'static str>,
    /// mean final reached per 1000 of cost, seeding and ads (null when
    /// nothing was spent)
    reached_per_1000: Option<f64>,
    /// ad cost and earned-media multiplier (with `[paid]`)
    paid: Option<crate::pipeline::PaidResult>,
    /// revenue, cost and ROI per run (with `[conversion]`)
    money: Option<Money>,
    /// mean final reach outside the target over mean final reach (with
    /// `[target]`)
    wasted_share: Option<f64>,
    /// final reached per segment (null without segments); people without
    /// a segment as "unassigned", if there are any
    segments: Option<Vec<SegmentOut>>,
    /// net reach (our reached minus the rival's) and what one step of
    /// delay costs, run by run (with `[rival]`); with `response_delays`,
    /// the reaches at each delay
    against_rival: Option<AgainstRivalOut<'a>>,
    /// the strategy's own ads and what they bought (with
    /// `[strategy.ads]`; absent from scenarios where no strategy buys
    /// its own)
    #[serde(skip_serializing_if = "Option::is_none")]
    ads: Option<AdsOut>,
    /// seeding plus ads, per run (when some strategy buys its own ads)
    #[serde(skip_serializing_if = "Option::is_none")]
    cost_total: Option<Summary>,
    /// 1000 x mean cost (seeding and ads) / mean final reached (null when
    /// nobody is reached)
    cost_per_1000_reached: Option<f64>,
    /// mean final reached / people in the network, 0 to 1
    reached_share: f64,
    /// mean final impressions / mean final reached (null when nobody is
    /// reached)
    frequency: Option<f64>,
    /// 1000 x mean cost (seeding and ads) / mean final impressions (null
    /// when nothing was shown)
    cost_per_1000_impressions: Option<f64>,
}

#[derive(Serialize)]
struct AgainstRivalOut<'a> {
    #[serde(flatten)]
    result: RivalResult,
    /// reached, net reached and the rival's reached with our seeds posting
    /// `delay` steps after the rival's (absent without `response_delays`)
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    by_delay: &'a [DelayResult],
}

/// A strategy's own ads (`[strategy.ads]`).
#[derive(Serialize)]
struct AdsOut {
    budget: f64,
    cost_per_view: f64,
    from_step: u32,
    to_step: u32,
    stickiness: f64,
    /// views bought per run: floor(budget / cost_per_view), at most
    /// everyone in every step of the window
    views: u64,
    /// views x cost_per_view, the same in every run, at most the budget
    spend: f64,
}

#[derive(Serialize)]
struct GoalOut {
    /// `[goal] metric`: "reached" by default
    metric: &'static str,
}

#[derive(Serialize)]
struct ComparisonOut<'a> {
    metric: &'static str,
    best: &'a str,
    runner_up: &'a str,
    /// best minus runner-up, run by run
    difference: Summary,
    /// whether the 95% CI of the difference excludes 0
    significant: bool,
}

/// The file it writes.
const FILE: &str = "summary.json";

impl Exporter for SummaryJson {
    fn writes(&self, name: &str) -> bool {
        name == FILE
    }

    fn render(&self, report: &Report) -> Result<Vec<OutputFile>, Error> {
        let p = report.prepared;
        let s = &p.scenario;
        let r = report.results;
        let buys_ads = crate::report::table::buys_ads(r);
        // A `trust` column in the edge list gives every arc its trust.
        let trust_column = p.cleaning.is_some_and(|c| c.trust_column);
        let arcs_mean = || {
            let t = p.graph.trust();
            t.iter().map(|&x| x as f64).sum::<f64>() / t.len().max(1) as f64
        };
        let (distribution, params): (&'static str, Vec<(&'static str, f64)>) = match s.trust {
            _ if trust_column => ("file", vec![]),
            TrustSpec::Constant { value } => ("constant", vec![("value", value)]),
            TrustSpec::Uniform { low, high } => ("uniform", vec![("low", low), ("high", high)]),
            TrustSpec::Beta { alpha, beta } => ("beta", vec![("alpha", alpha), ("beta", beta)]),
        };
        let segments = p.graph.segments();
        let sizes = segments.map(|seg| seg.sizes());
        let file_name =
            |f: &std::path::Path| f.file_name().map(|f| f.to_string_lossy().into_owned());
        let per_segment = |stats: &[Summary]| -> Option<Vec<SegmentOut>> {
            let (seg, sizes) = (segments?, sizes.as_ref()?);
            let (reached, shared) = stats.split_at(stats.len() / 2);
            Some(
                reached
                    .iter()
                    .zip(shared)
                    .enumerate()
                    .filter(|&(slot, _)| slot < seg.len() || sizes[slot] > 0)
                    .map(|(slot, (reached, shared))| SegmentOut {
                        segment: seg.slot_name(slot).into_owned(),
                        people: sizes[slot],
                        in_target: p.target.as_ref().map(|t| t[slot]),
                        reached: *reached,
                        shared: *shared,
                    })
                    .collect(),
            )
        };
        let out = Summary_ {
            scenario: &s.name,
            model: s.simulation.model.name,
            step: s.simulation.step.name(),
            half_life: s.half_life,
            seed: s.simulation.seed,
            runs: r.runs,
            auto: r.auto.as_ref().map(|a| AutoOut {
                ci_half_width: a.ci_half_width,
                max_runs: a.max_runs,
                widest: a.widest,
                widest_strategy: &r.strategies[a.widest_strategy].name,
                reached_target: !a.capped,
                stopped_at_max_runs: a.capped,
                batches: &a.batches,
            }),
            steps: s.simulation.steps,
            stickiness: s.stickiness,
            stickiness_by_segment: s.resonance.as_ref().map(|r| ResonanceOut {
                ours: r.ours.iter().map(|(n, v)| (n.as_str(), *v)).collect(),
                rival: r.rival.iter().map(|(n, v)| (n.as_str(), *v)).collect(),
                ads: r.ads.iter().map(|(n, v)| (n.as_str(), *v)).collect(),
            }),
            activity: s.activity.as_ref(),
            trust: TrustOut {
                distribution,
                params: params.into_iter().collect(),
                mean: if trust_column {
                    arcs_mean()
                } else {
                    s.trust.mean()
                },
                by_segment: s.segment_trust,
                mean_over_arcs: (s.segment_trust.is_some() || trust_column).then(arcs_mean),
            },
            costs: CostsOut {
                base: s.costs.base,
                per_follower: s.costs.per_follower,
                exponent: s.costs.exponent,
                file: s.costs.file.as_deref().and_then(file_name),
                acceptance: s.costs.acceptance,
            },
            conversion: s.conversion,
            paid: s.paid,
            graph: GraphOut {
                source: match &s.graph {
                    GraphSource::Generated { spec, .. } => spec.name().to_string(),
                    GraphSource::EdgeList { path, .. } => path
                        .file_name()
                        .map(|f| f.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                },
                nodes: p.graph.nodes(),
                arcs: p.graph.arcs(),
                mean_degree: p.graph.mean_degree(),
                segments: segments.map(|seg| seg.len()),
                segment_file: s.segment_file.as_deref().and_then(file_name),
            },
            target: s.target.as_ref().map(|t| TargetOut {
                segments: &t.segments,
                people: match (&p.target, &sizes) {
                    (Some(mask), Some(sizes)) => mask
                        .iter()
                        .zip(sizes)
                        .filter(|(&m, _)| m)
                        .map(|(_, &n)| n as u64)
                        .sum(),
                    _ => 0,
                },
            }),
            rival: s.rival.as_ref().map(|rival| {
                let seeds = p
                    .rival_seeds
                    .as_ref()
                    .expect("a scenario with [rival] has the rival's seeds");
                RivalOut {
                    name: &rival.seeding.name,
                    kind: rival.seeding.kind.name,
                    stickiness: rival.stickiness,
                    start_step: rival.start_step,
                    seeds_per_run: pipeline::invited(seeds, &p.costs, r.runs).0,
                    seeds: match seeds {
                        Seeds::Fixed(ids) => {
                            Some(ids.iter().map(|&v| p.graph.name(v).into()).collect())
                        }
                        Seeds::PerRun(_) => None,
                    },
                    seeded_from: rival.seeding.segments.as_deref(),
                }
            }),
            strategies: r
                .strategies
                .iter()
                .enumerate()
                .map(|(i, st)| StrategyOut {
                    name: &st.name,
                    kind: st.kind,
                    invited: st.seeds_per_run,
                    cost: st.cost,
                    budget: st.budget,
                    seeded_from: s.strategies[i].segments.as_deref(),
                    start_step: s.strategies[i].start_step,
                    seeds: st.seeds.as_deref(),
                    finals: st
                        .stats
                        .curves
                        .iter()
                        .zip(&st.stats.finals)
                        .map(|(c, f)| (c.metric.name(), *f))
                        .collect(),
                    versus_best: r.comparison.as_ref().and_then(|c| c.versus_best[i]),
                    aimed_at: s.strategies[i].strategy.goal().map(|g| g.name()),
                    reached_per_1000: st.reached_per_1000(),
                    paid: st.paid,
                    money: st.money,
                    wasted_share: st.wasted_share(),
                    segments: per_segment(&st.stats.segments),
                    against_rival: st.rival.map(|result| AgainstRivalOut {
                        result,
                        by_delay: &st.by_delay,
                    }),
                    ads: st.ads.map(|a| AdsOut {
                        budget: a.budget,
                        cost_per_view: a.cost_per_view,
                        from_step: a.from_step,
                        to_step: a.to_step,
                        stickiness: a.stickiness,
                        views: a.views(p.graph.nodes()),
                        spend: a.spend(p.graph.nodes()),
                    }),
                    cost_total: buys_ads.then_some(st.cost_total),
                    cost_per_1000_reached: st.cost_per_1000_reached(),
                    reached_share: st.reached_share(r.people),
                    frequency: st.frequency(),
                    cost_per_1000_impressions: st.cost_per_1000_impressions(),
                })
                .collect(),
            goal: GoalOut {
                metric: r.goal.name(),
            },
            comparison: r.comparison.as_ref().map(|c| ComparisonOut {
                metric: c.goal.name(),
                best: &r.strategies[c.best].name,
                runner_up: &r.strategies[c.runner_up].name,
                difference: c.reached_difference,
                significant: c.reached_difference.ci95_low > 0.0
                    || c.reached_difference.ci95_high < 0.0,
            }),
            sweep: report.sweep.map(|w| SweepOut {
                keys: w
                    .axes
                    .iter()
                    .map(|a| SweepKeyOut {
                        key: &a.key,
                        values: &a.values,
                    })
                    .collect(),
                points: w.points.len(),
                tipping_fraction: w.tipping_fraction,
                strategies: &w.strategies,
                tipping: &w.tipping,
            }),
        };
        let mut bytes = super::json::pretty(&out)
            .map_err(|e| Error::Report(format!("cannot encode summary.json: {e}")))?;
        bytes.push(b'\n');
        Ok(vec![OutputFile {
            name: FILE.into(),
            bytes,
        }])
    }
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}
