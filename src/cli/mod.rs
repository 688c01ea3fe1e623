//! The `azabac` command line: argument parsing and input reading shared by the subcommands.
//!
//! Exit codes: 0 success, 1 the input has errors (or is not canonical for `fmt --check`),
//! 2 usage or I/O error.

mod check;
mod compile;
mod config;
mod decide;
mod delegate;
mod eval;
mod explain;
mod fmt;
mod github;
mod help;
mod input;
mod output;
mod parse;
mod sarif;
mod snapshot;
mod test;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use output::outln;
use serde_json::Value;

/// Offline checker, formatter and evaluator for Azure ABAC role-assignment conditions, and an
/// offline Azure RBAC decision engine.
#[derive(Parser, Debug)]
#[command(
    name = "azabac",
    version,
    about,
    long_about = None,
    propagate_version = true,
    after_help = help::OVERVIEW
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check conditions for syntax errors and risky constructs.
    #[command(after_help = help::after_reading(help::EXIT_CHECK))]
    Check(check::CheckArgs),
    /// Print conditions in canonical form.
    #[command(after_help = help::after_reading(help::EXIT_FMT))]
    Fmt(fmt::FmtArgs),
    /// Print the syntax tree of conditions.
    #[command(after_help = help::after_reading(help::EXIT_PARSE))]
    Parse(parse::ParseArgs),
    /// Evaluate a condition against a request: prints `true` or `false`.
    #[command(after_help = help::after_reading(help::EXIT_EVAL))]
    Eval(eval::EvalArgs),
    /// Compile conditions to bytecode; `--disasm` prints the program.
    #[command(after_help = help::after_reading(help::EXIT_COMPILE))]
    Compile(compile::CompileArgs),
    /// Decide whether a principal may perform an action at a scope, and why.
    #[command(after_help = help::after(help::EXIT_DECIDE))]
    Decide(decide::DecideArgs),
    /// Decide whether a principal may assign a role to another principal at a scope.
    #[command(after_help = help::after(help::EXIT_CAN_ASSIGN))]
    CanAssign(delegate::CanAssignArgs),
    /// Decide whether a principal may delete an existing role assignment.
    #[command(after_help = help::after(help::EXIT_CAN_DELETE))]
    CanDelete(delegate::CanDeleteArgs),
    /// List every role a principal may assign at a scope.
    #[command(after_help = help::after(help::EXIT_ASSIGNABLE_ROLES))]
    AssignableRoles(delegate::AssignableArgs),
    /// Run test suites: conditions and decisions with their expected results.
    #[command(after_help = help::after(help::EXIT_TEST))]
    Test(test::TestArgs),
    /// Read a condition in plain English, naming roles from the catalogue.
    #[command(after_help = help::after_reading(help::EXIT_EXPLAIN))]
    Explain(explain::ExplainArgs),
    /// Print a condition's canonical text, explanation and decisions, for snapshot tests.
    #[command(after_help = help::after_reading(help::EXIT_SNAPSHOT))]
    Snapshot(snapshot::SnapshotArgs),
}

/// When to colour human-readable output.
#[derive(Clone, Copy, Debug, Default, ValueEnum)]
pub enum ColorChoice {
    /// When standard output is a terminal and `NO_COLOR` is unset.
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

/// Exit status of a command that ran.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Exit 0.
    Success,
    /// Exit 1: the input has errors, or is not what `--check` wanted.
    Failure,
    /// Exit 2: bad usage or unreadable input.
    UsageOrIo,
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> ExitCode {
        match status {
            Status::Success => ExitCode::SUCCESS,
            Status::Failure => ExitCode::from(1),
            Status::UsageOrIo => ExitCode::from(2),
        }
    }
}

/// Parses the arguments and runs the subcommand.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let status = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Parse(args) => parse::run(&args),
        Command::Eval(args) => eval::run(&args),
        Command::Compile(args) => compile::run(&args),
        Command::Decide(args) => decide::run_decide(&args),
        Command::CanAssign(args) => delegate::run_can_assign(&args),
        Command::CanDelete(args) => delegate::run_can_delete(&args),
        Command::AssignableRoles(args) => delegate::run_assignable(&args),
        Command::Test(args) => test::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Snapshot(args) => snapshot::run(&args),
    };
    status.into()
}

/// Prints one JSON object per input: the object itself for one input, an array for several.
fn print_json_per_input(objects: Vec<Value>) {
    outln!("{}", json_per_input(objects));
}

/// One JSON object for one input, an array for several, pretty-printed.
fn json_per_input(objects: Vec<Value>) -> String {
    let value = match <[Value; 1]>::try_from(objects) {
        Ok([single]) => single,
        Err(many) => Value::Array(many),
    };
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

/// Writes a report that `--json FILE` or `--sarif FILE` asked for, beside the one on standard
/// output; a file that cannot be written is an I/O error.
fn write_report(path: &std::path::Path, report: &str) -> Result<(), Status> {
    std::fs::write(path, format!("{report}\n")).map_err(|e| {
        eprintln!("error: cannot write {}: {e}", path.display());
        Status::UsageOrIo
    })
}

/// The role `--role NAME_OR_GUID` (built in) or `--role-file FILE` names, if either is given.
fn load_role(
    name: Option<&str>,
    file: Option<&std::path::Path>,
) -> Result<Option<azabac::catalog::RoleDefinition>, String> {
    match (name, file) {
        (Some(name), _) => azabac::catalog::find_builtin_role(name)
            .cloned()
            .map(Some)
            .ok_or_else(|| unknown_role(name)),
        (None, Some(path)) => {
            let text = azabac::text::read_to_string(path)
                .map_err(|e| format!("cannot read role `{}`: {e}", path.display()))?;
            azabac::catalog::RoleDefinition::from_json(&text)
                .map(Some)
                .map_err(|e| format!("role `{}`: {e}", path.display()))
        }
        (None, None) => Ok(None),
    }
}

/// The message for a role name no built-in role has, with the nearest name.
fn unknown_role(name: &str) -> String {
    let names = azabac::catalog::builtin_roles()
        .iter()
        .map(|r| r.role_name.as_str());
    match azabac::diagnostic::suggest::closest(name, names) {
        Some(close) => format!("no built-in role is named `{name}`; did you mean `{close}`?"),
        None => format!(
            "no built-in role is named `{name}` (give a role name or GUID, or `--role-file`)"
        ),
    }
}

/// The built-in catalogue extended by `paths`; a bad file is a usage error, said on
/// standard error.
fn catalog(paths: &[std::path::PathBuf]) -> Result<azabac::catalog::Catalog, Status> {
    check::load_catalog(paths).map_err(|message| {
        eprintln!("error: {message}");
        Status::UsageOrIo
    })
}

/// Reads a subcommand's inputs, reporting a failure on standard error. A condition in a host
/// file whose text depends on values only a deployment knows is left out with a note (only
/// `check` can check around them): its text here would not be the condition Azure receives.
/// If that leaves nothing, it is a usage error.
fn read_inputs(args: &input::InputArgs) -> Result<Vec<input::Input>, Status> {
    let inputs = args.read().map_err(|error| {
        eprintln!("error: {}", error.0);
        Status::UsageOrIo
    })?;
    // A host file the readers cannot follow: its conditions are not known, so the command
    // cannot say anything of them (`check` reports such a file beside the others).
    let unread: Vec<&azabac::input::FileError> = inputs
        .iter()
        .filter_map(|i| i.unreadable.as_ref())
        .collect();
    if !unread.is_empty() {
        for error in unread {
            eprintln!("error[AZ0405]: {error}");
        }
        return Err(Status::Failure);
    }
    let given = inputs.len();
    let known: Vec<input::Input> = inputs
        .into_iter()
        .filter(|input| {
            let Some(unresolved) = input
                .origin
                .as_ref()
                .map(|o| &o.place.unresolved)
                .filter(|u| !u.is_empty())
            else {
                return true;
            };
            eprintln!(
                "note: {}: left out: the condition depends on {}, known only at deployment \
                 (`azabac check` checks around such values; or give the rendered condition, \
                 from a plan or `-`)",
                input.name,
                unresolved.join(", ")
            );
            false
        })
        .collect();
    if known.is_empty() && given > 0 {
        eprintln!("error: no condition given can be read whole offline");
        return Err(Status::UsageOrIo);
    }
    Ok(known)
}

/// Reads a subcommand's inputs and keeps those `--resource` selects.
fn read_selected(
    args: &input::InputArgs,
    resource: &input::ResourceArg,
) -> Result<Vec<input::Input>, Status> {
    let inputs = read_inputs(args)?;
    resource.select(inputs).map_err(|message| {
        eprintln!("error: {message}");
        Status::UsageOrIo
    })
}

/// Reads a subcommand's one input (the one `--resource` selects); several are a usage error
/// that lists them.
fn read_one_input(
    args: &input::InputArgs,
    resource: &input::ResourceArg,
) -> Result<input::Input, Status> {
    let mut inputs = read_selected(args, resource)?;
    if inputs.len() == 1
        && let Some(input) = inputs.pop()
    {
        return Ok(input);
    }
    eprintln!(
        "error: give exactly one condition: pick one with --resource ADDRESS{}",
        input::listed(&inputs)
    );
    Err(Status::UsageOrIo)
}

/// The instant decisions are made at: `--now` (RFC 3339 with any offset), or else the system clock,
/// read once per run.
fn clock(given: Option<&str>) -> Result<azabac::eval::Ticks, Status> {
    match given {
        Some(text) => azabac::eval::Ticks::parse_instant(text).map_err(|e| {
            eprintln!("error: --now `{text}`: {e}");
            Status::UsageOrIo
        }),
        None => Ok(azabac::eval::Ticks::from_timestamp(jiff::Timestamp::now())),
    }
}

/// Reads a whole file, or standard input for `-`.
fn read_file_or_stdin(path: &std::path::Path) -> Result<String, String> {
    use std::io::Read;
    if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        return Ok(azabac::text::FileText::new(text).text);
    }
    azabac::text::read_to_string(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))
}
