#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

//! PIM exactly (decision R11), read from the shapes the ARM REST API prints
//! (`corpus/exports/pim/`): eligibilities grant nothing, assignment schedules grant only inside
//! their window and only when provisioned, an instance governs the role assignment it stands
//! for, and schedule requests and contradictory markings are errors.

use azabac::catalog::Catalog;
use azabac::eval::Ticks;
use azabac::rbac::{AccessRequest, CandidateResult, InputProblem, Reason, World};
use serde_json::{Value, json};

const SUB: &str = "/subscriptions/dfa2a084-766f-4003-8ae1-c4aeb893a99f";
const USER: &str = "a3bb8764-cb92-4276-9d2a-ca1e895e55ea";
const ORIGIN: &str = "/subscriptions/dfa2a084-766f-4003-8ae1-c4aeb893a99f/providers/Microsoft.Authorization/roleAssignments/c9e264ff-3133-4776-a81a-ebc7c33c8ec6";

fn export(name: &str) -> Value {
    let text = std::fs::read_to_string(format!("corpus/exports/pim/{name}.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn at(text: &str) -> Ticks {
    Ticks::parse(text).unwrap()
}

fn world(files: &[Value]) -> World {
    let mut builder = World::builder();
    for file in files {
        builder = builder.assignments(file).unwrap();
    }
    builder.build(Catalog::builtin()).unwrap()
}

fn read_storage() -> AccessRequest {
    let request = json!({"principalId": USER, "scope": SUB, "action": "Microsoft.Storage/storageAccounts/read"});
    AccessRequest::from_value(&request, Catalog::builtin()).unwrap()
}

#[test]
fn an_activated_instance_grants_only_inside_its_window() {
    let world = world(&[export("role-assignment-schedule-instances")]);
    let access = read_storage();
    let during = world.decide(&access, at("2026-12-01T12:00:00Z"), false);
    assert!(during.allowed(), "{}", during.reason);
    for outside in [
        "2026-12-01T08:59:59Z",
        "2026-12-01T17:00:00.91Z",
        "2026-12-02T00:00:00Z",
    ] {
        let decision = world.decide(&access, at(outside), false);
        assert!(!decision.allowed(), "{outside}: {}", decision.reason);
        assert!(
            matches!(decision.reason, Reason::OnlyInactive(_)),
            "{}",
            decision.reason
        );
        assert_eq!(decision.candidates[0].result, CandidateResult::Inactive);
    }
}

/// PowerShell 7 writes a schedule's times with the machine's offset (decision R19): the same
/// instants with `+05:00` decide as the UTC ones, and a time without an offset is an error.
#[test]
fn times_with_an_offset_are_the_instants_they_name() {
    let text = serde_json::to_string(&export("role-assignment-schedule-instances")).unwrap();
    let shifted = text
        .replace("2026-12-01T09:00:00.91Z", "2026-12-01T14:00:00.91+05:00")
        .replace("2026-12-01T17:00:00.91Z", "2026-12-01T22:00:00.91+05:00");
    let world = world(&[serde_json::from_str(&shifted).unwrap()]);
    let access = read_storage();
    assert!(
        world
            .decide(&access, at("2026-12-01T12:00:00Z"), false)
            .allowed()
    );
    assert!(
        !world
            .decide(&access, at("2026-12-01T17:00:00.91Z"), false)
            .allowed()
    );
    assert!(
        !world
            .decide(&access, at("2026-12-01T08:59:59Z"), false)
            .allowed()
    );
    let local = text.replace("2026-12-01T17:00:00.91Z", "2026-12-01T17:00:00.91");
    let error = World::builder()
        .assignments(&serde_json::from_str(&local).unwrap())
        .err()
        .unwrap();
    assert!(error.path.ends_with(".endDateTime"), "{error}");
}

#[test]
fn an_instance_governs_the_role_assignment_it_stands_for() {
    // The plain role assignment an activation creates, as `az role assignment list` prints it:
    // read alone it would grant at any time; beside its instance, the instance's window rules.
    let plain = json!([{"id": ORIGIN, "principalId": USER, "scope": SUB,
        "roleDefinitionId": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"}]);
    let alone = world(std::slice::from_ref(&plain));
    let after = at("2026-12-02T00:00:00Z");
    assert!(alone.decide(&read_storage(), after, false).allowed());
    let both = world(&[plain, export("role-assignment-schedule-instances")]);
    assert!(!both.decide(&read_storage(), after, false).allowed());
    assert_eq!(
        both.assignments().len(),
        1,
        "the instance stands for the assignment"
    );
}

#[test]
fn eligibilities_grant_nothing() {
    let world = world(&[export("role-eligibility-schedule-instances")]);
    let decision = world.decide(&read_storage(), at("2026-12-01T12:00:00Z"), false);
    assert!(!decision.allowed());
    assert!(matches!(decision.reason, Reason::OnlyEligible(_)));
}

#[test]
fn a_schedule_that_is_not_provisioned_grants_nothing() {
    let mut instances = export("role-assignment-schedule-instances");
    instances["value"][0]["properties"]["status"] = json!("PendingProvisioning");
    let world = world(&[instances]);
    assert!(
        !world
            .decide(&read_storage(), at("2026-12-01T12:00:00Z"), false)
            .allowed()
    );
}

#[test]
fn schedule_requests_and_contradictions_are_errors() {
    let requests = World::builder()
        .assignments(&export("role-assignment-schedule-requests"))
        .err()
        .unwrap();
    assert_eq!(requests.path, "$.value[0].properties");
    assert!(matches!(requests.problem, InputProblem::ScheduleRequest));

    let mut eligible_active = export("role-eligibility-schedule-instances");
    eligible_active["value"][0]["properties"]["assignmentType"] = json!("Assigned");
    let error = World::builder()
        .assignments(&eligible_active)
        .err()
        .unwrap();
    assert!(
        matches!(error.problem, InputProblem::Contradiction(_)),
        "{error}"
    );

    let mut schedule_eligible = export("role-assignment-schedule-instances");
    schedule_eligible["value"][0]["properties"]["eligible"] = json!(true);
    let error = World::builder()
        .assignments(&schedule_eligible)
        .err()
        .unwrap();
    assert!(
        matches!(error.problem, InputProblem::Contradiction(_)),
        "{error}"
    );

    let plain_both = json!([{"id": ORIGIN, "principalId": USER, "scope": SUB, "eligible": false,
        "assignmentType": "Eligible", "roleDefinitionId": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"}]);
    let error = World::builder().assignments(&plain_both).err().unwrap();
    assert!(
        matches!(error.problem, InputProblem::Contradiction(_)),
        "{error}"
    );

    let mut no_status = export("role-assignment-schedule-instances");
    no_status["value"][0]["properties"]
        .as_object_mut()
        .unwrap()
        .remove("status");
    let error = World::builder().assignments(&no_status).err().unwrap();
    assert!(
        matches!(
            error.problem,
            InputProblem::Missing {
                field: "status",
                ..
            }
        ),
        "{error}"
    );

    let mut bad_time = export("role-assignment-schedule-instances");
    bad_time["value"][0]["properties"]["endDateTime"] = json!("tomorrow");
    let error = World::builder().assignments(&bad_time).err().unwrap();
    assert_eq!(error.path, "$.value[0].properties.endDateTime");
}

/// `az rest … --query value[].properties` keeps each item's properties and drops its `id` and
/// `type` (decision R20): an activated assignment schedule instance then looks like a plain,
/// permanent role assignment. Its PIM keys say it is not one, so it is refused with the fix;
/// the export whole reads, and so does a plain item with no PIM key.
#[test]
fn properties_only_pim_items_are_refused_not_read_as_assignments() {
    let whole = export("role-assignment-schedule-instances");
    let properties_only = json!([whole["value"][0]["properties"].clone()]);
    let error = World::builder()
        .assignments(&properties_only)
        .err()
        .unwrap();
    assert_eq!(error.path, "$[0]");
    assert!(
        matches!(&error.problem, InputProblem::KindNotSettled { keys } if keys.iter().any(|k| k == "status")),
        "{error}"
    );
    assert!(error.to_string().contains("`id` and `type`"), "{error}");
    world(&[whole]);
    let plain = json!([{"principalId": USER, "principalType": "User", "scope": SUB,
        "roleDefinitionId": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"}]);
    world(&[plain]);
}

/// PowerShell prints the schedule instance flat, with capitalised keys (`Id`, `Type`,
/// `Status`) and times in the machine's offset: read in any spelling (decision R14), it is the
/// activated schedule it is, granting only inside its window, never a permanent assignment.
#[test]
fn powershell_schedule_instances_read_in_any_spelling() {
    let text = std::fs::read_to_string(
        "corpus/exports/powershell/get-azroleassignmentscheduleinstance.json",
    )
    .unwrap();
    let world = world(&[serde_json::from_str(&text).unwrap()]);
    let access = read_storage();
    assert!(
        world
            .decide(&access, at("2026-12-01T12:00:00Z"), false)
            .allowed()
    );
    for outside in [
        "2026-12-01T08:59:59Z",
        "2026-12-01T17:00:00.91Z",
        "2027-01-01T00:00:00Z",
    ] {
        let decision = world.decide(&access, at(outside), false);
        assert!(
            matches!(decision.reason, Reason::OnlyInactive(_)),
            "{outside}: {}",
            decision.reason
        );
    }
}

/// An id is one spelling of one resource (decision R19): a trailing `/` on an eligibility's id
/// does not make it a plain role assignment, and an instance whose `originRoleAssignmentId`
/// ends in `/` or differs in case still governs the assignment it names.
#[test]
fn a_trailing_slash_changes_neither_kind_nor_what_an_origin_names() {
    let mut eligible = export("role-eligibility-schedule-instances");
    let id = eligible["value"][0]["id"].as_str().unwrap().to_owned();
    eligible["value"][0]["id"] = json!(format!("{id}/"));
    eligible["value"][0].as_object_mut().unwrap().remove("type");
    let eligible = world(&[eligible]);
    let decision = eligible.decide(&read_storage(), at("2026-12-01T12:00:00Z"), false);
    assert!(!decision.allowed(), "{}", decision.reason);

    let plain = json!([{"id": ORIGIN, "principalId": USER, "scope": SUB,
        "roleDefinitionId": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"}]);
    for origin in [
        format!("{ORIGIN}/"),
        ORIGIN
            .to_uppercase()
            .replace("/SUBSCRIPTIONS", "/subscriptions"),
    ] {
        let mut instances = export("role-assignment-schedule-instances");
        instances["value"][0]["properties"]["originRoleAssignmentId"] = json!(origin);
        let both = world(&[plain.clone(), instances]);
        let after = at("2026-12-02T00:00:00Z");
        assert!(
            !both.decide(&read_storage(), after, false).allowed(),
            "{origin}"
        );
    }
}

/// `originRoleAssignmentId` is read by the grammar of ids (decision R19): one that Azure would
/// not print (a space, an escape, another resource type) is an error at its path, never a
/// text that governs nothing and so leaves a permanent grant behind.
#[test]
fn a_malformed_origin_is_an_error() {
    for origin in [
        format!(" {ORIGIN}"),
        format!("{ORIGIN}%20"),
        ORIGIN.replace("roleAssignments", "roleDefinitions"),
        "c9e264ff-3133-4776-a81a-ebc7c33c8ec6".to_owned(),
    ] {
        let mut instances = export("role-assignment-schedule-instances");
        instances["value"][0]["properties"]["originRoleAssignmentId"] = json!(origin);
        let error = World::builder().assignments(&instances).err().unwrap();
        assert_eq!(
            error.path, "$.value[0].properties.originRoleAssignmentId",
            "{origin}: {error}"
        );
    }
}

/// An item's `type` and its id say its kind together (decision R11): when they disagree, or
/// the `type` has no `Microsoft.Authorization/` namespace, which kind it is is not known.
#[test]
fn a_type_that_contradicts_the_id_is_an_error() {
    let mut eligible = export("role-eligibility-schedule-instances");
    eligible["value"][0]["type"] = json!("Microsoft.Authorization/roleAssignments");
    let error = World::builder().assignments(&eligible).err().unwrap();
    assert!(
        matches!(error.problem, InputProblem::Contradiction(_)),
        "{error}"
    );
    for bare in ["roleAssignments", "Microsoft.Storage/roleAssignments"] {
        let item = json!([{"type": bare, "principalId": USER, "scope": SUB,
            "roleDefinitionId": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"}]);
        let error = World::builder().assignments(&item).err().unwrap();
        assert_eq!(error.path, "$[0].type", "{bare}: {error}");
        assert!(
            matches!(error.problem, InputProblem::NotAnAssignment(_)),
            "{error}"
        );
    }
}

/// A `name` (or a label `id`) is never read as an id (decision R19): one that looks like a path
/// settles no kind, so an item with PIM keys and no `id` or `type` is refused however its
/// `name` is spelled, and a role assignment never carries a schedule's window (decision R11).
#[test]
fn a_name_never_settles_the_kind_and_a_role_assignment_has_no_window() {
    let path_name = json!([{"name": "/x/providers/Microsoft.Authorization/roleAssignments/y",
        "status": "Revoked", "endDateTime": "2020-01-01T00:00:00Z",
        "principalId": USER, "scope": SUB,
        "roleDefinitionId": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"}]);
    let error = World::builder().assignments(&path_name).err().unwrap();
    assert!(
        matches!(error.problem, InputProblem::KindNotSettled { .. }),
        "{error}"
    );
    for (key, value) in [
        ("status", json!("Revoked")),
        ("endDateTime", json!("2020-01-01T00:00:00Z")),
        ("startDateTime", json!("2030-01-01T00:00:00Z")),
    ] {
        let mut item = json!({"id": ORIGIN, "principalId": USER, "scope": SUB,
            "roleDefinitionId": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"});
        item[key] = value;
        let error = World::builder().assignments(&json!([item])).err().unwrap();
        assert!(
            matches!(error.problem, InputProblem::Contradiction(_)),
            "{key}: {error}"
        );
    }
}

/// An instance governs its assignment however the assignment's id is spelled: in another case
/// beyond ASCII (decision R15: one resource under either mapping) and when the assignment is
/// named only by its GUID beside its scope, as hand-written and some exported files give it.
#[test]
fn an_instance_governs_its_assignment_in_every_spelling() {
    let rg = |name: &str| format!("{SUB}/resourceGroups/{name}");
    let guid = "c9e264ff-3133-4776-a81a-ebc7c33c8ec6";
    let owner = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
    for (plain, origin_rg) in [
        (
            json!({"id": format!("{}/providers/Microsoft.Authorization/roleAssignments/{guid}", rg("ärger")),
                "principalId": USER, "scope": rg("ärger"), "roleDefinitionId": owner}),
            "ÄRGER",
        ),
        (
            json!({"name": guid, "principalId": USER, "scope": rg("rg1"), "roleDefinitionId": owner}),
            "rg1",
        ),
        (
            json!({"id": guid, "principalId": USER, "scope": rg("RG1"), "roleDefinitionId": owner}),
            "rg1",
        ),
    ] {
        let mut instances = export("role-assignment-schedule-instances");
        let item = &mut instances["value"][0];
        let scope = plain["scope"].as_str().unwrap().to_owned();
        item["id"] = json!(format!(
            "{scope}/providers/Microsoft.Authorization/roleAssignmentScheduleInstances/{}",
            "11111111-1111-1111-1111-111111111111"
        ));
        item["properties"]["scope"] = json!(scope);
        item["properties"]["originRoleAssignmentId"] = json!(format!(
            "{}/providers/Microsoft.Authorization/roleAssignments/{guid}",
            rg(origin_rg)
        ));
        let both = world(&[json!([plain]), instances]);
        let request = json!({"principalId": USER, "scope": scope,
            "action": "Microsoft.Storage/storageAccounts/read"});
        let access = AccessRequest::from_value(&request, Catalog::builtin()).unwrap();
        let after = at("2026-12-02T00:00:00Z");
        let decision = both.decide(&access, after, false);
        assert!(!decision.allowed(), "{plain}: {}", decision.reason);
    }
}
