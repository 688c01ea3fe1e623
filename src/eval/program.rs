//! The compiled form of a condition: a flat instruction vector with forward jumps for `AND`
//! and `OR`, a constant pool, the attribute slots it reads, and the node table (spans and tree
//! shape) that only traces and error reports read.

use super::like::LikeMatcher;
use super::request::Slot;
use super::value::Value;
use crate::catalog::ActionPattern;
use crate::span::Span;
use crate::syntax::{OperatorFamily, Quantifier, Relation};

/// A compiled condition. Immutable, `Send` and `Sync`: compile once, evaluate from any number
/// of threads. Build one with [`Program::from_source`] or [`super::compile`].
#[derive(Clone, Debug)]
pub struct Program {
    pub(super) code: Vec<Instr>,
    pub(super) comparisons: Vec<Compare>,
    pub(super) constants: Vec<Constant>,
    pub(super) strings: Vec<Box<str>>,
    pub(super) globs: Vec<ActionPattern>,
    /// The GUID sets of membership tests, each sorted, one after another.
    pub(super) guids: Vec<u128>,
    pub(super) slots: Vec<Slot>,
    /// Each slot's attribute as first written in the condition, for listings and traces.
    pub(super) slot_names: Vec<SlotName>,
    /// The tree, in pre-order: node 0 is the whole condition.
    pub(super) nodes: Vec<Node>,
    pub(super) source: Box<str>,
    pub(super) budget: u64,
}

/// How an attribute of a slot was written, for listings and traces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum SlotName {
    /// As this span of the source writes it.
    Source(Span),
    /// As printed (the source spells it otherwise).
    Owned(Box<str>),
}

/// Marks the parent of the root, and a leaf not compiled yet.
pub(super) const NO_NODE: u32 = u32::MAX;

/// The string index of an instruction that reads no string.
pub(super) const NO_STRING: u32 = u32::MAX;

/// The branch target that ends evaluation with `true`.
pub(super) const ACCEPT: u32 = u32::MAX;
/// The branch target that ends evaluation with `false`.
pub(super) const REJECT: u32 = u32::MAX - 1;

/// One instruction: a leaf of the condition's tree and where to go next on each of its
/// values. `AND`, `OR` and `NOT` leave no instruction of their own: the compiler turns them
/// into these branches (short-circuit code), so evaluation runs one instruction per leaf it
/// visits. Every branch goes forward or to [`ACCEPT`]/[`REJECT`], so evaluation ends after
/// at most `code.len()` instructions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Instr {
    /// What the leaf tests.
    pub op: Op,
    /// The next instruction when the leaf is true.
    pub on_true: u32,
    /// The next instruction when the leaf is false.
    pub on_false: u32,
}

/// The test of one leaf.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Op {
    /// A constant `true` or `false`.
    Const(bool),
    /// `ActionMatches` with no `*`. An action of the catalogue is its `number`, and the two
    /// numbers compare (`name` is [`NO_STRING`]); any other action (`number` 0) equals
    /// `strings[name]` ignoring ASCII case (both are stored ASCII-lowercased).
    Action { name: u32, number: u32 },
    /// `ActionMatches` with a `*`: `globs[i]`.
    ActionGlob(u32),
    /// `SubOperationMatches{strings[i]}`.
    SubOperation(u32),
    /// `Exists` of `slots[i]`.
    Exists(u32),
    /// A GUID attribute against a constant set: `(∃|∀) l: (l ∈ set) == member`.
    GuidIn(Membership),
    /// A string attribute against a constant set, optionally case-folded.
    StrIn(Membership),
    /// A string attribute against one constant string.
    Text(TextTest),
    /// An attribute against one constant value.
    Unary(Unary),
    /// Any other comparison: `comparisons[i]`.
    Compare(u32),
}

/// The operands of a membership test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Membership {
    pub slot: u32,
    /// The set: `len` values from `start` of `guids` (GUIDs) or `strings` (strings, folded
    /// when `fold`), sorted.
    pub start: u32,
    pub len: u32,
    /// `∀` over the attribute's values rather than `∃`.
    pub all_left: bool,
    /// Whether a value passes by being in the set (`Equals`) or by being outside it
    /// (`NotEquals`).
    pub member: bool,
    /// Unquantified: the attribute must not be a list.
    pub single: bool,
    /// Compare case-folded strings (`…IgnoreCase`).
    pub fold: bool,
}

impl Membership {
    /// Where the set is in its pool.
    pub fn range(self) -> std::ops::Range<usize> {
        let start = self.start as usize;
        start..start.saturating_add(self.len as usize)
    }
}

/// A string attribute tested against one constant string: `(∃|∀) l: relation(l, c) !=
/// negated`. `StringEquals`, `StringStartsWith`, ... with a literal, and `StringLike` with a
/// pattern that is a literal with `*` at one end or both, compile to this.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct TextTest {
    pub slot: u32,
    /// `strings[i]`: the constant, case-folded when `fold`.
    pub string: u32,
    pub relation: TextRelation,
    /// Compare case-folded text (`…IgnoreCase`).
    pub fold: bool,
    /// `∀` over the attribute's values rather than `∃`.
    pub all_left: bool,
    /// Unquantified: the attribute must not be a list.
    pub single: bool,
    pub negated: bool,
}

/// How a [`TextTest`] compares the attribute's text `l` with the constant `c`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TextRelation {
    /// `l == c`.
    Equals,
    /// `l` starts with `c`.
    StartsWith,
    /// `l` ends with `c`.
    EndsWith,
    /// `c` occurs in `l`.
    Contains,
}

impl TextRelation {
    /// Whether `text` stands in this relation to `constant`.
    #[inline(always)]
    pub fn holds(self, text: &str, constant: &str) -> bool {
        match self {
            TextRelation::Equals => text == constant,
            TextRelation::StartsWith => text.starts_with(constant),
            TextRelation::EndsWith => text.ends_with(constant),
            TextRelation::Contains => text.contains(constant),
        }
    }

    /// The mnemonic in listings.
    pub fn as_str(self) -> &'static str {
        match self {
            TextRelation::Equals => "equals",
            TextRelation::StartsWith => "startsWith",
            TextRelation::EndsWith => "endsWith",
            TextRelation::Contains => "contains",
        }
    }
}

/// An attribute tested against one constant value: `(∃|∀) l: test(l, c) != negated`. With a
/// single right value every quantifier is a formula over the left values alone, so this is
/// the shape of almost every comparison in real conditions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Unary {
    pub slot: u32,
    /// `constants[i]`, which holds exactly one value (and its pattern, for `Like`).
    pub constant: u32,
    pub test: Test,
    /// `∀` over the attribute's values rather than `∃`.
    pub all_left: bool,
    /// Unquantified: the attribute must not be a list.
    pub single: bool,
    pub negated: bool,
}

/// A comparison in its general form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Compare {
    pub left: Source,
    pub right: Source,
    pub test: Test,
    pub family: OperatorFamily,
    pub quantifier: Option<Quantifier>,
    pub negated: bool,
}

/// Where an operand's values come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Source {
    /// `slots[i]` of the request.
    Slot(u32),
    /// `constants[i]`.
    Constant(u32),
}

/// The relation a comparison tests, specialised by type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Test {
    /// A string relation other than `Like`, on folded text when `fold`.
    Str { relation: Relation, fold: bool },
    /// `StringLike` against the right constant's compiled patterns.
    LikeConstant { fold: bool },
    /// `StringLike` against a pattern read from the request.
    LikeDynamic { fold: bool },
    /// Integers or DateTimes, ordered.
    Ordered(Relation),
    /// Booleans or GUIDs, equal.
    Equal,
}

/// A typed constant operand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Constant {
    pub values: Vec<Value>,
    /// Written as a set `{…}`.
    pub list: bool,
    /// When the constant is a `Like` pattern: one compiled matcher per value.
    pub patterns: Vec<LikeMatcher>,
}

/// A node of the condition's tree, for traces and error spans. Nodes are in pre-order, so a
/// node's children follow it, each naming it as their parent (a `NOT`'s one child is the
/// next node).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Node {
    pub span: Span,
    pub kind: NodeKind,
    /// The parent's index, or [`NO_NODE`] for the root.
    pub parent: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum NodeKind {
    Or,
    And,
    Not,
    /// Computed by the instruction at this index.
    Leaf(u32),
}

impl Program {
    /// The condition's text.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether the condition reads `attribute`.
    pub fn reads_attribute(&self, attribute: &crate::syntax::AttributeRef) -> bool {
        self.slots.contains(&Slot::of(attribute))
    }

    /// The number of instructions.
    pub fn len(&self) -> usize {
        self.code.len()
    }

    /// Whether the program has no instructions (never true for a compiled condition).
    pub fn is_empty(&self) -> bool {
        self.code.is_empty()
    }

    /// The same program with another work budget (see [`DEFAULT_BUDGET`](crate::limits::DEFAULT_BUDGET)).
    pub fn with_budget(mut self, budget: u64) -> Program {
        self.budget = budget;
        self
    }

    /// How the attribute of slot `i` is written.
    pub(super) fn slot_name(&self, i: usize) -> Option<&str> {
        Some(match self.slot_names.get(i)? {
            SlotName::Source(span) => span.slice(&self.source),
            SlotName::Owned(name) => name,
        })
    }

    /// The span of the node an instruction computes, or of the whole condition. Read only
    /// to report an error, so a scan of the nodes is fast enough.
    pub(super) fn span_at(&self, pc: usize) -> Span {
        let leaf = NodeKind::Leaf(u32::try_from(pc).unwrap_or(NO_NODE));
        self.nodes
            .iter()
            .find(|n| n.kind == leaf)
            .or_else(|| self.nodes.first())
            .map_or(Span::point(0), |n| n.span)
    }

    /// Each node's children, in order.
    pub(super) fn children(&self) -> Vec<Vec<u32>> {
        let mut children = vec![Vec::new(); self.nodes.len()];
        for (index, node) in self.nodes.iter().enumerate() {
            if let Some(siblings) = children.get_mut(node.parent as usize) {
                siblings.push(u32::try_from(index).unwrap_or(NO_NODE));
            }
        }
        children
    }
}
