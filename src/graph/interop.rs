//! Graphs from and to petgraph, for Rust programs that already hold their
//! network in one: any petgraph graph (`Graph`, `StableGraph`, `GraphMap`,
//! `Csr`, directed or undirected) becomes a viralsim [`Graph`], and a
//! [`Graph`] becomes a petgraph `DiGraph` of people and follower arcs.
//!
//! A petgraph edge `a -> b` is a follower arc: `b` follows `a` and sees
//! what `a` shares. An undirected edge is a mutual follow (two arcs).
//! Self-loops are dropped and parallel edges merged (the first one's trust
//! is kept), as when reading an edge list. People are numbered by
//! petgraph's node index; each keeps that index as its id (what outputs
//! show), so a `StableGraph` with removed nodes keeps its indices.

use petgraph::visit::{EdgeRef, GraphProp, IntoEdgeReferences, IntoNodeIdentifiers, NodeIndexable};

use super::{Graph, GraphError, Node, MAX_NODES};

impl Graph {
    /// Build a graph from any petgraph graph. `trust` reads an edge's
    /// weight as the trust of its arc(s) in [0, 1]; `None` gives every arc
    /// trust 1. An edge whose trust is not in [0, 1] is an error naming it.
    ///
    /// ```
    /// use petgraph::graph::UnGraph;
    /// use viralsim::graph::Graph;
    ///
    /// // A triangle of friends; the weight is how far they trust each other.
    /// let friends = UnGraph::<(), f64>::from_edges([(0, 1, 0.9), (1, 2, 0.5), (2, 0, 0.2)]);
    /// let graph = Graph::from_petgraph(&friends, Some(|w: &f64| *w)).unwrap();
    /// assert_eq!((graph.nodes(), graph.arcs()), (3, 6));
    /// ```
    pub fn from_petgraph<G, F>(g: G, trust: Option<F>) -> Result<Graph, GraphError>
    where
        G: IntoEdgeReferences + IntoNodeIdentifiers + NodeIndexable + GraphProp,
        F: Fn(&G::EdgeWeight) -> f64,
    {
        // Dense people in index order; `dense[index]` is None for a hole.
        let mut indices: Vec<usize> = g.node_identifiers().map(|n| g.to_index(n)).collect();
        indices.sort_unstable();
        if indices.len() as u64 > MAX_NODES {
            return Err(GraphError::Invalid {
                message: format!(
                    "the petgraph graph has {} nodes; at most {MAX_NODES} are supported",
                    indices.len()
                ),
            });
        }
        let mut dense: Vec<Option<Node>> = vec![None; g.node_bound()];
        for (i, &index) in indices.iter().enumerate() {
            dense[index] = Some(i as Node);
        }
        let directed = g.is_directed();
        let mut arcs: Vec<(Node, Node, f32)> = Vec::new();
        for (number, e) in g.edge_references().enumerate() {
            let (a, b) = (g.to_index(e.source()), g.to_index(e.target()));
            let (Some(u), Some(v)) = (dense[a], dense[b]) else {
                continue;
            };
            if u == v {
                continue;
            }
            let t = match &trust {
                Some(read) => {
                    let t = read(e.weight());
                    if !(0.0..=1.0).contains(&t) {
                        return Err(GraphError::Invalid {
                            message: format!(
                                "edge {number} ({a} -> {b}) has trust {t}; trust is a number in [0, 1]"
                            ),
                        });
                    }
                    t as f32
                }
                None => 1.0,
            };
            arcs.push((u, v, t));
            if !directed {
                arcs.push((v, u, t));
            }
        }
        // Stable sort: of parallel arcs the first edge's trust is kept.
        arcs.sort_by_key(|&(u, v, _)| (u, v));
        arcs.dedup_by_key(|&mut (u, v, _)| (u, v));
        let trust: Vec<f32> = arcs.iter().map(|&(_, _, t)| t).collect();
        let mut graph = Graph::from_arcs(
            indices.len() as Node,
            arcs.into_iter().map(|(u, v, _)| (u, v)).collect(),
        );
        graph.set_trust(trust);
        let identity = indices.iter().enumerate().all(|(i, &index)| i == index);
        Ok(if identity {
            graph
        } else {
            graph.with_labels(indices.into_iter().map(|i| i as u64).collect())
        })
    }

    /// The graph as a petgraph `DiGraph`: one node per person, weighted by
    /// the person's id; one edge `u -> v` per follower arc (`v` follows
    /// `u`), weighted by its trust. Node `i` of the result is person `i`.
    pub fn to_petgraph(&self) -> petgraph::graph::DiGraph<u64, f32> {
        let mut out = petgraph::graph::DiGraph::with_capacity(self.nodes() as usize, self.arcs());
        for u in 0..self.nodes() {
            out.add_node(self.label(u));
        }
        let trust = self.trust();
        for u in 0..self.nodes() {
            for a in self.arc_range(u) {
                out.add_edge(
                    petgraph::graph::NodeIndex::new(u as usize),
                    petgraph::graph::NodeIndex::new(self.targets()[a] as usize),
                    trust[a],
                );
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use petgraph::graph::{DiGraph, UnGraph};
    use petgraph::stable_graph::StableDiGraph;

    use super::*;

    /// Every arc as (id of the sharer, id of the follower, trust), sorted.
    fn arcs_of(g: &Graph) -> Vec<(u64, u64, f32)> {
        let mut out = Vec::new();
        for u in 0..g.nodes() {
            for a in g.arc_range(u) {
                out.push((g.label(u), g.label(g.targets()[a]), g.trust()[a]));
            }
        }
        out.sort_by_key(|x| (x.0, x.1));
        out
    }

    #[test]
    fn directed_edges_are_follower_arcs_and_round_trip() {
        let mut p = DiGraph::<&str, f32>::new();
        let [a, b, c] = ["a", "b", "c"].map(|n| p.add_node(n));
        p.add_edge(a, b, 0.5);
        p.add_edge(b, c, 0.25);
        p.add_edge(c, a, 1.0);
        let g = Graph::from_petgraph(&p, Some(|w: &f32| *w as f64)).unwrap();
        assert_eq!(g.nodes(), 3);
        assert_eq!(arcs_of(&g), vec![(0, 1, 0.5), (1, 2, 0.25), (2, 0, 1.0)]);
        let back = g.to_petgraph();
        let again = Graph::from_petgraph(&back, Some(|w: &f32| *w as f64)).unwrap();
        assert_eq!(arcs_of(&again), arcs_of(&g));
    }

    #[test]
    fn undirected_edges_are_mutual_follows_without_loops_or_repeats() {
        let p = UnGraph::<(), ()>::from_edges([(0, 1), (1, 2), (1, 0), (2, 2)]);
        let g = Graph::from_petgraph(&p, None::<fn(&()) -> f64>).unwrap();
        assert_eq!(g.nodes(), 3);
        assert_eq!(
            arcs_of(&g),
            vec![(0, 1, 1.0), (1, 0, 1.0), (1, 2, 1.0), (2, 1, 1.0)]
        );
    }

    #[test]
    fn removed_nodes_keep_the_indices_of_the_others() {
        let mut p = StableDiGraph::<(), ()>::new();
        let n: Vec<_> = (0..4).map(|_| p.add_node(())).collect();
        p.add_edge(n[0], n[3], ());
        p.add_edge(n[3], n[2], ());
        p.remove_node(n[1]);
        let g = Graph::from_petgraph(&p, None::<fn(&()) -> f64>).unwrap();
        assert_eq!(g.nodes(), 3);
        assert_eq!(arcs_of(&g), vec![(0, 3, 1.0), (3, 2, 1.0)]);
        assert_eq!(g.node_of(3), Some(2));
        let back = g.to_petgraph();
        assert_eq!(back.node_weights().copied().collect::<Vec<_>>(), [0, 2, 3]);
    }

    #[test]
    fn trust_outside_zero_to_one_names_the_edge() {
        let p = DiGraph::<(), f64>::from_edges([(0, 1, 0.5), (1, 2, 1.5)]);
        let e = Graph::from_petgraph(&p, Some(|w: &f64| *w)).unwrap_err();
        assert!(
            e.to_string().contains("edge 1 (1 -> 2) has trust 1.5"),
            "{e}"
        );
        let p = DiGraph::<(), f64>::from_edges([(0, 1, f64::NAN)]);
        assert!(Graph::from_petgraph(&p, Some(|w: &f64| *w)).is_err());
    }
}
