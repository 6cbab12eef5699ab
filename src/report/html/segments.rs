//! Reach per segment: for each segment of the graph, how many of its
//! people each strategy reached and how many of them shared (means over
//! the runs), on graphs with segments.

use super::{esc, Section};
use crate::report::format::{number, percent};
use crate::report::segments_chart::{of_slot, shown_slots};
use crate::report::Report;

/// The section, or None on a graph without segments.
pub(super) fn segments_section(report: &Report) -> Option<Section> {
    let slots = shown_slots(report)?;
    let strategies = &report.results.strategies;
    let mut body = String::from(
        "<p>People of each segment reached by the end and, after the slash, those of them who shared (means over the runs; summary.json has their confidence intervals).</p>\n<div class=\"table-wrap\">\n<table>\n<thead><tr><th scope=\"col\">segment</th><th scope=\"col\">people</th>",
    );
    for st in strategies {
        body.push_str(&format!(
            "<th scope=\"col\">{}<br>reached / shared</th>",
            esc(&st.name)
        ));
    }
    body.push_str("</tr></thead>\n<tbody>\n");
    for (slot, name, people) in &slots {
        body.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td>",
            esc(name),
            number(*people as f64, 0)
        ));
        for st in strategies {
            let cell = match of_slot(&st.stats.segments, *slot) {
                Some((reached, shared)) => format!(
                    "{} ({}) / {}",
                    number(reached.mean, 0),
                    percent(reached.mean / (*people).max(1) as f64),
                    number(shared.mean, 0)
                ),
                None => String::new(),
            };
            body.push_str(&format!("<td class=\"num\">{cell}</td>"));
        }
        body.push_str("</tr>\n");
    }
    body.push_str("</tbody>\n</table>\n</div>\n");
    Some(Section {
        id: "segments",
        title: "Reach by segment".into(),
        body,
    })
}
