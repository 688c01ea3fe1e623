//! Every scope that holds an assignment or a deny assignment or sits in the hierarchy,
//! numbered, so that a decision compares scopes as integers.

use crate::rbac::Scope;
use crate::rbac::scope::{Segments, parent_segments};
use rustc_hash::FxHashMap;

/// Every scope that holds an assignment or a deny assignment or appears in the hierarchy,
/// numbered, so that a decision compares scopes as integers.
#[derive(Debug, Default)]
pub(super) struct ScopeTable {
    pub(super) ids: FxHashMap<Box<str>, u32>,
    pub(super) info: Vec<ScopeInfo>,
}

#[derive(Debug, Default)]
pub(super) struct ScopeInfo {
    /// The management group above a subscription or management group, from the hierarchy.
    pub(super) hierarchy_parent: Option<u32>,
    /// The deny assignments at this scope.
    pub(super) deny: Vec<u32>,
}

impl ScopeTable {
    pub(super) fn intern(&mut self, scope: &Scope) -> u32 {
        if let Some(&id) = self.ids.get(scope.as_str()) {
            return id;
        }
        // More than four billion distinct scopes cannot be read into memory first.
        let id = u32::try_from(self.info.len()).unwrap_or(u32::MAX);
        self.ids.insert(scope.as_str().into(), id);
        self.info.push(ScopeInfo::default());
        id
    }

    /// The numbers of `scope` and of every known scope above it, nearest first, with whether
    /// the first is `scope` itself. Scopes that hold nothing are skipped: nothing can match
    /// them. Follows the hierarchy from the first subscription or management group it knows.
    pub(super) fn ancestors(&self, scope: &Scope) -> (Vec<u32>, bool) {
        let text = scope.as_str();
        let segments = Segments::of(text);
        let mut chain = Vec::with_capacity(8);
        let mut kept = Some(segments.names().len());
        let mut exact = false;
        while let Some(count) = kept {
            let prefix = text.get(..segments.prefix_len(count)).unwrap_or("/");
            if let Some(&id) = self.ids.get(prefix) {
                exact |= count == segments.names().len();
                chain.push(id);
                let above = self.info.get(id as usize).and_then(|i| i.hierarchy_parent);
                if let Some(group) = above {
                    self.follow_hierarchy(group, &mut chain);
                    break;
                }
            }
            kept = segments.names().get(..count).and_then(parent_segments);
        }
        (chain, exact)
    }

    /// Management groups from `group` up, then the root.
    fn follow_hierarchy(&self, group: u32, chain: &mut Vec<u32>) {
        let mut next = Some(group);
        while let Some(id) = next {
            if chain.contains(&id) || chain.len() > 64 {
                break;
            }
            chain.push(id);
            next = self.info.get(id as usize).and_then(|i| i.hierarchy_parent);
        }
        if let Some(&root) = self.ids.get("/")
            && !chain.contains(&root)
        {
            chain.push(root);
        }
    }
}
