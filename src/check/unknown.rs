//! Conditions some of whose values only a deployment knows: a Terraform `'${var.container}'`,
//! a Bicep `{${roleSet}}`. The host reader leaves a placeholder where each such value goes;
//! the condition is checked around them, as long as each sits inside one string or GUID
//! literal that the checks can leave open. Anything that depends on such a literal's value
//! (its type, its GUID shape, how it compares with its neighbours in a set) is not checked;
//! everything else is (the structure, attributes, operators, guards, the role-aware checks).
//!
//! A placeholder anywhere else (an attribute name, an operator, a whole expression, or the
//! action or suboperation a guard names, which the guard analysis reads) leaves the condition
//! not checkable, as does a syntax finding that touches one.

use super::targets::legacy_suboperation_names;
use super::{Checker, merge};
use crate::diagnostic::{Code, Diagnostic};
use crate::limits::{MAX_CONDITION_BYTES, OLD_LENGTH_LIMIT};
use crate::span::Span;
use crate::syntax::{self, Expr, ExprKind, OperandKind};

impl Checker<'_> {
    /// Parses and checks `source`, in which each of `unknown` (byte ranges) is a placeholder
    /// for a value known only at deployment. `None` when a placeholder is not inside a string
    /// or GUID literal that can be left open (see the module's documentation): the condition
    /// cannot be checked without the values.
    ///
    /// ```
    /// use azabac::catalog::Catalog;
    /// use azabac::check::Checker;
    /// use azabac::span::Span;
    ///
    /// let checker = Checker::new(Catalog::builtin());
    /// let source = "!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'}) \
    ///               OR @Environment[UtcNow] DateTimeLessThan '_'";
    /// let at = source.find('_').unwrap();
    /// // `'_'` is no date, but it stands for one that is known only at deployment.
    /// let found = checker.check_source_with_unknowns(source, &[Span::new(at, at + 1)]);
    /// assert_eq!(found, Some(Vec::new()));
    /// // An attribute name is not a value that can be left open.
    /// let at = source.find("UtcNow").unwrap();
    /// assert_eq!(checker.check_source_with_unknowns(source, &[Span::new(at, at + 6)]), None);
    /// ```
    pub fn check_source_with_unknowns(
        &self,
        source: &str,
        unknown: &[Span],
    ) -> Option<Vec<Diagnostic>> {
        if unknown.is_empty() {
            return Some(self.check_source(source));
        }
        let touches = |span: Span| unknown.iter().any(|u| overlaps(span, *u));
        // What the placeholders add, which the length limits must not count.
        let known_length = source
            .len()
            .saturating_sub(unknown.iter().map(|u| u.len()).sum::<usize>());
        let parsed = syntax::parse(source);
        let length_only = |d: &Diagnostic| d.code == Code::ConditionTooLong;
        if parsed
            .diagnostics
            .iter()
            .any(|d| touches(d.span) || (length_only(d) && known_length <= MAX_CONDITION_BYTES))
        {
            return None;
        }
        let Some(condition) = parsed.valid_condition() else {
            return Some(parsed.diagnostics);
        };
        let mut open = Vec::new();
        collect_open_literals(condition, &mut open);
        let mut literals = Vec::new();
        for hole in unknown {
            let literal = open
                .iter()
                .find(|literal| literal.start() <= hole.start() && hole.end() <= literal.end())?;
            literals.push(*literal);
        }
        let checker = Checker {
            unknown: literals,
            ..self.clone()
        };
        let checked = checker
            .check(condition, source)
            .into_iter()
            .filter(|d| !(d.code == Code::OverOldLengthLimit && known_length <= OLD_LENGTH_LIMIT))
            .collect();
        Some(merge(parsed.diagnostics, checked))
    }

    /// Whether the literal at `span` holds a value known only at deployment.
    pub(super) fn is_unknown(&self, span: Span) -> bool {
        self.unknown
            .iter()
            .any(|u| u.start() >= span.start() && u.end() <= span.end())
    }
}

fn overlaps(a: Span, b: Span) -> bool {
    a.start() < b.end() && b.start() < a.end()
        || (a.is_empty() && b.start() <= a.start() && a.start() <= b.end())
}

/// The spans of the literals a value can be left open in: the literal right operands of
/// comparisons and their sets' items, but for the legacy `@Request[subOperation]` names,
/// which are guards.
fn collect_open_literals(expr: &Expr, out: &mut Vec<Span>) {
    match &expr.node {
        ExprKind::Or(items) | ExprKind::And(items) => {
            for item in items {
                collect_open_literals(item, out);
            }
        }
        ExprKind::Not(inner) => collect_open_literals(inner, out),
        ExprKind::Comparison(comparison) => {
            if legacy_suboperation_names(comparison).is_some() {
                return;
            }
            // The right side only: a value on the left, where an attribute goes, is more
            // likely an attribute reference than a literal.
            let operand = &comparison.right;
            match &operand.node {
                OperandKind::Literal(_) => out.push(operand.span),
                OperandKind::Set(items) => out.extend(items.iter().map(|item| item.span)),
                OperandKind::Attribute(_) => {}
            }
        }
        ExprKind::ActionMatches(_)
        | ExprKind::SubOperationMatches(_)
        | ExprKind::Exists(_)
        | ExprKind::Constant(_)
        | ExprKind::Error => {}
    }
}
