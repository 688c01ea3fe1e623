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

/// Runs `azabac ARGS`, writing `stdin` to its standard input (then closing it).
pub fn azabac_with_stdin(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_azabac"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
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
