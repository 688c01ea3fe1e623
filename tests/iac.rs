//! Conditions where users keep them (issue 20): Terraform, ARM templates and plans, read in
//! place. For each file of `corpus/iac/`, the conditions found, their resources, lines,
//! verdicts and codes are pinned; a directory walk skips what users expect it to skip.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly on broken fixtures"
)]

#[path = "support/binary.rs"]
mod binary;

use binary::{azabac, code, json};
use serde_json::Value;

/// (file, resource, line, valid (`None`: not checkable offline), codes, assumed)
type Pinned = (
    &'static str,
    &'static str,
    u64,
    Option<bool>,
    Vec<&'static str>,
    Vec<&'static str>,
);

fn found(args: &[&str]) -> Vec<Pinned> {
    let output = azabac(args);
    let results = json(&output);
    let results = match results {
        Value::Array(items) => items,
        single => vec![single],
    };
    results
        .iter()
        .map(|r| {
            let mut codes: Vec<&'static str> = r["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| &*String::leak(d["code"].as_str().unwrap().to_owned()))
                .collect();
            codes.sort_unstable();
            let assumed = r["assumed"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|v| &*String::leak(v.as_str().unwrap().to_owned()))
                        .collect()
                })
                .unwrap_or_default();
            // A condition file read on its own has no host keys: its input is the file.
            let file = r["file"].as_str().or(r["input"].as_str()).unwrap();
            (
                &*String::leak(file.to_owned()),
                &*String::leak(r["resource"].as_str().unwrap_or("").to_owned()),
                r["line"].as_u64().unwrap_or(0),
                r["valid"].as_bool(),
                codes,
                assumed,
            )
        })
        .collect()
}

/// The result for `resource` in a JSON report of several conditions.
fn resource<'r>(results: &'r Value, resource: &str) -> &'r Value {
    results
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["resource"] == resource)
        .unwrap_or_else(|| panic!("no {resource} in {results}"))
}

/// A fresh scratch directory for one test, named after it.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("azabac-iac-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `check --format json` of `path`.
fn check_json(path: &std::path::Path) -> Value {
    json(&azabac(&[
        "check",
        "--format",
        "json",
        &path.display().to_string(),
    ]))
}

/// One condition a fixture expects: where it is reported, and what `check` concludes.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Expected {
    file: String,
    line: u64,
    resource: String,
    verdict: String,
    codes: Vec<String>,
    assumed: Vec<String>,
}

impl std::fmt::Display for Expected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: {} | {} | {} | {}",
            self.file,
            self.line,
            self.resource,
            self.verdict,
            self.codes.join(" "),
            self.assumed.join("; ")
        )
    }
}

/// `RESOURCE | VERDICT | CODES | ASSUMED` (trailing fields may be left out) of `file`'s line
/// `line`; `at` names where it is written, for the failure.
fn expected(file: &str, line: u64, fields: &str, at: &str) -> Expected {
    let mut fields = fields.split('|').map(str::trim);
    let resource = fields.next().unwrap_or("").to_owned();
    let verdict = fields.next().unwrap_or("").to_owned();
    assert!(
        ["valid", "invalid", "unchecked", "slot"].contains(&verdict.as_str()),
        "{at}: the verdict is `valid`, `invalid`, `unchecked` or `slot`, not `{verdict}`"
    );
    let codes = fields
        .next()
        .unwrap_or("")
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let assumed = fields
        .next()
        .unwrap_or("")
        .split(';')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_owned)
        .collect();
    Expected {
        file: file.to_owned(),
        line,
        resource,
        verdict,
        codes,
        assumed,
    }
}

/// Every expectation of `corpus/iac/`: the `~` comments of `.tf` and `.bicep` files (`# ~ …`
/// or `// ~ …`), each about the next line below it that is not a comment or a directive, in
/// the manner of rustc's UI tests; and the `FILE.expect` sidecars of the files that take no
/// comments (JSON, templates, condition files), one `LINE | …` a line.
fn expectations() -> Vec<Expected> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(std::path::Path::new("corpus/iac"), &mut files);
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        if let Some(target) = name.strip_suffix(".expect") {
            for (index, line) in text.lines().enumerate() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let at = format!("{name}:{}", index + 1);
                let (number, fields) = line.split_once('|').unwrap_or_else(|| {
                    panic!("{at}: a sidecar line is `LINE | RESOURCE | VERDICT | …`")
                });
                let number = number
                    .trim()
                    .parse()
                    .unwrap_or_else(|_| panic!("{at}: `{number}` is not a line number"));
                out.push(expected(target, number, fields, &at));
            }
        } else if name.ends_with(".tf") || name.ends_with(".tfvars") || name.ends_with(".bicep") {
            let mut pending: Vec<(String, String)> = Vec::new();
            for (index, line) in text.lines().enumerate() {
                let trimmed = line.trim_start();
                let annotation = trimmed
                    .strip_prefix("# ~ ")
                    .or_else(|| trimmed.strip_prefix("// ~ "));
                if let Some(fields) = annotation {
                    pending.push((fields.to_owned(), format!("{name}:{}", index + 1)));
                } else if !(trimmed.starts_with('#') || trimmed.starts_with("//")) {
                    let number = u64::try_from(index + 1).unwrap();
                    for (fields, at) in pending.drain(..) {
                        out.push(expected(&name, number, &fields, &at));
                    }
                }
            }
            assert!(pending.is_empty(), "{name}: an annotation about no line");
        }
    }
    out
}

/// What `check` concludes of every condition of `corpus/iac/`, in the terms of `Expected`.
fn concluded() -> Vec<Expected> {
    let results = json(&azabac(&["check", "--format", "json", "corpus/iac"]));
    results
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let mut codes: Vec<String> = r["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["code"].as_str().unwrap().to_owned())
                .collect();
            codes.sort_unstable();
            Expected {
                file: r["file"]
                    .as_str()
                    .or(r["input"].as_str())
                    .unwrap()
                    .to_owned(),
                line: r["line"].as_u64().unwrap_or(0),
                resource: r["resource"].as_str().unwrap_or("").to_owned(),
                verdict: match (r["valid"].as_bool(), r["slot"].is_string()) {
                    (Some(true), _) => "valid",
                    (Some(false), _) => "invalid",
                    (None, true) => "slot",
                    (None, false) => "unchecked",
                }
                .to_owned(),
                codes,
                assumed: r["assumed"]
                    .as_array()
                    .map(|a| a.iter().map(|v| v.as_str().unwrap().to_owned()).collect())
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// Every condition of `corpus/iac/` is found once, at the line its fixture's annotation says,
/// with the resource, verdict, codes and assumptions it says; nothing else is found.
#[test]
fn every_condition_of_the_corpus_is_found_once_at_its_line_with_its_verdict() {
    let mut expected = expectations();
    let mut found = concluded();
    expected.sort();
    found.sort();
    assert!(expected.len() > 90, "{} expectations", expected.len());
    let missing: Vec<String> = expected
        .iter()
        .filter(|e| !found.contains(e))
        .map(ToString::to_string)
        .collect();
    let unexpected: Vec<String> = found
        .iter()
        .filter(|f| !expected.contains(f))
        .map(ToString::to_string)
        .collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "expected but not found:\n  {}\nfound but not expected:\n  {}",
        missing.join("\n  "),
        unexpected.join("\n  ")
    );
    // Found once: as many of each as annotated.
    assert_eq!(found, expected);
}

/// A condition kept in a `templatefile()` template is reported at its line and column there.
#[test]
fn a_template_files_condition_is_reported_in_the_template() {
    let output = azabac(&["check", "--format", "json", "corpus/iac/terraform/template"]);
    let results = json(&output);
    let typo = resource(&results, "azurerm_role_assignment.typo");
    assert_eq!(
        typo["file"],
        "corpus/iac/terraform/template/conditions/typo.tftpl"
    );
    let d = &typo["diagnostics"][0];
    assert_eq!(
        (d["code"].as_str(), d["line"].as_u64(), d["column"].as_u64()),
        (Some("AZ0301"), Some(3), Some(19))
    );
    // So is a condition file read with `trimspace(file(…))`, through the trimmed blank.
    let from_file = resource(&results, "azurerm_role_assignment.from_file");
    let d = &from_file["diagnostics"][0];
    assert_eq!(
        (d["code"].as_str(), d["line"].as_u64(), d["column"].as_u64()),
        (Some("AZ0311"), Some(13), Some(19))
    );
    // A suppression comment above the resource in main.tf covers the template's condition.
    let dir = std::env::temp_dir().join(format!("azabac-iac-template-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("conditions")).unwrap();
    for file in [
        "main.tf",
        "conditions/typo.tftpl",
        "conditions/delegation.tftpl",
        "conditions/looped.tftpl",
        "conditions/logs-reader.cond",
    ] {
        std::fs::copy(
            format!("corpus/iac/terraform/template/{file}"),
            dir.join(file),
        )
        .unwrap();
    }
    let main = std::fs::read_to_string(dir.join("main.tf"))
        .unwrap()
        .replace(
            "resource \"azurerm_role_assignment\" \"typo\" {",
            "# azabac:suppress AZ0301 reviewed\nresource \"azurerm_role_assignment\" \"typo\" {",
        );
    std::fs::write(dir.join("main.tf"), main).unwrap();
    let output = azabac(&["check", "--format", "json", dir.to_str().unwrap()]);
    let results = json(&output);
    let typo = resource(&results, "azurerm_role_assignment.typo");
    assert!(
        typo["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["code"] != "AZ0301")
    );
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Diagnostics point into the host file, through HCL escapes and heredoc indentation.
/// A condition whose values only a deployment knows, each inside one literal, is checked
/// around them: JSON lists them under `open` (not `unresolved`), findings point into the file,
/// and the README's CI recipe fails on a delegation typo next to a role's GUID from a data
/// source. A value elsewhere leaves the condition `unresolved` and `"valid": null`.
#[test]
fn values_known_only_at_deployment_are_checked_around() {
    let file = "corpus/iac/terraform/open/main.tf";
    let output = azabac(&["check", "--format", "json", "--deny", "widens-access", file]);
    assert_eq!(code(&output), 1);
    let results = json(&output);
    let typo = resource(&results, "azurerm_role_assignment.typo");
    assert_eq!(
        typo["open"],
        serde_json::json!(["data.azurerm_role_definition.acr_pull.role_definition_id"])
    );
    assert!(typo.get("unresolved").is_none());
    assert_eq!(typo["valid"], false);
    let text = std::fs::read_to_string(file).unwrap();
    let found = typo["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "AZ0301")
        .unwrap();
    assert_eq!(found["severity"], "error");
    let start = found["start"].as_u64().unwrap() as usize;
    assert!(text[start..].starts_with("'Microsoft.Authorization/roleAssignments/wirte'"));
    // The correct delegation stays valid under the recipe.
    let valid = resource(&results, "azurerm_role_assignment.acr_delegation");
    assert_eq!(valid["valid"], true);
    let clause = resource(&results, "azurerm_role_assignment.clause");
    assert_eq!(
        clause["unresolved"],
        serde_json::json!(["var.write_clause"])
    );
    assert!(clause.get("open").is_none());
    assert!(clause["valid"].is_null());
}

/// The commands that need a condition's whole text (`explain`, `fmt`, `parse`, `compile`,
/// `eval`, `snapshot`) leave out a condition whose values only a deployment knows, with a
/// note naming them, instead of reading its text with the values missing (`{}` would be a
/// false error); with nothing left, that is a usage error.
/// `explain` reads a resource's condition against the role the resource assigns, as `check`
/// checks it: here a custom role the Bicep file defines, whose ungated write it points out.
#[test]
fn explain_reads_a_resources_condition_against_its_own_role() {
    let output = azabac(&["explain", "corpus/iac/bicep/roles.bicep"]);
    assert_eq!(code(&output), 0, "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.starts_with("As a condition of platform-delegation:"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "which platform-delegation grants: whoever holds the assignment can assign any role"
        ),
        "{stdout}"
    );
    // `--role` says otherwise.
    let named = azabac(&[
        "explain",
        "--role",
        "Reader",
        "corpus/iac/bicep/roles.bicep",
    ]);
    assert!(String::from_utf8_lossy(&named.stdout).starts_with("As a condition of Reader:"));
}

#[test]
fn commands_that_need_the_whole_text_leave_out_unknown_values() {
    let open = "corpus/iac/terraform/open/main.tf";
    for args in [
        vec!["explain", "-f", open],
        vec!["parse", "-f", open],
        vec!["fmt", "--check", open],
    ] {
        let output = azabac(&args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(code(&output), 2, "{args:?}: {stderr}");
        assert!(stderr.contains("known only at deployment"), "{stderr}");
        assert!(!stderr.contains("AZ0021"), "{stderr}");
    }
    // Beside conditions that can be read, those are read and the others left out.
    let output = azabac(&["parse", "-f", "corpus/iac/terraform/delegation/main.tf"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("from_module: left out: the condition depends on module.naming.container"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("ai_owner_delegation"));
}

#[test]
fn diagnostics_point_at_the_host_files_line_and_column() {
    let output = azabac(&[
        "check",
        "--format",
        "json",
        "corpus/iac/terraform/delegation",
    ]);
    let results = json(&output);
    let at = |name: &str, code: &str| -> (u64, u64) {
        let result = resource(&results, name);
        let d = result["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == code)
            .unwrap();
        (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap())
    };
    let file = "corpus/iac/terraform/delegation/main.tf";
    // `StringEqual` inside a `<<-EOT` heredoc.
    assert_eq!(
        at("azurerm_role_assignment.typo_in_heredoc", "AZ0015"),
        place(file, "\"typo_in_heredoc\"", "StringEqual ")
    );
    // `\"logs\"` inside a quoted HCL string: the double-quoted literal starts at the `\"`.
    assert_eq!(
        at("azurerm_role_assignment.quoted", "AZ0003"),
        place(file, "\"quoted\"", "\\\"logs")
    );
}

/// The 1-based line and column (in characters) of the first `needle` after `after` in `file`,
/// so that the tests that point into fixtures do not pin line numbers.
fn place(file: &str, after: &str, needle: &str) -> (u64, u64) {
    let text = std::fs::read_to_string(file).unwrap();
    let from = text
        .find(after)
        .unwrap_or_else(|| panic!("{after} in {file}"));
    let at = from
        + text[from..]
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} in {file}"));
    let line = text[..at].matches('\n').count() + 1;
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let column = text[start..at].chars().count() + 1;
    (line as u64, column as u64)
}

/// ARM expressions map back through `''`, `{{` and the JSON string's escapes.
#[test]
fn arm_expressions_point_through_their_escapes() {
    let output = azabac(&[
        "check",
        "--format",
        "json",
        "corpus/iac/arm/storage-delegation.json",
    ]);
    let results = json(&output);
    let typo = &results[2];
    let (line, column) = place(
        "corpus/iac/arm/storage-delegation.json",
        "\"[format(",
        "StringEqual ",
    );
    assert_eq!(typo["diagnostics"][0]["code"], "AZ0015");
    assert_eq!(typo["diagnostics"][0]["line"], line);
    assert_eq!(typo["diagnostics"][0]["column"], column);
}

/// Bicep strings map back through `\'` escapes.
#[test]
fn bicep_diagnostics_point_through_escapes() {
    let output = azabac(&["check", "--format", "json", "corpus/iac/bicep/main.bicep"]);
    let results = json(&output);
    let typo = resource(&results, "typo");
    let (line, column) = place(
        "corpus/iac/bicep/main.bicep",
        "resource typo ",
        "StringEqual ",
    );
    assert_eq!(typo["diagnostics"][0]["line"], line);
    assert_eq!(typo["diagnostics"][0]["column"], column);
    assert_eq!(typo["host"], "bicep");
}

/// What a walk skips: `.terraform/`, `node_modules/`, hidden directories, JSON files that
/// hold no conditions; a run that finds none exits 2 unless `--allow-empty`. A file named
/// explicitly is read whatever the walk would do with it.
#[test]
fn a_walk_skips_what_users_expect_and_an_empty_run_is_an_error() {
    let output = azabac(&["check", "corpus/iac/other"]);
    assert_eq!(code(&output), 2);
    assert!(String::from_utf8_lossy(&output.stderr).contains("no condition found"));
    assert_eq!(
        code(&azabac(&["check", "--allow-empty", "corpus/iac/other"])),
        0
    );

    let named = azabac(&[
        "check",
        "--format",
        "json",
        "corpus/iac/other/node_modules/pkg/roles.json",
    ]);
    assert_eq!(
        code(&named),
        1,
        "read because it is named: and it is no condition"
    );

    let excluded = found(&[
        "check",
        "--format",
        "json",
        "--exclude",
        "plan",
        "--exclude",
        "*.tf",
        "--exclude",
        "bicep/",
        "corpus/iac",
    ]);
    // Without the Terraform file that reads it, a condition file is read on its own; variable
    // files, not excluded, are still read with their module.
    assert!(
        excluded
            .iter()
            .all(|f| (f.0.ends_with(".json") && !f.0.contains("plan"))
                || f.0.ends_with(".tfvars")
                || (f.0.ends_with("logs-reader.cond") && f.1.is_empty())),
        "{excluded:?}"
    );
    assert!(excluded.iter().any(|f| f.0.ends_with("logs-reader.cond")));

    // Only conditions that cannot be read offline: exit 2 as well, saying so.
    let dir = std::env::temp_dir().join(format!("azabac-iac-unresolved-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("main.tf"),
        "resource \"azurerm_role_assignment\" \"a\" {\n  principal_type = \"User\"\n  condition = module.conditions.reader\n}\n",
    )
    .unwrap();
    let output = azabac(&["check", dir.to_str().unwrap()]);
    assert_eq!(code(&output), 2);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("1 condition found, none checkable offline"),
        "{stderr}"
    );
    assert_eq!(
        code(&azabac(&["check", "--allow-empty", dir.to_str().unwrap()])),
        0
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Decision 31 (issue 30): a host file the readers cannot follow is a result of its own, an
/// AZ0405 error at its line and column, in every format; every other file is still checked;
/// the run exits 1. A file that cannot be opened stays a usage error (exit 2).
#[test]
fn a_file_the_readers_cannot_follow_is_an_error_of_its_own_and_the_others_are_checked() {
    let dir = std::env::temp_dir().join(format!("azabac-iac-unread-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("module")).unwrap();
    let condition = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'";
    std::fs::write(
        dir.join("a-broken.bicep"),
        "resource ra 'Microsoft.Authorization/roleAssignments@2022-04-01' = {\n  properties: {\n    condition: 'abc\n  }\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("b-good.bicep"),
        format!("resource ra 'Microsoft.Authorization/roleAssignments@2022-04-01' = {{\n  properties: {{\n    principalType: 'User'\n    condition: '{}'\n  }}\n}}\n", condition.replace('\'', "\\'")),
    )
    .unwrap();
    std::fs::write(dir.join("c-broken.json"), "{\"condition\": \"x\",\n}\n").unwrap();
    std::fs::write(dir.join("module/broken.tf"), "locals {\n  a = \n").unwrap();
    std::fs::write(
        dir.join("module/main.tf"),
        format!("resource \"azurerm_role_assignment\" \"a\" {{\n  principal_type = \"User\"\n  condition = \"{condition}\"\n}}\n"),
    )
    .unwrap();
    let root = dir.to_str().unwrap();
    let output = azabac(&["check", "--format", "json", root]);
    assert_eq!(code(&output), 1);
    let results = json(&output);
    let results = results.as_array().unwrap();
    let unread: Vec<(String, u64, u64, &str)> = results
        .iter()
        .filter(|r| r["diagnostics"][0]["code"] == "AZ0405")
        .map(|r| {
            assert_eq!(r["valid"], false, "{r}");
            assert_eq!(r["input"], r["file"], "{r}");
            (
                r["file"]
                    .as_str()
                    .unwrap()
                    .strip_prefix(root)
                    .unwrap()
                    .to_owned(),
                r["line"].as_u64().unwrap(),
                r["column"].as_u64().unwrap(),
                r["diagnostics"][0]["severity"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        unread,
        [
            ("/a-broken.bicep".to_owned(), 3, 20, "error"),
            ("/c-broken.json".to_owned(), 2, 1, "error"),
            ("/module/broken.tf".to_owned(), 2, 7, "error"),
        ]
    );
    // The good files are checked, the Terraform one without its broken neighbour.
    let valid: Vec<&str> = results
        .iter()
        .filter(|r| r["valid"] == true)
        .map(|r| r["resource"].as_str().unwrap())
        .collect();
    assert_eq!(valid, ["ra", "azurerm_role_assignment.a"]);

    let summary = azabac(&["check", "--format", "summary", root]);
    assert_eq!(code(&summary), 1);
    let stdout = String::from_utf8_lossy(&summary.stdout);
    assert!(
        stdout.contains("checked 2 conditions: 2 valid, 0 invalid, 3 files not read (3 errors"),
        "{stdout}"
    );
    assert!(
        stdout.contains("a-broken.bicep:3:20: AZ0405 not Bicep azabac can read: a string without its closing `'`"),
        "{stdout}"
    );
    let human = azabac(&["check", root]);
    let stdout = String::from_utf8_lossy(&human.stdout);
    assert!(
        stdout.contains("a-broken.bicep: not read (1 error)"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("InvalidRoleAssignmentCondition"),
        "{stdout}"
    );
    let github = azabac(&["check", "--format", "github", root]);
    assert!(
        String::from_utf8_lossy(&github.stdout).contains("a-broken.bicep,line=3,col=20,"),
        "{}",
        String::from_utf8_lossy(&github.stdout)
    );
    let sarif = json(&azabac(&["check", "--format", "sarif", root]));
    let rules = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(rules.iter().filter(|r| r["ruleId"] == "AZ0405").count(), 3);

    // Commands that need a condition's whole text name the file they cannot read.
    let explain = azabac(&[
        "explain",
        "-f",
        dir.join("a-broken.bicep").to_str().unwrap(),
    ]);
    assert_eq!(code(&explain), 1);
    assert!(String::from_utf8_lossy(&explain.stderr).contains("a-broken.bicep:3:20:"));

    // A file that cannot be opened: a usage error, as before.
    let missing = dir.join("missing.bicep");
    std::fs::write(&missing, "").unwrap();
    std::fs::remove_file(&missing).unwrap();
    let output = azabac(&["check", "-f", missing.to_str().unwrap()]);
    assert_eq!(code(&output), 2);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Terraform's variable files (issue 31, point 1): `--var-file` is applied after the files
/// Terraform loads by itself, later wins, and its values are not assumptions; `azabac.toml`'s
/// `[terraform] var_files` come before the command line's; a variable file holding a block,
/// or JSON Terraform would read as a template, is refused, naming the file.
#[test]
fn variable_files_apply_in_terraforms_order() {
    let dir = scratch("var-files");
    std::fs::create_dir_all(dir.join("envs")).unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).unwrap();
    write(
        "main.tf",
        "variable \"condition\" {\n  type    = string\n  default = null\n}\n\
         resource \"azurerm_role_assignment\" \"a\" {\n  scope                = \"/subscriptions/x\"\n  \
         role_definition_name = \"Storage Blob Data Reader\"\n  principal_id         = \"p\"\n  \
         principal_type       = \"User\"\n  condition            = var.condition\n  \
         condition_version    = \"2.0\"\n}\n",
    );
    let cond = |name: &str| {
        format!(
            "condition = \"@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:{name}] StringEquals 'x'\"\n"
        )
    };
    write("terraform.tfvars", &cond("nmae"));
    write("envs/dev.tfvars", &cond("name"));
    write("envs/prod.tfvars", &cond("naem"));
    let main = dir.join("main.tf").display().to_string();
    let tfvars = dir.join("terraform.tfvars").display().to_string();
    let dev = dir.join("envs/dev.tfvars").display().to_string();
    let prod = dir.join("envs/prod.tfvars").display().to_string();

    // terraform.tfvars alone: its typo, in that file, an assumption.
    let read = found(&["check", "--format", "json", &main]);
    assert_eq!(read.len(), 1, "{read:?}");
    assert_eq!((read[0].0, read[0].3), (&*tfvars, Some(false)));
    assert_eq!(read[0].5, ["var.condition"]);

    // `--var-file`s after it, the later one winning; what they give is not assumed.
    let read = found(&[
        "check",
        "--format",
        "json",
        "--var-file",
        &prod,
        "--var-file",
        &dev,
        &main,
    ]);
    assert_eq!(read.len(), 1, "{read:?}");
    assert_eq!((read[0].0, read[0].3), (&*dev, Some(true)));
    assert!(read[0].5.is_empty(), "{read:?}");

    // `azabac.toml` gives one, the command line's comes after it.
    write(
        "azabac.toml",
        "[terraform]\nvar_files = [\"envs/prod.tfvars\"]\n",
    );
    let config = dir.join("azabac.toml").display().to_string();
    let read = found(&["check", "--format", "json", "--config", &config, &main]);
    assert_eq!((read[0].0, read[0].3), (&*prod, Some(false)));
    let read = found(&[
        "check",
        "--format",
        "json",
        "--config",
        &config,
        "--var-file",
        &dev,
        &main,
    ]);
    assert_eq!((read[0].0, read[0].3), (&*dev, Some(true)));

    // A variable file that is not there is a usage error.
    let missing = azabac(&["check", "--var-file", "no/such.tfvars", &main]);
    assert_eq!(code(&missing), 2);
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no/such.tfvars"));

    // Refused, never read another way: a block in a variable file, and JSON whose string
    // Terraform reads as a template.
    write("terraform.tfvars", "locals {\n  x = 1\n}\n");
    let output = azabac(&["check", "--format", "json", &main]);
    assert_eq!(code(&output), 1);
    assert!(String::from_utf8_lossy(&output.stdout).contains("only `name = value` attributes"));
    std::fs::remove_file(dir.join("terraform.tfvars")).unwrap();
    write("terraform.tfvars.json", "{\"condition\": \"${var.x}\"}\n");
    let output = azabac(&["check", "--format", "json", &main]);
    assert_eq!(code(&output), 1);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("terraform.tfvars.json") && stdout.contains("`${` or `%{`"),
        "{stdout}"
    );
    // However it is escaped.
    write(
        "terraform.tfvars.json",
        "{\"condition\": \"\\u0024{var.x}\"}\n",
    );
    assert_eq!(code(&azabac(&["check", "--format", "json", &main])), 1);
    std::fs::remove_file(dir.join("terraform.tfvars.json")).unwrap();

    // A reference or a function call in a variable file, which Terraform refuses: the file's
    // error, and the variable it would give not read as the module's input.
    write("terraform.tfvars", "condition = lower(\"X\")\n");
    let output = azabac(&["check", "--format", "json", &main]);
    assert_eq!(code(&output), 1);
    assert!(String::from_utf8_lossy(&output.stdout).contains("values are literal"));
    // An interpolation of a literal Terraform reads (no variables needed): read, its typo found.
    write(
        "terraform.tfvars",
        "condition = \"@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:${\"nmae\"}] StringEquals 'x'\"\n",
    );
    let read = found(&["check", "--format", "json", &main]);
    assert_eq!((read[0].0, read[0].3), (&*tfvars, Some(false)), "{read:?}");
    write("terraform.tfvars", "condition = -1\n");
    let output = azabac(&["check", "--format", "json", &main]);
    assert!(
        !String::from_utf8_lossy(&output.stdout).contains("values are literal"),
        "a negative number is a literal"
    );

    // `*.auto.tfvars` (`terraform.auto.tfvars` too) after `terraform.tfvars`, by name.
    write("terraform.tfvars", &cond("name"));
    write("terraform.auto.tfvars", &cond("nmae"));
    let read = found(&["check", "--format", "json", &main]);
    assert_eq!(
        read[0].0,
        dir.join("terraform.auto.tfvars").display().to_string()
    );
    write("b.auto.tfvars", &cond("name"));
    let read = found(&["check", "--format", "json", &main]);
    assert_eq!(
        read[0].0,
        dir.join("terraform.auto.tfvars").display().to_string()
    );
    for file in ["terraform.tfvars", "terraform.auto.tfvars", "b.auto.tfvars"] {
        std::fs::remove_file(dir.join(file)).unwrap();
    }

    // A `--var-file` inside the directory walked is read once, with the module.
    let walked = dir.display().to_string();
    let read = found(&[
        "check",
        "--format",
        "json",
        "--no-config",
        "--var-file",
        &prod,
        &walked,
    ]);
    assert_eq!(read.len(), 1, "{read:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Condition slots (issue 31, point 5) are what a module's callers give, never a value a
/// deployment decides or one written here: a run of slots only exits 0, a slot beside a
/// condition not checkable for another reason keeps the exit 2 of a run that checks nothing,
/// and a value known here but past a limit, or a fallback to a module's output, is no slot.
#[test]
fn slots_are_inputs_only_and_keep_the_exit_rule() {
    let dir = scratch("slots");
    let write = |name: &str, text: &str| {
        std::fs::write(dir.join(name), text).unwrap();
        dir.join(name).display().to_string()
    };
    let slot = write(
        "slot.bicep",
        "param condition string\n\
         resource r 'Microsoft.Authorization/roleAssignments@2022-04-01' = {\n\
           name: 'r'\n  properties: { principalType: 'User', condition: condition }\n}\n",
    );
    let output = azabac(&["check", "--format", "json", &slot]);
    assert_eq!(code(&output), 0);
    assert_eq!(json(&output)["slot"], "condition");

    let open = write(
        "open.bicep",
        "resource other 'Microsoft.Resources/deployments@2022-09-01' existing = { name: 'x' }\n\
         resource r 'Microsoft.Authorization/roleAssignments@2022-04-01' = {\n\
           name: 'r'\n  properties: { principalType: 'User', condition: other.properties.outputs.c.value }\n}\n",
    );
    assert_eq!(
        code(&azabac(&["check", &slot, &open])),
        2,
        "a slot and an open value"
    );

    // Never a slot: a fallback to a deployment's value, a loop over an input and more.
    let fallback = write(
        "fallback.bicep",
        "param condition string?\n\
         resource other 'Microsoft.Resources/deployments@2022-09-01' existing = { name: 'x' }\n\
         param extra array = []\n\
         resource r 'Microsoft.Authorization/roleAssignments@2022-04-01' = {\n\
           name: 'r'\n  properties: { principalType: 'User', condition: condition ?? other.properties.outputs.c.value }\n}\n\
         param items array\n\
         resource s 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for i in concat(items, other.properties.outputs.x.value): {\n\
           name: 's'\n  properties: { principalType: 'User', condition: i.condition }\n}]\n",
    );
    let output = json(&azabac(&["check", "--format", "json", &fallback]));
    for result in output.as_array().unwrap() {
        assert!(result["slot"].is_null(), "{result}");
    }

    // Terraform: a variable with more entries than are expanded is known, not a slot.
    let tf = dir.join("tf");
    std::fs::create_dir_all(&tf).unwrap();
    let entries: String = (0..300)
        .map(|i| format!("  e{i} = {{ condition = \"x\" }}\n"))
        .collect();
    std::fs::write(
        tf.join("main.tf"),
        format!(
            "variable \"ra\" {{\n  default = {{\n{entries}  }}\n}}\n\
             resource \"azurerm_role_assignment\" \"a\" {{\n  for_each = var.ra\n  \
             principal_type = \"User\"\n  condition = each.value.condition\n}}\n"
        ),
    )
    .unwrap();
    let output = check_json(&tf);
    assert!(output["slot"].is_null(), "{output}");
    assert!(output["valid"].is_null(), "{output}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Local modules (issue 31, point 4, and the second hostile pass): a child's own condition
/// stays reported when a call leaves it to the child's default; a child's `count` shares the
/// condition the call gives; a Bicep module's usage example inside a `'''` string is no
/// declaration; a `lookup()` with a fallback over an input is no slot.
#[test]
fn local_modules_keep_what_a_call_leaves_to_the_module() {
    let dir = scratch("local");
    std::fs::create_dir_all(dir.join("modules/ra")).unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).unwrap();
    let cond = |name: &str| {
        format!(
            "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:{name}] StringEquals 'x'"
        )
    };
    write(
        "modules/ra/main.tf",
        &format!(
            "variable \"enabled\" {{\n  default = true\n}}\nvariable \"condition\" {{\n  default = \"{}\"\n}}\n\
             resource \"azurerm_role_assignment\" \"this\" {{\n  count = var.enabled ? 1 : 0\n  \
             principal_type = \"User\"\n  role_definition_name = \"Reader\"\n  condition = var.condition\n}}\n",
            cond("nmae")
        ),
    );
    write(
        "main.tf",
        &format!(
            "module \"a\" {{\n  source = \"./modules/ra\"\n  condition = \"{}\"\n}}\n\
             module \"b\" {{\n  source = \"./modules/ra\"\n}}\n",
            cond("name")
        ),
    );
    let read = found(&["check", "--format", "json", &dir.display().to_string()]);
    let resources: Vec<(&str, Option<bool>)> = read.iter().map(|f| (f.1, f.3)).collect();
    assert!(
        resources.contains(&("module.a.azurerm_role_assignment.this", Some(true)))
            && resources.contains(&("azurerm_role_assignment.this[0]", Some(false))),
        "{read:?}"
    );

    // A Bicep module whose description shows a call: text, not a declaration.
    write(
        "ra.bicep",
        "metadata description = '''\nUsage:\nmodule reader 'ra.bicep' = {\n  params: { condition: '<yours>' }\n}\n'''\n\
         param condition string\n\
         resource r 'Microsoft.Authorization/roleAssignments@2022-04-01' = {\n  name: 'r'\n  \
         properties: { principalType: 'User', condition: condition }\n}\n",
    );
    let output = azabac(&[
        "check",
        "--format",
        "json",
        &dir.join("ra.bicep").display().to_string(),
    ]);
    assert_eq!(code(&output), 0);
    assert_eq!(json(&output)["slot"], "condition");

    // What a Bicep module reads of its parameter (a `var` holding it, a member of it) is checked
    // at the call; text the module writes around it is read in the module only.
    write(
        "reads.bicep",
        "param settings object\nparam condition string\nvar held = condition\n\
         var built = '${condition} AND true'\n\
         resource a 'Microsoft.Authorization/roleAssignments@2022-04-01' = {\n  name: 'a'\n  \
         properties: { principalType: 'User', condition: held }\n}\n\
         resource b 'Microsoft.Authorization/roleAssignments@2022-04-01' = {\n  name: 'b'\n  \
         properties: { principalType: 'User', condition: settings.condition }\n}\n\
         resource e 'Microsoft.Authorization/roleAssignments@2022-04-01' = {\n  name: 'e'\n  \
         properties: { principalType: 'User', condition: built }\n}\n",
    );
    write(
        "caller.bicep",
        &format!(
            "module m './reads.bicep' = {{\n  name: 'm'\n  params: {{\n    condition: '{}'\n    \
             settings: {{\n      condition: '{}'\n    }}\n  }}\n}}\n",
            cond("nmae").replace('\'', "\\'"),
            cond("naem").replace('\'', "\\'")
        ),
    );
    let read = found(&[
        "check",
        "--format",
        "json",
        &dir.join("caller.bicep").display().to_string(),
        &dir.join("reads.bicep").display().to_string(),
    ]);
    let resources: Vec<(&str, Option<bool>)> = read.iter().map(|f| (f.1, f.3)).collect();
    assert_eq!(
        resources,
        [("m.a", Some(false)), ("m.b", Some(false)), ("e", None)],
        "{read:?}"
    );

    // A lookup over an input with a fallback written here: no slot.
    let tf = dir.join("lookup");
    std::fs::create_dir_all(&tf).unwrap();
    std::fs::write(
        tf.join("main.tf"),
        "variable \"conditions\" {\n  type = map(string)\n}\nlocals {\n  fallback = \"x\"\n}\n\
         resource \"azurerm_role_assignment\" \"a\" {\n  principal_type = \"User\"\n  \
         condition = lookup(var.conditions, \"reader\", local.fallback)\n}\n",
    )
    .unwrap();
    let output = check_json(&tf);
    assert!(output["slot"].is_null(), "{output}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 32, point 1: a host file's conditions one at a time. `explain` explains each under
/// its resource's name; `--resource` picks one by its whole address or its unique symbolic
/// name; a miss or an ambiguous name is a usage error listing the conditions found, with a
/// did-you-mean; `eval` given several lists them.
#[test]
fn one_resource_of_a_host_file_is_picked_by_its_address() {
    let file = "corpus/iac/bicep/modules/main.bicep";
    let all = azabac(&["explain", file]);
    assert_eq!(code(&all), 1, "the file holds a typo");
    let stdout = String::from_utf8_lossy(&all.stdout);
    for heading in [
        "── logsReader.assignment (corpus/iac/bicep/modules/main.bicep:16)",
        "── writers[0].assignment (corpus/iac/bicep/modules/main.bicep:28)",
        "── writers[1].assignment (corpus/iac/bicep/modules/main.bicep:28)",
    ] {
        assert!(stdout.contains(heading), "{stdout}");
    }
    let json_all = json(&azabac(&["explain", "--format", "json", file]));
    assert_eq!(json_all.as_array().map(Vec::len), Some(3), "{json_all}");
    assert_eq!(json_all[1]["resource"], "writers[0].assignment");

    let one = azabac(&["explain", "--resource", "writers[1].assignment", file]);
    assert_eq!(code(&one), 0);
    assert!(String::from_utf8_lossy(&one.stdout).contains("'audit'"));
    let symbolic = azabac(&["explain", "--resource", "logsReader", file]);
    assert_eq!(
        code(&symbolic),
        1,
        "the one condition of `logsReader`, its typo"
    );

    let miss = azabac(&["explain", "--resource", "logsReader.assignmnt", file]);
    assert_eq!(code(&miss), 2);
    let stderr = String::from_utf8_lossy(&miss.stderr);
    assert!(
        stderr.contains("did you mean `logsReader.assignment`?")
            && stderr.contains("writers[1].assignment (corpus/iac/bicep/modules/main.bicep:28)"),
        "{stderr}"
    );
    let ambiguous = azabac(&["explain", "--resource", "writers", file]);
    assert_eq!(code(&ambiguous), 2);

    let several = azabac(&["eval", "--request", "docs/examples/assignments.json", file]);
    assert_eq!(code(&several), 2);
    assert!(String::from_utf8_lossy(&several.stderr).contains("pick one with --resource"));
}
