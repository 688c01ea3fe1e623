//! From raw tokens to parser tokens: decodes literal values, diagnoses malformed tokens and
//! substitutes a plausible token so that parsing can go on and report later errors too, repairs
//! unbalanced delimiters (pointing at the opener), and measures nesting before anything builds a
//! tree (decision 13: nothing may overflow the stack).

use std::marker::PhantomData;

use logos::Logos;

use super::ast::{AttributeRef, AttributeSource};
use super::attribute::{AttributeName, AttributeNameError, KEY_MARKER, KEYS_MARKER};
use super::operator::Operator;
use super::token::{RawError, RawToken};
use crate::diagnostic::{Code, Collector, Diagnostic, suggest};
use crate::limits::MAX_NESTING;
use crate::span::Span;

/// A token as the grammar sees it, with its decoded value.
#[derive(Clone, Debug, PartialEq)]
pub enum Token<'src> {
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `{`
    LBrace,
    /// `}`
    RBrace,
    /// `,`
    Comma,
    /// `AND` or `&&`
    And,
    /// `OR` or `||`
    Or,
    /// `NOT` or `!`
    Not,
    /// `true`
    True,
    /// `false`
    False,
    /// `ActionMatches`
    ActionMatches,
    /// `SubOperationMatches`
    SubOperationMatches,
    /// `Exists`
    Exists,
    /// A comparison operator.
    Operator(Operator),
    /// A bare GUID (shaped and hex as a GUID must be; read when the tree is built).
    Guid(Text<'src>),
    /// An integer.
    Integer(i64),
    /// A string literal: the raw text between the quotes.
    String(Text<'src>),
    /// `@Source[name]`.
    Attribute(Box<AttributeRef>),
    /// A word that is no keyword or operator; only error productions accept it.
    Word(Text<'src>),
    /// `==`, `!=` and friends; only error productions accept them.
    Symbol(Text<'src>),
}

/// Where a token's text is in the source: a token holds its place rather than the text, which
/// keeps tokens (and the parser's symbols) at 16 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text<'src> {
    start: u32,
    end: u32,
    source: PhantomData<&'src str>,
}

impl<'src> Text<'src> {
    fn new(start: usize, end: usize) -> Text<'src> {
        Text {
            start: crate::span::offset(start),
            end: crate::span::offset(end),
            source: PhantomData,
        }
    }

    /// The text of `source`, the condition the token came from.
    pub fn get(self, source: &'src str) -> &'src str {
        source
            .get(self.start as usize..self.end as usize)
            .unwrap_or_default()
    }
}

impl Token<'_> {
    /// How the token reads in a diagnostic; `source` is the condition it came from.
    pub fn describe(&self, source: &str) -> String {
        match self {
            Token::LParen => "`(`".into(),
            Token::RParen => "`)`".into(),
            Token::LBrace => "`{`".into(),
            Token::RBrace => "`}`".into(),
            Token::Comma => "`,`".into(),
            Token::And => "`AND`".into(),
            Token::Or => "`OR`".into(),
            Token::Not => "`NOT`".into(),
            Token::True => "`true`".into(),
            Token::False => "`false`".into(),
            Token::ActionMatches => "`ActionMatches`".into(),
            Token::SubOperationMatches => "`SubOperationMatches`".into(),
            Token::Exists => "`Exists`".into(),
            Token::Operator(op) => format!("operator `{op}`"),
            Token::Guid(guid) => format!("GUID `{}`", guid.get(source)),
            Token::Integer(value) => format!("integer `{value}`"),
            Token::String(raw) => format!("string `'{}'`", raw.get(source)),
            Token::Attribute(attribute) => {
                format!(
                    "attribute `@{}[{}]`",
                    attribute.source.name(),
                    attribute.name
                )
            }
            Token::Word(word) => format!("`{}`", word.get(source)),
            Token::Symbol(symbol) => format!("`{}`", symbol.get(source)),
        }
    }
}

/// The keywords in their documented spelling; any ASCII case reads as the keyword.
const KEYWORDS: [(&str, Token<'static>); 8] = [
    ("AND", Token::And),
    ("OR", Token::Or),
    ("NOT", Token::Not),
    ("true", Token::True),
    ("false", Token::False),
    ("Exists", Token::Exists),
    ("ActionMatches", Token::ActionMatches),
    ("SubOperationMatches", Token::SubOperationMatches),
];

/// A token with its byte span, in the triple form lalrpop consumes. Offsets are `u32`, which
/// keeps the parser's symbols small; the parser analyses at most a mebibyte.
pub type SpannedToken<'src> = (u32, Token<'src>, u32);

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

struct Lexer<'src, 'd> {
    source: &'src str,
    tokens: Vec<SpannedToken<'src>>,
    diagnostics: &'d mut Collector,
}

impl<'src> Lexer<'src, '_> {
    fn run(&mut self) {
        let mut raw = RawToken::lexer(self.source);
        while let Some(result) = raw.next() {
            let span = Span::from(raw.span());
            let slice = raw.slice();
            match result {
                Ok(token) => self.accept(token, slice, span),
                Err(error) => self.reject(error, slice, span),
            }
        }
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

    /// A word (ASCII letters, digits and `_`, optionally `word:word`): a keyword or an
    /// operator in any case (decision 2), or else just a word. Told apart here rather than by
    /// logos patterns, which keeps the automaton small.
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
        if let Some(last) = self.diagnostics.last_mut() {
            if last.code == Code::UnexpectedCharacter
                && last.span.end == span.start
                && last.help.is_none()
            {
                last.span = last.span.to(span);
                last.message = format!("unexpected characters `{}`", last.span.slice(self.source));
                return;
            }
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

/// A name for characters people cannot see, or `None` for visible ones.
fn invisible_character_name(c: char) -> Option<String> {
    let name = match c {
        '\u{00A0}' => "non-breaking space",
        '\u{00AD}' => "soft hyphen",
        '\u{200B}' => "zero-width space",
        '\u{200C}' => "zero-width non-joiner",
        '\u{200D}' => "zero-width joiner",
        '\u{200E}' | '\u{200F}' | '\u{061C}' => "bidirectional mark",
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => "bidirectional control",
        '\u{2060}'..='\u{2064}' => "invisible formatting character",
        '\u{FEFF}' => "byte-order mark",
        '\u{FFFD}' => "replacement character (the input was not valid UTF-8 here)",
        _ if c.is_control() => "control character",
        _ => return None,
    };
    Some(format!("{name} U+{:04X}", u32::from(c)))
}

fn attribute_name_diagnostic(error: &AttributeNameError, inner: &str, span: Span) -> Diagnostic {
    let code = Code::MalformedAttributeName;
    match error {
        AttributeNameError::Empty => Diagnostic::new(code, span, "attribute name is empty")
            .with_help("write the attribute inside the brackets, e.g. `@Environment[isPrivateLink]`"),
        AttributeNameError::EmptyPart => {
            Diagnostic::new(code, span, format!("attribute name `{inner}` is incomplete"))
                .with_help("qualified names have a path and an attribute: `Microsoft.Storage/storageAccounts/blobServices/containers:name`")
        }
        AttributeNameError::EmptyKey => {
            Diagnostic::new(code, span, format!("attribute name `{inner}` has no key before `{KEY_MARKER}`"))
                .with_help(format!("write the key before the marker: `…/tags:Project{KEY_MARKER}`"))
        }
        AttributeNameError::DamagedKeyMarker(marker) => Diagnostic::new(
            code,
            span,
            format!("attribute name `{inner}` has a damaged key marker `{marker}`"),
        )
        .with_help(format!(
            "the marker is `{KEY_MARKER}`; a shell probably expanded `$key_case_sensitive` as a \
             variable: in PowerShell write `` `$ ``, in bash use single quotes or `\\$`"
        )),
        AttributeNameError::DamagedKeysMarker(marker) => Diagnostic::new(
            code,
            span,
            format!("attribute name `{inner}` has a damaged keys marker `{marker}`"),
        )
        .with_help(format!(
            "the marker is `{KEYS_MARKER}`; a shell probably expanded `$keys` as a variable: in \
             PowerShell write `` `$ ``, in bash use single quotes or `\\$`"
        )),
    }
}

/// Makes every `(`/`{` closed and every `)`/`}` opened, reporting each repair, so that the
/// parser does not report the same mistake again at the end of the input. One scan, editing in
/// place: balanced input (the common case) is left untouched.
fn repair_delimiters(tokens: &mut Vec<SpannedToken<'_>>, end: usize, diagnostics: &mut Collector) {
    if !balanced(tokens) {
        repair_unbalanced(tokens, end, diagnostics);
    }
}

/// [`repair_delimiters`] without the quick check.
fn repair_unbalanced(tokens: &mut Vec<SpannedToken<'_>>, end: usize, diagnostics: &mut Collector) {
    let mut open: Vec<(bool, Span)> = Vec::new(); // (is_paren, span)
    let mut unmatched: Vec<usize> = Vec::new();
    for (index, (start, token, stop)) in tokens.iter_mut().enumerate() {
        let span = Span::between(*start, *stop);
        let closer = match token {
            Token::LParen | Token::LBrace => {
                open.push((*token == Token::LParen, span));
                continue;
            }
            Token::RParen => true,
            Token::RBrace => false,
            _ => continue,
        };
        let (found, expected) = if closer {
            ("`)`", "`}`")
        } else {
            ("`}`", "`)`")
        };
        match open.pop() {
            Some((is_paren, _)) if is_paren == closer => {}
            Some((is_paren, opener)) => {
                diagnostics.push(
                    Diagnostic::new(
                        Code::UnmatchedDelimiter,
                        span,
                        format!(
                            "{found} does not close {}",
                            if is_paren { "`(`" } else { "`{`" }
                        ),
                    )
                    .with_label(opener, "this is the innermost open delimiter")
                    .with_help(format!("write {expected} here")),
                );
                *token = if is_paren {
                    Token::RParen
                } else {
                    Token::RBrace
                };
            }
            None => {
                diagnostics.push(
                    Diagnostic::new(Code::UnmatchedDelimiter, span, format!("unmatched {found}"))
                        .with_help("remove it, or add the opening delimiter it was meant to close"),
                );
                unmatched.push(index);
            }
        }
    }
    if !unmatched.is_empty() {
        // `unmatched` is ascending, so one cursor walks it alongside the tokens.
        let mut drop = unmatched.into_iter().peekable();
        let mut index = 0;
        tokens.retain(|_| {
            let keep = drop.next_if_eq(&index).is_none();
            index += 1;
            keep
        });
    }
    while let Some((is_paren, opener)) = open.pop() {
        let (what, closer, token) = if is_paren {
            ("`(`", "`)`", Token::RParen)
        } else {
            ("`{`", "`}`", Token::RBrace)
        };
        diagnostics.push(
            Diagnostic::new(Code::UnclosedDelimiter, opener, format!("unclosed {what}"))
                .with_label(
                    Span::point(end),
                    format!("the condition ends here without {closer}"),
                )
                .with_help(format!("add the matching {closer}")),
        );
        tokens.push((crate::span::offset(end), token, crate::span::offset(end)));
    }
}

/// Whether every `(`/`{` is closed by its own kind and nothing else is closed: the check of
/// [`repair_delimiters`] without its bookkeeping, on a stack of bits (one per open delimiter,
/// set for a parenthesis). Deeper than 128 it gives up, and the full scan decides.
fn balanced(tokens: &[SpannedToken<'_>]) -> bool {
    let mut stack: u128 = 0;
    let mut depth = 0u32;
    for (_, token, _) in tokens {
        let closer = match token {
            Token::LParen | Token::LBrace => {
                if depth == u128::BITS {
                    return false;
                }
                stack = stack << 1 | u128::from(*token == Token::LParen);
                depth += 1;
                continue;
            }
            Token::RParen => 1,
            Token::RBrace => 0,
            _ => continue,
        };
        if depth == 0 || stack & 1 != closer {
            return false;
        }
        stack >>= 1;
        depth -= 1;
    }
    depth == 0
}

/// How deep the tokens nest, and where nesting first exceeds [`MAX_NESTING`], counting each
/// open parenthesis and each negation whose operand has not ended. Tree depth is at most a
/// small multiple of this, so every recursive walk of a tree that passed is shallow.
fn nesting(tokens: &[SpannedToken<'_>]) -> (usize, Option<Span>) {
    // For each open parenthesis: the nesting outside it. Each frame is at most the deepest
    // nesting so far, and there are at most that many, so a fixed array holds them all.
    let mut frames = [0u16; MAX_NESTING + 2];
    let mut open = 0;
    let mut base = 0;
    let mut pending_negations = 0;
    let mut deepest = 0;
    for (start, token, end) in tokens {
        match token {
            Token::LParen => {
                if let Some(frame) = frames.get_mut(open) {
                    *frame = u16::try_from(base).unwrap_or(u16::MAX);
                }
                open += 1;
                base += 1 + pending_negations;
                pending_negations = 0;
            }
            Token::RParen => {
                // An unmatched `)` closes nothing: the nesting is back to none.
                base = match open.checked_sub(1) {
                    Some(outer) => {
                        open = outer;
                        frames.get(outer).map_or(0, |&frame| usize::from(frame))
                    }
                    None => 0,
                };
                pending_negations = 0;
            }
            Token::Not => pending_negations += 1,
            _ => pending_negations = 0,
        }
        deepest = deepest.max(base + pending_negations);
        if deepest > MAX_NESTING {
            return (deepest, Some(Span::between(*start, *end)));
        }
    }
    (deepest, None)
}

#[cfg(test)]
mod tests {
    use super::{Collector, Token, balanced, repair_unbalanced};

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
        let (tokens, codes) =
            lexed("AND OR NOT true false Exists ActionMatches SubOperationMatches");
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
}
