//! The parser of Bicep's values and expressions (see the module's documentation).

use super::super::super::error::{Budget, Language, Stop};
use super::{Expr, Kind, OPERATORS};
use crate::limits::BICEP_MAX_DEPTH as MAX_DEPTH;

/// A cursor over a Bicep file's text that parses expressions.
pub(in crate::input::bicep) struct Parser<'t> {
    pub(in crate::input::bicep) text: &'t str,
    pub(in crate::input::bicep) at: usize,
}

impl<'t> Parser<'t> {
    pub(super) fn byte(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    pub(super) fn rest(&self) -> &'t str {
        self.text.get(self.at..).unwrap_or("")
    }

    pub(super) fn error(&self, expected: &str) -> Stop {
        Stop::syntax(Language::Bicep, self.at, expected)
    }

    /// Skips spaces, comments and directives, and line breaks when `lines`.
    pub(in crate::input::bicep) fn skip(&mut self, lines: bool) {
        loop {
            match self.byte() {
                Some(b' ' | b'\t' | b'\r') => self.at += 1,
                Some(b'\n') if lines => self.at += 1,
                Some(b'/') if self.rest().starts_with("//") => self.skip_line(),
                Some(b'/') if self.rest().starts_with("/*") => {
                    match self.rest().get(2..).and_then(|r| r.find("*/")) {
                        Some(end) => self.at += end + 4,
                        None => self.at = self.text.len(),
                    }
                }
                // `#disable-next-line rule`, `#disable-diagnostics …`, first on their line: to
                // the end of the line.
                Some(b'#') if self.first_on_line() => self.skip_line(),
                _ => return,
            }
        }
    }

    /// After a declaration's value: the end of its line (a comment may follow), or of the file.
    pub(in crate::input::bicep) fn end_of_declaration(&mut self) -> Result<(), Stop> {
        self.skip(false);
        match self.byte() {
            None | Some(b'\n') => Ok(()),
            _ => Err(self.error("expected the end of the line after a declaration's value")),
        }
    }

    /// Whether only spaces and tabs stand between the line's start and the cursor.
    fn first_on_line(&self) -> bool {
        let before = self.text.get(..self.at).unwrap_or("");
        let line = before
            .rfind('\n')
            .map_or(before, |i| before.get(i + 1..).unwrap_or(""));
        line.bytes().all(|b| b == b' ' || b == b'\t')
    }

    /// Passes over the rest of the line.
    pub(in crate::input::bicep) fn skip_line(&mut self) {
        let rest = self.rest();
        self.at += rest.find('\n').unwrap_or(rest.len());
    }

    /// Whether the next thing, past line breaks, starts with `token`; the cursor moves to it
    /// only if so.
    fn next_line_starts(&mut self, token: &str) -> bool {
        let before = self.at;
        self.skip(true);
        if self.rest().starts_with(token) {
            return true;
        }
        self.at = before;
        false
    }

    pub(super) fn eat(&mut self, token: &str) -> bool {
        if self.rest().starts_with(token) {
            self.at += token.len();
            true
        } else {
            false
        }
    }

    pub(in crate::input::bicep) fn name(&mut self) -> Option<String> {
        let rest = self.rest().as_bytes();
        if !rest
            .first()
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
        {
            return None;
        }
        let len = rest
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
            .unwrap_or(rest.len());
        let name = self.rest().get(..len)?.to_owned();
        self.at += len;
        Some(name)
    }

    /// Whether the word `word` is next, as a whole word.
    pub(in crate::input::bicep) fn peek_word(&self, word: &str) -> bool {
        self.rest().starts_with(word)
            && !self
                .rest()
                .as_bytes()
                .get(word.len())
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
    }

    pub(super) fn deeper(&self, depth: usize) -> Result<usize, Stop> {
        if depth >= MAX_DEPTH {
            return Err(Stop::budget(
                Language::Bicep,
                self.at,
                Budget::Depth(MAX_DEPTH),
            ));
        }
        Ok(depth + 1)
    }

    pub(super) fn node(kind: Kind, start: usize, end: usize) -> Expr {
        Expr {
            kind,
            span: start..end,
        }
    }

    /// An expression, from the cursor (spaces skipped).
    pub(in crate::input::bicep) fn expression(&mut self, depth: usize) -> Result<Expr, Stop> {
        let depth = self.deeper(depth)?;
        self.skip(false);
        let start = self.at;
        let condition = self.binary(0, depth)?;
        // A ternary's `?` and `:` may start the next line; `??` is an operator, not a `?`.
        let before = self.at;
        if self.next_line_starts("?") && !self.rest().starts_with("??") {
            self.at += 1;
            self.skip(true);
            let then = self.expression(depth)?;
            if !self.next_line_starts(":") {
                return Err(self.error("expected the `:` of a `? :` expression"));
            }
            self.at += 1;
            self.skip(true);
            let otherwise = self.expression(depth)?;
            let end = otherwise.span.end;
            return Ok(Self::node(
                Kind::Ternary {
                    condition: Box::new(condition),
                    then: Box::new(then),
                    otherwise: Box::new(otherwise),
                },
                start,
                end,
            ));
        }
        self.at = before;
        Ok(condition)
    }

    fn binary(&mut self, precedence: u8, depth: usize) -> Result<Expr, Stop> {
        let mut left = self.unary(depth)?;
        loop {
            self.skip(false);
            let Some((token, operator)) = OPERATORS
                .iter()
                .find(|(token, _)| self.rest().starts_with(token))
                .copied()
            else {
                return Ok(left);
            };
            // `=>` is a lambda's arrow, `//` and `/*` comments, skipped above.
            if operator.precedence() <= precedence {
                return Ok(left);
            }
            self.at += token.len();
            self.skip(true);
            let depth = self.deeper(depth)?;
            let right = self.binary(operator.precedence(), depth)?;
            let span = left.span.start..right.span.end;
            left = Expr {
                kind: Kind::Binary {
                    operator,
                    left: Box::new(left),
                    right: Box::new(right),
                },
                span,
            };
        }
    }

    fn unary(&mut self, depth: usize) -> Result<Expr, Stop> {
        self.skip(false);
        let start = self.at;
        match self.byte() {
            Some(operator @ (b'!' | b'-')) => {
                self.at += 1;
                let depth = self.deeper(depth)?;
                let operand = self.unary(depth)?;
                let end = operand.span.end;
                Ok(Self::node(
                    Kind::Unary {
                        operator,
                        operand: Box::new(operand),
                    },
                    start,
                    end,
                ))
            }
            _ => {
                let primary = self.primary(depth)?;
                self.postfix(primary, depth)
            }
        }
    }

    fn postfix(&mut self, mut current: Expr, depth: usize) -> Result<Expr, Stop> {
        let start = current.span.start;
        loop {
            let before = self.at;
            self.skip(false);
            if self.eat("::") {
                self.skip(false);
                let name = self
                    .name()
                    .ok_or_else(|| self.error("expected a resource name after `::`"))?;
                current = Self::node(
                    Kind::Child {
                        target: Box::new(current),
                        name,
                    },
                    start,
                    self.at,
                );
            } else if self.eat(".") {
                let safe = self.eat("?");
                self.skip(false);
                let name = self
                    .name()
                    .ok_or_else(|| self.error("expected a property or function name"))?;
                if self.byte() == Some(b'(') {
                    let arguments = self.arguments(depth)?;
                    current = Self::node(
                        Kind::Call {
                            target: Some(Box::new(current)),
                            name,
                            arguments,
                        },
                        start,
                        self.at,
                    );
                } else {
                    current = Self::node(
                        Kind::Member {
                            target: Box::new(current),
                            name,
                            safe,
                        },
                        start,
                        self.at,
                    );
                }
            } else if self.byte() == Some(b'[') {
                self.at += 1;
                let safe = self.eat("?");
                let from_end = self.eat("^");
                self.skip(true);
                let index = self.expression(depth)?;
                self.skip(true);
                if !self.eat("]") {
                    return Err(self.error("expected `]`"));
                }
                current = Self::node(
                    Kind::Index {
                        target: Box::new(current),
                        index: Box::new(index),
                        safe,
                        from_end,
                    },
                    start,
                    self.at,
                );
            } else if self.byte() == Some(b'!')
                && !self.rest().starts_with("!=")
                && !self.rest().starts_with("!~")
            {
                self.at += 1;
                current = Self::node(Kind::NonNull(Box::new(current)), start, self.at);
            } else {
                self.at = before;
                return Ok(current);
            }
        }
    }

    /// `(a, b)`: a call's arguments, line breaks allowed around each.
    fn arguments(&mut self, depth: usize) -> Result<Vec<Expr>, Stop> {
        self.at += 1;
        let mut arguments = Vec::new();
        self.skip(true);
        if self.eat(")") {
            return Ok(arguments);
        }
        loop {
            arguments.push(self.expression(depth)?);
            self.skip(true);
            if self.eat(",") {
                self.skip(true);
            } else if self.eat(")") {
                return Ok(arguments);
            } else {
                return Err(self.error("expected `,` or `)`"));
            }
        }
    }

    fn primary(&mut self, depth: usize) -> Result<Expr, Stop> {
        let start = self.at;
        match self.byte() {
            Some(b'\'') => self.string(depth),
            Some(b'$') if self.rest().trim_start_matches('$').starts_with("'''") => {
                self.string(depth)
            }
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'(') => self.parenthesized(depth),
            Some(b) if b.is_ascii_digit() => {
                let len = self
                    .rest()
                    .bytes()
                    .position(|b| !b.is_ascii_digit())
                    .unwrap_or(self.rest().len());
                let digits = self.rest().get(..len).unwrap_or("").to_owned();
                self.at += len;
                Ok(Self::node(Kind::Integer(digits), start, self.at))
            }
            _ => {
                let Some(name) = self.name() else {
                    return Err(self.error("expected a value"));
                };
                let kind = match name.as_str() {
                    "true" => Kind::Bool(true),
                    "false" => Kind::Bool(false),
                    "null" => Kind::Null,
                    _ => {
                        let after_name = self.at;
                        self.skip(false);
                        if self.byte() == Some(b'(') {
                            let arguments = self.arguments(depth)?;
                            return Ok(Self::node(
                                Kind::Call {
                                    target: None,
                                    name,
                                    arguments,
                                },
                                start,
                                self.at,
                            ));
                        }
                        if self.eat("=>") {
                            return self.lambda(vec![name], start, depth);
                        }
                        self.at = after_name;
                        Kind::Name(name)
                    }
                };
                Ok(Self::node(kind, start, self.at))
            }
        }
    }

    fn lambda(
        &mut self,
        parameters: Vec<String>,
        start: usize,
        depth: usize,
    ) -> Result<Expr, Stop> {
        self.skip(true);
        let body = self.expression(depth)?;
        let end = body.span.end;
        Ok(Self::node(
            Kind::Lambda {
                parameters,
                body: Box::new(body),
            },
            start,
            end,
        ))
    }

    /// `(x)`, or `(a, b) => body`.
    pub(super) fn parenthesized(&mut self, depth: usize) -> Result<Expr, Stop> {
        let start = self.at;
        let mut items = self.arguments(depth)?;
        let after = self.at;
        self.skip(false);
        if self.eat("=>") {
            let parameters = items
                .into_iter()
                .map(|item| match item.kind {
                    Kind::Name(name) => Ok(name),
                    _ => Err(Stop::syntax(
                        Language::Bicep,
                        item.span.start,
                        "expected a lambda parameter's name",
                    )),
                })
                .collect::<Result<Vec<_>, _>>()?;
            return self.lambda(parameters, start, depth);
        }
        self.at = after;
        match (items.pop(), items.is_empty()) {
            (Some(inner), true) => Ok(Self::node(
                Kind::Parenthesized(Box::new(inner)),
                start,
                self.at,
            )),
            _ => Err(Stop::syntax(
                Language::Bicep,
                start,
                "expected one expression in parentheses",
            )),
        }
    }
}
