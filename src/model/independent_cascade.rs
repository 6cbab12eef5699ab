//! Independent cascade (Kempe, Kleinberg & Tardos 2003) with per-arc
//! probability p(u -> v) = stickiness * trust(u -> v), in discrete steps:
//! the seeds share at step 0; a person who shares at step t exposes all
//! their followers at step t + 1, and each follower who has not shared yet
//! shares with that arc's probability, independently per arc.
//!
//! Randomness: a person shares at most once per run, so each sharer's arcs
//! are tried once, with coins from a counter-based stream keyed by
//! (seed, run, sharer) (see [`crate::rng`]). Run `r` is therefore one draw
//! of the live arcs of a bond percolation, the same for every seeding
//! strategy (common random numbers).
//!
//! Speed: every follower of a sharer must be visited anyway to count who is
//! reached, so a step runs in three passes: the coins of every sharer's
//! row, which jump straight to the arcs that fire by geometric skipping
//! (gaps between successes of probability q are Geometric(q)) and need only
//! the rows' lengths, so the rows arrive from memory meanwhile; a tight
//! pass marking the reached; then the arcs that fired. With trust varying
//! per arc, candidates are drawn at the row's largest probability q and
//! each is kept with probability p / q (thinning), which gives every arc
//! exactly its own probability p.
//!
//! Novelty decay (Wu & Huberman 2007): with a half-life h, content shared
//! at step t spreads with stickiness x 0.5^(t / h), so every probability of
//! a sharer's row scales by the same factor; the thinning ratios p / q stay
//! as they are and only the row's candidate rate changes, looked up per
//! step rather than computed per arc.
//!
//! Paid reach (the external influence of Bass's diffusion model): in each
//! step of a paid window every person sees an ad with probability r. Those
//! not reached yet are reached by the ad (paid reach), and each shares it
//! with the ad's own stickiness, becoming a sharer of that step. Ads of a
//! step are shown before that step's word of mouth, so a person both sees
//! the ad and hears from a friend in one step counts as paid reach, and
//! still gets the friend's chance to share. Viewers are found by geometric
//! skipping over everyone, O(n r) per step.
//!
//! Impressions: a sharer's post is shown to all their followers at the
//! step after the share, so each sharer adds their row's length when their
//! row is read; ad views are added as they are shown.

use super::activity::{Pending, Schedule, Waiting};
use super::ads::{Ads, Picks};
use super::share_rates::{ShareArcs, ShareRates};
use super::{
    dressed, CompetitiveCascade, LiveArcs, Marks, MarksSnapshot, Metric, Model, ModelKind,
    Resonance, Rival, RivalSeeding, Row, RunRecord, SpreadModel, SpreadSpec, Tallied, Tally,
};
use crate::graph::{Graph, Node};
use crate::rng::{self, Purpose};

/// A run's rows: reached and shared, then with ads paid reached, earned
/// reached and ad views; impressions last.
const ROWS: [Metric; 6] = [
    Metric::Reached,
    Metric::Shared,
    Metric::PaidReached,
    Metric::EarnedReached,
    Metric::AdViews,
    Metric::Impressions,
];
/// The rows without ads.
const PLAIN_ROWS: [Metric; 3] = [Metric::Reached, Metric::Shared, Metric::Impressions];
const REACHED: Row = Row::of(&ROWS, Metric::Reached);
const SHARED: Row = Row::of(&ROWS, Metric::Shared);
const PAID: Row = Row::of(&ROWS, Metric::PaidReached);
const EARNED: Row = Row::of(&ROWS, Metric::EarnedReached);
const VIEWS: Row = Row::of(&ROWS, Metric::AdViews);
const IMPRESSIONS: Row = Row::of(&ROWS, Metric::Impressions);
const PLAIN_IMPRESSIONS: Row = Row::of(&PLAIN_ROWS, Metric::Impressions);

/// `independent-cascade`, the default model.
pub const KIND: ModelKind = ModelKind {
    name: "independent-cascade",
    about: "Independent cascade: everyone who shares gives each follower one chance, stickiness × trust, to share it on; a person shares at most once.",
    fades: true,
    ads: true,
    rival: true,
    schedules: true,
    thresholds_apply: true,
    live_arcs: Some(LiveArcs::Independent(live_arc_probabilities)),
    rows: |spread| match spread.rival {
        Some(_) => super::competitive_cascade::rows(spread.ads.is_some()),
        None => rows(spread.ads.is_some()),
    },
    build,
    bytes_per_person: 0,
    worker_bytes_per_person: 0,
};

/// The rows a run records, with or without ads.
fn rows(ads: bool) -> &'static [Metric] {
    if ads {
        &ROWS
    } else {
        &PLAIN_ROWS
    }
}

/// The cascade `spread` describes; against a rival content, the
/// competitive cascade of the two.
fn build<'g>(
    spread: &SpreadSpec,
    graph: &'g Graph,
    tally: Tally<'g>,
    rival: Option<RivalSeeding<'g>>,
) -> Model<'g> {
    let (stickiness, steps, seed) = (spread.stickiness, spread.steps, spread.seed);
    match spread.rival {
        Some(content) => {
            let seeding = rival.expect("the rival's seeds are chosen before its model is built");
            let content = Rival {
                stickiness: content.stickiness,
                seeds: seeding.seeds,
                start_step: content.start_step,
            };
            let (ours, theirs) = match &spread.resonance {
                Some(r) => (
                    Resonance::per_slot(graph, stickiness, &r.ours),
                    Resonance::per_slot(graph, content.stickiness, &r.rival),
                ),
                None => (None, None),
            };
            let mut model = CompetitiveCascade::new(graph, stickiness, steps, seed, content)
                .with_resonance(
                    (stickiness, content.stickiness),
                    ours.as_deref(),
                    theirs.as_deref(),
                )
                .with_our_start(spread.start_step);
            if let Some(slots) = ad_resonance(spread, graph) {
                model = model.with_ad_resonance(&slots);
            }
            if let Some(activity) = spread.activity.as_ref().filter(|a| !a.always_online()) {
                model = model.with_activity(Schedule::new(activity, graph));
            }
            if !tally.reads_reached() {
                model = model.unlisted();
            }
            Model::CompetitiveCascade(Tallied::new(dressed(model, spread), tally))
        }
        None => {
            let mut model = IndependentCascade::new(graph, stickiness, steps, seed)
                .with_start(spread.start_step);
            let per_slot = spread
                .resonance
                .as_ref()
                .and_then(|r| Resonance::per_slot(graph, stickiness, &r.ours));
            if let Some(slots) = per_slot {
                model = model.with_resonance(stickiness, &slots);
            }
            if let Some(slots) = ad_resonance(spread, graph) {
                model = model.with_ad_resonance(&slots);
            }
            if let Some(activity) = spread.activity.as_ref().filter(|a| !a.always_online()) {
                model = model.with_activity(Schedule::new(activity, graph));
            }
            if !tally.reads_reached() {
                model = model.unlisted();
            }
            Model::IndependentCascade(Tallied::new(dressed(model, spread), tally))
        }
    }
}

/// Per segment slot, the stickiness with which a new ad viewer shares the
/// ad, if the ads have a table of their own (`[paid]
/// stickiness_by_segment`).
fn ad_resonance(spread: &SpreadSpec, graph: &Graph) -> Option<Vec<f64>> {
    match (&spread.resonance, &spread.ads) {
        (Some(r), Some(super::AdsSpec::Chance(paid))) => {
            Resonance::per_slot(graph, paid.stickiness, &r.ads)
        }
        (Some(r), Some(super::AdsSpec::Budget(own))) => {
            Resonance::per_slot(graph, own.stickiness, &r.ads)
        }
        _ => None,
    }
}

/// Per arc id, the chance that the arc passes the content on:
/// stickiness x trust.
pub fn live_arc_probabilities(graph: &Graph, stickiness: f64) -> Vec<f64> {
    graph
        .trust()
        .iter()
        .map(|&t| (stickiness * t as f64).clamp(0.0, 1.0))
        .collect()
}

/// The independent cascade over one graph.
pub struct IndependentCascade<'g> {
    graph: &'g Graph,
    rates: ShareRates,
    steps: u32,
    seed: u64,
    /// The step at which the seeds share.
    start: usize,
    /// Paid exposure, if any.
    ads: Option<Ads>,
    /// When people are online, if not always (see [`super::activity`]).
    schedule: Option<Schedule>,
    /// Per segment slot, the threshold of a new ad viewer sharing the ad
    /// (`[paid] stickiness_by_segment`), if the ads have one.
    ad_share: Option<Vec<u32>>,
    /// Whether large runs may go without the reached list (see
    /// [`Marks::unlisted_when_large`]).
    unlisted: bool,
}

/// Reused state of one worker.
pub struct Workspace {
    marks: Marks,
    sharing: Vec<Node>,
    next: Vec<Node>,
    /// The draws of ads with a fixed count of views.
    picks: Picks,
    /// What people see in the steps ahead, with an activity schedule.
    pending: Pending,
    /// The marks once the first sharers' followers are reached, taken in
    /// this worker's first run (see [`Marks::snapshot`]).
    first_rows: Option<MarksSnapshot>,
    /// The arc ids of each sharer's row in this step, in `sharing`'s order.
    rows: Vec<std::ops::Range<usize>>,
    /// The arcs that fire in this step, in the order of the rows.
    live: Vec<usize>,
}

impl<'g> IndependentCascade<'g> {
    /// A cascade of content with `stickiness` in [0, 1] over `graph`, run for
    /// `steps` steps, with coins drawn from `seed`.
    pub fn new(graph: &'g Graph, stickiness: f64, steps: u32, seed: u64) -> Self {
        IndependentCascade {
            graph,
            rates: ShareRates::new(graph, stickiness),
            steps,
            seed,
            start: 0,
            ads: None,
            schedule: None,
            ad_share: None,
            unlisted: false,
        }
    }

    /// Let a run that follows one which reached many people go without
    /// the list of who was reached, for callers that never read it (see
    /// [`Marks::unlisted_when_large`]).
    pub fn unlisted(mut self) -> Self {
        self.unlisted = true;
        self
    }

    /// Let a new ad viewer share the ad with the stickiness of their
    /// segment slot, one per slot (see [`super::Resonance::per_slot`]).
    pub fn with_ad_resonance(mut self, per_slot: &[f64]) -> Self {
        self.ad_share = Some(super::ads::share_thresholds(per_slot));
        self
    }

    /// Let people see shares, seeds' content and ads only when online, as
    /// `schedule` says (see [`Schedule`]).
    pub fn with_activity(mut self, schedule: Schedule) -> Self {
        self.schedule = Some(schedule);
        self
    }

    /// Let the seeds share at `step` rather than at step 0: they are
    /// reached then, and their followers at the step after. Ads keep
    /// their own calendar.
    pub fn with_start(mut self, step: u32) -> Self {
        self.start = step as usize;
        self
    }

    /// Let the stickiness depend on the follower's segment slot, one per
    /// slot (see [`super::Resonance::per_slot`]). Before any novelty decay.
    pub fn with_resonance(mut self, stickiness: f64, per_slot: &[f64]) -> Self {
        self.rates = ShareRates::resonating(self.graph, stickiness, Some(per_slot));
        self
    }

    /// The step from which the content's age counts: its first
    /// appearance, the seeds' post or an earlier ad.
    fn birth(&self) -> usize {
        match self.ads {
            Some(a) => self.start.min(a.from),
            None => self.start,
        }
    }

    /// Run ads in steps `from..=to` (`from` at least 1): each step every
    /// person sees one with probability `reach_per_step`, and a viewer not
    /// reached before shares it with probability `stickiness`.
    pub fn with_ads(mut self, reach_per_step: f64, from: u32, to: u32, stickiness: f64) -> Self {
        self.ads = Some(Ads::new(reach_per_step, from, to, stickiness));
        self
    }

    /// Run the ads `ads` describes (see [`super::AdsSpec`]).
    pub fn with_ad_spec(mut self, ads: &super::AdsSpec) -> Self {
        self.ads = Some(Ads::of(ads, self.graph.nodes()));
        self
    }

    /// Let stickiness fade with the content's age: content shared at step
    /// t spreads with stickiness x 0.5^(t / `half_life`) (`half_life` in
    /// steps, above 0).
    pub fn with_half_life(mut self, half_life: f64) -> Self {
        debug_assert!(half_life > 0.0);
        self.rates = self.rates.with_half_life(half_life, self.steps);
        self
    }

    /// Whether anything can still happen from `step` on, given who shared
    /// at the step before (`sharing`) and what waits in feeds (`pending`):
    /// the seeds have yet to post, someone just shared, an ad is still to
    /// come, or a share, a seed's content or an ad waits to be seen. Once
    /// this is false every count stays where it is to the last step.
    #[inline]
    pub fn more_to_come(&self, step: usize, sharing: &[Node], pending: &Pending) -> bool {
        step <= self.start
            || !sharing.is_empty()
            || self.ads.is_some_and(|a| step <= a.to)
            || !pending.is_empty()
    }

    /// One run. `row_log_fail(u, t)` is ln(1 - q) of the candidate rate of
    /// `u`, who shared at step `t`; `keep_threshold(arc)` is the arc's
    /// threshold of keeping a candidate (see [`rng::thin_row`]).
    #[inline(always)]
    fn cascade(
        &self,
        ws: &mut Workspace,
        seeds: &[Node],
        run: u64,
        mut record: RunRecord,
        row_log_fail: impl Fn(Node, usize) -> f64,
        keep_threshold: impl Fn(usize) -> u32,
    ) {
        let gaps = self.rates.gaps();
        let key = rng::run_key(self.seed, run, Purpose::Share);
        let targets = self.graph.targets();
        let Workspace {
            marks,
            sharing,
            next,
            picks,
            pending,
            first_rows,
            rows,
            live,
        } = ws;
        marks.reset();
        sharing.clear();
        pending.reset();
        let schedule = self.schedule.as_ref();
        let online_key = super::activity::Schedule::run_key(self.seed, run);
        let last = self.steps as usize;
        let graph = self.graph;
        // The first step from `from` at which `v` sees what reached their
        // feed then: `from` itself without a schedule.
        let seen_at = |v: Node, from: usize| match schedule {
            None => Some(from),
            Some(s) => s.first_online(online_key, graph, v, from, last),
        };
        let (start, birth) = (self.start, self.birth());
        // Seeds newly reached when they post: a seed an earlier ad reached
        // is paid reach, not seeded.
        let mut seeded = 0u32;
        let mut shared = 0u32;
        let (mut paid, mut views) = (0u32, 0u32);
        // Posts shown to followers; ad views are added when recorded.
        let mut shown = 0u32;
        let impressions = if self.ads.is_some() {
            IMPRESSIONS
        } else {
            PLAIN_IMPRESSIONS
        };
        let mut step = 0usize;
        while step <= self.steps as usize && self.more_to_come(step, sharing, pending) {
            next.clear();
            if step == start {
                for &s in seeds {
                    match seen_at(s, step) {
                        Some(at) if at == step => {
                            let before = marks.reached_count();
                            if !marks.reach(s) {
                                marks.share(s);
                                next.push(s);
                            }
                            seeded += marks.reached_count() - before;
                        }
                        Some(at) => pending.add(at, s, Waiting::Seed),
                        None => {}
                    }
                }
            }
            if let Some(ads) = self.ads.filter(|a| a.runs_at(step)) {
                let nodes = self.graph.nodes();
                views += ads.show(
                    Ads::run_key(self.seed, run),
                    step,
                    nodes,
                    marks,
                    picks,
                    &mut paid,
                    |v| match (&self.ad_share, graph.segments()) {
                        (Some(per_slot), Some(segments)) => per_slot[segments.slot(v)],
                        _ => ads.share_threshold(),
                    },
                    |v, shares| match seen_at(v, step) {
                        Some(at) if at == step => true,
                        Some(at) => {
                            pending.add(at, v, Waiting::Ad(shares));
                            false
                        }
                        None => false,
                    },
                    |m, v| {
                        m.share(v);
                        next.push(v);
                    },
                );
            }
            pending.due(step, |v, what| match what {
                Waiting::View => {
                    marks.reach(v);
                    shown = shown.saturating_add(1);
                }
                Waiting::Share => {
                    if !marks.has_shared(v) {
                        marks.share(v);
                        next.push(v);
                    }
                }
                Waiting::Seed => {
                    let before = marks.reached_count();
                    if !marks.reach(v) {
                        marks.share(v);
                        next.push(v);
                    }
                    seeded += marks.reached_count() - before;
                }
                Waiting::Ad(shares) => {
                    let before = marks.reached_count();
                    marks.reach(v);
                    if marks.reached_count() > before {
                        paid += 1;
                        if shares {
                            marks.share(v);
                            next.push(v);
                        }
                    }
                }
            });
            let n = sharing.len();
            // Without ads or a schedule, the step after the seeds post starts
            // from the same marks in every run with the same seeds: their
            // followers, all reached. Candidates never depend on who is
            // reached, and the seeds' followers are reached in the same
            // order either way, so marking them all first, or copying what
            // an earlier run marked, changes nothing.
            let premarked = step == start + 1
                && self.ads.is_none()
                && schedule.is_none()
                && match first_rows {
                    Some(snapshot) if snapshot.starts_from(sharing) => {
                        marks.restore(snapshot);
                        true
                    }
                    Some(_) => false,
                    None => {
                        for &u in sharing.iter() {
                            marks.reach_all(&targets[graph.arc_range(u)]);
                        }
                        // Kept while small: a few bytes per person at most.
                        if marks.listed()
                            && marks.reached_count() as usize <= graph.nodes() as usize / 4
                        {
                            *first_rows = Some(marks.snapshot(sharing));
                        }
                        true
                    }
                };
            // Every row's bounds at once, read once: the loads do not wait
            // on each other (each was asked for when its sharer shared).
            rows.clear();
            rows.extend(sharing.iter().map(|&u| graph.arc_range(u)));
            let rows = &rows[..];
            // Every coin of the step first: coins need only the rows'
            // lengths, so the rows themselves arrive from memory meanwhile
            // (each asked for here). Candidates never depend on who is
            // reached or has shared, and the arcs that fire are listed in
            // the order the rows would be walked, so drawing them all
            // before marking or sharing anything changes nothing.
            live.clear();
            for (&u, arcs) in sharing.iter().zip(rows) {
                if !premarked {
                    for at in arcs.clone().step_by(16) {
                        crate::prefetch(targets.as_ptr().wrapping_add(at));
                    }
                }
                let mut candidates = rng::Candidates::new(
                    rng::coin(key, u as u64),
                    0,
                    row_log_fail(u, step - 1 - birth),
                    arcs.len(),
                );
                while let Some(pos) = candidates.next_candidate_skipping(gaps) {
                    // Decided before looking at who the arc leads to, so
                    // the sharer's draws never depend on who already
                    // shared: run r's live arcs are the same for every
                    // seed set.
                    let arc = arcs.start + pos;
                    if candidates.keep(keep_threshold(arc)) {
                        if premarked {
                            // The rows are not walked: fetch just this arc.
                            crate::prefetch(targets.as_ptr().wrapping_add(arc));
                        }
                        live.push(arc);
                    }
                }
            }
            // Everyone a sharer posts to sees it now, or when next online.
            // Marking every row of the step before sharing changes no
            // count: who is reached and who shares are sets, and the rows
            // are marked in the same order either way.
            for (i, arcs) in rows.iter().enumerate() {
                let row = &targets[arcs.clone()];
                match schedule {
                    None => {
                        shown = shown.saturating_add(row.len() as u32);
                        if !premarked {
                            // The row 4 ahead, from wherever it is by now
                            // (the last row again near the end: no branch).
                            crate::prefetch(
                                targets
                                    .as_ptr()
                                    .wrapping_add(rows[(i + 4).min(n - 1)].start),
                            );
                            marks.reach_all(row);
                        }
                    }
                    Some(_) => {
                        for &v in row {
                            match seen_at(v, step) {
                                Some(at) if at == step => {
                                    marks.reach(v);
                                    shown = shown.saturating_add(1);
                                }
                                Some(at) => pending.add(at, v, Waiting::View),
                                None => {}
                            }
                        }
                    }
                }
            }
            for &arc in live.iter() {
                let v = targets[arc];
                if !marks.has_shared(v) {
                    match seen_at(v, step) {
                        Some(at) if at == step => {
                            // Read at the next step: start fetching where
                            // the row lies now.
                            graph.prefetch_row_bounds(v);
                            marks.share(v);
                            next.push(v);
                        }
                        Some(at) => pending.add(at, v, Waiting::Share),
                        None => {}
                    }
                }
            }
            shared += next.len() as u32;
            let reached = marks.reached_count();
            record.row(REACHED)[step] = reached;
            record.row(SHARED)[step] = shared;
            record.row(impressions)[step] = shown.saturating_add(views);
            if self.ads.is_some() {
                record.row(PAID)[step] = paid;
                record.row(EARNED)[step] = reached - seeded - paid;
                record.row(VIEWS)[step] = views;
            }
            std::mem::swap(sharing, next);
            step += 1;
        }
        // Nobody shares any more: the counts stay where they are.
        record.hold_from(step);
    }
}

impl SpreadModel for IndependentCascade<'_> {
    type Workspace = Workspace;

    fn metrics(&self) -> Vec<Metric> {
        rows(self.ads.is_some()).to_vec()
    }

    fn marks<'w>(&self, ws: &'w Workspace) -> &'w Marks {
        &ws.marks
    }

    fn workspace(&self) -> Workspace {
        Workspace {
            marks: Marks::new(self.graph.nodes()).unlisted_when_large(self.unlisted),
            sharing: Vec::new(),
            next: Vec::new(),
            picks: Picks::for_ads(self.ads, self.graph.nodes()),
            pending: self
                .schedule
                .as_ref()
                .map_or_else(Pending::default, |s| Pending::new(s.visible_for())),
            first_rows: None,
            rows: Vec::new(),
            live: Vec::new(),
        }
    }

    fn run(&self, ws: &mut Workspace, seeds: &[Node], run: u64, record: RunRecord) {
        match (&self.rates.arcs, &self.rates.decay) {
            (ShareArcs::Uniform { log_fail, .. }, None) => {
                self.cascade(ws, seeds, run, record, |_, _| *log_fail, |_| u32::MAX)
            }
            (
                ShareArcs::PerArc {
                    row_log_fail, keep, ..
                },
                None,
            ) => self.cascade(
                ws,
                seeds,
                run,
                record,
                |u, _| row_log_fail[u as usize],
                |arc| keep[arc],
            ),
            (ShareArcs::Uniform { .. }, Some(log_fail)) => {
                self.cascade(ws, seeds, run, record, |_, t| log_fail[t], |_| u32::MAX)
            }
            (ShareArcs::PerArc { keep, row_max, .. }, Some(factor)) => self.cascade(
                ws,
                seeds,
                run,
                record,
                |u, t| rng::log_fail(row_max[u as usize] * factor[t]),
                |arc| keep[arc],
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{self, Acceptance};
    use crate::graph::trust;
    use crate::graph::trust::TrustSpec;
    use crate::model::Seeds;

    fn test_graph() -> Graph {
        let edges: Vec<(Node, Node)> = (0..2000u32)
            .flat_map(|u| [(u, (u * 7 + 1) % 2000), (u, (u * 13 + 5) % 2000)])
            .filter(|(a, b)| a != b)
            .map(|(a, b)| (a.min(b), a.max(b)))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        Graph::from_undirected(2000, &edges)
    }

    #[test]
    fn uniform_and_per_arc_storage_give_identical_runs() {
        let mut g = test_graph();
        trust::assign(&mut g, &TrustSpec::Constant { value: 0.5 }, 1);
        let uniform = IndependentCascade::new(&g, 0.6, 50, 3);
        let ShareArcs::Uniform { log_fail, p, .. } = uniform.rates.arcs else {
            panic!("constant trust is stored as one rate");
        };
        let per_arc = IndependentCascade {
            rates: ShareRates {
                arcs: ShareArcs::PerArc {
                    row_log_fail: vec![log_fail; g.nodes() as usize],
                    keep: vec![u32::MAX; g.arcs()],
                    row_max: vec![p; g.nodes() as usize],
                },
                decay: None,
            },
            ..IndependentCascade::new(&g, 0.6, 50, 3)
        };
        let seeds = Seeds::Fixed(vec![1000, 3]);
        let a = engine::simulate(&uniform, &seeds, Acceptance::ALL, 200, 50, &|_| {});
        let b = engine::simulate(&per_arc, &seeds, Acceptance::ALL, 200, 50, &|_| {});
        assert_eq!(a, b);
        // So do they with novelty decay.
        let (uniform, per_arc) = (uniform.with_half_life(2.5), per_arc.with_half_life(2.5));
        let c = engine::simulate(&uniform, &seeds, Acceptance::ALL, 200, 50, &|_| {});
        let d = engine::simulate(&per_arc, &seeds, Acceptance::ALL, 200, 50, &|_| {});
        assert_eq!(c, d);
        assert_ne!(a, c, "decay changes the runs");
        assert!(
            a.finals(1).iter().any(|&s| s > 10.0),
            "the cascade should spread"
        );
    }

    #[test]
    fn runs_without_the_reached_list_are_the_runs_with_it() {
        // Wide cascades and narrow ones, the first sharers' followers
        // restored from the snapshot, ads and a late start: the same
        // records whether runs after large ones keep the list or not.
        let g = test_graph();
        let seeds = Seeds::Fixed(vec![1000, 3, 77]);
        for (stickiness, ads) in [(0.6, false), (0.05, false), (0.3, true)] {
            let model = || {
                let m = IndependentCascade::new(&g, stickiness, 30, 4).with_start(1);
                match ads {
                    true => m.with_ads(0.02, 2, 5, 0.2),
                    false => m,
                }
            };
            let listed = engine::simulate(&model(), &seeds, Acceptance::ALL, 300, 30, &|_| {});
            let unlisted = model().unlisted();
            let mut ws = unlisted.workspace();
            let mut data = vec![0u32; 6 * 31];
            unlisted.run(&mut ws, &[1000, 3, 77], 0, RunRecord::new(&mut data, 30));
            unlisted.run(&mut ws, &[1000, 3, 77], 1, RunRecord::new(&mut data, 30));
            assert!(
                !ws.marks.listed(),
                "runs after large ones (here, all: 32 reach words) go without the list"
            );
            let without = engine::simulate(&unlisted, &seeds, Acceptance::ALL, 300, 30, &|_| {});
            assert_eq!(listed, without, "stickiness {stickiness}, ads {ads}");
        }
    }

    #[test]
    fn a_schedule_with_everyone_always_online_changes_no_run() {
        // The schedule's own path (first online step, the calendar) with
        // every chance 1: the same counts as no schedule, with decay, ads
        // and a late start too.
        let g = test_graph();
        let always = super::super::Activity {
            period: 3,
            online: vec![1.0; 3],
            segments: Vec::new(),
            visible_for: 2,
            start_hour: 1,
        };
        let seeds = Seeds::Fixed(vec![1000, 3, 77]);
        let plain = || {
            IndependentCascade::new(&g, 0.4, 12, 3)
                .with_start(2)
                .with_half_life(6.0)
                .with_ads(0.01, 1, 4, 0.3)
        };
        let scheduled = plain().with_activity(Schedule::new(&always, &g));
        let a = engine::simulate(&plain(), &seeds, Acceptance::ALL, 100, 12, &|_| {});
        let b = engine::simulate(&scheduled, &seeds, Acceptance::ALL, 100, 12, &|_| {});
        assert_eq!(a, b);
        assert!(
            a.finals(0).iter().any(|&r| r > 100.0),
            "the cascade should spread"
        );
    }

    #[test]
    fn thinning_keeps_each_arc_at_its_own_probability() {
        // A star whose hub is followed with trust 1 by half the leaves and
        // trust 0.25 by the other half; stickiness 0.8 gives p = 0.8 and 0.2.
        let leaves = 400u32;
        let arcs: Vec<(Node, Node)> = (1..=leaves).map(|v| (0, v)).collect();
        let mut g = Graph::from_arcs(leaves + 1, arcs);
        g.set_trust(
            (0..leaves)
                .map(|i| if i % 2 == 0 { 1.0 } else { 0.25 })
                .collect(),
        );
        let m = IndependentCascade::new(&g, 0.8, 1, 11);
        assert!(matches!(m.rates.arcs, ShareArcs::PerArc { .. }));
        let runs = 4000u32;
        let mut ws = m.workspace();
        let mut data = vec![0u32; 6];
        let mut hits = [0u64; 2];
        for r in 0..runs as u64 {
            m.run(&mut ws, &[0], r, RunRecord::new(&mut data, 1));
            for v in 1..=leaves {
                if ws.marks.has_shared(v) {
                    hits[((v - 1) % 2) as usize] += 1;
                }
            }
        }
        // Each half is Binomial(runs * leaves / 2, p); 5 sd.
        let n = (runs * leaves / 2) as f64;
        for (h, p) in hits.iter().zip([0.8, 0.2]) {
            let sd = (n * p * (1.0 - p)).sqrt();
            assert!((*h as f64 - n * p).abs() < 5.0 * sd, "{h} vs {}", n * p);
        }
    }

    #[test]
    fn seeds_an_earlier_ad_reached_count_as_paid_reach_not_seeded() {
        // Ads at step 1 that nobody shares, seeds posting at step 3: until
        // then only the ad reaches anyone, and at step 3 the seeds it
        // missed are the seeded reach; earned reach is what is left.
        let g = test_graph();
        let seeds: Vec<Node> = (0..40).map(|i| i * 50).collect();
        let steps = 8u32;
        let m = IndependentCascade::new(&g, 0.5, steps, 2)
            .with_start(3)
            .with_ads(0.5, 1, 1, 0.0);
        let mut ws = m.workspace();
        let len = steps as usize + 1;
        let mut data = vec![0u32; 6 * len];
        let mut some_seed_saw_the_ad = false;
        for r in 0..20 {
            m.run(&mut ws, &seeds, r, RunRecord::new(&mut data, steps));
            let row = |i: usize| &data[i * len..(i + 1) * len];
            let (reached, shared, paid, earned) = (row(0), row(1), row(2), row(3));
            assert_eq!(reached[0], 0);
            assert_eq!(reached[1], paid[1]);
            assert_eq!(reached[2], paid[1]);
            assert_eq!(shared[2], 0);
            let seeded = reached[3] - reached[2];
            some_seed_saw_the_ad |= (seeded as usize) < seeds.len();
            assert_eq!(shared[3], seeds.len() as u32);
            assert_eq!(earned[3], 0);
            for t in 3..len {
                assert_eq!(earned[t], reached[t] - paid[t] - seeded, "run {r} step {t}");
            }
        }
        assert!(some_seed_saw_the_ad);
    }

    #[test]
    fn zero_and_full_probability_are_exact() {
        let g = test_graph();
        for (stickiness, expect_all) in [(0.0, false), (1.0, true)] {
            let m = IndependentCascade::new(&g, stickiness, 1, 5);
            let mut ws = m.workspace();
            let mut data = vec![0u32; 6];
            for r in 0..50 {
                m.run(&mut ws, &[7], r, RunRecord::new(&mut data, 1));
                let followers = g.follower_count(7);
                assert_eq!(data[3], 1 + if expect_all { followers } else { 0 });
            }
        }
    }
}
