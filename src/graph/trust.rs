//! Trust on follower arcs: how far a follower trusts the person they follow.
//! Drawn once per arc, in arc order, from one Xoshiro256++ stream keyed by
//! the scenario seed, so every run and every strategy sees the same trust;
//! then, optionally, scaled by whether the arc stays inside a segment.

use rand::Rng;
use rand_distr::{Beta, Distribution};

use super::Graph;
use crate::rng::{self, Purpose};

/// How trust is drawn, once per follower arc.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TrustSpec {
    /// Every arc has the same trust.
    Constant { value: f64 },
    /// Uniform on [low, high].
    Uniform { low: f64, high: f64 },
    /// Beta(alpha, beta), mean alpha / (alpha + beta).
    Beta { alpha: f64, beta: f64 },
}

impl TrustSpec {
    /// Expected trust of an arc.
    pub fn mean(&self) -> f64 {
        match *self {
            TrustSpec::Constant { value } => value,
            TrustSpec::Uniform { low, high } => 0.5 * (low + high),
            TrustSpec::Beta { alpha, beta } => alpha / (alpha + beta),
        }
    }
}

/// Trust scaled by segment (`[trust] same_segment`, `other_segment`): an
/// arc whose two ends are in the same segment has its trust multiplied by
/// `same_segment`, one between two different segments by `other_segment`,
/// then clamped to [0, 1]; arcs touching someone without a segment keep
/// their trust. Both factors are at least 0; 1 changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct SegmentTrust {
    pub same_segment: f64,
    pub other_segment: f64,
}

/// Draw a trust for every arc of `graph` from `spec`, seeded by `seed`.
pub fn assign(graph: &mut Graph, spec: &TrustSpec, seed: u64) {
    let arcs = graph.arcs();
    let mut stream = rng::stream(rng::key(&[seed, Purpose::Trust as u64]));
    let trust: Vec<f32> = match *spec {
        // One value for all: nothing per arc, and no draws to skip.
        TrustSpec::Constant { value } => return graph.set_constant_trust(value as f32),
        TrustSpec::Uniform { low, high } => (0..arcs)
            .map(|_| (low + (high - low) * stream.random::<f64>()) as f32)
            .collect(),
        TrustSpec::Beta { alpha, beta } => {
            let dist = Beta::new(alpha, beta).expect("alpha and beta are checked positive");
            (0..arcs).map(|_| dist.sample(&mut stream) as f32).collect()
        }
    };
    graph.set_trust(trust);
}

/// Scale the trust of every arc `u -> v` whose ends both have a segment:
/// by `factors.same_segment` when it is the same one, by
/// `factors.other_segment` when they differ; then clamp to [0, 1]. Arcs
/// touching someone without a segment keep their trust. Deterministic, and
/// applied after the draws, so the draws are those of [`assign`].
pub fn by_segment(graph: &mut Graph, factors: &SegmentTrust) {
    let Some(segments) = graph.segments() else {
        return;
    };
    let mut trust = graph.trust().to_vec();
    for u in 0..graph.nodes() {
        let Some(su) = segments.of(u) else {
            continue;
        };
        for a in graph.arc_range(u) {
            let Some(sv) = segments.of(graph.targets()[a]) else {
                continue;
            };
            let factor = if su == sv {
                factors.same_segment
            } else {
                factors.other_segment
            };
            trust[a] = (trust[a] as f64 * factor).clamp(0.0, 1.0) as f32;
        }
    }
    graph.set_trust(trust);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(n: u32) -> Graph {
        let edges: Vec<(u32, u32)> = (0..n)
            .map(|i| (i, (i + 1) % n))
            .map(|(a, b)| (a.min(b), a.max(b)))
            .collect();
        Graph::from_undirected(n, &edges)
    }

    fn mean_and_var(x: &[f32]) -> (f64, f64) {
        let n = x.len() as f64;
        let m = x.iter().map(|&v| v as f64).sum::<f64>() / n;
        let v = x.iter().map(|&v| (v as f64 - m).powi(2)).sum::<f64>() / (n - 1.0);
        (m, v)
    }

    #[test]
    fn beta_trust_has_the_beta_mean() {
        let mut g = ring(50_000);
        let spec = TrustSpec::Beta {
            alpha: 2.0,
            beta: 5.0,
        };
        assign(&mut g, &spec, 9);
        let (m, _) = mean_and_var(&g.trust().to_vec());
        // Var of Beta(2,5) = ab/((a+b)^2 (a+b+1)) = 10/392; 5 sd of the mean.
        let sd = (10.0f64 / 392.0 / g.arcs() as f64).sqrt();
        assert!((m - spec.mean()).abs() < 5.0 * sd, "mean {m}");
        assert!(g.trust().iter().all(|&t| (0.0..=1.0).contains(&t)));
    }

    #[test]
    fn segment_factors_scale_exactly_the_arcs_inside_or_across_segments() {
        // Ring of 12 with segments 0,0,0,1,1,1,2,2,2 and three people
        // without one.
        let mut g = ring(12).with_named_segments(super::super::Segments::named(
            vec![0, 0, 0, 1, 1, 1, 2, 2, 2, u32::MAX, u32::MAX, u32::MAX],
            vec!["a".into(), "b".into(), "c".into()],
        ));
        let spec = TrustSpec::Uniform {
            low: 0.2,
            high: 0.9,
        };
        assign(&mut g, &spec, 3);
        let drawn = g.trust().to_vec();
        let factors = SegmentTrust {
            same_segment: 1.5,
            other_segment: 0.25,
        };
        by_segment(&mut g, &factors);
        let seg = |v: u32| (v < 9).then_some(v / 3);
        let mut counts = [0; 3];
        for u in 0..g.nodes() {
            for a in g.arc_range(u) {
                let v = g.targets()[a];
                let (before, after) = (drawn[a] as f64, g.trust()[a]);
                let want = match (seg(u), seg(v)) {
                    (Some(x), Some(y)) if x == y => {
                        counts[0] += 1;
                        (before * 1.5).min(1.0)
                    }
                    (Some(_), Some(_)) => {
                        counts[1] += 1;
                        before * 0.25
                    }
                    _ => {
                        counts[2] += 1;
                        before
                    }
                };
                assert_eq!(after, want as f32, "arc {u} -> {v}");
            }
        }
        // 12 arcs inside a segment, 4 across (2-3, 5-6 both ways), 8
        // touching someone without a segment.
        assert_eq!(counts, [12, 4, 8]);
        // Factors of 1 change nothing.
        let mut h = g.clone();
        by_segment(
            &mut h,
            &SegmentTrust {
                same_segment: 1.0,
                other_segment: 1.0,
            },
        );
        assert_eq!(h.trust(), g.trust());
    }

    #[test]
    fn uniform_trust_stays_in_range_and_is_reproducible() {
        let mut a = ring(10_000);
        let mut b = ring(10_000);
        let spec = TrustSpec::Uniform {
            low: 0.2,
            high: 0.6,
        };
        assign(&mut a, &spec, 1);
        assign(&mut b, &spec, 1);
        assert_eq!(a.trust(), b.trust());
        assert!(a.trust().iter().all(|&t| (0.2..=0.6).contains(&t)));
        let (m, v) = mean_and_var(&a.trust().to_vec());
        let sd = (0.4f64 * 0.4 / 12.0 / a.arcs() as f64).sqrt();
        assert!((m - 0.4).abs() < 5.0 * sd);
        assert!((v - 0.4 * 0.4 / 12.0).abs() < 0.1 * 0.4 * 0.4 / 12.0);
    }
}
