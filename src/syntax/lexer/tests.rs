use super::delimiters::{balanced, repair_unbalanced};
use super::{Collector, Token};

fn tokens(shape: &str) -> Vec<super::SpannedToken<'static>> {
    shape
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            let token = match b {
                b'(' => Token::LParen,
                b')' => Token::RParen,
                b'{' => Token::LBrace,
                b'}' => Token::RBrace,
                _ => Token::True,
            };
            (crate::span::offset(i), token, crate::span::offset(i + 1))
        })
        .collect()
}

/// The parser tokens of `source` and the codes of the lexer's diagnostics.
fn lexed(source: &str) -> (Vec<Token<'_>>, Vec<crate::diagnostic::Code>) {
    let mut diagnostics = Collector::new(100);
    let tokens = super::lex(source, &mut diagnostics).unwrap().tokens;
    let codes = diagnostics.finish().iter().map(|d| d.code).collect();
    (
        tokens.into_iter().map(|(_, token, _)| token).collect(),
        codes,
    )
}

#[test]
fn keywords_and_operators_read_in_any_ascii_case() {
    use crate::diagnostic::Code::NonCanonicalSpelling;
    use crate::syntax::operator::Operator;
    let (tokens, codes) = lexed(
        "and AND Or nOT TRUE exists actionMATCHES SUBOPERATIONMATCHES stringequals FORANYOFANYVALUES:guidEquals",
    );
    let operator = |name| Token::Operator(Operator::from_documented_name(name).unwrap());
    assert_eq!(
        tokens,
        [
            Token::And,
            Token::And,
            Token::Or,
            Token::Not,
            Token::True,
            Token::Exists,
            Token::ActionMatches,
            Token::SubOperationMatches,
            operator("StringEquals"),
            operator("ForAnyOfAnyValues:GuidEquals"),
        ]
    );
    assert_eq!(
        codes, [NonCanonicalSpelling; 9],
        "all but `AND` are misspelled"
    );
    let (tokens, codes) = lexed("AND OR NOT true false Exists ActionMatches SubOperationMatches");
    assert_eq!(tokens.len(), 8);
    assert!(codes.is_empty(), "{codes:?}");
}

#[test]
fn other_words_stay_words() {
    for source in [
        "StringEqual",
        "ForAnyOfAnyValues",
        "NotExists",
        "ForAnyOfAnyValues:StringEqual",
        "android",
        "ANDx",
        "null",
    ] {
        let (tokens, codes) = lexed(source);
        assert!(
            matches!(tokens[..], [Token::Word(_)]),
            "{source}: {tokens:?}"
        );
        assert!(codes.is_empty(), "{source}: {codes:?}");
    }
}

proptest::proptest! {
    /// The quick check says "balanced" exactly when the full scan repairs nothing.
    #[test]
    fn the_quick_balance_check_agrees_with_the_repair(shape in "[(){}x]{0,24}") {
        let mut repaired = tokens(&shape);
        let mut diagnostics = Collector::new(100);
        repair_unbalanced(&mut repaired, shape.len(), &mut diagnostics);
        let untouched = repaired == tokens(&shape) && diagnostics.finish().is_empty();
        proptest::prop_assert_eq!(balanced(&tokens(&shape)), untouched, "{}", shape);
    }
}

#[test]
fn the_quick_balance_check_gives_up_beyond_128_levels() {
    let deep = format!("{}{}", "(".repeat(129), ")".repeat(129));
    assert!(!balanced(&tokens(&deep)));
    let mut repaired = tokens(&deep);
    let mut diagnostics = Collector::new(100);
    repair_unbalanced(&mut repaired, deep.len(), &mut diagnostics);
    assert!(diagnostics.finish().is_empty(), "the full scan accepts it");
    let limit = format!("{}{}", "(".repeat(128), ")".repeat(128));
    assert!(balanced(&tokens(&limit)));
}

#[test]
fn a_set_in_brackets_is_one_error_and_reads_as_a_set() {
    use crate::diagnostic::Code::{UnexpectedCharacter, UnexpectedToken};
    let (tokens, codes) = lexed("['a', 'b\\']', 7]");
    assert_eq!(codes, [UnexpectedToken]);
    assert_eq!(tokens.first(), Some(&Token::LBrace));
    assert_eq!(tokens.last(), Some(&Token::RBrace));
    assert_eq!(tokens.len(), 7);
    // Across lines, as a multi-line condition writes it.
    assert_eq!(lexed("[\n 'a',\n 'b'\n]").1, [UnexpectedToken]);
    // Not a list of values: each bracket stays an unexpected character.
    for source in ["[]", "[@Resource[x] StringEquals 'a']", "['a'", "[(true)]"] {
        let (_, codes) = lexed(source);
        assert!(codes.contains(&UnexpectedCharacter), "{source}: {codes:?}");
        assert!(!codes.contains(&UnexpectedToken), "{source}: {codes:?}");
    }
}
