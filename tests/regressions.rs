#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

//! Every input a fuzz target (`fuzz/`) found failing, replayed in `cargo test` through the
//! same checks: `tests/regressions/<target>/<artifact>`, bytes exactly as the fuzzer saved
//! them. A new finding is fixed, then its artifact is copied here.

use std::fs;
use std::path::Path;

#[path = "support/spans.rs"]
mod spans;

fn artifacts(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new("tests/regressions").join(target);
    let Ok(entries) = fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut found: Vec<(String, Vec<u8>)> = entries
        .map(|e| e.unwrap().path())
        .map(|p| (p.display().to_string(), fs::read(&p).unwrap()))
        .collect();
    found.sort();
    found
}

/// The `parse` target: soundness of spans, and valid conditions format (or are too long
/// once formatted, said as such).
#[test]
fn parse_findings_stay_fixed() {
    let found = artifacts("parse");
    assert!(!found.is_empty());
    for (name, bytes) in found {
        eprintln!("{name}");
        spans::check_never_panics_and_spans_are_sound(&String::from_utf8_lossy(&bytes));
    }
}

/// The `format_roundtrip` target: a valid condition formats to text that parses to the same
/// tree and formats to itself, or is AZ0025 when canonical spacing takes it over the limit.
#[test]
fn format_roundtrip_findings_stay_fixed() {
    let found = artifacts("format_roundtrip");
    assert!(!found.is_empty());
    for (name, bytes) in found {
        let text = String::from_utf8_lossy(&bytes);
        let parsed = azabac::syntax::parse(&text);
        let Some(tree) = parsed.valid_condition() else {
            continue;
        };
        match azabac::syntax::format(&text) {
            Ok(formatted) => {
                let again = azabac::syntax::parse(&formatted);
                assert_eq!(again.valid_condition(), Some(tree), "{name}");
                assert_eq!(azabac::syntax::format(&formatted), Ok(formatted.clone()));
            }
            Err(diagnostics) => assert!(
                diagnostics
                    .iter()
                    .all(|d| d.code == azabac::diagnostic::Code::ConditionTooLong),
                "{name}: {diagnostics:?}"
            ),
        }
    }
}

/// The first finding: a valid set of a thousand values that canonical spacing takes over
/// 8192 bytes. `format` says so with AZ0025 instead of calling it a formatter bug.
#[test]
fn formatting_over_the_length_limit_is_az0025_not_a_bug() {
    let bytes =
        fs::read("tests/regressions/parse/crash-af367366726a486953ddb6c9ffe2744fa40a227e").unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert!(azabac::syntax::parse(&text).is_valid());
    let diagnostics = azabac::syntax::format(&text).unwrap_err();
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(
        diagnostics[0].code,
        azabac::diagnostic::Code::ConditionTooLong
    );
    assert!(
        diagnostics[0]
            .message
            .contains("formatted, the condition would be")
    );
}
