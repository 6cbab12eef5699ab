//! Stickiness by segment (`[content] stickiness_by_segment`): the chance
//! that a follower shares is the stickiness of the follower's segment
//! times trust. Checked against exact results through the real engine,
//! and through the binary for the keys, imm, the rival and the sweep.

mod common;

use common::{run_into, run_model, small_scenario, star, write};
use viralsim::graph::{Graph, Node};
use viralsim::model::{
    AdsSpec, LinearThreshold, Metric, Model, ModelKind, PaidSpec, Resonance, SpreadModel,
    SpreadSpec, Tally,
};

fn spread(model: &'static ModelKind, stickiness: f64, table: &[(&str, f64)]) -> SpreadSpec {
    SpreadSpec {
        model,
        stickiness,
        half_life: None,
        ads: None,
        rival: None,
        resonance: (!table.is_empty()).then(|| Resonance {
            ours: table.iter().map(|(n, v)| (n.to_string(), *v)).collect(),
            rival: Vec::new(),
            ads: Vec::new(),
        }),
        activity: None,
        start_step: 0,
        steps: 3,
        seed: 5,
    }
}

/// A hub followed by `leaves` people, leaf v in segment v mod 3, with
/// trust 0.5 on every arc.
fn star_in_three(leaves: u32) -> Graph {
    let mut g = star(leaves + 1).with_segments((0..=leaves).map(|v| v % 3).collect());
    g.set_trust(vec![0.5; leaves as usize]);
    g
}

/// Per segment of the leaves, the runs x leaves in which a leaf shared.
fn shares_per_segment<M: SpreadModel>(model: &M, g: &Graph, runs: u64) -> [u64; 3] {
    let mut ws = model.workspace();
    let len = 4 * model.metrics().len() + model.segment_slots();
    let mut data = vec![0u32; len];
    let mut hits = [0u64; 3];
    for r in 0..runs {
        let record = viralsim::model::RunRecord::new(&mut data, 3);
        model.run(&mut ws, &[0], r, record);
        for v in 1..g.nodes() {
            if model.marks(&ws).has_shared(v) {
                hits[(v % 3) as usize] += 1;
            }
        }
    }
    hits
}

#[test]
fn each_follower_shares_with_their_segments_stickiness_times_trust() {
    let (leaves, runs) = (300u32, 2000u64);
    let g = star_in_three(leaves);
    // Segment 2 is not listed: it keeps the content's stickiness.
    let s = spread(ModelKind::default_kind(), 0.3, &[("0", 0.9), ("1", 0.1)]);
    let model = Model::new(&s, &g, Tally::default(), None);
    let hits = shares_per_segment(&model, &g, runs);
    for (seg, p) in [(0, 0.9 * 0.5), (1, 0.1 * 0.5), (2, 0.3 * 0.5)] {
        let n = (runs * leaves as u64 / 3) as f64;
        let sd = (n * p * (1.0 - p)).sqrt();
        let got = hits[seg] as f64;
        assert!(
            (got - n * p).abs() < 5.0 * sd,
            "segment {seg}: {got} vs {}",
            n * p
        );
    }
}

#[test]
fn in_linear_threshold_it_scales_the_followers_weighted_sum() {
    // A leaf follows only the hub, so shares when its threshold is below
    // its segment's stickiness times the whole of its weight: exactly
    // that chance.
    let (leaves, runs) = (300u32, 2000u64);
    let g = star_in_three(leaves);
    let s = spread(
        ModelKind::named("linear-threshold").unwrap(),
        0.3,
        &[("0", 0.9), ("1", 0.1)],
    );
    let model = Model::new(&s, &g, Tally::default(), None);
    let hits = shares_per_segment(&model, &g, runs);
    for (seg, p) in [(0, 0.9), (1, 0.1), (2, 0.3)] {
        let n = (runs * leaves as u64 / 3) as f64;
        let sd = (n * p * (1.0 - p)).sqrt();
        let got = hits[seg] as f64;
        assert!(
            (got - n * p).abs() < 5.0 * sd,
            "segment {seg}: {got} vs {}",
            n * p
        );
    }
    // Without a table, the plain model.
    let plain = LinearThreshold::new(&g, 0.3, 3, 5);
    let hits = shares_per_segment(&plain, &g, 200);
    assert!(hits.iter().all(|&h| h > 0));
}

#[test]
fn a_table_of_the_contents_own_stickiness_changes_no_run() {
    let g = common::random_digraph(500, 5, 9).with_segments((0..500).map(|v| v % 4).collect());
    let plain = spread(ModelKind::default_kind(), 0.25, &[]);
    let same = spread(ModelKind::default_kind(), 0.25, &[("0", 0.25), ("3", 0.25)]);
    let seeds: [Node; 3] = [0, 1, 2];
    let a = run_model(
        &Model::new(&plain, &g, Tally::default(), None),
        &seeds,
        300,
        3,
    );
    let b = run_model(
        &Model::new(&same, &g, Tally::default(), None),
        &seeds,
        300,
        3,
    );
    assert_eq!(a, b);
    let m = a.metric_index(Metric::Shared).unwrap();
    assert!(a.finals(m).iter().any(|&s| s > 10.0));
}

#[test]
fn ad_viewers_share_with_their_segments_stickiness() {
    // Everyone sees an ad at step 1: segment 0 always shares it, segment 1
    // never, segment 2 with the ad's own 0.5.
    let (leaves, runs) = (300u32, 400u64);
    let g = star_in_three(leaves);
    let mut s = spread(ModelKind::default_kind(), 0.0, &[]);
    s.resonance = Some(Resonance {
        ads: vec![("0".into(), 1.0), ("1".into(), 0.0)],
        ..Resonance::default()
    });
    s.ads = Some(AdsSpec::Chance(PaidSpec {
        reach_per_step: 1.0,
        from_step: 1,
        to_step: 1,
        stickiness: 0.5,
        cost_per_view: 0.0,
    }));
    let model = Model::new(&s, &g, Tally::default(), None);
    let hits = shares_per_segment(&model, &g, runs);
    let n = (runs * leaves as u64 / 3) as f64;
    assert_eq!((hits[0] as f64, hits[1]), (n, 0));
    let sd = (n * 0.25).sqrt();
    assert!((hits[2] as f64 - n * 0.5).abs() < 5.0 * sd, "{hits:?}");
}

const TWO_GROUPS: &str = "version = 1\nname = \"two\"\n\n[graph]\ngenerator = \"stochastic-block\"\ncommunities = 2\ncommunity_size = 200\nmean_degree_in = 6\nmean_degree_out = 0.5\nseed = 4\n\n";

#[test]
fn imm_and_celf_seed_where_the_content_resonates() {
    // Content that only community 1 shares: the best seed to spread
    // sharing is one of them (a seed of community 0 is a sharer alone),
    // and both optimisers find one.
    let text = format!(
        "{TWO_GROUPS}[content]\nstickiness = 0.0\nstickiness_by_segment = {{ \"1\" = 0.4 }}\n\n[goal]\nmetric = \"shared\"\n\n\
         [simulation]\nruns = 50\nsteps = 10\nseed = 3\n\n\
         [[strategy]]\nname = \"imm\"\nkind = \"imm\"\ncount = 1\n\n[[strategy]]\nname = \"celf\"\nkind = \"celf\"\ncount = 1\nruns = 50\n"
    );
    let prepared = common::prepare(&text);
    let segments = prepared.graph.segments().unwrap();
    for (i, seeds) in prepared.seeds.iter().enumerate() {
        let viralsim::model::Seeds::Fixed(seeds) = seeds else {
            panic!("fixed seeds")
        };
        assert!(
            seeds.iter().all(|&s| segments.of(s) == Some(1)),
            "strategy {i}: {seeds:?}"
        );
    }
}

#[test]
fn the_rival_has_its_own_table() {
    // A rival nobody of either community shares: at most its 4 seeds do
    // (fewer when ours win some of them over first), where without its
    // table it spreads.
    let text = |table: &str| {
        format!(
            "{TWO_GROUPS}[content]\nstickiness = 0.2\nstickiness_by_segment = {{ \"0\" = 0.3 }}\n\n\
             [rival]\nstickiness = 0.5\n{table}kind = \"random\"\ncount = 4\n\n\
             [simulation]\nruns = 30\nsteps = 10\nseed = 3\n\n[[strategy]]\nname = \"top\"\nkind = \"top-degree\"\ncount = 3\n"
        )
    };
    let rival_shared = |text: &str| {
        let results = common::simulate(text);
        let st = &results.strategies[0].stats;
        st.final_values_of(Metric::RivalShared).unwrap().to_vec()
    };
    let silenced = rival_shared(&text(
        "stickiness_by_segment = { \"0\" = 0.0, \"1\" = 0.0 }\n",
    ));
    assert!(silenced.iter().all(|&s| s <= 4.0), "{silenced:?}");
    let spreading = rival_shared(&text(""));
    assert!(spreading.iter().sum::<f64>() > 10.0 * 30.0, "{spreading:?}");
}

#[test]
fn sharers_per_segment_sit_beside_reach_and_a_chart_shows_them() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{TWO_GROUPS}[content]\nstickiness = 0.05\nstickiness_by_segment = {{ \"0\" = 0.5 }}\n\n\
         [simulation]\nruns = 40\nsteps = 10\nseed = 3\n\n[[strategy]]\nname = \"top\"\nkind = \"top-degree\"\ncount = 3\n\n\
         [sweep]\n\"content.stickiness_by_segment.0\" = [0.1, 0.5]\n"
    );
    let path = write(dir.path(), "two.toml", &text);
    let out = dir.path().join("out");
    let (code, err) = run_into(&path, &out, &[]);
    assert_eq!(code, Some(0), "{err}");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("two/summary.json")).unwrap())
            .unwrap();
    assert_eq!(summary["stickiness_by_segment"]["ours"]["0"], 0.5);
    let segments = summary["strategies"][0]["segments"].as_array().unwrap();
    let shared = |i: usize| segments[i]["shared"]["mean"].as_f64().unwrap();
    let reached = |i: usize| segments[i]["reached"]["mean"].as_f64().unwrap();
    assert!(shared(0) <= reached(0) && shared(1) <= reached(1));
    // Half of segment 0's viewers share against one in twenty of segment
    // 1's: the sharers' share of the reach tells the segments apart.
    assert!(
        shared(0) / reached(0) > 2.0 * shared(1) / reached(1),
        "{segments:?}"
    );
    assert!(out.join("two/segments.png").exists());
    let html = std::fs::read_to_string(out.join("two/report.html")).unwrap();
    assert!(html.contains("Reach by segment") && html.contains("resonates by segment"));
    let csv = std::fs::read_to_string(out.join("two/sweep.csv")).unwrap();
    assert!(
        csv.starts_with("point,content.stickiness_by_segment.0,"),
        "{csv}"
    );
}

#[test]
fn unknown_segments_and_graphs_without_segments_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{TWO_GROUPS}[content]\nstickiness = 0.05\nstickiness_by_segment = {{ \"students\" = 0.5 }}\n\n\
         [[strategy]]\nname = \"top\"\nkind = \"top-degree\"\ncount = 3\n"
    );
    let path = write(dir.path(), "two.toml", &text);
    let (code, err) = run_into(&path, &dir.path().join("out"), &[]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("\"students\"") && err.contains("\"0\", \"1\""),
        "{err}"
    );
    assert!(err.contains("stickiness_by_segment"), "{err}");
    let text = small_scenario(Some("s"), "").replace(
        "stickiness = 0.1\n",
        "stickiness = 0.1\nstickiness_by_segment = { a = 0.5 }\n",
    );
    let path = write(dir.path(), "s.toml", &text);
    let (code, err) = run_into(&path, &dir.path().join("out"), &[]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("the graph has no segments"), "{err}");
    let text = format!(
        "{TWO_GROUPS}[content]\nstickiness = 0.05\nstickiness_by_segment = {{ \"0\" = 1.5 }}\n\n\
         [[strategy]]\nname = \"top\"\nkind = \"top-degree\"\ncount = 3\n"
    );
    let path = write(dir.path(), "two.toml", &text);
    let (code, err) = run_into(&path, &dir.path().join("out"), &[]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("not a probability"), "{err}");
}

#[test]
fn ads_keep_their_table_against_a_rival_and_a_strategys_own_ads_have_theirs() {
    // Content nobody passes on: only ad viewers share. `[paid]`'s viewers
    // of community 1 never share, against a rival; the second strategy's
    // own ads replace `[paid]`, and with them its table: there community
    // 0's viewers never share.
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{TWO_GROUPS}[content]\nstickiness = 0.0\n\n\
         [paid]\nreach_per_step = 0.05\nfrom_step = 1\nto_step = 4\nstickiness = 0.5\nstickiness_by_segment = {{ \"1\" = 0.0 }}\n\n\
         [rival]\nstickiness = 0.3\nkind = \"explicit\"\nnodes = [5]\n\n\
         [simulation]\nruns = 40\nsteps = 6\nseed = 3\n\n\
         [[strategy]]\nname = \"paid\"\nkind = \"random\"\ncount = 0\n\n\
         [[strategy]]\nname = \"own\"\nkind = \"random\"\ncount = 0\n\n\
         [strategy.ads]\nbudget = 100\ncost_per_view = 1\nstickiness = 0.5\nstickiness_by_segment = {{ \"0\" = 0.0 }}\n"
    );
    let path = write(dir.path(), "ads.toml", &text);
    let out = dir.path().join("out");
    let (code, err) = run_into(&path, &out, &[]);
    assert_eq!(code, Some(0), "{err}");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("two/summary.json")).unwrap())
            .unwrap();
    let shared = |strategy: usize, segment: usize| {
        summary["strategies"][strategy]["segments"][segment]["shared"]["mean"]
            .as_f64()
            .unwrap()
    };
    assert!(shared(0, 0) > 0.0 && shared(0, 1) == 0.0, "{summary}");
    assert!(shared(1, 0) == 0.0 && shared(1, 1) > 0.0, "{summary}");
    // A name the graph does not know is refused at its key.
    let bad = text.replace("{ \"0\" = 0.0 }", "{ \"students\" = 0.0 }");
    let path = write(dir.path(), "ads.toml", &bad);
    let (code, err) = run_into(&path, &dir.path().join("out2"), &[]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("\"students\"") && err.contains("\"0\", \"1\""),
        "{err}"
    );
}
