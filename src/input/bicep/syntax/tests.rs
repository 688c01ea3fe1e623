//! The grammar against Bicep's, by the shapes it parses and the places it refuses.

use super::super::super::error::{Budget, Language, Stop};
use super::*;

fn parse(text: &str) -> Result<Expr, Stop> {
    let mut parser = Parser { text, at: 0 };
    let expr = parser.expression(0)?;
    parser.skip(true);
    assert_eq!(parser.at, text.len(), "{text:?}: stopped at {}", parser.at);
    Ok(expr)
}

/// The tree as a compact string, to compare shapes.
fn shape(expr: &Expr) -> String {
    match &expr.kind {
        Kind::String(pieces) => pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t, _) => format!("'{t}'"),
                Piece::Hole(e, _) => format!("${{{}}}", shape(e)),
            })
            .collect::<Vec<_>>()
            .join("+"),
        Kind::Integer(n) => n.clone(),
        Kind::Bool(b) => b.to_string(),
        Kind::Null => "null".into(),
        Kind::Name(n) => n.clone(),
        Kind::Object(properties) => format!(
            "{{{}}}",
            properties
                .iter()
                .map(|p| match p {
                    Property::Value { key, value, .. } => format!("{key}:{}", shape(value)),
                    Property::Spread(e) => format!("...{}", shape(e)),
                    Property::Resource(_) => "resource".into(),
                })
                .collect::<Vec<_>>()
                .join(",")
        ),
        Kind::Array(elements) => format!(
            "[{}]",
            elements
                .iter()
                .map(|e| match e {
                    Element::Value(e) => shape(e),
                    Element::Spread(e) => format!("...{}", shape(e)),
                })
                .collect::<Vec<_>>()
                .join(",")
        ),
        Kind::For(each) => format!(
            "[for {}{} in {}: {}{}]",
            each.item,
            each.index
                .as_ref()
                .map_or(String::new(), |i| format!(",{i}")),
            shape(&each.source),
            each.filter
                .as_ref()
                .map_or(String::new(), |f| format!("if {} ", shape(f))),
            shape(&each.body)
        ),
        Kind::Call {
            target,
            name,
            arguments,
        } => format!(
            "{}{name}({})",
            target
                .as_ref()
                .map_or(String::new(), |t| format!("{}.", shape(t))),
            arguments.iter().map(shape).collect::<Vec<_>>().join(",")
        ),
        Kind::Member { target, name, safe } => {
            format!("{}.{}{name}", shape(target), if *safe { "?" } else { "" })
        }
        Kind::Index {
            target,
            index,
            safe,
            from_end,
        } => format!(
            "{}[{}{}{}]",
            shape(target),
            if *safe { "?" } else { "" },
            if *from_end { "^" } else { "" },
            shape(index)
        ),
        Kind::Child { target, name } => format!("{}::{name}", shape(target)),
        Kind::NonNull(e) => format!("{}!", shape(e)),
        Kind::Unary { operator, operand } => {
            format!("({}{})", char::from(*operator), shape(operand))
        }
        Kind::Binary {
            operator,
            left,
            right,
        } => {
            let token = OPERATORS
                .iter()
                .find(|(_, o)| o == operator)
                .map_or("?", |(t, _)| *t);
            format!("({} {token} {})", shape(left), shape(right))
        }
        Kind::Ternary {
            condition,
            then,
            otherwise,
        } => format!(
            "({} ? {} : {})",
            shape(condition),
            shape(then),
            shape(otherwise)
        ),
        Kind::Lambda { parameters, body } => {
            format!("(({}) => {})", parameters.join(","), shape(body))
        }
        Kind::Parenthesized(e) => shape(e),
    }
}

#[test]
fn operators_bind_as_bicep_binds_them() {
    let cases = [
        ("a || b && c == d", "(a || (b && (c == d)))"),
        ("a ?? b || c", "(a ?? (b || c))"),
        ("1 + 2 * 3 - 4", "((1 + (2 * 3)) - 4)"),
        ("!a && -b < c", "((!a) && ((-b) < c))"),
        ("a =~ 'x' ? b : c ? d : e", "((a =~ 'x') ? b : (c ? d : e))"),
        ("a !~ 'x' && b! != c", "((a !~ 'x') && (b! != c))"),
        ("x!.y.?z[?0][^1]::child", "x!.y.?z[?0][^1]::child"),
        ("az.resourceGroup().id", "az.resourceGroup().id"),
        (
            "map(items, (item, i) => item.name)",
            "map(items,((item,i) => item.name))",
        ),
        (
            "filter(xs, x => x != null)",
            "filter(xs,((x) => (x != null)))",
        ),
        ("'a${b.c}d\\'e'", "'a'+${b.c}+'d'e'"),
        ("'''\nraw ${x}'''", "'raw ${x}'"),
        ("$'''\na ${x.y} b'''", "'a '+${x.y}+' b'"),
        ("$$'''${x} $${y}'''", "'${x} '+${y}"),
        ("'\\u{D83D}\\u{DE00}'", "'\u{1F600}'"),
    ];
    for (text, expected) in cases {
        assert_eq!(shape(&parse(text).unwrap()), expected, "{text}");
    }
}

#[test]
fn a_ternary_may_continue_on_the_next_lines_and_calls_span_lines() {
    let text = "kind == 'a'\n  ? { x: 1 }\n  // why\n  : null";
    assert_eq!(
        shape(&parse(text).unwrap()),
        "((kind == 'a') ? {x:1} : null)"
    );
    let text = "!empty(y)\n  ? [\n    'a'\n  ]\n  : []";
    assert_eq!(shape(&parse(text).unwrap()), "((!empty(y)) ? ['a'] : [])");
    let text = "union(\n  a, // first\n  b\n)";
    assert_eq!(shape(&parse(text).unwrap()), "union(a,b)");
}

#[test]
fn objects_and_arrays_take_directives_decorators_spreads_and_nested_resources() {
    let text = "{\n  #disable-next-line no-hardcoded-env-urls\n  a: 'x'\n  'b c': [\n    1, 2\n    ...d\n  ]\n  ...e\n  @batchSize(1)\n  resource child 'Microsoft.X/y@2020-01-01' = {\n    name: 'c'\n  }\n}";
    assert_eq!(
        shape(&parse(text).unwrap()),
        "{a:'x',b c:[1,2,...d],...e,resource}"
    );
    let text = "[for (r, i) in items(x): if (r.value.enabled) {\n  n: i\n}]";
    assert_eq!(
        shape(&parse(text).unwrap()),
        "[for r,i in items(x): if r.value.enabled {n:i}]"
    );
}

#[test]
fn what_is_not_bicep_is_an_error_at_its_place() {
    let cases = [
        (
            "{ a: 1 b: 2 }",
            7,
            "expected a line break, `,` or `}` after a property",
        ),
        ("f(a b)", 4, "expected `,` or `)`"),
        ("a ? b", 5, "expected the `:` of a `? :` expression"),
        ("'abc", 4, "a string without its closing `'`"),
        ("[1, 2", 5, "an array without its `]`"),
        ("(a, b)", 0, "expected one expression in parentheses"),
    ];
    for (text, offset, expected) in cases {
        let mut parser = Parser { text, at: 0 };
        let stop = parser.expression(0).unwrap_err();
        assert_eq!(
            (stop.offset, stop.problem),
            (
                offset,
                crate::input::error::Problem::Syntax {
                    language: Language::Bicep,
                    expected: expected.into()
                }
            ),
            "{text}"
        );
    }
}

#[test]
fn nesting_past_the_limit_is_the_depth_budget() {
    let text = format!("{}1{}", "(".repeat(200), ")".repeat(200));
    let mut parser = Parser { text: &text, at: 0 };
    let stop = parser.expression(0).unwrap_err();
    assert!(matches!(
        stop.problem,
        crate::input::error::Problem::Budget {
            budget: Budget::Depth(_),
            ..
        }
    ));
    let text = "!".repeat(10_000) + "a";
    let mut parser = Parser { text: &text, at: 0 };
    assert!(parser.expression(0).is_err());
}
