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

#[path = "support/generate.rs"]
mod generate;

#[path = "support/oracle.rs"]
mod oracle;

#[path = "support/corrupt.rs"]
mod corrupt;

use generate::{Bytes, Generator, Rng, Widest};

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

/// `bytes` read through the input entry point as the one file `file`.
fn read_as(file: &str, bytes: impl AsRef<[u8]>) -> azabac::input::Read {
    let path = std::path::PathBuf::from(file);
    let files = std::collections::BTreeMap::from([(path.clone(), bytes.as_ref().to_vec())]);
    azabac::input::read(&[path], &files)
}

/// Whether `errors` is the one error of a file past one of its budgets.
fn refused_for_budget(errors: &[&azabac::input::FileError]) -> bool {
    matches!(errors, [error] if matches!(error.problem, azabac::input::Problem::Budget { .. }))
}

/// The `corrupt` target: a corrupted world decides as the clean one or is refused. The first
/// finding was the generator's own: it expected a refusal for a character put into a request
/// scope's blob path, which the request reads as data below the container, not as an id.
#[test]
fn corrupt_findings_stay_fixed() {
    let found = artifacts("corrupt");
    assert!(!found.is_empty());
    for (name, bytes) in found {
        let mut choices = Bytes::new(&bytes);
        let clean = corrupt::world(&mut choices);
        corrupt::reads(&clean).unwrap_or_else(|e| panic!("{name}: {e}"));
        let corrupted = corrupt::corrupt(&clean, &mut choices);
        corrupt::check(&clean, &corrupted).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

/// The `json_readers` target: role assignments read from the text (as `decide` reads them) and
/// from the strictly parsed value agree, down to the error. The first finding: a PowerShell item
/// with `Type` and `type` named the two keys in file order from the text and in sorted order
/// from the value; the pair is now named in one order. The second: an item repeating two keys
/// in two spellings each named a different pair from each reader; now both name the smallest
/// key's two smallest spellings.
#[test]
fn json_readers_findings_stay_fixed() {
    use azabac::catalog::Catalog;
    use azabac::rbac::World;
    let found = artifacts("json_readers");
    assert!(!found.is_empty());
    let read = |builder: Result<azabac::rbac::WorldBuilder, azabac::rbac::InputError>| {
        builder
            .and_then(|b| b.build(Catalog::builtin()))
            .map(|world| {
                world
                    .assignments()
                    .map(|a| format!("{a:?}"))
                    .collect::<Vec<_>>()
            })
            .map_err(|e| e.to_string())
    };
    for (name, bytes) in found {
        let text = String::from_utf8_lossy(&bytes);
        let from_text = read(World::builder().assignments_text(&text));
        match azabac::rbac::read_json(&text) {
            Ok(strict) => assert_eq!(
                from_text,
                read(World::builder().assignments(&strict)),
                "{name}"
            ),
            Err(_) => assert!(from_text.is_err(), "{name}"),
        }
    }
}

/// The `arm` target's first input, written by hand from the issue that found it (issue 30): a
/// template as `bicep build` writes a module with a role assignment in a `copy` loop over
/// `roleAssignments`, whose `tryGet(parameters('roleAssignments')[copyIndex()], …)` made the
/// expression reader's argument loop push arguments for a `]` it never consumed until memory
/// ran out (23 GB). Each template here is read through the entry point, as `check` reads it:
/// the read ends, and the loop's condition is found and left unresolved; `doubling-copy.json`
/// (written by hand) passes the template's work budget.
#[test]
fn arm_findings_stay_fixed() {
    let found = artifacts("arm");
    assert!(!found.is_empty());
    for (name, bytes) in found {
        let read = read_as("azuredeploy.json", bytes);
        // Variables that `concat()` each other twice over, in a 64-instance loop: the
        // template passes its work budget, an error of its own (it took 3.4 s before).
        if name.contains("doubling") {
            let errors: Vec<_> = read.errors().collect();
            assert!(refused_for_budget(&errors), "{name}: {errors:?}");
            continue;
        }
        // The fuzzer's timeout: every string of a doubling template evaluated afresh, each
        // under a budget of its own (the target now evaluates them under one); read, it ends.
        if name.contains("timeout") {
            continue;
        }
        // The condition of the copy loop depends on what a deployment passes: found, and
        // unresolved, never guessed.
        let conditions: Vec<_> = read
            .items
            .iter()
            .filter_map(|item| match item {
                azabac::input::Item::Found(located) => Some(&located.found),
                _ => None,
            })
            .collect();
        assert!(!conditions.is_empty(), "{name}: {:?}", read.items);
        for found in conditions {
            assert!(!found.place.unresolved.is_empty(), "{name}: {found:?}");
        }
    }
}

/// The Terraform reader (issue 30): `local`s that interpolate each other sixty times over,
/// four levels deep, took 41 s (written by hand after the same shape in Bicep and ARM); the
/// file now passes its budget, an error of its own.
#[test]
fn terraform_findings_stay_fixed() {
    let found = artifacts("terraform");
    assert!(!found.is_empty());
    for (name, bytes) in found {
        let read = read_as("main.tf", bytes);
        let errors: Vec<_> = read.errors().collect();
        assert!(refused_for_budget(&errors), "{name}: {errors:?}");
    }
}

/// The `bicep` target (issue 30): the first finding was a `\u` escape at the end of the file,
/// which moved the reader past the text's end and panicked on a slice; an escape without its
/// `{…}` is now an error of the file. The others made the reader resolve values without bound
/// (`doubling-vars.bicep` is a valid file that does): the file passes its budget, an error of
/// the file.
#[test]
fn bicep_findings_stay_fixed() {
    let found = artifacts("bicep");
    assert!(!found.is_empty());
    for (name, bytes) in found {
        // As the target reads them: as text.
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let read = read_as("main.bicep", text);
        let errors: Vec<_> = read.errors().collect();
        assert!(errors.len() <= 1, "{name}: {errors:?}");
        // Values resolved without bound (`var`s that interpolate each other twice over): the
        // file passes its budget, refused as a whole. (The fuzzer's own slow input is not
        // Bicep; it is refused before it can resolve anything.)
        if name.contains("slow-unit") {
            assert!(!errors.is_empty(), "{name}: {:?}", read.items);
        }
        if name.contains("doubling") {
            assert!(refused_for_budget(&errors), "{name}: {:?}", read.items);
        }
    }
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

/// The `vm_reference` target: each artifact's bytes steer the generator as they steered the
/// fuzzer (the same `Bytes` choices), and the VM agrees with the reference.
#[test]
fn vm_reference_findings_stay_fixed() {
    let generator = Generator::new(azabac::catalog::Catalog::builtin());
    let found = artifacts("vm_reference");
    assert!(!found.is_empty());
    for (name, bytes) in found {
        eprintln!("{name}");
        oracle::vm_agrees_with_reference(&generator, &mut Bytes::new(&bytes));
    }
}

/// The `vm_reference` finding: the generator could write a condition over Azure's 8192 bytes
/// (deep, wide, long attribute names), which is not valid syntax. With a leaf budget even the
/// widest choices stay valid, and so do many random ones.
#[test]
fn the_generator_always_writes_valid_conditions_within_the_length_limit() {
    let generator = Generator::new(azabac::catalog::Catalog::builtin());
    let widest = generator.condition(&mut Widest);
    assert!(
        widest.len() <= azabac::limits::MAX_CONDITION_BYTES,
        "{}",
        widest.len()
    );
    assert!(azabac::syntax::parse(&widest).is_valid(), "{widest}");
    let mut longest = 0;
    for seed in 1..=5_000u64 {
        let condition = generator.condition(&mut Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1));
        longest = longest.max(condition.len());
        assert!(azabac::syntax::parse(&condition).is_valid(), "{condition}");
    }
    assert!(longest <= azabac::limits::MAX_CONDITION_BYTES);
    oracle::vm_agrees_with_reference(&generator, &mut Widest);
}
