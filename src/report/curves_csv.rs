//! `curves.csv`: every strategy's cumulative curves, one row per strategy,
//! step and metric, with mean, std and percentiles across runs.

use super::format::csv;
use super::{Exporter, OutputFile, Report};
use crate::error::Error;

pub struct CurvesCsv;

/// The file it writes.
const FILE: &str = "curves.csv";

impl Exporter for CurvesCsv {
    fn writes(&self, name: &str) -> bool {
        name == FILE
    }

    fn render(&self, report: &Report) -> Result<Vec<OutputFile>, Error> {
        let fail = |e: csv::Error| Error::Report(format!("cannot encode curves.csv: {e}"));
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([
            "strategy", "step", "metric", "mean", "std", "p05", "p50", "p95",
        ])
        .map_err(fail)?;
        let steps = report.prepared.scenario.simulation.steps as usize;
        for st in &report.results.strategies {
            for step in 0..=steps {
                for c in &st.stats.curves {
                    w.write_record([
                        st.name.clone(),
                        step.to_string(),
                        c.metric.name().to_string(),
                        csv(c.mean[step]),
                        csv(c.std[step]),
                        csv(c.p05[step]),
                        csv(c.p50[step]),
                        csv(c.p95[step]),
                    ])
                    .map_err(fail)?;
                }
            }
        }
        let bytes = w
            .into_inner()
            .map_err(|e| Error::Report(format!("cannot encode curves.csv: {e}")))?;
        Ok(vec![OutputFile {
            name: FILE.into(),
            bytes,
        }])
    }
}
