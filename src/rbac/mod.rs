//! Azure RBAC: action patterns, role definitions, scopes, role and deny assignments, and the
//! authorizer that decides requests with its reasons ([`World::decide`]).

mod assignment;
mod error;
mod hierarchy;
mod names;
mod principal;
mod scope;
mod world;

pub use assignment::{DenyAssignment, DenyEffect, Grant, RoleAssignment};
pub use error::{InputError, InputProblem};
pub use hierarchy::Hierarchy;
pub use names::PrincipalNames;
pub use principal::{PrincipalType, UnknownPrincipalType};
pub use scope::{Scope, ScopeError};
pub use world::{
    AccessRequest, Candidate, CandidateResult, ConditionResult, Decision, Reason, Requested,
    RoleWarning, World, WorldBuilder, assignment_write_request,
};
