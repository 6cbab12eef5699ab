//! What is counted among the people a run reached, whatever the dynamics
//! that reached them: conversions (`[conversion]`). A [`Tallied`] model runs
//! its dynamics, then walks the run's reached list once, in the order people
//! were reached, so each tally is O(reach) and allocates nothing.

use super::{Marks, Metric, RunRecord, SpreadModel};
use crate::graph::Node;
use crate::rng::{self, Purpose};
use crate::scenario::Scenario;

/// The scenario's tallies over the people reached.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    conversion: Option<Conversion>,
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

impl Tally {
    /// The tallies `scenario` asks for.
    pub fn new(scenario: &Scenario) -> Tally {
        Tally {
            conversion: scenario.conversion.as_ref().map(|c| Conversion {
                rate: rng::threshold(c.rate),
                rate_if_shared: rng::threshold(c.rate_if_shared),
                seed: scenario.simulation.seed,
            }),
        }
    }

    /// The metrics the tallies add, in row order.
    pub fn metrics(&self) -> Vec<Metric> {
        self.conversion
            .map(|_| Metric::Converted)
            .into_iter()
            .collect()
    }

    /// Fill the rows from `first_row` on, given the run's final `marks` and
    /// its cumulative reached counts in row 0.
    fn record(&self, marks: &Marks, run: u64, record: &mut RunRecord, first_row: usize) {
        let Some(c) = self.conversion else {
            return;
        };
        let key = rng::run_key(c.seed, run, Purpose::Conversion);
        let converts = |v: Node| {
            let threshold = if marks.has_shared(v) {
                c.rate_if_shared
            } else {
                c.rate
            };
            rng::succeeds(rng::coin(key, v as u64), threshold)
        };
        let reached = marks.reached_people();
        let (mut from, mut converted) = (0usize, 0u32);
        for step in 0..=record.steps as usize {
            let to = record.row(0)[step] as usize;
            converted += reached[from..to].iter().filter(|&&v| converts(v)).count() as u32;
            from = to;
            record.row(first_row)[step] = converted;
        }
    }
}

/// A spread model followed by the scenario's tallies after every run.
pub struct Tallied<M> {
    inner: M,
    tally: Tally,
    /// Rows the inner model fills; the tallies fill the rest.
    inner_rows: usize,
}

impl<M: SpreadModel> Tallied<M> {
    /// `inner`, whose first metric must be [`Metric::Reached`], with `tally`.
    pub fn new(inner: M, tally: Tally) -> Tallied<M> {
        let metrics = inner.metrics();
        assert_eq!(metrics.first(), Some(&Metric::Reached));
        Tallied {
            inner,
            tally,
            inner_rows: metrics.len(),
        }
    }
}

impl<M: SpreadModel> SpreadModel for Tallied<M> {
    type Workspace = M::Workspace;

    fn metrics(&self) -> Vec<Metric> {
        let mut m = self.inner.metrics();
        m.extend(self.tally.metrics());
        m
    }

    fn workspace(&self) -> M::Workspace {
        self.inner.workspace()
    }

    fn run(&self, ws: &mut M::Workspace, seeds: &[Node], run: u64, mut record: RunRecord) {
        let steps = record.steps;
        self.inner.run(
            ws,
            seeds,
            run,
            RunRecord {
                data: &mut *record.data,
                steps,
            },
        );
        self.tally
            .record(self.inner.marks(ws), run, &mut record, self.inner_rows);
    }

    fn marks<'w>(&self, ws: &'w M::Workspace) -> &'w Marks {
        self.inner.marks(ws)
    }
}
