//! Data files with a header row (edge lists with `source,target[,trust]`,
//! the people file with `id,segment,cost,...`): fields separated by a
//! comma, a tab, a semicolon or spaces, the one the header uses; a field
//! may be quoted (`"a, b"`, with `""` for a quote inside), and a quoted
//! field ends on its line.

/// What separates the fields of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiter {
    Comma,
    Tab,
    Semicolon,
    /// One or more spaces (or tabs) in a row.
    Spaces,
}

impl Delimiter {
    /// The delimiter a header line uses: a tab, else a semicolon, else a
    /// comma, else spaces (outside quotes).
    pub fn of_header(line: &str) -> Delimiter {
        let mut quoted = false;
        let (mut tab, mut semi, mut comma) = (false, false, false);
        for c in line.chars() {
            match c {
                '"' => quoted = !quoted,
                '\t' if !quoted => tab = true,
                ';' if !quoted => semi = true,
                ',' if !quoted => comma = true,
                _ => {}
            }
        }
        if tab {
            Delimiter::Tab
        } else if semi {
            Delimiter::Semicolon
        } else if comma {
            Delimiter::Comma
        } else {
            Delimiter::Spaces
        }
    }

    /// Its name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Delimiter::Comma => "comma",
            Delimiter::Tab => "tab",
            Delimiter::Semicolon => "semicolon",
            Delimiter::Spaces => "space",
        }
    }

    fn separates(self, c: char) -> bool {
        match self {
            Delimiter::Comma => c == ',',
            Delimiter::Tab => c == '\t',
            Delimiter::Semicolon => c == ';',
            Delimiter::Spaces => c == ' ' || c == '\t',
        }
    }
}

/// Split `line` into `fields` (cleared first), each trimmed of spaces
/// outside quotes and unquoted. On a bad quote, what is wrong.
pub fn split(line: &str, delimiter: Delimiter, fields: &mut Vec<String>) -> Result<(), String> {
    fields.clear();
    let mut chars = line.trim().chars().peekable();
    loop {
        if delimiter == Delimiter::Spaces {
            while chars.peek().is_some_and(|&c| c == ' ' || c == '\t') {
                chars.next();
            }
        } else {
            while chars.peek() == Some(&' ') {
                chars.next();
            }
        }
        let mut field = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    Some('"') => break,
                    Some(c) => field.push(c),
                    None => {
                        return Err(format!(
                            "field {} opens a quote that the line never closes (a quoted field ends on its line; write a quote inside it as \"\")",
                            fields.len() + 1
                        ))
                    }
                }
            }
            while chars.peek() == Some(&' ') && delimiter != Delimiter::Spaces {
                chars.next();
            }
            match chars.next() {
                None => {
                    fields.push(field);
                    return Ok(());
                }
                Some(c) if delimiter.separates(c) => fields.push(field),
                Some(c) => {
                    return Err(format!(
                        "field {} has `{c}` after its closing quote; expected a {} or the end of the line (write a quote inside a quoted field as \"\")",
                        fields.len() + 1,
                        delimiter.name()
                    ))
                }
            }
        } else {
            loop {
                match chars.next() {
                    None => {
                        fields.push(field.trim_end().to_string());
                        return Ok(());
                    }
                    Some(c) if delimiter.separates(c) => break,
                    Some(c) => field.push(c),
                }
            }
            fields.push(field.trim_end().to_string());
        }
        if delimiter == Delimiter::Spaces && chars.peek().is_none() {
            return Ok(());
        }
    }
}

/// The position of the column called `name` (compared without case) in
/// `header`.
pub fn column(header: &[String], name: &str) -> Option<usize> {
    header.iter().position(|h| h.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(line: &str, d: Delimiter) -> Result<Vec<String>, String> {
        let mut out = Vec::new();
        split(line, d, &mut out).map(|_| out)
    }

    #[test]
    fn delimiters_are_read_off_the_header() {
        assert_eq!(Delimiter::of_header("source,target"), Delimiter::Comma);
        assert_eq!(Delimiter::of_header("source\ttarget"), Delimiter::Tab);
        assert_eq!(
            Delimiter::of_header("source;target,x"),
            Delimiter::Semicolon
        );
        assert_eq!(Delimiter::of_header("source target"), Delimiter::Spaces);
        assert_eq!(Delimiter::of_header("\"a,b\" c"), Delimiter::Spaces);
    }

    #[test]
    fn quoted_fields_keep_delimiters_and_quotes() {
        assert_eq!(
            fields(r#""smith, j",  "say ""hi""" ,x"#, Delimiter::Comma).unwrap(),
            ["smith, j", r#"say "hi""#, "x"]
        );
        assert_eq!(
            fields("a  b\t c", Delimiter::Spaces).unwrap(),
            ["a", "b", "c"]
        );
        assert_eq!(
            fields("a;;b", Delimiter::Semicolon).unwrap(),
            ["a", "", "b"]
        );
        assert_eq!(fields("a,", Delimiter::Comma).unwrap(), ["a", ""]);
        assert!(fields(r#""open,b"#, Delimiter::Comma)
            .unwrap_err()
            .contains("never closes"));
        assert!(fields(r#""a"b,c"#, Delimiter::Comma)
            .unwrap_err()
            .contains("after its closing quote"));
    }
}
