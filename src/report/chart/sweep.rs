//! Final reach against one swept key (`sweep.png`): every strategy's mean
//! with its 95% confidence band; optionally a horizontal reference level
//! (the tipping level) with the points where the strategies cross it, and
//! vertical markers (the graph's thresholds); the legend in a column of its
//! own.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::RGBColor;

use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::legend::{dots, ColumnLegend, Look};
use super::text::{text, title_area};
use super::theme::{
    series_look, AXIS_COLOR, BAND_EDGE, BAND_FILL, BAND_NOTE_COLOR, GRID_COLOR, LEVEL_COLOR,
    TEXT_COLOR,
};
use super::{begin, draw_pixel_path, Drawable};
use crate::report::format::{axis_tick, decimals_for, plain, trimmed};

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

/// Where a strategy's mean final reach crosses the level line.
pub struct Tip {
    /// The strategy's index in the series.
    pub series: usize,
    pub x: f64,
    /// The reach is above the level already at the sweep's first value: the
    /// tipping point is at or below `x`, drawn at the edge with a note.
    pub at_or_below: bool,
}

/// What the legend says the shaded bands of the sweep chart are.
pub const SWEEP_BAND_NOTE: &str = "shaded: 95% CI of the mean";

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
    /// Tipping points on the level line.
    pub tips: &'a [Tip],
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
        let mut entries: Vec<(String, RGBColor, Look)> = self
            .series
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let (c, dashed) = series_look(i);
                (s.name.to_string(), c, Look::Series { dashed })
            })
            .collect();
        if !entries.is_empty() {
            entries.push((SWEEP_BAND_NOTE.to_string(), BAND_NOTE_COLOR, Look::Band));
        }
        // The level runs across, the thresholds up: dots against dashes, and
        // colours apart, so that the two never pass for one another.
        if let Some((_, label)) = &self.level {
            entries.push((label.clone(), LEVEL_COLOR, Look::Dotted));
        }
        let (x_lo, x_hi) = match (self.xs.first(), self.xs.last()) {
            (Some(&a), Some(&b)) if b > a => (a, b),
            (Some(&a), _) => (a - 0.5, a + 0.5),
            _ => (0.0, 1.0),
        };
        for mk in self.markers {
            // A threshold outside the swept values has no line: an arrow
            // says which way it lies.
            let label = if mk.x < x_lo {
                format!("\u{2190} {}", mk.label)
            } else if mk.x > x_hi {
                format!("{} \u{2192}", mk.label)
            } else {
                mk.label.clone()
            };
            entries.push((label, mk.color, Look::Dashed));
        }
        let legend = ColumnLegend::new(root, entries, &m);
        let below = title_area(root, self.title, &m)?;
        let (plot_area, legend_area) = below.split_horizontally(width.saturating_sub(legend.width));

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

        for (i, s) in self.series.iter().enumerate() {
            let (color, _) = series_look(i);
            for edge in [&s.low, &s.high] {
                let pixels = self
                    .xs
                    .iter()
                    .zip(edge)
                    .filter(|(_, y)| y.is_finite())
                    .map(|(&x, &y)| ctx.backend_coord(&(x, y)));
                draw_pixel_path(&plot_area, pixels, color.mix(BAND_EDGE).stroke_width(1))?;
            }
            let upper = self.xs.iter().zip(&s.high).map(|(&x, &y)| (x, y));
            let lower = self.xs.iter().zip(&s.low).rev().map(|(&x, &y)| (x, y));
            let outline: Vec<(f64, f64)> =
                upper.chain(lower).filter(|(_, y)| y.is_finite()).collect();
            if outline.len() >= 3 {
                ctx.draw_series(std::iter::once(Polygon::new(
                    outline,
                    color.mix(BAND_FILL).filled(),
                )))?;
            }
        }
        let dash = (m.line * 4) as i32;
        if let Some((level, _)) = &self.level {
            let (dot, gap) = dots(m.line);
            ctx.draw_series(DashedLineSeries::new(
                [(x_lo, *level), (x_hi, *level)],
                dot,
                gap,
                LEVEL_COLOR.stroke_width(m.line.max(2)),
            ))?;
        }
        for mk in self.markers {
            if mk.x >= x_lo && mk.x <= x_hi {
                ctx.draw_series(DashedLineSeries::new(
                    [(mk.x, y_lo), (mk.x, y_hi)],
                    dash,
                    dash * 2 / 3,
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
                let pixels = points.iter().map(|p| ctx.backend_coord(p));
                draw_pixel_path(&plot_area, pixels, style)?;
            }
            ctx.draw_series(
                points
                    .iter()
                    .map(|&p| Circle::new(p, m.line + 2, color.filled())),
            )?;
        }

        if let Some((level, _)) = &self.level {
            let note_font = text(m.tick * 0.85).pos(Pos::new(HPos::Left, VPos::Bottom));
            let mut notes_drawn = 0;
            for tip in self.tips {
                let (color, _) = series_look(tip.series);
                let r = (m.line * 3) as i32;
                let x = tip.x.clamp(x_lo, x_hi);
                let (cx, cy) = ctx.backend_coord(&(x, *level));
                if tip.at_or_below {
                    // One note for every strategy that tips at the edge.
                    if notes_drawn == 0 {
                        root.draw(&Text::new(
                            format!("at or below {}", plain(tip.x)),
                            (cx + r + m.margin as i32 / 2, cy - r),
                            note_font.clone(),
                        ))?;
                    }
                    notes_drawn += 1;
                }
                let diamond = vec![(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)];
                // In the whole image's pixels, as `backend_coord` gives them.
                root.draw(&Polygon::new(diamond.clone(), color.filled()))?;
                let mut outline = diamond;
                outline.push((cx, cy - r));
                root.draw(&PathElement::new(outline, TEXT_COLOR.stroke_width(1)))?;
            }
        }
        // The legend, in its own column right of the plot.
        legend.draw(&legend_area, &m, nudge)?;
        Ok(())
    }
}
