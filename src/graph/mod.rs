//! The social graph: a compact, immutable CSR of follower arcs with a trust
//! per arc. An arc `u -> v` means `v` follows `u` (sees what `u` shares), so
//! a person's out-arcs are their followers. People are numbered densely
//! `0..nodes`; the ids of the input (edge list) are kept as labels and used in
//! every output.

pub mod analysis;
pub mod arc_trust;
pub mod attributes;
pub mod binary;
pub mod costs;
pub mod edgelist;
pub mod footprint;
pub mod generators;
pub mod interop;
pub mod labels;
pub mod people;
pub mod segments;
mod spec;
pub mod storage;
pub mod table;
pub mod trust;

use std::path::PathBuf;

use thiserror::Error;

use crate::resources::Memory;
use crate::rng;

pub use arc_trust::{ArcTrust, Trust};
pub use labels::{Name, PersonRef, Texts};
pub use segments::{Segments, NO_SEGMENT};
pub use spec::{GeneratorSpec, GraphSource};
pub use storage::Words;

/// A person's dense index inside the graph.
pub type Node = u32;

/// Largest number of people a graph may hold (dense ids are u32).
pub const MAX_NODES: u64 = u32::MAX as u64 - 1;

/// Largest number of follower arcs a graph may hold: row offsets are u32,
/// which keeps them at 4 bytes a person (a graph this large needs 16 GiB
/// for its targets alone).
pub const MAX_ARCS: u64 = u32::MAX as u64;

/// What went wrong building a graph.
#[derive(Debug, Error)]
pub enum GraphError {
    #[error("cannot read edge list {path}: {source}")]
    Open {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{message}")]
    Invalid { message: String },
    /// A binary graph (`.vsg`) that cannot be used.
    #[error("binary graph {path}: {message}")]
    Binary { path: PathBuf, message: String },
    #[error("cannot read person file {path}: {source}")]
    OpenPeople {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Line {
        path: PathBuf,
        line: u64,
        message: String,
    },
    #[error("edge list {path} has no edges (only comments, blank lines or self-loops); a graph needs at least one link between two different people")]
    Empty { path: PathBuf },
    #[error("edge list {path} has {nodes} distinct people; at most {max} are supported")]
    TooManyNodes { path: PathBuf, nodes: u64, max: u64 },
    /// More arcs than [`MAX_ARCS`].
    #[error(
        "{graph} has {arcs} follower arcs (a mutual follow is two); at most {max} are supported"
    )]
    TooManyArcs {
        /// The edge list's path, or the generator.
        graph: String,
        arcs: u64,
        max: u64,
    },
    /// Reading stopped before the graph outgrew the memory available.
    #[error("{}: the edge list is too large for the memory available: {message}", at_line(path, *line))]
    TooLarge {
        path: PathBuf,
        /// The line reading stopped at (None: read whole).
        line: Option<u64>,
        message: String,
    },
}

/// `path:line`, or `path` alone.
fn at_line(path: &std::path::Path, line: Option<u64>) -> String {
    match line {
        Some(l) => format!("{}:{l}", path.display()),
        None => path.display().to_string(),
    }
}

/// Longest line a data file (edge list, segments, costs) may have, in
/// bytes: real lines are a few dozen bytes, and an endless one (a binary
/// file, /dev/zero) must not be read into memory whole.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Open the data file at `path` for reading: a file, a pipe or a character
/// device (a stream ends at the first line too long); a folder or a block
/// device is an error saying so.
pub(crate) fn open_data_file(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    let kind = std::fs::metadata(path)?.file_type();
    if kind.is_dir() {
        return Err(std::io::Error::other("it is a folder; name a file"));
    }
    #[cfg(unix)]
    if std::os::unix::fs::FileTypeExt::is_block_device(&kind) {
        return Err(std::io::Error::other("it is a disk device; name a file"));
    }
    std::fs::File::open(path)
}

/// Directed follower graph in compressed sparse rows.
#[derive(Debug, Clone)]
pub struct Graph {
    /// `offsets[u]..offsets[u + 1]` are the arc ids of `u`'s followers
    /// (at most [`MAX_ARCS`] arcs).
    offsets: Words<u32>,
    /// Target (follower) of each arc, sorted by target within a row.
    targets: Words<Node>,
    /// Trust of the arcs, in [0, 1]: one value while all are equal.
    trust: ArcTrust,
    /// Original id of each person.
    labels: labels::Labels,
    /// Segment of each person (community, demographic group), if known.
    segments: Option<Segments>,
    /// Whether every arc's reverse is known to be an arc (built from
    /// undirected edges); false when not known.
    undirected: bool,
    /// [`Graph::fingerprint`], once asked for (every output that shows it
    /// asks; it is a chain over every arc, not worth computing twice).
    fingerprint: std::sync::OnceLock<u64>,
}

impl Graph {
    /// Build from a dense node count and arcs `(u, v)` meaning `v` follows
    /// `u`. Arcs must be free of self-loops and duplicates. Trust starts at 1.
    pub fn from_arcs(nodes: u32, mut arcs: Vec<(Node, Node)>) -> Graph {
        // Arcs are distinct, so any sort, parallel or not, orders them alike.
        rayon::slice::ParallelSliceMut::par_sort_unstable(&mut arcs[..]);
        debug_assert!(arcs.windows(2).all(|w| w[0] != w[1]));
        Graph::from_sorted_arcs(nodes, arcs)
    }

    /// [`Graph::from_arcs`] for arcs already sorted (and distinct).
    pub fn from_sorted_arcs(nodes: u32, arcs: Vec<(Node, Node)>) -> Graph {
        debug_assert!(arcs.windows(2).all(|w| w[0] < w[1]));
        debug_assert!(arcs.iter().all(|&(u, v)| u != v && u < nodes && v < nodes));
        let offsets = row_offsets(nodes, arcs.len(), arcs.iter().map(|&(u, _)| u));
        let mut targets: Vec<Node> = arcs.into_iter().map(|(_, v)| v).collect();
        // Collected in place, the targets would keep the arcs' allocation,
        // twice what they need, for the graph's whole life.
        targets.shrink_to_fit();
        Graph::dense(offsets, targets, false)
    }

    /// A graph of dense ids from its rows, every arc of trust 1.
    fn dense(offsets: Vec<u32>, targets: Vec<Node>, undirected: bool) -> Graph {
        Graph {
            undirected,
            offsets: offsets.into(),
            targets: targets.into(),
            trust: ArcTrust::Constant(1.0),
            labels: labels::Labels::Dense,
            segments: None,
            fingerprint: Default::default(),
        }
    }

    /// Build from its rows as stored: `follower_counts[u]` followers of
    /// `u`, whose targets (sorted within a row) and trusts come next in
    /// `targets` and `trust`, row after row (as [`binary`] stores them).
    /// None unless the counts add up to the arcs, at most [`MAX_ARCS`],
    /// and every row holds other people of the graph.
    pub fn from_rows(
        follower_counts: &[u32],
        targets: Vec<Node>,
        trust: Vec<f32>,
    ) -> Option<Graph> {
        let mut offsets = Vec::with_capacity(follower_counts.len() + 1);
        let mut at = 0u32;
        offsets.push(0);
        for &c in follower_counts {
            at = at.checked_add(c)?;
            offsets.push(at);
        }
        if trust.len() != targets.len() {
            return None;
        }
        Graph::from_parts(offsets, targets, ArcTrust::of(trust), None, None).ok()
    }

    /// Build from undirected edges: each becomes two arcs.
    pub fn from_undirected(nodes: u32, edges: &[(Node, Node)]) -> Graph {
        let mut arcs = Vec::with_capacity(edges.len() * 2);
        for &(u, v) in edges {
            arcs.push((u, v));
            arcs.push((v, u));
        }
        let mut graph = Graph::from_arcs(nodes, arcs);
        graph.undirected = true;
        graph
    }

    /// [`Graph::from_undirected`] for edges `(u, v)` with `u < v`, sorted
    /// and distinct: each row is filled in order, without sorting the arcs.
    pub fn from_sorted_edges(nodes: u32, edges: &[(Node, Node)]) -> Graph {
        debug_assert!(edges.windows(2).all(|w| w[0] < w[1]));
        debug_assert!(edges.iter().all(|&(u, v)| u < v && v < nodes));
        let ends = edges.iter().flat_map(|&(u, v)| [u, v]);
        let offsets = row_offsets(nodes, 2 * edges.len(), ends);
        let mut targets: Vec<Node> = vec![0; 2 * edges.len()];
        // The rows are cut into a range of people per thread, of about as
        // many arcs each, and every range filled by its own thread: each row
        // is filled in the same order whatever the cut.
        let parts = rayon::current_num_threads().max(1);
        let per_part = targets.len().div_ceil(parts).max(1);
        let mut ranges = Vec::with_capacity(parts);
        let mut rest = &mut targets[..];
        let mut start = 0u32;
        while start < nodes {
            let base = offsets[start as usize] as usize;
            // The first row end at or past the goal ends this range.
            let past = offsets.partition_point(|&o| (o as usize) < base + per_part) as u32;
            let end = past.clamp(start + 1, nodes);
            let (rows, tail) = rest.split_at_mut(offsets[end as usize] as usize - base);
            ranges.push((start, end, rows));
            rest = tail;
            start = end;
        }
        rayon::iter::ParallelIterator::for_each(
            rayon::iter::IntoParallelIterator::into_par_iter(ranges),
            |(start, end, rows)| fill_rows(edges, &offsets, start..end, rows),
        );
        Graph::dense(offsets, targets, true)
    }

    /// A graph from its parts, as [`Graph::offsets`], [`Graph::targets`],
    /// [`Graph::arc_trust`], [`Graph::ids`] and [`Graph::segments`] give
    /// them (a graph saved and read back). Checked: the offsets rise from
    /// 0 to the number of arcs, every target is a person, the rows hold no
    /// self-loop, a trust is given per arc (or one for all) in [0, 1], one
    /// id and segment per person, ids strictly increasing. The offsets and
    /// targets are vectors, or words of a binary graph file used in place.
    pub fn from_parts(
        offsets: impl Into<Words<u32>>,
        targets: impl Into<Words<Node>>,
        trust: ArcTrust,
        ids: Option<Vec<u64>>,
        segments: Option<Segments>,
    ) -> Result<Graph, GraphError> {
        let (offsets, targets) = (offsets.into(), targets.into());
        let bad = |message: String| Err(GraphError::Invalid { message });
        let Some(&last) = offsets.last() else {
            return bad("a graph's row offsets hold at least one number (0)".into());
        };
        let nodes = offsets.len() - 1;
        if nodes as u64 > MAX_NODES {
            return bad(format!("{nodes} people; at most {MAX_NODES} are supported"));
        }
        if offsets[0] != 0 || last as usize != targets.len() {
            return bad(format!(
                "row offsets run from {} to {last}; they must run from 0 to the {} arcs",
                offsets[0],
                targets.len()
            ));
        }
        // Swept whole first (it vectorises), searched only when it fails.
        let falls = offsets.windows(2).fold(false, |b, w| b | (w[1] < w[0]));
        if let Some(u) = offsets.windows(2).position(|w| falls && w[1] < w[0]) {
            let (start, end) = (offsets[u], offsets[u + 1]);
            return bad(format!(
                "row offsets fall at person {u}: {start} then {end}"
            ));
        }
        if let Some(u) = first_strange_row(&offsets, &targets) {
            let v = targets[offsets[u] as usize..offsets[u + 1] as usize]
                .iter()
                .copied()
                .find(|&v| v as usize >= nodes || v as usize == u)
                .unwrap_or_default();
            return bad(format!(
                "person {u} has follower {v}; followers are other people below {nodes}"
            ));
        }
        match &trust {
            ArcTrust::PerArc(t) if t.len() != targets.len() => {
                return bad(format!("{} trusts for {} arcs", t.len(), targets.len()))
            }
            ArcTrust::PerArc(t) => {
                if let Some(a) = first_out_of_range(t) {
                    return bad(format!("arc {a} has trust {}; trust is in [0, 1]", t[a]));
                }
            }
            ArcTrust::Constant(t) if !(0.0..=1.0).contains(t) => {
                return bad(format!("trust {t}; trust is in [0, 1]"))
            }
            ArcTrust::Constant(_) => {}
        }
        let labels = match ids {
            None => labels::Labels::Dense,
            Some(ids) if ids.len() != nodes => {
                return bad(format!("{} ids for {nodes} people", ids.len()))
            }
            Some(ids) if ids.windows(2).any(|w| w[0] >= w[1]) => {
                return bad("ids must be strictly increasing".into())
            }
            Some(ids) => labels::Labels::Numbers(ids),
        };
        if let Some(s) = &segments {
            if s.all().len() != nodes {
                return bad(format!("{} segments for {nodes} people", s.all().len()));
            }
        }
        Ok(Graph {
            offsets,
            targets,
            trust,
            labels,
            segments,
            undirected: false,
            fingerprint: Default::default(),
        })
    }

    /// The graph with its [`Graph::fingerprint`] known already: recorded
    /// beside it in a binary graph, whose checksum vouches for it.
    pub(crate) fn with_fingerprint(self, fingerprint: u64) -> Graph {
        let _ = self.fingerprint.set(fingerprint);
        self
    }

    /// The graph marked undirected (every arc's reverse an arc), as a
    /// binary graph file records it.
    pub(crate) fn with_undirected(mut self, undirected: bool) -> Graph {
        self.undirected = undirected;
        self
    }

    /// Row offsets: `offsets()[u]..offsets()[u + 1]` are the arc ids of
    /// `u`'s followers; one more than there are people.
    pub fn offsets(&self) -> &[u32] {
        &self.offsets
    }

    /// The trust of the arcs as stored: one value, or one per arc.
    pub fn arc_trust(&self) -> &ArcTrust {
        &self.trust
    }

    /// The people's whole-number ids by dense index, when they are not
    /// the dense index itself (generated graphs) nor text.
    pub fn ids(&self) -> Option<&[u64]> {
        match &self.labels {
            labels::Labels::Numbers(l) => Some(l),
            _ => None,
        }
    }

    /// Attach the original ids (one per dense node, strictly increasing).
    pub fn with_labels(mut self, labels: Vec<u64>) -> Graph {
        debug_assert_eq!(labels.len(), self.nodes() as usize);
        self.fingerprint = Default::default();
        // Ids 0..n are the dense indices: nothing to keep.
        let dense = labels.iter().enumerate().all(|(i, &id)| id == i as u64);
        self.labels = if dense {
            labels::Labels::Dense
        } else {
            labels::Labels::Numbers(labels)
        };
        self
    }

    /// Attach text ids (one per dense node, in [`labels::natural_cmp`]
    /// order).
    pub fn with_texts(mut self, texts: Texts) -> Graph {
        debug_assert_eq!(texts.len(), self.nodes() as usize);
        self.fingerprint = Default::default();
        self.labels = labels::Labels::Texts(texts);
        self
    }

    /// Whether people are named by text ids (usernames) rather than
    /// numbers.
    pub fn has_text_ids(&self) -> bool {
        matches!(self.labels, labels::Labels::Texts(_))
    }

    /// Attach a segment per person, numbered (each named by its number).
    pub fn with_segments(self, segments: Vec<u32>) -> Graph {
        self.with_named_segments(Segments::numbered(segments))
    }

    /// Attach segments (replacing any the graph had).
    pub fn with_named_segments(mut self, segments: Segments) -> Graph {
        debug_assert_eq!(segments.all().len(), self.nodes() as usize);
        self.fingerprint = Default::default();
        self.segments = Some(segments);
        self
    }

    /// Replace the trust of every arc (same order as arc ids); stored once
    /// when all are equal.
    pub fn set_trust(&mut self, trust: Vec<f32>) {
        assert_eq!(trust.len(), self.targets.len());
        self.fingerprint = Default::default();
        self.trust = ArcTrust::of(trust);
    }

    /// Give every arc the trust `value`.
    pub fn set_constant_trust(&mut self, value: f32) {
        self.fingerprint = Default::default();
        self.trust = ArcTrust::Constant(value);
    }

    /// Whether the graph is known to be undirected: built from undirected
    /// edges, every arc `u -> v` has its reverse `v -> u`. False says only
    /// that it is not known (a directed edge list may happen to hold every
    /// reverse).
    pub fn is_undirected(&self) -> bool {
        self.undirected
    }

    /// Number of people.
    #[inline]
    pub fn nodes(&self) -> u32 {
        (self.offsets.len() - 1) as u32
    }

    /// Number of follower arcs.
    #[inline]
    pub fn arcs(&self) -> usize {
        self.targets.len()
    }

    /// Bytes the graph holds in memory (its vectors' capacities, and the
    /// part of a memory-mapped binary graph it uses, resident once read).
    pub fn heap_bytes(&self) -> u64 {
        (self.offsets.bytes()
            + self.targets.bytes()
            + self.trust.heap_bytes()
            + self.labels.heap_bytes()
            + self.segments.as_ref().map_or(0, |s| s.all().len() * 4)) as u64
    }

    /// Mean number of followers per person.
    pub fn mean_degree(&self) -> f64 {
        self.arcs() as f64 / self.nodes() as f64
    }

    /// Arc ids of `u`'s followers.
    #[inline(always)]
    pub fn arc_range(&self, u: Node) -> std::ops::Range<usize> {
        self.offsets[u as usize] as usize..self.offsets[u as usize + 1] as usize
    }

    /// Hint that `u`'s row of arcs will be needed soon (a frontier is known a
    /// step ahead; fetching its rows early hides memory latency).
    #[inline(always)]
    pub fn prefetch_row_bounds(&self, u: Node) {
        crate::prefetch(self.offsets.as_ptr().wrapping_add(u as usize));
    }

    /// `u`'s followers.
    #[inline]
    pub fn followers(&self, u: Node) -> &[Node] {
        &self.targets[self.arc_range(u)]
    }

    /// Number of `u`'s followers (out-degree).
    #[inline]
    pub fn follower_count(&self, u: Node) -> u32 {
        let r = self.arc_range(u);
        (r.end - r.start) as u32
    }

    /// Targets of all arcs, indexed by arc id.
    #[inline]
    pub fn targets(&self) -> &[Node] {
        &self.targets
    }

    /// Trust of all arcs, indexed by arc id (`trust()[a]`, `trust().iter()`),
    /// however it is stored.
    #[inline]
    pub fn trust(&self) -> Trust<'_> {
        match &self.trust {
            ArcTrust::Constant(value) => Trust::Constant {
                value,
                arcs: self.targets.len(),
            },
            ArcTrust::PerArc(t) => Trust::PerArc(t),
        }
    }

    /// Where person `u` stands in id order, for ties between people: their
    /// whole-number id (as in the edge list; the index for generated
    /// graphs), or, for text ids, their index (text ids are numbered in
    /// natural order). Outputs name people by [`Graph::name`].
    #[inline]
    pub fn label(&self, u: Node) -> u64 {
        match &self.labels {
            labels::Labels::Numbers(l) => l[u as usize],
            labels::Labels::Dense | labels::Labels::Texts(_) => u as u64,
        }
    }

    /// Person `u`'s id as the input wrote it.
    #[inline]
    pub fn name(&self, u: Node) -> Name<'_> {
        match &self.labels {
            labels::Labels::Texts(t) => Name::Text(t.get(u as usize)),
            _ => Name::Number(self.label(u)),
        }
    }

    /// Dense index of the person with whole-number id `id`, if present
    /// (with text ids, the person whose id is `id` written out).
    pub fn node_of(&self, id: u64) -> Option<Node> {
        match &self.labels {
            labels::Labels::Numbers(l) => l.binary_search(&id).ok().map(|i| i as Node),
            labels::Labels::Dense => (id < self.nodes() as u64).then_some(id as Node),
            labels::Labels::Texts(t) => t.find(&id.to_string()).map(|i| i as Node),
        }
    }

    /// Dense index of the person with the id `id` as a file writes it (a
    /// whole number, or a text id), if present.
    pub fn find(&self, id: &str) -> Option<Node> {
        labels::find_text(&self.labels, self.nodes(), id)
    }

    /// Dense index of the person a scenario names, if present.
    pub fn find_ref(&self, id: &PersonRef) -> Option<Node> {
        match id {
            PersonRef::Number(n) => self.node_of(*n),
            PersonRef::Text(t) => self.find(t),
        }
    }

    /// Everyone linked to each person by an arc in either direction, each
    /// once, rows sorted: the undirected simple view of the graph.
    ///
    /// Linear in nodes + arcs: the people each person follows are bucketed by
    /// a counting sort (sorted, since sources are visited in order) and merged
    /// with their sorted followers.
    pub fn neighbours(&self) -> Neighbours {
        if self.undirected {
            // Each row already holds everyone linked to its person.
            return Neighbours {
                offsets: self.offsets.iter().map(|&o| o as usize).collect(),
                neighbours: self.targets.to_vec(),
            };
        }
        let n = self.nodes() as usize;
        let mut in_offsets = vec![0usize; n + 1];
        for &v in self.targets() {
            in_offsets[v as usize + 1] += 1;
        }
        for i in 0..n {
            in_offsets[i + 1] += in_offsets[i];
        }
        let mut fill = in_offsets.clone();
        let mut sources = vec![0 as Node; self.arcs()];
        for u in 0..self.nodes() {
            for &v in self.followers(u) {
                sources[fill[v as usize]] = u;
                fill[v as usize] += 1;
            }
        }
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0);
        let mut neighbours = Vec::with_capacity(2 * self.arcs());
        for v in 0..n {
            let out = self.followers(v as Node);
            let inn = &sources[in_offsets[v]..in_offsets[v + 1]];
            let (mut i, mut j) = (0, 0);
            while i < out.len() || j < inn.len() {
                let next = match (out.get(i), inn.get(j)) {
                    (Some(&a), Some(&b)) if a == b => {
                        i += 1;
                        j += 1;
                        a
                    }
                    (Some(&a), Some(&b)) if a < b => {
                        i += 1;
                        a
                    }
                    (Some(&a), None) => {
                        i += 1;
                        a
                    }
                    (_, Some(&b)) => {
                        j += 1;
                        b
                    }
                    (None, None) => unreachable!(),
                };
                neighbours.push(next);
            }
            offsets.push(neighbours.len());
        }
        Neighbours {
            offsets,
            neighbours,
        }
    }

    /// The people's segments, if the graph has segments.
    pub fn segments(&self) -> Option<&Segments> {
        self.segments.as_ref()
    }

    /// A stable 64-bit hash of the graph as simulated: the number of
    /// people and arcs, every person's original id and followers, every
    /// arc's trust (its exact bits) and every person's segment. Equal
    /// graphs give equal fingerprints on every machine and for any thread
    /// count; any change to who follows whom, a trust or a label changes
    /// it (up to the odds of a 64-bit collision). Shown as 16 hex digits
    /// in run.json and report.html, so two result folders can be checked
    /// to come from the same network.
    pub fn fingerprint(&self) -> u64 {
        *self.fingerprint.get_or_init(|| self.hash())
    }

    /// [`Graph::fingerprint`], computed.
    fn hash(&self) -> u64 {
        // Each word is chained through SplitMix64's bijective mixer, so
        // the hash depends on every word and on their order.
        let mut h = 0x6A09_E667_F3BC_C909_u64;
        let mut word = |w: u64| h = rng::mix64(h.wrapping_add(rng::GOLDEN) ^ w);
        word(self.nodes() as u64);
        word(self.arcs() as u64);
        for u in 0..self.nodes() {
            match self.name(u) {
                Name::Number(id) => word(id),
                Name::Text(text) => {
                    // Length first, so that no two lists of ids chain the
                    // same words.
                    word(text.len() as u64 | 1 << 63);
                    for chunk in text.as_bytes().chunks(8) {
                        let mut b = [0u8; 8];
                        b[..chunk.len()].copy_from_slice(chunk);
                        word(u64::from_le_bytes(b));
                    }
                }
            }
            word(self.follower_count(u) as u64);
        }
        match &self.trust {
            ArcTrust::Constant(t) => {
                for &v in self.targets.iter() {
                    word((v as u64) << 32 | t.to_bits() as u64);
                }
            }
            ArcTrust::PerArc(trust) => {
                for (&v, &t) in self.targets.iter().zip(trust) {
                    word((v as u64) << 32 | t.to_bits() as u64);
                }
            }
        }
        match &self.segments {
            Some(s) => {
                word(1);
                for &segment in s.all() {
                    word(segment as u64);
                }
            }
            None => word(0),
        }
        h
    }
}

/// The first person whose row (of rising `offsets` from 0 to the
/// targets) holds someone out of range or themself. The rows are checked
/// in blocks on every core; within a block, every follower is held to the
/// number of people in one sweep and each row to its person, without an
/// early exit, so both run on whole vectors.
fn first_strange_row(offsets: &[u32], targets: &[Node]) -> Option<usize> {
    use rayon::prelude::*;
    const ROWS: usize = 1 << 13;
    let nodes = offsets.len() - 1;
    let limit = nodes as Node;
    let strange = |lo: usize, hi: usize| {
        let arcs = &targets[offsets[lo] as usize..offsets[hi] as usize];
        let outside = arcs.iter().fold(false, |b, &v| b | (v >= limit));
        let mut own = false;
        for u in lo..hi {
            let row = &targets[offsets[u] as usize..offsets[u + 1] as usize];
            own |= row.iter().fold(false, |b, &v| b | (v == u as Node));
        }
        outside | own
    };
    let block = (0..nodes.div_ceil(ROWS))
        .into_par_iter()
        .position_first(|b| strange(b * ROWS, ((b + 1) * ROWS).min(nodes)))?;
    (block * ROWS..((block + 1) * ROWS).min(nodes)).find(|&u| strange(u, u + 1))
}

/// The first trust of `trust` outside [0, 1] (NaN included), by bits:
/// those of [0, 1] are +0 to 1 and -0, so the check vectorises and runs
/// on every core.
fn first_out_of_range(trust: &[f32]) -> Option<usize> {
    use rayon::prelude::*;
    let bad = |t: f32| {
        let b = t.to_bits();
        (b > 1.0f32.to_bits()) & (b != (-0.0f32).to_bits())
    };
    const CHUNK: usize = 1 << 16;
    let chunk = trust
        .par_chunks(CHUNK)
        .position_first(|c| c.iter().fold(false, |any, &t| any | bad(t)))?;
    let at = chunk * CHUNK;
    trust[at..].iter().position(|&t| bad(t)).map(|i| at + i)
}

/// Fill `rows`, the rows of the people `range` of the undirected graph of
/// `edges` (`(u, v)` with `u < v`, sorted): a row's smaller followers come
/// from the edges ending at it, met in ascending order; its larger ones
/// after them, from the edges starting at it, which are contiguous.
fn fill_rows(
    edges: &[(Node, Node)],
    offsets: &[u32],
    range: std::ops::Range<Node>,
    rows: &mut [Node],
) {
    let base = offsets[range.start as usize];
    let mut next: Vec<u32> = offsets[range.start as usize..range.end as usize]
        .iter()
        .map(|&o| o - base)
        .collect();
    for &(u, v) in edges {
        if range.contains(&v) {
            let slot = &mut next[(v - range.start) as usize];
            rows[*slot as usize] = u;
            *slot += 1;
        }
    }
    let first = edges.partition_point(|&(u, _)| u < range.start);
    let last = edges.partition_point(|&(u, _)| u < range.end);
    for &(u, v) in &edges[first..last] {
        let slot = &mut next[(u - range.start) as usize];
        rows[*slot as usize] = v;
        *slot += 1;
    }
}

/// Row offsets of `arcs` arcs whose sources, in arc order (sorted), are
/// `sources`.
fn row_offsets(nodes: u32, arcs: usize, sources: impl Iterator<Item = Node>) -> Vec<u32> {
    assert!(
        arcs as u64 <= MAX_ARCS,
        "{arcs} arcs; the loaders refuse more than {MAX_ARCS}"
    );
    let mut offsets = vec![0u32; nodes as usize + 1];
    for u in sources {
        offsets[u as usize + 1] += 1;
    }
    for i in 0..nodes as usize {
        offsets[i + 1] += offsets[i];
    }
    offsets
}

/// The undirected simple view of a graph, as compressed rows.
#[derive(Debug, Clone)]
pub struct Neighbours {
    offsets: Vec<usize>,
    neighbours: Vec<Node>,
}

impl Neighbours {
    /// People linked to `v` in either direction, each once, sorted.
    #[inline]
    pub fn of(&self, v: Node) -> &[Node] {
        &self.neighbours[self.offsets[v as usize]..self.offsets[v as usize + 1]]
    }

    /// Number of people.
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Whether there is nobody.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Call `record` with the number (1-based) and trimmed text of every data
/// line of `reader`: blank lines and `#` or `%` comment lines are skipped.
/// A line that is not UTF-8, or longer than [`MAX_LINE_BYTES`], is an
/// error naming it and `expected`; other read failures become
/// `open_error`. Lines are read through a window of at most
/// `MAX_LINE_BYTES` + 1 bytes, so an endless line costs no more memory.
pub(crate) fn for_each_record<R: std::io::BufRead>(
    mut reader: R,
    path: &std::path::Path,
    expected: &str,
    open_error: impl Fn(PathBuf, std::io::Error) -> GraphError,
    mut record: impl FnMut(u64, &str) -> Result<(), GraphError>,
) -> Result<(), GraphError> {
    use std::io::{BufRead, Read};
    let mut line = Vec::new();
    let mut number = 0u64;
    let bad = |number: u64, message: String| GraphError::Line {
        path: path.to_path_buf(),
        line: number,
        message,
    };
    loop {
        line.clear();
        let read = (&mut reader)
            .take(MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut line)
            .map_err(|source| open_error(path.to_path_buf(), source))?;
        if read == 0 {
            return Ok(());
        }
        number += 1;
        if read > MAX_LINE_BYTES && line.last() != Some(&b'\n') {
            return Err(bad(
                number,
                format!(
                    "line {number} is longer than {} MiB; {expected} (is this the right file?)",
                    MAX_LINE_BYTES >> 20
                ),
            ));
        }
        let Ok(text) = std::str::from_utf8(&line) else {
            return Err(bad(
                number,
                format!("line is not valid UTF-8 text; {expected}"),
            ));
        };
        let text = text.trim();
        if text.is_empty() || text.starts_with('#') || text.starts_with('%') {
            continue;
        }
        record(number, text)?;
    }
}

/// Build the graph a scenario describes (trust not yet assigned). For an
/// edge list, also say what cleaning it took. Reading an edge list stops
/// with an error before its graph would outgrow `memory` (a generated
/// graph's size is known beforehand: see [`footprint::generated`]).
pub fn load(
    source: &GraphSource,
    memory: &Memory,
) -> Result<(Graph, Option<edgelist::Cleaning>), GraphError> {
    match source {
        GraphSource::Generated { spec, seed } => {
            let too_many = |arcs: u64| GraphError::TooManyArcs {
                graph: format!("the {} graph", spec.name()),
                arcs,
                max: MAX_ARCS,
            };
            let expected = footprint::generated(spec).size.arcs;
            if expected > MAX_ARCS {
                return Err(too_many(expected));
            }
            let g = generators::generate(spec, *seed);
            if 2 * g.edges.len() as u64 > MAX_ARCS {
                return Err(too_many(2 * g.edges.len() as u64));
            }
            let graph = Graph::from_undirected(g.nodes, &g.edges);
            let graph = match g.segments {
                Some(s) => graph.with_segments(s),
                None => graph,
            };
            Ok((graph, None))
        }
        GraphSource::EdgeList { path, .. } if binary::is_binary(path) => {
            let g = binary::read(path)?;
            Ok((g, Some(binary::CLEANING)))
        }
        GraphSource::EdgeList { path, directed } => {
            let (g, cleaning) = edgelist::read_within(path, *directed, memory)?;
            Ok((g, Some(cleaning)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_edges_make_the_undirected_graph() {
        let edges = [(0, 3), (0, 4), (1, 2), (1, 4), (2, 3), (2, 4), (3, 4)];
        let a = Graph::from_sorted_edges(6, &edges);
        let b = Graph::from_undirected(6, &edges);
        assert_eq!(
            (a.offsets.to_vec(), a.targets.to_vec()),
            (b.offsets.to_vec(), b.targets.to_vec())
        );
        assert_eq!(a.trust, b.trust);
        assert_eq!(
            a.fingerprint(),
            Graph::from_undirected(6, &edges).fingerprint()
        );
    }

    #[test]
    fn rows_filled_in_parallel_are_those_of_any_thread_count() {
        // A hub and a long tail, so the ranges cut at uneven rows.
        let mut edges: Vec<(Node, Node)> = (1..3000).map(|v| (0, v)).collect();
        edges.extend((1..2999).map(|v| (v, v + 1)));
        edges.extend((2..2990).step_by(7).map(|v| (v, v + 9)));
        edges.sort_unstable();
        edges.dedup();
        let want = Graph::from_undirected(3000, &edges);
        for threads in [1, 2, 3, 8] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let g = pool.install(|| Graph::from_sorted_edges(3000, &edges));
            assert_eq!((&g.offsets, &g.targets), (&want.offsets, &want.targets));
            assert!(g.is_undirected());
        }
        assert_eq!(
            Graph::from_sorted_edges(5, &[]).offsets.to_vec(),
            vec![0; 6],
            "no edges"
        );
    }

    #[test]
    fn csr_rows_hold_followers() {
        let g = Graph::from_arcs(4, vec![(2, 0), (0, 1), (0, 3), (1, 2)]);
        assert_eq!(g.nodes(), 4);
        assert_eq!(g.arcs(), 4);
        assert_eq!(g.followers(0), &[1, 3]);
        assert_eq!(g.followers(1), &[2]);
        assert_eq!(g.followers(2), &[0]);
        assert_eq!(g.followers(3), &[] as &[Node]);
        assert_eq!(g.follower_count(0), 2);
    }

    #[test]
    fn undirected_edges_become_two_arcs() {
        let g = Graph::from_undirected(3, &[(0, 1), (1, 2)]);
        assert_eq!(g.arcs(), 4);
        assert_eq!(g.followers(1), &[0, 2]);
        assert!((g.mean_degree() - 4.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn neighbours_merge_both_directions_once() {
        // 0 -> 1, 1 -> 0 (mutual), 2 -> 0 (one way), 3 alone.
        let n = Graph::from_arcs(4, vec![(0, 1), (1, 0), (2, 0)]).neighbours();
        assert_eq!(n.len(), 4);
        assert_eq!(n.of(0), &[1, 2]);
        assert_eq!(n.of(1), &[0]);
        assert_eq!(n.of(2), &[0]);
        assert!(n.of(3).is_empty());
    }

    #[test]
    fn fingerprint_sees_arcs_trust_labels_and_segments() {
        let g = Graph::from_arcs(3, vec![(0, 1), (1, 2)]);
        let same = Graph::from_arcs(3, vec![(1, 2), (0, 1)]);
        assert_eq!(g.fingerprint(), same.fingerprint());
        // Labels equal to the dense indices are the same people.
        let labelled = same.clone().with_labels(vec![0, 1, 2]);
        assert_eq!(g.fingerprint(), labelled.fingerprint());
        let others = [
            Graph::from_arcs(3, vec![(0, 1), (2, 1)]),
            Graph::from_arcs(3, vec![(0, 2), (1, 2)]),
            Graph::from_arcs(4, vec![(0, 1), (1, 2)]),
            g.clone().with_labels(vec![0, 1, 7]),
            g.clone().with_segments(vec![0, 0, 1]),
            {
                let mut t = g.clone();
                t.set_trust(vec![1.0, 0.5]);
                t
            },
        ];
        for (i, other) in others.iter().enumerate() {
            assert_ne!(g.fingerprint(), other.fingerprint(), "change {i}");
        }
        // Pinned: the same graph keeps its fingerprint across versions.
        assert_eq!(format!("{:016x}", g.fingerprint()), "fb72bdc6e32f11de");
    }

    #[test]
    fn text_ids_enter_the_fingerprint() {
        let g = Graph::from_arcs(3, vec![(0, 1), (1, 2)]);
        let named = |names: [&str; 3]| g.clone().with_texts(Texts::new(names));
        let a = named(["ann", "bob", "cy"]);
        assert_ne!(a.fingerprint(), g.fingerprint());
        assert_ne!(a.fingerprint(), named(["ann", "bob", "cz"]).fingerprint());
        // Where one id ends and the next begins counts too.
        assert_ne!(
            named(["a", "ab", "b"]).fingerprint(),
            named(["a", "a b", "b"]).fingerprint()
        );
        assert_eq!(a.fingerprint(), named(["ann", "bob", "cy"]).fingerprint());
        assert_eq!(a.name(1), Name::Text("bob"));
        assert_eq!(
            (a.find("cy"), a.find("dan"), a.label(2)),
            (Some(2), None, 2)
        );
        assert!(a.has_text_ids() && !g.has_text_ids());
    }

    #[test]
    fn labels_map_both_ways() {
        let g = Graph::from_arcs(3, vec![(0, 1), (1, 2)]).with_labels(vec![10, 20, 99]);
        assert_eq!(g.label(2), 99);
        assert_eq!(g.node_of(20), Some(1));
        assert_eq!(g.node_of(21), None);
        let plain = Graph::from_arcs(3, vec![(0, 1)]);
        assert_eq!(plain.node_of(2), Some(2));
        assert_eq!(plain.node_of(3), None);
    }
}
