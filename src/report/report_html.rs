//! `report.html`: the whole run in one page for a campaign planner: the
//! scenario in plain words, the strategy table with the best marked, every
//! chart the scenario records (inline SVG, whatever `[output] formats`
//! says), with a `[sweep]` its charts and tipping points, the graph's
//! statistics and thresholds, and a run manifest.
//!
//! The page is self-contained: inline CSS, inline SVG, no script and no
//! reference to anything outside the file, so it opens offline, prints, and
//! can be mailed as one attachment.
//!
//! The page is built from [`Section`]s (see [`sections`]); a new part of
//! the report is one function returning a `Section` plus one line there.
//!
//! Reproducibility: everything but the manifest's thread count and wall
//! time is byte-identical for the same scenario and seed, whatever the
//! thread count. Those two rows are the only lines that carry the
//! `data-run-specific` attribute (each such row is one line), so a
//! comparison can mask them; run.json keeps the same facts.

use std::path::Path;

use super::figure::figures;
use super::format::{amount, money, number, plain, steps};
use super::graph_summary::{self, Regime};
use super::run_json::fingerprint_hex;
use super::sweep_chart;
use super::table;
use super::{Exporter, OutputFile, Report, RunInfo};
use crate::error::Error;
use crate::graph::analysis::GraphAnalysis;
use crate::scenario::{
    ChartFormat, CostSpec, GeneratorSpec, GraphSource, Limit, ModelKind, Scenario, StrategyKind,
    StrategySpec, TrustSpec,
};
use crate::sweep::SweepResults;

/// The file's name in the output folder.
pub(super) const FILE_NAME: &str = "report.html";

/// The attribute marking the rows that change from run to run.
pub const RUN_SPECIFIC: &str = "data-run-specific";

pub struct ReportHtml {
    /// The process that made the results, for the manifest.
    pub run: RunInfo,
}

impl Exporter for ReportHtml {
    fn render(&self, report: &Report) -> Result<Vec<OutputFile>, Error> {
        let sections = sections(report, &self.run)?;
        Ok(vec![OutputFile {
            name: FILE_NAME.into(),
            bytes: page(report, &sections).into_bytes(),
        }])
    }
}

/// One part of the report: a heading and what follows it.
pub struct Section {
    /// The anchor the table of contents links to (letters and '-').
    pub id: &'static str,
    /// The heading, plain text (escaped when written).
    pub title: String,
    /// The body, HTML.
    pub body: String,
}

/// The report's sections, in order.
fn sections(report: &Report, run: &RunInfo) -> Result<Vec<Section>, Error> {
    let graph = &report.prepared.graph;
    let stats = (graph.arcs() <= STATS_MAX_ARCS).then(|| GraphAnalysis::of(graph));
    let mut list = vec![
        scenario_section(report),
        strategies_section(report),
        charts_section(report)?,
    ];
    if let Some(sweep) = report.sweep {
        list.push(sweep_section(sweep)?);
    }
    list.push(match &stats {
        Some(stats) => graph_section(report, stats),
        None => large_graph_section(report),
    });
    list.push(manifest_section(report, run));
    Ok(list)
}

/// The whole page around the sections.
fn page(report: &Report, sections: &[Section]) -> String {
    let s = &report.prepared.scenario;
    let mut out = String::with_capacity(256 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!(
        "<meta name=\"generator\" content=\"viralsim {}\">\n",
        env!("CARGO_PKG_VERSION")
    ));
    out.push_str(&format!(
        "<title>{}: word-of-mouth simulation report</title>\n",
        esc(&s.name)
    ));
    out.push_str("<style>\n");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n<main>\n<header>\n");
    out.push_str(&format!("<h1>{}</h1>\n", esc(&s.name)));
    out.push_str(&format!(
        "<p class=\"lede\">Word-of-mouth simulation report: {} seeding {} compared over {} runs of {}.</p>\n",
        report.results.strategies.len(),
        if report.results.strategies.len() == 1 {
            "strategy"
        } else {
            "strategies"
        },
        number(report.results.runs as f64, 0),
        steps(s.simulation.steps, s.simulation.step)
    ));
    if let Some(finding) = finding(report) {
        out.push_str(&format!("<p class=\"finding\">{finding}</p>\n"));
    }
    out.push_str("</header>\n<nav aria-label=\"Contents\">\n<ol>\n");
    for section in sections {
        out.push_str(&format!(
            "<li><a href=\"#{}\">{}</a></li>\n",
            section.id,
            esc(&section.title)
        ));
    }
    out.push_str("</ol>\n</nav>\n");
    for section in sections {
        out.push_str(&format!(
            "<section id=\"{}\">\n<h2>{}</h2>\n",
            section.id,
            esc(&section.title)
        ));
        out.push_str(&section.body);
        out.push_str("</section>\n");
    }
    out.push_str(&format!(
        "<footer>Made by viralsim {}.</footer>\n</main>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    ));
    out
}

/// The headline: the best strategy's reach, and how far ahead of the
/// runner-up it is.
fn finding(report: &Report) -> Option<String> {
    let results = report.results;
    let runs = report.results.runs;
    let best = match &results.comparison {
        Some(c) => &results.strategies[c.best],
        None => results.strategies.first()?,
    };
    let r = best.reached();
    let mut text = format!(
        "<strong>{}</strong> reaches {}: {} on average (95% CI {} to {})",
        esc(&best.name),
        if results.comparison.is_some() {
            "the most people"
        } else {
            "people"
        },
        number(r.mean, 1),
        number(r.ci95_low, 1),
        number(r.ci95_high, 1)
    );
    match &results.comparison {
        Some(c) => {
            let d = &c.reached_difference;
            text.push_str(&format!(
                ", {} more than <strong>{}</strong> (95% CI {} to {}, paired over {} runs): {}.",
                number(d.mean, 1),
                esc(&results.strategies[c.runner_up].name),
                number(d.ci95_low, 1),
                number(d.ci95_high, 1),
                number(runs as f64, 0),
                table::difference_words(d)
            ));
        }
        None => text.push('.'),
    }
    Some(text)
}

// ---------------------------------------------------------------------------
// The scenario in plain words.

fn scenario_section(report: &Report) -> Section {
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
        let from = match &s.segment_file {
            Some(path) => format!("from {}", esc(&file_name(path))),
            None => "the generator's planted communities".to_string(),
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
    facts.push(("Content", content));

    let mut trust = match s.trust {
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

    let mut model = match s.simulation.model {
        ModelKind::IndependentCascade => "Independent cascade: everyone who shares gives each follower one chance, stickiness × trust, to share it on; a person shares at most once.".to_string(),
        ModelKind::LinearThreshold => "Linear threshold (content that needs several friends): a person shares once stickiness times the trust-weighted share of the people they follow who shared reaches their own threshold, drawn afresh in every run.".to_string(),
    };
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
        list.push_str(&format!(
            "<li><strong>{}</strong>: {}</li>",
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
            ),
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
    let how = |limit: Limit, what: String| match limit {
        Limit::Count(0) => "nobody".to_string(),
        Limit::Count(1) => format!("1 person: {what}"),
        Limit::Count(n) => format!("{} people: {what}", number(n as f64, 0)),
        Limit::Budget(b) => format!("a budget of {}: {what}", money(b)),
    };
    let mut text = match &spec.kind {
        StrategyKind::Random { limit } => how(*limit, "drawn at random afresh in every run".into()),
        StrategyKind::TopDegree { limit } => how(
            *limit,
            "the people with the most followers (top influencers)".into(),
        ),
        StrategyKind::Explicit { nodes } => {
            let shown: Vec<String> = nodes.iter().take(12).map(|id| id.to_string()).collect();
            let more = if nodes.len() > 12 {
                format!(" and {} more", number((nodes.len() - 12) as f64, 0))
            } else {
                String::new()
            };
            format!(
                "the {} listed by id: {}{more}",
                if nodes.len() == 1 { "person" } else { "people" },
                shown.join(", ")
            )
        }
        StrategyKind::DegreeDiscount { limit } => how(
            *limit,
            "the people with the most followers not already covered by other seeds (degree discount)"
                .into(),
        ),
        StrategyKind::PageRank { limit, damping } => how(
            *limit,
            format!(
                "the people with the highest PageRank (damping {})",
                plain(*damping)
            ),
        ),
        StrategyKind::Coreness { limit } => how(
            *limit,
            "the people deepest in the network's dense core (k-shell), no two of them linked".into(),
        ),
        StrategyKind::CommunitySpread { limit } => how(
            *limit,
            "the best-connected people of each community in turn (micro-influencers)".into(),
        ),
        StrategyKind::Celf { limit, runs } => how(
            *limit,
            format!(
                "chosen greedily on simulated reach (CELF, {} runs per estimate)",
                number(*runs as f64, 0)
            ),
        ),
        StrategyKind::Imm { limit, epsilon, .. } => how(
            *limit,
            format!(
                "chosen to reach close to the most possible (IMM: within a factor 1 - 1/e - {} of the best, with high probability)",
                plain(*epsilon)
            ),
        ),
    };
    if let Some(segments) = &spec.segments {
        text.push_str(&format!(
            "; seeded only from segments {}",
            esc(&segments.join(", "))
        ));
    }
    text
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

// ---------------------------------------------------------------------------
// The strategy table.

fn strategies_section(report: &Report) -> Section {
    let results = report.results;
    let s = &report.prepared.scenario;
    let cells = table::cells(results);
    let mut body = format!(
        "<p>Each row is one seeding strategy, over {} runs. Brackets hold the 95% confidence interval of the mean; p05-p95 is the range of a bad to a good campaign (5th to 95th percentile of the runs). “vs best” is the run-by-run difference to the best strategy: every strategy's run r sees the same chances, so the difference is measured with far less noise than the two means.</p>\n",
        number(report.results.runs as f64, 0)
    );
    let width = cells.header.len();
    // The columns every scenario has, then those of [conversion], [target]
    // and [rival] in a table of their own, so that neither grows too wide.
    let mut core: Vec<usize> = (1..table::CORE_COLUMNS.min(width)).collect();
    core.push(width - 1);
    let extra: Vec<usize> = (table::CORE_COLUMNS..width - 1).collect();
    body.push_str(&strategy_table(&cells, &core, "Reach and cost"));
    if !extra.is_empty() {
        let mut columns = vec![1];
        columns.extend(extra);
        body.push_str(&strategy_table(
            &cells,
            &columns,
            "Conversions, target audience and rival",
        ));
    }
    if let Some(verdict) = table::verdict(results, results.runs) {
        body.push_str(&format!("<p>{}</p>\n", esc(&verdict)));
    }
    let delays = table::delay_sentences(results, results.runs, s.simulation.step);
    if !delays.is_empty() {
        body.push_str("<h3>What a late response costs</h3>\n<ul>\n");
        for sentence in delays {
            body.push_str(&format!("<li>{}</li>\n", esc(&sentence)));
        }
        body.push_str("</ul>\n");
    }
    Section {
        id: "strategies",
        title: "Strategies compared".into(),
        body,
    }
}

/// The strategy table's `columns` (indices into `cells`), under a caption.
fn strategy_table(cells: &table::Cells, columns: &[usize], caption: &str) -> String {
    let mut out = format!(
        "<div class=\"table-wrap\">\n<table class=\"strategies\">\n<caption>{}</caption>\n<thead>\n<tr>",
        esc(caption)
    );
    for &i in columns {
        out.push_str(&format!(
            "<th scope=\"col\"{}>{}</th>",
            if i >= 3 { " class=\"num\"" } else { "" },
            esc(cells.header[i])
        ));
    }
    out.push_str("</tr>\n</thead>\n<tbody>\n");
    for row in &cells.rows {
        let best = row.first().is_some_and(|m| m == "*");
        out.push_str(if best { "<tr class=\"best\">" } else { "<tr>" });
        for &i in columns {
            let cell = &row[i];
            match i {
                1 => out.push_str(&format!(
                    "<th scope=\"row\">{}{}</th>",
                    esc(cell),
                    if best {
                        " <span class=\"badge\">best</span>"
                    } else {
                        ""
                    }
                )),
                2 => out.push_str(&format!("<td class=\"seeds\">{}</td>", esc(cell))),
                _ => out.push_str(&format!("<td class=\"num\">{}</td>", interval_cell(cell))),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
    out
}

/// A table cell; "mean [low - high]" puts the interval on a line of its
/// own, so that wide tables stay narrow.
fn interval_cell(cell: &str) -> String {
    match cell.strip_suffix(']').and_then(|c| c.split_once(" [")) {
        Some((value, ci)) => format!(
            "{}<span class=\"ci\">[{}]</span>",
            esc(value),
            esc(&ci.replace(" - ", " – "))
        ),
        None => esc(cell),
    }
}

// ---------------------------------------------------------------------------
// Charts.

fn charts_section(report: &Report) -> Result<Section, Error> {
    let mut body =
        String::from("<p>The same charts as the chart files, drawn for this page.</p>\n");
    for figure in figures(report) {
        body.push_str(&format!(
            "<figure id=\"chart-{}\">\n<h3>{}</h3>\n<div class=\"chart\">\n",
            figure.stem,
            esc(&figure.subject)
        ));
        body.push_str(&inline_svg(&figure.svg()?, &figure.title));
        body.push_str(&format!(
            "</div>\n<figcaption>{}</figcaption>\n</figure>\n",
            esc(&figure.caption)
        ));
    }
    Ok(Section {
        id: "charts",
        title: "Charts".into(),
        body,
    })
}

// ---------------------------------------------------------------------------
// The sweep.

fn sweep_section(sweep: &SweepResults) -> Result<Section, Error> {
    let keys: Vec<String> = sweep
        .axes
        .iter()
        .map(|a| {
            format!(
                "<code>{}</code> from {} to {} ({} values)",
                esc(&a.key),
                plain(a.values[0]),
                plain(a.values[a.values.len() - 1]),
                a.values.len()
            )
        })
        .collect();
    let mut body = format!(
        "<p>Every strategy was simulated at each of {} points, varying {}, all on the same random numbers so that neighbouring points differ by the key's effect, not by chance. Every figure is in <code>sweep.csv</code>.</p>\n",
        sweep.points.len(),
        keys.join(" and ")
    );
    for file in sweep_chart::charts(sweep, ChartFormat::Svg)? {
        let svg = String::from_utf8(file.bytes).map_err(|e| Error::Report(e.to_string()))?;
        let stem = file.name.trim_end_matches(".svg");
        body.push_str(&format!(
            "<figure id=\"chart-{stem}\">\n<div class=\"chart\">\n{}</div>\n</figure>\n",
            inline_svg(&svg, stem)
        ));
    }
    if sweep.tipping.is_empty() {
        return Ok(Section {
            id: "sweep",
            title: "Sweep".into(),
            body,
        });
    }
    body.push_str(&format!(
        "<h3>Tipping point</h3>\n<p>The smallest stickiness at which a strategy's mean reach passes {}% of the people in the network, interpolated between the sweep's points, with the range where its 95% confidence interval crosses the same level. Beside it, the network's analytic epidemic thresholds: above them sharing can keep growing by itself on an endless network. The tipping point also counts people who only saw the content, and moves with the seeds, the share asked for and the steps simulated, so it may sit on either side of them.</p>\n",
        plain(sweep.tipping_fraction * 100.0)
    ));
    let other = sweep
        .axes
        .iter()
        .find(|a| a.key != crate::scenario::STICKINESS_KEY && sweep.axes.len() == 2);
    body.push_str("<div class=\"table-wrap\">\n<table>\n<thead><tr>");
    if let Some(axis) = other {
        body.push_str(&format!("<th scope=\"col\">{}</th>", esc(&axis.key)));
    }
    body.push_str("<th scope=\"col\">strategy</th><th scope=\"col\">tipping point</th><th scope=\"col\">mean-field threshold</th><th scope=\"col\">spectral threshold</th></tr></thead>\n<tbody>\n");
    for line in &sweep.tipping {
        for (name, t) in sweep.strategies.iter().zip(&line.strategies) {
            body.push_str("<tr>");
            if other.is_some() {
                body.push_str(&format!(
                    "<td>{}</td>",
                    line.other.map(plain).unwrap_or_default()
                ));
            }
            body.push_str(&format!(
                "<th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                esc(name),
                esc(&table::tipping_words(t)),
                table::threshold_words(line.thresholds.mean_field_stickiness),
                table::threshold_words(line.thresholds.spectral_stickiness)
            ));
        }
    }
    body.push_str("</tbody>\n</table>\n</div>\n");
    Ok(Section {
        id: "sweep",
        title: "Sweep and tipping point".into(),
        body,
    })
}

/// An SVG document made fit for inline use in HTML: no namespace
/// declarations (HTML5 knows `<svg>`, and the page names no URL at all),
/// and labelled as one image for screen readers.
fn inline_svg(svg: &str, label: &str) -> String {
    let svg = svg
        .replace(" xmlns=\"http://www.w3.org/2000/svg\"", "")
        .replace(" xmlns:xlink=\"http://www.w3.org/1999/xlink\"", "");
    let svg = svg.replacen(
        "<svg ",
        &format!("<svg role=\"img\" aria-label=\"{}\" ", esc(label)),
        1,
    );
    let start = svg.find("<svg").unwrap_or(0);
    let mut out = svg[start..].trim_end().to_string();
    out.push('\n');
    out
}

// ---------------------------------------------------------------------------
// The graph's statistics.

/// Largest network, in follower arcs, whose statistics the report
/// computes. Above it the spectral threshold's power iteration (hundreds
/// of passes over every arc) takes longer than most simulations: about
/// 25 s on 10 million arcs, against 0.3 s for all the statistics on 1
/// million. `viralsim graph` computes them on any network.
pub const STATS_MAX_ARCS: usize = 2_000_000;

/// The network section of a network over [`STATS_MAX_ARCS`]: its size, and
/// where to get the rest.
fn large_graph_section(report: &Report) -> Section {
    let g = &report.prepared.graph;
    let body = format!(
        "<p>{} people and {} follower arcs, {} followers per person on average.</p>\n<p class=\"note\">The network's statistics and epidemic thresholds are left out of this report for networks over {} follower arcs, where computing them takes longer than most simulations. <code>viralsim graph {}</code> prints them all.</p>\n",
        number(g.nodes() as f64, 0),
        number(g.arcs() as f64, 0),
        number(g.mean_degree(), 2),
        number(STATS_MAX_ARCS as f64, 0),
        esc(&file_name(&report.prepared.scenario.path))
    );
    Section {
        id: "graph",
        title: "The network".into(),
        body,
    }
}

fn graph_section(report: &Report, stats: &GraphAnalysis) -> Section {
    let s = &report.prepared.scenario;
    let regime = Regime::of(stats, s.stickiness);
    let mut body = format!(
        "<p class=\"finding\">This content's stickiness, {}, is {}.</p>\n",
        plain(s.stickiness),
        esc(regime.describe())
    );
    body.push_str(
        "<p>Content takes off when each new sharer brings, on average, more than one more. \
The <em>epidemic threshold</em> is the stickiness where that happens on this network with its trust. \
Below the spectral threshold word of mouth dies out, whoever is seeded, and reach is little more than the seeds' own audiences; \
above both thresholds it can take off, and the seeds decide how fast and how far; \
in between, near the tipping point, only the simulation tells. \
The mean-field estimate sees only how followers are spread over people; the spectral one (1 / λ<sub>max</sub> of the trust-weighted network) follows the real wiring and is a true lower bound. \
These are the same facts <code>viralsim graph</code> prints.</p>\n",
    );
    let (rows, notes) = graph_summary::rows(s, stats);
    body.push_str("<div class=\"table-wrap\">\n<table class=\"facts\">\n<tbody>\n");
    for (label, value) in rows {
        let sub = label.starts_with(' ');
        body.push_str(&format!(
            "<tr{}><th scope=\"row\">{}</th><td>{}</td></tr>\n",
            if sub { " class=\"sub\"" } else { "" },
            esc(label.trim()),
            esc(&value)
        ));
    }
    body.push_str("</tbody>\n</table>\n</div>\n");
    for note in notes {
        body.push_str(&format!("<p class=\"note\">Note: {}.</p>\n", esc(&note)));
    }
    Section {
        id: "graph",
        title: "The network".into(),
        body,
    }
}

// ---------------------------------------------------------------------------
// The run manifest.

fn manifest_section(report: &Report, run: &RunInfo) -> Section {
    let p = report.prepared;
    let s = &p.scenario;
    let t = &report.results.timings;
    let rows: Vec<(&str, String, bool)> = vec![
        ("viralsim version", esc(run.viralsim_version), false),
        ("scenario file", esc(&file_name(&s.path)), false),
        ("seed", s.simulation.seed.to_string(), false),
        (
            "graph fingerprint",
            format!("<code>{}</code>", fingerprint_hex(p.graph.fingerprint())),
            false,
        ),
        (
            "runs",
            format!(
                "{} per strategy, {}",
                number(report.results.runs as f64, 0),
                steps(s.simulation.steps, s.simulation.step)
            ),
            false,
        ),
        ("threads", run.threads.to_string(), true),
        (
            "wall time",
            {
                let sweep = report.sweep.map_or(0.0, |w| w.seconds);
                format!(
                    "{} s: {} s building the network, {} s choosing seeds, {} s simulating{}",
                    number(
                        t.load_seconds + t.seed_seconds + t.simulate_seconds + sweep,
                        2
                    ),
                    number(t.load_seconds, 2),
                    number(t.seed_seconds, 2),
                    number(t.simulate_seconds, 2),
                    if report.sweep.is_some() {
                        format!(", {} s on the sweep", number(sweep, 2))
                    } else {
                        String::new()
                    }
                )
            },
            true,
        ),
    ];
    let mut body = String::from("<div class=\"table-wrap\">\n<table class=\"facts\">\n<tbody>\n");
    for (label, value, run_specific) in rows {
        // One line per row: the run-specific ones can be masked by line.
        let mark = if run_specific {
            format!(" {RUN_SPECIFIC}")
        } else {
            String::new()
        };
        body.push_str(&format!(
            "<tr{mark}><th scope=\"row\">{label}</th><td>{value}</td></tr>\n"
        ));
    }
    body.push_str("</tbody>\n</table>\n</div>\n");
    body.push_str(
        "<p class=\"note\">The graph fingerprint identifies the network as simulated (who follows whom, every trust, every id and segment); the same fingerprint means the same network. Threads and times change from run to run (run.json keeps them too); everything else on this page is identical for the same scenario and seed, whatever the thread count.</p>\n",
    );
    Section {
        id: "manifest",
        title: "Run manifest".into(),
        body,
    }
}

// ---------------------------------------------------------------------------
// Words and numbers.

/// `text` with the characters that mean something in HTML escaped.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A file's name without its folder.
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default()
}

const STYLE: &str = r#":root { --ink: #222; --muted: #5a5a5a; --rule: #d9d9d9; --accent: #0072b2; --tint: #eaf3f9; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; font: 16px/1.5 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; }
main { max-width: 72rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 .3rem; overflow-wrap: anywhere; }
h2 { font-size: 1.4rem; margin: 2.5rem 0 .8rem; padding-bottom: .3rem; border-bottom: 2px solid var(--rule); }
h3 { font-size: 1.1rem; margin: 1.6rem 0 .5rem; }
p { max-width: 50rem; }
.lede { color: var(--muted); margin: 0 0 1rem; }
.finding { max-width: none; background: var(--tint); border-left: 4px solid var(--accent); padding: .7rem 1rem; }
nav ol { list-style: none; display: flex; flex-wrap: wrap; gap: .3rem 1.5rem; margin: 1rem 0; padding: .6rem 0; border-top: 1px solid var(--rule); border-bottom: 1px solid var(--rule); }
nav a { color: var(--accent); text-decoration: none; }
nav a:hover { text-decoration: underline; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .5rem 1.5rem; margin: 0; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; max-width: 50rem; }
ul.plain { margin: 0; padding-left: 1.2rem; }
.table-wrap { overflow-x: auto; margin: 1rem 0; }
table { border-collapse: collapse; font-size: .9rem; }
th, td { padding: .4rem .6rem; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
thead th { vertical-align: bottom; border-bottom: 2px solid var(--ink); }
.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
.ci { display: block; color: var(--muted); font-size: .85em; }
table.strategies caption { text-align: left; font-weight: bold; padding: 0 0 .4rem; }
table.strategies tbody th { min-width: 9rem; overflow-wrap: anywhere; }
td.seeds { min-width: 9rem; }
tr.best { background: var(--tint); }
.badge { display: inline-block; margin-left: .3rem; padding: 0 .4rem; border-radius: .6rem; background: var(--accent); color: #fff; font-size: .75rem; font-weight: bold; vertical-align: middle; }
table.facts th { white-space: nowrap; padding-right: 1.5rem; }
table.facts tr.sub th { font-weight: normal; padding-left: 1.6rem; color: var(--muted); }
figure { margin: 1.5rem 0 2.5rem; break-inside: avoid; page-break-inside: avoid; }
.chart { overflow-x: auto; }
.chart svg { display: block; width: 100%; min-width: 36rem; max-width: 1200px; height: auto; }
figcaption { color: var(--muted); font-size: .9rem; margin-top: .4rem; max-width: 50rem; }
.note { color: var(--muted); font-size: .9rem; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .9em; }
footer { margin-top: 3rem; color: var(--muted); font-size: .85rem; }
@media (max-width: 40rem) {
  main { padding: 1rem .6rem 2rem; }
  dl.facts { grid-template-columns: 1fr; gap: .1rem; }
  dl.facts dd { margin-bottom: .6rem; }
  table.facts th { white-space: normal; }
}
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  .table-wrap, .chart { overflow: visible; }
  .chart svg { min-width: 0; }
  table { font-size: 8pt; }
  tr { break-inside: avoid; }
  .finding, tr.best { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;
