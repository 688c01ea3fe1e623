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

mod parser;
mod roles;

use parser::{Arg, Parser};

pub use roles::{defined_role, role_reference};

/// An evaluated expression: the value layer's [`Text`](super::value::Text), its offsets into
/// the expression's text.
pub use super::value::Text as Evaluated;

use super::meter::Meter;
use crate::limits::ARM_MAX_DEPTH as MAX_DEPTH;

/// Evaluates `text` (a JSON string's value) if it is an ARM expression (`[…]`, not `[[`);
/// `None` if it is a plain string. `template` gives `parameters` and `variables`.
pub fn evaluate(text: &str, template: &Value, meter: &Meter) -> Option<Evaluated> {
    evaluate_metered(text, template, None, meter)
}

/// [`evaluate`] for one instance of a resource's `copy` loop, under a budget of its own: `copyIndex()` is `copy_index`
/// (`copyIndex(n)` adds `n`); without one, `copyIndex()` is not known.
#[cfg(any(test, feature = "fuzzing"))]
pub fn evaluate_at(text: &str, template: &Value, copy_index: Option<usize>) -> Option<Evaluated> {
    evaluate_metered(
        text,
        template,
        copy_index,
        &Meter::new(crate::limits::ARM_MAX_STEPS),
    )
}

/// [`evaluate_at`] under a template's work budget: past it, the expression is not followed
/// (and the template, which owns `meter`, is refused).
pub(crate) fn evaluate_metered(
    text: &str,
    template: &Value,
    copy_index: Option<usize>,
    meter: &Meter,
) -> Option<Evaluated> {
    evaluate_within(text, template, copy_index, 0, meter)
}

/// [`evaluate_at`] of an expression `depth` calls and variables deep: a variable whose value
/// is an expression is evaluated within the depth of the one that names it, so that one that
/// names itself ends.
fn evaluate_within(
    text: &str,
    template: &Value,
    copy_index: Option<usize>,
    depth: usize,
    meter: &Meter,
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
        meter,
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

fn short(text: &str) -> String {
    let mut cut: String = text.chars().take(60).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    cut
}

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

#[cfg(test)]
mod tests;
