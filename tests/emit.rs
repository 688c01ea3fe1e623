//! `azabac fmt --emit HOST` (issue 20): every corpus condition, canonical and as written,
//! round-trips through each host's emitter and azabac's own reader of that host (Terraform,
//! Bicep, ARM), a real `bash` for `bash` and `az-cli`, and a here-string decoder for
//! PowerShell (no `pwsh` can be installed here).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly on broken fixtures"
)]

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;
use std::process::Command;

use azabac::input::emit::{Target, emit};
use azabac::input::{Item, read};

/// The one condition `read` finds in `text` as the file `name`, read whole offline.
fn read_back(name: &str, text: String, emitted: &str) -> String {
    let path = PathBuf::from(name);
    let files = BTreeMap::from([(path.clone(), text)]);
    let read = read(&[path], &files);
    let [Item::Found(located)] = read.items.as_slice() else {
        panic!("{:?}", read.items)
    };
    assert!(located.found.place.unresolved.is_empty(), "{emitted}");
    located.found.embedded.text.clone()
}

/// The valid conditions of the corpus, as written and in canonical form.
fn conditions() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for folder in ["docs", "docs-rejected", "roles", "cases"] {
        let mut paths: Vec<_> = fs::read_dir(format!("corpus/conditions/{folder}"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        for path in paths {
            // Invalid UTF-8 is an invalid case, not a condition to emit.
            let Ok(text) = fs::read_to_string(&path) else {
                continue;
            };
            let Ok(canonical) = azabac::syntax::format(&text) else {
                continue;
            };
            let name = path.display().to_string();
            out.push((format!("{name} (as written)"), text.trim_end().to_owned()));
            out.push((format!("{name} (canonical)"), canonical));
        }
    }
    assert!(out.len() > 200, "{}", out.len());
    out
}

fn terraform_reads(emitted: &str) -> String {
    let file = format!(
        "resource \"azurerm_role_assignment\" \"x\" {{\n  principal_type = \"User\"\n  condition = {emitted}\n}}\n"
    );
    read_back("main.tf", file, emitted)
}

fn bicep_reads(emitted: &str) -> String {
    let file = format!(
        "resource r 'Microsoft.Authorization/roleAssignments@2022-04-01' = {{\n  properties: {{\n    principalType: 'User'\n    condition: {emitted}\n  }}\n}}\n"
    );
    read_back("main.bicep", file, emitted)
}

fn arm_reads(emitted: &str) -> String {
    let value: String = serde_json::from_str(emitted).unwrap();
    value
        .strip_prefix("[[")
        .map_or(value.clone(), |rest| format!("[{rest}"))
}

fn powershell_reads(emitted: &str) -> String {
    match emitted
        .strip_prefix("@'\n")
        .and_then(|t| t.strip_suffix("\n'@"))
    {
        Some(text) => text.to_owned(),
        None => emitted
            .strip_prefix('\'')
            .and_then(|t| t.strip_suffix('\''))
            .unwrap()
            .replace("''", "'"),
    }
}

fn bash(script: &str) -> String {
    let output = Command::new("bash").arg("-c").arg(script).output().unwrap();
    assert!(output.status.success(), "{script}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn every_emitter_round_trips_every_corpus_condition() {
    for (name, condition) in conditions() {
        let trimmed = condition.trim_end();
        assert_eq!(
            terraform_reads(&emit(&condition, Target::Terraform)).trim_end(),
            trimmed,
            "terraform: {name}"
        );
        assert_eq!(
            bicep_reads(&emit(&condition, Target::Bicep)),
            condition,
            "bicep: {name}"
        );
        assert_eq!(
            arm_reads(&emit(&condition, Target::Arm)),
            condition,
            "arm: {name}"
        );
        assert_eq!(
            powershell_reads(&emit(&condition, Target::PowerShell)),
            condition,
            "powershell: {name}"
        );
    }
}

/// The `az-cli` form leaves every value but the condition to the user: the principal's type
/// too, as a shell variable (issue 32: it was always `ServicePrincipal`).
#[test]
fn az_cli_takes_the_principal_type_from_a_variable() {
    let command = emit("@Resource[x] StringEquals 'y'", Target::AzCli);
    assert!(
        command.contains("--assignee-principal-type \"$PRINCIPAL_TYPE\"")
            && !command.contains("ServicePrincipal"),
        "{command}"
    );
}

/// A real bash reads back the `bash` and `az-cli` forms, a batch of conditions per process.
#[test]
fn bash_and_az_cli_round_trip_through_a_real_bash() {
    let all = conditions();
    for chunk in all.chunks(40) {
        let mut script = String::from(
            "az() { while [ $# -gt 0 ]; do if [ \"$1\" = --condition ]; then printf '%s\\0' \"$2\"; fi; shift; done; }\n",
        );
        for (_, condition) in chunk {
            script.push_str(&format!(
                "printf '%s\\0' {}\n",
                emit(condition, Target::Bash)
            ));
            script.push_str(&emit(condition, Target::AzCli));
            script.push('\n');
        }
        let out = bash(&script);
        let read: Vec<&str> = out.split('\0').collect();
        for (i, (name, condition)) in chunk.iter().enumerate() {
            assert_eq!(read[2 * i], condition, "bash: {name}");
            assert_eq!(read[2 * i + 1], condition, "az-cli: {name}");
        }
    }
}

/// The hard cases: a heredoc delimiter inside the text, `${` and `%{`, a line starting with
/// `'@`, a leading `[`, quotes of every kind.
#[test]
fn emitters_escape_what_each_host_would_read_otherwise() {
    let hard = "[x] ${a} %{b} \"q\" 'single' \\back\nEOT\n'@ not the end\n'''";
    assert_eq!(
        terraform_reads(&emit(hard, Target::Terraform)).trim_end(),
        hard
    );
    assert!(emit(hard, Target::Terraform).starts_with("<<-EOT_\n"));
    assert_eq!(bicep_reads(&emit(hard, Target::Bicep)), hard);
    assert_eq!(arm_reads(&emit(hard, Target::Arm)), hard);
    assert!(emit(hard, Target::Arm).starts_with("\"[["));
    assert_eq!(powershell_reads(&emit(hard, Target::PowerShell)), hard);
    assert!(
        emit(hard, Target::PowerShell).starts_with('\''),
        "falls back from a here-string"
    );
    assert_eq!(
        bash(&format!("printf %s {}", emit(hard, Target::Bash))),
        hard
    );
}

/// The command line: `fmt --emit HOST`, `--as-written`, and an unknown host (exit 2).
#[test]
fn fmt_emit_prints_the_value_for_the_host() {
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_azabac"))
            .args(args)
            .output()
            .unwrap()
    };
    let condition = "@resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] stringequals 'logs'";
    let output = run(&["fmt", "--emit", "bash", condition]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "'@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals '\\''logs'\\'''\n"
    );
    let output = run(&["fmt", "--emit", "terraform", "--as-written", condition]);
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!("\"{condition}\"\n")
    );
    assert_eq!(
        run(&["fmt", "--emit", "cobol", condition]).status.code(),
        Some(2)
    );
}
