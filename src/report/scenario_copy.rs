//! `scenario.toml`: a copy of the scenario file, with the `--seed` and
//! `--runs` used written in, so every output folder says exactly what
//! produced it and running the copy reproduces it.

use super::{Exporter, OutputFile, Report};
use crate::error::Error;

pub struct ScenarioCopy;

/// The file it writes.
const FILE: &str = "scenario.toml";

impl Exporter for ScenarioCopy {
    fn writes(&self, name: &str) -> bool {
        name == FILE
    }

    fn render(&self, report: &Report) -> Result<Vec<OutputFile>, Error> {
        Ok(vec![OutputFile {
            name: FILE.into(),
            bytes: report.prepared.scenario.text_as_run().into_bytes(),
        }])
    }
}
