//! The [`WorldBuilder`]: a [`World`] from the JSON of roles, assignments, deny assignments and
//! the hierarchy, every condition compiled once per distinct text.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use super::copies::{Place, Resources};
use super::roles::{Given, RoleWarning, reconcile};
use super::scopes::ScopeTable;
use super::{AlwaysRead, Block, ByPrincipal, Deny, Indexed, Open, World};
use crate::catalog::{Catalog, Permission, RoleDefinition, builtin_roles, find_builtin_role};
use crate::eval::{Program, Slot};
use crate::rbac::{
    DenyAssignment, Grant, Hierarchy, InputError, InputProblem, PrincipalNames, RoleAssignment,
};
use crate::syntax::{AttributeName, AttributeRef};
use serde_json::Value;
use uuid::Uuid;

/// Builds a [`World`] from input files. Give principal names (if any) before the files that
/// use them, and roles before the assignments that name them.
#[derive(Default)]
pub struct WorldBuilder {
    names: PrincipalNames,
    /// The file the values that follow come from, for the places errors name.
    file: String,
    /// Given roles, with where each was given.
    roles: Vec<(String, RoleDefinition)>,
    prefer_exported_roles: bool,
    warnings: Vec<RoleWarning>,
    /// Role and deny assignments, each with its place, copies of one read as one
    /// ([decision R20](crate::spec::decisions#decision-r20)).
    assignments: Resources<RoleAssignment>,
    deny: Resources<DenyAssignment>,
    hierarchy: Hierarchy,
}

impl WorldBuilder {
    /// Names the file the values given next come from, so that an error about two of them
    /// (copies that differ, a role name given twice) names both places.
    pub fn file(mut self, name: impl Into<String>) -> WorldBuilder {
        self.file = name.into();
        self
    }

    /// `path` in the current file.
    fn place(&self, path: &str) -> String {
        if self.file.is_empty() {
            path.to_owned()
        } else {
            format!("{} {path}", self.file)
        }
    }

    /// Adds role definitions (one, an array, or `{"value": [...]}`): custom roles, and
    /// built-in ones as exports repeat them. An entry with a built-in role's GUID that differs
    /// from azabac's definition is a warning ([`World::warnings`]), and azabac's definition is
    /// used unless [`WorldBuilder::prefer_exported_roles`]; see `rbac/world/roles.rs`.
    pub fn roles(mut self, value: &Value) -> Result<WorldBuilder, InputError> {
        for (path, item) in crate::rbac::fields::items(value)? {
            let role = RoleDefinition::from_value(item.clone()).map_err(|e| {
                let at = format!("{path}{}", e.at().trim_start_matches('$'));
                InputError::new(&at, InputProblem::Role(Box::new(e)))
            })?;
            let place = self.place(&path);
            let given = reconcile(
                role,
                &path,
                &self.roles,
                self.prefer_exported_roles,
                &mut self.warnings,
            )?;
            if let Given::Keep(role) = given {
                self.roles.push((place, role));
            }
        }
        Ok(self)
    }

    /// The warnings so far: given roles that differ from azabac's built-in definitions.
    pub fn warnings(&self) -> &[RoleWarning] {
        &self.warnings
    }

    /// Uses an export's definition of a built-in role where it differs from azabac's (for an
    /// export newer than azabac's data); set it before the roles it concerns. A definition
    /// that lacks a built-in condition is refused either way.
    pub fn prefer_exported_roles(mut self, prefer: bool) -> WorldBuilder {
        self.prefer_exported_roles = prefer;
        self
    }

    /// Lets the files that follow name principals by `names`, not only by GUID.
    pub fn principal_names(mut self, names: PrincipalNames) -> WorldBuilder {
        self.names = names;
        self
    }

    /// Adds role assignments. An assignment names its role by `roleDefinitionId`, or by
    /// `role`: the name or GUID of a role given so far or of a built-in role.
    /// Copies of one assignment (one id) that are equal after reading are read as one; copies
    /// that differ are an error naming both places
    /// ([decision R20](crate::spec::decisions#decision-r20)).
    pub fn assignments(self, value: &Value) -> Result<WorldBuilder, InputError> {
        self.add_assignments(value)
    }

    /// [`WorldBuilder::assignments`] from the text of a file, read in one pass without a JSON
    /// value and each assignment kept as soon as it is read: what `azabac decide` does with
    /// `--assignments`, where files hold 100,000 assignments. The same readers and the same
    /// errors, keys repeated in one object included.
    pub fn assignments_text(self, text: &str) -> Result<WorldBuilder, InputError> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let builder = self.add_assignments(&mut deserializer)?;
        deserializer
            .end()
            .map_err(|e| InputError::new("$", InputProblem::NotJson(e.to_string())))?;
        Ok(builder)
    }

    fn add_assignments<'de, D: serde::Deserializer<'de>>(
        mut self,
        deserializer: D,
    ) -> Result<WorldBuilder, InputError>
    where
        D::Error: std::fmt::Display,
    {
        let WorldBuilder {
            names,
            file,
            roles,
            assignments,
            ..
        } = &mut self;
        let role_id = |name: &str| role_id(roles, name);
        RoleAssignment::read_each(
            deserializer,
            names,
            Some(&role_id),
            &mut |at, assignment| assignments.add(Place::of(file, at), assignment),
        )?;
        Ok(self)
    }

    /// Adds deny assignments; copies of one are read as [`WorldBuilder::assignments`] reads
    /// them.
    pub fn deny_assignments(mut self, value: &Value) -> Result<WorldBuilder, InputError> {
        let read = DenyAssignment::read_placed(value, &self.names)?;
        for (path, deny) in read {
            let place = Place {
                file: &self.file,
                list: &path,
                index: None,
            };
            self.deny.add(place, deny)?;
        }
        Ok(self)
    }

    /// Sets the management-group hierarchy.
    pub fn hierarchy(mut self, value: &Value) -> Result<WorldBuilder, InputError> {
        self.hierarchy = Hierarchy::from_value(value)?;
        Ok(self)
    }

    /// Resolves roles, indexes assignments and compiles every condition once.
    pub fn build(self, catalog: &Catalog) -> Result<World, InputError> {
        let builtin = builtin_roles();
        let mut roles: Vec<Cow<'static, RoleDefinition>> =
            builtin.iter().map(Cow::Borrowed).collect();
        roles.extend(self.roles.into_iter().map(|(_, role)| Cow::Owned(role)));
        let mut role_by_id = HashMap::new();
        // Custom roles come last and win: a file may redefine a built-in role's permissions.
        for (index, role) in roles.iter().enumerate() {
            if let Some(id) = role.id {
                role_by_id.insert(id, index);
            }
        }
        let mut compiler = Compiler {
            catalog,
            programs: HashMap::new(),
            roles: HashMap::new(),
        };
        let mut scopes = ScopeTable::default();
        // Every management group and subscription of the hierarchy, with its parent.
        for (child, parent) in self.hierarchy.links() {
            let parent = scopes.intern(parent);
            let child = scopes.intern(child);
            if let Some(info) = scopes.info.get_mut(child as usize) {
                info.hierarchy_parent = Some(parent);
            }
        }
        // Two spellings of one scope beyond ASCII (one under both case mappings) placed under
        // two groups: which one holds it is not known (decision R15).
        if let Some((child, first, second)) = scopes.parents_differ() {
            return Err(InputError::new(
                "the hierarchy",
                InputProblem::TwoParents {
                    child,
                    first,
                    second,
                },
            ));
        }
        let given = self.assignments.into_items();
        let mut assignments = Vec::with_capacity(given.len());
        let mut by_principal = Vec::with_capacity(given.len());
        // A PIM schedule instance governs the role assignment it stands for
        // (`originRoleAssignmentId`): that assignment grants only as the instance says.
        // Ids match ignoring ASCII case, and beyond ASCII under either case mapping: an
        // instance governs the assignment it may stand for (decision R15).
        let governed: std::collections::HashSet<String> = given
            .iter()
            .filter_map(|a| a.origin.as_deref())
            .flat_map(super::copies::id_keys)
            .collect();
        for assignment in given {
            if assignment.grant == Grant::Always
                && !governed.is_empty()
                && super::copies::id_keys(&assignment.id)
                    .iter()
                    .any(|key| governed.contains(key))
            {
                continue;
            }
            let path = || format!("assignment {}", assignment.id);
            let Some((role, definition)) = role_by_id
                .get(&assignment.role_definition_id)
                .and_then(|&role| Some((role, roles.get(role)?)))
            else {
                return Err(InputError::new(
                    &path(),
                    InputProblem::UnknownRole(assignment.role_definition_id),
                ));
            };
            if assignment.scope.management_group().is_some()
                && super::decide::data_actions_of_a_custom_role(definition)
            {
                return Err(InputError::new(
                    &path(),
                    InputProblem::DataActionsAtManagementGroup {
                        role: definition.role_name.clone(),
                    },
                ));
            }
            let blocks = compiler.role(role, definition)?;
            let condition = compiler.condition(assignment.condition.as_deref(), &path)?;
            let index = index32(assignments.len(), path)?;
            let scope = scopes.intern(&assignment.scope);
            by_principal.push((assignment.principal_id, scope, index));
            assignments.push(Indexed {
                assignment,
                role,
                blocks,
                condition,
            });
        }
        let mut deny = Vec::with_capacity(self.deny.len());
        let mut group_denies = Vec::new();
        for assignment in self.deny.into_items() {
            let path = format!("deny assignment {}", assignment.id);
            let condition =
                compiler.condition(assignment.condition.as_deref(), &|| path.clone())?;
            let blocks = compiler.blocks(&assignment.permissions, &path)?;
            let index = index32(deny.len(), || path.clone())?;
            let scope = scopes.intern(&assignment.scope);
            if let Some(info) = scopes.info.get_mut(scope as usize) {
                info.deny.push(index);
            }
            if assignment.scope.management_group().is_some()
                || assignment.scope.service_group().is_some()
            {
                group_denies.push(index);
            }
            deny.push(Deny {
                assignment,
                condition,
                blocks,
            });
        }
        Ok(World {
            roles,
            role_by_id,
            assignments,
            by_principal: ByPrincipal::of(by_principal),
            scopes,
            deny,
            group_denies,
            reads_clock: compiler.programs.values().any(|program| {
                program.reads_attribute(&crate::syntax::AttributeRef {
                    source: crate::syntax::AttributeSource::Environment,
                    name: crate::syntax::AttributeName::Name("UtcNow".into()),
                })
            }),
            always_read: always_read(catalog, &compiler.programs),
            hierarchy: self.hierarchy,
            warnings: self.warnings,
        })
    }
}

/// The attributes that some of `programs` reads and that Azure supplies on every request of
/// some operations (`alwaysSupplied` in the catalogue), with those operations.
fn always_read(catalog: &Catalog, programs: &HashMap<String, Arc<Program>>) -> Vec<AlwaysRead> {
    let mut read = Vec::new();
    for attribute in catalog.attributes() {
        if attribute.entry.form != crate::catalog::Form::Exact {
            continue;
        }
        let Ok(name) = AttributeName::parse(&attribute.entry.name) else {
            continue;
        };
        for source in attribute.sources.iter().filter(|source| source.always) {
            let reference = AttributeRef {
                source: source.source,
                name: name.clone(),
            };
            if !programs.values().any(|p| p.reads_attribute(&reference)) {
                continue;
            }
            let operations = source
                .operations
                .iter()
                .filter_map(|index| catalog.operations().get(index))
                .filter_map(|op| {
                    let action = catalog.actions().get(op.action)?;
                    let suboperation = match op.suboperation {
                        Some(index) => Some(
                            catalog
                                .suboperations()
                                .get(index)?
                                .name
                                .to_ascii_lowercase()
                                .into(),
                        ),
                        None => None,
                    };
                    Some((action.name.to_ascii_lowercase().into(), suboperation))
                })
                .collect();
            read.push(AlwaysRead {
                slot: Slot::of(&reference),
                written: format!("@{}[{}]", source.source.name(), attribute.entry.name),
                operations,
            });
        }
    }
    read
}

/// Compiles the world's conditions, each distinct text once, and each role's blocks once.
struct Compiler<'c> {
    catalog: &'c Catalog,
    programs: HashMap<String, Arc<Program>>,
    roles: HashMap<usize, Arc<[Block]>>,
}

impl Compiler<'_> {
    /// A condition's program; an invalid condition is an error at `path`.
    fn condition(
        &mut self,
        text: Option<&str>,
        path: &dyn Fn() -> String,
    ) -> Result<Option<Arc<Program>>, InputError> {
        let Some(text) = text else {
            return Ok(None);
        };
        if let Some(program) = self.programs.get(text) {
            return Ok(Some(Arc::clone(program)));
        }
        let program = Program::from_source(text, self.catalog).map_err(|diagnostics| {
            InputError::new(
                &path(),
                InputProblem::Condition(crate::diagnostic::rejection_summary(&diagnostics, text)),
            )
        })?;
        let program = Arc::new(program);
        self.programs.insert(text.to_owned(), Arc::clone(&program));
        Ok(Some(program))
    }

    /// Permission blocks with their conditions compiled, in order. A block's condition version
    /// other than 2.0 is an error, as for assignments
    /// ([decision 23](crate::spec::decisions#decision-23)).
    fn blocks(&mut self, permissions: &[Permission], path: &str) -> Result<Vec<Block>, InputError> {
        permissions
            .iter()
            .map(|permission| {
                if let (Some(_), Some(version)) =
                    (&permission.condition, &permission.condition_version)
                    && version.trim() != "2.0"
                {
                    return Err(InputError::new(
                        path,
                        InputProblem::ConditionVersion(version.clone()),
                    ));
                }
                Ok(Block {
                    condition: self
                        .condition(permission.condition.as_deref(), &|| path.to_owned())?,
                    open: Open {
                        actions: permission.has_open_segment(false),
                        data_actions: permission.has_open_segment(true),
                    },
                    permission: permission.clone(),
                })
            })
            .collect()
    }

    /// The blocks of the role at `index`, compiled the first time an assignment names it.
    fn role(&mut self, index: usize, role: &RoleDefinition) -> Result<Arc<[Block]>, InputError> {
        if let Some(blocks) = self.roles.get(&index) {
            return Ok(Arc::clone(blocks));
        }
        let path = format!("role {}", role.role_name);
        let blocks: Arc<[Block]> = self.blocks(&role.permissions, &path)?.into();
        self.roles.insert(index, Arc::clone(&blocks));
        Ok(blocks)
    }
}

fn index32(index: usize, path: impl FnOnce() -> String) -> Result<u32, InputError> {
    u32::try_from(index).map_err(|_| InputError::new(&path(), InputProblem::TooMany))
}

/// The GUID of a role given so far (the last of a name wins, as in the world) or of a built-in
/// role, by name (ignoring case) or GUID.
fn role_id(roles: &[(String, RoleDefinition)], name_or_guid: &str) -> Option<Uuid> {
    let text = name_or_guid.trim();
    if let Ok(guid) = crate::id::role_definition_guid(text) {
        return Some(guid);
    }
    let given = roles.iter().rev().map(|(_, role)| role);
    given
        .filter(|role| role.role_name.eq_ignore_ascii_case(text))
        .find_map(|role| role.id)
        .or_else(|| find_builtin_role(text).and_then(|role| role.id))
}
