//! `coreness`: seed people deep inside the network's densely knit core rather
//! than merely well-followed ones. Kitsak et al., "Identification of
//! influential spreaders in complex networks", Nature Physics 6, 888-893
//! (2010), found that a person's k-shell (core number) predicts how far an
//! outbreak started there spreads better than their degree does: a hub on the
//! periphery reaches many people who reach no one else.
//!
//! Core numbers come from the undirected simple view of the graph (two people
//! are linked if either follows the other), computed with the O(m) bucket
//! algorithm of Batagelj & Zaversnik, "An O(m) Algorithm for Cores
//! Decomposition of Networks" (2003).
//!
//! The best people of one core tend to know each other, so seeding them all
//! would reach the same audience several times. Seeds are therefore taken in
//! order of core number (ties: more followers, then smaller original id),
//! skipping anyone linked to an already chosen seed. If the graph does not
//! hold enough such mutually unlinked people, the remaining places are
//! filled with the skipped people, in the same order. Within a budget, the
//! order is core number per unit of cost (ties: followers per unit of cost),
//! and anyone the money left cannot pay for is passed over.

use std::sync::Arc;

use super::kind::{within, Kind, Words, LIMIT_KEYS};
use super::{Context, Limit, Purse, SeedingStrategy, Seeds, StrategyError};
use crate::graph::{Graph, Neighbours, Node};

/// `coreness`: the people deepest in the dense core (k-shell), no two of them linked.
pub const KIND: Kind = Kind {
    name: "coreness",
    about: "people deep in the network's densest core",
    keys: LIMIT_KEYS,
    build: |keys| {
        Ok(Arc::new(Coreness {
            limit: keys.limit()?,
        }))
    },
};

/// Highest core number first, spread out over the network.
pub struct Coreness {
    pub limit: Limit,
}

impl SeedingStrategy for Coreness {
    /// The undirected view and the peeling arrays.
    fn working_bytes(&self, nodes: u64, arcs: u64, _steps: u32, _workers: u64) -> u64 {
        10 * arcs + 40 * nodes
    }

    fn limit(&self) -> Option<Limit> {
        Some(self.limit)
    }

    fn describe(&self, words: &dyn Words) -> String {
        within(
            self.limit,
            words,
            "the people deepest in the network's dense core (k-shell), no two of them linked",
        )
    }

    fn choose(&self, ctx: &Context) -> Result<Seeds, StrategyError> {
        ctx.check_limit(self.limit)?;
        let core = core_numbers(ctx.graph);
        Ok(Seeds::Fixed(spread_by_core_within(
            ctx.graph,
            &core,
            ctx.purse(self.limit),
        )))
    }
}

/// The graph with arc directions dropped and parallel links merged.
struct SimpleView {
    neighbours: Neighbours,
}

impl SimpleView {
    fn new(graph: &Graph) -> SimpleView {
        SimpleView {
            neighbours: graph.neighbours(),
        }
    }

    fn of(&self, v: Node) -> &[Node] {
        self.neighbours.of(v)
    }

    /// Batagelj & Zaversnik: visit people in increasing order of remaining
    /// degree, kept sorted in buckets; a visited person's degree is final and
    /// is their core number, and each of their not yet final neighbours moves
    /// down one bucket by a constant-time swap.
    fn core_numbers(&self) -> Vec<u32> {
        let n = self.neighbours.len();
        let mut deg: Vec<u32> = (0..n).map(|v| self.of(v as Node).len() as u32).collect();
        let max_deg = deg.iter().copied().max().unwrap_or(0) as usize;
        // bin[d]: position in `vert` where the people of degree d start.
        let mut bin = vec![0usize; max_deg + 1];
        for &d in &deg {
            bin[d as usize] += 1;
        }
        let mut start = 0;
        for b in bin.iter_mut() {
            let count = *b;
            *b = start;
            start += count;
        }
        let mut pos = vec![0usize; n];
        let mut vert = vec![0 as Node; n];
        for v in 0..n {
            let d = deg[v] as usize;
            pos[v] = bin[d];
            vert[bin[d]] = v as Node;
            bin[d] += 1;
        }
        for d in (1..=max_deg).rev() {
            bin[d] = bin[d - 1];
        }
        bin[0] = 0;
        for i in 0..n {
            let v = vert[i];
            let dv = deg[v as usize];
            for &u in self.of(v) {
                let u = u as usize;
                let du = deg[u];
                if du > dv {
                    // Swap u with the first person of its bucket, then shrink
                    // the bucket from the front so u lands in bucket du - 1.
                    let pu = pos[u];
                    let pw = bin[du as usize];
                    let w = vert[pw];
                    if u as Node != w {
                        pos[u] = pw;
                        vert[pu] = w;
                        pos[w as usize] = pu;
                        vert[pw] = u as Node;
                    }
                    bin[du as usize] += 1;
                    deg[u] = du - 1;
                }
            }
        }
        deg
    }
}

/// Core number of every person, indexed by node: the largest k such that
/// the person belongs to a subgraph where everyone has at least k links
/// (links in either direction, counted once per pair).
pub fn core_numbers(graph: &Graph) -> Vec<u32> {
    SimpleView::new(graph).core_numbers()
}

/// The `count` seeds of the `coreness` strategy given each person's core
/// number, best first: highest core number, ties to more followers then
/// smaller original id, skipping people linked (either direction) to an
/// earlier seed; if too few unlinked people exist, the skipped ones fill the
/// remaining places in the same order.
#[cfg(test)]
pub fn spread_by_core(graph: &Graph, core: &[u32], count: u32) -> Vec<Node> {
    let costs = crate::graph::costs::Costs::uniform(graph.nodes());
    spread_by_core_within(graph, core, Purse::new(&costs, Limit::Count(count)))
}

/// [`spread_by_core`] within `purse`'s limit; under a budget, core number
/// and followers count per unit of cost.
fn spread_by_core_within(graph: &Graph, core: &[u32], mut purse: Purse) -> Vec<Node> {
    let mut order: Vec<Node> = purse.candidates(graph.nodes());
    let rank = |v: Node| {
        (
            purse.rank(v, core[v as usize] as f64),
            purse.rank(v, graph.follower_count(v) as f64),
        )
    };
    order.sort_unstable_by(|&a, &b| {
        let (ra, rb) = (rank(a), rank(b));
        rb.0.total_cmp(&ra.0)
            .then(rb.1.total_cmp(&ra.1))
            .then(graph.label(a).cmp(&graph.label(b)))
    });
    // A seed's followers are marked when it is chosen; the other direction
    // (a seed that follows the candidate) is found by checking the
    // candidate's own followers when it comes up, so no reverse index of
    // the graph is needed.
    let mut chosen = vec![false; graph.nodes() as usize];
    let mut follows_seed = vec![false; graph.nodes() as usize];
    let mut seeds = Vec::new();
    let mut skipped = Vec::new();
    for &v in &order {
        if purse.is_spent() {
            break;
        }
        if !purse.fits(v) {
            continue;
        }
        if follows_seed[v as usize] || graph.followers(v).iter().any(|&u| chosen[u as usize]) {
            skipped.push(v);
            continue;
        }
        chosen[v as usize] = true;
        purse.take(v);
        seeds.push(v);
        for &u in graph.followers(v) {
            follows_seed[u as usize] = true;
        }
    }
    // Fill what is left with the skipped people, in the same order.
    for v in skipped {
        if purse.is_spent() {
            break;
        }
        if purse.fits(v) {
            purse.take(v);
            seeds.push(v);
        }
    }
    seeds
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_xoshiro::Xoshiro256PlusPlus;
    use std::cmp::Reverse;
    use std::collections::BTreeSet;
    use std::path::Path;

    fn coreness_seeds(graph: &Graph, count: u32) -> Vec<Node> {
        spread_by_core(graph, &core_numbers(graph), count)
    }

    /// Simple undirected links of a graph, as sets per person.
    fn links(graph: &Graph) -> Vec<BTreeSet<Node>> {
        let mut adj = vec![BTreeSet::new(); graph.nodes() as usize];
        for u in 0..graph.nodes() {
            for &v in graph.followers(u) {
                adj[u as usize].insert(v);
                adj[v as usize].insert(u);
            }
        }
        adj
    }

    /// k-shells by definition: for k = 1, 2, ... peel people with fewer than
    /// k remaining links until none is left; a person's core number is the
    /// last k whose core still holds them.
    fn brute_force_cores(graph: &Graph) -> Vec<u32> {
        let adj = links(graph);
        let n = adj.len();
        let mut core = vec![0u32; n];
        for k in 1.. {
            let mut alive = vec![true; n];
            loop {
                let peel: Vec<usize> = (0..n)
                    .filter(|&v| {
                        alive[v]
                            && adj[v].iter().filter(|&&u| alive[u as usize]).count() < k as usize
                    })
                    .collect();
                if peel.is_empty() {
                    break;
                }
                for v in peel {
                    alive[v] = false;
                }
            }
            if !alive.contains(&true) {
                break;
            }
            for v in (0..n).filter(|&v| alive[v]) {
                core[v] = k;
            }
        }
        core
    }

    fn random_graph(rng: &mut Xoshiro256PlusPlus, directed: bool) -> Graph {
        let n = rng.random_range(1..=30u32);
        let density = rng.random_range(0.02..0.7);
        let mut arcs = Vec::new();
        for u in 0..n {
            for v in 0..n {
                if u != v && (directed || u < v) && rng.random_bool(density) {
                    arcs.push((u, v));
                    if !directed {
                        arcs.push((v, u));
                    }
                }
            }
        }
        Graph::from_arcs(n, arcs)
    }

    #[test]
    fn cores_match_brute_force_k_shells() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(21);
        for case in 0..120 {
            let g = random_graph(&mut rng, case % 2 == 0);
            assert_eq!(core_numbers(&g), brute_force_cores(&g), "case {case}");
        }
        // Known shells: K4 (3), a triangle hanging off it (2), a pendant (1), an isolated person (0).
        let g = shells_graph();
        assert_eq!(core_numbers(&g), vec![3, 3, 3, 3, 2, 2, 2, 1, 0]);
        // One-way and mutual follows count once: a directed triangle is a 2-core.
        let g = Graph::from_arcs(3, vec![(0, 1), (1, 2), (2, 0), (1, 0)]);
        assert_eq!(core_numbers(&g), vec![2, 2, 2]);
    }

    /// K4 (0-3), a triangle hanging off it (3-4, 4-5-6), a pendant 7 on 6,
    /// and 8 alone.
    fn shells_graph() -> Graph {
        Graph::from_undirected(
            9,
            &[
                (0, 1),
                (0, 2),
                (0, 3),
                (1, 2),
                (1, 3),
                (2, 3),
                (3, 4),
                (4, 5),
                (4, 6),
                (5, 6),
                (6, 7),
            ],
        )
    }

    #[test]
    fn seeds_spread_out_then_fill_up() {
        // Order: core 3: 3 (4 followers), 0, 1, 2 (3 each); core 2: 4, 6 (3 each), 5;
        // core 1: 7; core 0: 8. Picking 3 blocks 0, 1, 2, 4; picking 6 blocks 5, 7;
        // 8 is isolated. So 3, 6, 8 are the spread-out seeds.
        let g = shells_graph();
        assert_eq!(coreness_seeds(&g, 1), vec![3]);
        assert_eq!(coreness_seeds(&g, 2), vec![3, 6]);
        assert_eq!(coreness_seeds(&g, 3), vec![3, 6, 8]);
        // Fill-up: skipped people in the same order.
        assert_eq!(coreness_seeds(&g, 5), vec![3, 6, 8, 0, 1]);
        assert_eq!(coreness_seeds(&g, 9), vec![3, 6, 8, 0, 1, 2, 4, 5, 7]);
        assert_eq!(coreness_seeds(&g, 0), Vec::<Node>::new());
        // A one-way follow blocks too: 1 follows 0 only.
        let g = Graph::from_arcs(4, vec![(0, 1), (0, 2), (2, 0), (3, 2)]);
        // Cores all 1; followers 0:2, 2:1, 3:1, 1:0 -> order 0, 2, 3, 1; 0 blocks 1, 2.
        assert_eq!(coreness_seeds(&g, 2), vec![0, 3]);
        assert_eq!(coreness_seeds(&g, 3), vec![0, 3, 2]);
    }

    #[test]
    fn seeds_pairwise_unlinked_when_possible() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(22);
        for case in 0..100 {
            let g = random_graph(&mut rng, case % 2 == 1);
            let n = g.nodes();
            let k = rng.random_range(0..=n);
            let seeds = coreness_seeds(&g, k);
            let adj = links(&g);
            let core = core_numbers(&g);
            let key = |v: Node| {
                (
                    Reverse(core[v as usize]),
                    Reverse(g.follower_count(v)),
                    g.label(v),
                )
            };
            assert_eq!(seeds.len(), k as usize);
            assert_eq!(
                seeds.iter().collect::<BTreeSet<_>>().len(),
                k as usize,
                "case {case}: repeated seed"
            );
            // The spread-out picks are the longest unlinked prefix; each is the
            // best person not linked to an earlier pick.
            let spread = (0..=seeds.len())
                .take_while(|&j| {
                    (0..j).all(|i| (0..i).all(|h| !adj[seeds[h] as usize].contains(&seeds[i])))
                })
                .last()
                .unwrap();
            for j in 0..spread {
                let best = (0..n)
                    .filter(|&v| {
                        (0..j).all(|h| v != seeds[h] && !adj[seeds[h] as usize].contains(&v))
                    })
                    .min_by_key(|&v| key(v));
                assert_eq!(Some(seeds[j]), best, "case {case} pick {j}");
            }
            if spread < seeds.len() {
                // Fill-up only when nobody unlinked is left, then in order.
                assert!((0..n).all(|v| seeds[..spread].contains(&v)
                    || seeds[..spread]
                        .iter()
                        .any(|&s| adj[s as usize].contains(&v))));
                assert!(
                    seeds[spread..].windows(2).all(|w| key(w[0]) < key(w[1])),
                    "case {case}"
                );
                let mut rest: Vec<Node> = (0..n).filter(|v| !seeds[..spread].contains(v)).collect();
                rest.sort_by_key(|&v| key(v));
                assert_eq!(
                    &seeds[spread..],
                    &rest[..seeds.len() - spread],
                    "case {case}"
                );
            }
        }
    }

    #[test]
    fn strategy_returns_fixed_seeds() {
        let text = "version = 1\n[graph]\ngenerator = \"erdos-renyi\"\nnodes = 10\nmean_degree = 2\n[content]\nstickiness = 0.1\n[[strategy]]\nkind = \"coreness\"\ncount = 2\n";
        let s = crate::scenario::parse(Path::new("t.toml"), text).unwrap();
        let g = Graph::from_undirected(5, &[(0, 1), (0, 2), (1, 2), (2, 3), (3, 4)])
            .with_labels(vec![5, 6, 7, 8, 9]);
        let (setting, costs) = (
            s.setting(&g),
            crate::graph::costs::Costs::uniform(g.nodes()),
        );
        let ctx = crate::strategy::test_context(&g, &setting, &costs);
        // Core 2: 2 (3 followers), 0, 1; core 1: 3 (2), 4. 2 blocks 0, 1, 3 -> 4.
        match (Coreness {
            limit: Limit::Count(2),
        })
        .choose(&ctx)
        .unwrap()
        {
            Seeds::Fixed(seeds) => assert_eq!(seeds, vec![2, 4]),
            Seeds::PerRun(_) => panic!("expected fixed seeds"),
        }
        assert!((Coreness {
            limit: Limit::Count(6)
        })
        .choose(&ctx)
        .is_err());
    }
}
