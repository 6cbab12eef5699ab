//! The people file (`[graph] people`): one row per person under a header
//! row naming the columns, `id` (required), `segment` and `cost`
//! (optional); other columns (a name, a city) are allowed and ignored.
//! Fields are separated and quoted as in an edge list with a header (see
//! [`super::table`]). A person may be left out, and an empty field leaves
//! that value unset (no segment; the cost formula). An id the graph lacks,
//! or listed twice, is an error naming the line.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::Path;

use super::table::{self, Delimiter};
use super::{costs, edgelist::shorten, segments, Graph, GraphError, Segments};

/// What a people file says about the graph's people.
#[derive(Debug, Clone, PartialEq)]
pub struct People {
    /// Everyone's segment, with a `segment` column.
    pub segments: Option<Segments>,
    /// Per person, the cost given (None: the formula), with a `cost`
    /// column.
    pub costs: Option<Vec<Option<f64>>>,
}

/// Read the people file at `path` for `graph`.
pub fn read(path: &Path, graph: &Graph) -> Result<People, GraphError> {
    let file = super::open_data_file(path).map_err(|source| GraphError::OpenPeople {
        path: path.to_path_buf(),
        source,
    })?;
    read_from(BufReader::new(file), path, graph)
}

/// Columns found in the header.
struct Columns {
    delimiter: Delimiter,
    id: usize,
    segment: Option<usize>,
    cost: Option<usize>,
    needed: usize,
}

/// [`read`] from any reader; `path` names it in errors.
pub fn read_from<R: BufRead>(reader: R, path: &Path, graph: &Graph) -> Result<People, GraphError> {
    let n = graph.nodes() as usize;
    let mut columns: Option<Columns> = None;
    let mut fields = Vec::new();
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut segment_of: Vec<Option<u32>> = Vec::new();
    let mut cost_of: Vec<Option<f64>> = Vec::new();
    // The line each person was given on (0: not yet), to name both lines.
    let mut given_on = vec![0u64; n];
    super::for_each_record(
        reader,
        path,
        "a people file has a header row `id,segment,cost` above one row per person",
        |path, source| GraphError::OpenPeople { path, source },
        |number, text| {
            let bad = |message: String| GraphError::Line {
                path: path.to_path_buf(),
                line: number,
                message,
            };
            let Some(c) = &columns else {
                // Spreadsheets often start a CSV file with a byte-order mark.
                let text = text.trim_start_matches('\u{feff}');
                let delimiter = Delimiter::of_header(text);
                table::split(text, delimiter, &mut fields)
                    .map_err(|m| bad(format!("header: {m}")))?;
                let Some(id) = table::column(&fields, "id") else {
                    return Err(bad(format!(
                        "the header (`{}`) has no `id` column: a people file starts with a header row naming its columns, `id` and any of `segment` and `cost` (others are ignored)",
                        shorten(text)
                    )));
                };
                let segment = table::column(&fields, "segment");
                let cost = table::column(&fields, "cost");
                if segment.is_some() {
                    segment_of = vec![None; n];
                }
                if cost.is_some() {
                    cost_of = vec![None; n];
                }
                columns = Some(Columns {
                    delimiter,
                    id,
                    segment,
                    cost,
                    needed: id.max(segment.unwrap_or(0)).max(cost.unwrap_or(0)) + 1,
                });
                return Ok(());
            };
            table::split(text, c.delimiter, &mut fields).map_err(bad)?;
            if fields.len() < c.needed {
                return Err(bad(format!(
                    "the row has {} {} field(s) but the header's columns need {}: `{}`",
                    fields.len(),
                    c.delimiter.name(),
                    c.needed,
                    shorten(text)
                )));
            }
            let id = &fields[c.id];
            let Some(v) = graph.find(id) else {
                return Err(bad(format!(
                    "person `{}` is not in the graph; list only people of the edge list, ids written as there",
                    shorten(id)
                )));
            };
            let name = graph.name(v);
            if given_on[v as usize] != 0 {
                return Err(bad(format!(
                    "person {name} is listed twice (first on line {})",
                    given_on[v as usize]
                )));
            }
            given_on[v as usize] = number;
            if let Some(s) = c.segment {
                let field = &fields[s];
                if !field.is_empty() {
                    segments::check_name(field)
                        .map_err(|m| bad(format!("segment of person {name}: {m}")))?;
                    segment_of[v as usize] = Some(segments::intern(&mut seen, field));
                }
            }
            if let Some(k) = c.cost {
                let field = &fields[k];
                if !field.is_empty() {
                    let cost = costs::parse_cost(field)
                        .map_err(|m| bad(format!("cost of person {name}: {m}")))?;
                    cost_of[v as usize] = Some(cost);
                }
            }
            Ok(())
        },
    )?;
    let Some(c) = columns else {
        return Err(GraphError::Invalid {
            message: format!(
                "people file {} is empty: it needs a header row naming its columns, `id` and any of `segment` and `cost`",
                path.display()
            ),
        });
    };
    Ok(People {
        segments: c.segment.map(|_| segments::from_interned(segment_of, seen)),
        costs: c.cost.map(|_| cost_of),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph() -> Graph {
        crate::graph::edgelist::parse(
            "source,target\nann,bob\nbob,cy\ndee,ann\n".as_bytes(),
            Path::new("e.csv"),
            false,
        )
        .unwrap()
        .0
    }

    fn parse(text: &str) -> Result<People, GraphError> {
        read_from(text.as_bytes(), Path::new("p.csv"), &graph())
    }

    #[test]
    fn columns_in_any_order_and_blanks_leave_values_unset() {
        let p = parse("name;cost;id;segment\n\"Bob; B\";2.5;bob;north\nAnn;;ann;south\nCy;4;cy;\n")
            .unwrap();
        let s = p.segments.unwrap();
        let who = |id: &str| graph().find(id).unwrap();
        assert_eq!(
            s.of(who("bob")).map(|i| s.name(i).to_string()),
            Some("north".into())
        );
        assert_eq!(
            s.of(who("ann")).map(|i| s.name(i).to_string()),
            Some("south".into())
        );
        assert_eq!(s.of(who("cy")), None);
        let c = p.costs.unwrap();
        assert_eq!(c[who("bob") as usize], Some(2.5));
        assert_eq!(c[who("ann") as usize], None);
        assert_eq!(c[who("cy") as usize], Some(4.0));
        let only_costs = parse("id,cost\nann,3\n").unwrap();
        assert!(only_costs.segments.is_none());
    }

    #[test]
    fn errors_name_the_line() {
        let cases = [
            (
                "who,segment\nann,a\n",
                "p.csv:1: the header (`who,segment`) has no `id` column",
            ),
            (
                "id,segment\nann,a\nzed,b\n",
                "p.csv:3: person `zed` is not in the graph",
            ),
            (
                "id,segment\nann,a\n\nann,b\n",
                "p.csv:4: person ann is listed twice (first on line 2)",
            ),
            (
                "id,cost\nann,free\n",
                "p.csv:2: cost of person ann: `free` is not a number",
            ),
            (
                "id,segment\nann,unassigned\n",
                "p.csv:2: segment of person ann: \"unassigned\" is reserved",
            ),
            (
                "id,segment,cost\nann,a\n",
                "p.csv:2: the row has 2 comma field(s) but the header's columns need 3",
            ),
            ("# nothing\n", "people file p.csv is empty"),
        ];
        for (text, want) in cases {
            let got = parse(text).unwrap_err().to_string();
            assert!(got.contains(want), "{text:?}: {got}");
        }
    }
}
