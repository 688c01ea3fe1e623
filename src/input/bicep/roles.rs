//! Custom roles a Bicep file defines (`Microsoft.Authorization/roleDefinitions` resources),
//! read where their permissions are written literally, so that an assignment of one
//! (`roleDefinitionId: customRole.id`) is checked against it as an assignment of a built-in
//! role is.

use serde_json::{Map, Value};

use super::syntax::{Element, Expr, Kind, Property};
use super::{Scope, get, properties};
use crate::catalog::RoleDefinition;

use crate::limits::BICEP_MAX_ROLE_DEPTH as MAX_DEPTH;

impl Scope<'_> {
    /// The custom role `expr` names (`symbol.id`, `symbol.name`), when the file declares it
    /// with its permissions written literally.
    pub(super) fn defined_role(&self, expr: &Expr) -> Option<RoleDefinition> {
        let Kind::Member { target, name, .. } = &expr.kind else {
            return None;
        };
        let Kind::Name(symbol) = &target.kind else {
            return None;
        };
        if name != "id" && name != "name" {
            return None;
        }
        let (_, role) = self.custom_roles.iter().find(|(s, _)| s == symbol)?;
        let fields = properties(role)?;
        let mut role = Map::new();
        for key in ["roleName", "description", "permissions"] {
            if let Some(value) = get(fields, key) {
                role.insert(key.to_owned(), self.json(value, 0)?);
            }
        }
        RoleDefinition::from_value(Value::Object(role)).ok()
    }

    /// `expr` as JSON, where every string in it resolves from literals.
    fn json(&self, expr: &Expr, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        match &expr.kind {
            // A `var` holding a list or an object, such as the role's actions.
            Kind::Name(name) if self.vars.contains_key(name) => {
                self.json(self.vars.get(name)?, depth + 1)
            }
            Kind::Array(elements) => elements
                .iter()
                .map(|element| match element {
                    Element::Value(value) => self.json(value, depth + 1),
                    Element::Spread(_) => None,
                })
                .collect::<Option<Vec<_>>>()
                .map(Value::Array),
            Kind::Object(properties) => properties
                .iter()
                .filter(|property| !matches!(property, Property::Resource(_)))
                .map(|property| match property {
                    Property::Value { key, value, .. } => {
                        Some((key.clone(), self.json(value, depth + 1)?))
                    }
                    _ => None,
                })
                .collect::<Option<Map<_, _>>>()
                .map(Value::Object),
            Kind::For(_) => None,
            _ => {
                let value = self.string(expr, 0, 0);
                value
                    .unresolved
                    .is_empty()
                    .then_some(Value::String(value.text))
            }
        }
    }
}
