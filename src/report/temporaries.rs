//! The paths that exist only while an output is being written (a staging
//! folder, a temporary file): registered when created, forgotten when
//! renamed into place or removed, so that an interrupted process can remove
//! them before it exits ([`remove_all`], called from the command's
//! Ctrl-C / TERM handler). A crash that no handler sees (SIGKILL, power
//! loss) leaves them behind: the next run into the same place removes
//! them.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

static REGISTERED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The registry, held: while a `Registry` lives, [`remove_all`] waits, so
/// a rename done under it is never half seen by the handler (which could
/// otherwise start removing a staging folder that the rename has just made
/// the real output folder).
pub(crate) struct Registry(MutexGuard<'static, Vec<PathBuf>>);

/// Hold the registry.
pub(crate) fn lock() -> Registry {
    Registry(REGISTERED.lock().unwrap_or_else(PoisonError::into_inner))
}

impl Registry {
    /// Remove `path` on interruption from now on.
    pub fn register(&mut self, path: &Path) {
        self.0.push(path.to_path_buf());
    }

    /// No longer remove `path` on interruption (it was renamed into place
    /// or removed).
    pub fn forget(&mut self, path: &Path) {
        self.0.retain(|p| p != path);
    }
}

/// Create the folder `path` (its parent must exist) and register it.
pub(crate) fn create_dir(path: &Path) -> io::Result<()> {
    let mut registry = lock();
    fs::create_dir(path)?;
    registry.register(path);
    Ok(())
}

/// Create (or truncate) the file `path` and register it.
pub(crate) fn create_file(path: &Path) -> io::Result<fs::File> {
    let mut registry = lock();
    let file = fs::File::create(path)?;
    registry.register(path);
    Ok(file)
}

/// Create the new file `path` inside a registered folder. Creating it
/// under the registry keeps it from slipping in while [`remove_all`]
/// empties the folder, which would then stay behind; the writing that
/// follows needs no such care.
pub(crate) fn create_file_in(path: &Path) -> io::Result<fs::File> {
    let _registry = lock();
    fs::File::create_new(path)
}

/// Rename the registered `from` to `to` and forget it, as one step for
/// [`remove_all`].
pub(crate) fn rename(from: &Path, to: &Path) -> io::Result<()> {
    let mut registry = lock();
    fs::rename(from, to)?;
    registry.forget(from);
    Ok(())
}

/// Remove `path` (a folder with everything in it, or a file) and forget it;
/// a path already gone is no error.
pub(crate) fn remove(path: &Path) -> io::Result<()> {
    let result = remove_path(path);
    lock().forget(path);
    result
}

fn remove_path(path: &Path) -> io::Result<()> {
    let result = match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(e) => Err(e),
    };
    match result {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Remove every registered path, for a process about to exit on a signal.
/// The registry stays held afterwards, so that no thread still writing
/// registers anything new before the process is gone: call this only right
/// before exiting.
pub fn remove_all() {
    let mut registry = lock();
    for path in registry.0.drain(..) {
        let _ = remove_path(&path);
    }
    std::mem::forget(registry);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_renamed_path_is_forgotten_and_a_removed_one_too() {
        let dir = tempfile::tempdir().unwrap();
        let staged = dir.path().join(".x.new-1-0");
        create_dir(&staged).unwrap();
        fs::write(staged.join("a"), "a").unwrap();
        let file = dir.path().join(".f.tmp-1");
        drop(create_file(&file).unwrap());
        assert!(lock().0.contains(&staged) && lock().0.contains(&file));
        rename(&staged, &dir.path().join("x")).unwrap();
        remove(&file).unwrap();
        assert!(!lock().0.iter().any(|p| p.starts_with(dir.path())));
        assert!(dir.path().join("x/a").exists() && !file.exists());
        // Removing again is no error.
        remove(&file).unwrap();
    }
}
