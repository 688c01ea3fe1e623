//! `StringLike` patterns ([LANGUAGE.md §6.2](crate::spec::language#section-6-2),
//! [decision 1](crate::spec::decisions#decision-1)): `*` is any run of characters (including `/`),
//! `?` exactly one character, anchored at both ends. `\*` and `\?` are a literal `*` and `?`, `\\`
//! a backslash and `\'` a quote; any other `\` is itself.
//!
//! Constant patterns are compiled once into a [`LikeMatcher`]; a pattern read from an attribute
//! is decoded when it is compared.

/// One element of a decoded pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Token {
    /// This character.
    Char(char),
    /// `?`: any one character.
    One,
    /// `*`: any run of characters, possibly empty.
    Star,
}

/// Decodes a pattern's raw text (escapes included) into tokens.
pub fn decode(raw: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        let token = match c {
            '*' => Token::Star,
            '?' => Token::One,
            '\\' => match chars.peek() {
                Some(&next @ ('*' | '?' | '\\' | '\'')) => {
                    chars.next();
                    Token::Char(next)
                }
                _ => Token::Char('\\'),
            },
            c => Token::Char(c),
        };
        tokens.push(token);
    }
    tokens
}

/// Whether `text` matches the decoded pattern. Linear in practice: on a mismatch it retries
/// only from the most recent `*`, which is enough when `*` is the only token that matches a
/// variable number of characters.
pub fn matches(pattern: &[Token], text: &str) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut resume: Option<(usize, usize)> = None;
    while let Some(c) = text.get(t..).and_then(|rest| rest.chars().next()) {
        match pattern.get(p) {
            Some(Token::Star) => {
                p += 1;
                resume = Some((p, t));
            }
            Some(Token::One) => {
                p += 1;
                t += c.len_utf8();
            }
            Some(Token::Char(x)) if *x == c => {
                p += 1;
                t += c.len_utf8();
            }
            _ => match resume {
                Some((after_star, swallowed)) => {
                    let skipped = text
                        .get(swallowed..)
                        .and_then(|rest| rest.chars().next())
                        .map_or(1, char::len_utf8);
                    p = after_star;
                    t = swallowed + skipped;
                    resume = Some((after_star, t));
                }
                None => return false,
            },
        }
    }
    pattern
        .get(p..)
        .is_some_and(|rest| rest.iter().all(|&token| token == Token::Star))
}

/// A constant pattern, specialised by shape: most real patterns are a literal with a `*` at
/// one end or both, which compare as one substring test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LikeMatcher {
    /// No wildcard: plain equality.
    Exact(Box<str>),
    /// `text*`: a prefix test.
    Prefix(Box<str>),
    /// `*text`: a suffix test.
    Suffix(Box<str>),
    /// `*text*`: a substring test.
    Contains(Box<str>),
    /// Anything else.
    General(Vec<Token>),
}

impl LikeMatcher {
    /// Compiles a pattern from its raw text.
    pub fn new(raw: &str) -> LikeMatcher {
        let tokens = decode(raw);
        let literal = |tokens: &[Token]| -> Option<Box<str>> {
            tokens
                .iter()
                .map(|t| match t {
                    Token::Char(c) => Some(*c),
                    _ => None,
                })
                .collect::<Option<String>>()
                .map(String::into_boxed_str)
        };
        let starred = |token: Option<&Token>| token == Some(&Token::Star);
        let (first, last) = (starred(tokens.first()), starred(tokens.last()));
        let inner = |from: usize, to: usize| tokens.get(from..tokens.len() - to).and_then(literal);
        let shape = match (first, last) {
            (false, false) => literal(&tokens).map(LikeMatcher::Exact),
            (false, true) => inner(0, 1).map(LikeMatcher::Prefix),
            (true, false) => inner(1, 0).map(LikeMatcher::Suffix),
            // `*` alone is a prefix test with the empty prefix.
            (true, true) if tokens.len() == 1 => Some(LikeMatcher::Prefix("".into())),
            (true, true) => inner(1, 1).map(LikeMatcher::Contains),
        };
        shape.unwrap_or(LikeMatcher::General(tokens))
    }

    /// Whether `text` matches.
    pub fn matches(&self, text: &str) -> bool {
        match self {
            LikeMatcher::Exact(literal) => text == &**literal,
            LikeMatcher::Prefix(prefix) => text.starts_with(&**prefix),
            LikeMatcher::Suffix(suffix) => text.ends_with(&**suffix),
            LikeMatcher::Contains(part) => text.contains(&**part),
            LikeMatcher::General(tokens) => matches(tokens, text),
        }
    }

    /// The shape, for the disassembler.
    pub fn shape(&self) -> &'static str {
        match self {
            LikeMatcher::Exact(_) => "exact",
            LikeMatcher::Prefix(_) => "prefix",
            LikeMatcher::Suffix(_) => "suffix",
            LikeMatcher::Contains(_) => "contains",
            LikeMatcher::General(_) => "glob",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::LikeMatcher;

    fn like(pattern: &str, text: &str) -> bool {
        LikeMatcher::new(pattern).matches(text)
    }

    #[test]
    fn documented_vectors() {
        assert!(like("a*c?", "abcd"));
        assert!(!like("A*C?", "abcd"));
        assert!(!like("a*c", "abcd"));
        assert!(like("logs*", "logs/AlpineFile.txt"));
        assert!(like("readonly/*", "readonly/a/b/Example6.txt"));
        assert!(!like("readonly/*", "Ungranted.txt"));
    }

    #[test]
    fn escapes_and_characters() {
        assert!(like(r"a\*", "a*"));
        assert!(!like(r"a\*", "ab"));
        assert!(like(r"\?", "?"));
        assert!(!like(r"\?", "x"));
        assert!(like(r"a\\b", r"a\b"));
        assert!(like(r"it\'s*", "it's here"));
        assert!(like(r"\d", r"\d"), "any other backslash is itself");
        assert!(like("?", "é"), "`?` is one character, not one byte");
        assert!(!like("??", "é"));
        assert!(like("*", ""));
        assert!(!like("?", ""));
        assert!(like("*a*b*", "xxaxxbxx"));
        assert!(!like("*a*b*", "xxbxxaxx"));
    }

    /// Every shape agrees with the general matcher.
    #[test]
    fn shapes_agree_with_the_general_matcher() {
        let patterns = [
            "", "*", "**", "ab", "ab*", "*ab", "*ab*", r"*a\*", "*é*", "a?*", "*a*b*",
        ];
        let texts = [
            "", "a", "ab", "xab", "abx", "xabx", "a*", "xa*", "é", "aéb", "ba",
        ];
        for pattern in patterns {
            let general = super::decode(pattern);
            for text in texts {
                assert_eq!(
                    LikeMatcher::new(pattern).matches(text),
                    super::matches(&general, text),
                    "{pattern:?} on {text:?}"
                );
            }
        }
    }

    #[test]
    fn shapes() {
        assert_eq!(LikeMatcher::new("abc").shape(), "exact");
        assert_eq!(LikeMatcher::new(r"ab\*").shape(), "exact");
        assert_eq!(LikeMatcher::new("ab*").shape(), "prefix");
        assert_eq!(LikeMatcher::new("*").shape(), "prefix");
        assert_eq!(LikeMatcher::new("*ab").shape(), "suffix");
        assert_eq!(LikeMatcher::new("*ab*").shape(), "contains");
        assert_eq!(LikeMatcher::new("**").shape(), "contains");
        assert_eq!(LikeMatcher::new(r"*a\*").shape(), "suffix");
        assert_eq!(LikeMatcher::new("a?*").shape(), "glob");
        assert_eq!(LikeMatcher::new("*a?").shape(), "glob");
        assert_eq!(LikeMatcher::new("*a*b*").shape(), "glob");
        assert_eq!(LikeMatcher::new("a*b").shape(), "glob");
    }
}
