//! What a run may use of the machine: memory and worker threads. The limits
//! are measured (or given on the command line) once, at the edge, and
//! passed down to whatever allocates in proportion to the input, so a run
//! too large for the machine is refused with a message naming what to
//! lower instead of being aborted by a failed allocation.

use std::fmt;
use std::path::{Path, PathBuf};

/// Bytes in a KiB, MiB, GiB, TiB: sizes given as `4G` are powers of 1024.
const UNITS: [(char, u64); 4] = [
    ('K', 1 << 10),
    ('M', 1 << 20),
    ('G', 1 << 30),
    ('T', 1 << 40),
];

/// Most worker threads per CPU: more only adds switching, and a mistyped
/// `--threads 65535` would bring the machine to its knees.
pub const THREADS_PER_CPU: usize = 4;

/// Where a memory limit comes from, to say so in messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemorySource {
    /// `--max-memory`.
    Flag,
    /// The memory limit of the process's control group.
    Cgroup,
    /// `MemAvailable` of /proc/meminfo.
    MemAvailable,
    /// Nothing could be read: no limit is enforced.
    Unknown,
}

/// Memory a run may use, in bytes, and where that figure comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Memory {
    /// Bytes that may be used (what is left, after [`Memory::less`]).
    pub bytes: u64,
    /// The whole limit, bytes, before anything was set aside.
    pub total: u64,
    pub source: MemorySource,
}

impl Memory {
    /// No known limit (nothing is refused).
    pub const UNLIMITED: Memory = Memory {
        bytes: u64::MAX,
        total: u64::MAX,
        source: MemorySource::Unknown,
    };

    /// The limit `--max-memory` gives, in bytes.
    pub fn given(bytes: u64) -> Memory {
        Memory {
            bytes,
            total: bytes,
            source: MemorySource::Flag,
        }
    }

    /// What this machine has available to the process: the smaller of its
    /// control group's memory limit (cgroup v2 `memory.max`, v1
    /// `memory.limit_in_bytes`, of its group and every group above it) and
    /// `MemAvailable`; unlimited when neither can be read.
    pub fn of_machine() -> Memory {
        let cgroup = cgroup_limit();
        let available = std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|text| mem_available(&text));
        let (bytes, source) = match (cgroup, available) {
            (Some(c), Some(a)) if c < a => (c, MemorySource::Cgroup),
            (_, Some(a)) => (a, MemorySource::MemAvailable),
            (Some(c), None) => (c, MemorySource::Cgroup),
            (None, None) => return Memory::UNLIMITED,
        };
        Memory {
            bytes,
            total: bytes,
            source,
        }
    }

    /// What is left after setting `used` bytes aside.
    pub fn less(&self, used: u64) -> Memory {
        Memory {
            bytes: self.bytes.saturating_sub(used),
            ..*self
        }
    }

    /// Whether `bytes` fit in what is left.
    pub fn fits(&self, bytes: u64) -> bool {
        bytes <= self.bytes
    }

    /// How the whole limit is put in a message: "this machine has 22.1 GiB
    /// available (MemAvailable)", "--max-memory allows 1.0 MiB".
    pub fn describe(&self) -> String {
        let total = human(self.total);
        match self.source {
            MemorySource::Flag => format!("--max-memory allows {total}"),
            MemorySource::Cgroup => {
                format!(
                    "this machine has {total} available (the memory limit of its control group)"
                )
            }
            MemorySource::MemAvailable => {
                format!("this machine has {total} available (MemAvailable in /proc/meminfo)")
            }
            MemorySource::Unknown => "no memory limit is known".to_string(),
        }
    }

    /// What to do when the limit is wrong.
    pub fn override_hint(&self) -> &'static str {
        match self.source {
            MemorySource::Flag => "raise --max-memory if the machine has more",
            _ => "or set the limit with --max-memory SIZE if it is wrong",
        }
    }
}

impl fmt::Display for Memory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

/// What a run may use of the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resources {
    /// Memory the run may use.
    pub memory: Memory,
    /// Worker threads of the Monte Carlo runs (each keeps its own state).
    pub threads: usize,
}

impl Resources {
    /// The machine's available memory and the current thread pool's size.
    pub fn of_machine() -> Resources {
        Resources {
            memory: Memory::of_machine(),
            threads: rayon::current_num_threads(),
        }
    }

    /// The same, with `used` bytes of memory set aside.
    pub fn less(&self, used: u64) -> Resources {
        Resources {
            memory: self.memory.less(used),
            ..*self
        }
    }
}

/// Parse a size: bytes (`1000000`), or a number with K, M, G or T (powers
/// of 1024; `B`, `iB` may follow; any case): `4G`, `512M`, `1.5GiB`.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let bad = || {
        format!(
            "`{text}` is not a size: write bytes (1000000) or a number with K, M, G or T (powers of 1024), e.g. 4G or 512M"
        )
    };
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    let t = lower
        .strip_suffix("ib")
        .or_else(|| lower.strip_suffix('b'))
        .unwrap_or(&lower);
    let (number, unit) = match t.chars().last() {
        Some(c) if c.is_ascii_alphabetic() => {
            let unit = UNITS
                .iter()
                .find(|(u, _)| u.to_ascii_lowercase() == c)
                .map(|&(_, b)| b)
                .ok_or_else(bad)?;
            (&t[..t.len() - 1], unit)
        }
        _ => (t, 1),
    };
    let value: f64 = number.trim().parse().map_err(|_| bad())?;
    let bytes = value * unit as f64;
    if !(bytes >= 1.0 && bytes < u64::MAX as f64) {
        return Err(format!(
            "{text} is out of range: a memory size is at least 1 byte"
        ));
    }
    Ok(bytes as u64)
}

/// A byte count for people: "512 bytes", "1.0 MiB", "22.1 GiB", "8000 GiB"
/// (GiB at most, the unit memory is bought in).
pub fn human(bytes: u64) -> String {
    if bytes == u64::MAX {
        return "unlimited".into();
    }
    let b = bytes as f64;
    for &(unit, size) in UNITS.iter().rev().skip(1) {
        if b >= size as f64 {
            let x = b / size as f64;
            return if x >= 100.0 {
                format!("{x:.0} {unit}iB")
            } else {
                format!("{x:.1} {unit}iB")
            };
        }
    }
    format!("{bytes} bytes")
}

/// Most worker threads allowed: [`THREADS_PER_CPU`] x the CPUs.
pub fn max_threads() -> usize {
    THREADS_PER_CPU * std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Whether `threads` worker threads are allowed; if not, what is.
pub fn check_threads(threads: usize) -> Result<(), String> {
    let max = max_threads();
    if (1..=max).contains(&threads) {
        return Ok(());
    }
    Err(format!(
        "{threads} is out of range: allowed 1 to {max} ({THREADS_PER_CPU} x the {} CPUs of this machine; the default uses them all)",
        max / THREADS_PER_CPU
    ))
}

/// `MemAvailable` of /proc/meminfo text, in bytes.
fn mem_available(meminfo: &str) -> Option<u64> {
    let line = meminfo.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib.saturating_mul(1024))
}

/// Limits at or above this mean "no limit" (cgroup v1 writes 2^63 less a
/// page).
const NO_LIMIT: u64 = 1 << 62;

/// The smallest memory limit of this process's control group and the
/// groups above it, cgroup v2 or v1.
fn cgroup_limit() -> Option<u64> {
    let groups = std::fs::read_to_string("/proc/self/cgroup").unwrap_or_default();
    let mut files: Vec<PathBuf> = Vec::new();
    for line in groups.lines() {
        let mut parts = line.splitn(3, ':');
        let (Some(_), Some(controllers), Some(path)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let (root, file) = if controllers.is_empty() {
            (Path::new("/sys/fs/cgroup"), "memory.max")
        } else if controllers.split(',').any(|c| c == "memory") {
            (Path::new("/sys/fs/cgroup/memory"), "memory.limit_in_bytes")
        } else {
            continue;
        };
        // The group's own limit and every ancestor's apply.
        let mut dir = root.join(path.trim_start_matches('/'));
        loop {
            files.push(dir.join(file));
            if dir == root || !dir.pop() {
                break;
            }
        }
    }
    // Inside a container the group's path may not be mounted; the mount's
    // root is then the group.
    files.push(PathBuf::from("/sys/fs/cgroup/memory.max"));
    files.push(PathBuf::from("/sys/fs/cgroup/memory/memory.limit_in_bytes"));
    files
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .filter_map(|text| text.trim().parse::<u64>().ok())
        .filter(|&limit| limit < NO_LIMIT)
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_in_powers_of_1024() {
        assert_eq!(parse_size("4G"), Ok(4 << 30));
        assert_eq!(parse_size("4g"), Ok(4 << 30));
        assert_eq!(parse_size("4GB"), Ok(4 << 30));
        assert_eq!(parse_size("4GiB"), Ok(4 << 30));
        assert_eq!(parse_size("512M"), Ok(512 << 20));
        assert_eq!(parse_size("1.5G"), Ok(3 << 29));
        assert_eq!(parse_size("64k"), Ok(64 << 10));
        assert_eq!(parse_size("2T"), Ok(2 << 40));
        assert_eq!(parse_size("1000000"), Ok(1_000_000));
        assert_eq!(parse_size(" 1M "), Ok(1 << 20));
        for bad in ["", "G", "4X", "four", "-1G", "0", "1e30T", "NaN"] {
            assert!(parse_size(bad).is_err(), "{bad:?}");
        }
        assert!(parse_size("4X").unwrap_err().contains("e.g. 4G"));
    }

    #[test]
    fn sizes_print_in_the_largest_unit() {
        assert_eq!(human(512), "512 bytes");
        assert_eq!(human(1 << 20), "1.0 MiB");
        assert_eq!(human(3 << 29), "1.5 GiB");
        assert_eq!(human(8000 << 30), "8000 GiB");
        // GiB is the largest unit shown, as sizes are compared with RAM.
        assert_eq!(human(2 << 40), "2048 GiB");
    }

    #[test]
    fn mem_available_is_read_in_kib() {
        let text = "MemTotal:       24683584 kB\nMemFree:        22069860 kB\nMemAvailable:   23574452 kB\n";
        assert_eq!(mem_available(text), Some(23_574_452 * 1024));
        assert_eq!(mem_available("MemTotal: 1 kB\n"), None);
    }

    #[test]
    fn limits_say_where_they_come_from_and_shrink() {
        let m = Memory::given(1 << 30);
        assert_eq!(m.describe(), "--max-memory allows 1.0 GiB");
        let left = m.less(1 << 29);
        assert_eq!(left.bytes, 1 << 29);
        assert_eq!(left.describe(), "--max-memory allows 1.0 GiB");
        assert!(left.fits(1 << 29) && !left.fits((1 << 29) + 1));
        assert_eq!(m.less(2 << 30).bytes, 0);
        assert!(Memory::UNLIMITED.fits(u64::MAX));
        // Whatever this machine has, it is some figure or none at all.
        let here = Memory::of_machine();
        assert!(here.bytes > 0);
    }

    #[test]
    fn threads_are_limited_to_four_per_cpu() {
        let max = max_threads();
        assert!(max >= THREADS_PER_CPU);
        assert!(check_threads(1).is_ok() && check_threads(max).is_ok());
        let err = check_threads(max + 1).unwrap_err();
        assert!(err.contains(&format!("allowed 1 to {max}")), "{err}");
        assert!(check_threads(0).is_err());
    }
}
