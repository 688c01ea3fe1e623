//! The wildcard Azure leaves open (decision R18): a decision is made by R3, and when a pattern
//! with a `*` between two `/` decided and reading that `*` as also matching no segment would
//! decide the other way, the decision's warnings say so, in the library, in `decide`'s JSON and
//! human output, and in `test`.

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
use azabac::rbac::{AccessRequest, DecisionWarning, World};
use binary::{azabac, code, json};
use serde_json::json;

const NOW: Ticks = Ticks(17_960_832_000_000_000);
const ALICE: &str = "aaaaaaaa-0000-0000-0000-00000000a11c";
const SUB: &str = "/subscriptions/00000000-0000-0000-0000-0000000000aa";
const SCIENTIST: &str = "f6c7c914-8db3-469d-8ca1-694a8f32e121";
const WORKSPACE: &str = "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/ml/providers/Microsoft.MachineLearningServices/workspaces/w1";

fn world() -> World {
    World::builder()
        .assignments(&json!([{"principalId": ALICE, "scope": SUB, "roleDefinitionId": SCIENTIST}]))
        .unwrap()
        .build(Catalog::builtin())
        .unwrap()
}

fn request(action: &str) -> AccessRequest {
    AccessRequest::from_value(
        &json!({"principalId": ALICE, "scope": WORKSPACE, "action": action}),
        Catalog::builtin(),
    )
    .unwrap()
}

/// The role's description and Microsoft's docs say an AzureML Data Scientist cannot create
/// compute, which holds only if `…/computes/*/write` (a NotAction) matches `…/computes/write`.
/// By R3 it does not, so the request is allowed, and the decision says the other reading denies.
#[test]
fn the_data_scientist_creating_compute_is_allowed_with_the_other_reading_named() {
    let world = world();
    let decision = world.decide(
        &request("Microsoft.MachineLearningServices/workspaces/computes/write"),
        NOW,
        false,
    );
    assert!(decision.allowed(), "{}", decision.reason);
    assert_eq!(
        decision.warnings,
        [DecisionWarning::AmbiguousWildcard {
            pattern: "Microsoft.MachineLearningServices/workspaces/computes/*/write".into(),
            role: "AzureML Data Scientist".into(),
            role_id: Some(SCIENTIST.parse().unwrap()),
            other_allows: false,
        }]
    );
    // Requests both readings decide alike carry no warning.
    for action in [
        "Microsoft.MachineLearningServices/workspaces/datastores/read",
        "Microsoft.MachineLearningServices/workspaces/computes/start/write",
        "Microsoft.MachineLearningServices/workspaces/write",
    ] {
        let decision = world.decide(&request(action), NOW, false);
        assert!(
            decision.warnings.is_empty(),
            "{action}: {:?}",
            decision.warnings
        );
    }
}

/// A deny assignment's pattern is read both ways too: by R3 `*/computes/*/delete` does not deny
/// deleting a workspace's compute collection, read the other way it does.
#[test]
fn a_deny_assignments_pattern_is_read_both_ways() {
    let world = World::builder()
        .assignments(&json!([{"principalId": ALICE, "scope": SUB, "roleDefinitionId": "b24988ac-6180-42a0-ab88-20f7382dd24c"}]))
        .unwrap()
        .deny_assignments(&json!([{"id": format!("{SUB}/providers/Microsoft.Authorization/denyAssignments/d0d0d0d0-0000-0000-0000-000000000001"),
            "denyAssignmentName": "protect compute", "scope": SUB,
            "principals": [{"id": "00000000-0000-0000-0000-000000000000"}],
            "permissions": [{"actions": ["Microsoft.MachineLearningServices/workspaces/computes/*/delete"]}]}]))
        .unwrap()
        .build(Catalog::builtin())
        .unwrap();
    let decision = world.decide(
        &request("Microsoft.MachineLearningServices/workspaces/computes/delete"),
        NOW,
        false,
    );
    assert!(decision.allowed(), "{}", decision.reason);
    assert!(
        matches!(&decision.warnings[..], [DecisionWarning::AmbiguousWildcard { role, role_id: None, other_allows: false, .. }] if role == "protect compute"),
        "{:?}",
        decision.warnings
    );
}

/// The warning names the pattern that decides: a deny assignment whose condition does not hold
/// and an eligible assignment decide nothing, however their patterns are read, so the pattern
/// named is the active Data Scientist's NotAction.
#[test]
fn the_warning_names_a_pattern_that_could_decide() {
    let computes = "Microsoft.MachineLearningServices/workspaces/computes/*/write";
    let world = World::builder()
        .assignments(&json!([
            {"principalId": ALICE, "scope": SUB, "roleDefinitionId": "b24988ac-6180-42a0-ab88-20f7382dd24c",
             "eligible": true},
            {"principalId": ALICE, "scope": SUB, "roleDefinitionId": SCIENTIST}]))
        .unwrap()
        .deny_assignments(&json!([{"id": format!("{SUB}/providers/Microsoft.Authorization/denyAssignments/d0d0d0d0-0000-0000-0000-000000000002"),
            "denyAssignmentName": "never applies", "scope": SUB,
            "principals": [{"id": "00000000-0000-0000-0000-000000000000"}],
            "condition": "@Environment[UtcNow] DateTimeLessThan '2000-01-01T00:00:00.0Z'",
            "conditionVersion": "2.0",
            "permissions": [{"actions": [computes]}]}]))
        .unwrap()
        .build(Catalog::builtin())
        .unwrap();
    let decision = world.decide(
        &request("Microsoft.MachineLearningServices/workspaces/computes/write"),
        NOW,
        false,
    );
    assert!(decision.allowed(), "{}", decision.reason);
    assert_eq!(
        decision.warnings,
        [DecisionWarning::AmbiguousWildcard {
            pattern: computes.into(),
            role: "AzureML Data Scientist".into(),
            role_id: Some(SCIENTIST.parse().unwrap()),
            other_allows: false,
        }]
    );
}

/// An assignment whose condition never holds decides nothing under either reading: the warning
/// names the Data Scientist's NotAction, which decided, not the other role's pattern met first.
#[test]
fn the_warning_names_what_decided_the_other_reading() {
    let computes = "Microsoft.MachineLearningServices/workspaces/computes/*/write";
    let probe = "b0b0b0b0-0000-0000-0000-0000000000b1";
    let world = World::builder()
        .roles(
            &json!([{"name": probe, "roleName": "Probe", "roleType": "CustomRole",
            "permissions": [{"actions": [computes]}], "assignableScopes": [SUB]}]),
        )
        .unwrap()
        .assignments(&json!([
            {"principalId": ALICE, "scope": SUB, "roleDefinitionId": probe,
             "condition": "@Environment[UtcNow] DateTimeLessThan '2000-01-01T00:00:00.0Z'",
             "conditionVersion": "2.0"},
            {"principalId": ALICE, "scope": SUB, "roleDefinitionId": SCIENTIST}]))
        .unwrap()
        .build(Catalog::builtin())
        .unwrap();
    let decision = world.decide(
        &request("Microsoft.MachineLearningServices/workspaces/computes/write"),
        NOW,
        false,
    );
    assert!(decision.allowed(), "{}", decision.reason);
    assert!(
        matches!(&decision.warnings[..], [DecisionWarning::AmbiguousWildcard { role, other_allows: false, .. }] if role == "AzureML Data Scientist"),
        "{:?}",
        decision.warnings
    );
}

/// `decide --format json` carries the warning in `warnings`, in the documented shape, and the
/// human output says it under the verdict.
#[test]
fn decide_prints_the_warning_in_both_formats() {
    let dir = std::env::temp_dir().join(format!("azabac-wildcards-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let assignments = dir.join("assignments.json");
    std::fs::write(
        &assignments,
        json!([{"principalId": ALICE, "scope": SUB, "roleDefinitionId": SCIENTIST}]).to_string(),
    )
    .unwrap();
    let request = dir.join("request.json");
    std::fs::write(
        &request,
        json!({"principalId": ALICE, "scope": WORKSPACE,
        "action": "Microsoft.MachineLearningServices/workspaces/computes/write"})
        .to_string(),
    )
    .unwrap();
    let args = |format: &str| {
        azabac(&[
            "decide",
            "--request",
            request.to_str().unwrap(),
            "--assignments",
            assignments.to_str().unwrap(),
            "--now",
            "2026-12-01T00:00:00Z",
            "--format",
            format,
        ])
    };
    let output = args("json");
    assert_eq!(code(&output), 0);
    assert_eq!(
        json(&output)["warnings"],
        json!([{
            "kind": "ambiguousWildcard",
            "message": "`Microsoft.MachineLearningServices/workspaces/computes/*/write` of AzureML Data Scientist decided, and Azure does not document whether its `*` between two `/` matches an empty segment: read that way, the request would be denied",
            "file": null, "path": null,
            "pattern": "Microsoft.MachineLearningServices/workspaces/computes/*/write",
            "role": "AzureML Data Scientist", "roleId": SCIENTIST, "otherReading": "deny"
        }])
    );
    let human = String::from_utf8(args("human").stdout).unwrap();
    assert!(
        human.starts_with("allow: granted by AzureML Data Scientist"),
        "{human}"
    );
    assert!(
        human.lines().nth(1).unwrap().starts_with(
            "  warning: `Microsoft.MachineLearningServices/workspaces/computes/*/write`"
        ),
        "{human}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
