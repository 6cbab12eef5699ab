//! Shard files hold each run's compact record (the steps it recorded,
//! its counts up to there, its segment counts), not whole curves padded to
//! `steps`: a shard of a long horizon is no bigger than one of a short
//! horizon whose cascades end as early, and merges exactly.

mod common;

use std::fs;
use std::path::Path;

use common::*;

/// A small scenario named `name` whose cascades end within a few dozen
/// steps, over `steps` steps.
fn scenario(dir: &Path, name: &str, steps: u32) -> std::path::PathBuf {
    let text = small_scenario(Some(name), "").replace("steps = 10", &format!("steps = {steps}"));
    write(dir, &format!("{name}.toml"), &text)
}

/// Shard `k` of `n` of `scenario` into `out`: its runs.bin.
fn shard(scenario: &Path, out: &Path, name: &str, k: u32, n: u32) -> Vec<u8> {
    let (code, err) = run_into(scenario, out, &["--shard", &format!("{k}/{n}")]);
    assert_eq!(code, Some(0), "{err}");
    fs::read(out.join(format!("{name}.shard-{k}-of-{n}/runs.bin"))).unwrap()
}

#[test]
fn a_shard_does_not_grow_with_the_horizon() {
    let dir = tempfile::tempdir().unwrap();
    let short = shard(
        &scenario(dir.path(), "short", 200),
        &dir.path().join("a"),
        "short",
        1,
        2,
    );
    let long = shard(
        &scenario(dir.path(), "long", 10_000),
        &dir.path().join("b"),
        "long",
        1,
        2,
    );
    // The same runs, cut at the same steps: only each block's word saying
    // `steps` (bytes 24 to 27 of its 40-byte header) and the checksum (the
    // last 8 bytes) differ.
    assert_eq!(short.len(), long.len());
    let mut may_differ = vec![false; short.len()];
    may_differ[short.len() - 8..].fill(true);
    let (mut at, mut blocks) = (16, 0);
    while at < short.len() - 24 {
        may_differ[at + 24..at + 28].fill(true);
        let records = u64::from_le_bytes(short[at + 32..at + 40].try_into().unwrap());
        at += 40 + records as usize;
        blocks += 1;
    }
    assert_eq!((at, blocks), (short.len() - 24, 2));
    let differ: Vec<usize> = (0..short.len()).filter(|&i| short[i] != long[i]).collect();
    assert!(
        !differ.is_empty() && differ.iter().all(|&i| may_differ[i]),
        "{differ:?}"
    );
    // Two strategies, 25 runs each: whole curves of even one metric over
    // 10,001 steps would take 2 MB; the records take a few kilobytes.
    assert!(long.len() < 25 * 2 * 4 * 200, "{} bytes", long.len());
}

#[test]
fn shards_of_a_long_horizon_merge_into_the_unsharded_run() {
    let dir = tempfile::tempdir().unwrap();
    let s = scenario(dir.path(), "long", 10_000);
    let (code, err) = run_into(&s, &dir.path().join("full"), &[]);
    assert_eq!(code, Some(0), "{err}");
    let out = dir.path().join("sh");
    let dirs: Vec<_> = (1..=3)
        .map(|k| {
            shard(&s, &out, "long", k, 3);
            out.join(format!("long.shard-{k}-of-3"))
        })
        .collect();
    let merged = dir.path().join("merged");
    let output = viralsim()
        .arg("merge")
        .args(&dirs)
        .arg("--out")
        .arg(&merged)
        .arg("-q")
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for file in [
        "summary.json",
        "curves.csv",
        "strategies.csv",
        "tipping.csv",
    ] {
        let (a, b) = (
            dir.path().join("full/long").join(file),
            merged.join("long").join(file),
        );
        assert_eq!(a.exists(), b.exists(), "{file}");
        if a.exists() {
            assert!(fs::read(&a).unwrap() == fs::read(&b).unwrap(), "{file}");
        }
    }
}

#[test]
fn a_block_whose_length_disagrees_with_its_runs_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let s = scenario(dir.path(), "job", 50);
    let out = dir.path().join("sh");
    let first = shard(&s, &out, "job", 1, 2);
    shard(&s, &out, "job", 2, 2);
    // The first block's length (after the 16-byte file header and the
    // block's 32 bytes of words), one run's record shorter, with the
    // checksum made to match: the records no longer hold the runs the
    // block announces.
    let runs_bin = out.join("job.shard-1-of-2/runs.bin");
    let len_at = 16 + 32;
    let len = u64::from_le_bytes(first[len_at..len_at + 8].try_into().unwrap());
    assert!(len > 0 && len % 4 == 0);
    let mut bytes = first.clone();
    bytes[len_at..len_at + 8].copy_from_slice(&(len - 4).to_le_bytes());
    let end = len_at + 8 + len as usize;
    bytes.drain(end - 4..end);
    let body = bytes.len() - 24;
    let mut sum = viralsim::graph::binary::Checksum::new();
    sum.update(&bytes[..body]);
    let at = bytes.len() - 8;
    bytes[at..].copy_from_slice(&sum.finish().to_le_bytes());
    fs::write(&runs_bin, &bytes).unwrap();
    let dirs = [out.join("job.shard-1-of-2"), out.join("job.shard-2-of-2")];
    let output = viralsim()
        .arg("merge")
        .args(&dirs)
        .arg("--out")
        .arg(dir.path().join("m"))
        .arg("-q")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains("runs.bin") && err.contains("corrupt"), "{err}");
}
