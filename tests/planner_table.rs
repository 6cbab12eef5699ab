//! What a campaign planner reads: the printed table fits the terminal's
//! width with every optional section (ads, conversion, target, rival), its
//! header has no stray '-', the recommendation sentence names the best
//! strategy of summary.json and heads report.html, the report is in the
//! planner's order with the scientist's detail in a collapsed appendix,
//! and every subcommand's --help shows an example.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{viralsim, write};

/// Every optional section at once on a small network, with a strategy
/// name and seed lists far too long for a narrow terminal.
fn planner(dir: &Path) -> PathBuf {
    let text = r#"version = 1
name = "planner"
[graph]
generator = "stochastic-block"
communities = 4
community_size = 150
mean_degree_in = 8
mean_degree_out = 2
seed = 3
[content]
stickiness = 0.15
[target]
segments = [1, 2]
[costs]
base = 10
per_follower = 1
[conversion]
rate = 0.02
value = 40
[rival]
stickiness = 0.2
start_step = 1
kind = "random"
count = 5
response_delays = [0, 2]
[simulation]
runs = 40
steps = 10
step = "hour"
seed = 9
[[strategy]]
name = "our very own hand-picked brand ambassadors from the spring campaign"
kind = "top-degree"
budget = 300
[[strategy]]
name = "micro-influencers"
kind = "community-spread"
budget = 300
segments = [1, 2]
[[strategy]]
name = "ads only"
kind = "random"
count = 0
[strategy.ads]
budget = 300
cost_per_view = 0.5
to_step = 5
[output]
formats = []
"#;
    write(dir, "planner.toml", text)
}

/// Run the planner scenario with `COLUMNS` set to `columns` (unset with
/// None) and return what it printed and its output folder.
fn run(dir: &Path, columns: Option<usize>) -> (String, PathBuf) {
    let scenario = planner(dir);
    let out = dir.join(format!("out-{columns:?}"));
    let mut cmd = viralsim();
    cmd.arg("run").arg(&scenario).arg("--out").arg(&out);
    match columns {
        Some(c) => cmd.env("COLUMNS", c.to_string()),
        None => cmd.env_remove("COLUMNS"),
    };
    let output = cmd.output().unwrap();
    assert!(output.status.success(), "{output:?}");
    (
        String::from_utf8(output.stdout).unwrap(),
        out.join("planner"),
    )
}

#[test]
fn every_printed_line_fits_the_width_and_the_header_has_no_stray_dash() {
    let tmp = tempfile::tempdir().unwrap();
    for width in [60, 80, 100, 160] {
        let (stdout, _) = run(tmp.path(), Some(width));
        for line in stdout.lines() {
            assert!(
                line.chars().count() <= width,
                "{width}: {} characters: {line}\n{stdout}",
                line.chars().count()
            );
        }
        let header = stdout
            .lines()
            .find(|l| l.contains("strategy") && l.contains("mean reached"))
            .unwrap_or_else(|| panic!("{width}: no header\n{stdout}"));
        assert!(
            !header.split_whitespace().any(|cell| cell == "-"),
            "{width}: {header}"
        );
        assert!(header.trim_start().starts_with("strategy"), "{header}");
        // Every strategy has its row, long names cut with "...".
        assert!(stdout.contains("micro-influencers"), "{stdout}");
        assert!(stdout.contains("ads only"), "{stdout}");
        assert!(stdout.contains("our very own hand-picked"), "{stdout}");
        assert!(!stdout.contains("spring campaign  "), "{stdout}");
    }
    // The wider the terminal, the more columns, then intervals, it shows.
    let header = |text: &str| text.lines().nth(1).unwrap().to_string();
    let (narrow, _) = run(tmp.path(), Some(60));
    let (middle, _) = run(tmp.path(), Some(160));
    let (wide, _) = run(tmp.path(), Some(400));
    let columns = |text: &str| {
        header(text)
            .split("  ")
            .filter(|c| !c.trim().is_empty())
            .count()
    };
    assert!(columns(&narrow) < columns(&middle), "{narrow}\n{middle}");
    assert!(header(&middle).contains("vs best"), "{middle}");
    assert!(header(&wide).contains("mean reached [95% CI]"), "{wide}");
}

#[test]
fn without_a_terminal_or_columns_the_width_is_100() {
    let tmp = tempfile::tempdir().unwrap();
    let (stdout, _) = run(tmp.path(), None);
    assert!(stdout.lines().all(|l| l.chars().count() <= 100), "{stdout}");
    assert!(stdout.lines().any(|l| l.chars().count() > 80), "{stdout}");
}

#[test]
fn the_recommendation_names_summary_jsons_best_under_the_table_and_atop_the_report() {
    let tmp = tempfile::tempdir().unwrap();
    let (stdout, dir) = run(tmp.path(), Some(400));
    let summary: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("summary.json")).unwrap()).unwrap();
    let best = summary["comparison"]["best"].as_str().unwrap();
    let runner_up = summary["comparison"]["runner_up"].as_str().unwrap();
    let sentence = stdout
        .lines()
        .find(|l| l.starts_with("Invite ") || l.starts_with("Go with "))
        .unwrap_or_else(|| panic!("no recommendation\n{stdout}"));
    let short = |name: &str| name.strip_prefix("our ").unwrap_or(name).to_string();
    assert!(sentence.contains(&short(best)), "{sentence} / {best}");
    assert!(sentence.contains(&short(runner_up)), "{sentence}");
    assert!(sentence.contains("% of the network)"), "{sentence}");
    let low = summary["comparison"]["difference"]["ci95_low"]
        .as_f64()
        .unwrap();
    assert_eq!(
        sentence.contains("about the same as"),
        low <= 0.0,
        "{sentence}"
    );
    // Under the table: after the best's row.
    let table_end = stdout.find("\n\n").unwrap();
    assert!(stdout.find(sentence).unwrap() > table_end);
    // The same sentence heads the report.
    let html = fs::read_to_string(dir.join("report.html")).unwrap();
    let escaped = sentence.replace('&', "&amp;").replace('\'', "&#39;");
    let at = html
        .find(&format!(
            "<p class=\"finding recommendation\">{escaped}</p>"
        ))
        .unwrap_or_else(|| panic!("report lacks {escaped}"));
    assert!(at < html.find("<section").unwrap());
}

#[test]
fn the_report_is_in_the_planners_order_with_the_detail_in_a_closed_appendix() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, dir) = run(tmp.path(), None);
    let html = fs::read_to_string(dir.join("report.html")).unwrap();
    let at = |needle: &str| {
        html.find(needle)
            .unwrap_or_else(|| panic!("report lacks {needle}"))
    };
    let order = [
        at("class=\"finding recommendation\""),
        at("<section id=\"strategies\">"),
        at("<section id=\"charts\">"),
        at("<section id=\"invite\">"),
        at("<details class=\"appendix\""),
        at("<section id=\"graph\">"),
        at("<section id=\"manifest\">"),
        at("</details>"),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    // Collapsed: no `open` attribute.
    assert!(!html.contains("<details class=\"appendix\" open"));
    // The scientist's words stay in the appendix.
    let main = &html[..at("<details class=\"appendix\"")];
    for jargon in ["λ", "lambda", "alpha", "Kolmogorov", "KS "] {
        assert!(!main.contains(jargon), "{jargon} before the appendix");
    }
}

#[test]
fn every_subcommand_help_shows_an_example() {
    for sub in ["run", "validate", "graph", "init", "merge"] {
        let output = viralsim().args([sub, "--help"]).output().unwrap();
        assert!(output.status.success());
        let help = String::from_utf8(output.stdout).unwrap();
        let example = help
            .split("Example:")
            .nth(1)
            .unwrap_or_else(|| panic!("{sub} --help has no example:\n{help}"));
        assert!(
            example.contains(&format!("viralsim {sub} ")),
            "{sub}: {example}"
        );
    }
}

#[test]
fn graph_and_validate_print_within_the_width() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = planner(tmp.path());
    for sub in ["graph", "validate"] {
        let output = viralsim()
            .env("COLUMNS", "60")
            .arg(sub)
            .arg(&scenario)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        let stdout = String::from_utf8(output.stdout).unwrap();
        assert!(stdout.lines().count() > 0);
        for line in stdout.lines() {
            assert!(line.chars().count() <= 60, "{sub}: {line}\n{stdout}");
        }
    }
}
