//! Sets of catalogue operations, as bitsets: what a condition block targets, and where an
//! attribute is available, are both sets of operations, so availability is a subset test.

/// A set of operation indices of one [`super::Catalog`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OpSet {
    words: Vec<u64>,
    len: usize,
}

impl OpSet {
    /// The empty set over a universe of `len` operations.
    pub fn empty(len: usize) -> Self {
        OpSet {
            words: vec![0; len.div_ceil(64)],
            len,
        }
    }

    /// Every operation of a universe of `len`.
    pub fn full(len: usize) -> Self {
        let mut words = vec![u64::MAX; len.div_ceil(64)];
        if let Some(last) = words.last_mut()
            && len % 64 != 0
        {
            *last = (1 << (len % 64)) - 1;
        }
        OpSet { words, len }
    }

    /// Adds operation `index`; indices outside the universe are ignored.
    pub fn insert(&mut self, index: usize) {
        if index < self.len
            && let Some(word) = self.words.get_mut(index / 64)
        {
            *word |= 1 << (index % 64);
        }
    }

    /// Whether operation `index` is in the set.
    pub fn contains(&self, index: usize) -> bool {
        self.words
            .get(index / 64)
            .is_some_and(|word| word & (1 << (index % 64)) != 0)
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|&word| word == 0)
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
        OpSet::full(self.len).difference(self)
    }

    /// The indices in the set, ascending.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.len).filter(|&index| self.contains(index))
    }

    fn zip(&self, other: &OpSet, f: impl Fn(u64, u64) -> u64) -> OpSet {
        let words = self
            .words
            .iter()
            .zip(other.words.iter().chain(std::iter::repeat(&0)))
            .map(|(&a, &b)| f(a, b))
            .collect();
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
}
