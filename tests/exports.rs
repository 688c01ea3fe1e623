#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

//! The shapes the tools print (`corpus/exports/`), read exactly or refused with the reason:
//! PowerShell's role assignments and role definitions, and its lossy shapes.

use azabac::catalog::{Catalog, RoleDefinition, RoleError};
use azabac::eval::Ticks;
use azabac::rbac::{AccessRequest, InputProblem, PrincipalType, World};
use serde_json::{Value, json};

const NOW: Ticks = Ticks(17_960_832_000_000_000);

fn export(name: &str) -> String {
    std::fs::read_to_string(format!("corpus/exports/{name}")).unwrap()
}

fn value(name: &str) -> Value {
    serde_json::from_str(&export(name)).unwrap()
}

#[test]
fn powershell_role_assignments_read_with_their_principal_and_type() {
    let world = World::builder()
        .assignments(&value("powershell/get-azroleassignment.json"))
        .unwrap()
        .build(Catalog::builtin())
        .unwrap();
    let assignment = world.assignments().next().unwrap();
    assert_eq!(
        assignment.principal_id.to_string(),
        "aaaaaaaa-0000-0000-0000-00000000a11c"
    );
    assert_eq!(assignment.principal_type, Some(PrincipalType::User));
    assert!(
        assignment
            .id
            .ends_with("0000000f-0000-0000-0000-00000000000f")
    );
    assert_eq!(
        assignment.scope.as_str(),
        "/subscriptions/00000000-0000-0000-0000-0000000000aa"
    );

    // `ObjectType: Unknown` (a principal the caller cannot read) is an error: absent, a
    // negated guard on the type would read true.
    let mut unknown = value("powershell/get-azroleassignment.json");
    unknown[0]["ObjectType"] = json!("Unknown");
    let error = World::builder().assignments(&unknown).err().unwrap();
    assert_eq!(error.path, "$[0].ObjectType");
    assert!(matches!(error.problem, InputProblem::PrincipalType(_)));

    // Both names of the principal at once are ambiguous.
    let mut both = value("powershell/get-azroleassignment.json");
    both[0]["principalId"] = json!("bbbbbbbb-0000-0000-0000-0000000000b0");
    let error = World::builder().assignments(&both).err().unwrap();
    assert!(
        matches!(error.problem, InputProblem::Conflict { .. }),
        "{error}"
    );
}

#[test]
fn powershell_role_definitions_keep_every_block() {
    let role = RoleDefinition::from_json(&export("powershell/get-azroledefinition.json")).unwrap();
    assert_eq!(role.role_name, "Widget Operator");
    assert_eq!(role.permissions.len(), 2);
    assert!(role.permissions[1].condition.is_some());
    assert_eq!(role.assignable_scopes.len(), 1);
    // And the role decides as its blocks say: the condition limits what it may assign.
    let world = World::builder()
        .roles(&value("powershell/get-azroledefinition.json"))
        .unwrap()
        .assignments(&json!([{"principalId": "aaaaaaaa-0000-0000-0000-00000000a11c",
            "role": "Widget Operator", "scope": "/subscriptions/00000000-0000-0000-0000-0000000000aa"}]))
        .unwrap()
        .build(Catalog::builtin())
        .unwrap();
    let assign = |role: &str| {
        AccessRequest::from_value(
            &json!({"principalId": "aaaaaaaa-0000-0000-0000-00000000a11c",
                "scope": "/subscriptions/00000000-0000-0000-0000-0000000000aa",
                "action": "Microsoft.Authorization/roleAssignments/write",
                "request": {"Microsoft.Authorization/roleAssignments:RoleDefinitionId": role}}),
            Catalog::builtin(),
        )
        .unwrap()
    };
    assert!(
        world
            .decide(&assign("0000000b-0000-0000-0000-00000000000b"), NOW, false)
            .allowed()
    );
    assert!(
        !world
            .decide(&assign("8e3af657-a8ff-443c-a75c-2fe8c4bcb635"), NOW, false)
            .allowed()
    );
}

#[test]
fn lossy_powershell_role_shapes_are_refused_with_the_reason() {
    let flattened =
        RoleDefinition::from_json(&export("powershell/get-azroledefinition-flattened.json"));
    assert_eq!(flattened.unwrap_err(), RoleError::FlattenedPowerShell);
    let shallow = RoleDefinition::from_json(&export("powershell/get-azroledefinition-depth2.json"));
    let error = shallow.unwrap_err();
    assert_eq!(error, RoleError::ShallowPowerShell);
    assert!(error.to_string().contains("-Depth 10"));
    // The `az role definition create` file shape the README accepts still reads.
    let create = r#"{"Name": "Widget Reader", "IsCustom": true, "Description": "reads widgets",
        "Actions": ["Contoso.Widgets/widgets/read"], "NotActions": [],
        "AssignableScopes": ["/subscriptions/00000000-0000-0000-0000-0000000000aa"]}"#;
    let role = RoleDefinition::from_json(create).unwrap();
    assert_eq!(role.permissions.len(), 1);
}

/// Every envelope the tools print is read with its own completeness markers, in any spelling
/// (decision R14): a page that says more exists is an error naming the marker, never the whole
/// list; the complete response reads.
#[test]
fn a_page_that_says_more_exists_is_refused_by_its_marker() {
    let world = World::builder()
        .assignments(&value("resource-graph/rest-complete.json"))
        .unwrap()
        .build(Catalog::builtin())
        .unwrap();
    assert_eq!(world.assignments().len(), 1);
    for (file, marker) in [
        ("resource-graph/rest-skip-token.json", "$.$skipToken"),
        ("resource-graph/rest-truncated.json", "$.resultTruncated"),
        ("resource-graph/rest-table-format.json", "$.data"),
        (
            "resource-graph/az-graph-query-skip-token.json",
            "$.skip_token",
        ),
        ("arm/role-assignments-next-link.json", "$.NextLink"),
    ] {
        let error = World::builder().assignments(&value(file)).err().unwrap();
        assert_eq!(error.path, marker, "{file}: {error}");
        assert!(
            matches!(error.problem, InputProblem::Incomplete(_)),
            "{file}: {error}"
        );
    }
    // More records in total than rows, with no skip token left.
    let mut short = value("resource-graph/rest-complete.json");
    short["totalRecords"] = json!(2);
    let error = World::builder().assignments(&short).err().unwrap();
    assert_eq!(error.path, "$.totalRecords");
}

/// Whichever list an envelope holds, every marker is read (decision R14): an ARM `value` page
/// with a Resource Graph skip token, `resultTruncated` or a total above its rows, a `count` that
/// is not the number of rows, and an envelope with both `value` and `data` are refused, for
/// role assignments read from the text or a value and for deny assignments alike.
#[test]
fn every_marker_is_read_whichever_list_the_envelope_holds() {
    let complete = value("resource-graph/rest-complete.json");
    let rows = complete["data"].clone();
    let cases = [
        (
            json!({"value": rows, "$skipToken": "ew0KICAiJGlkIjogIjEi"}),
            "$.$skipToken",
        ),
        (
            json!({"value": rows, "resultTruncated": "true"}),
            "$.resultTruncated",
        ),
        (json!({"value": rows, "@odata.count": 3}), "$.@odata.count"),
        (
            json!({"value": rows, "odata.nextLink": "https://graph.windows.net/next"}),
            "$.odata.nextLink",
        ),
        (
            json!({"value": rows, "continuationToken": "t"}),
            "$.continuationToken",
        ),
        (json!({"value": rows, "Count": 2}), "$.Count"),
        (json!({"data": rows, "count": 0}), "$.count"),
        (
            json!({"data": rows, "count": 1, "totalRecords": 0}),
            "$.totalRecords",
        ),
        (json!({"data": rows, "count": "1"}), "$.count"),
        (json!({"value": rows, "data": []}), "$.data"),
    ];
    for (file, path) in &cases {
        let from_value = World::builder().assignments(file).err().unwrap();
        assert_eq!(from_value.path, *path, "{file}: {from_value}");
        let from_text = World::builder()
            .assignments_text(&file.to_string())
            .err()
            .unwrap();
        assert_eq!(from_text.path, *path, "{file}: {from_text}");
    }
    // A marker that says more exists beside no list: a page whose list is missing.
    let mut single = rows[0].clone();
    single["nextLink"] = json!("https://management.azure.com/next");
    let error = World::builder().assignments(&single).err().unwrap();
    assert_eq!(error.path, "$.nextLink", "{error}");
    // A count that is the number of rows, in any spelling, reads.
    let counted = json!({"value": rows, "@odata.count": 1, "COUNT": 1});
    World::builder().assignments(&counted).unwrap();

    let deny = json!({"id": "/subscriptions/00000000-0000-0000-0000-0000000000aa/providers/Microsoft.Authorization/denyAssignments/d1",
        "properties": {"denyAssignmentName": "d", "permissions": [{"actions": ["*"]}],
            "principals": [{"id": "00000000-0000-0000-0000-000000000000", "type": "SystemDefined"}],
            "scope": "/subscriptions/00000000-0000-0000-0000-0000000000aa"}});
    for (file, path) in [
        (
            json!({"value": [deny], "nextLink": "https://management.azure.com/next"}),
            "$.nextLink",
        ),
        (json!({"value": [deny], "count": 2}), "$.count"),
        (json!({"value": [deny], "data": [deny]}), "$.data"),
    ] {
        let error = World::builder().deny_assignments(&file).err().unwrap();
        assert_eq!(error.path, path, "{file}: {error}");
    }
}

/// Two spellings of one assignment id (a trailing `/`, ASCII case) are one assignment
/// (decision R20): when the copies differ, which one Azure holds is not known.
#[test]
fn copies_of_one_id_in_two_spellings_are_one_assignment() {
    let complete = value("resource-graph/rest-complete.json");
    let item = complete["data"][0].clone();
    let mut slashed = item.clone();
    let id = item["id"].as_str().unwrap();
    slashed["id"] = json!(format!(
        "{}/",
        id.to_uppercase()
            .replace("/SUBSCRIPTIONS", "/subscriptions")
    ));
    let same = World::builder()
        .assignments(&json!([item, slashed]))
        .unwrap()
        .build(Catalog::builtin())
        .unwrap();
    assert_eq!(same.assignments().len(), 1);
    slashed["properties"]["condition"] = json!(
        "@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {acdd72a7-3385-48ef-bd42-f606fba81ae7}"
    );
    slashed["properties"]["conditionVersion"] = json!("2.0");
    let error = World::builder()
        .assignments(&json!([item, slashed]))
        .err()
        .unwrap();
    assert!(
        matches!(error.problem, InputProblem::CopiesDiffer { .. }),
        "{error}"
    );
}

/// Builds a world from an assignment file read both ways: from a `Value`, and from the text as
/// `azabac decide` reads it. The two must agree on every file, down to the error.
fn both_ways(text: &str) -> Result<Vec<String>, String> {
    let read = |builder: Result<azabac::rbac::WorldBuilder, azabac::rbac::InputError>| {
        builder
            .and_then(|b| b.build(Catalog::builtin()))
            .map(|world| world.assignments().map(|a| format!("{a:?}")).collect())
            .map_err(|e| e.to_string())
    };
    let from_text = read(World::builder().assignments_text(text));
    match serde_json::from_str::<Value>(text) {
        Ok(value) => assert_eq!(
            from_text,
            read(World::builder().assignments(&value)),
            "{text}"
        ),
        // A text that is not JSON is refused by the text reader too.
        Err(_) => assert!(from_text.is_err(), "{text}"),
    }
    from_text
}

#[test]
fn the_text_reader_reads_every_export_as_the_value_reader_does() {
    for (file, reads) in [
        ("arm/role-assignments-next-link.json", false),
        ("pim/az-rest-properties-only.json", false),
        ("pim/role-assignment-schedule-instances.json", true),
        ("pim/role-assignment-schedule-requests.json", false),
        ("pim/role-eligibility-schedule-instances.json", true),
        ("powershell/get-azroleassignment.json", true),
        ("powershell/get-azroleassignmentscheduleinstance.json", true),
        ("resource-graph/az-graph-query-skip-token.json", false),
        ("resource-graph/rest-complete.json", true),
        ("resource-graph/rest-skip-token.json", false),
        ("resource-graph/rest-table-format.json", false),
        ("resource-graph/rest-truncated.json", false),
    ] {
        assert_eq!(both_ways(&export(file)).is_ok(), reads, "{file}");
    }
    let contoso = std::fs::read_to_string("corpus/worlds/contoso/assignments.json").unwrap();
    assert!(both_ways(&contoso).unwrap().len() > 3);

    let item = r#"{"id": "/subscriptions/00000000-0000-0000-0000-0000000000aa/providers/Microsoft.Authorization/roleAssignments/a1a1a1a1-0000-0000-0000-000000000001", "principalId": "11111111-1111-1111-1111-111111111111", "roleDefinitionId": "/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7", "scope": "/subscriptions/00000000-0000-0000-0000-0000000000aa"}"#;
    let bad = &item.replace(r#""11111111-1111-1111-1111-111111111111""#, "7");
    // An incomplete page is reported before an error in an item, wherever its marker is.
    for text in [
        format!(r#"{{"value": [{bad}], "nextLink": "https://x"}}"#),
        format!(r#"{{"nextLink": "https://x", "value": [{bad}]}}"#),
        format!(r#"{{"data": [{bad}], "$skipToken": "t", "count": 1}}"#),
    ] {
        let error = both_ways(&text).unwrap_err();
        assert!(
            error.contains("nextLink") || error.contains("skipToken"),
            "{error}"
        );
    }
    for (text, says) in [
        (format!("[{item}, {bad}]"), "$[1].principalId"),
        (format!("[{item}, 3]"), "$[1]"),
        (format!(r#"{{"value": [{item}, null]}}"#), "$.value[1]"),
        (
            format!(r#"{{"data": [{item}, {bad}], "count": 2}}"#),
            "$.data[1].principalId",
        ),
        // `data` without a Resource Graph marker is a field of one item.
        (r#"{"data": [1]}"#.to_owned(), "at $: missing"),
        (format!("[{item}, {item}"), "EOF"),
        (format!("[{item}] x"), "trailing"),
        (
            format!("[{item}, {item}]").replace("a1a1a1a1", "A1A1A1A1"),
            "",
        ),
    ] {
        match both_ways(&text) {
            Err(error) => assert!(error.contains(says), "{text}: {error}"),
            // Two copies of one assignment, the id's case aside, read as one.
            Ok(read) => assert_eq!((read.len(), says), (1, "")),
        }
    }
    // A key repeated anywhere, even inside a value no reader uses, is refused by the text
    // reader as by the strict reader every other file goes through.
    let thrice = format!(
        r#"[{}, "Extra": 1, "extra": 2, "extra": 3}}]"#,
        item.trim_end_matches('}')
    );
    let error = World::builder().assignments_text(&thrice).err().unwrap();
    assert!(
        error.to_string().contains("duplicate key `extra`"),
        "{error}"
    );
    for skipped in [r#"{"a": 1, "a": 2}"#, r#"[{"x": {"b": [], "b": null}}]"#] {
        let text = format!(
            r#"[{}, "createdBy": {skipped}}}]"#,
            item.trim_end_matches('}')
        );
        let error = World::builder().assignments_text(&text).err().unwrap();
        assert!(
            error.to_string().contains("duplicate key"),
            "{text}: {error}"
        );
        assert!(azabac::rbac::read_json(&text).is_err(), "{text}");
    }
}

#[test]
fn a_role_definition_is_named_by_one_guid_read_by_its_grammar() {
    let owner = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
    let reader = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
    let role = |name: &str, id: &str| {
        json!({"name": name, "id": id, "roleName": "Widgets",
            "permissions": [{"actions": ["Contoso.Widgets/*"]}]})
    };
    let full = |guid: &str| format!("/providers/Microsoft.Authorization/roleDefinitions/{guid}");
    let read = RoleDefinition::from_value(role(owner, &full(owner.to_uppercase().as_str())));
    assert_eq!(read.unwrap().id.unwrap().to_string(), owner);
    // `name` and `id` that name two roles.
    let error = RoleDefinition::from_value(role(owner, &full(reader))).unwrap_err();
    assert!(matches!(error, RoleError::GuidsDiffer { .. }), "{error}");
    // Either one not read by the grammar: never passed over for the other.
    for (name, id, at) in [
        (format!("{owner}\u{7}"), full(owner), "$.name"),
        (owner.to_owned(), format!("\u{200b}{}", full(owner)), "$.id"),
        (
            owner.to_owned(),
            format!("{}/{reader}", full(owner)),
            "$.id",
        ),
        ("widgets".to_owned(), full(owner), "$.name"),
    ] {
        let error = RoleDefinition::from_value(role(&name, &id)).unwrap_err();
        assert!(
            matches!(error, RoleError::Id { .. }),
            "{name} {id}: {error}"
        );
        assert_eq!(error.at(), at);
    }
}

#[test]
fn an_item_of_another_resource_type_is_not_read_as_an_assignment() {
    let sub = "/subscriptions/00000000-0000-0000-0000-0000000000aa";
    let item = |id: String, kind: Option<&str>| {
        let mut item = json!({"id": id, "properties": {
            "principalId": "11111111-1111-1111-1111-111111111111", "scope": sub,
            "roleDefinitionId": "acdd72a7-3385-48ef-bd42-f606fba81ae7"}});
        if let Some(kind) = kind {
            item["type"] = json!(kind);
        }
        item
    };
    let deny = format!(
        "{sub}/providers/Microsoft.Authorization/denyAssignments/d0d0d0d0-0000-0000-0000-000000000001"
    );
    let assignment = format!(
        "{sub}/providers/Microsoft.Authorization/roleAssignments/d0d0d0d0-0000-0000-0000-000000000001"
    );
    for (value, path) in [
        (item(deny.clone(), None), "$[0].id"),
        (
            item(
                assignment.clone(),
                Some("Microsoft.Authorization/denyAssignments"),
            ),
            "$[0].type",
        ),
        (
            item(
                assignment.clone(),
                Some("Microsoft.Authorization/roleDefinitions"),
            ),
            "$[0].type",
        ),
    ] {
        let error = World::builder().assignments(&json!([value])).err().unwrap();
        assert!(
            matches!(error.problem, InputProblem::NotAnAssignment(_)),
            "{error}"
        );
        assert_eq!(error.path, path);
    }
    // The types the tools print, in any case.
    for kind in [
        "Microsoft.Authorization/roleAssignments",
        "microsoft.authorization/roleassignments",
    ] {
        let world = World::builder().assignments(&json!([item(assignment.clone(), Some(kind))]));
        assert!(world.is_ok(), "{kind}");
    }
}

/// `null` is an absent field in every reader: a `"role": null` beside `roleDefinitionId` is no
/// second way of naming the role.
#[test]
fn a_null_role_beside_the_role_definition_id_is_absent() {
    let item = json!([{"principalId": "aaaaaaaa-0000-0000-0000-00000000a11c", "role": null,
        "roleDefinitionId": "acdd72a7-3385-48ef-bd42-f606fba81ae7",
        "scope": "/subscriptions/00000000-0000-0000-0000-0000000000aa"}]);
    let world = World::builder()
        .assignments(&item)
        .unwrap()
        .build(Catalog::builtin())
        .unwrap();
    assert_eq!(world.assignments().len(), 1);
}

/// Every object of every world file is read with its keys in any spelling and two spellings of
/// one key refused (decision R14), however deep it sits: a deny assignment's principal entries
/// and a management-group tree's nodes included, where taking one spelling silently would
/// spare a principal or place a subscription under another group.
#[test]
fn two_spellings_of_one_key_are_refused_at_every_depth() {
    let sub = "/subscriptions/00000000-0000-0000-0000-0000000000aa";
    let deny = |principal: Value| {
        json!([{"id": format!("{sub}/providers/Microsoft.Authorization/denyAssignments/d0d0d0d0-0000-0000-0000-000000000001"),
            "properties": {"permissions": [{"actions": ["*/read"]}], "scope": sub,
                "principals": [{"id": "00000000-0000-0000-0000-000000000000", "type": "SystemDefined"}],
                "excludePrincipals": [principal]}}])
    };
    let spelled = json!({"ID": "aaaaaaaa-0000-0000-0000-00000000a11c", "type": "User"});
    World::builder().deny_assignments(&deny(spelled)).unwrap();
    let twice = json!({"ID": "cccccccc-0000-0000-0000-0000000000c0",
        "id": "aaaaaaaa-0000-0000-0000-00000000a11c"});
    let error = World::builder()
        .deny_assignments(&deny(twice))
        .err()
        .unwrap();
    assert!(
        matches!(error.problem, InputProblem::KeysDifferInCase { .. }),
        "{error}"
    );
    assert_eq!(error.path, "$[0].properties.excludePrincipals[0]");

    let mg = "/providers/Microsoft.Management/managementGroups/corp";
    for tree in [
        json!({"id": mg, "children": [{"id": sub, "ID": "/subscriptions/00000000-0000-0000-0000-0000000000bb"}]}),
        json!([{"id": mg, "children": [], "Children": [{"id": sub}]}]),
    ] {
        let error = World::builder().hierarchy(&tree).err().unwrap();
        assert!(
            matches!(error.problem, InputProblem::KeysDifferInCase { .. }),
            "{tree}: {error}"
        );
    }
}

/// An ARM resource's fields are read from `properties`: one written beside it (a hand-edited
/// `eligible`, a `condition`) would be passed over, so it is an error naming it, for role and
/// deny assignments alike, unless it is the same value; `id`, `name` and `type` belong at the
/// top.
#[test]
fn a_field_beside_properties_is_refused() {
    let sub = "/subscriptions/00000000-0000-0000-0000-0000000000aa";
    let body = json!({"scope": sub, "principalId": "aaaaaaaa-0000-0000-0000-00000000a11c",
        "roleDefinitionId": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"});
    for (key, value) in [
        ("eligible", json!(true)),
        ("assignmentType", json!("Eligible")),
        ("Condition", json!("false")),
    ] {
        let mut item = json!({"id": format!("{sub}/providers/Microsoft.Authorization/roleAssignments/a1a1a1a1-0000-0000-0000-000000000001"),
            "type": "Microsoft.Authorization/roleAssignments", "properties": body});
        item[key] = value;
        let text = json!([item]).to_string();
        for error in [
            World::builder().assignments(&json!([item])).err().unwrap(),
            World::builder().assignments_text(&text).err().unwrap(),
        ] {
            assert_eq!(error.path, format!("$[0].{key}"), "{error}");
            assert!(
                matches!(error.problem, InputProblem::OutsideProperties { .. }),
                "{error}"
            );
        }
    }
    // A Resource Graph row `extend`ed with its properties' fields holds them twice, the same.
    let extended = json!([{"id": format!("{sub}/providers/Microsoft.Authorization/roleAssignments/a1a1a1a1-0000-0000-0000-000000000001"),
        "type": "microsoft.authorization/roleassignments", "properties": body,
        "principalId": body["principalId"], "scope": sub}]);
    World::builder().assignments(&extended).unwrap();
    World::builder()
        .assignments_text(&extended.to_string())
        .unwrap();
    let deny = json!([{"id": format!("{sub}/providers/Microsoft.Authorization/denyAssignments/d0d0d0d0-0000-0000-0000-000000000001"),
        "excludePrincipals": [{"id": "aaaaaaaa-0000-0000-0000-00000000a11c"}],
        "properties": {"permissions": [{"actions": ["*/read"]}], "scope": sub,
            "principals": [{"id": "00000000-0000-0000-0000-000000000000"}]}}]);
    let error = World::builder().deny_assignments(&deny).err().unwrap();
    assert_eq!(error.path, "$[0].excludePrincipals", "{error}");
}

/// Copies of one assignment are found however its id is spelled (decision R20): in another case
/// beyond ASCII, and named by its GUID beside its scope; copies that differ are refused.
#[test]
fn copies_are_found_in_every_spelling_of_the_id() {
    let rg = |name: &str| {
        format!("/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/{name}")
    };
    let guid = "c9e264ff-3133-4776-a81a-ebc7c33c8ec6";
    let id = |name: &str| {
        format!(
            "{}/providers/Microsoft.Authorization/roleAssignments/{guid}",
            rg(name)
        )
    };
    let item = |id_or_name: Value, scope: &str, condition: Option<&str>| {
        let mut item = json!({"principalId": "aaaaaaaa-0000-0000-0000-00000000a11c", "scope": scope,
            "roleDefinitionId": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"});
        for (key, value) in id_or_name.as_object().unwrap() {
            item[key] = value.clone();
        }
        if let Some(condition) = condition {
            item["condition"] = json!(condition);
            item["conditionVersion"] = json!("2.0");
        }
        item
    };
    let gated = "((!(ActionMatches{'Microsoft.Compute/virtualMachines/read'})))";
    for (first, second) in [
        (
            item(json!({"id": id("ärger")}), &rg("ärger"), Some(gated)),
            item(json!({"id": id("ÄRGER")}), &rg("ÄRGER"), None),
        ),
        (
            item(json!({"id": id("rg1")}), &rg("rg1"), Some(gated)),
            item(json!({"name": guid}), &rg("rg1"), None),
        ),
    ] {
        let error = World::builder()
            .assignments(&json!([first, second]))
            .err()
            .unwrap();
        assert!(
            matches!(error.problem, InputProblem::CopiesDiffer { .. }),
            "{error}"
        );
    }
    let same = World::builder()
        .assignments(&json!([
            item(json!({"id": id("rg1")}), &rg("rg1"), None),
            item(json!({"name": guid}), &rg("RG1"), None)
        ]))
        .unwrap()
        .build(Catalog::builtin())
        .unwrap();
    assert_eq!(same.assignments().len(), 1);
}

/// A value no reader uses is still passed over within the nesting limit a text has (128
/// levels), when an embedder hands over a `Value` built by other means.
#[test]
fn a_skipped_value_nested_too_deep_is_refused() {
    let mut deep = json!(1);
    for _ in 0..200 {
        deep = json!([deep]);
    }
    let item = json!([{"principalId": "aaaaaaaa-0000-0000-0000-00000000a11c",
        "roleDefinitionId": "acdd72a7-3385-48ef-bd42-f606fba81ae7",
        "scope": "/subscriptions/00000000-0000-0000-0000-0000000000aa", "extra": deep}]);
    let error = World::builder().assignments(&item).err().unwrap();
    assert!(
        error.to_string().contains("nested more than 128"),
        "{error}"
    );
}
