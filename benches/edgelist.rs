//! Reading a plain edge list, file to graph, on 2 worker threads:
//! Barabási–Albert n = 1,000,000, m = 5 (about 5 million `u v` lines,
//! 65 MB), written once to a temporary file. Throughput is reported in
//! bytes of the file per second.
//!
//! Set VIRALSIM_BENCH_LOAD to an edge-list file to read it instead (e.g.
//! /tmp/peerbench/graphs/ba_1m_m5_s1.txt, the file the peer comparison
//! reads).

use std::io::Write;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use viralsim::graph::{edgelist, generators};
use viralsim::scenario::GeneratorSpec;

/// The file read: the one named, or a generated one kept in `_dir`.
fn edge_file() -> (PathBuf, Option<tempfile::TempDir>) {
    if let Ok(path) = std::env::var("VIRALSIM_BENCH_LOAD") {
        return (PathBuf::from(path), None);
    }
    let g = generators::generate(
        &GeneratorSpec::BarabasiAlbert {
            nodes: 1_000_000,
            edges_per_node: 5,
        },
        1,
    );
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("ba_1m_m5.txt");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("a temporary file"));
    for &(u, v) in &g.edges {
        writeln!(out, "{u} {v}").expect("the temporary file written");
    }
    out.flush().expect("the temporary file written");
    (path, Some(dir))
}

fn load(c: &mut Criterion) {
    let (path, _dir) = edge_file();
    let bytes = std::fs::metadata(&path)
        .expect("the edge list exists")
        .len();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let read =
        |path: &Path| pool.install(|| edgelist::read(path, false).expect("a valid edge list"));
    let (graph, _) = read(&path);
    eprintln!(
        "{}: {bytes} bytes, {} people, {} arcs, fingerprint {:016x}",
        path.display(),
        graph.nodes(),
        graph.arcs(),
        graph.fingerprint()
    );
    drop(graph);
    let mut group = c.benchmark_group("edgelist");
    group.throughput(Throughput::Bytes(bytes));
    group.sample_size(20);
    group.bench_function("plain_ba1m_2threads", |b| b.iter(|| read(&path)));
    group.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
