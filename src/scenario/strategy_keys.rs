//! A `[[strategy]]` (or `[rival]`) table's keys, read for its kind through
//! [`Keys`]: the strategy module says which keys a kind takes and what they
//! may hold; this file finds them in the TOML, and says where and why one
//! is wrong, in the file's words.

use toml::Value;

use super::{Checker, Locator, ScenarioError, SeedingTable, Step};
use crate::graph::PersonRef;
use crate::model::Goal;
use crate::strategy::{Keys, Kind, Limit, Refused, COUNT_ZERO};

/// The kind-specific keys of one strategy table.
pub(super) struct TableKeys<'a> {
    pub locator: &'a Locator,
    pub at: SeedingTable,
    pub kind: &'static Kind,
    pub table: &'a toml::Table,
    /// The first key refused, with its message.
    pub error: Option<ScenarioError>,
}

impl TableKeys<'_> {
    fn refuse(&mut self, path: &[Step], message: impl Into<String>) -> Refused {
        self.error = Some(ScenarioError::at(
            self.locator.at(&self.at.path(path)),
            message,
        ));
        Refused
    }

    fn whole_number(&mut self, path: &[Step], value: &Value) -> Result<i64, Refused> {
        match value {
            Value::Integer(i) => Ok(*i),
            other => Err(self.refuse(
                path,
                format!("expected a whole number, found {}", found(other)),
            )),
        }
    }

    fn any_number(&mut self, key: &'static str, value: &Value) -> Result<f64, Refused> {
        match value {
            Value::Integer(i) => Ok(*i as f64),
            Value::Float(x) => Ok(*x),
            other => Err(self.refuse(
                &[Step::Key(key)],
                format!("expected a number, found {}", found(other)),
            )),
        }
    }
}

impl Keys for TableKeys<'_> {
    fn limit(&mut self) -> Result<Limit, Refused> {
        let (count, budget) = (self.table.get("count"), self.table.get("budget"));
        match (count, budget) {
            (Some(_), Some(_)) => Err(self.refuse(
                &[Step::Key("budget")],
                "give either `count` (how many people) or `budget` (how much money), not both",
            )),
            (Some(c), None) => {
                let c = self.whole_number(&[Step::Key("count")], c)?;
                match u32::try_from(c) {
                    Ok(c) => Ok(Limit::Count(c)),
                    Err(_) => Err(self.refuse(
                        &[Step::Key("count")],
                        format!(
                            "{c} is out of range: allowed 0 to the number of people ({COUNT_ZERO})"
                        ),
                    )),
                }
            }
            (None, Some(b)) => {
                let b = self.any_number("budget", b)?;
                if !(b.is_finite() && b > 0.0) {
                    return Err(self.refuse(
                        &[Step::Key("budget")],
                        format!("{b} is out of range: a budget is money to spend, above 0"),
                    ));
                }
                Ok(Limit::Budget(b))
            }
            (None, None) => {
                let kind = self.kind.name;
                Err(self.refuse(
                    &[],
                    format!(
                        "strategy kind \"{kind}\" needs `count`, the number of people to seed, or `budget`, the money to spend on seeding them"
                    ),
                ))
            }
        }
    }

    fn number(
        &mut self,
        key: &'static str,
        default: f64,
        allowed: fn(f64) -> bool,
        range: &str,
    ) -> Result<f64, Refused> {
        let Some(value) = self.table.get(key) else {
            return Ok(default);
        };
        let v = self.any_number(key, value)?;
        if v.is_finite() && allowed(v) {
            Ok(v)
        } else {
            Err(self.refuse(&[Step::Key(key)], format!("{v} is out of range: {range}")))
        }
    }

    fn whole(&mut self, key: &'static str, default: u64, lo: u64, hi: u64) -> Result<u64, Refused> {
        let Some(value) = self.table.get(key) else {
            return Ok(default);
        };
        let v = self.whole_number(&[Step::Key(key)], value)?;
        match u64::try_from(v) {
            Ok(v) if (lo..=hi).contains(&v) => Ok(v),
            _ => Err(self.refuse(
                &[Step::Key(key)],
                format!("{v} is out of range: allowed {lo} to {hi}"),
            )),
        }
    }

    fn ids(&mut self, key: &'static str) -> Result<Vec<PersonRef>, Refused> {
        let kind = self.kind.name;
        let Some(value) = self.table.get(key) else {
            return Err(self.refuse(
                &[],
                format!(
                    "strategy kind \"{kind}\" needs `{key}`, a list of person ids as in the edge list"
                ),
            ));
        };
        let Value::Array(list) = value else {
            return Err(self.refuse(
                &[Step::Key(key)],
                format!("expected a list like [1, 2], found {}", found(value)),
            ));
        };
        if list.is_empty() {
            return Err(self.refuse(
                &[Step::Key(key)],
                format!("`{key}` is empty: list at least one person id"),
            ));
        }
        let mut ids: Vec<PersonRef> = Vec::with_capacity(list.len());
        for (j, value) in list.iter().enumerate() {
            let here = [Step::Key(key), Step::Index(j)];
            let id = match value {
                Value::String(text) if !text.is_empty() => PersonRef::Text(text.clone()),
                Value::String(_) => {
                    return Err(self.refuse(
                        &here,
                        "an empty text names nobody: write the id as in the edge list",
                    ));
                }
                other => {
                    let Value::Integer(id) = other else {
                        return Err(self.refuse(
                            &here,
                            format!("expected a person id (a whole number, or a text such as \"alice\" for a file with text ids), found {}", found(other)),
                        ));
                    };
                    let Ok(id) = u64::try_from(*id) else {
                        return Err(self.refuse(
                            &here,
                            format!("node id {id} is negative; ids are non-negative integers"),
                        ));
                    };
                    PersonRef::Number(id)
                }
            };
            if let Some(k) = ids.iter().position(|o| *o == id) {
                return Err(self.refuse(
                    &here,
                    format!(
                        "node id {} is listed twice (also at position {k})",
                        id.written()
                    ),
                ));
            }
            ids.push(id);
        }
        Ok(ids)
    }

    fn goal(&mut self) -> Result<Option<Goal>, Refused> {
        let Some(value) = self.table.get("goal") else {
            return Ok(None);
        };
        let here = [Step::Key("goal")];
        let Value::String(name) = value else {
            return Err(self.refuse(
                &here,
                format!(
                    "expected a metric in quotes, found {}: allowed {}",
                    found(value),
                    Goal::names()
                ),
            ));
        };
        match Goal::named(name) {
            Some(goal) => Ok(Some(goal)),
            None => Err(self.refuse(
                &here,
                format!("unknown goal \"{name}\": allowed {}", Goal::names()),
            )),
        }
    }
}

/// What a value is, as a scenario file says it.
fn found(value: &Value) -> String {
    match value {
        Value::String(s) => format!("the text \"{s}\""),
        Value::Integer(i) => format!("the whole number {i}"),
        Value::Float(x) => format!("the number {x}"),
        Value::Boolean(b) => b.to_string(),
        Value::Datetime(d) => format!("the date {d}"),
        Value::Array(_) => "a list".into(),
        Value::Table(_) => "a table".into(),
    }
}

impl Checker<'_> {
    /// Build the strategy of `kind` from `table`'s keys, each of which
    /// must be one the kind takes.
    pub(super) fn strategy_keys(
        &self,
        at: SeedingTable,
        kind: &'static Kind,
        table: &toml::Table,
    ) -> Result<std::sync::Arc<dyn crate::strategy::SeedingStrategy>, ScenarioError> {
        for key in table.keys() {
            if kind.keys.contains(&key.as_str()) {
                continue;
            }
            let own: &[&str] = match at {
                SeedingTable::Strategy(_) => &["name", "kind", "segments", "start_step"],
                SeedingTable::Rival => &[
                    "stickiness",
                    "start_step",
                    "response_delays",
                    "name",
                    "kind",
                    "segments",
                ],
            };
            let another_kinds = crate::strategy::KINDS
                .iter()
                .any(|k| k.keys.contains(&key.as_str()));
            let message = if key == "goal" {
                format!(
                    "`goal` only changes what celf and imm maximise, and strategy kind \"{}\" maximises nothing: remove it ([goal] metric ranks every strategy)",
                    kind.name
                )
            } else if another_kinds {
                let takes = if kind.keys.is_empty() {
                    "no other keys".to_string()
                } else {
                    kind.keys.join(", ")
                };
                format!(
                    "`{key}` is not a key of strategy kind \"{}\"; it takes {takes}",
                    kind.name
                )
            } else {
                let allowed: Vec<String> = own
                    .iter()
                    .chain(kind.keys)
                    .map(|k| format!("`{k}`"))
                    .collect();
                format!("unknown key `{key}`: allowed here {}", allowed.join(", "))
            };
            return Err(ScenarioError::at(
                self.locator.at(&at.path(&[Step::Key(key)])),
                message,
            ));
        }
        let mut keys = TableKeys {
            locator: self.locator,
            at,
            kind,
            table,
            error: None,
        };
        match (kind.build)(&mut keys) {
            Ok(strategy) => Ok(strategy),
            Err(Refused) => Err(keys.error.expect("a refused key leaves its message behind")),
        }
    }
}
