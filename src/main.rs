//! The `azabac` command-line tool. See `azabac --help` and the README.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run()
}
