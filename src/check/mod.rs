//! The checker: validates a parsed condition against the attribute catalogue (and optionally a
//! role definition), returning every diagnostic it finds.
//!
//! ```text
//! Expr ─blocks─▶ guard targets (targets.rs) ─walk─▶ attribute uses (attribute.rs)
//!                                                 ─▶ comparisons (comparison.rs) ─▶ Diagnostics
//! ```
//!
//! ```
//! use azabac::catalog::Catalog;
//! use azabac::check::Checker;
//! use azabac::diagnostic::{Code, has_errors};
//!
//! let checker = Checker::new(Catalog::builtin());
//! let diagnostics = checker.check_source(
//!     "!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'}) OR \
//!      @Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] GuidEquals 8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
//! );
//! // Azure evaluates the request attribute as false for a delete: a warning (decision 28).
//! assert!(!has_errors(&diagnostics));
//! assert_eq!(diagnostics[0].code, Code::AttributeNotAvailable);
//! ```

mod actions;
mod attribute;
mod comparison;
mod lints;
mod targets;
mod unknown;

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::catalog::{ActionPattern, RoleDefinition};
use crate::catalog::{Catalog, OpSet};
use crate::diagnostic::{Code, Collector, Diagnostic};
use crate::limits::{MAX_DIAGNOSTICS, OLD_LENGTH_LIMIT};
use crate::span::Span;
use crate::syntax::{self, Expr, ExprKind};
use targets::{Guard, PatternCache, PatternId, Targets};

/// Checks conditions against a catalogue and, optionally, the role they are attached to.
/// Build it once and check many conditions with it.
#[derive(Clone, Debug)]
pub struct Checker<'c> {
    catalog: &'c Catalog,
    role: Option<Role<'c>>,
    /// `…/blobs/read` requests with no suboperation, and List Blobs requests: the two halves
    /// of the pre-2022 "read a blob" target. Computed the first time a finding needs them,
    /// so that checking conditions which never reach that finding costs nothing for them.
    blob_reads: OnceLock<BlobReads>,
    /// The literals whose values only a deployment knows ([`Checker::check_source_with_unknowns`]):
    /// what depends on their values is not checked.
    unknown: Vec<Span>,
}

#[derive(Clone, Debug)]
struct BlobReads {
    plain: OpSet,
    list: OpSet,
}

#[derive(Clone, Debug)]
struct Role<'c> {
    definition: &'c RoleDefinition,
    /// The catalogue operations whose action the role grants.
    granted: OpSet,
}

const BLOB_READ: &str = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read";
const BLOB_LIST: &str = "Blob.List";

impl<'c> Checker<'c> {
    /// A checker for conditions whose role is not known.
    pub fn new(catalog: &'c Catalog) -> Self {
        Checker {
            catalog,
            role: None,
            blob_reads: OnceLock::new(),
            unknown: Vec::new(),
        }
    }

    fn blob_reads(&self) -> &BlobReads {
        self.blob_reads.get_or_init(|| {
            let catalog = self.catalog;
            let read = catalog.operations_of(&ActionPattern::new(BLOB_READ));
            let list = catalog
                .operations_with_suboperation(BLOB_LIST)
                .unwrap_or_else(|| catalog.no_operations());
            let mut plain = catalog.no_operations();
            for index in read.iter() {
                if catalog
                    .operations()
                    .get(index)
                    .is_some_and(|op| op.suboperation.is_none())
                {
                    plain.insert(index);
                }
            }
            BlobReads { plain, list }
        })
    }

    /// Also checks conditions against what `role` grants.
    pub fn with_role(mut self, role: &'c RoleDefinition) -> Self {
        let mut granted = self.catalog.no_operations();
        for (index, op) in self.catalog.operations().iter().enumerate() {
            if let Some(action) = self.catalog.actions().get(op.action)
                && role.grants(&action.name, action.data_action)
            {
                granted.insert(index);
            }
        }
        self.role = Some(Role {
            definition: role,
            granted,
        });
        self
    }

    /// The catalogue it checks against.
    pub fn catalog(&self) -> &'c Catalog {
        self.catalog
    }

    /// The role it checks for, if one was given.
    pub fn role(&self) -> Option<&'c RoleDefinition> {
        self.role.as_ref().map(|role| role.definition)
    }

    /// Parses and checks a condition: the syntax diagnostics, then (if the syntax is valid)
    /// the checker's, at most [`MAX_DIAGNOSTICS`] in all.
    pub fn check_source(&self, source: &str) -> Vec<Diagnostic> {
        let parsed = syntax::parse(source);
        // INVARIANT: the front end already capped its own diagnostics; the checker runs only
        // on a valid tree, and only then are the two lists merged and capped together.
        let Some(condition) = parsed.valid_condition() else {
            return parsed.diagnostics;
        };
        let checked = self.check(condition, source);
        merge(parsed.diagnostics, checked)
    }

    /// Checks a parsed condition whose text is `source`.
    pub fn check(&self, condition: &Expr, source: &str) -> Vec<Diagnostic> {
        let mut pass = Pass {
            checker: self,
            diagnostics: Vec::new(),
            guards: Vec::new(),
            warned: HashSet::new(),
            undeclared: HashSet::new(),
            patterns: PatternCache::default(),
            block_ungated: false,
            spare_actions: Vec::new(),
            spare_body: Vec::new(),
        };
        let blocks = match &condition.node {
            ExprKind::And(items) => items.as_slice(),
            _ => std::slice::from_ref(condition),
        };
        let everything = Scope {
            targets: Targets::everything(self.catalog),
            gated: false,
            actions: Vec::new(),
        };
        let mut ungated = Vec::new();
        for block in blocks {
            pass.block_ungated = false;
            pass.walk(block, &everything);
            if pass.block_ungated {
                ungated.push(block.span);
            }
        }
        pass.report_ungated(&ungated, blocks.len(), condition.span);
        pass.report_bypasses();
        if ungated.is_empty() {
            pass.report_unrestricted_delegation(condition.span);
        }
        if source.len() > OLD_LENGTH_LIMIT {
            let start = crate::span::floor_char_boundary(source, OLD_LENGTH_LIMIT);
            pass.push(
                Diagnostic::new(
                    Code::OverOldLengthLimit,
                    Span::new(start, source.len()),
                    format!(
                        "the condition is {} bytes, over the 4096 that Azure allowed before 2023",
                        source.len()
                    ),
                )
                .with_help("Azure now accepts up to 8192 bytes; older tools and clouds may still reject this"),
            );
        }
        pass.diagnostics
    }
}

/// The front end's diagnostics and the checker's, in source order, capped at
/// [`MAX_DIAGNOSTICS`].
fn merge(syntax: Vec<Diagnostic>, checked: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if checked.is_empty() {
        return syntax;
    }
    let mut collector = Collector::new(MAX_DIAGNOSTICS);
    let mut all = syntax;
    all.extend(checked);
    all.sort_by_key(|d| (d.span.start, d.span.end));
    for diagnostic in all {
        collector.push(diagnostic);
    }
    collector.finish()
}

/// The requests a part of a condition is evaluated for.
#[derive(Clone, Debug)]
struct Scope {
    targets: Targets,
    /// Whether some guard narrowed the scope (an ungated scope applies to every action).
    gated: bool,
    /// The `ActionMatches` of the guards that narrowed it.
    actions: Vec<(PatternId, Span)>,
}

/// One run of the checker over one condition.
struct Pass<'p, 'c> {
    checker: &'p Checker<'c>,
    diagnostics: Vec<Diagnostic>,
    guards: Vec<Guard>,
    /// (code, span) pairs already reported, so a construct is reported once.
    warned: HashSet<(Code, Span)>,
    /// Undeclared attributes already reported (once per name, at the first use).
    undeclared: HashSet<String>,
    patterns: PatternCache,
    block_ungated: bool,
    /// Lists a finished block gives back for the next one to reuse (a condition is mostly
    /// a few blocks side by side), so that walking them allocates once.
    spare_actions: Vec<(PatternId, Span)>,
    spare_body: Vec<usize>,
}

impl Pass<'_, '_> {
    fn catalog(&self) -> &Catalog {
        self.checker.catalog
    }

    fn push(&mut self, diagnostic: Diagnostic) {
        if self.warned.insert((diagnostic.code, diagnostic.span)) {
            self.diagnostics.push(diagnostic);
        }
    }

    fn walk(&mut self, expr: &Expr, scope: &Scope) {
        match &expr.node {
            ExprKind::And(items) => {
                for item in items {
                    self.walk(item, scope);
                }
            }
            ExprKind::Or(items) => self.walk_or(items, scope),
            ExprKind::Not(inner) => self.walk(inner, scope),
            ExprKind::ActionMatches(_) | ExprKind::SubOperationMatches(_) => {
                self.validate_targets(expr, scope);
            }
            ExprKind::Exists(attribute) => {
                self.attribute_use(&attribute.node, attribute.span, scope);
            }
            ExprKind::Comparison(comparison) => self.comparison(comparison, scope),
            ExprKind::Constant(_) | ExprKind::Error => {}
        }
    }

    /// A block: disjuncts that only read the action are its guard; the rest are evaluated
    /// only for the requests the guard lets through (those it does not match).
    fn walk_or(&mut self, items: &[Expr], scope: &Scope) {
        let mut guard: Option<Targets> = None;
        let mut actions = std::mem::take(&mut self.spare_actions);
        actions.clear();
        let mut body = std::mem::take(&mut self.spare_body);
        body.clear();
        for (index, item) in items.iter().enumerate() {
            let before = actions.len();
            match targets::evaluate(self.checker.catalog, &mut self.patterns, item, &mut actions) {
                Some(matched) => {
                    // A guard reads only the action and suboperations; the legacy
                    // `@Request[subOperation]` in it does not make the block ungated.
                    let ungated = self.block_ungated;
                    self.validate_targets(item, scope);
                    self.block_ungated = ungated;
                    guard = Some(match guard {
                        Some(so_far) => so_far.or(&matched),
                        None => matched,
                    });
                }
                None => {
                    // Not a guard: the patterns it read do not target anything.
                    actions.truncate(before);
                    body.push(index);
                }
            }
        }
        if !body.is_empty() {
            for (index, item) in items.iter().enumerate() {
                if !body.contains(&index) {
                    self.guard_without_not(item);
                }
            }
        }
        let Some(guard) = guard.filter(|_| !body.is_empty()) else {
            for &index in &body {
                if let Some(item) = items.get(index) {
                    self.walk(item, scope);
                }
            }
            self.spare_actions = actions;
            self.spare_body = body;
            return;
        };
        // The body runs when every guard disjunct is false: for the requests the guards
        // do not match.
        let narrowed = Scope {
            targets: scope.targets.and(&guard.not()),
            gated: true,
            actions,
        };
        let all_known = narrowed.actions.iter().all(|&(id, _)| {
            self.patterns
                .operations(id)
                .is_some_and(|known| !known.is_empty())
        });
        if narrowed.targets.known.is_empty()
            && !narrowed.targets.others
            && all_known
            && let (Some(first), Some(last)) = (items.first(), items.last())
        {
            const HELP: &str = "a suboperation can only narrow an action whose requests carry it; \
                 check the `ActionMatches` and `SubOperationMatches` pairs";
            self.push(
                Diagnostic::new(
                    Code::ConstantComparison,
                    first.span.to(last.span),
                    "this block is always true: its guard lets no request through to the rest",
                )
                .with_help(HELP),
            );
        }
        // Guards serve only the bypass findings, which need a role.
        if self.checker.role.is_some() {
            self.guards.push(Guard {
                targets: narrowed.targets.clone(),
                actions: narrowed.actions.clone(),
            });
        }
        for &index in &body {
            if let Some(item) = items.get(index) {
                self.walk(item, &narrowed);
            }
        }
        self.spare_actions = narrowed.actions;
        self.spare_body = body;
    }

    /// A disjunct that is `ActionMatches{…}` itself (perhaps with `SubOperationMatches`), not
    /// `!(ActionMatches{…})`: the block is then true for that action whatever the rest says,
    /// the documented guard turned inside out.
    fn guard_without_not(&mut self, item: &Expr) {
        let first = match &item.node {
            ExprKind::And(parts) => parts.first(),
            _ => Some(item),
        };
        let Some(Expr {
            node: ExprKind::ActionMatches(pattern),
            ..
        }) = first
        else {
            return;
        };
        let action = pattern.node.value();
        self.push(
            Diagnostic::new(
                Code::GuardWithoutNot,
                item.span,
                format!(
                    "without `!`, this makes the block true for `{action}`: the rest of the block \
                     restricts every other action and leaves this one unrestricted"
                ),
            )
            .with_help(format!(
                "to restrict `{action}`, guard it as the docs do: `!(ActionMatches{{'{action}'}})`"
            )),
        );
    }

    /// Checks the `ActionMatches` and `SubOperationMatches` of a guard (or any expression).
    fn validate_targets(&mut self, expr: &Expr, scope: &Scope) {
        match &expr.node {
            ExprKind::ActionMatches(pattern) => {
                let id = self
                    .patterns
                    .intern(self.checker.catalog, &pattern.node.value());
                self.action_pattern(id, pattern.span);
            }
            ExprKind::SubOperationMatches(name) => {
                let text = name.node.value();
                self.suboperation(&text, name.span);
            }
            ExprKind::Comparison(comparison) => self.comparison(comparison, scope),
            ExprKind::Not(inner) => self.validate_targets(inner, scope),
            ExprKind::And(items) | ExprKind::Or(items) => {
                for item in items {
                    self.validate_targets(item, scope);
                }
            }
            ExprKind::Exists(_) | ExprKind::Constant(_) | ExprKind::Error => {}
        }
    }
}

#[cfg(test)]
mod tests;
