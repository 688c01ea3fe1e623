//! Custom roles a module defines (`azurerm_role_definition`), read where their permissions are
//! written literally, so that an assignment of one is checked against it (the role-aware
//! checks, AZ0311–AZ0313 and AZ0318) as an assignment of a built-in role is.

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::structure::Block;
use serde_json::{Map, Value, json};

use super::{MAX_REFERENCE_DEPTH, Reader};
use crate::catalog::RoleDefinition;

/// The attributes of `azurerm_role_definition` that name the role where an assignment takes
/// it: its name, its GUID and its resource id.
const NAMING: [&str; 4] = [
    "name",
    "role_definition_id",
    "id",
    "role_definition_resource_id",
];

/// The permission lists of a `permissions` block, and their names in a role definition.
const LISTS: [(&str, &str); 4] = [
    ("actions", "actions"),
    ("not_actions", "notActions"),
    ("data_actions", "dataActions"),
    ("not_data_actions", "notDataActions"),
];

impl Reader<'_, '_, '_> {
    /// The custom role `expression` names (`azurerm_role_definition.x.name`,
    /// `.role_definition_id`, `.role_definition_resource_id`) when the module defines it once
    /// (no `for_each` or `count`) with every permission written literally.
    pub(super) fn defined_role(&self, expression: &Expression) -> Option<RoleDefinition> {
        let Expression::Traversal(traversal) = expression else {
            return None;
        };
        let Expression::Variable(root) = &traversal.expr else {
            return None;
        };
        let [symbol, attribute] = traversal.operators.as_slice() else {
            return None;
        };
        let (TraversalOperator::GetAttr(symbol), TraversalOperator::GetAttr(attribute)) =
            (symbol.value(), attribute.value())
        else {
            return None;
        };
        if root.as_str() != "azurerm_role_definition" || !NAMING.contains(&attribute.as_str()) {
            return None;
        }
        let &(file, block) = self.scope.role_definitions.get(symbol.as_str())?;
        self.at(file).role_definition(block, symbol.as_str())
    }

    /// The role `data.azurerm_role_definition.x.<attribute>` names, when the data source
    /// (read once, no `for_each` or `count`) looks it up by a literal `role_definition_id` or
    /// `name`: the GUID or name, for the built-in roles and the roles of the files given.
    pub(super) fn looked_up_role(&self, expression: &Expression) -> Option<String> {
        let Expression::Traversal(traversal) = expression else {
            return None;
        };
        let Expression::Variable(root) = &traversal.expr else {
            return None;
        };
        let [kind, symbol, attribute] = traversal.operators.as_slice() else {
            return None;
        };
        let (
            TraversalOperator::GetAttr(kind),
            TraversalOperator::GetAttr(symbol),
            TraversalOperator::GetAttr(attribute),
        ) = (kind.value(), symbol.value(), attribute.value())
        else {
            return None;
        };
        if root.as_str() != "data"
            || kind.as_str() != "azurerm_role_definition"
            || !NAMING.contains(&attribute.as_str())
        {
            return None;
        }
        let &(file, block) = self.scope.role_lookups.get(symbol.as_str())?;
        let body = &block.body;
        if body.get_attribute("for_each").is_some() || body.get_attribute("count").is_some() {
            return None;
        }
        let reader = self.at(file);
        ["role_definition_id", "name"].iter().find_map(|key| {
            body.get_attribute(key)
                .and_then(|a| reader.literal(&a.value))
        })
    }

    fn role_definition(&self, block: &Block, symbol: &str) -> Option<RoleDefinition> {
        let body = &block.body;
        if body.get_attribute("for_each").is_some() || body.get_attribute("count").is_some() {
            return None;
        }
        let name = body
            .get_attribute("name")
            .and_then(|a| self.literal(&a.value))
            .unwrap_or_else(|| format!("azurerm_role_definition.{symbol}"));
        let mut permissions = Vec::new();
        for permission in body.get_blocks("permissions") {
            let mut lists = Map::new();
            for (hcl, key) in LISTS {
                let items = match permission.body.get_attribute(hcl) {
                    Some(attribute) => self.strings(&attribute.value, 0)?,
                    None => Vec::new(),
                };
                lists.insert(key.to_owned(), json!(items));
            }
            permissions.push(Value::Object(lists));
        }
        let mut role = Map::new();
        role.insert("roleName".to_owned(), json!(name));
        role.insert("permissions".to_owned(), Value::Array(permissions));
        // The az shape's `name` is the GUID, when the module sets one.
        if let Some(id) = body
            .get_attribute("role_definition_id")
            .and_then(|a| self.literal(&a.value))
        {
            role.insert("name".to_owned(), json!(id));
        }
        RoleDefinition::from_value(Value::Object(role)).ok()
    }

    /// A list of strings written literally, in place or in a local (or a variable's default),
    /// or `concat()` of such lists.
    fn strings(&self, expression: &Expression, depth: usize) -> Option<Vec<String>> {
        if let Expression::FuncCall(call) = expression
            && depth < MAX_REFERENCE_DEPTH
            && call.name.name.as_str() == "concat"
            && call.name.namespace.is_empty()
        {
            let mut all = Vec::new();
            for list in call.args.iter() {
                all.extend(self.strings(list, depth + 1)?);
            }
            return Some(all);
        }
        let (items, _) = self.list(expression, depth)?;
        items
            .into_iter()
            .map(|item| item.unresolved.is_empty().then_some(item.text))
            .collect::<Option<Vec<String>>>()
    }
}

/// Whether a traversal is a role definition's resource id by its shape:
/// `azurerm_role_definition.x.id`, `azurerm_role_definition.x.role_definition_resource_id`,
/// `data.azurerm_role_definition.x.id` (whereas `.role_definition_id` is the GUID).
pub(super) fn is_role_definition_id(traversal: &hcl_edit::expr::Traversal) -> bool {
    let Expression::Variable(root) = &traversal.expr else {
        return false;
    };
    let names: Vec<&str> = traversal
        .operators
        .iter()
        .map(|o| match o.value() {
            TraversalOperator::GetAttr(name) => name.as_str(),
            _ => "",
        })
        .collect();
    matches!(
        (root.as_str(), names.as_slice()),
        (
            "azurerm_role_definition",
            [_, "id" | "role_definition_resource_id"]
        ) | (
            "data",
            [
                "azurerm_role_definition",
                _,
                "id" | "role_definition_resource_id"
            ]
        )
    )
}

impl<'b> Reader<'_, 'b, '_> {
    /// The role an attribute names, as text: its value when literal, the role a
    /// `data "azurerm_role_definition"` looks up by a literal name or GUID, else its source.
    pub(super) fn role_text(&self, expression: &Expression) -> String {
        if let Some(role) = self.looked_up_role(expression) {
            return role;
        }
        let value = self.evaluate(expression, 0);
        if value.unresolved.is_empty() {
            value.text
        } else {
            expression
                .span()
                .and_then(|s| self.text().get(s))
                .unwrap_or("")
                .to_owned()
        }
    }
}
