//! `top-degree`: the people with the most followers ("top influencers");
//! ties go to the smaller original id. With a budget, the most followers
//! per unit of cost.

use std::sync::Arc;

use super::kind::{within, Kind, Words, LIMIT_KEYS};
use super::{best_within, Context, Limit, SeedingStrategy, Seeds, StrategyError};
use crate::graph::{Graph, Node};

/// `top-degree`: the people with the most followers (top influencers).
pub const KIND: Kind = Kind {
    name: "top-degree",
    about: "the people with the most followers (\"top influencers\")",
    keys: LIMIT_KEYS,
    build: |keys| {
        Ok(Arc::new(TopDegree {
            limit: keys.limit()?,
        }))
    },
};

/// The best-followed people.
pub struct TopDegree {
    pub limit: Limit,
}

impl SeedingStrategy for TopDegree {
    fn working_bytes(&self, nodes: u64, _arcs: u64, _steps: u32, _workers: u64) -> u64 {
        16 * nodes
    }

    fn limit(&self) -> Option<Limit> {
        Some(self.limit)
    }

    fn describe(&self, words: &dyn Words) -> String {
        within(
            self.limit,
            words,
            "the people with the most followers (top influencers)",
        )
    }

    fn choose(&self, ctx: &Context) -> Result<Seeds, StrategyError> {
        ctx.check_limit(self.limit)?;
        Ok(Seeds::Fixed(match self.limit {
            Limit::Count(k) => top_by_followers_among(ctx.graph, ctx.candidates(), k),
            Limit::Budget(_) => {
                let followers: Vec<f64> = (0..ctx.graph.nodes())
                    .map(|v| ctx.graph.follower_count(v) as f64)
                    .collect();
                best_within(ctx.graph, &followers, ctx.purse(self.limit))
            }
        }))
    }
}

/// The `k` people with the most followers, best first; ties to the smaller
/// original id.
pub fn top_by_followers(graph: &Graph, k: u32) -> Vec<Node> {
    top_by_followers_among(graph, (0..graph.nodes()).collect(), k)
}

/// The `k` of `candidates` with the most followers, best first; ties to
/// the smaller original id.
pub fn top_by_followers_among(graph: &Graph, mut order: Vec<Node>, k: u32) -> Vec<Node> {
    let key = |&v: &Node| (std::cmp::Reverse(graph.follower_count(v)), graph.label(v));
    let k = k as usize;
    if k < order.len() {
        order.select_nth_unstable_by_key(k, key);
        order.truncate(k);
    }
    order.sort_unstable_by_key(key);
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_followers_first_ties_to_smaller_id() {
        // Star around 3 plus edge 1-2: degrees 0:1, 1:2, 2:2, 3:3 (ids relabelled 10,20,30,40).
        let g = Graph::from_undirected(4, &[(0, 3), (1, 3), (2, 3), (1, 2)])
            .with_labels(vec![10, 20, 30, 40]);
        assert_eq!(top_by_followers(&g, 1), vec![3]);
        assert_eq!(top_by_followers(&g, 3), vec![3, 1, 2]);
        assert_eq!(top_by_followers(&g, 4), vec![3, 1, 2, 0]);
    }
}
