//! Erdős–Rényi G(n, p) random graph: every one of the n(n-1)/2 pairs is an
//! edge independently with probability p = mean_degree / (n - 1)
//! (Erdős & Rényi 1959; Gilbert 1959).
//!
//! Sampled with the geometric skipping of Batagelj & Brandes, "Efficient
//! generation of large random networks", Phys. Rev. E 71, 036113 (2005):
//! instead of flipping a coin per pair, jump straight to the next successful
//! pair, so the cost is O(n + m) instead of O(n²).

use rand_xoshiro::Xoshiro256PlusPlus;

use super::{bernoulli_cells, canonical_edges, Generated};

pub(super) fn generate(nodes: u32, mean_degree: f64, rng: &mut Xoshiro256PlusPlus) -> Generated {
    debug_assert!(nodes >= 2);
    debug_assert!((0.0..=(nodes - 1) as f64).contains(&mean_degree));
    let p = (mean_degree / (nodes - 1) as f64).clamp(0.0, 1.0);
    let expected = (nodes as f64 * mean_degree / 2.0) as usize;
    // Headroom of a few standard deviations avoids a reallocation of a
    // multi-million-edge vector in the common case.
    let mut edges = Vec::with_capacity(expected + 5 * (expected as f64).sqrt() as usize + 16);
    // Row v holds the pairs (w, v) with w < v.
    bernoulli_cells(
        rng,
        p,
        nodes,
        |v| v as u64,
        |v, w| edges.push((w as u32, v)),
    );
    Generated {
        nodes,
        edges: canonical_edges(nodes, edges),
        segments: None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{assert_canonical, degrees, mean_var};
    use super::super::{generate, Generated};
    use crate::graph::GeneratorSpec;

    fn er(nodes: u32, mean_degree: f64, seed: u64) -> Generated {
        generate(&GeneratorSpec::ErdosRenyi { nodes, mean_degree }, seed)
    }

    #[test]
    fn invariants_and_determinism() {
        let a = er(5_000, 8.0, 7);
        assert_canonical(&a);
        assert_eq!(a.nodes, 5_000);
        assert!(a.segments.is_none());
        assert_eq!(a.edges, er(5_000, 8.0, 7).edges);
        assert_ne!(a.edges, er(5_000, 8.0, 8).edges);
    }

    #[test]
    fn edge_count_mean_and_variance_of_degree() {
        let n = 20_000u32;
        let d = 10.0;
        let g = er(n, d, 42);
        assert_canonical(&g);
        let pairs = n as f64 * (n - 1) as f64 / 2.0;
        let p = d / (n - 1) as f64;

        // The edge count is Binomial(pairs, p): mean pairs·p = 100 000,
        // sd sqrt(pairs·p·(1-p)) ≈ 316. Five sd is a 6e-7 false-alarm rate.
        let m = g.edges.len() as f64;
        let (mu, sd) = (pairs * p, (pairs * p * (1.0 - p)).sqrt());
        assert!((m - mu).abs() < 5.0 * sd, "edges {m}, expected {mu} ± {sd}");

        // Mean degree is 2m/n, so the same bound scaled by 2/n applies.
        let deg = degrees(&g);
        let (mean, var) = mean_var(&deg);
        assert!(
            (mean - d).abs() < 5.0 * 2.0 * sd / n as f64,
            "mean degree {mean}"
        );

        // Each degree is Binomial(n-1, p) ≈ Poisson(d): variance λ = (n-1)p(1-p).
        // The sample variance of n draws has sd sqrt((μ4 - σ⁴)/n) with the
        // Poisson fourth central moment μ4 = λ(1 + 3λ), i.e.
        // sqrt(λ(1 + 2λ)/n) ≈ 0.10 here (the degrees are only weakly
        // dependent through the shared edges). Allow five of those.
        let lambda = (n - 1) as f64 * p * (1.0 - p);
        let var_sd = (lambda * (1.0 + 2.0 * lambda) / n as f64).sqrt();
        assert!(
            (var - lambda).abs() < 5.0 * var_sd,
            "degree variance {var}, Poisson {lambda} ± {var_sd}"
        );
    }

    #[test]
    fn extreme_densities() {
        assert!(er(1_000, 0.0, 1).edges.is_empty());
        let full = er(60, 59.0, 1);
        assert_canonical(&full);
        assert_eq!(full.edges.len(), 60 * 59 / 2);
    }
}
