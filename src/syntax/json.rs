//! The syntax tree as JSON (`azabac parse --format json`). The shape is a public contract,
//! documented in `docs/cli.md`; it is written out here field by field, not derived, so that
//! internal refactors cannot change it by accident.

use serde_json::{Map, Value, json};

use super::ast::{AttributeRef, Expr, ExprKind, Literal, OperandKind};
use super::attribute::AttributeName;
use super::operator::Operator;
use crate::span::{Span, Spanned};

/// `{"start": …, "end": …}` in bytes.
fn span(span: Span) -> Value {
    json!({"start": span.start, "end": span.end})
}

/// An expression node: `{"kind", "span", …}` with the fields of its kind.
pub fn expr(node: &Expr) -> Value {
    let mut object = Map::new();
    let kind = match &node.node {
        ExprKind::Or(operands) | ExprKind::And(operands) => {
            object.insert("operands".into(), operands.iter().map(expr).collect());
            if matches!(node.node, ExprKind::Or(_)) {
                "or"
            } else {
                "and"
            }
        }
        ExprKind::Not(operand) => {
            object.insert("operand".into(), expr(operand));
            "not"
        }
        ExprKind::ActionMatches(pattern) => {
            object.insert("pattern".into(), string(&pattern.node, pattern.span));
            "actionMatches"
        }
        ExprKind::SubOperationMatches(name) => {
            object.insert("subOperation".into(), string(&name.node, name.span));
            "subOperationMatches"
        }
        ExprKind::Exists(attribute_ref) => {
            object.insert(
                "attribute".into(),
                attribute(&attribute_ref.node, attribute_ref.span),
            );
            "exists"
        }
        ExprKind::Comparison(comparison) => {
            object.insert(
                "left".into(),
                operand(&comparison.left.node, comparison.left.span),
            );
            object.insert("operator".into(), operator(&comparison.operator));
            object.insert(
                "right".into(),
                operand(&comparison.right.node, comparison.right.span),
            );
            "comparison"
        }
        ExprKind::Constant(value) => {
            object.insert("value".into(), Value::Bool(*value));
            "constant"
        }
        ExprKind::Error => "error",
    };
    with_kind(kind, node.span, object)
}

fn with_kind(kind: &str, at: Span, fields: Map<String, Value>) -> Value {
    let mut object = Map::new();
    object.insert("kind".into(), Value::from(kind));
    object.insert("span".into(), span(at));
    object.extend(fields);
    Value::Object(object)
}

fn string(literal: &super::ast::StringLiteral, at: Span) -> Value {
    json!({"kind": "string", "span": span(at), "raw": literal.raw(), "value": literal.value()})
}

fn operator(op: &Spanned<Operator>) -> Value {
    let base = op.node.base;
    json!({
        "name": op.node.to_string(),
        "span": span(op.span),
        "quantifier": op.node.quantifier.map(|q| q.name()),
        "base": base.name(),
        "family": base.family().as_str(),
        "relation": base.relation().as_str(),
        "negated": base.is_negated(),
        "ignoreCase": base.ignores_case(),
    })
}

fn operand(node: &OperandKind, at: Span) -> Value {
    match node {
        OperandKind::Attribute(attribute_ref) => attribute(attribute_ref, at),
        OperandKind::Literal(value) => literal(value, at),
        OperandKind::Set(values) => json!({
            "kind": "set",
            "span": span(at),
            "values": values.iter().map(|v| literal(&v.node, v.span)).collect::<Vec<_>>(),
        }),
    }
}

fn literal(value: &Literal, at: Span) -> Value {
    match value {
        Literal::String(s) => string(s, at),
        Literal::Integer(n) => json!({"kind": "integer", "span": span(at), "value": n}),
        Literal::Bool(b) => json!({"kind": "bool", "span": span(at), "value": b}),
        Literal::Guid(g) => {
            json!({"kind": "guid", "span": span(at), "value": g.hyphenated().to_string()})
        }
    }
}

fn attribute(attribute_ref: &AttributeRef, at: Span) -> Value {
    let mut name = Map::new();
    name.insert("form".into(), Value::from(attribute_ref.name.form()));
    name.insert("text".into(), Value::from(attribute_ref.name.to_string()));
    match &attribute_ref.name {
        AttributeName::Qualified { path, attribute } => {
            name.insert("path".into(), Value::from(path.as_str()));
            name.insert("attribute".into(), Value::from(attribute.as_str()));
        }
        AttributeName::Keyed { path, key } => {
            name.insert("path".into(), Value::from(path.as_str()));
            name.insert("key".into(), Value::from(key.as_str()));
        }
        AttributeName::KeySet { path } | AttributeName::Path(path) => {
            name.insert("path".into(), Value::from(path.as_str()));
        }
        AttributeName::Name(text) => {
            name.insert("name".into(), Value::from(text.as_str()));
        }
    }
    json!({
        "kind": "attribute",
        "span": span(at),
        "source": attribute_ref.source.name(),
        "name": Value::Object(name),
    })
}
