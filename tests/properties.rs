//! Properties of the front end, over generated inputs:
//! - printing any tree and parsing the text gives the same tree back;
//! - parsing any text never panics, and every span lies inside the input on character
//!   boundaries;
//! - pathological nesting and length give diagnostics, not crashes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly on broken fixtures"
)]

use azabac::diagnostic::{Code, has_errors};
use azabac::span::{Span, Spanned};
use azabac::syntax::{
    self, AttributeName, AttributeRef, AttributeSource, BaseOperator, Comparison, Expr, ExprKind,
    Literal, Operand, OperandKind, Operator, Quantifier, StringLiteral, printer,
};
use proptest::prelude::*;
use uuid::Uuid;

#[path = "support/spans.rs"]
mod spans;

use spans::check_never_panics_and_spans_are_sound;

fn spanned<T>(node: T) -> Spanned<T> {
    Spanned::new(node, Span::default())
}

fn segment() -> impl Strategy<Value = String> {
    "[A-Za-z][A-Za-z0-9._]{0,8}"
}

fn path() -> impl Strategy<Value = String> {
    prop::collection::vec(segment(), 1..4).prop_map(|segments| segments.join("/"))
}

fn attribute_name() -> impl Strategy<Value = AttributeName> {
    prop_oneof![
        (path(), "[A-Za-z][A-Za-z0-9_]{0,10}")
            .prop_map(|(path, attribute)| AttributeName::Qualified { path, attribute }),
        (path(), "[A-Za-z0-9 +.=_:-]{0,5}[A-Za-z0-9]")
            .prop_map(|(path, key)| AttributeName::Keyed { path, key }),
        path().prop_map(|path| AttributeName::KeySet { path }),
        "[A-Za-z][A-Za-z0-9_]{0,10}".prop_map(AttributeName::Name),
        (segment(), path()).prop_map(|(head, tail)| AttributeName::Path(format!("{head}/{tail}"))),
    ]
}

fn attribute() -> impl Strategy<Value = AttributeRef> {
    (prop::sample::select(AttributeSource::ALL), attribute_name())
        .prop_map(|(source, name)| AttributeRef { source, name })
}

fn string_literal() -> impl Strategy<Value = StringLiteral> {
    "[A-Za-z0-9 '\\\\*?/._é日-]{0,12}".prop_map(|value| StringLiteral::from_value(&value))
}

fn literal() -> impl Strategy<Value = Literal> {
    prop_oneof![
        string_literal().prop_map(Literal::String),
        any::<i64>().prop_map(Literal::Integer),
        any::<bool>().prop_map(Literal::Bool),
        any::<u128>().prop_map(|bits| Literal::Guid(Uuid::from_u128(bits))),
    ]
}

fn operand() -> impl Strategy<Value = Operand> {
    prop_oneof![
        attribute().prop_map(|a| spanned(OperandKind::Attribute(Box::new(a)))),
        literal().prop_map(|l| spanned(OperandKind::Literal(l))),
        prop::collection::vec(literal().prop_map(spanned), 1..4)
            .prop_map(|v| spanned(OperandKind::Set(v))),
    ]
}

fn operator() -> impl Strategy<Value = Operator> {
    (
        prop::option::of(prop::sample::select(Quantifier::ALL)),
        prop::sample::select(BaseOperator::ALL),
    )
        .prop_map(|(quantifier, base)| Operator { quantifier, base })
}

fn leaf() -> impl Strategy<Value = Expr> {
    prop_oneof![
        string_literal().prop_map(|s| spanned(ExprKind::ActionMatches(spanned(s)))),
        string_literal().prop_map(|s| spanned(ExprKind::SubOperationMatches(spanned(s)))),
        attribute().prop_map(|a| spanned(ExprKind::Exists(spanned(Box::new(a))))),
        (operand(), operator(), operand()).prop_map(|(left, op, right)| {
            spanned(ExprKind::Comparison(Box::new(Comparison {
                left,
                operator: spanned(op),
                right,
            })))
        }),
        any::<bool>().prop_map(|b| spanned(ExprKind::Constant(b))),
    ]
}

fn expr() -> impl Strategy<Value = Expr> {
    leaf().prop_recursive(5, 40, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..5).prop_map(|v| spanned(ExprKind::Or(v))),
            prop::collection::vec(inner.clone(), 2..5).prop_map(|v| spanned(ExprKind::And(v))),
            inner.prop_map(|e| spanned(ExprKind::Not(Box::new(e)))),
        ]
    })
}

/// Fragments of the language, so generated text often gets deep into the grammar.
fn token_soup() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        Just("(".to_owned()),
        Just(")".to_owned()),
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just(",".to_owned()),
        Just("!".to_owned()),
        Just("AND".to_owned()),
        Just("||".to_owned()),
        Just("NOT".to_owned()),
        Just("Exists".to_owned()),
        Just("ActionMatches".to_owned()),
        Just("ForAnyOfAnyValues:GuidEquals".to_owned()),
        Just("StringLike".to_owned()),
        Just("@Request[a/b:c]".to_owned()),
        Just("@Resource[t:k<$>".to_owned()),
        Just("'str\\'".to_owned()),
        Just("'é'".to_owned()),
        Just("8e3af657-a8ff-443c-a75c-2fe8c4bcb635".to_owned()),
        Just("12".to_owned()),
        Just("\"".to_owned()),
        Just("==".to_owned()),
        "[a-z]{1,4}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec((fragment, prop::sample::select(vec!["", " ", "\n"])), 0..40)
        .prop_map(|parts| parts.into_iter().map(|(f, s)| f + s).collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn printing_then_parsing_gives_the_same_tree(expr in expr()) {
        let text = printer::print(&expr);
        let parsed = syntax::parse(&text);
        prop_assert!(!has_errors(&parsed.diagnostics), "{text}\n{:#?}", parsed.diagnostics);
        prop_assert_eq!(parsed.condition.as_ref(), Some(&expr), "{}", text);
        prop_assert_eq!(azabac::syntax::format::format_checked(&expr), Ok(text));
    }

    #[test]
    fn arbitrary_text_never_panics(source in any::<String>()) {
        check_never_panics_and_spans_are_sound(&source);
    }

    #[test]
    fn token_soup_never_panics(source in token_soup()) {
        check_never_panics_and_spans_are_sound(&source);
    }
}

#[test]
fn a_hundred_thousand_nested_parentheses_are_an_error_not_a_crash() {
    let source = format!("{}true{}", "(".repeat(100_000), ")".repeat(100_000));
    let parsed = syntax::parse(&source);
    assert!(parsed.condition.is_none());
    assert!(
        parsed
            .diagnostics
            .iter()
            .any(|d| d.code == Code::NestingTooDeep)
    );
    assert!(
        parsed
            .diagnostics
            .iter()
            .any(|d| d.code == Code::ConditionTooLong)
    );
}

#[test]
fn deep_negation_and_unclosed_parentheses_are_errors_not_crashes() {
    for source in [
        "!".repeat(100_000) + "true",
        "(".repeat(100_000),
        "!(".repeat(50_000) + "true",
    ] {
        let parsed = syntax::parse(&source);
        assert!(parsed.condition.is_none(), "{}", &source[..10]);
        assert!(
            parsed
                .diagnostics
                .iter()
                .any(|d| d.code == Code::NestingTooDeep)
        );
    }
}

#[test]
fn a_million_errors_are_counted_not_collected() {
    let source = ")".repeat(1_000_000);
    let parsed = syntax::parse(&source);
    assert_eq!(
        parsed.diagnostics.len(),
        azabac::limits::MAX_DIAGNOSTICS + 1
    );
    let summary = parsed.diagnostics.last().unwrap();
    assert_eq!(summary.code, Code::TooManyDiagnostics);
    assert!(summary.is_error());
    assert!(
        summary.message.contains("more diagnostics are not shown"),
        "{}",
        summary.message
    );
}

#[test]
fn dropping_only_warnings_keeps_a_condition_valid() {
    let source = vec!["true"; 150].join(" and ");
    let parsed = syntax::parse(&source);
    assert!(parsed.is_valid(), "{:#?}", parsed.diagnostics.last());
    assert_eq!(
        parsed.diagnostics.last().unwrap().code,
        Code::TooManyDiagnostics
    );
}

#[test]
fn nesting_up_to_the_limit_parses() {
    let source = format!("{}true{}", "(".repeat(256), ")".repeat(256));
    assert!(syntax::parse(&source).is_valid());
    let source = format!("{}true{}", "(".repeat(257), ")".repeat(257));
    assert!(!syntax::parse(&source).is_valid());
}

#[test]
fn long_flat_chains_do_not_recurse() {
    let source = vec!["true"; 100_000].join(" AND ");
    let parsed = syntax::parse(&source);
    let Some(Spanned {
        node: ExprKind::And(operands),
        ..
    }) = &parsed.condition
    else {
        panic!("expected a chain")
    };
    assert_eq!(operands.len(), 100_000);
    assert!(
        parsed
            .diagnostics
            .iter()
            .any(|d| d.code == Code::ConditionTooLong)
    );
}

#[test]
fn inputs_beyond_a_megabyte_are_not_lexed() {
    let source = "x".repeat(2 << 20);
    let parsed = syntax::parse(&source);
    assert!(parsed.condition.is_none());
    assert_eq!(parsed.diagnostics.len(), 1);
    assert_eq!(parsed.diagnostics[0].code, Code::ConditionTooLong);
}

/// A JSON value whose objects sometimes have a `condition` key (any case), as a role or
/// assignment file might.
fn json_document() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i32>().prop_map(|n| serde_json::json!(n)),
        any::<String>().prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            prop::collection::vec(
                (
                    prop::sample::select(vec!["condition", "Condition", "scope", "name", "x"]),
                    inner
                ),
                0..4
            )
            .prop_map(|pairs| {
                serde_json::Value::Object(
                    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
                )
            }),
        ]
    })
}

/// Every string under a key named `condition` (ignoring case), as serde_json reads them.
fn conditions_by_serde(value: &serde_json::Value, found: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, child) in map {
                if let (true, serde_json::Value::String(text)) =
                    (key.eq_ignore_ascii_case("condition"), child)
                {
                    found.push(text.clone());
                }
                conditions_by_serde(child, found);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|i| conditions_by_serde(i, found)),
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    /// The scanner behind `check` on JSON files finds the same conditions as serde_json, with
    /// the same decoded text, in compact and pretty layouts alike; each condition's offsets
    /// point at its string in the document, which decodes back to the text.
    #[test]
    fn embedded_conditions_agree_with_serde_json(document in json_document(), pretty in any::<bool>()) {
        let text = if pretty {
            serde_json::to_string_pretty(&document).unwrap()
        } else {
            serde_json::to_string(&document).unwrap()
        };
        let found = azabac::input::embedded::conditions(&text).unwrap();
        let mut expected = Vec::new();
        conditions_by_serde(&document, &mut expected);
        let mut texts: Vec<String> = found.iter().map(|e| e.text.clone()).collect();
        texts.sort();
        expected.sort();
        prop_assert_eq!(&texts, &expected);
        for embedded in &found {
            // From just after the opening quote to the closing quote is the JSON string's body.
            let start = embedded.document_offset(0);
            let end = embedded.document_offset(embedded.text.len());
            let body = &text[start..end];
            let decoded: String = serde_json::from_str(&format!("\"{body}\"")).unwrap();
            prop_assert_eq!(&decoded, &embedded.text);
        }
    }
}
