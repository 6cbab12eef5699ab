//! Numbers as the machine-readable outputs (JSON, CSV) write them. A sum
//! over nothing, or a product with a negative factor, can give the float
//! -0.0, which equals 0 but prints as "-0.0" or "-0" and makes a
//! spreadsheet or a diff see a sign where there is none; every JSON and
//! CSV number goes through here and comes out as plain 0. (The human
//! formats round through [`super::table::number`], which drops the sign of
//! anything that rounds to zero.)

use std::io;

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};

/// `x` with -0.0 made 0.0 (IEEE: -0 + 0 = +0); every other value,
/// NaN included, is unchanged.
pub fn unsigned_zero(x: f64) -> f64 {
    x + 0.0
}

/// `x` as a CSV field: the shortest text that reads back as `x`, never
/// "-0".
pub fn csv(x: f64) -> String {
    unsigned_zero(x).to_string()
}

/// An optional number as a CSV field: empty for None.
pub fn csv_opt(x: Option<f64>) -> String {
    x.map(csv).unwrap_or_default()
}

/// `value` as pretty-printed JSON (as `serde_json::to_vec_pretty`), every
/// float written without a negative zero.
pub fn json_pretty<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<Vec<u8>> {
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
        assert_eq!(csv(-0.0), "0");
        assert_eq!(csv(-0.5), "-0.5");
        assert_eq!(csv_opt(Some(-0.0)), "0");
        assert_eq!(csv_opt(None), "");
        let json = json_pretty(&serde_json::json!({"a": -0.0, "b": [-0.0, -1.5]})).unwrap();
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
        assert_eq!(
            json_pretty(&s).unwrap(),
            serde_json::to_vec_pretty(&s).unwrap()
        );
    }
}
