//! viralsim: Monte Carlo simulation of how marketing content spreads by word
//! of mouth over social networks.
//!
//! The data flows one way, and the modules follow it:
//! [`scenario`] (TOML) -> [`graph`] -> [`strategy`] and [`model`] ->
//! [`engine`] (parallel Monte Carlo) -> [`stats`] -> [`report`] (JSON, CSV,
//! charts, table). [`pipeline`] strings them together for one scenario,
//! and [`sweep`] runs it at every point of a `[sweep]` grid. [`resources`]
//! says what a run may use of the machine, and [`footprint`] what a
//! scenario will need, checked before anything large is built. The scenario
//! module turns a file into the core's own types ([`graph::GraphSource`],
//! [`model::SpreadSpec`], [`strategy::StrategySpec`]); nothing below it
//! reads a scenario. The scenario keys are documented in docs/scenario.md,
//! the metrics in the README, and how to add a model, a strategy, a
//! generator or an output in docs/architecture.md.
//!
//! # From Rust, without a scenario file
//!
//! A network you already hold in petgraph, two seeding strategies, and the
//! run-by-run difference in reach between them:
//!
//! ```
//! use std::sync::Arc;
//!
//! use petgraph::graph::UnGraph;
//! use viralsim::engine::{self, Acceptance};
//! use viralsim::graph::{costs::Costs, Graph};
//! use viralsim::model::{Metric, Model, ModelKind, SpreadSpec, Tally};
//! use viralsim::resources::Memory;
//! use viralsim::stats::paired_difference;
//! use viralsim::strategy::{self, Limit, Random, Setting, StrategySpec, TopDegree, Unwatched};
//!
//! // Two hubs with 40 friends each, and a ring of 300 people around them.
//! let mut edges: Vec<(u32, u32)> = (2..302).map(|i| (i, if i == 301 { 2 } else { i + 1 })).collect();
//! edges.extend((2..42).map(|i| (0, i)).chain((150..190).map(|i| (1, i))));
//! let friends = UnGraph::<(), ()>::from_edges(&edges);
//! let graph = Graph::from_petgraph(&friends, None::<fn(&()) -> f64>).unwrap();
//!
//! // Content that one viewer in four shares, over 20 steps.
//! let spread = SpreadSpec {
//!     model: ModelKind::default_kind(),
//!     stickiness: 0.25,
//!     half_life: None,
//!     ads: None,
//!     rival: None,
//!     resonance: None,
//!     activity: None,
//!     start_step: 0,
//!     steps: 20,
//!     seed: 7,
//! };
//! let setting = Setting {
//!     spread: spread.clone(),
//!     acceptance: 1.0,
//!     mean_trust: 1.0,
//!     costs_from_file: false,
//!     aim: Default::default(),
//! };
//! let costs = Costs::uniform(graph.nodes());
//! let model = Model::new(&spread, &graph, Tally::default(), None);
//!
//! // Final reach of 1,000 runs from the seeds a strategy chooses; run r of
//! // every strategy sees the same randomness.
//! let reach = |name: &str, strategy: Arc<dyn strategy::SeedingStrategy>| {
//!     let spec = StrategySpec {
//!         name: name.into(),
//!         kind: strategy::kind_named(name).unwrap(),
//!         strategy,
//!         segments: None,
//!         start_step: 0,
//!         ads: None,
//!     };
//!     let seeds =
//!         strategy::choose(&graph, &spec, &setting, &costs, &Memory::UNLIMITED, &Unwatched)
//!             .unwrap();
//!     let outcome = engine::simulate(&model, &seeds, Acceptance::ALL, 1000, 20, &|_| {});
//!     outcome.finals(outcome.metric_index(Metric::Reached).unwrap())
//! };
//! let top = reach("top-degree", Arc::new(TopDegree { limit: Limit::Count(2) }));
//! let random = reach("random", Arc::new(Random { limit: Limit::Count(2) }));
//!
//! // The two hubs reach their 80 friends at once: far more than 2 people
//! // on the ring, and the paired difference says by how much.
//! let gain = paired_difference(&top, &random);
//! assert!(gain.ci95_low > 50.0, "{gain:?}");
//! ```

pub mod engine;
pub mod error;
pub mod footprint;
pub mod graph;
pub mod model;
pub mod pipeline;
pub mod report;
pub mod resources;
pub mod rng;
pub mod scenario;
pub mod shard;
pub mod stats;
pub mod strategy;
pub mod sweep;

pub use error::Error;

/// Ask the CPU to start loading the cache line at `p`; a no-op where there
/// is no prefetch instruction. Never faults, whatever `p` is.
#[inline(always)]
pub(crate) fn prefetch<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: prefetching is only a hint; it cannot fault on any address.
    #[allow(unused_unsafe)]
    unsafe {
        core::arch::x86_64::_mm_prefetch(p as *const i8, core::arch::x86_64::_MM_HINT_T0)
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}
