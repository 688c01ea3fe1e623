//! What `--help` says beyond each flag: what a directory means, and each command's exit
//! status. The reference (`docs/cli.md`) states the same facts as tables; `tests/docs.rs`
//! includes this file and compares the tables with these constants, and the help the binary
//! prints with [`after`] and [`after_reading`], so neither can go stale alone.
//!
//! This file depends on nothing but `std`, so that the test can include it as it is.

/// What `azabac --help` says after the list of commands.
pub const OVERVIEW: &str = "Exit status: 0 success, 1 the input has errors (or is not what \
     `--check` expected), 2 usage or I/O error; a decision, allow or deny, is a success. \
     `azabac COMMAND --help` gives each command's exit status.\n\n\
     Reference: docs/cli.md in azabac's repository.";

/// What a directory given to a command that reads conditions means: the kinds of file read
/// below it, by name pattern, and what each holds.
pub const DIRECTORY_KINDS: &[(&str, &str)] = &[
    ("*.cond", "one whole condition per file"),
    (
        "*.tf",
        "Terraform: role assignments, PIM resources, azapi bodies and module `role_assignments`, \
         a module directory read as one",
    ),
    (
        "*.bicep",
        "Bicep: role assignments, role definitions and module `roleAssignments`",
    ),
    (
        "*.json",
        "ARM templates, Terraform plans and states, role and assignment exports, azabac suites; \
         any other JSON file is skipped",
    ),
];

/// The line above the table of kinds.
pub const DIRECTORY_LEAD: &str =
    "A directory means every file of these kinds below it, in name order:";

/// How a directory is walked, after the table of kinds.
pub const DIRECTORY_WALK: &str = "A directory is walked as git does: `.gitignore` rules apply, \
     hidden directories, `.terraform/` and `node_modules/` are skipped, and `--exclude GLOB` \
     leaves out more; a file named explicitly is read whatever the rules say.";

/// Exit status of a command, one row per code.
pub type ExitStatus = &'static [(u8, &'static str)];

/// The text after the flags in `--help` of a command that reads conditions: what a directory
/// means, then the exit status.
pub fn after_reading(exit: ExitStatus) -> String {
    let mut text = format!("{DIRECTORY_LEAD}\n");
    for (pattern, meaning) in DIRECTORY_KINDS {
        text.push_str(&format!("  {pattern:<8} {meaning}\n"));
    }
    text.push_str(DIRECTORY_WALK);
    text.push_str("\n\n");
    text.push_str(&after(exit));
    text
}

/// The text after the flags in `--help`: the exit status, and where the reference is.
pub fn after(exit: ExitStatus) -> String {
    let mut text = String::from("Exit status:\n");
    for (code, meaning) in exit {
        text.push_str(&format!("  {code}  {meaning}\n"));
    }
    text.push_str("\nReference: docs/cli.md in azabac's repository.");
    text
}

/// The exit status of the command named `command`, as `--help` and `docs/cli.md` give it.
#[allow(
    dead_code,
    reason = "tests/docs.rs includes this file and reads every table through it"
)]
pub fn exit_status(command: &str) -> Option<ExitStatus> {
    Some(match command {
        "check" => EXIT_CHECK,
        "fmt" => EXIT_FMT,
        "parse" => EXIT_PARSE,
        "eval" => EXIT_EVAL,
        "compile" => EXIT_COMPILE,
        "decide" => EXIT_DECIDE,
        "can-assign" => EXIT_CAN_ASSIGN,
        "can-delete" => EXIT_CAN_DELETE,
        "assignable-roles" => EXIT_ASSIGNABLE_ROLES,
        "test" => EXIT_TEST,
        "explain" => EXIT_EXPLAIN,
        "snapshot" => EXIT_SNAPSHOT,
        _ => return None,
    })
}

/// Exit status of `check`.
pub const EXIT_CHECK: ExitStatus = &[
    (0, "no input has an error (warnings and notes allowed)"),
    (
        1,
        "an input has an error: one Azure rejects, a warning raised by `--deny` or \
         `azabac.toml`, or with `--deny-warnings` any warning or unused suppression; or a host \
         file azabac cannot follow or that passes its budget (`AZ0405`; the other files are \
         still checked)",
    ),
    (
        2,
        "usage or I/O error: bad arguments, a file or project file that cannot be opened, an \
         error code given to `--allow` or a note's code to `--deny`/`--allow`, or no \
         condition found or none checkable offline (unless `--allow-empty`)",
    ),
];

/// Exit status of `fmt`.
pub const EXIT_FMT: ExitStatus = &[
    (
        0,
        "every input formatted (with `--check`: every input already canonical; with \
         `--write`: every file rewritten or already canonical)",
    ),
    (
        1,
        "an input has errors and is not formatted, or with `--check` an input is not canonical",
    ),
    (
        2,
        "usage or I/O error (a file that cannot be read or written)",
    ),
];

/// Exit status of `parse`.
pub const EXIT_PARSE: ExitStatus = &[
    (0, "every condition parses without errors"),
    (
        1,
        "a condition has errors (its tree is printed as far as it goes)",
    ),
    (2, "usage or I/O error"),
];

/// Exit status of `eval`.
pub const EXIT_EVAL: ExitStatus = &[
    (
        0,
        "the condition was evaluated, `true` or `false` (an evaluation error makes it `false`)",
    ),
    (1, "the condition is invalid or the request is malformed"),
    (
        2,
        "usage or I/O error (a file that cannot be read, not exactly one condition)",
    ),
];

/// Exit status of `compile`.
pub const EXIT_COMPILE: ExitStatus = &[
    (0, "every condition compiled"),
    (1, "a condition has errors"),
    (2, "usage or I/O error"),
];

/// Exit status of `decide`.
pub const EXIT_DECIDE: ExitStatus = &[
    (0, "a decision was made, allow or deny"),
    (
        1,
        "a world file, the request or a streamed request line is invalid, or names a principal \
         no `--principals` file has (in JSON, a deny with `errors`: bad input is never an allow)",
    ),
    (
        2,
        "usage error (a missing or bad flag, a bad `--now` or `--catalog`) or a file that \
         cannot be read",
    ),
];

/// Exit status of `can-assign`.
pub const EXIT_CAN_ASSIGN: ExitStatus = &[
    (0, "a decision was made, allow or deny"),
    (
        1,
        "a world file is invalid (in JSON, a deny with `errors`: bad input is never an allow)",
    ),
    (
        2,
        "usage error (an unknown role, a bad `--scope`, a name in `--as`, `--to` or \
         `--groups` no `--principals` file has) or a file that cannot be read",
    ),
];

/// Exit status of `can-delete`.
pub const EXIT_CAN_DELETE: ExitStatus = &[
    (0, "a decision was made, allow or deny"),
    (
        1,
        "a world file is invalid (in JSON, a deny with `errors`: bad input is never an allow)",
    ),
    (
        2,
        "usage error (an `--assignment` that matches none or several, a name in `--as` or \
         `--groups` no `--principals` file has) or a file that cannot be read",
    ),
];

/// Exit status of `assignable-roles`.
pub const EXIT_ASSIGNABLE_ROLES: ExitStatus = &[
    (
        0,
        "the roles were listed (none, when nothing is assignable)",
    ),
    (
        1,
        "a world file is invalid (in JSON, a deny with `errors`: bad input is never an allow)",
    ),
    (
        2,
        "usage error (a bad `--scope`, a name in `--as`, `--to` or `--groups` no \
         `--principals` file has) or a file that cannot be read",
    ),
];

/// Exit status of `test`.
pub const EXIT_TEST: ExitStatus = &[
    (0, "every case passed"),
    (1, "a case failed"),
    (
        2,
        "a suite could not be read (its file, JSON path and the problem go to standard error, \
         or into an annotation with `--format github`), no suite was found, or a usage or I/O \
         error (`--now`, `--catalog`, a report file that cannot be written)",
    ),
];

/// Exit status of `explain`.
pub const EXIT_EXPLAIN: ExitStatus = &[
    (0, "the condition was explained"),
    (1, "the condition is invalid (its diagnostics are printed)"),
    (
        2,
        "usage or I/O error (a file that cannot be read, not exactly one condition, an \
         unknown role)",
    ),
];

/// Exit status of `snapshot`.
pub const EXIT_SNAPSHOT: ExitStatus = &[
    (
        0,
        "the record was printed, or with `--check` every record matches its file (with \
         `--update`, the files that differed were rewritten)",
    ),
    (
        1,
        "a record differs from its file or the file is missing, a condition is invalid, or a \
         request line is malformed",
    ),
    (
        2,
        "usage or I/O error: no `[[snapshot]]` entry and no condition given, a file that \
         cannot be read or written",
    ),
];
