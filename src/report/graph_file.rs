//! The scenario's graph as a file other tools open (`viralsim graph
//! --export`): GraphML for Gephi, networkx, igraph or Cytoscape, or an edge
//! list that viralsim itself reads back. People keep their original ids;
//! every arc keeps its trust. A graph whose follows are all mutual is
//! written undirected, each link once, with the person of the smaller id
//! as its source: `trust` is then how far the target trusts the source
//! (the arc source -> target) and `trust_back` the other way round. Any
//! other graph is written directed, one edge per arc, source -> target
//! meaning the target follows the source.

use std::io::{self, Write};
use std::path::Path;

use crate::error::Error;
use crate::graph::analysis::{reciprocated_arcs, reverse_arc};
use crate::graph::Graph;

/// A graph file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    /// GraphML: nodes with their segment, edges with their trust.
    GraphMl,
    /// One `u v trust` line per arc (directed) or `u v trust trust_back`
    /// per link (undirected), after `#` comment lines saying which.
    EdgeList,
    /// The binary format (`.vsg`, see [`crate::graph::binary`]): rows,
    /// trust, ids and segments, read back many times faster than text.
    Binary,
}

/// Write `graph` to `path` in `format`, through a temporary file renamed
/// into place. `title` names the graph in the file's comments.
pub fn write(graph: &Graph, format: GraphFormat, title: &str, path: &Path) -> Result<(), Error> {
    super::write_streamed(path, |out| match format {
        GraphFormat::GraphMl => graphml(graph, out),
        GraphFormat::EdgeList => edge_list(graph, title, out),
        GraphFormat::Binary => crate::graph::binary::write(graph, out),
    })
}

/// Every arc, each link once when `undirected`: source, target, arc id,
/// and the id of the reverse arc (undirected only).
fn edges(
    graph: &Graph,
    undirected: bool,
) -> impl Iterator<Item = (u32, u32, usize, Option<usize>)> + '_ {
    (0..graph.nodes()).flat_map(move |u| {
        graph
            .arc_range(u)
            .filter(move |&a| !undirected || graph.targets()[a] > u)
            .map(move |a| {
                let v = graph.targets()[a];
                let back = if undirected {
                    reverse_arc(graph, u, v)
                } else {
                    None
                };
                (u, v, a, back)
            })
    })
}

fn edge_list(graph: &Graph, title: &str, out: &mut dyn Write) -> io::Result<()> {
    let undirected = reciprocated_arcs(graph) == graph.arcs();
    let trust = graph.trust();
    writeln!(
        out,
        "# {}: {} people, {} follower arcs, written by viralsim {}",
        title.replace(['\n', '\r'], " "),
        graph.nodes(),
        graph.arcs(),
        env!("CARGO_PKG_VERSION")
    )?;
    if undirected {
        writeln!(
            out,
            "# undirected (every follow is mutual): `u v trust trust_back` per link, u < v; trust = how far v trusts u, trust_back = how far u trusts v"
        )?;
        writeln!(out, "# read back with directed = false")?;
    } else {
        writeln!(
            out,
            "# directed: `u v trust` per arc u -> v (v follows u); trust = how far v trusts u"
        )?;
        writeln!(out, "# read back with directed = true")?;
    }
    let alone = people_without_arcs(graph);
    if alone > 0 {
        writeln!(
            out,
            "# {alone} people without any follow are not listed (an edge list cannot hold them; GraphML does)"
        )?;
    }
    if graph.has_text_ids() {
        // Text ids are read only from a file with a header row.
        writeln!(
            out,
            "source target trust{}",
            if undirected { " trust_back" } else { "" }
        )?;
    }
    for (u, v, a, back) in edges(graph, undirected) {
        let (u, v) = (field(graph, u), field(graph, v));
        match back {
            Some(b) => writeln!(out, "{u} {v} {} {}", trust[a], trust[b])?,
            None => writeln!(out, "{u} {v} {}", trust[a])?,
        }
    }
    Ok(())
}

/// People with no arc in either direction: an edge list loses them.
pub fn people_without_arcs(graph: &Graph) -> u32 {
    let mut linked = vec![false; graph.nodes() as usize];
    for u in 0..graph.nodes() {
        if graph.follower_count(u) > 0 {
            linked[u as usize] = true;
        }
        for &v in graph.followers(u) {
            linked[v as usize] = true;
        }
    }
    linked.iter().filter(|&&l| !l).count() as u32
}

fn graphml(graph: &Graph, out: &mut dyn Write) -> io::Result<()> {
    let undirected = reciprocated_arcs(graph) == graph.arcs();
    let trust = graph.trust();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        "<!-- Written by viralsim {}. An edge source -> target: the target follows the source; trust: how far the target trusts the source{}. -->",
        env!("CARGO_PKG_VERSION"),
        if undirected {
            "; every follow is mutual, so each link is written once from the smaller id, and trust_back is how far the source trusts the target"
        } else {
            ""
        }
    )?;
    writeln!(
        out,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    let segments = graph.segments();
    if segments.is_some() {
        writeln!(
            out,
            r#"  <key id="segment" for="node" attr.name="segment" attr.type="string"/>"#
        )?;
    }
    writeln!(
        out,
        r#"  <key id="trust" for="edge" attr.name="trust" attr.type="double"/>"#
    )?;
    if undirected {
        writeln!(
            out,
            r#"  <key id="trust_back" for="edge" attr.name="trust_back" attr.type="double"/>"#
        )?;
    }
    writeln!(
        out,
        r#"  <graph id="G" edgedefault="{}">"#,
        if undirected { "undirected" } else { "directed" }
    )?;
    for u in 0..graph.nodes() {
        let id = escape(&graph.name(u).to_string());
        match segments.and_then(|s| s.of(u).map(|i| s.name(i))) {
            Some(name) => writeln!(
                out,
                r#"    <node id="{id}"><data key="segment">{}</data></node>"#,
                escape(&name)
            )?,
            None => writeln!(out, r#"    <node id="{id}"/>"#)?,
        }
    }
    for (u, v, a, back) in edges(graph, undirected) {
        let (u, v) = (
            escape(&graph.name(u).to_string()),
            escape(&graph.name(v).to_string()),
        );
        write!(
            out,
            r#"    <edge source="{u}" target="{v}"><data key="trust">{}</data>"#,
            trust[a]
        )?;
        if let Some(b) = back {
            write!(out, r#"<data key="trust_back">{}</data>"#, trust[b])?;
        }
        writeln!(out, "</edge>")?;
    }
    writeln!(out, "  </graph>")?;
    writeln!(out, "</graphml>")
}

/// `text` with the five XML special characters escaped.
/// Person `u`'s id as an edge-list field: quoted when it holds a
/// delimiter, a quote or starts like a comment.
fn field(graph: &Graph, u: crate::graph::Node) -> String {
    let name = graph.name(u).to_string();
    let plain = !name.is_empty()
        && !name.starts_with(['#', '%'])
        && !name.contains(|c: char| c.is_whitespace() || matches!(c, '"' | ',' | ';'));
    if plain {
        name
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&apos;"),
            c => s.push(c),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Segments;

    fn render(graph: &Graph, format: GraphFormat) -> String {
        let mut out = Vec::new();
        match format {
            GraphFormat::GraphMl => graphml(graph, &mut out).unwrap(),
            GraphFormat::EdgeList => edge_list(graph, "test", &mut out).unwrap(),
            GraphFormat::Binary => panic!("the binary format is not text"),
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn directed_arcs_are_written_one_by_one() {
        let mut g = Graph::from_arcs(3, vec![(0, 1), (1, 0), (1, 2)]).with_labels(vec![5, 7, 40]);
        g.set_trust(vec![0.5, 0.25, 1.0]);
        let text = render(&g, GraphFormat::EdgeList);
        let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(lines, ["5 7 0.5", "7 5 0.25", "7 40 1"]);
        assert!(text.contains("read back with directed = true"));
        let xml = render(&g, GraphFormat::GraphMl);
        assert!(xml.contains(r#"edgedefault="directed""#));
        assert!(xml.contains(r#"<edge source="7" target="40"><data key="trust">1</data></edge>"#));
        assert!(!xml.contains("trust_back") && !xml.contains(r#"key id="segment""#));
    }

    #[test]
    fn mutual_follows_are_written_once_with_both_trusts() {
        let mut g = Graph::from_undirected(3, &[(0, 1), (1, 2)]).with_named_segments(
            Segments::named(vec![0, 1, u32::MAX], vec!["a&b".into(), "north".into()]),
        );
        // Arcs in order: 0->1, 1->0, 1->2, 2->1.
        g.set_trust(vec![0.1, 0.2, 0.3, 0.4]);
        let text = render(&g, GraphFormat::EdgeList);
        let lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(lines, ["0 1 0.1 0.2", "1 2 0.3 0.4"]);
        let xml = render(&g, GraphFormat::GraphMl);
        assert!(xml.contains(r#"edgedefault="undirected""#));
        assert!(xml.contains(r#"<node id="0"><data key="segment">a&amp;b</data></node>"#));
        assert!(xml.contains(r#"<node id="2"/>"#));
        assert!(xml.contains(
            r#"<edge source="1" target="2"><data key="trust">0.3</data><data key="trust_back">0.4</data></edge>"#
        ));
    }

    #[test]
    fn people_without_follows_are_counted_and_noted() {
        let g = Graph::from_undirected(4, &[(0, 2)]);
        assert_eq!(people_without_arcs(&g), 2);
        assert!(render(&g, GraphFormat::EdgeList).contains("# 2 people without any follow"));
        let xml = render(&g, GraphFormat::GraphMl);
        assert!(xml.contains(r#"<node id="3"/>"#));
    }
}
