//! `explicit`: the planner's own list of people (e.g. brand ambassadors),
//! by their ids in the edge list. With `segments`, every listed person must
//! belong to one of them.

use std::sync::Arc;

use super::kind::{Kind, Words};
use super::{Context, Limit, SeedingStrategy, Seeds, StrategyError};
use crate::graph::Node;

/// `explicit`: the people listed by id.
pub const KIND: Kind = Kind {
    name: "explicit",
    about: "exactly the listed people (for example, brand ambassadors)",
    keys: &["nodes"],
    build: |keys| {
        Ok(Arc::new(Explicit {
            ids: keys.ids("nodes")?,
        }))
    },
};

/// Ids shown by name in the report before "and N more".
const SHOWN: usize = 12;

/// A fixed list of original ids.
pub struct Explicit {
    pub ids: Vec<u64>,
}

impl SeedingStrategy for Explicit {
    fn working_bytes(&self, _nodes: u64, _arcs: u64, _steps: u32, _workers: u64) -> u64 {
        0
    }

    fn limit(&self) -> Option<Limit> {
        None
    }

    fn describe(&self, words: &dyn Words) -> String {
        let shown: Vec<String> = self
            .ids
            .iter()
            .take(SHOWN)
            .map(|id| id.to_string())
            .collect();
        let more = if self.ids.len() > SHOWN {
            format!(" and {} more", words.count((self.ids.len() - SHOWN) as u64))
        } else {
            String::new()
        };
        format!(
            "the {} listed by id: {}{more}",
            if self.ids.len() == 1 {
                "person"
            } else {
                "people"
            },
            shown.join(", ")
        )
    }

    fn choose(&self, ctx: &Context) -> Result<Seeds, StrategyError> {
        let mut seeds: Vec<Node> = Vec::with_capacity(self.ids.len());
        for (i, &id) in self.ids.iter().enumerate() {
            let at = |message: String| StrategyError {
                key: "nodes",
                index: Some(i),
                message,
            };
            match ctx.graph.node_of(id) {
                Some(v) if ctx.may_seed(v) => seeds.push(v),
                Some(v) => {
                    // A listed person outside the strategy's segments is a
                    // mistake in one list or the other: say which segment
                    // they are in.
                    let segments = ctx
                        .graph
                        .segments()
                        .expect("a strategy with segments runs on a graph with segments");
                    let theirs = match segments.of(v) {
                        Some(s) => format!("is in segment \"{}\"", segments.name(s)),
                        None => "belongs to no segment".to_string(),
                    };
                    let names: Vec<String> = ctx
                        .segments
                        .iter()
                        .copied()
                        .flatten()
                        .map(|n| format!("\"{n}\""))
                        .collect();
                    return Err(at(format!(
                        "person {id} {theirs}, not one of this strategy's segments ({}): list only their people, or add the segment",
                        names.join(", ")
                    )));
                }
                None => {
                    let last = ctx.graph.nodes() - 1;
                    let range = format!("ids {} to {}", ctx.graph.label(0), ctx.graph.label(last));
                    return Err(at(format!(
                        "node {id} is not in the graph: ids are as in the edge list ({} people, {range})",
                        ctx.graph.nodes()
                    )));
                }
            }
        }
        Ok(Seeds::Fixed(seeds))
    }
}
