//! Standard output for the subcommands: [`out!`] and [`outln!`] write like `print!` and
//! `println!`, but a reader that has gone away (`azabac … | head`) ends the process quietly
//! with the shell's status for it, as Unix tools do, instead of the panic `println!` raises.
//! Any other write error is said on standard error and ends the process with exit 2.

use std::io::{ErrorKind, Write};

/// The status of a process ended by a closed pipe, as a shell reports it (128 + SIGPIPE).
const BROKEN_PIPE_STATUS: i32 = 141;

/// Writes `args` to standard output; see the module's doc for the errors.
pub fn write(args: std::fmt::Arguments<'_>) {
    let mut stdout = std::io::stdout().lock();
    if let Err(error) = stdout.write_fmt(args) {
        if error.kind() == ErrorKind::BrokenPipe {
            std::process::exit(BROKEN_PIPE_STATUS);
        }
        eprintln!("error: cannot write to standard output: {error}");
        std::process::exit(2);
    }
}

/// `print!` through [`write`].
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::output::write(format_args!($($arg)*))
    };
}

/// `println!` through [`write`].
macro_rules! outln {
    () => {
        $crate::cli::output::write(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::cli::output::write(format_args!("{}\n", format_args!($($arg)*)))
    };
}

pub(crate) use {out, outln};
