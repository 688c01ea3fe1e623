//! Role definitions, read from the shapes Azure tools produce: `az role definition list`
//! (`roleName`, `permissions[]`), ARM resources (`properties.roleName`, ...), and the custom-role
//! files of `az role definition create` (`Name`, `Actions`, `DataActions`, ...).

use std::fmt;
use std::sync::LazyLock;

use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use super::ActionPattern;

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
    /// JSON in none of the shapes a role definition has; the reader's message says where.
    NotARole(String),
    /// The flattened shape older `Get-AzRoleDefinition` prints (top-level `Actions`, `Id`,
    /// `IsCustom`, `Condition`), which keeps only the first permission block.
    FlattenedPowerShell,
    /// `ConvertTo-Json` at its default depth, which flattens `Permissions` to type names.
    ShallowPowerShell,
    /// A key that ARM would read, ignoring case, as one azabac reads (`found`, `expected`),
    /// spelt otherwise: read exactly it would be ignored, and the role could grant more
    /// (decision R14).
    KeySpelling {
        /// The key as written.
        found: String,
        /// The spelling azabac reads.
        expected: &'static str,
    },
}

impl fmt::Display for RoleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RoleError::NotJson(why) => f.write_str(why),
            RoleError::NotOne(count) => write!(
                f,
                "the file holds {count} role definitions; give it exactly one"
            ),
            RoleError::NotARole(why) => write!(f, "not a role definition: {why}"),
            RoleError::FlattenedPowerShell => f.write_str(
                "the flattened role shape of older Get-AzRoleDefinition output keeps only the \
                 first permission block, so a role read from it may grant what Azure does not \
                 or miss what it does; export with a current Az.Resources \
                 (`Get-AzRoleDefinition | ConvertTo-Json -Depth 10`, with `Permissions`) or \
                 `az role definition list`",
            ),
            RoleError::ShallowPowerShell => f.write_str(
                "`Permissions` holds text, not blocks: ConvertTo-Json stopped at its default \
                 depth; export again with `ConvertTo-Json -Depth 10`",
            ),
            RoleError::KeySpelling { found, expected } => write!(
                f,
                "key `{found}`: ARM reads keys ignoring case, so this is `{expected}`; \
                 write it `{expected}`"
            ),
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
        let (granted, removed) = if data {
            (&self.data_actions, &self.not_data_actions)
        } else {
            (&self.actions, &self.not_actions)
        };
        granted.iter().any(|p| p.matches_lowercase(action))
            && !removed.iter().any(|p| p.matches_lowercase(action))
    }
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
    /// Where it may be assigned (`assignableScopes`), as written; empty when the definition
    /// does not say (hand-written files), which restricts nothing. Built-in roles have `/`.
    pub assignable_scopes: Vec<String>,
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

    /// Reads a definition from a parsed JSON value.
    pub fn from_value(value: Value) -> Result<RoleDefinition, RoleError> {
        let invalid = |e: serde_json::Error| RoleError::NotARole(e.to_string());
        if let Some(blocks) = value.get("Permissions") {
            // `Get-AzRoleDefinition | ConvertTo-Json`: at its default depth the blocks are
            // flattened to type names, and read as such they would grant nothing, or wrongly.
            if blocks
                .as_array()
                .is_some_and(|items| items.iter().any(|item| !item.is_object()))
            {
                return Err(RoleError::ShallowPowerShell);
            }
            spelt_as_read(&value, POWERSHELL_KEYS)?;
            let raw: PowerShellShape = serde_json::from_value(value).map_err(invalid)?;
            return Ok(raw.into_definition());
        }
        if value.get("Actions").is_some()
            && (value.get("Condition").is_some()
                || value.get("ConditionVersion").is_some()
                || value.get("Id").is_some() && value.get("IsCustom").is_some())
        {
            return Err(RoleError::FlattenedPowerShell);
        }
        if let Some(properties) = value.get("properties") {
            spelt_as_read(&value, &["name", "id", "properties"])?;
            spelt_as_read(properties, LIST_KEYS)?;
            let raw: ListShape = serde_json::from_value(properties.clone()).map_err(invalid)?;
            let id = value.get("name").and_then(Value::as_str).and_then(guid_of);
            return Ok(raw.into_definition(id));
        }
        if value.get("permissions").is_some() {
            spelt_as_read(&value, LIST_KEYS)?;
            let raw: ListShape = serde_json::from_value(value).map_err(invalid)?;
            return Ok(raw.into_definition(None));
        }
        spelt_as_read(&value, CREATE_KEYS)?;
        let raw: CreateShape = serde_json::from_value(value).map_err(invalid)?;
        Ok(raw.into_definition())
    }

    /// Whether any block grants `action`, ignoring conditions.
    pub fn grants(&self, action: &str, data: bool) -> bool {
        let action = action.to_ascii_lowercase();
        self.permissions
            .iter()
            .any(|p| p.grants_lowercase(&action, data))
    }
}

/// The keys [`PowerShellShape`] reads.
const POWERSHELL_KEYS: &[&str] = &[
    "Name",
    "Id",
    "Description",
    "Permissions",
    "AssignableScopes",
];

/// The keys [`ListShape`] reads.
const LIST_KEYS: &[&str] = &[
    "roleName",
    "name",
    "id",
    "description",
    "permissions",
    "assignableScopes",
];

/// The keys [`CreateShape`] reads, in every spelling it takes.
const CREATE_KEYS: &[&str] = &[
    "Name",
    "name",
    "roleName",
    "Id",
    "id",
    "Description",
    "description",
    "AssignableScopes",
    "assignableScopes",
    "Actions",
    "actions",
    "NotActions",
    "notActions",
    "DataActions",
    "dataActions",
    "NotDataActions",
    "notDataActions",
    "Condition",
    "condition",
    "ConditionVersion",
    "conditionVersion",
];

/// Refuses a key of the object `value` that is one of `keys` (the ones its shape reads)
/// ignoring case but none of them exactly: the shape would ignore it, where ARM reads it
/// (decision R14). Other keys (`type`, `IsCustom`, `createdOn`, ...) grant nothing and are
/// read past.
fn spelt_as_read(value: &Value, keys: &[&'static str]) -> Result<(), RoleError> {
    let Some(object) = value.as_object() else {
        return Ok(());
    };
    for key in object.keys() {
        if keys.contains(&key.as_str()) {
            continue;
        }
        if let Some(expected) = keys.iter().find(|k| k.eq_ignore_ascii_case(key)) {
            return Err(RoleError::KeySpelling {
                found: key.clone(),
                expected,
            });
        }
    }
    Ok(())
}

/// The trailing GUID of a role definition id or name (decision 24).
fn guid_of(text: &str) -> Option<Uuid> {
    Uuid::parse_str(text.rsplit('/').next()?).ok()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ListShape {
    role_name: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    permissions: Vec<BlockShape>,
    #[serde(default)]
    assignable_scopes: Vec<String>,
}

impl ListShape {
    fn into_definition(self, id: Option<Uuid>) -> RoleDefinition {
        let id = id
            .or_else(|| self.name.as_deref().and_then(guid_of))
            .or_else(|| self.id.as_deref().and_then(guid_of));
        definition(
            self.role_name,
            id,
            self.description,
            self.permissions,
            self.assignable_scopes,
        )
    }
}

/// A definition from the parts every list shape has.
fn definition(
    role_name: String,
    id: Option<Uuid>,
    description: Option<String>,
    blocks: Vec<BlockShape>,
    assignable_scopes: Vec<String>,
) -> RoleDefinition {
    RoleDefinition {
        role_name,
        id,
        description,
        permissions: blocks
            .into_iter()
            .map(|block| block.0.into_permission())
            .collect(),
        assignable_scopes,
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PermissionShape {
    #[serde(default, alias = "Actions")]
    actions: Vec<String>,
    #[serde(default, alias = "NotActions")]
    not_actions: Vec<String>,
    #[serde(default, alias = "DataActions")]
    data_actions: Vec<String>,
    #[serde(default, alias = "NotDataActions")]
    not_data_actions: Vec<String>,
    #[serde(default, alias = "Condition")]
    condition: Option<String>,
    #[serde(default, alias = "ConditionVersion")]
    condition_version: Option<String>,
}

impl PermissionShape {
    fn into_permission(self) -> Permission {
        let patterns = |list: Vec<String>| list.into_iter().map(ActionPattern::new).collect();
        Permission {
            actions: patterns(self.actions),
            not_actions: patterns(self.not_actions),
            data_actions: patterns(self.data_actions),
            not_data_actions: patterns(self.not_data_actions),
            condition: self.condition,
            condition_version: self.condition_version,
        }
    }
}

/// One block of `permissions[]` in the list and ARM shapes: an unknown key there is an error,
/// since a misspelt `notActions` (`notAction`) could only widen the role (decision R14).
struct BlockShape(PermissionShape);

impl<'de> Deserialize<'de> for BlockShape {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<BlockShape, D::Error> {
        use serde::de::Error;
        /// The keys [`PermissionShape`] reads, in both spellings.
        const KEYS: &[&str] = &[
            "actions",
            "notActions",
            "dataActions",
            "notDataActions",
            "condition",
            "conditionVersion",
            "Actions",
            "NotActions",
            "DataActions",
            "NotDataActions",
            "Condition",
            "ConditionVersion",
        ];
        let block = serde_json::Map::<String, Value>::deserialize(deserializer)?;
        if let Some(key) = block.keys().find(|key| !KEYS.contains(&key.as_str())) {
            return Err(D::Error::unknown_field(key, KEYS));
        }
        PermissionShape::deserialize(Value::Object(block))
            .map(BlockShape)
            .map_err(D::Error::custom)
    }
}

/// The current `Get-AzRoleDefinition | ConvertTo-Json -Depth 10` shape: PascalCase, every
/// block under `Permissions`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PowerShellShape {
    name: String,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    permissions: Vec<BlockShape>,
    #[serde(default)]
    assignable_scopes: Vec<String>,
}

impl PowerShellShape {
    fn into_definition(self) -> RoleDefinition {
        definition(
            self.name,
            self.id.as_deref().and_then(guid_of),
            self.description,
            self.permissions,
            self.assignable_scopes,
        )
    }
}

/// `az role definition create --role-definition` files.
#[derive(Deserialize)]
struct CreateShape {
    #[serde(alias = "name", alias = "roleName")]
    #[serde(rename = "Name")]
    name: String,
    #[serde(default, rename = "Id", alias = "id")]
    id: Option<String>,
    #[serde(default, rename = "Description", alias = "description")]
    description: Option<String>,
    #[serde(default, rename = "AssignableScopes", alias = "assignableScopes")]
    assignable_scopes: Vec<String>,
    #[serde(flatten)]
    permission: PermissionShape,
}

impl CreateShape {
    fn into_definition(self) -> RoleDefinition {
        RoleDefinition {
            role_name: self.name,
            id: self.id.as_deref().and_then(guid_of),
            description: self.description,
            permissions: vec![self.permission.into_permission()],
            assignable_scopes: self.assignable_scopes,
        }
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
    let guid = guid_of(name_or_guid.trim());
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
        for shape in [
            r#"{"roleName": "R", "permissions": [{"actions": ["*"], "notAction": ["Microsoft.Authorization/*/write"]}]}"#,
            r#"{"name": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", "properties": {"roleName": "R",
                "permissions": [{"actions": ["*"], "notAction": ["Microsoft.Authorization/*/write"]}]}}"#,
        ] {
            let error = RoleDefinition::from_json(shape).unwrap_err().to_string();
            assert!(error.contains("unknown field `notAction`"), "{error}");
        }
        // Both spellings of one key in a block are an error too, never one of them silently.
        let twice =
            r#"{"roleName": "R", "permissions": [{"notActions": [], "NotActions": ["a/*"]}]}"#;
        assert!(RoleDefinition::from_json(twice).is_err());
    }

    #[test]
    fn a_role_key_spelt_in_another_case_is_an_error() {
        // ARM reads `notactions` as `notActions`; read exactly, it would be ignored and the
        // role would grant what it excludes.
        for (shape, found) in [
            (
                r#"{"Name": "C", "Actions": ["*"], "notactions": ["Microsoft.Authorization/*"]}"#,
                "notactions",
            ),
            (
                r#"{"name": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", "properties": {"roleName": "R",
                    "permissions": [{"actions": ["*"]}], "AssignableScopes": ["/subscriptions/x"]}}"#,
                "AssignableScopes",
            ),
            (
                r#"{"rolename": "R", "permissions": [{"actions": ["a/read"]}]}"#,
                "rolename",
            ),
        ] {
            let error = RoleDefinition::from_json(shape).unwrap_err();
            assert!(
                matches!(&error, RoleError::KeySpelling { found: f, .. } if f == found),
                "{error}"
            );
        }
        // Keys that grant nothing are read past, in any case.
        let extra = r#"{"Name": "C", "IsCustom": true, "TYPE": "x", "Actions": ["a/read"]}"#;
        assert!(RoleDefinition::from_json(extra).is_ok());
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
