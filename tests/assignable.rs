//! Where Azure assigns a role (decisions R16, R19 and R21): a custom
//! role with data actions is never assigned at a management group, and a role whose assignable
//! scope is every service group is assigned at service groups and nowhere else.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use azabac::catalog::{Catalog, RoleDefinition};
use azabac::eval::Ticks;
use azabac::rbac::{AccessRequest, InputProblem, Reason, World};
use serde_json::{Value, json};

const NOW: Ticks = Ticks(17_960_832_000_000_000);
const ALICE: &str = "aaaaaaaa-0000-0000-0000-00000000a11c";
const BOB: &str = "bbbbbbbb-0000-0000-0000-0000000000b0";
const MG: &str = "/providers/Microsoft.Management/managementGroups/platform";
const SUB: &str = "/subscriptions/00000000-0000-0000-0000-0000000000aa";
const SG: &str = "/providers/Microsoft.Management/serviceGroups/analytics";
const DATA_ROLE: &str = "11111111-0000-0000-0000-0000000000da";
const SG_ROLE: &str = "11111111-0000-0000-0000-00000000005a";

fn roles() -> Value {
    json!([
        {"name": DATA_ROLE, "roleName": "Blob Reader (custom)", "roleType": "CustomRole",
         "permissions": [{"actions": [], "dataActions": ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"]}],
         "assignableScopes": [MG, SUB]},
        {"name": SG_ROLE, "roleName": "Service Group Reader (custom)", "roleType": "CustomRole",
         "permissions": [{"actions": ["Microsoft.Management/serviceGroups/read"]}],
         "assignableScopes": ["/providers/Microsoft.Management/serviceGroups"]}
    ])
}

/// Alice may write role assignments everywhere: Role Based Access Control Administrator at `/`
/// with no condition, so only the role's own limits decide.
fn world(more: &[Value]) -> World {
    let mut assignments = vec![json!({
        "principalId": ALICE, "scope": "/",
        "roleDefinitionId": "f58310d9-a9f6-439a-9e8d-f62e7b41a168"})];
    assignments.extend(more.iter().cloned());
    World::builder()
        .roles(&roles())
        .unwrap()
        .assignments(&Value::Array(assignments))
        .unwrap()
        .build(Catalog::builtin())
        .unwrap()
}

fn assign<'w>(
    world: &'w World,
    role: &'w RoleDefinition,
    scope: &str,
) -> azabac::rbac::Decision<'w> {
    let access = AccessRequest::from_value(
        &json!({"principalId": ALICE, "scope": scope,
                "action": "Microsoft.Authorization/roleAssignments/write",
                "request": {
                    "Microsoft.Authorization/roleAssignments:RoleDefinitionId": role.id.unwrap().to_string(),
                    "Microsoft.Authorization/roleAssignments:PrincipalId": BOB,
                    "Microsoft.Authorization/roleAssignments:PrincipalType": "User"}}),
        Catalog::builtin(),
    )
    .unwrap();
    world.decide_assignment(&access, role, NOW, false)
}

#[test]
fn a_custom_role_with_data_actions_is_not_assigned_at_a_management_group() {
    let world = world(&[]);
    let role = world.find_role(DATA_ROLE).unwrap();
    let at_group = assign(&world, role, MG);
    assert!(!at_group.allowed());
    assert!(
        matches!(at_group.reason, Reason::DataActionsAtManagementGroup { .. }),
        "{}",
        at_group.reason
    );
    assert!(
        at_group
            .reason
            .to_string()
            .contains("cannot be assigned at a management group")
    );
    assert!(
        assign(&world, role, SUB).allowed(),
        "a subscription is fine"
    );
    // A built-in role with data actions is assigned at a management group.
    let reader = world.find_role("Storage Blob Data Reader").unwrap();
    assert!(assign(&world, reader, MG).allowed());
}

#[test]
fn an_export_that_assigns_it_at_a_management_group_is_an_input_error() {
    let error = World::builder()
        .roles(&roles())
        .unwrap()
        .assignments(&json!([{"principalId": BOB, "scope": MG, "roleDefinitionId": DATA_ROLE}]))
        .unwrap()
        .build(Catalog::builtin())
        .err()
        .unwrap();
    assert!(
        matches!(
            error.problem,
            InputProblem::DataActionsAtManagementGroup { .. }
        ),
        "{error}"
    );
}

/// A service-group role's assignable scope is the type `/providers/Microsoft.Management/serviceGroups`:
/// it used to be refused, so the role was assignable nowhere.
#[test]
fn a_role_assignable_at_every_service_group_is_assigned_at_service_groups_only() {
    let world = world(&[]);
    let role = world.find_role(SG_ROLE).unwrap();
    assert!(
        assign(&world, role, SG).allowed(),
        "{}",
        assign(&world, role, SG).reason
    );
    let at_sub = assign(&world, role, SUB);
    assert!(
        matches!(at_sub.reason, Reason::NotAssignable { .. }),
        "{}",
        at_sub.reason
    );
}
