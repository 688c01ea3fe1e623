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

use serde_json::Value;
use uuid::Uuid;

use super::assignment::ALL_PRINCIPALS;
use super::role::Permission;
use super::{
    DenyAssignment, Hierarchy, InputError, PrincipalType, RoleAssignment, RoleDefinition,
    RoleError, Scope, builtin_roles,
};
use crate::catalog::Catalog;
use crate::eval::{Program, Request, Trace};

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

/// The outcome of one condition.
#[derive(Clone, Debug)]
pub struct ConditionResult {
    /// The condition's text.
    pub text: String,
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

/// An assignment of the caller (or one of its groups) at the scope or above.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// The assignment's id.
    pub assignment: String,
    /// The role's name.
    pub role: String,
    /// The role's GUID.
    pub role_id: Uuid,
    /// The assignment's scope.
    pub scope: Scope,
    /// The group it is assigned to, when not to the caller directly.
    pub via_group: Option<Uuid>,
    /// What it did.
    pub result: CandidateResult,
    /// The condition of the role's granting permission block, if it has one.
    pub role_condition: Option<ConditionResult>,
    /// The assignment's own condition, if it has one and was reached.
    pub condition: Option<ConditionResult>,
}

/// The deny assignment that blocked a request.
#[derive(Clone, Debug)]
pub struct DenyMatch {
    /// Its id.
    pub id: String,
    /// Its display name, if any.
    pub name: Option<String>,
    /// Its scope.
    pub scope: Scope,
}

/// A decision and its reason.
#[derive(Clone, Debug)]
pub struct Decision {
    /// Whether the request is allowed.
    pub allowed: bool,
    /// Why, in a sentence.
    pub reason: String,
    /// The deny assignment that blocked it, if one did.
    pub deny: Option<DenyMatch>,
    /// Every assignment of the caller and its groups at the scope or above, in input order.
    pub candidates: Vec<Candidate>,
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
            assignments: self.assignments,
            by_principal: HashMap::new(),
            deny: self.deny,
            deny_by_scope: HashMap::new(),
            hierarchy: self.hierarchy,
            programs: Vec::new(),
            program_of: HashMap::new(),
            assignment_condition: Vec::new(),
            role_conditions: HashMap::new(),
            deny_conditions: Vec::new(),
        };
        for index in 0..world.assignments.len() {
            let Some(assignment) = world.assignments.get(index) else {
                continue;
            };
            let path = format!("assignment {}", assignment.id);
            let role_id = assignment.role_definition_id;
            let principal = assignment.principal_id;
            let condition = assignment.condition.clone();
            let Some(&role_index) = world.role_by_id.get(&role_id) else {
                return Err(InputError::new(
                    &path,
                    format!("role definition {role_id} is neither built in nor in the given roles"),
                ));
            };
            world.compile_role(role_index, catalog)?;
            let program = condition
                .map(|text| world.compile(&text, catalog, &path))
                .transpose()?;
            world.assignment_condition.push(program);
            world.by_principal.entry(principal).or_default().push(index);
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
            world.deny_by_scope.entry(scope).or_default().push(index);
        }
        Ok(world)
    }
}

/// Roles, assignments, deny assignments and the hierarchy, indexed, with every condition
/// compiled. Immutable once built; `Send + Sync`.
#[derive(Debug)]
pub struct World {
    roles: Vec<Cow<'static, RoleDefinition>>,
    role_by_id: HashMap<Uuid, usize>,
    assignments: Vec<RoleAssignment>,
    by_principal: HashMap<Uuid, Vec<usize>>,
    deny: Vec<DenyAssignment>,
    deny_by_scope: HashMap<Scope, Vec<usize>>,
    hierarchy: Hierarchy,
    programs: Vec<Program>,
    program_of: HashMap<String, usize>,
    /// Per assignment: its condition's program.
    assignment_condition: Vec<Option<usize>>,
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
            let first = diagnostics
                .iter()
                .find(|d| d.severity == crate::diagnostic::Severity::Error)
                .or(diagnostics.first());
            let (line, column) =
                first.map_or((1, 1), |d| crate::span::line_column(text, d.span.start));
            InputError::new(
                path,
                format!(
                    "invalid condition at {line}:{column}: {}{}",
                    first.map_or("", |d| d.code.as_str()),
                    first.map_or(String::new(), |d| format!(" {}", d.message))
                ),
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
        self.assignments.iter().find(|a| {
            a.id.eq_ignore_ascii_case(wanted)
                || a.id
                    .rsplit('/')
                    .next()
                    .is_some_and(|name| name.eq_ignore_ascii_case(wanted))
        })
    }

    /// The role assignments.
    pub fn assignments(&self) -> &[RoleAssignment] {
        &self.assignments
    }

    /// The management-group hierarchy.
    pub fn hierarchy(&self) -> &Hierarchy {
        &self.hierarchy
    }

    fn condition(&self, program: usize, request: &Request, trace: bool) -> ConditionResult {
        let Some(program) = self.programs.get(program) else {
            return ConditionResult {
                text: String::new(),
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
            text: program.source().to_owned(),
            result,
            error: error.map(|e| e.to_string()),
            trace,
        }
    }

    /// Decides a request: deny assignments, then the caller's and its groups' assignments at
    /// the scope or above, their roles and their conditions. With `trace`, every condition
    /// evaluated carries its trace.
    pub fn decide(&self, access: &AccessRequest, trace: bool) -> Decision {
        let request = &access.request;
        let action = request.action();
        let data = request.is_data_action();
        let ancestors = access.scope.ancestors(&self.hierarchy);
        let is_caller = |id: &Uuid| *id == access.principal_id || access.group_ids.contains(id);

        // Deny assignments first (RBAC.md §1.4 steps 3–4).
        for (depth, scope) in ancestors.iter().enumerate() {
            for &index in self.deny_by_scope.get(scope).map_or(&[][..], Vec::as_slice) {
                let (Some(deny), Some((own, blocks))) =
                    (self.deny.get(index), self.deny_conditions.get(index))
                else {
                    continue;
                };
                if depth > 0 && deny.do_not_apply_to_child_scopes {
                    continue;
                }
                let named = deny
                    .principals
                    .iter()
                    .any(|p| *p == ALL_PRINCIPALS || is_caller(p));
                if !named || deny.exclude_principals.iter().any(is_caller) {
                    continue;
                }
                // A deny condition that fails to evaluate still denies (decision R2).
                let holds = |program: &Option<usize>| {
                    program.is_none_or(|p| {
                        let outcome = self.programs.get(p).map(|p| p.run(request));
                        outcome.is_none_or(|o| o.result || o.error.is_some())
                    })
                };
                let denies_action = deny
                    .permissions
                    .iter()
                    .zip(blocks)
                    .any(|(block, condition)| block.grants(action, data) && holds(condition));
                if denies_action && holds(own) {
                    let name = deny.name.clone();
                    return Decision {
                        allowed: false,
                        reason: format!(
                            "denied by deny assignment {} at {}",
                            name.as_deref().unwrap_or(&deny.id),
                            deny.scope
                        ),
                        deny: Some(DenyMatch {
                            id: deny.id.clone(),
                            name,
                            scope: deny.scope.clone(),
                        }),
                        candidates: Vec::new(),
                    };
                }
            }
        }

        // The caller's and its groups' assignments at the scope or above (steps 5–9).
        let mut indices: Vec<usize> = std::iter::once(&access.principal_id)
            .chain(&access.group_ids)
            .filter_map(|p| self.by_principal.get(p))
            .flatten()
            .copied()
            .filter(|&i| {
                self.assignments
                    .get(i)
                    .is_some_and(|a| ancestors.contains(&a.scope))
            })
            .collect();
        indices.sort_unstable();
        indices.dedup();
        let mut candidates = Vec::with_capacity(indices.len());
        for index in indices {
            let Some(assignment) = self.assignments.get(index) else {
                continue;
            };
            let Some((role_index, role)) = self
                .role_by_id
                .get(&assignment.role_definition_id)
                .and_then(|&i| Some((i, self.roles.get(i)?)))
            else {
                continue;
            };
            let mut candidate = Candidate {
                assignment: assignment.id.clone(),
                role: role.role_name.clone(),
                role_id: assignment.role_definition_id,
                scope: assignment.scope.clone(),
                via_group: (assignment.principal_id != access.principal_id)
                    .then_some(assignment.principal_id),
                result: CandidateResult::ActionNotGranted,
                role_condition: None,
                condition: None,
            };
            let block_conditions = self.role_conditions.get(&role_index);
            let granting: Vec<(&Permission, Option<usize>)> = role
                .permissions
                .iter()
                .enumerate()
                .filter(|(_, p)| p.grants(action, data))
                .map(|(i, p)| {
                    let condition = block_conditions.and_then(|c| c.get(i)).copied().flatten();
                    (p, condition)
                })
                .collect();
            if granting.is_empty() {
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
            for (_, condition) in &granting {
                match condition {
                    None => {
                        role_ok = true;
                        candidate.role_condition = None;
                        break;
                    }
                    Some(program) => {
                        let result = self.condition(*program, request, trace);
                        let holds = result.result;
                        candidate.role_condition = Some(result);
                        if holds {
                            role_ok = true;
                            break;
                        }
                    }
                }
            }
            let own_ok = match (
                role_ok,
                self.assignment_condition.get(index).copied().flatten(),
            ) {
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
        let granted = candidates
            .iter()
            .find(|c| c.result == CandidateResult::Granted);
        let reason = match granted {
            Some(c) => format!(
                "granted by {} (assignment {} at {}{})",
                c.role,
                c.assignment,
                c.scope,
                c.via_group
                    .map(|g| format!(", through group {g}"))
                    .unwrap_or_default()
            ),
            None if candidates
                .iter()
                .any(|c| c.result == CandidateResult::ConditionFalse) =>
            {
                format!(
                    "roles grant {kind} {action} at {}, but every granting assignment's condition is false",
                    access.scope
                )
            }
            None if candidates
                .iter()
                .any(|c| c.result == CandidateResult::Eligible) =>
            {
                format!(
                    "only PIM-eligible assignments grant {kind} {action} at {}; eligible assignments grant nothing until activated",
                    access.scope
                )
            }
            None => format!("no role grants {kind} {action} at {}", access.scope),
        };
        Decision {
            allowed: granted.is_some(),
            reason,
            deny: None,
            candidates,
        }
    }
}
