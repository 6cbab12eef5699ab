//! Trust on follower arcs: how far a follower trusts the person they follow.
//! Drawn once per arc, in arc order, from one Xoshiro256++ stream keyed by
//! the scenario seed, so every run and every strategy sees the same trust.

use rand::Rng;
use rand_distr::{Beta, Distribution};

use super::Graph;
use crate::rng::{self, Purpose};
use crate::scenario::TrustSpec;

/// Draw a trust for every arc of `graph` from `spec`, seeded by `seed`.
pub fn assign(graph: &mut Graph, spec: &TrustSpec, seed: u64) {
    let arcs = graph.arcs();
    let mut stream = rng::stream(rng::key(&[seed, Purpose::Trust as u64]));
    let trust: Vec<f32> = match *spec {
        TrustSpec::Constant { value } => vec![value as f32; arcs],
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
        let (m, _) = mean_and_var(g.trust());
        // Var of Beta(2,5) = ab/((a+b)^2 (a+b+1)) = 10/392; 5 sd of the mean.
        let sd = (10.0f64 / 392.0 / g.arcs() as f64).sqrt();
        assert!((m - spec.mean()).abs() < 5.0 * sd, "mean {m}");
        assert!(g.trust().iter().all(|&t| (0.0..=1.0).contains(&t)));
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
        let (m, v) = mean_and_var(a.trust());
        let sd = (0.4f64 * 0.4 / 12.0 / a.arcs() as f64).sqrt();
        assert!((m - 0.4).abs() < 5.0 * sd);
        assert!((v - 0.4 * 0.4 / 12.0).abs() < 0.1 * 0.4 * 0.4 / 12.0);
    }
}
