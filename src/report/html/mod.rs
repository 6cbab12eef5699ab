//! `report.html`: the whole run in one page for a campaign planner: the
//! scenario in plain words, the strategy table with the best marked, every
//! chart the scenario records (inline SVG, whatever `[output] formats`
//! says), with a `[sweep]` its charts and tipping points, the graph's
//! statistics and thresholds, and a run manifest.
//!
//! The page is self-contained: inline CSS, inline SVG, no script and no
//! reference to anything outside the file, so it opens offline, prints, and
//! can be mailed as one attachment.
//!
//! The page is built from [`Section`]s (see [`sections`]); a new part of
//! the report is one function returning a `Section` plus one line there.
//! This file owns the exporter, the list of sections and HTML escaping;
//! `page` the page around the sections and its style sheet
//! (`report.css`); `prose` the scenario in words; `tables` the strategy
//! tables; `charts` the charts and the sweep; `network` the graph's
//! statistics; `manifest` the run manifest. Every number goes through
//! [`super::format`].
//!
//! Reproducibility: everything but the manifest's thread count and wall
//! time is byte-identical for the same scenario and seed, whatever the
//! thread count. Those two rows are the only lines that carry the
//! `data-run-specific` attribute (each such row is one line), so a
//! comparison can mask them; run.json keeps the same facts.

mod charts;
mod invite;
mod manifest;
mod network;
mod page;
mod prose;
mod segments;
mod tables;

use std::path::Path;

use super::{Exporter, OutputFile, Report, RunInfo};
use crate::error::Error;
use crate::graph::analysis::GraphAnalysis;

/// The file's name in the output folder.
pub(super) const FILE_NAME: &str = "report.html";

/// The sections, by id, that go into the appendix at the end of the page,
/// collapsed until opened: the network's statistics and thresholds, and
/// the run manifest.
pub(super) const APPENDIX: [&str; 2] = ["graph", "manifest"];

/// The attribute marking the rows that change from run to run.
pub const RUN_SPECIFIC: &str = "data-run-specific";

pub struct ReportHtml {
    /// The process that made the results, for the manifest.
    pub run: RunInfo,
}

impl Exporter for ReportHtml {
    fn writes(&self, name: &str) -> bool {
        name == FILE_NAME
    }

    fn render(&self, report: &Report) -> Result<Vec<OutputFile>, Error> {
        let sections = sections(report, &self.run)?;
        Ok(vec![OutputFile {
            name: FILE_NAME.into(),
            bytes: page::page(report, &sections).into_bytes(),
        }])
    }
}

/// One part of the report: a heading and what follows it.
pub struct Section {
    /// The anchor the table of contents links to (letters and '-').
    pub id: &'static str,
    /// The heading, plain text (escaped when written).
    pub title: String,
    /// The body, HTML.
    pub body: String,
}

/// The report's sections, in order.
fn sections(report: &Report, run: &RunInfo) -> Result<Vec<Section>, Error> {
    let graph = &report.prepared.graph;
    let stats = (graph.arcs() <= network::STATS_MAX_ARCS).then(|| GraphAnalysis::of(graph));
    // What to do first (the recommendation heads the page), then why:
    // the table, the charts, whom to invite, what was simulated; the
    // scientist's detail last, in the appendix.
    let mut list = vec![
        tables::strategies_section(report),
        charts::charts_section(report)?,
    ];
    list.extend(segments::segments_section(report));
    if let Some(sweep) = report.sweep {
        list.push(charts::sweep_section(
            sweep,
            report.prepared.scenario.simulation.step,
        )?);
    }
    list.extend(invite::invite_section(report));
    list.push(prose::scenario_section(report));
    list.push(match &stats {
        Some(stats) => network::graph_section(report, stats),
        None => network::large_graph_section(report),
    });
    list.push(manifest::manifest_section(report, run));
    Ok(list)
}

/// `text` with the characters that mean something in HTML escaped.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A file's name without its folder.
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default()
}
