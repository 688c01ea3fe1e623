//! Conditions with values only a deployment knows: the text a host reader found, with a
//! placeholder where each such value goes, so that the condition can be checked around them
//! ([`crate::check::Checker::check_source_with_unknowns`] says which placements it accepts).
//!
//! Inside a string literal (`'${var.container}'`) the placeholder is `_`; elsewhere it is the
//! nil GUID, which is what a value written bare in a condition is in practice (`{${local.ids}}`,
//! `GuidEquals ${var.role}`). A placeholder anywhere else makes the checker refuse, so the
//! guess of a GUID can only ever make a condition not checkable, never pass.

use super::embedded::Embedded;
use super::place::{Hole, Place};
use crate::span::Span;

/// What stands in for a value inside a string literal.
const IN_STRING: &str = "_";
/// What stands in for a value written bare.
const BARE: &str = "00000000-0000-0000-0000-000000000000";

/// A condition's text with a placeholder for each value only a deployment knows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filled {
    /// The text with the placeholders, and its map into the file (each placeholder's bytes
    /// point at the expression it stands for).
    pub embedded: Embedded,
    /// Where the placeholders are in the text.
    pub unknown: Vec<Span>,
    /// The expressions they stand for, as written, each once.
    pub sources: Vec<String>,
}

/// A found condition's text (`source`, at `place`) with its holes filled; `None` when it has
/// none, or when it depends on something that is not a hole in its text (a `%{}` directive, a
/// loop's instances), which leaves it not checkable.
///
/// ```
/// use std::collections::BTreeMap;
/// use std::path::PathBuf;
///
/// use azabac::input::holes::fill;
/// use azabac::input::{Item, read};
///
/// let text = r#"
/// resource "azurerm_role_assignment" "a" {
///   principal_id         = var.principal
///   principal_type       = "User"
///   role_definition_name = "Storage Blob Data Reader"
///   scope                = var.scope
///   condition_version    = "2.0"
///   condition            = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals '${var.container}'"
/// }
/// "#;
/// let files = BTreeMap::from([(PathBuf::from("main.tf"), text)]);
/// let read = read(&[PathBuf::from("main.tf")], &files);
/// let Some(Item::Found(located)) = read.items.first() else {
///     panic!("one condition: {:?}", read.items)
/// };
/// let found = &located.found;
/// assert_eq!(found.place.unresolved, ["var.container"]);
/// let filled = fill(&found.embedded, &found.place).unwrap();
/// assert!(filled.embedded.text.ends_with("StringEquals '_'"));
/// assert_eq!(filled.sources, ["var.container"]);
/// ```
pub fn fill(source: &Embedded, place: &Place) -> Option<Filled> {
    if place.holes.is_empty()
        || !place
            .unresolved
            .iter()
            .all(|u| place.holes.iter().any(|h| &h.source == u))
    {
        return None;
    }
    let strings = crate::syntax::token::string_literals(&source.text);
    let offsets = |range: std::ops::Range<usize>| range.map(|at| source.document_offset(at));
    let mut holes: Vec<&Hole> = place.holes.iter().collect();
    holes.sort_by_key(|h| h.at);
    let mut text = String::with_capacity(source.text.len() + holes.len() * BARE.len());
    let mut map = Vec::with_capacity(source.text.len() + 1 + holes.len() * BARE.len());
    let mut unknown = Vec::with_capacity(holes.len());
    let mut copied = 0;
    for hole in holes {
        let part = source.text.get(copied..hole.at)?;
        text.push_str(part);
        map.extend(offsets(copied..hole.at));
        copied = hole.at;
        let quoted = strings.iter().any(|s| s.start < hole.at && hole.at < s.end);
        let placeholder = if quoted { IN_STRING } else { BARE };
        unknown.push(Span::new(text.len(), text.len() + placeholder.len()));
        text.push_str(placeholder);
        map.extend(std::iter::repeat_n(hole.offset, placeholder.len()));
    }
    text.push_str(source.text.get(copied..)?);
    map.extend(offsets(copied..source.text.len() + 1));
    let mut sources: Vec<String> = Vec::new();
    for hole in &place.holes {
        if !sources.contains(&hole.source) {
            sources.push(hole.source.clone());
        }
    }
    Some(Filled {
        embedded: Embedded::new(source.path.clone(), text, map),
        unknown,
        sources,
    })
}
