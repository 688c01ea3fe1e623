//! Custom roles a Bicep file defines (`Microsoft.Authorization/roleDefinitions` resources),
//! read where their permissions are written literally, so that an assignment of one
//! (`roleDefinitionId: customRole.id`) is checked against it as an assignment of a built-in
//! role is.

use serde_json::{Map, Value};

use super::syntax::{Expr, Kind};
use super::value::Values;
use super::{Scope, get, properties};
use crate::catalog::RoleDefinition;

impl Scope<'_> {
    /// The custom role `expr` names (`symbol.id`, `symbol.name`), when the file declares it
    /// with its permissions written literally.
    pub(super) fn defined_role(&self, expr: &Expr) -> Option<RoleDefinition> {
        let Kind::Member { target, name, .. } = &expr.kind else {
            return None;
        };
        let Kind::Name(symbol) = &target.kind else {
            return None;
        };
        if name != "id" && name != "name" {
            return None;
        }
        let (_, role) = self.custom_roles.iter().find(|(s, _)| s == symbol)?;
        let fields = properties(role)?;
        let mut role = Map::new();
        for key in ["roleName", "description", "permissions"] {
            if let Some(value) = get(fields, key) {
                role.insert(
                    key.to_owned(),
                    self.value_of(value, 0).into_json(&Values(self), 0)?,
                );
            }
        }
        RoleDefinition::from_value(Value::Object(role)).ok()
    }
}
