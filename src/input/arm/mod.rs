//! ARM template expressions in conditions, evaluated where their inputs are literal: what
//! Bicep compiles a condition with interpolations into (`[format('…{0}…', parameters('x'))]`),
//! and what people write by hand (`[concat(…)]`, `[variables('x')]`), with members of their
//! values (`variables('guards').read`, `parameters('p')['k']`, `[0]`). A parameter's default
//! value is an assumption (a deployment can pass another); anything else (`resourceGroup()`,
//! `reference()`, a parameter without a default) is a value known only at deployment, with a
//! [`Hole`] where it goes in the text.
//!
//! Positions survive ARM's own escapes: `''` in a string literal, `{{` and `}}` in a
//! `format()` string, and `[[` for a literal `[` (then the string is no expression at all).

use serde_json::Value;

use super::place::Hole;

mod roles;

pub use roles::{defined_role, role_reference};

/// An evaluated expression: its text, for each byte (and one past the end) its offset in the
/// expression's text, and what it could not know or assumed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Evaluated {
    /// The string it evaluates to.
    pub text: String,
    /// For each byte of `text`, and one past its end, the offset in the expression's text.
    pub offsets: Vec<usize>,
    /// What it depends on that is not known offline.
    pub unresolved: Vec<String>,
    /// Where in `text` each unresolved value goes (its `offset` in the expression's text),
    /// for `check` to check around.
    pub holes: Vec<Hole>,
    /// Defaults it took that a deployment can override (`parameters('x')`).
    pub assumed: Vec<String>,
}

use crate::limits::ARM_MAX_DEPTH as MAX_DEPTH;

/// Evaluates `text` (a JSON string's value) if it is an ARM expression (`[…]`, not `[[`);
/// `None` if it is a plain string. `template` gives `parameters` and `variables`.
pub fn evaluate(text: &str, template: &Value) -> Option<Evaluated> {
    evaluate_at(text, template, None)
}

/// [`evaluate`] for one instance of a resource's `copy` loop: `copyIndex()` is `copy_index`
/// (`copyIndex(n)` adds `n`); without one, `copyIndex()` is not known.
pub fn evaluate_at(text: &str, template: &Value, copy_index: Option<usize>) -> Option<Evaluated> {
    evaluate_within(text, template, copy_index, 0)
}

/// [`evaluate_at`] of an expression `depth` calls and variables deep: a variable whose value
/// is an expression is evaluated within the depth of the one that names it, so that one that
/// names itself ends.
fn evaluate_within(
    text: &str,
    template: &Value,
    copy_index: Option<usize>,
    depth: usize,
) -> Option<Evaluated> {
    let trimmed = text.trim_end();
    if !trimmed.starts_with('[') || trimmed.starts_with("[[") || !trimmed.ends_with(']') {
        return None;
    }
    let mut parser = Parser {
        text,
        at: 1,
        template,
        copy_index,
    };
    let value = parser.expression(depth);
    let mut evaluated = match value {
        Some(Arg::Text(mut e)) => {
            parser.skip_space();
            if parser.text.as_bytes().get(parser.at) != Some(&b']') {
                e.unresolved
                    .push(format!("the ARM expression `{}`", short(text)));
            }
            e
        }
        _ => Evaluated {
            unresolved: vec![format!("the ARM expression `{}`", short(text))],
            ..Evaluated::default()
        },
    };
    evaluated.offsets.truncate(evaluated.text.len());
    evaluated.offsets.push(text.len().saturating_sub(1));
    Some(evaluated)
}

/// The top-level arguments of a call's argument list, split at commas outside quotes and
/// brackets.
fn split_arguments(list: &str) -> Vec<&str> {
    let mut arguments = Vec::new();
    let (mut depth, mut quoted, mut start) = (0usize, false, 0);
    for (at, c) in list.char_indices() {
        match c {
            '\'' => quoted = !quoted,
            '(' | '[' if !quoted => depth += 1,
            ')' | ']' if !quoted => depth = depth.saturating_sub(1),
            ',' if !quoted && depth == 0 => {
                arguments.push(list.get(start..at).unwrap_or("").trim());
                start = at + 1;
            }
            _ => {}
        }
    }
    arguments.push(list.get(start..).unwrap_or("").trim());
    arguments
}

/// `holes` moved `by` bytes into a longer text, each pointing at `offset` if one is given.
fn shifted(holes: Vec<Hole>, by: usize, offset: Option<usize>) -> impl Iterator<Item = Hole> {
    holes.into_iter().map(move |hole| Hole {
        at: hole.at + by,
        offset: offset.unwrap_or(hole.offset),
        ..hole
    })
}

fn short(text: &str) -> String {
    let mut cut: String = text.chars().take(60).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    cut
}

/// An argument: a string (with offsets), or something else azabac does not follow.
enum Arg {
    Text(Evaluated),
    Other,
}

struct Parser<'t> {
    text: &'t str,
    at: usize,
    template: &'t Value,
    /// `copyIndex()` of the `copy` instance being read, if any.
    copy_index: Option<usize>,
}

/// The value of a whole-string `[variables('k')]` or `[parameters('k')]` (its default), and
/// for a parameter, the assumption that is (`parameters('k')`, which a deployment can override).
fn named_value<'t>(text: &str, template: &'t Value) -> Option<(&'t Value, Option<String>)> {
    let inner = text.trim().strip_prefix('[')?.strip_suffix(']')?.trim();
    let (function, rest) = inner.split_once('(')?;
    let key = rest
        .strip_suffix(')')?
        .trim()
        .strip_prefix('\'')?
        .strip_suffix('\'')?;
    if key.contains('\'') {
        return None;
    }
    match function.trim().to_ascii_lowercase().as_str() {
        "variables" => Some((template.get("variables")?.get(key)?, None)),
        "parameters" => Some((
            template.get("parameters")?.get(key)?.get("defaultValue")?,
            Some(format!("parameters('{key}')")),
        )),
        _ => None,
    }
}

/// Whether `text` is a whole `[parameters('k')]` or `[variables('k')]` whose value (a
/// parameter's default) is JSON `null`: no value at all, such as a condition left out.
pub fn is_null(text: &str, template: &Value) -> bool {
    named_value(text, template).is_some_and(|(value, _)| value.is_null())
}

pub use crate::limits::ARM_MAX_COPIES as MAX_COPIES;

/// The number of instances of a resource's `copy` loop, when its `count` is a number or
/// `[length(variables('x'))]` (or `parameters('x')`, an assumption named in the second field)
/// of a value written in the template; `None` for anything else.
pub fn copy_count(resource: &Value, template: &Value) -> Option<(usize, Option<String>)> {
    let count = resource.get("copy")?.get("count")?;
    if let Some(n) = count.as_u64() {
        return Some((usize::try_from(n).ok()?, None));
    }
    let text = count.as_str()?.trim();
    let inner = text.strip_prefix("[length(")?.strip_suffix(")]")?.trim();
    let (value, assumed) = named_value(&format!("[{inner}]"), template)?;
    let len = match value {
        Value::Array(items) => items.len(),
        Value::Object(object) => object.len(),
        _ => return None,
    };
    Some((len, assumed))
}

impl<'t> Parser<'t> {
    fn byte(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn skip_space(&mut self) {
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

    fn expression(&mut self, depth: usize) -> Option<Arg> {
        if depth > MAX_DEPTH {
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
                out.holes.extend(shifted(part.holes, out.text.len(), None));
                out.text.push_str(&part.text);
                out.offsets
                    .extend(part.offsets.iter().take(part.text.len()));
                out.unresolved.extend(part.unresolved);
                out.assumed.extend(part.assumed);
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
                            out.holes
                                .extend(shifted(arg.holes.clone(), out.text.len(), Some(at)));
                            out.text.push_str(&arg.text);
                            out.offsets.extend(std::iter::repeat_n(at, arg.text.len()));
                            out.unresolved.extend(arg.unresolved.clone());
                            out.assumed.extend(arg.assumed.clone());
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
            Some(Value::String(s)) => match evaluate_within(s, self.template, None, depth + 1) {
                // A variable that is itself an expression.
                Some(inner) if depth < MAX_DEPTH => {
                    let mut e = Evaluated {
                        holes: shifted(inner.holes, 0, Some(at)).collect(),
                        text: inner.text,
                        unresolved: inner.unresolved,
                        assumed: inner.assumed,
                        ..Evaluated::default()
                    };
                    e.offsets = vec![at; e.text.len()];
                    e
                }
                _ => Evaluated {
                    offsets: vec![at; s.len()],
                    text: s.clone(),
                    ..Evaluated::default()
                },
            },
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn evaluates_what_is_literal_and_names_what_is_not() {
        let template = json!({
            "parameters": {"d": {"type": "string", "defaultValue": "x"}, "n": {"type": "string"}},
            "variables": {"v": "[concat('a', parameters('d'))]", "w": "lit"}
        });
        let e = evaluate("[concat(variables('v'), '-', variables('w'))]", &template).unwrap();
        assert_eq!(e.text, "ax-lit");
        assert_eq!(e.assumed, ["parameters('d')"]);
        let e = evaluate("[format('{0}', parameters('n'))]", &template).unwrap();
        assert_eq!(e.unresolved, ["`parameters('n')`"]);
        let e = evaluate("[reference('x').outputs.c.value]", &template).unwrap();
        assert!(!e.unresolved.is_empty());
        assert_eq!(evaluate("[[not an expression]", &template), None);
        assert_eq!(evaluate("plain", &template), None);
    }

    #[test]
    fn members_of_parameters_and_variables_written_literally_resolve() {
        let template = json!({
            "parameters": {"p": {"type": "object", "defaultValue": {"tag": "project"}}},
            "variables": {
                "guards": {"read": "[format('!(ActionMatches{{''{0}''}})', variables('kind'))]"},
                "kind": "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
                "names": ["logs", "audit"]
            }
        });
        let e = evaluate(
            "[format('{0} {1} {2}', variables('guards').read, variables('names')[1], parameters('p')['tag'])]",
            &template,
        )
        .unwrap();
        assert_eq!(
            e.text,
            "!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'}) audit project"
        );
        assert_eq!(e.assumed, ["parameters('p')['tag']"]);
        assert!(e.unresolved.is_empty(), "{e:?}");
        // A member the value lacks, an index by expression, and a non-string stay unknown.
        for text in [
            "[variables('guards').write]",
            "[variables('names')[copyIndex()]]",
            "[variables('names')[5]]",
            "[variables('guards')]",
        ] {
            let e = evaluate(text, &template).unwrap();
            assert!(!e.unresolved.is_empty(), "{text}: {e:?}");
        }
    }

    #[test]
    fn copy_loops_count_what_is_written_and_index_it() {
        let template = json!({
            "parameters": {"p": {"type": "array", "defaultValue": ["x"]}},
            "variables": {"names": ["logs", "audit"], "m": {"a": 1}}
        });
        let count = |copy: serde_json::Value| copy_count(&json!({"copy": copy}), &template);
        assert_eq!(count(json!({"count": 3})), Some((3, None)));
        assert_eq!(
            count(json!({"count": "[length(variables('names'))]"})),
            Some((2, None))
        );
        assert_eq!(
            count(json!({"count": "[length(variables('m'))]"})),
            Some((1, None))
        );
        assert_eq!(
            count(json!({"count": "[length(parameters('p'))]"})),
            Some((1, Some("parameters('p')".to_owned())))
        );
        assert_eq!(count(json!({"count": "[parameters('n')]"})), None);
        let e = evaluate_at(
            "[format('{0}-{1}', variables('names')[copyIndex()], copyIndex(1))]",
            &template,
            Some(1),
        )
        .unwrap();
        assert_eq!(e.text, "audit-2");
        // Outside a loop's instance, `copyIndex()` is not known.
        let e = evaluate("[variables('names')[copyIndex()]]", &template).unwrap();
        assert!(!e.unresolved.is_empty());
    }

    /// A variable whose value names itself (or a cycle of them) is read to [`MAX_DEPTH`] and
    /// no deeper (the `arm` fuzz target found the stack overflow).
    #[test]
    fn a_variable_that_names_itself_ends() {
        let template =
            json!({"variables": {"a": "[variables('b')]", "b": "[concat(variables('a'), 'x')]"}});
        let evaluated = evaluate("[variables('a')]", &template).unwrap();
        assert!(!evaluated.unresolved.is_empty(), "{evaluated:?}");
    }

    /// An index that is itself a call with an index, nested without end, is read to
    /// [`MAX_DEPTH`] and no deeper (the `arm` fuzz target found the stack overflow).
    #[test]
    fn indexes_nest_no_deeper_than_calls() {
        let template = json!({"parameters": {"x": {"type": "array", "defaultValue": [1]}}});
        let mut text = String::from("[");
        for _ in 0..10_000 {
            text.push_str("parameters('x')[copyIndex(");
        }
        text.push(']');
        let evaluated = evaluate_at(&text, &template, Some(0)).unwrap();
        assert!(!evaluated.unresolved.is_empty());
    }

    /// `bicep build` writes these for a module's role assignments in a `copy` loop (issue 30):
    /// the argument loop once pushed an argument for a `]` it never consumed, until memory ran
    /// out. Each is read at once, as an expression not followed.
    #[test]
    fn a_loop_over_module_role_assignments_is_read_at_once() {
        let template =
            json!({"parameters": {"roleAssignments": {"type": "array", "defaultValue": []}}});
        for text in [
            "[tryGet(parameters('roleAssignments')[copyIndex()], 'condition')]",
            "[if(not(equals(tryGet(parameters('roleAssignments')[copyIndex()], 'condition'), null())), '2.0', null())]",
            "[f(])]",
            "[f(a, ])]",
        ] {
            let evaluated = evaluate(text, &template).unwrap();
            assert!(!evaluated.unresolved.is_empty(), "{text}: {evaluated:?}");
        }
    }

    #[test]
    fn offsets_point_through_doubled_quotes_and_braces() {
        let text = "[format('a''{{b}}{0}', 'z')]";
        let e = evaluate(text, &json!({})).unwrap();
        assert_eq!(e.text, "a'{b}z");
        // The quote maps to its doubled `''`, the brace to its `{{`.
        assert_eq!(&text[e.offsets[1]..e.offsets[1] + 2], "''");
        assert_eq!(&text[e.offsets[2]..e.offsets[2] + 2], "{{");
    }

    /// The example `evaluate`'s documentation used to give.
    #[test]
    fn evaluate_example() {
        let template =
            serde_json::json!({"parameters": {"c": {"type": "string", "defaultValue": "logs"}}});
        let e = evaluate("[format('x ''{0}'' {{y}}', parameters('c'))]", &template).unwrap();
        assert_eq!(e.text, "x 'logs' {y}");
        assert_eq!(e.assumed, ["parameters('c')"]);
    }

    /// The example `evaluate_at`'s documentation used to give.
    #[test]
    fn evaluate_at_example() {
        let template = serde_json::json!({"variables": {"names": ["logs", "audit"]}});
        let e = evaluate_at("[variables('names')[copyIndex()]]", &template, Some(1)).unwrap();
        assert_eq!(e.text, "audit");
    }

    /// The example `is_null`'s documentation used to give.
    #[test]
    fn is_null_example() {
        let template = serde_json::json!({"parameters": {
            "none": {"type": "string", "defaultValue": null},
            "given": {"type": "string"}
        }});
        assert!(is_null("[parameters('none')]", &template));
        assert!(!is_null("[parameters('given')]", &template));
    }
}
