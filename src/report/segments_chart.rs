//! `segments.png` / `segments.svg`: final reach per segment, on graphs
//! with segments. One bar per segment and strategy, grouped by segment,
//! each in its strategy's colour: the solid part is the people of the
//! segment who shared, the pale rest those who only saw the content, the
//! whiskers the 95% confidence interval of the reach. With many segments
//! and strategies only the best strategy is drawn, for the largest
//! segments.

use super::chart;
use super::figure::{BarRow, Figure, Plot};
use super::format::number;
use super::{Exporter, OutputFile, Report};
use crate::error::Error;
use crate::scenario::ChartFormat;
use crate::stats::Summary;

/// The chart's file stem.
pub const STEM: &str = "segments";

/// Chart width in pixels; the height grows with the bars.
const WIDTH: u32 = 1200;

/// Most bars drawn.
const MAX_BARS: usize = 40;

pub struct SegmentsChart {
    pub format: ChartFormat,
}

impl Exporter for SegmentsChart {
    fn writes(&self, name: &str) -> bool {
        name == format!("{STEM}.{}", self.format.extension())
    }

    fn render(&self, report: &Report) -> Result<Vec<OutputFile>, Error> {
        match figure(report) {
            Some(f) => Ok(vec![f.render(self.format)?]),
            None => Ok(Vec::new()),
        }
    }
}

/// Per segment slot worth showing (named segments, and people without
/// one if there are any), its name and size, in slot order.
pub(super) fn shown_slots(report: &Report) -> Option<Vec<(usize, String, u32)>> {
    let segments = report.prepared.graph.segments()?;
    let sizes = segments.sizes();
    Some(
        (0..segments.slots())
            .filter(|&slot| slot < segments.len() || sizes[slot] > 0)
            .map(|slot| (slot, segments.slot_name(slot).into_owned(), sizes[slot]))
            .collect(),
    )
}

/// A strategy's final reach and sharers in segment slot `slot`.
pub(super) fn of_slot(segments: &[Summary], slot: usize) -> Option<(&Summary, &Summary)> {
    let half = segments.len() / 2;
    Some((segments.get(slot)?, segments.get(half + slot)?))
}

/// The bars of reach per segment, or None on a graph without segments.
pub fn figure<'a>(report: &Report<'a>) -> Option<Figure<'a>> {
    let mut slots = shown_slots(report)?;
    let results = report.results;
    let strategies: Vec<usize> = if slots.len() * results.strategies.len() <= MAX_BARS {
        (0..results.strategies.len()).collect()
    } else {
        vec![results.comparison.as_ref().map_or(0, |c| c.best)]
    };
    let all = slots.len();
    if slots.len() * strategies.len() > MAX_BARS {
        // The largest segments, still in slot order.
        slots.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
        slots.truncate(MAX_BARS / strategies.len());
        slots.sort_by_key(|s| s.0);
    }
    let mut bars: Vec<BarRow<'a>> = Vec::new();
    for (slot, name, people) in &slots {
        for &i in &strategies {
            let st = &results.strategies[i];
            let Some((reached, shared)) = of_slot(&st.stats.segments, *slot) else {
                continue;
            };
            let label = if strategies.len() > 1 {
                format!("{name}: {}", st.name)
            } else {
                name.clone()
            };
            bars.push(BarRow {
                name: label.into(),
                mean: reached.mean,
                ci95_low: reached.ci95_low,
                ci95_high: reached.ci95_high,
                best: false,
                note: format!(
                    "of {}; {} shared",
                    number(*people as f64, 0),
                    number(shared.mean, 0)
                ),
                inner: Some(shared.mean),
                series: i,
            });
        }
    }
    if bars.is_empty() {
        return None;
    }
    let cap = slots.iter().map(|s| s.2).max().unwrap_or(1) as f64;
    let scenario = &report.prepared.scenario;
    let which = if strategies.len() == 1 && results.strategies.len() > 1 {
        format!(" ({})", results.strategies[strategies[0]].name)
    } else {
        String::new()
    };
    let shown = if slots.len() < all {
        format!(
            " The {} largest of {all} segments are drawn; summary.json has every one.",
            slots.len()
        )
    } else {
        String::new()
    };
    let height = (260 + 80 * bars.len() as u32).min(chart::MAX_DIMENSION);
    Some(Figure {
        stem: STEM,
        subject: "People reached by the end, per segment".to_string(),
        caption: format!(
            "Each bar is the mean number of a segment's people reached by the end{which}: the solid part those who shared, the pale rest those who only saw it; the whiskers are the 95% confidence interval of the reach, and the axis ends at the largest segment's size.{shown}"
        ),
        title: if which.is_empty() {
            format!(
                "{}: people reached and sharers per segment (mean, 95% CI)",
                scenario.name
            )
        } else {
            format!("{}: people reached and sharers per segment{which}", scenario.name)
        },
        width: WIDTH,
        height,
        plot: Plot::Bars {
            x_label: "people of the segment reached by the end",
            bars,
            cap,
            split: Some(["shared", "saw it only"]),
        },
    })
}
