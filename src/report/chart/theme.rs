//! The look every chart shares: the bundled font, the colours (the series
//! palette, axes and grid, the threshold markers, the heatmap's scale) and
//! the sizes derived from the image size.

use std::sync::OnceLock;

use plotters::style::{register_font, FontStyle, RGBColor};

/// The bundled font used for every piece of text in PNG output.
static FONT_BYTES: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
/// Family name the font is registered under (and the name plotters writes into SVG).
pub(super) const FONT_FAMILY: &str = "sans-serif";
/// `font-family` written into SVG output: the font the layout was measured
/// with first, then generic fallbacks.
pub(super) const SVG_FONT_FAMILY: &str = "DejaVu Sans, Bitstream Vera Sans, sans-serif";

/// Register the bundled font with plotters exactly once per process.
pub(super) fn ensure_font() -> Result<(), String> {
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
/// Opacity of a band's fill: light, so that overlapping bands stay apart
/// and the lines on top stay clear.
pub(super) const BAND_FILL: f64 = 0.10;
/// Opacity of a band's outline, which keeps a narrow band visible inside a
/// wide one.
pub(super) const BAND_EDGE: f64 = 0.55;
/// Grey of what the legend says about the bands.
pub(super) const BAND_NOTE_COLOR: RGBColor = RGBColor(110, 110, 110);
/// The tipping level on the sweep chart (dotted).
pub(crate) const LEVEL_COLOR: RGBColor = RGBColor(0, 0, 0);
/// The marker of the graph's mean-field threshold on the sweep chart.
pub(crate) const MEAN_FIELD_COLOR: RGBColor = RGBColor(120, 120, 120);
/// The marker of the graph's spectral threshold on the sweep chart.
pub(crate) const SPECTRAL_COLOR: RGBColor = RGBColor(160, 60, 60);

/// Colour and dash pattern of the `i`-th series. Colours repeat after the
/// palette runs out; every other cycle is dashed so repeats stay distinct.
pub(super) fn series_look(i: usize) -> (RGBColor, bool) {
    (PALETTE[i % PALETTE.len()], (i / PALETTE.len()) % 2 == 1)
}

/// Viridis, at nine evenly spaced stops: perceptually even, readable in
/// grey and by colour-blind readers.
const VIRIDIS: [RGBColor; 9] = [
    RGBColor(68, 1, 84),
    RGBColor(71, 44, 122),
    RGBColor(59, 81, 139),
    RGBColor(44, 113, 142),
    RGBColor(33, 144, 141),
    RGBColor(39, 173, 129),
    RGBColor(92, 200, 99),
    RGBColor(170, 220, 50),
    RGBColor(253, 231, 37),
];

/// The colour of `t` in [0, 1] on the heatmaps' scale (0 for what is not
/// a number).
pub(super) fn scale_color(t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = t * (VIRIDIS.len() - 1) as f64;
    let i = (x.floor() as usize).min(VIRIDIS.len() - 2);
    let f = x - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let mix = |p: u8, q: u8| (p as f64 + (q as f64 - p as f64) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_runs_from_dark_to_light() {
        assert_eq!(scale_color(0.0), VIRIDIS[0]);
        assert_eq!(scale_color(1.0), VIRIDIS[8]);
        assert_eq!(scale_color(f64::NAN), VIRIDIS[0]);
        let luma = |c: RGBColor| 0.3 * c.0 as f64 + 0.59 * c.1 as f64 + 0.11 * c.2 as f64;
        let mut last = -1.0;
        for k in 0..=100 {
            let l = luma(scale_color(k as f64 / 100.0));
            assert!(l >= last - 1.0, "luma falls at {k}");
            last = l;
        }
    }
}
