//! The Monte Carlo engine: many independent runs of a spread model from a
//! seed set (fixed, or drawn afresh per run), in parallel. Each run writes
//! its own slice of the results, so the results are identical for any
//! thread count and run order. The runs' parallelism lives here; the few
//! graph algorithms that are parallel on their own (PageRank, the spectral
//! threshold, imm's sampling) follow the same rule: fixed work units,
//! combined in a fixed order.

use std::io::{self, Write};
use std::ops::Range;
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

/// Every run's cumulative counts, in run order, each run's curves kept
/// only up to the step after which nothing it counts changes.
///
/// Layout of `data`, the runs' records one after another (the format
/// [`Outcome::write_runs`] writes and [`Outcome::append_runs`] reads):
/// per run, `len` (1 to `steps + 1`: the steps recorded, the last step at
/// which any metric changed plus one), then per metric, in the order of
/// `metrics`, its counts at steps 0 to `len - 1` (every later step holds
/// the count at `len - 1`), then `segment_slots` final counts of people
/// reached per segment. So memory and the time to reduce runs follow the
/// cascades' length, not `steps`, and the records are the same whatever
/// the thread count.
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
    /// Where each run's record starts in `data`, and where the last ends.
    starts: Vec<usize>,
    /// The most steps any run recorded.
    longest: u32,
    /// Whether [`stop`] made [`extend`] skip some runs, whose counts are
    /// then zero: such an outcome must not be reduced.
    stopped: bool,
}

/// Why run records cannot be appended to an [`Outcome`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordsError {
    #[error("run record {run} ends early: {needed} counts needed, {left} left")]
    Truncated {
        run: u32,
        needed: usize,
        left: usize,
    },
    #[error("run record {run} says {len} steps recorded; allowed 1 to {max}")]
    Length { run: u32, len: u32, max: u32 },
    #[error("{runs} more runs would pass the limit of {max} runs")]
    TooMany { runs: u64, max: u32 },
}

impl Outcome {
    /// No runs yet of `model` over `steps` steps; [`extend`] adds them.
    pub fn empty<M: SpreadModel>(model: &M, steps: u32) -> Outcome {
        Outcome::with_layout(model.metrics(), model.segment_slots(), steps)
    }

    /// No runs yet recording `metrics` over `steps` steps, then
    /// `segment_slots` per-segment counts.
    pub fn with_layout(metrics: Vec<Metric>, segment_slots: usize, steps: u32) -> Outcome {
        Outcome {
            runs: 0,
            steps,
            metrics,
            segment_slots,
            first_run: 0,
            data: Vec::new(),
            starts: vec![0],
            longest: 0,
            stopped: false,
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

    /// Every run held, in run order, each with its whole curves (steps 0
    /// to `steps` of every metric, then the segment counts), as
    /// little-endian 32-bit words: what [`Outcome::read_runs`] reads back.
    pub fn write_runs(&self, out: &mut dyn Write) -> io::Result<()> {
        let full = self.steps as usize + 1;
        let mut bytes = Vec::with_capacity(1 << 16);
        for run in 0..self.runs {
            for m in 0..self.metrics.len() {
                let row = self.recorded(run, m);
                let last = row[row.len() - 1];
                for t in 0..full {
                    bytes.extend_from_slice(&row.get(t).copied().unwrap_or(last).to_le_bytes());
                }
            }
            for &c in self.segment_counts(run) {
                bytes.extend_from_slice(&c.to_le_bytes());
            }
            if bytes.len() >= 1 << 16 {
                out.write_all(&bytes)?;
                bytes.clear();
            }
        }
        out.write_all(&bytes)
    }

    /// Bytes [`Outcome::write_runs`] writes for `runs` runs of this
    /// outcome's metrics, steps and segment slots.
    pub fn bytes_for(&self, runs: u32) -> u64 {
        4 * ((self.steps as u64 + 1) * self.metrics.len() as u64 + self.segment_slots as u64)
            * runs as u64
    }

    /// Append `runs` runs read from `bytes` (as [`Outcome::write_runs`]
    /// wrote them for an outcome of the same metrics, steps and segment
    /// slots), numbered on from the runs held. None if `bytes` is not
    /// exactly that long.
    pub fn read_runs(&mut self, runs: u32, bytes: &[u8]) -> Option<()> {
        if bytes.len() as u64 != self.bytes_for(runs) {
            return None;
        }
        let words: Vec<u32> = bytes
            .chunks_exact(4)
            .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
            .collect();
        let full = self.steps as usize + 1;
        let rows = self.metrics.len();
        let mut records = Vec::new();
        for run in words.chunks_exact(rows * full + self.segment_slots) {
            compact(run, rows, full, full, &mut records);
        }
        self.append_runs(&records).ok()
    }

    /// Counts in the record of a run that recorded `len` steps.
    fn record_size(&self, len: usize) -> usize {
        1 + self.metrics.len() * len + self.segment_slots
    }

    /// Run `run`'s record: its length, rows and segment counts.
    #[inline]
    fn record(&self, run: u32) -> &[u32] {
        &self.data[self.starts[run as usize]..self.starts[run as usize + 1]]
    }

    /// Steps run `run` recorded: its counts at every later step equal
    /// those at the last of them.
    #[inline]
    pub fn recorded_steps(&self, run: u32) -> u32 {
        self.record(run)[0]
    }

    /// The most steps any run recorded (0 without runs): at every step
    /// from `longest_recorded() - 1` on, every run holds its final counts.
    pub fn longest_recorded(&self) -> u32 {
        self.longest
    }

    /// Metric `m`'s counts in run `run` at the steps it recorded.
    #[inline]
    pub fn recorded(&self, run: u32, m: usize) -> &[u32] {
        let record = self.record(run);
        let len = record[0] as usize;
        &record[1 + m * len..1 + (m + 1) * len]
    }

    /// Metric `m`'s count in run `run` at `step`.
    #[inline]
    pub fn value(&self, run: u32, m: usize, step: u32) -> u32 {
        let row = self.recorded(run, m);
        row[(step as usize).min(row.len() - 1)]
    }

    /// Metric `m`'s final count in run `run`.
    #[inline]
    pub fn final_value(&self, run: u32, m: usize) -> u32 {
        *self
            .recorded(run, m)
            .last()
            .expect("a run records at least step 0")
    }

    /// Whether [`stop`] cut some of the runs short: their counts are
    /// zeros, not results.
    pub fn stopped(&self) -> bool {
        self.stopped
    }

    /// Metric `m`'s whole curve in run `run`, steps 0 to `steps`.
    pub fn curve(&self, run: u32, m: usize) -> Vec<u32> {
        (0..=self.steps).map(|t| self.value(run, m, t)).collect()
    }

    /// People reached per segment slot by the end of run `run` (empty when
    /// none are recorded).
    pub fn segment_counts(&self, run: u32) -> &[u32] {
        let record = self.record(run);
        &record[record.len() - self.segment_slots..]
    }

    /// Metric `m`'s final value in every run, in run order.
    pub fn finals(&self, m: usize) -> Vec<f64> {
        (0..self.runs)
            .map(|r| self.final_value(r, m) as f64)
            .collect()
    }

    /// Metric `m` at `step` in every run, in run order.
    pub fn at_step(&self, m: usize, step: u32) -> Vec<f64> {
        (0..self.runs)
            .map(|r| self.value(r, m, step) as f64)
            .collect()
    }

    /// Metric `m`'s counts at `step` in every run, in run order.
    pub fn counts_at_step(&self, m: usize, step: u32) -> Vec<u32> {
        (0..self.runs).map(|r| self.value(r, m, step)).collect()
    }

    /// Position of `metric` among the recorded metrics.
    pub fn metric_index(&self, metric: Metric) -> Option<usize> {
        self.metrics.iter().position(|&m| m == metric)
    }

    /// The records of runs `runs` (see [`Outcome`] for their layout), one
    /// after another.
    pub fn records(&self, runs: Range<u32>) -> &[u32] {
        &self.data[self.starts[runs.start as usize]..self.starts[runs.end as usize]]
    }

    /// Write the records of runs `runs` to `out`, each count as 4 bytes
    /// little-endian; [`Outcome::append_runs`] reads them back.
    pub fn write_records(&self, runs: Range<u32>, out: &mut impl Write) -> io::Result<()> {
        let mut buf = Vec::with_capacity(64 << 10);
        for chunk in self.records(runs).chunks(16 << 10) {
            buf.clear();
            buf.extend(chunk.iter().flat_map(|c| c.to_le_bytes()));
            out.write_all(&buf)?;
        }
        Ok(())
    }

    /// Append run records (see [`Outcome`] for their layout) made for the
    /// same metrics, segment slots and steps, as the next runs: with the
    /// records of runs `0..k` and then `k..n` from [`Outcome::records`]
    /// this rebuilds the outcome of runs `0..n` exactly. On error nothing
    /// is appended.
    pub fn append_runs(&mut self, records: &[u32]) -> Result<(), RecordsError> {
        let max = self.steps.saturating_add(1);
        let mut starts = Vec::new();
        let mut longest = self.longest;
        let mut at = 0usize;
        let mut run = self.runs;
        while at < records.len() {
            let len = records[at];
            if len == 0 || len > max {
                return Err(RecordsError::Length { run, len, max });
            }
            let size = self.record_size(len as usize);
            if records.len() - at < size {
                return Err(RecordsError::Truncated {
                    run,
                    needed: size,
                    left: records.len() - at,
                });
            }
            at += size;
            starts.push(self.data.len() + at);
            longest = longest.max(len);
            run = run.checked_add(1).ok_or(RecordsError::TooMany {
                runs: starts.len() as u64,
                max: u32::MAX,
            })?;
        }
        self.data.extend_from_slice(records);
        self.starts.extend(starts);
        self.runs = run;
        self.longest = longest;
        Ok(())
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

/// Runs per unit of parallel work at most: large enough that setting up a
/// worker's workspace is amortised, small enough to balance two to many
/// cores.
pub const BLOCK: usize = 16;

/// Runs per unit of parallel work for `count` runs on `threads` threads:
/// [`BLOCK`], or fewer when that would leave fewer than 16 units per
/// thread (long runs, few of them: a thread left with one block more than
/// another would wait for it). Blocks only group runs: their size changes
/// no record.
fn block_size(count: u32, threads: usize) -> usize {
    (count as usize / (16 * threads.max(1))).clamp(1, BLOCK)
}

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

/// What a worker reuses from block to block.
struct Worker<W> {
    ws: W,
    scratch: SeedScratch,
    drawn: Vec<Node>,
    accepted: Vec<Node>,
    /// One run's whole record, every step of every row.
    record: Vec<u32>,
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
    let first = outcome.first_run as u64 + outcome.runs as u64;
    let end = first + count as u64;
    let rows = outcome.metrics.len();
    let slots = outcome.segment_slots;
    let full = steps as usize + 1;
    let block_runs = block_size(count, rayon::current_num_threads());
    let blocks = (count as usize).div_ceil(block_runs);
    // Each block compacts its runs into a buffer of its own (no two
    // threads write near each other), and the buffers are joined in run
    // order: the same records for any thread count.
    let records: Vec<(Vec<u32>, bool)> = (0..blocks)
        .into_par_iter()
        .map_init(
            || Worker {
                ws: model.workspace(),
                scratch: SeedScratch::default(),
                drawn: Vec::new(),
                accepted: Vec::new(),
                record: vec![0; rows * full + slots],
            },
            |w, block| {
                let from = first + (block * block_runs) as u64;
                let to = (from + block_runs as u64).min(end);
                let mut out = Vec::with_capacity((to - from) as usize * (1 + rows * 8 + slots));
                if stopping() {
                    // Zero counts, which whoever stopped the runs discards.
                    for _ in from..to {
                        out.push(1);
                        out.resize(out.len() + rows + slots, 0);
                    }
                    return (out, true);
                }
                for run in from..to {
                    let mut run_seeds: &[Node] = match seeds {
                        Seeds::Fixed(s) => s,
                        Seeds::PerRun(rule) => {
                            rule.draw(run, &mut w.scratch, &mut w.drawn);
                            &w.drawn
                        }
                    };
                    if !acceptance.is_certain() {
                        w.accepted.clear();
                        w.accepted.extend(
                            run_seeds
                                .iter()
                                .copied()
                                .filter(|&v| acceptance.accepts(run, v)),
                        );
                        run_seeds = &w.accepted;
                    }
                    let mut held = full;
                    model.run(
                        &mut w.ws,
                        run_seeds,
                        run,
                        RunRecord::compact(&mut w.record, steps, &mut held),
                    );
                    compact(&w.record, rows, full, held, &mut out);
                }
                progress(to - from);
                (out, false)
            },
        )
        .collect();
    // The blocks are joined in run order: each copied into its own part
    // of the records, in parallel, with where each of its runs ends.
    let size = |len: usize| 1 + rows * len + slots;
    let old = outcome.data.len();
    let added: usize = records.iter().map(|(block, _)| block.len()).sum();
    let mut data = std::mem::take(&mut outcome.data);
    if old == 0 {
        // Fresh pages, zeroed by the system as they are first written.
        data = vec![0; added];
    } else {
        data.resize(old + added, 0);
    }
    // Each block's part of the records, and where it starts.
    let mut parts = Vec::with_capacity(records.len());
    let (mut rest, mut base) = (&mut data[old..], old);
    for (block, _) in &records {
        let (part, tail) = rest.split_at_mut(block.len());
        parts.push((part, base));
        (rest, base) = (tail, base + block.len());
    }
    let ends: Vec<(Vec<usize>, u32)> = records
        .par_iter()
        .zip(parts)
        .map(|((block, _), (part, base))| {
            part.copy_from_slice(block);
            let (mut ends, mut longest, mut at) = (Vec::with_capacity(block_runs), 0, 0);
            while at < block.len() {
                let len = block[at];
                longest = longest.max(len);
                at += size(len as usize);
                ends.push(base + at);
            }
            (ends, longest)
        })
        .collect();
    outcome.data = data;
    outcome.starts.reserve_exact(count as usize);
    for ((ends, longest), (_, skipped)) in ends.into_iter().zip(&records) {
        outcome.starts.extend(ends);
        outcome.longest = outcome.longest.max(longest);
        outcome.stopped |= skipped;
    }
    outcome.runs += count;
}

/// Append to `out` the record of a run whose counts from step `held` on
/// hold: its length, trimmed to the last step at which any row changed,
/// then each row up to it, then the `data` after the rows.
#[inline]
fn compact(data: &[u32], rows: usize, full: usize, held: usize, out: &mut Vec<u32>) {
    let (curves, segments) = data.split_at(rows * full);
    let mut len = held;
    while len > 1
        && curves
            .chunks_exact(full)
            .all(|row| row[len - 1] == row[len - 2])
    {
        len -= 1;
    }
    out.push(len as u32);
    for row in curves.chunks_exact(full) {
        out.extend_from_slice(&row[..len]);
    }
    out.extend_from_slice(segments);
}

#[cfg(test)]
mod tests {
    use super::{block_size, compact, BLOCK};

    #[test]
    fn few_runs_are_split_finer_so_threads_finish_together() {
        assert_eq!(block_size(50_000, 2), BLOCK);
        assert_eq!(block_size(200, 2), 6);
        assert_eq!(block_size(100, 8), 1);
        assert_eq!(block_size(0, 1), 1);
        assert_eq!(block_size(u32::MAX, 0), BLOCK);
    }

    #[test]
    fn compact_keeps_steps_up_to_the_last_change_of_any_row() {
        // Two rows of 6 steps, then 2 segment counts; held from step 5.
        let data = [1, 2, 2, 2, 2, 9, 0, 0, 3, 3, 3, 9, 7, 8];
        let mut out = Vec::new();
        compact(&data, 2, 6, 5, &mut out);
        // Row 1 changes last at step 2: three steps kept.
        assert_eq!(out, [3, 1, 2, 2, 0, 0, 3, 7, 8]);
        // Nothing ever changes: step 0 alone.
        out.clear();
        compact(&[4, 4, 4, 5, 5, 5], 2, 3, 3, &mut out);
        assert_eq!(out, [1, 4, 5]);
    }
}
