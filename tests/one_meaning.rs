//! One resource, one meaning (decision R20): copies of one assignment that are equal after
//! reading are read as one, copies that differ are an error naming both places; role names are
//! unique in a tenant, so a custom role named as another role (a built-in one included) is an
//! input error and a name never resolves to one of two roles.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

#[path = "support/binary.rs"]
mod binary;

use azabac::catalog::Catalog;
use azabac::eval::Ticks;
use azabac::rbac::{AccessRequest, InputProblem, World};
use binary::{azabac, code};
use serde_json::{Value, json};

const SUB: &str = "/subscriptions/00000000-0000-0000-0000-0000000000aa";
const ALICE: &str = "aaaaaaaa-0000-0000-0000-00000000a11c";
const NOW: Ticks = Ticks(17_960_832_000_000_000);

fn assignment(condition: Option<&str>) -> Value {
    json!({
        "id": format!("{SUB}/providers/Microsoft.Authorization/roleAssignments/0c0c0c0c-0000-0000-0000-000000000001"),
        "principalId": ALICE,
        "principalType": "User",
        "roleDefinitionId": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
        "scope": SUB,
        "condition": condition,
        "conditionVersion": condition.map(|_| "2.0"),
    })
}

const CONDITION: &str = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'))";

fn read_blob(container: &str) -> AccessRequest {
    AccessRequest::from_value(
        &json!({
            "principalId": ALICE,
            "scope": format!("{SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa/blobServices/default/containers/{container}"),
            "dataAction": "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
            "resource": {"Microsoft.Storage/storageAccounts/blobServices/containers:name": container},
        }),
        Catalog::builtin(),
    )
    .unwrap()
}

#[test]
fn equal_copies_of_one_assignment_are_one() {
    let one = assignment(Some(CONDITION));
    let mut upper = one.clone();
    upper["id"] = json!(
        one["id"]
            .as_str()
            .unwrap()
            .to_uppercase()
            .replace("/SUBSCRIPTIONS/", "/subscriptions/")
    );
    let world = World::builder()
        .assignments(&json!([one.clone(), upper]))
        .unwrap()
        .assignments(&json!([one]))
        .unwrap()
        .build(Catalog::builtin())
        .unwrap();
    assert_eq!(world.assignments().len(), 1);
    assert!(world.decide(&read_blob("logs"), NOW, false).allowed());
    assert!(!world.decide(&read_blob("secret"), NOW, false).allowed());
}

/// Two copies of one assignment id, one without its condition: both used to grant, so the
/// copy without the condition opened every container. Now it is an error naming both places.
#[test]
fn differing_copies_of_one_assignment_are_an_error_naming_both() {
    let error = World::builder()
        .file("a.json")
        .assignments(&json!([assignment(Some(CONDITION))]))
        .unwrap()
        .file("b.json")
        .assignments(&json!([assignment(None)]))
        .err()
        .unwrap();
    assert_eq!(error.path, "$[0]");
    assert!(
        matches!(&error.problem, InputProblem::CopiesDiffer { first, .. } if first == "a.json $[0]"),
        "{error}"
    );
    // The command line names both files.
    let dir = std::env::temp_dir().join(format!("azabac-copies-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (a, b) = (dir.join("a.json"), dir.join("b.json"));
    std::fs::write(&a, json!([assignment(Some(CONDITION))]).to_string()).unwrap();
    std::fs::write(&b, json!([assignment(None)]).to_string()).unwrap();
    let output = azabac(&[
        "can-assign",
        "--as",
        ALICE,
        "--role",
        "Reader",
        "--to",
        ALICE,
        "--scope",
        SUB,
        "--assignments",
        a.to_str().unwrap(),
        "--assignments",
        b.to_str().unwrap(),
    ]);
    assert_eq!(code(&output), 1);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("b.json") && stderr.contains("a.json $[0]"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn differing_copies_of_one_deny_assignment_are_an_error() {
    let deny = |actions: &str| {
        json!({"id": format!("{SUB}/providers/Microsoft.Authorization/denyAssignments/d0d0d0d0-0000-0000-0000-000000000001"),
               "scope": SUB, "principals": [{"id": "00000000-0000-0000-0000-000000000000"}],
               "permissions": [{"actions": [actions]}]})
    };
    let same = World::builder()
        .deny_assignments(&json!([deny("*/delete"), deny("*/delete")]))
        .unwrap()
        .build(Catalog::builtin())
        .unwrap();
    assert!(same.assignments().len() == 0);
    let error = World::builder()
        .deny_assignments(&json!([deny("*/delete"), deny("*/write")]))
        .err()
        .unwrap();
    assert!(
        matches!(
            error.problem,
            InputProblem::CopiesDiffer {
                kind: "deny assignment",
                ..
            }
        ),
        "{error}"
    );
}

fn custom(name: &str, guid: &str) -> Value {
    json!({"name": guid, "roleName": name, "roleType": "CustomRole",
           "permissions": [{"actions": ["Microsoft.Storage/storageAccounts/read"], "notActions": [],
                            "dataActions": [], "notDataActions": []}],
           "assignableScopes": [SUB]})
}

/// In 2026 a custom role named `Owner` passed the documented "not Owner, UAA or RBAC
/// Administrator" delegation condition by name. Azure keeps role names unique in a tenant, so
/// such a role is an input error, and so are two custom roles of one name.
#[test]
fn a_role_named_as_another_role_is_an_input_error() {
    let owner = World::builder()
        .roles(&json!([custom(
            "Owner",
            "11111111-0000-0000-0000-000000000001"
        )]))
        .err()
        .unwrap();
    assert!(
        matches!(&owner.problem, InputProblem::RoleNameTaken { other, .. } if other.contains("8e3af657-a8ff-443c-a75c-2fe8c4bcb635")),
        "{owner}"
    );
    let twice = World::builder()
        .file("roles.json")
        .roles(&json!([
            custom("Data Thing", "11111111-0000-0000-0000-000000000001"),
            custom("data thing", "11111111-0000-0000-0000-000000000002"),
        ]))
        .err()
        .unwrap();
    assert_eq!(twice.path, "$[1]");
    assert!(twice.to_string().contains("roles.json $[0]"), "{twice}");
    // A full export repeats every built-in role under its own GUID: still valid, and so are
    // two copies of one custom role.
    let owner_copy = json!({"name": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "roleName": "Owner",
        "roleType": "BuiltInRole", "permissions": [{"actions": ["*"]}], "assignableScopes": ["/"]});
    World::builder().roles(&json!([owner_copy])).unwrap();
    World::builder()
        .roles(&json!([
            custom("Data Thing", "11111111-0000-0000-0000-000000000001"),
            custom("Data Thing", "11111111-0000-0000-0000-000000000001")
        ]))
        .unwrap();
}
