//! The [`WorldBuilder`]: a [`World`] from the JSON of roles, assignments, deny assignments and
//! the hierarchy, every condition compiled once per distinct text.

use std::borrow::Cow;
use std::collections::HashMap;

use super::scopes::ScopeTable;
use super::{Indexed, World};
use crate::catalog::{Catalog, RoleDefinition, RoleError, builtin_roles, find_builtin_role};
use crate::hash::FastMap;
use crate::rbac::{DenyAssignment, Hierarchy, InputError, PrincipalNames, RoleAssignment, Scope};
use serde_json::Value;
use uuid::Uuid;

/// Builds a [`World`] from input files. Give principal names (if any) before the files that
/// use them, and roles before the assignments that name them.
#[derive(Default)]
pub struct WorldBuilder {
    names: PrincipalNames,
    roles: Vec<RoleDefinition>,
    assignments: Vec<RoleAssignment>,
    deny: Vec<DenyAssignment>,
    hierarchy: Hierarchy,
}

impl WorldBuilder {
    /// Adds custom role definitions (one, an array, or `{"value": [...]}`).
    pub fn roles(mut self, value: &Value) -> Result<WorldBuilder, InputError> {
        for (path, item) in crate::rbac::assignment::items(value) {
            let role = RoleDefinition::from_value(item.clone())
                .map_err(|RoleError(m)| InputError::new(&path, m))?;
            self.roles.push(role);
        }
        Ok(self)
    }

    /// Lets the files that follow name principals by `names`, not only by GUID.
    pub fn principal_names(mut self, names: PrincipalNames) -> WorldBuilder {
        self.names = names;
        self
    }

    /// Adds role assignments. An assignment names its role by `roleDefinitionId`, or by
    /// `role`: the name or GUID of a role given so far or of a built-in role.
    pub fn assignments(mut self, value: &Value) -> Result<WorldBuilder, InputError> {
        let roles = |name: &str| self.role_id(name);
        let read = RoleAssignment::read_all_named(value, &self.names, Some(&roles))?;
        self.assignments.extend(read);
        Ok(self)
    }

    /// Adds deny assignments.
    pub fn deny_assignments(mut self, value: &Value) -> Result<WorldBuilder, InputError> {
        let read = DenyAssignment::read_all_named(value, &self.names)?;
        self.deny.extend(read);
        Ok(self)
    }

    /// The GUID of a role given so far (the last of a name wins, as in the world) or of a
    /// built-in role, by name (ignoring case) or GUID.
    fn role_id(&self, name_or_guid: &str) -> Option<Uuid> {
        let text = name_or_guid.trim();
        if let Ok(guid) = Uuid::parse_str(text.rsplit('/').next().unwrap_or_default()) {
            return Some(guid);
        }
        let given = self.roles.iter().rev();
        given
            .filter(|role| role.role_name.eq_ignore_ascii_case(text))
            .find_map(|role| role.id)
            .or_else(|| {
                find_builtin_role(text)
                    .ok()
                    .flatten()
                    .and_then(|role| role.id)
            })
    }

    /// Sets the management-group hierarchy.
    pub fn hierarchy(mut self, value: &Value) -> Result<WorldBuilder, InputError> {
        self.hierarchy = Hierarchy::from_value(value)?;
        Ok(self)
    }

    /// Resolves roles, indexes assignments and compiles every condition once.
    pub fn build(self, catalog: &Catalog) -> Result<World, InputError> {
        let builtin = builtin_roles().map_err(|RoleError(m)| InputError::new("$", m))?;
        let mut roles: Vec<Cow<'static, RoleDefinition>> =
            builtin.iter().map(Cow::Borrowed).collect();
        roles.extend(self.roles.into_iter().map(Cow::Owned));
        let mut role_by_id = HashMap::new();
        // Custom roles come last and win: a file may redefine a built-in role's permissions.
        for (index, role) in roles.iter().enumerate() {
            if let Some(id) = role.id {
                role_by_id.insert(id, index);
            }
        }
        let mut world = World {
            roles,
            role_by_id,
            assignments: Vec::with_capacity(self.assignments.len()),
            by_principal: FastMap::default(),
            scopes: ScopeTable::default(),
            deny: self.deny,
            hierarchy: self.hierarchy,
            programs: Vec::new(),
            program_of: HashMap::new(),
            role_conditions: HashMap::new(),
            deny_conditions: Vec::new(),
        };
        // Every management group and subscription of the hierarchy, with its parent.
        let links: Vec<(Scope, Scope)> = world
            .hierarchy
            .links()
            .map(|(child, parent)| (child.clone(), parent.clone()))
            .collect();
        for (child, parent) in links {
            let parent = world.scopes.intern(&parent);
            let child = world.scopes.intern(&child);
            if let Some(info) = world.scopes.info.get_mut(child as usize) {
                info.hierarchy_parent = Some(parent);
            }
        }
        for assignment in self.assignments {
            let path = format!("assignment {}", assignment.id);
            let Some(&role) = world.role_by_id.get(&assignment.role_definition_id) else {
                return Err(InputError::new(
                    &path,
                    format!(
                        "role definition {} is neither built in nor in the given roles",
                        assignment.role_definition_id
                    ),
                ));
            };
            world.compile_role(role, catalog)?;
            let condition = assignment
                .condition
                .as_deref()
                .map(|text| world.compile(text, catalog, &path))
                .transpose()?;
            let index = index32(world.assignments.len(), &path)?;
            let scope = world.scopes.intern(&assignment.scope);
            world
                .by_principal
                .entry(assignment.principal_id)
                .or_default()
                .push((scope, index));
            world.assignments.push(Indexed {
                role,
                condition,
                assignment,
            });
        }
        for index in 0..world.deny.len() {
            let Some(deny) = world.deny.get(index) else {
                continue;
            };
            let path = format!("deny assignment {}", deny.id);
            let scope = deny.scope.clone();
            let condition = deny.condition.clone();
            let blocks: Vec<Option<String>> = deny
                .permissions
                .iter()
                .map(|p| p.condition.clone())
                .collect();
            let own = condition
                .map(|text| world.compile(&text, catalog, &path))
                .transpose()?;
            let mut per_block = Vec::with_capacity(blocks.len());
            for block in blocks {
                per_block.push(
                    block
                        .map(|text| world.compile(&text, catalog, &path))
                        .transpose()?,
                );
            }
            world.deny_conditions.push((own, per_block));
            let id = world.scopes.intern(&scope);
            let index = index32(index, &path)?;
            if let Some(info) = world.scopes.info.get_mut(id as usize) {
                info.deny.push(index);
            }
        }
        Ok(world)
    }
}

fn index32(index: usize, path: &str) -> Result<u32, InputError> {
    u32::try_from(index).map_err(|_| InputError::new(path, "too many assignments".into()))
}
