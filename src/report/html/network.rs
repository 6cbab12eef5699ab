//! The network's statistics and epidemic thresholds, the scenario's
//! stickiness set against them; for a network too large to analyse in
//! passing, its size and where to get the rest.

use super::{esc, file_name, Section};
use crate::graph::analysis::GraphAnalysis;
use crate::report::format::{self as fmt, number, plain};
use crate::report::graph_summary::{self, Regime};
use crate::report::Report;
use crate::sweep::{SweepResults, Tipping};

/// Largest network, in follower arcs, whose statistics the report
/// computes. Above it the statistics take longer than most simulations
/// (about 2.5 s on 10 million mutual arcs; on a directed network the
/// spectral threshold's power iteration, hundreds of passes over every
/// arc, about 25 s). `viralsim graph` computes them on any network.
pub(super) const STATS_MAX_ARCS: usize = 2_000_000;

/// The network section of a network over [`STATS_MAX_ARCS`]: its size, and
/// where to get the rest.
pub(super) fn large_graph_section(report: &Report) -> Section {
    let g = &report.prepared.graph;
    let body = format!(
        "<p>{} people and {} follower arcs, {} followers per person on average.</p>\n<p class=\"note\">The network's statistics and epidemic thresholds are left out of this report for networks over {} follower arcs, where computing them takes longer than most simulations. <code>viralsim graph {}</code> prints them all.</p>\n",
        number(g.nodes() as f64, 0),
        number(g.arcs() as f64, 0),
        number(g.mean_degree(), 2),
        number(STATS_MAX_ARCS as f64, 0),
        esc(&file_name(&report.prepared.scenario.path))
    );
    Section {
        id: "graph",
        title: "The network".into(),
        body,
    }
}

pub(super) fn graph_section(report: &Report, stats: &GraphAnalysis) -> Section {
    let s = &report.prepared.scenario;
    let regime = Regime::of(stats, s.stickiness);
    let mut body = format!(
        "<p class=\"finding\">This content's stickiness, {}, is {}.{}</p>\n",
        plain(s.stickiness),
        regime_words(regime),
        report
            .sweep
            .map_or(String::new(), |sweep| tipping_words(s.stickiness, sweep))
    );
    body.push_str(
        "<p>Content takes off when each new sharer brings, on average, more than one more. \
The <em>epidemic threshold</em> is the stickiness where that happens on this network with its trust. \
Below the spectral threshold word of mouth dies out, whoever is seeded, and reach is little more than the seeds' own audiences; \
above both thresholds it can take off, and the seeds decide how fast and how far; \
in between, near the tipping point, only the simulation tells. \
The mean-field estimate sees only how followers are spread over people; the spectral one (1 / λ<sub>max</sub> of the trust-weighted network) follows the real wiring and is a true lower bound. \
These are the same facts <code>viralsim graph</code> prints.</p>\n",
    );
    let (rows, notes) = graph_summary::rows(s, stats);
    body.push_str("<div class=\"table-wrap\">\n<table class=\"facts\">\n<tbody>\n");
    for (label, value) in rows {
        let sub = label.starts_with(' ');
        body.push_str(&format!(
            "<tr{}><th scope=\"row\">{}</th><td>{}</td></tr>\n",
            if sub { " class=\"sub\"" } else { "" },
            esc(label.trim()),
            esc(&value)
        ));
    }
    body.push_str("</tbody>\n</table>\n</div>\n");
    for note in notes {
        body.push_str(&format!("<p class=\"note\">Note: {}.</p>\n", esc(&note)));
    }
    Section {
        id: "graph",
        title: "The network".into(),
        body,
    }
}

/// Where a stickiness stands against the thresholds, in the words of this
/// page: a threshold says where a cascade can start, not how far it goes.
fn regime_words(regime: Regime) -> &'static str {
    match regime {
        Regime::Below => "below both thresholds: word of mouth dies out, whoever is seeded",
        Regime::Between => {
            "between the thresholds: a cascade may start or die out, only the simulation tells"
        }
        Regime::Above => "above both thresholds: a cascade can start and grow by itself",
    }
}

/// The sweep's tipping points set against the thresholds in one
/// sentence, so that the two never seem to disagree: " The thresholds say
/// where a cascade can start; the tipping point (see the sweep) is where
/// the chosen seeds reach 25% of the network: at 0.105 for random people
/// ...". Empty without a stickiness sweep.
fn tipping_words(stickiness: f64, sweep: &SweepResults) -> String {
    let [line] = sweep.tipping.as_slice() else {
        return if sweep.tipping.is_empty() {
            String::new()
        } else {
            " The thresholds say where a cascade can start; the tipping points of the sweep say where the chosen seeds reach the tipping level, which can lie well above them.".into()
        };
    };
    let points: Vec<String> = sweep
        .strategies
        .iter()
        .zip(&line.strategies)
        .map(|(name, t)| {
            let at = match *t {
                Tipping::Crossed { stickiness: at, .. } => format!("at {}", fmt::stickiness(at)),
                Tipping::AtOrBelow { stickiness: at } => {
                    format!("at or below {}", fmt::stickiness(at))
                }
                Tipping::NotReached { .. } => "not within the sweep".into(),
            };
            format!("{at} for {}", esc(name))
        })
        .collect();
    let below = line.strategies.iter().any(|t| match *t {
        Tipping::Crossed { stickiness: at, .. } => stickiness < at,
        Tipping::NotReached { .. } => true,
        Tipping::AtOrBelow { .. } => false,
    });
    format!(
        " The thresholds say where a cascade can start; the tipping point (see the sweep) is where the chosen seeds reach {}% of the network: {}.{}",
        plain(sweep.tipping_fraction * 100.0),
        points.join(", "),
        if below {
            format!(
                " At {}, the scenario's own stickiness, some strategies stay below that level.",
                plain(stickiness)
            )
        } else {
            String::new()
        }
    )
}
