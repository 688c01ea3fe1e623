//! Terraform's type constraints as a variable's value is converted to them: an object
//! attribute `optional(T)` that a value leaves out is `null`, `optional(T, D)` is `D` (also for
//! a value's `null`), through `map()`, `list()`, `set()` and nested `object()`s.

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey};

use super::super::value::{self, Field, Member, Shape};
use super::value::{Node, Value};
use super::{MAX_REFERENCE_DEPTH, Reader};

impl<'b> Reader<'_, 'b, '_> {
    /// `value` as Terraform converts it to the variable's type `ty`: an object attribute the
    /// type makes `optional(T)` and the value leaves out is `null` (`optional(T, D)`: `D`,
    /// written in the type, also where the value gives `null`). Only what holds such an attribute is read for it; anything else
    /// stays as it is (Terraform would refuse a value of another type).
    pub(super) fn conform(
        &self,
        value: Value<'b>,
        (file, ty): (usize, &'b Expression),
        depth: usize,
    ) -> Value<'b> {
        let Expression::FuncCall(call) = ty else {
            return value;
        };
        if depth > MAX_REFERENCE_DEPTH || !has_optional(ty) {
            return value;
        }
        let args: Vec<&'b Expression> = call.args.iter().collect();
        let Value {
            shape,
            assumed,
            node,
        } = value;
        let shape = match (call.name.name.as_str(), args.as_slice(), shape) {
            ("object", [Expression::Object(attributes)], Shape::Map(mut map)) => {
                for (key, attribute) in attributes.iter() {
                    let Some(name) = type_key(key) else { continue };
                    let attribute = attribute.expr();
                    // `optional(T)` or `optional(T, D)`: `T`, and the default if left out.
                    let (inner, missing) = match attribute {
                        Expression::FuncCall(optional)
                            if optional.name.name.as_str() == "optional" =>
                        {
                            let mut args = optional.args.iter();
                            let inner = args.next();
                            let missing = match args.next() {
                                Some(default) => Member::Node(Node {
                                    file,
                                    expr: default,
                                    bound: None,
                                }),
                                None => Member::Value(Box::new(value::Value::written(Shape::Null))),
                            };
                            (inner, Some(missing))
                        }
                        _ => (Some(attribute), None),
                    };
                    match map.fields.iter_mut().find(|f| f.key == name) {
                        Some(field) => {
                            let defaulted = matches!(&missing, Some(Member::Node(_)));
                            if defaulted || inner.is_some_and(has_optional) {
                                let member = std::mem::replace(
                                    &mut field.value,
                                    Member::Value(Box::new(value::Value::written(Shape::Null))),
                                );
                                let mut forced = value::force(self, member, depth);
                                // `null` given where the type has a default: the default,
                                // as Terraform's conversion fills it.
                                if defaulted
                                    && matches!(forced.shape, Shape::Null)
                                    && let Some(default) = missing
                                {
                                    forced =
                                        value::force(self, default, depth).assuming(forced.assumed);
                                }
                                if let Some(inner) = inner.filter(|t| has_optional(t)) {
                                    forced = self.conform(forced, (file, inner), depth + 1);
                                }
                                field.value = Member::Value(Box::new(forced));
                            }
                        }
                        None => {
                            if let Some(missing) = missing {
                                let key_at = node
                                    .as_ref()
                                    .and_then(|n| n.expr.span())
                                    .map_or(0, |s| s.start);
                                map.fields.push(Field {
                                    key: name.to_owned(),
                                    key_at,
                                    value: missing,
                                    assumed: Vec::new(),
                                });
                            }
                        }
                    }
                }
                Shape::Map(map)
            }
            ("map", [element], Shape::Map(mut map)) => {
                for field in &mut map.fields {
                    let member = std::mem::replace(
                        &mut field.value,
                        Member::Value(Box::new(value::Value::written(Shape::Null))),
                    );
                    let forced = value::force(self, member, depth);
                    field.value =
                        Member::Value(Box::new(self.conform(forced, (file, element), depth + 1)));
                }
                Shape::Map(map)
            }
            ("list" | "set", [element], Shape::List(members)) => Shape::List(
                members
                    .into_iter()
                    .map(|member| {
                        let forced = value::force(self, member, depth);
                        Member::Value(Box::new(self.conform(forced, (file, element), depth + 1)))
                    })
                    .collect(),
            ),
            (_, _, shape) => shape,
        };
        Value {
            shape,
            assumed,
            node,
        }
    }
}

/// Whether a type constraint makes some object attribute `optional()`.
fn has_optional(ty: &Expression) -> bool {
    match ty {
        Expression::FuncCall(call) => {
            call.name.name.as_str() == "optional" || call.args.iter().any(has_optional)
        }
        Expression::Object(object) => object.iter().any(|(_, v)| has_optional(v.expr())),
        Expression::Array(items) => items.iter().any(has_optional),
        _ => false,
    }
}

/// An object type's attribute name.
fn type_key(key: &ObjectKey) -> Option<&str> {
    match key {
        ObjectKey::Ident(ident) => Some(ident.as_str()),
        ObjectKey::Expression(Expression::String(s)) => Some(s.value().as_str()),
        ObjectKey::Expression(_) => None,
    }
}
