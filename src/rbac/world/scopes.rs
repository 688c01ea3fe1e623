//! Every scope that holds an assignment or a deny assignment or sits in the hierarchy,
//! numbered, so that a decision compares scopes as integers.
//!
//! Scopes that are ASCII compare by their normalised text. Beyond ASCII, two scopes may be one to
//! ARM under one case mapping and two under the other
//! ([decision R15](crate::spec::decisions#decision-r15)): a request's ancestry then holds the
//! scopes that match under both, where grants and denies apply, and apart from them the scopes that
//! match under one only, where only denies apply.

use std::borrow::Cow;

use crate::rbac::Scope;
use crate::rbac::scope::{Segments, parent_segments};
use rustc_hash::FxHashMap;

/// Every scope that holds an assignment or a deny assignment or appears in the hierarchy,
/// numbered, so that a decision compares scopes as integers.
#[derive(Debug, Default)]
pub(super) struct ScopeTable {
    pub(super) ids: FxHashMap<Box<str>, u32>,
    pub(super) info: Vec<ScopeInfo>,
    /// The scopes beyond ASCII by their key under each case mapping: (upper, fold).
    beyond_ascii: (ByKey, ByKey),
}

/// Scope numbers by a key of their text.
type ByKey = FxHashMap<Box<str>, Vec<u32>>;

/// The known scopes at or above a request's scope.
#[derive(Debug, Default)]
pub(super) struct Ancestry {
    /// The scopes at or above it under both case mappings, nearest first: grants and denies
    /// apply from them.
    pub(super) chain: Vec<u32>,
    /// Whether the first of `chain` is the request's scope itself.
    pub(super) exact: bool,
    /// The scopes at or above it under one case mapping only: denies apply from them, grants do not
    /// ([decision R15](crate::spec::decisions#decision-r15)). Empty unless a scope goes beyond
    /// ASCII.
    pub(super) deny_only: Vec<u32>,
    /// The scopes that are the request's own under one mapping or both, besides the first of
    /// `chain`: a deny that does not apply to child scopes applies there.
    pub(super) at_scope: Vec<u32>,
}

impl Ancestry {
    /// Whether `scope` is the request's scope itself (under either mapping).
    pub(super) fn is_at_scope(&self, scope: u32) -> bool {
        self.exact && self.chain.first() == Some(&scope) || self.at_scope.contains(&scope)
    }
}

#[derive(Debug, Default)]
pub(super) struct ScopeInfo {
    /// The management group above a subscription or management group, from the hierarchy.
    pub(super) hierarchy_parent: Option<u32>,
    /// The deny assignments at this scope.
    pub(super) deny: Vec<u32>,
    /// The scope's keys under each case mapping (upper, fold), for a scope beyond ASCII or a
    /// management or service group: the hierarchy reaches groups by number, and a group spelled
    /// in another case beyond ASCII is another number ([decision R15](crate::spec::decisions#decision-r15)).
    keys: Option<(Box<str>, Box<str>)>,
}

impl ScopeTable {
    pub(super) fn intern(&mut self, scope: &Scope) -> u32 {
        if let Some(&id) = self.ids.get(scope.as_str()) {
            return id;
        }
        // More than four billion distinct scopes cannot be read into memory first.
        let id = u32::try_from(self.info.len()).unwrap_or(u32::MAX);
        self.ids.insert(scope.as_str().into(), id);
        let mut info = ScopeInfo::default();
        let group = scope.management_group().is_some() || scope.service_group().is_some();
        if !scope.as_str().is_ascii() {
            let (upper, fold) = &mut self.beyond_ascii;
            upper.entry(scope.upper_key().into()).or_default().push(id);
            fold.entry(scope.fold_key().into()).or_default().push(id);
        }
        if group || !scope.as_str().is_ascii() {
            info.keys = Some((scope.upper_key().into(), scope.fold_key().into()));
        }
        self.info.push(info);
        id
    }

    /// The known scopes at or above `scope` (scopes that hold nothing are skipped: nothing can
    /// match them), following the hierarchy from the first subscription or management group
    /// it knows.
    pub(super) fn ancestors(&self, scope: &Scope) -> Ancestry {
        if scope.as_str().is_ascii() && self.beyond_ascii.0.is_empty() {
            return self.ascii_ancestors(scope);
        }
        self.mapped_ancestors(scope)
    }

    /// A scope placed in the hierarchy whose other spelling (the same scope under both case
    /// mappings) is placed under another group that is not the same group: the scope and the
    /// two groups, as text.
    pub(super) fn parents_differ(&self) -> Option<(String, String, String)> {
        if self.beyond_ascii.0.is_empty() {
            return None;
        }
        let text = |id: u32| {
            self.ids
                .iter()
                .find(|(_, i)| **i == id)
                .map_or_else(String::new, |(text, _)| text.to_string())
        };
        for (id, info) in (0u32..).zip(&self.info) {
            let Some(parent) = info.hierarchy_parent else {
                continue;
            };
            for other in self.spellings(id).0 {
                let Some(theirs) = self
                    .info
                    .get(other as usize)
                    .and_then(|i| i.hierarchy_parent)
                else {
                    continue;
                };
                if theirs != parent && !self.spellings(parent).0.contains(&theirs) {
                    return Some((text(id), text(parent), text(theirs)));
                }
            }
        }
        None
    }

    /// The other known scopes that are scope `id` under both case mappings, and under one only.
    fn spellings(&self, id: u32) -> (Vec<u32>, Vec<u32>) {
        let Some((upper, fold)) = self.info.get(id as usize).and_then(|i| i.keys.as_ref()) else {
            return (Vec::new(), Vec::new());
        };
        let matching = |key: &str, by_key: &ByKey| -> Vec<u32> {
            let mut ids: Vec<u32> = self.ids.get(key).copied().into_iter().collect();
            ids.extend(by_key.get(key).map_or(&[][..], Vec::as_slice));
            ids.retain(|other| *other != id);
            ids
        };
        let (under_upper, under_fold) = (
            matching(upper, &self.beyond_ascii.0),
            matching(fold, &self.beyond_ascii.1),
        );
        let both: Vec<u32> = under_upper
            .iter()
            .copied()
            .filter(|other| under_fold.contains(other))
            .collect();
        let single = under_upper
            .iter()
            .chain(&under_fold)
            .copied()
            .filter(|other| !both.contains(other))
            .collect();
        (both, single)
    }

    /// [`ScopeTable::ancestors`] when every scope is ASCII: one text, one key.
    fn ascii_ancestors(&self, scope: &Scope) -> Ancestry {
        let text = scope.as_str();
        let segments = Segments::of(text);
        let mut ancestry = Ancestry {
            chain: Vec::with_capacity(8),
            ..Ancestry::default()
        };
        let mut kept = Some(segments.names().len());
        while let Some(count) = kept {
            let prefix = text.get(..segments.prefix_len(count)).unwrap_or("/");
            if let Some(&id) = self.ids.get(prefix) {
                ancestry.exact |= count == segments.names().len();
                ancestry.chain.push(id);
                let above = self.info.get(id as usize).and_then(|i| i.hierarchy_parent);
                if let Some(group) = above {
                    // Every scope is ASCII here: no spelling matches under one mapping only,
                    // which would otherwise join the grants' chain.
                    debug_assert!(self.beyond_ascii.0.is_empty());
                    self.follow_hierarchy(group, &mut ancestry.chain, None);
                    break;
                }
            }
            kept = segments.names().get(..count).and_then(parent_segments);
        }
        ancestry
    }

    /// [`ScopeTable::ancestors`] beyond ASCII: each prefix of the request's scope is looked up
    /// under both case mappings ([decision R15](crate::spec::decisions#decision-r15)).
    fn mapped_ancestors(&self, scope: &Scope) -> Ancestry {
        let (upper, fold) = (scope.upper_key(), scope.fold_key());
        let (upper_segments, fold_segments) = (Segments::of(&upper), Segments::of(&fold));
        let segments = Segments::of(scope.as_str());
        let full = segments.names().len();
        // The scopes whose key under one mapping is `key`: ASCII ones by their text, the
        // others by their key.
        let matching = |key: &str, by_key: &ByKey| -> Vec<u32> {
            let mut ids: Vec<u32> = self.ids.get(key).copied().into_iter().collect();
            for &id in by_key.get(key).map_or(&[][..], Vec::as_slice) {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            ids
        };
        let prefix = |text: &'_ Cow<'_, str>, segments: &Segments<'_>, count: usize| {
            text.get(..segments.prefix_len(count))
                .unwrap_or("/")
                .to_owned()
        };
        let mut ancestry = Ancestry::default();
        let mut kept = Some(full);
        while let Some(count) = kept {
            let under_upper = matching(
                &prefix(&upper, &upper_segments, count),
                &self.beyond_ascii.0,
            );
            let under_fold = matching(&prefix(&fold, &fold_segments, count), &self.beyond_ascii.1);
            let (mut group, mut group_one) = (None, None);
            for &id in under_upper.iter().chain(&under_fold) {
                let both = under_upper.contains(&id) && under_fold.contains(&id);
                let list = if both {
                    &mut ancestry.chain
                } else {
                    &mut ancestry.deny_only
                };
                if list.contains(&id) {
                    continue;
                }
                list.push(id);
                if count == full {
                    if both && ancestry.chain.len() == 1 {
                        ancestry.exact = true;
                    } else {
                        ancestry.at_scope.push(id);
                    }
                }
                let above = self.info.get(id as usize).and_then(|i| i.hierarchy_parent);
                if both {
                    group = group.or(above);
                } else {
                    group_one = group_one.or(above);
                }
            }
            if let Some(above) = group_one {
                // Management groups above a scope that matches under one mapping only:
                // their denies apply, their grants do not.
                self.follow_hierarchy(above, &mut ancestry.deny_only, None);
            }
            if let Some(above) = group {
                self.follow_hierarchy(above, &mut ancestry.chain, Some(&mut ancestry.deny_only));
                break;
            }
            kept = segments.names().get(..count).and_then(parent_segments);
        }
        let chain = &ancestry.chain;
        ancestry.deny_only.retain(|id| !chain.contains(id));
        ancestry
    }

    /// Management groups from `group` up, then the root. Beyond ASCII, a group is also reached
    /// in its other spellings ([decision R15](crate::spec::decisions#decision-r15)): those that
    /// are it under both case mappings join `chain`, with the groups above them; those that are
    /// it under one mapping only join `one` (where only denies apply), or `chain` when `chain`
    /// is itself where only denies apply (`one` is `None`).
    fn follow_hierarchy(&self, group: u32, chain: &mut Vec<u32>, mut one: Option<&mut Vec<u32>>) {
        let mut next = Some(group);
        let mut single_above = Vec::new();
        while let Some(id) = next {
            if chain.contains(&id) || chain.len() > 64 {
                break;
            }
            chain.push(id);
            let parent = |id: u32| self.info.get(id as usize).and_then(|i| i.hierarchy_parent);
            let mut above = parent(id);
            if !self.beyond_ascii.0.is_empty() {
                let (both, single) = self.spellings(id);
                for other in both {
                    if !chain.contains(&other) {
                        chain.push(other);
                    }
                    above = above.or(parent(other));
                }
                for other in single {
                    let list = match one.as_deref_mut() {
                        Some(list) => list,
                        None => &mut *chain,
                    };
                    if !list.contains(&other) {
                        list.push(other);
                    }
                    single_above.extend(parent(other));
                }
            }
            next = above;
        }
        // Above a spelling that matches under one mapping only, only denies apply.
        for above in single_above {
            match one.as_deref_mut() {
                Some(list) => self.follow_hierarchy(above, list, None),
                None => self.follow_hierarchy(above, chain, None),
            }
        }
        if let Some(&root) = self.ids.get("/")
            && !chain.contains(&root)
        {
            chain.push(root);
        }
    }
}
