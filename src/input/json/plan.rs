//! The custom role a Terraform plan's role assignment assigns, when the plan creates it: the
//! assignment's `role_definition_id` is known only after apply, but the plan's `configuration`
//! says which `azurerm_role_definition` it references, and that resource's planned
//! `permissions` are known. The assignment is then checked against that role (AZ0311–AZ0313,
//! AZ0318), as an assignment of a built-in role is.

use serde_json::{Map, Value, json};

use crate::catalog::RoleDefinition;

use crate::limits::PLAN_MAX_MODULE_DEPTH as MAX_MODULE_DEPTH;

/// The permission lists of a planned `permissions` block, and their names in a role
/// definition.
const LISTS: [(&str, &str); 4] = [
    ("actions", "actions"),
    ("not_actions", "notActions"),
    ("data_actions", "dataActions"),
    ("not_data_actions", "notDataActions"),
];

/// The role the plan's resource change `change` (an `azurerm_role_assignment` or
/// `azurerm_pim_*` assignment) assigns, when its configuration references one
/// `azurerm_role_definition` of its module that the plan creates with every permission known.
pub(super) fn planned_role(plan: &Value, change: &Value) -> Option<RoleDefinition> {
    let kind = change.get("type")?.as_str()?;
    let name = change.get("name")?.as_str()?;
    let module_address = change.get("module_address").and_then(Value::as_str);
    let module = configuration_module(plan, module_address.unwrap_or(""))?;
    let resource = module.get("resources")?.as_array()?.iter().find(|r| {
        r.get("type").and_then(Value::as_str) == Some(kind)
            && r.get("name").and_then(Value::as_str) == Some(name)
            && r.get("mode").and_then(Value::as_str) != Some("data")
    })?;
    let expressions = resource.get("expressions")?;
    let references = expressions
        .get("role_definition_id")
        .or_else(|| expressions.get("role_definition_name"))?
        .get("references")?
        .as_array()?;
    let role = references.iter().filter_map(Value::as_str).find_map(|r| {
        let rest = r.strip_prefix("azurerm_role_definition.")?;
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        rest.get(..end)
    })?;
    let mut definitions = plan
        .get("resource_changes")?
        .as_array()?
        .iter()
        .filter(|c| {
            c.get("type").and_then(Value::as_str) == Some("azurerm_role_definition")
                && c.get("name").and_then(Value::as_str) == Some(role)
                && c.get("module_address").and_then(Value::as_str) == module_address
                && c.get("mode").and_then(Value::as_str) != Some("data")
        });
    let definition = definitions.next()?;
    if definitions.next().is_some() || definition.get("index").is_some() {
        // Several instances (`for_each`, `count`): which one the assignment takes is not
        // known from the configuration.
        return None;
    }
    role_of(definition.get("change")?)
}

/// A role definition from a planned `azurerm_role_definition` change; `None` where a
/// permission is known only after apply.
fn role_of(change: &Value) -> Option<RoleDefinition> {
    if contains_true(
        change
            .get("after_unknown")
            .and_then(|u| u.get("permissions")),
    ) {
        return None;
    }
    let after = change.get("after")?;
    let mut blocks = Vec::new();
    for block in after.get("permissions")?.as_array()? {
        let mut permission = Map::new();
        for (planned, name) in LISTS {
            let list = match block.get(planned) {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|item| item.as_str().map(|s| Value::String(s.to_owned())))
                    .collect::<Option<Vec<_>>>()?,
                Some(_) => return None,
            };
            permission.insert(name.to_owned(), Value::Array(list));
        }
        blocks.push(Value::Object(permission));
    }
    let role_name = after
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("the custom role the plan creates");
    RoleDefinition::from_value(json!({"roleName": role_name, "permissions": blocks})).ok()
}

/// The configuration of the module at `address` (`""` for the root, `module.a["x"].module.b`
/// for a nested one, its instance keys ignored).
fn configuration_module<'p>(plan: &'p Value, address: &str) -> Option<&'p Value> {
    let mut module = plan.get("configuration")?.get("root_module")?;
    let mut rest = address;
    for _ in 0..MAX_MODULE_DEPTH {
        if rest.is_empty() {
            return Some(module);
        }
        let after = rest.strip_prefix("module.")?;
        let end = after.find(['.', '[']).unwrap_or(after.len());
        let name = after.get(..end)?;
        let mut tail = after.get(end..)?;
        if tail.starts_with('[') {
            // An instance key: `["x"]` or `[0]`.
            let close = tail.find("].").map_or(tail.len(), |at| at + 1);
            tail = tail.get(close..)?;
        }
        rest = tail.strip_prefix('.').unwrap_or(tail);
        module = module.get("module_calls")?.get(name)?.get("module")?;
    }
    None
}

/// Whether an `after_unknown` value marks anything unknown.
fn contains_true(value: Option<&Value>) -> bool {
    match value {
        Some(Value::Bool(b)) => *b,
        Some(Value::Array(items)) => items.iter().any(|item| contains_true(Some(item))),
        Some(Value::Object(object)) => object.values().any(|item| contains_true(Some(item))),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(permissions: Value, after_unknown: Value, module: Option<&str>) -> Value {
        let with_module = |mut change: Value| {
            if let Some(module) = module {
                change["module_address"] = json!(module);
            }
            change
        };
        let resources = json!([{
            "mode": "managed",
            "type": "azurerm_role_assignment",
            "name": "a",
            "expressions": {"role_definition_id": {"references": [
                "azurerm_role_definition.r.role_definition_resource_id",
                "azurerm_role_definition.r"
            ]}}
        }]);
        json!({
            "resource_changes": [
                with_module(json!({
                    "mode": "managed",
                    "type": "azurerm_role_definition",
                    "name": "r",
                    "change": {
                        "after": {"name": "custom", "permissions": permissions},
                        "after_unknown": {"permissions": after_unknown}
                    }
                })),
                with_module(json!({"mode": "managed", "type": "azurerm_role_assignment", "name": "a"}))
            ],
            "configuration": {"root_module": {
                "resources": resources,
                "module_calls": {"m": {"module": {"module_calls": {"n": {"module": {"resources": resources}}}}}}
            }}
        })
    }

    #[test]
    fn the_referenced_role_is_read_from_its_planned_permissions() {
        let write = "Microsoft.Authorization/roleAssignments/write";
        let permissions = json!([{"actions": [write], "not_actions": [], "data_actions": null}]);
        for module in [None, Some("module.m[\"x\"].module.n[0]")] {
            let plan = plan(permissions.clone(), json!([{"actions": [false]}]), module);
            let role = planned_role(&plan, &plan["resource_changes"][1]).unwrap();
            assert_eq!(role.role_name, "custom");
            assert!(role.grants(write, false), "{module:?}");
        }
    }

    #[test]
    fn a_permission_known_only_after_apply_leaves_the_role_unknown() {
        let permissions = json!([{"actions": null}]);
        let plan = plan(permissions, json!([{"actions": true}]), None);
        assert_eq!(planned_role(&plan, &plan["resource_changes"][1]), None);
        // A module the configuration does not have.
        let plan = self::plan(json!([{"actions": []}]), json!([]), Some("module.z"));
        assert_eq!(planned_role(&plan, &plan["resource_changes"][1]), None);
    }
}
