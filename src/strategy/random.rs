//! `random`: `count` people drawn uniformly without replacement, afresh in
//! every run (the baseline a planner compares against).

use rand::Rng;

use super::{Context, RunSeeds, SeedScratch, SeedingStrategy, Seeds, StrategyError};
use crate::graph::Node;
use crate::rng::{self, Purpose};

/// Uniformly random seeds per run.
pub struct Random {
    pub count: u32,
}

impl SeedingStrategy for Random {
    fn choose(&self, ctx: &Context) -> Result<Seeds, StrategyError> {
        ctx.check_count(self.count)?;
        Ok(Seeds::PerRun(Box::new(RandomDraw {
            count: self.count,
            nodes: ctx.graph.nodes(),
            seed: ctx.scenario.simulation.seed,
        })))
    }
}

struct RandomDraw {
    count: u32,
    nodes: u32,
    seed: u64,
}

impl RunSeeds for RandomDraw {
    fn count(&self) -> u32 {
        self.count
    }

    /// Floyd's algorithm: k distinct values from 0..n in O(k) draws.
    fn draw(&self, run: u64, scratch: &mut SeedScratch, out: &mut Vec<Node>) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_are_distinct_uniform_and_reproducible() {
        let d = RandomDraw {
            count: 3,
            nodes: 10,
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
    fn drawing_everyone_gives_everyone() {
        let d = RandomDraw {
            count: 6,
            nodes: 6,
            seed: 1,
        };
        let mut out = Vec::new();
        d.draw(0, &mut SeedScratch::default(), &mut out);
        out.sort();
        assert_eq!(out, vec![0, 1, 2, 3, 4, 5]);
    }
}
