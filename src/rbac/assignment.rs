//! Role assignments and deny assignments, read from the shapes `az` and the ARM API print:
//! `az role assignment list` (flat objects) and ARM resources (`{"id", "name", "properties":
//! {...}}`), one object, an array, or an ARM list (`{"value": [...]}`).

use serde_json::Value;
use uuid::Uuid;

use super::fields::{Fields, id_text, items, key_of, scope_of_id};
use super::item::{self, At, Base, Item, Key};
use super::pim::{Grant, grant};
use super::{InputError, InputProblem, PrincipalNames, PrincipalType, Scope};
use crate::catalog::{ActionPattern, Permission};

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
    /// The role's GUID (the trailing GUID of a full role definition id,
    /// [decision 24](crate::spec::decisions#decision-24)).
    pub role_definition_id: Uuid,
    /// Its condition (version 2.0), if any.
    pub condition: Option<String>,
    /// When it grants ([decision R11](crate::spec::decisions#decision-r11)): always, or as PIM
    /// says.
    pub grant: Grant,
    /// For a PIM assignment schedule instance, the role assignment it stands for
    /// (`originRoleAssignmentId`), which then grants only as the instance says.
    pub origin: Option<String>,
}

/// A deny assignment ([RBAC.md §1.1](crate::spec::rbac#section-1-1)).
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
    /// Whom it spares, directly or through a group
    /// ([decision R1](crate::spec::decisions#decision-r1)).
    pub exclude_principals: Vec<Uuid>,
    /// It applies only when this condition is true, or when evaluating it fails
    /// ([decision R2](crate::spec::decisions#decision-r2)).
    pub condition: Option<String>,
    /// Whether it blocks or only audits (`denyAssignmentEffect`,
    /// [decision R17](crate::spec::decisions#decision-r17)).
    pub effect: DenyEffect,
}

/// What a deny assignment does when it applies
/// ([decision R17](crate::spec::decisions#decision-r17)).
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
        Ok(RoleAssignment::read_placed(value, names, roles)?
            .into_iter()
            .map(|(_, assignment)| assignment)
            .collect())
    }

    /// [`RoleAssignment::read_all_named`], each assignment with its JSON path.
    pub(crate) fn read_placed(
        value: &Value,
        names: &PrincipalNames,
        roles: Option<RoleNames<'_>>,
    ) -> Result<Vec<(String, RoleAssignment)>, InputError> {
        let mut read = Vec::new();
        RoleAssignment::read_each(value, names, roles, &mut |at, assignment| {
            read.push((at.to_string(), assignment));
            Ok(())
        })?;
        Ok(read)
    }

    /// Reads every assignment of a file from `deserializer` (its text, or a `&Value`), handing
    /// each to `each` with where it is as soon as it is read ([`super::item`]): nothing of the
    /// file is kept but what `each` keeps, and no JSON path is made unless there is an error.
    /// A key repeated in an object azabac reads is an error, as in every JSON azabac reads;
    /// one repeated inside a value it skips changes nothing it reads.
    pub(crate) fn read_each<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
        names: &PrincipalNames,
        roles: Option<RoleNames<'_>>,
        each: &mut dyn FnMut(At<'_>, RoleAssignment) -> Result<(), InputError>,
    ) -> Result<(), InputError>
    where
        D::Error: std::fmt::Display,
    {
        item::read_each(deserializer, &mut |at, item| {
            each(at, RoleAssignment::from_item(item, at, names, roles)?)
        })
    }

    fn from_item(
        item: &Item<'_>,
        at: At<'_>,
        names: &PrincipalNames,
        roles: Option<RoleNames<'_>>,
    ) -> Result<RoleAssignment, InputError> {
        if let Some(error) = item.shape_error(at) {
            return Err(error);
        }
        let (top, body) = (&item.top, item.body());
        let (top_base, base) = (item.top_base(at), item.body_base(at));
        // `Get-AzRoleAssignment | ConvertTo-Json` names the id, the principal and its type
        // `RoleAssignmentId`, `ObjectId` and `ObjectType`; each may be given one way only.
        let either =
            |key: Key, alias: Key, from_top: bool| -> Result<Option<(&str, Key)>, InputError> {
                let first = if from_top {
                    top.string(key, top_base)?
                } else {
                    body.string(key, base)?
                };
                match (first, body.string(alias, base)?) {
                    (Some(_), Some(_)) => Err(InputError::new(
                        &base.to_string(),
                        InputProblem::Conflict {
                            first: key.name(),
                            second: alias.name(),
                        },
                    )),
                    (Some(text), None) => Ok(Some((text, key))),
                    (None, Some(text)) => Ok(Some((text, alias))),
                    (None, None) => Ok(None),
                }
            };
        // An id with a `/` in it is read by the grammar of ids, so a malformed one
        // (`" /subscriptions/…"`) is an error; one without is a label (`a1`), as hand-written
        // files give.
        let (id, by_grammar, scope) = match either(Key::Id, Key::RoleAssignmentId, true)? {
            Some((id, _)) if id.contains('/') => {
                (id_text(id).to_owned(), true, scope(item, at, Some(id))?)
            }
            Some((id, _)) => (id.to_owned(), false, scope(item, at, None)?),
            None => match top.string(Key::Name, top_base)? {
                Some(name) => (name.to_owned(), false, scope(item, at, None)?),
                None => (format!("#{}", at.index), false, scope(item, at, None)?),
            },
        };
        let (principal, principal_key) = either(Key::PrincipalId, Key::ObjectId, false)?
            .ok_or_else(|| InputError::missing(&base.to_string(), "principalId"))?;
        let role_definition_id = match (body.string(Key::RoleDefinitionId, base)?, roles) {
            (Some(role), _) => {
                if body.string(Key::Role, base)?.is_some() {
                    return Err(InputError::new(
                        &base.to_string(),
                        InputProblem::Conflict {
                            first: "roleDefinitionId",
                            second: "role",
                        },
                    ));
                }
                crate::id::role_definition_guid(role).map_err(|e| {
                    InputError::new(
                        &body.path(Key::RoleDefinitionId, base),
                        InputProblem::RoleDefinitionId(e),
                    )
                })?
            }
            (None, Some(roles)) => {
                let role = body.string(Key::Role, base)?.ok_or_else(|| {
                    InputError::new(
                        &base.to_string(),
                        InputProblem::Missing {
                            field: "roleDefinitionId",
                            or: Some("`role`, a role's name"),
                        },
                    )
                })?;
                roles(role).ok_or_else(|| {
                    InputError::new(
                        &body.path(Key::Role, base),
                        InputProblem::UnknownRoleName(role.to_owned()),
                    )
                })?
            }
            (None, None) => {
                return Err(InputError::missing(&base.to_string(), "roleDefinitionId"));
            }
        };
        let principal_type = match either(Key::PrincipalType, Key::ObjectType, false)? {
            Some((text, key)) => Some(PrincipalType::parse(text).map_err(|e| {
                InputError::new(&body.path(key, base), InputProblem::PrincipalType(e))
            })?),
            None => None,
        };
        let grant = grant(item, at, by_grammar.then_some(id.as_str()))?;
        let origin = match body.string(Key::OriginRoleAssignmentId, base)? {
            Some(origin) => {
                let origin = origin_id(origin).map_err(|e| {
                    InputError::new(&body.path(Key::OriginRoleAssignmentId, base), e)
                })?;
                (grant != Grant::Always).then(|| origin.to_owned())
            }
            None => None,
        };
        // A plain role assignment named by its GUID (`name`, or an `id` without a path) is the
        // resource `{scope}/providers/Microsoft.Authorization/roleAssignments/{GUID}`: so it is
        // known as a copy of the same assignment given with its id, and as the assignment a
        // PIM instance's origin names.
        let id = if !by_grammar && grant == Grant::Always && crate::id::segment::is_guid(&id) {
            let at = if scope.is_root() { "" } else { scope.as_str() };
            format!("{at}/providers/Microsoft.Authorization/roleAssignments/{id}")
        } else {
            id
        };
        let principal_id = names.resolve_at(principal, || body.path(principal_key, base))?;
        Ok(RoleAssignment {
            id,
            scope,
            principal_id,
            principal_type,
            role_definition_id,
            condition: condition(body, base)?,
            grant,
            origin,
        })
    }
}

/// The scope of the assignment `item` at `at`: `scope`, or the scope its id (`id` or
/// `RoleAssignmentId`, when it is a path) names, read by the grammar of ids
/// ([decision R19](crate::spec::decisions#decision-r19)); when both are given they must agree.
fn scope(item: &Item<'_>, at: At<'_>, id: Option<&str>) -> Result<Scope, InputError> {
    let body = item.body();
    let base = item.body_base(at);
    let from_id = if let Some(id) = id {
        let id_path = || {
            if item.top.get(Key::Id).is_some() {
                item.top.path(Key::Id, item.top_base(at))
            } else {
                body.path(Key::RoleAssignmentId, base)
            }
        };
        Some(scope_of_id(id).map_err(|e| InputError::new(&id_path(), InputProblem::Scope(e)))?)
    } else {
        None
    };
    match body.string(Key::Scope, base)? {
        Some(text) => {
            // The usual case: the scope is the id's own, written the same way.
            if let Some(id_scope) = &from_id
                && same_text(id_scope.as_str(), text)
            {
                return Ok(id_scope.clone());
            }
            let scope = Scope::parse(text).map_err(|e| {
                InputError::new(&body.path(Key::Scope, base), InputProblem::Scope(e))
            })?;
            match from_id {
                Some(id_scope) if id_scope != scope => Err(InputError::new(
                    &body.path(Key::Scope, base),
                    InputProblem::IdScopeMismatch {
                        id_scope: id_scope.to_string(),
                        scope: scope.to_string(),
                    },
                )),
                _ => Ok(scope),
            }
        }
        None => from_id.ok_or_else(|| InputError::missing(&base.to_string(), "scope")),
    }
}

/// The role assignment an `originRoleAssignmentId` names, read by the grammar of ids
/// ([decision R19](crate::spec::decisions#decision-r19)): a role assignment's id, kept as
/// [`id_text`] keeps ids, so that it finds the assignment it governs however it is spelled.
fn origin_id(text: &str) -> Result<&str, InputProblem> {
    scope_of_id(text).map_err(InputProblem::Scope)?;
    let id = id_text(text);
    let resource = id.rsplit('/').nth(1).unwrap_or_default();
    if resource.eq_ignore_ascii_case("roleAssignments") {
        Ok(id)
    } else {
        Err(InputProblem::NotAnAssignment(resource.to_owned()))
    }
}

/// Whether `text` is the normalised scope `normal` as written: the same but for ASCII case and
/// one trailing `/`, so it needs no second reading.
fn same_text(normal: &str, text: &str) -> bool {
    let text = match text.strip_suffix('/') {
        Some(stripped) if !stripped.is_empty() && !stripped.ends_with('/') => stripped,
        _ => text,
    };
    normal.eq_ignore_ascii_case(text)
}

/// `condition` with `conditionVersion` (only 2.0, the default;
/// [decision 23](crate::spec::decisions#decision-23)).
fn condition(body: &item::Fields<'_>, base: Base<'_>) -> Result<Option<String>, InputError> {
    let condition = body.string(Key::Condition, base)?;
    if let Some(version) = body.string(Key::ConditionVersion, base)?
        && version.trim() != "2.0"
        && condition.is_some()
    {
        return Err(InputError::new(
            &body.path(Key::ConditionVersion, base),
            InputProblem::ConditionVersion(version.to_owned()),
        ));
    }
    Ok(condition
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty()))
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
        Ok(DenyAssignment::read_placed(value, names)?
            .into_iter()
            .map(|(_, deny)| deny)
            .collect())
    }

    /// [`DenyAssignment::read_all_named`], each with its JSON path.
    pub(crate) fn read_placed(
        value: &Value,
        names: &PrincipalNames,
    ) -> Result<Vec<(String, DenyAssignment)>, InputError> {
        items(value)?
            .into_iter()
            .enumerate()
            .map(|(index, (path, item))| {
                Ok((
                    path.clone(),
                    DenyAssignment::from_value(item, &path, index, names)?,
                ))
            })
            .collect()
    }

    fn from_value(
        value: &Value,
        path: &str,
        index: usize,
        names: &PrincipalNames,
    ) -> Result<DenyAssignment, InputError> {
        let fields = Fields::of(value, path)?;
        let id = fields.id(index)?;
        let scope = fields.scope()?;
        let permissions = match fields.get("permissions")? {
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
    match fields.get(name)? {
        Some(_) => principals_or_empty(fields, name, names),
        None => Err(InputError::missing(&fields.body_path, name)),
    }
}

fn principals_or_empty(
    fields: &Fields<'_>,
    name: &str,
    names: &PrincipalNames,
) -> Result<Vec<Uuid>, InputError> {
    match fields.get(name)? {
        None | Some((Value::Null, _)) => Ok(Vec::new()),
        Some((Value::Array(items), path)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let path = format!("{path}[{i}]");
                match item {
                    Value::String(id) => names.resolve(id, &path),
                    Value::Object(object) => match key_of(object, "id", &path)?.map(|(_, v)| v) {
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
        match fields.get(name)? {
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
            "id": "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/11111111-1111-1111-1111-111111111111",
            "principalId": "22222222-2222-2222-2222-222222222222",
            "principalType": "user",
            "roleDefinitionId": "/subscriptions/00000000-0000-0000-0000-0000000000aa/providers/Microsoft.Authorization/roleDefinitions/e47c6f54-e4a2-4754-9501-8e0985b135e1",
            "scope": "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg",
            "condition": null, "conditionVersion": null
        }]);
        let read = RoleAssignment::read_all(&az).unwrap();
        assert_eq!(read[0].principal_type, Some(PrincipalType::User));
        assert_eq!(
            read[0].scope.as_str(),
            "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourcegroups/rg"
        );
        let arm = json!({"value": [{
            "id": "/subscriptions/00000000-0000-0000-0000-0000000000aa/providers/Microsoft.Authorization/roleAssignments/a1a1a1a1-0000-0000-0000-000000000001",
            "properties": {"principalId": "22222222-2222-2222-2222-222222222222",
                           "roleDefinitionId": "e47c6f54-e4a2-4754-9501-8e0985b135e1",
                           "assignmentType": "Eligible"}
        }]});
        let read = RoleAssignment::read_all(&arm).unwrap();
        assert_eq!(
            read[0].scope.as_str(),
            "/subscriptions/00000000-0000-0000-0000-0000000000aa",
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
