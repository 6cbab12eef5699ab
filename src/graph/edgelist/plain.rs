//! The fast path for plain edge lists (whole-number ids, no header): the
//! file is read in blocks, each block cut at line ends into chunks of a
//! fixed size parsed in parallel by a byte parser, and the chunks' pairs
//! joined in file order, so the pairs (and the graph) are exactly those the
//! line-by-line reader finds, whatever the thread count. A line the byte
//! parser does not take at a glance (non-ASCII text, a `+` sign, an id too
//! long, an error) goes through the same checks as the line-by-line reader.

use std::io::Read;
use std::path::Path;

use rayon::prelude::*;

use super::{
    build_plain, fill, footprint, parse_id, shorten, too_large_error, Cleaning, Id, BLOCK_BYTES,
    EXPECTED, MAX_LINE_BYTES,
};
use crate::graph::{Graph, GraphError};
use crate::resources::Memory;

/// How much is read and parsed at a time.
#[derive(Debug, Clone, Copy)]
pub(super) struct Sizes {
    /// Bytes read at a time (more while a block holds no line end).
    pub block: usize,
    /// Bytes a chunk holds (to the next line end): fixed, so that the work
    /// is cut the same way on any number of threads.
    pub chunk: usize,
    /// The file's length, bytes, when known (not for a pipe): the pairs
    /// are then reserved once, from the first block's lines per byte.
    pub file: Option<u64>,
}

impl Sizes {
    pub const DEFAULT: Sizes = Sizes {
        block: BLOCK_BYTES,
        chunk: 1 << 18,
        file: None,
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

/// Read the rest of a plain edge list: `block` holds its first bytes
/// (`eof` when that is all of it). Ids are kept as u32 until one does not
/// fit; the pairs read so far are then widened to u64, once.
pub(super) fn read<R: Read>(
    reader: R,
    block: Vec<u8>,
    eof: bool,
    path: &Path,
    directed: bool,
    memory: &Memory,
    sizes: Sizes,
) -> Result<(Graph, Cleaning), GraphError> {
    let mut reading = Reading {
        reader,
        block,
        eof,
        path,
        directed,
        memory,
        sizes,
        cleaning: Cleaning::default(),
        lines_before: 0,
        bytes_done: 0,
    };
    let narrow = match reading.pairs::<u32>(Vec::new())? {
        Pairs::Done(pairs) => return reading.build(pairs),
        Pairs::Wider(pairs) => pairs,
    };
    let mut wide: Vec<(u64, u64)> = Vec::with_capacity(narrow.capacity());
    wide.extend(narrow.iter().map(|&(u, v)| (u as u64, v as u64)));
    drop(narrow);
    match reading.pairs::<u64>(wide)? {
        Pairs::Done(pairs) => reading.build(pairs),
        Pairs::Wider(_) => unreachable!("every id fits in a u64"),
    }
}

/// How reading the pairs ended.
enum Pairs<T> {
    /// At the end of the file.
    Done(Vec<(T, T)>),
    /// At a block holding an id too wide for `T`, left unread.
    Wider(Vec<(T, T)>),
}

/// A plain edge list being read, block by block.
struct Reading<'a, R> {
    reader: R,
    /// Bytes read and not yet parsed.
    block: Vec<u8>,
    eof: bool,
    path: &'a Path,
    directed: bool,
    memory: &'a Memory,
    sizes: Sizes,
    cleaning: Cleaning,
    /// Lines before the block.
    lines_before: u64,
    /// Bytes before the block.
    bytes_done: u64,
}

impl<R: Read> Reading<'_, R> {
    fn too_large(&self, line: Option<u64>, lines: u64, needed: u64) -> GraphError {
        too_large_error(self.path, self.memory, line, lines, needed)
    }

    fn build<T: Id>(&mut self, pairs: Vec<(T, T)>) -> Result<(Graph, Cleaning), GraphError> {
        // The text is all parsed: its buffer goes before the graph is built.
        self.block = Vec::new();
        let too_large = |line: Option<u64>, lines: u64, needed: u64| {
            too_large_error(self.path, self.memory, line, lines, needed)
        };
        build_plain(
            pairs,
            self.path,
            self.directed,
            self.memory,
            self.cleaning,
            &too_large,
        )
    }

    /// Read the pairs, added to `pairs`, to the end of the file or to the
    /// first block holding an id wider than `T`.
    fn pairs<T: Id>(&mut self, mut pairs: Vec<(T, T)>) -> Result<Pairs<T>, GraphError> {
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
            let end = if self.eof {
                self.block.len()
            } else {
                match self.block.iter().rposition(|&b| b == b'\n') {
                    Some(i) => i + 1,
                    None if self.block.len() > MAX_LINE_BYTES => {
                        return Err(stop_error(self.path, self.lines_before + 1, Stop::TooLong))
                    }
                    None => {
                        let more = self.block.len() + self.sizes.block;
                        self.eof =
                            fill(&mut self.reader, &mut self.block, more).map_err(open_error)?;
                        continue;
                    }
                }
            };
            let text = &self.block[..end];
            let chunks = chunk_bounds(text, self.sizes.chunk);
            let parsed: Vec<Chunk<T>> = chunks
                .par_iter()
                .map(|&(a, b)| parse_chunk(&text[a..b], directed, usize::MAX))
                .collect();
            let first_stop = parsed.iter().find_map(|c| c.stop.as_ref());
            if matches!(first_stop, Some((_, Stop::Wide))) {
                return Ok(Pairs::Wider(pairs));
            }
            for (chunk, &(a, b)) in parsed.into_iter().zip(&chunks) {
                if chunk.stop.is_some() || pairs.len() + chunk.pairs.len() > most_lines {
                    // Again, one line at a time up to the first thing that
                    // stops the reading, as the line-by-line reader would.
                    let again = parse_chunk::<T>(&text[a..b], directed, most_lines - pairs.len());
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
                let needed = pairs.len() + chunk.pairs.len();
                if needed > pairs.capacity() {
                    // Grown by hand, so the pairs never take more than the
                    // graph they make could be built in.
                    let grown = (2 * pairs.len())
                        .max(super::FIRST_LINES)
                        .max(needed)
                        .min(most_lines);
                    pairs.reserve_exact(grown - pairs.len());
                }
                pairs.extend_from_slice(&chunk.pairs);
                self.lines_before += chunk.lines;
                self.cleaning.lines += chunk.data_lines;
                self.cleaning.self_loops += chunk.self_loops;
            }
            if self.eof {
                return Ok(Pairs::Done(pairs));
            }
            self.bytes_done += end as u64;
            if let Some(file) = self.sizes.file.filter(|&f| f > self.bytes_done) {
                // Lines per byte vary little through a file; a little more
                // than the estimate spares growing (and copying) the pairs.
                let estimate =
                    (pairs.len() as f64 * file as f64 / self.bytes_done as f64 * 1.05) as usize;
                let estimate = estimate.min(most_lines);
                if estimate > pairs.capacity() {
                    pairs.reserve_exact(estimate - pairs.len());
                }
            }
            self.block.drain(..end);
            self.eof =
                fill(&mut self.reader, &mut self.block, self.sizes.block).map_err(open_error)?;
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
        lines: 0,
        data_lines: 0,
        self_loops: 0,
        stop: None,
    };
    let mut rest = text;
    while !rest.is_empty() {
        let (line, next) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        rest = next;
        chunk.lines += 1;
        let pair = match fast_line(line) {
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
        let (Some(u), Some(v)) = (T::narrow(u), T::narrow(v)) else {
            chunk.stop = Some((chunk.lines, Stop::Wide));
            return chunk;
        };
        chunk
            .pairs
            .push(if directed || u < v { (u, v) } else { (v, u) });
    }
    chunk
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
