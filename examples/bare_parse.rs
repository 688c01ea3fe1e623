//! The baseline `azabac decide` is measured against: the same files parsed into
//! `serde_json::Value` and nothing else (no key checks, no ids, no index, no decisions). Time
//! both in one run, as `docs/performance.md` does:
//!
//! ```text
//! cargo run --release --example synthetic_tenant -- target/tenant
//! cargo build --release --example bare_parse
//! hyperfine -w 2 'target/release/examples/bare_parse target/tenant' \
//!     'target/release/azabac decide --now 2026-12-01T00:00:00Z --requests target/tenant/requests.jsonl \
//!      --assignments target/tenant/assignments.json --deny-assignments target/tenant/deny-assignments.json \
//!      --hierarchy target/tenant/hierarchy.json'
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: bare_parse TENANT_DIRECTORY");
        return ExitCode::from(2);
    };
    let mut values = 0usize;
    for file in [
        "assignments.json",
        "deny-assignments.json",
        "hierarchy.json",
    ] {
        let Ok(text) = std::fs::read_to_string(dir.join(file)) else {
            eprintln!("cannot read {file}");
            return ExitCode::from(2);
        };
        match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(value) => values += usize::from(!value.is_null()),
            Err(e) => {
                eprintln!("{file}: {e}");
                return ExitCode::from(1);
            }
        }
    }
    let Ok(requests) = std::fs::read_to_string(dir.join("requests.jsonl")) else {
        eprintln!("cannot read requests.jsonl");
        return ExitCode::from(2);
    };
    for line in requests.lines().filter(|l| !l.trim().is_empty()) {
        match serde_json::from_str::<serde_json::Value>(line) {
            Ok(value) => values += usize::from(!value.is_null()),
            Err(e) => {
                eprintln!("requests.jsonl: {e}");
                return ExitCode::from(1);
            }
        }
    }
    println!("{values} values");
    ExitCode::SUCCESS
}
