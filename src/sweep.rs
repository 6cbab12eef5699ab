//! A scenario's `[sweep]`: every strategy simulated at every point of a grid
//! over one or two scenario keys, reduced to each point's final figures,
//! and, when the grid varies `content.stickiness`, the tipping point: the
//! smallest stickiness at which the mean final reach passes a share of the
//! audience, beside the graph's analytic epidemic thresholds.
//!
//! Every point runs with the scenario's seed, so points share their random
//! numbers (common random numbers): run r invites the same people and
//! draws from the same random streams at every point, so neighbouring
//! points differ mostly by the effect of the key, not by fresh noise.
//!
//! # Tipping point
//!
//! Along the stickiness axis, the mean final reach of a strategy is read at
//! each point with its 95% confidence interval. The tipping point is where
//! the mean first passes `tipping_fraction x people`, by linear
//! interpolation between the two points around the crossing. Its
//! uncertainty is where the interval's upper and lower ends pass the same
//! level: below the first, the mean could already have passed it; above
//! the second, it surely has (at 95% confidence per point). The grid adds
//! its own error: interpolation is exact only where the curve is straight
//! between two points, so a finer grid around the crossing sharpens both.
//!
//! The analytic thresholds (see [`crate::graph::analysis`]) are where sharing
//! can keep growing by itself on an endless graph. The tipping point is a
//! different question: where the mean reach, which counts everyone who
//! *saw* the content, passes a share of a finite graph from the
//! strategy's seeds within the scenario's steps. It moves with all of
//! these: many seeds, well-followed seeds or a low tipping fraction pass
//! the level below the threshold (the seeds' own followers see the
//! content, and sharing that dies out still adds up), while few seeds, a
//! high fraction or few steps (near the threshold a cascade spreads
//! slowly) push it above. On a large Erdős–Rényi graph with trust 1 and
//! mean degree c, with a share rho of people seeded at random, the shared
//! share S and the reached share R solve
//! `S = 1 - (1 - rho) exp(-c p S)` and `R = 1 - (1 - rho) exp(-c S)` at
//! stickiness p (for rho -> 0 and above the threshold, the final-size
//! relations of the model description). R passes 10% within a few per cent
//! of the mean-field threshold 1/c: a little above it as rho -> 0, a little
//! below with more seeds, whose own cascades add up.

use std::cell::Cell;
use std::time::Instant;

use serde::Serialize;

use crate::error::Error;
use crate::graph::{analysis::Thresholds, Graph};
use crate::model::Metric;
use crate::pipeline::{self, Money, Prepared, Results};
use crate::resources::Resources;
use crate::scenario::{describe_point, Scenario, SweepAxis};
use crate::stats::Summary;
use crate::strategy::Unwatched;

/// What one strategy did at one point.
#[derive(Debug, Clone, PartialEq)]
pub struct PointStrategy {
    /// Final summary of every metric recorded, in the model's order.
    pub finals: Vec<(Metric, Summary)>,
    /// People invited per run (the mean when drawn afresh each run).
    pub seeds_per_run: f64,
    /// What inviting them and any ads cost per run (mean).
    pub cost: f64,
    /// Revenue, cost and return on investment, with `[conversion]`.
    pub money: Option<Money>,
    /// Net reach, our final reached minus the rival's, with `[rival]`.
    pub net_reached: Option<Summary>,
}

impl PointStrategy {
    /// Final summary of `metric`, if recorded.
    pub fn final_of(&self, metric: Metric) -> Option<&Summary> {
        self.finals
            .iter()
            .find(|(m, _)| *m == metric)
            .map(|(_, s)| s)
    }

    /// Final reached (every model records it).
    pub fn reached(&self) -> &Summary {
        self.final_of(Metric::Reached)
            .expect("every model records reached")
    }
}

/// One point of the grid.
#[derive(Debug, Clone, PartialEq)]
pub struct PointResult {
    /// One value per axis.
    pub values: Vec<f64>,
    /// People in the graph at this point.
    pub people: u32,
    /// Runs per strategy.
    pub runs: u32,
    /// In scenario order.
    pub strategies: Vec<PointStrategy>,
}

/// Where a strategy's mean final reach passes the tipping level along the
/// stickiness axis.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Tipping {
    /// Passed between two points of the sweep: `stickiness` interpolated,
    /// `low` and `high` where the 95% interval's upper and lower ends pass
    /// the level (None: beyond the sweep's first or last point).
    Crossed {
        stickiness: f64,
        low: Option<f64>,
        high: Option<f64>,
    },
    /// Already passed at the sweep's smallest stickiness.
    AtOrBelow { stickiness: f64 },
    /// Not passed anywhere in the sweep: the highest mean reach seen.
    NotReached { highest_mean: f64 },
}

/// Tipping points along one line of the stickiness axis.
#[derive(Debug, Clone, Serialize)]
pub struct TippingLine {
    /// The other key's value, in a two-key sweep.
    pub other: Option<f64>,
    /// People in the graph.
    pub people: u32,
    /// Mean final reach that counts as taking off: tipping_fraction x people.
    pub level: f64,
    /// The graph's analytic epidemic thresholds on this line.
    pub thresholds: Thresholds,
    /// One per strategy, in scenario order.
    pub strategies: Vec<Tipping>,
}

/// Everything a sweep found.
#[derive(Debug, Clone)]
pub struct SweepResults {
    pub axes: Vec<SweepAxis>,
    pub tipping_fraction: f64,
    /// Strategy names, in scenario order.
    pub strategies: Vec<String>,
    /// In grid order: the first axis varies slowest.
    pub points: Vec<PointResult>,
    /// When `content.stickiness` is swept: one line per value of the other
    /// key (one line in a one-key sweep).
    pub tipping: Vec<TippingLine>,
    /// Wall-clock seconds the sweep took.
    pub seconds: f64,
}

impl SweepResults {
    /// The point at grid position `(i, j)` (`j` = 0 in a one-key sweep).
    pub fn point(&self, i: usize, j: usize) -> &PointResult {
        let inner = self.axes.get(1).map_or(1, |a| a.values.len());
        &self.points[i * inner + j]
    }
}

/// Runs the sweep of `scenario` makes in all (for a progress bar); with
/// runs = "auto", those of every point's first batch.
pub fn runs_to_simulate(scenario: &Scenario) -> u64 {
    let Some(spec) = &scenario.sweep else {
        return 0;
    };
    let sim = &scenario.simulation;
    let runs = match sim.auto {
        Some(auto) => pipeline::AUTO_FIRST_BATCH.min(auto.max_runs),
        None => sim.runs,
    };
    let starts: u64 = (0..scenario.strategies.len())
        .map(|i| 1 + pipeline::other_starts(scenario, i).len() as u64)
        .sum();
    spec.points().len() as u64 * runs as u64 * starts
}

/// Whether two scenarios build the same graph with the same trust.
fn same_graph(a: &Scenario, b: &Scenario) -> bool {
    a.graph == b.graph
        && a.segment_file == b.segment_file
        && a.people_file == b.people_file
        && a.trust == b.trust
        && a.segment_trust == b.segment_trust
        && a.simulation.seed == b.simulation.seed
}

/// Simulate every point of `scenario`'s `[sweep]` (None without one).
/// `progress` is told of finished runs; `more` of runs planned beyond
/// [`runs_to_simulate`] (with runs = "auto", as batches are added).
pub fn run(
    scenario: &Scenario,
    progress: &(dyn Fn(u64) + Sync),
    more: &dyn Fn(u64),
) -> Result<Option<SweepResults>, Error> {
    run_within(scenario, &Resources::of_machine(), progress, more)
}

/// [`run`] within `resources`: each point's graph and seeds are prepared
/// as [`pipeline::prepare_within`] does.
pub fn run_within(
    scenario: &Scenario,
    resources: &Resources,
    progress: &(dyn Fn(u64) + Sync),
    more: &dyn Fn(u64),
) -> Result<Option<SweepResults>, Error> {
    run_with(scenario, resources, &mut |prepared| {
        let planned = Cell::new(prepared.runs_to_simulate());
        Ok(Some(pipeline::simulate_planned(
            prepared,
            progress,
            &|total| {
                if total > planned.get() {
                    more(total - planned.get());
                    planned.set(total);
                }
            },
        )))
    })
}

/// [`run_within`], each point's results from `simulate` (given the
/// point's prepared scenario, in grid order): made on the spot, read back
/// from shards, or, when it gives None (a shard writing its share of the
/// runs), not reduced at all, leaving the points and the tipping lines
/// empty.
pub fn run_with(
    scenario: &Scenario,
    resources: &Resources,
    simulate: &mut dyn FnMut(&Prepared) -> Result<Option<Results>, Error>,
) -> Result<Option<SweepResults>, Error> {
    let Some(spec) = &scenario.sweep else {
        return Ok(None);
    };
    let started = Instant::now();
    let grid = spec.points();
    let mut points = Vec::with_capacity(grid.len());
    // The graph of the previous point, reused while the swept keys leave it
    // alone, and the thresholds computed on it.
    let mut kept: Option<(Scenario, Graph, Option<Thresholds>)> = None;
    let mut thresholds = Vec::with_capacity(grid.len());
    let stickiness = spec.stickiness_axis();
    for values in &grid {
        let at = |e: Error| Error::AtPoint {
            point: describe_point(&spec.axes, values),
            source: Box::new(e),
        };
        let point = scenario.at_point(values)?;
        let reuse = kept.take().filter(|(s, _, _)| same_graph(s, &point));
        let (prepared, known) = match reuse {
            Some((_, graph, known)) => (
                pipeline::prepare_on_within(
                    point.clone(),
                    graph,
                    None,
                    Instant::now(),
                    resources,
                    &Unwatched,
                )
                .map_err(at)?,
                known,
            ),
            None => (
                pipeline::prepare_within(point.clone(), resources, &Unwatched).map_err(at)?,
                None,
            ),
        };
        let Some(results) = simulate(&prepared).map_err(at)? else {
            kept = Some((point, prepared.graph, known));
            continue;
        };
        let line_thresholds = match (stickiness, known) {
            (Some(_), Some(t)) => Some(t),
            (Some(_), None) => Some(Thresholds::of(&prepared.graph)),
            (None, _) => None,
        };
        thresholds.push(line_thresholds.clone());
        points.push(reduce(values, &prepared, &results));
        kept = Some((point, prepared.graph, line_thresholds));
    }
    let tipping = match stickiness {
        Some(_) if points.is_empty() => Vec::new(),
        Some(axis) => tipping_lines(
            spec.tipping_fraction,
            &spec.axes,
            axis,
            &points,
            &thresholds,
        ),
        None => Vec::new(),
    };
    Ok(Some(SweepResults {
        axes: spec.axes.clone(),
        tipping_fraction: spec.tipping_fraction,
        strategies: scenario.strategies.iter().map(|s| s.name.clone()).collect(),
        points,
        tipping,
        seconds: started.elapsed().as_secs_f64(),
    }))
}

/// One point's figures, from its results.
fn reduce(values: &[f64], prepared: &Prepared, results: &Results) -> PointResult {
    PointResult {
        values: values.to_vec(),
        people: prepared.graph.nodes(),
        runs: results.runs,
        strategies: results
            .strategies
            .iter()
            .map(|s| PointStrategy {
                finals: s
                    .stats
                    .curves
                    .iter()
                    .zip(&s.stats.finals)
                    .map(|(c, f)| (c.metric, *f))
                    .collect(),
                seeds_per_run: s.seeds_per_run,
                cost: s.total_cost(),
                money: s.money,
                net_reached: s.rival.map(|r| r.net_reached),
            })
            .collect(),
    }
}

/// The tipping points along the stickiness axis `axis`, one line per value
/// of the other axis.
fn tipping_lines(
    fraction: f64,
    axes: &[SweepAxis],
    axis: usize,
    points: &[PointResult],
    thresholds: &[Option<Thresholds>],
) -> Vec<TippingLine> {
    let other = axes.len() - 1 - axis;
    let lines: Vec<Option<f64>> = if axes.len() == 1 {
        vec![None]
    } else {
        axes[other].values.iter().copied().map(Some).collect()
    };
    let strategies = points.first().map_or(0, |p| p.strategies.len());
    lines
        .into_iter()
        .map(|o| {
            let on_line: Vec<usize> = (0..points.len())
                .filter(|&i| o.is_none() || Some(points[i].values[other]) == o)
                .collect();
            let first = on_line[0];
            let people = points[first].people;
            let level = fraction * people as f64;
            let xs: Vec<f64> = on_line.iter().map(|&i| points[i].values[axis]).collect();
            TippingLine {
                other: o,
                people,
                level,
                thresholds: thresholds[first]
                    .clone()
                    .expect("thresholds are computed on a stickiness sweep"),
                strategies: (0..strategies)
                    .map(|s| {
                        let reached: Vec<Summary> = on_line
                            .iter()
                            .map(|&i| *points[i].strategies[s].reached())
                            .collect();
                        tipping(&xs, &reached, level)
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Where the curve `ys` over ascending `xs` first reaches `level`, by
/// linear interpolation; None if it never does; `xs[0]` if it starts there.
pub fn crossing(xs: &[f64], ys: &[f64], level: f64) -> Option<f64> {
    let i = ys.iter().position(|&y| y >= level)?;
    if i == 0 {
        return Some(xs[0]);
    }
    let (x0, x1, y0, y1) = (xs[i - 1], xs[i], ys[i - 1], ys[i]);
    Some(x0 + (level - y0) / (y1 - y0) * (x1 - x0))
}

/// The tipping point of one strategy's reach summaries along `xs`.
pub fn tipping(xs: &[f64], reached: &[Summary], level: f64) -> Tipping {
    let of = |f: fn(&Summary) -> f64| reached.iter().map(f).collect::<Vec<f64>>();
    let means = of(|s| s.mean);
    match crossing(xs, &means, level) {
        None => Tipping::NotReached {
            highest_mean: means.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        },
        Some(x) if x == xs[0] && means[0] >= level => Tipping::AtOrBelow { stickiness: x },
        Some(x) => {
            let low = crossing(xs, &of(|s| s.ci95_high), level);
            Tipping::Crossed {
                stickiness: x,
                low: low.filter(|_| reached[0].ci95_high < level),
                high: crossing(xs, &of(|s| s.ci95_low), level),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(mean: f64, half: f64) -> Summary {
        Summary {
            mean,
            std: 0.0,
            ci95_low: mean - half,
            ci95_high: mean + half,
            p05: mean,
            p50: mean,
            p95: mean,
        }
    }

    #[test]
    fn crossing_interpolates_linearly() {
        let xs = [0.1, 0.2, 0.3];
        assert_eq!(crossing(&xs, &[0.0, 10.0, 30.0], 20.0), Some(0.25));
        assert_eq!(crossing(&xs, &[0.0, 10.0, 30.0], 10.0), Some(0.2));
        assert_eq!(crossing(&xs, &[5.0, 10.0, 30.0], 1.0), Some(0.1));
        assert_eq!(crossing(&xs, &[0.0, 10.0, 30.0], 31.0), None);
    }

    #[test]
    fn tipping_reads_the_interval_ends() {
        let xs = [0.1, 0.2, 0.3, 0.4];
        let reached = [
            summary(0.0, 1.0),
            summary(8.0, 4.0),
            summary(12.0, 4.0),
            summary(30.0, 4.0),
        ];
        match tipping(&xs, &reached, 10.0) {
            Tipping::Crossed {
                stickiness,
                low,
                high,
            } => {
                assert!((stickiness - 0.25).abs() < 1e-12);
                // Upper end 12 at 0.2 passes 10 between 0.1 (1) and 0.2.
                assert!((low.unwrap() - (0.1 + 9.0 / 11.0 * 0.1)).abs() < 1e-12);
                // Lower end 8 at 0.3, 26 at 0.4.
                assert!((high.unwrap() - (0.3 + 2.0 / 18.0 * 0.1)).abs() < 1e-12);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            tipping(&xs, &reached, 100.0),
            Tipping::NotReached { highest_mean: 30.0 }
        );
        assert_eq!(
            tipping(&xs, &[summary(20.0, 1.0); 4], 10.0),
            Tipping::AtOrBelow { stickiness: 0.1 }
        );
        // The upper end passes at the first point: no lower bound inside
        // the sweep; the lower end never passes: no upper bound.
        match tipping(&[0.1, 0.2], &[summary(9.0, 2.0), summary(11.0, 5.0)], 10.0) {
            Tipping::Crossed { low, high, .. } => assert_eq!((low, high), (None, None)),
            other => panic!("{other:?}"),
        }
    }
}
