//! How people are named: by the ids of the input, whole numbers (as in a
//! plain edge list) or text (usernames, emails, from a file with a header
//! row). Every output names people as the input did; dense indices stay
//! inside the core.

use std::cmp::Ordering;
use std::fmt;

use super::Node;

/// The ids of a graph's people, by dense index.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Labels {
    /// The id is the dense index (generated graphs).
    Dense,
    /// Whole-number ids, strictly increasing with the index.
    Numbers(Vec<u64>),
    /// Text ids, in [`natural_cmp`] order with the index.
    Texts(Texts),
}

impl Labels {
    pub(super) fn heap_bytes(&self) -> usize {
        match self {
            Labels::Dense => 0,
            Labels::Numbers(l) => l.capacity() * 8,
            Labels::Texts(t) => t.text.capacity() + t.ends.capacity() * 8,
        }
    }
}

/// Text ids packed in one buffer: id `i` is `text[ends[i - 1]..ends[i]]`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Texts {
    text: String,
    ends: Vec<usize>,
}

impl Texts {
    /// Pack `names`, which must be distinct and in [`natural_cmp`] order.
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Texts {
        let mut t = Texts::default();
        for name in names {
            t.text.push_str(name);
            t.ends.push(t.text.len());
        }
        t.text.shrink_to_fit();
        t.ends.shrink_to_fit();
        debug_assert!((1..t.len()).all(|i| natural_cmp(t.get(i - 1), t.get(i)) == Ordering::Less));
        t
    }

    /// Number of ids.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Id `i`.
    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    /// Index of the id `name`, by binary search in natural order.
    pub fn find(&self, name: &str) -> Option<usize> {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match natural_cmp(self.get(mid), name) {
                Ordering::Less => lo = mid + 1,
                Ordering::Greater => hi = mid,
                Ordering::Equal => return Some(mid),
            }
        }
        None
    }
}

/// A person's id as the input gave it: written as a JSON number or string,
/// and as itself in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Name<'a> {
    Number(u64),
    Text(&'a str),
}

impl fmt::Display for Name<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Name::Number(n) => write!(f, "{n}"),
            Name::Text(t) => f.write_str(t),
        }
    }
}

impl serde::Serialize for Name<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Name::Number(n) => s.serialize_u64(*n),
            Name::Text(t) => s.serialize_str(t),
        }
    }
}

/// A person named in a scenario (an `explicit` strategy's `nodes`): a
/// whole number or a text, looked up among the graph's ids as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersonRef {
    Number(u64),
    Text(String),
}

impl PersonRef {
    /// As a scenario writes it: a number bare, a text quoted.
    pub fn written(&self) -> String {
        match self {
            PersonRef::Number(n) => n.to_string(),
            PersonRef::Text(t) => format!("\"{t}\""),
        }
    }
}

impl fmt::Display for PersonRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PersonRef::Number(n) => write!(f, "{n}"),
            PersonRef::Text(t) => f.write_str(t),
        }
    }
}

impl serde::Serialize for PersonRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            PersonRef::Number(n) => s.serialize_u64(*n),
            PersonRef::Text(t) => s.serialize_str(t),
        }
    }
}

impl From<Name<'_>> for PersonRef {
    fn from(name: Name<'_>) -> PersonRef {
        match name {
            Name::Number(n) => PersonRef::Number(n),
            Name::Text(t) => PersonRef::Text(t.to_string()),
        }
    }
}

/// Whether `s` is a whole number written the one way `u64` prints it (no
/// sign, no leading zero), so that text and number ids never name two
/// people alike.
pub fn canonical_number(s: &str) -> Option<u64> {
    let ok =
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'));
    if ok {
        s.parse().ok()
    } else {
        None
    }
}

/// Natural order: runs of digits compare by value ("user_2" before
/// "user_10"), everything else byte by byte; ids equal that way (leading
/// zeros) fall back to plain byte order, so the order is total.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < x.len() && j < y.len() {
        if x[i].is_ascii_digit() && y[j].is_ascii_digit() {
            let si = i;
            while i < x.len() && x[i].is_ascii_digit() {
                i += 1;
            }
            let sj = j;
            while j < y.len() && y[j].is_ascii_digit() {
                j += 1;
            }
            let p = trim_zeros(&x[si..i]);
            let q = trim_zeros(&y[sj..j]);
            let by_value = p.len().cmp(&q.len()).then_with(|| p.cmp(q));
            if by_value != Ordering::Equal {
                return by_value;
            }
        } else {
            if x[i] != y[j] {
                return x[i].cmp(&y[j]);
            }
            i += 1;
            j += 1;
        }
    }
    (x.len() - i).cmp(&(y.len() - j)).then_with(|| x.cmp(y))
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let first = digits
        .iter()
        .position(|&d| d != b'0')
        .unwrap_or(digits.len());
    &digits[first..]
}

/// Dense index of the person `id` names (a whole number as a plain edge
/// list reads one, leading zeros allowed, or a text id).
pub(super) fn find_text(labels: &Labels, nodes: u32, id: &str) -> Option<Node> {
    match labels {
        Labels::Texts(t) => t.find(id).map(|i| i as Node),
        Labels::Numbers(l) => {
            let n = id.parse::<u64>().ok()?;
            l.binary_search(&n).ok().map(|i| i as Node)
        }
        Labels::Dense => {
            let n = id.parse::<u64>().ok()?;
            (n < nodes as u64).then_some(n as Node)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_reads_numbers_by_value() {
        let mut v = vec!["user_10", "user_2", "alice", "user_1", "Bob", "user_02"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            v,
            ["Bob", "alice", "user_1", "user_02", "user_2", "user_10"]
        );
        assert_eq!(natural_cmp("a", "a"), Ordering::Equal);
        assert_eq!(natural_cmp("a1", "a1b"), Ordering::Less);
    }

    #[test]
    fn texts_find_by_binary_search() {
        let t = Texts::new(["ann", "bob@x.org", "user_2", "user_10"]);
        assert_eq!(t.len(), 4);
        assert_eq!(t.get(1), "bob@x.org");
        assert_eq!(t.find("user_10"), Some(3));
        assert_eq!(t.find("user_3"), None);
        assert_eq!(canonical_number("007"), None);
        assert_eq!(canonical_number("70"), Some(70));
        assert_eq!(canonical_number("-1"), None);
    }
}
