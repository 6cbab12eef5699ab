//! Spread models: the dynamics of one run. A model turns a seed set and a
//! run index into per-step cumulative counts of its metrics. Each model is
//! its own file behind [`SpreadModel`]; [`Model`] is the one place that
//! lists them.

mod activity;
mod ads;
mod competitive_cascade;
mod goal;
mod independent_cascade;
pub mod linear_threshold;
mod seeds;
mod share_rates;
mod spec;
mod tally;

pub use activity::{Pending, Schedule};
pub use competitive_cascade::{CompetitiveCascade, Rival};
pub use goal::Goal;
pub use independent_cascade::IndependentCascade;
pub use linear_threshold::LinearThreshold;
pub use seeds::{RunSeeds, SeedScratch, Seeds};
pub use tally::{Tallied, Tally};

pub use spec::{
    Activity, AdBudget, AdsSpec, ConversionSpec, LiveArcs, ModelKind, PaidSpec, Resonance,
    RivalContent, SpreadSpec,
};

use crate::graph::{Graph, Node};

/// What a run counts, per step, cumulatively.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// People who saw the content at least once, seeds included.
    Reached,
    /// People who shared it, seeds included.
    Shared,
    /// People who took the desired action (`[conversion]`), counted at the
    /// step they were reached.
    Converted,
    /// People first reached by an ad (`[paid]`).
    PaidReached,
    /// People first reached by word of mouth: neither seeded nor reached
    /// by an ad.
    EarnedReached,
    /// Ad views bought (`[paid]`), reached people's included.
    AdViews,
    /// People reached who belong to the target audience (`[target]`).
    ReachedInTarget,
    /// People reached outside the target audience: wasted reach.
    ReachedOutsideTarget,
    /// People who saw the rival content (`[rival]`) at least once, its
    /// seeds included.
    RivalReached,
    /// People who shared the rival content, its seeds included.
    RivalShared,
    /// Times our content was shown: each sharer's post to each of their
    /// followers, counted at the step after the share (when the followers
    /// see it), plus ad views. Repeat showings to one person all count.
    Impressions,
}

impl Metric {
    /// The metric's name in every output.
    pub fn name(&self) -> &'static str {
        match self {
            Metric::Reached => "reached",
            Metric::Shared => "shared",
            Metric::Converted => "converted",
            Metric::PaidReached => "paid_reached",
            Metric::EarnedReached => "earned_reached",
            Metric::AdViews => "ad_views",
            Metric::ReachedInTarget => "reached_in_target",
            Metric::ReachedOutsideTarget => "reached_outside_target",
            Metric::RivalReached => "rival_reached",
            Metric::RivalShared => "rival_shared",
            Metric::Impressions => "impressions",
        }
    }
}

/// One run's record: `metrics.len()` rows of `steps + 1` cumulative counts,
/// row-major, as the model's [`SpreadModel::metrics`] lists them, followed
/// by [`SpreadModel::segment_slots`] final counts of people reached per
/// segment.
///
/// A model writes each row up to the step after which nothing it counts
/// changes any more and says so with [`RunRecord::hold_from`]; the counts
/// of later steps are then implied, so a run costs time in proportion to
/// its cascade, not to `steps`. The engine keeps only the steps recorded;
/// a record made with [`RunRecord::new`] has the later steps filled in.
pub struct RunRecord<'a> {
    data: &'a mut [u32],
    steps: u32,
    /// Where the engine learns from which step the counts hold; `None`:
    /// the record is filled to `steps` instead.
    held: Option<&'a mut usize>,
}

impl<'a> RunRecord<'a> {
    /// A record of `data.len() / (steps + 1)` whole rows, every step of
    /// which a run fills.
    pub fn new(data: &'a mut [u32], steps: u32) -> RunRecord<'a> {
        RunRecord {
            data,
            steps,
            held: None,
        }
    }

    /// A record whose counts from step `*held` on are implied by the count
    /// at the step before; `*held` must be `steps + 1` before the run.
    pub(crate) fn compact(data: &'a mut [u32], steps: u32, held: &'a mut usize) -> RunRecord<'a> {
        debug_assert_eq!(*held, steps as usize + 1);
        RunRecord {
            data,
            steps,
            held: Some(held),
        }
    }

    /// The last step of the run.
    #[inline]
    pub fn steps(&self) -> u32 {
        self.steps
    }

    /// This record, lent to a model that fills part of it.
    #[inline]
    pub fn reborrow(&mut self) -> RunRecord<'_> {
        RunRecord {
            data: &mut *self.data,
            steps: self.steps,
            held: self.held.as_deref_mut(),
        }
    }

    /// The row of a metric.
    #[inline]
    pub fn row(&mut self, row: Row) -> &mut [u32] {
        let len = self.steps as usize + 1;
        &mut self.data[row.0 * len..(row.0 + 1) * len]
    }

    /// Every count from `step` (at least 1) on equals the one at `step -
    /// 1`: the run is over, or nothing it counts changes any more.
    #[inline]
    pub fn hold_from(&mut self, step: usize) {
        debug_assert!(step >= 1);
        let len = self.steps as usize + 1;
        if step >= len {
            return;
        }
        match &mut self.held {
            Some(held) => **held = step,
            None => {
                for row in self.data.chunks_exact_mut(len) {
                    let last = row[step - 1];
                    row[step..].fill(last);
                }
            }
        }
    }

    /// Steps whose counts are written (the rest hold the last of them).
    #[inline]
    pub fn recorded_steps(&self) -> usize {
        self.held
            .as_deref()
            .copied()
            .unwrap_or(self.steps as usize + 1)
    }

    /// The final counts per segment slot, after the rows of `rows` metrics.
    #[inline]
    pub fn segment_counts(&mut self, rows: usize) -> &mut [u32] {
        &mut self.data[rows * (self.steps as usize + 1)..]
    }
}

/// Where a metric's row is in a run's record: found by the metric in the
/// list of rows a model records, never written as a bare position, so a
/// row cannot drift from the metric its model says it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row(usize);

impl Row {
    /// The row of `metric` in `rows` (the metrics a model records, in
    /// order); a metric missing from `rows` fails to compile where `rows`
    /// is a constant.
    pub const fn of(rows: &[Metric], metric: Metric) -> Row {
        let mut i = 0;
        while i < rows.len() {
            if rows[i] as u8 == metric as u8 {
                return Row(i);
            }
            i += 1;
        }
        panic!("the metric has no row")
    }

    /// The row `n` places after this one.
    pub const fn after(self, n: usize) -> Row {
        Row(self.0 + n)
    }
}

/// The dynamics of one run. Implementations keep all per-run state in their
/// workspace, reused across runs, so a run allocates nothing.
pub trait SpreadModel: Sync {
    /// Reusable per-worker state.
    type Workspace: Send;

    /// The metrics a run records, in row order.
    fn metrics(&self) -> Vec<Metric>;

    /// How many final counts of people reached per segment a run records
    /// after its rows (see [`crate::graph::Segments::slot`]); none unless
    /// a tally counts them.
    fn segment_slots(&self) -> usize {
        0
    }

    /// A fresh workspace for this model and graph.
    fn workspace(&self) -> Self::Workspace;

    /// Simulate run number `run` from `seeds` (distinct people), filling
    /// every row of `record`. A pure function of (model, seeds, run).
    fn run(&self, ws: &mut Self::Workspace, seeds: &[Node], run: u64, record: RunRecord);

    /// Who was reached and who shared in the run `ws` last simulated.
    fn marks<'w>(&self, ws: &'w Self::Workspace) -> &'w Marks;
}

/// Every model, listed once: each line names a variant, its dynamics and
/// the module they live in. The enum [`Model`] of a scenario's dynamics
/// (each followed after every run by its tallies), the enum of their
/// workspaces and the one dispatch between them come from this list, so
/// code that simulates (the pipeline, celf) never lists the models.
macro_rules! models {
    ($($(#[$doc:meta])* $variant:ident($dynamics:ident in $module:ident),)*) => {
        /// The dynamics a scenario can run, each followed after every run by
        /// the scenario's tallies of the people reached (conversions, target,
        /// reach per segment).
        pub enum Model<'g> {
            $($(#[$doc])* $variant(Tallied<'g, $dynamics<'g>>),)*
        }

        /// The workspace of whichever model runs.
        pub enum Workspace {
            $($variant($module::Workspace),)*
        }

        impl SpreadModel for Model<'_> {
            type Workspace = Workspace;

            fn metrics(&self) -> Vec<Metric> {
                match self {
                    $(Model::$variant(m) => m.metrics(),)*
                }
            }

            fn segment_slots(&self) -> usize {
                match self {
                    $(Model::$variant(m) => m.segment_slots(),)*
                }
            }

            fn workspace(&self) -> Workspace {
                match self {
                    $(Model::$variant(m) => Workspace::$variant(m.workspace()),)*
                }
            }

            #[inline]
            fn run(&self, ws: &mut Workspace, seeds: &[Node], run: u64, record: RunRecord) {
                match (self, ws) {
                    $((Model::$variant(m), Workspace::$variant(w)) => m.run(w, seeds, run, record),)*
                    #[allow(unreachable_patterns)]
                    _ => unreachable!("a workspace is only ever used by the model that made it"),
                }
            }

            fn marks<'w>(&self, ws: &'w Workspace) -> &'w Marks {
                match (self, ws) {
                    $((Model::$variant(m), Workspace::$variant(w)) => m.marks(w),)*
                    #[allow(unreachable_patterns)]
                    _ => unreachable!("a workspace is only ever used by the model that made it"),
                }
            }
        }
    };
}

models! {
    IndependentCascade(IndependentCascade in independent_cascade),
    LinearThreshold(LinearThreshold in linear_threshold),
    /// The independent cascade with a rival content.
    CompetitiveCascade(CompetitiveCascade in competitive_cascade),
}

/// What a model with a rival content needs beyond its spread spec: the
/// rival's seeds.
#[derive(Clone, Copy)]
pub struct RivalSeeding<'g> {
    /// The rival's seeds, as its strategy chose them.
    pub seeds: &'g Seeds,
}

/// Every kind of model a scenario can name, the default first.
pub const MODELS: &[&ModelKind] = &[&independent_cascade::KIND, &linear_threshold::KIND];

impl<'g> Model<'g> {
    /// Build the model `spread` describes over `graph` (trust already
    /// assigned), followed by `tally`; with a rival content in `spread`,
    /// `rival` gives its seeds (required then).
    pub fn new(
        spread: &SpreadSpec,
        graph: &'g Graph,
        tally: Tally<'g>,
        rival: Option<RivalSeeding<'g>>,
    ) -> Model<'g> {
        (spread.model.build)(spread, graph, tally, rival)
    }
}

/// A cascade that content can fade in, and ads can feed.
pub(crate) trait Cascade: Sized {
    fn with_half_life(self, half_life: f64) -> Self;
    fn with_ad_spec(self, ads: &AdsSpec) -> Self;
}

impl Cascade for IndependentCascade<'_> {
    fn with_half_life(self, half_life: f64) -> Self {
        IndependentCascade::with_half_life(self, half_life)
    }
    fn with_ad_spec(self, ads: &AdsSpec) -> Self {
        IndependentCascade::with_ad_spec(self, ads)
    }
}

impl Cascade for CompetitiveCascade<'_> {
    fn with_half_life(self, half_life: f64) -> Self {
        CompetitiveCascade::with_half_life(self, half_life)
    }
    fn with_ad_spec(self, ads: &AdsSpec) -> Self {
        CompetitiveCascade::with_ad_spec(self, ads)
    }
}

/// `model` with the novelty decay and the ads of `spread`.
pub(crate) fn dressed<C: Cascade>(model: C, spread: &SpreadSpec) -> C {
    let model = match spread.half_life {
        Some(h) => model.with_half_life(h),
        None => model,
    };
    match spread.ads {
        Some(ads) => model.with_ad_spec(&ads),
        None => model,
    }
}

/// Who was reached and who shared in the current run: a bit per person for
/// each (reached, shared), packed 64 people to a word, so the reach marks
/// of 100,000 people fit in 12.5 KB of L1 cache, plus the lists of people
/// reached and of people who shared so far. Resetting clears only the
/// words of the people this run marked (or the whole small array when that
/// is cheaper): O(reach), not O(people).
///
/// Where nobody reads the reached list ([`Marks::unlisted_when_large`]),
/// a run that follows one reaching many people goes without it: such a run
/// is cleared whole anyway, and writing the list costs a store per person
/// reached, the larger part of marking a row of a large graph.
#[derive(Debug, Clone)]
pub struct Marks {
    /// A power-of-two number of words (see [`mark_reached`]); the first
    /// `shared_bits.len()` hold everyone.
    reached_bits: Vec<u64>,
    shared_bits: Vec<u64>,
    /// `reached[..count]` are the people reached so far; at least one
    /// spare slot so that [`Marks::reach`] can write unconditionally.
    reached: Vec<Node>,
    count: usize,
    /// Everyone whose shared bit was set in this run (a share taken back
    /// and made again is listed twice).
    sharers: Vec<Node>,
    /// Whether `reached[..count]` lists the people reached in this run.
    listed: bool,
    /// Whether a run may go without the list (see [`Marks::unlisted_when_large`]).
    may_unlist: bool,
}

/// Mark `v` reached in `bits`, appending `v` to `reached[..count]` if new.
/// Branch-free: whether `v` is newly reached is a coin flip the CPU cannot
/// predict, so the mark and the list entry are always written and the list
/// only grows by 0 or 1. Both slices have a power-of-two length (see
/// [`Marks::new`]), so masked positions are always inside them, and for
/// anyone in the graph the masks change nothing.
#[inline(always)]
fn mark_reached(bits: &mut [u64], reached: &mut [Node], count: &mut usize, v: Node) {
    debug_assert!(bits.len().is_power_of_two() && reached.len().is_power_of_two());
    debug_assert!(((v >> 6) as usize) < bits.len() && *count < reached.len());
    let w = (v >> 6) as usize & (bits.len() - 1);
    let slot = *count & (reached.len() - 1);
    let bit = 1u64 << (v & 63);
    // SAFETY: for a power-of-two length n, `x & (n - 1) < n`.
    let word = unsafe { bits.get_unchecked_mut(w) };
    let old = *word;
    *word = old | bit;
    // SAFETY: as above.
    unsafe { *reached.get_unchecked_mut(slot) = v };
    *count += (old & bit == 0) as usize;
}

/// Mark `v` reached in `bits`, counting `v` in `count` if new: what
/// [`mark_reached`] does, without the list; branch-free and bounds-safe
/// the same way.
#[inline(always)]
fn mark_bit(bits: &mut [u64], count: &mut usize, v: Node) {
    debug_assert!(bits.len().is_power_of_two() && ((v >> 6) as usize) < bits.len());
    let w = (v >> 6) as usize & (bits.len() - 1);
    let bit = 1u64 << (v & 63);
    // SAFETY: for a power-of-two length n, `x & (n - 1) < n`.
    let word = unsafe { bits.get_unchecked_mut(w) };
    let old = *word;
    *word = old | bit;
    *count += (old & bit == 0) as usize;
}

/// Zero the words of `bits` that hold the people in `people`, or the whole
/// array when that is cheaper (a fair share of its words touched).
#[inline]
fn clear_bits(bits: &mut [u64], people: &[Node]) {
    if people.len() * 8 > bits.len() {
        bits.fill(0);
    } else {
        for &v in people {
            bits[(v >> 6) as usize] = 0;
        }
    }
}

/// The marks a run reaches once its first sharers' followers are all
/// marked reached (see [`Marks::snapshot`]): when every run starts from the
/// same sharers, later runs copy these rather than mark the same rows
/// again, however many followers the first sharers have.
pub struct MarksSnapshot {
    first: Vec<Node>,
    /// Each reach word touched, once, with its value; or, when that is a
    /// fair share of them, every word.
    words: SnapshotWords,
    reached: Vec<Node>,
}

/// The reach words of a [`MarksSnapshot`].
enum SnapshotWords {
    /// The words touched, each once, with its value.
    Touched(Vec<(u32, u64)>),
    /// Every word of the people: one copy rather than scattered writes.
    All(Vec<u64>),
}

impl MarksSnapshot {
    /// Whether this snapshot was taken from the first sharers `first`.
    #[inline]
    pub fn starts_from(&self, first: &[Node]) -> bool {
        self.first == first
    }
}

impl Marks {
    /// Marks for `nodes` people, all unseen. The reach words and the
    /// reached list have power-of-two lengths, which marking relies on to
    /// stay inside them without a bounds check; they never change.
    pub fn new(nodes: u32) -> Marks {
        let words = (nodes as usize).div_ceil(64);
        Marks {
            reached_bits: vec![0; words.next_power_of_two()],
            shared_bits: vec![0; words],
            reached: vec![0; (nodes as usize + 1).next_power_of_two()],
            count: 0,
            sharers: Vec::new(),
            listed: true,
            may_unlist: false,
        }
    }

    /// These marks, letting a run that follows one which reached many
    /// people (a fair share of the reach words' worth) go without the
    /// reached list if `allowed`: for a caller that never reads
    /// [`Marks::reached_people`].
    pub fn unlisted_when_large(mut self, allowed: bool) -> Marks {
        self.may_unlist = allowed;
        self
    }

    /// Forget every mark.
    #[inline]
    pub fn reset(&mut self) {
        // Reach words past those of the people are never marked.
        let used = self.shared_bits.len();
        let large = self.count * 8 > used;
        if self.listed {
            clear_bits(&mut self.reached_bits[..used], &self.reached[..self.count]);
        } else {
            self.reached_bits[..used].fill(0);
        }
        clear_bits(&mut self.shared_bits, &self.sharers);
        // A run like this one is cleared whole whether listed or not.
        self.listed = !(self.may_unlist && large);
        self.count = 0;
        self.sharers.clear();
    }

    /// Whether this run lists the people it reaches (always, unless
    /// [`Marks::unlisted_when_large`]).
    #[inline]
    pub fn listed(&self) -> bool {
        self.listed
    }

    /// The people reached so far in this run, each once; only while
    /// [`Marks::listed`].
    #[inline]
    pub fn reached_people(&self) -> &[Node] {
        debug_assert!(self.listed, "the reached list is not kept in this run");
        &self.reached[..self.count]
    }

    /// People reached so far in this run.
    #[inline]
    pub fn reached_count(&self) -> u32 {
        self.count as u32
    }

    /// Mark `v` reached and return whether `v` has already shared.
    #[inline(always)]
    pub fn reach(&mut self, v: Node) -> bool {
        self.mark(v);
        self.has_shared(v)
    }

    /// Mark `v` reached, listing `v` if the list is kept.
    #[inline(always)]
    fn mark(&mut self, v: Node) {
        if self.listed {
            mark_reached(
                &mut self.reached_bits,
                &mut self.reached,
                &mut self.count,
                v,
            );
        } else {
            mark_bit(&mut self.reached_bits, &mut self.count, v);
        }
    }

    /// Mark everyone in `row` reached ([`Marks::reach`] for each, with the
    /// count held in a register rather than stored back per person).
    #[inline(always)]
    pub fn reach_all(&mut self, row: &[Node]) {
        let (bits, reached) = (&mut self.reached_bits[..], &mut self.reached[..]);
        let mut count = self.count;
        if self.listed {
            for &v in row {
                mark_reached(bits, reached, &mut count, v);
            }
        } else {
            for &v in row {
                mark_bit(bits, &mut count, v);
            }
        }
        self.count = count;
    }

    /// The marks as they stand, for [`Marks::restore`] in a later run whose
    /// marks reach this state the same way from `first` (the same first
    /// sharers, each marked reached and shared, and nothing else): the
    /// words every reached person's mark lies in, and the reached list.
    /// Only while [`Marks::listed`].
    pub fn snapshot(&self, first: &[Node]) -> MarksSnapshot {
        let reached = self.reached_people().to_vec();
        let mut words: Vec<u32> = reached.iter().map(|&v| v >> 6).collect();
        words.sort_unstable();
        words.dedup();
        let used = self.shared_bits.len();
        MarksSnapshot {
            first: first.to_vec(),
            // A word written alone costs about as much as four copied.
            words: match words.len() * 4 > used {
                true => SnapshotWords::All(self.reached_bits[..used].to_vec()),
                false => SnapshotWords::Touched(
                    words
                        .into_iter()
                        .map(|w| (w, self.reached_bits[w as usize]))
                        .collect(),
                ),
            },
            reached,
        }
    }

    /// Return to `snapshot`'s marks, from marks holding exactly its first
    /// sharers (each reached and shared, in the same order).
    #[inline]
    pub fn restore(&mut self, snapshot: &MarksSnapshot) {
        match &snapshot.words {
            SnapshotWords::Touched(words) => {
                for &(w, word) in words {
                    self.reached_bits[w as usize] = word;
                }
            }
            SnapshotWords::All(words) => self.reached_bits[..words.len()].copy_from_slice(words),
        }
        let n = snapshot.reached.len();
        if self.listed {
            self.reached[..n].copy_from_slice(&snapshot.reached);
        }
        self.count = n;
    }

    /// Whether `v` has shared.
    #[inline(always)]
    pub fn has_shared(&self, v: Node) -> bool {
        self.shared_bits[(v >> 6) as usize] & (1 << (v & 63)) != 0
    }

    /// Mark `v` as a sharer, and reached.
    #[inline(always)]
    pub fn share(&mut self, v: Node) {
        self.mark(v);
        let (w, bit) = ((v >> 6) as usize, v & 63);
        let word = self.shared_bits[w];
        self.shared_bits[w] = word | (1 << bit);
        if word & (1 << bit) == 0 {
            self.sharers.push(v);
        }
    }

    /// Take back `v`'s share (they stay reached): a person won over by
    /// another content in the same step.
    #[inline]
    pub fn unshare(&mut self, v: Node) {
        self.shared_bits[(v >> 6) as usize] &= !(1 << (v & 63));
    }
}

#[cfg(test)]
mod tests {
    use super::{Marks, MarksSnapshot};

    fn all_clear(m: &Marks) -> bool {
        m.reached_bits.iter().chain(&m.shared_bits).all(|&w| w == 0)
    }

    #[test]
    fn a_snapshot_restores_the_marks_it_was_taken_from() {
        let first = [3, 70, 9];
        let rows: [&[u32]; 3] = [&[4, 5, 70, 99], &[5, 6, 3], &[64, 65, 4]];
        let mark_first = |m: &mut Marks| {
            for &s in &first {
                m.share(s);
            }
        };
        let mut m = Marks::new(100);
        mark_first(&mut m);
        for row in rows {
            m.reach_all(row);
        }
        let snapshot = m.snapshot(&first);
        assert!(snapshot.starts_from(&first) && !snapshot.starts_from(&first[..2]));
        let expected = (
            m.reached_bits.clone(),
            m.shared_bits.clone(),
            m.reached_people().to_vec(),
        );
        // A later run: other marks, reset, the same first sharers, restored.
        m.share(50);
        m.reach_all(&[1, 2, 3]);
        m.reset();
        mark_first(&mut m);
        m.restore(&snapshot);
        let restored = (
            m.reached_bits.clone(),
            m.shared_bits.clone(),
            m.reached_people().to_vec(),
        );
        assert_eq!(restored, expected);
        assert_eq!(m.reached_count(), 9);
        assert!(m.has_shared(70) && !m.has_shared(99));
        m.reset();
        assert!(all_clear(&m));
    }

    #[test]
    fn marks_count_reach_and_reset_cleanly() {
        let mut m = Marks::new(100);
        m.share(5);
        assert!(!m.reach(6));
        assert!(m.reach(5));
        assert!(!m.reach(6));
        assert!(m.has_shared(5) && !m.has_shared(6));
        m.share(6);
        assert!(m.has_shared(6));
        assert_eq!(m.reached_count(), 2);
        m.reset();
        assert_eq!(m.reached_count(), 0);
        assert!(!m.has_shared(5) && !m.reach(99));
        assert_eq!(m.reached_count(), 1);
        m.share(98);
        m.unshare(98);
        assert!(!m.has_shared(98) && !m.reach(98));
        assert_eq!(m.reached_count(), 2);
    }

    #[test]
    fn shares_taken_back_and_made_again_are_all_cleared() {
        // Few people and many, few shares and many: every reset clears
        // the words it touched or the whole arrays, and leaves nothing.
        for (nodes, shares) in [
            (10u32, 30),
            (64, 5),
            (1000, 1500),
            (100_000, 40),
            (100_000, 900),
        ] {
            let mut m = Marks::new(nodes);
            for round in 0..3u32 {
                for i in 0..shares {
                    let v = (i * 7919 + round) % nodes;
                    m.share(v);
                    m.unshare(v);
                    m.share(v);
                    assert!(m.has_shared(v));
                }
                m.reach_all(&[0, nodes - 1]);
                m.reset();
                assert!(all_clear(&m), "{nodes} people, round {round}");
                assert_eq!(m.reached_count(), 0);
            }
        }
    }

    #[test]
    fn runs_without_the_list_count_and_clear_as_runs_with_it() {
        // The same runs, large and small in turn, on marks that keep the
        // list and on marks that drop it after a large run: the same
        // counts, shares and bits at every point, the first sharers'
        // marks restored from a snapshot after the first run, and every
        // reset clears everything, whichever way the run was marked.
        let nodes = 50_000u32;
        let mut kept = Marks::new(nodes);
        let mut dropped = Marks::new(nodes).unlisted_when_large(true);
        let first = [7, 4000];
        let mut snapshot: Option<MarksSnapshot> = None;
        // Whether each run kept the list.
        let mut listed = Vec::new();
        for run in 0..8u32 {
            // 782 reach words: a run reaching more than 97 people is large.
            let people = if run % 3 == 2 { 12 } else { 3000 };
            let row: Vec<u32> = (0..people).map(|i| (i * 7919 + run * 13) % nodes).collect();
            for m in [&mut kept, &mut dropped] {
                for &s in &first {
                    m.share(s);
                }
                match &snapshot {
                    Some(s) => m.restore(s),
                    None => m.reach_all(&[1, 4000, 3]),
                }
            }
            if snapshot.is_none() {
                snapshot = Some(kept.snapshot(&first));
            }
            listed.push(dropped.listed());
            for m in [&mut kept, &mut dropped] {
                m.reach_all(&row[..people as usize / 2]);
                m.share(row[0]);
                assert_eq!(m.reach(row[1]), m.has_shared(row[1]));
                m.reach_all(&row[people as usize / 2..]);
            }
            assert!(kept.listed());
            assert_eq!(kept.reached_count(), dropped.reached_count(), "run {run}");
            assert_eq!(kept.reached_bits, dropped.reached_bits, "run {run}");
            assert_eq!(kept.shared_bits, dropped.shared_bits, "run {run}");
            kept.reset();
            dropped.reset();
            assert!(all_clear(&kept) && all_clear(&dropped), "run {run}");
            assert_eq!(dropped.reached_count(), 0);
        }
        // The first run lists; those after large ones do not, those after
        // small ones do again.
        let expected: Vec<bool> = (0..8).map(|run| run == 0 || run % 3 == 0).collect();
        assert_eq!(listed, expected);
    }
}
