//! Competitive independent cascade (Budak, Agrawal & El Abbadi 2011): our
//! content and a rival one (negative word of mouth, say a viral claim that
//! the product harms people) spread over the same graph at the same time,
//! and a person adopts at most one of them.
//!
//! # The rule
//!
//! Each content `c` spreads as an independent cascade with
//! p_c(u -> v) = stickiness_c x trust(u -> v) (times 0.5^(a / half_life)
//! with novelty decay, `a` the content's age when `u` shared it: the step
//! minus the step the content first appeared). Our seeds share at our
//! start step (0 unless a strategy or a response delay says otherwise),
//! the rival's seeds at the rival's start step, before, with or after
//! ours. Every step:
//!
//! - whoever shared content `c` at the step before exposes all their
//!   followers to `c`: they are *reached* by `c` (seen it, whatever they
//!   do next), each content counted apart;
//! - a content *activates* a follower through each of its live arcs from
//!   those sharers, and its seeds at its start step;
//! - a person activated by one content who has adopted neither adopts it
//!   (shares it, and so exposes their followers at the next step); a
//!   person who has adopted one content never adopts the other: the first
//!   content to activate someone wins;
//! - a person activated by both contents in the same step (and who has
//!   adopted neither) adopts one of them by a fair coin of their own,
//!   drawn from (seed, run, person). Budak et al. give the limiting
//!   campaign priority in such a tie; a fair coin favours neither, so two
//!   mirror-image campaigns split the sharers evenly.
//!
//! The rival's seeds are people the rival activates at its start step, by
//! the same rules as everyone: a rival seed who has adopted our content
//! before then never shares the rival (though they see it: they are
//! reached by it), and a person who is a seed of both at the same step
//! takes the tie coin. Likewise our seeds see our content at our start
//! step whatever they have adopted. Every rival seed shares: the rival's
//! people are not invited, so `[costs] acceptance` does not apply to them.
//!
//! # Activity schedules
//!
//! With `[activity]` (see [`super::activity`]) a follower is reached and
//! activated by a content at the step they see its share: the first
//! online step in t + 1 ..= t + visible_for after the share at t. Both
//! contents read the same online coins, per (seed, run, person, step), so
//! run `r` stays the same for every strategy. The rule above then holds
//! with "activates" read at the step of seeing: the first content seen
//! wins, and two seen at the same step are a tie, settled by the same
//! coin, whenever they were posted. Seeds of either content offline at
//! their start step post at their first online step, and our ads' viewers
//! see the ad as in the plain cascade.
//!
//! # Randomness
//!
//! Our content's coins are exactly the plain cascade's: keyed by (seed,
//! run, sharer) under [`Purpose::Share`], drawn along the sharer's row
//! the same way, and decided before looking at who the follower is. The
//! rival's coins come from their own stream ([`Purpose::RivalShare`]), and
//! tie coins from a third ([`Purpose::RivalTie`]). So the live arcs of
//! each content in run `r` do not depend on the other content, on the
//! seeds, or on when anyone shared: the contents interact only through who
//! adopts what. A rival of stickiness 0 thus changes our run only through
//! its seeds, who (when they adopt the rival) drop out of our cascade: our
//! run is the plain cascade's run `r` with those people unable to share.
//! Rival seeds drawn afresh per run are drawn from the run index, inside
//! the run, so run `r` is the same for any thread count.

use super::activity::{Pending, Schedule, Waiting};
use super::ads::{Ads, Picks};
use super::share_rates::ShareRates;
use super::{Marks, Metric, Row, RunRecord, SeedScratch, Seeds, SpreadModel};

/// A run's rows: ours and the rival's reached and shared, then with ads
/// paid reached, earned reached and ad views; our impressions last.
const ROWS: [Metric; 8] = [
    Metric::Reached,
    Metric::Shared,
    Metric::RivalReached,
    Metric::RivalShared,
    Metric::PaidReached,
    Metric::EarnedReached,
    Metric::AdViews,
    Metric::Impressions,
];
/// The rows without ads.
const PLAIN_ROWS: [Metric; 5] = [
    Metric::Reached,
    Metric::Shared,
    Metric::RivalReached,
    Metric::RivalShared,
    Metric::Impressions,
];
const REACHED: Row = Row::of(&ROWS, Metric::Reached);
const SHARED: Row = Row::of(&ROWS, Metric::Shared);
const RIVAL_REACHED: Row = Row::of(&ROWS, Metric::RivalReached);
const RIVAL_SHARED: Row = Row::of(&ROWS, Metric::RivalShared);
const PAID: Row = Row::of(&ROWS, Metric::PaidReached);
const EARNED: Row = Row::of(&ROWS, Metric::EarnedReached);
const VIEWS: Row = Row::of(&ROWS, Metric::AdViews);
const IMPRESSIONS: Row = Row::of(&ROWS, Metric::Impressions);
const PLAIN_IMPRESSIONS: Row = Row::of(&PLAIN_ROWS, Metric::Impressions);

/// The rows a run records, with or without ads.
pub(super) fn rows(ads: bool) -> &'static [Metric] {
    if ads {
        &ROWS
    } else {
        &PLAIN_ROWS
    }
}
use crate::graph::{Graph, Node};
use crate::rng::{self, Purpose};

/// The rival content of a competitive cascade.
#[derive(Clone, Copy)]
pub struct Rival<'g> {
    /// Stickiness of the rival content, in [0, 1].
    pub stickiness: f64,
    /// The rival's seeds, the same people in every run or drawn per run.
    pub seeds: &'g Seeds,
    /// The step at which the rival's seeds share.
    pub start_step: u32,
}

/// Our content and a rival one over one graph.
pub struct CompetitiveCascade<'g> {
    graph: &'g Graph,
    ours: ShareRates,
    rival: ShareRates,
    rival_seeds: &'g Seeds,
    rival_start: usize,
    our_start: usize,
    steps: u32,
    seed: u64,
    /// Our paid exposure, if any (on its own calendar: a late start moves
    /// only the seeds).
    ads: Option<Ads>,
    /// Per segment slot, the threshold of a new ad viewer sharing the ad
    /// (`[paid] stickiness_by_segment`), if the ads have one.
    ad_share: Option<Vec<u32>>,
    /// When people are online, if not always (see [`super::activity`]).
    schedule: Option<Schedule>,
    /// Whether our large runs may go without the reached list (see
    /// [`Marks::unlisted_when_large`]); the rival's always may.
    unlisted: bool,
}

/// Reused state of one worker.
pub struct Workspace {
    /// Who was reached by and who adopted our content.
    ours: Marks,
    /// The same for the rival content.
    rival: Marks,
    /// The step at which each person adopted our content; read only for
    /// people who adopted it in the current run, so never reset.
    our_step: Vec<u32>,
    our_sharing: Vec<Node>,
    our_next: Vec<Node>,
    rival_sharing: Vec<Node>,
    rival_next: Vec<Node>,
    scratch: SeedScratch,
    drawn: Vec<Node>,
    /// The draws of ads with a fixed count of views.
    picks: Picks,
    /// What people see of our content, then of the rival's, in the steps
    /// ahead, with an activity schedule (boxed: a worker's state is
    /// one of several models', and it is rarely there).
    pending: Box<[Pending; 2]>,
}

impl<'g> CompetitiveCascade<'g> {
    /// Our content with `stickiness` in [0, 1] and `rival` over `graph`,
    /// run for `steps` steps, with coins drawn from `seed`. Our seeds share
    /// at step 0.
    pub fn new(graph: &'g Graph, stickiness: f64, steps: u32, seed: u64, rival: Rival<'g>) -> Self {
        CompetitiveCascade {
            graph,
            ours: ShareRates::new(graph, stickiness),
            rival: ShareRates::new(graph, rival.stickiness),
            rival_seeds: rival.seeds,
            rival_start: rival.start_step as usize,
            our_start: 0,
            steps,
            seed,
            ads: None,
            ad_share: None,
            schedule: None,
            unlisted: false,
        }
    }

    /// Let a run that follows one in which our content reached many
    /// people go without the list of who it reached, for callers that
    /// never read it (see [`Marks::unlisted_when_large`]).
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

    /// Let people see both contents' shares, the seeds' content and ads
    /// only when online, as `schedule` says (see [`Schedule`]). Both
    /// contents read the same online coins, so a person offline for one
    /// is offline for the other, and a follower both reach in their feed
    /// sees both at the same step.
    pub fn with_activity(mut self, schedule: Schedule) -> Self {
        self.schedule = Some(schedule);
        self
    }

    /// Whether anything can still happen from `step` on, given who shared
    /// each content at the step before and what waits in feeds: a content's
    /// seeds have yet to post, someone just shared, an ad is still to come,
    /// or a share, a seed's content or an ad waits to be seen. Once this is
    /// false every count stays where it is to the last step.
    #[inline]
    pub fn more_to_come(
        &self,
        step: usize,
        sharing: (&[Node], &[Node]),
        pending: (&Pending, &Pending),
    ) -> bool {
        step <= self.our_start
            || step <= self.rival_start
            || self.ads.is_some_and(|a| step <= a.to)
            || !sharing.0.is_empty()
            || !sharing.1.is_empty()
            || !pending.0.is_empty()
            || !pending.1.is_empty()
    }

    /// Run ads for our content in steps `from..=to`, as
    /// [`super::IndependentCascade::with_ads`] does. A viewer who adopted
    /// neither content adopts ours if they share the ad; the ads of a step
    /// come after our seeds (if they start then) and before that step's
    /// word of mouth.
    pub fn with_ads(mut self, reach_per_step: f64, from: u32, to: u32, stickiness: f64) -> Self {
        self.ads = Some(Ads::new(reach_per_step, from, to, stickiness));
        self
    }

    /// Run the ads `ads` describes (see [`super::AdsSpec`]).
    pub fn with_ad_spec(mut self, ads: &super::AdsSpec) -> Self {
        self.ads = Some(Ads::of(ads, self.graph.nodes()));
        self
    }

    /// Let both contents fade with age: content of age a spreads with its
    /// stickiness x 0.5^(a / `half_life`) (`half_life` in steps, above 0).
    pub fn with_half_life(mut self, half_life: f64) -> Self {
        debug_assert!(half_life > 0.0);
        self.ours = self.ours.with_half_life(half_life, self.steps);
        self.rival = self.rival.with_half_life(half_life, self.steps);
        self
    }

    /// Let each content's stickiness depend on the follower's segment
    /// slot: `ours` and `rival` give one per slot (see
    /// [`super::Resonance::per_slot`]), None keeps a content's own. Before
    /// any novelty decay.
    pub fn with_resonance(
        mut self,
        stickiness: (f64, f64),
        ours: Option<&[f64]>,
        rival: Option<&[f64]>,
    ) -> Self {
        if ours.is_some() {
            self.ours = ShareRates::resonating(self.graph, stickiness.0, ours);
        }
        if rival.is_some() {
            self.rival = ShareRates::resonating(self.graph, stickiness.1, rival);
        }
        self
    }

    /// Let our seeds share at `step` rather than at step 0 (a strategy's
    /// `start_step`, or a response some steps after the rival's start).
    /// Ads keep their own calendar.
    pub fn with_our_start(mut self, step: u32) -> Self {
        self.our_start = step as usize;
        self
    }

    /// An empty calendar, sized for the schedule if there is one.
    fn pending(&self) -> Pending {
        self.schedule
            .as_ref()
            .map_or_else(Pending::default, |s| Pending::new(s.visible_for()))
    }

    /// Who was reached by and who adopted the rival content in the run
    /// `ws` last simulated.
    pub fn rival_marks<'w>(&self, ws: &'w Workspace) -> &'w Marks {
        &ws.rival
    }
}

/// When followers see what reaches their feed: always at once, or at
/// their first online step (see [`Schedule::first_online`]), what comes
/// later waiting in a calendar.
struct Feed<'a> {
    schedule: &'a Schedule,
    graph: &'a Graph,
    online_key: u64,
    /// The last step simulated.
    last: usize,
    /// This content's calendar.
    pending: &'a mut Pending,
}

/// Expose the followers of every person in `sharing`, who shared content
/// with `age`, to it (marking them in `marks`), and hand each follower on
/// a live arc to `activate`. Coins come from the counter stream `key`, per
/// sharer, decided before looking at the follower, as in the plain
/// cascade. With a `feed`, a follower offline at `step` sees the share (and
/// is activated) when `feed` says, through its calendar. Returns the views
/// of this step.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn expose(
    graph: &Graph,
    content: &ShareRates,
    key: u64,
    age: usize,
    sharing: &[Node],
    marks: &mut Marks,
    mut feed: Option<(&mut Feed, usize)>,
    mut activate: impl FnMut(&mut Marks, Node),
) -> u32 {
    let mut views = 0u32;
    let targets = graph.targets();
    let n = sharing.len();
    for i in 0..n {
        // As in the plain cascade, memory latency bounds a run: fetch the
        // rows of the sharers a few ahead early.
        if i + 8 < n {
            graph.prefetch_row_bounds(sharing[i + 8]);
        }
        if i + 4 < n {
            let start = graph.arc_range(sharing[i + 4]).start;
            crate::prefetch(targets.as_ptr().wrapping_add(start));
        }
        let u = sharing[i];
        let arcs = graph.arc_range(u);
        let row = &targets[arcs.clone()];
        match feed.as_mut() {
            None => {
                views = views.saturating_add(row.len() as u32);
                marks.reach_all(row);
            }
            Some((f, step)) => {
                for &v in row {
                    match f
                        .schedule
                        .first_online(f.online_key, f.graph, v, *step, f.last)
                    {
                        Some(at) if at == *step => {
                            marks.reach(v);
                            views = views.saturating_add(1);
                        }
                        Some(at) => f.pending.add(at, v, Waiting::View),
                        None => {}
                    }
                }
            }
        }
        let mut candidates = rng::Candidates::new(
            rng::coin(key, u as u64),
            0,
            content.row_log_fail(u, age),
            row.len(),
        );
        while let Some(pos) = candidates.next_candidate_skipping(content.gaps()) {
            if candidates.keep(content.keep(arcs.start + pos)) {
                let v = row[pos];
                match feed.as_mut() {
                    None => activate(marks, v),
                    Some((f, step)) => {
                        match f
                            .schedule
                            .first_online(f.online_key, f.graph, v, *step, f.last)
                        {
                            Some(at) if at == *step => activate(marks, v),
                            Some(at) => f.pending.add(at, v, Waiting::Share),
                            None => {}
                        }
                    }
                }
            }
        }
    }
    views
}

impl SpreadModel for CompetitiveCascade<'_> {
    type Workspace = Workspace;

    fn metrics(&self) -> Vec<Metric> {
        rows(self.ads.is_some()).to_vec()
    }

    /// Our content's marks: the tallies (conversions, target, segments)
    /// count our reach.
    fn marks<'w>(&self, ws: &'w Workspace) -> &'w Marks {
        &ws.ours
    }

    fn workspace(&self) -> Workspace {
        let n = self.graph.nodes();
        Workspace {
            ours: Marks::new(n).unlisted_when_large(self.unlisted),
            // Nothing reads whom the rival reached, only how many.
            rival: Marks::new(n).unlisted_when_large(true),
            our_step: vec![0; n as usize],
            our_sharing: Vec::new(),
            our_next: Vec::new(),
            rival_sharing: Vec::new(),
            rival_next: Vec::new(),
            scratch: SeedScratch::default(),
            drawn: Vec::new(),
            picks: Picks::for_ads(self.ads, n),
            pending: Box::new([self.pending(), self.pending()]),
        }
    }

    fn run(&self, ws: &mut Workspace, seeds: &[Node], run: u64, mut record: RunRecord) {
        let our_key = rng::run_key(self.seed, run, Purpose::Share);
        let rival_key = rng::run_key(self.seed, run, Purpose::RivalShare);
        let tie_key = rng::run_key(self.seed, run, Purpose::RivalTie);
        let Workspace {
            ours,
            rival,
            our_step,
            our_sharing,
            our_next,
            rival_sharing,
            rival_next,
            scratch,
            drawn,
            picks,
            pending,
        } = ws;
        let [our_pending, rival_pending] = &mut **pending;
        let rival_seeds: &[Node] = match self.rival_seeds {
            Seeds::Fixed(s) => s,
            Seeds::PerRun(rule) => {
                rule.draw(run, scratch, drawn);
                drawn
            }
        };
        ours.reset();
        rival.reset();
        our_sharing.clear();
        rival_sharing.clear();
        our_pending.reset();
        rival_pending.reset();
        let schedule = self.schedule.as_ref();
        let online_key = Schedule::run_key(self.seed, run);
        let graph = self.graph;
        let steps = self.steps as usize;
        // The first step from `from` at which `v` sees what reached their
        // feed then: `from` itself without a schedule.
        let seen_at = |v: Node, from: usize| match schedule {
            None => Some(from),
            Some(s) => s.first_online(online_key, graph, v, from, steps),
        };
        let (mut our_shared, mut rival_shared) = (0u32, 0u32);
        let (mut paid, mut views) = (0u32, 0u32);
        // Our posts shown to followers (the rival's are not ours to count);
        // ad views are added when recorded.
        let mut shown = 0u32;
        let impressions = if self.ads.is_some() {
            IMPRESSIONS
        } else {
            PLAIN_IMPRESSIONS
        };
        // Our seeds newly reached when they post: one an earlier ad reached
        // is paid reach, not seeded.
        let mut seeded = 0u32;
        // Our content ages from its first appearance, seeds or ad.
        let birth = match self.ads {
            Some(a) => self.our_start.min(a.from),
            None => self.our_start,
        };
        let mut step = 0usize;
        while step <= steps
            && self.more_to_come(
                step,
                (our_sharing, rival_sharing),
                (our_pending, rival_pending),
            )
        {
            our_next.clear();
            rival_next.clear();
            // Our content first: who it activates now is marked as having
            // adopted it, and stamped with the step, so that the rival can
            // tell a tie from an earlier adoption.
            let mut adopt_ours = |ours: &mut Marks, v: Node| {
                if !ours.has_shared(v) && !rival.has_shared(v) {
                    ours.share(v);
                    our_step[v as usize] = step as u32;
                    our_next.push(v);
                }
            };
            if step == self.our_start {
                let before = ours.reached_count();
                for &s in seeds {
                    match seen_at(s, step) {
                        Some(at) if at == step => {
                            ours.reach(s);
                            adopt_ours(ours, s);
                        }
                        Some(at) => our_pending.add(at, s, Waiting::Seed),
                        None => {}
                    }
                }
                seeded += ours.reached_count() - before;
            }
            // After the seeds, so that a seed is never counted as paid
            // reach.
            if let Some(ads) = self.ads.filter(|a| a.runs_at(step)) {
                let nodes = self.graph.nodes();
                views += ads.show(
                    Ads::run_key(self.seed, run),
                    step,
                    nodes,
                    ours,
                    picks,
                    &mut paid,
                    |v| match (&self.ad_share, graph.segments()) {
                        (Some(per_slot), Some(segments)) => per_slot[segments.slot(v)],
                        _ => ads.share_threshold(),
                    },
                    |v, shares| match seen_at(v, step) {
                        Some(at) if at == step => true,
                        Some(at) => {
                            our_pending.add(at, v, Waiting::Ad(shares));
                            false
                        }
                        None => false,
                    },
                    &mut adopt_ours,
                );
            }
            our_pending.due(step, |v, what| match what {
                Waiting::View => {
                    ours.reach(v);
                    shown = shown.saturating_add(1);
                }
                Waiting::Share => adopt_ours(ours, v),
                Waiting::Seed => {
                    let before = ours.reached_count();
                    ours.reach(v);
                    seeded += ours.reached_count() - before;
                    adopt_ours(ours, v);
                }
                Waiting::Ad(shares) => {
                    let before = ours.reached_count();
                    ours.reach(v);
                    if ours.reached_count() > before {
                        paid += 1;
                        if shares {
                            adopt_ours(ours, v);
                        }
                    }
                }
            });
            if step > birth {
                let age = step - 1 - birth;
                let mut feed = schedule.map(|schedule| Feed {
                    schedule,
                    graph,
                    online_key,
                    last: steps,
                    pending: &mut *our_pending,
                });
                let views = expose(
                    self.graph,
                    &self.ours,
                    our_key,
                    age,
                    our_sharing,
                    ours,
                    feed.as_mut().map(|f| (f, step)),
                    adopt_ours,
                );
                shown = shown.saturating_add(views);
            }
            // Then the rival, who takes from us the people both reached in
            // this step whose tie coin says so.
            let mut took_from_us = false;
            let mut adopt_rival = |rival: &mut Marks, v: Node| {
                if rival.has_shared(v) {
                    return;
                }
                if ours.has_shared(v) {
                    let tie = our_step[v as usize] == step as u32;
                    if !tie || rng::coin(tie_key, v as u64) >> 63 == 0 {
                        return;
                    }
                    ours.unshare(v);
                    took_from_us = true;
                }
                rival.share(v);
                rival_next.push(v);
            };
            if step == self.rival_start {
                for &s in rival_seeds {
                    match seen_at(s, step) {
                        Some(at) if at == step => {
                            rival.reach(s);
                            adopt_rival(rival, s);
                        }
                        Some(at) => rival_pending.add(at, s, Waiting::Seed),
                        None => {}
                    }
                }
            }
            rival_pending.due(step, |v, what| {
                rival.reach(v);
                if matches!(what, Waiting::Share | Waiting::Seed) {
                    adopt_rival(rival, v);
                }
            });
            if step > self.rival_start {
                let age = step - 1 - self.rival_start;
                let mut feed = schedule.map(|schedule| Feed {
                    schedule,
                    graph,
                    online_key,
                    last: steps,
                    pending: &mut *rival_pending,
                });
                expose(
                    self.graph,
                    &self.rival,
                    rival_key,
                    age,
                    rival_sharing,
                    rival,
                    feed.as_mut().map(|f| (f, step)),
                    adopt_rival,
                );
            }
            if took_from_us {
                our_next.retain(|&v| ours.has_shared(v));
            }
            our_shared += our_next.len() as u32;
            rival_shared += rival_next.len() as u32;
            record.row(REACHED)[step] = ours.reached_count();
            record.row(SHARED)[step] = our_shared;
            record.row(RIVAL_REACHED)[step] = rival.reached_count();
            record.row(RIVAL_SHARED)[step] = rival_shared;
            record.row(impressions)[step] = shown.saturating_add(views);
            if self.ads.is_some() {
                record.row(PAID)[step] = paid;
                record.row(EARNED)[step] = ours.reached_count() - seeded - paid;
                record.row(VIEWS)[step] = views;
            }
            std::mem::swap(our_sharing, our_next);
            std::mem::swap(rival_sharing, rival_next);
            step += 1;
        }
        // Nobody shares any more: the counts stay where they are.
        record.hold_from(step);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::IndependentCascade;

    fn record(m: &CompetitiveCascade, ws: &mut Workspace, seeds: &[Node], run: u64) -> Vec<u32> {
        let mut data = vec![0u32; 5 * (m.steps as usize + 1)];
        m.run(ws, seeds, run, RunRecord::new(&mut data, m.steps));
        data
    }

    #[test]
    fn a_tie_at_the_middle_of_a_path_is_a_fair_coin() {
        // 0 - 1 - 2, stickiness 1 both: person 1 is activated by both at
        // step 1 and adopts ours in half the runs.
        let g = Graph::from_undirected(3, &[(0, 1), (1, 2)]);
        let rival_seeds = Seeds::Fixed(vec![2]);
        let rival = Rival {
            stickiness: 1.0,
            seeds: &rival_seeds,
            start_step: 0,
        };
        let m = CompetitiveCascade::new(&g, 1.0, 4, 7, rival);
        let mut ws = m.workspace();
        let runs = 20_000u64;
        let mut ours = 0u64;
        for r in 0..runs {
            let data = record(&m, &mut ws, &[0], r);
            // Rows of 5: reached, shared, rival reached, rival shared.
            let (shared, rival_shared) = (data[9], data[19]);
            assert_eq!(shared + rival_shared, 3, "everyone adopts one");
            // Whoever takes person 1 reaches the other end through them.
            assert_eq!((data[4], data[14]), (1 + shared, 1 + rival_shared));
            ours += (shared == 2) as u64;
            assert_eq!(ws.ours.has_shared(1), shared == 2);
            assert_eq!(ws.rival.has_shared(1), shared == 1);
        }
        // Binomial(runs, 1/2); 5 sd.
        let sd = (runs as f64 * 0.25).sqrt();
        assert!((ours as f64 - runs as f64 / 2.0).abs() < 5.0 * sd, "{ours}");
    }

    #[test]
    fn a_silent_rival_far_away_leaves_our_runs_as_the_plain_cascade_has_them() {
        // Two components: ours, a ring of 300, and the rival's seed in a
        // star of its own. Our curves are the plain cascade's, run by run,
        // whatever the decay.
        let mut edges: Vec<(Node, Node)> = (0..300).map(|v| (v, (v + 1) % 300)).collect();
        edges.extend(
            (0..300)
                .map(|v| (v, (v * 7 + 3) % 300))
                .filter(|(a, b)| a != b),
        );
        edges.extend((301..310).map(|v| (300, v)));
        let edges: Vec<(Node, Node)> = edges
            .into_iter()
            .map(|(a, b)| (a.min(b), a.max(b)))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let g = Graph::from_undirected(310, &edges);
        let rival_seeds = Seeds::Fixed(vec![300]);
        for half_life in [None, Some(4.0)] {
            let rival = Rival {
                stickiness: 0.0,
                seeds: &rival_seeds,
                start_step: 2,
            };
            let (mut m, mut plain) = (
                CompetitiveCascade::new(&g, 0.4, 30, 9, rival),
                IndependentCascade::new(&g, 0.4, 30, 9),
            );
            if let Some(h) = half_life {
                m = m.with_half_life(h);
                plain = plain.with_half_life(h);
            }
            let (mut ws, mut plain_ws) = (m.workspace(), plain.workspace());
            let len = 31;
            for r in 0..200 {
                let data = record(&m, &mut ws, &[0, 150], r);
                let mut expect = vec![0u32; 3 * len];
                plain.run(&mut plain_ws, &[0, 150], r, RunRecord::new(&mut expect, 30));
                assert_eq!(&data[..2 * len], &expect[..2 * len]);
                // Our impressions too: the same sharers showed the same posts.
                assert_eq!(&data[4 * len..], &expect[2 * len..]);
                // The rival's seed is seen by itself from step 2, its ten
                // followers at step 3.
                assert_eq!(data[2 * len + 1], 0);
                assert_eq!(data[2 * len + 2], 1);
                assert_eq!(data[2 * len + 3], 10);
                assert_eq!(data[3 * len + 30], 1);
            }
        }
    }

    #[test]
    fn ads_before_our_late_start_spread_and_count_as_paid_reach() {
        // Our seeds post at step 4, ads run at steps 1 and 2 and are
        // shared: their sharers spread our content before our seeds post,
        // and seeds the ads reached are paid reach, not seeded.
        let edges: Vec<(Node, Node)> = (0..1000u32)
            .flat_map(|u| [(u, (u * 7 + 1) % 1000), (u, (u * 13 + 5) % 1000)])
            .filter(|(a, b)| a != b)
            .map(|(a, b)| (a.min(b), a.max(b)))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let g = Graph::from_undirected(1000, &edges);
        let rival_seeds = Seeds::Fixed(vec![500]);
        let rival = Rival {
            stickiness: 0.3,
            seeds: &rival_seeds,
            start_step: 0,
        };
        let steps = 12u32;
        let m = CompetitiveCascade::new(&g, 0.3, steps, 5, rival)
            .with_our_start(4)
            .with_ads(0.05, 1, 2, 0.5);
        let mut ws = m.workspace();
        let len = steps as usize + 1;
        let seeds: Vec<Node> = (0..30).map(|i| i * 33).collect();
        let mut spread_before_the_seeds = false;
        for r in 0..30 {
            let mut data = vec![0u32; 8 * len];
            m.run(&mut ws, &seeds, r, RunRecord::new(&mut data, steps));
            let row = |i: usize| &data[i * len..(i + 1) * len];
            let (reached, paid, earned) = (row(0), row(4), row(5));
            // Word of mouth from the ads' sharers before step 4.
            spread_before_the_seeds |= earned[3] > 0;
            assert_eq!(reached[3], paid[3] + earned[3]);
            let seeded = reached[4] - (paid[4] - paid[3]) - reached[3] - (earned[4] - earned[3]);
            assert!(seeded as usize <= seeds.len());
            for t in 4..len {
                assert_eq!(reached[t], paid[t] + earned[t] + seeded, "run {r} step {t}");
            }
        }
        assert!(spread_before_the_seeds);
    }

    fn schedule(g: &Graph, online: Vec<f64>, visible_for: u32) -> Schedule {
        let activity = crate::model::Activity {
            period: online.len() as u32,
            online,
            segments: Vec::new(),
            visible_for,
            start_hour: 0,
        };
        Schedule::new(&activity, g)
    }

    #[test]
    fn a_schedule_with_everyone_always_online_changes_no_run() {
        // The schedule's path (first online step, both calendars) with
        // every chance 1: the same counts as no schedule, with decay, ads,
        // an ad table by segment and late starts too.
        let edges: Vec<(Node, Node)> = (0..1500u32)
            .flat_map(|u| [(u, (u * 7 + 1) % 1500), (u, (u * 13 + 5) % 1500)])
            .filter(|(a, b)| a != b)
            .map(|(a, b)| (a.min(b), a.max(b)))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let g =
            Graph::from_undirected(1500, &edges).with_segments((0..1500).map(|v| v % 3).collect());
        let rival_seeds = Seeds::Fixed(vec![700, 701, 9]);
        let plain = || {
            let rival = Rival {
                stickiness: 0.35,
                seeds: &rival_seeds,
                start_step: 1,
            };
            CompetitiveCascade::new(&g, 0.3, 14, 4, rival)
                .with_our_start(2)
                .with_half_life(7.0)
                .with_ads(0.01, 1, 4, 0.3)
                .with_ad_resonance(&[0.1, 0.6, 0.3])
        };
        let scheduled = plain().with_activity(schedule(&g, vec![1.0; 3], 2));
        let (m, s) = (plain(), scheduled);
        let (mut ws, mut ws_s) = (m.workspace(), s.workspace());
        let seeds = [0, 3, 77, 1200];
        let mut spread = false;
        for r in 0..60 {
            let mut a = vec![0u32; 8 * 15];
            let mut b = vec![0u32; 8 * 15];
            m.run(&mut ws, &seeds, r, RunRecord::new(&mut a, 14));
            s.run(&mut ws_s, &seeds, r, RunRecord::new(&mut b, 14));
            assert_eq!(a, b, "run {r}");
            spread |= a[14] > 100 && a[3 * 15 + 14] > 20;
        }
        assert!(spread, "both contents should spread");
    }

    #[test]
    fn online_every_other_step_halves_both_speeds_on_a_path() {
        // An undirected path, ours from one end and the rival from the
        // other, stickiness 1: they meet in the middle, where person 15 is
        // a tie. Online only at even steps (a share waits a step), every
        // count of step t is the plain run's at step t / 2, tie included.
        let n = 31u32;
        let edges: Vec<(Node, Node)> = (0..n - 1).map(|v| (v, v + 1)).collect();
        let g = Graph::from_undirected(n, &edges);
        let rival_seeds = Seeds::Fixed(vec![n - 1]);
        let rival = Rival {
            stickiness: 1.0,
            seeds: &rival_seeds,
            start_step: 0,
        };
        let steps = 40u32;
        let plain = CompetitiveCascade::new(&g, 1.0, steps, 2, rival);
        let slow = CompetitiveCascade::new(&g, 1.0, steps, 2, rival).with_activity(schedule(
            &g,
            vec![1.0, 0.0],
            2,
        ));
        let len = steps as usize + 1;
        let (mut ws, mut ws_s) = (plain.workspace(), slow.workspace());
        let mut tie_went_each_way = [false; 2];
        for r in 0..40 {
            let fast = record(&plain, &mut ws, &[0], r);
            let halved = record(&slow, &mut ws_s, &[0], r);
            for row in 0..5 {
                for t in 0..len {
                    assert_eq!(
                        halved[row * len + t],
                        fast[row * len + t / 2],
                        "row {row} step {t}"
                    );
                }
            }
            tie_went_each_way[ws_s.ours.has_shared(15) as usize] = true;
            assert_eq!(ws_s.ours.has_shared(15), ws.ours.has_shared(15));
        }
        assert_eq!(tie_went_each_way, [true, true]);
    }

    #[test]
    fn shares_seen_at_the_same_step_are_a_tie_even_if_posted_apart() {
        // 2 follows 1, who follows our seed 0, and the rival's seed 3.
        // Ours reaches 2's feed at step 2, the rival's at step 1; 2 is
        // online only at steps 0 and 2 (mod 4), so sees both at step 2:
        // a tie, won by each content in half the runs. Without the
        // schedule the rival, first, always wins.
        let g = Graph::from_arcs(4, vec![(0, 1), (1, 2), (3, 2)]).with_segments(vec![0, 0, 1, 0]);
        let activity = crate::model::Activity {
            period: 4,
            online: vec![1.0; 4],
            segments: vec![("1".into(), vec![1.0, 0.0, 1.0, 0.0])],
            visible_for: 4,
            start_hour: 0,
        };
        let rival_seeds = Seeds::Fixed(vec![3]);
        let rival = Rival {
            stickiness: 1.0,
            seeds: &rival_seeds,
            start_step: 0,
        };
        let plain = CompetitiveCascade::new(&g, 1.0, 5, 8, rival);
        let m = CompetitiveCascade::new(&g, 1.0, 5, 8, rival)
            .with_activity(Schedule::new(&activity, &g));
        let (mut ws, mut plain_ws) = (m.workspace(), plain.workspace());
        let runs = 20_000u64;
        let mut ours = 0u64;
        for r in 0..runs {
            let data = record(&m, &mut ws, &[0], r);
            // Rows of 6 steps: 2 is reached by both at step 2, not before.
            assert_eq!((data[1], data[2]), (2, 3), "our reached");
            assert_eq!((data[13], data[14]), (1, 2), "rival reached");
            ours += ws.ours.has_shared(2) as u64;
            assert_ne!(ws.ours.has_shared(2), ws.rival.has_shared(2));
            record(&plain, &mut plain_ws, &[0], r);
            assert!(plain_ws.rival.has_shared(2) && !plain_ws.ours.has_shared(2));
        }
        let sd = (runs as f64 * 0.25).sqrt();
        assert!((ours as f64 - runs as f64 / 2.0).abs() < 5.0 * sd, "{ours}");
    }

    #[test]
    fn a_reused_workspace_gives_what_a_fresh_one_gives() {
        let edges: Vec<(Node, Node)> = (0..2000u32)
            .flat_map(|u| [(u, (u * 7 + 1) % 2000), (u, (u * 13 + 5) % 2000)])
            .filter(|(a, b)| a != b)
            .map(|(a, b)| (a.min(b), a.max(b)))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let g = Graph::from_undirected(2000, &edges);
        let rival_seeds = Seeds::Fixed(vec![1000, 1001, 5]);
        let rival = Rival {
            stickiness: 0.5,
            seeds: &rival_seeds,
            start_step: 1,
        };
        let m = CompetitiveCascade::new(&g, 0.45, 40, 3, rival);
        // Also when our runs after large ones go without the reached list
        // (the rival's always may).
        let unlisted = CompetitiveCascade::new(&g, 0.45, 40, 3, rival).unlisted();
        let (mut used, mut used_unlisted) = (m.workspace(), unlisted.workspace());
        let many: Vec<Node> = (0..300).collect();
        let big = record(&m, &mut used, &many, 7);
        assert!(big[40] > 1000, "the first run should reach widely");
        assert_eq!(record(&unlisted, &mut used_unlisted, &many, 7), big);
        for run in 0..20 {
            let again = record(&m, &mut used, &[11, 12], run);
            assert_eq!(again, record(&m, &mut m.workspace(), &[11, 12], run));
            assert_eq!(again, record(&unlisted, &mut used_unlisted, &[11, 12], run));
        }
        assert!(!used_unlisted.ours.listed() || !used_unlisted.rival.listed());
    }
}
