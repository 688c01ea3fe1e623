//! Reading a suite: its JSON, the names it gives principals and roles, the world files it names
//! beside it, and its cases.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use uuid::Uuid;

use super::{Case, CaseKind, Suite, SuiteError, Target};
use crate::catalog::{Catalog, find_builtin_role};
use crate::eval::{Program, Request};
use crate::rbac::{AccessRequest, PrincipalType, Scope, World};

/// Reads what the suite's fields name: names of principals and roles, files beside it.
struct Reader<'a> {
    file: &'a Path,
    principals: HashMap<String, Uuid>,
    custom_roles: Vec<(String, Uuid)>,
    catalog: &'a Catalog,
}

impl Reader<'_> {
    fn error(&self, path: &str, message: impl Into<String>) -> SuiteError {
        SuiteError {
            file: self.file.to_owned(),
            path: path.to_owned(),
            message: message.into(),
        }
    }

    /// A principal by GUID or by a name of `principals`.
    fn principal(&self, text: &str, path: &str) -> Result<Uuid, SuiteError> {
        if let Ok(guid) = Uuid::parse_str(text.trim()) {
            return Ok(guid);
        }
        self.principals.get(text).copied().ok_or_else(|| {
            self.error(
                path,
                format!("`{text}` is neither a GUID nor a name in `principals`"),
            )
        })
    }

    /// A role's GUID by name (ignoring case) or GUID: given roles first, then built-in ones.
    fn role(&self, text: &str, path: &str) -> Result<Uuid, SuiteError> {
        if let Ok(guid) = Uuid::parse_str(text.trim().rsplit('/').next().unwrap_or_default()) {
            return Ok(guid);
        }
        if let Some((_, id)) = self
            .custom_roles
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(text.trim()))
        {
            return Ok(*id);
        }
        find_builtin_role(text)
            .map_err(|e| self.error(path, e.to_string()))?
            .and_then(|role| role.id)
            .ok_or_else(|| self.error(path, format!("no built-in or given role is named `{text}`")))
    }

    /// A part of the world: inline JSON, or a file named relative to the suite.
    fn part(&self, value: &Value, path: &str) -> Result<Value, SuiteError> {
        match value {
            Value::String(name) => {
                let file = self
                    .file
                    .parent()
                    .map_or_else(|| PathBuf::from(name), |dir| dir.join(name));
                let text = std::fs::read_to_string(&file).map_err(|e| {
                    self.error(path, format!("cannot read {}: {e}", file.display()))
                })?;
                crate::json::parse(&text).map_err(|e| SuiteError {
                    file: file.clone(),
                    path: "$".into(),
                    message: format!("not valid JSON: {e}"),
                })
            }
            other => Ok(other.clone()),
        }
    }

    /// Replaces a principal name in `object[key]` by its GUID.
    fn name_to_guid(
        &self,
        object: &mut Map<String, Value>,
        key: &str,
        path: &str,
    ) -> Result<(), SuiteError> {
        if let Some(Value::String(text)) = object.get(key) {
            let guid = self.principal(text, &format!("{path}.{key}"))?;
            object.insert(key.to_owned(), Value::String(guid.to_string()));
        }
        Ok(())
    }

    /// Names resolved in assignments: `principalId`, and `role` as `roleDefinitionId`.
    fn assignments(&self, value: &mut Value, path: &str) -> Result<(), SuiteError> {
        for (index, item) in items_mut(value).into_iter().enumerate() {
            let item_path = format!("{path}[{index}]");
            let Some(body) = body_mut(item) else {
                continue;
            };
            self.name_to_guid(body, "principalId", &item_path)?;
            if let Some(Value::String(role)) = body.remove("role") {
                let id = self.role(&role, &format!("{item_path}.role"))?;
                body.insert("roleDefinitionId".into(), Value::String(id.to_string()));
            }
        }
        Ok(())
    }

    /// Names resolved in deny assignments' `principals` and `excludePrincipals`.
    fn deny_assignments(&self, value: &mut Value, path: &str) -> Result<(), SuiteError> {
        for (index, item) in items_mut(value).into_iter().enumerate() {
            let item_path = format!("{path}[{index}]");
            let Some(body) = body_mut(item) else {
                continue;
            };
            for key in ["principals", "excludePrincipals"] {
                if let Some(Value::Array(list)) = body.get_mut(key) {
                    for (i, principal) in list.iter_mut().enumerate() {
                        let here = format!("{item_path}.{key}[{i}]");
                        match principal {
                            Value::Object(p) => self.name_to_guid(p, "id", &here)?,
                            Value::String(text) => {
                                *principal =
                                    Value::String(self.principal(text, &here)?.to_string());
                            }
                            _ => {}
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// An access request with its principals resolved.
    fn access(&self, value: &Value, path: &str) -> Result<AccessRequest, SuiteError> {
        let mut value = value.clone();
        if let Some(object) = value.as_object_mut() {
            self.name_to_guid(object, "principalId", path)?;
            if let Some(Value::Array(groups)) = object.get_mut("groupIds") {
                for (i, group) in groups.iter_mut().enumerate() {
                    if let Value::String(text) = group {
                        *group = Value::String(
                            self.principal(text, &format!("{path}.groupIds[{i}]"))?
                                .to_string(),
                        );
                    }
                }
            }
        }
        AccessRequest::from_value(&value, self.catalog).map_err(|e| {
            self.error(
                &format!("{path}{}", e.path.trim_start_matches('$')),
                e.message,
            )
        })
    }

    /// `assign`: the write request of a delegation, briefly.
    fn assign(&self, value: &Value, path: &str) -> Result<AccessRequest, SuiteError> {
        let field = |key: &str| value.get(key).and_then(Value::as_str);
        let required = |key: &str| {
            field(key).ok_or_else(|| self.error(path, format!("`assign` needs `{key}`")))
        };
        let caller = self.principal(required("as")?, &format!("{path}.as"))?;
        let role = self.role(required("role")?, &format!("{path}.role"))?;
        let scope = Scope::parse(required("scope")?)
            .map_err(|m| self.error(&format!("{path}.scope"), m))?;
        let to = field("to")
            .map(|to| self.principal(to, &format!("{path}.to")))
            .transpose()?;
        let kind = field("principalType")
            .map(|kind| {
                PrincipalType::parse(kind)
                    .map_err(|m| self.error(&format!("{path}.principalType"), m))
            })
            .transpose()?;
        let request = crate::rbac::assignment_write_request(Some(role), to, kind);
        let mut group_ids = Vec::new();
        if let Some(Value::Array(groups)) = value.get("groups") {
            for (i, group) in groups.iter().enumerate() {
                let text = group.as_str().ok_or_else(|| {
                    self.error(&format!("{path}.groups[{i}]"), "expected a name or GUID")
                })?;
                group_ids.push(self.principal(text, &format!("{path}.groups[{i}]"))?);
            }
        }
        Ok(AccessRequest {
            principal_id: caller,
            principal_type: None,
            group_ids,
            scope,
            request,
        })
    }
}

/// An item's fields: its `properties` (ARM shape) or the item itself (az shape).
fn body_mut(item: &mut Value) -> Option<&mut Map<String, Value>> {
    let object = item.as_object_mut()?;
    if object.get("properties").is_some_and(Value::is_object) {
        object.get_mut("properties").and_then(Value::as_object_mut)
    } else {
        Some(object)
    }
}

/// The items of a world part: an array, `{"value": [...]}`, or one object.
fn items_mut(value: &mut Value) -> Vec<&mut Value> {
    if value.get("value").is_some_and(Value::is_array) {
        return match value.get_mut("value") {
            Some(Value::Array(items)) => items.iter_mut().collect(),
            _ => Vec::new(),
        };
    }
    match value {
        Value::Array(items) => items.iter_mut().collect(),
        other => vec![other],
    }
}

impl Suite {
    /// Reads a suite file and builds its condition or its world.
    pub fn load(file: &Path, catalog: &Catalog) -> Result<Suite, SuiteError> {
        let error = |path: &str, message: String| SuiteError {
            file: file.to_owned(),
            path: path.to_owned(),
            message,
        };
        let text =
            std::fs::read_to_string(file).map_err(|e| error("$", format!("cannot read: {e}")))?;
        let suite =
            crate::json::parse(&text).map_err(|e| error("$", format!("not valid JSON: {e}")))?;
        let Value::Object(top) = &suite else {
            return Err(error("$", "expected an object with `cases`".into()));
        };
        let known = [
            "description",
            "source",
            "condition",
            "conditionFile",
            "world",
            "principals",
            "cases",
        ];
        if let Some(key) = top.keys().find(|k| !known.contains(&k.as_str())) {
            return Err(error(
                &format!("$.{key}"),
                format!("unknown field `{key}`; a suite has {}", known.join(", ")),
            ));
        }
        let mut principals = HashMap::new();
        if let Some(map) = top.get("principals") {
            let Value::Object(map) = map else {
                return Err(error(
                    "$.principals",
                    "expected an object of names to GUIDs".into(),
                ));
            };
            for (name, guid) in map {
                let path = format!("$.principals.{name}");
                let guid = guid
                    .as_str()
                    .and_then(|g| Uuid::parse_str(g.trim()).ok())
                    .ok_or_else(|| error(&path, "expected a GUID".into()))?;
                principals.insert(name.clone(), guid);
            }
        }
        let mut reader = Reader {
            file,
            principals,
            custom_roles: Vec::new(),
            catalog,
        };
        let target = match (
            top.get("condition"),
            top.get("conditionFile"),
            top.get("world"),
        ) {
            (Some(Value::String(condition)), None, None) => {
                Target::Condition(Box::new(compile(condition, &reader, "$.condition")?))
            }
            (None, Some(Value::String(name)), None) => {
                let path = file
                    .parent()
                    .map_or_else(|| PathBuf::from(name), |dir| dir.join(name));
                let condition = std::fs::read_to_string(&path).map_err(|e| {
                    error(
                        "$.conditionFile",
                        format!("cannot read {}: {e}", path.display()),
                    )
                })?;
                Target::Condition(Box::new(compile(&condition, &reader, "$.conditionFile")?))
            }
            (None, None, Some(world)) => Target::World(Box::new(build_world(world, &mut reader)?)),
            _ => {
                return Err(error(
                    "$",
                    "a suite has exactly one of `condition` (text), `conditionFile` or `world`"
                        .into(),
                ));
            }
        };
        let Some(Value::Array(raw_cases)) = top.get("cases") else {
            return Err(error("$.cases", "expected an array of cases".into()));
        };
        let mut cases = Vec::with_capacity(raw_cases.len());
        for (index, case) in raw_cases.iter().enumerate() {
            cases.push(read_case(case, index, &target, &reader)?);
        }
        Ok(Suite {
            file: file.to_owned(),
            description: top
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_owned),
            target,
            cases,
        })
    }
}

fn compile(source: &str, reader: &Reader<'_>, path: &str) -> Result<Program, SuiteError> {
    Program::from_source(source, reader.catalog).map_err(|diagnostics| {
        reader.error(
            path,
            crate::diagnostic::rejection_summary(&diagnostics, source),
        )
    })
}

fn build_world(world: &Value, reader: &mut Reader<'_>) -> Result<World, SuiteError> {
    let Value::Object(parts) = world else {
        return Err(reader.error("$.world", "expected an object"));
    };
    let known = ["roles", "assignments", "denyAssignments", "hierarchy"];
    if let Some(key) = parts.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(reader.error(
            &format!("$.world.{key}"),
            format!("unknown part `{key}`; a world has {}", known.join(", ")),
        ));
    }
    let mut builder = World::builder();
    let input = |e: crate::rbac::InputError, part: &str| {
        reader_error(reader.file, &format!("$.world.{part}"), e)
    };
    if let Some(roles) = parts.get("roles") {
        let roles = reader.part(roles, "$.world.roles")?;
        builder = builder.roles(&roles).map_err(|e| input(e, "roles"))?;
    }
    // Given roles may be named by assignments.
    let mut custom = Vec::new();
    if let Some(roles) = parts.get("roles") {
        let roles = reader.part(roles, "$.world.roles")?;
        let mut roles = roles;
        for item in items_mut(&mut roles) {
            let body = item.get("properties").unwrap_or(item);
            let name = body
                .get("roleName")
                .or_else(|| body.get("Name"))
                .and_then(Value::as_str);
            let id = item
                .get("name")
                .or_else(|| item.get("id"))
                .or_else(|| body.get("Id"))
                .and_then(Value::as_str)
                .and_then(|t| Uuid::parse_str(t.rsplit('/').next().unwrap_or_default()).ok());
            if let (Some(name), Some(id)) = (name, id) {
                custom.push((name.to_owned(), id));
            }
        }
    }
    reader.custom_roles = custom;
    if let Some(assignments) = parts.get("assignments") {
        let mut assignments = reader.part(assignments, "$.world.assignments")?;
        reader.assignments(&mut assignments, "$.world.assignments")?;
        builder = builder
            .assignments(&assignments)
            .map_err(|e| input(e, "assignments"))?;
    }
    if let Some(deny) = parts.get("denyAssignments") {
        let mut deny = reader.part(deny, "$.world.denyAssignments")?;
        reader.deny_assignments(&mut deny, "$.world.denyAssignments")?;
        builder = builder
            .deny_assignments(&deny)
            .map_err(|e| input(e, "denyAssignments"))?;
    }
    if let Some(hierarchy) = parts.get("hierarchy") {
        let hierarchy = reader.part(hierarchy, "$.world.hierarchy")?;
        builder = builder
            .hierarchy(&hierarchy)
            .map_err(|e| input(e, "hierarchy"))?;
    }
    builder.build(reader.catalog).map_err(|e| input(e, ""))
}

fn reader_error(file: &Path, prefix: &str, error: crate::rbac::InputError) -> SuiteError {
    SuiteError {
        file: file.to_owned(),
        path: format!("{prefix}{}", error.path.trim_start_matches('$')),
        message: error.message,
    }
}

fn read_case(
    case: &Value,
    index: usize,
    target: &Target,
    reader: &Reader<'_>,
) -> Result<Case, SuiteError> {
    let path = format!("$.cases[{index}]");
    let name = case
        .get("name")
        .and_then(Value::as_str)
        .map_or_else(|| format!("#{}", index + 1), str::to_owned);
    let expect = case.get("expect");
    let kind = match target {
        Target::Condition(_) => {
            let Some(Value::Bool(expect)) = expect else {
                return Err(reader.error(
                    &format!("{path}.expect"),
                    "a condition case expects true or false",
                ));
            };
            let request = case
                .get("request")
                .ok_or_else(|| reader.error(&path, "missing `request`"))?;
            let request = Request::from_value(request, reader.catalog).map_err(|e| {
                reader.error(
                    &format!("{path}.request{}", e.path.trim_start_matches('$')),
                    e.message,
                )
            })?;
            CaseKind::Condition {
                request,
                expect: *expect,
            }
        }
        Target::World(_) => {
            let expect = match expect.and_then(Value::as_str) {
                Some("allow") => true,
                Some("deny") => false,
                _ => {
                    return Err(reader.error(
                        &format!("{path}.expect"),
                        "a decision case expects \"allow\" or \"deny\"",
                    ));
                }
            };
            let request = match (case.get("request"), case.get("assign")) {
                (Some(request), None) => reader.access(request, &format!("{path}.request"))?,
                (None, Some(assign)) => reader.assign(assign, &format!("{path}.assign"))?,
                _ => return Err(reader.error(&path, "a decision case has `request` or `assign`")),
            };
            let reason = case
                .get("reason")
                .and_then(Value::as_str)
                .map(str::to_owned);
            CaseKind::Decision {
                request: Box::new(request),
                expect,
                reason,
            }
        }
    };
    Ok(Case { name, path, kind })
}
