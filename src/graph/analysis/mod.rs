//! What a graph looks like before anything spreads on it: people, arcs,
//! follower and following counts (mean, max, a fitted power law),
//! clustering, connected components, reciprocity, trust, and the epidemic
//! thresholds that say how sticky content must be to take off. Pure
//! functions of a [`Graph`]; `viralsim graph` prints them, and the
//! tipping-point report puts its simulated curve beside them. One file per
//! algorithm: [`components`], [`mod@clustering`], [`spectral`] (the largest
//! eigenvalue), [`power_law`] (fits of the degree tails) and
//! [`thresholds`] (what the thresholds mean, and when they disagree).

pub mod clustering;
pub mod components;
pub mod power_law;
pub mod spectral;
#[cfg(test)]
mod tests;
pub mod thresholds;

use serde::Serialize;

use super::Graph;

pub use clustering::{clustering, triangles, Clustering};
pub use components::{
    strong_component_of, strong_components, weak_component_of, weak_components, ComponentSizes,
    Components,
};
#[cfg(test)]
pub(crate) use power_law::mle_exponent;
pub use power_law::{fit_power_law, hurwitz_zeta, PowerLawFit, Verdict, MIN_TAIL};
pub use spectral::{
    largest_eigenvalue, largest_eigenvalue_known, Spectral, MAX_ITERATIONS, TOLERANCE,
};
pub use thresholds::{reciprocated_arcs, reverse_arc, Thresholds};

use thresholds::branching;

/// Everything `viralsim graph` reports about a graph.
#[derive(Debug, Clone, Serialize)]
pub struct GraphAnalysis {
    /// Number of people.
    pub people: u32,
    /// Number of follower arcs (a mutual follow is two).
    pub arcs: usize,
    /// Whether every follow is mutual (the graph is undirected).
    pub undirected: bool,
    /// Share of arcs whose reverse arc exists too, in [0, 1].
    pub reciprocity: f64,
    /// Followers per person (out-degree).
    pub followers: DegreeStats,
    /// People followed per person (in-degree).
    pub following: DegreeStats,
    pub clustering: Clustering,
    pub components: Components,
    pub trust: TrustStats,
    pub thresholds: Thresholds,
}

/// A count per person (followers or people followed), summarised.
#[derive(Debug, Clone, Serialize)]
pub struct DegreeStats {
    /// Mean count per person.
    pub mean: f64,
    /// Largest count.
    pub max: u32,
    /// People whose count is 0.
    pub zero: u32,
    /// The power law fitted to the counts' tail (None: fewer than
    /// [`MIN_TAIL`] people with a count of 1 or more, or a tail of one value).
    pub power_law: Option<PowerLawFit>,
}

/// Trust over all arcs.
#[derive(Debug, Clone, Serialize)]
pub struct TrustStats {
    pub mean: f64,
    pub min: f64,
    pub max: f64,
}

impl GraphAnalysis {
    /// Compute every statistic. Linear in people and arcs except the
    /// triangle count (O(arcs^1.5) at worst), the power-law fits (quadratic
    /// in the number of distinct counts) and the spectral iteration (at most
    /// [`MAX_ITERATIONS`] passes over the arcs).
    pub fn of(graph: &Graph) -> GraphAnalysis {
        let (followers, following) = follow_counts(graph);
        // Known undirected, every arc is reciprocated and every weak
        // component strong: no reverse is looked up, no search run twice.
        let reciprocated = if graph.is_undirected() {
            graph.arcs()
        } else {
            reciprocated_arcs(graph)
        };
        let neighbours = graph.neighbours();
        let weak = weak_components(&neighbours);
        let strong = if graph.is_undirected() {
            weak
        } else {
            strong_components(graph)
        };
        let trust = trust_stats(graph);
        let kappa = branching(&followers, &following, reciprocated, graph.arcs());
        let undirected = reciprocated == graph.arcs();
        let lambda = largest_eigenvalue_known(graph, undirected);
        let thresholds = Thresholds::new(kappa, trust.mean, lambda);
        GraphAnalysis {
            people: graph.nodes(),
            arcs: graph.arcs(),
            undirected,
            reciprocity: reciprocated as f64 / graph.arcs().max(1) as f64,
            followers: degree_stats(&followers),
            following: degree_stats(&following),
            clustering: clustering(&neighbours),
            components: Components {
                weak: weak.count,
                largest_weak: weak.largest,
                strong: strong.count,
                largest_strong: strong.largest,
            },
            thresholds,
            trust,
        }
    }
}

/// Each person's followers and the people each follows.
pub(super) fn follow_counts(graph: &Graph) -> (Vec<u32>, Vec<u32>) {
    let followers: Vec<u32> = (0..graph.nodes())
        .map(|u| graph.follower_count(u))
        .collect();
    let mut following = vec![0u32; graph.nodes() as usize];
    for &v in graph.targets() {
        following[v as usize] += 1;
    }
    (followers, following)
}

fn degree_stats(counts: &[u32]) -> DegreeStats {
    DegreeStats {
        mean: counts.iter().map(|&k| k as f64).sum::<f64>() / counts.len().max(1) as f64,
        max: counts.iter().copied().max().unwrap_or(0),
        zero: counts.iter().filter(|&&k| k == 0).count() as u32,
        power_law: fit_power_law(counts),
    }
}

pub(super) fn trust_stats(graph: &Graph) -> TrustStats {
    let t = graph.trust();
    if t.is_empty() {
        return TrustStats {
            mean: 0.0,
            min: 0.0,
            max: 0.0,
        };
    }
    TrustStats {
        mean: t.iter().map(|&x| x as f64).sum::<f64>() / t.len() as f64,
        min: t.iter().copied().fold(f32::INFINITY, f32::min) as f64,
        max: t.iter().copied().fold(f32::NEG_INFINITY, f32::max) as f64,
    }
}
