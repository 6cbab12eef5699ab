//! Names that become paths: a scenario's name (from `name` or from its file
//! name) names its output folder, `init NAME` a file, a strategy's name a
//! sweep chart. None of them may lead a write outside the output folder.

use std::fs;
use std::path::Path;

use crate::common::{run_into, small_scenario, tree, viralsim, write};

/// A folder holding the user's own `scenario.toml` and `summary.json`,
/// where `OUT/..` would land with OUT = `DIR/out`.
fn sentinels(dir: &Path) {
    write(dir, "scenario.toml", "the user's own scenario");
    write(dir, "summary.json", "the user's own summary");
}

fn assert_sentinels_untouched(dir: &Path) {
    assert_eq!(
        fs::read_to_string(dir.join("scenario.toml")).unwrap(),
        "the user's own scenario"
    );
    assert_eq!(
        fs::read_to_string(dir.join("summary.json")).unwrap(),
        "the user's own summary"
    );
}

#[test]
fn a_file_name_that_cannot_name_the_output_folder_is_refused_with_a_hint() {
    // `...toml` has the stem "..": OUT/.. is the folder above OUT.
    for file in [
        "...toml",
        "..toml",
        ".hidden.toml",
        "a b.toml",
        "new\nline.toml",
        "bell\u{7}.toml",
        "été.toml",
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        sentinels(root);
        fs::create_dir(root.join("in")).unwrap();
        let scenario = write(&root.join("in"), file, &small_scenario(None, ""));
        let (code, stderr) = run_into(&scenario, &root.join("out"), &[]);
        assert_eq!(code, Some(2), "{file:?}: {stderr}");
        assert!(
            stderr.contains("cannot name the output folder")
                && stderr.contains("add a name at the top, e.g. name = \""),
            "{file:?}: {stderr}"
        );
        assert_sentinels_untouched(root);
        assert_eq!(
            tree(root),
            [
                "in".to_string(),
                format!("in/{file}"),
                "scenario.toml".into(),
                "summary.json".into()
            ],
            "{file:?} wrote something"
        );
    }
}

#[test]
fn a_name_key_that_would_leave_the_output_folder_is_refused() {
    for name in ["..", ".", "../up", "a/b", "tab\\there", "bell\\u0007"] {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        sentinels(root);
        let text = small_scenario(None, "").replacen(
            "version = 1\n",
            &format!("version = 1\nname = \"{name}\"\n"),
            1,
        );
        let scenario = write(root, "named.toml", &text);
        let (code, stderr) = run_into(&scenario, &root.join("out"), &[]);
        assert_eq!(code, Some(2), "{name}: {stderr}");
        assert!(
            stderr.contains(": name: name \"") && stderr.contains("names the output folder"),
            "{name}: {stderr}"
        );
        // One line: a control character in the name is shown escaped.
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
        assert_sentinels_untouched(root);
        assert!(!root.join("out").exists(), "{name}");
    }
}

#[test]
fn names_with_dots_inside_still_name_the_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = write(tmp.path(), "v1.2.toml", &small_scenario(None, ""));
    let (code, stderr) = run_into(&scenario, &tmp.path().join("out"), &[]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(tmp.path().join("out/v1.2/summary.json").is_file());
}

#[test]
fn init_refuses_names_that_are_not_one_file_in_its_folder() {
    for name in ["..", "../escape", ".hidden", "a b", "x\ny", ""] {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        sentinels(root);
        fs::create_dir(root.join("here")).unwrap();
        let output = viralsim()
            .args(["init", name, "--out"])
            .arg(root.join("here"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{name:?}: {stderr}");
        assert!(stderr.contains("cannot name a scenario"), "{stderr}");
        assert_sentinels_untouched(root);
        assert_eq!(
            tree(root),
            ["here", "scenario.toml", "summary.json"],
            "{name:?}"
        );
    }
}

#[test]
fn strategy_names_in_sweep_chart_file_names_stay_in_the_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    sentinels(root);
    // A two-key sweep writes one heatmap per strategy, named after it.
    let text = small_scenario(Some("swept"), "")
        .replace("name = \"random\"", "name = \"../../summary.json\"")
        .replace("name = \"top\"", "name = \"/etc/x\"")
        + "\n[sweep]\n\"content.stickiness\" = [0.05, 0.1]\n\"simulation.steps\" = [5, 10]\n";
    let scenario = write(root, "swept.toml", &text);
    let (code, stderr) = run_into(&scenario, &root.join("out"), &["--runs", "10"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_sentinels_untouched(root);
    let files = tree(root);
    assert!(
        files.iter().all(|f| f.starts_with("out")
            || ["scenario.toml", "summary.json", "swept.toml"].contains(&f.as_str())),
        "{files:?}"
    );
    for file in ["sweep-1-summary-json.png", "sweep-2-etc-x.svg"] {
        assert!(
            files.contains(&format!("out/swept/{file}")),
            "{file} missing: {files:?}"
        );
    }
}
