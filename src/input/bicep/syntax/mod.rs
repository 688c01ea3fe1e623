//! Bicep values and expressions, parsed once, as Bicep's own parser reads them
//! (`Bicep.Core/Parsing/BaseParser.cs`): literals, strings with their escapes and
//! interpolations, objects and arrays (items on their own lines or after commas, spreads,
//! decorators, nested resources), `for` expressions with `if` filters, names, members and
//! safe dereference (`.?`, `[?…]`), indexes (`[^n]` from the end), calls (`f(…)`,
//! `az.f(…)`, `x.f(…)`), resource children (`::`), the non-null assertion (`x!`), lambdas,
//! unary and binary operators with Bicep's precedence, and the ternary. Line breaks end an
//! item, except inside parentheses and calls, after an operator or `=>`, and before a ternary's
//! `?` and `:`; comments and `#disable-next-line` directives are trivia.
//!
//! The tree keeps each expression's byte range, so that what reads it knows where each value
//! sits in the file. A construct the grammar does not have is an error at its offset, never
//! skipped.

use std::ops::Range;

mod collections;
mod parser;
mod strings;

pub(super) use parser::Parser;

/// An expression and where it is in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Expr {
    pub(super) kind: Kind,
    /// Its bytes in the file.
    pub(super) span: Range<usize>,
}

/// The kinds of expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// `'…'` or `'''…'''`: its pieces.
    String(Vec<Piece>),
    /// An integer, as written.
    Integer(String),
    Bool(bool),
    Null,
    /// A name: a parameter, variable, resource, loop variable or lambda parameter.
    Name(String),
    Object(Vec<Property>),
    Array(Vec<Element>),
    For(Box<For>),
    /// `name(…)`, or `target.name(…)` (a namespace such as `az` or `sys`, or an instance).
    Call {
        target: Option<Box<Expr>>,
        name: String,
        arguments: Vec<Expr>,
    },
    /// `target.name`, or `target.?name` (`safe`).
    Member {
        target: Box<Expr>,
        name: String,
        safe: bool,
    },
    /// `target[index]`, `target[?index]` (`safe`), `target[^index]` (`from_end`).
    Index {
        target: Box<Expr>,
        index: Box<Expr>,
        safe: bool,
        from_end: bool,
    },
    /// `target::name`: a nested resource.
    Child {
        target: Box<Expr>,
        name: String,
    },
    /// `target!`.
    NonNull(Box<Expr>),
    /// `!x` or `-x`.
    Unary {
        operator: u8,
        operand: Box<Expr>,
    },
    Binary {
        operator: Binary,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    Ternary {
        condition: Box<Expr>,
        then: Box<Expr>,
        otherwise: Box<Expr>,
    },
    /// `x => body` or `(a, b) => body`.
    Lambda {
        parameters: Vec<String>,
        body: Box<Expr>,
    },
    /// `(x)`.
    Parenthesized(Box<Expr>),
}

/// One piece of a string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Piece {
    /// Decoded text, and for each byte where it starts in the file.
    Text(String, Vec<usize>),
    /// `${…}`: the expression, and where its `$` is.
    Hole(Expr, usize),
}

/// One entry of an object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Property {
    /// `key: value` (a quoted key decoded; one with interpolations keeps its text).
    Value {
        key: String,
        key_at: usize,
        value: Expr,
    },
    /// `...value`.
    Spread(Expr),
    /// A nested `resource` declaration (a child resource): not a property.
    Resource(Range<usize>),
}

/// One entry of an array.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Element {
    Value(Expr),
    /// `...value`.
    Spread(Expr),
}

/// `[for item in source: body]`, `[for (item, index) in source: if (filter) body]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct For {
    pub(super) item: String,
    pub(super) index: Option<String>,
    pub(super) source: Expr,
    pub(super) filter: Option<Expr>,
    /// Where `for` is.
    pub(super) at: usize,
    pub(super) body: Expr,
}

/// Binary operators, by precedence as Bicep has them (higher binds tighter).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Binary {
    Multiply,
    Divide,
    Modulo,
    Add,
    Subtract,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
    Equal,
    NotEqual,
    EqualIgnoringCase,
    NotEqualIgnoringCase,
    And,
    Or,
    Coalesce,
}

impl Binary {
    pub(super) fn precedence(self) -> u8 {
        match self {
            Binary::Multiply | Binary::Divide | Binary::Modulo => 100,
            Binary::Add | Binary::Subtract => 90,
            Binary::Greater | Binary::GreaterOrEqual | Binary::Less | Binary::LessOrEqual => 80,
            Binary::Equal
            | Binary::NotEqual
            | Binary::EqualIgnoringCase
            | Binary::NotEqualIgnoringCase => 70,
            Binary::And => 50,
            Binary::Or => 40,
            Binary::Coalesce => 30,
        }
    }
}

/// The operators, longest first so that `>=` is not read as `>`.
pub(super) const OPERATORS: [(&str, Binary); 16] = [
    ("??", Binary::Coalesce),
    ("&&", Binary::And),
    ("||", Binary::Or),
    ("==", Binary::Equal),
    ("!=", Binary::NotEqual),
    ("=~", Binary::EqualIgnoringCase),
    ("!~", Binary::NotEqualIgnoringCase),
    (">=", Binary::GreaterOrEqual),
    ("<=", Binary::LessOrEqual),
    (">", Binary::Greater),
    ("<", Binary::Less),
    ("*", Binary::Multiply),
    ("/", Binary::Divide),
    ("%", Binary::Modulo),
    ("+", Binary::Add),
    ("-", Binary::Subtract),
];

/// The text of a string without interpolations; `None` if it has any.
pub(super) fn plain(pieces: &[Piece]) -> Option<String> {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(text, _) => out.push_str(text),
            Piece::Hole(..) => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests;
