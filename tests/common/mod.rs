//! Helpers shared by the integration tests (as ripgrep's tests/util.rs and
//! hyperfine's tests/common.rs): the binary and the repository, scenario
//! texts and files, the check that results do not depend on the thread
//! count, and small graphs with runs on them. Each test crate says
//! `mod common;` and uses a subset; a helper only one test file needs stays
//! in that file.

#![allow(dead_code)]

use std::fmt::Debug;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use viralsim::engine::{self, Acceptance, Outcome};
use viralsim::graph::{trust, Graph, Node};
use viralsim::model::{Metric, Seeds, SpreadModel};
use viralsim::pipeline::{self, Prepared, Results};
use viralsim::rng;
use viralsim::scenario::{self, Scenario, TrustSpec};

// The binary and the repository.

/// The `viralsim` binary under test.
pub fn viralsim() -> Command {
    Command::cargo_bin("viralsim").unwrap()
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The error a bad scenario fixture must produce: its first line,
/// `# error: ...`, with `{file}` standing for the fixture's path.
pub fn fixture_error(path: &Path) -> String {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# error: "))
        .unwrap_or_else(|| panic!("{} lacks its `# error:` line", path.display()))
        .replace("{file}", &path.display().to_string())
}

// Scenarios, as text, as files and through the library.

/// A scenario text that runs in well under a second: a small generated
/// network, two strategies, few runs. `extra` is appended as is.
pub fn small_scenario(name: Option<&str>, extra: &str) -> String {
    let name = name
        .map(|n| format!("name = \"{n}\"\n"))
        .unwrap_or_default();
    format!(
        "version = 1\n{name}\n[graph]\ngenerator = \"barabasi-albert\"\nnodes = 300\nedges_per_node = 2\n\n\
         [content]\nstickiness = 0.1\n\n[simulation]\nruns = 50\nsteps = 10\nseed = 7\n\n\
         [[strategy]]\nname = \"random\"\nkind = \"random\"\ncount = 3\n\n\
         [[strategy]]\nname = \"top\"\nkind = \"top-degree\"\ncount = 3\n{extra}"
    )
}

/// Write `text` to `dir/file` and return the path.
pub fn write(dir: &Path, file: &str, text: &str) -> PathBuf {
    let path = dir.join(file);
    fs::write(&path, text).unwrap();
    path
}

/// Every entry below `dir`, as paths relative to it, sorted.
pub fn tree(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            out.push(p.strip_prefix(base).unwrap().display().to_string());
            if e.file_type().map(|t| t.is_dir()).unwrap_or(false) {
                walk(base, &p, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// `viralsim run SCENARIO --out OUT --quiet ARGS`: its exit code and
/// standard error.
pub fn run_into(scenario: &Path, out: &Path, args: &[&str]) -> (Option<i32>, String) {
    let output = viralsim()
        .arg("run")
        .arg(scenario)
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `text` checked as the scenario file `scenario.toml` in the current
/// folder: relative paths in it resolve from there, so a test that needs
/// files gives absolute paths (or writes the scenario with [`write`]).
pub fn parse(text: &str) -> Scenario {
    scenario::parse(Path::new("scenario.toml"), text).unwrap_or_else(|e| panic!("{e}"))
}

/// [`parse`] `text`, then build its graph and choose every strategy's seeds.
pub fn prepare(text: &str) -> Prepared {
    pipeline::prepare(parse(text)).unwrap_or_else(|e| panic!("{e}"))
}

/// [`prepare`] `text` and simulate it, with no progress shown.
pub fn simulate(text: &str) -> Results {
    pipeline::simulate(&prepare(text), &|_| {})
}

// The same results whatever the thread count.

/// Run `scenario` (named `name`) on 1 and on 2 threads into `dir/t1` and
/// `dir/t2` and compare every output but the timings (`run.json`);
/// report.html is compared with the lines of its manifest that hold the
/// thread count and the wall time (marked `data-run-specific`) left out.
pub fn assert_same_outputs_on_one_and_two_threads(dir: &Path, scenario: &Path, name: &str) {
    let mut outs = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.join(format!("t{threads}"));
        viralsim()
            .args(["run", "--quiet", "--threads", threads])
            .arg(scenario)
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        outs.push(out.join(name));
    }
    let files = |dir: &Path| {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "run.json")
            .collect();
        names.sort();
        names
    };
    let names = files(&outs[0]);
    assert_eq!(names, files(&outs[1]));
    for f in [
        "summary.json",
        "curves.csv",
        "strategies.csv",
        "strategies.png",
        "strategies.svg",
        "reach.svg",
        "reach.png",
        "report.html",
    ] {
        assert!(names.iter().any(|n| n == f), "{f} missing");
    }
    let masked = |path: PathBuf| -> Vec<u8> {
        let bytes = fs::read(path).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let kept: Vec<&str> = text
            .lines()
            .filter(|l| !l.contains("data-run-specific"))
            .collect();
        kept.join("\n").into_bytes()
    };
    for f in &names {
        let (one, two) = if f == "report.html" {
            (masked(outs[0].join(f)), masked(outs[1].join(f)))
        } else {
            (
                fs::read(outs[0].join(f)).unwrap(),
                fs::read(outs[1].join(f)).unwrap(),
            )
        };
        assert!(one == two, "{f} differs between 1 and 2 threads");
    }
    let threads = |out: &Path| {
        let html = fs::read_to_string(out.join("report.html")).unwrap();
        html.lines()
            .find(|l| l.contains("data-run-specific") && l.contains("threads"))
            .map(|l| l.to_string())
            .expect("the manifest's thread count")
    };
    assert!(threads(&outs[0]).contains("<td>1</td>"));
    assert!(threads(&outs[1]).contains("<td>2</td>"));
}

/// `f` run inside a rayon pool of `threads` threads, so that the library's
/// parallel work spreads over exactly that many.
pub fn on_threads<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(f)
}

/// `f` run on each of the thread counts `threads` in turn (see
/// [`on_threads`]), every result equal to the first, which is returned.
pub fn assert_same_on_threads<T: PartialEq + Debug + Send>(
    threads: &[usize],
    f: impl Fn() -> T + Sync,
) -> T {
    let (&first, rest) = threads.split_first().expect("a thread count");
    let result = on_threads(first, &f);
    for &n in rest {
        assert_eq!(on_threads(n, &f), result, "{n} threads against {first}");
    }
    result
}

// Small graphs and runs on them.

/// A random directed graph with `n` people and about `n * d` arcs, trust 1.
pub fn random_digraph(n: u32, d: u32, seed: u64) -> Graph {
    let mut arcs = Vec::new();
    for u in 0..n {
        for j in 0..d {
            let v = (rng::coin(seed, (u * d + j) as u64) % n as u64) as u32;
            if v != u {
                arcs.push((u, v));
            }
        }
    }
    arcs.sort_unstable();
    arcs.dedup();
    Graph::from_arcs(n, arcs)
}

/// An undirected random graph of `n` people with `m` edges, as sorted
/// (low, high) pairs.
pub fn random_edges(n: u32, m: u32, seed: u64) -> Vec<(Node, Node)> {
    let mut edges = std::collections::BTreeSet::new();
    let mut k = 0u64;
    while edges.len() < m as usize {
        let u = (rng::coin(seed, k) % n as u64) as Node;
        let v = (rng::coin(seed + 1, k) % n as u64) as Node;
        k += 1;
        if u != v {
            edges.insert((u.min(v), u.max(v)));
        }
    }
    edges.into_iter().collect()
}

/// `n` people: hub 0, followed by each of the `n - 1` others, trust 1.
pub fn star(n: u32) -> Graph {
    Graph::from_arcs(n, (1..n).map(|v| (0, v)).collect())
}

/// `n` people in a chain of one-way follows, 0 -> 1 -> ... -> n - 1, trust
/// 1.
pub fn path(n: u32) -> Graph {
    Graph::from_arcs(n, (1..n).map(|v| (v - 1, v)).collect())
}

/// Draw every arc's trust of `graph` uniformly on [`low`, `high`] under
/// `seed`.
pub fn uniform_trust(graph: &mut Graph, low: f64, high: f64, seed: u64) {
    trust::assign(graph, &TrustSpec::Uniform { low, high }, seed);
}

/// `runs` runs of `model` over `steps` steps from the fixed `seeds`,
/// everyone invited sharing, with no progress shown.
pub fn run_model<M: SpreadModel>(model: &M, seeds: &[Node], runs: u32, steps: u32) -> Outcome {
    engine::simulate(
        model,
        &Seeds::Fixed(seeds.to_vec()),
        Acceptance::ALL,
        runs,
        steps,
        &|_| {},
    )
}

/// The count of `metric` at the last step of run `run`.
pub fn final_of(o: &Outcome, metric: Metric, run: u32) -> u32 {
    *o.curve(run, o.metric_index(metric).unwrap())
        .last()
        .unwrap()
}
