//! The run manifest: what made the results (version, scenario file, seed,
//! the graph's fingerprint, runs) and, marked [`super::RUN_SPECIFIC`], the
//! two rows that change from run to run (threads, wall time).

use super::{esc, file_name, Section, RUN_SPECIFIC};
use crate::report::format::{number, steps};
use crate::report::run_json::fingerprint_hex;
use crate::report::{Report, RunInfo};

pub(super) fn manifest_section(report: &Report, run: &RunInfo) -> Section {
    let p = report.prepared;
    let s = &p.scenario;
    let t = &report.results.timings;
    let rows: Vec<(&str, String, bool)> = vec![
        ("viralsim version", esc(run.viralsim_version), false),
        ("scenario file", esc(&file_name(&s.path)), false),
        ("seed", s.simulation.seed.to_string(), false),
        (
            "graph fingerprint",
            format!("<code>{}</code>", fingerprint_hex(p.graph.fingerprint())),
            false,
        ),
        (
            "runs",
            format!(
                "{} per strategy, {}",
                number(report.results.runs as f64, 0),
                steps(s.simulation.steps, s.simulation.step)
            ),
            false,
        ),
        ("threads", run.threads.to_string(), true),
        (
            "wall time",
            {
                let sweep = report.sweep.map_or(0.0, |w| w.seconds);
                format!(
                    "{} s: {} s building the network, {} s choosing seeds, {} s simulating{}",
                    number(
                        t.load_seconds + t.seed_seconds + t.simulate_seconds + sweep,
                        2
                    ),
                    number(t.load_seconds, 2),
                    number(t.seed_seconds, 2),
                    number(t.simulate_seconds, 2),
                    if report.sweep.is_some() {
                        format!(", {} s on the sweep", number(sweep, 2))
                    } else {
                        String::new()
                    }
                )
            },
            true,
        ),
    ];
    let mut body = String::from("<div class=\"table-wrap\">\n<table class=\"facts\">\n<tbody>\n");
    for (label, value, run_specific) in rows {
        // One line per row: the run-specific ones can be masked by line.
        let mark = if run_specific {
            format!(" {RUN_SPECIFIC}")
        } else {
            String::new()
        };
        body.push_str(&format!(
            "<tr{mark}><th scope=\"row\">{label}</th><td>{value}</td></tr>\n"
        ));
    }
    body.push_str("</tbody>\n</table>\n</div>\n");
    body.push_str(
        "<p class=\"note\">The graph fingerprint identifies the network as simulated (who follows whom, every trust, every id and segment); the same fingerprint means the same network. Threads and times change from run to run (run.json keeps them too); everything else on this page is identical for the same scenario and seed, whatever the thread count.</p>\n",
    );
    Section {
        id: "manifest",
        title: "Run manifest".into(),
        body,
    }
}
