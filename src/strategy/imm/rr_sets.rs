//! Reverse-reachable sets: the reverse graph with each arc's live chance,
//! and the parallel sampler that draws the sets of one phase in a fixed
//! order, stored flat.

use super::*;

/// Who each person follows, with how the arcs into each person are drawn
/// live.
pub(super) struct ReverseGraph {
    /// `offsets[v]..offsets[v + 1]` index the arcs into `v`.
    pub(super) offsets: Vec<usize>,
    /// Source of each arc into `v` (someone `v` follows), ascending.
    pub(super) sources: Vec<Node>,
    pub(super) live: LiveArcs,
}

/// How the arcs into a person are drawn live, by the scenario's model.
pub(super) enum LiveArcs {
    /// Independent cascade: each arc independently with its share
    /// probability, stored for geometric skipping as the cascade does.
    Independent {
        /// Per arc, [`rng::threshold`] of p / q, q the largest probability
        /// into the same person (`u32::MAX` keeps without a coin); empty
        /// when every arc is kept without one (each row's arcs share one
        /// probability, as with uniform trust).
        keep: Vec<u32>,
        /// ln(1 - q) per person; 0 when no arc into them can be live.
        row_log_fail: Vec<f64>,
        /// The [`rng::gap_table`] of the rows' one rate when every row
        /// with a live arc has the same; empty otherwise.
        gaps: rng::GapTable,
    },
    /// Linear threshold, in its live-edge view: at most one arc into each
    /// person is live, arc `a` with probability p[a]. Per arc, the sum of p
    /// over the arcs into the same person up to and including it.
    OneOf { cumulative: Vec<f64> },
}

impl ReverseGraph {
    /// The reverse of `graph` for the independent cascade, with share
    /// probability `p[arc]` per arc id.
    pub(super) fn new(graph: &Graph, p: &[f64]) -> ReverseGraph {
        let (offsets, sources, prob) = reverse_arcs(graph, p);
        let n = offsets.len() - 1;
        let mut row_log_fail = Vec::with_capacity(n);
        let mut keep = Vec::with_capacity(prob.len());
        for v in 0..n {
            let row = prob[offsets[v]..offsets[v + 1]].iter().copied();
            row_log_fail.push(rng::thin_row(row, &mut keep));
        }
        if keep.iter().all(|&t| t == u32::MAX) {
            keep = Vec::new();
        }
        let mut rates = row_log_fail.iter().filter(|&&lf| lf != 0.0);
        let gaps = match rates.next() {
            Some(&lf) if rates.all(|&other| other == lf) => {
                let longest = offsets.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0);
                rng::gap_table(lf, longest)
            }
            _ => rng::GapTable::default(),
        };
        ReverseGraph {
            offsets,
            sources,
            live: LiveArcs::Independent {
                keep,
                row_log_fail,
                gaps,
            },
        }
    }

    /// The reverse of `graph` for the linear threshold, with `p[arc]` the
    /// probability that the arc is the one live arc into its follower
    /// (summing to at most 1 per follower).
    pub(super) fn one_of(graph: &Graph, p: &[f64]) -> ReverseGraph {
        let (offsets, sources, mut cumulative) = reverse_arcs(graph, p);
        for v in 0..offsets.len() - 1 {
            let mut sum = 0.0;
            for c in &mut cumulative[offsets[v]..offsets[v + 1]] {
                sum += *c;
                *c = sum;
            }
        }
        ReverseGraph {
            offsets,
            sources,
            live: LiveArcs::OneOf { cumulative },
        }
    }

    /// Bytes it holds.
    pub(super) fn bytes(&self) -> u64 {
        let live = match &self.live {
            LiveArcs::Independent {
                keep,
                row_log_fail,
                gaps,
            } => keep.len() * 4 + row_log_fail.len() * 8 + gaps.bytes(),
            LiveArcs::OneOf { cumulative } => cumulative.len() * 8,
        };
        (self.offsets.len() * 8 + self.sources.len() * 4 + live) as u64
    }

    /// The people `v` follows.
    #[inline(always)]
    pub(super) fn sources(&self, v: Node) -> &[Node] {
        &self.sources[self.offsets[v as usize]..self.offsets[v as usize + 1]]
    }
}

/// The arcs of `graph` grouped by target: offsets per person, the source of
/// each arc, and `p` of each arc in that order.
pub(super) fn reverse_arcs(graph: &Graph, p: &[f64]) -> (Vec<usize>, Vec<Node>, Vec<f64>) {
    let n = graph.nodes() as usize;
    let targets = graph.targets();
    // Counting sort of the arcs by target.
    let mut offsets = vec![0usize; n + 1];
    for &v in targets {
        offsets[v as usize + 1] += 1;
    }
    for v in 0..n {
        offsets[v + 1] += offsets[v];
    }
    let mut next = offsets[..n].to_vec();
    let mut sources = vec![0 as Node; targets.len()];
    let mut prob = vec![0.0f64; targets.len()];
    for u in 0..graph.nodes() {
        for arc in graph.arc_range(u) {
            let slot = &mut next[targets[arc] as usize];
            sources[*slot] = u;
            prob[*slot] = p[arc];
            *slot += 1;
        }
    }
    (offsets, sources, prob)
}

/// RR sets stored flat: set `j` is `members[offsets[j]..offsets[j + 1]]`,
/// for `j` below [`RrSets::stored`]. Sets of their root alone (most sharing
/// sets at a low stickiness) may be kept as a count per person instead:
/// such a set is covered exactly when its root is a seed, so the greedy
/// needs only how many each person roots.
#[derive(Debug, Clone)]
pub(super) struct RrSets {
    pub(super) offsets: Vec<usize>,
    pub(super) members: Vec<Node>,
    /// Per person, the sets that are that person alone and not stored
    /// (empty: none are kept this way).
    pub(super) singles: Vec<u32>,
    /// How many sets `singles` counts in all.
    pub(super) single_sets: usize,
}

impl Default for RrSets {
    fn default() -> Self {
        RrSets {
            offsets: vec![0],
            members: Vec::new(),
            singles: Vec::new(),
            single_sets: 0,
        }
    }
}

impl RrSets {
    /// Every set, stored or counted.
    pub(super) fn len(&self) -> usize {
        self.stored() + self.single_sets
    }

    /// The sets stored flat, numbered from 0.
    pub(super) fn stored(&self) -> usize {
        self.offsets.len() - 1
    }

    pub(super) fn set(&self, j: usize) -> &[Node] {
        &self.members[self.offsets[j]..self.offsets[j + 1]]
    }

    /// Sets that are person `v` alone and counted, not stored.
    pub(super) fn singles_of(&self, v: Node) -> u32 {
        self.singles.get(v as usize).copied().unwrap_or(0)
    }

    pub(super) fn mean_size(&self) -> Option<f64> {
        (self.len() > 0).then(|| (self.members.len() + self.single_sets) as f64 / self.len() as f64)
    }
}

/// The sets {v} and the people v follows, one per person v: who a seed
/// reaches whatever the coins.
#[cfg(test)]
pub(super) fn closed_neighbourhoods(reverse: &ReverseGraph) -> RrSets {
    sure_sets(reverse, Roots::default())
}

/// One set per person `roots` may draw: whose seeding makes the root count
/// whatever the coins (the root itself, and when reach counts, the people
/// it follows).
pub(super) fn sure_sets(reverse: &ReverseGraph, roots: Roots) -> RrSets {
    let n = reverse.offsets.len() - 1;
    let mut offsets = Vec::with_capacity(n + 1);
    let mut members = Vec::new();
    offsets.push(0);
    let mut add = |v: Node| {
        members.push(v);
        if !roots.sharing {
            members.extend_from_slice(reverse.sources(v));
        }
        offsets.push(members.len());
    };
    match roots.among {
        Some(among) => among.iter().copied().for_each(&mut add),
        None => (0..n as Node).for_each(&mut add),
    }
    RrSets {
        offsets,
        members,
        ..RrSets::default()
    }
}

/// Whom RR sets start from and what a root counts: what imm maximises.
#[derive(Clone, Copy, Default)]
pub(super) struct Roots<'a> {
    /// The people roots are drawn among, uniformly (None: everyone). The
    /// target audience, to maximise reach in the target.
    pub(super) among: Option<&'a [Node]>,
    /// Whether a root counts only when it shares (the classic RR sets of
    /// Borgs et al., maximising sharers) rather than when it is reached.
    pub(super) sharing: bool,
}

impl Roots<'_> {
    /// How many people roots are drawn among: the scale of every estimate.
    pub(super) fn population(&self, nodes: u32) -> u32 {
        self.among.map_or(nodes, |a| a.len() as u32)
    }
}

/// Draws the reach RR sets of one phase.
#[derive(Clone, Copy)]
pub(super) struct Sampler<'a> {
    pub(super) reverse: &'a ReverseGraph,
    pub(super) nodes: u32,
    pub(super) seed: u64,
    pub(super) phase: u64,
    /// Threshold of an invited member posting (`u32::MAX`: always).
    pub(super) acceptance: u32,
    /// Steps the spread runs: the root counts as reached only by step
    /// `horizon`, so a set holds only people within `horizon - 1` live arcs
    /// of the root's exposers (`u32::MAX`: no limit).
    pub(super) horizon: u32,
    /// Whom the sets start from and what they count.
    pub(super) roots: Roots<'a>,
}

/// The breadth-first layers of a reverse search: the exposers are layer 0
/// (a seed among them shares at step 0 and reaches the root at step 1),
/// the people one live arc behind them layer 1, and so on. A person of
/// layer d shares at step d at the earliest, step by step as in the
/// live-arc view, so within a horizon of T steps only layers up to T - 1
/// count, and only layers up to T - 2 are searched behind.
pub(super) struct Layers {
    /// Where the current layer ends in the queue.
    end: usize,
    depth: u32,
    /// The deepest layer whose members are searched behind (None: not even
    /// the exposers', with a horizon of one step).
    deepest: Option<u32>,
}

impl Layers {
    /// Layer 0 ends at `end`; the spread runs `horizon` steps.
    pub(super) fn new(end: usize, horizon: u32) -> Layers {
        Layers {
            end,
            depth: 0,
            deepest: horizon.checked_sub(2),
        }
    }

    /// Whether the person at queue position `head` (the queue being `len`
    /// long) is searched behind: false once the layers within the horizon
    /// are all found.
    #[inline(always)]
    pub(super) fn expands(&mut self, head: usize, len: usize) -> bool {
        if head == self.end {
            self.depth += 1;
            self.end = len;
        }
        self.deepest.is_some_and(|deepest| self.depth <= deepest)
    }
}

/// Members a unit of work draws before telling the others (bounds how far
/// the memory budget can be overshot before everyone stops).
pub(super) const FLUSH_MEMBERS: u64 = 1 << 16;

impl Sampler<'_> {
    /// The key of RR set `i`.
    pub(super) fn key(&self, i: u64) -> u64 {
        rng::key(&[self.seed, Purpose::Selection as u64, self.phase, i])
    }

    /// Append RR set `i` to `out`. `visited` (a bit per person) is clear on
    /// entry and on return; `out` past its old end doubles as the queue.
    pub(super) fn sample(&self, i: u64, visited: &mut [u64], out: &mut Vec<Node>) {
        let start = out.len();
        match &self.reverse.live {
            LiveArcs::Independent {
                keep,
                row_log_fail,
                gaps,
            } if keep.is_empty() => {
                self.sample_with(i, visited, out, row_log_fail, gaps, |_| u32::MAX)
            }
            LiveArcs::Independent {
                keep,
                row_log_fail,
                gaps,
            } => self.sample_with(i, visited, out, row_log_fail, gaps, |arc| keep[arc]),
            LiveArcs::OneOf { cumulative } => self.sample_one_of(i, visited, out, cumulative),
        }
        if self.acceptance != u32::MAX {
            // Seeding a member reaches the root only if they accept; who
            // would accept is drawn once per set, independently of the arcs.
            let accept = rng::key(&[self.key(i), Purpose::Acceptance as u64]);
            let mut kept = start;
            for r in start..out.len() {
                let v = out[r];
                if rng::succeeds(rng::coin(accept, v as u64), self.acceptance) {
                    out[kept] = v;
                    kept += 1;
                }
            }
            out.truncate(kept);
        }
    }

    /// The root of RR set `i` (whose key is `key`). Reach over everyone:
    /// uniform on 0..n. Sharers or reach in the target: the population is
    /// taken in turn from a random start, so each person roots the same
    /// number of sets (give or take one). Most sharing sets at a low
    /// stickiness are the root alone, and with drawn roots the sets a
    /// person roots would swamp the few they join by live arcs (the greedy
    /// would pick whoever was drawn as a root most often); taken in turn,
    /// every root is still uniform on its own and the sets independent
    /// given their roots, so the estimates keep their mean and their
    /// concentration.
    #[inline(always)]
    fn root(&self, i: u64, key: u64) -> Node {
        let cycles = self.roots.sharing || self.roots.among.is_some();
        let m = self.roots.population(self.nodes) as u64;
        let at = if cycles {
            let start = rng::coin(
                rng::key(&[self.seed, Purpose::Selection as u64, self.phase]),
                0,
            ) % m;
            ((start + i % m) % m) as usize
        } else {
            // Multiply-shift (bias below n / 2^64).
            ((rng::coin(key, 0) as u128 * m as u128) >> 64) as usize
        };
        match self.roots.among {
            Some(among) => among[at],
            None => at as Node,
        }
    }

    /// Start RR set `i` (whose key is `key`) in `out`: its root, and, when
    /// reach counts, everyone the root follows, who expose the root
    /// without any coin.
    #[inline(always)]
    pub(super) fn root_and_exposers(
        &self,
        i: u64,
        key: u64,
        visited: &mut [u64],
        out: &mut Vec<Node>,
    ) {
        let root = self.root(i, key);
        mark(visited, root);
        out.push(root);
        if self.roots.sharing {
            return;
        }
        for &x in self.reverse.sources(root) {
            if mark(visited, x) {
                out.push(x);
            }
        }
    }

    /// The layers of the search from the set begun at `start` (its first
    /// layer ending at `end`): behind the exposers when reach counts, and
    /// behind the root itself, one layer further, when sharing does (a
    /// seed d live arcs behind the root makes it share at step d).
    #[inline(always)]
    pub(super) fn layers(&self, end: usize) -> Layers {
        let horizon = if self.roots.sharing {
            self.horizon.saturating_add(1)
        } else {
            self.horizon
        };
        Layers::new(end, horizon)
    }

    /// [`Sampler::sample`] for the independent cascade, where
    /// `row_log_fail` and `keep_threshold(arc)` give the geometric skipping
    /// and thinning of each row (see [`rng::thin_row`]), and `gaps` the gap
    /// table of every row's rate, if they share one ([`rng::gap_table`]).
    #[inline(always)]
    pub(super) fn sample_with(
        &self,
        i: u64,
        visited: &mut [u64],
        out: &mut Vec<Node>,
        row_log_fail: &[f64],
        gaps: &rng::GapTable,
        keep_threshold: impl Fn(usize) -> u32,
    ) {
        let rev = self.reverse;
        let key = self.key(i);
        let start = out.len();
        self.root_and_exposers(i, key, visited, out);
        // Then whoever reaches those by live arcs: a reverse BFS, each arc
        // into a person tried once, when they leave the queue. The arcs that
        // fire are found by geometric skipping at the row's largest rate q
        // (gaps between candidates are Geometric(q)), each candidate kept
        // with probability p / q: a logarithm per candidate rather than a
        // coin per arc (measured faster on facebook and nethept alike).
        let mut draw = 1u64;
        let mut head = start + usize::from(!self.roots.sharing);
        let mut layer = self.layers(out.len());
        while head < out.len() && layer.expands(head, out.len()) {
            // Memory latency bounds the search: fetch the row of the person
            // 4 ahead in the queue early.
            if let Some(&ahead) = out.get(head + 4) {
                let at = rev.offsets[ahead as usize];
                crate::prefetch(rev.sources.as_ptr().wrapping_add(at));
            }
            let b = out[head];
            head += 1;
            let first = rev.offsets[b as usize];
            let row = rev.sources(b);
            let mut candidates =
                rng::Candidates::new(key, draw, row_log_fail[b as usize], row.len());
            while let Some(pos) = candidates.next_candidate_skipping(gaps) {
                let a = row[pos];
                if !is_marked(visited, a) && candidates.keep(keep_threshold(first + pos)) {
                    mark(visited, a);
                    out.push(a);
                }
            }
            draw = candidates.next_draw();
        }
        unmark(visited, &out[start..]);
    }

    /// [`Sampler::sample`] for the linear threshold, IMM's reverse random
    /// walk made to count reach: after the root and its exposers, each person
    /// in the set draws their one live arc in, if any, and its source joins
    /// the set. From each exposer this is a random walk back along live
    /// arcs, ending at a person with no live arc in or at someone already
    /// in the set (whose own arc is drawn once, when they leave the queue).
    pub(super) fn sample_one_of(
        &self,
        i: u64,
        visited: &mut [u64],
        out: &mut Vec<Node>,
        cumulative: &[f64],
    ) {
        let rev = self.reverse;
        let key = self.key(i);
        let start = out.len();
        self.root_and_exposers(i, key, visited, out);
        let mut draw = 1u64;
        let mut head = start + usize::from(!self.roots.sharing);
        let mut layer = self.layers(out.len());
        while head < out.len() && layer.expands(head, out.len()) {
            let b = out[head];
            head += 1;
            let arcs = rev.offsets[b as usize]..rev.offsets[b as usize + 1];
            let row = &cumulative[arcs.clone()];
            let Some(&total) = row.last() else {
                continue;
            };
            let u = rng::unit_open(rng::coin(key, draw));
            draw += 1;
            if u <= total {
                // The arc whose slice of (0, total] holds u.
                let a = rev.sources[arcs.start + row.partition_point(|&c| c < u)];
                if mark(visited, a) {
                    out.push(a);
                }
            }
        }
        unmark(visited, &out[start..]);
    }

    /// Grow `sets` to `count` sets (numbers `sets.len()..count`), in
    /// parallel, in index order, telling `progress` how many are drawn.
    /// Fails if they would not fit in `max_bytes`: as soon as the mean
    /// size of the sets drawn so far says so, and at the latest when the
    /// members drawn exceed it.
    pub(super) fn extend(
        &self,
        sets: &mut RrSets,
        count: u64,
        max_bytes: u64,
        progress: &dyn Fn(u64),
    ) -> Result<(), TooBig> {
        let have = sets.len() as u64;
        if count <= have {
            return Ok(());
        }
        // Members allowed in all: what is left of the budget after the
        // per-set and per-person costs.
        let fixed = bytes_needed(count, 0, self.nodes);
        let allowed = if fixed > max_bytes {
            0
        } else {
            ((max_bytes - fixed) / 8).min(MAX_MEMBERS)
        };
        let too_big = |members: u64| TooBig {
            sets: count,
            members,
            bytes: bytes_needed(count, members, self.nodes),
            max_bytes,
        };
        if sets.mean_size().is_none() && fixed > max_bytes {
            return Err(too_big(count));
        }
        // Sharing sets are mostly their root alone: counted per person, not
        // stored (the members budget still counts them, erring safe).
        let count_singles = self.roots.sharing;
        if count_singles && sets.singles.is_empty() {
            sets.singles = vec![0; self.nodes as usize];
        }
        let mut reserved = count_singles;
        let threads = rayon::current_num_threads() as u64;
        let words = (self.nodes as usize).div_ceil(64);
        let used = AtomicU64::new(sets.members.len() as u64);
        let mut next = have;
        while next < count {
            let batch = match sets.mean_size() {
                Some(mean) => {
                    // The sets drawn so far project the total.
                    let projected = (mean * count as f64) as u64;
                    let margin = if (sets.len() as u64) < TRUSTED_SETS {
                        2
                    } else {
                        1
                    };
                    if projected > allowed.saturating_mul(margin) {
                        return Err(too_big(projected));
                    }
                    if !reserved {
                        let members = projected.min(allowed);
                        sets.members
                            .reserve(members.saturating_sub(sets.members.len() as u64) as usize);
                        sets.offsets.reserve((count - next) as usize);
                        reserved = true;
                    }
                    // Batches of about 2^24 members keep the chunks' own
                    // buffers (copied into `sets` afterwards) small.
                    let batch = ((1u64 << 24) as f64 / mean.max(1.0)) as u64;
                    batch.clamp(threads * 64, 1 << 20)
                }
                // A first batch measures the sets' size.
                None => PILOT_SETS,
            }
            .min(count - next);
            let chunk = (batch / (threads * 8)).clamp(16, 4096);
            let chunks = batch.div_ceil(chunk);
            let lo = next;
            let hi = next + batch;
            type Part = (Vec<Node>, Vec<u32>, Vec<Node>);
            let parts: Vec<Option<Part>> = (0..chunks)
                .into_par_iter()
                .map_init(
                    || vec![0u64; words],
                    |visited, c| {
                        let a = lo + c * chunk;
                        let b = (a + chunk).min(hi);
                        let mut members = Vec::new();
                        let mut sizes = Vec::with_capacity((b - a) as usize);
                        let mut alone = Vec::new();
                        let mut unreported = 0u64;
                        for i in a..b {
                            let before = members.len();
                            self.sample(i, visited, &mut members);
                            let size = members.len() - before;
                            if count_singles && size == 1 {
                                alone.push(members.pop().expect("a set holds its root"));
                            } else {
                                sizes.push(size as u32);
                            }
                            unreported += size as u64;
                            if unreported >= FLUSH_MEMBERS || i + 1 == b {
                                let total =
                                    used.fetch_add(unreported, Ordering::Relaxed) + unreported;
                                unreported = 0;
                                if total > allowed {
                                    return None;
                                }
                            }
                        }
                        Some((members, sizes, alone))
                    },
                )
                .collect();
            for part in parts {
                // Every member is counted once, whatever the split, so the
                // budget fails exactly when the sets' true total exceeds it.
                let Some((members, sizes, alone)) = part else {
                    return Err(too_big(used.load(Ordering::Relaxed)));
                };
                sets.single_sets += alone.len();
                for v in alone {
                    sets.singles[v as usize] += 1;
                }
                let mut end = sets.members.len();
                sets.members.extend_from_slice(&members);
                for s in sizes {
                    end += s as usize;
                    sets.offsets.push(end);
                }
            }
            next = hi;
            progress(next);
        }
        Ok(())
    }
}

/// Clear the bits of `people`.
#[inline(always)]
pub(super) fn unmark(bits: &mut [u64], people: &[Node]) {
    for &v in people {
        bits[(v >> 6) as usize] &= !(1u64 << (v & 63));
    }
}

/// Set `v`'s bit; false if it was set already.
#[inline(always)]
pub(super) fn mark(bits: &mut [u64], v: Node) -> bool {
    let w = &mut bits[(v >> 6) as usize];
    let b = 1u64 << (v & 63);
    let fresh = *w & b == 0;
    *w |= b;
    fresh
}

#[inline(always)]
pub(super) fn is_marked(bits: &[u64], v: Node) -> bool {
    bits[(v >> 6) as usize] & (1u64 << (v & 63)) != 0
}
