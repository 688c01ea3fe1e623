//! The `azabac` command-line tool. See `azabac --help` and `docs/cli.md`.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run()
}
