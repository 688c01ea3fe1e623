//! Role assignments and deny assignments, read from the shapes `az` and the ARM API print:
//! `az role assignment list` (flat objects) and ARM resources (`{"id", "name", "properties":
//! {...}}`), one object, an array, or an ARM list (`{"value": [...]}`).

use serde_json::{Map, Value};
use uuid::Uuid;

use super::{InputError, InputProblem, PrincipalNames, PrincipalType, Scope};
use crate::catalog::{ActionPattern, Permission};
use crate::eval::Ticks;

/// A role assignment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleAssignment {
    /// Its id (`{scope}/providers/Microsoft.Authorization/roleAssignments/{guid}`), or its name,
    /// or `#N` for the N-th assignment read when it has neither.
    pub id: String,
    /// Where it is assigned.
    pub scope: Scope,
    /// Who it is assigned to.
    pub principal_id: Uuid,
    /// The principal's type, when given.
    pub principal_type: Option<PrincipalType>,
    /// The role's GUID (the trailing GUID of a full role definition id, decision 24).
    pub role_definition_id: Uuid,
    /// Its condition (version 2.0), if any.
    pub condition: Option<String>,
    /// When it grants (decision R11): always, or as PIM says.
    pub grant: Grant,
    /// For a PIM assignment schedule instance, the role assignment it stands for
    /// (`originRoleAssignmentId`), which then grants only as the instance says.
    pub origin: Option<String>,
}

/// When an assignment grants (decision R11).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grant {
    /// Always: a plain role assignment.
    Always,
    /// Not until activated: a PIM eligibility (schedule, instance, or a marked assignment).
    Eligible,
    /// Only from `start` until `end` (each open when absent): a PIM assignment schedule or
    /// schedule instance, `Assigned` or `Activated`, with status `Provisioned`.
    During {
        /// The first instant it grants.
        start: Option<Ticks>,
        /// The first instant it no longer grants.
        end: Option<Ticks>,
    },
    /// Never: a PIM assignment schedule whose status is not `Provisioned`.
    NotProvisioned,
}

impl Grant {
    /// Whether it grants at `now`.
    pub fn active_at(self, now: Ticks) -> bool {
        match self {
            Grant::Always => true,
            Grant::Eligible | Grant::NotProvisioned => false,
            Grant::During { start, end } => {
                start.is_none_or(|start| start <= now) && end.is_none_or(|end| now < end)
            }
        }
    }
}

/// What kind of resource an assignment item is, by its `type` or its id (decision R11).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// `roleAssignments`, or an item that does not say.
    Assignment,
    /// `roleEligibilitySchedules` or `roleEligibilityScheduleInstances`.
    Eligibility,
    /// `roleAssignmentSchedules` or `roleAssignmentScheduleInstances`.
    Schedule,
    /// `…ScheduleRequests`: a request to change a schedule, not a grant.
    Request,
}

/// The kind of the item with `type` (if given) and `id`.
fn kind_of(kind: Option<&str>, id: &str) -> Kind {
    let text = kind
        .map(str::to_ascii_lowercase)
        .or_else(|| {
            let lower = id.to_ascii_lowercase();
            let at = lower.rfind("/providers/microsoft.authorization/")?;
            lower.get(at + "/providers/".len()..).map(str::to_owned)
        })
        .unwrap_or_default();
    let resource = text
        .strip_prefix("microsoft.authorization/")
        .unwrap_or(&text)
        .split('/')
        .next()
        .unwrap_or_default();
    match resource {
        "roleeligibilityschedulerequests" | "roleassignmentschedulerequests" => Kind::Request,
        "roleeligibilityschedules" | "roleeligibilityscheduleinstances" => Kind::Eligibility,
        "roleassignmentschedules" | "roleassignmentscheduleinstances" => Kind::Schedule,
        _ => Kind::Assignment,
    }
}

/// When the assignment item read by `fields` grants: by its kind, `eligible`,
/// `assignmentType`, `status` and `startDateTime`/`endDateTime`; markings that contradict each
/// other are an error, and so is a schedule request.
fn grant(fields: &Fields<'_>, id: &str) -> Result<Grant, InputError> {
    let kind = kind_of(fields.top.get("type").and_then(Value::as_str), id);
    let eligible = fields.bool("eligible")?;
    let assignment_type = fields.string("assignmentType")?;
    let typed = match &assignment_type {
        None => None,
        Some((text, path)) => Some(match text.to_ascii_lowercase().as_str() {
            "eligible" => true,
            "active" | "assigned" | "activated" => false,
            _ => {
                return Err(InputError::new(
                    path,
                    InputProblem::AssignmentType((*text).to_owned()),
                ));
            }
        }),
    };
    let contradiction = |what: String| {
        Err(InputError::new(
            &fields.body_path,
            InputProblem::Contradiction(what),
        ))
    };
    if let (Some(a), Some(b)) = (eligible, typed)
        && a != b
    {
        return contradiction(format!(
            "`eligible: {a}` and `assignmentType` `{}` disagree",
            assignment_type.as_ref().map_or("", |(t, _)| t)
        ));
    }
    let marked_eligible = eligible.or(typed);
    match kind {
        Kind::Request => Err(InputError::new(
            &fields.body_path,
            InputProblem::ScheduleRequest,
        )),
        Kind::Eligibility if marked_eligible == Some(false) => {
            contradiction("a PIM eligibility marked as an active assignment".into())
        }
        Kind::Eligibility => Ok(Grant::Eligible),
        Kind::Schedule if marked_eligible == Some(true) => {
            contradiction("a PIM assignment schedule marked eligible".into())
        }
        Kind::Schedule => {
            let provisioned = match fields.string("status")? {
                None => {
                    return Err(InputError::missing(&fields.body_path, "status"));
                }
                Some((status, _)) => status.eq_ignore_ascii_case("provisioned"),
            };
            if !provisioned {
                return Ok(Grant::NotProvisioned);
            }
            let instant = |name: &'static str| -> Result<Option<Ticks>, InputError> {
                match fields.string(name)? {
                    None => Ok(None),
                    Some((text, path)) => Ticks::parse(text)
                        .map(Some)
                        .map_err(|e| InputError::new(&path, InputProblem::Time(e.to_string()))),
                }
            };
            Ok(Grant::During {
                start: instant("startDateTime")?,
                end: instant("endDateTime")?,
            })
        }
        Kind::Assignment if marked_eligible == Some(true) => Ok(Grant::Eligible),
        Kind::Assignment => Ok(Grant::Always),
    }
}

/// A deny assignment (RBAC.md §1.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DenyAssignment {
    /// Its id, or name, or `#N`.
    pub id: String,
    /// Its display name (`denyAssignmentName`), if given.
    pub name: Option<String>,
    /// Where it is assigned.
    pub scope: Scope,
    /// What it denies; a block may carry its own condition.
    pub permissions: Vec<Permission>,
    /// It applies at its scope only, not below.
    pub do_not_apply_to_child_scopes: bool,
    /// Whom it denies (the zero GUID is every principal).
    pub principals: Vec<Uuid>,
    /// Whom it spares, directly or through a group (decision R1).
    pub exclude_principals: Vec<Uuid>,
    /// It applies only when this condition is true, or when evaluating it fails (decision R2).
    pub condition: Option<String>,
    /// Whether it blocks or only audits (`denyAssignmentEffect`, decision R17).
    pub effect: DenyEffect,
}

/// What a deny assignment does when it applies (decision R17).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum DenyEffect {
    /// It blocks the request (the default).
    #[default]
    Enforced,
    /// It only records that it would have: the request goes on to the role assignments.
    Audit,
}

/// The principal that stands for every principal in a deny assignment.
pub const ALL_PRINCIPALS: Uuid = Uuid::nil();

/// The items of a JSON list, each with its path under `field`.
fn listed<'v>(items: &'v [Value], field: &str) -> Vec<(String, &'v Value)> {
    items
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("$.{field}[{i}]"), v))
        .collect()
}

/// The items of a file, each with its JSON path: one object, an array, an ARM list
/// (`{"value": [...]}`), or an `az graph query` result (`{"count", "data": [...],
/// "skip_token", "total_records"}`). A list that says it is incomplete (an ARM page with a
/// `nextLink`, a graph result with a `skip_token` or more `total_records` than rows) is an
/// error: what is missing could deny, and azabac does not decide on part of a tenant.
pub(crate) fn items(value: &Value) -> Result<Vec<(String, &Value)>, InputError> {
    match value {
        Value::Array(items) => Ok(items
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("$[{i}]"), v))
            .collect()),
        Value::Object(object) => {
            if let Some(Value::Array(items)) = object.get("value") {
                if object.get("nextLink").is_some_and(|v| !v.is_null()) {
                    return Err(InputError::new(
                        "$.nextLink",
                        InputProblem::Incomplete(
                            "an ARM page whose `nextLink` says the list goes on; give every page",
                        ),
                    ));
                }
                return Ok(listed(items, "value"));
            }
            if let Some(Value::Array(rows)) = object.get("data")
                && (object.contains_key("count") || object.contains_key("total_records"))
            {
                if object.get("skip_token").is_some_and(|v| !v.is_null()) {
                    return Err(InputError::new(
                        "$.skip_token",
                        InputProblem::Incomplete(
                            "an `az graph query` result with a `skip_token`: more rows follow; \
                             query with `--first 1000` and `--skip-token` until none is left",
                        ),
                    ));
                }
                let number = |key: &str| object.get(key).and_then(Value::as_u64);
                if let (Some(count), Some(total)) = (number("count"), number("total_records"))
                    && total > count
                {
                    return Err(InputError::new(
                        "$.total_records",
                        InputProblem::Incomplete(
                            "an `az graph query` result with more `total_records` than rows",
                        ),
                    ));
                }
                return Ok(listed(rows, "data"));
            }
            Ok(vec![("$".to_owned(), value)])
        }
        other => Ok(vec![("$".to_owned(), other)]),
    }
}

/// One object's fields: an ARM resource's `properties` (path `…properties`) with `id` and
/// `name` from the top, or a flat object.
struct Fields<'v> {
    top: &'v Map<String, Value>,
    body: &'v Map<String, Value>,
    body_path: String,
}

/// Two keys of one object that are equal ignoring ASCII case: ARM reads keys ignoring case, so
/// which of the two it takes is not known (decision R14).
fn keys_equal_ignoring_case(object: &Map<String, Value>, path: &str) -> Result<(), InputError> {
    let mut keys: Vec<(String, &str)> = object
        .keys()
        .map(|key| (key.to_ascii_lowercase(), key.as_str()))
        .collect();
    keys.sort_unstable();
    for pair in keys.windows(2) {
        if let [(a, first), (b, second)] = pair
            && a == b
        {
            return Err(InputError::new(
                path,
                InputProblem::KeysDifferInCase {
                    first: (*first).to_owned(),
                    second: (*second).to_owned(),
                },
            ));
        }
    }
    Ok(())
}

impl<'v> Fields<'v> {
    fn of(value: &'v Value, path: &str) -> Result<Fields<'v>, InputError> {
        let Value::Object(top) = value else {
            return Err(InputError::expected(path, "an object", value));
        };
        keys_equal_ignoring_case(top, path)?;
        let (body, body_path) = match top.get("properties") {
            Some(Value::Object(body)) => {
                let body_path = format!("{path}.properties");
                keys_equal_ignoring_case(body, &body_path)?;
                (body, body_path)
            }
            Some(other) => {
                return Err(InputError::expected(
                    &format!("{path}.properties"),
                    "an object",
                    other,
                ));
            }
            None => (top, path.to_owned()),
        };
        Ok(Fields {
            top,
            body,
            body_path,
        })
    }

    /// A field of the body, ignoring ASCII case in its name.
    fn get(&self, name: &str) -> Option<(&'v Value, String)> {
        let (key, value) = self
            .body
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))?;
        Some((value, format!("{}.{key}", self.body_path)))
    }

    fn string(&self, name: &str) -> Result<Option<(&'v str, String)>, InputError> {
        match self.get(name) {
            None | Some((Value::Null, _)) => Ok(None),
            Some((Value::String(s), path)) => Ok(Some((s, path))),
            Some((other, path)) => Err(InputError::expected(&path, "a string", other)),
        }
    }

    /// `name` or, as another tool writes it, `alias`: giving both is an error.
    fn string_either(
        &self,
        name: &'static str,
        alias: &'static str,
    ) -> Result<Option<(&'v str, String)>, InputError> {
        let from_top = |key: &str| -> Result<Option<(&'v str, String)>, InputError> {
            // The id is a top-level key in ARM resources, not a property.
            if key != "id" {
                return self.string(key);
            }
            Ok(self
                .top
                .get("id")
                .and_then(Value::as_str)
                .map(|id| (id, "$.id".to_owned())))
        };
        match (from_top(name)?, self.string(alias)?) {
            (Some(_), Some(_)) => Err(InputError::new(
                &self.body_path,
                InputProblem::Conflict {
                    first: name,
                    second: alias,
                },
            )),
            (one, other) => Ok(one.or(other)),
        }
    }

    fn required(&self, name: &'static str) -> Result<(&'v str, String), InputError> {
        self.string(name)?
            .ok_or_else(|| InputError::missing(&self.body_path, name))
    }

    fn bool(&self, name: &str) -> Result<Option<bool>, InputError> {
        match self.get(name) {
            None | Some((Value::Null, _)) => Ok(None),
            Some((Value::Bool(b), _)) => Ok(Some(*b)),
            Some((other, path)) => Err(InputError::expected(&path, "true or false", other)),
        }
    }

    /// The id, else the name, else `#index`.
    fn id(&self, index: usize) -> String {
        ["id", "name"]
            .iter()
            .find_map(|k| self.top.get(*k).and_then(Value::as_str))
            .map_or_else(|| format!("#{index}"), str::to_owned)
    }

    /// `scope`, or the scope the object's id names.
    /// When both are given, they must agree.
    fn scope(&self, id: &str) -> Result<Scope, InputError> {
        match self.string("scope")? {
            Some((text, path)) => {
                let scope = Scope::parse(text)
                    .map_err(|e| InputError::new(&path, InputProblem::Scope(e)))?;
                match scope_of_id(id) {
                    Some(id_scope) if id_scope != scope => Err(InputError::new(
                        &path,
                        InputProblem::IdScopeMismatch {
                            id_scope: id_scope.to_string(),
                            scope: scope.to_string(),
                        },
                    )),
                    _ => Ok(scope),
                }
            }
            None => scope_of_id(id).ok_or_else(|| InputError::missing(&self.body_path, "scope")),
        }
    }

    /// `condition` with `conditionVersion` (only 2.0, the default; decision 23).
    fn condition(&self) -> Result<Option<String>, InputError> {
        let condition = self.string("condition")?;
        if let Some((version, path)) = self.string("conditionVersion")?
            && version.trim() != "2.0"
            && condition.is_some()
        {
            return Err(InputError::new(
                &path,
                InputProblem::ConditionVersion(version.to_owned()),
            ));
        }
        Ok(condition
            .map(|(c, _)| c.trim().to_owned())
            .filter(|c| !c.is_empty()))
    }
}

/// A role definition id as Azure writes it: a GUID, or
/// `[SCOPE]/providers/Microsoft.Authorization/roleDefinitions/GUID` (decision 24). Anything
/// else, such as `..` or more segments, is an error, never its last segment read as a GUID.
fn role_definition_guid(text: &str, path: &str) -> Result<Uuid, InputError> {
    let trimmed = text.trim();
    if let Ok(id) = Uuid::parse_str(trimmed) {
        return Ok(id);
    }
    let lower = trimmed.to_ascii_lowercase();
    const TAIL: &str = "/providers/microsoft.authorization/roledefinitions/";
    let parsed = lower.rfind(TAIL).and_then(|at| {
        let guid = trimmed.get(at + TAIL.len()..)?;
        let scope = trimmed.get(..at)?;
        let scope_ok = scope.is_empty() || Scope::parse(scope).is_ok() && !scope.contains("..");
        (scope_ok && !guid.contains('/')).then(|| Uuid::parse_str(guid).ok())?
    });
    parsed.ok_or_else(|| InputError::new(path, InputProblem::RoleDefinitionId(text.to_owned())))
}

/// The scope an assignment id names: everything before `/providers/Microsoft.Authorization/…`.
fn scope_of_id(id: &str) -> Option<Scope> {
    let lower = id.to_ascii_lowercase();
    let at = lower.rfind("/providers/microsoft.authorization/")?;
    let scope = id.get(..at)?;
    Scope::parse(if scope.is_empty() { "/" } else { scope }).ok()
}

/// How an assignment's role may be named: `roleDefinitionId` (a GUID, or an id ending in one)
/// always; `role` (a role's name or GUID) when the reader is given a way to look roles up.
pub(crate) type RoleNames<'a> = &'a dyn Fn(&str) -> Option<Uuid>;

impl RoleAssignment {
    /// Reads every assignment of a file's JSON, as `az` and ARM print it: principals and roles
    /// by GUID.
    pub fn read_all(value: &Value) -> Result<Vec<RoleAssignment>, InputError> {
        RoleAssignment::read_all_named(value, &PrincipalNames::default(), None)
    }

    /// Reads every assignment, resolving principal names by `names` and, with `roles`, a
    /// role named by `role` instead of `roleDefinitionId`.
    pub(crate) fn read_all_named(
        value: &Value,
        names: &PrincipalNames,
        roles: Option<RoleNames<'_>>,
    ) -> Result<Vec<RoleAssignment>, InputError> {
        items(value)?
            .into_iter()
            .enumerate()
            .map(|(index, (path, item))| {
                RoleAssignment::from_value(item, &path, index, names, roles)
            })
            .collect()
    }

    fn from_value(
        value: &Value,
        path: &str,
        index: usize,
        names: &PrincipalNames,
        roles: Option<RoleNames<'_>>,
    ) -> Result<RoleAssignment, InputError> {
        let fields = Fields::of(value, path)?;
        // `Get-AzRoleAssignment | ConvertTo-Json` names the id, the principal and its type
        // `RoleAssignmentId`, `ObjectId` and `ObjectType`.
        let id = match fields.string_either("id", "RoleAssignmentId")? {
            Some((id, _)) => id.to_owned(),
            None => fields.id(index),
        };
        let scope = fields.scope(&id)?;
        let (principal, principal_path) = fields
            .string_either("principalId", "ObjectId")?
            .ok_or_else(|| InputError::missing(&fields.body_path, "principalId"))?;
        let role_definition_id = match (fields.string("roleDefinitionId")?, roles) {
            (Some((role, role_path)), _) => {
                if fields.get("role").is_some() {
                    return Err(InputError::new(
                        &fields.body_path,
                        InputProblem::Conflict {
                            first: "roleDefinitionId",
                            second: "role",
                        },
                    ));
                }
                role_definition_guid(role, &role_path)?
            }
            (None, Some(roles)) => {
                let (role, role_path) = fields.required("role").map_err(|_| {
                    InputError::new(
                        &fields.body_path,
                        InputProblem::Missing {
                            field: "roleDefinitionId",
                            or: Some("`role`, a role's name"),
                        },
                    )
                })?;
                roles(role).ok_or_else(|| {
                    InputError::new(&role_path, InputProblem::UnknownRoleName(role.to_owned()))
                })?
            }
            (None, None) => {
                return Err(InputError::missing(&fields.body_path, "roleDefinitionId"));
            }
        };
        let principal_type = match fields.string_either("principalType", "ObjectType")? {
            Some((text, path)) => Some(
                PrincipalType::parse(text)
                    .map_err(|e| InputError::new(&path, InputProblem::PrincipalType(e)))?,
            ),
            None => None,
        };
        let grant = grant(&fields, &id)?;
        let origin = match fields.string("originRoleAssignmentId")? {
            Some((origin, _)) if grant != Grant::Always => Some(origin.to_owned()),
            _ => None,
        };
        Ok(RoleAssignment {
            id,
            scope,
            principal_id: names.resolve(principal, &principal_path)?,
            principal_type,
            role_definition_id,
            condition: fields.condition()?,
            grant,
            origin,
        })
    }
}

impl DenyAssignment {
    /// Reads every deny assignment of a file's JSON, principals by GUID.
    pub fn read_all(value: &Value) -> Result<Vec<DenyAssignment>, InputError> {
        DenyAssignment::read_all_named(value, &PrincipalNames::default())
    }

    /// Reads every deny assignment, resolving principal names by `names`.
    pub(crate) fn read_all_named(
        value: &Value,
        names: &PrincipalNames,
    ) -> Result<Vec<DenyAssignment>, InputError> {
        items(value)?
            .into_iter()
            .enumerate()
            .map(|(index, (path, item))| DenyAssignment::from_value(item, &path, index, names))
            .collect()
    }

    fn from_value(
        value: &Value,
        path: &str,
        index: usize,
        names: &PrincipalNames,
    ) -> Result<DenyAssignment, InputError> {
        let fields = Fields::of(value, path)?;
        let id = fields.id(index);
        let scope = fields.scope(&id)?;
        let permissions = match fields.get("permissions") {
            Some((Value::Array(blocks), path)) => blocks
                .iter()
                .enumerate()
                .map(|(i, block)| permission(block, &format!("{path}[{i}]")))
                .collect::<Result<Vec<_>, _>>()?,
            Some((other, path)) => return Err(InputError::expected(&path, "an array", other)),
            None => {
                return Err(InputError::missing(&fields.body_path, "permissions"));
            }
        };
        let principals = principals(&fields, "principals", names)?;
        let exclude_principals = principals_or_empty(&fields, "excludePrincipals", names)?;
        if exclude_principals.contains(&ALL_PRINCIPALS) {
            return Err(InputError::new(
                &fields.body_path,
                InputProblem::ExcludesEveryone,
            ));
        }
        Ok(DenyAssignment {
            id,
            name: fields
                .string("denyAssignmentName")?
                .map(|(n, _)| n.to_owned()),
            scope,
            permissions,
            do_not_apply_to_child_scopes: fields.bool("doNotApplyToChildScopes")?.unwrap_or(false),
            principals,
            exclude_principals,
            condition: fields.condition()?,
            effect: match fields.string("denyAssignmentEffect")? {
                None => DenyEffect::Enforced,
                Some((text, _)) if text.eq_ignore_ascii_case("enforced") => DenyEffect::Enforced,
                Some((text, _)) if text.eq_ignore_ascii_case("audit") => DenyEffect::Audit,
                Some((text, path)) => {
                    return Err(InputError::new(
                        &path,
                        InputProblem::DenyEffect(text.to_owned()),
                    ));
                }
            },
        })
    }
}

fn principals(
    fields: &Fields<'_>,
    name: &'static str,
    names: &PrincipalNames,
) -> Result<Vec<Uuid>, InputError> {
    match fields.get(name) {
        Some(_) => principals_or_empty(fields, name, names),
        None => Err(InputError::missing(&fields.body_path, name)),
    }
}

fn principals_or_empty(
    fields: &Fields<'_>,
    name: &str,
    names: &PrincipalNames,
) -> Result<Vec<Uuid>, InputError> {
    match fields.get(name) {
        None | Some((Value::Null, _)) => Ok(Vec::new()),
        Some((Value::Array(items), path)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let path = format!("{path}[{i}]");
                match item {
                    Value::String(id) => names.resolve(id, &path),
                    Value::Object(object) => match object.get("id") {
                        Some(Value::String(id)) => names.resolve(id, &format!("{path}.id")),
                        other => Err(InputError::expected(
                            &format!("{path}.id"),
                            "a principal id string",
                            other.unwrap_or(&Value::Null),
                        )),
                    },
                    other => Err(InputError::expected(&path, "a principal object", other)),
                }
            })
            .collect(),
        Some((other, path)) => Err(InputError::expected(&path, "an array", other)),
    }
}

fn permission(block: &Value, path: &str) -> Result<Permission, InputError> {
    let fields = Fields::of(block, path)?;
    let patterns = |name: &str| -> Result<Vec<ActionPattern>, InputError> {
        match fields.get(name) {
            None | Some((Value::Null, _)) => Ok(Vec::new()),
            Some((Value::Array(items), path)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| match item {
                    Value::String(s) => Ok(ActionPattern::new(s.as_str())),
                    other => Err(InputError::expected(
                        &format!("{path}[{i}]"),
                        "a string",
                        other,
                    )),
                })
                .collect(),
            Some((other, path)) => Err(InputError::expected(&path, "an array of strings", other)),
        }
    };
    Ok(Permission {
        actions: patterns("actions")?,
        not_actions: patterns("notActions")?,
        data_actions: patterns("dataActions")?,
        not_data_actions: patterns("notDataActions")?,
        condition: fields.condition()?,
        condition_version: fields
            .string("conditionVersion")?
            .map(|(v, _)| v.to_owned()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_az_and_arm_assignments() {
        let az = json!([{
            "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/11111111-1111-1111-1111-111111111111",
            "principalId": "22222222-2222-2222-2222-222222222222",
            "principalType": "user",
            "roleDefinitionId": "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/e47c6f54-e4a2-4754-9501-8e0985b135e1",
            "scope": "/subscriptions/s/resourceGroups/rg",
            "condition": null, "conditionVersion": null
        }]);
        let read = RoleAssignment::read_all(&az).unwrap();
        assert_eq!(read[0].principal_type, Some(PrincipalType::User));
        assert_eq!(read[0].scope.as_str(), "/subscriptions/s/resourcegroups/rg");
        let arm = json!({"value": [{
            "id": "/subscriptions/s/providers/Microsoft.Authorization/roleAssignments/a",
            "properties": {"principalId": "22222222-2222-2222-2222-222222222222",
                           "roleDefinitionId": "e47c6f54-e4a2-4754-9501-8e0985b135e1",
                           "assignmentType": "Eligible"}
        }]});
        let read = RoleAssignment::read_all(&arm).unwrap();
        assert_eq!(
            read[0].scope.as_str(),
            "/subscriptions/s",
            "scope from the id"
        );
        assert_eq!(read[0].grant, Grant::Eligible);
    }

    #[test]
    fn errors_name_the_json_path() {
        let bad = json!([{"scope": "/", "principalId": "x", "roleDefinitionId": "e47c6f54-e4a2-4754-9501-8e0985b135e1"}]);
        let error = RoleAssignment::read_all(&bad).unwrap_err();
        assert_eq!(error.path, "$[0].principalId");
        let version = json!({"scope": "/", "principalId": "22222222-2222-2222-2222-222222222222",
            "roleDefinitionId": "e47c6f54-e4a2-4754-9501-8e0985b135e1", "condition": "true", "conditionVersion": "1.0"});
        assert_eq!(
            RoleAssignment::read_all(&version).unwrap_err().path,
            "$.conditionVersion"
        );
        let deny = json!({"properties": {"scope": "/", "permissions": [{"actions": [3]}], "principals": []}});
        assert_eq!(
            DenyAssignment::read_all(&deny).unwrap_err().path,
            "$.properties.permissions[0].actions[0]"
        );
    }
}
