//! A fast, non-cryptographic hasher for the RBAC engine's indexes (scopes and principal ids),
//! in the manner of rustc's FxHash: one multiply per eight bytes. Keys come from the user's own
//! files and requests, not from an adversary on the network, so resistance to hash flooding
//! (what std's SipHash buys, at several times the cost) is not needed here.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` with [`FastHasher`].
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

/// The hasher of [`FastMap`].
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct FastHasher(u64);

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let mut tail = [0; 8];
        let rest = chunks.remainder();
        if let Some(slot) = tail.get_mut(..rest.len()) {
            slot.copy_from_slice(rest);
            self.add(u64::from_le_bytes(tail));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::FastMap;

    #[test]
    fn distinguishes_keys_that_differ_in_the_tail_or_the_length() {
        let mut map: FastMap<Box<str>, u32> = FastMap::default();
        for (i, key) in [
            "",
            "a",
            "a\0",
            "abcdefgh",
            "abcdefgh\0",
            "abcdefghi",
            "abcdefghj",
        ]
        .into_iter()
        .enumerate()
        {
            map.insert(key.into(), i as u32);
        }
        assert_eq!(map.len(), 7);
        assert_eq!(map.get("abcdefghj"), Some(&6));
        assert_eq!(map.get("a\0"), Some(&2));
    }
}
