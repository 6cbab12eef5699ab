//! The fast path for plain edge lists (whole-number ids, no header): the
//! file is taken in blocks (of a map of it, or read into a buffer from a
//! pipe), each block cut at line ends into chunks of a fixed size parsed
//! in parallel by a byte parser, and the chunks' pairs kept in file order,
//! so the pairs (and the graph) are exactly those the line-by-line reader
//! finds, whatever the thread count. A line the byte parser does not take
//! at a glance (non-ASCII text, a `+` sign, an id too long, an error) goes
//! through the same checks as the line-by-line reader.

use std::io::Read;
use std::path::Path;

use rayon::prelude::*;

use std::sync::atomic::Ordering;

use super::map::Map;
use super::{
    fill, footprint, parse_id, shorten, too_large_error, Cleaning, Id, BLOCK_BYTES, BYTES_READ,
    EXPECTED, MAX_LINE_BYTES,
};
use crate::graph::{Graph, GraphError};
use crate::resources::Memory;

/// How much is read and parsed at a time.
#[derive(Debug, Clone, Copy)]
pub(super) struct Sizes {
    /// Bytes read (or taken from a map) at a time (more while a block
    /// holds no line end).
    pub block: usize,
    /// Bytes a chunk holds (to the next line end): fixed, so that the work
    /// is cut the same way on any number of threads.
    pub chunk: usize,
}

impl Sizes {
    pub const DEFAULT: Sizes = Sizes {
        block: BLOCK_BYTES,
        chunk: 1 << 18,
    };
}

/// Whether the first line holding data in `block` is a plain pair of
/// whole numbers (so the file is no table), judged only on a whole line.
pub(super) fn starts_plain(block: &[u8], eof: bool) -> bool {
    let mut rest = block;
    loop {
        let (line, next) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None if eof => (rest, None),
            None => return false,
        };
        match fast_line(line) {
            Fast::Skip => {}
            Fast::Pair(..) => return true,
            Fast::Other => return false,
        }
        match next {
            Some(n) if !n.is_empty() => rest = n,
            _ => return false,
        }
    }
}

/// Where the text comes from.
pub(super) enum Source<'m, R> {
    /// A reader, through a buffer: `block` holds bytes read and not yet
    /// parsed, `eof` once the reader has no more.
    Reader {
        reader: R,
        block: Vec<u8>,
        eof: bool,
    },
    /// A file mapped whole: the block is `window` bytes from `at`.
    Map {
        map: &'m Map,
        at: usize,
        window: usize,
    },
}

impl<R: Read> Source<'_, R> {
    /// The block, and whether it runs to the end of the input.
    fn block(&self) -> (&[u8], bool) {
        match self {
            Source::Reader { block, eof, .. } => (block, *eof),
            Source::Map { map, at, window } => {
                let bytes = &map.bytes()[*at..];
                let end = (*window).min(bytes.len());
                (&bytes[..end], end == bytes.len())
            }
        }
    }

    /// The block `more` bytes longer (to the end at most).
    fn widen(&mut self, more: usize) -> std::io::Result<()> {
        match self {
            Source::Reader { reader, block, eof } => {
                let size = block.len() + more;
                *eof = fill(reader, block, size)?;
            }
            Source::Map { window, .. } => *window = window.saturating_add(more),
        }
        Ok(())
    }

    /// The next block, of `size` bytes, once the first `done` of this one
    /// are parsed.
    fn advance(&mut self, done: usize, size: usize) -> std::io::Result<()> {
        match self {
            Source::Reader { reader, block, eof } => {
                block.drain(..done);
                *eof = fill(reader, block, size)?;
            }
            Source::Map { at, window, .. } => {
                *at += done;
                *window = size;
            }
        }
        Ok(())
    }

    fn map(&self) -> Option<&Map> {
        match self {
            Source::Reader { .. } => None,
            Source::Map { map, .. } => Some(map),
        }
    }
}

/// Read the rest of a plain edge list from `source`. Ids are kept as u32
/// until one does not fit; the pairs read so far are then widened to u64,
/// once, and the block holding that id read again.
pub(super) fn read<R: Read>(
    source: Source<'_, R>,
    path: &Path,
    directed: bool,
    memory: &Memory,
    sizes: Sizes,
) -> Result<(Graph, Cleaning), GraphError> {
    let mut reading = Reading {
        source,
        path,
        directed,
        memory,
        sizes,
        cleaning: Cleaning::default(),
        lines_before: 0,
    };
    let narrow = match reading.pairs::<u32>(Parsed::default())? {
        Pairs::Done(read) => return reading.build(read),
        Pairs::Wider(read) => read,
    };
    let wide = Parsed {
        pieces: narrow
            .pieces
            .into_iter()
            .map(|piece| piece.iter().map(|&(u, v)| (u as u64, v as u64)).collect())
            .collect(),
        pairs: narrow.pairs,
        low: narrow.low,
        high: narrow.high,
    };
    match reading.pairs::<u64>(wide)? {
        Pairs::Done(read) => reading.build(read),
        Pairs::Wider(_) => unreachable!("every id fits in a u64"),
    }
}

/// The pairs read so far, as the chunks found them.
#[derive(Debug)]
pub(super) struct Parsed<T> {
    /// Each chunk's pairs, in file order.
    pub pieces: Vec<Vec<(T, T)>>,
    /// Pairs in all.
    pub pairs: usize,
    /// The smallest and largest id of a pair (`u64::MAX` and 0 if none).
    pub low: u64,
    pub high: u64,
}

impl<T> Default for Parsed<T> {
    fn default() -> Self {
        Parsed {
            pieces: Vec::new(),
            pairs: 0,
            low: u64::MAX,
            high: 0,
        }
    }
}

/// How reading the pairs ended.
enum Pairs<T> {
    /// At the end of the file.
    Done(Parsed<T>),
    /// At a block holding an id too wide for `T`, left unread.
    Wider(Parsed<T>),
}

/// A plain edge list being read, block by block.
struct Reading<'a, 'm, R> {
    source: Source<'m, R>,
    path: &'a Path,
    directed: bool,
    memory: &'a Memory,
    sizes: Sizes,
    cleaning: Cleaning,
    /// Lines before the block.
    lines_before: u64,
}

impl<R: Read> Reading<'_, '_, R> {
    fn too_large(&self, line: Option<u64>, lines: u64, needed: u64) -> GraphError {
        too_large_error(self.path, self.memory, line, lines, needed)
    }

    fn build<T: Id>(&mut self, read: Parsed<T>) -> Result<(Graph, Cleaning), GraphError> {
        // The text is all parsed: its buffer goes before the graph is built.
        if let Source::Reader { block, .. } = &mut self.source {
            *block = Vec::new();
        }
        let too_large = |line: Option<u64>, lines: u64, needed: u64| {
            too_large_error(self.path, self.memory, line, lines, needed)
        };
        super::rows::build(
            read,
            self.path,
            self.directed,
            self.memory,
            self.cleaning,
            &too_large,
        )
    }

    /// Read the pairs, added to `read`, to the end of the file or to the
    /// first block holding an id wider than `T`.
    fn pairs<T: Id>(&mut self, mut read: Parsed<T>) -> Result<Pairs<T>, GraphError> {
        let directed = self.directed;
        // The same limit for either width (and as the line-by-line reader
        // sets): the pairs then fit whatever the width, and the graph is
        // built only once its exact need is known to fit.
        let per_line = footprint::edge_list(1, 0, directed).peak.max(1);
        let most_lines = (self.memory.bytes / per_line) as usize;
        let open_error = |source| GraphError::Open {
            path: self.path.to_path_buf(),
            source,
        };
        loop {
            let (block, eof) = self.source.block();
            let end = if eof {
                block.len()
            } else {
                match block.iter().rposition(|&b| b == b'\n') {
                    Some(i) => i + 1,
                    None if block.len() > MAX_LINE_BYTES => {
                        return Err(stop_error(self.path, self.lines_before + 1, Stop::TooLong))
                    }
                    None => {
                        self.source.widen(self.sizes.block).map_err(open_error)?;
                        continue;
                    }
                }
            };
            let text = &block[..end];
            let map = self.source.map();
            let chunks = chunk_bounds(text, self.sizes.chunk);
            let parsed: Vec<Chunk<T>> = chunks
                .par_iter()
                .map(|&(a, b)| {
                    let chunk = parse_chunk(&text[a..b], directed, usize::MAX);
                    if let Some(map) = map {
                        BYTES_READ.fetch_add((b - a) as u64, Ordering::Relaxed);
                        map.release(&text[a..b]);
                    }
                    chunk
                })
                .collect();
            let first_stop = parsed.iter().find_map(|c| c.stop.as_ref());
            if matches!(first_stop, Some((_, Stop::Wide))) {
                return Ok(Pairs::Wider(read));
            }
            for (chunk, &(a, b)) in parsed.into_iter().zip(&chunks) {
                if chunk.stop.is_some() || read.pairs + chunk.pairs.len() > most_lines {
                    // Again, one line at a time up to the first thing that
                    // stops the reading, as the line-by-line reader would.
                    let again = parse_chunk::<T>(&text[a..b], directed, most_lines - read.pairs);
                    let (line, stop) = again.stop.expect("the chunk stops again");
                    let line = self.lines_before + line;
                    return Err(match stop {
                        Stop::Full => {
                            let lines = most_lines as u64 + 1;
                            self.too_large(Some(line), lines, lines * per_line)
                        }
                        stop => stop_error(self.path, line, stop),
                    });
                }
                self.lines_before += chunk.lines;
                self.cleaning.lines += chunk.data_lines;
                self.cleaning.self_loops += chunk.self_loops;
                if !chunk.pairs.is_empty() {
                    read.pairs += chunk.pairs.len();
                    read.low = read.low.min(chunk.low);
                    read.high = read.high.max(chunk.high);
                    read.pieces.push(chunk.pairs);
                }
            }
            if eof {
                return Ok(Pairs::Done(read));
            }
            self.source
                .advance(end, self.sizes.block)
                .map_err(open_error)?;
        }
    }
}

/// `text` (whole lines) cut into chunks of about `size` bytes, each
/// ending a line: `(start, end)` byte ranges in order.
fn chunk_bounds(text: &[u8], size: usize) -> Vec<(usize, usize)> {
    let mut bounds = Vec::with_capacity(text.len() / size + 1);
    let mut start = 0;
    while start < text.len() {
        let end = match start.checked_add(size) {
            Some(cut) if cut < text.len() => match text[cut - 1..].iter().position(|&b| b == b'\n')
            {
                Some(i) => cut + i,
                None => text.len(),
            },
            _ => text.len(),
        };
        bounds.push((start, end));
        start = end;
    }
    bounds
}

/// Why reading stopped at a line.
#[derive(Debug, Clone, PartialEq)]
enum Stop {
    /// The line is not an edge; the message says why.
    Bad(String),
    /// The line is longer than [`MAX_LINE_BYTES`].
    TooLong,
    /// The pairs reached the limit given.
    Full,
    /// An id is too wide for the pairs' type.
    Wide,
}

fn stop_error(path: &Path, line: u64, stop: Stop) -> GraphError {
    let message = match stop {
        Stop::Bad(message) => message,
        Stop::TooLong => format!(
            "line {line} is longer than {} MiB; {EXPECTED} (is this the right file?)",
            MAX_LINE_BYTES >> 20
        ),
        Stop::Full | Stop::Wide => unreachable!("only a bad line is an error of its own"),
    };
    GraphError::Line {
        path: path.to_path_buf(),
        line,
        message,
    }
}

/// What a chunk of whole lines holds.
#[derive(Debug)]
struct Chunk<T> {
    /// Pairs of the edge lines, `(u, v)` with `u < v` when undirected,
    /// self-loops left out.
    pairs: Vec<(T, T)>,
    /// The smallest and largest id of the pairs.
    low: u64,
    high: u64,
    /// Lines in the chunk (a last line without a line end counts).
    lines: u64,
    /// Lines holding an edge.
    data_lines: u64,
    self_loops: u64,
    /// The line (counted from 1 within the chunk) where reading stopped,
    /// and why.
    stop: Option<(u64, Stop)>,
}

/// Parse a chunk of whole lines, stopping at the first bad line or before
/// the pairs would exceed `limit`.
fn parse_chunk<T: Id>(text: &[u8], directed: bool, limit: usize) -> Chunk<T> {
    let mut chunk = Chunk {
        pairs: Vec::with_capacity(text.len() / 12 + 1),
        low: u64::MAX,
        high: 0,
        lines: 0,
        data_lines: 0,
        self_loops: 0,
        stop: None,
    };
    let mut at = 0;
    while at < text.len() {
        chunk.lines += 1;
        let pair = match quick_line(text, at) {
            Some((u, v, next)) => {
                at = next;
                (u, v)
            }
            None => {
                let rest = &text[at..];
                let (line, next) = match memchr(b'\n', rest) {
                    Some(i) => (&rest[..i], at + i + 1),
                    None => (rest, text.len()),
                };
                at = next;
                match fast_line(line) {
                    Fast::Skip => continue,
                    Fast::Pair(u, v) => (u, v),
                    Fast::Other => match slow_line(line) {
                        Ok(None) => continue,
                        Ok(Some(pair)) => pair,
                        Err(stop) => {
                            chunk.stop = Some((chunk.lines, stop));
                            return chunk;
                        }
                    },
                }
            }
        };
        chunk.data_lines += 1;
        let (u, v) = pair;
        if u == v {
            chunk.self_loops += 1;
            continue;
        }
        if chunk.pairs.len() >= limit {
            chunk.stop = Some((chunk.lines, Stop::Full));
            return chunk;
        }
        let (Some(nu), Some(nv)) = (T::narrow(u), T::narrow(v)) else {
            chunk.stop = Some((chunk.lines, Stop::Wide));
            return chunk;
        };
        let (small, large) = if u < v { (u, v) } else { (v, u) };
        chunk.low = chunk.low.min(small);
        chunk.high = chunk.high.max(large);
        chunk.pairs.push(if directed || u < v {
            (nu, nv)
        } else {
            (nv, nu)
        });
    }
    // The estimate of pairs per byte is generous: the rest goes back now
    // rather than sitting in the pieces until the graph is built.
    chunk.pairs.shrink_to_fit();
    chunk
}

/// The first `needle` in `bytes`, a word at a time.
fn memchr(needle: u8, bytes: &[u8]) -> Option<usize> {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let pattern = LOW * needle as u64;
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for word in words.by_ref() {
        let x = u64::from_le_bytes(word.try_into().expect("8 bytes")) ^ pattern;
        let found = x.wrapping_sub(LOW) & !x & HIGH;
        if found != 0 {
            return Some(at + (found.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&b| b == needle)
        .map(|i| at + i)
}

/// The line at `text[at..]` read the quickest way, if it is the common
/// kind: two runs of at most 19 digits (so no overflow) split by spaces,
/// tabs or commas, then a line end (`\n`, `\r\n`) or the end of the text:
/// the pair and where the next line starts. Any other line is left to
/// [`fast_line`], which reads these exactly alike.
#[inline(always)]
fn quick_line(text: &[u8], at: usize) -> Option<(u64, u64, usize)> {
    let (u, mut i) = quick_digits(text, at)?;
    let gap = i;
    while i < text.len() && matches!(text[i], b' ' | b'\t' | b',') {
        i += 1;
    }
    if i == gap {
        return None;
    }
    let (v, i) = quick_digits(text, i)?;
    let next = match text.get(i) {
        None => i,
        Some(b'\n') => i + 1,
        Some(b'\r') if text.get(i + 1) == Some(&b'\n') => i + 2,
        Some(_) => return None,
    };
    // A run of separators past the longest line is refused where it is.
    (i - at <= MAX_LINE_BYTES).then_some((u, v, next))
}

/// The run of 1 to 19 digits at `text[at..]` and the index past it.
#[inline(always)]
fn quick_digits(text: &[u8], at: usize) -> Option<(u64, usize)> {
    let mut value: u64 = 0;
    let mut i = at;
    while let Some(&b) = text.get(i) {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        if i - at == 19 {
            return None;
        }
        value = value * 10 + d as u64;
        i += 1;
    }
    (i > at).then_some((value, i))
}

/// What a line is at a glance.
#[derive(Debug, PartialEq)]
enum Fast {
    /// Blank or an ASCII comment.
    Skip,
    /// Two whole-number ids, then nothing or further ASCII columns.
    Pair(u64, u64),
    /// Anything else: [`slow_line`] decides.
    Other,
}

/// Whitespace (as `str::trim` and the field split see it) within a line.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | 0x0b | 0x0c)
}

/// Read a line (without its line end) the quick way.
fn fast_line(line: &[u8]) -> Fast {
    if line.len() > MAX_LINE_BYTES {
        return Fast::Other;
    }
    let mut i = 0;
    while i < line.len() && is_space(line[i]) {
        i += 1;
    }
    match line.get(i) {
        None => return Fast::Skip,
        Some(b'#' | b'%') => {
            return if line[i..].is_ascii() {
                Fast::Skip
            } else {
                Fast::Other
            }
        }
        _ => {}
    }
    let Some(u) = digits(line, &mut i) else {
        return Fast::Other;
    };
    let start = i;
    while i < line.len() && (is_space(line[i]) || line[i] == b',') {
        i += 1;
    }
    if i == start {
        return Fast::Other;
    }
    let Some(v) = digits(line, &mut i) else {
        return Fast::Other;
    };
    match line.get(i) {
        None => Fast::Pair(u, v),
        Some(&b) if (is_space(b) || b == b',') && line[i..].is_ascii() => Fast::Pair(u, v),
        _ => Fast::Other,
    }
}

/// The whole number at `line[*i..]`, moving `i` past it; `None` when there
/// is no digit or it does not fit in a `u64`.
fn digits(line: &[u8], i: &mut usize) -> Option<u64> {
    let start = *i;
    let mut value: u64 = 0;
    while let Some(&b) = line.get(*i) {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        value = value.checked_mul(10)?.checked_add(d as u64)?;
        *i += 1;
    }
    (*i > start).then_some(value)
}

/// Read a line (without its line end) exactly as the line-by-line reader
/// does: `None` for a blank or comment line.
fn slow_line(line: &[u8]) -> Result<Option<(u64, u64)>, Stop> {
    if line.len() > MAX_LINE_BYTES {
        return Err(Stop::TooLong);
    }
    let Ok(text) = std::str::from_utf8(line) else {
        return Err(Stop::Bad(format!(
            "line is not valid UTF-8 text; {EXPECTED}"
        )));
    };
    let text = text.trim();
    if text.is_empty() || text.starts_with('#') || text.starts_with('%') {
        return Ok(None);
    }
    let mut fields = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|f| !f.is_empty());
    let (Some(a), Some(b)) = (fields.next(), fields.next()) else {
        return Err(Stop::Bad(format!(
            "expected two node ids `u v`, found `{}`",
            shorten(text)
        )));
    };
    let u = parse_id(a).map_err(Stop::Bad)?;
    let v = parse_id(b).map_err(Stop::Bad)?;
    Ok(Some((u, v)))
}

#[cfg(test)]
mod tests;
