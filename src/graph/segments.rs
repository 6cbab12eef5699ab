//! Segments: groups of people a campaign may target (a demographic, a
//! community, the students of one campus). A person belongs to at most one
//! segment. Segments come from the stochastic-block generator (each planted
//! community, named by its number: "0", "1", ...) or from a file of
//! `id segment` lines (`[graph] segments`), where names are any word or
//! number. People a file does not list belong to no segment; outputs show
//! them as "unassigned".

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;

use super::{attributes, Graph, GraphError, Node};

/// The segment index of a person who belongs to no segment.
pub const NO_SEGMENT: u32 = u32::MAX;

/// The name under which people without a segment are reported; a segment
/// file may not use it.
pub const UNASSIGNED: &str = "unassigned";

/// Longest segment name a file may give, in bytes.
pub const MAX_NAME_BYTES: usize = 100;

/// Every person's segment, and the segments' names.
#[derive(Debug, Clone, PartialEq)]
pub struct Segments {
    /// Per person, an index into the names, or [`NO_SEGMENT`].
    of: Vec<u32>,
    names: Names,
}

/// Segment names: numbered (generated communities, named by their index,
/// not stored, as there may be millions) or as a file gave them.
#[derive(Debug, Clone, PartialEq)]
enum Names {
    Numbered(u32),
    Listed(Vec<String>),
}

impl Segments {
    /// Segments numbered 0, 1, ..., one per person (each below `u32::MAX`),
    /// named by their number.
    pub fn numbered(of: Vec<u32>) -> Segments {
        let count = of.iter().map(|&s| s + 1).max().unwrap_or(0);
        Segments {
            of,
            names: Names::Numbered(count),
        }
    }

    /// Segments with the given names; `of` holds indices into `names` or
    /// [`NO_SEGMENT`].
    pub fn named(of: Vec<u32>, names: Vec<String>) -> Segments {
        debug_assert!(of
            .iter()
            .all(|&s| s == NO_SEGMENT || (s as usize) < names.len()));
        Segments {
            of,
            names: Names::Listed(names),
        }
    }

    /// Number of named segments.
    pub fn len(&self) -> usize {
        match &self.names {
            Names::Numbered(n) => *n as usize,
            Names::Listed(names) => names.len(),
        }
    }

    /// Whether there are no segments at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Name of segment `s` (below [`Segments::len`]).
    pub fn name(&self, s: u32) -> Cow<'_, str> {
        match &self.names {
            Names::Numbered(_) => Cow::Owned(s.to_string()),
            Names::Listed(names) => Cow::Borrowed(&names[s as usize]),
        }
    }

    /// Index of the segment called `name`.
    pub fn index_of(&self, name: &str) -> Option<u32> {
        match &self.names {
            Names::Numbered(n) => name
                .parse::<u32>()
                .ok()
                .filter(|&s| s < *n && s.to_string() == name),
            Names::Listed(names) => names.iter().position(|n| n == name).map(|s| s as u32),
        }
    }

    /// The segments' names as a file gave them; None for numbered
    /// segments (named by their index).
    pub fn listed_names(&self) -> Option<&[String]> {
        match &self.names {
            Names::Numbered(_) => None,
            Names::Listed(names) => Some(names),
        }
    }

    /// Every person's segment index ([`NO_SEGMENT`] for none), by node.
    pub fn all(&self) -> &[u32] {
        &self.of
    }

    /// `v`'s segment, if any.
    #[inline]
    pub fn of(&self, v: Node) -> Option<u32> {
        let s = self.of[v as usize];
        (s != NO_SEGMENT).then_some(s)
    }

    /// Where `v` is counted among [`Segments::slots`]: their segment's
    /// index, or [`Segments::len`] for people without one.
    #[inline]
    pub fn slot(&self, v: Node) -> usize {
        (self.of[v as usize] as usize).min(self.len())
    }

    /// Counting slots: one per segment, then one for people without a
    /// segment.
    pub fn slots(&self) -> usize {
        self.len() + 1
    }

    /// People per slot (see [`Segments::slot`]).
    pub fn sizes(&self) -> Vec<u32> {
        let mut sizes = vec![0u32; self.slots()];
        for v in 0..self.of.len() as Node {
            sizes[self.slot(v)] += 1;
        }
        sizes
    }

    /// Name of slot `slot`: the segment's, or "unassigned" for the last.
    pub fn slot_name(&self, slot: usize) -> Cow<'_, str> {
        if slot < self.len() {
            self.name(slot as u32)
        } else {
            Cow::Borrowed(UNASSIGNED)
        }
    }

    /// The segments called `names`, as a mask over slots (people without a
    /// segment are never selected); on an unknown name, its position.
    pub fn select(&self, names: &[String]) -> Result<Vec<bool>, usize> {
        let mut mask = vec![false; self.slots()];
        for (i, name) in names.iter().enumerate() {
            let s = self.index_of(name).ok_or(i)?;
            mask[s as usize] = true;
        }
        Ok(mask)
    }

    /// The segments' names for a message, quoted, at most 20 of them.
    pub fn listing(&self) -> String {
        const SHOWN: usize = 20;
        let mut shown: Vec<String> = (0..self.len().min(SHOWN) as u32)
            .map(|s| format!("\"{}\"", super::edgelist::shorten_to(&self.name(s), 40)))
            .collect();
        if self.len() > SHOWN {
            shown.push(format!("and {} more", self.len() - SHOWN));
        }
        shown.join(", ")
    }

    /// "segment "x" is not one of the graph's segments: ..." for an
    /// unknown `name`.
    pub fn unknown(&self, name: &str) -> String {
        format!(
            "segment \"{name}\" is not one of the graph's {} segments: {}",
            self.len(),
            self.listing()
        )
    }
}

/// Read a segment file: `id segment` per line, ids as in the graph's edge
/// list (see [`attributes`]). Segments are ordered by name: names that are
/// whole numbers first, by value, then the others alphabetically.
pub fn read(path: &Path, graph: &Graph) -> Result<Segments, GraphError> {
    // Names are interned as they are read, so a person costs 4 bytes
    // rather than a string of their own.
    let seen: RefCell<HashMap<String, u32>> = RefCell::new(HashMap::new());
    let parse = |field: &str| -> Result<u32, String> {
        check_name(field)?;
        Ok(intern(&mut seen.borrow_mut(), field))
    };
    let listed = attributes::read(path, graph, "segment", parse)?;
    Ok(from_interned(listed, seen.into_inner()))
}

/// Whether `field` may name a segment; if not, why.
pub(super) fn check_name(field: &str) -> Result<(), String> {
    if field == UNASSIGNED {
        return Err(format!(
            "\"{UNASSIGNED}\" is reserved for people the file does not list: leave them out"
        ));
    }
    if field.len() > MAX_NAME_BYTES {
        return Err(format!(
            "`{}` is too long: a segment name is at most {MAX_NAME_BYTES} bytes",
            super::edgelist::shorten(field)
        ));
    }
    Ok(())
}

/// The number of segment `name`, numbering names in order of first
/// appearance.
pub(super) fn intern(seen: &mut HashMap<String, u32>, name: &str) -> u32 {
    if let Some(&s) = seen.get(name) {
        return s;
    }
    let next = seen.len() as u32;
    seen.insert(name.to_string(), next);
    next
}

/// Segments from each person's interned segment number (see [`intern`]),
/// renumbered in name order.
pub(super) fn from_interned(listed: Vec<Option<u32>>, seen: HashMap<String, u32>) -> Segments {
    let mut names: Vec<(String, u32)> = seen.into_iter().collect();
    names.sort_by(|(a, _), (b, _)| by_name(a, b));
    let mut rank = vec![0u32; names.len()];
    for (r, (_, first)) in names.iter().enumerate() {
        rank[*first as usize] = r as u32;
    }
    let of = listed
        .into_iter()
        .map(|s| s.map_or(NO_SEGMENT, |s| rank[s as usize]))
        .collect();
    Segments::named(of, names.into_iter().map(|(n, _)| n).collect())
}

/// Whole numbers first, by value; then words, alphabetically.
fn by_name(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.parse::<i128>(), b.parse::<i128>()) {
        (Ok(x), Ok(y)) => x.cmp(&y).then(a.cmp(b)),
        (Ok(_), Err(_)) => std::cmp::Ordering::Less,
        (Err(_), Ok(_)) => std::cmp::Ordering::Greater,
        (Err(_), Err(_)) => a.cmp(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph() -> Graph {
        Graph::from_undirected(5, &[(0, 1), (1, 2), (3, 4)]).with_labels(vec![10, 20, 30, 40, 50])
    }

    fn read_text(text: &str) -> Result<Segments, GraphError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("segments.txt");
        std::fs::write(&path, text).unwrap();
        read(&path, &graph())
    }

    #[test]
    fn names_sort_numbers_first_and_unlisted_people_have_none() {
        let s = read_text("# id segment\n10 students\n20 10\n30 2\n50 students\n").unwrap();
        let names: Vec<String> = (0..s.len() as u32).map(|i| s.name(i).into()).collect();
        assert_eq!(names, ["2", "10", "students"]);
        assert_eq!(s.all(), &[2, 1, 0, NO_SEGMENT, 2]);
        assert_eq!((s.of(3), s.slot(3), s.slots()), (None, 3, 4));
        assert_eq!(s.sizes(), vec![1, 1, 2, 1]);
        assert_eq!(s.slot_name(3), UNASSIGNED);
        assert_eq!(s.index_of("students"), Some(2));
        assert_eq!(
            s.select(&["10".into(), "students".into()]),
            Ok(vec![false, true, true, false])
        );
        assert_eq!(s.select(&["10".into(), "staff".into()]), Err(1));
    }

    #[test]
    fn numbered_segments_are_named_by_their_index() {
        let s = Segments::numbered(vec![0, 0, 1, 2, 2]);
        assert_eq!(s.len(), 3);
        assert_eq!(s.name(2), "2");
        assert_eq!(s.index_of("1"), Some(1));
        assert_eq!(s.index_of("01"), None);
        assert_eq!(s.index_of("3"), None);
        assert_eq!(s.sizes(), vec![2, 1, 2, 0]);
        assert_eq!(s.listing(), "\"0\", \"1\", \"2\"");
        let many = Segments::numbered((0..25).collect());
        assert!(many.listing().ends_with("\"19\", and 5 more"));
    }

    #[test]
    fn bad_lines_are_errors_naming_the_line() {
        let cases = [
            ("10 a\n60 b\n", ":2: person 60 is not in the graph"),
            (
                "10 a\n10 b\n",
                ":2: person 10 is listed twice (first on line 1)",
            ),
            (
                "10 unassigned\n",
                ":1: segment of person 10: \"unassigned\" is reserved",
            ),
            ("10\n", ":1: expected two fields `id segment`, found 1"),
        ];
        for (text, want) in cases {
            let err = read_text(text).unwrap_err().to_string();
            assert!(err.contains(want), "{text:?}: {err}");
        }
    }
}
