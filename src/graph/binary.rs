//! The binary graph format `.vsg`: a graph as built (follower rows, every
//! trust, the ids, the segments) written once and read back in one pass,
//! many times faster than parsing text, so that every shard of a big job
//! loads the same network cheaply. The layout is documented in
//! docs/scaling.md ("The binary graph format").

use std::fs;
use std::io::{self, Read, Seek, Write};
use std::path::Path;

use super::edgelist::Cleaning;
use super::labels::{Name, Texts};
use super::{Graph, GraphError, Node, Segments, NO_SEGMENT};

/// What a binary graph file starts with.
pub const MAGIC: [u8; 8] = *b"VSGRAPH\0";
/// The layout's version; files of another are refused.
pub const VERSION: u32 = 2;
/// Bytes of the header.
const HEADER: u64 = 64;
/// Bytes of each piece a section's checksum is cut into: the pieces are
/// checksummed side by side on every core, then chained in order.
const PIECE: usize = 1 << 20;
/// The file name extension of binary graphs.
pub const EXTENSION: &str = "vsg";

/// What loading a binary graph "cleaned": nothing, and the trust is the
/// file's own (as with a `trust` column), so no `[trust]` distribution may
/// replace it.
pub const CLEANING: Cleaning = Cleaning {
    lines: 0,
    self_loops: 0,
    duplicates: 0,
    trust_column: true,
};

const LABELS_DENSE: u32 = 0;
const LABELS_NUMBERS: u32 = 1;
const LABELS_TEXTS: u32 = 2;
const HAS_SEGMENTS: u32 = 1 << 2;
const NAMED_SEGMENTS: u32 = 1 << 3;

/// Whether `path` holds a binary graph: it starts with [`MAGIC`] or its
/// name ends in `.vsg` (a `.vsg` without the magic is refused by [`read`]
/// rather than parsed as text).
pub fn is_binary(path: &Path) -> bool {
    if path.extension().is_some_and(|e| e == EXTENSION) {
        return true;
    }
    // Only a regular file is peeked at: reading a pipe (`/dev/stdin`)
    // would take its first bytes from the edge-list reader.
    if !fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut start = [0u8; 8];
    fs::File::open(path)
        .and_then(|f| f.take(8).read_exact(&mut start))
        .is_ok_and(|()| start == MAGIC)
}

/// The counts of a header: everything needed to know the file's length.
struct Header {
    flags: u32,
    nodes: u64,
    arcs: u64,
    label_bytes: u64,
    segment_names: u64,
    segment_name_bytes: u64,
    /// The graph's [`Graph::fingerprint`], recorded so that loading need
    /// not hash every arc again: the checksum vouches for it.
    fingerprint: u64,
}

impl Header {
    fn of(graph: &Graph) -> Header {
        let texts = graph.has_text_ids();
        let dense = !texts && (0..graph.nodes()).all(|u| graph.label(u) == u as u64);
        let mut flags = match (texts, dense) {
            (true, _) => LABELS_TEXTS,
            (false, true) => LABELS_DENSE,
            (false, false) => LABELS_NUMBERS,
        };
        let label_bytes = if texts {
            (0..graph.nodes())
                .map(|u| match graph.name(u) {
                    Name::Text(t) => t.len() as u64,
                    Name::Number(_) => 0,
                })
                .sum()
        } else {
            0
        };
        let (mut segment_names, mut segment_name_bytes) = (0, 0);
        if let Some(s) = graph.segments() {
            flags |= HAS_SEGMENTS;
            segment_names = s.len() as u64;
            if let Some(names) = s.listed_names() {
                flags |= NAMED_SEGMENTS;
                segment_name_bytes = names.iter().map(|n| n.len() as u64).sum();
            }
        }
        Header {
            flags,
            nodes: graph.nodes() as u64,
            arcs: graph.arcs() as u64,
            label_bytes,
            segment_names,
            segment_name_bytes,
            fingerprint: graph.fingerprint(),
        }
    }

    fn bytes(&self) -> [u8; HEADER as usize] {
        let mut b = [0u8; HEADER as usize];
        b[..8].copy_from_slice(&MAGIC);
        b[8..12].copy_from_slice(&VERSION.to_le_bytes());
        b[12..16].copy_from_slice(&self.flags.to_le_bytes());
        for (i, w) in [
            self.nodes,
            self.arcs,
            self.label_bytes,
            self.segment_names,
            self.segment_name_bytes,
            self.fingerprint,
        ]
        .into_iter()
        .enumerate()
        {
            b[16 + 8 * i..24 + 8 * i].copy_from_slice(&w.to_le_bytes());
        }
        b
    }

    fn labels(&self) -> u32 {
        self.flags & 3
    }

    /// The file's whole length, header and checksum included; None if
    /// the counts overflow (no real file is that long).
    fn file_len(&self) -> Option<u64> {
        let n = self.nodes;
        let a = self.arcs;
        let labels = match self.labels() {
            LABELS_NUMBERS => n.checked_mul(8)?,
            LABELS_TEXTS => n.checked_mul(4)?.checked_add(self.label_bytes)?,
            _ => 0,
        };
        let segments = if self.flags & HAS_SEGMENTS != 0 {
            let names = if self.flags & NAMED_SEGMENTS != 0 {
                self.segment_names
                    .checked_mul(4)?
                    .checked_add(self.segment_name_bytes)?
            } else {
                0
            };
            n.checked_mul(4)?.checked_add(names)?
        } else {
            0
        };
        HEADER
            .checked_add(n.checked_mul(4)?)?
            .checked_add(a.checked_mul(8)?)?
            .checked_add(labels)?
            .checked_add(segments)?
            .checked_add(8)
    }
}

/// The file's checksum, from those of its five sections (header, rows,
/// followers, trust, the rest): the sections are checked side by side.
fn combine(sections: &[u64]) -> u64 {
    sections
        .iter()
        .fold(sections.len() as u64, |h, &s| chain(h, s))
}

/// The checksum of a section being written: the [`Checksum`]s of its
/// pieces of [`PIECE`] bytes (one empty piece for an empty section),
/// chained as [`combine`] chains sections.
#[derive(Default)]
struct Pieces {
    piece: Checksum,
    filled: usize,
    sums: Vec<u64>,
}

impl Pieces {
    fn update(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            let take = (PIECE - self.filled).min(bytes.len());
            self.piece.update(&bytes[..take]);
            self.filled += take;
            bytes = &bytes[take..];
            if self.filled == PIECE {
                self.sums.push(std::mem::take(&mut self.piece).finish());
                self.filled = 0;
            }
        }
    }

    fn finish(mut self) -> u64 {
        if self.filled > 0 || self.sums.is_empty() {
            self.sums.push(self.piece.finish());
        }
        combine(&self.sums)
    }
}

/// [`Pieces`] of a whole section at once, its pieces on every core.
fn section_sum(bytes: &[u8]) -> u64 {
    use rayon::prelude::*;
    if bytes.is_empty() {
        return combine(&[Checksum::new().finish()]);
    }
    let sums: Vec<u64> = bytes
        .par_chunks(PIECE)
        .map(|piece| {
            let mut c = Checksum::new();
            c.update(piece);
            c.finish()
        })
        .collect();
    combine(&sums)
}

/// A writer that checksums what passes through it.
struct Summed<W> {
    out: W,
    sum: Pieces,
}

impl<W: Write> Summed<W> {
    /// The checksum of the section written since the last cut.
    fn cut(&mut self) -> u64 {
        std::mem::take(&mut self.sum).finish()
    }

    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.sum.update(bytes);
        self.out.write_all(bytes)
    }

    /// Write `items` as little-endian words, through a small buffer.
    fn words<T: Copy>(
        &mut self,
        items: impl Iterator<Item = T>,
        le: impl Fn(T, &mut Vec<u8>),
    ) -> io::Result<()> {
        let mut buf = Vec::with_capacity(1 << 16);
        for x in items {
            le(x, &mut buf);
            if buf.len() >= 1 << 16 {
                self.put(&buf)?;
                buf.clear();
            }
        }
        self.put(&buf)
    }
}

/// Write `graph` (its rows, every trust, the ids and segments) to `out` in
/// the binary format.
pub fn write(graph: &Graph, out: &mut dyn Write) -> io::Result<()> {
    let header = Header::of(graph);
    let mut w = Summed {
        out: io::BufWriter::with_capacity(1 << 20, out),
        sum: Pieces::default(),
    };
    let mut sections = Vec::with_capacity(5);
    w.put(&header.bytes())?;
    sections.push(w.cut());
    let n = graph.nodes();
    w.words(0..n, |u, b| {
        b.extend_from_slice(&graph.follower_count(u).to_le_bytes())
    })?;
    sections.push(w.cut());
    w.words(graph.targets().iter().copied(), |v: Node, b| {
        b.extend_from_slice(&v.to_le_bytes())
    })?;
    sections.push(w.cut());
    w.words(graph.trust().iter().copied(), |t: f32, b| {
        b.extend_from_slice(&t.to_le_bytes())
    })?;
    sections.push(w.cut());
    match header.labels() {
        LABELS_NUMBERS => w.words(0..n, |u, b| {
            b.extend_from_slice(&graph.label(u).to_le_bytes())
        })?,
        LABELS_TEXTS => {
            let text = |u| match graph.name(u) {
                Name::Text(t) => t,
                Name::Number(_) => "",
            };
            w.words(0..n, |u, b| {
                b.extend_from_slice(&(text(u).len() as u32).to_le_bytes())
            })?;
            w.words(0..n, |u, b| b.extend_from_slice(text(u).as_bytes()))?;
        }
        _ => {}
    }
    if let Some(s) = graph.segments() {
        w.words(s.all().iter().copied(), |x: u32, b| {
            b.extend_from_slice(&x.to_le_bytes())
        })?;
        if let Some(names) = s.listed_names() {
            w.words(names.iter(), |name: &String, b| {
                b.extend_from_slice(&(name.len() as u32).to_le_bytes())
            })?;
            w.words(names.iter(), |name: &String, b| {
                b.extend_from_slice(name.as_bytes())
            })?;
        }
    }
    sections.push(w.cut());
    w.out.write_all(&combine(&sections).to_le_bytes())?;
    w.out.flush()
}

/// Read the binary graph at `path`: its length is checked against its
/// header before anything large is allocated, and its checksum before any
/// of it is used, so a truncated or damaged file is refused and never
/// read past its end.
pub fn read(path: &Path) -> Result<Graph, GraphError> {
    let fail = |message: String| GraphError::Binary {
        path: path.to_path_buf(),
        message,
    };
    let open = |source| GraphError::Open {
        path: path.to_path_buf(),
        source,
    };
    let mut file = super::open_data_file(path).map_err(open)?;
    let len = file.metadata().map_err(open)?.len();
    let mut head = [0u8; HEADER as usize];
    if len < HEADER + 8 {
        return Err(fail(format!(
            "is {len} bytes long, too short for a binary graph (truncated, or not one; `viralsim graph SCENARIO --export binary --out FILE` writes one)"
        )));
    }
    file.read_exact(&mut head).map_err(open)?;
    if head[..8] != MAGIC {
        return Err(fail(
            "does not start as a binary graph does (it ends in .vsg, but `viralsim graph SCENARIO --export binary --out FILE` did not write it); a text edge list must not end in .vsg".into(),
        ));
    }
    let word = |i: usize| u64::from_le_bytes(head[16 + 8 * i..24 + 8 * i].try_into().expect("8"));
    let version = u32::from_le_bytes(head[8..12].try_into().expect("4"));
    if version != VERSION {
        return Err(fail(format!(
            "has format version {version}; this viralsim reads version {VERSION}: export it again with this viralsim"
        )));
    }
    let header = Header {
        flags: u32::from_le_bytes(head[12..16].try_into().expect("4")),
        nodes: word(0),
        arcs: word(1),
        label_bytes: word(2),
        segment_names: word(3),
        segment_name_bytes: word(4),
        fingerprint: word(5),
    };
    let corrupt =
        || fail("is corrupt (its checksum does not match its contents): export it again".into());
    let expected = header.file_len().ok_or_else(corrupt)?;
    if expected != len || header.flags >> 4 != 0 || header.labels() == 3 {
        return Err(if expected > len {
            fail(format!(
                "is truncated: its header announces {expected} bytes, the file has {len}; export it again"
            ))
        } else {
            corrupt()
        });
    }
    if header.nodes > super::MAX_NODES || header.arcs > usize::MAX as u64 / 8 {
        return Err(corrupt());
    }
    let n = header.nodes;
    let a = header.arcs;
    // Each section is read in one call straight into the bytes of its
    // vector, the rows and followers on this thread and the trust and the
    // rest from a second handle on another; then every section's pieces
    // are checksummed on every core, and the whole file is checked before
    // any of it is acted on: a damaged count must not be.
    let rest_len = len - HEADER - 8 * a - 4 * n - 8;
    let second = HEADER + 4 * n + 4 * a;
    let too_big = |what: u64| fail(format!("{what} bytes do not fit in memory"));
    let (first_half, second_half) = std::thread::scope(|scope| {
        let other = scope.spawn(|| -> Result<_, GraphError> {
            let mut file = fs::File::open(path).map_err(open)?;
            file.seek(io::SeekFrom::Start(second)).map_err(open)?;
            let trust = read_u32s(&mut file, a).ok_or_else(|| too_big(4 * a))?;
            let trust = trust.map_err(open)?;
            let mut rest = Vec::new();
            rest.try_reserve_exact(rest_len as usize)
                .map_err(|_| too_big(rest_len))?;
            rest.resize(rest_len as usize, 0);
            file.read_exact(&mut rest).map_err(open)?;
            let mut footer = [0u8; 8];
            file.read_exact(&mut footer).map_err(open)?;
            Ok((trust, rest, footer))
        });
        let mine = (|| -> Result<_, GraphError> {
            let counts = read_u32s(&mut file, n).ok_or_else(|| too_big(4 * n))?;
            let counts = counts.map_err(open)?;
            let targets = read_u32s(&mut file, a).ok_or_else(|| too_big(4 * a))?;
            let targets = targets.map_err(open)?;
            Ok((counts, targets))
        })();
        let theirs = other
            .join()
            .unwrap_or_else(|_| Err(fail("could not be read (a reading thread failed)".into())));
        (mine, theirs)
    });
    let (mut counts, mut targets) = first_half?;
    let (mut trust, rest, footer) = second_half?;
    let sections: [&[u8]; 5] = [
        &head,
        as_bytes(&counts),
        as_bytes(&targets),
        as_bytes(&trust),
        &rest,
    ];
    let sums: Vec<u64> = {
        use rayon::prelude::*;
        sections.par_iter().map(|s| section_sum(s)).collect()
    };
    if combine(&sums).to_le_bytes() != footer {
        return Err(corrupt());
    }
    for words in [&mut counts, &mut targets, &mut trust] {
        from_le(words);
    }
    let trust: Vec<f32> = trust.into_iter().map(f32::from_bits).collect();
    let graph = parse(&header, counts, targets, trust, &rest).ok_or_else(|| {
        fail("holds impossible values although its checksum matches (written by another program?): export it again".into())
    })?;
    Ok(graph.with_fingerprint(header.fingerprint))
}

/// `count` words read from `file` in one call into the bytes of their
/// vector, as they lie in the file (little-endian: see [`from_le`]); None
/// if they do not fit in memory.
fn read_u32s(file: &mut fs::File, count: u64) -> Option<io::Result<Vec<u32>>> {
    let count = usize::try_from(count).ok()?;
    let mut v = zeroed_u32s(count)?;
    Some(file.read_exact(as_bytes_mut(&mut v)).map(|()| v))
}

/// `count` zeros, None if they do not fit in memory. Zeroed memory comes
/// from the system that way, so nothing is written twice before the read.
fn zeroed_u32s(count: usize) -> Option<Vec<u32>> {
    if count == 0 {
        return Some(Vec::new());
    }
    let layout = std::alloc::Layout::array::<u32>(count).ok()?;
    // SAFETY: the layout is not empty (count > 0).
    let p = unsafe { std::alloc::alloc_zeroed(layout) }.cast::<u32>();
    if p.is_null() {
        return None;
    }
    // SAFETY: `p` comes from the global allocator with the layout of
    // `count` u32s, every one of them initialised (to 0).
    Some(unsafe { Vec::from_raw_parts(p, count, count) })
}

/// The bytes of `words` as they lie in memory.
fn as_bytes(words: &[u32]) -> &[u8] {
    // SAFETY: a u32 is four initialised bytes with no padding, and a byte
    // needs no alignment; the slice covers exactly the same memory.
    unsafe { std::slice::from_raw_parts(words.as_ptr().cast::<u8>(), std::mem::size_of_val(words)) }
}

/// [`as_bytes`], to be written.
fn as_bytes_mut(words: &mut [u32]) -> &mut [u8] {
    // SAFETY: as in `as_bytes`; besides, every pattern of four bytes is a
    // valid u32, so any bytes written through the slice leave valid words.
    unsafe {
        std::slice::from_raw_parts_mut(
            words.as_mut_ptr().cast::<u8>(),
            std::mem::size_of_val(words),
        )
    }
}

/// Words read as they lie in a little-endian file, made native: nothing
/// to do on a little-endian machine.
fn from_le(words: &mut [u32]) {
    if cfg!(target_endian = "big") {
        for w in words {
            *w = u32::from_le(*w);
        }
    }
}

/// Sections read one after another from a slice.
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn take(&mut self, n: u64) -> Option<&'a [u8]> {
        let n = usize::try_from(n).ok()?;
        if n > self.0.len() {
            return None;
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Some(a)
    }

    fn u32s(&mut self, n: u64) -> Option<Vec<u32>> {
        Some(
            self.take(n.checked_mul(4)?)?
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes(c.try_into().expect("4")))
                .collect(),
        )
    }
}

/// The graph from its rows and `rest` (the sections after the trust),
/// checked
/// so that no count or index can make the simulation read out of bounds.
fn parse(
    header: &Header,
    counts: Vec<u32>,
    targets: Vec<Node>,
    trust: Vec<f32>,
    rest: &[u8],
) -> Option<Graph> {
    let mut c = Cursor(rest);
    let n = header.nodes;
    if counts.iter().map(|&x| x as u64).sum::<u64>() != header.arcs {
        return None;
    }
    // Graph::from_rows checks every follower and trust.
    let mut graph = Graph::from_rows(&counts, targets, trust)?;
    drop(counts);
    match header.labels() {
        LABELS_NUMBERS => {
            let raw = c.take(n.checked_mul(8)?)?;
            let labels: Vec<u64> = raw
                .chunks_exact(8)
                .map(|x| u64::from_le_bytes(x.try_into().expect("8")))
                .collect();
            if labels.windows(2).any(|w| w[0] >= w[1]) {
                return None;
            }
            graph = graph.with_labels(labels);
        }
        LABELS_TEXTS => {
            let lens = c.u32s(n)?;
            let text = std::str::from_utf8(c.take(header.label_bytes)?).ok()?;
            if lens.iter().map(|&l| l as u64).sum::<u64>() != header.label_bytes {
                return None;
            }
            let mut names = Vec::with_capacity(lens.len());
            let mut at = 0;
            for &l in &lens {
                names.push(text.get(at..at + l as usize)?);
                at += l as usize;
            }
            if names
                .windows(2)
                .any(|w| super::labels::natural_cmp(w[0], w[1]) != std::cmp::Ordering::Less)
            {
                return None;
            }
            graph = graph.with_texts(Texts::new(names));
        }
        _ => {}
    }
    if header.flags & HAS_SEGMENTS != 0 {
        let of = c.u32s(n)?;
        let count = header.segment_names;
        if of.iter().any(|&s| s != NO_SEGMENT && s as u64 >= count) {
            return None;
        }
        let segments = if header.flags & NAMED_SEGMENTS != 0 {
            let lens = c.u32s(count)?;
            let text = std::str::from_utf8(c.take(header.segment_name_bytes)?).ok()?;
            let mut names = Vec::with_capacity(lens.len());
            let mut at = 0;
            for &l in &lens {
                names.push(text.get(at..at + l as usize)?.to_string());
                at += l as usize;
            }
            if at != text.len() {
                return None;
            }
            Segments::named(of, names)
        } else {
            let s = Segments::numbered(of);
            if s.len() as u64 != count {
                return None;
            }
            s
        };
        graph = graph.with_named_segments(segments);
    }
    c.0.is_empty().then_some(graph)
}

/// A 64-bit checksum of a byte stream, fed in pieces of any size: the
/// stream is cut in 32-byte blocks whose four 8-byte words go to four
/// lanes, each chained through SplitMix64's mixer (the last block padded
/// with zeros, the length mixed in at the end). The lanes are independent,
/// so it runs near memory speed, and any changed, added or removed byte
/// changes it (up to the odds of a 64-bit collision).
#[derive(Debug, Clone)]
pub struct Checksum {
    lanes: [u64; 4],
    /// Bytes not yet making up a block.
    tail: [u8; 32],
    tail_len: usize,
    bytes: u64,
}

impl Default for Checksum {
    fn default() -> Checksum {
        Checksum::new()
    }
}

#[inline(always)]
fn chain(lane: u64, word: u64) -> u64 {
    crate::rng::mix64(lane.wrapping_add(crate::rng::GOLDEN) ^ word)
}

#[inline(always)]
fn word_at(block: &[u8], i: usize) -> u64 {
    u64::from_le_bytes(block[8 * i..8 * i + 8].try_into().expect("8 bytes"))
}

impl Checksum {
    pub fn new() -> Checksum {
        Checksum {
            lanes: [
                0x6A09_E667_F3BC_C908,
                0xBB67_AE85_84CA_A73B,
                0x3C6E_F372_FE94_F82B,
                0xA54F_F53A_5F1D_36F1,
            ],
            tail: [0; 32],
            tail_len: 0,
            bytes: 0,
        }
    }

    fn blocks(&mut self, bytes: &[u8]) {
        let [mut a, mut b, mut c, mut d] = self.lanes;
        for block in bytes.chunks_exact(32) {
            a = chain(a, word_at(block, 0));
            b = chain(b, word_at(block, 1));
            c = chain(c, word_at(block, 2));
            d = chain(d, word_at(block, 3));
        }
        self.lanes = [a, b, c, d];
    }

    /// Take `bytes` next.
    pub fn update(&mut self, mut bytes: &[u8]) {
        self.bytes += bytes.len() as u64;
        if self.tail_len > 0 {
            let take = (32 - self.tail_len).min(bytes.len());
            self.tail[self.tail_len..self.tail_len + take].copy_from_slice(&bytes[..take]);
            self.tail_len += take;
            bytes = &bytes[take..];
            if self.tail_len < 32 {
                return;
            }
            let block = self.tail;
            self.blocks(&block);
            self.tail_len = 0;
        }
        let whole = bytes.len() / 32 * 32;
        self.blocks(&bytes[..whole]);
        let rest = &bytes[whole..];
        self.tail[..rest.len()].copy_from_slice(rest);
        self.tail_len = rest.len();
    }

    /// The checksum of every byte taken.
    pub fn finish(&self) -> u64 {
        let mut c = self.clone();
        if c.tail_len > 0 {
            let mut last = [0u8; 32];
            last[..c.tail_len].copy_from_slice(&c.tail[..c.tail_len]);
            c.blocks(&last);
        }
        c.lanes.iter().fold(c.bytes, |h, &lane| chain(h, lane))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_does_not_depend_on_how_the_bytes_are_cut() {
        let bytes: Vec<u8> = (0..1000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut whole = Checksum::new();
        whole.update(&bytes);
        for cut in [1, 3, 8, 13, 999] {
            let mut pieces = Checksum::new();
            for piece in bytes.chunks(cut) {
                pieces.update(piece);
            }
            assert_eq!(pieces.finish(), whole.finish(), "pieces of {cut}");
        }
        let mut changed = bytes.clone();
        changed[500] ^= 1;
        let mut other = Checksum::new();
        other.update(&changed);
        assert_ne!(other.finish(), whole.finish());
        let mut shorter = Checksum::new();
        shorter.update(&bytes[..999]);
        assert_ne!(shorter.finish(), whole.finish());
    }
}
