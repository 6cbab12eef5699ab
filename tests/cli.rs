//! The `viralsim` binary end to end: outputs, reproducibility across thread
//! counts, and every bad input's message and exit code.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{assert_same_outputs_on_one_and_two_threads, fixture_error, root, viralsim};

/// The product-launch example, made small enough for a test.
fn small_launch(dir: &Path) -> PathBuf {
    let text = fs::read_to_string(root().join("scenarios/product-launch.toml"))
        .unwrap()
        .replace("nodes = 100000", "nodes = 5000")
        .replace("runs = 1000", "runs = 300");
    let path = dir.join("launch.toml");
    fs::write(&path, text).unwrap();
    path
}

#[test]
fn run_writes_every_output() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = small_launch(tmp.path());
    let out = tmp.path().join("out");
    let assert = viralsim()
        .arg("run")
        .arg(&scenario)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    for name in [
        "random people",
        "top influencers",
        "our ambassadors",
        "mean reached [95% CI]",
    ] {
        assert!(stdout.contains(name), "table lacks {name}:\n{stdout}");
    }
    let dir = out.join("product-launch");
    for f in [
        "summary.json",
        "run.json",
        "curves.csv",
        "strategies.csv",
        "seeds.csv",
        "strategies.png",
        "strategies.svg",
        "reach.png",
        "reach.svg",
        "scenario.toml",
        "report.html",
    ] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    let leftovers: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left behind");

    let summary: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["scenario"], "product-launch");
    assert_eq!(summary["runs"], 300);
    assert_eq!(summary["graph"]["nodes"], 5000);
    let strategies = summary["strategies"].as_array().unwrap();
    assert_eq!(strategies.len(), 3);
    assert!(strategies[0]["seeds"].is_null(), "random seeds are per run");
    assert_eq!(strategies[2]["seeds"], serde_json::json!([12, 845, 3301]));
    assert_eq!(strategies[1]["seeds"].as_array().unwrap().len(), 10);
    for s in strategies {
        for metric in ["reached", "shared"] {
            let f = &s["final"][metric];
            let mean = f["mean"].as_f64().unwrap();
            assert!(
                f["ci95_low"].as_f64().unwrap() <= mean && mean <= f["ci95_high"].as_f64().unwrap()
            );
            assert!(f["p05"].as_f64().unwrap() <= f["p50"].as_f64().unwrap());
            assert!(f["p50"].as_f64().unwrap() <= f["p95"].as_f64().unwrap());
        }
        assert!(s["final"]["reached"]["mean"].as_f64() >= s["final"]["shared"]["mean"].as_f64());
    }
    assert!(
        strategies[1]["versus_best"].is_null(),
        "top influencers is the best"
    );
    for i in [0, 2] {
        let d = &strategies[i]["versus_best"];
        assert!(
            d["ci95_high"].as_f64().unwrap() < 0.0,
            "strategy {i} is clearly behind the best"
        );
    }
    let table = fs::read_to_string(dir.join("strategies.csv")).unwrap();
    let rows: Vec<&str> = table.lines().collect();
    assert_eq!(rows.len(), 4);
    assert!(rows[0].starts_with("strategy,kind,seeds,cost,budget,best,reached_mean"));
    // Without a [costs] table everyone costs 1.
    assert!(rows[2].starts_with("top influencers,top-degree,10,10,,true,"));
    let cmp = &summary["comparison"];
    assert_eq!(cmp["best"], "top influencers");
    assert!(cmp["difference"]["ci95_low"].as_f64().unwrap() > 0.0);

    let run: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("run.json")).unwrap()).unwrap();
    for k in [
        "load_seconds",
        "seed_seconds",
        "simulate_seconds",
        "write_seconds",
    ] {
        assert!(run[k].as_f64().unwrap() >= 0.0, "{k}");
    }
    assert_eq!(run["viralsim_version"], env!("CARGO_PKG_VERSION"));
    let times = run["strategies"].as_array().unwrap();
    assert_eq!(times.len(), 3);
    assert_eq!(times[1]["name"], "top influencers");
    assert!(times[1]["choose_seconds"].as_f64().unwrap() >= 0.0);

    let csv = fs::read_to_string(dir.join("curves.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "strategy,step,metric,mean,std,p05,p50,p95"
    );
    // 3 strategies x 31 steps x 3 metrics (reached, shared, impressions).
    assert_eq!(lines.count(), 3 * 31 * 3);
    let png = fs::read(dir.join("reach.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let svg = fs::read_to_string(dir.join("reach.svg")).unwrap();
    assert!(svg.contains("top influencers"));
    assert_eq!(
        fs::read_to_string(dir.join("scenario.toml")).unwrap(),
        fs::read_to_string(&scenario).unwrap()
    );
}

/// A budget campaign on the karate club: costs by followers, people who
/// may decline, and every kind of budgeted choice (drawn per run, ranked,
/// simulated, sampled).
fn karate_budget(dir: &Path) -> PathBuf {
    let path = dir.join("karate-budget.toml");
    let text = format!(
        r#"version = 1
name = "karate-budget"
[graph]
edges = "{}/data/karate.txt"
[content]
stickiness = 0.2
[costs]
base = 10
per_follower = 3
acceptance = 0.7
[simulation]
runs = 200
steps = 10
[[strategy]]
kind = "random"
budget = 60
[[strategy]]
kind = "community-spread"
budget = 60
[[strategy]]
kind = "celf"
budget = 60
runs = 20
[[strategy]]
kind = "imm"
budget = 60
"#,
        env!("CARGO_MANIFEST_DIR")
    );
    fs::write(&path, text).unwrap();
    path
}

#[test]
fn budget_outputs_are_identical_for_any_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = karate_budget(tmp.path());
    assert_same_outputs_on_one_and_two_threads(tmp.path(), &scenario, "karate-budget");
}

#[test]
fn outputs_are_identical_for_any_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = small_launch(tmp.path());
    assert_same_outputs_on_one_and_two_threads(tmp.path(), &scenario, "product-launch");
}

#[test]
fn auto_run_counts_are_identical_for_any_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(small_launch(tmp.path()))
        .unwrap()
        .replace(
            "runs = 300",
            "runs = \"auto\"\nci_half_width = 0.05\nmax_runs = 20000",
        );
    assert!(text.contains("runs = \"auto\""));
    let scenario = tmp.path().join("auto.toml");
    fs::write(&scenario, text).unwrap();
    assert_same_outputs_on_one_and_two_threads(tmp.path(), &scenario, "product-launch");
    let dir = tmp.path().join("t2/product-launch");
    let summary: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("summary.json")).unwrap()).unwrap();
    let auto = &summary["auto"];
    let batches = auto["batches"].as_array().unwrap();
    assert!(batches.len() >= 2, "{auto}");
    assert_eq!(summary["runs"], *batches.last().unwrap());
    assert_eq!(auto["reached_target"], true);
    assert_eq!(auto["stopped_at_max_runs"], false);
    assert_eq!(auto["ci_half_width"], 0.05);
    assert!(auto["widest"].as_f64().unwrap() <= 0.05);
    let run: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("run.json")).unwrap()).unwrap();
    assert_eq!(run["runs"], summary["runs"]);
    assert_eq!(run["batches"], auto["batches"]);
    for s in summary["strategies"].as_array().unwrap() {
        let reached = &s["final"]["reached"];
        let mean = reached["mean"].as_f64().unwrap();
        assert!(reached["ci95_high"].as_f64().unwrap() - mean <= 0.05 * mean);
    }

    let assert = viralsim()
        .arg("run")
        .arg(&scenario)
        .arg("--out")
        .arg(tmp.path().join("shown"))
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let runs = summary["runs"].as_u64().unwrap();
    for text in [
        format!("product-launch ({runs} runs, 30 hours"),
        "runs (auto: every strategy's 95% CI within ±5.0% of its mean; widest ±".into(),
        format!("paired over {runs} runs"),
    ] {
        assert!(stdout.contains(&text), "output lacks {text}:\n{stdout}");
    }

    // A target out of reach: max_runs stops the runs, and says so.
    let text = fs::read_to_string(&scenario)
        .unwrap()
        .replace("ci_half_width = 0.05", "ci_half_width = 0.001")
        .replace("max_runs = 20000", "max_runs = 200");
    let capped = tmp.path().join("capped.toml");
    fs::write(&capped, text).unwrap();
    let out = tmp.path().join("capped");
    let assert = viralsim()
        .arg("run")
        .arg(&capped)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.contains("stopped at max_runs = 200: widest CI ±")
            && stdout.contains("asked ±0.10%"),
        "{stdout}"
    );
    let summary: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("product-launch/summary.json")).unwrap())
            .unwrap();
    assert_eq!(summary["runs"], 200);
    assert_eq!(summary["auto"]["stopped_at_max_runs"], true);
    assert_eq!(summary["auto"]["reached_target"], false);
}

#[test]
fn linear_threshold_outputs_are_identical_for_any_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(root().join("scenarios/complex-contagion.toml"))
        .unwrap()
        .replace("runs = 1000", "runs = 200");
    let scenario = tmp.path().join("complex.toml");
    fs::write(&scenario, text).unwrap();
    assert_same_outputs_on_one_and_two_threads(tmp.path(), &scenario, "complex-contagion");
    let summary: serde_json::Value = serde_json::from_slice(
        &fs::read(tmp.path().join("t1/complex-contagion/summary.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(summary["model"], "linear-threshold");
}

#[test]
fn segment_outputs_are_identical_for_any_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(root().join("scenarios/target-segments.toml"))
        .unwrap()
        .replace("community_size = 1000", "community_size = 300")
        .replace("runs = 1000", "runs = 200");
    let scenario = tmp.path().join("segments.toml");
    fs::write(&scenario, text).unwrap();
    assert_same_outputs_on_one_and_two_threads(tmp.path(), &scenario, "target-segments");
    let dir = tmp.path().join("t1/target-segments");
    for f in ["target-reach.png", "target-reach.svg"] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    let summary: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["target"]["segments"], serde_json::json!(["3", "7"]));
    assert_eq!(summary["target"]["people"], 600);
    assert_eq!(summary["graph"]["segments"], 10);
    for s in summary["strategies"].as_array().unwrap() {
        let finals = &s["final"];
        let mean = |m: &str| finals[m]["mean"].as_f64().unwrap();
        let (inside, outside) = (mean("reached_in_target"), mean("reached_outside_target"));
        assert!((inside + outside - mean("reached")).abs() < 1e-9 * mean("reached"));
        let segments = s["segments"].as_array().unwrap();
        assert_eq!(segments.len(), 10, "no one is unassigned");
        let in_target: Vec<&str> = segments
            .iter()
            .filter(|g| g["in_target"] == true)
            .map(|g| g["segment"].as_str().unwrap())
            .collect();
        assert_eq!(in_target, ["3", "7"]);
        let wasted = s["wasted_share"].as_f64().unwrap();
        assert!((wasted - outside / mean("reached")).abs() < 1e-12);
    }
    let strategies = summary["strategies"].as_array().unwrap();
    assert!(strategies[0]["seeded_from"].is_null());
    assert_eq!(strategies[1]["seeded_from"], serde_json::json!(["3", "7"]));
    let csv = fs::read_to_string(dir.join("curves.csv")).unwrap();
    assert!(csv.contains(",reached_in_target,") && csv.contains(",reached_outside_target,"));
    let table = fs::read_to_string(dir.join("strategies.csv")).unwrap();
    assert!(table.lines().next().unwrap().contains(
        "reached_in_target_mean,reached_in_target_ci95_low,reached_in_target_ci95_high,reached_outside_target_mean"
    ));
}

#[test]
fn rival_outputs_are_identical_for_any_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(root().join("scenarios/rival-claim.toml"))
        .unwrap()
        .replace("nodes = 20000", "nodes = 2000")
        .replace("runs = 1000", "runs = 200");
    let scenario = tmp.path().join("rival.toml");
    fs::write(&scenario, text).unwrap();
    assert_same_outputs_on_one_and_two_threads(tmp.path(), &scenario, "rival-claim");
    let dir = tmp.path().join("t1/rival-claim");
    for f in ["rival-reach.png", "rival-reach.svg"] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    let summary: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["rival"]["name"], "harm claim");
    assert_eq!(summary["rival"]["kind"], "random");
    assert!(summary["rival"]["seeds"].is_null(), "drawn afresh per run");
    assert_eq!(summary["rival"]["seeds_per_run"], 10.0);
    for s in summary["strategies"].as_array().unwrap() {
        let mean = |m: &str| s["final"][m]["mean"].as_f64().unwrap();
        assert!(mean("rival_reached") >= mean("rival_shared"));
        let against = &s["against_rival"];
        let net = against["net_reached"]["mean"].as_f64().unwrap();
        assert!((net - (mean("reached") - mean("rival_reached"))).abs() < 1e-6);
        for k in ["delay_cost", "delay_cost_net"] {
            let d = &against[k];
            assert!(d["ci95_low"].as_f64() <= d["mean"].as_f64(), "{k}");
        }
    }
    let csv = fs::read_to_string(dir.join("curves.csv")).unwrap();
    assert!(csv.contains(",rival_reached,") && csv.contains(",rival_shared,"));
    let table = fs::read_to_string(dir.join("strategies.csv")).unwrap();
    assert!(table.lines().next().unwrap().ends_with(
        "net_reached_mean,net_reached_ci95_low,net_reached_ci95_high,delay_cost_mean,delay_cost_ci95_low,delay_cost_ci95_high,delay_cost_net_mean,delay_cost_net_ci95_low,delay_cost_net_ci95_high"
    ));
    let out = tmp.path().join("shown");
    // Wide enough for every column and interval.
    let assert = viralsim()
        .env("COLUMNS", "200")
        .args(["run", "--runs", "50"])
        .arg(&scenario)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    for text in [
        "rival reached",
        "net reached [95% CI]",
        "top influencers: each hour of delay in our response costs",
    ] {
        assert!(stdout.contains(text), "table lacks {text}:\n{stdout}");
    }
}

#[test]
fn the_table_shows_reach_in_the_target_and_wasted_reach() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    // Wide enough for every column and interval.
    let assert = viralsim()
        .env("COLUMNS", "400")
        .args(["run", "--runs", "100"])
        .arg(root().join("scenarios/karate-factions.toml"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    for column in ["in target [95% CI]", "wasted"] {
        assert!(stdout.contains(column), "table lacks {column}:\n{stdout}");
    }
    let summary: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("karate-factions/summary.json")).unwrap())
            .unwrap();
    assert_eq!(summary["graph"]["segment_file"], "karate-factions.txt");
    assert_eq!(summary["trust"]["by_segment"]["other_segment"], 0.3);
}

#[test]
fn runs_and_seed_flags_override_the_scenario() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = small_launch(tmp.path());
    let out = tmp.path().join("out");
    viralsim()
        .args(["run", "-q", "--runs", "40", "--seed", "9"])
        .arg(&scenario)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let summary: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("product-launch/summary.json")).unwrap())
            .unwrap();
    assert_eq!(summary["runs"], 40);
    assert_eq!(summary["seed"], 9);
    stderr_contains(
        &viralsim()
            .args(["run", "--runs", "1"])
            .arg(&scenario)
            .arg("--out")
            .arg(&out)
            .assert()
            .code(2),
        "'--runs <N>': 1 is out of range: allowed 2 to",
    );
}

fn stderr_contains(assert: &assert_cmd::assert::Assert, expected: &str) {
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr);
    assert!(
        stderr.contains(expected),
        "stderr lacks `{expected}`:\n{stderr}"
    );
}

#[test]
fn every_bad_scenario_gives_its_error_and_exit_code_2() {
    let dir = root().join("tests/fixtures/bad");
    let mut checked = 0;
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    for path in files {
        let expected = fixture_error(&path);
        for command in ["validate", "run"] {
            let out = tempfile::tempdir().unwrap();
            let mut cmd = viralsim();
            cmd.arg(command).arg(&path);
            if command == "run" {
                cmd.arg("--out").arg(out.path());
            }
            let output = cmd.output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(
                output.status.code(),
                Some(2),
                "{} ({command}): exit code, stderr:\n{stderr}",
                path.display()
            );
            assert_eq!(
                stderr.matches(&expected).count(),
                1,
                "{} ({command}): expected once\n  {expected}\ngot\n  {stderr}",
                path.display()
            );
            assert!(
                stderr.contains(&path.display().to_string()) || stderr.contains(".txt"),
                "{}: error does not name the file",
                path.display()
            );
            // The output folder's lock file stays: removing a lock file races.
            let written = fs::read_dir(out.path())
                .unwrap()
                .filter(|e| {
                    !e.as_ref()
                        .unwrap()
                        .file_name()
                        .to_string_lossy()
                        .ends_with(".lock")
                })
                .count();
            assert_eq!(written, 0, "a failed run wrote output");
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} bad fixtures");
}

#[test]
fn good_scenarios_validate() {
    let mut files: Vec<PathBuf> = fs::read_dir(root().join("tests/fixtures/good"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.extend(
        fs::read_dir(root().join("scenarios"))
            .unwrap()
            .map(|e| e.unwrap().path()),
    );
    for path in files
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
    {
        viralsim().arg("validate").arg(&path).assert().success();
    }
}

#[test]
fn missing_scenario_file_is_bad_input() {
    stderr_contains(
        &viralsim()
            .args(["validate", "nowhere.toml"])
            .assert()
            .code(2),
        "cannot read scenario nowhere.toml",
    );
}

#[test]
fn a_huge_scenario_file_is_refused_with_a_hint() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("huge.toml");
    fs::write(&path, "# x\n".repeat(300_000)).unwrap();
    stderr_contains(
        &viralsim().arg("validate").arg(&path).assert().code(2),
        "a scenario file is at most",
    );
}

#[test]
fn unwritable_output_is_exit_code_1_and_leaves_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = small_launch(tmp.path());
    let blocker = tmp.path().join("out");
    fs::write(&blocker, "a file where the output folder should go").unwrap();
    stderr_contains(
        &viralsim()
            .args(["run", "-q", "--runs", "10"])
            .arg(&scenario)
            .arg("--out")
            .arg(blocker.join("sub"))
            .assert()
            .code(1),
        "cannot use the output folder",
    );
    assert_eq!(
        fs::read_to_string(&blocker).unwrap(),
        "a file where the output folder should go"
    );
}

#[test]
fn edge_list_cleaning_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("net.txt"), "1 2\n2 1\n3 3\n2 3\n").unwrap();
    let s = tmp.path().join("s.toml");
    fs::write(&s, "version = 1\n[graph]\nedges = \"net.txt\"\n[content]\nstickiness = 0.5\n[[strategy]]\nkind = \"explicit\"\nnodes = [1]\n").unwrap();
    stderr_contains(
        &viralsim().arg("validate").arg(&s).assert().success(),
        "dropped 1 self-loop line(s), merged 1 duplicate edge line(s) of 4",
    );
}

#[test]
fn dynamics_outputs_are_identical_for_any_thread_count() {
    // Ads, decay, costs, conversions and a rival together, on a smaller
    // network.
    let tmp = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(root().join("scenarios/ads-and-word-of-mouth.toml"))
        .unwrap()
        .replace("nodes = 50000", "nodes = 3000")
        .replace("runs = 500", "runs = 60")
        .replace("stickiness = 0.08", "stickiness = 0.08\nhalf_life = 5")
        + "\n[rival]\nstickiness = 0.1\nstart_step = 2\nkind = \"random\"\ncount = 5\n";
    assert!(text.contains("half_life = 5") && text.contains("nodes = 3000"));
    let scenario = tmp.path().join("ads.toml");
    fs::write(&scenario, text).unwrap();
    assert_same_outputs_on_one_and_two_threads(tmp.path(), &scenario, "ads-and-word-of-mouth");
    let summary: serde_json::Value = serde_json::from_slice(
        &fs::read(tmp.path().join("t1/ads-and-word-of-mouth/summary.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(summary["half_life"], 5.0);
    assert_eq!(summary["step"], "day");
    let ads_only = &summary["strategies"][0];
    assert_eq!(ads_only["invited"], 0.0);
    assert!(ads_only["paid"]["cost"]["mean"].as_f64().unwrap() > 0.0);
    assert!(ads_only["against_rival"].is_object());
    assert!(summary["rival"].is_object());
}

#[test]
fn sweep_outputs_are_identical_for_any_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let original = fs::read_to_string(root().join("scenarios/how-sticky.toml")).unwrap();
    let text = original
        .replace("nodes = 20000", "nodes = 2000")
        .replace("runs = 300", "runs = 40")
        .replace("steps = 20 }", "steps = 5 }");
    assert_eq!(
        text.matches("2000\n").count(),
        1,
        "the graph was made smaller"
    );
    assert!(text.contains("steps = 5 }"));
    let scenario = tmp.path().join("how-sticky.toml");
    fs::write(&scenario, text).unwrap();
    assert_same_outputs_on_one_and_two_threads(tmp.path(), &scenario, "how-sticky");
    let names: Vec<String> = fs::read_dir(tmp.path().join("t1/how-sticky"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for f in ["sweep.csv", "tipping.csv", "sweep.png", "sweep.svg"] {
        assert!(names.iter().any(|n| n == f), "{f} missing");
    }
}
