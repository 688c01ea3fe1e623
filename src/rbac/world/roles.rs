//! Given role definitions against each other and against the shipped built-in ones
//! ([decision R14](crate::spec::decisions#decision-r14)): a role file never silently replaces a
//! built-in or drops its condition.
//!
//! - Entries for one GUID that are identical merge silently: per-subscription `az role
//!   definition list` exports repeat every built-in role under another `id` prefix.
//! - Two entries for one GUID that differ are an error: which one Azure holds is not known.
//! - An entry with a built-in role's GUID that differs from the shipped definition is a
//!   warning naming the difference; the shipped definition is used unless the user prefers the
//!   export's (`--prefer-exported-roles`, for an export newer than azabac's data). An entry that
//!   lacks a condition the shipped definition has is an error either way: with the condition
//!   gone, the role would grant what Azure does not.

use crate::catalog::{RoleDefinition, find_builtin_role};
use crate::rbac::{InputError, InputProblem};

/// A given role that differs from the shipped built-in role of its GUID, used or not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleWarning {
    /// Where the role was given, as a JSON path.
    pub path: String,
    /// The role's name and GUID.
    pub role: String,
    /// The first difference, in words.
    pub difference: String,
    /// Whether the export's definition is used (`--prefer-exported-roles`); otherwise the
    /// shipped one is.
    pub exported_used: bool,
}

impl std::fmt::Display for RoleWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let used = if self.exported_used {
            "the export's definition is used (--prefer-exported-roles)"
        } else {
            "azabac's built-in definition is used (give --prefer-exported-roles for the export's)"
        };
        write!(
            f,
            "at {}: role {} differs from the built-in definition: {}; {used}",
            self.path, self.role, self.difference
        )
    }
}

/// What to do with a given role.
pub(super) enum Given {
    /// Keep it (a custom role, or a differing built-in the user prefers).
    Keep(RoleDefinition),
    /// Drop it: the same as one already given, or a built-in the shipped definition wins over.
    Drop,
}

/// Decides what a role given at `path` becomes, among the roles `given` so far (each with its
/// place: its file and path).
pub(super) fn reconcile(
    role: RoleDefinition,
    path: &str,
    given: &[(String, RoleDefinition)],
    prefer_exported: bool,
    warnings: &mut Vec<RoleWarning>,
) -> Result<Given, InputError> {
    name_taken(&role, path, given)?;
    let Some(id) = role.id else {
        return Ok(Given::Keep(role));
    };
    if let Some((first_path, first)) = given.iter().find(|(_, r)| r.id == Some(id)) {
        let one_sided = first.assignable_scopes.is_empty() != role.assignable_scopes.is_empty();
        let difference = difference(first, &role).or_else(|| {
            one_sided.then(|| "`assignableScopes` given in one and not the other".to_owned())
        });
        return match difference {
            None => Ok(Given::Drop),
            Some(difference) => Err(InputError::new(
                path,
                InputProblem::RoleGivenTwice {
                    id,
                    first: first_path.clone(),
                    difference,
                },
            )),
        };
    }
    let Some(shipped) = find_builtin_role(&id.to_string()) else {
        return Ok(Given::Keep(role));
    };
    if let Some(block) = lost_condition(shipped, &role) {
        return Err(InputError::new(
            path,
            InputProblem::BuiltInConditionLost {
                role: shipped.role_name.clone(),
                block,
            },
        ));
    }
    match difference(shipped, &role) {
        None => Ok(Given::Drop),
        Some(difference) => {
            warnings.push(RoleWarning {
                path: path.to_owned(),
                role: format!("{} ({id})", shipped.role_name),
                difference,
                exported_used: prefer_exported,
            });
            Ok(if prefer_exported {
                Given::Keep(role)
            } else {
                Given::Drop
            })
        }
    }
}

/// A role named as another role (ignoring case) with another GUID, given or built in: Azure
/// keeps role names unique in a tenant ([decision R20](crate::spec::decisions#decision-r20)),
/// so a name never resolves to one of two roles. Copies of one role (one GUID) share its name.
fn name_taken(
    role: &RoleDefinition,
    path: &str,
    given: &[(String, RoleDefinition)],
) -> Result<(), InputError> {
    let taken = |other: String| {
        Err(InputError::new(
            path,
            InputProblem::RoleNameTaken {
                name: role.role_name.clone(),
                other,
            },
        ))
    };
    let same_name = |other: &RoleDefinition| {
        other.role_name.eq_ignore_ascii_case(&role.role_name)
            && (other.id != role.id || role.id.is_none())
    };
    if let Some((place, other)) = given.iter().find(|(_, other)| same_name(other)) {
        let guid = other.id.map_or_else(String::new, |id| format!(" ({id})"));
        return taken(format!("the name of the role given at {place}{guid}"));
    }
    if let Some(builtin) = find_builtin_role(&role.role_name).filter(|b| same_name(b)) {
        let guid = builtin.id.map_or_else(String::new, |id| format!(" ({id})"));
        return taken(format!("the name of the built-in role{guid}"));
    }
    Ok(())
}

/// The first block (1-based) whose condition the shipped role has and `given` does not.
fn lost_condition(shipped: &RoleDefinition, given: &RoleDefinition) -> Option<usize> {
    shipped
        .permissions
        .iter()
        .enumerate()
        .filter(|(_, block)| block.condition.is_some())
        .find(|(index, block)| {
            let kept = given.permissions.get(*index).or_else(|| {
                // A block may have moved: any block of the export with the same condition.
                given
                    .permissions
                    .iter()
                    .find(|other| other.condition == block.condition)
            });
            kept.is_none_or(|kept| kept.condition.is_none())
        })
        .map(|(index, _)| index + 1)
}

/// The first difference between two definitions of one role, in words, or `None` if they
/// grant the same and may be assigned at the same scopes (names and descriptions aside, which
/// grant nothing). Assignable scopes are compared when both definitions give them: an export
/// without the field says nothing about them.
fn difference(a: &RoleDefinition, b: &RoleDefinition) -> Option<String> {
    let scopes = |role: &RoleDefinition| {
        let mut scopes: Vec<String> = role
            .assignable_scopes
            .iter()
            .map(ToString::to_string)
            .collect();
        scopes.sort_unstable();
        scopes.dedup();
        scopes
    };
    if !a.assignable_scopes.is_empty() && !b.assignable_scopes.is_empty() && scopes(a) != scopes(b)
    {
        return Some("`assignableScopes` differ".to_owned());
    }
    if a.permissions.len() != b.permissions.len() {
        return Some(format!(
            "{} permission blocks against {}",
            b.permissions.len(),
            a.permissions.len()
        ));
    }
    for (index, (x, y)) in a.permissions.iter().zip(&b.permissions).enumerate() {
        let block = index + 1;
        let lists = [
            ("actions", &x.actions, &y.actions),
            ("notActions", &x.not_actions, &y.not_actions),
            ("dataActions", &x.data_actions, &y.data_actions),
            ("notDataActions", &x.not_data_actions, &y.not_data_actions),
        ];
        for (name, left, right) in lists {
            if left != right {
                return Some(format!("block {block}'s `{name}` differ"));
            }
        }
        if x.condition != y.condition {
            return Some(format!("block {block}'s condition differs"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    const AI_OWNER: &str = "e47c6f54-e4a2-4754-9501-8e0985b135e1";

    fn shipped() -> RoleDefinition {
        find_builtin_role(AI_OWNER).cloned().unwrap()
    }

    #[test]
    fn the_shipped_definition_merges_silently() {
        let mut warnings = Vec::new();
        let given = reconcile(shipped(), "$[0]", &[], false, &mut warnings).unwrap();
        assert!(matches!(given, Given::Drop));
        assert!(warnings.is_empty());
    }

    #[test]
    fn a_lost_condition_is_an_error_and_another_difference_a_warning() {
        let mut warnings = Vec::new();
        let mut lost = shipped();
        for block in &mut lost.permissions {
            block.condition = None;
        }
        let error = reconcile(lost, "$[0]", &[], true, &mut warnings)
            .err()
            .unwrap();
        assert!(matches!(
            error.problem,
            InputProblem::BuiltInConditionLost { block: 1, .. }
        ));

        let mut wider = shipped();
        if let Some(block) = wider.permissions.first_mut() {
            block.actions.push(crate::catalog::ActionPattern::new("*"));
        }
        let given = reconcile(wider.clone(), "$[1]", &[], false, &mut warnings).unwrap();
        assert!(matches!(given, Given::Drop), "the shipped definition wins");
        let given = reconcile(wider, "$[1]", &[], true, &mut warnings).unwrap();
        assert!(
            matches!(given, Given::Keep(_)),
            "unless the export is preferred"
        );
        assert_eq!(warnings.len(), 2);
        assert!(
            warnings[0]
                .to_string()
                .contains("block 1's `actions` differ")
        );
    }

    #[test]
    fn one_guid_given_twice_differently_is_an_error() {
        let custom = |action: &str| RoleDefinition {
            role_name: "Widget".into(),
            id: Some(Uuid::from_u128(7)),
            description: None,
            permissions: vec![crate::catalog::Permission {
                actions: vec![crate::catalog::ActionPattern::new(action)],
                ..Default::default()
            }],
            assignable_scopes: Vec::new(),
        };
        let mut warnings = Vec::new();
        let given = vec![("$[0]".to_owned(), custom("a/read"))];
        assert!(matches!(
            reconcile(custom("a/read"), "$[1]", &given, false, &mut warnings).unwrap(),
            Given::Drop
        ));
        let error = reconcile(custom("a/*"), "$[1]", &given, false, &mut warnings)
            .err()
            .unwrap();
        assert!(
            matches!(error.problem, InputProblem::RoleGivenTwice { .. }),
            "{error}"
        );
    }

    #[test]
    fn one_guid_given_twice_with_other_assignable_scopes_is_an_error() {
        let custom = |scopes: &[&str]| RoleDefinition {
            role_name: "Widget".into(),
            id: Some(Uuid::from_u128(7)),
            description: None,
            permissions: vec![crate::catalog::Permission {
                actions: vec![crate::catalog::ActionPattern::new("a/read")],
                ..Default::default()
            }],
            assignable_scopes: scopes
                .iter()
                .map(|s| crate::id::AssignableScope::parse(s).unwrap())
                .collect(),
        };
        let sub = "/subscriptions/00000000-0000-0000-0000-0000000000aa";
        let mut warnings = Vec::new();
        let given = vec![("$[0]".to_owned(), custom(&[sub]))];
        let upper = sub
            .to_ascii_uppercase()
            .replace("/SUBSCRIPTIONS/", "/subscriptions/");
        assert!(
            matches!(
                reconcile(custom(&[&upper]), "$[1]", &given, false, &mut warnings).unwrap(),
                Given::Drop
            ),
            "scopes compare without case"
        );
        for other in [custom(&["/"]), custom(&[])] {
            let error = reconcile(other, "$[1]", &given, false, &mut warnings)
                .err()
                .unwrap();
            assert!(
                matches!(error.problem, InputProblem::RoleGivenTwice { .. }),
                "{error}"
            );
        }
        assert!(warnings.is_empty());
    }
}
