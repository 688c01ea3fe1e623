//! The request's JSON reader (`docs/language.md`, "Evaluation requests"): every attribute typed by the
//! catalogue when it is read, so that evaluation never parses; errors name the JSON path.

use std::fmt;

use serde_json::{Map, Value as Json};

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
        for (field, value) in object {
            let path = format!("$.{field}");
            match field.as_str() {
                "action" | "dataAction" => {
                    if action_seen {
                        return Err(RequestError::new(&path, RequestProblem::TwoActions));
                    }
                    action_seen = true;
                    let Json::String(action) = value else {
                        return Err(RequestError::expected(&path, "a string", value));
                    };
                    let data_action = field == "dataAction";
                    check_action(action)
                        .map_err(|why| RequestError::new(&path, RequestProblem::Action(why)))?;
                    request.set_action(action.clone());
                    request.data_action = data_action;
                }
                "subOperations" => {
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
                _ => match bag_source(field) {
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

/// A request that cannot be read: where in the JSON, and what is wrong there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestError {
    /// A JSON path such as `$.request["…:RoleDefinitionId"]`.
    pub path: String,
    /// What is wrong there.
    pub problem: RequestProblem,
}

/// What is wrong with a piece of a request.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequestProblem {
    /// The text is not JSON; the reader's message says where.
    NotJson(String),
    /// A value of another type than the field or attribute takes.
    Expected {
        /// What it takes, such as "a GUID (or a role definition's resource id)".
        what: String,
        /// What was found, such as "the number 3".
        found: String,
    },
    /// Both `action` and `dataAction`.
    TwoActions,
    /// Neither `action` nor `dataAction`.
    MissingAction,
    /// An action that is not one name (empty, spaces, control characters, a wildcard).
    Action(String),
    /// A field a request does not have.
    UnknownField(String),
    /// A key that is not an attribute name, and why.
    NotAnAttributeName {
        /// The key.
        key: String,
        /// Why.
        why: String,
    },
    /// `subOperation` given as an attribute rather than in `subOperations`.
    SubOperationsAsAttribute,
    /// An object given for an attribute that is not a dictionary.
    NotADictionary(String),
    /// An attribute under a source that does not provide it, and the sources that do.
    WrongSource {
        /// The key.
        key: String,
        /// The source it was given under.
        source: AttributeSource,
        /// The sources that provide it, lowercased as the bags are named.
        sources: Vec<String>,
    },
    /// An attribute the catalogue does not know under this source.
    UnknownAttribute {
        /// The key.
        key: String,
        /// The source.
        source: AttributeSource,
        /// The nearest known name, if one is near.
        suggestion: Option<String>,
    },
    /// A dictionary's key set (`&$keys$&`) given as an attribute.
    KeySetGiven(String),
    /// An attribute keyed as a condition writes it, `@Source[name]`, where the request wants
    /// the bare name under the source's field.
    SourceWrapper {
        /// The key as given, `@Source[name]`.
        key: String,
        /// The field the wrapper's source is given under: `request`, `resource`, ...
        field: &'static str,
    },
    /// A DateTime that is not one.
    DateTime(crate::syntax::literal::DateTimeError),
    /// An id that its grammar refuses ([decision R19](crate::spec::decisions#decision-r19)).
    Id(crate::id::IdError),
}

impl RequestError {
    fn new(path: &str, problem: RequestProblem) -> RequestError {
        RequestError {
            path: path.to_owned(),
            problem,
        }
    }

    fn expected(path: &str, what: &str, found: &Json) -> RequestError {
        RequestError::new(
            path,
            RequestProblem::Expected {
                what: what.to_owned(),
                found: describe(found),
            },
        )
    }

    /// What is wrong, in a sentence.
    pub fn message(&self) -> String {
        self.problem.to_string()
    }
}

impl fmt::Display for RequestProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestProblem::NotJson(why) => write!(f, "not valid JSON: {why}"),
            RequestProblem::Expected { what, found } => write!(f, "expected {what}, found {found}"),
            RequestProblem::TwoActions => {
                f.write_str("give either `action` or `dataAction`, not both")
            }
            RequestProblem::MissingAction => {
                f.write_str("missing `action` (or `dataAction`): the action being requested")
            }
            RequestProblem::Action(why) => f.write_str(why),
            RequestProblem::UnknownField(field) => write!(
                f,
                "unknown field `{field}`; a request has `action` (or `dataAction`), \
                 `subOperations`, `request`, `resource`, `principal` and `environment`"
            ),
            RequestProblem::NotAnAttributeName { key, why } => {
                write!(f, "`{key}` is not an attribute name: {why}")
            }
            RequestProblem::SubOperationsAsAttribute => {
                f.write_str("give suboperations in the top-level `subOperations` array")
            }
            RequestProblem::NotADictionary(key) => write!(
                f,
                "`{key}` is not a dictionary attribute; only dictionaries such as blob index \
                 tags are given as objects"
            ),
            RequestProblem::WrongSource {
                key,
                source,
                sources,
            } => write!(
                f,
                "`{key}` is not a @{} attribute; give it under {}",
                source.name(),
                sources.join(" or ")
            ),
            RequestProblem::UnknownAttribute {
                key,
                source,
                suggestion,
            } => {
                write!(f, "`{key}` is not a known @{} attribute", source.name())?;
                match suggestion {
                    Some(close) => write!(f, "; did you mean `{close}`?"),
                    None => Ok(()),
                }
            }
            RequestProblem::SourceWrapper { key, field } => write!(
                f,
                "`{key}` is the attribute as a condition writes it; a request gives its bare \
                 name under `{field}`: `\"{}\": …`",
                key.split_once('[').map_or(key.as_str(), |(_, rest)| rest
                    .trim_end()
                    .trim_end_matches(']'))
            ),
            RequestProblem::KeySetGiven(dict) => write!(
                f,
                "give the dictionary itself, as an object under `{dict}`, and its keys follow"
            ),
            RequestProblem::DateTime(why) => write!(
                f,
                "expected a DateTime such as \"2023-05-01T13:00:00Z\": {why}"
            ),
            RequestProblem::Id(error) => write!(f, "{error}"),
        }
    }
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at {}: {}", self.path, self.problem)
    }
}

impl std::error::Error for RequestError {}

/// A short description of a JSON value for messages.
fn describe(value: &Json) -> String {
    match value {
        Json::Null => "null".into(),
        Json::Bool(b) => format!("the boolean {b}"),
        Json::Number(n) => format!("the number {n}"),
        Json::String(s) if s.chars().count() > 60 => "a long string".into(),
        Json::String(s) => format!("the string {s:?}"),
        Json::Array(_) => "an array".into(),
        Json::Object(_) => "an object".into(),
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

/// Reads one attribute bag (`request`, `resource`, ...).
fn read_bag(
    request: &mut Request,
    source: AttributeSource,
    bag: &Map<String, Json>,
    bag_path: &str,
    catalog: &Catalog,
) -> Result<(), RequestError> {
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

/// An attribute a request's JSON gives that Azure never sends for its action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unsent {
    /// The JSON path of the attribute, such as `$.request["…:RoleDefinitionId"]`.
    pub path: String,
    /// The field it is given under: `request`, `resource`, `principal` or `environment`.
    pub field: String,
    /// What is wrong, and where Azure sends the attribute instead when it does.
    pub message: String,
}

/// The attributes of a request's JSON (the shape [`Request::from_json`] reads) that Azure never
/// sends for its action and suboperations, by the catalogue: a condition that reads one sees it
/// absent in Azure, so an evaluation that gives it tests a request Azure does not make. Where
/// Azure sends the attribute under another source for that action (a role assignment's
/// `RoleDefinitionId` is `@Request` on write, `@Resource` on delete), the message says so.
pub fn unsent_attributes(value: &Json, catalog: &Catalog) -> Vec<Unsent> {
    let Some(object) = value.as_object() else {
        return Vec::new();
    };
    let Some(action) = ["action", "dataAction"]
        .iter()
        .find_map(|k| object.get(*k).and_then(Json::as_str))
    else {
        return Vec::new();
    };
    let suboperations: Vec<&str> = object
        .get("subOperations")
        .and_then(Json::as_array)
        .map(|items| items.iter().filter_map(Json::as_str).collect())
        .unwrap_or_default();
    let mut unsent = Vec::new();
    for &source in AttributeSource::ALL {
        let field = source.name().to_ascii_lowercase();
        let Some(Json::Object(attributes)) = object.get(&field) else {
            continue;
        };
        for name in attributes.keys() {
            let Ok(parsed) = AttributeName::parse(name) else {
                continue;
            };
            if catalog.supplies(source, &parsed, action, &suboperations) != Some(false) {
                continue;
            }
            let elsewhere = AttributeSource::ALL.iter().find(|&&other| {
                other != source
                    && catalog.supplies(other, &parsed, action, &suboperations) == Some(true)
            });
            let hint = match elsewhere {
                Some(other) => format!(
                    "; Azure sends it as `@{}` for this action: give it under `{}`",
                    other.name(),
                    other.name().to_ascii_lowercase()
                ),
                None => String::new(),
            };
            unsent.push(Unsent {
                path: format!("$.{field}[{}]", Json::String(name.clone())),
                field: field.clone(),
                message: format!(
                    "Azure never sends `@{}[{name}]` for `{action}`{hint}",
                    source.name()
                ),
            });
        }
    }
    unsent
}
