//! Checking what the campaign does: `[[strategy]]` tables (by their
//! kind's registry entry), `[rival]`, `[paid]`, `[conversion]`, `[costs]`
//! and `[output]`.

use super::*;

impl Checker<'_> {
    pub(super) fn strategy(
        &self,
        at: SeedingTable,
        s: &RawStrategy,
        has_segments: bool,
    ) -> Checked<StrategySpec> {
        let key = |k: &'static str| at.path(&[Step::Key(k)]);
        let Some(kind) = strategy::kind_named(&s.kind) else {
            let names: Vec<&str> = strategy::KINDS.iter().map(|k| k.name).collect();
            return self.err(
                &key("kind"),
                format!(
                    "unknown strategy kind \"{}\": allowed {}",
                    s.kind,
                    names.join(", ")
                ),
            );
        };
        // A strategy's own ads are a table of their own, checked by
        // [`Checker::strategy_ads`]; the rival buys none.
        let keys = match at {
            SeedingTable::Strategy(_) if s.keys.contains_key("ads") => {
                let mut keys = s.keys.clone();
                keys.remove("ads");
                std::borrow::Cow::Owned(keys)
            }
            _ => std::borrow::Cow::Borrowed(&s.keys),
        };
        let built = self.strategy_keys(at, kind, &keys)?;
        let name = match &s.name {
            Some(n) if n.trim().is_empty() => return self.err(&key("name"), "name is empty"),
            Some(n) => n.clone(),
            None => s.kind.clone(),
        };
        let segments = match &s.segments {
            Some(names) => Some(self.segment_names(&key("segments"), names, has_segments)?),
            None => None,
        };
        Ok(StrategySpec {
            name,
            kind,
            strategy: built,
            segments,
            start_step: 0,
            ads: None,
        })
    }

    /// `[strategy.ads]` of strategy `i`: its own ads, each key defaulting
    /// from `[paid]` when there is one.
    pub(super) fn strategy_ads(
        &self,
        i: usize,
        value: &toml::Value,
        sim: &SimulationSpec,
        paid: Option<&PaidSpec>,
    ) -> Checked<AdBudget> {
        let here = [Step::Key("strategy"), Step::Index(i), Step::Key("ads")];
        let key = |k: &'static str| {
            [
                Step::Key("strategy"),
                Step::Index(i),
                Step::Key("ads"),
                Step::Key(k),
            ]
        };
        if !sim.model.ads {
            return self.err(
                &here,
                format!(
                    "ads work with model = {}, not \"{}\": remove strategy[{i}].ads or change the model",
                    ModelKind::names_that(|m| m.ads),
                    sim.model.name
                ),
            );
        }
        let toml::Value::Table(table) = value else {
            return self.err(
                &here,
                "expected a table [strategy.ads] with budget and cost_per_view",
            );
        };
        const KEYS: [&str; 6] = [
            "budget",
            "cost_per_view",
            "from_step",
            "to_step",
            "stickiness",
            "stickiness_by_segment",
        ];
        if let Some(k) = table.keys().find(|k| !KEYS.contains(&k.as_str())) {
            return self.err(
                &[
                    Step::Key("strategy"),
                    Step::Index(i),
                    Step::Key("ads"),
                    Step::Key(k),
                ],
                format!(
                    "unknown key `{k}`: allowed here {}",
                    KEYS.map(|k| format!("`{k}`")).join(", ")
                ),
            );
        }
        let number = |k: &'static str| -> Checked<Option<f64>> {
            match table.get(k) {
                None => Ok(None),
                Some(toml::Value::Integer(n)) => Ok(Some(*n as f64)),
                Some(toml::Value::Float(x)) => Ok(Some(*x)),
                Some(_) => self.err(&key(k), "expected a number"),
            }
        };
        let whole = |k: &'static str| -> Checked<Option<i64>> {
            match table.get(k) {
                None => Ok(None),
                Some(toml::Value::Integer(n)) => Ok(Some(*n)),
                Some(_) => self.err(&key(k), "expected a whole number (a step)"),
            }
        };
        let budget = match number("budget")? {
            Some(b) => self.float_in(
                &key("budget"),
                b,
                f64::MIN_POSITIVE,
                f64::MAX,
                "an ad budget is money to spend, above 0",
            )?,
            None => {
                return self.err(
                    &here,
                    "strategy ads need `budget`, the money to spend on ad views (above 0)",
                )
            }
        };
        let cost_per_view = match number("cost_per_view")?.or(paid.map(|p| p.cost_per_view)) {
            Some(c) if c.is_finite() && c > 0.0 => c,
            Some(c) if !table.contains_key("cost_per_view") => {
                return self.err(
                    &here,
                    format!("strategy ads need `cost_per_view` above 0 (the price of one view; [paid] cost_per_view is {c})"),
                )
            }
            Some(c) => {
                return self.err(
                    &key("cost_per_view"),
                    format!("{c} is out of range: a view's price must be above 0"),
                )
            }
            None => {
                return self.err(
                    &here,
                    "strategy ads need `cost_per_view`, the price of one view (above 0)",
                )
            }
        };
        let steps = sim.steps as i64;
        let from_step = match whole("from_step")? {
            Some(f) => self.int_in(&key("from_step"), f, 1, steps)? as u32,
            None => paid.map_or(1, |p| p.from_step),
        };
        let to_step = match whole("to_step")? {
            Some(t) if t < from_step as i64 || t > steps => {
                return self.err(
                    &key("to_step"),
                    format!("{t} is out of range: allowed from_step ({from_step}) to [simulation] steps ({steps})"),
                )
            }
            Some(t) => t as u32,
            None => match paid.map_or(sim.steps, |p| p.to_step) {
                t if t < from_step => {
                    return self.err(
                        &key("from_step"),
                        format!("{from_step} is after the last step with ads ({t}, from [paid] to_step): give to_step too"),
                    )
                }
                t => t,
            },
        };
        let stickiness = match number("stickiness")? {
            Some(s) => self.probability(&key("stickiness"), s)?,
            None => paid.map_or(0.0, |p| p.stickiness),
        };
        Ok(AdBudget {
            budget,
            cost_per_view,
            from_step,
            to_step,
            stickiness,
        })
    }

    /// `[[strategy]] start_step`: the step at which strategy `i`'s seeds
    /// post, 0 (the default) to `[simulation] steps`.
    pub(super) fn start_step(
        &self,
        i: usize,
        s: &RawStrategy,
        sim: &SimulationSpec,
    ) -> Checked<u32> {
        let key = [
            Step::Key("strategy"),
            Step::Index(i),
            Step::Key("start_step"),
        ];
        match s.start_step {
            Some(t) if (0..=sim.steps as i64).contains(&t) => Ok(t as u32),
            Some(t) => self.err(
                &key,
                format!(
                    "{t} is out of range: the step at which the strategy's seeds post is 0 (the first step) to [simulation] steps = {}",
                    sim.steps
                ),
            ),
            None => Ok(0),
        }
    }

    /// `[rival] response_delays`: distinct whole numbers of steps, each
    /// leaving our response within the steps simulated (rival start_step +
    /// delay <= steps), at most [`MAX_RESPONSE_DELAYS`] of them.
    fn response_delays(
        &self,
        delays: &[i64],
        start_step: u32,
        sim: &SimulationSpec,
    ) -> Checked<Vec<u32>> {
        let key = |j: Option<usize>| {
            let mut path = vec![Step::Key("rival"), Step::Key("response_delays")];
            path.extend(j.map(Step::Index));
            path
        };
        if delays.is_empty() {
            return self.err(
                &key(None),
                "`response_delays` is empty: list the delays to compare, in steps, e.g. [0, 1, 2, 4]",
            );
        }
        if delays.len() > MAX_RESPONSE_DELAYS {
            return self.err(
                &key(None),
                format!(
                    "{} delays listed: allowed at most {MAX_RESPONSE_DELAYS} (each is simulated in full)",
                    delays.len()
                ),
            );
        }
        let latest = sim.steps - start_step;
        let mut out: Vec<u32> = Vec::with_capacity(delays.len());
        for (j, &d) in delays.iter().enumerate() {
            if !(0..=latest as i64).contains(&d) {
                return self.err(
                    &key(Some(j)),
                    format!(
                        "{d} is out of range: a delay is 0 to {latest} steps, so that our response (rival start_step {start_step} + delay) comes within [simulation] steps = {}",
                        sim.steps
                    ),
                );
            }
            if let Some(k) = out.iter().position(|&o| o as i64 == d) {
                return self.err(
                    &key(Some(j)),
                    format!("delay {d} is listed twice (also at position {k})"),
                );
            }
            out.push(d as u32);
        }
        Ok(out)
    }

    /// `[rival]`: its content's keys, then its seeds' keys checked as a
    /// `[[strategy]]` table's, errors pointing at `rival.<key>`.
    pub(super) fn rival(
        &self,
        r: &RawRival,
        sim: &SimulationSpec,
        has_segments: bool,
    ) -> Checked<RivalSpec> {
        let key = |k: &'static str| [Step::Key("rival"), Step::Key(k)];
        if !sim.model.rival {
            return self.err(
                &[Step::Key("rival")],
                format!(
                    "a rival content spreads by the competitive independent cascade, which needs model = {}, not \"{}\": remove [rival] or change the model",
                    ModelKind::names_that(|m| m.rival),
                    sim.model.name
                ),
            );
        }
        let stickiness = self.probability(&key("stickiness"), r.stickiness)?;
        let start_step = match r.start_step {
            Some(t) if (0..=sim.steps as i64).contains(&t) => t as u32,
            Some(t) => {
                return self.err(
                    &key("start_step"),
                    format!(
                        "{t} is out of range: the step at which the rival's seeds share is 0 (with ours) to [simulation] steps = {}",
                        sim.steps
                    ),
                )
            }
            None => 0,
        };
        let response_delays = match &r.response_delays {
            Some(d) => self.response_delays(d, start_step, sim)?,
            None => Vec::new(),
        };
        let mut seeding = self.strategy(SeedingTable::Rival, &r.seeding, has_segments)?;
        if r.seeding.name.is_none() {
            seeding.name = "rival".into();
        }
        Ok(RivalSpec {
            stickiness,
            start_step,
            response_delays,
            seeding,
        })
    }

    pub(super) fn paid(&self, p: &RawPaid, sim: &SimulationSpec) -> Checked<PaidSpec> {
        let key = |k: &'static str| [Step::Key("paid"), Step::Key(k)];
        if !sim.model.ads {
            return self.err(
                &[Step::Key("paid")],
                format!(
                    "paid reach works with model = {}, not \"{}\"",
                    ModelKind::names_that(|m| m.ads),
                    sim.model.name
                ),
            );
        }
        let steps = sim.steps as i64;
        let reach_per_step = self.probability(&key("reach_per_step"), p.reach_per_step)?;
        let from_step = match p.from_step {
            Some(f) => self.int_in(&key("from_step"), f, 1, steps)? as u32,
            None => 1,
        };
        let to_step = match p.to_step {
            Some(t) => {
                if t < from_step as i64 || t > steps {
                    return self.err(
                        &key("to_step"),
                        format!("{t} is out of range: allowed from_step ({from_step}) to [simulation] steps ({steps})"),
                    );
                }
                t as u32
            }
            None => sim.steps,
        };
        let stickiness = match p.stickiness {
            Some(s) => self.probability(&key("stickiness"), s)?,
            None => 0.0,
        };
        let cost_per_view = match p.cost_per_view {
            Some(c) => self.float_in(
                &key("cost_per_view"),
                c,
                0.0,
                f64::MAX,
                "a view's price must be 0 or more",
            )?,
            None => 0.0,
        };
        Ok(PaidSpec {
            reach_per_step,
            from_step,
            to_step,
            stickiness,
            cost_per_view,
        })
    }

    pub(super) fn conversion(&self, c: &RawConversion) -> Checked<ConversionSpec> {
        let key = |k: &'static str| [Step::Key("conversion"), Step::Key(k)];
        let rate = self.probability(&key("rate"), c.rate)?;
        let rate_if_shared = match c.rate_if_shared {
            Some(r) => self.probability(&key("rate_if_shared"), r)?,
            None => rate,
        };
        let value = match c.value {
            Some(v) => self.float_in(
                &key("value"),
                v,
                0.0,
                f64::MAX,
                "what one conversion brings must be 0 or more",
            )?,
            None => 0.0,
        };
        Ok(ConversionSpec {
            rate,
            rate_if_shared,
            value,
        })
    }

    pub(super) fn costs(&self, scenario_path: &Path, c: &RawCosts) -> Checked<CostSpec> {
        let key = |k: &'static str| [Step::Key("costs"), Step::Key(k)];
        let mut spec = CostSpec::default();
        if let Some(b) = c.base {
            spec.base = self.float_in(
                &key("base"),
                b,
                f64::MIN_POSITIVE,
                f64::MAX,
                "the fixed cost of seeding anyone must be above 0",
            )?;
        }
        if let Some(p) = c.per_follower {
            spec.per_follower = self.float_in(
                &key("per_follower"),
                p,
                0.0,
                f64::MAX,
                "the cost per follower must be 0 or more",
            )?;
        }
        if let Some(e) = c.exponent {
            spec.exponent = self.float_in(
                &key("exponent"),
                e,
                0.0,
                MAX_COST_EXPONENT,
                &format!("allowed 0 to {MAX_COST_EXPONENT} (1: cost grows in proportion to followers; below 1: big audiences are cheaper per follower)"),
            )?;
        }
        if let Some(a) = c.acceptance {
            spec.acceptance = self.probability(&key("acceptance"), a)?;
        }
        if let Some(f) = &c.file {
            if f.trim().is_empty() {
                return self.err(
                    &key("file"),
                    "`file` is empty: name a file of `id cost` lines",
                );
            }
            let rel = Path::new(f);
            let base = scenario_path.parent().unwrap_or(Path::new("."));
            spec.file = Some(if rel.is_absolute() {
                rel.to_path_buf()
            } else {
                base.join(rel)
            });
        }
        Ok(spec)
    }

    pub(super) fn charts(&self, o: Option<&RawOutput>) -> Checked<Vec<ChartFormat>> {
        let Some(formats) = o.and_then(|o| o.formats.as_ref()) else {
            return Ok(vec![ChartFormat::Png, ChartFormat::Svg]);
        };
        let mut out = Vec::new();
        for (i, f) in formats.iter().enumerate() {
            let format = match f.as_str() {
                "png" => ChartFormat::Png,
                "svg" => ChartFormat::Svg,
                other => {
                    return self.err(
                        &[Step::Key("output"), Step::Key("formats"), Step::Index(i)],
                        format!("unknown chart format \"{other}\": allowed png, svg"),
                    )
                }
            };
            if !out.contains(&format) {
                out.push(format);
            }
        }
        Ok(out)
    }
}
