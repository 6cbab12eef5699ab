//! How a graph stores its arcs' trust: one value when every arc has the
//! same (a constant `[trust]`, the common case, costs nothing per arc), one
//! per arc otherwise; and [`Trust`], the read-only view every reader uses,
//! indexed and iterated by arc id as a slice would be.

use super::storage::Words;

/// The trust of a graph's arcs, in [0, 1].
#[derive(Debug, Clone, PartialEq)]
pub enum ArcTrust {
    /// Every arc has this trust.
    Constant(f32),
    /// The trust of each arc, by arc id (a vector, or a binary graph
    /// file's words in place).
    PerArc(Words<f32>),
}

impl ArcTrust {
    /// `trust` as stored: one value when all are equal (bit for bit, so
    /// that nothing read back differs), else the vector itself.
    pub fn of(trust: Vec<f32>) -> ArcTrust {
        match trust.first() {
            Some(&first) if trust.iter().all(|t| t.to_bits() == first.to_bits()) => {
                ArcTrust::Constant(first)
            }
            _ => ArcTrust::PerArc(trust.into()),
        }
    }

    /// Bytes held in memory (on the heap, or mapped from a binary graph).
    pub fn heap_bytes(&self) -> usize {
        match self {
            ArcTrust::Constant(_) => 0,
            ArcTrust::PerArc(t) => t.bytes(),
        }
    }
}

/// The trust of every arc of a graph, by arc id: `trust[a]`, `trust.get(a)`,
/// `trust.iter()` read it whatever the storage.
#[derive(Debug, Clone, Copy)]
pub enum Trust<'a> {
    /// `arcs` arcs, each of trust `value`.
    Constant { value: &'a f32, arcs: usize },
    /// One trust per arc.
    PerArc(&'a [f32]),
}

impl<'a> Trust<'a> {
    /// Number of arcs.
    #[inline]
    pub fn len(&self) -> usize {
        match self {
            Trust::Constant { arcs, .. } => *arcs,
            Trust::PerArc(t) => t.len(),
        }
    }

    /// Whether there are no arcs.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The trust of arc `arc` (panics past the last arc, as a slice would).
    #[inline(always)]
    pub fn get(&self, arc: usize) -> f32 {
        self[arc]
    }

    /// The one trust of every arc, when the graph stores one (a graph with
    /// varying trust gives `None`, even if its values happen to be equal).
    #[inline]
    pub fn constant(&self) -> Option<f32> {
        match self {
            Trust::Constant { value, .. } => Some(**value),
            Trust::PerArc(_) => None,
        }
    }

    /// The per-arc trust, when the graph stores one per arc.
    #[inline]
    pub fn as_slice(&self) -> Option<&'a [f32]> {
        match self {
            Trust::Constant { .. } => None,
            Trust::PerArc(t) => Some(t),
        }
    }

    /// The first arc's trust.
    pub fn first(&self) -> Option<&'a f32> {
        match *self {
            Trust::Constant { value, arcs } => (arcs > 0).then_some(value),
            Trust::PerArc(t) => t.first(),
        }
    }

    /// Every arc's trust in arc order.
    pub fn iter(&self) -> TrustIter<'a> {
        match *self {
            Trust::Constant { value, arcs } => TrustIter::Constant { value, left: arcs },
            Trust::PerArc(t) => TrustIter::PerArc(t.iter()),
        }
    }

    /// Every arc's trust, copied into a vector.
    pub fn to_vec(&self) -> Vec<f32> {
        match *self {
            Trust::Constant { value, arcs } => vec![*value; arcs],
            Trust::PerArc(t) => t.to_vec(),
        }
    }
}

impl std::ops::Index<usize> for Trust<'_> {
    type Output = f32;

    #[inline(always)]
    fn index(&self, arc: usize) -> &f32 {
        match self {
            Trust::Constant { value, arcs } => {
                assert!(arc < *arcs, "arc {arc} of {arcs}");
                value
            }
            Trust::PerArc(t) => &t[arc],
        }
    }
}

impl PartialEq for Trust<'_> {
    /// Equal when every arc's trust is, however stored.
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<'a> IntoIterator for Trust<'a> {
    type Item = &'a f32;
    type IntoIter = TrustIter<'a>;

    fn into_iter(self) -> TrustIter<'a> {
        self.iter()
    }
}

/// Iterator over every arc's trust, in arc order.
#[derive(Debug, Clone)]
pub enum TrustIter<'a> {
    Constant { value: &'a f32, left: usize },
    PerArc(std::slice::Iter<'a, f32>),
}

impl<'a> Iterator for TrustIter<'a> {
    type Item = &'a f32;

    #[inline]
    fn next(&mut self) -> Option<&'a f32> {
        match self {
            TrustIter::Constant { value, left } => {
                if *left == 0 {
                    return None;
                }
                *left -= 1;
                Some(*value)
            }
            TrustIter::PerArc(t) => t.next(),
        }
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            TrustIter::Constant { left, .. } => (*left, Some(*left)),
            TrustIter::PerArc(t) => t.size_hint(),
        }
    }
}

impl ExactSizeIterator for TrustIter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_values_are_stored_once() {
        assert_eq!(ArcTrust::of(vec![0.5; 4]), ArcTrust::Constant(0.5));
        assert_eq!(ArcTrust::of(vec![]), ArcTrust::PerArc(vec![].into()));
        assert_eq!(
            ArcTrust::of(vec![0.5, 0.25]),
            ArcTrust::PerArc(vec![0.5, 0.25].into())
        );
        // -0.0 and 0.0 compare equal but are stored as they are.
        assert!(matches!(ArcTrust::of(vec![0.0, -0.0]), ArcTrust::PerArc(_)));
    }

    #[test]
    fn both_views_read_alike() {
        let v = 0.75f32;
        let constant = Trust::Constant { value: &v, arcs: 3 };
        let stored = [0.75f32; 3];
        let per_arc = Trust::PerArc(&stored);
        assert_eq!(constant, per_arc);
        assert_eq!((constant[2], constant.get(1), constant.len()), (v, v, 3));
        assert_eq!(constant.iter().len(), 3);
        assert_eq!(constant.to_vec(), stored.to_vec());
        assert_eq!((constant.constant(), per_arc.constant()), (Some(v), None));
        assert_eq!(per_arc.as_slice(), Some(&stored[..]));
        assert_ne!(constant, Trust::Constant { value: &v, arcs: 2 });
        let empty = Trust::Constant { value: &v, arcs: 0 };
        assert!(empty.is_empty() && empty.first().is_none());
    }

    #[test]
    #[should_panic]
    fn reading_past_the_last_arc_panics() {
        let v = 1.0f32;
        let _ = Trust::Constant { value: &v, arcs: 2 }[2];
    }
}
