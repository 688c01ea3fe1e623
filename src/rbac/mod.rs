//! Azure RBAC: action patterns and role definitions. (The authorizer that decides requests
//! builds on these.)

mod action;
mod role;

pub use action::ActionPattern;
pub use role::{
    BUILTIN_ROLES_JSON, Permission, RoleDefinition, RoleError, builtin_roles, find_builtin_role,
};
