//! `sweep.csv`: one row per sweep point, strategy and metric (and with
//! `[conversion]` revenue, money_cost and roi, with `[rival]` net_reached), with the final value's
//! mean, spread and 95% confidence interval; and, for a
//! stickiness sweep, `tipping.csv`: each strategy's tipping point beside
//! the graph's analytic thresholds. Written only for a scenario with
//! `[sweep]`.

use super::format::{csv, csv_opt as optional};
use super::{Exporter, OutputFile, Report};
use crate::error::Error;
use crate::sweep::{SweepResults, Tipping};

pub struct SweepCsv;

fn encode(name: &str, rows: Vec<Vec<String>>) -> Result<OutputFile, Error> {
    let fail = |e: &dyn std::fmt::Display| Error::Report(format!("cannot encode {name}: {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        w.write_record(row).map_err(|e| fail(&e))?;
    }
    let bytes = w.into_inner().map_err(|e| fail(&e))?;
    Ok(OutputFile {
        name: name.into(),
        bytes,
    })
}

fn sweep_rows(sweep: &SweepResults) -> Vec<Vec<String>> {
    let mut header = vec!["point".to_string()];
    header.extend(sweep.axes.iter().map(|a| a.key.clone()));
    header.extend(
        [
            "strategy",
            "runs",
            "people",
            "seeds",
            "cost",
            "metric",
            "mean",
            "std",
            "ci95_low",
            "ci95_high",
            "p05",
            "p50",
            "p95",
        ]
        .map(String::from),
    );
    let mut rows = vec![header];
    for (i, point) in sweep.points.iter().enumerate() {
        for (name, st) in sweep.strategies.iter().zip(&point.strategies) {
            let money = st.money.iter().flat_map(|m| {
                [
                    ("revenue", &m.revenue),
                    ("money_cost", &m.cost),
                    ("roi", &m.roi),
                ]
            });
            let figures = st.finals.iter().map(|(metric, s)| (metric.name(), s));
            let net = st.net_reached.iter().map(|s| ("net_reached", s));
            for (figure, s) in figures.chain(money).chain(net) {
                let mut row = vec![i.to_string()];
                row.extend(point.values.iter().copied().map(csv));
                row.extend([
                    name.clone(),
                    point.runs.to_string(),
                    point.people.to_string(),
                    csv(st.seeds_per_run),
                    csv(st.cost),
                    figure.to_string(),
                    csv(s.mean),
                    csv(s.std),
                    csv(s.ci95_low),
                    csv(s.ci95_high),
                    csv(s.p05),
                    csv(s.p50),
                    csv(s.p95),
                ]);
                rows.push(row);
            }
        }
    }
    rows
}

fn tipping_rows(sweep: &SweepResults) -> Vec<Vec<String>> {
    let stickiness = sweep
        .axes
        .iter()
        .position(|a| a.key == crate::scenario::STICKINESS_KEY);
    let other = stickiness
        .filter(|_| sweep.axes.len() == 2)
        .map(|s| sweep.axes[1 - s].key.clone());
    let mut header = vec!["strategy".to_string()];
    header.extend(other.clone());
    header.extend(
        [
            "people",
            "tipping_fraction",
            "level",
            "status",
            "tipping_stickiness",
            "tipping_low",
            "tipping_high",
            "highest_mean_reached",
            "mean_field_stickiness",
            "spectral_stickiness",
        ]
        .map(String::from),
    );
    let mut rows = vec![header];
    for line in &sweep.tipping {
        for (name, t) in sweep.strategies.iter().zip(&line.strategies) {
            let mut row = vec![name.clone()];
            if other.is_some() {
                row.push(optional(line.other));
            }
            let (status, at, low, high, highest) = match *t {
                Tipping::Crossed {
                    stickiness,
                    low,
                    high,
                } => ("crossed", Some(stickiness), low, high, None),
                Tipping::AtOrBelow { stickiness } => (
                    "at-or-below",
                    Some(stickiness),
                    None,
                    Some(stickiness),
                    None,
                ),
                Tipping::NotReached { highest_mean } => {
                    ("not-reached", None, None, None, Some(highest_mean))
                }
            };
            row.extend([
                line.people.to_string(),
                csv(sweep.tipping_fraction),
                csv(line.level),
                status.to_string(),
                optional(at),
                optional(low),
                optional(high),
                optional(highest),
                optional(line.thresholds.mean_field_stickiness),
                optional(line.thresholds.spectral_stickiness),
            ]);
            rows.push(row);
        }
    }
    rows
}

/// The files it writes: the sweep, and with a stickiness sweep its
/// tipping points.
const SWEEP_FILE: &str = "sweep.csv";
const TIPPING_FILE: &str = "tipping.csv";

impl Exporter for SweepCsv {
    fn writes(&self, name: &str) -> bool {
        name == SWEEP_FILE || name == TIPPING_FILE
    }

    fn render(&self, report: &Report) -> Result<Vec<OutputFile>, Error> {
        let Some(sweep) = report.sweep else {
            return Ok(Vec::new());
        };
        let mut files = vec![encode(SWEEP_FILE, sweep_rows(sweep))?];
        if !sweep.tipping.is_empty() {
            files.push(encode(TIPPING_FILE, tipping_rows(sweep))?);
        }
        Ok(files)
    }
}
