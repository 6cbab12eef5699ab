//! Activity schedules (`[activity]`): a share posted at step t is seen by
//! a follower at the first step of t + 1 ..= t + visible_for at which they
//! are online, or never. Checked against exact results through the real
//! engine, and through the binary for the keys, the refusals and the
//! combination with every other feature.

mod common;

use common::{
    assert_same_outputs_on_one_and_two_threads, path, run_into, run_model, small_scenario, star,
    write,
};
use viralsim::graph::{Graph, Node};
use viralsim::model::{Activity, AdsSpec, Metric, Model, ModelKind, PaidSpec, SpreadSpec, Tally};

fn spread(stickiness: f64, steps: u32, activity: Option<Activity>) -> SpreadSpec {
    SpreadSpec {
        model: ModelKind::default_kind(),
        stickiness,
        half_life: None,
        ads: None,
        rival: None,
        resonance: None,
        activity,
        start_step: 0,
        steps,
        seed: 11,
    }
}

fn schedule(online: Vec<f64>, visible_for: u32) -> Activity {
    Activity {
        period: online.len() as u32,
        online,
        segments: Vec::new(),
        visible_for,
        start_hour: 0,
    }
}

#[test]
fn everyone_always_online_is_no_schedule_at_all() {
    let g = common::random_digraph(400, 4, 3);
    for profile in [vec![1.0], vec![1.0; 24]] {
        let plain = spread(0.3, 15, None);
        let always = spread(0.3, 15, Some(schedule(profile, 3)));
        let a = Model::new(&plain, &g, Tally::default(), None);
        let b = Model::new(&always, &g, Tally::default(), None);
        assert_eq!(
            run_model(&a, &[0, 1], 200, 15),
            run_model(&b, &[0, 1], 200, 15)
        );
    }
}

#[test]
fn online_every_other_step_halves_the_speed_on_a_chain() {
    // Chain 0 -> 1 -> ... with stickiness 1: person k shares at step k
    // without a schedule; online only at even steps, the share of step 2j
    // waits a step, so person k shares at step 2k.
    let n = 30u32;
    let g = path(n);
    let steps = 40u32;
    let plain = Model::new(&spread(1.0, steps, None), &g, Tally::default(), None);
    let halting = Model::new(
        &spread(1.0, steps, Some(schedule(vec![1.0, 0.0], 2))),
        &g,
        Tally::default(),
        None,
    );
    let a = run_model(&plain, &[0], 5, steps);
    let b = run_model(&halting, &[0], 5, steps);
    for metric in [Metric::Reached, Metric::Shared] {
        let (ma, mb) = (
            a.metric_index(metric).unwrap(),
            b.metric_index(metric).unwrap(),
        );
        for r in 0..5 {
            let (fast, slow) = (a.curve(r, ma), b.curve(r, mb));
            for t in 0..=steps as usize {
                assert_eq!(slow[t], fast[t / 2], "{metric:?} run {r} step {t}");
            }
        }
    }
}

fn threshold_spread(stickiness: f64, steps: u32, activity: Option<Activity>) -> SpreadSpec {
    SpreadSpec {
        model: ModelKind::named("linear-threshold").unwrap(),
        ..spread(stickiness, steps, activity)
    }
}

#[test]
fn linear_threshold_with_everyone_always_online_is_no_schedule_at_all() {
    let g = common::random_digraph(400, 4, 3);
    for profile in [vec![1.0], vec![1.0; 24]] {
        let plain = threshold_spread(0.8, 15, None);
        let mut always = threshold_spread(0.8, 15, Some(schedule(profile, 3)));
        let a = Model::new(&plain, &g, Tally::default(), None);
        let b = Model::new(&always, &g, Tally::default(), None);
        let o = run_model(&a, &[0, 1, 2], 200, 15);
        assert_eq!(o, run_model(&b, &[0, 1, 2], 200, 15));
        let reached = o.metric_index(Metric::Reached).unwrap();
        assert!(
            o.finals(reached).iter().any(|&r| r > 20.0),
            "it should spread"
        );
        // And with a late start.
        always.start_step = 4;
        let late = Model::new(&always, &g, Tally::default(), None);
        let plain_late = Model::new(
            &SpreadSpec {
                start_step: 4,
                ..plain.clone()
            },
            &g,
            Tally::default(),
            None,
        );
        assert_eq!(
            run_model(&late, &[0, 1, 2], 50, 15),
            run_model(&plain_late, &[0, 1, 2], 50, 15)
        );
    }
}

#[test]
fn linear_threshold_online_every_other_step_halves_the_speed_on_a_chain() {
    // Each person of the chain follows only the one before, so at
    // stickiness 1 they share as soon as they see the share: at step k
    // without a schedule, at step 2k online only at even steps.
    let n = 30u32;
    let g = path(n);
    let steps = 40u32;
    let plain = Model::new(
        &threshold_spread(1.0, steps, None),
        &g,
        Tally::default(),
        None,
    );
    let halting = Model::new(
        &threshold_spread(1.0, steps, Some(schedule(vec![1.0, 0.0], 2))),
        &g,
        Tally::default(),
        None,
    );
    let a = run_model(&plain, &[0], 5, steps);
    let b = run_model(&halting, &[0], 5, steps);
    for metric in [Metric::Reached, Metric::Shared, Metric::Impressions] {
        let (ma, mb) = (
            a.metric_index(metric).unwrap(),
            b.metric_index(metric).unwrap(),
        );
        for r in 0..5 {
            let (fast, slow) = (a.curve(r, ma), b.curve(r, mb));
            assert_eq!(
                fast[n as usize - 1],
                if metric == Metric::Impressions {
                    n - 1
                } else {
                    n
                }
            );
            for t in 0..=steps as usize {
                assert_eq!(slow[t], fast[t / 2], "{metric:?} run {r} step {t}");
            }
        }
    }
}

#[test]
fn linear_threshold_counts_a_share_in_the_sum_when_it_is_seen() {
    // Person 2 follows 0 and 1 with equal trust, so each share weighs 1/2,
    // and at stickiness 1 person 2 shares once the sum of the shares seen
    // reaches theta, uniform on (0, 1]. Seeds 0 and 3 post at step 0; 1
    // follows only 3 and shares at step 1. Person 2 is online only at
    // steps 0 and 3 (mod 4): with visible_for 4 both shares are seen at
    // step 3 and 2 shares then, surely; with visible_for 2 the share of
    // step 0 is gone by then and 2 shares at step 3 with chance 1/2.
    let g = Graph::from_arcs(4, vec![(0, 2), (1, 2), (3, 1)]).with_segments(vec![0, 0, 1, 0]);
    let (steps, runs) = (5u32, 4000u32);
    for (visible_for, chance) in [(4u32, 1.0), (2, 0.5)] {
        let mut activity = schedule(vec![1.0; 4], visible_for);
        activity.segments = vec![("1".into(), vec![1.0, 0.0, 0.0, 1.0])];
        let model = Model::new(
            &threshold_spread(1.0, steps, Some(activity)),
            &g,
            Tally::default(),
            None,
        );
        let o = run_model(&model, &[0, 3], runs, steps);
        let shared = o.metric_index(Metric::Shared).unwrap();
        // The share of runs in which 2 shared by step t.
        let by = |t: u32| o.at_step(shared, t).iter().map(|&x| x - 3.0).sum::<f64>() / runs as f64;
        assert_eq!(by(2), 0.0, "2 sees nothing before step 3");
        let se = (chance * (1.0 - chance) / runs as f64).sqrt();
        assert!(
            (by(3) - chance).abs() <= 5.0 * se + 1e-12,
            "{} vs {chance}",
            by(3)
        );
        assert_eq!(by(3), by(steps));
    }
}

#[test]
fn reach_per_step_on_a_star_matches_the_closed_form() {
    // The hub shares at step 0 (online then); a leaf sees it at the first
    // step s in 1..=visible_for at which it is online, so by step t it has
    // seen it with chance 1 - prod over s in 1..=min(t, visible_for) of
    // (1 - q(s)), and shared with that chance times p.
    let leaves = 400u32;
    let g = star(leaves + 1);
    let online = vec![1.0, 0.2, 0.5, 0.0, 0.9, 0.3];
    let (visible_for, steps, p, runs) = (4u32, 8u32, 0.6, 3000u32);
    let model = Model::new(
        &spread(p, steps, Some(schedule(online.clone(), visible_for))),
        &g,
        Tally::default(),
        None,
    );
    let o = run_model(&model, &[0], runs, steps);
    let (reached, shared) = (
        o.metric_index(Metric::Reached).unwrap(),
        o.metric_index(Metric::Shared).unwrap(),
    );
    let mut unseen = 1.0;
    for t in 0..=steps as usize {
        if (1..=visible_for as usize).contains(&t) {
            unseen *= 1.0 - online[t % online.len()];
        }
        for (m, chance) in [(reached, 1.0 - unseen), (shared, (1.0 - unseen) * p)] {
            let values = o.at_step(m, t as u32);
            let mean = values.iter().sum::<f64>() / runs as f64;
            let expect = 1.0 + leaves as f64 * chance;
            // Each run's count is 1 + Binomial(leaves, chance).
            let se = (leaves as f64 * chance * (1.0 - chance) / runs as f64).sqrt();
            assert!(
                (mean - expect).abs() <= 5.0 * se + 1e-9,
                "step {t}: {mean} vs {expect} (se {se})"
            );
        }
    }
}

#[test]
fn segments_keep_their_own_hours() {
    // Leaves of segment "1" are online only at step 2, those of "0" at
    // every step: with stickiness 0 the first are reached at step 2, the
    // others at step 1, exactly.
    let leaves = 100u32;
    let g = star(leaves + 1).with_segments((0..=leaves).map(|v| v % 2).collect());
    let mut activity = schedule(vec![1.0; 4], 4);
    activity.segments = vec![("1".into(), vec![1.0, 0.0, 1.0, 0.0])];
    let model = Model::new(&spread(0.0, 4, Some(activity)), &g, Tally::default(), None);
    let o = run_model(&model, &[0], 3, 4);
    let m = o.metric_index(Metric::Reached).unwrap();
    for r in 0..3 {
        assert_eq!(o.curve(r, m), [1, 1 + 50, 1 + 100, 101, 101]);
    }
}

#[test]
fn seeds_offline_at_the_start_post_when_they_come_online() {
    // Online only at hour 1 of 2, with step 0 at hour 0: the hub posts at
    // step 1 and the leaves (online at odd steps) see it at step 3.
    let g = star(11);
    let mut activity = schedule(vec![0.0, 1.0], 2);
    activity.start_hour = 0;
    let model = Model::new(&spread(1.0, 5, Some(activity)), &g, Tally::default(), None);
    let o = run_model(&model, &[0], 2, 5);
    let m = o.metric_index(Metric::Reached).unwrap();
    assert_eq!(o.curve(0, m), [0, 1, 1, 11, 11, 11]);
    // A window too short to ever come online: the seed never posts.
    let never = Model::new(
        &spread(1.0, 5, Some(schedule(vec![0.0, 0.0, 1.0], 2))),
        &g,
        Tally::default(),
        None,
    );
    let o = run_model(&never, &[0 as Node], 2, 5);
    assert_eq!(o.curve(0, m), [0; 6]);
}

#[test]
fn ad_viewers_offline_at_the_ads_step_see_it_when_they_come_online() {
    // Everyone is shown an ad at step 1, an hour nobody is online (hour 1
    // of [1, 0]): they see it at step 2, as paid reach.
    let g = star(21);
    let mut s = spread(0.0, 4, Some(schedule(vec![1.0, 0.0], 2)));
    s.ads = Some(AdsSpec::Chance(PaidSpec {
        reach_per_step: 1.0,
        from_step: 1,
        to_step: 1,
        stickiness: 0.0,
        cost_per_view: 0.0,
    }));
    let model = Model::new(&s, &g, Tally::default(), None);
    let o = run_model(&model, &[], 2, 4);
    for metric in [Metric::Reached, Metric::PaidReached] {
        let m = o.metric_index(metric).unwrap();
        assert_eq!(o.curve(0, m), [0, 0, 21, 21, 21], "{metric:?}");
    }
    let views = o.metric_index(Metric::AdViews).unwrap();
    assert_eq!(o.curve(0, views), [0, 21, 21, 21, 21]);
}

const DAY: &str = "online = [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.4, 0.6, 0.8, 0.9, 0.8, 0.5, 0.2]";

#[test]
fn bad_activity_keys_are_refused_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("[activity]\nperiod = 24\nonline = [1.0, 0.5]\n".to_string(), "2 values for a period of 24"),
        ("[activity]\nperiod = 2\nonline = [1.0, 1.5]\n".to_string(), "not a probability"),
        (
            format!("[activity]\nperiod = 24\n{DAY}\n[[strategy]]\nname = \"imm\"\nkind = \"imm\"\ncount = 2\n"),
            "use kind = \"celf\"",
        ),
        (
            format!("[activity]\nperiod = 24\n{DAY}\n[activity.segments]\nstudents = [1.0]\n"),
            "the graph has no segments",
        ),
    ];
    for (extra, expect) in cases {
        let path = write(dir.path(), "s.toml", &small_scenario(Some("s"), &extra));
        let (code, err) = run_into(&path, &dir.path().join("out"), &[]);
        assert_eq!(code, Some(2), "{extra}: {err}");
        assert!(err.contains(expect), "{extra}: {err}");
    }
    // start_hour needs [activity]; linear threshold has no schedules.
    let text = small_scenario(Some("s"), "").replace("seed = 7\n", "seed = 7\nstart_hour = 3\n");
    let path = write(dir.path(), "s.toml", &text);
    let (code, err) = run_into(&path, &dir.path().join("out"), &[]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("start_hour") && err.contains("[activity]"),
        "{err}"
    );
    let text = small_scenario(Some("s"), &format!("[activity]\nperiod = 24\n{DAY}\n")).replace(
        "seed = 7\n",
        "seed = 7\nmodel = \"linear-threshold\"\nstart_hour = 30\n",
    );
    let path = write(dir.path(), "s.toml", &text);
    let (code, err) = run_into(&path, &dir.path().join("out"), &[]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("start_hour") && err.contains("0 to 23"),
        "{err}"
    );
    // In range, linear threshold takes a schedule, and so does [rival].
    let path = write(
        dir.path(),
        "s.toml",
        &text.replace("start_hour = 30", "start_hour = 20"),
    );
    let (code, err) = run_into(&path, &dir.path().join("out"), &[]);
    assert_eq!(code, Some(0), "{err}");
    let rival = format!("[activity]\nperiod = 24\n{DAY}\n\n[rival]\nstickiness = 0.2\nkind = \"explicit\"\nnodes = [5]\n");
    let path = write(dir.path(), "s.toml", &small_scenario(Some("s"), &rival));
    let (code, err) = run_into(&path, &dir.path().join("out2"), &[]);
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn a_sweep_over_the_posting_hour_charts_reach_by_hour() {
    let dir = tempfile::tempdir().unwrap();
    let extra = format!(
        "[activity]\nperiod = 24\n{DAY}\nvisible_for = 3\n\n[sweep]\n\"simulation.start_hour\" = [0, 6, 12, 20]\n"
    );
    let text = small_scenario(Some("hours"), &extra).replace("steps = 10", "steps = 6");
    let path = write(dir.path(), "hours.toml", &text);
    let out = dir.path().join("out");
    let (code, err) = run_into(&path, &out, &[]);
    assert_eq!(code, Some(0), "{err}");
    let csv = std::fs::read_to_string(out.join("hours/sweep.csv")).unwrap();
    assert!(csv.starts_with("point,simulation.start_hour,"), "{csv}");
    // Posting at 20:00 (online 0.9) reaches more than at 03:00-ish hours.
    let reach = |hour: &str| -> f64 {
        csv.lines()
            .map(|l| l.split(',').collect::<Vec<_>>())
            .filter(|f| f[1] == hour && f[2] == "top" && f[7] == "reached")
            .map(|f| f[8].parse::<f64>().unwrap())
            .next()
            .unwrap()
    };
    assert!(reach("20") > reach("0"), "{csv}");
    assert!(out.join("hours/sweep.png").exists());
}

#[test]
fn every_feature_together_is_the_same_on_any_thread_count() {
    // Decay, ads, conversions, a target, stickiness by segment, a
    // schedule with a segment's own hours and a sweep, with celf choosing.
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "version = 1\nname = \"all\"\n\n[graph]\ngenerator = \"stochastic-block\"\ncommunities = 3\ncommunity_size = 60\nmean_degree_in = 6\nmean_degree_out = 1\nseed = 2\n\n\
         [content]\nstickiness = 0.1\nhalf_life = 8\nstickiness_by_segment = {{ \"0\" = 0.4, \"2\" = 0.02 }}\n\n\
         [activity]\nperiod = 24\n{DAY}\nvisible_for = 5\n\n[activity.segments]\n\"1\" = [0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]\n\n\
         [paid]\nreach_per_step = 0.01\nfrom_step = 1\nto_step = 5\nstickiness = 0.2\ncost_per_view = 0.01\n\n\
         [conversion]\nrate = 0.05\nrate_if_shared = 0.3\nvalue = 2\n\n[target]\nsegments = [0]\n\n\
         [simulation]\nruns = 20\nsteps = 24\nseed = 4\nstart_hour = 18\n\n\
         [[strategy]]\nname = \"top\"\nkind = \"top-degree\"\ncount = 3\n\n\
         [[strategy]]\nname = \"celf\"\nkind = \"celf\"\ncount = 2\nruns = 10\n\n\
         [sweep]\n\"simulation.start_hour\" = [2, 18]\n\"content.stickiness_by_segment.0\" = [0.2, 0.4]\n"
    );
    let path = write(dir.path(), "all.toml", &text);
    assert_same_outputs_on_one_and_two_threads(dir.path(), &path, "all");
}

#[test]
fn every_feature_with_a_rival_is_the_same_on_any_thread_count() {
    // Decay, ads with a stickiness by segment, conversions, a target, a
    // rival with its own table and a late start, a schedule with a
    // segment's own hours and a sweep, with celf choosing.
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "version = 1\nname = \"rivals\"\n\n[graph]\ngenerator = \"stochastic-block\"\ncommunities = 3\ncommunity_size = 60\nmean_degree_in = 6\nmean_degree_out = 1\nseed = 2\n\n\
         [content]\nstickiness = 0.15\nhalf_life = 8\nstickiness_by_segment = {{ \"0\" = 0.4, \"2\" = 0.05 }}\n\n\
         [rival]\nstickiness = 0.2\nkind = \"explicit\"\nnodes = [61, 62]\nstart_step = 2\nstickiness_by_segment = {{ \"1\" = 0.4 }}\n\n\
         [activity]\nperiod = 24\n{DAY}\nvisible_for = 5\n\n[activity.segments]\n\"1\" = [0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]\n\n\
         [paid]\nreach_per_step = 0.01\nfrom_step = 1\nto_step = 5\nstickiness = 0.2\ncost_per_view = 0.01\nstickiness_by_segment = {{ \"2\" = 0.6 }}\n\n\
         [conversion]\nrate = 0.05\nrate_if_shared = 0.3\nvalue = 2\n\n[target]\nsegments = [0]\n\n\
         [simulation]\nruns = 20\nsteps = 24\nseed = 4\nstart_hour = 18\n\n\
         [[strategy]]\nname = \"top\"\nkind = \"top-degree\"\ncount = 3\n\n\
         [[strategy]]\nname = \"celf\"\nkind = \"celf\"\ncount = 2\nruns = 10\n\n\
         [sweep]\n\"simulation.start_hour\" = [2, 18]\n\"rival.stickiness\" = [0.1, 0.3]\n"
    );
    let path = write(dir.path(), "rivals.toml", &text);
    assert_same_outputs_on_one_and_two_threads(dir.path(), &path, "rivals");
    let summary = std::fs::read_to_string(dir.path().join("t1/rivals/summary.json")).unwrap();
    assert!(summary.contains("rival"), "{summary}");
}
