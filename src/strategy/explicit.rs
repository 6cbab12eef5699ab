//! `explicit`: the planner's own list of people (e.g. brand ambassadors),
//! by their ids in the edge list.

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
            match ctx.graph.node_of(id) {
                Some(v) => seeds.push(v),
                None => {
                    let path = [
                        Step::Key("strategy"),
                        Step::Index(ctx.spec.index),
                        Step::Key("nodes"),
                        Step::Index(i),
                    ];
                    let location =
                        crate::scenario::Locator::new(&ctx.scenario.path, &ctx.scenario.text)
                            .at(&path);
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
