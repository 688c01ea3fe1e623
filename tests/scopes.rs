#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

//! Scopes as ARM reads them (decision R15): case beyond ASCII, where a deny applies under
//! either case mapping and a grant only under both, and service groups, which pass roles only
//! to their child service groups.

use std::fs;

use azabac::catalog::Catalog;
use azabac::rbac::{AccessRequest, Decision, Hierarchy, InputProblem, Reason, World};
use serde_json::{Value, json};

const NOW: azabac::eval::Ticks = azabac::eval::Ticks(17_960_832_000_000_000);
const SUB: &str = "/subscriptions/00000000-0000-0000-0000-0000000000aa";
const ALICE: &str = "aaaaaaaa-0000-0000-0000-00000000a11c";
const READER: &str = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
const READ: &str = "Microsoft.Storage/storageAccounts/read";

fn world(assignments: &Value, deny: &Value, hierarchy: Option<&Value>) -> World {
    let mut builder = World::builder()
        .assignments(assignments)
        .unwrap()
        .deny_assignments(deny)
        .unwrap();
    if let Some(hierarchy) = hierarchy {
        builder = builder.hierarchy(hierarchy).unwrap();
    }
    builder.build(Catalog::builtin()).unwrap()
}

fn decide<'w>(world: &'w World, scope: &str) -> Decision<'w> {
    let request = json!({"principalId": ALICE, "scope": scope, "action": READ});
    world.decide(
        &AccessRequest::from_value(&request, Catalog::builtin()).unwrap(),
        NOW,
        false,
    )
}

fn group(name: &str) -> String {
    format!("{SUB}/resourceGroups/{name}")
}

fn reader_at(scope: &str) -> Value {
    json!([{"principalId": ALICE, "roleDefinitionId": READER, "scope": scope}])
}

fn deny_at(scope: &str, children: bool) -> Value {
    json!([{"id": "d1", "scope": scope, "principals": [{"id": ALICE}],
        "permissions": [{"actions": ["*/read"]}], "doNotApplyToChildScopes": !children}])
}

/// Letters both mappings agree on (`Ä`, `ä`) match as ARM matches them, for grants and denies.
#[test]
fn names_beyond_ascii_match_ignoring_case() {
    let granted = world(&reader_at(&group("Rg-Ä")), &json!([]), None);
    assert!(decide(&granted, &group("rg-ä")).allowed());
    assert!(
        decide(
            &granted,
            &format!(
                "{}/providers/Microsoft.Storage/storageAccounts/st",
                group("RG-Ä")
            )
        )
        .allowed()
    );
    assert!(!decide(&granted, &group("rg-a")).allowed());

    let denied = world(&reader_at(SUB), &deny_at(&group("Rg-Ä"), true), None);
    assert!(matches!(
        decide(&denied, &group("rg-ä")).reason,
        Reason::Denied(_)
    ));
    assert!(decide(&denied, &group("rg-a")).allowed());
}

/// Where the mappings differ (the Kelvin sign folds to `k` but is its own upper case; `ß` and
/// `ẞ` fold together but do not upper-case together), a deny applies and a grant does not.
#[test]
fn where_the_case_mappings_differ_a_deny_applies_and_a_grant_does_not() {
    for (written, asked) in [
        ("\u{212A}", "k"),
        ("k", "\u{212A}"),
        ("\u{1E9E}", "ß"),
        ("ß", "\u{1E9E}"),
    ] {
        let granted = world(&reader_at(&group(written)), &json!([]), None);
        let d = decide(&granted, &group(asked));
        assert!(
            !d.allowed(),
            "a grant at {written} reaches {asked}: {}",
            d.reason
        );
        assert!(decide(&granted, &group(written)).allowed());

        let denied = world(&reader_at(SUB), &deny_at(&group(written), true), None);
        let d = decide(&denied, &group(asked));
        assert!(
            matches!(d.reason, Reason::Denied(_)),
            "{written} / {asked}: {}",
            d.reason
        );
        let below = format!(
            "{}/providers/Microsoft.Storage/storageAccounts/st",
            group(asked)
        );
        assert!(matches!(decide(&denied, &below).reason, Reason::Denied(_)));

        // A deny that does not apply to child scopes applies at the scope itself, under either
        // mapping, and not below it.
        let here = world(&reader_at(SUB), &deny_at(&group(written), false), None);
        assert!(matches!(
            decide(&here, &group(asked)).reason,
            Reason::Denied(_)
        ));
        assert!(decide(&here, &below).allowed());
    }
}

/// The hierarchy reaches a management group by any spelling of its name: a group named in
/// the hierarchy in one case and in an assignment or deny assignment in another is one group
/// when both mappings agree (its grants and denies apply), and where they differ its denies
/// apply and its grants do not.
#[test]
fn the_hierarchy_reaches_a_group_in_any_case() {
    let mg = |name: &str| format!("/providers/Microsoft.Management/managementGroups/{name}");
    let under = |name: &str| json!({"parents": {SUB: mg(name)}});
    for (written, placed, both) in [
        ("ärger", "ÄRGER", true),
        ("ÄRGER", "ärger", true),
        ("\u{212A}elvin", "kelvin", false),
        ("kelvin", "\u{212A}elvin", false),
    ] {
        let denied = world(
            &reader_at(SUB),
            &deny_at(&mg(written), true),
            Some(&under(placed)),
        );
        let d = decide(&denied, &group("rg1"));
        assert!(
            matches!(d.reason, Reason::Denied(_)),
            "a deny at {written}, the subscription under {placed}: {}",
            d.reason
        );
        let granted = world(&reader_at(&mg(written)), &json!([]), Some(&under(placed)));
        let d = decide(&granted, &group("rg1"));
        assert_eq!(
            d.allowed(),
            both,
            "a grant at {written}, the subscription under {placed}: {}",
            d.reason
        );
    }
}

/// Two spellings of one group beyond ASCII placed under two groups: which one holds it is not
/// known, and a deny at either could apply, so the hierarchy is refused.
#[test]
fn two_spellings_of_one_group_under_two_parents_are_refused() {
    let mg = |name: &str| format!("/providers/Microsoft.Management/managementGroups/{name}");
    let hierarchy =
        json!({"parents": {mg("ärger"): mg("p"), mg("ÄRGER"): mg("q"), SUB: mg("ärger")}});
    let error = World::builder()
        .hierarchy(&hierarchy)
        .unwrap()
        .build(Catalog::builtin())
        .err()
        .unwrap();
    assert!(
        matches!(error.problem, InputProblem::TwoParents { .. }),
        "{error}"
    );
    // Under one group in two spellings, it is placed.
    let same = json!({"parents": {mg("ärger"): mg("p"), mg("ÄRGER"): mg("P"), SUB: mg("ärger")}});
    World::builder()
        .hierarchy(&same)
        .unwrap()
        .build(Catalog::builtin())
        .unwrap();
}

/// An assignable scope beyond ASCII admits a role only where both mappings agree.
#[test]
fn assignable_scopes_match_under_both_mappings() {
    let roles = json!([{"roleName": "Kelvin Reader", "name": "00000012-0000-0000-0000-000000000012",
        "permissions": [{"actions": ["*/read"]}], "assignableScopes": [group("\u{212A}")]}]);
    let world = World::builder()
        .roles(&roles)
        .unwrap()
        .build(Catalog::builtin())
        .unwrap();
    let role = world.find_role("Kelvin Reader").unwrap();
    let assign = |scope: &str| {
        let request = json!({"principalId": ALICE, "scope": scope,
            "action": "Microsoft.Authorization/roleAssignments/write"});
        let access = AccessRequest::from_value(&request, Catalog::builtin()).unwrap();
        matches!(
            world.decide_assignment(&access, role, NOW, false).reason,
            Reason::NotAssignable { .. }
        )
    };
    assert!(!assign(&group("\u{212A}")));
    assert!(assign(&group("k")), "only the fold matches");
}

const PARENT: &str = "/providers/Microsoft.Management/serviceGroups/Contoso";
const CHILD: &str = "/providers/Microsoft.Management/serviceGroups/Contoso-Payments";

fn service_groups() -> Value {
    serde_json::from_str(
        &fs::read_to_string("corpus/exports/service-groups/service-groups.json").unwrap(),
    )
    .unwrap()
}

/// A service group passes roles to its child service groups, as `az service-group show`
/// places them, or a tree or flat links do; without a hierarchy, it reaches only itself.
#[test]
fn a_service_group_passes_roles_to_child_service_groups() {
    let tree = json!({"id": PARENT, "children": [{"id": CHILD}]});
    let flat = json!({"parents": {CHILD: PARENT}});
    for hierarchy in [service_groups(), tree, flat] {
        let world = world(&reader_at(PARENT), &json!([]), Some(&hierarchy));
        assert!(decide(&world, CHILD).allowed(), "{hierarchy}");
        assert!(decide(&world, PARENT).allowed());
        assert!(!decide(&world, SUB).allowed(), "never to a subscription");
    }
    let alone = world(&reader_at(PARENT), &json!([]), None);
    assert!(!decide(&alone, CHILD).allowed());
    // The child's grants do not reach its parent.
    let child = world(&reader_at(CHILD), &json!([]), Some(&service_groups()));
    assert!(!decide(&child, PARENT).allowed());
}

/// A service group's deny reaches its child service groups; when nothing places the request's
/// service group, a deny at another service group that names the caller and the action makes
/// the decision an input error, never an allow.
#[test]
fn a_service_group_deny_reaches_child_service_groups_or_cannot_be_placed() {
    let root = "/providers/Microsoft.Management/serviceGroups/00000000-0000-0000-0000-0000000000f0";
    let placed = world(
        &reader_at(root),
        &deny_at(PARENT, true),
        Some(&service_groups()),
    );
    assert!(matches!(decide(&placed, CHILD).reason, Reason::Denied(_)));
    assert!(
        decide(&placed, root).allowed(),
        "the deny sits below the root"
    );

    let unplaced = world(&reader_at(CHILD), &deny_at(PARENT, true), None);
    let d = decide(&unplaced, CHILD);
    assert!(d.is_input_error(), "{}", d.reason);
    assert!(!d.allowed());
    assert!(
        d.reason.to_string().contains("under service groups"),
        "{}",
        d.reason
    );
    // A management-group deny does not concern a service group, nor a service-group deny a
    // subscription.
    let other = world(
        &reader_at(CHILD),
        &deny_at("/providers/Microsoft.Management/managementGroups/mg", true),
        None,
    );
    assert!(decide(&other, CHILD).allowed());
    let subscription = world(&reader_at(SUB), &deny_at(PARENT, true), None);
    assert!(decide(&subscription, SUB).allowed());
}

/// Only service groups sit under service groups, and service groups only under service groups:
/// a service group's members do not inherit its roles.
#[test]
fn only_service_groups_sit_under_service_groups() {
    for (hierarchy, member) in [
        (json!({"id": PARENT, "children": [{"id": SUB}]}), true),
        (json!({"parents": {group("rg"): PARENT}}), true),
        (
            json!({"id": "/providers/Microsoft.Management/managementGroups/mg", "children": [{"id": CHILD}]}),
            false,
        ),
        (json!({"parents": {CHILD: "mg"}}), false),
    ] {
        let error = Hierarchy::from_value(&hierarchy).unwrap_err();
        if member {
            assert!(
                matches!(error.problem, InputProblem::NotAServiceGroupChild(_)),
                "{error}"
            );
        } else {
            assert!(
                matches!(error.problem, InputProblem::NotAServiceGroup(_)),
                "{error}"
            );
        }
    }
    let bad_parent = json!([{"id": CHILD, "properties": {"parent": {"resourceId": 7}}}]);
    let error = Hierarchy::from_value(&bad_parent).unwrap_err();
    assert_eq!(error.path, "$[0].properties.parent.resourceId");
}
