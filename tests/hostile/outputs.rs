//! Output folders: OUT/<name>/ always holds one run's whole set, two runs
//! never write it at once, nothing of the user's is replaced or lost, an
//! unusable --out is found before the long work, and an interrupted run or
//! export leaves no temporary behind.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{run_into, small_scenario, tree, viralsim, write};

/// What a run of [`small_scenario`] without `[sweep]` writes.
const SMALL_SET: [&str; 11] = [
    "curves.csv",
    "reach.png",
    "reach.svg",
    "report.html",
    "run.json",
    "scenario.toml",
    "seeds.csv",
    "strategies.csv",
    "strategies.png",
    "strategies.svg",
    "summary.json",
];

/// A one-key stickiness sweep small enough to run in a blink.
const TINY_SWEEP: &str = "\n[sweep]\n\"content.stickiness\" = [0.05, 0.1]\n";

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Every file below `dir` with its bytes, to see that nothing changed.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    tree(dir)
        .into_iter()
        .map(|p| {
            let bytes = fs::read(dir.join(&p)).unwrap_or_default();
            (p, bytes)
        })
        .collect()
}

fn json(path: PathBuf) -> serde_json::Value {
    serde_json::from_slice(&fs::read(&path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_rerun_without_sweep_leaves_no_sweep_files() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let swept = write(
        tmp.path(),
        "swept.toml",
        &small_scenario(Some("launch"), TINY_SWEEP),
    );
    assert_eq!(run_into(&swept, &out, &[]).0, Some(0));
    let first = names(&out.join("launch"));
    for f in ["sweep.csv", "tipping.csv", "sweep.png", "sweep.svg"] {
        assert!(first.iter().any(|n| n == f), "{f} missing: {first:?}");
    }
    let plain = write(
        tmp.path(),
        "plain.toml",
        &small_scenario(Some("launch"), ""),
    );
    assert_eq!(run_into(&plain, &out, &[]).0, Some(0));
    assert_eq!(names(&out.join("launch")), SMALL_SET);
}

#[test]
fn the_folder_holds_one_runs_whole_set_after_a_crash_in_the_write_phase() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let scenario = write(tmp.path(), "s.toml", &small_scenario(Some("launch"), ""));
    assert_eq!(run_into(&scenario, &out, &["--runs", "300"]).0, Some(0));
    // A run killed while writing: its staging folder with a partial file,
    // and a temporary that an earlier version left inside the folder.
    let stale = out.join(".launch.new-99999-0");
    fs::create_dir(&stale).unwrap();
    fs::write(stale.join("summary.json"), "{\"runs\": 4").unwrap();
    fs::write(out.join("launch/.summary.json.tmp-99999"), "{").unwrap();

    let (code, stderr) = run_into(&scenario, &out, &["--seed", "1", "--runs", "20"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(names(&out), [".launch.lock", "launch"]);
    let dir = out.join("launch");
    assert_eq!(names(&dir), SMALL_SET);
    let summary = json(dir.join("summary.json"));
    let run_json = json(dir.join("run.json"));
    assert_eq!(summary["runs"], 20);
    assert_eq!(summary["seed"], 1);
    assert_eq!(run_json["runs"], 20);
}

#[test]
fn a_second_run_while_the_lock_is_held_refuses_and_touches_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let scenario = write(tmp.path(), "s.toml", &small_scenario(Some("launch"), ""));
    assert_eq!(run_into(&scenario, &out, &[]).0, Some(0));
    let before = snapshot(&out);
    let lock = fs::OpenOptions::new()
        .write(true)
        .open(out.join(".launch.lock"))
        .unwrap();
    lock.try_lock().unwrap();

    let started = Instant::now();
    let (code, stderr) = run_into(&scenario, &out, &["--seed", "2"]);
    assert_eq!(code, Some(1), "{stderr}");
    let dir = out.join("launch").display().to_string();
    let lock_path = out.join(".launch.lock").display().to_string();
    assert!(
        stderr.contains(&format!(
            "another viralsim run is writing {dir} (lock {lock_path}); wait for it to finish or choose another --out"
        )),
        "{stderr}"
    );
    assert!(started.elapsed() < Duration::from_secs(5), "it waited");
    assert_eq!(snapshot(&out), before);
    drop(lock);
    assert_eq!(run_into(&scenario, &out, &["--seed", "2"]).0, Some(0));
}

#[test]
fn an_out_that_is_a_file_is_refused_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(tmp.path(), "results", "mine\n");
    let scenario = write(tmp.path(), "s.toml", &slow_scenario());
    let started = Instant::now();
    let (code, stderr) = run_into(&scenario, &file, &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("--out {} is a file, not a folder", file.display())),
        "{stderr}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the graph was built first"
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), "mine\n");
}

/// A scenario whose graph takes many seconds to build.
fn slow_scenario() -> String {
    small_scenario(Some("big"), "").replace("nodes = 300", "nodes = 2000000")
}

#[test]
fn an_out_that_cannot_be_created_is_refused_before_the_graph_is_built() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(tmp.path(), "results", "mine\n");
    // Under a regular file: no folder can be made there, even by root.
    let out = file.join("sub");
    let scenario = write(tmp.path(), "s.toml", &slow_scenario());
    let started = Instant::now();
    let (code, stderr) = run_into(&scenario, &out, &[]);
    assert!(matches!(code, Some(1 | 2)), "{code:?} {stderr}");
    assert!(stderr.contains(&out.display().to_string()), "{stderr}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the graph was built first"
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), "mine\n");
}

#[test]
fn a_foreign_file_in_the_output_folder_is_refused_and_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let scenario = write(tmp.path(), "s.toml", &small_scenario(Some("launch"), ""));
    assert_eq!(run_into(&scenario, &out, &[]).0, Some(0));
    let notes = write(&out.join("launch"), "notes.txt", "call Ana on Monday\n");
    let before = snapshot(&out);
    let (code, stderr) = run_into(&scenario, &out, &["--seed", "2"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains(&notes.display().to_string()) && stderr.contains("choose another --out"),
        "{stderr}"
    );
    assert_eq!(snapshot(&out), before);
}

#[test]
fn an_output_folder_that_is_a_symlink_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir_all(&out).unwrap();
    fs::create_dir(&elsewhere).unwrap();
    write(&elsewhere, "mine.txt", "keep\n");
    std::os::unix::fs::symlink(&elsewhere, out.join("launch")).unwrap();
    let scenario = write(tmp.path(), "s.toml", &small_scenario(Some("launch"), ""));
    let (code, stderr) = run_into(&scenario, &out, &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("is a symlink"), "{stderr}");
    assert!(fs::symlink_metadata(out.join("launch"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(names(&elsewhere), ["mine.txt"]);
}

#[test]
fn a_scenario_name_that_is_not_one_folder_name_writes_nothing_outside() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    // Without `name`, the file's stem names the folder: here ".".
    let scenario = write(tmp.path(), "..toml", &small_scenario(None, ""));
    let (code, stderr) = run_into(&scenario, &out, &[]);
    assert_eq!(code, Some(2), "{stderr}");
    let written = tree(tmp.path());
    assert!(
        written.iter().all(|p| p == "..toml" || p == "out"),
        "{written:?}"
    );
}

/// Run `viralsim graph` on `scenario` exporting an edge list to `target`.
fn export(scenario: &Path, target: &Path) -> (Option<i32>, String) {
    let output = viralsim()
        .arg("graph")
        .arg(scenario)
        .args(["--export", "edgelist", "--out"])
        .arg(target)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn export_never_replaces_a_symlink_a_device_or_a_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = write(tmp.path(), "s.toml", &small_scenario(Some("launch"), ""));
    let real = write(tmp.path(), "real.txt", "mine\n");
    let link = tmp.path().join("link.txt");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let dangling = tmp.path().join("dangling.txt");
    std::os::unix::fs::symlink(tmp.path().join("nowhere"), &dangling).unwrap();
    let folder = tmp.path().join("folder");
    fs::create_dir(&folder).unwrap();
    for (target, what) in [
        (&link, "a symlink"),
        (&dangling, "a symlink"),
        (&folder, "a folder"),
        (&PathBuf::from("/dev/null"), "a character device"),
    ] {
        let (code, stderr) = export(&scenario, target);
        assert_eq!(code, Some(2), "{}: {stderr}", target.display());
        assert!(
            stderr.contains(&format!("{} is {what}", target.display())),
            "{stderr}"
        );
    }
    assert!(fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(fs::symlink_metadata(&dangling)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(fs::read_to_string(&real).unwrap(), "mine\n");
    assert!(names(&folder).is_empty());
    use std::os::unix::fs::FileTypeExt;
    assert!(fs::metadata("/dev/null")
        .unwrap()
        .file_type()
        .is_char_device());
    assert_eq!(
        tree(tmp.path()),
        ["dangling.txt", "folder", "link.txt", "real.txt", "s.toml"]
    );
}

#[test]
fn init_refuses_a_dangling_symlink() {
    let tmp = tempfile::tempdir().unwrap();
    let link = tmp.path().join("launch.toml");
    let nowhere = tmp.path().join("nowhere");
    std::os::unix::fs::symlink(&nowhere, &link).unwrap();
    let output = viralsim()
        .args(["init", "launch", "--out"])
        .arg(tmp.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("already exists"), "{stderr}");
    assert_eq!(fs::read_link(&link).unwrap(), nowhere);
    assert!(!nowhere.exists());
}

/// Spawn the binary with `args`, output discarded.
fn spawn(args: &[&std::ffi::OsStr]) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("viralsim"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Wait (up to 60 s) until `found` is true, checking every few
/// milliseconds; false if `child` ended first.
fn wait_for(child: &mut Child, found: impl Fn() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if found() {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return found();
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    false
}

fn interrupt(child: &Child) {
    // SAFETY: kill has no memory effects; the pid is our own child's.
    let status = unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    assert_eq!(status, 0);
}

/// Whether an entry of `dir` starts with `prefix` and contains `part`.
fn has_entry(dir: &Path, prefix: &str, part: &str) -> bool {
    fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.starts_with(prefix) && n.contains(part)
        })
    })
}

#[test]
fn ctrl_c_during_an_export_leaves_no_temporary_file() {
    let tmp = tempfile::tempdir().unwrap();
    // Big enough that writing the GraphML (50 MB) takes a few tenths of a
    // second: the interrupt falls within it.
    let scenario = write(
        tmp.path(),
        "s.toml",
        &small_scenario(Some("big"), "")
            .replace("nodes = 300", "nodes = 100000")
            .replace("edges_per_node = 2", "edges_per_node = 5"),
    );
    let target = tmp.path().join("graph.xml");
    let mut child = spawn(&[
        "graph".as_ref(),
        scenario.as_os_str(),
        "--export".as_ref(),
        "graphml".as_ref(),
        "--out".as_ref(),
        target.as_os_str(),
    ]);
    let writing = wait_for(&mut child, || has_entry(tmp.path(), ".graph.xml", ".tmp-"));
    assert!(writing, "the export never started writing");
    interrupt(&child);
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert_eq!(tree(tmp.path()), ["s.toml"]);
}

#[test]
fn ctrl_c_during_the_write_phase_keeps_the_previous_set_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let small = write(tmp.path(), "small.toml", &small_scenario(Some("net"), ""));
    assert_eq!(run_into(&small, &out, &[]).0, Some(0));
    let before = snapshot(&out);
    // report.html describes networks under 2 million arcs, which takes a
    // while after the first files are staged: the write phase is long.
    let big = write(
        tmp.path(),
        "big.toml",
        &small_scenario(Some("net"), "")
            .replace("nodes = 300", "nodes = 180000")
            .replace("edges_per_node = 2", "edges_per_node = 5")
            .replace("runs = 50", "runs = 2"),
    );
    let mut child = spawn(&[
        "run".as_ref(),
        "--quiet".as_ref(),
        big.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    let staging = wait_for(&mut child, || has_entry(&out, ".net.new-", ""));
    assert!(staging, "the run never started writing");
    interrupt(&child);
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert_eq!(snapshot(&out), before);
}
