//! The `viralsim` command: parses flags and hands each scenario file to the
//! library. Exit codes: 0 success, 2 bad input (scenario, graph, flags),
//! 1 any other failure, 130 interrupted (Ctrl-C or TERM).

use std::cell::Cell;
use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

use anyhow::Context;
use clap::{Args, Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use viralsim::footprint::Purpose;
use viralsim::graph::{analysis::GraphAnalysis, edgelist::Cleaning};
use viralsim::report::graph_file::{self, GraphFormat};
use viralsim::report::{self, fit, graph_summary, table, OutputDir, OutputFile, Report, RunInfo};
use viralsim::resources::{self, Memory, Resources};
use viralsim::scenario::{self, Scenario};
use viralsim::shard::{self, Shard};
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
    #[command(
        after_help = "Example:\n  viralsim run scenarios/product-launch.toml --runs 1000\n  (prints the comparison table and writes output/product-launch/, report.html included)"
    )]
    Run(RunArgs),
    /// Check scenarios (and build their graphs and seeds) without simulating.
    #[command(after_help = "Example:\n  viralsim validate scenarios/*.toml")]
    Validate(CommonArgs),
    /// Describe a scenario's graph without simulating: degrees, clustering,
    /// components, epidemic thresholds; optionally export it.
    #[command(
        after_help = "Example:\n  viralsim graph scenarios/who-to-seed.toml --export graphml --out facebook.graphml\n  viralsim graph scenarios/who-to-seed.toml --export binary --out facebook.vsg\n  (then [graph] edges = \"facebook.vsg\" loads it many times faster)"
    )]
    Graph(GraphArgs),
    /// Merge the shard folders of `viralsim run --shard K/N` into the
    /// outputs one unsharded run writes, byte for byte (timings aside).
    #[command(
        after_help = "Example:\n  for k in 1 2 3 4; do viralsim run launch.toml --runs 1000 --shard $k/4 --out shards; done\n  viralsim merge shards/launch.shard-*-of-4 --out output\n  (writes output/launch/ as `viralsim run launch.toml --runs 1000` would)"
    )]
    Merge(MergeArgs),
    /// Write NAME.toml, a commented starter scenario that runs as is.
    #[command(
        after_help = "Example:\n  viralsim init spring-launch && viralsim run spring-launch.toml"
    )]
    Init(InitArgs),
}

#[derive(Args)]
struct CommonArgs {
    /// Scenario files (TOML).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Override [simulation] runs (2 to 100,000,000): exactly N runs, also
    /// for a scenario with runs = "auto".
    #[arg(long, value_name = "N", value_parser = runs_flag, allow_negative_numbers = true)]
    runs: Option<u32>,
    /// Override [simulation] seed (0 to 2^63 - 1).
    #[arg(long, value_name = "S", value_parser = seed_flag, allow_negative_numbers = true)]
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
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Simulate only shard K of N of the runs and write the raw runs to
    /// OUT/<name>.shard-K-of-N/ for `viralsim merge`; `auto` reads K (and
    /// N) from SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT or
    /// JOB_COMPLETION_INDEX (with --shards N).
    #[arg(long, value_name = "K/N|auto", value_parser = shard_flag)]
    shard: Option<ShardFlag>,
    /// The number of shards, for --shard auto where the scheduler does not
    /// say it (Kubernetes).
    #[arg(long, value_name = "N", requires = "shard")]
    shards: Option<u32>,
}

#[derive(Clone, Copy)]
enum ShardFlag {
    Given(Shard),
    Auto,
}

fn shard_flag(text: &str) -> Result<ShardFlag, String> {
    if text == "auto" {
        return Ok(ShardFlag::Auto);
    }
    Shard::parse(text).map(ShardFlag::Given)
}

#[derive(Args)]
struct MergeArgs {
    /// Shard folders written by `viralsim run --shard K/N`, one per shard,
    /// in any order.
    #[arg(required = true, value_name = "DIR")]
    dirs: Vec<PathBuf>,
    /// Folder that receives the scenario's outputs, as `viralsim run --out`.
    #[arg(long, value_name = "DIR", default_value = "output")]
    out: PathBuf,
    /// Worker threads for rebuilding the graph and seeds (default: all
    /// cores). Results do not depend on it.
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
    /// Most memory the merge may use, e.g. 4G (default: what the machine
    /// has available).
    #[arg(long, value_name = "SIZE", value_parser = resources::parse_size)]
    max_memory: Option<u64>,
}

#[derive(Args)]
struct GraphArgs {
    /// Scenario file (TOML) whose graph and trust to build.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Override [simulation] seed (0 to 2^63 - 1; it seeds the trust draws).
    #[arg(long, value_name = "S", value_parser = seed_flag, allow_negative_numbers = true)]
    seed: Option<u64>,
    /// Print the statistics as JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Also write the graph, in this format, to --out.
    #[arg(long, value_enum, value_name = "FORMAT", requires = "out")]
    export: Option<ExportFormat>,
    /// The file --export writes (replaced if it is a regular file; never a
    /// symlink, a device or a folder).
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
    /// viralsim's binary graph (.vsg): people, follows, every trust, ids
    /// and segments, loaded many times faster than text (`[graph] edges =
    /// "FILE.vsg"`).
    Binary,
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
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return flag_error(&e),
    };
    // An interrupted run leaves no staging folder or temporary file behind.
    if let Err(e) = ctrlc::set_handler(|| {
        report::temporaries::remove_all();
        std::process::exit(130);
    }) {
        note(format_args!(
            "warning: cannot catch Ctrl-C ({e}); an interrupted run may leave temporary files"
        ));
    }
    let (common, run) = match &cli.command {
        Command::Run(r) => (&r.common, Some(r)),
        Command::Validate(c) => (c, None),
        Command::Graph(g) => return finish(graph(g)),
        Command::Init(i) => return finish(init(i)),
        Command::Merge(m) => {
            return match build_pool(m.threads) {
                Ok(pool) => finish(pool.install(|| merge(m, pool.current_num_threads()))),
                Err(e) => ExitCode::from(report_error(&e)),
            }
        }
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

/// Print `e` and return its exit code: 2 for bad input, 1 otherwise, and
/// 0 for a closed standard output (the reader, `head` say, has all it
/// wanted; the output files are written).
fn report_error(e: &anyhow::Error) -> u8 {
    if let Some(StdoutError(io)) = e.downcast_ref::<StdoutError>() {
        if io.kind() == io::ErrorKind::BrokenPipe {
            return 0;
        }
        note(format_args!("error: cannot write to standard output: {io}"));
        return 1;
    }
    // The library's messages already carry their cause; other errors show
    // their chain.
    match e.downcast_ref::<viralsim::Error>() {
        Some(err) => {
            note(format_args!("error: {err}"));
            if err.is_bad_input() {
                2
            } else {
                1
            }
        }
        None => {
            note(format_args!("error: {e:#}"));
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

/// Standard output could not be written.
#[derive(Debug)]
struct StdoutError(io::Error);

impl fmt::Display for StdoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot write to standard output: {}", self.0)
    }
}

impl std::error::Error for StdoutError {}

/// Write `text` to standard output. Every print goes through here and not
/// `print!`, which panics on a closed pipe or a full disk.
fn say(text: &str) -> Result<(), StdoutError> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(StdoutError)
}

/// Write a line to standard error. A failure is ignored: there is nowhere
/// left to report it, and the exit code still tells.
fn note(line: fmt::Arguments) {
    let _ = writeln!(io::stderr().lock(), "{line}");
}

/// Print a parse error of the flags (exit 2), or the help or version that
/// was asked for (exit 0), through the same rules as [`say`].
fn flag_error(e: &clap::Error) -> ExitCode {
    let printed = e.print();
    if e.use_stderr() {
        return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
    }
    match printed
        .and_then(|()| io::stdout().flush())
        .map_err(StdoutError)
    {
        Ok(()) => ExitCode::from(e.exit_code().clamp(0, 255) as u8),
        Err(err) => ExitCode::from(report_error(&err.into())),
    }
}

fn graph(args: &GraphArgs) -> anyhow::Result<()> {
    let mut scenario = scenario::load(&args.file).map_err(viralsim::Error::from)?;
    if let Some(seed) = args.seed {
        scenario.set_seed(seed)?;
    }
    if let Some(out) = &args.out {
        // Before the graph is built, which can take long.
        report::check_replaceable(out)?;
    }
    let within = limits(args.max_memory, rayon::current_num_threads());
    let (graph, cleaning) = pipeline::load_graph_within(&scenario, &within, Purpose::Describe)?;
    note_cleaning(cleaning.as_ref(), &scenario.graph);
    let stats = GraphAnalysis::of(&graph);
    let text = if args.json {
        graph_summary::json(&scenario, &stats)?
    } else {
        fit::wrap(&graph_summary::render(&scenario, &stats), terminal_width())
    };
    // The export is still written when the reader of the statistics has
    // gone (`| head`); the failure to print is reported after it.
    let printed = say(&text);
    if let (Some(format), Some(out)) = (args.export, &args.out) {
        let format = match format {
            ExportFormat::Graphml => GraphFormat::GraphMl,
            ExportFormat::Edgelist => GraphFormat::EdgeList,
            ExportFormat::Binary => GraphFormat::Binary,
        };
        graph_file::write(&graph, format, &scenario.name, out)?;
        let alone = graph_file::people_without_arcs(&graph);
        if format == GraphFormat::EdgeList && alone > 0 {
            note(format_args!("note: {alone} people without any follow are not in the edge list (GraphML keeps them)"));
        }
        if format == GraphFormat::EdgeList && graph.segments().is_some() {
            note(format_args!(
                "note: segments are not in the edge list (GraphML keeps them)"
            ));
        }
        note(format_args!("wrote {}", out.display()));
    }
    Ok(printed?)
}

fn init(args: &InitArgs) -> anyhow::Result<()> {
    let name = scenario::starter::name(&args.name).map_err(viralsim::Error::from)?;
    let file = OutputFile {
        name: format!("{name}.toml"),
        bytes: scenario::starter::text(&name).into_bytes(),
    };
    let path = report::write_new(&args.out, &file)?;
    say(&fit::wrap(
        &format!(
            "wrote {}; try `viralsim graph {0}` and `viralsim run {0}`\n",
            path.display()
        ),
        terminal_width(),
    ))?;
    Ok(())
}

/// `--runs`, checked by the same rule and in the same words as the
/// `runs` key.
fn runs_flag(text: &str) -> Result<u32, String> {
    scenario::check_runs(whole_number(text, |t| scenario::runs_out_of_range(t))?)
}

/// `--seed`, checked by the same rule and in the same words as the `seed`
/// key.
fn seed_flag(text: &str) -> Result<u64, String> {
    scenario::check_seed(whole_number(text, |t| scenario::seed_out_of_range(t))?)
}

/// `text` as a whole number; one too long for any count or seed is
/// refused with `out_of_range`'s words.
fn whole_number(text: &str, out_of_range: fn(&str) -> String) -> Result<i128, String> {
    use std::num::IntErrorKind::{NegOverflow, PosOverflow};
    text.parse()
        .map_err(|e: std::num::ParseIntError| match e.kind() {
            PosOverflow | NegOverflow => out_of_range(text),
            _ => format!("\"{text}\" is not a whole number"),
        })
}

fn build_pool(threads: Option<usize>) -> anyhow::Result<rayon::ThreadPool> {
    let mut b = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        resources::check_threads(n).map_err(|message| {
            let flag = scenario::Location {
                file: "--threads".into(),
                line: None,
                column: None,
                key: None,
            };
            viralsim::Error::from(scenario::ScenarioError::at(flag, message))
        })?;
        b = b.num_threads(n);
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
        s.set_runs(runs.into())?;
    }
    if let Some(seed) = common.seed {
        s.set_seed(seed)?;
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
    if let Some(flag) = run.and_then(|r| r.shard) {
        let r = run.expect("a shard is a run");
        return run_shard(scenario, flag, r, threads);
    }
    // Lock and check the output folder before the long work, so that one
    // that cannot be used is found at once.
    let out = run
        .map(|r| OutputDir::open(&r.out, &scenario.name))
        .transpose()?;
    let within = limits(common.max_memory, threads);
    let seed_bar = SeedBar::new(common.quiet);
    let prepared = pipeline::prepare_within(scenario, &within, &seed_bar);
    seed_bar.finish();
    let prepared = prepared?;
    if !common.quiet {
        note_cleaning(prepared.cleaning.as_ref(), &prepared.scenario.graph);
    }
    let Some(out) = out else {
        if !common.quiet {
            say(&fit::wrap(
                &format!(
                    "{}: ok ({} people, {} follower arcs, {} strategies)\n",
                    file.display(),
                    prepared.graph.nodes(),
                    prepared.graph.arcs(),
                    prepared.seeds.len()
                ),
                terminal_width(),
            ))?;
        }
        return Ok(());
    };
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
        bar.set_prefix(bar_label(&prepared.scenario.name));
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

    write_and_say(
        &prepared,
        &results,
        swept.as_ref(),
        out,
        threads,
        common.quiet,
    )
}

/// Write the outputs of a scenario's results into `out` and, unless
/// `quiet`, print the comparison table.
fn write_and_say(
    prepared: &pipeline::Prepared,
    results: &pipeline::Results,
    swept: Option<&sweep::SweepResults>,
    out: OutputDir,
    threads: usize,
    quiet: bool,
) -> anyhow::Result<()> {
    let sim = &prepared.scenario.simulation;
    let dir = out.path().to_path_buf();
    let report = Report {
        prepared,
        results,
        sweep: swept,
    };
    report::write_all(&report, out, &RunInfo::new(threads))?;
    if !quiet {
        let mut text = format!(
            "{} ({} runs, {} {}, {} people) -> {}\n",
            prepared.scenario.name,
            results.runs,
            sim.steps,
            sim.step.plural(),
            prepared.graph.nodes(),
            dir.display()
        );
        let width = terminal_width();
        text.push_str(&table::render(
            results,
            results.runs,
            prepared.graph.nodes(),
            width,
        ));
        text.push_str(&table::delay_lines(results, results.runs, sim.step));
        if let Some(swept) = swept {
            text.push_str(&table::sweep_lines(swept));
        }
        say(&fit::wrap(&text, width))?;
    }
    Ok(())
}

/// `run --shard`: simulate this shard's runs and write its folder.
fn run_shard(
    scenario: Scenario,
    flag: ShardFlag,
    args: &RunArgs,
    threads: usize,
) -> anyhow::Result<()> {
    let flag_error = |message: String| {
        let at = scenario::Location {
            file: "--shard".into(),
            line: None,
            column: None,
            key: None,
        };
        viralsim::Error::from(scenario::ScenarioError::at(at, message))
    };
    let shard = match flag {
        ShardFlag::Given(s) => match args.shards {
            Some(n) if n != s.count => {
                return Err(flag_error(format!(
                    "--shard {}/{} and --shards {n} disagree on the number of shards",
                    s.index, s.count
                ))
                .into())
            }
            _ => s,
        },
        ShardFlag::Auto => Shard::from_environment(&|name| std::env::var(name).ok(), args.shards)
            .map_err(flag_error)?,
    };
    shard::check_shardable(&scenario)?;
    let quiet = args.common.quiet;
    let within = limits(args.common.max_memory, threads);
    let name = scenario.name.to_string();
    let runs = scenario.simulation.runs;
    let seed_bar = SeedBar::new(quiet);
    let bar = if quiet {
        ProgressBar::hidden()
    } else {
        let range = shard.range(runs);
        let points = scenario.sweep.as_ref().map_or(0, |s| s.points().len()) as u64;
        let units = pipeline::units(&scenario).len() as u64;
        let bar = ProgressBar::with_draw_target(
            Some((range.end - range.start) as u64 * units * (1 + points)),
            ProgressDrawTarget::stderr(),
        );
        bar.set_style(
            ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} runs, {eta} left")
                .expect("the template is valid")
                .progress_chars("=> "),
        );
        bar.set_prefix(bar_label(&name));
        bar
    };
    let written = shard::run(scenario, shard, &args.out, &within, &seed_bar, &|n| {
        bar.inc(n)
    });
    seed_bar.finish();
    bar.finish_and_clear();
    let dir = written?;
    if !quiet {
        let range = shard.range(runs);
        say(&fit::wrap(
            &format!(
                "{name}: shard {} of {} (runs {} to {} of {runs}) -> {}\n",
                shard.index,
                shard.count,
                range.start,
                range.end.max(1) - 1,
                dir.display()
            ),
            terminal_width(),
        ))?;
    }
    Ok(())
}

/// `merge`: the outputs of the shard folders, as one run writes them.
fn merge(args: &MergeArgs, threads: usize) -> anyhow::Result<()> {
    let within = limits(args.max_memory, threads);
    let seed_bar = SeedBar::new(args.quiet);
    let merged = shard::merge(&args.dirs, &within, &seed_bar);
    seed_bar.finish();
    let merged = merged?;
    if !args.quiet {
        note_cleaning(
            merged.prepared.cleaning.as_ref(),
            &merged.prepared.scenario.graph,
        );
    }
    let out = OutputDir::open(&args.out, &merged.prepared.scenario.name)?;
    write_and_say(
        &merged.prepared,
        &merged.results,
        merged.sweep.as_ref(),
        out,
        threads,
        args.quiet,
    )
}

/// The width printed text must fit: `COLUMNS` when it is set to a
/// number, else the terminal's width, else (not a terminal) 100.
fn terminal_width() -> usize {
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&c| c > 0)
    {
        return columns;
    }
    match console::Term::stdout().size_checked() {
        Some((_, columns)) if columns > 0 => usize::from(columns),
        _ => 100,
    }
}

fn note_cleaning(cleaning: Option<&Cleaning>, source: &scenario::GraphSource) {
    if let (Some(c), scenario::GraphSource::EdgeList { path, .. }) = (cleaning, source) {
        if c.self_loops > 0 || c.duplicates > 0 {
            note(format_args!(
                "note: {}: dropped {} self-loop line(s), merged {} duplicate edge line(s) of {}",
                path.display(),
                c.self_loops,
                c.duplicates,
                c.lines
            ));
        }
    }
}

/// A bar per strategy that takes a while to choose: "choosing seeds: celf
/// [====>    ] 40/100 people", on stderr.
/// A name as a progress bar shows it: cut to [`BAR_LABEL`] characters,
/// so that the bar's line fits a terminal of 100 columns whatever the name.
fn bar_label(name: &str) -> String {
    if name.chars().count() <= BAR_LABEL {
        return name.to_string();
    }
    let kept: String = name.chars().take(BAR_LABEL - 3).collect();
    format!("{}...", kept.trim_end())
}

/// Most characters of a name a progress bar shows.
const BAR_LABEL: usize = 24;

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
                    "choosing seeds: {prefix} [{bar:30}] {pos}/{len} {msg} ({elapsed})",
                )
                .expect("the template is valid")
                .progress_chars("=> "),
            );
            bar.set_prefix(bar_label(name));
            bar.set_message(unit);
            bar.set_draw_target(ProgressDrawTarget::stderr());
            // The work may go on past the bar's end (imm's greedy cover):
            // the clock keeps ticking.
            bar.enable_steady_tick(std::time::Duration::from_millis(250));
            *shown = Some((name.to_string(), unit, bar));
        }
        if let Some((_, _, bar)) = &*shown {
            bar.set_length(total);
            bar.set_position(done);
        }
    }

    fn reading(&self, file: &str, bytes: u64) {
        if self.quiet {
            return;
        }
        let Ok(mut shown) = self.shown.lock() else {
            return;
        };
        if let Some((_, _, old)) = shown.take() {
            old.finish_and_clear();
        }
        // The reader counts its bytes as it goes; the bar asks at each tick.
        let bar = ProgressBar::hidden();
        bar.set_length(bytes.max(1));
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} loading the network: {prefix}, {read} of {total_bytes} read ({elapsed})",
            )
            .expect("the template is valid")
            .with_key("read", |_: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(
                    w,
                    "{}",
                    indicatif::HumanBytes(viralsim::graph::edgelist::bytes_read())
                );
            }),
        );
        bar.set_prefix(bar_label(file));
        bar.set_draw_target(ProgressDrawTarget::stderr());
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
        *shown = Some((String::new(), "", bar));
    }

    fn phase(&self, what: &str) {
        if self.quiet {
            return;
        }
        let Ok(mut shown) = self.shown.lock() else {
            return;
        };
        if let Some((_, _, old)) = shown.take() {
            old.finish_and_clear();
        }
        let spinner = ProgressBar::hidden();
        spinner.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .expect("the template is valid"),
        );
        spinner.set_message(fit::clip(what, 60));
        spinner.set_draw_target(ProgressDrawTarget::stderr());
        spinner.enable_steady_tick(std::time::Duration::from_millis(120));
        // A phase is no strategy's bar: the next `advance` replaces it.
        *shown = Some((String::new(), "", spinner));
    }
}
