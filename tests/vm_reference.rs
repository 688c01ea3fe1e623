//! The bytecode VM agrees with the reference evaluator: same result, same error, same span,
//! on generated (condition, request) pairs. Conditions are built from the catalogue's
//! attributes with operators of their type, so most are well typed; some compare an attribute
//! with another of a different type, and requests leave attributes out, give empty lists, and
//! sometimes give a value of the wrong type, so the error paths are exercised too.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

use std::cell::Cell;

use azabac::catalog::{Catalog, Form};
use azabac::eval::{self, Attribute, Request, Value, reference};
use azabac::syntax::{self, AttributeSource, BaseOperator, OperatorFamily, Quantifier};
use proptest::prelude::*;
use proptest::test_runner::TestRunner;

/// An attribute conditions may read, with the type of its values.
#[derive(Clone, Debug)]
struct Attr {
    source: AttributeSource,
    /// As written inside the brackets.
    name: String,
    family: OperatorFamily,
    multi: bool,
}

const TAGS: &str = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags";
const CSA: &str = "Microsoft.Directory/CustomSecurityAttributes/Id:";

/// The catalogue's typed attributes under each of their sources, custom security attributes
/// of three types, and blob index tags by key and as a key list.
fn world() -> Vec<Attr> {
    let catalog = Catalog::builtin().unwrap();
    let mut attrs = Vec::new();
    for info in catalog.attributes() {
        let Some(value_type) = info.entry.value_type else {
            continue;
        };
        if info.entry.form != Form::Exact || info.entry.name.eq_ignore_ascii_case("subOperation") {
            continue;
        }
        for source in &info.sources {
            attrs.push(Attr {
                source: source.source,
                name: info.entry.name.clone(),
                family: value_type.family(),
                multi: info.entry.multi_valued,
            });
        }
    }
    for (name, family, multi) in [
        ("Project", OperatorFamily::String, false),
        ("Teams", OperatorFamily::String, true),
        ("Level", OperatorFamily::Numeric, false),
        ("Levels", OperatorFamily::Numeric, true),
    ] {
        attrs.push(Attr {
            source: AttributeSource::Principal,
            name: format!("{CSA}{name}"),
            family,
            multi,
        });
    }
    for source in [AttributeSource::Request, AttributeSource::Resource] {
        for key in ["Project", "project"] {
            attrs.push(Attr {
                source,
                name: format!("{TAGS}:{key}<$key_case_sensitive$>"),
                family: OperatorFamily::String,
                multi: false,
            });
        }
        attrs.push(Attr {
            source,
            name: format!("{TAGS}&$keys$&"),
            family: OperatorFamily::String,
            multi: true,
        });
    }
    attrs
}

const STRINGS: &[&str] = &[
    "",
    "a",
    "A",
    "ab",
    "Cascade",
    "cascade",
    "Project",
    "logs/x.txt",
    "LOGS/X.TXT",
    "é",
    "É",
    "ς",
    "Σ",
    "a*",
    "a?c",
    "it's",
    r"a\b",
];
const PATTERNS: &[&str] = &[
    "*", "a*", "A*", "logs*", "*x.txt", "?", "??", "a?", "*a*", r"a\*", r"a\?c", "é*", "Σ*", "*/*",
];
const INTEGERS: &[i64] = &[-5, 0, 1, 5, i64::MAX, i64::MIN];
const GUIDS: &[&str] = &[
    "53ca6127-db72-4b80-b1b0-d745d6d5456d",
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    "acdd72a7-3385-48ef-bd42-f606fba81ae7",
];
const DATETIMES: &[&str] = &[
    "2022-06-01T00:00:00Z",
    "2022-06-01T00:00:00.0000001Z",
    "2023-05-01T13:00:00.5Z",
];
const ACTIONS: &[&str] = &[
    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write",
    "Microsoft.Authorization/roleAssignments/write",
    "microsoft.authorization/roleassignments/DELETE",
];
const ACTION_PATTERNS: &[&str] = &[
    "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
    "Microsoft.Authorization/roleAssignments/write",
    "Microsoft.Authorization/roleAssignments/delete",
    "Microsoft.Authorization/*",
    "*/write",
    "*",
];
const SUBOPERATIONS: &[&str] = &["Blob.List", "Blob.Write.WithTagHeaders", "blob.list"];

/// A literal of a family, as condition text.
fn literal(family: OperatorFamily, like: bool) -> BoxedStrategy<String> {
    match family {
        OperatorFamily::String if like => prop::sample::select(PATTERNS)
            .prop_map(|p| format!("'{}'", p.replace('\'', r"\'")))
            .boxed(),
        OperatorFamily::String => prop::sample::select(STRINGS)
            .prop_map(|s| format!("'{}'", s.replace('\\', r"\\").replace('\'', r"\'")))
            .boxed(),
        OperatorFamily::Numeric => prop::sample::select(INTEGERS)
            .prop_map(|n| n.to_string())
            .boxed(),
        OperatorFamily::Bool => any::<bool>().prop_map(|b| b.to_string()).boxed(),
        OperatorFamily::DateTime => prop::sample::select(DATETIMES)
            .prop_map(|d| format!("'{d}'"))
            .boxed(),
        OperatorFamily::Guid => (prop::sample::select(GUIDS), any::<bool>())
            .prop_map(|(g, upper)| {
                if upper {
                    g.to_uppercase()
                } else {
                    g.to_owned()
                }
            })
            .boxed(),
    }
}

fn operators_of(family: OperatorFamily) -> Vec<BaseOperator> {
    BaseOperator::ALL
        .iter()
        .copied()
        .filter(|op| op.family() == family)
        .collect()
}

fn attribute_text(attr: &Attr) -> String {
    format!("@{}[{}]", attr.source.name(), attr.name)
}

/// A comparison whose left side is `attr`.
fn comparison(attrs: Vec<Attr>, attr: Attr) -> BoxedStrategy<String> {
    let operators = operators_of(attr.family);
    (
        prop::sample::select(operators),
        prop::option::weighted(
            0.7,
            prop::sample::select(vec![
                Quantifier::ForAnyOfAnyValues,
                Quantifier::ForAllOfAnyValues,
                Quantifier::ForAnyOfAllValues,
                Quantifier::ForAllOfAllValues,
            ]),
        ),
        0..10u8,
    )
        .prop_flat_map(move |(op, quantifier, shape)| {
            let quantifier = quantifier.filter(|_| op.is_quantifiable() || attr.multi);
            let like = op.relation() == syntax::Relation::Like;
            let operator = match quantifier {
                Some(q) => format!("{}:{}", q.name(), op.name()),
                None => op.name().to_owned(),
            };
            let left = attribute_text(&attr);
            let right: BoxedStrategy<String> = match shape {
                // Another attribute, usually of the same type.
                0 | 1 => {
                    let same: Vec<Attr> = attrs
                        .iter()
                        .filter(|a| shape == 1 || a.family == attr.family)
                        .cloned()
                        .collect();
                    prop::sample::select(same)
                        .prop_map(|a| attribute_text(&a))
                        .boxed()
                }
                // A set (only meaningful with a quantifier).
                2 | 3 if quantifier.is_some() => {
                    prop::collection::vec(literal(attr.family, like), 1..5)
                        .prop_map(|items| format!("{{{}}}", items.join(", ")))
                        .boxed()
                }
                _ => literal(attr.family, like),
            };
            // Literal on the left, sometimes (decision 7).
            (right, any::<bool>(), Just(left), Just(operator)).prop_map(
                move |(right, swap, left, operator)| {
                    if swap && shape >= 4 && !right.starts_with('@') {
                        format!("{right} {operator} {left}")
                    } else {
                        format!("{left} {operator} {right}")
                    }
                },
            )
        })
        .boxed()
}

fn leaf(attrs: Vec<Attr>) -> BoxedStrategy<String> {
    let for_comparison = attrs.clone();
    prop_oneof![
        1 => prop::sample::select(ACTION_PATTERNS).prop_map(|p| format!("ActionMatches{{'{p}'}}")),
        1 => prop::sample::select(SUBOPERATIONS).prop_map(|s| format!("SubOperationMatches{{'{s}'}}")),
        1 => prop::sample::select(attrs.clone()).prop_map(|a| format!("Exists {}", attribute_text(&a))),
        1 => any::<bool>().prop_map(|b| b.to_string()),
        8 => prop::sample::select(attrs)
            .prop_flat_map(move |a| comparison(for_comparison.clone(), a)),
    ]
    .boxed()
}

fn condition(attrs: Vec<Attr>) -> impl Strategy<Value = String> {
    leaf(attrs).prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4)
                .prop_map(|xs| format!("({})", xs.join(" AND "))),
            prop::collection::vec(inner.clone(), 2..4)
                .prop_map(|xs| format!("({})", xs.join(" OR "))),
            inner.prop_map(|x| format!("NOT ({x})")),
        ]
    })
}

/// A value of a family; a few are of another type, to reach the type-error paths.
fn value(family: OperatorFamily) -> BoxedStrategy<Value> {
    let typed = match family {
        OperatorFamily::String => prop::sample::select(STRINGS)
            .prop_map(Value::string)
            .boxed(),
        OperatorFamily::Numeric => prop::sample::select(INTEGERS)
            .prop_map(Value::Integer)
            .boxed(),
        OperatorFamily::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        OperatorFamily::DateTime => prop::sample::select(DATETIMES)
            .prop_map(|d| Value::DateTime(eval::Ticks::parse(d).unwrap()))
            .boxed(),
        OperatorFamily::Guid => prop::sample::select(GUIDS)
            .prop_map(|g| Value::guid(g.parse().unwrap()))
            .boxed(),
    };
    prop_oneof![
        19 => typed,
        1 => prop::sample::select(STRINGS).prop_map(Value::string),
    ]
    .boxed()
}

fn attribute_value(attr: &Attr) -> BoxedStrategy<Option<Attribute>> {
    let present: BoxedStrategy<Attribute> = if attr.multi {
        prop::collection::vec(value(attr.family), 0..4)
            .prop_map(Attribute::Multi)
            .boxed()
    } else {
        prop_oneof![
            9 => value(attr.family).prop_map(Attribute::Single),
            1 => prop::collection::vec(value(attr.family), 1..3).prop_map(Attribute::Multi),
        ]
        .boxed()
    };
    prop::option::weighted(0.6, present).boxed()
}

fn request(attrs: Vec<Attr>) -> impl Strategy<Value = Request> {
    let plain: Vec<Attr> = attrs
        .into_iter()
        .filter(|a| !a.name.starts_with(TAGS))
        .collect();
    let values: Vec<_> = plain.iter().map(attribute_value).collect();
    let tags = prop::collection::btree_map(
        prop::sample::select(vec!["Project", "project", "Program"]),
        prop::sample::select(STRINGS),
        0..3,
    );
    (
        prop::sample::select(ACTIONS),
        prop::sample::subsequence(SUBOPERATIONS, 0..=2),
        values,
        prop::option::of(tags),
        prop::option::of(prop::sample::select(vec![
            AttributeSource::Request,
            AttributeSource::Resource,
        ])),
    )
        .prop_map(move |(action, subops, values, tags, tag_source)| {
            let mut request = Request::new(action);
            for s in subops {
                request = request.with_suboperation(s);
            }
            for (attr, value) in plain.iter().zip(values) {
                if let Some(value) = value {
                    request = request.with(attr.source, &attr.name, value);
                }
            }
            if let (Some(tags), Some(source)) = (tags, tag_source) {
                let (keys, values) = tags
                    .into_iter()
                    .map(|(k, v)| (Value::string(k), Value::string(v)))
                    .unzip();
                request = request.with(source, TAGS, Attribute::Dictionary { keys, values });
            }
            request
        })
}

const REQUESTS_PER_CONDITION: usize = 8;
const CONDITIONS: u32 = 1500;

/// At least 10,000 pairs per run, with both results and errors among them (a generator that
/// only produced `false` would prove little).
#[test]
fn vm_agrees_with_the_reference_on_generated_pairs() {
    let mut runner = TestRunner::new(ProptestConfig {
        cases: CONDITIONS,
        ..ProptestConfig::default()
    });
    let strategy = Just(world()).prop_flat_map(|attrs| {
        (
            condition(attrs.clone()),
            prop::collection::vec(request(attrs), REQUESTS_PER_CONDITION),
        )
    });
    let (pairs, errors, trues) = (Cell::new(0usize), Cell::new(0usize), Cell::new(0usize));
    let outcome = runner.run(&strategy, |(source, requests)| {
        let parsed = syntax::parse(&source);
        let tree = parsed.valid_condition().unwrap_or_else(|| {
            panic!(
                "generated invalid syntax: {source}\n{:?}",
                parsed.diagnostics
            )
        });
        let program = eval::compile(tree, &source).unwrap_or_else(|d| panic!("{source}: {d:?}"));
        for request in &requests {
            let vm = program.run(request);
            let oracle = reference::evaluate(tree, request);
            prop_assert_eq!(
                vm.error.map(|e| (e.kind, e.span)),
                oracle.err().map(|e| (e.kind, e.span)),
                "errors differ on {} for {:?}",
                source,
                request
            );
            prop_assert_eq!(
                vm.result,
                oracle.unwrap_or(false),
                "results differ on {} for {:?}",
                source,
                request
            );
            prop_assert_eq!(program.trace(request).result, vm.result);
            pairs.set(pairs.get() + 1);
            errors.set(errors.get() + usize::from(vm.error.is_some()));
            trues.set(trues.get() + usize::from(vm.result));
        }
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
    let (pairs, errors, trues) = (pairs.get(), errors.get(), trues.get());
    eprintln!("pairs {pairs} errors {errors} true {trues}");
    assert!(pairs >= 10_000, "only {pairs} pairs");
    assert!(trues > pairs / 10, "only {trues} of {pairs} true");
    assert!(
        errors > 0 && errors < pairs / 3,
        "{errors} errors in {pairs} pairs"
    );
}
