#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

//! The RBAC scenarios of `corpus/scenarios/*.test.json`, run as `azabac test` runs them
//! (`azabac::suite`): every case decides as expected, with the expected phrase in its reason.
//! Each file says what it shows and where the expectations come from, and has at least one
//! allow and one deny, so that no file passes by always answering the same.

use std::fs;
use std::path::PathBuf;

use azabac::catalog::Catalog;
use azabac::suite::{Outcome, Suite};

fn scenario_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir("corpus/scenarios")
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.to_string_lossy().ends_with(".test.json"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_scenario_decides_as_expected() {
    let catalog = Catalog::builtin();
    let files = scenario_files();
    let (mut cases, mut failures) = (0, Vec::new());
    for file in &files {
        let raw: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(file).unwrap()).unwrap();
        assert!(
            raw["description"].is_string() && raw["source"].is_string(),
            "{}: every scenario says what it is and where it comes from",
            file.display()
        );
        let suite = Suite::load(file, catalog).unwrap_or_else(|e| panic!("{e}"));
        let results = suite.run(azabac::eval::Ticks(17_960_832_000_000_000));
        let allows = results
            .iter()
            .filter(|r| r.expected.outcome == Outcome::Allow)
            .count();
        let denies = results
            .iter()
            .filter(|r| r.expected.outcome == Outcome::Deny)
            .count();
        assert!(
            allows > 0 && denies > 0,
            "{}: a scenario needs at least one allow and one deny ({allows} allow, {denies} deny)",
            file.display()
        );
        cases += results.len();
        for result in results.into_iter().filter(|r| !r.passed) {
            failures.push(format!(
                "{} › {}: expected {}, got {} (reason: {})",
                file.display(),
                result.name,
                result.expected,
                result.actual,
                result.reason.unwrap_or_default()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cases} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(files.len() >= 10, "scenario files: {files:?}");
    // 136: the case of a catalogue data action asked as `action` became an input error
    // (issue 18, point 8), which tests/rbac.rs pins; a suite cannot expect an error.
    assert!(cases >= 136, "{cases} cases");
}
