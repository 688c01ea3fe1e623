//! A collection's entries: a loop's elements (`for`, `for_each`, Bicep's `[for …]`), and
//! `keys()`, `values()` and `items()` (Bicep's and ARM's `objectKeys()`), each in the order
//! the hosts give them.

use super::{Field, Map, Member, Shape, Text, Value};

impl<N> Value<N> {
    /// The elements a loop runs over: a list's, each named by its index, or a map's known
    /// whole, each named by its key, in the order written; `None` for anything else (a map a
    /// deployment may add to among them).
    pub fn elements(self) -> Option<Vec<(String, Member<N>)>> {
        match self.shape {
            Shape::List(items) => Some(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(index, item)| (index.to_string(), item))
                    .collect(),
            ),
            Shape::Map(map) if map.open.is_empty() => {
                Some(map.fields.into_iter().map(|f| (f.key, f.value)).collect())
            }
            _ => None,
        }
    }

    /// `length(x)` of a list, or of a map known whole; unknown (`what` at `at`) for anything
    /// else.
    pub fn length(self, (what, at): (&str, usize)) -> Value<N> {
        let length = match &self.shape {
            Shape::List(items) => items.len(),
            Shape::Map(map) if map.open.is_empty() => map.fields.len(),
            _ => return Value::unknown(what, at).assuming(self.assumed),
        };
        Value::written(Shape::Number(length.to_string())).assuming(self.assumed)
    }

    /// `keys(map)`, `values(map)` or `items(map)` of a map known whole, in key order (see
    /// [`Map::sorted`]): its keys as strings (each mapped to where it is written), its values,
    /// or one `{key, value}` map per field; unknown (`what` at `at`) for anything else.
    pub fn entries(self, part: Part, (what, at): (&str, usize)) -> Value<N> {
        let Value { shape, assumed, .. } = self;
        let Shape::Map(map) = shape else {
            return Value::unknown(what, at).assuming(assumed);
        };
        if !map.open.is_empty() {
            return Value::unknown(what, at).assuming(assumed);
        }
        let key_text = |field: &Field<N>| {
            let mut key = Text::default();
            key.push(&field.key, field.key_at);
            Member::Value(Box::new(Value::written(Shape::Text(key))))
        };
        let items = map
            .sorted()
            .into_iter()
            .map(|field| match part {
                Part::Keys => key_text(&field),
                Part::Values => field.value,
                Part::Items => {
                    let key = key_text(&field);
                    let pair = |name: &str, value| Field {
                        key: name.to_owned(),
                        key_at: field.key_at,
                        value,
                        assumed: Vec::new(),
                    };
                    let entry = Map {
                        fields: vec![pair("key", key), pair("value", field.value)],
                        open: Vec::new(),
                    };
                    Member::Value(Box::new(Value::written(Shape::Map(entry))))
                }
            })
            .collect();
        Value::written(Shape::List(items)).assuming(assumed)
    }
}

/// Which part of a map's entries [`Value::entries`] gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    Keys,
    Values,
    Items,
}

impl<N> Map<N> {
    /// The fields in the order `keys()`, `values()` and `items()` give them: by key, ordinal
    /// (the order Terraform, Bicep and ARM sort keys in).
    pub fn sorted(mut self) -> Vec<Field<N>> {
        self.fields.sort_by(|a, b| a.key.cmp(&b.key));
        self.fields
    }
}
