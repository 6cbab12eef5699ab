//! Stochastic block model with equal-size planted communities (Holland,
//! Laskey & Leinhardt, "Stochastic blockmodels: first steps", Social Networks
//! 5, 109 (1983)): person i belongs to community i / community_size; a pair
//! inside one community is an edge with probability
//! p_in = mean_degree_in / (community_size - 1), a pair across communities with
//! p_out = mean_degree_out / ((communities - 1) · community_size), so the
//! expected within and across degrees are exactly the configured ones.
//!
//! Both pair families are sampled with Batagelj & Brandes (2005) geometric
//! skipping. Because communities are contiguous id ranges, row v of the pair
//! triangle {(w, v) : w < v} splits into a cross-community prefix
//! w < start(v) and a within-community part start(v) <= w < v, so each family
//! is one skipping pass over all rows: O(n + m) even with very many
//! communities, instead of one pass per pair of blocks.

use rand_xoshiro::Xoshiro256PlusPlus;

use super::{bernoulli_cells, canonical_edges, Generated};

pub(super) fn generate(
    communities: u32,
    community_size: u32,
    mean_degree_in: f64,
    mean_degree_out: f64,
    rng: &mut Xoshiro256PlusPlus,
) -> Generated {
    debug_assert!(communities >= 1 && community_size >= 2);
    debug_assert!(mean_degree_in >= 0.0 && mean_degree_in <= (community_size - 1) as f64);
    debug_assert!(
        mean_degree_out >= 0.0
            && mean_degree_out <= ((communities - 1) as u64 * community_size as u64) as f64
    );
    let nodes = communities * community_size;
    let s = community_size;
    let p_in = (mean_degree_in / (s - 1) as f64).clamp(0.0, 1.0);
    let p_out = if communities > 1 {
        (mean_degree_out / ((communities - 1) as f64 * s as f64)).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let start = |v: u32| v / s * s;
    let expected = nodes as f64 * (mean_degree_in + mean_degree_out) / 2.0;
    let mut edges = Vec::with_capacity((expected + 5.0 * expected.sqrt()) as usize + 16);
    bernoulli_cells(
        rng,
        p_in,
        nodes,
        |v| (v - start(v)) as u64,
        |v, c| edges.push((start(v) + c as u32, v)),
    );
    bernoulli_cells(
        rng,
        p_out,
        nodes,
        |v| start(v) as u64,
        |v, c| edges.push((c as u32, v)),
    );
    Generated {
        nodes,
        edges: canonical_edges(nodes, edges),
        segments: Some((0..nodes).map(|v| v / s).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::assert_canonical;
    use super::super::{generate, Generated};
    use crate::graph::GeneratorSpec;

    fn sbm(communities: u32, community_size: u32, d_in: f64, d_out: f64, seed: u64) -> Generated {
        generate(
            &GeneratorSpec::StochasticBlock {
                communities,
                community_size,
                mean_degree_in: d_in,
                mean_degree_out: d_out,
            },
            seed,
        )
    }

    #[test]
    fn invariants_and_determinism() {
        let a = sbm(5, 400, 6.0, 2.0, 7);
        assert_canonical(&a);
        assert_eq!(a.nodes, 2_000);
        assert_eq!(a.edges, sbm(5, 400, 6.0, 2.0, 7).edges);
        assert_ne!(a.edges, sbm(5, 400, 6.0, 2.0, 8).edges);
    }

    #[test]
    fn segments_are_contiguous_communities() {
        let g = sbm(4, 3, 2.0, 1.0, 1);
        assert_eq!(g.segments, Some(vec![0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]));
    }

    #[test]
    fn within_and_across_counts_match_binomial_means() {
        let (c, s, d_in, d_out) = (10u32, 500u32, 8.0, 4.0);
        let g = sbm(c, s, d_in, d_out, 42);
        assert_canonical(&g);
        let seg = g.segments.as_ref().expect("stochastic block sets segments");
        let within = g
            .edges
            .iter()
            .filter(|&&(u, v)| seg[u as usize] == seg[v as usize])
            .count() as f64;
        let across = g.edges.len() as f64 - within;

        // Each family is Binomial(pairs, p): check both within five standard
        // deviations (false-alarm rate 6e-7 each). Means are 20 000 and
        // 10 000, sds ≈ 140 and 100.
        let (c, s) = (c as f64, s as f64);
        let pairs_in = c * s * (s - 1.0) / 2.0;
        let p_in = d_in / (s - 1.0);
        let pairs_out = c * (c - 1.0) / 2.0 * s * s;
        let p_out = d_out / ((c - 1.0) * s);
        for (name, count, pairs, p) in [
            ("within", within, pairs_in, p_in),
            ("across", across, pairs_out, p_out),
        ] {
            let (mu, sd) = (pairs * p, (pairs * p * (1.0 - p)).sqrt());
            assert!(
                (count - mu).abs() < 5.0 * sd,
                "{name}: {count}, expected {mu} ± {sd}"
            );
        }
    }

    #[test]
    fn single_community_has_no_cross_edges_and_full_blocks_are_cliques() {
        let g = sbm(1, 300, 10.0, 0.0, 5);
        assert_canonical(&g);
        assert!(g.segments.as_ref().unwrap().iter().all(|&x| x == 0));

        // p_in = 1, p_out = 0: disjoint cliques.
        let g = sbm(3, 5, 4.0, 0.0, 5);
        assert_eq!(g.edges.len(), 3 * 10);
        let seg = g.segments.unwrap();
        assert!(g
            .edges
            .iter()
            .all(|&(u, v)| seg[u as usize] == seg[v as usize]));
    }
}
