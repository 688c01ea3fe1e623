//! Terraform values evaluated as far as literals allow, each byte mapped to where it is
//! written: strings and heredocs (decoded in `strings.rs`), references (followed in
//! `resolve.rs`), `format()`, `join()`, `replace()`, `lower()`, `upper()`, `trimspace()` and
//! `templatefile()` (rendered in `template.rs`).

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::template::{Element, Template};

use super::resolve::LookedUp;
use super::strings::{Dedent, decode_heredoc, decode_quoted, heredoc_indent};
use super::{Each, MAX_REFERENCE_DEPTH, Reader, is_role_definition_id};

/// A string evaluated from HCL: the value layer's [`Text`](crate::input::value::Text).
pub(super) use super::super::value::Text as Value;

impl<'s, 'b, 't> Reader<'s, 'b, 't> {
    /// Appends `inner`, a value from the reference at `at`, charging what it adds to the file's
    /// budget.
    fn join(&self, out: &mut Value, inner: Value, at: usize) {
        if self.meter.spend(inner.cost(), at) {
            out.extend(inner, Some(at));
        }
    }

    /// Evaluates an expression to a string, as far as literals allow.
    pub(super) fn evaluate(&self, expression: &Expression, depth: usize) -> Value {
        let source = |e: &Expression| {
            e.span()
                .and_then(|s| self.text().get(s))
                .unwrap_or("?")
                .to_owned()
        };
        let here = expression.span().map_or(0, |s| s.start);
        if !self.meter.spend(1, here) {
            return Value::missing(format!(
                "values past azabac's budget of {} per Terraform file",
                crate::limits::TERRAFORM_MAX_WORK
            ));
        }
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
                        self.join(&mut out, reader.evaluate(value, depth + 1), at);
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
                    self.join(&mut out, self.at(file).evaluate(element, depth + 1), here);
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
        if let ("lookup", [_, _] | [_, _, _]) = (name, args.as_slice()) {
            return match self.looked_up(call, depth) {
                Some(LookedUp::Member((file, value, assumed))) => {
                    let mut out = Value::default();
                    self.join(&mut out, self.at(file).evaluate(value, depth + 1), at);
                    out.assumed.extend(assumed);
                    out
                }
                Some(LookedUp::Default) => match args.get(2) {
                    Some(default) => self.evaluate(default, depth + 1),
                    None => Value::unresolved(source, at),
                },
                None => Value::unresolved(source, at),
            };
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
                    self.join(&mut value, inner, at);
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
