//! Where a graph's big arrays live: in a vector of their own, or inside
//! the bytes of a binary graph file ([`super::binary`]), memory-mapped or
//! read whole, used in place without a copy. Either way they read as a
//! slice, so nothing past [`super::Graph`]'s accessors knows which.

use std::fmt;
use std::ops::Deref;
use std::ptr::NonNull;
use std::sync::Arc;

/// A word that any four bytes make: every bit pattern is a valid value,
/// so words can be taken straight from a file's bytes.
pub trait Word: Copy + Send + Sync + 'static {}

impl Word for u32 {}
impl Word for f32 {}

/// The bytes of a file, aligned to 8 bytes, that [`Words`] may point into.
pub struct Bytes {
    ptr: NonNull<u8>,
    len: usize,
    keep: Keep,
}

enum Keep {
    /// Read into memory (the file could not be mapped).
    Heap(#[allow(dead_code)] Vec<u64>),
    /// Mapped read-only; unmapped when the last user is dropped.
    #[cfg(unix)]
    Mapped,
}

// SAFETY: the bytes are never written after they are made and nothing in
// `Bytes` is tied to a thread: a heap buffer is a plain `Vec`, a mapping
// may be read and unmapped from any thread.
unsafe impl Send for Bytes {}
// SAFETY: as above: shared access only ever reads.
unsafe impl Sync for Bytes {}

impl Bytes {
    /// `len` bytes read into an 8-byte-aligned buffer by `fill`.
    pub fn read(
        len: usize,
        fill: impl FnOnce(&mut [u8]) -> std::io::Result<()>,
    ) -> Option<std::io::Result<Bytes>> {
        let mut words: Vec<u64> = Vec::new();
        words.try_reserve_exact(len.div_ceil(8)).ok()?;
        words.resize(len.div_ceil(8), 0);
        // SAFETY: the vector holds at least `len` initialised bytes, a u64
        // has no padding, and any bytes written leave valid u64s.
        let bytes = unsafe { std::slice::from_raw_parts_mut(words.as_mut_ptr().cast::<u8>(), len) };
        if let Err(e) = fill(bytes) {
            return Some(Err(e));
        }
        let ptr = NonNull::new(words.as_mut_ptr().cast::<u8>()).expect("a vector's pointer");
        Some(Ok(Bytes {
            ptr,
            len,
            keep: Keep::Heap(words),
        }))
    }

    /// The first `len` bytes of `file` mapped read-only (`len` > 0); None
    /// if the system will not map it.
    #[cfg(unix)]
    pub fn map(file: &std::fs::File, len: usize, populate: bool) -> Option<Bytes> {
        use std::os::unix::io::AsRawFd;
        if len == 0 {
            return None;
        }
        #[cfg(target_os = "linux")]
        let flags = libc::MAP_PRIVATE | if populate { libc::MAP_POPULATE } else { 0 };
        #[cfg(not(target_os = "linux"))]
        let flags = {
            let _ = populate;
            libc::MAP_PRIVATE
        };
        // SAFETY: a fresh mapping of an open file, read-only; the kernel
        // checks the descriptor and the length.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ,
                flags,
                file.as_raw_fd(),
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return None;
        }
        // Pages are aligned far beyond 8 bytes.
        Some(Bytes {
            ptr: NonNull::new(p.cast::<u8>())?,
            len,
            keep: Keep::Mapped,
        })
    }

    /// Whether the bytes are a mapping of the file (rather than read).
    pub fn is_mapped(&self) -> bool {
        !matches!(self.keep, Keep::Heap(_))
    }

    /// Number of bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        // SAFETY: `ptr` points to `len` initialised bytes that live as
        // long as `self` (the buffer it keeps, or the mapping it unmaps
        // only when dropped).
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

impl Drop for Bytes {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Keep::Mapped = self.keep {
            // SAFETY: the mapping made in `map`, of this length, unmapped
            // once: nothing borrows it any more (every `Words` into it
            // holds an `Arc` of this).
            unsafe {
                libc::munmap(self.ptr.as_ptr().cast(), self.len);
            }
        }
    }
}

/// An array of words: a vector of its own, or a stretch of a file's
/// [`Bytes`] (little-endian words, on a little-endian machine), either
/// way read as a slice.
pub struct Words<T: Word> {
    ptr: NonNull<T>,
    len: usize,
    keep: Owner<T>,
}

enum Owner<T> {
    Vec(Vec<T>),
    Shared(#[allow(dead_code)] Arc<Bytes>),
}

// SAFETY: `Words` owns a `Vec<T>` or shares read-only bytes, both safe to
// send and share between threads for a `Word` (plain data).
unsafe impl<T: Word> Send for Words<T> {}
// SAFETY: as above.
unsafe impl<T: Word> Sync for Words<T> {}

impl<T: Word> Words<T> {
    /// The `len` words starting `at` bytes into `bytes`, in place; None if
    /// they run past the end, are not aligned for `T`, or the machine is
    /// big-endian (the file's words are little-endian).
    pub fn within(bytes: &Arc<Bytes>, at: usize, len: usize) -> Option<Words<T>> {
        let size = std::mem::size_of::<T>();
        let end = len.checked_mul(size)?.checked_add(at)?;
        if cfg!(target_endian = "big")
            || end > bytes.len()
            || !at.is_multiple_of(std::mem::align_of::<T>())
        {
            return None;
        }
        // SAFETY: `at` is within the bytes (at <= end <= len), and the
        // bytes start 8-byte aligned, so `at` aligned for T stays so.
        let ptr = unsafe { bytes.ptr.as_ptr().add(at) }.cast::<T>();
        Some(Words {
            ptr: NonNull::new(ptr)?,
            len,
            keep: Owner::Shared(Arc::clone(bytes)),
        })
    }

    /// Bytes the words take in memory: a vector's capacity, or their share
    /// of a file's bytes.
    pub fn bytes(&self) -> usize {
        std::mem::size_of::<T>()
            * match &self.keep {
                Owner::Vec(v) => v.capacity(),
                Owner::Shared(_) => self.len,
            }
    }

    /// Whether the words lie in a file's bytes rather than a vector.
    pub fn is_shared(&self) -> bool {
        matches!(self.keep, Owner::Shared(_))
    }
}

impl<T: Word> From<Vec<T>> for Words<T> {
    fn from(mut v: Vec<T>) -> Words<T> {
        let ptr = NonNull::new(v.as_mut_ptr()).expect("a vector's pointer");
        Words {
            ptr,
            len: v.len(),
            keep: Owner::Vec(v),
        }
    }
}

impl<T: Word> Deref for Words<T> {
    type Target = [T];

    #[inline(always)]
    fn deref(&self) -> &[T] {
        // SAFETY: `ptr` points to `len` initialised, aligned words that
        // live as long as `self`: those of the vector it owns (never
        // resized after), or of the bytes it keeps alive; any bits make a
        // valid `T`.
        unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

impl<'a, T: Word> IntoIterator for &'a Words<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> std::slice::Iter<'a, T> {
        self.iter()
    }
}

impl<T: Word> Clone for Words<T> {
    fn clone(&self) -> Words<T> {
        match &self.keep {
            Owner::Vec(v) => Words::from(v.clone()),
            Owner::Shared(b) => Words {
                ptr: self.ptr,
                len: self.len,
                keep: Owner::Shared(Arc::clone(b)),
            },
        }
    }
}

impl<T: Word + fmt::Debug> fmt::Debug for Words<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: Word + PartialEq> PartialEq for Words<T> {
    fn eq(&self, other: &Words<T>) -> bool {
        **self == **other
    }
}

impl<T: Word + PartialEq> PartialEq<Vec<T>> for Words<T> {
    fn eq(&self, other: &Vec<T>) -> bool {
        **self == other[..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_read_alike_from_a_vector_or_bytes() {
        let owned = Words::from(vec![1u32, 2, 0xDEAD_BEEF]);
        let raw: Vec<u8> = [7u32, 1, 2, 0xDEAD_BEEF]
            .iter()
            .flat_map(|w| w.to_le_bytes())
            .collect();
        let bytes = Arc::new(
            Bytes::read(raw.len(), |b| {
                b.copy_from_slice(&raw);
                Ok(())
            })
            .unwrap()
            .unwrap(),
        );
        let shared = Words::<u32>::within(&bytes, 4, 3).unwrap();
        assert_eq!(owned, shared);
        assert_eq!(shared.clone(), owned.clone());
        assert!(shared.is_shared() && !owned.is_shared());
        assert_eq!((shared.bytes(), owned.bytes()), (12, 12));
        drop(bytes);
        // The words keep the bytes alive.
        assert_eq!(&shared[..], &[1, 2, 0xDEAD_BEEF]);
        assert!(
            Words::<u32>::within(
                &Arc::new(Bytes::read(8, |_| Ok(())).unwrap().unwrap()),
                2,
                1
            )
            .is_none(),
            "misaligned"
        );
        let four = Arc::new(Bytes::read(8, |_| Ok(())).unwrap().unwrap());
        assert!(Words::<u32>::within(&four, 4, 2).is_none(), "past the end");
        assert!(Words::<f32>::within(&four, 4, 1).is_some());
    }

    #[cfg(unix)]
    #[test]
    fn mapped_bytes_are_the_files() {
        use std::io::Write;
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(&[1, 2, 3, 4, 5]).unwrap();
        for populate in [false, true] {
            let m = Bytes::map(&f, 5, populate).unwrap();
            assert!(m.is_mapped());
            assert_eq!(&m[..], &[1, 2, 3, 4, 5]);
        }
        assert!(Bytes::map(&f, 0, false).is_none());
    }
}
