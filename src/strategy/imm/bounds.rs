//! The IMM bounds (Tang, Shi & Xiao 2015): how many RR sets the lower bound
//! and the final selection need for the guarantee, drawn within the memory
//! the run leaves, and the selection itself.

use super::*;

/// Inputs of one selection.
#[derive(Clone, Copy)]
pub(super) struct Params<'a> {
    /// How many people, or how much money.
    pub(super) limit: Limit,
    pub(super) costs: &'a Costs,
    /// Who may be seeded, by node (None: everyone).
    pub(super) allowed: Option<&'a [bool]>,
    /// Chance that an invited person posts.
    pub(super) acceptance: f64,
    /// Steps the spread runs: reach is counted by then (`u32::MAX`: when
    /// the spread is over).
    pub(super) horizon: u32,
    pub(super) epsilon: f64,
    pub(super) ell: f64,
    /// The scenario seed.
    pub(super) seed: u64,
    /// Memory allowed for the RR sets and their index.
    pub(super) max_bytes: u64,
    /// Return the sure cover at once when it reaches everyone.
    pub(super) full_cover_is_optimal: bool,
    /// Whom the RR sets start from and what a root counts (everyone,
    /// reached, by default).
    pub(super) roots: Roots<'a>,
    /// Told how many of how many RR sets of the current batch are drawn.
    pub(super) progress: &'a dyn Fn(u64, u64),
}

/// What a selection found (the figures besides the seeds are for tests and
/// timings).
#[derive(Debug, Clone)]
#[cfg_attr(not(test), allow(dead_code))]
pub(super) struct Selection {
    /// The seeds, in selection order.
    pub(super) seeds: Vec<Node>,
    /// LB, the lower bound of OPT used for theta.
    pub(super) lower_bound: f64,
    /// The deterministic part of it, LB0.
    pub(super) deterministic_bound: f64,
    /// RR sets drawn to set the lower bound.
    pub(super) lower_bound_sets: u64,
    /// theta, the fresh RR sets of the final selection.
    pub(super) theta: u64,
    /// Mean members per final RR set.
    pub(super) mean_set_size: f64,
    /// N x the fraction of the final sets the seeds cover (N the people
    /// roots are drawn among): their estimated expected value.
    pub(super) estimated_reach: f64,
    /// Per seed, in order, the estimated reach it added: the sets it
    /// covered first x n / the sets.
    pub(super) gains: Vec<f64>,
}

/// The RR sets needed do not fit in memory.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct TooBig {
    pub(super) sets: u64,
    pub(super) members: u64,
    pub(super) bytes: u64,
    pub(super) max_bytes: u64,
}

impl TooBig {
    /// The refusal, with `memory` the room the sets had (see
    /// [`Memory::describe`]).
    pub(super) fn message(&self, epsilon: f64, memory: &Memory) -> String {
        // The number of sets falls as 1/epsilon^2.
        let suggested = epsilon * (self.bytes as f64 / self.max_bytes as f64).sqrt() * 1.1;
        let advice = if suggested <= 1.0 {
            format!(
                "use a larger epsilon (the number of sets falls as 1/epsilon^2; try {:.2} or more) or a smaller count (fewer seeds need fewer sets)",
                (suggested * 100.0).ceil() / 100.0
            )
        } else {
            "even epsilon = 1 would not fit: use a smaller count or a cheaper strategy such as degree-discount"
                .to_string()
        };
        // Each set holds at least its root: with no more members than
        // sets, none were drawn and the members are a lower bound.
        let (about, members) = if self.members <= self.sets {
            ("at least", "")
        } else {
            ("about", " holding about")
        };
        let members = if members.is_empty() {
            String::new()
        } else {
            format!("{members} {} people in all", self.members)
        };
        format!(
            "epsilon {epsilon} needs about {} reverse-reachable sets{members} on this graph, {about} {} with their index, more than the {} left for them beside the graph ({memory}); {advice}",
            self.sets,
            human(self.bytes),
            human(self.max_bytes),
        )
    }
}

/// Bytes of `sets` RR sets with `members` members in all, with the index of
/// the greedy: members and their set ids (4 bytes each), an offset and a
/// covered flag per set, and per-person counters.
pub(super) fn bytes_needed(sets: u64, members: u64, nodes: u32) -> u64 {
    members
        .saturating_mul(8)
        .saturating_add(sets.saturating_mul(9))
        .saturating_add(nodes as u64 * 32)
}

/// ln C(n, k), summed exactly.
pub(super) fn ln_choose(n: u32, k: u32) -> f64 {
    let k = k.min(n - k);
    (0..k).map(|i| ((n - i) as f64 / (i + 1) as f64).ln()).sum()
}

/// ln of the number of seed sets the union bounds must cover among `m`
/// people: C(m, k) for exactly `k` seeds (a count), the sum of C(m, j) for
/// j = 1 to `k` for any set a budget can buy (it buys at most `k`).
pub(super) fn ln_seed_sets(m: u32, k: u32, limit: Limit) -> f64 {
    match limit {
        Limit::Count(_) => ln_choose(m, k),
        Limit::Budget(_) => {
            // ln C(m, j) term by term, summed as exp(t - max) to stay finite.
            let mut terms = Vec::with_capacity(k as usize);
            let mut ln_c = 0.0;
            for j in 1..=k.min(m) {
                ln_c += ((m - j + 1) as f64 / j as f64).ln();
                terms.push(ln_c);
            }
            let top = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            top + terms.iter().map(|t| (t - top).exp()).sum::<f64>().ln()
        }
    }
}

/// Algorithm 3, line 1: IMM bounds each of its two phases' failure by
/// n^-ell', so that together they fail with probability at most n^-ell.
/// ell' = ell + ln 2 / ln n gives n^-ell' = n^-ell / 2 exactly, for any ell
/// above 0; the paper's ell (1 + ln 2 / ln n) does so only for ell >= 1.
pub(super) fn phase_ell(ell: f64, ln_n: f64) -> f64 {
    ell + LN_2 / ln_n
}

/// IMM on `graph` with in-arcs `reverse`.
pub(super) fn select(
    graph: &Graph,
    reverse: &ReverseGraph,
    params: &Params,
) -> Result<Selection, TooBig> {
    let n = graph.nodes();
    let purse = Purse::among(params.costs, params.limit, params.allowed);
    // Only the people who may be seeded make up the candidate sets: the
    // union bounds run over sets of them.
    let eligible = purse.candidates(n).len() as u32;
    // The most seeds the limit allows sets the sample sizes; the union
    // bounds run over every set the limit allows (see `ln_seed_sets`).
    let k = most_seeds(&purse, n).min(eligible);
    let cover = |sets: &RrSets| cost_effective_cover(graph, sets, &purse);
    // Every estimate is N x a fraction of sets covered, N the people the
    // roots are drawn among; the analysis holds with N in place of n as
    // the scale (OPT <= N), while the failure probability stays 1/n^ell.
    let population = params.roots.population(n);
    if k == 0 || n < 2 || population == 0 || params.acceptance <= 0.0 {
        // Nothing to choose between (and ln n would be 0), or nobody
        // invited ever posts: every set reaches no one, and the cover of
        // the closed neighbourhoods says whom each would have reached.
        let (seeds, estimated_reach, each) = if params.acceptance <= 0.0 && k > 0 && population > 0
        {
            (cover(&sure_sets(reverse, params.roots)).0, 0.0, 0.0)
        } else {
            let seeds = cover(&RrSets::default()).0;
            let reach = seeds.len() as f64;
            (seeds, reach, 1.0)
        };
        return Ok(Selection {
            estimated_reach,
            gains: vec![each; seeds.len()],
            seeds,
            lower_bound: 0.0,
            deterministic_bound: 0.0,
            lower_bound_sets: 0,
            theta: 0,
            mean_set_size: 0.0,
        });
    }
    let nf = population as f64;
    let ln_n = (n as f64).ln();
    let epsilon = params.epsilon;
    let ell = phase_ell(params.ell, ln_n);
    let ln_binom = ln_seed_sets(eligible, k, params.limit);
    // Algorithm 2, line 2: epsilon' = sqrt(2) epsilon.
    let eps1 = SQRT_2 * epsilon;
    // Eq. 9: lambda' = (2 + 2/3 epsilon') (ln C(n,k) + ell ln n + ln log2 n) n / epsilon'^2.
    let lambda_prime =
        (2.0 + 2.0 / 3.0 * eps1) * (ln_binom + ell * ln_n + nf.max(2.0).log2().ln()) * nf
            / (eps1 * eps1);
    // Eq. 5: alpha = sqrt(ell ln n + ln 2),
    //        beta = sqrt((1 - 1/e) (ln C(n,k) + ell ln n + ln 2)).
    let e1 = 1.0 - (-1.0f64).exp();
    let alpha = (ell * ln_n + LN_2).sqrt();
    let beta = (e1 * (ln_binom + ell * ln_n + LN_2)).sqrt();
    // Eq. 6: lambda* = 2 n ((1 - 1/e) alpha + beta)^2 / epsilon^2.
    let lambda_star = 2.0 * nf * (e1 * alpha + beta).powi(2) / (epsilon * epsilon);

    // LB0: the greedy cover of closed neighbourhoods (a seed and its
    // followers are reached whatever the coins), a sure lower bound of OPT.
    let neighbourhoods = sure_sets(reverse, params.roots);
    let (sure, lb0) = cover(&neighbourhoods);
    let certain = params.acceptance >= 1.0;
    if lb0 == population as u64 && certain && params.full_cover_is_optimal {
        // It reaches everyone whatever the coins: no seed set does better.
        return Ok(Selection {
            gains: first_covers(&neighbourhoods, &sure, n)
                .into_iter()
                .map(|c| c as f64)
                .collect(),
            seeds: sure,
            lower_bound: nf,
            deterministic_bound: nf,
            lower_bound_sets: 0,
            theta: 0,
            mean_set_size: 0.0,
            estimated_reach: nf,
        });
    }
    // When invited people may decline, each person the cover reaches is
    // still reached with probability at least `acceptance`.
    let lb0 = lb0 as f64 * params.acceptance;

    // Algorithm 2, lines 3-11: the lower bound LB from phase-1 RR sets.
    let phase1 = Sampler {
        reverse,
        nodes: n,
        seed: params.seed,
        phase: PHASE_LOWER_BOUND,
        acceptance: rng::threshold(params.acceptance),
        horizon: params.horizon,
        roots: params.roots,
    };
    let mut sets = RrSets::default();
    let mut lower_bound = lb0;
    let mut i = 1i32;
    while (i as f64) <= nf.log2() - 1.0 {
        let x = nf / 2f64.powi(i);
        if x < lb0 {
            // The test at 2x failed (at x = n/2: no one reaches more than
            // n = 2x), so a success here would certify LB < 2x < 2 LB0, at
            // the price of lambda'/x sets, more than the final phase needs
            // with LB0 (lambda' and lambda* are of one size): not worth it.
            break;
        }
        // theta_i = lambda' / x.
        let theta_i = (lambda_prime / x).ceil() as u64;
        phase1.extend(&mut sets, theta_i, params.max_bytes, &|done| {
            (params.progress)(done, theta_i)
        })?;
        let (_, covered) = cover(&sets);
        let spread = nf * covered as f64 / sets.len() as f64;
        if spread >= (1.0 + eps1) * x {
            lower_bound = lower_bound.max(spread / (1.0 + eps1));
            break;
        }
        i += 1;
    }
    let lower_bound_sets = sets.len() as u64;
    let phase1_mean = sets.mean_size();
    drop(sets);

    // Algorithm 2, line 12: theta = lambda* / LB, drawn afresh (Chen 2018).
    let theta = (lambda_star / lower_bound).ceil().max(1.0);
    let theta = if theta >= u64::MAX as f64 {
        u64::MAX
    } else {
        theta as u64
    };
    if let Some(mean) = phase1_mean {
        let members = (mean * theta as f64) as u64;
        check_fits(theta, members, n, params.max_bytes)?;
    }
    let phase2 = Sampler {
        phase: PHASE_FINAL,
        ..phase1
    };
    let mut sets = RrSets::default();
    phase2.extend(&mut sets, theta, params.max_bytes, &|done| {
        (params.progress)(done, theta)
    })?;
    let (seeds, covered) = cover(&sets);
    let scale = nf / sets.len() as f64;
    Ok(Selection {
        gains: first_covers(&sets, &seeds, n)
            .into_iter()
            .map(|c| c as f64 * scale)
            .collect(),
        seeds,
        lower_bound,
        deterministic_bound: lb0,
        lower_bound_sets,
        theta,
        mean_set_size: sets.mean_size().unwrap_or(0.0),
        estimated_reach: nf * covered as f64 / sets.len() as f64,
    })
}

/// Per seed of `seeds` (in order), the sets of `sets` it is the first of
/// them to cover: its marginal coverage when the greedy added it.
fn first_covers(sets: &RrSets, seeds: &[Node], nodes: u32) -> Vec<u64> {
    let mut rank = vec![u32::MAX; nodes as usize];
    for (i, &v) in seeds.iter().enumerate() {
        rank[v as usize] = i as u32;
    }
    let mut count = vec![0u64; seeds.len()];
    for j in 0..sets.stored() {
        let first = sets.set(j).iter().map(|&v| rank[v as usize]).min();
        if let Some(i) = first.filter(|&i| i != u32::MAX) {
            count[i as usize] += 1;
        }
    }
    // A counted set of one person is covered by that person alone.
    for (i, &v) in seeds.iter().enumerate() {
        count[i] += sets.singles_of(v) as u64;
    }
    count
}

/// Refuse `sets` sets of `members` members in all if they exceed the budget.
pub(super) fn check_fits(
    sets: u64,
    members: u64,
    nodes: u32,
    max_bytes: u64,
) -> Result<(), TooBig> {
    let bytes = bytes_needed(sets, members, nodes);
    if bytes > max_bytes || members > MAX_MEMBERS {
        return Err(TooBig {
            sets,
            members,
            bytes,
            max_bytes,
        });
    }
    Ok(())
}
