//! What a simulation yields per strategy (reach, shared, money, ads, the
//! rival) and the paired comparison of the best two, reduced from the runs.

use super::*;

/// One strategy's results.
pub struct StrategyResult {
    pub name: String,
    pub kind: &'static str,
    /// Seeds as original ids, for fixed seed sets.
    pub seeds: Option<Vec<u64>>,
    /// People invited per run (the mean over runs when drawn afresh).
    pub seeds_per_run: f64,
    /// What inviting them costs per run (the mean over runs when drawn
    /// afresh).
    pub cost: f64,
    /// The strategy's budget, if it was given one.
    pub budget: Option<f64>,
    pub stats: OutcomeStats,
    /// Revenue, cost and return on investment, when the scenario counts
    /// conversions.
    pub money: Option<Money>,
    /// What the ads bought, when the scenario has `[paid]`.
    pub paid: Option<PaidResult>,
    /// Net reach and the cost of a late response (`[rival]`).
    pub rival: Option<RivalResult>,
}

/// What paid exposure cost and what word of mouth added to it, per run.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct PaidResult {
    /// Ad views x cost per view.
    pub cost: Summary,
    /// Earned-media multiplier: people reached in all / people reached
    /// directly by seeding or ads (1 in a run that reached nobody).
    pub multiplier: Summary,
}

/// What a rival content does to a strategy's campaign (`[rival]`), each
/// figure computed run by run over the same runs (common random numbers).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct RivalResult {
    /// Net reach: our final reached minus the rival's.
    pub net_reached: Summary,
    /// What one step of delay in our response costs: our final reached
    /// when our seeds share at step 0 minus when they share at step 1,
    /// everything else (the rival, its start step, the runs) the same.
    pub delay_cost: Summary,
    /// The same for net reach.
    pub delay_cost_net: Summary,
}

/// What a campaign earns and costs, per run (`[conversion]`).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Money {
    /// Conversions x value.
    pub revenue: Summary,
    /// Seeding cost (what the invitations cost) plus ad views bought.
    pub cost: Summary,
    /// (revenue - cost) / cost.
    pub roi: Summary,
}

impl StrategyResult {
    /// Final reached summary (every model records reached).
    pub fn reached(&self) -> &Summary {
        self.stats
            .final_of(Metric::Reached)
            .expect("every model records reached")
    }

    /// Mean money spent per run: seeding plus ads.
    pub fn total_cost(&self) -> f64 {
        self.cost + self.paid.map_or(0.0, |p| p.cost.mean)
    }

    /// Mean final reached per 1000 of money spent (seeding and ads); None
    /// when nothing was spent.
    pub fn reached_per_1000(&self) -> Option<f64> {
        let cost = self.total_cost();
        (cost > 0.0).then(|| 1000.0 * self.reached().mean / cost)
    }

    /// The `goal`'s final value per run (net reach: our reached minus the
    /// rival's, run by run); None if the scenario does not count it.
    pub fn goal_values(&self, goal: Goal) -> Option<Vec<f64>> {
        let (plus, minus) = goal.metrics();
        let plus = self.stats.final_values_of(plus)?;
        Some(match minus {
            None => plus.to_vec(),
            Some(m) => {
                let minus = self.stats.final_values_of(m)?;
                plus.iter().zip(minus).map(|(p, m)| p - m).collect()
            }
        })
    }

    /// The `goal`'s final value over the runs; None if the scenario does
    /// not count it.
    pub fn goal_summary(&self, goal: Goal) -> Option<Summary> {
        match goal.metrics() {
            (plus, None) => self.stats.final_of(plus).copied(),
            _ => self.goal_values(goal).map(|mut v| stats::summarize(&mut v)),
        }
    }

    /// The share of the mean final reach that falls outside the target
    /// audience, wasted reach (with `[target]`; None if nobody is reached).
    pub fn wasted_share(&self) -> Option<f64> {
        let outside = self.stats.final_of(Metric::ReachedOutsideTarget)?;
        let reached = self.reached().mean;
        (reached > 0.0).then(|| outside.mean / reached)
    }
}

/// The paired comparison of the two strategies with the highest mean final
/// value of the goal (reached unless `[goal]` says otherwise): their
/// run-by-run difference under common random numbers.
pub struct Comparison {
    pub best: usize,
    pub runner_up: usize,
    /// What ranks them, and what the differences count.
    pub goal: Goal,
    /// The goal's final value of best minus runner-up, per run (people
    /// reached by default; named for it).
    pub reached_difference: Summary,
    /// Per strategy, its final value of the goal minus the best's, run by
    /// run (None for the best itself).
    pub versus_best: Vec<Option<Summary>>,
}

/// All results of a scenario.
pub struct Results {
    pub strategies: Vec<StrategyResult>,
    pub comparison: Option<Comparison>,
    pub timings: Timings,
    /// Runs made per strategy (with `[rival]`, also the late-response
    /// runs): `[simulation] runs`, or with runs = "auto" as many as it took.
    pub runs: u32,
    /// How runs = "auto" arrived at `runs` (None with a fixed count).
    pub auto: Option<AutoReport>,
    /// What ranks the strategies (`[goal] metric`).
    pub goal: Goal,
}

impl Results {
    /// Strategy indices by the goal's mean final value, highest first
    /// (ties in scenario order): the order of the table and the bars.
    pub fn ranked(&self) -> Vec<usize> {
        rank(&self.strategies, self.goal)
    }
}

/// Strategy indices by `goal`'s mean final value, highest first, ties in
/// scenario order; a strategy whose goal is not counted goes last.
pub fn rank(strategies: &[StrategyResult], goal: Goal) -> Vec<usize> {
    let means: Vec<f64> = strategies
        .iter()
        .map(|s| s.goal_summary(goal).map_or(f64::NEG_INFINITY, |m| m.mean))
        .collect();
    let mut order: Vec<usize> = (0..strategies.len()).collect();
    order.sort_by(|&a, &b| means[b].total_cmp(&means[a]).then(a.cmp(&b)));
    order
}

/// How many people `seeds` invites per run (the mean over the runs when
/// drawn afresh) and what the invitations cost in each run.
pub fn invited(seeds: &Seeds, costs: &Costs, runs: u32) -> (f64, Vec<f64>) {
    match seeds {
        Seeds::Fixed(s) => (s.len() as f64, vec![costs.total(s); runs as usize]),
        Seeds::PerRun(rule) => {
            let mut scratch = SeedScratch::default();
            let mut drawn = Vec::new();
            let mut people = 0.0;
            let mut cost = Vec::with_capacity(runs as usize);
            for run in 0..runs as u64 {
                rule.draw(run, &mut scratch, &mut drawn);
                people += drawn.len() as f64;
                cost.push(costs.total(&drawn));
            }
            (people / runs as f64, cost)
        }
    }
}

/// Ad cost and the earned-media multiplier, run by run.
pub(super) fn paid(stats: &OutcomeStats, mut ad_costs: Vec<f64>) -> PaidResult {
    let values = |m: Metric| stats.final_values_of(m).expect("ads record their split");
    let (reached, earned) = (values(Metric::Reached), values(Metric::EarnedReached));
    let mut multiplier: Vec<f64> = reached
        .iter()
        .zip(earned)
        .map(|(&r, &e)| if r > e { r / (r - e) } else { 1.0 })
        .collect();
    PaidResult {
        cost: stats::summarize(&mut ad_costs),
        multiplier: stats::summarize(&mut multiplier),
    }
}

/// Revenue, cost and ROI run by run, from each run's conversions (worth
/// `value` each) and seeding cost.
pub(super) fn money(stats: &OutcomeStats, run_costs: &[f64], value: f64) -> Money {
    let converted = stats
        .final_values_of(Metric::Converted)
        .expect("a scenario with [conversion] records conversions");
    let mut revenue: Vec<f64> = converted.iter().map(|&c| c * value).collect();
    let mut roi: Vec<f64> = revenue
        .iter()
        .zip(run_costs)
        .map(|(&r, &c)| (r - c) / c)
        .collect();
    Money {
        revenue: stats::summarize(&mut revenue),
        cost: stats::summarize(&mut run_costs.to_vec()),
        roi: stats::summarize(&mut roi),
    }
}

/// Net reach and the cost of delay, from a strategy's statistics and the
/// outcome of the same runs with our response one step `late`.
pub(super) fn against_rival(on_time: &OutcomeStats, late: &Outcome) -> RivalResult {
    let net = |reached: &[f64], rival: &[f64]| -> Vec<f64> {
        reached.iter().zip(rival).map(|(r, x)| r - x).collect()
    };
    let values = |metric| {
        on_time
            .final_values_of(metric)
            .expect("a scenario with [rival] records both reaches")
    };
    let late_values = |metric| {
        late.finals(
            late.metric_index(metric)
                .expect("a scenario with [rival] records both reaches"),
        )
    };
    let reached = values(Metric::Reached);
    let on_time_net = net(reached, values(Metric::RivalReached));
    let late_reached = late_values(Metric::Reached);
    let late_net = net(&late_reached, &late_values(Metric::RivalReached));
    RivalResult {
        net_reached: stats::summarize(&mut on_time_net.clone()),
        delay_cost: stats::paired_difference(reached, &late_reached),
        delay_cost_net: stats::paired_difference(&on_time_net, &late_net),
    }
}

/// The two strategies with the highest mean final value of `goal` (ties
/// to the one listed first), and their paired difference.
pub(super) fn compare(strategies: &[StrategyResult], goal: Goal) -> Option<Comparison> {
    if strategies.len() < 2 {
        return None;
    }
    let order = rank(strategies, goal);
    let (best, runner_up) = (order[0], order[1]);
    let values: Vec<Vec<f64>> = strategies
        .iter()
        .map(|s| {
            s.goal_values(goal)
                .expect("the scenario counts its goal (checked when read)")
        })
        .collect();
    let versus_best = (0..strategies.len())
        .map(|i| (i != best).then(|| stats::paired_difference(&values[i], &values[best])))
        .collect();
    Some(Comparison {
        versus_best,
        best,
        runner_up,
        goal,
        reached_difference: stats::paired_difference(&values[best], &values[runner_up]),
    })
}
