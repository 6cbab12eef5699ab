//! Outputs: one [`Exporter`] per file format. Exporters render into memory;
//! [`write_all`] then writes every file into a staging folder that
//! [`OutputDir`] swaps in whole, so a failed or interrupted run leaves the
//! earlier outputs whole and never a mix of two runs.

pub mod chart;
mod curves_csv;
mod delay_chart;
mod figure;
pub mod fit;
pub mod format;
pub mod graph_file;
pub mod graph_summary;
mod html;
mod json;
mod output_dir;
mod reach_chart;
pub mod recommendation;
mod run_json;
mod scenario_copy;
mod seeds_csv;
mod segments_chart;
mod strategies_chart;
mod strategies_csv;
mod summary_json;
mod sweep_chart;
mod sweep_csv;
pub mod table;
pub mod temporaries;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::error::Error;
use crate::model::Metric;
use crate::pipeline::{Prepared, Results, Timings};
use crate::scenario::ChartFormat;
use crate::sweep::SweepResults;

pub use output_dir::OutputDir;
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

    /// Whether `name` is a file this exporter writes (for some scenario):
    /// a run's folder may hold only such files.
    fn writes(&self, name: &str) -> bool;
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
        Box::new(seeds_csv::SeedsCsv),
        Box::new(scenario_copy::ScenarioCopy),
        // Written only for a scenario with [sweep].
        Box::new(sweep_csv::SweepCsv),
        Box::new(html::ReportHtml { run: run.clone() }),
    ];
    for &format in charts {
        for metric in CURVE_METRICS {
            // Written only when the scenario records the metric.
            list.push(Box::new(reach_chart::ReachChart { format, metric }));
        }
        list.push(Box::new(strategies_chart::StrategiesChart { format }));
        // Written only on graphs with segments.
        list.push(Box::new(segments_chart::SegmentsChart { format }));
        // Written only for a scenario with [rival] response_delays.
        list.push(Box::new(delay_chart::DelayChart { format }));
        list.push(Box::new(sweep_chart::SweepCharts { format }));
    }
    list
}

/// A shard folder's manifest (see [`crate::shard`]).
pub const SHARD_MANIFEST: &str = "shard.json";
/// A shard folder's raw runs (see [`crate::shard::RUNS_FILE`]).
pub const SHARD_RUNS: &str = "runs.bin";

/// The file [`write_all`] writes last, with the phase timings.
const RUN_FILE: &str = "run.json";

/// Whether a run may write a file named `name` into `OUT/<name>/`: one an
/// exporter writes, or `run.json`. A run replaces that folder whole, so it
/// refuses a folder holding anything else (it would be lost); and
/// [`OutputDir::write`] refuses a file no exporter claims, so an exporter
/// cannot write a file the next run would not recognise as its own.
pub fn is_run_file(name: &str) -> bool {
    name == RUN_FILE
        || name == SHARD_MANIFEST
        || name == SHARD_RUNS
        || exporters(&[ChartFormat::Png, ChartFormat::Svg], &RunInfo::new(1))
            .iter()
            .any(|e| e.writes(name))
}

/// What a file system entry is, in words for an error message.
pub(crate) fn describe(kind: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_fifo() {
            return "a named pipe";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_symlink() {
        "a symlink"
    } else if kind.is_dir() {
        "a folder"
    } else if kind.is_file() {
        "a file"
    } else {
        "a special file"
    }
}

/// Render every output into `out`'s staging folder, `run.json` last with
/// the phase timings and the graph's fingerprint, then swap the whole set
/// in. Returns the paths written.
pub fn write_all(
    report: &Report,
    mut out: OutputDir,
    run: &RunInfo,
) -> Result<Vec<PathBuf>, Error> {
    let t = Instant::now();
    for exporter in exporters(&report.prepared.scenario.charts, run) {
        for file in exporter.render(report)? {
            out.write(&file)?;
        }
    }
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
    out.write(&run_file)?;
    out.commit()
}

/// Refuse to replace `path` unless it is missing or a regular file: a
/// symlink (even a dangling one), a device, a folder or a pipe is never
/// replaced by an output.
pub fn check_replaceable(path: &Path) -> Result<(), Error> {
    match fs::symlink_metadata(path) {
        Ok(meta) if !meta.file_type().is_file() => Err(Error::NotAFile {
            path: path.to_path_buf(),
            what: describe(&meta.file_type()),
        }),
        _ => Ok(()),
    }
}

/// Write the file at `path` by streaming `render` into a temporary sibling
/// `.<file>.tmp-<pid>`, then renaming it into place (the folder is created
/// if missing); on any failure, or on Ctrl-C, remove the temporary and
/// leave an existing file untouched. `path` must be missing or a regular
/// file ([`check_replaceable`]). For outputs too big to hold in memory,
/// such as an exported graph.
pub fn write_streamed(
    path: &Path,
    render: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    check_replaceable(path)?;
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
    remove_stale_temporaries(&dir, &name);
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = temporaries::create_file(&tmp).and_then(|file| {
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        render(&mut out)?;
        out.into_inner().map_err(|e| e.into_error())?.sync_all()
    });
    if let Err(source) = result {
        let _ = temporaries::remove(&tmp);
        return Err(Error::Output {
            path: path.to_path_buf(),
            source,
        });
    }
    temporaries::rename(&tmp, path).map_err(|source| {
        let _ = temporaries::remove(&tmp);
        Error::Output {
            path: path.to_path_buf(),
            source,
        }
    })?;
    let _ = output_dir::sync_dir(&dir);
    Ok(())
}

/// Remove the `.<name>.tmp-<pid>` files in `dir` of processes that no
/// longer run (killed where no handler could clean up). Only where
/// `/proc` tells which processes run; elsewhere they stay.
fn remove_stale_temporaries(dir: &Path, name: &str) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let prefix = format!(".{name}.tmp-");
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file
            && !pid.is_empty()
            && pid.bytes().all(|b| b.is_ascii_digit())
            && !Path::new("/proc").join(pid).exists()
        {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Write `file` into `dir` (created if missing) through a temporary file,
/// but refuse with [`Error::Exists`] if anything of that name is there,
/// even a dangling symlink.
pub fn write_new(dir: &Path, file: &OutputFile) -> Result<PathBuf, Error> {
    output_dir::check_name(&file.name, "the file name")?;
    let path = dir.join(&file.name);
    if fs::symlink_metadata(&path).is_ok() {
        return Err(Error::Exists { path });
    }
    write_streamed(&path, |out| out.write_all(&file.bytes))?;
    Ok(path)
}
