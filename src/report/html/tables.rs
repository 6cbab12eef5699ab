//! The strategy tables: the printed table's cells (see
//! [`crate::report::table`]) as HTML, the columns every scenario has in one
//! table and those of `[conversion]`, `[target]` and `[rival]` in another,
//! the best row marked, then the verdict and what a late response costs.

use super::{esc, Section};
use crate::report::format::number;
use crate::report::table;
use crate::report::Report;

pub(super) fn strategies_section(report: &Report) -> Section {
    let results = report.results;
    let s = &report.prepared.scenario;
    let cells = table::cells(results);
    let mut body = format!(
        "<p>Each row is one seeding strategy, over {} runs. Brackets hold the 95% confidence interval of the mean; p05-p95 is the range of a bad to a good campaign (5th to 95th percentile of the runs). “vs best” is the run-by-run difference to the best strategy: every strategy's run r sees the same chances, so the difference is measured with far less noise than the two means.</p>\n",
        number(report.results.runs as f64, 0)
    );
    if results.goal != crate::model::Goal::Reached {
        body.push_str(&format!(
            "<p>{}: the best first.</p>\n",
            esc(&table::ranking_title(results.goal))
        ));
    }
    body.push_str(
        "<p>Cost per 1,000 reached is what a strategy spends (invitations and ads) for every 1,000 people it reaches; impressions count every time a post or an ad was shown, frequency how many times on average each person reached saw it, and cost per 1,000 impressions what each 1,000 showings cost.</p>\n",
    );
    let width = cells.header.len();
    // The columns every scenario has, then those of [conversion], [target]
    // and [rival] in a table of their own, so that neither grows too wide.
    let mut core: Vec<usize> = (1..table::CORE_COLUMNS.min(width)).collect();
    core.push(width - 1);
    let extra: Vec<usize> = (table::CORE_COLUMNS..width - 1).collect();
    body.push_str(&strategy_table(&cells, &core, "Reach and cost"));
    if !extra.is_empty() {
        let mut columns = vec![1];
        columns.extend(extra);
        body.push_str(&strategy_table(&cells, &columns, &extra_caption(&cells)));
    }
    if let Some(verdict) = table::verdict(results, results.runs) {
        body.push_str(&format!("<p>{}</p>\n", esc(&verdict)));
    }
    let delays = table::delay_sentences(results, results.runs, s.simulation.step);
    if !delays.is_empty() {
        body.push_str("<h3>What a late response costs</h3>\n<ul>\n");
        for sentence in delays {
            body.push_str(&format!("<li>{}</li>\n", esc(&sentence)));
        }
        body.push_str("</ul>\n");
    }
    Section {
        id: "strategies",
        title: "Strategies compared".into(),
        body,
    }
}

/// The caption of the table after the core columns: what it holds.
fn extra_caption(cells: &table::Cells) -> String {
    let has = |column: &str| cells.header.contains(&column);
    let mut parts = vec!["Impressions", "frequency"];
    for (column, part) in [
        (table::AD_COLUMNS[0], "ads"),
        ("mean converted", "conversions"),
        ("wasted", "target audience"),
        ("rival reached", "rival"),
    ] {
        if has(column) {
            parts.push(part);
        }
    }
    let (last, rest) = parts.split_last().expect("two parts at least");
    format!("{} and {last}", rest.join(", "))
}

/// The strategy table's `columns` (indices into `cells`), under a caption.
fn strategy_table(cells: &table::Cells, columns: &[usize], caption: &str) -> String {
    let mut out = format!(
        "<div class=\"table-wrap\">\n<table class=\"strategies\">\n<caption>{}</caption>\n<thead>\n<tr>",
        esc(caption)
    );
    for &i in columns {
        out.push_str(&format!(
            "<th scope=\"col\"{}>{}</th>",
            if i >= 3 { " class=\"num\"" } else { "" },
            esc(cells.header[i])
        ));
    }
    out.push_str("</tr>\n</thead>\n<tbody>\n");
    for row in &cells.rows {
        let best = row.first().is_some_and(|m| m == "*");
        out.push_str(if best { "<tr class=\"best\">" } else { "<tr>" });
        for &i in columns {
            let cell = &row[i];
            match i {
                1 => out.push_str(&format!(
                    "<th scope=\"row\">{}{}</th>",
                    esc(cell),
                    if best {
                        " <span class=\"badge\">best</span>"
                    } else {
                        ""
                    }
                )),
                2 => out.push_str(&format!("<td class=\"seeds\">{}</td>", esc(cell))),
                _ => out.push_str(&format!("<td class=\"num\">{}</td>", interval_cell(cell))),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
    out
}

/// A table cell; "mean [low - high]" puts the interval on a line of its
/// own, so that wide tables stay narrow.
fn interval_cell(cell: &str) -> String {
    match cell.strip_suffix(']').and_then(|c| c.split_once(" [")) {
        Some((value, ci)) => format!(
            "{}<span class=\"ci\">[{}]</span>",
            esc(value),
            esc(&ci.replace(" - ", " – "))
        ),
        None => esc(cell),
    }
}
