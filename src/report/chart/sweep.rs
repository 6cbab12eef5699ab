//! Final reach against one swept key (`sweep.png`): every strategy's mean
//! with its 95% confidence band; optionally a horizontal reference level
//! (the tipping level) with the points where the strategies cross it, and
//! vertical markers (the graph's thresholds); the legend in a column of its
//! own.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::RGBColor;

use super::legend::ColumnLegend;
use super::text::{fit_title, text};
use super::theme::{series_look, AXIS_COLOR, GRID_COLOR, TEXT_COLOR};
use super::{begin, Drawable};
use crate::report::format::{axis_tick, decimals_for, trimmed};

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
        let legend = ColumnLegend::new(root, entries, &m);
        let (plot_area, legend_area) = root.split_horizontally(width.saturating_sub(legend.width));

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
        // From 0, or below it for figures that can be negative (net
        // reach against a rival).
        let y_lo = self
            .series
            .iter()
            .flat_map(|s| finite(&s.low).into_iter().chain(finite(&s.mean)))
            .fold(0.0f64, f64::min);
        let y_lo = if y_lo < 0.0 { y_lo * 1.06 } else { 0.0 };
        let (x_lo, x_hi) = match (self.xs.first(), self.xs.last()) {
            (Some(&a), Some(&b)) if b > a => (a, b),
            (Some(&a), _) => (a - 0.5, a + 0.5),
            _ => (0.0, 1.0),
        };
        // Fitted to the plot's width, which the legend column narrows.
        let (title, title_size) = fit_title(&plot_area, self.title, &m);
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
        legend.draw(&legend_area, &m, nudge)?;
        Ok(())
    }
}
