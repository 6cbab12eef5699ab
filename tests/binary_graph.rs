//! The binary graph format (.vsg): exported graphs read back exactly (same
//! rows, trust, ids, segments and fingerprint), scenarios on them give the
//! same results as on the text files, and truncated or damaged files are
//! refused with exit 2, naming the file.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::*;
use viralsim::graph::{binary, Graph};
use viralsim::pipeline;
use viralsim::scenario;

/// The graph the bundled scenario `name` builds.
fn graph_of(name: &str) -> Graph {
    let s = scenario::load(&root().join(format!("scenarios/{name}.toml"))).unwrap();
    pipeline::load_graph(&s).unwrap().0
}

fn assert_same_graph(a: &Graph, b: &Graph) {
    assert_eq!(a.fingerprint(), b.fingerprint());
    assert_eq!((a.nodes(), a.arcs()), (b.nodes(), b.arcs()));
    assert_eq!(a.targets(), b.targets());
    let bits = |g: &Graph| g.trust().iter().map(|t| t.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(a), bits(b));
    for u in 0..a.nodes() {
        assert_eq!(a.follower_count(u), b.follower_count(u));
        assert_eq!(a.name(u), b.name(u));
    }
    assert_eq!(a.has_text_ids(), b.has_text_ids());
    assert_eq!(a.segments(), b.segments());
}

/// `viralsim graph SCENARIO --export binary --out DIR/g.vsg`.
fn export(scenario: &Path, dir: &Path) -> PathBuf {
    let out = dir.join("g.vsg");
    let output = viralsim()
        .arg("graph")
        .arg(scenario)
        .args(["--export", "binary", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    out
}

#[test]
fn round_trip_is_exact() {
    // Numbered ids with named segments and segment trust; usernames with
    // a people file; a generated graph with numbered communities.
    for name in ["karate-factions", "usernames", "target-segments"] {
        let graph = graph_of(name);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.vsg");
        let mut bytes = Vec::new();
        binary::write(&graph, &mut bytes).unwrap();
        fs::write(&path, &bytes).unwrap();
        assert!(binary::is_binary(&path));
        let back = binary::read(&path).unwrap();
        assert_same_graph(&graph, &back);
        // The command line writes the same bytes.
        let exported = export(&root().join(format!("scenarios/{name}.toml")), dir.path());
        assert!(fs::read(exported).unwrap() == bytes, "{name}");
    }
    assert!(graph_of("usernames").has_text_ids());
    assert!(graph_of("karate-factions").segments().is_some());
}

/// Run `scenario` with 200 runs into `out`; the folder of its outputs.
fn run(scenario: &Path, out: &Path) -> PathBuf {
    let (code, err) = run_into(scenario, out, &["--runs", "200"]);
    assert_eq!(code, Some(0), "{err}");
    let name = scenario::load(scenario).unwrap().name.to_string();
    out.join(name)
}

/// Run the bundled scenario `name`, then the same with `[graph]` reading
/// its exported binary graph (`edit` turns the text into that scenario),
/// and compare the results.
fn same_results_on_binary(name: &str, edit: &dyn Fn(&str, &Path) -> String) {
    let dir = tempfile::tempdir().unwrap();
    let original = root().join(format!("scenarios/{name}.toml"));
    let vsg = export(&original, dir.path());
    let text = edit(&fs::read_to_string(&original).unwrap(), &vsg);
    let data = root().join("data");
    let text = text.replace("../data", &data.display().to_string());
    let on_binary = write(dir.path(), &format!("{name}.toml"), &text);
    let a = run(&original, &dir.path().join("text"));
    let b = run(&on_binary, &dir.path().join("binary"));
    for file in ["curves.csv", "strategies.csv", "seeds.csv"] {
        assert!(
            fs::read(a.join(file)).unwrap() == fs::read(b.join(file)).unwrap(),
            "{name}: {file}"
        );
    }
    let fingerprint = |d: &Path| {
        let run: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(d.join("run.json")).unwrap()).unwrap();
        run["graph_fingerprint"].as_str().unwrap().to_string()
    };
    assert_eq!(fingerprint(&a), fingerprint(&b));
}

#[test]
fn scenarios_give_the_same_results_on_the_binary_graph() {
    // The segments and the trust across them come from the binary graph.
    same_results_on_binary("karate-factions", &|text, vsg| {
        text.lines()
            .map(|l| {
                if l.starts_with("edges =") {
                    format!("edges = \"{}\"", vsg.display())
                } else if l.starts_with("segments = \"") || l.starts_with("other_segment") {
                    String::new()
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    // Usernames and trust from the binary graph (the people file still
    // gives the fees).
    same_results_on_binary("usernames", &|text, vsg| {
        text.lines()
            .map(|l| {
                if l.starts_with("edges =") {
                    format!("edges = \"{}\"", vsg.display())
                } else if l.starts_with("directed") {
                    String::new()
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
}

/// `viralsim validate` of a scenario reading `vsg`: exit code, stderr.
fn validate(dir: &Path, vsg: &Path) -> (Option<i32>, String) {
    let text = format!(
        "version = 1\nname = \"b\"\n[graph]\nedges = \"{}\"\n[content]\nstickiness = 0.2\n[simulation]\nruns = 10\nsteps = 5\nseed = 1\n[[strategy]]\nname = \"top\"\nkind = \"top-degree\"\ncount = 2\n",
        vsg.display()
    );
    let scenario = write(dir, "b.toml", &text);
    let output = viralsim().arg("validate").arg(&scenario).output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn truncated_and_damaged_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let vsg = dir.path().join("g.vsg");
    let mut bytes = Vec::new();
    binary::write(&graph_of("karate-factions"), &mut bytes).unwrap();
    fs::write(&vsg, &bytes).unwrap();
    let (code, err) = validate(dir.path(), &vsg);
    assert_eq!(code, Some(0), "{err}");
    let named = vsg.display().to_string();
    for len in [0, 7, 40, 64, 72, bytes.len() / 2, bytes.len() - 1] {
        fs::write(&vsg, &bytes[..len]).unwrap();
        let (code, err) = validate(dir.path(), &vsg);
        assert_eq!(code, Some(2), "cut at {len}: {err}");
        assert!(err.contains(&named), "{err}");
        assert!(
            err.contains("truncated") || err.contains("too short"),
            "cut at {len}: {err}"
        );
    }
    // One flipped bit anywhere: in the counts of the header, the rows, the
    // trust, the ids, the segments or the checksum itself.
    for at in [
        9,
        17,
        30,
        70,
        200,
        bytes.len() / 2,
        bytes.len() - 40,
        bytes.len() - 3,
    ] {
        let mut damaged = bytes.clone();
        damaged[at] ^= 0x04;
        fs::write(&vsg, &damaged).unwrap();
        let (code, err) = validate(dir.path(), &vsg);
        assert_eq!(code, Some(2), "flipped at {at}: {err}");
        assert!(err.contains(&named), "{err}");
        assert!(
            err.contains("corrupt") || err.contains("truncated") || err.contains("version"),
            "flipped at {at}: {err}"
        );
    }
    // Text where a binary graph is expected.
    fs::write(&vsg, "1 2\n2 3\n").unwrap();
    let (code, err) = validate(dir.path(), &vsg);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains(&named), "{err}");
}

#[test]
fn a_binary_graph_is_known_by_its_magic_whatever_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let graph = graph_of("karate-club");
    let mut bytes = Vec::new();
    binary::write(&graph, &mut bytes).unwrap();
    let other = dir.path().join("network.bin");
    fs::write(&other, &bytes).unwrap();
    assert!(binary::is_binary(&other));
    let (code, err) = validate(dir.path(), &other);
    assert_eq!(code, Some(0), "{err}");
    assert!(!binary::is_binary(&root().join("data/karate.txt")));
}

#[test]
fn keys_the_binary_graph_already_applied_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let vsg = dir.path().join("g.vsg");
    let mut bytes = Vec::new();
    binary::write(&graph_of("karate-club"), &mut bytes).unwrap();
    fs::write(&vsg, &bytes).unwrap();
    let base = format!(
        "version = 1\nname = \"b\"\n[graph]\nedges = \"{}\"\n[content]\nstickiness = 0.2\n[simulation]\nruns = 10\nsteps = 5\nseed = 1\n[[strategy]]\nname = \"top\"\nkind = \"top-degree\"\ncount = 2\n",
        vsg.display()
    );
    for (extra, words) in [
        (
            "[trust]\ndistribution = \"uniform\"\nlow = 0.1\nhigh = 0.5\n",
            "distribution",
        ),
        ("[target]\nsegments = [\"a\"]\n", "without segments"),
    ] {
        let scenario = write(dir.path(), "k.toml", &format!("{base}{extra}"));
        let output = viralsim().arg("validate").arg(&scenario).output().unwrap();
        let err = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{err}");
        assert!(err.contains(words), "{err}");
    }
}

#[test]
fn a_graph_of_many_checksum_pieces_reads_back_exactly_and_any_flip_is_refused() {
    // 800,000 arcs: the followers and the trust span several of the
    // pieces the checksum is cut into, the last one partly filled.
    let n = 200_000u32;
    let counts = vec![4u32; n as usize];
    let targets: Vec<u32> = (0..n)
        .flat_map(|u| {
            let mut row = [1, 2, 3, 4].map(|d| (u + d) % n);
            row.sort_unstable();
            row
        })
        .collect();
    let trust: Vec<f32> = (0..targets.len())
        .map(|a| (a % 997) as f32 / 996.0)
        .collect();
    let graph = Graph::from_rows(&counts, targets, trust).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.vsg");
    let mut bytes = Vec::new();
    binary::write(&graph, &mut bytes).unwrap();
    fs::write(&path, &bytes).unwrap();
    assert_same_graph(&graph, &binary::read(&path).unwrap());
    // The header, then the row offsets (one more than people, padded to
    // 8 bytes), the followers, the trust.
    let rows = 64 + (4 * (n as usize + 1)).next_multiple_of(8);
    let trust_at = rows + 4 * graph.arcs() as usize;
    for at in [
        rows + (1 << 20) + 5,
        rows + 3 * (1 << 20) + 1,
        trust_at - 1,
        trust_at + (2 << 20) + 77,
        bytes.len() - 9,
    ] {
        let mut damaged = bytes.clone();
        damaged[at] ^= 0x10;
        fs::write(&path, &damaged).unwrap();
        let err = binary::read(&path).unwrap_err().to_string();
        assert!(err.contains("corrupt"), "flipped at {at}: {err}");
        assert!(err.contains(&path.display().to_string()), "{err}");
    }
}

#[test]
fn a_binary_graph_remembers_whether_it_is_undirected() {
    // karate-club's edge list is undirected, usernames' directed.
    for (name, undirected) in [("karate-club", true), ("usernames", false)] {
        let graph = graph_of(name);
        assert_eq!(graph.is_undirected(), undirected, "{name}");
        let dir = tempfile::tempdir().unwrap();
        let vsg = export(&root().join(format!("scenarios/{name}.toml")), dir.path());
        assert_eq!(binary::read(&vsg).unwrap().is_undirected(), undirected);
        // So `viralsim graph` describes and exports it as it does the
        // original: an undirected graph's edges once each.
        let original = root().join(format!("scenarios/{name}.toml"));
        let text = fs::read_to_string(&original).unwrap();
        let on_binary = text
            .lines()
            .filter(|l| !l.starts_with("directed") && !l.starts_with("people ="))
            .map(|l| {
                if l.starts_with("edges =") {
                    format!("edges = \"{}\"", vsg.display())
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
            .replace("../data", &root().join("data").display().to_string());
        let on_binary = write(dir.path(), "b.toml", &on_binary);
        let exported = |scenario: &Path, out: &Path| {
            let output = viralsim()
                .arg("graph")
                .arg(scenario)
                .args(["--export", "edgelist", "--out"])
                .arg(out)
                .output()
                .unwrap();
            assert!(
                output.status.success(),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
            fs::read(out).unwrap()
        };
        let a = exported(&original, &dir.path().join("a.txt"));
        let b = exported(&on_binary, &dir.path().join("b.txt"));
        assert!(a == b, "{name}: the edge lists differ");
    }
}

#[test]
fn the_memory_check_reads_a_binary_graphs_size_from_its_header() {
    let dir = tempfile::tempdir().unwrap();
    let vsg = export(&root().join("scenarios/karate-club.toml"), dir.path());
    let graph = binary::read(&vsg).unwrap();
    let build = binary::footprint(&vsg).unwrap();
    assert_eq!(
        (build.size.nodes, build.size.arcs),
        (graph.nodes() as u64, graph.arcs() as u64)
    );
    assert_eq!(build.peak, graph.heap_bytes());
    // Too little memory: refused before loading, with the header's counts.
    let text = format!(
        "version = 1\nname = \"b\"\n[graph]\nedges = \"{}\"\n[content]\nstickiness = 0.2\n[simulation]\nruns = 10\nsteps = 5\nseed = 1\n[[strategy]]\nname = \"top\"\nkind = \"top-degree\"\ncount = 2\n",
        vsg.display()
    );
    let scenario = write(dir.path(), "b.toml", &text);
    let output = viralsim()
        .arg("validate")
        .arg(&scenario)
        .args(["--max-memory", "1KB"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!("binary graph {}", vsg.display()))
            && err.contains(&format!("{} follower arcs", graph.arcs())),
        "{err}"
    );
}
