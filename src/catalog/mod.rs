//! The attribute catalogue: every action, suboperation and attribute Azure documents for
//! role-assignment conditions (`azure.json`, [LANGUAGE.md §9](crate::spec::language#section-9)),
//! compiled into lookup tables.
//!
//! Users extend it with files of the same shape (`azabac check --catalog FILE`): an entry with
//! the name of an existing one replaces it, a new one is added.
//!
//! ```
//! use azabac::catalog::Catalog;
//! use azabac::syntax::{AttributeName, AttributeSource};
//!
//! let catalog = Catalog::builtin();
//! let name = AttributeName::parse("Microsoft.Authorization/roleAssignments:RoleDefinitionId").unwrap();
//! let attribute = catalog.attribute(&name).unwrap().attribute;
//! assert!(attribute.source(AttributeSource::Request).is_some());
//! ```

mod action;
mod build;
mod file;
mod opset;
mod role;

use std::fmt;
use std::sync::LazyLock;

pub use action::ActionPattern;
use build::Merged;
pub use file::{
    ActionEntry, AttributeEntry, Availability, BypassEntry, CatalogFile, Form,
    NarrowedAvailability, Status, SuboperationEntry, ValueType,
};
pub use opset::OpSet;
pub(crate) use role::Reading;
pub use role::{
    BUILTIN_ROLES_JSON, Permission, RoleDefinition, RoleError, builtin_roles, find_builtin_role,
};

use crate::syntax::{AttributeName, AttributeSource, Operator};
use rustc_hash::FxHashMap;

/// The built-in catalogue's text.
pub const BUILTIN_JSON: &str = include_str!("azure.json");

/// The action that hands out access: a role that grants it can grant any role, `Owner`
/// included (AZ0318, and `explain`'s `unrestricted`).
pub const ROLE_ASSIGNMENT_WRITE: &str = "Microsoft.Authorization/roleAssignments/write";

/// A catalogue file that could not be read or does not make sense.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CatalogError {
    /// Not JSON in the catalogue's shape; the reader's message says where.
    NotACatalog(String),
    /// A version this build does not read.
    UnsupportedVersion(u32),
    /// A suboperation no entry defines.
    UnknownSuboperation(String),
    /// An entry that does not make sense: which (`` attribute `…` ``, `` action `…` ``), and
    /// what is wrong with it.
    Entry {
        /// The entry, as `` attribute `name` `` or `` action `name` ``.
        entry: String,
        /// What is wrong.
        problem: String,
    },
}

impl CatalogError {
    /// A problem of the entry `entry`.
    pub(crate) fn entry(entry: impl Into<String>, problem: impl fmt::Display) -> CatalogError {
        CatalogError::Entry {
            entry: entry.into(),
            problem: problem.to_string(),
        }
    }
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CatalogError::NotACatalog(why) => f.write_str(why),
            CatalogError::UnsupportedVersion(version) => {
                write!(f, "catalogue version {version} is not supported (only 1)")
            }
            CatalogError::UnknownSuboperation(name) => write!(f, "unknown suboperation `{name}`"),
            CatalogError::Entry { entry, problem } => write!(f, "{entry}: {problem}"),
        }
    }
}

impl std::error::Error for CatalogError {}

/// One action of the catalogue.
#[derive(Clone, Debug)]
pub struct ActionInfo {
    /// The action's name.
    pub name: String,
    /// What it does.
    pub display_name: String,
    /// Whether it is a data action.
    pub data_action: bool,
    /// Documentation status.
    pub status: Status,
    /// What a condition's author must know about its requests (`explain` says it).
    pub caveat: Option<String>,
}

/// One suboperation of the catalogue.
#[derive(Clone, Debug)]
pub struct SuboperationInfo {
    /// The name `SubOperationMatches` takes.
    pub name: String,
    /// What it is.
    pub display_name: String,
    /// Documentation status.
    pub status: Status,
    /// What to write instead, if deprecated.
    pub replacement: Option<String>,
}

/// One kind of request: an action, with or without a suboperation. "Read a blob" and "List
/// blobs" are both requests of `…/blobs/read`, told apart by the `Blob.List` suboperation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation {
    /// Index into [`Catalog::actions`].
    pub action: usize,
    /// Index into [`Catalog::suboperations`], or `None` for requests without one.
    pub suboperation: Option<usize>,
}

/// Where an attribute is available from one source.
#[derive(Clone, Debug)]
pub struct SourceInfo {
    /// The source.
    pub source: AttributeSource,
    /// The operations for which the attribute has a value from this source.
    pub operations: OpSet,
    /// Whether Azure supplies it from this source on every one of `operations`.
    pub always: bool,
}

/// One attribute of the catalogue.
#[derive(Clone, Debug)]
pub struct AttributeInfo {
    /// The entry as written in the catalogue file.
    pub entry: AttributeEntry,
    /// Its sources, with where each is available.
    pub sources: Vec<SourceInfo>,
    /// The documented operators, parsed.
    pub operators: Vec<Operator>,
}

impl AttributeInfo {
    /// Where the attribute is available from `source`, if it has that source at all.
    pub fn source(&self, source: AttributeSource) -> Option<&SourceInfo> {
        self.sources.iter().find(|s| s.source == source)
    }

    /// The attribute as written inside `@Source[...]`, with `<key>` for a dictionary key.
    pub fn written(&self) -> String {
        written(&self.entry.name, self.entry.form)
    }
}

fn written(name: &str, form: Form) -> String {
    match form {
        Form::Exact => name.to_owned(),
        Form::Keyed => format!("{name}:<key>{}", crate::syntax::attribute::KEY_MARKER),
        Form::KeySet => format!("{name}{}", crate::syntax::attribute::KEYS_MARKER),
        Form::Family => format!("{name}:<name>"),
    }
}

/// An action that also performs what others do (blob `write` and `add/action`, ...).
#[derive(Clone, Debug)]
pub struct Bypass {
    /// The bypassing action.
    pub action: String,
    /// The actions whose work it also does.
    pub performs: Vec<ActionPattern>,
    /// Why.
    pub why: String,
}

/// What a reference resolved to.
#[derive(Clone, Copy, Debug)]
pub struct Resolved<'c> {
    /// The catalogue entry.
    pub attribute: &'c AttributeInfo,
    /// Whether the reference matched through a `family` entry rather than its own.
    pub via_family: bool,
}

/// The compiled catalogue.
#[derive(Clone, Debug)]
pub struct Catalog {
    actions: Vec<ActionInfo>,
    suboperations: Vec<SuboperationInfo>,
    operations: Vec<Operation>,
    attributes: Vec<AttributeInfo>,
    bypasses: Vec<Bypass>,
    /// Lower-cased lookup keys, one map per form (indexed by `Form as usize`).
    index: [FxHashMap<Box<str>, usize>; 4],
    /// Each action's index by its lower-cased name (names are unique ignoring case).
    action_index: FxHashMap<String, usize>,
}

static BUILTIN: LazyLock<Catalog> = LazyLock::new(|| {
    #[expect(
        clippy::expect_used,
        reason = "product data compiled into the binary: the catalogue tests load it, so a \
                  broken azure.json fails them before it can ship"
    )]
    Catalog::from_files(&[]).expect("the built-in catalogue (src/catalog/azure.json) is valid")
});

impl Catalog {
    /// The built-in catalogue, compiled once per process. Infallible: it is product data,
    /// and the tests prove it valid.
    pub fn builtin() -> &'static Catalog {
        &BUILTIN
    }

    /// The built-in catalogue extended by `extensions`, in order.
    pub fn from_files(extensions: &[CatalogFile]) -> Result<Catalog, CatalogError> {
        let builtin: CatalogFile = serde_json::from_str(BUILTIN_JSON)
            .map_err(|e| CatalogError::NotACatalog(format!("the built-in catalogue: {e}")))?;
        let mut merged = Merged::default();
        for file in std::iter::once(&builtin).chain(extensions) {
            merged.add(file)?;
        }
        merged.compile()
    }

    /// Reads an extension file's text.
    pub fn parse_file(text: &str) -> Result<CatalogFile, CatalogError> {
        let file: CatalogFile =
            serde_json::from_str(text).map_err(|e| CatalogError::NotACatalog(e.to_string()))?;
        if file.version != 1 {
            return Err(CatalogError::UnsupportedVersion(file.version));
        }
        Ok(file)
    }

    /// The catalogue's action named `name` (ignoring ASCII case), if it has one.
    ///
    /// ```
    /// let catalog = azabac::catalog::Catalog::builtin();
    /// let read = catalog.action("microsoft.storage/storageaccounts/blobservices/containers/blobs/read").unwrap();
    /// assert!(read.data_action);
    /// ```
    pub fn action(&self, name: &str) -> Option<&ActionInfo> {
        let index = self.action_index.get(&name.to_ascii_lowercase())?;
        self.actions.get(*index)
    }

    /// Every action, in catalogue order.
    pub fn actions(&self) -> &[ActionInfo] {
        &self.actions
    }

    /// Every suboperation.
    pub fn suboperations(&self) -> &[SuboperationInfo] {
        &self.suboperations
    }

    /// Every operation (action × suboperation-or-none); [`OpSet`]s index into this.
    pub fn operations(&self) -> &[Operation] {
        &self.operations
    }

    /// Every attribute.
    pub fn attributes(&self) -> &[AttributeInfo] {
        &self.attributes
    }

    /// The bypassing actions.
    pub fn bypasses(&self) -> &[Bypass] {
        &self.bypasses
    }

    /// The empty set of this catalogue's operations.
    pub fn no_operations(&self) -> OpSet {
        OpSet::empty(self.operations.len())
    }

    /// The operations of the actions `pattern` matches.
    pub fn operations_of(&self, pattern: &ActionPattern) -> OpSet {
        if let Some(name) = pattern.exact_lowercase() {
            // A pattern without `*` is a name: at most one action matches it, and that
            // action's operations sit together (they are built action by action).
            let mut set = self.no_operations();
            if let Some(&action) = self.action_index.get(name) {
                let first = self.operations.partition_point(|op| op.action < action);
                let count = self.operations.get(first..).map_or(0, |rest| {
                    rest.iter().take_while(|op| op.action == action).count()
                });
                for index in first..first + count {
                    set.insert(index);
                }
            }
            return set;
        }
        let matched: Vec<bool> = self
            .actions
            .iter()
            .map(|a| pattern.matches(&a.name))
            .collect();
        self.operations_where(|_, op| matched.get(op.action).copied().unwrap_or(false))
    }

    /// Whether Azure ever supplies the attribute `name` from `source` on a request of `action`
    /// carrying `suboperations`: `None` when the catalogue knows the attribute or the action
    /// not, so nothing can be said.
    ///
    /// ```
    /// use azabac::catalog::Catalog;
    /// use azabac::syntax::{AttributeName, AttributeSource};
    /// let catalog = Catalog::builtin();
    /// let path = AttributeName::parse("Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path").unwrap();
    /// let read = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read";
    /// assert_eq!(catalog.supplies(AttributeSource::Resource, &path, read, &[]), Some(true));
    /// assert_eq!(catalog.supplies(AttributeSource::Resource, &path, read, &["Blob.List"]), Some(false));
    /// assert_eq!(catalog.supplies(AttributeSource::Request, &path, read, &[]), Some(false));
    /// ```
    pub fn supplies(
        &self,
        source: AttributeSource,
        name: &AttributeName,
        action: &str,
        suboperations: &[&str],
    ) -> Option<bool> {
        let attribute = self.attribute(name)?.attribute;
        let action = *self.action_index.get(&action.to_ascii_lowercase())?;
        let wanted: Vec<Option<usize>> = if suboperations.is_empty() {
            vec![None]
        } else {
            suboperations
                .iter()
                .map(|s| self.suboperation_index(s))
                .collect()
        };
        let Some(info) = attribute.source(source) else {
            return Some(false);
        };
        Some(self.operations.iter().enumerate().any(|(index, op)| {
            op.action == action
                && wanted.contains(&op.suboperation)
                && info.operations.contains(index)
        }))
    }

    /// The operations carrying the suboperation named `name` (ignoring case), or `None` if
    /// the catalogue does not know it.
    pub fn operations_with_suboperation(&self, name: &str) -> Option<OpSet> {
        let index = self.suboperation_index(name)?;
        Some(self.operations_where(|_, op| op.suboperation == Some(index)))
    }

    /// The suboperation named `name`, ignoring case.
    pub fn suboperation(&self, name: &str) -> Option<&SuboperationInfo> {
        self.suboperations.get(self.suboperation_index(name)?)
    }

    fn suboperation_index(&self, name: &str) -> Option<usize> {
        self.suboperations
            .iter()
            .position(|s| s.name.eq_ignore_ascii_case(name))
    }

    fn operations_where(&self, keep: impl Fn(usize, &Operation) -> bool) -> OpSet {
        let mut set = self.no_operations();
        for (index, op) in self.operations.iter().enumerate() {
            if keep(index, op) {
                set.insert(index);
            }
        }
        set
    }

    /// Describes an operation for people: the action, and the suboperation if any.
    pub fn describe(&self, operation: usize) -> String {
        let Some(op) = self.operations.get(operation) else {
            return String::new();
        };
        let action = self.actions.get(op.action).map_or("", |a| a.name.as_str());
        let has_suboperations = self
            .operations
            .iter()
            .any(|o| o.action == op.action && o.suboperation.is_some());
        match op.suboperation.and_then(|s| self.suboperations.get(s)) {
            Some(sub) => format!("`{action}` with suboperation `{}`", sub.name),
            None if has_suboperations => format!("`{action}` without a suboperation"),
            None => format!("`{action}`"),
        }
    }

    /// The action of an operation.
    pub fn action_of(&self, operation: usize) -> Option<&ActionInfo> {
        self.actions.get(self.operations.get(operation)?.action)
    }

    /// The catalogue entry a reference names, whatever its source.
    pub fn attribute(&self, name: &AttributeName) -> Option<Resolved<'_>> {
        name.with_lookup_key(|key| self.attribute_by_key(name, key))
    }

    /// [`Catalog::attribute`], given the name's lookup key.
    fn attribute_by_key(&self, name: &AttributeName, key: &str) -> Option<Resolved<'_>> {
        let resolved = |attribute, via_family| Resolved {
            attribute,
            via_family,
        };
        match name {
            AttributeName::Qualified { path, .. } => self
                .find(Form::Exact, key)
                .map(|a| resolved(a, false))
                .or_else(|| {
                    let path = key.get(..path.len()).unwrap_or_default();
                    self.find(Form::Family, path).map(|a| resolved(a, true))
                }),
            AttributeName::Keyed { .. } => self.find(Form::Keyed, key).map(|a| resolved(a, false)),
            AttributeName::KeySet { .. } => {
                self.find(Form::KeySet, key).map(|a| resolved(a, false))
            }
            AttributeName::Name(_) | AttributeName::Path(_) => {
                self.find(Form::Exact, key).map(|a| resolved(a, false))
            }
        }
    }

    /// The attribute of `form` whose lowercased name is `key`.
    fn find(&self, form: Form, key: &str) -> Option<&AttributeInfo> {
        self.index
            .get(form as usize)
            .and_then(|map| map.get(key))
            .and_then(|&i| self.attributes.get(i))
    }

    /// The dictionary (`keyed`) attribute whose path is `path`, if any.
    pub fn dictionary(&self, path: &str) -> Option<&AttributeInfo> {
        self.find(Form::Keyed, &path.to_ascii_lowercase())
    }
}

#[cfg(test)]
mod tests;
