//! Local module calls (`module "reader" { source = "./modules/ra" condition = "…" }`): a role
//! assignment of the child module whose `condition` is one of its variables (or a choice
//! between it and `null`) is checked at the argument the call passes, in the calling file, per
//! instance of the call (once for the child's own `count` or `for_each` instances, which share
//! it), against what the child's resource says around it (its principal
//! type, version and role, each read through the call's arguments or the child's defaults).
//! The child's own result for that resource is then not reported a second time
//! (`read/mod.rs`, from [`Module::reached`](super::Module)).

use std::collections::HashMap;

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::structure::{Block, Body};

use super::super::place::Reached;
use super::{Facts, Found, PrincipalTypes, Reader};

impl<'b> Reader<'_, 'b, '_> {
    /// The role assignments of the local module `block` calls whose condition the call gives:
    /// one result each, at the argument, named `module.reader.azurerm_role_assignment.this`.
    pub(super) fn local_module(
        &self,
        block: &'b Block,
        module: &str,
        found: &mut Vec<(usize, Found)>,
    ) {
        let Some(source) = block
            .body
            .get_attribute("source")
            .and_then(|a| self.literal(&a.value))
        else {
            return;
        };
        if !(source.starts_with("./") || source.starts_with("../")) {
            return;
        }
        let at = block.span().map_or(0, |s| s.start);
        // The child is read and parsed once per module, its text charged to the file's budget
        // once, as a template's is.
        let cached = self.calls.read.borrow().get(&source).cloned();
        let bodies = match cached {
            Some(bodies) => bodies,
            None => {
                let texts = (self.calls.children)(&source);
                let spent = texts.iter().map(String::len).sum::<usize>() / 16;
                let bodies: Vec<Body> = if self.meter.spend(spent, at) {
                    texts
                        .iter()
                        .filter_map(|text| hcl_edit::parser::parse_body(text).ok())
                        .collect()
                } else {
                    Vec::new()
                };
                let bodies = std::rc::Rc::new(bodies);
                self.calls
                    .read
                    .borrow_mut()
                    .insert(source.clone(), std::rc::Rc::clone(&bodies));
                bodies
            }
        };
        let mut defaults: HashMap<&str, Option<&Expression>> = HashMap::new();
        for body in bodies.iter() {
            for variable in body.get_blocks("variable") {
                if let Some(name) = variable.labels.first() {
                    let default = variable.body.get_attribute("default").map(|a| &a.value);
                    defaults.insert(name.as_str(), default);
                }
            }
        }
        for body in bodies.iter() {
            for resource in body.get_blocks("resource") {
                let [kind, name] = resource.labels.as_slice() else {
                    continue;
                };
                let kind = kind.as_str();
                let pim = kind.starts_with("azurerm_pim_");
                // A child's own `count` or `for_each` (`count = var.enabled ? 1 : 0`): its
                // instances share the condition the call gives, reported once.
                if !(kind == "azurerm_role_assignment" || pim) {
                    continue;
                }
                let attribute = |key: &str| resource.body.get_attribute(key).map(|a| &a.value);
                let Some(variable) = attribute("condition").and_then(variable_of) else {
                    continue;
                };
                if !defaults.contains_key(variable) {
                    continue;
                }
                let reach = |given| {
                    self.calls.reached.borrow_mut().push(Reached {
                        module: source.clone(),
                        resource: format!("{kind}.{}", name.as_str()),
                        given,
                    });
                };
                let Some(argument) = block.body.get_attribute(variable) else {
                    // This call leaves the child's own condition (its default) in place.
                    reach(false);
                    continue;
                };
                // A fact: a string written in the child, or the argument the call gives its
                // variable (else the variable's default); `Some(None)` where it is there but
                // not known here.
                let fact = |key: &str| -> Option<Option<String>> {
                    let expr = attribute(key)?;
                    if matches!(expr, Expression::Null(_)) {
                        return None;
                    }
                    Some(match variable_of(expr) {
                        Some(name) => match block.body.get_attribute(name) {
                            Some(given) if self.is_null(&given.value) => return None,
                            Some(given) => self.literal(&given.value),
                            None => match defaults.get(name).copied().flatten() {
                                Some(Expression::String(s)) => Some(s.value().to_string()),
                                Some(Expression::Null(_)) | None => return None,
                                Some(_) => None,
                            },
                        },
                        None => match expr {
                            Expression::String(s) => Some(s.value().to_string()),
                            _ => None,
                        },
                    })
                };
                let principal_type = fact("principal_type");
                let version = fact("condition_version");
                let role = fact("role_definition_id")
                    .or_else(|| fact("role_definition_name"))
                    .flatten();
                let facts = Facts {
                    assignment: true,
                    principal_type: pim || principal_type.is_some(),
                    principal_type_value: principal_type.flatten(),
                    principal_types: if pim {
                        PrincipalTypes::Azure
                    } else {
                        PrincipalTypes::AzurermProvider
                    },
                    version: version.clone().flatten(),
                    version_required: pim && version.is_none(),
                    role,
                    defined_role: None,
                    principal_type_fix: "add `principal_type` to the module's role assignment, \
                                         or pass it",
                };
                let key_at = argument.key.span().map_or(at, |s| s.start);
                let address = format!("{module}.{kind}.{}", name.as_str());
                let before = found.len();
                self.push_value(
                    &argument.value,
                    key_at,
                    address,
                    Some(facts),
                    self.text(),
                    found,
                );
                reach(found.len() > before);
            }
        }
    }
}

/// The variable a child's attribute is: `var.x`, or a choice between it and `null`
/// (`var.x == "" ? null : var.x`).
fn variable_of(expr: &Expression) -> Option<&str> {
    match expr {
        Expression::Traversal(traversal) => {
            let Expression::Variable(root) = &traversal.expr else {
                return None;
            };
            match (root.as_str(), traversal.operators.as_slice()) {
                ("var", [name]) => match name.value() {
                    TraversalOperator::GetAttr(name) => Some(name.as_str()),
                    _ => None,
                },
                _ => None,
            }
        }
        Expression::Parenthesis(inner) => variable_of(inner.inner()),
        Expression::Conditional(conditional) => {
            match (&conditional.true_expr, &conditional.false_expr) {
                (Expression::Null(_), other) | (other, Expression::Null(_)) => variable_of(other),
                _ => None,
            }
        }
        _ => None,
    }
}
