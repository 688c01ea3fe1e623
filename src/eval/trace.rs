//! Traced evaluation: the VM records each leaf's value; the node table then gives every
//! sub-expression's value (or "not evaluated", where `AND`/`OR` stopped early) and marks the
//! ones that decided the result, so a person can see *why*.

use std::fmt::Write as _;

use super::program::{NodeKind, Program, Source};
use super::request::Request;
use super::vm::Recorder;
use super::{ErrorKind, EvalError};
use crate::span::Span;

/// The value of one sub-expression in a trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TraceValue {
    /// It was evaluated and is true.
    True,
    /// It was evaluated and is false.
    False,
    /// Evaluation stopped before reaching it (`AND`/`OR` short-circuit, or an error).
    NotEvaluated,
    /// Its evaluation failed.
    Error,
}

impl TraceValue {
    /// `true`, `false`, `-` or `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            TraceValue::True => "true",
            TraceValue::False => "false",
            TraceValue::NotEvaluated => "-",
            TraceValue::Error => "error",
        }
    }
}

/// What a traced sub-expression is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TraceNodeKind {
    /// An `OR` chain.
    Or,
    /// An `AND` chain.
    And,
    /// A negation.
    Not,
    /// A comparison, a function call, `Exists` or a constant.
    Leaf,
}

impl TraceNodeKind {
    /// `or`, `and`, `not` or `leaf`.
    pub fn as_str(self) -> &'static str {
        match self {
            TraceNodeKind::Or => "or",
            TraceNodeKind::And => "and",
            TraceNodeKind::Not => "not",
            TraceNodeKind::Leaf => "leaf",
        }
    }
}

/// One sub-expression of a traced evaluation, in tree order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceNode {
    /// How deep in the tree (0 for the whole condition).
    pub depth: usize,
    /// What it is.
    pub kind: TraceNodeKind,
    /// Where it is in the condition.
    pub span: Span,
    /// Its value.
    pub value: TraceValue,
    /// Whether it decided its parent's value (and so, through the chain, the result).
    pub decided: bool,
    /// The request values an attribute read, such as `@Request[…] = 8e3af657-…`.
    pub reads: Vec<String>,
}

/// A traced evaluation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trace {
    /// The condition's result.
    pub result: bool,
    /// The error that made it false, if any.
    pub error: Option<EvalError>,
    /// Every sub-expression, in tree order.
    pub nodes: Vec<TraceNode>,
    source: String,
}

/// Collects leaf values by instruction.
struct Leaves(Vec<Option<Result<bool, ErrorKind>>>);

impl Recorder for Leaves {
    fn leaf(&mut self, pc: usize, value: Result<bool, ErrorKind>) {
        if let Some(slot) = self.0.get_mut(pc) {
            *slot = Some(value);
        }
    }
}

impl Program {
    /// Evaluates with a trace of every sub-expression. Slower than [`Program::evaluate`]
    /// (it allocates); the result is the same. A role definition GUID read from the request
    /// is named when it is a built-in role's: `… = 8e3af657-… (Owner)`.
    pub fn trace(&self, request: &Request) -> Trace {
        self.trace_naming(request, &builtin_role_name)
    }

    /// [`Program::trace`], naming role definition GUIDs with `roles` (a world's own roles
    /// beside the built-in ones).
    pub fn trace_naming(&self, request: &Request, roles: RoleNames<'_>) -> Trace {
        let mut leaves = Leaves(vec![None; self.code.len()]);
        let outcome = self.execute(request, &mut leaves);
        // Values bottom-up: nodes are in pre-order, so children come after their parent.
        let children = self.children();
        let children_of = |index: usize| children.get(index).map_or(&[][..], |c| &c[..]);
        let mut values = vec![TraceValue::NotEvaluated; self.nodes.len()];
        for index in (0..self.nodes.len()).rev() {
            let Some(node) = self.nodes.get(index) else {
                continue;
            };
            let value = match &node.kind {
                NodeKind::Leaf(pc) => match leaves.0.get(*pc as usize).copied().flatten() {
                    Some(Ok(true)) => TraceValue::True,
                    Some(Ok(false)) => TraceValue::False,
                    Some(Err(_)) => TraceValue::Error,
                    None => TraceValue::NotEvaluated,
                },
                NodeKind::Not => match values.get(index + 1) {
                    Some(TraceValue::True) => TraceValue::False,
                    Some(TraceValue::False) => TraceValue::True,
                    Some(other) => *other,
                    None => TraceValue::NotEvaluated,
                },
                NodeKind::Or => chain(children_of(index), &values, TraceValue::True),
                NodeKind::And => chain(children_of(index), &values, TraceValue::False),
            };
            if let Some(slot) = values.get_mut(index) {
                *slot = value;
            }
        }
        let mut decided = vec![false; self.nodes.len()];
        if let Some(root) = decided.first_mut() {
            *root = true;
        }
        for index in 0..self.nodes.len() {
            if !decided.get(index).copied().unwrap_or(false) {
                continue;
            }
            let Some(node) = self.nodes.get(index) else {
                continue;
            };
            let value = values.get(index).copied();
            let deciders: Vec<u32> = match &node.kind {
                NodeKind::Leaf(_) => Vec::new(),
                NodeKind::Not => children_of(index).to_vec(),
                NodeKind::Or | NodeKind::And => {
                    let stop = match (&node.kind, value) {
                        (_, Some(TraceValue::Error)) => Some(TraceValue::Error),
                        (NodeKind::Or, Some(TraceValue::True)) => Some(TraceValue::True),
                        (NodeKind::And, Some(TraceValue::False)) => Some(TraceValue::False),
                        _ => None,
                    };
                    let children = children_of(index);
                    match stop {
                        Some(stop) => children
                            .iter()
                            .copied()
                            .find(|&c| values.get(c as usize) == Some(&stop))
                            .into_iter()
                            .collect(),
                        None => children.to_vec(),
                    }
                }
            };
            for child in deciders {
                if let Some(slot) = decided.get_mut(child as usize) {
                    *slot = true;
                }
            }
        }
        let mut depths = vec![0usize; self.nodes.len()];
        let mut nodes = Vec::with_capacity(self.nodes.len());
        for (index, node) in self.nodes.iter().enumerate() {
            let depth = depths.get(index).copied().unwrap_or(0);
            for &child in children_of(index) {
                if let Some(d) = depths.get_mut(child as usize) {
                    *d = depth + 1;
                }
            }
            let value = values
                .get(index)
                .copied()
                .unwrap_or(TraceValue::NotEvaluated);
            let reads = match node.kind {
                NodeKind::Leaf(pc) if value != TraceValue::NotEvaluated => {
                    self.reads(pc as usize, request, roles)
                }
                _ => Vec::new(),
            };
            nodes.push(TraceNode {
                depth,
                kind: match node.kind {
                    NodeKind::Or => TraceNodeKind::Or,
                    NodeKind::And => TraceNodeKind::And,
                    NodeKind::Not => TraceNodeKind::Not,
                    NodeKind::Leaf(_) => TraceNodeKind::Leaf,
                },
                span: node.span,
                value: values
                    .get(index)
                    .copied()
                    .unwrap_or(TraceValue::NotEvaluated),
                decided: decided.get(index).copied().unwrap_or(false),
                reads,
            });
        }
        Trace {
            result: outcome.result,
            error: outcome.error,
            nodes,
            source: self.source.to_string(),
        }
    }

    /// What the leaf at `pc` reads from the request, one line per attribute.
    fn reads(&self, pc: usize, request: &Request, roles: RoleNames<'_>) -> Vec<String> {
        use super::program::Op;
        let slots: Vec<u32> = match self.code.get(pc).map(|instr| instr.op) {
            Some(Op::Exists(slot)) => vec![slot],
            Some(Op::GuidIn(m) | Op::StrIn(m)) => vec![m.slot],
            Some(Op::Unary(u)) => vec![u.slot],
            Some(Op::Text(t)) => vec![t.slot],
            Some(Op::Compare(i)) => self
                .comparisons
                .get(i as usize)
                .map(|c| {
                    [c.left, c.right]
                        .into_iter()
                        .filter_map(|s| match s {
                            Source::Slot(slot) => Some(slot),
                            Source::Constant(_) => None,
                        })
                        .collect()
                })
                .unwrap_or_default(),
            Some(Op::Action { .. } | Op::ActionGlob(_)) => {
                return vec![format!("action = {}", request.action())];
            }
            Some(Op::SubOperation(_)) => {
                let names: Vec<String> = request
                    .suboperations()
                    .iter()
                    .map(ToString::to_string)
                    .collect();
                return vec![format!("suboperations = {{{}}}", names.join(", "))];
            }
            _ => Vec::new(),
        };
        slots
            .into_iter()
            .filter_map(|i| Some((self.slots.get(i as usize)?, self.slot_name(i as usize)?)))
            .map(|(slot, name)| match request.slot(slot) {
                None => format!("{name} is absent"),
                Some(found) => {
                    // A role definition GUID, named after it when the role is known.
                    let role_attribute = name.to_ascii_lowercase().ends_with("roledefinitionid]");
                    let values: Vec<String> = found
                        .values
                        .iter()
                        .map(|value| match (value, role_attribute) {
                            (super::Value::Guid(guid), true) => match roles(*guid) {
                                Some(role) => format!("{value} ({role})"),
                                None => value.to_string(),
                            },
                            _ => value.to_string(),
                        })
                        .collect();
                    if found.multi {
                        format!("{name} = [{}]", values.join(", "))
                    } else {
                        format!("{name} = {}", values.join(", "))
                    }
                }
            })
            .collect()
    }
}

/// An `OR` (`stop` = true) or `AND` (`stop` = false) from its operands' values.
fn chain(children: &[u32], values: &[TraceValue], stop: TraceValue) -> TraceValue {
    let mut all = true;
    for &child in children {
        match values.get(child as usize).copied() {
            Some(TraceValue::Error) => return TraceValue::Error,
            Some(value) if value == stop => return stop,
            Some(TraceValue::True | TraceValue::False) => {}
            _ => all = false,
        }
    }
    match (all, stop) {
        (false, _) => TraceValue::NotEvaluated,
        (true, TraceValue::True) => TraceValue::False,
        (true, _) => TraceValue::True,
    }
}

impl Trace {
    /// The trace as indented text: one line per sub-expression with its value, `◀` on the
    /// ones that decided, and the request values each leaf read.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "result: {}", self.result);
        if let Some(error) = &self.error {
            let _ = writeln!(
                out,
                "error: {} (in `{}`)",
                error.kind,
                error.span.slice(&self.source)
            );
        }
        for node in &self.nodes {
            let indent = "  ".repeat(node.depth);
            let label = match node.kind {
                TraceNodeKind::Or => "OR".to_owned(),
                TraceNodeKind::And => "AND".to_owned(),
                TraceNodeKind::Not => "NOT".to_owned(),
                TraceNodeKind::Leaf => one_line(node.span.slice(&self.source)),
            };
            let mark = if node.decided { "  ◀" } else { "" };
            let _ = writeln!(out, "{:>5}  {indent}{label}{mark}", node.value.as_str());
            for read in &node.reads {
                let _ = writeln!(out, "{:>5}  {indent}  · {read}", "");
            }
        }
        out
    }

    /// The condition the trace is of.
    pub fn source(&self) -> &str {
        &self.source
    }
}

/// Names a role definition GUID, when the role is known.
pub type RoleNames<'a> = &'a dyn Fn(u128) -> Option<String>;

/// The built-in role whose GUID is `guid`.
fn builtin_role_name(guid: u128) -> Option<String> {
    crate::catalog::find_builtin_role(&uuid::Uuid::from_u128(guid).to_string())
        .map(|role| role.role_name.clone())
}

/// Source text on one line, white space collapsed.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
