#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

//! The RBAC engine: decisions on the bundled Contoso world and on small worlds that pin each
//! decision of DECISIONS.md (14, R1, R2, R7, R9, R11, R12).

use std::fs;

use azabac::catalog::Catalog;
use azabac::rbac::{AccessRequest, CandidateResult, Decision, InputProblem, Reason, World};
use serde_json::{Value, json};

/// The instant every decision here is made at: 2026-12-01T00:00:00Z, in 100 ns ticks.
const NOW: azabac::eval::Ticks = azabac::eval::Ticks(17_960_832_000_000_000);

const SUB: &str = "/subscriptions/00000000-0000-0000-0000-0000000000aa";
const ALICE: &str = "aaaaaaaa-0000-0000-0000-00000000a11c";
const AI_USER: &str = "53ca6127-db72-4b80-b1b0-d745d6d5456d";
const OWNER: &str = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";

fn catalog() -> &'static Catalog {
    Catalog::builtin()
}

fn file(name: &str) -> Value {
    serde_json::from_str(&fs::read_to_string(format!("corpus/worlds/contoso/{name}")).unwrap())
        .unwrap()
}

fn contoso() -> World {
    World::builder()
        .assignments(&file("assignments.json"))
        .unwrap()
        .deny_assignments(&file("deny-assignments.json"))
        .unwrap()
        .hierarchy(&file("hierarchy.json"))
        .unwrap()
        .build(catalog())
        .unwrap()
}

fn decide<'w>(world: &'w World, request: &Value) -> Decision<'w> {
    world.decide(
        &AccessRequest::from_value(request, catalog()).unwrap(),
        NOW,
        false,
    )
}

#[test]
fn contoso_requests_decide_as_documented() {
    let world = contoso();
    let text = fs::read_to_string("corpus/worlds/contoso/requests.jsonl").unwrap();
    let decisions: Vec<(bool, String)> = text
        .lines()
        .map(|line| {
            let d = decide(&world, &serde_json::from_str(line).unwrap());
            (d.allowed(), d.reason.to_string())
        })
        .collect();
    let expected = [
        (true, "granted by Azure AI Account Owner"),
        (
            false,
            "roles grant action Microsoft.Authorization/roleAssignments/write",
        ),
        (true, "granted by Storage Blob Data Contributor"),
        (false, "roles grant data action"),
        (false, "only PIM-eligible assignments grant"),
        (true, "granted by Reader"),
        (
            false,
            "denied by deny assignment Deployment stack: deny delete in rg1",
        ),
    ];
    assert_eq!(decisions.len(), expected.len());
    for ((allowed, reason), (want, prefix)) in decisions.iter().zip(expected) {
        assert_eq!(*allowed, want, "{reason}");
        assert!(reason.starts_with(prefix), "{reason}");
    }
}

fn write(role: &str) -> Value {
    json!({"principalId": ALICE, "scope": format!("{SUB}/resourceGroups/rg1"),
           "action": "Microsoft.Authorization/roleAssignments/write",
           "request": {"Microsoft.Authorization/roleAssignments:RoleDefinitionId": role}})
}

#[test]
fn ai_account_owner_may_assign_ai_user_and_not_owner() {
    let world = contoso();
    let allowed = decide(&world, &write(AI_USER));
    assert!(allowed.allowed());
    assert_eq!(allowed.candidates.len(), 1);
    assert!(
        allowed.candidates[0]
            .role_condition
            .as_ref()
            .unwrap()
            .result
    );
    let denied = decide(&world, &write(OWNER));
    assert!(!denied.allowed());
    assert_eq!(denied.candidates[0].result, CandidateResult::ConditionFalse);
    // Below the assignment's scope it still applies; beside it, nothing does.
    let mut below = write(AI_USER);
    below["scope"] = json!(format!(
        "{SUB}/resourceGroups/RG1/providers/Microsoft.CognitiveServices/accounts/ai1/"
    ));
    assert!(
        decide(&world, &below).allowed(),
        "scopes ignore case and a trailing /"
    );
    let mut beside = write(AI_USER);
    beside["scope"] = json!(format!("{SUB}/resourceGroups/rg2"));
    let beside = decide(&world, &beside);
    assert!(!beside.allowed());
    assert!(
        matches!(beside.reason, Reason::NotGranted(_))
            && beside.reason.to_string().starts_with("no role grants"),
        "{}",
        beside.reason
    );
}

fn world(assignments: Value, deny: Value) -> World {
    World::builder()
        .assignments(&assignments)
        .unwrap()
        .deny_assignments(&deny)
        .unwrap()
        .build(catalog())
        .unwrap()
}

fn assignment(principal: &str, role: &str, scope: &str) -> Value {
    json!({"principalId": principal, "roleDefinitionId": role, "scope": scope})
}

const CONTRIBUTOR: &str = "b24988ac-6180-42a0-ab88-20f7382dd24c";
const BLOB_READER: &str = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";
const GROUP: &str = "99999999-0000-0000-0000-00000000090a";

#[test]
fn not_actions_subtract_and_planes_stay_apart() {
    // R7: Contributor's notActions take roleAssignments/write back out of `*`.
    let w = world(json!([assignment(ALICE, CONTRIBUTOR, SUB)]), json!([]));
    let mut request = write(AI_USER);
    request["scope"] = json!(SUB);
    assert!(!decide(&w, &request).allowed());
    let read = json!({"principalId": ALICE, "scope": SUB, "action": "Microsoft.Storage/storageAccounts/read"});
    assert!(decide(&w, &read).allowed());
    // R12: Owner's `*` is control plane only; it grants no data action.
    let w = world(json!([assignment(ALICE, OWNER, SUB)]), json!([]));
    let data = json!({"principalId": ALICE, "scope": SUB,
        "dataAction": "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"});
    assert!(!decide(&w, &data).allowed());
    let w = world(json!([assignment(ALICE, BLOB_READER, SUB)]), json!([]));
    assert!(decide(&w, &data).allowed());
    // A catalogue data action asked as a control action is an input error naming the field,
    // and a control action asked as a data action likewise (issue 18, point 8).
    let as_control = json!({"principalId": ALICE, "scope": SUB,
        "action": "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"});
    let error = AccessRequest::from_value(&as_control, catalog()).unwrap_err();
    assert_eq!(error.path, "$.action");
    assert!(
        matches!(
            error.problem,
            InputProblem::WrongPlane {
                field: "dataAction",
                ..
            }
        ),
        "{error}"
    );
    let as_data = json!({"principalId": ALICE, "scope": SUB,
        "dataAction": "Microsoft.Authorization/roleAssignments/write"});
    let error = AccessRequest::from_value(&as_data, catalog()).unwrap_err();
    assert!(
        matches!(
            error.problem,
            InputProblem::WrongPlane {
                field: "action",
                ..
            }
        ),
        "{error}"
    );
    // R12 still decides by the field for an action the catalogue does not know: a custom
    // role's data action asked as a control action is not granted.
    let widgets = json!([{"roleName": "Widget Reader", "name": "0000000b-0000-0000-0000-00000000000b",
        "permissions": [{"dataActions": ["Contoso.Widgets/widgets/read"]}]}]);
    let w = World::builder()
        .roles(&widgets)
        .unwrap()
        .assignments(&json!([{"principalId": ALICE, "role": "Widget Reader", "scope": SUB}]))
        .unwrap()
        .build(catalog())
        .unwrap();
    let read = |field: &str| json!({"principalId": ALICE, "scope": SUB, field: "Contoso.Widgets/widgets/read"});
    assert!(decide(&w, &read("dataAction")).allowed());
    assert!(
        !decide(&w, &read("action")).allowed(),
        "a data action asked as a control action"
    );
}

/// An action is one name: spaces, control characters, wildcards or nothing are errors, never
/// a request that role patterns might match.
#[test]
fn malformed_actions_are_errors() {
    for action in [
        "",
        "Microsoft.Storage/storageAccounts/read ",
        "Microsoft.Storage/*",
        "a\u{0}b",
        "Microsoft Storage/read",
    ] {
        let request = json!({"principalId": ALICE, "scope": SUB, "action": action});
        let error = AccessRequest::from_value(&request, catalog()).unwrap_err();
        assert_eq!(error.path, "$.action", "{action:?}: {error}");
    }
}

fn deny(extra: Value) -> Value {
    let mut deny = json!({"id": "d1", "scope": SUB,
        "permissions": [{"actions": ["*"]}],
        "principals": [{"id": "00000000-0000-0000-0000-000000000000", "type": "SystemDefined"}]});
    for (k, v) in extra.as_object().unwrap() {
        deny[k] = v.clone();
    }
    deny
}

#[test]
fn deny_assignments_scope_principals_exclusions_and_conditions() {
    let read = |scope: String, groups: Value| {
        json!({"principalId": ALICE, "groupIds": groups, "scope": scope,
               "action": "Microsoft.Resources/subscriptions/resourceGroups/read"})
    };
    let grant = json!([assignment(ALICE, OWNER, "/")]);
    let w = world(grant.clone(), json!([deny(json!({}))]));
    let d = decide(&w, &read(format!("{SUB}/resourceGroups/rg"), json!([])));
    assert!(!d.allowed());
    assert_eq!(d.deny().unwrap().id, "d1");
    // doNotApplyToChildScopes: at its scope only.
    let w = world(
        grant.clone(),
        json!([deny(json!({"doNotApplyToChildScopes": true}))]),
    );
    assert!(decide(&w, &read(format!("{SUB}/resourceGroups/rg"), json!([]))).allowed());
    assert!(!decide(&w, &read(SUB.into(), json!([]))).allowed());
    // R1: excluding a group excludes its members.
    let w = world(
        grant.clone(),
        json!([deny(
            json!({"excludePrincipals": [{"id": GROUP, "type": "Group"}]})
        )]),
    );
    assert!(decide(&w, &read(SUB.into(), json!([GROUP]))).allowed());
    assert!(!decide(&w, &read(SUB.into(), json!([]))).allowed());
    // R2: a deny condition that holds denies; one that is false does not; one that fails to
    // evaluate denies (fail closed).
    let condition =
        |text: &str| json!([deny(json!({"condition": text, "conditionVersion": "2.0"}))]);
    let w = world(
        grant.clone(),
        condition("@Environment[isPrivateLink] BoolEquals true"),
    );
    let mut private = read(SUB.into(), json!([]));
    private["environment"] = json!({"isPrivateLink": true});
    assert!(!decide(&w, &private).allowed());
    private["environment"] = json!({"isPrivateLink": false});
    assert!(decide(&w, &private).allowed());
    let w = world(
        grant,
        condition(
            "@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Team_Level] NumericGreaterThan 3",
        ),
    );
    let mut wrong_type = read(SUB.into(), json!([]));
    wrong_type["principal"] =
        json!({"Microsoft.Directory/CustomSecurityAttributes/Id:Team_Level": "high"});
    assert!(
        !decide(&w, &wrong_type).allowed(),
        "an evaluation error makes the deny apply"
    );
}

#[test]
fn role_and_assignment_conditions_combine_with_and() {
    // Decision 14: Azure AI Account Owner's own condition AND the assignment's.
    let mut a = assignment(ALICE, "e47c6f54-e4a2-4754-9501-8e0985b135e1", SUB);
    a["condition"] = json!(
        "@Request[Microsoft.Authorization/roleAssignments:PrincipalType] StringEqualsIgnoreCase 'User'"
    );
    let w = world(json!([a]), json!([]));
    let mut request = write(AI_USER);
    request["scope"] = json!(SUB);
    request["request"]["Microsoft.Authorization/roleAssignments:PrincipalType"] = json!("Group");
    let d = decide(&w, &request);
    assert!(!d.allowed());
    assert!(d.candidates[0].role_condition.as_ref().unwrap().result);
    assert!(!d.candidates[0].condition.as_ref().unwrap().result);
    request["request"]["Microsoft.Authorization/roleAssignments:PrincipalType"] = json!("user");
    assert!(decide(&w, &request).allowed());
    request["request"]["Microsoft.Authorization/roleAssignments:RoleDefinitionId"] = json!(OWNER);
    assert!(
        !decide(&w, &request).allowed(),
        "the role's condition still binds"
    );
}

#[test]
fn management_groups_apply_only_through_the_hierarchy() {
    let mg = "/providers/Microsoft.Management/managementGroups/platform";
    let read = json!({"principalId": ALICE, "scope": SUB, "action": "Microsoft.Resources/subscriptions/read"});
    let flat = World::builder()
        .assignments(&json!([assignment(ALICE, OWNER, mg)]))
        .unwrap();
    assert!(!decide(&flat.build(catalog()).unwrap(), &read).allowed());
    let placed = World::builder()
        .assignments(&json!([assignment(ALICE, OWNER, mg)]))
        .unwrap()
        .hierarchy(&json!({"parents": {"00000000-0000-0000-0000-0000000000aa": "platform"}}))
        .unwrap();
    assert!(decide(&placed.build(catalog()).unwrap(), &read).allowed());
}

#[test]
fn bad_input_is_an_error_with_its_path_never_an_allow() {
    let unknown_role = World::builder()
        .assignments(&json!([assignment(
            ALICE,
            "12345678-1234-1234-1234-123456789012",
            SUB
        )]))
        .unwrap()
        .build(catalog())
        .unwrap_err();
    assert!(
        unknown_role.message().contains("neither built in"),
        "{unknown_role}"
    );
    let mut broken = assignment(ALICE, OWNER, SUB);
    broken["condition"] = json!("@Request[Nope] StringEquals 'x'");
    let error = World::builder()
        .assignments(&json!([broken]))
        .unwrap()
        .build(catalog())
        .unwrap_err();
    assert!(error.message().contains("invalid condition"), "{error}");
    let error = World::builder()
        .assignments(
            &json!([{"principalId": ALICE, "roleDefinitionId": OWNER, "scope": "subscriptions/x"}]),
        )
        .err()
        .unwrap();
    assert_eq!(error.path, "$[0].scope");
    for bad in [
        json!({"scope": SUB, "action": "a"}),
        json!({"principalId": "nope", "scope": SUB, "action": "a"}),
        json!({"principalId": ALICE, "scope": SUB}),
        json!({"principalId": ALICE, "scope": SUB, "action": "a", "groupIds": ["x"]}),
        json!({"principalId": ALICE, "scope": SUB, "action": "a", "color": "red"}),
    ] {
        assert!(AccessRequest::from_value(&bad, catalog()).is_err(), "{bad}");
    }
}

/// Names resolve where the readers read them: principals through `PrincipalNames`, roles by
/// `role` against the roles given so far and the built-in ones. A name that resolves to
/// nothing, or a role given twice over, is an error at its path, never a guess.
#[test]
fn readers_resolve_principal_and_role_names_where_they_read_them() {
    use azabac::rbac::PrincipalNames;
    let mut names = PrincipalNames::new("a name in `principals`");
    names.insert("alice", ALICE.parse().unwrap());
    let custom = json!([{"roleName": "Widget Reader", "name": "0000000a-0000-0000-0000-00000000000a",
        "permissions": [{"actions": ["Contoso.Widgets/widgets/read"]}]}]);
    let build = |assignments: Value, deny: Value| {
        World::builder()
            .principal_names(names.clone())
            .roles(&custom)?
            .assignments(&assignments)?
            .deny_assignments(&deny)?
            .build(catalog())
    };
    let world = build(
        json!([
            {"principalId": "alice", "role": "widget reader", "scope": SUB},
            {"principalId": "alice", "role": "Azure AI User", "scope": SUB}
        ]),
        json!([]),
    )
    .unwrap();
    let roles: Vec<String> = world
        .assignments()
        .map(|a| a.role_definition_id.to_string())
        .collect();
    assert_eq!(roles, ["0000000a-0000-0000-0000-00000000000a", AI_USER]);
    assert!(
        world
            .assignments()
            .all(|a| a.principal_id.to_string() == ALICE)
    );

    let error = |assignments: Value, deny: Value| build(assignments, deny).unwrap_err();
    let unknown = error(
        json!([{"principalId": "bob", "roleDefinitionId": OWNER, "scope": SUB}]),
        json!([]),
    );
    assert_eq!(unknown.path, "$[0].principalId");
    assert!(
        unknown
            .message()
            .contains("neither a GUID nor a name in `principals`")
    );
    let both = error(
        json!([{"principalId": "alice", "roleDefinitionId": OWNER, "role": "Reader", "scope": SUB}]),
        json!([]),
    );
    assert!(
        matches!(
            both.problem,
            InputProblem::Conflict {
                first: "roleDefinitionId",
                second: "role"
            }
        ),
        "{both}"
    );
    let no_role = error(
        json!([{"principalId": "alice", "role": "Widget Writer", "scope": SUB}]),
        json!([]),
    );
    assert_eq!(no_role.path, "$[0].role");
    let denied = error(
        json!([]),
        json!([{"denyAssignmentName": "d", "scope": SUB, "permissions": [{"actions": ["*"]}],
            "principals": [{"id": "carol"}]}]),
    );
    assert_eq!(denied.path, "$[0].principals[0].id");

    // Without names, a principal name is not a GUID.
    let plain = World::builder()
        .assignments(&json!([{"principalId": "alice", "roleDefinitionId": OWNER, "scope": SUB}]));
    assert!(
        plain
            .err()
            .unwrap()
            .message()
            .contains("`alice` is not a GUID")
    );
    let access = json!({"principalId": "alice", "scope": SUB, "action": "Microsoft.Resources/subscriptions/read"});
    assert!(AccessRequest::from_value(&access, catalog()).is_err());
    let named = AccessRequest::from_value_named(&access, catalog(), &names).unwrap();
    assert_eq!(named.principal_id.to_string(), ALICE);
}

/// Decision R16: a role outside its `assignableScopes` cannot be assigned there, whoever asks;
/// `decide` keeps ignoring assignable scopes for existing assignments.
#[test]
fn delegation_honours_assignable_scopes() {
    use azabac::rbac::assignment_write_request;
    let other_sub = "/subscriptions/00000000-0000-0000-0000-0000000000bb";
    let custom = json!([{"roleName": "Widget Reader", "name": "0000000c-0000-0000-0000-00000000000c",
        "assignableScopes": [SUB],
        "permissions": [{"actions": ["Contoso.Widgets/widgets/read"]}]}]);
    let world = World::builder()
        .roles(&custom)
        .unwrap()
        .assignments(&json!([
            {"principalId": ALICE, "roleDefinitionId": OWNER, "scope": "/"},
            // An existing assignment outside the role's assignable scopes still grants.
            {"principalId": ALICE, "role": "Widget Reader", "scope": other_sub}
        ]))
        .unwrap()
        .build(catalog())
        .unwrap();
    let role = world.find_role("Widget Reader").unwrap();
    let assign = |scope: &str| AccessRequest {
        principal_id: ALICE.parse().unwrap(),
        principal_type: None,
        group_ids: Vec::new(),
        scope: azabac::rbac::Scope::parse(scope).unwrap(),
        request: assignment_write_request(role.id, Some(ALICE.parse().unwrap()), None),
    };
    let inside = world.decide_assignment(
        &assign(&format!("{SUB}/resourceGroups/rg")),
        role,
        NOW,
        false,
    );
    assert!(inside.allowed(), "{}", inside.reason);
    let outside = world.decide_assignment(&assign(other_sub), role, NOW, false);
    assert!(!outside.allowed());
    assert!(matches!(outside.reason, Reason::NotAssignable { .. }));
    assert!(
        outside.reason.to_string().contains("assignable scopes are"),
        "{}",
        outside.reason
    );
    // Built-in roles are assignable at `/` and so everywhere.
    let owner = world.find_role(OWNER).unwrap();
    let mut anywhere = assign(other_sub);
    anywhere.request = assignment_write_request(owner.id, Some(ALICE.parse().unwrap()), None);
    assert!(
        world
            .decide_assignment(&anywhere, owner, NOW, false)
            .allowed()
    );
    // The existing assignment outside the assignable scopes decides as Azure decides it.
    let read =
        json!({"principalId": ALICE, "scope": other_sub, "action": "Contoso.Widgets/widgets/read"});
    let only_custom = World::builder()
        .roles(&custom)
        .unwrap()
        .assignments(&json!([{"principalId": ALICE, "role": "Widget Reader", "scope": other_sub}]))
        .unwrap()
        .build(catalog())
        .unwrap();
    assert!(decide(&only_custom, &read).allowed());
}

/// A name that matches assignments at two scopes names none of them alone.
#[test]
fn an_assignment_name_can_match_several_assignments() {
    let name = "0000000d-0000-0000-0000-00000000000d";
    let world = World::builder()
        .assignments(&json!([
            {"id": format!("{SUB}/providers/Microsoft.Authorization/roleAssignments/{name}"),
             "principalId": ALICE, "roleDefinitionId": OWNER},
            {"id": format!("{SUB}/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/{name}"),
             "principalId": ALICE, "roleDefinitionId": OWNER}
        ]))
        .unwrap()
        .build(catalog())
        .unwrap();
    assert_eq!(world.find_assignments(name).count(), 2);
    assert_eq!(
        world
            .find_assignments(&format!(
                "{SUB}/providers/Microsoft.Authorization/roleAssignments/{name}"
            ))
            .count(),
        1
    );
}

/// Decision R17: an audit-only deny assignment blocks nothing and is reported; an unknown
/// effect is an error.
#[test]
fn audit_only_deny_assignments_do_not_block() {
    let read = json!({"principalId": ALICE, "scope": SUB, "action": "Microsoft.Storage/storageAccounts/read"});
    let audit = json!([{"id": "d-audit", "scope": SUB, "denyAssignmentEffect": "Audit",
        "principals": [{"id": ALICE}], "permissions": [{"actions": ["*/read"]}]}]);
    let w = World::builder()
        .assignments(&json!([assignment(ALICE, OWNER, SUB)]))
        .unwrap()
        .deny_assignments(&audit)
        .unwrap()
        .build(catalog())
        .unwrap();
    let d = decide(&w, &read);
    assert!(d.allowed(), "{}", d.reason);
    assert_eq!(d.audited.len(), 1);
    assert_eq!(d.audited[0].id, "d-audit");
    let view = azabac::report::json::decision(&d, false);
    assert_eq!(view["audited"][0]["id"], "d-audit");
    let bad = json!([{"id": "d", "scope": SUB, "denyAssignmentEffect": "warn",
        "principals": [{"id": ALICE}], "permissions": [{"actions": ["*"]}]}]);
    let error = World::builder().deny_assignments(&bad).err().unwrap();
    assert!(
        matches!(error.problem, InputProblem::DenyEffect(_)),
        "{error}"
    );
}

/// A deny assignment at a management group reaches a subscription only through the hierarchy:
/// without a hierarchy that places the subscription, a deny that names the caller and the
/// action makes the decision an input error, never an allow; with one, it applies or not.
#[test]
fn a_management_group_deny_that_cannot_be_placed_is_an_input_error() {
    let group = "/providers/Microsoft.Management/managementGroups/corp";
    let deny = json!([{"id": "d-mg", "scope": group, "principals": [{"id": ALICE}],
        "permissions": [{"actions": ["*"]}]}]);
    let read = json!({"principalId": ALICE, "scope": SUB, "action": "Microsoft.Storage/storageAccounts/read"});
    let build = |hierarchy: Option<Value>| {
        let mut builder = World::builder()
            .assignments(&json!([assignment(ALICE, OWNER, SUB)]))
            .unwrap()
            .deny_assignments(&deny)
            .unwrap();
        if let Some(hierarchy) = hierarchy {
            builder = builder.hierarchy(&hierarchy).unwrap();
        }
        builder.build(catalog()).unwrap()
    };
    let unplaced = build(None);
    assert_eq!(
        unplaced.unplaced_denies().count(),
        1,
        "a warning, whatever is asked"
    );
    let d = decide(&unplaced, &read);
    assert!(!d.allowed());
    assert!(d.is_input_error());
    assert!(
        d.reason.to_string().contains("no hierarchy places"),
        "{}",
        d.reason
    );
    // Another caller is not named by the deny: decided as usual.
    let other = json!({"principalId": "bbbbbbbb-0000-0000-0000-0000000000b0", "scope": SUB,
        "action": "Microsoft.Storage/storageAccounts/read"});
    assert!(!decide(&unplaced, &other).is_input_error());
    // Placed under the group, the deny applies; placed elsewhere, it does not.
    // In any spelling of `parents` (decision R14): two spellings are an error.
    for parents in [
        json!({"parents": {SUB: "corp"}}),
        json!({"Parents": {SUB: "corp"}}),
    ] {
        let under = build(Some(parents));
        assert_eq!(under.unplaced_denies().count(), 0);
        assert!(matches!(decide(&under, &read).reason, Reason::Denied(_)));
    }
    // The REST response of `GET …/managementGroups/corp?$expand=children&$recurse=true` keeps
    // the root's children in its `properties`; a node with both is refused.
    let mg = "/providers/Microsoft.Management/managementGroups/corp";
    let rest = json!({"id": mg, "type": "Microsoft.Management/managementGroups", "name": "corp",
        "properties": {"displayName": "Corp", "children": [
            {"id": SUB, "type": "/subscriptions", "name": "00000000-0000-0000-0000-0000000000aa"}]}});
    let under = build(Some(rest.clone()));
    assert_eq!(under.unplaced_denies().count(), 0);
    assert!(matches!(decide(&under, &read).reason, Reason::Denied(_)));
    let mut both = rest;
    both["children"] = json!([]);
    let error = World::builder().hierarchy(&both).err().unwrap();
    assert!(
        matches!(error.problem, InputProblem::Conflict { .. }),
        "{error}"
    );
    let twice = World::builder()
        .hierarchy(&json!({"parents": {SUB: "corp"}, "PARENTS": {}}))
        .err()
        .unwrap();
    assert!(
        matches!(twice.problem, InputProblem::KeysDifferInCase { .. }),
        "{twice}"
    );
    let elsewhere = build(Some(json!({"parents": {SUB: "other", "other": "root"}})));
    assert!(decide(&elsewhere, &read).allowed());
}

/// Decision R13: an attribute Azure supplies on every request of an action (a blob's container
/// name, the role a write assigns) never reads as absent in a decision: a request that omits it
/// while a condition reads it is an input error. One Azure may leave out (`PrincipalType` in
/// the PUT body) reads as absent, as Azure reads it.
#[test]
fn an_attribute_azure_always_supplies_is_never_absent_in_a_decision() {
    let container = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name]";
    let world = World::builder()
        .assignments(&json!([{"principalId": ALICE, "roleDefinitionId": BLOB_READER, "scope": SUB,
            "condition": format!("{container} StringNotEquals 'secret'"), "conditionVersion": "2.0"}]))
        .unwrap()
        .build(catalog())
        .unwrap();
    let read = |resource: Value| {
        json!({"principalId": ALICE, "scope": SUB, "resource": resource,
            "dataAction": "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"})
    };
    let omitted = decide(&world, &read(json!({})));
    assert!(omitted.is_input_error(), "{}", omitted.reason);
    assert!(!omitted.allowed());
    assert!(
        omitted.reason.to_string().contains(container),
        "{}",
        omitted.reason
    );
    let given =
        read(json!({"Microsoft.Storage/storageAccounts/blobServices/containers:name": "logs"}));
    assert!(decide(&world, &given).allowed());
    // An action for which Azure does not supply it is decided as usual.
    let account = json!({"principalId": ALICE, "scope": SUB, "action": "Microsoft.Storage/storageAccounts/read"});
    assert!(!decide(&world, &account).is_input_error());

    // `PrincipalType` may be left out of a role assignment's PUT body: absent, the guard is
    // false, as in Azure.
    let guard = "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR \
        (@Request[Microsoft.Authorization/roleAssignments:PrincipalType] StringEqualsIgnoreCase 'ServicePrincipal'))";
    let delegation = World::builder()
        .assignments(
            &json!([{"principalId": ALICE, "roleDefinitionId": OWNER, "scope": SUB,
            "condition": guard, "conditionVersion": "2.0"}]),
        )
        .unwrap()
        .build(catalog())
        .unwrap();
    let write = json!({"principalId": ALICE, "scope": SUB,
        "action": "Microsoft.Authorization/roleAssignments/write",
        "request": {"Microsoft.Authorization/roleAssignments:RoleDefinitionId": AI_USER,
            "Microsoft.Authorization/roleAssignments:PrincipalId": ALICE}});
    let d = decide(&delegation, &write);
    assert!(!d.is_input_error(), "{}", d.reason);
    assert!(
        matches!(d.reason, Reason::ConditionsFalse(_)),
        "{}",
        d.reason
    );
}

/// Decision R13: a decision is made at `now`, which is `@Environment[UtcNow]` for every
/// condition; a request that gives another `UtcNow` is an input error, never a second clock.
#[test]
fn decisions_read_the_time_they_are_given() {
    let until_2027 = "@Environment[UtcNow] DateTimeLessThan '2027-01-01T00:00:00.0Z'";
    let world = World::builder()
        .assignments(
            &json!([{"principalId": ALICE, "roleDefinitionId": OWNER, "scope": SUB,
            "condition": until_2027, "conditionVersion": "2.0"}]),
        )
        .unwrap()
        .build(catalog())
        .unwrap();
    let read = json!({"principalId": ALICE, "scope": SUB, "action": "Microsoft.Storage/storageAccounts/read"});
    let access = AccessRequest::from_value(&read, catalog()).unwrap();
    let at = |text: &str| azabac::eval::Ticks::parse(text).unwrap();
    let in_2026 = world.decide(&access, at("2026-12-01T00:00:00Z"), false);
    assert!(in_2026.allowed(), "{}", in_2026.reason);
    assert_eq!(in_2026.now.to_string(), "2026-12-01T00:00:00Z");
    assert!(
        !world
            .decide(&access, at("2027-06-01T00:00:00Z"), false)
            .allowed()
    );
    // A request's own UtcNow must be the decision's time.
    let mut given = read.clone();
    given["environment"] = json!({"UtcNow": "2026-12-01T00:00:00Z"});
    let given = AccessRequest::from_value(&given, catalog()).unwrap();
    assert!(
        world
            .decide(&given, at("2026-12-01T00:00:00Z"), false)
            .allowed()
    );
    let disagrees = world.decide(&given, at("2027-06-01T00:00:00Z"), false);
    assert!(disagrees.is_input_error());
    assert!(matches!(disagrees.reason, Reason::ClockDisagrees { .. }));
    assert!(!disagrees.allowed());
    let view = azabac::report::json::decision(&in_2026, false);
    assert_eq!(view["now"], "2026-12-01T00:00:00Z");
}

/// Decision R14 and issue 18, point 3: an export that says it is incomplete is refused, naming
/// the field; an `az graph query` result is read by its rows; two keys equal ignoring case in
/// one object are an error, since ARM reads keys ignoring case.
#[test]
fn incomplete_or_ambiguous_exports_are_errors() {
    let row = json!({"id": format!("{SUB}/providers/Microsoft.Authorization/roleAssignments/0000000e-0000-0000-0000-00000000000e"),
        "type": "microsoft.authorization/roleassignments",
        "properties": {"principalId": ALICE, "roleDefinitionId": OWNER, "scope": SUB}});
    let page =
        json!({"value": [row.clone()], "nextLink": "https://management.azure.com/…&$skiptoken=x"});
    let error = World::builder().assignments(&page).err().unwrap();
    assert_eq!(error.path, "$.nextLink");
    assert!(matches!(error.problem, InputProblem::Incomplete(_)));
    let last_page = json!({"value": [row.clone()], "nextLink": null});
    assert!(World::builder().assignments(&last_page).is_ok());

    let graph = |skip: Value, total: u64| json!({"count": 1, "data": [row.clone()], "skip_token": skip, "total_records": total});
    let world = World::builder()
        .assignments(&graph(Value::Null, 1))
        .unwrap()
        .build(catalog())
        .unwrap();
    assert_eq!(world.assignments().len(), 1);
    let error = World::builder()
        .assignments(&graph(json!("abc"), 1))
        .err()
        .unwrap();
    assert_eq!(error.path, "$.skip_token");
    let error = World::builder()
        .assignments(&graph(Value::Null, 5))
        .err()
        .unwrap();
    assert_eq!(error.path, "$.total_records");

    let twice =
        json!([{"principalId": ALICE, "roleDefinitionId": OWNER, "scope": SUB, "Scope": "/"}]);
    let error = World::builder().assignments(&twice).err().unwrap();
    assert!(
        matches!(error.problem, InputProblem::KeysDifferInCase { .. }),
        "{error}"
    );
    let nested = json!([{"id": "a", "properties": {"principalId": ALICE, "roleDefinitionId": OWNER,
        "scope": SUB, "condition": "x", "Condition": "y"}}]);
    let error = World::builder().assignments(&nested).err().unwrap();
    assert_eq!(error.path, "$[0].properties");
}

/// Decision R15 and issue 18, point 7: an assignment whose `id` and `scope` disagree, a role
/// definition id that is not one, and a hierarchy child that is neither a management group nor
/// a subscription are errors, never one reading picked.
#[test]
fn scopes_and_ids_are_read_exactly() {
    let id = format!(
        "{SUB}/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/00000011-0000-0000-0000-000000000011"
    );
    let disagree =
        json!([{"id": id, "principalId": ALICE, "roleDefinitionId": OWNER, "scope": SUB}]);
    let error = World::builder().assignments(&disagree).err().unwrap();
    assert!(
        matches!(error.problem, InputProblem::IdScopeMismatch { .. }),
        "{error}"
    );
    let agree = json!([{"id": id, "principalId": ALICE, "roleDefinitionId": OWNER,
        "scope": format!("{SUB}/resourcegroups/RG/")}]);
    assert!(
        World::builder().assignments(&agree).is_ok(),
        "scopes compare ignoring case"
    );

    for role in [
        format!(
            "{SUB}/providers/Microsoft.Authorization/roleDefinitions/../roleDefinitions/{OWNER}"
        ),
        format!("/x/y/{OWNER}"),
        format!("{SUB}/providers/Microsoft.Authorization/roleDefinitions/{OWNER}/extra"),
    ] {
        let bad = json!([{"principalId": ALICE, "roleDefinitionId": role, "scope": SUB}]);
        let error = World::builder().assignments(&bad).err().unwrap();
        assert!(
            matches!(error.problem, InputProblem::RoleDefinitionId(_)),
            "{role}: {error}"
        );
    }
    for role in [
        OWNER.to_owned(),
        format!("/providers/Microsoft.Authorization/roleDefinitions/{OWNER}"),
        format!("{SUB}/providers/Microsoft.Authorization/roleDefinitions/{OWNER}"),
    ] {
        let good = json!([{"principalId": ALICE, "roleDefinitionId": role, "scope": SUB}]);
        assert!(World::builder().assignments(&good).is_ok(), "{role}");
    }

    for child in [
        "/",
        "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg",
    ] {
        let hierarchy = json!({"parents": {child: "corp"}});
        let error = World::builder().hierarchy(&hierarchy).err().unwrap();
        assert!(
            matches!(error.problem, InputProblem::NotAGroupChild(_)),
            "{child}: {error}"
        );
    }
}

/// Decision R15: tenant-level provider scopes and service groups are scopes. An assignment at
/// `/providers/Microsoft.Capacity` reaches its reservation orders and nothing under a
/// subscription; one at a service group reaches no subscription.
#[test]
fn tenant_level_scopes_and_service_groups() {
    let capacity = "/providers/Microsoft.Capacity";
    let group = "/providers/Microsoft.Management/serviceGroups/sg";
    let world = World::builder()
        .assignments(&json!([
            assignment(ALICE, OWNER, capacity),
            assignment("bbbbbbbb-0000-0000-0000-0000000000b0", OWNER, group)
        ]))
        .unwrap()
        .build(catalog())
        .unwrap();
    let read = |who: &str, scope: &str| json!({"principalId": who, "scope": scope, "action": "Microsoft.Capacity/reservationOrders/read"});
    assert!(
        decide(
            &world,
            &read(ALICE, "/providers/Microsoft.Capacity/reservationOrders/r1")
        )
        .allowed()
    );
    assert!(decide(&world, &read(ALICE, capacity)).allowed());
    assert!(!decide(&world, &read(ALICE, SUB)).allowed());
    let bob = "bbbbbbbb-0000-0000-0000-0000000000b0";
    assert!(decide(&world, &read(bob, group)).allowed());
    assert!(!decide(&world, &read(bob, SUB)).allowed());
    assert!(!decide(&world, &read(bob, &format!("{SUB}/resourceGroups/rg"))).allowed());
}
