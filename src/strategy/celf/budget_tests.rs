use super::*;
use crate::graph::costs::Costs;
use crate::strategy::traps;

/// People reached whatever the coins: the seeds and their followers.
fn sure_reach(g: &Graph, set: &[Node]) -> u64 {
    let mut seen = vec![false; g.nodes() as usize];
    for &v in set {
        seen[v as usize] = true;
        for &u in g.followers(v) {
            seen[u as usize] = true;
        }
    }
    seen.iter().filter(|&&s| s).count() as u64
}

fn passes(g: &Graph, costs: &Costs, budget: f64) -> (Vec<Node>, Vec<Node>, Vec<Node>) {
    let reach = |set: &[Node]| Ok::<_, ()>(sure_reach(g, set));
    let singles: Vec<u64> = (0..g.nodes()).map(|v| sure_reach(g, &[v])).collect();
    let limit = Limit::Budget(budget);
    let per_cost = lazy_greedy(g, Purse::new(costs, limit), true, &singles, reach)
        .unwrap()
        .0;
    let plain = lazy_greedy(g, Purse::new(costs, limit), false, &singles, reach)
        .unwrap()
        .0;
    let both = cost_effective_greedy(g, Purse::new(costs, limit), reach).unwrap();
    (per_cost, plain, both)
}

#[test]
fn cost_aware_greedy_escapes_the_per_cost_trap() {
    let (g, costs, budget) = traps::per_cost_trap();
    let (per_cost, plain, both) = passes(&g, &costs, budget);
    assert_eq!(per_cost, vec![1]);
    assert_eq!(sure_reach(&g, &per_cost), 6);
    assert_eq!(plain, vec![0]);
    assert_eq!(both, vec![0]);
    assert_eq!(sure_reach(&g, &both), 200);
}

#[test]
fn cost_aware_greedy_escapes_the_plain_trap() {
    let (g, costs, budget) = traps::plain_trap();
    let (per_cost, plain, both) = passes(&g, &costs, budget);
    assert_eq!(plain, vec![0]);
    assert_eq!(sure_reach(&g, &plain), 60);
    assert_eq!(per_cost, (1..=10).collect::<Vec<_>>());
    assert_eq!(both, per_cost);
    assert_eq!(sure_reach(&g, &both), 100);
    assert!(costs.total(&both) <= budget);
}
