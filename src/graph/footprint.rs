//! How much memory a graph takes, and building it takes at its peak, in
//! bytes, from its size alone: known before anything is built, so a graph
//! too large for the machine can be refused instead of aborted by a failed
//! allocation. Each formula follows what the code allocates, temporaries
//! included (named beside it); for a random graph the sizes are the
//! expected ones. The tests hold the estimates against graphs really built.

use super::GeneratorSpec;

/// Bytes of an undirected edge `(u32, u32)`.
const EDGE: u64 = 8;
/// Bytes of a CSR row offset (`u32`).
const OFFSET: u64 = 4;

/// How big a graph is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GraphSize {
    /// People.
    pub nodes: u64,
    /// Follower arcs (two per undirected edge).
    pub arcs: u64,
    /// Whether the original ids are kept (graphs read from an edge list).
    pub labels: bool,
    /// Whether everyone has a segment.
    pub segments: bool,
}

impl GraphSize {
    /// Bytes of the graph as built ([`super::Graph`]): a row offset per
    /// person, a target (4 bytes) and a trust (4 bytes, only when trust
    /// varies: counted, to be safe) per arc, an original id (8 bytes) and
    /// a segment (4 bytes) per person when kept.
    pub fn bytes(&self) -> u64 {
        self.bytes_with(true)
    }

    /// [`GraphSize::bytes`], with a trust per arc only if `trust_varies`.
    pub fn bytes_with(&self, trust_varies: bool) -> u64 {
        OFFSET * (self.nodes + 1)
            + if trust_varies { 8 } else { 4 } * self.arcs
            + if self.labels { 8 * self.nodes } else { 0 }
            + if self.segments { 4 * self.nodes } else { 0 }
    }
}

/// A graph's size and the most memory building it holds at once.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Build {
    pub size: GraphSize,
    /// Bytes at the peak of building, the graph's own included.
    pub peak: u64,
}

/// What building `spec`'s graph takes (expected sizes).
pub fn generated(spec: &GeneratorSpec) -> Build {
    // `retained`: what the allocator keeps of a generator's many small
    // vectors (one per person) after they are freed, beside the CSR.
    let (nodes, edges, generator_peak, segments, retained) = match *spec {
        GeneratorSpec::ErdosRenyi { nodes, mean_degree } => {
            let n = nodes as f64;
            let e = n * mean_degree / 2.0;
            // The edges (with headroom of a few standard deviations), then
            // one counting sort by the smaller end: a second edge vector
            // and an offset per person.
            let peak = EDGE as f64 * (2.0 * e + 5.0 * e.sqrt()) + OFFSET as f64 * n;
            (nodes, e, peak, false, 0.0)
        }
        GeneratorSpec::BarabasiAlbert {
            nodes,
            edges_per_node,
        } => {
            let e = attached_edges(nodes, edges_per_node);
            (nodes, e, preferential_peak(nodes, e), false, 0.0)
        }
        GeneratorSpec::HolmeKim {
            nodes,
            edges_per_node,
            ..
        } => {
            let e = attached_edges(nodes, edges_per_node);
            // Preferential attachment's vectors, plus everyone's neighbour
            // list: a vector header and room for 2m neighbours each, and
            // room for the hubs' growth (a vector at most doubles past what
            // it holds).
            let n = nodes as f64;
            let lists = 24.0 * n + 4.0 * (2.0 * edges_per_node as f64 * n + 2.0 * e);
            (
                nodes,
                e,
                preferential_peak(nodes, e) + lists,
                false,
                RETAINED * n,
            )
        }
        GeneratorSpec::WattsStrogatz {
            nodes, neighbors, ..
        } => {
            let n = nodes as f64;
            let e = n * neighbors as f64 / 2.0;
            // Neighbour lists (a header and room for k + 2 each, half again
            // for the lists rewiring grows), then the edges.
            let lists = 24.0 * n + 1.5 * 4.0 * n * (neighbors as f64 + 2.0);
            (nodes, e, lists + EDGE as f64 * e, false, RETAINED * n)
        }
        GeneratorSpec::StochasticBlock {
            communities,
            community_size,
            mean_degree_in,
            mean_degree_out,
        } => {
            let nodes = communities.saturating_mul(community_size);
            let n = nodes as f64;
            let e = n * (mean_degree_in + mean_degree_out) / 2.0;
            // Two passes of edges out of order: two counting sorts, so
            // three edge vectors at once.
            let peak = EDGE as f64 * (3.0 * e + 5.0 * e.sqrt()) + OFFSET as f64 * n;
            (nodes, e, peak, true, 0.0)
        }
        GeneratorSpec::Powerlaw {
            nodes, mean_degree, ..
        } => {
            let n = nodes as f64;
            let e = n * mean_degree / 2.0;
            // A weight per person, then the edges, already in order.
            let peak = 8.0 * n + EDGE as f64 * (e + 5.0 * (2.0 * e).sqrt());
            (nodes, e, peak, false, 0.0)
        }
    };
    let edges = edges.ceil() as u64;
    let size = GraphSize {
        nodes: nodes as u64,
        arcs: 2 * edges,
        labels: false,
        segments,
    };
    Build {
        size,
        peak: (generator_peak.ceil() as u64).max(csr_peak(size, edges) + retained as u64),
    }
}

/// Bytes per person the allocator keeps of a generator's neighbour lists
/// once they are freed: their headers and small blocks, reused rather
/// than handed back (measured: Watts–Strogatz on a million people peaks
/// about this much above the CSR build).
const RETAINED: f64 = 40.0;

/// Edges of a Barabási–Albert or Holme–Kim graph: the seed clique on
/// m + 1 people and m per later arrival.
fn attached_edges(nodes: u32, m: u32) -> f64 {
    let m = m as f64;
    m * (m + 1.0) / 2.0 + m * (nodes as f64 - m - 1.0)
}

/// Preferential attachment's peak: the edges, the list of edge ends (two
/// per edge, 4 bytes each), a mark per person, and the two counting sorts
/// that order the edges (two more edge vectors, an offset per person).
fn preferential_peak(nodes: u32, edges: f64) -> f64 {
    let n = nodes as f64;
    EDGE as f64 * edges * 4.0 + 4.0 * n + OFFSET as f64 * n
}

/// The peak of turning `edges` undirected edges into the CSR of `size`
/// (see [`super::Graph::from_undirected`]): the edges, two arcs per edge
/// (8 bytes each), the targets taken from them and the row offsets; then
/// a trust per arc, when it varies.
fn csr_peak(size: GraphSize, edges: u64) -> u64 {
    let building = EDGE * edges + 8 * size.arcs + 4 * size.arcs + OFFSET * (size.nodes + 1);
    let segments = if size.segments { 4 * size.nodes } else { 0 };
    let trust = size.bytes();
    (building + segments).max(trust)
}

/// What building a graph from a plain edge list takes (ids that fit in
/// 32 bits, as nearly every file's do), with `lines` edge lines kept
/// (self-loops dropped, duplicates not yet merged) among `nodes` distinct
/// ids (at most 2 x lines), see [`super::edgelist`].
pub fn edge_list(lines: u64, nodes: u64, directed: bool) -> Build {
    edge_list_of(lines, nodes, directed, 8)
}

/// [`edge_list`] with pairs of `pair_bytes` each (8: two u32 ids, 16: two
/// u64): the pairs read, the sorted distinct ids, the pairs relabelled (in
/// place when 8 bytes) and the CSR built from them.
pub fn edge_list_of(lines: u64, nodes: u64, directed: bool, pair_bytes: u64) -> Build {
    let arcs = if directed { lines } else { 2 * lines };
    let size = GraphSize {
        nodes,
        arcs,
        labels: true,
        segments: false,
    };
    let pairs = pair_bytes * lines;
    // Every id of every pair, before duplicates go (the table of ids that
    // span a narrow range takes less).
    let ids = 8 * 2 * lines;
    // Dense edges (undirected) or arcs (directed), 8 bytes a line, in the
    // pairs' place when they are 8 bytes too.
    let dense = EDGE * lines;
    let relabel = pairs + ids + if pair_bytes == EDGE { 0 } else { dense };
    // The pairs are gone; the ids are down to one per person; rows are
    // filled through a cursor per person.
    let csr = 8 * nodes + dense + 4 * arcs + OFFSET * (2 * nodes + 1);
    Build {
        size,
        peak: relabel.max(csr).max(size.bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::trust::TrustSpec;
    use crate::graph::{edgelist, generators, Graph};

    /// `spec`'s graph, with a trust per arc (the estimates count one: a
    /// graph of one trust for all takes less).
    fn build(spec: &GeneratorSpec) -> Graph {
        let g = generators::generate(spec, 3);
        let graph = Graph::from_undirected(g.nodes, &g.edges);
        let mut graph = match g.segments {
            Some(s) => graph.with_segments(s),
            None => graph,
        };
        varying_trust(&mut graph);
        graph
    }

    fn varying_trust(graph: &mut Graph) {
        let constant = graph.heap_bytes();
        let trust = TrustSpec::Uniform {
            low: 0.1,
            high: 0.9,
        };
        crate::graph::trust::assign(graph, &trust, 1);
        assert_eq!(graph.heap_bytes(), constant + 4 * graph.arcs() as u64);
    }

    /// The estimate of every generator's graph is within 5% of the graph
    /// really built (random graphs differ from their expected size by a
    /// few standard deviations of the edge count, far less than that),
    /// and the estimated peak is above the graph and at most 6 times it.
    #[test]
    fn generated_estimates_match_built_graphs() {
        let specs = [
            GeneratorSpec::ErdosRenyi {
                nodes: 20_000,
                mean_degree: 8.0,
            },
            GeneratorSpec::BarabasiAlbert {
                nodes: 20_000,
                edges_per_node: 4,
            },
            GeneratorSpec::HolmeKim {
                nodes: 20_000,
                edges_per_node: 3,
                triangle_prob: 0.5,
            },
            GeneratorSpec::WattsStrogatz {
                nodes: 20_000,
                neighbors: 10,
                rewire: 0.2,
            },
            GeneratorSpec::StochasticBlock {
                communities: 10,
                community_size: 2_000,
                mean_degree_in: 6.0,
                mean_degree_out: 2.0,
            },
            GeneratorSpec::Powerlaw {
                nodes: 20_000,
                exponent: 2.5,
                mean_degree: 6.0,
            },
        ];
        for spec in &specs {
            let estimate = generated(spec);
            let g = build(spec);
            let bytes = g.heap_bytes() as f64;
            let ratio = estimate.size.bytes() as f64 / bytes;
            assert!((0.95..1.05).contains(&ratio), "{spec:?}: {ratio}");
            assert_eq!(estimate.size.nodes, g.nodes() as u64, "{spec:?}");
            assert_eq!(estimate.size.segments, g.segments().is_some(), "{spec:?}");
            let arcs = estimate.size.arcs as f64 / g.arcs() as f64;
            assert!((0.95..1.05).contains(&arcs), "{spec:?}: arcs {arcs}");
            let peak = estimate.peak as f64 / bytes;
            assert!((1.0..6.0).contains(&peak), "{spec:?}: peak {peak}");
        }
    }

    #[test]
    fn huge_generators_are_estimated_without_overflow() {
        let ba = generated(&GeneratorSpec::BarabasiAlbert {
            nodes: 100_000_000,
            edges_per_node: 5000,
        });
        // About 5e11 edges, 1e12 arcs: 8 TB of graph.
        assert!(ba.size.arcs > 999_000_000_000, "{ba:?}");
        assert!(ba.size.bytes() > 8_000_000_000_000, "{ba:?}");
        assert!(ba.peak > ba.size.bytes());
        let er = generated(&GeneratorSpec::ErdosRenyi {
            nodes: 100_000_000,
            mean_degree: 100.0,
        });
        assert_eq!(er.size.arcs, 10_000_000_000);
        assert!(er.size.bytes() > 80_000_000_000);
    }

    #[test]
    fn edge_list_estimate_matches_the_graph_read() {
        // A ring with chords, ids spread out as in real files.
        let mut text = String::new();
        let n = 5_000u64;
        for v in 0..n {
            for d in [1, 7, 31] {
                text.push_str(&format!("{} {}\n", 3 * v + 1000, 3 * ((v + d) % n) + 1000));
            }
        }
        for directed in [false, true] {
            let (mut g, c) =
                edgelist::parse(text.as_bytes(), std::path::Path::new("e.txt"), directed).unwrap();
            varying_trust(&mut g);
            let estimate = edge_list(c.lines - c.self_loops, g.nodes() as u64, directed);
            assert_eq!(estimate.size.arcs, g.arcs() as u64, "directed {directed}");
            let ratio = estimate.size.bytes() as f64 / g.heap_bytes() as f64;
            assert!(
                (0.99..1.01).contains(&ratio),
                "directed {directed}: {ratio}"
            );
            assert!(estimate.peak >= estimate.size.bytes());
        }
    }
}
