//! Module calls whose `role_assignments` map carries conditions (Azure Verified Modules,
//! landing-zone vending): written in place, held in a local, a variable's default or
//! `each.value`, built by `merge()` or a `for` expression; one condition per entry, reported
//! where the entry is written.

use hcl_edit::expr::Expression;
use hcl_edit::structure::Block;

use super::super::value::{Shape, force};
use super::value::Node;
use super::{Facts, Found, PrincipalTypes, Reader, assuming, field, field_with_key};

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
            if let Expression::Object(entry) = &for_expr.value_expr {
                let address = format!("{module}.role_assignments");
                self.role_assignment_entry(entry, address, found);
            }
            return;
        }
        // The map, wherever it is written (see `value.rs`): `merge()` of maps gives each key's
        // last entry, an entry before a map only a deployment knows read on the assumption
        // that it is not replaced.
        let map = self.value_of(value, 0);
        let Shape::Map(entries) = map.shape else {
            return;
        };
        assuming(found, &map.assumed, |found| {
            for field in entries.fields {
                let entry = force(self, field.value, 0);
                let Some(Node {
                    file,
                    expr: Expression::Object(object),
                    bound,
                }) = entry.node
                else {
                    continue;
                };
                let reader = Reader {
                    bound: bound.or_else(|| self.bound.clone()),
                    ..self.at(file)
                };
                let address = format!("{module}.role_assignments[\"{}\"]", field.key);
                let mut assumed = entry.assumed;
                assumed.extend(field.assumed);
                assuming(found, &assumed, |found| {
                    reader.role_assignment_entry(object, address, found);
                });
            }
        });
    }

    /// One entry of a module's `role_assignments` map.
    fn role_assignment_entry(
        &self,
        entry: &hcl_edit::expr::Object,
        address: String,
        found: &mut Vec<(usize, Found)>,
    ) {
        let Some((key_span, condition)) = field_with_key(entry, "condition") else {
            return;
        };
        let skip_check = matches!(
            field(entry, "skip_service_principal_aad_check"),
            Some(Expression::Bool(b)) if *b.value()
        );
        let facts = Facts {
            assignment: true,
            principal_type: field(entry, "principal_type").is_some() || skip_check,
            principal_type_value: field(entry, "principal_type").and_then(|v| self.literal(v)),
            principal_types: PrincipalTypes::Azure,
            version: self.version(field(entry, "condition_version")).flatten(),
            version_required: false,
            role: field(entry, "role_definition_id_or_name")
                .or_else(|| field(entry, "definition"))
                .or_else(|| field(entry, "role_definition_id"))
                .map(|v| self.role_text(v)),
            defined_role: field(entry, "role_definition_id_or_name")
                .or_else(|| field(entry, "definition"))
                .or_else(|| field(entry, "role_definition_id"))
                .and_then(|v| self.defined_role(v)),
            principal_type_fix: "add `principal_type` to the role assignment entry",
        };
        self.push_value(
            condition,
            key_span,
            address,
            Some(facts),
            self.text(),
            found,
        );
    }
}
