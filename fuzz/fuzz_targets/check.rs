//! Arbitrary text through parse, check (with and without a role), compile and disassemble:
//! no panic, and every diagnostic's span inside the input.
#![no_main]

use azabac::catalog::Catalog;
use azabac::check::Checker;
use azabac::catalog::find_builtin_role;
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/support/spans.rs"]
mod spans;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let catalog = Catalog::builtin();
    let parsed = azabac::syntax::parse(&text);
    let Some(tree) = parsed.valid_condition() else {
        return;
    };
    let role = find_builtin_role("Storage Blob Data Owner");
    for checker in [
        Some(Checker::new(catalog)),
        role.map(|r| Checker::new(catalog).with_role(r)),
    ]
    .into_iter()
    .flatten()
    {
        for diagnostic in checker.check(tree, &text) {
            spans::assert_span_ok(diagnostic.span, &text);
        }
    }
    if let Ok(program) = azabac::eval::compile(tree, &text) {
        let _ = program.disassemble();
    }
});
