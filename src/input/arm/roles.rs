//! The role a template's role assignment assigns: the GUID its `roleDefinitionId` names, and,
//! when the template defines that role itself (`Microsoft.Authorization/roleDefinitions`, as
//! Bicep compiles a custom role), the role with its permissions, so that the assignment is
//! checked against it (AZ0311–AZ0313, AZ0318) as an assignment of a built-in role is.

use serde_json::{Map, Value};
use uuid::Uuid;

use super::super::meter::Meter;
use super::super::value::{Host, Shape};
use super::eval::Arm;
use super::syntax::{Expr, Kind, parse};
use crate::catalog::RoleDefinition;
use crate::limits::ARM_MAX_DEPTH as MAX_DEPTH;

/// The functions that build a resource id, whose last argument is the resource's name.
const RESOURCE_ID_FUNCTIONS: [&str; 4] = [
    "subscriptionresourceid",
    "resourceid",
    "tenantresourceid",
    "managementgroupresourceid",
];

/// The role a role assignment's `roleDefinitionId` names, as far as the template writes it: a
/// GUID or id written literally or in a variable (a parameter's default too), or the last
/// argument of `subscriptionResourceId('Microsoft.Authorization/roleDefinitions', …)` and its
/// kin, evaluated. `None` when it depends on anything else.
pub fn role_reference(text: &str, template: &Value, meter: &Meter) -> Option<String> {
    role_reference_at(text, template, 0, meter)
}

fn role_reference_at(text: &str, template: &Value, depth: usize, meter: &Meter) -> Option<String> {
    if depth > MAX_DEPTH {
        return None;
    }
    let Some(parsed) = parse(text, meter) else {
        // A plain string: the GUID or id itself.
        return Some(text.to_owned());
    };
    let arm = Arm {
        template,
        copy_index: None,
        input_copy: false,
        meter,
    };
    reference_of(&arm, &parsed.ok()?, text, depth)
}

/// [`role_reference`] of the expression `expr`, written in `source`.
fn reference_of(arm: &Arm<'_>, expr: &Expr, source: &str, depth: usize) -> Option<String> {
    if depth > MAX_DEPTH {
        return None;
    }
    if let Shape::Text(text) = arm.eval(expr, source, 0).shape
        && text.unresolved.is_empty()
    {
        return Some(text.text);
    }
    if let Some(Value::String(held)) = arm.named_by(expr, source) {
        // A variable or parameter whose value is itself an expression.
        return role_reference_at(held, arm.template, depth + 1, arm.meter);
    }
    reference_of(arm, role_name_argument(expr)?, source, depth + 1)
}

/// The custom role a role assignment's `roleDefinitionId` (the text `reference`) names, when
/// the template defines it once, outside any `copy` loop, with every permission written
/// literally (or in variables, or parameters' defaults).
///
/// The definition is the one whose `name` is the GUID the reference resolves to, or, where
/// neither resolves (`guid(subscription().id, 'role')`), whose `name` is written as the
/// reference's last argument is: the pairing Bicep compiles `roleDefinitionId: role.id` into.
pub fn defined_role(reference: &str, template: &Value, meter: &Meter) -> Option<RoleDefinition> {
    let guid = role_reference(reference, template, meter).and_then(|text| guid_at_end(&text));
    let parsed = parse(reference, meter).and_then(Result::ok);
    let written = parsed.as_ref().and_then(role_name_argument);
    if guid.is_none() && written.is_none() {
        return None;
    }
    let arm = Arm {
        template,
        copy_index: None,
        input_copy: false,
        meter,
    };
    let mut definitions = Vec::new();
    collect_definitions(template, 0, &mut definitions);
    let mut matching = definitions.into_iter().filter(|definition| {
        let Some(name) = definition.get("name").and_then(Value::as_str) else {
            return false;
        };
        let expr = match parse(name, meter) {
            None => return guid.is_some() && guid_at_end(name) == guid,
            Some(Ok(expr)) => expr,
            Some(Err(_)) => return false,
        };
        match arm.eval(&expr, name, 0).shape {
            Shape::Text(text) if text.unresolved.is_empty() => {
                guid.is_some() && guid_at_end(&text.text) == guid
            }
            _ => written.is_some_and(|written| written.same(&expr)),
        }
    });
    let definition = matching.next()?;
    if matching.next().is_some() || definition.get("copy").is_some() {
        // Two definitions answer to the reference, or one stands for several roles.
        return None;
    }
    let properties = definition.get("properties")?.as_object()?;
    let mut role = Map::new();
    for (key, value) in properties {
        let key_lower = key.to_ascii_lowercase();
        if matches!(
            key_lower.as_str(),
            "rolename" | "description" | "permissions"
        ) {
            role.insert(key.clone(), arm.value(&value, 0).into_json(&arm, 0)?);
        }
    }
    RoleDefinition::from_value(Value::Object(role)).ok()
}

/// The last argument of a `…resourceId('Microsoft.Authorization/roleDefinitions', …, name)`
/// call.
fn role_name_argument(expr: &Expr) -> Option<&Expr> {
    let Kind::Call { name, args } = &expr.kind else {
        return None;
    };
    let names_role_definition = args.iter().any(|arg| {
        matches!(&arg.kind, Kind::String(text)
            if text.text.eq_ignore_ascii_case("Microsoft.Authorization/roleDefinitions"))
    });
    (RESOURCE_ID_FUNCTIONS.contains(&name.as_str()) && names_role_definition)
        .then(|| args.last())
        .flatten()
}

/// The GUID a role's name, GUID or resource id names, read by the grammar of ids.
fn guid_at_end(text: &str) -> Option<Uuid> {
    crate::id::role_definition_guid(text.trim()).ok()
}

/// Every role definition resource in `value`, in nested deployments too.
fn collect_definitions<'t>(value: &'t Value, depth: usize, found: &mut Vec<&'t Value>) {
    if depth > MAX_DEPTH {
        return;
    }
    match value {
        Value::Object(object) => {
            let kind = object.get("type").and_then(Value::as_str).unwrap_or("");
            if kind
                .to_ascii_lowercase()
                .ends_with("microsoft.authorization/roledefinitions")
                && object.contains_key("properties")
            {
                found.push(value);
                return;
            }
            for child in object.values() {
                collect_definitions(child, depth + 1, found);
            }
        }
        Value::Array(items) => {
            for item in items {
                collect_definitions(item, depth + 1, found);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// A fresh budget, as a template has.
    fn meter() -> Meter {
        Meter::new(crate::limits::ARM_MAX_STEPS)
    }

    const DELETE: &str = "Microsoft.Authorization/roleAssignments/delete";

    fn definition(name: &str, actions: Value) -> Value {
        json!({
            "type": "Microsoft.Authorization/roleDefinitions",
            "apiVersion": "2022-04-01",
            "name": name,
            "properties": {
                "roleName": "Assignment cleaner",
                "permissions": [{"actions": actions, "notActions": []}],
                "assignableScopes": ["[subscription().id]"]
            }
        })
    }

    #[test]
    fn a_role_named_by_its_literal_guid_is_the_templates_definition() {
        let guid = "0b5a1c4e-7b8d-4d0e-9c55-3f1d8c2a9e10";
        let template = json!({"resources": [definition(guid, json!([DELETE]))]});
        let reference = format!(
            "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '{guid}')]"
        );
        let role = defined_role(&reference, &template, &meter()).unwrap();
        assert!(role.grants(DELETE, false));
        assert!(!role.grants("Microsoft.Authorization/roleAssignments/write", false));
    }

    #[test]
    fn a_role_named_by_an_expression_is_matched_as_written() {
        let template = json!({
            "variables": {"actions": [DELETE]},
            "resources": {"cleaner": definition(
                "[guid(subscription().id,'cleaner')]",
                json!("[variables('actions')]")
            )}
        });
        let reference = "[resourceId('Microsoft.Authorization/roleDefinitions', guid(subscription().id, 'cleaner'))]";
        assert!(
            defined_role(reference, &template, &meter())
                .unwrap()
                .grants(DELETE, false)
        );
        // Another name is another role, even one differing only in case.
        let other = "[resourceId('Microsoft.Authorization/roleDefinitions', guid(subscription().id, 'Cleaner'))]";
        assert_eq!(defined_role(other, &template, &meter()), None);
    }

    #[test]
    fn a_role_not_written_literally_or_defined_twice_is_not_taken() {
        let name = "[guid(subscription().id, 'cleaner')]";
        let reference = "[resourceId('Microsoft.Authorization/roleDefinitions', guid(subscription().id, 'cleaner'))]";
        let unknown = json!({"resources": [definition(name, json!(["[parameters('actions')]"]))]});
        assert_eq!(defined_role(reference, &unknown, &meter()), None);
        let twice = json!({"resources": [definition(name, json!([DELETE])), definition(name, json!([DELETE]))]});
        assert_eq!(defined_role(reference, &twice, &meter()), None);
        let mut looped = definition(name, json!([DELETE]));
        looped["copy"] = json!({"name": "roles", "count": 2});
        assert_eq!(
            defined_role(reference, &json!({"resources": [looped]}), &meter()),
            None
        );
    }

    #[test]
    fn a_literal_bracket_is_unescaped() {
        let template = json!({"variables": {"x": "[[not an expression]"}});
        let meter = meter();
        let arm = Arm {
            template: &template,
            copy_index: None,
            input_copy: false,
            meter: &meter,
        };
        let value = json!(["[[a]", "[variables('x')]"]);
        assert_eq!(
            arm.value(&&value, 0).into_json(&arm, 0),
            Some(json!(["[a]", "[not an expression]"]))
        );
    }

    /// The example `role_reference`'s documentation used to give.
    #[test]
    fn role_reference_example() {
        let template = serde_json::json!({"variables": {
            "reader": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
            "admin": "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'f58310d9-a9f6-439a-9e8d-f62e7b41a168')]"
        }});
        let role = role_reference("[variables('admin')]", &template, &meter()).unwrap();
        assert_eq!(role, "f58310d9-a9f6-439a-9e8d-f62e7b41a168");
        let text = "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', variables('reader'))]";
        assert_eq!(
            role_reference(text, &template, &meter()).unwrap(),
            "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
        );
    }

    /// The example `defined_role`'s documentation used to give.
    #[test]
    fn defined_role_example() {
        let template = serde_json::json!({"resources": [{
            "type": "Microsoft.Authorization/roleDefinitions",
            "name": "[guid(subscription().id, 'deleter')]",
            "properties": {
                "roleName": "Role deleter",
                "permissions": [{"actions": ["Microsoft.Authorization/roleAssignments/delete"]}]
            }
        }]});
        let reference = "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', guid(subscription().id, 'deleter'))]";
        let role = defined_role(reference, &template, &meter()).unwrap();
        assert_eq!(role.role_name, "Role deleter");
    }
}
