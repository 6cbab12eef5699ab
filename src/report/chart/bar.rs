//! The strategies' bars (`strategies.png`): one horizontal bar per
//! strategy with its 95% CI as whiskers, the best outlined, and a value and
//! note right of each. A bar may be split in two segments (reach in the
//! target, then the reach wasted outside it), a legend saying which.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::text::{fit_title, text};
use super::theme::{AXIS_COLOR, GRID_COLOR, PALETTE, TEXT_COLOR};
use super::{begin, Drawable};
use crate::report::format::{axis_tick, number};

/// One bar: a strategy's mean with its 95% confidence interval.
pub struct Bar<'a> {
    pub name: &'a str,
    pub mean: f64,
    pub ci95_low: f64,
    pub ci95_high: f64,
    /// Marked as the best strategy.
    pub best: bool,
    /// Shown after the mean (e.g. what the strategy cost); may be empty.
    pub note: &'a str,
    /// The part of the mean drawn as the first, solid segment; the rest is
    /// drawn pale. None: one segment.
    pub inner: Option<f64>,
    /// The strategy's place in the scenario: its colour on every chart,
    /// wherever the bar sits.
    pub series: usize,
}

/// Horizontal bars, one per strategy, first at the top, each in the colour
/// its series has on the curve charts.
pub struct BarChart<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub bars: &'a [Bar<'a>],
    /// The legend of split bars: what the solid and the pale segment
    /// stand for.
    pub split: Option<[&'a str; 2]>,
}

impl Drawable for BarChart<'_> {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        raster_text: bool,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let (width, _) = root.dim_in_pixel();
        let (m, nudge) = begin(root, raster_text)?;
        let tick_font = text(m.tick);
        let label = |b: &Bar| {
            if b.best {
                format!("{}, best", b.name)
            } else {
                b.name.to_string()
            }
        };
        let text_w = |s: &str| {
            root.estimate_text_size(s, &tick_font)
                .map(|(w, _)| w)
                .unwrap_or(0)
        };
        let name_area = self
            .bars
            .iter()
            .map(|b| text_w(&label(b)))
            .max()
            .unwrap_or(0)
            + m.margin;
        let name_area = name_area.min(width * 2 / 5);
        let x_hi = self
            .bars
            .iter()
            .flat_map(|b| [b.mean, b.ci95_high])
            .filter(|v| v.is_finite())
            .fold(0.0f64, f64::max);
        let value_text = |b: &Bar| {
            let value = number(b.mean.round(), 0);
            if b.note.is_empty() {
                value
            } else {
                format!("{value}  ({})", b.note)
            }
        };
        // Room right of the longest bar for its value and note: at least
        // the widest such text (longer notes need more), but never leaving
        // the bars less than a third of the plot.
        let room: f64 = if self.bars.iter().any(|b| !b.note.is_empty()) {
            1.45
        } else {
            1.12
        };
        let plot_w = width.saturating_sub(name_area + 3 * m.margin).max(1) as f64;
        let widest = self
            .bars
            .iter()
            .map(|b| text_w(&value_text(b)) + m.margin)
            .max()
            .unwrap_or(0) as f64;
        let room = room.max(plot_w / (plot_w - widest).max(plot_w / 3.0));
        let x_hi = if x_hi > 0.0 { x_hi * room } else { 1.0 };
        let n = self.bars.len().max(1) as f64;
        let (title, title_size) = fit_title(root, self.title, &m);
        let mut chart = ChartBuilder::on(root)
            .margin(m.margin)
            .margin_right(m.margin * 2)
            .caption(&title, text(title_size))
            .x_label_area_size((m.tick + m.desc) as u32 + m.margin * 2)
            .y_label_area_size(name_area)
            .build_cartesian_2d(0.0..x_hi, -0.5..n - 0.5)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .disable_y_axis()
            .max_light_lines(0)
            .bold_line_style(GRID_COLOR)
            .axis_style(AXIS_COLOR)
            .x_labels(8)
            .x_label_formatter(&|v| axis_tick(*v, (0.0, x_hi)))
            .x_label_style(tick_font.clone())
            .x_desc(self.x_label)
            .axis_desc_style(text(m.desc))
            .draw()?;
        let half = 0.32;
        for (i, bar) in self.bars.iter().enumerate() {
            // First bar on top.
            let y = n - 1.0 - i as f64;
            let colour = PALETTE[bar.series % PALETTE.len()];
            let corners = [(0.0, y - half), (bar.mean.max(0.0), y + half)];
            match bar.inner {
                Some(inner) => {
                    let inner = inner.clamp(0.0, bar.mean.max(0.0));
                    chart.draw_series([
                        Rectangle::new(
                            [(0.0, y - half), (inner, y + half)],
                            colour.mix(0.85).filled(),
                        ),
                        Rectangle::new(
                            [(inner, y - half), (bar.mean.max(0.0), y + half)],
                            colour.mix(0.25).filled(),
                        ),
                    ])?;
                }
                None => {
                    chart.draw_series(std::iter::once(Rectangle::new(
                        corners,
                        colour.mix(0.6).filled(),
                    )))?;
                }
            }
            if bar.best {
                let outline = TEXT_COLOR.stroke_width(m.line);
                chart.draw_series(std::iter::once(Rectangle::new(corners, outline)))?;
            }
            if bar.ci95_low.is_finite() && bar.ci95_high.is_finite() {
                let whisker = TEXT_COLOR.stroke_width(m.line);
                let cap = half / 2.0;
                chart.draw_series([
                    PathElement::new(vec![(bar.ci95_low, y), (bar.ci95_high, y)], whisker),
                    PathElement::new(
                        vec![(bar.ci95_low, y - cap), (bar.ci95_low, y + cap)],
                        whisker,
                    ),
                    PathElement::new(
                        vec![(bar.ci95_high, y - cap), (bar.ci95_high, y + cap)],
                        whisker,
                    ),
                ])?;
            }
            let (left, mid) = chart.backend_coord(&(0.0, y));
            root.draw_text(
                &label(bar),
                &tick_font.pos(Pos::new(HPos::Right, VPos::Center)),
                (left - (m.margin as i32) / 2, mid + nudge),
            )?;
            let (right, _) = chart.backend_coord(&(bar.ci95_high.max(bar.mean).min(x_hi), y));
            root.draw_text(
                &value_text(bar),
                &tick_font.pos(Pos::new(HPos::Left, VPos::Center)),
                (right + (m.margin as i32) / 2, mid + nudge),
            )?;
        }
        if let Some([solid, pale]) = self.split {
            // Solid and pale swatches in the text colour, top right.
            let swatch = m.tick as i32;
            let (right, top) = chart.backend_coord(&(x_hi, n - 0.5));
            let mut x = right - m.margin as i32;
            let y = top + m.margin as i32 / 2;
            for (words, shade) in [(pale, 0.25), (solid, 0.85)] {
                let w = text_w(words) as i32;
                x -= w;
                root.draw_text(
                    words,
                    &tick_font.pos(Pos::new(HPos::Left, VPos::Center)),
                    (x, y + swatch / 2 + nudge),
                )?;
                x -= swatch + m.margin as i32 / 2;
                root.draw(&Rectangle::new(
                    [(x, y), (x + swatch, y + swatch)],
                    TEXT_COLOR.mix(shade).filled(),
                ))?;
                x -= m.margin as i32 * 2;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::chart::tests::png_size;
    use crate::report::chart::{render_png, render_svg};

    fn bars() -> Vec<Bar<'static>> {
        vec![
            Bar {
                name: "random people",
                mean: 1200.0,
                ci95_low: 1100.0,
                ci95_high: 1300.0,
                best: false,
                note: "",
                inner: None,
                series: 0,
            },
            Bar {
                name: "top influencers",
                mean: 26000.0,
                ci95_low: 25800.0,
                ci95_high: 26200.0,
                best: true,
                note: "cost 5,000",
                inner: None,
                series: 1,
            },
            Bar {
                name: "our ambassadors",
                mean: 5800.0,
                ci95_low: 5400.0,
                ci95_high: 6200.0,
                best: false,
                note: "",
                inner: None,
                series: 2,
            },
        ]
    }

    #[test]
    fn bar_chart_names_every_strategy_and_marks_the_best() {
        let b = bars();
        let c = BarChart {
            title: "launch: reach per strategy",
            x_label: "people reached",
            bars: &b,
            split: None,
        };
        let png = render_png(&c, 900, 420).unwrap();
        assert_eq!(png_size(&png), (900, 420));
        assert_eq!(
            png,
            render_png(&c, 900, 420).unwrap(),
            "PNG must be deterministic"
        );
        let svg = render_svg(&c, 900, 420).unwrap();
        for text in [
            "random people",
            "top influencers, best",
            "our ambassadors",
            "people reached",
            "launch: reach per strategy",
            "26,000  (cost 5,000)",
        ] {
            assert!(svg.contains(text), "SVG lacks {text}");
        }
        assert_eq!(svg, render_svg(&c, 900, 420).unwrap());
    }

    #[test]
    fn split_bars_say_which_segment_is_which() {
        let mut b = bars();
        for bar in &mut b {
            bar.inner = Some(bar.mean / 3.0);
        }
        let c = BarChart {
            title: "reach in the target",
            x_label: "people reached",
            bars: &b,
            split: Some(["in target", "outside it (wasted)"]),
        };
        let svg = render_svg(&c, 900, 420).unwrap();
        for text in ["in target", "outside it (wasted)", "top influencers, best"] {
            assert!(svg.contains(text), "SVG lacks {text}");
        }
        let plain = BarChart { split: None, ..c };
        assert_ne!(svg, render_svg(&plain, 900, 420).unwrap());
        render_png(&plain, 900, 420).unwrap();
    }

    #[test]
    fn bar_chart_edge_cases_do_not_panic() {
        let none: Vec<Bar> = Vec::new();
        let zero = [Bar {
            name: "nobody shares",
            mean: 0.0,
            ci95_low: 0.0,
            ci95_high: 0.0,
            best: true,
            note: "",
            inner: None,
            series: 3,
        }];
        let unbounded = [Bar {
            name: "two runs",
            mean: 5.0,
            ci95_low: f64::NEG_INFINITY,
            ci95_high: f64::INFINITY,
            best: false,
            note: "",
            inner: None,
            series: 4,
        }];
        for b in [&none[..], &zero[..], &unbounded[..]] {
            let c = BarChart {
                title: "t",
                x_label: "x",
                bars: b,
                split: None,
            };
            render_png(&c, 400, 300).unwrap();
            render_svg(&c, 400, 300).unwrap();
        }
    }
}
