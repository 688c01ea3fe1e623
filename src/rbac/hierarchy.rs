//! The group hierarchy ([RBAC.md §1.1](crate::spec::rbac#section-1-1),
//! [decision R15](crate::spec::decisions#decision-r15)): which management group each subscription
//! and management group sits under, and which service group each service group sits under, read
//! from a tree (`az account management-group show --expand --recurse`), service-group resources
//! (`properties.parent.resourceId`), or a flat list of links. A service group passes roles only to
//! its child service groups: its members (subscriptions, resource groups, resources) are not its
//! children, and nothing else sits under one.

use std::collections::HashMap;

use serde_json::Value;

use super::fields::{key_of, keys_equal_ignoring_case};
use super::scope::{MANAGEMENT_GROUPS, Scope, ScopeError};
use super::{InputError, InputProblem};
use crate::limits::MAX_GROUP_DEPTH;

/// Which management group each subscription and management group sits under, and which service
/// group each service group sits under ([RBAC.md §1.1](crate::spec::rbac#section-1-1)). Without
/// one, subscriptions, management groups and service groups sit directly under `/`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Hierarchy {
    parents: HashMap<Scope, Scope>,
}

impl Hierarchy {
    /// Every (child, parent) link: subscriptions and management groups under their group.
    pub(crate) fn links(&self) -> impl Iterator<Item = (&Scope, &Scope)> {
        self.parents.iter()
    }

    /// The management group (or, for a service group, the service group) `scope` sits under,
    /// when the hierarchy says.
    pub fn parent_of(&self, scope: &Scope) -> Option<&Scope> {
        self.parents.get(scope)
    }

    /// Whether `group` is `scope` or sits above it in the hierarchy.
    pub(crate) fn is_at_or_above(&self, group: &Scope, scope: &Scope) -> bool {
        let mut current = scope;
        for _ in 0..=MAX_GROUP_DEPTH + 1 {
            if current == group {
                return true;
            }
            match self.parents.get(current) {
                Some(parent) => current = parent,
                None => return false,
            }
        }
        false
    }

    /// Reads a hierarchy in either of two shapes:
    ///
    /// - the tree that `az account management-group show --expand --recurse` prints (or an
    ///   array of such trees): `{"id": "/providers/Microsoft.Management/managementGroups/root",
    ///   "children": [{"id": "/subscriptions/…"}, {"id": "…/managementGroups/child", "children": […]}]}`;
    /// - service-group resources as ARM returns them (one, an array, or `{"value": [...]}`):
    ///   `{"id": "/providers/Microsoft.Management/serviceGroups/child", "properties": {"parent":
    ///   {"resourceId": "/providers/Microsoft.Management/serviceGroups/parent"}}}`;
    /// - a flat map from a child (subscription id or scope, management group name or scope,
    ///   service group scope) to its parent group (a management group's name or scope, a
    ///   service group's scope): `{"parents": {"sub-id": "platform"}}`.
    pub fn from_value(value: &Value) -> Result<Hierarchy, InputError> {
        let mut hierarchy = Hierarchy::default();
        let parents = match value {
            Value::Object(object) => key_of(object, "parents", "$")?,
            _ => None,
        };
        match (value, parents) {
            (Value::Object(object), Some((key, found))) => {
                keys_equal_ignoring_case(object, "$")?;
                let Value::Object(parents) = found else {
                    return Err(InputError::expected(
                        &format!("$.{key}"),
                        "an object",
                        found,
                    ));
                };
                for (child, parent) in parents {
                    let path = format!("$.{key}[{}]", Value::String(child.clone()));
                    let Value::String(parent) = parent else {
                        return Err(InputError::expected(&path, "a management group", parent));
                    };
                    let child = loose_scope(child)
                        .map_err(|e| InputError::new(&path, InputProblem::Scope(e)))?;
                    let parent = group_scope(parent)
                        .map_err(|e| InputError::new(&path, InputProblem::Scope(e)))?;
                    hierarchy.insert(child, parent, &path)?;
                }
            }
            (Value::Object(_) | Value::Array(_), _) => {
                for (path, tree) in super::fields::items(value)? {
                    hierarchy.tree(tree, None, &path)?;
                }
            }
            (other, _) => {
                return Err(InputError::expected(
                    "$",
                    "a management-group tree or {\"parents\": {...}}",
                    other,
                ));
            }
        }
        hierarchy.check_depth()?;
        Ok(hierarchy)
    }

    fn insert(&mut self, child: Scope, parent: Scope, path: &str) -> Result<(), InputError> {
        // Only management groups and subscriptions sit under management groups, and only
        // service groups under service groups (decision R15).
        let refuse = |problem| Err(InputError::new(path, problem));
        if parent.service_group().is_some() {
            if child.service_group().is_none() {
                return refuse(InputProblem::NotAServiceGroupChild(child.to_string()));
            }
        } else if child.service_group().is_some() {
            return refuse(InputProblem::NotAServiceGroup(parent.to_string()));
        } else {
            let is_subscription =
                child.subscription().is_some() && child.parent().is_some_and(|p| p.is_root());
            if child.management_group().is_none() && !is_subscription {
                return refuse(InputProblem::NotAGroupChild(child.to_string()));
            }
            if parent.management_group().is_none() {
                return refuse(InputProblem::NotAManagementGroup(parent.to_string()));
            }
        }
        match self.parents.get(&child) {
            Some(existing) if *existing != parent => Err(InputError::new(
                path,
                InputProblem::TwoParents {
                    child: child.to_string(),
                    first: existing.to_string(),
                    second: parent.to_string(),
                },
            )),
            _ => {
                self.parents.insert(child, parent);
                Ok(())
            }
        }
    }

    fn tree(&mut self, node: &Value, parent: Option<&Scope>, path: &str) -> Result<(), InputError> {
        let Value::Object(object) = node else {
            return Err(InputError::expected(path, "an object with an `id`", node));
        };
        keys_equal_ignoring_case(object, path)?;
        let id_path = format!("{path}.id");
        let id = key_of(object, "id", path)?.map(|(_, v)| v);
        let Some(Value::String(id)) = id else {
            return Err(InputError::expected(
                &id_path,
                "a scope string",
                id.unwrap_or(&Value::Null),
            ));
        };
        let scope =
            Scope::parse(id).map_err(|e| InputError::new(&id_path, InputProblem::Scope(e)))?;
        if let Some(parent) = parent {
            self.insert(scope.clone(), parent.clone(), &id_path)?;
        }
        if let Some((given, path)) = service_group_parent(object, path)? {
            let given =
                Scope::parse(given).map_err(|e| InputError::new(&path, InputProblem::Scope(e)))?;
            self.insert(scope.clone(), given, &path)?;
        }
        // `children` at the node's top (`az account management-group show --expand
        // --recurse`, and every node below the root of the REST response), or in its
        // `properties` (the root of `GET …/managementGroups/{id}?$expand=children&$recurse=true`).
        let top = key_of(object, "children", path)?.filter(|(_, v)| !v.is_null());
        let properties_path = format!("{path}.properties");
        let nested = match key_of(object, "properties", path)? {
            Some((_, Value::Object(properties))) => {
                key_of(properties, "children", &properties_path)?.filter(|(_, v)| !v.is_null())
            }
            _ => None,
        };
        let (children, children_path) = match (top, nested) {
            (Some(_), Some(_)) => {
                return Err(InputError::new(
                    path,
                    InputProblem::Conflict {
                        first: "children",
                        second: "properties.children",
                    },
                ));
            }
            (Some((key, children)), None) => (children, format!("{path}.{key}")),
            (None, Some((key, children))) => (children, format!("{properties_path}.{key}")),
            (None, None) => return Ok(()),
        };
        match children {
            Value::Array(children) => {
                for (index, child) in children.iter().enumerate() {
                    self.tree(child, Some(&scope), &format!("{children_path}[{index}]"))?;
                }
                Ok(())
            }
            other => Err(InputError::expected(&children_path, "an array", other)),
        }
    }

    /// Rejects cycles and chains deeper than Azure allows.
    fn check_depth(&self) -> Result<(), InputError> {
        for start in self.parents.keys() {
            let mut current = start;
            for _ in 0..=MAX_GROUP_DEPTH {
                match self.parents.get(current) {
                    Some(parent) if parent == start => {
                        return Err(InputError::new("$", InputProblem::Cycle(start.to_string())));
                    }
                    Some(parent) => current = parent,
                    None => break,
                }
            }
            if self.parents.contains_key(current) {
                return Err(InputError::new(
                    "$",
                    InputProblem::TooDeep(start.to_string()),
                ));
            }
        }
        Ok(())
    }
}

/// A service-group resource's parent, `properties.parent.resourceId`, with its path; `None`
/// when it has none (the tenant's root service group, or another kind of node).
fn service_group_parent<'v>(
    object: &'v serde_json::Map<String, Value>,
    path: &str,
) -> Result<Option<(&'v str, String)>, InputError> {
    let properties = match key_of(object, "properties", path)? {
        Some((_, Value::Object(properties))) => properties,
        _ => return Ok(None),
    };
    let Some((_, parent)) = key_of(properties, "parent", &format!("{path}.properties"))? else {
        return Ok(None);
    };
    let path = format!("{path}.properties.parent");
    match parent {
        Value::Null => Ok(None),
        Value::Object(parent) => match key_of(parent, "resourceId", &path)?.map(|(_, v)| v) {
            // The tenant's root service group has no parent.
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(id)) => Ok(Some((id, format!("{path}.resourceId")))),
            Some(other) => Err(InputError::expected(
                &format!("{path}.resourceId"),
                "a service group's id",
                other,
            )),
        },
        other => Err(InputError::expected(
            &path,
            "an object with `resourceId`",
            other,
        )),
    }
}

/// A subscription id or a management group name, or either as a full scope.
fn loose_scope(text: &str) -> Result<Scope, ScopeError> {
    if text.starts_with('/') {
        return Scope::parse(text);
    }
    if crate::id::segment::is_guid(text) {
        return Scope::parse(&format!("/subscriptions/{text}"));
    }
    group_scope(text)
}

/// A management group by name or scope.
fn group_scope(text: &str) -> Result<Scope, ScopeError> {
    if text.starts_with('/') {
        return Scope::parse(text);
    }
    Scope::parse(&format!("{MANAGEMENT_GROUPS}{text}"))
}
