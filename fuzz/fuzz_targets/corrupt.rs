//! The corruption property of `tests/corruption.rs`, steered by the fuzzer's bytes: a random
//! world and requests in the shapes the tools print, corrupted by a class of the readers' past
//! mistakes, decide exactly as the clean input where the corruption keeps the meaning, are
//! refused where Azure refuses them, and never decide otherwise.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod choices;

use choices::corrupt;
use choices::generate::Bytes;

fuzz_target!(|data: &[u8]| {
    let mut choices = Bytes::new(data);
    let clean = corrupt::world(&mut choices);
    if let Err(e) = corrupt::reads(&clean) {
        panic!("{e}");
    }
    let corrupted = corrupt::corrupt(&clean, &mut choices);
    if let Err(e) = corrupt::check(&clean, &corrupted) {
        panic!("{e}");
    }
});
