//! The request's JSON reader (`docs/language.md`, "Evaluation requests"): every attribute typed by the
//! catalogue when it is read, so that evaluation never parses; errors name the JSON path.

use serde_json::{Map, Value as Json};

use super::error::{RequestError, RequestProblem};
use super::{Attribute, Request, Slot};
use crate::catalog::{Catalog, Resolved, ValueType};
use crate::diagnostic::suggest;
use crate::eval::value::{Ticks, Value};
use crate::syntax::{AttributeName, AttributeRef, AttributeSource};

impl Request {
    /// Reads a request from its JSON text, typing each attribute by `catalog`.
    pub fn from_json(text: &str, catalog: &Catalog) -> Result<Request, RequestError> {
        let json: Json = crate::json::parse(text)
            .map_err(|e| RequestError::new("$", RequestProblem::NotJson(e.to_string())))?;
        Request::from_value(&json, catalog)
    }

    /// Reads a request from a JSON value, typing each attribute by `catalog`.
    pub fn from_value(json: &Json, catalog: &Catalog) -> Result<Request, RequestError> {
        let Json::Object(object) = json else {
            return Err(RequestError::expected("$", "an object", json));
        };
        let mut request = Request::new("");
        let mut action_seen = false;
        if let Some(problem) = same_key(object.keys(), |_| ()) {
            return Err(RequestError::new("$", problem));
        }
        for (field, value) in object {
            let path = format!("$.{field}");
            // Fields match ignoring ASCII case, as the exports' keys do
            // ([decision R14](crate::spec::decisions#decision-r14)).
            let lower = field.to_ascii_lowercase();
            match lower.as_str() {
                "action" | "dataaction" => {
                    if action_seen {
                        return Err(RequestError::new(&path, RequestProblem::TwoActions));
                    }
                    action_seen = true;
                    let Json::String(action) = value else {
                        return Err(RequestError::expected(&path, "a string", value));
                    };
                    let data_action = lower == "dataaction";
                    check_action(action)
                        .map_err(|why| RequestError::new(&path, RequestProblem::Action(why)))?;
                    request.set_action(action.clone());
                    request.data_action = data_action;
                }
                "suboperations" => {
                    let Json::Array(items) = value else {
                        return Err(RequestError::expected(&path, "an array of strings", value));
                    };
                    for (index, item) in items.iter().enumerate() {
                        let Json::String(name) = item else {
                            return Err(RequestError::expected(
                                &format!("{path}[{index}]"),
                                "a string",
                                item,
                            ));
                        };
                        request.push_suboperation(name);
                    }
                }
                _ => match bag_source(&lower) {
                    Some(source) => {
                        let Json::Object(bag) = value else {
                            return Err(RequestError::expected(&path, "an object", value));
                        };
                        read_bag(&mut request, source, bag, &path, catalog)?;
                    }
                    None => {
                        return Err(RequestError::new(
                            &path,
                            source_wrapper(field)
                                .unwrap_or_else(|| RequestProblem::UnknownField(field.clone())),
                        ));
                    }
                },
            }
        }
        if !action_seen {
            return Err(RequestError::new("$", RequestProblem::MissingAction));
        }
        Ok(request)
    }
}

/// An action a request can carry: one name, as Azure sends it. A request with spaces, control
/// characters or a wildcard in its action is no request Azure makes, and would match role
/// permissions Azure never matches it against.
fn check_action(action: &str) -> Result<(), String> {
    if action.is_empty() {
        return Err("the action is empty".into());
    }
    if let Some(c) = action.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "the action `{}` has a {} in it; an action is one name such as \
             `Microsoft.Storage/storageAccounts/read`",
            action.escape_debug(),
            if c.is_control() {
                "control character"
            } else {
                "space"
            }
        ));
    }
    if action.contains('*') {
        return Err(format!(
            "the action `{action}` has a wildcard; a request carries one action (wildcards \
             belong to role permissions)"
        ));
    }
    Ok(())
}

/// The attribute source a bag field holds.
fn bag_source(field: &str) -> Option<AttributeSource> {
    match field {
        "request" => Some(AttributeSource::Request),
        "resource" => Some(AttributeSource::Resource),
        "principal" => Some(AttributeSource::Principal),
        "environment" => Some(AttributeSource::Environment),
        _ => None,
    }
}

/// `@Request[name]`, copied from a condition into a request: where the bare name goes.
fn source_wrapper(key: &str) -> Option<RequestProblem> {
    let (wrapper, rest) = key.trim().strip_prefix('@')?.split_once('[')?;
    rest.strip_suffix(']')?;
    let field = match AttributeSource::from_name(wrapper)? {
        AttributeSource::Request => "request",
        AttributeSource::Resource => "resource",
        AttributeSource::Principal => "principal",
        AttributeSource::Environment => "environment",
    };
    Some(RequestProblem::SourceWrapper {
        key: key.to_owned(),
        field,
    })
}

/// Two of `keys` equal ignoring ASCII case, told apart only by `part` (compared as written):
/// the problem to report. Linear in the number of keys ([`crate::keys`]).
fn same_key<'k, P: std::hash::Hash + Eq>(
    keys: impl Iterator<Item = &'k String>,
    part: impl Fn(&'k str) -> P,
) -> Option<RequestProblem> {
    let (first, second) = crate::keys::repeated_by(keys.map(String::as_str), part)?;
    Some(RequestProblem::KeysDifferInCase {
        first: first.to_owned(),
        second: second.to_owned(),
    })
}

/// The part of an attribute key compared as written: a dictionary key
/// (`…:Project<$key_case_sensitive$>`) is case-sensitive data; the rest of an attribute's name
/// is compared ignoring ASCII case.
fn dictionary_key(key: &str) -> Option<String> {
    match AttributeName::parse(key) {
        Ok(AttributeName::Keyed { key, .. }) => Some(key),
        _ => None,
    }
}

/// Reads one attribute bag (`request`, `resource`, ...).
fn read_bag(
    request: &mut Request,
    source: AttributeSource,
    bag: &Map<String, Json>,
    bag_path: &str,
    catalog: &Catalog,
) -> Result<(), RequestError> {
    if let Some(problem) = same_key(bag.keys(), dictionary_key) {
        return Err(RequestError::new(bag_path, problem));
    }
    for (key, value) in bag {
        let path = format!("{bag_path}[{}]", Json::String(key.clone()));
        let fail = |problem: RequestProblem| RequestError::new(&path, problem);
        if let Some(problem) = source_wrapper(key) {
            return Err(fail(problem));
        }
        let name = AttributeName::parse(key).map_err(|e| {
            fail(RequestProblem::NotAnAttributeName {
                key: key.clone(),
                why: format!("{e:?}"),
            })
        })?;
        if Slot::of(&AttributeRef {
            source,
            name: name.clone(),
        })
        .is_suboperations()
        {
            return Err(fail(RequestProblem::SubOperationsAsAttribute));
        }
        if let Json::Object(entries) = value {
            let text = name.to_string();
            let Some(dictionary) = catalog.dictionary(&text) else {
                return Err(fail(RequestProblem::NotADictionary(key.clone())));
            };
            require_source(dictionary, source, key).map_err(fail)?;
            let element = dictionary.entry.value_type;
            // An empty object is an empty dictionary: present, with no keys.
            let index = request.dictionary(source, &text);
            for (entry_key, entry_value) in entries {
                let entry_path = format!("{path}[{}]", Json::String(entry_key.clone()));
                let scalar = scalar(entry_value, element, &entry_path)?;
                request.set_key(index, Value::string(entry_key.as_str()), scalar);
            }
            continue;
        }
        let Some(Resolved {
            attribute,
            via_family,
        }) = catalog.attribute(&name)
        else {
            let names = catalog
                .attributes()
                .iter()
                .filter(|a| a.source(source).is_some())
                .map(|a| a.entry.name.as_str());
            return Err(fail(RequestProblem::UnknownAttribute {
                key: key.clone(),
                source,
                suggestion: suggest::closest(key, names).map(str::to_owned),
            }));
        };
        require_source(attribute, source, key).map_err(fail)?;
        let value_type = attribute.entry.value_type;
        match (&name, value) {
            (AttributeName::Keyed { path: dict, key: k }, _) => {
                let scalar = scalar(value, value_type, &path)?;
                let index = request.dictionary(source, dict);
                request.set_key(index, Value::string(k.as_str()), scalar);
            }
            (AttributeName::KeySet { path: dict }, _) => {
                return Err(fail(RequestProblem::KeySetGiven(dict.clone())));
            }
            (_, Json::Array(items)) => {
                if !attribute.entry.multi_valued && !via_family {
                    return Err(RequestError::expected(
                        &path,
                        &format!("a single {}", type_label(value_type)),
                        value,
                    ));
                }
                let values = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| scalar(item, value_type, &format!("{path}[{i}]")))
                    .collect::<Result<Vec<_>, _>>()?;
                request.set(source, key, Attribute::Multi(values));
            }
            (_, _) if attribute.entry.multi_valued => {
                return Err(RequestError::expected(
                    &path,
                    &format!("an array of {}", type_label(value_type)),
                    value,
                ));
            }
            _ => {
                let scalar = scalar(value, value_type, &path)?;
                request.set(source, key, Attribute::Single(scalar));
            }
        }
    }
    Ok(())
}

fn require_source(
    attribute: &crate::catalog::AttributeInfo,
    source: AttributeSource,
    key: &str,
) -> Result<(), RequestProblem> {
    if attribute.source(source).is_some() {
        return Ok(());
    }
    Err(RequestProblem::WrongSource {
        key: key.to_owned(),
        source,
        sources: attribute
            .sources
            .iter()
            .map(|s| format!("`{}`", s.source.name().to_ascii_lowercase()))
            .collect(),
    })
}

fn type_label(value_type: Option<ValueType>) -> &'static str {
    match value_type {
        Some(ValueType::String) => "String",
        Some(ValueType::Integer) => "Integer",
        Some(ValueType::Boolean) => "Boolean",
        Some(ValueType::DateTime) => "DateTime",
        Some(ValueType::Guid) => "Guid",
        None => "string, integer or boolean",
    }
}

/// Reads one scalar of the attribute's type; an attribute of unknown type (an undeclared
/// custom security attribute) takes the JSON value's own type.
fn scalar(json: &Json, value_type: Option<ValueType>, path: &str) -> Result<Value, RequestError> {
    let expected = |what: &str| RequestError::expected(path, what, json);
    match (value_type, json) {
        (Some(ValueType::String) | None, Json::String(s)) => Ok(Value::string(s.as_str())),
        (Some(ValueType::Integer) | None, Json::Number(n)) => n
            .as_i64()
            .map(Value::Integer)
            .ok_or_else(|| expected("an Integer (a whole number that fits in 64 bits)")),
        (Some(ValueType::Boolean) | None, Json::Bool(b)) => Ok(Value::Bool(*b)),
        (Some(ValueType::DateTime), Json::String(s)) => Ticks::parse(s)
            .map(Value::DateTime)
            .map_err(|reason| RequestError::new(path, RequestProblem::DateTime(reason))),
        (Some(ValueType::Guid), Json::String(s)) => {
            // Decisions 24 and R19: a role definition's full id
            // (`/subscriptions/…/providers/Microsoft.Authorization/roleDefinitions/<guid>`) means
            // the GUID it names, read by the grammar of ids; never its last segment.
            if s.starts_with('/') {
                return crate::id::role_definition_guid(s)
                    .map(Value::guid)
                    .map_err(|e| RequestError::new(path, RequestProblem::Id(e)));
            }
            crate::syntax::literal::guid(s)
                .map(Value::guid)
                .ok_or_else(|| expected("a GUID (or a role definition's resource id)"))
        }
        (value_type, _) => Err(expected(&format!("a {}", type_label(value_type)))),
    }
}
