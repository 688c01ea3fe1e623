//! The authorizer ([RBAC.md §1.4](crate::spec::rbac#section-1-4) with decisions
//! [14](crate::spec::decisions#decision-14) and
//! [R1](crate::spec::decisions#decision-r1)–[R12](crate::spec::decisions#decision-r12)): a
//! [`World`] of roles, role assignments, deny assignments and a management-group hierarchy decides
//! an [`AccessRequest`] and says why.
//!
//! Deny assignments come first; then the assignments of the principal and its groups at the
//! scope or above; a role grants the action through a permission block whose actions (or data
//! actions) match and whose `not` list does not, and whose condition, if any, is true; the
//! assignment's condition must also be true. PIM-eligible assignments grant nothing. Every
//! condition is compiled once per distinct text.
//!
//! - this module: the [`World`], indexed, and what it answers besides decisions;
//! - [`build`]: the [`WorldBuilder`], from the JSON of roles, assignments, deny assignments
//!   and the hierarchy;
//! - [`scopes`]: every scope that holds something, numbered, with its ancestors;
//! - [`decide`]: the [`AccessRequest`] and the decision procedure;
//! - [`decision`]: the [`Decision`] and what it says of each candidate assignment.

mod access;
mod build;
mod copies;
mod decide;
mod decision;
mod roles;
mod scopes;

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use uuid::Uuid;

pub use access::{AccessRequest, assignment_write_request};
pub use build::WorldBuilder;
pub use decision::{
    Candidate, CandidateResult, ConditionResult, Decision, DecisionWarning, Reason, Requested,
};
pub use roles::RoleWarning;
use scopes::ScopeTable;

use super::{DenyAssignment, Hierarchy, RoleAssignment, Scope};
use crate::catalog::{Permission, RoleDefinition};
use crate::eval::{Program, Request};
use rustc_hash::FxHashMap;

/// A permission block as decisions read it: what it grants or denies, with its condition
/// compiled. A condition lives with its block, so no block is read without its condition.
#[derive(Debug)]
struct Block {
    permission: Permission,
    condition: Option<Arc<Program>>,
    /// Whether a pattern of the block has a `*` between two `/`, which Azure may read two ways
    /// ([decision R18](crate::spec::decisions#decision-r18)), among its actions and its data
    /// actions: only such blocks are asked whether they read a request's action two ways.
    open: Open,
}

/// Which planes of a block have a pattern with a `*` between two `/`.
#[derive(Clone, Copy, Debug)]
struct Open {
    actions: bool,
    data_actions: bool,
}

impl Block {
    /// Whether the block's patterns for the plane `data` says may read an action two ways.
    fn open(&self, data: bool) -> bool {
        if data {
            self.open.data_actions
        } else {
            self.open.actions
        }
    }
}

/// An assignment with what a decision needs, resolved once.
#[derive(Debug)]
struct Indexed {
    assignment: RoleAssignment,
    /// Index of its role in `World::roles`.
    role: usize,
    /// Its role's permission blocks, compiled once per role and shared by its assignments.
    blocks: Arc<[Block]>,
    /// Its own condition, compiled.
    condition: Option<Arc<Program>>,
}

/// An attribute that some condition of the world reads and that Azure supplies on every
/// request of `operations`.
#[derive(Debug)]
struct AlwaysRead {
    slot: crate::eval::Slot,
    /// As a condition writes it: `@Resource[…]`.
    written: String,
    /// (action, suboperation), ASCII-lowercased.
    operations: Vec<(Box<str>, Option<Box<str>>)>,
}

impl AlwaysRead {
    /// Whether Azure would supply the attribute on `request`.
    fn supplied_on(&self, request: &Request) -> bool {
        let suboperations = request.suboperation_keys();
        self.operations.iter().any(|(action, suboperation)| {
            **action == *request.action_key()
                && match suboperation {
                    None => suboperations.is_empty(),
                    Some(name) => suboperations.contains(name),
                }
        })
    }
}

/// A deny assignment with its own condition and each block's compiled.
#[derive(Debug)]
struct Deny {
    assignment: DenyAssignment,
    condition: Option<Arc<Program>>,
    blocks: Vec<Block>,
}

/// Each principal's assignments as (scope number, assignment index), in input order, held in
/// one list sorted by principal, each principal's run found by its GUID. Against a list per
/// principal (100,000 small allocations scattered over the heap), one contiguous list keeps a
/// decision's reads together; measured in `docs/performance.md`.
#[derive(Debug, Default)]
struct ByPrincipal {
    runs: FxHashMap<Uuid, (u32, u32)>,
    entries: Vec<(u32, u32)>,
}

impl ByPrincipal {
    /// The index of `pairs`, each a principal with an assignment's scope number and index.
    fn of(mut pairs: Vec<(Uuid, u32, u32)>) -> ByPrincipal {
        // By principal, then by assignment index: input order within a principal.
        pairs.sort_unstable_by_key(|&(principal, _, index)| (principal, index));
        let mut index = ByPrincipal {
            runs: FxHashMap::default(),
            entries: Vec::with_capacity(pairs.len()),
        };
        for (principal, scope, assignment) in pairs {
            let at = u32::try_from(index.entries.len()).unwrap_or(u32::MAX);
            index.entries.push((scope, assignment));
            index
                .runs
                .entry(principal)
                .and_modify(|(_, end)| *end = at.saturating_add(1))
                .or_insert((at, at.saturating_add(1)));
        }
        index
    }

    /// The assignments of `principal`, in input order.
    fn get(&self, principal: &Uuid) -> &[(u32, u32)] {
        self.runs
            .get(principal)
            .and_then(|&(start, end)| self.entries.get(start as usize..end as usize))
            .unwrap_or_default()
    }
}

/// Roles, assignments, deny assignments and the hierarchy, indexed, with every condition
/// compiled. Immutable once built; `Send + Sync`.
#[derive(Debug)]
pub struct World {
    roles: Vec<Cow<'static, RoleDefinition>>,
    role_by_id: HashMap<Uuid, usize>,
    assignments: Vec<Indexed>,
    /// Each principal's assignments (scope number, assignment index), in input order.
    by_principal: ByPrincipal,
    scopes: ScopeTable,
    deny: Vec<Deny>,
    /// The deny assignments at management-group scopes, which reach a subscription only
    /// through the hierarchy.
    group_denies: Vec<u32>,
    /// Whether some condition reads `@Environment[UtcNow]`, which a decision then supplies.
    reads_clock: bool,
    /// The attributes some condition reads that Azure supplies on every request of some operations:
    /// a request of those that omits one is an input error
    /// ([decision R13](crate::spec::decisions#decision-r13)).
    always_read: Vec<AlwaysRead>,
    hierarchy: Hierarchy,
    /// What the given roles said that azabac did not take as given.
    warnings: Vec<RoleWarning>,
}

impl World {
    /// A world of built-in roles only, with no assignments.
    pub fn builder() -> WorldBuilder {
        WorldBuilder::default()
    }

    /// Every role: built in, then custom.
    pub fn roles(&self) -> impl Iterator<Item = &RoleDefinition> {
        self.roles.iter().map(|r| &**r)
    }

    /// A role by GUID or name (ignoring case); custom roles win over built-in ones.
    pub fn find_role(&self, name_or_guid: &str) -> Option<&RoleDefinition> {
        let text = name_or_guid.trim();
        let guid = crate::id::role_definition_guid(text).ok();
        match guid {
            Some(guid) => self
                .role_by_id
                .get(&guid)
                .and_then(|&i| self.roles.get(i))
                .map(|r| &**r),
            None => self
                .roles
                .iter()
                .rev()
                .find(|r| r.role_name.eq_ignore_ascii_case(text))
                .map(|r| &**r),
        }
    }

    /// Why no role is named `name`: the message, with the nearest role name of the world
    /// (`Azure AI Users` → `Azure AI User`) when one is close.
    pub fn unknown_role(&self, name: &str) -> String {
        let names = self.roles.iter().map(|r| r.role_name.as_str());
        match crate::diagnostic::suggest::closest(name, names) {
            Some(close) => {
                format!("no built-in or given role is named `{name}`; did you mean `{close}`?")
            }
            None => format!("no built-in or given role is named `{name}`"),
        }
    }

    /// An assignment by its id or name (the trailing GUID of its id), ignoring case: the
    /// first that matches. [`World::find_assignments`] gives them all.
    pub fn find_assignment(&self, id: &str) -> Option<&RoleAssignment> {
        self.find_assignments(id).next()
    }

    /// Every assignment whose id or name (the trailing GUID of its id) is `id`, ignoring
    /// case, in input order: a name can match assignments at several scopes.
    pub fn find_assignments<'a>(
        &'a self,
        id: &str,
    ) -> impl Iterator<Item = &'a RoleAssignment> + 'a {
        let wanted = id.trim().to_owned();
        self.assignments().filter(move |a| {
            a.id.eq_ignore_ascii_case(&wanted)
                || a.id
                    .rsplit('/')
                    .next()
                    .is_some_and(|name| name.eq_ignore_ascii_case(&wanted))
        })
    }

    /// The role assignments, in input order.
    pub fn assignments(&self) -> impl ExactSizeIterator<Item = &RoleAssignment> {
        self.assignments.iter().map(|a| &a.assignment)
    }

    /// The warnings of building the world: given roles that differ from azabac's built-in
    /// definitions, and which definition is used.
    pub fn warnings(&self) -> &[RoleWarning] {
        &self.warnings
    }

    /// The deny assignments at management groups that the hierarchy does not mention: through
    /// it they reach no subscription, so they are worth a warning; a decision they could
    /// concern, for a subscription the hierarchy does not place, is an input error.
    pub fn unplaced_denies(&self) -> impl Iterator<Item = &DenyAssignment> {
        let placed = |scope: &Scope| {
            self.hierarchy
                .links()
                .any(|(child, parent)| child == scope || parent == scope)
        };
        self.group_denies
            .iter()
            .filter_map(|&index| self.deny.get(index as usize))
            .map(|deny| &deny.assignment)
            .filter(move |deny| !placed(&deny.scope))
    }

    /// The management-group hierarchy.
    pub fn hierarchy(&self) -> &Hierarchy {
        &self.hierarchy
    }

    /// Evaluates one condition of the world, with its trace when asked.
    fn condition<'w>(
        &self,
        program: &'w Program,
        request: &Request,
        trace: bool,
    ) -> ConditionResult<'w> {
        let (result, error, trace) = if trace {
            // Role GUIDs read are named after the world's roles, custom ones included.
            let names = |guid: u128| {
                self.role_by_id
                    .get(&Uuid::from_u128(guid))
                    .and_then(|&i| self.roles.get(i))
                    .map(|role| role.role_name.clone())
            };
            let trace = program.trace_naming(request, &names);
            (trace.result, trace.error, Some(trace))
        } else {
            let outcome = program.run(request);
            (outcome.result, outcome.error, None)
        };
        ConditionResult {
            text: program.source(),
            result,
            error,
            trace,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ByPrincipal;
    use uuid::Uuid;

    #[test]
    fn each_principal_keeps_its_assignments_in_input_order() {
        let (a, b, c) = (Uuid::from_u128(2), Uuid::from_u128(1), Uuid::from_u128(3));
        let index = ByPrincipal::of(vec![(a, 7, 0), (b, 1, 1), (a, 5, 2), (b, 1, 3), (a, 9, 4)]);
        assert_eq!(index.get(&a), [(7, 0), (5, 2), (9, 4)]);
        assert_eq!(index.get(&b), [(1, 1), (1, 3)]);
        assert!(index.get(&c).is_empty());
        assert!(ByPrincipal::of(Vec::new()).get(&a).is_empty());
    }
}
