//! "Reach curve" charts rendered to PNG and SVG with plotters.
//!
//! Text is rasterised with the bundled DejaVu Sans font (plotters' `ab_glyph`
//! feature), so rendering never depends on fonts installed on the system and
//! the output is byte-for-byte reproducible for the same input.
//!
//! Both formats render into memory; the caller writes the bytes (atomically).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use image::ImageEncoder;
use plotters::coord::types::{RangedCoordf64, RangedCoordu32};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{register_font, FontStyle, RGBColor};

use super::format::{axis_tick, number};

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

#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("cannot draw chart {path}: {message}")]
    Draw { path: PathBuf, message: String },
}

/// Largest accepted width or height in pixels.
pub const MAX_DIMENSION: u32 = 16_384;
/// Smallest accepted width or height in pixels (below this nothing legible fits).
pub const MIN_DIMENSION: u32 = 64;

/// The bundled font used for every piece of text in PNG output.
static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// Family name the font is registered under (and the name plotters writes into SVG).
pub(super) const FONT_FAMILY: &str = "sans-serif";
/// `font-family` written into SVG output: the font the layout was measured
/// with first, then generic fallbacks.
const SVG_FONT_FAMILY: &str = "DejaVu Sans, Bitstream Vera Sans, sans-serif";

/// Okabe–Ito colour-blind-friendly palette, ordered so that the most
/// distinguishable colours come first (yellow is weakest on white: last).
pub(super) const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(230, 159, 0),   // orange
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(0, 0, 0),       // black
    RGBColor(240, 228, 66),  // yellow
];

pub(super) const TEXT_COLOR: RGBColor = RGBColor(34, 34, 34);
pub(super) const AXIS_COLOR: RGBColor = RGBColor(90, 90, 90);
pub(super) const GRID_COLOR: RGBColor = RGBColor(225, 225, 225);
pub(super) const LEGEND_BORDER: RGBColor = RGBColor(170, 170, 170);

/// Register the bundled font with plotters exactly once per process.
fn ensure_font() -> Result<(), String> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    // `InvalidFont` implements neither Debug nor Display, so keep a bool.
    let ok = *REGISTERED
        .get_or_init(|| register_font(FONT_FAMILY, FontStyle::Normal, FONT_BYTES).is_ok());
    if ok {
        Ok(())
    } else {
        Err("bundled font DejaVuSans.ttf could not be parsed".to_string())
    }
}

fn draw_error(path: &Path, message: impl std::fmt::Display) -> ChartError {
    ChartError::Draw {
        path: path.to_path_buf(),
        message: message.to_string(),
    }
}

fn check_size(width: u32, height: u32, path: &Path) -> Result<(), ChartError> {
    let ok = |d: u32| (MIN_DIMENSION..=MAX_DIMENSION).contains(&d);
    if ok(width) && ok(height) {
        Ok(())
    } else {
        Err(draw_error(
            path,
            format!(
                "image size {width}x{height} is outside {MIN_DIMENSION}..={MAX_DIMENSION} pixels per side"
            ),
        ))
    }
}

/// A chart either backend can draw.
pub trait Drawable {
    /// Draw on `root`; `raster_text` is true when plotters rasterises the text itself (the bitmap backend).
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        raster_text: bool,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>>;
}

impl Drawable for CurveChart<'_> {
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        raster_text: bool,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        draw_chart(root, self, raster_text)
    }
}

/// Render the chart to PNG bytes (`width` x `height` pixels, RGB), in
/// memory.
pub fn render_png(chart: &impl Drawable, width: u32, height: u32) -> Result<Vec<u8>, ChartError> {
    let pseudo = Path::new("<png>");
    check_size(width, height, pseudo)?;
    ensure_font().map_err(|m| draw_error(pseudo, m))?;
    let mut pixels = vec![0u8; width as usize * height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (width, height)).into_drawing_area();
        chart.draw(&root, true).map_err(|e| draw_error(pseudo, e))?;
        root.present().map_err(|e| draw_error(pseudo, e))?;
    }
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(&pixels, width, height, image::ColorType::Rgb8)
        .map_err(|e| draw_error(pseudo, e))?;
    Ok(png)
}

/// Render the chart to an SVG document of `width` x `height` pixels.
pub fn render_svg(chart: &impl Drawable, width: u32, height: u32) -> Result<String, ChartError> {
    let pseudo = Path::new("<svg>");
    check_size(width, height, pseudo)?;
    // Text layout (label area sizes, legend width) is measured with the font.
    ensure_font().map_err(|m| draw_error(pseudo, m))?;

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        chart
            .draw(&root, false)
            .map_err(|e| draw_error(pseudo, e))?;
        root.present().map_err(|e| draw_error(pseudo, e))?;
    }
    // plotters writes the registered family name verbatim; name the font the
    // layout was measured with first so viewers that have it match the PNG.
    Ok(svg.replace(
        &format!("font-family=\"{FONT_FAMILY}\""),
        &format!("font-family=\"{SVG_FONT_FAMILY}\""),
    ))
}

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
}

/// Horizontal bars, one per strategy, first at the top, each in the colour
/// its series has on the curve charts.
pub struct BarChart<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub bars: &'a [Bar<'a>],
}

/// The start of every chart drawn by hand: a white page, the sizes that
/// fit it, and how far to move vertically centred text at tick size down so
/// rasterised text lines up (see [`draw_chart`]).
pub(super) fn begin<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    raster_text: bool,
) -> Result<(Metrics, i32), DrawingAreaErrorKind<DB::ErrorType>> {
    let (width, height) = root.dim_in_pixel();
    let m = Metrics::new(width, height);
    let nudge = if raster_text {
        (m.tick * 0.2).round() as i32
    } else {
        0
    };
    root.fill(&WHITE)?;
    Ok((m, nudge))
}

/// Text in the chart font and colour at `size` pixels.
pub(super) fn text(size: f64) -> TextStyle<'static> {
    (FONT_FAMILY, size).into_font().color(&TEXT_COLOR)
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
            let colour = PALETTE[i % PALETTE.len()];
            let corners = [(0.0, y - half), (bar.mean.max(0.0), y + half)];
            chart.draw_series(std::iter::once(Rectangle::new(
                corners,
                colour.mix(0.6).filled(),
            )))?;
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
        Ok(())
    }
}

/// Pixel sizes derived from the image size so charts scale sensibly.
pub(super) struct Metrics {
    pub(super) title: f64,
    pub(super) desc: f64,
    pub(super) tick: f64,
    pub(super) legend: f64,
    pub(super) line: u32,
    pub(super) margin: u32,
}

impl Metrics {
    pub(super) fn new(width: u32, height: u32) -> Self {
        let base = f64::from(width.min(height * 3 / 2));
        let scale = (base / 900.0).clamp(0.45, 4.0);
        Metrics {
            title: (30.0 * scale).round(),
            desc: (22.0 * scale).round(),
            tick: (19.0 * scale).round(),
            legend: (19.0 * scale).round(),
            line: ((2.5 * scale).round() as u32).max(1),
            margin: ((16.0 * scale).round() as u32).max(4),
        }
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

/// The drawing shared by the PNG and SVG backends.
///
/// `raster_text` is true when plotters rasterises the text itself (bitmap
/// backend). Its ab_glyph renderer draws vertically centred text about a
/// fifth of the font size too high, so tick labels and legend samples are
/// nudged to line up. SVG text is placed by the viewer and needs no nudge.
fn draw_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &CurveChart,
    raster_text: bool,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (width, height) = root.dim_in_pixel();
    let m = Metrics::new(width, height);
    let nudge = |size: f64| {
        if raster_text {
            (size * 0.2).round() as i32
        } else {
            0
        }
    };
    // Many overlapping bands turn muddy: make each fainter as series are added.
    let band_opacity = (0.6 / chart.series.len().max(1) as f64).clamp(0.07, 0.16);
    root.fill(&WHITE)?;

    let text = |size: f64| (FONT_FAMILY, size).into_font().color(&TEXT_COLOR);
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
    let (title, title_size) = fit_title(root, chart.title, &m);
    if !title.is_empty() {
        builder.caption(&title, text(title_size));
    }
    let mut ctx = builder.build_cartesian_2d(0u32..x_hi, y_lo..y_hi)?;

    let y_fmt = |v: &f64| axis_tick(*v, (y_lo, y_hi));
    let x_fmt = |v: &u32| number(f64::from(*v), 0);
    let plot_w = width.saturating_sub(y_area + m.margin * 3);
    // About one x tick per 7 characters of label width, at most 12.
    let max_x_ticks = (plot_w as usize / (m.tick as usize * 4).max(1)).clamp(2, 12);
    ctx.configure_mesh()
        .x_labels(max_x_ticks.min(x_hi as usize + 1))
        .y_labels(8)
        .y_label_offset(nudge(m.tick))
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

    // Bands first so that every line is drawn on top of every band.
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
                color.mix(band_opacity).filled(),
            )))?;
        } else if n == 1 {
            // A single step: show the band as an error bar.
            let w = m.line;
            ctx.draw_series(std::iter::once(PathElement::new(
                vec![(0u32, s.p05[0]), (0u32, s.p95[0])],
                color.mix(band_opacity * 3.0).stroke_width(w * 3),
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
            ctx.draw_series(LineSeries::new(points, style))?;
        }
        if s.mean.len() == 1 {
            ctx.draw_series(std::iter::once(Circle::new(
                (0u32, s.mean[0]),
                m.line * 2 + 1,
                color.filled(),
            )))?;
        }
    }

    if !chart.series.is_empty() {
        draw_legend(&ctx, chart.series, &m, nudge(m.legend))?;
    }
    Ok(())
}

/// The font size at most `size` (and at least `min`) at which `text` fits
/// in `max_w` pixels.
fn fit_size<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    size: f64,
    min: f64,
    max_w: u32,
) -> f64 {
    let style: TextStyle = (FONT_FAMILY, size).into_font().into();
    match area.estimate_text_size(text, &style) {
        Ok((w, _)) if w > max_w && w > 0 => (size * f64::from(max_w) / f64::from(w))
            .floor()
            .clamp(min.min(size), size),
        _ => size,
    }
}

/// A chart's title as it fits across the chart, and its font size: smaller
/// than the title size down to the tick size, then cut short.
pub(super) fn fit_title<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    m: &Metrics,
) -> (String, f64) {
    let max_w = root.dim_in_pixel().0.saturating_sub(2 * m.margin);
    let size = fit_size(root, title, m.title, m.tick, max_w);
    (fit_text(root, title, &text(size), max_w), size)
}

/// `text`, cut short with an ellipsis if it is wider than `max_w` pixels.
pub(super) fn fit_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    max_w: u32,
) -> String {
    let width = |t: &str| {
        area.estimate_text_size(t, style)
            .map(|(w, _)| w)
            .unwrap_or(0)
    };
    if width(text) <= max_w {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    // Longest prefix that fits with the ellipsis (binary search on length).
    let (mut lo, mut hi) = (0, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid].iter().collect::<String>() + "\u{2026}";
        if width(&candidate) <= max_w {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let prefix: String = chars[..lo].iter().collect();
    format!("{}\u{2026}", prefix.trim_end())
}

/// Colour and dash pattern of the `i`-th series. Colours repeat after the
/// palette runs out; every other cycle is dashed so repeats stay distinct.
pub(super) fn series_look(i: usize) -> (RGBColor, bool) {
    (PALETTE[i % PALETTE.len()], (i / PALETTE.len()) % 2 == 1)
}

/// Draw the legend box (a sample band + line and the name of each series)
/// into whichever corner of the plot hides the fewest data points,
/// preferring the upper left, where cumulative reach curves rarely are.
///
/// Laid out by hand rather than with plotters' series labels so the padding
/// is even and samples line up with the (nudged) rasterised text.
fn draw_legend<DB: DrawingBackend>(
    ctx: &ChartContext<DB, Cartesian2d<RangedCoordu32, RangedCoordf64>>,
    series: &[CurveSeries],
    m: &Metrics,
    nudge: i32,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let area = ctx.plotting_area();
    let font = (FONT_FAMILY, m.legend)
        .into_font()
        .color(&TEXT_COLOR)
        .pos(Pos::new(HPos::Left, VPos::Center));
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
        let stroke = color.stroke_width(m.line);
        if dashed {
            let seg = sample * 2 / 5;
            root.draw(&PathElement::new(vec![(sx, cy), (sx + seg, cy)], stroke))?;
            root.draw(&PathElement::new(
                vec![(sx + sample - seg, cy), (sx + sample, cy)],
                stroke,
            ))?;
        } else {
            root.draw(&PathElement::new(vec![(sx, cy), (sx + sample, cy)], stroke))?;
        }
        root.draw(&Text::new(
            name.as_str(),
            (sx + sample + gap, cy + nudge),
            font.clone(),
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];

    struct Data {
        names: Vec<String>,
        mean: Vec<Vec<f64>>,
        p05: Vec<Vec<f64>>,
        p95: Vec<Vec<f64>>,
    }

    impl Data {
        /// `n` logistic-looking reach curves of `steps + 1` points, scaled to `scale`.
        fn curves(n: usize, steps: usize, scale: f64) -> Self {
            let mut d = Data {
                names: vec![],
                mean: vec![],
                p05: vec![],
                p95: vec![],
            };
            for k in 0..n {
                let rate = 0.25 + 0.1 * k as f64;
                let cap = scale * (1.0 - 0.08 * k as f64).max(0.2);
                let mid = steps as f64 * (0.3 + 0.05 * k as f64);
                let mean: Vec<f64> = (0..=steps)
                    .map(|t| {
                        cap / (1.0 + (-(t as f64 - mid) * rate * 20.0 / steps.max(1) as f64).exp())
                    })
                    .collect();
                d.p05.push(mean.iter().map(|v| v * 0.8).collect());
                d.p95.push(mean.iter().map(|v| v * 1.15).collect());
                d.mean.push(mean);
                d.names.push(format!("strategy {k}"));
            }
            d
        }

        fn series(&self) -> Vec<CurveSeries<'_>> {
            (0..self.names.len())
                .map(|i| CurveSeries {
                    name: &self.names[i],
                    mean: &self.mean[i],
                    p05: &self.p05[i],
                    p95: &self.p95[i],
                })
                .collect()
        }
    }

    fn chart<'a>(series: &'a [CurveSeries<'a>]) -> CurveChart<'a> {
        CurveChart {
            title: "Reach by seeding strategy",
            x_label: "step",
            y_label: "people reached (cumulative)",
            series,
        }
    }

    fn png_bytes(c: &CurveChart, w: u32, h: u32) -> Vec<u8> {
        render_png(c, w, h).unwrap()
    }

    fn png_size(bytes: &[u8]) -> (u32, u32) {
        assert_eq!(&bytes[..8], &PNG_SIGNATURE);
        assert_eq!(&bytes[12..16], b"IHDR");
        let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
        let h = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
        (w, h)
    }

    #[test]
    fn png_has_signature_and_requested_size() {
        let d = Data::curves(3, 50, 12_000.0);
        let s = d.series();
        let bytes = png_bytes(&chart(&s), 800, 500);
        assert_eq!(png_size(&bytes), (800, 500));
        // The whole image is not just background: something was drawn.
        assert!(bytes.len() > 2_000);
    }

    fn bars() -> Vec<Bar<'static>> {
        vec![
            Bar {
                name: "random people",
                mean: 1200.0,
                ci95_low: 1100.0,
                ci95_high: 1300.0,
                best: false,
                note: "",
            },
            Bar {
                name: "top influencers",
                mean: 26000.0,
                ci95_low: 25800.0,
                ci95_high: 26200.0,
                best: true,
                note: "cost 5,000",
            },
            Bar {
                name: "our ambassadors",
                mean: 5800.0,
                ci95_low: 5400.0,
                ci95_high: 6200.0,
                best: false,
                note: "",
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
    fn bar_chart_edge_cases_do_not_panic() {
        let none: Vec<Bar> = Vec::new();
        let zero = [Bar {
            name: "nobody shares",
            mean: 0.0,
            ci95_low: 0.0,
            ci95_high: 0.0,
            best: true,
            note: "",
        }];
        let unbounded = [Bar {
            name: "two runs",
            mean: 5.0,
            ci95_low: f64::NEG_INFINITY,
            ci95_high: f64::INFINITY,
            best: false,
            note: "",
        }];
        for b in [&none[..], &zero[..], &unbounded[..]] {
            let c = BarChart {
                title: "t",
                x_label: "x",
                bars: b,
            };
            render_png(&c, 400, 300).unwrap();
            render_svg(&c, 400, 300).unwrap();
        }
    }

    #[test]
    fn png_is_deterministic() {
        let d = Data::curves(3, 40, 5_000.0);
        let s = d.series();
        let c = chart(&s);
        assert_eq!(png_bytes(&c, 640, 400), png_bytes(&c, 640, 400));
    }

    #[test]
    fn long_texts_are_shortened_to_fit() {
        let mean = [0.0, 10.0, 20.0];
        let long_name =
            "a strategy name so long that it could never fit in half the plot ".repeat(3);
        let s = [CurveSeries {
            name: &long_name,
            mean: &mean,
            p05: &mean,
            p95: &mean,
        }];
        let long_title = "A title that is far too long for a small chart ".repeat(4);
        let c = CurveChart {
            title: &long_title,
            ..chart(&s)
        };
        let svg = render_svg(&c, 600, 400).unwrap();
        assert_eq!(svg.matches('\u{2026}').count(), 2, "title and name cut");
        assert!(svg.contains(">\nA title that"));
        assert!(svg.contains(">\na strategy name"));
        assert_eq!(png_size(&png_bytes(&c, 600, 400)), (600, 400));
        // A title that merely is long gets a smaller font, not an ellipsis.
        let title = "Scenario with a fairly long name: people reached over time (mean, 5-95% band)";
        let c = CurveChart { title, ..chart(&s) };
        let svg = render_svg(&c, 1200, 720).unwrap();
        assert!(svg.contains(&format!(">\n{title}\n</text>")));
    }

    #[test]
    fn svg_contains_texts_and_is_deterministic() {
        let d = Data::curves(3, 30, 1_500.0);
        let s = d.series();
        let c = chart(&s);
        let svg = render_svg(&c, 800, 500).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("width=\"800\"") && svg.contains("height=\"500\""));
        for text in [
            "Reach by seeding strategy",
            "step",
            "people reached (cumulative)",
        ] {
            assert!(
                svg.contains(&format!(">\n{text}\n</text>")),
                "missing text {text:?}"
            );
        }
        for name in &d.names {
            assert!(
                svg.contains(&format!(">\n{name}\n</text>")),
                "missing series {name:?}"
            );
        }
        assert!(svg.contains(&format!("font-family=\"{SVG_FONT_FAMILY}\"")));
        assert!(!svg.contains("font-family=\"sans-serif\""));
        assert_eq!(svg, render_svg(&c, 800, 500).unwrap());
    }

    #[test]
    fn svg_escapes_markup_in_names() {
        let mean = [0.0, 1.0, 2.0];
        let s = [CurveSeries {
            name: "a<b & \"c\"",
            mean: &mean,
            p05: &mean,
            p95: &mean,
        }];
        let svg = render_svg(&chart(&s), 400, 300).unwrap();
        assert!(!svg.contains("a<b"));
        assert!(svg.contains("a&lt;b &amp;"));
    }

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

    #[test]
    fn bad_sizes_are_errors() {
        let c = chart(&[]);
        assert!(render_svg(&c, 0, 100).is_err());
        assert!(render_svg(&c, 100, MAX_DIMENSION + 1).is_err());
        assert!(render_png(&c, 10, 10).is_err());
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

    /// Writes sample charts for eyeballing: `SAMPLE_CHART_DIR=/tmp cargo test -- --ignored`.
    #[test]
    #[ignore]
    fn write_samples() {
        let dir = PathBuf::from(std::env::var("SAMPLE_CHART_DIR").unwrap_or_else(|_| ".".into()));
        let d = Data::curves(3, 60, 48_000.0);
        let s = d.series();
        let c = chart(&s);
        std::fs::write(dir.join("sample.png"), render_png(&c, 1000, 600).unwrap()).unwrap();
        std::fs::write(dir.join("sample.svg"), render_svg(&c, 1000, 600).unwrap()).unwrap();
        let many = Data::curves(10, 100, 800.0);
        let ms = many.series();
        std::fs::write(
            dir.join("sample_many.png"),
            render_png(&chart(&ms), 800, 500).unwrap(),
        )
        .unwrap();
        std::fs::write(
            dir.join("sample_small.png"),
            render_png(&chart(&ms), 320, 200).unwrap(),
        )
        .unwrap();
        std::fs::write(
            dir.join("sample_empty.png"),
            render_png(&chart(&[]), 800, 500).unwrap(),
        )
        .unwrap();
        let one = [5.0];
        let single = [CurveSeries {
            name: "single",
            mean: &one,
            p05: &[4.0],
            p95: &[6.0],
        }];
        std::fs::write(
            dir.join("sample_single.png"),
            render_png(&chart(&single), 800, 500).unwrap(),
        )
        .unwrap();
        // Decreasing curves occupy the upper left: the legend must move.
        let down: Vec<f64> = (0..=40).map(|t| 900.0 - 20.0 * t as f64).collect();
        let down_lo: Vec<f64> = down.iter().map(|v| v * 0.9).collect();
        let down_hi: Vec<f64> = down.iter().map(|v| v * 1.1).collect();
        let falling = [CurveSeries {
            name: "falling",
            mean: &down,
            p05: &down_lo,
            p95: &down_hi,
        }];
        std::fs::write(
            dir.join("sample_falling.png"),
            render_png(&chart(&falling), 800, 500).unwrap(),
        )
        .unwrap();
    }
}
