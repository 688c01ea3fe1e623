//! The front end: lexing, parsing, the syntax tree, and printing it back.
//!
//! ```text
//! text ─token (logos)─▶ raw tokens ─lexer─▶ tokens ─parser (lalrpop)─▶ Expr ─printer─▶ text
//! ```

pub mod ast;
pub mod attribute;
pub mod format;
pub mod json;
pub mod lexer;
pub mod literal;
pub mod operator;
pub mod parser;
pub mod printer;
pub mod token;
pub mod tree;

pub use ast::*;
pub use attribute::{AttributeName, AttributeNameError};
pub use format::format;
pub use operator::{BaseOperator, Operator, OperatorFamily, Quantifier, Relation};
pub use parser::{Decoded, Parse, decode, parse};
