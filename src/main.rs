//! The `azabac` command-line tool. See `azabac --help` and the README.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
