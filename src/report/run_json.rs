//! `run.json`: how this run was made (version, threads, the graph's
//! fingerprint, runs and with runs = "auto" its batches) and how long each
//! phase took. Kept apart from summary.json, which must not change between
//! identical runs.

use serde::Serialize;

use super::OutputFile;
use crate::error::Error;
use crate::pipeline::Timings;

/// Facts about the process that produced the outputs.
#[derive(Debug, Clone, Serialize)]
pub struct RunInfo {
    pub viralsim_version: &'static str,
    /// Worker threads of the Monte Carlo engine.
    pub threads: usize,
}

impl RunInfo {
    /// This build, with `threads` workers.
    pub fn new(threads: usize) -> RunInfo {
        RunInfo {
            viralsim_version: env!("CARGO_PKG_VERSION"),
            threads,
        }
    }
}

#[derive(Serialize)]
struct RunOut<'a> {
    #[serde(flatten)]
    info: &'a RunInfo,
    /// [`crate::graph::Graph::fingerprint`] as 16 hex digits.
    graph_fingerprint: String,
    /// Runs made per strategy.
    runs: u32,
    /// With runs = "auto", runs made per strategy in all after each batch
    /// (null: a fixed count).
    batches: Option<&'a [u32]>,
    load_seconds: f64,
    seed_seconds: f64,
    simulate_seconds: f64,
    write_seconds: f64,
    /// Seconds each strategy took to choose its seeds.
    strategies: Vec<StrategyTime<'a>>,
}

#[derive(Serialize)]
struct StrategyTime<'a> {
    name: &'a str,
    choose_seconds: f64,
}

/// Render run.json for `runs` runs per strategy (made in `batches` with
/// runs = "auto"); `fingerprint` is the graph's, and `choose` pairs each
/// strategy's name with the seconds it took to choose.
pub fn render<'a>(
    info: &RunInfo,
    runs: u32,
    batches: Option<&[u32]>,
    t: &Timings,
    fingerprint: u64,
    choose: impl Iterator<Item = (&'a str, f64)>,
) -> Result<OutputFile, Error> {
    let out = RunOut {
        info,
        graph_fingerprint: fingerprint_hex(fingerprint),
        runs,
        batches,
        load_seconds: t.load_seconds,
        seed_seconds: t.seed_seconds,
        simulate_seconds: t.simulate_seconds,
        write_seconds: t.write_seconds,
        strategies: choose
            .map(|(name, choose_seconds)| StrategyTime {
                name,
                choose_seconds,
            })
            .collect(),
    };
    let mut bytes = super::json::pretty(&out)
        .map_err(|e| Error::Report(format!("cannot encode run.json: {e}")))?;
    bytes.push(b'\n');
    Ok(OutputFile {
        name: super::RUN_FILE.into(),
        bytes,
    })
}

/// A graph fingerprint as shown in every output: 16 lowercase hex digits.
pub fn fingerprint_hex(fingerprint: u64) -> String {
    format!("{fingerprint:016x}")
}
