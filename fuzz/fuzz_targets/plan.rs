//! Any bytes as `terraform show -json` output (issue 30), read through `input::read`: the
//! conditions of a plan or state as `check` finds them, or an error of the file; never a panic,
//! always an end. Seeds: `corpus/iac/plan/`.
#![no_main]

use std::collections::BTreeMap;
use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // As text: bytes that are not UTF-8 would stop every read at its first step.
    let text = String::from_utf8_lossy(data);
    let path = PathBuf::from("plan.json");
    let files = BTreeMap::from([(path.clone(), text.as_bytes())]);
    let _ = azabac::input::read(&[path], &files);
});
