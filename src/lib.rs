//! azabac: an offline compiler, checker and interpreter for Azure ABAC role-assignment
//! conditions (`conditionVersion` "2.0").
//!
//! The front end reads a condition and reports precisely what is wrong with it:
//!
//! ```
//! let parsed = azabac::syntax::parse(
//!     "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'",
//! );
//! assert!(parsed.is_valid());
//! ```
//!
//! See `ARCHITECTURE.md` for the stages and how data flows between them.

pub mod catalog;
pub mod check;
mod condition;
pub mod diagnostic;
pub mod eval;
pub mod input;
pub(crate) mod json;
pub mod limits;
pub mod rbac;
pub mod report;
mod scan;
pub mod span;
pub mod suite;
pub mod syntax;
pub mod text;

pub use condition::{Checked, Condition};

/// The README's Rust examples, compiled and run as doctests so they stay true.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
