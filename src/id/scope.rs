//! Scopes ([RBAC.md §1.1](crate::spec::rbac#section-1-1), decisions
//! [R9](crate::spec::decisions#decision-r9), [R15](crate::spec::decisions#decision-r15) and
//! [R19](crate::spec::decisions#decision-r19)): `/`, management groups, service groups,
//! subscriptions, resource groups and resources (child resources and extension resources
//! included), read by one grammar, compared ignoring case and a trailing `/`.
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

use super::segment::{self, IdError};

/// The `providers/{namespace}/managementGroups` prefix of a management-group scope, lowercased.
pub(crate) const MANAGEMENT_GROUPS: &str = "/providers/microsoft.management/managementgroups/";

/// The `providers/{namespace}/serviceGroups` prefix of a service-group scope, lowercased.
pub(crate) const SERVICE_GROUPS: &str = "/providers/microsoft.management/servicegroups/";

/// A text that is not a scope: an [`IdError`] whose `what` is `a scope`.
pub type ScopeError = IdError;

/// A normalised scope: ASCII-lowercased, one leading `/`, no trailing `/` (except the root).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Scope(Box<str>);

impl Scope {
    /// The root scope `/`.
    pub fn root() -> Scope {
        Scope("/".into())
    }

    /// Parses and normalises a scope, such as
    /// `/subscriptions/{id}/resourceGroups/{rg}/providers/Microsoft.Storage/storageAccounts/{name}`,
    /// by the grammar of [decision R19](crate::spec::decisions#decision-r19): a subscription is
    /// a GUID, a resource group and a management group follow Azure's naming rules, a role
    /// assignment or definition is named by a GUID, and no segment holds whitespace, a control
    /// or format character, a percent escape or a leading combining mark; a query or fragment is
    /// an error that says to strip it. Case and one trailing `/` do not matter.
    ///
    /// ```
    /// use azabac::rbac::Scope;
    /// let text = "/Subscriptions/00000000-0000-0000-0000-0000000000AA/resourceGroups/RG/";
    /// let scope = Scope::parse(text).unwrap();
    /// assert_eq!(scope.as_str(), "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourcegroups/rg");
    /// assert_eq!(scope.parent().unwrap().as_str(), "/subscriptions/00000000-0000-0000-0000-0000000000aa");
    /// let copied = "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg1?api-version=2022-04-01";
    /// assert!(Scope::parse(copied).unwrap_err().why.starts_with("strip `?api-version=2022-04-01`"));
    /// ```
    pub fn parse(text: &str) -> Result<Scope, ScopeError> {
        let error = |why: String| IdError {
            text: text.to_owned(),
            what: "a scope",
            why,
        };
        let plain = segment::plain(text);
        if !plain {
            segment::query_or_fragment(text, "the scope").map_err(error)?;
        }
        let Some(body) = text.strip_prefix('/') else {
            let why = match text.trim_start().strip_prefix('/') {
                Some(_) => "remove what comes before the first `/`".to_owned(),
                None => "scopes start with `/`".to_owned(),
            };
            return Err(error(why));
        };
        let empty = || error("an empty segment (`//`): remove one `/`".to_owned());
        if body == "/" {
            return Err(empty());
        }
        let body = body.strip_suffix('/').unwrap_or(body);
        if body.is_empty() {
            return Ok(Scope::root());
        }
        if !plain {
            for segment in body.split('/') {
                if segment.is_empty() {
                    return Err(empty());
                }
                segment::generic(segment).map_err(error)?;
            }
        }
        // The one allocation: the normalised text, whose segments the grammar reads.
        let mut normal = String::with_capacity(body.len() + 1);
        normal.push('/');
        normal.push_str(body);
        normal.make_ascii_lowercase();
        let lower = normal.get(1..).unwrap_or_default();
        with_segments(lower, body, |lower, raw| {
            if lower.iter().any(|s| s.is_empty()) {
                return Ok(Err(empty()));
            }
            shape(lower).map_err(str::to_owned)?;
            names(lower, raw).map(Ok)
        })
        .map_err(error)??;
        Ok(Scope(normal.into_boxed_str()))
    }

    /// The scope that the first `len` bytes of this one name, when they end a segment and
    /// name a scope by the grammar: what an extension resource's id (a role assignment's) is
    /// assigned at. Every segment has been read already, so only the shape is checked.
    pub(crate) fn prefix(&self, len: usize) -> Option<Scope> {
        let text = self.0.get(..len)?;
        if len <= 1 {
            return (text == "/").then(Scope::root);
        }
        if self.0.as_bytes().get(len).is_some_and(|b| *b != b'/') {
            return None;
        }
        let body = text.get(1..)?;
        with_segments(body, body, |lower, _| shape(lower).map_err(str::to_owned)).ok()?;
        Some(Scope(text.into()))
    }
    /// [`Scope::parse`] for the scope of a request: a scope below the deepest level Azure assigns
    /// roles at is cut to that level ([decision R19](crate::spec::decisions#decision-r19)). A
    /// blob's path under its container (`…/containers/logs/blobs/a/b.txt`) is a request
    /// attribute, not a scope, so the request's scope is the container.
    ///
    /// ```
    /// use azabac::rbac::Scope;
    /// let account = "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa";
    /// let blob = format!("{account}/blobServices/default/containers/logs/blobs/2026/a b.txt");
    /// let scope = Scope::parse_request(&blob).unwrap();
    /// assert!(scope.as_str().ends_with("/containers/logs"));
    /// ```
    pub fn parse_request(text: &str) -> Result<Scope, ScopeError> {
        match container_prefix(text) {
            Some(container) => Scope::parse(container),
            None => Scope::parse(text),
        }
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

    /// The management group's name, for a management-group scope (not a resource under one,
    /// such as an assignment's id).
    pub fn management_group(&self) -> Option<&str> {
        self.0
            .strip_prefix(MANAGEMENT_GROUPS)
            .filter(|name| !name.contains('/'))
    }

    /// The service group's name, for a service-group scope (not a resource under one).
    pub fn service_group(&self) -> Option<&str> {
        self.0
            .strip_prefix(SERVICE_GROUPS)
            .filter(|name| !name.contains('/'))
    }

    /// The management group or service group this scope is or sits under (an extension
    /// resource of one), if any.
    pub(crate) fn group(&self) -> Option<Scope> {
        let prefix = [MANAGEMENT_GROUPS, SERVICE_GROUPS]
            .into_iter()
            .find(|prefix| self.0.starts_with(prefix))?;
        let rest = self.0.get(prefix.len()..)?;
        let name = rest.find('/').unwrap_or(rest.len());
        self.prefix(prefix.len() + name)
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
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `text` (ASCII already in lower case) with every other character mapped by `map`, and kept in
/// lower case if it maps into ASCII.
/// The keys of an id's text `text` (any ASCII case) under each case mapping, (upper, fold), as
/// [`Scope::upper_key`] and [`Scope::fold_key`] make them for a scope: two ids are one to ARM
/// under a mapping when their keys under it are equal
/// ([decision R15](crate::spec::decisions#decision-r15)).
pub(crate) fn case_keys(text: &str) -> (String, String) {
    let lower = text.to_ascii_lowercase();
    let upper = beyond_ascii(&lower, ordinal_upper).into_owned();
    let fold = beyond_ascii(&lower, casefold::simple_fold_char).into_owned();
    (upper, fold)
}

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
/// found by arithmetic. Cut into buffers on the stack (a decision cuts its request's scope,
/// where two allocations cost 5% of the decision), on the heap past [`INLINE_SEGMENTS`].
pub(crate) struct Segments<'s> {
    count: usize,
    names: [&'s str; INLINE_SEGMENTS],
    ends: [usize; INLINE_SEGMENTS],
    /// Every segment, when there are more than fit inline.
    spilled: Option<(Vec<&'s str>, Vec<usize>)>,
}

impl<'s> Segments<'s> {
    pub(crate) fn of(text: &'s str) -> Segments<'s> {
        let mut segments = Segments {
            count: 0,
            names: [""; INLINE_SEGMENTS],
            ends: [0; INLINE_SEGMENTS],
            spilled: None,
        };
        let mut start = 0;
        while start <= text.len() {
            let rest = text.get(start..).unwrap_or_default();
            let end = crate::scan::find(rest, b'/').map_or(text.len(), |at| start + at);
            if end > start
                && let Some(name) = text.get(start..end)
            {
                segments.push(name, end);
            }
            start = end + 1;
        }
        segments
    }

    fn push(&mut self, name: &'s str, end: usize) {
        if let Some((names, ends)) = &mut self.spilled {
            names.push(name);
            ends.push(end);
            return;
        }
        if let (Some(slot), Some(end_slot)) = (
            self.names.get_mut(self.count),
            self.ends.get_mut(self.count),
        ) {
            *slot = name;
            *end_slot = end;
            self.count += 1;
            return;
        }
        let mut names = self.names.to_vec();
        let mut ends = self.ends.to_vec();
        names.push(name);
        ends.push(end);
        self.spilled = Some((names, ends));
    }

    fn ends(&self) -> &[usize] {
        match &self.spilled {
            Some((_, ends)) => ends,
            None => self.ends.get(..self.count).unwrap_or_default(),
        }
    }

    pub(crate) fn names(&self) -> &[&'s str] {
        match &self.spilled {
            Some((names, _)) => names,
            None => self.names.get(..self.count).unwrap_or_default(),
        }
    }

    /// The length of the prefix that keeps the first `kept` segments (`/` for none).
    pub(crate) fn prefix_len(&self, kept: usize) -> usize {
        kept.checked_sub(1)
            .and_then(|last| self.ends().get(last))
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

/// The most segments [`with_segments`] cuts without allocating: more than any scope Azure
/// writes (a blob container, the deepest, has twelve).
const INLINE_SEGMENTS: usize = 24;

/// Runs `read` on the segments of `lower` (a scope's text in lower case, without its leading
/// `/`) and of `raw` (the same text as written), cut at each `/` into buffers on the stack.
fn with_segments<T>(
    lower: &str,
    raw: &str,
    read: impl FnOnce(&[&str], &[&str]) -> Result<T, String>,
) -> Result<T, String> {
    let mut lower_inline = [""; INLINE_SEGMENTS];
    let mut raw_inline = [""; INLINE_SEGMENTS];
    let mut count = 0;
    let mut start = 0;
    // One pass over the bytes (`memchr` per segment costs more on segments this short); `/` is
    // ASCII, so every cut is on a character boundary of both texts, which differ only in
    // ASCII case.
    for (i, byte) in lower.bytes().chain(std::iter::once(b'/')).enumerate() {
        if byte != b'/' {
            continue;
        }
        let (Some(lower_slot), Some(raw_slot)) =
            (lower_inline.get_mut(count), raw_inline.get_mut(count))
        else {
            // Longer than any real scope: read it from the heap.
            let lower: Vec<&str> = lower.split('/').collect();
            let raw: Vec<&str> = raw.split('/').collect();
            return read(&lower, &raw);
        };
        *lower_slot = lower.get(start..i).unwrap_or_default();
        *raw_slot = raw.get(start..i).unwrap_or_default();
        count += 1;
        start = i + 1;
    }
    read(
        lower_inline.get(..count).unwrap_or_default(),
        raw_inline.get(..count).unwrap_or_default(),
    )
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
        // An extension resource of a group: a role assignment at a management group.
        [
            "providers",
            "microsoft.management",
            "managementgroups" | "servicegroups",
            _,
            rest @ ..,
        ] if rest.first() == Some(&"providers") => provider_part(rest),
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

/// Checks the names whose grammar Azure documents ([decision R19](crate::spec::decisions#decision-r19)):
/// a subscription's id, a resource group's and a management group's name, the GUID that names a
/// role assignment or definition. `lower` is the normalised text of `raw`, segment by segment.
fn names(lower: &[&str], raw: &[&str]) -> Result<(), String> {
    let at = |i: usize| raw.get(i).copied().unwrap_or_default();
    if let ["subscriptions", ..] = lower {
        segment::guid(at(1), "a subscription id")?;
    }
    if let ["subscriptions", _, "resourcegroups", ..] = lower {
        segment::resource_group(at(3))?;
    }
    if let ["providers", "microsoft.management", "managementgroups", ..] = lower {
        segment::management_group(at(3))?;
    }
    for (i, window) in lower.windows(3).enumerate() {
        if let [
            "providers",
            "microsoft.authorization",
            "roleassignments" | "roledefinitions",
        ] = window
        {
            let what = if window.get(2) == Some(&"roleassignments") {
                "a role assignment's name"
            } else {
                "a role definition's name"
            };
            segment::guid(at(i + 3), what)?;
        }
    }
    Ok(())
}

/// The text of the blob container a scope below it names, if it names one with something
/// below: `…/providers/Microsoft.Storage/storageAccounts/{a}/blobServices/{s}/containers/{c}`.
fn container_prefix(text: &str) -> Option<&str> {
    const PATTERN: [&str; 7] = [
        "providers",
        "microsoft.storage",
        "storageaccounts",
        "",
        "blobservices",
        "",
        "containers",
    ];
    let mut ends = Vec::new();
    let mut segments = Vec::new();
    for (i, byte) in text.bytes().enumerate().skip(1) {
        if byte == b'/' {
            ends.push(i);
        }
    }
    ends.push(text.len());
    let mut start = 1;
    for &end in &ends {
        segments.push(text.get(start..end)?);
        start = end + 1;
    }
    let found = segments.windows(PATTERN.len()).position(|window| {
        window
            .iter()
            .zip(PATTERN)
            .all(|(segment, want)| want.is_empty() || segment.eq_ignore_ascii_case(want))
    })?;
    // The container's name is the segment after `containers`; anything after it is the blob.
    let name = found + PATTERN.len();
    let below = segments.get(name + 1..)?;
    if below.iter().all(|s| s.is_empty()) {
        return None;
    }
    text.get(..*ends.get(name)?)
}
