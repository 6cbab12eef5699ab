//! `scenario.toml`: a copy of the scenario file, so every output folder says
//! exactly what produced it.

use super::{Exporter, OutputFile, Report};
use crate::error::Error;

pub struct ScenarioCopy;

impl Exporter for ScenarioCopy {
    fn render(&self, report: &Report) -> Result<Vec<OutputFile>, Error> {
        Ok(vec![OutputFile {
            name: "scenario.toml".into(),
            bytes: report.prepared.scenario.text.clone().into_bytes(),
        }])
    }
}
