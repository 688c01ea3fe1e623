//! Bicep strings: `'''…'''` verbatim, `$'''…'''` (or `$$'''…'''`, …) verbatim with `${…}`
//! (`$${…}`, …) interpolations, or `'…'` with escapes and `${…}` interpolations, each byte of
//! the decoded text mapped to where it is written.

use super::super::super::error::{Language, Stop};
use super::{Expr, Kind, Parser, Piece};

impl Parser<'_> {
    /// A string from its opening quote: `'''…'''` verbatim, or `'…'` with escapes and
    /// interpolations.
    pub(in crate::input::bicep) fn string(&mut self, depth: usize) -> Result<Expr, Stop> {
        let start = self.at;
        let dollars = self.rest().bytes().take_while(|&b| b == b'$').count();
        if dollars > 0 {
            return self.interpolated_verbatim(dollars, depth);
        }
        if self.rest().starts_with("'''") {
            let open = self.at + 3;
            // A leading line break (`\n` or `\r\n`) right after `'''` is not part of the value.
            let after = self.text.get(open..).unwrap_or("");
            let body = if after.starts_with("\r\n") {
                open + 2
            } else if after.starts_with('\n') {
                open + 1
            } else {
                open
            };
            let Some(end) = self.text.get(body..).and_then(|r| r.find("'''")) else {
                return Err(self.error("a `'''` string without its end"));
            };
            let text = self.text.get(body..body + end).unwrap_or("").to_owned();
            self.at = body + end + 3;
            let piece = Piece::Text(text, (body..body + end).collect());
            return Ok(Self::node(Kind::String(vec![piece]), start, self.at));
        }
        self.at += 1;
        let mut pieces = Vec::new();
        let (mut text, mut offsets) = (String::new(), Vec::new());
        loop {
            let at = self.at;
            let Some(c) = self.rest().chars().next() else {
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
                            let hex = self
                                .rest()
                                .strip_prefix('{')
                                .and_then(|inner| inner.split_once('}'))
                                .map(|(hex, _)| hex);
                            let unit = hex.and_then(|hex| u32::from_str_radix(hex, 16).ok());
                            self.at += hex.map_or(0, str::len) + 2;
                            // A high surrogate is one half of a pair: `\u{D83D}\u{DE00}`.
                            let low =
                                unit.filter(|u| (0xD800..0xDC00).contains(u)).and_then(|_| {
                                    let rest = self.rest().strip_prefix("\\u{")?;
                                    let (hex, _) = rest.split_once('}')?;
                                    let low = u32::from_str_radix(hex, 16).ok()?;
                                    (0xDC00..0xE000)
                                        .contains(&low)
                                        .then_some((low, hex.len() + 4))
                                });
                            let code = match (unit, low) {
                                (Some(high), Some((low, len))) => {
                                    self.at += len;
                                    Some(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                                }
                                (unit, _) => unit,
                            };
                            let Some(decoded) = code.and_then(char::from_u32) else {
                                return Err(Stop::syntax(
                                    Language::Bicep,
                                    at,
                                    "a `\\u{…}` escape that is no code point",
                                ));
                            };
                            decoded
                        }
                        // Bicep refuses any other escape (BCP006).
                        _ => {
                            return Err(Stop::syntax(
                                Language::Bicep,
                                at,
                                "an escape Bicep does not have",
                            ));
                        }
                    };
                    offsets.extend(std::iter::repeat_n(at, decoded.len_utf8()));
                    text.push(decoded);
                }
                '$' if self.rest().starts_with("${") => {
                    self.at += 2;
                    self.hole(at, depth, &mut text, &mut offsets, &mut pieces)?;
                }
                c => {
                    // Plain text up to the next quote, escape, `$` or line break, copied whole;
                    // each byte of a character maps to the character's start.
                    let rest = self.rest();
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
        if !text.is_empty() || pieces.is_empty() {
            pieces.push(Piece::Text(text, offsets));
        }
        Ok(Self::node(Kind::String(pieces), start, self.at))
    }

    /// `$'''…'''` from its first `$`: verbatim text, with an interpolation where as many `$` as
    /// open the string are followed by `{`.
    fn interpolated_verbatim(&mut self, dollars: usize, depth: usize) -> Result<Expr, Stop> {
        let start = self.at;
        self.at += dollars;
        if !self.eat("'''") {
            return Err(self.error("expected `'''` after `$`"));
        }
        // A leading line break right after `'''` is not part of the value.
        if !self.eat("\r\n") {
            self.eat("\n");
        }
        let marker = format!("{}{{", "$".repeat(dollars));
        let mut pieces = Vec::new();
        let (mut text, mut offsets) = (String::new(), Vec::new());
        loop {
            let at = self.at;
            let rest = self.rest();
            if rest.starts_with("'''") {
                self.at += 3;
                break;
            }
            if rest.starts_with(&marker) {
                self.at += marker.len();
                self.hole(at, depth, &mut text, &mut offsets, &mut pieces)?;
                continue;
            }
            let Some(c) = rest.chars().next() else {
                return Err(self.error("a `'''` string without its end"));
            };
            offsets.extend(std::iter::repeat_n(at, c.len_utf8()));
            text.push(c);
            self.at += c.len_utf8();
        }
        if !text.is_empty() || pieces.is_empty() {
            pieces.push(Piece::Text(text, offsets));
        }
        Ok(Self::node(Kind::String(pieces), start, self.at))
    }

    /// An interpolation's expression and its `}`, from after its opening (`${` at `at`): the
    /// text before it closed into a piece of its own, the hole after it.
    fn hole(
        &mut self,
        at: usize,
        depth: usize,
        text: &mut String,
        offsets: &mut Vec<usize>,
        pieces: &mut Vec<Piece>,
    ) -> Result<(), Stop> {
        let hole = self.expression(depth)?;
        self.skip(true);
        if !self.eat("}") {
            return Err(self.error("an interpolation without its `}`"));
        }
        if !text.is_empty() {
            pieces.push(Piece::Text(std::mem::take(text), std::mem::take(offsets)));
        }
        pieces.push(Piece::Hole(hole, at));
        Ok(())
    }
}
