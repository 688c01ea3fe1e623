//! The syntax tree of a condition. Every node carries the span it was parsed from; equality
//! ignores spans (see [`Spanned`]).
//!
//! Parentheses leave no node of their own: `(a)` and `a` are the same tree. `AND` and `OR`
//! chains are n-ary, so `a AND b AND c` is one [`ExprKind::And`] with three operands, while
//! `(a AND b) AND c` keeps its grouping as an `And` inside an `And`.

use std::borrow::Cow;

use uuid::Uuid;

use super::attribute::AttributeName;
use super::operator::Operator;
use crate::span::Spanned;

/// A boolean expression: the whole condition or any part of it.
pub type Expr = Spanned<ExprKind>;

/// The kinds of boolean expression.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ExprKind {
    /// `a OR b OR …` (also `||`); at least two operands.
    Or(Vec<Expr>),
    /// `a AND b AND …` (also `&&`); at least two operands.
    And(Vec<Expr>),
    /// `NOT a` or `!a`.
    Not(Box<Expr>),
    /// `ActionMatches{'pattern'}`.
    ActionMatches(Spanned<StringLiteral>),
    /// `SubOperationMatches{'name'}`.
    SubOperationMatches(Spanned<StringLiteral>),
    /// `Exists @Source[name]`.
    Exists(Spanned<Box<AttributeRef>>),
    /// `left Operator right`.
    Comparison(Box<Comparison>),
    /// A bare `true` or `false` ([decision 11](crate::spec::decisions#decision-11)).
    Constant(bool),
    /// Where the parser recovered from a syntax error. Never present in a tree returned without
    /// errors.
    Error,
}

/// `left Operator right`, such as `@Request[…:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {…}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Comparison {
    /// The left operand: usually an attribute.
    pub left: Operand,
    /// The operator.
    pub operator: Spanned<Operator>,
    /// The right operand: usually a literal or set.
    pub right: Operand,
}

/// One side of a comparison.
pub type Operand = Spanned<OperandKind>;

/// What an operand can be.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum OperandKind {
    /// `@Source[name]`.
    Attribute(Box<AttributeRef>),
    /// A single literal value.
    Literal(Literal),
    /// `{v1, v2, …}`: one or more literals.
    Set(Vec<Spanned<Literal>>),
}

/// A literal value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Literal {
    /// `'text'`.
    String(StringLiteral),
    /// `42`, `-7`: a 64-bit signed integer.
    Integer(i64),
    /// `true` / `false`.
    Bool(bool),
    /// A bare GUID, hyphenated or 32 hexadecimal digits.
    Guid(Uuid),
}

/// A single-quoted string, kept exactly as written between the quotes.
///
/// [Decision 1](crate::spec::decisions#decision-1): a `\` makes the next character part of the literal. Comparisons other than
/// `…Like` use [`StringLiteral::value`], which turns `\'` into `'` and `\\` into `\`; `…Like`
/// patterns read the raw text so that `\*` and `\?` stay literal wildcards.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StringLiteral {
    raw: Box<str>,
}

impl StringLiteral {
    /// A literal from the text between its quotes, escapes included.
    pub fn from_raw(raw: impl Into<String>) -> Self {
        let raw: String = raw.into();
        StringLiteral {
            raw: raw.into_boxed_str(),
        }
    }

    /// A literal whose value is `value`, escaping `'` and `\` as needed.
    ///
    /// ```
    /// use azabac::syntax::StringLiteral;
    /// let s = StringLiteral::from_value(r"it's a \ path");
    /// assert_eq!(s.raw(), r"it\'s a \\ path");
    /// assert_eq!(s.value(), r"it's a \ path");
    /// ```
    pub fn from_value(value: &str) -> Self {
        let mut raw = String::with_capacity(value.len());
        for c in value.chars() {
            if c == '\'' || c == '\\' {
                raw.push('\\');
            }
            raw.push(c);
        }
        StringLiteral::from_raw(raw)
    }

    /// The text between the quotes, exactly as written.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The value for non-`Like` comparisons: `\'` → `'`, `\\` → `\`, other text unchanged.
    pub fn value(&self) -> Cow<'_, str> {
        // The common literal has no `\`: one quick scan, and it is borrowed.
        if crate::scan::find(&self.raw, b'\\').is_none() {
            return Cow::Borrowed(&self.raw);
        }
        let mut value = String::with_capacity(self.raw.len());
        let mut chars = self.raw.chars();
        while let Some(c) = chars.next() {
            match (c, chars.clone().next()) {
                ('\\', Some(next @ ('\'' | '\\'))) => {
                    value.push(next);
                    chars.next();
                }
                _ => value.push(c),
            }
        }
        Cow::Owned(value)
    }
}

/// Where an attribute's value comes from ([LANGUAGE.md §4.1](crate::spec::language#section-4-1)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AttributeSource {
    /// `@Request`: a parameter of the incoming request.
    Request,
    /// `@Resource`: a property of the existing resource.
    Resource,
    /// `@Principal`: a custom security attribute of the caller.
    Principal,
    /// `@Environment`: private link, endpoint, subnet, current time.
    Environment,
}

impl AttributeSource {
    /// Every source.
    pub const ALL: &'static [AttributeSource] = &[
        AttributeSource::Request,
        AttributeSource::Resource,
        AttributeSource::Principal,
        AttributeSource::Environment,
    ];

    /// The documented spelling, without `@`.
    pub fn name(self) -> &'static str {
        match self {
            AttributeSource::Request => "Request",
            AttributeSource::Resource => "Resource",
            AttributeSource::Principal => "Principal",
            AttributeSource::Environment => "Environment",
        }
    }

    /// Looks a name up ignoring ASCII case.
    pub fn from_name(name: &str) -> Option<AttributeSource> {
        AttributeSource::ALL
            .iter()
            .copied()
            .find(|s| s.name().eq_ignore_ascii_case(name))
    }
}

/// `@Source[name]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AttributeRef {
    /// `Request`, `Resource`, `Principal` or `Environment`.
    pub source: AttributeSource,
    /// The text inside the brackets, parsed into its form.
    pub name: AttributeName,
}
