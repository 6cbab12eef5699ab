//! The binary graph format `.vsg`: a graph as built (follower rows, every
//! trust, the ids, the segments) written once and used in place many times:
//! the file is memory-mapped (or, where it cannot be, read in one call) and
//! its rows and trust are the graph's own, never copied, so every shard of
//! a big job loads the same network cheaply. The layout is documented in
//! docs/scaling.md ("The binary graph format").

use std::fs;
use std::io::{self, Read, Seek, Write};
use std::path::Path;
use std::sync::Arc;

use super::edgelist::Cleaning;
use super::footprint::{Build, GraphSize};
use super::labels::{Name, Texts};
use super::storage::{Bytes, Word, Words};
use super::{ArcTrust, Graph, GraphError, Node, Segments, NO_SEGMENT};

/// What a binary graph file starts with.
pub const MAGIC: [u8; 8] = *b"VSGRAPH\0";
/// The layout's version; files of another are refused.
pub const VERSION: u32 = 3;
/// Bytes of the header.
const HEADER: u64 = 64;
/// Every section starts at a multiple of this many bytes, so that its
/// words can be used where they lie.
const ALIGN: u64 = 8;
/// Bytes of each piece the checksum is cut into: the pieces are
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
/// Every arc's reverse is an arc (the graph was built from undirected
/// edges).
const UNDIRECTED: u32 = 1 << 4;
/// One trust for every arc: the trust section holds that one value.
const ONE_TRUST: u32 = 1 << 5;
const KNOWN_FLAGS: u32 = (1 << 6) - 1;

/// How a binary graph's bytes are brought into memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Memory-mapped, read-only (one read where the system will not map
    /// it): the rows and trust are used in place.
    Map,
    /// Read whole in one call into memory, and used in place there.
    Read,
}

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
#[derive(Debug, Clone, Copy, PartialEq)]
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

/// Where each section starts, in bytes from the start of the file.
struct Layout {
    offsets: u64,
    targets: u64,
    trust: u64,
    /// The ids and segments.
    rest: u64,
    /// The checksum (the file is 8 bytes longer).
    footer: u64,
}

/// `x` rounded up to a multiple of [`ALIGN`].
fn padded(x: u64) -> Option<u64> {
    Some(x.checked_add(ALIGN - 1)? / ALIGN * ALIGN)
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
        if graph.is_undirected() {
            flags |= UNDIRECTED;
        }
        if one_trust(graph).is_some() {
            flags |= ONE_TRUST;
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

    /// The header in `head`, whose magic and version are checked (the
    /// message says what is wrong otherwise).
    fn parse(head: &[u8; HEADER as usize]) -> Result<Header, String> {
        if head[..8] != MAGIC {
            return Err(
                "does not start as a binary graph does (it ends in .vsg, but `viralsim graph SCENARIO --export binary --out FILE` did not write it); a text edge list must not end in .vsg".into(),
            );
        }
        let word =
            |i: usize| u64::from_le_bytes(head[16 + 8 * i..24 + 8 * i].try_into().expect("8"));
        let version = u32::from_le_bytes(head[8..12].try_into().expect("4"));
        if version != VERSION {
            return Err(format!(
                "has format version {version}; this viralsim reads version {VERSION}: export it again with this viralsim"
            ));
        }
        Ok(Header {
            flags: u32::from_le_bytes(head[12..16].try_into().expect("4")),
            nodes: word(0),
            arcs: word(1),
            label_bytes: word(2),
            segment_names: word(3),
            segment_name_bytes: word(4),
            fingerprint: word(5),
        })
    }

    fn labels(&self) -> u32 {
        self.flags & 3
    }

    /// Where the sections start; None if the counts overflow (no real
    /// file is that long).
    fn layout(&self) -> Option<Layout> {
        let n = self.nodes;
        let a = self.arcs;
        let offsets = HEADER;
        let targets = offsets.checked_add(padded(n.checked_add(1)?.checked_mul(4)?)?)?;
        let trust = targets.checked_add(padded(a.checked_mul(4)?)?)?;
        let trust_bytes = if self.flags & ONE_TRUST != 0 {
            4
        } else {
            a.checked_mul(4)?
        };
        let rest = trust.checked_add(padded(trust_bytes)?)?;
        let labels = match self.labels() {
            LABELS_NUMBERS => n.checked_mul(8)?,
            LABELS_TEXTS => padded(n.checked_mul(4)?)?.checked_add(padded(self.label_bytes)?)?,
            _ => 0,
        };
        let segments = if self.flags & HAS_SEGMENTS != 0 {
            let names = if self.flags & NAMED_SEGMENTS != 0 {
                padded(self.segment_names.checked_mul(4)?)?
                    .checked_add(padded(self.segment_name_bytes)?)?
            } else {
                0
            };
            padded(n.checked_mul(4)?)?.checked_add(names)?
        } else {
            0
        };
        let footer = rest.checked_add(labels)?.checked_add(segments)?;
        Some(Layout {
            offsets,
            targets,
            trust,
            rest,
            footer,
        })
    }

    /// The file's whole length, header and checksum included.
    fn file_len(&self) -> Option<u64> {
        self.layout()?.footer.checked_add(8)
    }
}

/// The one trust of every arc of `graph`, if they are all equal (bit for
/// bit): stored once.
fn one_trust(graph: &Graph) -> Option<f32> {
    let trust = graph.trust();
    if let Some(t) = trust.constant() {
        return Some(t);
    }
    let first = *trust.first()?;
    trust
        .iter()
        .all(|t| t.to_bits() == first.to_bits())
        .then_some(first)
}

/// The checksum of the pieces whose checksums are `sums`, in order.
fn combine(sums: &[u64]) -> u64 {
    sums.iter().fold(sums.len() as u64, |h, &s| chain(h, s))
}

/// The checksum of a stream being written: the [`Checksum`]s of its
/// pieces of [`PIECE`] bytes (one empty piece for an empty stream),
/// chained by [`combine`].
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

/// [`Pieces`] of a whole stream at once, its pieces on every core.
fn pieces_sum(bytes: &[u8]) -> u64 {
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

/// A writer that checksums what passes through it and pads sections.
struct Summed<W> {
    out: W,
    sum: Pieces,
    written: u64,
}

impl<W: Write> Summed<W> {
    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.sum.update(bytes);
        self.written += bytes.len() as u64;
        self.out.write_all(bytes)
    }

    /// Zeros up to the next multiple of [`ALIGN`]: a section ends.
    fn pad(&mut self) -> io::Result<()> {
        let zeros = [0u8; ALIGN as usize];
        let fill = (ALIGN - self.written % ALIGN) % ALIGN;
        self.put(&zeros[..fill as usize])
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
        written: 0,
    };
    w.put(&header.bytes())?;
    let n = graph.nodes();
    w.words(graph.offsets().iter().copied(), |o: u32, b| {
        b.extend_from_slice(&o.to_le_bytes())
    })?;
    w.pad()?;
    w.words(graph.targets().iter().copied(), |v: Node, b| {
        b.extend_from_slice(&v.to_le_bytes())
    })?;
    w.pad()?;
    match one_trust(graph) {
        Some(t) => w.put(&t.to_le_bytes())?,
        None => w.words(graph.trust().iter().copied(), |t: f32, b| {
            b.extend_from_slice(&t.to_le_bytes())
        })?,
    }
    w.pad()?;
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
            w.pad()?;
            w.words(0..n, |u, b| b.extend_from_slice(text(u).as_bytes()))?;
            w.pad()?;
        }
        _ => {}
    }
    if let Some(s) = graph.segments() {
        w.words(s.all().iter().copied(), |x: u32, b| {
            b.extend_from_slice(&x.to_le_bytes())
        })?;
        w.pad()?;
        if let Some(names) = s.listed_names() {
            w.words(names.iter(), |name: &String, b| {
                b.extend_from_slice(&(name.len() as u32).to_le_bytes())
            })?;
            w.pad()?;
            w.words(names.iter(), |name: &String, b| {
                b.extend_from_slice(name.as_bytes())
            })?;
            w.pad()?;
        }
    }
    debug_assert_eq!(Some(w.written + 8), header.file_len());
    let sum = std::mem::take(&mut w.sum).finish();
    w.out.write_all(&sum.to_le_bytes())?;
    w.out.flush()
}

/// What the graph in the binary graph at `path` takes in memory, from its
/// header alone (None if it is not one this viralsim reads): what loading
/// it holds at its peak, since the rows and trust are used in place.
pub fn footprint(path: &Path) -> Option<Build> {
    let header = header_of(path)?;
    let size = GraphSize {
        nodes: header.nodes,
        arcs: header.arcs,
        labels: header.labels() != LABELS_DENSE,
        segments: header.flags & HAS_SEGMENTS != 0,
    };
    let per_arc_trust = header.flags & ONE_TRUST == 0;
    // Text ids are unpacked beside the file's copy: their bytes and an end
    // per person.
    let texts = if header.labels() == LABELS_TEXTS {
        header
            .label_bytes
            .saturating_add(header.nodes.saturating_mul(8))
    } else {
        0
    };
    Some(Build {
        size,
        peak: size.bytes_with(per_arc_trust).saturating_add(texts),
    })
}

/// Whether the binary graph at `path` holds a trust per arc (rather than
/// one for all); None if it is not a binary graph this viralsim reads.
pub fn trust_per_arc(path: &Path) -> Option<bool> {
    Some(header_of(path)?.flags & ONE_TRUST == 0)
}

/// The header of the binary graph at `path`, if it is one this viralsim
/// reads and its counts agree with the file's length (a damaged count is
/// left for [`read`] to refuse, not taken as the graph's size).
fn header_of(path: &Path) -> Option<Header> {
    let mut file = fs::File::open(path).ok()?;
    let len = file.metadata().ok()?.len();
    let mut head = [0u8; HEADER as usize];
    file.read_exact(&mut head).ok()?;
    let header = Header::parse(&head).ok()?;
    check_length(&header, len).ok()?;
    Some(header)
}

/// Read the binary graph at `path`, memory-mapped (see [`read_with`]).
pub fn read(path: &Path) -> Result<Graph, GraphError> {
    read_with(path, Access::Map)
}

/// Read the binary graph at `path`: its length is checked against its
/// header before anything is mapped or allocated, and its checksum before
/// any of it is used, so a truncated or damaged file is refused and never
/// read past its end. The rows and trust stay where they lie in the
/// mapping (or the one buffer read), used in place; on a big-endian
/// machine they are copied, byte-swapped. A mapped file must not be
/// written in place or truncated while the graph is in use (replacing it
/// by a rename, as viralsim writes every file, is safe): see
/// docs/scaling.md.
pub fn read_with(path: &Path, access: Access) -> Result<Graph, GraphError> {
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
    let header = Header::parse(&head).map_err(fail)?;
    let corrupt =
        || fail("is corrupt (its checksum does not match its contents): export it again".into());
    check_length(&header, len).map_err(|m| m.map_or_else(corrupt, fail))?;
    let too_big = || fail(format!("its {len} bytes do not fit in memory"));
    let size = usize::try_from(len).map_err(|_| too_big())?;
    let read_whole = |file: &mut fs::File| -> Result<Bytes, GraphError> {
        file.seek(io::SeekFrom::Start(0)).map_err(open)?;
        Bytes::read(size, |b| file.read_exact(b))
            .ok_or_else(too_big)?
            .map_err(open)
    };
    let bytes = match access {
        #[cfg(unix)]
        Access::Map => match Bytes::map(&file, size, POPULATE) {
            Some(b) => b,
            None => read_whole(&mut file)?,
        },
        _ => read_whole(&mut file)?,
    };
    // A file cut short since its length was read would fault (SIGBUS)
    // where the mapping passes its end: the window is narrowed to the
    // checks below, and docs/scaling.md warns against it.
    if file.metadata().map_err(open)?.len() != len {
        return Err(fail(
            "changed while it was being read (its length differs): load it again once it is written".into(),
        ));
    }
    drop(file);
    // The header again, from the bytes used: the file may have changed
    // since it was first read.
    let head: [u8; HEADER as usize] = bytes[..HEADER as usize].try_into().expect("64");
    let header = Header::parse(&head).map_err(fail)?;
    check_length(&header, bytes.len() as u64).map_err(|m| m.map_or_else(corrupt, fail))?;
    // The whole file is checked before any of it is acted on: a damaged
    // count must not be.
    let (body, footer) = bytes.split_at(size - 8);
    if pieces_sum(body).to_le_bytes() != footer {
        return Err(corrupt());
    }
    let layout = header.layout().expect("checked by check_length");
    let graph = parse(&header, &layout, &Arc::new(bytes)).ok_or_else(|| {
        fail("holds impossible values although its checksum matches (written by another program?): export it again".into())
    })?;
    Ok(graph
        .with_fingerprint(header.fingerprint)
        .with_undirected(header.flags & UNDIRECTED != 0))
}

/// Whether to ask the system to map every page at once: for a file whose
/// pages are cached, mapping them in one call costs less (and varies less)
/// than a fault per few pages as the checksum reaches them.
const POPULATE: bool = true;

/// Whether a file of `len` bytes can hold what `header` announces: Err
/// with a message (truncated), or None (corrupt: a count the checksum
/// should have vouched for is impossible).
fn check_length(header: &Header, len: u64) -> Result<(), Option<String>> {
    let expected = header.file_len().ok_or(None)?;
    if expected > len {
        return Err(Some(format!(
            "is truncated: its header announces {expected} bytes, the file has {len}; export it again"
        )));
    }
    if expected != len
        || header.flags & !KNOWN_FLAGS != 0
        || header.labels() == 3
        || header.nodes > super::MAX_NODES
        || header.arcs > super::MAX_ARCS
    {
        return Err(None);
    }
    Ok(())
}

/// The `len` words at byte `at` of `bytes`: in place, or (on a big-endian
/// machine) copied and made native.
fn words_at<T: Word>(
    bytes: &Arc<Bytes>,
    at: u64,
    len: u64,
    native: fn(u32) -> T,
) -> Option<Words<T>> {
    let (at, len) = (usize::try_from(at).ok()?, usize::try_from(len).ok()?);
    if let Some(w) = Words::within(bytes, at, len) {
        return Some(w);
    }
    let raw = bytes.get(at..at.checked_add(len.checked_mul(4)?)?)?;
    Some(
        raw.chunks_exact(4)
            .map(|c| native(u32::from_le_bytes(c.try_into().expect("4"))))
            .collect::<Vec<T>>()
            .into(),
    )
}

/// Sections read one after another from a slice, each padded to
/// [`ALIGN`] bytes.
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn take(&mut self, n: u64) -> Option<&'a [u8]> {
        let n = usize::try_from(n).ok()?;
        let whole = usize::try_from(padded(n as u64)?).ok()?.min(self.0.len());
        if n > self.0.len() {
            return None;
        }
        let a = &self.0[..n];
        self.0 = &self.0[whole..];
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

/// The graph in `bytes`, laid out as `layout` says, checked so that no
/// count or index can make the simulation read out of bounds.
fn parse(header: &Header, layout: &Layout, bytes: &Arc<Bytes>) -> Option<Graph> {
    let n = header.nodes;
    let a = header.arcs;
    let offsets = words_at(bytes, layout.offsets, n + 1, |w| w)?;
    let targets = words_at(bytes, layout.targets, a, |w| w)?;
    let trust = if header.flags & ONE_TRUST != 0 {
        let at = layout.trust as usize;
        let raw: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
        ArcTrust::Constant(f32::from_le_bytes(raw))
    } else {
        ArcTrust::PerArc(words_at(bytes, layout.trust, a, f32::from_bits)?)
    };
    let mut c = Cursor(bytes.get(layout.rest as usize..layout.footer as usize)?);
    let mut ids = None;
    let mut texts = None;
    match header.labels() {
        LABELS_NUMBERS => {
            let raw = c.take(n.checked_mul(8)?)?;
            ids = Some(
                raw.chunks_exact(8)
                    .map(|x| u64::from_le_bytes(x.try_into().expect("8")))
                    .collect::<Vec<u64>>(),
            );
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
            texts = Some(Texts::new(names));
        }
        _ => {}
    }
    let mut segments = None;
    if header.flags & HAS_SEGMENTS != 0 {
        let of = c.u32s(n)?;
        let count = header.segment_names;
        if of.iter().any(|&s| s != NO_SEGMENT && s as u64 >= count) {
            return None;
        }
        segments = Some(if header.flags & NAMED_SEGMENTS != 0 {
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
        });
    }
    if !c.0.is_empty() {
        return None;
    }
    // Graph::from_parts checks the offsets, every follower and trust, and
    // the ids' order.
    let graph = Graph::from_parts(offsets, targets, trust, ids, None).ok()?;
    let graph = match texts {
        Some(t) => graph.with_texts(t),
        None => graph,
    };
    Some(match segments {
        Some(s) => graph.with_named_segments(s),
        None => graph,
    })
}

/// A 64-bit checksum of a byte stream, fed in pieces of any size: the
/// stream is cut in 64-byte blocks whose eight 8-byte words go to eight
/// lanes; each lane takes a word by xor, a multiplication by an odd
/// constant and a rotation, all three invertible, so a lane's state after
/// a changed word differs from what it would have been, and stays so to
/// the end (the last block is padded with zeros). The lanes and the length
/// are then chained through SplitMix64's mixer. The lanes are independent
/// and each step costs a few instructions, so it runs at memory speed;
/// any single changed word changes it, and any other change, added or
/// removed byte does up to the odds of a 64-bit collision.
#[derive(Debug, Clone)]
pub struct Checksum {
    lanes: [u64; LANES],
    /// Bytes not yet making up a block.
    tail: [u8; BLOCK],
    tail_len: usize,
    bytes: u64,
}

const LANES: usize = 8;
const BLOCK: usize = 8 * LANES;
/// Odd, so multiplying by it is invertible modulo 2^64.
const MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;

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
        let mut lanes = [0u64; LANES];
        let mut seed = 0x6A09_E667_F3BC_C908u64;
        for lane in &mut lanes {
            seed = chain(seed, 0);
            *lane = seed;
        }
        Checksum {
            lanes,
            tail: [0; BLOCK],
            tail_len: 0,
            bytes: 0,
        }
    }

    fn blocks(&mut self, bytes: &[u8]) {
        let mut lanes = self.lanes;
        for block in bytes.chunks_exact(BLOCK) {
            for (i, lane) in lanes.iter_mut().enumerate() {
                *lane = (*lane ^ word_at(block, i))
                    .wrapping_mul(MULTIPLIER)
                    .rotate_left(29);
            }
        }
        self.lanes = lanes;
    }

    /// Take `bytes` next.
    pub fn update(&mut self, mut bytes: &[u8]) {
        self.bytes += bytes.len() as u64;
        if self.tail_len > 0 {
            let take = (BLOCK - self.tail_len).min(bytes.len());
            self.tail[self.tail_len..self.tail_len + take].copy_from_slice(&bytes[..take]);
            self.tail_len += take;
            bytes = &bytes[take..];
            if self.tail_len < BLOCK {
                return;
            }
            let block = self.tail;
            self.blocks(&block);
            self.tail_len = 0;
        }
        let whole = bytes.len() / BLOCK * BLOCK;
        self.blocks(&bytes[..whole]);
        let rest = &bytes[whole..];
        self.tail[..rest.len()].copy_from_slice(rest);
        self.tail_len = rest.len();
    }

    /// The checksum of every byte taken.
    pub fn finish(&self) -> u64 {
        let mut c = self.clone();
        if c.tail_len > 0 {
            let mut last = [0u8; BLOCK];
            last[..c.tail_len].copy_from_slice(&c.tail[..c.tail_len]);
            c.blocks(&last);
        }
        c.lanes.iter().fold(c.bytes, |h, &lane| chain(h, lane))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small graph with per-arc trust, whole-number ids and named
    /// segments.
    fn sample() -> Graph {
        let mut g = Graph::from_undirected(5, &[(0, 1), (1, 2), (2, 3), (3, 4), (0, 4)])
            .with_labels(vec![3, 10, 11, 40, 41])
            .with_named_segments(Segments::named(
                vec![0, 0, 1, NO_SEGMENT, 1],
                vec!["north".into(), "south".into()],
            ));
        g.set_trust((0..10).map(|a| a as f32 / 9.0).collect());
        g
    }

    fn saved(graph: &Graph) -> (tempfile::TempDir, std::path::PathBuf, Vec<u8>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("g.vsg");
        let mut bytes = Vec::new();
        write(graph, &mut bytes).unwrap();
        fs::write(&path, &bytes).unwrap();
        (dir, path, bytes)
    }

    #[test]
    fn mapped_and_read_graphs_are_the_graph_in_place() {
        let g = sample();
        let (_dir, path, bytes) = saved(&g);
        assert_eq!(bytes.len() as u64, Header::of(&g).file_len().unwrap());
        for access in [Access::Map, Access::Read] {
            let back = read_with(&path, access).unwrap();
            assert_eq!(back.offsets(), g.offsets());
            assert_eq!(back.targets(), g.targets());
            assert_eq!(back.arc_trust(), g.arc_trust());
            assert_eq!(back.ids(), g.ids());
            assert_eq!(back.segments(), g.segments());
            assert_eq!(back.fingerprint(), g.fingerprint());
            assert_eq!(
                back.hash(),
                g.fingerprint(),
                "the recorded fingerprint is the graph's"
            );
            assert!(back.is_undirected());
            // The rows and trust are the file's bytes, not copies.
            if cfg!(target_endian = "little") {
                assert!(back.offsets.is_shared() && back.targets.is_shared());
                assert!(matches!(&back.trust, ArcTrust::PerArc(t) if t.is_shared()));
            }
            assert_eq!(back.heap_bytes(), g.heap_bytes());
            // A clone shares the bytes and outlives the original.
            let copy = back.clone();
            drop(back);
            assert_eq!(copy.targets(), g.targets());
        }
    }

    #[test]
    fn one_trust_is_stored_once_and_direction_is_recorded() {
        let mut g = Graph::from_arcs(4, vec![(0, 1), (1, 2), (2, 3), (3, 0), (0, 2)]);
        g.set_constant_trust(0.25);
        let (_dir, path, bytes) = saved(&g);
        // Header, 5 offsets (24 with padding), 5 targets (24), one trust
        // (8), checksum.
        assert_eq!(bytes.len(), 64 + 24 + 24 + 8 + 8);
        let back = read(&path).unwrap();
        assert_eq!(back.arc_trust(), &ArcTrust::Constant(0.25));
        assert!(!back.is_undirected());
        assert_eq!(back.fingerprint(), g.fingerprint());
        // Equal trust on every arc, however it was stored, is stored once.
        let mut same = g.clone();
        let _ = same.fingerprint();
        same.trust = ArcTrust::PerArc(vec![0.25; 5].into());
        let mut again = Vec::new();
        write(&same, &mut again).unwrap();
        assert_eq!(again, bytes);
    }

    #[test]
    fn every_flipped_bit_and_every_cut_is_refused_either_way() {
        let (_dir, path, bytes) = saved(&sample());
        for access in [Access::Map, Access::Read] {
            for at in 0..bytes.len() {
                for bit in [0, 5] {
                    let mut damaged = bytes.clone();
                    damaged[at] ^= 1 << bit;
                    fs::write(&path, &damaged).unwrap();
                    let err = read_with(&path, access).unwrap_err().to_string();
                    assert!(err.contains("g.vsg"), "{err}");
                }
            }
            for len in [0, 8, 63, 64, 71, bytes.len() / 2, bytes.len() - 1] {
                fs::write(&path, &bytes[..len]).unwrap();
                let err = read_with(&path, access).unwrap_err().to_string();
                assert!(
                    err.contains("truncated") || err.contains("too short"),
                    "{len}: {err}"
                );
            }
            let mut longer = bytes.clone();
            longer.extend_from_slice(&[0; 8]);
            fs::write(&path, &longer).unwrap();
            assert!(read_with(&path, access)
                .unwrap_err()
                .to_string()
                .contains("corrupt"));
        }
    }

    #[test]
    fn a_file_replaced_while_mapped_leaves_the_graph_as_read() {
        let g = sample();
        let (dir, path, _) = saved(&g);
        let back = read(&path).unwrap();
        // viralsim writes files whole and renames them into place: the
        // mapping keeps the old file.
        let other = dir.path().join("other.vsg");
        let mut bytes = Vec::new();
        write(&Graph::from_arcs(3, vec![(0, 1)]), &mut bytes).unwrap();
        fs::write(&other, &bytes).unwrap();
        fs::rename(&other, &path).unwrap();
        assert_eq!(back.targets(), g.targets());
        assert_eq!(read(&path).unwrap().arcs(), 1);
    }

    #[test]
    fn the_checks_name_the_first_bad_row_and_trust_whatever_the_block() {
        use super::super::{first_out_of_range, first_strange_row};
        // 20,000 people with 3 followers each: several blocks of rows.
        let n = 20_000u32;
        let offsets: Vec<u32> = (0..=n).map(|u| 3 * u).collect();
        let mut targets: Vec<u32> = (0..n)
            .flat_map(|u| [1, 2, 3].map(|d| (u + d) % n))
            .collect();
        assert_eq!(first_strange_row(&offsets, &targets), None);
        targets[3 * 17_000 + 1] = 17_000;
        assert_eq!(first_strange_row(&offsets, &targets), Some(17_000));
        targets[3 * 9_000 + 2] = n;
        assert_eq!(first_strange_row(&offsets, &targets), Some(9_000));
        targets[0] = u32::MAX;
        assert_eq!(first_strange_row(&offsets, &targets), Some(0));
        let mut trust = vec![0.5f32; 200_000];
        trust[7] = -0.0;
        trust[8] = 1.0;
        trust[9] = 0.0;
        trust[10] = f32::MIN_POSITIVE / 2.0;
        assert_eq!(first_out_of_range(&trust), None);
        trust[150_000] = f32::NAN;
        assert_eq!(first_out_of_range(&trust), Some(150_000));
        trust[70_000] = 1.0000001;
        assert_eq!(first_out_of_range(&trust), Some(70_000));
        trust[69_999] = -1e-30;
        assert_eq!(first_out_of_range(&trust), Some(69_999));
    }

    #[test]
    fn the_footprint_comes_from_the_header() {
        let g = sample();
        let (_dir, path, _) = saved(&g);
        let build = footprint(&path).unwrap();
        assert_eq!((build.size.nodes, build.size.arcs), (5, 10));
        assert!(build.size.labels && build.size.segments);
        assert_eq!(build.peak, g.heap_bytes());
        assert_eq!(trust_per_arc(&path), Some(true));
        fs::write(&path, b"1 2\n").unwrap();
        assert!(footprint(&path).is_none());
        // Counts that disagree with the file's length are not believed.
        let mut bytes = Vec::new();
        write(&g, &mut bytes).unwrap();
        bytes[24] ^= 0x40;
        fs::write(&path, &bytes).unwrap();
        assert!(footprint(&path).is_none());
    }

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
