//! The command line as users' scripts see it: exit codes, JSON shapes, inputs.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly on broken fixtures"
)]

#[path = "support/binary.rs"]
mod binary;

use std::process::{Command, Output, Stdio};

use binary::{azabac, azabac_with_stdin, code, json};

use serde_json::{Value, json as value};

const VALID: &str =
    "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'";
const INVALID: &str = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \"logs\"";
const WARNING: &str =
    "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] stringequals 'logs'";

#[test]
fn check_exit_codes() {
    assert_eq!(code(&azabac(&["check", VALID])), 0);
    assert_eq!(code(&azabac(&["check", INVALID])), 1);
    assert_eq!(code(&azabac(&["check", WARNING])), 0);
    assert_eq!(code(&azabac(&["check", "--deny-warnings", WARNING])), 1);
    assert_eq!(code(&azabac(&["check", "--no-such-flag", VALID])), 2);
    assert_eq!(code(&azabac(&["check"])), 2, "no input is a usage error");
    assert_eq!(code(&azabac(&["check", "-f", "does/not/exist.cond"])), 2);
}

#[test]
fn check_json_for_one_input_is_an_object_with_the_documented_fields() {
    let output = azabac(&["check", "--format", "json", INVALID]);
    assert_eq!(code(&output), 1);
    let value = json(&output);
    assert_eq!(value["valid"], false);
    let diagnostic = &value["diagnostics"][0];
    assert_eq!(diagnostic["code"], "AZ0003");
    assert_eq!(diagnostic["severity"], "error");
    assert_eq!(diagnostic["start"], 87);
    assert_eq!(diagnostic["end"], 93);
    assert_eq!(diagnostic["line"], 1);
    assert_eq!(diagnostic["column"], 88);
    assert!(
        diagnostic["message"]
            .as_str()
            .unwrap()
            .contains("double quotes")
    );
    assert!(diagnostic["help"].as_str().unwrap().contains("'logs'"));
}

#[test]
fn check_json_for_several_inputs_is_an_array() {
    let output = azabac(&["check", "--format", "json", VALID, INVALID]);
    assert_eq!(code(&output), 1);
    let value = json(&output);
    let array = value.as_array().unwrap();
    assert_eq!(array.len(), 2);
    assert_eq!(array[0]["valid"], true);
    assert_eq!(array[1]["valid"], false);
}

#[test]
fn deny_warnings_marks_the_input_invalid_in_json() {
    let value = json(&azabac(&[
        "check",
        "--format",
        "json",
        "--deny-warnings",
        WARNING,
    ]));
    assert_eq!(value["valid"], false);
    assert_eq!(value["diagnostics"][0]["severity"], "warning");
}

#[test]
fn reads_standard_input_and_files() {
    let output = azabac_with_stdin(&["check", "-"], Some(VALID));
    assert_eq!(
        code(&output),
        0,
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let output = azabac(&["check", "-f", "corpus/conditions/roles"]);
    assert_eq!(code(&output), 0);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("checked 34 conditions: 34 valid, 0 invalid (16 warnings)"),
        "{stdout}"
    );
}

/// An argument that reads as a path but names no file is a usage error saying so, not a
/// condition with four syntax errors; one word that is a condition is still read as one.
#[test]
fn a_path_that_does_not_exist_is_a_usage_error() {
    for typo in [
        "roles/missing.cond",
        "infra/main.tf",
        "exports/",
        "main.bicep",
        "corpusx",
    ] {
        let output = azabac(&["check", typo]);
        assert_eq!(code(&output), 2, "{typo}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("no such file or directory"), "{stderr}");
    }
    assert_eq!(code(&azabac(&["check", "true"])), 0);
    let attribute = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name]StringEquals'a.json'";
    assert_ne!(
        code(&azabac(&["check", attribute])),
        2,
        "a condition, not a path"
    );
}

#[test]
fn human_output_names_the_code_and_the_azure_message() {
    let output = azabac(&["check", "--color", "never", INVALID]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("[AZ0003] Error: string literal in double quotes"),
        "{stdout}"
    );
    assert!(
        stdout.contains("InvalidRoleAssignmentCondition"),
        "{stdout}"
    );
    assert!(
        stdout.contains("<argument 1>: invalid (1 error)"),
        "{stdout}"
    );
    assert!(
        !stdout.contains('\u{1b}'),
        "--color never must not emit escapes"
    );
}

#[test]
fn fmt_prints_canonical_text_and_check_reports_non_canonical_input() {
    let output = azabac(&["fmt", WARNING]);
    assert_eq!(code(&output), 0);
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!("{VALID}\n")
    );
    assert_eq!(code(&azabac(&["fmt", "--check", VALID])), 0);
    let output = azabac(&["fmt", "--check", WARNING]);
    assert_eq!(code(&output), 1);
    assert!(output.stdout.is_empty());
    assert_eq!(code(&azabac(&["fmt", INVALID])), 1);
}

#[test]
fn fmt_write_rewrites_files() {
    let dir = std::env::temp_dir().join(format!("azabac-fmt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("c.cond");
    std::fs::write(&file, WARNING).unwrap();
    let path = file.to_str().unwrap();
    assert_eq!(code(&azabac(&["fmt", "--write", "-f", path])), 0);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        format!("{VALID}\n")
    );
    assert_eq!(
        code(&azabac(&["fmt", "--check", "-f", path])),
        0,
        "a trailing newline is canonical in files"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn parse_json_has_the_documented_shape() {
    let output = azabac(&["parse", "--format", "json", VALID]);
    assert_eq!(code(&output), 0);
    let value = json(&output);
    assert_eq!(value["valid"], true);
    let condition = &value["condition"];
    assert_eq!(condition["kind"], "comparison");
    assert_eq!(condition["span"]["start"], 0);
    assert_eq!(condition["operator"]["name"], "StringEquals");
    assert_eq!(condition["operator"]["family"], "string");
    assert_eq!(condition["operator"]["negated"], false);
    assert_eq!(condition["operator"]["ignoreCase"], false);
    assert_eq!(condition["operator"]["quantifier"], Value::Null);
    assert_eq!(condition["left"]["kind"], "attribute");
    assert_eq!(condition["left"]["source"], "Resource");
    assert_eq!(condition["left"]["name"]["form"], "qualified");
    assert_eq!(condition["left"]["name"]["attribute"], "name");
    assert_eq!(condition["right"]["kind"], "string");
    assert_eq!(condition["right"]["value"], "logs");
    let output = azabac(&["parse", INVALID]);
    assert_eq!(code(&output), 1);
    assert_eq!(json(&output)["diagnostics"][0]["code"], "AZ0003");
}

#[test]
fn parse_tree_prints_nodes_with_spans() {
    let output = azabac(&["parse", "--format", "tree", "NOT Exists @Request[a:b]"]);
    assert_eq!(code(&output), 0);
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "not @0..24\n  exists @4..24\n    attribute Request qualified path=`a` attribute=`b` @11..24\n"
    );
}

#[test]
fn invalid_utf8_files_are_reported_not_fatal() {
    let output = azabac(&[
        "check",
        "--format",
        "json",
        "-f",
        "corpus/conditions/cases/az0028-invalid-utf8.cond",
    ]);
    assert_eq!(code(&output), 1);
    assert_eq!(json(&output)["diagnostics"][0]["code"], "AZ0028");
}

#[test]
fn check_exits_0_on_every_valid_corpus_condition_and_1_on_each_invalid_one() {
    let rows: Vec<Value> = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/corpus/conditions.jsonl"
    ))
    .unwrap()
    .lines()
    .map(|line| serde_json::from_str(line).unwrap())
    .collect();
    // Published texts Azure does not accept sit in docs-rejected/.
    let file = |row: &Value| {
        let id = row["id"].as_str().unwrap();
        let accepted = format!("corpus/conditions/docs/{id}.cond");
        if std::path::Path::new(&accepted).exists() {
            accepted
        } else {
            format!("corpus/conditions/docs-rejected/{id}.cond")
        }
    };
    let valid: Vec<String> = rows
        .iter()
        .filter(|r| r["valid"] == true)
        .map(file)
        .collect();
    let mut args = vec!["check", "-f"];
    args.extend(valid.iter().map(String::as_str));
    let output = azabac(&args);
    assert_eq!(
        code(&output),
        0,
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    for row in rows.iter().filter(|r| r["valid"] == false) {
        let path = file(row);
        let output = azabac(&["check", "--format", "json", "-f", &path]);
        assert_eq!(code(&output), 1, "{path}");
        assert_eq!(
            json(&output)["diagnostics"][0]["severity"],
            "error",
            "{path}"
        );
    }
}

const LEVEL: &str = "!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'} AND NOT SubOperationMatches{'Blob.List'}) OR @Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Level] StringEquals 'senior'";

#[test]
fn a_catalogue_extension_declares_and_types_custom_security_attributes() {
    // Undeclared: known by its family, not type-checked, so only a warning.
    let value = json(&azabac(&["check", "--format", "json", LEVEL]));
    assert_eq!(value["valid"], true);
    assert_eq!(value["diagnostics"][0]["code"], "AZ0310");

    let output = azabac(&[
        "check",
        "--format",
        "json",
        "--catalog",
        "corpus/catalogs/contoso.json",
        LEVEL,
    ]);
    assert_eq!(code(&output), 1);
    let value = json(&output);
    let diagnostic = &value["diagnostics"][0];
    assert_eq!(diagnostic["code"], "AZ0203");
    assert_eq!(diagnostic["severity"], "error");
    assert_eq!(diagnostic["start"], LEVEL.find("StringEquals").unwrap());
    assert!(
        diagnostic["help"]
            .as_str()
            .unwrap()
            .contains("NumericEquals")
    );

    let fixed = LEVEL.replace("StringEquals 'senior'", "NumericGreaterThanEquals 3");
    let output = azabac(&["check", "--catalog", "corpus/catalogs/contoso.json", &fixed]);
    assert_eq!(
        code(&output),
        0,
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn a_broken_catalogue_or_role_is_a_usage_error() {
    let output = azabac(&["check", "--catalog", "Cargo.toml", LEVEL]);
    assert_eq!(code(&output), 2);
    assert!(String::from_utf8_lossy(&output.stderr).contains("catalogue `Cargo.toml`"));
    let output = azabac(&["check", "--role", "Storage Blob Data Readr", LEVEL]);
    assert_eq!(code(&output), 2);
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("did you mean `Storage Blob Data Reader`?")
    );
    assert_eq!(
        code(&azabac(&[
            "check",
            "--role-file",
            "does/not/exist.json",
            LEVEL
        ])),
        2
    );
}

#[test]
fn role_aware_checks_warn_about_targets_and_bypasses() {
    let write = "!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write'}) OR @Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'";
    let codes = |args: &[&str]| -> Vec<String> {
        let output = azabac(args);
        assert_eq!(code(&output), 0, "role checks are warnings");
        json(&output)["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        codes(&["check", "--format", "json", write]),
        Vec::<String>::new()
    );
    assert_eq!(
        codes(&[
            "check",
            "--format",
            "json",
            "--role",
            "Storage Blob Data Reader",
            write
        ]),
        ["AZ0311"]
    );
    // By GUID: Storage Blob Data Contributor.
    assert_eq!(
        codes(&[
            "check",
            "--format",
            "json",
            "--role",
            "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
            write
        ]),
        ["AZ0312"]
    );
    let role_file = std::env::temp_dir().join(format!("azabac-role-{}.json", std::process::id()));
    std::fs::write(
        &role_file,
        r#"{"Name": "Blob writer", "Actions": [], "DataActions": [
            "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write"]}"#,
    )
    .unwrap();
    let path = role_file.to_str().unwrap();
    assert_eq!(
        codes(&["check", "--format", "json", "--role-file", path, write]),
        Vec::<String>::new()
    );
    std::fs::remove_file(&role_file).unwrap();
}

const OWNER_ROLE: &str = "corpus/conditions/roles/azure-ai-account-owner.cond";

#[test]
fn eval_prints_the_result_and_exits_0_for_either() {
    let allowed = azabac(&[
        "eval",
        "-f",
        OWNER_ROLE,
        "--request",
        "corpus/requests/assign-ai-user.json",
    ]);
    assert_eq!(code(&allowed), 0);
    assert_eq!(String::from_utf8_lossy(&allowed.stdout), "true\n");
    let denied = azabac(&[
        "eval",
        "-f",
        OWNER_ROLE,
        "--request",
        "corpus/requests/assign-owner.json",
    ]);
    assert_eq!(code(&denied), 0);
    assert_eq!(String::from_utf8_lossy(&denied.stdout), "false\n");
}

#[test]
fn eval_json_has_the_documented_shape() {
    let output = azabac(&[
        "eval",
        "-f",
        OWNER_ROLE,
        "--request",
        "corpus/requests/assign-owner.json",
        "--format",
        "json",
    ]);
    assert_eq!(code(&output), 0);
    assert_eq!(
        json(&output),
        serde_json::json!({"result": false, "errors": []})
    );
    // An evaluation error: reported, and the condition is false (fail closed).
    let condition = "NOT (@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Project] StringEquals 'Baker')";
    let output = azabac(&[
        "eval",
        condition,
        "--request",
        "corpus/requests/read-cascade-blob.json",
        "--format",
        "json",
    ]);
    assert_eq!(code(&output), 0);
    let value = json(&output);
    assert_eq!(value["result"], false);
    assert_eq!(value["errors"][0]["kind"], "listWithoutQuantifier");
    assert_eq!(value["errors"][0]["column"], 6);
}

#[test]
fn eval_exits_1_on_an_invalid_condition_or_request() {
    let output = azabac(&[
        "eval",
        INVALID,
        "--request",
        "corpus/requests/assign-owner.json",
        "--format",
        "json",
    ]);
    assert_eq!(code(&output), 1);
    let value = json(&output);
    assert_eq!(value["result"], false);
    assert_eq!(value["errors"][0]["code"], "AZ0003");
    let output = azabac_with_stdin(
        &["eval", VALID, "--request", "-", "--format", "json"],
        Some(
            r#"{"action": "x", "resource": {"Microsoft.Storage/storageAccounts/blobServices/containers:name": 7}}"#,
        ),
    );
    assert_eq!(code(&output), 1);
    let value = json(&output);
    assert_eq!(value["errors"][0]["kind"], "request");
    assert_eq!(
        value["errors"][0]["path"],
        r#"$.resource["Microsoft.Storage/storageAccounts/blobServices/containers:name"]"#
    );
    let human = azabac(&[
        "eval",
        VALID,
        "--request",
        "corpus/requests/does-not-exist.json",
    ]);
    assert_eq!(
        code(&human),
        2,
        "an unreadable request file is an I/O error"
    );
    assert_eq!(
        code(&azabac(&[
            "eval",
            VALID,
            VALID,
            "--request",
            "corpus/requests/assign-owner.json"
        ])),
        2
    );
}

#[test]
fn eval_trace_shows_why() {
    let output = azabac(&[
        "eval",
        "-f",
        OWNER_ROLE,
        "--request",
        "corpus/requests/assign-owner.json",
        "--trace",
    ]);
    assert_eq!(code(&output), 0);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("false\nresult: false\n"), "{text}");
    assert!(
        text.contains("· @Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] = 8e3af657-a8ff-443c-a75c-2fe8c4bcb635"),
        "{text}"
    );
    let decided: Vec<&str> = text.lines().filter(|l| l.ends_with('◀')).collect();
    assert!(
        decided
            .iter()
            .any(|l| l.contains("ForAnyOfAnyValues:GuidEquals")),
        "{text}"
    );
    let output = azabac(&[
        "eval",
        "-f",
        OWNER_ROLE,
        "--request",
        "corpus/requests/assign-owner.json",
        "--trace",
        "--format",
        "json",
    ]);
    let trace = json(&output)["trace"].as_array().unwrap().clone();
    assert_eq!(trace[0]["depth"], 0);
    assert_eq!(trace[0]["value"], false);
    assert!(
        trace.iter().any(|n| n["value"].is_null()),
        "short-circuited nodes are null"
    );
}

#[test]
fn compile_disasm_lists_the_program() {
    let output = azabac(&["compile", "--disasm", "-f", OWNER_ROLE]);
    assert_eq!(code(&output), 0);
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("guid.in.any"), "{text}");
    assert_eq!(code(&azabac(&["compile", INVALID])), 1);
    let summary = azabac(&["compile", VALID]);
    assert_eq!(
        String::from_utf8_lossy(&summary.stdout),
        "<argument 1>: compiled, 1 instructions\n"
    );
}

const WORLD: [&str; 6] = [
    "--assignments",
    "corpus/worlds/contoso/assignments.json",
    "--deny-assignments",
    "corpus/worlds/contoso/deny-assignments.json",
    "--hierarchy",
    "corpus/worlds/contoso/hierarchy.json",
];
const ALICE: &str = "aaaaaaaa-0000-0000-0000-00000000a11c";
const RG1: &str = "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg1";

fn with_world(args: &[&str]) -> Output {
    let mut all = args.to_vec();
    all.extend(WORLD);
    azabac(&all)
}

#[test]
fn decide_prints_the_documented_json_and_exits_0_for_either_decision() {
    let request = r#"{"principalId": "aaaaaaaa-0000-0000-0000-00000000a11c",
        "scope": "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg1",
        "action": "Microsoft.Authorization/roleAssignments/write",
        "request": {"Microsoft.Authorization/roleAssignments:RoleDefinitionId": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"}}"#;
    let mut args = vec!["decide", "--request", "-", "--format", "json", "--trace"];
    args.extend(WORLD);
    let output = azabac_with_stdin(&args, Some(request));
    assert_eq!(code(&output), 0);
    let value = json(&output);
    assert_eq!(value["decision"], "deny");
    assert!(
        value["reason"]
            .as_str()
            .unwrap()
            .contains("condition is false")
    );
    let candidate = &value["assignments"][0];
    assert_eq!(candidate["role"], "Azure AI Account Owner");
    assert_eq!(candidate["result"], "conditionFalse");
    assert_eq!(candidate["roleCondition"]["result"], false);
    assert!(candidate["roleCondition"]["trace"].is_array());
    for key in ["id", "roleId", "scope", "viaGroup", "condition"] {
        assert!(candidate.get(key).is_some(), "{key}");
    }
}

#[test]
fn decide_stream_answers_each_line_in_order_and_flags_bad_lines() {
    let output = with_world(&[
        "decide",
        "--requests",
        "corpus/worlds/contoso/requests.jsonl",
    ]);
    assert_eq!(code(&output), 0);
    let text = String::from_utf8(output.stdout).unwrap();
    let decisions: Vec<(u64, String)> = text
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (
                v["line"].as_u64().unwrap(),
                v["decision"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = ["allow", "deny", "allow", "deny", "deny", "allow", "deny"];
    assert_eq!(decisions.len(), expected.len());
    for (i, ((line, decision), want)) in decisions.iter().zip(expected).enumerate() {
        assert_eq!(*line, i as u64 + 1);
        assert_eq!(decision, want, "line {line}");
    }
    let mut args = vec!["decide", "--requests", "-"];
    args.extend(WORLD);
    let bad = "{\"principalId\": \"nope\", \"scope\": \"/\", \"action\": \"a\"}\nnot json\n";
    let output = azabac_with_stdin(&args, Some(bad));
    assert_eq!(code(&output), 1);
    let text = String::from_utf8(output.stdout).unwrap();
    for line in text.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        assert_eq!(v["decision"], "deny", "bad input is never an allow");
        assert_eq!(v["errors"][0]["kind"], "input");
    }
}

#[test]
fn delegation_commands_answer_in_one_line() {
    let assign = |role: &str| {
        with_world(&[
            "can-assign",
            "--as",
            ALICE,
            "--role",
            role,
            "--to",
            "eeeeeeee-0000-0000-0000-0000000000e0",
            "--principal-type",
            "User",
            "--scope",
            RG1,
        ])
    };
    let yes = assign("azure ai user");
    assert_eq!(code(&yes), 0);
    assert!(
        String::from_utf8_lossy(&yes.stdout)
            .starts_with("allow: granted by Azure AI Account Owner")
    );
    let no = assign("Owner");
    assert_eq!(code(&no), 0);
    assert!(String::from_utf8_lossy(&no.stdout).starts_with("deny:"));
    let output = with_world(&[
        "assignable-roles",
        "--as",
        ALICE,
        "--scope",
        RG1,
        "--format",
        "json",
    ]);
    assert_eq!(code(&output), 0);
    let roles = json(&output)["roles"].clone();
    assert_eq!(
        roles,
        serde_json::json!([{"name": "Azure AI User", "id": "53ca6127-db72-4b80-b1b0-d745d6d5456d"}])
    );
    let output = with_world(&[
        "can-delete",
        "--as",
        ALICE,
        "--assignment",
        "a1a1a1a1-0000-0000-0000-000000000002",
    ]);
    assert_eq!(code(&output), 0);
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("deny: no role grants"));
}

#[test]
fn bad_world_files_exit_1_naming_file_and_path() {
    let dir = std::env::temp_dir().join(format!("azabac-cli-world-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.json");
    std::fs::write(
        &path,
        r#"[{"scope": "/", "principalId": 7, "roleDefinitionId": "x"}]"#,
    )
    .unwrap();
    let output = azabac(&[
        "decide",
        "--request",
        "corpus/requests/assign-ai-user.json",
        "--assignments",
        path.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code(&output), 1);
    let value = json(&output);
    assert_eq!(value["decision"], "deny");
    assert_eq!(value["errors"][0]["path"], "$[0].principalId");
    assert!(
        value["errors"][0]["file"]
            .as_str()
            .unwrap()
            .ends_with("bad.json")
    );
}

/// Damaged request lines, thousands of them in one stream: every line that could not be read
/// is answered with `"decision": "deny"` and its error, never an allow, and the exit status
/// says some lines were bad. Damage is drawn from a seeded generator over the example
/// tenant's requests: fields removed, retyped, duplicated, renamed; text cut, spliced or
/// sprinkled with bytes.
#[test]
fn decide_stream_never_allows_a_line_it_could_not_read() {
    let valid: Vec<Value> = std::fs::read_to_string("corpus/worlds/contoso/requests.jsonl")
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut below = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let fields = [
        "principalId",
        "scope",
        "action",
        "dataAction",
        "groupIds",
        "request",
        "resource",
        "principalType",
    ];
    let junk = [
        value!(null),
        value!(7),
        value!(-1e300),
        value!("not a guid"),
        value!([]),
        value!({}),
        value!(["x"]),
        value!(true),
    ];
    let mut lines = Vec::new();
    for _ in 0..3_000 {
        let mut value = valid[below(valid.len())].clone();
        let object = value.as_object_mut().unwrap();
        let field = fields[below(fields.len())];
        let line = match below(7) {
            0 => {
                object.remove(field);
                value.to_string()
            }
            1 => {
                object.insert(field.to_owned(), junk[below(junk.len())].clone());
                value.to_string()
            }
            2 => {
                // A duplicate key, written by hand since JSON values cannot hold one.
                let text = value.to_string();
                format!("{{\"{field}\": {},{}", junk[below(junk.len())], &text[1..])
            }
            3 => {
                let text = value.to_string();
                text[..below(text.len())].to_owned()
            }
            4 => {
                let text = value.to_string();
                let at = below(text.len());
                format!("{}\u{0}{}", &text[..at], &text[at..])
            }
            5 => {
                object.insert(format!("{field}X"), value!("x"));
                value.to_string()
            }
            _ => value.to_string(),
        };
        // Keep every line one line, as JSONL requires.
        lines.push(line.replace('\n', " "));
    }
    let input = lines.join("\n");
    let mut args = vec!["decide", "--requests", "-"];
    args.extend(WORLD);
    let output = azabac_with_stdin(&args, Some(&input));
    let out = String::from_utf8_lossy(&output.stdout);
    let answers: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let asked = lines.iter().filter(|l| !l.trim().is_empty()).count();
    assert_eq!(answers.len(), asked);
    let mut bad = 0;
    for answer in &answers {
        if answer.get("errors").is_some() {
            bad += 1;
            assert_eq!(answer["decision"], "deny", "{answer}");
        }
    }
    assert!(bad > 1_000, "only {bad} damaged lines were refused");
    assert_eq!(code(&output), 1);
}

const JSON_ASSIGNMENTS: &str = r#"[
  {
    "principalId": "aaaaaaaa-0000-0000-0000-00000000a11c",
    "roleDefinitionId": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
    "scope": "/subscriptions/00000000-0000-0000-0000-0000000000aa",
    "condition": "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEqual \"logs\"",
    "conditionVersion": "2.0"
  },
  {"principalId": "aaaaaaaa-0000-0000-0000-00000000a11c", "scope": "/", "condition": null,
   "roleDefinitionId": "acdd72a7-3385-48ef-bd42-f606fba81ae7"},
  {"properties": {"condition": "@Environment[isPrivateLink] BoolEquals true"}}
]
"#;

fn json_fixture(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("azabac-cli-json-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("assignments.json");
    std::fs::write(&path, JSON_ASSIGNMENTS).unwrap();
    path
}

/// `check` reads the `condition` fields of JSON files given by name or found in a directory,
/// and reports at the file's line and column, inside the JSON string.
#[test]
fn check_reads_conditions_from_json_files_and_reports_into_them() {
    let path = json_fixture("check");
    let dir = path.parent().unwrap().to_str().unwrap().to_owned();
    let output = azabac(&["check", &dir, "--format", "json"]);
    assert_eq!(code(&output), 1);
    let results = json(&output);
    let results = results.as_array().unwrap();
    assert_eq!(
        results.len(),
        2,
        "two conditions; the null one is not a condition"
    );
    assert_eq!(results[0]["jsonPath"], "$[0].condition");
    assert_eq!(results[1]["jsonPath"], "$[2].properties.condition");
    assert_eq!(results[1]["valid"], true);
    let first = &results[0]["diagnostics"][0];
    assert_eq!(first["code"], "AZ0015");
    // Line 6 of the file; the column of `StringEqual` inside the JSON string.
    let line = JSON_ASSIGNMENTS.lines().nth(5).unwrap();
    assert_eq!(first["line"], 6);
    assert_eq!(
        first["column"],
        line.find("StringEqual").unwrap() + 1,
        "{first}"
    );
    // The double-quoted string sits after an escaped quote: still the right column.
    let second = &results[0]["diagnostics"][1];
    assert_eq!(second["code"], "AZ0003");
    assert_eq!(second["column"], line.find(r#"\"logs"#).unwrap() + 1);
    // The human report shows the file's line.
    let human = azabac(&["check", path.to_str().unwrap(), "--color", "never"]);
    let stdout = String::from_utf8_lossy(&human.stdout);
    assert!(
        stdout.contains(&format!(
            "assignments.json:6:{}",
            line.find("StringEqual").unwrap() + 1
        )),
        "{stdout}"
    );
    assert!(stdout.contains("$[0].condition: invalid"));
}

/// `--format github`: workflow commands at the file, line and column of each finding.
#[test]
fn check_github_annotations_point_into_the_json_file() {
    let path = json_fixture("github");
    let file = path.to_str().unwrap();
    let output = azabac(&["check", file, "--format", "github"]);
    assert_eq!(code(&output), 1);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = JSON_ASSIGNMENTS.lines().nth(5).unwrap();
    let column = line.find("StringEqual").unwrap() + 1;
    let first = stdout.lines().next().unwrap();
    assert!(
        first.starts_with(&format!(
            "::error file={},line=6,col={column},endLine=6,endColumn={},title=AZ0015",
            file.replace(':', "%3A").replace(',', "%2C"),
            column + "StringEqual".len()
        )),
        "{first}"
    );
    assert!(first.contains("::unknown operator `StringEqual`%0Adid you mean `StringEquals`?"));
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("::error ")).count(),
        2
    );
    // The valid condition's warning (no ActionMatches guard), on its own line of the file.
    let warning = stdout
        .lines()
        .find(|l| l.starts_with("::warning "))
        .unwrap();
    assert!(
        warning.contains(",line=11,") && warning.contains("title=AZ0303"),
        "{warning}"
    );
    // The run's summary ends the output, also when nothing is found (issue 32).
    assert_eq!(
        stdout.lines().last(),
        Some(
            "::notice title=azabac::checked 2 conditions: 1 valid, 1 invalid (2 errors, 1 warning)"
        ),
        "{stdout}"
    );
    let clean = azabac(&[
        "check",
        "--format",
        "github",
        "--role",
        "Storage Blob Data Reader",
        "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'))",
    ]);
    assert_eq!(
        String::from_utf8_lossy(&clean.stdout).lines().last(),
        Some("::notice title=azabac::checked 1 condition: 1 valid, 0 invalid"),
    );
    // Files named from the repository's root: `./x` is `x`, in annotations as in SARIF.
    let relative = azabac(&["check", "--format", "github", "./corpus/iac/arm/pim.json"]);
    let stdout = String::from_utf8_lossy(&relative.stdout);
    assert!(
        stdout.contains("::error file=corpus/iac/arm/pim.json,"),
        "{stdout}"
    );
    let sarif = json(&azabac(&[
        "check",
        "--format",
        "sarif",
        "./corpus/iac/arm/pim.json",
    ]));
    let uri = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"];
    assert_eq!(uri, "corpus/iac/arm/pim.json", "{sarif}");
}

/// `azabac test` on the example project: the summary line, exit 0 when every case passes, 1
/// with the failure's reason and trace when one fails, 2 when a suite cannot be read.
#[test]
fn test_runs_suites_and_reports_failures_with_reason_and_trace() {
    let passing = azabac(&["test", "examples/ai-delegation/tests"]);
    assert_eq!(code(&passing), 0);
    let stdout = String::from_utf8_lossy(&passing.stdout);
    assert_eq!(
        stdout.lines().last(),
        Some("11 passed, 0 failed"),
        "{stdout}"
    );

    let failing = azabac(&["test", "examples/ai-delegation/failing"]);
    assert_eq!(code(&failing), 1);
    let stdout = String::from_utf8_lossy(&failing.stdout);
    assert!(
        stdout
            .contains("FAIL examples/ai-delegation/failing/deliberately-failing.test.json › Alice")
    );
    assert!(stdout.contains("expected allow, got deny"));
    assert!(
        stdout.contains("reason: roles grant action Microsoft.Authorization/roleAssignments/write")
    );
    assert!(
        stdout.contains("ForAnyOfAnyValues:GuidEquals{53ca6127"),
        "the trace: {stdout}"
    );
    assert_eq!(stdout.lines().last(), Some("0 passed, 1 failed"));

    let json_output = azabac(&[
        "test",
        "examples/ai-delegation/tests",
        "examples/ai-delegation/failing",
        "--format",
        "json",
    ]);
    assert_eq!(code(&json_output), 1);
    let value = json(&json_output);
    assert_eq!(
        (value["passed"].as_u64(), value["failed"].as_u64()),
        (Some(11), Some(1))
    );
    assert_eq!(value["suites"].as_array().unwrap().len(), 3);

    let github = azabac(&[
        "test",
        "examples/ai-delegation/failing",
        "--format",
        "github",
    ]);
    let stdout = String::from_utf8_lossy(&github.stdout);
    assert!(stdout.starts_with(
        "::error file=examples/ai-delegation/failing/deliberately-failing.test.json,line=7,col=5,title=Alice"
    ));

    let dir = std::env::temp_dir().join(format!("azabac-cli-suite-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let broken = dir.join("broken.test.json");
    std::fs::write(
        &broken,
        r#"{"world": {}, "cases": [{"assign": {"as": "nobody", "role": "Owner", "scope": "/"}, "expect": "deny"}]}"#,
    )
    .unwrap();
    let output = azabac(&["test", broken.to_str().unwrap()]);
    assert_eq!(code(&output), 2);
    assert!(
        !String::from_utf8_lossy(&output.stdout).contains("passed"),
        "a suite not read prints no pass/fail summary"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "$.cases[0].assign.as: `nobody` is neither a GUID nor a name in `principals`"
        ),
        "{stderr}"
    );
}

/// `azabac snapshot` on the example project prints exactly the committed snapshot files, so
/// the example stays true; an invalid condition prints its diagnostics and exits 1.
#[test]
fn snapshot_prints_the_example_projects_snapshots() {
    for (condition, requests, snapshot) in [
        (
            "blob-project-tag.cond",
            "requests.jsonl",
            "blob-project-tag.snap",
        ),
        (
            "delegate-all-but-privileged.cond",
            "delegation-requests.jsonl",
            "delegate-all-but-privileged.snap",
        ),
    ] {
        let dir = "examples/ai-delegation";
        let output = azabac(&[
            "snapshot",
            "-f",
            &format!("{dir}/conditions/{condition}"),
            "--requests",
            &format!("{dir}/{requests}"),
        ]);
        assert_eq!(code(&output), 0);
        let expected = std::fs::read_to_string(format!("{dir}/snapshots/{snapshot}")).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            expected,
            "{snapshot}"
        );
    }
    let invalid = azabac(&["snapshot", INVALID]);
    assert_eq!(code(&invalid), 1);
    assert!(String::from_utf8_lossy(&invalid.stdout).contains("AZ0003"));
}

/// `--format sarif` of `check` (a condition inside a JSON file) and of `test` (a failing
/// case) validates against the SARIF 2.1.0 schema (`tests/data/sarif-schema-2.1.0.json`,
/// OASIS, as shipped by the serde-sarif crate), and locates the finding in the JSON file.
#[test]
fn sarif_output_validates_against_the_sarif_2_1_0_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string("tests/data/sarif-schema-2.1.0.json").unwrap(),
    )
    .unwrap();
    assert_eq!(
        schema["title"],
        "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    );
    // The published schema's BCP 47 `language` pattern has a stray `]` that a strict regex
    // engine rejects when compiling the schema; azabac never writes `language`, so the two
    // occurrences are dropped from this in-memory copy (the file stays as published).
    let mut schema = schema;
    assert_eq!(drop_broken_language_pattern(&mut schema), 2);
    let validator = jsonschema::validator_for(&schema).unwrap();
    // The validator does reject what is not SARIF 2.1.0.
    assert!(!validator.is_valid(&value!({"version": "2.1.0"})));
    assert!(!validator.is_valid(&value!({"version": "2.0.0", "runs": []})));
    let path = json_fixture("sarif");
    let check = azabac(&["check", path.to_str().unwrap(), "--format", "sarif"]);
    assert_eq!(code(&check), 1);
    let test = azabac(&[
        "test",
        "examples/ai-delegation/failing",
        "--format",
        "sarif",
    ]);
    assert_eq!(code(&test), 1);
    for output in [&check, &test] {
        let log = json(output);
        let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:#?}\n{log:#}");
    }
    let log = json(&check);
    let first = &log["runs"][0]["results"][0];
    assert_eq!(first["ruleId"], "AZ0015");
    let line = JSON_ASSIGNMENTS.lines().nth(5).unwrap();
    let region = &first["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 6);
    assert_eq!(region["startColumn"], line.find("StringEqual").unwrap() + 1);
    assert_eq!(
        json(&test)["runs"][0]["results"][0]["ruleId"],
        "test-failure"
    );
}

/// Removes every `"pattern"` equal to the SARIF 2.1.0 schema's malformed language pattern;
/// returns how many it removed.
fn drop_broken_language_pattern(value: &mut Value) -> usize {
    const BROKEN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    match value {
        Value::Object(object) => {
            let mut removed = 0;
            if object.get("pattern").and_then(Value::as_str) == Some(BROKEN) {
                object.remove("pattern");
                removed += 1;
            }
            removed
                + object
                    .values_mut()
                    .map(drop_broken_language_pattern)
                    .sum::<usize>()
        }
        Value::Array(items) => items.iter_mut().map(drop_broken_language_pattern).sum(),
        _ => 0,
    }
}

/// Suite features beyond the example: a given role named by an assignment (ignoring case),
/// a deny assignment whose principals are names, a hierarchy in a file beside the suite, and
/// an inline condition.
#[test]
fn test_suites_resolve_role_and_principal_names_and_world_files() {
    let output = azabac(&["test", "tests/data/suites"]);
    assert_eq!(
        code(&output),
        0,
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).lines().last(),
        Some("6 passed, 0 failed")
    );
}

/// A reader that stops early (`azabac … | head -1`) ends azabac quietly with the shell's
/// broken-pipe status, not with a panic on standard error.
#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_azabac"))
        .args(["check", "-f", "corpus/conditions", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert_eq!(first.trim(), "[");
    // The reader is dropped here: the rest of the output meets a closed pipe.
    let output = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    assert_eq!(output.status.code(), Some(141));
}

/// `explain` reads a condition in plain English; with `--role`, a guarded action the role does
/// not grant is pointed out (a data action is not granted by `*/read`).
#[test]
fn explain_reads_conditions_and_notes_actions_the_role_does_not_grant() {
    let owner = azabac(&[
        "explain",
        "-f",
        "corpus/conditions/roles/azure-ai-account-owner.cond",
    ]);
    assert_eq!(code(&owner), 0);
    assert_eq!(
        String::from_utf8_lossy(&owner.stdout),
        "For Microsoft.Authorization/roleAssignments/write: allowed only when the role being assigned is Azure AI User (53ca6127-db72-4b80-b1b0-d745d6d5456d).\n\
         For Microsoft.Authorization/roleAssignments/delete: allowed only when the role of the assignment being deleted is Azure AI User (53ca6127-db72-4b80-b1b0-d745d6d5456d).\n\
         Every other action: not restricted.\n"
    );
    let blob = "corpus/conditions/docs/blob-read-tag.cond";
    let reader = azabac(&["explain", "-f", blob, "--role", "Reader"]);
    let stdout = String::from_utf8_lossy(&reader.stdout);
    assert!(stdout.starts_with("As a condition of Reader:\n"));
    assert!(stdout.contains("(the role does not grant it)"), "{stdout}");
    let data_reader = azabac(&["explain", "-f", blob, "--role", "Storage Blob Data Reader"]);
    assert!(!String::from_utf8_lossy(&data_reader.stdout).contains("does not grant"));
    assert_eq!(code(&azabac(&["explain", INVALID])), 1);
    assert_eq!(
        code(&azabac(&["explain", VALID, "--role", "No Such Role"])),
        2
    );
}

/// `can-delete` with a name that matches two assignments is a usage error listing them, and
/// `can-assign` denies a role outside its assignable scopes, saying so (decision R16).
#[test]
fn delegation_commands_refuse_ambiguous_names_and_honour_assignable_scopes() {
    let dir = std::env::temp_dir().join(format!("azabac-cli-r16-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sub = "/subscriptions/00000000-0000-0000-0000-0000000000aa";
    let name = "0000000d-0000-0000-0000-00000000000d";
    let alice = "aaaaaaaa-0000-0000-0000-00000000a11c";
    let assignments = dir.join("assignments.json");
    std::fs::write(
        &assignments,
        value!([
            {"id": format!("{sub}/providers/Microsoft.Authorization/roleAssignments/{name}"),
             "principalId": alice, "roleDefinitionId": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"},
            {"id": format!("{sub}/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/{name}"),
             "principalId": alice, "roleDefinitionId": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"}
        ])
        .to_string(),
    )
    .unwrap();
    let roles = dir.join("roles.json");
    std::fs::write(
        &roles,
        value!([{"roleName": "Widget Reader", "name": "0000000c-0000-0000-0000-00000000000c",
            "assignableScopes": [format!("{sub}/resourceGroups/rg")],
            "permissions": [{"actions": ["Contoso.Widgets/widgets/read"]}]}])
        .to_string(),
    )
    .unwrap();
    let world = [
        "--assignments",
        assignments.to_str().unwrap(),
        "--roles",
        roles.to_str().unwrap(),
    ];
    let delete = azabac(
        &[
            &["can-delete", "--as", alice, "--assignment", name][..],
            &world[..],
        ]
        .concat(),
    );
    assert_eq!(code(&delete), 2);
    assert!(String::from_utf8_lossy(&delete.stderr).contains("names 2 assignments"));
    let assign = |scope: &str| {
        azabac(
            &[
                &[
                    "can-assign",
                    "--as",
                    alice,
                    "--role",
                    "Widget Reader",
                    "--to",
                    alice,
                    "--scope",
                    scope,
                    "--format",
                    "json",
                ][..],
                &world[..],
            ]
            .concat(),
        )
    };
    let outside = json(&assign(sub));
    assert_eq!(outside["decision"], "deny");
    assert!(
        outside["reason"]
            .as_str()
            .unwrap()
            .contains("cannot be assigned at"),
        "{outside}"
    );
    let inside = json(&assign(&format!("{sub}/resourceGroups/rg")));
    assert_eq!(inside["decision"], "allow", "{inside}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A role file never silently replaces a built-in (decision R14): the built-in repeated merges
/// silently, a wider copy is a warning and azabac's definition is used unless
/// `--prefer-exported-roles`, and a copy without the built-in condition is refused.
#[test]
fn a_role_file_never_silently_replaces_a_built_in_role() {
    let roles: Value =
        serde_json::from_str(&std::fs::read_to_string("src/catalog/builtin-roles.json").unwrap())
            .unwrap();
    let owner = roles
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["roleName"] == "Azure AI Account Owner")
        .unwrap()
        .clone();
    let dir = std::env::temp_dir().join(format!("azabac-cli-r14-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, role: &Value| {
        let path = dir.join(name);
        std::fs::write(&path, value!([role]).to_string()).unwrap();
        path.to_str().unwrap().to_owned()
    };
    let same = write("same.json", &owner);
    let mut wider = owner.clone();
    wider["permissions"][0]["actions"]
        .as_array_mut()
        .unwrap()
        .push(value!("Microsoft.Authorization/*"));
    let wider = write("wider.json", &wider);
    let mut lost = owner.clone();
    for block in lost["permissions"].as_array_mut().unwrap() {
        block.as_object_mut().unwrap().remove("condition");
    }
    let lost = write("lost.json", &lost);
    let assign_owner = |roles: &str, extra: &[&str]| {
        azabac(
            &[
                &[
                    "can-assign",
                    "--as",
                    "aaaaaaaa-0000-0000-0000-00000000a11c",
                    "--role",
                    "Owner",
                    "--to",
                    "eeeeeeee-0000-0000-0000-0000000000e0",
                    "--principal-type",
                    "User",
                    "--scope",
                    "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg1",
                    "--assignments",
                    "corpus/worlds/contoso/assignments.json",
                    "--roles",
                    roles,
                    "--format",
                    "json",
                ][..],
                extra,
            ]
            .concat(),
        )
    };
    let output = assign_owner(&same, &[]);
    assert_eq!(json(&output)["decision"], "deny");
    assert_eq!(json(&output)["warnings"], value!([]));
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let output = assign_owner(&wider, &[]);
    let warning = &json(&output)["warnings"][0];
    assert_eq!(warning["kind"], "role");
    assert_eq!(warning["path"], "$[0]");
    assert!(warning["file"].as_str().unwrap().ends_with("wider.json"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("differs from the built-in definition"),
        "{stderr}"
    );
    assert!(
        stderr.contains("azabac's built-in definition is used"),
        "{stderr}"
    );
    assert_eq!(
        json(&output)["decision"],
        "deny",
        "the shipped condition still holds"
    );
    let output = assign_owner(&wider, &["--prefer-exported-roles"]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("the export's definition is used"));
    let output = assign_owner(&lost, &[]);
    assert_eq!(code(&output), 1);
    assert_eq!(json(&output)["decision"], "deny");
    assert!(
        json(&output)["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("has a condition in permission block 1")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every deciding command takes `--now`; the decision says when it was made, and a time that
/// is not RFC 3339 in UTC is a usage error (decision R13).
#[test]
fn decisions_are_made_at_now() {
    let world = ["--assignments", "corpus/worlds/contoso/assignments.json"];
    let args = |now: &'static str| {
        [
            &[
                "can-assign",
                "--as",
                "aaaaaaaa-0000-0000-0000-00000000a11c",
                "--role",
                "Azure AI User",
                "--to",
                "eeeeeeee-0000-0000-0000-0000000000e0",
                "--principal-type",
                "User",
                "--scope",
                "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg1",
                "--format",
                "json",
                "--now",
                now,
            ][..],
            &world[..],
        ]
        .concat()
    };
    let output = azabac(&args("2026-12-01T00:00:00Z"));
    assert_eq!(code(&output), 0);
    assert_eq!(json(&output)["now"], "2026-12-01T00:00:00Z");
    assert_eq!(json(&output)["decision"], "allow");
    assert_eq!(code(&azabac(&args("tomorrow"))), 2);
    // An offset names the same instant in UTC (decision R19); a time without one is refused.
    let offset = azabac(&args("2026-12-01T01:00:00+01:00"));
    assert_eq!(code(&offset), 0);
    assert_eq!(json(&offset)["now"], "2026-12-01T00:00:00Z");
    assert_eq!(code(&azabac(&args("2026-12-01T00:00:00"))), 2);
}
