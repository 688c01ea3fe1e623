#![allow(
    clippy::indexing_slicing,
    reason = "every index is drawn below the length it indexes"
)]

//! A synthetic tenant for the RBAC benchmarks, generated deterministically: 1,000
//! subscriptions under a three-level management-group tree, 10 resource groups each, 20,000
//! users, 2,000 groups nested up to four deep, 100,000 role assignments (about 10% with
//! conditions, 5% PIM-eligible), 200 deny assignments, and requests drawn near the assignments
//! so that both allows and denies are common.
//!
//! Shared by `benches/rbac.rs` (through `#[path]`) and `examples/synthetic_tenant.rs`, which
//! writes it to files for the CLI.

use serde_json::{Value, json};

/// Sizes of the tenant.
pub struct Shape {
    pub subscriptions: usize,
    pub resource_groups: usize,
    pub users: usize,
    pub groups: usize,
    pub assignments: usize,
    pub deny_assignments: usize,
    pub requests: usize,
}

/// The sizes issue 5 asks for.
pub const FULL: Shape = Shape {
    subscriptions: 1_000,
    resource_groups: 10,
    users: 20_000,
    groups: 2_000,
    assignments: 100_000,
    deny_assignments: 200,
    requests: 10_000,
};

/// The tenant as the files `azabac decide` reads.
pub struct Tenant {
    pub assignments: String,
    pub deny_assignments: String,
    pub hierarchy: String,
    /// One request per line.
    pub requests: String,
}

/// xorshift64*: deterministic and good enough to spread choices.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

fn guid(kind: u16, index: usize) -> String {
    format!("{kind:04x}0000-0000-4000-8000-{index:012x}")
}

fn user(index: usize) -> String {
    guid(0x0a, index)
}

fn group(index: usize) -> String {
    guid(0x0b, index)
}

fn subscription(index: usize) -> String {
    format!("/subscriptions/{}", guid(0x5b, index))
}

fn resource_group(sub: usize, rg: usize) -> String {
    format!("{}/resourceGroups/rg-{rg}", subscription(sub))
}

const OWNER: &str = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
const CONTRIBUTOR: &str = "b24988ac-6180-42a0-ab88-20f7382dd24c";
const READER: &str = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
const VM_CONTRIBUTOR: &str = "9980e02c-c2be-4d73-94e8-173b1dc7cf3c";
const WEBSITE_CONTRIBUTOR: &str = "de139f84-1756-47ae-9be6-808fbbe84772";
const BLOB_READER: &str = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";
const BLOB_CONTRIBUTOR: &str = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
const AI_ACCOUNT_OWNER: &str = "e47c6f54-e4a2-4754-9501-8e0985b135e1";
const AI_USER: &str = "53ca6127-db72-4b80-b1b0-d745d6d5456d";
const RBAC_ADMIN: &str = "f58310d9-a9f6-439a-9e8d-f62e7b41a168";
const KEY_VAULT_SECRETS_USER: &str = "4633458b-17de-408a-b874-0445c86b69e6";

const BLOB_READ: &str = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read";
const BLOB_WRITE: &str = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write";
const TAGS: &str = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags";
const WRITE: &str = "Microsoft.Authorization/roleAssignments/write";
const ROLE_ID: &str = "Microsoft.Authorization/roleAssignments:RoleDefinitionId";

/// A blob tag condition; 50 projects give 50 distinct texts.
fn blob_condition(project: usize) -> String {
    format!(
        "((!(ActionMatches{{'{BLOB_READ}'}} AND NOT SubOperationMatches{{'Blob.List'}})) OR \
         (@Resource[{TAGS}:Project<$key_case_sensitive$>] StringEquals 'project-{project}'))"
    )
}

/// The docs' "allow most roles except Owner, UAA and RBAC Administrator" delegation condition.
const DELEGATION: &str = "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAllValues:GuidNotEquals {8e3af657-a8ff-443c-a75c-2fe8c4bcb635, f58310d9-a9f6-439a-9e8d-f62e7b41a168, 18d7d88d-d35e-4fb5-a5c3-7773c20a72d9})) AND ((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAllValues:GuidNotEquals {8e3af657-a8ff-443c-a75c-2fe8c4bcb635, f58310d9-a9f6-439a-9e8d-f62e7b41a168, 18d7d88d-d35e-4fb5-a5c3-7773c20a72d9}))";

/// One assignment as `az role assignment list` prints it.
fn assignment(
    id: usize,
    principal: &str,
    principal_type: &str,
    role: &str,
    scope: &str,
    condition: Option<String>,
    eligible: bool,
) -> Value {
    let name = guid(0xa5, id);
    let mut value = json!({
        "id": format!("{scope}/providers/Microsoft.Authorization/roleAssignments/{name}"),
        "name": name,
        "principalId": principal,
        "principalType": principal_type,
        "roleDefinitionId": format!("/providers/Microsoft.Authorization/roleDefinitions/{role}"),
        "scope": scope,
        "condition": condition,
        "conditionVersion": condition.as_ref().map(|_| "2.0"),
    });
    if eligible {
        value["assignmentType"] = json!("Eligible");
    }
    value
}

/// A scope at or below a resource group: the group itself, a storage container, a VM, a web
/// app's slot or an AI account.
fn scope_below(rng: &mut Rng, rg: &str) -> String {
    match rng.below(5) {
        0 => rg.to_owned(),
        1 => format!(
            "{rg}/providers/Microsoft.Storage/storageAccounts/st{}/blobServices/default/containers/c{}",
            rng.below(3),
            rng.below(4)
        ),
        2 => format!(
            "{rg}/providers/Microsoft.Compute/virtualMachines/vm{}",
            rng.below(8)
        ),
        3 => format!(
            "{rg}/providers/Microsoft.Web/sites/app{}/slots/staging",
            rng.below(4)
        ),
        _ => format!(
            "{rg}/providers/Microsoft.CognitiveServices/accounts/ai{}",
            rng.below(2)
        ),
    }
}

/// Generates the tenant.
pub fn generate(shape: &Shape) -> Tenant {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);

    // Management groups: root → 10 → 2 each; subscriptions spread over the 20 leaves.
    let leaves = 20;
    let children: Vec<Value> = (0..10)
        .map(|top| {
            let leaf_children: Vec<Value> = (0..2)
                .map(|half| {
                    let leaf = top * 2 + half;
                    let subs: Vec<Value> = (0..shape.subscriptions)
                        .filter(|s| s % leaves == leaf)
                        .map(|s| {
                            json!({"id": subscription(s), "type": "/subscriptions", "children": null})
                        })
                        .collect();
                    json!({"id": format!("/providers/Microsoft.Management/managementGroups/mg-{top}-{half}"),
                           "type": "Microsoft.Management/managementGroups", "children": subs})
                })
                .collect();
            json!({"id": format!("/providers/Microsoft.Management/managementGroups/mg-{top}"),
                   "type": "Microsoft.Management/managementGroups", "children": leaf_children})
        })
        .collect();
    let hierarchy = json!({"id": "/providers/Microsoft.Management/managementGroups/contoso",
                           "type": "Microsoft.Management/managementGroups", "children": children});

    // Groups nest: each group past the first 200 sits in an earlier group, so chains are up
    // to four deep. A user is a direct member of three groups.
    let parent: Vec<Option<usize>> = (0..shape.groups)
        .map(|g| (g >= 200).then(|| rng.below(g / 4 + 1)))
        .collect();
    let transitive = |direct: &[usize]| -> Vec<usize> {
        let mut all = Vec::new();
        for &g in direct {
            let mut current = Some(g);
            while let Some(c) = current {
                if all.contains(&c) {
                    break;
                }
                all.push(c);
                current = parent.get(c).copied().flatten();
            }
        }
        all
    };
    let memberships: Vec<Vec<usize>> = (0..shape.users)
        .map(|_| {
            transitive(&[
                rng.below(shape.groups),
                rng.below(shape.groups),
                rng.below(shape.groups),
            ])
        })
        .collect();

    let mut assignments = Vec::with_capacity(shape.assignments);
    // (principal is a group, principal index, scope, role) of every assignment, to draw
    // requests from.
    let mut placed: Vec<(bool, usize, String, &str)> = Vec::with_capacity(shape.assignments);
    let management_groups = 20;
    for id in 0..shape.assignments {
        let sub = rng.below(shape.subscriptions);
        let rg = resource_group(sub, rng.below(shape.resource_groups));
        let roll = rng.below(100);
        let (to_group, role, scope, condition): (bool, &str, String, Option<String>) =
            if id < management_groups {
                let top = id % 10;
                let scope = format!("/providers/Microsoft.Management/managementGroups/mg-{top}");
                (true, READER, scope, None)
            } else if roll < 2 {
                (false, OWNER, subscription(sub), None)
            } else if roll < 8 {
                let role = [READER, CONTRIBUTOR, VM_CONTRIBUTOR][rng.below(3)];
                (true, role, subscription(sub), None)
            } else if roll < 20 {
                let role = [READER, CONTRIBUTOR, VM_CONTRIBUTOR, WEBSITE_CONTRIBUTOR][rng.below(4)];
                (true, role, rg, None)
            } else if roll < 26 {
                let role = [BLOB_READER, BLOB_CONTRIBUTOR][rng.below(2)];
                (
                    rng.chance(30),
                    role,
                    scope_below(&mut rng, &rg),
                    Some(blob_condition(rng.below(50))),
                )
            } else if roll < 29 {
                (false, RBAC_ADMIN, rg, Some(DELEGATION.to_owned()))
            } else if roll < 32 {
                (false, AI_ACCOUNT_OWNER, rg, None)
            } else {
                let role = [
                    READER,
                    READER,
                    CONTRIBUTOR,
                    VM_CONTRIBUTOR,
                    WEBSITE_CONTRIBUTOR,
                    BLOB_READER,
                    AI_USER,
                    KEY_VAULT_SECRETS_USER,
                ][rng.below(8)];
                (false, role, scope_below(&mut rng, &rg), None)
            };
        let (principal, principal_type, index) = if to_group {
            let g = rng.below(shape.groups);
            (group(g), "Group", g)
        } else {
            let u = rng.below(shape.users);
            (user(u), "User", u)
        };
        let eligible = rng.chance(5);
        assignments.push(assignment(
            id,
            &principal,
            principal_type,
            role,
            &scope,
            condition,
            eligible,
        ));
        placed.push((to_group, index, scope, role));
    }

    // Deny assignments: no deletes in 200 resource groups, for everyone but one group.
    let deny: Vec<Value> = (0..shape.deny_assignments)
        .map(|d| {
            let scope = resource_group(rng.below(shape.subscriptions), rng.below(shape.resource_groups));
            let name = guid(0xde, d);
            json!({
                "id": format!("{scope}/providers/Microsoft.Authorization/denyAssignments/{name}"),
                "name": name,
                "properties": {
                    "denyAssignmentName": format!("deployment stack {d}"),
                    "permissions": [{"actions": ["*/delete"], "notActions": [], "dataActions": [], "notDataActions": []}],
                    "scope": scope,
                    "doNotApplyToChildScopes": false,
                    "principals": [{"id": "00000000-0000-0000-0000-000000000000", "type": "SystemDefined"}],
                    "excludePrincipals": [{"id": group(rng.below(shape.groups)), "type": "Group"}]
                }
            })
        })
        .collect();

    // Requests: a member of an assignment's principal acts at or below its scope, mostly with
    // an action its role family uses, sometimes with one it does not.
    let members_of = |g: usize, rng: &mut Rng| -> usize {
        // Any user whose groups include g; fall back to a random user.
        let start = rng.below(shape.users);
        (0..shape.users)
            .map(|i| (start + i) % shape.users)
            .take(2_000)
            .find(|&u| memberships.get(u).is_some_and(|m| m.contains(&g)))
            .unwrap_or(start)
    };
    let mut requests = String::new();
    for _ in 0..shape.requests {
        let (to_group, index, scope, role) = placed[rng.below(placed.len())].clone();
        let caller = if to_group {
            members_of(index, &mut rng)
        } else {
            index
        };
        let groups: Vec<String> = memberships[caller].iter().map(|&g| group(g)).collect();
        let scope = if scope.contains("/resourceGroups/") && !scope.contains("/providers/") {
            scope_below(&mut rng, &scope)
        } else {
            scope
        };
        let mut request = json!({"principalId": user(caller), "principalType": "User",
                                 "groupIds": groups, "scope": scope});
        match (role, rng.below(10)) {
            (BLOB_READER | BLOB_CONTRIBUTOR, n) if n < 8 => {
                request["dataAction"] = json!(if n < 6 { BLOB_READ } else { BLOB_WRITE });
                request["resource"] =
                    json!({TAGS: {"Project": format!("project-{}", rng.below(50))}});
            }
            (RBAC_ADMIN | AI_ACCOUNT_OWNER | OWNER, n) if n < 7 => {
                request["action"] = json!(WRITE);
                let assigned = [AI_USER, READER, OWNER, CONTRIBUTOR][rng.below(4)];
                request["request"] = json!({ROLE_ID: assigned});
            }
            (_, n) => {
                let actions = [
                    "Microsoft.Compute/virtualMachines/read",
                    "Microsoft.Compute/virtualMachines/write",
                    "Microsoft.Compute/virtualMachines/delete",
                    "Microsoft.Web/sites/slots/write",
                    "Microsoft.CognitiveServices/accounts/write",
                    "Microsoft.Resources/subscriptions/resourceGroups/read",
                    "Microsoft.KeyVault/vaults/write",
                    "Microsoft.Storage/storageAccounts/listKeys/action",
                ];
                request["action"] = json!(actions[n % actions.len()]);
            }
        }
        requests.push_str(&request.to_string());
        requests.push('\n');
    }

    Tenant {
        assignments: Value::Array(assignments).to_string(),
        deny_assignments: json!({"value": deny}).to_string(),
        hierarchy: hierarchy.to_string(),
        requests,
    }
}
