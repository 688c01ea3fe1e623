//! From a syntax tree to a [`Program`]: one pass that emits one instruction per leaf, types
//! every literal once, resolves attribute references to slots, and picks a specialised
//! instruction for each comparison. `AND`, `OR` and `NOT` become branch targets by
//! backpatching (short-circuit code): each node's compilation returns the branches still
//! waiting for the place its value `true` or `false` leads to, and its parent fills them.
//!
//! - this module: the walk over the tree, the branches, the slots and the node table;
//! - [`comparison`]: one comparison to one instruction, its operands typed and its
//!   specialised form (membership in a set, a text test, a unary test) chosen.

mod comparison;

use super::program::{
    ACCEPT, Instr, NO_NODE, NO_STRING, Node, NodeKind, Op, Program, REJECT, SlotName,
};
use super::request::{Slot, action_number};
use crate::catalog::ActionPattern;
use crate::diagnostic::{Code, Diagnostic};
use crate::limits::DEFAULT_BUDGET;
use crate::span::Span;
use crate::syntax::attribute::with_lowercase;
use crate::syntax::{AttributeRef, Expr, ExprKind};

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
}
