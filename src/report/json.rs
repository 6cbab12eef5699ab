//! JSON as the machine-readable outputs write it (summary.json, run.json,
//! `viralsim graph --json`): serde_json's pretty layout, with every float
//! through [`super::format::unsigned_zero`] so that none is written as
//! "-0.0". The numbers themselves, for CSV and for people, are
//! [`super::format`]'s.

use std::io;

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};

use super::format::unsigned_zero;

/// `value` as pretty-printed JSON (as `serde_json::to_vec_pretty`), every
/// float written without a negative zero.
pub fn pretty<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(4096);
    let mut ser =
        serde_json::Serializer::with_formatter(&mut out, NoNegativeZero(PrettyFormatter::new()));
    value.serialize(&mut ser)?;
    Ok(out)
}

/// serde_json's pretty layout, with floats through [`unsigned_zero`].
struct NoNegativeZero<'a>(PrettyFormatter<'a>);

impl Formatter for NoNegativeZero<'_> {
    fn write_f64<W: ?Sized + io::Write>(&mut self, w: &mut W, value: f64) -> io::Result<()> {
        self.0.write_f64(w, unsigned_zero(value))
    }

    fn write_f32<W: ?Sized + io::Write>(&mut self, w: &mut W, value: f32) -> io::Result<()> {
        self.0.write_f32(w, value + 0.0)
    }

    // The layout: every method PrettyFormatter has of its own.
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_zero_is_written_as_zero() {
        let json = pretty(&serde_json::json!({"a": -0.0, "b": [-0.0, -1.5]})).unwrap();
        assert_eq!(
            String::from_utf8(json).unwrap(),
            "{\n  \"a\": 0.0,\n  \"b\": [\n    0.0,\n    -1.5\n  ]\n}"
        );
    }

    #[test]
    fn the_layout_is_serde_jsons() {
        #[derive(Serialize)]
        struct S {
            a: Vec<f64>,
            empty: Vec<u8>,
            map: std::collections::BTreeMap<&'static str, Option<f32>>,
            nested: Vec<Vec<i32>>,
            none: (),
        }
        let s = S {
            a: vec![1.0, 2.5, f64::NAN],
            empty: vec![],
            map: [("x", Some(1.5)), ("y", None)].into_iter().collect(),
            nested: vec![vec![], vec![1, 2]],
            none: (),
        };
        assert_eq!(pretty(&s).unwrap(), serde_json::to_vec_pretty(&s).unwrap());
    }
}
