//! The reference evaluator: a direct reading of
//! [LANGUAGE.md §8.9](crate::spec::language#section-8-9) and the decisions over the syntax tree,
//! written to be obviously right rather than fast. It is the oracle the bytecode VM is tested
//! against, so it shares nothing with the VM beyond the request lookup and the typing of literals:
//! its wildcard matching is a dynamic programme, its quantifiers are iterator formulas, and it
//! folds case at each comparison.

use super::value::{Value, fold};
use super::{ErrorKind, EvalError, Request, literal_value};
use crate::syntax::{Comparison, Expr, ExprKind, OperandKind, OperatorFamily, Relation};

/// Evaluates a condition (a tree with no syntax errors) against a request.
///
/// Evaluation is left to right and stops at the first operand that decides an `AND` or `OR`;
/// an error (a value of the wrong type, a list compared without a quantifier) ends it, and
/// the condition is then false.
pub fn evaluate(condition: &Expr, request: &Request) -> Result<bool, EvalError> {
    match &condition.node {
        ExprKind::Or(items) => {
            for item in items {
                if evaluate(item, request)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        ExprKind::And(items) => {
            for item in items {
                if !evaluate(item, request)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        ExprKind::Not(inner) => Ok(!evaluate(inner, request)?),
        ExprKind::ActionMatches(pattern) => {
            Ok(action_matches(&pattern.node.value(), request.action()))
        }
        ExprKind::SubOperationMatches(name) => {
            let name = name.node.value();
            Ok(request
                .suboperations()
                .iter()
                .any(|s| matches!(s, Value::String(s) if s.as_str().eq_ignore_ascii_case(&name))))
        }
        ExprKind::Exists(attribute) => Ok(request.attribute(&attribute.node).is_some()),
        ExprKind::Constant(value) => Ok(*value),
        ExprKind::Comparison(comparison) => {
            compare(comparison, request).map_err(|kind| EvalError {
                kind,
                span: condition.span,
            })
        }
        ExprKind::Error => Err(EvalError {
            kind: ErrorKind::InvalidLiteral,
            span: condition.span,
        }),
    }
}

/// The values an operand reads, whether they form a list, or `None` when absent.
fn operand(
    operand: &crate::syntax::Operand,
    family: OperatorFamily,
    pattern: bool,
    request: &Request,
) -> Result<Option<(Vec<Value>, bool)>, ErrorKind> {
    let typed =
        |literal| literal_value(literal, family, pattern).map_err(|_| ErrorKind::InvalidLiteral);
    Ok(match &operand.node {
        OperandKind::Attribute(attribute) => request
            .attribute(attribute)
            .map(|found| (found.values.to_vec(), found.multi)),
        OperandKind::Literal(literal) => Some((vec![typed(literal)?], false)),
        OperandKind::Set(items) => Some((
            items
                .iter()
                .map(|item| typed(&item.node))
                .collect::<Result<_, _>>()?,
            true,
        )),
    })
}

fn compare(comparison: &Comparison, request: &Request) -> Result<bool, ErrorKind> {
    let operator = comparison.operator.node;
    let base = operator.base;
    let family = base.family();
    let like = base.relation() == Relation::Like;
    let left = operand(&comparison.left, family, false, request)?;
    let right = operand(&comparison.right, family, like, request)?;
    // Decision 4: a comparison with an absent operand is false, whatever the operator.
    let (Some((left, left_list)), Some((right, right_list))) = (left, right) else {
        return Ok(false);
    };
    for value in left.iter().chain(&right) {
        if value.family() != family {
            return Err(ErrorKind::TypeMismatch {
                expected: family,
                found: value.family(),
            });
        }
    }
    let test = |l: &Value, r: &Value| {
        relation(base.relation(), base.ignores_case(), l, r) != base.is_negated()
    };
    match operator.quantifier {
        None => match (left.as_slice(), right.as_slice(), left_list || right_list) {
            ([l], [r], false) => Ok(test(l, r)),
            _ => Err(ErrorKind::ListWithoutQuantifier),
        },
        Some(quantifier) => {
            let for_left = |l: &Value| {
                if quantifier.all_right() {
                    right.iter().all(|r| test(l, r))
                } else {
                    right.iter().any(|r| test(l, r))
                }
            };
            Ok(if quantifier.all_left() {
                left.iter().all(for_left)
            } else {
                left.iter().any(for_left)
            })
        }
    }
}

/// The relation between two values of one type, before negation.
fn relation(relation: Relation, ignore_case: bool, left: &Value, right: &Value) -> bool {
    use std::cmp::Ordering;
    let ordered = |ordering: Ordering| match relation {
        Relation::Equals => ordering == Ordering::Equal,
        Relation::GreaterThan => ordering == Ordering::Greater,
        Relation::GreaterThanEquals => ordering != Ordering::Less,
        Relation::LessThan => ordering == Ordering::Less,
        Relation::LessThanEquals => ordering != Ordering::Greater,
        _ => false,
    };
    match (left, right) {
        (Value::String(l), Value::String(r)) => {
            let (l, r) = if ignore_case {
                (fold(l.as_str()), fold(r.as_str()))
            } else {
                (l.as_str().to_owned(), r.as_str().to_owned())
            };
            match relation {
                Relation::Equals => l == r,
                Relation::StartsWith => l.starts_with(&r),
                Relation::EndsWith => l.ends_with(&r),
                Relation::Contains => l.contains(&r),
                Relation::Like => like(&r, &l),
                _ => false,
            }
        }
        (Value::Integer(l), Value::Integer(r)) => ordered(l.cmp(r)),
        (Value::DateTime(l), Value::DateTime(r)) => ordered(l.cmp(r)),
        (Value::Bool(l), Value::Bool(r)) => relation == Relation::Equals && l == r,
        (Value::Guid(l), Value::Guid(r)) => relation == Relation::Equals && l == r,
        _ => false,
    }
}

/// One element of a wildcard pattern.
#[derive(Clone, Copy, PartialEq)]
enum Element {
    Char(char),
    AnyOne,
    AnyRun,
}

/// `StringLike`: decodes the raw pattern ([decision 1](crate::spec::decisions#decision-1)) and
/// matches the whole text by dynamic programming: `reach[j]` says whether the pattern read so far
/// can consume exactly the first `j` characters.
fn like(raw_pattern: &str, text: &str) -> bool {
    let mut pattern = Vec::new();
    let mut chars = raw_pattern.chars().peekable();
    while let Some(c) = chars.next() {
        pattern.push(match c {
            '*' => Element::AnyRun,
            '?' => Element::AnyOne,
            '\\' if matches!(chars.peek(), Some('*' | '?' | '\\' | '\'')) => {
                Element::Char(chars.next().unwrap_or('\\'))
            }
            c => Element::Char(c),
        });
    }
    let text: Vec<char> = text.chars().collect();
    dp_match(&pattern, &text, |p, t| match p {
        Element::Char(c) => Some(c == t),
        Element::AnyOne => Some(true),
        Element::AnyRun => None,
    })
}

/// `ActionMatches`: `*` is any run of characters, the rest compares ignoring ASCII case.
fn action_matches(pattern: &str, action: &str) -> bool {
    let pattern: Vec<Element> = pattern
        .chars()
        .map(|c| {
            if c == '*' {
                Element::AnyRun
            } else {
                Element::Char(c)
            }
        })
        .collect();
    let action: Vec<char> = action.chars().collect();
    dp_match(&pattern, &action, |p, t| match p {
        Element::Char(c) => Some(c.eq_ignore_ascii_case(&t)),
        Element::AnyOne => Some(true),
        Element::AnyRun => None,
    })
}

/// The textbook wildcard dynamic programme. `step(element, char)` says whether a
/// one-character element matches, or `None` for a run (`*`).
fn dp_match(
    pattern: &[Element],
    text: &[char],
    step: impl Fn(Element, char) -> Option<bool>,
) -> bool {
    let mut reach = vec![false; text.len() + 1];
    if let Some(first) = reach.first_mut() {
        *first = true;
    }
    for &element in pattern {
        let mut next = vec![false; text.len() + 1];
        for j in 0..=text.len() {
            let here = reach.get(j).copied().unwrap_or(false);
            let previous = j.checked_sub(1);
            let value = match (element, previous) {
                (Element::AnyRun, _) => {
                    here || previous.is_some_and(|p| next.get(p).copied().unwrap_or(false))
                }
                (_, None) => false,
                (_, Some(p)) => {
                    reach.get(p).copied().unwrap_or(false)
                        && text
                            .get(p)
                            .is_some_and(|&c| step(element, c).unwrap_or(false))
                }
            };
            if let Some(slot) = next.get_mut(j) {
                *slot = value;
            }
        }
        reach = next;
    }
    reach.last().copied().unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::{action_matches, like};

    #[test]
    fn wildcards() {
        assert!(like("a*c?", "abcd"));
        assert!(!like("a*c", "abcd"));
        assert!(like(r"a\*", "a*"));
        assert!(!like(r"a\*", "ab"));
        assert!(like(r"\d", r"\d"));
        assert!(like("?", "é"));
        assert!(like("", ""));
        assert!(!like("", "a"));
        assert!(like("**", ""));
    }

    #[test]
    fn actions() {
        assert!(action_matches(
            "Microsoft.Storage/*/read",
            "microsoft.storage/storageAccounts/blobServices/containers/blobs/read"
        ));
        assert!(!action_matches("a?c", "abc"), "`?` is literal in actions");
        assert!(action_matches("a?c", "a?c"));
    }
}
