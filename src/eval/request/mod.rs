//! The request a condition is evaluated against: the action, its suboperations and the four
//! attribute bags, typed by the catalogue when they are read so that evaluation never parses.
//!
//! JSON form (`docs/language.md`, "Evaluation requests"):
//!
//! ```json
//! {"action": "Microsoft.Authorization/roleAssignments/write",
//!  "subOperations": [],
//!  "request":     {"Microsoft.Authorization/roleAssignments:RoleDefinitionId": "53ca6127-db72-4b80-b1b0-d745d6d5456d"},
//!  "resource":    {"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags": {"Project": "Cascade"}},
//!  "principal":   {"Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Project": ["Baker", "Cascade"]},
//!  "environment": {"isPrivateLink": true, "UtcNow": "2023-05-01T13:00:00Z"}}
//! ```

//!
//! - this module: the model, [`Request`] and its entries;
//! - [`keys`]: [`Slot`]s and the keys entries are found by (numbers for catalogue names);
//! - [`json`]: the JSON reader, typed by the catalogue, with errors at JSON paths.

mod error;
mod json;
mod keys;
mod unsent;

pub use error::{RequestError, RequestProblem};
pub use keys::Slot;
use keys::{Key, Part, Target};
pub(super) use keys::{action_name, action_number};
pub use unsent::{Unsent, unsent_attributes};

use super::value::Value;
use crate::syntax::{AttributeRef, AttributeSource};

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
}
