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
