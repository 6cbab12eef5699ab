//! Discrete power-law fits of follower and following counts (Clauset,
//! Shalizi & Newman 2009), with the Hurwitz zeta function they need.

use serde::Serialize;

/// A discrete power law `P(k) ~ k^-alpha` for `k >= k_min`, fitted by
/// maximum likelihood with `k_min` chosen to minimise the Kolmogorov–Smirnov
/// distance (Clauset, Shalizi & Newman, "Power-law distributions in
/// empirical data", SIAM Review 51, 661 (2009)).
#[derive(Debug, Clone, Serialize)]
pub struct PowerLawFit {
    /// Fitted exponent.
    pub alpha: f64,
    /// Its standard error, `(alpha - 1) / sqrt(tail)`.
    pub alpha_error: f64,
    /// Smallest count the power law describes.
    pub k_min: u32,
    /// People with a count of at least `k_min`.
    pub tail: u64,
    /// Largest gap between the tail's distribution and the fitted one (CDFs,
    /// over every integer from `k_min`).
    pub ks_distance: f64,
    /// `1.36 / sqrt(tail)`: the 5% critical KS distance for a fully
    /// specified distribution. A fitted one should come closer still, so a
    /// distance above it rejects the power law.
    pub ks_bound: f64,
    /// Normalised log-likelihood ratio of the power law against a discrete
    /// exponential on the same tail (Vuong's test, as in Clauset et al.,
    /// section 5): above 1.645 the power law fits significantly better
    /// (two-sided p < 0.1), below -1.645 the exponential does.
    pub versus_exponential: f64,
    pub verdict: Verdict,
}

/// How believable a fitted power law is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Not rejected, and significantly better than an exponential tail.
    PowerLaw,
    /// Not rejected, but an exponential tail fits as well: the data cannot
    /// tell.
    Inconclusive,
    /// Rejected: the KS distance is above its bound, or an exponential tail
    /// fits significantly better.
    Poor,
}

impl Verdict {
    /// The verdict in words, for tables.
    pub fn describe(&self) -> &'static str {
        match self {
            Verdict::PowerLaw => "plausible power law, better than an exponential tail",
            Verdict::Inconclusive => "not rejected, but an exponential tail fits as well",
            Verdict::Poor => "poor fit: the tail is not a power law",
        }
    }
}

/// Fewest people in a tail for a power-law fit (Clauset et al. find the
/// exponent unreliable below about 50).
pub const MIN_TAIL: u64 = 50;

/// Fit a discrete power law to the tail of `counts` (zeros ignored), the
/// method of Clauset, Shalizi & Newman (2009): for each distinct count as
/// `k_min` whose tail holds at least [`MIN_TAIL`] people and two distinct
/// counts, the maximum-likelihood exponent, and the KS distance between
/// the tail and the fit; keep the `k_min` of the smallest distance (ties to
/// the smaller `k_min`). None if no `k_min` qualifies.
pub fn fit_power_law(counts: &[u32]) -> Option<PowerLawFit> {
    let mut sorted: Vec<u32> = counts.iter().copied().filter(|&k| k > 0).collect();
    sorted.sort_unstable();
    // Distinct counts and how many people have each.
    let mut values: Vec<(u32, u64)> = Vec::new();
    for &k in &sorted {
        match values.last_mut() {
            Some((v, c)) if *v == k => *c += 1,
            _ => values.push((k, 1)),
        }
    }
    // Suffix sums: people and sum of ln k from each distinct value on.
    let d = values.len();
    let mut people = vec![0u64; d + 1];
    let mut ln_sum = vec![0.0f64; d + 1];
    for j in (0..d).rev() {
        let (k, c) = values[j];
        people[j] = people[j + 1] + c;
        ln_sum[j] = ln_sum[j + 1] + c as f64 * (k as f64).ln();
    }
    let mut best: Option<(f64, usize, f64)> = None;
    for j in 0..d.saturating_sub(1) {
        let tail = people[j];
        if tail < MIN_TAIL {
            break;
        }
        let k_min = values[j].0;
        let alpha = mle_exponent(ln_sum[j] / tail as f64, k_min);
        let ks = ks_distance(&values[j..], tail, alpha);
        if !matches!(best, Some((b, _, _)) if b <= ks) {
            best = Some((ks, j, alpha));
        }
    }
    let (ks_distance, j, alpha) = best?;
    let tail = people[j];
    let k_min = values[j].0;
    let versus_exponential = versus_exponential(&values[j..], tail, alpha);
    let ks_bound = 1.36 / (tail as f64).sqrt();
    let verdict = if ks_distance > ks_bound || versus_exponential < -1.645 {
        Verdict::Poor
    } else if versus_exponential > 1.645 {
        Verdict::PowerLaw
    } else {
        Verdict::Inconclusive
    };
    Some(PowerLawFit {
        alpha,
        alpha_error: (alpha - 1.0) / (tail as f64).sqrt(),
        k_min,
        tail,
        ks_distance,
        ks_bound,
        versus_exponential,
        verdict,
    })
}

/// Search range of the fitted exponent.
const ALPHA_RANGE: (f64, f64) = (1.0001, 30.0);

/// The exponent maximising the discrete power-law likelihood
/// `l(alpha) = -alpha x mean_ln - ln zeta(alpha, k_min)` (Clauset et al.,
/// eq. 3.5). `l` is concave (ln zeta is a log-partition function), so a
/// golden-section search finds its maximum.
pub(crate) fn mle_exponent(mean_ln: f64, k_min: u32) -> f64 {
    let loglik = |a: f64| -a * mean_ln - hurwitz_zeta(a, k_min as f64).ln();
    let (mut lo, mut hi) = ALPHA_RANGE;
    let g = (5f64.sqrt() - 1.0) / 2.0;
    let mut x1 = hi - g * (hi - lo);
    let mut x2 = lo + g * (hi - lo);
    let (mut f1, mut f2) = (loglik(x1), loglik(x2));
    while hi - lo > 1e-9 {
        if f1 < f2 {
            lo = x1;
            x1 = x2;
            f1 = f2;
            x2 = lo + g * (hi - lo);
            f2 = loglik(x2);
        } else {
            hi = x2;
            x2 = x1;
            f2 = f1;
            x1 = hi - g * (hi - lo);
            f1 = loglik(x1);
        }
    }
    (lo + hi) / 2.0
}

/// Largest distance between the CDF of the tail (`values`: distinct counts
/// from `k_min` up, with how many people have each; `tail` people) and the
/// fitted power law's, over every integer from `k_min`. Both are step
/// functions and the tail's is flat between its values, so the largest gap
/// is at a value or just before the next.
fn ks_distance(values: &[(u32, u64)], tail: u64, alpha: f64) -> f64 {
    let k_min = values[0].0 as f64;
    let norm = hurwitz_zeta(alpha, k_min);
    let mut below = 0u64;
    let mut worst = 0.0f64;
    for &(k, c) in values {
        // P(K >= k) under the fit.
        let at_least = hurwitz_zeta(alpha, k as f64) / norm;
        // Just before k: the tail's CDF has not yet stepped up.
        worst = worst.max(((below as f64 / tail as f64) - (1.0 - at_least)).abs());
        below += c;
        let at_most = 1.0 - at_least + (k as f64).powf(-alpha) / norm;
        worst = worst.max((below as f64 / tail as f64 - at_most).abs());
    }
    worst
}

/// Vuong's normalised log-likelihood ratio `R / (sigma sqrt(n))` of the
/// fitted power law against the maximum-likelihood discrete exponential
/// `P(k) = (1 - e^-l) e^(-l (k - k_min))` on the same tail.
fn versus_exponential(values: &[(u32, u64)], tail: u64, alpha: f64) -> f64 {
    let k_min = values[0].0;
    let n = tail as f64;
    let mean_excess = values
        .iter()
        .map(|&(k, c)| (k - k_min) as f64 * c as f64)
        .sum::<f64>()
        / n;
    if mean_excess <= 0.0 {
        return 0.0;
    }
    let lambda = (1.0 / mean_excess).ln_1p();
    let ln_norm_pl = hurwitz_zeta(alpha, k_min as f64).ln();
    let ln_norm_exp = (-(-lambda).exp()).ln_1p();
    let ratio = |k: u32| {
        let pl = -alpha * (k as f64).ln() - ln_norm_pl;
        let exp = ln_norm_exp - lambda * (k - k_min) as f64;
        pl - exp
    };
    let r: f64 = values.iter().map(|&(k, c)| c as f64 * ratio(k)).sum();
    let mean = r / n;
    let var = values
        .iter()
        .map(|&(k, c)| c as f64 * (ratio(k) - mean).powi(2))
        .sum::<f64>()
        / n;
    if var <= 0.0 {
        return 0.0;
    }
    r / (var * n).sqrt()
}

/// Hurwitz zeta `zeta(s, q) = sum over k >= 0 of (q + k)^-s`, for s > 1 and
/// q > 0: the first terms summed directly until `q + k` is past both 30 and
/// `2s`, then the Euler–Maclaurin tail with three Bernoulli terms (relative
/// error below 1e-12 there for s up to 30, the largest exponent fitted).
pub fn hurwitz_zeta(s: f64, q: f64) -> f64 {
    let mut sum = 0.0;
    let mut a = q;
    while a < 30.0 || a < 2.0 * s {
        sum += a.powf(-s);
        a += 1.0;
    }
    sum += a.powf(1.0 - s) / (s - 1.0) + 0.5 * a.powf(-s);
    sum += s / 12.0 * a.powf(-s - 1.0);
    sum -= s * (s + 1.0) * (s + 2.0) / 720.0 * a.powf(-s - 3.0);
    sum += s * (s + 1.0) * (s + 2.0) * (s + 3.0) * (s + 4.0) / 30240.0 * a.powf(-s - 5.0);
    sum
}
