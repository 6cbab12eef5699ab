//! The numbers a campaign planner reads: impressions (every time a post or
//! an ad was shown) and frequency on graphs whose answer is known exactly,
//! the cost per 1,000 reached and per 1,000 impressions, the share of the
//! network reached, whole people in the table and the report, and no
//! negative zero in any output.

mod common;

use common::{path, prepare, run_into, run_model, star, write};
use viralsim::engine::Outcome;
use viralsim::graph::{Graph, Node};
use viralsim::model::{
    CompetitiveCascade, IndependentCascade, LinearThreshold, Metric, Rival, Seeds,
};
use viralsim::pipeline;
use viralsim::report::table;

/// The curve of `metric` in run `run`.
fn curve(o: &Outcome, metric: Metric, run: u32) -> Vec<u32> {
    o.curve(run, o.metric_index(metric).unwrap())
}

/// `k` leaves around hub 0, following each other both ways: the hub's post
/// is shown to the `k` leaves, each leaf's to the hub.
fn two_way_star(k: u32) -> Graph {
    let edges: Vec<(Node, Node)> = (1..=k).map(|v| (0, v)).collect();
    Graph::from_undirected(k + 1, &edges)
}

#[test]
fn a_hub_that_nobody_shares_on_is_seen_once_by_each_leaf() {
    let k = 25;
    let g = two_way_star(k);
    let o = run_model(&IndependentCascade::new(&g, 0.0, 6, 1), &[0], 20, 6);
    for r in 0..o.runs {
        // Shown the step after the post, to each of the k followers.
        let mut expected = [k; 7];
        expected[0] = 0;
        assert_eq!(curve(&o, Metric::Impressions, r), &expected[..]);
        assert_eq!(*curve(&o, Metric::Reached, r).last().unwrap(), k + 1);
    }
    let stats = viralsim::stats::OutcomeStats::of(&o);
    let impressions = stats.final_of(Metric::Impressions).unwrap().mean;
    let reached = stats.final_of(Metric::Reached).unwrap().mean;
    assert_eq!(impressions / reached, k as f64 / (k + 1) as f64);
}

#[test]
fn at_full_stickiness_every_leaf_shows_the_hub_its_post_a_step_later() {
    let k = 25;
    let g = two_way_star(k);
    let o = run_model(&IndependentCascade::new(&g, 1.0, 6, 1), &[0], 20, 6);
    for r in 0..o.runs {
        // Step 1: the hub's post to the k leaves, who all share; step 2:
        // each leaf's post to the hub (out-degree 1).
        assert_eq!(
            curve(&o, Metric::Impressions, r),
            &[0, k, 2 * k, 2 * k, 2 * k, 2 * k, 2 * k]
        );
    }
    // One-way star: the leaves have no followers, so k in all.
    let o = run_model(
        &IndependentCascade::new(&star(k + 1), 1.0, 6, 1),
        &[0],
        5,
        6,
    );
    for r in 0..o.runs {
        assert_eq!(curve(&o, Metric::Impressions, r), &[0, k, k, k, k, k, k]);
    }
}

#[test]
fn a_chain_is_shown_one_post_per_step_and_only_within_the_steps() {
    let n = 12;
    let g = path(n);
    for steps in [20, n - 1, 5] {
        let o = run_model(&IndependentCascade::new(&g, 1.0, steps, 3), &[0], 5, steps);
        let expected: Vec<u32> = (0..=steps).map(|t| t.min(n - 1)).collect();
        for r in 0..o.runs {
            assert_eq!(curve(&o, Metric::Impressions, r), &expected[..]);
        }
    }
    // Frequency on the whole chain: n - 1 posts over n people reached.
    let o = run_model(&IndependentCascade::new(&g, 1.0, 20, 3), &[0], 5, 20);
    let stats = viralsim::stats::OutcomeStats::of(&o);
    let impressions = stats.final_of(Metric::Impressions).unwrap().mean;
    let reached = stats.final_of(Metric::Reached).unwrap().mean;
    assert_eq!((impressions, reached), ((n - 1) as f64, n as f64));
}

#[test]
fn the_linear_threshold_counts_impressions_the_same_way() {
    // On a chain every person follows one sharer with full trust, so at
    // stickiness 1 each shares the step after: n - 1 posts shown.
    let n = 9;
    let o = run_model(&LinearThreshold::new(&path(n), 1.0, 12, 2), &[0], 5, 12);
    let expected: Vec<u32> = (0..=12).map(|t: u32| t.min(n - 1)).collect();
    for r in 0..o.runs {
        assert_eq!(curve(&o, Metric::Impressions, r), &expected[..]);
    }
}

#[test]
fn seeds_that_post_late_are_seen_the_step_after_they_post() {
    let k = 10;
    let g = two_way_star(k);
    let o = run_model(
        &IndependentCascade::new(&g, 0.0, 8, 1).with_start(3),
        &[0],
        5,
        8,
    );
    for r in 0..o.runs {
        assert_eq!(
            curve(&o, Metric::Impressions, r),
            &[0, 0, 0, 0, k, k, k, k, k]
        );
    }
}

#[test]
fn against_a_rival_only_our_posts_count() {
    // Our hub at full stickiness; leaf 1 is the rival's seed and shares
    // the rival's content, never ours: k - 1 leaves show the hub our post.
    let k = 12;
    let g = two_way_star(k);
    let rival_seeds = Seeds::Fixed(vec![1]);
    let rival = Rival {
        stickiness: 0.0,
        seeds: &rival_seeds,
        start_step: 0,
    };
    let model = CompetitiveCascade::new(&g, 1.0, 5, 4, rival);
    let o = run_model(&model, &[0], 10, 5);
    for r in 0..o.runs {
        assert_eq!(
            curve(&o, Metric::Impressions, r),
            &[0, k, 2 * k - 1, 2 * k - 1, 2 * k - 1, 2 * k - 1]
        );
    }
}

#[test]
fn ad_views_are_impressions_and_ad_sharers_are_seen_a_step_later() {
    // A directed cycle: everyone has one follower. Ads in step 1 that
    // every viewer shares, content nobody shares on: each viewer is one
    // ad view at step 1 and shows their post to one follower at step 2.
    let n = 400;
    let g = Graph::from_arcs(n, (0..n).map(|v| (v, (v + 1) % n)).collect());
    let model = IndependentCascade::new(&g, 0.0, 5, 9).with_ads(0.1, 1, 1, 1.0);
    let o = run_model(&model, &[], 30, 5);
    let mut some_views = false;
    for r in 0..o.runs {
        let views = curve(&o, Metric::AdViews, r).to_vec();
        let shared = curve(&o, Metric::Shared, r).to_vec();
        let impressions = curve(&o, Metric::Impressions, r);
        assert_eq!(shared[1], views[1], "every viewer shares the ad");
        assert_eq!(impressions[0], 0);
        assert_eq!(impressions[1], views[1]);
        for (t, &shown) in impressions.iter().enumerate().skip(2) {
            assert_eq!(shown, views[1] + shared[1], "run {r} step {t}");
        }
        some_views |= views[1] > 0;
    }
    assert!(some_views);
    // With seeds as well: the hub's posts plus the ad views.
    let k = 30;
    let g = two_way_star(k);
    let model = IndependentCascade::new(&g, 0.0, 4, 9).with_ads(0.2, 1, 3, 0.0);
    let o = run_model(&model, &[0], 30, 4);
    for r in 0..o.runs {
        let views = curve(&o, Metric::AdViews, r);
        let impressions = curve(&o, Metric::Impressions, r);
        for t in 0..=4 {
            let posts = if t >= 1 { k } else { 0 };
            assert_eq!(impressions[t], posts + views[t], "run {r} step {t}");
        }
    }
}

/// A network nobody shares on (stickiness 0), so every run reaches the
/// same people: the seeds and their followers.
const NOBODY_SHARES: &str = "version = 1\n\n[graph]\ngenerator = \"barabasi-albert\"\nnodes = 300\nedges_per_node = 2\nseed = 5\n\n\
     [content]\nstickiness = 0.0\n\n[simulation]\nruns = 20\nsteps = 5\nseed = 7\n\n\
     [[strategy]]\nname = \"top\"\nkind = \"top-degree\"\ncount = 3\n\n\
     [[strategy]]\nname = \"top again\"\nkind = \"top-degree\"\ncount = 3\n\n\
     [[strategy]]\nname = \"nobody\"\nkind = \"random\"\ncount = 0\n";

#[test]
fn costs_per_1000_and_the_share_reached_follow_their_definitions() {
    let prepared = prepare(NOBODY_SHARES);
    let results = pipeline::simulate(&prepared, &|_| {});
    let g = &prepared.graph;
    let Seeds::Fixed(seeds) = &prepared.seeds[0] else {
        panic!("top-degree seeds are fixed");
    };
    let mut reached: Vec<Node> = seeds.clone();
    for &s in seeds {
        reached.extend_from_slice(g.followers(s));
    }
    reached.sort_unstable();
    reached.dedup();
    let reached = reached.len() as f64;
    let shown: u32 = seeds.iter().map(|&s| g.follower_count(s)).sum();
    let top = &results.strategies[0];
    assert_eq!(top.reached().mean, reached);
    assert_eq!(top.impressions().unwrap().mean, shown as f64);
    // Without [costs] every invitation costs 1: 3 invitations.
    assert_eq!(top.cost, 3.0);
    assert_eq!(top.cost_per_1000_reached(), Some(1000.0 * 3.0 / reached));
    assert_eq!(
        top.cost_per_1000_impressions(),
        Some(1000.0 * 3.0 / shown as f64)
    );
    assert_eq!(top.frequency(), Some(shown as f64 / reached));
    assert_eq!(results.people, 300);
    assert_eq!(top.reached_share(results.people), reached / 300.0);
    // Nobody invited reaches nobody: nothing per 1000 of nothing.
    let nobody = &results.strategies[2];
    assert_eq!(nobody.cost.to_bits(), 0.0f64.to_bits(), "cost is +0");
    assert_eq!(nobody.cost_per_1000_reached(), None);
    assert_eq!(nobody.frequency(), None);
}

/// Whether `text` holds a number that is a negative zero ("-0", "-0.0",
/// "-0.00"), not a negative number or a hyphen.
fn has_negative_zero(text: &str) -> bool {
    text.match_indices("-0").any(|(i, _)| {
        let before = text[..i].chars().last();
        let number: String = text[i + 1..]
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
            .collect();
        let number = number.trim_end_matches(['.', ',']);
        !before.is_some_and(|c| c.is_ascii_alphanumeric())
            && number.chars().all(|c| c == '0' || c == '.' || c == ',')
    })
}

#[test]
fn no_output_holds_a_negative_zero() {
    let dir = tempfile::tempdir().unwrap();
    let zero = write(dir.path(), "zero.toml", NOBODY_SHARES);
    let bundled = common::root().join("scenarios/ad-budget.toml");
    for (scenario, name) in [(&zero, "zero"), (&bundled, "ad-budget")] {
        let out = dir.path().join(name);
        let (code, err) = run_into(scenario, &out, &["--threads", "2"]);
        assert_eq!(code, Some(0), "{err}");
        for entry in std::fs::read_dir(out.join(name)).unwrap() {
            let path = entry.unwrap().path();
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !["json", "csv", "html", "svg"].contains(&ext) {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                !has_negative_zero(&text),
                "{} prints a negative zero",
                path.display()
            );
        }
        let summary: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(out.join(name).join("summary.json")).unwrap(),
        )
        .unwrap();
        for st in summary["strategies"].as_array().unwrap() {
            for key in ["reached_share", "frequency", "cost_per_1000_reached"] {
                assert!(st.get(key).is_some(), "summary.json lacks {key}");
            }
            assert!(st["final"]["impressions"]["mean"].is_number());
        }
        let csv = std::fs::read_to_string(out.join(name).join("strategies.csv")).unwrap();
        let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
        for column in [
            "reached_share",
            "impressions_mean",
            "frequency",
            "cost_per_1000_reached",
            "cost_per_1000_impressions",
        ] {
            assert_eq!(
                header.iter().filter(|&&c| c == column).count(),
                1,
                "strategies.csv has one {column}"
            );
        }
        let curves = std::fs::read_to_string(out.join(name).join("curves.csv")).unwrap();
        assert!(curves.contains(",impressions,"));
    }
}

#[test]
fn the_table_and_the_report_show_whole_people() {
    // Stickiness 0.1 on a random network: means with fractions.
    let text = common::small_scenario(None, "");
    let results = common::simulate(&text);
    let cells = table::cells(&results);
    let column = |name: &str| {
        cells
            .header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("the table lacks {name}"))
    };
    assert!(!cells.header.contains(&"reached per 1000"));
    for name in ["mean reached [95% CI]", "mean shared", "impressions"] {
        let i = column(name);
        for row in &cells.rows {
            assert!(
                !row[i].contains('.'),
                "{name} shows a fraction of a person: {}",
                row[i]
            );
        }
    }
    let i = column("% of network");
    for row in &cells.rows {
        assert!(row[i].ends_with('%'), "{}", row[i]);
    }
    let (cost, freq) = (column("cost per 1,000 reached"), column("frequency"));
    for (row, st) in cells.rows.iter().zip(&results.strategies) {
        let expected = 1000.0 * st.cost / st.reached().mean;
        assert_eq!(row[cost], viralsim::report::format::money(expected));
        assert_eq!(
            row[freq],
            viralsim::report::format::number(st.frequency().unwrap(), 2)
        );
    }
    // report.html holds the same cells.
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(dir.path(), "whole.toml", &text);
    let (code, err) = run_into(&scenario, &dir.path().join("out"), &["--threads", "2"]);
    assert_eq!(code, Some(0), "{err}");
    let html = std::fs::read_to_string(dir.path().join("out/whole/report.html")).unwrap();
    assert!(html.contains("cost per 1,000 reached"));
    assert!(html.contains("cost per 1,000 impressions"));
    assert!(html.contains("% of network"));
    let reached = column("mean reached [95% CI]");
    for row in &cells.rows {
        let mean = row[reached].split(' ').next().unwrap();
        assert!(html.contains(&format!(">{mean}<")), "report lacks {mean}");
    }
}
