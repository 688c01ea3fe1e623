//! The authorizer (RBAC.md §1.4 with decisions 14 and R1–R12): a [`World`] of roles, role
//! assignments, deny assignments and a management-group hierarchy decides an
//! [`AccessRequest`] and says why.
//!
//! Deny assignments come first; then the assignments of the principal and its groups at the
//! scope or above; a role grants the action through a permission block whose actions (or data
//! actions) match and whose `not` list does not, and whose condition, if any, is true; the
//! assignment's condition must also be true. PIM-eligible assignments grant nothing. Every
//! condition is compiled once per distinct text.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;

use serde_json::Value;
use uuid::Uuid;

use super::assignment::ALL_PRINCIPALS;
use super::scope::{Segments, parent_segments};
use super::{DenyAssignment, Hierarchy, InputError, PrincipalType, RoleAssignment, Scope};
use crate::catalog::{Catalog, RoleDefinition, RoleError, builtin_roles};
use crate::eval::{Program, Request, Trace};
use crate::hash::FastMap;
use crate::syntax::AttributeSource;

/// A request to decide: who, where, and the evaluation request (action, attributes).
#[derive(Clone, Debug)]
pub struct AccessRequest {
    /// The caller.
    pub principal_id: Uuid,
    /// The caller's type, when known.
    pub principal_type: Option<PrincipalType>,
    /// The caller's groups, transitively.
    pub group_ids: Vec<Uuid>,
    /// The scope acted on.
    pub scope: Scope,
    /// The action (or data action), suboperations and attributes.
    pub request: Request,
}

impl AccessRequest {
    /// Reads the JSON form: the evaluation request of `azabac eval` plus `principalId`,
    /// `principalType`, `groupIds` and `scope`.
    pub fn from_value(value: &Value, catalog: &Catalog) -> Result<AccessRequest, InputError> {
        let Value::Object(object) = value else {
            return Err(InputError::expected("$", "an object", value));
        };
        let mut rest = object.clone();
        let mut take_string = |name: &str| -> Result<Option<String>, InputError> {
            match rest.remove(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s)),
                Some(other) => Err(InputError::expected(
                    &format!("$.{name}"),
                    "a string",
                    &other,
                )),
            }
        };
        let principal = take_string("principalId")?
            .ok_or_else(|| InputError::new("$", "missing `principalId`".into()))?;
        let principal_id = Uuid::parse_str(principal.trim()).map_err(|_| {
            InputError::new("$.principalId", format!("`{principal}` is not a GUID"))
        })?;
        let principal_type = take_string("principalType")?
            .map(|t| PrincipalType::parse(&t))
            .transpose()
            .map_err(|m| InputError::new("$.principalType", m))?;
        let scope_text =
            take_string("scope")?.ok_or_else(|| InputError::new("$", "missing `scope`".into()))?;
        let scope = Scope::parse(&scope_text).map_err(|m| InputError::new("$.scope", m))?;
        let group_ids = match rest.remove("groupIds") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let path = format!("$.groupIds[{i}]");
                    match item {
                        Value::String(s) => Uuid::parse_str(s.trim())
                            .map_err(|_| InputError::new(&path, format!("`{s}` is not a GUID"))),
                        other => Err(InputError::expected(&path, "a GUID string", other)),
                    }
                })
                .collect::<Result<_, _>>()?,
            Some(other) => {
                return Err(InputError::expected(
                    "$.groupIds",
                    "an array of GUIDs",
                    &other,
                ));
            }
        };
        if !rest.contains_key("action") && !rest.contains_key("dataAction") {
            return Err(InputError::new(
                "$",
                "missing `action` (or `dataAction`)".into(),
            ));
        }
        let request = Request::from_value(&Value::Object(rest), catalog)
            .map_err(|e| InputError::new(&e.path, e.message))?;
        Ok(AccessRequest {
            principal_id,
            principal_type,
            group_ids,
            scope,
            request,
        })
    }
}

/// The evaluation request of `Microsoft.Authorization/roleAssignments/write` that assigns the
/// role `role` to the principal `to` of type `kind`, with the request attributes Azure fills
/// from the assignment's body (RBAC.md §1.6); what is not given is left out, as a client that
/// omits it leaves it out.
pub fn assignment_write_request(
    role: Option<Uuid>,
    to: Option<Uuid>,
    kind: Option<PrincipalType>,
) -> Request {
    const PREFIX: &str = "Microsoft.Authorization/roleAssignments";
    let mut request = Request::new(format!("{PREFIX}/write"));
    let guid = |id: Uuid| crate::eval::Value::Guid(id.as_u128());
    if let Some(role) = role {
        request = request.with(
            AttributeSource::Request,
            &format!("{PREFIX}:RoleDefinitionId"),
            guid(role),
        );
    }
    if let Some(to) = to {
        request = request.with(
            AttributeSource::Request,
            &format!("{PREFIX}:PrincipalId"),
            guid(to),
        );
    }
    if let Some(kind) = kind {
        request = request.with(
            AttributeSource::Request,
            &format!("{PREFIX}:PrincipalType"),
            crate::eval::Value::string(kind.as_str()),
        );
    }
    request
}

/// The outcome of one condition.
#[derive(Clone, Debug)]
pub struct ConditionResult<'w> {
    /// The condition's text.
    pub text: &'w str,
    /// Its value (false on an evaluation error).
    pub result: bool,
    /// The evaluation error, if any.
    pub error: Option<String>,
    /// The trace, when asked for.
    pub trace: Option<Trace>,
}

/// What one candidate assignment did for the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CandidateResult {
    /// It grants the action and its conditions hold.
    Granted,
    /// Its role grants the action, but a condition is false.
    ConditionFalse,
    /// Its role does not grant the action.
    ActionNotGranted,
    /// It is PIM-eligible, not active, so it grants nothing.
    Eligible,
}

impl CandidateResult {
    /// `granted`, `conditionFalse`, `actionNotGranted` or `eligible`.
    pub fn as_str(self) -> &'static str {
        match self {
            CandidateResult::Granted => "granted",
            CandidateResult::ConditionFalse => "conditionFalse",
            CandidateResult::ActionNotGranted => "actionNotGranted",
            CandidateResult::Eligible => "eligible",
        }
    }
}

/// An assignment of the caller (or one of its groups) at the scope or above. It borrows from
/// the [`World`], so a decision allocates nothing per candidate.
#[derive(Clone, Debug)]
pub struct Candidate<'w> {
    /// The assignment.
    pub assignment: &'w RoleAssignment,
    /// Its role.
    pub role: &'w RoleDefinition,
    /// The group it is assigned to, when not to the caller directly.
    pub via_group: Option<Uuid>,
    /// What it did.
    pub result: CandidateResult,
    /// The condition of the role's granting permission block, if it has one.
    pub role_condition: Option<ConditionResult<'w>>,
    /// The assignment's own condition, if it has one and was reached.
    pub condition: Option<ConditionResult<'w>>,
}

/// A decision and its reason.
#[derive(Clone, Debug)]
pub struct Decision<'w> {
    /// Whether the request is allowed.
    pub allowed: bool,
    /// Why, in a sentence.
    pub reason: String,
    /// The deny assignment that blocked it, if one did.
    pub deny: Option<&'w DenyAssignment>,
    /// Every assignment of the caller and its groups at the scope or above, in input order.
    pub candidates: Vec<Candidate<'w>>,
}

/// Builds a [`World`] from input files.
#[derive(Default)]
pub struct WorldBuilder {
    roles: Vec<RoleDefinition>,
    assignments: Vec<RoleAssignment>,
    deny: Vec<DenyAssignment>,
    hierarchy: Hierarchy,
}

impl WorldBuilder {
    /// Adds custom role definitions (one, an array, or `{"value": [...]}`).
    pub fn roles(mut self, value: &Value) -> Result<WorldBuilder, InputError> {
        for (path, item) in super::assignment::items(value) {
            let role = RoleDefinition::from_value(item.clone())
                .map_err(|RoleError(m)| InputError::new(&path, m))?;
            self.roles.push(role);
        }
        Ok(self)
    }

    /// Adds role assignments.
    pub fn assignments(mut self, value: &Value) -> Result<WorldBuilder, InputError> {
        self.assignments.extend(RoleAssignment::read_all(value)?);
        Ok(self)
    }

    /// Adds deny assignments.
    pub fn deny_assignments(mut self, value: &Value) -> Result<WorldBuilder, InputError> {
        self.deny.extend(DenyAssignment::read_all(value)?);
        Ok(self)
    }

    /// Sets the management-group hierarchy.
    pub fn hierarchy(mut self, value: &Value) -> Result<WorldBuilder, InputError> {
        self.hierarchy = Hierarchy::from_value(value)?;
        Ok(self)
    }

    /// Resolves roles, indexes assignments and compiles every condition once.
    pub fn build(self, catalog: &Catalog) -> Result<World, InputError> {
        let builtin = builtin_roles().map_err(|RoleError(m)| InputError::new("$", m))?;
        let mut roles: Vec<Cow<'static, RoleDefinition>> =
            builtin.iter().map(Cow::Borrowed).collect();
        roles.extend(self.roles.into_iter().map(Cow::Owned));
        let mut role_by_id = HashMap::new();
        // Custom roles come last and win: a file may redefine a built-in role's permissions.
        for (index, role) in roles.iter().enumerate() {
            if let Some(id) = role.id {
                role_by_id.insert(id, index);
            }
        }
        let mut world = World {
            roles,
            role_by_id,
            assignments: Vec::with_capacity(self.assignments.len()),
            by_principal: FastMap::default(),
            scopes: ScopeTable::default(),
            deny: self.deny,
            hierarchy: self.hierarchy,
            programs: Vec::new(),
            program_of: HashMap::new(),
            role_conditions: HashMap::new(),
            deny_conditions: Vec::new(),
        };
        // Every management group and subscription of the hierarchy, with its parent.
        let links: Vec<(Scope, Scope)> = world
            .hierarchy
            .links()
            .map(|(child, parent)| (child.clone(), parent.clone()))
            .collect();
        for (child, parent) in links {
            let parent = world.scopes.intern(&parent);
            let child = world.scopes.intern(&child);
            if let Some(info) = world.scopes.info.get_mut(child as usize) {
                info.hierarchy_parent = Some(parent);
            }
        }
        for assignment in self.assignments {
            let path = format!("assignment {}", assignment.id);
            let Some(&role) = world.role_by_id.get(&assignment.role_definition_id) else {
                return Err(InputError::new(
                    &path,
                    format!(
                        "role definition {} is neither built in nor in the given roles",
                        assignment.role_definition_id
                    ),
                ));
            };
            world.compile_role(role, catalog)?;
            let condition = assignment
                .condition
                .as_deref()
                .map(|text| world.compile(text, catalog, &path))
                .transpose()?;
            let index = index32(world.assignments.len(), &path)?;
            let scope = world.scopes.intern(&assignment.scope);
            world
                .by_principal
                .entry(assignment.principal_id)
                .or_default()
                .push((scope, index));
            world.assignments.push(Indexed {
                role,
                condition,
                assignment,
            });
        }
        for index in 0..world.deny.len() {
            let Some(deny) = world.deny.get(index) else {
                continue;
            };
            let path = format!("deny assignment {}", deny.id);
            let scope = deny.scope.clone();
            let condition = deny.condition.clone();
            let blocks: Vec<Option<String>> = deny
                .permissions
                .iter()
                .map(|p| p.condition.clone())
                .collect();
            let own = condition
                .map(|text| world.compile(&text, catalog, &path))
                .transpose()?;
            let mut per_block = Vec::with_capacity(blocks.len());
            for block in blocks {
                per_block.push(
                    block
                        .map(|text| world.compile(&text, catalog, &path))
                        .transpose()?,
                );
            }
            world.deny_conditions.push((own, per_block));
            let id = world.scopes.intern(&scope);
            let index = index32(index, &path)?;
            if let Some(info) = world.scopes.info.get_mut(id as usize) {
                info.deny.push(index);
            }
        }
        Ok(world)
    }
}

/// A typical assignment id's length, to size a decision's reason.
const ASSIGNMENT_ID_GUESS: usize = 120;

fn index32(index: usize, path: &str) -> Result<u32, InputError> {
    u32::try_from(index).map_err(|_| InputError::new(path, "too many assignments".into()))
}

/// Every scope that holds an assignment or a deny assignment or appears in the hierarchy,
/// numbered, so that a decision compares scopes as integers.
#[derive(Debug, Default)]
struct ScopeTable {
    ids: FastMap<Box<str>, u32>,
    info: Vec<ScopeInfo>,
}

#[derive(Debug, Default)]
struct ScopeInfo {
    /// The management group above a subscription or management group, from the hierarchy.
    hierarchy_parent: Option<u32>,
    /// The deny assignments at this scope.
    deny: Vec<u32>,
}

impl ScopeTable {
    fn intern(&mut self, scope: &Scope) -> u32 {
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
    fn ancestors(&self, scope: &Scope) -> (Vec<u32>, bool) {
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

/// An assignment with what a decision needs, resolved once.
#[derive(Debug)]
struct Indexed {
    assignment: RoleAssignment,
    /// Index of its role in `World::roles`.
    role: usize,
    /// Its condition's program.
    condition: Option<usize>,
}

/// Roles, assignments, deny assignments and the hierarchy, indexed, with every condition
/// compiled. Immutable once built; `Send + Sync`.
#[derive(Debug)]
pub struct World {
    roles: Vec<Cow<'static, RoleDefinition>>,
    role_by_id: HashMap<Uuid, usize>,
    assignments: Vec<Indexed>,
    /// Each principal's assignments (scope number, assignment index), in input order.
    by_principal: FastMap<Uuid, Vec<(u32, u32)>>,
    scopes: ScopeTable,
    deny: Vec<DenyAssignment>,
    hierarchy: Hierarchy,
    programs: Vec<Program>,
    program_of: HashMap<String, usize>,
    /// Per role (by index): each permission block's condition program.
    role_conditions: HashMap<usize, Vec<Option<usize>>>,
    /// Per deny assignment: its own condition and each block's.
    deny_conditions: Vec<(Option<usize>, Vec<Option<usize>>)>,
}

impl World {
    /// A world of built-in roles only, with no assignments.
    pub fn builder() -> WorldBuilder {
        WorldBuilder::default()
    }

    fn compile(&mut self, text: &str, catalog: &Catalog, path: &str) -> Result<usize, InputError> {
        if let Some(&index) = self.program_of.get(text) {
            return Ok(index);
        }
        let program = Program::from_source(text, catalog).map_err(|diagnostics| {
            InputError::new(
                path,
                crate::diagnostic::rejection_summary(&diagnostics, text),
            )
        })?;
        self.programs.push(program);
        let index = self.programs.len() - 1;
        self.program_of.insert(text.to_owned(), index);
        Ok(index)
    }

    fn compile_role(&mut self, role: usize, catalog: &Catalog) -> Result<(), InputError> {
        if self.role_conditions.contains_key(&role) {
            return Ok(());
        }
        let Some(definition) = self.roles.get(role) else {
            return Ok(());
        };
        let path = format!("role {}", definition.role_name);
        let texts: Vec<Option<String>> = definition
            .permissions
            .iter()
            .map(|p| p.condition.clone())
            .collect();
        let mut programs = Vec::with_capacity(texts.len());
        for text in texts {
            programs.push(text.map(|t| self.compile(&t, catalog, &path)).transpose()?);
        }
        self.role_conditions.insert(role, programs);
        Ok(())
    }

    /// Every role: built in, then custom.
    pub fn roles(&self) -> impl Iterator<Item = &RoleDefinition> {
        self.roles.iter().map(|r| &**r)
    }

    /// A role by GUID or name (ignoring case); custom roles win over built-in ones.
    pub fn find_role(&self, name_or_guid: &str) -> Option<&RoleDefinition> {
        let text = name_or_guid.trim();
        let guid = Uuid::parse_str(text.rsplit('/').next().unwrap_or_default()).ok();
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

    /// An assignment by its id or name (the trailing GUID of its id), ignoring case.
    pub fn find_assignment(&self, id: &str) -> Option<&RoleAssignment> {
        let wanted = id.trim();
        self.assignments().find(|a| {
            a.id.eq_ignore_ascii_case(wanted)
                || a.id
                    .rsplit('/')
                    .next()
                    .is_some_and(|name| name.eq_ignore_ascii_case(wanted))
        })
    }

    /// The role assignments, in input order.
    pub fn assignments(&self) -> impl ExactSizeIterator<Item = &RoleAssignment> {
        self.assignments.iter().map(|a| &a.assignment)
    }

    /// The management-group hierarchy.
    pub fn hierarchy(&self) -> &Hierarchy {
        &self.hierarchy
    }

    fn condition(&self, program: usize, request: &Request, trace: bool) -> ConditionResult<'_> {
        let Some(program) = self.programs.get(program) else {
            return ConditionResult {
                text: "",
                result: false,
                error: Some("no such condition".into()),
                trace: None,
            };
        };
        let (result, error, trace) = if trace {
            let trace = program.trace(request);
            (trace.result, trace.error, Some(trace))
        } else {
            let outcome = program.run(request);
            (outcome.result, outcome.error, None)
        };
        ConditionResult {
            text: program.source(),
            result,
            error: error.map(|e| e.to_string()),
            trace,
        }
    }

    /// Decides many requests on up to `threads` threads; the decisions come in input order.
    /// Should a worker fail (a bug), every decision is a deny.
    pub fn decide_all(
        &self,
        requests: &[AccessRequest],
        threads: std::num::NonZeroUsize,
    ) -> Vec<Decision<'_>> {
        crate::parallel::map(requests, threads, |access| self.decide(access, false)).unwrap_or_else(
            || {
                requests
                    .iter()
                    .map(|_| Decision {
                        allowed: false,
                        reason: "internal error: a worker failed".into(),
                        deny: None,
                        candidates: Vec::new(),
                    })
                    .collect()
            },
        )
    }

    /// The deny assignment that applies to the request, if any (RBAC.md §1.4 steps 3–4).
    fn denied_by(
        &self,
        access: &AccessRequest,
        ancestors: &[u32],
        exact: bool,
    ) -> Option<&DenyAssignment> {
        let request = &access.request;
        let action = request.action_key();
        let data = request.is_data_action();
        let is_caller = |id: &Uuid| *id == access.principal_id || access.group_ids.contains(id);
        // A deny condition that fails to evaluate still denies (decision R2).
        let holds = |program: &Option<usize>| {
            program.is_none_or(|p| {
                let outcome = self.programs.get(p).map(|p| p.run(request));
                outcome.is_none_or(|o| o.result || o.error.is_some())
            })
        };
        for (depth, &scope) in ancestors.iter().enumerate() {
            let at_scope = depth == 0 && exact;
            let Some(info) = self.scopes.info.get(scope as usize) else {
                continue;
            };
            for &index in &info.deny {
                let (Some(deny), Some((own, blocks))) = (
                    self.deny.get(index as usize),
                    self.deny_conditions.get(index as usize),
                ) else {
                    continue;
                };
                if !at_scope && deny.do_not_apply_to_child_scopes {
                    continue;
                }
                let named = deny
                    .principals
                    .iter()
                    .any(|p| *p == ALL_PRINCIPALS || is_caller(p));
                if !named || deny.exclude_principals.iter().any(is_caller) {
                    continue;
                }
                let denies_action =
                    deny.permissions
                        .iter()
                        .zip(blocks)
                        .any(|(block, condition)| {
                            block.grants_lowercase(action, data) && holds(condition)
                        });
                if denies_action && holds(own) {
                    return Some(deny);
                }
            }
        }
        None
    }

    /// Decides a request: deny assignments, then the caller's and its groups' assignments at
    /// the scope or above, their roles and their conditions. With `trace`, every condition
    /// evaluated carries its trace.
    pub fn decide(&self, access: &AccessRequest, trace: bool) -> Decision<'_> {
        let request = &access.request;
        let action = request.action_key();
        let data = request.is_data_action();
        let (ancestors, exact) = self.scopes.ancestors(&access.scope);

        if let Some(deny) = self.denied_by(access, &ancestors, exact) {
            return Decision {
                allowed: false,
                reason: format!(
                    "denied by deny assignment {} at {}",
                    deny.name.as_deref().unwrap_or(&deny.id),
                    deny.scope
                ),
                deny: Some(deny),
                candidates: Vec::new(),
            };
        }

        // The caller's and its groups' assignments at the scope or above (steps 5–9).
        let mut indices: Vec<u32> = Vec::new();
        for principal in std::iter::once(&access.principal_id).chain(&access.group_ids) {
            for &(scope, index) in self
                .by_principal
                .get(principal)
                .map_or(&[][..], Vec::as_slice)
            {
                if ancestors.contains(&scope) {
                    indices.push(index);
                }
            }
        }
        indices.sort_unstable();
        indices.dedup();
        let mut candidates = Vec::with_capacity(indices.len());
        for index in indices {
            let Some(indexed) = self.assignments.get(index as usize) else {
                continue;
            };
            let Some(role) = self.roles.get(indexed.role) else {
                continue;
            };
            let assignment = &indexed.assignment;
            let mut candidate = Candidate {
                assignment,
                role,
                via_group: (assignment.principal_id != access.principal_id)
                    .then_some(assignment.principal_id),
                result: CandidateResult::ActionNotGranted,
                role_condition: None,
                condition: None,
            };
            let block_conditions = self.role_conditions.get(&indexed.role);
            let mut granting = role
                .permissions
                .iter()
                .enumerate()
                .filter(|(_, p)| p.grants_lowercase(action, data))
                .map(|(i, _)| block_conditions.and_then(|c| c.get(i)).copied().flatten())
                .peekable();
            if granting.peek().is_none() {
                candidates.push(candidate);
                continue;
            }
            if assignment.eligible {
                candidate.result = CandidateResult::Eligible;
                candidates.push(candidate);
                continue;
            }
            // A role grants through any block whose condition holds (decision 14).
            let mut role_ok = false;
            for condition in granting {
                match condition {
                    None => {
                        role_ok = true;
                        candidate.role_condition = None;
                        break;
                    }
                    Some(program) => {
                        let result = self.condition(program, request, trace);
                        let holds = result.result;
                        candidate.role_condition = Some(result);
                        if holds {
                            role_ok = true;
                            break;
                        }
                    }
                }
            }
            let own_ok = match (role_ok, indexed.condition) {
                (false, _) => false,
                (true, None) => true,
                (true, Some(program)) => {
                    let result = self.condition(program, request, trace);
                    let holds = result.result;
                    candidate.condition = Some(result);
                    holds
                }
            };
            candidate.result = if own_ok {
                CandidateResult::Granted
            } else {
                CandidateResult::ConditionFalse
            };
            candidates.push(candidate);
        }

        let kind = if data { "data action" } else { "action" };
        let action = request.action();
        let granted = candidates
            .iter()
            .find(|c| c.result == CandidateResult::Granted);
        // One allocation, sized for the longest sentence; writing to a String cannot fail.
        let mut reason = String::with_capacity(
            160 + action.len() + access.scope.as_str().len().max(2 * ASSIGNMENT_ID_GUESS),
        );
        let _ = match granted {
            Some(c) => {
                let _ = write!(
                    reason,
                    "granted by {} (assignment {} at {}",
                    c.role.role_name, c.assignment.id, c.assignment.scope
                );
                match c.via_group {
                    Some(group) => write!(reason, ", through group {group})"),
                    None => write!(reason, ")"),
                }
            }
            None if candidates
                .iter()
                .any(|c| c.result == CandidateResult::ConditionFalse) =>
            {
                write!(
                    reason,
                    "roles grant {kind} {action} at {}, but every granting assignment's condition is false",
                    access.scope
                )
            }
            None if candidates
                .iter()
                .any(|c| c.result == CandidateResult::Eligible) =>
            {
                write!(
                    reason,
                    "only PIM-eligible assignments grant {kind} {action} at {}; eligible assignments grant nothing until activated",
                    access.scope
                )
            }
            None => write!(reason, "no role grants {kind} {action} at {}", access.scope),
        };
        Decision {
            allowed: granted.is_some(),
            reason,
            deny: None,
            candidates,
        }
    }
}
