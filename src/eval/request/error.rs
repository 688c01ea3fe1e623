//! Why a request's JSON cannot be read: the JSON path, and a typed problem whose `Display` is
//! the sentence.

use std::fmt;

use serde_json::Value as Json;

use crate::syntax::AttributeSource;

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
    /// Two keys of one object that name one field or attribute, in two spellings
    /// ([decision R14](crate::spec::decisions#decision-r14)): which one Azure would read is not
    /// known, so neither is taken.
    KeysDifferInCase {
        /// One key as written.
        first: String,
        /// The other.
        second: String,
    },
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
    pub(super) fn new(path: &str, problem: RequestProblem) -> RequestError {
        RequestError {
            path: path.to_owned(),
            problem,
        }
    }

    pub(super) fn expected(path: &str, what: &str, found: &Json) -> RequestError {
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
            RequestProblem::KeysDifferInCase { first, second } => write!(
                f,
                "`{first}` and `{second}` name one key in two spellings; give it once"
            ),
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
