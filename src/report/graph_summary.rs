//! `viralsim graph`: a scenario's graph statistics, as a table for people
//! and as JSON for machines, with the scenario's stickiness set against the
//! epidemic thresholds (see [`crate::graph::analysis`] and docs/graph.md).

use serde::Serialize;

use super::format::{number, people, percent_of, shortest, significant};
use crate::error::Error;
use crate::graph::analysis::{DegreeStats, GraphAnalysis, PowerLawFit};
use crate::scenario::{GraphSource, Scenario};

/// Where a stickiness stands against the two thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Regime {
    /// Below the spectral threshold (or no cycle of trusted arcs): sharing
    /// dies out, so reach is little more than the seeds' own audiences.
    Below,
    /// Between the spectral and the mean-field threshold: near the tipping
    /// point, where only a simulation tells.
    Between,
    /// At or above both: content can take off.
    Above,
}

impl Regime {
    /// Where `stickiness` stands against the thresholds of `stats`.
    pub fn of(stats: &GraphAnalysis, stickiness: f64) -> Regime {
        let t = &stats.thresholds;
        match (t.spectral_stickiness, t.mean_field_stickiness) {
            (Some(spectral), _) if stickiness < spectral => Regime::Below,
            (None, _) => Regime::Below,
            (_, Some(mean_field)) if stickiness >= mean_field => Regime::Above,
            _ => Regime::Between,
        }
    }

    /// The regime in words, for the table.
    pub fn describe(&self) -> &'static str {
        match self {
            Regime::Below => {
                "below the spectral threshold: word of mouth dies out, whoever is seeded"
            }
            Regime::Between => "between the thresholds: near the tipping point, simulate to know",
            Regime::Above => "above both thresholds: content can take off",
        }
    }
}

/// The graph's source as written in the scenario: generator name or edge
/// file name.
fn source(scenario: &Scenario) -> String {
    match &scenario.graph {
        GraphSource::Generated { spec, seed } => format!("{} (seed {seed})", spec.name()),
        GraphSource::EdgeList { path, directed } => format!(
            "{}{}",
            path.file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default(),
            if *directed { " (directed)" } else { "" }
        ),
    }
}

#[derive(Serialize)]
struct GraphJson<'a> {
    scenario: &'a str,
    source: String,
    stickiness: f64,
    regime: Regime,
    #[serde(flatten)]
    stats: &'a GraphAnalysis,
}

/// The statistics as pretty-printed JSON.
pub fn json(scenario: &Scenario, stats: &GraphAnalysis) -> Result<String, Error> {
    let out = GraphJson {
        scenario: &scenario.name,
        source: source(scenario),
        stickiness: scenario.stickiness,
        regime: Regime::of(stats, scenario.stickiness),
        stats,
    };
    super::json::pretty(&out)
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned() + "\n")
        .map_err(|e| Error::Report(format!("cannot render the graph statistics: {e}")))
}

/// A critical stickiness, flagged when no stickiness reaches it.
fn critical(x: f64) -> String {
    if x > 1.0 {
        format!("{} (above 1: no content takes off)", significant(x, 4))
    } else {
        significant(x, 4)
    }
}

fn degrees(d: &DegreeStats, what: &str) -> String {
    format!(
        "mean {}, max {}, {} with no {what}",
        number(d.mean, 2),
        number(d.max as f64, 0),
        number(d.zero as f64, 0)
    )
}

fn power_law(fit: &Option<PowerLawFit>) -> String {
    match fit {
        None => format!(
            "no fit (fewer than {} people with 1 or more, or all alike)",
            crate::graph::analysis::MIN_TAIL
        ),
        Some(f) => format!(
            "alpha {} +- {} for the {} people with {} or more (KS {}, bound {}; vs exponential z = {}): {}",
            number(f.alpha, 2),
            number(f.alpha_error, 2),
            number(f.tail as f64, 0),
            number(f.k_min as f64, 0),
            significant(f.ks_distance, 2),
            significant(f.ks_bound, 2),
            number(f.versus_exponential, 1),
            f.verdict.describe()
        ),
    }
}

/// The statistics as a two-column table.
pub fn render(scenario: &Scenario, stats: &GraphAnalysis) -> String {
    let (rows, notes) = rows(scenario, stats);
    let width = rows.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    let mut out = format!("{}: graph\n", scenario.name);
    for (label, value) in rows {
        out.push_str(&format!("  {label:<width$}  {value}\n"));
    }
    for note in notes {
        out.push_str(&format!("  note: {note}\n"));
    }
    out
}

/// The table's rows, label and value (a label indented by two spaces
/// qualifies the row above), and the notes that follow it.
pub fn rows(
    scenario: &Scenario,
    stats: &GraphAnalysis,
) -> (Vec<(&'static str, String)>, Vec<String>) {
    let s = stats;
    let t = &s.thresholds;
    let mut rows: Vec<(&'static str, String)> = vec![
        ("source", source(scenario)),
        ("people", number(s.people as f64, 0)),
        (
            "follower arcs",
            if s.undirected {
                format!(
                    "{} (every follow mutual: {} links)",
                    number(s.arcs as f64, 0),
                    number(s.arcs as f64 / 2.0, 0)
                )
            } else {
                format!(
                    "{} ({}% mutual)",
                    number(s.arcs as f64, 0),
                    number(100.0 * s.reciprocity, 1)
                )
            },
        ),
        ("followers", degrees(&s.followers, "followers")),
        ("  power law", power_law(&s.followers.power_law)),
    ];
    if s.undirected {
        rows.push(("following", "the same (every follow is mutual)".into()));
    } else {
        rows.push(("following", degrees(&s.following, "one followed")));
        rows.push(("  power law", power_law(&s.following.power_law)));
    }
    let c = &s.components;
    rows.extend([
        (
            "clustering",
            format!(
                "average local {}, global {} ({} triangles)",
                number(s.clustering.average_local, 4),
                number(s.clustering.global, 4),
                number(s.clustering.triangles as f64, 0)
            ),
        ),
        (
            "weak components",
            format!(
                "{}, the largest {} ({})",
                number(c.weak as f64, 0),
                people(c.largest_weak),
                percent_of(c.largest_weak, s.people)
            ),
        ),
        (
            "strong components",
            format!(
                "{}, the largest {} ({})",
                number(c.strong as f64, 0),
                people(c.largest_strong),
                percent_of(c.largest_strong, s.people)
            ),
        ),
        (
            "trust",
            format!(
                "mean {}, from {} to {}",
                number(s.trust.mean, 4),
                number(s.trust.min, 4),
                number(s.trust.max, 4)
            ),
        ),
        (
            "mean-field threshold",
            match (t.mean_field, t.mean_field_stickiness) {
                (Some(tc), Some(c)) => format!(
                    "critical stickiness {} = T_c / mean trust; T_c = {} (a person reached has {} further arcs)",
                    critical(c),
                    significant(tc, 4),
                    significant(t.branching, 4)
                ),
                (Some(tc), None) => format!(
                    "T_c = {} (a person reached has {} further arcs); every trust is 0, nothing spreads",
                    significant(tc, 4),
                    significant(t.branching, 4)
                ),
                _ => "none: nobody reached along an arc has anyone further to pass it to".into(),
            },
        ),
        (
            "spectral threshold",
            match t.spectral_stickiness {
                Some(c) => format!(
                    "critical stickiness {} = 1 / lambda_max; lambda_max = {} ({} iterations{})",
                    critical(c),
                    significant(t.lambda_max, 5),
                    t.iterations,
                    if t.converged { "" } else { ", not converged" }
                ),
                None => "none: no cycle of trusted arcs, so word of mouth always dies out".into(),
            },
        ),
        (
            "stickiness",
            format!(
                "{}: {}",
                shortest(scenario.stickiness),
                Regime::of(s, scenario.stickiness).describe()
            ),
        ),
    ]);
    let mut notes = Vec::new();
    if !scenario.simulation.model.thresholds_apply {
        notes.push(format!(
            "the thresholds are the independent cascade's; this scenario runs {}",
            scenario.simulation.model.name
        ));
    }
    if scenario.half_life.is_some() {
        notes.push("novelty decay (half_life) lowers the stickiness of every wave after the seeds': the thresholds are for content that does not fade".into());
    }
    (rows, notes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Graph;

    #[test]
    fn regimes_follow_the_thresholds() {
        // K_8 with trust 1/2: spectral critical stickiness 1/3.5, mean-field
        // (1/6) / (1/2) = 1/3.
        let edges: Vec<(u32, u32)> = (0..8u32)
            .flat_map(|u| (u + 1..8).map(move |v| (u, v)))
            .collect();
        let mut g = Graph::from_undirected(8, &edges);
        g.set_trust(vec![0.5; g.arcs()]);
        let stats = GraphAnalysis::of(&g);
        assert_eq!(Regime::of(&stats, 0.28), Regime::Below);
        assert_eq!(Regime::of(&stats, 0.30), Regime::Between);
        assert_eq!(Regime::of(&stats, 0.34), Regime::Above);
        // Acyclic: nothing takes off, whatever the stickiness.
        let path = Graph::from_arcs(3, vec![(0, 1), (1, 2)]);
        assert_eq!(Regime::of(&GraphAnalysis::of(&path), 1.0), Regime::Below);
    }

    #[test]
    fn critical_stickiness_above_1_is_flagged() {
        assert_eq!(critical(0.0248127), "0.02481");
        assert_eq!(critical(2.6651), "2.665 (above 1: no content takes off)");
    }
}
