//! Who to invite: the best strategy's seeds by name, with their followers
//! and cost, the first [`SHOWN`] of them ("and N more"); seeds.csv lists
//! every strategy's.

use super::{esc, Section};
use crate::model::Seeds;
use crate::report::format::{money, number};
use crate::report::Report;

/// Seeds listed before "and N more".
pub(super) const SHOWN: usize = 20;

/// The section, when the best strategy (or the only one) seeds the same
/// people in every run.
pub(super) fn invite_section(report: &Report) -> Option<Section> {
    let p = report.prepared;
    let best = match &report.results.comparison {
        Some(c) => c.best,
        None if p.seeds.len() == 1 => 0,
        None => return None,
    };
    let Seeds::Fixed(seeds) = &p.seeds[best] else {
        return None;
    };
    if seeds.is_empty() {
        return None;
    }
    let name = &report.results.strategies[best].name;
    let mut body = format!(
        "<p>The people <strong>{}</strong> invites, in the order it chose them; seeds.csv lists every strategy's, with each one's estimated gain for celf and imm.</p>\n<div class=\"table-wrap\">\n<table class=\"seeds\">\n<thead>\n<tr><th>#</th><th>id</th><th>followers</th><th>cost</th></tr>\n</thead>\n<tbody>\n",
        esc(name)
    );
    for (rank, &v) in seeds.iter().take(SHOWN).enumerate() {
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            rank + 1,
            esc(&p.graph.name(v).to_string()),
            number(p.graph.follower_count(v) as f64, 0),
            money(p.costs.of(v))
        ));
    }
    body.push_str("</tbody>\n</table>\n</div>\n");
    if seeds.len() > SHOWN {
        body.push_str(&format!(
            "<p>and {} more (see seeds.csv).</p>\n",
            number((seeds.len() - SHOWN) as f64, 0)
        ));
    }
    Some(Section {
        id: "invite",
        title: "Who to invite".into(),
        body,
    })
}
