//! Parse, format, parse again: the same tree, and formatting is idempotent.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let parsed = azabac::syntax::parse(&text);
    let Some(tree) = parsed.valid_condition() else {
        return;
    };
    let formatted = match azabac::syntax::format(&text) {
        Ok(formatted) => formatted,
        // Canonical spacing can take a condition over Azure's 8192 bytes: said as AZ0025.
        Err(d)
            if d.iter()
                .all(|d| d.code == azabac::diagnostic::Code::ConditionTooLong) =>
        {
            return;
        }
        Err(d) => panic!("a valid condition did not format: {text:?}: {d:?}"),
    };
    let again = azabac::syntax::parse(&formatted);
    assert_eq!(
        again.valid_condition(),
        Some(tree),
        "{text:?} → {formatted:?}"
    );
    assert_eq!(
        azabac::syntax::format(&formatted).as_deref(),
        Ok(formatted.as_str())
    );
});
