//! Writes the synthetic tenant of the RBAC benchmarks (`benches/support/tenant.rs`) to a
//! directory, so that the CLI can be timed on it:
//!
//! ```text
//! cargo run --release --example synthetic_tenant -- target/tenant
//! time target/release/azabac decide --requests target/tenant/requests.jsonl \
//!     --assignments target/tenant/assignments.json \
//!     --deny-assignments target/tenant/deny-assignments.json \
//!     --hierarchy target/tenant/hierarchy.json > /dev/null
//! ```

#[path = "../benches/support/tenant.rs"]
mod tenant;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: synthetic_tenant DIRECTORY");
        return ExitCode::from(2);
    };
    let tenant = tenant::generate(&tenant::FULL);
    let files = [
        ("assignments.json", &tenant.assignments),
        ("deny-assignments.json", &tenant.deny_assignments),
        ("hierarchy.json", &tenant.hierarchy),
        ("requests.jsonl", &tenant.requests),
    ];
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("cannot create {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    for (name, text) in files {
        let path = dir.join(name);
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        println!("{} ({:.1} MB)", path.display(), text.len() as f64 / 1e6);
    }
    ExitCode::SUCCESS
}
