//! `OUT/<name>/`, the folder that holds one run's whole set of outputs.
//!
//! A run never writes into that folder: it writes a fresh sibling staging
//! folder `OUT/.<name>.new-<pid>-<n>/` and swaps it in with one rename, so
//! the folder holds either the previous run's set or this run's, whole,
//! never a mix (files of a scenario that lost its `[sweep]` do not linger
//! beside new ones that contradict them). An advisory lock on
//! `OUT/.<name>.lock`, held from before the graph is built until the swap,
//! keeps two runs from writing the same folder. Since the whole folder is
//! replaced, it may hold only files a run writes: anything else (the user's
//! notes, a sub-folder) is refused before any work is done, never deleted.

use std::ffi::OsString;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::{describe, is_run_file, temporaries, OutputFile};
use crate::error::Error;

/// Tells apart the staging folders of one process.
static NEXT: AtomicU64 = AtomicU64::new(0);

/// An I/O error of [`OutputDir::write_with`]'s filler, and the path it
/// concerns (empty: the file being written).
pub type FillError = (PathBuf, io::Error);

/// The output folder of one scenario, locked for this run.
pub struct OutputDir {
    /// `OUT`.
    parent: PathBuf,
    /// The scenario's name, one plain path component.
    name: String,
    /// `OUT/<name>`.
    dir: PathBuf,
    /// The staging folder and the names written into it, once the first
    /// file is written.
    staging: Option<(PathBuf, Vec<String>)>,
    /// Holds the advisory lock until dropped (closing the file releases it).
    _lock: fs::File,
}

impl OutputDir {
    /// Prepare to write `out/<name>/`: create `out`, take the lock, restore
    /// the previous set if a swap was interrupted half way, remove what
    /// crashed runs left behind, and check that the folder holds nothing a
    /// run does not write. Cheap: call it before the long work, so that a
    /// folder that cannot be used is found at once.
    pub fn open(out: &Path, name: &str) -> Result<OutputDir, Error> {
        check_name(name, "the scenario name")?;
        if let Ok(meta) = fs::metadata(out) {
            if !meta.is_dir() {
                return Err(Error::OutNotFolder {
                    path: out.to_path_buf(),
                    what: describe(&meta.file_type()),
                });
            }
        }
        let folder_error = |path: &Path| {
            let path = path.to_path_buf();
            move |source| Error::OutputFolder { path, source }
        };
        fs::create_dir_all(out).map_err(folder_error(out))?;
        let lock_path = out.join(format!(".{name}.lock"));
        let lock = fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(folder_error(out))?;
        let dir = out.join(name);
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                return Err(Error::Busy {
                    dir,
                    lock: lock_path,
                })
            }
            Err(fs::TryLockError::Error(source)) => {
                return Err(Error::OutputFolder {
                    path: lock_path,
                    source,
                })
            }
        }
        let opened = OutputDir {
            parent: out.to_path_buf(),
            name: name.to_string(),
            dir,
            staging: None,
            _lock: lock,
        };
        opened.recover().map_err(folder_error(&opened.dir))?;
        opened.check()?;
        opened.remove_leftovers();
        Ok(opened)
    }

    /// `OUT/<name>`, where the outputs will be once committed.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Write `file` into the staging folder (created on the first call) and
    /// flush it to disk. Its name must be one a run writes
    /// ([`super::is_run_file`]), so that the next run accepts the folder.
    pub fn write(&mut self, file: &OutputFile) -> Result<(), Error> {
        self.write_with(&file.name, &mut |out| {
            out.write_all(&file.bytes)
                .map_err(|source| (PathBuf::new(), source))
        })
    }

    /// Write the file `name` into the staging folder as `fill` streams it
    /// (for files too large to render into memory first). An I/O error of
    /// `fill` names its own path, or the file written when that is empty.
    pub fn write_with(
        &mut self,
        name: &str,
        fill: &mut dyn FnMut(&mut dyn Write) -> Result<(), FillError>,
    ) -> Result<(), Error> {
        check_name(name, "the output file name")?;
        if !is_run_file(name) {
            return Err(Error::Report(format!(
                "{name} is not among the files a run writes (report::is_run_file): the next run would refuse the folder"
            )));
        }
        if self.staging.is_none() {
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let path = self
                .parent
                .join(format!(".{}.new-{}-{n}", self.name, std::process::id()));
            temporaries::create_dir(&path).map_err(|source| Error::OutputFolder {
                path: path.clone(),
                source,
            })?;
            self.staging = Some((path, Vec::new()));
        }
        let (staging, names) = self.staging.as_mut().expect("created above");
        if names.iter().any(|n| n == name) {
            return Err(Error::Report(format!(
                "{name} would be written twice into {}",
                self.dir.display()
            )));
        }
        let path = staging.join(name);
        let target = self.dir.join(name);
        let located = |(at, source): (PathBuf, io::Error)| Error::Output {
            path: if at.as_os_str().is_empty() {
                target.clone()
            } else {
                at
            },
            source,
        };
        let mut f = temporaries::create_file_in(&path)
            .map(io::BufWriter::new)
            .map_err(|e| located((PathBuf::new(), e)))?;
        fill(&mut f).map_err(located)?;
        f.into_inner()
            .map_err(|e| e.into_error())
            .and_then(|f| f.sync_all())
            .map_err(|e| located((PathBuf::new(), e)))?;
        names.push(name.to_string());
        Ok(())
    }

    /// Swap the staging folder in for `OUT/<name>` in one rename, then
    /// remove the previous set; returns the paths of the files now in
    /// `OUT/<name>`. On failure the previous set stays whole.
    pub fn commit(mut self) -> Result<Vec<PathBuf>, Error> {
        let Some((staging, names)) = self.staging.take() else {
            return Err(Error::Report(format!(
                "no output was written for {}",
                self.dir.display()
            )));
        };
        // The staging folder goes back so that Drop removes it on failure.
        self.staging = Some((staging.clone(), Vec::new()));
        let output_error = |source| Error::Output {
            path: self.dir.clone(),
            source,
        };
        sync_dir(&staging).map_err(output_error)?;
        // The user may have put something into the folder since `open`.
        self.check()?;
        self.swap(&staging, exchange).map_err(output_error)?;
        self.staging = None;
        // Make the rename itself durable, not only the files.
        let _ = sync_dir(&self.parent);
        Ok(names.iter().map(|n| self.dir.join(n)).collect())
    }

    /// Put `staging` in place of `OUT/<name>` and remove the previous set.
    /// `exchange` swaps two paths atomically, returning false where the
    /// system cannot; then the previous set is renamed aside first, and a
    /// crash between the two renames is repaired by the next `open`.
    fn swap(
        &self,
        staging: &Path,
        exchange: fn(&Path, &Path) -> io::Result<bool>,
    ) -> io::Result<()> {
        let mut registry = temporaries::lock();
        match fs::symlink_metadata(&self.dir) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                fs::rename(staging, &self.dir)?;
                registry.forget(staging);
                return Ok(());
            }
            Err(e) => return Err(e),
            Ok(_) => {}
        }
        if exchange(staging, &self.dir)? {
            // The staging path now holds the previous set, still registered
            // for removal on interruption.
            drop(registry);
            let _ = temporaries::remove(staging);
            return Ok(());
        }
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let old = self
            .parent
            .join(format!(".{}.old-{}-{n}", self.name, std::process::id()));
        fs::rename(&self.dir, &old)?;
        if let Err(e) = fs::rename(staging, &self.dir) {
            let _ = fs::rename(&old, &self.dir);
            return Err(e);
        }
        registry.forget(staging);
        // Only now is the previous set expendable.
        registry.register(&old);
        drop(registry);
        let _ = temporaries::remove(&old);
        Ok(())
    }

    /// After a crash between the two renames of a swap without exchange,
    /// `OUT/<name>` is missing and the previous set waits under `.old-*`:
    /// put it back. Then remove every staging or previous set that crashed
    /// runs left.
    fn recover(&self) -> io::Result<()> {
        let mut left: Vec<(OsString, Staged)> = Vec::new();
        for entry in fs::read_dir(&self.parent)? {
            let entry = entry?;
            let file_name = entry.file_name();
            if let Some(kind) = file_name.to_str().and_then(|n| self.staged(n)) {
                if entry.file_type()?.is_dir() {
                    left.push((file_name, kind));
                }
            }
        }
        let missing = match fs::symlink_metadata(&self.dir) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => true,
            Err(e) => return Err(e),
            Ok(_) => false,
        };
        if missing {
            let newest_old = left
                .iter()
                .filter(|(_, kind)| *kind == Staged::Old)
                .map(|(name, _)| {
                    let path = self.parent.join(name);
                    let modified = fs::metadata(&path).and_then(|m| m.modified()).ok();
                    (modified, path)
                })
                .max();
            if let Some((_, old)) = newest_old {
                fs::rename(&old, &self.dir)?;
            }
        }
        for (name, _) in left {
            let path = self.parent.join(name);
            if path.exists() {
                let _ = fs::remove_dir_all(&path);
            }
        }
        Ok(())
    }

    /// Whether `file_name` (in `OUT`) is a staging folder or a previous
    /// set of this scenario: `.<name>.new-<pid>-<n>` or `.<name>.old-<pid>-<n>`.
    fn staged(&self, file_name: &str) -> Option<Staged> {
        let rest = file_name.strip_prefix('.')?.strip_prefix(&self.name)?;
        let (kind, numbers) = if let Some(n) = rest.strip_prefix(".new-") {
            (Staged::New, n)
        } else {
            (Staged::Old, rest.strip_prefix(".old-")?)
        };
        let (pid, n) = numbers.split_once('-')?;
        (all_digits(pid) && all_digits(n)).then_some(kind)
    }

    /// Refuse an `OUT/<name>` that is not a folder, or that holds anything
    /// but files a run writes: the swap would throw it away.
    fn check(&self) -> Result<(), Error> {
        let meta = match fs::symlink_metadata(&self.dir) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(source) => {
                return Err(Error::OutputFolder {
                    path: self.dir.clone(),
                    source,
                })
            }
            Ok(meta) => meta,
        };
        if !meta.is_dir() {
            return Err(Error::NotOutputFolder {
                path: self.dir.clone(),
                what: describe(&meta.file_type()),
            });
        }
        let read_error = |source| Error::OutputFolder {
            path: self.dir.clone(),
            source,
        };
        let mut entries = Vec::new();
        for entry in fs::read_dir(&self.dir).map_err(read_error)? {
            let entry = entry.map_err(read_error)?;
            entries.push((entry.file_name(), entry.file_type().map_err(read_error)?));
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        for (name, kind) in entries {
            let known = name
                .to_str()
                .is_some_and(|n| is_run_file(n) || is_leftover(n) || DESKTOP_FILES.contains(&n));
            if !(known && kind.is_file()) {
                return Err(Error::Foreign {
                    dir: self.dir.clone(),
                    entry: self.dir.join(name),
                    what: describe(&kind),
                });
            }
        }
        Ok(())
    }

    /// Remove the temporary files that runs of earlier versions, which
    /// renamed file by file, left inside `OUT/<name>` when killed.
    fn remove_leftovers(&self) {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            if entry.file_name().to_str().is_some_and(is_leftover) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        if let Some((staging, _)) = self.staging.take() {
            let _ = temporaries::remove(&staging);
        }
    }
}

/// Files a desktop's file manager writes into any folder it shows (icon
/// positions, thumbnails): refusing them would refuse every folder once
/// looked at, and they hold nothing of the user's.
const DESKTOP_FILES: [&str; 3] = [".DS_Store", "Thumbs.db", "desktop.ini"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Staged {
    New,
    Old,
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `name` is `.<file>.tmp-<pid>` for a file a run writes: what a
/// killed run of an earlier version left.
fn is_leftover(name: &str) -> bool {
    name.strip_prefix('.')
        .and_then(|n| n.rsplit_once(".tmp-"))
        .is_some_and(|(file, pid)| is_run_file(file) && all_digits(pid))
}

/// Refuse a `name` that is not exactly one plain path component (no
/// separator, not `..`, not empty) or that starts with '.', which would
/// write outside the folder or hide among viralsim's own hidden files.
pub(crate) fn check_name(name: &str, what: &'static str) -> Result<(), Error> {
    let mut parts = Path::new(name).components();
    let single = matches!(
        (parts.next(), parts.next()),
        (Some(std::path::Component::Normal(part)), None) if part == name
    );
    if single && !name.starts_with('.') {
        Ok(())
    } else {
        Err(Error::OutputName {
            what,
            name: name.to_string(),
        })
    }
}

/// Flush a folder's entries to disk, so that files renamed into it or
/// created in it survive a power loss.
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Swap `a` and `b` in one step (Linux `renameat2(RENAME_EXCHANGE)`).
/// Returns false where the kernel or the file system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(io::Error::from);
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both are NUL-terminated strings that outlive the call.
    let status = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if status == 0 {
        return Ok(true);
    }
    let e = io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP) => Ok(false),
        _ => Err(e),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<bool> {
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> OutputFile {
        OutputFile {
            name: name.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn names_must_be_one_plain_component() {
        for good in ["launch", "a.b", "x-1", "summary.json"] {
            assert!(check_name(good, "the scenario name").is_ok(), "{good}");
        }
        for bad in ["", ".", "..", ".hidden", "a/b", "/abs", "a/", "../x", "a/."] {
            assert!(check_name(bad, "the scenario name").is_err(), "{bad:?}");
        }
    }

    #[test]
    fn staging_names_are_recognised_strictly() {
        let tmp = tempfile::tempdir().unwrap();
        let out = OutputDir::open(tmp.path(), "a").unwrap();
        assert_eq!(out.staged(".a.new-12-0"), Some(Staged::New));
        assert_eq!(out.staged(".a.old-12-3"), Some(Staged::Old));
        for other in [
            ".a.new-12",
            ".a.new-1-2.new-3-4",
            ".ab.new-1-2",
            "a.new-1-2",
            ".a.lock",
        ] {
            assert_eq!(out.staged(other), None, "{other}");
        }
    }

    /// Both ways of swapping leave exactly the new set and nothing beside.
    #[test]
    fn a_swap_replaces_the_whole_set() {
        let no_exchange: fn(&Path, &Path) -> io::Result<bool> = |_, _| Ok(false);
        for exchange in [exchange, no_exchange] {
            let tmp = tempfile::tempdir().unwrap();
            let mut first = OutputDir::open(tmp.path(), "s").unwrap();
            first.write(&file("summary.json", "1")).unwrap();
            first.write(&file("sweep.csv", "1")).unwrap();
            first.commit().unwrap();
            let mut second = OutputDir::open(tmp.path(), "s").unwrap();
            second.write(&file("summary.json", "2")).unwrap();
            let (staging, _) = second.staging.clone().unwrap();
            second.swap(&staging, exchange).unwrap();
            second.staging = None;
            drop(second);
            assert_eq!(names(tmp.path()), [".s.lock", "s"]);
            assert_eq!(names(&tmp.path().join("s")), ["summary.json"]);
            assert_eq!(
                fs::read_to_string(tmp.path().join("s/summary.json")).unwrap(),
                "2"
            );
        }
    }

    #[test]
    fn a_folder_a_file_manager_looked_at_is_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("s");
        fs::create_dir(&dir).unwrap();
        fs::write(dir.join("summary.json"), "1").unwrap();
        fs::write(dir.join(".DS_Store"), "").unwrap();
        let mut out = OutputDir::open(tmp.path(), "s").unwrap();
        out.write(&file("summary.json", "2")).unwrap();
        out.commit().unwrap();
        assert_eq!(names(&dir), ["summary.json"]);
    }

    #[test]
    fn a_swap_cut_between_its_renames_is_undone_by_the_next_open() {
        let tmp = tempfile::tempdir().unwrap();
        let old = tmp.path().join(".s.old-99999-0");
        fs::create_dir(&old).unwrap();
        fs::write(old.join("summary.json"), "old").unwrap();
        let new = tmp.path().join(".s.new-99999-1");
        fs::create_dir(&new).unwrap();
        fs::write(new.join("summary.json"), "partial").unwrap();
        let out = OutputDir::open(tmp.path(), "s").unwrap();
        drop(out);
        assert_eq!(names(tmp.path()), [".s.lock", "s"]);
        assert_eq!(
            fs::read_to_string(tmp.path().join("s/summary.json")).unwrap(),
            "old"
        );
    }

    #[test]
    fn an_unknown_file_name_is_not_written() {
        let tmp = tempfile::tempdir().unwrap();
        let mut out = OutputDir::open(tmp.path(), "s").unwrap();
        assert!(out.write(&file("notes.txt", "x")).is_err());
        assert!(out.write(&file("../x.json", "x")).is_err());
        drop(out);
        assert_eq!(names(tmp.path()), [".s.lock"]);
    }

    #[test]
    fn leftovers_of_earlier_versions_are_known() {
        assert!(is_leftover(".summary.json.tmp-123"));
        assert!(is_leftover(".sweep-2-top.png.tmp-9"));
        assert!(!is_leftover(".notes.txt.tmp-123"));
        assert!(!is_leftover(".summary.json.tmp-"));
        assert!(!is_leftover("summary.json.tmp-1"));
    }
}
