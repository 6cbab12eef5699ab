//! Legends: the curve chart's box in the corner the curves leave free, and
//! the sweep chart's column right of its plot. Both are laid out by hand
//! rather than with plotters' series labels so the padding is even and the
//! samples line up with the (nudged) rasterised text.

use plotters::coord::types::{RangedCoordf64, RangedCoordu32};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::RGBColor;

use super::curve::CurveSeries;
use super::text::{fit_text, text};
use super::theme::{series_look, Metrics, LEGEND_BORDER};

/// Draw the curve chart's legend box (a sample band + line and the name of
/// each series) into whichever corner of the plot hides the fewest data
/// points, preferring the upper left, where cumulative reach curves rarely
/// are.
pub(super) fn draw_legend<DB: DrawingBackend>(
    ctx: &ChartContext<DB, Cartesian2d<RangedCoordu32, RangedCoordf64>>,
    series: &[CurveSeries],
    m: &Metrics,
    nudge: i32,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let area = ctx.plotting_area();
    let font = text(m.legend).pos(Pos::new(HPos::Left, VPos::Center));
    // Names longer than half the plot width are shortened with an ellipsis.
    let (plot_w, _) = area.dim_in_pixel();
    let names: Vec<String> = series
        .iter()
        .map(|s| fit_text(&area.strip_coord_spec(), s.name, &font, plot_w / 2))
        .collect();
    let text_w = names
        .iter()
        .map(|name| {
            area.estimate_text_size(name, &font)
                .map(|(w, _)| w as i32)
                .unwrap_or(0)
        })
        .max()
        .unwrap_or(0);
    let em = m.legend;
    let pad = (em * 0.6).round() as i32;
    let row = (em * 1.3).round() as i32;
    let sample = (em * 1.6).round() as i32;
    let gap = (em * 0.5).round() as i32;
    let half_band = (em * 0.3).round() as i32;
    // All positions here are in backend pixels.
    let (px_range, py_range) = area.get_pixel_range();
    let inset = m.margin as i32;
    // Entries run down in columns, as many columns as needed to fit the height.
    let entry_h = em.round() as i32;
    let fit_rows = (py_range.end - py_range.start - 2 * inset - 2 * pad - entry_h) / row + 1;
    let rows = fit_rows.clamp(1, series.len() as i32);
    let cols = (series.len() as i32 + rows - 1) / rows;
    let col_w = sample + gap + text_w + 2 * pad;
    let box_w = pad + cols * col_w - pad;
    let box_h = pad + (rows - 1) * row + entry_h + pad;

    // Candidate top-left corners, in order of preference.
    let xl = px_range.start + inset;
    let xr = (px_range.end - inset - box_w).max(xl);
    let yt = py_range.start + inset;
    let yb = (py_range.end - inset - box_h).max(yt);
    let candidates = [(xl, yt), (xr, yb), (xr, yt), (xl, yb)];
    // Pixel positions along every curve and band edge, with extra points
    // between steps when steps are far apart, so that a straight segment
    // crossing a candidate box is noticed even without a vertex inside it.
    let steps = series
        .iter()
        .map(|s| s.mean.len())
        .max()
        .unwrap_or(1)
        .max(2)
        - 1;
    let px_per_step = (px_range.end - px_range.start).max(1) as usize / steps;
    let subdiv = (px_per_step / 4).clamp(1, 32);
    let mut pixels = Vec::new();
    for v in series.iter().flat_map(|s| [s.mean, s.p05, s.p95]) {
        for (i, &y) in v.iter().enumerate() {
            let (x0, y0) = ctx.backend_coord(&(i as u32, y));
            pixels.push((x0, y0));
            if let Some(&next) = v.get(i + 1) {
                let (x1, y1) = ctx.backend_coord(&(i as u32 + 1, next));
                for k in 1..subdiv as i32 {
                    let t = |a: i32, b: i32| a + (b - a) * k / subdiv as i32;
                    pixels.push((t(x0, x1), t(y0, y1)));
                }
            }
        }
    }
    let hidden = |(x0, y0): (i32, i32)| {
        pixels
            .iter()
            .filter(|&&(px, py)| px >= x0 && px <= x0 + box_w && py >= y0 && py <= y0 + box_h)
            .count()
    };
    let mut best = candidates[0];
    let mut best_hidden = hidden(best);
    for &c in &candidates[1..] {
        let h = hidden(c);
        if h < best_hidden {
            (best, best_hidden) = (c, h);
        }
    }

    // Drawing coordinates of the stripped area are relative to its corner.
    let root = area.strip_coord_spec();
    let (bx, by) = (best.0 - px_range.start, best.1 - py_range.start);
    root.draw(&Rectangle::new(
        [(bx, by), (bx + box_w, by + box_h)],
        WHITE.mix(0.9).filled(),
    ))?;
    root.draw(&Rectangle::new(
        [(bx, by), (bx + box_w, by + box_h)],
        LEGEND_BORDER.stroke_width(1),
    ))?;
    for (i, name) in names.iter().enumerate() {
        let (color, dashed) = series_look(i);
        let (col, r) = (i as i32 / rows, i as i32 % rows);
        let cy = by + pad + row * r + entry_h / 2;
        let sx = bx + pad + col * col_w;
        root.draw(&Rectangle::new(
            [(sx, cy - half_band), (sx + sample, cy + half_band)],
            color.mix(0.25).filled(),
        ))?;
        line_sample(&root, (sx, cy), sample, (color, dashed), m.line)?;
        root.draw(&Text::new(
            name.as_str(),
            (sx + sample + gap, cy + nudge),
            font.clone(),
        ))?;
    }
    Ok(())
}

/// A series' line (its colour, and whether it is dashed) as a legend shows
/// it, `length` pixels right of `(x, y)`: solid, or for a dashed series one
/// dash at each end.
fn line_sample<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    length: i32,
    (color, dashed): (RGBColor, bool),
    width: u32,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let stroke = color.stroke_width(width);
    if dashed {
        let seg = length * 2 / 5;
        area.draw(&PathElement::new(vec![(x, y), (x + seg, y)], stroke))?;
        area.draw(&PathElement::new(
            vec![(x + length - seg, y), (x + length, y)],
            stroke,
        ))?;
    } else {
        area.draw(&PathElement::new(vec![(x, y), (x + length, y)], stroke))?;
    }
    Ok(())
}

/// The sweep chart's legend: a column right of the plot, one line sample
/// and name per entry, the names cut short to a quarter of the chart's
/// width.
pub(super) struct ColumnLegend {
    /// Per entry: its colour and whether its line is dashed.
    looks: Vec<(RGBColor, bool)>,
    names: Vec<String>,
    font: TextStyle<'static>,
    sample: u32,
    pad: u32,
    /// The column's width in pixels.
    pub(super) width: u32,
}

impl ColumnLegend {
    /// The legend of `entries` (name, colour, dashed) on a chart drawn on
    /// `root`.
    pub(super) fn new<DB: DrawingBackend>(
        root: &DrawingArea<DB, Shift>,
        entries: Vec<(String, RGBColor, bool)>,
        m: &Metrics,
    ) -> Self {
        let (width, _) = root.dim_in_pixel();
        let font = text(m.legend).pos(Pos::new(HPos::Left, VPos::Center));
        let max_name = width / 4;
        let names: Vec<String> = entries
            .iter()
            .map(|(n, _, _)| fit_text(root, n, &font, max_name))
            .collect();
        let name_w = names
            .iter()
            .map(|n| root.estimate_text_size(n, &font).map_or(0, |(w, _)| w))
            .max()
            .unwrap_or(0);
        let sample = (m.legend * 1.6).round() as u32;
        let pad = (m.legend * 0.6).round() as u32;
        ColumnLegend {
            looks: entries.iter().map(|&(_, c, d)| (c, d)).collect(),
            names,
            font,
            sample,
            pad,
            width: sample + pad * 3 + name_w,
        }
    }

    /// Draw the legend on `area`, the column split off for it.
    pub(super) fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        m: &Metrics,
        nudge: i32,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let (sample, pad) = (self.sample as i32, self.pad as i32);
        let row = (m.legend * 1.4).round() as i32;
        let top = (m.title * 1.5) as i32 + m.margin as i32;
        let box_h = row * self.names.len() as i32 + pad;
        let box_w = self.width as i32 - pad;
        area.draw(&Rectangle::new(
            [(0, top), (box_w, top + box_h)],
            LEGEND_BORDER.stroke_width(1),
        ))?;
        for (k, (&look, name)) in self.looks.iter().zip(&self.names).enumerate() {
            let cy = top + pad / 2 + row * k as i32 + row / 2;
            let sx = pad;
            line_sample(area, (sx, cy), sample, look, m.line)?;
            area.draw(&Text::new(
                name.as_str(),
                (sx + sample + pad, cy + nudge),
                self.font.clone(),
            ))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::report::chart::tests::{chart, Data};
    use crate::report::chart::{render_svg, CurveSeries};

    /// x of the legend's background box in an SVG rendering.
    fn legend_x(svg: &str) -> u32 {
        let line = svg
            .lines()
            .find(|l| l.starts_with("<rect") && l.contains("opacity=\"0.9\""))
            .expect("legend box");
        let x = line
            .split("x=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        x.parse().unwrap()
    }

    #[test]
    fn legend_avoids_the_curves() {
        // Rising reach curves leave the upper left free.
        let d = Data::curves(3, 50, 1_000.0);
        let s = d.series();
        assert!(legend_x(&render_svg(&chart(&s), 800, 500).unwrap()) < 400);
        // A falling curve fills the upper left: the legend moves right.
        let down: Vec<f64> = (0..=10).map(|t| 1_000.0 - 90.0 * t as f64).collect();
        let s = [CurveSeries {
            name: "falling",
            mean: &down,
            p05: &down,
            p95: &down,
        }];
        assert!(legend_x(&render_svg(&chart(&s), 800, 500).unwrap()) > 400);
        // No series: no legend box at all.
        let svg = render_svg(&chart(&[]), 800, 500).unwrap();
        assert!(!svg.contains("opacity=\"0.9\""));
    }
}
