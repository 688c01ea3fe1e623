//! The request a condition is evaluated against: the action, its suboperations and the four
//! attribute bags, typed by the catalogue when they are read so that evaluation never parses.
//!
//! JSON form (README, "Evaluating conditions"):
//!
//! ```json
//! {"action": "Microsoft.Authorization/roleAssignments/write",
//!  "subOperations": [],
//!  "request":     {"Microsoft.Authorization/roleAssignments:RoleDefinitionId": "53ca6127-db72-4b80-b1b0-d745d6d5456d"},
//!  "resource":    {"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags": {"Project": "Cascade"}},
//!  "principal":   {"Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Project": ["Baker", "Cascade"]},
//!  "environment": {"isPrivateLink": true, "UtcNow": "2023-05-01T13:00:00Z"}}
//! ```

use std::fmt;
use std::hash::Hasher;
use std::sync::LazyLock;

use serde_json::{Map, Value as Json};

use super::bytes;
use super::value::{Ticks, Value};
use crate::catalog::{Catalog, Form, Resolved, ValueType};
use crate::diagnostic::suggest;
use crate::hash::{FastHasher, FastMap};
use crate::syntax::{AttributeName, AttributeRef, AttributeSource};

/// An attribute's value in a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Attribute {
    /// A single value.
    Single(Value),
    /// A multi-valued attribute (a JSON array); may be empty.
    Multi(Vec<Value>),
    /// A dictionary such as blob index tags: `path:key<$key_case_sensitive$>` reads one value
    /// by its case-sensitive key, `path&$keys$&` reads the keys.
    Dictionary {
        /// The keys, each a [`Value::String`], in the order given.
        keys: Vec<Value>,
        /// The value of each key, in the same order.
        values: Vec<Value>,
    },
}

impl From<Value> for Attribute {
    fn from(value: Value) -> Attribute {
        Attribute::Single(value)
    }
}

impl From<Vec<Value>> for Attribute {
    fn from(values: Vec<Value>) -> Attribute {
        Attribute::Multi(values)
    }
}

/// What one attribute reference reads from a request: its values, and whether the attribute
/// is multi-valued (a one-element list is still a list).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operand<'r> {
    /// The values: exactly one for a single-valued attribute.
    pub values: &'r [Value],
    /// Whether the attribute is a list (so an unquantified operator cannot compare it).
    pub multi: bool,
}

/// An attribute reference resolved to how a request stores it. The compiler makes one per
/// distinct reference, so that evaluation compares a hash and then a lowercase key, never
/// parses.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Slot {
    /// The attribute, or for a dictionary its path.
    key: Key,
    kind: SlotKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum SlotKind {
    /// A plain attribute.
    Plain,
    /// One value of a dictionary, by its case-sensitive key (exactly as written).
    Keyed(Box<str>),
    /// The keys of a dictionary.
    KeySet,
    /// `@Request[subOperation]`: the request's suboperations (decision 25).
    SubOperations,
}

/// Where an attribute is found in a request: its source and its name as written inside the
/// brackets, ASCII-lowercased. A name of the built-in catalogue also carries its number there,
/// so that two such keys compare as two integers; other names (custom security attributes,
/// extensions) compare by a hash and then the text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Key {
    source: AttributeSource,
    /// 1 + the index of the name among the built-in catalogue's, or 0.
    known: u32,
    hash: u64,
    name: Box<str>,
}

/// The built-in catalogue's attribute names (dictionary paths for dictionaries), lowercased,
/// each with its number.
static WELL_KNOWN: LazyLock<FastMap<Box<str>, u32>> = LazyLock::new(|| {
    let attributes = Catalog::builtin().map_or(&[][..], Catalog::attributes);
    attributes
        .iter()
        .filter(|a| a.entry.form != Form::Family)
        .zip(1..)
        .map(|(a, number)| (a.entry.name.to_ascii_lowercase().into(), number))
        .collect()
});

/// The built-in catalogue's actions, lowercased, each with its number.
static KNOWN_ACTIONS: LazyLock<FastMap<Box<str>, u32>> = LazyLock::new(|| {
    let actions = Catalog::builtin().map_or(&[][..], Catalog::actions);
    actions
        .iter()
        .zip(1..)
        .map(|(a, number)| (a.name.to_ascii_lowercase().into(), number))
        .collect()
});

/// The number of an ASCII-lowercased action among the built-in catalogue's, or 0. Two
/// actions with numbers are equal exactly when their numbers are, and an action with a number
/// never equals one without, so `ActionMatches` with a catalogue action compares integers.
pub(super) fn action_number(lowercase: &str) -> u32 {
    KNOWN_ACTIONS.get(lowercase).copied().unwrap_or(0)
}

impl Key {
    fn new(source: AttributeSource, name: &str) -> Key {
        Key::from_lowercase(source, name.to_ascii_lowercase().into())
    }

    fn from_lowercase(source: AttributeSource, name: Box<str>) -> Key {
        let known = WELL_KNOWN.get(&name).copied().unwrap_or(0);
        // A prefilter only: [`Key::is`] confirms equal hashes on the text.
        let mut hasher = FastHasher::default();
        hasher.write_u8(source as u8);
        hasher.write(name.as_bytes());
        let hash = hasher.finish();
        Key {
            source,
            known,
            hash,
            name,
        }
    }

    /// The same attribute: equal names give equal numbers, and a known name never equals an
    /// unknown one.
    #[inline]
    fn is(&self, other: &Key) -> bool {
        if self.source != other.source || self.known != other.known {
            return false;
        }
        self.known != 0 || (self.hash == other.hash && self.name == other.name)
    }
}

/// The legacy attribute that reads the request's suboperations.
const SUBOPERATION_ATTRIBUTE: &str = "subOperation";

impl Slot {
    /// The slot an attribute reference reads.
    pub fn of(attribute: &AttributeRef) -> Slot {
        let source = attribute.source;
        let kind = match &attribute.name {
            AttributeName::Name(name)
                if source == AttributeSource::Request
                    && name.eq_ignore_ascii_case(SUBOPERATION_ATTRIBUTE) =>
            {
                SlotKind::SubOperations
            }
            AttributeName::Keyed { key, .. } => SlotKind::Keyed(key.as_str().into()),
            AttributeName::KeySet { .. } => SlotKind::KeySet,
            _ => SlotKind::Plain,
        };
        Slot {
            key: Key::from_lowercase(source, attribute.name.lookup_key().into()),
            kind,
        }
    }
}

/// One attribute of a request.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    /// The name (or dictionary path).
    key: Key,
    attribute: Attribute,
}

/// A request to evaluate a condition against.
///
/// ```
/// use azabac::eval::{Request, Value};
/// use azabac::syntax::AttributeSource;
///
/// let request = Request::new("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read")
///     .with_suboperation("Blob.List")
///     .with(AttributeSource::Resource, "Microsoft.Storage/storageAccounts/blobServices/containers:name", Value::string("logs"));
/// assert_eq!(request.suboperations().len(), 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    action: Box<str>,
    /// The action, ASCII-lowercased once so that `ActionMatches` compares bytes.
    action_key: Box<str>,
    /// [`action_number`] of `action_key`.
    action_number: u32,
    data_action: bool,
    suboperations: Vec<Value>,
    /// The suboperations, ASCII-lowercased once so that `SubOperationMatches` compares bytes.
    suboperation_keys: Vec<Box<str>>,
    entries: Vec<Entry>,
}

impl Request {
    /// A request for `action` with no suboperations and no attributes.
    pub fn new(action: impl Into<String>) -> Request {
        let mut request = Request {
            action: Box::default(),
            action_key: Box::default(),
            action_number: 0,
            data_action: false,
            suboperations: Vec::new(),
            suboperation_keys: Vec::new(),
            entries: Vec::new(),
        };
        request.set_action(action.into());
        request
    }

    fn set_action(&mut self, action: String) {
        let key = action.to_ascii_lowercase();
        self.action_number = action_number(&key);
        self.action_key = key.into_boxed_str();
        self.action = action.into_boxed_str();
    }

    /// Marks the action as a data action (the JSON key `dataAction` instead of `action`).
    pub fn as_data_action(mut self) -> Request {
        self.data_action = true;
        self
    }

    /// Adds a suboperation, such as `Blob.List`.
    pub fn with_suboperation(mut self, name: impl Into<String>) -> Request {
        self.push_suboperation(&name.into());
        self
    }

    fn push_suboperation(&mut self, name: &str) {
        self.suboperations.push(Value::string(name));
        self.suboperation_keys
            .push(name.to_ascii_lowercase().into_boxed_str());
    }

    /// Sets an attribute, named as written inside the brackets (`isPrivateLink`,
    /// `Microsoft.Storage/…/containers:name`), replacing any earlier value. A dictionary is
    /// set under its path (`…/blobs/tags`).
    pub fn with(
        mut self,
        source: AttributeSource,
        name: &str,
        attribute: impl Into<Attribute>,
    ) -> Request {
        self.set(source, name, attribute.into());
        self
    }

    fn set(&mut self, source: AttributeSource, name: &str, attribute: Attribute) {
        let key = Key::new(source, name);
        match self.entries.iter_mut().find(|e| e.key.is(&key)) {
            Some(entry) => entry.attribute = attribute,
            None => self.entries.push(Entry { key, attribute }),
        }
    }

    /// The index of the dictionary attribute at `path`, created empty if needed.
    fn dictionary(&mut self, source: AttributeSource, path: &str) -> usize {
        let key = Key::new(source, path);
        if let Some(index) = self.entries.iter().position(|e| e.key.is(&key)) {
            return index;
        }
        self.entries.push(Entry {
            key,
            attribute: Attribute::Dictionary {
                keys: Vec::new(),
                values: Vec::new(),
            },
        });
        self.entries.len() - 1
    }

    /// Adds one key of a dictionary attribute, creating the dictionary if needed.
    fn set_key(&mut self, source: AttributeSource, path: &str, key: &str, value: Value) {
        let index = self.dictionary(source, path);
        if let Some(Entry {
            attribute: Attribute::Dictionary { keys, values },
            ..
        }) = self.entries.get_mut(index)
        {
            keys.push(Value::string(key));
            values.push(value);
        }
    }

    /// The action.
    pub fn action(&self) -> &str {
        &self.action
    }

    /// The action, ASCII-lowercased.
    pub(crate) fn action_key(&self) -> &str {
        &self.action_key
    }

    /// The action's number among the built-in catalogue's actions, or 0.
    pub(super) fn action_number(&self) -> u32 {
        self.action_number
    }

    /// Whether the action is a data action.
    pub fn is_data_action(&self) -> bool {
        self.data_action
    }

    /// The suboperations, ASCII-lowercased.
    pub(crate) fn suboperation_keys(&self) -> &[Box<str>] {
        &self.suboperation_keys
    }

    /// The suboperations, each a [`Value::String`].
    pub fn suboperations(&self) -> &[Value] {
        &self.suboperations
    }

    /// What an attribute reference reads, or `None` when the request does not carry it.
    pub fn attribute(&self, attribute: &AttributeRef) -> Option<Operand<'_>> {
        self.slot(&Slot::of(attribute))
    }

    /// What a slot reads, or `None` when the request does not carry it.
    pub fn slot(&self, slot: &Slot) -> Option<Operand<'_>> {
        self.read(slot)
    }

    /// [`Request::slot`], inlined into the interpreter's text test.
    #[inline(always)]
    pub(super) fn read(&self, slot: &Slot) -> Option<Operand<'_>> {
        if slot.kind == SlotKind::SubOperations {
            return (!self.suboperations.is_empty()).then_some(Operand {
                values: &self.suboperations,
                multi: true,
            });
        }
        let attribute = &self.entries.iter().find(|e| e.key.is(&slot.key))?.attribute;
        match (&slot.kind, attribute) {
            (SlotKind::Plain, Attribute::Single(value)) => Some(Operand {
                values: std::slice::from_ref(value),
                multi: false,
            }),
            (SlotKind::Plain, Attribute::Multi(values)) => Some(Operand {
                values,
                multi: true,
            }),
            (SlotKind::Keyed(key), Attribute::Dictionary { keys, values }) => keys
                .iter()
                .zip(values)
                .find(|(k, _)| matches!(k, Value::String(s) if bytes::same(s.as_str(), key)))
                .map(|(_, value)| Operand {
                    values: std::slice::from_ref(value),
                    multi: false,
                }),
            (SlotKind::KeySet, Attribute::Dictionary { keys, .. }) => Some(Operand {
                values: keys,
                multi: true,
            }),
            _ => None,
        }
    }

    /// Reads a request from its JSON text, typing each attribute by `catalog`.
    pub fn from_json(text: &str, catalog: &Catalog) -> Result<Request, RequestError> {
        let json: Json = crate::json::parse(text).map_err(|e| RequestError {
            path: "$".into(),
            message: format!("not valid JSON: {e}"),
        })?;
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
                        return Err(RequestError {
                            path,
                            message: "give either `action` or `dataAction`, not both".into(),
                        });
                    }
                    action_seen = true;
                    let Json::String(action) = value else {
                        return Err(RequestError::expected(&path, "a string", value));
                    };
                    request.set_action(action.clone());
                    request.data_action = field == "dataAction";
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
                        return Err(RequestError {
                            path,
                            message: format!(
                                "unknown field `{field}`; a request has `action` (or `dataAction`), `subOperations`, `request`, `resource`, `principal` and `environment`"
                            ),
                        });
                    }
                },
            }
        }
        if !action_seen {
            return Err(RequestError {
                path: "$".into(),
                message: "missing `action` (or `dataAction`): the action being requested".into(),
            });
        }
        Ok(request)
    }
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

/// A request that cannot be read: where in the JSON, and what was expected there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestError {
    /// A JSON path such as `$.request["…:RoleDefinitionId"]`.
    pub path: String,
    /// What is wrong there.
    pub message: String,
}

impl RequestError {
    fn expected(path: &str, what: &str, found: &Json) -> RequestError {
        RequestError {
            path: path.to_owned(),
            message: format!("expected {what}, found {}", describe(found)),
        }
    }
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at {}: {}", self.path, self.message)
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
        let fail = |message: String| RequestError {
            path: path.clone(),
            message,
        };
        let name = AttributeName::parse(key)
            .map_err(|e| fail(format!("`{key}` is not an attribute name: {e:?}")))?;
        if Slot::of(&AttributeRef {
            source,
            name: name.clone(),
        })
        .kind
            == SlotKind::SubOperations
        {
            return Err(fail(
                "give suboperations in the top-level `subOperations` array".into(),
            ));
        }
        if let Json::Object(entries) = value {
            let text = name.to_string();
            let Some(dictionary) = catalog.dictionary(&text) else {
                return Err(fail(format!(
                    "`{key}` is not a dictionary attribute; only dictionaries such as blob index tags are given as objects"
                )));
            };
            require_source(dictionary, source, key).map_err(fail)?;
            let element = dictionary.entry.value_type;
            // An empty object is an empty dictionary: present, with no keys.
            request.dictionary(source, &text);
            for (entry_key, entry_value) in entries {
                let entry_path = format!("{path}[{}]", Json::String(entry_key.clone()));
                let scalar = scalar(entry_value, element, &entry_path)?;
                request.set_key(source, &text, entry_key, scalar);
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
            let hint = suggest::closest(key, names)
                .map(|close| format!("; did you mean `{close}`?"))
                .unwrap_or_default();
            return Err(fail(format!(
                "`{key}` is not a known @{} attribute{hint}",
                source.name()
            )));
        };
        require_source(attribute, source, key).map_err(fail)?;
        let value_type = attribute.entry.value_type;
        match (&name, value) {
            (AttributeName::Keyed { path: dict, key: k }, _) => {
                let scalar = scalar(value, value_type, &path)?;
                request.set_key(source, dict, k, scalar);
            }
            (AttributeName::KeySet { path: dict }, _) => {
                return Err(fail(format!(
                    "give the dictionary itself, as an object under `{dict}`, and its keys follow"
                )));
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
) -> Result<(), String> {
    if attribute.source(source).is_some() {
        return Ok(());
    }
    let sources: Vec<String> = attribute
        .sources
        .iter()
        .map(|s| format!("`{}`", s.source.name().to_ascii_lowercase()))
        .collect();
    Err(format!(
        "`{key}` is not a @{} attribute; give it under {}",
        source.name(),
        sources.join(" or ")
    ))
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
            .map_err(|reason| RequestError {
                path: path.to_owned(),
                message: format!("expected a DateTime such as \"2023-05-01T13:00:00Z\": {reason}"),
            }),
        (Some(ValueType::Guid), Json::String(s)) => {
            // Decision 24: a full resource id such as
            // `/subscriptions/…/roleDefinitions/<guid>` means its trailing GUID.
            let tail = s.rsplit('/').next().unwrap_or(s);
            crate::syntax::lexer::parse_guid(tail)
                .map(Value::guid)
                .ok_or_else(|| expected("a GUID (or a resource id ending in one)"))
        }
        (value_type, _) => Err(expected(&format!("a {}", type_label(value_type)))),
    }
}
