//! viralsim: Monte Carlo simulation of how marketing content spreads by word
//! of mouth over social networks.
//!
//! The data flows one way, and the modules follow it:
//! [`scenario`] (TOML) -> [`graph`] -> [`strategy`] and [`model`] ->
//! [`engine`] (parallel Monte Carlo) -> [`stats`] -> [`report`] (JSON, CSV,
//! charts, table). [`pipeline`] strings them together for one scenario.
//! The scenario keys are documented in docs/scenario.md and the metrics in
//! the README.

pub mod engine;
pub mod error;
pub mod graph;
pub mod model;
pub mod pipeline;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod stats;
pub mod strategy;

pub use error::Error;
