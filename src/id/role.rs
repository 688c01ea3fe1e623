//! Role definition ids and assignable scopes ([decision R19](crate::spec::decisions#decision-r19),
//! [decision 24](crate::spec::decisions#decision-24)): a role definition is named by a bare GUID
//! or by `/providers/Microsoft.Authorization/roleDefinitions/{GUID}` under an optional
//! subscription or management group, with nothing after it, in requests as in exports; a role is
//! assignable at scopes, or at every scope of a type (`/providers/Microsoft.Management/serviceGroups`).

use std::fmt;

use uuid::Uuid;

use super::scope::{SERVICE_GROUPS, Scope};
use super::segment::{self, IdError};

/// The GUID a role definition id names: `text` is a bare GUID, or
/// `[/subscriptions/{GUID} | /providers/Microsoft.Management/managementGroups/{name}]/providers/Microsoft.Authorization/roleDefinitions/{GUID}`.
/// Anything else (more segments, `..`, a query, a trailing `/`) is an error, never its last
/// segment read as the GUID.
///
/// ```
/// use azabac::id::role_definition_guid;
/// let owner = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
/// assert_eq!(role_definition_guid(owner).unwrap().to_string(), owner);
/// let full = format!("/subscriptions/00000000-0000-0000-0000-0000000000aa/providers/Microsoft.Authorization/roleDefinitions/{owner}");
/// assert_eq!(role_definition_guid(&full).unwrap().to_string(), owner);
/// let smuggled = format!("{full}/53ca6127-db72-4b80-b1b0-d745d6d5456d");
/// assert!(role_definition_guid(&smuggled).is_err());
/// ```
pub fn role_definition_guid(text: &str) -> Result<Uuid, IdError> {
    let error = |why: String| IdError {
        text: text.to_owned(),
        what: "a role definition id",
        why,
    };
    if segment::is_guid(text) {
        return Uuid::parse_str(text).map_err(|e| error(e.to_string()));
    }
    if let Some(guid) = common_form(text) {
        return Uuid::parse_str(guid).map_err(|e| error(e.to_string()));
    }
    by_grammar(text)
}

/// [`role_definition_guid`] by the grammar alone, segment by segment.
pub(super) fn by_grammar(text: &str) -> Result<Uuid, IdError> {
    let error = |why: String| IdError {
        text: text.to_owned(),
        what: "a role definition id",
        why,
    };
    if segment::is_guid(text) {
        return Uuid::parse_str(text).map_err(|e| error(e.to_string()));
    }
    let plain = segment::plain(text);
    if !plain {
        segment::query_or_fragment(text, "the id").map_err(error)?;
    }
    let shape = || {
        error(
            "a role definition id is a GUID, or \
             `[/subscriptions/{id}]/providers/Microsoft.Authorization/roleDefinitions/{GUID}` \
             with nothing after it"
                .to_owned(),
        )
    };
    let body = text.strip_prefix('/').ok_or_else(shape)?;
    // The longest form has eight segments; a ninth is already wrong.
    let mut raw = [""; 9];
    let mut count = 0;
    for part in body.split('/') {
        let slot = raw.get_mut(count).ok_or_else(shape)?;
        if part.is_empty() {
            return Err(shape());
        }
        if !plain {
            segment::generic(part).map_err(error)?;
        }
        *slot = part;
        count += 1;
    }
    let raw = raw.get(..count).unwrap_or_default();
    let is = |i: usize, want: &str| raw.get(i).is_some_and(|s| s.eq_ignore_ascii_case(want));
    let at = |i: usize| raw.get(i).copied().unwrap_or_default();
    // `…/providers/Microsoft.Authorization/roleDefinitions/{GUID}` ends every form.
    let tail = |from: usize| {
        count == from + 4
            && is(from, "providers")
            && is(from + 1, "microsoft.authorization")
            && is(from + 2, "roledefinitions")
    };
    let guid = if tail(0) {
        at(3)
    } else if is(0, "subscriptions") && tail(2) {
        segment::guid(at(1), "a subscription id").map_err(error)?;
        at(5)
    } else if is(0, "providers")
        && is(1, "microsoft.management")
        && is(2, "managementgroups")
        && tail(4)
    {
        segment::management_group(at(3)).map_err(error)?;
        at(7)
    } else {
        return Err(shape());
    };
    segment::guid(guid, "a role definition's name").map_err(error)?;
    Uuid::parse_str(guid).map_err(|e| error(e.to_string()))
}

/// The GUID of a role definition id in the forms every export writes,
/// `[/subscriptions/{GUID}]/providers/Microsoft.Authorization/roleDefinitions/{GUID}`, found
/// without cutting the id into segments; `None` sends every other text through the grammar.
pub(super) fn common_form(text: &str) -> Option<&str> {
    const TAIL: &str = "/providers/Microsoft.Authorization/roleDefinitions/";
    let (rest, guid) = text.split_at_checked(text.len().checked_sub(36)?)?;
    let (head, tail) = rest.split_at_checked(rest.len().checked_sub(TAIL.len())?)?;
    if !tail.eq_ignore_ascii_case(TAIL) {
        return None;
    }
    let subscription = match head.split_at_checked("/subscriptions/".len()) {
        None if head.is_empty() => None,
        Some((prefix, id)) if prefix.eq_ignore_ascii_case("/subscriptions/") => Some(id),
        _ => return None,
    };
    let plain = subscription.is_none_or(segment::is_guid) && segment::is_guid(guid);
    plain.then_some(guid)
}

/// Where a role may be assigned: at a scope and below it, or at every scope of one type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum AssignableScope {
    /// A scope (`/`, a management group, a subscription, …) and everything below it.
    Scope(Scope),
    /// Every service group (`/providers/Microsoft.Management/serviceGroups`).
    ServiceGroups,
}

impl AssignableScope {
    /// Reads an entry of `assignableScopes`: a scope, or the type-level
    /// `/providers/Microsoft.Management/serviceGroups`.
    ///
    /// ```
    /// use azabac::id::AssignableScope;
    /// let all = AssignableScope::parse("/providers/Microsoft.Management/serviceGroups").unwrap();
    /// assert_eq!(all, AssignableScope::ServiceGroups);
    /// assert!(AssignableScope::parse("/providers/Microsoft.Capacity").is_ok());
    /// ```
    pub fn parse(text: &str) -> Result<AssignableScope, IdError> {
        let trimmed = text.strip_suffix('/').unwrap_or(text);
        if trimmed.eq_ignore_ascii_case(SERVICE_GROUPS.trim_end_matches('/')) {
            return Ok(AssignableScope::ServiceGroups);
        }
        Scope::parse(text).map(AssignableScope::Scope)
    }
}

impl fmt::Display for AssignableScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AssignableScope::Scope(scope) => fmt::Display::fmt(scope, f),
            AssignableScope::ServiceGroups => f.write_str(SERVICE_GROUPS.trim_end_matches('/')),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWNER: &str = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
    const SUB: &str = "00000000-0000-0000-0000-0000000000aa";

    #[test]
    fn a_role_definition_id_is_read_by_its_grammar_only() {
        for good in [
            OWNER.to_owned(),
            OWNER.to_uppercase(),
            format!("/providers/Microsoft.Authorization/roleDefinitions/{OWNER}"),
            format!(
                "/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/{OWNER}"
            ),
            format!(
                "/providers/Microsoft.Management/managementGroups/platform/providers/Microsoft.Authorization/roleDefinitions/{OWNER}"
            ),
        ] {
            assert_eq!(
                role_definition_guid(&good).unwrap().to_string(),
                OWNER,
                "{good}"
            );
        }
        let full = format!(
            "/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/{OWNER}"
        );
        for bad in [
            format!("{full}/53ca6127-db72-4b80-b1b0-d745d6d5456d"),
            format!(
                "/subscriptions/{SUB}/providers/x/../Microsoft.Authorization/roleDefinitions/{OWNER}"
            ),
            format!("{full}?x=/"),
            format!("{full}/"),
            format!(" {OWNER}"),
            format!(
                "/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Authorization/roleDefinitions/{OWNER}"
            ),
            format!("/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/{OWNER}"),
            "owner".to_owned(),
        ] {
            assert!(role_definition_guid(&bad).is_err(), "{bad}");
        }
        assert!(
            role_definition_guid(&format!("{full}?x=/"))
                .unwrap_err()
                .why
                .starts_with("strip `?x=/`")
        );
    }

    #[test]
    fn type_level_assignable_scopes_are_scopes_of_their_own() {
        assert_eq!(
            AssignableScope::parse("/providers/microsoft.management/SERVICEGROUPS/").unwrap(),
            AssignableScope::ServiceGroups
        );
        assert_eq!(
            AssignableScope::ServiceGroups.to_string(),
            "/providers/microsoft.management/servicegroups"
        );
        assert!(matches!(
            AssignableScope::parse("/").unwrap(),
            AssignableScope::Scope(_)
        ));
        assert!(AssignableScope::parse("/subscriptions/s1").is_err());
    }
}
