//! Scopes (RBAC.md §1.1, decision R9): `/`, management groups, subscriptions, resource groups
//! and resources (child resources and extension resources included), compared ignoring case
//! and a trailing `/`, with their ancestors.

use std::fmt;

use super::Hierarchy;

/// The `providers/{namespace}/managementGroups` prefix of a management-group scope, lowercased.
pub(super) const MANAGEMENT_GROUPS: &str = "/providers/microsoft.management/managementgroups/";

/// A text that is not a scope, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScopeError {
    /// The text, trimmed.
    pub text: String,
    /// What a scope would need there.
    pub why: &'static str,
}

impl fmt::Display for ScopeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a scope: {}", self.text, self.why)
    }
}

impl std::error::Error for ScopeError {}

/// A normalised scope: ASCII-lowercased, one leading `/`, no trailing `/` (except the root).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Scope(Box<str>);

impl Scope {
    /// The root scope `/`.
    pub fn root() -> Scope {
        Scope("/".into())
    }

    /// Parses and normalises a scope, such as
    /// `/subscriptions/{id}/resourceGroups/{rg}/providers/Microsoft.Storage/storageAccounts/{name}`.
    ///
    /// ```
    /// use azabac::rbac::Scope;
    /// let scope = Scope::parse("/Subscriptions/S1/resourceGroups/RG/").unwrap();
    /// assert_eq!(scope.as_str(), "/subscriptions/s1/resourcegroups/rg");
    /// assert_eq!(scope.parent().unwrap().as_str(), "/subscriptions/s1");
    /// ```
    pub fn parse(text: &str) -> Result<Scope, ScopeError> {
        let trimmed = text.trim();
        let error = |why| ScopeError {
            text: trimmed.to_owned(),
            why,
        };
        if !trimmed.starts_with('/') {
            return Err(error("scopes start with `/`"));
        }
        let lower = trimmed.to_ascii_lowercase();
        let segments: Vec<&str> = lower.split('/').filter(|s| !s.is_empty()).collect();
        shape(&segments).map_err(error)?;
        if segments.is_empty() {
            return Ok(Scope::root());
        }
        let normal = segments.iter().map(|s| s.len() + 1).sum::<usize>() == lower.len();
        if normal {
            return Ok(Scope(lower.into()));
        }
        Ok(Scope(format!("/{}", segments.join("/")).into()))
    }

    /// The scope, normalised.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is the root `/`.
    pub fn is_root(&self) -> bool {
        &*self.0 == "/"
    }

    /// The management group's name, for a management-group scope.
    pub fn management_group(&self) -> Option<&str> {
        self.0.strip_prefix(MANAGEMENT_GROUPS)
    }

    /// The subscription id, for a scope at or below a subscription.
    pub fn subscription(&self) -> Option<&str> {
        let rest = self.0.strip_prefix("/subscriptions/")?;
        rest.split('/').next()
    }

    /// The scope one level up, without a management-group hierarchy: a resource's parent
    /// resource, resource group or subscription; a resource group's subscription; the root for
    /// subscriptions and management groups. `None` for the root.
    pub fn parent(&self) -> Option<Scope> {
        parent_text(&self.0).map(|text| Scope(text.into()))
    }

    /// This scope and everything above it, nearest first, ending with `/`. Subscriptions and
    /// management groups sit under the management groups `hierarchy` gives them.
    pub fn ancestors(&self, hierarchy: &Hierarchy) -> Vec<Scope> {
        let mut chain = vec![self.clone()];
        let mut current = self.clone();
        loop {
            let next = match hierarchy.parent_of(&current) {
                Some(group) => Some(group.clone()),
                None => current.parent(),
            };
            match next {
                Some(next) if chain.len() <= 64 && !chain.contains(&next) => {
                    chain.push(next.clone());
                    current = next;
                }
                _ => break,
            }
        }
        if !chain.last().is_some_and(Scope::is_root) {
            chain.push(Scope::root());
        }
        chain
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// [`Scope::parent`] on a normalised scope's text: always a prefix of it.
pub(crate) fn parent_text(text: &str) -> Option<&str> {
    let segments = Segments::of(text);
    let kept = parent_segments(segments.names())?;
    text.get(..segments.prefix_len(kept))
}

/// A normalised scope's segments with where each ends, so that every ancestor is a prefix
/// found by arithmetic.
pub(crate) struct Segments<'s> {
    names: Vec<&'s str>,
    ends: Vec<usize>,
}

impl<'s> Segments<'s> {
    pub(crate) fn of(text: &'s str) -> Segments<'s> {
        let mut names = Vec::with_capacity(12);
        let mut ends = Vec::with_capacity(12);
        let mut start = 0;
        // One pass over the bytes: `/` is ASCII, so every cut is on a character boundary.
        for (i, byte) in text.bytes().chain(std::iter::once(b'/')).enumerate() {
            if byte != b'/' {
                continue;
            }
            if i > start
                && let Some(name) = text.get(start..i)
            {
                names.push(name);
                ends.push(i);
            }
            start = i + 1;
        }
        Segments { names, ends }
    }

    pub(crate) fn names(&self) -> &[&'s str] {
        &self.names
    }

    /// The length of the prefix that keeps the first `kept` segments (`/` for none).
    pub(crate) fn prefix_len(&self, kept: usize) -> usize {
        kept.checked_sub(1)
            .and_then(|last| self.ends.get(last))
            .copied()
            .unwrap_or(1)
    }
}

/// How many leading segments the parent of `segments` keeps: a provider resource drops its
/// last type/name pair, or its whole provider part when only one pair is left; a resource
/// group keeps its subscription; subscriptions and management groups sit under the root.
/// `None` for the root.
pub(crate) fn parent_segments(segments: &[&str]) -> Option<usize> {
    match segments {
        [] => None,
        ["providers", "microsoft.management", "managementgroups", _] | ["subscriptions", _] => {
            Some(0)
        }
        // A service group sits under the tenant root; subscriptions, resource groups and
        // resources never sit under it (decision R15).
        ["providers", "microsoft.management", "servicegroups", _] => Some(0),
        // A tenant-level provider (`/providers/Microsoft.Capacity`) sits under the root, and
        // its resources under it.
        ["providers", _] => Some(0),
        ["providers", _, _, _] => Some(2),
        ["subscriptions", _, "resourcegroups", _] => Some(2),
        _ => {
            let providers = segments.iter().rposition(|s| *s == "providers")?;
            let pairs = segments.len().saturating_sub(providers + 2);
            Some(if pairs > 2 {
                segments.len() - 2
            } else {
                providers
            })
        }
    }
}

/// Checks a scope's segments; `Err` says what is wrong.
fn shape(s: &[&str]) -> Result<(), &'static str> {
    let provider_part = |rest: &[&str]| match rest {
        [] => Ok(()),
        ["providers", _, pairs @ ..] if !pairs.is_empty() && pairs.len() % 2 == 0 => {
            // Extension resources nest another `providers/...` part inside a resource.
            match pairs.iter().position(|p| *p == "providers") {
                None => Ok(()),
                Some(i) if i % 2 == 0 => Ok(()),
                Some(_) => Err("a resource type has no name"),
            }
        }
        ["providers", ..] => Err("a provider part needs a namespace and type/name pairs"),
        _ => Err("expected `resourceGroups/{name}` or `providers/...` here"),
    };
    match s {
        [] => Ok(()),
        ["providers", "microsoft.management", "managementgroups", _] => Ok(()),
        ["providers", "microsoft.management", "managementgroups", ..] => Err(
            "a management group scope is `/providers/Microsoft.Management/managementGroups/{name}`",
        ),
        ["providers", "microsoft.management", "servicegroups", _] => Ok(()),
        ["providers", "microsoft.management", "servicegroups", ..] => {
            Err("a service group scope is `/providers/Microsoft.Management/serviceGroups/{name}`")
        }
        // Tenant-level provider scopes, such as `/providers/Microsoft.Capacity` and its
        // reservation orders (decision R15).
        ["providers", _] => Ok(()),
        ["providers", _, pairs @ ..] if pairs.len() % 2 == 0 && !pairs.contains(&"providers") => {
            Ok(())
        }
        ["subscriptions", _, "resourcegroups", _, rest @ ..] => provider_part(rest),
        ["subscriptions", _, "resourcegroups", ..] => Err("a resource group needs a name"),
        ["subscriptions", _, rest @ ..] => provider_part(rest),
        ["subscriptions"] => Err("a subscription needs an id"),
        _ => Err(
            "expected `/subscriptions/...`, `/providers/Microsoft.Management/managementGroups/...`, \
             or a tenant-level `/providers/{namespace}/...`",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(text: &str) -> Scope {
        Scope::parse(text).unwrap()
    }

    #[test]
    fn normalises_case_and_slashes() {
        assert_eq!(scope("/"), Scope::root());
        assert_eq!(scope("/Subscriptions/ABC/"), scope("/subscriptions/abc"));
        assert!(Scope::parse("subscriptions/abc").is_err());
        assert!(Scope::parse("/subscriptions").is_err());
        assert!(Scope::parse("/subscriptions/s/resourceGroups").is_err());
        assert!(
            Scope::parse("/subscriptions/s/providers/Microsoft.Storage/storageAccounts").is_err()
        );
        assert!(Scope::parse("/foo/bar").is_err());
    }

    #[test]
    fn ancestors_climb_resources_groups_subscriptions_and_management_groups() {
        let blob = scope(
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acc/blobServices/default/containers/c",
        );
        let chain: Vec<String> = blob
            .ancestors(&Hierarchy::default())
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            chain,
            [
                "/subscriptions/s/resourcegroups/rg/providers/microsoft.storage/storageaccounts/acc/blobservices/default/containers/c",
                "/subscriptions/s/resourcegroups/rg/providers/microsoft.storage/storageaccounts/acc/blobservices/default",
                "/subscriptions/s/resourcegroups/rg/providers/microsoft.storage/storageaccounts/acc",
                "/subscriptions/s/resourcegroups/rg",
                "/subscriptions/s",
                "/",
            ]
        );
        let tree = serde_json::json!({
            "id": "/providers/Microsoft.Management/managementGroups/root",
            "children": [{"id": "/providers/Microsoft.Management/managementGroups/platform",
                          "children": [{"id": "/subscriptions/s"}]}]
        });
        let hierarchy = Hierarchy::from_value(&tree).unwrap();
        let chain = scope("/subscriptions/s/resourceGroups/rg").ancestors(&hierarchy);
        assert_eq!(
            chain.iter().map(Scope::as_str).collect::<Vec<_>>(),
            [
                "/subscriptions/s/resourcegroups/rg",
                "/subscriptions/s",
                "/providers/microsoft.management/managementgroups/platform",
                "/providers/microsoft.management/managementgroups/root",
                "/",
            ]
        );
        let flat = serde_json::json!({"parents": {"s": "platform", "platform": "root"}});
        assert_eq!(
            Hierarchy::from_value(&flat)
                .unwrap()
                .parent_of(&scope("/subscriptions/s")),
            None,
            "`s` is not a GUID, so it names a management group"
        );
    }

    #[test]
    fn extension_resources_sit_under_their_resource() {
        let assignment = scope(
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/a1",
        );
        assert_eq!(
            assignment.parent().unwrap().as_str(),
            "/subscriptions/s/resourcegroups/rg"
        );
    }

    #[test]
    fn parents_of_every_shape_are_prefixes() {
        for (child, parent) in [
            (
                "/subscriptions/s/providers/Microsoft.Web/sites/a",
                "/subscriptions/s",
            ),
            (
                "/subscriptions/s/resourceGroups/rg/providers/A.B/c/d/e/f",
                "/subscriptions/s/resourcegroups/rg/providers/a.b/c/d",
            ),
            ("/subscriptions/s/resourceGroups/rg", "/subscriptions/s"),
            ("/subscriptions/s", "/"),
            ("/providers/Microsoft.Management/managementGroups/m", "/"),
        ] {
            let child = scope(child);
            assert_eq!(child.parent().unwrap().as_str(), parent);
            assert!(child.as_str().starts_with(parent));
        }
        assert_eq!(Scope::root().parent(), None);
    }

    #[test]
    fn rejects_cycles() {
        let flat = serde_json::json!({"parents": {"a": "b", "b": "a"}});
        assert!(Hierarchy::from_value(&flat).is_err());
    }
}
