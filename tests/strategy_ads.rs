//! A strategy's own ads (`[strategy.ads]`): the budget buys whole views and
//! never more, each step shows its views to that many distinct people, so
//! ads alone reach exactly people x (1 - prod (1 - v_t / people)) on
//! average; the table, report and files show the spend, paid and earned
//! reach; bad keys are refused naming `strategy[i].ads.<key>`.

mod common;

use common::{parse, simulate, small_scenario, viralsim, write};
use viralsim::model::Metric;
use viralsim::pipeline::{Results, StrategyResult};

const PEOPLE: u32 = 1000;

/// Ads alone (nobody seeded, no word of mouth unless `stickiness`) and a
/// second strategy `other`, on an Erdős–Rényi graph of [`PEOPLE`] people.
fn scenario(stickiness: f64, runs: u32, ads: &str, other: &str) -> String {
    format!(
        r#"version = 1
[graph]
generator = "erdos-renyi"
nodes = {PEOPLE}
mean_degree = 6
seed = 2
[content]
stickiness = {stickiness}
[simulation]
runs = {runs}
steps = 12
seed = 17
[[strategy]]
name = "ads"
kind = "random"
count = 0
[strategy.ads]
{ads}
{other}"#
    )
}

fn finals(st: &StrategyResult, m: Metric) -> Vec<f64> {
    st.stats.final_values_of(m).unwrap().to_vec()
}

fn mean_curve(st: &StrategyResult, m: Metric) -> Vec<f64> {
    st.stats
        .curves
        .iter()
        .find(|c| c.metric == m)
        .unwrap()
        .mean
        .clone()
}

#[test]
fn spend_is_views_times_price_and_never_exceeds_the_budget_in_any_run() {
    // (budget, price, from, to, views bought, views per step of the window)
    type Case<'a> = (f64, f64, u32, u32, f64, &'a [f64]);
    let cases: [Case; 4] = [
        // Divides evenly: 400 views, 80 a step.
        (1000.0, 2.5, 3, 7, 400.0, &[80.0; 5]),
        // Leaves money over: 333 views, the first step one more.
        (1000.0, 3.0, 2, 5, 333.0, &[84.0, 83.0, 83.0, 83.0]),
        // A quotient just below a whole number: 0.7 / 0.1 buys 6 views.
        (0.7, 0.1, 1, 4, 6.0, &[2.0, 2.0, 1.0, 1.0]),
        // More money than views to buy: everyone in each of 2 steps.
        (1e9, 1.0, 11, 12, 2.0 * PEOPLE as f64, &[PEOPLE as f64; 2]),
    ];
    for (budget, price, from, to, views, per_step) in cases {
        let ads = format!(
            "budget = {budget}\ncost_per_view = {price}\nfrom_step = {from}\nto_step = {to}"
        );
        let results = simulate(&scenario(0.1, 40, &ads, ""));
        let st = &results.strategies[0];
        for (r, v) in finals(st, Metric::AdViews).iter().enumerate() {
            assert_eq!(*v, views, "run {r} of {budget} at {price}");
            assert!(v * price <= budget, "run {r} overspends");
        }
        let spend = st.paid.unwrap().cost;
        // The same spend in every run (the mean of equal values only to
        // rounding).
        assert_eq!((spend.p05, spend.p95), (views * price, views * price));
        assert!((spend.mean - views * price).abs() <= 1e-12 * views * price);
        assert!(spend.p95 <= budget);
        assert_eq!(st.cost, 0.0, "nobody seeded");
        assert_eq!(st.cost_total.p95, views * price);
        // Views per step: the cumulative curve grows by the step's share.
        let curve = mean_curve(st, Metric::AdViews);
        let shown: Vec<f64> = (from..=to)
            .map(|t| curve[t as usize] - curve[t as usize - 1])
            .collect();
        assert_eq!(shown, per_step, "{budget} at {price}");
        assert_eq!(curve[from as usize - 1], 0.0);
    }
}

#[test]
fn ads_alone_reach_exactly_one_minus_the_chance_of_missing_every_step() {
    // 2003 views over steps 3 to 7: 401, 401, 401, 400, 400 distinct people
    // per step, drawn afresh each step. A person misses step t with
    // probability 1 - v_t / n, independently across steps.
    let runs = 3000u32;
    let ads = "budget = 2003\ncost_per_view = 1\nfrom_step = 3\nto_step = 7";
    let results = simulate(&scenario(0.0, runs, ads, ""));
    let st = &results.strategies[0];
    let n = PEOPLE as f64;
    let per_step = [0.0, 0.0, 0.0, 401.0, 401.0, 401.0, 400.0, 400.0];
    let reached = mean_curve(st, Metric::Reached);
    for (step, &got) in reached.iter().enumerate() {
        let missed: f64 = per_step
            .iter()
            .take(step + 1)
            .map(|v| 1.0 - v / n)
            .product();
        let q = 1.0 - missed;
        // Draws without replacement make people's reach negatively
        // correlated: the binomial standard error bounds the true one.
        let se = (n * q * (1.0 - q) / runs as f64).sqrt();
        assert!(
            (got - n * q).abs() <= 5.0 * se + 1e-9,
            "step {step}: {got} vs {}",
            n * q
        );
    }
    assert_eq!(
        mean_curve(st, Metric::PaidReached),
        reached,
        "all reach is paid"
    );
    assert!(finals(st, Metric::EarnedReached).iter().all(|&e| e == 0.0));
}

#[test]
fn strategies_with_the_same_ads_show_them_to_the_same_people() {
    // Common random numbers: run r of two strategies with the same ads and
    // no seeds is the same run.
    let ads = "budget = 500\ncost_per_view = 1\nstickiness = 0.3";
    let other = format!("[[strategy]]\nname = \"same ads\"\nkind = \"top-degree\"\ncount = 0\n[strategy.ads]\n{ads}\n");
    let results = simulate(&scenario(0.1, 50, ads, &other));
    let (a, b) = (&results.strategies[0], &results.strategies[1]);
    for m in [Metric::Reached, Metric::Shared, Metric::PaidReached] {
        assert_eq!(finals(a, m), finals(b, m), "{m:?}");
    }
}

#[test]
fn a_larger_ad_budget_reaches_everyone_a_smaller_one_does_in_every_run() {
    // Under one (seed, run, step) the viewers of a larger count begin with
    // those of a smaller: budgets are compared on the same people.
    let other = "[[strategy]]\nname = \"more\"\nkind = \"random\"\ncount = 0\n[strategy.ads]\nbudget = 900\ncost_per_view = 1\n";
    let results = simulate(&scenario(
        0.0,
        100,
        "budget = 250\ncost_per_view = 1",
        other,
    ));
    let (less, more) = (&results.strategies[0], &results.strategies[1]);
    let (less, more) = (finals(less, Metric::Reached), finals(more, Metric::Reached));
    for (r, (a, b)) in less.iter().zip(&more).enumerate() {
        assert!(a <= b, "run {r}: {a} > {b}");
    }
    assert!(less.iter().sum::<f64>() < more.iter().sum::<f64>());
}

#[test]
fn reach_splits_into_seeded_paid_and_earned_and_strategies_without_ads_spend_nothing_on_them() {
    let runs = 200u32;
    let ads = "budget = 300\ncost_per_view = 1\nstickiness = 0.2";
    let other = "[[strategy]]\nname = \"seeds only\"\nkind = \"top-degree\"\ncount = 5\n";
    let results = simulate(&scenario(0.12, runs, ads, other));
    for (st, seeds) in results.strategies.iter().zip([0.0, 5.0]) {
        let (reached, paid, earned) = (
            finals(st, Metric::Reached),
            finals(st, Metric::PaidReached),
            finals(st, Metric::EarnedReached),
        );
        for r in 0..runs as usize {
            assert_eq!(
                seeds + paid[r] + earned[r],
                reached[r],
                "{} run {r}",
                st.name
            );
        }
    }
    let (ads, seeds) = (&results.strategies[0], &results.strategies[1]);
    assert!(finals(ads, Metric::EarnedReached).iter().sum::<f64>() > 0.0);
    assert!(ads.paid.unwrap().multiplier.mean > 1.0);
    // The strategy without ads records the ad rows, all zero.
    assert!(finals(seeds, Metric::AdViews).iter().all(|&v| v == 0.0));
    assert!(finals(seeds, Metric::PaidReached).iter().all(|&v| v == 0.0));
    assert_eq!(seeds.paid.unwrap().cost.mean, 0.0);
    assert_eq!(seeds.ads, None);
    assert_eq!(seeds.cost_total.mean, 5.0, "five people at 1 each");
    let per_1000 = ads.cost_per_1000_reached().unwrap();
    assert!((per_1000 - 1000.0 * 300.0 / ads.reached().mean).abs() < 1e-9);
}

#[test]
fn strategy_ads_default_from_paid_which_still_runs_for_the_others() {
    let paid = "[paid]\nreach_per_step = 0.05\nfrom_step = 2\nto_step = 6\nstickiness = 0.1\ncost_per_view = 0.5\n";
    let other = format!("[[strategy]]\nname = \"paid\"\nkind = \"top-degree\"\ncount = 0\n{paid}");
    let text = scenario(0.0, 400, "budget = 100", &other);
    let s = parse(&text);
    let own = s.strategies[0].ads.unwrap();
    assert_eq!(
        (
            own.from_step,
            own.to_step,
            own.stickiness,
            own.cost_per_view
        ),
        (2, 6, 0.1, 0.5)
    );
    assert_eq!(s.strategies[1].ads, None);
    let results = simulate(&text);
    let (own, paid) = (&results.strategies[0], &results.strategies[1]);
    // 200 views, 40 a step, against [paid]'s 5% of everyone a step (50).
    assert!(finals(own, Metric::AdViews).iter().all(|&v| v == 200.0));
    let views = finals(paid, Metric::AdViews);
    let mean = views.iter().sum::<f64>() / views.len() as f64;
    let se = (5.0 * PEOPLE as f64 * 0.05 * 0.95 / views.len() as f64).sqrt();
    assert!((mean - 250.0).abs() < 5.0 * se, "{mean}");
    assert!((paid.paid.unwrap().cost.mean - 0.5 * mean).abs() < 1e-9);
}

/// Whether `text` prints a negative zero ("-0", "-0.0", "-0.00").
fn has_negative_zero(text: &str) -> bool {
    text.match_indices("-0").any(|(i, _)| {
        let before = text[..i].chars().last();
        let number: String = text[i + 1..]
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
            .collect();
        let number = number.trim_end_matches(['.', ',']);
        !before.is_some_and(|c| c.is_ascii_alphanumeric())
            && number.chars().all(|c| c == '0' || c == '.' || c == ',')
    })
}

#[test]
fn negative_zero_is_spotted() {
    assert!(has_negative_zero("ROI -0.0%") && has_negative_zero("[-0 - 3]"));
    assert!(!has_negative_zero("-0.5") && !has_negative_zero("5 - 0") && !has_negative_zero("a-0"));
}

#[test]
fn all_on_ads_all_on_influencers_and_half_and_half_in_one_table() {
    let dir = tempfile::tempdir().unwrap();
    let text = r#"version = 1
name = "split"
[graph]
generator = "holme-kim"
nodes = 2000
edges_per_node = 3
triangle_prob = 0.5
seed = 8
[content]
stickiness = 0.08
[costs]
base = 100
per_follower = 1
[conversion]
rate = 0.01
value = 30
[simulation]
runs = 60
steps = 15
seed = 4
[[strategy]]
name = "all on ads"
kind = "random"
count = 0
[strategy.ads]
budget = 5000
cost_per_view = 2
to_step = 10
[[strategy]]
name = "all on influencers"
kind = "top-degree"
budget = 5000
[[strategy]]
name = "half and half"
kind = "top-degree"
budget = 2500
[strategy.ads]
budget = 2500
cost_per_view = 2
to_step = 10
[[strategy]]
name = "nothing"
kind = "random"
count = 0
"#;
    let path = write(dir.path(), "split.toml", text);
    let out = dir.path().join("out");
    // Wide enough for every column.
    let output = viralsim()
        .env("COLUMNS", "400")
        .args(["run", "--threads", "2"])
        .arg(&path)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success());
    let table = String::from_utf8_lossy(&output.stdout);
    for column in [
        "paid reached",
        "earned reached",
        "earned multiplier",
        "cost per 1,000 reached",
    ] {
        assert!(table.contains(column), "no `{column}` in\n{table}");
    }
    let line = |name: &str| {
        table
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("no row {name}"))
            .to_string()
    };
    assert!(line("all on ads").contains("ads 5,000 of 5,000"));
    assert!(line("half and half").contains(" of 2,500 + ads 2,500 of 2,500"));
    // A strategy that spends nothing says so, not "0".
    let nothing = line("nothing");
    assert!(nothing.contains(" - "), "{nothing}");
    let html = std::fs::read_to_string(out.join("split/report.html")).unwrap();
    let svg = std::fs::read_to_string(out.join("split/strategies.svg")).unwrap();
    for (file, text) in [
        ("table", &*table),
        ("report.html", &html),
        ("strategies.svg", &svg),
    ] {
        assert!(!has_negative_zero(text), "{file} prints a negative zero");
        assert!(
            !text.contains("cost 0<") && !text.contains("cost 0\n") && !text.contains("cost 0,"),
            "{file} says cost 0"
        );
    }
    for column in [
        "paid reached",
        "earned multiplier",
        "cost per 1,000 reached",
    ] {
        assert!(html.contains(column), "report.html lacks {column}");
    }
    assert!(html.contains("plus its own ads: a budget of 5,000 buys 2,500 views"));
    let csv = std::fs::read_to_string(out.join("split/strategies.csv")).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    for column in [
        "ad_budget",
        "ad_views",
        "ad_spend_mean",
        "cost_total_mean",
        "cost_per_1000_reached",
    ] {
        assert!(header.contains(&column), "strategies.csv lacks {column}");
    }
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("split/summary.json")).unwrap())
            .unwrap();
    let ads = &summary["strategies"][0]["ads"];
    assert_eq!(
        (ads["views"].as_u64(), ads["spend"].as_f64()),
        (Some(2500), Some(5000.0))
    );
    assert_eq!(summary["strategies"][1]["ads"], serde_json::Value::Null);
}

#[test]
fn outputs_with_strategy_ads_do_not_depend_on_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let text = small_scenario(
        Some("ads-threads"),
        "[strategy.ads]\nbudget = 400\ncost_per_view = 1\nstickiness = 0.1\nfrom_step = 2\n",
    );
    let path = write(dir.path(), "s.toml", &text);
    common::assert_same_outputs_on_one_and_two_threads(dir.path(), &path, "ads-threads");
}

#[test]
fn bad_strategy_ads_keys_are_refused_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "budget = 10\ncost_per_view = 1\ncolour = 2",
            "strategy[1].ads.colour: unknown key `colour`",
        ),
        (
            "budget = 0\ncost_per_view = 1",
            "strategy[1].ads.budget: 0 is out of range",
        ),
        (
            "budget = -5\ncost_per_view = 1",
            "strategy[1].ads.budget: -5 is out of range",
        ),
        (
            "budget = 10\ncost_per_view = 0",
            "strategy[1].ads.cost_per_view: 0 is out of range",
        ),
        (
            "budget = 10\ncost_per_view = -1",
            "strategy[1].ads.cost_per_view: -1 is out of range",
        ),
        (
            "budget = 10",
            "strategy[1].ads: strategy ads need `cost_per_view`",
        ),
        (
            "cost_per_view = 1",
            "strategy[1].ads: strategy ads need `budget`",
        ),
        (
            "budget = 10\ncost_per_view = 1\nfrom_step = 0",
            "strategy[1].ads.from_step: 0 is out of range",
        ),
        (
            "budget = 10\ncost_per_view = 1\nto_step = 11",
            "strategy[1].ads.to_step: 11 is out of range",
        ),
        (
            "budget = 10\ncost_per_view = 1\nfrom_step = 5\nto_step = 4",
            "strategy[1].ads.to_step: 4 is out of range",
        ),
        (
            "budget = 10\ncost_per_view = 1\nstickiness = 2",
            "strategy[1].ads.stickiness: 2 is not a probability",
        ),
        (
            "budget = \"lots\"\ncost_per_view = 1",
            "strategy[1].ads.budget: expected a number",
        ),
    ];
    for (i, (keys, expected)) in cases.iter().enumerate() {
        let text = small_scenario(None, &format!("[strategy.ads]\n{keys}\n"));
        let path = write(dir.path(), &format!("bad{i}.toml"), &text);
        let output = viralsim().arg("validate").arg(&path).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{keys}: {stderr}");
        assert!(
            stderr.contains(expected),
            "{keys}: expected {expected}, got {stderr}"
        );
    }
}

#[test]
fn models_and_strategies_that_cannot_take_ads_refuse_them_by_key() {
    let dir = tempfile::tempdir().unwrap();
    let ads = "[strategy.ads]\nbudget = 10\ncost_per_view = 1\n";
    // The linear threshold has no ads.
    let text = small_scenario(None, ads).replace(
        "[simulation]\n",
        "[simulation]\nmodel = \"linear-threshold\"\n",
    );
    let path = write(dir.path(), "lt.toml", &text);
    let output = viralsim().arg("validate").arg(&path).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("strategy[1].ads: ads work with model = \"independent-cascade\""),
        "{stderr}"
    );
    // imm cannot weigh seeds against ads.
    let text = small_scenario(None, ads).replace("kind = \"top-degree\"", "kind = \"imm\"");
    let path = write(dir.path(), "imm.toml", &text);
    let (code, stderr) = common::run_into(&path, &dir.path().join("out"), &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("strategy[1].ads: imm cannot weigh seeds"),
        "{stderr}"
    );
    // The rival buys no ads.
    let text = small_scenario(
        None,
        "[rival]\nstickiness = 0.1\nkind = \"random\"\ncount = 2\n[rival.ads]\nbudget = 10\n",
    );
    let path = write(dir.path(), "rival.toml", &text);
    let output = viralsim().arg("validate").arg(&path).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("rival.ads: unknown key `ads`"), "{stderr}");
}

#[test]
fn celf_chooses_with_the_strategys_ads_running() {
    // celf weighs its seeds with the strategy's own ads running beside
    // them (imm refuses them); its runs carry the ads.
    let text = scenario(
        0.1,
        20,
        "budget = 100\ncost_per_view = 1",
        "[[strategy]]\nname = \"celf\"\nkind = \"celf\"\ncount = 2\nruns = 20\n[strategy.ads]\nbudget = 100\ncost_per_view = 1\n",
    );
    let results: Results = simulate(&text);
    let celf = &results.strategies[1];
    assert!(finals(celf, Metric::AdViews).iter().all(|&v| v == 100.0));
    assert_eq!(celf.seeds.as_ref().map(|s| s.len()), Some(2));
}

#[test]
fn a_sweep_varies_a_strategys_ad_budget() {
    let dir = tempfile::tempdir().unwrap();
    let text = scenario(0.05, 20, "budget = 100\ncost_per_view = 1", "")
        + "[sweep]\n\"strategy[0].ads.budget\" = [100, 400]\n";
    let path = write(dir.path(), "sweep.toml", &text);
    let (code, stderr) = common::run_into(&path, &dir.path().join("out"), &[]);
    assert_eq!(code, Some(0), "{stderr}");
    let csv = std::fs::read_to_string(dir.path().join("out/sweep/sweep.csv")).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let views: Vec<f64> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|f| f[col("metric")] == "ad_views")
        .map(|f| f[col("mean")].parse().unwrap())
        .collect();
    assert_eq!(views, [100.0, 400.0]);
    // The cost column counts the ad spend: views x price (nobody seeded).
    let costs: Vec<f64> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|f| f[col("metric")] == "ad_views")
        .map(|f| f[col("cost")].parse().unwrap())
        .collect();
    assert_eq!(costs, [100.0, 400.0]);
}
