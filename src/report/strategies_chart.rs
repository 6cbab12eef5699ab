//! `strategies.png` / `strategies.svg`: mean final reach per strategy with
//! its 95% confidence interval as whiskers and what its seeding cost (with a
//! target, also the reach inside it and the share wasted outside), the best
//! marked; each strategy in the colour it has on the reach chart.

use super::chart::{self, Bar, BarChart};
use super::table::{money, number};
use super::{Exporter, OutputFile, Report};
use crate::error::Error;
use crate::model::Metric;
use crate::scenario::ChartFormat;

/// Chart width in pixels; the height grows with the number of strategies.
const WIDTH: u32 = 1200;

pub struct StrategiesChart {
    pub format: ChartFormat,
}

impl Exporter for StrategiesChart {
    fn render(&self, report: &Report) -> Result<Vec<OutputFile>, Error> {
        let results = report.results;
        let best = results.comparison.as_ref().map(|c| c.best);
        let notes: Vec<String> = results
            .strategies
            .iter()
            .map(|st| {
                let cost = format!("cost {}", money(st.cost));
                match (
                    st.stats.final_of(Metric::ReachedInTarget),
                    st.wasted_share(),
                ) {
                    (Some(t), Some(w)) => format!(
                        "{cost}, {} in target, {}% wasted",
                        number(t.mean, 0),
                        number(100.0 * w, 0)
                    ),
                    _ => cost,
                }
            })
            .collect();
        let bars: Vec<Bar> = results
            .strategies
            .iter()
            .enumerate()
            .map(|(i, st)| {
                let r = st.reached();
                Bar {
                    name: &st.name,
                    mean: r.mean,
                    ci95_low: r.ci95_low,
                    ci95_high: r.ci95_high,
                    best: best == Some(i),
                    note: &notes[i],
                }
            })
            .collect();
        let title = format!(
            "{}: people reached per strategy (mean, 95% CI) and seeding cost",
            report.prepared.scenario.name
        );
        let chart = BarChart {
            title: &title,
            x_label: "people reached by the end",
            bars: &bars,
        };
        let height = (220 + 70 * bars.len() as u32).min(chart::MAX_DIMENSION);
        let fail = |e: chart::ChartError| Error::Report(e.to_string());
        let (name, bytes) = match self.format {
            ChartFormat::Png => (
                "strategies.png",
                chart::render_png(&chart, WIDTH, height).map_err(fail)?,
            ),
            ChartFormat::Svg => (
                "strategies.svg",
                chart::render_svg(&chart, WIDTH, height)
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
