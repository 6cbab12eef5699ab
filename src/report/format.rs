//! Every number viralsim writes, in one place.
//!
//! For people (the table printed after a run, `viralsim graph`,
//! report.html, the labels on the charts): thousands separators, a fixed or
//! a trimmed count of decimals, significant digits, percentages, money,
//! axis ticks and counts with their unit. A number that rounds to zero is
//! written without a sign: "-0.0" would show a sign where there is none.
//!
//! For machines (CSV; JSON through `report::json`): the shortest text that
//! reads back as the number, never "-0". A sum over nothing, or a product
//! with a negative factor, can give the float -0.0, which equals 0 but
//! prints as "-0" and makes a spreadsheet or a diff see a sign where there
//! is none.

use crate::scenario::TimeUnit;

// ---------------------------------------------------------------------------
// For people.

/// `x` with `decimals` decimals and thousands separators: 1234567.891 with
/// 1 decimal -> "1,234,567.9".
pub fn number(x: f64, decimals: usize) -> String {
    let digits = format!("{:.*}", decimals, x.abs());
    let (int_part, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits.as_str(), None),
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if x < 0.0 && !digits.bytes().all(|b| b == b'0' || b == b'.') {
        out.push('-');
    }
    // The one place thousands are grouped.
    for (i, ch) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if let Some(frac) = frac {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// `x` with up to `decimals` decimals, trailing zeros dropped, thousands
/// grouped: 1234.5 -> "1,234.5", 0.30000000000000004 -> "0.3".
pub fn trimmed(x: f64, decimals: usize) -> String {
    let s = number(x, decimals);
    match s.split_once('.') {
        Some((int_part, frac)) => match frac.trim_end_matches('0') {
            "" => int_part.to_string(),
            frac => format!("{int_part}.{frac}"),
        },
        None => s,
    }
}

/// A value from the scenario as its author wrote it: up to 4 decimals,
/// trailing zeros dropped, thousands grouped: 0.12 -> "0.12",
/// 12.000000000000002 -> "12".
pub fn plain(x: f64) -> String {
    trimmed(x, 4)
}

/// An amount of money (or a mean count): whole numbers as they are, others
/// to the cent below 100 and to the unit above.
pub fn money(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 || x >= 100.0 {
        number(x, 0)
    } else {
        number(x, 2)
    }
}

/// `x` to `digits` significant digits (no exponent; thousands grouped):
/// 0.0248127 to 4 digits -> "0.02481".
pub fn significant(x: f64, digits: i32) -> String {
    if x == 0.0 || !x.is_finite() {
        return unsigned_zero(x).to_string();
    }
    let decimals = (digits - 1 - x.abs().log10().floor() as i32).max(0) as usize;
    number(x, decimals)
}

/// A fraction as a percentage to two significant digits ("1.0%",
/// "0.93%", "16%").
pub fn percent(fraction: f64) -> String {
    let p = 100.0 * fraction;
    if !p.is_finite() {
        return "∞%".into();
    }
    if p == 0.0 {
        return "0%".into();
    }
    let decimals = (1 - p.abs().log10().floor() as i64).clamp(0, 6) as usize;
    format!("{}%", number(p, decimals))
}

/// `part` of `whole` as a percentage to one decimal ("12.5%"); 0 of 0 is
/// "0.0%".
pub fn percent_of(part: u32, whole: u32) -> String {
    format!("{}%", number(100.0 * part as f64 / whole.max(1) as f64, 1))
}

/// A stickiness (or a threshold on it) as the tipping-point lines and
/// tables write it: 4 decimals, no separators.
pub fn stickiness(x: f64) -> String {
    format!("{x:.4}")
}

/// A value of the scenario's as the printed table quotes it: the shortest
/// text that reads back as `x`, no separators (0.05 -> "0.05", 1e6 ->
/// "1000000"). Unlike [`csv()`], a negative zero keeps its sign.
pub fn shortest(x: f64) -> String {
    x.to_string()
}

/// "1 person", "12,345 people".
pub fn people(n: u32) -> String {
    if n == 1 {
        "1 person".into()
    } else {
        format!("{} people", number(n as f64, 0))
    }
}

/// A whole number of time steps: "30 days", "1 day", "30 steps".
pub fn steps(n: u32, unit: TimeUnit) -> String {
    if n == 1 {
        format!("1 {}", unit.name())
    } else {
        format!("{} {}", number(n as f64, 0), unit.plural())
    }
}

/// A span of time in steps: "2.5 hours", "1 hour".
pub fn amount(x: f64, unit: TimeUnit) -> String {
    if x == 1.0 {
        format!("1 {}", unit.name())
    } else {
        format!("{} {}", plain(x), unit.plural())
    }
}

/// The decimals that tell apart values `step` apart: one digit beyond the
/// step's first (0.25 -> 2, 10 -> 0); 0 for a step that is not positive.
pub fn decimals_for(step: f64) -> usize {
    if step > 0.0 && step.is_finite() {
        (1.0 - step.log10().floor()).clamp(0.0, 12.0) as usize
    } else {
        0
    }
}

/// The label of the tick at `v` on an axis spanning `lo..hi`. Axes
/// reaching 10,000 or more use compact labels ("2.5k", "12k", "1.25M");
/// smaller axes use grouped digits with as many decimals as the tick
/// spacing needs.
pub fn axis_tick(v: f64, (lo, hi): (f64, f64)) -> String {
    if lo.abs().max(hi.abs()) >= 10_000.0 {
        let a = v.abs();
        for (unit, suffix) in [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")] {
            if a >= unit * 0.9995 {
                return format!("{}{suffix}", trimmed(v / unit, 2));
            }
        }
        return trimmed(v, 0);
    }
    // Ticks are about a tenth of the span apart.
    trimmed(v, decimals_for(((hi - lo) / 10.0).abs()))
}

// ---------------------------------------------------------------------------
// For machines.

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_get_thousands_separators() {
        assert_eq!(number(1234567.891, 1), "1,234,567.9");
        assert_eq!(number(999.0, 0), "999");
        assert_eq!(number(-1000.04, 1), "-1,000.0");
        assert_eq!(number(100_000.0, 0), "100,000");
        assert_eq!(number(0.5, 3), "0.500");
    }

    #[test]
    fn what_rounds_to_zero_has_no_sign() {
        assert_eq!(number(-0.01, 1), "0.0");
        assert_eq!(number(-0.0, 0), "0");
        assert_eq!(trimmed(-0.0, 2), "0");
        assert_eq!(trimmed(-0.001, 2), "0");
        assert_eq!(trimmed(-0.01, 2), "-0.01");
        assert_eq!(number(f64::NEG_INFINITY, 1), "-inf");
        assert_eq!(number(f64::NAN, 1), "NaN");
    }

    #[test]
    fn trimmed_drops_trailing_zeros() {
        assert_eq!(trimmed(1_234.5, 2), "1,234.5");
        assert_eq!(trimmed(0.30000000000000004, 4), "0.3");
        assert_eq!(trimmed(1_234_567.0, 0), "1,234,567");
        assert_eq!(trimmed(100.0, 1), "100");
        assert_eq!(plain(12.000000000000002), "12");
        assert_eq!(plain(0.12), "0.12");
        assert_eq!(plain(0.123456), "0.1235");
    }

    #[test]
    fn money_is_whole_or_to_the_cent() {
        assert_eq!(money(5000.0), "5,000");
        assert_eq!(money(12.5), "12.50");
        assert_eq!(money(123.45), "123");
    }

    #[test]
    fn significant_digits() {
        assert_eq!(significant(0.0248127, 4), "0.02481");
        assert_eq!(significant(67.353, 5), "67.353");
        assert_eq!(significant(12_345.6, 2), "12,346");
        assert_eq!(significant(-0.0, 4), "0");
        assert_eq!(significant(f64::INFINITY, 4), "inf");
    }

    #[test]
    fn percentages_keep_two_significant_digits() {
        assert_eq!(percent(0.01), "1.0%");
        assert_eq!(percent(0.0093), "0.93%");
        assert_eq!(percent(0.016), "1.6%");
        assert_eq!(percent(0.25), "25%");
        assert_eq!(percent(0.0005), "0.050%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(f64::INFINITY), "∞%");
        assert_eq!(percent_of(1, 8), "12.5%");
        assert_eq!(percent_of(0, 0), "0.0%");
    }

    #[test]
    fn counts_carry_their_unit() {
        assert_eq!(people(1), "1 person");
        assert_eq!(people(12_345), "12,345 people");
        assert_eq!(stickiness(0.25), "0.2500");
        assert_eq!(shortest(0.05), "0.05");
        assert_eq!(shortest(1e6), "1000000");
    }

    #[test]
    fn axis_ticks() {
        let big = (0.0, 50_000.0);
        assert_eq!(axis_tick(0.0, big), "0");
        assert_eq!(axis_tick(2_500.0, big), "2.5k");
        assert_eq!(axis_tick(12_000.0, big), "12k");
        assert_eq!(axis_tick(500.0, big), "500");
        assert_eq!(axis_tick(1_250_000.0, (0.0, 2e6)), "1.25M");
        assert_eq!(axis_tick(1e12, (0.0, 1.1e12)), "1T");
        assert_eq!(axis_tick(1_234.0, (0.0, 5_000.0)), "1,234");
        assert_eq!(axis_tick(-1_500.0, (-2_000.0, 5_000.0)), "-1,500");
        assert_eq!(axis_tick(0.30000000000000004, (0.0, 1.0)), "0.3");
        assert_eq!(axis_tick(0.25, (0.0, 1.0)), "0.25");
        assert_eq!(axis_tick(-0.0, (0.0, 1.0)), "0");
        assert_eq!(axis_tick(2e-6, (0.0, 5e-6)), "0.000002");
        assert_eq!(axis_tick(2.5e-6, (0.0, 5e-6)), "0.0000025");
        assert_eq!(decimals_for(0.25), 2);
        assert_eq!(decimals_for(10.0), 0);
        assert_eq!(decimals_for(0.0), 0);
    }

    #[test]
    fn negative_zero_is_written_as_zero() {
        assert_eq!(csv(-0.0), "0");
        assert_eq!(csv(-0.5), "-0.5");
        assert_eq!(csv_opt(Some(-0.0)), "0");
        assert_eq!(csv_opt(None), "");
    }
}
