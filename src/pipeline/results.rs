//! What a simulation yields per strategy (reach, shared, money, ads, the
//! rival) and the paired comparison of the best two, reduced from the runs.

use super::*;

/// One strategy's results.
pub struct StrategyResult {
    pub name: String,
    pub kind: &'static str,
    /// Seeds as original ids, for fixed seed sets.
    pub seeds: Option<Vec<crate::graph::PersonRef>>,
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
    /// The strategy's own ads (`[strategy.ads]`), if it buys any.
    pub ads: Option<AdBudget>,
    /// What the strategy spends per run: seeding plus ads.
    pub cost_total: Summary,
    /// The same runs with our seeds posting each of `[rival]
    /// response_delays` after the rival's start, in the order listed;
    /// empty without them.
    pub by_delay: Vec<DelayResult>,
}

/// What a strategy reaches when our seeds post `delay` steps after the
/// rival's (`[rival] response_delays`), over the same runs as every other
/// figure (common random numbers).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct DelayResult {
    /// Steps between the rival's start and ours.
    pub delay: u32,
    /// Our final reached.
    pub reached: Summary,
    /// Our final reached minus the rival's, run by run.
    pub net_reached: Summary,
    /// The rival's final reached.
    pub rival_reached: Summary,
    /// Net reach lost against responding at the smallest delay listed,
    /// run by run (0 at that delay).
    pub net_cost: Summary,
}

/// Final reached, ours and the rival's, per run, with our seeds posting
/// at step `start`.
pub struct RivalFinals {
    pub start: u32,
    pub reached: Vec<f64>,
    pub rival_reached: Vec<f64>,
}

impl RivalFinals {
    /// From the statistics of runs with our start at `start`.
    pub fn of_stats(start: u32, stats: &OutcomeStats) -> RivalFinals {
        let values = |metric| {
            stats
                .final_values_of(metric)
                .expect("a scenario with [rival] records both reaches")
                .to_vec()
        };
        RivalFinals {
            start,
            reached: values(Metric::Reached),
            rival_reached: values(Metric::RivalReached),
        }
    }

    /// From runs with our start at `start`.
    pub fn of_outcome(start: u32, outcome: &Outcome) -> RivalFinals {
        let values = |metric| {
            outcome.finals(
                outcome
                    .metric_index(metric)
                    .expect("a scenario with [rival] records both reaches"),
            )
        };
        RivalFinals {
            start,
            reached: values(Metric::Reached),
            rival_reached: values(Metric::RivalReached),
        }
    }

    /// Our final reached minus the rival's, per run.
    fn net(&self) -> Vec<f64> {
        self.reached
            .iter()
            .zip(&self.rival_reached)
            .map(|(r, x)| r - x)
            .collect()
    }
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

    /// Money spent per 1000 people reached, the planner's cost per
    /// thousand: 1000 x mean cost (seeding and ads) / mean final reached;
    /// None when nobody is reached. Without `[costs]` every invitation
    /// costs 1, so it counts invitations per 1000 reached.
    pub fn cost_per_1000_reached(&self) -> Option<f64> {
        let reached = self.reached().mean;
        (reached > 0.0).then(|| 1000.0 * self.total_cost() / reached + 0.0)
    }

    /// Mean final reached as a share (0 to 1) of the network's `people`.
    pub fn reached_share(&self, people: u32) -> f64 {
        self.reached().mean / people.max(1) as f64
    }

    /// Final impressions summary: times a post or an ad was shown.
    pub fn impressions(&self) -> Option<&Summary> {
        self.stats.final_of(Metric::Impressions)
    }

    /// Average frequency, mean final impressions / mean final reached:
    /// how often each person reached was shown the content, taken as a
    /// ratio of means (as media planners total impressions over reach),
    /// so runs that reach few people weigh little; None when nobody is
    /// reached.
    pub fn frequency(&self) -> Option<f64> {
        let reached = self.reached().mean;
        let impressions = self.impressions()?.mean;
        (reached > 0.0).then(|| impressions / reached)
    }

    /// Money spent per 1000 impressions: 1000 x mean cost (seeding and
    /// ads) / mean final impressions; None when nothing was shown.
    pub fn cost_per_1000_impressions(&self) -> Option<f64> {
        let impressions = self.impressions()?.mean;
        (impressions > 0.0).then(|| 1000.0 * self.total_cost() / impressions + 0.0)
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
    /// People in the network.
    pub people: u32,
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

/// Net reach, the cost of one step of delay and the reach at each of
/// `delays` after the rival's start (`rival_start`), from the final
/// reaches of a strategy's runs at each start simulated (`finals`: its own
/// start `own`, one step later, and the starts of `delays`).
pub(super) fn against_rival(
    finals: &[RivalFinals],
    own: u32,
    rival_start: u32,
    delays: &[u32],
) -> (RivalResult, Vec<DelayResult>) {
    let at = |start: u32| {
        finals
            .iter()
            .find(|f| f.start == start)
            .expect("every start asked for is simulated")
    };
    let (on_time, late) = (at(own), at(own + 1));
    let on_time_net = on_time.net();
    let rival = RivalResult {
        net_reached: stats::summarize(&mut on_time_net.clone()),
        delay_cost: stats::paired_difference(&on_time.reached, &late.reached),
        delay_cost_net: stats::paired_difference(&on_time_net, &late.net()),
    };
    let soonest = delays.iter().min().map(|&d| at(rival_start + d).net());
    let by_delay = delays
        .iter()
        .zip(soonest.iter().cycle())
        .map(|(&delay, soonest)| {
            let f = at(rival_start + delay);
            let net = f.net();
            DelayResult {
                delay,
                reached: stats::summarize(&mut f.reached.clone()),
                net_reached: stats::summarize(&mut net.clone()),
                rival_reached: stats::summarize(&mut f.rival_reached.clone()),
                net_cost: stats::paired_difference(soonest, &net),
            }
        })
        .collect();
    (rival, by_delay)
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
