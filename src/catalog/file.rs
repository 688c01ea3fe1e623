//! The catalogue's JSON file format, as read from `azure.json` and from users' `--catalog`
//! extensions. Field names are camelCase; `docs/language.md` has a worked example.

use std::collections::BTreeMap;

use serde::Deserialize;

/// One catalogue file: the built-in one or an extension.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CatalogFile {
    /// A free comment, ignored.
    #[serde(rename = "$comment", default)]
    pub comment: Option<String>,
    /// Format version; only `1` exists.
    #[serde(default = "version_one")]
    pub version: u32,
    /// Actions whose requests evaluate conditions.
    #[serde(default)]
    pub actions: Vec<ActionEntry>,
    /// Suboperations a request of an action can carry.
    #[serde(default)]
    pub suboperations: Vec<SuboperationEntry>,
    /// Attributes conditions can read.
    #[serde(default)]
    pub attributes: Vec<AttributeEntry>,
    /// Actions that perform what other actions do, so a condition on one is bypassed by the other.
    #[serde(default)]
    pub bypasses: Vec<BypassEntry>,
}

fn version_one() -> u32 {
    1
}

/// Where an attribute, action or suboperation stands in Microsoft's documentation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Status {
    /// Generally available.
    #[default]
    Ga,
    /// In preview.
    Preview,
    /// Documented as deprecated; still accepted.
    Deprecated,
    /// Not documented; seen only in Microsoft's built-in role definitions.
    Undocumented,
}

impl Status {
    /// The status as written in the catalogue.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ga => "ga",
            Status::Preview => "preview",
            Status::Deprecated => "deprecated",
            Status::Undocumented => "undocumented",
        }
    }
}

/// An action whose requests evaluate conditions.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ActionEntry {
    /// The action, such as `Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read`.
    pub name: String,
    /// What the action does, in the docs' words.
    #[serde(default)]
    pub display_name: String,
    /// A data action (granted by `dataActions`) rather than a control-plane action.
    #[serde(default)]
    pub data_action: bool,
    /// Suboperations its requests can carry.
    #[serde(default)]
    pub suboperations: Vec<String>,
    /// What a condition's author must know about its requests, such as a list call that
    /// carries no name (`explain` says it).
    #[serde(default)]
    pub caveat: Option<String>,
    /// Documentation status.
    #[serde(default)]
    pub status: Status,
    /// Where it is documented.
    #[serde(default)]
    pub docs: Option<String>,
}

/// A suboperation, such as `Blob.List`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SuboperationEntry {
    /// The name `SubOperationMatches` takes.
    pub name: String,
    /// What it is, in the docs' words.
    #[serde(default)]
    pub display_name: String,
    /// The actions whose requests can carry it.
    #[serde(default)]
    pub actions: Vec<String>,
    /// Documentation status.
    #[serde(default)]
    pub status: Status,
    /// What to write instead, for a deprecated suboperation.
    #[serde(default)]
    pub replacement: Option<String>,
    /// Where it is documented.
    #[serde(default)]
    pub docs: Option<String>,
}

/// The shape of an attribute name, which decides how a reference is matched to the entry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Form {
    /// Matched by its whole name: `path:attribute`, a bare name or a bare path.
    #[default]
    Exact,
    /// A dictionary: `path:<key><$key_case_sensitive$>` for any key.
    Keyed,
    /// The keys of a dictionary: `path&$keys$&`.
    KeySet,
    /// Any `path:<name>` not declared on its own, such as custom security attributes.
    Family,
}

/// The type of an attribute's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize)]
pub enum ValueType {
    /// Text.
    String,
    /// A 64-bit integer.
    Integer,
    /// `true` or `false`.
    Boolean,
    /// An instant, written as an RFC 3339 UTC string.
    DateTime,
    /// A GUID.
    Guid,
}

impl ValueType {
    /// The operator family that compares values of this type.
    pub fn family(self) -> crate::syntax::OperatorFamily {
        use crate::syntax::OperatorFamily;
        match self {
            ValueType::String => OperatorFamily::String,
            ValueType::Integer => OperatorFamily::Numeric,
            ValueType::Boolean => OperatorFamily::Bool,
            ValueType::DateTime => OperatorFamily::DateTime,
            ValueType::Guid => OperatorFamily::Guid,
        }
    }
}

impl ValueType {
    /// The type's name as the docs write it.
    pub fn as_str(self) -> &'static str {
        match self {
            ValueType::String => "String",
            ValueType::Integer => "Integer",
            ValueType::Boolean => "Boolean",
            ValueType::DateTime => "DateTime",
            ValueType::Guid => "Guid",
        }
    }
}

/// One attribute.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AttributeEntry {
    /// The text inside `@Source[...]`; for `keyed`, `keySet` and `family` forms, the path.
    pub name: String,
    /// How references are matched to this entry.
    #[serde(default)]
    pub form: Form,
    /// The docs' display name.
    #[serde(default)]
    pub display_name: String,
    /// The type of its values; absent when only the tenant knows it (custom security
    /// attributes not declared in an extension).
    #[serde(default, rename = "type")]
    pub value_type: Option<ValueType>,
    /// Whether it holds a list of values.
    #[serde(default)]
    pub multi_valued: bool,
    /// For each source (`Request`, `Resource`, `Principal`, `Environment`), the actions for
    /// which it is available from that source.
    pub sources: BTreeMap<String, Vec<Availability>>,
    /// The sources (among `sources`) from which Azure supplies it on every request it is available
    /// for, such as a blob's container name: a request that omits it is not one Azure sends, so a
    /// decision that would read it is an input error
    /// ([decision R13](crate::spec::decisions#decision-r13)).
    #[serde(default)]
    pub always_supplied: Vec<String>,
    /// Every value Azure sends for it, where that is a closed list (a role assignment's
    /// principal type): a literal outside it never equals the attribute (AZ0304, AZ0319).
    #[serde(default)]
    pub values: Vec<String>,
    /// The operators the docs name for it.
    #[serde(default)]
    pub operators: Vec<String>,
    /// Whether `operators` is the complete list of what the attribute supports: another
    /// operator is an error (AZ0209).
    #[serde(default)]
    pub operators_exclusive: bool,
    /// Whether `operators` is what the docs list, though Azure is not shown to refuse others:
    /// another operator is a warning (AZ0314).
    #[serde(default)]
    pub operators_advisory: bool,
    /// Documentation status.
    #[serde(default)]
    pub status: Status,
    /// What to write instead, for a deprecated attribute.
    #[serde(default)]
    pub replacement: Option<String>,
    /// Where it is documented.
    #[serde(default)]
    pub docs: Option<String>,
    /// Anything a condition's author should know.
    #[serde(default)]
    pub notes: Option<String>,
}

/// The requests for which an attribute is available: an action pattern, optionally narrowed
/// to requests with (or without) some suboperations.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum Availability {
    /// Every request of the actions the pattern matches.
    Action(String),
    /// Requests of the matched actions, narrowed by suboperation.
    Narrowed(NarrowedAvailability),
}

/// The object form of [`Availability`].
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NarrowedAvailability {
    /// An action pattern.
    pub action: String,
    /// Only requests carrying one of these suboperations.
    #[serde(default)]
    pub suboperations: Option<Vec<String>>,
    /// Only requests carrying none of these suboperations.
    #[serde(default)]
    pub except_suboperations: Vec<String>,
}

/// An action that also performs what other actions do.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BypassEntry {
    /// The action that bypasses.
    pub action: String,
    /// Patterns of the actions whose work it also does.
    pub performs: Vec<String>,
    /// Why, in one clause.
    pub why: String,
}
