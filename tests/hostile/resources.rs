//! Bounded resources: inputs that would take more memory, threads or time
//! than the machine has are refused early with exit code 2 and a message
//! saying what to lower, never aborted by a failed allocation or left
//! running for minutes.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::common::{small_scenario, tree, viralsim, write};

/// Exit code, stderr and seconds taken of `viralsim ARGS`, killed after
/// `limit` seconds (an old build would run on for minutes).
fn run_timed(args: &[&str], stdin: Option<Vec<u8>>, limit: u64) -> (Option<i32>, String, f64) {
    let started = Instant::now();
    let mut cmd = viralsim();
    cmd.args(args).timeout(Duration::from_secs(limit));
    if let Some(bytes) = stdin {
        cmd.write_stdin(bytes);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        started.elapsed().as_secs_f64(),
    )
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A scenario on a generated graph with `graph` keys and `strategy` keys.
fn scenario(dir: &Path, name: &str, graph: &str, rest: &str) -> PathBuf {
    write(
        dir,
        name,
        &format!(
            "version = 1\n[graph]\n{graph}\n[content]\nstickiness = 0.1\n\
             [simulation]\nruns = 10\nsteps = 10\n{rest}\n\
             [[strategy]]\nkind = \"top-degree\"\ncount = 3\n"
        ),
    )
}

#[test]
fn graphs_too_large_for_memory_are_refused_before_building() {
    let dir = tempfile::tempdir().unwrap();
    let ba = scenario(
        dir.path(),
        "ba.toml",
        "generator = \"barabasi-albert\"\nnodes = 100000000\nedges_per_node = 5000",
        "",
    );
    let er = scenario(
        dir.path(),
        "er.toml",
        "generator = \"erdos-renyi\"\nnodes = 100000000\nmean_degree = 100",
        "",
    );
    for (command, file, keys) in [
        ("validate", &ba, "lower nodes or edges_per_node"),
        ("run", &er, "lower nodes or mean_degree"),
        ("graph", &er, "lower nodes or mean_degree"),
    ] {
        let out = dir.path().join("out");
        let mut args = vec![command, path_str(file), "--max-memory", "4G"];
        if command == "run" {
            args.extend(["--out", path_str(&out)]);
        }
        let (code, err, secs) = run_timed(&args, None, 30);
        assert_eq!(code, Some(2), "{command}: {err}");
        assert!(secs < 1.0, "{command} took {secs:.1} s to refuse");
        assert!(err.contains("graph.generator: the "), "{err}");
        assert!(err.contains("needs about"), "{err}");
        assert!(err.contains("GiB"), "{err}");
        assert!(err.contains("--max-memory allows 4.0 GiB"), "{err}");
        assert!(err.contains(keys), "{err}");
        // At most the output folder's lock, taken before the graph is
        // built: no output.
        let written: Vec<String> = tree(&out)
            .into_iter()
            .filter(|f| !f.ends_with(".lock"))
            .collect();
        assert!(written.is_empty(), "{command} wrote {written:?}");
    }
    // Without the flag the machine's own memory is the limit; neither
    // graph fits in any machine of today.
    let (code, err, _) = run_timed(&["validate", path_str(&ba)], None, 30);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("available"), "{err}");
}

#[test]
fn max_memory_refuses_a_small_scenario_that_needs_more() {
    let dir = tempfile::tempdir().unwrap();
    // 20,000 people and 200,000 arcs: a few MiB.
    let file = scenario(
        dir.path(),
        "small.toml",
        "generator = \"barabasi-albert\"\nnodes = 20000\nedges_per_node = 5",
        "",
    );
    let (code, err, _) = run_timed(
        &["validate", path_str(&file), "--max-memory", "1M"],
        None,
        30,
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--max-memory allows 1.0 MiB"), "{err}");
    let (code, err, _) = run_timed(
        &["validate", path_str(&file), "--max-memory", "256M"],
        None,
        30,
    );
    assert_eq!(code, Some(0), "{err}");
    // A size that is not one.
    let (code, err, _) = run_timed(
        &["validate", path_str(&file), "--max-memory", "lots"],
        None,
        30,
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("e.g. 4G or 512M"), "{err}");
}

#[test]
fn a_piped_edge_list_stops_before_it_outgrows_memory() {
    // A pipe has no size to check beforehand: reading itself stops.
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "piped.toml",
        "version = 1\n[graph]\nedges = \"/dev/stdin\"\n[content]\nstickiness = 0.1\n\
         [simulation]\nruns = 10\nsteps = 10\n[[strategy]]\nkind = \"top-degree\"\ncount = 3\n",
    );
    let edges: String = (0..200_000u64)
        .map(|v| format!("{v} {}\n", v + 1))
        .collect();
    let (code, err, _) = run_timed(
        &["validate", path_str(&file), "--max-memory", "2M"],
        Some(edges.clone().into_bytes()),
        30,
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("/dev/stdin:") && err.contains("the edge list is too large"),
        "{err}"
    );
    assert!(err.contains("--max-memory allows 2.0 MiB"), "{err}");
    let (code, err, _) = run_timed(
        &["validate", path_str(&file), "--max-memory", "512M"],
        Some(edges.into_bytes()),
        30,
    );
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn endless_lines_and_files_that_are_not_files_are_refused_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let graph_from = |name: &str, edges: &str| {
        write(
            dir.path(),
            name,
            &small_scenario(None, "").replace(
                "generator = \"barabasi-albert\"\nnodes = 300\nedges_per_node = 2",
                &format!("edges = \"{edges}\""),
            ),
        )
    };
    // An endless line: read through a 1 MiB window, not into memory.
    let zero = graph_from("zero.toml", "/dev/zero");
    let (code, err, secs) = run_timed(&["validate", path_str(&zero)], None, 30);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("/dev/zero:1: line 1 is longer than 1 MiB"),
        "{err}"
    );
    assert!(secs < 2.0, "took {secs:.1} s");
    // A folder as the edge list.
    std::fs::create_dir(dir.path().join("net")).unwrap();
    let folder = graph_from("folder.toml", "net");
    let (code, err, _) = run_timed(&["validate", path_str(&folder)], None, 30);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("it is a folder"), "{err}");
    // A device, a folder as the scenario: not read at all.
    for (path, what) in [("/dev/zero", "not a regular file"), ("/", "a folder")] {
        let (code, err, secs) = run_timed(&["validate", path], None, 30);
        assert_eq!(code, Some(2), "{path}: {err}");
        assert!(err.contains(what), "{path}: {err}");
        assert!(secs < 2.0, "{path}: took {secs:.1} s");
    }
}

#[test]
fn edge_list_errors_quote_only_a_short_clean_prefix() {
    let dir = tempfile::tempdir().unwrap();
    // A line such as a password file holds, with a terminal escape.
    let secret =
        "root:$6$saltsalt$0123456789abcdefghijklmnopqrstuvwxyzSECRETTAIL:19000:0:99999:7:::";
    let edges = write(dir.path(), "shadow", &format!("\x1b[2J{secret}\n"));
    let file = write(
        dir.path(),
        "s.toml",
        &small_scenario(None, "").replace(
            "generator = \"barabasi-albert\"\nnodes = 300\nedges_per_node = 2",
            &format!("edges = \"{}\"", path_str(&edges)),
        ),
    );
    let (code, err, _) = run_timed(&["validate", path_str(&file)], None, 30);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("expected two node ids"), "{err}");
    assert!(!err.contains("SECRETTAIL"), "{err}");
    assert!(!err.contains("0123456789"), "the hash is quoted: {err}");
    assert!(!err.contains('\x1b'), "{err:?}");
    assert!(err.contains("`?[2Jroot:$6$salt...`"), "{err}");
}

#[test]
fn imm_with_a_tiny_epsilon_is_refused_within_seconds() {
    let dir = tempfile::tempdir().unwrap();
    // Quick to build; at stickiness 0.5 every reverse-reachable set holds
    // most of the 20,000 people.
    let file = write(
        dir.path(),
        "imm.toml",
        "version = 1\n[graph]\ngenerator = \"barabasi-albert\"\nnodes = 20000\nedges_per_node = 5\n\
         [content]\nstickiness = 0.5\n[simulation]\nruns = 10\nsteps = 10\n\
         [[strategy]]\nkind = \"imm\"\ncount = 1000\nepsilon = 0.01\n",
    );
    let (code, err, secs) = run_timed(
        &["validate", path_str(&file), "--max-memory", "1G"],
        None,
        60,
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(secs < 5.0, "took {secs:.1} s to refuse");
    assert!(
        err.contains("strategy[0].epsilon: epsilon 0.01 needs about"),
        "{err}"
    );
    assert!(err.contains("--max-memory allows 1.0 GiB"), "{err}");
    assert!(err.contains("smaller count"), "{err}");
}

#[test]
fn threads_beyond_four_per_cpu_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.toml", &small_scenario(None, ""));
    let out = dir.path().join("out");
    let (code, err, _) = run_timed(
        &[
            "run",
            path_str(&file),
            "--threads",
            "65535",
            "--out",
            path_str(&out),
        ],
        None,
        30,
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("--threads: 65535 is out of range: allowed 1 to "),
        "{err}"
    );
    assert!(!out.exists());
    // 0 gets the same words; a number beyond any count is a flag error.
    let (code, err, _) = run_timed(&["run", path_str(&file), "--threads", "0"], None, 30);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("--threads: 0 is out of range: allowed 1 to "),
        "{err}"
    );
    let huge = ["run", path_str(&file), "--threads", "99999999999999999999"];
    let (code, err, _) = run_timed(&huge, None, 30);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--threads"), "{err}");
}

#[test]
fn celf_on_a_star_and_a_long_chain_stops_early() {
    // A directed star of 100 followers and a chain of 100,000: the pilot
    // from the star's centre sees a cascade of 101, while a cascade from
    // the chain runs on for as many steps as it is given.
    let dir = tempfile::tempdir().unwrap();
    let mut edges: String = (1..=100).map(|v| format!("0 {v}\n")).collect();
    edges.extend((101..100_100u64).map(|v| format!("{v} {}\n", v + 1)));
    write(dir.path(), "chain.txt", &edges);
    // 100,000 steps: the curves alone make the first round too long;
    // 5,000 steps: only the cascades measured as they run tell.
    for steps in [100_000, 5_000] {
        let file = write(
            dir.path(),
            "celf.toml",
            &format!(
                "version = 1\n[graph]\nedges = \"chain.txt\"\ndirected = true\n\
                 [content]\nstickiness = 1\n[simulation]\nruns = 2\nsteps = {steps}\n\
                 [[strategy]]\nkind = \"celf\"\ncount = 2\nruns = 10\n"
            ),
        );
        let (code, err, secs) = run_timed(&["validate", path_str(&file)], None, 120);
        assert_eq!(code, Some(2), "steps {steps}: {err}");
        assert!(secs < 10.0, "steps {steps}: took {secs:.1} s to stop");
        assert!(
            err.contains("strategy[0].kind: celf's first round"),
            "{err}"
        );
        assert!(err.contains("kind = \"imm\""), "{err}");
    }
}
