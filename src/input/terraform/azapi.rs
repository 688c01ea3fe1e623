//! `azapi_resource` role assignments and custom roles written as HCL object bodies.

use hcl_edit::expr::Expression;
use hcl_edit::structure::Body;

use super::super::place::{Facts, Found, PrincipalTypes};
use super::{Reader, field, field_with_key};

impl Reader<'_, '_, '_> {
    /// `azapi_resource` with `type = "Microsoft.Authorization/roleAssignments@…"` and an HCL
    /// object body (`body = { properties = { condition = … } }`).
    pub(super) fn azapi(
        &self,
        body: &Body,
        address: &str,
        text: &str,
        found: &mut Vec<(usize, Found)>,
    ) {
        let kind = body
            .get_attribute("type")
            .map(|a| self.evaluate(&a.value, 0).text)
            .unwrap_or_default()
            .to_ascii_lowercase();
        let definition = kind.starts_with("microsoft.authorization/roledefinitions");
        if !kind.starts_with("microsoft.authorization/roleassignments") && !definition {
            return;
        }
        let Some(Expression::Object(object)) = body.get_attribute("body").map(|a| &a.value) else {
            return;
        };
        let Some(Expression::Object(properties)) = field(object, "properties") else {
            return;
        };
        if definition {
            // A custom role's permission blocks, each with its own condition.
            let Some(Expression::Array(blocks)) = field(properties, "permissions") else {
                return;
            };
            for (index, block) in blocks.iter().enumerate() {
                let Expression::Object(block) = block else {
                    continue;
                };
                let Some((key_span, condition)) = field_with_key(block, "condition") else {
                    continue;
                };
                let facts = Facts {
                    version: self.version(field(block, "conditionVersion")).flatten(),
                    ..Facts::default()
                };
                self.push_value(
                    condition,
                    key_span,
                    format!("{address}.body.properties.permissions[{index}]"),
                    Some(facts),
                    text,
                    found,
                );
            }
            return;
        }
        let Some((key_span, condition)) = field_with_key(properties, "condition") else {
            return;
        };
        let facts = Facts {
            assignment: true,
            principal_type: field(properties, "principalType").is_some(),
            principal_type_value: field(properties, "principalType").and_then(|v| self.literal(v)),
            principal_types: PrincipalTypes::Azure,
            version: self
                .version(field(properties, "conditionVersion"))
                .flatten(),
            version_required: false,
            role: field(properties, "roleDefinitionId").map(|v| self.role_text(v)),
            defined_role: field(properties, "roleDefinitionId").and_then(|v| self.defined_role(v)),
            principal_type_fix: "add `principalType` to the body's `properties`",
        };
        self.push_value(
            condition,
            key_span,
            address.to_owned(),
            Some(facts),
            text,
            found,
        );
    }
}
