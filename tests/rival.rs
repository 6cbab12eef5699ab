//! Negative word of mouth: our content against a rival one in the
//! competitive independent cascade, checked against exact results and
//! symmetries, run by run, and through the pipeline for net reach and the
//! cost of delay.

mod common;

use std::path::Path;

use common::{random_edges, uniform_trust, write};
use viralsim::graph::{Graph, Node};
use viralsim::model::{
    CompetitiveCascade, IndependentCascade, Marks, Metric, Rival, RunRecord, Seeds, SpreadModel,
};
use viralsim::{pipeline, scenario};

/// Run `model` once and return its record, rows of `steps + 1` as its
/// metrics list them.
fn record<M: SpreadModel>(
    model: &M,
    ws: &mut M::Workspace,
    seeds: &[Node],
    run: u64,
    steps: u32,
) -> Vec<u32> {
    let mut data = vec![0u32; model.metrics().len() * (steps as usize + 1)];
    model.run(ws, seeds, run, RunRecord::new(&mut data, steps));
    data
}

/// Who shared in `marks`, by person.
fn sharers(marks: &Marks, n: u32) -> Vec<bool> {
    (0..n).map(|v| marks.has_shared(v)).collect()
}

#[test]
fn a_rival_with_stickiness_zero_changes_nothing_beyond_its_own_seeds() {
    // The documented sense, exactly, run by run and person by person: with
    // the rival starting at step 0, its seeds adopt it and never pass our
    // content on; everything else is the plain cascade's run r. The plain
    // cascade on the graph without the arcs out of the rival's seeds is
    // that run: every other person's row, and so every coin, is unchanged.
    let n = 1500u32;
    let edges = random_edges(n, 4000, 31);
    let mut arcs: Vec<(Node, Node)> = edges.iter().flat_map(|&(u, v)| [(u, v), (v, u)]).collect();
    arcs.sort_unstable();
    let rival_seeds: Vec<Node> = vec![7, 400, 401, 1200];
    let our_seeds: Vec<Node> = vec![0, 1, 2, 900];
    let kept: Vec<usize> = (0..arcs.len())
        .filter(|&a| !rival_seeds.contains(&arcs[a].0))
        .collect();
    for varied in [false, true] {
        let mut g = Graph::from_arcs(n, arcs.clone());
        if varied {
            uniform_trust(&mut g, 0.2, 1.0, 5);
        }
        let mut cut = Graph::from_arcs(n, kept.iter().map(|&a| arcs[a]).collect());
        cut.set_trust(kept.iter().map(|&a| g.trust()[a]).collect());
        let seeds = Seeds::Fixed(rival_seeds.clone());
        for (half_life, ads) in [
            (None, false),
            (Some(8.0), false),
            (None, true),
            (Some(8.0), true),
        ] {
            let (stickiness, steps) = (0.5, 25);
            let rival = Rival {
                stickiness: 0.0,
                seeds: &seeds,
                start_step: 0,
            };
            let mut both = CompetitiveCascade::new(&g, stickiness, steps, 4, rival);
            let mut plain = IndependentCascade::new(&cut, stickiness, steps, 4);
            if let Some(h) = half_life {
                both = both.with_half_life(h);
                plain = plain.with_half_life(h);
            }
            if ads {
                // Ads on steps 2 to 10: the same viewers in both, so the
                // same paid reach, views and earned reach.
                both = both.with_ads(0.02, 2, 10, 0.3);
                plain = plain.with_ads(0.02, 2, 10, 0.3);
            }
            let (mut ws, mut plain_ws) = (both.workspace(), plain.workspace());
            let len = steps as usize + 1;
            let (mut spread, mut blocked) = (0u32, 0u32);
            for r in 0..200 {
                let got = record(&both, &mut ws, &our_seeds, r, steps);
                let want = record(&plain, &mut plain_ws, &our_seeds, r, steps);
                let label =
                    format!("run {r}, varied trust {varied}, half-life {half_life:?}, ads {ads}");
                // Reached, step by step: the seeds still see our content.
                assert_eq!(got[..len], want[..len], "{label}");
                if ads {
                    // Paid reach, earned reach and views, step by step.
                    assert_eq!(got[4 * len..7 * len], want[2 * len..5 * len], "{label}");
                }
                // Sharers: the plain run's, but for the rival's seeds.
                let (ours, theirs) = (
                    sharers(both.marks(&ws), n),
                    sharers(plain.marks(&plain_ws), n),
                );
                for v in 0..n as usize {
                    let expect = theirs[v] && !rival_seeds.contains(&(v as Node));
                    assert_eq!(ours[v], expect, "{label}, person {v}");
                }
                let lost = rival_seeds.iter().filter(|&&s| theirs[s as usize]).count() as u32;
                assert_eq!(got[2 * len - 1], want[2 * len - 1] - lost, "{label}");
                // The rival: its seeds share it, and only their followers
                // see it.
                let mut seen: Vec<Node> = rival_seeds.clone();
                for &s in &rival_seeds {
                    seen.extend_from_slice(g.followers(s));
                }
                seen.sort_unstable();
                seen.dedup();
                assert_eq!(got[3 * len - 1], seen.len() as u32, "{label}");
                assert_eq!(got[4 * len - 1], rival_seeds.len() as u32, "{label}");
                spread += want[2 * len - 1];
                blocked += lost;
            }
            assert!(spread > 200 * 50, "our content should spread: {spread}");
            assert!(
                blocked > 20,
                "the rival's seeds should stand in its way: {blocked}"
            );
        }
    }
}

#[test]
fn before_a_late_rival_starts_our_run_is_the_plain_cascade() {
    let n = 1000u32;
    let g = Graph::from_undirected(n, &random_edges(n, 3000, 41));
    let rival_seeds = Seeds::Fixed(vec![3, 500]);
    let (steps, start) = (20u32, 4usize);
    let rival = Rival {
        stickiness: 0.6,
        seeds: &rival_seeds,
        start_step: start as u32,
    };
    let both = CompetitiveCascade::new(&g, 0.4, steps, 8, rival);
    let plain = IndependentCascade::new(&g, 0.4, steps, 8);
    let (mut ws, mut plain_ws) = (both.workspace(), plain.workspace());
    let len = steps as usize + 1;
    for r in 0..100 {
        let got = record(&both, &mut ws, &[0, 10], r, steps);
        let want = record(&plain, &mut plain_ws, &[0, 10], r, steps);
        // Reached through the start step (the rival takes sharers, not
        // sight), shared up to the step before.
        assert_eq!(got[..=start], want[..=start], "run {r}");
        assert_eq!(got[len..len + start], want[len..len + start], "run {r}");
        assert!(got[2 * len..2 * len + start].iter().all(|&c| c == 0));
        // Our impressions through the start step: the same sharers before.
        assert_eq!(
            got[4 * len..=4 * len + start],
            want[2 * len..=2 * len + start],
            "run {r}"
        );
    }
}

/// Whether `hits` of `runs` fits probability `p` within 5 binomial
/// standard deviations.
fn fits(hits: u64, runs: u64, p: f64) -> bool {
    let sd = (p * (1.0 - p) / runs as f64).sqrt();
    (hits as f64 / runs as f64 - p).abs() <= 5.0 * sd
}

#[test]
fn the_person_between_two_seeds_adopts_each_content_with_its_exact_chance() {
    // 0 - 1 - 2: our seed 0 (stickiness a), the rival's seed 2 (b). Both
    // start at step 0, so person 1 is activated at step 1 by ours with
    // chance a and by the rival with chance b, independently; if by both,
    // the tie coin decides: P(ours) = a (1 - b) + a b / 2.
    let g = Graph::from_undirected(3, &[(0, 1), (1, 2)]);
    let seeds = Seeds::Fixed(vec![2]);
    let runs = 40_000u64;
    for (a, b) in [(1.0, 1.0), (0.7, 0.4), (0.3, 0.9)] {
        let rival = Rival {
            stickiness: b,
            seeds: &seeds,
            start_step: 0,
        };
        let m = CompetitiveCascade::new(&g, a, 5, 12, rival);
        let mut ws = m.workspace();
        let (mut ours, mut theirs) = (0u64, 0u64);
        for r in 0..runs {
            record(&m, &mut ws, &[0], r, 5);
            let (o, t) = (m.marks(&ws).has_shared(1), m.rival_marks(&ws).has_shared(1));
            assert!(!(o && t), "a person adopts one content at most");
            ours += o as u64;
            theirs += t as u64;
        }
        let p_ours = a * (1.0 - b) + a * b / 2.0;
        let p_theirs = b * (1.0 - a) + a * b / 2.0;
        assert!(fits(ours, runs, p_ours), "a {a}, b {b}: {ours} of {runs}");
        assert!(fits(theirs, runs, p_theirs), "a {a}, b {b}: {theirs}");
    }
}

#[test]
fn the_first_content_to_arrive_wins_and_a_won_over_rival_seed_does_not_share() {
    // 0 - 1 - 2, stickiness 1 both, the rival's seed 2 sharing at step 1:
    // ours takes person 1 at step 1, and the rival reaches 1 at step 2, too
    // late.
    let g = Graph::from_undirected(3, &[(0, 1), (1, 2)]);
    let seeds = Seeds::Fixed(vec![2]);
    let rival = Rival {
        stickiness: 1.0,
        seeds: &seeds,
        start_step: 1,
    };
    let m = CompetitiveCascade::new(&g, 1.0, 4, 3, rival);
    let mut ws = m.workspace();
    let len = 5;
    for r in 0..50 {
        let d = record(&m, &mut ws, &[0], r, 4);
        assert_eq!(&d[len..2 * len], &[1, 2, 2, 2, 2], "ours: 0, then 1");
        assert_eq!(
            &d[3 * len..4 * len],
            &[0, 1, 1, 1, 1],
            "the rival: its seed"
        );
        // Everyone sees both: 2 sees ours at step 2, 1 the rival at step 2.
        assert_eq!(&d[..len], &[1, 2, 3, 3, 3]);
        assert_eq!(&d[2 * len..3 * len], &[0, 1, 2, 2, 2]);
    }
    // A rival seed whom our content reached first adopts ours, sees the
    // rival at its start step and never shares it.
    let seeds = Seeds::Fixed(vec![1]);
    let rival = Rival {
        stickiness: 1.0,
        seeds: &seeds,
        start_step: 2,
    };
    let m = CompetitiveCascade::new(&g, 1.0, 4, 3, rival);
    let d = record(&m, &mut m.workspace(), &[0], 0, 4);
    assert_eq!(&d[len..2 * len], &[1, 2, 3, 3, 3]);
    assert_eq!(&d[2 * len..3 * len], &[0, 0, 1, 1, 1]);
    assert_eq!(&d[3 * len..4 * len], &[0, 0, 0, 0, 0]);
}

#[test]
fn mirror_image_campaigns_split_the_sharers_evenly() {
    // A circulant graph (each person linked to those 1 and 3 places away
    // round a ring of 40) is symmetric under the reflection v -> 20 - v,
    // which swaps our seed 0 and the rival's seed 20. With equal
    // stickiness and start, each content's sharers have the same law, and
    // person v adopts ours as often as their mirror image adopts the rival.
    let n = 40u32;
    let edges: Vec<(Node, Node)> = (0..n)
        .flat_map(|v| [(v, (v + 1) % n), (v, (v + 3) % n)])
        .map(|(a, b)| (a.min(b), a.max(b)))
        .collect();
    let g = Graph::from_undirected(n, &edges);
    let mirror = |v: u32| (20 + n - v) % n;
    let seeds = Seeds::Fixed(vec![20]);
    let rival = Rival {
        stickiness: 0.45,
        seeds: &seeds,
        start_step: 0,
    };
    let m = CompetitiveCascade::new(&g, 0.45, 60, 17, rival);
    let mut ws = m.workspace();
    let runs = 20_000usize;
    let mut difference = Vec::with_capacity(runs);
    // Per person, per run: adopted ours minus mirror image adopted theirs.
    let mut per_person = vec![Vec::with_capacity(runs); n as usize];
    for r in 0..runs as u64 {
        let d = record(&m, &mut ws, &[0], r, 60);
        difference.push(d[2 * 61 - 1] as f64 - d[4 * 61 - 1] as f64);
        let (ours, theirs) = (m.marks(&ws), m.rival_marks(&ws));
        for v in 0..n {
            let x = ours.has_shared(v) as i32 - theirs.has_shared(mirror(v)) as i32;
            per_person[v as usize].push(x as f64);
        }
    }
    // The mean of paired differences, within 5 standard errors of 0
    // (exactly 0 when they never differ, as for the seeds).
    let centred = |x: &[f64]| {
        let (mean, sd) = viralsim::stats::mean_std(x);
        mean.abs() <= 5.0 * sd / (x.len() as f64).sqrt()
    };
    assert!(
        centred(&difference),
        "{:?}",
        viralsim::stats::mean_std(&difference)
    );
    let spread = difference.iter().filter(|&&d| d != 0.0).count();
    assert!(spread > runs / 4, "the contest should be open: {spread}");
    for (v, x) in per_person.iter().enumerate() {
        assert!(centred(x), "person {v}: {:?}", viralsim::stats::mean_std(x));
    }
}

/// A scenario over the edge list `edges` (written next to it) with a
/// `[rival]`, prepared and simulated through the pipeline.
fn simulate_edge_list(dir: &Path, edges: &str, rest: &str) -> pipeline::Results {
    write(dir, "net.txt", edges);
    let text = format!("version = 1\n[graph]\nedges = \"net.txt\"\n{rest}");
    let path = write(dir, "s.toml", &text);
    let s = scenario::parse(&path, &text).unwrap();
    let prepared = pipeline::prepare(s).unwrap();
    pipeline::simulate(&prepared, &|_| {})
}

#[test]
fn a_step_of_delay_on_a_path_costs_half_a_person_and_a_net_two() {
    // Path 0 - ... - 9, stickiness 1 both, ours from 0, the rival from 9,
    // both at step 0: ours takes 0..=4 and is seen by 0..=5 (6 people), the
    // rival likewise from the other end: net reach 0 in every run. One
    // step late, ours meets the rival at person 4 in the same step: with
    // the tie coin ours still reaches 6 and the rival 6; against it ours
    // reaches 0..=4 (5) and the rival 3..=9 (7). Delay cost: 0 or 1 (mean
    // 1/2), in net reach 0 or 2 (mean 1).
    let tmp = tempfile::tempdir().unwrap();
    let edges: String = (0..9).map(|v| format!("{v} {}\n", v + 1)).collect();
    let runs = 4000u32;
    let rest = format!(
        "[content]\nstickiness = 1\n[rival]\nstickiness = 1\nkind = \"explicit\"\nnodes = [9]\n[simulation]\nruns = {runs}\nsteps = 20\n[[strategy]]\nkind = \"explicit\"\nnodes = [0]\n"
    );
    let results = simulate_edge_list(tmp.path(), &edges, &rest);
    let st = &results.strategies[0];
    let reached = st.stats.final_of(Metric::Reached).unwrap();
    assert_eq!((reached.mean, reached.std), (6.0, 0.0));
    let rival = st.stats.final_of(Metric::RivalReached).unwrap();
    assert_eq!((rival.mean, rival.std), (6.0, 0.0));
    let r = st.rival.unwrap();
    assert_eq!((r.net_reached.mean, r.net_reached.std), (0.0, 0.0));
    // Bernoulli(1/2) and twice it; 5 standard errors.
    let se = 0.5 / (runs as f64).sqrt();
    assert!(
        (r.delay_cost.mean - 0.5).abs() < 5.0 * se,
        "{:?}",
        r.delay_cost
    );
    assert!(
        (r.delay_cost_net.mean - 1.0).abs() < 10.0 * se,
        "{:?}",
        r.delay_cost_net
    );
    assert_eq!((r.delay_cost.p05, r.delay_cost.p95), (0.0, 1.0));
    assert!(r.delay_cost.ci95_low > 0.0, "delay costs reach here");
}

#[test]
fn delay_never_pays_on_average() {
    // A random network, a random rival: one step late, our reach is lower
    // or the same in expectation (5 standard errors of the paired
    // difference).
    let tmp = tempfile::tempdir().unwrap();
    let edges: String = random_edges(400, 1000, 51)
        .iter()
        .map(|(u, v)| format!("{u} {v}\n"))
        .collect();
    let rest = "[content]\nstickiness = 0.3\n[rival]\nstickiness = 0.35\nkind = \"random\"\ncount = 3\n[simulation]\nruns = 2000\nsteps = 30\n[[strategy]]\nkind = \"top-degree\"\ncount = 3\n[[strategy]]\nkind = \"random\"\ncount = 3\n";
    let results = simulate_edge_list(tmp.path(), &edges, rest);
    for st in &results.strategies {
        let d = st.rival.unwrap().delay_cost;
        let se = d.std / 2000f64.sqrt();
        assert!(d.mean > -5.0 * se, "{}: {d:?}", st.name);
        assert!(
            d.ci95_high > 0.0,
            "{}: a step late should cost: {d:?}",
            st.name
        );
        // Net reach is ours minus theirs, run by run.
        let net = st.rival.unwrap().net_reached.mean;
        let ours = st.stats.final_of(Metric::Reached).unwrap().mean;
        let theirs = st.stats.final_of(Metric::RivalReached).unwrap().mean;
        assert!((net - (ours - theirs)).abs() < 1e-9 * ours.max(1.0));
    }
}
