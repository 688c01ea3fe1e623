//! Any bytes as an ARM template (issue 30): its conditions found through `input::read`, as
//! `check` finds them, and every string of it evaluated as an ARM expression against the
//! template, with and without a `copy` index; never a panic, always an end (libFuzzer's
//! `-timeout` and `-rss_limit_mb` catch a reader that hangs or exhausts memory). Seeds:
//! `corpus/iac/arm/`, and the template that made the argument loop exhaust memory
//! (`tests/regressions/arm/`).
#![no_main]

use std::collections::BTreeMap;
use std::path::PathBuf;

use azabac::input::fuzzing::{evaluate_at, evaluate_every_string};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    // As text: bytes that are not UTF-8 would stop every read at its first step.
    let text = String::from_utf8_lossy(data);
    let path = PathBuf::from("azuredeploy.json");
    let files = BTreeMap::from([(path.clone(), text.as_bytes())]);
    let _ = azabac::input::read(&[path], &files);
    let Ok(template) = serde_json::from_str::<Value>(&text) else {
        // Not JSON: the expression reader alone, on the text as one expression.
        let _ = evaluate_at(&text, &Value::Null, Some(1));
        return;
    };
    // Every string and `copy` count, under one budget for the template (as the reader's).
    evaluate_every_string(&template);
});
