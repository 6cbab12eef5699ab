//! A scenario's name. It becomes a folder (`OUT/<name>/`) and a file name
//! (`viralsim init NAME` writes `NAME.toml`), so the only way to make one
//! checks it: no `.`, `..`, hidden name, separator or control character can
//! reach a path.

use std::fmt;
use std::ops::Deref;
use std::path::Path;

/// What a scenario name may be, in words.
pub const NAME_RULE: &str = "1 to 100 letters, digits, '-', '_' or '.', not starting with '.'";

/// Whether `name` may name a scenario (and so its output folder): see
/// [`NAME_RULE`].
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        && !name.starts_with('.')
}

/// A scenario name that follows [`NAME_RULE`], and so is safe as one
/// component of a path: it is never empty, `.` or `..`, holds no separator
/// and does not start with a dot.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Name(String);

impl Name {
    /// `name`, if it follows [`NAME_RULE`]; otherwise `name` back.
    pub fn new(name: &str) -> Result<Name, &str> {
        if is_valid_name(name) {
            Ok(Name(name.to_string()))
        } else {
            Err(name)
        }
    }

    /// A name that follows the rule, made from `text` (a file name, say):
    /// each run of other characters becomes one '-', leading dots and
    /// dashes go; "scenario" if nothing is left. For hints in messages.
    pub fn suggest(text: &str) -> Name {
        let mut out = String::new();
        for c in text.chars() {
            if c.is_ascii_alphanumeric() || "_.".contains(c) {
                out.push(c);
            } else if !out.ends_with('-') {
                out.push('-');
            }
        }
        let out: String = out
            .trim_start_matches(['.', '-'])
            .trim_end_matches('-')
            .chars()
            .take(100)
            .collect();
        Name::new(&out).unwrap_or_else(|_| Name("scenario".into()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `name` in double quotes as a message shows it: control characters
/// escaped, so a name holding a newline cannot break the message's line.
pub fn quoted(name: &str) -> String {
    format!("\"{}\"", name.escape_debug())
}

impl Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl AsRef<Path> for Name {
    fn as_ref(&self) -> &Path {
        Path::new(&self.0)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_would_leave_the_folder_are_refused() {
        for bad in [
            "", ".", "..", "...", ".hidden", "a/b", "a\\b", "a b", "a\nb", "a\0b", "é", "../x",
        ] {
            assert!(Name::new(bad).is_err(), "{bad:?} was accepted");
        }
        for good in ["v1.2", "launch", "a-b_c", "x..y"] {
            assert_eq!(Name::new(good).unwrap().as_str(), good);
        }
        assert!(Name::new(&"a".repeat(101)).is_err());
    }

    #[test]
    fn suggestions_follow_the_rule() {
        for (text, name) in [
            ("a b", "a-b"),
            ("..", "scenario"),
            (".hidden", "hidden"),
            ("a\nb", "a-b"),
            ("été 2", "t-2"),
            ("v1.2", "v1.2"),
        ] {
            assert_eq!(Name::suggest(text).as_str(), name);
        }
    }

    #[test]
    fn quoted_names_stay_on_one_line() {
        assert_eq!(quoted("a\nb"), "\"a\\nb\"");
    }
}
