//! The chart files, read as SVG: legends beside the plot, never on a line
//! nor past the image's edge; lines without repeated or redundant points
//! (the cause of one-pixel kinks); axis titles in words; the strategies'
//! axis within the network; the tipping marker at the sweep's edge; ad
//! spend in the cost note.

mod common;

use std::fs;
use std::path::Path;

use common::{run_into, small_scenario, write};

/// Run `text` with SVG charts only and give the output folder.
fn run_svg(dir: &Path, text: &str) -> std::path::PathBuf {
    let text = format!("{text}\n[output]\nformats = [\"svg\"]\n");
    let scenario = write(dir, "s.toml", &text);
    let out = dir.join("out");
    let (code, err) = run_into(&scenario, &out, &[]);
    assert_eq!(code, Some(0), "{err}");
    out.join("s")
}

fn read(dir: &Path, file: &str) -> String {
    fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The value of attribute `name` in an SVG element's line.
fn attr(line: &str, name: &str) -> Option<f64> {
    line.split(&format!(" {name}=\""))
        .nth(1)?
        .split('"')
        .next()?
        .parse()
        .ok()
}

/// The image's width, and the legend's box (x, y, width, height): the
/// rectangle with the legend's grey border.
fn legend(svg: &str) -> (f64, [f64; 4]) {
    let width = attr(svg.lines().next().unwrap(), "width").unwrap();
    let line = svg
        .lines()
        .find(|l| l.starts_with("<rect") && l.contains("stroke=\"#AAAAAA\""))
        .expect("a legend box");
    let a = |n| attr(line, n).unwrap();
    (width, [a("x"), a("y"), a("width"), a("height")])
}

/// The lines of the plot: every polyline but the legend's samples.
fn plot_lines(svg: &str, [x, y, w, h]: [f64; 4]) -> Vec<Vec<(i64, i64)>> {
    let inside = |&(px, py): &(i64, i64)| {
        let (px, py) = (px as f64, py as f64);
        px >= x && px <= x + w && py >= y && py <= y + h
    };
    polylines(svg)
        .into_iter()
        .filter(|l| !l.iter().all(inside))
        .collect()
}

/// Every polyline's points.
fn polylines(svg: &str) -> Vec<Vec<(i64, i64)>> {
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

/// Every piece of text drawn.
fn texts(svg: &str) -> Vec<String> {
    let lines: Vec<&str> = svg.lines().collect();
    lines
        .windows(3)
        .filter(|w| w[0].starts_with("<text") && w[2] == "</text>")
        .map(|w| w[1].to_string())
        .collect()
}

fn target_scenario() -> String {
    small_scenario(Some("s"), "\n[target]\nsegments = [\"0\", \"1\"]\n").replace(
        "edges_per_node = 2\n",
        "edges_per_node = 2\nsegments = \"seg.txt\"\n",
    )
}

#[test]
fn legends_sit_beside_the_plot_within_the_image() {
    let tmp = tempfile::tempdir().unwrap();
    let segs: String = (0..300).map(|i| format!("{i} {}\n", i % 3)).collect();
    write(tmp.path(), "seg.txt", &segs);
    let out = run_svg(tmp.path(), &target_scenario());
    for file in ["reach.svg", "target-reach.svg"] {
        let svg = read(&out, file);
        let (width, bounds) = legend(&svg);
        let [x, _, w, _] = bounds;
        assert!(
            x + w <= width,
            "{file}: legend {x}+{w} beyond the image's {width}"
        );
        let right = plot_lines(&svg, bounds)
            .iter()
            .flatten()
            .map(|p| p.0 as f64)
            .fold(f64::MIN, f64::max);
        assert!(
            right < x,
            "{file}: a line reaches x={right}, legend from {x}"
        );
        assert!(
            texts(&svg).iter().any(|t| t == "shaded: 5-95% of runs"),
            "{file}: the legend says what the band is"
        );
    }
}

#[test]
fn lines_have_no_repeated_nor_redundant_points() {
    let tmp = tempfile::tempdir().unwrap();
    // Thirty steps: reach stops growing long before the end, a plateau.
    let text = small_scenario(Some("s"), "").replace("steps = 10", "steps = 30");
    let svg = read(&run_svg(tmp.path(), &text), "reach.svg");
    let lines = polylines(&svg);
    assert!(!lines.is_empty());
    for line in lines.iter().filter(|l| l.len() > 2) {
        for w in line.windows(2) {
            assert_ne!(w[0], w[1], "repeated point in {line:?}");
        }
        // A point inside a straight run is what set a plateau's end a
        // pixel off: none is left.
        for w in line.windows(3) {
            let (a, b, c) = (w[0], w[1], w[2]);
            let cross = (b.0 - a.0) * (c.1 - b.1) - (b.1 - a.1) * (c.0 - b.0);
            let ahead = (b.0 - a.0) * (c.0 - b.0) + (b.1 - a.1) * (c.1 - b.1) > 0;
            assert!(
                cross != 0 || !ahead,
                "{b:?} lies inside a straight run of {line:?}"
            );
        }
    }
}

#[test]
fn strategies_axis_stays_within_the_network() {
    let tmp = tempfile::tempdir().unwrap();
    // Sticky content reaches nearly all 300 people.
    let text = small_scenario(Some("s"), "").replace("stickiness = 0.1", "stickiness = 0.9");
    let svg = read(&run_svg(tmp.path(), &text), "strategies.svg");
    let ticks: Vec<f64> = texts(&svg)
        .iter()
        .filter_map(|t| t.replace(',', "").parse().ok())
        .collect();
    assert!(!ticks.is_empty());
    let top = ticks.iter().copied().fold(0.0, f64::max);
    assert!(top <= 300.0, "the axis runs to {top} in a network of 300");
    assert!(top >= 250.0, "the axis ends at {top}, below the bars");
}

#[test]
fn cost_note_counts_ad_spend() {
    let tmp = tempfile::tempdir().unwrap();
    let text = small_scenario(
        Some("s"),
        "\n[paid]\nreach_per_step = 0.05\ncost_per_view = 0.5\n",
    );
    let svg = read(&run_svg(tmp.path(), &text), "strategies.svg");
    let texts = texts(&svg);
    let notes: Vec<&String> = texts.iter().filter(|t| t.contains("(cost")).collect();
    assert_eq!(notes.len(), 2, "{texts:?}");
    for note in notes {
        assert!(note.contains(", ads "), "ads missing from {note:?}");
    }
    assert!(texts.iter().any(|t| t.contains("cost (seeding and ads)")));
}

#[test]
fn sweep_axes_are_titled_in_words() {
    let tmp = tempfile::tempdir().unwrap();
    let one = small_scenario(
        Some("s"),
        "\n[sweep]\n\"content.stickiness\" = [0.05, 0.1]\n",
    )
    .replace("steps = 10", "steps = 10\nstep = \"hour\"");
    let svg = read(&run_svg(tmp.path(), &one), "sweep.svg");
    let t = texts(&svg);
    assert!(t.iter().any(|t| t == "stickiness of the content"), "{t:?}");
    let two = tempfile::tempdir().unwrap();
    let grid = small_scenario(
        Some("s"),
        "\n[sweep]\n\"trust.value\" = [0.5, 1.0]\n\"rival.start_step\" = [0, 2]\n\
         [trust]\ndistribution = \"constant\"\nvalue = 1.0\n\n         [rival]\nstickiness = 0.1\nkind = \"random\"\ncount = 3\n",
    )
    .replace("steps = 10", "steps = 10\nstep = \"hour\"");
    let svg = read(&run_svg(two.path(), &grid), "sweep-1-random.svg");
    let t = texts(&svg);
    assert!(t.iter().any(|t| t == "trust"), "{t:?}");
    assert!(
        t.iter().any(|t| t == "hours until the rival posts"),
        "{t:?}"
    );
    for svg in [&svg, &read(&two.path().join("out/s"), "reach.svg")] {
        for text in texts(svg) {
            assert!(
                !text.contains("content.") && !text.contains("trust.") && !text.contains("_step"),
                "a dotted key in {text:?}"
            );
        }
    }
}

#[test]
fn tipping_marker_shows_at_the_edge_when_already_tipped() {
    let tmp = tempfile::tempdir().unwrap();
    // So sticky that the first value already reaches a tenth of the people.
    let text = small_scenario(
        Some("s"),
        "\n[sweep]\n\"content.stickiness\" = [0.6, 0.8]\ntipping_fraction = 0.1\n",
    );
    let svg = read(&run_svg(tmp.path(), &text), "sweep.svg");
    let t = texts(&svg);
    assert!(t.iter().any(|t| t == "at or below 0.6"), "{t:?}");
    assert!(t.iter().any(|t| t.starts_with("tipping level")), "{t:?}");
    assert!(t.iter().any(|t| t == "shaded: 95% CI of the mean"), "{t:?}");
    // The thresholds lie below the sweep's values: no line, but an arrow
    // pointing their way.
    assert!(
        t.iter()
            .any(|t| t.starts_with("\u{2190} mean-field threshold")),
        "{t:?}"
    );
    // The level: black dots (the legend's sample aside), all at one height.
    let (_, bounds) = legend(&svg);
    let level: Vec<i64> = svg
        .lines()
        .filter(|l| l.starts_with("<polyline") && l.contains("stroke=\"#000000\""))
        .flat_map(|l| plot_lines(l, bounds).into_iter().flatten().map(|p| p.1))
        .collect();
    assert!(level.len() > 10, "the level is dotted");
    assert!(level.iter().all(|&y| y == level[0]), "{level:?}");
    // The diamonds sit on it, at the plot's left edge.
    let diamonds: Vec<Vec<(i64, i64)>> = svg
        .lines()
        .filter(|l| l.starts_with("<polygon"))
        .filter_map(|l| l.split(" points=\"").nth(1)?.split('"').next())
        .map(|pts| {
            pts.split_whitespace()
                .filter_map(|p| {
                    let (x, y) = p.split_once(',')?;
                    Some((x.parse().ok()?, y.parse().ok()?))
                })
                .collect::<Vec<(i64, i64)>>()
        })
        .filter(|d| d.len() == 4 && d[0].0 == d[2].0 && d[1].1 == d[3].1)
        .collect();
    assert_eq!(diamonds.len(), 2, "one per strategy");
    for d in diamonds {
        assert!(
            (d[1].1 - level[0]).abs() <= 1,
            "{d:?} off the level {}",
            level[0]
        );
    }
}
