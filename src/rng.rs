//! Where randomness comes from. Every random decision in a simulation is a
//! pure function of (scenario seed, run index, what is decided), so results
//! do not depend on thread count, run order or how runs are split.
//!
//! Two building blocks:
//! - [`mix64`], the SplitMix64 finaliser (Steele, Lea & Flood 2014), used as a
//!   counter-based generator: draw `j` under key `k` is
//!   `mix64(k + (j + 1) * GOLDEN)`, a fixed function of `(k, j)`. A cascade
//!   keys each sharer's draws by (seed, run, sharer), so the same run of
//!   every strategy sees the same live arcs (common random numbers).
//! - [`stream`], a Xoshiro256++ generator seeded from a hashed key, for
//!   decisions that need a sequence of draws (a random seed set, trust values).

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// Weyl increment of SplitMix64 (2^64 / golden ratio, odd).
pub const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64's output function: a bijective 64-bit mixer with full avalanche.
#[inline(always)]
pub fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// What a stream of randomness decides; each purpose gets independent draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum Purpose {
    /// Share coins on arcs during a cascade.
    Share = 1,
    /// Seeds picked by a strategy that draws a fresh set per run.
    Seeding = 2,
    /// Trust drawn once per arc.
    Trust = 3,
    /// A strategy's own sampling while choosing seeds (reverse-reachable
    /// sets, spread estimates, community detection).
    Selection = 4,
    /// Whether an invited person really posts, once per run and person.
    Acceptance = 5,
    /// Each person's threshold in a linear-threshold run.
    Threshold = 6,
    /// Whether a reached person converts, once per run and person.
    Conversion = 7,
    /// Who sees an ad in a step, and whether a new viewer shares it.
    Ads = 8,
    /// Share coins on arcs for the rival content (`[rival]`), apart from
    /// ours so that our coins do not depend on the rival.
    RivalShare = 9,
    /// Which content a person adopts when both reach them in the same
    /// step, once per run and person.
    RivalTie = 10,
    /// The rival's own seed choice (its random draws and sampling), apart
    /// from every strategy's.
    RivalSeeding = 11,
    /// Whether a person is online at a step (`[activity]`), once per run,
    /// person and step.
    Online = 12,
}

/// Hash a sequence of words into one key (order matters).
pub fn key(words: &[u64]) -> u64 {
    let mut h = 0x6A09_E667_F3BC_C909_u64;
    for &w in words {
        h = mix64(h.wrapping_add(GOLDEN) ^ mix64(w.wrapping_add(GOLDEN)));
    }
    h
}

/// The key of run `run` for `purpose` under scenario seed `seed`.
pub fn run_key(seed: u64, run: u64, purpose: Purpose) -> u64 {
    key(&[seed, run, purpose as u64])
}

/// A Xoshiro256++ generator seeded from `key` (SplitMix64 expansion of the
/// key fills its 256-bit state).
pub fn stream(key: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(key)
}

/// The coin of counter `counter` under `key`: uniform on all of u64.
#[inline(always)]
pub fn coin(key: u64, counter: u64) -> u64 {
    mix64(key.wrapping_add(counter.wrapping_add(1).wrapping_mul(GOLDEN)))
}

/// A probability as a 32-bit threshold for [`succeeds`]: `round(p * 2^32)`,
/// with `u32::MAX` standing for certainty. So p = 0 never succeeds, p = 1
/// always does, and any other p is kept to within 2^-32.
#[inline]
pub fn threshold(p: f64) -> u32 {
    debug_assert!((0.0..=1.0).contains(&p));
    let t = (p * 4_294_967_296.0).round();
    if t >= u32::MAX as f64 {
        u32::MAX
    } else {
        t as u32
    }
}

/// A coin as a uniform number on (0, 1] (53 bits; never 0, so its
/// logarithm is finite).
#[inline(always)]
pub fn unit_open(coin: u64) -> f64 {
    ((coin >> 11) + 1) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// Whether a coin succeeds against a threshold from [`threshold`].
#[inline(always)]
pub fn succeeds(coin: u64, threshold: u32) -> bool {
    ((coin >> 32) as u32) < threshold || threshold == u32::MAX
}

/// ln(1 - q), the rate of [`Candidates`] with candidate probability q: 0
/// for q = 0 (no candidates), negative infinity for q = 1 (every arc).
#[inline]
pub fn log_fail(q: f64) -> f64 {
    (-q).ln_1p()
}

/// The gap table of geometric skipping at a fixed rate, for rows up to
/// `longest` arcs. For each length `r` it holds two draws (a draw is a
/// coin's top 53 bits, `x - 1` in [`unit_open`]'s scale), at `2 r` and
/// `2 r + 1`: every draw below the first has a gap of at least `r`, every
/// draw from the second on a gap below `r`. So a row with `r` arcs left
/// ends at a draw below the first without a logarithm, and a short gap is
/// found by comparing the draw with the table.
///
/// Exactness: the gap of `x` is floor(ln(x 2^-53) / ln(1 - q)), at least
/// `r` exactly when x <= x* = 2^53 (1 - q)^r. The two draws lie 2^-20
/// (relative) below and above x*, where the exact quotient is at least
/// 2^-20 / |ln(1 - q)| away from `r`; the computed logarithm and quotient
/// are within a few units in the last place of the exact ones, some 2^-40
/// at most for the rows tabled here (r |ln(1 - q)| <= 37), so a draw the
/// table settles gives the same gap, computed or not. Draws between the
/// two are left to the logarithm.
pub fn gap_table(log_fail: f64, longest: usize) -> GapTable {
    const BELOW: f64 = 1.0 - 1.0 / (1u64 << 20) as f64;
    const ABOVE: f64 = 1.0 + 1.0 / (1u64 << 20) as f64;
    const SCALE: f64 = (1u64 << 53) as f64;
    let mut table = Vec::new();
    if !(log_fail < 0.0 && log_fail.is_finite()) {
        return GapTable::default();
    }
    for r in 0..=longest.min(GAP_TABLE_MAX) {
        let x = (r as f64 * log_fail).exp() * SCALE;
        if (x * BELOW).floor() < 1.0 {
            break;
        }
        table.push((x * BELOW).floor() as u64);
        table.push((x * ABOVE).ceil() as u64);
    }
    // Per bucket of draws, how many of the first lengths every draw in it
    // is below: where a short gap's search may start.
    let scanned = (table.len() / 2).saturating_sub(1).min(GAP_SCAN_MAX);
    let start = (0..GAP_BUCKETS)
        .map(|b| {
            let top = (((b + 1) as u64) << GAP_BUCKET_SHIFT) - 1;
            (1..=scanned).take_while(|&k| top < table[2 * k]).count() as u8
        })
        .collect();
    GapTable {
        entries: table,
        start,
    }
}

/// A [`gap_table`]: its entries, and per bucket of draws (their top bits)
/// the lengths its draws are all below.
#[derive(Debug, Clone, Default)]
pub struct GapTable {
    entries: Vec<u64>,
    start: Vec<u8>,
}

/// No table: every gap computed.
pub static NO_GAPS: GapTable = GapTable {
    entries: Vec::new(),
    start: Vec::new(),
};

impl GapTable {
    /// Memory the table takes.
    pub fn bytes(&self) -> usize {
        self.entries.len() * 8 + self.start.len()
    }
}

/// Draws (53 bits) fall into 2^10 buckets by their top bits.
const GAP_BUCKET_SHIFT: usize = 43;
const GAP_BUCKETS: usize = 1 << (53 - GAP_BUCKET_SHIFT);

/// The longest row [`gap_table`] covers: 64 KiB of entries; longer rows
/// take their last draw's logarithm.
const GAP_TABLE_MAX: usize = 4095;

/// Gaps shorter than this (and every gap of a row with at most this many
/// arcs left) are found in the [`gap_table`] (one comparison per arc
/// skipped) rather than by a logarithm.
const GAP_SCAN_MAX: usize = 32;

/// Thinning data for one row of arc probabilities: appends to `keep` each
/// arc's threshold of keeping a candidate, p / q with q the row's largest p
/// (`u32::MAX` keeps it without a coin), and returns [`log_fail`] of q.
/// Candidates drawn at rate q and kept with p / q fire with exactly p.
pub fn thin_row(row: impl Iterator<Item = f64> + Clone, keep: &mut Vec<u32>) -> f64 {
    let q = row.clone().fold(0.0, f64::max);
    keep.extend(row.map(|p| if p == q { u32::MAX } else { threshold(p / q) }));
    log_fail(q)
}

/// The candidate arcs of a row of `len` arcs, each a candidate
/// independently with the probability q behind `log_fail`, found by
/// geometric skipping: gaps between candidates are Geometric(q),
/// floor(ln U / ln(1 - q)) with U uniform on (0, 1], so the cost is a
/// logarithm per candidate rather than a coin per arc. Draws come from the
/// counter stream `key`, starting at counter `draw`.
pub struct Candidates {
    key: u64,
    draw: u64,
    pos: usize,
    len: usize,
    log_fail: f64,
}

impl Candidates {
    #[inline(always)]
    pub fn new(key: u64, draw: u64, log_fail: f64, len: usize) -> Candidates {
        Candidates {
            key,
            draw,
            pos: 0,
            // q = 0: no candidates, and no draws spent finding that out.
            len: if log_fail == 0.0 { 0 } else { len },
            log_fail,
        }
    }

    /// Position of the next candidate in the row, if any.
    #[inline(always)]
    pub fn next_candidate(&mut self) -> Option<usize> {
        self.next_candidate_skipping(&NO_GAPS)
    }

    /// [`Candidates::next_candidate`], with the [`gap_table`] of this rate:
    /// the same positions and draws, without a logarithm for a draw that
    /// certainly jumps past the row's end (every row's last draw, mostly).
    #[inline(always)]
    pub fn next_candidate_skipping(&mut self, table: &GapTable) -> Option<usize> {
        let gaps = &table.entries[..];
        if self.pos >= self.len {
            return None;
        }
        let c = coin(self.key, self.draw);
        self.draw += 1;
        let (draw, rest) = (c >> 11, self.len - self.pos);
        let mut short = false;
        if let Some(&below) = gaps.get(2 * rest) {
            if draw < below {
                self.pos = self.len;
                return None;
            }
            short = rest <= GAP_SCAN_MAX;
        }
        // In a longer row, a gap below the longest scanned length is
        // found the same way.
        if short
            || gaps
                .get(2 * GAP_SCAN_MAX)
                .is_some_and(|&longest| draw >= longest)
        {
            // The first length the draw is not below gives the gap, if the
            // draw is clear of its boundary; there is one, at `rest` or at
            // the longest scanned length at the latest. The draw's bucket
            // tells how many lengths it is below for certain.
            let mut k = table.start[(draw >> GAP_BUCKET_SHIFT) as usize] as usize + 1;
            while draw < gaps[2 * k] {
                k += 1;
            }
            if draw >= gaps[2 * k + 1] {
                self.pos += k;
                return Some(self.pos - 1);
            }
        }
        self.pos = self
            .pos
            .saturating_add((unit_open(c).ln() / self.log_fail) as usize);
        if self.pos >= self.len {
            return None;
        }
        self.pos += 1;
        Some(self.pos - 1)
    }

    /// Keep a candidate whose threshold (from [`thin_row`]) is `threshold`,
    /// drawing a coin unless it is kept for certain.
    #[inline(always)]
    pub fn keep(&mut self, threshold: u32) -> bool {
        threshold == u32::MAX || {
            let c = coin(self.key, self.draw);
            self.draw += 1;
            succeeds(c, threshold)
        }
    }

    /// The counter of the next draw, to continue the stream elsewhere.
    pub fn next_draw(&self) -> u64 {
        self.draw
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_differ_by_every_word() {
        let a = key(&[1, 2, 3]);
        assert_ne!(a, key(&[1, 2, 4]));
        assert_ne!(a, key(&[2, 1, 3]));
        assert_ne!(a, key(&[1, 2]));
        assert_eq!(a, key(&[1, 2, 3]));
    }

    #[test]
    fn thresholds_are_exact_at_the_ends() {
        assert!(!succeeds(0, threshold(0.0)));
        assert!(succeeds(u64::MAX, threshold(1.0)));
        assert!(!succeeds(u64::MAX, threshold(1.0 - 1e-9)));
        // A coin of exactly one half fails p = 0.5; the one just below succeeds.
        assert!(!succeeds(1 << 63, threshold(0.5)));
        assert!(succeeds((1 << 63) - 1, threshold(0.5)));
    }

    #[test]
    fn candidates_arrive_at_rate_q() {
        // 200,000 arcs at q = 0.03: the candidate count is
        // Binomial(200000, 0.03); 5 sd.
        let (n, q) = (200_000usize, 0.03);
        let mut c = Candidates::new(9, 0, log_fail(q), n);
        let mut count = 0usize;
        let mut last = None;
        while let Some(pos) = c.next_candidate() {
            if let Some(l) = last {
                assert!(pos > l);
            }
            assert!(pos < n);
            last = Some(pos);
            count += 1;
        }
        let sd = (n as f64 * q * (1.0 - q)).sqrt();
        assert!((count as f64 - n as f64 * q).abs() < 5.0 * sd, "{count}");
        // q = 1: every arc; q = 0: none, and no draw spent.
        let mut all = Candidates::new(1, 0, log_fail(1.0), 50);
        assert_eq!(std::iter::from_fn(|| all.next_candidate()).count(), 50);
        let mut none = Candidates::new(1, 7, log_fail(0.0), 50);
        assert_eq!(none.next_candidate(), None);
        assert_eq!(none.next_draw(), 7);
    }

    #[test]
    fn the_gap_table_only_settles_draws_clear_of_each_boundary() {
        // At every tabled length, the last draw below the first entry has a
        // computed gap of at least that length, and the first draw from the
        // second entry on a gap below it.
        for q in [1e-6, 0.001, 0.02, 0.05, 0.15, 0.5, 0.9, 0.999_999] {
            let lf = log_fail(q);
            let table = gap_table(lf, 10_000);
            assert!(
                !table.entries.is_empty() && table.entries.len().is_multiple_of(2),
                "q = {q}"
            );
            let gap = |draw: u64| ((draw + 1) as f64 / (1u64 << 53) as f64).ln() / lf;
            for rest in 1..table.entries.len() / 2 {
                let (below, above) = (table.entries[2 * rest], table.entries[2 * rest + 1]);
                assert!(below < above && above <= (1 << 53) + 1);
                assert!(gap(below - 1) >= rest as f64, "q = {q}, rest = {rest}");
                if above < 1 << 53 {
                    assert!(gap(above) < rest as f64, "q = {q}, rest = {rest}");
                }
                assert!(table.entries[2 * rest] <= table.entries[2 * rest - 2]);
            }
        }
        assert!(gap_table(log_fail(0.0), 100).entries.is_empty());
        assert!(gap_table(log_fail(1.0), 100).entries.is_empty());
    }

    #[test]
    fn skipping_with_the_gap_table_gives_the_same_candidates_and_draws() {
        for (q, len) in [
            (0.02, 3000),
            (0.05, 10),
            (0.05, 700),
            (0.3, 40),
            (0.001, 5000),
            (1e-4, 40),
            (0.6, 33),
            (0.05, 6000),
        ] {
            let lf = log_fail(q);
            let table = gap_table(lf, len);
            for key in 0..2_000u64 {
                let mut plain = Candidates::new(key, 0, lf, len);
                let mut fast = Candidates::new(key, 0, lf, len);
                loop {
                    let (a, b) = (plain.next_candidate(), fast.next_candidate_skipping(&table));
                    assert_eq!(a, b, "q = {q}, len = {len}, key = {key}");
                    assert_eq!(plain.next_draw(), fast.next_draw());
                    if a.is_none() {
                        break;
                    }
                }
            }
        }
    }

    #[test]
    fn a_buckets_start_is_below_every_draw_in_it() {
        // A short gap's search starts past the lengths every draw of the
        // bucket is below, and no further: its top draw is not below the
        // next one.
        for q in [1e-5, 0.01, 0.05, 0.3, 0.9] {
            let table = gap_table(log_fail(q), 100);
            let below = |draw: u64, k: usize| draw < table.entries[2 * k];
            let tabled = (table.entries.len() / 2 - 1).min(GAP_SCAN_MAX);
            for b in 0..GAP_BUCKETS {
                let start = table.start[b] as usize;
                let high = ((b as u64 + 1) << GAP_BUCKET_SHIFT) - 1;
                assert!((1..=start).all(|k| below(high, k)), "q = {q}, bucket {b}");
                assert!(
                    start == tabled || !below(high, start + 1),
                    "q = {q}, bucket {b}"
                );
            }
        }
    }

    #[test]
    fn coins_are_uniform_enough() {
        // Mean of n uniform [0,1) draws has sd 1/sqrt(12 n); 5 sd tolerance.
        let n = 200_000u64;
        let k = run_key(7, 3, Purpose::Share);
        let mean: f64 = (0..n)
            .map(|i| (coin(k, i) >> 11) as f64 / (1u64 << 53) as f64)
            .sum::<f64>()
            / n as f64;
        let sd = 1.0 / (12.0 * n as f64).sqrt();
        assert!((mean - 0.5).abs() < 5.0 * sd, "mean {mean}");
    }
}
