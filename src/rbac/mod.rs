//! Azure RBAC: action patterns, role definitions, scopes, role and deny assignments, and the
//! authorizer that decides requests with its reasons ([`World::decide`]).

mod assignment;
mod error;
mod fields;
mod hierarchy;
mod item;
mod names;
mod pim;
mod principal;
mod scope;
mod world;

pub use assignment::{DenyAssignment, DenyEffect, RoleAssignment};
pub use error::{InputError, InputProblem};
pub use hierarchy::Hierarchy;
pub use names::PrincipalNames;
pub use pim::Grant;
pub use principal::{PrincipalType, UnknownPrincipalType};
pub use scope::{Scope, ScopeError};
/// Reads the text of a world file or a request as JSON, strictly: a key repeated in one object
/// is an error, not the last value silently kept (`serde_json`'s own reader keeps it), since
/// which value Azure holds is not known. Read users' files with this before handing the values
/// to [`WorldBuilder`] or [`AccessRequest::from_value`].
///
/// ```
/// let error = azabac::rbac::read_json(r#"{"scope": "/a", "scope": "/b"}"#).unwrap_err();
/// assert_eq!(error.path, "$");
/// assert!(error.to_string().contains("duplicate key `scope`"));
/// ```
pub fn read_json(text: &str) -> Result<serde_json::Value, InputError> {
    crate::json::parse(text).map_err(|e| InputError::new("$", InputProblem::NotJson(e.to_string())))
}

pub use world::{
    AccessRequest, Candidate, CandidateResult, ConditionResult, Decision, DecisionWarning, Reason,
    Requested, RoleWarning, World, WorldBuilder, assignment_write_request,
};
