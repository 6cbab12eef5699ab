//! Chung–Lu random graph with power-law expected degrees (Chung & Lu,
//! "Connected components in random graphs with given expected degree
//! sequences", Annals of Combinatorics 6, 125 (2002)): person i gets a weight
//! w_i and each pair (i, j), i != j, is an edge independently with
//! probability min(1, w_i w_j / S), S = Σ w, so person i's expected degree is
//! ≈ w_i.
//!
//! Weights follow the static-model ranking of Goh, Kahng & Kim (2001):
//! w_i = c (i + i0)^(-1/(γ-1)), which makes the weight distribution
//! P(w) ~ w^-γ, with c scaled so the mean weight equals `mean_degree`. The
//! offset i0 >= 1 is the smallest one keeping the largest weight w_0 at most
//! ≈ sqrt(S) (the structural cutoff): then w_i w_j / S <= 1 for every pair, so
//! the cap at 1 (which would lower the realised degrees of the hubs) never
//! binds except through the small error of the integral approximation used
//! to pick i0.
//!
//! Sampling is the O(n + m) algorithm of Miller & Hagberg, "Efficient
//! generation of networks with given expected degrees", WAW 2011: with
//! weights sorted in decreasing order, the probabilities along a row
//! u = 0, 1, … decrease with v, so it skips geometrically with the current
//! (larger) probability p and accepts the landing pair with ratio q/p, q
//! being that pair's true probability.

use rand::Rng;
use rand_xoshiro::Xoshiro256PlusPlus;

use super::{geometric_skip, Generated};

pub(super) fn generate(
    nodes: u32,
    exponent: f64,
    mean_degree: f64,
    rng: &mut Xoshiro256PlusPlus,
) -> Generated {
    debug_assert!(nodes >= 2 && exponent > 2.0);
    debug_assert!(mean_degree > 0.0 && mean_degree < (nodes - 1) as f64);
    let w = weights(nodes, exponent, mean_degree);
    let s: f64 = w.iter().sum();
    let n = nodes as u64;
    let mut edges = Vec::with_capacity((s / 2.0 + 5.0 * s.sqrt()) as usize + 16);
    for u in 0..n.saturating_sub(1) {
        let wu = w[u as usize];
        let mut v = u + 1;
        let mut p = (wu * w[v as usize] / s).min(1.0);
        while v < n && p > 0.0 {
            if p < 1.0 {
                v = v.saturating_add(geometric_skip(rng, (-p).ln_1p()));
            }
            if v < n {
                let q = (wu * w[v as usize] / s).min(1.0);
                if rng.random::<f64>() < q / p {
                    edges.push((u as u32, v as u32));
                }
                p = q;
                v += 1;
            }
        }
    }
    // Rows are emitted in increasing u, columns in increasing v: already
    // canonical, no sort needed.
    Generated {
        nodes,
        edges,
        segments: None,
    }
}

/// Expected-degree weights in decreasing order, mean `mean_degree`.
pub(super) fn weights(nodes: u32, exponent: f64, mean_degree: f64) -> Vec<f64> {
    let n = nodes as f64;
    let beta = 1.0 / (exponent - 1.0);
    // Σ_{i<n} (i + i0)^-β ≈ ∫ x^-β dx over [i0 - 1/2, n + i0 - 1/2] (midpoint
    // rule); accurate to well under 1 % for i0 >= 1, plenty for choosing i0.
    let approx_sum =
        |i0: f64| ((n + i0 - 0.5).powf(1.0 - beta) - (i0 - 0.5).powf(1.0 - beta)) / (1.0 - beta);
    let max_weight = |i0: f64| n * mean_degree * i0.powf(-beta) / approx_sum(i0);
    let cutoff = (n * mean_degree).sqrt();
    // max_weight decreases in i0 (towards mean_degree < cutoff as i0 → ∞), so
    // bisect on a log scale for max_weight(i0) = cutoff.
    let i0 = if max_weight(1.0) <= cutoff {
        1.0
    } else {
        let (mut lo, mut hi) = (1.0f64, 2.0f64);
        while max_weight(hi) > cutoff {
            lo = hi;
            hi *= 2.0;
        }
        for _ in 0..60 {
            let mid = (lo * hi).sqrt();
            if max_weight(mid) > cutoff {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        hi
    };
    let mut w: Vec<f64> = (0..nodes).map(|i| (i as f64 + i0).powf(-beta)).collect();
    let scale = n * mean_degree / w.iter().sum::<f64>();
    for x in w.iter_mut() {
        *x *= scale;
    }
    w
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{assert_canonical, degrees, powerlaw_mle};
    use super::super::{generate, Generated};
    use super::weights;
    use crate::graph::GeneratorSpec;

    fn pl(nodes: u32, exponent: f64, mean_degree: f64, seed: u64) -> Generated {
        generate(
            &GeneratorSpec::Powerlaw {
                nodes,
                exponent,
                mean_degree,
            },
            seed,
        )
    }

    /// Mean and variance of the Chung–Lu edge count, Σ p_ij and
    /// Σ p_ij (1 - p_ij) over pairs i < j, in O(n): with weights decreasing,
    /// the capped pairs of row i form a prefix of columns, found by a
    /// pointer that only moves left, and the rest are suffix sums.
    fn edge_count_moments(w: &[f64]) -> (f64, f64) {
        let n = w.len();
        let s: f64 = w.iter().sum();
        let mut suf1 = vec![0.0; n + 1];
        let mut suf2 = vec![0.0; n + 1];
        for j in (0..n).rev() {
            suf1[j] = suf1[j + 1] + w[j];
            suf2[j] = suf2[j + 1] + w[j] * w[j];
        }
        let (mut mean, mut var) = (0.0, 0.0);
        // capped = number of columns j with w_i w_j >= S.
        let mut capped = n;
        for i in 0..n {
            while capped > 0 && w[i] * w[capped - 1] < s {
                capped -= 1;
            }
            let first_free = capped.max(i + 1);
            mean += first_free.saturating_sub(i + 1) as f64;
            let p1 = w[i] * suf1[first_free] / s;
            let p2 = w[i] * w[i] * suf2[first_free] / (s * s);
            mean += p1;
            var += p1 - p2;
        }
        (mean, var)
    }

    #[test]
    fn invariants_and_determinism() {
        let a = pl(5_000, 2.5, 6.0, 7);
        assert_canonical(&a);
        assert!(a.segments.is_none());
        assert_eq!(a.edges, pl(5_000, 2.5, 6.0, 7).edges);
        assert_ne!(a.edges, pl(5_000, 2.5, 6.0, 8).edges);
    }

    #[test]
    fn tiny_graphs() {
        for (n, gamma, d) in [(2u32, 2.5, 0.5), (10, 3.0, 5.0), (50, 2.1, 40.0)] {
            let g = pl(n, gamma, d, 3);
            assert_canonical(&g);
            assert_eq!(g.nodes, n);
        }
    }

    #[test]
    fn weights_are_scaled_and_cut_off() {
        for (n, gamma, d) in [
            (200_000u32, 2.5, 10.0),
            (1_000, 2.1, 3.0),
            (50_000, 3.5, 4.0),
        ] {
            let w = weights(n, gamma, d);
            let s: f64 = w.iter().sum();
            assert!((s / n as f64 - d).abs() < 1e-9 * d);
            assert!(w.windows(2).all(|x| x[0] >= x[1]));
            // "At most about sqrt(S)": the integral approximation behind i0
            // is good to ~1e-4 for these parameters.
            assert!(
                w[0] <= 1.01 * s.sqrt(),
                "n={n} γ={gamma}: w0 {} vs {}",
                w[0],
                s.sqrt()
            );
        }
    }

    #[test]
    fn degrees_follow_the_target_power_law() {
        let (n, gamma, d) = (200_000u32, 2.5, 10.0);
        let g = pl(n, gamma, d, 42);
        assert_canonical(&g);

        // Sampler correctness: the edge count is a sum of independent
        // Bernoulli(p_ij), mean Σp and variance Σp(1-p), computed exactly.
        let w = weights(n, gamma, d);
        let (mu, var) = edge_count_moments(&w);
        let m = g.edges.len() as f64;
        assert!(
            (m - mu).abs() < 5.0 * var.sqrt(),
            "edges {m}, expected {mu} ± {}",
            var.sqrt()
        );

        // Weight scaling: without self-loops person i expects w_i - w_i²/S,
        // a total loss of Σw²/S ≈ <w²>/<w> ≈ 70 edge ends here, i.e. a mean
        // degree deficit of ~3e-4; the sampling sd of 2m/n is
        // 2·sqrt(Σp(1-p))/n ≈ 0.01. So the mean degree must be within 1 %
        // (ten sd).
        let mean = 2.0 * m / n as f64;
        assert!((mean - d).abs() < 0.01 * d, "mean degree {mean}");

        let deg = degrees(&g);
        // Tail exponent: Chung–Lu degrees are Poisson mixtures over the
        // weights, so the fit starts at k_min = 3d = 30, where Poisson noise
        // (sd ≈ sqrt(30) ≈ 5) no longer blurs the w^-γ tail. The tail holds
        // ≈ 8 500 people, so the MLE standard error is
        // (γ-1)/sqrt(8 500) ≈ 0.016. The structural cutoff at sqrt(S) ≈ 1 400
        // steepens the far tail a little (seeds 1..8 fit 2.536..2.554, a bias
        // of ≈ +0.045), so ±0.15 is the bias plus six standard errors.
        let (alpha, tail) = powerlaw_mle(&deg, 30);
        assert!(tail > 5_000, "tail of {tail} degrees too small for the fit");
        assert!((alpha - gamma).abs() < 0.15, "fitted exponent {alpha}");

        // Hubs: the top weight is ≈ sqrt(S) ≈ 1 400 and its degree is
        // Poisson with that mean (sd ≈ 37), far beyond anything an
        // Erdős–Rényi graph of mean degree 10 produces (max ≈ 30).
        let max = *deg.iter().max().unwrap() as f64;
        assert!(max > 0.8 * w[0], "max degree {max}, top weight {}", w[0]);
    }
}
