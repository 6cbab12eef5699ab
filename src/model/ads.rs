//! Paid exposure (the external influence of Bass's diffusion model), shared
//! by the cascades: in each step of a paid window every person sees an ad
//! with probability r. Viewers are found by geometric skipping over
//! everyone, O(n r) per step, from a counter stream keyed by (seed, run,
//! step), so the same people see the ads whatever the seeds.

use super::Marks;
use crate::graph::Node;
use crate::rng::{self, Purpose};

/// An ad campaign running alongside word of mouth.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ads {
    /// First and last step with ads.
    pub from: usize,
    pub to: usize,
    /// ln(1 - r), r the chance a person sees the ad in a step.
    log_fail: f64,
    /// Threshold of a new viewer sharing the ad (see [`rng::threshold`]).
    share: u32,
}

impl Ads {
    /// Ads in steps `from..=to` (`from` at least 1), seen by each person
    /// with probability `reach_per_step` per step and shared by a viewer not
    /// reached before with probability `stickiness`.
    pub fn new(reach_per_step: f64, from: u32, to: u32, stickiness: f64) -> Ads {
        debug_assert!(from >= 1 && (0.0..=1.0).contains(&reach_per_step));
        Ads {
            from: from as usize,
            to: to as usize,
            log_fail: rng::log_fail(reach_per_step),
            share: rng::threshold(stickiness.clamp(0.0, 1.0)),
        }
    }

    /// Whether `step` shows ads.
    #[inline]
    pub fn runs_at(&self, step: usize) -> bool {
        self.from <= step && step <= self.to
    }

    /// The key of run `run`'s ads under scenario seed `seed`.
    pub fn run_key(seed: u64, run: u64) -> u64 {
        rng::run_key(seed, run, Purpose::Ads)
    }

    /// Show step `step`'s ads of the run keyed `run_key` (see
    /// [`Ads::run_key`]) to `nodes` people: each viewer not reached before
    /// is reached (and counted in `paid`), and hands `shares` those who
    /// share the ad. Returns how many people saw one.
    pub fn show(
        &self,
        run_key: u64,
        step: usize,
        nodes: u32,
        marks: &mut Marks,
        paid: &mut u32,
        mut shares: impl FnMut(&mut Marks, Node),
    ) -> u32 {
        let key = rng::key(&[run_key, step as u64]);
        let share_key = rng::key(&[key, 1]);
        let mut viewers = rng::Candidates::new(key, 0, self.log_fail, nodes as usize);
        let mut views = 0;
        while let Some(v) = viewers.next_candidate() {
            let v = v as Node;
            views += 1;
            let before = marks.reached_count();
            marks.reach(v);
            if marks.reached_count() > before {
                *paid += 1;
                if rng::succeeds(rng::coin(share_key, v as u64), self.share) {
                    shares(marks, v);
                }
            }
        }
        views
    }
}
