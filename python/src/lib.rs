//! `viralsim._native`: the library's scenario, graph, pipeline and
//! exporters for Python. The Python package (`python/viralsim/`) wraps it
//! in the documented API; everything numeric happens here, in the same
//! calls the command line makes, so a run from Python gives the command
//! line's numbers and files.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use pyo3::exceptions::{PyKeyboardInterrupt, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

use viralsim::engine::{self, Outcome};
use viralsim::footprint::{self, Purpose};
use viralsim::graph::labels::{natural_cmp, Texts};
use viralsim::graph::segments::{self, Segments, NO_SEGMENT};
use viralsim::graph::{edgelist::Cleaning, trust, Graph, GraphSource, Node};
use viralsim::model::Seeds;
use viralsim::pipeline::{self, Prepared, Results};
use viralsim::report::{self, OutputDir, Report, RunInfo};
use viralsim::resources::{self, Memory, Resources};
use viralsim::scenario::{self, Location, Scenario, ScenarioError, TrustSpec};
use viralsim::strategy::Unwatched;
use viralsim::sweep::{self, SweepResults};

/// The file name a scenario given as a dict is known by in messages.
const DICT_FILE: &str = "<dict>";

/// How often a waiting call looks for Ctrl-C.
const POLL: Duration = Duration::from_millis(50);

// ---------------------------------------------------------------- errors

/// `e` as the package's exception: `viralsim.InputError` (a `ValueError`)
/// for bad input, with the file, line, column and key it names, else
/// `viralsim.Error`.
fn py_error(py: Python<'_>, e: &viralsim::Error) -> PyErr {
    let location: Option<&Location> = match e {
        viralsim::Error::Scenario(ScenarioError::Invalid { location, .. }) => Some(location),
        viralsim::Error::Graph { location, .. } | viralsim::Error::Strategy { location, .. } => {
            Some(location)
        }
        _ => None,
    };
    let class = if e.is_bad_input() {
        "InputError"
    } else {
        "Error"
    };
    let (file, line, column, key) = match location {
        Some(l) => (
            Some(l.file.display().to_string()),
            l.line,
            l.column,
            l.key.clone(),
        ),
        None => (None, None, None, None),
    };
    raise(py, class, e.to_string(), file, line, column, key)
}

/// An exception of class `class` of `viralsim.errors`.
fn raise(
    py: Python<'_>,
    class: &str,
    message: String,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    key: Option<String>,
) -> PyErr {
    let made = py
        .import("viralsim.errors")
        .and_then(|m| m.getattr(class))
        .and_then(|c| c.call1((message.clone(), file, line, column, key)));
    match made {
        Ok(value) => PyErr::from_value(value),
        Err(_) => PyValueError::new_err(message),
    }
}

/// A bad argument of a Python call, named.
fn bad_argument(py: Python<'_>, argument: &str, message: impl std::fmt::Display) -> PyErr {
    raise(
        py,
        "InputError",
        format!("{argument}: {message}"),
        None,
        None,
        None,
        Some(argument.to_string()),
    )
}

/// A scenario error of a dict: the key path names the place (the line and
/// column are those of the TOML text made from the dict, which nobody saw).
fn dict_error(e: ScenarioError) -> viralsim::Error {
    match e {
        ScenarioError::Invalid {
            mut location,
            message,
        } => {
            if location.key.is_some() {
                location.line = None;
                location.column = None;
            }
            ScenarioError::Invalid { location, message }.into()
        }
        other => other.into(),
    }
}

// ---------------------------------------------------------------- scenario

/// A checked scenario: what a scenario file says, every key checked.
#[pyclass(name = "Scenario", module = "viralsim", frozen)]
#[derive(Clone)]
struct PyScenario {
    inner: Scenario,
}

#[pymethods]
impl PyScenario {
    /// Read and check the scenario file at `path` (relative paths inside
    /// it are resolved against its folder).
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<PyScenario> {
        scenario::load(&path)
            .map(|inner| PyScenario { inner })
            .map_err(|e| py_error(py, &e.into()))
    }

    /// Check scenario TOML `text`; `path` names it in messages and is the
    /// folder relative paths are resolved against (the current folder by
    /// default).
    #[staticmethod]
    #[pyo3(signature = (text, path = None))]
    fn from_toml(py: Python<'_>, text: &str, path: Option<PathBuf>) -> PyResult<PyScenario> {
        let path = path.unwrap_or_else(|| PathBuf::from("<toml>"));
        let text = with_graph_placeholder(text);
        scenario::parse(&path, &text)
            .map(|inner| PyScenario { inner })
            .map_err(|e| py_error(py, &e.into()))
    }

    /// Check a scenario given as a dict of the file's tables and keys
    /// (`{"graph": {...}, "content": {...}, "strategy": [{...}, ...]}`):
    /// the same keys, checks and messages as a file, each error naming the
    /// key path. `version` may be left out (1), and `name` ("scenario").
    /// Relative paths are resolved against the current folder.
    #[staticmethod]
    fn from_dict(py: Python<'_>, keys: &Bound<'_, PyDict>) -> PyResult<PyScenario> {
        let mut table = toml::Table::new();
        for (k, v) in keys.iter() {
            let k: String = k
                .extract()
                .map_err(|_| bad_argument(py, "scenario", "every key is a string"))?;
            let value = to_toml(py, &v, &k)?;
            table.insert(k, value);
        }
        table
            .entry("version")
            .or_insert(toml::Value::Integer(scenario::VERSION));
        table
            .entry("name")
            .or_insert(toml::Value::String("scenario".into()));
        let text = toml::to_string(&table)
            .map_err(|e| bad_argument(py, "scenario", format!("no TOML form: {e}")))?;
        let text = with_graph_placeholder(&text);
        scenario::parse(Path::new(DICT_FILE), &text)
            .map(|inner| PyScenario { inner })
            .map_err(|e| py_error(py, &dict_error(e)))
    }

    /// The scenario's name (its output folder's name).
    #[getter]
    fn name(&self) -> String {
        self.inner.name.to_string()
    }

    /// The file it was read from (`<dict>` for a dict).
    #[getter]
    fn path(&self) -> String {
        self.inner.path.display().to_string()
    }

    /// The scenario as TOML text.
    #[getter]
    fn text(&self) -> String {
        self.inner.text.clone()
    }

    /// Runs per strategy (with runs = "auto", the most it may make).
    #[getter]
    fn runs(&self) -> u32 {
        self.inner.simulation.runs
    }

    /// The run seed.
    #[getter]
    fn seed(&self) -> u64 {
        self.inner.simulation.seed
    }

    /// Steps simulated after the seeds share.
    #[getter]
    fn steps(&self) -> u32 {
        self.inner.simulation.steps
    }

    /// The strategies' names, in the scenario's order.
    #[getter]
    fn strategies(&self) -> Vec<String> {
        self.inner
            .strategies
            .iter()
            .map(|s| s.name.clone())
            .collect()
    }

    fn __repr__(&self) -> String {
        format!(
            "Scenario({:?}, {} strategies, {} runs, seed {})",
            self.inner.name.to_string(),
            self.inner.strategies.len(),
            self.inner.simulation.runs,
            self.inner.simulation.seed
        )
    }
}

/// What a scenario without `[graph]` gets as its graph and segments: a
/// graph given to `run` takes its place (and brings its own segments); a
/// run without one fails to read it, naming it.
const NO_GRAPH: &str = "(no [graph]: pass graph= to viralsim.run)";

/// Scenario `text`, with a placeholder `[graph]` after it when it has none
/// (its lines and columns unchanged).
fn with_graph_placeholder(text: &str) -> String {
    match text.parse::<toml::Table>() {
        Ok(table) if !table.contains_key("graph") => {
            format!("{text}\n[graph]\nedges = {NO_GRAPH:?}\nsegments = {NO_GRAPH:?}\n")
        }
        _ => text.to_string(),
    }
}

/// Whether `path` is the placeholder of [`with_graph_placeholder`].
fn is_placeholder(path: &Path) -> bool {
    path.file_name().is_some_and(|f| f == NO_GRAPH)
}

/// An error unless the scenario has a `[graph]` of its own.
fn needs_no_graph(py: Python<'_>, s: &Scenario) -> PyResult<()> {
    match &s.graph {
        GraphSource::EdgeList { path, .. } if is_placeholder(path) => Err(raise(
            py,
            "InputError",
            format!(
                "{}: graph: the scenario has no [graph]: pass graph= (a viralsim.Graph) to viralsim.run",
                s.path.display()
            ),
            Some(s.path.display().to_string()),
            None,
            None,
            Some("graph".into()),
        )),
        _ => Ok(()),
    }
}

/// A Python value as TOML, `path` naming it in messages.
fn to_toml(py: Python<'_>, v: &Bound<'_, PyAny>, path: &str) -> PyResult<toml::Value> {
    if v.is_instance_of::<PyBool>() {
        return Ok(toml::Value::Boolean(v.extract()?));
    }
    if v.is_instance_of::<PyString>() {
        return Ok(toml::Value::String(v.extract()?));
    }
    if v.is_instance_of::<PyInt>() || (v.hasattr("__index__")? && !v.is_instance_of::<PyFloat>()) {
        return match v.extract::<i64>() {
            Ok(n) => Ok(toml::Value::Integer(n)),
            Err(_) => Err(bad_argument(
                py,
                path,
                "a whole number too large for a scenario (at most 2^63 - 1)",
            )),
        };
    }
    if v.is_instance_of::<PyFloat>() || v.hasattr("__float__")? {
        return Ok(toml::Value::Float(v.extract()?));
    }
    if let Ok(d) = v.downcast::<PyDict>() {
        let mut table = toml::Table::new();
        for (k, x) in d.iter() {
            let k: String = k
                .extract()
                .map_err(|_| bad_argument(py, path, "every key of a table is a string"))?;
            let inner = format!("{path}.{k}");
            table.insert(k, to_toml(py, &x, &inner)?);
        }
        return Ok(toml::Value::Table(table));
    }
    if v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>() {
        let mut items = Vec::new();
        for (i, x) in v.try_iter()?.enumerate() {
            items.push(to_toml(py, &x?, &format!("{path}[{i}]"))?);
        }
        return Ok(toml::Value::Array(items));
    }
    if v.is_none() {
        return Err(bad_argument(
            py,
            path,
            "None has no place in a scenario: leave the key out for its default",
        ));
    }
    let kind = v
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_default();
    Err(bad_argument(
        py,
        path,
        format!("a {kind} has no place in a scenario: give a number, text, bool, list or dict"),
    ))
}

// ---------------------------------------------------------------- graph

/// A network of people and follower arcs, with trust per arc and
/// optionally a segment per person.
#[pyclass(name = "Graph", module = "viralsim", frozen)]
struct PyGraph {
    inner: Arc<Graph>,
    /// Whether it was given as directed (an arc per edge).
    directed: bool,
    /// Whether its trust is its own (an attribute, a column, a scenario's
    /// draws) rather than to be drawn by the scenario it runs with.
    own_trust: bool,
    /// What `summary.json` names as the graph's source.
    source: String,
}

/// A read-only view of `len` values of type `T` at `address`.
///
/// # Safety
/// The Python caller (python/viralsim/graph.py) passes the address of a
/// C-contiguous NumPy array of exactly that dtype and length, which it
/// keeps alive for the whole call.
unsafe fn view<'a, T>(address: usize, len: usize) -> &'a [T] {
    if len == 0 {
        return &[];
    }
    std::slice::from_raw_parts(address as *const T, len)
}

/// Node names, before they are put in the graph's id order.
#[derive(FromPyObject)]
enum Names {
    Numbers(Vec<u64>),
    Texts(Vec<String>),
}

#[pymethods]
impl PyGraph {
    /// Build from edges between people `0..nodes-1` given as the addresses
    /// of NumPy arrays (uint32 sources and targets, float64 trust or 0 for
    /// none), `names` naming each person (None: their index), `segments`
    /// as (index per person or -1, names). Self-loops are dropped and
    /// repeated edges merged, the first one's trust kept, as in an edge
    /// list.
    #[staticmethod]
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (nodes, sources, targets, edges, trust, directed, names, segments, source))]
    fn _from_arrays(
        py: Python<'_>,
        nodes: u32,
        sources: usize,
        targets: usize,
        edges: usize,
        trust: usize,
        directed: bool,
        names: Option<Names>,
        segments: Option<(Vec<i64>, Vec<String>)>,
        source: String,
    ) -> PyResult<PyGraph> {
        if nodes as u64 > viralsim::graph::MAX_NODES {
            return Err(bad_argument(
                py,
                "graph",
                format!(
                    "{nodes} people; at most {} are supported",
                    viralsim::graph::MAX_NODES
                ),
            ));
        }
        // SAFETY: see `view`; the wrapper checked dtypes and lengths.
        let (src, dst) = unsafe { (view::<u32>(sources, edges), view::<u32>(targets, edges)) };
        let weights = (trust != 0).then(|| unsafe { view::<f64>(trust, edges) });
        // Dense indices in the order of the ids, as an edge list numbers
        // its people.
        let order: Vec<u32> = match &names {
            None => (0..nodes).collect(),
            Some(Names::Numbers(n)) => sorted_order(n.len(), |a, b| n[a].cmp(&n[b])),
            Some(Names::Texts(t)) => sorted_order(t.len(), |a, b| natural_cmp(&t[a], &t[b])),
        };
        if order.len() != nodes as usize {
            return Err(bad_argument(py, "names", "one name per person"));
        }
        let mut dense = vec![0 as Node; order.len()];
        for (i, &was) in order.iter().enumerate() {
            dense[was as usize] = i as Node;
        }
        let mut arcs: Vec<(Node, Node, f32)> = Vec::with_capacity(edges * (2 - directed as usize));
        for e in 0..edges {
            let (a, b) = (src[e], dst[e]);
            if a >= nodes || b >= nodes {
                return Err(bad_argument(
                    py,
                    "edges",
                    format!("edge {e} names person {} of {nodes}", a.max(b)),
                ));
            }
            let t = match weights {
                Some(w) => {
                    let t = w[e];
                    if !(0.0..=1.0).contains(&t) {
                        return Err(bad_argument(
                            py,
                            "trust",
                            format!("edge {e} has trust {t}; trust is a number in [0, 1]"),
                        ));
                    }
                    t as f32
                }
                None => 1.0,
            };
            let (u, v) = (dense[a as usize], dense[b as usize]);
            if u == v {
                continue;
            }
            arcs.push((u, v, t));
            if !directed {
                arcs.push((v, u, t));
            }
        }
        let graph = py.allow_threads(|| {
            // Stable: of repeated arcs the first edge's trust is kept.
            arcs.sort_by_key(|&(u, v, _)| (u, v));
            arcs.dedup_by_key(|&mut (u, v, _)| (u, v));
            let trust: Vec<f32> = arcs.iter().map(|&(_, _, t)| t).collect();
            let mut graph =
                Graph::from_arcs(nodes, arcs.into_iter().map(|(u, v, _)| (u, v)).collect());
            graph.set_trust(trust);
            graph
        });
        let graph = match names {
            None => graph,
            Some(Names::Numbers(n)) => {
                let ids: Vec<u64> = order.iter().map(|&i| n[i as usize]).collect();
                if ids.windows(2).any(|w| w[0] == w[1]) {
                    return Err(bad_argument(py, "names", "two people have the same id"));
                }
                graph.with_labels(ids)
            }
            Some(Names::Texts(t)) => {
                let ids: Vec<&str> = order.iter().map(|&i| t[i as usize].as_str()).collect();
                if ids.windows(2).any(|w| natural_cmp(w[0], w[1]).is_eq()) {
                    return Err(bad_argument(
                        py,
                        "names",
                        "two people have the same id (as text)",
                    ));
                }
                graph.with_texts(Texts::new(ids))
            }
        };
        let graph = match segments {
            None => graph,
            Some((of, names)) => {
                if of.len() != nodes as usize {
                    return Err(bad_argument(py, "segment", "one segment per person"));
                }
                let mut by_dense = vec![NO_SEGMENT; of.len()];
                for (was, &s) in of.iter().enumerate() {
                    if s >= 0 {
                        if s as usize >= names.len() {
                            return Err(bad_argument(py, "segment", "unknown segment index"));
                        }
                        by_dense[dense[was] as usize] = s as u32;
                    }
                }
                graph.with_named_segments(Segments::named(by_dense, names))
            }
        };
        Ok(PyGraph {
            inner: Arc::new(graph),
            directed,
            own_trust: weights.is_some(),
            source,
        })
    }

    /// Read an edge list (plain `u v [trust]` lines, or CSV/TSV with a
    /// header row and text ids) exactly as a scenario's `[graph] edges`.
    #[staticmethod]
    #[pyo3(signature = (path, directed = false))]
    fn from_file(py: Python<'_>, path: PathBuf, directed: bool) -> PyResult<PyGraph> {
        let read = py.allow_threads(|| viralsim::graph::edgelist::read(&path, directed));
        let (graph, cleaning) = read.map_err(|e| {
            raise(
                py,
                "InputError",
                e.to_string(),
                Some(path.display().to_string()),
                None,
                None,
                None,
            )
        })?;
        Ok(PyGraph {
            inner: Arc::new(graph),
            directed,
            own_trust: cleaning.trust_column,
            source: path
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default(),
        })
    }

    /// The network a scenario's `[graph]` builds (generated or read), with
    /// its segments and the trust its `[trust]` draws.
    #[staticmethod]
    fn from_scenario(py: Python<'_>, scenario: &PyScenario) -> PyResult<PyGraph> {
        let s = &scenario.inner;
        needs_no_graph(py, s)?;
        let (graph, _) = py
            .allow_threads(|| pipeline::load_graph(s))
            .map_err(|e| py_error(py, &e))?;
        let (directed, source) = match &s.graph {
            GraphSource::Generated { spec, .. } => (false, spec.name().to_string()),
            GraphSource::EdgeList { path, directed } => (
                *directed,
                path.file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_default(),
            ),
        };
        Ok(PyGraph {
            inner: Arc::new(graph),
            directed,
            own_trust: true,
            source,
        })
    }

    /// People in the network.
    #[getter]
    fn nodes(&self) -> u32 {
        self.inner.nodes()
    }

    /// Follower arcs (an undirected edge is two).
    #[getter]
    fn arcs(&self) -> usize {
        self.inner.arcs()
    }

    /// Whether it was built as directed.
    #[getter]
    fn directed(&self) -> bool {
        self.directed
    }

    /// Whether it carries its own trust per arc.
    #[getter]
    fn has_trust(&self) -> bool {
        self.own_trust
    }

    /// Whether people have segments.
    #[getter]
    fn has_segments(&self) -> bool {
        self.inner.segments().is_some()
    }

    /// Every follower arc `u -> v` as (sources, targets, trust) bytes
    /// (uint32, uint32, float32) of dense indices, the names of people in
    /// index order, their segments' names (None without), and whether
    /// every arc has its reverse with the same trust.
    fn _arrays<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let g = &self.inner;
        let mut src = Vec::with_capacity(g.arcs() * 4);
        let mut dst = Vec::with_capacity(g.arcs() * 4);
        let mut tr = Vec::with_capacity(g.arcs() * 4);
        let trust = g.trust();
        let targets = g.targets();
        let mut mutual = true;
        for u in 0..g.nodes() {
            for a in g.arc_range(u) {
                let v = targets[a];
                src.extend_from_slice(&u.to_le_bytes());
                dst.extend_from_slice(&v.to_le_bytes());
                tr.extend_from_slice(&trust[a].to_le_bytes());
                if mutual {
                    let back = g.arc_range(v);
                    mutual = match targets[back.clone()].binary_search(&u) {
                        Ok(i) => trust[back.start + i] == trust[a],
                        Err(_) => false,
                    };
                }
            }
        }
        let names: Vec<PyObject> = (0..g.nodes())
            .map(|u| name_of(py, g, u))
            .collect::<PyResult<_>>()?;
        let segments: Option<Vec<Option<String>>> = g.segments().map(|s| {
            (0..g.nodes())
                .map(|u| s.of(u).map(|i| s.name(i).into_owned()))
                .collect()
        });
        (
            PyBytes::new(py, &src),
            PyBytes::new(py, &dst),
            PyBytes::new(py, &tr),
            names,
            segments,
            mutual,
        )
            .into_pyobject(py)
    }

    /// The name summary.json gives the graph's source.
    #[getter]
    fn _source(&self) -> String {
        self.source.clone()
    }

    fn __repr__(&self) -> String {
        format!(
            "Graph({} people, {} follower arcs{}{})",
            self.inner.nodes(),
            self.inner.arcs(),
            if self.directed { ", directed" } else { "" },
            if self.inner.segments().is_some() {
                ", segments"
            } else {
                ""
            }
        )
    }

    fn __len__(&self) -> usize {
        self.inner.nodes() as usize
    }
}

/// Indices `0..len` sorted by `cmp` (stable).
fn sorted_order(len: usize, cmp: impl Fn(usize, usize) -> std::cmp::Ordering) -> Vec<u32> {
    let mut order: Vec<u32> = (0..len as u32).collect();
    order.sort_by(|&a, &b| cmp(a as usize, b as usize));
    order
}

// ---------------------------------------------------------------- runs

/// Whether the scenario needs people to have segments.
fn uses_segments(s: &Scenario) -> bool {
    s.target.is_some()
        || s.segment_trust.is_some()
        || s.strategies.iter().any(|x| x.segments.is_some())
        || s.rival
            .as_ref()
            .is_some_and(|r| r.seeding.segments.is_some())
}

/// The scenario prepared on a graph from Python in place of its `[graph]`:
/// the scenario's trust drawn on it unless it brings its own, its segment
/// trust applied, then the seeds chosen as for any run.
fn prepare_given(
    mut scenario: Scenario,
    given: &PyGraph,
    within: &Resources,
) -> Result<Prepared, viralsim::Error> {
    let started = Instant::now();
    let refuse = |scenario: &Scenario, key: &str, message: &str| -> viralsim::Error {
        ScenarioError::at(scenario.graph_location(key), message).into()
    };
    let mut graph = (*given.inner).clone();
    match scenario.segment_file.clone() {
        Some(path) if is_placeholder(&path) => scenario.segment_file = None,
        Some(_) if graph.segments().is_some() => {
            return Err(refuse(
                &scenario,
                "segments",
                "the graph given has segments of its own and [graph] names a `segments` file too: give each person's segment in one of them",
            ));
        }
        Some(path) => {
            // The scenario's segments file, read against the given graph's ids.
            let read = segments::read(&path, &graph).map_err(|source| viralsim::Error::Graph {
                location: Box::new(scenario.graph_location("segments")),
                source,
            })?;
            graph = graph.with_named_segments(read);
        }
        None => {}
    }
    if scenario.people_file.is_some() {
        return Err(refuse(
            &scenario,
            "people",
            "a graph given from Python brings its own segments, and [costs] file gives costs: drop [graph] people",
        ));
    }
    if scenario.sweep.is_some() {
        return Err(ScenarioError::at(
            Location {
                file: scenario.path.clone(),
                line: None,
                column: None,
                key: Some("sweep".into()),
            },
            "a [sweep] builds the network of every point from [graph]: run it without a graph (graph=None)",
        )
        .into());
    }
    if uses_segments(&scenario) && graph.segments().is_none() {
        return Err(refuse(
            &scenario,
            "segments",
            "the scenario refers to segments ([target], a strategy's `segments` or [trust] same_segment / other_segment), but the graph given has none: build it with segment=...",
        ));
    }
    if given.own_trust {
        if scenario.trust != (TrustSpec::Constant { value: 1.0 }) {
            return Err(ScenarioError::at(
                scenario.trust_location("distribution"),
                "the graph given has its own trust on every arc: drop `distribution` and its keys from [trust] (same_segment and other_segment still apply), or build the graph without trust",
            )
            .into());
        }
    } else {
        trust::assign(&mut graph, &scenario.trust, scenario.simulation.seed);
    }
    if let Some(factors) = &scenario.segment_trust {
        trust::by_segment(&mut graph, factors);
    }
    footprint::check_built(&scenario, &graph, within, Purpose::Simulate)?;
    scenario.graph = GraphSource::EdgeList {
        path: PathBuf::from(&given.source),
        directed: given.directed,
    };
    // A graph's own trust counts like an edge list's trust column (the
    // strategies read its mean over the arcs).
    let cleaning = given.own_trust.then_some(Cleaning {
        trust_column: true,
        ..Cleaning::default()
    });
    pipeline::prepare_on_within(scenario, graph, cleaning, started, within, &Unwatched)
}

/// Run `work` on a thread of its own with the GIL released, looking for
/// Ctrl-C every [`POLL`]: on one, ask the engine to stop, wait for the
/// work to wind down, and raise `KeyboardInterrupt`.
fn interruptible<T: Send>(py: Python<'_>, work: impl FnOnce() -> T + Send) -> PyResult<T> {
    let finished = (Mutex::new(false), Condvar::new());
    std::thread::scope(|scope| {
        let worker = scope.spawn(|| {
            let out = work();
            if let Ok(mut done) = finished.0.lock() {
                *done = true;
            }
            finished.1.notify_all();
            out
        });
        loop {
            let done = py.allow_threads(|| match finished.0.lock() {
                Ok(done) => finished
                    .1
                    .wait_timeout_while(done, POLL, |done| !*done)
                    .map_or(true, |(done, _)| *done),
                Err(_) => true,
            });
            if done {
                break;
            }
            if let Err(interrupt) = py.check_signals() {
                engine::stop(true);
                let _ = py.allow_threads(|| worker.join());
                engine::stop(false);
                return Err(interrupt);
            }
        }
        match py.allow_threads(|| worker.join()) {
            Ok(out) => Ok(out),
            Err(_) => Err(PyValueError::new_err("the simulation failed unexpectedly")),
        }
    })
}

/// A worker pool of `threads` threads (all cores by default).
fn pool(py: Python<'_>, threads: Option<usize>) -> PyResult<rayon::ThreadPool> {
    let mut b = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        resources::check_threads(n).map_err(|m| bad_argument(py, "threads", m))?;
        b = b.num_threads(n);
    }
    b.build()
        .map_err(|e| bad_argument(py, "threads", format!("cannot start worker threads: {e}")))
}

/// The scenario with `runs` and `seed` overridden as the command line's
/// flags do.
fn overridden(
    py: Python<'_>,
    scenario: &PyScenario,
    runs: Option<i128>,
    seed: Option<i128>,
) -> PyResult<Scenario> {
    let mut s = scenario.inner.clone();
    if let Some(runs) = runs {
        let runs = scenario::check_runs(runs).map_err(|m| bad_argument(py, "runs", m))?;
        s.set_runs(runs.into())
            .map_err(|e| py_error(py, &e.into()))?;
    }
    if let Some(seed) = seed {
        let seed = scenario::check_seed(seed).map_err(|m| bad_argument(py, "seed", m))?;
        s.set_seed(seed).map_err(|e| py_error(py, &e.into()))?;
    }
    Ok(s)
}

/// What a run made: everything the outputs are rendered from, and each
/// strategy's own runs.
#[pyclass(name = "_Run", module = "viralsim", frozen)]
struct PyRun {
    prepared: Prepared,
    results: Results,
    sweep: Option<SweepResults>,
    outcomes: Vec<Option<Outcome>>,
    threads: usize,
}

/// Simulate `scenario` (on `graph` in place of its `[graph]`, if given)
/// exactly as `viralsim run` does, with the GIL released.
#[pyfunction]
#[pyo3(signature = (scenario, graph = None, runs = None, seed = None, threads = None))]
fn run(
    py: Python<'_>,
    scenario: &PyScenario,
    graph: Option<&PyGraph>,
    runs: Option<i128>,
    seed: Option<i128>,
    threads: Option<usize>,
) -> PyResult<PyRun> {
    let s = overridden(py, scenario, runs, seed)?;
    if graph.is_none() {
        needs_no_graph(py, &s)?;
    }
    let pool = pool(py, threads)?;
    let threads = pool.current_num_threads();
    let within = Resources {
        memory: Memory::of_machine(),
        threads,
    };
    let made = interruptible(py, || {
        pool.install(|| -> Result<Option<PyRun>, viralsim::Error> {
            let prepared = match graph {
                Some(g) => prepare_given(s, g, &within)?,
                None => pipeline::prepare_within(s, &within, &Unwatched)?,
            };
            let mut outcomes: Vec<Option<Outcome>> = Vec::new();
            outcomes.resize_with(prepared.seeds.len(), || None);
            let results =
                pipeline::simulate_keeping(&prepared, &|_| {}, &|_| {}, &mut |i, outcome| {
                    outcomes[i] = Some(outcome)
                });
            // Stopped: the caller raises KeyboardInterrupt.
            let Ok(results) = results else {
                return Ok(None);
            };
            let point_within = within.less(prepared.resident_bytes());
            let swept = match engine::stopping() {
                true => None,
                false => sweep::run_within(&prepared.scenario, &point_within, &|_| {}, &|_| {})?,
            };
            Ok(Some(PyRun {
                prepared,
                results,
                sweep: swept,
                outcomes,
                threads,
            }))
        })
    })?;
    match made {
        Ok(Some(run)) => Ok(run),
        Ok(None) => Err(PyKeyboardInterrupt::new_err("the simulation was stopped")),
        Err(e) => Err(py_error(py, &e)),
    }
}

/// Choose the seeds of the scenario's first strategy on `graph`: their
/// ids, and each one's estimated gain where the strategy knows it.
#[pyfunction]
#[pyo3(signature = (scenario, graph, threads = None))]
fn choose(
    py: Python<'_>,
    scenario: &PyScenario,
    graph: &PyGraph,
    threads: Option<usize>,
) -> PyResult<(Vec<PyObject>, Option<Vec<f64>>)> {
    let pool = pool(py, threads)?;
    let within = Resources {
        memory: Memory::of_machine(),
        threads: pool.current_num_threads(),
    };
    let s = scenario.inner.clone();
    let prepared = interruptible(py, || pool.install(|| prepare_given(s, graph, &within)))?
        .map_err(|e| py_error(py, &e))?;
    let (Some(seeds), Some(gains)) = (prepared.seeds.first(), prepared.gains.first()) else {
        return Err(bad_argument(py, "kind", "no strategy to choose with"));
    };
    match seeds {
        Seeds::Fixed(s) => {
            let ids = s
                .iter()
                .map(|&v| name_of(py, &prepared.graph, v))
                .collect::<PyResult<_>>()?;
            Ok((ids, gains.clone()))
        }
        Seeds::PerRun(_) => Err(bad_argument(
            py,
            "kind",
            "this kind draws new seeds in every run; choose_seeds returns one fixed set (run a scenario to see its runs)",
        )),
    }
}

/// Person `v`'s id as Python sees it: an int or a str.
fn name_of(py: Python<'_>, g: &Graph, v: Node) -> PyResult<PyObject> {
    Ok(match g.name(v) {
        viralsim::graph::labels::Name::Number(n) => n.into_pyobject(py)?.into_any().unbind(),
        viralsim::graph::labels::Name::Text(t) => t.into_pyobject(py)?.into_any().unbind(),
    })
}

#[pymethods]
impl PyRun {
    /// The bytes of the output file `name` (`summary.json`, `curves.csv`,
    /// ...) as the command line writes it.
    fn _file<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyBytes>> {
        let report = Report {
            prepared: &self.prepared,
            results: &self.results,
            sweep: self.sweep.as_ref(),
        };
        let run = RunInfo::new(self.threads);
        let charts = &self.prepared.scenario.charts;
        for exporter in report::exporters(charts, &run) {
            if !exporter.writes(name) {
                continue;
            }
            let files = exporter.render(&report).map_err(|e| py_error(py, &e))?;
            if let Some(f) = files.into_iter().find(|f| f.name == name) {
                return Ok(PyBytes::new(py, &f.bytes));
            }
        }
        Err(bad_argument(
            py,
            "name",
            format!("{name:?} is not a file this run writes"),
        ))
    }

    /// Write every output file into `out/<scenario name>/`, as `viralsim
    /// run --out out` does (atomically, locked); returns the paths written.
    fn write(&self, py: Python<'_>, out: PathBuf) -> PyResult<Vec<PathBuf>> {
        let written = py.allow_threads(|| {
            let dir = OutputDir::open(&out, &self.prepared.scenario.name)?;
            let report = Report {
                prepared: &self.prepared,
                results: &self.results,
                sweep: self.sweep.as_ref(),
            };
            report::write_all(&report, dir, &RunInfo::new(self.threads))
        });
        written.map_err(|e| py_error(py, &e))
    }

    /// Strategy names in the scenario's order.
    #[getter]
    fn strategy_names(&self) -> Vec<String> {
        self.results
            .strategies
            .iter()
            .map(|s| s.name.clone())
            .collect()
    }

    /// Strategy indices from the best by the goal's metric.
    #[getter]
    fn ranked(&self) -> Vec<usize> {
        self.results.ranked()
    }

    /// Runs made per strategy.
    #[getter]
    fn run_count(&self) -> u32 {
        self.results.runs
    }

    /// Metrics each run of strategy `i` recorded.
    fn metrics(&self, i: usize) -> Vec<&'static str> {
        self.outcomes
            .get(i)
            .and_then(|o| o.as_ref())
            .map(|o| o.metrics.iter().map(|m| m.name()).collect())
            .unwrap_or_default()
    }

    /// Metric `metric` of strategy `i` in every run, step by step:
    /// (uint32 bytes, runs, steps + 1).
    fn _curves<'py>(
        &self,
        py: Python<'py>,
        i: usize,
        metric: &str,
    ) -> PyResult<(Bound<'py, PyBytes>, u32, u32)> {
        let Some(outcome) = self.outcomes.get(i).and_then(|o| o.as_ref()) else {
            return Err(bad_argument(py, "strategy", "no such strategy"));
        };
        let Some(m) = outcome.metrics.iter().position(|x| x.name() == metric) else {
            let known: Vec<&str> = outcome.metrics.iter().map(|m| m.name()).collect();
            return Err(bad_argument(
                py,
                "metric",
                format!("{metric:?} is not recorded; allowed {}", known.join(", ")),
            ));
        };
        let len = outcome.steps + 1;
        let mut bytes = Vec::with_capacity(outcome.runs as usize * len as usize * 4);
        for r in 0..outcome.runs {
            for x in outcome.curve(r, m) {
                bytes.extend_from_slice(&x.to_le_bytes());
            }
        }
        Ok((PyBytes::new(py, &bytes), outcome.runs, len))
    }

    /// Seconds spent loading, seeding and simulating.
    #[getter]
    fn timings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let t = &self.results.timings;
        let d = PyDict::new(py);
        d.set_item("load_seconds", t.load_seconds)?;
        d.set_item("seed_seconds", t.seed_seconds)?;
        d.set_item("simulate_seconds", t.simulate_seconds)?;
        d.set_item("threads", self.threads)?;
        Ok(d)
    }
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyScenario>()?;
    m.add_class::<PyGraph>()?;
    m.add_class::<PyRun>()?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(choose, m)?)?;
    m.add("VERSION", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
