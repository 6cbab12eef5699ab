//! The page around the sections: the head with its style sheet
//! (`report.css`, inlined so the page stands alone), the title and the
//! headline finding, the table of contents and the footer.

use super::{esc, Section};
use crate::model::Goal;
use crate::report::format::{number, steps};
use crate::report::table;
use crate::report::Report;

/// The page's style sheet.
const STYLE: &str = include_str!("report.css");

/// The whole page around the sections.
pub(super) fn page(report: &Report, sections: &[Section]) -> String {
    let s = &report.prepared.scenario;
    let mut out = String::with_capacity(256 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!(
        "<meta name=\"generator\" content=\"viralsim {}\">\n",
        env!("CARGO_PKG_VERSION")
    ));
    out.push_str(&format!(
        "<title>{}: word-of-mouth simulation report</title>\n",
        esc(&s.name)
    ));
    out.push_str("<style>\n");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n<main>\n<header>\n");
    out.push_str(&format!("<h1>{}</h1>\n", esc(&s.name)));
    out.push_str(&format!(
        "<p class=\"lede\">Word-of-mouth simulation report: {} seeding {} compared over {} runs of {}.</p>\n",
        report.results.strategies.len(),
        if report.results.strategies.len() == 1 {
            "strategy"
        } else {
            "strategies"
        },
        number(report.results.runs as f64, 0),
        steps(s.simulation.steps, s.simulation.step)
    ));
    if let Some(finding) = finding(report) {
        out.push_str(&format!("<p class=\"finding\">{finding}</p>\n"));
    }
    out.push_str("</header>\n<nav aria-label=\"Contents\">\n<ol>\n");
    for section in sections {
        out.push_str(&format!(
            "<li><a href=\"#{}\">{}</a></li>\n",
            section.id,
            esc(&section.title)
        ));
    }
    out.push_str("</ol>\n</nav>\n");
    for section in sections {
        out.push_str(&format!(
            "<section id=\"{}\">\n<h2>{}</h2>\n",
            section.id,
            esc(&section.title)
        ));
        out.push_str(&section.body);
        out.push_str("</section>\n");
    }
    out.push_str(&format!(
        "<footer>Made by viralsim {}.</footer>\n</main>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    ));
    out
}

/// The headline: the best strategy's reach, and how far ahead of the
/// runner-up it is.
fn finding(report: &Report) -> Option<String> {
    let results = report.results;
    let runs = report.results.runs;
    let best = match &results.comparison {
        Some(c) => &results.strategies[c.best],
        None => results.strategies.first()?,
    };
    let goal = results.goal;
    let r = best.goal_summary(goal)?;
    let what = match goal {
        Goal::Reached if results.comparison.is_some() => "reaches the most people".to_string(),
        Goal::Reached => "reaches people".to_string(),
        _ if results.comparison.is_some() => format!("has the most {}", goal.words()),
        _ => format!("has {}", goal.words()),
    };
    let mut text = format!(
        "<strong>{}</strong> {what}: {} on average (95% CI {} to {})",
        esc(&best.name),
        number(r.mean, 1),
        number(r.ci95_low, 1),
        number(r.ci95_high, 1)
    );
    match &results.comparison {
        Some(c) => {
            let d = &c.reached_difference;
            text.push_str(&format!(
                ", {} more than <strong>{}</strong> (95% CI {} to {}, paired over {} runs): {}.",
                number(d.mean, 1),
                esc(&results.strategies[c.runner_up].name),
                number(d.ci95_low, 1),
                number(d.ci95_high, 1),
                number(runs as f64, 0),
                table::difference_words(d)
            ));
        }
        None => text.push('.'),
    }
    Some(text)
}
