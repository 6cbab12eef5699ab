//! Independent-cascade throughput: Barabási–Albert n = 100,000, m = 5,
//! uniform p = 0.02 (trust 1), the 10 best-followed people as seeds, one
//! worker thread; and Erdős–Rényi n = 100,000, mean degree 10, p = 0.05,
//! below the epidemic threshold, where a run's fixed costs weigh most
//! (about 35 sharers a run). Throughput is reported in simulations (runs)
//! per second.
//!
//! The group `stats` times the statistics of the subcritical row's runs
//! (every step's mean, spread and percentiles over 100,000 runs), the
//! part of a run's cost that comes after its cascade.
//!
//! Set VIRALSIM_BENCH_EDGES to an edge-list file to also measure the same
//! workload on it (e.g. the graph a peer library reads, for a side-by-side
//! comparison).

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use viralsim::engine::{self, Acceptance};
use viralsim::graph::{edgelist, generators, Graph};
use viralsim::model::IndependentCascade;
use viralsim::model::Seeds;
use viralsim::scenario::GeneratorSpec;
use viralsim::stats::OutcomeStats;
use viralsim::strategy::top_degree_seeds;

const RUNS: u32 = 500;
/// Far more steps than a cascade at p = 0.02 lasts, so every run completes.
const STEPS: u32 = 1_000;
const P: f64 = 0.02;

fn bench_graph(c: &mut Criterion, label: &str, graph: &Graph) {
    bench_with(c, label, graph, P, RUNS);
}

/// The 10 best-followed people, the cascade at `p`, and one worker thread.
fn workload(graph: &Graph, p: f64) -> (Seeds, IndependentCascade<'_>, rayon::ThreadPool) {
    let seeds = Seeds::Fixed(top_degree_seeds(graph, 10));
    let model = IndependentCascade::new(graph, p, STEPS, 12345);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    (seeds, model, pool)
}

fn bench_with(c: &mut Criterion, label: &str, graph: &Graph, p: f64, runs: u32) {
    let (seeds, model, pool) = workload(graph, p);
    let mut group = c.benchmark_group("cascade");
    group.throughput(Throughput::Elements(runs as u64));
    group.sample_size(20);
    group.bench_function(label, |b| {
        b.iter(|| {
            pool.install(|| engine::simulate(&model, &seeds, Acceptance::ALL, runs, STEPS, &|_| {}))
        })
    });
    group.finish();
}

fn bench_stats(c: &mut Criterion, label: &str, graph: &Graph, p: f64, runs: u32) {
    let (seeds, model, pool) = workload(graph, p);
    let outcome =
        pool.install(|| engine::simulate(&model, &seeds, Acceptance::ALL, runs, STEPS, &|_| {}));
    let mut group = c.benchmark_group("stats");
    group.throughput(Throughput::Elements(runs as u64));
    group.sample_size(20);
    group.bench_function(label, |b| {
        b.iter(|| pool.install(|| OutcomeStats::of(&outcome)))
    });
    group.finish();
}

fn cascade(c: &mut Criterion) {
    let g = generators::generate(
        &GeneratorSpec::BarabasiAlbert {
            nodes: 100_000,
            edges_per_node: 5,
        },
        1,
    );
    let graph = Graph::from_undirected(g.nodes, &g.edges);
    bench_graph(c, "ba100k_m5_p0.02_top10_1thread", &graph);
    let g = generators::generate(
        &GeneratorSpec::ErdosRenyi {
            nodes: 100_000,
            mean_degree: 10.0,
        },
        1,
    );
    let graph = Graph::from_undirected(g.nodes, &g.edges);
    bench_with(c, "er100k_c10_p0.05_top10_1thread", &graph, 0.05, 20_000);
    bench_stats(
        c,
        "er100k_c10_p0.05_100k_runs_1thread",
        &graph,
        0.05,
        100_000,
    );
    if let Ok(path) = std::env::var("VIRALSIM_BENCH_EDGES") {
        let (graph, _) = edgelist::read(Path::new(&path), false)
            .expect("VIRALSIM_BENCH_EDGES is a readable edge list");
        bench_graph(c, "edges_file_p0.02_top10_1thread", &graph);
    }
}

criterion_group!(benches, cascade);
criterion_main!(benches);
