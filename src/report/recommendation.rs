//! The one sentence that says what to do: "Invite the 10 top influencers:
//! about 26,000 people (26% of the network) for 10 invitations, 21,000
//! more than your ambassadors." Printed under the table and at the top of
//! report.html.

use super::format::{money, number, percent};
use crate::model::Goal;
use crate::pipeline::{Results, StrategyResult};
use crate::stats::Summary;

/// The recommendation for `results` on a network of `people`: the best
/// strategy by the goal, its mean value of the goal's metric (when that is
/// not reach) and its mean reach in round numbers and as a share of the
/// network, what it costs, and its margin over the runner-up ("about the
/// same as" when their paired 95% CI includes 0). None without strategies.
pub fn sentence(results: &Results, people: u32) -> Option<String> {
    let (best, runner_up) = match &results.comparison {
        Some(c) => (c.best, Some((c.runner_up, &c.reached_difference))),
        None if !results.strategies.is_empty() => (0, None),
        None => return None,
    };
    let st = &results.strategies[best];
    let reached = st.reached().mean;
    let share = percent(reached / f64::from(people.max(1)));
    // The figure the goal ranks by comes first; reach stays beside it.
    let aim = match (results.goal, st.goal_summary(results.goal)) {
        (Goal::Reached, _) | (_, None) => format!("about {} people ({share} of the network)", round(reached)),
        (Goal::NetReached, Some(g)) => format!(
            "a net reach of about {} (ours minus the rival's), {} people reached in all ({share} of the network)",
            round(g.mean),
            round(reached)
        ),
        (goal, Some(g)) => format!(
            "about {} {}, {} people reached in all ({share} of the network)",
            round(g.mean),
            goal.words(),
            round(reached)
        ),
    };
    let mut text = format!("{}: {aim} for {}", action(st), spend(st));
    if let Some((other, d)) = runner_up {
        let other = your(&results.strategies[other].name);
        // The margin is on what ranks the strategies: `[goal] metric`.
        let what = match results.goal {
            Goal::Reached => String::new(),
            goal => format!(" {}", goal.words()),
        };
        text.push_str(&margin(d, &what, &other));
    }
    text.push('.');
    Some(text)
}

/// What to do: "Invite the 10 top influencers", "Invite 10 random
/// people", "Invite your 3 ambassadors", "Go with all on ads".
fn action(st: &StrategyResult) -> String {
    let count = money(st.seeds_per_run);
    if st.seeds_per_run == 0.0 {
        return format!("Go with {}", st.name);
    }
    if let Some(rest) = st.name.strip_prefix("our ") {
        return format!("Invite your {count} {rest}");
    }
    match &st.seeds {
        Some(_) => format!("Invite the {count} {}", st.name),
        None => format!("Invite {count} {}", st.name),
    }
}

/// What the strategy costs: invitations when every person costs 1 and no
/// ads are bought ("10 invitations"), money otherwise ("5,000").
fn spend(st: &StrategyResult) -> String {
    let total = st.total_cost();
    let invitations = st.paid.is_none() && st.ads.is_none() && st.budget.is_none();
    if invitations && (total - st.seeds_per_run).abs() < 1e-9 {
        if total == 1.0 {
            "1 invitation".into()
        } else {
            format!("{} invitations", money(total))
        }
    } else {
        money(total)
    }
}

/// The margin over the runner-up `other` in `what` (empty for people
/// reached): ", 21,000 more than your ambassadors", ", 120 more people who
/// shared than ...", or ", about the same as micro-influencers".
fn margin(d: &Summary, what: &str, other: &str) -> String {
    if d.ci95_low <= 0.0 {
        format!(", about the same as {other}")
    } else {
        format!(", {} more{what} than {other}", round(d.mean))
    }
}

/// A strategy's name as said to the reader: "our" becomes "your".
fn your(name: &str) -> String {
    match name.strip_prefix("our ") {
        Some(rest) => format!("your {rest}"),
        None => name.to_string(),
    }
}

/// A count of people in round numbers: two significant digits from 100
/// on, whole people below ("25,744.6" -> "26,000", "48.4" -> "48").
pub fn round(x: f64) -> String {
    if x.abs() < 100.0 {
        return number(x, 0);
    }
    let scale = 10f64.powi(x.abs().log10().floor() as i32 - 1);
    number((x / scale).round() * scale, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_keeps_two_significant_digits_from_a_hundred() {
        assert_eq!(round(25_744.6), "26,000");
        assert_eq!(round(4_435.2), "4,400");
        assert_eq!(round(889.8), "890");
        assert_eq!(round(48.4), "48");
        assert_eq!(round(0.2), "0");
        assert_eq!(round(-0.2), "0");
        assert_eq!(round(99.6), "100");
    }

    #[test]
    fn the_margin_is_about_the_same_when_the_interval_includes_zero() {
        let d = |mean: f64, low: f64| Summary {
            mean,
            ci95_low: low,
            ci95_high: 2.0 * mean - low,
            std: 1.0,
            p05: low,
            p50: mean,
            p95: mean,
        };
        assert_eq!(
            margin(&d(21_309.4, 20_021.9), "", "your ambassadors"),
            ", 21,000 more than your ambassadors"
        );
        assert_eq!(
            margin(&d(26.4, -51.6), "", "micro-influencers"),
            ", about the same as micro-influencers"
        );
        assert_eq!(
            margin(&d(120.4, 80.0), " people who shared", "random people"),
            ", 120 more people who shared than random people"
        );
    }
}
