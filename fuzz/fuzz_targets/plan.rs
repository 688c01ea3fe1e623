//! Any bytes as `terraform show -json` output (issue 30): the conditions of a plan or state
//! found as `check` finds them; never a panic, always an end. Seeds: `corpus/iac/plan/`.
#![no_main]

use azabac::input::embedded::conditions;
use azabac::input::host::{json_kind, select_json};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(document) = serde_json::from_str::<Value>(&text) else {
        return;
    };
    if let Ok(found) = conditions(&text) {
        let _ = select_json(&document, json_kind(&document), found, &text);
    }
});
