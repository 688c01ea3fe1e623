//! The words of syntax errors: what the parser expected, which operator was meant, and the
//! length limit.

use lalrpop_util::ParseError;

use super::{NoLexError, span};
use crate::diagnostic::{Code, Diagnostic, suggest};
use crate::limits::MAX_CONDITION_BYTES;
use crate::span::Span;
use crate::syntax::lexer::Token;
use crate::syntax::operator::{BaseOperator, Quantifier};

pub(super) fn too_long(source: &str, span: Span) -> Diagnostic {
    Diagnostic::new(
        Code::ConditionTooLong,
        span,
        format!(
            "the condition is {} bytes long; Azure accepts at most {MAX_CONDITION_BYTES}",
            source.len()
        ),
    )
    .with_help("split it across role assignments, or replace long value lists with broader checks")
}

pub(super) fn operator_help(word: &str, has_right: bool) -> String {
    if word.eq_ignore_ascii_case("null") && !has_right {
        return "the portal writes `null` when no operator was chosen; to require that the \
                attribute is absent write `NOT Exists @…[…]`, to require a value use an operator \
                such as `StringEquals`"
            .to_owned();
    }
    if let Some(quantifier) = Quantifier::from_name(word) {
        return format!(
            "a quantifier needs a base operator after a colon, e.g. `{}:StringEquals`",
            quantifier.name()
        );
    }
    if let Some(help) = membership_help(word) {
        return help;
    }
    if word.to_ascii_lowercase().starts_with("ip") {
        return "Azure conditions have no IP address operators (decision 18); restrict the \
                network with `@Environment[isPrivateLink]`, `@Environment[Microsoft.Network/privateEndpoints]` \
                or `@Environment[Microsoft.Network/virtualNetworks/subnets]`"
            .to_owned();
    }
    match suggest_operator(word) {
        Some(near) => format!("did you mean `{near}`?"),
        None => "operators are named by type: `StringEquals`, `GuidEquals`, `NumericLessThan`, \
                 `BoolEquals`, `DateTimeGreaterThan`, optionally quantified as \
                 `ForAnyOfAnyValues:StringEquals`"
            .to_owned(),
    }
}

/// `StringIn`, `GuidNotIn`, `ForAnyOfAnyValues:StringIn`, `StringEqualsAny`: set membership
/// as other languages write it, answered with the quantified form of the type's operator.
pub(super) fn membership_help(word: &str) -> Option<String> {
    let base = word.rsplit_once(':').map_or(word, |(_, base)| base);
    let lowered = base.to_ascii_lowercase().replace(['_', '-'], "");
    let (kind, rest) = ["string", "guid", "numeric", "datetime"]
        .into_iter()
        .find_map(|kind| lowered.strip_prefix(kind).map(|rest| (kind, rest)))
        .unwrap_or(("string", lowered.as_str()));
    let negated = match rest {
        "in" | "anyof" | "equalsany" | "equalsanyof" | "inset" => false,
        "notin" | "notanyof" | "notequalsany" | "notequalsanyof" | "notinset" => true,
        _ => return None,
    };
    let kind = match kind {
        "guid" => "Guid",
        "numeric" => "Numeric",
        "datetime" => "DateTime",
        _ => "String",
    };
    let example = match kind {
        "Guid" => "{<guid>, <guid>}",
        "Numeric" => "{1, 2}",
        "DateTime" => "{'2026-01-01T00:00:00.0Z', …}",
        _ => "{'a', 'b'}",
    };
    Some(if negated {
        format!(
            "conditions have no `NOT IN`: compare with a set, `ForAnyOfAllValues:{kind}NotEquals {example}` (true when the value is none of them)"
        )
    } else {
        format!(
            "conditions have no `IN`: compare with a set, `ForAnyOfAnyValues:{kind}Equals {example}`"
        )
    })
}

/// The nearest operator spelling, matching the quantifier and the base operator separately so
/// that a typo in either is found without comparing against all 160 quantified forms.
fn suggest_operator(word: &str) -> Option<String> {
    let bases = || BaseOperator::ALL.iter().map(|b| b.name());
    match word.split_once(':') {
        Some((quantifier, base)) => {
            let quantifier = Quantifier::from_name(quantifier)
                .map(Quantifier::name)
                .or_else(|| {
                    suggest::closest(quantifier, Quantifier::ALL.iter().map(|q| q.name()))
                })?;
            let base = BaseOperator::from_name(base)
                .map(BaseOperator::name)
                .or_else(|| suggest::closest(base, bases()))?;
            Some(format!("{quantifier}:{base}"))
        }
        None => suggest::closest(word, bases()).map(str::to_owned),
    }
}

pub(super) fn parse_error_diagnostic(
    error: ParseError<u32, Token<'_>, NoLexError>,
    source: &str,
) -> Diagnostic {
    match error {
        ParseError::UnrecognizedToken {
            token: (start, token, end),
            expected,
        } => Diagnostic::new(
            Code::UnexpectedToken,
            span(start, end),
            format!("unexpected {}", token.describe(source)),
        )
        .with_optional_help(expected_help(&expected)),
        ParseError::ExtraToken {
            token: (start, token, end),
        } => Diagnostic::new(
            Code::UnexpectedToken,
            span(start, end),
            format!(
                "unexpected {} after the end of the condition",
                token.describe(source)
            ),
        )
        .with_help("join conditions with `AND` or `OR`"),
        ParseError::UnrecognizedEof { location, expected } => Diagnostic::new(
            Code::UnexpectedEnd,
            span(location, location),
            "the condition ends too early",
        )
        .with_optional_help(expected_help(&expected)),
        ParseError::InvalidToken { location } => Diagnostic::new(
            Code::UnexpectedCharacter,
            span(location, location),
            "unexpected character",
        ),
        ParseError::User { error } => match error {},
    }
}

/// "expected …" from lalrpop's list of terminals, in words, leaving out the terminals that only
/// error productions accept.
fn expected_help(expected: &[String]) -> Option<String> {
    let mut items: Vec<&str> = Vec::new();
    let mut value = false;
    for terminal in expected {
        let name = terminal.trim_matches('"');
        let item = match name {
            "word" | "symbol" => continue,
            "operator" => "an operator such as `StringEquals`",
            "attribute" | "string" | "integer" | "guid" | "true" | "false" | "{" => {
                value = true;
                continue;
            }
            "(" => "`(`",
            ")" => "`)`",
            "}" => "`}`",
            "," => "`,`",
            "AND" => "`AND`",
            "OR" => "`OR`",
            "NOT" => "`NOT`",
            "ActionMatches" => "`ActionMatches`",
            "SubOperationMatches" => "`SubOperationMatches`",
            "Exists" => "`Exists`",
            _ => continue,
        };
        if !items.contains(&item) {
            items.push(item);
        }
    }
    if value {
        items.insert(0, "a value or attribute");
    }
    match items.as_slice() {
        [] => None,
        [one] => Some(format!("expected {one}")),
        [init @ .., last] => Some(format!("expected {} or {last}", init.join(", "))),
    }
}
