//! How the engine stores runs: each run's curves only up to the step after
//! which nothing it counts changes. The stored runs must say exactly what
//! whole curves would, for every model (ads that run after sharing stops,
//! late starts, a rival, decay), whatever the thread count or `steps`,
//! and survive a round trip through their raw records.

mod common;

use common::{assert_same_on_threads, random_edges};
use viralsim::engine::{self, Acceptance, Outcome};
use viralsim::graph::{Graph, Node};
use viralsim::model::{
    CompetitiveCascade, ConversionSpec, IndependentCascade, LinearThreshold, Rival, RunRecord,
    Seeds, SpreadModel, Tallied, Tally,
};
use viralsim::stats::OutcomeStats;

fn graph() -> Graph {
    Graph::from_undirected(600, &random_edges(600, 1500, 7))
}

const SEEDS: [Node; 3] = [0, 100, 200];

fn simulate<M: SpreadModel>(model: &M, runs: u32, steps: u32) -> Outcome {
    engine::simulate(
        model,
        &Seeds::Fixed(SEEDS.to_vec()),
        Acceptance::ALL,
        runs,
        steps,
        &|_| {},
    )
}

/// Every run of `model` as the engine stores it against the run's whole
/// record, every step filled by the model itself; and each stored run ends
/// at the last step at which some count changed.
fn assert_stored_exactly<M: SpreadModel>(model: &M, runs: u32, steps: u32) -> Outcome {
    let o = simulate(model, runs, steps);
    let rows = model.metrics().len();
    let full = steps as usize + 1;
    let mut ws = model.workspace();
    let mut data = vec![0u32; rows * full];
    for run in 0..runs {
        model.run(
            &mut ws,
            &SEEDS,
            run as u64,
            RunRecord::new(&mut data, steps),
        );
        for m in 0..rows {
            assert_eq!(
                o.curve(run, m),
                &data[m * full..(m + 1) * full],
                "run {run} metric {m}"
            );
        }
        let len = o.recorded_steps(run) as usize;
        assert!((1..=full).contains(&len));
        if len > 1 {
            let changed = (0..rows).any(|m| data[m * full + len - 1] != data[m * full + len - 2]);
            assert!(changed, "run {run} stores {len} steps, the last unchanged");
        }
    }
    o
}

#[test]
fn stored_runs_are_the_whole_curves_for_every_model() {
    let g = graph();
    let steps = 40;
    // Plain, and fading.
    assert_stored_exactly(&IndependentCascade::new(&g, 0.3, steps, 1), 60, steps);
    assert_stored_exactly(
        &IndependentCascade::new(&g, 0.4, steps, 1).with_half_life(2.0),
        60,
        steps,
    );
    // Ads nobody shares keep reaching people to step 30, long after the
    // word of mouth stopped.
    let o = assert_stored_exactly(
        &IndependentCascade::new(&g, 0.1, steps, 2).with_ads(0.01, 2, 30, 0.0),
        60,
        steps,
    );
    assert!((0..60).all(|r| o.recorded_steps(r) >= 30));
    // Seeds posting late.
    let o = assert_stored_exactly(
        &IndependentCascade::new(&g, 0.3, steps, 3).with_start(25),
        30,
        steps,
    );
    assert!((0..30).all(|r| o.recorded_steps(r) >= 26));
    // A rival that starts after our cascade is over.
    let rival_seeds = Seeds::Fixed(vec![300, 400]);
    let rival = Rival {
        stickiness: 0.3,
        seeds: &rival_seeds,
        start_step: 20,
    };
    let o = assert_stored_exactly(
        &CompetitiveCascade::new(&g, 0.1, steps, 4, rival),
        60,
        steps,
    );
    assert!((0..60).all(|r| o.recorded_steps(r) >= 21));
    let o = assert_stored_exactly(
        &CompetitiveCascade::new(&g, 0.3, steps, 4, rival)
            .with_our_start(10)
            .with_ads(0.02, 1, 33, 0.1),
        40,
        steps,
    );
    assert!((0..40).all(|r| o.recorded_steps(r) >= 33));
    // Linear threshold, starting in time and after the last step.
    assert_stored_exactly(&LinearThreshold::new(&g, 0.5, steps, 5), 60, steps);
    assert_stored_exactly(
        &LinearThreshold::new(&g, 0.5, steps, 5).with_start(12),
        20,
        steps,
    );
    let o = assert_stored_exactly(
        &LinearThreshold::new(&g, 0.5, steps, 5).with_start(steps + 3),
        5,
        steps,
    );
    assert!((0..5).all(|r| o.recorded_steps(r) == 1));
    // Conversions counted by a tally, step by step.
    let conversion = ConversionSpec {
        rate: 0.2,
        rate_if_shared: 0.6,
        value: 1.0,
    };
    let tallied = Tallied::new(
        IndependentCascade::new(&g, 0.3, steps, 6),
        Tally::new(Some(&conversion), 6, None, None),
    );
    assert_stored_exactly(&tallied, 60, steps);
}

#[test]
fn results_are_the_same_on_any_thread_count() {
    let g = graph();
    let model = IndependentCascade::new(&g, 0.35, 50, 9).with_ads(0.005, 1, 12, 0.2);
    // Runs not a multiple of the engine's block, in two batches.
    let o = assert_same_on_threads(&[1, 2, 3], || {
        let mut o = simulate(&model, 53, 50);
        engine::extend(
            &mut o,
            &model,
            &Seeds::Fixed(SEEDS.to_vec()),
            Acceptance::ALL,
            40,
            &|_| {},
        );
        o
    });
    assert_eq!(o, simulate(&model, 93, 50), "two batches are one");
    let stats = |o: &Outcome| format!("{:?}", OutcomeStats::of(o));
    assert_same_on_threads(&[1, 2, 3], || stats(&o));
}

#[test]
fn more_steps_than_the_cascades_need_change_nothing_but_the_padding() {
    let g = graph();
    let (short, long) = (40u32, 3000u32);
    let a = simulate(&IndependentCascade::new(&g, 0.15, short, 1), 200, short);
    let b = simulate(&IndependentCascade::new(&g, 0.15, long, 1), 200, long);
    assert!(
        b.longest_recorded() <= short,
        "the cascades end within {short} steps"
    );
    for run in 0..200 {
        for m in 0..a.metrics.len() {
            let (ca, cb) = (a.curve(run, m), b.curve(run, m));
            assert_eq!(ca[..], cb[..=short as usize]);
            assert!(cb[short as usize..]
                .iter()
                .all(|&c| c == ca[short as usize]));
        }
    }
    // Stored alike, so no bigger for the longer horizon.
    assert_eq!(a.records(0..200), b.records(0..200));
    // The statistics of the steps past the short horizon are its last.
    let (sa, sb) = (OutcomeStats::of(&a), OutcomeStats::of(&b));
    for (ca, cb) in sa.curves.iter().zip(&sb.curves) {
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        let last = short as usize;
        for (va, vb) in [
            (&ca.mean, &cb.mean),
            (&ca.std, &cb.std),
            (&ca.p05, &cb.p05),
            (&ca.p50, &cb.p50),
            (&ca.p95, &cb.p95),
        ] {
            assert_eq!(bits(va), bits(&vb[..=last]));
            assert!(vb[last..].iter().all(|x| x.to_bits() == va[last].to_bits()));
        }
    }
    assert_eq!(format!("{:?}", sa.finals), format!("{:?}", sb.finals));
}

#[test]
fn raw_records_round_trip_in_pieces() {
    let g = graph();
    let model = IndependentCascade::new(&g, 0.3, 20, 3).with_start(2);
    let whole = simulate(&model, 70, 20);
    let mut rebuilt = Outcome::with_layout(whole.metrics.clone(), whole.segment_slots, 20);
    for runs in [0..0, 0..17, 17..64, 64..70] {
        let mut bytes = Vec::new();
        whole.write_records(runs, &mut bytes).unwrap();
        let counts: Vec<u32> = bytes
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes(b.try_into().unwrap()))
            .collect();
        rebuilt.append_runs(&counts).unwrap();
    }
    assert_eq!(rebuilt, whole);
    // A record cut short, or claiming more steps than there are, is
    // refused and leaves the outcome as it was.
    let records = whole.records(0..2);
    for bad in [&records[..records.len() - 1], &[22, 0, 0, 0][..]] {
        let mut o = Outcome::with_layout(whole.metrics.clone(), 0, 20);
        assert!(o.append_runs(bad).is_err());
        assert_eq!(o.runs, 0);
        assert_eq!(o.records(0..0), &[] as &[u32]);
    }
}

#[test]
fn memory_follows_the_cascades_not_the_steps() {
    let g = graph();
    let o = simulate(
        &IndependentCascade::new(&g, 0.2, 1_000_000, 1),
        32,
        1_000_000,
    );
    let stored = o.records(0..32).len();
    assert!(
        stored <= 32 * (1 + 3 * o.longest_recorded() as usize),
        "{stored} counts stored"
    );
    assert!(o.longest_recorded() < 100);
}

#[test]
fn every_steps_statistics_are_those_of_its_values_in_run_order() {
    // Cascades that change over dozens of steps (the statistics gather a
    // few steps at a time) and end at different steps: on a ring, each
    // seed's share travels both ways until a coin fails. Every step's
    // summary is, bit for bit, the summary of that step's values.
    let ring: Vec<(Node, Node)> = (0..400).map(|v| (v, (v + 1) % 400)).collect();
    let g = Graph::from_undirected(400, &ring);
    let model = IndependentCascade::new(&g, 0.93, 120, 5);
    let o = simulate(&model, 301, 120);
    assert!(
        o.longest_recorded() > 30,
        "cascades that change for {} steps",
        o.longest_recorded()
    );
    let stats = OutcomeStats::of(&o);
    for (m, curve) in stats.curves.iter().enumerate() {
        for step in 0..=120u32 {
            let s = viralsim::stats::summarize(&mut o.at_step(m, step));
            let t = step as usize;
            let got = [
                curve.mean[t],
                curve.std[t],
                curve.p05[t],
                curve.p50[t],
                curve.p95[t],
            ];
            let expected = [s.mean, s.std, s.p05, s.p50, s.p95];
            assert_eq!(
                got.map(f64::to_bits),
                expected.map(f64::to_bits),
                "metric {m}, step {step}"
            );
        }
        let finals = viralsim::stats::summarize(&mut o.at_step(m, 120));
        assert_eq!(format!("{:?}", stats.finals[m]), format!("{finals:?}"));
    }
}
