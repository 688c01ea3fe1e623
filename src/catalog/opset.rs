//! Sets of catalogue operations, as bitsets: what a condition block targets, and where an
//! attribute is available, are both sets of operations, so availability is a subset test.

/// A set of operation indices of one [`super::Catalog`]. Universes of up to 256 operations
/// (the built-in catalogue has about 50) are stored inline, so that the checker's set algebra
/// allocates nothing; larger ones (an extended catalogue) on the heap.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OpSet {
    words: Words,
    len: usize,
}

/// How many 64-bit words an inline set holds.
const INLINE: usize = 4;

/// The bits. Words past the universe are always zero, so derived equality is set equality.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Words {
    Inline([u64; INLINE]),
    Heap(Vec<u64>),
}

impl Words {
    fn new(count: usize, fill: u64) -> Words {
        if count <= INLINE {
            let mut words = [0; INLINE];
            for word in words.iter_mut().take(count) {
                *word = fill;
            }
            Words::Inline(words)
        } else {
            Words::Heap(vec![fill; count])
        }
    }

    fn as_slice(&self) -> &[u64] {
        match self {
            Words::Inline(words) => words,
            Words::Heap(words) => words,
        }
    }

    fn as_mut_slice(&mut self) -> &mut [u64] {
        match self {
            Words::Inline(words) => words,
            Words::Heap(words) => words,
        }
    }
}

impl OpSet {
    /// The empty set over a universe of `len` operations.
    pub fn empty(len: usize) -> Self {
        OpSet {
            words: Words::new(len.div_ceil(64), 0),
            len,
        }
    }

    /// Every operation of a universe of `len`.
    pub fn full(len: usize) -> Self {
        let count = len.div_ceil(64);
        let mut words = Words::new(count, u64::MAX);
        if let Some(last) = count
            .checked_sub(1)
            .and_then(|i| words.as_mut_slice().get_mut(i))
            && !len.is_multiple_of(64)
        {
            *last = (1 << (len % 64)) - 1;
        }
        OpSet { words, len }
    }

    /// Adds operation `index`; indices outside the universe are ignored.
    pub fn insert(&mut self, index: usize) {
        if index < self.len
            && let Some(word) = self.words.as_mut_slice().get_mut(index / 64)
        {
            *word |= 1 << (index % 64);
        }
    }

    /// Whether operation `index` is in the set.
    pub fn contains(&self, index: usize) -> bool {
        self.words
            .as_slice()
            .get(index / 64)
            .is_some_and(|word| word & (1 << (index % 64)) != 0)
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.words.as_slice().iter().all(|&word| word == 0)
    }

    /// The union with `other`.
    pub fn union(&self, other: &OpSet) -> OpSet {
        self.zip(other, |a, b| a | b)
    }

    /// The intersection with `other`.
    pub fn intersection(&self, other: &OpSet) -> OpSet {
        self.zip(other, |a, b| a & b)
    }

    /// The operations of `self` not in `other`.
    pub fn difference(&self, other: &OpSet) -> OpSet {
        self.zip(other, |a, b| a & !b)
    }

    /// The operations of the universe not in the set.
    pub fn complement(&self) -> OpSet {
        let mut words = self.words.clone();
        for (i, word) in words.as_mut_slice().iter_mut().enumerate() {
            // Words past the universe stay zero, as every set's do.
            let bits = self.len.saturating_sub(i * 64).min(64);
            let universe = u64::MAX.checked_shr(64 - bits as u32).unwrap_or(0);
            *word = !*word & universe;
        }
        OpSet {
            words,
            len: self.len,
        }
    }

    /// The indices in the set, ascending.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.len).filter(|&index| self.contains(index))
    }

    /// `f` word by word; `other`'s missing words count as zero, and `f(0, 0)` is 0 for
    /// every operation here, so words past the universe stay zero.
    fn zip(&self, other: &OpSet, f: impl Fn(u64, u64) -> u64) -> OpSet {
        let mut words = self.words.clone();
        let theirs = other.words.as_slice();
        for (i, word) in words.as_mut_slice().iter_mut().enumerate() {
            *word = f(*word, theirs.get(i).copied().unwrap_or(0));
        }
        OpSet {
            words,
            len: self.len,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::OpSet;

    #[test]
    fn set_algebra() {
        let mut a = OpSet::empty(70);
        a.insert(1);
        a.insert(65);
        a.insert(70);
        let mut b = OpSet::empty(70);
        b.insert(65);
        assert_eq!(a.iter().collect::<Vec<_>>(), [1, 65]);
        assert_eq!(a.intersection(&b).iter().collect::<Vec<_>>(), [65]);
        assert_eq!(a.difference(&b).iter().collect::<Vec<_>>(), [1]);
        assert_eq!(b.complement().iter().count(), 69);
        assert!(OpSet::empty(3).is_empty());
        assert_eq!(a.union(&b), a);
    }

    #[test]
    fn inline_and_heap_sets_agree() {
        for len in [1, 64, 65, 256, 257, 700] {
            let mut a = OpSet::empty(len);
            a.insert(len - 1);
            a.insert(0);
            assert_eq!(
                a.iter().collect::<Vec<_>>(),
                if len == 1 { vec![0] } else { vec![0, len - 1] }
            );
            assert_eq!(a.complement().iter().count(), len - a.iter().count());
            assert_eq!(OpSet::full(len).complement(), OpSet::empty(len));
            assert_eq!(a.union(&a.complement()), OpSet::full(len));
        }
    }
}
