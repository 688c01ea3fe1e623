//! Reading a suite: its JSON, the names it gives principals and roles, the world files it names
//! beside it, and its cases.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use serde_json::Value;
use uuid::Uuid;

use super::{
    Case, ConditionCase, DecisionCase, Suite, SuiteError, SuiteProblem, SuiteWarning, Target,
};
use crate::catalog::Catalog;
use crate::eval::{Program, Request, Ticks};
use crate::rbac::{AccessRequest, InputError, PrincipalNames, PrincipalType, Scope, World};

/// Reads what the suite's fields name: names of principals and roles, files beside it.
struct Reader<'a> {
    file: &'a Path,
    principals: PrincipalNames,
    catalog: &'a Catalog,
    warnings: RefCell<Vec<SuiteWarning>>,
}

impl Reader<'_> {
    /// A problem of the suite's own shape at `path`.
    fn error(&self, path: &str, message: impl Into<String>) -> SuiteError {
        self.problem(path, SuiteProblem::Shape(message.into()))
    }

    /// Warns of each attribute `request` (a request's JSON at `path`) gives that Azure never
    /// sends for its action: a case that reads it tests a request Azure never makes.
    fn unsent(&self, request: &Value, path: &str) {
        for unsent in crate::eval::unsent_attributes(request, self.catalog) {
            self.warnings.borrow_mut().push(SuiteWarning {
                path: format!("{path}.{}", unsent.field),
                message: format!(
                    "{}: a case that reads it tests a request Azure does not make (an \
                     `expect: false` passes vacuously)",
                    unsent.message
                ),
            });
        }
    }

    fn problem(&self, path: &str, problem: SuiteProblem) -> SuiteError {
        SuiteError {
            file: self.file.to_owned(),
            path: path.to_owned(),
            problem,
        }
    }

    /// An error of an rbac reader, at its path inside the suite's `prefix`.
    fn input(&self, prefix: &str, error: InputError) -> SuiteError {
        reader_error(self.file, prefix, error)
    }

    /// A principal by GUID or by a name of `principals`.
    fn principal(&self, text: &str, path: &str) -> Result<Uuid, SuiteError> {
        self.principals
            .resolve(text, path)
            .map_err(|e| self.input("$", e))
    }

    /// A part of the world: inline JSON, or a file named relative to the suite.
    fn part(&self, value: &Value, path: &str) -> Result<Value, SuiteError> {
        match value {
            Value::String(name) => {
                let file = self
                    .file
                    .parent()
                    .map_or_else(|| PathBuf::from(name), |dir| dir.join(name));
                let text = crate::text::read_to_string(&file).map_err(|e| {
                    self.problem(
                        path,
                        SuiteProblem::Read(format!("cannot read {}: {e}", file.display())),
                    )
                })?;
                crate::json::parse(&text).map_err(|e| SuiteError {
                    file: file.clone(),
                    path: "$".into(),
                    problem: SuiteProblem::NotJson(e.to_string()),
                })
            }
            other => Ok(other.clone()),
        }
    }

    /// An access request with its principals resolved.
    fn access(&self, value: &Value, path: &str) -> Result<AccessRequest, SuiteError> {
        AccessRequest::from_value_named(value, self.catalog, &self.principals)
            .map_err(|e| self.input(path, e))
    }

    /// `assign`: the write request of a delegation, briefly; its role is a built-in role or
    /// one of the world's, by name or GUID.
    fn assign(
        &self,
        value: &Value,
        world: &World,
        path: &str,
    ) -> Result<(AccessRequest, Uuid), SuiteError> {
        let field = |key: &str| value.get(key).and_then(Value::as_str);
        let required = |key: &str| {
            field(key).ok_or_else(|| self.error(path, format!("`assign` needs `{key}`")))
        };
        let caller = self.principal(required("as")?, &format!("{path}.as"))?;
        let role_name = required("role")?;
        let role = world
            .find_role(role_name)
            .and_then(|role| role.id)
            .ok_or_else(|| self.error(&format!("{path}.role"), world.unknown_role(role_name)))?;
        let scope = Scope::parse(required("scope")?)
            .map_err(|e| self.error(&format!("{path}.scope"), e.to_string()))?;
        let to = field("to")
            .map(|to| self.principal(to, &format!("{path}.to")))
            .transpose()?;
        let kind = field("principalType")
            .map(|kind| {
                PrincipalType::parse(kind)
                    .map_err(|e| self.error(&format!("{path}.principalType"), e.to_string()))
            })
            .transpose()?
            // Else the type a principals file gives the principal, if it gives one.
            .or_else(|| to.and_then(|to| self.principals.principal_type(to)));
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
        let access = AccessRequest {
            principal_id: caller,
            principal_type: None,
            group_ids,
            scope,
            request,
        };
        Ok((access, role))
    }
}

impl Suite {
    /// Reads a suite file and builds its condition or its world.
    pub fn load(file: &Path, catalog: &Catalog) -> Result<Suite, SuiteError> {
        let failed = |path: &str, problem: SuiteProblem| SuiteError {
            file: file.to_owned(),
            path: path.to_owned(),
            problem,
        };
        let error = |path: &str, message: String| failed(path, SuiteProblem::Shape(message));
        let text = crate::text::read_to_string(file)
            .map_err(|e| failed("$", SuiteProblem::Read(format!("cannot read: {e}"))))?;
        let suite = crate::json::parse(&text)
            .map_err(|e| failed("$", SuiteProblem::NotJson(e.to_string())))?;
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
            "now",
            "cases",
        ];
        if let Some(key) = top.keys().find(|k| !known.contains(&k.as_str())) {
            return Err(error(
                &format!("$.{key}"),
                format!("unknown field `{key}`; a suite has {}", known.join(", ")),
            ));
        }
        let mut principals = PrincipalNames::new("a name in `principals`");
        // Names to GUIDs; or principals files (a Graph export, a map of object ids), named
        // relative to the suite or given inline.
        let directory = |principals: &mut PrincipalNames, value: &Value, path: &str| {
            let value = match value {
                Value::String(name) => read_beside(file, name, path)?,
                inline => inline.clone(),
            };
            principals.read_directory(&value).map_err(|e| {
                let at = format!("{path}{}", e.path.trim_start_matches('$'));
                failed(&at, SuiteProblem::Input(e.problem))
            })
        };
        match top.get("principals") {
            None => {}
            Some(Value::Object(map)) if map.values().all(Value::is_string) => {
                for (name, guid) in map {
                    let path = format!("$.principals.{name}");
                    let guid = guid
                        .as_str()
                        .and_then(|g| Uuid::parse_str(g.trim()).ok())
                        .ok_or_else(|| error(&path, "expected a GUID".into()))?;
                    principals.insert(name.clone(), guid);
                }
            }
            Some(Value::Array(files)) => {
                for (index, value) in files.iter().enumerate() {
                    directory(&mut principals, value, &format!("$.principals[{index}]"))?;
                }
            }
            Some(value) => directory(&mut principals, value, "$.principals")?,
        }
        let reader = Reader {
            file,
            principals,
            catalog,
            warnings: RefCell::new(Vec::new()),
        };
        let mut target = match (
            top.get("condition"),
            top.get("conditionFile"),
            top.get("world"),
        ) {
            (Some(Value::String(condition)), None, None) => Target::Condition {
                program: Box::new(compile(condition, &reader, "$.condition")?),
                cases: Vec::new(),
            },
            (None, Some(Value::String(name)), None) => {
                let path = file
                    .parent()
                    .map_or_else(|| PathBuf::from(name), |dir| dir.join(name));
                let condition = crate::text::read_to_string(&path).map_err(|e| {
                    error(
                        "$.conditionFile",
                        format!("cannot read {}: {e}", path.display()),
                    )
                })?;
                Target::Condition {
                    program: Box::new(compile(&condition, &reader, "$.conditionFile")?),
                    cases: Vec::new(),
                }
            }
            (None, None, Some(world)) => Target::World {
                world: Box::new(build_world(world, &reader)?),
                cases: Vec::new(),
            },
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
        for (index, case) in raw_cases.iter().enumerate() {
            let path = format!("$.cases[{index}]");
            let known: &[&str] = match target {
                Target::Condition { .. } => &["name", "description", "expect", "request"],
                Target::World { .. } => &[
                    "name",
                    "description",
                    "expect",
                    "reason",
                    "request",
                    "assign",
                ],
            };
            if let Some(key) = case
                .as_object()
                .and_then(|o| o.keys().find(|k| !known.contains(&k.as_str())))
            {
                let hint = crate::diagnostic::suggest::closest(key, known.iter().copied())
                    .map_or_else(String::new, |near| format!("; did you mean `{near}`?"));
                return Err(error(
                    &format!("{path}.{key}"),
                    format!(
                        "unknown field `{key}` in a case, which has {}{hint}",
                        known.join(", ")
                    ),
                ));
            }
            if let Some(request) = case.get("request") {
                reader.unsent(request, &format!("{path}.request"));
            }
            let name = case
                .get("name")
                .and_then(Value::as_str)
                .map_or_else(|| format!("#{}", index + 1), str::to_owned);
            match &mut target {
                Target::Condition { cases, .. } => cases.push(Case {
                    kind: condition_case(case, &path, &reader)?,
                    name,
                    path,
                }),
                Target::World { world, cases } => cases.push(Case {
                    kind: decision_case(case, &path, world, &reader)?,
                    name,
                    path,
                }),
            }
        }
        let now = match top.get("now") {
            None => None,
            Some(Value::String(text)) => Some(Ticks::parse_instant(text).map_err(|e| {
                error(
                    "$.now",
                    format!("expected a time such as \"2026-12-01T00:00:00Z\": {e}"),
                )
            })?),
            Some(_) => {
                return Err(error(
                    "$.now",
                    "expected a time such as \"2026-12-01T00:00:00Z\"".into(),
                ));
            }
        };
        Ok(Suite {
            file: file.to_owned(),
            now,
            warnings: reader.warnings.into_inner(),
            description: top
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_owned),
            target,
        })
    }
}

fn compile(source: &str, reader: &Reader<'_>, path: &str) -> Result<Program, SuiteError> {
    Program::from_source(source, reader.catalog).map_err(|diagnostics| {
        reader.problem(
            path,
            SuiteProblem::Condition(crate::diagnostic::rejection_summary(&diagnostics, source)),
        )
    })
}

fn build_world(world: &Value, reader: &Reader<'_>) -> Result<World, SuiteError> {
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
    let mut builder = World::builder().principal_names(reader.principals.clone());
    // Roles first: assignments may name them.
    if let Some(roles) = parts.get("roles") {
        let roles = reader.part(roles, "$.world.roles")?;
        builder = builder
            .file("$.world.roles")
            .roles(&roles)
            .map_err(|e| reader.input("$.world.roles", e))?;
    }
    if let Some(assignments) = parts.get("assignments") {
        let assignments = reader.part(assignments, "$.world.assignments")?;
        builder = builder
            .file("$.world.assignments")
            .assignments(&assignments)
            .map_err(|e| reader.input("$.world.assignments", e))?;
    }
    if let Some(deny) = parts.get("denyAssignments") {
        let deny = reader.part(deny, "$.world.denyAssignments")?;
        builder = builder
            .file("$.world.denyAssignments")
            .deny_assignments(&deny)
            .map_err(|e| reader.input("$.world.denyAssignments", e))?;
    }
    if let Some(hierarchy) = parts.get("hierarchy") {
        let hierarchy = reader.part(hierarchy, "$.world.hierarchy")?;
        builder = builder
            .hierarchy(&hierarchy)
            .map_err(|e| reader.input("$.world.hierarchy", e))?;
    }
    builder
        .build(reader.catalog)
        .map_err(|e| reader.input("$.world", e))
}

fn reader_error(file: &Path, prefix: &str, error: InputError) -> SuiteError {
    SuiteError {
        file: file.to_owned(),
        path: format!("{prefix}{}", error.path.trim_start_matches('$')),
        problem: SuiteProblem::Input(error.problem),
    }
}

/// A condition case: a request and `expect`: true or false.
fn condition_case(
    case: &Value,
    path: &str,
    reader: &Reader<'_>,
) -> Result<ConditionCase, SuiteError> {
    let Some(Value::Bool(expect)) = case.get("expect") else {
        return Err(reader.error(
            &format!("{path}.expect"),
            "a condition case expects true or false",
        ));
    };
    let request = case
        .get("request")
        .ok_or_else(|| reader.error(path, "missing `request`"))?;
    let request = Request::from_value(request, reader.catalog).map_err(|e| {
        reader.problem(
            &format!("{path}.request{}", e.path.trim_start_matches('$')),
            SuiteProblem::Request(e.problem),
        )
    })?;
    Ok(ConditionCase {
        request,
        expect: *expect,
    })
}

/// A decision case: a `request` or an `assign`, `expect`: allow or deny, and maybe a phrase
/// its `reason` contains.
fn decision_case(
    case: &Value,
    path: &str,
    world: &World,
    reader: &Reader<'_>,
) -> Result<DecisionCase, SuiteError> {
    let expect = match case.get("expect").and_then(Value::as_str) {
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
        (None, Some(assign)) => {
            let (request, role) = reader.assign(assign, world, &format!("{path}.assign"))?;
            return Ok(DecisionCase {
                request: Box::new(request),
                assigns: Some(role),
                expect,
                reason: case
                    .get("reason")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            });
        }
        _ => return Err(reader.error(path, "a decision case has `request` or `assign`")),
    };
    let reason = case
        .get("reason")
        .and_then(Value::as_str)
        .map(str::to_owned);
    Ok(DecisionCase {
        request: Box::new(request),
        assigns: None,
        expect,
        reason,
    })
}

/// The JSON of a file named relative to the suite `suite`, for the field at `path`.
fn read_beside(suite: &std::path::Path, name: &str, path: &str) -> Result<Value, SuiteError> {
    let file = suite
        .parent()
        .map_or_else(|| PathBuf::from(name), |dir| dir.join(name));
    let text = crate::text::read_to_string(&file).map_err(|e| SuiteError {
        file: suite.to_owned(),
        path: path.to_owned(),
        problem: SuiteProblem::Read(format!("cannot read {}: {e}", file.display())),
    })?;
    crate::json::parse(&text).map_err(|e| SuiteError {
        file: file.clone(),
        path: "$".into(),
        problem: SuiteProblem::NotJson(e.to_string()),
    })
}
