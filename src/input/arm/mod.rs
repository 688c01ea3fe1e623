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

mod eval;
mod roles;
mod syntax;

pub(crate) use eval::Arm;
pub use roles::{defined_role, role_reference};

/// An evaluated expression: the value layer's [`Text`](super::value::Text), its offsets into
/// the expression's text.
pub use super::value::Text as Evaluated;

use super::meter::Meter;
use super::value::Shape;

/// The key azabac's copy of a nested template gives a parameter the deployment passes a
/// value known here: what reading it assumed (the enclosing template's defaults), as strings.
pub(crate) const PASSED: &str = "azabac:passed";

/// The key azabac's copy of a nested template gives a parameter the deployment passes a
/// value not known here: reading it is a value only a deployment knows.
pub(crate) const UNKNOWN: &str = "azabac:unknown";

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
    let value = value_of(text, template, copy_index, meter)?;
    Some(as_text(value, text))
}

/// The value of `text` if it is an ARM expression, as the value layer holds it.
pub(crate) fn value_of<'t>(
    text: &str,
    template: &'t Value,
    copy_index: Option<usize>,
    meter: &'t Meter,
) -> Option<eval::Value<'t>> {
    let arm = Arm {
        template,
        copy_index,
        input_copy: false,
        meter,
    };
    value_with(&arm, text)
}

/// `value` as JSON, every member evaluated in `template`; `None` where anything in it is known
/// only at deployment.
pub(crate) fn to_json(value: eval::Value<'_>, template: &Value, meter: &Meter) -> Option<Value> {
    let arm = Arm {
        template,
        copy_index: None,
        input_copy: false,
        meter,
    };
    value.into_json(&arm, 0)
}

/// [`value_of`] for a resource read once over a `copy` loop of the template's input (a
/// parameter's items, none by default): `copyIndex()` is an item the caller gives.
pub(crate) fn value_over_input<'t>(
    text: &str,
    template: &'t Value,
    meter: &'t Meter,
) -> Option<eval::Value<'t>> {
    let arm = Arm {
        template,
        copy_index: None,
        input_copy: true,
        meter,
    };
    value_with(&arm, text)
}

fn value_with<'t>(arm: &Arm<'t>, text: &str) -> Option<eval::Value<'t>> {
    Some(match syntax::parse(text, arm.meter)? {
        Ok(expr) => arm.eval(&expr, text, 0),
        Err(_) => eval::Value::unknown(format!("the ARM expression `{}`", short(text)), 0),
    })
}

/// An expression's value as a condition's text, ending at the expression's closing `]`.
pub(crate) fn as_text(value: eval::Value<'_>, text: &str) -> Evaluated {
    let what = format!("the ARM expression `{}`", short(text));
    let mut evaluated = eval::text(value, &what, 0);
    evaluated.offsets.truncate(evaluated.text.len());
    evaluated.offsets.push(text.len().saturating_sub(1));
    evaluated
}

fn short(text: &str) -> String {
    let mut cut: String = text.chars().take(60).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    cut
}

/// Whether `text` is an ARM expression whose value is `null` (a parameter whose default is
/// `null`, a `tryGet()` of a member the value lacks): no value at all, such as a condition
/// left out. `meter` is the template's budget.
#[cfg(any(test, feature = "fuzzing"))]
pub fn is_null(text: &str, template: &Value, meter: &Meter) -> bool {
    value_of(text, template, None, meter).is_some_and(|value| value.as_null().is_some())
}

/// Whether `text` is an ARM expression that calls `copyIndex()`.
pub(crate) fn reads_copy_index(text: &str, meter: &Meter) -> bool {
    matches!(syntax::parse(text, meter), Some(Ok(expr)) if expr.calls("copyindex"))
}

pub use crate::limits::ARM_MAX_COPIES as MAX_COPIES;

/// The number of instances of a resource's `copy` loop, when its `count` is a number or an
/// expression whose value is one (`[length(variables('x'))]`), with the parameters' defaults
/// it assumes; `None` for anything else. `meter` is the template's budget, which every
/// expression of the template shares.
pub fn copy_count(
    resource: &Value,
    template: &Value,
    meter: &Meter,
) -> Option<(usize, Vec<String>)> {
    let count = resource.get("copy")?.get("count")?;
    if let Some(n) = count.as_u64() {
        return Some((usize::try_from(n).ok()?, Vec::new()));
    }
    let value = value_of(count.as_str()?, template, None, meter)?;
    match &value.shape {
        Shape::Number(n) => Some((n.parse().ok()?, value.assumed)),
        _ => None,
    }
}

/// Whether a resource's `copy` loop runs over the template's input: its count is known only
/// from a parameter without a default, or is none under a parameter's default.
pub(crate) fn copies_input(resource: &Value, template: &Value, meter: &Meter) -> bool {
    let Some(count) = resource
        .get("copy")
        .and_then(|c| c.get("count"))
        .and_then(Value::as_str)
    else {
        return false;
    };
    match value_of(count, template, None, meter).map(|v| (v.shape, v.assumed)) {
        Some((Shape::Unknown(unknown), _)) => unknown.input,
        Some((Shape::Number(n), assumed)) => n == "0" && !assumed.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests;
