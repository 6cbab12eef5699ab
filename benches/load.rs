//! Time of the graph readers alone, without the rest of a run's loading
//! (costs, checks of the scenario): a text edge list against a binary
//! graph (not a test; run it by hand):
//!
//!   cargo bench --bench load -- FILE... [--repeat N]
//!
//! Each file is read N times (default 7), alternating between the files;
//! the minimum and the median of each are printed, in seconds.

use std::path::PathBuf;
use std::time::Instant;

use viralsim::graph::{self, GraphSource};
use viralsim::resources::Memory;

fn main() {
    let mut files = Vec::new();
    let mut repeat = 7;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--repeat" => repeat = args.next().and_then(|n| n.parse().ok()).unwrap_or(repeat),
            // cargo bench passes --bench to every bench harness.
            "--bench" => {}
            _ => files.push(PathBuf::from(a)),
        }
    }
    if files.is_empty() {
        eprintln!("usage: cargo bench --bench load -- FILE... [--repeat N]");
        return;
    }
    let memory = Memory::of_machine();
    let mut times = vec![Vec::new(); files.len()];
    for _ in 0..repeat {
        for (f, path) in files.iter().enumerate() {
            let source = GraphSource::EdgeList {
                path: path.clone(),
                directed: false,
            };
            let t = Instant::now();
            let (g, _) = graph::load(&source, &memory).expect("the graph loads");
            times[f].push(t.elapsed().as_secs_f64());
            std::hint::black_box(g.fingerprint());
        }
    }
    for (path, t) in files.iter().zip(&mut times) {
        t.sort_by(f64::total_cmp);
        println!(
            "{}: min {:.4} s, median {:.4} s ({} reads)",
            path.display(),
            t[0],
            t[t.len() / 2],
            t.len()
        );
    }
}
