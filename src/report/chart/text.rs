//! Text on the charts: the chart font at a size, and titles and names
//! made to fit the room they have (a smaller font, then an ellipsis).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::theme::{Metrics, FONT_FAMILY, TEXT_COLOR};

/// Text in the chart font and colour at `size` pixels.
pub(super) fn text(size: f64) -> TextStyle<'static> {
    (FONT_FAMILY, size).into_font().color(&TEXT_COLOR)
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

/// Draw `title` across the top of `root`, fitted to its whole width
/// ([`fit_title`]), and give the area below it.
pub(super) fn title_area<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    m: &Metrics,
) -> Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    let (title, size) = fit_title(root, title, m);
    let area = root.margin(m.margin, 0, 0, 0);
    if title.is_empty() {
        return Ok(area);
    }
    area.titled(&title, text(size))
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

#[cfg(test)]
mod tests {
    use crate::report::chart::tests::{chart, png_bytes, png_size};
    use crate::report::chart::{render_svg, CurveChart, CurveSeries};

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
}
