//! Byte comparisons for the short strings that conditions compare most (tag keys and values,
//! names, path prefixes): up to 16 bytes they compare as two overlapping machine words, with
//! no call into `memcmp`. Longer strings use the slice comparison.

/// Whether `a` and `b` are the same bytes.
#[inline(always)]
pub(crate) fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && same_len(a, b)
}

/// Whether `text` starts with `prefix`.
#[inline(always)]
pub(crate) fn starts_with(text: &str, prefix: &str) -> bool {
    let (text, prefix) = (text.as_bytes(), prefix.as_bytes());
    text.get(..prefix.len())
        .is_some_and(|head| same_len(head, prefix))
}

/// Whether `text` ends with `suffix`.
#[inline(always)]
pub(crate) fn ends_with(text: &str, suffix: &str) -> bool {
    let (text, suffix) = (text.as_bytes(), suffix.as_bytes());
    text.len()
        .checked_sub(suffix.len())
        .and_then(|start| text.get(start..))
        .is_some_and(|tail| same_len(tail, suffix))
}

/// Equality of two slices of the same length.
#[inline(always)]
fn same_len(a: &[u8], b: &[u8]) -> bool {
    debug_assert_eq!(a.len(), b.len());
    let n = a.len();
    if n > 16 {
        return a == b;
    }
    if n >= 8 {
        // Two words that overlap when n < 16 cover every byte.
        return word::<8>(a, 0) == word::<8>(b, 0) && word::<8>(a, n - 8) == word::<8>(b, n - 8);
    }
    if n >= 4 {
        return word::<4>(a, 0) == word::<4>(b, 0) && word::<4>(a, n - 4) == word::<4>(b, n - 4);
    }
    a == b
}

/// The `N` bytes of `bytes` at `at`, as one integer (zero if out of range, which the callers
/// never ask for).
#[inline(always)]
fn word<const N: usize>(bytes: &[u8], at: usize) -> u64 {
    let mut buffer = [0u8; 8];
    if let (Some(dst), Some(src)) = (buffer.get_mut(..N), bytes.get(at..at + N)) {
        dst.copy_from_slice(src);
    }
    u64::from_ne_bytes(buffer)
}

#[cfg(test)]
mod tests {
    use super::{ends_with, same, starts_with};

    #[test]
    fn agree_with_the_standard_library_at_every_length() {
        let base = "abcdefghijklmnopqrstuvwxyz0123456789";
        for n in 0..=base.len() {
            let a = &base[..n];
            for m in 0..=base.len() {
                let b = &base[..m];
                assert_eq!(same(a, b), a == b, "{a:?} {b:?}");
                assert_eq!(starts_with(a, b), a.starts_with(b), "{a:?} {b:?}");
                assert_eq!(ends_with(a, &base[m..]), a.ends_with(&base[m..]));
            }
            // One byte different, at every position.
            for i in 0..n {
                let mut changed = a.as_bytes().to_vec();
                changed[i] = b'_';
                let changed = std::str::from_utf8(&changed).unwrap();
                assert!(!same(a, changed), "{a:?} {changed:?}");
                assert!(!starts_with(a, changed));
                assert!(!ends_with(a, changed));
            }
        }
    }
}
