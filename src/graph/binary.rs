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
pub const VERSION: u32 = 1;
/// Bytes of the header.
const HEADER: u64 = 64;
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

/// A writer that checksums what passes through it.
struct Summed<W> {
    out: W,
    sum: Checksum,
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
        sum: Checksum::new(),
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
    // Every section is read straight into its vector and the whole file
    // checked before any of it is acted on: a damaged count must not be.
    let mut head_sum = Checksum::new();
    head_sum.update(&head);
    let n = header.nodes;
    let a = header.arcs;
    // The rows and followers on this thread, the trust and the rest from a
    // second handle on another: each section is read straight into its
    // vector and checksummed on the way, and the whole file is checked
    // before any of it is acted on.
    let rest_len = len - HEADER - 8 * a - 4 * n - 8;
    let second = HEADER + 4 * n + 4 * a;
    let (first_half, second_half) = std::thread::scope(|scope| {
        let other = scope.spawn(|| -> Result<_, GraphError> {
            let mut file = fs::File::open(path).map_err(open)?;
            file.seek(io::SeekFrom::Start(second)).map_err(open)?;
            let (trust, trust_sum) = read_u32s(&mut file, a).map_err(open)?;
            let trust: Vec<f32> = trust.into_iter().map(f32::from_bits).collect();
            let mut rest = Vec::new();
            rest.try_reserve_exact(rest_len as usize)
                .map_err(|_| fail(format!("{rest_len} bytes do not fit in memory")))?;
            (&mut file)
                .take(rest_len)
                .read_to_end(&mut rest)
                .map_err(open)?;
            if rest.len() as u64 != rest_len {
                return Err(fail("changed while it was read".into()));
            }
            let mut rest_sum = Checksum::new();
            rest_sum.update(&rest);
            let mut footer = [0u8; 8];
            file.read_exact(&mut footer).map_err(open)?;
            Ok((trust, trust_sum, rest, rest_sum.finish(), footer))
        });
        let mine = (|| -> Result<_, GraphError> {
            let (counts, counts_sum) = read_u32s(&mut file, n).map_err(open)?;
            let (targets, targets_sum) = read_u32s(&mut file, a).map_err(open)?;
            Ok((counts, counts_sum, targets, targets_sum))
        })();
        let theirs = other
            .join()
            .unwrap_or_else(|_| Err(fail("could not be read (a reading thread failed)".into())));
        (mine, theirs)
    });
    let (counts, counts_sum, targets, targets_sum) = first_half?;
    let (trust, trust_sum, rest, rest_sum, footer) = second_half?;
    let sum = combine(&[
        head_sum.finish(),
        counts_sum,
        targets_sum,
        trust_sum,
        rest_sum,
    ]);
    if sum.to_le_bytes() != footer {
        return Err(corrupt());
    }
    parse(&header, counts, targets, trust, &rest).ok_or_else(|| {
        fail("holds impossible values although its checksum matches (written by another program?): export it again".into())
    })
}

/// `count` little-endian u32 words from `file`, and their checksum,
/// through a small buffer that stays in cache: no copy of the whole
/// section is ever held beside it.
fn read_u32s(file: &mut fs::File, count: u64) -> io::Result<(Vec<u32>, u64)> {
    let mut v: Vec<u32> = Vec::new();
    v.try_reserve_exact(count as usize)
        .map_err(|_| io::Error::other(format!("{count} words do not fit in memory")))?;
    let mut sum = Checksum::new();
    let mut buf = vec![0u8; 1 << 18];
    let mut left = count * 4;
    while left > 0 {
        let piece = &mut buf[..left.min(1 << 18) as usize];
        file.read_exact(piece)?;
        sum.update(piece);
        v.extend(
            piece
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes(c.try_into().expect("4"))),
        );
        left -= piece.len() as u64;
    }
    Ok((v, sum.finish()))
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
    if targets.iter().any(|&v| v as u64 >= n) {
        return None;
    }
    if !trust.iter().all(|t| (0.0..=1.0).contains(t)) {
        return None;
    }
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
