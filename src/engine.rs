//! The Monte Carlo engine: many independent runs of a spread model from a
//! seed set (fixed, or drawn afresh per run), in parallel. Each run writes
//! its own slice of the results, so the results are identical for any
//! thread count and run order. The runs' parallelism lives here; the few
//! graph algorithms that are parallel on their own (PageRank, the spectral
//! threshold, imm's sampling) follow the same rule: fixed work units,
//! combined in a fixed order.

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::graph::Node;
use crate::model::{Metric, RunRecord, SeedScratch, Seeds, SpreadModel};
use crate::rng::{self, Purpose};

/// Whether an invited person really posts: decided per run and person from
/// the scenario seed alone, so in run r the same people decline whatever
/// strategy invited them (common random numbers). A person who declines
/// takes no part as a seed; word of mouth may still reach them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Acceptance {
    threshold: u32,
    seed: u64,
}

impl Acceptance {
    /// Everyone invited posts.
    pub const ALL: Acceptance = Acceptance {
        threshold: u32::MAX,
        seed: 0,
    };

    /// Each invited person posts with probability `p` (in [0, 1]), decided
    /// from `seed`.
    pub fn new(p: f64, seed: u64) -> Acceptance {
        Acceptance {
            threshold: rng::threshold(p),
            seed,
        }
    }

    /// Whether everyone posts.
    pub fn is_certain(&self) -> bool {
        self.threshold == u32::MAX
    }

    /// Whether `v`, invited, posts in run `run`.
    #[inline]
    pub fn accepts(&self, run: u64, v: Node) -> bool {
        self.is_certain()
            || rng::succeeds(
                rng::coin(rng::run_key(self.seed, run, Purpose::Acceptance), v as u64),
                self.threshold,
            )
    }
}

/// Every run's cumulative counts, run-major: per run `metrics x (steps +
/// 1)` counts, then `segment_slots` final counts of people reached per
/// segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub runs: u32,
    pub steps: u32,
    pub metrics: Vec<Metric>,
    /// Final reach counts per segment slot in each run (0: none recorded).
    pub segment_slots: usize,
    /// The number of the first run held: 0, or where a shard's range of
    /// runs starts (see [`Outcome::starting_at`]).
    pub first_run: u32,
    data: Vec<u32>,
}

impl Outcome {
    /// No runs yet of `model` over `steps` steps; [`extend`] adds them.
    pub fn empty<M: SpreadModel>(model: &M, steps: u32) -> Outcome {
        Outcome {
            runs: 0,
            steps,
            metrics: model.metrics(),
            segment_slots: model.segment_slots(),
            first_run: 0,
            data: Vec::new(),
        }
    }

    /// No runs yet of `model` over `steps` steps, the first to be added
    /// being run number `first_run`: a shard's range of runs.
    pub fn starting_at<M: SpreadModel>(model: &M, steps: u32, first_run: u32) -> Outcome {
        Outcome {
            first_run,
            ..Outcome::empty(model, steps)
        }
    }

    /// The raw counts of every run held, in run order, as little-endian
    /// 32-bit words: what [`Outcome::read_runs`] reads back.
    pub fn write_runs(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        // In pieces, so that writing never doubles the memory held.
        let mut bytes = Vec::with_capacity(1 << 16);
        for words in self.data.chunks(1 << 14) {
            bytes.clear();
            for &w in words {
                bytes.extend_from_slice(&w.to_le_bytes());
            }
            out.write_all(&bytes)?;
        }
        Ok(())
    }

    /// Bytes [`Outcome::write_runs`] writes for `runs` runs of this
    /// outcome's metrics, steps and segment slots.
    pub fn bytes_for(&self, runs: u32) -> u64 {
        4 * self.stride() as u64 * runs as u64
    }

    /// Append `runs` runs read from `bytes` (as [`Outcome::write_runs`]
    /// wrote them for an outcome of the same metrics, steps and segment
    /// slots), numbered on from the runs held. None if `bytes` is not
    /// exactly that long.
    pub fn read_runs(&mut self, runs: u32, bytes: &[u8]) -> Option<()> {
        if bytes.len() as u64 != self.bytes_for(runs) {
            return None;
        }
        self.data.reserve_exact(bytes.len() / 4);
        self.data.extend(
            bytes
                .chunks_exact(4)
                .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]])),
        );
        self.runs += runs;
        Some(())
    }

    /// Counts one run records.
    fn stride(&self) -> usize {
        self.metrics.len() * (self.steps as usize + 1) + self.segment_slots
    }

    /// Metric `m`'s curve in run `run`.
    pub fn curve(&self, run: u32, m: usize) -> &[u32] {
        let len = self.steps as usize + 1;
        let start = run as usize * self.stride() + m * len;
        &self.data[start..start + len]
    }

    /// People reached per segment slot by the end of run `run` (empty when
    /// none are recorded).
    pub fn segment_counts(&self, run: u32) -> &[u32] {
        let end = (run as usize + 1) * self.stride();
        &self.data[end - self.segment_slots..end]
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

/// Set by [`stop`]: blocks of runs not yet started are skipped.
static STOP: AtomicBool = AtomicBool::new(false);

/// Ask every simulation in this process to stop (`true`) or let them run
/// again (`false`). A stopped simulation skips the blocks of runs it has not
/// started, leaving their counts zero: whoever stops it discards its results
/// (a caller without a terminal to catch Ctrl-C, such as a Python notebook,
/// stops this way within a block of runs).
pub fn stop(yes: bool) {
    STOP.store(yes, Ordering::Relaxed);
}

/// Whether [`stop`] asked the simulations to stop.
pub fn stopping() -> bool {
    STOP.load(Ordering::Relaxed)
}

/// Runs per unit of parallel work: large enough that setting up a worker's
/// workspace is amortised, small enough to balance two to many cores.
pub const BLOCK: usize = 16;

/// Simulate `runs` runs of `model` from `seeds`, of whom those who accept
/// (per `acceptance`) post, recording `steps + 1` points per metric.
/// `progress` is told how many runs finished, block by block, from any
/// thread.
pub fn simulate<M: SpreadModel>(
    model: &M,
    seeds: &Seeds,
    acceptance: Acceptance,
    runs: u32,
    steps: u32,
    progress: &(dyn Fn(u64) + Sync),
) -> Outcome {
    let mut outcome = Outcome::empty(model, steps);
    extend(&mut outcome, model, seeds, acceptance, runs, progress);
    outcome
}

/// Simulate the next `count` runs of `model`, numbers `outcome.runs` to
/// `outcome.runs + count - 1`, and append them to `outcome` (made by
/// [`Outcome::empty`] or [`simulate`] for the same model, seeds and
/// acceptance). A run is a pure function of its number, so runs made in
/// several batches are exactly those one call makes. `progress` is told
/// how many runs finished, block by block, from any thread.
pub fn extend<M: SpreadModel>(
    outcome: &mut Outcome,
    model: &M,
    seeds: &Seeds,
    acceptance: Acceptance,
    count: u32,
    progress: &(dyn Fn(u64) + Sync),
) {
    debug_assert_eq!(outcome.metrics, model.metrics());
    debug_assert_eq!(outcome.segment_slots, model.segment_slots());
    let steps = outcome.steps;
    let held = outcome.runs as usize;
    let first = outcome.first_run as usize + held;
    let stride = outcome.stride();
    let done = outcome.data.len();
    debug_assert_eq!(done, held * stride);
    // Batches grow geometrically, so exact reservations copy little and
    // keep the results at their checked size.
    outcome.data.reserve_exact(count as usize * stride);
    outcome.data.resize(done + count as usize * stride, 0);
    outcome.data[done..]
        .par_chunks_mut(stride * BLOCK)
        .enumerate()
        .for_each_init(
            || {
                (
                    model.workspace(),
                    SeedScratch::default(),
                    Vec::<Node>::new(),
                    Vec::<Node>::new(),
                )
            },
            |(ws, scratch, drawn, accepted), (block, chunk)| {
                if stopping() {
                    return;
                }
                for (i, record) in chunk.chunks_mut(stride).enumerate() {
                    let run = (first + block * BLOCK + i) as u64;
                    let mut run_seeds: &[Node] = match seeds {
                        Seeds::Fixed(s) => s,
                        Seeds::PerRun(rule) => {
                            rule.draw(run, scratch, drawn);
                            drawn
                        }
                    };
                    if !acceptance.is_certain() {
                        accepted.clear();
                        accepted.extend(
                            run_seeds
                                .iter()
                                .copied()
                                .filter(|&v| acceptance.accepts(run, v)),
                        );
                        run_seeds = accepted;
                    }
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
    outcome.runs += count;
}
