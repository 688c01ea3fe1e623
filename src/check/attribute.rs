//! Attribute references: resolving them in the catalogue (unknown, wrong source, spelling,
//! deprecation, undeclared custom security attributes) and checking that they have a value
//! for every request their block targets.

use crate::catalog::{AttributeInfo, Form, Resolved, SourceInfo, Status};
use crate::diagnostic::{Code, Diagnostic, suggest};
use crate::span::Span;
use crate::syntax::attribute::KEY_MARKER;
use crate::syntax::{AttributeName, AttributeRef, AttributeSource};

use super::{Pass, Scope};

/// How many actions a message names before it says "and N more".
const NAMED_ACTIONS: usize = 3;

impl<'c> Pass<'_, 'c> {
    /// Resolves a reference and checks where it is used; returns the catalogue entry if the
    /// attribute is known (whatever its source), for type checks.
    pub(super) fn attribute_use(
        &mut self,
        attribute: &AttributeRef,
        span: Span,
        scope: &Scope,
    ) -> Option<Resolved<'c>> {
        let catalog = self.checker.catalog;
        let Some(resolved) = catalog.attribute(&attribute.name) else {
            self.unknown_attribute(attribute, span);
            return None;
        };
        let info = resolved.attribute;
        self.spelling(attribute, info, span);
        if resolved.via_family
            && info.entry.value_type.is_none()
            && self
                .undeclared
                .insert(attribute.name.to_string().to_ascii_lowercase())
        {
            self.push(
                Diagnostic::new(
                    Code::UndeclaredAttribute,
                    span,
                    format!("`{}` is not declared, so its type and values are not checked", attribute.name),
                )
                .with_help("declare your tenant's custom security attributes, with their types, in a catalogue file and pass it with `--catalog FILE`; Azure rejects conditions that name an attribute the tenant does not define"),
            );
        }
        match info.entry.status {
            Status::Deprecated => {
                let help = info
                    .entry
                    .replacement
                    .as_ref()
                    .map(|r| format!("write `{r}` instead"));
                self.push(
                    Diagnostic::new(
                        Code::Deprecated,
                        span,
                        format!(
                            "`@{}[{}]` is deprecated",
                            attribute.source.name(),
                            attribute.name
                        ),
                    )
                    .with_optional_help(help),
                );
            }
            Status::Ga | Status::Preview | Status::Undocumented => {}
        }
        match info.source(attribute.source) {
            Some(source) => self.availability(attribute, info, source, span, scope),
            None => self.wrong_source(attribute, info, span),
        }
        Some(resolved)
    }

    fn unknown_attribute(&mut self, attribute: &AttributeRef, span: Span) {
        let catalog = self.checker.catalog;
        let text = attribute.name.to_string();
        let help = if let AttributeName::Qualified {
            path,
            attribute: key,
        } = &attribute.name
            && catalog.dictionary(path).is_some()
        {
            Some(format!(
                "`{path}` is a dictionary looked up by key: write `{path}:{key}{KEY_MARKER}`"
            ))
        } else {
            let candidates: Vec<String> = catalog
                .attributes()
                .iter()
                .filter(|a| a.entry.form == form_of(&attribute.name))
                .map(|a| a.entry.name.clone())
                .collect();
            let lookup = match &attribute.name {
                AttributeName::Keyed { path, .. } | AttributeName::KeySet { path } => path.clone(),
                _ => text.clone(),
            };
            suggest::closest(&lookup, candidates.iter().map(String::as_str)).map(|name| {
                let fixed = match &attribute.name {
                    AttributeName::Keyed { key, .. } => format!("{name}:{key}{KEY_MARKER}"),
                    AttributeName::KeySet { .. } => {
                        format!("{name}{}", crate::syntax::attribute::KEYS_MARKER)
                    }
                    _ => name.to_owned(),
                };
                format!("did you mean `@{}[{fixed}]`?", attribute.source.name())
            })
        };
        self.push(
            Diagnostic::new(
                Code::UnknownAttribute,
                span,
                format!("`{text}` is not a known attribute"),
            )
            .with_help(help.unwrap_or_else(|| {
                "Azure rejects unknown attributes; declare your own (custom security attributes) in a catalogue file passed with `--catalog FILE`".to_owned()
            })),
        );
    }

    fn wrong_source(&mut self, attribute: &AttributeRef, info: &AttributeInfo, span: Span) {
        let sources: Vec<String> = info
            .sources
            .iter()
            .map(|s| format!("`@{}[{}]`", s.source.name(), attribute.name))
            .collect();
        self.push(
            Diagnostic::new(
                Code::WrongAttributeSource,
                span,
                format!(
                    "`{}` is not a `@{}` attribute",
                    attribute.name,
                    attribute.source.name()
                ),
            )
            .with_help(format!("Azure provides it as {}", sources.join(" or "))),
        );
    }

    fn spelling(&mut self, attribute: &AttributeRef, info: &AttributeInfo, span: Span) {
        // What the entry names: a family or a dictionary by its path, anything else whole.
        let path = match (&attribute.name, info.entry.form) {
            (AttributeName::Qualified { path, .. }, Form::Family)
            | (AttributeName::Keyed { path, .. } | AttributeName::KeySet { path }, _) => {
                Some(path.as_str())
            }
            _ => None,
        };
        let documented = match path {
            Some(path) => path == info.entry.name,
            None => attribute.name.is_written(&info.entry.name),
        };
        if !documented {
            let written = path.map_or_else(|| attribute.name.to_string(), str::to_owned);
            self.push(
                Diagnostic::new(
                    Code::NonCanonicalSpelling,
                    span,
                    format!("`{written}` is documented as `{}`", info.entry.name),
                )
                .with_help("attribute names match ignoring case, but the documented spelling is easier to search for"),
            );
        }
    }

    /// Checks that the attribute has a value, from this source, for every request the scope
    /// targets.
    fn availability(
        &mut self,
        attribute: &AttributeRef,
        info: &AttributeInfo,
        source: &SourceInfo,
        span: Span,
        scope: &Scope,
    ) {
        let catalog = self.checker.catalog;
        if !scope.gated || scope.targets.others {
            if !scope.gated {
                self.block_ungated = true;
            }
            let Some(role) = &self.checker.role else {
                return;
            };
            let relevant = scope.targets.known.intersection(&role.granted);
            let missing = relevant.difference(&source.operations);
            if !missing.is_empty() {
                let role_name = role.definition.role_name.clone();
                self.push(
                    Diagnostic::new(
                        Code::UnavailableForGrantedAction,
                        span,
                        format!(
                            "`@{}[{}]` has no value for {}, which the role `{role_name}` grants, so this comparison is false for it",
                            attribute.source.name(),
                            attribute.name,
                            self.describe(&missing)
                        ),
                    )
                    .with_help("guard the block with `!(ActionMatches{'<action>'}) OR (…)` so it applies only to the actions that provide the attribute"),
                );
            }
            return;
        }
        let missing = scope.targets.known.difference(&source.operations);
        if missing.is_empty() {
            return;
        }
        // Since May 2022 `…/blobs/read` also covers List Blobs; a guard on the bare action
        // (the older "read a blob" target) now sweeps List Blobs in, which lacks most
        // attributes.
        let blob_reads = self.checker.blob_reads();
        let only_listing = missing.difference(&blob_reads.list).is_empty();
        let targets_plain_read = !scope
            .targets
            .known
            .intersection(&blob_reads.plain)
            .is_empty();
        if only_listing && targets_plain_read {
            let guard_span = scope
                .actions
                .iter()
                .find(|&&(id, _)| {
                    self.patterns
                        .pattern(id)
                        .is_some_and(|p| p.matches(super::BLOB_READ))
                })
                .map_or(span, |(_, s)| *s);
            self.push(
                Diagnostic::new(
                    Code::Deprecated,
                    guard_span,
                    format!(
                        "this targets every blob read, List Blobs included, which has no `{}`: the pre-2022 \"read a blob\" target",
                        attribute.name
                    ),
                )
                .with_label(span, "so this is false for List Blobs requests")
                .with_help("since May 2022 write the target as `!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'} AND NOT SubOperationMatches{'Blob.List'})`"),
            );
            return;
        }
        let mut diagnostic = Diagnostic::new(
            Code::AttributeNotAvailable,
            span,
            format!(
                "`@{}[{}]` has no value for {}, which this block targets",
                attribute.source.name(),
                attribute.name,
                self.describe(&missing)
            ),
        );
        for &(id, action_span) in &scope.actions {
            let Some(pattern) = self.patterns.pattern(id) else {
                continue;
            };
            let covers = missing.iter().any(|op| {
                catalog
                    .action_of(op)
                    .is_some_and(|a| pattern.matches(&a.name))
            });
            if covers {
                diagnostic = diagnostic.with_label(action_span, "targeted here");
            }
        }
        let other = info
            .sources
            .iter()
            .find(|s| s.source != attribute.source && missing.difference(&s.operations).is_empty());
        let help = match other {
            Some(other) => format!(
                "for those requests Azure provides `@{}[{}]`; give them a block of their own",
                other.source.name(),
                attribute.name
            ),
            None => "Azure evaluates the comparison as false for those requests; target only requests that carry the attribute, or split the block".to_owned(),
        };
        self.push(diagnostic.with_help(help));
    }

    /// Names the requests of a set, for messages: an action when all its requests are in
    /// the set, otherwise each request; at most three, then "and N more".
    fn describe(&self, operations: &crate::catalog::OpSet) -> String {
        let catalog = self.checker.catalog;
        let mut named: Vec<String> = Vec::new();
        let mut seen_actions = Vec::new();
        for op in operations.iter() {
            let Some(action) = catalog.operations().get(op).map(|o| o.action) else {
                continue;
            };
            let whole = catalog
                .operations()
                .iter()
                .enumerate()
                .filter(|(_, o)| o.action == action)
                .all(|(index, _)| operations.contains(index));
            if !whole {
                named.push(catalog.describe(op));
            } else if !seen_actions.contains(&action) {
                seen_actions.push(action);
                named.push(format!(
                    "`{}`",
                    catalog
                        .actions()
                        .get(action)
                        .map_or("", |a| a.name.as_str())
                ));
            }
        }
        let more = named.len().saturating_sub(NAMED_ACTIONS);
        named.truncate(NAMED_ACTIONS);
        if more > 0 {
            named.push(format!("{more} more"));
        }
        match named.len() {
            0 | 1 => named.concat(),
            _ => {
                let last = named.pop().unwrap_or_default();
                format!("{} and {last}", named.join(", "))
            }
        }
    }
}

fn form_of(name: &AttributeName) -> Form {
    match name {
        AttributeName::Keyed { .. } => Form::Keyed,
        AttributeName::KeySet { .. } => Form::KeySet,
        AttributeName::Qualified { .. } | AttributeName::Name(_) | AttributeName::Path(_) => {
            Form::Exact
        }
    }
}

/// Whether the attribute is read from the request (for the vacuous-`ForAll` lint).
pub(super) fn is_request(attribute: &AttributeRef) -> bool {
    attribute.source == AttributeSource::Request
}
