//! `decide` on a world and a request generated from the fuzzer's bytes, through the same JSON
//! readers users feed: built-in and custom roles, assignments to users and nested groups at
//! every level of a small scope tree (some conditional, some PIM-eligible), deny assignments,
//! and conditions from the shared generator. Invariants:
//! - an allow names a granting candidate and no deny assignment;
//! - adding a deny assignment for everyone, every action, at `/` makes the decision a deny;
//! - without the caller's and its groups' assignments, the decision is a deny.
#![no_main]

use std::sync::LazyLock;

use azabac::catalog::Catalog;
use azabac::rbac::{AccessRequest, CandidateResult, World};
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

mod choices;

use choices::generate::{Bytes, Choices, Generator};

/// The instant every decision here is made at: 2026-12-01T00:00:00Z, in 100 ns ticks.
const NOW: azabac::eval::Ticks = azabac::eval::Ticks(17_960_832_000_000_000);

static GENERATOR: LazyLock<Generator> = LazyLock::new(|| Generator::new(Catalog::builtin()));

const SCOPES: &[&str] = &[
    "/",
    "/providers/Microsoft.Management/managementGroups/mg",
    "/subscriptions/11111111-1111-1111-1111-111111111111",
    "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg1",
    "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/RG1/providers/Microsoft.Storage/storageAccounts/st/blobServices/default/containers/c",
    "/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/rg2/providers/Microsoft.CognitiveServices/accounts/ai/",
];
const PRINCIPALS: &[&str] = &[
    "a0000000-0000-0000-0000-000000000001",
    "a0000000-0000-0000-0000-000000000002",
    "b0000000-0000-0000-0000-000000000001",
    "b0000000-0000-0000-0000-000000000002",
    "b0000000-0000-0000-0000-000000000003",
];
const ROLES: &[&str] = &[
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", // Owner
    "b24988ac-6180-42a0-ab88-20f7382dd24c", // Contributor
    "acdd72a7-3385-48ef-bd42-f606fba81ae7", // Reader
    "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", // User Access Administrator
    "f58310d9-a9f6-439a-9e8d-f62e7b41a168", // Role Based Access Control Administrator
    "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", // Storage Blob Data Reader
    "e47c6f54-e4a2-4754-9501-8e0985b135e1", // Azure AI Account Owner
    "c0570000-0000-0000-0000-0000000000c1", // the custom role below
];
const ACTIONS: &[&str] = &[
    "Microsoft.Authorization/roleAssignments/write",
    "Microsoft.Authorization/roleAssignments/delete",
    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
    "Microsoft.Compute/virtualMachines/write",
    "Microsoft.CognitiveServices/accounts/write",
    "Microsoft.Network/virtualNetworks/delete",
];
const PATTERNS: &[&str] = &[
    "*",
    "*/delete",
    "Microsoft.Authorization/*",
    "Microsoft.Storage/*/read",
    "Microsoft.Network/*",
];

fn custom_role() -> Value {
    json!({"name": "c0570000-0000-0000-0000-0000000000c1",
           "properties": {"roleName": "Custom", "permissions": [
               {"actions": ["Microsoft.Network/*"], "notActions": ["Microsoft.Network/*/delete"]},
               {"actions": ["Microsoft.Network/virtualNetworks/delete"], "dataActions": ["*"]}]}})
}

fn world_of(
    roles: &Value,
    assignments: &[Value],
    deny: &[Value],
    catalog: &Catalog,
) -> Option<World> {
    World::builder()
        .roles(roles)
        .ok()?
        .assignments(&Value::Array(assignments.to_vec()))
        .ok()?
        .deny_assignments(&Value::Array(deny.to_vec()))
        .ok()?
        .hierarchy(&json!({"parents": {"11111111-1111-1111-1111-111111111111": "mg"}}))
        .ok()?
        .build(catalog)
        .ok()
}

fuzz_target!(|data: &[u8]| {
    let (generator, catalog) = (&*GENERATOR, Catalog::builtin());
    let c = &mut Bytes::new(data);
    let mut assignments = Vec::new();
    for i in 0..c.below(8) {
        let mut a = json!({"name": format!("00000000-0000-0000-0000-{i:012}"),
                           "principalId": c.pick(PRINCIPALS), "roleDefinitionId": c.pick(ROLES),
                           "scope": c.pick(SCOPES), "eligible": c.chance(10)});
        if c.chance(30) {
            a["condition"] = json!(generator.condition(c));
        }
        assignments.push(a);
    }
    let mut deny = Vec::new();
    for i in 0..c.below(3) {
        let mut d = json!({"name": format!("d0000000-0000-0000-0000-{i:012}"),
                           "scope": c.pick(SCOPES), "doNotApplyToChildScopes": c.chance(30),
                           "permissions": [{"actions": [c.pick(PATTERNS)], "dataActions": [c.pick(PATTERNS)]}],
                           "principals": [{"id": if c.chance(50) { "00000000-0000-0000-0000-000000000000" } else { c.pick(PRINCIPALS) }}],
                           "excludePrincipals": if c.chance(30) { json!([{"id": c.pick(PRINCIPALS)}]) } else { json!([]) }});
        if c.chance(20) {
            d["condition"] = json!(generator.condition(c));
        }
        deny.push(d);
    }
    let caller = *c.pick(&PRINCIPALS[..2]);
    let groups: Vec<&str> = PRINCIPALS[2..]
        .iter()
        .copied()
        .filter(|_| c.chance(50))
        .collect();
    let mut request = json!({"principalId": caller, "groupIds": groups, "scope": c.pick(SCOPES)});
    let key = if c.chance(30) { "dataAction" } else { "action" };
    request[key] = json!(c.pick(ACTIONS));
    if c.chance(50) {
        request["request"] =
            json!({"Microsoft.Authorization/roleAssignments:RoleDefinitionId": c.pick(ROLES)});
    }
    let Ok(access) = AccessRequest::from_value(&request, catalog) else {
        return;
    };
    let roles = json!([custom_role()]);
    let Some(world) = world_of(&roles, &assignments, &deny, catalog) else {
        return;
    };

    let decision = world.decide(&access, NOW, c.chance(10));
    if decision.allowed() {
        assert!(decision.deny().is_none());
        assert!(
            decision
                .candidates
                .iter()
                .any(|c| c.result == CandidateResult::Granted)
        );
    }
    let mut denied = deny.clone();
    denied.push(json!({"name": "everything", "scope": "/",
                       "permissions": [{"actions": ["*"], "dataActions": ["*"]}],
                       "principals": [{"id": "00000000-0000-0000-0000-000000000000"}]}));
    if let Some(world) = world_of(&roles, &assignments, &denied, catalog) {
        assert!(
            !world.decide(&access, NOW, false).allowed(),
            "a deny for everyone at / must deny"
        );
    }
    let others: Vec<Value> = assignments
        .iter()
        .filter(|a| a["principalId"] != caller && !groups.iter().any(|g| a["principalId"] == *g))
        .cloned()
        .collect();
    if let Some(world) = world_of(&roles, &others, &deny, catalog) {
        assert!(
            !world.decide(&access, NOW, false).allowed(),
            "no assignment of the caller must deny"
        );
    }
});
