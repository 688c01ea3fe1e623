//! Any bytes as a Terraform module's one file (issue 30): the reader returns its conditions or
//! an error, never panics, and ends (libFuzzer's `-timeout` and `-rss_limit_mb` catch a reader
//! that hangs or exhausts memory). Seeds: the `.tf` files of `corpus/iac/terraform/`.
#![no_main]

use azabac::input::terraform::{ModuleFile, module};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let files = [ModuleFile {
        text: &text,
        wanted: true,
    }];
    // A template read by `templatefile()` is the same bytes: a reader that follows it reads
    // what the fuzzer wrote once more.
    let templates = |_: &str| Some(text.to_string());
    let _ = module(&files, &templates);
});
