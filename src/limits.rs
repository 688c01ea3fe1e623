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
