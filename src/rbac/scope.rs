//! Scopes ([RBAC.md §1.1](crate::spec::rbac#section-1-1), decisions
//! [R9](crate::spec::decisions#decision-r9) and [R15](crate::spec::decisions#decision-r15)): `/`,
//! management groups, subscriptions, resource groups and resources (child resources and extension
//! resources included), compared ignoring case and a trailing `/`, with their ancestors.
//!
//! Case beyond ASCII ([decision R15](crate::spec::decisions#decision-r15), inferred): resource
//! group and resource names are Unicode, and ARM compares them with .NET's ordinal-ignore-case,
//! which maps each character through its simple uppercase mapping; simple case folding, the other
//! common reading, differs on a dozen letters (the Kelvin sign `K` folds to `k` but is its own
//! upper case; `ß` and `ẞ` fold together but do not upper-case together). Which one ARM applies
//! where is not documented, so a scope has a key under each ([`Scope::upper_key`],
//! [`Scope::fold_key`]): a deny applies when the scopes match under either, a grant only when they
//! match under both.

use std::borrow::Cow;
use std::fmt;

use super::Hierarchy;

/// The `providers/{namespace}/managementGroups` prefix of a management-group scope, lowercased.
pub(super) const MANAGEMENT_GROUPS: &str = "/providers/microsoft.management/managementgroups/";

/// The `providers/{namespace}/serviceGroups` prefix of a service-group scope, lowercased.
pub(super) const SERVICE_GROUPS: &str = "/providers/microsoft.management/servicegroups/";

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

    /// The scope's key under .NET's ordinal-ignore-case
    /// ([decision R15](crate::spec::decisions#decision-r15)): ASCII in lower case, every other
    /// character through its simple uppercase mapping. Borrowed for ASCII scopes.
    pub fn upper_key(&self) -> Cow<'_, str> {
        beyond_ascii(&self.0, ordinal_upper)
    }

    /// The scope's key under Unicode simple case folding
    /// ([decision R15](crate::spec::decisions#decision-r15)). Borrowed for ASCII scopes.
    pub fn fold_key(&self) -> Cow<'_, str> {
        beyond_ascii(&self.0, casefold::simple_fold_char)
    }

    /// Whether `other` is this scope under both case mappings, as a grant needs
    /// ([decision R15](crate::spec::decisions#decision-r15)).
    pub fn same_under_both(&self, other: &Scope) -> bool {
        self == other
            || self.upper_key() == other.upper_key() && self.fold_key() == other.fold_key()
    }

    /// Whether this is the root `/`.
    pub fn is_root(&self) -> bool {
        &*self.0 == "/"
    }

    /// The management group's name, for a management-group scope.
    pub fn management_group(&self) -> Option<&str> {
        self.0.strip_prefix(MANAGEMENT_GROUPS)
    }

    /// The service group's name, for a service-group scope.
    pub fn service_group(&self) -> Option<&str> {
        self.0.strip_prefix(SERVICE_GROUPS)
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

/// `text` (ASCII already in lower case) with every other character mapped by `map`, and kept in
/// lower case if it maps into ASCII.
fn beyond_ascii(text: &str, map: fn(char) -> char) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if c.is_ascii() {
                    c
                } else {
                    map(c).to_ascii_lowercase()
                }
            })
            .collect(),
    )
}

/// A character's simple uppercase mapping (UnicodeData.txt), as .NET's ordinal-ignore-case
/// applies it: `ı` and `ſ` map to themselves there ("disable Turkish I behavior on ordinal
/// operations", dotnet/runtime `pal_casing.c`). The standard library gives the full mapping;
/// the two differ only where the full one has several characters (SpecialCasing.txt), where
/// the simple mapping is the letter itself but for the Greek letters with ypogegrammeni, which
/// map to their title-case forms.
pub(crate) fn ordinal_upper(c: char) -> char {
    if matches!(c, '\u{131}' | '\u{17F}') {
        return c;
    }
    let mut upper = c.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(one), None) => one,
        _ => match u32::from(c) {
            0x1F80..=0x1F87 | 0x1F90..=0x1F97 | 0x1FA0..=0x1FA7 => {
                char::from_u32(u32::from(c) + 8).unwrap_or(c)
            }
            0x1FB3 | 0x1FC3 | 0x1FF3 => char::from_u32(u32::from(c) + 9).unwrap_or(c),
            _ => c,
        },
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
    fn case_beyond_ascii_has_two_keys() {
        // Both mappings agree on most letters.
        let (a, b) = (
            scope("/subscriptions/s/resourceGroups/RG-Ä"),
            scope("/subscriptions/s/resourceGroups/rg-ä"),
        );
        assert_ne!(a, b);
        assert!(a.same_under_both(&b));
        // The Kelvin sign folds to `k` but is its own upper case.
        let kelvin = scope("/subscriptions/s/resourceGroups/\u{212A}");
        let k = scope("/subscriptions/s/resourceGroups/k");
        assert_eq!(kelvin.fold_key(), k.fold_key());
        assert_ne!(kelvin.upper_key(), k.upper_key());
        assert!(!kelvin.same_under_both(&k));
        // `ß` and `ẞ` fold together but do not upper-case together.
        let (sharp, capital) = (
            scope("/subscriptions/s/resourceGroups/ß"),
            scope("/subscriptions/s/resourceGroups/\u{1E9E}"),
        );
        assert_eq!(sharp.fold_key(), capital.fold_key());
        assert_ne!(sharp.upper_key(), capital.upper_key());
        // Dotless i is its own upper case in .NET's ordinal comparisons.
        assert_eq!(ordinal_upper('\u{131}'), '\u{131}');
        assert_eq!(ordinal_upper('ß'), 'ß');
        assert_eq!(ordinal_upper('\u{1F80}'), '\u{1F88}');
        assert_eq!(ordinal_upper('\u{1FB3}'), '\u{1FBC}');
        assert_eq!(ordinal_upper('\u{1F88}'), '\u{1F88}');
        assert_eq!(ordinal_upper('ǆ'), 'Ǆ');
        // ASCII scopes borrow their text.
        assert!(matches!(k.upper_key(), Cow::Borrowed(_)));
    }

    #[test]
    fn rejects_cycles() {
        let flat = serde_json::json!({"parents": {"a": "b", "b": "a"}});
        assert!(Hierarchy::from_value(&flat).is_err());
    }
}
