//! `azapi_resource` role assignments and custom roles: bodies written as HCL objects or as
//! `jsonencode({...})` of one (azapi 1.x takes a JSON string), their `properties` written in
//! place or held elsewhere (a local, `merge()`), each field read where it is written.

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::Body;

use super::super::place::{Facts, Found, PrincipalTypes};
use super::super::value::{Map, Member, Shape, force};
use super::Reader;
use super::value::Node;

impl<'b> Reader<'_, 'b, '_> {
    /// `azapi_resource` with `type = "Microsoft.Authorization/roleAssignments@…"` (or
    /// `roleDefinitions`) and a body (`body = { properties = { condition = … } }`, or
    /// `jsonencode()` of one).
    pub(super) fn azapi(&self, body: &'b Body, address: &str, found: &mut Vec<(usize, Found)>) {
        let kind = body
            .get_attribute("type")
            .map(|a| self.evaluate(&a.value, 0).text)
            .unwrap_or_default()
            .to_ascii_lowercase();
        let definition = kind.starts_with("microsoft.authorization/roledefinitions");
        if !kind.starts_with("microsoft.authorization/roleassignments") && !definition {
            return;
        }
        let Some(written) = body.get_attribute("body").map(|a| &a.value) else {
            return;
        };
        // `jsonencode(x)`: the JSON of `x`, read as `x`.
        let written = match written {
            Expression::FuncCall(call)
                if call.name.name.as_str() == "jsonencode" && call.args.len() == 1 =>
            {
                call.args.iter().next().unwrap_or(written)
            }
            _ => written,
        };
        let at = written.span().map_or(0, |s| s.start);
        let Shape::Map(object) = self.value_of(written, 0).shape else {
            return;
        };
        let Some(properties) = field_node(&object, "properties") else {
            return;
        };
        let Shape::Map(properties) = self.reading(&properties).value_of(properties.expr, 0).shape
        else {
            return;
        };
        if definition {
            // A custom role's permission blocks, each with its own condition.
            let Some(blocks) = field_node(&properties, "permissions") else {
                return;
            };
            let Shape::List(blocks) = self.reading(&blocks).value_of(blocks.expr, 0).shape else {
                return;
            };
            for (index, block) in blocks.into_iter().enumerate() {
                let Shape::Map(block) = force(self, block, 0).shape else {
                    continue;
                };
                let (Some(condition), Some(key_at)) = (
                    field_node(&block, "condition"),
                    block.field::<Self>("condition").map(|f| f.key_at),
                ) else {
                    continue;
                };
                let facts = Facts {
                    version: field_node(&block, "conditionVersion")
                        .and_then(|n| self.reading(&n).version(Some(n.expr)))
                        .flatten(),
                    ..Facts::default()
                };
                let reader = self.reading(&condition);
                let address = format!("{address}.body.properties.permissions[{index}]");
                reader.push_value(
                    condition.expr,
                    key_at,
                    address,
                    Some(facts),
                    reader.text(),
                    found,
                );
            }
            return;
        }
        let (Some(condition), Some(key_at)) = (
            field_node(&properties, "condition"),
            properties.field::<Self>("condition").map(|f| f.key_at),
        ) else {
            // A map a deployment adds to may hold the condition.
            if let Some(open) = properties.open.first() {
                self.push_unknown(address.to_owned(), open.what.clone(), at, found);
            }
            return;
        };
        let principal_type = field_node(&properties, "principalType");
        let role = field_node(&properties, "roleDefinitionId");
        let facts = Facts {
            assignment: true,
            principal_type: principal_type.is_some(),
            principal_type_value: principal_type
                .as_ref()
                .and_then(|n| self.reading(n).literal(n.expr)),
            principal_types: PrincipalTypes::Azure,
            version: field_node(&properties, "conditionVersion")
                .and_then(|n| self.reading(&n).version(Some(n.expr)))
                .flatten(),
            version_required: false,
            role: role.as_ref().map(|n| self.reading(n).role_text(n.expr)),
            defined_role: role
                .as_ref()
                .and_then(|n| self.reading(n).defined_role(n.expr)),
            principal_type_fix: "add `principalType` to the body's `properties`",
        };
        let reader = self.reading(&condition);
        reader.push_value(
            condition.expr,
            key_at,
            address.to_owned(),
            Some(facts),
            reader.text(),
            found,
        );
    }
}

/// The node a map's field `name` is written as, where it is written whole.
pub(super) fn field_node<'b>(map: &Map<Node<'b>>, name: &str) -> Option<Node<'b>> {
    match &map.field::<Reader<'_, 'b, '_>>(name)?.value {
        Member::Node(node) => Some(node.clone()),
        Member::Value(value) => value.node.clone(),
    }
}
