//! `viralsim graph`: the statistics it prints, its errors, and its exports,
//! which must read back to the very graph (people, arcs, trust, segments)
//! that a run of the scenario would build.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use common::{fixture_error, root, viralsim, write};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use viralsim::graph::{edgelist, Graph};

/// The graph and trust a run of `scenario` sees, built by the library.
fn graph_of(scenario: &Path) -> Graph {
    let s = viralsim::scenario::load(scenario).unwrap();
    viralsim::pipeline::load_graph(&s).unwrap().0
}

/// Arcs as (source id, follower id) -> trust.
fn arcs_of(g: &Graph) -> BTreeMap<(u64, u64), f32> {
    let mut arcs = BTreeMap::new();
    for u in 0..g.nodes() {
        for a in g.arc_range(u) {
            let v = g.targets()[a];
            arcs.insert((g.label(u), g.label(v)), g.trust()[a]);
        }
    }
    arcs
}

/// Karate club with ids scattered (7k + 1000), segments by faction, trust
/// drawn from a beta and scaled by segment: asymmetric trust on mutual
/// follows, original ids that are not indices, and segment names.
fn karate_scattered(dir: &Path) -> PathBuf {
    let scatter = |text: &str| -> String {
        text.lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| {
                let mut f = l.split_whitespace();
                let a: u64 = f.next().unwrap().parse().unwrap();
                let b = f.next().unwrap();
                let b = match b.parse::<u64>() {
                    Ok(id) => (7 * id + 1000).to_string(),
                    Err(_) => b.to_string(),
                };
                format!("{} {b}\n", 7 * a + 1000)
            })
            .collect()
    };
    let edges = fs::read_to_string(root().join("data/karate.txt")).unwrap();
    let factions = fs::read_to_string(root().join("data/karate-factions.txt")).unwrap();
    write(dir, "club.txt", &scatter(&edges));
    write(dir, "factions.txt", &scatter(&factions));
    write(
        dir,
        "club.toml",
        r#"version = 1
[graph]
edges = "club.txt"
segments = "factions.txt"
[content]
stickiness = 0.3
[trust]
distribution = "beta"
alpha = 2.0
beta = 3.0
same_segment = 1.3
other_segment = 0.4
[simulation]
seed = 5
[[strategy]]
kind = "top-degree"
count = 2
"#,
    )
}

/// A random directed network with one-way and mutual follows and ids up
/// to 10^12, uniform trust.
fn directed_random(dir: &Path) -> PathBuf {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(17);
    let ids: Vec<u64> = (0..300)
        .map(|_| rng.random_range(0..1_000_000_000_000))
        .collect();
    let mut text = String::from("# from, to\n");
    for _ in 0..1500 {
        let (a, b) = (ids[rng.random_range(0..300)], ids[rng.random_range(0..300)]);
        text.push_str(&format!("{a},{b}\n"));
        if rng.random::<f64>() < 0.3 {
            text.push_str(&format!("{b} {a}\n"));
        }
    }
    write(dir, "follows.csv", &text);
    write(
        dir,
        "follows.toml",
        r#"version = 1
[graph]
edges = "follows.csv"
directed = true
[content]
stickiness = 0.3
[trust]
distribution = "uniform"
low = 0.1
high = 0.9
[[strategy]]
kind = "random"
count = 3
"#,
    )
}

/// A sparse generated graph: a fifth of its people have no link at all.
fn sparse_generated(dir: &Path) -> PathBuf {
    write(
        dir,
        "sparse.toml",
        r#"version = 1
[graph]
generator = "erdos-renyi"
nodes = 400
mean_degree = 1.6
seed = 3
[content]
stickiness = 0.3
[trust]
distribution = "beta"
alpha = 1.0
beta = 1.0
[[strategy]]
kind = "random"
count = 3
"#,
    )
}

fn export(scenario: &Path, format: &str, out: &Path) -> String {
    let assert = viralsim()
        .args(["graph", "--export", format, "--out"])
        .arg(out)
        .arg(scenario)
        .assert()
        .success();
    String::from_utf8(assert.get_output().stderr.clone()).unwrap()
}

/// Read an exported edge list back, through viralsim's own reader for the
/// structure and its trust columns by hand: the graph, and arcs -> trust.
fn read_edge_list(path: &Path) -> (Graph, bool, BTreeMap<(u64, u64), f32>) {
    let text = fs::read_to_string(path).unwrap();
    let directed = text.contains("\n# read back with directed = true\n");
    assert!(directed || text.contains("\n# read back with directed = false\n"));
    let (g, cleaning) = edgelist::read(path, directed).unwrap();
    assert_eq!((cleaning.self_loops, cleaning.duplicates), (0, 0));
    let mut trust = BTreeMap::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split(' ').collect();
        let (u, v): (u64, u64) = (f[0].parse().unwrap(), f[1].parse().unwrap());
        assert_eq!(f.len(), if directed { 3 } else { 4 }, "{line}");
        assert!(trust.insert((u, v), f[2].parse::<f32>().unwrap()).is_none());
        if !directed {
            assert!(u < v, "{line}");
            assert!(trust.insert((v, u), f[3].parse::<f32>().unwrap()).is_none());
        }
    }
    (g, directed, trust)
}

/// What a GraphML file holds: whether directed, node ids with their
/// segment, arcs -> trust.
struct GraphMl {
    directed: bool,
    nodes: BTreeMap<u64, Option<String>>,
    arcs: BTreeMap<(u64, u64), f32>,
}

/// A minimal GraphML reader: enough for node and edge elements with
/// attributes and `<data>` children, as any GraphML writer produces them.
fn read_graphml(path: &Path) -> GraphMl {
    let xml = fs::read_to_string(path).unwrap();
    let unescape = |s: &str| {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&")
    };
    let attr = |tag: &str, name: &str| -> Option<String> {
        let key = format!(" {name}=\"");
        let start = tag.find(&key)? + key.len();
        let end = start + tag[start..].find('"')?;
        Some(unescape(&tag[start..end]))
    };
    // The element starting at `at`: its start tag and its content.
    let element = |at: usize, name: &str| -> (String, String) {
        let tag_end = at + xml[at..].find('>').unwrap();
        let tag = xml[at..tag_end].to_string();
        if tag.ends_with('/') {
            return (tag, String::new());
        }
        let close = format!("</{name}>");
        let end = tag_end + xml[tag_end..].find(&close).unwrap();
        (tag, xml[tag_end + 1..end].to_string())
    };
    let data = |content: &str, key: &str| -> Option<String> {
        let open = format!("<data key=\"{key}\">");
        let start = content.find(&open)? + open.len();
        let end = start + content[start..].find("</data>")?;
        Some(unescape(content[start..end].trim()))
    };
    let graph_at = xml.find("<graph ").unwrap();
    let (graph_tag, _) = element(graph_at, "graph");
    let directed = match attr(&graph_tag, "edgedefault").as_deref() {
        Some("directed") => true,
        Some("undirected") => false,
        other => panic!("edgedefault {other:?}"),
    };
    let mut nodes = BTreeMap::new();
    for (at, _) in xml.match_indices("<node ") {
        let (tag, content) = element(at, "node");
        let id: u64 = attr(&tag, "id").unwrap().parse().unwrap();
        assert!(nodes.insert(id, data(&content, "segment")).is_none());
    }
    let mut arcs = BTreeMap::new();
    for (at, _) in xml.match_indices("<edge ") {
        let (tag, content) = element(at, "edge");
        let u: u64 = attr(&tag, "source").unwrap().parse().unwrap();
        let v: u64 = attr(&tag, "target").unwrap().parse().unwrap();
        let trust: f32 = data(&content, "trust").unwrap().parse().unwrap();
        assert!(arcs.insert((u, v), trust).is_none());
        if !directed {
            let back: f32 = data(&content, "trust_back").unwrap().parse().unwrap();
            assert!(arcs.insert((v, u), back).is_none());
        }
    }
    GraphMl {
        directed,
        nodes,
        arcs,
    }
}

fn labels(g: &Graph) -> BTreeSet<u64> {
    (0..g.nodes()).map(|u| g.label(u)).collect()
}

/// People with at least one arc, by id.
fn linked(g: &Graph) -> BTreeSet<u64> {
    arcs_of(g).keys().flat_map(|&(u, v)| [u, v]).collect()
}

fn assert_round_trip(scenario: &Path, expect_directed: bool, expect_alone: usize) {
    let dir = scenario.parent().unwrap();
    let original = graph_of(scenario);
    let arcs = arcs_of(&original);
    assert_eq!(arcs.len(), original.arcs());
    assert_eq!(
        labels(&original).len() - linked(&original).len(),
        expect_alone
    );

    let list = dir.join("out/graph.txt");
    let stderr = export(scenario, "edgelist", &list);
    assert!(stderr.contains("wrote"), "{stderr}");
    assert_eq!(
        stderr.contains("people without any follow are not in the edge list"),
        expect_alone > 0,
        "{stderr}"
    );
    let (back, directed, trust) = read_edge_list(&list);
    assert_eq!(directed, expect_directed);
    // An edge list holds everyone with a follow; nobody else.
    assert_eq!(
        back.nodes() as usize,
        original.nodes() as usize - expect_alone
    );
    assert_eq!(labels(&back), linked(&original));
    assert_eq!(back.arcs(), original.arcs());
    assert_eq!(
        arcs_of(&back).keys().collect::<Vec<_>>(),
        arcs.keys().collect::<Vec<_>>()
    );
    assert_eq!(trust, arcs, "trust differs after the edge-list round trip");

    let xml = dir.join("out/graph.graphml");
    export(scenario, "graphml", &xml);
    let g = read_graphml(&xml);
    assert_eq!(g.directed, expect_directed);
    assert_eq!(
        g.nodes.keys().copied().collect::<BTreeSet<_>>(),
        labels(&original)
    );
    assert_eq!(
        g.arcs, arcs,
        "arcs or trust differ after the GraphML round trip"
    );
    let segments: BTreeMap<u64, Option<String>> = (0..original.nodes())
        .map(|u| {
            let name = original
                .segments()
                .and_then(|s| s.of(u).map(|i| s.name(i).into_owned()));
            (original.label(u), name)
        })
        .collect();
    assert_eq!(g.nodes, segments);

    let leftovers: Vec<_> = fs::read_dir(dir.join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn undirected_export_reads_back_to_the_same_graph() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = karate_scattered(tmp.path());
    let g = graph_of(&scenario);
    // The fixture is what it claims: asymmetric trust and two segments.
    assert_eq!(g.segments().unwrap().len(), 2);
    assert!(g.label(0) == 1000 && g.label(33) == 7 * 33 + 1000);
    let arcs = arcs_of(&g);
    assert!(arcs.iter().any(|(&(u, v), &t)| arcs[&(v, u)] != t));
    assert_round_trip(&scenario, false, 0);
}

#[test]
fn directed_export_reads_back_to_the_same_graph() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = directed_random(tmp.path());
    let arcs = arcs_of(&graph_of(&scenario));
    let mutual = arcs
        .keys()
        .filter(|&&(u, v)| arcs.contains_key(&(v, u)))
        .count();
    assert!(
        mutual > 100 && mutual < arcs.len() - 100,
        "{mutual} of {}",
        arcs.len()
    );
    assert_round_trip(&scenario, true, 0);
}

#[test]
fn export_of_a_graph_with_loners_keeps_them_in_graphml_only() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = sparse_generated(tmp.path());
    let g = graph_of(&scenario);
    let alone = g.nodes() as usize - linked(&g).len();
    // G(400, 1.6/399): about 400 e^-1.6 ≈ 81 people alone.
    assert!(alone > 40, "{alone}");
    assert_round_trip(&scenario, false, alone);
}

#[test]
fn graph_prints_the_key_statistics() {
    let scenario = root().join("scenarios/karate-club.toml");
    let assert = viralsim().arg("graph").arg(&scenario).assert().success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let row = |label: &str| -> String {
        stdout
            .lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("no {label} row:\n{stdout}"))
            .trim_start()[label.len()..]
            .trim()
            .to_string()
    };
    assert_eq!(row("people"), "34");
    assert_eq!(row("follower arcs"), "156 (every follow mutual: 78 links)");
    assert!(
        row("followers").starts_with("mean 4.59, max 17"),
        "{stdout}"
    );
    // networkx: average clustering 0.5706, transitivity 0.2557, 45 triangles.
    assert_eq!(
        row("clustering"),
        "average local 0.5706, global 0.2557 (45 triangles)"
    );
    assert_eq!(row("weak components"), "1, the largest 34 people (100.0%)");
    for label in ["mean-field threshold", "spectral threshold", "stickiness"] {
        assert!(row(label).contains("critical stickiness") || label == "stickiness");
    }

    let assert = viralsim()
        .args(["graph", "--json"])
        .arg(&scenario)
        .assert()
        .success();
    let json: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(json["people"], 34);
    assert_eq!(json["arcs"], 156);
    assert_eq!(json["undirected"], true);
    assert_eq!(json["clustering"]["triangles"], 45);
    assert_eq!(json["components"]["largest_strong"], 34);
    let t = &json["thresholds"];
    let lambda = t["lambda_max"].as_f64().unwrap();
    let trust = json["trust"]["mean"].as_f64().unwrap();
    assert!(
        (t["spectral_stickiness"].as_f64().unwrap() * lambda - 1.0).abs() < 1e-12,
        "{t}"
    );
    // <k> / (<k^2> - <k>) from the karate degrees: sum k = 156,
    // sum k^2 = 1,212 (networkx degrees), so T_c = 156 / 1056.
    let tc = t["mean_field"].as_f64().unwrap();
    assert!((tc - 156.0 / 1056.0).abs() < 1e-12, "{tc}");
    assert!((t["mean_field_stickiness"].as_f64().unwrap() - tc / trust).abs() < 1e-12);
    assert!(["below", "between", "above"].contains(&json["regime"].as_str().unwrap()));
}

#[test]
fn graph_of_a_bad_scenario_gives_its_located_error_and_exit_code_2() {
    // Errors found when the scenario is read, and when the graph is built.
    for fixture in [
        "stickiness-above-one.toml",
        "malformed-edge-file.toml",
        "segments-file-unknown-id.toml",
        "missing-edge-file.toml",
    ] {
        let path = root().join("tests/fixtures/bad").join(fixture);
        let expected = fixture_error(&path);
        let output = viralsim().arg("graph").arg(&path).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{fixture}: {stderr}");
        assert_eq!(stderr.matches(&expected).count(), 1, "{fixture}: {stderr}");
        assert!(output.stdout.is_empty(), "{fixture}: printed statistics");
    }
    let output = viralsim().args(["graph", "nowhere.toml"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    // --export needs --out, and the other way round.
    let karate = root().join("scenarios/karate-club.toml");
    for args in [&["--export", "graphml"][..], &["--out", "x.graphml"]] {
        let output = viralsim()
            .arg("graph")
            .args(args)
            .arg(&karate)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn an_export_that_cannot_be_written_is_exit_code_1() {
    let tmp = tempfile::tempdir().unwrap();
    // A file where the folder should go (a folder where the file should
    // go is bad input: exit 2).
    let blocker = tmp.path().join("taken");
    fs::write(&blocker, "mine").unwrap();
    let out = blocker.join("graph.txt");
    let output = viralsim()
        .args(["graph", "--export", "edgelist", "--out"])
        .arg(&out)
        .arg(root().join("scenarios/karate-club.toml"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot write"));
    assert_eq!(
        fs::read_dir(tmp.path()).unwrap().count(),
        1,
        "a temporary was left"
    );
}
