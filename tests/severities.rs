//! Severities users control (decision 29, issue 19): `--deny` and `--allow` by code or
//! category, the project file `azabac.toml` with its suppressions, and the README's CI recipe
//! (`--deny widens-access`) failing on the slips that open a delegation.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly on broken fixtures"
)]

#[path = "support/binary.rs"]
mod binary;

use std::fs;
use std::path::PathBuf;

use binary::{azabac, azabac_in, code, json};
use serde_json::Value;

/// A delegation condition that allows assigning only Azure AI User.
const GOOD: &str = "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR \
    (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] \
    ForAnyOfAnyValues:GuidEquals{53ca6127-db72-4b80-b1b0-d745d6d5456d}))";

/// The three slips of issue 19: a one-letter typo of the action, a guard without its `!`, and a
/// deny-list of privileged roles.
fn slips() -> [(&'static str, String); 3] {
    [
        (
            "AZ0301",
            GOOD.replace("roleAssignments/write", "roleAssignment/write"),
        ),
        (
            "AZ0316",
            GOOD.replace("(!(ActionMatches", "((ActionMatches"),
        ),
        (
            "AZ0315",
            GOOD.replace(
                "ForAnyOfAnyValues:GuidEquals{53ca6127-db72-4b80-b1b0-d745d6d5456d}",
                "ForAnyOfAllValues:GuidNotEquals{8e3af657-a8ff-443c-a75c-2fe8c4bcb635, \
                 18d7d88d-d35e-4fb5-a5c3-7773c20a72d9}",
            ),
        ),
    ]
}

/// Each slip passes a plain `check` as a warning and fails the CI recipe as an error, which
/// does not claim Azure would reject it.
#[test]
fn the_ci_recipe_fails_on_every_slip_that_widens_access() {
    assert_eq!(
        code(&azabac(&["check", "--deny", "widens-access", GOOD])),
        0
    );
    for (expected, slip) in slips() {
        let plain = azabac(&["check", "--format", "json", &slip]);
        assert_eq!(code(&plain), 0, "{expected}: a warning alone passes");
        let found = json(&plain);
        assert!(
            found["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["code"] == expected && d["severity"] == "warning"),
            "{expected}: {found}"
        );

        let recipe = azabac(&["check", "--deny", "widens-access", &slip]);
        assert_eq!(code(&recipe), 1, "{expected} fails the recipe");
        let stdout = String::from_utf8_lossy(&recipe.stdout);
        assert!(stdout.contains(&format!("[{expected}] Error")), "{stdout}");
        assert!(
            !stdout.contains("Azure would reject"),
            "a raised warning is not Azure's error: {stdout}"
        );
        // The code alone raises it too; allowing it silences it.
        assert_eq!(code(&azabac(&["check", "--deny", expected, &slip])), 1);
        let allowed = azabac(&[
            "check",
            "--deny",
            "widens-access",
            "--allow",
            expected,
            &slip,
        ]);
        assert_eq!(
            code(&allowed),
            0,
            "{expected}: the code named beats its category"
        );
    }
}

#[test]
fn errors_cannot_be_allowed_and_notes_and_unknown_names_are_usage_errors() {
    for args in [
        ["check", "--allow", "AZ0201"],
        ["check", "--allow", "AZ0003"],
        ["check", "--deny", "widens-acess"],
        ["check", "--allow", "AZ9999"],
        // A note is neither raised nor silenced: naming one would otherwise do nothing.
        ["check", "--deny", "AZ0404"],
        ["check", "--allow", "AZ0401"],
    ] {
        let mut args = args.to_vec();
        args.push(GOOD);
        let output = azabac(&args);
        assert_eq!(code(&output), 2, "{args:?}");
        assert!(!output.stderr.is_empty());
    }
    let both = azabac(&["check", "--deny", "AZ0315", "--allow", "AZ0315", GOOD]);
    assert_eq!(code(&both), 2);
    // A misspelt category would raise nothing: the error names the one meant.
    let misspelt = azabac(&["check", "--deny", "widens-acess", GOOD]);
    assert!(
        String::from_utf8_lossy(&misspelt.stderr).contains("did you mean `widens-access`?"),
        "{misspelt:?}"
    );
}

/// The delegation slip that needs the role: a condition on a role that can write role
/// assignments which gates only the delete leaves the write, and so every role, open. A
/// warning (AZ0318) that the CI recipe fails on; gating the write too passes it.
#[test]
fn the_ci_recipe_fails_on_a_delegation_whose_write_no_block_gates() {
    let delete_only = GOOD
        .replace("roleAssignments/write", "roleAssignments/delete")
        .replace("@Request", "@Resource");
    let role = ["--role", "Role Based Access Control Administrator"];
    let plain = azabac(&[&["check", "--format", "json"][..], &role, &[&delete_only]].concat());
    assert_eq!(code(&plain), 0);
    assert_eq!(json(&plain)["diagnostics"][0]["code"], "AZ0318");
    let recipe = azabac(
        &[
            &["check", "--deny", "widens-access"][..],
            &role,
            &[&delete_only],
        ]
        .concat(),
    );
    assert_eq!(code(&recipe), 1);
    let both = format!("({GOOD}) AND ({delete_only})");
    let recipe = azabac(&[&["check", "--deny", "widens-access"][..], &role, &[&both]].concat());
    assert_eq!(
        code(&recipe),
        0,
        "{}",
        String::from_utf8_lossy(&recipe.stdout)
    );
}

/// A scratch directory with an `azabac.toml` and a condition file, below a subdirectory from
/// which the file is found upwards.
fn project(name: &str, toml: &str, condition: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("azabac-config-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("sub")).unwrap();
    fs::write(dir.join("azabac.toml"), toml).unwrap();
    fs::write(dir.join("sub/delegation.cond"), condition).unwrap();
    dir
}

#[test]
fn the_project_file_is_found_upwards_and_can_be_named_or_ignored() {
    let [_, (_, no_bang), _] = slips();
    let dir = project("upwards", "[check]\ndeny = [\"widens-access\"]\n", &no_bang);
    let sub = dir.join("sub");
    assert_eq!(code(&azabac_in(&sub, &["check", "delegation.cond"])), 1);
    assert_eq!(
        code(&azabac_in(
            &sub,
            &["check", "--no-config", "delegation.cond"]
        )),
        0
    );
    // The command line adds to the file: allowing the code wins over the file's category.
    assert_eq!(
        code(&azabac_in(
            &sub,
            &["check", "--allow", "AZ0316", "delegation.cond"]
        )),
        0
    );
    let other = dir.join("other.toml");
    fs::write(&other, "[check]\nallow = [\"AZ0316\"]\n").unwrap();
    let named = azabac_in(
        &sub,
        &[
            "check",
            "--config",
            other.to_str().unwrap(),
            "delegation.cond",
        ],
    );
    assert_eq!(code(&named), 0, "--config replaces the file found upwards");
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_project_file_that_does_not_read_is_a_usage_error_naming_it() {
    for (toml, says) in [
        ("[check]\ndenny = [\"style\"]\n", "unknown field `denny`"),
        ("[check]\nallow = [\"AZ0201\"]\n", "cannot be allowed"),
        (
            "[[check.suppress]]\nfile = \"sub/delegation.cond\"\ncode = \"AZ0316\"\n",
            "needs a `reason`",
        ),
        (
            "[[check.suppress]]\nfile = \"x\"\ncode = \"AZ0201\"\nreason = \"no\"\n",
            "cannot be suppressed",
        ),
        ("[check\n", "azabac.toml"),
    ] {
        let dir = project("bad", toml, GOOD);
        let output = azabac_in(&dir, &["check", "sub/delegation.cond"]);
        assert_eq!(code(&output), 2, "{toml}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("azabac.toml"), "{stderr}");
        assert!(stderr.contains(says), "{toml}: {stderr}");
        fs::remove_dir_all(&dir).unwrap();
    }
}

/// A suppression naming a `for_each` resource covers each of its instances; naming one
/// instance, that instance alone.
#[test]
fn a_suppression_of_a_resource_covers_its_instances_or_names_one() {
    let dir = std::env::temp_dir().join(format!("azabac-instances-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    // A guard without its `!` (AZ0316) in every instance.
    fs::write(
        dir.join("main.tf"),
        "resource \"azurerm_role_assignment\" \"reader\" {\n\
           for_each = toset([\"logs\", \"audit\"])\n\
           scope = \"/subscriptions/00000000-0000-0000-0000-0000000000aa\"\n\
           role_definition_name = \"Storage Blob Data Reader\"\n\
           principal_id = \"7c1f0a55-2b1e-4d5a-9a59-6a7c0e3f2b10\"\n\
           principal_type = \"User\"\n\
           condition = \"((ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'}) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals '${each.key}'))\"\n\
         }\n",
    )
    .unwrap();
    for (resource, left) in [
        ("azurerm_role_assignment.reader", 0),
        ("azurerm_role_assignment.reader[\"logs\"]", 1),
    ] {
        fs::write(
            dir.join("azabac.toml"),
            format!(
                "[check]\ndeny = [\"widens-access\"]\n\n[[check.suppress]]\nfile = \"main.tf\"\n\
                 resource = '{resource}'\ncode = \"AZ0316\"\nreason = \"reviewed\"\n"
            ),
        )
        .unwrap();
        let output = azabac_in(&dir, &["check", "--format", "json", "."]);
        let results = json(&output);
        let raised: Vec<&Value> = results
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| {
                r["diagnostics"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|d| d["code"] == "AZ0316")
            })
            .collect();
        assert_eq!(raised.len(), left, "{resource}: {results}");
        if left == 1 {
            assert_eq!(
                raised[0]["resource"],
                "azurerm_role_assignment.reader[\"audit\"]"
            );
        }
    }
    fs::remove_dir_all(&dir).unwrap();
}

/// A suppression silences one code in one file (or one condition of a JSON file); an unused
/// one is a warning, which `--deny-warnings` makes fail.
#[test]
fn suppressions_silence_one_code_where_they_say_and_unused_ones_warn() {
    let [_, _, (_, deny_list)] = slips();
    let toml = "[check]\ndeny = [\"widens-access\"]\n\n\
        [[check.suppress]]\nfile = \"sub/delegation.cond\"\ncode = \"AZ0315\"\nreason = \"reviewed in SEC-1\"\n";
    let dir = project("suppress", toml, &deny_list);
    let output = azabac_in(&dir, &["check", "sub/delegation.cond"]);
    assert_eq!(
        code(&output),
        0,
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(output.stderr.is_empty());

    // The same entry for another code is unused: a warning on standard error.
    let stale = toml.replace("AZ0315", "AZ0316");
    fs::write(dir.join("azabac.toml"), &stale).unwrap();
    let output = azabac_in(&dir, &["check", "sub/delegation.cond"]);
    assert_eq!(code(&output), 1, "AZ0315 is raised again");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("suppressed nothing"), "{stderr}");

    // A JSON path narrows a suppression to one condition of a JSON file.
    let roles = serde_json::json!([{"roleName": "A", "permissions": [{"actions": ["*"], "condition": deny_list}]},
        {"roleName": "B", "permissions": [{"actions": ["*"], "condition": deny_list}]}]);
    fs::write(dir.join("sub/roles.json"), roles.to_string()).unwrap();
    let narrow = "[check]\ndeny = [\"widens-access\"]\n\n\
        [[check.suppress]]\nfile = \"sub/roles.json\"\npath = \"$[0].permissions[0].condition\"\ncode = \"AZ0315\"\nreason = \"A is reviewed\"\n";
    fs::write(dir.join("azabac.toml"), narrow).unwrap();
    let output = azabac_in(&dir, &["check", "--format", "json", "sub/roles.json"]);
    assert_eq!(code(&output), 1);
    let results = json(&output);
    assert_eq!(results[0]["valid"], true, "{results}");
    assert_eq!(results[1]["valid"], false, "{results}");
    // A resource names what holds the condition: here the role named B.
    let by_name = narrow.replace(
        "path = \"$[0].permissions[0].condition\"",
        "resource = \"B\"",
    );
    fs::write(dir.join("azabac.toml"), by_name).unwrap();
    let output = azabac_in(&dir, &["check", "--format", "json", "sub/roles.json"]);
    let results = json(&output);
    assert_eq!(results[0]["valid"], false, "{results}");
    assert_eq!(results[1]["valid"], true, "{results}");
    fs::remove_dir_all(&dir).unwrap();
}

/// Decision 29, issue 19 point 4: a condition from a JSON file is checked against its own
/// role without `--role`: the role definition it is a block of, or the role its assignment
/// assigns (built in, or defined in the files given). A role azabac cannot tell is a note.
#[test]
fn conditions_in_json_files_are_checked_against_their_own_role() {
    let dir = std::env::temp_dir().join(format!("azabac-own-role-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let write_guard = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write'})) OR \
        (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'))";
    let custom = "00000012-0000-0000-0000-000000000012";
    let assignments = serde_json::json!([
        // Storage Blob Data Reader does not grant blobs/write: AZ0311.
        {"principalId": "aaaaaaaa-0000-0000-0000-00000000a11c", "scope": "/subscriptions/00000000-0000-0000-0000-0000000000aa",
         "roleDefinitionId": "/subscriptions/00000000-0000-0000-0000-0000000000aa/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
         "condition": write_guard, "conditionVersion": "2.0"},
        // A custom role nobody defined: a note, the condition still checked.
        {"principalId": "aaaaaaaa-0000-0000-0000-00000000a11c", "scope": "/subscriptions/00000000-0000-0000-0000-0000000000aa",
         "roleDefinitionId": custom, "condition": write_guard, "conditionVersion": "2.0"}
    ]);
    fs::write(dir.join("assignments.json"), assignments.to_string()).unwrap();
    let output = azabac(&[
        "check",
        "--format",
        "json",
        dir.join("assignments.json").to_str().unwrap(),
    ]);
    assert_eq!(code(&output), 0, "warnings and notes only");
    let results = json(&output);
    let codes = |i: usize| -> Vec<(String, String)> {
        results[i]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap().to_owned(),
                    d["severity"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    assert!(
        codes(0).contains(&("AZ0311".into(), "warning".into())),
        "{results}"
    );
    assert_eq!(
        codes(1),
        [("AZ0401".to_owned(), "note".to_owned())],
        "{results}"
    );

    // Given beside, the custom role is known: it grants blobs/read only, so AZ0311 again.
    let roles = serde_json::json!([{"roleName": "Blob Peeker", "name": custom,
        "permissions": [{"dataActions": ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"]}]}]);
    fs::write(dir.join("roles.json"), roles.to_string()).unwrap();
    let output = azabac(&["check", "--format", "json", dir.to_str().unwrap()]);
    let results = json(&output);
    let all: Vec<&Value> = results.as_array().unwrap().iter().collect();
    assert!(
        all.iter().all(|r| r["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["code"] != "AZ0401")),
        "{results}"
    );
    assert_eq!(
        all.iter()
            .filter(|r| r["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["code"] == "AZ0311"))
            .count(),
        2,
        "{results}"
    );

    // `--role` names the role for every input, as before: Storage Blob Data Owner grants
    // blobs/write (no AZ0311) and is known (no AZ0401).
    let output = azabac(&[
        "check",
        "--format",
        "json",
        "--role",
        "Storage Blob Data Owner",
        dir.join("assignments.json").to_str().unwrap(),
    ]);
    let results = json(&output);
    for result in results.as_array().unwrap() {
        for d in result["diagnostics"].as_array().unwrap() {
            assert!(d["code"] != "AZ0311" && d["code"] != "AZ0401", "{results}");
        }
    }

    // A role definition's own block is checked against that role.
    let delegating = serde_json::json!([{"roleName": "Delegator", "name": "00000013-0000-0000-0000-000000000013",
        "permissions": [{"actions": ["Microsoft.Authorization/roleAssignments/write"],
            "condition": "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals{2a2b9908-6ea1-4ae2-8e65-a410df84e7d1}))"}]}]);
    fs::write(dir.join("delegating.json"), delegating.to_string()).unwrap();
    let output = azabac(&[
        "check",
        "--format",
        "json",
        dir.join("delegating.json").to_str().unwrap(),
    ]);
    let results = json(&output);
    assert!(
        results["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["code"] == "AZ0311"),
        "the role grants write, not the delete its block guards: {results}"
    );
    fs::remove_dir_all(&dir).unwrap();
}

/// Decision 23, issue 19 point 5: a `conditionVersion` of `1.0` beside a condition is an error
/// in `check` (Azure rejects it) and in `decide`, for assignments and role blocks alike, as is
/// one written as a number; a missing or `null` one means 2.0 in both.
#[test]
fn condition_version_one_is_an_error_in_check_and_decide_alike() {
    let dir = std::env::temp_dir().join(format!("azabac-version-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let condition = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'";
    let request = dir.join("request.json");
    fs::write(
        &request,
        serde_json::json!({"principalId": "aaaaaaaa-0000-0000-0000-00000000a11c",
            "scope": "/subscriptions/00000000-0000-0000-0000-0000000000aa", "action": "Microsoft.Storage/storageAccounts/read"})
        .to_string(),
    )
    .unwrap();
    // A number is not the string the API defines: both commands refuse it alike.
    for (version, refusal) in [
        (
            Some(serde_json::json!("1.0")),
            Some("condition version `1.0` is not supported"),
        ),
        (
            Some(serde_json::json!(2.0)),
            Some("expected a string, found a number"),
        ),
        (Some(serde_json::json!("2.0")), None),
        (Some(serde_json::Value::Null), None),
        (None, None),
    ] {
        let valid = refusal.is_none();
        let mut assignment = serde_json::json!({"principalId": "aaaaaaaa-0000-0000-0000-00000000a11c",
            "roleDefinitionId": "acdd72a7-3385-48ef-bd42-f606fba81ae7", "scope": "/subscriptions/00000000-0000-0000-0000-0000000000aa",
            "condition": condition});
        let mut role = serde_json::json!({"roleName": "R", "name": "00000014-0000-0000-0000-000000000014",
            "permissions": [{"actions": ["*/read"], "condition": condition}]});
        if let Some(version) = version {
            assignment["conditionVersion"] = version.clone();
            role["permissions"][0]["conditionVersion"] = version;
        }
        let assignments = dir.join("assignments.json");
        let roles = dir.join("roles.json");
        fs::write(&assignments, serde_json::json!([assignment]).to_string()).unwrap();
        fs::write(&roles, serde_json::json!([role]).to_string()).unwrap();
        for file in [&assignments, &roles] {
            let output = azabac(&["check", "--format", "json", file.to_str().unwrap()]);
            let result = json(&output);
            assert_eq!(result["valid"], valid, "{result}");
            if !valid {
                assert_eq!(code(&output), 1);
                assert_eq!(result["diagnostics"][0]["code"], "AZ0030", "{result}");
            }
        }
        for world in [
            ["--assignments", assignments.to_str().unwrap()],
            ["--roles", roles.to_str().unwrap()],
        ] {
            let mut args = vec![
                "decide",
                "--now",
                "2026-12-01T00:00:00Z",
                "--request",
                request.to_str().unwrap(),
            ];
            args.extend(world);
            let of_role = dir.join("of-role.json");
            if world[0] == "--roles" {
                // An assignment of the role, without a version of its own.
                fs::write(
                    &of_role,
                    serde_json::json!([{"principalId": "aaaaaaaa-0000-0000-0000-00000000a11c",
                        "roleDefinitionId": "00000014-0000-0000-0000-000000000014",
                        "scope": "/subscriptions/00000000-0000-0000-0000-0000000000aa"}])
                    .to_string(),
                )
                .unwrap();
                args.extend(["--assignments", of_role.to_str().unwrap()]);
            }
            let output = azabac(&args);
            let stderr = String::from_utf8_lossy(&output.stderr);
            match refusal {
                Some(refusal) => assert!(stderr.contains(refusal), "{world:?}: {stderr}"),
                None => assert!(output.status.success(), "{world:?}: {stderr}"),
            }
        }
    }
    fs::remove_dir_all(&dir).unwrap();
}

/// Issue 19 point 7: a suite case's request that gives an attribute Azure never sends for its
/// action is a warning (a vacuous `expect: false` does not pass silently), and an unknown field
/// in a case is an error naming it.
#[test]
fn suites_warn_of_attributes_azure_never_sends_and_refuse_unknown_case_fields() {
    let dir = std::env::temp_dir().join(format!("azabac-suite-checks-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let condition = "(!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'} AND SubOperationMatches{'Blob.List'})) OR \
        (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringStartsWith 'public/')";
    let vacuous = serde_json::json!({"condition": condition, "cases": [{
        "name": "listing a private folder is denied",
        "expect": false,
        "request": {"dataAction": "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
            "subOperations": ["Blob.List"],
            "resource": {"Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path": "private/a"}}
    }]});
    let suite = dir.join("vacuous.test.json");
    fs::write(&suite, vacuous.to_string()).unwrap();
    let output = azabac(&["test", "--format", "json", suite.to_str().unwrap()]);
    assert_eq!(code(&output), 0, "the case passes");
    let report = json(&output);
    let warnings = &report["suites"][0]["warnings"];
    assert_eq!(warnings.as_array().unwrap().len(), 1, "{report}");
    assert_eq!(warnings[0]["path"], "$.cases[0].request.resource");
    assert!(
        warnings[0]["message"]
            .as_str()
            .unwrap()
            .contains("Azure never sends `@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path]`"),
        "{report}"
    );
    let human = azabac(&["test", suite.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&human.stdout).contains("WARN "));

    let typo = serde_json::json!({"condition": condition, "cases": [{
        "name": "n", "expected": false, "request": {"action": "x/read"}}]});
    fs::write(&suite, typo.to_string()).unwrap();
    let output = azabac(&["test", suite.to_str().unwrap()]);
    assert_eq!(code(&output), 2);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("$.cases[0].expected"), "{stderr}");
    assert!(stderr.contains("did you mean `expect`?"), "{stderr}");
    fs::remove_dir_all(&dir).unwrap();
}

/// `azabac:suppress CODE REASON` comments in Terraform and Bicep silence a warning for the
/// conditions of the declaration they sit in or right above; one without a reason, or for an
/// error code, is a usage error naming its line; an unused one warns.
#[test]
fn comments_in_terraform_and_bicep_suppress_one_code_of_their_declaration() {
    let condition = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/\
        blobs/read'} AND NOT SubOperationMatches{'Blob.List'})) OR \
        (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] \
        StringEquals 'logs'))";
    let resource = |name: &str, comment: &str| {
        format!(
            "{comment}resource \"azurerm_role_assignment\" \"{name}\" {{\n  scope = \"x\"\n  \
             role_definition_name = \"Storage Blob Data Reader\"\n  condition = \"{condition}\"\n}}\n\n"
        )
    };
    let dir = std::env::temp_dir().join(format!("azabac-inline-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let tf = [
        resource(
            "above",
            "# The pipeline sets the principal type.\n# azabac:suppress AZ0317 set by policy\n",
        ),
        resource("plain", ""),
    ]
    .concat();
    fs::write(dir.join("main.tf"), &tf).unwrap();
    let bicep = format!(
        "resource inside 'Microsoft.Authorization/roleAssignments@2022-04-01' = {{\n  \
         name: 'x'\n  // azabac:suppress AZ0317 -- a group, set by the module\n  properties: {{\n    \
         roleDefinitionId: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'\n    principalId: 'y'\n    condition: '{}'\n  }}\n}}\n",
        condition.replace('\'', "\\'")
    );
    fs::write(dir.join("main.bicep"), &bicep).unwrap();
    let codes = |output: &std::process::Output| -> Vec<(String, Vec<String>)> {
        json(output)
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let codes = r["diagnostics"].as_array().unwrap().iter();
                (
                    r["resource"].as_str().unwrap().to_owned(),
                    codes
                        .map(|d| d["code"].as_str().unwrap().to_owned())
                        .collect(),
                )
            })
            .collect()
    };
    let output = azabac_in(&dir, &["check", "--no-config", "--format", "json", "."]);
    assert_eq!(code(&output), 0);
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let expected = vec![
        ("inside".to_owned(), vec![]),
        ("azurerm_role_assignment.above".to_owned(), vec![]),
        (
            "azurerm_role_assignment.plain".to_owned(),
            vec!["AZ0317".to_owned()],
        ),
    ];
    assert_eq!(codes(&output), expected);

    // An unused comment warns, and fails under --deny-warnings.
    fs::write(dir.join("main.tf"), tf.replace("AZ0317 set", "AZ0303 set")).unwrap();
    let output = azabac_in(
        &dir,
        &["check", "--no-config", "--deny-warnings", "main.tf"],
    );
    assert_eq!(code(&output), 1);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("main.tf:2: `azabac:suppress AZ0303` suppressed nothing"),
        "{stderr}"
    );

    for (comment, says) in [
        ("# azabac:suppress AZ0317\n", "needs a `reason`"),
        ("# azabac:suppress AZ0010 no\n", "cannot be suppressed"),
        (
            "# azabac:suppress principal type\n",
            "not a diagnostic code",
        ),
    ] {
        fs::write(dir.join("main.tf"), resource("bad", comment)).unwrap();
        let output = azabac_in(&dir, &["check", "--no-config", "main.tf"]);
        assert_eq!(code(&output), 2, "{comment}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("main.tf:1: `azabac:suppress`"), "{stderr}");
        assert!(stderr.contains(says), "{comment}: {stderr}");
    }
    fs::remove_dir_all(&dir).unwrap();
}
