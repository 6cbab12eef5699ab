//! Reading real networks from edge-list files: one `u v` pair per line
//! (whitespace or comma separated), an optional further column ignored
//! (a weight, a timestamp), `#` or `%` comment lines, blank lines skipped.
//! Ids are any non-negative integers; they are relabelled densely in
//! ascending id order, so the same network gives the same results whatever
//! order its lines are in.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use super::{Graph, GraphError, Node, MAX_NODES};

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
    let file = File::open(path).map_err(|source| GraphError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    parse(BufReader::with_capacity(1 << 20, file), path, directed)
}

/// Parse edge-list text from any reader; `path` names it in errors.
pub fn parse<R: BufRead>(
    reader: R,
    path: &Path,
    directed: bool,
) -> Result<(Graph, Cleaning), GraphError> {
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
            } else {
                pairs.push(if directed || u < v { (u, v) } else { (v, u) });
            }
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

    let mut labels: Vec<u64> = pairs.iter().flat_map(|&(u, v)| [u, v]).collect();
    labels.sort_unstable();
    labels.dedup();
    if labels.len() as u64 > MAX_NODES {
        return Err(GraphError::TooManyNodes {
            path: path.to_path_buf(),
            nodes: labels.len() as u64,
            max: MAX_NODES,
        });
    }
    let dense = |id: u64| labels.binary_search(&id).expect("every id is labelled") as Node;
    let nodes = labels.len() as u32;
    let graph = if directed {
        let arcs = pairs.iter().map(|&(u, v)| (dense(u), dense(v))).collect();
        Graph::from_arcs(nodes, arcs)
    } else {
        let edges: Vec<(Node, Node)> = pairs.iter().map(|&(u, v)| (dense(u), dense(v))).collect();
        Graph::from_undirected(nodes, &edges)
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

/// Keep quoted input short in messages.
pub(crate) fn shorten(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        let head: String = text.chars().take(MAX).collect();
        format!("{head}...")
    }
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
