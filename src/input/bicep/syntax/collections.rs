//! Objects, arrays and `for` expressions, with their items on their own lines or after commas,
//! and a declaration's value (`= if (…) value`).

use super::super::super::error::Stop;
use super::{Element, Expr, For, Kind, Parser, Property, plain};

impl Parser<'_> {
    /// After an object's or array's item: a line break, a `,`, or the closing bracket.
    fn item_end(&mut self, close: u8) -> Result<(), Stop> {
        self.skip(false);
        match self.byte() {
            Some(b'\n' | b',') => Ok(()),
            Some(b) if b == close => Ok(()),
            None => Ok(()),
            _ => Err(self.error(if close == b'}' {
                "expected a line break, `,` or `}` after a property"
            } else {
                "expected a line break, `,` or `]` after an item"
            })),
        }
    }

    pub(in crate::input::bicep) fn object(&mut self, depth: usize) -> Result<Expr, Stop> {
        let start = self.at;
        self.at += 1;
        let mut properties = Vec::new();
        loop {
            self.skip(true);
            match self.byte() {
                None => return Err(self.error("an object without its `}`")),
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Self::node(Kind::Object(properties), start, self.at));
                }
                Some(b',') => self.at += 1,
                // A decorator, of a nested resource or a property of a type.
                Some(b'@') => {
                    self.at += 1;
                    let decorator = self.expression(depth)?;
                    drop(decorator);
                }
                _ if self.rest().starts_with("...") => {
                    self.at += 3;
                    properties.push(Property::Spread(self.expression(depth)?));
                    self.item_end(b'}')?;
                }
                Some(first) => {
                    let key_at = self.at;
                    let key = if first == b'\'' {
                        let key = self.string(depth)?;
                        match key.kind {
                            Kind::String(pieces) => plain(&pieces).unwrap_or_else(|| {
                                self.text.get(key.span).unwrap_or("").to_owned()
                            }),
                            _ => String::new(),
                        }
                    } else {
                        self.name()
                            .ok_or_else(|| self.error("expected a property name"))?
                    };
                    self.skip(false);
                    // `resource child 'type' = {…}`: a nested declaration, not a property.
                    if key == "resource" && self.byte() != Some(b':') {
                        self.nested_resource(depth)?;
                        properties.push(Property::Resource(key_at..self.at));
                        self.item_end(b'}')?;
                        continue;
                    }
                    if !self.eat(":") {
                        return Err(self.error("expected `:`"));
                    }
                    let value = self.expression(depth)?;
                    properties.push(Property::Value { key, key_at, value });
                    self.item_end(b'}')?;
                }
            }
        }
    }

    /// `resource name 'type' [existing] = value`, after `resource`.
    fn nested_resource(&mut self, depth: usize) -> Result<(), Stop> {
        self.name()
            .ok_or_else(|| self.error("expected a resource's symbolic name"))?;
        self.skip(false);
        self.string(depth)?;
        self.skip(false);
        if self.peek_word("existing") {
            self.at += "existing".len();
            self.skip(false);
        }
        if !self.eat("=") {
            return Err(self.error("expected `=`"));
        }
        self.declaration_value(depth).map(drop)
    }

    /// A declaration's value after its `=`: `if (condition) value`, or a value.
    pub(in crate::input::bicep) fn declaration_value(
        &mut self,
        depth: usize,
    ) -> Result<(Option<Expr>, Expr), Stop> {
        self.skip(false);
        if self.peek_word("if") {
            self.at += 2;
            self.skip(false);
            if self.byte() != Some(b'(') {
                return Err(self.error("expected `(` after `if`"));
            }
            let condition = self.parenthesized(depth)?;
            self.skip(true);
            let value = self.expression(depth)?;
            return Ok((Some(condition), value));
        }
        Ok((None, self.expression(depth)?))
    }

    pub(super) fn array(&mut self, depth: usize) -> Result<Expr, Stop> {
        let start = self.at;
        self.at += 1;
        self.skip(true);
        if self.peek_word("for") {
            return self.for_expression(start, depth);
        }
        let mut elements = Vec::new();
        loop {
            self.skip(true);
            match self.byte() {
                None => return Err(self.error("an array without its `]`")),
                Some(b']') => {
                    self.at += 1;
                    return Ok(Self::node(Kind::Array(elements), start, self.at));
                }
                Some(b',') => self.at += 1,
                _ if self.rest().starts_with("...") => {
                    self.at += 3;
                    elements.push(Element::Spread(self.expression(depth)?));
                    self.item_end(b']')?;
                }
                _ => {
                    elements.push(Element::Value(self.expression(depth)?));
                    self.item_end(b']')?;
                }
            }
        }
    }

    /// `for item in source: body]` or `for (item, index) in …`, from `for`.
    fn for_expression(&mut self, start: usize, depth: usize) -> Result<Expr, Stop> {
        let at = self.at;
        self.at += 3;
        self.skip(false);
        let (item, index) = if self.eat("(") {
            self.skip(false);
            let item = self.name();
            self.skip(false);
            if !self.eat(",") {
                return Err(self.error("expected `,` between a loop's item and index"));
            }
            self.skip(false);
            let index = self.name();
            self.skip(false);
            if !self.eat(")") {
                return Err(self.error("expected `)`"));
            }
            (item, index)
        } else {
            (self.name(), None)
        };
        let item = item.ok_or_else(|| self.error("expected a loop variable"))?;
        self.skip(false);
        if !self.peek_word("in") {
            return Err(self.error("expected `in`"));
        }
        self.at += 2;
        let source = self.expression(depth)?;
        self.skip(false);
        if !self.eat(":") {
            return Err(self.error("expected `:` after a loop's items"));
        }
        self.skip(true);
        let filter = if self.peek_word("if") {
            self.at += 2;
            self.skip(false);
            if self.byte() != Some(b'(') {
                return Err(self.error("expected `(` after `if`"));
            }
            let filter = self.parenthesized(depth)?;
            self.skip(true);
            Some(filter)
        } else {
            None
        };
        let body = self.expression(depth)?;
        self.skip(true);
        if !self.eat("]") {
            return Err(self.error("a `for` expression without its `]`"));
        }
        Ok(Self::node(
            Kind::For(Box::new(For {
                item,
                index,
                source,
                filter,
                at,
                body,
            })),
            start,
            self.at,
        ))
    }
}
