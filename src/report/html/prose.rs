//! The scenario in plain words: the network, the content, trust, the
//! spread model, the runs, each strategy's seeding, the costs, and the
//! conversions, paid ads, rival and target a scenario may have.

use super::{esc, file_name, Section};
use crate::report::format::{amount, money, number, plain, steps};
use crate::report::Report;
use crate::scenario::{
    AdBudget, CostSpec, GeneratorSpec, GraphSource, Scenario, StrategySpec, TimeUnit, TrustSpec,
};

pub(super) fn scenario_section(report: &Report) -> Section {
    let p = report.prepared;
    let s = &p.scenario;
    let unit = s.simulation.step;
    let mut facts: Vec<(&str, String)> = Vec::new();

    let mut network = format!("{}. ", graph_source(s));
    network.push_str(&format!(
        "As simulated: {} people and {} follower arcs ({} followers per person on average).",
        number(p.graph.nodes() as f64, 0),
        number(p.graph.arcs() as f64, 0),
        number(p.graph.mean_degree(), 1)
    ));
    if let Some(c) = &p.cleaning {
        if c.self_loops > 0 || c.duplicates > 0 {
            network.push_str(&format!(
                " Reading the file dropped {} self-loop line(s) and merged {} duplicate edge line(s).",
                number(c.self_loops as f64, 0),
                number(c.duplicates as f64, 0)
            ));
        }
    }
    if let Some(segments) = p.graph.segments() {
        let from = match (&s.segment_file, &s.people_file) {
            (Some(path), _) | (None, Some(path)) => format!("from {}", esc(&file_name(path))),
            (None, None) => "the generator's planted communities".to_string(),
        };
        network.push_str(&format!(
            " People belong to {} segments ({from}).",
            number(segments.len() as f64, 0)
        ));
    }
    facts.push(("Network", network));

    let mut content = format!(
        "Stickiness {}: someone who sees it from a person they fully trust shares it on with a {}% chance.",
        plain(s.stickiness),
        plain(100.0 * s.stickiness)
    );
    if let Some(h) = s.half_life {
        content.push_str(&format!(
            " Its novelty fades: stickiness halves every {}.",
            amount(h, unit)
        ));
    }
    if let Some(r) = s.resonance.as_ref().filter(|r| !r.ours.is_empty()) {
        let listed: Vec<String> = r
            .ours
            .iter()
            .map(|(name, v)| format!("{} in segment \"{}\"", plain(*v), esc(name)))
            .collect();
        content.push_str(&format!(
            " It resonates by segment: a follower's chance to share is their segment's stickiness times trust, {} (other segments {}).",
            listed.join(", "),
            plain(s.stickiness)
        ));
    }
    facts.push(("Content", content));
    if let Some(a) = &s.activity {
        let peak =
            a.online.iter().enumerate().fold(
                (0, -1.0),
                |best, (h, &p)| if p > best.1 { (h, p) } else { best },
            );
        let mean = a.online.iter().sum::<f64>() / a.online.len().max(1) as f64;
        let mut activity = format!(
            "People are online at some {} of a cycle of {}: on average {} of the time, most at {} {} ({}). A share stays in a follower's feed {}, and they see it at the first {} of those they are online, or never; step 0 is {} {} of the cycle.",
            unit.plural(),
            amount(a.period as f64, unit),
            crate::report::format::percent(mean),
            unit.name(),
            peak.0,
            crate::report::format::percent(peak.1.max(0.0)),
            amount(a.visible_for as f64, unit),
            unit.name(),
            unit.name(),
            a.start_hour
        );
        if !a.segments.is_empty() {
            let names: Vec<String> = a
                .segments
                .iter()
                .map(|(n, _)| format!("\"{}\"", esc(n)))
                .collect();
            activity.push_str(&format!(
                " Segments {} keep hours of their own.",
                names.join(", ")
            ));
        }
        facts.push(("Activity", activity));
    }

    let mut trust =
        match s.trust {
            _ if p.cleaning.is_some_and(|c| c.trust_column) => {
                let t = p.graph.trust();
                format!(
                "Each follower arc's trust is as the edge list's trust column gives it (mean {}).",
                number(t.iter().map(|&x| x as f64).sum::<f64>() / t.len().max(1) as f64, 3)
            )
            }
            TrustSpec::Constant { value } => format!(
                "Every follower trusts the people they follow {}.",
                plain(value)
            ),
            TrustSpec::Uniform { low, high } => format!(
                "Each follower arc's trust is drawn uniformly between {} and {} (mean {}).",
                plain(low),
                plain(high),
                plain(s.trust.mean())
            ),
            TrustSpec::Beta { alpha, beta } => format!(
                "Each follower arc's trust is drawn from a Beta({}, {}) distribution (mean {}).",
                plain(alpha),
                plain(beta),
                number(s.trust.mean(), 3)
            ),
        };
    if let Some(f) = s.segment_trust {
        let t = p.graph.trust();
        let mean = t.iter().map(|&x| x as f64).sum::<f64>() / t.len().max(1) as f64;
        trust.push_str(&format!(
            " It is multiplied by {} between people of the same segment and by {} across segments (mean over the arcs: {}).",
            plain(f.same_segment),
            plain(f.other_segment),
            number(mean, 3)
        ));
    }
    trust.push_str(" A share carries trust: the chance to share on is stickiness × trust.");
    facts.push(("Trust", trust));

    let mut model = s.simulation.model.about.to_string();
    if s.rival.is_some() {
        model.push_str(" The rival content spreads the same way, and each person shares at most the one that reaches them first.");
    }
    facts.push(("Model", model));

    facts.push((
        "Runs",
        format!(
            "{} independent runs per strategy{}, each {} long after launch (step 0, when the seeds share); random seed {}: the same scenario and seed give the same figures.",
            number(report.results.runs as f64, 0),
            match &report.results.auto {
                Some(a) if a.capped => format!(
                    " (runs = \"auto\": stopped at max_runs before every strategy's 95% confidence interval was within ±{}% of its mean)",
                    plain(a.ci_half_width * 100.0)
                ),
                Some(a) => format!(
                    " (runs = \"auto\": as many as it took for every strategy's 95% confidence interval to be within ±{}% of its mean)",
                    plain(a.ci_half_width * 100.0)
                ),
                None => String::new(),
            },
            steps(s.simulation.steps, unit),
            s.simulation.seed
        ),
    ));

    let mut list = String::from("<ul class=\"plain\">");
    for spec in &s.strategies {
        let ads = spec
            .ads
            .map(|a| ads_words(&a, p.graph.nodes(), unit))
            .unwrap_or_default();
        list.push_str(&format!(
            "<li><strong>{}</strong>: {}{ads}</li>",
            esc(&spec.name),
            strategy_words(spec)
        ));
    }
    list.push_str("</ul>");
    facts.push(("Strategies", list));

    facts.push(("Costs", costs_words(&s.costs)));

    if let Some(c) = s.conversion {
        facts.push((
            "Conversions",
            format!(
                "A reached person who did not share converts with a {}% chance, one who shared with a {}% chance; each conversion is worth {}.",
                plain(100.0 * c.rate),
                plain(100.0 * c.rate_if_shared),
                money(c.value)
            ),
        ));
    }
    if let Some(ads) = s.paid {
        facts.push((
            "Paid ads",
            format!(
                "From {} {} to {} {}, each {} {}% of everyone sees an ad; an ad viewer shares it with a {}% chance; each view costs {}.",
                unit.name(),
                ads.from_step,
                unit.name(),
                ads.to_step,
                unit.name(),
                plain(100.0 * ads.reach_per_step),
                plain(100.0 * ads.stickiness),
                plain(ads.cost_per_view)
            ) + if s.buys_ads() {
                " These ads run for the strategies without ads of their own."
            } else {
                ""
            },
        ));
    }
    if let Some(rival) = &s.rival {
        facts.push((
            "Rival",
            format!(
                "<strong>{}</strong> (stickiness {}) starts spreading at {} {}, seeded with {}.",
                esc(&rival.seeding.name),
                plain(rival.stickiness),
                unit.name(),
                rival.start_step,
                strategy_words(&rival.seeding)
            ),
        ));
    }
    if let Some(target) = &s.target {
        let people = match (&p.target, p.graph.segments()) {
            (Some(mask), Some(segments)) => mask
                .iter()
                .zip(segments.sizes())
                .filter(|(&m, _)| m)
                .map(|(_, n)| n as u64)
                .sum(),
            _ => 0,
        };
        facts.push((
            "Target audience",
            format!(
                "Segments {} ({} people); reach outside them counts as wasted.",
                esc(&target.segments.join(", ")),
                number(people as f64, 0)
            ),
        ));
    }

    let mut body = String::from("<dl class=\"facts\">\n");
    for (term, text) in facts {
        body.push_str(&format!("<dt>{term}</dt>\n<dd>{text}</dd>\n"));
    }
    body.push_str("</dl>\n");
    Section {
        id: "scenario",
        title: "The scenario".into(),
        body,
    }
}

/// Where the graph comes from, in words (HTML).
fn graph_source(s: &Scenario) -> String {
    match &s.graph {
        GraphSource::Generated { spec, seed } => {
            let what = match *spec {
                GeneratorSpec::ErdosRenyi { nodes, mean_degree } => format!(
                    "A random network (Erdős–Rényi) of {} people, each linked to {} others on average",
                    number(nodes as f64, 0),
                    plain(mean_degree)
                ),
                GeneratorSpec::BarabasiAlbert {
                    nodes,
                    edges_per_node,
                } => format!(
                    "A network with hubs (Barabási–Albert preferential attachment) of {} people, each newcomer linking to {} people, well-connected ones more likely",
                    number(nodes as f64, 0),
                    edges_per_node
                ),
                GeneratorSpec::WattsStrogatz {
                    nodes,
                    neighbors,
                    rewire,
                } => format!(
                    "A small world (Watts–Strogatz) of {} people, each linked to their {} nearest neighbours, {}% of links rewired at random",
                    number(nodes as f64, 0),
                    neighbors,
                    plain(100.0 * rewire)
                ),
                GeneratorSpec::StochasticBlock {
                    communities,
                    community_size,
                    mean_degree_in,
                    mean_degree_out,
                } => format!(
                    "{} communities of {} people each (stochastic block model), everyone linked to {} people of their own community and {} of others on average",
                    communities,
                    number(community_size as f64, 0),
                    plain(mean_degree_in),
                    plain(mean_degree_out)
                ),
                GeneratorSpec::Powerlaw {
                    nodes,
                    exponent,
                    mean_degree,
                } => format!(
                    "A network with power-law degrees (Chung–Lu, exponent {}) of {} people, {} links each on average",
                    plain(exponent),
                    number(nodes as f64, 0),
                    plain(mean_degree)
                ),
                GeneratorSpec::HolmeKim {
                    nodes,
                    edges_per_node,
                    triangle_prob,
                } => format!(
                    "A network with hubs and circles of friends (Holme–Kim) of {} people, each newcomer linking to {} people and closing a triangle after each link with a {}% chance",
                    number(nodes as f64, 0),
                    edges_per_node,
                    plain(100.0 * triangle_prob)
                ),
            };
            format!("{what}; generated with seed {seed}, every follow mutual")
        }
        GraphSource::EdgeList { path, directed } => format!(
            "Read from the edge list {}{}",
            esc(&file_name(path)),
            if *directed {
                " (directed: each line is one follow)"
            } else {
                " (each line is a mutual follow)"
            }
        ),
    }
}

/// How a strategy (or the rival) picks its seeds, in words (HTML).
fn strategy_words(spec: &StrategySpec) -> String {
    let mut text = spec.strategy.describe(&ReportWords);
    if let Some(segments) = &spec.segments {
        text.push_str(&format!(
            "; seeded only from segments {}",
            esc(&segments.join(", "))
        ));
    }
    text
}

/// A strategy's own ads, after its seeds: what the budget buys and when.
fn ads_words(a: &AdBudget, people: u32, unit: TimeUnit) -> String {
    let views = a.views(people);
    let window = a.window() as u64;
    let per_step = if views.is_multiple_of(window) {
        format!(
            "{} each {}",
            number((views / window) as f64, 0),
            unit.name()
        )
    } else {
        format!(
            "{} to {} each {}",
            number((views / window) as f64, 0),
            number((views / window + 1) as f64, 0),
            unit.name()
        )
    };
    format!(
        "; plus its own ads: a budget of {} buys {} views at {} each ({} spent), shown to {per_step} (distinct people drawn at random) from {} {} to {} {}; an ad viewer shares it with a {}% chance",
        money(a.budget),
        number(views as f64, 0),
        plain(a.cost_per_view),
        money(a.spend(people)),
        unit.name(),
        a.from_step,
        unit.name(),
        a.to_step,
        plain(100.0 * a.stickiness)
    )
}

/// Numbers in a strategy's description, written as the rest of the page.
struct ReportWords;

impl crate::strategy::Words for ReportWords {
    fn count(&self, n: u64) -> String {
        number(n as f64, 0)
    }
    fn money(&self, x: f64) -> String {
        money(x)
    }
    fn plain(&self, x: f64) -> String {
        plain(x)
    }
}

fn costs_words(c: &CostSpec) -> String {
    if *c == CostSpec::default() {
        return "Every invitation costs 1 (no [costs] table), so cost counts the people invited."
            .into();
    }
    let mut text = match &c.file {
        Some(path) => format!(
            "Seeding costs per person from {} (the formula {} + {} per follower for anyone not listed).",
            esc(&file_name(path)),
            plain(c.base),
            plain(c.per_follower)
        ),
        None if c.per_follower == 0.0 => format!("Seeding anyone costs {}.", plain(c.base)),
        None if c.exponent == 1.0 => format!(
            "Seeding a person costs {} + {} per follower.",
            plain(c.base),
            plain(c.per_follower)
        ),
        None => format!(
            "Seeding a person costs {} + {} × followers^{}.",
            plain(c.base),
            plain(c.per_follower),
            plain(c.exponent)
        ),
    };
    if c.acceptance < 1.0 {
        text.push_str(&format!(
            " An invited person really posts with a {}% chance, decided afresh in every run.",
            plain(100.0 * c.acceptance)
        ));
    }
    text
}
