//! ARM's expression grammar, parsed once into a tree with byte ranges:
//!
//! ```text
//! expression := primary ( '.' name | '[' expression ']' )*
//! primary    := string | integer | name '(' ( expression ( ',' expression )* )? ')'
//! string     := "'" ( any character but "'" | "''" )* "'"
//! integer    := '-'? digit+
//! name       := letter ( letter | digit | '_' | '.' )*      (a user function's `ns.f`)
//! ```
//!
//! Whitespace may stand between any two tokens. A JSON string is an expression when it starts
//! with `[` (not `[[`, ARM's escape for a literal `[`) and ends with `]`.

use std::ops::Range;

use super::super::meter::Meter;
use super::super::value::Text;
use crate::limits::ARM_MAX_DEPTH as MAX_DEPTH;

/// An expression, with where it is written in the JSON string's value.
#[derive(Clone, Debug)]
pub(super) struct Expr {
    pub kind: Kind,
    pub span: Range<usize>,
}

#[derive(Clone, Debug)]
pub(super) enum Kind {
    /// A string literal, decoded (`''` a quote), each byte mapped to where it is written.
    String(Text),
    /// An integer literal, as written.
    Integer(String),
    /// A call, its name in lower case (ARM's function names ignore case).
    Call { name: String, args: Vec<Expr> },
    /// `target.name`.
    Member { target: Box<Expr>, name: String },
    /// `target[index]`.
    Index { target: Box<Expr>, index: Box<Expr> },
}

/// What a JSON string holds: `None` for a plain string, else the expression, or `Err` with
/// where it stops following the grammar (or its budget).
pub(super) fn parse(text: &str, meter: &Meter) -> Option<Result<Expr, usize>> {
    let trimmed = text.trim_end();
    if !trimmed.starts_with('[') || trimmed.starts_with("[[") || !trimmed.ends_with(']') {
        return None;
    }
    // Parsing reads every byte: a long expression reached many times is charged for each.
    if !meter.spend(trimmed.len() / 16, 0) {
        return Some(Err(0));
    }
    let end = trimmed.len() - 1;
    let mut parser = Parser {
        text: &text[..end],
        at: 1,
        meter,
    };
    Some(parser.expression(0).and_then(|expr| {
        parser.skip_space();
        if parser.at == end {
            Ok(expr)
        } else {
            Err(parser.at)
        }
    }))
}

struct Parser<'t> {
    /// The expression's text up to (not including) its closing `]`.
    text: &'t str,
    at: usize,
    meter: &'t Meter,
}

impl Parser<'_> {
    fn byte(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while self.byte().is_some_and(|b| b.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    /// Consumes `byte` (after any whitespace), or fails where it should be.
    fn expect(&mut self, byte: u8) -> Result<(), usize> {
        self.skip_space();
        if self.byte() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.at)
        }
    }

    fn expression(&mut self, depth: usize) -> Result<Expr, usize> {
        if depth > MAX_DEPTH || !self.meter.spend(1, self.at) {
            return Err(self.at);
        }
        self.skip_space();
        let start = self.at;
        let mut expr = self.primary(depth)?;
        // Each member or index nests the tree one deeper, as a call does.
        let mut depth = depth;
        loop {
            self.skip_space();
            if matches!(self.byte(), Some(b'.' | b'[')) {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(self.at);
                }
            }
            match self.byte() {
                Some(b'.') => {
                    self.at += 1;
                    self.skip_space();
                    let here = self.at;
                    let name = self.name().ok_or(here)?.to_owned();
                    expr = Expr {
                        kind: Kind::Member {
                            target: Box::new(expr),
                            name,
                        },
                        span: start..self.at,
                    };
                }
                Some(b'[') => {
                    self.at += 1;
                    let index = self.expression(depth + 1)?;
                    self.expect(b']')?;
                    expr = Expr {
                        kind: Kind::Index {
                            target: Box::new(expr),
                            index: Box::new(index),
                        },
                        span: start..self.at,
                    };
                }
                _ => return Ok(expr),
            }
        }
    }

    fn primary(&mut self, depth: usize) -> Result<Expr, usize> {
        let start = self.at;
        match self.byte() {
            Some(b'\'') => {
                let text = self.string()?;
                Ok(Expr {
                    kind: Kind::String(text),
                    span: start..self.at,
                })
            }
            Some(b'-' | b'0'..=b'9') => {
                self.at += 1;
                while self.byte().is_some_and(|b| b.is_ascii_digit()) {
                    self.at += 1;
                }
                let digits = &self.text[start..self.at];
                if digits == "-" {
                    return Err(start);
                }
                Ok(Expr {
                    kind: Kind::Integer(digits.to_owned()),
                    span: start..self.at,
                })
            }
            Some(b) if b.is_ascii_alphabetic() => {
                let name = self.name().ok_or(start)?.to_ascii_lowercase();
                self.expect(b'(')?;
                let mut args = Vec::new();
                self.skip_space();
                if self.byte() == Some(b')') {
                    self.at += 1;
                } else {
                    // Each argument consumes input, or the call fails.
                    loop {
                        args.push(self.expression(depth + 1)?);
                        self.skip_space();
                        match self.byte() {
                            Some(b',') => self.at += 1,
                            Some(b')') => {
                                self.at += 1;
                                break;
                            }
                            _ => return Err(self.at),
                        }
                    }
                }
                Ok(Expr {
                    kind: Kind::Call { name, args },
                    span: start..self.at,
                })
            }
            _ => Err(start),
        }
    }

    /// A name: a letter, then letters, digits, `_` and `.`.
    fn name(&mut self) -> Option<&str> {
        let start = self.at;
        if !self.byte()?.is_ascii_alphabetic() {
            return None;
        }
        while self
            .byte()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
        {
            self.at += 1;
        }
        // A `.` ends a member chain's name; only a call's name carries one inside it.
        let name = &self.text[start..self.at];
        if self.byte() != Some(b'(')
            && let Some(dot) = name.find('.')
        {
            self.at = start + dot;
            return Some(&self.text[start..start + dot]);
        }
        Some(name)
    }

    /// A `'…'` literal, `''` a quote, each byte mapped to where it is written.
    fn string(&mut self) -> Result<Text, usize> {
        let open = self.at;
        self.at += 1;
        let mut value = Text::default();
        loop {
            let at = self.at;
            let c = self
                .text
                .get(at..)
                .and_then(|r| r.chars().next())
                .ok_or(open)?;
            if c == '\'' {
                if self.text.get(at + 1..).is_some_and(|r| r.starts_with('\'')) {
                    value.push("'", at);
                    self.at += 2;
                    continue;
                }
                self.at += 1;
                return Ok(value);
            }
            let end = at + c.len_utf8();
            value.push(&self.text[at..end], at);
            self.at = end;
        }
    }
}

impl Expr {
    /// Whether two expressions are written alike: the same tree, names compared as ARM
    /// compares them (ignoring case), strings exactly, whatever the whitespace.
    pub(super) fn same(&self, other: &Expr) -> bool {
        match (&self.kind, &other.kind) {
            (Kind::String(a), Kind::String(b)) => a.text == b.text,
            (Kind::Integer(a), Kind::Integer(b)) => a == b,
            (Kind::Call { name, args }, Kind::Call { name: n, args: a }) => {
                name == n && args.len() == a.len() && args.iter().zip(a).all(|(x, y)| x.same(y))
            }
            (Kind::Member { target, name }, Kind::Member { target: t, name: n }) => {
                name.eq_ignore_ascii_case(n) && target.same(t)
            }
            (
                Kind::Index { target, index },
                Kind::Index {
                    target: t,
                    index: i,
                },
            ) => target.same(t) && index.same(i),
            _ => false,
        }
    }

    /// Whether a call to `name` appears anywhere in the expression.
    pub(super) fn calls(&self, name: &str) -> bool {
        match &self.kind {
            Kind::String(_) | Kind::Integer(_) => false,
            Kind::Call { name: n, args } => n == name || args.iter().any(|a| a.calls(name)),
            Kind::Member { target, .. } => target.calls(name),
            Kind::Index { target, index } => target.calls(name) || index.calls(name),
        }
    }
}
