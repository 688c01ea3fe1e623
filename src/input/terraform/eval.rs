//! Terraform values evaluated as far as literals allow: strings with their escapes and heredoc
//! indentation decoded, each byte mapped to where it is written; references to locals and
//! variables' defaults; `format()`, `join()`, `replace()`, `lower()`, `upper()`, `trimspace()`
//! and `templatefile()`.

use std::collections::HashMap;

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};
use hcl_edit::template::{Element, Template};

use super::{Each, MAX_REFERENCE_DEPTH, Reader, is_role_definition_id};
use crate::input::host::Hole;

/// A string evaluated from HCL: its text, for each byte (and one past the end) the offset in
/// the file it came from (where it came from a reference, the reference's offset), and what
/// it could not know.
#[derive(Clone, Debug, Default)]
pub(super) struct Value {
    pub(super) text: String,
    pub(super) offsets: Vec<usize>,
    pub(super) unresolved: Vec<String>,
    pub(super) assumed: Vec<String>,
    /// Role definition resource ids where a GUID belongs: their range in `text`, and source.
    pub(super) resource_ids: Vec<(std::ops::Range<usize>, String)>,
    /// Where in `text` each unresolved value goes.
    pub(super) holes: Vec<Hole>,
}

impl Value {
    fn push(&mut self, text: &str, at: usize) {
        for _ in 0..text.len() {
            self.offsets.push(at);
        }
        self.text.push_str(text);
    }

    fn extend(&mut self, other: Value, at: Option<usize>) {
        let base = self.text.len();
        self.resource_ids.extend(
            other
                .resource_ids
                .iter()
                .map(|(r, s)| (r.start + base..r.end + base, s.clone())),
        );
        self.holes.extend(other.holes.into_iter().map(|hole| Hole {
            at: hole.at + base,
            offset: at.unwrap_or(hole.offset),
            ..hole
        }));
        match at {
            // From another place (a local): every byte points at the reference.
            Some(at) => self.push(&other.text, at),
            None => {
                self.text.push_str(&other.text);
                self.offsets
                    .extend(other.offsets.iter().take(other.text.len()));
            }
        }
        self.unresolved.extend(other.unresolved);
        self.assumed.extend(other.assumed);
    }

    /// A value known only at deployment, written as `what` at `offset` in the file.
    fn unresolved(what: String, offset: usize) -> Value {
        Value {
            holes: vec![Hole {
                at: 0,
                source: what.clone(),
                offset,
            }],
            unresolved: vec![what],
            ..Value::default()
        }
    }

    pub(super) fn finish(mut self, end: usize) -> Value {
        self.offsets.push(end);
        self.offsets.truncate(self.text.len() + 1);
        self
    }
}

impl<'s, 'b, 't> Reader<'s, 'b, 't> {
    /// Evaluates an expression to a string, as far as literals allow.
    pub(super) fn evaluate(&self, expression: &Expression, depth: usize) -> Value {
        let source = |e: &Expression| {
            e.span()
                .and_then(|s| self.text().get(s))
                .unwrap_or("?")
                .to_owned()
        };
        let here = expression.span().map_or(0, |s| s.start);
        if depth > MAX_REFERENCE_DEPTH {
            return Value::unresolved(source(expression), here);
        }
        match expression {
            Expression::String(string) => {
                let Some(span) = string.span() else {
                    return Value::unresolved(source(expression), here);
                };
                // Between the quotes.
                let inner = span.start + 1..span.end.saturating_sub(1);
                let mut value = Value::default();
                decode_quoted(self.text(), inner.clone(), string.value(), &mut value);
                value
            }
            Expression::StringTemplate(template) => self.template(template, None, depth),
            Expression::HeredocTemplate(heredoc) => {
                // `<<-`: the indent Terraform strips, which hcl-edit gets wrong (and strips
                // text with) when a line with less of it comes before an interpolation.
                let dedent = heredoc.indent().map(|theirs| {
                    let indent = heredoc_indent(self.text(), &heredoc.template);
                    Dedent {
                        indent,
                        as_parsed: indent == theirs,
                    }
                });
                self.template(&heredoc.template, dedent, depth)
            }
            Expression::Number(number) => {
                let mut value = Value::default();
                value.push(
                    &number.value().to_string(),
                    expression.span().map_or(0, |s| s.start),
                );
                value
            }
            Expression::Bool(b) => {
                let mut value = Value::default();
                value.push(
                    if *b.value() { "true" } else { "false" },
                    expression.span().map_or(0, |s| s.start),
                );
                value
            }
            Expression::Parenthesis(inner) => self.evaluate(inner.inner(), depth + 1),
            Expression::Traversal(traversal) => {
                let at = expression.span().map_or(0, |s| s.start);
                if is_role_definition_id(traversal) {
                    // Unknown until applied, but a resource id for sure: kept as written, so
                    // that the error points at it.
                    let written = source(expression);
                    let mut value = Value {
                        unresolved: vec![written.clone()],
                        ..Value::default()
                    };
                    for (i, _) in written.bytes().enumerate() {
                        value.offsets.push(at + i);
                    }
                    value.text = written.clone();
                    value.resource_ids.push((0..written.len(), written));
                    return value;
                }
                if let (Expression::Variable(root), [first]) =
                    (&traversal.expr, traversal.operators.as_slice())
                    && let TraversalOperator::GetAttr(name) = first.value()
                {
                    match (root.as_str(), name.as_str(), &self.each) {
                        // `each.key`, and `each.value` of a set (its key).
                        ("each", "key", Some(each))
                        | ("each", "value", Some(each @ Each { value: None, .. })) => {
                            let mut value = Value::default();
                            value.push(&each.key, at);
                            return value;
                        }
                        ("count", "index", _) if self.count.is_some() => {
                            let mut value = Value::default();
                            value.push(&self.count.unwrap_or_default().to_string(), at);
                            return value;
                        }
                        // The module's directory, for `templatefile()`'s path.
                        ("path", "module", _) => {
                            let mut value = Value::default();
                            value.push(".", at);
                            return value;
                        }
                        ("var", name, _) if !self.scope.variables.contains_key(name) => {
                            return Value::unresolved(format!("var.{name}"), here);
                        }
                        _ => {}
                    }
                }
                match self.resolve(expression, depth) {
                    Some((file, value, assumed)) => {
                        let reader = self.at(file);
                        let mut out = Value::default();
                        out.extend(reader.evaluate(value, depth + 1), Some(at));
                        out.assumed.extend(assumed);
                        out
                    }
                    // A member the literal value lacks: no hole, so never checked around.
                    None if self.lacks_member(expression, depth) => Value {
                        unresolved: vec![source(expression)],
                        ..Value::default()
                    },
                    None => Value::unresolved(source(expression), here),
                }
            }
            Expression::FuncCall(call) => self.function(call, expression, depth),
            // A `for` expression's key or value variable, for the element being read.
            Expression::Variable(name) => match &self.bound {
                Some(bound) if bound.key_var == Some(name.as_str()) => {
                    let mut value = Value::default();
                    value.push(&bound.key, here);
                    value
                }
                Some(bound) if bound.value_var == name.as_str() => {
                    let (file, element) = bound.element;
                    let mut out = Value::default();
                    out.extend(self.at(file).evaluate(element, depth + 1), Some(here));
                    out
                }
                _ => Value::unresolved(source(expression), here),
            },
            _ => Value::unresolved(source(expression), here),
        }
    }

    /// `format()`, `join()`, `replace()`, `lower()`, `upper()`, `trimspace()` over resolved
    /// values; any other function leaves the value unresolved.
    fn function(
        &self,
        call: &hcl_edit::expr::FuncCall,
        expression: &Expression,
        depth: usize,
    ) -> Value {
        let at = expression.span().map_or(0, |s| s.start);
        let source = expression
            .span()
            .and_then(|s| self.text().get(s))
            .unwrap_or("?")
            .to_owned();
        let args: Vec<&Expression> = call.args.iter().collect();
        let strings = |args: &[&Expression]| -> Option<Vec<Value>> {
            let values: Vec<Value> = args.iter().map(|a| self.evaluate(a, depth + 1)).collect();
            values
                .iter()
                .all(|v| v.unresolved.is_empty())
                .then_some(values)
        };
        let name = call.name.name.as_str();
        if !call.name.namespace.is_empty() {
            return Value::unresolved(source, at);
        }
        let text = match (name, args.as_slice()) {
            ("format", [format, rest @ ..]) => {
                let (Some(format), Some(rest)) = (strings(&[format]), strings(rest)) else {
                    return Value::unresolved(source, at);
                };
                let format = format.into_iter().next().unwrap_or_default();
                let mut out = String::new();
                let mut args = rest.iter();
                let mut chars = format.text.chars().peekable();
                while let Some(c) = chars.next() {
                    if c != '%' {
                        out.push(c);
                        continue;
                    }
                    match chars.next() {
                        Some('%') => out.push('%'),
                        Some('s' | 'd' | 'v') => match args.next() {
                            Some(arg) => out.push_str(&arg.text),
                            None => return Value::unresolved(source, at),
                        },
                        _ => return Value::unresolved(source, at),
                    }
                }
                out
            }
            ("join", [separator, list]) => {
                let Some((reader, items, assumed)) = self.list(list, depth + 1) else {
                    return Value::unresolved(source, at);
                };
                let items: Vec<Value> = items
                    .iter()
                    .map(|e| reader.evaluate(e, depth + 1))
                    .collect();
                let Some(separator) = strings(&[separator]) else {
                    return Value::unresolved(source, at);
                };
                if items.iter().any(|v| !v.unresolved.is_empty()) {
                    return Value::unresolved(source, at);
                }
                let separator = separator.into_iter().next().unwrap_or_default().text;
                let text = items
                    .iter()
                    .map(|v| v.text.as_str())
                    .collect::<Vec<_>>()
                    .join(&separator);
                let mut value = Value::default();
                value.push(&text, at);
                value.assumed.extend(assumed);
                value
                    .assumed
                    .extend(items.into_iter().flat_map(|v| v.assumed));
                return value;
            }
            ("replace", [text, from, to]) => {
                let Some(values) = strings(&[text, from, to]) else {
                    return Value::unresolved(source, at);
                };
                let [text, from, to] = values.as_slice() else {
                    return Value::unresolved(source, at);
                };
                // A `/…/` pattern is a regular expression: not evaluated here.
                if from.text.len() > 1 && from.text.starts_with('/') && from.text.ends_with('/') {
                    return Value::unresolved(source, at);
                }
                text.text.replace(&from.text, &to.text)
            }
            ("lower" | "upper" | "trimspace", [text]) => {
                let Some(values) = strings(&[text]) else {
                    return Value::unresolved(source, at);
                };
                let text = values.first().map_or("", |v| v.text.as_str());
                match name {
                    "lower" => text.to_lowercase(),
                    "upper" => text.to_uppercase(),
                    _ => text.trim().to_owned(),
                }
            }
            ("templatefile", _) => {
                // Inside another value: every byte points at the call.
                let Some(rendered) = self
                    .template_file(call, depth)
                    .filter(|r| r.unresolved.is_empty())
                else {
                    return Value::unresolved(source, at);
                };
                let mut value = Value::default();
                value.push(&rendered.text, at);
                value.assumed = rendered.assumed;
                return value;
            }
            _ => return Value::unresolved(source, at),
        };
        let mut value = Value::default();
        value.push(&text, at);
        value
    }

    /// The items of a list: written in place, or the value of a `local.x` (or, as an assumption
    /// named in the third field, a variable's default) that is one; with the reader of the
    /// file they are written in.
    pub(super) fn list<'e>(
        &self,
        expression: &'e Expression,
        depth: usize,
    ) -> Option<(Reader<'s, 'b, 't>, Vec<&'e Expression>, Option<String>)>
    where
        'b: 'e,
        's: 'e,
    {
        if depth > MAX_REFERENCE_DEPTH {
            return None;
        }
        match expression {
            Expression::Array(items) => Some((self.at(self.file), items.iter().collect(), None)),
            Expression::Traversal(_) => {
                let (file, value, assumed) = self.resolve(expression, depth)?;
                let (reader, items, inner) = self.at(file).list(value, depth + 1)?;
                Some((reader, items, assumed.or(inner)))
            }
            _ => None,
        }
    }

    /// This reader, reading file `file` of the module.
    pub(super) fn at(&self, file: usize) -> Reader<'s, 'b, 't> {
        Reader {
            file,
            each: self.each.clone(),
            bound: self.bound.clone(),
            ..*self
        }
    }

    /// What a reference names, written literally: `local.x`, `var.x` (its default: an
    /// assumption, named in the third field) or `each.value`, and members of it (`.key`,
    /// `["key"]`, `[0]`); with the file it is written in. `None` for anything else.
    pub(super) fn resolve(
        &self,
        expression: &Expression,
        depth: usize,
    ) -> Option<(usize, &'b Expression, Option<String>)> {
        match self.walk(expression, depth) {
            Walk::Found(found) => Some(found),
            Walk::Lacks | Walk::Unknown => None,
        }
    }

    /// Whether `expression` names a member that a value written literally lacks
    /// (`local.names[2]` of a two-item list): Terraform's error, not a value a deployment
    /// supplies.
    fn lacks_member(&self, expression: &Expression, depth: usize) -> bool {
        matches!(self.walk(expression, depth), Walk::Lacks)
    }

    fn walk(&self, expression: &Expression, depth: usize) -> Walk<'b> {
        if depth > MAX_REFERENCE_DEPTH {
            return Walk::Unknown;
        }
        let Expression::Traversal(traversal) = expression else {
            return Walk::Unknown;
        };
        let Expression::Variable(root) = &traversal.expr else {
            return Walk::Unknown;
        };
        // A `for` expression's value variable: the element, every operator a member of it.
        if let Some(bound) = self.bound.as_ref().filter(|b| b.value_var == root.as_str()) {
            let (file, element) = bound.element;
            return self.walk_members((file, element, None), &traversal.operators, depth);
        }
        let Some((first, members)) = traversal.operators.split_first() else {
            return Walk::Unknown;
        };
        let TraversalOperator::GetAttr(name) = first.value() else {
            return Walk::Unknown;
        };
        let name = name.as_str();
        let root = match root.as_str() {
            "local" => self
                .scope
                .locals
                .get(name)
                .map(|&(file, value)| (file, value, None)),
            "var" => self
                .scope
                .variables
                .get(name)
                .map(|&(file, value)| (file, value, Some(format!("var.{name}")))),
            "each" if name == "value" => self
                .each
                .as_ref()
                .and_then(|each| each.value)
                .map(|(file, value)| (file, value, None)),
            _ => None,
        };
        match root {
            Some(root) => self.walk_members(root, members, depth),
            None => Walk::Unknown,
        }
    }

    /// The members `operators` name, from `root` on.
    fn walk_members(
        &self,
        root: (usize, &'b Expression, Option<String>),
        operators: &[hcl_edit::Decorated<TraversalOperator>],
        depth: usize,
    ) -> Walk<'b> {
        // Each step looks through a value that is itself a reference (`{ ra = local.ra }`).
        let Some(mut at) = self.at(root.0).follow(root, depth) else {
            return Walk::Unknown;
        };
        for operator in operators {
            let Some(step) = self.step(operator.value(), depth) else {
                return Walk::Unknown;
            };
            match member(at.1, &step) {
                Some(value) => at.1 = value,
                None if matches!(at.1, Expression::Object(_) | Expression::Array(_)) => {
                    return Walk::Lacks;
                }
                None => return Walk::Unknown,
            }
            at = match self.at(at.0).follow(at, depth) {
                Some(at) => at,
                None => return Walk::Unknown,
            };
        }
        Walk::Found(at)
    }

    /// The step a traversal operator takes: `.key`, `["key"]`, `[0]`, or an index that is
    /// itself a reference resolving to a literal (`[count.index]`, `[each.key]`).
    pub(super) fn step(&self, operator: &TraversalOperator, depth: usize) -> Option<Step> {
        match operator {
            TraversalOperator::GetAttr(key) => Some(Step::Key(key.as_str().to_owned())),
            TraversalOperator::LegacyIndex(n) => {
                Some(Step::Index(usize::try_from(*n.value()).ok()?))
            }
            TraversalOperator::Index(Expression::Number(n)) => {
                Some(Step::Index(usize::try_from(n.value().as_u64()?).ok()?))
            }
            TraversalOperator::Index(Expression::String(key)) => {
                Some(Step::Key(key.value().as_str().to_owned()))
            }
            TraversalOperator::Index(
                index @ (Expression::Traversal(_) | Expression::Variable(_)),
            ) => {
                let value = self.evaluate(index, depth + 1);
                value.unresolved.is_empty().then_some(Step::Key(value.text))
            }
            _ => None,
        }
    }

    /// `found`, or what it names when it is itself a reference that resolves.
    pub(super) fn follow(
        &self,
        found: (usize, &'b Expression, Option<String>),
        depth: usize,
    ) -> Option<(usize, &'b Expression, Option<String>)> {
        let (file, value, assumed) = found;
        if !matches!(value, Expression::Traversal(_)) {
            return Some((file, value, assumed));
        }
        match self.at(file).resolve(value, depth + 1) {
            Some((file, value, inner)) => Some((file, value, assumed.or(inner))),
            None => Some((file, value, assumed)),
        }
    }

    /// `templatefile(path, {…})` rendered from literal values: the template file, and the
    /// text with, for each byte and one past its end, its offset in the template (a variable's
    /// value at its `${`); `None` when the path, a variable or the template does not resolve.
    pub(super) fn template_file(
        &self,
        call: &hcl_edit::expr::FuncCall,
        depth: usize,
    ) -> Option<Rendered> {
        let args: Vec<&Expression> = call.args.iter().collect();
        if call.name.name.as_str() != "templatefile" || !call.name.namespace.is_empty() {
            return None;
        }
        let [path, Expression::Object(variables)] = args.as_slice() else {
            return None;
        };
        let path = self.evaluate(path, depth + 1);
        if !path.unresolved.is_empty() {
            return None;
        }
        let template = (self.templates)(&path.text)?;
        let mut values = HashMap::new();
        let mut assumed = path.assumed;
        for (key, value) in variables.iter() {
            let key = match key {
                ObjectKey::Ident(ident) => ident.as_str().to_owned(),
                ObjectKey::Expression(Expression::String(s)) => s.value().to_string(),
                ObjectKey::Expression(_) => return None,
            };
            let evaluated = self.evaluate(value.expr(), depth + 1);
            // A value only a deployment knows: a hole where the template places it.
            let text = if evaluated.unresolved.is_empty() {
                Ok(evaluated.text)
            } else {
                Err(value
                    .expr()
                    .span()
                    .and_then(|s| self.text().get(s))
                    .unwrap_or("?")
                    .to_owned())
            };
            assumed.extend(evaluated.assumed);
            values.insert(key, text);
        }
        let (text, offsets, holes) = render_template(&template, &values)?;
        Some(Rendered {
            path: path.text,
            template,
            text,
            offsets,
            assumed,
            unresolved: holes.iter().map(|h| h.source.clone()).collect(),
            holes,
        })
    }

    /// A quoted string template or a heredoc (whose lines lose `dedent`'s leading spaces):
    /// literal parts decoded with their offsets, interpolations evaluated.
    fn template(&self, template: &Template, dedent: Option<Dedent>, depth: usize) -> Value {
        let text = self.text();
        let mut value = Value::default();
        for element in template.iter() {
            match element {
                Element::Literal(literal) => {
                    let Some(span) = literal.span() else {
                        value.push(literal.value(), 0);
                        continue;
                    };
                    match dedent {
                        None => decode_quoted(text, span, literal.value(), &mut value),
                        // Checked against hcl-edit's value only where it read the same indent.
                        Some(Dedent { indent, as_parsed }) => decode_heredoc(
                            text,
                            span,
                            indent,
                            as_parsed.then(|| literal.value().as_str()),
                            &mut value,
                        ),
                    }
                }
                Element::Interpolation(interpolation) => {
                    let at = interpolation.span().map_or(0, |s| s.start);
                    let inner = self.evaluate(&interpolation.expr, depth + 1);
                    value.extend(inner, Some(at));
                }
                Element::Directive(directive) => {
                    let what = directive
                        .span()
                        .and_then(|s| text.get(s))
                        .unwrap_or("%{…}")
                        .to_owned();
                    value.unresolved.push(what);
                }
            }
        }
        value
    }
}

/// Where a reference leads: to a value written in the module, to a member that such a value
/// lacks, or to something only a deployment knows.
enum Walk<'b> {
    Found((usize, &'b Expression, Option<String>)),
    Lacks,
    Unknown,
}

/// One step into a value: `.key` or `["key"]`, or `[0]`.
pub(super) enum Step {
    Key(String),
    Index(usize),
}

/// The member of an object or list written literally that `step` names; `None` for anything
/// else.
pub(super) fn member<'e>(value: &'e Expression, step: &Step) -> Option<&'e Expression> {
    match (value, step) {
        (Expression::Object(object), Step::Key(key)) => object.iter().find_map(|(k, v)| {
            let name = match k {
                ObjectKey::Ident(ident) => ident.as_str(),
                ObjectKey::Expression(Expression::String(s)) => s.value().as_str(),
                ObjectKey::Expression(_) => return None,
            };
            (name == key).then(|| v.expr())
        }),
        (Expression::Array(items), Step::Index(index)) => items.get(*index),
        // `list["0"]`: Terraform converts the key to a number for a list.
        (Expression::Array(items), Step::Key(key)) => items.get(key.parse::<usize>().ok()?),
        _ => None,
    }
}

/// Decodes the raw quoted-string text at `span` of `text` (HCL escapes: `\"`, `\\`, `\n`,
/// `\r`, `\t`, `\uXXXX`, `\UXXXXXXXX`, and `$${`, `%%{`), each decoded character mapped to
/// where it starts. If the decoding disagrees with the parser's `expected`, the parser wins and
/// every byte maps to the span's start.
fn decode_quoted(text: &str, span: std::ops::Range<usize>, expected: &str, value: &mut Value) {
    let raw = text.get(span.clone()).unwrap_or("");
    let mut decoded = Value::default();
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let at = span.start + i;
        match c {
            '\\' => {
                let Some((_, e)) = chars.next() else { break };
                let mapped = match e {
                    'n' => Some('\n'),
                    'r' => Some('\r'),
                    't' => Some('\t'),
                    '"' => Some('"'),
                    '\\' => Some('\\'),
                    'u' | 'U' => {
                        let n = if e == 'u' { 4 } else { 8 };
                        let hex: String = (0..n)
                            .filter_map(|_| chars.next().map(|(_, h)| h))
                            .collect();
                        u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)
                    }
                    _ => None,
                };
                match mapped {
                    Some(m) => decoded.push(m.encode_utf8(&mut [0; 4]), at),
                    None => decoded.push(&format!("\\{e}"), at),
                }
            }
            '$' | '%'
                if raw
                    .get(i + 1..)
                    .is_some_and(|r| r.starts_with(c) && r[1..].starts_with('{')) =>
            {
                // `$${` is a literal `${`; the second `$` is skipped.
                chars.next();
                decoded.push(c.encode_utf8(&mut [0; 4]), at);
            }
            _ => decoded.push(c.encode_utf8(&mut [0; 4]), at),
        }
    }
    if decoded.text == expected {
        value.extend(decoded, None);
    } else {
        value.push(expected, span.start);
    }
}

/// How a `<<-` heredoc's lines are dedented: by `indent` spaces or tabs, and whether hcl-edit
/// read the same indent (so that its value of each literal is a check on the decoding).
#[derive(Clone, Copy)]
struct Dedent {
    indent: usize,
    as_parsed: bool,
}

/// The indent Terraform strips from a `<<-` heredoc: the fewest leading spaces or tabs of any
/// line that has anything but them (an interpolation counts, as in HCL's spec suite's
/// `interp_indented_less`), blank lines aside.
fn heredoc_indent(text: &str, template: &Template) -> usize {
    let mut fewest: Option<usize> = None;
    let mut line_start = true;
    let elements: Vec<&Element> = template.iter().collect();
    for (index, element) in elements.iter().enumerate() {
        let Element::Literal(literal) = element else {
            line_start = false;
            continue;
        };
        let raw = literal.span().and_then(|s| text.get(s)).unwrap_or("");
        let last_element = index + 1 == elements.len();
        let segments: Vec<&str> = raw.split('\n').collect();
        for (i, segment) in segments.iter().enumerate() {
            let starts_line = line_start || i > 0;
            let segment = segment.trim_end_matches('\r');
            let spaces = segment.len() - segment.trim_start_matches([' ', '\t']).len();
            let blank = spaces == segment.len();
            // A blank segment counts only where an interpolation follows it on its line.
            let ends_before_interpolation = i + 1 == segments.len() && !last_element;
            if starts_line && (!blank || ends_before_interpolation) {
                fewest = Some(fewest.map_or(spaces, |f| f.min(spaces)));
            }
        }
        line_start = raw.ends_with('\n');
    }
    fewest.unwrap_or(0)
}

/// Decodes a heredoc's raw literal at `span`: `indent` leading spaces dropped at each line
/// start, `$${` and `%%{` unescaped. Falls back as [`decode_quoted`] does.
fn decode_heredoc(
    text: &str,
    span: std::ops::Range<usize>,
    indent: usize,
    expected: Option<&str>,
    value: &mut Value,
) {
    let raw = text.get(span.clone()).unwrap_or("");
    let mut decoded = Value::default();
    let mut at_line_start = span.start == 0 || text.as_bytes().get(span.start - 1) == Some(&b'\n');
    let mut skip = 0;
    // HCL reads a CRLF file's line breaks as `\n`: so does this map, when the value has no CR.
    let drop_cr = !expected.is_some_and(|e| e.contains('\r'));
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let at = span.start + i;
        if drop_cr && c == '\r' && chars.peek().is_some_and(|&(_, next)| next == '\n') {
            continue;
        }
        if at_line_start {
            skip = indent;
            at_line_start = false;
        }
        if skip > 0 && (c == ' ' || c == '\t') {
            skip -= 1;
            continue;
        }
        skip = 0;
        if (c == '$' || c == '%')
            && raw
                .get(i + 1..)
                .is_some_and(|r| r.starts_with(c) && r[1..].starts_with('{'))
        {
            chars.next();
            decoded.push(c.encode_utf8(&mut [0; 4]), at);
            continue;
        }
        decoded.push(c.encode_utf8(&mut [0; 4]), at);
        if c == '\n' {
            at_line_start = true;
        }
    }
    match expected {
        Some(expected) if decoded.text != expected => value.push(expected, span.start),
        _ => value.extend(decoded, None),
    }
}

/// A template file's text with `${name}` replaced by its variable's value and the `$${` and
/// `%%{` escapes undone; `None` for a `%{` directive, any other interpolation, or a name not
/// given, none of which is evaluated here.
/// A template file rendered by `templatefile()`.
pub(super) struct Rendered {
    /// The template's path, as the module wrote it.
    pub(super) path: String,
    /// The template's text.
    pub(super) template: String,
    /// The rendered text.
    pub(super) text: String,
    /// For each byte of `text` and one past its end, its offset in `template`.
    pub(super) offsets: Vec<usize>,
    /// Variables' defaults the values took.
    pub(super) assumed: Vec<String>,
    /// The values passed that only a deployment knows, as written.
    pub(super) unresolved: Vec<String>,
    /// Where in `text` each of them goes (its offset: the `${` in the template).
    pub(super) holes: Vec<Hole>,
}

/// A template file's text with `${name}` replaced by its variable's value and the `$${` and
/// `%%{` escapes undone, with each output byte's offset in the template (and one past the
/// end); `None` for a `%{` directive, any other interpolation, or a name not given, none of
/// which is evaluated here.
pub(super) fn render_template(
    template: &str,
    values: &HashMap<String, Result<String, String>>,
) -> Option<(String, Vec<usize>, Vec<Hole>)> {
    let mut out = String::with_capacity(template.len());
    let mut offsets = Vec::with_capacity(template.len() + 1);
    let mut holes = Vec::new();
    let mut push = |text: &str, at: usize, out: &mut String, each: bool| {
        for (i, _) in text.bytes().enumerate() {
            offsets.push(if each { at + i } else { at });
        }
        out.push_str(text);
    };
    let mut rest = 0;
    while let Some(found) = template.get(rest..)?.find(['$', '%']) {
        let at = rest + found;
        push(template.get(rest..at)?, rest, &mut out, true);
        let tail = template.get(at..)?;
        if tail.starts_with("$${") || tail.starts_with("%%{") {
            push(tail.get(1..3)?, at + 1, &mut out, true);
            rest = at + 3;
        } else if tail.starts_with("${") {
            let end = tail.find('}')?;
            let name = tail.get(2..end)?.trim().trim_start_matches('~');
            let name = name.trim_end_matches('~').trim();
            match values.get(name)? {
                Ok(value) => push(value, at, &mut out, false),
                Err(source) => holes.push(Hole {
                    at: out.len(),
                    source: source.clone(),
                    offset: at,
                }),
            }
            rest = at + end + 1;
        } else if tail.starts_with("%{") {
            return None;
        } else {
            push(tail.get(..1)?, at, &mut out, true);
            rest = at + 1;
        }
    }
    push(template.get(rest..)?, rest, &mut out, true);
    offsets.push(template.len());
    Some((out, offsets, holes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_render_names_and_escapes_and_refuse_directives() {
        let values = HashMap::from([
            ("role".to_owned(), Ok("x".to_owned())),
            ("open".to_owned(), Err("data.x.id".to_owned())),
        ]);
        let template = "{${role}} ${ role } $${a} %%{b} 100%";
        let (text, offsets, holes) = render_template(template, &values).unwrap();
        assert!(holes.is_empty());
        assert_eq!(text, "{x} x ${a} %{b} 100%");
        // Each byte maps to where it is written: a value at its `${`, an escape past its `$`.
        assert_eq!(offsets.len(), text.len() + 1);
        assert_eq!(offsets[1], 1);
        assert_eq!(offsets[4], template.find("${ role }").unwrap());
        assert_eq!(&template[offsets[6]..offsets[6] + 2], "${");
        assert_eq!(*offsets.last().unwrap(), template.len());
        assert_eq!(render_template("${other}", &values), None);
        assert_eq!(render_template("%{ if true }x%{ endif }", &values), None);
        assert_eq!(render_template("${role", &values), None);
        // A value only a deployment knows leaves a hole where it goes, at its `${`.
        let (text, _, holes) = render_template("{${open}}", &values).unwrap();
        assert_eq!(text, "{}");
        assert_eq!((holes[0].at, holes[0].offset), (1, 1));
        assert_eq!(holes[0].source, "data.x.id");
    }
}
