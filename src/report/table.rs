//! The comparison table printed after a run: one row per strategy (its
//! seeds, what they cost, reach, sharers, reach per 1000 spent, and with a
//! target the reach inside it and the share wasted outside; with a rival,
//! the rival's reach and the net reach), the best marked, and the paired
//! difference of the two best in plain words; with runs = "auto", how many
//! runs it took and how narrow the confidence intervals got; with a rival,
//! what each step of delay in our response costs, per strategy.

use crate::model::Metric;
use crate::pipeline::Results;
use crate::scenario::TimeUnit;
use crate::stats::Summary;

/// Render the table as text.
pub fn render(results: &Results, runs: u32) -> String {
    let best = results.comparison.as_ref().map(|c| c.best);
    let converts = results.strategies.iter().any(|st| st.money.is_some());
    let targets = results
        .strategies
        .iter()
        .any(|st| st.stats.final_of(Metric::ReachedInTarget).is_some());
    let mut header = vec![
        "",
        "strategy",
        "seeds",
        "cost",
        "mean reached [95% CI]",
        "p05-p95",
        "mean shared",
        "reached per 1000",
    ];
    if converts {
        header.extend(["mean converted", "ROI [95% CI]"]);
    }
    if targets {
        header.extend(["in target [95% CI]", "wasted"]);
    }
    let rivals = results.strategies.iter().any(|st| st.rival.is_some());
    if rivals {
        header.extend(["rival reached", "net reached [95% CI]"]);
    }
    header.push("vs best [95% CI]");
    let mut rows: Vec<Vec<String>> = Vec::new();
    for (i, st) in results.strategies.iter().enumerate() {
        let r = st.reached();
        let shared = st
            .stats
            .final_of(Metric::Shared)
            .map_or(String::from("-"), |s| number(s.mean, 1));
        let seeds = match &st.seeds {
            _ if st.seeds_per_run == 0.0 => "nobody".to_string(),
            Some(ids) => {
                let shown: Vec<String> = ids.iter().take(4).map(|id| id.to_string()).collect();
                let more = if ids.len() > 4 { ", ..." } else { "" };
                format!("{}: {}{}", ids.len(), shown.join(", "), more)
            }
            None => format!("{} random per run", money(st.seeds_per_run)),
        };
        let mut row = vec![
            if best == Some(i) {
                "*".into()
            } else {
                String::new()
            },
            st.name.clone(),
            seeds,
            {
                let seeding = match st.budget {
                    Some(b) => format!("{} of {}", money(st.cost), money(b)),
                    None => money(st.cost),
                };
                match st.paid {
                    Some(p) => format!("{seeding} + ads {}", money(p.cost.mean)),
                    None => seeding,
                }
            },
            format!(
                "{} [{} - {}]",
                number(r.mean, 1),
                number(r.ci95_low, 1),
                number(r.ci95_high, 1)
            ),
            format!("{} - {}", number(r.p05, 0), number(r.p95, 0)),
            shared,
            st.reached_per_1000()
                .map_or(String::from("-"), |r| number(r, 1)),
        ];
        if converts {
            row.push(
                st.stats
                    .final_of(Metric::Converted)
                    .map_or(String::from("-"), |c| number(c.mean, 1)),
            );
            row.push(st.money.map_or(String::from("-"), |m| {
                format!(
                    "{}% [{} - {}]",
                    number(100.0 * m.roi.mean, 1),
                    number(100.0 * m.roi.ci95_low, 1),
                    number(100.0 * m.roi.ci95_high, 1)
                )
            }));
        }
        if targets {
            row.push(
                st.stats
                    .final_of(Metric::ReachedInTarget)
                    .map_or(String::from("-"), |t| {
                        format!(
                            "{} [{} - {}]",
                            number(t.mean, 1),
                            number(t.ci95_low, 1),
                            number(t.ci95_high, 1)
                        )
                    }),
            );
            row.push(
                st.wasted_share()
                    .map_or(String::from("-"), |w| format!("{}%", number(100.0 * w, 1))),
            );
        }
        if rivals {
            row.push(
                st.stats
                    .final_of(Metric::RivalReached)
                    .map_or(String::from("-"), |r| number(r.mean, 1)),
            );
            row.push(
                st.rival
                    .map_or(String::from("-"), |r| interval(&r.net_reached)),
            );
        }
        row.push(
            match results.comparison.as_ref().and_then(|c| c.versus_best[i]) {
                Some(d) => format!(
                    "{} [{} - {}]",
                    number(d.mean, 1),
                    number(d.ci95_low, 1),
                    number(d.ci95_high, 1)
                ),
                None if best == Some(i) => "best".into(),
                None => "-".into(),
            },
        );
        rows.push(row);
    }
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let line = |cells: &[String], out: &mut String| {
        let mut parts = Vec::new();
        for (i, (cell, &w)) in cells.iter().zip(&widths).enumerate() {
            // Numbers right-aligned, words left-aligned.
            if i >= 3 {
                parts.push(format!("{cell:>w$}"));
            } else {
                parts.push(format!("{cell:<w$}"));
            }
        }
        out.push_str(parts.join("  ").trim_end());
        out.push('\n');
    };
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    line(&header, &mut out);
    let rules: Vec<String> = widths.iter().map(|&w| "-".repeat(w)).collect();
    line(&rules, &mut out);
    for row in &rows {
        line(row, &mut out);
    }
    if let Some(c) = &results.comparison {
        let d = &c.reached_difference;
        let verdict = if d.std == 0.0 && d.mean == 0.0 {
            "they reach the same people in every run"
        } else if d.ci95_low > 0.0 {
            "a real difference"
        } else {
            "not distinguishable from no difference at this run count"
        };
        out.push_str(&format!(
            "\n* {} reaches {} more people than {} on average (95% CI {} to {}, paired over {} runs): {}.\n",
            results.strategies[c.best].name,
            number(d.mean, 1),
            results.strategies[c.runner_up].name,
            number(d.ci95_low, 1),
            number(d.ci95_high, 1),
            runs,
            verdict
        ));
    }
    out.push_str(&auto_line(results));
    out
}

/// With runs = "auto", a line saying how many runs it took and the widest
/// relative 95% CI reached, or that `max_runs` stopped the runs first;
/// empty with a fixed run count.
pub fn auto_line(results: &Results) -> String {
    let Some(auto) = &results.auto else {
        return String::new();
    };
    let widest = percent(auto.widest);
    let strategy = &results.strategies[auto.widest_strategy].name;
    if auto.capped {
        format!(
            "\nstopped at max_runs = {}: widest CI ±{widest} ({strategy}), asked ±{}.\n",
            number(auto.max_runs as f64, 0),
            percent(auto.ci_half_width)
        )
    } else {
        format!(
            "\n{} runs (auto: every strategy's 95% CI within ±{} of its mean; widest ±{widest}, {strategy}).\n",
            number(results.runs as f64, 0),
            percent(auto.ci_half_width)
        )
    }
}

/// A fraction as a percentage to two significant digits ("1.0%",
/// "0.93%", "16%").
fn percent(fraction: f64) -> String {
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

/// Lines saying what each step (`unit`) of delay in our response to the
/// rival costs each strategy, paired over `runs` runs; empty without a
/// rival.
pub fn delay_lines(results: &Results, runs: u32, unit: TimeUnit) -> String {
    let mut out = String::new();
    for st in &results.strategies {
        let Some(r) = st.rival else { continue };
        if out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!(
            "* {}: each {} of delay in our response costs {} people reached [95% CI {} to {}] and {} of net reach [{} to {}] (paired over {} runs).\n",
            st.name,
            unit.name(),
            number(r.delay_cost.mean, 1),
            number(r.delay_cost.ci95_low, 1),
            number(r.delay_cost.ci95_high, 1),
            number(r.delay_cost_net.mean, 1),
            number(r.delay_cost_net.ci95_low, 1),
            number(r.delay_cost_net.ci95_high, 1),
            runs
        ));
    }
    out
}

/// A mean with its 95% confidence interval, "m [low - high]".
fn interval(s: &Summary) -> String {
    format!(
        "{} [{} - {}]",
        number(s.mean, 1),
        number(s.ci95_low, 1),
        number(s.ci95_high, 1)
    )
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

/// `x` with `decimals` decimals and thousands separators.
pub fn number(x: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), format!(".{f}")),
        None => (s.clone(), String::new()),
    };
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    format!("{sign}{grouped}{frac}")
}

#[cfg(test)]
mod tests {
    use super::{number, percent};

    #[test]
    fn percentages_keep_two_significant_digits() {
        assert_eq!(percent(0.01), "1.0%");
        assert_eq!(percent(0.0093), "0.93%");
        assert_eq!(percent(0.016), "1.6%");
        assert_eq!(percent(0.25), "25%");
        assert_eq!(percent(0.0005), "0.050%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(f64::INFINITY), "∞%");
    }

    #[test]
    fn numbers_get_thousands_separators() {
        assert_eq!(number(1234567.891, 1), "1,234,567.9");
        assert_eq!(number(999.0, 0), "999");
        assert_eq!(number(-1000.04, 1), "-1,000.0");
        assert_eq!(number(-0.01, 1), "0.0");
    }
}
