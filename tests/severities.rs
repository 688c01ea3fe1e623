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
fn errors_cannot_be_allowed_and_unknown_names_are_usage_errors() {
    for args in [
        ["check", "--allow", "AZ0201"],
        ["check", "--allow", "AZ0003"],
        ["check", "--deny", "widens-acess"],
        ["check", "--allow", "AZ9999"],
    ] {
        let mut args = args.to_vec();
        args.push(GOOD);
        let output = azabac(&args);
        assert_eq!(code(&output), 2, "{args:?}");
        assert!(!output.stderr.is_empty());
    }
    let both = azabac(&["check", "--deny", "AZ0315", "--allow", "AZ0315", GOOD]);
    assert_eq!(code(&both), 2);
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
    fs::remove_dir_all(&dir).unwrap();
}
