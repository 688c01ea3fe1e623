//! The small things a team meets every day in CI (issue 21): several reports from one run,
//! snapshot checks, and the rest of the pipeline's papercuts.

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

use binary::{azabac, code};

/// A scratch directory of this test process, emptied first.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("azabac-pipeline-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// `--json FILE` and `--sarif FILE` write the reports that `--format json` and `--format sarif`
/// print, in the same run as the annotations on standard output, with the same exit code.
#[test]
fn one_check_run_writes_annotations_json_and_sarif() {
    let dir = scratch("check");
    let (json_file, sarif_file) = (dir.join("check.json"), dir.join("check.sarif"));
    let inputs = [
        "corpus/cases/d05-empty-set-rejected.json",
        "corpus/conditions/docs",
    ];
    let mut args = vec!["check", "--format", "github"];
    args.extend(inputs);
    let (json_arg, sarif_arg) = (json_file.to_str().unwrap(), sarif_file.to_str().unwrap());
    args.extend(["--json", json_arg, "--sarif", sarif_arg]);
    let run = azabac(&args);
    let annotations = String::from_utf8(run.stdout.clone()).unwrap();
    assert!(annotations.starts_with("::"), "{annotations}");
    assert!(annotations.contains("::error file=corpus/cases/d05-empty-set-rejected.json"));

    let alone = |format: &str| {
        let mut args = vec!["check", "--format", format];
        args.extend(inputs);
        azabac(&args)
    };
    let json = alone("json");
    let sarif = alone("sarif");
    assert_eq!(code(&run), 1);
    assert_eq!(code(&run), code(&json));
    assert_eq!(fs::read(&json_file).unwrap(), json.stdout);
    assert_eq!(fs::read(&sarif_file).unwrap(), sarif.stdout);
    let log: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
}

/// `test` takes the same two flags; the human report stays on standard output.
#[test]
fn one_test_run_writes_json_and_sarif_beside_the_human_report() {
    let dir = scratch("test");
    let (json_file, sarif_file) = (dir.join("test.json"), dir.join("test.sarif"));
    let suite = "corpus/scenarios/blob-tags.test.json";
    let run = azabac(&[
        "test",
        suite,
        "--now",
        "2026-06-01T00:00:00Z",
        "--json",
        json_file.to_str().unwrap(),
        "--sarif",
        sarif_file.to_str().unwrap(),
    ]);
    assert_eq!(code(&run), 0, "{}", String::from_utf8_lossy(&run.stderr));
    let human = String::from_utf8(run.stdout).unwrap();
    assert!(human.contains(" passed, 0 failed"), "{human}");
    let json = azabac(&[
        "test",
        suite,
        "--now",
        "2026-06-01T00:00:00Z",
        "--format",
        "json",
    ]);
    let sarif = azabac(&[
        "test",
        suite,
        "--now",
        "2026-06-01T00:00:00Z",
        "--format",
        "sarif",
    ]);
    assert_eq!(fs::read(&json_file).unwrap(), json.stdout);
    assert_eq!(fs::read(&sarif_file).unwrap(), sarif.stdout);
}

/// A report file that cannot be written is an I/O error (exit 2) naming the file, not a pass.
#[test]
fn an_unwritable_report_file_fails_the_run() {
    let dir = scratch("unwritable");
    let missing = dir.join("no-such-dir").join("out.sarif");
    let run = azabac(&[
        "check",
        "corpus/conditions/docs",
        "--sarif",
        missing.to_str().unwrap(),
    ]);
    assert_eq!(code(&run), 2);
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(stderr.contains("out.sarif"), "{stderr}");
}

/// Copies the example project into a scratch directory.
fn example_project(name: &str) -> PathBuf {
    let dir = scratch(name);
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/ai-delegation");
    for sub in ["", "conditions", "snapshots"] {
        fs::create_dir_all(dir.join(sub)).unwrap();
        for entry in fs::read_dir(source.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                fs::copy(&path, dir.join(sub).join(path.file_name().unwrap())).unwrap();
            }
        }
    }
    dir
}

/// `snapshot --check` compares every `[[snapshot]]` of `azabac.toml` with its record, fails with
/// a unified diff naming the snapshot file when one differs, and `--update` rewrites it.
#[test]
fn snapshot_check_compares_the_declared_snapshots_and_update_rewrites_them() {
    let example = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/ai-delegation");
    let clean = binary::azabac_in(&example, &["snapshot", "--check"]);
    assert_eq!(
        code(&clean),
        0,
        "{}",
        String::from_utf8_lossy(&clean.stdout)
    );
    assert_eq!(
        String::from_utf8(clean.stdout).unwrap(),
        "snapshots: 2 match, 0 differ\n"
    );

    let dir = example_project("snapshot-check");
    let condition = dir.join("conditions/blob-project-tag.cond");
    let text = fs::read_to_string(&condition).unwrap();
    fs::write(&condition, text.replace("'Cascade'", "'Baker'")).unwrap();
    let differs = binary::azabac_in(&dir, &["snapshot", "--check"]);
    assert_eq!(code(&differs), 1);
    let report = String::from_utf8(differs.stdout).unwrap();
    for line in [
        "snapshots/blob-project-tag.snap: the record of conditions/blob-project-tag.cond differs:",
        "--- snapshots/blob-project-tag.snap (committed)",
        "+++ snapshots/blob-project-tag.snap (now)",
        "-  true   read a Cascade blob",
        "+  false  read a Cascade blob",
        "+  true   read a Baker blob",
        "snapshots: 1 match, 1 differ",
    ] {
        assert!(
            report.lines().any(|l| l.trim_end() == line),
            "{line}\n{report}"
        );
    }

    let update = binary::azabac_in(&dir, &["snapshot", "--update"]);
    assert_eq!(code(&update), 0);
    assert!(
        String::from_utf8(update.stdout)
            .unwrap()
            .contains("updated snapshots/blob-project-tag.snap")
    );
    assert_eq!(code(&binary::azabac_in(&dir, &["snapshot", "--check"])), 0);

    // A snapshot checked out with CRLF line endings is the same record.
    let snap = dir.join("snapshots/delegate-all-but-privileged.snap");
    let crlf = fs::read_to_string(&snap).unwrap().replace('\n', "\r\n");
    fs::write(&snap, crlf).unwrap();
    assert_eq!(code(&binary::azabac_in(&dir, &["snapshot", "--check"])), 0);

    // A missing snapshot file fails, saying how to write it.
    fs::remove_file(&snap).unwrap();
    let missing = binary::azabac_in(&dir, &["snapshot", "--check"]);
    assert_eq!(code(&missing), 1);
    assert!(
        String::from_utf8(missing.stdout)
            .unwrap()
            .contains("no snapshot of")
    );
}

/// One condition checked against a named snapshot file, without a project file; a usage
/// mistake is exit 2.
#[test]
fn snapshot_check_file_compares_one_condition() {
    let dir = example_project("snapshot-one");
    let args = |snapshot: &str| {
        vec![
            "snapshot".to_owned(),
            "-f".to_owned(),
            "conditions/blob-project-tag.cond".to_owned(),
            "--requests".to_owned(),
            "requests.jsonl".to_owned(),
            "--check".to_owned(),
            snapshot.to_owned(),
        ]
    };
    let run = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        binary::azabac_in(&dir, &args)
    };
    assert_eq!(code(&run(args("snapshots/blob-project-tag.snap"))), 0);
    let other = run(args("snapshots/delegate-all-but-privileged.snap"));
    assert_eq!(code(&other), 1);
    assert!(String::from_utf8(other.stdout).unwrap().contains("@@"));

    fs::remove_file(dir.join("azabac.toml")).unwrap();
    let none = binary::azabac_in(&dir, &["snapshot", "--check", "--no-config"]);
    assert_eq!(code(&none), 2);
    assert!(
        String::from_utf8(none.stderr)
            .unwrap()
            .contains("[[snapshot]]")
    );
    let without_file = binary::azabac_in(
        &dir,
        &[
            "snapshot",
            "-f",
            "conditions/blob-project-tag.cond",
            "--update",
        ],
    );
    assert_eq!(code(&without_file), 2);
}

/// `explain --format json` prints the blocks with their actions and readings; `--role-file`
/// reads the role from a JSON definition, as `check` does; an invalid condition is
/// `"valid": false` with its diagnostics, exit 1.
#[test]
fn explain_prints_json_and_reads_a_role_file() {
    let dir = scratch("explain");
    let role_file = dir.join("role.json");
    fs::write(
        &role_file,
        r#"{"Name": "AI delegates", "Actions": ["Microsoft.Authorization/roleAssignments/write"]}"#,
    )
    .unwrap();
    let condition = "corpus/conditions/roles/azure-ai-account-owner.cond";
    let run = azabac(&[
        "explain",
        "--format",
        "json",
        "--role-file",
        role_file.to_str().unwrap(),
        "-f",
        condition,
    ]);
    assert_eq!(code(&run), 0, "{}", String::from_utf8_lossy(&run.stderr));
    let view = binary::json(&run);
    assert_eq!(view["input"], condition);
    assert_eq!(view["valid"], true);
    assert_eq!(view["role"]["name"], "AI delegates");
    assert_eq!(view["everyAction"], serde_json::Value::Null);
    let blocks = view["blocks"].as_array().unwrap();
    let summary: Vec<(&str, bool)> = blocks
        .iter()
        .map(|b| {
            (
                b["actions"][0].as_str().unwrap(),
                b["roleGrants"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("Microsoft.Authorization/roleAssignments/write", true),
            ("Microsoft.Authorization/roleAssignments/delete", false),
        ]
    );
    assert!(
        blocks[0]["allows"]
            .as_str()
            .unwrap()
            .contains("Azure AI User")
    );
    let text = view["text"].as_str().unwrap();
    assert!(
        text.starts_with("As a condition of AI delegates:\n"),
        "{text}"
    );
    assert!(text.contains("roleAssignments/delete (the role does not grant it)"));

    let invalid = azabac(&["explain", "--format", "json", "@Request[x] StringEquals"]);
    assert_eq!(code(&invalid), 1);
    let view = binary::json(&invalid);
    assert_eq!(view["valid"], false);
    assert!(!view["diagnostics"].as_array().unwrap().is_empty());

    let unknown = azabac(&["explain", "--role", "Azure AI Users", "-f", condition]);
    assert_eq!(code(&unknown), 2);
    let stderr = String::from_utf8(unknown.stderr).unwrap();
    assert!(stderr.contains("did you mean `Azure AI User`?"), "{stderr}");
}

/// `text` as a Windows editor may save it: a byte-order mark first, CRLF line endings.
fn windows(text: &str) -> String {
    format!(
        "\u{feff}{}",
        text.replace("\r\n", "\n").replace('\n', "\r\n")
    )
}

/// Copies `file` (relative to the checkout) into `dir` as a Windows editor would save it.
fn saved_on_windows(dir: &std::path::Path, file: &str) -> String {
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(file);
    let target = dir.join(source.file_name().unwrap());
    fs::write(&target, windows(&fs::read_to_string(&source).unwrap())).unwrap();
    target.to_str().unwrap().to_owned()
}

/// A condition's verdict and its diagnostics' codes, lines and columns.
type Verdict = (serde_json::Value, Vec<(String, u64, u64)>);

/// The JSON report without what names the file: the verdicts, codes and places.
fn verdicts(output: &std::process::Output) -> Vec<Verdict> {
    let value = binary::json(output);
    let results = match value {
        serde_json::Value::Array(items) => items,
        single => vec![single],
    };
    results
        .iter()
        .map(|r| {
            let diagnostics = r["diagnostics"].as_array().unwrap().iter();
            (
                r["valid"].clone(),
                diagnostics
                    .filter(|d| d["code"] != "AZ0403")
                    .map(|d| {
                        let at = |k: &str| d[k].as_u64().unwrap();
                        (
                            d["code"].as_str().unwrap().to_owned(),
                            at("line"),
                            at("column"),
                        )
                    })
                    .collect(),
            )
        })
        .collect()
}

/// Files saved with a UTF-8 byte-order mark and CRLF line endings read as the same files saved
/// with LF: conditions, JSON exports, Terraform, Bicep, suites, requests and worlds; the mark
/// on a condition file is a note (not counted by `--deny-warnings`).
#[test]
fn a_byte_order_mark_and_crlf_line_endings_are_read_everywhere() {
    let dir = scratch("windows");
    for file in [
        "corpus/conditions/roles/azure-ai-account-owner.cond",
        "corpus/iac/bicep/main.bicep",
        "corpus/iac/arm/storage-delegation.json",
        "corpus/exports/powershell/get-azroledefinition.json",
    ] {
        let windows = saved_on_windows(&dir, file);
        // `--deny-warnings` does not count the note about the mark.
        let original = azabac(&["check", "--format", "json", "--deny-warnings", file]);
        let read = azabac(&["check", "--format", "json", "--deny-warnings", &windows]);
        assert_eq!(verdicts(&read), verdicts(&original), "{file}");
        assert_eq!(code(&read), code(&original), "{file}");
    }
    let tf = dir.join("tf");
    fs::create_dir_all(&tf).unwrap();
    for file in ["main.tf", "variables.tf"] {
        saved_on_windows(&tf, &format!("corpus/iac/terraform/delegation/{file}"));
    }
    assert_eq!(
        verdicts(&azabac(&[
            "check",
            "--format",
            "json",
            tf.to_str().unwrap()
        ])),
        verdicts(&azabac(&[
            "check",
            "--format",
            "json",
            "corpus/iac/terraform/delegation"
        ]))
    );

    // The mark on a condition file: one note, its own severity in JSON and SARIF.
    let cond = dir.join("azure-ai-account-owner.cond");
    let report = binary::json(&azabac(&[
        "check",
        "--format",
        "json",
        cond.to_str().unwrap(),
    ]));
    let notes: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "AZ0403")
        .collect();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["severity"], "note");
    let sarif = binary::json(&azabac(&[
        "check",
        "--format",
        "sarif",
        cond.to_str().unwrap(),
    ]));
    assert_eq!(sarif["runs"][0]["results"][0]["level"], "note");

    // A request, a world and a suite saved on Windows decide as the originals do.
    let request = saved_on_windows(&dir, "corpus/requests/assign-owner.json");
    let eval = |request: &str| {
        azabac(&[
            "eval",
            "-f",
            "corpus/conditions/roles/azure-ai-account-owner.cond",
            "--request",
            request,
        ])
        .stdout
    };
    assert_eq!(eval(&request), eval("corpus/requests/assign-owner.json"));
    let world = saved_on_windows(&dir, "corpus/worlds/contoso/assignments.json");
    let requests = saved_on_windows(&dir, "corpus/worlds/contoso/requests.jsonl");
    let decide = |assignments: &str, requests: &str| {
        let run = azabac(&[
            "decide",
            "--requests",
            requests,
            "--assignments",
            assignments,
            "--hierarchy",
            "corpus/worlds/contoso/hierarchy.json",
            "--now",
            "2026-01-01T00:00:00Z",
        ]);
        assert!(!run.stdout.is_empty());
        run.stdout
    };
    assert_eq!(
        decide(&world, &requests),
        decide(
            "corpus/worlds/contoso/assignments.json",
            "corpus/worlds/contoso/requests.jsonl"
        )
    );
}

/// `fmt --check` looks past the line ending and the mark; `fmt --write` keeps both.
#[test]
fn fmt_keeps_a_files_line_ending_and_byte_order_mark() {
    let dir = scratch("fmt-crlf");
    let canonical = azabac(&[
        "fmt",
        "-f",
        "corpus/conditions/roles/azure-ai-account-owner.cond",
    ]);
    let canonical = String::from_utf8(canonical.stdout).unwrap();
    let saved = dir.join("canonical.cond");
    fs::write(&saved, windows(&canonical)).unwrap();
    let check = azabac(&["fmt", "--check", "-f", saved.to_str().unwrap()]);
    assert_eq!(
        code(&check),
        0,
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(String::from_utf8(check.stderr).unwrap().contains("AZ0403"));

    let messy = dir.join("messy.cond");
    let one_line =
        fs::read_to_string("corpus/conditions/roles/azure-ai-account-owner.cond").unwrap();
    fs::write(&messy, windows(&format!("{}\n", one_line.trim_end()))).unwrap();
    assert_eq!(
        code(&azabac(&["fmt", "--check", "-f", messy.to_str().unwrap()])),
        1
    );
    assert_eq!(
        code(&azabac(&["fmt", "--write", "-f", messy.to_str().unwrap()])),
        0
    );
    assert_eq!(fs::read_to_string(&messy).unwrap(), windows(&canonical));
}

const RG1: &str = "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg1";

/// `can-assign` at rg1 of the contoso tenant with the assignments of `assignments`, the
/// contoso principals files, and `extra` arguments; JSON out.
fn can_assign_in(assignments: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "can-assign",
        "--scope",
        RG1,
        "--assignments",
        assignments,
        "--principals",
        "corpus/worlds/contoso/principals/users.json",
        "--principals",
        "corpus/worlds/contoso/principals/groups.json",
        "--principals",
        "corpus/worlds/contoso/principals/apps.json",
        "--format",
        "json",
        "--now",
        "2026-12-01T00:00:00Z",
    ];
    args.extend(extra);
    azabac(&args)
}

/// [`can_assign_in`] the contoso world's own assignments.
fn can_assign(extra: &[&str]) -> std::process::Output {
    can_assign_in("corpus/worlds/contoso/assignments.json", extra)
}

/// A JSON decision's `decision`.
fn decision(output: &std::process::Output) -> String {
    binary::json(output)["decision"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Principals by display name or UPN from Graph exports and a plain map; the type a Graph
/// collection gives fills `--principal-type`; an ambiguous name lists its candidates; a role
/// name with a typo gets the nearest; traces name the role a GUID is.
#[test]
fn names_stand_for_principals_and_roles() {
    let by_name = can_assign(&[
        "--as",
        "Alice Smith",
        "--role",
        "Azure AI User",
        "--to",
        "ERIN@contoso.com",
    ]);
    assert_eq!(
        code(&by_name),
        0,
        "{}",
        String::from_utf8_lossy(&by_name.stderr)
    );
    let by_id = can_assign(&[
        "--as",
        "aaaaaaaa-0000-0000-0000-00000000a11c",
        "--role",
        "Azure AI User",
        "--to",
        "eeeeeeee-0000-0000-0000-0000000000e0",
        "--principal-type",
        "User",
    ]);
    let (named, id) = (binary::json(&by_name), binary::json(&by_id));
    assert_eq!(named["decision"], "allow");
    assert_eq!(
        named, id,
        "a name decides as its object id, the type from users.json"
    );

    let owner = can_assign(&[
        "--as",
        "alice@contoso.com",
        "--role",
        "Owner",
        "--to",
        "Bob Jones",
        "--trace",
    ]);
    let owner = binary::json(&owner);
    assert_eq!(owner["decision"], "deny");
    let reads = owner.to_string();
    assert!(
        reads.contains("8e3af657-a8ff-443c-a75c-2fe8c4bcb635 (Owner)"),
        "the trace names the role: {reads}"
    );

    // The type a principals file gives decides a condition that reads `PrincipalType`.
    let dir = scratch("principal-type");
    let world = dir.join("assignments.json");
    let condition = "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR \
        (@Request[Microsoft.Authorization/roleAssignments:PrincipalType] \
        ForAnyOfAnyValues:StringEqualsIgnoreCase {'ServicePrincipal'}))";
    fs::write(
        &world,
        serde_json::json!([{
            "principalId": "aaaaaaaa-0000-0000-0000-00000000a11c", "principalType": "User",
            "roleDefinitionId": "f58310d9-a9f6-439a-9e8d-f62e7b41a168", "scope": RG1,
            "condition": condition, "conditionVersion": "2.0"}])
        .to_string(),
    )
    .unwrap();
    let typed = |to: &str| {
        let world = world.to_str().unwrap();
        decision(&can_assign_in(
            world,
            &["--as", "Alice Smith", "--role", "Reader", "--to", to],
        ))
    };
    assert_eq!(typed("ingest-pipeline"), "allow");
    assert_eq!(typed("Erin Lee"), "deny");

    let ambiguous = can_assign(&[
        "--as",
        "Alice Smith",
        "--role",
        "Azure AI User",
        "--to",
        "data team",
    ]);
    assert_eq!(code(&ambiguous), 2);
    let stderr = String::from_utf8(ambiguous.stderr).unwrap();
    for expected in [
        "`data team` names 2 principals",
        "Data Team (User, datateam@contoso.com, dddddddd-0000-0000-0000-0000000000d0)",
        "Data Team (Group, 99999999-0000-0000-0000-00000000090a)",
    ] {
        assert!(stderr.contains(expected), "{expected}: {stderr}");
    }
    let unknown = can_assign(&[
        "--as",
        "Mallory",
        "--role",
        "Azure AI User",
        "--to",
        "ingest-pipeline",
    ]);
    assert_eq!(code(&unknown), 2);
    assert!(
        String::from_utf8(unknown.stderr)
            .unwrap()
            .contains("`Mallory`")
    );

    let typo = can_assign(&[
        "--as",
        "Alice Smith",
        "--role",
        "Azure AI Users",
        "--to",
        "ingest-pipeline",
    ]);
    assert_eq!(code(&typo), 2);
    let stderr = String::from_utf8(typo.stderr).unwrap();
    assert!(stderr.contains("did you mean `Azure AI User`?"), "{stderr}");

    // Without principals files, a name is an error that says how to give them.
    let plain = azabac(&[
        "can-assign",
        "--as",
        "Alice Smith",
        "--role",
        "Owner",
        "--to",
        "Bob Jones",
        "--scope",
        RG1,
        "--assignments",
        "corpus/worlds/contoso/assignments.json",
    ]);
    assert_eq!(code(&plain), 2);
    assert!(
        String::from_utf8(plain.stderr)
            .unwrap()
            .contains("--principals FILE")
    );
}

/// A suite names principals through a principals file and a role with a typo gets the nearest
/// name.
#[test]
fn suites_read_principals_files_and_suggest_role_names() {
    let dir = scratch("suite-names");
    let root = env!("CARGO_MANIFEST_DIR");
    let suite = serde_json::json!({
        "world": {"assignments": format!("{root}/corpus/worlds/contoso/assignments.json")},
        "principals": [
            format!("{root}/corpus/worlds/contoso/principals/users.json"),
            format!("{root}/corpus/worlds/contoso/principals/apps.json"),
        ],
        "now": "2026-12-01T00:00:00Z",
        "cases": [
            {"name": "Alice gives Erin Azure AI User", "expect": "allow",
             "assign": {"as": "alice@contoso.com", "role": "Azure AI User", "to": "Erin Lee", "scope": RG1}},
            {"name": "Alice gives the pipeline Owner", "expect": "deny",
             "assign": {"as": "Alice Smith", "role": "Owner", "to": "ingest-pipeline", "scope": RG1}}
        ]
    });
    let file = dir.join("names.test.json");
    fs::write(&file, suite.to_string()).unwrap();
    let run = azabac(&["test", file.to_str().unwrap()]);
    assert_eq!(
        code(&run),
        0,
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );

    let typo = suite
        .to_string()
        .replace("\"role\":\"Owner\"", "\"role\":\"Ownr\"");
    fs::write(&file, typo).unwrap();
    let run = azabac(&["test", file.to_str().unwrap()]);
    assert_eq!(code(&run), 2);
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(stderr.contains("did you mean `Owner`?"), "{stderr}");
}

/// The commonest request mistakes get a hint: an attribute keyed as a condition writes it, an
/// attribute under a source Azure never sends for the action, and `assignable-roles` without
/// the principal type a delegation condition reads.
#[test]
fn request_mistakes_get_hints() {
    let dir = scratch("hints");
    // Evaluates Azure AI Account Owner's condition on `request`: its exit code and stderr.
    let eval = |name: &str, request: &str| {
        let file = dir.join(name);
        fs::write(&file, request).unwrap();
        let run = azabac(&[
            "eval",
            "-f",
            "corpus/conditions/roles/azure-ai-account-owner.cond",
            "--request",
            file.to_str().unwrap(),
        ]);
        (code(&run), String::from_utf8(run.stderr).unwrap())
    };
    let (status, stderr) = eval(
        "wrapped.json",
        r#"{"action": "Microsoft.Authorization/roleAssignments/write", "request":
            {"@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId]": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"}}"#,
    );
    assert_eq!(status, 1);
    assert!(
        stderr.contains("a request gives its bare name under `request`: `\"Microsoft.Authorization/roleAssignments:RoleDefinitionId\": …`"),
        "{stderr}"
    );
    let (status, stderr) = eval(
        "misplaced.json",
        r#"{"action": "Microsoft.Authorization/roleAssignments/delete", "request":
            {"Microsoft.Authorization/roleAssignments:RoleDefinitionId": "53ca6127-db72-4b80-b1b0-d745d6d5456d"}}"#,
    );
    assert_eq!(status, 0);
    assert!(
        stderr.contains("Azure never sends `@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId]` for `Microsoft.Authorization/roleAssignments/delete`; Azure sends it as `@Resource` for this action: give it under `resource`"),
        "{stderr}"
    );

    // A delegate whose condition reads the principal type.
    let world = dir.join("assignments.json");
    let reads_type = "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR \
        (@Request[Microsoft.Authorization/roleAssignments:PrincipalType] \
        ForAnyOfAnyValues:StringEqualsIgnoreCase {'ServicePrincipal'}))";
    fs::write(
        &world,
        serde_json::json!([{
            "principalId": "aaaaaaaa-0000-0000-0000-00000000a11c", "principalType": "User",
            "roleDefinitionId": "f58310d9-a9f6-439a-9e8d-f62e7b41a168", "scope": RG1,
            "condition": reads_type, "conditionVersion": "2.0"}])
        .to_string(),
    )
    .unwrap();
    let assignable = |extra: &[&str]| {
        let mut args = vec![
            "assignable-roles",
            "--as",
            "aaaaaaaa-0000-0000-0000-00000000a11c",
            "--scope",
            RG1,
            "--assignments",
            world.to_str().unwrap(),
            "--now",
            "2026-12-01T00:00:00Z",
        ];
        args.extend(extra);
        azabac(&args)
    };
    let bare = assignable(&[]);
    let stderr = String::from_utf8(bare.stderr).unwrap();
    assert!(
        stderr.contains("absent without `--principal-type User|Group|ServicePrincipal`"),
        "{stderr}"
    );
    assert!(
        String::from_utf8(bare.stdout).unwrap().is_empty(),
        "nothing is assignable"
    );
    let typed = assignable(&[
        "--principal-type",
        "ServicePrincipal",
        "--to",
        "5e5e5e5e-0000-0000-0000-000000000005",
    ]);
    assert!(!String::from_utf8(typed.stderr).unwrap().contains("note:"));
    assert!(String::from_utf8(typed.stdout).unwrap().contains("Reader"));
}

/// The README's first command checks the real conditions with a short summary and exits 0
/// (`tests/docs.rs` compares what it prints with the README's transcript); the seeds'
/// question is answered from the example tenant; the invalid cases have their own command,
/// which fails.
#[test]
fn the_first_command_shows_the_job() {
    let first = azabac(&[
        "check",
        "--format",
        "summary",
        "corpus/conditions/docs",
        "corpus/conditions/roles",
        "examples",
    ]);
    assert_eq!(code(&first), 0);

    let ask = |role: &str| {
        decision(&can_assign(&[
            "--as",
            "alice@contoso.com",
            "--role",
            role,
            "--to",
            "Bob Jones",
        ]))
    };
    assert_eq!(ask("Owner"), "deny");
    assert_eq!(ask("Azure AI User"), "allow");

    let errors = azabac(&[
        "check",
        "--format",
        "summary",
        "corpus/conditions/cases",
        "corpus/conditions/docs-rejected",
    ]);
    assert_eq!(code(&errors), 1);
    let summary = String::from_utf8(errors.stdout).unwrap();
    assert!(
        summary.contains("corpus/conditions/docs-rejected: 6 conditions, 0 valid, 6 invalid"),
        "{summary}"
    );
    assert!(
        summary.contains(
            "  corpus/conditions/docs-rejected/fmt-skeleton-simple.cond:7:9: AZ0011 unexpected `<`"
        ),
        "{summary}"
    );
}
