//! `reach.png` / `reach.svg`: cumulative people reached per step, one line
//! per strategy with its 5-95% band across runs; with a target,
//! `target-reach.png` / `target-reach.svg` likewise for the people reached
//! inside the target, with `[conversion]` `conversions.png` / `.svg` for the
//! people who converted, with `[paid]` `earned-reach.png` / `.svg` for the
//! people reached by word of mouth alone, and with a rival
//! `rival-reach.png` / `.svg` for the people the rival content reached,
//! against each strategy.

use super::chart::CurveSeries;
use super::figure::{Figure, Plot};
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
    fn writes(&self, name: &str) -> bool {
        name == format!("{}.{}", stem(self.metric), self.format.extension())
    }

    fn render(&self, report: &Report) -> Result<Vec<OutputFile>, Error> {
        match figure(report, self.metric) {
            Some(figure) => Ok(vec![figure.render(self.format)?]),
            // The scenario does not record this metric (no target, no
            // rival).
            None => Ok(Vec::new()),
        }
    }
}

/// The file stem of `metric`'s chart.
pub fn stem(metric: Metric) -> &'static str {
    match metric {
        Metric::ReachedInTarget => "target-reach",
        Metric::Converted => "conversions",
        Metric::EarnedReached => "earned-reach",
        Metric::RivalReached => "rival-reach",
        _ => "reach",
    }
}

/// The chart of `metric`'s curves, or None when the scenario does not
/// record the metric.
pub fn figure<'a>(report: &Report<'a>, metric: Metric) -> Option<Figure<'a>> {
    let rival = report.prepared.scenario.rival.as_ref();
    let unit = report.prepared.scenario.simulation.step.name();
    let stem = stem(metric);
    let (subject, what, y_label, caption) = match metric {
        Metric::ReachedInTarget => (
            "People reached in the target audience over time",
            "people reached in the target".to_string(),
            "people reached in the target (cumulative)",
            format!("People of the target segments who saw the content by each {unit}."),
        ),
        Metric::Converted => (
            "Conversions over time",
            "people who converted".to_string(),
            "people who converted (cumulative)",
            format!("People who took the desired action by each {unit}."),
        ),
        Metric::EarnedReached => (
            "Earned reach (word of mouth) over time",
            "people reached by word of mouth".to_string(),
            "reached by word of mouth (cumulative)",
            "People reached through someone who shared, not by seeding or an ad: what word of mouth adds to the money spent.".to_string(),
        ),
        Metric::RivalReached => (
            "People the rival content reached over time",
            format!(
                "people who saw \"{}\", by our strategy,",
                rival.map_or("the rival", |r| r.seeding.name.as_str())
            ),
            "people reached by the rival (cumulative)",
            format!("People who saw the rival content by each {unit}, against each of our strategies: lower is better."),
        ),
        _ => (
            "People reached over time",
            "people reached".to_string(),
            "people reached (cumulative)",
            format!("People who saw the content at least once by each {unit}, seeds included."),
        ),
    };
    let series: Vec<CurveSeries<'a>> = report
        .results
        .strategies
        .iter()
        .filter_map(|st| {
            let c = st.stats.curves.iter().find(|c| c.metric == metric)?;
            Some(CurveSeries {
                name: &st.name,
                mean: &c.mean,
                p05: &c.p05,
                p95: &c.p95,
            })
        })
        .collect();
    if series.is_empty() {
        return None;
    }
    let x_label = format!(
        "{} since launch",
        report.prepared.scenario.simulation.step.plural()
    );
    let title = format!(
        "{}: {what} over time (mean, 5-95% band)",
        report.prepared.scenario.name
    );
    Some(Figure {
        stem,
        subject: subject.to_string(),
        caption: format!(
            "{} Each line is a strategy's mean over the runs; the shaded band holds the middle 90% of runs (5th to 95th percentile).",
            caption
        ),
        title,
        width: WIDTH,
        height: HEIGHT,
        plot: Plot::Curves {
            x_label,
            y_label,
            series,
        },
    })
}
