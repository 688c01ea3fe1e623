//! A condition and requests from the shared type-directed generator, steered by the fuzzer's
//! bytes: the VM, the reference evaluator and the tracer agree on the result, the error and
//! its span.
#![no_main]

use std::sync::LazyLock;

use arbitrary::Unstructured;
use azabac::catalog::Catalog;
use azabac::eval::{self, reference};
use libfuzzer_sys::fuzz_target;

mod choices;

use choices::Bytes;
use choices::generate::Generator;

static GENERATOR: LazyLock<Option<Generator>> =
    LazyLock::new(|| Catalog::builtin().ok().map(Generator::new));

fuzz_target!(|data: &[u8]| {
    let Some(generator) = GENERATOR.as_ref() else {
        return;
    };
    let mut bytes = Unstructured::new(data);
    let mut choices = Bytes(&mut bytes);
    let source = generator.condition(&mut choices);
    let parsed = azabac::syntax::parse(&source);
    let Some(tree) = parsed.valid_condition() else {
        panic!("the generator wrote invalid syntax: {source}");
    };
    let Ok(program) = eval::compile(tree, &source) else {
        return;
    };
    for _ in 0..4 {
        let request = generator.request(&mut choices);
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
});
