//! Every size, depth and work limit azabac enforces, in one place.
//!
//! Some are Azure's (a condition longer than Azure accepts is an error); the rest keep azabac's
//! own work bounded on hostile input (nesting that would exhaust the stack, a file too large to
//! analyse, an evaluation that compares too many pairs). Each says which it is.

/// Azure's: the longest condition, in bytes, a role assignment accepts
/// ([decision 13](crate::spec::decisions#decision-13)).
pub const MAX_CONDITION_BYTES: usize = 8192;

/// Azure's length limit before 2023, in bytes: longer conditions get a warning
/// ([LANGUAGE.md §10](crate::spec::language#section-10)).
pub const OLD_LENGTH_LIMIT: usize = 4096;

/// Azure's: the most values one set literal (`{…}`) may hold
/// ([decision 13](crate::spec::decisions#decision-13)).
pub const MAX_SET_VALUES: usize = 1024;

/// azabac's: diagnostics kept per condition; the rest are counted (`AZ0029`), so output and
/// rendering stay bounded.
pub const MAX_DIAGNOSTICS: usize = 100;

/// azabac's: inputs over this many bytes are not lexed or analysed further (a condition over
/// [`MAX_CONDITION_BYTES`] is still reported as too long).
pub const MAX_ANALYSED_BYTES: usize = 1 << 20;

/// azabac's ([decision 13](crate::spec::decisions#decision-13)): the deepest nesting of parentheses
/// and negations the parser builds, so every recursive walk over a tree (printer, JSON, drop) stays
/// shallow.
pub const MAX_NESTING: usize = 256;

/// azabac's: conditions nested at most this deep take the fast (recursive-ascent) parser,
/// whose stack use grows with nesting (about 2 KiB a level in release builds, 20 KiB unoptimised); deeper ones go
/// to the table-driven parser.
pub(crate) const FAST_NESTING: usize = 16;

/// azabac's: the value pairs one evaluation may compare, where an operand is a list, before it
/// fails closed (`BudgetExhausted`).
pub const DEFAULT_BUDGET: u64 = 1 << 22;

/// azabac's: how deep the scan for conditions embedded in JSON follows nested arrays and
/// objects (as deep as `serde_json` reads).
pub const MAX_JSON_DEPTH: usize = 128;

/// azabac's: how many management groups a hierarchy may chain above a subscription (Azure
/// allows six levels below the root group); longer chains are reported as errors.
pub const MAX_GROUP_DEPTH: usize = 16;

// The host readers (`crate::input`): each bounds its own work on a hostile file.

/// azabac's: how large a host file (Terraform, Bicep, JSON) may be; a larger one is an error
/// of that file. The largest export of a real tenant we hold is under 100 MB.
pub const MAX_HOST_FILE_BYTES: usize = 256 << 20;

/// azabac's: how many instances of one Terraform `for_each` (or `for` expression) are read; past
/// this the resource is read once, its `each` references unresolved.
pub const TERRAFORM_MAX_INSTANCES: usize = 256;

/// azabac's: how much one Terraform file's conditions may resolve: one unit per expression
/// evaluated, per byte of a value brought in from a reference or built by a function
/// (`format()`, `join()`, `replace()`, charged before it is built), and per map field merged;
/// a file past it is an error of its own (`AZ0405`). `local`s that interpolate each other sixty times over took 41 s before
/// this bound; the conditions of a real module resolve a few kilobytes.
pub const TERRAFORM_MAX_WORK: usize = 1 << 22;

/// azabac's: how deep Terraform references may chain (`local.a` → `local.b` → …) before the
/// reader stops.
pub const TERRAFORM_MAX_REFERENCE_DEPTH: usize = 16;

/// azabac's: how many bytes of values (strings built from `var`s, `param` defaults and
/// interpolations, the names of what they leave open), plus one unit per value evaluated and
/// per object field merged, one Bicep file may resolve; a file past it is an error of its own (`AZ0405`). `var`s that interpolate each other twice over double their text at
/// every level: 2.8 KB of them took 15 s and 1.5 GB before this bound. A megabyte holds 128
/// conditions of the longest length Azure accepts.
pub const BICEP_MAX_VALUE_BYTES: usize = 1 << 20;

/// azabac's: how deep Bicep references (`var`s, members, ternaries, `??`) may chain when a
/// string is resolved.
pub const BICEP_MAX_REFERENCE_DEPTH: usize = 16;

/// azabac's: how many `var`s deep a Bicep role definition reference may be followed.
pub const BICEP_MAX_ROLE_REFERENCE_DEPTH: usize = 8;

/// azabac's: how many expressions one Bicep `roleAssignments` value may lead through: a bound on
/// the work a file of `var`s that `concat()` each other twice over can cause.
pub const BICEP_MAX_EXPANSIONS: usize = 256;

/// azabac's: how deep Bicep objects and arrays may nest before the reader stops.
pub const BICEP_MAX_DEPTH: usize = 64;

/// azabac's: how many instances of one Bicep `for` loop are read; past this the body is read once.
pub const BICEP_MAX_INSTANCES: usize = 256;

/// azabac's: how deep ARM expression calls and variables may nest.
pub const ARM_MAX_DEPTH: usize = 32;

/// azabac's: how much work one ARM template may take for its conditions, over all `copy`
/// instances: a unit for each expression evaluated (calls, literals, variables followed) and
/// each byte of text it builds or copies (`format()`, `concat()`, a variable's value brought
/// in); a template past it is an error of its own (`AZ0405`). Variables that `concat()` each
/// other twice over double the work at every level: 16 levels in a 64-instance loop took 3.4 s
/// before this bound, and ten `format()`s of four copies each 3.5 GB.
pub const ARM_MAX_STEPS: usize = 1 << 20;

/// azabac's: how many instances of an ARM `copy` loop are read; past this the resource is read once.
pub const ARM_MAX_COPIES: usize = 256;

/// azabac's: how deep a Terraform plan's `module_calls` may nest.
pub const PLAN_MAX_MODULE_DEPTH: usize = 16;

/// azabac's: how deep a value is read as JSON (a custom role's permissions a host file writes
/// in objects and lists).
pub const VALUE_MAX_JSON_DEPTH: usize = 32;
