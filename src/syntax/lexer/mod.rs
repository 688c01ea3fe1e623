//! From raw tokens to parser tokens: decodes literal values, diagnoses malformed tokens and
//! substitutes a plausible token so that parsing can go on and report later errors too, repairs
//! unbalanced delimiters (pointing at the opener), and measures nesting before anything builds a
//! tree ([decision 13](crate::spec::decisions#decision-13): nothing may overflow the stack).
//!
//! - this module: [`lex`] and the lexer, raw token by raw token;
//! - [`tokens`]: the parser's [`Token`]s and the keywords;
//! - [`diagnostics`]: the words for malformed attribute names and invisible characters;
//! - [`delimiters`]: the repair of unbalanced delimiters and the nesting measure.

mod delimiters;
mod diagnostics;
mod tokens;

use logos::Logos;

use delimiters::{nesting, repair_delimiters};
use diagnostics::{attribute_name_diagnostic, invisible_character_name};
use tokens::KEYWORDS;
pub use tokens::{SpannedToken, Text, Token};

use super::ast::{AttributeRef, AttributeSource};
use super::attribute::AttributeName;
use super::operator::Operator;
use super::token::{RawError, RawToken};
use crate::diagnostic::{Code, Collector, Diagnostic, suggest};
use crate::limits::MAX_NESTING;
use crate::span::Span;

/// The tokens of a condition, and how deep they nest.
#[derive(Debug)]
pub struct Lexed<'src> {
    /// The tokens, delimiters repaired.
    pub tokens: Vec<SpannedToken<'src>>,
    /// The deepest nesting of parentheses and negations, at most [`MAX_NESTING`].
    pub depth: usize,
}

/// Lexes `source` into parser tokens, adding what it finds to `diagnostics`. Returns `None`
/// when the tokens must not be parsed at all (nesting too deep).
pub fn lex<'src>(source: &'src str, diagnostics: &mut Collector) -> Option<Lexed<'src>> {
    let mut lexer = Lexer {
        source,
        // Conditions run about one token per ten bytes; room for that avoids regrowing, and
        // for the typical condition stays under the kilobyte above which `malloc` takes a
        // slower path.
        tokens: Vec::with_capacity(source.len() / 10 + 4),
        diagnostics,
        bracket_set_end: None,
    };
    lexer.run();
    let mut tokens = lexer.tokens;
    // Nesting first: it decides whether to parse at all, and its diagnostic must not be
    // crowded out by the delimiter errors of the same input.
    let (depth, too_deep) = nesting(&tokens);
    if let Some(span) = too_deep {
        diagnostics.push(
            Diagnostic::new(
                Code::NestingTooDeep,
                span,
                format!("parentheses and negations nest deeper than {MAX_NESTING} levels"),
            )
            .with_help("flatten the condition: chains such as `a AND b AND c` need no nesting"),
        );
    }
    repair_delimiters(&mut tokens, source.len(), diagnostics);
    too_deep.is_none().then_some(Lexed { tokens, depth })
}

/// The error for a set written in brackets or parentheses (`set` spans them), with the set
/// rewritten in braces, or for a long or multi-line set, how to.
pub(crate) fn misdelimited_set(source: &str, set: Span) -> Diagnostic {
    let text = set.slice(source);
    let (open, close, name) = if text.starts_with('[') {
        ('[', ']', "brackets")
    } else {
        ('(', ')', "parentheses")
    };
    let inner = text
        .strip_prefix(open)
        .and_then(|t| t.strip_suffix(close))
        .unwrap_or(text);
    Diagnostic::new(
        Code::UnexpectedToken,
        set,
        format!("a set is written in braces, not {name}"),
    )
    .with_help(if inner.contains('\n') || inner.len() > 60 {
        format!("replace `{open}` and `{close}` with `{{` and `}}`")
    } else {
        format!("write `{{{inner}}}`")
    })
}

/// The length of `[…]` at the start of `rest` when it reads as a list of values (strings,
/// numbers, GUIDs, `true`/`false`, commas): no attribute, parenthesis or brace inside, and its
/// `]` outside any string. `None` for anything else, which stays an unexpected `[`.
fn bracket_set_len(rest: &str) -> Option<usize> {
    let mut in_string = false;
    let mut chars = rest.char_indices().skip(1);
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' if in_string => {
                chars.next();
            }
            '\'' => in_string = !in_string,
            _ if in_string => {}
            ']' => {
                let inner = rest.get(1..at)?;
                return (!inner.trim().is_empty()).then_some(at + 1);
            }
            '[' | '@' | '(' | ')' | '{' | '}' => return None,
            _ => {}
        }
    }
    None
}

struct Lexer<'src, 'd> {
    source: &'src str,
    tokens: Vec<SpannedToken<'src>>,
    diagnostics: &'d mut Collector,
    /// Where the `]` of a set written in brackets is, once its `[` has been read as `{`.
    bracket_set_end: Option<usize>,
}

impl<'src> Lexer<'src, '_> {
    fn run(&mut self) {
        let mut raw = RawToken::lexer(self.source);
        while let Some(result) = raw.next() {
            let span = Span::from(raw.span());
            let slice = raw.slice();
            match result {
                Ok(token) => self.accept(token, slice, span),
                Err(RawError::UnexpectedCharacter) if slice == "[" => {
                    let rest = self.source.get(span.start()..).unwrap_or("");
                    match bracket_set_len(rest) {
                        Some(len) => self.bracket_set(Span::new(span.start(), span.start() + len)),
                        None => self.reject(RawError::UnexpectedCharacter, slice, span),
                    }
                }
                Err(RawError::UnexpectedCharacter)
                    if slice == "]" && self.bracket_set_end == Some(span.start()) =>
                {
                    self.bracket_set_end = None;
                    self.push(Token::RBrace, span);
                }
                Err(RawError::UnexpectedCharacter) if slice == "/" => {
                    let rest = self.source.get(span.start()..).unwrap_or("");
                    match role_definition_id(rest) {
                        Some(id) => {
                            self.role_definition_id(id, span.start());
                            raw.bump(id.len - slice.len());
                        }
                        None => self.reject(RawError::UnexpectedCharacter, slice, span),
                    }
                }
                Err(error) => self.reject(error, slice, span),
            }
        }
    }

    /// A role definition's resource id where a GUID belongs (what Terraform's `.id` and
    /// Bicep's `subscriptionResourceId()` give): one error with the fix, and its GUID as the
    /// token, so that the parser goes on as if the GUID had been written.
    fn role_definition_id(&mut self, id: RoleDefinitionId, at: usize) {
        let span = Span::new(at, at + id.len);
        let guid = Span::new(at + id.guid.0, at + id.guid.1);
        let text = guid.slice(self.source);
        self.diagnose(
            Diagnostic::new(
                Code::MalformedGuid,
                span,
                "a role definition's resource id where a GUID belongs",
            )
            .with_label(guid, "the role's GUID")
            .with_help(format!(
                "conditions compare the GUID alone: write `{text}` (Terraform: an \
                 `azurerm_role_definition`'s `.id` is the full id, its `.role_definition_id` \
                 the GUID; Bicep: `last(split(id, '/'))`)"
            )),
        );
        self.push(Token::Guid(Text::new(guid.start(), guid.end())), span);
    }

    /// `{'a', 'b'}` written `['a', 'b']`, as JSON and most languages write a list: one error
    /// with the fix, and the brackets read as braces so that the rest is checked as a set.
    fn bracket_set(&mut self, set: Span) {
        self.diagnose(misdelimited_set(self.source, set));
        self.bracket_set_end = Some(set.end() - 1);
        self.push(Token::LBrace, Span::new(set.start(), set.start() + 1));
    }

    fn push(&mut self, token: Token<'src>, span: Span) {
        self.tokens.push((span.start, token, span.end));
    }

    fn diagnose(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn accept(&mut self, token: RawToken, slice: &'src str, span: Span) {
        match token {
            RawToken::LParen => self.push(Token::LParen, span),
            RawToken::RParen => self.push(Token::RParen, span),
            RawToken::LBrace => self.push(Token::LBrace, span),
            RawToken::RBrace => self.push(Token::RBrace, span),
            RawToken::Comma => self.push(Token::Comma, span),
            RawToken::Bang => self.push(Token::Not, span),
            RawToken::AmpAmp => self.push(Token::And, span),
            RawToken::PipePipe => self.push(Token::Or, span),
            RawToken::Amp | RawToken::Pipe => self.lone_amp_or_pipe(slice, span),
            RawToken::Word => self.word(slice, span),
            RawToken::Guid => self.guid(span),
            RawToken::Integer => self.integer(slice, span),
            RawToken::MalformedNumber => {
                self.reject(RawError::MalformedNumber, slice, span);
            }
            RawToken::String => self.string(slice, span),
            RawToken::DoubleQuotedString | RawToken::TypographicString => {
                self.wrongly_quoted(slice, span);
            }
            RawToken::Attribute => self.attribute(slice, span, true, true),
            RawToken::AttributeWithoutAt => self.attribute(slice, span, false, true),
            RawToken::Symbol => {
                self.push(Token::Symbol(Text::new(span.start(), span.end())), span);
            }
        }
    }

    /// A word (ASCII letters, digits and `_`, optionally `word:word`): a keyword or an operator in
    /// any case ([decision 2](crate::spec::decisions#decision-2)), or else just a word. Told apart
    /// here rather than by logos patterns, which keeps the automaton small.
    fn word(&mut self, slice: &'src str, span: Span) {
        let keyword = KEYWORDS
            .iter()
            .find(|(canonical, _)| canonical.eq_ignore_ascii_case(slice));
        match keyword {
            Some((canonical, token)) => {
                self.spelling(slice, canonical, span);
                self.push(token.clone(), span);
            }
            None => self.operator(slice, span),
        }
    }

    fn spelling(&mut self, written: &str, canonical: &str, span: Span) {
        if written != canonical {
            self.diagnose(
                Diagnostic::new(
                    Code::NonCanonicalSpelling,
                    span,
                    format!("`{written}` is not the documented spelling of `{canonical}`"),
                )
                .with_help(format!(
                    "write `{canonical}`; `azabac fmt` does this for you"
                )),
            );
        }
    }

    fn operator(&mut self, slice: &'src str, span: Span) {
        if let Some(operator) = Operator::from_documented_name(slice) {
            return self.push(Token::Operator(operator), span);
        }
        match Operator::from_name(slice).filter(|_| slice.is_ascii()) {
            Some(operator) => {
                if !operator.is_spelled_canonically(slice) {
                    self.spelling(slice, &operator.to_string(), span);
                }
                self.push(Token::Operator(operator), span);
            }
            None => self.push(Token::Word(Text::new(span.start(), span.end())), span),
        }
    }

    fn lone_amp_or_pipe(&mut self, slice: &str, span: Span) {
        let (token, long, word) = if slice == "&" {
            (Token::And, "&&", "AND")
        } else {
            (Token::Or, "||", "OR")
        };
        self.diagnose(
            Diagnostic::new(
                Code::SingleAmpersandOrPipe,
                span,
                format!("`{slice}` is not an operator"),
            )
            .with_help(format!("write `{word}` or `{long}`")),
        );
        self.push(token, span);
    }

    fn guid(&mut self, span: Span) {
        // The raw token is hexadecimal digits and hyphens in a GUID's shape (its patterns and
        // `guid_like`), which [`super::literal::guid`] reads without fail when the tree is built.
        self.push(Token::Guid(Text::new(span.start(), span.end())), span);
    }

    fn integer(&mut self, slice: &str, span: Span) {
        match slice.parse::<i64>() {
            Ok(value) => self.push(Token::Integer(value), span),
            Err(_) => {
                self.diagnose(
                    Diagnostic::new(
                        Code::InvalidNumber,
                        span,
                        format!("integer `{slice}` does not fit in 64 bits"),
                    )
                    .with_help(format!(
                        "numeric operators compare 64-bit signed integers, from {} to {}",
                        i64::MIN,
                        i64::MAX
                    )),
                );
                self.push(Token::Integer(0), span);
            }
        }
    }

    fn string(&mut self, slice: &'src str, span: Span) {
        let inner = slice.get(1..slice.len().saturating_sub(1)).unwrap_or("");
        self.check_string_characters(inner, span.start() + 1);
        self.push_string(1, inner, span);
    }

    /// Pushes a string token whose text between the quotes, `inner`, starts `quote` bytes
    /// into the token.
    fn push_string(&mut self, quote: usize, inner: &str, span: Span) {
        let start = span.start() + quote;
        self.push(Token::String(Text::new(start, start + inner.len())), span);
    }

    fn check_string_characters(&mut self, inner: &str, offset: usize) {
        // Printable ASCII has no invisible characters: the common case needs one pass over
        // the bytes, without an early exit so that it runs many bytes at a time.
        if inner
            .bytes()
            .fold(true, |printable, b| printable & matches!(b, b' '..=b'~'))
        {
            return;
        }
        for (index, c) in inner.char_indices() {
            if let Some(name) = invisible_character_name(c) {
                let at = offset + index;
                self.diagnose(
                    Diagnostic::new(
                        Code::InvalidStringCharacter,
                        Span::new(at, at + c.len_utf8()),
                        format!("string contains {name}"),
                    )
                    .with_help(
                        "Azure rejects conditions with hidden characters, which usually come from \
                         pasting rich text; retype the string",
                    ),
                );
            }
        }
    }

    fn wrongly_quoted(&mut self, slice: &'src str, span: Span) {
        // Typographic quotes are three bytes each in UTF-8.
        let (quote, what) = match slice.chars().next() {
            Some('"') => (1, "double quotes"),
            _ => (3, "typographic quotes"),
        };
        let inner = slice
            .get(quote..slice.len().saturating_sub(quote))
            .unwrap_or("");
        self.diagnose(
            Diagnostic::new(
                Code::DoubleQuotedString,
                span,
                format!("string literal in {what}"),
            )
            .with_help(format!("condition strings use single quotes: `'{inner}'`")),
        );
        self.push_string(quote, inner, span);
    }

    /// Pushes an attribute token. With `report` false the token only serves recovery: its
    /// error was already reported, and nothing more is said about it.
    fn attribute(&mut self, slice: &'src str, span: Span, has_at: bool, report: bool) {
        let text = slice.strip_prefix('@').unwrap_or(slice);
        let (source_name, rest) = crate::scan::split_once(text, b'[').unwrap_or((text, ""));
        let inner = rest.strip_suffix(']').unwrap_or(rest);
        let source_span = Span::new(
            span.start(),
            span.start() + usize::from(has_at) + source_name.len(),
        );
        let inner_start = source_span.end() + 1;
        let inner_span = Span::new(inner_start, inner_start + inner.len());
        if !has_at && report {
            self.diagnose(
                Diagnostic::new(
                    Code::MissingAtSign,
                    span,
                    format!("attribute reference `{slice}` is missing its `@`"),
                )
                .with_help(format!("write `@{slice}`")),
            );
        }
        let source =
            match AttributeSource::from_name(source_name).filter(|_| source_name.is_ascii()) {
                Some(source) => {
                    if report {
                        self.spelling(source_name, source.name(), source_span);
                    }
                    source
                }
                None if !report => AttributeSource::Request,
                None => {
                    let known = AttributeSource::ALL.iter().map(|s| s.name());
                    let help = match suggest::closest(source_name, known) {
                    Some(near) => format!("did you mean `@{near}`?"),
                    None => {
                        "the sources are `@Request`, `@Resource`, `@Principal` and `@Environment`"
                            .to_owned()
                    }
                };
                    self.diagnose(
                        Diagnostic::new(
                            Code::UnknownAttributeSource,
                            source_span,
                            format!("unknown attribute source `@{source_name}`"),
                        )
                        .with_help(help),
                    );
                    AttributeSource::Request
                }
            };
        let name = match AttributeName::parse(inner) {
            Ok(name) => name,
            Err(error) => {
                if report {
                    self.diagnose(attribute_name_diagnostic(&error, inner, inner_span));
                }
                AttributeName::Name(inner.to_owned())
            }
        };
        self.push(
            Token::Attribute(Box::new(AttributeRef { source, name })),
            span,
        );
    }

    fn reject(&mut self, error: RawError, slice: &'src str, span: Span) {
        match error {
            RawError::UnexpectedCharacter => self.unexpected_characters(slice, span),
            RawError::UnterminatedString => {
                let inner = slice.get(1..).unwrap_or("");
                self.diagnose(
                    Diagnostic::new(
                        Code::UnterminatedString,
                        span,
                        "string literal is never closed",
                    )
                    .with_help("add the closing `'`; to put a quote inside a string, write `\\'`"),
                );
                self.check_string_characters(inner, span.start() + 1);
                self.push_string(1, inner, span);
            }
            RawError::UnterminatedAttribute => {
                self.diagnose(
                    Diagnostic::new(
                        Code::UnterminatedAttribute,
                        span,
                        format!("attribute reference `{slice}` has no closing `]`"),
                    )
                    .with_help(format!("write `{slice}]`")),
                );
                self.attribute(slice, span, true, false);
            }
            RawError::MalformedAttribute => {
                self.diagnose(
                    Diagnostic::new(
                        Code::MalformedAttributeName,
                        span,
                        format!("`{slice}` must be followed by `[attribute name]`"),
                    )
                    .with_help(format!("write `{slice}[…]`, e.g. `@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name]`")),
                );
                self.attribute(slice, span, true, false);
            }
            RawError::MalformedNumber => {
                let help = if slice.contains('.') {
                    "Azure conditions support only integers"
                } else {
                    "GUIDs are written with 32 hexadecimal digits, as 8-4-4-4-12 or without hyphens"
                };
                self.diagnose(
                    Diagnostic::new(
                        Code::InvalidNumber,
                        span,
                        format!("`{slice}` is neither an integer nor a GUID"),
                    )
                    .with_help(help),
                );
                self.push(Token::Integer(0), span);
            }
            RawError::MalformedGuid => {
                let digits = slice.chars().filter(char::is_ascii_hexdigit).count();
                self.diagnose(
                    Diagnostic::new(
                        Code::MalformedGuid,
                        span,
                        format!("`{slice}` is not a GUID"),
                    )
                    .with_help(format!(
                        "a GUID has 32 hexadecimal digits, written 8-4-4-4-12 \
                             (`00000000-0000-0000-0000-000000000000`) or without hyphens; \
                             this has {digits}"
                    )),
                );
                // Read as the nil GUID: the diagnostic has told what is wrong.
                self.push(Token::Guid(Text::new(span.end(), span.end())), span);
            }
        }
    }

    /// Reports unexpected characters, merging a run of them into one diagnostic.
    fn unexpected_characters(&mut self, slice: &str, span: Span) {
        if let Some(last) = self.diagnostics.last_mut()
            && last.code == Code::UnexpectedCharacter
            && last.span.end == span.start
            && last.help.is_none()
        {
            last.span = last.span.to(span);
            last.message = format!("unexpected characters `{}`", last.span.slice(self.source));
            return;
        }
        let c = slice.chars().next().unwrap_or(' ');
        let diagnostic = match c {
            '\u{2019}' | '\u{201D}' => Diagnostic::new(
                Code::DoubleQuotedString,
                span,
                format!("stray typographic quote `{c}`"),
            )
            .with_help("condition strings use straight single quotes `'`"),
            '[' | ']' => {
                Diagnostic::new(Code::UnexpectedCharacter, span, format!("unexpected `{c}`"))
                    .with_help("brackets belong to attribute references: `@Resource[name]`")
            }
            _ => match invisible_character_name(c) {
                Some(name) => Diagnostic::new(
                    Code::UnexpectedCharacter,
                    span,
                    format!("unexpected {name}"),
                )
                .with_help(
                    "Azure rejects conditions with hidden characters, which usually come from \
                         pasting rich text; delete it",
                ),
                None => Diagnostic::new(
                    Code::UnexpectedCharacter,
                    span,
                    format!("unexpected character `{c}`"),
                ),
            },
        };
        self.diagnose(diagnostic);
    }
}

/// A role definition resource id at the start of a text: its length and where its GUID is.
#[derive(Clone, Copy, Debug)]
struct RoleDefinitionId {
    len: usize,
    guid: (usize, usize),
}

/// `/…/providers/Microsoft.Authorization/roleDefinitions/GUID` (any scope before it, any case)
/// at the start of `text`, ending where the id's characters end.
fn role_definition_id(text: &str) -> Option<RoleDefinitionId> {
    const MARKER: &str = "/providers/microsoft.authorization/roledefinitions/";
    let len = text
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'-' | b'_')))
        .unwrap_or(text.len());
    let id = text.get(..len)?;
    let lower = id.to_ascii_lowercase();
    let at = lower.rfind(MARKER)? + MARKER.len();
    let guid = id.get(at..)?;
    crate::syntax::literal::guid(guid)?;
    Some(RoleDefinitionId {
        len,
        guid: (at, len),
    })
}

#[cfg(test)]
mod tests;
