//! The `viralsim` command: parses flags and hands each scenario file to the
//! library. Exit codes: 0 success, 2 bad input (scenario, graph, flags),
//! 1 any other failure.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use viralsim::pipeline::{self, Prepared};
use viralsim::report::{self, table, Report, RunInfo};
use viralsim::scenario::{self, Scenario};

#[derive(Parser)]
#[command(
    name = "viralsim",
    version,
    about = "Simulate how marketing content spreads by word of mouth over social networks"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Simulate scenarios and write their outputs to OUT/<scenario name>/.
    Run(RunArgs),
    /// Check scenarios (and build their graphs and seeds) without simulating.
    Validate(CommonArgs),
}

#[derive(Args)]
struct CommonArgs {
    /// Scenario files (TOML).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Override [simulation] runs (2 or more).
    #[arg(long, value_name = "N")]
    runs: Option<u64>,
    /// Override [simulation] seed.
    #[arg(long, value_name = "S")]
    seed: Option<u64>,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Args)]
struct RunArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Folder that receives one sub-folder per scenario.
    #[arg(long, value_name = "DIR", default_value = "output")]
    out: PathBuf,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (common, run) = match &cli.command {
        Command::Run(r) => (&r.common, Some(r)),
        Command::Validate(c) => (c, None),
    };
    let pool = match build_pool(run.and_then(|r| r.threads)) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e:#}");
            return ExitCode::from(1);
        }
    };
    let mut code = 0u8;
    for file in &common.files {
        let result = pool.install(|| process(file, common, run, pool.current_num_threads()));
        if let Err(e) = result {
            // The library's messages already carry their cause; other
            // errors show their chain.
            match e.downcast_ref::<viralsim::Error>() {
                Some(err) => {
                    eprintln!("error: {err}");
                    code = code.max(if err.is_bad_input() { 2 } else { 1 });
                }
                None => {
                    eprintln!("error: {e:#}");
                    code = code.max(1);
                }
            }
        }
    }
    ExitCode::from(code)
}

fn build_pool(threads: Option<u16>) -> anyhow::Result<rayon::ThreadPool> {
    let mut b = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        b = b.num_threads(n as usize);
    }
    b.build().context("cannot start worker threads")
}

fn load(file: &Path, common: &CommonArgs) -> Result<Scenario, viralsim::Error> {
    let mut s = scenario::load(file)?;
    if let Some(runs) = common.runs {
        s.set_runs(runs)?;
    }
    if let Some(seed) = common.seed {
        s.simulation.seed = seed;
    }
    Ok(s)
}

fn process(
    file: &Path,
    common: &CommonArgs,
    run: Option<&RunArgs>,
    threads: usize,
) -> anyhow::Result<()> {
    let scenario = load(file, common)?;
    let prepared = pipeline::prepare(scenario)?;
    if !common.quiet {
        note_cleaning(&prepared);
    }
    let Some(run) = run else {
        if !common.quiet {
            println!(
                "{}: ok ({} people, {} follower arcs, {} strategies)",
                file.display(),
                prepared.graph.nodes(),
                prepared.graph.arcs(),
                prepared.seeds.len()
            );
        }
        return Ok(());
    };
    let sim = &prepared.scenario.simulation;
    let total = prepared.runs_to_simulate();
    let bar = if common.quiet {
        ProgressBar::hidden()
    } else {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} runs, {eta} left")
                .expect("the template is valid")
                .progress_chars("=> "),
        );
        bar.set_prefix(prepared.scenario.name.clone());
        bar
    };
    let results = pipeline::simulate(&prepared, &|n| bar.inc(n));
    bar.finish_and_clear();

    let dir = run.out.join(&prepared.scenario.name);
    let report = Report {
        prepared: &prepared,
        results: &results,
    };
    report::write_all(&report, &dir, &RunInfo::new(threads))?;
    if !common.quiet {
        println!(
            "{} ({} runs, {} {}, {} people) -> {}",
            prepared.scenario.name,
            sim.runs,
            sim.steps,
            sim.step.plural(),
            prepared.graph.nodes(),
            dir.display()
        );
        print!("{}", table::render(&results, sim.runs));
        print!("{}", table::delay_lines(&results, sim.runs, sim.step));
    }
    Ok(())
}

fn note_cleaning(prepared: &Prepared) {
    if let (Some(c), scenario::GraphSource::EdgeList { path, .. }) =
        (&prepared.cleaning, &prepared.scenario.graph)
    {
        if c.self_loops > 0 || c.duplicates > 0 {
            eprintln!(
                "note: {}: dropped {} self-loop line(s), merged {} duplicate edge line(s) of {}",
                path.display(),
                c.self_loops,
                c.duplicates,
                c.lines
            );
        }
    }
}
