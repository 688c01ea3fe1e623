//! Module calls whose `role_assignments` map carries conditions (Azure Verified Modules,
//! landing-zone vending): written in place, held in a local, a variable's default or
//! `each.value`, built by `merge()` or a `for` expression; one condition per entry, reported
//! where the entry is written.

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::Block;

use super::super::place::Host;
use super::super::value::{Map, Member, Shape, force};
use super::azapi::field_node;
use super::value::Node;
use super::value::Value;
use super::{Facts, Found, PrincipalTypes, Reader, assuming};

impl<'b> Reader<'_, 'b, '_> {
    /// A module call with a `role_assignments` map (AVM, landing-zone vending): written in
    /// place, or a local, variable default or `each.value` member that is one; per instance
    /// of the call's `for_each`.
    pub(super) fn module_call(&self, block: &'b Block, found: &mut Vec<(usize, Found)>) {
        let Some(name) = block.labels.first() else {
            return;
        };
        let address = format!("module.{}", name.as_str());
        self.each_instance(block, address, found, |reader, address, found| {
            reader.module_instance(block, &address, found);
            reader.local_module(block, &address, found);
        });
    }

    fn module_instance(&self, block: &'b Block, module: &str, found: &mut Vec<(usize, Found)>) {
        let Some(value) = block
            .body
            .get_attribute("role_assignments")
            .map(|a| &a.value)
        else {
            return;
        };
        // `{ for k, v in x : k => {…} }` whose elements are not known: its entry read once,
        // what it takes from the loop known only at deployment (never skipped).
        if let Expression::ForExpr(for_expr) = value
            && self.for_elements(for_expr, 0).is_none()
        {
            let address = format!("{module}.role_assignments");
            let at = for_expr.value_expr.span().map_or(0, |s| s.start);
            match self.value_of(&for_expr.value_expr, 0).shape {
                Shape::Map(entry) => self.role_assignment_entry(&entry, address, at, found),
                Shape::Unknown(unknown) if !unknown.lacking => {
                    self.push_unknown(address, unknown.what, at, found);
                }
                _ => {}
            }
            return;
        }
        // The map, wherever it is written (see `value.rs`): `merge()` of maps gives each key's
        // last entry, an entry before a map only a deployment knows read on the assumption
        // that it is not replaced.
        let at = value.span().map_or(0, |s| s.start);
        let map = self.value_of(value, 0);
        self.role_assignment_map(map, at, &format!("{module}.role_assignments"), found);
    }

    /// The entries of a `role_assignments` map, `map`, written at `at` and addressed `address`:
    /// one result per entry with a condition, and one per map only a deployment knows.
    fn role_assignment_map(
        &self,
        map: Value<'b>,
        at: usize,
        address: &str,
        found: &mut Vec<(usize, Found)>,
    ) {
        let (entries, listed) = match map.shape {
            Shape::Map(entries) => (entries, false),
            // A list of entries (as some modules type it): each by its index.
            Shape::List(items) => {
                let fields = items
                    .into_iter()
                    .enumerate()
                    .map(|(index, item)| super::super::value::Field {
                        key: index.to_string(),
                        key_at: match &item {
                            Member::Node(node) => node.expr.span().map_or(at, |s| s.start),
                            Member::Value(_) => at,
                        },
                        value: item,
                        assumed: Vec::new(),
                    })
                    .collect();
                let entries = Map {
                    fields,
                    open: Vec::new(),
                };
                (entries, true)
            }
            // Entries only a deployment knows: one result, not checkable offline.
            Shape::Unknown(unknown) if !unknown.lacking => {
                return self.push_unknown(address.to_owned(), unknown.what, at, found);
            }
            _ => return,
        };
        assuming(found, &map.assumed, |found| {
            for field in entries.fields {
                let address = if listed {
                    format!("{address}[{}]", field.key)
                } else {
                    format!("{address}[\"{}\"]", field.key)
                };
                let entry_at = field.key_at;
                // The key's offset is in the file its map is written in.
                let keyed = match &field.value {
                    Member::Node(node) => self.reading(node),
                    Member::Value(_) => self.at(self.file),
                };
                let entry = force(self, field.value, 0);
                let mut assumed = entry.assumed;
                assumed.extend(field.assumed);
                match entry.shape {
                    Shape::Map(entry) => assuming(found, &assumed, |found| {
                        keyed.role_assignment_entry(&entry, address, entry_at, found);
                    }),
                    Shape::Unknown(unknown) if !unknown.lacking => {
                        keyed.push_unknown(address, unknown.what, entry_at, found);
                    }
                    _ => {}
                }
            }
            // What a map only a deployment knows adds: one result each, not checkable.
            for open in entries.open.into_iter().filter(|open| !open.lacking) {
                let address = format!("{address}[{}]", open.what);
                self.push_unknown(address, open.what, at, found);
            }
        });
    }

    /// A value of a variable file read alone, `name = value`: every `role_assignments` map in
    /// it (at its top or in the objects it holds, as a root module passes one per resource to
    /// the modules it calls), read as an Azure Verified Module reads it.
    pub(super) fn variable_values(
        &self,
        name: &str,
        value: &'b Expression,
        found: &mut Vec<(usize, Found)>,
    ) {
        let at = value.span().map_or(0, |s| s.start);
        let value = self.value_of(value, 0);
        self.find_role_assignments(name, value, at, name, 0, found);
    }

    /// Whether `value` is a map of role assignment entries by its shape: its first entry an
    /// object with `role_definition_id_or_name` and `principal_id`, as AVM types them.
    fn holds_role_assignments(&self, value: &Value<'b>, depth: usize) -> bool {
        let Shape::Map(map) = &value.shape else {
            return false;
        };
        let Some(first) = map.fields.first() else {
            return false;
        };
        let entry = force(self, first.value.clone(), depth);
        matches!(&entry.shape, Shape::Map(entry)
            if entry.field::<Self>("role_definition_id_or_name").is_some()
                && entry.field::<Self>("principal_id").is_some())
    }

    fn find_role_assignments(
        &self,
        key: &str,
        value: Value<'b>,
        at: usize,
        address: &str,
        depth: usize,
        found: &mut Vec<(usize, Found)>,
    ) {
        if key.ends_with("role_assignments") || self.holds_role_assignments(&value, depth) {
            return self.role_assignment_map(value, at, address, found);
        }
        if depth > super::MAX_REFERENCE_DEPTH {
            return;
        }
        let members: Vec<(String, String, Member<Node<'b>>, usize)> = match value.shape {
            Shape::Map(map) => map
                .fields
                .into_iter()
                .map(|f| {
                    let address = if f.key.ends_with("role_assignments") {
                        format!("{address}.{}", f.key)
                    } else {
                        format!("{address}[\"{}\"]", f.key)
                    };
                    (f.key, address, f.value, f.key_at)
                })
                .collect(),
            Shape::List(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, m)| (String::new(), format!("{address}[{i}]"), m, at))
                .collect(),
            _ => return,
        };
        for (key, address, member, key_at) in members {
            let reader = match &member {
                Member::Node(node) => self.reading(node),
                Member::Value(_) => self.at(self.file),
            };
            let member_at = match &member {
                Member::Node(node) => node.expr.span().map_or(key_at, |s| s.start),
                Member::Value(_) => key_at,
            };
            let value = force(self, member, depth);
            reader.find_role_assignments(&key, value, member_at, &address, depth + 1, found);
        }
    }

    /// A role assignment whose entry only a deployment knows (`x = var.entry`): whether it
    /// holds a condition, and which, depends on `what`; reported at `at`.
    pub(super) fn push_unknown(
        &self,
        address: String,
        what: String,
        at: usize,
        found: &mut Vec<(usize, Found)>,
    ) {
        let result = Found::not_checkable(Host::Terraform, address, (what, at), self.text(), None);
        found.push((self.file, result));
    }

    /// The reader of the file (and `for` variables) a node is written with.
    pub(super) fn reading(&self, node: &Node<'b>) -> Reader<'_, 'b, '_> {
        Reader {
            bound: node.bound.clone().or_else(|| self.bound.clone()),
            ..self.at(node.file)
        }
    }

    /// One entry of a module's `role_assignments` map, written where its fields are (a
    /// `merge()` of a `for` expression's element and an object takes each field from its
    /// own place); `entry_at` is where the entry's key is.
    fn role_assignment_entry(
        &self,
        entry: &Map<Node<'b>>,
        address: String,
        entry_at: usize,
        found: &mut Vec<(usize, Found)>,
    ) {
        let node = |name: &str| field_node(entry, name);
        let Some(condition) = entry.field::<Self>("condition") else {
            // A map a deployment adds to may hold the condition.
            if let Some(open) = entry.open.first() {
                self.push_unknown(address, open.what.clone(), entry_at, found);
            }
            return;
        };
        let Some(condition_node) = node("condition") else {
            return;
        };
        let key_at = condition.key_at;
        let skip_check = node("skip_service_principal_aad_check").is_some_and(|n| {
            matches!(
                self.reading(&n).value_of(n.expr, 0).shape,
                Shape::Bool(true)
            )
        });
        let role = node("role_definition_id_or_name")
            .or_else(|| node("definition"))
            .or_else(|| node("role_definition_id"));
        let principal_type = node("principal_type");
        let facts = Facts {
            assignment: true,
            principal_type: principal_type.is_some() || skip_check,
            principal_type_value: principal_type
                .as_ref()
                .and_then(|n| self.reading(n).literal(n.expr)),
            principal_types: PrincipalTypes::Azure,
            version: node("condition_version")
                .and_then(|n| self.reading(&n).version(Some(n.expr)))
                .flatten(),
            version_required: false,
            role: role.as_ref().map(|n| self.reading(n).role_text(n.expr)),
            defined_role: role
                .as_ref()
                .and_then(|n| self.reading(n).defined_role(n.expr)),
            principal_type_fix: "add `principal_type` to the role assignment entry",
        };
        let reader = self.reading(&condition_node);
        let before = found.len();
        reader.push_value(
            condition_node.expr,
            key_at,
            address,
            Some(facts),
            reader.text(),
            found,
        );
        for (_, found) in found.get_mut(before..).into_iter().flatten() {
            for name in &condition.assumed {
                if !found.place.assumed.contains(name) {
                    found.place.assumed.push(name.clone());
                }
            }
        }
    }
}
