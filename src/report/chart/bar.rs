//! The strategies' bars (`strategies.png`): one horizontal bar per
//! strategy with its 95% CI as whiskers, the best outlined, and a value and
//! note right of each. A bar may be split in two segments (reach in the
//! target, then the reach wasted outside it), a legend saying which.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::text::{text, title_area};
use super::theme::{AXIS_COLOR, GRID_COLOR, PALETTE, TEXT_COLOR};
use super::{begin_sized, Drawable};
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
    /// The most the value axis may show (the people in the network): the
    /// axis ends at a round number just above the longest bar, never
    /// beyond this.
    pub cap: f64,
    /// The legend of split bars: what the solid and the pale segment
    /// stand for.
    pub split: Option<[&'a str; 2]>,
}

/// The value axis' end: a round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8
/// times a power of ten) at or above `top`, and no more than `cap` (unless `top` itself is
/// above `cap`).
pub(super) fn axis_end(top: f64, cap: f64) -> f64 {
    if !(top > 0.0 && top.is_finite()) {
        return 1.0;
    }
    let power = 10f64.powf(top.log10().floor());
    let round = [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .iter()
        .map(|k| k * power)
        .find(|&v| v >= top)
        .unwrap_or(10.0 * power);
    if cap.is_finite() && cap > 0.0 {
        round.min(cap.max(top))
    } else {
        round
    }
}

impl Drawable for BarChart<'_> {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        raster_text: bool,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let (width, height) = root.dim_in_pixel();
        // Sized as if the chart were as tall as the curve charts of its
        // width, so that its text matches theirs however few bars it has.
        let (m, nudge) = begin_sized(root, raster_text, (width, height.max(width * 3 / 5)))?;
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
        let top = self
            .bars
            .iter()
            .flat_map(|b| [b.mean, b.ci95_high])
            .filter(|v| v.is_finite())
            .fold(0.0f64, f64::max);
        let x_hi = axis_end(top, self.cap);
        let value_text = |b: &Bar| {
            let value = number(b.mean.round(), 0);
            if b.note.is_empty() {
                value
            } else {
                format!("{value}  ({})", b.note)
            }
        };
        // The value and note right of each bar: the plot ends early enough
        // that the widest fits right of the longest bar (the room right of
        // the plot, `right`, plus the part of the plot the bar leaves), but
        // keeps at least half the room.
        let room = f64::from(width.saturating_sub(name_area + m.margin).max(1));
        let widest = self
            .bars
            .iter()
            .map(|b| text_w(&value_text(b)) + m.margin)
            .max()
            .unwrap_or(0);
        let longest = if x_hi > 0.0 {
            (top / x_hi).min(1.0)
        } else {
            0.0
        };
        let need = f64::from(widest + m.margin) - (1.0 - longest) * room;
        let right = if longest > 0.0 { need / longest } else { 0.0 };
        let right = right.clamp(f64::from(m.margin * 2), room / 2.0) as u32;
        // A row above the plot for the legend of split bars, so that it
        // covers no bar.
        let legend_row = if self.split.is_some() {
            m.tick as u32 + m.margin
        } else {
            0
        };
        let n = self.bars.len().max(1) as f64;
        let below = title_area(root, self.title, &m)?;
        let mut chart = ChartBuilder::on(&below)
            .margin(m.margin)
            .margin_top(m.margin + legend_row)
            .margin_right(right)
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
            let (end, _) = chart.backend_coord(&(bar.ci95_high.max(bar.mean).min(x_hi), y));
            root.draw_text(
                &value_text(bar),
                &tick_font.pos(Pos::new(HPos::Left, VPos::Center)),
                (end + (m.margin as i32) / 2, mid + nudge),
            )?;
        }
        if let Some([solid, pale]) = self.split {
            // Solid and pale swatches in the text colour, top right.
            let swatch = m.tick as i32;
            let (right, top) = chart.backend_coord(&(x_hi, n - 0.5));
            let mut x = right;
            let y = top - legend_row as i32;
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
            cap: 50_000.0,
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
    fn the_axis_ends_at_a_round_number_within_the_network() {
        assert_eq!(axis_end(26_200.0, 50_000.0), 30_000.0);
        assert_eq!(axis_end(26_200.0, 28_000.0), 28_000.0);
        assert_eq!(axis_end(18_303.0, 1e6), 20_000.0);
        assert_eq!(axis_end(1_235.0, 1e6), 1_500.0);
        assert_eq!(axis_end(2_100.0, 1e6), 2_500.0);
        assert_eq!(axis_end(48_000.0, 50_000.0), 50_000.0);
        assert_eq!(axis_end(7.0, 1e6), 8.0);
        assert_eq!(axis_end(30.0, 34.0), 30.0);
        assert_eq!(axis_end(31.0, 34.0), 34.0);
        assert_eq!(axis_end(34.0, 34.0), 34.0);
        assert_eq!(axis_end(0.0, 34.0), 1.0);
        assert_eq!(axis_end(f64::INFINITY, 34.0), 1.0);
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
            cap: 50_000.0,
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
                cap: 100.0,
                split: None,
            };
            render_png(&c, 400, 300).unwrap();
            render_svg(&c, 400, 300).unwrap();
        }
    }
}
