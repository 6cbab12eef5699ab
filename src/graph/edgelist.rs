//! Reading real networks from edge-list files: one `u v` pair per line
//! (whitespace or comma separated), an optional further column ignored
//! (a weight, a timestamp), `#` or `%` comment lines, blank lines skipped.
//! Ids are any non-negative integers; they are relabelled densely in
//! ascending id order, so the same network gives the same results whatever
//! order its lines are in.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use std::collections::HashMap;

use super::footprint;
use super::labels::{canonical_number, natural_cmp};
use super::table::{self, Delimiter};
use super::{Graph, GraphError, Node, Texts, MAX_LINE_BYTES, MAX_NODES};

mod map;
mod plain;
mod rows;
use crate::resources::{human, Memory};

/// What cleaning an edge list took, for the user to see.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cleaning {
    /// Lines that held an edge.
    pub lines: u64,
    /// Lines linking a person to themself, dropped.
    pub self_loops: u64,
    /// Lines repeating an edge already seen (in either direction when
    /// undirected), merged.
    pub duplicates: u64,
    /// Whether the file gave each edge's trust (a `trust` column).
    pub trust_column: bool,
}

/// Read `path` into a graph. Undirected: each line is a mutual follow (two
/// arcs). Directed: `u v` means `v` follows `u` (the arc `u -> v`).
pub fn read(path: &Path, directed: bool) -> Result<(Graph, Cleaning), GraphError> {
    read_within(path, directed, &Memory::UNLIMITED)
}

/// [`read`], stopping with [`GraphError::TooLarge`] before building the
/// graph would need more than `memory` (see [`footprint::edge_list`]).
pub fn read_within(
    path: &Path,
    directed: bool,
    memory: &Memory,
) -> Result<(Graph, Cleaning), GraphError> {
    let file = super::open_data_file(path).map_err(|source| GraphError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    BYTES_READ.store(0, Ordering::Relaxed);
    let length = file
        .metadata()
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len());
    if let Some(map) = length.and_then(|len| map::Map::of(&file, len)) {
        // A file is read in place, not copied into a buffer, if it is a
        // plain edge list (judged on the same first block as when read).
        let bytes = map.bytes();
        let first = &bytes[..bytes.len().min(BLOCK_BYTES)];
        if plain::starts_plain(first, first.len() == bytes.len()) {
            let source: plain::Source<std::fs::File> = plain::Source::Map {
                map: &map,
                at: 0,
                window: BLOCK_BYTES,
            };
            return plain::read(source, path, directed, memory, plain::Sizes::DEFAULT);
        }
    }
    let mut file = Counted(file);
    let open_error = |source| GraphError::Open {
        path: path.to_path_buf(),
        source,
    };
    let mut block = Vec::with_capacity(BLOCK_BYTES);
    let eof = fill(&mut file, &mut block, BLOCK_BYTES).map_err(open_error)?;
    if !plain::starts_plain(&block, eof) {
        // A header row, or a first line the plain path would not read:
        // the general reader decides, from the bytes already read on.
        let reader = std::io::Read::chain(std::io::Cursor::new(block), file);
        return parse_within(
            BufReader::with_capacity(1 << 20, reader),
            path,
            directed,
            memory,
        );
    }
    let source = plain::Source::Reader {
        reader: file,
        block,
        eof,
    };
    plain::read(source, path, directed, memory, plain::Sizes::DEFAULT)
}

/// Bytes of an edge list read and parsed at a time: far more than a line
/// may hold ([`MAX_LINE_BYTES`]), so a block always ends a line.
const BLOCK_BYTES: usize = 16 << 20;

/// Read from `reader` until `block` holds `size` bytes or the input
/// ends; whether it ended.
fn fill<R: std::io::Read>(
    reader: &mut R,
    block: &mut Vec<u8>,
    size: usize,
) -> std::io::Result<bool> {
    while block.len() < size {
        let start = block.len();
        block.resize(size, 0);
        match reader.read(&mut block[start..]) {
            Ok(0) => {
                block.truncate(start);
                return Ok(true);
            }
            Ok(n) => block.truncate(start + n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => block.truncate(start),
            Err(e) => {
                block.truncate(start);
                return Err(e);
            }
        }
    }
    Ok(false)
}

/// Bytes of the edge list [`read_within`] is reading (or read last), for
/// a progress display only: it never changes what is read.
static BYTES_READ: AtomicU64 = AtomicU64::new(0);

/// How many bytes of its file the edge list being read has got through.
pub fn bytes_read() -> u64 {
    BYTES_READ.load(Ordering::Relaxed)
}

/// A reader that adds what it reads to [`BYTES_READ`] (once per buffer
/// fill, not per line).
struct Counted<R>(R);

impl<R: std::io::Read> std::io::Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.0.read(buf)?;
        BYTES_READ.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// The error for an edge list whose graph would not fit in `memory`:
/// its first `lines` edges (up to `line`, if known) need `needed` bytes.
fn too_large_error(
    path: &Path,
    memory: &Memory,
    line: Option<u64>,
    lines: u64,
    needed: u64,
) -> GraphError {
    GraphError::TooLarge {
        path: path.to_path_buf(),
        line,
        message: format!(
            "{} {lines} edges need about {} to build the graph; {}: use a smaller edge list ({})",
            if line.is_some() { "its first" } else { "its" },
            human(needed),
            memory,
            memory.override_hint()
        ),
    }
}

/// What an edge list holds, for messages about lines that do not hold it.
const EXPECTED: &str =
    "an edge list holds `u v` pairs of integer ids, or a header row `source,target` above rows of ids";

/// Parse edge-list text from any reader; `path` names it in errors.
pub fn parse<R: BufRead>(
    reader: R,
    path: &Path,
    directed: bool,
) -> Result<(Graph, Cleaning), GraphError> {
    parse_within(reader, path, directed, &Memory::UNLIMITED)
}

/// Edge lines the pairs' first allocation holds.
const FIRST_LINES: usize = 1 << 12;

/// [`parse`] within `memory`: the pairs read grow only while the graph
/// they make could still be built in it, and the graph is built only once
/// its exact size is known to fit.
pub fn parse_within<R: BufRead>(
    reader: R,
    path: &Path,
    directed: bool,
    memory: &Memory,
) -> Result<(Graph, Cleaning), GraphError> {
    // Building needs far more than the pairs (see footprint::edge_list),
    // so reading stops at the most lines whose graph could fit.
    let per_line = footprint::edge_list(1, 0, directed).peak.max(1);
    let most_lines = (memory.bytes / per_line) as usize;
    let too_large = |line: Option<u64>, lines: u64, needed: u64| {
        too_large_error(path, memory, line, lines, needed)
    };
    let mut cleaning = Cleaning::default();
    let mut pairs: Vec<(u64, u64)> = Vec::new();
    // Set by the first data line: a header row makes the file a table.
    let mut first = true;
    let mut table: Option<Table> = None;
    super::for_each_record(
        reader,
        path,
        EXPECTED,
        |path, source| GraphError::Open { path, source },
        |number, text| {
            if let Some(t) = table.as_mut() {
                return t.row(path, number, text, &mut cleaning, most_lines, &too_large);
            }
            let mut fields = text
                .split(|c: char| c.is_whitespace() || c == ',')
                .filter(|f| !f.is_empty());
            let bad = |message: String| GraphError::Line {
                path: path.to_path_buf(),
                line: number,
                message,
            };
            let (Some(a), Some(b)) = (fields.next(), fields.next()) else {
                // One field: a header only if split by semicolons.
                if std::mem::take(&mut first) && text.contains(';') {
                    table = Some(Table::from_header(path, number, text)?);
                    return Ok(());
                }
                return Err(bad(format!(
                    "expected two node ids `u v`, found `{}`",
                    shorten(text)
                )));
            };
            let (u, v) = match (a.parse::<u64>(), b.parse::<u64>()) {
                (Ok(u), Ok(v)) => (u, v),
                _ if std::mem::take(&mut first) => {
                    table = Some(Table::from_header(path, number, text)?);
                    return Ok(());
                }
                _ => {
                    let u = parse_id(a).map_err(&bad)?;
                    (u, parse_id(b).map_err(&bad)?)
                }
            };
            first = false;
            cleaning.lines += 1;
            if u == v {
                cleaning.self_loops += 1;
                return Ok(());
            }
            if pairs.len() == pairs.capacity() {
                // Grow by hand, so the pairs never take more than the
                // graph they make could be built in.
                if pairs.len() >= most_lines {
                    let lines = pairs.len() as u64 + 1;
                    return Err(too_large(Some(number), lines, lines * per_line));
                }
                let grown = (2 * pairs.len()).max(FIRST_LINES).min(most_lines);
                pairs.reserve_exact(grown - pairs.len());
            }
            pairs.push(if directed || u < v { (u, v) } else { (v, u) });
            Ok(())
        },
    )?;
    if let Some(t) = table {
        return t.build(path, directed, memory, cleaning, &too_large);
    }
    build_plain(pairs, path, directed, memory, cleaning, &too_large)
}

/// A whole-number id as the pairs of a plain edge list hold it: `u32`
/// while every id fits (half the memory), `u64` otherwise.
pub(super) trait Id: Copy + Ord + Send + Sync + std::fmt::Debug + 'static {
    /// `id` in this width, if it fits.
    fn narrow(id: u64) -> Option<Self>;
    fn wide(self) -> u64;
    /// Bytes of a pair.
    const PAIR_BYTES: u64;
    /// The pairs with every id replaced by `dense(id)`, in place when the
    /// widths agree.
    fn relabel(pairs: Vec<(Self, Self)>, dense: impl Fn(u64) -> Node + Sync) -> Vec<(Node, Node)>;
}

impl Id for u32 {
    const PAIR_BYTES: u64 = 8;

    #[inline]
    fn narrow(id: u64) -> Option<u32> {
        u32::try_from(id).ok()
    }

    #[inline]
    fn wide(self) -> u64 {
        self as u64
    }

    fn relabel(
        mut pairs: Vec<(u32, u32)>,
        dense: impl Fn(u64) -> Node + Sync,
    ) -> Vec<(Node, Node)> {
        use rayon::prelude::*;
        pairs.par_iter_mut().for_each(|(u, v)| {
            *u = dense(*u as u64);
            *v = dense(*v as u64);
        });
        pairs
    }
}

impl Id for u64 {
    const PAIR_BYTES: u64 = 16;

    #[inline]
    fn narrow(id: u64) -> Option<u64> {
        Some(id)
    }

    #[inline]
    fn wide(self) -> u64 {
        self
    }

    fn relabel(pairs: Vec<(u64, u64)>, dense: impl Fn(u64) -> Node + Sync) -> Vec<(Node, Node)> {
        use rayon::prelude::*;
        pairs
            .par_iter()
            .map(|&(u, v)| (dense(u), dense(v)))
            .collect()
    }
}

/// The graph of the integer pairs read from a plain edge list (`(u, v)`
/// with `u < v` when undirected), self-loops already dropped.
fn build_plain<T: Id>(
    mut pairs: Vec<(T, T)>,
    path: &Path,
    directed: bool,
    memory: &Memory,
    mut cleaning: Cleaning,
    too_large: &TooLarge,
) -> Result<(Graph, Cleaning), GraphError> {
    use rayon::prelude::*;
    // Sorting equal keys in any order gives the same list, so the
    // parallel sort changes nothing but the time.
    pairs.par_sort_unstable();
    let before = pairs.len();
    pairs.dedup();
    cleaning.duplicates = (before - pairs.len()) as u64;
    if pairs.is_empty() {
        return Err(GraphError::Empty {
            path: path.to_path_buf(),
        });
    }
    let arcs = if directed { 1 } else { 2 } * pairs.len() as u64;
    if arcs > super::MAX_ARCS {
        return Err(GraphError::TooManyArcs {
            graph: format!("edge list {}", path.display()),
            arcs,
            max: super::MAX_ARCS,
        });
    }

    // Ids spread over a range not much wider than the lines (as most files
    // number people) are marked in a table rather than sorted, and looked
    // up in it rather than searched for: the table and the ids fit in what
    // sorting the ids takes (see footprint::edge_list), and the sort and
    // the search's cache misses were most of the time of relabelling.
    let (low, high) = pairs
        .par_iter()
        .map(|&(u, v)| (u.min(v).wide(), u.max(v).wide()))
        .reduce(|| (u64::MAX, 0), |a, b| (a.0.min(b.0), a.1.max(b.1)));
    let span = high - low;
    let table_fits = span < 4 * pairs.len() as u64 / 3;
    let mut table: Vec<Node> = Vec::new();
    // None: the ids are 0..nodes, their own dense indices.
    let labels: Option<Vec<u64>>;
    let nodes: u64;
    if table_fits {
        table = vec![0; span as usize + 1];
        for &(u, v) in &pairs {
            table[(u.wide() - low) as usize] = 1;
            table[(v.wide() - low) as usize] = 1;
        }
        nodes = table.iter().filter(|&&slot| slot != 0).count() as u64;
        if nodes > MAX_NODES {
            return Err(GraphError::TooManyNodes {
                path: path.to_path_buf(),
                nodes,
                max: MAX_NODES,
            });
        }
        let own_indices = low == 0 && nodes == span + 1;
        let mut l = Vec::with_capacity(if own_indices { 0 } else { nodes as usize });
        let mut count = 0u32;
        for (offset, slot) in table.iter_mut().enumerate() {
            if *slot != 0 {
                *slot = count;
                count += 1;
                if !own_indices {
                    l.push(low + offset as u64);
                }
            }
        }
        labels = (!own_indices).then_some(l);
    } else {
        let mut l = Vec::with_capacity(2 * pairs.len());
        l.extend(pairs.iter().flat_map(|&(u, v)| [u.wide(), v.wide()]));
        l.par_sort_unstable();
        l.dedup();
        l.shrink_to_fit();
        nodes = l.len() as u64;
        labels = Some(l);
    }
    if nodes > MAX_NODES {
        return Err(GraphError::TooManyNodes {
            path: path.to_path_buf(),
            nodes,
            max: MAX_NODES,
        });
    }
    let build = footprint::edge_list_of(pairs.len() as u64, nodes, directed, T::PAIR_BYTES);
    if !memory.fits(build.peak) {
        return Err(too_large(None, pairs.len() as u64, build.peak));
    }
    let dense = |id: u64| {
        if table_fits {
            table[(id - low) as usize]
        } else {
            let l = labels.as_deref().expect("ids kept when not in a table");
            l.binary_search(&id).expect("every id is labelled") as Node
        }
    };
    // Directed: the arcs; undirected: the edges, two arcs each. Relabelling
    // keeps the order, so they are still sorted.
    let dense_pairs = T::relabel(pairs, dense);
    drop(table);
    let nodes = nodes as u32;
    let graph = if directed {
        Graph::from_sorted_arcs(nodes, dense_pairs)
    } else {
        let graph = Graph::from_sorted_edges(nodes, &dense_pairs);
        drop(dense_pairs);
        graph
    };
    Ok(match labels {
        Some(l) => (graph.with_labels(l), cleaning),
        None => (graph, cleaning),
    })
}

fn parse_id(field: &str) -> Result<u64, String> {
    field.parse::<u64>().map_err(|_| {
        format!(
            "node id `{}` is not a non-negative integer (ids must be whole numbers from 0 to {}; for text ids such as usernames, start the file with a header row `source,target`)",
            shorten(field),
            u64::MAX
        )
    })
}

/// An edge list with a header row: ids are any text, and a `trust`
/// column, if any, gives each edge's trust.
struct Table {
    delimiter: Delimiter,
    source: usize,
    target: usize,
    trust: Option<usize>,
    /// Fields a row needs: up to the last column read.
    needed: usize,
    fields: Vec<String>,
    /// Each id's number, in order of first appearance.
    ids: HashMap<Box<str>, u32>,
    /// Edges as id numbers, and their trust (with a trust column).
    pairs: Vec<(u32, u32)>,
    trust_of: Vec<f32>,
}

type TooLarge<'a> = dyn Fn(Option<u64>, u64, u64) -> GraphError + 'a;

impl Table {
    /// The table whose header is `text` (line `number`), or an error
    /// saying how a header must look.
    fn from_header(path: &Path, number: u64, text: &str) -> Result<Table, GraphError> {
        let bad = |message: String| GraphError::Line {
            path: path.to_path_buf(),
            line: number,
            message,
        };
        // Spreadsheets often start a CSV file with a byte-order mark.
        let text = text.trim_start_matches('\u{feff}');
        let delimiter = Delimiter::of_header(text);
        let mut header = Vec::new();
        table::split(text, delimiter, &mut header).map_err(|m| bad(format!("header: {m}")))?;
        let (Some(source), Some(target)) = (
            table::column(&header, "source"),
            table::column(&header, "target"),
        ) else {
            let first = header.first().map_or("", String::as_str);
            let culprit = if first.parse::<u64>().is_ok() {
                header.get(1).map_or("", String::as_str)
            } else {
                first
            };
            return Err(bad(format!(
                "the first line looks like a header (`{}`), but a header must name the columns `source` and `target` (optionally `trust`), in any order, above rows of ids of any text; as a plain edge list, node id `{}` is not a non-negative integer (every line holds two whole-number ids `u v`)",
                shorten(text),
                shorten(culprit)
            )));
        };
        let trust = table::column(&header, "trust");
        Ok(Table {
            delimiter,
            source,
            target,
            trust,
            needed: source.max(target).max(trust.unwrap_or(0)) + 1,
            fields: Vec::new(),
            ids: HashMap::new(),
            pairs: Vec::new(),
            trust_of: Vec::new(),
        })
    }

    /// Read one row.
    fn row(
        &mut self,
        path: &Path,
        number: u64,
        text: &str,
        cleaning: &mut Cleaning,
        most_lines: usize,
        too_large: &TooLarge,
    ) -> Result<(), GraphError> {
        let bad = |message: String| GraphError::Line {
            path: path.to_path_buf(),
            line: number,
            message,
        };
        table::split(text, self.delimiter, &mut self.fields).map_err(bad)?;
        if self.fields.len() < self.needed {
            return Err(bad(format!(
                "the row has {} {} field(s) but the header's columns need {}: `{}`",
                self.fields.len(),
                self.delimiter.name(),
                self.needed,
                shorten(text)
            )));
        }
        let (a, b) = (&self.fields[self.source], &self.fields[self.target]);
        for (column, id) in [("source", a), ("target", b)] {
            if id.is_empty() {
                return Err(bad(format!("the {column} id is empty")));
            }
        }
        let trust = match self.trust {
            Some(t) => {
                let field = &self.fields[t];
                match field.parse::<f64>() {
                    Ok(x) if (0.0..=1.0).contains(&x) => Some(x as f32),
                    _ => {
                        return Err(bad(format!(
                            "trust `{}` is not a number from 0 to 1",
                            shorten(field)
                        )))
                    }
                }
            }
            None => None,
        };
        cleaning.lines += 1;
        if a == b {
            cleaning.self_loops += 1;
            return Ok(());
        }
        if self.pairs.len() >= most_lines {
            let lines = self.pairs.len() as u64 + 1;
            return Err(too_large(
                Some(number),
                lines,
                lines * footprint::edge_list(1, 0, false).peak,
            ));
        }
        let mut intern = |id: &str| {
            let next = self.ids.len() as u32;
            *self.ids.entry(id.into()).or_insert(next)
        };
        let (u, v) = (intern(a), intern(b));
        self.pairs.push((u, v));
        if let Some(t) = trust {
            self.trust_of.push(t);
        }
        Ok(())
    }

    /// The graph: people numbered in id order (by value when every id is a
    /// whole number, otherwise in natural order), so that the same network
    /// gives the same results whatever order its rows are in.
    fn build(
        self,
        path: &Path,
        directed: bool,
        memory: &Memory,
        mut cleaning: Cleaning,
        too_large: &TooLarge,
    ) -> Result<(Graph, Cleaning), GraphError> {
        let mut names: Vec<Box<str>> = vec![Box::from(""); self.ids.len()];
        for (name, i) in self.ids {
            names[i as usize] = name;
        }
        if names.len() as u64 > MAX_NODES {
            return Err(GraphError::TooManyNodes {
                path: path.to_path_buf(),
                nodes: names.len() as u64,
                max: MAX_NODES,
            });
        }
        let numbers: Option<Vec<u64>> = names.iter().map(|n| canonical_number(n)).collect();
        let mut order: Vec<u32> = (0..names.len() as u32).collect();
        match &numbers {
            Some(values) => order.sort_unstable_by_key(|&i| values[i as usize]),
            None => {
                order.sort_unstable_by(|&i, &j| natural_cmp(&names[i as usize], &names[j as usize]))
            }
        }
        let mut rank = vec![0 as Node; names.len()];
        for (r, &i) in order.iter().enumerate() {
            rank[i as usize] = r as Node;
        }
        let has_trust = self.trust.is_some();
        let mut edges: Vec<(Node, Node, f32)> = self
            .pairs
            .iter()
            .enumerate()
            .map(|(k, &(a, b))| {
                let (u, v) = (rank[a as usize], rank[b as usize]);
                let t = if has_trust { self.trust_of[k] } else { 1.0 };
                if directed || u < v {
                    (u, v, t)
                } else {
                    (v, u, t)
                }
            })
            .collect();
        drop(self.pairs);
        drop(self.trust_of);
        // Stable: of repeated edges the first row's trust is kept.
        edges.sort_by_key(|&(u, v, _)| (u, v));
        let before = edges.len();
        edges.dedup_by_key(|&mut (u, v, _)| (u, v));
        cleaning.duplicates = (before - edges.len()) as u64;
        cleaning.trust_column = has_trust;
        if edges.is_empty() {
            return Err(GraphError::Empty {
                path: path.to_path_buf(),
            });
        }
        let build = footprint::edge_list(edges.len() as u64, names.len() as u64, directed);
        if !memory.fits(build.peak) {
            return Err(too_large(None, edges.len() as u64, build.peak));
        }
        let mut arcs: Vec<(Node, Node, f32)> = if directed {
            edges
        } else {
            let mut both = Vec::with_capacity(2 * edges.len());
            for (u, v, t) in edges {
                both.push((u, v, t));
                both.push((v, u, t));
            }
            both
        };
        arcs.sort_unstable_by_key(|&(u, v, _)| (u, v));
        let trust: Vec<f32> = arcs.iter().map(|&(_, _, t)| t).collect();
        let nodes = names.len() as u32;
        let mut graph = Graph::from_arcs(nodes, arcs.into_iter().map(|(u, v, _)| (u, v)).collect());
        graph.set_trust(trust);
        let graph = match numbers {
            Some(values) => graph.with_labels(order.iter().map(|&i| values[i as usize]).collect()),
            None => graph.with_texts(Texts::new(order.iter().map(|&i| &*names[i as usize]))),
        };
        Ok((graph, cleaning))
    }
}

/// Most characters of a file's content quoted in a message.
const QUOTED_CHARS: usize = 16;

/// A file's content as a message may quote it: at most [`QUOTED_CHARS`]
/// characters, "..." when cut, and every character that is not printable
/// ASCII shown as `?`, so that a message never carries much of a file
/// pointed at by mistake (a password file's hash, a binary) nor anything a
/// terminal would act on. Enough to recognise a header, a word or a
/// misplaced column.
pub(crate) fn shorten(text: &str) -> String {
    shorten_to(text, QUOTED_CHARS)
}

/// [`shorten`] to at most `most` characters: for names read from a file
/// (segments), which a message lists whole when they are short.
pub(crate) fn shorten_to(text: &str, most: usize) -> String {
    let mut out: String = text
        .chars()
        .take(most)
        .map(|c| {
            if c == ' ' || c.is_ascii_graphic() {
                c
            } else {
                '?'
            }
        })
        .collect();
    if text.chars().nth(most).is_some() {
        out.push_str("...");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str, directed: bool) -> Result<(Graph, Cleaning), GraphError> {
        parse(text.as_bytes(), Path::new("net.txt"), directed)
    }

    #[test]
    fn relabels_densely_in_id_order_and_keeps_ids() {
        let (g, c) = parse_str("# comment\n100 7\n7 5000 0.3\n\n5000,100\n", false).unwrap();
        assert_eq!(g.nodes(), 3);
        assert_eq!(g.arcs(), 6);
        assert_eq!((g.label(0), g.label(1), g.label(2)), (7, 100, 5000));
        assert_eq!(c.lines, 3);
        assert_eq!(c.duplicates, 0);
    }

    #[test]
    fn drops_self_loops_and_merges_duplicates() {
        let (g, c) = parse_str("1 2\n2 1\n3 3\n1 2\n2 3\n", false).unwrap();
        assert_eq!(c.self_loops, 1);
        assert_eq!(c.duplicates, 2);
        assert_eq!(g.arcs(), 4);
        // Directed: `1 2` and `2 1` are different arcs.
        let (g, c) = parse_str("1 2\n2 1\n1 2\n", true).unwrap();
        assert_eq!(c.duplicates, 1);
        assert_eq!(g.arcs(), 2);
    }

    #[test]
    fn directed_arc_points_to_the_follower() {
        let (g, _) = parse_str("10 20\n", true).unwrap();
        let u = g.node_of(10).unwrap();
        let v = g.node_of(20).unwrap();
        assert_eq!(g.followers(u), &[v]);
        assert!(g.followers(v).is_empty());
    }

    #[test]
    fn ids_looked_up_in_a_table_or_searched_give_the_same_graph() {
        let edges = [(5, 9), (9, 6), (7, 5), (8, 9), (6, 5), (5, 9), (10, 7)];
        for directed in [false, true] {
            let text = |scale: u64| -> String {
                edges
                    .iter()
                    .map(|&(u, v)| format!("{} {}\n", u * scale, v * scale))
                    .collect()
            };
            // Ids 5..10 fill their range (a table); ids 5000..10000 do not.
            let (near, a) = parse_str(&text(1), directed).unwrap();
            let (far, b) = parse_str(&text(1000), directed).unwrap();
            assert_eq!(a, b);
            assert_eq!((near.nodes(), near.arcs()), (far.nodes(), far.arcs()));
            for u in 0..near.nodes() {
                assert_eq!(near.followers(u), far.followers(u));
                assert_eq!(near.label(u) * 1000, far.label(u));
            }
        }
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = parse_str("1 2\n3\n", false).unwrap_err().to_string();
        assert!(e.starts_with("net.txt:2: expected two node ids"), "{e}");
        let e = parse_str("1 2\n# x\n-4 2\n", false)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("net.txt:3: node id `-4`"), "{e}");
        let e = parse_str("a b\n", false).unwrap_err().to_string();
        assert!(e.contains("`a` is not a non-negative integer"), "{e}");
        let e = parse_str("# nothing\n5 5\n", false)
            .unwrap_err()
            .to_string();
        assert!(e.contains("has no edges"), "{e}");
    }

    #[test]
    fn header_rows_take_text_ids_in_any_delimiter() {
        for (text, delimiter) in [
            (
                "source,target\nuser_10,user_2\nuser_2,\"smith, j\"\n",
                "comma",
            ),
            ("source\ttarget\nuser_10\tuser_2\nuser_2\tsmith, j\n", "tab"),
            (
                "\u{feff}source;target\nuser_10;user_2\nuser_2;smith, j\n",
                "semicolon",
            ),
            (
                "source target\nuser_10 user_2\nuser_2 \"smith, j\"\n",
                "space",
            ),
        ] {
            let (g, c) = parse_str(text, false).unwrap_or_else(|e| panic!("{delimiter}: {e}"));
            assert_eq!((g.nodes(), g.arcs(), c.lines), (3, 4, 2), "{delimiter}");
            assert!(g.has_text_ids());
            // Natural order: "smith, j" < "user_2" < "user_10".
            let names: Vec<String> = (0..3).map(|u| g.name(u).to_string()).collect();
            assert_eq!(names, ["smith, j", "user_2", "user_10"], "{delimiter}");
            assert_eq!(g.find("user_10"), Some(2));
            assert_eq!(g.find("user_3"), None);
            assert!(!c.trust_column);
        }
    }

    #[test]
    fn trust_column_sets_both_arcs_and_the_first_repeat_wins() {
        let text = "target,source,trust\nb,a,0.25\nc,a,1\na,b,0.5\n";
        let (g, c) = parse_str(text, false).unwrap();
        assert!(c.trust_column);
        assert_eq!(c.duplicates, 1);
        let (a, b) = (g.find("a").unwrap(), g.find("b").unwrap());
        let arc = |u: Node, v: Node| {
            let r = g.arc_range(u);
            r.start + g.followers(u).iter().position(|&w| w == v).unwrap()
        };
        assert_eq!(g.trust()[arc(a, b)], 0.25);
        assert_eq!(g.trust()[arc(b, a)], 0.25);
        // Directed: only the row's arc, source -> target.
        let (g, _) = parse_str(text, true).unwrap();
        let (a, b) = (g.find("a").unwrap(), g.find("b").unwrap());
        assert_eq!(g.arcs(), 3);
        assert_eq!(g.followers(a).len(), 2);
        assert_eq!(g.followers(b), &[a]);
    }

    #[test]
    fn a_table_of_whole_numbers_is_the_plain_list() {
        let (plain, _) = parse_str("100 7\n7 5000\n", false).unwrap();
        let (table, _) = parse_str("source,target\n100,7\n7,5000\n", false).unwrap();
        assert!(!table.has_text_ids());
        assert_eq!(plain.fingerprint(), table.fingerprint());
        assert_eq!(table.name(2), crate::graph::Name::Number(5000));
    }

    #[test]
    fn table_errors_name_the_line() {
        let cases = [
            ("source,target\n", "has no edges"),
            (
                "source,target,trust\na,b\n",
                "net.txt:2: the row has 2 comma field(s) but the header's columns need 3",
            ),
            (
                "source,target,trust\na,b,1.5\n",
                "net.txt:2: trust `1.5` is not a number from 0 to 1",
            ),
            ("source,target\n\"a,b\n", "net.txt:2: field 1 opens a quote"),
            ("source,target\na,\n", "net.txt:2: the target id is empty"),
            (
                "from,to\na,b\n",
                "net.txt:1: the first line looks like a header (`from,to`)",
            ),
        ];
        for (text, want) in cases {
            let got = parse_str(text, false).unwrap_err().to_string();
            assert!(got.contains(want), "{text:?}: {got}");
        }
    }
}
