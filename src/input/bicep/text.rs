//! Bicep values as strings, as far as literals resolve: strings decoded with their offsets,
//! interpolations, `var`s and `param` defaults (assumptions), loop bindings and their members,
//! and role definition references, each read from the parsed expression.

use super::super::value::Shape;
use super::Scope;
use super::syntax::{Expr, Kind, Piece};
use super::value::Values;

/// A string value as far as it resolves: the value layer's
/// [`Text`](crate::input::value::Text).
pub(super) use super::super::value::Text as Value;

impl Scope<'_> {
    /// Whether `expr` is `null` (see [`Scope::value_of`]): written so, a `var` or a member
    /// holding it, a safe member the value lacks, a ternary or `??` that comes to it, or a
    /// `param` whose default it is (under the default there is no value, such as a condition
    /// left out). `Some` with the defaults it took when it is `null`.
    pub(super) fn is_null(&self, expr: &Expr) -> Option<Vec<String>> {
        match &expr.kind {
            // A string, a number, a collection: never `null`, and not evaluated to tell.
            Kind::String(_)
            | Kind::Integer(_)
            | Kind::Bool(_)
            | Kind::Object(_)
            | Kind::Array(_)
            | Kind::For(_) => None,
            _ => self.value_of(expr, 0).as_null().map(<[String]>::to_vec),
        }
    }

    /// `expr` as a string, as far as it resolves; `at` is where it sits in the file.
    pub(super) fn string(&self, expr: &Expr, at: usize, depth: usize) -> Value {
        let mut value = Value::default();
        match &expr.kind {
            Kind::String(pieces) => {
                for piece in pieces {
                    match piece {
                        Piece::Text(text, offsets) => {
                            value.text.push_str(text);
                            value.offsets.extend(offsets);
                        }
                        Piece::Hole(hole, at) => self.interpolate(&mut value, hole, *at, depth),
                    }
                }
            }
            Kind::Object(_) | Kind::Array(_) | Kind::For(_) => {
                value.unresolved.push("a value that is not a string".into());
            }
            _ => value.extend(self.reference(expr, at, depth), Some(at)),
        }
        value
    }

    /// `${hole}` at `at`, appended to `value`.
    fn interpolate(&self, value: &mut Value, hole: &Expr, at: usize, depth: usize) {
        let source = self.source(hole);
        if self.is_role_definition_id(hole) {
            // A resource id for sure, known or not: kept as written (with its `${` and `}`),
            // so that the error points at it.
            let written = format!("${{{source}}}");
            let start = value.text.len();
            value.text.push_str(&written);
            value.offsets.extend((0..written.len()).map(|i| at + i));
            value.unresolved.push(source.clone());
            value
                .resource_ids
                .push((start..start + written.len(), source));
            return;
        }
        let inner = self.reference(hole, at, depth);
        // What the value adds to the output: its text, and the names of what it leaves open.
        if !self.spend(inner.cost(), at) {
            value.unresolved.push(past_budget());
            return;
        }
        value.extend(inner, Some(at));
    }

    /// Spends `bytes` of the file's budget for resolved values, for the value at `at`;
    /// `false` once it is spent.
    pub(super) fn spend(&self, bytes: usize, at: usize) -> bool {
        self.budget.spend(bytes, at)
    }

    /// Any other expression as a string (see [`Scope::value_of`]): a `var` of a literal, a
    /// loop's item, a member of one, a `param`'s default (an assumption), a ternary or `??`
    /// decided offline; a value only a deployment knows is named as written, with a hole at
    /// `at`.
    pub(super) fn reference(&self, expr: &Expr, at: usize, depth: usize) -> Value {
        // Each reference costs a byte too, so that empty values cannot multiply the work.
        if !self.spend(1, at) {
            return Value {
                unresolved: vec![past_budget()],
                ..Value::default()
            };
        }
        let value = self.value_of(expr, depth);
        let mut text = match &value.shape {
            Shape::Unknown(unknown) if unknown.lacking => Value::missing(self.source(expr)),
            Shape::Unknown(unknown) if unknown.input => Value::input(self.source(expr), at),
            // A `var` not followed: named with why (`name (a construct … at line N: …)`).
            Shape::Unknown(unknown) if matches!(&expr.kind, Kind::Name(name) if self.unfollowed.contains_key(name)) => {
                Value::unresolved(unknown.what.clone(), at)
            }
            Shape::Unknown(_) => Value::unresolved(self.source(expr), at),
            _ => {
                let what = self.source(expr);
                return value.into_text::<Values<'_, '_>>((&what, at), |cost| self.spend(cost, at));
            }
        };
        text.assumed.extend(value.assumed);
        text
    }
}

/// What a value past the file's budget is, for the report.
fn past_budget() -> String {
    format!(
        "values past azabac's budget of {} bytes per Bicep file",
        crate::limits::BICEP_MAX_VALUE_BYTES
    )
}
