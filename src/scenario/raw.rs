//! The scenario file as written: serde structures mirroring the TOML, with
//! unknown keys refused. Nothing here is checked beyond types; see
//! [`super::check`].

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub version: i64,
    pub name: Option<String>,
    pub graph: RawGraph,
    pub content: RawContent,
    pub trust: Option<RawTrust>,
    pub target: Option<RawTarget>,
    pub simulation: Option<RawSimulation>,
    pub costs: Option<RawCosts>,
    pub conversion: Option<RawConversion>,
    pub paid: Option<RawPaid>,
    pub rival: Option<RawRival>,
    pub activity: Option<RawActivity>,
    pub goal: Option<RawGoal>,
    #[serde(default)]
    pub strategy: Vec<RawStrategy>,
    pub output: Option<RawOutput>,
    /// `[sweep]`: checked from the file's text, which keeps the key order.
    #[serde(rename = "sweep")]
    pub _sweep: Option<serde::de::IgnoredAny>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGraph {
    pub generator: Option<String>,
    pub edges: Option<String>,
    pub directed: Option<bool>,
    pub seed: Option<i64>,
    pub nodes: Option<i64>,
    pub edges_per_node: Option<i64>,
    pub mean_degree: Option<f64>,
    pub neighbors: Option<i64>,
    pub rewire: Option<f64>,
    pub communities: Option<i64>,
    pub community_size: Option<i64>,
    pub mean_degree_in: Option<f64>,
    pub mean_degree_out: Option<f64>,
    pub exponent: Option<f64>,
    pub triangle_prob: Option<f64>,
    pub segments: Option<String>,
    pub people: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawContent {
    pub stickiness: f64,
    pub half_life: Option<f64>,
    pub stickiness_by_segment: Option<BTreeMap<String, f64>>,
}

/// `[activity]`: when people are online.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawActivity {
    pub period: i64,
    pub online: Vec<f64>,
    pub visible_for: Option<i64>,
    pub segments: Option<BTreeMap<String, Vec<f64>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTrust {
    pub distribution: Option<String>,
    pub value: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub alpha: Option<f64>,
    pub beta: Option<f64>,
    pub same_segment: Option<f64>,
    pub other_segment: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGoal {
    pub metric: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTarget {
    pub segments: Vec<SegmentName>,
}

/// A segment name as written: text in quotes, or a whole number (the
/// stochastic-block generator numbers its communities).
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentName(pub String);

impl<'de> Deserialize<'de> for SegmentName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<SegmentName, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = SegmentName;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a segment name in quotes or a whole number")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<SegmentName, E> {
                Ok(SegmentName(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<SegmentName, E> {
                Ok(SegmentName(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<SegmentName, E> {
                Ok(SegmentName(v.to_string()))
            }
        }
        d.deserialize_any(Visitor)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSimulation {
    pub model: Option<String>,
    pub runs: Option<RawRuns>,
    pub ci_half_width: Option<f64>,
    pub max_runs: Option<i64>,
    pub steps: Option<i64>,
    pub seed: Option<i64>,
    pub step: Option<String>,
    pub start_hour: Option<i64>,
}

/// `[simulation] runs` as written: a whole number, or text in quotes
/// (only "auto" is allowed, which the checker decides).
#[derive(Debug, Clone, PartialEq)]
pub enum RawRuns {
    Count(i64),
    Word(String),
}

impl<'de> Deserialize<'de> for RawRuns {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<RawRuns, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = RawRuns;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a whole number or \"auto\"")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<RawRuns, E> {
                Ok(RawRuns::Count(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<RawRuns, E> {
                Ok(RawRuns::Count(i64::try_from(v).unwrap_or(i64::MAX)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawRuns, E> {
                Ok(RawRuns::Word(v.to_string()))
            }
        }
        d.deserialize_any(Visitor)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPaid {
    pub reach_per_step: f64,
    pub from_step: Option<i64>,
    pub to_step: Option<i64>,
    pub stickiness: Option<f64>,
    pub stickiness_by_segment: Option<BTreeMap<String, f64>>,
    pub cost_per_view: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConversion {
    pub rate: f64,
    pub rate_if_shared: Option<f64>,
    pub value: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCosts {
    pub base: Option<f64>,
    pub per_follower: Option<f64>,
    pub exponent: Option<f64>,
    pub file: Option<String>,
    pub acceptance: Option<f64>,
}

/// A `[[strategy]]` table: `name`, `kind` and `segments`, and the keys of
/// its kind, which the kind's own entry reads (see
/// [`crate::strategy::Kind`]).
#[derive(Debug, Deserialize)]
pub struct RawStrategy {
    pub name: Option<String>,
    pub kind: String,
    pub segments: Option<Vec<SegmentName>>,
    pub start_step: Option<i64>,
    #[serde(flatten)]
    pub keys: toml::Table,
}

/// `[rival]`: the rival content's own keys, then a `[[strategy]]` table's
/// keys for its seeds.
#[derive(Debug, Deserialize)]
pub struct RawRival {
    pub stickiness: f64,
    pub stickiness_by_segment: Option<BTreeMap<String, f64>>,
    pub start_step: Option<i64>,
    pub response_delays: Option<Vec<i64>>,
    #[serde(flatten)]
    pub seeding: RawStrategy,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOutput {
    pub formats: Option<Vec<String>>,
}
