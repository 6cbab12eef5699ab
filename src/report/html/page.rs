//! The page around the sections: the head with its style sheet
//! (`report.css`, inlined so the page stands alone), the title and the
//! recommendation, the table of contents, the sections (those of
//! [`APPENDIX`] collapsed at the end) and the footer.

use super::{esc, Section, APPENDIX};
use crate::report::format::{number, steps};
use crate::report::recommendation;
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
    if let Some(advice) = recommendation::sentence(report.results, report.prepared.graph.nodes()) {
        out.push_str(&format!(
            "<p class=\"finding recommendation\">{}</p>\n",
            esc(&advice)
        ));
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
    let (main, appendix): (Vec<&Section>, Vec<&Section>) =
        sections.iter().partition(|s| !APPENDIX.contains(&s.id));
    let write = |out: &mut String, section: &Section| {
        out.push_str(&format!(
            "<section id=\"{}\">\n<h2>{}</h2>\n",
            section.id,
            esc(&section.title)
        ));
        out.push_str(&section.body);
        out.push_str("</section>\n");
    };
    for section in main {
        write(&mut out, section);
    }
    if !appendix.is_empty() {
        let titles: Vec<String> = appendix.iter().map(|s| esc(&s.title)).collect();
        out.push_str(&format!(
            "<details class=\"appendix\" id=\"appendix\">\n<summary>Appendix: {}</summary>\n",
            titles.join(", ")
        ));
        for section in appendix {
            write(&mut out, section);
        }
        out.push_str("</details>\n");
    }
    out.push_str(&format!(
        "<footer>Made by viralsim {}.</footer>\n</main>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    ));
    out
}
