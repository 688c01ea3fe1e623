//! Azure's ids, read by one grammar ([decision R19](crate::spec::decisions#decision-r19)):
//! scopes, role definition ids, assignable scopes. Every reader takes its ids through here
//! (requests, exports, hierarchies, role definitions, host files), so that an id is read once
//! into its type, and a text Azure would read as another resource, or refuse, is an error that
//! says what to remove.
//!
//! - [`segment`]: what every segment refuses, and the segments whose grammar Azure documents;
//! - [`scope`]: [`Scope`], normalised, with its parents and its keys under both case mappings;
//! - [`role`]: role definition ids and assignable scopes.

pub mod role;
pub mod scope;
pub mod segment;

pub use role::{AssignableScope, role_definition_guid};
pub use scope::{Scope, ScopeError};
pub use segment::IdError;

#[cfg(test)]
mod tests;
