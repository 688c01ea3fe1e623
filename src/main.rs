//! The `azabac` command-line tool. See `azabac --help` and the README.

mod cli;

use std::process::ExitCode;

/// The status of a process ended by a closed pipe, as a shell reports it (128 + SIGPIPE).
const BROKEN_PIPE_STATUS: i32 = 141;

fn main() -> ExitCode {
    // `println!` panics when standard output is a pipe whose reader has gone (`azabac … |
    // head`). That is how the reader says it has read enough: end quietly, as Unix tools do,
    // instead of printing a panic.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(BROKEN_PIPE_STATUS);
        }
        default_hook(info);
    }));
    cli::run()
}
