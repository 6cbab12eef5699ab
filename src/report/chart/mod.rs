//! Charts drawn with plotters, to PNG and to SVG. Each chart is a struct
//! implementing [`Drawable`] that holds what it draws (title, labels,
//! numbers) and nothing of the results: the exporters (`report::figure`,
//! `report::sweep_chart`) decide what goes in.
//!
//! Text is rasterised with the bundled DejaVu Sans font (plotters' `ab_glyph`
//! feature), so rendering never depends on fonts installed on the system and
//! the output is byte-for-byte reproducible for the same input.
//!
//! Both formats render into memory; the caller writes the bytes (atomically).
//!
//! This file owns the [`Drawable`] trait and the two backends,
//! [`render_png`] and [`render_svg`]. `theme` holds the font, colours and
//! sizes; `text` fits text into its room; `legend` lays out legends. The
//! charts: `curve` (a metric over time), `bar` (the strategies' final
//! reach), `sweep` (final reach against one swept key) and `heatmap` (over
//! two swept keys).

mod bar;
mod curve;
mod heatmap;
mod legend;
mod sweep;
mod text;
mod theme;

use std::path::{Path, PathBuf};

use image::ImageEncoder;
use plotters::coord::Shift;
use plotters::prelude::*;

pub use bar::{Bar, BarChart};
pub use curve::BAND_NOTE;
pub use curve::{CurveChart, CurveSeries};
pub(crate) use heatmap::HeatmapChart;
pub use sweep::SWEEP_BAND_NOTE;
pub(crate) use sweep::{Marker, SweepLineChart, SweepSeries, Tip};
use theme::{ensure_font, Metrics, FONT_FAMILY, SVG_FONT_FAMILY};
pub(crate) use theme::{MEAN_FIELD_COLOR, SPECTRAL_COLOR};

#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("cannot draw chart {path}: {message}")]
    Draw { path: PathBuf, message: String },
}

/// Largest accepted width or height in pixels.
pub const MAX_DIMENSION: u32 = 16_384;
/// Smallest accepted width or height in pixels (below this nothing legible fits).
pub const MIN_DIMENSION: u32 = 64;

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

/// The start of every chart: a white page, the sizes that fit it, and how
/// far to move vertically centred text at tick size down so that it lines
/// up. `raster_text` is true when plotters rasterises the text itself
/// (bitmap backend): its ab_glyph renderer draws vertically centred text
/// about a fifth of the font size too high. SVG text is placed by the
/// viewer and needs no nudge.
fn begin<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    raster_text: bool,
) -> Result<(Metrics, i32), DrawingAreaErrorKind<DB::ErrorType>> {
    begin_sized(root, raster_text, root.dim_in_pixel())
}

/// [`begin`], with the sizes of a chart of `size` pixels.
fn begin_sized<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    raster_text: bool,
    (width, height): (u32, u32),
) -> Result<(Metrics, i32), DrawingAreaErrorKind<DB::ErrorType>> {
    let m = Metrics::new(width, height);
    let nudge = if raster_text {
        (m.tick * 0.2).round() as i32
    } else {
        0
    };
    root.fill(&WHITE)?;
    Ok((m, nudge))
}

/// Draw a line through `pixels` (backend coordinates) on `area`, leaving
/// out repeated points and the points inside a straight run. plotters turns
/// a thick line into a polygon whose corner at three points in a line is
/// truncated rather than rounded: on a plateau that set the run a pixel off
/// its last point, a kink at the last step of a monotone line.
fn draw_pixel_path<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    pixels: impl IntoIterator<Item = (i32, i32)>,
    style: ShapeStyle,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let (x0, y0) = area.get_base_pixel();
    let path: Vec<(i32, i32)> = simplify(pixels)
        .into_iter()
        .map(|(x, y)| (x - x0, y - y0))
        .collect();
    match path.len() {
        0 => Ok(()),
        1 => area.draw(&PathElement::new(vec![path[0], path[0]], style)),
        _ => area.draw(&PathElement::new(path, style)),
    }
}

/// `pixels` without consecutive repeats and without the points that lie on
/// the straight segment between their neighbours (same direction, exactly).
fn simplify(pixels: impl IntoIterator<Item = (i32, i32)>) -> Vec<(i32, i32)> {
    let mut out: Vec<(i32, i32)> = Vec::new();
    for p in pixels {
        if out.last() == Some(&p) {
            continue;
        }
        if let [.., a, b] = out[..] {
            let (ux, uy) = (i64::from(b.0 - a.0), i64::from(b.1 - a.1));
            let (vx, vy) = (i64::from(p.0 - b.0), i64::from(p.1 - b.1));
            // Collinear and going on the same way: b adds nothing.
            if ux * vy == uy * vx && ux * vx + uy * vy > 0 {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn straight_runs_and_repeats_are_left_out() {
        assert_eq!(simplify([]), vec![]);
        assert_eq!(simplify([(1, 1), (1, 1)]), vec![(1, 1)]);
        // A rise, then a plateau of four points ending in a repeat.
        let plateau = [
            (0, 50),
            (10, 20),
            (20, 10),
            (30, 10),
            (40, 10),
            (50, 10),
            (50, 10),
        ];
        assert_eq!(
            simplify(plateau),
            vec![(0, 50), (10, 20), (20, 10), (50, 10)]
        );
        // A straight diagonal keeps its ends only; a turn back is kept.
        assert_eq!(
            simplify([(0, 0), (1, 1), (2, 2), (3, 3)]),
            vec![(0, 0), (3, 3)]
        );
        assert_eq!(
            simplify([(0, 0), (5, 0), (2, 0)]),
            vec![(0, 0), (5, 0), (2, 0)]
        );
    }

    /// The legend's border box in an SVG rendering: x, y, width, height.
    pub(crate) fn legend_box(svg: &str) -> Option<(f64, f64, f64, f64)> {
        let line = svg
            .lines()
            .find(|l| l.starts_with("<rect") && l.contains("stroke=\"#AAAAAA\""))?;
        let attr = |name: &str| -> f64 {
            line.split(&format!(" {name}=\""))
                .nth(1)
                .and_then(|r| r.split('"').next())
                .and_then(|v| v.parse().ok())
                .unwrap_or(f64::NAN)
        };
        Some((attr("x"), attr("y"), attr("width"), attr("height")))
    }

    /// The points of every polyline in an SVG rendering.
    pub(crate) fn polyline_points(svg: &str) -> Vec<Vec<(f64, f64)>> {
        svg.lines()
            .filter(|l| l.starts_with("<polyline"))
            .filter_map(|l| l.split(" points=\"").nth(1)?.split('"').next())
            .map(|pts| {
                pts.split_whitespace()
                    .filter_map(|p| {
                        let (x, y) = p.split_once(',')?;
                        Some((x.parse().ok()?, y.parse().ok()?))
                    })
                    .collect()
            })
            .collect()
    }

    const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];

    pub(super) struct Data {
        names: Vec<String>,
        mean: Vec<Vec<f64>>,
        p05: Vec<Vec<f64>>,
        p95: Vec<Vec<f64>>,
    }

    impl Data {
        /// `n` logistic-looking reach curves of `steps + 1` points, scaled to `scale`.
        pub(super) fn curves(n: usize, steps: usize, scale: f64) -> Self {
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

        pub(super) fn series(&self) -> Vec<CurveSeries<'_>> {
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

    pub(super) fn chart<'a>(series: &'a [CurveSeries<'a>]) -> CurveChart<'a> {
        CurveChart {
            title: "Reach by seeding strategy",
            x_label: "step",
            y_label: "people reached (cumulative)",
            series,
        }
    }

    pub(super) fn png_bytes(c: &CurveChart, w: u32, h: u32) -> Vec<u8> {
        render_png(c, w, h).unwrap()
    }

    pub(super) fn png_size(bytes: &[u8]) -> (u32, u32) {
        assert_eq!(&bytes[..8], &PNG_SIGNATURE);
        assert_eq!(&bytes[12..16], b"IHDR");
        let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
        let h = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
        (w, h)
    }

    #[test]
    fn no_line_ends_in_a_repeated_point() {
        // Reach that stops growing: the last steps are one plateau.
        let mean: Vec<f64> = (0..=30).map(|t| f64::from(t.min(12)) * 10.0).collect();
        let s = [CurveSeries {
            name: "plateau",
            mean: &mean,
            p05: &mean,
            p95: &mean,
        }];
        let svg = render_svg(&chart(&s), 800, 500).unwrap();
        let lines = polyline_points(&svg);
        assert!(!lines.is_empty());
        for line in lines {
            for pair in line.windows(2) {
                assert_ne!(pair[0], pair[1], "repeated point in {line:?}");
            }
        }
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

    #[test]
    fn png_is_deterministic() {
        let d = Data::curves(3, 40, 5_000.0);
        let s = d.series();
        let c = chart(&s);
        assert_eq!(png_bytes(&c, 640, 400), png_bytes(&c, 640, 400));
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
    fn bad_sizes_are_errors() {
        let c = chart(&[]);
        assert!(render_svg(&c, 0, 100).is_err());
        assert!(render_svg(&c, 100, MAX_DIMENSION + 1).is_err());
        assert!(render_png(&c, 10, 10).is_err());
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
