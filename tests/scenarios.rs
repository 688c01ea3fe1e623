#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

//! The RBAC scenarios of `corpus/scenarios/`: each file is a world (custom roles, role
//! assignments, deny assignments, a management-group hierarchy) and cases, each a `decide`
//! request with the expected decision and, optionally, a phrase its reason must contain.
//! The format is described in `corpus/scenarios/README.md`.

use std::fs;
use std::path::{Path, PathBuf};

use azabac::catalog::Catalog;
use azabac::rbac::{AccessRequest, World};
use serde_json::Value;

fn catalog() -> &'static Catalog {
    Catalog::builtin().unwrap()
}

fn scenario_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir("corpus/scenarios")
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn build_world(path: &Path, world: &Value) -> World {
    let mut builder = World::builder();
    let part = |name: &str| world.get(name).filter(|v| !v.is_null());
    if let Some(roles) = part("roles") {
        builder = builder.roles(roles).unwrap();
    }
    if let Some(assignments) = part("assignments") {
        builder = builder.assignments(assignments).unwrap();
    }
    if let Some(deny) = part("denyAssignments") {
        builder = builder.deny_assignments(deny).unwrap();
    }
    if let Some(hierarchy) = part("hierarchy") {
        builder = builder.hierarchy(hierarchy).unwrap();
    }
    let known = ["roles", "assignments", "denyAssignments", "hierarchy"];
    for key in world.as_object().unwrap().keys() {
        assert!(
            known.contains(&key.as_str()),
            "{}: unknown world part `{key}`",
            path.display()
        );
    }
    builder
        .build(catalog())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// One scenario file: every case decided, every mismatch reported (all of them, not just the
/// first), and at least one allow and one deny so that no file passes by always answering
/// the same.
fn run(path: &Path) -> (usize, Vec<String>) {
    let text = fs::read_to_string(path).unwrap();
    let scenario: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()));
    assert!(
        scenario["scenario"].is_string() && scenario["source"].is_string(),
        "{}: every scenario says what it is and where it comes from",
        path.display()
    );
    let world = build_world(path, &scenario["world"]);
    let cases = scenario["cases"].as_array().unwrap();
    let mut failures = Vec::new();
    let (mut allows, mut denies) = (0, 0);
    for (index, case) in cases.iter().enumerate() {
        let name = case["name"]
            .as_str()
            .unwrap_or_else(|| panic!("case {index} has no name"));
        let expect = match case["expect"].as_str() {
            Some("allow") => true,
            Some("deny") => false,
            other => panic!("{}: {name}: expect is {other:?}", path.display()),
        };
        if expect {
            allows += 1;
        } else {
            denies += 1;
        }
        let request = AccessRequest::from_value(&case["request"], catalog())
            .unwrap_or_else(|e| panic!("{}: {name}: {e}", path.display()));
        let decision = world.decide(&request, false);
        let mut wrong = Vec::new();
        if decision.allowed != expect {
            wrong.push(format!(
                "expected {}, got {}",
                case["expect"],
                if decision.allowed { "allow" } else { "deny" }
            ));
        }
        if let Some(phrase) = case.get("reason").and_then(Value::as_str)
            && !decision.reason.contains(phrase)
        {
            wrong.push(format!("reason lacks {phrase:?}"));
        }
        if !wrong.is_empty() {
            failures.push(format!(
                "{} › {name}: {} (reason: {})",
                path.display(),
                wrong.join("; "),
                decision.reason
            ));
        }
    }
    assert!(
        allows > 0 && denies > 0,
        "{}: a scenario needs at least one allow and one deny ({allows} allow, {denies} deny)",
        path.display()
    );
    (cases.len(), failures)
}

#[test]
fn every_scenario_decides_as_expected() {
    let files = scenario_files();
    let mut cases = 0;
    let mut failures = Vec::new();
    for file in &files {
        let (count, failed) = run(file);
        cases += count;
        failures.extend(failed);
    }
    assert!(
        failures.is_empty(),
        "{} of {cases} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(files.len() >= 10, "scenario files: {files:?}");
}
