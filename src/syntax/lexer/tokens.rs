//! The tokens the grammar reads: decoded values, and the place of any text in the source.

use std::marker::PhantomData;

use crate::syntax::ast::AttributeRef;
use crate::syntax::operator::Operator;

/// A token as the grammar sees it, with its decoded value.
#[derive(Clone, Debug, PartialEq)]
pub enum Token<'src> {
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `{`
    LBrace,
    /// `}`
    RBrace,
    /// `,`
    Comma,
    /// `AND` or `&&`
    And,
    /// `OR` or `||`
    Or,
    /// `NOT` or `!`
    Not,
    /// `true`
    True,
    /// `false`
    False,
    /// `ActionMatches`
    ActionMatches,
    /// `SubOperationMatches`
    SubOperationMatches,
    /// `Exists`
    Exists,
    /// A comparison operator.
    Operator(Operator),
    /// A bare GUID (shaped and hex as a GUID must be; read when the tree is built).
    Guid(Text<'src>),
    /// An integer.
    Integer(i64),
    /// A string literal: the raw text between the quotes.
    String(Text<'src>),
    /// `@Source[name]`.
    Attribute(Box<AttributeRef>),
    /// A word that is no keyword or operator; only error productions accept it.
    Word(Text<'src>),
    /// `==`, `!=` and friends; only error productions accept them.
    Symbol(Text<'src>),
}

/// Where a token's text is in the source: a token holds its place rather than the text, which
/// keeps tokens (and the parser's symbols) at 16 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text<'src> {
    start: u32,
    end: u32,
    source: PhantomData<&'src str>,
}

impl<'src> Text<'src> {
    pub(super) fn new(start: usize, end: usize) -> Text<'src> {
        Text {
            start: crate::span::offset(start),
            end: crate::span::offset(end),
            source: PhantomData,
        }
    }

    /// The text of `source`, the condition the token came from.
    pub fn get(self, source: &'src str) -> &'src str {
        source
            .get(self.start as usize..self.end as usize)
            .unwrap_or_default()
    }
}

impl Token<'_> {
    /// How the token reads in a diagnostic; `source` is the condition it came from.
    pub fn describe(&self, source: &str) -> String {
        match self {
            Token::LParen => "`(`".into(),
            Token::RParen => "`)`".into(),
            Token::LBrace => "`{`".into(),
            Token::RBrace => "`}`".into(),
            Token::Comma => "`,`".into(),
            Token::And => "`AND`".into(),
            Token::Or => "`OR`".into(),
            Token::Not => "`NOT`".into(),
            Token::True => "`true`".into(),
            Token::False => "`false`".into(),
            Token::ActionMatches => "`ActionMatches`".into(),
            Token::SubOperationMatches => "`SubOperationMatches`".into(),
            Token::Exists => "`Exists`".into(),
            Token::Operator(op) => format!("operator `{op}`"),
            Token::Guid(guid) => format!("GUID `{}`", guid.get(source)),
            Token::Integer(value) => format!("integer `{value}`"),
            Token::String(raw) => format!("string `'{}'`", raw.get(source)),
            Token::Attribute(attribute) => {
                format!(
                    "attribute `@{}[{}]`",
                    attribute.source.name(),
                    attribute.name
                )
            }
            Token::Word(word) => format!("`{}`", word.get(source)),
            Token::Symbol(symbol) => format!("`{}`", symbol.get(source)),
        }
    }
}

/// The keywords in their documented spelling; any ASCII case reads as the keyword.
pub(super) const KEYWORDS: [(&str, Token<'static>); 8] = [
    ("AND", Token::And),
    ("OR", Token::Or),
    ("NOT", Token::Not),
    ("true", Token::True),
    ("false", Token::False),
    ("Exists", Token::Exists),
    ("ActionMatches", Token::ActionMatches),
    ("SubOperationMatches", Token::SubOperationMatches),
];

/// A token with its byte span, in the triple form lalrpop consumes. Offsets are `u32`, which
/// keeps the parser's symbols small; the parser analyses at most a mebibyte.
pub type SpannedToken<'src> = (u32, Token<'src>, u32);
