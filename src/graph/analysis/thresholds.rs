//! Epidemic thresholds: the stickiness above which content can take off.
//!
//! Under the independent cascade an arc `u -> v` passes the content on with
//! probability `stickiness x trust(u -> v)`. Content takes off (a cascade
//! from a few seeds reaches a share of everyone that does not vanish as the
//! network grows) when each new sharer makes, on average, more than one
//! further sharer. Two estimates of the stickiness where that happens:
//!
//! - **Mean-field** (Newman 2002, "Spread of epidemic disease on networks",
//!   Phys. Rev. E 66, 016128; for directed networks Newman, Strogatz & Watts
//!   2001, Phys. Rev. E 64, 026118). A person reached along a random arc
//!   `u -> v` has on average `kappa` further arcs to pass it on, not counting
//!   the arc straight back to `u`:
//!
//!   `kappa = (sum over people of k_in x k_out - reciprocated arcs) / arcs`
//!
//!   where `k_out` is the number of followers and `k_in` the number of people
//!   followed. When every follow is mutual (an undirected graph, degree `k`)
//!   this is `(<k^2> - <k>) / <k>`; on a directed graph without mutual
//!   follows it is `<k_in k_out> / <k_in>`, the standard directed form. The
//!   critical transmissibility is `T_c = 1 / kappa`, so `<k> / (<k^2> - <k>)`
//!   undirected and `<k_in> / <k_in k_out>` directed. With trust drawn
//!   independently of the structure, an arc transmits with mean probability
//!   `stickiness x mean trust`, so the **critical stickiness** is
//!   `T_c / mean trust` ("trust folded in").
//!
//! - **Spectral** (Wang, Chakrabarti, Wang & Faloutsos 2003; Chakrabarti et
//!   al. 2008, ACM TISSEC 10(4)): the expected number of new sharers grows
//!   like `(stickiness x W)^t`, `W[u][v] = trust(u -> v)`, so below
//!   `stickiness = 1 / lambda_max(W)` the expected cascade from any seeds stays
//!   bounded. That is the exact threshold of the linearised dynamics, and a
//!   lower bound for the independent cascade: it counts walks that go back
//!   along the arc they came in by, which cannot pass content on (the person
//!   at the other end has already shared). `lambda_max` is found by Lanczos
//!   when `W` is symmetric, otherwise by power iteration on `W + I` (the shift makes it converge on bipartite and
//!   periodic graphs too) from the all-ones vector, over the strongly
//!   connected blocks of `W`, with per-chunk sums combined in a fixed order,
//!   so it does not depend on the thread count (see [`super::spectral::largest_eigenvalue`]).
//!
//! They agree on large random graphs without degree correlations whose
//! degrees are not too spread out: on `k`-regular graphs `1/k` against
//! `1/(k-1)`, on Erdős–Rényi G(n, c/n) about `1/(c+1)` against `1/c`. There
//! the mean-field value is the exact threshold of the cascade as the graph
//! grows (it is that of the non-backtracking matrix: Karrer, Newman &
//! Zdeborová 2014, Phys. Rev. Lett. 113, 208702), and the spectral one sits
//! a little below because it lets content walk back. They differ more when
//! - the graph has degree correlations, clustering or communities: the
//!   mean-field form sees only the degree moments; the spectral one sees the
//!   real wiring (and trust that depends on it, such as segment factors).
//!   A mean-field value *below* the spectral one means its assumptions have
//!   failed (a star: the hub links only to people with nobody else to tell),
//!   and the spectral value, a true lower bound, is the one to trust;
//! - degrees are heavy-tailed: `<k^2>` grows with the largest hubs, so the
//!   mean-field threshold goes to 0 as the network grows, while
//!   `lambda_max >= sqrt(k_max)` is driven by the single largest hub and its
//!   followers (a star of `k` leaves has `lambda_max = sqrt(k)` yet no
//!   cascade ever passes the leaves). Then the spectral threshold can be far
//!   below the stickiness where content really takes off: a hub's
//!   neighbourhood lights up, the rest does not.
//!
//! Both ignore novelty decay (`half_life`) and the linear threshold model.

use rayon::prelude::*;
use serde::Serialize;

use super::spectral::{largest_eigenvalue, Spectral};
use super::{follow_counts, trust_stats};
use crate::graph::{Graph, Node};

/// Epidemic thresholds of the independent cascade (see the module docs).
#[derive(Debug, Clone, Serialize)]
pub struct Thresholds {
    /// Mean further arcs of a person reached along a random arc, not
    /// counting the arc back: `kappa`.
    pub branching: f64,
    /// Mean-field critical transmissibility `T_c = 1 / kappa` (None: no
    /// person reached along an arc has anyone further to pass it to).
    pub mean_field: Option<f64>,
    /// Mean-field critical stickiness, `T_c / mean trust` (None as above, or
    /// when all trust is 0).
    pub mean_field_stickiness: Option<f64>,
    /// Largest eigenvalue of the trust-weighted adjacency matrix.
    pub lambda_max: f64,
    /// Spectral critical stickiness, `1 / lambda_max` (None when
    /// `lambda_max` is 0: no cycles of trusted arcs).
    pub spectral_stickiness: Option<f64>,
    /// Iterations made: Lanczos steps when `W` is symmetric, power
    /// iterations otherwise.
    pub iterations: u32,
    /// Whether the iteration met its tolerance within
    /// [`super::MAX_ITERATIONS`].
    pub converged: bool,
}

impl Thresholds {
    /// The thresholds from the branching factor `kappa`, the mean trust and
    /// the largest eigenvalue.
    pub(super) fn new(kappa: f64, mean_trust: f64, spectral: Spectral) -> Thresholds {
        let mean_field = (kappa > 0.0).then(|| 1.0 / kappa);
        Thresholds {
            branching: kappa,
            mean_field,
            mean_field_stickiness: mean_field
                .filter(|_| mean_trust > 0.0)
                .map(|t| t / mean_trust),
            lambda_max: spectral.lambda,
            spectral_stickiness: (spectral.lambda > 0.0).then(|| 1.0 / spectral.lambda),
            iterations: spectral.iterations,
            converged: spectral.converged,
        }
    }

    /// The epidemic thresholds of `graph` alone, without the other
    /// statistics of [`super::GraphAnalysis::of`].
    pub fn of(graph: &Graph) -> Thresholds {
        let (followers, following) = follow_counts(graph);
        let kappa = branching(
            &followers,
            &following,
            reciprocated_arcs(graph),
            graph.arcs(),
        );
        Thresholds::new(kappa, trust_stats(graph).mean, largest_eigenvalue(graph))
    }
}

/// The arc id of `v -> u` (`u` follows `v`), if there is one.
pub fn reverse_arc(graph: &Graph, u: Node, v: Node) -> Option<usize> {
    let range = graph.arc_range(v);
    graph
        .followers(v)
        .binary_search(&u)
        .ok()
        .map(|i| range.start + i)
}

/// Arcs `u -> v` whose reverse `v -> u` is an arc too.
pub fn reciprocated_arcs(graph: &Graph) -> usize {
    (0..graph.nodes())
        .into_par_iter()
        .map(|u| {
            graph
                .followers(u)
                .iter()
                .filter(|&&v| reverse_arc(graph, u, v).is_some())
                .count()
        })
        .sum()
}

/// `kappa = (sum of k_in x k_out - reciprocated) / arcs`: the mean number of
/// further arcs of the person at the end of a random arc, the arc back
/// excluded.
pub(super) fn branching(
    followers: &[u32],
    following: &[u32],
    reciprocated: usize,
    arcs: usize,
) -> f64 {
    if arcs == 0 {
        return 0.0;
    }
    let paths: f64 = followers
        .iter()
        .zip(following)
        .map(|(&out, &inn)| out as f64 * inn as f64)
        .sum();
    (paths - reciprocated as f64) / arcs as f64
}
