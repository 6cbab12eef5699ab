//! `[sweep]`: every strategy at every point on common random numbers, the
//! tipping point against percolation theory on Erdős–Rényi graphs, and the
//! sweep's files.

mod common;

use std::fs;
use std::path::Path;

use common::{viralsim, write};
use viralsim::pipeline;
use viralsim::scenario::{self, Scenario};
use viralsim::stats::Summary;
use viralsim::sweep::{self, crossing, SweepResults, Tipping};

/// Write `text` as NAME.toml in `dir` and load it.
fn scenario(dir: &Path, name: &str, text: &str) -> Scenario {
    let path = write(dir, &format!("{name}.toml"), text);
    scenario::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

fn run(s: &Scenario) -> SweepResults {
    sweep::run(s, &|_| {}, &|_| {})
        .unwrap()
        .expect("the scenario sweeps")
}

/// The smallest root above 0 of `f`, which is negative at 0, by scanning
/// then bisecting.
fn first_root(f: impl Fn(f64) -> f64) -> f64 {
    let mut hi = 1e-6;
    while f(hi) < 0.0 {
        hi += 1e-4;
        assert!(hi < 1.0 + 1e-3, "no root");
    }
    let mut lo = hi - 1e-4;
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if f(mid) < 0.0 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi
}

/// The reached share on a large Erdős–Rényi graph of mean degree `c`, trust
/// 1, a share `rho` seeded at random, stickiness `p`: the shared share S
/// solves S = 1 - (1 - rho) exp(-c p S), and a person is reached unless a
/// seed or a follower of a sharer: R = 1 - (1 - rho) exp(-c S).
fn reached_share(c: f64, rho: f64, p: f64) -> f64 {
    let s = first_root(|s| s - 1.0 + (1.0 - rho) * (-c * p * s).exp());
    1.0 - (1.0 - rho) * (-c * s).exp()
}

#[test]
fn the_tipping_point_on_erdos_renyi_sits_where_percolation_theory_puts_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (n, c, seeds) = (100_000u32, 4.0, 100u32);
    let runs = 100u32;
    let s = scenario(
        tmp.path(),
        "er",
        &format!(
            r#"version = 1
[graph]
generator = "erdos-renyi"
nodes = {n}
mean_degree = {c}
seed = 3
[content]
stickiness = 0.25
[simulation]
runs = {runs}
steps = 2000
seed = 5
[[strategy]]
name = "random"
kind = "random"
count = {seeds}
[sweep]
"content.stickiness" = {{ from = 0.225, to = 0.26, steps = 8 }}
"#
        ),
    );
    let sweep = run(&s);
    let line = &sweep.tipping[0];
    assert_eq!(line.level, 0.1 * n as f64);

    // The graph as drawn: its mean degree, and for a Poisson degree
    // distribution the mean-field threshold <k> / (<k^2> - <k>) = 1 / c.
    let (graph, _) = pipeline::load_graph(&s).unwrap();
    let c_drawn = graph.arcs() as f64 / n as f64;
    // The drawn mean degree is within 5 standard deviations (c / n per
    // person-pair count) of c.
    assert!((c_drawn - c).abs() < 5.0 * (2.0 * c / n as f64).sqrt());
    let mean_field = line.thresholds.mean_field_stickiness.unwrap();
    // kappa = <k^2>/<k> - 1 estimates c with standard error about
    // sqrt(Var(k^2) / n) / c, Var(k^2) = 4c^3 + 6c^2 + c for Poisson(c).
    let se_kappa = ((4.0 * c * c * c + 6.0 * c * c + c) / n as f64).sqrt() / c;
    assert!(
        (1.0 / mean_field - c).abs() < 5.0 * se_kappa + (c_drawn - c).abs(),
        "mean-field threshold {mean_field} vs 1/c = {}",
        1.0 / c
    );

    // The theory read on the sweep's own grid, interpolated like the sweep
    // does, so the grid's interpolation error cancels.
    let xs = &sweep.axes[0].values;
    let rho = seeds as f64 / n as f64;
    let theory: Vec<f64> = xs
        .iter()
        .map(|&p| n as f64 * reached_share(c_drawn, rho, p))
        .collect();
    let expected = crossing(xs, &theory, line.level).expect("theory crosses inside the sweep");
    // Where the mean reach +- 4 standard errors crosses the level.
    let reached: Vec<Summary> = sweep
        .points
        .iter()
        .map(|p| *p.strategies[0].reached())
        .collect();
    let band = |k: f64| -> Vec<f64> {
        reached
            .iter()
            .map(|r| r.mean + k * r.std / (runs as f64).sqrt())
            .collect()
    };
    let earliest = crossing(xs, &band(4.0), line.level).unwrap();
    let latest = crossing(xs, &band(-4.0), line.level).unwrap();
    let Tipping::Crossed {
        stickiness,
        low,
        high,
    } = line.strategies[0]
    else {
        panic!("{:?}", line.strategies[0]);
    };
    assert!(
        (earliest..=latest).contains(&expected),
        "theory {expected} outside [{earliest}, {latest}] (tipping {stickiness})"
    );
    assert!(low.unwrap() <= stickiness && stickiness <= high.unwrap());
    assert!(earliest <= low.unwrap() && high.unwrap() <= latest);
    // Near 1/c: within 5% of it.
    assert!(
        (stickiness * c - 1.0).abs() < 0.05,
        "tipping {stickiness} vs 1/c"
    );
}

const BASE: &str = r#"version = 1
[graph]
generator = "barabasi-albert"
nodes = 2000
edges_per_node = 2
seed = 4
[content]
stickiness = 0.2
[trust]
distribution = "uniform"
low = 0.2
high = 0.9
[simulation]
runs = 60
steps = 25
seed = 9
[[strategy]]
name = "random people"
kind = "random"
count = 5
[[strategy]]
name = "hubs"
kind = "top-degree"
count = 5
"#;

#[test]
fn reach_grows_with_stickiness_at_every_point() {
    let tmp = tempfile::tempdir().unwrap();
    let text = format!(
        "{BASE}[sweep]\n\"content.stickiness\" = {{ from = 0.05, to = 0.5, steps = 10 }}\n"
    );
    let sweep = run(&scenario(tmp.path(), "grows", &text));
    assert_eq!(sweep.points.len(), 10);
    for s in 0..2 {
        for w in sweep.points.windows(2) {
            let (a, b) = (w[0].strategies[s].reached(), w[1].strategies[s].reached());
            assert!(b.mean > a.mean, "strategy {s}: {} then {}", a.mean, b.mean);
        }
    }
    assert_eq!(sweep.tipping.len(), 1);
}

#[test]
fn each_point_is_the_scenario_with_its_keys_set() {
    let tmp = tempfile::tempdir().unwrap();
    let text =
        format!("{BASE}[sweep]\n\"trust.high\" = [0.5, 1.0]\n\"strategy.hubs.count\" = [1, 7]\n");
    let sweep = run(&scenario(tmp.path(), "two", &text));
    assert_eq!(sweep.points.len(), 4);
    assert!(sweep.tipping.is_empty(), "no stickiness axis, no tipping");
    // Point (trust.high = 1.0, hubs = 7) against the same scenario written
    // out by hand.
    let point = sweep.point(1, 1);
    assert_eq!(point.values, vec![1.0, 7.0]);
    let by_hand = BASE.replace("high = 0.9", "high = 1.0").replace(
        "name = \"hubs\"\nkind = \"top-degree\"\ncount = 5",
        "name = \"hubs\"\nkind = \"top-degree\"\ncount = 7",
    );
    assert_ne!(by_hand, BASE);
    let prepared = pipeline::prepare(scenario(tmp.path(), "by-hand", &by_hand)).unwrap();
    let results = pipeline::simulate(&prepared, &|_| {});
    for (got, want) in point.strategies.iter().zip(&results.strategies) {
        assert_eq!(got.reached(), want.reached());
        assert_eq!(got.seeds_per_run, want.seeds_per_run);
    }
    assert_eq!(point.strategies[1].seeds_per_run, 7.0);
    assert_eq!(sweep.point(0, 0).strategies[1].seeds_per_run, 1.0);
}

#[test]
fn a_key_the_file_leaves_out_is_added_at_each_point() {
    let tmp = tempfile::tempdir().unwrap();
    // half_life is not in the file; whole values go in as numbers all the same.
    let text = format!("{BASE}[sweep]\n\"content.half_life\" = [1, 2.5, 1000000]\n");
    let s = scenario(tmp.path(), "decay", &text);
    let sweep = run(&s);
    let reach: Vec<f64> = sweep
        .points
        .iter()
        .map(|p| p.strategies[1].reached().mean)
        .collect();
    assert!(reach[0] < reach[1] && reach[1] < reach[2], "{reach:?}");
    assert_eq!(s.at_point(&[2.5]).unwrap().half_life, Some(2.5));
}

#[test]
fn a_two_key_sweep_writes_its_table_heatmaps_and_tipping_points() {
    let tmp = tempfile::tempdir().unwrap();
    let text = format!(
        "{BASE}[sweep]\n\"content.stickiness\" = {{ from = 0.1, to = 0.4, steps = 4 }}\n\"trust.low\" = [0.0, 0.2]\ntipping_fraction = 0.25\n"
    );
    let path = write(tmp.path(), "grid.toml", &text);
    let out = tmp.path().join("out");
    let assert = viralsim()
        .args(["run", "--quiet"])
        .arg(&path)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    drop(assert);
    let dir = out.join("grid");
    for f in [
        "sweep.csv",
        "tipping.csv",
        "sweep-1-random-people.png",
        "sweep-1-random-people.svg",
        "sweep-2-hubs.png",
        "sweep-2-hubs.svg",
    ] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    assert!(!dir.join("sweep.png").exists());
    let csv = fs::read_to_string(dir.join("sweep.csv")).unwrap();
    let mut lines = csv.lines();
    let header = lines.next().unwrap();
    assert!(header.starts_with("point,content.stickiness,trust.low,strategy,runs,"));
    // 8 points x 2 strategies x 3 metrics (reached, shared, impressions).
    assert_eq!(lines.clone().count(), 8 * 2 * 3);
    assert!(lines.all(|l| l.split(',').count() == header.split(',').count()));
    let tipping = fs::read_to_string(dir.join("tipping.csv")).unwrap();
    assert!(tipping.starts_with("strategy,trust.low,people,tipping_fraction,level,"));
    // One line per trust.low value and strategy.
    assert_eq!(tipping.lines().count(), 1 + 2 * 2);
    let summary: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["sweep"]["points"], 8);
    assert_eq!(summary["sweep"]["keys"][1]["key"], "trust.low");
    assert_eq!(summary["sweep"]["tipping"][0]["level"], 500.0);
    let heatmap = fs::read_to_string(dir.join("sweep-2-hubs.svg")).unwrap();
    for text in [
        "hubs",
        "content.stickiness",
        "trust.low",
        "people reached (mean)",
    ] {
        assert!(heatmap.contains(text), "heatmap lacks {text}");
    }
}

#[test]
fn a_one_key_sweep_draws_reach_against_the_key() {
    let tmp = tempfile::tempdir().unwrap();
    let text = format!("{BASE}[sweep]\n\"strategy[1].count\" = [1, 3, 9]\n");
    let path = write(tmp.path(), "line.toml", &text);
    let out = tmp.path().join("out");
    let output = viralsim()
        .args(["run"])
        .arg(&path)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("Sweep: strategy[1].count from 1 to 9 (3 values); 3 points"),
        "{stdout}"
    );
    let dir = out.join("line");
    assert!(dir.join("sweep.csv").is_file());
    assert!(
        !dir.join("tipping.csv").exists(),
        "no stickiness, no tipping"
    );
    let svg = fs::read_to_string(dir.join("sweep.svg")).unwrap();
    for text in ["strategy[1].count", "random people", "hubs", "95% CI"] {
        assert!(svg.contains(text), "sweep.svg lacks {text}");
    }
}

#[test]
fn with_runs_auto_each_point_runs_until_its_intervals_are_narrow() {
    let tmp = tempfile::tempdir().unwrap();
    let text = BASE.replace(
        "runs = 60",
        "runs = \"auto\"\nci_half_width = 0.04\nmax_runs = 5000",
    ) + "[sweep]\n\"content.stickiness\" = [0.05, 0.3]\n";
    assert!(text.contains("auto"));
    let sweep = run(&scenario(tmp.path(), "auto", &text));
    for p in &sweep.points {
        assert!(p.runs < 5000, "the cap was not needed");
        for st in &p.strategies {
            let r = st.reached();
            assert!(
                (r.ci95_high - r.mean) / r.mean <= 0.04,
                "stickiness {}: half width {} of {}",
                p.values[0],
                r.ci95_high - r.mean,
                r.mean
            );
        }
    }
    // Random seeding varies more at the higher stickiness, where some runs
    // take off and some do not: that point needs more runs.
    assert!(
        sweep.points[1].runs > sweep.points[0].runs,
        "{:?}",
        sweep.points.iter().map(|p| p.runs).collect::<Vec<_>>()
    );
}

#[test]
fn a_budget_sweep_reports_money_at_every_point() {
    let tmp = tempfile::tempdir().unwrap();
    let text = BASE.replace(
        "kind = \"random\"\ncount = 5",
        "kind = \"random\"\nbudget = 40",
    ) + "[costs]\nbase = 5\n[conversion]\nrate = 0.05\nvalue = 30\n[sweep]\n\"strategy[0].budget\" = [20, 40, 80]\n";
    assert!(text.contains("budget = 40"));
    let path = write(tmp.path(), "money.toml", &text);
    let out = tmp.path().join("out");
    viralsim()
        .args(["run", "--quiet"])
        .arg(&path)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let csv = fs::read_to_string(out.join("money/sweep.csv")).unwrap();
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    // point, budget, strategy, runs, people, seeds, cost, metric, mean, ...
    let mean = |point: &str, metric: &str| -> f64 {
        rows.iter()
            .find(|r| r[0] == point && r[2] == "random people" && r[7] == metric)
            .unwrap_or_else(|| panic!("{metric} at point {point}"))[8]
            .parse()
            .unwrap()
    };
    for (point, budget) in [("0", 20.0), ("1", 40.0), ("2", 80.0)] {
        // Revenue is conversions x 30, run by run, so in the mean too.
        let (converted, revenue) = (mean(point, "converted"), mean(point, "revenue"));
        assert!((revenue - 30.0 * converted).abs() < 1e-9 * revenue.max(1.0));
        // Seeds cost 5 each: the budget buys budget / 5 of them.
        let seeds: f64 = rows
            .iter()
            .find(|r| r[0] == point && r[2] == "random people")
            .unwrap()[5]
            .parse()
            .unwrap();
        assert_eq!(seeds, budget / 5.0);
        assert!(mean(point, "roi").is_finite());
        assert_eq!(mean(point, "money_cost"), budget);
    }
}
