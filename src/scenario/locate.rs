//! Where a key sits in the scenario file, so every error can name the file,
//! line and column. Uses toml_edit's spans over the original text.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use toml_edit::{ImDocument, Item, Table, Value};

/// A place in a scenario file: the file, and where known the line and
/// column (1-based) and the dotted key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub key: Option<String>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, ":{l}:{c}")?;
        }
        if let Some(k) = &self.key {
            write!(f, ": {k}")?;
        }
        Ok(())
    }
}

/// One step of a key path: a table key or an array index.
#[derive(Debug, Clone, Copy)]
pub enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// Maps key paths and byte offsets of one scenario file to locations.
pub struct Locator {
    file: PathBuf,
    text: String,
    doc: Option<ImDocument<String>>,
}

impl Locator {
    pub fn new(file: &Path, text: &str) -> Locator {
        Locator {
            file: file.to_path_buf(),
            text: text.to_string(),
            doc: ImDocument::parse(text.to_string()).ok(),
        }
    }

    /// Location of the value at `path` (or of the nearest enclosing item
    /// that exists), labelled with the path written as `a.b[2].c`.
    pub fn at(&self, path: &[Step]) -> Location {
        let span = self.span_of(path);
        let (line, column) = match span {
            Some(s) => {
                let (l, c) = self.line_col(s.start);
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        Location {
            file: self.file.clone(),
            line,
            column,
            key: (!path.is_empty()).then(|| dotted(path)),
        }
    }

    /// Location of byte `offset`, labelled with the innermost key there.
    pub fn at_offset(&self, offset: usize) -> Location {
        let (line, column) = self.line_col(offset);
        let key = self.doc.as_ref().and_then(|d| {
            let mut path = Vec::new();
            innermost(d.as_table(), offset, &mut path);
            (!path.is_empty()).then(|| path.join(""))
        });
        Location {
            file: self.file.clone(),
            line: Some(line),
            column: Some(column),
            key: key.map(|k| k.trim_start_matches('.').to_string()),
        }
    }

    /// The whole file, no position.
    pub fn file(&self) -> Location {
        Location {
            file: self.file.clone(),
            line: None,
            column: None,
            key: None,
        }
    }

    fn span_of(&self, path: &[Step]) -> Option<Range<usize>> {
        let doc = self.doc.as_ref()?;
        let mut best = None;
        let mut item: Option<&Item> = None;
        let mut table: Option<&Table> = Some(doc.as_table());
        let mut value: Option<&Value> = None;
        for step in path {
            match *step {
                Step::Key(k) => {
                    if let Some(t) = table {
                        if let Some(key) = t.key(k) {
                            best = key.span().or(best);
                        }
                        item = t.get(k);
                    } else if let Some(Value::InlineTable(t)) = value {
                        if let Some(key) = t.key(k) {
                            best = key.span().or(best);
                        }
                        match t.get(k) {
                            Some(v) => {
                                value = Some(v);
                                best = v.span().or(best);
                                continue;
                            }
                            None => return best,
                        }
                    } else {
                        return best;
                    }
                }
                Step::Index(i) => {
                    if let Some(Item::ArrayOfTables(a)) = item {
                        table = a.get(i);
                        value = None;
                        item = None;
                        best = table.and_then(|t| t.span()).or(best);
                        continue;
                    }
                    if let Some(Value::Array(a)) = value {
                        value = a.get(i);
                        best = value.and_then(|v| v.span()).or(best);
                        continue;
                    }
                    return best;
                }
            }
            match item {
                Some(Item::Table(t)) => {
                    table = Some(t);
                    value = None;
                }
                Some(Item::Value(v)) => {
                    best = v.span().or(best);
                    table = None;
                    value = Some(v);
                }
                Some(Item::ArrayOfTables(_)) => {
                    table = None;
                    value = None;
                }
                _ => return best,
            }
        }
        best
    }

    fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[start..].chars().count() + 1)
    }
}

/// Extend `path` with the keys leading to the innermost item spanning
/// `offset`.
fn innermost(table: &Table, offset: usize, path: &mut Vec<String>) {
    for (k, item) in table.iter() {
        let key_span = table.key(k).and_then(|key| key.span());
        let hit = |s: Option<Range<usize>>| s.is_some_and(|s| s.contains(&offset));
        match item {
            Item::Value(v) => {
                if hit(v.span()) || hit(key_span.clone()) {
                    path.push(format!(".{k}"));
                    return;
                }
            }
            Item::Table(t) => {
                if hit(t.span()) || hit(key_span.clone()) {
                    path.push(format!(".{k}"));
                    innermost(t, offset, path);
                    return;
                }
                let depth = path.len();
                path.push(format!(".{k}"));
                innermost(t, offset, path);
                if path.len() > depth + 1 {
                    return;
                }
                path.truncate(depth);
            }
            Item::ArrayOfTables(a) => {
                for (i, t) in a.iter().enumerate() {
                    let depth = path.len();
                    path.push(format!(".{k}[{i}]"));
                    innermost(t, offset, path);
                    if path.len() > depth + 1 || hit(t.span()) {
                        return;
                    }
                    path.truncate(depth);
                }
            }
            Item::None => {}
        }
    }
}

fn dotted(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                // As TOML writes it: a key that is not bare goes in quotes.
                if !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                {
                    out.push_str(k);
                } else {
                    out.push_str(&format!("{k:?}"));
                }
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "version = 1\n\n[content]\nstickiness = 1.5\n\n[[strategy]]\nkind = \"random\"\n\n[[strategy]]\nkind = \"explicit\"\nnodes = [1, 2, 99]\n";

    #[test]
    fn finds_keys_in_tables_and_arrays_of_tables() {
        let loc = Locator::new(Path::new("s.toml"), TEXT);
        let l = loc.at(&[Step::Key("content"), Step::Key("stickiness")]);
        assert_eq!((l.line, l.column), (Some(4), Some(14)));
        assert_eq!(l.to_string(), "s.toml:4:14: content.stickiness");
        let l = loc.at(&[
            Step::Key("strategy"),
            Step::Index(1),
            Step::Key("nodes"),
            Step::Index(2),
        ]);
        assert_eq!((l.line, l.column), (Some(11), Some(16)));
        assert_eq!(l.key.as_deref(), Some("strategy[1].nodes[2]"));
    }

    #[test]
    fn missing_keys_fall_back_to_the_enclosing_table() {
        let loc = Locator::new(Path::new("s.toml"), TEXT);
        let l = loc.at(&[Step::Key("strategy"), Step::Index(0), Step::Key("count")]);
        assert_eq!(l.line, Some(6));
    }

    #[test]
    fn offsets_map_to_innermost_keys() {
        let loc = Locator::new(Path::new("s.toml"), TEXT);
        let off = TEXT.find("1.5").unwrap();
        let l = loc.at_offset(off);
        assert_eq!(l.key.as_deref(), Some("content.stickiness"));
        let off = TEXT.find("99").unwrap();
        assert_eq!(loc.at_offset(off).key.as_deref(), Some("strategy[1].nodes"));
    }
}
