//! Triangles and clustering coefficients, on the undirected simple view.

use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;
use serde::Serialize;

use crate::graph::{Neighbours, Node};

/// Triangles, on the undirected simple view (an arc either way is a link).
#[derive(Debug, Clone, Serialize)]
pub struct Clustering {
    /// Mean over people of the share of pairs of their contacts who are
    /// linked (people with fewer than two contacts count 0, as in networkx).
    pub average_local: f64,
    /// 3 x triangles / connected triples (transitivity).
    pub global: f64,
    /// Number of triangles.
    pub triangles: u64,
}

/// Triangles through each person, on the undirected view. Each triangle is
/// found once, from its lowest-ranked corner, ranking people by (contacts,
/// index) and following links only towards higher rank (Schank & Wagner
/// 2005, "forward"): at most sqrt(2 x links) higher-ranked contacts each, so
/// hubs cost little.
pub fn triangles(neighbours: &Neighbours) -> Vec<u64> {
    let n = neighbours.len();
    let degree = |v: Node| neighbours.of(v).len();
    let higher = |v: Node, w: Node| (degree(w), w) > (degree(v), v);
    let mut offsets = Vec::with_capacity(n + 1);
    offsets.push(0usize);
    let mut forward: Vec<Node> = Vec::new();
    for v in 0..n as Node {
        forward.extend(neighbours.of(v).iter().filter(|&&w| higher(v, w)));
        offsets.push(forward.len());
    }
    let row = |v: Node| &forward[offsets[v as usize]..offsets[v as usize + 1]];
    // People are taken in blocks across threads, each with its own marks;
    // the counts are whole numbers, so adding them in any order gives the
    // same totals.
    let through: Vec<AtomicU64> = (0..n).map(|_| AtomicU64::new(0)).collect();
    (0..n as Node)
        .into_par_iter()
        .with_min_len(BLOCK)
        .for_each_init(
            || vec![Node::MAX; n],
            |mark, u| {
                for &w in row(u) {
                    mark[w as usize] = u;
                }
                let mut found = 0;
                for &v in row(u) {
                    for &w in row(v) {
                        if mark[w as usize] == u {
                            found += 1;
                            through[v as usize].fetch_add(1, Ordering::Relaxed);
                            through[w as usize].fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
                if found > 0 {
                    through[u as usize].fetch_add(found, Ordering::Relaxed);
                }
            },
        );
    through.into_iter().map(AtomicU64::into_inner).collect()
}

/// People a thread takes at least at a time in [`triangles`]: enough that
/// a thread's marks are set up rarely.
const BLOCK: usize = 1 << 16;

/// Average local and global clustering, and the triangle count.
pub fn clustering(neighbours: &Neighbours) -> Clustering {
    let through = triangles(neighbours);
    let mut local = 0.0;
    let mut closed = 0u64;
    let mut triples = 0u64;
    for (v, &t) in through.iter().enumerate() {
        let k = neighbours.of(v as Node).len() as u64;
        if k >= 2 {
            let pairs = k * (k - 1) / 2;
            local += t as f64 / pairs as f64;
            triples += pairs;
            closed += t;
        }
    }
    Clustering {
        average_local: local / through.len().max(1) as f64,
        global: if triples > 0 {
            closed as f64 / triples as f64
        } else {
            0.0
        },
        triangles: closed / 3,
    }
}
