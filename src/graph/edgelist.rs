//! Reading real networks from edge-list files: one `u v` pair per line
//! (whitespace or comma separated), an optional further column ignored
//! (a weight, a timestamp), `#` or `%` comment lines, blank lines skipped.
//! Ids are any non-negative integers; they are relabelled densely in
//! ascending id order, so the same network gives the same results whatever
//! order its lines are in.

use std::io::{BufRead, BufReader};
use std::path::Path;

use super::footprint;
use super::{Graph, GraphError, Node, MAX_NODES};
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
    parse_within(
        BufReader::with_capacity(1 << 20, file),
        path,
        directed,
        memory,
    )
}

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
    let too_large = |line: Option<u64>, lines: u64, needed: u64| GraphError::TooLarge {
        path: path.to_path_buf(),
        line,
        message: format!(
            "{} {lines} edges need about {} to build the graph; {}: use a smaller edge list ({})",
            if line.is_some() { "its first" } else { "its" },
            human(needed),
            memory,
            memory.override_hint()
        ),
    };
    let mut cleaning = Cleaning::default();
    let mut pairs: Vec<(u64, u64)> = Vec::new();
    super::for_each_record(
        reader,
        path,
        "an edge list holds `u v` pairs of integer ids",
        |path, source| GraphError::Open { path, source },
        |number, text| {
            let mut fields = text
                .split(|c: char| c.is_whitespace() || c == ',')
                .filter(|f| !f.is_empty());
            let bad = |message: String| GraphError::Line {
                path: path.to_path_buf(),
                line: number,
                message,
            };
            let (Some(a), Some(b)) = (fields.next(), fields.next()) else {
                return Err(bad(format!(
                    "expected two node ids `u v`, found `{}`",
                    shorten(text)
                )));
            };
            let u = parse_id(a).map_err(&bad)?;
            let v = parse_id(b).map_err(&bad)?;
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
    pairs.sort_unstable();
    let before = pairs.len();
    pairs.dedup();
    cleaning.duplicates = (before - pairs.len()) as u64;
    if pairs.is_empty() {
        return Err(GraphError::Empty {
            path: path.to_path_buf(),
        });
    }

    let mut labels: Vec<u64> = Vec::with_capacity(2 * pairs.len());
    labels.extend(pairs.iter().flat_map(|&(u, v)| [u, v]));
    labels.sort_unstable();
    labels.dedup();
    if labels.len() as u64 > MAX_NODES {
        return Err(GraphError::TooManyNodes {
            path: path.to_path_buf(),
            nodes: labels.len() as u64,
            max: MAX_NODES,
        });
    }
    let build = footprint::edge_list(pairs.len() as u64, labels.len() as u64, directed);
    if !memory.fits(build.peak) {
        return Err(too_large(None, pairs.len() as u64, build.peak));
    }
    let dense = |id: u64| labels.binary_search(&id).expect("every id is labelled") as Node;
    let nodes = labels.len() as u32;
    // Directed: the arcs; undirected: the edges, two arcs each.
    let dense_pairs: Vec<(Node, Node)> = pairs.iter().map(|&(u, v)| (dense(u), dense(v))).collect();
    drop(pairs);
    labels.shrink_to_fit();
    let graph = if directed {
        Graph::from_arcs(nodes, dense_pairs)
    } else {
        Graph::from_undirected(nodes, &dense_pairs)
    };
    Ok((graph.with_labels(labels), cleaning))
}

fn parse_id(field: &str) -> Result<u64, String> {
    field.parse::<u64>().map_err(|_| {
        format!(
            "node id `{}` is not a non-negative integer (ids must be whole numbers from 0 to {})",
            shorten(field),
            u64::MAX
        )
    })
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
}
