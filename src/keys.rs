//! The keys of one JSON object as a reader meets them, to find two that name one field
//! ([decision R14](crate::spec::decisions#decision-r14)): keys match ignoring ASCII case, so
//! `Scope` and `scope` in one object are two spellings of one field, and which one Azure reads is
//! not known.
//!
//! Every reader asks this of every object, so it is cheap for the few keys real objects have and
//! linear for the many a hostile file may hold: a scan while the object is small, a hash of each
//! key's ASCII-lowercase form past [`KeySet::SMALL`] keys (a scan over 20,000 keys took 7.6 s).

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hash, Hasher, RandomState};

/// The keys of one object so far, each as written.
#[derive(Clone, Debug)]
pub(crate) struct KeySet<K> {
    keys: Vec<K>,
    /// Past [`KeySet::SMALL`] keys: the index in `keys` of each key, by the hash of its
    /// ASCII-lowercase form (colliding keys share a bucket).
    index: HashMap<u64, Vec<usize>>,
    /// Randomly keyed, so that a file cannot be written to make every key collide.
    state: RandomState,
    /// Every other spelling met of a key held, as written: one met again is a repeat.
    variants: HashSet<String>,
}

/// What meeting a key found ([`KeySet::meet`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Met {
    /// A key the object did not have: now held.
    New,
    /// The key, as written, met before: the JSON repeats it.
    Again,
    /// Another spelling of a key held (equal ignoring ASCII case): the spelling held first.
    Variant(String),
}

impl<K> Default for KeySet<K> {
    fn default() -> Self {
        KeySet {
            keys: Vec::new(),
            index: HashMap::new(),
            state: RandomState::new(),
            variants: HashSet::new(),
        }
    }
}

/// Up to this many keys, a lookup scans them; past it, a hash.
pub(crate) const SMALL: usize = 32;

impl<K: AsRef<str>> KeySet<K> {
    /// Up to this many keys, a lookup scans them.
    pub(crate) const SMALL: usize = SMALL;

    /// The key already held that equals `key` ignoring ASCII case, as written.
    pub(crate) fn find(&self, key: &str) -> Option<&K> {
        let same = |i: &usize| {
            self.keys
                .get(*i)
                .filter(|held| held.as_ref().eq_ignore_ascii_case(key))
        };
        if self.keys.len() <= Self::SMALL {
            return self
                .keys
                .iter()
                .find(|held| held.as_ref().eq_ignore_ascii_case(key));
        }
        self.index.get(&self.hash(key))?.iter().find_map(same)
    }

    /// Meets `key`, the next key of the object: holds it when it is new, and says whether the
    /// object had it already, as written or in another spelling.
    pub(crate) fn meet(&mut self, key: K) -> Met {
        match self.find(key.as_ref()) {
            None => {
                self.insert(key);
                Met::New
            }
            Some(first) if first.as_ref() == key.as_ref() => Met::Again,
            Some(first) => {
                let first = first.as_ref().to_owned();
                if self.variants.insert(key.as_ref().to_owned()) {
                    Met::Variant(first)
                } else {
                    Met::Again
                }
            }
        }
    }

    /// Holds `key` (after [`KeySet::find`] said whether it is new).
    pub(crate) fn insert(&mut self, key: K) {
        self.keys.push(key);
        let len = self.keys.len();
        let first = match len {
            n if n <= Self::SMALL => return,
            // The first key past a scan's worth: every key held goes into the index.
            n if n == Self::SMALL + 1 => 0,
            n => n - 1,
        };
        for i in first..len {
            if let Some(held) = self.keys.get(i) {
                let hash = self.hash(held.as_ref());
                self.index.entry(hash).or_default().push(i);
            }
        }
    }

    fn hash(&self, key: &str) -> u64 {
        lowercase_hash(self.state.build_hasher(), key)
    }

    /// Forgets every key, keeping the memory for the next object.
    pub(crate) fn clear(&mut self) {
        self.keys.clear();
        self.index.clear();
        self.variants.clear();
    }
}

/// Two keys of `keys` equal ignoring ASCII case, as written: the pair [`canonical`] names.
/// Linear in the number of keys.
pub(crate) fn repeated<'k>(keys: impl IntoIterator<Item = &'k str>) -> Option<(&'k str, &'k str)> {
    let mut set: KeySet<&'k str> = KeySet::default();
    let mut met = Vec::new();
    for key in keys {
        match set.find(key) {
            Some(&first) => met.push((first, key)),
            None => set.insert(key),
        }
    }
    canonical(met)
}

/// Of the keys an object repeats ignoring case (each met beside the spelling held first), the
/// pair every reader names whatever order it met the keys in: of the spellings of the smallest
/// repeated key (ASCII-lowercased), the two smallest.
pub(crate) fn canonical<'a, S: AsRef<str> + ?Sized + 'a>(
    met: impl IntoIterator<Item = (&'a S, &'a S)>,
) -> Option<(&'a str, &'a str)> {
    let mut best: Option<(String, Vec<&'a str>)> = None;
    for (first, second) in met {
        let (first, second) = (first.as_ref(), second.as_ref());
        let lower = first.to_ascii_lowercase();
        match &mut best {
            Some((group, spellings)) if *group == lower => spellings.extend([first, second]),
            Some((group, _)) if *group < lower => {}
            _ => best = Some((lower, vec![first, second])),
        }
    }
    let (_, mut spellings) = best?;
    spellings.sort_unstable();
    spellings.dedup();
    match spellings[..] {
        [first, second, ..] => Some((first, second)),
        _ => None,
    }
}

/// Two keys of `keys` that are one: equal ignoring ASCII case, and with the same `part` (a part
/// of each compared as written, such as a dictionary key). The first such pair met, in the
/// order of `keys` (the request reader's keys, in a `serde_json` map's fixed order).
pub(crate) fn repeated_by<'k, P: Hash + Eq>(
    keys: impl IntoIterator<Item = &'k str>,
    part: impl Fn(&'k str) -> P,
) -> Option<(&'k str, &'k str)> {
    let mut set: KeySet<&'k str> = KeySet::default();
    // Keys equal ignoring case, by the first spelling met and their exact part: the key as written.
    let mut parts: HashMap<(&'k str, P), &'k str> = HashMap::new();
    for key in keys {
        if let Some(&first) = set.find(key) {
            parts.entry((first, part(first))).or_insert(first);
            let exact = (first, part(key));
            if let Some(&earlier) = parts.get(&exact) {
                return Some((earlier, key));
            }
            parts.insert(exact, key);
        } else {
            set.insert(key);
        }
    }
    None
}

/// `text` with ASCII letters in lower case, fed to `hasher` eight bytes at a time, without a copy:
/// two texts equal ignoring ASCII case hash alike.
pub(crate) fn lowercase_hash(mut hasher: impl Hasher, text: &str) -> u64 {
    for chunk in text.as_bytes().chunks(8) {
        let mut word = [0u8; 8];
        for (to, from) in word.iter_mut().zip(chunk) {
            *to = from.to_ascii_lowercase();
        }
        hasher.write_u64(u64::from_le_bytes(word));
    }
    hasher.write_usize(text.len());
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_ignoring_case_small_and_large() {
        for count in [
            3,
            KeySet::<String>::SMALL,
            KeySet::<String>::SMALL + 1,
            5_000,
        ] {
            let mut set = KeySet::default();
            for i in 0..count {
                let key = format!("Key{i}");
                assert!(set.find(&key.to_lowercase()).is_none(), "{count}: {key}");
                set.insert(key);
            }
            for i in 0..count {
                let found = set.find(&format!("KEY{i}"));
                assert_eq!(found.map(String::as_str), Some(format!("Key{i}").as_str()));
            }
            assert!(set.find("key").is_none());
            set.clear();
            assert!(set.find("key0").is_none());
        }
    }

    #[test]
    fn one_pair_is_named_whatever_the_order() {
        assert_eq!(
            repeated(["a", "Scope", "b", "SCOPE"]),
            Some(("SCOPE", "Scope"))
        );
        // Whatever the order, the same pair: the smallest key's two smallest spellings.
        let keys = ["Name", "condition", "name", "Condition", "NAME"];
        let mut reversed = keys;
        reversed.reverse();
        assert_eq!(repeated(keys), Some(("Condition", "condition")));
        assert_eq!(repeated(reversed), Some(("Condition", "condition")));
        assert_eq!(repeated(["a", "b"]), None);
        let many: Vec<String> = (0..10_000).map(|i| format!("k{i}")).collect();
        let mut keys: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(repeated(keys.iter().copied()), None);
        keys.push("K9999");
        assert_eq!(repeated(keys.iter().copied()), Some(("K9999", "k9999")));
    }

    #[test]
    fn exact_parts_tell_keys_apart() {
        let tail = |k: &'static str| k.rsplit_once(':').map_or("", |(_, t)| t);
        assert_eq!(repeated_by(["tags:Project", "TAGS:project"], tail), None);
        assert_eq!(
            repeated_by(["tags:Project", "TAGS:project", "Tags:Project"], tail),
            Some(("tags:Project", "Tags:Project"))
        );
    }
}
