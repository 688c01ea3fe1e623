//! What `--help` says beyond each flag: what a directory means, and each command's exit
//! status. These are facts the reference in `docs/cli.md` states too, as tables;
//! `tests/docs.rs` reads both and fails when they differ, so the help cannot go stale.

/// What a directory given to a command that reads conditions means: the kinds of file read
/// below it, by name pattern, and what each holds. One row of the reference's table each.
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

/// How a directory is walked, after the table of kinds.
pub const DIRECTORY_WALK: &str = "A directory is walked as git does: `.gitignore` rules apply, \
     hidden directories, `.terraform/` and `node_modules/` are skipped, and `--exclude GLOB` \
     leaves out more; a file named explicitly is read whatever the rules say.";

/// Exit status of a command, one row per code.
pub type ExitStatus = &'static [(u8, &'static str)];

/// The text after the flags in `--help`: for commands that read conditions, what a directory
/// means; for every command, its exit status.
pub fn after(exit: ExitStatus, reads_conditions: bool) -> String {
    let mut text = String::new();
    if reads_conditions {
        text.push_str(
            "Directories: every file of these kinds below a directory is read, in name order\n",
        );
        for (pattern, meaning) in DIRECTORY_KINDS {
            text.push_str(&format!("  {pattern:<8} {meaning}\n"));
        }
        text.push_str(DIRECTORY_WALK);
        text.push_str("\n\n");
    }
    text.push_str("Exit status:\n");
    for (code, meaning) in exit {
        text.push_str(&format!("  {code}  {meaning}\n"));
    }
    text.push_str("\nReference: docs/cli.md in azabac's repository.");
    text
}

/// The exit status of the deciding commands (`decide`, `can-assign`, `can-delete`,
/// `assignable-roles`).
pub const EXIT_DECIDE: ExitStatus = &[
    (0, "a decision was made, allow or deny"),
    (
        1,
        "a world file, the request or a streamed request line is invalid (in JSON, a deny \
         with `errors`: bad input is never an allow)",
    ),
    (
        2,
        "usage error (an unknown role or principal name) or a file that cannot be read",
    ),
];
