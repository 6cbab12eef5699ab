//! Statistics over runs: pure functions on slices, reduced sequentially in
//! run order so every figure is identical for any thread count.

use serde::Serialize;

/// Summary of one figure over runs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Summary {
    pub mean: f64,
    /// Sample standard deviation across runs.
    pub std: f64,
    /// 95% confidence interval of the mean (Student t).
    pub ci95_low: f64,
    pub ci95_high: f64,
    /// Percentiles across runs (linear interpolation between order
    /// statistics, as numpy's default).
    pub p05: f64,
    pub p50: f64,
    pub p95: f64,
}

/// Mean and sample standard deviation (two-pass, for accuracy).
pub fn mean_std(values: &[f64]) -> (f64, f64) {
    let n = values.len();
    if n == 0 {
        return (f64::NAN, f64::NAN);
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    if n < 2 {
        return (mean, 0.0);
    }
    let ss: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
    (mean, (ss / (n - 1) as f64).sqrt())
}

/// The `q` quantile (0..=1) of sorted `values`, linear interpolation.
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Two-sided 97.5% quantile of Student's t with `dof` degrees of freedom.
/// Exact table for small dof; above, the Cornish–Fisher expansion around the
/// normal quantile (error below 1e-5 for dof >= 30).
pub fn t975(dof: usize) -> f64 {
    const TABLE: [f64; 30] = [
        12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004, 2.262157,
        2.228139, 2.200985, 2.178813, 2.160369, 2.144787, 2.131450, 2.119905, 2.109816, 2.100922,
        2.093024, 2.085963, 2.079614, 2.073873, 2.068658, 2.063899, 2.059539, 2.055529, 2.051831,
        2.048407, 2.045230, 2.042272,
    ];
    if dof == 0 {
        return f64::INFINITY;
    }
    if dof <= TABLE.len() {
        return TABLE[dof - 1];
    }
    let z = 1.959_963_984_540_054_f64;
    let v = dof as f64;
    let z3 = z.powi(3);
    let z5 = z.powi(5);
    let z7 = z.powi(7);
    z + (z3 + z) / (4.0 * v)
        + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * v * v)
        + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * v * v * v)
}

/// Half-width of the 95% confidence interval of the mean of `n` runs with
/// sample standard deviation `std`.
pub fn ci95_half_width(std: f64, n: usize) -> f64 {
    if n < 2 {
        return f64::INFINITY;
    }
    t975(n - 1) * std / (n as f64).sqrt()
}

/// Half width of the 95% confidence interval of the mean of `values`,
/// relative to the mean's size (0.01: the interval is the mean ± 1%).
/// Values that are all equal give 0, all zeros included (nothing varies,
/// so the mean is exact); values that vary around a mean of exactly 0
/// give infinity (no relative width can be reached); fewer than 2 values
/// give infinity.
pub fn relative_ci95_half_width(values: &[f64]) -> f64 {
    if values.len() < 2 {
        return f64::INFINITY;
    }
    let (mean, std) = mean_std(values);
    if std == 0.0 {
        return 0.0;
    }
    if mean == 0.0 {
        return f64::INFINITY;
    }
    ci95_half_width(std, values.len()) / mean.abs()
}

/// Summarise `values` (sorted in place).
pub fn summarize(values: &mut [f64]) -> Summary {
    let (mean, std) = mean_std(values);
    let half = ci95_half_width(std, values.len());
    values.sort_unstable_by(f64::total_cmp);
    Summary {
        mean,
        std,
        ci95_low: mean - half,
        ci95_high: mean + half,
        p05: quantile_sorted(values, 0.05),
        p50: quantile_sorted(values, 0.50),
        p95: quantile_sorted(values, 0.95),
    }
}

/// Summarise counts (possibly reordered): exactly [`summarize`] of the
/// same values as `f64`, in the same order, without sorting floats.
pub fn summarize_counts(counts: &mut [u32]) -> Summary {
    let [summary] = summarize_rows([counts]);
    summary
}

/// Summarise consecutive rows of `row` counts each (the last may be
/// shorter), each exactly as [`summarize_counts`] would, in row order.
pub fn summarize_count_rows(counts: &mut [u32], row: usize) -> Vec<Summary> {
    if row == 0 {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(counts.len().div_ceil(row));
    let mut groups = counts.chunks_exact_mut(ROWS_AT_ONCE * row);
    for group in &mut groups {
        let mut rows = group.chunks_exact_mut(row);
        out.extend(summarize_rows::<ROWS_AT_ONCE>(std::array::from_fn(|_| {
            rows.next().expect("a group holds whole rows")
        })));
    }
    out.extend(
        groups
            .into_remainder()
            .chunks_mut(row)
            .map(summarize_counts),
    );
    out
}

/// Rows [`summarize_count_rows`] reduces side by side.
const ROWS_AT_ONCE: usize = 4;

/// Summaries of `K` rows of equal length. Each row's sum of squares is
/// added in its own order, as [`summarize`] adds it; interleaving the rows
/// only lets the additions of one overlap those of the others, so every
/// bit is the same as one row at a time.
fn summarize_rows<const K: usize>(mut rows: [&mut [u32]; K]) -> [Summary; K] {
    let n = rows[0].len();
    assert!(rows.iter().all(|r| r.len() == n), "rows of equal length");
    // Whole numbers add up exactly in f64 while the sum stays below 2^53,
    // so the sum of the counts as integers is the float sum, bit for bit.
    let mut max = [0u32; K];
    let mut mean = [f64::NAN; K];
    for (k, counts) in rows.iter().enumerate() {
        let (total, top) = counts
            .iter()
            .fold((0u64, 0u32), |(t, m), &c| (t + c as u64, m.max(c)));
        max[k] = top;
        if n > 0 {
            let sum = if total < 1 << 53 {
                total as f64
            } else {
                counts.iter().map(|&c| c as f64).sum::<f64>()
            };
            mean[k] = sum / n as f64;
        }
    }
    let std = match n {
        0 => [f64::NAN; K],
        1 => [0.0; K],
        _ => {
            let mut ss = [0.0f64; K];
            for i in 0..n {
                for ((acc, row), m) in ss.iter_mut().zip(&rows).zip(mean) {
                    let d = row[i] as f64 - m;
                    *acc += d * d;
                }
            }
            ss.map(|ss| (ss / (n - 1) as f64).sqrt())
        }
    };
    let ranks = Ranks::of_rows(&mut rows, max);
    std::array::from_fn(|k| {
        let (counts, ranks) = (&*rows[k], &ranks[k]);
        let half = ci95_half_width(std[k], n);
        let quantile = |q: f64| {
            if n == 0 {
                return f64::NAN;
            }
            let h = (n - 1) as f64 * q;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            let (low, high) = (ranks.get(counts, lo) as f64, ranks.get(counts, hi) as f64);
            low + (h - lo as f64) * (high - low)
        };
        Summary {
            mean: mean[k],
            std: std[k],
            ci95_low: mean[k] - half,
            ci95_high: mean[k] + half,
            p05: quantile(0.05),
            p50: quantile(0.50),
            p95: quantile(0.95),
        }
    })
}

/// Order statistics of counts. Counts of a cascade are mostly small, so
/// a histogram finds any rank in one pass over the values and one over
/// the range; wide ranges are sorted instead.
enum Ranks {
    /// Cumulative number of counts up to each value.
    Histogram(Vec<u32>),
    /// The counts are sorted in place.
    Sorted,
}

impl Ranks {
    /// The ranks of each row of `rows`, whose largest counts are `max`.
    /// Rows ranked by histogram are counted side by side: runs often end
    /// with equal counts, and one row's increments of the same slot would
    /// otherwise each wait for the last.
    fn of_rows<const K: usize>(rows: &mut [&mut [u32]; K], max: [u32; K]) -> [Ranks; K] {
        let mut ranks: [Ranks; K] = std::array::from_fn(|k| {
            if max[k] as usize <= 4 * rows[k].len() {
                Ranks::Histogram(vec![0u32; max[k] as usize + 1])
            } else {
                rows[k].sort_unstable();
                Ranks::Sorted
            }
        });
        let n = rows[0].len();
        // A sorted row has no table (a histogram has at least one slot).
        let mut tables: [&mut [u32]; K] = std::array::from_fn(|_| &mut [][..]);
        for (table, r) in tables.iter_mut().zip(&mut ranks) {
            if let Ranks::Histogram(h) = r {
                *table = h;
            }
        }
        if tables.iter().all(|t| !t.is_empty()) {
            for i in 0..n {
                for (table, row) in tables.iter_mut().zip(rows.iter()) {
                    table[row[i] as usize] += 1;
                }
            }
        } else {
            for (table, row) in tables.iter_mut().zip(rows.iter()) {
                if !table.is_empty() {
                    for &c in row.iter() {
                        table[c as usize] += 1;
                    }
                }
            }
        }
        for table in tables {
            let mut total = 0;
            for c in table {
                total += *c;
                *c = total;
            }
        }
        ranks
    }

    /// The `rank`-th smallest of `counts` (from 0).
    fn get(&self, counts: &[u32], rank: usize) -> u32 {
        match self {
            Ranks::Histogram(cumulative) => {
                cumulative.partition_point(|&below| below as usize <= rank) as u32
            }
            Ranks::Sorted => counts[rank],
        }
    }
}

/// Paired difference `a - b` run by run (common random numbers).
pub fn paired_difference(a: &[f64], b: &[f64]) -> Summary {
    assert_eq!(a.len(), b.len(), "paired samples have equal run counts");
    let mut d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    summarize(&mut d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_std_and_quantiles_match_hand_values() {
        let mut v = vec![4.0, 1.0, 3.0, 2.0, 5.0];
        let s = summarize(&mut v);
        assert_eq!(s.mean, 3.0);
        assert!((s.std - 2.5f64.sqrt()).abs() < 1e-12);
        // numpy.percentile([1,2,3,4,5], [5, 50, 95]) = [1.2, 3, 4.8]
        assert!((s.p05 - 1.2).abs() < 1e-12);
        assert_eq!(s.p50, 3.0);
        assert!((s.p95 - 4.8).abs() < 1e-12);
        let half = 2.776445 * 2.5f64.sqrt() / 5f64.sqrt();
        assert!((s.ci95_high - 3.0 - half).abs() < 1e-9);
    }

    #[test]
    fn t_quantile_is_continuous_with_the_table_and_tends_to_normal() {
        // Exact values: t(0.975, 31) = 2.039513, t(0.975, 100) = 1.983972, t(0.975, 1000) = 1.962339.
        assert!((t975(31) - 2.039513).abs() < 2e-5);
        assert!((t975(100) - 1.983972).abs() < 1e-5);
        assert!((t975(1000) - 1.962339).abs() < 1e-5);
        assert!((t975(10_000_000) - 1.959964).abs() < 1e-5);
    }

    #[test]
    fn relative_half_width_is_the_ci_over_the_mean() {
        let v = [4.0, 1.0, 3.0, 2.0, 5.0];
        let half = 2.776445 * 2.5f64.sqrt() / 5f64.sqrt();
        assert!((relative_ci95_half_width(&v) - half / 3.0).abs() < 1e-9);
        let negative: Vec<f64> = v.iter().map(|x| -x).collect();
        assert_eq!(
            relative_ci95_half_width(&negative),
            relative_ci95_half_width(&v)
        );
        assert_eq!(relative_ci95_half_width(&[0.0; 4]), 0.0);
        assert_eq!(relative_ci95_half_width(&[7.0; 4]), 0.0);
        assert_eq!(relative_ci95_half_width(&[-1.0, 1.0]), f64::INFINITY);
        assert_eq!(relative_ci95_half_width(&[3.0]), f64::INFINITY);
    }

    /// Every figure of a summary, bit for bit.
    fn bits(s: &Summary) -> [u64; 7] {
        [s.mean, s.std, s.ci95_low, s.ci95_high, s.p05, s.p50, s.p95].map(f64::to_bits)
    }

    /// Counts below a given bound, from a xorshift stream started at `x`.
    fn counts_from(mut x: u64) -> impl FnMut(u64) -> u32 {
        move |m| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % m) as u32
        }
    }

    #[test]
    fn counts_summarise_exactly_as_their_floats() {
        // Narrow ranges take the histogram, wide ones the sort; both must
        // give the very bits of the float summary.
        let mut next = counts_from(0x9e37_79b9_7f4a_7c15);
        for (n, range) in [
            (0, 5),
            (1, 5),
            (2, 1),
            (7, 3),
            (100, 40),
            (1000, 1 << 30),
            (999, 9),
        ] {
            let counts: Vec<u32> = (0..n).map(|_| next(range)).collect();
            let mut floats: Vec<f64> = counts.iter().map(|&c| c as f64).collect();
            let a = summarize(&mut floats);
            let b = summarize_counts(&mut counts.clone());
            assert_eq!(bits(&a), bits(&b), "{n} counts below {range}");
        }
        // Counts whose total passes 2^53, where floats stop adding whole
        // numbers exactly: still the float summary's bits.
        let counts: Vec<u32> = (0..(1 << 21) + 5).map(|_| u32::MAX - next(3)).collect();
        let mut floats: Vec<f64> = counts.iter().map(|&c| c as f64).collect();
        assert_eq!(
            bits(&summarize(&mut floats)),
            bits(&summarize_counts(&mut counts.clone()))
        );
    }

    #[test]
    fn rows_side_by_side_summarise_as_one_at_a_time() {
        let mut next = counts_from(0x2545_f491_4f6c_dd1d);
        // Rows of equal counts, narrow and wide ranges (histogram and
        // sort in one group), whole groups of four and a remainder.
        for (row, ranges) in [
            (1000, vec![1, 7, 1 << 30, 50, 3, 9, 1 << 20]),
            (1, vec![5, 5, 5, 5, 5]),
            (2, vec![1, 1, 1, 1]),
            (0, vec![3, 3]),
        ] {
            let mut counts: Vec<u32> = ranges
                .iter()
                .flat_map(|&r| (0..row).map(|_| next(r)).collect::<Vec<_>>())
                .collect();
            let alone: Vec<Summary> = counts
                .chunks(row.max(1))
                .map(|c| summarize_counts(&mut c.to_vec()))
                .collect();
            let together = summarize_count_rows(&mut counts, row);
            assert_eq!(together.len(), alone.len(), "rows of {row}");
            for (a, b) in alone.iter().zip(&together) {
                assert_eq!(bits(a), bits(b), "rows of {row}");
            }
        }
    }

    #[test]
    fn paired_difference_removes_shared_noise() {
        let a = [10.0, 20.0, 30.0];
        let b = [9.0, 19.0, 29.0];
        let d = paired_difference(&a, &b);
        assert_eq!(d.mean, 1.0);
        assert_eq!(d.std, 0.0);
        assert_eq!((d.ci95_low, d.ci95_high), (1.0, 1.0));
    }
}

/// Per-step statistics of one metric's cumulative curve.
#[derive(Debug, Clone, PartialEq)]
pub struct CurveStats {
    pub metric: crate::model::Metric,
    pub mean: Vec<f64>,
    pub std: Vec<f64>,
    pub p05: Vec<f64>,
    pub p50: Vec<f64>,
    pub p95: Vec<f64>,
}

/// Steps whose counts [`OutcomeStats::of`] gathers at once: few enough
/// that the counts gathered are still in cache when they are summarised,
/// and that the buffer holding them stays small (each page of it costs a
/// fault the first time it is written).
const STEPS_AT_ONCE: usize = 8;

/// Everything the outputs say about one strategy's runs.
#[derive(Debug, Clone)]
pub struct OutcomeStats {
    /// One curve per recorded metric, in the model's order.
    pub curves: Vec<CurveStats>,
    /// Final value summary per recorded metric.
    pub finals: Vec<Summary>,
    /// Final value per run per metric (for paired comparisons).
    pub final_values: Vec<Vec<f64>>,
    /// Final people reached per segment slot (see
    /// [`crate::graph::Segments::slot`]), then final people who shared
    /// per slot; empty without segments.
    pub segments: Vec<Summary>,
}

/// Metric `m`'s counts at steps `from..` in every run, step-major: `counts`
/// holds one row of `outcome.runs` counts per step. Runs are gathered in
/// blocks in parallel, each block reading its records once for all steps.
fn gather_steps(outcome: &crate::engine::Outcome, m: usize, from: usize, counts: &mut [u32]) {
    use rayon::prelude::*;
    const RUNS_AT_ONCE: usize = 4096;
    let runs = outcome.runs as usize;
    if runs == 0 {
        return;
    }
    let mut blocks: Vec<Vec<&mut [u32]>> = (0..runs.div_ceil(RUNS_AT_ONCE))
        .map(|_| Vec::new())
        .collect();
    for row in counts.chunks_mut(runs) {
        for (block, piece) in blocks.iter_mut().zip(row.chunks_mut(RUNS_AT_ONCE)) {
            block.push(piece);
        }
    }
    blocks
        .into_par_iter()
        .enumerate()
        .for_each(|(b, mut pieces)| {
            let first = b * RUNS_AT_ONCE;
            let width = pieces.first().map_or(0, |p| p.len());
            for i in 0..width {
                let row = outcome.recorded((first + i) as u32, m);
                let last = row.len() - 1;
                for (k, piece) in pieces.iter_mut().enumerate() {
                    piece[i] = row[(from + k).min(last)];
                }
            }
        });
}

impl OutcomeStats {
    /// Reduce an outcome, metric by metric and step by step, in run order.
    /// From the step at which the longest run stopped changing on, every
    /// run holds its final counts, so those steps share the finals'
    /// summary rather than each sorting the same values again.
    pub fn of(outcome: &crate::engine::Outcome) -> OutcomeStats {
        use rayon::prelude::*;
        // Steps before this one may differ from the finals in some run.
        let changing = (outcome.longest_recorded().saturating_sub(1)).min(outcome.steps) as usize;
        let len = outcome.steps as usize + 1;
        let runs = outcome.runs as usize;
        // Each metric's steps are gathered and summarised in parallel;
        // every summary reads its own values in run order, so the figures
        // do not depend on how the work is spread over threads. Metrics
        // take turns, so that they share one buffer of counts. Every count
        // is written before it is read, so the buffer is zeroed once, when
        // allocated (a large one as fresh pages, without a pass over it).
        let mut counts = vec![0u32; STEPS_AT_ONCE.min(changing) * runs];
        let per_metric: Vec<(CurveStats, Summary, Vec<f64>)> = outcome
            .metrics
            .iter()
            .enumerate()
            .map(|(m, &metric)| {
                let (last, values) = rayon::join(
                    || summarize_counts(&mut outcome.counts_at_step(m, outcome.steps)),
                    || outcome.finals(m),
                );
                let mut early: Vec<Summary> = Vec::with_capacity(changing);
                for from in (0..changing).step_by(STEPS_AT_ONCE) {
                    let to = (from + STEPS_AT_ONCE).min(changing);
                    let counts = &mut counts[..(to - from) * runs];
                    gather_steps(outcome, m, from, counts);
                    early.par_extend(
                        counts
                            .par_chunks_mut(ROWS_AT_ONCE * runs.max(1))
                            .flat_map_iter(|rows| summarize_count_rows(rows, runs)),
                    );
                }
                let mut c = CurveStats {
                    metric,
                    mean: Vec::with_capacity(len),
                    std: Vec::with_capacity(len),
                    p05: Vec::with_capacity(len),
                    p50: Vec::with_capacity(len),
                    p95: Vec::with_capacity(len),
                };
                let late = len - early.len();
                for s in early.iter().chain(std::iter::repeat_n(&last, late)) {
                    c.mean.push(s.mean);
                    c.std.push(s.std);
                    c.p05.push(s.p05);
                    c.p50.push(s.p50);
                    c.p95.push(s.p95);
                }
                (c, last, values)
            })
            .collect();
        let segments = (0..outcome.segment_slots)
            .into_par_iter()
            .map(|slot| {
                let mut values: Vec<f64> = (0..outcome.runs)
                    .map(|r| outcome.segment_counts(r)[slot] as f64)
                    .collect();
                summarize(&mut values)
            })
            .collect();
        let mut curves = Vec::with_capacity(per_metric.len());
        let mut finals = Vec::with_capacity(per_metric.len());
        let mut final_values = Vec::with_capacity(per_metric.len());
        for (c, last, values) in per_metric {
            curves.push(c);
            finals.push(last);
            final_values.push(values);
        }
        OutcomeStats {
            curves,
            finals,
            final_values,
            segments,
        }
    }

    /// Final summary of `metric`, if recorded.
    pub fn final_of(&self, metric: crate::model::Metric) -> Option<&Summary> {
        self.curves
            .iter()
            .position(|c| c.metric == metric)
            .map(|i| &self.finals[i])
    }

    /// Final values of `metric` per run, if recorded.
    pub fn final_values_of(&self, metric: crate::model::Metric) -> Option<&[f64]> {
        self.curves
            .iter()
            .position(|c| c.metric == metric)
            .map(|i| &self.final_values[i][..])
    }
}
