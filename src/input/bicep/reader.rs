//! The reader of the part of Bicep conditions sit in: declarations, objects, arrays and
//! strings, each string decoded with its byte offsets; anything else skipped with its brackets
//! balanced.

use super::super::error::{Budget, Language, Stop};
use super::{MAX_DEPTH, Node, Part, plain};

/// A cursor over a Bicep file's text.
pub(super) struct Reader<'t> {
    pub(super) text: &'t str,
    pub(super) at: usize,
}

impl Reader<'_> {
    pub(super) fn byte(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    pub(super) fn error(&self, problem: &str) -> Stop {
        Stop::syntax(Language::Bicep, self.at, problem)
    }

    /// Skips spaces and comments, and newlines when `lines`.
    pub(super) fn skip_space(&mut self, lines: bool) {
        loop {
            match self.byte() {
                Some(b' ' | b'\t' | b'\r') => self.at += 1,
                Some(b'\n') if lines => self.at += 1,
                Some(b'/')
                    if self
                        .text
                        .get(self.at..)
                        .is_some_and(|r| r.starts_with("//")) =>
                {
                    while self.byte().is_some_and(|b| b != b'\n') {
                        self.at += 1;
                    }
                }
                Some(b'/')
                    if self
                        .text
                        .get(self.at..)
                        .is_some_and(|r| r.starts_with("/*")) =>
                {
                    match self.text.get(self.at + 2..).and_then(|r| r.find("*/")) {
                        Some(end) => self.at += end + 4,
                        None => self.at = self.text.len(),
                    }
                }
                _ => return,
            }
        }
    }

    pub(super) fn skip_line(&mut self) {
        while self.byte().is_some_and(|b| b != b'\n') {
            self.at += 1;
        }
    }

    /// Skips to `target` on this line, over strings and brackets.
    /// Passes over the string literal at the cursor. One that never ends (a lone `'''`) is
    /// passed one byte on, so that every scan that meets it moves on.
    fn pass_string(&mut self) {
        let before = self.at;
        let _ = self.string();
        if self.at == before {
            self.at += 1;
        }
    }

    pub(super) fn skip_until_on_line(&mut self, target: u8) {
        while let Some(b) = self.byte() {
            if b == target || b == b'\n' {
                return;
            }
            if b == b'\'' {
                self.pass_string();
                continue;
            }
            self.at += 1;
        }
    }

    /// Skips a parenthesized group, strings and nested parentheses inside it.
    pub(super) fn skip_parentheses(&mut self) {
        let mut depth = 0usize;
        while let Some(b) = self.byte() {
            match b {
                b'(' => depth += 1,
                b')' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        self.at += 1;
                        return;
                    }
                }
                b'\'' => {
                    self.pass_string();
                    continue;
                }
                _ if depth == 0 => return,
                _ => {}
            }
            self.at += 1;
        }
    }

    pub(super) fn eat(&mut self, byte: u8) -> bool {
        self.skip_space(false);
        if self.byte() == Some(byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    pub(super) fn word(&mut self) -> Option<String> {
        let start = self.at;
        while self
            .byte()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            self.at += 1;
        }
        (self.at > start).then(|| self.text[start..self.at].to_owned())
    }

    pub(super) fn word_after_space(&mut self) -> Option<String> {
        self.skip_space(false);
        self.word()
    }

    pub(super) fn peek_word(&self, word: &str) -> bool {
        self.text.get(self.at..).is_some_and(|r| {
            r.starts_with(word)
                && !r
                    .as_bytes()
                    .get(word.len())
                    .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        })
    }

    pub(super) fn value(&mut self, depth: usize) -> Result<Node, Stop> {
        if depth > MAX_DEPTH {
            return Err(Stop::budget(
                Language::Bicep,
                self.at,
                Budget::Depth(MAX_DEPTH),
            ));
        }
        self.skip_space(false);
        match self.byte() {
            Some(b'\'') => self.string(),
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            _ => {
                let at = self.at;
                Ok(Node::Other(self.other(), at))
            }
        }
    }

    /// Anything else up to the end of the line, a `,`, or a closing bracket, with brackets and
    /// strings inside balanced.
    pub(super) fn other(&mut self) -> String {
        let start = self.at;
        let mut depth = 0usize;
        while let Some(b) = self.byte() {
            match b {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' if depth == 0 => break,
                b')' | b']' | b'}' => depth -= 1,
                b'\n' | b',' if depth == 0 => break,
                b'\'' => {
                    self.pass_string();
                    continue;
                }
                _ => {}
            }
            self.at += 1;
        }
        self.text
            .get(start..self.at)
            .unwrap_or_default()
            .trim()
            .to_owned()
    }

    pub(super) fn object(&mut self, depth: usize) -> Result<Node, Stop> {
        self.at += 1;
        let mut fields = Vec::new();
        loop {
            self.skip_space(true);
            match self.byte() {
                None => return Err(self.error("an object without its `}`")),
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Node::Object(fields));
                }
                Some(b',') => self.at += 1,
                Some(b'@') => self.skip_line(),
                Some(first) => {
                    // `name: value` or `'quoted name': value`.
                    let at = self.at;
                    let key = if first == b'\'' {
                        match self.string()? {
                            Node::String(parts) => plain(&parts),
                            _ => String::new(),
                        }
                    } else {
                        self.word()
                            .ok_or_else(|| self.error("expected a property name"))?
                    };
                    if !self.eat(b':') {
                        return Err(self.error("expected `:`"));
                    }
                    let value = self.value(depth + 1)?;
                    fields.push((key, at, value));
                }
            }
        }
    }

    pub(super) fn array(&mut self, depth: usize) -> Result<Node, Stop> {
        self.at += 1;
        let mut items = Vec::new();
        loop {
            self.skip_space(true);
            match self.byte() {
                None => return Err(self.error("an array without its `]`")),
                Some(b']') => {
                    self.at += 1;
                    return Ok(Node::Array(items));
                }
                Some(b',') => self.at += 1,
                Some(_) if items.is_empty() && self.peek_word("for") => {
                    return self.for_loop(depth);
                }
                Some(_) => {
                    let before = self.at;
                    items.push(self.value(depth + 1)?);
                    // A stray `)` or `}` is no value: stop rather than read nothing forever.
                    if self.at == before {
                        return Err(self.error("an array item that is not a value"));
                    }
                }
            }
        }
    }

    /// `[for item in source: body]` or `[for (item, index) in source: body]`, from `for`; a
    /// filtered loop (`: if (…) body`) keeps its filter's text. Anything else after `for`
    /// is read as an opaque value up to the `]`.
    fn for_loop(&mut self, depth: usize) -> Result<Node, Stop> {
        let start = self.at;
        let opaque = |reader: &mut Self| -> Result<Node, Stop> {
            reader.at = start;
            let other = reader.other();
            reader.skip_space(true);
            if !reader.eat(b']') {
                return Err(reader.error("a `for` expression without its `]`"));
            }
            Ok(Node::Other(format!("[{other}]"), start))
        };
        self.word();
        self.skip_space(false);
        let (item, index) = if self.eat(b'(') {
            self.skip_space(false);
            let item = self.word();
            self.skip_space(false);
            self.eat(b',');
            self.skip_space(false);
            let index = self.word();
            self.skip_space(false);
            if !self.eat(b')') {
                return opaque(self);
            }
            (item, index)
        } else {
            (self.word(), None)
        };
        self.skip_space(false);
        let (Some(item), true) = (item, self.peek_word("in")) else {
            return opaque(self);
        };
        self.word();
        self.skip_space(false);
        // The source, up to the `:` outside brackets and strings.
        let source_start = self.at;
        let mut nesting = 0usize;
        while let Some(b) = self.byte() {
            match b {
                b'(' | b'[' | b'{' => nesting += 1,
                b')' | b']' | b'}' if nesting == 0 => return opaque(self),
                b')' | b']' | b'}' => nesting -= 1,
                b':' if nesting == 0 => break,
                b'\'' => {
                    self.pass_string();
                    continue;
                }
                _ => {}
            }
            self.at += 1;
        }
        let source = self
            .text
            .get(source_start..self.at)
            .unwrap_or("")
            .trim()
            .to_owned();
        if !self.eat(b':') {
            return opaque(self);
        }
        self.skip_space(true);
        let filter = if self.peek_word("if") {
            let at = self.at;
            self.word();
            self.skip_space(false);
            self.skip_parentheses();
            Some(self.text.get(at..self.at).unwrap_or("").trim().to_owned())
        } else {
            None
        };
        let body = self.value(depth + 1)?;
        self.skip_space(true);
        if !self.eat(b']') {
            return Err(self.error("a `for` expression without its `]`"));
        }
        Ok(Node::For(Box::new(super::ForLoop {
            item,
            index,
            source,
            filter,
            at: start,
            body,
        })))
    }

    /// A string from its opening quote: `'''…'''` verbatim, or `'…'` with escapes and
    /// interpolations.
    pub(super) fn string(&mut self) -> Result<Node, Stop> {
        if self
            .text
            .get(self.at..)
            .is_some_and(|r| r.starts_with("'''"))
        {
            let start = self.at + 3;
            // A leading line break (`\n` or `\r\n`) right after `'''` is not part of the value.
            let rest = self.text.get(start..).unwrap_or("");
            let body = if rest.starts_with("\r\n") {
                start + 2
            } else if rest.starts_with('\n') {
                start + 1
            } else {
                start
            };
            let Some(end) = self.text.get(body..).and_then(|r| r.find("'''")) else {
                return Err(self.error("a `'''` string without its end"));
            };
            let text = self.text[body..body + end].to_owned();
            let offsets = (body..body + end).collect();
            self.at = body + end + 3;
            return Ok(Node::String(vec![Part::Text(text, offsets)]));
        }
        self.at += 1;
        let mut parts = Vec::new();
        let (mut text, mut offsets) = (String::new(), Vec::new());
        loop {
            let at = self.at;
            let Some(c) = self.text.get(at..).and_then(|r| r.chars().next()) else {
                return Err(self.error("a string without its closing `'`"));
            };
            match c {
                '\'' => {
                    self.at += 1;
                    break;
                }
                '\n' => return Err(self.error("a string without its closing `'`")),
                '\\' => {
                    let Some(e) = self.text.get(at + 1..).and_then(|r| r.chars().next()) else {
                        return Err(self.error("an escape at the end of the file"));
                    };
                    self.at += 1 + e.len_utf8();
                    let decoded = match e {
                        'n' => '\n',
                        'r' => '\r',
                        't' => '\t',
                        '\'' | '\\' | '$' => e,
                        'u' => {
                            // `\u{…}`: its braces, and a code point between them.
                            let rest = self.text.get(self.at..).unwrap_or("");
                            let hex = rest
                                .strip_prefix('{')
                                .and_then(|inner| inner.split_once('}'))
                                .map(|(hex, _)| hex);
                            let Some(decoded) = hex
                                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                                .and_then(char::from_u32)
                            else {
                                return Err(
                                    self.error("a `\\u` escape without a code point in `{…}`")
                                );
                            };
                            self.at += hex.map_or(0, str::len) + 2;
                            decoded
                        }
                        other => other,
                    };
                    offsets.extend(std::iter::repeat_n(at, decoded.len_utf8()));
                    text.push(decoded);
                }
                '$' if self.text.get(at..).is_some_and(|r| r.starts_with("${")) => {
                    let start = at + 2;
                    let mut depth = 1usize;
                    let mut end = start;
                    for (i, b) in self.text.as_bytes().iter().enumerate().skip(start) {
                        match b {
                            b'{' => depth += 1,
                            b'}' => {
                                depth -= 1;
                                if depth == 0 {
                                    end = i;
                                    break;
                                }
                            }
                            _ => {}
                        }
                    }
                    if end == start && self.text.as_bytes().get(start) != Some(&b'}') {
                        return Err(self.error("an interpolation without its `}`"));
                    }
                    if !text.is_empty() {
                        parts.push(Part::Text(
                            std::mem::take(&mut text),
                            std::mem::take(&mut offsets),
                        ));
                    }
                    parts.push(Part::Interpolation(self.text[start..end].to_owned(), at));
                    self.at = end + 1;
                }
                c => {
                    // Plain text up to the next quote, escape, `$` or line break, copied whole;
                    // each byte of a character maps to the character's start.
                    let rest = self.text.get(at..).unwrap_or("");
                    let plain = rest
                        .bytes()
                        .position(|b| matches!(b, b'\'' | b'\\' | b'$' | b'\n'))
                        .unwrap_or(rest.len())
                        .max(c.len_utf8());
                    let run = rest.get(..plain).unwrap_or("");
                    if run.is_ascii() {
                        offsets.extend(at..at + run.len());
                    } else {
                        for (i, ch) in run.char_indices() {
                            offsets.extend(std::iter::repeat_n(at + i, ch.len_utf8()));
                        }
                    }
                    text.push_str(run);
                    self.at += run.len();
                }
            }
        }
        if !text.is_empty() || parts.is_empty() {
            parts.push(Part::Text(text, offsets));
        }
        Ok(Node::String(parts))
    }
}
