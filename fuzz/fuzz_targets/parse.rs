//! Arbitrary bytes into the parser: no panic, every span inside the input on character
//! boundaries, and every valid condition formats.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/support/spans.rs"]
mod spans;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    spans::check_never_panics_and_spans_are_sound(&text);
});
