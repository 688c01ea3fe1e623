//! Byte scans for the short texts a condition is made of (names, patterns, literals): eight
//! bytes at a time with the classic zero-byte trick, which starts at once where `memchr`
//! first aligns itself, and so is faster below a few hundred bytes.
//!
//! Measured against `memchr` (for one byte) and `Iterator::position` (for several), the
//! alternatives it replaces (2026-12-01, `docs/performance.md`): criterion, `cargo bench
//! --bench parse`, corpus 598 → 585 µs (−2.0%) and a typical condition 1.99 → 1.95 µs
//! (−2.8%); callgrind, parse + check + compile −0.85% and a request read from JSON −0.9%.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Whether some byte of `word` is `byte`: `word ^ byte…byte` then has a zero byte, and
/// `(x - 1…1) & !x & 80…80` is nonzero exactly when `x` has one.
#[inline(always)]
pub(crate) fn has(word: u64, byte: u8) -> bool {
    let x = word ^ (ONES * u64::from(byte));
    x.wrapping_sub(ONES) & !x & HIGHS != 0
}

/// The index of the first byte of `bytes` for which `special` holds; `any` tells whether an
/// eight-byte word may hold one (it may say yes wrongly, never no wrongly).
#[inline(always)]
pub(crate) fn position(
    bytes: &[u8],
    any: impl Fn(u64) -> bool,
    special: impl Fn(u8) -> bool,
) -> Option<usize> {
    let mut words = bytes.chunks_exact(8);
    let mut start = 0;
    for chunk in &mut words {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        if any(word)
            && let Some(i) = chunk.iter().position(|&b| special(b))
        {
            return Some(start + i);
        }
        start += 8;
    }
    let tail = words.remainder().iter().position(|&b| special(b));
    tail.map(|i| start + i)
}

/// The index of the first `byte` in `text`.
#[inline]
pub(crate) fn find(text: &str, byte: u8) -> Option<usize> {
    position(text.as_bytes(), |word| has(word, byte), |b| b == byte)
}

/// `text` split at its first `byte`, which neither part keeps.
#[inline]
pub(crate) fn split_once(text: &str, byte: u8) -> Option<(&str, &str)> {
    let at = find(text, byte)?;
    Some((text.get(..at)?, text.get(at + 1..)?))
}

#[cfg(test)]
mod tests {
    use super::{find, split_once};

    proptest::proptest! {
        #[test]
        fn find_agrees_with_the_standard_library(text in "[a-c:\\]é]{0,40}", byte in proptest::sample::select(vec![b'a', b':', b']', b'z', 0xA9])) {
            proptest::prop_assert_eq!(find(&text, byte), text.bytes().position(|b| b == byte));
            if byte.is_ascii() {
                proptest::prop_assert_eq!(split_once(&text, byte), text.split_once(char::from(byte)));
            }
        }
    }
}
