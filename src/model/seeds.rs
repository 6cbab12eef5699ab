//! Who starts a run: the seed set a strategy chose, the same in every run
//! or drawn afresh per run as a pure function of the run index. A model
//! may hold seeds of its own (the rival content's), so they live here,
//! before the engine that feeds a strategy's seeds to the runs.

use crate::graph::Node;

/// Seeds a strategy chose.
pub enum Seeds {
    /// The same people in every run.
    Fixed(Vec<Node>),
    /// A fresh set per run.
    PerRun(Box<dyn RunSeeds>),
}

/// A rule drawing a seed set per run, a pure function of the run index.
pub trait RunSeeds: Send + Sync {
    /// Fill `out` with run `run`'s seeds (distinct), using `scratch` as
    /// reusable workspace.
    fn draw(&self, run: u64, scratch: &mut SeedScratch, out: &mut Vec<Node>);
}

/// Reusable per-worker memory for drawing seeds.
#[derive(Debug, Default)]
pub struct SeedScratch {
    stamp: Vec<u32>,
    epoch: u32,
}

impl SeedScratch {
    /// Start a new draw over `nodes` people with nobody picked.
    pub fn begin(&mut self, nodes: u32) {
        if self.stamp.len() != nodes as usize || self.epoch == u32::MAX {
            self.stamp = vec![0; nodes as usize];
            self.epoch = 0;
        }
        self.epoch += 1;
    }

    /// Whether `v` is picked in this draw.
    pub fn is_picked(&self, v: Node) -> bool {
        self.stamp[v as usize] == self.epoch
    }

    /// Pick `v`; false if already picked in this draw.
    pub fn pick(&mut self, v: Node) -> bool {
        let s = &mut self.stamp[v as usize];
        if *s == self.epoch {
            false
        } else {
            *s = self.epoch;
            true
        }
    }
}
