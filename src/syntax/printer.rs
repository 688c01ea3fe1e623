//! The canonical printer (`azabac fmt`).
//!
//! Canonical text uses the documented spellings (`AND`, `OR`, `StringEquals`, lowercase
//! hyphenated GUIDs, `<$key_case_sensitive$>`), one space around operators, `, ` between set
//! values, `!(…)` for negation except `NOT Exists` and `NOT SubOperationMatches`, and
//! parentheses wherever `AND` and `OR` nest, so printed text is never ambiguous.
//!
//! A condition whose one-line form fits in [`WIDTH`] columns prints on one line. A longer one is
//! laid out as the Azure portal's code editor shows conditions: one operand per line, the
//! operator on a line of its own, each nested group in `(` … `)` indented by one space, and each
//! condition block `(targets) OR (expression)` with both sides parenthesised.
//!
//! Printing is a function of the tree alone, so formatting is idempotent;
//! [`format`](fn@super::format) also re-parses its output and checks that the tree is unchanged
//! before returning it.

use std::fmt::Write;

use super::ast::{Expr, ExprKind, Literal, OperandKind};

/// Conditions whose one-line form is at most this many characters stay on one line.
pub const WIDTH: usize = 100;

/// The canonical text of `expr`, without the re-parse check of
/// [`format_checked`](super::format::format_checked).
pub fn print(expr: &Expr) -> String {
    let flat = flat(expr);
    if flat.chars().count() <= WIDTH {
        return flat;
    }
    let mut out = String::new();
    match &expr.node {
        ExprKind::And(operands) => {
            for (index, operand) in operands.iter().enumerate() {
                if index > 0 {
                    out.push_str("\nAND\n");
                }
                if is_chain(operand) {
                    group(&mut out, operand, 0, is_block(operand));
                } else {
                    line(&mut out, operand, 0);
                }
            }
        }
        ExprKind::Or(_) if is_block(expr) => group(&mut out, expr, 0, true),
        ExprKind::Or(_) => chain(&mut out, expr, 0, false),
        _ => out.push_str(&flat),
    }
    out
}

/// The one-line form of `expr`.
pub fn flat(expr: &Expr) -> String {
    let mut out = String::new();
    write_flat(&mut out, expr);
    out
}

/// A short form for diagnostics: the one-line form with long leaves cut to a few characters.
pub fn sketch(expr: &Expr) -> String {
    const LEAF: usize = 32;
    match &expr.node {
        ExprKind::Or(operands) | ExprKind::And(operands) => {
            let separator = separator(expr);
            operands
                .iter()
                .map(|operand| {
                    let inner = sketch(operand);
                    if is_chain(operand) {
                        format!("({inner})")
                    } else {
                        inner
                    }
                })
                .collect::<Vec<_>>()
                .join(separator)
        }
        _ => {
            let text = flat(expr);
            if text.chars().count() <= LEAF {
                text
            } else {
                format!("{}…", text.chars().take(LEAF - 1).collect::<String>())
            }
        }
    }
}

/// `" OR "` or `" AND "` between the operands of a chain.
fn separator(expr: &Expr) -> &'static str {
    if matches!(expr.node, ExprKind::Or(_)) {
        " OR "
    } else {
        " AND "
    }
}

fn is_chain(expr: &Expr) -> bool {
    matches!(expr.node, ExprKind::And(_) | ExprKind::Or(_))
}

/// A condition block: an `OR` one of whose operands targets actions.
fn is_block(expr: &Expr) -> bool {
    match &expr.node {
        ExprKind::Or(operands) => operands.iter().any(mentions_action),
        _ => false,
    }
}

fn mentions_action(expr: &Expr) -> bool {
    match &expr.node {
        ExprKind::ActionMatches(_) | ExprKind::SubOperationMatches(_) => true,
        ExprKind::Not(inner) => mentions_action(inner),
        ExprKind::And(operands) | ExprKind::Or(operands) => operands.iter().any(mentions_action),
        _ => false,
    }
}

fn indent(out: &mut String, depth: usize) {
    out.extend(std::iter::repeat_n(' ', depth));
}

fn line(out: &mut String, expr: &Expr, depth: usize) {
    indent(out, depth);
    write_flat(out, expr);
}

/// `(`, the chain one level deeper, `)`.
fn group(out: &mut String, expr: &Expr, depth: usize, block: bool) {
    indent(out, depth);
    out.push_str("(\n");
    if is_chain(expr) {
        chain(out, expr, depth + 1, block);
    } else {
        line(out, expr, depth + 1);
    }
    out.push('\n');
    indent(out, depth);
    out.push(')');
}

/// The operands of an `AND`/`OR` one per line, the operator on its own line between them. In a
/// condition block every operand is parenthesised, as the portal does.
fn chain(out: &mut String, expr: &Expr, depth: usize, block: bool) {
    let (operands, operator) = match &expr.node {
        ExprKind::And(operands) => (operands, "AND"),
        ExprKind::Or(operands) => (operands, "OR"),
        _ => return line(out, expr, depth),
    };
    for (index, operand) in operands.iter().enumerate() {
        if index > 0 {
            out.push('\n');
            indent(out, depth);
            out.push_str(operator);
            out.push('\n');
        }
        if block || is_chain(operand) {
            group(out, operand, depth, false);
        } else {
            line(out, operand, depth);
        }
    }
}

fn write_flat(out: &mut String, expr: &Expr) {
    match &expr.node {
        ExprKind::Or(operands) | ExprKind::And(operands) => {
            let separator = separator(expr);
            for (index, operand) in operands.iter().enumerate() {
                if index > 0 {
                    out.push_str(separator);
                }
                if is_chain(operand) {
                    out.push('(');
                    write_flat(out, operand);
                    out.push(')');
                } else {
                    write_flat(out, operand);
                }
            }
        }
        ExprKind::Not(inner) => match inner.node {
            ExprKind::Exists(_) | ExprKind::SubOperationMatches(_) => {
                out.push_str("NOT ");
                write_flat(out, inner);
            }
            _ => {
                out.push_str("!(");
                write_flat(out, inner);
                out.push(')');
            }
        },
        ExprKind::ActionMatches(pattern) => {
            let _ = write!(out, "ActionMatches{{'{}'}}", pattern.raw());
        }
        ExprKind::SubOperationMatches(name) => {
            let _ = write!(out, "SubOperationMatches{{'{}'}}", name.raw());
        }
        ExprKind::Exists(attribute) => {
            let _ = write!(
                out,
                "Exists @{}[{}]",
                attribute.source.name(),
                attribute.name
            );
        }
        ExprKind::Comparison(comparison) => {
            write_operand(out, &comparison.left.node);
            let _ = write!(out, " {} ", comparison.operator.node);
            write_operand(out, &comparison.right.node);
        }
        ExprKind::Constant(value) => {
            let _ = write!(out, "{value}");
        }
        ExprKind::Error => out.push_str("<error>"),
    }
}

fn write_operand(out: &mut String, operand: &OperandKind) {
    match operand {
        OperandKind::Attribute(attribute) => {
            let _ = write!(out, "@{}[{}]", attribute.source.name(), attribute.name);
        }
        OperandKind::Literal(literal) => write_literal(out, literal),
        OperandKind::Set(values) => {
            out.push('{');
            for (index, value) in values.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                write_literal(out, value);
            }
            out.push('}');
        }
    }
}

fn write_literal(out: &mut String, literal: &Literal) {
    let _ = match literal {
        Literal::String(s) => write!(out, "'{}'", s.raw()),
        Literal::Integer(value) => write!(out, "{value}"),
        Literal::Bool(value) => write!(out, "{value}"),
        Literal::Guid(guid) => write!(out, "{}", guid.hyphenated()),
    };
}
