//! `viralsim init NAME`: a starter scenario that runs as is, and never
//! overwrites a file.

mod common;

use std::fs;

use common::viralsim;

#[test]
fn init_writes_a_starter_that_runs_as_is() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("campaigns");
    viralsim()
        .args(["init", "spring-launch", "--out"])
        .arg(&dir)
        .assert()
        .success();
    let scenario = dir.join("spring-launch.toml");
    let text = fs::read_to_string(&scenario).unwrap();
    assert!(text.contains("name = \"spring-launch\""));
    assert!(text.contains("docs/scenario.md"));
    let out = tmp.path().join("out");
    let assert = viralsim()
        .arg("run")
        .arg(&scenario)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    for name in ["random people", "top influencers", "degree discount", "imm"] {
        assert!(stdout.contains(name), "table lacks {name}:\n{stdout}");
    }
    let summary: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("spring-launch/summary.json")).unwrap()).unwrap();
    assert_eq!(summary["runs"], 1000);
    assert_eq!(summary["strategies"].as_array().unwrap().len(), 4);
    // The starter's stickiness is above both thresholds `graph` reports.
    let assert = viralsim()
        .args(["graph", "--json"])
        .arg(&scenario)
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(json["regime"], "above");
}

#[test]
fn init_refuses_to_overwrite_and_to_take_a_bad_name() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("mine.toml");
    fs::write(&path, "my own work").unwrap();
    let output = viralsim()
        .args(["init", "mine", "--out"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("{} already exists", path.display())),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), "my own work");

    for bad in ["no spaces", ".hidden", "a/b"] {
        let output = viralsim()
            .args(["init", bad, "--out"])
            .arg(tmp.path())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{bad}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(&format!("\"{bad}\" cannot name a scenario"))
                && stderr.contains("letters, digits, '-', '_' or '.'"),
            "{stderr}"
        );
    }
    let left: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "only the user's own file");
}
