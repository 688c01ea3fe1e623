use super::{Parse, Parsers, parse_with};
use crate::syntax::tree;

/// What a parse produced, spans included.
fn outcome(parse: &Parse) -> (Option<String>, Vec<crate::diagnostic::Diagnostic>) {
    (
        parse.condition.as_ref().map(tree::render),
        parse.diagnostics.clone(),
    )
}

fn agree(source: &str) -> Result<(), String> {
    let fast = outcome(&parse_with(source, Parsers::FastFirst));
    let reporting = outcome(&parse_with(source, Parsers::Reporting));
    if fast == reporting {
        Ok(())
    } else {
        Err(format!(
            "{source:?}\nfast first: {fast:#?}\nreporting: {reporting:#?}"
        ))
    }
}

#[test]
fn the_fast_parser_agrees_with_the_reporting_parser_on_the_corpus() {
    let corpus = include_str!("../../../corpus/conditions.jsonl");
    let mut count = 0;
    for line in corpus.lines().filter(|l| !l.trim().is_empty()) {
        let record: serde_json::Value = serde_json::from_str(line).unwrap_or_default();
        let Some(condition) = record.get("condition").and_then(|c| c.as_str()) else {
            continue;
        };
        // The condition as written, and cut short (a syntax error, most of the time).
        for source in [
            condition,
            condition.get(..condition.len() / 2).unwrap_or(""),
        ] {
            assert_eq!(agree(source), Ok(()));
        }
        count += 1;
    }
    assert!(count > 50, "read {count} corpus conditions");
}

#[test]
fn nesting_at_the_fast_parsers_limit_and_past_it_parses_in_a_small_stack() {
    let nested = |depth: usize| {
        format!(
            "{}@Environment[isPrivateLink] BoolEquals true{}",
            "!(".repeat(depth / 2),
            ")".repeat(depth / 2)
        )
    };
    let worker = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(move || {
            for depth in [crate::limits::FAST_NESTING, crate::limits::FAST_NESTING + 2] {
                let source = nested(depth);
                assert!(
                    parse_with(&source, Parsers::FastFirst).is_valid(),
                    "{source}"
                );
                assert_eq!(agree(&source), Ok(()));
            }
        });
    assert!(worker.is_ok_and(|worker| worker.join().is_ok()));
}

/// Pieces of conditions, right and wrong, for random token soups.
const PIECES: &[&str] = &[
    "(",
    ")",
    "{",
    "}",
    ",",
    "AND",
    "OR",
    "&&",
    "||",
    "NOT",
    "!",
    "true",
    "ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'}",
    "SubOperationMatches{'Blob.List'}",
    "ActionMatches",
    "Exists",
    "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name]",
    "@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId]",
    "StringEquals",
    "ForAnyOfAnyValues:GuidEquals",
    "GuidEquals",
    "'logs'",
    "42",
    "53ca6127-db72-4b80-b1b0-d745d6d5456d",
    "Equals",
    "==",
    "'unterminated",
];

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

    #[test]
    fn the_fast_parser_agrees_with_the_reporting_parser_on_token_soup(
        picks in proptest::collection::vec(0..PIECES.len(), 0..16),
    ) {
        let source = picks
            .iter()
            .filter_map(|&i| PIECES.get(i).copied())
            .collect::<Vec<_>>()
            .join(" ");
        proptest::prop_assert_eq!(agree(&source), Ok(()));
    }
}

#[test]
fn set_membership_as_other_languages_write_it_is_answered_with_the_quantified_form() {
    let help = |operator: &str| super::errors::operator_help(operator, true);
    for (operator, fix) in [
        ("StringIn", "`ForAnyOfAnyValues:StringEquals {"),
        ("IN", "`ForAnyOfAnyValues:StringEquals {"),
        (
            "ForAnyOfAnyValues:StringIn",
            "`ForAnyOfAnyValues:StringEquals {",
        ),
        ("StringEqualsAny", "`ForAnyOfAnyValues:StringEquals {"),
        ("GuidIn", "`ForAnyOfAnyValues:GuidEquals {"),
        ("StringNotIn", "`ForAnyOfAllValues:StringNotEquals {"),
        ("Guid_Not_In", "`ForAnyOfAllValues:GuidNotEquals {"),
    ] {
        assert!(
            help(operator).contains(fix),
            "{operator}: {}",
            help(operator)
        );
    }
    assert_eq!(help("StringEqual"), "did you mean `StringEquals`?");
    assert!(!help("Inside").contains("IN"), "{}", help("Inside"));
}

#[test]
fn membership_called_as_a_function_with_any_number_of_arguments_is_one_error() {
    let attribute = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name]";
    for source in [
        format!("StringIn({attribute}, 'a', 'b')"),
        format!("in({attribute}, {{'a', 'b'}})"),
        format!("stringin({attribute}, 'a')"),
    ] {
        let parse = parse_with(&source, Parsers::Reporting);
        let [diagnostic] = parse.diagnostics.as_slice() else {
            panic!("{source}: {:#?}", parse.diagnostics);
        };
        assert_eq!(diagnostic.code, crate::diagnostic::Code::UnknownFunction);
        let help = diagnostic.help.as_deref().unwrap_or("");
        assert!(
            help.contains("ForAnyOfAnyValues:StringEquals"),
            "{source}: {help}"
        );
        agree(&source).unwrap();
    }
}
