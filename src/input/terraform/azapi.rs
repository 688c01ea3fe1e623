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
        // A PIM request takes no principal type of its own and needs `conditionVersion`.
        let request = kind.starts_with("microsoft.authorization/roleeligibilityschedulerequests@")
            || kind.starts_with("microsoft.authorization/roleassignmentschedulerequests@");
        if !kind.starts_with("microsoft.authorization/roleassignments@") && !definition && !request
        {
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
        // A body, or properties, that is no object known here (a variable without a default,
        // a JSON string, `jsondecode()`): not checkable, never passed over.
        let unknown = |what: String, found: &mut Vec<(usize, Found)>| {
            self.push_unknown(address.to_owned(), what, at, found);
        };
        let object = match self.value_of(written, 0).shape {
            Shape::Map(object) => object,
            Shape::Null => return,
            _ => return unknown(self.source(written), found),
        };
        let Some(properties) = field_ci(&object, "properties") else {
            if let Some(open) = object.open.first() {
                unknown(open.what.clone(), found);
            }
            return;
        };
        let properties = match self.reading(&properties).value_of(properties.expr, 0).shape {
            Shape::Map(properties) => properties,
            Shape::Null => return,
            _ => return unknown(self.reading(&properties).source(properties.expr), found),
        };
        if definition {
            // A custom role's permission blocks, each with its own condition.
            let Some(blocks) = field_ci(&properties, "permissions") else {
                return;
            };
            let blocks = match self.reading(&blocks).value_of(blocks.expr, 0).shape {
                Shape::List(blocks) => blocks,
                Shape::Null => return,
                _ => return unknown(self.reading(&blocks).source(blocks.expr), found),
            };
            for (index, block) in blocks.into_iter().enumerate() {
                let Shape::Map(block) = force(self, block, 0).shape else {
                    continue;
                };
                let (Some(condition), Some(key_at)) = (
                    field_ci(&block, "condition"),
                    key_at_ci(&block, "condition"),
                ) else {
                    continue;
                };
                let facts = Facts {
                    version: field_ci(&block, "conditionVersion")
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
            field_ci(&properties, "condition"),
            key_at_ci(&properties, "condition"),
        ) else {
            // A map a deployment adds to may hold the condition.
            if let Some(open) = properties.open.first() {
                self.push_unknown(address.to_owned(), open.what.clone(), at, found);
            }
            return;
        };
        let principal_type = field_ci(&properties, "principalType");
        let role = field_ci(&properties, "roleDefinitionId");
        let version = field_ci(&properties, "conditionVersion")
            .and_then(|n| self.reading(&n).version(Some(n.expr)));
        let facts = Facts {
            assignment: true,
            principal_type: request || principal_type.is_some(),
            principal_type_value: principal_type
                .as_ref()
                .and_then(|n| self.reading(n).literal(n.expr)),
            principal_types: PrincipalTypes::Azure,
            // A version only a deployment knows is not a missing one.
            version_required: request && version.is_none(),
            version: version.flatten(),
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

/// The node an azapi body's field `name` is written as, its key compared ignoring case as
/// Azure compares property names.
fn field_ci<'b>(map: &Map<Node<'b>>, name: &str) -> Option<Node<'b>> {
    let field = map
        .fields
        .iter()
        .rev()
        .find(|f| f.key.eq_ignore_ascii_case(name))?;
    match &field.value {
        Member::Node(node) => Some(node.clone()),
        Member::Value(value) => value.node.clone(),
    }
}

/// Where an azapi body's field `name` (in any case) has its key.
fn key_at_ci(map: &Map<Node<'_>>, name: &str) -> Option<usize> {
    let field = map
        .fields
        .iter()
        .rev()
        .find(|f| f.key.eq_ignore_ascii_case(name))?;
    Some(field.key_at)
}

/// The node a map's field `name` is written as, where it is written whole.
pub(super) fn field_node<'b>(map: &Map<Node<'b>>, name: &str) -> Option<Node<'b>> {
    match &map.field::<Reader<'_, 'b, '_>>(name)?.value {
        Member::Node(node) => Some(node.clone()),
        Member::Value(value) => value.node.clone(),
    }
}
