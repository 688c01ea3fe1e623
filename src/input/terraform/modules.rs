//! Module calls whose `role_assignments` map carries conditions (Azure Verified Modules,
//! landing-zone vending): written in place, held in a local, a variable's default or
//! `each.value`, or built by a `for` expression; one condition per entry.

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::Block;

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
        let (reader, map, assumed) = match value {
            Expression::Object(map) => (self.at(self.file), map, None),
            // `{ for k, v in x : k => {…} }`: an entry per element where the elements are
            // known (see `for_elements`), else its entry read once, what it takes from the loop
            // known only at deployment (never skipped).
            Expression::ForExpr(for_expr) => {
                return self.role_assignments_for(for_expr, module, found);
            }
            // `merge(local.a, {…})`: the maps' entries, a later map's key replacing an
            // earlier one's, as Terraform merges them.
            Expression::FuncCall(call) if call.name.name.as_str() == "merge" => {
                return self.merged_role_assignments(call, module, found);
            }
            _ => match self.resolve(value, 0) {
                Some((file, Expression::Object(map), assumed)) => (self.at(file), map, assumed),
                _ => return,
            },
        };
        // Entries written in a local or a variable's default are reported where written.
        assuming(found, assumed.as_ref(), |found| {
            reader.role_assignment_entries(map, module, found);
        });
    }

    /// A module's `role_assignments` built by `merge()` of maps written literally (in place,
    /// locals, variables' defaults: assumptions). A map (or key) only a deployment knows may
    /// replace an entry of the maps before it: such an entry is still checked, as the text the
    /// module writes, with that it is not replaced listed among its assumptions.
    fn merged_role_assignments(
        &self,
        call: &'b hcl_edit::expr::FuncCall,
        module: &str,
        found: &mut Vec<(usize, Found)>,
    ) {
        let source = |file: usize, e: &Expression| {
            let reader = self.at(file);
            e.span()
                .and_then(|span| reader.text().get(span))
                .unwrap_or("?")
                .to_owned()
        };
        // What only a deployment knows, in order; each entry (one per key, the last map's)
        // with how many of them came before it.
        let mut unknowns: Vec<String> = Vec::new();
        let mut entries: Vec<(String, usize, &'b Expression, Option<String>, usize)> = Vec::new();
        for argument in call.args.iter() {
            let (file, map, assumed) = match argument {
                Expression::Object(map) => (self.file, map, None),
                _ => match self.resolve(argument, 0) {
                    Some((file, Expression::Object(map), assumed)) => (file, map, assumed),
                    _ => {
                        unknowns.push(source(self.file, argument));
                        continue;
                    }
                },
            };
            for (key, value) in map.iter() {
                let key = match key {
                    ObjectKey::Ident(ident) => ident.as_str().to_owned(),
                    ObjectKey::Expression(expression) => {
                        let key = self.at(file).evaluate(expression, 0);
                        if !key.unresolved.is_empty() {
                            unknowns.push(source(file, expression));
                            continue;
                        }
                        key.text
                    }
                };
                let entry = (key, file, value.expr(), assumed.clone(), unknowns.len());
                match entries.iter_mut().find(|(k, ..)| *k == entry.0) {
                    Some(earlier) => *earlier = entry,
                    None => entries.push(entry),
                }
            }
        }
        for (key, file, value, assumed, known_before) in entries {
            let before = found.len();
            self.keyed_entry(module, &key, (file, value, assumed), found);
            let replacers = unknowns.get(known_before..).unwrap_or_default();
            for (_, found) in found.get_mut(before..).into_iter().flatten() {
                found.place.assumed.extend(
                    replacers
                        .iter()
                        .map(|unknown| format!("{unknown} does not replace `{key}`")),
                );
            }
        }
    }

    /// A module's `role_assignments` built by a `for` expression: one entry per element,
    /// its variables bound, where the elements are known; else the entry read once.
    fn role_assignments_for(
        &self,
        for_expr: &'b hcl_edit::expr::ForExpr,
        module: &str,
        found: &mut Vec<(usize, Found)>,
    ) {
        let value_var = for_expr.intro.value_var.as_str();
        let Some((elements, assumed)) = self.for_elements(for_expr, 0) else {
            if let Expression::Object(entry) = &for_expr.value_expr {
                let address = format!("{module}.role_assignments");
                self.role_assignment_entry(entry, address, found);
            }
            return;
        };
        for element in elements {
            let address = format!("{module}.role_assignments[\"{}\"]", element.key);
            // The entry: written in the expression, or the element itself.
            let (file, entry) = match &for_expr.value_expr {
                Expression::Object(entry) => (self.file, entry),
                Expression::Variable(name) if name.as_str() == value_var => {
                    match element.bound.element {
                        (file, Expression::Object(entry)) => (file, entry),
                        _ => continue,
                    }
                }
                _ => continue,
            };
            let reader = Reader {
                bound: Some(element.bound),
                ..self.at(file)
            };
            assuming(found, assumed.as_ref(), |found| {
                reader.role_assignment_entry(entry, address, found);
            });
        }
    }

    fn role_assignment_entries(
        &self,
        map: &'b hcl_edit::expr::Object,
        module: &str,
        found: &mut Vec<(usize, Found)>,
    ) {
        for (key, value) in map.iter() {
            let key = match key {
                ObjectKey::Ident(ident) => ident.as_str().to_owned(),
                ObjectKey::Expression(expression) => self.evaluate(expression, 0).text,
            };
            self.keyed_entry(module, &key, (self.file, value.expr(), None), found);
        }
    }

    /// The entry `key` of a module's `role_assignments`: `value` (written in file `file`, a
    /// variable's default it came from in the third field) is the entry, or a reference to one
    /// (`reader = local.reader`), which is reported where it is written.
    fn keyed_entry(
        &self,
        module: &str,
        key: &str,
        value: (usize, &'b Expression, Option<String>),
        found: &mut Vec<(usize, Found)>,
    ) {
        let Some((file, Expression::Object(entry), assumed)) = self.at(value.0).follow(value, 0)
        else {
            return;
        };
        let reader = self.at(file);
        let address = format!("{module}.role_assignments[\"{key}\"]");
        assuming(found, assumed.as_ref(), |found| {
            reader.role_assignment_entry(entry, address, found);
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
