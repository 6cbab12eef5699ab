//! `reach.png` / `reach.svg`: cumulative people reached per step, one line
//! per strategy with its 5-95% band across runs; with a target,
//! `target-reach.png` / `target-reach.svg` likewise for the people reached
//! inside the target, with `[conversion]` `conversions.png` / `.svg` for the
//! people who converted, with `[paid]` `earned-reach.png` / `.svg` for the
//! people reached by word of mouth alone, and with a rival
//! `rival-reach.png` / `.svg` for the people the rival content reached,
//! against each strategy.

use super::chart::{self, CurveChart, CurveSeries};
use super::{Exporter, OutputFile, Report};
use crate::error::Error;
use crate::model::Metric;
use crate::scenario::ChartFormat;

/// Chart size in pixels.
const WIDTH: u32 = 1200;
const HEIGHT: u32 = 720;

/// The curves of one metric: [`Metric::Reached`],
/// [`Metric::ReachedInTarget`], [`Metric::Converted`],
/// [`Metric::EarnedReached`] or [`Metric::RivalReached`].
pub struct ReachChart {
    pub format: ChartFormat,
    pub metric: Metric,
}

impl Exporter for ReachChart {
    fn render(&self, report: &Report) -> Result<Vec<OutputFile>, Error> {
        let rival = report.prepared.scenario.rival.as_ref();
        let (stem, what, y_label) = match self.metric {
            Metric::ReachedInTarget => (
                "target-reach",
                "people reached in the target".to_string(),
                "people reached in the target (cumulative)",
            ),
            Metric::Converted => (
                "conversions",
                "people who converted".to_string(),
                "people who converted (cumulative)",
            ),
            Metric::EarnedReached => (
                "earned-reach",
                "people reached by word of mouth".to_string(),
                "reached by word of mouth (cumulative)",
            ),
            Metric::RivalReached => (
                "rival-reach",
                format!(
                    "people who saw \"{}\", by our strategy,",
                    rival.map_or("the rival", |r| r.seeding.name.as_str())
                ),
                "people reached by the rival (cumulative)",
            ),
            _ => (
                "reach",
                "people reached".to_string(),
                "people reached (cumulative)",
            ),
        };
        let series: Vec<CurveSeries> = report
            .results
            .strategies
            .iter()
            .filter_map(|st| {
                let c = st.stats.curves.iter().find(|c| c.metric == self.metric)?;
                Some(CurveSeries {
                    name: &st.name,
                    mean: &c.mean,
                    p05: &c.p05,
                    p95: &c.p95,
                })
            })
            .collect();
        if series.is_empty() {
            // The scenario does not record this metric (no target, no
            // rival).
            return Ok(Vec::new());
        }
        let x_label = format!(
            "{} since launch",
            report.prepared.scenario.simulation.step.plural()
        );
        let title = format!(
            "{}: {what} over time (mean, 5-95% band)",
            report.prepared.scenario.name
        );
        let chart = CurveChart {
            title: &title,
            x_label: &x_label,
            y_label,
            series: &series,
        };
        let fail = |e: chart::ChartError| Error::Report(e.to_string());
        let (extension, bytes) = match self.format {
            ChartFormat::Png => (
                "png",
                chart::render_png(&chart, WIDTH, HEIGHT).map_err(fail)?,
            ),
            ChartFormat::Svg => (
                "svg",
                chart::render_svg(&chart, WIDTH, HEIGHT)
                    .map_err(fail)?
                    .into_bytes(),
            ),
        };
        Ok(vec![OutputFile {
            name: format!("{stem}.{extension}"),
            bytes,
        }])
    }
}
