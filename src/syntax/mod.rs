//! The front end: lexing, parsing, the syntax tree, and printing it back.
//!
//! ```text
//! text ─token (logos)─▶ raw tokens ─lexer─▶ tokens ─parser (lalrpop)─▶ Expr ─printer─▶ text
//! ```
//!
//! The lexer, its tokens and the parser's builder are internal; [`parse`] is the way in, and
//! [`Parse`] what comes out.

pub mod ast;
pub mod attribute;
pub mod format;
pub mod json;
pub(crate) mod lexer;
pub mod literal;
pub mod operator;
pub(crate) mod parser;
pub mod printer;
pub(crate) mod token;
pub mod tree;

pub use ast::*;
pub use attribute::{AttributeName, AttributeNameError};
pub use format::format;
pub use operator::{BaseOperator, Operator, OperatorFamily, Quantifier, Relation};
pub use parser::{Decoded, Parse, decode, parse};
