//! The logos lexer: classifies the source text into raw tokens
//! ([LANGUAGE.md §2.4](crate::spec::language#section-2-4) as settled by
//! [DECISIONS.md](crate::spec::decisions)). It validates nothing beyond the shape of each token;
//! [`super::lexer`] turns raw tokens into parser tokens, diagnoses the malformed ones and recovers.

use logos::{Lexer, Logos};

/// Why a piece of text is not a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum RawError {
    /// A character no token starts with.
    #[default]
    UnexpectedCharacter,
    /// `'` with no closing `'` before the end of the line.
    UnterminatedString,
    /// `@Source[` with no closing `]`.
    UnterminatedAttribute,
    /// `@` not followed by `Source[`.
    MalformedAttribute,
    /// Digits and letters mixed in a way that is neither an integer nor a GUID, or a decimal.
    MalformedNumber,
    /// Hex digits and hyphens that do not form a GUID.
    MalformedGuid,
}

/// A raw token. Payload-free variants are located by the lexer's span; the parser-facing
/// [`super::lexer::Token`] carries the decoded values.
#[derive(Logos, Clone, Copy, Debug, PartialEq, Eq)]
#[logos(error = RawError)]
#[logos(skip r"[ \t\r\n]+")]
#[logos(subpattern word = r"[A-Za-z_][A-Za-z0-9_]*")]
pub enum RawToken {
    /// `(`
    #[token("(")]
    LParen,
    /// `)`
    #[token(")")]
    RParen,
    /// `{`
    #[token("{")]
    LBrace,
    /// `}`
    #[token("}")]
    RBrace,
    /// `,`
    #[token(",")]
    Comma,
    /// `!`
    #[token("!")]
    Bang,
    /// `&&`
    #[token("&&")]
    AmpAmp,
    /// `||`
    #[token("||")]
    PipePipe,
    /// A lone `&`, a common slip for `&&`.
    #[token("&")]
    Amp,
    /// A lone `|`, a common slip for `||`.
    #[token("|")]
    Pipe,
    /// A word, optionally `word:word`: a keyword, an operator (`Quantifier:Operator`), or
    /// anything else (a misspelled operator or function, `NotExists`, `null`, …), which
    /// [`super::lexer`] tells apart.
    #[regex(r"(?&word)(:(?&word))?", priority = 3)]
    Word,
    /// A hyphenated GUID (or something shaped like one).
    /// Also a GUID of 32 hexadecimal digits without hyphens.
    #[regex(r"[0-9A-Fa-f]+(-[0-9A-Fa-f]+)+", guid_like, priority = 4)]
    #[regex(r"[0-9A-Fa-f]{32}", guid_like, priority = 10)]
    Guid,
    /// An integer, optionally negative.
    #[regex(r"-?[0-9]+", priority = 5)]
    Integer,
    /// Digits followed by letters or a fraction: neither an integer nor a GUID.
    #[regex(r"-?[0-9][0-9A-Za-z_]*", malformed_number, priority = 2)]
    #[regex(r"-?[0-9]+\.[0-9]*", malformed_number, priority = 2)]
    MalformedNumber,
    /// `'…'`: the slice includes both quotes.
    #[token("'", |lex| quoted(lex, '\''))]
    String,
    /// `"…"`: a string in the wrong quotes; the slice includes both quotes.
    #[token("\"", |lex| quoted(lex, '"'))]
    DoubleQuotedString,
    /// `‘…’` or `“…”` pasted from a word processor.
    #[token("\u{2018}", |lex| quoted(lex, '\u{2019}'))]
    #[token("\u{201C}", |lex| quoted(lex, '\u{201D}'))]
    TypographicString,
    /// `@Source[raw text]`.
    #[token("@", attribute)]
    Attribute,
    /// `Source[raw text]`: an attribute reference without its `@`.
    #[regex(r"(?&word)\[[^\]\n]*\]", priority = 30)]
    AttributeWithoutAt,
    /// `==`, `!=`, `=`, `<`, `>`, `<=`, `>=`, `<>`: symbols people try instead of operator names.
    #[regex(r"==|!=|=|<=|>=|<>|<|>")]
    Symbol,
}

/// A GUID must be followed by a delimiter; `…b635x` is one malformed token, not a GUID and a
/// word. Swallows the trailing word characters so the error covers them.
fn guid_like(lex: &mut Lexer<'_, RawToken>) -> Result<(), RawError> {
    let tail = lex
        .remainder()
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
        .unwrap_or(lex.remainder().len());
    let slice = lex.slice();
    let shaped = is_guid_shaped(slice);
    if tail > 0 || !shaped {
        lex.bump(tail);
        return Err(RawError::MalformedGuid);
    }
    Ok(())
}

fn malformed_number(_: &mut Lexer<'_, RawToken>) -> Result<(), RawError> {
    Err(RawError::MalformedNumber)
}

/// Groups of 8, 4, 4, 4 and 12 between hyphens: hyphens exactly at 8, 13, 18 and 23 of 36.
fn is_hyphenated_guid(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && [8, 13, 18, 23].iter().all(|&i| bytes.get(i) == Some(&b'-'))
        // No other: counted without an early exit, which runs many bytes at a time.
        && bytes.iter().fold(0, |n, &b| n + usize::from(b == b'-')) == 4
}

/// Whether `text` has a GUID's shape as Azure writes it
/// ([decision 8](crate::spec::decisions#decision-8)): 32 characters, or hyphenated 8-4-4-4-12.
/// Braced and URN forms are not GUIDs here.
pub fn is_guid_shaped(text: &str) -> bool {
    text.len() == 32 || is_hyphenated_guid(text)
}

/// The byte ranges of the single-quoted string literals of `text`, quotes included, as the
/// lexer reads them (a `\'` inside one does not end it).
pub(crate) fn string_literals(text: &str) -> Vec<std::ops::Range<usize>> {
    RawToken::lexer(text)
        .spanned()
        .filter(|(token, _)| *token == Ok(RawToken::String))
        .map(|(_, span)| span)
        .collect()
}

/// Scans a quoted literal after its opening quote. `\` makes the next character part of the literal
/// ([decision 1](crate::spec::decisions#decision-1)). A literal ends at its closing quote; a line
/// break or the end of the input before that leaves it unterminated, and the token stops there so
/// lexing can go on.
fn quoted(lex: &mut Lexer<'_, RawToken>, close: char) -> Result<(), RawError> {
    let (length, terminated) = scan_quoted(lex.remainder(), close);
    lex.bump(length);
    if terminated {
        Ok(())
    } else {
        Err(RawError::UnterminatedString)
    }
}

/// How many bytes of `rest` a literal takes, and whether `close` ends it (rather than a line
/// break or the end of the input, which are left out of it).
fn scan_quoted(rest: &str, close: char) -> (usize, bool) {
    // The bytes that end or escape a literal are ASCII, or a typographic quote's first byte,
    // which is no ASCII character: the scan runs over bytes.
    let close_byte = close.encode_utf8(&mut [0; 4]).as_bytes().first().copied();
    let close_byte = close_byte.unwrap_or(b'\n');
    let bytes = rest.as_bytes();
    let mut at = 0;
    while let Some(offset) = bytes
        .get(at..)
        .and_then(|tail| first_special(tail, close_byte))
    {
        let index = at + offset;
        match bytes.get(index) {
            Some(b'\n' | b'\r') => return (index, false),
            Some(b'\\') => {
                // The escaped character, whatever its length, belongs to the literal; a line
                // break still ends it.
                match rest.get(index + 1..).and_then(|t| t.chars().next()) {
                    Some('\n' | '\r') => return (index + 1, false),
                    next => at = index + 1 + next.map_or(0, char::len_utf8),
                }
            }
            _ if rest.get(index..).is_some_and(|t| t.starts_with(close)) => {
                return (index + close.len_utf8(), true);
            }
            _ => at = index + 1,
        }
    }
    (rest.len(), false)
}

/// The index of the first byte of `bytes` that is a `\\`, a line break or `close`.
fn first_special(bytes: &[u8], close: u8) -> Option<usize> {
    use crate::scan::has;
    crate::scan::position(
        bytes,
        |word| has(word, b'\\') | has(word, b'\n') | has(word, b'\r') | has(word, close),
        |b| (b == b'\\') | (b == b'\n') | (b == b'\r') | (b == close),
    )
}

/// Scans `Source[raw text]` after `@`. The raw text runs to the first `]`
/// ([LANGUAGE.md §2.6](crate::spec::language#section-2-6)). Without one, the token stops at the end
/// of the line or at the first white space after the `[`, so that what follows still lexes.
fn attribute(lex: &mut Lexer<'_, RawToken>) -> Result<(), RawError> {
    let rest = lex.remainder();
    let word_len = rest
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || b == b'_'))
        .unwrap_or(rest.len());
    if word_len == 0 {
        return Err(RawError::UnexpectedCharacter);
    }
    let after_word = rest.get(word_len..).unwrap_or("");
    if !after_word.starts_with('[') {
        lex.bump(word_len);
        return Err(RawError::MalformedAttribute);
    }
    let inner = after_word.get(1..).unwrap_or("");
    if let Some(close) = crate::scan::find(inner, b']') {
        lex.bump(word_len + 1 + close + 1);
        return Ok(());
    }
    let stop = inner.find(char::is_whitespace).unwrap_or(inner.len());
    lex.bump(word_len + 1 + stop);
    Err(RawError::UnterminatedAttribute)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(source: &str) -> Vec<Result<RawToken, RawError>> {
        RawToken::lexer(source).collect()
    }

    #[test]
    fn guids_win_over_words_and_numbers() {
        for guid in [
            "acdd72a7-3385-48ef-bd42-f606fba81ae7",
            "12345678-1234-1234-1234-123456789012",
            "1e241071085549ea94dc649edcd759de",
            "deadbeefdeadbeefdeadbeefdeadbeef",
        ] {
            assert_eq!(kinds(guid), [Ok(RawToken::Guid)], "{guid}");
        }
        assert_eq!(kinds("deadbeef"), [Ok(RawToken::Word)]);
        assert_eq!(kinds("12338af0"), [Err(RawError::MalformedNumber)]);
        for malformed in [
            "8e3af657-a8ff-443c-a75c-2fe8c4bcb63",
            "8e3af657-a8ff-443c-a75c-2fe8c4bcb635x",
            // A hyphen too many, or one out of place.
            "8e3af657-a8ff-443c-a75c-2fe8-4bcb635",
            "8e3af657-a8ff-443c-a75c2-fe8c4bcb635",
        ] {
            assert_eq!(
                kinds(malformed),
                [Err(RawError::MalformedGuid)],
                "{malformed}"
            );
        }
    }

    #[test]
    fn keywords_and_operators_are_words_here() {
        assert_eq!(
            kinds("and AND Or nOT stringequals FORANYOFANYVALUES:guidEquals android"),
            [Ok(RawToken::Word); 7]
        );
    }

    #[test]
    fn strings_attributes_and_symbols() {
        assert_eq!(kinds(r"'it\'s'"), [Ok(RawToken::String)]);
        assert_eq!(kinds("'open"), [Err(RawError::UnterminatedString)]);
        assert_eq!(kinds("\"x\""), [Ok(RawToken::DoubleQuotedString)]);
        assert_eq!(kinds("@Request[a:b c]"), [Ok(RawToken::Attribute)]);
        assert_eq!(
            kinds("@Request[a:b"),
            [Err(RawError::UnterminatedAttribute)]
        );
        assert_eq!(kinds("Resource[name1]"), [Ok(RawToken::AttributeWithoutAt)]);
        assert_eq!(kinds("== != <"), [Ok(RawToken::Symbol); 3]);
        assert_eq!(
            kinds("-12 1.5"),
            [Ok(RawToken::Integer), Err(RawError::MalformedNumber)]
        );
    }

    /// The scan as [decision 1](crate::spec::decisions#decision-1) states it, one character at a
    /// time.
    fn scan_quoted_by_chars(rest: &str, close: char) -> (usize, bool) {
        let mut escaped = false;
        let mut consumed = 0;
        for c in rest.chars() {
            if c == '\n' || c == '\r' {
                return (consumed, false);
            }
            consumed += c.len_utf8();
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == close {
                return (consumed, true);
            }
        }
        (consumed, false)
    }

    proptest::proptest! {
        #[test]
        fn the_byte_scan_of_a_literal_agrees_with_the_character_scan(
            rest in "['\"\\\\\n\ra é\u{2019}\u{201D}\u{2018}]{0,40}|[a-z/. ]{0,40}['\"\\\\\n\r\u{2019}][a-z']{0,20}",
        ) {
            for close in ['\'', '"', '\u{2019}', '\u{201D}'] {
                proptest::prop_assert_eq!(
                    scan_quoted(&rest, close),
                    scan_quoted_by_chars(&rest, close),
                    "{:?} closed by {:?}", rest, close
                );
            }
        }
    }
}
