//! Action patterns: the matcher shared by role definitions (`actions`, `notActions`, ...) and
//! the condition function `ActionMatches`, which Microsoft documents as "equivalent to the
//! action matching logic that the SDK uses when comparing an action to an action pattern inside
//! a Permission".
//!
//! Semantics ([RBAC.md §1.2](crate::spec::rbac#section-1-2),
//! [decision R3](crate::spec::decisions#decision-r3)): ASCII-case-insensitive, anchored at both
//! ends, `*` matches any run of characters including `/`, anywhere and any number of times; no
//! other character is special.
//!
//! Azure does not document whether a `*` between two `/` matches an empty segment
//! ([decision R18](crate::spec::decisions#decision-r18)): azabac decides by
//! [decision R3](crate::spec::decisions#decision-r3), and each pattern with such a `*` also
//! keeps its other reading ([`ActionPattern::matches_other_lowercase`]), so that a decision can
//! say when the other reading would change it.

/// An action pattern such as `Microsoft.Storage/*/read`, compiled once: the common shapes
/// (no `*`, one trailing `*`, one leading `*`) match by a byte comparison against a
/// lowercased action; others run the glob.
///
/// ```
/// use azabac::catalog::ActionPattern;
/// let pattern = ActionPattern::new("Microsoft.Authorization/roleAssignments/*");
/// assert!(pattern.matches("microsoft.authorization/roleassignments/write"));
/// assert!(!pattern.matches("Microsoft.Authorization/roleDefinitions/write"));
/// ```
#[derive(Clone, Debug)]
pub struct ActionPattern {
    /// The pattern as written, then the same in lower case: one allocation for both.
    spellings: Box<str>,
    /// Where the lower-case copy starts in `spellings`.
    split: usize,
    /// What `shape` compares: the lower-case copy without the `*` the shape stands for.
    core: std::ops::Range<usize>,
    shape: Shape,
    /// The other reading of a pattern with a `*` between two `/`
    /// ([decision R18](crate::spec::decisions#decision-r18)): the pattern with each such `*`
    /// standing for no segment too. `None` for every other pattern.
    other: Option<Other>,
    /// For a pattern with an `other` reading, the lengths of the literal text before its first
    /// `*` and after its last: every variant of either reading starts and ends with them, so an
    /// action without them is read the same both ways, and is told so without a glob.
    frame: (usize, usize),
}

/// How the other reading of a pattern is matched.
#[derive(Clone, Debug)]
enum Other {
    /// The lower-case variants that collapse one or more of its `/*/` to `/`, each matched as a
    /// glob: a pattern with at most [`MAX_OPEN_SEGMENTS`] of them (seven variants at most).
    Variants(Box<[Box<str>]>),
    /// A pattern with more: matched by [`other_glob_matches`] over the pattern itself, in time
    /// linear in the pattern times the action, however many it has.
    Glob,
}

/// The most `/*/` of one pattern whose other reading is kept as variants.
const MAX_OPEN_SEGMENTS: usize = 3;

/// The other reading of `lower`, when it has a `*` between two `/`.
fn other_reading(lower: &str) -> Option<Other> {
    let mut count = 0;
    let mut at = 0;
    while let Some(found) = lower.get(at..).and_then(|rest| rest.find("/*/")) {
        count += 1;
        at += found + 2;
    }
    match count {
        0 => None,
        n if n > MAX_OPEN_SEGMENTS => Some(Other::Glob),
        _ => collapsed_variants(lower).map(Other::Variants),
    }
}

/// Whether `text` matches `pattern` (both lower case) under the other reading of `*` between
/// two `/` ([decision R18](crate::spec::decisions#decision-r18)): every `*` matches any run of
/// bytes, and a `*` between two `/` may also stand for no segment (its `*/` matches nothing, or
/// any run ending in `/`). The positions of `text` each step of the pattern can reach, one step
/// at a time: linear in the pattern times the text.
fn other_glob_matches(pattern: &[u8], text: &[u8]) -> bool {
    let n = text.len();
    let mut reach = vec![false; n + 1];
    let mut next = vec![false; n + 1];
    if let Some(first) = reach.first_mut() {
        *first = true;
    }
    let mut i = 0;
    while let Some(&byte) = pattern.get(i) {
        next.fill(false);
        let open = byte == b'*'
            && i > 0
            && pattern.get(i - 1) == Some(&b'/')
            && pattern.get(i + 1) == Some(&b'/');
        if open {
            // `*/` of `/*/`: nothing, or a run ending in `/`.
            let mut seen = false;
            for k in 0..=n {
                let ends_slash = k > 0 && text.get(k - 1) == Some(&b'/');
                let here = reach.get(k).copied().unwrap_or(false);
                if let Some(slot) = next.get_mut(k) {
                    *slot = here || (seen && ends_slash);
                }
                seen |= here;
            }
            i += 2;
        } else if byte == b'*' {
            let mut seen = false;
            for k in 0..=n {
                seen |= reach.get(k).copied().unwrap_or(false);
                if let Some(slot) = next.get_mut(k) {
                    *slot = seen;
                }
            }
            i += 1;
        } else {
            for k in 0..n {
                if reach.get(k).copied().unwrap_or(false)
                    && text.get(k) == Some(&byte)
                    && let Some(slot) = next.get_mut(k + 1)
                {
                    *slot = true;
                }
            }
            i += 1;
        }
        std::mem::swap(&mut reach, &mut next);
        if !reach.contains(&true) {
            return false;
        }
    }
    reach.get(n).copied().unwrap_or(false)
}

/// The variants of `lower` with one or more of its first [`MAX_OPEN_SEGMENTS`] `/*/` collapsed
/// to `/`.
fn collapsed_variants(lower: &str) -> Option<Box<[Box<str>]>> {
    // Where each `/*/` starts: collapsing it removes its `/*`. Two may share a `/` (`/*/*/`);
    // the bytes each removes never overlap.
    let mut starts = Vec::with_capacity(MAX_OPEN_SEGMENTS);
    let mut at = 0;
    while starts.len() < MAX_OPEN_SEGMENTS
        && let Some(found) = lower.get(at..).and_then(|rest| rest.find("/*/"))
    {
        starts.push(at + found);
        at += found + 2;
    }
    let mut variants: Vec<Box<str>> = Vec::new();
    for mask in 1..1u32 << starts.len() {
        let mut text = String::with_capacity(lower.len());
        let mut from = 0;
        for (i, start) in starts.iter().enumerate() {
            if mask & (1 << i) != 0 {
                text.push_str(lower.get(from..*start).unwrap_or_default());
                from = start + 2;
            }
        }
        text.push_str(lower.get(from..).unwrap_or_default());
        if !variants.iter().any(|v| **v == *text) {
            variants.push(text.into_boxed_str());
        }
    }
    (!variants.is_empty()).then(|| variants.into_boxed_slice())
}

#[derive(Clone, Copy, Debug)]
enum Shape {
    /// No `*`: the action equals `lower`.
    Exact,
    /// `core*`: the action starts with `core` (`*` alone is the empty prefix).
    Prefix,
    /// `*core`: the action ends with `core`.
    Suffix,
    /// Anything else: the glob over the whole pattern.
    Glob,
}

impl PartialEq for ActionPattern {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for ActionPattern {}

impl std::hash::Hash for ActionPattern {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl ActionPattern {
    /// A pattern from its text.
    pub fn new(text: impl AsRef<str>) -> Self {
        let text = text.as_ref();
        let split = text.len();
        let mut spellings = String::with_capacity(2 * split);
        spellings.push_str(text);
        spellings.push_str(text);
        if let Some(lower) = spellings.get_mut(split..) {
            lower.make_ascii_lowercase();
        }
        // Case does not move a `*`: the shape is read from the text as written.
        let len = split;
        // Whether there are no stars, one, or more is all the shape needs.
        let stars = crate::scan::find(text, b'*').map_or(0, |first| {
            let rest = text.get(first + 1..).unwrap_or_default();
            1 + usize::from(crate::scan::find(rest, b'*').is_some())
        });
        let (shape, core) = match (stars, text.ends_with('*'), text.starts_with('*')) {
            (0, _, _) => (Shape::Exact, 0..len),
            (1, true, _) => (Shape::Prefix, 0..len - 1),
            (1, false, true) => (Shape::Suffix, 1..len),
            _ => (Shape::Glob, 0..len),
        };
        let other = spellings.get(split..).and_then(other_reading);
        let frame = match (text.find('*'), text.rfind('*')) {
            (Some(first), Some(last)) if other.is_some() => (first, len - last - 1),
            _ => (0, 0),
        };
        ActionPattern {
            spellings: spellings.into_boxed_str(),
            split,
            core,
            shape,
            other,
            frame,
        }
    }

    /// The pattern in lower case.
    fn lower(&self) -> &str {
        self.spellings.get(self.split..).unwrap_or_default()
    }

    fn core(&self) -> &str {
        self.lower().get(self.core.clone()).unwrap_or_default()
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        self.spellings.get(..self.split).unwrap_or_default()
    }

    /// Whether the pattern has a `*`.
    pub fn is_wildcard(&self) -> bool {
        !matches!(self.shape, Shape::Exact)
    }

    /// The pattern in lower case, when it has no `*` (it names one action).
    pub(crate) fn exact_lowercase(&self) -> Option<&str> {
        matches!(self.shape, Shape::Exact).then(|| self.lower())
    }

    /// Whether `action` matches the pattern.
    pub fn matches(&self, action: &str) -> bool {
        if action.bytes().any(|b| b.is_ascii_uppercase()) {
            self.matches_lowercase(&action.to_ascii_lowercase())
        } else {
            self.matches_lowercase(action)
        }
    }

    /// Whether the pattern has a `*` between two `/`, which Azure may read as matching an empty
    /// segment too ([decision R18](crate::spec::decisions#decision-r18)).
    pub fn has_open_segment(&self) -> bool {
        self.other.is_some()
    }

    /// Whether `action`, already in ASCII lower case, matches the pattern under the other
    /// reading of a `*` between two `/` (it may match no segment): `…/computes/*/write` matches
    /// `…/computes/write` too. The same as [`ActionPattern::matches_lowercase`] for patterns
    /// without such a `*`.
    pub(crate) fn matches_other_lowercase(&self, action: &str) -> bool {
        self.matches_lowercase(action) || self.matches_only_other(action)
    }

    /// Whether `action` (lower case) matches one of the other reading's variants.
    fn matches_only_other(&self, action: &str) -> bool {
        match &self.other {
            None => false,
            Some(Other::Variants(variants)) => variants
                .iter()
                .any(|v| glob_matches(v.as_bytes(), action.as_bytes())),
            Some(Other::Glob) => other_glob_matches(self.lower().as_bytes(), action.as_bytes()),
        }
    }

    /// Whether `action`, already in ASCII lower case, matches the pattern under the other
    /// reading of a `*` between two `/` and not under the documented one
    /// ([decision R18](crate::spec::decisions#decision-r18)). The other reading matches every
    /// action the documented one does, so this is where the two differ. An action outside the
    /// pattern's literal frame is told apart without a glob: a decision asks this of every
    /// such pattern of every role it considers.
    pub(crate) fn reads_two_ways_lowercase(&self, action: &str) -> bool {
        if self.other.is_none() {
            return false;
        }
        let lower = self.lower();
        let (before, after) = self.frame;
        let framed = lower
            .get(..before)
            .is_some_and(|prefix| action.starts_with(prefix))
            && lower
                .get(lower.len().saturating_sub(after)..)
                .is_some_and(|suffix| action.ends_with(suffix));
        framed && !self.matches_lowercase(action) && self.matches_only_other(action)
    }

    /// Whether `action`, already in ASCII lower case, matches the pattern.
    pub(crate) fn matches_lowercase(&self, action: &str) -> bool {
        match self.shape {
            Shape::Exact => action == self.lower(),
            Shape::Prefix => action.starts_with(self.core()),
            Shape::Suffix => action.ends_with(self.core()),
            Shape::Glob => glob_matches(self.lower().as_bytes(), action.as_bytes()),
        }
    }
}

/// Whether `text` matches `pattern`, where `*` is any run of bytes and the rest compares
/// ignoring ASCII case. Linear in practice: on a mismatch it retries only from the most recent
/// `*`, which is enough because `*` is the only metacharacter.
fn glob_matches(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    // Where to resume after a mismatch: the pattern position after the last `*`, and the text
    // position that `*` has swallowed up to.
    let mut resume: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                p += 1;
                resume = Some((p, t));
            }
            Some(c) if text.get(t).is_some_and(|x| x.eq_ignore_ascii_case(c)) => {
                p += 1;
                t += 1;
            }
            _ => match resume {
                Some((after_star, swallowed)) => {
                    p = after_star;
                    t = swallowed + 1;
                    resume = Some((after_star, swallowed + 1));
                }
                None => return false,
            },
        }
    }
    pattern
        .get(p..)
        .is_some_and(|rest| rest.iter().all(|&c| c == b'*'))
}

#[cfg(test)]
mod tests {
    use super::{ActionPattern, collapsed_variants, glob_matches, other_glob_matches};

    fn matches(pattern: &str, action: &str) -> bool {
        ActionPattern::new(pattern).matches(action)
    }

    #[test]
    fn documented_vectors() {
        let write = "Microsoft.Authorization/roleAssignments/write";
        assert!(matches("Microsoft.Authorization/roleAssignments/*", write));
        assert!(!matches("Microsoft.Authorization/roleDefinitions/*", write));
        assert!(matches("*", write));
        assert!(matches("*/read", "Microsoft.Network/virtualNetworks/read"));
        assert!(matches(
            "Microsoft.Network/*/read",
            "Microsoft.Network/virtualNetworks/subnets/read"
        ));
        assert!(matches(
            "Microsoft.Compute/virtualMachines/*",
            "Microsoft.Compute/virtualMachines/extensions/write"
        ));
    }

    #[test]
    fn anchored_and_case_insensitive() {
        assert!(matches(
            "microsoft.web/sites/*/Delete",
            "Microsoft.Web/sites/slots/delete"
        ));
        assert!(!matches("Microsoft.Web/sites", "Microsoft.Web/sites/read"));
        assert!(!matches("Microsoft.Web/sites/read", "Microsoft.Web/sites"));
        assert!(matches("a*b*c", "aXbYbZc"));
        assert!(!matches("a*b*c", "aXbYbZ"));
        assert!(matches("a**", "a"));
        // Each compiled shape, with the action in another case than the pattern.
        assert!(matches("*/READ", "Microsoft.Network/virtualNetworks/read"));
        assert!(!matches(
            "*/read",
            "Microsoft.Network/virtualNetworks/readx"
        ));
        assert!(matches("MICROSOFT.STORAGE/*", "microsoft.storage/x/Write"));
        assert!(matches(
            "Microsoft.Web/SITES/read",
            "microsoft.web/sites/READ"
        ));
        assert!(matches("*", ""));
        assert!(!matches("a?c", "abc"), "`?` is literal");
        assert!(matches("", ""));
        assert!(!matches("", "a"));
    }

    /// The AzureML Data Scientist role takes `…/computes/*/write` out of what it grants; by
    /// [decision R3](crate::spec::decisions#decision-r3) that does not match
    /// `…/computes/write`, by the other reading of
    /// [decision R18](crate::spec::decisions#decision-r18) it does.
    #[test]
    fn a_star_between_slashes_keeps_its_other_reading() {
        let pattern =
            ActionPattern::new("Microsoft.MachineLearningServices/workspaces/computes/*/write");
        let create = "microsoft.machinelearningservices/workspaces/computes/write";
        assert!(pattern.has_open_segment());
        assert!(!pattern.matches_lowercase(create));
        assert!(pattern.matches_other_lowercase(create));
        assert!(pattern.matches_other_lowercase(
            "microsoft.machinelearningservices/workspaces/computes/start/write"
        ));
        let two = ActionPattern::new("a/*/b/*/c");
        for action in ["a/x/b/y/c", "a/b/y/c", "a/x/b/c", "a/b/c"] {
            assert!(two.matches_other_lowercase(action), "{action}");
        }
        assert!(!two.matches_lowercase("a/b/c"));
        for plain in ["*/read", "Microsoft.Storage/*", "a/*b/c", "*"] {
            assert!(!ActionPattern::new(plain).has_open_segment(), "{plain}");
        }
        // The variants of thousands of `/*/` are those of the first three (the other reading
        // of such a pattern is matched over the pattern itself).
        let many = format!("a{}/b", "/*".repeat(40_000));
        let variants = collapsed_variants(&many).unwrap();
        let lengths: Vec<usize> = variants.iter().map(|v| many.len() - v.len()).collect();
        assert_eq!(lengths, [2, 4, 6]);
        let three = collapsed_variants("a/*/b/*/c/*/d/*/e").unwrap();
        assert_eq!(three.len(), 7);
        assert!(three.iter().any(|v| &**v == "a/b/c/d/*/e"));
        // Past three, the other reading is matched over the pattern itself, exactly.
        let five = ActionPattern::new(format!("Microsoft.Compute{}/read", "/*".repeat(5)));
        assert!(!five.matches_lowercase("microsoft.compute/virtualmachines/read"));
        assert!(five.reads_two_ways_lowercase("microsoft.compute/virtualmachines/read"));
        assert!(five.reads_two_ways_lowercase("microsoft.compute/read"));
        assert!(!five.reads_two_ways_lowercase("microsoft.storage/read"));
    }

    /// The other reading matched over the pattern agrees with its variants, wherever there are
    /// few enough `/*/` to list them.
    #[test]
    fn the_other_reading_two_ways_agree() {
        let patterns = [
            "a/*/b",
            "a/*/*/b",
            "a/*/b/*/c",
            "*/a/*/b*",
            "a/*/b/*/c/*",
            "a/*b/*/c",
        ];
        let actions = [
            "a/b", "a/x/b", "a/x/y/b", "a/b/c", "a/x/b/c", "a/b/y/c", "a//b", "q/a/b", "q/a/x/bz",
            "a/xb/c", "a/xb/y/c", "a/b/c/", "a/b/c/z",
        ];
        for pattern in patterns {
            let lower = pattern.to_ascii_lowercase();
            let variants = collapsed_variants(&lower).unwrap();
            for action in actions {
                let by_variants = glob_matches(lower.as_bytes(), action.as_bytes())
                    || variants
                        .iter()
                        .any(|v| glob_matches(v.as_bytes(), action.as_bytes()));
                let by_pattern = other_glob_matches(lower.as_bytes(), action.as_bytes());
                assert_eq!(by_variants, by_pattern, "{pattern} / {action}");
            }
        }
    }
}
