//! A chart the scenario records, built once from the results and then
//! rendered to any format: `reach.png`, `reach.svg` and the other chart
//! files, or inline SVG in `report.html`. Each chart's content (title,
//! labels, series) is decided in one place, [`super::reach_chart::figure`]
//! or [`super::strategies_chart::figure`], so every output shows the same
//! chart.

use super::chart::{self, Bar, BarChart, CurveChart, CurveSeries, Drawable};
use super::chart::{SweepLineChart, SweepSeries};
use super::{OutputFile, Report, CURVE_METRICS};
use crate::error::Error;
use crate::scenario::ChartFormat;

/// A chart, ready to render.
pub struct Figure<'a> {
    /// File name without the extension ("reach", "strategies").
    pub stem: &'static str,
    /// What it shows, in a few words ("People reached over time").
    pub subject: String,
    /// How to read it, in a sentence or two.
    pub caption: String,
    /// The title drawn above the chart.
    pub title: String,
    /// Size in pixels.
    pub width: u32,
    pub height: u32,
    pub(super) plot: Plot<'a>,
}

/// What a figure draws.
pub(super) enum Plot<'a> {
    /// One line per strategy over the steps.
    Curves {
        x_label: String,
        y_label: &'static str,
        series: Vec<CurveSeries<'a>>,
    },
    /// One line per strategy against a number on the x axis, with its 95%
    /// confidence band.
    Lines {
        x_label: String,
        y_label: &'static str,
        /// The x values, ascending.
        xs: Vec<f64>,
        series: Vec<SweepSeries<'a>>,
    },
    /// One bar per strategy.
    Bars {
        x_label: &'static str,
        bars: Vec<BarRow<'a>>,
        /// The people in the network: the value axis never runs beyond.
        cap: f64,
        /// What the two segments of split bars stand for (see
        /// [`BarRow::inner`]).
        split: Option<[&'static str; 2]>,
    },
}

/// A [`Bar`] that owns its note.
pub(super) struct BarRow<'a> {
    pub name: std::borrow::Cow<'a, str>,
    pub mean: f64,
    pub ci95_low: f64,
    pub ci95_high: f64,
    pub best: bool,
    pub note: String,
    /// The part of the mean drawn as the bar's first segment (reach in
    /// the target), the rest as its second; None: one segment.
    pub inner: Option<f64>,
    /// The strategy's place in the scenario, which sets its colour.
    pub series: usize,
}

impl Figure<'_> {
    /// The chart as a file of `format`, named after its stem.
    pub fn render(&self, format: ChartFormat) -> Result<OutputFile, Error> {
        Ok(OutputFile {
            name: format!("{}.{}", self.stem, format.extension()),
            bytes: self.bytes(format)?,
        })
    }

    /// The chart as an SVG document.
    pub fn svg(&self) -> Result<String, Error> {
        let bytes = self.bytes(ChartFormat::Svg)?;
        String::from_utf8(bytes).map_err(|e| Error::Report(e.to_string()))
    }

    fn bytes(&self, format: ChartFormat) -> Result<Vec<u8>, Error> {
        let (w, h) = (self.width, self.height);
        let encoded = match &self.plot {
            Plot::Curves {
                x_label,
                y_label,
                series,
            } => encode(
                &CurveChart {
                    title: &self.title,
                    x_label,
                    y_label,
                    series,
                },
                format,
                w,
                h,
            ),
            Plot::Lines {
                x_label,
                y_label,
                xs,
                series,
            } => encode(
                &SweepLineChart {
                    title: &self.title,
                    x_label,
                    y_label,
                    xs,
                    series,
                    level: None,
                    markers: &[],
                    tips: &[],
                },
                format,
                w,
                h,
            ),
            Plot::Bars {
                x_label,
                bars,
                split,
                cap,
            } => {
                let bars: Vec<Bar> = bars
                    .iter()
                    .map(|b| Bar {
                        name: &b.name,
                        mean: b.mean,
                        ci95_low: b.ci95_low,
                        ci95_high: b.ci95_high,
                        best: b.best,
                        note: &b.note,
                        inner: b.inner,
                        series: b.series,
                    })
                    .collect();
                let chart = BarChart {
                    title: &self.title,
                    x_label,
                    bars: &bars,
                    cap: *cap,
                    split: *split,
                };
                encode(&chart, format, w, h)
            }
        };
        encoded.map_err(|e| Error::Report(e.to_string()))
    }
}

fn encode(
    chart: &impl Drawable,
    format: ChartFormat,
    width: u32,
    height: u32,
) -> Result<Vec<u8>, chart::ChartError> {
    match format {
        ChartFormat::Png => chart::render_png(chart, width, height),
        ChartFormat::Svg => chart::render_svg(chart, width, height).map(String::into_bytes),
    }
}

/// Every chart the scenario records, in the order of the chart files:
/// the curves of [`CURVE_METRICS`] the scenario records, then the
/// strategies' bars, then with `[rival] response_delays` net reach against
/// the delay.
pub fn figures<'a>(report: &Report<'a>) -> Vec<Figure<'a>> {
    let mut list: Vec<Figure> = CURVE_METRICS
        .iter()
        .filter_map(|&metric| super::reach_chart::figure(report, metric))
        .collect();
    list.push(super::strategies_chart::figure(report));
    list.extend(super::segments_chart::figure(report));
    list.extend(super::delay_chart::figure(report));
    list
}
