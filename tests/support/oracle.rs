//! The check of the `vm_reference` fuzz target, shared with its regression replay: a condition
//! and four requests from the generator, steered by `choices`; the generated text must be a
//! valid condition, and the VM, the reference evaluator and the tracer must agree on the
//! result, the error and its span.

#![allow(
    clippy::panic,
    reason = "a broken invariant must stop the test or the fuzzer"
)]

use azabac::eval::{self, reference};

use super::generate::{Choices, Generator};

pub fn vm_agrees_with_reference(generator: &Generator, choices: &mut impl Choices) {
    let source = generator.condition(choices);
    let parsed = azabac::syntax::parse(&source);
    let Some(tree) = parsed.valid_condition() else {
        panic!(
            "the generator wrote an invalid condition ({} bytes): {source}\n{:?}",
            source.len(),
            parsed.diagnostics
        );
    };
    let Ok(program) = eval::compile(tree, &source) else {
        return;
    };
    for _ in 0..4 {
        let request = generator.request(choices);
        let vm = program.run(&request);
        let oracle = reference::evaluate(tree, &request);
        assert_eq!(
            vm.error.map(|e| (e.kind, e.span)),
            oracle.as_ref().err().map(|e| (e.kind, e.span)),
            "errors differ on {source} for {request:?}"
        );
        assert_eq!(
            vm.result,
            oracle.unwrap_or(false),
            "results differ on {source} for {request:?}"
        );
        assert_eq!(
            program.trace(&request).result,
            vm.result,
            "trace differs on {source}"
        );
    }
}
