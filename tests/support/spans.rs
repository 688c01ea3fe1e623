//! The front end's soundness on any text: parsing never panics, every span (of the tree and
//! of every diagnostic and label) lies inside the input on character boundaries, and a valid
//! condition formats. Shared by `tests/properties.rs` and the fuzz targets (`fuzz/`), which
//! include this file with `#[path]`.

#![allow(
    clippy::panic,
    dead_code,
    reason = "a broken invariant must stop the test or the fuzzer; each includer uses a part"
)]

use azabac::span::Span;
use azabac::syntax::{self, Expr, ExprKind};

pub fn assert_span_ok(span: Span, source: &str) {
    assert!(
        span.start() <= span.end() && span.end() <= source.len(),
        "span {span} outside {} bytes",
        source.len()
    );
    assert!(
        source.is_char_boundary(span.start()) && source.is_char_boundary(span.end()),
        "span {span} splits a character"
    );
}

pub fn assert_tree_spans(expr: &Expr, source: &str) {
    assert_span_ok(expr.span, source);
    match &expr.node {
        ExprKind::Or(operands) | ExprKind::And(operands) => {
            operands.iter().for_each(|e| assert_tree_spans(e, source))
        }
        ExprKind::Not(inner) => assert_tree_spans(inner, source),
        ExprKind::ActionMatches(s) | ExprKind::SubOperationMatches(s) => {
            assert_span_ok(s.span, source)
        }
        ExprKind::Exists(a) => assert_span_ok(a.span, source),
        ExprKind::Comparison(c) => {
            assert_span_ok(c.left.span, source);
            assert_span_ok(c.operator.span, source);
            assert_span_ok(c.right.span, source);
        }
        ExprKind::Constant(_) | ExprKind::Error => {}
    }
}

pub fn check_never_panics_and_spans_are_sound(source: &str) {
    let parsed = syntax::parse(source);
    for diagnostic in &parsed.diagnostics {
        assert_span_ok(diagnostic.span, source);
        for label in &diagnostic.labels {
            assert_span_ok(label.span, source);
        }
    }
    if let Some(condition) = &parsed.condition {
        assert_tree_spans(condition, source);
    }
    if parsed.is_valid() {
        // A valid condition formats, unless canonical spacing would take it over Azure's
        // length limit, which is said as such (never as a formatter bug).
        if let Err(diagnostics) = syntax::format(source) {
            assert!(
                diagnostics
                    .iter()
                    .all(|d| d.code == azabac::diagnostic::Code::ConditionTooLong),
                "a valid condition must format: {source:?}: {diagnostics:?}"
            );
        }
    }
}
