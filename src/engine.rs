//! The Monte Carlo engine: many independent runs of a spread model from a
//! strategy's seeds, in parallel. Each run writes its own slice of the
//! results, so the results are identical for any thread count and run
//! order. Parallelism lives here and nowhere else.

use rayon::prelude::*;

use crate::graph::Node;
use crate::model::{Metric, RunRecord, SpreadModel};
use crate::strategy::{SeedScratch, Seeds};

/// Every run's cumulative counts: `runs x metrics x (steps + 1)`, run-major.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub runs: u32,
    pub steps: u32,
    pub metrics: &'static [Metric],
    data: Vec<u32>,
}

impl Outcome {
    /// Metric `m`'s curve in run `run`.
    pub fn curve(&self, run: u32, m: usize) -> &[u32] {
        let len = self.steps as usize + 1;
        let start = (run as usize * self.metrics.len() + m) * len;
        &self.data[start..start + len]
    }

    /// Metric `m`'s final value in every run, in run order.
    pub fn finals(&self, m: usize) -> Vec<f64> {
        (0..self.runs)
            .map(|r| *self.curve(r, m).last().expect("steps + 1 >= 1") as f64)
            .collect()
    }

    /// Metric `m` at `step` in every run, in run order.
    pub fn at_step(&self, m: usize, step: u32) -> Vec<f64> {
        (0..self.runs)
            .map(|r| self.curve(r, m)[step as usize] as f64)
            .collect()
    }

    /// Position of `metric` among the recorded metrics.
    pub fn metric_index(&self, metric: Metric) -> Option<usize> {
        self.metrics.iter().position(|&m| m == metric)
    }
}

/// Runs per unit of parallel work: large enough that setting up a worker's
/// workspace is amortised, small enough to balance two to many cores.
const BLOCK: usize = 16;

/// Simulate `runs` runs of `model` from `seeds`, recording `steps + 1`
/// points per metric. `progress` is told how many runs finished, block by
/// block, from any thread.
pub fn simulate<M: SpreadModel>(
    model: &M,
    seeds: &Seeds,
    runs: u32,
    steps: u32,
    progress: &(dyn Fn(u64) + Sync),
) -> Outcome {
    let metrics = model.metrics();
    let stride = metrics.len() * (steps as usize + 1);
    let mut data = vec![0u32; runs as usize * stride];
    data.par_chunks_mut(stride * BLOCK)
        .enumerate()
        .for_each_init(
            || {
                (
                    model.workspace(),
                    SeedScratch::default(),
                    Vec::<Node>::new(),
                )
            },
            |(ws, scratch, drawn), (block, chunk)| {
                for (i, record) in chunk.chunks_mut(stride).enumerate() {
                    let run = (block * BLOCK + i) as u64;
                    let run_seeds: &[Node] = match seeds {
                        Seeds::Fixed(s) => s,
                        Seeds::PerRun(rule) => {
                            rule.draw(run, scratch, drawn);
                            drawn
                        }
                    };
                    model.run(
                        ws,
                        run_seeds,
                        run,
                        RunRecord {
                            data: record,
                            steps,
                        },
                    );
                }
                progress((chunk.len() / stride) as u64);
            },
        );
    Outcome {
        runs,
        steps,
        metrics,
        data,
    }
}
