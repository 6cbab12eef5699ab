//! The `[sweep]` table: one or two numeric scenario keys varied over a grid
//! of points (the sweep itself runs in [`crate::sweep`]). Each point is the
//! scenario file with those keys set, checked by the same checker as the
//! file itself, so every key keeps its validation.
//!
//! ```toml
//! [sweep]
//! "content.stickiness" = { from = 0.01, to = 0.2, steps = 20 }
//! "trust.value" = [0.3, 0.6, 0.9]
//! tipping_fraction = 0.1
//! ```

use std::path::Path;

use toml_edit::{DocumentMut, Item, Table, Value};

use super::{Checked, Checker, Locator, Scenario, ScenarioError, Step};

/// Most points a sweep may have (all keys' values multiplied).
pub const MAX_SWEEP_POINTS: usize = 1000;
/// Share of the audience the mean final reach must pass to count as taking
/// off, when `tipping_fraction` is not given.
pub const DEFAULT_TIPPING_FRACTION: f64 = 0.1;
/// The key whose sweep gives a tipping point.
pub const STICKINESS_KEY: &str = "content.stickiness";
/// Tables whose numeric keys may be swept.
const SWEEPABLE: [&str; 10] = [
    "graph",
    "content",
    "trust",
    "simulation",
    "costs",
    "conversion",
    "paid",
    "rival",
    "activity",
    "strategy",
];

/// A checked `[sweep]`.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepSpec {
    /// One or two axes, in the order the file gives them: the first varies
    /// slowest.
    pub axes: Vec<SweepAxis>,
    /// Share of the audience (people in the graph) the mean final reach must
    /// pass for the content to count as taking off, in (0, 1).
    pub tipping_fraction: f64,
}

/// One swept key with its values, ascending.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepAxis {
    /// The key as written, e.g. `content.stickiness` or `strategy[1].count`.
    pub key: String,
    pub values: Vec<f64>,
}

impl SweepSpec {
    /// Every point's values, one per axis: the cartesian product of the
    /// axes, the first axis varying slowest.
    pub fn points(&self) -> Vec<Vec<f64>> {
        let mut points = vec![Vec::new()];
        for axis in &self.axes {
            points = points
                .iter()
                .flat_map(|p| {
                    axis.values.iter().map(move |&v| {
                        let mut q = p.clone();
                        q.push(v);
                        q
                    })
                })
                .collect();
        }
        points
    }

    /// The axis that sweeps `content.stickiness`, if one does.
    pub fn stickiness_axis(&self) -> Option<usize> {
        self.axes.iter().position(|a| a.key == STICKINESS_KEY)
    }
}

/// Where a swept key sits in the scenario file.
#[derive(Debug, Clone, PartialEq)]
enum KeyPath {
    /// `table.key`.
    Table { table: String, key: String },
    /// `strategy[i].key` or `strategy.NAME.key`.
    Strategy { which: Which, key: String },
    /// `table.inner.key`: a value of a table of values, such as one
    /// segment's `content.stickiness_by_segment.students`.
    Inner {
        table: String,
        inner: String,
        key: String,
    },
}

/// Keys whose values are a table of numbers by name, any one of which a
/// sweep may vary.
const INNER: [(&str, &str); 2] = [
    ("content", "stickiness_by_segment"),
    ("rival", "stickiness_by_segment"),
];

#[derive(Debug, Clone, PartialEq)]
enum Which {
    Index(usize),
    Name(String),
}

const KEY_FORMS: &str = "write `table.key` (e.g. \"content.stickiness\", \"trust.value\", \"graph.mean_degree\") or, for a strategy, `strategy[0].count` or `strategy.NAME.count` (its own ads: `strategy[0].ads.budget`), or one segment's stickiness, `content.stickiness_by_segment.NAME`";

fn parse_key(key: &str) -> Result<KeyPath, String> {
    let bad = || format!("\"{key}\" is not a sweepable key: {KEY_FORMS}");
    if let Some(rest) = key.strip_prefix("strategy[") {
        let (index, rest) = rest.split_once(']').ok_or_else(bad)?;
        let index: usize = index.parse().map_err(|_| bad())?;
        let field = rest.strip_prefix('.').ok_or_else(bad)?;
        let own = field.strip_prefix(ADS).unwrap_or(field);
        if own.is_empty() || own.contains('.') {
            return Err(bad());
        }
        return Ok(KeyPath::Strategy {
            which: Which::Index(index),
            key: field.to_string(),
        });
    }
    let (table, rest) = key.split_once('.').ok_or_else(bad)?;
    if !SWEEPABLE.contains(&table) {
        return Err(format!(
            "\"{key}\": only keys of [{}] and strategies can be swept",
            SWEEPABLE[..SWEEPABLE.len() - 1].join("], [")
        ));
    }
    if table == "strategy" {
        let (name, field) = rest.rsplit_once('.').ok_or_else(bad)?;
        if name.is_empty() || field.is_empty() {
            return Err(bad());
        }
        // `strategy.NAME.ads.budget`: a key of the strategy's own ads.
        let (name, key) = match name.strip_suffix(".ads") {
            Some(name) if !name.is_empty() => (name, format!("{ADS}{field}")),
            _ => (name, field.to_string()),
        };
        return Ok(KeyPath::Strategy {
            which: Which::Name(name.to_string()),
            key,
        });
    }
    if let Some((inner, name)) = rest.split_once('.') {
        if INNER.contains(&(table, inner)) && !name.is_empty() {
            return Ok(KeyPath::Inner {
                table: table.to_string(),
                inner: inner.to_string(),
                key: name.to_string(),
            });
        }
    }
    if rest.is_empty() || rest.contains('.') {
        return Err(bad());
    }
    Ok(KeyPath::Table {
        table: table.to_string(),
        key: rest.to_string(),
    })
}

/// The table of `doc` that `path` writes into; with `create`, a missing
/// `[table]` is added.
fn table_of<'d>(
    doc: &'d mut DocumentMut,
    path: &KeyPath,
) -> Result<&'d mut dyn toml_edit::TableLike, String> {
    match path {
        KeyPath::Table { table, .. } => {
            let root = doc.as_table_mut();
            if !root.contains_key(table) {
                let mut t = Table::new();
                t.set_implicit(false);
                root.insert(table, Item::Table(t));
            }
            root.get_mut(table)
                .and_then(Item::as_table_like_mut)
                .ok_or_else(|| format!("`{table}` is not a table"))
        }
        KeyPath::Inner { table, inner, .. } => {
            let outer = doc
                .as_table_mut()
                .get_mut(table)
                .and_then(Item::as_table_like_mut)
                .ok_or_else(|| format!("the scenario has no [{table}] table"))?;
            if !outer.contains_key(inner) {
                outer.insert(inner, Item::Value(Value::InlineTable(Default::default())));
            }
            outer
                .get_mut(inner)
                .and_then(Item::as_table_like_mut)
                .ok_or_else(|| format!("`{table}.{inner}` is not a table"))
        }
        KeyPath::Strategy { which, .. } => {
            let strategies = doc
                .get_mut("strategy")
                .and_then(Item::as_array_of_tables_mut)
                .ok_or_else(|| "the scenario has no [[strategy]] tables".to_string())?;
            let count = strategies.len();
            let index = match which {
                Which::Index(i) if *i < count => *i,
                Which::Index(i) => {
                    return Err(format!(
                        "there is no strategy[{i}]: the scenario has {count} strategies, strategy[0] to strategy[{}]",
                        count.saturating_sub(1)
                    ))
                }
                Which::Name(name) => strategies
                    .iter()
                    .position(|t| t.get("name").and_then(Item::as_str) == Some(name.as_str()))
                    .ok_or_else(|| format!("no strategy is named \"{name}\""))?,
            };
            let table = strategies.get_mut(index).expect("index checked above");
            let KeyPath::Strategy { key, .. } = path else {
                unreachable!("matched above")
            };
            if !key.starts_with(ADS) {
                return Ok(table as &mut dyn toml_edit::TableLike);
            }
            // A key of the strategy's own ads, `[strategy.ads]`.
            if !table.contains_key("ads") {
                table.insert("ads", Item::Table(Table::new()));
            }
            table
                .get_mut("ads")
                .and_then(Item::as_table_like_mut)
                .ok_or_else(|| "`ads` of the strategy is not a table".to_string())
        }
    }
}

fn key_name(path: &KeyPath) -> &str {
    match path {
        KeyPath::Table { key, .. } | KeyPath::Inner { key, .. } => key,
        KeyPath::Strategy { key, .. } => key.strip_prefix(ADS).unwrap_or(key),
    }
}

/// How a swept key of a strategy's own ads (`[strategy.ads]`) begins,
/// after the strategy: `strategy[0].ads.budget`.
const ADS: &str = "ads.";

/// What kind of number the file already has at the key (None: absent).
fn existing_kind(doc: &mut DocumentMut, path: &KeyPath) -> Result<Option<bool>, String> {
    let table = table_of(doc, path)?;
    match table.get(key_name(path)) {
        None => Ok(None),
        Some(item) => match item.as_value() {
            Some(Value::Integer(_)) => Ok(Some(true)),
            Some(Value::Float(_)) => Ok(Some(false)),
            _ => Err(format!(
                "`{}` is not a number in the scenario; only numeric keys can be swept",
                key_name(path)
            )),
        },
    }
}

/// Set the key at `path` to `v`, keeping the comments and layout around an
/// existing value so the point's text has the file's lines.
fn set(doc: &mut DocumentMut, path: &KeyPath, v: f64) -> Result<(), String> {
    let table = table_of(doc, path)?;
    let key = key_name(path);
    let whole = v.fract() == 0.0 && v.abs() < 9.0e15;
    let was_float = matches!(
        table.get(key).and_then(Item::as_value),
        Some(Value::Float(_))
    );
    let mut value = if whole && !was_float {
        Value::from(v as i64)
    } else {
        Value::from(v)
    };
    match table.get_mut(key).and_then(Item::as_value_mut) {
        Some(old) => {
            *value.decor_mut() = old.decor().clone();
            *old = value;
        }
        None => {
            table.insert(key, Item::Value(value));
        }
    }
    Ok(())
}

/// The scenario text with each axis's key set to its value in `values`.
fn point_text(text: &str, axes: &[SweepAxis], values: &[f64]) -> Result<String, String> {
    let mut doc: DocumentMut = text.parse().map_err(|e| format!("{e}"))?;
    for (axis, &v) in axes.iter().zip(values) {
        set(&mut doc, &parse_key(&axis.key)?, v)?;
    }
    Ok(doc.to_string())
}

/// `v` rounded to 12 significant digits, so a grid step of 0.01 gives 0.03
/// and not 0.030000000000000002.
fn tidy(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    format!("{v:.11e}").parse().unwrap_or(v)
}

/// Describe a point for messages: `content.stickiness = 0.05, trust.value = 0.3`.
pub fn describe_point(axes: &[SweepAxis], values: &[f64]) -> String {
    axes.iter()
        .zip(values)
        .map(|(a, v)| format!("{} = {v}", a.key))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `[sweep]` followed by `rest`.
fn at<'k>(rest: &[Step<'k>]) -> Vec<Step<'k>> {
    let mut p = vec![Step::Key("sweep")];
    p.extend_from_slice(rest);
    p
}

impl Checker<'_> {
    /// Check `[sweep]` (read from the file's own text, which keeps the key
    /// order) and every point it makes.
    pub(super) fn sweep(&self, path: &Path, text: &str) -> Checked<Option<SweepSpec>> {
        let Ok(mut doc) = text.parse::<DocumentMut>() else {
            return Ok(None);
        };
        let Some(sweep) = doc.get("sweep") else {
            return Ok(None);
        };
        let Some(sweep) = sweep.as_table_like() else {
            return self.err(
                &at(&[]),
                "[sweep] is a table: `\"content.stickiness\" = { from = 0.01, to = 0.2, steps = 20 }` or `\"trust.value\" = [0.3, 0.6, 0.9]`",
            );
        };
        let mut tipping_fraction = DEFAULT_TIPPING_FRACTION;
        let mut raw_axes: Vec<(String, Item)> = Vec::new();
        for (key, item) in sweep.iter() {
            if key == "tipping_fraction" {
                let v = item.as_value().and_then(|v| match v {
                    Value::Float(f) => Some(*f.value()),
                    Value::Integer(i) => Some(*i.value() as f64),
                    _ => None,
                });
                tipping_fraction = match v {
                    Some(f) if f > 0.0 && f < 1.0 => f,
                    _ => {
                        return self.err(
                            &at(&[Step::Key("tipping_fraction")]),
                            "tipping_fraction is the share of people the mean reach must pass: a number between 0 and 1 (exclusive), e.g. 0.1",
                        )
                    }
                };
            } else {
                raw_axes.push((key.to_string(), item.clone()));
            }
        }
        if raw_axes.is_empty() || raw_axes.len() > 2 {
            return self.err(
                &at(&[]),
                format!(
                    "a sweep varies one or two keys, here {}: e.g. `\"content.stickiness\" = {{ from = 0.01, to = 0.2, steps = 20 }}`",
                    raw_axes.len()
                ),
            );
        }
        let mut axes = Vec::with_capacity(raw_axes.len());
        for (key, item) in &raw_axes {
            let here = at(&[Step::Key(key)]);
            let path = parse_key(key).or_else(|m| self.err(&here, m))?;
            let values = self.sweep_values(key, item)?;
            let whole = existing_kind(&mut doc, &path).or_else(|m| self.err(&here, m))?;
            if whole == Some(true) {
                if let Some(v) = values.iter().find(|v| v.fract() != 0.0) {
                    return self.err(
                        &here,
                        format!("`{key}` is a whole number in the scenario, but the sweep gives {v}: give whole numbers (a list, or from/to/steps that land on them)"),
                    );
                }
            }
            axes.push(SweepAxis {
                key: key.clone(),
                values,
            });
        }
        if axes.len() == 2 && parse_key(&axes[0].key).ok() == parse_key(&axes[1].key).ok() {
            return self.err(
                &at(&[Step::Key(&axes[1].key)]),
                format!(
                    "`{}` and `{}` are the same key: a two-key sweep varies two different keys",
                    axes[0].key, axes[1].key
                ),
            );
        }
        let count: usize = axes.iter().map(|a| a.values.len()).product();
        if count > MAX_SWEEP_POINTS {
            return self.err(
                &at(&[]),
                format!(
                    "the sweep has {count} points ({}); at most {MAX_SWEEP_POINTS}",
                    axes.iter()
                        .map(|a| a.values.len().to_string())
                        .collect::<Vec<_>>()
                        .join(" x ")
                ),
            );
        }
        let spec = SweepSpec {
            axes,
            tipping_fraction,
        };
        for values in spec.points() {
            at_point(path, text, &spec, &values).map_err(|(axis, message)| {
                ScenarioError::at(
                    self.locator.at(&at(&[Step::Key(&spec.axes[axis].key)])),
                    message,
                )
            })?;
        }
        Ok(Some(spec))
    }

    /// A key's values: `{ from, to, steps }` (evenly spaced, both ends
    /// included) or a list of numbers; returned ascending.
    fn sweep_values(&self, key: &str, item: &Item) -> Checked<Vec<f64>> {
        let here = [Step::Key("sweep"), Step::Key(key)];
        let number = |v: &Value| match v {
            Value::Float(f) => Some(*f.value()),
            Value::Integer(i) => Some(*i.value() as f64),
            _ => None,
        };
        let mut values = if let Some(list) = item.as_array() {
            let mut out = Vec::with_capacity(list.len());
            for (i, v) in list.iter().enumerate() {
                match number(v).filter(|x| x.is_finite()) {
                    Some(x) => out.push(x),
                    None => {
                        let mut p = here.to_vec();
                        p.push(Step::Index(i));
                        return self.err(&p, "a sweep list holds numbers, e.g. [0.3, 0.6, 0.9]");
                    }
                }
            }
            if out.is_empty() || out.len() > MAX_SWEEP_POINTS {
                return self.err(
                    &here,
                    format!("a sweep list holds 1 to {MAX_SWEEP_POINTS} numbers"),
                );
            }
            out
        } else if let Some(t) = item.as_table_like() {
            let field = |name: &'static str| -> Checked<Option<f64>> {
                match t.get(name) {
                    None => Ok(None),
                    Some(i) => match i.as_value().and_then(number).filter(|x| x.is_finite()) {
                        Some(x) => Ok(Some(x)),
                        None => {
                            let mut p = here.to_vec();
                            p.push(Step::Key(name));
                            self.err(&p, format!("`{name}` is a number"))
                        }
                    },
                }
            };
            if let Some((unknown, _)) = t.iter().find(|(k, _)| !["from", "to", "steps"].contains(k))
            {
                let mut p = here.to_vec();
                p.push(Step::Key(unknown));
                return self.err(
                    &p,
                    format!(
                        "unknown key `{unknown}` in a sweep range: it takes from, to and steps"
                    ),
                );
            }
            let (Some(from), Some(to), Some(steps)) =
                (field("from")?, field("to")?, field("steps")?)
            else {
                return self.err(
                    &here,
                    "a sweep range needs from, to and steps, e.g. { from = 0.01, to = 0.2, steps = 20 }",
                );
            };
            let mut p = here.to_vec();
            p.push(Step::Key("steps"));
            if steps.fract() != 0.0 || steps < 2.0 || steps > MAX_SWEEP_POINTS as f64 {
                return self.err(
                    &p,
                    format!("steps is the number of points, both ends included: a whole number from 2 to {MAX_SWEEP_POINTS}"),
                );
            }
            if from == to {
                return self.err(
                    &here,
                    format!("from and to are both {from}: give two different ends, or a list"),
                );
            }
            let n = steps as usize;
            (0..n)
                .map(|i| tidy(from + (to - from) * i as f64 / (n - 1) as f64))
                .collect()
        } else {
            return self.err(
                &here,
                "give `{ from = .., to = .., steps = .. }` or a list of numbers like [0.3, 0.6, 0.9]",
            );
        };
        values.sort_by(f64::total_cmp);
        if let Some(w) = values.windows(2).find(|w| w[0] == w[1]) {
            return self.err(&here, format!("{} is given twice", w[0]));
        }
        Ok(values)
    }
}

/// The scenario at one sweep point, checked; on failure the axis to blame
/// and the message.
fn at_point(
    path: &Path,
    text: &str,
    spec: &SweepSpec,
    values: &[f64],
) -> Result<Scenario, (usize, String)> {
    let blame = |message: String| {
        // The axis whose key the message names, else the first.
        let axis = spec
            .axes
            .iter()
            .position(|a| message.contains(a.key.as_str()))
            .unwrap_or(0);
        (axis, message)
    };
    let point = describe_point(&spec.axes, values);
    let text = point_text(text, &spec.axes, values)
        .map_err(|m| blame(format!("at the point {point}: {m}")))?;
    super::parse_point(path, &text).map_err(|e| {
        let message = match &e {
            ScenarioError::Invalid { location, message } => match &location.key {
                Some(k) => format!("at the point {point}: {k}: {message}"),
                None => format!("at the point {point}: {message}"),
            },
            other => format!("at the point {point}: {other}"),
        };
        blame(message)
    })
}

impl Scenario {
    /// The scenario at sweep point `values` (one value per axis of
    /// [`Scenario::sweep`]), with the run count (fixed or "auto") and seed
    /// this scenario has (they may have been overridden) unless the sweep
    /// varies them.
    pub fn at_point(&self, values: &[f64]) -> Result<Scenario, ScenarioError> {
        let spec = self
            .sweep
            .as_ref()
            .expect("at_point is called on a scenario with [sweep]");
        let mut point = at_point(&self.path, &self.text, spec, values).map_err(|(axis, m)| {
            let locator = Locator::new(&self.path, &self.text);
            ScenarioError::at(
                locator.at(&[Step::Key("sweep"), Step::Key(&spec.axes[axis].key)]),
                m,
            )
        })?;
        let swept = |k: &str| spec.axes.iter().any(|a| a.key == k);
        if ![
            "simulation.runs",
            "simulation.ci_half_width",
            "simulation.max_runs",
        ]
        .into_iter()
        .any(swept)
        {
            point.simulation.runs = self.simulation.runs;
            point.simulation.auto = self.simulation.auto;
        }
        if !swept("simulation.seed") {
            point.simulation.seed = self.simulation.seed;
        }
        Ok(point)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_into_tables_and_strategies() {
        assert_eq!(
            parse_key("content.stickiness"),
            Ok(KeyPath::Table {
                table: "content".into(),
                key: "stickiness".into()
            })
        );
        assert_eq!(
            parse_key("strategy[2].count"),
            Ok(KeyPath::Strategy {
                which: Which::Index(2),
                key: "count".into()
            })
        );
        assert_eq!(
            parse_key("strategy[0].ads.budget"),
            Ok(KeyPath::Strategy {
                which: Which::Index(0),
                key: "ads.budget".into()
            })
        );
        assert_eq!(
            parse_key("strategy.half and half.ads.budget"),
            Ok(KeyPath::Strategy {
                which: Which::Name("half and half".into()),
                key: "ads.budget".into()
            })
        );
        assert_eq!(
            parse_key("strategy.top influencers.budget"),
            Ok(KeyPath::Strategy {
                which: Which::Name("top influencers".into()),
                key: "budget".into()
            })
        );
        for bad in [
            "stickiness",
            "content.",
            "output.formats",
            "version.x",
            "strategy[x].count",
            "strategy[1]count",
            "strategy[1].ads.",
            "strategy[1].ads.a.b",
            "content.a.b",
        ] {
            assert!(parse_key(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn point_text_keeps_lines_and_types() {
        let text = "version = 1\n[content]\nstickiness = 0.5 # note\n[graph]\nnodes = 10\n[[strategy]]\nname = \"a\"\ncount = 3\n";
        let axes = [
            SweepAxis {
                key: "content.stickiness".into(),
                values: vec![],
            },
            SweepAxis {
                key: "strategy.a.count".into(),
                values: vec![],
            },
        ];
        let out = point_text(text, &axes, &[1.0, 7.0]).unwrap();
        assert_eq!(
            out,
            "version = 1\n[content]\nstickiness = 1.0 # note\n[graph]\nnodes = 10\n[[strategy]]\nname = \"a\"\ncount = 7\n"
        );
        let axes = [SweepAxis {
            key: "content.half_life".into(),
            values: vec![],
        }];
        let out = point_text(text, &axes, &[2.5]).unwrap();
        assert!(out.contains("half_life = 2.5"), "{out}");
    }

    #[test]
    fn grid_values_are_tidy() {
        assert_eq!(tidy(0.01 + 0.19 * 2.0 / 19.0), 0.03);
        assert_eq!(tidy(0.0), 0.0);
        assert_eq!(tidy(1234.5), 1234.5);
    }

    #[test]
    fn points_are_the_product_first_axis_slowest() {
        let spec = SweepSpec {
            axes: vec![
                SweepAxis {
                    key: "a.x".into(),
                    values: vec![1.0, 2.0],
                },
                SweepAxis {
                    key: "b.y".into(),
                    values: vec![5.0, 6.0, 7.0],
                },
            ],
            tipping_fraction: 0.1,
        };
        assert_eq!(
            spec.points(),
            vec![
                vec![1.0, 5.0],
                vec![1.0, 6.0],
                vec![1.0, 7.0],
                vec![2.0, 5.0],
                vec![2.0, 6.0],
                vec![2.0, 7.0]
            ]
        );
    }
}
