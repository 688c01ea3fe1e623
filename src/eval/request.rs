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
use crate::syntax::attribute::with_lowercase;
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
/// distinct reference, so that evaluation compares a number (and for some names a text),
/// never parses.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Slot {
    target: Target,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Target {
    /// An entry of the request's attributes.
    Entry(Key),
    /// `@Request[subOperation]`: the request's suboperations (decision 25).
    SubOperations,
}

/// Which part of an attribute an entry holds. A dictionary is stored as one entry for its
/// keys and one per key for that key's value, so that every read finds one entry.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Part {
    /// A plain attribute.
    Whole,
    /// One value of a dictionary, by its case-sensitive key (exactly as written).
    Member(Box<str>),
    /// The keys of a dictionary.
    Keys,
}

impl Part {
    fn tag(&self) -> u64 {
        match self {
            Part::Whole => 0,
            Part::Member(_) => 1,
            Part::Keys => 2,
        }
    }
}

/// Where an entry is found in a request: its source, its name as written inside the
/// brackets (a dictionary's path), ASCII-lowercased, and its part.
///
/// `id` decides most comparisons alone. A name of the built-in catalogue carries its number
/// there, and without a member its `id` is the source, part and number: two such keys are
/// equal exactly when their ids are. Every other key (custom security attributes, extensions,
/// dictionary members) has a hash for `id`, with [`HASHED`] set, and equal ids are confirmed
/// on the number or the text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Key {
    id: u64,
    source: AttributeSource,
    /// 1 + the index of the name among the built-in catalogue's, or 0.
    known: u32,
    /// The name, ASCII-lowercased; empty for a catalogue name, which `known` identifies.
    name: Box<str>,
    part: Part,
}

/// The bit of [`Key::id`] that marks a hash.
const HASHED: u64 = 1 << 63;

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

/// The built-in catalogue's actions, lowercased; action `n` is at `n - 1`.
static ACTION_NAMES: LazyLock<Vec<Box<str>>> = LazyLock::new(|| {
    let actions = Catalog::builtin().map_or(&[][..], Catalog::actions);
    actions
        .iter()
        .map(|a| a.name.to_ascii_lowercase().into())
        .collect()
});

/// The number of each of [`ACTION_NAMES`].
static KNOWN_ACTIONS: LazyLock<FastMap<&'static str, u32>> =
    LazyLock::new(|| ACTION_NAMES.iter().map(|name| &**name).zip(1..).collect());

/// The number of an ASCII-lowercased action among the built-in catalogue's, or 0. Two
/// actions with numbers are equal exactly when their numbers are, and an action with a number
/// never equals one without, so `ActionMatches` with a catalogue action compares integers.
pub(super) fn action_number(lowercase: &str) -> u32 {
    KNOWN_ACTIONS.get(lowercase).copied().unwrap_or(0)
}

/// The lowercased action of a number from [`action_number`].
pub(super) fn action_name(number: u32) -> Option<&'static str> {
    let index = usize::try_from(number.checked_sub(1)?).ok()?;
    ACTION_NAMES.get(index).map(|name| &**name)
}

impl Key {
    fn new(source: AttributeSource, name: &str, part: Part) -> Key {
        with_lowercase(name, None, |name| Key::from_lowercase(source, name, part))
    }

    /// The key of an ASCII-lowercased name. A catalogue name is known by its number, so its
    /// text is not kept.
    fn from_lowercase(source: AttributeSource, name: &str, part: Part) -> Key {
        let known = WELL_KNOWN.get(name).copied().unwrap_or(0);
        let name = if known == 0 {
            name.into()
        } else {
            Box::default()
        };
        Key::build(source, known, name, part)
    }

    /// The key of one value of the dictionary this key names.
    fn member(&self, member: &str) -> Key {
        Key::build(
            self.source,
            self.known,
            self.name.clone(),
            Part::Member(member.into()),
        )
    }

    fn build(source: AttributeSource, known: u32, name: Box<str>, part: Part) -> Key {
        let fields = u64::from(known) << 8 | part.tag() << 3 | source as u64;
        let id = match &part {
            Part::Whole | Part::Keys if known != 0 => fields,
            _ => {
                let mut hasher = FastHasher::default();
                hasher.write_u64(fields);
                if known == 0 {
                    hasher.write(name.as_bytes());
                }
                if let Part::Member(member) = &part {
                    hasher.write(member.as_bytes());
                }
                hasher.finish() | HASHED
            }
        };
        Key {
            id,
            source,
            known,
            name,
            part,
        }
    }

    /// The same entry.
    #[inline(always)]
    fn is(&self, other: &Key) -> bool {
        self.id == other.id && (self.id & HASHED == 0 || self.confirms(other))
    }

    /// The same entry, given equal hashes.
    fn confirms(&self, other: &Key) -> bool {
        let member = match (&self.part, &other.part) {
            (Part::Member(a), Part::Member(b)) => bytes::same(a, b),
            (a, b) => a.tag() == b.tag(),
        };
        member && self.same_attribute(other)
    }

    /// The same attribute (or dictionary), whatever the parts.
    fn same_attribute(&self, other: &Key) -> bool {
        self.source == other.source
            && self.known == other.known
            && (self.known != 0 || self.name == other.name)
    }
}

/// The legacy attribute that reads the request's suboperations.
const SUBOPERATION_ATTRIBUTE: &str = "subOperation";

impl Slot {
    /// The slot an attribute reference reads.
    pub fn of(attribute: &AttributeRef) -> Slot {
        let source = attribute.source;
        let part = match &attribute.name {
            AttributeName::Name(name)
                if source == AttributeSource::Request
                    && name.eq_ignore_ascii_case(SUBOPERATION_ATTRIBUTE) =>
            {
                return Slot {
                    target: Target::SubOperations,
                };
            }
            AttributeName::Keyed { key, .. } => Part::Member(key.as_str().into()),
            AttributeName::KeySet { .. } => Part::Keys,
            _ => Part::Whole,
        };
        let key = attribute
            .name
            .with_lookup_key(|name| Key::from_lowercase(source, name, part));
        Slot {
            target: Target::Entry(key),
        }
    }

    /// Whether the slot reads the request's suboperations.
    fn is_suboperations(&self) -> bool {
        self.target == Target::SubOperations
    }
}

/// One entry of a request: an attribute's values, one dictionary value, or a dictionary's
/// keys.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Entry {
    key: Key,
    values: Values,
}

/// An entry's values: one, kept in the entry so that reading it follows no pointer, or a
/// list (an attribute given as an array, a dictionary's keys), which may have any length.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Values {
    One(Value),
    List(Vec<Value>),
}

impl Values {
    #[inline(always)]
    fn operand(&self) -> Operand<'_> {
        match self {
            Values::One(value) => Operand {
                values: std::slice::from_ref(value),
                multi: false,
            },
            Values::List(values) => Operand {
                values,
                multi: true,
            },
        }
    }
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
    /// The attributes, each read by one scan for one key: a dictionary has an entry for its
    /// keys and one per key.
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
        let key = Key::new(source, name, Part::Whole);
        self.entries.retain(|e| !e.key.same_attribute(&key));
        let values = match attribute {
            Attribute::Single(value) => Values::One(value),
            Attribute::Multi(values) => Values::List(values),
            Attribute::Dictionary { keys, values } => {
                let index = self.dictionary(source, name);
                for (key, value) in keys.into_iter().zip(values) {
                    self.set_key(index, key, value);
                }
                return;
            }
        };
        self.entries.push(Entry { key, values });
    }

    /// The index of the keys entry of the dictionary at `path`, created empty if needed.
    fn dictionary(&mut self, source: AttributeSource, path: &str) -> usize {
        let key = Key::new(source, path, Part::Keys);
        if let Some(index) = self.entries.iter().position(|e| e.key.is(&key)) {
            return index;
        }
        self.entries.push(Entry {
            key,
            values: Values::List(Vec::new()),
        });
        self.entries.len() - 1
    }

    /// Adds one key of the dictionary whose keys entry is at `index`. A key given twice
    /// keeps its first value.
    fn set_key(&mut self, index: usize, key: Value, value: Value) {
        let Some(keys) = self.entries.get_mut(index) else {
            return;
        };
        let member = match &key {
            Value::String(text) => Some(keys.key.member(text.as_str())),
            _ => None,
        };
        if let Values::List(list) = &mut keys.values {
            list.push(key);
        }
        if let Some(member) = member
            && !self.entries.iter().any(|e| e.key.is(&member))
        {
            self.entries.push(Entry {
                key: member,
                values: Values::One(value),
            });
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
        let key = match &slot.target {
            Target::Entry(key) => key,
            Target::SubOperations => {
                return (!self.suboperations.is_empty()).then_some(Operand {
                    values: &self.suboperations,
                    multi: true,
                });
            }
        };
        Some(
            self.entries
                .iter()
                .find(|e| e.key.is(key))?
                .values
                .operand(),
        )
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
        .is_suboperations()
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
                let index = request.dictionary(source, dict);
                request.set_key(index, Value::string(k.as_str()), scalar);
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
            crate::syntax::literal::guid(tail)
                .map(Value::guid)
                .ok_or_else(|| expected("a GUID (or a resource id ending in one)"))
        }
        (value_type, _) => Err(expected(&format!("a {}", type_label(value_type)))),
    }
}
