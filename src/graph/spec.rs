//! Where a graph comes from, in the graph module's own terms: a generator
//! with its parameters, or an edge-list file. The scenario module fills
//! these in from `[graph]`.

use std::path::PathBuf;

/// A generated random graph. Every generator produces an undirected simple
/// graph (each edge becomes two arcs, one per direction of following).
#[derive(Debug, Clone, PartialEq)]
pub enum GeneratorSpec {
    /// G(n, p) with p = mean_degree / (nodes - 1).
    ErdosRenyi { nodes: u32, mean_degree: f64 },
    /// Preferential attachment: each new person follows `edges_per_node`
    /// existing people chosen proportionally to their degree.
    BarabasiAlbert { nodes: u32, edges_per_node: u32 },
    /// Ring lattice where each person links to `neighbors` nearest people
    /// (`neighbors` even), each edge rewired with probability `rewire`.
    WattsStrogatz {
        nodes: u32,
        neighbors: u32,
        rewire: f64,
    },
    /// Planted communities of equal size; mean degree split into links inside
    /// the own community and links to other communities. Each person keeps its
    /// community index (0-based) as its segment.
    StochasticBlock {
        communities: u32,
        community_size: u32,
        mean_degree_in: f64,
        mean_degree_out: f64,
    },
    /// Chung–Lu graph with expected degrees following a power law
    /// P(k) ~ k^-exponent, scaled to `mean_degree`.
    Powerlaw {
        nodes: u32,
        exponent: f64,
        mean_degree: f64,
    },
    /// Holme–Kim: preferential attachment plus triad formation with
    /// probability `triangle_prob` after each attachment, for clustering.
    HolmeKim {
        nodes: u32,
        edges_per_node: u32,
        triangle_prob: f64,
    },
}

impl GeneratorSpec {
    /// The generator's name as written in scenario files.
    pub fn name(&self) -> &'static str {
        match self {
            GeneratorSpec::ErdosRenyi { .. } => "erdos-renyi",
            GeneratorSpec::BarabasiAlbert { .. } => "barabasi-albert",
            GeneratorSpec::WattsStrogatz { .. } => "watts-strogatz",
            GeneratorSpec::StochasticBlock { .. } => "stochastic-block",
            GeneratorSpec::Powerlaw { .. } => "powerlaw",
            GeneratorSpec::HolmeKim { .. } => "holme-kim",
        }
    }
}

/// Where the graph comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum GraphSource {
    /// A random graph generated from `seed` (independent of the run seed).
    Generated { spec: GeneratorSpec, seed: u64 },
    /// A real network read from an edge-list file.
    EdgeList { path: PathBuf, directed: bool },
}

impl GraphSource {
    /// Whether the graph is read from a binary graph file (`.vsg`, see
    /// [`super::binary`]), which holds trust and may hold segments.
    pub fn is_binary(&self) -> bool {
        matches!(self, GraphSource::EdgeList { path, .. } if super::binary::is_binary(path))
    }

    /// Whether the graph comes with segments of its own: the planted
    /// communities of the stochastic-block generator.
    pub fn plants_segments(&self) -> bool {
        matches!(
            self,
            GraphSource::Generated {
                spec: GeneratorSpec::StochasticBlock { .. },
                ..
            }
        )
    }
}
