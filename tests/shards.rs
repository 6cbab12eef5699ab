//! `viralsim run --shard K/N` and `viralsim merge`: merged shards give the
//! unsharded run's outputs byte for byte, whatever the number and order of
//! the shards, and every set of shards that does not make one job is
//! refused with exit 2, naming the folder or file at fault.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;

/// The outputs that must be byte-identical (report.html apart).
const SAME: [&str; 5] = [
    "summary.json",
    "curves.csv",
    "strategies.csv",
    "sweep.csv",
    "tipping.csv",
];

/// Run shards `ks` of `n` of `scenario` into `out`, with `args`.
fn shards(scenario: &Path, out: &Path, n: u32, ks: &[u32], args: &[&str]) {
    for k in ks {
        let shard = format!("{k}/{n}");
        let mut all = vec!["--shard", &shard];
        all.extend_from_slice(args);
        let (code, err) = run_into(scenario, out, &all);
        assert_eq!(code, Some(0), "shard {shard}: {err}");
    }
}

/// `viralsim merge DIRS --out OUT -q`: exit code and standard error.
fn merge(dirs: &[PathBuf], out: &Path) -> (Option<i32>, String) {
    let output = viralsim()
        .arg("merge")
        .args(dirs)
        .arg("--out")
        .arg(out)
        .arg("-q")
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn folder(out: &Path, name: &str, k: u32, n: u32) -> PathBuf {
    out.join(format!("{name}.shard-{k}-of-{n}"))
}

/// report.html without the lines marked run-specific.
fn html_without_timings(path: &Path) -> String {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.contains("data-run-specific"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn assert_same_outputs(full: &Path, merged: &Path) {
    let mut compared = 0;
    for file in SAME {
        let (a, b) = (full.join(file), merged.join(file));
        assert_eq!(a.exists(), b.exists(), "{file}");
        if a.exists() {
            assert!(
                fs::read(&a).unwrap() == fs::read(&b).unwrap(),
                "{} differs from {}",
                b.display(),
                a.display()
            );
            compared += 1;
        }
    }
    assert!(compared >= 3);
    assert_eq!(
        html_without_timings(&full.join("report.html")),
        html_without_timings(&merged.join("report.html")),
        "report.html"
    );
}

/// Run the bundled scenario `name` unsharded with `runs`, then in 1, 2, 3
/// and 7 shards (run and listed in scrambled orders) from `counts`, and
/// check every merge against the unsharded outputs.
fn merges_like_one_run(name: &str, runs: u32, counts: &[u32]) {
    let dir = tempfile::tempdir().unwrap();
    let scenario = root().join("scenarios").join(format!("{name}.toml"));
    let runs = runs.to_string();
    let args = ["--runs", runs.as_str(), "--threads", "2"];
    let full = dir.path().join("full");
    let (code, err) = run_into(&scenario, &full, &args);
    assert_eq!(code, Some(0), "{err}");
    for &n in counts {
        let out = dir.path().join(format!("shards-{n}"));
        // Shards in reverse order, listed rotated: neither order matters.
        let ks: Vec<u32> = (1..=n).rev().collect();
        shards(&scenario, &out, n, &ks, &args);
        let mut dirs: Vec<PathBuf> = (1..=n).map(|k| folder(&out, name, k, n)).collect();
        dirs.rotate_left(n as usize / 2);
        let merged = dir.path().join(format!("merged-{n}"));
        let (code, err) = merge(&dirs, &merged);
        assert_eq!(code, Some(0), "merge of {n}: {err}");
        assert_same_outputs(&full.join(name), &merged.join(name));
    }
}

#[test]
fn merged_shards_equal_the_unsharded_run() {
    merges_like_one_run("karate-club", 40, &[1, 2, 3, 7]);
}

#[test]
fn merged_shards_equal_the_unsharded_run_with_a_rival() {
    merges_like_one_run("respond-in-time", 30, &[1, 2, 3, 7]);
}

#[test]
fn merged_shards_equal_the_unsharded_run_of_a_sweep() {
    merges_like_one_run("how-sticky", 21, &[1, 2]);
}

#[test]
fn merged_shards_equal_the_unsharded_run_of_a_sweep_in_more_shards() {
    merges_like_one_run("how-sticky", 21, &[3, 7]);
}

#[test]
fn more_shards_than_runs_still_merge() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(dir.path(), "s.toml", &small_scenario(Some("tiny"), ""));
    let args = ["--runs", "3"];
    let (code, err) = run_into(&scenario, &dir.path().join("full"), &args);
    assert_eq!(code, Some(0), "{err}");
    let out = dir.path().join("sh");
    shards(&scenario, &out, 5, &[1, 2, 3, 4, 5], &args);
    let dirs: Vec<PathBuf> = (1..=5).map(|k| folder(&out, "tiny", k, 5)).collect();
    let (code, err) = merge(&dirs, &dir.path().join("m"));
    assert_eq!(code, Some(0), "{err}");
    assert_same_outputs(&dir.path().join("full/tiny"), &dir.path().join("m/tiny"));
}

/// A job of three shards of a small scenario in `dir/sh`, its scenario
/// file and its folders.
fn job(dir: &Path) -> (PathBuf, Vec<PathBuf>) {
    let scenario = write(dir, "s.toml", &small_scenario(Some("job"), ""));
    let out = dir.join("sh");
    shards(&scenario, &out, 3, &[1, 2, 3], &[]);
    let dirs = (1..=3).map(|k| folder(&out, "job", k, 3)).collect();
    (scenario, dirs)
}

/// Merging `dirs` fails with exit 2 and a message holding every one of
/// `words`.
fn refused(dirs: &[PathBuf], out: &Path, words: &[&str]) {
    let (code, err) = merge(dirs, out);
    assert_eq!(code, Some(2), "{err}");
    for w in words {
        assert!(err.contains(w), "{w:?} not in {err}");
    }
    assert!(!out.join("job").exists(), "nothing is written on a refusal");
}

#[test]
fn a_missing_shard_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let (_, dirs) = job(dir.path());
    refused(
        &[dirs[0].clone(), dirs[2].clone()],
        &dir.path().join("m"),
        &["shard 2 of 3 is missing"],
    );
}

#[test]
fn a_duplicated_shard_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let (_, dirs) = job(dir.path());
    let copy = dir.path().join("copy");
    fs::create_dir(&copy).unwrap();
    for f in ["shard.json", "runs.bin"] {
        fs::copy(dirs[1].join(f), copy.join(f)).unwrap();
    }
    let mut all = dirs.clone();
    all.push(copy);
    refused(
        &all,
        &dir.path().join("m"),
        &["is shard 2 of 3", "give each shard once"],
    );
}

#[test]
fn shards_of_another_scenario_seed_or_count_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (scenario, dirs) = job(dir.path());
    let m = dir.path().join("m");
    // Another seed.
    let other = dir.path().join("seed");
    shards(&scenario, &other, 3, &[2], &["--seed", "8"]);
    refused(
        &[
            dirs[0].clone(),
            folder(&other, "job", 2, 3),
            dirs[2].clone(),
        ],
        &m,
        &["seed", "not of one job"],
    );
    // Another run count.
    let other = dir.path().join("runs");
    shards(&scenario, &other, 3, &[2], &["--runs", "60"]);
    refused(
        &[
            dirs[0].clone(),
            folder(&other, "job", 2, 3),
            dirs[2].clone(),
        ],
        &m,
        &["runs"],
    );
    // Another N.
    let other = dir.path().join("n");
    shards(&scenario, &other, 4, &[2], &[]);
    refused(
        &[
            dirs[0].clone(),
            folder(&other, "job", 2, 4),
            dirs[2].clone(),
        ],
        &m,
        &["shard count N"],
    );
    // Another scenario of the same name.
    let changed = dir.path().join("changed");
    fs::create_dir(&changed).unwrap();
    let text = small_scenario(Some("job"), "").replace("stickiness = 0.1", "stickiness = 0.2");
    let other_scenario = write(&changed, "s.toml", &text);
    shards(&other_scenario, &changed, 3, &[2], &[]);
    refused(
        &[
            dirs[0].clone(),
            folder(&changed, "job", 2, 3),
            dirs[2].clone(),
        ],
        &m,
        &["scenario", "not of one job"],
    );
}

#[test]
fn shards_of_another_graph_or_version_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let edges = write(dir.path(), "g.txt", "1 2\n2 3\n3 4\n4 1\n1 3\n");
    let text = format!(
        "version = 1\nname = \"job\"\n[graph]\nedges = \"{}\"\n[content]\nstickiness = 0.3\n[simulation]\nruns = 30\nsteps = 5\nseed = 1\n[[strategy]]\nname = \"top\"\nkind = \"top-degree\"\ncount = 1\n",
        edges.display()
    );
    let scenario = write(dir.path(), "s.toml", &text);
    let out = dir.path().join("sh");
    shards(&scenario, &out, 2, &[1], &[]);
    fs::write(&edges, "1 2\n2 3\n3 4\n4 1\n2 4\n").unwrap();
    shards(&scenario, &out, 2, &[2], &[]);
    let dirs = vec![folder(&out, "job", 1, 2), folder(&out, "job", 2, 2)];
    let m = dir.path().join("m");
    refused(&dirs, &m, &["graph fingerprint", "not of one job"]);
    // Both on the new graph, then the graph changes again before the merge.
    shards(&scenario, &out, 2, &[1], &[]);
    fs::write(&edges, "1 2\n2 3\n3 4\n4 1\n").unwrap();
    refused(&dirs, &m, &["fingerprint", "changed since"]);
    // Another version of viralsim wrote one.
    fs::write(&edges, "1 2\n2 3\n3 4\n4 1\n2 4\n").unwrap();
    let manifest = dirs[1].join("shard.json");
    let json = fs::read_to_string(&manifest).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    fs::write(
        &manifest,
        json.replace(&format!("\"{version}\""), "\"0.0.1-other\""),
    )
    .unwrap();
    refused(&dirs, &m, &["0.0.1-other", "same viralsim", "shard.json"]);
}

#[test]
fn a_changed_scenario_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (scenario, dirs) = job(dir.path());
    let text = fs::read_to_string(&scenario).unwrap();
    fs::write(&scenario, text.replace("count = 3", "count = 4")).unwrap();
    refused(&dirs, &dir.path().join("m"), &["s.toml", "has changed"]);
}

#[test]
fn damaged_runs_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (_, dirs) = job(dir.path());
    let runs = dirs[1].join("runs.bin");
    let bytes = fs::read(&runs).unwrap();
    let m = dir.path().join("m");
    // One flipped bit in the counts.
    let mut flipped = bytes.clone();
    flipped[bytes.len() / 2] ^= 0x10;
    fs::write(&runs, &flipped).unwrap();
    refused(&dirs, &m, &["runs.bin", "checksum"]);
    // Cut short.
    fs::write(&runs, &bytes[..bytes.len() - 30]).unwrap();
    refused(&dirs, &m, &["runs.bin", "truncated"]);
    // Something else.
    fs::write(&runs, b"not runs").unwrap();
    refused(&dirs, &m, &["runs.bin"]);
    // Not a shard folder at all.
    refused(
        &[dirs[0].clone(), dir.path().to_path_buf(), dirs[2].clone()],
        &m,
        &["not a shard folder"],
    );
}

#[test]
fn auto_runs_are_refused_in_shards() {
    let dir = tempfile::tempdir().unwrap();
    let text = small_scenario(Some("auto"), "").replace(
        "runs = 50",
        "runs = \"auto\"\nci_half_width = 0.05\nmax_runs = 1000",
    );
    let scenario = write(dir.path(), "s.toml", &text);
    let (code, err) = run_into(&scenario, &dir.path().join("sh"), &["--shard", "1/2"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("runs = \"auto\"") && err.contains("--runs"),
        "{err}"
    );
    assert!(!dir.path().join("sh/auto.shard-1-of-2").exists());
    // With a fixed count it runs.
    let (code, err) = run_into(
        &scenario,
        &dir.path().join("sh"),
        &["--shard", "1/2", "--runs", "20"],
    );
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn bad_shard_flags_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(dir.path(), "s.toml", &small_scenario(Some("f"), ""));
    let out = dir.path().join("o");
    for bad in ["0/3", "4/3", "x", "3"] {
        let (code, err) = run_into(&scenario, &out, &["--shard", bad]);
        assert_eq!(code, Some(2), "{bad}: {err}");
        assert!(err.contains("K/N"), "{err}");
    }
    let (code, err) = run_into(&scenario, &out, &["--shard", "1/3", "--shards", "4"]);
    assert_eq!(code, Some(2), "{err}");
    let output = viralsim()
        .args(["run", "--quiet", "--shard", "auto", "--out"])
        .arg(&out)
        .arg(&scenario)
        .env_remove("SLURM_ARRAY_TASK_ID")
        .env_remove("JOB_COMPLETION_INDEX")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("SLURM_ARRAY_TASK_ID"));
}
