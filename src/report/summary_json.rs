//! `summary.json`: the scenario's results for machines: graph, each
//! strategy's seeds and final reached/shared statistics, and the paired
//! comparison of the two best strategies. No timings, so it is reproducible
//! byte for byte.

use serde::Serialize;
use std::collections::BTreeMap;

use super::{Exporter, OutputFile, Report};
use crate::error::Error;
use crate::pipeline::Money;
use crate::scenario::{ConversionSpec, GraphSource, TrustSpec};
use crate::stats::Summary;

pub struct SummaryJson;

#[derive(Serialize)]
struct Summary_<'a> {
    scenario: &'a str,
    model: &'static str,
    seed: u64,
    runs: u32,
    steps: u32,
    stickiness: f64,
    trust: TrustOut,
    costs: CostsOut,
    conversion: Option<ConversionSpec>,
    graph: GraphOut,
    strategies: Vec<StrategyOut<'a>>,
    comparison: Option<ComparisonOut<'a>>,
}

#[derive(Serialize)]
struct TrustOut {
    distribution: &'static str,
    #[serde(flatten)]
    params: BTreeMap<&'static str, f64>,
    mean: f64,
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
    seeds: Option<&'a [u64]>,
    #[serde(rename = "final")]
    finals: BTreeMap<&'static str, Summary>,
    /// final reached minus the best strategy's, run by run (null for the
    /// best)
    versus_best: Option<Summary>,
    /// mean final reached per 1000 of cost
    reached_per_1000: f64,
    /// revenue, cost and ROI per run (with `[conversion]`)
    money: Option<Money>,
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

impl Exporter for SummaryJson {
    fn render(&self, report: &Report) -> Result<Vec<OutputFile>, Error> {
        let p = report.prepared;
        let s = &p.scenario;
        let r = report.results;
        let (distribution, params): (&'static str, Vec<(&'static str, f64)>) = match s.trust {
            TrustSpec::Constant { value } => ("constant", vec![("value", value)]),
            TrustSpec::Uniform { low, high } => ("uniform", vec![("low", low), ("high", high)]),
            TrustSpec::Beta { alpha, beta } => ("beta", vec![("alpha", alpha), ("beta", beta)]),
        };
        let out = Summary_ {
            scenario: &s.name,
            model: s.simulation.model.name(),
            seed: s.simulation.seed,
            runs: s.simulation.runs,
            steps: s.simulation.steps,
            stickiness: s.stickiness,
            trust: TrustOut {
                distribution,
                params: params.into_iter().collect(),
                mean: s.trust.mean(),
            },
            costs: CostsOut {
                base: s.costs.base,
                per_follower: s.costs.per_follower,
                exponent: s.costs.exponent,
                file: s
                    .costs
                    .file
                    .as_ref()
                    .and_then(|f| f.file_name().map(|f| f.to_string_lossy().into_owned())),
                acceptance: s.costs.acceptance,
            },
            conversion: s.conversion,
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
            },
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
                    seeds: st.seeds.as_deref(),
                    finals: st
                        .stats
                        .curves
                        .iter()
                        .zip(&st.stats.finals)
                        .map(|(c, f)| (c.metric.name(), *f))
                        .collect(),
                    versus_best: r.comparison.as_ref().and_then(|c| c.versus_best[i]),
                    reached_per_1000: st.reached_per_1000(),
                    money: st.money,
                })
                .collect(),
            comparison: r.comparison.as_ref().map(|c| ComparisonOut {
                metric: "reached",
                best: &r.strategies[c.best].name,
                runner_up: &r.strategies[c.runner_up].name,
                difference: c.reached_difference,
                significant: c.reached_difference.ci95_low > 0.0
                    || c.reached_difference.ci95_high < 0.0,
            }),
        };
        let mut bytes = serde_json::to_vec_pretty(&out)
            .map_err(|e| Error::Report(format!("cannot encode summary.json: {e}")))?;
        bytes.push(b'\n');
        Ok(vec![OutputFile {
            name: "summary.json".into(),
            bytes,
        }])
    }
}
