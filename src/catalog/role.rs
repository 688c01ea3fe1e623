//! Role definitions, read from the shapes Azure tools produce: `az role definition list`
//! (`roleName`, `permissions[]`), ARM resources (`properties.roleName`, ...), and the custom-role
//! files of `az role definition create` (`Name`, `Actions`, `DataActions`, ...).

use std::fmt;
use std::sync::LazyLock;

use serde_json::Value;
use uuid::Uuid;

use super::ActionPattern;

mod read;

/// The 887 built-in role definitions, in the `az role definition list` shape.
pub const BUILTIN_ROLES_JSON: &str = include_str!("builtin-roles.json");

/// A role definition file that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RoleError {
    /// Not JSON; the reader's message says where.
    NotJson(String),
    /// A file that should hold one definition holds this many.
    NotOne(usize),
    /// The flattened shape older `Get-AzRoleDefinition` prints (top-level `Actions`, `Id`,
    /// `IsCustom`, `Condition`), which keeps only the first permission block.
    FlattenedPowerShell,
    /// `ConvertTo-Json` at its default depth, which flattens `Permissions` to type names.
    ShallowPowerShell,
    /// A value of another JSON type than the key takes.
    Expected {
        /// Where, as a JSON path within the definition (`$` is the definition).
        at: String,
        /// What the key takes, such as "a list of strings".
        what: &'static str,
        /// The JSON type found, such as "a number".
        found: &'static str,
    },
    /// A key every definition of its shape has is missing.
    Missing {
        /// The object's path within the definition.
        at: String,
        /// The key.
        key: &'static str,
    },
    /// A key a permission block does not have (`notAction`): read past, a misspelt key could only
    /// widen the role ([decision R14](crate::spec::decisions#decision-r14)).
    UnknownKey {
        /// The key's path within the definition.
        at: String,
        /// The keys a block has.
        known: &'static [&'static str],
    },
    /// Two keys of one object equal ignoring case: ARM reads keys ignoring case, so which of them
    /// it takes is not known ([decision R14](crate::spec::decisions#decision-r14)).
    KeysDifferInCase {
        /// The object's path within the definition.
        at: String,
        /// One key as written.
        first: String,
        /// The other.
        second: String,
    },
    /// Two keys that exclude each other, such as `permissions` beside a top-level `actions`.
    Conflict {
        /// The object's path within the definition.
        at: String,
        /// One key.
        first: &'static str,
        /// The other.
        second: &'static str,
    },
    /// `name` and `id` name two roles: a role has one GUID.
    GuidsDiffer {
        /// The object's path within the definition.
        at: String,
        /// The GUID `name` holds.
        name: uuid::Uuid,
        /// The GUID `id` ends in.
        id: uuid::Uuid,
    },
    /// An id its grammar refuses: a role definition id, an assignable scope
    /// ([decision R19](crate::spec::decisions#decision-r19)).
    Id {
        /// The value's path within the definition.
        at: String,
        /// What is wrong, and what to remove.
        error: crate::id::IdError,
    },
}

impl RoleError {
    /// Where in the definition the problem is, as a JSON path whose root `$` is the
    /// definition; `$` when it concerns the whole file.
    pub fn at(&self) -> &str {
        match self {
            RoleError::Expected { at, .. }
            | RoleError::Missing { at, .. }
            | RoleError::UnknownKey { at, .. }
            | RoleError::KeysDifferInCase { at, .. }
            | RoleError::Conflict { at, .. }
            | RoleError::GuidsDiffer { at, .. }
            | RoleError::Id { at, .. } => at,
            RoleError::NotJson(_)
            | RoleError::NotOne(_)
            | RoleError::FlattenedPowerShell
            | RoleError::ShallowPowerShell => "$",
        }
    }

    /// What is wrong, in a sentence without the place ([`RoleError::at`]).
    pub fn message(&self) -> String {
        match self {
            RoleError::NotJson(why) => why.clone(),
            RoleError::NotOne(count) => {
                format!("the file holds {count} role definitions; give it exactly one")
            }
            RoleError::FlattenedPowerShell => "the flattened role shape of older \
                 Get-AzRoleDefinition output keeps only the first permission block, so a role \
                 read from it may grant what Azure does not or miss what it does; export with a \
                 current Az.Resources (`Get-AzRoleDefinition | ConvertTo-Json -Depth 10`, with \
                 `Permissions`) or `az role definition list`"
                .to_owned(),
            RoleError::ShallowPowerShell => "`Permissions` holds text, not blocks: ConvertTo-Json \
                 stopped at its default depth; export again with `ConvertTo-Json -Depth 10`"
                .to_owned(),
            RoleError::Id { error, .. } => error.to_string(),
            RoleError::GuidsDiffer { name, id, .. } => format!(
                "`name` is the role {name} and `id` the role {id}: a role has one GUID; keep \
                 the one it is"
            ),
            RoleError::Expected { what, found, .. } => format!("expected {what}, found {found}"),
            RoleError::Missing { key, .. } => format!("a role definition needs `{key}`"),
            RoleError::UnknownKey { known, .. } => format!(
                "not a key of a permission block ({}); read past, a misspelt key could only \
                 widen the role",
                known.join(", ")
            ),
            RoleError::KeysDifferInCase { first, second, .. } => format!(
                "keys `{first}` and `{second}` are one key to ARM, which reads keys ignoring \
                 case; keep one"
            ),
            RoleError::Conflict { first, second, .. } => {
                format!("`{first}` and `{second}` cannot both be given; keep one")
            }
        }
    }
}

impl fmt::Display for RoleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at() {
            "$" => f.write_str(&self.message()),
            at => write!(f, "at {at}: {}", self.message()),
        }
    }
}

impl std::error::Error for RoleError {}

/// One `permissions[]` block of a role definition.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Permission {
    /// Control-plane actions granted.
    pub actions: Vec<ActionPattern>,
    /// Control-plane actions taken back out of `actions`.
    pub not_actions: Vec<ActionPattern>,
    /// Data actions granted.
    pub data_actions: Vec<ActionPattern>,
    /// Data actions taken back out of `data_actions`.
    pub not_data_actions: Vec<ActionPattern>,
    /// The block's own condition, if any.
    pub condition: Option<String>,
    /// The condition's version, if given.
    pub condition_version: Option<String>,
}

impl Permission {
    /// Whether the block grants `action` (a data action if `data`), ignoring its condition.
    pub fn grants(&self, action: &str, data: bool) -> bool {
        let action = action.to_ascii_lowercase();
        self.grants_lowercase(&action, data)
    }

    /// [`Permission::grants`] for an action already in ASCII lower case.
    pub(crate) fn grants_lowercase(&self, action: &str, data: bool) -> bool {
        self.grants_read(action, data, Reading::Documented)
    }

    /// [`Permission::grants_lowercase`] under a reading of a `*` between two `/`
    /// ([decision R18](crate::spec::decisions#decision-r18)).
    pub(crate) fn grants_read(&self, action: &str, data: bool, reading: Reading) -> bool {
        let (granted, removed) = self.patterns(data);
        let matches = |p: &ActionPattern| match reading {
            Reading::Documented => p.matches_lowercase(action),
            Reading::Other => p.matches_other_lowercase(action),
        };
        granted.iter().any(matches) && !removed.iter().any(matches)
    }

    /// The patterns that grant and take back actions of the plane `data` says.
    fn patterns(&self, data: bool) -> (&[ActionPattern], &[ActionPattern]) {
        if data {
            (&self.data_actions, &self.not_data_actions)
        } else {
            (&self.actions, &self.not_actions)
        }
    }

    /// A pattern of the block, for the plane `data` says, that `action` (lower case) matches
    /// under one reading of a `*` between two `/` and not the other, if any
    /// ([decision R18](crate::spec::decisions#decision-r18)).
    pub(crate) fn read_two_ways(&self, action: &str, data: bool) -> Option<&ActionPattern> {
        let (granted, removed) = self.patterns(data);
        granted
            .iter()
            .chain(removed)
            .find(|p| p.reads_two_ways_lowercase(action))
    }

    /// Whether a pattern of the block for the plane `data` says has a `*` between two `/`.
    pub(crate) fn has_open_segment(&self, data: bool) -> bool {
        let (granted, removed) = self.patterns(data);
        granted
            .iter()
            .chain(removed)
            .any(ActionPattern::has_open_segment)
    }
}

/// How a `*` between two `/` of an action pattern is read
/// ([decision R18](crate::spec::decisions#decision-r18)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reading {
    /// As [decision R3](crate::spec::decisions#decision-r3) says: any run of characters, so
    /// `a/*/b` needs a segment between `a` and `b`.
    Documented,
    /// Also no segment: `a/*/b` matches `a/b` too.
    Other,
}

/// A role definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleDefinition {
    /// The display name, such as `Storage Blob Data Reader`.
    pub role_name: String,
    /// The role's GUID, when the definition gives one.
    pub id: Option<Uuid>,
    /// What the role is for, as its definition describes it.
    pub description: Option<String>,
    /// Its permission blocks.
    pub permissions: Vec<Permission>,
    /// Where it may be assigned (`assignableScopes`), read by the grammar of ids; empty when the definition
    /// does not say (hand-written files), which restricts nothing. Built-in roles have `/`.
    pub assignable_scopes: Vec<crate::id::AssignableScope>,
}

impl RoleDefinition {
    /// Reads a definition from JSON in any of the supported shapes; a JSON array must hold
    /// exactly one definition.
    pub fn from_json(text: &str) -> Result<RoleDefinition, RoleError> {
        let value = crate::json::parse(text).map_err(|e| RoleError::NotJson(e.to_string()))?;
        let value = match value {
            Value::Array(mut items) if items.len() == 1 => items.remove(0),
            Value::Array(items) => {
                return Err(RoleError::NotOne(items.len()));
            }
            other => other,
        };
        RoleDefinition::from_value(value)
    }

    /// Reads a definition from a parsed JSON value, its keys ignoring case as ARM reads
    /// them (see `role/read.rs` for the shapes).
    pub fn from_value(value: Value) -> Result<RoleDefinition, RoleError> {
        read::definition(&value)
    }

    /// Whether any block grants `action`, ignoring conditions.
    pub fn grants(&self, action: &str, data: bool) -> bool {
        let action = action.to_ascii_lowercase();
        self.permissions
            .iter()
            .any(|p| p.grants_lowercase(&action, data))
    }
}

static BUILTIN: LazyLock<Vec<RoleDefinition>> = LazyLock::new(|| {
    #[expect(
        clippy::expect_used,
        reason = "product data compiled into the binary: the role tests load every role, so a \
                  broken file fails them before it can ship"
    )]
    let values: Vec<Value> =
        serde_json::from_str(BUILTIN_ROLES_JSON).expect("the built-in roles are a JSON array");
    #[expect(
        clippy::expect_used,
        reason = "product data compiled into the binary: the role tests load every role"
    )]
    values
        .into_iter()
        .map(RoleDefinition::from_value)
        .collect::<Result<_, _>>()
        .expect("every built-in role definition reads")
});

/// Every built-in role definition, parsed once per process. Infallible: they are product
/// data, and the tests prove them valid.
pub fn builtin_roles() -> &'static [RoleDefinition] {
    &BUILTIN
}

/// The built-in role with this name (ignoring case) or GUID.
///
/// ```
/// let role = azabac::catalog::find_builtin_role("storage blob data reader").unwrap();
/// assert_eq!(role.id.unwrap().to_string(), "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1");
/// ```
pub fn find_builtin_role(name_or_guid: &str) -> Option<&'static RoleDefinition> {
    let guid = read::guid_of(name_or_guid.trim());
    builtin_roles().iter().find(|role| match guid {
        Some(guid) => role.id == Some(guid),
        None => role.role_name.eq_ignore_ascii_case(name_or_guid.trim()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_all_three_shapes() {
        let list = r#"{"roleName": "R", "name": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
            "permissions": [{"actions": ["a/*"], "notActions": ["a/b"], "dataActions": [], "notDataActions": []}]}"#;
        let role = RoleDefinition::from_json(list).unwrap();
        assert!(role.grants("a/c", false));
        assert!(!role.grants("a/b", false));
        assert!(
            !role.grants("a/c", true),
            "a control action is not a data action"
        );
        assert!(role.id.is_some());

        let arm = r#"{"name": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
            "properties": {"roleName": "R", "permissions": [{"dataActions": ["d/*"]}]}}"#;
        let role = RoleDefinition::from_json(arm).unwrap();
        assert!(role.grants("d/read", true));
        assert!(role.id.is_some());

        let create = r#"{"Name": "Custom", "Actions": [], "DataActions": ["x/read"], "AssignableScopes": ["/"]}"#;
        let role = RoleDefinition::from_json(create).unwrap();
        assert_eq!(role.role_name, "Custom");
        assert!(role.grants("X/READ", true));
    }

    #[test]
    fn rejects_what_is_not_a_role() {
        assert!(RoleDefinition::from_json("[]").is_err());
        assert!(RoleDefinition::from_json("{\"permissions\": 3}").is_err());
        assert!(RoleDefinition::from_json("not json").is_err());
    }

    #[test]
    fn an_unknown_key_in_a_permission_block_is_an_error() {
        for (shape, at) in [
            (
                r#"{"roleName": "R", "permissions": [{"actions": ["*"], "notAction": ["Microsoft.Authorization/*/write"]}]}"#,
                "$.permissions[0].notAction",
            ),
            (
                r#"{"name": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", "properties": {"roleName": "R",
                "permissions": [{"actions": ["*"]}, {"actions": ["*"], "notAction": ["Microsoft.Authorization/*/write"]}]}}"#,
                "$.properties.permissions[1].notAction",
            ),
            // The one block of a create file is its top level.
            (
                r#"{"Name": "C", "Actions": ["*"], "NotAction": ["Microsoft.Authorization/*"]}"#,
                "$.NotAction",
            ),
        ] {
            let error = RoleDefinition::from_json(shape).unwrap_err();
            assert!(
                matches!(&error, RoleError::UnknownKey { at: a, .. } if a == at),
                "{error}"
            );
        }
    }

    #[test]
    fn keys_are_read_ignoring_case_as_arm_reads_them() {
        // ARM reads `notactions` as `notActions`: read exactly, it would be ignored and the
        // role would grant what it excludes.
        let create =
            r#"{"Name": "C", "Actions": ["*"], "notactions": ["Microsoft.Authorization/*"]}"#;
        let role = RoleDefinition::from_json(create).unwrap();
        assert!(role.grants("Microsoft.Compute/virtualMachines/read", false));
        assert!(!role.grants("Microsoft.Authorization/roleAssignments/write", false));

        let arm = r#"{"NAME": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", "Properties": {"ROLENAME": "R",
            "Permissions": [{"ACTIONS": ["*"], "NOTACTIONS": ["a/*"]}],
            "AssignableScopes": ["/subscriptions/00000000-0000-0000-0000-0000000000aa"]}}"#;
        let role = RoleDefinition::from_json(arm).unwrap();
        assert_eq!(role.role_name, "R");
        assert!(role.id.is_some());
        assert!(!role.grants("a/read", false));
        assert_eq!(
            role.assignable_scopes[0].to_string(),
            "/subscriptions/00000000-0000-0000-0000-0000000000aa"
        );

        let list =
            r#"{"rolename": "R", "permissions": [{"actions": ["a/read"], "Condition": "x"}]}"#;
        let role = RoleDefinition::from_json(list).unwrap();
        assert_eq!(role.role_name, "R");
        assert_eq!(role.permissions[0].condition.as_deref(), Some("x"));

        // Keys that grant nothing are read past, in any case.
        let extra = r#"{"Name": "C", "IsCustom": true, "TYPE": "x", "Actions": ["a/read"]}"#;
        assert!(RoleDefinition::from_json(extra).is_ok());
    }

    #[test]
    fn keys_equal_ignoring_case_are_an_error_wherever_they_are() {
        for (shape, at) in [
            (
                r#"{"roleName": "R", "permissions": [{"notActions": [], "NotActions": ["a/*"]}]}"#,
                "$.permissions[0]",
            ),
            (
                r#"{"roleName": "R", "permissions": [], "Permissions": [{"actions": ["*"]}]}"#,
                "$",
            ),
            (
                r#"{"name": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", "properties": {"roleName": "R",
                "assignableScopes": ["/x"], "AssignableScopes": ["/"]}}"#,
                "$.properties",
            ),
        ] {
            let error = RoleDefinition::from_json(shape).unwrap_err();
            assert!(
                matches!(&error, RoleError::KeysDifferInCase { at: a, .. } if a == at),
                "{error}"
            );
        }
    }

    #[test]
    fn a_block_key_beside_permissions_is_an_error() {
        let both =
            r#"{"roleName": "R", "permissions": [{"actions": ["*"]}], "notActions": ["a/*"]}"#;
        let error = RoleDefinition::from_json(both).unwrap_err();
        assert!(
            matches!(
                error,
                RoleError::Conflict {
                    second: "notActions",
                    ..
                }
            ),
            "{error}"
        );
    }

    #[test]
    fn a_value_of_another_type_is_an_error_naming_its_path() {
        let error = RoleDefinition::from_json(
            r#"{"roleName": "R", "permissions": [{"actions": ["a/read", 3]}]}"#,
        )
        .unwrap_err();
        assert_eq!(error.at(), "$.permissions[0].actions[1]");
        assert_eq!(
            error.to_string(),
            "at $.permissions[0].actions[1]: expected a list of strings, found a number"
        );
    }

    #[test]
    fn finds_built_in_roles_by_name_and_guid() {
        let by_name = find_builtin_role("Azure AI Account Owner").unwrap();
        let guid = by_name.id.unwrap().to_string();
        let by_guid = find_builtin_role(&guid).unwrap();
        assert_eq!(by_name, by_guid);
        assert!(find_builtin_role("No Such Role").is_none());
        assert_eq!(builtin_roles().len(), 887);
    }
}
