//! `explicit`: the planner's own list of people (e.g. brand ambassadors),
//! by their ids in the edge list. With `segments`, every listed person must
//! belong to one of them.

use std::sync::Arc;

use super::kind::{Kind, Words};
use super::{Context, Limit, SeedingStrategy, Seeds, StrategyError};
use crate::graph::{Node, PersonRef};

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
    pub ids: Vec<PersonRef>,
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
            .map(|id| match id {
                PersonRef::Number(n) => n.to_string(),
                PersonRef::Text(t) => t.clone(),
            })
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
        for (i, id) in self.ids.iter().enumerate() {
            let at = |message: String| StrategyError {
                key: "nodes",
                index: Some(i),
                message,
            };
            match ctx.graph.find_ref(id) {
                Some(v) if seeds.contains(&v) => {
                    // Two ways of writing one id ("7" and 7).
                    return Err(at(format!(
                        "person {} is listed twice: positions {} and {i} name the same person",
                        id.written(),
                        seeds.iter().position(|&s| s == v).unwrap_or(0)
                    )));
                }
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
                        "person {} {theirs}, not one of this strategy's segments ({}): list only their people, or add the segment",
                        id.written(),
                        names.join(", ")
                    )));
                }
                None => {
                    let last = ctx.graph.nodes() - 1;
                    let (first, last) = (ctx.graph.name(0), ctx.graph.name(last));
                    let range = if ctx.graph.has_text_ids() {
                        format!(
                            "ids \"{}\" to \"{}\" in natural order",
                            crate::graph::edgelist::shorten(&first.to_string()),
                            crate::graph::edgelist::shorten(&last.to_string())
                        )
                    } else {
                        format!("ids {first} to {last}")
                    };
                    return Err(at(format!(
                        "node {} is not in the graph: ids are as in the edge list ({} people, {range})",
                        id.written(),
                        ctx.graph.nodes()
                    )));
                }
            }
        }
        Ok(Seeds::Fixed(seeds))
    }
}
