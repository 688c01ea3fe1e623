//! The syntax tree as indented text (`azabac parse --format tree`): one node per line with its
//! span, for people and for snapshot tests.

use std::fmt::Write;

use super::ast::{AttributeRef, Expr, ExprKind, Literal, OperandKind};
use super::attribute::AttributeName;
use crate::span::Span;

/// Renders `expr` one node per line, children indented by two spaces.
///
/// ```
/// let parsed = azabac::syntax::parse("NOT Exists @Request[x:y]");
/// let tree = azabac::syntax::tree::render(parsed.condition.as_ref().unwrap());
/// assert_eq!(tree, "not @0..24\n  exists @4..24\n    attribute Request qualified path=`x` attribute=`y` @11..24\n");
/// ```
pub fn render(expr: &Expr) -> String {
    let mut out = String::new();
    write_expr(&mut out, expr, 0);
    out
}

fn line(out: &mut String, depth: usize, text: &str, span: Span) {
    let _ = writeln!(out, "{:indent$}{text} @{span}", "", indent = depth * 2);
}

fn write_expr(out: &mut String, expr: &Expr, depth: usize) {
    match &expr.node {
        ExprKind::Or(operands) | ExprKind::And(operands) => {
            line(
                out,
                depth,
                if matches!(expr.node, ExprKind::Or(_)) {
                    "or"
                } else {
                    "and"
                },
                expr.span,
            );
            for operand in operands {
                write_expr(out, operand, depth + 1);
            }
        }
        ExprKind::Not(operand) => {
            line(out, depth, "not", expr.span);
            write_expr(out, operand, depth + 1);
        }
        ExprKind::ActionMatches(pattern) => {
            line(
                out,
                depth,
                &format!("action-matches '{}'", pattern.raw()),
                expr.span,
            );
        }
        ExprKind::SubOperationMatches(name) => {
            line(
                out,
                depth,
                &format!("suboperation-matches '{}'", name.raw()),
                expr.span,
            );
        }
        ExprKind::Exists(attribute) => {
            line(out, depth, "exists", expr.span);
            line(
                out,
                depth + 1,
                &describe_attribute(attribute),
                attribute.span,
            );
        }
        ExprKind::Comparison(comparison) => {
            line(
                out,
                depth,
                &format!("comparison {}", comparison.operator.node),
                expr.span,
            );
            write_operand(out, &comparison.left.node, comparison.left.span, depth + 1);
            write_operand(
                out,
                &comparison.right.node,
                comparison.right.span,
                depth + 1,
            );
        }
        ExprKind::Constant(value) => line(out, depth, &format!("constant {value}"), expr.span),
        ExprKind::Error => line(out, depth, "error", expr.span),
    }
}

fn write_operand(out: &mut String, operand: &OperandKind, span: Span, depth: usize) {
    match operand {
        OperandKind::Attribute(attribute) => line(out, depth, &describe_attribute(attribute), span),
        OperandKind::Literal(literal) => line(out, depth, &describe_literal(literal), span),
        OperandKind::Set(values) => {
            line(out, depth, "set", span);
            for value in values {
                line(out, depth + 1, &describe_literal(&value.node), value.span);
            }
        }
    }
}

fn describe_attribute(attribute: &AttributeRef) -> String {
    let form = match &attribute.name {
        AttributeName::Qualified { path, attribute } => {
            format!("qualified path=`{path}` attribute=`{attribute}`")
        }
        AttributeName::Keyed { path, key } => format!("keyed path=`{path}` key=`{key}`"),
        AttributeName::KeySet { path } => format!("key-set path=`{path}`"),
        AttributeName::Name(name) => format!("name `{name}`"),
        AttributeName::Path(path) => format!("path `{path}`"),
    };
    format!("attribute {} {form}", attribute.source.name())
}

fn describe_literal(literal: &Literal) -> String {
    match literal {
        Literal::String(s) => format!("string '{}'", s.raw()),
        Literal::Integer(n) => format!("integer {n}"),
        Literal::Bool(b) => format!("bool {b}"),
        Literal::Guid(g) => format!("guid {}", g.hyphenated()),
    }
}
