//! From a syntax tree to a [`Program`]: one pass that emits one instruction per leaf, types
//! every literal once, resolves attribute references to slots, and picks a specialised
//! instruction for each comparison. `AND`, `OR` and `NOT` become branch targets by
//! backpatching (short-circuit code): each node's compilation returns the branches still
//! waiting for the place its value `true` or `false` leads to, and its parent fills them.

use super::like::LikeMatcher;
use super::literal_value;
use super::program::{
    ACCEPT, Compare, Constant, Instr, Membership, NO_NODE, NO_STRING, Node, NodeKind, Op, Program,
    REJECT, SlotName, Source, Test, TextRelation, TextTest, Unary,
};
use super::request::{Slot, action_number};
use super::value::Value;
use crate::catalog::ActionPattern;
use crate::diagnostic::{Code, Diagnostic};
use crate::limits::DEFAULT_BUDGET;
use crate::span::{Span, Spanned};
use crate::syntax::attribute::with_lowercase;
use crate::syntax::{
    AttributeRef, Comparison, Expr, ExprKind, Literal, Operand, OperandKind, OperatorFamily,
    Quantifier, Relation,
};

/// Compiles a condition that has no syntax errors. Run the checker first
/// ([`Program::from_source`] does both): the compiler relies on nothing it checks except
/// that literals have the operator's type, and reports that with the checker's codes.
pub fn compile(condition: &Expr, source: &str) -> Result<Program, Diagnostic> {
    let (nodes, leaves) = count(condition);
    let mut compiler = Compiler {
        program: Program {
            code: Vec::with_capacity(leaves),
            comparisons: Vec::new(),
            constants: Vec::new(),
            strings: Vec::new(),
            globs: Vec::new(),
            guids: Vec::new(),
            slots: Vec::new(),
            slot_names: Vec::new(),
            nodes: Vec::with_capacity(nodes),
            source: source.into(),
            budget: DEFAULT_BUDGET,
        },
    };
    let (_, exits) = compiler.expr(condition, NO_NODE)?;
    compiler.patch(exits.on_true, ACCEPT);
    compiler.patch(exits.on_false, REJECT);
    Ok(compiler.program)
}

/// How many nodes and leaves `expr` has, so that the tables are allocated once.
fn count(expr: &Expr) -> (usize, usize) {
    fn walk(expr: &Expr, nodes: &mut usize, leaves: &mut usize) {
        *nodes += 1;
        match &expr.node {
            ExprKind::Or(items) | ExprKind::And(items) => {
                for item in items {
                    walk(item, nodes, leaves);
                }
            }
            ExprKind::Not(inner) => walk(inner, nodes, leaves),
            _ => *leaves += 1,
        }
    }
    let (mut nodes, mut leaves) = (0, 0);
    walk(expr, &mut nodes, &mut leaves);
    (nodes, leaves)
}

struct Compiler {
    program: Program,
}

/// A list of branches whose target is not known yet, threaded through the branch fields
/// themselves (as Lua's compiler does): until it is patched, an open branch's target field
/// holds the next open branch of its list. A branch is named `pc << 1 | when`: instruction
/// `pc`'s `on_true` (when = 1) or `on_false` (when = 0).
#[derive(Clone, Copy)]
struct Holes {
    head: u32,
    tail: u32,
}

/// The end of a list of holes (and the empty list's head).
const END: u32 = u32::MAX;

impl Holes {
    const EMPTY: Holes = Holes {
        head: END,
        tail: END,
    };

    fn one(pc: usize, when: bool) -> Holes {
        let hole = index(pc).saturating_mul(2) | u32::from(when);
        Holes {
            head: hole,
            tail: hole,
        }
    }
}

/// The branches a node's compilation leaves open, by the value that takes them.
struct Exits {
    on_true: Holes,
    on_false: Holes,
}

/// An index into one of the program's tables.
fn index(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

impl Compiler {
    /// Emits the instruction of leaf `node`; both its branches are left open.
    fn leaf(&mut self, node: u32, op: Op) -> Exits {
        let pc = self.program.code.len();
        self.program.code.push(Instr {
            op,
            on_true: END,
            on_false: END,
        });
        if let Some(n) = self.program.nodes.get_mut(node as usize) {
            n.kind = NodeKind::Leaf(index(pc));
        }
        Exits {
            on_true: Holes::one(pc, true),
            on_false: Holes::one(pc, false),
        }
    }

    /// The target field a hole names.
    fn field(&mut self, hole: u32) -> Option<&mut u32> {
        let instr = self.program.code.get_mut((hole >> 1) as usize)?;
        Some(if hole & 1 == 1 {
            &mut instr.on_true
        } else {
            &mut instr.on_false
        })
    }

    /// The holes of both lists, in one list.
    fn join(&mut self, first: Holes, second: Holes) -> Holes {
        if first.head == END {
            return second;
        }
        if second.head == END {
            return first;
        }
        if let Some(link) = self.field(first.tail) {
            *link = second.head;
        }
        Holes {
            head: first.head,
            tail: second.tail,
        }
    }

    /// Points open branches at `target`.
    fn patch(&mut self, holes: Holes, target: u32) {
        let mut hole = holes.head;
        while hole != END {
            let Some(field) = self.field(hole) else {
                return;
            };
            hole = std::mem::replace(field, target);
        }
    }

    fn string(&mut self, text: Box<str>) -> u32 {
        self.program.strings.push(text);
        index(self.program.strings.len() - 1)
    }

    /// The slot of an attribute reference written at `span`.
    fn slot(&mut self, attribute: &AttributeRef, span: Span) -> u32 {
        let slot = Slot::of(attribute);
        // A condition reads a few attributes; a scan finds the repeated ones.
        if let Some(found) = self.program.slots.iter().position(|s| *s == slot) {
            return index(found);
        }
        self.program.slots.push(slot);
        // The name as the condition writes it when that is its documented spelling (as it
        // usually is), or else printed so.
        let canonical = span
            .slice(&self.program.source)
            .strip_prefix('@')
            .and_then(|rest| rest.strip_prefix(attribute.source.name()))
            .and_then(|rest| rest.strip_prefix('['))
            .and_then(|rest| rest.strip_suffix(']'))
            .is_some_and(|inner| attribute.name.is_written(inner));
        let name = if canonical {
            SlotName::Source(span)
        } else {
            let source = attribute.source.name();
            let mut name = String::with_capacity(source.len() + 64);
            name.push('@');
            name.push_str(source);
            name.push('[');
            attribute.name.push_to(&mut name);
            name.push(']');
            SlotName::Owned(name.into())
        };
        self.program.slot_names.push(name);
        index(self.program.slots.len() - 1)
    }

    /// Compiles one node; returns its index in the node table and its open branches.
    fn expr(&mut self, expr: &Expr, parent: u32) -> Result<(u32, Exits), Diagnostic> {
        let node = index(self.program.nodes.len());
        self.program.nodes.push(Node {
            span: expr.span,
            kind: NodeKind::Leaf(NO_NODE),
            parent,
        });
        let op = match &expr.node {
            ExprKind::Or(items) | ExprKind::And(items) => {
                // In an OR, a false item goes on to the next and a true one ends the OR true;
                // in an AND, the reverse.
                let or = matches!(expr.node, ExprKind::Or(_));
                let mut decided = Holes::EMPTY;
                let mut pending = Holes::EMPTY;
                for item in items {
                    let start = index(self.program.code.len());
                    self.patch(pending, start);
                    let (_, item_exits) = self.expr(item, node)?;
                    let (decides, next) = if or {
                        (item_exits.on_true, item_exits.on_false)
                    } else {
                        (item_exits.on_false, item_exits.on_true)
                    };
                    decided = self.join(decided, decides);
                    pending = next;
                }
                let (kind, exits) = if or {
                    let exits = Exits {
                        on_true: decided,
                        on_false: pending,
                    };
                    (NodeKind::Or, exits)
                } else {
                    let exits = Exits {
                        on_true: pending,
                        on_false: decided,
                    };
                    (NodeKind::And, exits)
                };
                self.set_kind(node, kind);
                return Ok((node, exits));
            }
            ExprKind::Not(inner) => {
                let (_, exits) = self.expr(inner, node)?;
                self.set_kind(node, NodeKind::Not);
                return Ok((
                    node,
                    Exits {
                        on_true: exits.on_false,
                        on_false: exits.on_true,
                    },
                ));
            }
            ExprKind::ActionMatches(pattern) => {
                let text = pattern.node.value();
                if crate::scan::find(&text, b'*').is_some() {
                    self.program.globs.push(ActionPattern::new(text.as_ref()));
                    Op::ActionGlob(index(self.program.globs.len() - 1))
                } else {
                    with_lowercase(&text, None, |lowercase| {
                        // A catalogue action is its number; only another needs its text.
                        let number = action_number(lowercase);
                        let name = match number {
                            0 => self.string(lowercase.into()),
                            _ => NO_STRING,
                        };
                        Op::Action { name, number }
                    })
                }
            }
            ExprKind::SubOperationMatches(name) => {
                Op::SubOperation(self.string(name.node.value().to_ascii_lowercase().into()))
            }
            ExprKind::Exists(attribute) => Op::Exists(self.slot(&attribute.node, attribute.span)),
            ExprKind::Constant(value) => Op::Const(*value),
            ExprKind::Comparison(comparison) => self.comparison(comparison)?,
            ExprKind::Error => {
                return Err(Diagnostic::new(
                    Code::UnexpectedToken,
                    expr.span,
                    "cannot compile a condition with syntax errors",
                ));
            }
        };
        Ok((node, self.leaf(node, op)))
    }

    fn set_kind(&mut self, node: u32, kind: NodeKind) {
        if let Some(n) = self.program.nodes.get_mut(node as usize) {
            n.kind = kind;
        }
    }

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

    fn comparison(&mut self, comparison: &Comparison) -> Result<Op, Diagnostic> {
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
        super::value::fold(text)
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
