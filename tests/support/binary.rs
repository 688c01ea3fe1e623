//! The one way tests run the `azabac` binary: from the repository's root, with standard input
//! given or closed, and its output, exit code and JSON read back.

#![allow(
    clippy::unwrap_used,
    dead_code,
    reason = "a broken fixture must stop the test; each includer uses a part"
)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// Runs `azabac ARGS` with standard input closed.
pub fn azabac(args: &[&str]) -> Output {
    azabac_with_stdin(args, None)
}

/// The subcommands that read the project file `azabac.toml`.
const READ_CONFIG: [&str; 1] = ["check"];

/// Runs `azabac ARGS`, writing `stdin` to its standard input (then closing it). A subcommand
/// that reads `azabac.toml` runs with `--no-config` unless the test names a config, so that no
/// project file above the checkout changes what the tests see.
pub fn azabac_with_stdin(args: &[&str], stdin: Option<&str>) -> Output {
    let mut args = args.to_vec();
    if args.first().is_some_and(|c| READ_CONFIG.contains(c))
        && !args.iter().any(|a| *a == "--config" || *a == "--no-config")
    {
        args.insert(1, "--no-config");
    }
    run_in(env!("CARGO_MANIFEST_DIR"), &args, stdin)
}

/// Runs `azabac ARGS` in `dir`, as written: the project file found from `dir` upwards applies.
pub fn azabac_in(dir: &std::path::Path, args: &[&str]) -> Output {
    run_in(dir, args, None)
}

fn run_in(dir: impl AsRef<std::path::Path>, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_azabac"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

/// The exit code.
pub fn code(output: &Output) -> i32 {
    output.status.code().unwrap()
}

/// Standard output, read as JSON.
pub fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap()
}
