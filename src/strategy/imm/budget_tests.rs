use super::*;
use crate::strategy::traps;

fn sorted(mut v: Vec<Node>) -> Vec<Node> {
    v.sort_unstable();
    v
}

/// Select on `graph` at stickiness 0 (reach = seeds and followers).
fn imm_within(graph: &Graph, costs: &Costs, budget: f64) -> Selection {
    let p = vec![0.0; graph.arcs()];
    let reverse = ReverseGraph::new(graph, &p);
    let params = Params {
        limit: Limit::Budget(budget),
        costs,
        allowed: None,
        acceptance: 1.0,
        horizon: u32::MAX,
        epsilon: 0.1,
        ell: 1.0,
        seed: 3,
        max_bytes: MAX_BYTES,
        full_cover_is_optimal: false,
        roots: Roots::default(),
        progress: &|_, _| {},
    };
    select(graph, &reverse, &params).unwrap()
}

#[test]
fn cost_aware_cover_escapes_both_traps() {
    // The sure cover (one set per person: itself and its followers)
    // covers exactly the people reached at stickiness 0.
    let (g, costs, budget) = traps::per_cost_trap();
    let sets = closed_neighbourhoods(&ReverseGraph::new(&g, &vec![0.0; g.arcs()]));
    let purse = || Purse::new(&costs, Limit::Budget(budget));
    assert_eq!(greedy_cover(&g, &sets, purse(), true), (vec![1], 6));
    assert_eq!(greedy_cover(&g, &sets, purse(), false), (vec![0], 200));
    let sel = imm_within(&g, &costs, budget);
    assert_eq!(sel.seeds, vec![0]);

    let (g, costs, budget) = traps::plain_trap();
    let sets = closed_neighbourhoods(&ReverseGraph::new(&g, &vec![0.0; g.arcs()]));
    let purse = || Purse::new(&costs, Limit::Budget(budget));
    assert_eq!(greedy_cover(&g, &sets, purse(), false), (vec![0], 60));
    let ten: Vec<Node> = (1..=10).collect();
    assert_eq!(greedy_cover(&g, &sets, purse(), true), (ten.clone(), 100));
    let sel = imm_within(&g, &costs, budget);
    // Sampled coverage orders the ten differently; the set is the same.
    assert_eq!(sorted(sel.seeds.clone()), ten);
    // n = 160 people, 100 of them reached: the estimate is within a
    // few standard errors of 100 (theta sets, each hit with
    // probability 100/160).
    let f = 100.0 / 160.0;
    let se = 160.0 * (f * (1.0 - f) / sel.theta as f64).sqrt();
    assert!((sel.estimated_reach - 100.0).abs() < 5.0 * se, "{sel:?}");
}

#[test]
fn declined_invitations_scale_the_reach_estimate() {
    // Stickiness 0, one star of 9 followers and everyone else alone:
    // seeding the centre reaches 10 people if they post, 0 (beyond
    // nobody) if they decline. With acceptance a the expected reach is
    // 10 a, which the RR sets estimate.
    let edges: Vec<(Node, Node)> = (1..10).map(|v| (0, v)).collect();
    let g = Graph::from_undirected(40, &edges);
    let costs = Costs::uniform(40);
    let p = vec![0.0; g.arcs()];
    let reverse = ReverseGraph::new(&g, &p);
    let a = 0.4;
    let params = Params {
        limit: Limit::Count(1),
        costs: &costs,
        allowed: None,
        acceptance: a,
        horizon: u32::MAX,
        epsilon: 0.1,
        ell: 1.0,
        seed: 9,
        max_bytes: MAX_BYTES,
        full_cover_is_optimal: true,
        roots: Roots::default(),
        progress: &|_, _| {},
    };
    let sel = select(&g, &reverse, &params).unwrap();
    assert_eq!(sel.seeds, vec![0]);
    let f = 10.0 * a / 40.0;
    let se = 40.0 * (f * (1.0 - f) / sel.theta as f64).sqrt();
    assert!((sel.estimated_reach - 10.0 * a).abs() < 5.0 * se, "{sel:?}");
}
