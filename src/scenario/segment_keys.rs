//! Keys of dynamics that depend on who and when: `[content]
//! stickiness_by_segment` (and the rival's own), `[activity]` and
//! `[simulation] start_hour`. Segment names are checked against the graph
//! once it is built (see [`Scenario::check_segment_names`]).

use std::collections::BTreeMap;

use super::raw::{RawActivity, RawScenario};
use super::{Checked, Checker, Location, Locator, Scenario, ScenarioError, SimulationSpec, Step};
use crate::graph::Segments;
use crate::model::{Activity, ModelKind, Resonance};

/// Most steps in one cycle of `[activity]`.
pub const MAX_PERIOD: i64 = 10_000;

impl Checker<'_> {
    /// `stickiness_by_segment` of `[content]`, `[rival]` and `[paid]`:
    /// None when none is given.
    pub(super) fn resonance(
        &self,
        raw: &RawScenario,
        has_segments: bool,
    ) -> Checked<Option<Resonance>> {
        let ours = self.stickiness_table(
            "content",
            raw.content.stickiness_by_segment.as_ref(),
            has_segments,
        )?;
        let rival = self.stickiness_table(
            "rival",
            raw.rival
                .as_ref()
                .and_then(|r| r.stickiness_by_segment.as_ref()),
            has_segments,
        )?;
        let ads = self.stickiness_table(
            "paid",
            raw.paid
                .as_ref()
                .and_then(|p| p.stickiness_by_segment.as_ref()),
            has_segments,
        )?;
        Ok(match (ours, rival, ads) {
            (None, None, None) => None,
            (ours, rival, ads) => Some(Resonance {
                ours: ours.unwrap_or_default(),
                rival: rival.unwrap_or_default(),
                ads: ads.unwrap_or_default(),
            }),
        })
    }

    fn stickiness_table(
        &self,
        table: &'static str,
        given: Option<&BTreeMap<String, f64>>,
        has_segments: bool,
    ) -> Checked<Option<Vec<(String, f64)>>> {
        let Some(given) = given else {
            return Ok(None);
        };
        let key = [Step::Key(table), Step::Key("stickiness_by_segment")];
        if !has_segments {
            return self.err(&key, super::NO_SEGMENTS);
        }
        let mut values = Vec::with_capacity(given.len());
        for (name, &v) in given {
            let mut path = key.to_vec();
            path.push(Step::Key(name));
            values.push((name.clone(), self.probability(&path, v)?));
        }
        Ok(Some(values))
    }

    /// `stickiness_by_segment` of strategy `i`'s own ads (`ads`, the
    /// `[strategy.ads]` table, checked apart): empty when none is given.
    pub(super) fn strategy_ad_table(
        &self,
        i: usize,
        ads: Option<&toml::Value>,
        has_segments: bool,
    ) -> Checked<Vec<(String, f64)>> {
        let Some(given) = ads.and_then(|a| a.get("stickiness_by_segment")) else {
            return Ok(Vec::new());
        };
        let key = [
            Step::Key("strategy"),
            Step::Index(i),
            Step::Key("ads"),
            Step::Key("stickiness_by_segment"),
        ];
        let toml::Value::Table(table) = given else {
            return self.err(
                &key,
                "expected a table of segment names and stickiness, e.g. { \"students\" = 0.3 }",
            );
        };
        if !has_segments {
            return self.err(&key, super::NO_SEGMENTS);
        }
        let mut values = Vec::with_capacity(table.len());
        for (name, v) in table {
            let mut path = key.to_vec();
            path.push(Step::Key(name));
            let v = match v {
                toml::Value::Integer(n) => *n as f64,
                toml::Value::Float(x) => *x,
                _ => return self.err(&path, "expected a number from 0 to 1"),
            };
            values.push((name.clone(), self.probability(&path, v)?));
        }
        Ok(values)
    }

    /// `[activity]` with `[simulation] start_hour`: None without
    /// `[activity]` (and then no `start_hour` either).
    pub(super) fn activity(
        &self,
        raw: &RawScenario,
        simulation: &SimulationSpec,
        has_segments: bool,
    ) -> Checked<Option<Activity>> {
        let start_hour = raw.simulation.as_ref().and_then(|s| s.start_hour);
        let start_key = [Step::Key("simulation"), Step::Key("start_hour")];
        let Some(a) = &raw.activity else {
            if start_hour.is_some() {
                return self.err(
                    &start_key,
                    "start_hour places step 0 in the cycle of [activity], and the scenario has none: add [activity] (period and online) or remove start_hour",
                );
            }
            return Ok(None);
        };
        let key = |k: &'static str| [Step::Key("activity"), Step::Key(k)];
        if !simulation.model.schedules {
            return self.err(
                &[Step::Key("activity")],
                format!(
                    "activity schedules work with model = {}, not with model \"{}\": remove [activity] or change the model",
                    ModelKind::names_that(|m| m.schedules),
                    simulation.model.name
                ),
            );
        }
        let period = self.int_in(&key("period"), a.period, 1, MAX_PERIOD)? as u32;
        let online = self.profile(&key("online"), &a.online, period)?;
        let visible_for = match a.visible_for {
            Some(v) => self.int_in(&key("visible_for"), v, 1, super::MAX_STEPS as i64)? as u32,
            None => period,
        };
        let start_hour = match start_hour {
            Some(h) => self.int_in(&start_key, h, 0, period as i64 - 1)? as u32,
            None => 0,
        };
        let segments = self.segment_profiles(a, period, has_segments)?;
        Ok(Some(Activity {
            period,
            online,
            segments,
            visible_for,
            start_hour,
        }))
    }

    fn segment_profiles(
        &self,
        a: &RawActivity,
        period: u32,
        has_segments: bool,
    ) -> Checked<Vec<(String, Vec<f64>)>> {
        let Some(given) = &a.segments else {
            return Ok(Vec::new());
        };
        let key = [Step::Key("activity"), Step::Key("segments")];
        if !has_segments {
            return self.err(&key, super::NO_SEGMENTS);
        }
        let mut profiles = Vec::with_capacity(given.len());
        for (name, online) in given {
            let mut path = key.to_vec();
            path.push(Step::Key(name));
            profiles.push((name.clone(), self.profile(&path, online, period)?));
        }
        Ok(profiles)
    }

    /// One chance per step of the period, each in [0, 1].
    fn profile(&self, path: &[Step], online: &[f64], period: u32) -> Checked<Vec<f64>> {
        if online.len() != period as usize {
            return self.err(
                path,
                format!(
                    "{} values for a period of {period} steps: give one chance of being online per step of the period",
                    online.len()
                ),
            );
        }
        for (i, &p) in online.iter().enumerate() {
            if !(0.0..=1.0).contains(&p) {
                let mut at = path.to_vec();
                at.push(Step::Index(i));
                return self.err(
                    &at,
                    format!("{p} is not a probability: the chance of being online at step {i} of the period is in [0, 1]"),
                );
            }
        }
        Ok(online.to_vec())
    }
}

impl Scenario {
    /// Check the segment names of `stickiness_by_segment` and
    /// `[activity.segments]` against the graph's `segments`: an unknown
    /// name is an error at its key listing the graph's segments.
    pub fn check_segment_names(&self, segments: Option<&Segments>) -> Result<(), ScenarioError> {
        let mut keys: Vec<(Vec<Step>, &str)> = Vec::new();
        let named = |table: &'static str, key: &'static str| vec![Step::Key(table), Step::Key(key)];
        if let Some(r) = &self.resonance {
            for (path, table) in [
                (named("content", "stickiness_by_segment"), &r.ours),
                (named("rival", "stickiness_by_segment"), &r.rival),
                (named("paid", "stickiness_by_segment"), &r.ads),
            ] {
                keys.extend(table.iter().map(|(n, _)| (path.clone(), n.as_str())));
            }
        }
        for (i, table) in self.strategy_ad_resonance.iter().enumerate() {
            let path = vec![
                Step::Key("strategy"),
                Step::Index(i),
                Step::Key("ads"),
                Step::Key("stickiness_by_segment"),
            ];
            keys.extend(table.iter().map(|(n, _)| (path.clone(), n.as_str())));
        }
        if let Some(a) = &self.activity {
            let path = named("activity", "segments");
            keys.extend(a.segments.iter().map(|(n, _)| (path.clone(), n.as_str())));
        }
        for (mut path, name) in keys {
            let known = segments.is_some_and(|s| s.index_of(name).is_some());
            if !known {
                let message = match segments {
                    Some(s) => s.unknown(name),
                    None => super::NO_SEGMENTS.to_string(),
                };
                path.push(Step::Key(name));
                return Err(ScenarioError::at(self.key_location(&path), message));
            }
        }
        Ok(())
    }

    /// The location of the key at `path` in the scenario file.
    pub fn key_location(&self, path: &[Step]) -> Location {
        Locator::new(&self.path, &self.text).at(path)
    }
}
