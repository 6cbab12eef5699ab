//! The comparison table printed after a run: one row per strategy (its
//! seeds, what they cost, reach and its share of the network, sharers, the
//! cost per 1,000 reached, impressions, frequency and the cost per 1,000
//! impressions, and with a target the reach inside it and the share wasted outside; with a rival,
//! the rival's reach and the net reach), the best marked, and the paired
//! difference of the two best in plain words; with runs = "auto", how many
//! runs it took and how narrow the confidence intervals got; with a rival,
//! what each step of delay in our response costs, per strategy; with a
//! sweep, the grid and each strategy's tipping point. Means of people are
//! shown as whole people.

use super::fit::{self, Grid};
use super::format::{money, number, percent, shortest, steps, stickiness, trimmed};
use super::recommendation;
use crate::model::{Goal, Metric};
use crate::pipeline::{Results, StrategyResult};
use crate::scenario::{TimeUnit, STICKINESS_KEY};
use crate::stats::Summary;
use crate::sweep::{SweepResults, Tipping};

/// The table's cells: a header and one row per strategy, each row opening
/// with "*" for the best strategy (empty otherwise) and the strategy's
/// name. Columns from the fourth on hold numbers. The first
/// [`CORE_COLUMNS`] columns are in every table, then the
/// [`IMPRESSION_COLUMNS`], "vs best" is the last, and the columns of
/// `[conversion]`, `[target]`, `[rival]` and ads sit between.
pub struct Cells {
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

/// The number of columns every table opens with (the marker of the best,
/// strategy, seeds, cost, reached, % of network, p05-p95, shared, cost per
/// 1,000 reached).
pub const CORE_COLUMNS: usize = 9;

/// The columns every table has after the [`CORE_COLUMNS`]: what the
/// content was shown.
pub const IMPRESSION_COLUMNS: [&str; 3] =
    ["impressions", "frequency", "cost per 1,000 impressions"];

/// Render the table as text in at most `width` characters per line
/// (columns dropped or shortened as [`fit::table`] decides, prose wrapped
/// at words), with the recommendation for a network of `people` under it.
pub fn render(results: &Results, runs: u32, people: u32, width: usize) -> String {
    let Cells { header, rows } = cells(results);
    // The best is marked beside its name: a column of its own would open
    // the header with an empty cell and the rule under it with a stray '-'.
    let grid = Grid {
        header: header
            .iter()
            .skip(1)
            .enumerate()
            .map(|(i, h)| {
                if i == 0 {
                    format!("  {h}")
                } else {
                    h.to_string()
                }
            })
            .collect(),
        rows: rows
            .into_iter()
            .map(|row| {
                let mut row = row.into_iter();
                let mark = row.next().unwrap_or_default();
                let name = row.next().unwrap_or_default();
                let mark = if mark.is_empty() { " " } else { mark.as_str() };
                std::iter::once(format!("{mark} {name}"))
                    .chain(row)
                    .collect()
            })
            .collect(),
    };
    let mut out = String::new();
    if results.goal != Goal::Reached {
        out.push_str(&fit::wrap(
            &format!("{}\n\n", ranking_title(results.goal)),
            width,
        ));
    }
    out.push_str(&fit::table(&grid, width));
    let mut prose = String::new();
    if let Some(sentence) = recommendation::sentence(results, people) {
        prose.push_str(&format!("\n{sentence}\n"));
    }
    if let Some(verdict) = verdict(results, runs) {
        prose.push_str(&format!("\n* {verdict}\n"));
    }
    prose.push_str(&auto_line(results));
    out.push_str(&fit::wrap(&prose, width));
    out
}

/// The table's cells, as [`render`] lays them out.
pub fn cells(results: &Results) -> Cells {
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
        "% of network",
        "p05-p95",
        "mean shared",
        "cost per 1,000 reached",
    ];
    header.extend(IMPRESSION_COLUMNS);
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
    let buys_ads = buys_ads(results);
    if buys_ads {
        header.extend(AD_COLUMNS);
    }
    header.push("vs best [95% CI]");
    let mut rows: Vec<Vec<String>> = Vec::new();
    for (i, st) in results.strategies.iter().enumerate() {
        let r = st.reached();
        let shared = st
            .stats
            .final_of(Metric::Shared)
            .map_or(String::from("-"), |s| number(s.mean, 0));
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
            if buys_ads {
                cost_cell(st)
            } else {
                let seeding = match st.budget {
                    Some(b) => format!("{} of {}", money(st.cost), money(b)),
                    None => money(st.cost),
                };
                match st.paid {
                    Some(p) => format!("{seeding} + ads {}", money(p.cost.mean)),
                    None => seeding,
                }
            },
            interval(r),
            percent(st.reached_share(results.people)),
            format!("{} - {}", number(r.p05, 0), number(r.p95, 0)),
            shared,
            per_1000(st.cost_per_1000_reached()),
            st.impressions()
                .map_or(String::from("-"), |s| number(s.mean, 0)),
            st.frequency().map_or(String::from("-"), |f| number(f, 2)),
            per_1000(st.cost_per_1000_impressions()),
        ];
        if converts {
            row.push(
                st.stats
                    .final_of(Metric::Converted)
                    .map_or(String::from("-"), |c| number(c.mean, 0)),
            );
            // A campaign that spends nothing has no return on it.
            row.push(
                st.money
                    .filter(|m| m.cost.mean > 0.0)
                    .map_or(String::from("-"), |m| {
                        format!(
                            "{}% [{} - {}]",
                            number(100.0 * m.roi.mean, 1),
                            number(100.0 * m.roi.ci95_low, 1),
                            number(100.0 * m.roi.ci95_high, 1)
                        )
                    }),
            );
        }
        if targets {
            row.push(
                st.stats
                    .final_of(Metric::ReachedInTarget)
                    .map_or(String::from("-"), interval),
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
                    .map_or(String::from("-"), |r| number(r.mean, 0)),
            );
            row.push(
                st.rival
                    .map_or(String::from("-"), |r| interval(&r.net_reached)),
            );
        }
        if buys_ads {
            row.extend(ad_cells(st));
        }
        row.push(
            match results.comparison.as_ref().and_then(|c| c.versus_best[i]) {
                Some(d) => interval(&d),
                None if best == Some(i) => "best".into(),
                None => "-".into(),
            },
        );
        rows.push(row);
    }
    if results.goal != Goal::Reached {
        // Best first, by the goal; with the default goal, scenario order.
        let mut ranked: Vec<Option<Vec<String>>> = rows.into_iter().map(Some).collect();
        rows = results
            .ranked()
            .into_iter()
            .filter_map(|i| ranked[i].take())
            .collect();
    }
    Cells { header, rows }
}

/// What ranks the strategies, as a title: "Ranked by people who shared
/// (`[goal] metric = "shared"`)".
pub fn ranking_title(goal: Goal) -> String {
    format!(
        "Ranked by {} ([goal] metric = \"{}\")",
        goal.words(),
        goal.name()
    )
}

/// How the best strategy beats the runner-up on `goal`, before the
/// difference and after it ("reaches", "more people than").
fn goal_phrase(goal: Goal) -> (&'static str, &'static str) {
    match goal {
        Goal::Reached => ("reaches", "more people than"),
        Goal::Shared => ("has", "more people sharing than"),
        Goal::Converted => ("converts", "more people than"),
        Goal::ReachedInTarget => ("reaches", "more people in the target than"),
        Goal::NetReached => ("has", "more net reach than"),
    }
}

/// The columns of ads that strategies buy themselves (`[strategy.ads]`).
pub const AD_COLUMNS: [&str; 3] = [
    "paid reached",
    "earned reached",
    "earned multiplier [95% CI]",
];

/// Whether some strategy buys its own ads, which adds [`AD_COLUMNS`] and
/// spells out each strategy's spend.
pub fn buys_ads(results: &Results) -> bool {
    results.strategies.iter().any(|st| st.ads.is_some())
}

/// What a strategy spends, beside strategies that buy their own ads:
/// seeding ("2,419 of 2,500"), its ads ("ads 2,500 of 2,500"), both joined
/// by "+", or "-" for a strategy that spends nothing.
fn cost_cell(st: &StrategyResult) -> String {
    let mut parts = Vec::new();
    if st.seeds_per_run > 0.0 || st.budget.is_some() {
        parts.push(match st.budget {
            Some(b) => format!("{} of {}", money(st.cost), money(b)),
            None => money(st.cost),
        });
    }
    let ad_spend = st.paid.map_or(0.0, |p| p.cost.mean);
    match st.ads {
        Some(a) => parts.push(format!("ads {} of {}", money(ad_spend), money(a.budget))),
        None if ad_spend > 0.0 => parts.push(format!("ads {}", money(ad_spend))),
        None => {}
    }
    if parts.is_empty() {
        "-".into()
    } else {
        parts.join(" + ")
    }
}

/// A cost per 1,000 (reached or impressions) as money, "-" when there is
/// none or nothing was spent.
fn per_1000(cost: Option<f64>) -> String {
    match cost {
        Some(c) if c > 0.0 => money(c),
        _ => "-".into(),
    }
}

/// A strategy's cells under [`AD_COLUMNS`].
fn ad_cells(st: &StrategyResult) -> [String; 3] {
    let mean = |m: Metric| {
        st.stats
            .final_of(m)
            .map_or(String::from("-"), |s| number(s.mean, 0))
    };
    [
        mean(Metric::PaidReached),
        mean(Metric::EarnedReached),
        st.paid.map_or(String::from("-"), |p| {
            format!(
                "{} [{} - {}]",
                number(p.multiplier.mean, 2),
                number(p.multiplier.ci95_low, 2),
                number(p.multiplier.ci95_high, 2)
            )
        }),
    ]
}

/// The paired difference of the two best strategies over `runs` runs, in
/// plain words; None with a single strategy.
pub fn verdict(results: &Results, runs: u32) -> Option<String> {
    let c = results.comparison.as_ref()?;
    let d = &c.reached_difference;
    let verdict = difference_words(d);
    let (verb, more) = goal_phrase(c.goal);
    Some(format!(
        "{} {verb} {} {more} {} on average (95% CI {} to {}, paired over {} runs): {}.",
        results.strategies[c.best].name,
        number(d.mean, 0),
        results.strategies[c.runner_up].name,
        number(d.ci95_low, 0),
        number(d.ci95_high, 0),
        runs,
        verdict
    ))
}

/// What the paired difference `d` of the two best strategies says, in
/// words.
pub fn difference_words(d: &Summary) -> &'static str {
    if d.std == 0.0 && d.mean == 0.0 {
        "they reach the same people in every run"
    } else if d.ci95_low > 0.0 {
        "a real difference"
    } else {
        "not distinguishable from no difference at this run count"
    }
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

/// Lines saying what each step (`unit`) of delay in our response to the
/// rival costs each strategy, paired over `runs` runs; empty without a
/// rival.
pub fn delay_lines(results: &Results, runs: u32, unit: TimeUnit) -> String {
    let mut out = String::new();
    for sentence in delay_sentences(results, runs, unit) {
        if out.is_empty() {
            out.push('\n');
        }
        out.push_str(&format!("* {sentence}\n"));
    }
    out
}

/// What a sweep found, in words: the grid, and for a stickiness sweep each
/// strategy's tipping point beside the graph's thresholds.
pub fn sweep_lines(sweep: &SweepResults) -> String {
    let axes: Vec<String> = sweep
        .axes
        .iter()
        .map(|a| {
            format!(
                "{} from {} to {} ({} values)",
                a.key,
                shortest(a.values[0]),
                shortest(a.values[a.values.len() - 1]),
                a.values.len()
            )
        })
        .collect();
    let mut out = format!(
        "\nSweep: {}; {} points, every strategy at each (sweep.csv).\n",
        axes.join(" by "),
        sweep.points.len()
    );
    for line in &sweep.tipping {
        let other = match (
            line.other,
            sweep.axes.iter().find(|a| a.key != STICKINESS_KEY),
        ) {
            (Some(v), Some(axis)) => format!(" at {} = {}", axis.key, shortest(v)),
            _ => String::new(),
        };
        out.push_str(&format!(
            "Tipping point{other}: the smallest stickiness at which mean reach passes {}% of the {} people ({}):\n",
            trimmed(sweep.tipping_fraction * 100.0, 1),
            number(line.people as f64, 0),
            number(line.level, 0)
        ));
        for (name, t) in sweep.strategies.iter().zip(&line.strategies) {
            out.push_str(&format!("* {name}: {}\n", tipping_words(t)));
        }
        let th = &line.thresholds;
        out.push_str(&format!(
            "  Analytic epidemic thresholds of the graph: mean-field stickiness {}, spectral {}: above them sharing can keep growing by itself on an endless graph. The tipping point also counts people who only saw the content, and moves with the seeds, the fraction and the steps, so it may sit on either side.\n",
            threshold_words(th.mean_field_stickiness),
            threshold_words(th.spectral_stickiness)
        ));
    }
    out
}

/// An analytic epidemic threshold (a stickiness) in words: "none" when
/// the graph has none.
pub fn threshold_words(threshold: Option<f64>) -> String {
    threshold.map_or("none".to_string(), stickiness)
}

/// A tipping point in words.
pub fn tipping_words(t: &Tipping) -> String {
    let bound = |v: Option<f64>, beyond: &str| v.map_or(beyond.to_string(), stickiness);
    match *t {
        Tipping::Crossed {
            stickiness: at,
            low,
            high,
        } => format!(
            "stickiness {} (95% CI {} to {})",
            stickiness(at),
            bound(low, "below the sweep"),
            bound(high, "above the sweep")
        ),
        Tipping::AtOrBelow { stickiness: at } => {
            format!(
                "at or below {}, the sweep's smallest stickiness",
                stickiness(at)
            )
        }
        Tipping::NotReached { highest_mean } => format!(
            "not within the sweep (mean reach at most {})",
            number(highest_mean, 0)
        ),
    }
}

/// The sentences of [`delay_lines`], one per strategy (none without a
/// rival), each followed with `response_delays` by what responding later
/// costs it.
pub fn delay_sentences(results: &Results, runs: u32, unit: TimeUnit) -> Vec<String> {
    results
        .strategies
        .iter()
        .filter_map(|st| {
            let r = st.rival?;
            Some([Some(format!(
                "{}: each {} of delay in our response costs {} people reached [95% CI {} to {}] and {} of net reach [{} to {}] (paired over {} runs).",
                st.name,
                unit.name(),
                number(r.delay_cost.mean, 0),
                number(r.delay_cost.ci95_low, 0),
                number(r.delay_cost.ci95_high, 0),
                number(r.delay_cost_net.mean, 0),
                number(r.delay_cost_net.ci95_low, 0),
                number(r.delay_cost_net.ci95_high, 0),
                runs
            )), response_sentence(st, runs, unit)])
        })
        .flatten()
        .flatten()
        .collect()
}

/// What responding later than the soonest of `[rival] response_delays`
/// costs a strategy in net reach, in whole people: "responding 4 hours
/// later costs 1,234 of net reach"; None without response delays.
fn response_sentence(
    st: &crate::pipeline::StrategyResult,
    runs: u32,
    unit: TimeUnit,
) -> Option<String> {
    let soonest = st.by_delay.iter().min_by_key(|d| d.delay)?;
    let mut later: Vec<_> = st
        .by_delay
        .iter()
        .filter(|d| d.delay > soonest.delay)
        .collect();
    later.sort_by_key(|d| d.delay);
    let against = match soonest.delay {
        0 => "responding as the rival starts".to_string(),
        d => format!("responding {} after the rival starts", steps(d, unit)),
    };
    let whole = |x: f64| number(x, 0);
    let costs: Vec<String> = later
        .iter()
        .enumerate()
        .map(|(k, d)| {
            let c = &d.net_cost;
            let (verb, what, ci) = match k {
                0 => ("responding ", " costs", " of net reach [95% CI "),
                _ => ("", "", " ["),
            };
            format!(
                "{verb}{} later{what} {}{ci}{} to {}]",
                steps(d.delay - soonest.delay, unit),
                whole(c.mean),
                whole(c.ci95_low),
                whole(c.ci95_high)
            )
        })
        .collect();
    let net = whole(soonest.net_reached.mean);
    Some(if costs.is_empty() {
        format!(
            "{}: {against}, net reach {net} (over {runs} runs).",
            st.name
        )
    } else {
        format!(
            "{}: against {against} (net reach {net}), {} (paired over {runs} runs).",
            st.name,
            costs.join("; ")
        )
    })
}

/// A mean of people with its 95% confidence interval, in whole people,
/// "m [low - high]".
fn interval(s: &Summary) -> String {
    format!(
        "{} [{} - {}]",
        number(s.mean, 0),
        number(s.ci95_low, 0),
        number(s.ci95_high, 0)
    )
}
