//! Checking `[simulation]`: the model, runs (or "auto"), steps, seed and
//! time unit, and the size of the results they make.

use super::*;

impl Checker<'_> {
    pub(super) fn simulation(&self, s: Option<&RawSimulation>) -> Checked<SimulationSpec> {
        let key = |k: &'static str| [Step::Key("simulation"), Step::Key(k)];
        let model = match s.and_then(|s| s.model.as_deref()) {
            None => ModelKind::default_kind(),
            Some(name) => match ModelKind::named(name) {
                Some(model) => model,
                None => {
                    let names: Vec<&str> = MODELS.iter().map(|m| m.name).collect();
                    return self.err(
                        &key("model"),
                        format!("unknown model \"{name}\": allowed {}", names.join(", ")),
                    );
                }
            },
        };
        let auto = match s.and_then(|s| s.runs.as_ref()) {
            Some(RawRuns::Word(w)) if w == "auto" => true,
            Some(RawRuns::Word(w)) => {
                return self.err(
                    &key("runs"),
                    format!("\"{w}\" is not allowed: expected a whole number (2 to {MAX_RUNS}) or \"auto\" (run until every strategy's 95% CI is within ci_half_width of its mean)"),
                )
            }
            _ => false,
        };
        let (runs, auto) = if auto {
            let ci_half_width = match s.and_then(|s| s.ci_half_width) {
                Some(h) if h.is_finite() && h > 0.0 && h < 1.0 => h,
                Some(h) => {
                    return self.err(
                        &key("ci_half_width"),
                        format!("{h} is out of range: the 95% CI's half width relative to the mean is above 0 and below 1 (0.01: within ±1% of the mean)"),
                    )
                }
                None => DEFAULT_CI_HALF_WIDTH,
            };
            let max_runs = match s.and_then(|s| s.max_runs) {
                Some(m) => self.runs(&key("max_runs"), m)?,
                None => DEFAULT_MAX_RUNS,
            };
            (
                max_runs,
                Some(AutoRuns {
                    ci_half_width,
                    max_runs,
                }),
            )
        } else {
            for (k, given) in [
                (
                    "ci_half_width",
                    s.is_some_and(|s| s.ci_half_width.is_some()),
                ),
                ("max_runs", s.is_some_and(|s| s.max_runs.is_some())),
            ] {
                if given {
                    return self.err(
                        &key(k),
                        format!("`{k}` works only with runs = \"auto\": remove it or set runs = \"auto\""),
                    );
                }
            }
            let runs = match s.and_then(|s| s.runs.as_ref()) {
                Some(&RawRuns::Count(r)) => self.runs(&key("runs"), r)?,
                _ => DEFAULT_RUNS,
            };
            (runs, None)
        };
        let steps = match s.and_then(|s| s.steps) {
            Some(t) => self.int_in(&key("steps"), t, 1, MAX_STEPS as i64)? as u32,
            None => DEFAULT_STEPS,
        };
        let seed = match s.and_then(|s| s.seed) {
            Some(v) => self.seed(&key("seed"), v)?,
            None => DEFAULT_SEED,
        };
        let step = match s.and_then(|s| s.step.as_deref()) {
            None => TimeUnit::Step,
            Some(name) => match TimeUnit::NAMES.iter().position(|&n| n == name) {
                Some(i) => TimeUnit::ALL[i],
                None => {
                    return self.err(
                        &key("step"),
                        format!(
                            "unknown time unit \"{name}\": allowed {}",
                            TimeUnit::NAMES.join(", ")
                        ),
                    )
                }
            },
        };
        Ok(SimulationSpec {
            model,
            step,
            runs,
            auto,
            steps,
            seed,
        })
    }

    pub(super) fn runs(&self, path: &[Step], r: i64) -> Checked<u32> {
        check_runs(r.into()).or_else(|message| self.err(path, message))
    }

    pub(super) fn seed(&self, path: &[Step], v: i64) -> Checked<u64> {
        check_seed(v.into()).or_else(|message| self.err(path, message))
    }

    pub(super) fn check_size(&self, s: &Scenario) -> Checked<()> {
        // With runs = "auto" the cap bounds the results (when it is not
        // written, the location falls back to the [simulation] table).
        let key = match s.simulation.auto {
            Some(_) => "max_runs",
            None => "runs",
        };
        s.check_result_size(s.known_segment_slots())
            .map_err(|message| {
                ScenarioError::at(
                    self.locator.at(&[Step::Key("simulation"), Step::Key(key)]),
                    message,
                )
            })
    }
}
