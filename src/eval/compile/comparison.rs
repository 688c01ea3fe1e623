//! One comparison to one instruction: its operands typed once, and the specialised form
//! chosen (membership in a sorted set, a text test read in place, a unary test on one value).

use super::{Compiler, index};
use crate::diagnostic::{Code, Diagnostic};
use crate::eval::like::LikeMatcher;
use crate::eval::literal_value;
use crate::eval::program::{
    Compare, Constant, Membership, Op, Source, Test, TextRelation, TextTest, Unary,
};
use crate::eval::value::Value;
use crate::span::{Span, Spanned};
use crate::syntax::{
    Comparison, Literal, Operand, OperandKind, OperatorFamily, Quantifier, Relation,
};

impl Compiler {
    fn operand(
        &mut self,
        operand: &Operand,
        family: OperatorFamily,
        pattern: bool,
        fold: bool,
    ) -> Result<Source, Diagnostic> {
        let (values, list) = match &operand.node {
            OperandKind::Attribute(attribute) => {
                return Ok(Source::Slot(self.slot(attribute, operand.span)));
            }
            OperandKind::Literal(literal) => {
                (vec![typed(literal, operand.span, family, pattern)?], false)
            }
            OperandKind::Set(items) => {
                let mut values = Vec::with_capacity(items.len());
                for item in items {
                    values.push(typed(&item.node, item.span, family, pattern)?);
                }
                (values, true)
            }
        };
        let patterns = if pattern {
            values
                .iter()
                .map(|v| match v {
                    Value::String(s) => LikeMatcher::new(s.get(fold)),
                    _ => LikeMatcher::General(Vec::new()),
                })
                .collect()
        } else {
            Vec::new()
        };
        self.program.constants.push(Constant {
            values,
            list,
            patterns,
        });
        Ok(Source::Constant(index(self.program.constants.len() - 1)))
    }

    pub(super) fn comparison(&mut self, comparison: &Comparison) -> Result<Op, Diagnostic> {
        let operator = comparison.operator.node;
        let base = operator.base;
        let family = base.family();
        let relation = base.relation();
        let fold = base.ignores_case();
        let like = relation == Relation::Like;
        let left = self.operand(&comparison.left, family, false, fold)?;
        // The fast paths read the right literals themselves, so that no constant is made
        // for them.
        if let Source::Slot(slot) = left {
            if let Some(op) = self.membership(comparison, slot)? {
                return Ok(op);
            }
            if let Some(op) = self.text_test(comparison, slot)? {
                return Ok(Op::Text(op));
            }
        }
        let right = self.operand(&comparison.right, family, like, fold)?;
        let test = match (family, relation) {
            (OperatorFamily::String, Relation::Like) => match right {
                Source::Constant(_) => Test::LikeConstant { fold },
                Source::Slot(_) => Test::LikeDynamic { fold },
            },
            (OperatorFamily::String, relation) => Test::Str { relation, fold },
            (OperatorFamily::Numeric | OperatorFamily::DateTime, relation) => {
                Test::Ordered(relation)
            }
            (OperatorFamily::Bool | OperatorFamily::Guid, _) => Test::Equal,
        };
        if let Some(unary) = self.unary(comparison, left, right, test) {
            return Ok(Op::Unary(unary));
        }
        self.program.comparisons.push(Compare {
            left,
            right,
            test,
            family,
            quantifier: operator.quantifier,
            negated: base.is_negated(),
        });
        Ok(Op::Compare(index(self.program.comparisons.len() - 1)))
    }

    /// An attribute against one constant value. With one right value, `∃r` and `∀r` agree,
    /// so the quantifier reduces to `∃l` or `∀l`; unquantified, the attribute must be single.
    /// A one-value set without a quantifier stays general: comparing it is an error.
    fn unary(
        &self,
        comparison: &Comparison,
        left: Source,
        right: Source,
        test: Test,
    ) -> Option<Unary> {
        let (Source::Slot(slot), Source::Constant(constant)) = (left, right) else {
            return None;
        };
        let single_value = self
            .program
            .constants
            .get(constant as usize)
            .is_some_and(|c| c.values.len() == 1);
        let written_as_set = matches!(comparison.right.node, OperandKind::Set(_));
        let operator = comparison.operator.node;
        let (all_left, single) = match operator.quantifier {
            _ if !single_value => return None,
            None if written_as_set => return None,
            None => (false, true),
            Some(quantifier) => (quantifier.all_left(), false),
        };
        Some(Unary {
            slot,
            constant,
            test,
            all_left,
            single,
            negated: operator.base.is_negated(),
        })
    }

    /// The text fast path: a string relation with a literal, or `StringLike` with a pattern
    /// whose only wildcards are a `*` at one end or both, is one substring test.
    fn text_test(
        &mut self,
        comparison: &Comparison,
        slot: u32,
    ) -> Result<Option<TextTest>, Diagnostic> {
        let operator = comparison.operator.node;
        let base = operator.base;
        let fold = base.ignores_case();
        // One value: a literal, or a one-value set under a quantifier (unquantified, a set
        // cannot be compared; the general form reports that when evaluated).
        let literal = match (&comparison.right.node, operator.quantifier) {
            (OperandKind::Literal(literal), _) => literal,
            (OperandKind::Set(items), Some(_)) => match &items[..] {
                [item] => &item.node,
                _ => return Ok(None),
            },
            _ => return Ok(None),
        };
        if base.family() != OperatorFamily::String {
            return Ok(None);
        }
        let Literal::String(literal) = literal else {
            return Ok(None);
        };
        let (relation, text) = match base.relation() {
            Relation::Like => match LikeMatcher::new(&folded(literal.raw(), fold)) {
                LikeMatcher::Exact(t) => (TextRelation::Equals, t),
                LikeMatcher::Prefix(t) => (TextRelation::StartsWith, t),
                LikeMatcher::Suffix(t) => (TextRelation::EndsWith, t),
                LikeMatcher::Contains(t) => (TextRelation::Contains, t),
                LikeMatcher::General(_) => return Ok(None),
            },
            relation => {
                let relation = match relation {
                    Relation::Equals => TextRelation::Equals,
                    Relation::StartsWith => TextRelation::StartsWith,
                    Relation::EndsWith => TextRelation::EndsWith,
                    Relation::Contains => TextRelation::Contains,
                    _ => return Ok(None),
                };
                (relation, folded(&literal.value(), fold).into_boxed_str())
            }
        };
        let (all_left, single) = match operator.quantifier {
            None => (false, true),
            Some(quantifier) => (quantifier.all_left(), false),
        };
        Ok(Some(TextTest {
            slot,
            string: self.string(text),
            relation,
            fold,
            all_left,
            single,
            negated: base.is_negated(),
        }))
    }

    /// The membership fast path: an attribute tested for (non-)membership in a constant set of
    /// GUIDs or strings, which is what delegation conditions and tag allow-lists are.
    fn membership(&mut self, comparison: &Comparison, slot: u32) -> Result<Option<Op>, Diagnostic> {
        let operator = comparison.operator.node;
        let base = operator.base;
        let family = base.family();
        if base.relation() != Relation::Equals
            || !matches!(family, OperatorFamily::Guid | OperatorFamily::String)
        {
            return Ok(None);
        }
        let (lone, set): (Option<&Literal>, &[Spanned<Literal>]) = match &comparison.right.node {
            OperandKind::Literal(literal) => (Some(literal), &[]),
            OperandKind::Set(items) => (None, items),
            OperandKind::Attribute(_) => return Ok(None),
        };
        let count = usize::from(lone.is_some()) + set.len();
        let literals = lone
            .map(|literal| (literal, comparison.right.span))
            .into_iter()
            .chain(set.iter().map(|item| (&item.node, item.span)));
        let written_as_set = matches!(comparison.right.node, OperandKind::Set(_));
        let negated = base.is_negated();
        // Which quantified formulas are membership tests (R never empty: `{}` is a syntax
        // error): ∃l∃r l=r ⇔ ∃l l∈R; ∀l∃r l=r ⇔ ∀l l∈R; ∃l∀r l≠r ⇔ ∃l l∉R; ∀l∀r l≠r ⇔ ∀l l∉R.
        let (all_left, single) = match (operator.quantifier, negated) {
            (None, _) if !written_as_set => (false, true),
            (Some(Quantifier::ForAnyOfAnyValues), false)
            | (Some(Quantifier::ForAnyOfAllValues), true) => (false, false),
            (Some(Quantifier::ForAllOfAnyValues), false)
            | (Some(Quantifier::ForAllOfAllValues), true) => (true, false),
            _ => return Ok(None),
        };
        let fold = base.ignores_case();
        let membership = |start: usize, end: usize| Membership {
            slot,
            start: index(start),
            len: index(end - start),
            all_left,
            member: !negated,
            single,
            fold,
        };
        if family == OperatorFamily::String {
            // One string is a text test (see `text_test`), which reads no set.
            if count == 1 {
                return Ok(None);
            }
            let mut strings: Vec<Box<str>> = Vec::with_capacity(count);
            for (literal, span) in literals {
                match literal {
                    Literal::String(s) => strings.push(folded(&s.value(), fold).into_boxed_str()),
                    other => return typed(other, span, family, false).map(|_| None),
                }
            }
            strings.sort_unstable();
            strings.dedup();
            let start = self.program.strings.len();
            self.program.strings.extend(strings);
            return Ok(Some(Op::StrIn(membership(
                start,
                self.program.strings.len(),
            ))));
        }
        let start = self.program.guids.len();
        for (literal, span) in literals {
            if let Value::Guid(guid) = typed(literal, span, family, false)? {
                self.program.guids.push(guid);
            }
        }
        sort_tail(&mut self.program.guids, start);
        Ok(Some(Op::GuidIn(membership(
            start,
            self.program.guids.len(),
        ))))
    }
}

/// Sorts `values[start..]` and removes its repeats, leaving `values[..start]` as it was.
fn sort_tail<T: Ord + Copy>(values: &mut Vec<T>, start: usize) {
    if let Some(tail) = values.get_mut(start..) {
        tail.sort_unstable();
    }
    let mut kept = start;
    for i in start..values.len() {
        let value = values.get(i).copied();
        let last = kept
            .checked_sub(1)
            .filter(|&last| last >= start)
            .and_then(|last| values.get(last).copied());
        if value != last {
            if let (Some(value), Some(slot)) = (value, values.get_mut(kept)) {
                *slot = value;
            }
            kept += 1;
        }
    }
    values.truncate(kept);
}

/// The value of a literal under an operator family, or the checker's diagnostic for one of
/// another type.
fn typed(
    literal: &Literal,
    span: Span,
    family: OperatorFamily,
    pattern: bool,
) -> Result<Value, Diagnostic> {
    literal_value(literal, family, pattern).map_err(|message| {
        let code = if family == OperatorFamily::DateTime {
            Code::InvalidDateTime
        } else {
            Code::LiteralTypeMismatch
        };
        Diagnostic::new(code, span, message)
    })
}

/// `text`, case-folded when `fold` (as [`Value::string`] folds it).
fn folded(text: &str, fold: bool) -> String {
    if fold {
        crate::eval::value::fold(text)
    } else {
        text.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::sort_tail;

    #[test]
    fn sort_tail_sorts_and_dedups_only_the_tail() {
        let mut values = vec![9, 1, 9, 5, 3, 5, 5, 1];
        sort_tail(&mut values, 2);
        assert_eq!(values, [9, 1, 1, 3, 5, 9]);
        let mut single = vec![4, 4];
        sort_tail(&mut single, 1);
        assert_eq!(
            single,
            [4, 4],
            "the tail's first value never equals the head's"
        );
        let mut empty: Vec<u8> = vec![7];
        sort_tail(&mut empty, 1);
        assert_eq!(empty, [7]);
    }
}
