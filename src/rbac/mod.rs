//! Azure RBAC: action patterns, role definitions, scopes, role and deny assignments, and the
//! authorizer that decides requests with its reasons ([`World::decide`]).

mod assignment;
mod hierarchy;
mod names;
mod principal;
mod scope;
mod world;

use std::fmt;

use serde_json::Value;

pub use assignment::{DenyAssignment, RoleAssignment};
pub use hierarchy::Hierarchy;
pub use names::PrincipalNames;
pub use principal::{PrincipalType, UnknownPrincipalType};
pub use scope::{Scope, ScopeError};
pub use world::{
    AccessRequest, Candidate, CandidateResult, ConditionResult, Decision, Reason, Requested, World,
    WorldBuilder, assignment_write_request,
};

/// RBAC input that could not be read: where in the JSON, and what was expected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// A JSON path such as `$[3].properties.scope`.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl InputError {
    pub(crate) fn new(path: &str, message: String) -> InputError {
        InputError {
            path: path.to_owned(),
            message,
        }
    }

    pub(crate) fn expected(path: &str, what: &str, found: &Value) -> InputError {
        let kind = match found {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        };
        InputError::new(path, format!("expected {what}, found {kind}"))
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at {}: {}", self.path, self.message)
    }
}

impl std::error::Error for InputError {}
