//! `delay.png` / `delay.svg`: how fast we must answer a rival content. Net
//! reach (ours minus the rival's) against the steps between the rival's
//! start and our seeds' post (`[rival] response_delays`), one line per
//! strategy with its 95% confidence band. Written only for a scenario
//! with `response_delays`.

use super::chart::SweepSeries;
use super::figure::{Figure, Plot};
use super::{Exporter, OutputFile, Report};
use crate::error::Error;
use crate::scenario::ChartFormat;
use crate::stats::Summary;

/// Chart size in pixels.
const WIDTH: u32 = 1200;
const HEIGHT: u32 = 720;

/// The file stem of the chart.
const STEM: &str = "delay";

/// The delay chart in one format.
pub struct DelayChart {
    pub format: ChartFormat,
}

impl Exporter for DelayChart {
    fn writes(&self, name: &str) -> bool {
        name == format!("{STEM}.{}", self.format.extension())
    }

    fn render(&self, report: &Report) -> Result<Vec<OutputFile>, Error> {
        match figure(report) {
            Some(figure) => Ok(vec![figure.render(self.format)?]),
            None => Ok(Vec::new()),
        }
    }
}

/// Net reach against the response delay, or None without
/// `response_delays`.
pub fn figure<'a>(report: &Report<'a>) -> Option<Figure<'a>> {
    let scenario = &report.prepared.scenario;
    let rival = scenario.rival.as_ref()?;
    if rival.response_delays.is_empty() {
        return None;
    }
    // The delays ascending, each with its place in the order listed.
    let mut order: Vec<usize> = (0..rival.response_delays.len()).collect();
    order.sort_by_key(|&j| rival.response_delays[j]);
    let xs: Vec<f64> = order
        .iter()
        .map(|&j| rival.response_delays[j] as f64)
        .collect();
    let series: Vec<SweepSeries<'a>> = report
        .results
        .strategies
        .iter()
        .filter(|st| st.by_delay.len() == order.len())
        .map(|st| {
            let at = |f: fn(&Summary) -> f64| -> Vec<f64> {
                order
                    .iter()
                    .map(|&j| f(&st.by_delay[j].net_reached))
                    .collect()
            };
            SweepSeries {
                name: &st.name,
                mean: at(|s| s.mean),
                low: at(|s| s.ci95_low),
                high: at(|s| s.ci95_high),
            }
        })
        .collect();
    if series.is_empty() {
        return None;
    }
    let unit = scenario.simulation.step;
    Some(Figure {
        stem: STEM,
        subject: "Net reach against how fast we respond".to_string(),
        caption: format!(
            "Our reach minus the reach of \"{}\" by the end, when our seeds post this many {} after the rival's start, on the same runs: each line is a strategy's mean, the band its 95% confidence interval.",
            rival.seeding.name,
            unit.plural()
        ),
        title: format!(
            "{}: net reach against response delay (mean, 95% CI)",
            scenario.name
        ),
        width: WIDTH,
        height: HEIGHT,
        plot: Plot::Lines {
            x_label: format!("{} until we respond", unit.plural()),
            y_label: "net reach by the end: ours minus the rival's",
            xs,
            series,
        },
    })
}
