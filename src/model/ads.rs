//! Paid exposure, shared by the cascades. Two ways to buy it:
//! - `[paid]` (the external influence of Bass's diffusion model): in each
//!   step of a paid window every person sees an ad with probability r.
//!   Viewers are found by geometric skipping over everyone, O(n r) per
//!   step.
//! - A strategy's own budget (`[strategy.ads]`): each step of the window
//!   shows a fixed number k of views to k distinct people drawn uniformly
//!   from everyone, by a partial Fisher-Yates shuffle of a reused order
//!   (see [`Picks`]), O(k) per step and no allocation.
//!
//! Both draw from a counter stream keyed by (seed, run, step), so the same
//! people see the same ads whatever the seeds (common random numbers).

use super::{AdBudget, AdsSpec, Marks};
use crate::graph::Node;
use crate::rng::{self, Purpose};

/// An ad campaign running alongside word of mouth.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ads {
    /// First and last step with ads (`to` below `from`: none at all).
    pub from: usize,
    pub to: usize,
    views: Views,
    /// Threshold of a new viewer sharing the ad (see [`rng::threshold`]).
    share: u32,
}

/// Who sees the ads of a step.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Views {
    /// Everyone independently: ln(1 - r), r the chance a person sees the
    /// ad in a step.
    Chance { log_fail: f64 },
    /// Exactly `base` distinct people per step, one more in the first
    /// `extra` steps of the window.
    Count { base: u32, extra: u32 },
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
            views: Views::Chance {
                log_fail: rng::log_fail(reach_per_step),
            },
            share: rng::threshold(stickiness.clamp(0.0, 1.0)),
        }
    }

    /// The ads `budget` buys among `people` (see [`AdBudget`]).
    pub fn bought(budget: &AdBudget, people: u32) -> Ads {
        let (views, window) = (budget.views(people), budget.window() as u64);
        if views == 0 {
            return Ads::none();
        }
        Ads {
            from: budget.from_step as usize,
            to: budget.to_step as usize,
            views: Views::Count {
                base: (views / window) as u32,
                extra: (views % window) as u32,
            },
            share: rng::threshold(budget.stickiness.clamp(0.0, 1.0)),
        }
    }

    /// No ads at all, while the ad rows are still recorded.
    pub fn none() -> Ads {
        Ads {
            from: 1,
            to: 0,
            views: Views::Count { base: 0, extra: 0 },
            share: 0,
        }
    }

    /// The ads `spec` describes, among `people`.
    pub fn of(spec: &AdsSpec, people: u32) -> Ads {
        match spec {
            AdsSpec::Chance(p) => Ads::new(p.reach_per_step, p.from_step, p.to_step, p.stickiness),
            AdsSpec::Budget(b) => Ads::bought(b, people),
            AdsSpec::Nothing => Ads::none(),
        }
    }

    /// The threshold of a new viewer sharing (see [`rng::threshold`]).
    pub fn share_threshold(&self) -> u32 {
        self.share
    }

    /// Whether views are drawn as a fixed count per step, which needs
    /// [`Picks`] in the workspace.
    pub fn counted(&self) -> bool {
        matches!(self.views, Views::Count { .. })
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
    /// share the ad. `picks` holds the draws of a fixed count of views.
    /// `share(v)` is `v`'s threshold of sharing the ad (see
    /// [`Ads::share_threshold`]). `now(v, shares)` says whether `v` sees
    /// the ad at once; if not, the caller keeps it for later (with whether
    /// `v` would share it).
    /// Returns how many people were shown one.
    #[allow(clippy::too_many_arguments)]
    pub fn show(
        &self,
        run_key: u64,
        step: usize,
        nodes: u32,
        marks: &mut Marks,
        picks: &mut Picks,
        paid: &mut u32,
        share: impl Fn(Node) -> u32,
        mut now: impl FnMut(Node, bool) -> bool,
        mut shares: impl FnMut(&mut Marks, Node),
    ) -> u32 {
        let key = rng::key(&[run_key, step as u64]);
        let share_key = rng::key(&[key, 1]);
        let mut see = |marks: &mut Marks, v: Node| {
            let shares_it = rng::succeeds(rng::coin(share_key, v as u64), share(v));
            if !now(v, shares_it) {
                return;
            }
            let before = marks.reached_count();
            marks.reach(v);
            if marks.reached_count() > before {
                *paid += 1;
                if shares_it {
                    shares(marks, v);
                }
            }
        };
        match self.views {
            Views::Chance { log_fail } => {
                let mut viewers = rng::Candidates::new(key, 0, log_fail, nodes as usize);
                let mut views = 0;
                while let Some(v) = viewers.next_candidate() {
                    views += 1;
                    see(marks, v as Node);
                }
                views
            }
            Views::Count { base, extra } => {
                let k = base + ((step - self.from) < extra as usize) as u32;
                picks.draw(key, nodes, k, |v| see(marks, v));
                k
            }
        }
    }
}

/// Reused state for drawing k distinct people of n: everyone in an order
/// that is the identity between draws. A draw shuffles its first k places
/// (a partial Fisher-Yates shuffle) and then undoes its swaps, O(k) both
/// ways, so nothing is cleared and nothing allocated.
///
/// Place i's swap comes from draw i of the key alone, so under one key the
/// first k people drawn are the same whatever k is: a larger budget shows
/// its ads to the people a smaller one would, and more. Strategies (and
/// sweep points) that differ only in their ad budget are compared on the
/// same viewers, with less noise than independent draws would leave.
#[derive(Debug, Clone, Default)]
pub struct Picks {
    order: Vec<Node>,
}

impl Picks {
    /// Room to draw among `nodes` people.
    pub fn new(nodes: u32) -> Picks {
        Picks {
            order: (0..nodes).collect(),
        }
    }

    /// Room for ads that need it (a fixed count of views), none otherwise.
    pub fn for_ads(ads: Option<Ads>, nodes: u32) -> Picks {
        match ads {
            Some(a) if a.counted() => Picks::new(nodes),
            _ => Picks::default(),
        }
    }

    /// Hand `pick` `k` distinct people of `0..n` (`k <= n`), every
    /// ordered choice equally likely, from the counter stream `key`.
    pub fn draw(&mut self, key: u64, n: u32, k: u32, mut pick: impl FnMut(Node)) {
        debug_assert!(k <= n && self.order.len() == n as usize);
        let place = |i: u32| i + uniform_below(rng::coin(key, i as u64), n - i);
        for i in 0..k {
            let j = place(i);
            self.order.swap(i as usize, j as usize);
            pick(self.order[i as usize]);
        }
        // Back to the identity, the swaps undone in reverse.
        for i in (0..k).rev() {
            self.order.swap(i as usize, place(i) as usize);
        }
    }
}

/// A coin as a whole number below `m` (above 0), by a 64 x 64-bit product:
/// bias below 2^-32.
#[inline(always)]
fn uniform_below(coin: u64, m: u32) -> u32 {
    ((coin as u128 * m as u128) >> 64) as u32
}

/// An ad viewer's chance to share, as a threshold per segment slot, from
/// each slot's stickiness (see [`super::Resonance::per_slot`]).
pub fn share_thresholds(per_slot: &[f64]) -> Vec<u32> {
    per_slot
        .iter()
        .map(|&p| rng::threshold(p.clamp(0.0, 1.0)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget(budget: f64, cost_per_view: f64, from: u32, to: u32) -> AdBudget {
        AdBudget {
            budget,
            cost_per_view,
            from_step: from,
            to_step: to,
            stickiness: 0.0,
        }
    }

    #[test]
    fn a_budget_buys_whole_views_spread_evenly_never_over_budget() {
        let b = budget(1000.0, 3.0, 2, 5);
        assert_eq!(b.views(10_000), 333);
        assert!(b.spend(10_000) <= 1000.0);
        let per_step: Vec<u32> = (0..8).map(|t| b.views_at(t, 10_000)).collect();
        assert_eq!(per_step, [0, 0, 84, 83, 83, 83, 0, 0]);
        // Capped at everyone in every step.
        assert_eq!(b.views(50), 200);
        assert_eq!(b.views_at(3, 50), 50);
        // Quotients that round up across a whole number do not overspend.
        for (money, price) in [(0.3, 0.1), (1.0, 1.0 / 3.0), (0.7, 0.1), (5000.0, 0.07)] {
            let b = budget(money, price, 1, 3);
            assert!(b.spend(1_000_000) <= money, "{money} / {price}");
            assert!(b.spend(1_000_000) + price > money, "{money} / {price}");
        }
    }

    #[test]
    fn draws_are_distinct_uniform_nested_and_leave_the_order_as_it_was() {
        let mut picks = Picks::new(10);
        let mut counts = [0u32; 10];
        let draws = 20_000u32;
        for d in 0..draws {
            let mut seen = [false; 10];
            let mut k = 0;
            picks.draw(rng::key(&[7, d as u64]), 10, 3, |v| {
                assert!(!seen[v as usize], "a person drawn twice");
                seen[v as usize] = true;
                counts[v as usize] += 1;
                k += 1;
            });
            assert_eq!(k, 3);
        }
        // Each person is drawn with probability 3/10: Binomial, 5 sd.
        let (n, p) = (draws as f64, 0.3);
        let sd = (n * p * (1.0 - p)).sqrt();
        for c in counts {
            assert!((c as f64 - n * p).abs() < 5.0 * sd, "{c} vs {}", n * p);
        }
        // All of them, and none.
        let mut all = Vec::new();
        picks.draw(3, 10, 10, |v| all.push(v));
        all.sort();
        assert_eq!(all, (0..10).collect::<Vec<_>>());
        picks.draw(3, 10, 0, |_| panic!("nobody is drawn"));
        assert_eq!(picks.order, (0..10).collect::<Vec<_>>());
        // Under one key, a larger draw begins with a smaller one's people.
        let mut picks = Picks::new(1000);
        let (mut small, mut large) = (Vec::new(), Vec::new());
        picks.draw(11, 1000, 40, |v| small.push(v));
        picks.draw(11, 1000, 300, |v| large.push(v));
        assert_eq!(small[..], large[..40]);
    }
}
