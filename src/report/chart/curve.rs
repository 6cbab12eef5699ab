//! A metric over time (`reach.png` and the other curve charts): one line
//! per strategy, its mean per step over its 5-95% band (light, outlined,
//! under every line), with the legend in a column right of the plot.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::legend::{ColumnLegend, Look};
use super::text::{text, title_area};
use super::theme::{series_look, AXIS_COLOR, BAND_EDGE, BAND_FILL, BAND_NOTE_COLOR, GRID_COLOR};
use super::{begin, draw_pixel_path, Drawable};
use crate::report::format::{axis_tick, number};

/// One line on a chart: a strategy's curve with its 5–95% band.
pub struct CurveSeries<'a> {
    pub name: &'a str,
    /// Mean value per step (index = step 0..=steps).
    pub mean: &'a [f64],
    /// 5th and 95th percentiles per step (same length as mean).
    pub p05: &'a [f64],
    pub p95: &'a [f64],
}

/// What to draw: title, axis labels, series.
pub struct CurveChart<'a> {
    pub title: &'a str,
    /// X axis label, e.g. "step".
    pub x_label: &'a str,
    /// Y axis label, e.g. "people reached (cumulative)".
    pub y_label: &'a str,
    pub series: &'a [CurveSeries<'a>],
}

/// What the legend says the shaded bands are.
pub const BAND_NOTE: &str = "shaded: 5-95% of runs";

impl Drawable for CurveChart<'_> {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        raster_text: bool,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        draw_curves(root, self, raster_text)
    }
}

fn finite_max(values: &[f64]) -> Option<f64> {
    values
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .reduce(f64::max)
}

fn finite_min(values: &[f64]) -> Option<f64> {
    values
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .reduce(f64::min)
}

/// Y axis range: from 0 (or the smallest value if negative) to a bit above
/// the largest 95th percentile (or mean, whichever is larger).
fn y_range(series: &[CurveSeries]) -> (f64, f64) {
    let hi = series
        .iter()
        .flat_map(|s| [finite_max(s.p95), finite_max(s.mean), finite_max(s.p05)])
        .flatten()
        .reduce(f64::max)
        .unwrap_or(0.0);
    let lo = series
        .iter()
        .flat_map(|s| [finite_min(s.p05), finite_min(s.mean), finite_min(s.p95)])
        .flatten()
        .reduce(f64::min)
        .unwrap_or(0.0)
        .min(0.0);
    let span = hi - lo;
    if span <= f64::EPSILON * hi.abs().max(1.0) {
        // All values equal (e.g. all zeros): give the axis a unit of height.
        return (lo, lo + 1.0);
    }
    let pad = span * 0.06;
    (if lo < 0.0 { lo - pad } else { lo }, hi + pad)
}

/// Number of steps on the x axis (largest series length minus one, at least 1).
fn x_max(series: &[CurveSeries]) -> u32 {
    let steps = series
        .iter()
        .map(|s| s.mean.len().max(s.p05.len().min(s.p95.len())))
        .max()
        .unwrap_or(0)
        .saturating_sub(1);
    u32::try_from(steps).unwrap_or(u32::MAX).max(1)
}

/// Draw `chart` on `root`, for either backend ([`begin`] says what
/// `raster_text` changes).
fn draw_curves<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &CurveChart,
    raster_text: bool,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (m, nudge) = begin(root, raster_text)?;
    let mut entries: Vec<(String, RGBColor, Look)> = chart
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (color, dashed) = series_look(i);
            (s.name.to_string(), color, Look::Series { dashed })
        })
        .collect();
    if !entries.is_empty() {
        entries.push((BAND_NOTE.to_string(), BAND_NOTE_COLOR, Look::Band));
    }
    let legend = ColumnLegend::new(root, entries, &m);
    let below = title_area(root, chart.title, &m)?;
    let (full_w, _) = below.dim_in_pixel();
    let (plot_area, legend_area) = below.split_horizontally(full_w.saturating_sub(legend.width));
    let root = &plot_area;
    let (width, height) = root.dim_in_pixel();
    let (y_lo, y_hi) = y_range(chart.series);
    let x_hi = x_max(chart.series);

    // Size the label areas from the widest/tallest tick label we may print.
    let tick_font = text(m.tick);
    let desc_font = text(m.desc);
    let text_w =
        |s: &str, f: &TextStyle| root.estimate_text_size(s, f).map(|(w, _)| w).unwrap_or(0);
    let text_h = |f: &TextStyle| {
        root.estimate_text_size("0Ag", f)
            .map(|(_, h)| h)
            .unwrap_or(0)
    };
    let widest_tick = [
        y_hi,
        y_hi * 0.95,
        y_lo,
        (y_hi + y_lo) * 0.55,
        (y_hi - y_lo) * 0.05,
    ]
    .iter()
    .map(|&v| text_w(&axis_tick(v, (y_lo, y_hi)), &tick_font))
    .max()
    .unwrap_or(0);
    let gap = m.margin / 2;
    let has_y_desc = !chart.y_label.is_empty();
    let has_x_desc = !chart.x_label.is_empty();
    let y_area = widest_tick
        + gap * 2
        + if has_y_desc {
            text_h(&desc_font) + gap
        } else {
            0
        };
    let x_area = text_h(&tick_font)
        + gap * 2
        + if has_x_desc {
            text_h(&desc_font) + gap
        } else {
            0
        };
    // Never let the label areas eat the whole image.
    let y_area = y_area.min(width / 3);
    let x_area = x_area.min(height / 3);

    // Room for half of the last x tick label, which is centred on the edge.
    let last_x_label = text_w(&number(f64::from(x_hi), 0), &tick_font);
    let right_margin = (m.margin * 2).max(last_x_label / 2 + gap).min(width / 4);

    let mut builder = ChartBuilder::on(root);
    builder
        .margin(m.margin)
        .margin_right(right_margin)
        .x_label_area_size(x_area)
        .y_label_area_size(y_area);
    let mut ctx = builder.build_cartesian_2d(0u32..x_hi, y_lo..y_hi)?;

    let y_fmt = |v: &f64| axis_tick(*v, (y_lo, y_hi));
    let x_fmt = |v: &u32| number(f64::from(*v), 0);
    let plot_w = width.saturating_sub(y_area + m.margin * 3);
    // About one x tick per 7 characters of label width, at most 12.
    let max_x_ticks = (plot_w as usize / (m.tick as usize * 4).max(1)).clamp(2, 12);
    ctx.configure_mesh()
        .x_labels(max_x_ticks.min(x_hi as usize + 1))
        .y_labels(8)
        .y_label_offset(nudge)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .label_style(text(m.tick))
        .axis_desc_style(text(m.desc))
        .x_desc(chart.x_label)
        .y_desc(chart.y_label)
        .bold_line_style(GRID_COLOR.stroke_width(1))
        .light_line_style(TRANSPARENT)
        .axis_style(AXIS_COLOR.stroke_width(1))
        .set_all_tick_mark_size(gap.max(2))
        .draw()?;

    // Bands first so that every line is drawn on top of every band; each
    // band light, with its edges drawn so a narrow band shows inside a
    // wide one.
    for (i, s) in chart.series.iter().enumerate() {
        let (color, _) = series_look(i);
        let n = s.p05.len().min(s.p95.len());
        if n >= 2 {
            let upper = s.p95[..n].iter().enumerate().map(|(x, &y)| (x as u32, y));
            let lower = s.p05[..n]
                .iter()
                .enumerate()
                .rev()
                .map(|(x, &y)| (x as u32, y));
            let outline: Vec<(u32, f64)> = upper.chain(lower).collect();
            ctx.draw_series(std::iter::once(Polygon::new(
                outline,
                color.mix(BAND_FILL).filled(),
            )))?;
            for edge in [&s.p05[..n], &s.p95[..n]] {
                let pixels = edge
                    .iter()
                    .enumerate()
                    .map(|(x, &y)| ctx.backend_coord(&(x as u32, y)));
                draw_pixel_path(root, pixels, color.mix(BAND_EDGE).stroke_width(1))?;
            }
        } else if n == 1 {
            // A single step: show the band as an error bar.
            let w = m.line;
            ctx.draw_series(std::iter::once(PathElement::new(
                vec![(0u32, s.p05[0]), (0u32, s.p95[0])],
                color.mix(BAND_EDGE).stroke_width(w * 3),
            )))?;
        }
    }

    for (i, s) in chart.series.iter().enumerate() {
        let (color, dashed) = series_look(i);
        let style = color.stroke_width(m.line);
        let points = s.mean.iter().enumerate().map(|(x, &y)| (x as u32, y));
        let dash = (m.line * 4) as i32;
        if dashed {
            ctx.draw_series(DashedLineSeries::new(points, dash, dash * 2 / 3, style))?;
        } else {
            let pixels = points.map(|p| ctx.backend_coord(&p));
            draw_pixel_path(root, pixels, style)?;
        }
        if s.mean.len() == 1 {
            ctx.draw_series(std::iter::once(Circle::new(
                (0u32, s.mean[0]),
                m.line * 2 + 1,
                color.filled(),
            )))?;
        }
    }

    // Legend text is at tick size: the same nudge.
    legend.draw(&legend_area, &m, nudge)?;
    Ok(())
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::chart::tests::{chart, png_bytes, png_size, Data};
    use crate::report::chart::{render_svg, MIN_DIMENSION};

    #[test]
    fn edge_cases_do_not_panic() {
        let zeros = vec![0.0; 11];
        let one = [3.0];
        let one_lo = [2.0];
        let one_hi = [4.5];
        let two = [0.0, 1.0];
        let many = Data::curves(11, 200, 2_500_000.0);
        let many_series = many.series();
        let cases: Vec<Vec<CurveSeries>> = vec![
            vec![],
            vec![CurveSeries {
                name: "zeros",
                mean: &zeros,
                p05: &zeros,
                p95: &zeros,
            }],
            vec![CurveSeries {
                name: "single step",
                mean: &one,
                p05: &one_lo,
                p95: &one_hi,
            }],
            vec![CurveSeries {
                name: "two points",
                mean: &two,
                p05: &two,
                p95: &two,
            }],
            vec![CurveSeries {
                name: "empty",
                mean: &[],
                p05: &[],
                p95: &[],
            }],
            vec![CurveSeries {
                name: "mismatched lengths",
                mean: &zeros,
                p05: &two,
                p95: &one,
            }],
            many_series,
        ];
        for series in &cases {
            let c = chart(series);
            for (w, h) in [(800, 500), (MIN_DIMENSION, MIN_DIMENSION), (1600, 300)] {
                let svg = render_svg(&c, w, h).unwrap();
                // (Tiny images shorten the names to fit.)
                for s in series.iter().filter(|_| w >= 800) {
                    assert!(svg.contains(s.name));
                }
                assert_eq!(png_size(&png_bytes(&c, w, h)), (w, h));
            }
        }
        // Empty title and axis labels.
        let empty = CurveChart {
            title: "",
            x_label: "",
            y_label: "",
            series: &[],
        };
        render_svg(&empty, 300, 200).unwrap();
        png_bytes(&empty, 300, 200);
    }

    #[test]
    fn ranges() {
        let d = Data::curves(2, 10, 100.0);
        let s = d.series();
        let (lo, hi) = y_range(&s);
        let top = s
            .iter()
            .map(|s| finite_max(s.p95).unwrap())
            .fold(0.0, f64::max);
        assert_eq!(lo, 0.0);
        assert!(hi > top && hi < top * 1.2);
        assert_eq!(x_max(&s), 10);
        assert_eq!(y_range(&[]), (0.0, 1.0));
        assert_eq!(x_max(&[]), 1);
    }
}
