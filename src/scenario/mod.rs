//! Scenario files: reading the TOML, refusing unknown keys and wrong types,
//! and checking every value once, here at the edge, into a [`Scenario`] the
//! rest of the pipeline trusts. Every error names the file, line, column and
//! key, and what is allowed. The keys are documented in docs/scenario.md.

mod campaign_keys;
mod config;
mod goal_keys;
mod graph_keys;
mod grid;
mod locate;
mod name;
mod overrides;
mod raw;
mod run_keys;
mod segment_keys;
pub mod starter;
mod strategy_keys;
mod words;

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::model::MODELS;
use crate::strategy;

pub use config::*;
pub use grid::{
    describe_point, SweepAxis, SweepSpec, DEFAULT_TIPPING_FRACTION, MAX_SWEEP_POINTS,
    STICKINESS_KEY,
};
pub use locate::{Location, Locator, Step};
pub use name::{is_valid_name, Name, NAME_RULE};
pub use overrides::Overrides;
use raw::*;
pub use words::axis_title;

/// The scenario format version this build reads.
pub const VERSION: i64 = 1;

/// Largest scenario file read (scenario files are small; a huge file is a
/// mistake, e.g. an edge list passed as the scenario).
pub const MAX_SCENARIO_BYTES: u64 = 1 << 20;

/// Largest results table kept in memory: runs x (steps + 1) x metrics x
/// strategies x 4 bytes.
pub const MAX_RESULT_BYTES: u64 = 8 << 30;

/// A scenario that cannot be used.
#[derive(Debug, Error)]
pub enum ScenarioError {
    #[error("cannot read scenario {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{location}: {message}")]
    Invalid { location: Location, message: String },
}

impl ScenarioError {
    /// An error at `location`.
    pub fn at(location: Location, message: impl Into<String>) -> ScenarioError {
        ScenarioError::Invalid {
            location,
            message: message.into(),
        }
    }
}

/// Read and check the scenario file at `path`: a regular file of at most
/// [`MAX_SCENARIO_BYTES`] bytes (counted as it is read, not taken from its
/// reported size).
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    use std::io::Read;
    let read_err = |source| ScenarioError::Read {
        path: path.to_path_buf(),
        source,
    };
    let at_file = |message: String| ScenarioError::at(Locator::new(path, "").file(), message);
    // Opening a pipe would wait for a writer, and a device may never end.
    let meta = std::fs::metadata(path).map_err(read_err)?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a folder"
        } else {
            "not a regular file (a pipe or a device)"
        };
        return Err(at_file(format!(
            "this is {what}; a scenario is a .toml file (`viralsim init NAME` writes one)"
        )));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_SCENARIO_BYTES + 1).read_to_end(&mut bytes))
        .map_err(read_err)?;
    if bytes.len() as u64 > MAX_SCENARIO_BYTES {
        return Err(at_file(format!(
            "the file is more than {MAX_SCENARIO_BYTES} bytes; a scenario file is at most {MAX_SCENARIO_BYTES} bytes (is this an edge list? point [graph] edges at it instead)"
        )));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        at_file(format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    parse(path, &text)
}

/// Check scenario `text`, read from `path` (relative edge-list paths are
/// resolved against its folder).
pub fn parse(path: &Path, text: &str) -> Result<Scenario, ScenarioError> {
    check(path, text, false)
}

/// Check the text of one `[sweep]` point: like [`parse`], with the
/// `[sweep]` table left alone.
fn parse_point(path: &Path, text: &str) -> Result<Scenario, ScenarioError> {
    check(path, text, true)
}

fn check(path: &Path, text: &str, point: bool) -> Result<Scenario, ScenarioError> {
    let locator = Locator::new(path, text);
    let raw: RawScenario = toml::from_str(text).map_err(|e| {
        // toml gives a missing top-level key the span of the top level's
        // own lines (empty when there are none), a missing key of a table
        // the span of its `[header]`: the top level's place is the file.
        let top_level = |span: &std::ops::Range<usize>| {
            span.start == 0 && !text.get(span.clone()).is_some_and(|t| t.starts_with('['))
        };
        let location = match e.span() {
            Some(span) if !top_level(&span) => locator.at_offset(span.start),
            _ => locator.file(),
        };
        let message = words::plain_words(e.message().trim(), location.key.as_deref());
        ScenarioError::at(location, message)
    })?;
    Checker {
        locator: &locator,
        point,
    }
    .scenario(path, text, raw)
}

struct Checker<'a> {
    locator: &'a Locator,
    /// Checking one point of a sweep: `[sweep]` is not looked at.
    point: bool,
}

type Checked<T> = Result<T, ScenarioError>;

impl Checker<'_> {
    fn err<T>(&self, path: &[Step], message: impl Into<String>) -> Checked<T> {
        Err(ScenarioError::at(self.locator.at(path), message))
    }

    fn scenario(&self, path: &Path, text: &str, raw: RawScenario) -> Checked<Scenario> {
        if raw.version != VERSION {
            return self.err(
                &[Step::Key("version")],
                format!(
                    "version {} is not supported; this viralsim reads version {VERSION}",
                    raw.version
                ),
            );
        }
        let name = match &raw.name {
            Some(n) => Name::new(n).or_else(|n| {
                self.err(
                    &[Step::Key("name")],
                    format!(
                        "name {} names the output folder: use {NAME_RULE}",
                        name::quoted(n)
                    ),
                )
            })?,
            None => self.name_from_file(path)?,
        };
        let graph = self.graph(path, &raw.graph)?;
        let segment_file = self.segment_file(path, &raw.graph, &graph)?;
        let people_file = self.people_file(path, &raw.graph)?;
        // Whether the people file has a `segment` column is known once it
        // is read; keys that need segments are checked again then.
        let has_segments = segment_file.is_some()
            || people_file.is_some()
            || graph.plants_segments()
            || graph.is_binary();
        let half_life = match raw.content.half_life {
            Some(h) => Some(self.float_in(
                &[Step::Key("content"), Step::Key("half_life")],
                h,
                f64::MIN_POSITIVE,
                f64::MAX,
                "a half-life is a number of steps above 0",
            )?),
            None => None,
        };
        let stickiness = self.probability(
            &[Step::Key("content"), Step::Key("stickiness")],
            raw.content.stickiness,
        )?;
        let (trust, segment_trust) = match &raw.trust {
            Some(t) => self.trust(t, has_segments)?,
            None => (TrustSpec::Constant { value: 1.0 }, None),
        };
        let target = match &raw.target {
            Some(t) => Some(TargetSpec {
                segments: self.segment_names(
                    &[Step::Key("target"), Step::Key("segments")],
                    &t.segments,
                    has_segments,
                )?,
            }),
            None => None,
        };
        let simulation = self.simulation(raw.simulation.as_ref())?;
        let paid = match &raw.paid {
            Some(p) => Some(self.paid(p, &simulation)?),
            None => None,
        };
        if half_life.is_some() && !simulation.model.fades {
            return self.err(
                &[Step::Key("content"), Step::Key("half_life")],
                format!(
                    "novelty decay works with model = {}, not \"{}\": remove half_life or change the model",
                    ModelKind::names_that(|m| m.fades),
                    simulation.model.name
                ),
            );
        }
        let conversion = match &raw.conversion {
            Some(c) => Some(self.conversion(c)?),
            None => None,
        };
        let costs = match &raw.costs {
            Some(c) => self.costs(path, c)?,
            None => CostSpec::default(),
        };
        let rival = match &raw.rival {
            Some(r) => Some(self.rival(r, &simulation, has_segments)?),
            None => None,
        };
        let resonance = self.resonance(&raw, has_segments)?;
        let activity = self.activity(&raw, &simulation, has_segments)?;
        if raw.strategy.is_empty() {
            return self.err(&[], "no [[strategy]] table: add at least one seeding strategy (kind = \"random\", \"top-degree\" or \"explicit\")");
        }
        let mut strategy_ad_resonance = Vec::with_capacity(raw.strategy.len());
        let strategies = raw
            .strategy
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let mut spec = self.strategy(SeedingTable::Strategy(i), s, has_segments)?;
                if let Some(ads) = s.keys.get("ads") {
                    spec.ads = Some(self.strategy_ads(i, ads, &simulation, paid.as_ref())?);
                }
                strategy_ad_resonance.push(self.strategy_ad_table(
                    i,
                    s.keys.get("ads"),
                    has_segments,
                )?);
                Ok(spec)
            })
            .collect::<Checked<Vec<_>>>()?;
        let mut strategies = strategies;
        for (i, (spec, s)) in strategies.iter_mut().zip(&raw.strategy).enumerate() {
            spec.start_step = self.start_step(i, s, &simulation)?;
        }
        for (i, s) in strategies.iter().enumerate() {
            if let Some(j) = strategies[..i].iter().position(|o| o.name == s.name) {
                return self.err(
                    &[Step::Key("strategy"), Step::Index(i), Step::Key("name")],
                    format!("strategy name \"{}\" is already used by strategy[{j}]; names label the results and must differ", s.name),
                );
            }
        }
        let counted = goal_keys::Counted {
            conversion,
            target: target.is_some(),
            rival: rival.is_some(),
        };
        let goal = self.goal(raw.goal.as_ref(), &counted)?;
        self.strategy_goals(&strategies, goal, &counted)?;
        if let Some(rival) = &rival {
            self.rival_goal(rival)?;
        }
        let charts = self.charts(raw.output.as_ref())?;
        let mut scenario = Scenario {
            strategy_ad_resonance,
            name,
            path: path.to_path_buf(),
            text: text.to_string(),
            graph,
            segment_file,
            people_file,
            stickiness,
            half_life,
            trust,
            segment_trust,
            target,
            simulation,
            costs,
            conversion,
            paid,
            rival,
            resonance,
            activity,
            goal,
            strategies,
            charts,
            sweep: None,
            overrides: Overrides::default(),
        };
        self.check_size(&scenario)?;
        if !self.point {
            scenario.sweep = self.sweep(path, text)?;
        }
        Ok(scenario)
    }

    /// The name of a scenario without `name`: its file name without the
    /// extension, if that follows the rule; the output folder must stay
    /// inside `--out` whatever the file is called.
    fn name_from_file(&self, path: &Path) -> Checked<Name> {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        Name::new(&stem).map_err(|stem| {
            ScenarioError::at(
                self.locator.file(),
                format!(
                    "the scenario has no `name`, and its file name {} cannot name the output folder ({NAME_RULE}): add a name at the top, e.g. name = \"{}\"",
                    name::quoted(stem),
                    Name::suggest(stem)
                ),
            )
        })
    }

    fn probability(&self, path: &[Step], v: f64) -> Checked<f64> {
        if !(0.0..=1.0).contains(&v) {
            return self.err(
                path,
                format!("{v} is not a probability: allowed range [0, 1]"),
            );
        }
        Ok(v)
    }

    fn int_in(&self, path: &[Step], v: i64, lo: i64, hi: i64) -> Checked<i64> {
        if v < lo || v > hi {
            return self.err(path, format!("{v} is out of range: allowed {lo} to {hi}"));
        }
        Ok(v)
    }

    fn float_in(&self, path: &[Step], v: f64, lo: f64, hi: f64, what: &str) -> Checked<f64> {
        if !v.is_finite() || v < lo || v > hi {
            return self.err(path, format!("{v} is out of range: {what}"));
        }
        Ok(v)
    }
}

/// Why a segment key cannot be used on a graph without segments.
const NO_SEGMENTS: &str = "the graph has no segments: give [graph] segments = \"file\" (lines `id segment`) or use generator stochastic-block, whose communities are segments";

/// Steepest growth of cost with followers, `[costs] exponent`.
pub const MAX_COST_EXPONENT: f64 = 3.0;

/// Runs per strategy when `[simulation] runs` is not given.
pub const DEFAULT_RUNS: u32 = 1000;
/// `[simulation] ci_half_width` when not given with runs = "auto": every
/// strategy's 95% CI within ±1% of its mean.
pub const DEFAULT_CI_HALF_WIDTH: f64 = 0.01;
/// `[simulation] max_runs` when not given with runs = "auto".
pub const DEFAULT_MAX_RUNS: u32 = 100_000;
/// Steps when `[simulation] steps` is not given.
pub const DEFAULT_STEPS: u32 = 30;
/// Most `[rival] response_delays` a scenario may list: each is every
/// strategy's runs again.
pub const MAX_RESPONSE_DELAYS: usize = 20;
/// Run seed when `[simulation] seed` is not given.
pub const DEFAULT_SEED: u64 = 1;
/// Most runs per strategy.
pub const MAX_RUNS: u32 = 100_000_000;
/// Most steps.
pub const MAX_STEPS: u32 = 100_000;

/// Largest generated graph, in people.
pub const MAX_GENERATED_NODES: u32 = 100_000_000;
/// Largest seed (`[simulation] seed`, `[graph] seed`, `--seed`): a TOML
/// integer holds at most 2^63 - 1, and a seed given on the command line
/// must fit in the scenario file too.
pub const MAX_SEED: u64 = i64::MAX as u64;

/// Check a run count, `[simulation] runs` or `max_runs` or `--runs`: the
/// count, or what is allowed in words. Wider than i64 so a flag's text can
/// be checked whatever number it holds.
pub fn check_runs(runs: i128) -> Result<u32, String> {
    if (2..=MAX_RUNS as i128).contains(&runs) {
        Ok(runs as u32)
    } else {
        Err(runs_out_of_range(runs))
    }
}

/// Why `runs` (as written) cannot be a run count.
pub fn runs_out_of_range(runs: impl std::fmt::Display) -> String {
    format!("{runs} is out of range: allowed 2 to {MAX_RUNS} (a confidence interval needs at least 2 runs)")
}

/// Check a seed, a scenario's `seed` key or `--seed`: the seed, or what is
/// allowed in words.
pub fn check_seed(seed: i128) -> Result<u64, String> {
    if (0..=MAX_SEED as i128).contains(&seed) {
        Ok(seed as u64)
    } else {
        Err(seed_out_of_range(seed))
    }
}

/// Why `seed` (as written) cannot be a seed.
pub fn seed_out_of_range(seed: impl std::fmt::Display) -> String {
    format!("{seed} is out of range: allowed 0 to 2^63 - 1 = {MAX_SEED}")
}

/// An error at a command-line flag such as `--runs`.
fn flag_error(flag: &str, message: String) -> ScenarioError {
    ScenarioError::at(
        Location {
            file: flag.into(),
            line: None,
            column: None,
            key: None,
        },
        message,
    )
}

impl Scenario {
    /// Override the run count (from the command line), checked like the key.
    pub fn set_runs(&mut self, runs: u64) -> Result<(), ScenarioError> {
        let runs = check_runs(runs.into()).map_err(|m| flag_error("--runs", m))?;
        self.simulation.runs = runs;
        self.simulation.auto = None;
        self.overrides.runs = Some(runs);
        let locator = Locator::new(&self.path, &self.text);
        Checker {
            locator: &locator,
            point: true,
        }
        .check_size(self)
    }

    /// Override the run seed (from the command line), checked like the key.
    pub fn set_seed(&mut self, seed: u64) -> Result<(), ScenarioError> {
        let seed = check_seed(seed.into()).map_err(|m| flag_error("--seed", m))?;
        self.simulation.seed = seed;
        self.overrides.seed = Some(seed);
        Ok(())
    }

    /// Metrics every run records: the model's rows, then the tallies'.
    pub fn metric_count(&self) -> u64 {
        // Strategies record the same rows (see [`Scenario::spread_of`]).
        let spread = self.spread_of(0);
        let tallies = crate::model::Tally::rows(self.conversion.is_some(), self.target.is_some());
        ((spread.model.rows)(&spread).len() + tallies.len()) as u64
    }

    /// Check that every run's record fits in [`MAX_RESULT_BYTES`]: runs x
    /// ((steps + 1) x metrics + `segment_slots`) x strategies x 4 bytes,
    /// `segment_slots` being the per-segment final counts of a run (reach
    /// and sharers, two per segment slot)
    /// and runs the most runs that may be made (with runs = "auto",
    /// `max_runs`). The error message says what to lower.
    pub fn check_result_size(&self, segment_slots: u64) -> Result<(), String> {
        let metrics = self.metric_count();
        let steps = self.simulation.steps as u64 + 1;
        let runs_key = if self.simulation.auto.is_some() {
            "max_runs"
        } else {
            "runs"
        };
        let bytes = (self.simulation.max_runs() as u64)
            .saturating_mul(steps * metrics + segment_slots)
            .saturating_mul(self.strategies.len() as u64)
            .saturating_mul(4);
        if bytes <= MAX_RESULT_BYTES {
            return Ok(());
        }
        let per_segment = if segment_slots > 0 {
            format!(" + 2 x {} segments", segment_slots / 2)
        } else {
            String::new()
        };
        Err(format!(
            "{runs_key} x ((steps + 1) x metrics{}) x strategies = {} x ({steps} x {metrics}{per_segment}) x {} needs {:.1} GiB of results; at most {} GiB: lower {runs_key} or steps{}",
            if segment_slots > 0 { " + 2 x segments" } else { "" },
            self.simulation.max_runs(),
            self.strategies.len(),
            bytes as f64 / (1u64 << 30) as f64,
            MAX_RESULT_BYTES >> 30,
            if segment_slots > 0 { " (reach and sharers are counted per segment in every run)" } else { "" }
        ))
    }

    /// The location of `[target] segments[i]` in the scenario file.
    pub fn target_location(&self, i: usize) -> Location {
        Locator::new(&self.path, &self.text).at(&[
            Step::Key("target"),
            Step::Key("segments"),
            Step::Index(i),
        ])
    }

    /// The location of `rest` (a key, an element of a list) inside a
    /// strategy's (or the rival's) table in the scenario file.
    pub fn strategy_location(&self, table: SeedingTable, rest: &[Step]) -> Location {
        Locator::new(&self.path, &self.text).at(&table.path(rest))
    }

    /// The location of `[costs] key` in the scenario file.
    pub fn costs_location(&self, key: &str) -> Location {
        Locator::new(&self.path, &self.text).at(&[Step::Key("costs"), Step::Key(key)])
    }

    /// The location of `[trust] key` in the scenario file.
    pub fn trust_location(&self, key: &str) -> Location {
        Locator::new(&self.path, &self.text).at(&[Step::Key("trust"), Step::Key(key)])
    }

    /// The location of `[graph] key` in the scenario file.
    pub fn graph_location(&self, key: &str) -> Location {
        Locator::new(&self.path, &self.text).at(&[Step::Key("graph"), Step::Key(key)])
    }
}
