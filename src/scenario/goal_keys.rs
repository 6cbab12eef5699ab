//! `[goal]`: the metric that ranks the strategies and that celf and imm
//! maximise, and each strategy's own `goal`, checked against the tables
//! the metric counts with and against what each kind can maximise.

use super::*;
use crate::model::Goal;

/// What the scenario has, for the goals that count with a table.
pub(super) struct Counted {
    /// The conversion rates (`[conversion]`), if any.
    pub conversion: Option<ConversionSpec>,
    pub target: bool,
    pub rival: bool,
}

impl Counted {
    /// The table `goal` counts with, if the scenario lacks it.
    fn missing(&self, goal: Goal) -> Option<&'static str> {
        let has = match goal {
            Goal::Reached | Goal::Shared => true,
            Goal::Converted => self.conversion.is_some(),
            Goal::ReachedInTarget => self.target,
            Goal::NetReached => self.rival,
        };
        if has {
            None
        } else {
            goal.needs()
        }
    }
}

impl Checker<'_> {
    /// `[goal] metric` (reached when absent), checked against `counted`.
    pub(super) fn goal(&self, raw: Option<&RawGoal>, counted: &Counted) -> Checked<Goal> {
        let Some(name) = raw.and_then(|g| g.metric.as_deref()) else {
            return Ok(Goal::default());
        };
        let at = [Step::Key("goal"), Step::Key("metric")];
        let Some(goal) = Goal::named(name) else {
            return self.err(
                &at,
                format!("unknown metric \"{name}\": allowed {}", Goal::names()),
            );
        };
        if let Some(table) = counted.missing(goal) {
            return self.err(
                &at,
                format!("goal.metric = \"{name}\" needs a {table} table"),
            );
        }
        Ok(goal)
    }

    /// Each strategy's goal (its own, or the scenario's `goal`) is one the
    /// scenario can count and its kind can maximise.
    pub(super) fn strategy_goals(
        &self,
        strategies: &[StrategySpec],
        goal: Goal,
        counted: &Counted,
    ) -> Checked<()> {
        for (i, s) in strategies.iter().enumerate() {
            let own = s.strategy.goal();
            let at = |key| [Step::Key("strategy"), Step::Index(i), Step::Key(key)];
            if let Some(own) = own {
                if let Some(table) = counted.missing(own) {
                    return self.err(
                        &at("goal"),
                        format!("goal = \"{}\" needs a {table} table", own.name()),
                    );
                }
            }
            if let Err(why) = s
                .strategy
                .aims_at(own.unwrap_or(goal), counted.conversion.as_ref())
            {
                return match own {
                    Some(_) => self.err(&at("goal"), why),
                    None => self.err(
                        &at("kind"),
                        format!(
                            "{why}, or give this strategy a goal it can aim at, e.g. goal = \"reached\" ([goal] metric = \"{}\")",
                            goal.name()
                        ),
                    ),
                };
            }
        }
        Ok(())
    }

    /// The rival's seeds aim at its own reach: no `goal` there.
    pub(super) fn rival_goal(&self, rival: &RivalSpec) -> Checked<()> {
        if rival.seeding.strategy.goal().is_some() {
            return self.err(
                &[Step::Key("rival"), Step::Key("goal")],
                "the rival's seeds are chosen for the rival's own reach: remove `goal` here ([goal] metric says what our strategies aim at)",
            );
        }
        Ok(())
    }
}
