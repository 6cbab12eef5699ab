//! One strategy's final reach over a two-key sweep (`sweep-N-NAME.png`): a
//! grid of cells coloured on a scale shared by every strategy's heatmap,
//! the value written in each cell that has room, and the colour scale
//! beside.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::text::{fit_title, text};
use super::theme::{scale_color, AXIS_COLOR, FONT_FAMILY, TEXT_COLOR};
use super::{begin, Drawable};
use crate::report::format::{axis_tick, decimals_for, trimmed};

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
