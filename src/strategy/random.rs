//! `random`: people drawn uniformly at random, afresh in every run (the
//! baseline a planner compares against). With a count, that many distinct
//! people; with a budget, people in random order, each taken if the money
//! left pays for them, until nobody left is affordable. With `segments`,
//! only their people are drawn.

use rand::Rng;

use std::sync::Arc;

use super::kind::{within, Kind, Words, LIMIT_KEYS};
use super::{Context, Limit, SeedingStrategy, StrategyError};
use crate::graph::Node;
use crate::model::{RunSeeds, SeedScratch, Seeds};
use crate::rng::{self, Purpose};

/// `random`: people drawn at random afresh in every run.
pub const KIND: Kind = Kind {
    name: "random",
    about: "people drawn uniformly, afresh in every run (the baseline)",
    keys: LIMIT_KEYS,
    build: |keys| {
        Ok(Arc::new(Random {
            limit: keys.limit()?,
        }))
    },
};

/// Uniformly random seeds per run.
pub struct Random {
    pub limit: Limit,
}

impl SeedingStrategy for Random {
    fn working_bytes(&self, nodes: u64, _arcs: u64, _steps: u32, _workers: u64) -> u64 {
        16 * nodes
    }

    fn limit(&self) -> Option<Limit> {
        Some(self.limit)
    }

    fn describe(&self, words: &dyn Words) -> String {
        within(self.limit, words, "drawn at random afresh in every run")
    }

    fn choose(&self, ctx: &Context) -> Result<Seeds, StrategyError> {
        ctx.check_limit(self.limit)?;
        let seed = ctx.spread().seed;
        // Without segments everyone may be drawn, and the draws are of
        // node indices directly.
        let pool = ctx.allowed.map(|_| ctx.candidates());
        let nodes = pool.as_ref().map_or(ctx.graph.nodes(), |p| p.len() as u32);
        Ok(Seeds::PerRun(match self.limit {
            Limit::Count(count) => Box::new(RandomDraw {
                count,
                nodes,
                pool,
                seed,
            }),
            Limit::Budget(budget) => {
                let mut by_cost: Vec<Node> = pool.unwrap_or_else(|| (0..nodes).collect());
                by_cost.sort_by(|&a, &b| ctx.costs.of(a).total_cmp(&ctx.costs.of(b)));
                let cost = by_cost.iter().map(|&v| ctx.costs.of(v)).collect();
                Box::new(RandomWithin {
                    budget,
                    by_cost,
                    cost,
                    seed,
                })
            }
        }))
    }
}

struct RandomDraw {
    count: u32,
    /// How many people may be drawn.
    nodes: u32,
    /// Who they are, when not everyone (draw i is person `pool[i]`).
    pool: Option<Vec<Node>>,
    seed: u64,
}

impl RunSeeds for RandomDraw {
    /// Floyd's algorithm: k distinct values from 0..n in O(k) draws.
    fn draw(&self, run: u64, scratch: &mut SeedScratch, out: &mut Vec<Node>) {
        self.draw_indices(run, scratch, out);
        if let Some(pool) = &self.pool {
            for v in out.iter_mut() {
                *v = pool[*v as usize];
            }
        }
    }
}

impl RandomDraw {
    /// `count` distinct indices into the people who may be drawn.
    fn draw_indices(&self, run: u64, scratch: &mut SeedScratch, out: &mut Vec<Node>) {
        let mut stream = rng::stream(rng::run_key(self.seed, run, Purpose::Seeding));
        scratch.begin(self.nodes);
        out.clear();
        for j in (self.nodes - self.count)..self.nodes {
            let t = stream.random_range(0..=j);
            let pick = if scratch.pick(t) { t } else { j };
            if pick == j {
                scratch.pick(j);
            }
            out.push(pick);
        }
    }
}

/// Random people within a budget. Walking a random order of everyone and
/// taking whoever fits makes each next seed uniform among the people not
/// yet taken whom the money left pays for; drawing directly from those
/// (a prefix of everyone sorted by cost) gives the same law in
/// O(seeds + people passed over) rather than O(people).
struct RandomWithin {
    budget: f64,
    /// Everyone, cheapest first.
    by_cost: Vec<Node>,
    /// Their costs, in the same order.
    cost: Vec<f64>,
    seed: u64,
}

impl RunSeeds for RandomWithin {
    fn draw(&self, run: u64, scratch: &mut SeedScratch, out: &mut Vec<Node>) {
        let mut stream = rng::stream(rng::run_key(self.seed, run, Purpose::Seeding));
        // Stamps mark positions in `by_cost` already taken.
        scratch.begin(self.by_cost.len() as u32);
        out.clear();
        let mut spent = 0.0;
        // Positions 0..affordable pay for themselves with what is left;
        // `taken_below` of them are taken.
        let mut affordable = self.by_cost.len();
        let mut taken_below = 0usize;
        loop {
            let end = self.cost[..affordable].partition_point(|&c| spent + c <= self.budget);
            for i in end..affordable {
                taken_below -= scratch.is_picked(i as Node) as usize;
            }
            affordable = end;
            if taken_below == affordable {
                return;
            }
            let i = loop {
                let i = stream.random_range(0..affordable);
                if scratch.pick(i as Node) {
                    break i;
                }
            };
            taken_below += 1;
            spent += self.cost[i];
            out.push(self.by_cost[i]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_are_distinct_uniform_and_reproducible() {
        let d = RandomDraw {
            count: 3,
            nodes: 10,
            pool: None,
            seed: 5,
        };
        let mut scratch = SeedScratch::default();
        let mut hits = [0u32; 10];
        let runs = 20_000u64;
        let mut out = Vec::new();
        for r in 0..runs {
            d.draw(r, &mut scratch, &mut out);
            let mut s = out.clone();
            s.sort();
            s.dedup();
            assert_eq!(s.len(), 3);
            for &v in &out {
                hits[v as usize] += 1;
            }
        }
        // Each person is picked with probability 3/10; 5 binomial sd.
        let p = 0.3;
        let sd = (runs as f64 * p * (1.0 - p)).sqrt();
        for h in hits {
            assert!((h as f64 - runs as f64 * p).abs() < 5.0 * sd, "{hits:?}");
        }
        let mut a = Vec::new();
        d.draw(42, &mut scratch, &mut a);
        let mut b = Vec::new();
        d.draw(42, &mut SeedScratch::default(), &mut b);
        assert_eq!(a, b);
    }

    #[test]
    fn a_pool_draws_only_its_people_with_the_same_randomness() {
        let pool: Vec<Node> = vec![3, 8, 21, 40, 41];
        let within = RandomDraw {
            count: 2,
            nodes: 5,
            pool: Some(pool.clone()),
            seed: 9,
        };
        let plain = RandomDraw {
            count: 2,
            nodes: 5,
            pool: None,
            seed: 9,
        };
        let mut scratch = SeedScratch::default();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for run in 0..200 {
            within.draw(run, &mut scratch, &mut a);
            plain.draw(run, &mut scratch, &mut b);
            let mapped: Vec<Node> = b.iter().map(|&i| pool[i as usize]).collect();
            assert_eq!(a, mapped);
        }
    }

    #[test]
    fn drawing_everyone_gives_everyone() {
        let d = RandomDraw {
            count: 6,
            nodes: 6,
            pool: None,
            seed: 1,
        };
        let mut out = Vec::new();
        d.draw(0, &mut SeedScratch::default(), &mut out);
        out.sort();
        assert_eq!(out, vec![0, 1, 2, 3, 4, 5]);
    }
}
