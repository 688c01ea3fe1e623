//! The bytecode VM agrees with the reference evaluator: same result, same error, same span,
//! on generated (condition, request) pairs from the shared generator of
//! `tests/support/generate.rs` (also used by the fuzz targets).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use std::cell::Cell;

use azabac::catalog::Catalog;
use azabac::eval::{self, reference};
use azabac::syntax;
use proptest::prelude::*;
use proptest::test_runner::TestRunner;

#[path = "support/generate.rs"]
mod generate;

use generate::{Generator, Rng};

const REQUESTS_PER_CONDITION: usize = 8;
const CONDITIONS: u32 = 1500;

/// At least 10,000 pairs per run, with both results and errors among them (a generator that
/// only produced `false` would prove little).
#[test]
fn vm_agrees_with_the_reference_on_generated_pairs() {
    let mut runner = TestRunner::new(ProptestConfig {
        cases: CONDITIONS,
        ..ProptestConfig::default()
    });
    let generator = Generator::new(Catalog::builtin());
    let (pairs, errors, trues) = (Cell::new(0usize), Cell::new(0usize), Cell::new(0usize));
    // proptest draws the seeds (and keeps failing ones); the shared generator does the rest.
    let outcome = runner.run(&any::<u64>(), |seed| {
        let mut rng = Rng(seed | 1);
        let source = generator.condition(&mut rng);
        let requests: Vec<_> = (0..REQUESTS_PER_CONDITION)
            .map(|_| generator.request(&mut rng))
            .collect();
        let parsed = syntax::parse(&source);
        let tree = parsed.valid_condition().unwrap_or_else(|| {
            panic!(
                "generated invalid syntax: {source}\n{:?}",
                parsed.diagnostics
            )
        });
        let program = eval::compile(tree, &source).unwrap_or_else(|d| panic!("{source}: {d:?}"));
        for request in &requests {
            let vm = program.run(request);
            let oracle = reference::evaluate(tree, request);
            prop_assert_eq!(
                vm.error.map(|e| (e.kind, e.span)),
                oracle.err().map(|e| (e.kind, e.span)),
                "errors differ on {} for {:?}",
                source,
                request
            );
            prop_assert_eq!(
                vm.result,
                oracle.unwrap_or(false),
                "results differ on {} for {:?}",
                source,
                request
            );
            prop_assert_eq!(program.trace(request).result, vm.result);
            pairs.set(pairs.get() + 1);
            errors.set(errors.get() + usize::from(vm.error.is_some()));
            trues.set(trues.get() + usize::from(vm.result));
        }
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
    let (pairs, errors, trues) = (pairs.get(), errors.get(), trues.get());
    eprintln!("pairs {pairs} errors {errors} true {trues}");
    assert!(pairs >= 10_000, "only {pairs} pairs");
    assert!(trues > pairs / 10, "only {trues} of {pairs} true");
    assert!(
        errors > 0 && errors < pairs / 3,
        "{errors} errors in {pairs} pairs"
    );
}

/// The runtime errors a checked condition can never meet on a well-formed request: the
/// checker types every catalogue attribute against its operator (no `TypeMismatch`), requires
/// a quantifier on multi-valued attributes and sets (no `ListWithoutQuantifier`), and the
/// compiler types every literal (no `InvalidLiteral`). Only `BudgetExhausted` remains
/// possible, on requests with very long lists. Custom security attributes are left out: the
/// catalogue types them only by the request (`Family` form), so their errors are the
/// request's to avoid.
#[test]
fn checked_conditions_meet_no_type_errors_on_well_formed_requests() {
    let catalog = Catalog::builtin();
    let generator = Generator::new(catalog).catalogue_typed();
    let checker = azabac::check::Checker::new(catalog);
    let (mut checked, mut pairs) = (0, 0);
    for seed in 1..=3_000u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let source = generator.condition(&mut rng);
        let parsed = syntax::parse(&source);
        let tree = parsed.valid_condition().unwrap();
        let diagnostics = checker.check(tree, &source);
        if diagnostics
            .iter()
            .any(|d| d.severity == azabac::diagnostic::Severity::Error)
        {
            continue;
        }
        checked += 1;
        let program = eval::compile(tree, &source).unwrap();
        for _ in 0..REQUESTS_PER_CONDITION {
            let request = generator.well_formed_request(&mut rng);
            let outcome = program.run(&request);
            if let Some(error) = outcome.error {
                assert!(
                    !matches!(
                        error.kind,
                        eval::ErrorKind::TypeMismatch { .. }
                            | eval::ErrorKind::ListWithoutQuantifier
                            | eval::ErrorKind::InvalidLiteral
                    ),
                    "the checker passed `{source}`, which meets {:?} on {request:?}",
                    error.kind
                );
            }
            pairs += 1;
        }
    }
    eprintln!("{checked} checked conditions, {pairs} pairs");
    assert!(
        checked >= 300,
        "only {checked} generated conditions passed the checker"
    );
}
