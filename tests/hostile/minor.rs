//! Small defects: printing to a closed pipe or a full disk, flags that
//! allow more than the keys they override, `count` ranges, negative zeros in
//! the outputs, and the scenario copy that must reproduce the run.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::common::{root, run_into, small_scenario, tree, viralsim, write};

/// The binary as a plain std Command, for control over its pipes.
fn binary() -> Command {
    Command::new(viralsim().get_program())
}

/// Every way of running the program that prints to standard output, with
/// the files it needs in `dir`.
fn printing_commands(dir: &Path) -> Vec<Vec<String>> {
    let scenario = write(dir, "small.toml", &small_scenario(Some("small"), ""));
    let s = scenario.display().to_string();
    let out = dir.join("out").display().to_string();
    let init_out = dir.join("init").display().to_string();
    [
        vec!["run", &s, "--out", &out],
        vec!["validate", &s],
        vec!["graph", &s],
        vec!["graph", &s, "--json"],
        vec!["init", "starter", "--out", &init_out],
        vec!["--help"],
        vec!["--version"],
        vec!["run", "--help"],
    ]
    .into_iter()
    .map(|args| args.into_iter().map(String::from).collect())
    .collect()
}

fn stderr_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_closed_standard_output_ends_quietly_with_exit_0() {
    let tmp = tempfile::tempdir().unwrap();
    for args in printing_commands(tmp.path()) {
        let _ = fs::remove_dir_all(tmp.path().join("init"));
        let mut child = binary()
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes before the program prints (`run` prints only
        // after simulating), as with `viralsim run x.toml | head -0`.
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        let stderr = stderr_of(&output);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(!stderr.contains("error"), "{args:?}: {stderr}");
    }
    assert!(tmp.path().join("out/small/summary.json").is_file());
}

#[test]
fn a_full_standard_output_is_exit_1_with_the_reason() {
    let Ok(full) = fs::OpenOptions::new().write(true).open("/dev/full") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    for args in printing_commands(tmp.path()) {
        let _ = fs::remove_dir_all(tmp.path().join("init"));
        let output = binary()
            .args(&args)
            .stdout(full.try_clone().unwrap())
            .output()
            .unwrap();
        let stderr = stderr_of(&output);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("error: cannot write to standard output: "),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_full_standard_error_keeps_the_exit_code() {
    let Ok(full) = fs::OpenOptions::new().write(true).open("/dev/full") else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let bad = write(tmp.path(), "bad.toml", "version = 1\n");
    let good = write(tmp.path(), "good.toml", &small_scenario(Some("good"), ""));
    let cases: [(Vec<&Path>, &[&str], i32); 4] = [
        (vec![&bad], &["validate"], 2),
        (vec![&bad, &good], &["validate"], 2),
        (vec![], &["run", "--no-such-flag"], 2),
        // The progress bar and notes go to standard error too.
        (vec![&good], &["run", "--out", "out"], 0),
    ];
    for (files, args, code) in cases {
        let output = binary()
            .current_dir(tmp.path())
            .args(args)
            .args(files)
            .stdout(Stdio::null())
            .stderr(full.try_clone().unwrap())
            .output()
            .unwrap();
        // A panic would be exit code 101.
        assert_eq!(output.status.code(), Some(code), "{args:?}");
    }
}

/// The message after "error: " for `viralsim ARGS`, which must fail with
/// exit 2.
fn refusal(args: &[&str], file: Option<&Path>) -> String {
    let mut cmd = viralsim();
    cmd.args(args);
    if let Some(f) = file {
        cmd.arg(f);
    }
    let output = cmd.output().unwrap();
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    stderr
}

#[test]
fn seed_and_runs_flags_allow_what_the_keys_allow_in_the_same_words() {
    let tmp = tempfile::tempdir().unwrap();
    let s = write(tmp.path(), "s.toml", &small_scenario(Some("s"), ""));
    let seed_rule = "is out of range: allowed 0 to 2^63 - 1 = 9223372036854775807";
    let key = |from: &str, to: &str| {
        let text = small_scenario(Some("k"), "").replacen(from, to, 1);
        refusal(&["validate"], Some(&write(tmp.path(), "k.toml", &text)))
    };
    // Above what the `seed` key can hold: refused, as the key refuses -1.
    for seed in [
        "9223372036854775808",
        "18446744073709551615",
        "-1",
        "1e99999999999999999999",
    ] {
        let stderr = refusal(&["validate", "--seed", seed], Some(&s));
        if seed.starts_with("1e") {
            assert!(stderr.contains("is not a whole number"), "{stderr}");
        } else {
            assert!(stderr.contains(&format!("{seed} {seed_rule}")), "{stderr}");
        }
    }
    let stderr = refusal(&["graph", "--seed", "9223372036854775808"], Some(&s));
    assert!(stderr.contains(seed_rule), "{stderr}");
    let stderr = key("seed = 7", "seed = -1");
    assert!(
        stderr.contains(&format!("simulation.seed: -1 {seed_rule}")),
        "{stderr}"
    );
    viralsim()
        .args(["validate", "--seed", "9223372036854775807"])
        .arg(&s)
        .assert()
        .success();

    let runs_rule =
        "is out of range: allowed 2 to 100000000 (a confidence interval needs at least 2 runs)";
    for runs in ["1", "0", "-3", "100000001", "99999999999999999999999"] {
        let stderr = refusal(&["validate", "--runs", runs], Some(&s));
        assert!(stderr.contains(&format!("{runs} {runs_rule}")), "{stderr}");
    }
    let stderr = key("runs = 50", "runs = 1");
    assert!(
        stderr.contains(&format!("simulation.runs: 1 {runs_rule}")),
        "{stderr}"
    );
}

#[test]
fn count_is_0_to_the_number_of_people_in_messages_and_docs() {
    let tmp = tempfile::tempdir().unwrap();
    let with_count = |count: &str| {
        let text = small_scenario(Some("c"), "").replace(
            "kind = \"top-degree\"\ncount = 3",
            &format!("kind = \"top-degree\"\ncount = {count}"),
        );
        write(tmp.path(), "c.toml", &text)
    };
    let zero = "(0: nobody, for example to see what [paid] ads do alone)";
    viralsim()
        .arg("validate")
        .arg(with_count("0"))
        .assert()
        .success();
    let stderr = refusal(&["validate"], Some(&with_count("301")));
    assert!(
        stderr.contains(&format!(
            "count 301 is larger than the graph's 300 people: allowed 0 to 300 {zero}"
        )),
        "{stderr}"
    );
    let stderr = refusal(&["validate"], Some(&with_count("-1")));
    assert!(
        stderr.contains(&format!(
            "-1 is out of range: allowed 0 to the number of people {zero}"
        )),
        "{stderr}"
    );
    let docs = fs::read_to_string(root().join("docs/scenario.md")).unwrap();
    let row = docs
        .lines()
        .find(|l| l.starts_with("| `count` |"))
        .expect("docs/scenario.md describes `count`");
    assert!(
        row.contains("| 0 to the number of people |")
            && row.contains("(0: nobody, for example to see what `[paid]` ads do alone)"),
        "{row}"
    );
}

/// Every negative zero in `text` ("-0", "-0.0", ...), as a number on its
/// own, not a part of "-0.5" or "10-0".
fn negative_zeros(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let number_char = |c: u8| c.is_ascii_digit() || c == b'.' || c == b'e' || c == b'E';
    let mut found = Vec::new();
    for (i, _) in text.match_indices("-0") {
        if i > 0 && number_char(b[i - 1]) {
            continue;
        }
        let mut j = i + 2;
        if j < b.len() && b[j] == b'.' {
            j += 1;
            while j < b.len() && b[j] == b'0' {
                j += 1;
            }
        }
        if j >= b.len() || !number_char(b[j]) {
            found.push(text[i.saturating_sub(20)..(j + 5).min(text.len())].to_string());
        }
    }
    found
}

#[test]
fn no_output_holds_a_negative_zero() {
    assert_eq!(negative_zeros("a -0 b,-0.0,\"-0\"").len(), 3);
    assert!(negative_zeros("-0.5 10-0 -0.01 x-0e3").is_empty());
    let tmp = tempfile::tempdir().unwrap();
    // Seeding nobody costs an empty sum, which is -0.0; two identical
    // strategies differ by 0 in every run.
    let extra = "\n[[strategy]]\nname = \"nobody\"\nkind = \"random\"\ncount = 0\n\n\
                 [[strategy]]\nname = \"top again\"\nkind = \"top-degree\"\ncount = 3\n\n\
                 [conversion]\nrate = 0.1\nvalue = 2.0\n\n\
                 [sweep]\n\"content.stickiness\" = [0.05, 0.1]\n";
    let scenario = write(tmp.path(), "z.toml", &small_scenario(Some("zeros"), extra));
    viralsim()
        .arg("run")
        .arg(&scenario)
        .arg("--out")
        .arg(tmp.path().join("out"))
        .args(["--quiet", "--runs", "20"])
        .assert()
        .success();
    let dir = tmp.path().join("out/zeros");
    let files = tree(&dir);
    assert!(files.contains(&"sweep.csv".to_string()), "{files:?}");
    for file in files
        .iter()
        .filter(|f| [".csv", ".json", ".html"].iter().any(|e| f.ends_with(e)))
    {
        let text = fs::read_to_string(dir.join(file)).unwrap();
        assert_eq!(negative_zeros(&text), Vec::<String>::new(), "{file}");
    }
    let stdout = viralsim()
        .arg("run")
        .arg(&scenario)
        .arg("--out")
        .arg(tmp.path().join("again"))
        .args(["--runs", "20"])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(
        negative_zeros(&String::from_utf8_lossy(&stdout)),
        Vec::<String>::new()
    );
}

/// Run `scenario` into `out` with `flags`; the scenario's output folder.
fn run_folder(scenario: &Path, out: &Path, flags: &[&str]) -> PathBuf {
    let (code, stderr) = run_into(scenario, out, flags);
    assert_eq!(code, Some(0), "{stderr}");
    // The scenario's folder, beside the lock file every run leaves.
    let entries: Vec<_> = fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    entries[0].clone()
}

#[test]
fn the_scenario_copy_reproduces_a_run_with_seed_and_runs_overrides() {
    let tmp = tempfile::tempdir().unwrap();
    let fixed = small_scenario(None, "");
    let auto = fixed.replace(
        "runs = 50",
        "runs = \"auto\"  # until the CIs are narrow\nmax_runs = 400",
    );
    for (file, text) in [("fixed.toml", fixed), ("auto.toml", auto)] {
        let dir = tmp.path().join(file);
        fs::create_dir(&dir).unwrap();
        let scenario = write(&dir, file, &text);
        let first = run_folder(
            &scenario,
            &dir.join("one"),
            &["--seed", "5", "--runs", "30"],
        );
        let copy = fs::read_to_string(first.join("scenario.toml")).unwrap();
        assert!(
            copy.lines()
                .take(3)
                .any(|l| l.starts_with("# Run with --seed 5 --runs 30")),
            "{copy}"
        );
        let second = run_folder(&first.join("scenario.toml"), &dir.join("two"), &[]);
        assert_eq!(
            first.file_name(),
            second.file_name(),
            "the copy names the same folder"
        );
        let summary = |d: &Path| fs::read_to_string(d.join("summary.json")).unwrap();
        assert_eq!(summary(&first), summary(&second), "{file}");
        assert!(summary(&first).contains("\"runs\": 30,"), "{file}");
        assert!(summary(&first).contains("\"seed\": 5,"), "{file}");
    }
}
