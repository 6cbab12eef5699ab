//! serde's and toml's messages about a scenario file, said in the file's
//! own words: keys and tables, whole numbers and text in quotes, never a
//! Rust type name, with a hint for each key a scenario must have. And the
//! scenario's keys said in words, for the titles of the charts' axes.

use super::TimeUnit;
use crate::strategy::KINDS;

/// A swept key (`content.stickiness`, `strategy[1].count`, ...) as an
/// axis title a planner reads: what the number is, in words, with `unit`
/// for keys counted in steps. Every chart's key-to-words mapping is here.
pub fn axis_title(key: &str, unit: TimeUnit) -> String {
    let units = unit.plural();
    // A strategy's own keys: `strategy[0].count`, `strategy.NAME.count`,
    // `strategy[0].ads.budget`.
    if let Some(rest) = key.strip_prefix("strategy") {
        let (who, field) = match rest.strip_prefix('[') {
            Some(r) => match r.split_once("].") {
                Some((n, f)) => (
                    n.parse::<usize>()
                        .map_or(format!("strategy {n}"), |i| format!("strategy {}", i + 1)),
                    f,
                ),
                None => (String::new(), r),
            },
            None => {
                let rest = rest.strip_prefix('.').unwrap_or(rest);
                match rest.rsplit_once('.') {
                    Some((n, f)) => (n.trim_end_matches(".ads").to_string(), f),
                    None => (String::new(), rest),
                }
            }
        };
        let field = field.strip_prefix("ads.").unwrap_or(field);
        let ads = rest.contains("ads.");
        let what = match (field, ads) {
            ("count", _) => "people seeded".to_string(),
            ("budget", true) => "ad budget".to_string(),
            ("budget", false) => "seeding budget".to_string(),
            ("start_step", _) => format!("{units} until our seeds post"),
            ("cost_per_view", _) => "price of one ad view".to_string(),
            ("stickiness", true) => "chance an ad viewer shares".to_string(),
            ("from_step", _) => format!("{units} until the ads start"),
            ("to_step", _) => format!("{units} until the ads stop"),
            ("damping", _) => "PageRank damping".to_string(),
            ("runs", _) => "runs per estimate".to_string(),
            ("epsilon", _) => "approximation slack".to_string(),
            (other, _) => other.replace('_', " "),
        };
        return if who.is_empty() {
            what
        } else {
            format!("{what} ({who})")
        };
    }
    match key {
        "content.stickiness" => "stickiness of the content".to_string(),
        "content.half_life" => format!("{units} until the content is half as sticky"),
        "trust.value" => "trust".to_string(),
        "trust.low" => "lowest trust".to_string(),
        "trust.high" => "highest trust".to_string(),
        "trust.alpha" | "trust.beta" => format!("trust's {}", &key[6..]),
        "trust.same_segment" => "trust factor within a segment".to_string(),
        "trust.other_segment" => "trust factor across segments".to_string(),
        "graph.nodes" => "people in the network".to_string(),
        "graph.mean_degree" => "friends per person (mean)".to_string(),
        "graph.edges_per_node" => "links per newcomer".to_string(),
        "graph.neighbors" => "close friends per person".to_string(),
        "graph.rewire" => "share of links rewired".to_string(),
        "graph.exponent" => "degree exponent".to_string(),
        "graph.triangle_prob" => "chance of befriending friends of friends".to_string(),
        "graph.communities" => "communities".to_string(),
        "graph.community_size" => "people per community".to_string(),
        "graph.mean_degree_in" => "friends inside one's community (mean)".to_string(),
        "graph.mean_degree_out" => "friends outside one's community (mean)".to_string(),
        "simulation.steps" => format!("{units} simulated"),
        "simulation.runs" => "runs".to_string(),
        "costs.base" => "cost of seeding anyone".to_string(),
        "costs.per_follower" => "cost per follower".to_string(),
        "costs.exponent" => "how steeply cost grows with followers".to_string(),
        "costs.acceptance" => "chance an invited person posts".to_string(),
        "conversion.rate" => "conversion rate".to_string(),
        "conversion.rate_if_shared" => "conversion rate of sharers".to_string(),
        "conversion.value" => "value of one conversion".to_string(),
        "paid.reach_per_step" => format!("chance to see the ad per {}", unit.name()),
        "paid.from_step" => format!("{units} until the ads start"),
        "paid.to_step" => format!("{units} until the ads stop"),
        "paid.stickiness" => "chance an ad viewer shares".to_string(),
        "paid.cost_per_view" => "price of one ad view".to_string(),
        "rival.stickiness" => "stickiness of the rival content".to_string(),
        "rival.start_step" => format!("{units} until the rival posts"),
        "rival.count" => "people the rival seeds".to_string(),
        "simulation.start_hour" => format!("{} of the cycle when the seeds post", unit.name()),
        "activity.visible_for" => format!("{units} a share stays in a feed"),
        "activity.period" => format!("{units} in one cycle of activity"),
        other if other.starts_with("content.stickiness_by_segment.") => format!(
            "stickiness for segment {}",
            &other["content.stickiness_by_segment.".len()..]
        ),
        other if other.starts_with("rival.stickiness_by_segment.") => format!(
            "rival's stickiness for segment {}",
            &other["rival.stickiness_by_segment.".len()..]
        ),
        other => other.rsplit('.').next().unwrap_or(other).replace('_', " "),
    }
}

/// `message` (from serde or toml, about the table at `table`, None for the
/// top level) in the scenario's words.
pub(super) fn plain_words(message: &str, table: Option<&str>) -> String {
    // serde reads `[[simulation]]` as a list whose first table is taken
    // for the first key, and then complains about that key.
    if let Some(name) = table
        .and_then(|t| t.strip_suffix("[0]"))
        .filter(|t| *t != "strategy" && !t.contains(['.', '[']))
    {
        return format!(
            "expected one table [{name}], found [[{name}]]: write [{name}] with one pair of brackets"
        );
    }
    if let Some(key) = quoted_after(message, "missing field `") {
        return missing_key(key, table);
    }
    if let Some(key) = quoted_after(message, "unknown field `") {
        return match allowed(message) {
            Some(list) => format!("unknown key `{key}`: allowed here {list}"),
            None => format!("unknown key `{key}`: this table takes no keys"),
        };
    }
    if let Some(key) = quoted_after(message, "duplicate field `") {
        return format!("key `{key}` is given twice");
    }
    if let Some(value) = quoted_after(message, "unknown variant `") {
        return match allowed(message) {
            Some(list) => format!("unknown value \"{value}\": allowed {list}"),
            None => format!("unknown value \"{value}\""),
        };
    }
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some((found, expected)) = message
            .strip_prefix(prefix)
            .and_then(|rest| rest.split_once(", expected "))
        {
            let expected = match (table, expected) {
                (Some("strategy"), "a sequence") => {
                    "[[strategy]] tables, with two brackets".to_string()
                }
                _ => expected_words(expected),
            };
            return format!("expected {expected}, found {}", found_words(found));
        }
    }
    if message.starts_with("number too large to fit in target type") {
        return "the number is too large: whole numbers go up to 2^63 - 1".into();
    }
    message.to_string()
}

/// The text between `prefix` (at the start of `message`) and the next '`'.
fn quoted_after<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    let rest = message.strip_prefix(prefix)?;
    rest.find('`').map(|end| &rest[..end])
}

/// serde's "expected `a` or `b`" / "expected one of `a`, `b`" as
/// "`a`, `b`"; None when nothing is allowed.
fn allowed(message: &str) -> Option<String> {
    let (_, list) = message.split_once(", expected ")?;
    let list = list.strip_prefix("one of ").unwrap_or(list);
    Some(list.replace("` or `", "`, `"))
}

/// What serde expected, as a scenario file says it.
fn expected_words(expected: &str) -> String {
    if let Some(name) = expected.strip_prefix("struct Raw") {
        return match name {
            "Strategy" => "a table like [[strategy]]".into(),
            "Scenario" => "a scenario file".into(),
            other => format!("a table like [{}]", other.to_lowercase()),
        };
    }
    match expected {
        "i64" | "u64" | "i32" | "u32" => "a whole number".into(),
        "f64" | "f32" => "a number".into(),
        "a string" => "text in quotes".into(),
        "a boolean" => "true or false".into(),
        "a sequence" => "a list like [1, 2]".into(),
        "a map" => "a table".into(),
        other => other.to_string(),
    }
}

/// What the file held instead, as a scenario file says it.
fn found_words(found: &str) -> String {
    let tick = |prefix: &str| {
        found
            .strip_prefix(prefix)
            .and_then(|r| r.strip_prefix('`'))
            .and_then(|r| r.strip_suffix('`'))
            .map(str::to_string)
    };
    if let Some(n) = tick("integer ") {
        return format!("the whole number {n}");
    }
    if let Some(n) = tick("floating point ") {
        return format!("the number {n}");
    }
    if let Some(b) = tick("boolean ") {
        return b;
    }
    if let Some(s) = found.strip_prefix("string ") {
        return format!("the text {s}");
    }
    match found {
        "map" => "a table".into(),
        "sequence" => "a list".into(),
        other => other.to_string(),
    }
}

/// A key (or table) the file must have and lacks, with what to add.
fn missing_key(key: &str, table: Option<&str>) -> String {
    let in_strategy = table.is_some_and(|t| t.starts_with("strategy") || t == "rival");
    let hint = match (key, table) {
        ("version", None) => "add version = 1 at the top".to_string(),
        ("graph", None) => {
            return "missing table [graph] (add it with `generator`, a random network, or `edges`, an edge-list file)".into()
        }
        ("content", None) => {
            return "missing table [content] (add it with stickiness = a number from 0 to 1)".into()
        }
        ("stickiness", _) => "add stickiness = a number from 0 to 1: the chance to share what a fully trusted friend shared".into(),
        ("kind", _) if in_strategy => format!("add kind = one of {}", KINDS.iter().map(|k| k.name).collect::<Vec<_>>().join(", ")),
        ("rate", _) => "add rate = a number from 0 to 1: the chance that a reached person converts".into(),
        ("reach_per_step", _) => "add reach_per_step = a number from 0 to 1: the chance that a person sees the ad in a step".into(),
        ("segments", _) => "add segments = [\"name\", ...]: the segments the campaign is for".into(),
        _ => return format!("missing key `{key}`"),
    };
    format!("missing key `{key}` ({hint})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_speak_the_scenarios_words() {
        let cases = [
            (
                "missing field `version`",
                None,
                "missing key `version` (add version = 1 at the top)",
            ),
            (
                "invalid type: integer `5`, expected struct RawGraph",
                Some("graph"),
                "expected a table like [graph], found the whole number 5",
            ),
            (
                "invalid type: string \"x\", expected i64",
                Some("simulation.seed"),
                "expected a whole number, found the text \"x\"",
            ),
            (
                "invalid type: map, expected a string",
                Some("graph.generator"),
                "expected text in quotes, found a table",
            ),
            (
                "unknown field `stickines`, expected `stickiness` or `half_life`",
                Some("content.stickines"),
                "unknown key `stickines`: allowed here `stickiness`, `half_life`",
            ),
            (
                "unknown field `x`, expected one of `a`, `b`, `c`",
                Some("t.x"),
                "unknown key `x`: allowed here `a`, `b`, `c`",
            ),
            (
                "invalid type: boolean `true`, expected a sequence",
                Some("output.formats"),
                "expected a list like [1, 2], found true",
            ),
            (
                "invalid value: integer `-1`, expected u32",
                Some("a"),
                "expected a whole number, found the whole number -1",
            ),
            (
                "unknown variant `x`, expected `a` or `b`",
                Some("a"),
                "unknown value \"x\": allowed `a`, `b`",
            ),
            ("duplicate field `a`", Some("t"), "key `a` is given twice"),
            (
                "invalid type: map, expected a sequence",
                Some("strategy"),
                "expected [[strategy]] tables, with two brackets, found a table",
            ),
            (
                "invalid type: map, expected a string",
                Some("simulation[0]"),
                "expected one table [simulation], found [[simulation]]: write [simulation] with one pair of brackets",
            ),
        ];
        for (serde, table, ours) in cases {
            assert_eq!(plain_words(serde, table), ours);
        }
    }

    #[test]
    fn axis_titles_are_words() {
        let hour = TimeUnit::Hour;
        for (key, words) in [
            ("content.stickiness", "stickiness of the content"),
            ("trust.value", "trust"),
            ("rival.start_step", "hours until the rival posts"),
            ("simulation.steps", "hours simulated"),
            ("strategy[1].count", "people seeded (strategy 2)"),
            ("strategy.ambassadors.count", "people seeded (ambassadors)"),
            ("strategy[0].ads.budget", "ad budget (strategy 1)"),
            ("strategy.paid.ads.budget", "ad budget (paid)"),
            ("graph.some_new_key", "some new key"),
        ] {
            assert_eq!(axis_title(key, hour), words, "{key}");
        }
        assert_eq!(
            axis_title("content.half_life", TimeUnit::Step),
            "steps until the content is half as sticky"
        );
    }

    #[test]
    fn no_rust_type_name_is_left() {
        for raw in [
            "Graph",
            "Content",
            "Trust",
            "Target",
            "Simulation",
            "Paid",
            "Conversion",
            "Costs",
            "Strategy",
            "Rival",
            "Output",
        ] {
            let m = plain_words(
                &format!("invalid type: integer `1`, expected struct Raw{raw}"),
                None,
            );
            assert!(!m.contains("Raw") && m.contains("a table like ["), "{m}");
        }
    }
}
