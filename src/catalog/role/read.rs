//! Reading a role definition from JSON as ARM reads it: keys ignoring ASCII case (two keys equal
//! ignoring case in one object are an error, since which one ARM takes is not known), in every
//! shape Azure's tools print, the lossy PowerShell ones refused
//! ([decision R14](crate::spec::decisions#decision-r14)).
//!
//! | Shape | Printed by | Role name | GUID |
//! | --- | --- | --- | --- |
//! | list | `az role definition list` | `roleName` | `name` (or the end of `id`) |
//! | ARM resource | the REST API | `properties.roleName` | `name` |
//! | PowerShell | `Get-AzRoleDefinition \| ConvertTo-Json -Depth 10` | `Name` | `Id` |
//! | create | `az role definition create` files | `Name` | `Id` |
//!
//! The first three hold their blocks under `permissions`, the last holds one block at the top.

use serde_json::{Map, Value};
use uuid::Uuid;

use super::{Permission, RoleDefinition, RoleError};
use crate::catalog::ActionPattern;

/// The keys of one permission block; any other key in a block is an error, since a misspelt
/// `notActions` could only widen the role.
const BLOCK_KEYS: [&str; 6] = [
    "actions",
    "notActions",
    "dataActions",
    "notDataActions",
    "condition",
    "conditionVersion",
];

/// Reads one role definition.
pub(super) fn definition(value: &Value) -> Result<RoleDefinition, RoleError> {
    let top = Object::of(value, "$")?;
    if let Some((_, Value::Array(blocks))) = top.get("permissions")
        && blocks.iter().any(|block| !block.is_object())
    {
        // `Get-AzRoleDefinition | ConvertTo-Json` at its default depth flattens each block to
        // its type name: read as such it would grant nothing, or wrongly.
        return Err(RoleError::ShallowPowerShell);
    }
    if let Some((key, properties)) = top.get("properties") {
        // An ARM resource: the GUID is its `name` (or the end of its `id`), the definition
        // its `properties`.
        let body = Object::of(properties, &top.path_of(key))?;
        return listed(&body, top.name_and_id()?);
    }
    if top.get("permissions").is_some() {
        return listed(&top, None);
    }
    let flat_only = ["Condition", "ConditionVersion"]
        .iter()
        .any(|key| top.get(key).is_some())
        || top.get("Id").is_some() && top.get("IsCustom").is_some();
    if top.get("Actions").is_some() && flat_only {
        return Err(RoleError::FlattenedPowerShell);
    }
    created(&top)
}

/// The list, ARM and PowerShell shapes: blocks under `permissions`.
fn listed(body: &Object<'_>, id: Option<Uuid>) -> Result<RoleDefinition, RoleError> {
    if let Some(key) = BLOCK_KEYS.iter().find(|key| body.get(key).is_some()) {
        // A block's key beside `permissions` would be ignored, where its writer meant it.
        return Err(RoleError::Conflict {
            at: body.path.clone(),
            first: "permissions",
            second: key,
        });
    }
    // `roleName` says the list or ARM shape, whose `name` is the GUID; PowerShell's `Name`
    // is the role's name and its `Id` the GUID.
    let (role_name, id) = match body.string("roleName")? {
        Some(role_name) => {
            let id = match id {
                Some(id) => Some(id),
                None => body.name_and_id()?,
            };
            (role_name, id)
        }
        None => {
            let Some(name) = body.string("name")? else {
                return Err(RoleError::Missing {
                    at: body.path.clone(),
                    key: "roleName",
                });
            };
            (name, body.guid("id")?)
        }
    };
    let (blocks_key, blocks) = body
        .get("permissions")
        .unwrap_or(("permissions", &Value::Null));
    let blocks_path = body.path_of(blocks_key);
    let permissions = match blocks {
        Value::Null => Vec::new(),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let block = Object::of(item, &format!("{blocks_path}[{i}]"))?;
                if let Some(key) = block.unknown_key(&BLOCK_KEYS) {
                    return Err(RoleError::UnknownKey {
                        at: block.path_of(key),
                        known: &BLOCK_KEYS,
                    });
                }
                block.permission()
            })
            .collect::<Result<_, _>>()?,
        other => {
            return Err(RoleError::Expected {
                at: blocks_path,
                what: "a list of permission blocks",
                found: kind(other),
            });
        }
    };
    Ok(RoleDefinition {
        role_name: role_name.to_owned(),
        id,
        description: body.string("description")?.map(str::to_owned),
        permissions,
        assignable_scopes: body.assignable_scopes()?,
    })
}

/// An `az role definition create` file: one block, at the top.
fn created(top: &Object<'_>) -> Result<RoleDefinition, RoleError> {
    let name = match (top.string("name")?, top.string("roleName")?) {
        (Some(_), Some(_)) => {
            return Err(RoleError::Conflict {
                at: top.path.clone(),
                first: "Name",
                second: "roleName",
            });
        }
        (Some(name), None) | (None, Some(name)) => name,
        (None, None) => {
            return Err(RoleError::Missing {
                at: top.path.clone(),
                key: "Name",
            });
        }
    };
    if let Some((key, _)) = top.map.iter().find(|(key, _)| {
        let key = key.to_ascii_lowercase();
        (key.contains("action") || key.contains("condition"))
            && !BLOCK_KEYS
                .iter()
                .any(|known| known.eq_ignore_ascii_case(&key))
    }) {
        // A misspelt action list (`NotAction`) at the top would be read past and widen the role.
        return Err(RoleError::UnknownKey {
            at: top.path_of(key),
            known: &BLOCK_KEYS,
        });
    }
    Ok(RoleDefinition {
        role_name: name.to_owned(),
        id: top.guid("id")?,
        description: top.string("description")?.map(str::to_owned),
        permissions: vec![top.permission()?],
        assignable_scopes: top.assignable_scopes()?,
    })
}

/// The GUID a role definition id or name names, read by the grammar of ids
/// ([decision 24](crate::spec::decisions#decision-24),
/// [decision R19](crate::spec::decisions#decision-r19)).
pub(super) fn guid_of(text: &str) -> Option<Uuid> {
    crate::id::role_definition_guid(text).ok()
}

/// The JSON type of `value`, as an error names it.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// One JSON object of a definition, its keys read ignoring ASCII case.
struct Object<'v> {
    map: &'v Map<String, Value>,
    /// Its JSON path within the definition (`$` the definition itself).
    path: String,
}

impl<'v> Object<'v> {
    /// The object `value`, refused when two of its keys are equal ignoring case.
    fn of(value: &'v Value, path: &str) -> Result<Object<'v>, RoleError> {
        let Value::Object(map) = value else {
            return Err(RoleError::Expected {
                at: path.to_owned(),
                what: "an object",
                found: kind(value),
            });
        };
        if let Some((first, second)) = crate::keys::repeated(map.keys().map(String::as_str)) {
            return Err(RoleError::KeysDifferInCase {
                at: path.to_owned(),
                first: first.to_owned(),
                second: second.to_owned(),
            });
        }
        Ok(Object {
            map,
            path: path.to_owned(),
        })
    }

    /// The path of the member `key`.
    fn path_of(&self, key: &str) -> String {
        format!("{}.{key}", self.path)
    }

    /// The member named `key` ignoring case, with its key as written.
    fn get(&self, key: &str) -> Option<(&'v str, &'v Value)> {
        self.map
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(k, v)| (k.as_str(), v))
    }

    /// The first key that is none of `known`, ignoring case.
    fn unknown_key(&self, known: &[&str]) -> Option<&'v str> {
        self.map
            .keys()
            .find(|key| !known.iter().any(|k| k.eq_ignore_ascii_case(key)))
            .map(String::as_str)
    }

    /// A string member; null reads as absent.
    fn string(&self, key: &str) -> Result<Option<&'v str>, RoleError> {
        match self.get(key) {
            None | Some((_, Value::Null)) => Ok(None),
            Some((_, Value::String(text))) => Ok(Some(text)),
            Some((key, other)) => Err(RoleError::Expected {
                at: self.path_of(key),
                what: "a string",
                found: kind(other),
            }),
        }
    }

    /// The trailing GUID of a string member, if it ends in one.
    fn guid(&self, key: &str) -> Result<Option<Uuid>, RoleError> {
        let Some(text) = self.string(key)? else {
            return Ok(None);
        };
        let at = self.path_of(self.get(key).map_or(key, |(written, _)| written));
        crate::id::role_definition_guid(text)
            .map(Some)
            .map_err(|error| RoleError::Id { at, error })
    }

    /// The role's GUID from `name` (a GUID) and `id` (a role definition id), which must name
    /// the same role when both are given.
    fn name_and_id(&self) -> Result<Option<Uuid>, RoleError> {
        match (self.guid("name")?, self.guid("id")?) {
            (Some(name), Some(id)) if name != id => Err(RoleError::GuidsDiffer {
                at: self.path.clone(),
                name,
                id,
            }),
            (name, id) => Ok(name.or(id)),
        }
    }

    /// A list of strings; absent and null read as empty.
    fn strings(&self, key: &str) -> Result<Vec<String>, RoleError> {
        let expected = |at: String, found: &Value| RoleError::Expected {
            at,
            what: "a list of strings",
            found: kind(found),
        };
        match self.get(key) {
            None | Some((_, Value::Null)) => Ok(Vec::new()),
            Some((key, Value::Array(items))) => items
                .iter()
                .enumerate()
                .map(|(i, item)| match item {
                    Value::String(text) => Ok(text.clone()),
                    other => Err(expected(format!("{}[{i}]", self.path_of(key)), other)),
                })
                .collect(),
            Some((key, other)) => Err(expected(self.path_of(key), other)),
        }
    }

    /// `assignableScopes`, each read by the grammar of ids.
    fn assignable_scopes(&self) -> Result<Vec<crate::id::AssignableScope>, RoleError> {
        let texts = self.strings("assignableScopes")?;
        let key = self.get("assignableScopes").map(|(key, _)| key);
        texts
            .iter()
            .enumerate()
            .map(|(i, text)| {
                crate::id::AssignableScope::parse(text).map_err(|error| RoleError::Id {
                    at: format!("{}[{i}]", self.path_of(key.unwrap_or("assignableScopes"))),
                    error,
                })
            })
            .collect()
    }

    /// The block this object holds.
    fn permission(&self) -> Result<Permission, RoleError> {
        let patterns = |key: &str| -> Result<Vec<ActionPattern>, RoleError> {
            Ok(self
                .strings(key)?
                .into_iter()
                .map(ActionPattern::new)
                .collect())
        };
        Ok(Permission {
            actions: patterns("actions")?,
            not_actions: patterns("notActions")?,
            data_actions: patterns("dataActions")?,
            not_data_actions: patterns("notDataActions")?,
            condition: self.string("condition")?.map(str::to_owned),
            condition_version: self.string("conditionVersion")?.map(str::to_owned),
        })
    }
}
