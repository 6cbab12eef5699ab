//! `report.html` end to end: written for every run, self-contained, with
//! every strategy, chart, graph statistic and the manifest; and, where a
//! Chromium is available, parsed and drawn by a real browser.
//!
//! The browser part runs Chromium headless on `/usr/bin/chromium` (or the
//! path in `VIRALSIM_CHROMIUM`). Without one it is skipped with a note,
//! unless `VIRALSIM_REQUIRE_CHROMIUM=1` (as in CI), which makes a missing
//! browser a failure.

mod common;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use common::{viralsim, write};

/// Strategy names with characters HTML must escape.
const NAMES: [&str; 3] = [
    "top <influencers> & \"friends\"",
    "micro 'crowd'",
    "ads only",
];

/// Every optional table at once on a small network: segments and a target,
/// costs, conversions, ads and a rival, so that every chart is drawn; chart
/// files in SVG only (the report draws every chart whatever the formats).
fn everything(dir: &Path) -> PathBuf {
    let text = format!(
        r#"version = 1
name = "everything"
[graph]
generator = "stochastic-block"
communities = 6
community_size = 200
mean_degree_in = 8
mean_degree_out = 2
seed = 3
[content]
stickiness = 0.15
half_life = 6
[trust]
distribution = "beta"
alpha = 4.0
beta = 2.0
other_segment = 0.5
[target]
segments = [1, 4]
[costs]
base = 10
per_follower = 1
acceptance = 0.8
[conversion]
rate = 0.02
rate_if_shared = 0.1
value = 40
[paid]
reach_per_step = 0.01
from_step = 1
to_step = 5
stickiness = 0.02
cost_per_view = 0.05
[rival]
name = "the <rumour>"
stickiness = 0.2
start_step = 1
kind = "random"
count = 5
[simulation]
runs = 100
steps = 12
step = "day"
seed = 9
[[strategy]]
name = {:?}
kind = "top-degree"
budget = 200
[[strategy]]
name = {:?}
kind = "community-spread"
budget = 200
segments = [1, 4]
[[strategy]]
name = {:?}
kind = "random"
count = 0
[output]
formats = ["svg"]
"#,
        NAMES[0], NAMES[1], NAMES[2]
    );
    write(dir, "everything.toml", &text)
}

/// The charts `everything` records: reach, target reach, conversions,
/// earned reach, rival reach, strategies, reach per segment.
const CHARTS: usize = 7;

/// The sections every report has, by id.
const SECTIONS: [&str; 5] = ["scenario", "strategies", "charts", "graph", "manifest"];

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Run `everything` and return the report's folder.
fn run_everything(dir: &Path) -> PathBuf {
    let scenario = everything(dir);
    let out = dir.join("out");
    viralsim()
        .args(["run", "--quiet"])
        .arg(&scenario)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    out.join("everything")
}

#[test]
fn the_report_holds_everything_and_nothing_from_outside() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = run_everything(tmp.path());
    let html = fs::read_to_string(dir.join("report.html")).unwrap();

    assert!(html.starts_with("<!DOCTYPE html>"));
    for name in NAMES {
        assert!(html.contains(&escape(name)), "{name} missing or unescaped");
    }
    assert!(!html.contains("<influencers>") && !html.contains("<rumour>"));
    assert_eq!(html.matches("<svg").count(), CHARTS, "one svg per chart");
    assert_eq!(html.matches("</svg>").count(), CHARTS);
    for stem in [
        "reach",
        "target-reach",
        "conversions",
        "earned-reach",
        "rival-reach",
        "strategies",
        "segments",
    ] {
        assert!(html.contains(&format!("id=\"chart-{stem}\"")), "{stem}");
    }
    for id in SECTIONS {
        assert!(html.contains(&format!("<section id=\"{id}\">")), "{id}");
    }
    // The strategy table: a row per strategy in each of its two tables,
    // the best marked.
    assert_eq!(html.matches("<table class=\"strategies\">").count(), 2);
    assert_eq!(html.matches("<tr class=\"best\">").count(), 2);
    for column in [
        "mean reached",
        "vs best",
        "ROI",
        "in target",
        "rival reached",
    ] {
        assert!(html.contains(column), "{column}");
    }
    // The graph's statistics, as `viralsim graph` prints them.
    for fact in [
        "follower arcs",
        "power law",
        "clustering",
        "weak components",
        "mean-field threshold",
        "spectral threshold",
        "critical stickiness",
    ] {
        assert!(html.contains(fact), "graph statistic {fact} missing");
    }
    // The manifest, with the fingerprint run.json has.
    let run: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("run.json")).unwrap()).unwrap();
    let fingerprint = run["graph_fingerprint"].as_str().unwrap();
    assert_eq!(fingerprint.len(), 16);
    assert!(fingerprint.chars().all(|c| c.is_ascii_hexdigit()));
    assert!(html.contains(&format!("<code>{fingerprint}</code>")));
    for fact in [
        "viralsim version",
        env!("CARGO_PKG_VERSION"),
        "threads",
        "wall time",
    ] {
        assert!(html.contains(fact), "manifest lacks {fact}");
    }
    assert_eq!(html.matches("data-run-specific").count(), 2);
    // Self-contained: nothing to fetch.
    for outside in [
        "http://", "https://", "src=", "<link", "<script", "url(", "xmlns", "@import",
    ] {
        assert!(
            !html.to_lowercase().contains(outside),
            "report.html contains {outside}"
        );
    }
}

#[test]
fn the_report_is_written_without_chart_files() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = tmp.path().join("no-charts.toml");
    fs::write(
        &scenario,
        format!(
            r#"version = 1
name = "no-charts"
[graph]
edges = "{}/data/karate.txt"
[content]
stickiness = 0.3
[simulation]
runs = 50
steps = 5
[[strategy]]
kind = "top-degree"
count = 2
[output]
formats = []
"#,
            env!("CARGO_MANIFEST_DIR")
        ),
    )
    .unwrap();
    let out = tmp.path().join("out");
    viralsim()
        .args(["run", "--quiet"])
        .arg(&scenario)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let dir = out.join("no-charts");
    assert!(!dir.join("reach.svg").exists() && !dir.join("reach.png").exists());
    let html = fs::read_to_string(dir.join("report.html")).unwrap();
    // Reach and strategies: a single strategy has no comparison but both
    // charts.
    assert_eq!(html.matches("<svg").count(), 2);
}

// ---------------------------------------------------------------------------
// The browser check.

/// The Chromium to use, or why there is none.
fn chromium() -> Result<PathBuf, String> {
    let path = std::env::var_os("VIRALSIM_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "no Chromium at {} (install Debian's `chromium`, or set VIRALSIM_CHROMIUM to a Chromium binary)",
            path.display()
        ))
    }
}

/// Run headless Chromium on `page` with `args`, in a fresh profile,
/// killing it after a minute; its standard output.
fn headless(browser: &Path, page: &Path, args: &[String]) -> Vec<u8> {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Process::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", browser.display()));
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        stdout.read_to_end(&mut bytes).unwrap();
        bytes
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("Chromium took more than a minute on {}", page.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let bytes = reader.join().unwrap();
    assert!(status.success(), "Chromium failed: {status}");
    bytes
}

#[test]
fn a_browser_parses_and_draws_the_report() {
    let browser = match chromium() {
        Ok(path) => path,
        Err(why) if std::env::var("VIRALSIM_REQUIRE_CHROMIUM").as_deref() == Ok("1") => {
            panic!("VIRALSIM_REQUIRE_CHROMIUM=1 but {why}")
        }
        Err(why) => {
            eprintln!("browser check skipped: {why}");
            return;
        }
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = run_everything(tmp.path());
    let page = dir.join("report.html");

    // The parsed DOM still has every section, table row and chart: nothing
    // was swallowed by a parse error.
    let dom = String::from_utf8(headless(&browser, &page, &["--dump-dom".into()])).unwrap();
    for id in SECTIONS {
        assert!(
            dom.contains(&format!("<section id=\"{id}\">")),
            "DOM lacks {id}"
        );
    }
    assert_eq!(dom.matches("<svg").count(), CHARTS, "DOM lost a chart");
    assert_eq!(dom.matches("</svg>").count(), CHARTS);
    let tables: Vec<&str> = dom.split("<table class=\"strategies\">").skip(1).collect();
    assert_eq!(tables.len(), 2);
    for table in tables {
        let body = table.split("</table>").next().unwrap();
        let body = body.split("<tbody>").nth(1).expect("a table body");
        assert_eq!(
            body.matches("<tr").count(),
            NAMES.len(),
            "a row per strategy"
        );
        for name in NAMES {
            assert!(body.contains(&escape_text(name)), "DOM row for {name}");
        }
    }
    assert!(dom.contains("<footer>"), "the DOM ends early");

    // The screenshot: a real picture, with the charts' colours in it.
    let shot = tmp.path().join("report.png");
    headless(
        &browser,
        &page,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1200,6000".into(),
        ],
    );
    let image = image::open(&shot)
        .unwrap_or_else(|e| panic!("{} is not an image: {e}", shot.display()))
        .to_rgb8();
    assert_eq!(image.width(), 1200);
    let pixels = image.pixels().count() as f64;
    let inked = image
        .pixels()
        .filter(|p| p.0.iter().any(|&c| c < 240))
        .count() as f64;
    assert!(
        inked / pixels > 0.05,
        "the page is nearly blank: {:.1}% of pixels not white",
        100.0 * inked / pixels
    );
    // The first two series colours of the charts (blue, vermillion).
    for (name, colour) in [("blue", [0u8, 114, 178]), ("vermillion", [213, 94, 0])] {
        let near = image
            .pixels()
            .filter(|p| {
                p.0.iter()
                    .zip(colour)
                    .all(|(&c, want)| (c as i32 - want as i32).abs() <= 12)
            })
            .count();
        assert!(
            near > 500,
            "hardly any {name} in the screenshot ({near} pixels)"
        );
    }
}

/// `text` as Chromium serialises it in element content: only `&`, `<`,
/// `>` and non-breaking spaces are escaped.
fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Write `text` as NAME.toml in `dir`, run it and return its report.html.
fn report_of(dir: &Path, name: &str, text: &str) -> String {
    let scenario = write(dir, &format!("{name}.toml"), text);
    let out = dir.join("out");
    viralsim()
        .args(["run", "--quiet"])
        .arg(&scenario)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    fs::read_to_string(out.join(name).join("report.html")).unwrap()
}

#[test]
fn a_network_too_large_for_quick_statistics_points_to_the_graph_command() {
    // 1,000,000 people with mean degree 2.2: about 2.2 million follower
    // arcs, over the report's limit of 2 million.
    let tmp = tempfile::tempdir().unwrap();
    let html = report_of(
        tmp.path(),
        "large",
        r#"version = 1
name = "large"
[graph]
generator = "erdos-renyi"
nodes = 1000000
mean_degree = 2.2
[content]
stickiness = 0.1
[simulation]
runs = 2
steps = 2
[[strategy]]
kind = "explicit"
nodes = [1]
[output]
formats = []
"#,
    );
    assert!(html.contains("<section id=\"graph\">"));
    assert!(html.contains("1,000,000 people"));
    assert!(html.contains("<code>viralsim graph large.toml</code>"));
    assert!(
        !html.contains("spectral threshold"),
        "no statistics computed"
    );
}

#[test]
fn a_sweep_adds_its_charts_and_tipping_points() {
    let tmp = tempfile::tempdir().unwrap();
    let html = report_of(
        tmp.path(),
        "swept",
        r#"version = 1
name = "swept"
[graph]
generator = "barabasi-albert"
nodes = 1000
edges_per_node = 2
[content]
stickiness = 0.1
[simulation]
runs = 30
steps = 20
[[strategy]]
name = "a <few>"
kind = "random"
count = 3
[[strategy]]
name = "hubs"
kind = "top-degree"
count = 3
[sweep]
"content.stickiness" = [0.05, 0.2, 0.4]
"trust.value" = [0.5, 1.0]
[trust]
distribution = "constant"
value = 1.0
"#,
    );
    assert!(html.contains("<section id=\"sweep\">"));
    // Two heatmaps, one per strategy, besides the reach and strategies charts.
    assert_eq!(html.matches("<svg").count(), 4);
    assert!(html.contains("id=\"chart-sweep-1-a-few\""));
    assert!(html.contains("id=\"chart-sweep-2-hubs\""));
    // A tipping row per trust value and strategy, the names escaped.
    for trust in ["0.5", "1"] {
        for name in ["a &lt;few&gt;", "hubs"] {
            let row = format!("<tr><td>{trust}</td><th scope=\"row\">{name}</th>");
            assert_eq!(html.matches(&row).count(), 1, "{row}");
        }
    }
    assert!(!html.contains("<few>"));
}
