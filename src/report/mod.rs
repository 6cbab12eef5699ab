//! Outputs: one [`Exporter`] per file format. Exporters render into memory;
//! [`write_all`] then writes every file to a temporary name and renames it
//! into place, so a failed run leaves the earlier outputs whole and never a
//! half-written file.

pub mod chart;
mod curves_csv;
mod figure;
pub mod graph_file;
pub mod graph_stats;
mod numbers;
mod reach_chart;
mod report_html;
mod run_json;
mod scenario_copy;
mod strategies_chart;
mod strategies_csv;
mod summary_json;
mod sweep_chart;
mod sweep_csv;
pub mod table;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::error::Error;
use crate::model::Metric;
use crate::pipeline::{Prepared, Results, Timings};
use crate::scenario::ChartFormat;
use crate::sweep::SweepResults;

pub use run_json::RunInfo;

/// One output file, rendered.
pub struct OutputFile {
    /// File name inside the scenario's output folder.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What the exporters read.
pub struct Report<'a> {
    pub prepared: &'a Prepared,
    pub results: &'a Results,
    /// The scenario's `[sweep]`, if it has one.
    pub sweep: Option<&'a SweepResults>,
}

/// An output format.
pub trait Exporter {
    /// Render this format's files.
    fn render(&self, report: &Report) -> Result<Vec<OutputFile>, Error>;
}

/// The metrics drawn as curves over time, one chart each, in the order of
/// the charts in report.html; a scenario has the charts of the metrics it
/// records.
pub const CURVE_METRICS: [Metric; 5] = [
    Metric::Reached,
    Metric::ReachedInTarget,
    Metric::Converted,
    Metric::EarnedReached,
    Metric::RivalReached,
];

/// The exporters a scenario asks for (the JSON, CSV and HTML files always;
/// the target and rival charts only write a file when the scenario has a
/// target, a rival; the sweep files when it has a sweep). `run` describes the process, for report.html's
/// manifest.
pub fn exporters(charts: &[ChartFormat], run: &RunInfo) -> Vec<Box<dyn Exporter>> {
    let mut list: Vec<Box<dyn Exporter>> = vec![
        Box::new(summary_json::SummaryJson),
        Box::new(curves_csv::CurvesCsv),
        Box::new(strategies_csv::StrategiesCsv),
        Box::new(scenario_copy::ScenarioCopy),
        // Written only for a scenario with [sweep].
        Box::new(sweep_csv::SweepCsv),
        Box::new(report_html::ReportHtml { run: run.clone() }),
    ];
    for &format in charts {
        for metric in CURVE_METRICS {
            // Written only when the scenario records the metric.
            list.push(Box::new(reach_chart::ReachChart { format, metric }));
        }
        list.push(Box::new(strategies_chart::StrategiesChart { format }));
        list.push(Box::new(sweep_chart::SweepCharts { format }));
    }
    list
}

/// Render every output and write them into `dir` (created if missing),
/// then `run.json` with the phase timings and the graph's fingerprint.
/// Returns the paths written.
pub fn write_all(report: &Report, dir: &Path, run: &RunInfo) -> Result<Vec<PathBuf>, Error> {
    let t = Instant::now();
    let mut files = Vec::new();
    for exporter in exporters(&report.prepared.scenario.charts, run) {
        files.extend(exporter.render(report)?);
    }
    fs::create_dir_all(dir).map_err(|source| Error::Output {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut written = write_atomically(dir, &files)?;
    let timings = Timings {
        write_seconds: t.elapsed().as_secs_f64(),
        ..report.results.timings
    };
    let prepared = report.prepared;
    let choose = prepared
        .scenario
        .strategies
        .iter()
        .map(|s| s.name.as_str())
        .zip(prepared.choose_seconds.iter().copied());
    let results = report.results;
    let batches = results.auto.as_ref().map(|a| &a.batches[..]);
    let run_file = run_json::render(
        run,
        results.runs,
        batches,
        &timings,
        prepared.graph.fingerprint(),
        choose,
    )?;
    written.extend(write_atomically(dir, &[run_file])?);
    Ok(written)
}

/// Write each file to a temporary sibling, then rename them all into place;
/// on any failure remove the temporaries and leave existing files untouched.
pub fn write_atomically(dir: &Path, files: &[OutputFile]) -> Result<Vec<PathBuf>, Error> {
    let mut temps: Vec<(PathBuf, PathBuf)> = Vec::with_capacity(files.len());
    let cleanup = |temps: &[(PathBuf, PathBuf)]| {
        for (tmp, _) in temps {
            let _ = fs::remove_file(tmp);
        }
    };
    for file in files {
        let final_path = dir.join(&file.name);
        let tmp = dir.join(format!(".{}.tmp-{}", file.name, std::process::id()));
        let result = fs::File::create(&tmp).and_then(|mut f| {
            f.write_all(&file.bytes)?;
            f.sync_all()
        });
        temps.push((tmp.clone(), final_path));
        if let Err(source) = result {
            cleanup(&temps);
            return Err(Error::Output { path: tmp, source });
        }
    }
    for (i, (tmp, final_path)) in temps.iter().enumerate() {
        if let Err(source) = fs::rename(tmp, final_path) {
            cleanup(&temps[i..]);
            return Err(Error::Output {
                path: final_path.clone(),
                source,
            });
        }
    }
    Ok(temps.into_iter().map(|(_, p)| p).collect())
}

/// Write the file at `path` by streaming `render` into a temporary sibling,
/// then renaming it into place (the folder is created if missing); on any
/// failure remove the temporary and leave an existing file untouched. For
/// outputs too big to hold in memory, such as an exported graph.
pub fn write_streamed(
    path: &Path,
    render: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    let output_error = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Output { path, source }
    };
    let name = path
        .file_name()
        .ok_or_else(|| Error::Output {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file name"),
        })?
        .to_string_lossy()
        .into_owned();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&dir).map_err(output_error(&dir))?;
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = fs::File::create(&tmp).and_then(|file| {
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        render(&mut out)?;
        out.into_inner().map_err(|e| e.into_error())?.sync_all()
    });
    if let Err(source) = result {
        let _ = fs::remove_file(&tmp);
        return Err(Error::Output {
            path: path.to_path_buf(),
            source,
        });
    }
    fs::rename(&tmp, path).map_err(|source| {
        let _ = fs::remove_file(&tmp);
        Error::Output {
            path: path.to_path_buf(),
            source,
        }
    })
}

/// Write `file` into `dir` (created if missing) like [`write_atomically`],
/// but refuse with [`Error::Exists`] if a file of that name is there.
pub fn write_new(dir: &Path, file: &OutputFile) -> Result<PathBuf, Error> {
    let path = dir.join(&file.name);
    if path.exists() {
        return Err(Error::Exists { path });
    }
    fs::create_dir_all(dir).map_err(|source| Error::Output {
        path: dir.to_path_buf(),
        source,
    })?;
    write_atomically(dir, std::slice::from_ref(file))?;
    Ok(path)
}
