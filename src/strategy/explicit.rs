//! `explicit`: the planner's own list of people (e.g. brand ambassadors),
//! by their ids in the edge list. With `segments`, every listed person must
//! belong to one of them.

use super::{Context, SeedingStrategy, Seeds, StrategyError};
use crate::graph::Node;
use crate::scenario::Step;

/// A fixed list of original ids.
pub struct Explicit {
    pub ids: Vec<u64>,
}

impl SeedingStrategy for Explicit {
    fn choose(&self, ctx: &Context) -> Result<Seeds, StrategyError> {
        let mut seeds: Vec<Node> = Vec::with_capacity(self.ids.len());
        for (i, &id) in self.ids.iter().enumerate() {
            let location = || {
                ctx.scenario
                    .strategy_location(ctx.spec.table, &[Step::Key("nodes"), Step::Index(i)])
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
                        .spec
                        .segments
                        .iter()
                        .flatten()
                        .map(|n| format!("\"{n}\""))
                        .collect();
                    return Err(StrategyError {
                        location: location(),
                        message: format!(
                            "person {id} {theirs}, not one of this strategy's segments ({}): list only their people, or add the segment",
                            names.join(", ")
                        ),
                    });
                }
                None => {
                    let location = location();
                    let last = ctx.graph.nodes() - 1;
                    let range = format!("ids {} to {}", ctx.graph.label(0), ctx.graph.label(last));
                    return Err(StrategyError {
                        location,
                        message: format!(
                            "node {id} is not in the graph: ids are as in the edge list ({} people, {range})",
                            ctx.graph.nodes()
                        ),
                    });
                }
            }
        }
        Ok(Seeds::Fixed(seeds))
    }
}
