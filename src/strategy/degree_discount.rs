//! `degree-discount`: seed well-followed people, but discount those whose
//! followers already follow a chosen seed, so the budget is not spent twice
//! on the same audience. It is the planner's fast, simulation-free middle
//! ground between plain `top-degree` and the costly greedy strategies.
//!
//! This is DegreeDiscountIC of Chen, Wang & Yang, "Efficient Influence
//! Maximization in Social Networks", KDD 2009 (Algorithm 4), with `p` the
//! scenario's mean share probability (stickiness x mean trust). A person `v`
//! with `d` followers who follows `t` already chosen seeds scores
//! `d - 2t - (d - t) t p`, the paper's first-order estimate of what `v` adds
//! on top of the seeds: `v` may already be reached through them, and in a
//! mutual network its links back to them reach no one new.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use std::sync::Arc;

use super::kind::{within, Kind, Words, LIMIT_KEYS};
use super::{Context, Limit, Purse, SeedingStrategy, Seeds, StrategyError};
use crate::graph::{Graph, Node};

/// `degree-discount`: the people with the most followers not already covered by other seeds (DegreeDiscountIC).
pub const KIND: Kind = Kind {
    name: "degree-discount",
    about: "most followers, discounting people whose friends are already seeded",
    keys: LIMIT_KEYS,
    build: |keys| {
        Ok(Arc::new(DegreeDiscount {
            limit: keys.limit()?,
        }))
    },
};

/// Highest discounted degree first (per unit of cost, within a budget).
pub struct DegreeDiscount {
    pub limit: Limit,
}

impl SeedingStrategy for DegreeDiscount {
    fn working_bytes(&self, nodes: u64, _arcs: u64, _steps: u32, _workers: u64) -> u64 {
        40 * nodes
    }

    fn limit(&self) -> Option<Limit> {
        Some(self.limit)
    }

    fn describe(&self, words: &dyn Words) -> String {
        within(self.limit, words, "the people with the most followers not already covered by other seeds (degree discount)")
    }

    fn choose(&self, ctx: &Context) -> Result<Seeds, StrategyError> {
        ctx.check_limit(self.limit)?;
        let p = ctx.mean_share_probability();
        let purse = ctx.purse(self.limit);
        Ok(Seeds::Fixed(degree_discount_within(ctx.graph, p, purse)))
    }
}

/// A candidate in the heap, valid only while `version` is the node's current
/// version.
struct Entry {
    score: f64,
    label: u64,
    node: Node,
    version: u32,
}

impl Ord for Entry {
    // BinaryHeap pops the greatest: higher score, then smaller original id.
    fn cmp(&self, other: &Self) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then_with(|| other.label.cmp(&self.label))
    }
}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Entry {}

/// The discounted degree of a person with `d` followers who follows `t`
/// chosen seeds.
fn discounted(d: u32, t: u32, p: f64) -> f64 {
    let (d, t) = (d as f64, t as f64);
    d - 2.0 * t - (d - t) * t * p
}

/// DegreeDiscountIC: `k` people, best first, for share probability `p`;
/// ties to the smaller original id. `k` must not exceed the number of people.
///
/// A lazy max-heap keeps this at O((n + k d) log n): a person's score only
/// changes when one of the people they follow is chosen, and then a fresh
/// entry is pushed while the stale one is recognised by its version stamp and
/// dropped when it surfaces.
#[cfg(test)]
pub fn degree_discount(graph: &Graph, p: f64, k: u32) -> Vec<Node> {
    let costs = crate::graph::costs::Costs::uniform(graph.nodes());
    degree_discount_within(graph, p, Purse::new(&costs, Limit::Count(k)))
}

/// DegreeDiscountIC within `purse`'s limit: under a budget the heap ranks
/// discounted degree per unit of cost, and a person the money left cannot
/// pay for is passed over for good (the money left only shrinks).
fn degree_discount_within(graph: &Graph, p: f64, mut purse: Purse) -> Vec<Node> {
    let n = graph.nodes();
    let mut followed_seeds = vec![0u32; n as usize];
    let mut version = vec![0u32; n as usize];
    let mut chosen = vec![false; n as usize];
    let mut heap: BinaryHeap<Entry> = purse
        .candidates(n)
        .into_iter()
        .map(|v| Entry {
            score: purse.rank(v, graph.follower_count(v) as f64),
            label: graph.label(v),
            node: v,
            version: 0,
        })
        .collect();
    let mut seeds = Vec::new();
    while !purse.is_spent() {
        let Some(top) = heap.pop() else { break };
        let u = top.node as usize;
        if chosen[u] || top.version != version[u] {
            continue;
        }
        // Never re-filed: whoever does not fit now never will.
        chosen[u] = true;
        if !purse.fits(top.node) {
            continue;
        }
        purse.take(top.node);
        seeds.push(top.node);
        for &v in graph.followers(top.node) {
            let vi = v as usize;
            if chosen[vi] {
                continue;
            }
            followed_seeds[vi] += 1;
            version[vi] += 1;
            heap.push(Entry {
                score: purse.rank(
                    v,
                    discounted(graph.follower_count(v), followed_seeds[vi], p),
                ),
                label: graph.label(v),
                node: v,
                version: version[vi],
            });
        }
    }
    seeds
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_xoshiro::Xoshiro256PlusPlus;
    use std::path::Path;

    /// Chen et al.'s definition evaluated from scratch at every step: count,
    /// for each candidate, the chosen seeds it follows.
    fn reference(graph: &Graph, p: f64, k: u32) -> Vec<Node> {
        let n = graph.nodes();
        let mut seeds: Vec<Node> = Vec::new();
        while seeds.len() < k as usize {
            let mut best: Option<(f64, Node)> = None;
            for v in 0..n {
                if seeds.contains(&v) {
                    continue;
                }
                let t = seeds
                    .iter()
                    .filter(|&&s| graph.followers(s).contains(&v))
                    .count() as u32;
                let dd = discounted(graph.follower_count(v), t, p);
                let better = match best {
                    None => true,
                    Some((b, w)) => dd > b || (dd == b && graph.label(v) < graph.label(w)),
                };
                if better {
                    best = Some((dd, v));
                }
            }
            seeds.push(best.unwrap().1);
        }
        seeds
    }

    #[test]
    fn hand_checked_order() {
        // Undirected, p = 0.1. Degrees: 0:4, 1:2, 2:2, 3:2, 4:3, 5:3, 6:1, 7:1.
        //
        //   1 - 0 - 3        Step 1: all t = 0, dd = d; pick 0 (4).
        //   |  / \  |          t(1,2,3,4) = 1: dd1 = dd2 = dd3 = 2-2-1*1*.1 = -0.1,
        //   2 /   \ |          dd4 = 3-2-2*1*.1 = 0.8.
        //         4 - 5 - 6  Step 2: pick 5 (3, beats 4's 0.8 and 6, 7 at 1).
        //             |        t4 = 2: dd4 = 3-4-1*2*.1 = -1.2; t6 = t7 = 1: dd = 1-2-0 = -1.
        //             7      Step 3: 1, 2, 3 tie at -0.1: pick 1 (smaller id).
        //                      t2 = 2: dd2 = 2-4-0 = -2.
        //                    Step 4: pick 3 (-0.1). t4 = 3: dd4 = 3-6-0 = -3.
        //                    Step 5: 6, 7 tie at -1: pick 6, then step 6: 7.
        //                    Step 7: 2 (-2); step 8: 4 (-3).
        let g = Graph::from_undirected(
            8,
            &[
                (0, 1),
                (0, 2),
                (0, 3),
                (0, 4),
                (1, 2),
                (3, 4),
                (4, 5),
                (5, 6),
                (5, 7),
            ],
        );
        assert_eq!(degree_discount(&g, 0.1, 8), vec![0, 5, 1, 3, 6, 7, 2, 4]);
        assert_eq!(degree_discount(&g, 0.1, 3), vec![0, 5, 1]);
        assert_eq!(degree_discount(&g, 0.1, 0), Vec::<Node>::new());
        // Plain top-degree would take 4 second; the discount is what moves it last.
        assert_eq!(super::super::top_degree_seeds(&g, 2), vec![0, 4]);
    }

    #[test]
    fn probability_breaks_a_tie_of_d_minus_2t() {
        // Edges 0-1, 0-2, 0-3, 0-6, 1-4, 1-5, 6-7.
        // Degrees: 0:4, 1:3, 6:2, 2, 3, 4, 5, 7:1. First pick 0; then t = 1 for 1, 2, 3, 6:
        // dd1 = 3-2-2p = 1-2p, dd2 = dd3 = -1, dd6 = -p, and dd4 = dd5 = dd7 = 1.
        let g =
            Graph::from_undirected(8, &[(0, 1), (0, 2), (0, 3), (0, 6), (1, 4), (1, 5), (6, 7)]);
        // p = 0: 1, 4, 5, 7 tie at 1 -> 1 (smaller id).
        assert_eq!(degree_discount(&g, 0.0, 2), vec![0, 1]);
        // p = 0.5: dd1 = 0 falls behind 4, 5, 7 at 1 -> 4.
        assert_eq!(degree_discount(&g, 0.5, 2), vec![0, 4]);
    }

    #[test]
    fn zero_probability_is_max_degree_then_d_minus_2t() {
        // Edges 0-1, 0-2, 0-3, 1-4, 2-5, 5-6. Degrees: 0:3, 1:2, 2:2, 5:2, 3, 4, 6:1.
        let g = Graph::from_undirected(7, &[(0, 1), (0, 2), (0, 3), (1, 4), (2, 5), (5, 6)])
            .with_labels(vec![10, 20, 30, 40, 50, 60, 70]);
        // Pick 0 (max degree 3). dd1 = dd2 = 2-2 = 0, dd3 = 1-2 = -1; untouched dd4 = 1,
        // dd5 = 2, dd6 = 1. Pick 5 (2): dd2 = 2-4 = -2, dd6 = 1-2 = -1.
        // Pick 4 (1): dd1 = 2-4 = -2. Then 3 and 6 tie at -1 (3 first), 1 and 2 at -2.
        assert_eq!(degree_discount(&g, 0.0, 7), vec![0, 5, 4, 3, 6, 1, 2]);
    }

    #[test]
    fn matches_definition_on_random_graphs() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        for case in 0..200 {
            let n = rng.random_range(1..=25u32);
            let density = rng.random_range(0.05..0.5);
            let directed = case % 2 == 0;
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
            let g = Graph::from_arcs(n, arcs);
            let p = [0.0, 0.01, 0.1, 0.5, 1.0][case % 5];
            let k = rng.random_range(0..=n);
            assert_eq!(
                degree_discount(&g, p, k),
                reference(&g, p, k),
                "case {case}"
            );
        }
    }

    #[test]
    fn strategy_uses_scenario_probability() {
        let text = "version = 1\n[graph]\ngenerator = \"erdos-renyi\"\nnodes = 10\nmean_degree = 2\n[content]\nstickiness = 0.5\n[[strategy]]\nkind = \"degree-discount\"\ncount = 2\n";
        let s = crate::scenario::parse(Path::new("t.toml"), text).unwrap();
        let g =
            Graph::from_undirected(8, &[(0, 1), (0, 2), (0, 3), (0, 6), (1, 4), (1, 5), (6, 7)]);
        let (setting, costs) = (
            s.setting(&g),
            crate::graph::costs::Costs::uniform(g.nodes()),
        );
        let ctx = crate::strategy::test_context(&g, &setting, &costs);
        match (DegreeDiscount {
            limit: Limit::Count(2),
        })
        .choose(&ctx)
        .unwrap()
        {
            Seeds::Fixed(seeds) => assert_eq!(seeds, vec![0, 4]),
            Seeds::PerRun(_) => panic!("expected fixed seeds"),
        }
        assert!((DegreeDiscount {
            limit: Limit::Count(9)
        })
        .choose(&ctx)
        .is_err());
    }
}
