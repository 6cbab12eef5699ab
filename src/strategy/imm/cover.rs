//! Greedy maximum coverage of RR sets: by count, and within a budget the
//! better of the per-cost and the plain greedy.

use super::*;

/// Greedy maximum coverage: `k` people, each in turn the one in the most
/// sets not yet covered, ties to the smaller original id (lazy evaluation
/// on a heap; each set's members are visited once when it is covered, so
/// the work is O(total size + n log n)). Returns the people in selection
/// order and how many sets they cover.
#[cfg(test)]
pub(super) fn max_coverage(graph: &Graph, sets: &RrSets, k: u32) -> (Vec<Node>, u64) {
    let costs = Costs::uniform(graph.nodes());
    greedy_cover(graph, sets, Purse::new(&costs, Limit::Count(k)), false)
}

/// The most people `purse` can seed: a count, or how many of the cheapest
/// people it may take the budget pays for.
pub(super) fn most_seeds(purse: &Purse, nodes: u32) -> u32 {
    match purse.limit() {
        Limit::Count(k) => k,
        Limit::Budget(budget) => {
            let mut cost: Vec<f64> = purse
                .candidates(nodes)
                .into_iter()
                .map(|v| purse.costs().of(v))
                .collect();
            cost.sort_by(f64::total_cmp);
            let mut spent = 0.0;
            cost.iter()
                .take_while(|&&c| {
                    spent += c;
                    spent <= budget
                })
                .count() as u32
        }
    }
}

/// The greedy cover within `purse` (empty: nothing spent yet): under a
/// count, plain greedy max coverage; under a budget, the better of the
/// greedy by sets covered per unit of cost and the greedy by sets covered,
/// both taking only people the money left pays for (Leskovec et al. 2007).
pub(super) fn cost_effective_cover(
    graph: &Graph,
    sets: &RrSets,
    purse: &Purse,
) -> (Vec<Node>, u64) {
    let plain = greedy_cover(graph, sets, purse.clone(), false);
    match purse.limit() {
        Limit::Count(_) => plain,
        Limit::Budget(_) => {
            let per_cost = greedy_cover(graph, sets, purse.clone(), true);
            if per_cost.1 >= plain.1 {
                per_cost
            } else {
                plain
            }
        }
    }
}

/// Greedy max coverage within `purse` (with `per_cost`, ranking sets
/// covered per unit of cost). Under a count, once no one covers anything
/// more the places left go to the smallest ids; under a budget no money is
/// spent on people who add nothing.
pub(super) fn greedy_cover(
    graph: &Graph,
    sets: &RrSets,
    mut purse: Purse,
    per_cost: bool,
) -> (Vec<Node>, u64) {
    let n = graph.nodes() as usize;
    // Person -> the sets holding them, by counting sort.
    let mut start = vec![0usize; n + 1];
    for &v in &sets.members {
        start[v as usize + 1] += 1;
    }
    for v in 0..n {
        start[v + 1] += start[v];
    }
    let mut index = vec![0u32; sets.members.len()];
    {
        let mut next = start[..n].to_vec();
        for j in 0..sets.stored() {
            for &v in sets.set(j) {
                index[next[v as usize]] = j as u32;
                next[v as usize] += 1;
            }
        }
    }
    let costs = purse.costs();
    let rank = |v: Node, gain: u32| {
        let value = if per_cost {
            gain as f64 / costs.of(v)
        } else {
            gain as f64
        };
        CoverRank(value, Desc(graph.label(v)))
    };
    // A set of one counted person is covered only by seeding them.
    let mut gain: Vec<u32> = (0..n)
        .map(|v| (start[v + 1] - start[v]) as u32 + sets.singles_of(v as Node))
        .collect();
    let mut covered = vec![false; sets.stored()];
    let mut heap: BinaryHeap<(CoverRank, u32, Node)> = (0..n as Node)
        .filter(|&v| gain[v as usize] > 0 && purse.may_take(v))
        .map(|v| (rank(v, gain[v as usize]), gain[v as usize], v))
        .collect();
    let mut chosen = vec![false; n];
    let mut seeds = Vec::new();
    let mut total = 0u64;
    while !purse.is_spent() {
        let Some((_, g, v)) = heap.pop() else {
            break;
        };
        if !purse.fits(v) {
            // The money left only shrinks: never affordable again.
            continue;
        }
        let now = gain[v as usize];
        if g != now {
            // Gains only fall: re-file at the current one.
            if now > 0 {
                heap.push((rank(v, now), now, v));
            }
            continue;
        }
        purse.take(v);
        seeds.push(v);
        chosen[v as usize] = true;
        total += g as u64;
        for &j in &index[start[v as usize]..start[v as usize + 1]] {
            if !covered[j as usize] {
                covered[j as usize] = true;
                for &u in sets.set(j as usize) {
                    gain[u as usize] -= 1;
                }
            }
        }
    }
    if let Limit::Count(_) = purse.limit() {
        if !purse.is_spent() {
            // Everyone left adds nothing: the smallest ids.
            let mut rest: Vec<Node> = (0..n as Node)
                .filter(|&v| !chosen[v as usize] && purse.may_take(v))
                .collect();
            rest.sort_unstable_by_key(|&v| graph.label(v));
            for v in rest {
                if purse.is_spent() {
                    break;
                }
                purse.take(v);
                seeds.push(v);
            }
        }
    }
    (seeds, total)
}

/// A cover candidate's rank: its (per-cost) gain, ties to the smaller id.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct CoverRank(f64, Desc<u64>);

impl Eq for CoverRank {}

impl PartialOrd for CoverRank {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for CoverRank {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0).then(self.1.cmp(&other.1))
    }
}
