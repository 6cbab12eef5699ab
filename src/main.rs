//! The `viralsim` command: parses flags and hands each scenario file to the
//! library. Exit codes: 0 success, 2 bad input (scenario, graph, flags),
//! 1 any other failure.

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

use anyhow::Context;
use clap::{Args, Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use viralsim::footprint::Purpose;
use viralsim::graph::{edgelist::Cleaning, stats::GraphStats};
use viralsim::report::graph_file::{self, GraphFormat};
use viralsim::report::{self, graph_stats, table, OutputFile, Report, RunInfo};
use viralsim::resources::{self, Memory, Resources};
use viralsim::scenario::{self, Scenario};
use viralsim::{pipeline, strategy, sweep};

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
    /// Describe a scenario's graph without simulating: degrees, clustering,
    /// components, epidemic thresholds; optionally export it.
    Graph(GraphArgs),
    /// Write NAME.toml, a commented starter scenario that runs as is.
    Init(InitArgs),
}

#[derive(Args)]
struct CommonArgs {
    /// Scenario files (TOML).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Override [simulation] runs (2 or more): exactly N runs, also for a
    /// scenario with runs = "auto".
    #[arg(long, value_name = "N")]
    runs: Option<u64>,
    /// Override [simulation] seed.
    #[arg(long, value_name = "S")]
    seed: Option<u64>,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
    /// Most memory a run may use, e.g. 4G or 512M (default: what the
    /// machine has available). A scenario that would need more is refused.
    #[arg(long, value_name = "SIZE", value_parser = resources::parse_size)]
    max_memory: Option<u64>,
}

#[derive(Args)]
struct RunArgs {
    #[command(flatten)]
    common: CommonArgs,
    /// Folder that receives one sub-folder per scenario.
    #[arg(long, value_name = "DIR", default_value = "output")]
    out: PathBuf,
    /// Worker threads (default: all cores; at most 4 per core). Results do
    /// not depend on it.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,
}

#[derive(Args)]
struct GraphArgs {
    /// Scenario file (TOML) whose graph and trust to build.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Override [simulation] seed (it seeds the trust draws).
    #[arg(long, value_name = "S")]
    seed: Option<u64>,
    /// Print the statistics as JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Also write the graph, in this format, to --out.
    #[arg(long, value_enum, value_name = "FORMAT", requires = "out")]
    export: Option<ExportFormat>,
    /// The file --export writes (replaced if it exists).
    #[arg(long, value_name = "PATH", requires = "export")]
    out: Option<PathBuf>,
    /// Most memory building the graph may use, e.g. 4G or 512M (default:
    /// what the machine has available).
    #[arg(long, value_name = "SIZE", value_parser = resources::parse_size)]
    max_memory: Option<u64>,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    /// GraphML, for Gephi, networkx, igraph, Cytoscape.
    Graphml,
    /// `u v trust` lines, as viralsim reads them.
    Edgelist,
}

#[derive(Args)]
struct InitArgs {
    /// The scenario's name: letters, digits, '-', '_' or '.'.
    #[arg(value_name = "NAME")]
    name: String,
    /// Folder that receives NAME.toml.
    #[arg(long, value_name = "DIR", default_value = ".")]
    out: PathBuf,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (common, run) = match &cli.command {
        Command::Run(r) => (&r.common, Some(r)),
        Command::Validate(c) => (c, None),
        Command::Graph(g) => return finish(graph(g)),
        Command::Init(i) => return finish(init(i)),
    };
    let pool = match build_pool(run.and_then(|r| r.threads)) {
        Ok(p) => p,
        Err(e) => return ExitCode::from(report_error(&e)),
    };
    let mut code = 0u8;
    for file in &common.files {
        let result = pool.install(|| process(file, common, run, pool.current_num_threads()));
        if let Err(e) = result {
            code = code.max(report_error(&e));
        }
    }
    ExitCode::from(code)
}

/// Print `e` and return its exit code: 2 for bad input, 1 otherwise.
fn report_error(e: &anyhow::Error) -> u8 {
    // The library's messages already carry their cause; other errors show
    // their chain.
    match e.downcast_ref::<viralsim::Error>() {
        Some(err) => {
            eprintln!("error: {err}");
            if err.is_bad_input() {
                2
            } else {
                1
            }
        }
        None => {
            eprintln!("error: {e:#}");
            1
        }
    }
}

fn finish(result: anyhow::Result<()>) -> ExitCode {
    ExitCode::from(match result {
        Ok(()) => 0,
        Err(e) => report_error(&e),
    })
}

fn graph(args: &GraphArgs) -> anyhow::Result<()> {
    let mut scenario = scenario::load(&args.file).map_err(viralsim::Error::from)?;
    if let Some(seed) = args.seed {
        scenario.simulation.seed = seed;
    }
    let within = limits(args.max_memory, rayon::current_num_threads());
    let (graph, cleaning) = pipeline::load_graph_within(&scenario, &within, Purpose::Describe)?;
    note_cleaning(cleaning.as_ref(), &scenario.graph);
    let stats = GraphStats::of(&graph);
    if args.json {
        print!("{}", graph_stats::json(&scenario, &stats)?);
    } else {
        print!("{}", graph_stats::render(&scenario, &stats));
    }
    if let (Some(format), Some(out)) = (args.export, &args.out) {
        let format = match format {
            ExportFormat::Graphml => GraphFormat::GraphMl,
            ExportFormat::Edgelist => GraphFormat::EdgeList,
        };
        graph_file::write(&graph, format, &scenario.name, out)?;
        let alone = graph_file::people_without_arcs(&graph);
        if format == GraphFormat::EdgeList && alone > 0 {
            eprintln!("note: {alone} people without any follow are not in the edge list (GraphML keeps them)");
        }
        if format == GraphFormat::EdgeList && graph.segments().is_some() {
            eprintln!("note: segments are not in the edge list (GraphML keeps them)");
        }
        eprintln!("wrote {}", out.display());
    }
    Ok(())
}

fn init(args: &InitArgs) -> anyhow::Result<()> {
    let text = scenario::starter::text(&args.name).map_err(viralsim::Error::from)?;
    let file = OutputFile {
        name: format!("{}.toml", args.name),
        bytes: text.into_bytes(),
    };
    let path = report::write_new(&args.out, &file)?;
    println!(
        "wrote {}; try `viralsim graph {0}` and `viralsim run {0}`",
        path.display()
    );
    Ok(())
}

fn build_pool(threads: Option<u16>) -> anyhow::Result<rayon::ThreadPool> {
    let mut b = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        resources::check_threads(n as usize).map_err(|message| {
            let flag = scenario::Location {
                file: "--threads".into(),
                line: None,
                column: None,
                key: None,
            };
            viralsim::Error::from(scenario::ScenarioError::at(flag, message))
        })?;
        b = b.num_threads(n as usize);
    }
    b.build().context("cannot start worker threads")
}

/// What a run may use: `--max-memory` or what the machine has, and
/// `threads` workers.
fn limits(max_memory: Option<u64>, threads: usize) -> Resources {
    Resources {
        memory: max_memory.map_or_else(Memory::of_machine, Memory::given),
        threads,
    }
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
    let within = limits(common.max_memory, threads);
    let seed_bar = SeedBar::new(common.quiet);
    let prepared = pipeline::prepare_within(scenario, &within, &seed_bar);
    seed_bar.finish();
    let prepared = prepared?;
    if !common.quiet {
        note_cleaning(prepared.cleaning.as_ref(), &prepared.scenario.graph);
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
    let total = prepared.runs_to_simulate() + sweep::runs_to_simulate(&prepared.scenario);
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
    // With runs = "auto" the bar grows as batches are planned.
    let base_planned = Cell::new(prepared.runs_to_simulate());
    let grow = |planned: &Cell<u64>, total: u64| {
        if total > planned.get() {
            bar.inc_length(total - planned.get());
            planned.set(total);
        }
    };
    let results = pipeline::simulate_planned(&prepared, &|n| bar.inc(n), &|total| {
        grow(&base_planned, total)
    });
    // The scenario's own graph stays in memory beside each point's.
    let point_within = within.less(prepared.resident_bytes());
    let swept = sweep::run_within(
        &prepared.scenario,
        &point_within,
        &|n| bar.inc(n),
        &|more| bar.inc_length(more),
    );
    bar.finish_and_clear();
    let swept = swept?;

    let dir = run.out.join(&prepared.scenario.name);
    let report = Report {
        prepared: &prepared,
        results: &results,
        sweep: swept.as_ref(),
    };
    report::write_all(&report, &dir, &RunInfo::new(threads))?;
    if !common.quiet {
        println!(
            "{} ({} runs, {} {}, {} people) -> {}",
            prepared.scenario.name,
            results.runs,
            sim.steps,
            sim.step.plural(),
            prepared.graph.nodes(),
            dir.display()
        );
        print!("{}", table::render(&results, results.runs));
        print!("{}", table::delay_lines(&results, results.runs, sim.step));
        if let Some(swept) = &swept {
            print!("{}", table::sweep_lines(swept));
        }
    }
    Ok(())
}

fn note_cleaning(cleaning: Option<&Cleaning>, source: &scenario::GraphSource) {
    if let (Some(c), scenario::GraphSource::EdgeList { path, .. }) = (cleaning, source) {
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

/// A bar per strategy that takes a while to choose: "choosing seeds: celf
/// [====>    ] 40/100 people", on stderr.
struct SeedBar {
    quiet: bool,
    /// The strategy and unit of the bar shown, and the bar.
    shown: Mutex<Option<(String, &'static str, ProgressBar)>>,
}

impl SeedBar {
    fn new(quiet: bool) -> SeedBar {
        SeedBar {
            quiet,
            shown: Mutex::new(None),
        }
    }

    fn finish(&self) {
        if let Some((_, _, bar)) = self.shown.lock().ok().and_then(|mut s| s.take()) {
            bar.finish_and_clear();
        }
    }
}

impl strategy::Progress for SeedBar {
    fn advance(&self, name: &str, done: u64, total: u64, unit: &'static str) {
        if self.quiet {
            return;
        }
        let Ok(mut shown) = self.shown.lock() else {
            return;
        };
        if !matches!(&*shown, Some((n, u, _)) if n == name && *u == unit) {
            if let Some((_, _, old)) = shown.take() {
                old.finish_and_clear();
            }
            let bar = ProgressBar::hidden();
            bar.set_length(total);
            bar.set_style(
                ProgressStyle::with_template(
                    "choosing seeds: {prefix} [{bar:30}] {pos}/{len} {msg}",
                )
                .expect("the template is valid")
                .progress_chars("=> "),
            );
            bar.set_prefix(name.to_string());
            bar.set_message(unit);
            bar.set_draw_target(ProgressDrawTarget::stderr());
            *shown = Some((name.to_string(), unit, bar));
        }
        if let Some((_, _, bar)) = &*shown {
            bar.set_length(total);
            bar.set_position(done);
        }
    }
}
