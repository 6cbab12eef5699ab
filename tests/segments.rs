//! Target segments through the whole pipeline: reach inside and outside
//! the target add up to the reach of every run at every step, reach per
//! segment adds up to the reach of every run, strategies restricted to
//! segments never seed anyone else (every kind, by count and by budget),
//! and trust scaled across segments changes who can pass the content on.

mod common;

use std::collections::VecDeque;

use common::{parse, prepare};
use viralsim::graph::Node;
use viralsim::model::Metric;
use viralsim::model::SeedScratch;
use viralsim::model::Seeds;
use viralsim::pipeline::{self, Prepared};
use viralsim::scenario::Limit;

/// Five planted communities of 200, the target two of them, conversions
/// counted too (so the target's rows follow another tally's), under
/// `model`.
fn targeted(model: &str) -> Prepared {
    prepare(&format!(
        r#"version = 1
[graph]
generator = "stochastic-block"
communities = 5
community_size = 200
mean_degree_in = 8
mean_degree_out = 2
seed = 4
[content]
stickiness = 0.3
[trust]
distribution = "uniform"
low = 0.3
high = 1
other_segment = 0.5
[conversion]
rate = 0.1
[target]
segments = [1, "3"]
[simulation]
model = "{model}"
runs = 300
steps = 15
seed = 8
[[strategy]]
kind = "top-degree"
count = 5
[[strategy]]
kind = "random"
count = 5
segments = [1, 3]
[[strategy]]
kind = "community-spread"
count = 5
segments = [0, 4]
"#
    ))
}

/// Check every run of every strategy of `p`: in + outside the target =
/// reached at every step, the counts per segment add up to the final
/// reach, and those of the target segments to the final reach inside it.
fn check_every_run(p: &Prepared) {
    let model = pipeline::model(p);
    let segments = p.graph.segments().unwrap();
    let sizes = segments.sizes();
    let target = p.target.as_ref();
    let steps = p.scenario.simulation.steps as usize;
    let mut checked = 0;
    for (i, spec) in p.scenario.strategies.iter().enumerate() {
        let o = pipeline::outcome(p, &model, i, &|_| {});
        let row = |m: Metric| o.metric_index(m).unwrap();
        let reached = row(Metric::Reached);
        // Reached per segment slot, then shared per slot.
        assert_eq!(o.segment_slots, 2 * segments.slots());
        for run in 0..o.runs {
            let total = o.curve(run, reached);
            let (counts, sharers) = o.segment_counts(run).split_at(segments.slots());
            assert_eq!(
                counts.iter().sum::<u32>(),
                total[steps],
                "{}: run {run}: reach per segment {counts:?}",
                spec.name
            );
            assert!(counts.iter().zip(&sizes).all(|(c, s)| c <= s));
            assert_eq!(
                sharers.iter().sum::<u32>(),
                o.curve(run, row(Metric::Shared))[steps],
                "{}: run {run}: sharers per segment {sharers:?}",
                spec.name
            );
            assert!(sharers.iter().zip(counts).all(|(s, c)| s <= c));
            let Some(target) = target else {
                continue;
            };
            let inside = o.curve(run, row(Metric::ReachedInTarget));
            let outside = o.curve(run, row(Metric::ReachedOutsideTarget));
            for step in 0..=steps {
                assert_eq!(
                    inside[step] + outside[step],
                    total[step],
                    "{}: run {run}, step {step}",
                    spec.name
                );
            }
            let in_target_segments: u32 = counts
                .iter()
                .zip(target)
                .filter(|(_, &t)| t)
                .map(|(c, _)| c)
                .sum();
            assert_eq!(
                inside[steps], in_target_segments,
                "{}: run {run}",
                spec.name
            );
            checked += 1;
        }
    }
    assert!(target.is_none() || checked == p.scenario.strategies.len() * 300);
}

#[test]
fn reach_inside_and_outside_the_target_add_up_to_the_reach_of_every_run() {
    for model in ["independent-cascade", "linear-threshold"] {
        let p = targeted(model);
        check_every_run(&p);
        // The content spreads, and both sides of the target are reached.
        let results = pipeline::simulate(&p, &|_| {});
        for st in &results.strategies {
            let f = |m: Metric| st.stats.final_of(m).unwrap().mean;
            assert!(f(Metric::ReachedInTarget) > 0.0, "{model}: {}", st.name);
            assert!(
                f(Metric::ReachedOutsideTarget) > 0.0,
                "{model}: {}",
                st.name
            );
            // Means of per-run sums are sums of means (to rounding): the
            // reached per segment, then the sharers.
            let (reached, shared) = st.stats.segments.split_at(st.stats.segments.len() / 2);
            for (per, metric) in [(reached, Metric::Reached), (shared, Metric::Shared)] {
                let sum: f64 = per.iter().map(|s| s.mean).sum();
                assert!((sum - f(metric)).abs() < 1e-9 * f(metric), "{metric:?}");
            }
        }
    }
}

#[test]
fn people_a_segment_file_does_not_list_are_counted_apart() {
    let dir = tempfile::tempdir().unwrap();
    // Karate club: the two factions' leaders' circles named, the rest not.
    let file = dir.path().join("segments.txt");
    std::fs::write(
        &file,
        "# id segment\n0 hi\n1 hi\n2 hi\n33 officer\n32 officer\n8 officer\n",
    )
    .unwrap();
    let text = format!(
        r#"version = 1
[graph]
edges = "{}/data/karate.txt"
segments = "{}"
[content]
stickiness = 0.2
[target]
segments = ["officer"]
[simulation]
runs = 300
steps = 8
[[strategy]]
kind = "random"
count = 2
[[strategy]]
kind = "explicit"
nodes = [33]
segments = ["officer"]
"#,
        env!("CARGO_MANIFEST_DIR"),
        file.display()
    );
    let p = prepare(&text);
    let segments = p.graph.segments().unwrap();
    assert_eq!(segments.len(), 2);
    assert_eq!(segments.sizes(), vec![3, 3, 28]);
    assert_eq!(segments.slot_name(2), "unassigned");
    assert_eq!(p.target, Some(vec![false, true, false]));
    check_every_run(&p);
}

/// Four planted communities of 100 with costs growing with followers, and
/// every kind that takes a limit, restricted to `segments`, seeding
/// `limit`.
fn restricted(segments: &str, limit: &str) -> Prepared {
    let mut text = String::from(
        r#"version = 1
[graph]
generator = "stochastic-block"
communities = 4
community_size = 100
mean_degree_in = 6
mean_degree_out = 1.5
seed = 2
[content]
stickiness = 0.1
[costs]
base = 5
per_follower = 1
[simulation]
runs = 50
steps = 10
"#,
    );
    for kind in [
        "random",
        "top-degree",
        "degree-discount",
        "pagerank",
        "coreness",
        "community-spread",
        "celf",
        "imm",
    ] {
        text.push_str(&format!(
            "[[strategy]]\nkind = \"{kind}\"\n{limit}\nsegments = {segments}\n"
        ));
        if kind == "celf" {
            text.push_str("runs = 20\n");
        }
    }
    prepare(&text)
}

/// The two communities that do not hold the best-followed person, so that
/// restricting to them changes what an unrestricted strategy would do.
fn communities_without_the_top_person() -> (Vec<u32>, String) {
    let p = restricted("[0, 1, 2, 3]", "count = 1");
    let Seeds::Fixed(top) = &p.seeds[1] else {
        panic!("top-degree chooses fixed seeds")
    };
    let segments = p.graph.segments().unwrap();
    let theirs = segments.of(top[0]).unwrap();
    let chosen: Vec<u32> = (0..4).filter(|&s| s != theirs).take(2).collect();
    let names = format!("[{}, {}]", chosen[0], chosen[1]);
    (chosen, names)
}

/// The seeds of run 0 (all runs' for fixed seeds).
fn first_seeds(seeds: &Seeds) -> Vec<Node> {
    match seeds {
        Seeds::Fixed(s) => s.clone(),
        Seeds::PerRun(rule) => {
            let mut drawn = Vec::new();
            rule.draw(0, &mut SeedScratch::default(), &mut drawn);
            drawn
        }
    }
}

#[test]
fn strategies_restricted_to_segments_never_seed_anyone_else() {
    let (chosen, names) = communities_without_the_top_person();
    for limit in ["count = 7", "budget = 60", "budget = 333"] {
        let p = restricted(&names, limit);
        let segments = p.graph.segments().unwrap();
        let inside = |v: Node| segments.of(v).is_some_and(|s| chosen.contains(&s));
        if limit != "budget = 60" {
            // Without the restriction every kind would seed someone else
            // here, so the check below is not vacuous.
            let free = restricted("[0, 1, 2, 3]", limit);
            for (spec, seeds) in free.scenario.strategies.iter().zip(&free.seeds) {
                let set = first_seeds(seeds);
                assert!(
                    set.iter().any(|&v| !inside(v)),
                    "{} ({limit}): {set:?}",
                    spec.name
                );
            }
        }
        let eligible: Vec<Node> = (0..p.graph.nodes()).filter(|&v| inside(v)).collect();
        assert_eq!(eligible.len(), 200);
        for (spec, seeds) in p.scenario.strategies.iter().zip(&p.seeds) {
            let name = format!("{} ({limit})", spec.name);
            let check = |set: &[Node]| {
                assert!(!set.is_empty(), "{name}: nobody seeded");
                if let Some(v) = set.iter().find(|&&v| !inside(v)) {
                    panic!("{name}: seeded person {v} outside segments {names}: {set:?}");
                }
                let mut distinct = set.to_vec();
                distinct.sort_unstable();
                distinct.dedup();
                assert_eq!(distinct.len(), set.len(), "{name}: someone seeded twice");
                match spec.limit().unwrap() {
                    Limit::Count(k) => assert_eq!(set.len(), k as usize, "{name}"),
                    Limit::Budget(b) => {
                        let spent = p.costs.total(set);
                        assert!(spent <= b, "{name}: spent {spent} of {b}");
                        // Those who spend greedily by a score leave no one
                        // of the segments affordable; celf and imm stop
                        // once nobody adds reach.
                        if !matches!(spec.name.as_str(), "celf" | "imm") {
                            let left = b - spent;
                            let affordable = eligible
                                .iter()
                                .find(|&&v| !set.contains(&v) && p.costs.of(v) <= left);
                            assert!(
                                affordable.is_none(),
                                "{name}: {left} left pays for {affordable:?}"
                            );
                        }
                    }
                }
            };
            match seeds {
                Seeds::Fixed(s) => check(s),
                Seeds::PerRun(rule) => {
                    let mut scratch = SeedScratch::default();
                    let mut drawn = Vec::new();
                    for run in 0..300 {
                        rule.draw(run, &mut scratch, &mut drawn);
                        check(&drawn);
                    }
                }
            }
        }
    }
}

#[test]
fn random_seeds_are_uniform_over_the_chosen_segments() {
    let (chosen, names) = communities_without_the_top_person();
    let p = restricted(&names, "count = 4");
    let segments = p.graph.segments().unwrap();
    let Seeds::PerRun(rule) = &p.seeds[0] else {
        panic!("random draws per run")
    };
    let runs = 10_000u64;
    let mut hits = vec![0u32; p.graph.nodes() as usize];
    let (mut scratch, mut drawn) = (SeedScratch::default(), Vec::new());
    for run in 0..runs {
        rule.draw(run, &mut scratch, &mut drawn);
        for &v in &drawn {
            hits[v as usize] += 1;
        }
    }
    // Each of the 200 people is drawn with probability 4/200 per run.
    let q = 4.0 / 200.0;
    let sd = (runs as f64 * q * (1.0 - q)).sqrt();
    for v in 0..p.graph.nodes() {
        let h = hits[v as usize] as f64;
        if segments.of(v).is_some_and(|s| chosen.contains(&s)) {
            // The largest of 200 near-normal deviations exceeds 4.5 sd with
            // probability below 200 x 6.8e-6 = 0.0014.
            assert!((h - runs as f64 * q).abs() < 4.5 * sd, "person {v}: {h}");
        } else {
            assert_eq!(h, 0.0, "person {v}");
        }
    }
}

#[test]
fn explicit_people_must_be_in_the_strategy_segments() {
    let text = |nodes: &str| {
        format!(
            r#"version = 1
[graph]
generator = "stochastic-block"
communities = 3
community_size = 10
mean_degree_in = 3
mean_degree_out = 1
[content]
stickiness = 0.1
[[strategy]]
kind = "explicit"
nodes = {nodes}
segments = ["1", 2]
"#
        )
    };
    let p = prepare(&text("[12, 25]"));
    let Seeds::Fixed(s) = &p.seeds[0] else {
        panic!("explicit seeds are fixed")
    };
    assert_eq!(s, &vec![12, 25]);
    let err = pipeline::prepare(parse(&text("[12, 3]")))
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("strategy[0].nodes[1]: person 3 is in segment \"0\", not one of this strategy's segments (\"1\", \"2\")"),
        "{err}"
    );
}

/// The people `seeds` reach at stickiness 1 when trust inside the target
/// segment is 1 and across segments 0: everyone linked to the seeds by a
/// path inside the segment shares; their followers are reached.
fn reach_within_segment(p: &Prepared, seeds: &[Node], segment: u32) -> (u32, u32) {
    let g = &p.graph;
    let segments = g.segments().unwrap();
    let mut shares = vec![false; g.nodes() as usize];
    let mut queue: VecDeque<Node> = seeds.iter().copied().collect();
    for &s in seeds {
        shares[s as usize] = true;
    }
    while let Some(u) = queue.pop_front() {
        for &v in g.followers(u) {
            if segments.of(v) == Some(segment) && !shares[v as usize] {
                shares[v as usize] = true;
                queue.push_back(v);
            }
        }
    }
    let mut reached = shares.clone();
    for u in (0..g.nodes()).filter(|&u| shares[u as usize]) {
        for &v in g.followers(u) {
            reached[v as usize] = true;
        }
    }
    let inside = (0..g.nodes())
        .filter(|&v| reached[v as usize] && segments.of(v) == Some(segment))
        .count() as u32;
    let total = reached.iter().filter(|&&r| r).count() as u32;
    (inside, total - inside)
}

#[test]
fn no_trust_across_segments_keeps_sharing_inside_the_target() {
    let text = |other: f64| {
        format!(
            r#"version = 1
[graph]
generator = "stochastic-block"
communities = 4
community_size = 100
mean_degree_in = 6
mean_degree_out = 1.5
seed = 9
[content]
stickiness = 1
[trust]
other_segment = {other}
[target]
segments = [2]
[simulation]
runs = 20
steps = 400
[[strategy]]
kind = "top-degree"
count = 2
segments = [2]
"#
        )
    };
    let p = prepare(&text(0.0));
    let Seeds::Fixed(seeds) = &p.seeds[0] else {
        panic!("top-degree seeds are fixed")
    };
    let (inside, outside) = reach_within_segment(&p, seeds, 2);
    assert!(
        inside > 50 && outside > 0,
        "{inside} inside, {outside} outside"
    );
    let results = pipeline::simulate(&p, &|_| {});
    let values = |m: Metric| {
        results.strategies[0]
            .stats
            .final_values_of(m)
            .unwrap()
            .to_vec()
    };
    // Every run alike: the segment's sharers expose their followers in
    // other segments, who never pass it on.
    assert!(values(Metric::ReachedInTarget)
        .iter()
        .all(|&r| r == inside as f64));
    assert!(values(Metric::ReachedOutsideTarget)
        .iter()
        .all(|&r| r == outside as f64));
    // With trust across segments, the content escapes and reaches nearly
    // everyone.
    let results = pipeline::simulate(&prepare(&text(1.0)), &|_| {});
    let outside_too = results.strategies[0]
        .stats
        .final_of(Metric::ReachedOutsideTarget)
        .unwrap();
    assert!(outside_too.mean > 250.0, "{}", outside_too.mean);
}
