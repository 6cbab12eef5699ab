//! Plain edge lists read in place (a map of the file) and built into rows
//! by counting give exactly the graph the line-by-line reader gives, on
//! any number of threads, and a pipe (read through a buffer) the same.

mod common;

use std::path::Path;

use viralsim::graph::{edgelist, Graph};

/// An edge list of `lines` lines over ids from 1 up, about one in ten
/// missing, with repeated edges (both ways), self-loops, comments, blank
/// lines, CRLF line ends and further columns mixed in.
fn edge_list(lines: u32, ids: u64) -> String {
    let mut text = String::from("# a network\n");
    let mut x: u64 = 99;
    let mut id = || {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let i = 1 + (x >> 33) % ids;
        if i % 10 == 3 {
            i + 1
        } else {
            i
        }
    };
    for i in 0..lines {
        let (u, v) = (id(), id());
        match i % 11 {
            0 => text.push_str(&format!("{u} {v}\r\n")),
            1 => text.push_str(&format!("{u},{v},0.5\n")),
            2 => text.push_str(&format!("{u} {v}\n{v} {u}\n{u} {v}\n")),
            3 => text.push_str(&format!("% c {i}\n\n{u}\t{v}\n")),
            4 => text.push_str(&format!("{u} {u}\n")),
            _ => text.push_str(&format!("{u} {v}\n")),
        }
    }
    text
}

/// Everything a graph read holds that the simulation sees.
fn summary(graph: &Graph, cleaning: edgelist::Cleaning) -> String {
    let rows: Vec<(u64, Vec<u64>)> = (0..graph.nodes())
        .map(|u| {
            let followers = graph.followers(u).iter().map(|&v| graph.label(v)).collect();
            (graph.label(u), followers)
        })
        .collect();
    format!(
        "{:016x} {cleaning:?} {} {rows:?}",
        graph.fingerprint(),
        graph.heap_bytes()
    )
}

#[test]
fn a_mapped_file_is_the_file_read_line_by_line_on_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let text = edge_list(120_000, 30_000);
    let path = common::write(dir.path(), "net.txt", &text);
    for directed in [false, true] {
        let (slow, c) = edgelist::parse(text.as_bytes(), Path::new("net.txt"), directed).unwrap();
        assert!(c.duplicates > 1000 && c.self_loops > 1000, "{c:?}");
        let want = summary(&slow, c);
        let got = common::assert_same_on_threads(&[1, 2, 3], || {
            let (fast, c) = edgelist::read(&path, directed).unwrap();
            summary(&fast, c)
        });
        assert_eq!(got, want, "directed {directed}");
    }
}

#[cfg(unix)]
#[test]
fn a_pipe_gives_what_the_file_gives() {
    let dir = tempfile::tempdir().unwrap();
    let text = edge_list(60_000, 20_000);
    let file = common::write(dir.path(), "net.txt", &text);
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("no mkfifo here: skipped");
        return;
    }
    let writer = {
        let (fifo, text) = (fifo.clone(), text.clone());
        std::thread::spawn(move || std::fs::write(fifo, text).unwrap())
    };
    let (piped, a) = edgelist::read(&fifo, false).unwrap();
    writer.join().unwrap();
    let (mapped, b) = edgelist::read(&file, false).unwrap();
    assert_eq!(summary(&piped, a), summary(&mapped, b));
}

#[test]
fn a_run_on_an_edge_list_is_the_same_on_one_and_two_threads() {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "net.txt", &edge_list(20_000, 5_000));
    let scenario = "version = 1\nname = \"counted\"\n\n[graph]\nedges = \"net.txt\"\n\n\
                    [content]\nstickiness = 0.1\n\n[simulation]\nruns = 20\nsteps = 10\nseed = 3\n\n\
                    [[strategy]]\nname = \"top\"\nkind = \"top-degree\"\ncount = 5\n";
    let path = common::write(dir.path(), "s.toml", scenario);
    common::assert_same_outputs_on_one_and_two_threads(dir.path(), &path, "counted");
}
