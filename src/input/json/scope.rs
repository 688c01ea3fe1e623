//! Which template an ARM expression reads: the document's, or a nested deployment's own.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Deref;
use std::rc::Rc;

use serde_json::Value;

use super::super::arm::{self, PASSED, UNKNOWN};
use super::super::meter::Meter;
use super::at;

/// The template an expression reads: the document, or a nested template's own copy (see
/// [`Scopes::scope_of`]).
#[derive(Clone)]
pub(super) enum Scope<'d> {
    Written(&'d Value),
    Own(Rc<Value>),
}

impl Deref for Scope<'_> {
    type Target = Value;

    fn deref(&self) -> &Value {
        match self {
            Scope::Written(value) => value,
            Scope::Own(value) => value,
        }
    }
}

/// The scopes of one document, each nested template's own copy made once (a template of many
/// conditions would otherwise be copied for each).
pub(super) struct Scopes<'d> {
    pub(super) document: &'d Value,
    own: RefCell<HashMap<Vec<String>, Rc<Value>>>,
}

/// The value of `object`'s key `key`, compared ignoring case as ARM compares property names.
fn get<'v>(object: &'v Value, key: &str) -> Option<&'v Value> {
    object
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v)
}

/// The template whose `parameters` and `variables` the expressions at `path` read: the
/// document's, or that of the innermost nested deployment on the way with
/// `"expressionEvaluationOptions": {"scope": "inner"}` (what `bicep build` writes for a
/// module). Such a template reads its own parameters: their defaults where the deployment
/// passes none, and the values the deployment passes (`"parameters": {"p": {"value": …}}`),
/// evaluated in the scope around it: the copy read holds each as the parameter's value
/// (marked [`PASSED`], with what it was read through), or, where it is not known here (a
/// `reference`, an expression only a deployment decides), no value at all (marked
/// [`UNKNOWN`]).
impl<'d> Scopes<'d> {
    pub(super) fn new(document: &'d Value) -> Self {
        Scopes {
            document,
            own: RefCell::new(HashMap::new()),
        }
    }

    pub(super) fn scope_of(&self, path: &[String], meter: &Meter) -> Scope<'d> {
        let document = self.document;
        let mut scope = Scope::Written(document);
        for end in 2..=path.len() {
            let (Some(resource), Some([properties, template])) =
                (path.get(..end - 2), path.get(end - 2..end))
            else {
                continue;
            };
            if !(properties.eq_ignore_ascii_case("properties")
                && template.eq_ignore_ascii_case("template"))
            {
                continue;
            }
            let deployment = at(document, resource).and_then(|r| get(r, "properties"));
            let inner = deployment
                .and_then(|p| get(p, "expressionEvaluationOptions"))
                .and_then(|o| get(o, "scope"))
                .and_then(Value::as_str)
                .is_some_and(|scope| scope.eq_ignore_ascii_case("inner"));
            let Some(template) = path.get(..end).and_then(|p| at(document, p)) else {
                continue;
            };
            if !inner {
                continue;
            }
            let passed: Vec<(&String, &Value)> = deployment
                .and_then(|p| get(p, "parameters"))
                .and_then(Value::as_object)
                .map(|passed| passed.iter().collect())
                .unwrap_or_default();
            // Values from a parameters file a URI names: known only at deployment.
            let linked = deployment.and_then(|p| get(p, "parametersLink")).is_some();
            scope = if passed.is_empty() && !linked {
                Scope::Written(template)
            } else if let Some(own) = path
                .get(..end)
                .and_then(|p| self.own.borrow().get(p).cloned())
            {
                Scope::Own(own)
            } else {
                let mut own = template.clone();
                if let Some(Value::Object(parameters)) = own
                    .as_object_mut()
                    .and_then(|t| {
                        t.iter_mut()
                            .find(|(k, _)| k.eq_ignore_ascii_case("parameters"))
                    })
                    .map(|(_, v)| v)
                {
                    for (name, parameter) in parameters.iter_mut() {
                        let Some(parameter) = parameter.as_object_mut() else {
                            continue;
                        };
                        // The markers are azabac's, never the file's (ARM refuses a
                        // parameter with a property it does not know).
                        parameter.retain(|key, _| key != PASSED && key != UNKNOWN);
                        let Some((_, given)) =
                            passed.iter().find(|(p, _)| p.eq_ignore_ascii_case(name))
                        else {
                            if linked {
                                parameter
                                    .retain(|key, _| !key.eq_ignore_ascii_case("defaultValue"));
                                parameter.insert(UNKNOWN.into(), Value::Bool(true));
                            }
                            continue;
                        };
                        parameter.retain(|key, _| !key.eq_ignore_ascii_case("defaultValue"));
                        match passed_value(given, &scope, meter) {
                            Some((value, assumed)) => {
                                parameter.insert("defaultValue".into(), value);
                                parameter.insert(PASSED.into(), assumed.into());
                            }
                            None => {
                                parameter.insert(UNKNOWN.into(), Value::Bool(true));
                            }
                        }
                    }
                }
                let own = Rc::new(own);
                if let Some(key) = path.get(..end) {
                    self.own.borrow_mut().insert(key.to_vec(), Rc::clone(&own));
                }
                Scope::Own(own)
            };
        }
        scope
    }
}

/// The value a deployment passes a nested template's parameter (`{"value": …}`), as the
/// parameter's value in the nested template's copy, with what reading it assumed: a literal
/// as written; an expression evaluated in the scope around the deployment, known whole (its
/// strings that start with `[` escaped as `[[`, so the copy reads them as strings). `None`
/// for a value not known here (a `reference` to a Key Vault secret, an expression only a
/// deployment decides, such as one reading `copyIndex()` of the deployment's loop).
fn passed_value(given: &Value, scope: &Value, meter: &Meter) -> Option<(Value, Vec<String>)> {
    let mut assumed = Vec::new();
    let value = evaluated(get(given, "value")?, scope, meter, &mut assumed, 0)?;
    Some((value, assumed))
}

/// A value a deployment passes, every expression in it (the value itself, or a string inside
/// an object or array, as `bicep build` writes `roleAssignments: [{ condition: cond }]`)
/// evaluated in the caller's scope, known whole, and escaped for the nested template's copy;
/// literals as written. `None` where any expression is not known here.
fn evaluated(
    value: &Value,
    scope: &Value,
    meter: &Meter,
    assumed: &mut Vec<String>,
    depth: usize,
) -> Option<Value> {
    if depth > crate::limits::VALUE_MAX_JSON_DEPTH {
        return None;
    }
    match value {
        Value::String(text) => match arm::value_of(text, scope, None, meter) {
            Some(value) => {
                assumed.extend(value.assumed.iter().cloned());
                if let super::super::value::Shape::Text(text) = &value.shape {
                    assumed.extend(text.assumed.iter().cloned());
                }
                arm::to_json(value, scope, meter).map(escaped)
            }
            // A literal: read in the nested template as it reads its default.
            None => Some(value.clone()),
        },
        Value::Array(items) => items
            .iter()
            .map(|item| evaluated(item, scope, meter, assumed, depth + 1))
            .collect::<Option<_>>()
            .map(Value::Array),
        Value::Object(fields) => fields
            .iter()
            .map(|(key, item)| {
                Some((
                    key.clone(),
                    evaluated(item, scope, meter, assumed, depth + 1)?,
                ))
            })
            .collect::<Option<_>>()
            .map(Value::Object),
        other => Some(other.clone()),
    }
}

/// `value` with every string that starts with `[` escaped as `[[`: read by ARM as the string.
fn escaped(value: Value) -> Value {
    match value {
        Value::String(text) if text.starts_with('[') => Value::String(format!("[{text}")),
        Value::Array(items) => Value::Array(items.into_iter().map(escaped).collect()),
        Value::Object(fields) => {
            Value::Object(fields.into_iter().map(|(k, v)| (k, escaped(v))).collect())
        }
        other => other,
    }
}
