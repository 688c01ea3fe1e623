//! Reading one JSON item of a world file exactly: the list it sits in (and whether the list is
//! complete), its fields ignoring case as ARM does (two keys equal ignoring case are an error),
//! scopes and role definition ids.

use serde_json::{Map, Value};
use uuid::Uuid;

use super::{InputError, InputProblem, Scope};

/// The items of the JSON list at `path`, each with its own path.
fn listed<'v>(items: &'v [Value], path: &str) -> Vec<(String, &'v Value)> {
    items
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("{path}[{i}]"), v))
        .collect()
}

/// The items of a file, each with its JSON path: one object, an array, an ARM list
/// (`{"value": [...]}`), or an `az graph query` result (`{"count", "data": [...],
/// "skip_token", "total_records"}`). A list that says it is incomplete (an ARM page with a
/// `nextLink`, a graph result with a `skip_token` or more `total_records` than rows) is an
/// error: what is missing could deny, and azabac does not decide on part of a tenant.
pub(crate) fn items(value: &Value) -> Result<Vec<(String, &Value)>, InputError> {
    match value {
        Value::Array(items) => Ok(listed(items, "$")),
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
                return Ok(listed(items, "$.value"));
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
                return Ok(listed(rows, "$.data"));
            }
            Ok(vec![("$".to_owned(), value)])
        }
        other => Ok(vec![("$".to_owned(), other)]),
    }
}

/// One object's fields: an ARM resource's `properties` (path `…properties`) with `id` and
/// `name` from the top, or a flat object.
pub(crate) struct Fields<'v> {
    pub(crate) top: &'v Map<String, Value>,
    top_path: String,
    pub(crate) body: &'v Map<String, Value>,
    pub(crate) body_path: String,
}

/// Two keys of one object that are equal ignoring ASCII case: ARM reads keys ignoring case, so
/// which of the two it takes is not known ([decision R14](crate::spec::decisions#decision-r14)).
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
    pub(crate) fn of(value: &'v Value, path: &str) -> Result<Fields<'v>, InputError> {
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
            top_path: path.to_owned(),
            body,
            body_path,
        })
    }

    /// A field of the body, ignoring ASCII case in its name.
    pub(crate) fn get(&self, name: &str) -> Option<(&'v Value, String)> {
        let (key, value) = self
            .body
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))?;
        Some((value, format!("{}.{key}", self.body_path)))
    }

    pub(crate) fn string(&self, name: &str) -> Result<Option<(&'v str, String)>, InputError> {
        match self.get(name) {
            None | Some((Value::Null, _)) => Ok(None),
            Some((Value::String(s), path)) => Ok(Some((s, path))),
            Some((other, path)) => Err(InputError::expected(&path, "a string", other)),
        }
    }

    /// `name` or, as another tool writes it, `alias`: giving both is an error.
    pub(crate) fn string_either(
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
                .map(|id| (id, format!("{}.id", self.top_path))))
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

    pub(crate) fn required(&self, name: &'static str) -> Result<(&'v str, String), InputError> {
        self.string(name)?
            .ok_or_else(|| InputError::missing(&self.body_path, name))
    }

    pub(crate) fn bool(&self, name: &str) -> Result<Option<bool>, InputError> {
        match self.get(name) {
            None | Some((Value::Null, _)) => Ok(None),
            Some((Value::Bool(b), _)) => Ok(Some(*b)),
            Some((other, path)) => Err(InputError::expected(&path, "true or false", other)),
        }
    }

    /// The id, else the name, else `#index`.
    pub(crate) fn id(&self, index: usize) -> String {
        ["id", "name"]
            .iter()
            .find_map(|k| self.top.get(*k).and_then(Value::as_str))
            .map_or_else(|| format!("#{index}"), str::to_owned)
    }

    /// `scope`, or the scope the object's id names. An id that is a path is read by the grammar
    /// of ids ([decision R19](crate::spec::decisions#decision-r19)), so a malformed one is an
    /// error; when both are given, they must agree.
    pub(crate) fn scope(&self, id: &str) -> Result<Scope, InputError> {
        let from_id = if id.starts_with('/') {
            let path = self
                .top
                .keys()
                .find(|k| {
                    k.eq_ignore_ascii_case("id") || k.eq_ignore_ascii_case("RoleAssignmentId")
                })
                .map_or_else(
                    || self.top_path.clone(),
                    |k| format!("{}.{k}", self.top_path),
                );
            Some(scope_of_id(id).map_err(|e| InputError::new(&path, InputProblem::Scope(e)))?)
        } else {
            None
        };
        match self.string("scope")? {
            Some((text, path)) => {
                let scope = Scope::parse(text)
                    .map_err(|e| InputError::new(&path, InputProblem::Scope(e)))?;
                match from_id {
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
            None => from_id.ok_or_else(|| InputError::missing(&self.body_path, "scope")),
        }
    }

    /// `condition` with `conditionVersion` (only 2.0, the default;
    /// [decision 23](crate::spec::decisions#decision-23)).
    pub(crate) fn condition(&self) -> Result<Option<String>, InputError> {
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

/// A role definition id as Azure writes it ([decision R19](crate::spec::decisions#decision-r19),
/// [decision 24](crate::spec::decisions#decision-24)): a GUID, or
/// `[SCOPE]/providers/Microsoft.Authorization/roleDefinitions/GUID`. Anything else, such as `..`
/// or more segments, is an error, never its last segment read as a GUID.
pub(crate) fn role_definition_guid(text: &str, path: &str) -> Result<Uuid, InputError> {
    crate::id::role_definition_guid(text)
        .map_err(|e| InputError::new(path, InputProblem::RoleDefinitionId(e)))
}

/// The scope a role assignment's (or deny assignment's, or PIM item's) id names: the id read by
/// the grammar of scopes, as `{scope}/providers/Microsoft.Authorization/{type}/{name}`.
pub(crate) fn scope_of_id(id: &str) -> Result<Scope, crate::id::IdError> {
    const TAIL: &str = "/providers/microsoft.authorization/";
    let resource = Scope::parse(id).map_err(|e| crate::id::IdError {
        what: "an assignment id",
        ..e
    })?;
    let text = resource.as_str();
    let at = text.rfind(TAIL).filter(|at| {
        // `{type}/{name}`, nothing more.
        text.get(at + TAIL.len()..)
            .is_some_and(|tail| tail.split('/').count() == 2)
    });
    let Some(at) = at else {
        return Err(crate::id::IdError {
            text: id.to_owned(),
            what: "an assignment id",
            why: "an assignment id is `{scope}/providers/Microsoft.Authorization/{type}/{name}`"
                .to_owned(),
        });
    };
    Scope::parse(if at == 0 {
        "/"
    } else {
        text.get(..at).unwrap_or("/")
    })
}
