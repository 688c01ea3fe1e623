//! A condition and requests from the shared type-directed generator, steered by the fuzzer's
//! bytes: the generated text is a valid condition, and the VM, the reference evaluator and the
//! tracer give the same result, error and span (`tests/support/oracle.rs`).
#![no_main]

use std::sync::LazyLock;

use azabac::catalog::Catalog;
use libfuzzer_sys::fuzz_target;

mod choices;

use choices::generate::{Bytes, Generator};

static GENERATOR: LazyLock<Generator> = LazyLock::new(|| Generator::new(Catalog::builtin()));

fuzz_target!(|data: &[u8]| {
    let generator = &*GENERATOR;
    choices::oracle::vm_agrees_with_reference(generator, &mut Bytes::new(data));
});
