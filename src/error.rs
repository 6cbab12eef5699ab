//! The library's error type: what went wrong, and whether it was the user's
//! input (exit code 2) or something else (exit code 1).

use std::path::PathBuf;

use thiserror::Error;

use crate::graph::GraphError;
use crate::scenario::{Location, ScenarioError};
use crate::strategy::StrategyError;

/// Any failure of a viralsim run.
#[derive(Debug, Error)]
pub enum Error {
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// The graph could not be built; `location` is the scenario key naming it.
    #[error("{location}: {source}")]
    Graph {
        location: Box<Location>,
        #[source]
        source: GraphError,
    },
    #[error(transparent)]
    Strategy(#[from] StrategyError),
    /// A file that would be overwritten (`viralsim init` never does).
    #[error("{path} already exists; remove it or choose another name")]
    Exists { path: PathBuf },
    #[error("cannot write {path}: {source}")]
    Output {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Report(String),
    /// A failure at one point of a `[sweep]`.
    #[error("at the sweep point {point}: {source}")]
    AtPoint { point: String, source: Box<Error> },
}

impl Error {
    /// Whether the user's input is at fault (a scenario, graph or strategy
    /// that cannot be used) rather than the machine (a disk full, say).
    pub fn is_bad_input(&self) -> bool {
        match self {
            Error::AtPoint { source, .. } => source.is_bad_input(),
            other => !matches!(other, Error::Output { .. } | Error::Report(_)),
        }
    }
}
