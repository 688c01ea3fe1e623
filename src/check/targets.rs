//! Which requests a condition block applies to. A block `!(ActionMatches{'A'} AND …) OR (E)`
//! evaluates `E` only for requests its guard targets; the guard is evaluated symbolically over
//! the catalogue's operations (action × suboperation) as a set.

use crate::catalog::ActionPattern;
use crate::catalog::{Catalog, OpSet};
use crate::span::Span;
use crate::syntax::{
    AttributeName, AttributeSource, BaseOperator, Comparison, Expr, ExprKind, Literal, OperandKind,
    Quantifier,
};

/// A set of requests: the catalogue's operations it includes, and whether it also includes
/// actions the catalogue does not know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Targets {
    /// Known operations in the set.
    pub known: OpSet,
    /// Whether actions outside the catalogue are in the set too.
    pub others: bool,
}

impl Targets {
    /// Every request.
    pub fn everything(catalog: &Catalog) -> Targets {
        Targets {
            known: catalog.no_operations().complement(),
            others: true,
        }
    }

    /// The requests not in the set.
    pub fn not(&self) -> Targets {
        Targets {
            known: self.known.complement(),
            others: !self.others,
        }
    }

    /// The requests in both sets.
    pub fn and(&self, other: &Targets) -> Targets {
        Targets {
            known: self.known.intersection(&other.known),
            others: self.others && other.others,
        }
    }

    /// The requests in either set.
    pub fn or(&self, other: &Targets) -> Targets {
        Targets {
            known: self.known.union(&other.known),
            others: self.others || other.others,
        }
    }
}

/// What a guard expression targets, with the spans of its `ActionMatches` for messages.
#[derive(Clone, Debug)]
pub struct Guard {
    /// The requests for which the guarded block's body is evaluated.
    pub targets: Targets,
    /// The `ActionMatches` patterns of the guard.
    pub actions: Vec<(PatternId, Span)>,
}

/// An action pattern of one condition: its place in the condition's [`PatternCache`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PatternId(usize);

/// The action patterns seen in one condition, each compiled and resolved against the
/// catalogue once, however often the condition repeats it.
#[derive(Debug, Default)]
pub struct PatternCache {
    entries: Vec<(ActionPattern, OpSet)>,
}

impl PatternCache {
    /// The pattern written as `text`.
    pub fn intern(&mut self, catalog: &Catalog, text: &str) -> PatternId {
        if let Some(found) = self.entries.iter().position(|(p, _)| p.as_str() == text) {
            return PatternId(found);
        }
        let pattern = ActionPattern::new(text);
        let operations = catalog.operations_of(&pattern);
        self.entries.push((pattern, operations));
        PatternId(self.entries.len() - 1)
    }

    /// The compiled pattern.
    pub fn pattern(&self, id: PatternId) -> Option<&ActionPattern> {
        self.entries.get(id.0).map(|(pattern, _)| pattern)
    }

    /// The catalogue operations whose action the pattern matches.
    pub fn operations(&self, id: PatternId) -> Option<&OpSet> {
        self.entries.get(id.0).map(|(_, operations)| operations)
    }
}

/// The requests for which `expr` is true, if it reads nothing but the action and the
/// suboperations (`ActionMatches`, `SubOperationMatches`, the legacy `@Request[subOperation]`
/// comparison, and NOT/AND/OR of those).
pub fn evaluate(
    catalog: &Catalog,
    cache: &mut PatternCache,
    expr: &Expr,
    actions: &mut Vec<(PatternId, Span)>,
) -> Option<Targets> {
    match &expr.node {
        ExprKind::ActionMatches(pattern) => {
            let id = cache.intern(catalog, &pattern.node.value());
            let known = cache.operations(id)?.clone();
            let others = cache.pattern(id)?.is_wildcard() || known.is_empty();
            actions.push((id, pattern.span));
            Some(Targets { known, others })
        }
        ExprKind::SubOperationMatches(name) => {
            Some(suboperations(catalog, &[name.node.value().as_ref()]))
        }
        ExprKind::Comparison(comparison) => {
            let names = legacy_suboperation_names(comparison)?;
            let names: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
            Some(suboperations(catalog, &names))
        }
        ExprKind::Not(inner) => Some(evaluate(catalog, cache, inner, actions)?.not()),
        ExprKind::And(items) | ExprKind::Or(items) => {
            let is_and = matches!(expr.node, ExprKind::And(_));
            let mut result: Option<Targets> = None;
            for item in items {
                let targets = evaluate(catalog, cache, item, actions)?;
                result = Some(match result {
                    None => targets,
                    Some(so_far) if is_and => so_far.and(&targets),
                    Some(so_far) => so_far.or(&targets),
                });
            }
            result
        }
        ExprKind::Exists(_) | ExprKind::Constant(_) | ExprKind::Error => None,
    }
}

fn suboperations(catalog: &Catalog, names: &[&str]) -> Targets {
    let mut known = catalog.no_operations();
    for name in names {
        if let Some(set) = catalog.operations_with_suboperation(name) {
            known = known.union(&set);
        }
    }
    Targets {
        known,
        others: false,
    }
}

/// The names in `@Request[subOperation] ForAnyOfAnyValues:StringEqualsIgnoreCase {…}`, the 2021
/// preview spelling of `SubOperationMatches` ([decision 25](crate::spec::decisions#decision-25)).
pub fn legacy_suboperation_names(
    comparison: &Comparison,
) -> Option<Vec<std::borrow::Cow<'_, str>>> {
    let OperandKind::Attribute(attribute) = &comparison.left.node else {
        return None;
    };
    let is_legacy = attribute.source == AttributeSource::Request
        && matches!(&attribute.name, AttributeName::Name(name) if name.eq_ignore_ascii_case("subOperation"));
    let operator = comparison.operator.node;
    let is_equality = matches!(
        operator.base,
        BaseOperator::StringEquals | BaseOperator::StringEqualsIgnoreCase
    ) && matches!(operator.quantifier, Some(Quantifier::ForAnyOfAnyValues));
    if !is_legacy || !is_equality {
        return None;
    }
    fn strings(literal: &Literal) -> Option<std::borrow::Cow<'_, str>> {
        match literal {
            Literal::String(s) => Some(s.value()),
            _ => None,
        }
    }
    match &comparison.right.node {
        OperandKind::Literal(literal) => Some(vec![strings(literal)?]),
        OperandKind::Set(items) => items.iter().map(|item| strings(&item.node)).collect(),
        OperandKind::Attribute(_) => None,
    }
}
