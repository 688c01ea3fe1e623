//! The reader of one ARM expression: calls, string literals with `''`, members and indexes,
//! evaluated over the template's literals with each byte's place in the file.

use serde_json::Value;

use super::super::meter::Meter;
use super::super::place::Hole;
use super::{Evaluated, MAX_DEPTH, evaluate_within};

/// An argument: a string (with offsets), or something else azabac does not follow.
pub(super) enum Arg {
    Text(Evaluated),
    Other,
}

pub(super) struct Parser<'t> {
    pub(super) text: &'t str,
    pub(super) at: usize,
    pub(super) template: &'t Value,
    /// `copyIndex()` of the `copy` instance being read, if any.
    pub(super) copy_index: Option<usize>,
    /// The template's work budget ([`ARM_MAX_STEPS`](crate::limits::ARM_MAX_STEPS)).
    pub(super) meter: &'t Meter,
}

/// The value of a whole-string `[variables('k')]` or `[parameters('k')]` (its default), and
impl<'t> Parser<'t> {
    fn byte(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    pub(super) fn skip_space(&mut self) {
        while self.byte().is_some_and(|b| b.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    /// A value known only at deployment: `what`, which ends at the parser's place.
    fn unknown(&self, what: String) -> Arg {
        Arg::Text(Evaluated {
            holes: vec![Hole {
                at: 0,
                source: what.clone(),
                offset: self.at.min(self.text.len()),
            }],
            unresolved: vec![what],
            ..Evaluated::default()
        })
    }

    pub(super) fn expression(&mut self, depth: usize) -> Option<Arg> {
        if depth > MAX_DEPTH || !self.meter.spend(1, self.at) {
            return None;
        }
        self.skip_space();
        match self.byte()? {
            b'\'' => Some(Arg::Text(self.string()?)),
            b if b.is_ascii_alphabetic() => {
                let start = self.at;
                while self
                    .byte()
                    .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
                {
                    self.at += 1;
                }
                let name = self.text.get(start..self.at)?.to_ascii_lowercase();
                self.skip_space();
                if self.byte() != Some(b'(') {
                    return Some(Arg::Other);
                }
                self.at += 1;
                let mut args = Vec::new();
                loop {
                    self.skip_space();
                    match self.byte()? {
                        b')' => {
                            self.at += 1;
                            break;
                        }
                        b',' => self.at += 1,
                        _ => {
                            // Every turn consumes input: an argument that reads nothing (a `]`
                            // where an argument should be) ends the call as not followed.
                            let before = self.at;
                            let arg = self.expression(depth + 1)?;
                            if self.at == before {
                                return None;
                            }
                            args.push(arg);
                        }
                    }
                }
                // `variables('x').key`, `parameters('x')['key']`, `variables('x')[0]`: into a
                // value written in the template.
                if matches!(self.byte(), Some(b'.' | b'['))
                    && matches!(name.as_str(), "parameters" | "variables")
                {
                    let key = match args.first() {
                        Some(Arg::Text(key)) if args.len() == 1 => key.clone(),
                        _ => return Some(self.skip_members(start)),
                    };
                    let mut value = self.lookup(&name, &key.text);
                    while let Some(step) = self.member(depth) {
                        value = value.and_then(|v| match step {
                            Member::Key(k) => v.as_object()?.get(&k),
                            Member::Index(i) => v.as_array()?.get(i),
                        });
                    }
                    if !matches!(self.byte(), Some(b')' | b',' | b']') | None) {
                        return Some(self.skip_members(start));
                    }
                    let source = self.text.get(start..self.at).unwrap_or("").to_owned();
                    let at = key.offsets.first().copied().unwrap_or(0);
                    return Some(self.value_text(value, &name, source, at, depth));
                }
                // Property access or indexing after any other call (`reference(x).id`): not
                // followed.
                if matches!(self.byte(), Some(b'.' | b'[')) {
                    let source = self.text.get(start..self.at).unwrap_or("").to_owned();
                    while self
                        .byte()
                        .is_some_and(|b| b != b')' && b != b',' && b != b']')
                    {
                        self.at += 1;
                    }
                    return Some(self.unknown(format!("`{source}…`")));
                }
                let source = self.text.get(start..self.at).unwrap_or("").to_owned();
                Some(self.call(&name, args, source, depth))
            }
            _ => {
                let start = self.at;
                while self
                    .byte()
                    .is_some_and(|b| b != b')' && b != b',' && b != b']')
                {
                    self.at += 1;
                }
                let raw = self.text.get(start..self.at)?;
                let number = raw.trim();
                // An integer literal (`copyIndex(1)`, `format('{0}', 2)`): its digits.
                if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) {
                    return Some(Arg::Text(Evaluated {
                        text: number.to_owned(),
                        offsets: (start..start + number.len()).collect(),
                        ..Evaluated::default()
                    }));
                }
                Some(Arg::Other)
            }
        }
    }

    /// A `'…'` literal, `''` a quote, each character mapped to where it is.
    fn string(&mut self) -> Option<Evaluated> {
        self.at += 1;
        let mut value = Evaluated::default();
        loop {
            let at = self.at;
            let c = self.text.get(at..)?.chars().next()?;
            if c == '\'' {
                if self.text.get(at + 1..).is_some_and(|r| r.starts_with('\'')) {
                    value.text.push('\'');
                    value.offsets.push(at);
                    self.at += 2;
                    continue;
                }
                self.at += 1;
                return Some(value);
            }
            value.text.push(c);
            value.offsets.extend(std::iter::repeat_n(at, c.len_utf8()));
            self.at += c.len_utf8();
        }
    }

    fn call(&self, name: &str, args: Vec<Arg>, source: String, depth: usize) -> Arg {
        let texts = |args: Vec<Arg>| -> Option<Vec<Evaluated>> {
            args.into_iter()
                .map(|a| match a {
                    Arg::Text(e) => Some(e),
                    Arg::Other => None,
                })
                .collect()
        };
        let merge = |parts: Vec<Evaluated>| -> Evaluated {
            let mut out = Evaluated::default();
            for part in parts {
                out.extend(part, None);
            }
            out
        };
        match name {
            "concat" => match texts(args) {
                Some(parts) => Arg::Text(merge(parts)),
                None => self.unknown(format!("`{source}`")),
            },
            "format" => {
                let Some(mut parts) = texts(args) else {
                    return self.unknown(format!("`{source}`"));
                };
                if parts.is_empty() {
                    return self.unknown(format!("`{source}`"));
                }
                let format = parts.remove(0);
                let mut out = Evaluated {
                    unresolved: format.unresolved.clone(),
                    holes: format.holes.clone(),
                    assumed: format.assumed.clone(),
                    ..Evaluated::default()
                };
                let bytes = format.text.as_bytes();
                let mut i = 0;
                while let Some(&byte) = bytes.get(i) {
                    let at = format.offsets.get(i).copied().unwrap_or(0);
                    match byte {
                        b'{' if bytes.get(i + 1) == Some(&b'{') => {
                            out.text.push('{');
                            out.offsets.push(at);
                            i += 2;
                        }
                        b'}' if bytes.get(i + 1) == Some(&b'}') => {
                            out.text.push('}');
                            out.offsets.push(at);
                            i += 2;
                        }
                        b'{' => {
                            let Some(close) = format.text.get(i..).and_then(|r| r.find('}')) else {
                                return self.unknown(format!("`{source}`"));
                            };
                            let index: Option<usize> = format
                                .text
                                .get(i + 1..i + close)
                                .and_then(|n| n.trim().parse().ok());
                            let Some(arg) = index.and_then(|n| parts.get(n)) else {
                                return self.unknown(format!("`{source}`"));
                            };
                            // An argument's text comes from elsewhere: it maps to its placeholder.
                            out.extend(arg.clone(), Some(at));
                            i += close + 1;
                        }
                        _ => {
                            let c = format
                                .text
                                .get(i..)
                                .and_then(|r| r.chars().next())
                                .unwrap_or(' ');
                            out.text.push(c);
                            for k in 0..c.len_utf8() {
                                out.offsets
                                    .push(format.offsets.get(i + k).copied().unwrap_or(at));
                            }
                            i += c.len_utf8();
                        }
                    }
                }
                Arg::Text(out)
            }
            // `copyIndex()`, `copyIndex(offset)`, `copyIndex('loop')`, `copyIndex('loop', n)`.
            "copyindex" => {
                let Some(index) = self.copy_index else {
                    return self.unknown(format!("`{source}`"));
                };
                let offset = match texts(args).as_deref() {
                    Some(args) => {
                        let numbers: Vec<Option<usize>> =
                            args.iter().map(|a| a.text.trim().parse().ok()).collect();
                        match numbers.as_slice() {
                            [] | [None] => 0,
                            [Some(n)] | [None, Some(n)] => *n,
                            _ => return self.unknown(format!("`{source}`")),
                        }
                    }
                    None => return self.unknown(format!("`{source}`")),
                };
                let text = (index + offset).to_string();
                let at = self.text.len().min(self.at);
                Arg::Text(Evaluated {
                    offsets: vec![at; text.len()],
                    text,
                    ..Evaluated::default()
                })
            }
            "parameters" | "variables" => {
                let Some(Arg::Text(key)) = args.into_iter().next() else {
                    return self.unknown(format!("`{source}`"));
                };
                let at = key.offsets.first().copied().unwrap_or(0);
                let value = self.lookup(name, &key.text);
                self.value_text(value, name, format!("{name}('{}')", key.text), at, depth)
            }
            _ => self.unknown(format!("`{source}`")),
        }
    }

    /// A parameter's default or a variable's value, as the template writes it.
    fn lookup(&self, name: &str, key: &str) -> Option<&'t Value> {
        let section = if name == "parameters" {
            "parameters"
        } else {
            "variables"
        };
        let entry = self.template.get(section).and_then(|s| s.get(key))?;
        if name == "parameters" {
            entry.get("defaultValue")
        } else {
            Some(entry)
        }
    }

    /// `.key`, `['key']` or `[0]` at the parser's place, consumed; `None` for anything else.
    fn member(&mut self, depth: usize) -> Option<Member> {
        let rest = self.text.get(self.at..)?;
        if let Some(after) = rest.strip_prefix('.') {
            let len = after
                .bytes()
                .position(|b| !(b.is_ascii_alphanumeric() || b == b'_'))
                .unwrap_or(after.len());
            let key = after.get(..len).filter(|k| !k.is_empty())?;
            self.at += 1 + len;
            return Some(Member::Key(key.to_owned()));
        }
        if let Some(after) = rest.strip_prefix("['") {
            let end = after.find("']")?;
            let key = after.get(..end).filter(|k| !k.contains('\''))?;
            self.at += 2 + end + 2;
            return Some(Member::Key(key.to_owned()));
        }
        let after = rest.strip_prefix('[')?;
        if after
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("copyindex(")
        {
            // `[copyIndex()]`: the instance's index, when one is being read.
            let back = self.at;
            self.at += 1;
            let index = match self.expression(depth + 1) {
                Some(Arg::Text(e)) if e.unresolved.is_empty() => e.text.parse().ok(),
                _ => None,
            };
            self.skip_space();
            match (index, self.byte()) {
                (Some(index), Some(b']')) => {
                    self.at += 1;
                    return Some(Member::Index(index));
                }
                _ => {
                    self.at = back;
                    return None;
                }
            }
        }
        let end = after.find(']')?;
        let index = after.get(..end)?.trim().parse().ok()?;
        self.at += 1 + end + 1;
        Some(Member::Index(index))
    }

    /// Skips what follows a call up to the end of the argument, as not followed.
    fn skip_members(&mut self, start: usize) -> Arg {
        let source = self.text.get(start..self.at).unwrap_or("").to_owned();
        while self
            .byte()
            .is_some_and(|b| b != b')' && b != b',' && b != b']')
        {
            self.at += 1;
        }
        self.unknown(format!("`{source}…`"))
    }

    /// The text of a parameter's or variable's value (an expression itself evaluated), mapped
    /// to `at`; a parameter's default is an assumption. Anything but a string is unknown.
    fn value_text(
        &self,
        value: Option<&'t Value>,
        name: &str,
        what: String,
        at: usize,
        depth: usize,
    ) -> Arg {
        let text = match value {
            Some(Value::String(s)) => {
                match evaluate_within(s, self.template, None, depth + 1, self.meter) {
                    // A variable that is itself an expression.
                    Some(inner) if depth < MAX_DEPTH => {
                        let mut e = Evaluated::default();
                        e.extend(inner, Some(at));
                        e
                    }
                    _ => Evaluated {
                        offsets: vec![at; s.len()],
                        text: s.clone(),
                        ..Evaluated::default()
                    },
                }
            }
            _ => return self.unknown(format!("`{what}`")),
        };
        let mut text = text;
        if name == "parameters" {
            text.assumed.push(what);
        }
        Arg::Text(text)
    }
}

/// One step into a template value.
enum Member {
    Key(String),
    Index(usize),
}
