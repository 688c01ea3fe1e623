//! Reading one JSON item of a world file exactly: the list it sits in (and whether the list is
//! complete), its fields ignoring case as ARM does (two keys equal ignoring case are an error),
//! scopes and role definition ids.

use serde_json::{Map, Value};

use super::{InputError, InputProblem, Scope};

/// The items of the JSON list at `path`, each with its own path.
fn listed<'v>(items: &'v [Value], path: &str) -> Vec<(String, &'v Value)> {
    items
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("{path}[{i}]"), v))
        .collect()
}

/// The key of `object` (at `path`) equal to `name` ignoring ASCII case, with its value; two
/// such keys are an error ([decision R14](crate::spec::decisions#decision-r14)), whether or
/// not the object was checked whole, so no lookup takes one spelling silently.
pub(crate) fn key_of<'v>(
    object: &'v Map<String, Value>,
    name: &str,
    path: &str,
) -> Result<Option<(&'v String, &'v Value)>, InputError> {
    let mut found: Option<(&'v String, &'v Value)> = None;
    for (key, value) in object {
        if key.eq_ignore_ascii_case(name) {
            if let Some((first, _)) = found {
                return Err(InputError::new(path, InputProblem::keys_differ(first, key)));
            }
            found = Some((key, value));
        }
    }
    Ok(found)
}

/// The items of a file, each with its JSON path: one object, an array, or a list in the
/// envelope a tool prints around it, with that envelope's completeness markers read in any
/// spelling ([decision R14](crate::spec::decisions#decision-r14)):
///
/// - an ARM or Microsoft Graph page, `{"value": [...]}`, is incomplete while `nextLink` or
///   `@odata.nextLink` is set;
/// - an `az graph query` result, `{"count", "data": [...], "skip_token", "total_records"}`, and
///   a Resource Graph REST response, `{"count", "data": [...], "totalRecords", "$skipToken",
///   "resultTruncated"}`, are incomplete while a skip token is set, `resultTruncated` is true, or
///   the total exceeds the rows; a `data` object (the `table` result format) is refused;
/// - beside either list, every one of these markers is read, a count must be the list's length,
///   and `value` beside `data` is an error (`super::item::list_of`).
///
/// A list that says it is incomplete is an error naming the marker: what is missing could
/// deny, and azabac does not decide on part of a tenant.
pub(crate) fn items(value: &Value) -> Result<Vec<(String, &Value)>, InputError> {
    let object = match value {
        Value::Array(items) => return Ok(listed(items, "$")),
        Value::Object(object) => object,
        other => return Ok(vec![("$".to_owned(), other)]),
    };
    keys_equal_ignoring_case(object, "$")?;
    // The envelope is judged as the role assignment reader judges it (`super::item`).
    match super::item::list_of(object)? {
        Some((key, items)) => Ok(listed(items, &format!("$.{key}"))),
        None => Ok(vec![("$".to_owned(), value)]),
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
pub(crate) fn keys_equal_ignoring_case(
    object: &Map<String, Value>,
    path: &str,
) -> Result<(), InputError> {
    match crate::keys::repeated(object.keys().map(String::as_str)) {
        Some((first, second)) => Err(InputError::new(
            path,
            InputProblem::keys_differ(first, second),
        )),
        None => Ok(()),
    }
}

impl<'v> Fields<'v> {
    pub(crate) fn of(value: &'v Value, path: &str) -> Result<Fields<'v>, InputError> {
        let Value::Object(top) = value else {
            return Err(InputError::expected(path, "an object", value));
        };
        keys_equal_ignoring_case(top, path)?;
        let (body, body_path) = match key_of(top, "properties", path)? {
            Some((key, Value::Object(body))) => {
                let body_path = format!("{path}.{key}");
                keys_equal_ignoring_case(body, &body_path)?;
                (body, body_path)
            }
            Some((key, other)) => {
                return Err(InputError::expected(
                    &format!("{path}.{key}"),
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

    /// A field of the body, ignoring ASCII case in its name. Beside `properties`, the same
    /// field at the top (not `null`) with another value is an error: it would be passed over,
    /// and which of the two Azure holds is not known.
    pub(crate) fn get(&self, name: &str) -> Result<Option<(&'v Value, String)>, InputError> {
        let inside = key_of(self.body, name, &self.body_path)?;
        if !std::ptr::eq(self.body, self.top)
            && let Some((key, value)) = key_of(self.top, name, &self.top_path)?
            && !value.is_null()
            && inside.is_none_or(|(_, inside)| inside != value)
        {
            let properties = self.body_path.rsplit('.').next().unwrap_or("properties");
            return Err(InputError::new(
                &format!("{}.{key}", self.top_path),
                InputProblem::OutsideProperties {
                    key: key.clone(),
                    properties: properties.to_owned(),
                },
            ));
        }
        Ok(inside.map(|(key, value)| (value, format!("{}.{key}", self.body_path))))
    }

    pub(crate) fn string(&self, name: &str) -> Result<Option<(&'v str, String)>, InputError> {
        match self.get(name)? {
            None | Some((Value::Null, _)) => Ok(None),
            Some((Value::String(s), path)) => Ok(Some((s, path))),
            Some((other, path)) => Err(InputError::expected(&path, "a string", other)),
        }
    }

    pub(crate) fn bool(&self, name: &str) -> Result<Option<bool>, InputError> {
        match self.get(name)? {
            None | Some((Value::Null, _)) => Ok(None),
            Some((Value::Bool(b), _)) => Ok(Some(*b)),
            Some((other, path)) => Err(InputError::expected(&path, "true or false", other)),
        }
    }

    /// The id, else the name, else `#index` (keys in any spelling). An `id` that is not a
    /// string is an error.
    pub(crate) fn id(&self, index: usize) -> Result<String, InputError> {
        if let Some((text, _)) = self.top_string("id")? {
            return Ok(id_text(text).to_owned());
        }
        Ok(self
            .top_string("name")?
            .map_or_else(|| format!("#{index}"), |(text, _)| text.to_owned()))
    }

    /// A string of the object's own top level (not of its `properties`).
    fn top_string(&self, name: &str) -> Result<Option<(&'v str, String)>, InputError> {
        match key_of(self.top, name, &self.top_path)? {
            None | Some((_, Value::Null)) => Ok(None),
            Some((key, Value::String(text))) => {
                Ok(Some((text, format!("{}.{key}", self.top_path))))
            }
            Some((key, other)) => Err(InputError::expected(
                &format!("{}.{key}", self.top_path),
                "a string",
                other,
            )),
        }
    }

    /// `scope`, or the scope the object's `id` names. An `id` with a `/` in it is read by the
    /// grammar of ids ([decision R19](crate::spec::decisions#decision-r19)), so a malformed one
    /// (`" /subscriptions/…"`) is an error, never passed over as a label; one without is a label
    /// (`d1`), as hand-written files give; when an id and `scope` are both given, they must
    /// agree.
    pub(crate) fn scope(&self) -> Result<Scope, InputError> {
        let from_id = match self.top_string("id")? {
            Some((id, path)) if id.contains('/') => {
                Some(scope_of_id(id).map_err(|e| InputError::new(&path, InputProblem::Scope(e)))?)
            }
            _ => None,
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

/// The id written `text`, as it is kept and compared: one trailing `/` of a path stripped (the
/// grammar reads `…/{guid}/` as `…/{guid}`), so that it has one spelling with a kind
/// ([decision R19](crate::spec::decisions#decision-r19)).
pub(crate) fn id_text(text: &str) -> &str {
    match text.strip_suffix('/') {
        Some(stripped) if stripped.starts_with('/') => stripped,
        _ => text,
    }
}

/// The scope a role assignment's (or deny assignment's, or PIM item's) id names: the id read by
/// the grammar of scopes, as `{scope}/providers/Microsoft.Authorization/{type}/{name}`.
pub(crate) fn scope_of_id(id: &str) -> Result<Scope, crate::id::IdError> {
    let resource = Scope::parse(id).map_err(|e| crate::id::IdError {
        what: "an assignment id",
        ..e
    })?;
    let text = resource.as_str();
    // `{scope}/providers/microsoft.authorization/{type}/{name}`, nothing more.
    let at = text
        .rsplitn(3, '/')
        .nth(2)
        .and_then(|before| before.strip_suffix("/providers/microsoft.authorization"))
        .map(str::len);
    let Some(at) = at else {
        return Err(crate::id::IdError {
            text: id.to_owned(),
            what: "an assignment id",
            why: "an assignment id is `{scope}/providers/Microsoft.Authorization/{type}/{name}`"
                .to_owned(),
        });
    };
    match resource.prefix(at.max(1)) {
        Some(scope) => Ok(scope),
        // Not a scope: read it again for the reason.
        None => Scope::parse(text.get(..at).unwrap_or("/")),
    }
}
