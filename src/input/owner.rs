//! Whose condition an embedded condition is, from its place in the JSON document: a block of a
//! role definition (checked against that role), a role assignment (checked against the role it
//! assigns), a deny assignment, or something else. `check` uses it to run the role-aware checks
//! (AZ0311–AZ0313) on every condition whose role it can tell, without `--role`.

use serde_json::Value;
use uuid::Uuid;

use crate::catalog::RoleDefinition;

/// What an embedded condition belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Owner {
    /// A block of this role definition (`permissions[i].condition`).
    Role(Box<RoleDefinition>),
    /// A role assignment of the role with this GUID.
    Assignment(Uuid),
    /// A role assignment whose role is given by something azabac cannot read, such as a
    /// template expression (`[parameters('role')]`), as written.
    UnknownRole(String),
    /// A deny assignment, or anything else: no role applies.
    Other,
}

/// Whose condition sits at `path` (a JSON path as [`super::embedded`] writes them) in
/// `document`.
///
/// ```
/// use azabac::input::owner::{owner, Owner};
/// let document = serde_json::json!([{
///     "principalId": "aaaaaaaa-0000-0000-0000-00000000a11c",
///     "roleDefinitionId": "/subscriptions/00000000-0000-0000-0000-0000000000aa/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe",
///     "condition": "true"
/// }]);
/// let Owner::Assignment(role) = owner(&document, "$[0].condition") else { panic!() };
/// assert_eq!(role.to_string(), "ba92f5b4-2d11-453d-a403-e96b0029c9fe");
/// ```
pub fn owner(document: &Value, path: &str) -> Owner {
    let Some(chain) = walk(document, path) else {
        return Owner::Other;
    };
    // chain: (key, value) from the root to the condition itself.
    let n = chain.len();
    let key = |i: usize| chain.get(i).and_then(|(k, _)| k.as_deref());
    let value = |i: usize| chain.get(i).map(|(_, v)| *v);
    // `…permissions[i].condition`: the role is the object that holds `permissions`, or the
    // ARM resource whose `properties` it is.
    if n >= 4
        && key(n - 2).is_none()
        && key(n - 3).is_some_and(|k| k.eq_ignore_ascii_case("permissions"))
    {
        let holder = n - 4;
        let role =
            if key(holder).is_some_and(|k| k.eq_ignore_ascii_case("properties")) && holder >= 1 {
                value(holder - 1)
            } else {
                value(holder)
            };
        // A block's condition applies to that block's permissions alone (RBAC.md): the role
        // it is checked against is the role with that block only.
        let block = value(n - 3)
            .and_then(Value::as_array)
            .zip(value(n - 2))
            .and_then(|(blocks, block)| blocks.iter().position(|b| std::ptr::eq(b, block)));
        return match role.map(|r| RoleDefinition::from_value(r.clone())) {
            Some(Ok(mut role)) => {
                if let Some(block) = block.and_then(|i| role.permissions.get(i).cloned()) {
                    role.permissions = vec![block];
                }
                Owner::Role(Box::new(role))
            }
            _ => Owner::Other,
        };
    }
    // `…condition` of an assignment, or of its `properties`.
    let Some(Value::Object(holder)) = value(n.wrapping_sub(2)) else {
        return Owner::Other;
    };
    let top = if key(n.wrapping_sub(2)).is_some_and(|k| k.eq_ignore_ascii_case("properties")) {
        value(n.wrapping_sub(3)).and_then(Value::as_object)
    } else {
        None
    };
    let field = |name: &str| {
        holder
            .iter()
            .chain(top.into_iter().flatten())
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    };
    let is_deny = [
        "denyAssignmentName",
        "excludePrincipals",
        "doNotApplyToChildScopes",
    ]
    .iter()
    .any(|k| field(k).is_some());
    if is_deny {
        return Owner::Other;
    }
    match field("roleDefinitionId").and_then(Value::as_str) {
        Some(text) => match role_guid(text) {
            Some(guid) => Owner::Assignment(guid),
            None => Owner::UnknownRole(text.to_owned()),
        },
        None => Owner::Other,
    }
}

/// The `conditionVersion` beside the condition at `path` (in the same object), with its own
/// JSON path; `None` when there is none or it is `null`. It is returned as written, so that a
/// number or other non-string is reported rather than taken for `2.0`.
/// [Decision 23](crate::spec::decisions#decision-23): only `2.0` is valid, and a missing version
/// means `2.0`.
pub fn condition_version<'d>(document: &'d Value, path: &str) -> Option<(&'d Value, String)> {
    let chain = walk(document, path)?;
    let (_, Value::Object(holder)) = chain.get(chain.len().checked_sub(2)?)? else {
        return None;
    };
    let (key, value) = holder
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("conditionVersion"))?;
    if value.is_null() {
        return None;
    }
    let parent = path.rsplit_once(['.', '[']).map_or(path, |(head, _)| head);
    Some((value, format!("{parent}.{key}")))
}

/// The `id` and `name` of the resource that holds the condition at `path` (the object it sits
/// in, and that object's parent when it is an ARM resource's `properties`), so that a
/// suppression can name a role assignment or definition by its id.
pub fn holder_names(document: &Value, path: &str) -> Vec<String> {
    let Some(chain) = walk(document, path) else {
        return Vec::new();
    };
    let n = chain.len();
    let mut holders = Vec::new();
    if let Some((key, value)) = chain.get(n.wrapping_sub(2)) {
        holders.push(*value);
        if key
            .as_deref()
            .is_some_and(|k| k.eq_ignore_ascii_case("properties"))
            && let Some((_, parent)) = chain.get(n.wrapping_sub(3))
        {
            holders.push(*parent);
        }
    }
    // A role block's condition sits in `permissions[i]`: its role is further up.
    if n >= 4
        && chain.get(n - 2).is_some_and(|(k, _)| k.is_none())
        && chain
            .get(n - 3)
            .and_then(|(k, _)| k.as_deref())
            .is_some_and(|k| k.eq_ignore_ascii_case("permissions"))
    {
        holders.clear();
        if let Some((key, role)) = chain.get(n - 4) {
            holders.push(*role);
            if key
                .as_deref()
                .is_some_and(|k| k.eq_ignore_ascii_case("properties"))
                && let Some((_, parent)) = chain.get(n - 5)
            {
                holders.push(*parent);
            }
        }
    }
    holders
        .iter()
        .filter_map(|holder| holder.as_object())
        .flat_map(|object| {
            object
                .iter()
                .filter(|(k, _)| {
                    ["id", "name", "roleName"]
                        .iter()
                        .any(|name| k.eq_ignore_ascii_case(name))
                })
                .filter_map(|(_, v)| v.as_str().map(str::to_owned))
        })
        .collect()
}

/// The role GUID a `roleDefinitionId` names: a GUID, an id ending in one, or an ARM or Bicep
/// expression that quotes exactly one (`[subscriptionResourceId('…/roleDefinitions',
/// 'ba92f5b4-…')]`, as Bicep compiles it).
pub fn role_guid(text: &str) -> Option<Uuid> {
    let text = text.trim();
    if let Ok(guid) = crate::id::role_definition_guid(text) {
        return Some(guid);
    }
    // `[subscriptionResourceId('…', 'GUID')]` in ARM, `subscriptionResourceId('…', 'GUID')`
    // in Bicep.
    let mut quoted = text
        .split('\'')
        .skip(1)
        .step_by(2)
        .filter_map(|part| Uuid::parse_str(part).ok());
    match (quoted.next(), quoted.next()) {
        (Some(guid), None) => Some(guid),
        _ => None,
    }
}

/// The values along `path` from the root, each with the object key it sits under (`None` for
/// an array element); `None` if the path does not lead anywhere.
fn walk<'v>(document: &'v Value, path: &str) -> Option<Vec<(Option<String>, &'v Value)>> {
    let mut chain = vec![(None, document)];
    let mut rest = path.strip_prefix('$')?;
    let mut current = document;
    while !rest.is_empty() {
        let (key, next): (Option<String>, &Value);
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            let name = after.get(..end)?;
            next = current.get(name)?;
            key = Some(name.to_owned());
            rest = after.get(end..)?;
        } else if let Some(after) = rest.strip_prefix('[') {
            if after.starts_with('"') {
                // A JSON string key: find its end by reading it as JSON.
                let mut stream = serde_json::Deserializer::from_str(after).into_iter::<String>();
                let name = stream.next()?.ok()?;
                let used = stream.byte_offset();
                next = current.get(&name)?;
                key = Some(name);
                rest = after.get(used..)?.strip_prefix(']')?;
            } else {
                let end = after.find(']')?;
                let index: usize = after.get(..end)?.parse().ok()?;
                next = current.get(index)?;
                key = None;
                rest = after.get(end + 1..)?;
            }
        } else {
            return None;
        }
        chain.push((key, next));
        current = next;
    }
    Some(chain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tells_role_blocks_assignments_and_denies_apart() {
        let roles = json!({"value": [{"name": "00000012-0000-0000-0000-000000000012",
            "properties": {"roleName": "Widget", "permissions": [{"actions": ["a/*"]},
            {"actions": ["Microsoft.Authorization/roleAssignments/write"], "condition": "true"}]}}]});
        let Owner::Role(role) = owner(&roles, "$.value[0].properties.permissions[1].condition")
        else {
            panic!("a role block")
        };
        assert_eq!(role.role_name, "Widget");
        // Checked against its own block: the write, not the first block's `a/*`.
        assert_eq!(role.permissions.len(), 1);
        assert!(role.grants("Microsoft.Authorization/roleAssignments/write", false));
        assert!(!role.grants("a/b", false));

        let list =
            json!([{"roleName": "R", "permissions": [{"actions": ["*"], "condition": "x"}]}]);
        assert!(matches!(
            owner(&list, "$[0].permissions[0].condition"),
            Owner::Role(_)
        ));

        let arm = json!({"id": "/subscriptions/00000000-0000-0000-0000-0000000000aa/providers/Microsoft.Authorization/roleAssignments/a",
            "properties": {"roleDefinitionId": "/subscriptions/00000000-0000-0000-0000-0000000000aa/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe",
            "condition": "x"}});
        assert!(matches!(
            owner(&arm, "$.properties.condition"),
            Owner::Assignment(_)
        ));

        let template = json!({"resources": [{"type": "Microsoft.Authorization/roleAssignments",
            "properties": {"roleDefinitionId": "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')]",
            "condition": "x"}}]});
        assert!(matches!(
            owner(&template, "$.resources[0].properties.condition"),
            Owner::Assignment(_)
        ));

        let parameter =
            json!({"properties": {"roleDefinitionId": "[parameters('role')]", "condition": "x"}});
        assert_eq!(
            owner(&parameter, "$.properties.condition"),
            Owner::UnknownRole("[parameters('role')]".into())
        );

        let deny = json!([{"denyAssignmentName": "d", "permissions": [{"actions": ["*"]}], "condition": "x"}]);
        assert_eq!(owner(&deny, "$[0].condition"), Owner::Other);

        let versioned =
            json!([{"roleDefinitionId": "x", "condition": "c", "ConditionVersion": "1.0"}]);
        assert_eq!(
            condition_version(&versioned, "$[0].condition"),
            Some((&json!("1.0"), "$[0].ConditionVersion".into()))
        );
        let numeric = json!([{"roleDefinitionId": "x", "condition": "c", "conditionVersion": 2.0}]);
        assert_eq!(
            condition_version(&numeric, "$[0].condition"),
            Some((&json!(2.0), "$[0].conditionVersion".into()))
        );
        assert_eq!(condition_version(&arm, "$.properties.condition"), None);

        assert_eq!(
            holder_names(&arm, "$.properties.condition"),
            [
                "/subscriptions/00000000-0000-0000-0000-0000000000aa/providers/Microsoft.Authorization/roleAssignments/a"
            ]
        );
        assert!(
            holder_names(&roles, "$.value[0].properties.permissions[1].condition")
                .contains(&"Widget".to_owned())
        );

        let odd = json!({"weird key": {"roleDefinitionId": "ba92f5b4-2d11-453d-a403-e96b0029c9fe", "condition": "x"}});
        assert!(matches!(
            owner(&odd, "$[\"weird key\"].condition"),
            Owner::Assignment(_)
        ));
        assert_eq!(owner(&odd, "$.nothing.condition"), Owner::Other);
    }
}
