//! What a campaign aims at: the metric that ranks the strategies (the best,
//! the comparison, the order of the table) and that the optimising
//! strategies (`celf`, `imm`) maximise. The scenario's `[goal] metric`
//! sets it, and a `celf` or `imm` strategy may aim at another one.

use super::Metric;

/// The figure a campaign is judged by, per run at the end of the spread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Goal {
    /// People who saw the content at least once, seeds included.
    #[default]
    Reached,
    /// People who shared it, seeds included.
    Shared,
    /// People who took the desired action (needs `[conversion]`).
    Converted,
    /// People reached who belong to the target audience (needs `[target]`).
    ReachedInTarget,
    /// Our reached minus the rival's (needs `[rival]`).
    NetReached,
}

impl Goal {
    /// Every goal, in the order messages list them.
    pub const ALL: [Goal; 5] = [
        Goal::Reached,
        Goal::Shared,
        Goal::Converted,
        Goal::ReachedInTarget,
        Goal::NetReached,
    ];

    /// The goal's name, as `[goal] metric` writes it and every output
    /// prints it.
    pub fn name(self) -> &'static str {
        match self {
            Goal::Reached => "reached",
            Goal::Shared => "shared",
            Goal::Converted => "converted",
            Goal::ReachedInTarget => "reached_in_target",
            Goal::NetReached => "net_reached",
        }
    }

    /// The goal called `name`, if there is one.
    pub fn named(name: &str) -> Option<Goal> {
        Goal::ALL.into_iter().find(|g| g.name() == name)
    }

    /// Every goal's name, quoted and joined, for messages.
    pub fn names() -> String {
        let names: Vec<String> = Goal::ALL
            .iter()
            .map(|g| format!("\"{}\"", g.name()))
            .collect();
        names.join(", ")
    }

    /// What it counts, in words for people ("people who shared").
    pub fn words(self) -> &'static str {
        match self {
            Goal::Reached => "people reached",
            Goal::Shared => "people who shared",
            Goal::Converted => "people who converted",
            Goal::ReachedInTarget => "people reached in the target",
            Goal::NetReached => "net reach (ours minus the rival's)",
        }
    }

    /// The scenario table it counts with, if it needs one (`"[conversion]"`).
    pub fn needs(self) -> Option<&'static str> {
        match self {
            Goal::Reached | Goal::Shared => None,
            Goal::Converted => Some("[conversion]"),
            Goal::ReachedInTarget => Some("[target]"),
            Goal::NetReached => Some("[rival]"),
        }
    }

    /// The recorded metric it is, and the one subtracted from it run by
    /// run, if any (the rival's reach, for net reach).
    pub fn metrics(self) -> (Metric, Option<Metric>) {
        match self {
            Goal::Reached => (Metric::Reached, None),
            Goal::Shared => (Metric::Shared, None),
            Goal::Converted => (Metric::Converted, None),
            Goal::ReachedInTarget => (Metric::ReachedInTarget, None),
            Goal::NetReached => (Metric::Reached, Some(Metric::RivalReached)),
        }
    }

    /// The goal's value at the end of a run, from the final count of each
    /// metric (`final_of`); None if a metric it needs is not recorded.
    pub fn value(self, final_of: impl Fn(Metric) -> Option<f64>) -> Option<f64> {
        let (plus, minus) = self.metrics();
        let minus = match minus {
            Some(m) => final_of(m)?,
            None => 0.0,
        };
        Some(final_of(plus)? - minus)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for g in Goal::ALL {
            assert_eq!(Goal::named(g.name()), Some(g));
        }
        assert_eq!(Goal::named("reach"), None);
        assert_eq!(Goal::default(), Goal::Reached);
    }

    #[test]
    fn net_reach_subtracts_the_rival() {
        let finals = |m| match m {
            Metric::Reached => Some(10.0),
            Metric::RivalReached => Some(4.0),
            _ => None,
        };
        assert_eq!(Goal::NetReached.value(finals), Some(6.0));
        assert_eq!(Goal::Reached.value(finals), Some(10.0));
        assert_eq!(Goal::Shared.value(finals), None);
    }
}
