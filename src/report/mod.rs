//! Reports: what a checked condition means, read back for people and for tests.
//!
//! - `explain`: the plain-English reading of a condition (`azabac explain`);
//! - `snapshot`: a condition's stable record, canonical text, explanation and decision table
//!   (`azabac snapshot`, and insta in users' own tests);
//!
//! both reached through [`crate::Checked`], since only a checked condition is explained;
//! - [`json`]: the JSON views of decisions, traces and evaluations, as the CLI prints them.

mod explain;
pub mod json;
mod snapshot;

pub use explain::{BlockReading, Explanation, RoleName};
pub(crate) use explain::{explain, explanation};
pub(crate) use snapshot::snapshot;
