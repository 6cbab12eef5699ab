//! A file's bytes mapped into memory, read-only: the parser reads the
//! page cache in place, with no copy into a buffer, and pages already
//! parsed are handed back so the file never sits whole in the process's
//! memory.

use std::fs::File;

/// A whole file mapped read-only (unix only; elsewhere, and for an empty
/// file, there is no map and the file is read).
pub(super) struct Map {
    start: *const u8,
    len: usize,
}

// SAFETY: the mapping is read-only and owned by `Map`: shared references
// only ever read it.
unsafe impl Send for Map {}
unsafe impl Sync for Map {}

impl Map {
    /// `file` (of `len` bytes) mapped, or None if it cannot be (not a
    /// regular file, empty, too large for the address space, no mmap).
    #[cfg(unix)]
    pub fn of(file: &File, len: u64) -> Option<Map> {
        use std::os::unix::io::AsRawFd;
        let len = usize::try_from(len).ok().filter(|&l| l > 0)?;
        // SAFETY: a fresh private read-only mapping of an open file; the
        // pointer is checked before use and unmapped once, on drop.
        let start = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_PRIVATE,
                file.as_raw_fd(),
                0,
            )
        };
        if start == libc::MAP_FAILED {
            return None;
        }
        // The file is read front to back: the kernel may read ahead far
        // and drop pages behind. A failure only costs time.
        // SAFETY: advice on the mapping just made, within its length.
        unsafe { libc::madvise(start, len, libc::MADV_SEQUENTIAL) };
        Some(Map {
            start: start as *const u8,
            len,
        })
    }

    #[cfg(not(unix))]
    pub fn of(_file: &File, _len: u64) -> Option<Map> {
        None
    }

    pub fn bytes(&self) -> &[u8] {
        // SAFETY: `len` readable bytes are mapped at `start` while `self`
        // lives. (A file cut short by another program while mapped would
        // fault on the missing pages; files being written are not read.)
        unsafe { std::slice::from_raw_parts(self.start, self.len) }
    }

    /// Hand back the pages wholly within `bytes` (a part of this map
    /// already parsed): they leave the process's resident memory and are
    /// read from the page cache again if ever touched. A failure only
    /// costs memory.
    pub fn release(&self, bytes: &[u8]) {
        #[cfg(unix)]
        {
            let page = page_size();
            let base = self.start as usize;
            let from = bytes.as_ptr() as usize;
            let to = from + bytes.len();
            debug_assert!(from >= base && to <= base + self.len);
            let first = (from - base).div_ceil(page) * page;
            let last = (to - base) / page * page;
            if last > first {
                // SAFETY: whole pages within this read-only private
                // mapping of a file: dropping them loses nothing, they
                // are read again from the file if touched.
                unsafe {
                    libc::madvise(
                        (base + first) as *mut libc::c_void,
                        last - first,
                        libc::MADV_DONTNEED,
                    )
                };
            }
        }
        #[cfg(not(unix))]
        let _ = bytes;
    }
}

#[cfg(unix)]
fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    usize::try_from(size)
        .ok()
        .filter(|&s| s > 0)
        .unwrap_or(4096)
}

impl Drop for Map {
    fn drop(&mut self) {
        #[cfg(unix)]
        // SAFETY: the mapping made in `of`, unmapped once.
        unsafe {
            libc::munmap(self.start as *mut libc::c_void, self.len);
        }
    }
}

/// Ask for `words` (fresh, not yet touched) to be backed by huge pages
/// where the system offers them on request: the rows are written in
/// random order, and with 4 KiB pages nearly every write would miss the
/// address cache and fault in its own page. Only the 2 MiB pages wholly
/// inside are advised; a refusal only costs time.
pub(super) fn advise_huge<T>(words: &mut [T]) {
    #[cfg(target_os = "linux")]
    {
        const HUGE: usize = 2 << 20;
        let from = words.as_mut_ptr() as usize;
        let to = from + std::mem::size_of_val(words);
        let first = from.div_ceil(HUGE) * HUGE;
        let last = to / HUGE * HUGE;
        if last > first {
            // SAFETY: advice only, on whole pages of memory this slice
            // owns; it changes no byte of it.
            unsafe {
                libc::madvise(
                    first as *mut libc::c_void,
                    last - first,
                    libc::MADV_HUGEPAGE,
                )
            };
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = words;
}
