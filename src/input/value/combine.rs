//! Values combined: `merge()` and `union()` of maps, `union()` of lists, and `coalesce()`.

use super::{Field, Host, Map, Member, Merge, Shape, Value, force, same_key};

/// `merge(a, b, …)` (Terraform), a spread or `union(a, b, …)` of maps (ARM, Bicep), as `how`
/// says, or `union()` of lists (the elements of each, as a set: an element equal to an earlier one
/// is left out). A map that is not known keeps the fields before it, each read on the
/// assumption that it does not replace them, and leaves the result open; a `null` map adds
/// nothing. Anything else makes the result unknown, `what`, at `at`.
pub(crate) fn merge<H: Host>(
    host: &H,
    how: Merge,
    values: Vec<Value<H::Node>>,
    what: &str,
    at: usize,
    depth: usize,
) -> Value<H::Node> {
    if how == Merge::Deep && values.iter().any(|v| matches!(v.shape, Shape::List(_))) {
        return union_lists(host, values, what, at, depth);
    }
    let mut merged = Map {
        fields: Vec::new(),
        open: Vec::new(),
    };
    let mut assumed = Vec::new();
    for value in values {
        assumed.extend(value.assumed);
        match value.shape {
            Shape::Map(map) => {
                // A key not known here may replace any field before it.
                for key in &map.open {
                    for field in &mut merged.fields {
                        field
                            .assumed
                            .push(format!("{} does not replace `{}`", key.what, field.key));
                    }
                }
                for field in map.fields {
                    merge_field(host, &mut merged.fields, field, how, depth);
                }
                merged.open.extend(map.open);
            }
            Shape::Null => {}
            Shape::Unknown(unknown) if !unknown.lacking => {
                for field in &mut merged.fields {
                    field
                        .assumed
                        .push(format!("{} does not replace `{}`", unknown.what, field.key));
                }
                merged.open.push(unknown);
            }
            _ => return Value::unknown(what, at),
        }
    }
    Value::written(Shape::Map(merged)).assuming(assumed)
}

/// Adds `field` to `fields`: a new key at the end, a key already there replaced in its place
/// (or, under [`Merge::Deep`], merged with it where both are maps).
fn merge_field<H: Host>(
    host: &H,
    fields: &mut Vec<Field<H::Node>>,
    field: Field<H::Node>,
    how: Merge,
    depth: usize,
) {
    let Some(earlier) = fields
        .iter_mut()
        .find(|f| same_key::<H>(&f.key, &field.key))
    else {
        fields.push(field);
        return;
    };
    if how == Merge::Deep {
        let before = force(host, earlier.value.clone(), depth);
        let after = force(host, field.value.clone(), depth);
        if matches!(before.shape, Shape::Map(_)) && matches!(after.shape, Shape::Map(_)) {
            let what = field.key.clone();
            let merged = merge(
                host,
                how,
                vec![before, after],
                &what,
                field.key_at,
                depth + 1,
            );
            earlier.value = Member::Value(Box::new(merged));
            earlier.assumed.extend(field.assumed);
            return;
        }
    }
    *earlier = field;
}

/// `union()` of lists: each element once, in order of first appearance, where every element
/// is a scalar known here (so that equality is decided); otherwise unknown.
fn union_lists<H: Host>(
    host: &H,
    values: Vec<Value<H::Node>>,
    what: &str,
    at: usize,
    depth: usize,
) -> Value<H::Node> {
    let mut items: Vec<Member<H::Node>> = Vec::new();
    let mut seen: Vec<Scalar> = Vec::new();
    let mut assumed = Vec::new();
    for value in values {
        assumed.extend(value.assumed);
        let Shape::List(list) = value.shape else {
            return Value::unknown(what, at);
        };
        for item in list {
            let forced = force(host, item, depth);
            let Some(scalar) = Scalar::of(&forced) else {
                return Value::unknown(what, at);
            };
            if !seen.contains(&scalar) {
                seen.push(scalar);
                items.push(Member::Value(Box::new(forced)));
            }
        }
    }
    Value::written(Shape::List(items)).assuming(assumed)
}

/// A scalar known here, for comparing list elements.
#[derive(PartialEq)]
enum Scalar {
    Null,
    Bool(bool),
    Number(String),
    Text(String),
}

impl Scalar {
    fn of<N>(value: &Value<N>) -> Option<Scalar> {
        Some(match &value.shape {
            Shape::Null => Scalar::Null,
            Shape::Bool(b) => Scalar::Bool(*b),
            Shape::Number(n) => Scalar::Number(n.clone()),
            Shape::Text(t) if t.unresolved.is_empty() => Scalar::Text(t.text.clone()),
            _ => return None,
        })
    }
}

/// `coalesce(a, b, …)` (and `??`): the first value that is not `null`, read on the
/// assumptions of those before it. A value not known before it makes the result unknown,
/// `what` at `at`; every value `null` is `null`.
pub(crate) fn coalesce<N>(values: Vec<Value<N>>, what: &str, at: usize) -> Value<N> {
    let mut assumed = Vec::new();
    for value in values {
        match value.shape {
            Shape::Null => assumed.extend(value.assumed),
            Shape::Unknown(_) => return Value::unknown(what, at).assuming(assumed),
            _ => return value.assuming(assumed),
        }
    }
    Value::written(Shape::Null).assuming(assumed)
}
