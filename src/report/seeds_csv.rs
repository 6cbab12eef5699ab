//! `seeds.csv`: who to invite. One row per strategy and seed, in the order
//! the strategy chose them: the person's id as the input names them, their
//! followers (the people who see their posts), what inviting them costs,
//! and for `celf` and `imm` the expected reach their addition gained.
//! Strategies whose seeds are drawn afresh in every run (`random`) have no
//! fixed seeds to list, and no rows.

use super::format::csv;
use super::{Exporter, OutputFile, Report};
use crate::error::Error;
use crate::model::Seeds;

pub struct SeedsCsv;

/// The file it writes.
const FILE: &str = "seeds.csv";

impl Exporter for SeedsCsv {
    fn writes(&self, name: &str) -> bool {
        name == FILE
    }

    fn render(&self, report: &Report) -> Result<Vec<OutputFile>, Error> {
        let fail = |e: csv::Error| Error::Report(format!("cannot encode seeds.csv: {e}"));
        let p = report.prepared;
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(["strategy", "rank", "id", "followers", "cost", "gain"])
            .map_err(fail)?;
        for (i, spec) in p.scenario.strategies.iter().enumerate() {
            let Seeds::Fixed(seeds) = &p.seeds[i] else {
                continue;
            };
            let gains = p.gains.get(i).and_then(|g| g.as_deref());
            for (rank, &v) in seeds.iter().enumerate() {
                w.write_record([
                    spec.name.clone(),
                    (rank + 1).to_string(),
                    p.graph.name(v).to_string(),
                    p.graph.follower_count(v).to_string(),
                    csv(p.costs.of(v)),
                    gains
                        .and_then(|g| g.get(rank))
                        .map_or(String::new(), |&g| csv(g)),
                ])
                .map_err(fail)?;
            }
        }
        let bytes = w
            .into_inner()
            .map_err(|e| Error::Report(format!("cannot encode seeds.csv: {e}")))?;
        Ok(vec![OutputFile {
            name: FILE.to_string(),
            bytes,
        }])
    }
}
