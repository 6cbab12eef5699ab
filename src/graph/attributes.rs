//! Per-person attribute files: one `id value` pair per line (whitespace or
//! comma separated), `#` or `%` comment lines and blank lines skipped, ids
//! as in the graph's edge list. Used for seeding costs (and any other
//! property a planner knows per person). A file may list only some people;
//! an id the graph does not hold, or listed twice, is an error naming the
//! line, so a typo cannot silently drop someone.

use std::io::{BufRead, BufReader};
use std::path::Path;

use super::{Graph, GraphError};

/// Read `path`, turning each value with `parse` (an error message says what
/// is allowed), into one slot per person: `None` for people not listed.
/// `what` names the value in messages ("cost").
pub fn read<T, F>(
    path: &Path,
    graph: &Graph,
    what: &str,
    parse: F,
) -> Result<Vec<Option<T>>, GraphError>
where
    T: Clone,
    F: Fn(&str) -> Result<T, String>,
{
    let file = super::open_data_file(path).map_err(|source| GraphError::OpenPeople {
        path: path.to_path_buf(),
        source,
    })?;
    read_from(BufReader::new(file), path, graph, what, parse)
}

/// [`read`] from any reader; `path` names it in errors.
pub fn read_from<R, T, F>(
    reader: R,
    path: &Path,
    graph: &Graph,
    what: &str,
    parse: F,
) -> Result<Vec<Option<T>>, GraphError>
where
    R: BufRead,
    T: Clone,
    F: Fn(&str) -> Result<T, String>,
{
    let mut values: Vec<Option<T>> = vec![None; graph.nodes() as usize];
    // The line each person was first given on, to name both in errors.
    let mut given_on = vec![0u64; graph.nodes() as usize];
    super::for_each_record(
        reader,
        path,
        &format!("expected `id {what}`"),
        |path, source| GraphError::OpenPeople { path, source },
        |number, text| {
            let bad = |message: String| GraphError::Line {
                path: path.to_path_buf(),
                line: number,
                message,
            };
            let fields: Vec<&str> = text
                .split(|c: char| c.is_whitespace() || c == ',')
                .filter(|f| !f.is_empty())
                .collect();
            if fields.len() != 2 {
                return Err(bad(format!(
                    "expected two fields `id {what}`, found {}: `{}`",
                    fields.len(),
                    super::edgelist::shorten(text)
                )));
            }
            let id = fields[0];
            let v = if graph.has_text_ids() {
                graph.find(id).ok_or_else(|| {
                    bad(format!(
                        "person `{}` is not in the graph; list only people of the graph's edge list, ids written as there",
                        super::edgelist::shorten(id)
                    ))
                })?
            } else {
                let number: u64 = id.parse().map_err(|_| {
                    bad(format!(
                        "person id `{}` is not a non-negative integer",
                        super::edgelist::shorten(id)
                    ))
                })?;
                graph.node_of(number).ok_or_else(|| {
                    bad(format!(
                        "person {number} is not in the graph; list only people of the graph's edge list"
                    ))
                })?
            };
            let id = graph.name(v);
            if values[v as usize].is_some() {
                return Err(bad(format!(
                    "person {id} is listed twice (first on line {})",
                    given_on[v as usize]
                )));
            }
            let value = parse(fields[1]).map_err(|m| bad(format!("{what} of person {id}: {m}")))?;
            values[v as usize] = Some(value);
            given_on[v as usize] = number;
            Ok(())
        },
    )?;
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph() -> Graph {
        Graph::from_undirected(3, &[(0, 1), (1, 2)]).with_labels(vec![10, 20, 30])
    }

    fn number(s: &str) -> Result<f64, String> {
        s.parse::<f64>()
            .map_err(|_| format!("`{s}` is not a number"))
    }

    fn parse(text: &str) -> Result<Vec<Option<f64>>, GraphError> {
        read_from(
            text.as_bytes(),
            Path::new("c.txt"),
            &graph(),
            "cost",
            number,
        )
    }

    #[test]
    fn reads_listed_people_by_original_id() {
        let v = parse("# id cost\n30 2.5\n\n10,4\n").unwrap();
        assert_eq!(v, vec![Some(4.0), None, Some(2.5)]);
    }

    #[test]
    fn errors_name_the_line_and_what_is_wrong() {
        let cases = [
            ("10 1\n40 2\n", "c.txt:2: person 40 is not in the graph"),
            (
                "10 1\n\n10 2\n",
                "c.txt:3: person 10 is listed twice (first on line 1)",
            ),
            (
                "10 1 7\n",
                "c.txt:1: expected two fields `id cost`, found 3",
            ),
            (
                "x 1\n",
                "c.txt:1: person id `x` is not a non-negative integer",
            ),
            (
                "20 cheap\n",
                "c.txt:1: cost of person 20: `cheap` is not a number",
            ),
        ];
        for (text, want) in cases {
            let got = parse(text).unwrap_err().to_string();
            assert!(got.starts_with(want), "{text:?}: {got}");
        }
    }
}
