//! The charts: every chart the scenario records, inline, with what it
//! shows and how to read it; and with a `[sweep]` the sweep's charts and
//! its tipping points beside the graph's thresholds.

use super::{esc, Section};
use crate::error::Error;
use crate::report::figure::figures;
use crate::report::format::plain;
use crate::report::{sweep_chart, table, Report};
use crate::scenario::{ChartFormat, TimeUnit};
use crate::sweep::SweepResults;

pub(super) fn charts_section(report: &Report) -> Result<Section, Error> {
    let mut body =
        String::from("<p>The same charts as the chart files, drawn for this page.</p>\n");
    for figure in figures(report) {
        body.push_str(&format!(
            "<figure id=\"chart-{}\">\n<h3>{}</h3>\n<div class=\"chart\">\n",
            figure.stem,
            esc(&figure.subject)
        ));
        body.push_str(&inline_svg(&figure.svg()?, &figure.title));
        body.push_str(&format!(
            "</div>\n<figcaption>{}</figcaption>\n</figure>\n",
            esc(&figure.caption)
        ));
    }
    Ok(Section {
        id: "charts",
        title: "Charts".into(),
        body,
    })
}

pub(super) fn sweep_section(sweep: &SweepResults, unit: TimeUnit) -> Result<Section, Error> {
    let keys: Vec<String> = sweep
        .axes
        .iter()
        .map(|a| {
            format!(
                "<code>{}</code> from {} to {} ({} values)",
                esc(&a.key),
                plain(a.values[0]),
                plain(a.values[a.values.len() - 1]),
                a.values.len()
            )
        })
        .collect();
    let mut body = format!(
        "<p>Every strategy was simulated at each of {} points, varying {}, all on the same random numbers so that neighbouring points differ by the key's effect, not by chance. Every figure is in <code>sweep.csv</code>.</p>\n",
        sweep.points.len(),
        keys.join(" and ")
    );
    for file in sweep_chart::charts(sweep, unit, ChartFormat::Svg)? {
        let svg = String::from_utf8(file.bytes).map_err(|e| Error::Report(e.to_string()))?;
        let stem = file.name.trim_end_matches(".svg");
        body.push_str(&format!(
            "<figure id=\"chart-{stem}\">\n<div class=\"chart\">\n{}</div>\n</figure>\n",
            inline_svg(&svg, stem)
        ));
    }
    if sweep.tipping.is_empty() {
        return Ok(Section {
            id: "sweep",
            title: "Sweep".into(),
            body,
        });
    }
    body.push_str(&format!(
        "<h3>Tipping point</h3>\n<p>The smallest stickiness at which a strategy's mean reach passes {}% of the people in the network, interpolated between the sweep's points, with the range where its 95% confidence interval crosses the same level. Beside it, the network's analytic epidemic thresholds: above them sharing can keep growing by itself on an endless network. The tipping point also counts people who only saw the content, and moves with the seeds, the share asked for and the steps simulated, so it may sit on either side of them.</p>\n",
        plain(sweep.tipping_fraction * 100.0)
    ));
    let other = sweep
        .axes
        .iter()
        .find(|a| a.key != crate::scenario::STICKINESS_KEY && sweep.axes.len() == 2);
    body.push_str("<div class=\"table-wrap\">\n<table>\n<thead><tr>");
    if let Some(axis) = other {
        body.push_str(&format!("<th scope=\"col\">{}</th>", esc(&axis.key)));
    }
    body.push_str("<th scope=\"col\">strategy</th><th scope=\"col\">tipping point</th><th scope=\"col\">mean-field threshold</th><th scope=\"col\">spectral threshold</th></tr></thead>\n<tbody>\n");
    for line in &sweep.tipping {
        for (name, t) in sweep.strategies.iter().zip(&line.strategies) {
            body.push_str("<tr>");
            if other.is_some() {
                body.push_str(&format!(
                    "<td>{}</td>",
                    line.other.map(plain).unwrap_or_default()
                ));
            }
            body.push_str(&format!(
                "<th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                esc(name),
                esc(&table::tipping_words(t)),
                table::threshold_words(line.thresholds.mean_field_stickiness),
                table::threshold_words(line.thresholds.spectral_stickiness)
            ));
        }
    }
    body.push_str("</tbody>\n</table>\n</div>\n");
    Ok(Section {
        id: "sweep",
        title: "Sweep and tipping point".into(),
        body,
    })
}

/// An SVG document made fit for inline use in HTML: no namespace
/// declarations (HTML5 knows `<svg>`, and the page names no URL at all),
/// and labelled as one image for screen readers.
fn inline_svg(svg: &str, label: &str) -> String {
    let svg = svg
        .replace(" xmlns=\"http://www.w3.org/2000/svg\"", "")
        .replace(" xmlns:xlink=\"http://www.w3.org/1999/xlink\"", "");
    let svg = svg.replacen(
        "<svg ",
        &format!("<svg role=\"img\" aria-label=\"{}\" ", esc(label)),
        1,
    );
    let start = svg.find("<svg").unwrap_or(0);
    let mut out = svg[start..].trim_end().to_string();
    out.push('\n');
    out
}
