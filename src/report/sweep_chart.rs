//! Sweep charts. One swept key: `sweep.png`/`.svg`, the mean final reach of
//! every strategy against the key's value with its 95% confidence band,
//! and for a stickiness sweep the tipping level and the graph's analytic
//! thresholds. Two swept keys: `sweep-N-NAME.png`/`.svg`, one heatmap per
//! strategy of the mean final reach over the grid, with a colour scale.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::RGBColor;

use super::chart::{
    self, begin, fit_text, fit_title, series_look, text, Drawable, AXIS_COLOR, FONT_FAMILY,
    GRID_COLOR, LEGEND_BORDER, TEXT_COLOR,
};
use super::format::{axis_tick, decimals_for, plain, trimmed};
use super::{Exporter, OutputFile, Report};
use crate::error::Error;
use crate::scenario::{ChartFormat, STICKINESS_KEY};
use crate::sweep::SweepResults;

/// Chart size in pixels.
const WIDTH: u32 = 1200;
const HEIGHT: u32 = 750;

/// One strategy's line: mean final reach and its 95% CI at each x.
pub struct SweepSeries<'a> {
    pub name: &'a str,
    pub mean: Vec<f64>,
    pub low: Vec<f64>,
    pub high: Vec<f64>,
}

/// A vertical marker (an analytic threshold) on the line chart.
pub struct Marker {
    pub x: f64,
    pub label: String,
    pub color: RGBColor,
}

/// Mean final reach against one swept key.
pub struct SweepLineChart<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    /// The key's values, ascending.
    pub xs: &'a [f64],
    pub series: &'a [SweepSeries<'a>],
    /// A horizontal reference level with its label (the tipping level).
    pub level: Option<(f64, String)>,
    pub markers: &'a [Marker],
    /// Tipping points on the level line: (series index, x).
    pub tips: &'a [(usize, f64)],
}

const MEAN_FIELD_COLOR: RGBColor = RGBColor(120, 120, 120);
const SPECTRAL_COLOR: RGBColor = RGBColor(160, 60, 60);

impl Drawable for SweepLineChart<'_> {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        raster_text: bool,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let (width, _) = root.dim_in_pixel();
        let (m, nudge) = begin(root, raster_text)?;

        // Legend entries: strategies, then the reference lines.
        let mut entries: Vec<(String, RGBColor, bool)> = self
            .series
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let (c, dashed) = series_look(i);
                (s.name.to_string(), c, dashed)
            })
            .collect();
        if let Some((_, label)) = &self.level {
            entries.push((label.clone(), AXIS_COLOR, true));
        }
        for mk in self.markers {
            entries.push((mk.label.clone(), mk.color, true));
        }
        let legend_font = text(m.legend).pos(Pos::new(HPos::Left, VPos::Center));
        let max_name = width / 4;
        let names: Vec<String> = entries
            .iter()
            .map(|(n, _, _)| fit_text(root, n, &legend_font, max_name))
            .collect();
        let name_w = names
            .iter()
            .map(|n| {
                root.estimate_text_size(n, &legend_font)
                    .map_or(0, |(w, _)| w)
            })
            .max()
            .unwrap_or(0);
        let sample = (m.legend * 1.6).round() as u32;
        let pad = (m.legend * 0.6).round() as u32;
        let legend_w = sample + pad * 3 + name_w;
        let (plot_area, legend_area) = root.split_horizontally(width.saturating_sub(legend_w));

        let finite = |v: &[f64]| {
            v.iter()
                .copied()
                .filter(|x| x.is_finite())
                .collect::<Vec<_>>()
        };
        let y_hi = self
            .series
            .iter()
            .flat_map(|s| finite(&s.high).into_iter().chain(finite(&s.mean)))
            .chain(self.level.as_ref().map(|(l, _)| *l))
            .fold(0.0f64, f64::max);
        let y_hi = if y_hi > 0.0 { y_hi * 1.06 } else { 1.0 };
        let y_lo = 0.0;
        let (x_lo, x_hi) = match (self.xs.first(), self.xs.last()) {
            (Some(&a), Some(&b)) if b > a => (a, b),
            (Some(&a), _) => (a - 0.5, a + 0.5),
            _ => (0.0, 1.0),
        };
        let (title, title_size) = fit_title(root, self.title, &m);
        let tick_font = text(m.tick);
        let tick_w = [y_hi, y_hi * 0.55]
            .iter()
            .map(|&v| {
                plot_area
                    .estimate_text_size(&axis_tick(v, (y_lo, y_hi)), &tick_font)
                    .map_or(0, |(w, _)| w)
            })
            .max()
            .unwrap_or(0);
        let x_span = x_hi - x_lo;
        let x_decimals = decimals_for(x_span / 8.0);
        let mut ctx = ChartBuilder::on(&plot_area)
            .margin(m.margin)
            .caption(&title, text(title_size))
            .x_label_area_size((m.tick + m.desc) as u32 + m.margin * 2)
            .y_label_area_size(tick_w + (m.desc as u32) + m.margin * 2)
            .build_cartesian_2d(x_lo..x_hi, y_lo..y_hi)?;
        ctx.configure_mesh()
            .x_labels(8)
            .y_labels(8)
            .x_label_formatter(&|v| trimmed(*v, x_decimals))
            .y_label_formatter(&|v| axis_tick(*v, (y_lo, y_hi)))
            .label_style(tick_font.clone())
            .axis_desc_style(text(m.desc))
            .x_desc(self.x_label)
            .y_desc(self.y_label)
            .bold_line_style(GRID_COLOR.stroke_width(1))
            .light_line_style(TRANSPARENT)
            .axis_style(AXIS_COLOR.stroke_width(1))
            .draw()?;

        let band = (0.6 / self.series.len().max(1) as f64).clamp(0.08, 0.18);
        for (i, s) in self.series.iter().enumerate() {
            let (color, _) = series_look(i);
            let upper = self.xs.iter().zip(&s.high).map(|(&x, &y)| (x, y));
            let lower = self.xs.iter().zip(&s.low).rev().map(|(&x, &y)| (x, y));
            let outline: Vec<(f64, f64)> =
                upper.chain(lower).filter(|(_, y)| y.is_finite()).collect();
            if outline.len() >= 3 {
                ctx.draw_series(std::iter::once(Polygon::new(
                    outline,
                    color.mix(band).filled(),
                )))?;
            }
        }
        let dash = (m.line * 4) as i32;
        if let Some((level, _)) = &self.level {
            ctx.draw_series(DashedLineSeries::new(
                [(x_lo, *level), (x_hi, *level)],
                dash,
                dash * 2 / 3,
                AXIS_COLOR.stroke_width(m.line.max(2) - 1),
            ))?;
        }
        for mk in self.markers {
            if mk.x >= x_lo && mk.x <= x_hi {
                ctx.draw_series(DashedLineSeries::new(
                    [(mk.x, y_lo), (mk.x, y_hi)],
                    dash / 2,
                    dash / 2,
                    mk.color.stroke_width(m.line.max(2) - 1),
                ))?;
            }
        }
        for (i, s) in self.series.iter().enumerate() {
            let (color, dashed) = series_look(i);
            let style = color.stroke_width(m.line);
            let points: Vec<(f64, f64)> = self
                .xs
                .iter()
                .copied()
                .zip(s.mean.iter().copied())
                .collect();
            if dashed {
                ctx.draw_series(DashedLineSeries::new(
                    points.clone(),
                    dash,
                    dash * 2 / 3,
                    style,
                ))?;
            } else {
                ctx.draw_series(LineSeries::new(points.clone(), style))?;
            }
            ctx.draw_series(
                points
                    .iter()
                    .map(|&p| Circle::new(p, m.line + 2, color.filled())),
            )?;
        }

        if let Some((level, _)) = &self.level {
            for &(i, x) in self.tips {
                let (color, _) = series_look(i);
                let r = (m.line * 3) as i32;
                let (cx, cy) = ctx.backend_coord(&(x, *level));
                let diamond = vec![(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)];
                plot_area.draw(&Polygon::new(diamond.clone(), color.filled()))?;
                let mut outline = diamond;
                outline.push((cx, cy - r));
                plot_area.draw(&PathElement::new(outline, TEXT_COLOR.stroke_width(1)))?;
            }
        }

        // The legend, in its own column right of the plot.
        let row = (m.legend * 1.4).round() as i32;
        let top = (m.title * 1.5) as i32 + m.margin as i32;
        let box_h = row * entries.len() as i32 + pad as i32;
        let box_w = legend_w as i32 - pad as i32;
        legend_area.draw(&Rectangle::new(
            [(0, top), (box_w, top + box_h)],
            LEGEND_BORDER.stroke_width(1),
        ))?;
        for (k, ((_, color, dashed), name)) in entries.iter().zip(&names).enumerate() {
            let cy = top + pad as i32 / 2 + row * k as i32 + row / 2;
            let sx = pad as i32;
            let stroke = color.stroke_width(m.line);
            if *dashed {
                let seg = sample as i32 * 2 / 5;
                legend_area.draw(&PathElement::new(vec![(sx, cy), (sx + seg, cy)], stroke))?;
                legend_area.draw(&PathElement::new(
                    vec![(sx + sample as i32 - seg, cy), (sx + sample as i32, cy)],
                    stroke,
                ))?;
            } else {
                legend_area.draw(&PathElement::new(
                    vec![(sx, cy), (sx + sample as i32, cy)],
                    stroke,
                ))?;
            }
            legend_area.draw(&Text::new(
                name.as_str(),
                (sx + sample as i32 + pad as i32, cy + nudge),
                legend_font.clone(),
            ))?;
        }
        Ok(())
    }
}

/// Viridis, at nine evenly spaced stops: perceptually even, readable in
/// grey and by colour-blind readers.
const VIRIDIS: [RGBColor; 9] = [
    RGBColor(68, 1, 84),
    RGBColor(71, 44, 122),
    RGBColor(59, 81, 139),
    RGBColor(44, 113, 142),
    RGBColor(33, 144, 141),
    RGBColor(39, 173, 129),
    RGBColor(92, 200, 99),
    RGBColor(170, 220, 50),
    RGBColor(253, 231, 37),
];

/// The colour of `t` in [0, 1] on the scale.
fn scale_color(t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = t * (VIRIDIS.len() - 1) as f64;
    let i = (x.floor() as usize).min(VIRIDIS.len() - 2);
    let f = x - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let mix = |p: u8, q: u8| (p as f64 + (q as f64 - p as f64) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// A heatmap of one strategy's mean final reach over a two-key grid.
pub struct HeatmapChart<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub scale_label: &'a str,
    pub xs: &'a [f64],
    pub ys: &'a [f64],
    /// `values[i * ys.len() + j]` is the cell at `xs[i]`, `ys[j]`.
    pub values: &'a [f64],
    /// The colour scale's range (shared by every strategy's heatmap so
    /// they compare).
    pub range: (f64, f64),
}

impl Drawable for HeatmapChart<'_> {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        raster_text: bool,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let (width, height) = root.dim_in_pixel();
        let (m, nudge) = begin(root, raster_text)?;
        let tick_font = text(m.tick);
        let desc_font = text(m.desc);
        let (lo, hi) = self.range;
        let span = if hi > lo { hi - lo } else { 1.0 };
        let (nx, ny) = (self.xs.len().max(1), self.ys.len().max(1));
        let x_dec = decimals_for(min_gap(self.xs));
        let y_dec = decimals_for(min_gap(self.ys));
        let x_text: Vec<String> = self.xs.iter().map(|&v| trimmed(v, x_dec)).collect();
        let y_text: Vec<String> = self.ys.iter().map(|&v| trimmed(v, y_dec)).collect();
        let text_w = |s: &str, f: &TextStyle| root.estimate_text_size(s, f).map_or(0, |(w, _)| w);
        let y_tick_w = y_text
            .iter()
            .map(|t| text_w(t, &tick_font))
            .max()
            .unwrap_or(0);
        let scale_ticks = nice_ticks(lo, lo + span);
        let scale_w = scale_ticks
            .iter()
            .map(|&v| text_w(&axis_tick(v, (lo, hi)), &tick_font))
            .max()
            .unwrap_or(0);

        let (title, title_size) = fit_title(root, self.title, &m);
        root.draw_text(
            &title,
            &text(title_size).pos(Pos::new(HPos::Center, VPos::Top)),
            (width as i32 / 2, m.margin as i32),
        )?;
        let mg = m.margin as i32;
        let left = mg + m.desc as i32 + mg + y_tick_w as i32 + mg;
        let top = mg * 2 + title_size as i32 + mg;
        let bar_w = (m.tick * 1.2) as i32;
        let right = width as i32 - mg - scale_w as i32 - mg - bar_w - mg * 2 - m.desc as i32;
        let bottom = height as i32 - mg - m.desc as i32 - mg - m.tick as i32 - mg;
        let (cw, ch) = (
            (right - left).max(nx as i32) as f64 / nx as f64,
            (bottom - top).max(ny as i32) as f64 / ny as f64,
        );
        let cell = |i: usize, j: usize| {
            // Row 0 at the bottom.
            let x0 = left + (i as f64 * cw).round() as i32;
            let x1 = left + ((i + 1) as f64 * cw).round() as i32;
            let y1 = bottom - (j as f64 * ch).round() as i32;
            let y0 = bottom - ((j + 1) as f64 * ch).round() as i32;
            (x0, y0, x1, y1)
        };
        let value_font_size = (m.tick * 0.85).min(ch * 0.45);
        let show_values = cw >= value_font_size * 3.2 && ch >= value_font_size * 1.4;
        for i in 0..self.xs.len() {
            for j in 0..self.ys.len() {
                let v = self
                    .values
                    .get(i * self.ys.len() + j)
                    .copied()
                    .unwrap_or(f64::NAN);
                let t = (v - lo) / span;
                let color = scale_color(t);
                let (x0, y0, x1, y1) = cell(i, j);
                root.draw(&Rectangle::new([(x0, y0), (x1, y1)], color.filled()))?;
                if show_values && v.is_finite() {
                    let ink = if t > 0.6 { TEXT_COLOR } else { WHITE };
                    root.draw_text(
                        &axis_tick(v, (lo, hi)),
                        &(FONT_FAMILY, value_font_size)
                            .into_font()
                            .color(&ink)
                            .pos(Pos::new(HPos::Center, VPos::Center)),
                        ((x0 + x1) / 2, (y0 + y1) / 2 + nudge),
                    )?;
                }
            }
        }
        root.draw(&Rectangle::new(
            [(left, top), (right, bottom)],
            AXIS_COLOR.stroke_width(1),
        ))?;
        // Tick labels, thinned so they do not overlap.
        let widest_x = x_text
            .iter()
            .map(|t| text_w(t, &tick_font))
            .max()
            .unwrap_or(1) as f64;
        let every_x = ((widest_x * 1.3 / cw).ceil() as usize).max(1);
        for (i, t) in x_text.iter().enumerate().filter(|(i, _)| i % every_x == 0) {
            let (x0, _, x1, _) = cell(i, 0);
            root.draw_text(
                t,
                &tick_font.pos(Pos::new(HPos::Center, VPos::Top)),
                ((x0 + x1) / 2, bottom + mg / 2),
            )?;
        }
        let every_y = ((m.tick * 1.3 / ch).ceil() as usize).max(1);
        for (j, t) in y_text.iter().enumerate().filter(|(j, _)| j % every_y == 0) {
            let (_, y0, _, y1) = cell(0, j);
            root.draw_text(
                t,
                &tick_font.pos(Pos::new(HPos::Right, VPos::Center)),
                (left - mg / 2, (y0 + y1) / 2 + nudge),
            )?;
        }
        root.draw_text(
            self.x_label,
            &desc_font.pos(Pos::new(HPos::Center, VPos::Bottom)),
            ((left + right) / 2, height as i32 - mg),
        )?;
        root.draw_text(
            self.y_label,
            &desc_font
                .transform(FontTransform::Rotate270)
                .pos(Pos::new(HPos::Center, VPos::Top)),
            (mg, (top + bottom) / 2),
        )?;

        // The colour scale.
        let bx = right + mg * 2;
        let steps = 64;
        for k in 0..steps {
            let y1 = bottom - ((bottom - top) as f64 * k as f64 / steps as f64).round() as i32;
            let y0 =
                bottom - ((bottom - top) as f64 * (k + 1) as f64 / steps as f64).round() as i32;
            // One pixel over the slice below, so no seam shows between.
            root.draw(&Rectangle::new(
                [(bx, y0), (bx + bar_w, (y1 + 1).min(bottom))],
                scale_color((k as f64 + 0.5) / steps as f64).filled(),
            ))?;
        }
        root.draw(&Rectangle::new(
            [(bx, top), (bx + bar_w, bottom)],
            AXIS_COLOR.stroke_width(1),
        ))?;
        for &v in &scale_ticks {
            let y = bottom - ((v - lo) / span * (bottom - top) as f64).round() as i32;
            root.draw(&PathElement::new(
                vec![(bx + bar_w, y), (bx + bar_w + mg / 2, y)],
                AXIS_COLOR.stroke_width(1),
            ))?;
            root.draw_text(
                &axis_tick(v, (lo, hi)),
                &tick_font.pos(Pos::new(HPos::Left, VPos::Center)),
                (bx + bar_w + mg * 2 / 3, y + nudge),
            )?;
        }
        root.draw_text(
            self.scale_label,
            &desc_font
                .transform(FontTransform::Rotate90)
                .pos(Pos::new(HPos::Center, VPos::Top)),
            (width as i32 - mg, (top + bottom) / 2),
        )?;
        Ok(())
    }
}

/// Round tick values (steps of 1, 2 or 5 times a power of ten) from `lo`
/// to `hi`, about five of them.
fn nice_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let span = hi - lo;
    if !(span > 0.0 && span.is_finite()) {
        return vec![lo];
    }
    let rough = span / 5.0;
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * power);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// The smallest gap between neighbouring values (1 when there is none).
fn min_gap(values: &[f64]) -> f64 {
    values
        .windows(2)
        .map(|w| (w[1] - w[0]).abs())
        .filter(|g| *g > 0.0)
        .fold(f64::INFINITY, f64::min)
        .min(values.iter().fold(0.0f64, |a, v| a.max(v.abs())).max(1.0))
}

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
    Ok(match format {
        ChartFormat::Png => OutputFile {
            name: format!("{stem}.png"),
            bytes: chart::render_png(chart, WIDTH, HEIGHT).map_err(fail)?,
        },
        ChartFormat::Svg => OutputFile {
            name: format!("{stem}.svg"),
            bytes: chart::render_svg(chart, WIDTH, HEIGHT)
                .map_err(fail)?
                .into_bytes(),
        },
    })
}

/// Every sweep chart of `sweep` in `format`.
pub fn charts(sweep: &SweepResults, format: ChartFormat) -> Result<Vec<OutputFile>, Error> {
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
            for (i, t) in line.strategies.iter().enumerate() {
                if let crate::sweep::Tipping::Crossed { stickiness, .. } = t {
                    tips.push((i, *stickiness));
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
                    color: MEAN_FIELD_COLOR,
                });
            }
            if let Some(x) = line.thresholds.spectral_stickiness {
                markers.push(Marker {
                    x,
                    label: format!("spectral threshold {}", plain(x)),
                    color: SPECTRAL_COLOR,
                });
            }
        }
        let title = if axis.key == STICKINESS_KEY {
            "How far it spreads, by stickiness".to_string()
        } else {
            format!("How far it spreads, by {}", axis.key)
        };
        let chart = SweepLineChart {
            title: &title,
            x_label: &axis.key,
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
            x_label: &sweep.axes[0].key,
            y_label: &sweep.axes[1].key,
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
    fn render(&self, report: &Report) -> Result<Vec<OutputFile>, Error> {
        match report.sweep {
            Some(sweep) => charts(sweep, self.format),
            None => Ok(Vec::new()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_runs_from_dark_to_light() {
        assert_eq!(scale_color(0.0), VIRIDIS[0]);
        assert_eq!(scale_color(1.0), VIRIDIS[8]);
        assert_eq!(scale_color(f64::NAN), VIRIDIS[0]);
        let luma = |c: RGBColor| 0.3 * c.0 as f64 + 0.59 * c.1 as f64 + 0.11 * c.2 as f64;
        let mut last = -1.0;
        for k in 0..=100 {
            let l = luma(scale_color(k as f64 / 100.0));
            assert!(l >= last - 1.0, "luma falls at {k}");
            last = l;
        }
    }

    #[test]
    fn ticks_are_round() {
        assert_eq!(
            nice_ticks(0.0, 4976.0),
            vec![0.0, 1000.0, 2000.0, 3000.0, 4000.0]
        );
        let unit = nice_ticks(0.0, 1.0);
        assert_eq!(unit.len(), 6);
        for (k, t) in unit.iter().enumerate() {
            assert!((t - 0.2 * k as f64).abs() < 1e-12, "{unit:?}");
        }
        assert_eq!(nice_ticks(3.0, 3.0), vec![3.0]);
    }

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
