//! `format`: the canonical text of a condition, proven to parse back to the same tree.
//!
//! Printing ([`super::printer`]) is a function of the tree alone; this module adds the check
//! that makes `azabac fmt` safe to run on a file: the output re-parses to the same tree, and
//! stays within the length Azure accepts.

use super::ast::Expr;
use super::parser::{Parse, parse};
use super::printer::print;
use crate::diagnostic::{Code, Diagnostic, has_errors};
use crate::limits::MAX_CONDITION_BYTES;
use crate::span::Span;

/// Parses `source` and returns its canonical text, or the diagnostics that prevent formatting.
///
/// ```
/// let text = azabac::syntax::format("@resource[Microsoft.KeyVault/vaults:name]  stringstartswith 'kv'").unwrap();
/// assert_eq!(text, "@Resource[Microsoft.KeyVault/vaults:name] StringStartsWith 'kv'");
/// ```
pub fn format(source: &str) -> Result<String, Vec<Diagnostic>> {
    let parsed = parse(source);
    match parsed.valid_condition() {
        Some(expr) => format_checked(expr),
        None => Err(parsed.diagnostics),
    }
}

/// Prints `expr` canonically, after proving that the text parses back to the same tree.
pub fn format_checked(expr: &Expr) -> Result<String, Vec<Diagnostic>> {
    let text = print(expr);
    // Canonical spacing can push a condition that fits over Azure's limit (a set of a
    // thousand values gains a space after every comma): refuse rather than write text Azure
    // would reject.
    if text.len() > MAX_CONDITION_BYTES {
        return Err(vec![
            Diagnostic::new(
                Code::ConditionTooLong,
                Span::new(0, 0),
                format!(
                    "formatted, the condition would be {} bytes, over the {MAX_CONDITION_BYTES} Azure accepts",
                    text.len()
                ),
            )
            .with_help("the condition is valid as written; shorten it before formatting, for example by splitting long value sets across role assignments"),
        ]);
    }
    let Parse {
        condition,
        diagnostics,
    } = parse(&text);
    if condition.as_ref() == Some(expr) && !has_errors(&diagnostics) {
        Ok(text)
    } else {
        Err(vec![Diagnostic::new(
            Code::FormatterMismatch,
            Span::new(0, 0),
            "the formatted condition does not parse to the same tree",
        )
        .with_help(format!(
            "this is a bug in azabac; please report it with the condition. Formatted text:\n{text}"
        ))])
    }
}
