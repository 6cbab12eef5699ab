//! Fuzzing the two readers of user files, the scenario checker and the
//! edge-list reader: random bytes, and valid files mutated (bytes cut,
//! inserted or flipped; numbers swapped for extreme values; lines
//! duplicated, dropped or swapped). No input may panic: every one is either
//! accepted or refused with an error that names the file.
//!
//! CI runs a short fixed budget (`FUZZ_CASES`, default 1,024 cases per
//! property, the same inputs every time); a long hunt is
//! `PROPTEST_CASES=100000 cargo test --test fuzz`.

mod common;

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRng};

use common::root;
use viralsim::graph::{attributes, edgelist};
use viralsim::scenario;

/// The valid scenarios the mutations start from, with the path each is
/// checked as (relative edge-list paths resolve against its folder).
fn scenario_seeds() -> Vec<(PathBuf, String)> {
    let mut seeds = Vec::new();
    for folder in ["scenarios", "tests/fixtures/good"] {
        let dir = root().join(folder);
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        paths.sort();
        for p in paths {
            let text = std::fs::read_to_string(&p).unwrap();
            seeds.push((p, text));
        }
    }
    assert!(seeds.len() >= 10, "the scenarios to mutate were not found");
    seeds
}

/// The first lines of the bundled karate and Facebook edge lists.
fn edge_list_seed() -> String {
    let mut text = std::fs::read_to_string(root().join("data/karate.txt")).unwrap();
    let facebook = std::fs::read_to_string(root().join("data/facebook_combined.txt")).unwrap();
    text.extend(facebook.lines().take(200).flat_map(|l| [l, "\n"]));
    text
}

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .or_else(|_| std::env::var("FUZZ_CASES"))
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1024);
    Config {
        cases,
        // A fixed sequence of inputs: CI is reproducible, and a failure
        // shrinks to an input that can be pasted into a test.
        rng_algorithm: proptest::test_runner::RngAlgorithm::ChaCha,
        rng_seed: proptest::test_runner::RngSeed::Fixed(20_261_202),
        failure_persistence: None,
        ..Config::default()
    }
}

/// Values that break careless arithmetic: zero, signs, the ends of the
/// integer and float ranges, not-a-numbers.
const EXTREMES: &[&str] = &[
    "0",
    "-0",
    "-1",
    "1",
    "2",
    "0.0",
    "-0.0",
    "1e308",
    "-1e308",
    "1e-308",
    "5e-324",
    "nan",
    "inf",
    "-inf",
    "4294967295",
    "4294967296",
    "9223372036854775807",
    "-9223372036854775808",
    "0.999999999999",
    "1.0000000001",
    "100000000",
    "\"\"",
    "\"../..\"",
    "[]",
    "{}",
];

/// One edit of `text`, driven by `choice` (a random number).
fn mutate(text: &str, choice: u64, rng: &mut TestRng) -> String {
    let bytes = text.as_bytes();
    let at = |rng: &mut TestRng| (rng.next_u64() as usize) % (bytes.len() + 1);
    match choice % 7 {
        // Cut a range of bytes.
        0 => {
            let (a, b) = (at(rng), at(rng));
            let (a, b) = (a.min(b), a.max(b).min(a.min(b) + 64));
            String::from_utf8_lossy(&[&bytes[..a], &bytes[b..]].concat()).into_owned()
        }
        // Insert random bytes.
        1 => {
            let a = at(rng);
            let noise: Vec<u8> = (0..1 + rng.next_u64() % 16)
                .map(|_| rng.next_u64() as u8)
                .collect();
            String::from_utf8_lossy(&[&bytes[..a], &noise, &bytes[a..]].concat()).into_owned()
        }
        // Flip one byte.
        2 if !bytes.is_empty() => {
            let mut out = bytes.to_vec();
            let i = (rng.next_u64() as usize) % out.len();
            out[i] ^= 1 << (rng.next_u64() % 8);
            String::from_utf8_lossy(&out).into_owned()
        }
        // Swap a number for an extreme value.
        3 | 4 => {
            let numbers: Vec<(usize, usize)> = number_spans(text);
            if numbers.is_empty() {
                return text.to_string();
            }
            let (a, b) = numbers[(rng.next_u64() as usize) % numbers.len()];
            let value = EXTREMES[(rng.next_u64() as usize) % EXTREMES.len()];
            format!("{}{value}{}", &text[..a], &text[b..])
        }
        // Duplicate, drop or swap lines.
        _ => {
            let mut lines: Vec<&str> = text.lines().collect();
            if lines.is_empty() {
                return text.to_string();
            }
            let i = (rng.next_u64() as usize) % lines.len();
            let j = (rng.next_u64() as usize) % lines.len();
            match rng.next_u64() % 3 {
                0 => lines.insert(j, lines[i]),
                1 => {
                    lines.remove(i);
                }
                _ => lines.swap(i, j),
            }
            lines.join("\n")
        }
    }
}

/// Byte ranges of the numbers in `text` (digits with an optional sign,
/// point and exponent).
fn number_spans(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = if i > 0 && b[i - 1] == b'-' { i - 1 } else { i };
            let mut end = i;
            while end < b.len() && (b[end].is_ascii_digit() || b"._eE".contains(&b[end])) {
                end += 1;
            }
            spans.push((start, end));
            i = end;
        } else {
            i += 1;
        }
    }
    spans
}

/// `text` checked as the scenario at `path`: accepted (true), or refused
/// with a message that names the file.
fn check_scenario(path: &Path, text: &str) -> Result<bool, TestCaseError> {
    if let Err(e) = scenario::parse(path, text) {
        let message = e.to_string();
        let file = path.file_name().unwrap().to_string_lossy();
        prop_assert!(
            message.contains(file.as_ref()),
            "the error does not name the file: {message}"
        );
        return Ok(false);
    }
    Ok(true)
}

fn edits() -> impl Strategy<Value = (usize, Vec<u64>, u64)> {
    (
        any::<usize>(),
        prop::collection::vec(any::<u64>(), 1..6),
        any::<u64>(),
    )
}

#[test]
fn scenario_checker_never_panics_on_random_bytes() {
    let path = root().join("scenarios/fuzz.toml");
    proptest!(config(), |(bytes in prop::collection::vec(any::<u8>(), 0..2048))| {
        let _ = check_scenario(&path, &String::from_utf8_lossy(&bytes))?;
    });
}

#[test]
fn scenario_checker_never_panics_on_mutated_scenarios() {
    let seeds = scenario_seeds();
    let (checked, accepted) = (AtomicUsize::new(0), AtomicUsize::new(0));
    proptest!(config(), |((which, choices, rng_seed) in edits())| {
        let (path, text) = &seeds[which % seeds.len()];
        let mut rng = TestRng::from_seed(
            proptest::test_runner::RngAlgorithm::ChaCha,
            &rng_seed_bytes(rng_seed),
        );
        let mut text = text.clone();
        for c in choices {
            text = mutate(&text, c, &mut rng);
        }
        checked.fetch_add(1, Ordering::Relaxed);
        if check_scenario(path, &text)? {
            accepted.fetch_add(1, Ordering::Relaxed);
        }
    });
    // Mutants that still pass reach every check and the sweep; if almost
    // none did, the mutations would only ever test the TOML syntax.
    let (checked, accepted) = (checked.into_inner(), accepted.into_inner());
    assert!(
        accepted * 20 >= checked,
        "only {accepted} of {checked} mutated scenarios were accepted"
    );
}

#[test]
fn edge_list_reader_never_panics_on_random_bytes() {
    proptest!(config(), |(bytes in prop::collection::vec(any::<u8>(), 0..4096), directed in any::<bool>())| {
        check_edge_list(&bytes, directed)?;
    });
}

#[test]
fn edge_list_reader_never_panics_on_mutated_edge_lists() {
    let seed = edge_list_seed();
    proptest!(config(), |((_, choices, rng_seed) in edits(), directed in any::<bool>())| {
        let mut rng = TestRng::from_seed(
            proptest::test_runner::RngAlgorithm::ChaCha,
            &rng_seed_bytes(rng_seed),
        );
        let mut text = seed.clone();
        for c in choices {
            text = mutate(&text, c, &mut rng);
        }
        check_edge_list(text.as_bytes(), directed)?;
    });
}

#[test]
fn per_person_file_reader_never_panics() {
    let karate = std::fs::read(root().join("data/karate.txt")).unwrap();
    let (graph, _) = edgelist::parse(Cursor::new(karate), Path::new("karate.txt"), false).unwrap();
    let seed = "# id cost\n1 5.0\n2 3.5\n34 120\n";
    proptest!(config(), |((_, choices, rng_seed) in edits())| {
        let mut rng = TestRng::from_seed(
            proptest::test_runner::RngAlgorithm::ChaCha,
            &rng_seed_bytes(rng_seed),
        );
        let mut text = seed.to_string();
        for c in choices {
            text = mutate(&text, c, &mut rng);
        }
        let path = Path::new("costs.txt");
        let result = attributes::read_from(Cursor::new(text.into_bytes()), path, &graph, "cost", |v| {
            v.parse::<f64>().map_err(|e| e.to_string())
        });
        if let Err(e) = result {
            prop_assert!(e.to_string().contains("costs.txt"), "{e}");
        }
    });
}

/// Parse `bytes` as an edge list: accepted with a consistent graph, or
/// refused naming the file.
fn check_edge_list(bytes: &[u8], directed: bool) -> Result<(), TestCaseError> {
    let path = Path::new("fuzzed-edges.txt");
    match edgelist::parse(Cursor::new(bytes), path, directed) {
        Ok((graph, cleaning)) => {
            let lines = bytes.split(|b| *b == b'\n').count() as u64;
            prop_assert!(cleaning.lines <= lines);
            let per_line = if directed { 1 } else { 2 };
            prop_assert!(graph.arcs() as u64 <= per_line * cleaning.lines);
            prop_assert!(graph.nodes() as u64 <= 2 * cleaning.lines);
        }
        Err(e) => {
            let message = e.to_string();
            prop_assert!(message.contains("fuzzed-edges.txt"), "{message}");
        }
    }
    Ok(())
}

fn rng_seed_bytes(seed: u64) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (i, chunk) in out.chunks_mut(8).enumerate() {
        chunk.copy_from_slice(&seed.wrapping_mul(i as u64 * 2 + 1).to_le_bytes());
    }
    out
}
