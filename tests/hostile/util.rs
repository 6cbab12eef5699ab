//! Helpers shared by the hostile tests: the binary, the repository root and
//! a small scenario that runs in a fraction of a second.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The `viralsim` binary under test.
pub fn viralsim() -> Command {
    Command::cargo_bin("viralsim").unwrap()
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A scenario text that runs in well under a second: a small generated
/// network, two strategies, few runs. `extra` is appended as is.
pub fn small_scenario(name: Option<&str>, extra: &str) -> String {
    let name = name
        .map(|n| format!("name = \"{n}\"\n"))
        .unwrap_or_default();
    format!(
        "version = 1\n{name}\n[graph]\ngenerator = \"barabasi-albert\"\nnodes = 300\nedges_per_node = 2\n\n\
         [content]\nstickiness = 0.1\n\n[simulation]\nruns = 50\nsteps = 10\nseed = 7\n\n\
         [[strategy]]\nname = \"random\"\nkind = \"random\"\ncount = 3\n\n\
         [[strategy]]\nname = \"top\"\nkind = \"top-degree\"\ncount = 3\n{extra}"
    )
}

/// Write `text` to `dir/file` and return the path.
pub fn write(dir: &Path, file: &str, text: &str) -> PathBuf {
    let path = dir.join(file);
    std::fs::write(&path, text).unwrap();
    path
}

/// Every entry below `dir`, as paths relative to it, sorted.
pub fn tree(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let p = e.path();
            out.push(p.strip_prefix(base).unwrap().display().to_string());
            if e.file_type().map(|t| t.is_dir()).unwrap_or(false) {
                walk(base, &p, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}
