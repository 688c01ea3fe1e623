//! One resource, one meaning ([decision R20](crate::spec::decisions#decision-r20)): the role
//! assignments and deny assignments given so far, each with where it was given, found by id
//! ignoring case, so that copies of one that are equal after reading are read as one and copies
//! that differ are an error naming both places.
//!
//! Exports hold 100,000 assignments, so nothing here is made per assignment that is not kept:
//! a place is two numbers (the list's path is kept once per list), and an id is found by a hash
//! of its bytes in lower case rather than by a lower-cased copy of it.

use std::collections::HashMap;
use std::fmt;

use rustc_hash::{FxHashMap, FxHasher};

use crate::rbac::item::At;
use crate::rbac::{DenyAssignment, InputError, InputProblem, RoleAssignment};

/// A resource that copies of one are compared for.
pub(super) trait Resource: Clone + PartialEq {
    /// What it is, for the message: `role assignment`.
    const KIND: &'static str;
    /// Its id, or its name, or `#N` when it has neither.
    fn id(&self) -> &str;
    /// The same resource under the id `id`, to compare two copies with the id's case aside.
    fn with_id(&self, id: &str) -> Self;
}

impl Resource for RoleAssignment {
    const KIND: &'static str = "role assignment";
    fn id(&self) -> &str {
        &self.id
    }
    fn with_id(&self, id: &str) -> Self {
        RoleAssignment {
            id: id.to_owned(),
            ..self.clone()
        }
    }
}

impl Resource for DenyAssignment {
    const KIND: &'static str = "deny assignment";
    fn id(&self) -> &str {
        &self.id
    }
    fn with_id(&self, id: &str) -> Self {
        DenyAssignment {
            id: id.to_owned(),
            ..self.clone()
        }
    }
}

/// Where a resource was given: a file, a list in it (`$`, `$.value`), and the index in the list
/// (none for a file that is one object).
#[derive(Clone, Copy, Debug)]
pub(super) struct Place<'a> {
    pub(super) file: &'a str,
    pub(super) list: &'a str,
    pub(super) index: Option<usize>,
}

impl<'a> Place<'a> {
    /// The item at `at` in `file`.
    pub(super) fn of(file: &'a str, at: At<'a>) -> Place<'a> {
        match at.list {
            Some(list) => Place {
                file,
                list,
                index: Some(at.index),
            },
            None => Place {
                file,
                list: "$",
                index: None,
            },
        }
    }

    /// The JSON path within the file.
    fn path(&self) -> String {
        match self.index {
            Some(index) => format!("{}[{index}]", self.list),
            None => self.list.to_owned(),
        }
    }
}

impl fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.file.is_empty() {
            write!(f, "{} ", self.file)?;
        }
        f.write_str(&self.path())
    }
}

/// The resources of one kind given so far, in order, each with its place.
pub(super) struct Resources<T> {
    items: Vec<T>,
    /// Each item's list (an index into `lists`) and index in it.
    places: Vec<(u32, Option<u32>)>,
    /// Each list items came from: its file and path.
    lists: Vec<(String, String)>,
    ids: IdIndex,
}

impl<T> Default for Resources<T> {
    fn default() -> Self {
        Resources {
            items: Vec::new(),
            places: Vec::new(),
            lists: Vec::new(),
            ids: IdIndex::default(),
        }
    }
}

impl<T: Resource> Resources<T> {
    /// Adds `item`, given at `place`: a copy of one given before is dropped when equal after
    /// reading (every typed field, the id's case aside) and an error naming both places when
    /// not. Items without an id of their own (`#N`) are never copies.
    pub(super) fn add(&mut self, place: Place<'_>, item: T) -> Result<(), InputError> {
        let next = self.items.len();
        if !item.id().starts_with('#') {
            let items = &self.items;
            let first = self.ids.find_or_insert(item.id(), next, |i| {
                items.get(i).map(Resource::id).unwrap_or_default()
            });
            if let Some(first) = first {
                if self
                    .items
                    .get(first)
                    .is_some_and(|kept| kept.with_id(item.id()) == item)
                {
                    return Ok(());
                }
                return Err(InputError::new(
                    &place.path(),
                    InputProblem::CopiesDiffer {
                        kind: T::KIND,
                        id: item.id().to_owned(),
                        first: self.place(first),
                    },
                ));
            }
        }
        let list = match self.lists.last() {
            Some((file, list)) if file == place.file && list == place.list => self.lists.len() - 1,
            _ => {
                self.lists
                    .push((place.file.to_owned(), place.list.to_owned()));
                self.lists.len() - 1
            }
        };
        let narrow = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        self.places.push((narrow(list), place.index.map(narrow)));
        self.items.push(item);
        Ok(())
    }

    /// Where the `i`-th item was given, for a message.
    fn place(&self, i: usize) -> String {
        let Some(&(list, index)) = self.places.get(i) else {
            return String::new();
        };
        let Some((file, list)) = self.lists.get(list as usize) else {
            return String::new();
        };
        Place {
            file,
            list,
            index: index.map(|i| i as usize),
        }
        .to_string()
    }

    /// The items given, in order.
    pub(super) fn into_items(self) -> Vec<T> {
        self.items
    }

    /// How many items were given.
    pub(super) fn len(&self) -> usize {
        self.items.len()
    }
}

/// Which item holds each id, compared ignoring ASCII case (as ARM compares ids): found by a
/// hash of the id's bytes in lower case and confirmed against the id kept, so that no
/// lower-cased copy of every id is made. Ids whose hashes collide are kept by their lower-cased
/// text instead. An id beyond ASCII is also found by its keys under each case mapping
/// ([decision R15](crate::spec::decisions#decision-r15)): two ids that are one under either
/// mapping are copies of one resource, read as one when equal and refused when not.
#[derive(Default)]
struct IdIndex {
    by_hash: FxHashMap<u64, usize>,
    collided: HashMap<String, usize>,
    /// Ids beyond ASCII, by their keys under each mapping (`u` and `f` prefixed).
    beyond: HashMap<String, usize>,
}

impl IdIndex {
    /// The item that holds `id`, or `None` after noting that the `next` item does. `id_of(i)`
    /// is the id of the `i`-th item.
    fn find_or_insert<'a>(
        &mut self,
        id: &str,
        next: usize,
        id_of: impl Fn(usize) -> &'a str,
    ) -> Option<usize> {
        if id.is_ascii() {
            if !self.beyond.is_empty() {
                // An ASCII id that an id beyond ASCII folds or upper-cases to (`K`, `k`).
                let lower = id.to_ascii_lowercase();
                for key in [format!("u{lower}"), format!("f{lower}")] {
                    if let Some(&held) = self.beyond.get(&key) {
                        return Some(held);
                    }
                }
            }
            return self.ascii(id, Some(next), &id_of);
        }
        let (upper, fold) = crate::id::scope::case_keys(id);
        for key in [&upper, &fold] {
            if key.is_ascii()
                && let Some(held) = self.ascii(key, None, &id_of)
            {
                return Some(held);
            }
        }
        let keys = [format!("u{upper}"), format!("f{fold}")];
        if let Some(&held) = keys.iter().find_map(|key| self.beyond.get(key)) {
            return Some(held);
        }
        for key in keys {
            self.beyond.insert(key, next);
        }
        None
    }

    /// The item that holds the ASCII id `id`, or `None` after noting that `next` does (when
    /// given).
    fn ascii<'a>(
        &mut self,
        id: &str,
        next: Option<usize>,
        id_of: &impl Fn(usize) -> &'a str,
    ) -> Option<usize> {
        let hash = lowercase_hash(id);
        match self.by_hash.get(&hash) {
            None => {
                if let Some(next) = next {
                    self.by_hash.insert(hash, next);
                }
                None
            }
            Some(&held) if id_of(held).eq_ignore_ascii_case(id) => Some(held),
            Some(_) => {
                let key = id.to_ascii_lowercase();
                if let Some(&held) = self.collided.get(&key) {
                    return Some(held);
                }
                if let Some(next) = next {
                    self.collided.insert(key, next);
                }
                None
            }
        }
    }
}

/// The keys an id is known by for [`IdIndex`]'s purposes outside it (a PIM instance's
/// `originRoleAssignmentId`): its ASCII-lowercase text, and beyond ASCII its keys under each
/// case mapping.
pub(super) fn id_keys(id: &str) -> Vec<String> {
    if id.is_ascii() {
        return vec![id.to_ascii_lowercase()];
    }
    let (upper, fold) = crate::id::scope::case_keys(id);
    vec![upper, fold]
}

/// A hash of `text` with ASCII letters in lower case.
fn lowercase_hash(text: &str) -> u64 {
    crate::keys::lowercase_hash(FxHasher::default(), text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_found_ignoring_case_and_collisions_are_told_apart() {
        let ids = ["/A/b", "/a/B", "/c"];
        let mut index = IdIndex::default();
        assert_eq!(index.find_or_insert(ids[0], 0, |i| ids[i]), None);
        assert_eq!(index.find_or_insert(ids[1], 1, |i| ids[i]), Some(0));
        assert_eq!(index.find_or_insert(ids[2], 2, |i| ids[i]), None);
        // Two ids under one hash: each is still found as itself.
        let mut index = IdIndex::default();
        let hash = lowercase_hash("x");
        index.by_hash.insert(hash, 0);
        let held = ["other", "x"];
        assert_eq!(index.find_or_insert("x", 1, |i| held[i]), None);
        assert_eq!(index.find_or_insert("X", 2, |i| held[i]), Some(1));
        assert_eq!(lowercase_hash("AbC/Déf"), lowercase_hash("aBc/Déf"));
        assert_ne!(lowercase_hash("abc"), lowercase_hash("abc\0"));
    }
}
