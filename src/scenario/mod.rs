//! Scenario files: reading the TOML, refusing unknown keys and wrong types,
//! and checking every value once, here at the edge, into a [`Scenario`] the
//! rest of the pipeline trusts. Every error names the file, line, column and
//! key, and what is allowed. The keys are documented in docs/scenario.md.

mod config;
mod locate;
mod raw;
pub mod starter;
mod sweep;

use std::path::{Path, PathBuf};

use thiserror::Error;

pub use config::*;
pub use locate::{Location, Locator, Step};
use raw::*;
pub use sweep::{
    describe_point, SweepAxis, SweepSpec, DEFAULT_TIPPING_FRACTION, MAX_SWEEP_POINTS,
    STICKINESS_KEY,
};

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

/// What a scenario name may be, in words.
pub const NAME_RULE: &str = "1 to 100 letters, digits, '-', '_' or '.', not starting with '.'";

/// Whether `name` may name a scenario (and so its output folder): see
/// [`NAME_RULE`].
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        && !name.starts_with('.')
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
        let location = match e.span() {
            Some(span) => locator.at_offset(span.start),
            None => locator.file(),
        };
        ScenarioError::at(location, plain_words(e.message().trim()))
    })?;
    Checker {
        locator: &locator,
        point,
    }
    .scenario(path, text, raw)
}

/// serde's type names in the words of a scenario file.
fn plain_words(message: &str) -> String {
    message
        .replace("expected i64", "expected a whole number")
        .replace("expected f64", "expected a number")
        .replace("expected a string", "expected text in quotes")
        .replace("expected a sequence", "expected a list like [1, 2]")
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
        let name = match raw.name {
            Some(n) => {
                if !is_valid_name(&n) {
                    return self.err(
                        &[Step::Key("name")],
                        format!("name \"{n}\" names the output folder: use {NAME_RULE}"),
                    );
                }
                n
            }
            None => path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "scenario".into()),
        };
        let graph = self.graph(path, &raw.graph)?;
        let segment_file = self.segment_file(path, &raw.graph, &graph)?;
        let has_segments = segment_file.is_some() || graph.plants_segments();
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
        if half_life.is_some() && simulation.model != ModelKind::IndependentCascade {
            return self.err(
                &[Step::Key("content"), Step::Key("half_life")],
                format!(
                    "novelty decay works with model = \"independent-cascade\", not \"{}\": remove half_life or change the model",
                    simulation.model.name()
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
        if raw.strategy.is_empty() {
            return self.err(&[], "no [[strategy]] table: add at least one seeding strategy (kind = \"random\", \"top-degree\" or \"explicit\")");
        }
        let strategies = raw
            .strategy
            .iter()
            .enumerate()
            .map(|(i, s)| self.strategy(SeedingTable::Strategy(i), s, has_segments))
            .collect::<Checked<Vec<_>>>()?;
        for (i, s) in strategies.iter().enumerate() {
            if let Some(j) = strategies[..i].iter().position(|o| o.name == s.name) {
                return self.err(
                    &[Step::Key("strategy"), Step::Index(i), Step::Key("name")],
                    format!("strategy name \"{}\" is already used by strategy[{j}]; names label the results and must differ", s.name),
                );
            }
        }
        let charts = self.charts(raw.output.as_ref())?;
        let mut scenario = Scenario {
            name,
            path: path.to_path_buf(),
            text: text.to_string(),
            graph,
            segment_file,
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
            strategies,
            charts,
            sweep: None,
        };
        self.check_size(&scenario)?;
        if !self.point {
            scenario.sweep = self.sweep(path, text)?;
        }
        Ok(scenario)
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

    fn graph(&self, scenario_path: &Path, g: &RawGraph) -> Checked<GraphSource> {
        let key = |k: &'static str| [Step::Key("graph"), Step::Key(k)];
        let given: Vec<&'static str> = [
            ("nodes", g.nodes.is_some()),
            ("edges_per_node", g.edges_per_node.is_some()),
            ("mean_degree", g.mean_degree.is_some()),
            ("neighbors", g.neighbors.is_some()),
            ("rewire", g.rewire.is_some()),
            ("communities", g.communities.is_some()),
            ("community_size", g.community_size.is_some()),
            ("mean_degree_in", g.mean_degree_in.is_some()),
            ("mean_degree_out", g.mean_degree_out.is_some()),
            ("exponent", g.exponent.is_some()),
            ("triangle_prob", g.triangle_prob.is_some()),
            ("seed", g.seed.is_some()),
            ("directed", g.directed.is_some()),
        ]
        .into_iter()
        .filter_map(|(k, present)| present.then_some(k))
        .collect();

        match (&g.generator, &g.edges) {
            (Some(_), Some(_)) => self.err(
                &key("edges"),
                "give either `generator` (a random graph) or `edges` (an edge-list file), not both",
            ),
            (None, None) => self.err(
                &[Step::Key("graph")],
                "[graph] needs `generator` (erdos-renyi, barabasi-albert, watts-strogatz, stochastic-block, powerlaw, holme-kim) or `edges` (an edge-list file)",
            ),
            (None, Some(edges)) => {
                if let Some(k) = given.iter().find(|k| **k != "directed") {
                    return self.err(
                        &key(k),
                        format!("`{k}` is a generator key; a graph read from `edges` takes only `directed`"),
                    );
                }
                let rel = Path::new(edges);
                let base = scenario_path.parent().unwrap_or(Path::new(""));
                Ok(GraphSource::EdgeList {
                    path: if rel.is_absolute() { rel.to_path_buf() } else { base.join(rel) },
                    directed: g.directed.unwrap_or(false),
                })
            }
            (Some(generator), None) => {
                let allowed: &[&str] = match generator.as_str() {
                    "erdos-renyi" => &["nodes", "mean_degree"],
                    "barabasi-albert" => &["nodes", "edges_per_node"],
                    "watts-strogatz" => &["nodes", "neighbors", "rewire"],
                    "stochastic-block" => &["communities", "community_size", "mean_degree_in", "mean_degree_out"],
                    "powerlaw" => &["nodes", "exponent", "mean_degree"],
                    "holme-kim" => &["nodes", "edges_per_node", "triangle_prob"],
                    other => {
                        return self.err(
                            &key("generator"),
                            format!("unknown generator \"{other}\": allowed erdos-renyi, barabasi-albert, watts-strogatz, stochastic-block, powerlaw, holme-kim"),
                        )
                    }
                };
                for k in &given {
                    if *k != "seed" && !allowed.contains(k) {
                        return self.err(
                            &key(k),
                            format!("`{k}` is not a key of generator {generator}; it takes {} and seed", allowed.join(", ")),
                        );
                    }
                }
                let need = |k: &'static str| -> Checked<()> {
                    if given.contains(&k) {
                        Ok(())
                    } else {
                        self.err(&[Step::Key("graph")], format!("generator {generator} needs `{k}` (it takes {} and seed)", allowed.join(", ")))
                    }
                };
                for k in allowed {
                    need(k)?;
                }
                let max = MAX_GENERATED_NODES as i64;
                let nodes = || -> Checked<u32> { Ok(self.int_in(&key("nodes"), g.nodes.unwrap_or(0), 2, max)? as u32) };
                let spec = match generator.as_str() {
                    "erdos-renyi" => {
                        let n = nodes()?;
                        let c = self.float_in(&key("mean_degree"), g.mean_degree.unwrap_or(0.0), 0.0, (n - 1) as f64, &format!("allowed 0 to nodes - 1 = {}", n - 1))?;
                        GeneratorSpec::ErdosRenyi { nodes: n, mean_degree: c }
                    }
                    "barabasi-albert" | "holme-kim" => {
                        let n = nodes()?;
                        let m = self.int_in(&key("edges_per_node"), g.edges_per_node.unwrap_or(0), 1, n as i64 - 1)? as u32;
                        if generator == "barabasi-albert" {
                            GeneratorSpec::BarabasiAlbert { nodes: n, edges_per_node: m }
                        } else {
                            let t = self.probability(&key("triangle_prob"), g.triangle_prob.unwrap_or(0.0))?;
                            GeneratorSpec::HolmeKim { nodes: n, edges_per_node: m, triangle_prob: t }
                        }
                    }
                    "watts-strogatz" => {
                        let n = nodes()?;
                        let k = self.int_in(&key("neighbors"), g.neighbors.unwrap_or(0), 2, n as i64 - 1)?;
                        if k % 2 != 0 {
                            return self.err(&key("neighbors"), format!("{k} must be even: each person links to neighbors/2 people on each side of the ring"));
                        }
                        let r = self.probability(&key("rewire"), g.rewire.unwrap_or(0.0))?;
                        GeneratorSpec::WattsStrogatz { nodes: n, neighbors: k as u32, rewire: r }
                    }
                    "stochastic-block" => {
                        let b = self.int_in(&key("communities"), g.communities.unwrap_or(0), 1, max / 2)?;
                        let s = self.int_in(&key("community_size"), g.community_size.unwrap_or(0), 2, max / b)?;
                        let din = self.float_in(&key("mean_degree_in"), g.mean_degree_in.unwrap_or(0.0), 0.0, (s - 1) as f64, &format!("allowed 0 to community_size - 1 = {}", s - 1))?;
                        let out_max = ((b - 1) * s) as f64;
                        let dout = self.float_in(&key("mean_degree_out"), g.mean_degree_out.unwrap_or(0.0), 0.0, out_max, &format!("allowed 0 to (communities - 1) * community_size = {out_max}"))?;
                        GeneratorSpec::StochasticBlock { communities: b as u32, community_size: s as u32, mean_degree_in: din, mean_degree_out: dout }
                    }
                    "powerlaw" => {
                        let n = nodes()?;
                        let e = self.float_in(&key("exponent"), g.exponent.unwrap_or(0.0), 2.01, 10.0, "allowed 2.01 to 10 (real social networks: 2.1 to 3.5)")?;
                        let c = self.float_in(&key("mean_degree"), g.mean_degree.unwrap_or(0.0), 0.01, (n as f64 - 1.0).sqrt(), &format!("allowed 0.01 to sqrt(nodes - 1) = {:.1}", (n as f64 - 1.0).sqrt()))?;
                        GeneratorSpec::Powerlaw { nodes: n, exponent: e, mean_degree: c }
                    }
                    _ => unreachable!("generator names are matched above"),
                };
                let seed = match g.seed {
                    Some(s) => self.int_in(&key("seed"), s, 0, i64::MAX)? as u64,
                    None => 1,
                };
                Ok(GraphSource::Generated { spec, seed })
            }
        }
    }

    /// `[graph] segments`: a file path, relative to the scenario's folder.
    fn segment_file(
        &self,
        scenario_path: &Path,
        g: &RawGraph,
        source: &GraphSource,
    ) -> Checked<Option<PathBuf>> {
        let Some(f) = &g.segments else {
            return Ok(None);
        };
        let key = [Step::Key("graph"), Step::Key("segments")];
        if source.plants_segments() {
            return self.err(
                &key,
                "generator stochastic-block already gives everyone a segment (their community, named 0, 1, ...); drop `segments` or use another generator",
            );
        }
        if f.trim().is_empty() {
            return self.err(
                &key,
                "`segments` is empty: name a file of `id segment` lines",
            );
        }
        let rel = Path::new(f);
        let base = scenario_path.parent().unwrap_or(Path::new(""));
        Ok(Some(if rel.is_absolute() {
            rel.to_path_buf()
        } else {
            base.join(rel)
        }))
    }

    /// A list of segment names at `path`: not empty, no repeats, and only
    /// on a graph with segments. Whether the names exist is checked once
    /// the graph is built.
    fn segment_names(
        &self,
        path: &[Step],
        names: &[SegmentName],
        has_segments: bool,
    ) -> Checked<Vec<String>> {
        if !has_segments {
            return self.err(path, NO_SEGMENTS);
        }
        if names.is_empty() {
            return self.err(path, "the list is empty: name at least one segment");
        }
        let mut out: Vec<String> = Vec::with_capacity(names.len());
        for (j, SegmentName(name)) in names.iter().enumerate() {
            let mut at = path.to_vec();
            at.push(Step::Index(j));
            if let Some(k) = out.iter().position(|o| o == name) {
                return self.err(
                    &at,
                    format!("segment \"{name}\" is listed twice (also at position {k})"),
                );
            }
            out.push(name.clone());
        }
        Ok(out)
    }

    fn trust(
        &self,
        t: &RawTrust,
        has_segments: bool,
    ) -> Checked<(TrustSpec, Option<SegmentTrust>)> {
        let key = |k: &'static str| [Step::Key("trust"), Step::Key(k)];
        let segment_trust = if t.same_segment.is_some() || t.other_segment.is_some() {
            let which = if t.same_segment.is_some() {
                "same_segment"
            } else {
                "other_segment"
            };
            if !has_segments {
                return self.err(&key(which), NO_SEGMENTS);
            }
            let factor = |k: &'static str, v: Option<f64>| -> Checked<f64> {
                match v {
                    Some(f) => self.float_in(
                        &key(k),
                        f,
                        0.0,
                        f64::MAX,
                        "a trust factor is a number, 0 or more (1 changes nothing)",
                    ),
                    None => Ok(1.0),
                }
            };
            Some(SegmentTrust {
                same_segment: factor("same_segment", t.same_segment)?,
                other_segment: factor("other_segment", t.other_segment)?,
            })
        } else {
            None
        };
        Ok((self.trust_distribution(t)?, segment_trust))
    }

    fn trust_distribution(&self, t: &RawTrust) -> Checked<TrustSpec> {
        let key = |k: &'static str| [Step::Key("trust"), Step::Key(k)];
        let Some(distribution) = &t.distribution else {
            // Only segment factors: they scale a trust of 1.
            let given = [
                ("value", t.value),
                ("low", t.low),
                ("high", t.high),
                ("alpha", t.alpha),
                ("beta", t.beta),
            ];
            if let Some((k, _)) = given.iter().find(|(_, v)| v.is_some()) {
                return self.err(
                    &key(k),
                    format!("`{k}` needs `distribution` (constant, uniform or beta)"),
                );
            }
            return Ok(TrustSpec::Constant { value: 1.0 });
        };
        let given = [
            ("value", t.value),
            ("low", t.low),
            ("high", t.high),
            ("alpha", t.alpha),
            ("beta", t.beta),
        ];
        let allowed: &[&str] = match distribution.as_str() {
            "constant" => &["value"],
            "uniform" => &["low", "high"],
            "beta" => &["alpha", "beta"],
            other => {
                return self.err(
                    &key("distribution"),
                    format!("unknown trust distribution \"{other}\": allowed constant (value), uniform (low, high), beta (alpha, beta)"),
                )
            }
        };
        for (k, v) in given {
            if v.is_some() && !allowed.contains(&k) {
                return self.err(
                    &key(k),
                    format!(
                        "`{k}` is not a key of trust distribution {}; it takes {}",
                        distribution,
                        allowed.join(", ")
                    ),
                );
            }
            if v.is_none() && allowed.contains(&k) {
                return self.err(
                    &[Step::Key("trust")],
                    format!("trust distribution {distribution} needs `{k}`"),
                );
            }
        }
        Ok(match distribution.as_str() {
            "constant" => TrustSpec::Constant {
                value: self.probability(&key("value"), t.value.unwrap_or(0.0))?,
            },
            "uniform" => {
                let low = self.probability(&key("low"), t.low.unwrap_or(0.0))?;
                let high = self.probability(&key("high"), t.high.unwrap_or(0.0))?;
                if high < low {
                    return self.err(&key("high"), format!("high {high} is below low {low}"));
                }
                TrustSpec::Uniform { low, high }
            }
            _ => {
                let what = "alpha and beta must be positive and at most 1e6";
                let alpha = self.float_in(
                    &key("alpha"),
                    t.alpha.unwrap_or(0.0),
                    f64::MIN_POSITIVE,
                    1e6,
                    what,
                )?;
                let beta = self.float_in(
                    &key("beta"),
                    t.beta.unwrap_or(0.0),
                    f64::MIN_POSITIVE,
                    1e6,
                    what,
                )?;
                TrustSpec::Beta { alpha, beta }
            }
        })
    }

    fn simulation(&self, s: Option<&RawSimulation>) -> Checked<SimulationSpec> {
        let key = |k: &'static str| [Step::Key("simulation"), Step::Key(k)];
        let model = match s.and_then(|s| s.model.as_deref()) {
            None | Some("independent-cascade") => ModelKind::IndependentCascade,
            Some("linear-threshold") => ModelKind::LinearThreshold,
            Some(other) => {
                return self.err(
                    &key("model"),
                    format!(
                        "unknown model \"{other}\": allowed {}",
                        ModelKind::NAMES.join(", ")
                    ),
                )
            }
        };
        let auto = match s.and_then(|s| s.runs.as_ref()) {
            Some(RawRuns::Word(w)) if w == "auto" => true,
            Some(RawRuns::Word(w)) => {
                return self.err(
                    &key("runs"),
                    format!("\"{w}\" is not allowed: expected a whole number (2 to {MAX_RUNS}) or \"auto\" (run until every strategy's 95% CI is within ci_half_width of its mean)"),
                )
            }
            _ => false,
        };
        let (runs, auto) = if auto {
            let ci_half_width = match s.and_then(|s| s.ci_half_width) {
                Some(h) if h.is_finite() && h > 0.0 && h < 1.0 => h,
                Some(h) => {
                    return self.err(
                        &key("ci_half_width"),
                        format!("{h} is out of range: the 95% CI's half width relative to the mean is above 0 and below 1 (0.01: within ±1% of the mean)"),
                    )
                }
                None => DEFAULT_CI_HALF_WIDTH,
            };
            let max_runs = match s.and_then(|s| s.max_runs) {
                Some(m) => self.runs(&key("max_runs"), m)?,
                None => DEFAULT_MAX_RUNS,
            };
            (
                max_runs,
                Some(AutoRuns {
                    ci_half_width,
                    max_runs,
                }),
            )
        } else {
            for (k, given) in [
                (
                    "ci_half_width",
                    s.is_some_and(|s| s.ci_half_width.is_some()),
                ),
                ("max_runs", s.is_some_and(|s| s.max_runs.is_some())),
            ] {
                if given {
                    return self.err(
                        &key(k),
                        format!("`{k}` works only with runs = \"auto\": remove it or set runs = \"auto\""),
                    );
                }
            }
            let runs = match s.and_then(|s| s.runs.as_ref()) {
                Some(&RawRuns::Count(r)) => self.runs(&key("runs"), r)?,
                _ => DEFAULT_RUNS,
            };
            (runs, None)
        };
        let steps = match s.and_then(|s| s.steps) {
            Some(t) => self.int_in(&key("steps"), t, 1, MAX_STEPS as i64)? as u32,
            None => DEFAULT_STEPS,
        };
        let seed = match s.and_then(|s| s.seed) {
            Some(v) => self.int_in(&key("seed"), v, 0, i64::MAX)? as u64,
            None => DEFAULT_SEED,
        };
        let step = match s.and_then(|s| s.step.as_deref()) {
            None => TimeUnit::Step,
            Some(name) => match TimeUnit::NAMES.iter().position(|&n| n == name) {
                Some(i) => TimeUnit::ALL[i],
                None => {
                    return self.err(
                        &key("step"),
                        format!(
                            "unknown time unit \"{name}\": allowed {}",
                            TimeUnit::NAMES.join(", ")
                        ),
                    )
                }
            },
        };
        Ok(SimulationSpec {
            model,
            step,
            runs,
            auto,
            steps,
            seed,
        })
    }

    fn runs(&self, path: &[Step], r: i64) -> Checked<u32> {
        if r < 2 || r > MAX_RUNS as i64 {
            return self.err(path, format!("{r} is out of range: allowed 2 to {MAX_RUNS} (a confidence interval needs at least 2 runs)"));
        }
        Ok(r as u32)
    }

    fn strategy(
        &self,
        at: SeedingTable,
        s: &RawStrategy,
        has_segments: bool,
    ) -> Checked<StrategySpec> {
        let key = |k: &'static str| at.path(&[Step::Key(k)]);
        let table = at.path(&[]);
        // Keys beyond name and kind, and which kinds take them.
        // Every kind but `explicit` takes a count.
        let counted: Vec<&str> = StrategyKind::NAMES
            .iter()
            .copied()
            .filter(|k| *k != "explicit")
            .collect();
        let extra: [(&str, bool, &[&str]); 7] = [
            ("count", s.count.is_some(), &counted),
            ("budget", s.budget.is_some(), &counted),
            ("nodes", s.nodes.is_some(), &["explicit"]),
            ("damping", s.damping.is_some(), &["pagerank"]),
            ("runs", s.runs.is_some(), &["celf"]),
            ("epsilon", s.epsilon.is_some(), &["imm"]),
            ("ell", s.ell.is_some(), &["imm"]),
        ];
        if !StrategyKind::NAMES.contains(&s.kind.as_str()) {
            return self.err(
                &key("kind"),
                format!(
                    "unknown strategy kind \"{}\": allowed {}",
                    s.kind,
                    StrategyKind::NAMES.join(", ")
                ),
            );
        }
        for (k, given, kinds) in extra {
            if given && !kinds.contains(&s.kind.as_str()) {
                let takes: Vec<&str> = extra
                    .iter()
                    .filter(|(_, _, ks)| ks.contains(&s.kind.as_str()))
                    .map(|(k, _, _)| *k)
                    .collect();
                return self.err(
                    &key(k),
                    format!(
                        "`{k}` is not a key of strategy kind \"{}\"; it takes {}",
                        s.kind,
                        takes.join(", ")
                    ),
                );
            }
        }
        let limit = || -> Checked<Limit> {
            match (s.count, s.budget) {
                (Some(_), Some(_)) => self.err(
                    &key("budget"),
                    "give either `count` (how many people) or `budget` (how much money), not both",
                ),
                (Some(c), None) => Ok(Limit::Count(
                    self.int_in(&key("count"), c, 0, u32::MAX as i64)? as u32,
                )),
                (None, Some(b)) => {
                    if !(b.is_finite() && b > 0.0) {
                        return self.err(
                            &key("budget"),
                            format!("{b} is out of range: a budget is money to spend, above 0"),
                        );
                    }
                    Ok(Limit::Budget(b))
                }
                (None, None) => self.err(
                    &table,
                    format!(
                        "strategy kind \"{}\" needs `count`, the number of people to seed, or `budget`, the money to spend on seeding them",
                        s.kind
                    ),
                ),
            }
        };
        let kind = match s.kind.as_str() {
            "random" => StrategyKind::Random { limit: limit()? },
            "top-degree" => StrategyKind::TopDegree { limit: limit()? },
            "degree-discount" => StrategyKind::DegreeDiscount { limit: limit()? },
            "coreness" => StrategyKind::Coreness { limit: limit()? },
            "community-spread" => StrategyKind::CommunitySpread { limit: limit()? },
            "pagerank" => {
                let damping = match s.damping {
                    Some(d) if d > 0.0 && d < 1.0 => d,
                    Some(d) => {
                        return self.err(
                            &key("damping"),
                            format!(
                                "{d} is out of range: allowed above 0 and below 1 (usually 0.85)"
                            ),
                        )
                    }
                    None => DEFAULT_DAMPING,
                };
                StrategyKind::PageRank {
                    limit: limit()?,
                    damping,
                }
            }
            "celf" => {
                let runs = match s.runs {
                    Some(r) => self.int_in(&key("runs"), r, 10, 1_000_000)? as u32,
                    None => DEFAULT_CELF_RUNS,
                };
                StrategyKind::Celf {
                    limit: limit()?,
                    runs,
                }
            }
            "imm" => {
                let epsilon = match s.epsilon {
                    Some(e) => self.float_in(
                        &key("epsilon"),
                        e,
                        0.01,
                        1.0,
                        "allowed 0.01 to 1 (smaller is more accurate and slower; usually 0.1)",
                    )?,
                    None => DEFAULT_EPSILON,
                };
                let ell = match s.ell {
                    Some(l) => {
                        self.float_in(&key("ell"), l, 0.1, 10.0, "allowed 0.1 to 10 (usually 1)")?
                    }
                    None => DEFAULT_ELL,
                };
                StrategyKind::Imm {
                    limit: limit()?,
                    epsilon,
                    ell,
                }
            }
            _ => {
                let Some(nodes) = &s.nodes else {
                    return self.err(&table, "strategy kind \"explicit\" needs `nodes`, a list of person ids as in the edge list");
                };
                if nodes.is_empty() {
                    return self.err(
                        &key("nodes"),
                        "`nodes` is empty: list at least one person id",
                    );
                }
                let mut ids = Vec::with_capacity(nodes.len());
                for (j, &id) in nodes.iter().enumerate() {
                    let here = at.path(&[Step::Key("nodes"), Step::Index(j)]);
                    if id < 0 {
                        return self.err(
                            &here,
                            format!("node id {id} is negative; ids are non-negative integers"),
                        );
                    }
                    if let Some(k) = nodes[..j].iter().position(|&o| o == id) {
                        return self.err(
                            &here,
                            format!("node id {id} is listed twice (also at position {k})"),
                        );
                    }
                    ids.push(id as u64);
                }
                StrategyKind::Explicit { nodes: ids }
            }
        };
        let name = match &s.name {
            Some(n) if n.trim().is_empty() => return self.err(&key("name"), "name is empty"),
            Some(n) => n.clone(),
            None => s.kind.clone(),
        };
        let segments = match &s.segments {
            Some(names) => Some(self.segment_names(&key("segments"), names, has_segments)?),
            None => None,
        };
        Ok(StrategySpec {
            name,
            kind,
            segments,
            table: at,
        })
    }

    /// `[rival]`: its content's keys, then its seeds' keys checked as a
    /// `[[strategy]]` table's, errors pointing at `rival.<key>`.
    fn rival(&self, r: &RawRival, sim: &SimulationSpec, has_segments: bool) -> Checked<RivalSpec> {
        let key = |k: &'static str| [Step::Key("rival"), Step::Key(k)];
        if sim.model != ModelKind::IndependentCascade {
            return self.err(
                &[Step::Key("rival")],
                format!(
                    "a rival content spreads by the competitive independent cascade, which needs model = \"independent-cascade\", not \"{}\": remove [rival] or change the model",
                    sim.model.name()
                ),
            );
        }
        let stickiness = self.probability(&key("stickiness"), r.stickiness)?;
        let start_step = match r.start_step {
            Some(t) if (0..=sim.steps as i64).contains(&t) => t as u32,
            Some(t) => {
                return self.err(
                    &key("start_step"),
                    format!(
                        "{t} is out of range: the step at which the rival's seeds share is 0 (with ours) to [simulation] steps = {}",
                        sim.steps
                    ),
                )
            }
            None => 0,
        };
        let seeding = self.strategy(SeedingTable::Rival, &r.seeding(), has_segments)?;
        Ok(RivalSpec {
            stickiness,
            start_step,
            seeding,
        })
    }

    fn paid(&self, p: &RawPaid, sim: &SimulationSpec) -> Checked<PaidSpec> {
        let key = |k: &'static str| [Step::Key("paid"), Step::Key(k)];
        if sim.model != ModelKind::IndependentCascade {
            return self.err(
                &[Step::Key("paid")],
                format!(
                    "paid reach works with model = \"independent-cascade\", not \"{}\"",
                    sim.model.name()
                ),
            );
        }
        let steps = sim.steps as i64;
        let reach_per_step = self.probability(&key("reach_per_step"), p.reach_per_step)?;
        let from_step = match p.from_step {
            Some(f) => self.int_in(&key("from_step"), f, 1, steps)? as u32,
            None => 1,
        };
        let to_step = match p.to_step {
            Some(t) => {
                if t < from_step as i64 || t > steps {
                    return self.err(
                        &key("to_step"),
                        format!("{t} is out of range: allowed from_step ({from_step}) to [simulation] steps ({steps})"),
                    );
                }
                t as u32
            }
            None => sim.steps,
        };
        let stickiness = match p.stickiness {
            Some(s) => self.probability(&key("stickiness"), s)?,
            None => 0.0,
        };
        let cost_per_view = match p.cost_per_view {
            Some(c) => self.float_in(
                &key("cost_per_view"),
                c,
                0.0,
                f64::MAX,
                "a view's price must be 0 or more",
            )?,
            None => 0.0,
        };
        Ok(PaidSpec {
            reach_per_step,
            from_step,
            to_step,
            stickiness,
            cost_per_view,
        })
    }

    fn conversion(&self, c: &RawConversion) -> Checked<ConversionSpec> {
        let key = |k: &'static str| [Step::Key("conversion"), Step::Key(k)];
        let rate = self.probability(&key("rate"), c.rate)?;
        let rate_if_shared = match c.rate_if_shared {
            Some(r) => self.probability(&key("rate_if_shared"), r)?,
            None => rate,
        };
        let value = match c.value {
            Some(v) => self.float_in(
                &key("value"),
                v,
                0.0,
                f64::MAX,
                "what one conversion brings must be 0 or more",
            )?,
            None => 0.0,
        };
        Ok(ConversionSpec {
            rate,
            rate_if_shared,
            value,
        })
    }

    fn costs(&self, scenario_path: &Path, c: &RawCosts) -> Checked<CostSpec> {
        let key = |k: &'static str| [Step::Key("costs"), Step::Key(k)];
        let mut spec = CostSpec::default();
        if let Some(b) = c.base {
            spec.base = self.float_in(
                &key("base"),
                b,
                f64::MIN_POSITIVE,
                f64::MAX,
                "the fixed cost of seeding anyone must be above 0",
            )?;
        }
        if let Some(p) = c.per_follower {
            spec.per_follower = self.float_in(
                &key("per_follower"),
                p,
                0.0,
                f64::MAX,
                "the cost per follower must be 0 or more",
            )?;
        }
        if let Some(e) = c.exponent {
            spec.exponent = self.float_in(
                &key("exponent"),
                e,
                0.0,
                MAX_COST_EXPONENT,
                &format!("allowed 0 to {MAX_COST_EXPONENT} (1: cost grows in proportion to followers; below 1: big audiences are cheaper per follower)"),
            )?;
        }
        if let Some(a) = c.acceptance {
            spec.acceptance = self.probability(&key("acceptance"), a)?;
        }
        if let Some(f) = &c.file {
            if f.trim().is_empty() {
                return self.err(
                    &key("file"),
                    "`file` is empty: name a file of `id cost` lines",
                );
            }
            let rel = Path::new(f);
            let base = scenario_path.parent().unwrap_or(Path::new("."));
            spec.file = Some(if rel.is_absolute() {
                rel.to_path_buf()
            } else {
                base.join(rel)
            });
        }
        Ok(spec)
    }

    fn charts(&self, o: Option<&RawOutput>) -> Checked<Vec<ChartFormat>> {
        let Some(formats) = o.and_then(|o| o.formats.as_ref()) else {
            return Ok(vec![ChartFormat::Png, ChartFormat::Svg]);
        };
        let mut out = Vec::new();
        for (i, f) in formats.iter().enumerate() {
            let format = match f.as_str() {
                "png" => ChartFormat::Png,
                "svg" => ChartFormat::Svg,
                other => {
                    return self.err(
                        &[Step::Key("output"), Step::Key("formats"), Step::Index(i)],
                        format!("unknown chart format \"{other}\": allowed png, svg"),
                    )
                }
            };
            if !out.contains(&format) {
                out.push(format);
            }
        }
        Ok(out)
    }

    fn check_size(&self, s: &Scenario) -> Checked<()> {
        // With runs = "auto" the cap bounds the results (when it is not
        // written, the location falls back to the [simulation] table).
        let key = match s.simulation.auto {
            Some(_) => "max_runs",
            None => "runs",
        };
        s.check_result_size(s.known_segment_slots())
            .map_err(|message| {
                ScenarioError::at(
                    self.locator.at(&[Step::Key("simulation"), Step::Key(key)]),
                    message,
                )
            })
    }
}

/// Why a segment key cannot be used on a graph without segments.
const NO_SEGMENTS: &str = "the graph has no segments: give [graph] segments = \"file\" (lines `id segment`) or use generator stochastic-block, whose communities are segments";

/// PageRank damping factor when `damping` is not given.
pub const DEFAULT_DAMPING: f64 = 0.85;
/// Monte Carlo runs per spread estimate of `celf` when `runs` is not given.
pub const DEFAULT_CELF_RUNS: u32 = 200;
/// IMM's epsilon when not given.
pub const DEFAULT_EPSILON: f64 = 0.1;
/// IMM's ell when not given.
pub const DEFAULT_ELL: f64 = 1.0;

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
/// Run seed when `[simulation] seed` is not given.
pub const DEFAULT_SEED: u64 = 1;
/// Most runs per strategy.
pub const MAX_RUNS: u32 = 100_000_000;
/// Most steps.
pub const MAX_STEPS: u32 = 100_000;

/// Largest generated graph, in people.
pub const MAX_GENERATED_NODES: u32 = 100_000_000;

impl Scenario {
    /// Override the run count (from the command line), checked like the key.
    pub fn set_runs(&mut self, runs: u64) -> Result<(), ScenarioError> {
        if !(2..=MAX_RUNS as u64).contains(&runs) {
            return Err(ScenarioError::at(
                Location {
                    file: "--runs".into(),
                    line: None,
                    column: None,
                    key: None,
                },
                format!("{runs} is out of range: allowed 2 to {MAX_RUNS}"),
            ));
        }
        self.simulation.runs = runs as u32;
        self.simulation.auto = None;
        let locator = Locator::new(&self.path, &self.text);
        Checker {
            locator: &locator,
            point: true,
        }
        .check_size(self)
    }

    /// Metrics every run records: reached and shared, converted with
    /// `[conversion]`, reached in and outside the target with `[target]`,
    /// the rival's reached and shared with `[rival]`.
    pub fn metric_count(&self) -> u64 {
        2 + self.conversion.is_some() as u64
            + 2 * self.target.is_some() as u64
            + 3 * self.paid.is_some() as u64
            + 2 * self.rival.is_some() as u64
    }

    /// Check that every run's record fits in [`MAX_RESULT_BYTES`]: runs x
    /// ((steps + 1) x metrics + `segment_slots`) x strategies x 4 bytes,
    /// `segment_slots` being the per-segment final reach counts of a run
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
            format!(" + {segment_slots} segments")
        } else {
            String::new()
        };
        Err(format!(
            "{runs_key} x ((steps + 1) x metrics{}) x strategies = {} x ({steps} x {metrics}{per_segment}) x {} needs {:.1} GiB of results; at most {} GiB: lower {runs_key} or steps{}",
            if segment_slots > 0 { " + segments" } else { "" },
            self.simulation.max_runs(),
            self.strategies.len(),
            bytes as f64 / (1u64 << 30) as f64,
            MAX_RESULT_BYTES >> 30,
            if segment_slots > 0 { " (reach is counted per segment in every run)" } else { "" }
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

    /// The location of `[graph] key` in the scenario file.
    pub fn graph_location(&self, key: &str) -> Location {
        Locator::new(&self.path, &self.text).at(&[Step::Key("graph"), Step::Key(key)])
    }
}
