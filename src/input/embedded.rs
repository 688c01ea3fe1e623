//! Conditions embedded in JSON files: the `condition` fields of role definitions
//! (`permissions[].condition`), role assignments and deny assignments (`condition` or
//! `properties.condition`), as `az` and ARM templates hold them. Each is found with its JSON
//! path and a map from the condition's bytes to the file's, so that a diagnostic points at
//! the line and column of the file, inside the JSON string, escapes and all.

use std::fmt::Write as _;

use crate::limits::MAX_JSON_DEPTH;

/// Where a document stops being JSON, and what was expected there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotJson {
    /// The byte offset in the document.
    pub offset: usize,
    /// The 1-based line.
    pub line: usize,
    /// The 1-based column, in characters.
    pub column: usize,
    /// What is wrong there, such as "expected `,` or `}`".
    pub problem: String,
}

impl std::fmt::Display for NotJson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "not JSON at line {} column {}: {}",
            self.line, self.column, self.problem
        )
    }
}

impl std::error::Error for NotJson {}

/// One condition found in a JSON document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Embedded {
    /// Where it is, as a JSON path: `$[0].properties.condition`.
    pub path: String,
    /// The condition, its JSON escapes decoded.
    pub text: String,
    /// The map from the text's bytes to the document's, in runs (see [`Run`]).
    runs: Box<[Run]>,
}

/// A run of the map from a condition's bytes to its document's: from byte `from` of the text
/// on, byte `to` of the document, each next byte one further (`step` 1: text written as it
/// reads) or at the same place (`step` 0: a value interpolated from elsewhere, an escape). A
/// condition of a few hundred bytes has a handful of runs where a byte-by-byte map held a
/// word per byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Run {
    from: usize,
    to: usize,
    step: usize,
}

impl Embedded {
    /// A condition found by another reader: its path (or resource address), its text, and
    /// for each byte of the text and one past its end, the byte offset in the document.
    pub(crate) fn new(path: String, text: String, offsets: Vec<usize>) -> Embedded {
        debug_assert_eq!(offsets.len(), text.len() + 1);
        let mut runs: Vec<Run> = Vec::new();
        for (at, &to) in offsets.iter().enumerate() {
            match runs.last_mut() {
                // The run's second byte says its step.
                Some(run) if at == run.from + 1 && (to == run.to + 1 || to == run.to) => {
                    run.step = to - run.to;
                }
                Some(run) if run.to + run.step * (at - run.from) == to && at > run.from + 1 => {}
                _ => runs.push(Run {
                    from: at,
                    to,
                    step: 0,
                }),
            }
        }
        Embedded {
            path,
            text,
            runs: runs.into_boxed_slice(),
        }
    }

    /// The document's byte offset of the condition's byte offset `at` (clamped to the end).
    pub fn document_offset(&self, at: usize) -> usize {
        let at = at.min(self.text.len());
        let index = self.runs.partition_point(|run| run.from <= at);
        self.runs
            .get(index.wrapping_sub(1))
            .map_or(0, |run| run.to + run.step * (at - run.from))
    }
}

/// Every `condition` string in `document` (a key named `condition`, ignoring ASCII case,
/// with a string value), in document order. `Err` says where the text stops being JSON.
///
/// ```
/// let document = r#"[{"scope": "/", "condition": "@Resource[x] StringEquals 'a\u0027'"}]"#;
/// let found = azabac::input::embedded::conditions(document).unwrap();
/// assert_eq!(found[0].path, "$[0].condition");
/// assert_eq!(found[0].text, "@Resource[x] StringEquals 'a''");
/// // Byte 0 of the condition is the byte after the opening quote in the document.
/// assert_eq!(found[0].document_offset(0), document.find('@').unwrap());
/// ```
pub fn conditions(document: &str) -> Result<Vec<Embedded>, NotJson> {
    let mut scanner = Scanner::new(document, None);
    scanner.skip_space();
    scanner.value("$", false, 0)?;
    scanner.skip_space();
    if scanner.at < scanner.bytes.len() {
        return Err(scanner.error("text after the JSON value"));
    }
    Ok(scanner.found)
}

/// The byte offset where the value at JSON path `path` (as [`Embedded::path`] writes paths,
/// such as `$.cases[2]`) starts in `document`, if the document is JSON and has it.
///
/// ```
/// let document = "{\"cases\": [\n  {\"name\": \"a\"},\n  {\"name\": \"b\"}\n]}";
/// let at = azabac::input::embedded::locate(document, "$.cases[1]").unwrap();
/// assert!(document[at..].starts_with("{\"name\": \"b\"}"));
/// ```
pub fn locate(document: &str, path: &str) -> Option<usize> {
    let mut scanner = Scanner::new(document, Some(path));
    scanner.skip_space();
    scanner.value("$", false, 0).ok()?;
    scanner.located
}

struct Scanner<'t> {
    bytes: &'t [u8],
    text: &'t str,
    at: usize,
    found: Vec<Embedded>,
    /// A path whose value's offset to record in `located`.
    wanted: Option<&'t str>,
    located: Option<usize>,
}

impl<'t> Scanner<'t> {
    fn new(text: &'t str, wanted: Option<&'t str>) -> Scanner<'t> {
        Scanner {
            bytes: text.as_bytes(),
            text,
            at: 0,
            found: Vec::new(),
            wanted,
            located: None,
        }
    }

    fn error(&self, what: &str) -> NotJson {
        let (line, column) = crate::span::line_column(self.text, self.at);
        NotJson {
            offset: self.at,
            line,
            column,
            problem: what.to_owned(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Result<(), NotJson> {
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.error(&format!("expected `{}`", char::from(byte))))
        }
    }

    /// A value at `path`; `is_condition` when its key is `condition`.
    fn value(&mut self, path: &str, is_condition: bool, depth: usize) -> Result<(), NotJson> {
        if depth > MAX_JSON_DEPTH {
            return Err(self.error("nested too deep"));
        }
        if self.wanted == Some(path) {
            self.located = Some(self.at);
        }
        match self.peek() {
            Some(b'{') => self.object(path, depth),
            Some(b'[') => self.array(path, depth),
            Some(b'"') => {
                let (text, offsets) = self.string()?;
                if is_condition {
                    self.found
                        .push(Embedded::new(path.to_owned(), text, offsets));
                }
                Ok(())
            }
            Some(_) => self.scalar(),
            None => Err(self.error("expected a value")),
        }
    }

    fn object(&mut self, path: &str, depth: usize) -> Result<(), NotJson> {
        self.expect(b'{')?;
        self.skip_space();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(());
        }
        loop {
            self.skip_space();
            let (key, _) = self.string()?;
            self.skip_space();
            self.expect(b':')?;
            self.skip_space();
            let mut child = String::with_capacity(path.len() + key.len() + 1);
            child.push_str(path);
            if key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') && !key.is_empty() {
                let _ = write!(child, ".{key}");
            } else {
                let _ = write!(child, "[{}]", serde_json::Value::String(key.clone()));
            }
            self.value(&child, key.eq_ignore_ascii_case("condition"), depth + 1)?;
            self.skip_space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(());
                }
                _ => return Err(self.error("expected `,` or `}`")),
            }
        }
    }

    fn array(&mut self, path: &str, depth: usize) -> Result<(), NotJson> {
        self.expect(b'[')?;
        self.skip_space();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(());
        }
        for index in 0.. {
            self.skip_space();
            self.value(&format!("{path}[{index}]"), false, depth + 1)?;
            self.skip_space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(());
                }
                _ => return Err(self.error("expected `,` or `]`")),
            }
        }
        Ok(())
    }

    /// A number, `true`, `false` or `null`: its characters, checked loosely (the document was
    /// or will be read by a strict parser too).
    fn scalar(&mut self) -> Result<(), NotJson> {
        let start = self.at;
        while matches!(self.peek(), Some(b) if b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        {
            self.at += 1;
        }
        if self.at == start {
            return Err(self.error("expected a value"));
        }
        Ok(())
    }

    /// A string: its decoded text, and for each decoded byte the document offset of the
    /// character (or escape) it came from, then the offset of the closing quote.
    fn string(&mut self) -> Result<(String, Vec<usize>), NotJson> {
        self.expect(b'"')?;
        let mut text = String::new();
        let mut offsets = Vec::new();
        loop {
            let start = self.at;
            let Some(rest) = self.text.get(start..) else {
                return Err(self.error("unterminated string"));
            };
            let Some(c) = rest.chars().next() else {
                return Err(self.error("unterminated string"));
            };
            match c {
                '"' => {
                    self.at += 1;
                    offsets.push(start);
                    return Ok((text, offsets));
                }
                '\\' => {
                    let decoded = self.escape()?;
                    text.push(decoded);
                    offsets.extend(std::iter::repeat_n(start, decoded.len_utf8()));
                }
                c if u32::from(c) < 0x20 => {
                    return Err(self.error("a control character inside a string"));
                }
                c => {
                    self.at += c.len_utf8();
                    text.push(c);
                    offsets.extend((0..c.len_utf8()).map(|i| start + i));
                }
            }
        }
    }

    /// An escape after `\`, including UTF-16 surrogate pairs; a lone surrogate becomes U+FFFD.
    fn escape(&mut self) -> Result<char, NotJson> {
        self.at += 1;
        let Some(kind) = self.peek() else {
            return Err(self.error("unterminated escape"));
        };
        self.at += 1;
        Ok(match kind {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let high = self.hex4()?;
                if (0xD800..0xDC00).contains(&high)
                    && self.bytes.get(self.at..self.at + 2) == Some(b"\\u")
                {
                    self.at += 2;
                    let low = self.hex4()?;
                    if (0xDC00..0xE000).contains(&low) {
                        let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                        char::from_u32(code).unwrap_or('\u{FFFD}')
                    } else {
                        '\u{FFFD}'
                    }
                } else {
                    char::from_u32(high).unwrap_or('\u{FFFD}')
                }
            }
            _ => return Err(self.error("an unknown escape")),
        })
    }

    fn hex4(&mut self) -> Result<u32, NotJson> {
        let digits = self
            .text
            .get(self.at..self.at + 4)
            .ok_or_else(|| self.error("a short \\u escape"))?;
        let value = u32::from_str_radix(digits, 16)
            .map_err(|_| self.error("a \\u escape without four hex digits"))?;
        self.at += 4;
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::conditions;

    #[test]
    fn finds_conditions_in_every_shape_with_their_paths() {
        let document = r#"{"value": [
  {"properties": {"permissions": [{"actions": ["*"], "condition": "a"}, {"condition": null}]}},
  {"id": "x", "properties": {"scope": "/", "Condition": "b\n c"}},
  {"condition": "\ud83d\ude00 d"}
]}"#;
        let found = conditions(document).unwrap();
        let paths: Vec<&str> = found.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "$.value[0].properties.permissions[0].condition",
                "$.value[1].properties.Condition",
                "$.value[2].condition"
            ]
        );
        assert_eq!(found[1].text, "b\n c");
        // `c` is after the two-byte escape `\n` and a space.
        let c = found[1].text.find('c').unwrap();
        assert_eq!(&document[found[1].document_offset(c)..][..1], "c");
        assert_eq!(found[2].text, "😀 d");
        let d = found[2].text.find('d').unwrap();
        assert_eq!(&document[found[2].document_offset(d)..][..1], "d");
    }

    #[test]
    fn bad_json_is_an_error_with_its_position() {
        let error = conditions("[1, 2").unwrap_err();
        assert_eq!((error.offset, error.line, error.column), (5, 1, 6));
        assert!(error.to_string().contains("line 1 column 6"), "{error}");
        assert!(conditions("{\"condition\": \"a}").is_err());
        assert_eq!(
            conditions(&"[".repeat(200)).unwrap_err().problem,
            "nested too deep"
        );
    }

    /// The runs give back every byte's offset of the map they were made from: maps of
    /// contiguous text, repeated places, jumps and single bytes in every order.
    #[test]
    fn the_runs_of_a_map_give_back_each_bytes_offset() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |bound: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            usize::try_from(seed % u64::try_from(bound).unwrap_or(1)).unwrap_or(0)
        };
        for _ in 0..2000 {
            let len = next(40);
            let mut offsets = Vec::with_capacity(len + 1);
            let mut at = next(100);
            for _ in 0..=len {
                offsets.push(at);
                at = match next(4) {
                    0 => at,
                    1 => at + 2 + next(5),
                    2 => at.saturating_sub(next(3)),
                    _ => at + 1,
                };
            }
            let text = "x".repeat(len);
            let embedded = super::Embedded::new("$".into(), text, offsets.clone());
            for (index, offset) in offsets.iter().enumerate() {
                assert_eq!(
                    embedded.document_offset(index),
                    *offset,
                    "{offsets:?} at {index}"
                );
            }
            assert_eq!(embedded.document_offset(len + 10), offsets[len]);
        }
    }
}
