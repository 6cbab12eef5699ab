//! Activity schedules (`[activity]`): people are online at some steps of
//! a cycle (hours of a day, say), and a share waits in a follower's feed
//! until they come online. When `u` shares at step t, each follower `v`
//! sees it at the first step s in t + 1 ..= t + visible_for at which `v`
//! is online, or never if there is none. Seeds given the content at their
//! start step, and people shown an ad at its step, see it by the same rule
//! with the window beginning at that step.
//!
//! Whether `v` is online at step s is a coin of its own per (seed, run,
//! person, step) ([`Purpose::Online`]), against the chance of `v`'s
//! segment at hour (s + start_hour) mod period. It depends on nothing else,
//! so every sharer reaching `v` finds the same online steps, and run r is
//! the same for every strategy (common random numbers).
//!
//! A share seen later than the step after it was posted waits in
//! [`Pending`], a calendar of the steps ahead. A run is over (nothing more
//! can happen) once nobody shared in the last step, no ad is still to come,
//! the seeds have posted, and nothing waits in the calendar: see
//! [`Pending::is_empty`].

use super::Activity;
use crate::graph::{Graph, Node};
use crate::rng::{self, Purpose};

/// The online chances of a schedule, as thresholds, over one graph.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    period: usize,
    start_hour: usize,
    /// Steps a share stays in a feed, at least 1.
    visible_for: usize,
    /// Per profile, `period` thresholds (see [`rng::threshold`]): the
    /// common profile first, then one per segment that has its own.
    thresholds: Vec<u32>,
    /// Per segment slot, its profile; empty when everyone has the common
    /// one.
    profile_of_slot: Vec<u32>,
}

impl Schedule {
    /// The schedule `activity` describes over `graph` (segments with a
    /// profile of their own must be among the graph's; others are left
    /// out, as the pipeline refuses them before).
    pub fn new(activity: &Activity, graph: &Graph) -> Schedule {
        let period = activity.period.max(1) as usize;
        let mut thresholds: Vec<u32> = Vec::with_capacity(period * (1 + activity.segments.len()));
        let mut add = |online: &[f64]| {
            thresholds.extend(
                (0..period)
                    .map(|h| rng::threshold(online.get(h).copied().unwrap_or(1.0).clamp(0.0, 1.0))),
            )
        };
        add(&activity.online);
        let mut profile_of_slot = Vec::new();
        if let Some(segments) = graph.segments().filter(|_| !activity.segments.is_empty()) {
            profile_of_slot = vec![0u32; segments.slots()];
            for (i, (name, online)) in activity.segments.iter().enumerate() {
                add(online);
                if let Some(s) = segments.index_of(name) {
                    profile_of_slot[s as usize] = i as u32 + 1;
                }
            }
        }
        Schedule {
            period,
            start_hour: activity.start_hour as usize % period,
            visible_for: activity.visible_for.max(1) as usize,
            thresholds,
            profile_of_slot,
        }
    }

    /// Steps a share stays in a feed.
    pub fn visible_for(&self) -> usize {
        self.visible_for
    }

    /// The key of run `run`'s online coins under scenario seed `seed`.
    pub fn run_key(seed: u64, run: u64) -> u64 {
        rng::run_key(seed, run, Purpose::Online)
    }

    /// Whether `v` is online at `step` in the run keyed `key`.
    #[inline]
    pub fn online(&self, key: u64, graph: &Graph, v: Node, step: usize) -> bool {
        let profile = match (&self.profile_of_slot[..], graph.segments()) {
            ([], _) | (_, None) => 0,
            (of, Some(segments)) => of[segments.slot(v)] as usize,
        };
        let hour = (step + self.start_hour) % self.period;
        let threshold = self.thresholds[profile * self.period + hour];
        threshold == u32::MAX
            || (threshold > 0
                && rng::succeeds(rng::coin(key, ((v as u64) << 32) | step as u64), threshold))
    }

    /// The first step of `from ..= from + visible_for - 1`, and at most
    /// `last`, at which `v` is online: when `v` sees something that reaches
    /// their feed at `from`.
    #[inline]
    pub fn first_online(
        &self,
        key: u64,
        graph: &Graph,
        v: Node,
        from: usize,
        last: usize,
    ) -> Option<usize> {
        let to = last.min(from + self.visible_for - 1);
        (from..=to).find(|&s| self.online(key, graph, v, s))
    }
}

/// What waits in a feed for a step ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waiting {
    /// A follower sees a share (one impression).
    View,
    /// ... and the arc from its sharer is live: they share it, unless they
    /// already have.
    Share,
    /// A seed sees the content they were given, and posts it.
    Seed,
    /// A person sees an ad; `true` if they share it (when it is the first
    /// they see of the content).
    Ad(bool),
}

/// The calendar of what people see in the steps ahead (by default the
/// cascades' `Waiting`): one bucket per step up to `visible_for` ahead,
/// reused in a ring, kept (with its capacity) across runs so a run
/// allocates nothing once the buckets have grown.
#[derive(Debug, Clone)]
pub struct Pending<T = Waiting> {
    buckets: Vec<Vec<(Node, T)>>,
    count: usize,
}

impl<T> Default for Pending<T> {
    fn default() -> Self {
        Pending {
            buckets: Vec::new(),
            count: 0,
        }
    }
}

impl<T: Copy> Pending<T> {
    /// A calendar for shares visible `visible_for` steps.
    pub fn new(visible_for: usize) -> Pending<T> {
        Pending {
            buckets: vec![Vec::new(); visible_for + 1],
            count: 0,
        }
    }

    /// Forget everything.
    pub fn reset(&mut self) {
        if self.count > 0 {
            self.buckets.iter_mut().for_each(Vec::clear);
            self.count = 0;
        }
    }

    /// Whether nothing waits: with nobody sharing and no seed or ad to
    /// come, the run is over.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Let `v` see `what` at `step` (less than `visible_for` steps ahead of
    /// the step being simulated).
    #[inline]
    pub fn add(&mut self, step: usize, v: Node, what: T) {
        let n = self.buckets.len();
        self.buckets[step % n].push((v, what));
        self.count += 1;
    }

    /// Hand `see` everything due at `step`, in the order it was added.
    #[inline]
    pub fn due(&mut self, step: usize, mut see: impl FnMut(Node, T)) {
        let n = self.buckets.len();
        if n == 0 || self.count == 0 {
            return;
        }
        let bucket = &mut self.buckets[step % n];
        self.count -= bucket.len();
        for &(v, what) in bucket.iter() {
            see(v, what);
        }
        bucket.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn activity(online: Vec<f64>) -> Activity {
        Activity {
            period: online.len() as u32,
            online,
            segments: Vec::new(),
            visible_for: 3,
            start_hour: 0,
        }
    }

    #[test]
    fn online_follows_the_profile_and_the_start_hour() {
        let g = Graph::from_arcs(3, vec![(0, 1), (1, 2)]);
        let s = Schedule::new(&activity(vec![1.0, 0.0]), &g);
        let key = Schedule::run_key(1, 0);
        assert!(s.online(key, &g, 1, 0) && !s.online(key, &g, 1, 1) && s.online(key, &g, 1, 2));
        assert_eq!(s.first_online(key, &g, 1, 1, 100), Some(2));
        assert_eq!(s.first_online(key, &g, 1, 1, 1), None);
        let late = Schedule::new(
            &Activity {
                start_hour: 1,
                ..activity(vec![1.0, 0.0])
            },
            &g,
        );
        assert!(!late.online(key, &g, 1, 0) && late.online(key, &g, 1, 1));
        // A chance of 0.3: about 30% of (person, step) pairs online.
        let s = Schedule::new(&activity(vec![0.3]), &g);
        let n = 60_000u32;
        let on = (0..n)
            .filter(|&i| s.online(Schedule::run_key(1, i as u64 / 3), &g, i % 3, i as usize))
            .count() as f64;
        let sd = (n as f64 * 0.3 * 0.7).sqrt();
        assert!((on - 0.3 * n as f64).abs() < 5.0 * sd, "{on}");
    }

    #[test]
    fn the_calendar_hands_back_what_is_due_in_order() {
        let mut p = Pending::new(3);
        p.add(2, 5, Waiting::View);
        p.add(3, 6, Waiting::Seed);
        p.add(2, 7, Waiting::Share);
        let mut seen = Vec::new();
        p.due(1, |v, w| seen.push((v, w)));
        assert!(seen.is_empty() && !p.is_empty());
        p.due(2, |v, w| seen.push((v, w)));
        assert_eq!(seen, [(5, Waiting::View), (7, Waiting::Share)]);
        p.due(3, |v, w| seen.push((v, w)));
        assert!(p.is_empty());
        p.add(9, 1, Waiting::Ad(true));
        p.reset();
        assert!(p.is_empty());
    }
}
