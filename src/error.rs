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
    /// A strategy that cannot choose on this graph; `location` is the
    /// scenario key at fault.
    #[error("{location}: {source}")]
    Strategy {
        location: Box<Location>,
        #[source]
        source: StrategyError,
    },
    /// A file that would be overwritten (`viralsim init` never does).
    #[error("{path} already exists; remove it or choose another name")]
    Exists { path: PathBuf },
    /// A path viralsim would replace (`graph --export --out`) that is not
    /// a regular file: replacing a device, a folder or a symlink would
    /// destroy something that is not an output.
    #[error("{path} is {what}, not a regular file, and viralsim replaces only regular files; give another path")]
    NotAFile { path: PathBuf, what: &'static str },
    /// `run --out` names something that is not a folder.
    #[error("--out {path} is {what}, not a folder; give a folder (it is created if missing)")]
    OutNotFolder { path: PathBuf, what: &'static str },
    /// `OUT/<name>` exists and is not a folder.
    #[error("{path} is {what}, not a folder of viralsim outputs; a run replaces it whole: move it away or choose another --out")]
    NotOutputFolder { path: PathBuf, what: &'static str },
    /// `OUT/<name>` holds something a run does not write.
    #[error("{entry} ({what}) was not written by viralsim, and a run replaces {dir} whole; move it elsewhere or choose another --out")]
    Foreign {
        dir: PathBuf,
        entry: PathBuf,
        what: &'static str,
    },
    /// A name that would not stay one file inside the output folder.
    #[error("{what} {name:?} cannot name a file in the output folder: it must be a single name, not empty, without '/' and not starting with '.'")]
    OutputName { what: &'static str, name: String },
    /// Another process holds the lock of the output folder.
    #[error("another viralsim run is writing {dir} (lock {lock}); wait for it to finish or choose another --out")]
    Busy { dir: PathBuf, lock: PathBuf },
    /// The output folder (or `--out`) cannot be created, locked or read.
    #[error("cannot use the output folder {path}: {source}; check that it can be written or choose another --out")]
    OutputFolder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Output {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Report(String),
    /// A shard folder, or the files it names, that cannot be merged (or a
    /// scenario that cannot be run in shards); `path` is the file or
    /// folder at fault.
    #[error("{path}: {message}")]
    Shard { path: PathBuf, message: String },
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
            other => !matches!(
                other,
                Error::Output { .. }
                    | Error::OutputFolder { .. }
                    | Error::Busy { .. }
                    | Error::Report(_)
            ),
        }
    }
}
