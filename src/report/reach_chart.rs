//! `reach.png` / `reach.svg`: cumulative people reached per step, one line
//! per strategy with its 5-95% band across runs.

use super::chart::{self, CurveChart, CurveSeries};
use super::{Exporter, OutputFile, Report};
use crate::error::Error;
use crate::model::Metric;
use crate::scenario::ChartFormat;

/// Chart size in pixels.
const WIDTH: u32 = 1200;
const HEIGHT: u32 = 720;

pub struct ReachChart {
    pub format: ChartFormat,
}

impl Exporter for ReachChart {
    fn render(&self, report: &Report) -> Result<Vec<OutputFile>, Error> {
        let series: Vec<CurveSeries> = report
            .results
            .strategies
            .iter()
            .filter_map(|st| {
                let c = st
                    .stats
                    .curves
                    .iter()
                    .find(|c| c.metric == Metric::Reached)?;
                Some(CurveSeries {
                    name: &st.name,
                    mean: &c.mean,
                    p05: &c.p05,
                    p95: &c.p95,
                })
            })
            .collect();
        let title = format!(
            "{}: people reached over time (mean, 5-95% band)",
            report.prepared.scenario.name
        );
        let chart = CurveChart {
            title: &title,
            x_label: "step",
            y_label: "people reached (cumulative)",
            series: &series,
        };
        let fail = |e: chart::ChartError| Error::Report(e.to_string());
        let (name, bytes) = match self.format {
            ChartFormat::Png => (
                "reach.png",
                chart::render_png(&chart, WIDTH, HEIGHT).map_err(fail)?,
            ),
            ChartFormat::Svg => (
                "reach.svg",
                chart::render_svg(&chart, WIDTH, HEIGHT)
                    .map_err(fail)?
                    .into_bytes(),
            ),
        };
        Ok(vec![OutputFile {
            name: name.into(),
            bytes,
        }])
    }
}
