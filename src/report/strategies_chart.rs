//! `strategies.png` / `strategies.svg`: mean final reach per strategy with
//! its 95% confidence interval as whiskers and what its seeding cost (with a
//! target, also the reach inside it and the share wasted outside), the best
//! marked; each strategy in the colour it has on the reach chart. With a
//! target each bar is split: reach in the target solid, wasted reach
//! outside it pale. With a `[goal]` other than reach, the bars are in the
//! order the goal ranks them, best on top.

use super::chart;
use super::figure::{BarRow, Figure, Plot};
use super::format::{money, number};
use super::{Exporter, OutputFile, Report};
use crate::error::Error;
use crate::model::{Goal, Metric};
use crate::scenario::ChartFormat;

/// The chart's file stem.
pub const STEM: &str = "strategies";

/// Chart width in pixels; the height grows with the number of strategies.
const WIDTH: u32 = 1200;

pub struct StrategiesChart {
    pub format: ChartFormat,
}

impl Exporter for StrategiesChart {
    fn writes(&self, name: &str) -> bool {
        name == format!("{STEM}.{}", self.format.extension())
    }

    fn render(&self, report: &Report) -> Result<Vec<OutputFile>, Error> {
        Ok(vec![figure(report).render(self.format)?])
    }
}

/// The bars of every strategy's final reach.
pub fn figure<'a>(report: &Report<'a>) -> Figure<'a> {
    let results = report.results;
    let best = results.comparison.as_ref().map(|c| c.best);
    let buys_ads = super::table::buys_ads(results);
    // Ads, a strategy's own or `[paid]`'s, count in its cost as they do in
    // the money it spends.
    let any_ads = buys_ads || results.strategies.iter().any(|st| st.paid.is_some());
    let mut bars: Vec<BarRow<'a>> = results
        .strategies
        .iter()
        .enumerate()
        .map(|(i, st)| {
            let spent = st.cost_total.mean;
            let ads = spent - st.cost;
            let cost = if spent <= 0.0 {
                "no cost".to_string()
            } else if any_ads && ads > 0.0 && st.cost > 0.0 {
                format!("cost {}, ads {}", money(spent), money(ads))
            } else if any_ads && ads > 0.0 {
                format!("cost {}, all ads", money(spent))
            } else {
                format!("cost {}", money(spent))
            };
            let note = match (
                st.stats.final_of(Metric::ReachedInTarget),
                st.wasted_share(),
            ) {
                (Some(t), Some(w)) => format!(
                    "{cost}, {} in target, {}% wasted",
                    number(t.mean, 0),
                    number(100.0 * w, 0)
                ),
                _ => cost,
            };
            // The figure that ranks, when it is not the bar itself.
            let note = match (results.goal, st.goal_summary(results.goal)) {
                (Goal::Reached, _) | (_, None) => note,
                (goal, Some(g)) => format!("{note}, {} {}", number(g.mean, 1), goal.name()),
            };
            let r = st.reached();
            BarRow {
                name: st.name.as_str().into(),
                mean: r.mean,
                ci95_low: r.ci95_low,
                ci95_high: r.ci95_high,
                best: best == Some(i),
                note,
                inner: st.stats.final_of(Metric::ReachedInTarget).map(|t| t.mean),
                series: i,
            }
        })
        .collect();
    let split = bars
        .iter()
        .any(|b| b.inner.is_some())
        .then_some(["in target", "outside it (wasted)"]);
    if results.goal != Goal::Reached {
        let mut all: Vec<Option<BarRow<'a>>> = bars.into_iter().map(Some).collect();
        bars = results
            .ranked()
            .into_iter()
            .filter_map(|i| all[i].take())
            .collect();
    }
    let ranked = match results.goal {
        Goal::Reached => String::new(),
        goal => format!(", ranked by {}", goal.words()),
    };
    let title = format!(
        "{}: people reached per strategy (mean, 95% CI) and {}{ranked}",
        report.prepared.scenario.name,
        if any_ads {
            "cost (seeding and ads)"
        } else {
            "seeding cost"
        }
    );
    let height = (260 + 80 * bars.len() as u32).min(chart::MAX_DIMENSION);
    Figure {
        stem: STEM,
        subject: "People reached by the end, per strategy".to_string(),
        caption: format!(
            "Each bar is a strategy's mean final reach; the whiskers are its 95% confidence interval, and the best strategy is outlined. The note gives what it cost, ads included.{}",
            if split.is_some() {
                " The solid part is reach in the target, the pale part reach outside it (wasted)."
            } else {
                ""
            }
        ),
        title,
        width: WIDTH,
        height,
        plot: Plot::Bars {
            x_label: "people reached by the end",
            bars,
            cap: f64::from(report.prepared.graph.nodes()),
            split,
        },
    }
}
