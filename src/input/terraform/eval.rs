//! Terraform values evaluated as far as literals allow, each byte mapped to where it is
//! written: strings and heredocs (decoded in `strings.rs`), references (evaluated in
//! `value.rs`), `format()`, `join()`, `replace()`, `lower()`, `upper()`, `trimspace()` and
//! `templatefile()` (rendered in `template.rs`).

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::template::{Element, Template};

use super::super::value::{Shape, force};
use super::strings::{Dedent, decode_heredoc, decode_quoted, heredoc_indent};
use super::{MAX_REFERENCE_DEPTH, Reader, is_role_definition_id};

/// A string evaluated from HCL: the value layer's [`Text`](crate::input::value::Text).
pub(super) use super::super::value::Text;

impl<'s, 'b, 't> Reader<'s, 'b, 't> {
    /// Appends `inner`, a value from the reference at `at`, charging what it adds to the file's
    /// budget.
    fn join(&self, out: &mut Text, inner: Text, at: usize) {
        if self.meter.spend(inner.cost(), at) {
            out.extend(inner, Some(at));
        }
    }

    /// Evaluates an expression to a string, as far as literals allow.
    pub(super) fn evaluate(&self, expression: &'b Expression, depth: usize) -> Text {
        let source = |e: &Expression| {
            e.span()
                .and_then(|s| self.text().get(s))
                .unwrap_or("?")
                .to_owned()
        };
        let here = expression.span().map_or(0, |s| s.start);
        if !self.meter.spend(1, here) {
            return Text::missing(past_budget());
        }
        if depth > MAX_REFERENCE_DEPTH {
            return Text::unresolved(source(expression), here);
        }
        match expression {
            Expression::String(string) => {
                let Some(span) = string.span() else {
                    return Text::unresolved(source(expression), here);
                };
                // Between the quotes.
                let inner = span.start + 1..span.end.saturating_sub(1);
                let mut value = Text::default();
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
                let mut value = Text::default();
                value.push(
                    &number.value().to_string(),
                    expression.span().map_or(0, |s| s.start),
                );
                value
            }
            Expression::Bool(b) => {
                let mut value = Text::default();
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
                    let mut value = Text {
                        unresolved: vec![written.clone()],
                        ..Text::default()
                    };
                    for (i, _) in written.bytes().enumerate() {
                        value.offsets.push(at + i);
                    }
                    value.text = written.clone();
                    value.resource_ids.push((0..written.len(), written));
                    return value;
                }
                let value = self.value_of(expression, depth);
                self.text_of(value, source(expression), here)
            }
            Expression::FuncCall(call) => self.function(call, expression, depth),
            // A `for` expression's key or value variable, for the element being read; a
            // conditional decided here.
            Expression::Variable(_) | Expression::Conditional(_) => {
                let value = self.value_of(expression, depth);
                self.text_of(value, source(expression), here)
            }
            _ => Text::unresolved(source(expression), here),
        }
    }

    /// `format()`, `join()`, `replace()`, `lower()`, `upper()`, `trimspace()` over resolved
    /// values; any other function leaves the value unresolved.
    fn function(
        &self,
        call: &'b hcl_edit::expr::FuncCall,
        expression: &'b Expression,
        depth: usize,
    ) -> Text {
        let at = expression.span().map_or(0, |s| s.start);
        let source = expression
            .span()
            .and_then(|s| self.text().get(s))
            .unwrap_or("?")
            .to_owned();
        let args: Vec<&Expression> = call.args.iter().collect();
        // The defaults the arguments were read through, for the result.
        let assumed = std::cell::RefCell::new(Vec::new());
        let strings = |args: &[&'b Expression]| -> Option<Vec<Text>> {
            let values: Vec<Text> = args.iter().map(|a| self.evaluate(a, depth + 1)).collect();
            assumed
                .borrow_mut()
                .extend(values.iter().flat_map(|v| v.assumed.iter().cloned()));
            values
                .iter()
                .all(|v| v.unresolved.is_empty())
                .then_some(values)
        };
        let name = call.name.name.as_str();
        if !call.name.namespace.is_empty() {
            return Text::unresolved(source, at);
        }
        if let ("lookup", [_, _] | [_, _, _]) = (name, args.as_slice()) {
            let value = self.value_of(expression, depth);
            return self.text_of(value, source, at);
        }
        let text = match (name, args.as_slice()) {
            ("format", [format, rest @ ..]) => {
                let (Some(format), Some(rest)) = (strings(&[format]), strings(rest)) else {
                    return Text::unresolved(source, at);
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
                            // Each argument charged before it is copied in.
                            Some(arg) if self.meter.spend(arg.text.len(), at) => {
                                out.push_str(&arg.text);
                            }
                            Some(_) => return Text::missing(past_budget()),
                            None => return Text::unresolved(source, at),
                        },
                        _ => return Text::unresolved(source, at),
                    }
                }
                out
            }
            ("join", [separator, list]) => {
                let Some((items, assumed)) = self.list(list, depth + 1) else {
                    return Text::unresolved(source, at);
                };
                let Some(separator) = strings(&[separator]) else {
                    return Text::unresolved(source, at);
                };
                if items.iter().any(|v| !v.unresolved.is_empty()) {
                    return Text::unresolved(source, at);
                }
                let separator = separator.into_iter().next().unwrap_or_default().text;
                // What the join will hold, charged before it is made.
                let total = items.iter().map(|v| v.text.len() + separator.len()).sum();
                if !self.meter.spend(total, at) {
                    return Text::missing(past_budget());
                }
                let text = items
                    .iter()
                    .map(|v| v.text.as_str())
                    .collect::<Vec<_>>()
                    .join(&separator);
                let mut value = Text::default();
                value.push(&text, at);
                value.assumed.extend(assumed);
                value
                    .assumed
                    .extend(items.into_iter().flat_map(|v| v.assumed));
                return value;
            }
            ("replace", [text, from, to]) => {
                let Some(values) = strings(&[text, from, to]) else {
                    return Text::unresolved(source, at);
                };
                let [text, from, to] = values.as_slice() else {
                    return Text::unresolved(source, at);
                };
                // A `/…/` pattern is a regular expression: not evaluated here.
                if from.text.len() > 1 && from.text.starts_with('/') && from.text.ends_with('/') {
                    return Text::unresolved(source, at);
                }
                // What the result will hold, charged before it is made (replacements of
                // replacements grow as a product).
                let grown = match from.text.is_empty() {
                    true => (text.text.len() + 1).saturating_mul(to.text.len()),
                    false => text
                        .text
                        .matches(from.text.as_str())
                        .count()
                        .saturating_mul(to.text.len()),
                };
                if !self.meter.spend(grown, at) {
                    return Text::missing(past_budget());
                }
                text.text.replace(&from.text, &to.text)
            }
            ("lower" | "upper" | "trimspace", [text]) => {
                let Some(values) = strings(&[text]) else {
                    return Text::unresolved(source, at);
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
                    return Text::unresolved(source, at);
                };
                let mut value = Text::default();
                value.push(&rendered.text, at);
                value.assumed = rendered.assumed;
                return value;
            }
            _ => return Text::unresolved(source, at),
        };
        // What the function made is charged to the file's budget.
        if !self.meter.spend(text.len(), at) {
            return Text::missing(past_budget());
        }
        let mut value = Text::default();
        value.push(&text, at);
        value.assumed = assumed.into_inner();
        value
    }

    /// The items of a list (written in place, in a local, in a variable's default: an
    /// assumption), each as a string, and the defaults the list was read through; `None` for
    /// anything else.
    pub(super) fn list(
        &self,
        expression: &'b Expression,
        depth: usize,
    ) -> Option<(Vec<Text>, Vec<String>)> {
        let value = self.value_of(expression, depth);
        let Shape::List(items) = value.shape else {
            return None;
        };
        let mut texts = Vec::with_capacity(items.len());
        for item in items {
            let item = force(self, item, depth);
            let text = match item.shape {
                // Each string the list holds is charged: a list of one long string repeated
                // would otherwise be held whole before anything is built from it.
                Shape::Text(mut text) if self.meter.spend(text.cost(), 0) => {
                    text.assumed.extend(item.assumed);
                    text
                }
                Shape::Text(_) => return None,
                _ => Text::unresolved(String::new(), 0),
            };
            texts.push(text);
        }
        Some((texts, value.assumed))
    }

    /// A quoted string template or a heredoc (whose lines lose `dedent`'s leading spaces):
    /// literal parts decoded with their offsets, interpolations evaluated.
    fn template(&self, template: &Template, dedent: Option<Dedent>, depth: usize) -> Text {
        let text = self.text();
        let mut value = Text::default();
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

/// What a value past the file's budget is, for the report.
fn past_budget() -> String {
    format!(
        "values past azabac's budget of {} per Terraform file",
        crate::limits::TERRAFORM_MAX_WORK
    )
}
