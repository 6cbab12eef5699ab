//! How a graph is held in memory: a row offset of 4 bytes per person, a
//! target per arc, a trust per arc only when trust varies, original ids only
//! when they are not the dense indices; and that however it is held, the
//! graph (its fingerprint) and every run on it are the same.

mod common;

use common::{final_of, random_edges, run_model, uniform_trust};
use viralsim::graph::trust::{self, TrustSpec};
use viralsim::graph::{ArcTrust, Graph, GraphError, Segments};
use viralsim::model::{IndependentCascade, LinearThreshold, Metric};

fn network() -> Graph {
    Graph::from_sorted_edges(2000, &random_edges(2000, 9000, 7))
}

/// `graph` rebuilt from its parts, its trust stored as `trust`.
fn rebuilt(graph: &Graph, trust: ArcTrust) -> Graph {
    Graph::from_parts(
        graph.offsets().to_vec(),
        graph.targets().to_vec(),
        trust,
        graph.ids().map(<[u64]>::to_vec),
        graph.segments().cloned(),
    )
    .expect("the parts of a graph make a graph")
}

#[test]
fn constant_trust_stores_nothing_per_arc() {
    let mut g = network();
    let (n, arcs) = (g.nodes() as u64, g.arcs() as u64);
    trust::assign(&mut g, &TrustSpec::Constant { value: 0.3 }, 1);
    assert_eq!(g.arc_trust(), &ArcTrust::Constant(0.3));
    assert_eq!(g.trust().constant(), Some(0.3));
    // A u32 row offset per person (and one more), a u32 target per arc.
    let offsets: &[u32] = g.offsets();
    assert_eq!(offsets.len() as u64, n + 1);
    assert_eq!(g.heap_bytes(), 4 * (n + 1) + 4 * arcs);
    assert!(g.trust().iter().all(|&t| t == 0.3));
    assert_eq!(g.trust().len() as u64, arcs);

    uniform_trust(&mut g, 0.1, 0.9, 2);
    assert!(matches!(g.arc_trust(), ArcTrust::PerArc(t) if t.len() as u64 == arcs));
    assert_eq!(g.heap_bytes(), 4 * (n + 1) + 8 * arcs);
    // A trust per arc that happens to be one value is stored once.
    g.set_trust(vec![0.5; arcs as usize]);
    assert_eq!(g.arc_trust(), &ArcTrust::Constant(0.5));
    assert_eq!(g.heap_bytes(), 4 * (n + 1) + 4 * arcs);
}

#[test]
fn stored_once_or_per_arc_the_graph_and_its_runs_are_the_same() {
    let mut once = network();
    trust::assign(&mut once, &TrustSpec::Constant { value: 0.35 }, 1);
    let per_arc = rebuilt(&once, ArcTrust::PerArc(vec![0.35; once.arcs()].into()));
    assert!(matches!(per_arc.arc_trust(), ArcTrust::PerArc(_)));
    assert_eq!(once.fingerprint(), per_arc.fingerprint());
    assert_eq!(once.trust(), per_arc.trust());

    let (runs, steps, seeds) = (300, 30, [0, 1, 2]);
    let finals = |g: &Graph, linear: bool| -> Vec<[u32; 2]> {
        let outcome = if linear {
            run_model(
                &LinearThreshold::new(g, 0.8, steps, 11),
                &seeds,
                runs,
                steps,
            )
        } else {
            run_model(
                &IndependentCascade::new(g, 0.6, steps, 11),
                &seeds,
                runs,
                steps,
            )
        };
        (0..runs)
            .map(|r| {
                [
                    final_of(&outcome, Metric::Reached, r),
                    final_of(&outcome, Metric::Shared, r),
                ]
            })
            .collect()
    };
    for linear in [false, true] {
        let a = finals(&once, linear);
        assert_eq!(a, finals(&per_arc, linear), "linear threshold {linear}");
        // The runs spread: equal records are not all empty ones.
        assert!(a.iter().any(|f| f[1] > 10), "linear threshold {linear}");
    }
}

#[test]
fn a_graph_rebuilt_from_its_parts_is_the_same_graph() {
    let mut g = Graph::from_sorted_edges(5, &[(0, 1), (0, 4), (1, 2), (2, 3)])
        .with_labels(vec![3, 10, 11, 40, 41])
        .with_segments(vec![0, 0, 1, 1, 2]);
    uniform_trust(&mut g, 0.2, 0.8, 3);
    let again = rebuilt(&g, g.arc_trust().clone());
    assert_eq!(again.fingerprint(), g.fingerprint());
    assert_eq!(again.offsets(), g.offsets());
    assert_eq!(again.ids(), Some(&[3u64, 10, 11, 40, 41][..]));
    assert_eq!(again.find("40"), Some(3));
    assert_eq!(
        again.segments().map(Segments::all),
        Some(&[0u32, 0, 1, 1, 2][..])
    );
    // Generated graphs number people by index and keep no ids.
    assert_eq!(network().ids(), None);
}

#[test]
fn parts_that_make_no_graph_are_refused_saying_why() {
    let offsets = vec![0, 1, 2, 2];
    let targets = vec![1, 0];
    let one = ArcTrust::Constant(1.0);
    let refused = |offsets: Vec<u32>,
                   targets: Vec<u32>,
                   trust: ArcTrust,
                   ids: Option<Vec<u64>>,
                   segments: Option<Vec<u32>>| {
        match Graph::from_parts(
            offsets,
            targets,
            trust,
            ids,
            segments.map(Segments::numbered),
        ) {
            Err(GraphError::Invalid { message }) => message,
            other => panic!("accepted: {other:?}"),
        }
    };
    assert!(Graph::from_parts(offsets.clone(), targets.clone(), one.clone(), None, None).is_ok());
    let cases = [
        (
            refused(vec![], vec![], one.clone(), None, None),
            "at least one",
        ),
        (
            refused(vec![0, 1, 3], targets.clone(), one.clone(), None, None),
            "run from 0 to the 2 arcs",
        ),
        (
            refused(vec![0, 2, 1, 2], vec![1, 2], one.clone(), None, None),
            "fall at person 1",
        ),
        (
            refused(offsets.clone(), vec![1, 3], one.clone(), None, None),
            "follower 3",
        ),
        (
            refused(offsets.clone(), vec![0, 0], one.clone(), None, None),
            "person 0 has follower 0",
        ),
        (
            refused(
                offsets.clone(),
                targets.clone(),
                ArcTrust::PerArc(vec![0.5].into()),
                None,
                None,
            ),
            "1 trusts for 2 arcs",
        ),
        (
            refused(
                offsets.clone(),
                targets.clone(),
                ArcTrust::Constant(1.5),
                None,
                None,
            ),
            "[0, 1]",
        ),
        (
            refused(
                offsets.clone(),
                targets.clone(),
                one.clone(),
                Some(vec![5, 5, 6]),
                None,
            ),
            "strictly increasing",
        ),
        (
            refused(
                offsets.clone(),
                targets.clone(),
                one.clone(),
                None,
                Some(vec![0]),
            ),
            "1 segments for 3 people",
        ),
    ];
    for (message, says) in cases {
        assert!(message.contains(says), "{message:?} should say {says:?}");
    }
}
