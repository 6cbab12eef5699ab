//! Linear threshold (Kempe, Kleinberg & Tardos 2003), scaled by the
//! content's stickiness: complex contagion, where a person acts only once
//! enough of the people they follow have shared.
//!
//! # The rule
//!
//! Every arc `u -> v` (`v` follows `u`) carries the influence weight
//! b(u, v) = trust(u -> v) / W(v), where W(v) is the total trust of every
//! arc into `v` (everyone `v` follows), so that the weights into a person
//! add up to one. A person whose arcs in all have trust 0 (W(v) = 0) is
//! never influenced. In each run every person `v` has a threshold theta_v,
//! uniform on (0, 1]. The seeds share at step 0. Whoever shares at step t
//! exposes all their followers at step t + 1 (they are reached), and a
//! follower `v` who has not shared yet shares at step t + 1 if
//!
//! ```text
//! stickiness x I(v) >= theta_v,
//! I(v) = sum of b(u, v) over the people u that v follows who shared at step t or before.
//! ```
//!
//! A person shares at most once. Stickiness 1 is exactly Kempe et al.'s
//! linear threshold model; stickiness s < 1 is that model with weights
//! s b(u, v), which sum to s per person.
//!
//! # Exact probabilities: the live-edge view
//!
//! By Kempe et al.'s Claim 2.6 (weights into a person summing to at most 1,
//! thresholds uniform), the sequence of sharer sets, step by step, has the
//! same distribution as in this process: every person `v` keeps at most one
//! arc into them live, arc `u -> v` with probability s b(u, v) and none
//! with probability 1 - s (1 when W(v) = 0), independently per person; the
//! sharers by step t are the people joined to a seed by a path of at most t
//! live arcs. Small graphs can so be enumerated exactly
//! (tests/linear_threshold.rs), and `imm` draws its reverse samples this way
//! ([`live_arc_probabilities`]).
//!
//! # Randomness and cost
//!
//! theta_v is the draw at counter `v` of the counter-based stream keyed by
//! (seed, run, [`Purpose::Threshold`]): a pure function of (seed, run, v),
//! recomputed (one hash) whenever `v` is checked instead of being stored.
//! Run r's thresholds are therefore the same for every seed set (common
//! random numbers), and as influence only grows with more sharers, a seed
//! set's sharers contain those of any of its subsets, run by run.
//!
//! The rule is checked as s x T(v) >= theta_v x W(v), with T(v) = W(v) I(v)
//! the trust of the arcs from sharers into `v`: no division, and a person
//! whose every followed person shared (T = W) shares for certain at
//! stickiness 1. Each sharer's row is read once; T is kept per person in
//! the workspace and cleared through the list of people reached, so a
//! run's reset is O(reach), not O(people).
//!
//! # Activity schedules
//!
//! With `[activity]` a share counts when it is seen: when `u` shares at
//! step t, a follower `v` sees it at the first step s of t + 1 ..=
//! t + visible_for at which `v` is online (see [`Schedule`]), is
//! reached then, and only then does trust(u -> v) join T(v); `v` shares at
//! s if the rule holds with the shares seen so far. A share `v` never sees
//! in its window never counts. Seeds offline at the start step post when
//! they come online. With everyone always online this is the rule above,
//! step for step.

use super::{
    LiveArcs, Marks, Metric, Model, ModelKind, RivalSeeding, Row, RunRecord, SpreadModel,
    SpreadSpec, Tallied, Tally,
};

/// A run's rows.
const ROWS: [Metric; 3] = [Metric::Reached, Metric::Shared, Metric::Impressions];
const REACHED: Row = Row::of(&ROWS, Metric::Reached);
const SHARED: Row = Row::of(&ROWS, Metric::Shared);
const IMPRESSIONS: Row = Row::of(&ROWS, Metric::Impressions);

/// `linear-threshold`: content that needs several friends.
pub const KIND: ModelKind = ModelKind {
    name: "linear-threshold",
    about: "Linear threshold (content that needs several friends): a person shares once stickiness times the trust-weighted share of the people they follow who shared reaches their own threshold, drawn afresh in every run.",
    fades: false,
    ads: false,
    rival: false,
    schedules: true,
    thresholds_apply: false,
    live_arcs: Some(LiveArcs::OneInto(live_arc_probabilities)),
    rows: |_| &ROWS,
    build,
    // The total trust into each person, and per worker the trust from
    // sharers so far.
    bytes_per_person: 8,
    worker_bytes_per_person: 8,
};

fn build<'g>(
    spread: &SpreadSpec,
    graph: &'g Graph,
    tally: Tally<'g>,
    _rival: Option<RivalSeeding<'g>>,
) -> Model<'g> {
    let mut model = LinearThreshold::new(graph, spread.stickiness, spread.steps, spread.seed)
        .with_start(spread.start_step);
    if let Some(slots) = spread
        .resonance
        .as_ref()
        .and_then(|r| super::Resonance::per_slot(graph, spread.stickiness, &r.ours))
    {
        model = model.with_resonance(slots);
    }
    if let Some(activity) = spread.activity.as_ref().filter(|a| !a.always_online()) {
        model = model.with_activity(Schedule::new(activity, graph));
    }
    Model::LinearThreshold(Tallied::new(model, tally))
}
use super::activity::{Pending, Schedule};
use crate::graph::{Graph, Node};
use crate::rng::{self, Purpose};

/// What waits in a feed for a step ahead, with an activity schedule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Seen {
    /// A seed sees the content they were given, and posts it.
    Seed,
    /// A follower sees a share over an arc of this trust.
    Share(f64),
}

/// The linear threshold model over one graph.
pub struct LinearThreshold<'g> {
    graph: &'g Graph,
    stickiness: f64,
    /// Per segment slot, the stickiness that scales the weighted sum of a
    /// follower of that slot (`[content] stickiness_by_segment`), if any.
    per_slot: Option<Vec<f64>>,
    /// W(v) per person, the total trust of the arcs into them; infinite
    /// when it is 0, so that theta_v x W(v) is never reached.
    in_trust: Vec<f64>,
    steps: u32,
    seed: u64,
    /// The step at which the seeds share.
    start: usize,
    /// When people are online, if not always (see [`super::activity`]).
    schedule: Option<Schedule>,
}

/// Reused state of one worker.
pub struct Workspace {
    marks: Marks,
    /// T(v) per person: the trust of the arcs into them from people who
    /// shared so far in this run. Nonzero only for people reached.
    trust_from_sharers: Vec<f64>,
    sharing: Vec<Node>,
    next: Vec<Node>,
    /// What people see in the steps ahead, with an activity schedule.
    pending: Pending<Seen>,
}

/// W(v), the total trust of the arcs into each person (everyone they
/// follow), summed in arc order.
pub fn in_trust(graph: &Graph) -> Vec<f64> {
    let mut w = vec![0.0f64; graph.nodes() as usize];
    for (&v, &t) in graph.targets().iter().zip(graph.trust()) {
        w[v as usize] += t as f64;
    }
    w
}

/// Per arc id `u -> v`, s x b(u, v) = stickiness x trust(u -> v) / W(v)
/// (0 when W(v) = 0): the probability that the arc is the one live arc into
/// `v` in the live-edge view. Each person's arcs in sum to `stickiness` (or
/// 0).
pub fn live_arc_probabilities(graph: &Graph, stickiness: f64) -> Vec<f64> {
    let w = in_trust(graph);
    graph
        .targets()
        .iter()
        .zip(graph.trust())
        .map(|(&v, &t)| {
            let w = w[v as usize];
            if w > 0.0 {
                (stickiness * t as f64 / w).clamp(0.0, 1.0)
            } else {
                0.0
            }
        })
        .collect()
}

impl<'g> LinearThreshold<'g> {
    /// Content with `stickiness` in [0, 1] spreading by thresholds over
    /// `graph`, run for `steps` steps, with thresholds drawn from `seed`.
    pub fn new(graph: &'g Graph, stickiness: f64, steps: u32, seed: u64) -> Self {
        let in_trust = in_trust(graph)
            .into_iter()
            .map(|w| if w > 0.0 { w } else { f64::INFINITY })
            .collect();
        LinearThreshold {
            graph,
            stickiness: stickiness.clamp(0.0, 1.0),
            per_slot: None,
            in_trust,
            steps,
            seed,
            start: 0,
            schedule: None,
        }
    }

    /// Let a share count in a follower's sum only once they see it, when
    /// online, as `schedule` says (see the module's documentation).
    pub fn with_activity(mut self, schedule: Schedule) -> Self {
        self.schedule = Some(schedule);
        self
    }

    /// Whether anything can still happen from `step` on, given who shared
    /// at the step before (`sharing`) and what waits in feeds (`pending`):
    /// the seeds have yet to post, someone just shared, or a share or a
    /// seed's content waits to be seen. Once this is false every count
    /// stays where it is to the last step.
    #[inline]
    pub fn more_to_come(&self, step: usize, sharing: &[Node], pending: &Pending<Seen>) -> bool {
        step <= self.start || !sharing.is_empty() || !pending.is_empty()
    }

    /// Let the stickiness that scales a follower's weighted sum be that of
    /// their segment slot, one per slot (see
    /// [`super::Resonance::per_slot`]).
    pub fn with_resonance(mut self, per_slot: Vec<f64>) -> Self {
        self.per_slot = Some(per_slot.into_iter().map(|s| s.clamp(0.0, 1.0)).collect());
        self
    }

    /// The stickiness that scales `v`'s weighted sum.
    #[inline(always)]
    fn stickiness_of(&self, v: Node) -> f64 {
        match (&self.per_slot, self.graph.segments()) {
            (Some(slots), Some(segments)) => slots[segments.slot(v)],
            _ => self.stickiness,
        }
    }

    /// Let the seeds share at `step` rather than at step 0: thresholds do
    /// not age, so every count is the plain run's, `step` steps later.
    pub fn with_start(mut self, step: u32) -> Self {
        self.start = step as usize;
        self
    }
}

impl SpreadModel for LinearThreshold<'_> {
    type Workspace = Workspace;

    fn metrics(&self) -> Vec<Metric> {
        ROWS.to_vec()
    }

    fn marks<'w>(&self, ws: &'w Workspace) -> &'w Marks {
        &ws.marks
    }

    fn workspace(&self) -> Workspace {
        Workspace {
            marks: Marks::new(self.graph.nodes()),
            trust_from_sharers: vec![0.0; self.graph.nodes() as usize],
            sharing: Vec::new(),
            next: Vec::new(),
            pending: self
                .schedule
                .as_ref()
                .map_or_else(Pending::default, |s| Pending::new(s.visible_for())),
        }
    }

    fn run(&self, ws: &mut Workspace, seeds: &[Node], run: u64, mut record: RunRecord) {
        if let Some(schedule) = &self.schedule {
            return self.run_scheduled(schedule, ws, seeds, run, record);
        }
        let key = rng::run_key(self.seed, run, Purpose::Threshold);
        let targets = self.graph.targets();
        let trust = self.graph.trust();
        let Workspace {
            marks,
            trust_from_sharers,
            sharing,
            next,
            ..
        } = ws;
        // Only people reached were ever influenced.
        for &v in marks.reached_people() {
            trust_from_sharers[v as usize] = 0.0;
        }
        marks.reset();
        sharing.clear();
        // Nobody is reached before the seeds post.
        let start = self.start.min(self.steps as usize + 1);
        record.row(REACHED)[..start].fill(0);
        record.row(SHARED)[..start].fill(0);
        record.row(IMPRESSIONS)[..start].fill(0);
        if start > self.steps as usize {
            record.hold_from(1);
            return;
        }
        for &s in seeds {
            marks.share(s);
            sharing.push(s);
        }
        let mut shared = seeds.len() as u32;
        record.row(REACHED)[start] = marks.reached_count();
        record.row(SHARED)[start] = shared;
        record.row(IMPRESSIONS)[start] = 0;
        // Posts shown to followers, counted the step after the share.
        let mut shown = 0u32;

        let mut step = start + 1;
        while step <= self.steps as usize && !sharing.is_empty() {
            next.clear();
            let n = sharing.len();
            for i in 0..n {
                // As in the cascade, memory latency bounds a run: fetch the
                // rows of the sharers a few ahead early.
                if i + 8 < n {
                    self.graph.prefetch_row_bounds(sharing[i + 8]);
                }
                if i + 4 < n {
                    let start = self.graph.arc_range(sharing[i + 4]).start;
                    crate::prefetch(targets.as_ptr().wrapping_add(start));
                }
                let arcs = self.graph.arc_range(sharing[i]);
                shown = shown.saturating_add(arcs.len() as u32);
                for arc in arcs {
                    let v = targets[arc];
                    if marks.reach(v) {
                        continue;
                    }
                    // Checking after each arc rather than once the step's
                    // sharers are all counted gives the same answer: T only
                    // grows, and `v` shares at step t + 1 either way.
                    let t = &mut trust_from_sharers[v as usize];
                    *t += trust[arc] as f64;
                    let theta = rng::unit_open(rng::coin(key, v as u64));
                    if self.stickiness_of(v) * *t >= theta * self.in_trust[v as usize] {
                        marks.share(v);
                        next.push(v);
                    }
                }
            }
            shared += next.len() as u32;
            record.row(REACHED)[step] = marks.reached_count();
            record.row(SHARED)[step] = shared;
            record.row(IMPRESSIONS)[step] = shown;
            std::mem::swap(sharing, next);
            step += 1;
        }
        // Nobody shares any more: the counts stay where they are.
        record.hold_from(step);
    }
}

impl LinearThreshold<'_> {
    /// One run with an activity schedule: a share joins the follower's sum
    /// at the step they see it.
    fn run_scheduled(
        &self,
        schedule: &Schedule,
        ws: &mut Workspace,
        seeds: &[Node],
        run: u64,
        mut record: RunRecord,
    ) {
        let key = rng::run_key(self.seed, run, Purpose::Threshold);
        let online_key = Schedule::run_key(self.seed, run);
        let targets = self.graph.targets();
        let trust = self.graph.trust();
        let last = self.steps as usize;
        let Workspace {
            marks,
            trust_from_sharers,
            sharing,
            next,
            pending,
        } = ws;
        for &v in marks.reached_people() {
            trust_from_sharers[v as usize] = 0.0;
        }
        marks.reset();
        sharing.clear();
        pending.reset();
        // `v` sees a share over an arc of trust `t`: it counts now.
        let mut influence = |marks: &mut Marks, next: &mut Vec<Node>, v: Node, t: f64| {
            if marks.reach(v) {
                return;
            }
            let sum = &mut trust_from_sharers[v as usize];
            *sum += t;
            let theta = rng::unit_open(rng::coin(key, v as u64));
            if self.stickiness_of(v) * *sum >= theta * self.in_trust[v as usize] {
                marks.share(v);
                next.push(v);
            }
        };
        // A seed sees the content given to them, and posts it.
        let post = |marks: &mut Marks, next: &mut Vec<Node>, v: Node| {
            if !marks.reach(v) {
                marks.share(v);
                next.push(v);
            }
        };
        let (mut shared, mut shown) = (0u32, 0u32);
        let mut step = 0usize;
        while step <= last && self.more_to_come(step, sharing, pending) {
            next.clear();
            if step == self.start {
                for &s in seeds {
                    match schedule.first_online(online_key, self.graph, s, step, last) {
                        Some(at) if at == step => post(marks, next, s),
                        Some(at) => pending.add(at, s, Seen::Seed),
                        None => {}
                    }
                }
            }
            pending.due(step, |v, what| match what {
                Seen::Seed => post(marks, next, v),
                Seen::Share(t) => {
                    shown = shown.saturating_add(1);
                    influence(marks, next, v, t);
                }
            });
            for &u in sharing.iter() {
                for arc in self.graph.arc_range(u) {
                    let v = targets[arc];
                    let t = trust[arc] as f64;
                    match schedule.first_online(online_key, self.graph, v, step, last) {
                        Some(at) if at == step => {
                            shown = shown.saturating_add(1);
                            influence(marks, next, v, t);
                        }
                        Some(at) => pending.add(at, v, Seen::Share(t)),
                        None => {}
                    }
                }
            }
            shared += next.len() as u32;
            record.row(REACHED)[step] = marks.reached_count();
            record.row(SHARED)[step] = shared;
            record.row(IMPRESSIONS)[step] = shown;
            std::mem::swap(sharing, next);
            step += 1;
        }
        // Nothing waits and nobody shares any more: the counts stay where
        // they are.
        record.hold_from(step);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Run `model` from `seeds` for `runs` runs and count, per person, the
    /// runs in which they were reached and in which they shared.
    fn per_person(model: &LinearThreshold, seeds: &[Node], runs: u64) -> (Vec<u64>, Vec<u64>) {
        let n = model.graph.nodes();
        let mut ws = model.workspace();
        let mut data = vec![0u32; 3 * (model.steps as usize + 1)];
        let (mut reached, mut shared) = (vec![0u64; n as usize], vec![0u64; n as usize]);
        for r in 0..runs {
            let record = RunRecord::new(&mut data, model.steps);
            model.run(&mut ws, seeds, r, record);
            for &v in ws.marks.reached_people() {
                reached[v as usize] += 1;
                shared[v as usize] += ws.marks.has_shared(v) as u64;
            }
        }
        (reached, shared)
    }

    /// Whether `hits` of `runs` fits probability `p`: within 5 binomial
    /// standard deviations (exactly, when p is 0 or 1).
    fn fits(hits: u64, runs: u64, p: f64) -> bool {
        let sd = (p * (1.0 - p) / runs as f64).sqrt();
        (hits as f64 / runs as f64 - p).abs() <= 5.0 * sd
    }

    #[test]
    fn adoption_probabilities_on_a_small_dag() {
        // 0 is the seed. 2 follows 0 (trust 0.9) and 1 (0.3, never
        // shares); 3 follows 2 (0.8) and 5 (0.2, never shares); 4 follows 2
        // (0.5) and 3 (0.25); 6 follows 0 with trust 0, so W(6) = 0.
        let arcs = vec![(0, 2), (0, 6), (1, 2), (2, 3), (2, 4), (3, 4), (5, 3)];
        let mut g = Graph::from_arcs(7, arcs);
        g.set_trust(vec![0.9, 0.0, 0.3, 0.8, 0.5, 0.25, 0.2]);
        let s = 0.7;
        let m = LinearThreshold::new(&g, s, 10, 3);
        let runs = 100_000;
        let (reached, shared) = per_person(&m, &[0], runs);
        // 2 shares when theta_2 <= s b(0, 2); 3 when 2 did and theta_3 <=
        // s b(2, 3); 4 when 2 did and theta_4 <= s b(2, 4), or later when 3
        // did too and theta_4 <= s (b(2, 4) + b(3, 4)) = s.
        let p2 = s * 0.9 / 1.2;
        let p3 = p2 * s * 0.8 / 1.0;
        let p4 = p2 * s * (0.5 / 0.75) + p3 * s * (0.25 / 0.75);
        let expect_shared = [1.0, 0.0, p2, p3, p4, 0.0, 0.0];
        let expect_reached = [1.0, 0.0, 1.0, p2, p2, 0.0, 1.0];
        for v in 0..7 {
            assert!(
                fits(shared[v], runs, expect_shared[v]),
                "person {v} shared in {} of {runs}, expected p = {}",
                shared[v],
                expect_shared[v]
            );
            assert!(
                fits(reached[v], runs, expect_reached[v]),
                "person {v} reached in {} of {runs}, expected p = {}",
                reached[v],
                expect_reached[v]
            );
        }
    }

    #[test]
    fn a_sole_followed_person_passes_it_on_with_the_stickiness_whatever_the_trust() {
        // Each leaf follows only the hub, so b = 1 whatever the trust.
        let leaves = 200u32;
        let mut g = Graph::from_arcs(leaves + 1, (1..=leaves).map(|v| (0, v)).collect());
        g.set_trust((0..leaves).map(|i| 0.1 + 0.9 * (i % 2) as f32).collect());
        let runs = 2000u64;
        let (_, shared) = per_person(&LinearThreshold::new(&g, 0.4, 1, 9), &[0], runs);
        // Per half, Binomial(runs x leaves / 2, 0.4); 5 sd.
        for half in 0..2 {
            let hits: u64 = (1..=leaves as usize)
                .filter(|v| (v - 1) % 2 == half)
                .map(|v| shared[v])
                .sum();
            assert!(fits(hits, runs * leaves as u64 / 2, 0.4), "{hits}");
        }
        // At stickiness 1 a chain passes it all the way; at 0, nobody.
        let mut chain = Graph::from_arcs(50, (0..49).map(|v| (v, v + 1)).collect());
        chain.set_trust((0..49).map(|i| 0.01 + (i as f32) / 50.0).collect());
        for (s, sharers) in [(1.0, 50), (0.0, 1)] {
            let m = LinearThreshold::new(&chain, s, 100, 1);
            let (_, shared) = per_person(&m, &[0], 50);
            assert_eq!(shared.iter().filter(|&&c| c == 50).count(), sharers);
            assert_eq!(shared.iter().filter(|&&c| c == 0).count(), 50 - sharers);
        }
    }

    #[test]
    fn a_reused_workspace_gives_what_a_fresh_one_gives() {
        // A run that influences many people who never share, then another:
        // the reset through the reached list must leave nothing behind.
        let edges: Vec<(Node, Node)> = (0..3000u32)
            .flat_map(|u| [(u, (u * 7 + 1) % 3000), (u, (u * 13 + 5) % 3000)])
            .filter(|(a, b)| a != b)
            .map(|(a, b)| (a.min(b), a.max(b)))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let g = Graph::from_undirected(3000, &edges);
        let m = LinearThreshold::new(&g, 0.9, 40, 5);
        let steps = 40usize;
        let record = |ws: &mut Workspace, seeds: &[Node], run: u64| {
            let mut data = vec![0u32; 3 * (steps + 1)];
            m.run(ws, seeds, run, RunRecord::new(&mut data, steps as u32));
            data
        };
        let mut used = m.workspace();
        let big = record(&mut used, &(0..300).collect::<Vec<_>>(), 7);
        assert!(big[steps] > 1000, "the first run should reach widely");
        for run in 0..20 {
            let again = record(&mut used, &[11, 12], run);
            assert_eq!(again, record(&mut m.workspace(), &[11, 12], run));
        }
    }
}
