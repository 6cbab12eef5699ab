//! What is counted among the people a run reached, whatever the dynamics
//! that reached them: conversions (`[conversion]`), reach inside and
//! outside the target audience (`[target]`), and final reach per segment
//! (on graphs with segments). A [`Tallied`] model runs its dynamics, then
//! walks the run's reached list once, in the order people were reached, so
//! each tally is O(reach) and allocates nothing.

use super::ConversionSpec;
use super::{Marks, Metric, Row, RunRecord, SpreadModel};
use crate::graph::{Node, Segments};
use crate::rng::{self, Purpose};

/// The scenario's tallies over the people reached.
#[derive(Debug, Clone, Default)]
pub struct Tally<'g> {
    conversion: Option<Conversion>,
    /// The graph's segments, if it has any: final reach is counted per
    /// segment.
    segments: Option<&'g Segments>,
    /// Per segment slot, whether it is in the target (with `[target]`).
    target: Option<Vec<bool>>,
}

/// Each reached person converts with one chance, a higher one if they
/// shared: one coin per (run, person), compared with the threshold that
/// applies, so a person who converts without sharing would also convert
/// had they shared, and run r decides the same for every strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Conversion {
    rate: u32,
    rate_if_shared: u32,
    seed: u64,
}

impl<'g> Tally<'g> {
    /// Conversions at `conversion`'s rates (coins seeded by `seed`, the
    /// runs' seed), and reach per segment over people of `segments` (the
    /// graph's), with `target` the target audience as a mask over segment
    /// slots (see [`Segments::slot`]). A target needs segments.
    pub fn new(
        conversion: Option<&ConversionSpec>,
        seed: u64,
        segments: Option<&'g Segments>,
        target: Option<Vec<bool>>,
    ) -> Tally<'g> {
        debug_assert!(target.is_none() || segments.is_some());
        debug_assert!(match (segments, &target) {
            (Some(s), Some(t)) => t.len() == s.slots(),
            _ => true,
        });
        Tally {
            conversion: conversion.map(|c| Conversion {
                rate: rng::threshold(c.rate),
                rate_if_shared: rng::threshold(c.rate_if_shared),
                seed,
            }),
            target: target.filter(|_| segments.is_some()),
            segments,
        }
    }

    /// Whether any tally walks the people reached ([`Marks::reached_people`]).
    pub fn reads_reached(&self) -> bool {
        self.conversion.is_some() || self.segments.is_some()
    }

    /// The metrics the tallies add, in row order.
    pub fn metrics(&self) -> Vec<Metric> {
        Tally::rows(self.conversion.is_some(), self.target.is_some())
    }

    /// The metrics tallies of conversions and of a target add, in row
    /// order.
    pub fn rows(conversion: bool, target: bool) -> Vec<Metric> {
        let mut m = Vec::new();
        if conversion {
            m.push(Metric::Converted);
        }
        if target {
            m.extend([Metric::ReachedInTarget, Metric::ReachedOutsideTarget]);
        }
        m
    }

    /// Final counts per segment slot a run records after its curves: the
    /// people reached per slot, then the people who shared per slot (0
    /// without segments).
    pub fn segment_slots(&self) -> usize {
        self.segments.map_or(0, |s| 2 * s.slots())
    }

    /// Fill the rows from `first` on, and the per-segment counts after the
    /// last row, given the run's final `marks` and its cumulative reached
    /// counts in row `reached_row`.
    fn record(
        &self,
        marks: &Marks,
        run: u64,
        record: &mut RunRecord,
        reached_row: Row,
        first: Row,
    ) {
        if !self.reads_reached() {
            return;
        }
        let reached = marks.reached_people();
        let mut row = first;
        if let Some(c) = self.conversion {
            let key = rng::run_key(c.seed, run, Purpose::Conversion);
            let converts = |v: Node| {
                let threshold = if marks.has_shared(v) {
                    c.rate_if_shared
                } else {
                    c.rate
                };
                rng::succeeds(rng::coin(key, v as u64), threshold)
            };
            let (mut from, mut converted) = (0usize, 0u32);
            for step in 0..record.recorded_steps() {
                let to = record.row(reached_row)[step] as usize;
                converted += reached[from..to].iter().filter(|&&v| converts(v)).count() as u32;
                from = to;
                record.row(row)[step] = converted;
            }
            row = row.after(1);
        }
        let Some(segments) = self.segments else {
            return;
        };
        if let Some(target) = &self.target {
            // Both sides are counted, not one derived from the other, so
            // that in + outside = reached checks the walk.
            let (mut from, mut inside, mut outside) = (0usize, 0u32, 0u32);
            for step in 0..record.recorded_steps() {
                let to = record.row(reached_row)[step] as usize;
                for &v in &reached[from..to] {
                    let t = target[segments.slot(v)];
                    inside += t as u32;
                    outside += !t as u32;
                }
                from = to;
                record.row(row)[step] = inside;
                record.row(row.after(1))[step] = outside;
            }
            row = row.after(2);
        }
        // After the last row: one final count per segment slot of the
        // people reached, then of those who shared.
        let counts = record.segment_counts(row.0);
        debug_assert_eq!(counts.len(), 2 * segments.slots());
        counts.fill(0);
        let (reached_in, shared_in) = counts.split_at_mut(segments.slots());
        for &v in reached {
            let slot = segments.slot(v);
            reached_in[slot] += 1;
            shared_in[slot] += marks.has_shared(v) as u32;
        }
    }
}

/// A spread model followed by the scenario's tallies after every run.
pub struct Tallied<'g, M> {
    inner: M,
    tally: Tally<'g>,
    /// The inner model's row of people reached, which the tallies walk.
    reached: Row,
    /// The tallies' first row, after the inner model's rows.
    first: Row,
}

impl<'g, M: SpreadModel> Tallied<'g, M> {
    /// `inner`, which must record [`Metric::Reached`], with `tally`.
    pub fn new(inner: M, tally: Tally<'g>) -> Tallied<'g, M> {
        let metrics = inner.metrics();
        assert_eq!(inner.segment_slots(), 0, "tallies count the segments");
        Tallied {
            inner,
            tally,
            reached: Row::of(&metrics, Metric::Reached),
            first: Row(metrics.len()),
        }
    }
}

impl<M: SpreadModel> SpreadModel for Tallied<'_, M> {
    type Workspace = M::Workspace;

    fn metrics(&self) -> Vec<Metric> {
        let mut m = self.inner.metrics();
        m.extend(self.tally.metrics());
        m
    }

    fn segment_slots(&self) -> usize {
        self.tally.segment_slots()
    }

    fn workspace(&self) -> M::Workspace {
        self.inner.workspace()
    }

    fn run(&self, ws: &mut M::Workspace, seeds: &[Node], run: u64, mut record: RunRecord) {
        self.inner.run(ws, seeds, run, record.reborrow());
        self.tally.record(
            self.inner.marks(ws),
            run,
            &mut record,
            self.reached,
            self.first,
        );
    }

    fn marks<'w>(&self, ws: &'w M::Workspace) -> &'w Marks {
        self.inner.marks(ws)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{self, Acceptance};
    use crate::graph::{Graph, Segments, NO_SEGMENT};
    use crate::model::IndependentCascade;
    use crate::model::Seeds;

    /// A path 0 - 1 - ... - 9; at stickiness 1, from person 0 the content
    /// reaches person t at step t.
    fn path_graph() -> Graph {
        let edges: Vec<(Node, Node)> = (0..9).map(|v| (v, v + 1)).collect();
        Graph::from_undirected(10, &edges).with_named_segments(Segments::named(
            vec![0, 0, 1, 1, 2, 2, NO_SEGMENT, 0, 1, 2],
            vec!["a".into(), "b".into(), "c".into()],
        ))
    }

    #[test]
    fn target_and_segment_counts_follow_the_reached_people_step_by_step() {
        let g = path_graph();
        let segments = g.segments().unwrap();
        // Target: segments a and c.
        let target = segments.select(&["a".into(), "c".into()]).unwrap();
        let tally = Tally::new(None, 1, Some(segments), Some(target));
        assert_eq!(
            tally.metrics(),
            vec![Metric::ReachedInTarget, Metric::ReachedOutsideTarget]
        );
        let model = Tallied::new(IndependentCascade::new(&g, 1.0, 12, 1), tally);
        // Reached per slot, then shared per slot.
        assert_eq!(model.segment_slots(), 8);
        let o = engine::simulate(
            &model,
            &Seeds::Fixed(vec![0]),
            Acceptance::ALL,
            3,
            12,
            &|_| {},
        );
        assert_eq!(o.segment_slots, 8);
        let row = |m| o.metric_index(m).unwrap();
        for run in 0..3 {
            // Reached by step t: people 0..=t.
            let reached: Vec<u32> = (0..=12).map(|t: u32| (t + 1).min(10)).collect();
            assert_eq!(o.curve(run, 0), &reached[..]);
            // In target (a or c): people 0, 1, 4, 5, 7, 9.
            let inside = [1, 2, 2, 2, 3, 4, 4, 5, 5, 6, 6, 6, 6];
            assert_eq!(o.curve(run, row(Metric::ReachedInTarget)), &inside[..]);
            let outside: Vec<u32> = reached.iter().zip(inside).map(|(r, i)| r - i).collect();
            assert_eq!(
                o.curve(run, row(Metric::ReachedOutsideTarget)),
                &outside[..]
            );
            // a: 0, 1, 7; b: 2, 3, 8; c: 4, 5, 9; unassigned: 6; at
            // stickiness 1 everyone reached shares.
            assert_eq!(o.segment_counts(run), &[3, 3, 3, 1, 3, 3, 3, 1]);
        }
    }

    #[test]
    fn sharers_are_counted_per_segment_after_the_reached() {
        // At stickiness 0 only the seed (person 0, segment a) shares;
        // its follower 1 (a) is reached.
        let g = path_graph();
        let tally = Tally::new(None, 1, g.segments(), None);
        let model = Tallied::new(IndependentCascade::new(&g, 0.0, 5, 1), tally);
        let o = engine::simulate(
            &model,
            &Seeds::Fixed(vec![0]),
            Acceptance::ALL,
            2,
            5,
            &|_| {},
        );
        assert_eq!(o.segment_counts(0), &[2, 0, 0, 0, 1, 0, 0, 0]);
    }

    #[test]
    fn without_segments_nothing_is_added() {
        let g = Graph::from_undirected(3, &[(0, 1), (1, 2)]);
        let tally = Tally::new(None, 1, g.segments(), None);
        assert!(tally.metrics().is_empty());
        assert_eq!(tally.segment_slots(), 0);
    }
}
