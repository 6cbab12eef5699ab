//! Responding at any hour: a strategy's `start_step` (our seeds post
//! later, under every model), the competitive cascade with the rival
//! starting before, with or after us, and `[rival] response_delays`: the
//! same runs with our start at each delay after the rival's, checked
//! against exact outcomes and against the plain runs.

mod common;

use std::fs;

use common::{path, run_into, simulate, small_scenario, write};
use viralsim::graph::{Graph, Node};
use viralsim::model::{
    CompetitiveCascade, IndependentCascade, LinearThreshold, Metric, Rival, RunRecord, Seeds,
    SpreadModel,
};

/// Run `model` once and return its record, rows of `steps + 1` as its
/// metrics list them; `rows` is how many of them the caller reads.
fn record<M: SpreadModel>(
    model: &M,
    seeds: &[Node],
    run: u64,
    rows: usize,
    steps: u32,
) -> Vec<u32> {
    let all = model.metrics().len();
    assert!(rows <= all, "the model records {all} rows");
    let mut data = vec![0u32; all * (steps as usize + 1)];
    model.run(
        &mut model.workspace(),
        seeds,
        run,
        RunRecord::new(&mut data, steps),
    );
    data
}

/// Row `row` of a record with rows of `steps + 1`.
fn row(data: &[u32], row: usize, steps: u32) -> &[u32] {
    let len = steps as usize + 1;
    &data[row * len..(row + 1) * len]
}

/// `plain` delayed by `start` steps: zeros before, then its values.
fn shifted(plain: &[u32], start: usize) -> Vec<u32> {
    let mut out = vec![0; plain.len()];
    out[start..].copy_from_slice(&plain[..plain.len() - start]);
    out
}

#[test]
fn a_late_start_on_a_chain_shifts_every_count_by_exactly_the_start() {
    // 0 -> 1 -> ... -> 11, stickiness 1 and trust 1: the seed posts at
    // the start and person k is reached and shares k steps later.
    let (n, steps) = (12u32, 20u32);
    let g = path(n);
    // The same chain and one person apart, where the rival starts.
    let apart = Graph::from_arcs(n + 1, (1..n).map(|v| (v - 1, v)).collect());
    for start in [0u32, 1, 3, 9, 20] {
        let ic = IndependentCascade::new(&g, 1.0, steps, 3).with_start(start);
        let lt = LinearThreshold::new(&g, 1.0, steps, 3).with_start(start);
        let far = Seeds::Fixed(vec![n]);
        // A rival of its own, apart: our counts are the plain ones.
        let rival = Rival {
            stickiness: 1.0,
            seeds: &far,
            start_step: 0,
        };
        let cc = CompetitiveCascade::new(&apart, 1.0, steps, 3, rival).with_our_start(start);
        let expect: Vec<u32> = (0..=steps)
            .map(|t| if t < start { 0 } else { (t - start + 1).min(n) })
            .collect();
        for run in 0..5 {
            let ic = record(&ic, &[0], run, 2, steps);
            let lt = record(&lt, &[0], run, 2, steps);
            let cc = record(&cc, &[0], run, 4, steps);
            for data in [&ic, &lt, &cc] {
                assert_eq!(row(data, 0, steps), &expect[..], "reached, start {start}");
                assert_eq!(row(data, 1, steps), &expect[..], "shared, start {start}");
            }
        }
    }
}

#[test]
fn a_late_start_shifts_random_runs_too_without_ads_or_decay() {
    // Coins are keyed by sharer, not by step: run r from a later start is
    // run r from step 0, moved along, for the cascade and thresholds.
    let g = Graph::from_undirected(400, &common::random_edges(400, 1200, 5));
    let steps = 30u32;
    for start in [2u32, 7] {
        for run in 0..20 {
            let plain = record(
                &IndependentCascade::new(&g, 0.3, steps, 9),
                &[1, 2],
                run,
                3,
                steps,
            );
            let late = record(
                &IndependentCascade::new(&g, 0.3, steps, 9).with_start(start),
                &[1, 2],
                run,
                3,
                steps,
            );
            // Cut at the horizon: compare what both simulated, impressions
            // (the third row) included.
            for r in 0..3 {
                assert_eq!(
                    row(&late, r, steps),
                    &shifted(row(&plain, r, steps), start as usize)[..]
                );
            }
            let plain = record(
                &LinearThreshold::new(&g, 0.5, steps, 9),
                &[1, 2],
                run,
                2,
                steps,
            );
            let late = record(
                &LinearThreshold::new(&g, 0.5, steps, 9).with_start(start),
                &[1, 2],
                run,
                2,
                steps,
            );
            assert_eq!(
                row(&late, 0, steps),
                &shifted(row(&plain, 0, steps), start as usize)[..]
            );
        }
    }
}

/// Ours and the rival's shared counts at the end on an undirected path of
/// `n` people, ours seeded at 0 posting at `ours`, the rival's at `n - 1`
/// posting at `rival`, both with stickiness 1.
fn path_duel(n: u32, ours: u32, rival: u32, run: u64) -> (u32, u32, u32, u32) {
    let edges: Vec<(Node, Node)> = (1..n).map(|v| (v - 1, v)).collect();
    let g = Graph::from_undirected(n, &edges);
    let steps = 40u32;
    let far = Seeds::Fixed(vec![n - 1]);
    let content = Rival {
        stickiness: 1.0,
        seeds: &far,
        start_step: rival,
    };
    let m = CompetitiveCascade::new(&g, 1.0, steps, 17, content).with_our_start(ours);
    let data = record(&m, &[0], run, 4, steps);
    let last = |r: usize| row(&data, r, steps)[steps as usize];
    (last(0), last(1), last(2), last(3))
}

#[test]
fn the_rival_before_with_or_after_us_takes_exactly_the_people_it_reaches_first() {
    // On a path of 10, our content reaches person k at step ours + k, the
    // rival's at rival + 9 - k; whoever comes first wins k. With the two
    // starts an odd number of steps apart plus 9, nobody is a tie.
    let n = 10u32;
    for run in 0..10 {
        // Together: 5 each; the boundary people see both contents.
        assert_eq!(path_duel(n, 0, 0, run), (6, 5, 6, 5));
        // The rival 2 steps before us: it wins k > 3 (6 people).
        assert_eq!(path_duel(n, 2, 0, run), (5, 4, 7, 6));
        // The rival 2 steps after us: we win k < 6.
        assert_eq!(path_duel(n, 0, 2, run), (7, 6, 5, 4));
        // Both late, the same gap: the same split.
        assert_eq!(path_duel(n, 5, 7, run), (7, 6, 5, 4));
        // The rival so late that our content has won its seed: it is seen
        // by that seed alone and never shared.
        assert_eq!(path_duel(n, 0, 12, run), (10, 10, 1, 0));
        // And we so late that the rival has won ours.
        assert_eq!(path_duel(n, 12, 0, run), (1, 0, 10, 10));
    }
}

#[test]
fn a_tie_between_late_starts_is_still_a_fair_coin() {
    // Starts 1 and 2 on a path of 10: person k is reached at 1 + k and
    // 2 + 9 - k, a tie at k = 5 in every run; both sides win it sometimes.
    let splits: Vec<u32> = (0..200).map(|run| path_duel(10, 1, 2, run).1).collect();
    assert!(splits.iter().all(|&s| s == 5 || s == 6), "{splits:?}");
    let ours = splits.iter().filter(|&&s| s == 6).count();
    // Binomial(200, 1/2): 5 sd.
    assert!((ours as f64 - 100.0).abs() < 5.0 * 50f64.sqrt(), "{ours}");
}

/// A small scenario against a rival, with `rival_extra` added to `[rival]`
/// and `strategy_extra` to every strategy.
fn duel(name: &str, rival_extra: &str, strategy_extra: &str) -> String {
    format!(
        "version = 1\nname = \"{name}\"\n\n[graph]\ngenerator = \"holme-kim\"\nnodes = 1500\nedges_per_node = 3\ntriangle_prob = 0.5\nseed = 4\n\n\
         [content]\nstickiness = 0.15\n\n[rival]\nname = \"claim\"\nstickiness = 0.2\nkind = \"random\"\ncount = 5\n{rival_extra}\n\n\
         [simulation]\nruns = 200\nsteps = 24\nstep = \"hour\"\nseed = 3\n\n\
         [[strategy]]\nname = \"hubs\"\nkind = \"top-degree\"\ncount = 5\n{strategy_extra}\n\n\
         [[strategy]]\nname = \"anyone\"\nkind = \"random\"\ncount = 5\n{strategy_extra}\n"
    )
}

#[test]
fn delay_zero_is_the_plain_competitive_run_exactly() {
    let plain = simulate(&duel("plain", "", ""));
    let timed = simulate(&duel("timed", "response_delays = [2, 0, 1, 8]", ""));
    for (p, t) in plain.strategies.iter().zip(&timed.strategies) {
        // The figures both have are the same, bit for bit.
        assert_eq!(p.stats.curves, t.stats.curves);
        assert_eq!(p.stats.final_values, t.stats.final_values);
        assert_eq!(p.rival, t.rival);
        let rival = t.rival.unwrap();
        // In the order listed; delay 0 is the plain run.
        let delays: Vec<u32> = t.by_delay.iter().map(|d| d.delay).collect();
        assert_eq!(delays, [2, 0, 1, 8]);
        let zero = &t.by_delay[1];
        assert_eq!(&zero.reached, t.reached());
        assert_eq!(zero.net_reached, rival.net_reached);
        assert_eq!(
            &zero.rival_reached,
            t.stats.final_of(Metric::RivalReached).unwrap()
        );
        assert_eq!(zero.net_cost.mean, 0.0);
        // Delay 1 is the one-step-late run the delay cost is measured on.
        let one = &t.by_delay[2];
        assert_eq!(
            one.net_cost.mean, rival.delay_cost_net.mean,
            "{}: the net cost of one step late",
            t.name
        );
        // Starting later than the rival can only let it take more people.
        let eight = &t.by_delay[3];
        assert!(
            eight.net_cost.mean > 0.0,
            "{}: {:?}",
            t.name,
            eight.net_cost
        );
        assert!(eight.net_reached.mean <= zero.net_reached.mean);
    }
    assert!(plain.strategies.iter().all(|s| s.by_delay.is_empty()));
}

#[test]
fn response_delays_leave_the_files_both_runs_write_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (i, extra) in ["", "response_delays = [0]"].iter().enumerate() {
        let scenario = write(dir.path(), &format!("s{i}.toml"), &duel("duel", extra, ""));
        let out = dir.path().join(format!("out{i}"));
        let (code, stderr) = run_into(&scenario, &out, &["--threads", "2"]);
        assert_eq!(code, Some(0), "{stderr}");
        files.push(out.join("duel"));
    }
    for name in [
        "curves.csv",
        "strategies.csv",
        "reach.svg",
        "rival-reach.svg",
    ] {
        assert_eq!(
            fs::read(files[0].join(name)).unwrap(),
            fs::read(files[1].join(name)).unwrap(),
            "{name}"
        );
    }
    assert!(!files[0].join("delay.svg").exists());
    assert!(files[1].join("delay.svg").exists());
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(files[1].join("summary.json")).unwrap()).unwrap();
    let against = &json["strategies"][0]["against_rival"];
    let by_delay = against["by_delay"].as_array().unwrap();
    assert_eq!(by_delay.len(), 1);
    assert_eq!(by_delay[0]["delay"], 0);
    assert_eq!(by_delay[0]["net_reached"], against["net_reached"]);
    let plain: serde_json::Value =
        serde_json::from_slice(&fs::read(files[0].join("summary.json")).unwrap()).unwrap();
    assert!(plain["strategies"][0]["against_rival"]
        .get("by_delay")
        .is_none());
}

#[test]
fn a_strategy_start_step_is_its_own_and_moves_its_curves() {
    // Without a rival: a strategy starting at 3 reaches nobody before
    // step 3, and its seeds by then.
    let text = duel("late", "", "start_step = 3").replace(
        "[rival]\nname = \"claim\"\nstickiness = 0.2\nkind = \"random\"\ncount = 5\n",
        "",
    );
    let results = simulate(&text);
    for st in &results.strategies {
        let c = st
            .stats
            .curves
            .iter()
            .find(|c| c.metric == Metric::Reached)
            .unwrap();
        assert!(c.mean[..3].iter().all(|&m| m == 0.0), "{:?}", &c.mean[..4]);
        assert!(c.mean[3] >= 5.0);
    }
    // With a rival starting at 2: the plain run is ours at 3, which is
    // delay 1, the same figures.
    let text = duel(
        "late",
        "start_step = 2\nresponse_delays = [1, 0]",
        "start_step = 3",
    );
    let results = simulate(&text);
    for st in &results.strategies {
        assert_eq!(&st.by_delay[0].reached, st.reached());
        assert_eq!(st.by_delay[0].net_reached, st.rival.unwrap().net_reached);
        // Responding one step later than at once costs net reach, if
        // anything.
        let cost = &st.by_delay[0].net_cost;
        assert!(cost.ci95_high > 0.0, "{}: {cost:?}", st.name);
    }
}

#[test]
fn bad_start_steps_and_response_delays_are_refused_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            duel("bad", "", "start_step = 25"),
            "strategy[0].start_step: 25 is out of range",
        ),
        (
            duel("bad", "", "start_step = -1"),
            "strategy[0].start_step: -1 is out of range",
        ),
        (
            duel("bad", "response_delays = [0, 2, 2]", ""),
            "rival.response_delays[2]: delay 2 is listed twice",
        ),
        (
            duel("bad", "response_delays = [0, 25]", ""),
            "rival.response_delays[1]: 25 is out of range",
        ),
        (
            duel("bad", "start_step = 20\nresponse_delays = [0, 5]", ""),
            "rival.response_delays[1]: 5 is out of range: a delay is 0 to 4 steps",
        ),
        (
            duel("bad", "response_delays = []", ""),
            "rival.response_delays: `response_delays` is empty",
        ),
        (
            duel("bad", "response_delays = [0, \"1\"]", ""),
            "response_delays",
        ),
        (
            small_scenario(Some("bad"), "")
                .replace("[simulation]\n", "[simulation]\nresponse_delays = [0, 1]\n"),
            "response_delays",
        ),
    ];
    for (i, (text, expect)) in cases.iter().enumerate() {
        let scenario = write(dir.path(), &format!("bad{i}.toml"), text);
        let (code, stderr) = run_into(&scenario, &dir.path().join("out"), &[]);
        assert_eq!(code, Some(2), "case {i}: {stderr}");
        assert!(stderr.contains(expect), "case {i}: {stderr}");
    }
}

#[test]
fn response_runs_are_the_same_on_one_and_two_threads_and_with_runs_auto() {
    let dir = tempfile::tempdir().unwrap();
    let text = duel(
        "threads",
        "start_step = 1\nresponse_delays = [3, 1]",
        "start_step = 2",
    );
    let scenario = write(dir.path(), "threads.toml", &text);
    common::assert_same_outputs_on_one_and_two_threads(dir.path(), &scenario, "threads");
    // runs = "auto" runs each strategy from its own start, and the
    // delays over as many runs.
    let auto = text.replace(
        "runs = 200",
        "runs = \"auto\"\nci_half_width = 0.05\nmax_runs = 512",
    );
    let results = simulate(&auto);
    for st in &results.strategies {
        let c = &st.stats.curves[0];
        assert_eq!(c.mean[1], 0.0, "{}: nobody before step 2", st.name);
        assert_eq!(st.stats.final_values[0].len(), results.runs as usize);
        // Delay 1 after the rival's step 1 is the strategy's own start.
        assert_eq!(&st.by_delay[1].reached, st.reached());
        assert_eq!(st.by_delay[0].delay, 3);
    }
}

#[test]
fn a_sweep_against_a_rival_writes_net_reach() {
    let dir = tempfile::tempdir().unwrap();
    let text = duel("swept", "", "").replace("runs = 200", "runs = 50")
        + "\n[sweep]\n\"rival.start_step\" = [0, 4]\n";
    let scenario = write(dir.path(), "swept.toml", &text);
    let out = dir.path().join("out");
    let (code, stderr) = run_into(&scenario, &out, &[]);
    assert_eq!(code, Some(0), "{stderr}");
    let csv = fs::read_to_string(out.join("swept/sweep.csv")).unwrap();
    let net: Vec<&str> = csv
        .lines()
        .filter(|l| l.contains(",net_reached,"))
        .collect();
    // Two points, two strategies.
    assert_eq!(net.len(), 4, "{csv}");
    // A later claim leaves us more net reach.
    let mean = |line: &str| -> f64 { line.split(',').nth(8).unwrap().parse().unwrap() };
    assert!(mean(net[2]) > mean(net[0]), "{csv}");
}

#[test]
fn celf_and_imm_choose_for_the_steps_left_after_a_late_start() {
    // A hub followed by 5 people, and a chain of 21 one-way follows. Over
    // 25 steps the chain's head reaches 21 people, the hub 6; posting at
    // step 24, with one step left, the hub reaches 6 and the head 2.
    let dir = tempfile::tempdir().unwrap();
    let mut edges: Vec<String> = (1..=5).map(|v| format!("0 {v}")).collect();
    edges.extend((10..30).map(|v| format!("{v} {}", v + 1)));
    write(dir.path(), "edges.txt", &(edges.join("\n") + "\n"));
    for (start, best) in [(0, 10), (24, 0)] {
        let text = format!(
            "version = 1\nname = \"left\"\n\n[graph]\nedges = \"edges.txt\"\ndirected = true\n\n\
             [content]\nstickiness = 1.0\n\n[simulation]\nruns = 10\nsteps = 25\nseed = 1\n\n\
             [[strategy]]\nname = \"celf\"\nkind = \"celf\"\ncount = 1\nruns = 10\nstart_step = {start}\n\n\
             [[strategy]]\nname = \"imm\"\nkind = \"imm\"\ncount = 1\nstart_step = {start}\n"
        );
        let scenario = write(dir.path(), "left.toml", &text);
        let out = dir.path().join(format!("out{start}"));
        let (code, stderr) = run_into(&scenario, &out, &[]);
        assert_eq!(code, Some(0), "{stderr}");
        let json: serde_json::Value =
            serde_json::from_slice(&fs::read(out.join("left/summary.json")).unwrap()).unwrap();
        for st in json["strategies"].as_array().unwrap() {
            assert_eq!(
                st["seeds"],
                serde_json::json!([best]),
                "start {start}: {st}"
            );
        }
    }
}

#[test]
fn a_strategy_s_own_ads_keep_their_calendar_when_its_seeds_post_late() {
    // 30 views at step 1 that nobody shares, seeds posting at step 4:
    // until then the ad's 30 viewers are everyone reached, and at step 4
    // earned reach is still nothing (the seeds' followers see it at 5).
    let text = small_scenario(Some("late-ads"), "")
        + "\n[[strategy]]\nname = \"late\"\nkind = \"top-degree\"\ncount = 5\nstart_step = 4\n\
           [strategy.ads]\nbudget = 30\ncost_per_view = 1\nfrom_step = 1\nto_step = 1\n";
    let results = simulate(&text);
    let late = results
        .strategies
        .iter()
        .find(|s| s.name == "late")
        .unwrap();
    let curve = |m: Metric| {
        &late
            .stats
            .curves
            .iter()
            .find(|c| c.metric == m)
            .unwrap()
            .mean
    };
    let (reached, paid, earned) = (
        curve(Metric::Reached),
        curve(Metric::PaidReached),
        curve(Metric::EarnedReached),
    );
    assert_eq!(&reached[..4], &[0.0, 30.0, 30.0, 30.0]);
    assert_eq!(&paid[..4], &[0.0, 30.0, 30.0, 30.0]);
    assert!(earned[..5].iter().all(|&e| e == 0.0), "{earned:?}");
    assert!(reached[4] > 30.0 && reached[4] <= 35.0, "{reached:?}");
}
