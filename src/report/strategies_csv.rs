//! `strategies.csv`: one row per strategy, for a spreadsheet: people invited
//! and what they cost, final reached and shared with their confidence
//! intervals, reached per 1000 spent, conversions and ROI, reach in and
//! outside the target, the run-by-run difference to the best strategy,
//! and with a rival its reach, net reach and what one step of delay costs;
//! the share of the network reached, impressions, frequency and the costs
//! per 1000 reached and per 1000 impressions; when some strategy buys its
//! own ads, what each spends on ads and in all and the paid and earned
//! reach. Rows keep scenario order; `best` and `vs_best_*` follow the
//! metric named in `goal` (`[goal] metric`, reached by default).

use super::format::{csv, csv_opt as opt};
use super::{Exporter, OutputFile, Report};
use crate::error::Error;
use crate::model::Metric;

pub struct StrategiesCsv;

/// The columns added when some strategy buys its own ads
/// (`[strategy.ads]`): its ad budget, price and views per run, the ad spend
/// (0 for a strategy without ads), seeding plus ads per run and the mean
/// paid and earned reach.
const AD_COLUMNS: [&str; 9] = [
    "ad_budget",
    "ad_cost_per_view",
    "ad_views",
    "ad_spend_mean",
    "cost_total_mean",
    "cost_total_ci95_low",
    "cost_total_ci95_high",
    "paid_reached_mean",
    "earned_reached_mean",
];

/// The file it writes.
const FILE: &str = "strategies.csv";

impl Exporter for StrategiesCsv {
    fn writes(&self, name: &str) -> bool {
        name == FILE
    }

    fn render(&self, report: &Report) -> Result<Vec<OutputFile>, Error> {
        let fail = |e: csv::Error| Error::Report(format!("cannot encode strategies.csv: {e}"));
        let mut w = csv::Writer::from_writer(Vec::new());
        let buys_ads = super::table::buys_ads(report.results);
        let mut header = vec![
            "strategy",
            "kind",
            "seeds",
            "cost",
            "budget",
            "best",
            "reached_mean",
            "reached_ci95_low",
            "reached_ci95_high",
            "reached_p05",
            "reached_p50",
            "reached_p95",
            "shared_mean",
            "shared_ci95_low",
            "shared_ci95_high",
            "reached_per_1000",
            "reached_share",
            "impressions_mean",
            "impressions_ci95_low",
            "impressions_ci95_high",
            "frequency",
            "cost_per_1000_reached",
            "cost_per_1000_impressions",
            "ad_cost_mean",
            "earned_multiplier_mean",
            "earned_multiplier_ci95_low",
            "earned_multiplier_ci95_high",
            "converted_mean",
            "converted_ci95_low",
            "converted_ci95_high",
            "revenue_mean",
            "roi_mean",
            "roi_ci95_low",
            "roi_ci95_high",
            "reached_in_target_mean",
            "reached_in_target_ci95_low",
            "reached_in_target_ci95_high",
            "reached_outside_target_mean",
            "reached_outside_target_ci95_low",
            "reached_outside_target_ci95_high",
            "wasted_share",
            "goal",
            "vs_best_mean",
            "vs_best_ci95_low",
            "vs_best_ci95_high",
            "rival_reached_mean",
            "rival_reached_ci95_low",
            "rival_reached_ci95_high",
            "rival_shared_mean",
            "net_reached_mean",
            "net_reached_ci95_low",
            "net_reached_ci95_high",
            "delay_cost_mean",
            "delay_cost_ci95_low",
            "delay_cost_ci95_high",
            "delay_cost_net_mean",
            "delay_cost_net_ci95_low",
            "delay_cost_net_ci95_high",
        ];
        if buys_ads {
            header.extend(AD_COLUMNS);
        }
        w.write_record(header).map_err(fail)?;
        let results = report.results;
        for (i, st) in results.strategies.iter().enumerate() {
            let r = st.reached();
            let shared = st.stats.final_of(Metric::Shared);
            let converted = st.stats.final_of(Metric::Converted);
            let inside = st.stats.final_of(Metric::ReachedInTarget);
            let outside = st.stats.final_of(Metric::ReachedOutsideTarget);
            let versus = results.comparison.as_ref().and_then(|c| c.versus_best[i]);
            let rival_reached = st.stats.final_of(Metric::RivalReached);
            let rival_shared = st.stats.final_of(Metric::RivalShared);
            let net = st.rival.map(|r| r.net_reached);
            let delay = st.rival.map(|r| r.delay_cost);
            let delay_net = st.rival.map(|r| r.delay_cost_net);
            let impressions = st.impressions();
            let mut row = vec![
                st.name.clone(),
                st.kind.to_string(),
                csv(st.seeds_per_run),
                csv(st.cost),
                opt(st.budget),
                results
                    .comparison
                    .as_ref()
                    .is_some_and(|c| c.best == i)
                    .to_string(),
                csv(r.mean),
                csv(r.ci95_low),
                csv(r.ci95_high),
                csv(r.p05),
                csv(r.p50),
                csv(r.p95),
                opt(shared.map(|s| s.mean)),
                opt(shared.map(|s| s.ci95_low)),
                opt(shared.map(|s| s.ci95_high)),
                opt(st.reached_per_1000()),
                csv(st.reached_share(results.people)),
                opt(impressions.map(|s| s.mean)),
                opt(impressions.map(|s| s.ci95_low)),
                opt(impressions.map(|s| s.ci95_high)),
                opt(st.frequency()),
                opt(st.cost_per_1000_reached()),
                opt(st.cost_per_1000_impressions()),
                opt(st.paid.map(|p| p.cost.mean)),
                opt(st.paid.map(|p| p.multiplier.mean)),
                opt(st.paid.map(|p| p.multiplier.ci95_low)),
                opt(st.paid.map(|p| p.multiplier.ci95_high)),
                opt(converted.map(|c| c.mean)),
                opt(converted.map(|c| c.ci95_low)),
                opt(converted.map(|c| c.ci95_high)),
                opt(st.money.map(|m| m.revenue.mean)),
                opt(st.money.map(|m| m.roi.mean)),
                opt(st.money.map(|m| m.roi.ci95_low)),
                opt(st.money.map(|m| m.roi.ci95_high)),
                opt(inside.map(|s| s.mean)),
                opt(inside.map(|s| s.ci95_low)),
                opt(inside.map(|s| s.ci95_high)),
                opt(outside.map(|s| s.mean)),
                opt(outside.map(|s| s.ci95_low)),
                opt(outside.map(|s| s.ci95_high)),
                opt(st.wasted_share()),
                results.goal.name().to_string(),
                opt(versus.map(|d| d.mean)),
                opt(versus.map(|d| d.ci95_low)),
                opt(versus.map(|d| d.ci95_high)),
                opt(rival_reached.map(|s| s.mean)),
                opt(rival_reached.map(|s| s.ci95_low)),
                opt(rival_reached.map(|s| s.ci95_high)),
                opt(rival_shared.map(|s| s.mean)),
                opt(net.map(|s| s.mean)),
                opt(net.map(|s| s.ci95_low)),
                opt(net.map(|s| s.ci95_high)),
                opt(delay.map(|s| s.mean)),
                opt(delay.map(|s| s.ci95_low)),
                opt(delay.map(|s| s.ci95_high)),
                opt(delay_net.map(|s| s.mean)),
                opt(delay_net.map(|s| s.ci95_low)),
                opt(delay_net.map(|s| s.ci95_high)),
            ];
            if buys_ads {
                let people = report.prepared.graph.nodes();
                let paid = st.stats.final_of(Metric::PaidReached);
                let earned = st.stats.final_of(Metric::EarnedReached);
                row.extend([
                    opt(st.ads.map(|a| a.budget)),
                    opt(st.ads.map(|a| a.cost_per_view)),
                    opt(st.ads.map(|a| a.views(people) as f64)),
                    csv(st.paid.map_or(0.0, |p| p.cost.mean)),
                    csv(st.cost_total.mean),
                    csv(st.cost_total.ci95_low),
                    csv(st.cost_total.ci95_high),
                    opt(paid.map(|s| s.mean)),
                    opt(earned.map(|s| s.mean)),
                ]);
            }
            w.write_record(row).map_err(fail)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| Error::Report(format!("cannot encode strategies.csv: {e}")))?;
        Ok(vec![OutputFile {
            name: FILE.into(),
            bytes,
        }])
    }
}
