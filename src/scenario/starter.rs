//! The starter scenario `viralsim init NAME` writes: a generated network (so
//! no data file is needed), four seeding strategies, every section
//! commented with what it means and the values it allows. It runs as is.

use super::name::quoted;
use super::{Location, Name, ScenarioError, NAME_RULE};

/// The name given to `viralsim init NAME`, checked: it becomes the file
/// `NAME.toml` and the output folder.
pub fn name(arg: &str) -> Result<Name, ScenarioError> {
    Name::new(arg).map_err(|arg| {
        ScenarioError::at(
            Location {
                file: "NAME".into(),
                line: None,
                column: None,
                key: None,
            },
            format!(
                "{} cannot name a scenario (it names the file NAME.toml and the output folder): use {NAME_RULE}",
                quoted(arg)
            ),
        )
    })
}

/// The starter scenario's text, named `name`.
pub fn text(name: &Name) -> String {
    TEMPLATE.replace("{name}", name)
}

const TEMPLATE: &str = r#"# A starter scenario: who should get the content first, on a network of
# 10,000 people with a few well-followed hubs?
#   viralsim graph {name}.toml      the network's statistics and tipping point
#   viralsim run {name}.toml        simulate, write output/{name}/
# Every key, its default and its allowed values: docs/scenario.md.

# Scenario format version: 1 is the only one.
version = 1
# Names the output folder and the charts: 1 to 100 letters, digits, '-',
# '_' or '.', not starting with '.'. Default: the file name.
name = "{name}"

# The social network. An arc u -> v means v follows u and sees what u shares.
# Either generate one:
#   generator = erdos-renyi (nodes, mean_degree), barabasi-albert (nodes,
#   edges_per_node), watts-strogatz (nodes, neighbors, rewire),
#   stochastic-block (communities, community_size, mean_degree_in,
#   mean_degree_out), powerlaw (nodes, exponent, mean_degree) or holme-kim
#   (nodes, edges_per_node, triangle_prob); nodes 2 to 100,000,000
# or read a real one:
#   edges = "network.txt"   one `u v` pair per line, relative to this file
#   directed = false        true: `u v` means v follows u; false: mutual
[graph]
generator = "barabasi-albert"   # preferential attachment: hubs, like real follower networks
nodes = 10000
edges_per_node = 4              # 1 to nodes - 1: links each newcomer makes
seed = 1                        # 0 to 2^63 - 1: the same seed, the same network

# The content.
[content]
# Chance, 0 to 1, that a person who sees it from someone they fully trust
# shares it on. `viralsim graph` says how sticky it must be to take off
# (here about 0.14; at 0.1 word of mouth dies out after the first waves).
stickiness = 0.2
# half_life = 5                 # above 0: steps after which it is half as sticky (novelty decay)
# stickiness_by_segment = { "students" = 0.3 }   # by the follower's segment (graphs with segments)

# How far followers trust the people they follow: drawn once per arc.
# A share passes on with probability stickiness x trust.
#   distribution = "constant" (value), "uniform" (low, high) or
#   "beta" (alpha, beta); every value 0 to 1. No [trust]: trust 1.
[trust]
distribution = "beta"
alpha = 2.0                     # above 0; mean trust alpha / (alpha + beta) = 2/7
beta = 5.0                      # above 0

# The Monte Carlo runs.
[simulation]
model = "independent-cascade"   # or "linear-threshold": people share once enough friends have
runs = 1000                     # 2 to 100,000,000 runs per strategy, or "auto" (docs/scenario.md)
steps = 30                      # 1 to 100,000 steps after the seeds share at step 0
seed = 1                        # 0 to 2^63 - 1: the same seed, the same results, on any thread count
step = "day"                    # what a step stands for: step, minute, hour, day, week or month

# Seeding strategies to compare: who gets the content first. Each seeds a
# `count` of people (or spends a `budget`, with a [costs] table).
#   kind = random, top-degree, explicit (nodes = [ids]), degree-discount,
#   pagerank, coreness, community-spread, celf or imm
[[strategy]]
name = "random people"          # the baseline: drawn afresh in every run
kind = "random"
count = 10

[[strategy]]
name = "top influencers"        # the people with the most followers
kind = "top-degree"
count = 10

[[strategy]]
name = "degree discount"        # most followers, skipping friends of those already chosen
kind = "degree-discount"
count = 10

[[strategy]]
name = "imm"                    # reverse influence sampling: near the best possible reach
kind = "imm"
count = 10
# epsilon = 0.1                 # 0.01 to 1: smaller is closer to the best and slower

# Optional tables, described in docs/scenario.md: [costs] (what seeding
# each person costs, and who declines), [conversion] (who buys, and what it
# is worth), [paid] (ads alongside word of mouth), [strategy.ads] (a
# strategy's own ads, with a budget), [target] (the segments the campaign
# is for), [rival] (a negative claim spreading against ours, and what each
# step of delay in our answer costs), [goal] (what ranks the strategies:
# reach, sharers, conversions, reach in the target, net reach). Any
# strategy may post late with start_step = N.

# How sticky must it be to take off? Uncomment to run every strategy at 20
# stickiness levels and find each one's tipping point: the stickiness at
# which its mean reach passes 10% of everyone (sweep.csv, tipping.csv,
# sweep.png). A second key, e.g. "trust.value" = [0.3, 0.6, 0.9] under a
# constant trust, draws a heatmap per strategy instead.
# [sweep]
# "content.stickiness" = { from = 0.01, to = 0.2, steps = 20 }
# tipping_fraction = 0.1

# Chart files to draw: "png", "svg" or both. summary.json, curves.csv,
# strategies.csv, report.html (with every chart) and a copy of this file
# are always written.
[output]
formats = ["png", "svg"]
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{parse, GraphSource};

    #[test]
    fn the_starter_is_a_valid_scenario_with_its_name() {
        let text = text(&name("spring-launch_2").unwrap());
        let s = parse(std::path::Path::new("spring-launch_2.toml"), &text).unwrap();
        assert_eq!(s.name.as_str(), "spring-launch_2");
        assert!(matches!(s.graph, GraphSource::Generated { .. }));
        let kinds: Vec<&str> = s.strategies.iter().map(|st| st.kind.name).collect();
        assert_eq!(kinds, ["random", "top-degree", "degree-discount", "imm"]);
        assert!(s.strategies.iter().all(|st| st.kind.name != "explicit"));
    }

    #[test]
    fn the_commented_sweep_runs_when_uncommented() {
        let text = text(&name("swept").unwrap()).replace("# [sweep]\n# \"", "[sweep]\n\"");
        let s = parse(std::path::Path::new("swept.toml"), &text).unwrap();
        let sweep = s.sweep.expect("the sweep is uncommented");
        assert_eq!(sweep.axes[0].key, "content.stickiness");
        assert_eq!(sweep.axes[0].values.len(), 20);
    }

    #[test]
    fn bad_names_are_refused() {
        for bad in ["", ".hidden", "a b", "x/y", "é", &"n".repeat(101)] {
            let e = name(bad).unwrap_err().to_string();
            assert!(e.contains("cannot name a scenario"), "{bad}: {e}");
        }
    }
}
