//! What seeding each person costs: `base + per_follower * followers^exponent`
//! (bigger audiences cost more, as influencer rates do), with a per-person
//! file overriding the formula for the people it lists. Without a `[costs]`
//! table everyone costs 1, so a budget is a head count.

use std::path::PathBuf;

use super::{attributes, Graph, GraphError, Node};

/// What seeding a person costs, and how likely they are to post.
#[derive(Debug, Clone, PartialEq)]
pub struct CostSpec {
    /// Fixed cost of seeding anyone, above 0.
    pub base: f64,
    /// Cost per follower (raised to `exponent`), at least 0.
    pub per_follower: f64,
    /// How steeply cost grows with followers.
    pub exponent: f64,
    /// Per-person costs, `id cost` per line, overriding the formula.
    pub file: Option<PathBuf>,
    /// Chance that an invited person really posts, in [0, 1], decided
    /// afresh in every run.
    pub acceptance: f64,
}

impl Default for CostSpec {
    /// Everyone costs 1 and everyone invited posts.
    fn default() -> CostSpec {
        CostSpec {
            base: 1.0,
            per_follower: 0.0,
            exponent: 1.0,
            file: None,
            acceptance: 1.0,
        }
    }
}

/// Every person's seeding cost, in the scenario's unit of money; all above 0.
#[derive(Debug, Clone, PartialEq)]
pub struct Costs {
    cost: Vec<f64>,
    cheapest: f64,
}

impl Costs {
    /// Costs from a value per person (each finite and above 0).
    pub fn new(cost: Vec<f64>) -> Costs {
        debug_assert!(cost.iter().all(|&c| c.is_finite() && c > 0.0));
        let cheapest = cost.iter().copied().fold(f64::INFINITY, f64::min);
        Costs { cost, cheapest }
    }

    /// Everyone costs 1.
    pub fn uniform(nodes: u32) -> Costs {
        Costs::new(vec![1.0; nodes as usize])
    }

    /// Cost of seeding `v`.
    #[inline]
    pub fn of(&self, v: Node) -> f64 {
        self.cost[v as usize]
    }

    /// Every person's cost, by node.
    pub fn all(&self) -> &[f64] {
        &self.cost
    }

    /// The lowest cost of anyone (infinite for an empty graph).
    pub fn cheapest(&self) -> f64 {
        self.cheapest
    }

    /// What seeding all of `seeds` costs, summed in their order.
    pub fn total(&self, seeds: &[Node]) -> f64 {
        // A float sum starts from -0.0, which nobody seeded would keep.
        seeds.iter().map(|&v| self.of(v)).sum::<f64>() + 0.0
    }
}

/// The costs `spec` gives the people of `graph`; reads the cost file if one
/// is named.
pub fn assign(graph: &Graph, spec: &CostSpec) -> Result<Costs, GraphError> {
    assign_with(graph, spec, None)
}

/// [`assign`], with the costs a people file gives (`None` per person it
/// leaves to the formula) overriding the formula too.
pub fn assign_with(
    graph: &Graph,
    spec: &CostSpec,
    people: Option<&[Option<f64>]>,
) -> Result<Costs, GraphError> {
    // x^1 is x exactly: the common linear price skips a power per person.
    // Otherwise each follower count's power is taken once: people share
    // the few counts below `SHARED` (the same power, so the same bits).
    const SHARED: u32 = 1 << 12;
    let linear = spec.exponent == 1.0;
    let powers: Vec<f64> = match linear {
        true => Vec::new(),
        false => (0..SHARED)
            .map(|f| (f as f64).powf(spec.exponent))
            .collect(),
    };
    let mut cost: Vec<f64> = (0..graph.nodes())
        .map(|v| {
            let count = graph.follower_count(v);
            let followers = count as f64;
            let scaled = match powers.get(count as usize) {
                _ if linear => followers,
                Some(&power) => power,
                None => followers.powf(spec.exponent),
            };
            spec.base + spec.per_follower * scaled
        })
        .collect();
    if let Some(path) = &spec.file {
        let listed = attributes::read(path, graph, "cost", parse_cost)?;
        for (c, given) in cost.iter_mut().zip(listed) {
            if let Some(g) = given {
                *c = g;
            }
        }
    }
    if let Some(listed) = people {
        for (c, given) in cost.iter_mut().zip(listed) {
            if let Some(g) = given {
                *c = *g;
            }
        }
    }
    // The formula can only overflow for absurd rates; refuse rather than
    // let infinite costs make every comparison meaningless.
    if let Some(v) = (0..graph.nodes()).find(|&v| !cost[v as usize].is_finite()) {
        return Err(GraphError::Invalid {
            message: format!(
                "the cost of person {} ({} followers) is too large to compute: lower per_follower or exponent",
                graph.name(v),
                graph.follower_count(v)
            ),
        });
    }
    Ok(Costs::new(cost))
}

pub(super) fn parse_cost(field: &str) -> Result<f64, String> {
    match field.parse::<f64>() {
        Ok(c) if c.is_finite() && c > 0.0 => Ok(c),
        Ok(c) => Err(format!("{c} is not allowed: a cost is money, above 0")),
        Err(_) => Err(format!(
            "`{}` is not a number",
            super::edgelist::shorten(field)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_grows_with_followers() {
        // Star: 0 has 3 followers, the leaves 1 each.
        let g = Graph::from_undirected(4, &[(0, 1), (0, 2), (0, 3)]);
        let spec = CostSpec {
            base: 10.0,
            per_follower: 2.0,
            exponent: 2.0,
            ..CostSpec::default()
        };
        let c = assign(&g, &spec).unwrap();
        assert_eq!(c.of(0), 10.0 + 2.0 * 9.0);
        assert_eq!(c.of(1), 12.0);
        assert_eq!(c.cheapest(), 12.0);
        assert_eq!(c.total(&[0, 1]), 40.0);
        assert_eq!(assign(&g, &CostSpec::default()).unwrap(), Costs::uniform(4));
    }

    #[test]
    fn every_follower_count_is_priced_by_its_own_power() {
        // A star of 5,000 leaves (past the shared powers) beside small rows.
        let mut edges: Vec<(u32, u32)> = (1..=5_000).map(|v| (0, v)).collect();
        edges.extend([(1, 2), (1, 3), (2, 3)]);
        let g = Graph::from_undirected(5_001, &edges);
        let spec = CostSpec {
            base: 3.0,
            per_follower: 0.37,
            exponent: 0.83,
            ..CostSpec::default()
        };
        let c = assign(&g, &spec).unwrap();
        for v in 0..g.nodes() {
            let direct = 3.0 + 0.37 * (g.follower_count(v) as f64).powf(0.83);
            assert_eq!(c.of(v).to_bits(), direct.to_bits(), "person {v}");
        }
    }

    #[test]
    fn inviting_nobody_costs_an_unsigned_zero() {
        let c = Costs::uniform(4);
        assert_eq!(c.total(&[]).to_bits(), 0.0f64.to_bits());
    }

    #[test]
    fn file_overrides_the_formula_for_listed_people() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("costs.txt");
        std::fs::write(&path, "# id cost\n7 0.5\n").unwrap();
        let g = Graph::from_undirected(2, &[(0, 1)]).with_labels(vec![3, 7]);
        let spec = CostSpec {
            file: Some(path.clone()),
            ..CostSpec::default()
        };
        let c = assign(&g, &spec).unwrap();
        assert_eq!((c.of(0), c.of(1), c.cheapest()), (1.0, 0.5, 0.5));
        std::fs::write(&path, "7 0\n").unwrap();
        let err = assign(&g, &spec).unwrap_err().to_string();
        assert!(
            err.ends_with(":1: cost of person 7: 0 is not allowed: a cost is money, above 0"),
            "{err}"
        );
    }

    #[test]
    fn overflowing_formula_is_refused() {
        let g = Graph::from_undirected(3, &[(0, 1), (0, 2)]);
        let spec = CostSpec {
            per_follower: f64::MAX,
            exponent: 3.0,
            ..CostSpec::default()
        };
        assert!(assign(&g, &spec).is_err());
    }
}
