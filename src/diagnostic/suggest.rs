//! "Did you mean" suggestions by edit distance.

/// The candidate closest to `word` (ignoring ASCII case), if it is close enough to be a likely
/// typo: at most a third of the longer word's length in edits, and never more than 4.
///
/// ```
/// use azabac::diagnostic::suggest::closest;
/// let names = ["StringEquals", "StringLike", "GuidEquals"];
/// assert_eq!(closest("StringEqual", names), Some("StringEquals"));
/// assert_eq!(closest("Bananas", names), None);
/// ```
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lowered = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|candidate| {
            let distance = strsim::osa_distance(&lowered, &candidate.to_ascii_lowercase());
            (distance, candidate)
        })
        .filter(|(distance, candidate)| {
            let longest = word.chars().count().max(candidate.chars().count());
            *distance <= (longest / 3).clamp(1, 4)
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn prefers_the_nearest_and_ignores_case() {
        let names = ["StringEquals", "StringNotEquals", "StringEqualsIgnoreCase"];
        assert_eq!(closest("stringequal", names), Some("StringEquals"));
        assert_eq!(closest("StringNotEqual", names), Some("StringNotEquals"));
    }

    #[test]
    fn rejects_far_words() {
        assert_eq!(closest("x", ["StringEquals"]), None);
        assert_eq!(closest("IpMatch", ["StringEquals", "GuidEquals"]), None);
    }
}
