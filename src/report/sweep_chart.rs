//! The sweep's chart files. One swept key: `sweep.png`/`.svg`, the mean
//! final reach of every strategy against the key's value with its 95%
//! confidence band, and for a stickiness sweep the tipping level, each
//! strategy's tipping point and the graph's analytic thresholds. Two swept
//! keys: `sweep-N-NAME.png`/`.svg`, one heatmap per strategy of the mean
//! final reach over the grid, on one colour scale. The drawing is
//! [`super::chart`]'s; this file decides what is drawn and names the files.

use super::chart::{self, Drawable, HeatmapChart, Marker, SweepLineChart, SweepSeries, Tip};
use super::format::{plain, trimmed};
use super::{Exporter, OutputFile, Report};
use crate::error::Error;
use crate::scenario::{axis_title, ChartFormat, TimeUnit};
use crate::sweep::SweepResults;

/// Chart size in pixels.
const WIDTH: u32 = 1200;
const HEIGHT: u32 = 750;

/// The file stem of the one-key sweep chart.
pub const LINE_STEM: &str = "sweep";

/// The file stem of strategy `index`'s (from 0) heatmap of a two-key sweep.
fn heatmap_stem(index: usize, name: &str) -> String {
    format!("{LINE_STEM}-{}-{}", index + 1, slug(name))
}

/// Whether `stem` is one [`heatmap_stem`] gives.
pub fn is_heatmap_stem(stem: &str) -> bool {
    let Some((number, slug)) = stem
        .strip_prefix(LINE_STEM)
        .and_then(|s| s.strip_prefix('-'))
        .and_then(|s| s.split_once('-'))
    else {
        return false;
    };
    !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
        && !slug.is_empty()
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `name` as a file-name fragment: lowercase letters, digits and '-'.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-');
    let out: String = out.chars().take(40).collect();
    if out.is_empty() {
        "strategy".into()
    } else {
        out
    }
}

/// The sweep chart files of `sweep`: (file stem, chart) pairs drawn by
/// `draw` in the caller's format.
pub struct SweepCharts {
    pub format: ChartFormat,
}

fn render(chart: &impl Drawable, format: ChartFormat, stem: String) -> Result<OutputFile, Error> {
    let fail = |e: chart::ChartError| Error::Report(format!("cannot draw {stem}: {e}"));
    let name = format!("{stem}.{}", format.extension());
    Ok(match format {
        ChartFormat::Png => OutputFile {
            name,
            bytes: chart::render_png(chart, WIDTH, HEIGHT).map_err(fail)?,
        },
        ChartFormat::Svg => OutputFile {
            name,
            bytes: chart::render_svg(chart, WIDTH, HEIGHT)
                .map_err(fail)?
                .into_bytes(),
        },
    })
}

/// Every sweep chart of `sweep` in `format`.
/// Swept keys counted in steps are titled in `unit`.
pub fn charts(
    sweep: &SweepResults,
    unit: TimeUnit,
    format: ChartFormat,
) -> Result<Vec<OutputFile>, Error> {
    let y_label = "people reached by the end (mean, 95% CI)";
    if sweep.axes.len() == 1 {
        let axis = &sweep.axes[0];
        let series: Vec<SweepSeries> = sweep
            .strategies
            .iter()
            .enumerate()
            .map(|(s, name)| {
                let at = |f: fn(&crate::stats::Summary) -> f64| {
                    sweep
                        .points
                        .iter()
                        .map(|p| f(p.strategies[s].reached()))
                        .collect()
                };
                SweepSeries {
                    name,
                    mean: at(|r| r.mean),
                    low: at(|r| r.ci95_low),
                    high: at(|r| r.ci95_high),
                }
            })
            .collect();
        let mut markers = Vec::new();
        let mut level = None;
        let mut tips = Vec::new();
        if let Some(line) = sweep.tipping.first() {
            for (series, t) in line.strategies.iter().enumerate() {
                match *t {
                    crate::sweep::Tipping::Crossed { stickiness, .. } => tips.push(Tip {
                        series,
                        x: stickiness,
                        at_or_below: false,
                    }),
                    crate::sweep::Tipping::AtOrBelow { stickiness } => tips.push(Tip {
                        series,
                        x: stickiness,
                        at_or_below: true,
                    }),
                    crate::sweep::Tipping::NotReached { .. } => {}
                }
            }
            level = Some((
                line.level,
                format!(
                    "tipping level: {}% of people",
                    trimmed(sweep.tipping_fraction * 100.0, 2)
                ),
            ));
            if let Some(x) = line.thresholds.mean_field_stickiness {
                markers.push(Marker {
                    x,
                    label: format!("mean-field threshold {}", plain(x)),
                    color: chart::MEAN_FIELD_COLOR,
                });
            }
            if let Some(x) = line.thresholds.spectral_stickiness {
                markers.push(Marker {
                    x,
                    label: format!("spectral threshold {}", plain(x)),
                    color: chart::SPECTRAL_COLOR,
                });
            }
        }
        let x_label = axis_title(&axis.key, unit);
        let title = format!("How far it spreads, by {x_label}");
        let chart = SweepLineChart {
            title: &title,
            x_label: &x_label,
            y_label,
            xs: &axis.values,
            series: &series,
            level,
            markers: &markers,
            tips: &tips,
        };
        return Ok(vec![render(&chart, format, LINE_STEM.into())?]);
    }
    let (xs, ys) = (&sweep.axes[0].values, &sweep.axes[1].values);
    let grids: Vec<Vec<f64>> = (0..sweep.strategies.len())
        .map(|s| {
            sweep
                .points
                .iter()
                .map(|p| p.strategies[s].reached().mean)
                .collect()
        })
        .collect();
    let all = grids.iter().flatten().copied().filter(|v| v.is_finite());
    let range = (
        all.clone().fold(f64::INFINITY, f64::min).min(0.0),
        all.fold(0.0f64, f64::max),
    );
    let mut files = Vec::with_capacity(grids.len());
    for (s, (name, values)) in sweep.strategies.iter().zip(&grids).enumerate() {
        let title = format!("{name}: people reached by the end (mean)");
        let chart = HeatmapChart {
            title: &title,
            x_label: &axis_title(&sweep.axes[0].key, unit),
            y_label: &axis_title(&sweep.axes[1].key, unit),
            scale_label: "people reached (mean)",
            xs,
            ys,
            values,
            range,
        };
        files.push(render(&chart, format, heatmap_stem(s, name))?);
    }
    Ok(files)
}

impl Exporter for SweepCharts {
    fn writes(&self, name: &str) -> bool {
        name.strip_suffix(self.format.extension())
            .and_then(|stem| stem.strip_suffix('.'))
            .is_some_and(|stem| stem == LINE_STEM || is_heatmap_stem(stem))
    }

    fn render(&self, report: &Report) -> Result<Vec<OutputFile>, Error> {
        match report.sweep {
            Some(sweep) => charts(sweep, report.prepared.scenario.simulation.step, self.format),
            None => Ok(Vec::new()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heatmap_stems_are_recognised() {
        let stem = heatmap_stem(1, "Top influencers (10)");
        assert_eq!(stem, "sweep-2-top-influencers-10");
        assert!(is_heatmap_stem(&stem));
        for other in [
            "sweep",
            "sweep-",
            "sweep-x-top",
            "sweep-1-",
            "sweep-1-Top",
            "sweeps-1-a",
        ] {
            assert!(!is_heatmap_stem(other), "{other}");
        }
    }

    #[test]
    fn slugs_are_file_names() {
        assert_eq!(slug("Top influencers (10)"), "top-influencers-10");
        assert_eq!(slug("../../etc"), "etc");
        assert_eq!(slug("★"), "strategy");
    }
}
