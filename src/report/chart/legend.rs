//! Legends: a column right of the plot, for the curve and sweep charts.
//! Laid out by hand rather than with plotters' series labels so that the
//! padding is even, the samples line up with the (nudged) rasterised text,
//! and the legend never sits on the data.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::RGBColor;

use super::text::{fit_text, text};
use super::theme::{Metrics, BAND_EDGE, BAND_FILL, LEGEND_BORDER};

/// How a legend entry is drawn: the look of the line (or band) it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Look {
    /// A series' line over a swatch of its band.
    Series { dashed: bool },
    /// A reference line of long dashes.
    Dashed,
    /// A reference line of dots.
    Dotted,
    /// A band alone: what the shaded areas are.
    Band,
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

/// A dotted line as the charts draw one: dots of the line's width, two
/// widths apart.
pub(super) fn dots(width: u32) -> (i32, i32) {
    let w = width.max(2) as i32;
    (w, w * 2)
}

/// A legend in a column of its own right of the plot, so that it never
/// covers data: one sample and name per entry, the names cut short to
/// 30% of the chart's width, the font made smaller when the entries
/// would not fit the chart's height.
pub(super) struct ColumnLegend {
    looks: Vec<(RGBColor, Look)>,
    names: Vec<String>,
    font: TextStyle<'static>,
    /// Font size of the names, in pixels.
    size: f64,
    sample: u32,
    pad: u32,
    /// The column's width in pixels.
    pub(super) width: u32,
}

impl ColumnLegend {
    /// The legend of `entries` (name, colour, look) on a chart drawn on
    /// `root`.
    pub(super) fn new<DB: DrawingBackend>(
        root: &DrawingArea<DB, Shift>,
        entries: Vec<(String, RGBColor, Look)>,
        m: &Metrics,
    ) -> Self {
        let (width, height) = root.dim_in_pixel();
        // Rows are 1.4 font sizes apart below the title's room.
        let room = f64::from(height) - m.title * 1.5 - f64::from(m.margin) * 4.0;
        let fits = room / (1.4 * entries.len().max(1) as f64 + 0.6);
        let size = m.legend.min(fits.floor()).max(6.0);
        let font = text(size).pos(Pos::new(HPos::Left, VPos::Center));
        let max_name = width * 3 / 10;
        let names: Vec<String> = entries
            .iter()
            .map(|(n, _, _)| fit_text(root, n, &font, max_name))
            .collect();
        let name_w = names
            .iter()
            .map(|n| root.estimate_text_size(n, &font).map_or(0, |(w, _)| w))
            .max()
            .unwrap_or(0);
        let sample = (size * 1.6).round() as u32;
        let pad = (size * 0.6).round() as u32;
        ColumnLegend {
            looks: entries.iter().map(|&(_, c, l)| (c, l)).collect(),
            names,
            font,
            size,
            sample,
            pad,
            // Room for the estimate of the names' width to fall short.
            width: if entries.is_empty() {
                0
            } else {
                sample + pad * 5 + name_w + name_w / 20
            },
        }
    }

    /// Draw the legend on `area`, the column split off for it.
    pub(super) fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        m: &Metrics,
        nudge: i32,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        if self.names.is_empty() {
            return Ok(());
        }
        let (sample, pad) = (self.sample as i32, self.pad as i32);
        let row = (self.size * 1.4).round() as i32;
        let half_band = (self.size * 0.35).round() as i32;
        let top = m.margin as i32;
        let box_h = row * self.names.len() as i32 + pad;
        let box_w = self.width as i32 - pad * 2;
        area.draw(&Rectangle::new(
            [(0, top), (box_w, top + box_h)],
            LEGEND_BORDER.stroke_width(1),
        ))?;
        for (k, (&(color, look), name)) in self.looks.iter().zip(&self.names).enumerate() {
            let cy = top + pad / 2 + row * k as i32 + row / 2;
            let sx = pad;
            let band = [(sx, cy - half_band), (sx + sample, cy + half_band)];
            match look {
                Look::Series { dashed } => {
                    area.draw(&Rectangle::new(band, color.mix(BAND_FILL).filled()))?;
                    line_sample(area, (sx, cy), sample, (color, dashed), m.line)?;
                }
                Look::Dashed => line_sample(area, (sx, cy), sample, (color, true), m.line)?,
                Look::Dotted => {
                    let (dot, gap) = dots(m.line);
                    let mut x = sx;
                    while x + dot <= sx + sample {
                        area.draw(&PathElement::new(
                            vec![(x, cy), (x + dot, cy)],
                            color.stroke_width(m.line.max(2)),
                        ))?;
                        x += dot + gap;
                    }
                }
                Look::Band => {
                    area.draw(&Rectangle::new(band, color.mix(BAND_FILL).filled()))?;
                    area.draw(&Rectangle::new(band, color.mix(BAND_EDGE).stroke_width(1)))?;
                }
            }
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
    use crate::report::chart::tests::{chart, legend_box, polyline_points, Data};
    use crate::report::chart::{render_svg, CurveSeries};

    #[test]
    fn legend_sits_right_of_every_line() {
        let d = Data::curves(3, 50, 1_000.0);
        let s = d.series();
        let down: Vec<f64> = (0..=10).map(|t| 1_000.0 - 90.0 * t as f64).collect();
        let falling = [CurveSeries {
            name: "falling",
            mean: &down,
            p05: &down,
            p95: &down,
        }];
        for series in [&s[..], &falling[..]] {
            let svg = render_svg(&chart(series), 800, 500).unwrap();
            let (x, y, w, h) = legend_box(&svg).expect("a legend");
            let inside = |&(px, py): &(f64, f64)| px >= x && px <= x + w && py >= y && py <= y + h;
            // The legend's own samples aside, every line ends left of it.
            let right = polyline_points(&svg)
                .iter()
                .filter(|l| !l.iter().all(inside))
                .flatten()
                .map(|p| p.0)
                .fold(f64::MIN, f64::max);
            assert!(
                right < x,
                "a line reaches x={right}, the legend starts at {x}"
            );
        }
        // No series: no legend box at all.
        let svg = render_svg(&chart(&[]), 800, 500).unwrap();
        assert!(legend_box(&svg).is_none());
    }
}
