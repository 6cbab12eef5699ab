//! What a scenario's run needs in memory, part by part, estimated from the
//! scenario (and, once read, the graph's size) before anything large is
//! allocated, and checked against what the run may use (see
//! [`crate::resources`]). A run that cannot fit is refused with the
//! estimate, the limit and what to lower, rather than aborted half way by a
//! failed allocation. The figures follow what each part allocates; they
//! are estimates, meant to be right within a few tens of per cent.

use std::path::Path;

use crate::error::Error;
use crate::graph::footprint::{self as graph_footprint, Build, GraphSize};
use crate::graph::Graph;
use crate::resources::{human, Resources};
use crate::scenario::{
    describe_point, GeneratorSpec, GraphSource, Locator, Scenario, ScenarioError, Step, TrustSpec,
};

/// What the run does with the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Describe it (`viralsim graph`): build it and compute its statistics.
    Describe,
    /// Choose seeds and simulate (`viralsim run`, `validate`).
    Simulate,
}

/// Edge-list bytes per line in a typical file ("123456 234567\n" and the
/// like): the line count assumed when deciding from a file's size alone.
pub const TYPICAL_LINE_BYTES: u64 = 12;

/// Follower arcs up to which the report computes the graph's statistics
/// (as `report_html::STATS_MAX_ARCS`).
const REPORT_STATS_MAX_ARCS: u64 = 2_000_000;

/// A run's memory, part by part, in bytes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Footprint {
    /// The graph's size.
    pub graph: GraphSize,
    /// Building the graph, at its peak.
    pub build: u64,
    /// What stays from the graph on: the graph, everyone's cost, the
    /// model's share rates.
    pub resident: u64,
    /// The most a strategy (or the graph's statistics) holds while working.
    pub choosing: u64,
    /// Every worker thread's own state during the runs.
    pub workers: u64,
    /// The runs' records and their statistics.
    pub results: u64,
    /// What the run does with the graph.
    pub purpose: Purpose,
}

/// The part of a footprint that weighs most, to say what to lower.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Heaviest {
    Graph,
    Choosing,
    Workers,
    Results,
}

impl Footprint {
    /// The most held at once: building the graph, or the graph with the
    /// strategies' work, or with the runs' workers and results.
    pub fn peak(&self) -> u64 {
        let after = self.choosing.max(self.workers.saturating_add(self.results));
        self.build.max(self.resident.saturating_add(after))
    }

    /// What weighs most against a limit of `limit` bytes: the graph when
    /// it does not fit by itself.
    fn heaviest(&self, limit: u64) -> Heaviest {
        let after = self.choosing.max(self.workers.saturating_add(self.results));
        if self.build > limit || self.resident > limit || self.resident >= after {
            Heaviest::Graph
        } else if self.choosing >= self.workers.saturating_add(self.results) {
            Heaviest::Choosing
        } else if self.workers >= self.results {
            Heaviest::Workers
        } else {
            Heaviest::Results
        }
    }

    /// The parts, for a message: "the graph 8000 GiB, building it 16000
    /// GiB at its peak, ...".
    fn parts(&self, threads: usize) -> String {
        let mut parts = vec![format!("the graph {}", human(self.resident))];
        if self.build > self.resident {
            parts.push(format!("{} at the peak of building it", human(self.build)));
        }
        if self.choosing > 0 {
            parts.push(format!(
                "{} {}",
                human(self.choosing),
                match self.purpose {
                    Purpose::Describe => "for its statistics",
                    Purpose::Simulate => "choosing seeds",
                }
            ));
        }
        if self.workers > 0 {
            parts.push(format!(
                "{} for {threads} worker thread{}",
                human(self.workers),
                if threads == 1 { "" } else { "s" }
            ));
        }
        if self.results > 0 {
            parts.push(format!("{} of results", human(self.results)));
        }
        parts.join(", ")
    }
}

/// The graph `scenario` builds, as far as it is known before reading
/// anything: a generator's expected size, or for an edge list of `bytes`
/// bytes the size of [`TYPICAL_LINE_BYTES`] per line (None when the size
/// is unknown, as for a pipe).
pub fn expected_build(scenario: &Scenario) -> Option<Build> {
    match &scenario.graph {
        GraphSource::Generated { spec, .. } => Some(graph_footprint::generated(spec)),
        // A binary graph's header gives its size exactly.
        GraphSource::EdgeList { path, .. } if crate::graph::binary::is_binary(path) => {
            crate::graph::binary::footprint(path)
        }
        GraphSource::EdgeList { path, directed } => {
            let bytes = file_bytes(path)?;
            let lines = bytes / TYPICAL_LINE_BYTES;
            // Ids repeat: a typical network has far fewer people than lines.
            Some(graph_footprint::edge_list(lines, lines / 4, *directed))
        }
    }
}

/// The size of a regular file (None for anything else).
fn file_bytes(path: &Path) -> Option<u64> {
    let meta = std::fs::metadata(path).ok()?;
    meta.is_file().then_some(meta.len())
}

/// The footprint of `scenario`'s run on a graph built as `build`, with
/// `segment_slots` counts per run of reach per segment, `threads` worker
/// threads, for `purpose`.
pub fn estimate(
    scenario: &Scenario,
    build: Build,
    segment_slots: u64,
    threads: usize,
    purpose: Purpose,
) -> Footprint {
    let size = build.size;
    let (n, a) = (size.nodes, size.arcs);
    let stats = graph_stats_bytes(size);
    let resident = size.bytes_with(trust_varies(scenario)) + 8 * n + model_bytes(scenario, size);
    let (choosing, workers, results) = match purpose {
        Purpose::Describe => (stats, 0, 0),
        Purpose::Simulate => {
            let worker = worker_bytes(scenario, n);
            let workers = worker.saturating_mul(threads as u64);
            let mut choosing = scenario
                .strategies
                .iter()
                .chain(scenario.rival.as_ref().map(|r| &r.seeding))
                .map(|s| {
                    s.strategy.working_bytes(
                        size.nodes,
                        size.arcs,
                        scenario.simulation.steps,
                        workers,
                    )
                })
                .max()
                .unwrap_or(0);
            if a <= REPORT_STATS_MAX_ARCS {
                choosing = choosing.max(stats);
            }
            (choosing, workers, results_bytes(scenario, segment_slots))
        }
    };
    Footprint {
        graph: size,
        build: build.peak,
        resident,
        choosing,
        workers,
        results,
        purpose,
    }
}

/// What the model keeps beside the graph: with trust that varies from arc
/// to arc, a keep threshold per arc and two rates per person for each
/// content (ours, and the rival's); and what the model kind keeps per
/// person (the linear threshold's total trust into each person); as many
/// times as there are distinct models.
/// Whether arcs may differ in trust (the graph then holds one per arc).
fn trust_varies(scenario: &Scenario) -> bool {
    if let GraphSource::EdgeList { path, .. } = &scenario.graph {
        // A binary graph's trust is its own, whatever `[trust]` says.
        if crate::graph::binary::is_binary(path) {
            return crate::graph::binary::trust_per_arc(path).unwrap_or(true);
        }
    }
    !matches!(scenario.trust, TrustSpec::Constant { .. }) || scenario.segment_trust.is_some()
}

fn model_bytes(scenario: &Scenario, size: GraphSize) -> u64 {
    let varied = trust_varies(scenario);
    let contents = 1 + scenario.rival.is_some() as u64;
    let rates = if varied {
        contents * (4 * size.arcs + 16 * size.nodes)
    } else {
        0
    };
    let own = scenario.simulation.model.bytes_per_person * size.nodes;
    // One model per distinct spread: strategies that buy their own ads
    // each run their own.
    let mut spreads: Vec<crate::model::SpreadSpec> = Vec::new();
    for i in 0..scenario.strategies.len() {
        let spread = scenario.spread_of(i);
        if !spreads.contains(&spread) {
            spreads.push(spread);
        }
    }
    spreads.len().max(1) as u64 * (rates + own + size.nodes)
}

/// One worker's state in the runs: its marks and lists of people reached,
/// sharing and next to share, and the scratch of seeds drawn per run; the
/// linear threshold adds the trust from sharers per person, a rival its
/// own marks, lists and the step each person was won at; the model kind
/// says what it adds per person.
fn worker_bytes(scenario: &Scenario, nodes: u64) -> u64 {
    let mut per_person = 16 + scenario.simulation.model.worker_bytes_per_person;
    if scenario.rival.is_some() {
        per_person += 20;
    }
    if scenario.buys_ads() {
        // The order of everyone that ad viewers are shuffled out of.
        per_person += 4;
    }
    per_person * nodes
}

/// What the graph's statistics hold (`viralsim graph`, and the report for
/// graphs up to [`REPORT_STATS_MAX_ARCS`]): at most, the undirected view
/// (arcs into each person, merged rows, with their offsets) and a few
/// vectors per person.
fn graph_stats_bytes(size: GraphSize) -> u64 {
    12 * size.arcs + 40 * size.nodes
}

/// Steps a cascade is expected to last after the last scheduled event, in
/// the estimate of the runs' records.
const CASCADE_STEPS: u64 = 100;

/// The runs' records: one strategy's at a time with a fixed run count, all
/// strategies' with runs = "auto"; and per strategy its final values per
/// run and metric, what each run's seeds cost and the curves' statistics.
fn results_bytes(scenario: &Scenario, segment_slots: u64) -> u64 {
    let sim = &scenario.simulation;
    let runs = sim.max_runs() as u64;
    let metrics = scenario.metric_count();
    let steps = sim.steps as u64 + 1;
    let strategies = scenario.strategies.len() as u64;
    // A run keeps its counts only while they change: up to its last
    // scheduled event (a late start, the rival's, ads) and its cascade
    // after that, whose length is unknown before the runs; allow
    // CASCADE_STEPS for it.
    let scheduled = if scenario.buys_ads() {
        sim.steps
    } else {
        let rival = scenario.rival.as_ref().map_or(0, |r| {
            r.start_step + r.response_delays.iter().copied().max().unwrap_or(0)
        });
        scenario
            .strategies
            .iter()
            .map(|s| s.start_step + 1)
            .max()
            .unwrap_or(0)
            .max(rival)
    };
    let recorded = steps.min(scheduled as u64 + CASCADE_STEPS);
    let record = runs
        .saturating_mul(1 + recorded * metrics + segment_slots)
        .saturating_mul(4)
        .saturating_add(8 * runs);
    let records = match sim.auto {
        Some(_) => record
            .saturating_mul(strategies)
            .saturating_add(8 * runs * strategies),
        None => record,
    };
    let per_strategy = runs
        .saturating_mul(8 * (metrics + 1))
        .saturating_add(40 * steps * metrics + 40 * segment_slots);
    records
        .saturating_add(per_strategy.saturating_mul(strategies))
        .saturating_add(16 * runs)
}

/// Check before building anything that `scenario`'s run fits in
/// `resources`: with a generator's expected graph, or an edge list of a
/// typical line length. A pipe or device is checked as it is read.
pub fn check_before(
    scenario: &Scenario,
    resources: &Resources,
    purpose: Purpose,
) -> Result<(), Error> {
    let Some(build) = expected_build(scenario) else {
        return Ok(());
    };
    let footprint = estimate(
        scenario,
        build,
        scenario.known_segment_slots(),
        resources.threads,
        purpose,
    );
    check(scenario, &footprint, resources, Known::Before)
}

/// Check that `scenario`'s run fits in `resources` on `graph`, now built
/// (its people, arcs and segments exactly known).
pub fn check_built(
    scenario: &Scenario,
    graph: &Graph,
    resources: &Resources,
    purpose: Purpose,
) -> Result<(), Error> {
    let footprint = built(scenario, graph, resources.threads, purpose);
    check(scenario, &footprint, resources, Known::Built)
}

/// The footprint of `scenario`'s run on `graph`, built.
pub fn built(scenario: &Scenario, graph: &Graph, threads: usize, purpose: Purpose) -> Footprint {
    let size = GraphSize {
        nodes: graph.nodes() as u64,
        arcs: graph.arcs() as u64,
        labels: false,
        segments: graph.segments().is_some(),
    };
    let bytes = graph.heap_bytes();
    let slots = graph.segments().map_or(0, |s| s.slots() as u64);
    let mut footprint = estimate(
        scenario,
        Build { size, peak: bytes },
        slots,
        threads,
        purpose,
    );
    // The graph's own vectors are known exactly.
    footprint.resident = footprint.resident - size.bytes_with(trust_varies(scenario)) + bytes;
    footprint
}

/// Check every point of `scenario`'s `[sweep]` against `resources`, while
/// the scenario's own graph and costs (`base`, bytes) stay in memory: each
/// point builds its graph and runs beside them.
pub fn check_sweep(
    scenario: &Scenario,
    graph: &Graph,
    base: u64,
    resources: &Resources,
) -> Result<(), Error> {
    let Some(spec) = &scenario.sweep else {
        return Ok(());
    };
    let left = resources.less(base);
    for values in spec.points() {
        // A point that cannot be made is reported when the sweep gets there.
        let Ok(point) = scenario.at_point(&values) else {
            continue;
        };
        let footprint = match &point.graph {
            GraphSource::Generated { spec, .. } => estimate(
                &point,
                graph_footprint::generated(spec),
                point.known_segment_slots(),
                resources.threads,
                Purpose::Simulate,
            ),
            // The same edge list as the scenario's.
            GraphSource::EdgeList { .. } => {
                built(&point, graph, resources.threads, Purpose::Simulate)
            }
        };
        check(&point, &footprint, &left, Known::Before).map_err(|e| Error::AtPoint {
            point: describe_point(&spec.axes, &values),
            source: Box::new(e),
        })?;
    }
    Ok(())
}

/// How much is known of the graph when checking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Known {
    /// Its expected size, before building it.
    Before,
    /// Built: its size is exact.
    Built,
}

/// Refuse `footprint` if its peak exceeds what `resources` leave.
fn check(
    scenario: &Scenario,
    footprint: &Footprint,
    resources: &Resources,
    known: Known,
) -> Result<(), Error> {
    let memory = &resources.memory;
    let peak = footprint.peak();
    if memory.fits(peak) {
        return Ok(());
    }
    let (what, key, advice) = match footprint.heaviest(memory.bytes) {
        Heaviest::Graph => {
            let (what, key, advice) = graph_words(scenario, footprint, known);
            (what, key, advice)
        }
        Heaviest::Choosing if footprint.purpose == Purpose::Describe => (
            "the graph's statistics".to_string(),
            "generator",
            "use a smaller graph".to_string(),
        ),
        Heaviest::Choosing => (
            "choosing the seeds".to_string(),
            "generator",
            "use a cheaper strategy kind (imm and celf hold the most), or a smaller graph"
                .to_string(),
        ),
        Heaviest::Workers => (
            format!("the {} worker threads", resources.threads),
            "generator",
            "lower --threads (each worker keeps a few bytes per person)".to_string(),
        ),
        Heaviest::Results => (
            "the runs' results".to_string(),
            "runs",
            "lower [simulation] runs or steps".to_string(),
        ),
    };
    let location = match key {
        "runs" => Locator::new(&scenario.path, &scenario.text).at(&[
            Step::Key("simulation"),
            Step::Key(if scenario.simulation.auto.is_some() {
                "max_runs"
            } else {
                "runs"
            }),
        ]),
        _ => scenario.graph_location(match scenario.graph {
            GraphSource::EdgeList { .. } => "edges",
            GraphSource::Generated { .. } => "generator",
        }),
    };
    let spare = if memory.bytes < memory.total {
        format!(
            " ({} of it is taken by what is already loaded)",
            human(memory.total - memory.bytes)
        )
    } else {
        String::new()
    };
    Err(ScenarioError::at(
        location,
        format!(
            "{what} needs about {} of memory ({}); {}{spare}: {advice} ({})",
            human(peak),
            footprint.parts(resources.threads),
            memory.describe(),
            memory.override_hint(),
        ),
    )
    .into())
}

/// The graph in a message, the key to blame and what to lower.
fn graph_words(
    scenario: &Scenario,
    footprint: &Footprint,
    known: Known,
) -> (String, &'static str, String) {
    let arcs = footprint.graph.arcs as f64;
    let arcs = if arcs >= 1e7 {
        format!("{arcs:.1e}")
    } else {
        format!("{arcs:.0}")
    };
    match (&scenario.graph, known) {
        (GraphSource::Generated { spec, .. }, _) => {
            let (keys, lower) = generator_keys(spec);
            (
                format!(
                    "the {} graph with {keys} (about {arcs} follower arcs)",
                    spec.name()
                ),
                "generator",
                format!("lower {lower}"),
            )
        }
        (GraphSource::EdgeList { path, .. }, Known::Before)
            if crate::graph::binary::is_binary(path) =>
        {
            (
                format!(
                    "binary graph {} ({} people, {arcs} follower arcs, as its header says)",
                    path.display(),
                    footprint.graph.nodes
                ),
                "edges",
                "use a smaller graph".to_string(),
            )
        }
        (GraphSource::EdgeList { path, .. }, Known::Before) => (
            format!(
                "edge list {} ({}, about {arcs} follower arcs at {TYPICAL_LINE_BYTES} bytes a line)",
                path.display(),
                human(file_bytes(path).unwrap_or(0))
            ),
            "edges",
            "use a smaller edge list".to_string(),
        ),
        (GraphSource::EdgeList { path, .. }, Known::Built) => (
            format!(
                "edge list {} ({} people, {arcs} follower arcs)",
                path.display(),
                footprint.graph.nodes
            ),
            "edges",
            "use a smaller edge list".to_string(),
        ),
    }
}

/// A generator's keys as written ("nodes = 100000000, edges_per_node =
/// 5000") and which of them to lower.
fn generator_keys(spec: &GeneratorSpec) -> (String, &'static str) {
    match *spec {
        GeneratorSpec::ErdosRenyi { nodes, mean_degree } => (
            format!("nodes = {nodes}, mean_degree = {mean_degree}"),
            "nodes or mean_degree",
        ),
        GeneratorSpec::BarabasiAlbert {
            nodes,
            edges_per_node,
        }
        | GeneratorSpec::HolmeKim {
            nodes,
            edges_per_node,
            ..
        } => (
            format!("nodes = {nodes}, edges_per_node = {edges_per_node}"),
            "nodes or edges_per_node",
        ),
        GeneratorSpec::WattsStrogatz {
            nodes, neighbors, ..
        } => (
            format!("nodes = {nodes}, neighbors = {neighbors}"),
            "nodes or neighbors",
        ),
        GeneratorSpec::StochasticBlock {
            communities,
            community_size,
            mean_degree_in,
            mean_degree_out,
        } => (
            format!(
                "communities = {communities}, community_size = {community_size}, mean_degree_in = {mean_degree_in}, mean_degree_out = {mean_degree_out}"
            ),
            "communities, community_size or the mean degrees",
        ),
        GeneratorSpec::Powerlaw {
            nodes, mean_degree, ..
        } => (
            format!("nodes = {nodes}, mean_degree = {mean_degree}"),
            "nodes or mean_degree",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::Memory;

    fn scenario(graph: &str, extra: &str) -> Scenario {
        let text = format!(
            "version = 1\n[graph]\n{graph}\n[content]\nstickiness = 0.1\n\
             [simulation]\nruns = 100\nsteps = 10\n\
             [[strategy]]\nkind = \"top-degree\"\ncount = 3\n{extra}"
        );
        crate::scenario::parse(Path::new("s.toml"), &text).unwrap()
    }

    fn within(bytes: u64) -> Resources {
        Resources {
            memory: Memory::given(bytes),
            threads: 2,
        }
    }

    #[test]
    fn huge_generators_are_refused_before_building() {
        let s = scenario(
            "generator = \"barabasi-albert\"\nnodes = 100000000\nedges_per_node = 5000",
            "",
        );
        let err = check_before(&s, &within(4 << 30), Purpose::Simulate)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("s.toml:3:13: graph.generator: the barabasi-albert graph with nodes = 100000000, edges_per_node = 5000 (about 1.0e12 follower arcs) needs about"), "{err}");
        assert!(err.contains("--max-memory allows 4.0 GiB"), "{err}");
        assert!(err.contains("lower nodes or edges_per_node"), "{err}");
        let err = check_before(
            &scenario(
                "generator = \"erdos-renyi\"\nnodes = 100000000\nmean_degree = 100",
                "",
            ),
            &within(4 << 30),
            Purpose::Describe,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("about 1.0e10 follower arcs"), "{err}");
    }

    #[test]
    fn small_runs_fit_and_results_are_blamed_on_runs() {
        let s = scenario(
            "generator = \"barabasi-albert\"\nnodes = 1000\nedges_per_node = 3",
            "",
        );
        assert!(check_before(&s, &within(64 << 20), Purpose::Simulate).is_ok());
        // 10 million runs of 11 steps: 880 MB of records.
        let mut many = s.clone();
        many.simulation.runs = 10_000_000;
        let err = check_before(&many, &within(256 << 20), Purpose::Simulate)
            .unwrap_err()
            .to_string();
        assert!(err.contains("[simulation] runs"), "{err}");
        assert!(err.contains("lower [simulation] runs or steps"), "{err}");
        // Describing the graph keeps no results.
        assert!(check_before(&many, &within(256 << 20), Purpose::Describe).is_ok());
    }

    #[test]
    fn a_sweep_point_too_large_is_refused_before_any_is_built() {
        let s = scenario(
            "generator = \"erdos-renyi\"\nnodes = 1000\nmean_degree = 4",
            "[sweep]\n\"graph.nodes\" = [1000, 100000000]\n",
        );
        let err = crate::pipeline::prepare_within(s, &within(1 << 30), &crate::strategy::Unwatched)
            .err()
            .unwrap()
            .to_string();
        assert!(
            err.starts_with("at the sweep point graph.nodes = 100000000: "),
            "{err}"
        );
        assert!(err.contains("lower nodes or mean_degree"), "{err}");
    }

    #[test]
    fn the_estimate_of_a_built_graph_is_exact_for_the_graph() {
        let s = scenario(
            "generator = \"holme-kim\"\nnodes = 3000\nedges_per_node = 3\ntriangle_prob = 0.5",
            "",
        );
        let (graph, _) = crate::graph::load(&s.graph, &Memory::UNLIMITED).unwrap();
        let f = built(&s, &graph, 2, Purpose::Simulate);
        assert_eq!(f.resident, graph.heap_bytes() + 8 * 3000 + 3000);
        // The expected graph is close to the one built.
        let expected = estimate(&s, expected_build(&s).unwrap(), 0, 2, Purpose::Simulate);
        let ratio = expected.resident as f64 / f.resident as f64;
        assert!((0.9..1.1).contains(&ratio), "{ratio}");
        assert_eq!(f.workers, 2 * 16 * 3000);
    }
}
