//! Principal types ([RBAC.md §1.1](crate::spec::rbac#section-1-1),
//! [decision R8](crate::spec::decisions#decision-r8)), as the REST API names them.

use std::fmt;

/// The principal types of [RBAC.md §1.1](crate::spec::rbac#section-1-1)
/// ([decision R8](crate::spec::decisions#decision-r8)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PrincipalType {
    /// A user.
    User,
    /// A security group.
    Group,
    /// A service principal or managed identity.
    ServicePrincipal,
    /// A group from another tenant.
    ForeignGroup,
    /// A device.
    Device,
}

impl PrincipalType {
    /// Every type, in the REST enum's order.
    pub const ALL: [PrincipalType; 5] = [
        PrincipalType::User,
        PrincipalType::Group,
        PrincipalType::ServicePrincipal,
        PrincipalType::ForeignGroup,
        PrincipalType::Device,
    ];

    /// The REST name, such as `ServicePrincipal`.
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalType::User => "User",
            PrincipalType::Group => "Group",
            PrincipalType::ServicePrincipal => "ServicePrincipal",
            PrincipalType::ForeignGroup => "ForeignGroup",
            PrincipalType::Device => "Device",
        }
    }

    /// Parses a type, ignoring case.
    pub fn parse(text: &str) -> Result<PrincipalType, UnknownPrincipalType> {
        PrincipalType::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(text))
            .ok_or_else(|| UnknownPrincipalType(text.to_owned()))
    }
}

/// A text that names no principal type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownPrincipalType(pub String);

impl fmt::Display for UnknownPrincipalType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a principal type (User, Group, ServicePrincipal, ForeignGroup, Device)",
            self.0
        )
    }
}

impl std::error::Error for UnknownPrincipalType {}

impl fmt::Display for PrincipalType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
