//! The binary graph format `.vsg`: a graph as built (follower rows, every
//! trust, the ids, the segments) written once and read back in one pass,
//! many times faster than parsing text, so that every shard of a big job
//! loads the same network cheaply. The layout is documented in
//! docs/scaling.md ("The binary graph format").

/// A 64-bit checksum of a byte stream, fed in pieces of any size: four
/// lanes of 8-byte words, each chained through SplitMix64's mixer, so it
/// runs at memory speed and any changed, added or removed byte changes it
/// (up to the odds of a 64-bit collision).
#[derive(Debug, Clone)]
pub struct Checksum {
    lanes: [u64; 4],
    /// Words taken so far.
    words: u64,
    /// Bytes not yet making up a word.
    tail: [u8; 8],
    tail_len: usize,
    bytes: u64,
}

impl Default for Checksum {
    fn default() -> Checksum {
        Checksum::new()
    }
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
            words: 0,
            tail: [0; 8],
            tail_len: 0,
            bytes: 0,
        }
    }

    #[inline(always)]
    fn word(&mut self, w: u64) {
        let lane = (self.words & 3) as usize;
        self.lanes[lane] = crate::rng::mix64(self.lanes[lane].wrapping_add(crate::rng::GOLDEN) ^ w);
        self.words += 1;
    }

    /// Take `bytes` next.
    pub fn update(&mut self, mut bytes: &[u8]) {
        self.bytes += bytes.len() as u64;
        if self.tail_len > 0 {
            let take = (8 - self.tail_len).min(bytes.len());
            self.tail[self.tail_len..self.tail_len + take].copy_from_slice(&bytes[..take]);
            self.tail_len += take;
            bytes = &bytes[take..];
            if self.tail_len < 8 {
                return;
            }
            self.word(u64::from_le_bytes(self.tail));
            self.tail_len = 0;
        }
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.word(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        self.tail[..rest.len()].copy_from_slice(rest);
        self.tail_len = rest.len();
    }

    /// The checksum of every byte taken.
    pub fn finish(&self) -> u64 {
        let mut c = self.clone();
        if c.tail_len > 0 {
            let mut last = [0u8; 8];
            last[..c.tail_len].copy_from_slice(&c.tail[..c.tail_len]);
            c.word(u64::from_le_bytes(last));
        }
        let mut h = c.bytes;
        for lane in c.lanes {
            h = crate::rng::mix64(h.wrapping_add(crate::rng::GOLDEN) ^ lane);
        }
        h
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
