//! From a syntax tree to a [`Program`]: one pass that emits leaves and forward jumps, types
//! every literal once, resolves attribute references to slots, and picks a specialised
//! instruction for each comparison; then a peephole pass that threads jumps.

use std::collections::HashMap;

use super::like::LikeMatcher;
use super::literal_value;
use super::program::{
    Compare, Constant, DEFAULT_BUDGET, Instr, Membership, NO_NODE, Node, NodeKind, Program, Source,
    Test,
};
use super::request::Slot;
use super::value::Value;
use crate::diagnostic::{Code, Diagnostic};
use crate::rbac::ActionPattern;
use crate::syntax::{
    AttributeRef, Comparison, Expr, ExprKind, Operand, OperandKind, OperatorFamily, Quantifier,
    Relation,
};

/// Compiles a condition that has no syntax errors. Run the checker first
/// ([`Program::from_source`] does both): the compiler relies on nothing it checks except
/// that literals have the operator's type, and reports that with the checker's codes.
pub fn compile(condition: &Expr, source: &str) -> Result<Program, Diagnostic> {
    let mut compiler = Compiler {
        program: Program {
            code: Vec::new(),
            leaf_of: Vec::new(),
            comparisons: Vec::new(),
            constants: Vec::new(),
            strings: Vec::new(),
            globs: Vec::new(),
            guid_sets: Vec::new(),
            string_sets: Vec::new(),
            slots: Vec::new(),
            slot_names: Vec::new(),
            nodes: Vec::new(),
            source: source.into(),
            budget: DEFAULT_BUDGET,
        },
        slots: HashMap::new(),
    };
    compiler.expr(condition)?;
    let mut program = compiler.program;
    thread_jumps(&mut program.code);
    Ok(program)
}

struct Compiler {
    program: Program,
    slots: HashMap<Slot, u32>,
}

/// An index into one of the program's tables.
fn index(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

impl Compiler {
    fn emit(&mut self, instr: Instr, node: u32) -> usize {
        self.program.code.push(instr);
        self.program.leaf_of.push(node);
        self.program.code.len() - 1
    }

    fn leaf(&mut self, node: u32, instr: Instr) {
        let pc = self.emit(instr, node);
        if let Some(n) = self.program.nodes.get_mut(node as usize) {
            n.kind = NodeKind::Leaf(index(pc));
        }
    }

    fn string(&mut self, text: &str) -> u32 {
        self.program.strings.push(text.into());
        index(self.program.strings.len() - 1)
    }

    fn slot(&mut self, attribute: &AttributeRef) -> u32 {
        let slot = Slot::of(attribute);
        let next = index(self.program.slots.len());
        *self.slots.entry(slot.clone()).or_insert_with(|| {
            self.program.slots.push(slot);
            self.program.slot_names.push(format!(
                "@{}[{}]",
                attribute.source.name(),
                attribute.name
            ));
            next
        })
    }

    /// Compiles one node; returns its index in the node table.
    fn expr(&mut self, expr: &Expr) -> Result<u32, Diagnostic> {
        let node = index(self.program.nodes.len());
        self.program.nodes.push(Node {
            span: expr.span,
            kind: NodeKind::Leaf(NO_NODE),
        });
        let kind = match &expr.node {
            ExprKind::Or(items) | ExprKind::And(items) => {
                let or = matches!(expr.node, ExprKind::Or(_));
                let mut children = Vec::with_capacity(items.len());
                let mut jumps = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    children.push(self.expr(item)?);
                    if i + 1 < items.len() {
                        let jump = if or {
                            Instr::JumpIfTrue(0)
                        } else {
                            Instr::JumpIfFalse(0)
                        };
                        jumps.push(self.emit(jump, NO_NODE));
                    }
                }
                let end = index(self.program.code.len());
                for jump in jumps {
                    if let Some(Instr::JumpIfTrue(t) | Instr::JumpIfFalse(t)) =
                        self.program.code.get_mut(jump)
                    {
                        *t = end;
                    }
                }
                if or {
                    NodeKind::Or(children)
                } else {
                    NodeKind::And(children)
                }
            }
            ExprKind::Not(inner) => {
                let child = self.expr(inner)?;
                self.emit(Instr::Not, NO_NODE);
                NodeKind::Not(child)
            }
            ExprKind::ActionMatches(pattern) => {
                let text = pattern.node.value();
                let instr = if text.contains('*') {
                    self.program.globs.push(ActionPattern::new(text.as_ref()));
                    Instr::ActionGlob(index(self.program.globs.len() - 1))
                } else {
                    Instr::Action(self.string(&text))
                };
                self.leaf(node, instr);
                return Ok(node);
            }
            ExprKind::SubOperationMatches(name) => {
                let instr = Instr::SubOperation(self.string(&name.node.value()));
                self.leaf(node, instr);
                return Ok(node);
            }
            ExprKind::Exists(attribute) => {
                let slot = self.slot(&attribute.node);
                self.leaf(node, Instr::Exists(slot));
                return Ok(node);
            }
            ExprKind::Constant(value) => {
                self.leaf(node, Instr::Const(*value));
                return Ok(node);
            }
            ExprKind::Comparison(comparison) => {
                let instr = self.comparison(comparison)?;
                self.leaf(node, instr);
                return Ok(node);
            }
            ExprKind::Error => {
                return Err(Diagnostic::new(
                    Code::UnexpectedToken,
                    expr.span,
                    "cannot compile a condition with syntax errors",
                ));
            }
        };
        if let Some(n) = self.program.nodes.get_mut(node as usize) {
            n.kind = kind;
        }
        Ok(node)
    }

    fn operand(
        &mut self,
        operand: &Operand,
        family: OperatorFamily,
        pattern: bool,
        fold: bool,
    ) -> Result<Source, Diagnostic> {
        let typed = |literal, span| {
            literal_value(literal, family, pattern).map_err(|message| {
                let code = if family == OperatorFamily::DateTime {
                    Code::InvalidDateTime
                } else {
                    Code::LiteralTypeMismatch
                };
                Diagnostic::new(code, span, message)
            })
        };
        let (values, list) = match &operand.node {
            OperandKind::Attribute(attribute) => {
                return Ok(Source::Slot(self.slot(attribute)));
            }
            OperandKind::Literal(literal) => (vec![typed(literal, operand.span)?], false),
            OperandKind::Set(items) => (
                items
                    .iter()
                    .map(|item| typed(&item.node, item.span))
                    .collect::<Result<Vec<_>, _>>()?,
                true,
            ),
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

    fn comparison(&mut self, comparison: &Comparison) -> Result<Instr, Diagnostic> {
        let operator = comparison.operator.node;
        let base = operator.base;
        let family = base.family();
        let relation = base.relation();
        let fold = base.ignores_case();
        let like = relation == Relation::Like;
        let left = self.operand(&comparison.left, family, false, fold)?;
        let right = self.operand(&comparison.right, family, like, fold)?;
        if let Some(instr) = self.membership(comparison, left, right) {
            // The set now lives in a membership table; its constant was the last one made.
            self.program.constants.pop();
            return Ok(instr);
        }
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
        self.program.comparisons.push(Compare {
            left,
            right,
            test,
            family,
            quantifier: operator.quantifier,
            negated: base.is_negated(),
        });
        Ok(Instr::Compare(index(self.program.comparisons.len() - 1)))
    }

    /// The membership fast path: an attribute tested for (non-)membership in a constant set of
    /// GUIDs or strings, which is what delegation conditions and tag allow-lists are.
    fn membership(
        &mut self,
        comparison: &Comparison,
        left: Source,
        right: Source,
    ) -> Option<Instr> {
        let operator = comparison.operator.node;
        let base = operator.base;
        let (Source::Slot(slot), Source::Constant(constant)) = (left, right) else {
            return None;
        };
        if base.relation() != Relation::Equals
            || !matches!(base.family(), OperatorFamily::Guid | OperatorFamily::String)
        {
            return None;
        }
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
            _ => return None,
        };
        let fold = base.ignores_case();
        let values = &self.program.constants.get(constant as usize)?.values;
        let membership = |set| Membership {
            slot,
            set,
            all_left,
            member: !negated,
            single,
            fold,
        };
        match base.family() {
            OperatorFamily::Guid => {
                let mut set: Vec<u128> = values
                    .iter()
                    .filter_map(|v| match v {
                        Value::Guid(g) => Some(*g),
                        _ => None,
                    })
                    .collect();
                set.sort_unstable();
                set.dedup();
                self.program.guid_sets.push(set.into());
                Some(Instr::GuidIn(membership(index(
                    self.program.guid_sets.len() - 1,
                ))))
            }
            _ => {
                let mut set: Vec<Box<str>> = values
                    .iter()
                    .filter_map(|v| match v {
                        Value::String(s) => Some(s.get(fold).into()),
                        _ => None,
                    })
                    .collect();
                set.sort_unstable();
                set.dedup();
                self.program.string_sets.push(set.into());
                Some(Instr::StrIn(membership(index(
                    self.program.string_sets.len() - 1,
                ))))
            }
        }
    }
}

/// Retargets jumps that land on jumps: a jump taken when the accumulator is true that lands
/// on another such jump goes straight to that one's target, and one that lands on the
/// opposite jump goes to the instruction after it (which is where that jump would fall
/// through). Jumps only go forward, so this ends.
fn thread_jumps(code: &mut [Instr]) {
    for pc in 0..code.len() {
        let Some(&jump) = code.get(pc) else { continue };
        let (mut target, when_true) = match jump {
            Instr::JumpIfTrue(t) => (t, true),
            Instr::JumpIfFalse(t) => (t, false),
            _ => continue,
        };
        loop {
            match code.get(target as usize) {
                Some(Instr::JumpIfTrue(t)) if when_true => target = *t,
                Some(Instr::JumpIfFalse(t)) if !when_true => target = *t,
                Some(Instr::JumpIfTrue(_) | Instr::JumpIfFalse(_)) => target += 1,
                _ => break,
            }
        }
        if let Some(slot) = code.get_mut(pc) {
            *slot = if when_true {
                Instr::JumpIfTrue(target)
            } else {
                Instr::JumpIfFalse(target)
            };
        }
    }
}
