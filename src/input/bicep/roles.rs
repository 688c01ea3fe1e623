//! Custom roles a Bicep file defines (`Microsoft.Authorization/roleDefinitions` resources),
//! read where their permissions are written literally, so that an assignment of one
//! (`roleDefinitionId: customRole.id`) is checked against it as an assignment of a built-in
//! role is.

use serde_json::{Map, Value};

use super::{Node, Scope, get};
use crate::catalog::RoleDefinition;

use crate::limits::BICEP_MAX_ROLE_DEPTH as MAX_DEPTH;

impl Scope<'_> {
    /// The custom role `node` names (`symbol.id`, `symbol.name`), when the file declares it
    /// with its permissions written literally.
    pub(super) fn defined_role(&self, node: &Node) -> Option<RoleDefinition> {
        let Node::Other(source, _) = node else {
            return None;
        };
        let source = source.trim();
        let symbol = source
            .strip_suffix(".id")
            .or_else(|| source.strip_suffix(".name"))?;
        let (_, properties) = self.custom_roles.iter().find(|(s, _)| *s == symbol)?;
        let Node::Object(fields) = properties else {
            return None;
        };
        let mut role = Map::new();
        for key in ["roleName", "description", "permissions"] {
            if let Some(node) = get(fields, key) {
                role.insert(key.to_owned(), self.json(node, 0)?);
            }
        }
        RoleDefinition::from_value(Value::Object(role)).ok()
    }

    /// `node` as JSON, where every string in it resolves from literals.
    fn json(&self, node: &Node, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        match node {
            // A `var` holding a list or an object, such as the role's actions.
            Node::Other(source, _) if self.vars.contains_key(source.trim()) => {
                self.json(self.vars.get(source.trim())?, depth + 1)
            }
            Node::String(_) | Node::Other(..) => {
                let value = self.string(node, 0, 0);
                value
                    .unresolved
                    .is_empty()
                    .then_some(Value::String(value.text))
            }
            Node::Array(items) => items
                .iter()
                .map(|item| self.json(item, depth + 1))
                .collect::<Option<Vec<_>>>()
                .map(Value::Array),
            Node::Object(fields) => fields
                .iter()
                .map(|(key, _, value)| Some((key.clone(), self.json(value, depth + 1)?)))
                .collect::<Option<Map<_, _>>>()
                .map(Value::Object),
            Node::For(_) => None,
        }
    }
}
