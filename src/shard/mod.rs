//! Shards: a scenario's runs split over several processes or machines
//! (array jobs of a cluster scheduler), then merged into exactly the
//! outputs one process would have written.
//!
//! A run is a pure function of (scenario, seed, run number), so shard K of
//! N chooses the seeds as an unsharded run does and simulates run numbers
//! `floor(R (K-1) / N)` to `floor(R K / N) - 1` of every strategy, start
//! and `[sweep]` point. It writes `OUT/<name>.shard-K-of-N/`: `runs.bin`,
//! the raw per-run counts (see [`RUNS_FILE`] for the layout), and
//! `shard.json`, the [`Manifest`] saying what they belong to. [`merge`]
//! checks that the shards belong together, rebuilds the graph and seeds
//! from the scenario, concatenates each unit's runs in run order and
//! reduces them exactly as [`pipeline::simulate_planned`] does, so every
//! output but the timings is byte for byte the unsharded one.
//!
//! runs = "auto" decides how many runs to make from the runs made so far,
//! which no shard sees alone: it is refused with `--shard` (give `--runs`).

use std::fs;
use std::io::{self, Read, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::engine::Outcome;
use crate::error::Error;
use crate::graph::binary::Checksum;
use crate::model::Seeds;
use crate::pipeline::{self, Models, Prepared, Results, Unit};
use crate::report::{OutputDir, OutputFile, SHARD_MANIFEST, SHARD_RUNS};
use crate::resources::Resources;
use crate::scenario::{self, Scenario};
use crate::strategy::Progress;
use crate::sweep::{self, SweepResults};

/// What `runs.bin` starts with.
pub const RUNS_MAGIC: [u8; 8] = *b"VSRUNS\0\0";
/// What its footer starts with.
pub const RUNS_END: [u8; 8] = *b"VSRUNEND";
/// Version of the layout of `runs.bin` and `shard.json`; merge refuses
/// others.
pub const FORMAT_VERSION: u32 = 2;

/// The layout of `runs.bin`, little-endian throughout:
///
/// - header: [`RUNS_MAGIC`], [`FORMAT_VERSION`] (u32), 0 (u32);
/// - one block per unit (strategy and start, see [`pipeline::units`]) of
///   the scenario, then of each `[sweep]` point in grid order: point (u32,
///   0 for the scenario, p + 1 for point p), strategy (u32), start (u32,
///   `u32::MAX` for the strategy's own), first run (u32), runs (u32),
///   metrics, steps and segment slots (u32 each), the bytes of the runs'
///   records (u64), then the records as [`Outcome::write_records`] writes
///   them: per run, the steps it recorded, its counts at those steps and
///   its segment counts, so a block grows with how long the cascades ran,
///   not with `steps`;
/// - footer: [`RUNS_END`], blocks (u64), the [`Checksum`] of every byte
///   before the footer (u64).
pub const RUNS_FILE: &str = SHARD_RUNS;

/// Shard `index` of `count` (1 <= index <= count).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// Most shards a job may be split into.
    pub const MAX: u32 = 1_000_000;

    /// Read `K/N`.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let bad = || {
            format!("\"{text}\" is not K/N: give the shard's number and the number of shards, as 3/8 (1 <= K <= N <= {}), or auto", Shard::MAX)
        };
        let (k, n) = text.split_once('/').ok_or_else(bad)?;
        let k: u32 = k.trim().parse().map_err(|_| bad())?;
        let n: u32 = n.trim().parse().map_err(|_| bad())?;
        Shard::new(k, n).ok_or_else(bad)
    }

    /// Shard `index` of `count`, if `1 <= index <= count <= MAX`.
    pub fn new(index: u32, count: u32) -> Option<Shard> {
        (1 <= index && index <= count && count <= Shard::MAX).then_some(Shard { index, count })
    }

    /// The shard a cluster scheduler's array task is, from its variables
    /// (`vars` looks one up): SLURM's `SLURM_ARRAY_TASK_ID` (with
    /// `--array=1-N`, or from `SLURM_ARRAY_TASK_MIN`) and
    /// `SLURM_ARRAY_TASK_COUNT`, or a Kubernetes Indexed Job's
    /// `JOB_COMPLETION_INDEX` (from 0). `shards` is `--shards N`, needed
    /// where the scheduler does not say N and checked where it does.
    pub fn from_environment(
        vars: &dyn Fn(&str) -> Option<String>,
        shards: Option<u32>,
    ) -> Result<Shard, String> {
        let number = |name: &str| -> Result<Option<u32>, String> {
            match vars(name) {
                None => Ok(None),
                Some(v) => v
                    .trim()
                    .parse()
                    .map(Some)
                    .map_err(|_| format!("--shard auto: {name}={v:?} is not a whole number")),
            }
        };
        let (index, count, from) = if let Some(id) = number("SLURM_ARRAY_TASK_ID")? {
            let min = number("SLURM_ARRAY_TASK_MIN")?.unwrap_or(1);
            let count = number("SLURM_ARRAY_TASK_COUNT")?;
            let index = (id + 1).checked_sub(min).ok_or_else(|| {
                format!(
                    "--shard auto: SLURM_ARRAY_TASK_ID={id} is below SLURM_ARRAY_TASK_MIN={min}"
                )
            })?;
            (index, count, "SLURM_ARRAY_TASK_ID")
        } else if let Some(i) = number("JOB_COMPLETION_INDEX")? {
            (i + 1, None, "JOB_COMPLETION_INDEX")
        } else {
            return Err("--shard auto: neither SLURM_ARRAY_TASK_ID (SLURM array job) nor JOB_COMPLETION_INDEX (Kubernetes Indexed Job) is set; give --shard K/N".into());
        };
        let count = match (count, shards) {
            (Some(c), Some(s)) if c != s => {
                return Err(format!(
                    "--shard auto: SLURM_ARRAY_TASK_COUNT={c} but --shards {s}; submit the array with as many tasks as shards"
                ))
            }
            (Some(c), _) | (None, Some(c)) => c,
            (None, None) => {
                return Err(format!(
                    "--shard auto: {from} is set but the number of shards is not known; give --shards N"
                ))
            }
        };
        Shard::new(index, count).ok_or_else(|| {
            format!("--shard auto: {from} makes this shard {index} of {count}, outside 1..={count}")
        })
    }

    /// The run numbers this shard simulates out of `runs`.
    pub fn range(&self, runs: u32) -> Range<u32> {
        let at = |k: u32| (runs as u64 * k as u64 / self.count as u64) as u32;
        at(self.index - 1)..at(self.index)
    }

    /// The folder name of this shard of scenario `name`.
    pub fn folder(&self, name: &str) -> String {
        format!("{name}.shard-{}-of-{}", self.index, self.count)
    }
}

/// What `shard.json` says: everything merge checks the shards agree on,
/// and what it needs to rebuild the scenario exactly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format_version: u32,
    pub viralsim_version: String,
    /// The scenario's name.
    pub scenario: String,
    /// The scenario file, absolute, as merge reads it again.
    pub scenario_file: PathBuf,
    /// The [`Checksum`] of the scenario file's text, 16 hex digits.
    pub scenario_checksum: String,
    /// `--runs` and `--seed` as given (null: not given).
    pub runs_override: Option<u32>,
    pub seed_override: Option<u64>,
    pub seed: u64,
    /// Runs per strategy in all shards together.
    pub runs: u32,
    pub steps: u32,
    /// The graph's fingerprint, 16 hex digits.
    pub graph_fingerprint: String,
    /// A checksum of every strategy's fixed seeds (and the rival's).
    pub seeds_checksum: String,
    /// Points of the `[sweep]` (0 without one).
    pub sweep_points: usize,
    /// K and N.
    pub shard: u32,
    pub shards: u32,
    /// The run numbers simulated: `first_run` to `end_run - 1`.
    pub first_run: u32,
    pub end_run: u32,
}

fn hex(x: u64) -> String {
    format!("{x:016x}")
}

fn checksum_of(bytes: &[u8]) -> u64 {
    let mut c = Checksum::new();
    c.update(bytes);
    c.finish()
}

/// A checksum of the fixed seed sets the strategies (and the rival) chose.
fn seeds_checksum(prepared: &Prepared) -> String {
    let mut c = Checksum::new();
    for seeds in prepared.seeds.iter().chain(&prepared.rival_seeds) {
        match seeds {
            Seeds::Fixed(s) => {
                c.update(&(s.len() as u64).to_le_bytes());
                for v in s {
                    c.update(&v.to_le_bytes());
                }
            }
            Seeds::PerRun(_) => c.update(&u64::MAX.to_le_bytes()),
        }
    }
    hex(c.finish())
}

/// A failure naming the shard file or folder at fault (bad input).
fn shard_error(path: &Path, message: impl Into<String>) -> Error {
    Error::Shard {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// Refuse what shards cannot do exactly.
pub fn check_shardable(scenario: &Scenario) -> Result<(), Error> {
    if scenario.simulation.auto.is_some() {
        return Err(shard_error(
            &scenario.path,
            "runs = \"auto\" decides how many runs to make from all the runs made so far, which no shard sees: give a fixed count with --runs N (or runs = N in [simulation]) to run in shards",
        ));
    }
    Ok(())
}

/// A writer that checksums what passes through it.
struct Summed<'a> {
    out: &'a mut dyn Write,
    sum: Checksum,
}

impl Write for Summed<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.out.write(buf)?;
        self.sum.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

fn block_header(point: u32, unit: Unit, outcome: &Outcome) -> [u8; 32] {
    let words = [
        point,
        unit.strategy as u32,
        unit.start.unwrap_or(u32::MAX),
        outcome.first_run,
        outcome.runs,
        outcome.metrics.len() as u32,
        outcome.steps,
        outcome.segment_slots as u32,
    ];
    let mut bytes = [0u8; 32];
    for (chunk, w) in bytes.chunks_exact_mut(4).zip(words) {
        chunk.copy_from_slice(&w.to_le_bytes());
    }
    bytes
}

/// Simulate shard `shard` of `scenario` (prepared within `resources`) and
/// write its folder into `out`; returns the folder. `progress` is told of
/// finished runs, `seeding` of slow seed choices.
pub fn run(
    scenario: Scenario,
    shard: Shard,
    out: &Path,
    resources: &Resources,
    seeding: &dyn Progress,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<PathBuf, Error> {
    check_shardable(&scenario)?;
    let mut dir = OutputDir::open(out, &shard.folder(&scenario.name))?;
    let prepared = pipeline::prepare_within(scenario, resources, seeding)?;
    let scenario = &prepared.scenario;
    let runs = scenario.simulation.runs;
    let range = shard.range(runs);
    let manifest = Manifest {
        format_version: FORMAT_VERSION,
        viralsim_version: env!("CARGO_PKG_VERSION").into(),
        scenario: scenario.name.to_string(),
        scenario_file: fs::canonicalize(&scenario.path).unwrap_or_else(|_| scenario.path.clone()),
        scenario_checksum: hex(checksum_of(scenario.text.as_bytes())),
        runs_override: scenario.overrides.runs,
        seed_override: scenario.overrides.seed,
        seed: scenario.simulation.seed,
        runs,
        steps: scenario.simulation.steps,
        graph_fingerprint: hex(prepared.graph.fingerprint()),
        seeds_checksum: seeds_checksum(&prepared),
        sweep_points: scenario.sweep.as_ref().map_or(0, |s| s.points().len()),
        shard: shard.index,
        shards: shard.count,
        first_run: range.start,
        end_run: range.end,
    };
    // The points are simulated inside the file's writer; their failures
    // (a point's graph, say) are kept here and reported as themselves.
    let mut failed: Option<Error> = None;
    let point_resources = resources.less(prepared.resident_bytes());
    dir.write_with(RUNS_FILE, &mut |raw| {
        let io_err = |e| (PathBuf::new(), e);
        let mut out = Summed {
            out: raw,
            sum: Checksum::new(),
        };
        out.write_all(&RUNS_MAGIC).map_err(io_err)?;
        out.write_all(&FORMAT_VERSION.to_le_bytes())
            .map_err(io_err)?;
        out.write_all(&0u32.to_le_bytes()).map_err(io_err)?;
        let mut blocks = 0u64;
        let mut write_point = |point: u32, prepared: &Prepared, out: &mut Summed| {
            pipeline::simulate_range(prepared, range.clone(), progress, &mut |unit, outcome| {
                blocks += 1;
                out.write_all(&block_header(point, unit, outcome))?;
                let all = 0..outcome.runs;
                let words = outcome.records(all.clone()).len() as u64;
                out.write_all(&(4 * words).to_le_bytes())?;
                outcome.write_records(all, out)
            })
        };
        write_point(0, &prepared, &mut out).map_err(io_err)?;
        let mut point = 0;
        let swept = sweep::run_with(&prepared.scenario, &point_resources, &mut |p| {
            point += 1;
            write_point(point, p, &mut out).map_err(|source| Error::Output {
                path: PathBuf::new(),
                source,
            })?;
            Ok(None)
        });
        if let Err(e) = swept {
            let io = io::Error::other(e.to_string());
            failed = Some(e);
            return Err(io_err(io));
        }
        let sum = out.sum.finish();
        out.write_all(&RUNS_END).map_err(io_err)?;
        out.write_all(&blocks.to_le_bytes()).map_err(io_err)?;
        out.write_all(&sum.to_le_bytes()).map_err(io_err)
    })
    .map_err(|e| failed.take().unwrap_or(e))?;
    let mut json = serde_json::to_vec_pretty(&manifest)
        .map_err(|e| Error::Report(format!("cannot encode {SHARD_MANIFEST}: {e}")))?;
    json.push(b'\n');
    dir.write(&OutputFile {
        name: SHARD_MANIFEST.into(),
        bytes: json,
    })?;
    let path = dir.path().to_path_buf();
    dir.commit()?;
    Ok(path)
}

/// Everything [`merge`] rebuilt: what [`crate::report::write_all`] writes.
pub struct Merged {
    pub prepared: Prepared,
    pub results: Results,
    pub sweep: Option<SweepResults>,
}

/// One shard's `runs.bin`, read block by block.
struct RunsReader {
    path: PathBuf,
    file: io::BufReader<fs::File>,
    /// Bytes left in the file.
    left: u64,
    sum: Checksum,
    blocks: u64,
    range: Range<u32>,
}

impl RunsReader {
    fn open(dir: &Path, manifest: &Manifest) -> Result<RunsReader, Error> {
        let path = dir.join(RUNS_FILE);
        let file = fs::File::open(&path)
            .map_err(|e| shard_error(&path, format!("cannot be read: {e}")))?;
        let left = file
            .metadata()
            .map_err(|e| shard_error(&path, format!("cannot be read: {e}")))?
            .len();
        verify(&path, left)?;
        let mut r = RunsReader {
            path,
            file: io::BufReader::with_capacity(1 << 20, file),
            left,
            sum: Checksum::new(),
            blocks: 0,
            range: manifest.first_run..manifest.end_run,
        };
        let magic = r.bytes(8)?;
        if magic != RUNS_MAGIC {
            return Err(shard_error(
                &r.path,
                "is not a viralsim shard's runs file (wrong magic bytes)",
            ));
        }
        let version = r.u32()?;
        if version != FORMAT_VERSION {
            return Err(shard_error(
                &r.path,
                format!("has format version {version}; this viralsim reads version {FORMAT_VERSION}: run the shards and the merge with the same viralsim"),
            ));
        }
        r.u32()?;
        Ok(r)
    }

    fn truncated(&self) -> Error {
        shard_error(
            &self.path,
            "is truncated (it ends before the runs it announces): run this shard again",
        )
    }

    /// The next `n` bytes; never reads past the file's end.
    fn bytes(&mut self, n: u64) -> Result<Vec<u8>, Error> {
        if n > self.left {
            return Err(self.truncated());
        }
        let mut buf = vec![0u8; n as usize];
        self.file
            .read_exact(&mut buf)
            .map_err(|e| shard_error(&self.path, format!("cannot be read: {e}")))?;
        self.left -= n;
        self.sum.update(&buf);
        Ok(buf)
    }

    fn u32(&mut self) -> Result<u32, Error> {
        let b = self.bytes(4)?;
        Ok(u32::from_le_bytes(b.try_into().expect("4 bytes")))
    }

    fn corrupt(&self, what: &str) -> Error {
        shard_error(
            &self.path,
            format!("is corrupt or from another scenario ({what}): run this shard again"),
        )
    }

    /// Append this shard's runs of `unit` at `point` to `outcome`.
    fn read_block(&mut self, point: u32, unit: Unit, outcome: &mut Outcome) -> Result<(), Error> {
        let mut words = [0u32; 8];
        for w in &mut words {
            *w = self.u32()?;
        }
        let expected = [
            point,
            unit.strategy as u32,
            unit.start.unwrap_or(u32::MAX),
            self.range.start,
            self.range.end - self.range.start,
            outcome.metrics.len() as u32,
            outcome.steps,
            outcome.segment_slots as u32,
        ];
        if words != expected {
            return Err(self.corrupt("a block of runs is not the one expected next"));
        }
        let runs = words[4];
        let len = u64::from_le_bytes(self.bytes(8)?.try_into().expect("8 bytes"));
        if !len.is_multiple_of(4) {
            return Err(self.corrupt("a block's length"));
        }
        let data = self.bytes(len)?;
        let records: Vec<u32> = data
            .chunks_exact(4)
            .map(|w| u32::from_le_bytes(w.try_into().expect("4 bytes")))
            .collect();
        drop(data);
        let before = outcome.runs;
        outcome
            .append_runs(&records)
            .map_err(|e| self.corrupt(&format!("a block's runs: {e}")))?;
        if outcome.runs - before != runs {
            return Err(self.corrupt("a block's count of runs"));
        }
        self.blocks += 1;
        Ok(())
    }

    /// Check the footer and that nothing follows it.
    fn finish(mut self) -> Result<(), Error> {
        let sum = self.sum.finish();
        let end = self.bytes(8)?;
        if end != RUNS_END {
            return Err(self.corrupt("more blocks than the scenario has, or a damaged footer"));
        }
        let blocks = u64::from_le_bytes(self.bytes(8)?.try_into().expect("8 bytes"));
        let written = u64::from_le_bytes(self.bytes(8)?.try_into().expect("8 bytes"));
        if blocks != self.blocks {
            return Err(self.corrupt("the footer's count of blocks"));
        }
        if written != sum {
            return Err(shard_error(
                &self.path,
                "is corrupt (its checksum does not match its contents): run this shard again",
            ));
        }
        if self.left != 0 {
            return Err(self.corrupt("bytes after the footer"));
        }
        Ok(())
    }
}

/// Check the checksum of the runs file at `path` (`len` bytes long) in
/// one pass, before any of it is used.
fn verify(path: &Path, len: u64) -> Result<(), Error> {
    let unreadable = |e: io::Error| shard_error(path, format!("cannot be read: {e}"));
    let truncated = || {
        shard_error(
            path,
            "is truncated (its footer is missing): run this shard again",
        )
    };
    if len < 16 + 24 {
        return Err(truncated());
    }
    let mut file = io::BufReader::with_capacity(1 << 20, fs::File::open(path).map_err(unreadable)?);
    let mut sum = Checksum::new();
    let mut left = len - 24;
    let mut buf = vec![0u8; 1 << 20];
    while left > 0 {
        let n = left.min(buf.len() as u64) as usize;
        file.read_exact(&mut buf[..n]).map_err(unreadable)?;
        sum.update(&buf[..n]);
        left -= n as u64;
    }
    let mut footer = [0u8; 24];
    file.read_exact(&mut footer).map_err(unreadable)?;
    if footer[..8] != RUNS_END {
        return Err(truncated());
    }
    if footer[16..] != sum.finish().to_le_bytes() {
        return Err(shard_error(
            path,
            "is corrupt (its checksum does not match its contents): run this shard again",
        ));
    }
    Ok(())
}

/// Read `DIR/shard.json`.
fn read_manifest(dir: &Path) -> Result<Manifest, Error> {
    let path = dir.join(SHARD_MANIFEST);
    let text = fs::read_to_string(&path).map_err(|e| {
        shard_error(
            dir,
            format!("is not a shard folder ({SHARD_MANIFEST} cannot be read: {e}); give the folders `viralsim run --shard` wrote"),
        )
    })?;
    serde_json::from_str(&text)
        .map_err(|e| shard_error(&path, format!("is not a shard manifest: {e}")))
}

/// Check that `shards` (folder, manifest) make one whole job: the same
/// version, scenario, seed, runs, graph and N, every K from 1 to N once.
/// Returns them in shard order.
fn check_together(mut shards: Vec<(PathBuf, Manifest)>) -> Result<Vec<(PathBuf, Manifest)>, Error> {
    let (first_dir, first) = shards
        .first()
        .cloned()
        .ok_or_else(|| shard_error(Path::new("merge"), "no shard folders given"))?;
    for (dir, m) in &shards {
        let path = dir.join(SHARD_MANIFEST);
        if m.format_version != FORMAT_VERSION || m.viralsim_version != env!("CARGO_PKG_VERSION") {
            return Err(shard_error(
                &path,
                format!(
                    "was written by viralsim {} (shard format {}), this is viralsim {} (format {FORMAT_VERSION}): run every shard and the merge with the same viralsim",
                    m.viralsim_version,
                    m.format_version,
                    env!("CARGO_PKG_VERSION")
                ),
            ));
        }
        let differs = |what: &str, a: &dyn std::fmt::Debug, b: &dyn std::fmt::Debug| {
            shard_error(
                &path,
                format!(
                    "has {what} {a:?}, but {} has {b:?}: these shards are not of one job",
                    first_dir.join(SHARD_MANIFEST).display()
                ),
            )
        };
        if m.scenario != first.scenario || m.scenario_checksum != first.scenario_checksum {
            return Err(differs(
                "scenario",
                &(&m.scenario, &m.scenario_checksum),
                &(&first.scenario, &first.scenario_checksum),
            ));
        }
        if m.seed != first.seed {
            return Err(differs("seed", &m.seed, &first.seed));
        }
        if m.runs != first.runs || m.runs_override != first.runs_override {
            return Err(differs("runs", &m.runs, &first.runs));
        }
        if m.graph_fingerprint != first.graph_fingerprint {
            return Err(differs(
                "graph fingerprint",
                &m.graph_fingerprint,
                &first.graph_fingerprint,
            ));
        }
        if m.seeds_checksum != first.seeds_checksum {
            return Err(differs("seeds", &m.seeds_checksum, &first.seeds_checksum));
        }
        if m.shards != first.shards {
            return Err(differs("shard count N", &m.shards, &first.shards));
        }
        let shard = Shard::new(m.shard, m.shards)
            .filter(|s| s.range(m.runs) == (m.first_run..m.end_run))
            .ok_or_else(|| {
                shard_error(
                    &path,
                    "has a shard number or run range that does not add up",
                )
            })?;
        let _ = shard;
    }
    shards.sort_by_key(|(_, m)| m.shard);
    for pair in shards.windows(2) {
        if pair[0].1.shard == pair[1].1.shard {
            return Err(shard_error(
                &pair[1].0,
                format!(
                    "is shard {} of {}, as {} is: give each shard once",
                    pair[1].1.shard,
                    pair[1].1.shards,
                    pair[0].0.display()
                ),
            ));
        }
    }
    let n = first.shards;
    let missing: Vec<String> = (1..=n)
        .filter(|k| !shards.iter().any(|(_, m)| m.shard == *k))
        .map(|k| k.to_string())
        .collect();
    if !missing.is_empty() {
        let many = missing.len();
        let listed = if many > 20 {
            format!("{} and {} more", missing[..20].join(", "), many - 20)
        } else {
            missing.join(", ")
        };
        return Err(shard_error(
            &first_dir,
            format!(
                "belongs to a job of {n} shards, and shard{} {listed} of {n} {} missing: run {} and merge again with every shard folder",
                if many == 1 { "" } else { "s" },
                if many == 1 { "is" } else { "are" },
                if many == 1 { "it" } else { "them" },
            ),
        ));
    }
    Ok(shards)
}

/// Merge the shard folders `dirs` (in any order) into the results one
/// unsharded run would have made. The scenario file, the graph and the
/// seeds are rebuilt from the scenario the shards name (which must not
/// have changed), within `resources`.
pub fn merge(
    dirs: &[PathBuf],
    resources: &Resources,
    seeding: &dyn Progress,
) -> Result<Merged, Error> {
    let shards = dirs
        .iter()
        .map(|d| read_manifest(d).map(|m| (d.clone(), m)))
        .collect::<Result<Vec<_>, Error>>()?;
    let shards = check_together(shards)?;
    let (first_dir, first) = &shards[0];
    let mut scenario = scenario::load(&first.scenario_file).map_err(|e| {
        shard_error(
            &first_dir.join(SHARD_MANIFEST),
            format!(
                "names the scenario file {}, which cannot be read: {e}",
                first.scenario_file.display()
            ),
        )
    })?;
    if hex(checksum_of(scenario.text.as_bytes())) != first.scenario_checksum {
        return Err(shard_error(
            &first.scenario_file,
            "has changed since the shards were run: restore it as it was, or run the shards again",
        ));
    }
    if let Some(runs) = first.runs_override {
        scenario.set_runs(runs.into())?;
    }
    if let Some(seed) = first.seed_override {
        scenario.set_seed(seed)?;
    }
    let prepared = pipeline::prepare_within(scenario, resources, seeding)?;
    let here = first_dir.join(SHARD_MANIFEST);
    if hex(prepared.graph.fingerprint()) != first.graph_fingerprint {
        return Err(shard_error(
            &here,
            format!(
                "was run on a graph with fingerprint {}, but the scenario now builds {}: the edge list or another input file changed since",
                first.graph_fingerprint,
                hex(prepared.graph.fingerprint())
            ),
        ));
    }
    if seeds_checksum(&prepared) != first.seeds_checksum {
        return Err(shard_error(
            &here,
            "was run with other seeds than the scenario now chooses: an input file changed since",
        ));
    }
    let mut readers = shards
        .iter()
        .map(|(dir, m)| RunsReader::open(dir, m))
        .collect::<Result<Vec<_>, Error>>()?;
    let mut reduce_point = |point: u32, prepared: &Prepared| -> Result<Results, Error> {
        let started = Instant::now();
        let models = Models::new(prepared);
        pipeline::reduce(
            prepared,
            &models,
            prepared.scenario.simulation.runs,
            None,
            started,
            &mut |unit, _| {
                let mut outcome = pipeline::empty_outcome(prepared, unit);
                for r in readers.iter_mut() {
                    r.read_block(point, unit, &mut outcome)?;
                }
                Ok(outcome)
            },
            &mut |_, _| {},
        )
    };
    let results = reduce_point(0, &prepared)?;
    let point_resources = resources.less(prepared.resident_bytes());
    let mut point = 0;
    let sweep = sweep::run_with(&prepared.scenario, &point_resources, &mut |p| {
        point += 1;
        reduce_point(point, p).map(Some)
    })?;
    for r in readers {
        r.finish()?;
    }
    Ok(Merged {
        prepared,
        results,
        sweep,
    })
}

/// Whether `name` is a file of a shard folder.
pub fn is_shard_file(name: &str) -> bool {
    name == SHARD_MANIFEST || name == SHARD_RUNS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_ranges_cover_every_run_once_in_order() {
        for runs in [0, 1, 7, 100, 1001] {
            for n in [1, 2, 3, 7, 13] {
                let mut next = 0;
                for k in 1..=n {
                    let r = Shard::new(k, n).unwrap().range(runs);
                    assert_eq!(r.start, next);
                    next = r.end;
                }
                assert_eq!(next, runs);
            }
        }
    }

    #[test]
    fn shard_flags_are_read() {
        assert_eq!(Shard::parse("3/8"), Ok(Shard { index: 3, count: 8 }));
        for bad in ["0/8", "9/8", "3", "a/b", "3/0", "-1/2"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn schedulers_say_which_shard() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| v.to_string())
            }
        };
        let slurm = env(&[
            ("SLURM_ARRAY_TASK_ID", "3"),
            ("SLURM_ARRAY_TASK_COUNT", "8"),
        ]);
        assert_eq!(
            Shard::from_environment(&slurm, None),
            Ok(Shard { index: 3, count: 8 })
        );
        assert!(Shard::from_environment(&slurm, Some(4)).is_err());
        let zero_based = env(&[
            ("SLURM_ARRAY_TASK_ID", "0"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
            ("SLURM_ARRAY_TASK_COUNT", "4"),
        ]);
        assert_eq!(
            Shard::from_environment(&zero_based, None),
            Ok(Shard { index: 1, count: 4 })
        );
        let k8s = env(&[("JOB_COMPLETION_INDEX", "0")]);
        assert_eq!(
            Shard::from_environment(&k8s, Some(5)),
            Ok(Shard { index: 1, count: 5 })
        );
        assert!(Shard::from_environment(&k8s, None).is_err());
        assert!(Shard::from_environment(&env(&[]), Some(5)).is_err());
        let beyond = env(&[("JOB_COMPLETION_INDEX", "5")]);
        assert!(Shard::from_environment(&beyond, Some(5)).is_err());
    }
}
