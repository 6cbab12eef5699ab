//! The graph of a plain edge list's pairs, built by counting rather than
//! sorting: every id's arcs are counted (on every core), the counts give
//! each person's row, every pair is written straight into its rows (on
//! every core), then each row is sorted and its repeats merged. Rows hold
//! distinct sorted followers whatever order the pairs were written in, so
//! the graph is exactly the one sorting all the pairs makes, on any number
//! of threads; the work is linear in the pairs but for the rows' own
//! sorts, which are short.
//!
//! Ids spread far wider than the lines (a table of them would not fit in
//! what sorting takes) are sorted and searched for, then counted alike.
//! More than [`MAX_ARCS`] arcs before repeats are merged, or a memory
//! limit the counting does not fit in: the pairs are sorted instead
//! ([`super::build_plain`]), as the line-by-line reader does.

use std::path::Path;
use std::sync::atomic::{AtomicU32, AtomicU8, Ordering::Relaxed};

use rayon::prelude::*;

use super::map::advise_huge;
use super::plain::Parsed;
use super::{build_plain, footprint, Cleaning, Id, TooLarge};
use crate::graph::{Graph, GraphError, Node, MAX_ARCS, MAX_NODES};
use crate::resources::Memory;

/// The graph of the pairs read from a plain edge list (`(u, v)` with
/// `u < v` when undirected), self-loops already dropped.
pub(super) fn build<T: Id>(
    read: Parsed<T>,
    path: &Path,
    directed: bool,
    memory: &Memory,
    cleaning: Cleaning,
    too_large: &TooLarge,
) -> Result<(Graph, Cleaning), GraphError> {
    let lines = read.pairs as u64;
    let arcs = if directed { 1 } else { 2 } * lines;
    let span = read.high.wrapping_sub(read.low);
    if lines == 0 || arcs > MAX_ARCS {
        return sorted(read, path, directed, memory, cleaning, too_large);
    }
    if span >= 4 * lines / 3 {
        return spread(read, path, directed, memory, cleaning, too_large);
    }
    count(read, path, directed, memory, cleaning, too_large)
}

/// [`build`] of pairs whose ids span a range a table of them fits in.
fn count<T: Id>(
    read: Parsed<T>,
    path: &Path,
    directed: bool,
    memory: &Memory,
    mut cleaning: Cleaning,
    too_large: &TooLarge,
) -> Result<(Graph, Cleaning), GraphError> {
    let lines = read.pairs as u64;
    let arcs = if directed { 1 } else { 2 } * lines;
    let span = read.high - read.low;
    let low = read.low;
    let slots = span as usize + 1;
    let slot = |id: T| (id.wide() - low) as usize;

    // Arcs from each id (both ends of an edge when undirected); directed,
    // the ids only followed are marked too. Each thread counts a share
    // of the pairs on its own and the counts are added up after, where
    // that takes little memory (at most half the pairs' again, under what
    // sorting would take): an atomic count on every core waits for each
    // addition to land before the next.
    let threads = rayon::current_num_threads().max(1);
    let apart = threads > 1 && threads as u64 * 4 * slots as u64 <= T::PAIR_BYTES * lines / 2;
    let mut followed = vec![0u8; if directed { slots } else { 0 }];
    let mut counts = if apart {
        let followed = atomic_u8(&mut followed);
        let mut tallies: Vec<Vec<u32>> = shares(&read.pieces, threads)
            .into_par_iter()
            .map(|share| {
                let mut tally = vec![0u32; slots];
                for piece in share {
                    for &(u, v) in piece {
                        tally[slot(u)] += 1;
                        if directed {
                            mark(&followed[slot(v)]);
                        } else {
                            tally[slot(v)] += 1;
                        }
                    }
                }
                tally
            })
            .collect();
        let mut counts = tallies.pop().expect("a share per thread");
        const SPAN: usize = 1 << 14;
        counts
            .par_chunks_mut(SPAN)
            .enumerate()
            .for_each(|(k, part)| {
                for tally in &tallies {
                    for (sum, &c) in part.iter_mut().zip(&tally[k * SPAN..]) {
                        *sum += c;
                    }
                }
            });
        counts
    } else {
        let mut counts = vec![0u32; slots];
        advise_huge(&mut counts);
        let atomic_counts = atomic_u32(&mut counts);
        let followed = atomic_u8(&mut followed);
        read.pieces.par_iter().for_each(|piece| {
            for &(u, v) in piece {
                atomic_counts[slot(u)].fetch_add(1, Relaxed);
                if directed {
                    mark(&followed[slot(v)]);
                } else {
                    atomic_counts[slot(v)].fetch_add(1, Relaxed);
                }
            }
        });
        counts
    };
    let present = |counts: &[u32], i: usize| counts[i] != 0 || (directed && followed[i] != 0);
    let nodes = (0..slots)
        .into_par_iter()
        .filter(|&i| present(&counts, i))
        .count() as u64;
    if nodes > MAX_NODES {
        return Err(GraphError::TooManyNodes {
            path: path.to_path_buf(),
            nodes,
            max: MAX_NODES,
        });
    }
    // Ids with gaps between them are looked up in a table of dense ids;
    // ids filling their range are their own dense ids once `low` is off.
    let gaps = nodes != slots as u64;
    let own_indices = low == 0 && !gaps;
    let need = T::PAIR_BYTES * lines
        + (4 + if directed { 1 } else { 0 } + if gaps { 4 } else { 0 }) * slots as u64
        + 4 * arcs
        + 4 * (nodes + 1)
        + if own_indices { 0 } else { 8 * nodes };
    let sorting = footprint::edge_list_of(lines, nodes, directed, T::PAIR_BYTES).peak;
    if !memory.fits(need.max(sorting)) {
        // Sorting holds less at once, and refuses exactly as it always has.
        drop((counts, followed));
        return sorted(read, path, directed, memory, cleaning, too_large);
    }

    // Each id's first arc (its count turned into a cursor), its dense id,
    // the rows' offsets and the ids kept, in one pass in id order.
    let mut table = vec![0 as Node; if gaps { slots } else { 0 }];
    let mut offsets: Vec<u32> = Vec::with_capacity(nodes as usize + 1);
    let mut labels: Vec<u64> = Vec::with_capacity(if own_indices { 0 } else { nodes as usize });
    offsets.push(0);
    let mut at = 0u32;
    let mut next: Node = 0;
    for i in 0..slots {
        if !present(&counts, i) {
            continue;
        }
        if gaps {
            table[i] = next;
        }
        next += 1;
        if !own_indices {
            labels.push(low + i as u64);
        }
        let count = counts[i];
        counts[i] = at;
        at += count;
        offsets.push(at);
    }
    drop(followed);

    // Each run of ids (of about as many arcs as the others, one per
    // thread) has its rows filled by its own thread, which reads every
    // pair and writes the arcs of its ids: no two threads write the same
    // row or cursor, and the writes go straight out (an atomic cursor
    // would wait for each write to land before the next).
    let mut targets = vec![0 as Node; arcs as usize];
    advise_huge(&mut targets);
    {
        let parts = rayon::current_num_threads().max(1);
        let per_part = (arcs as usize).div_ceil(parts).max(1);
        let mut runs = Vec::with_capacity(parts);
        let (mut rest_cursors, mut rest_rows) = (&mut counts[..], &mut targets[..]);
        let (mut first_slot, mut base) = (0usize, 0usize);
        while first_slot < slots {
            // The first slot whose arcs start at or past the goal ends
            // this run (cursors are the first arc of each present id).
            let goal = base + per_part;
            let mut end = first_slot + 1;
            while end < slots && (rest_cursors[end - first_slot] as usize) < goal {
                end += 1;
            }
            let end_arc = if end < slots {
                rest_cursors[end - first_slot] as usize
            } else {
                arcs as usize
            };
            let (cursors, tail) = rest_cursors.split_at_mut(end - first_slot);
            let (rows, tail_rows) = rest_rows.split_at_mut(end_arc - base);
            runs.push((first_slot, cursors, base, rows));
            (rest_cursors, rest_rows) = (tail, tail_rows);
            (first_slot, base) = (end, end_arc);
        }
        let (pieces, table) = (&read.pieces, &table);
        let dense = |i: usize| if gaps { table[i] } else { i as Node };
        runs.into_par_iter()
            .for_each(|(first_slot, cursors, base, rows)| {
                let mut fill = |from: usize, to: usize| {
                    if let Some(cursor) = cursors.get_mut(from.wrapping_sub(first_slot)) {
                        rows[*cursor as usize - base] = dense(to);
                        *cursor += 1;
                    }
                };
                for piece in pieces {
                    for &(u, v) in piece {
                        let (i, j) = (slot(u), slot(v));
                        fill(i, j);
                        if !directed {
                            fill(j, i);
                        }
                    }
                }
            });
    }
    drop((read, counts, table));

    let removed = sort_rows(&mut offsets, &mut targets);
    cleaning.duplicates = if directed { removed } else { removed / 2 };
    let graph = Graph::dense(offsets, targets, !directed);
    Ok(if own_indices {
        (graph, cleaning)
    } else {
        (graph.with_labels(labels), cleaning)
    })
}

/// Mark an id as followed.
#[inline]
fn mark(seen: &AtomicU8) {
    // Read first: most are marked already, and a write would take the
    // line from the other cores.
    if seen.load(Relaxed) == 0 {
        seen.store(1, Relaxed);
    }
}

/// `pieces` cut into `shares` runs of about as many pairs each.
fn shares<P>(pieces: &[Vec<P>], shares: usize) -> Vec<&[Vec<P>]> {
    let total: usize = pieces.iter().map(Vec::len).sum();
    let per_share = total.div_ceil(shares.max(1)).max(1);
    let mut runs = Vec::with_capacity(shares + 1);
    let (mut start, mut held) = (0, 0);
    for (k, piece) in pieces.iter().enumerate() {
        held += piece.len();
        if held >= per_share {
            runs.push(&pieces[start..=k]);
            (start, held) = (k + 1, 0);
        }
    }
    runs.push(&pieces[start..]);
    runs
}

/// The graph of pairs whose ids spread far wider than the lines (a table
/// of them would not fit): the distinct ids sorted (the labels), every id
/// replaced by its place among them (in place when 32 bits), then the
/// rows counted as for dense ids.
fn spread<T: Id>(
    read: Parsed<T>,
    path: &Path,
    directed: bool,
    memory: &Memory,
    cleaning: Cleaning,
    too_large: &TooLarge,
) -> Result<(Graph, Cleaning), GraphError> {
    let lines = read.pairs as u64;
    let mut labels: Vec<u64> = Vec::with_capacity(2 * read.pairs);
    for piece in &read.pieces {
        labels.extend(piece.iter().flat_map(|&(u, v)| [u.wide(), v.wide()]));
    }
    labels.par_sort_unstable();
    labels.dedup();
    labels.shrink_to_fit();
    let nodes = labels.len() as u64;
    if nodes > MAX_NODES {
        return Err(GraphError::TooManyNodes {
            path: path.to_path_buf(),
            nodes,
            max: MAX_NODES,
        });
    }
    let arcs = if directed { 1 } else { 2 } * lines;
    let pairs = T::PAIR_BYTES * lines;
    let relabelled = if T::PAIR_BYTES == 8 { 0 } else { 8 * lines };
    let need = (pairs + 16 * lines)
        .max(pairs + relabelled + 8 * nodes)
        .max(8 * lines + 8 * nodes + 4 * (nodes + 1) + 4 * arcs + 4 * nodes);
    let sorting = footprint::edge_list_of(lines, nodes, directed, T::PAIR_BYTES).peak;
    if !memory.fits(need.max(sorting)) {
        drop(labels);
        return sorted(read, path, directed, memory, cleaning, too_large);
    }
    let dense = |id: u64| labels.binary_search(&id).expect("every id is labelled") as Node;
    let pieces: Vec<Vec<(Node, Node)>> = read
        .pieces
        .into_iter()
        .map(|piece| T::relabel(piece, dense))
        .collect();
    let dense_read = Parsed {
        pieces,
        pairs: read.pairs,
        low: 0,
        high: nodes - 1,
    };
    // The ids now fill 0..nodes; the memory was checked above.
    let (graph, cleaning) = count(
        dense_read,
        path,
        directed,
        &Memory::UNLIMITED,
        cleaning,
        too_large,
    )?;
    Ok((graph.with_labels(labels), cleaning))
}

/// The pairs in one list, sorted: [`build_plain`].
fn sorted<T: Id>(
    read: Parsed<T>,
    path: &Path,
    directed: bool,
    memory: &Memory,
    cleaning: Cleaning,
    too_large: &TooLarge,
) -> Result<(Graph, Cleaning), GraphError> {
    let mut pairs = Vec::with_capacity(read.pairs);
    for piece in read.pieces {
        pairs.extend_from_slice(&piece);
    }
    build_plain(pairs, path, directed, memory, cleaning, too_large)
}

/// Sort each row of `targets` (cut by `offsets`) and merge its repeats,
/// closing the gaps they leave; how many arcs were merged away.
fn sort_rows(offsets: &mut [u32], targets: &mut Vec<Node>) -> u64 {
    let nodes = offsets.len() - 1;
    let mut lengths = vec![0u32; nodes];
    // Runs of rows of about as many arcs each, a few per thread so that a
    // thread done early takes another.
    let parts = 4 * rayon::current_num_threads().max(1);
    let per_part = targets.len().div_ceil(parts).max(1);
    let mut runs = Vec::with_capacity(parts + 1);
    let (mut rest_rows, mut rest_lengths) = (&mut targets[..], &mut lengths[..]);
    let mut start = 0;
    while start < nodes {
        let base = offsets[start] as usize;
        let past = offsets.partition_point(|&o| (o as usize) < base + per_part);
        let end = past.clamp(start + 1, nodes);
        let (rows, tail) = rest_rows.split_at_mut(offsets[end] as usize - base);
        let (lens, tail_lengths) = rest_lengths.split_at_mut(end - start);
        runs.push((start, rows, lens));
        (rest_rows, rest_lengths) = (tail, tail_lengths);
        start = end;
    }
    let offsets_in = &*offsets;
    // Each run's arcs kept, at its start, and arcs merged away.
    let kept: Vec<(usize, usize, u64)> = runs
        .into_par_iter()
        .map(|(start, rows, lens)| {
            let base = offsets_in[start] as usize;
            let mut write = 0;
            let mut removed = 0u64;
            for (k, len) in lens.iter_mut().enumerate() {
                let from = offsets_in[start + k] as usize - base;
                let to = offsets_in[start + k + 1] as usize - base;
                let row = &mut rows[from..to];
                row.sort_unstable();
                let mut last = None;
                let first = write;
                for r in from..to {
                    let x = rows[r];
                    if last == Some(x) {
                        removed += 1;
                    } else {
                        rows[write] = x;
                        write += 1;
                        last = Some(x);
                    }
                }
                *len = (write - first) as u32;
            }
            (base, write, removed)
        })
        .collect();
    let removed: u64 = kept.iter().map(|&(_, _, r)| r).sum();
    if removed > 0 {
        let mut write = 0;
        for &(base, len, _) in &kept {
            targets.copy_within(base..base + len, write);
            write += len;
        }
        targets.truncate(write);
        targets.shrink_to_fit();
        let mut at = 0u32;
        for (u, &len) in lengths.iter().enumerate() {
            at += len;
            offsets[u + 1] = at;
        }
    }
    removed
}

/// `words` seen as atomics, to be written from every core at once.
fn atomic_u32(words: &mut [u32]) -> &[AtomicU32] {
    // SAFETY: AtomicU32 has the size, alignment and bit validity of u32,
    // and the exclusive borrow keeps every other access out while the
    // atomics live.
    unsafe { &*(words as *mut [u32] as *const [AtomicU32]) }
}

/// [`atomic_u32`] for bytes.
fn atomic_u8(bytes: &mut [u8]) -> &[AtomicU8] {
    // SAFETY: as for `atomic_u32`: AtomicU8 is laid out as u8.
    unsafe { &*(bytes as *mut [u8] as *const [AtomicU8]) }
}

#[cfg(test)]
mod tests;
