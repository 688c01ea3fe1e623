//! Any bytes as a Bicep file (issue 30): the reader returns its conditions or an error, never
//! panics, and ends (libFuzzer's `-timeout` and `-rss_limit_mb` catch a reader that hangs or
//! exhausts memory). Seeds: the `.bicep` files of `corpus/iac/bicep/`.
#![no_main]

use azabac::input::bicep::conditions_with_files;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // A file read by `loadTextContent()` is the same bytes.
    let load = |_: &str| Some(text.to_string());
    let _ = conditions_with_files(&text, &load);
});
