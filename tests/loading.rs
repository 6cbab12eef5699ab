//! Reading a plain edge list from a file (blocks parsed in parallel
//! chunks) gives exactly what reading it line by line gives.

mod common;

use std::path::Path;

use viralsim::graph::edgelist;

/// An edge list of `lines` lines over about 5,000 ids, with comments,
/// blank lines, CRLF line ends and further columns mixed in.
fn messy_edge_list(lines: u32) -> String {
    let mut text = String::from("# a network\n% from somewhere\n");
    let mut x: u64 = 12345;
    for i in 0..lines {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let (u, v) = ((x >> 33) % 5000, (x >> 13) % 5000);
        match i % 7 {
            0 => text.push_str(&format!("{u} {v}\r\n")),
            1 => text.push_str(&format!("{u},{v},0.5\n")),
            2 => text.push_str(&format!("\t{u}\t{v}  1700000000\n\n")),
            3 => text.push_str(&format!("# line {i}\n{u} {v}\n")),
            _ => text.push_str(&format!("{u} {v}\n")),
        }
    }
    text.push_str("1 2");
    text
}

#[test]
fn a_file_read_in_chunks_is_the_file_read_line_by_line() {
    let dir = tempfile::tempdir().unwrap();
    // Several chunks of a block, the last line without a line end.
    let text = messy_edge_list(60_000);
    let path = common::write(dir.path(), "net.txt", &text);
    for directed in [false, true] {
        let (fast, a) = edgelist::read(&path, directed).unwrap();
        let (slow, b) = edgelist::parse(text.as_bytes(), Path::new("net.txt"), directed).unwrap();
        assert_eq!(a, b);
        assert_eq!(fast.fingerprint(), slow.fingerprint());
        assert_eq!((fast.nodes(), fast.arcs()), (slow.nodes(), slow.arcs()));
        for u in 0..fast.nodes() {
            assert_eq!(fast.followers(u), slow.followers(u));
            assert_eq!(fast.label(u), slow.label(u));
        }
    }
}

#[test]
fn a_bad_line_deep_in_a_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = messy_edge_list(50_000);
    text.push_str("\n3 4\n5 x6\n7 8\n");
    let lines = text.lines().count();
    let path = common::write(dir.path(), "net.txt", &text);
    let got = edgelist::read(&path, false).unwrap_err().to_string();
    let want = format!("net.txt:{}: node id `x6`", lines - 1);
    assert!(got.contains(&want), "{got} (want {want})");
}
