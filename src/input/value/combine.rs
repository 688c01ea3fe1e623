//! Values combined and compared: `merge()` and `union()` of maps, `union()` of lists,
//! `coalesce()`, and equality.

use std::collections::HashMap;

use super::{Field, Host, Map, Member, Merge, Shape, Value, force, name_of};

/// `merge(a, b, …)` (Terraform), a spread or `union(a, b, …)` of maps (ARM, Bicep), as `how`
/// says, or `union()` of lists (the elements of each, as a set: an element equal to an
/// earlier one is left out). A map only a deployment knows keeps the fields before it, each
/// read on the assumption that it does not replace them, and leaves the result open; a
/// `null` map adds nothing; a value known to be lacking stays so; anything else (a string, a
/// number) is the host's error, lacking too (`what`, at `at`). Each field merged is charged
/// to the host's budget.
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
    let mut merged = Merged::default();
    let mut assumed = Vec::new();
    for value in values {
        // Each argument is work, and so is each field it may replace: once the budget is
        // spent, nothing more is merged (what is open would otherwise multiply).
        let open = match &value.shape {
            Shape::Map(map) => map.open.len(),
            _ => 1,
        };
        if !host.spend(1 + open * merged.map.fields.len(), at) {
            return Value::unknown(what, at).assuming(assumed);
        }
        assumed.extend(value.assumed);
        match value.shape {
            Shape::Map(map) => {
                // A key not known here may replace any field before it.
                for key in &map.open {
                    merged.not_replaced_by(&key.what);
                }
                for field in map.fields {
                    if !host.spend(1, at) {
                        return Value::unknown(what, at).assuming(assumed);
                    }
                    merged.add::<H>(host, field, how, depth);
                }
                merged.map.open.extend(map.open);
            }
            Shape::Null => {}
            Shape::Unknown(unknown) if !unknown.lacking => {
                merged.not_replaced_by(&unknown.what);
                merged.map.open.push(unknown);
            }
            Shape::Unknown(unknown) => {
                return Value::written(Shape::Unknown(unknown)).assuming(assumed);
            }
            _ => return Value::lacking(what, at).assuming(assumed),
        }
    }
    Value::written(Shape::Map(merged.map)).assuming(assumed)
}

/// A map being merged, with where each key is (by the host's rules) so that a merge of many
/// fields stays linear.
struct Merged<N> {
    map: Map<N>,
    index: HashMap<String, usize>,
}

impl<N> Default for Merged<N> {
    fn default() -> Self {
        Merged {
            map: Map::default(),
            index: HashMap::new(),
        }
    }
}

impl<N: Clone> Merged<N> {
    /// Every field so far is read on the assumption that `what` does not replace it.
    fn not_replaced_by(&mut self, what: &str) {
        let what = name_of(what);
        for field in &mut self.map.fields {
            field
                .assumed
                .push(format!("{what} does not replace `{}`", name_of(&field.key)));
        }
    }

    /// Adds `field`: a new key at the end, a key already there replaced in its place (or,
    /// under [`Merge::Deep`], merged with it where both are maps, or one is a map and the
    /// other only a deployment knows: the result is then open).
    fn add<H: Host<Node = N>>(&mut self, host: &H, field: Field<N>, how: Merge, depth: usize) {
        let key = key_of::<H>(&field.key);
        let Some(&position) = self.index.get(&key) else {
            self.index.insert(key, self.map.fields.len());
            self.map.fields.push(field);
            return;
        };
        let Some(earlier) = self.map.fields.get_mut(position) else {
            return;
        };
        if how == Merge::Deep {
            let before = force(host, earlier.value.clone(), depth);
            let after = force(host, field.value.clone(), depth);
            let mergeable = |value: &Value<N>| {
                matches!(value.shape, Shape::Map(_)) || value.is_from_deployment()
            };
            let maps =
                matches!(before.shape, Shape::Map(_)) || matches!(after.shape, Shape::Map(_));
            if maps && mergeable(&before) && mergeable(&after) {
                let what = field.key.clone();
                let both = vec![before, after];
                let merged = merge(host, how, both, &what, field.key_at, depth + 1);
                earlier.value = Member::Value(Box::new(merged));
                earlier.assumed.extend(field.assumed);
                return;
            }
        }
        *earlier = field;
    }
}

/// A key as the host compares keys.
fn key_of<H: Host>(key: &str) -> String {
    if H::RULES.keys_ignore_case {
        key.to_ascii_lowercase()
    } else {
        key.to_owned()
    }
}

/// `union()` of lists: each element once, in order of first appearance, where equality is
/// decided for every pair (see [`equals`]); otherwise unknown.
fn union_lists<H: Host>(
    host: &H,
    values: Vec<Value<H::Node>>,
    what: &str,
    at: usize,
    depth: usize,
) -> Value<H::Node> {
    let mut items: Vec<Value<H::Node>> = Vec::new();
    let mut assumed = Vec::new();
    for value in values {
        assumed.extend(value.assumed);
        let list = match value.shape {
            Shape::List(list) => list,
            Shape::Null => continue,
            Shape::Unknown(unknown) => {
                return Value::written(Shape::Unknown(unknown)).assuming(assumed);
            }
            _ => return Value::lacking(what, at).assuming(assumed),
        };
        for item in list {
            let item = force(host, item, depth);
            let mut seen = false;
            for earlier in &items {
                // Each comparison is work: a union of long lists is charged by its pairs.
                if !host.spend(1, at) {
                    return Value::unknown(what, at).assuming(assumed);
                }
                match equals(host, earlier, &item, depth) {
                    Some(true) => {
                        seen = true;
                        break;
                    }
                    Some(false) => {}
                    None => return Value::unknown(what, at).assuming(assumed),
                }
            }
            if !seen {
                items.push(item);
            }
        }
    }
    let items = items
        .into_iter()
        .map(|item| Member::Value(Box::new(item)))
        .collect();
    Value::written(Shape::List(items)).assuming(assumed)
}

/// Whether two values are equal, where that is decided here: scalars of one type (numbers by
/// value, so `1.0` is `1`; strings exactly, or, where the host's string comparison is not
/// known, only when they are equal or differ even ignoring case), lists element by element,
/// maps key by key (keys by the host's rules), and `null` equal only to `null`; `None` where a
/// value is not known, or the two are of other different types (which Terraform and Bicep
/// convert in ways azabac does not follow).
pub(crate) fn equals<H: Host>(
    host: &H,
    a: &Value<H::Node>,
    b: &Value<H::Node>,
    depth: usize,
) -> Option<bool> {
    if depth > crate::limits::VALUE_MAX_JSON_DEPTH {
        return None;
    }
    match (&a.shape, &b.shape) {
        (Shape::Null, Shape::Null) => Some(true),
        // `null` against any value that is there (a string, even one not known whole).
        (Shape::Null, Shape::Unknown(_)) | (Shape::Unknown(_), Shape::Null) => None,
        (Shape::Null, _) | (_, Shape::Null) => Some(false),
        (Shape::Bool(x), Shape::Bool(y)) => Some(x == y),
        (Shape::Number(x), Shape::Number(y)) => {
            // Integers exactly (ARM's are 64-bit, Terraform's exact), others by value.
            if let (Ok(x), Ok(y)) = (x.parse::<i128>(), y.parse::<i128>()) {
                return Some(x == y);
            }
            let (x, y) = (x.parse::<f64>().ok()?, y.parse::<f64>().ok()?);
            Some(x == y)
        }
        (Shape::Text(x), Shape::Text(y)) => {
            if !x.unresolved.is_empty() || !y.unresolved.is_empty() {
                return None;
            }
            if x.text == y.text {
                Some(true)
            } else if H::RULES.text_case_known || !x.text.eq_ignore_ascii_case(&y.text) {
                Some(false)
            } else {
                None
            }
        }
        (Shape::List(x), Shape::List(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            for (x, y) in x.iter().zip(y) {
                let x = force(host, x.clone(), depth);
                let y = force(host, y.clone(), depth);
                if !equals(host, &x, &y, depth + 1)? {
                    return Some(false);
                }
            }
            Some(true)
        }
        (Shape::Map(x), Shape::Map(y)) if x.open.is_empty() && y.open.is_empty() => {
            if x.fields.len() != y.fields.len() {
                return Some(false);
            }
            for field in &x.fields {
                let Some(other) = y.field::<H>(&field.key) else {
                    return Some(false);
                };
                let x = force(host, field.value.clone(), depth);
                let y = force(host, other.value.clone(), depth);
                if !equals(host, &x, &y, depth + 1)? {
                    return Some(false);
                }
            }
            Some(true)
        }
        _ => None,
    }
}

/// `coalesce(a, b, …)` (and `??`): the first value that is not `null`, read on the
/// assumptions of those before it. A value not known before it is the result (whether it is
/// `null` is not known here), the module's input only where each value after it is an input or
/// nothing (`null`, `[]`, `{}`, `''`); every value `null` is `null`.
pub(crate) fn coalesce<N>(values: Vec<Value<N>>) -> Value<N> {
    let mut assumed = Vec::new();
    let mut values = values.into_iter();
    while let Some(mut value) = values.next() {
        match &mut value.shape {
            Shape::Null => assumed.extend(value.assumed),
            // Not known here: the value, or one after it where it is `null`. The module's
            // input only where everything after it is an input or `null` too; a value only a
            // deployment knows (a module's output) may be the one taken.
            Shape::Unknown(unknown) => {
                if unknown.input {
                    unknown.input = values.all(|later| match &later.shape {
                        Shape::Null => true,
                        Shape::Unknown(later) => later.input && !later.lacking,
                        // Nothing (`roleAssignments ?? []`): no item, no condition.
                        Shape::List(items) => items.is_empty(),
                        Shape::Map(map) => map.fields.is_empty() && map.open.is_empty(),
                        Shape::Text(text) => text.text.is_empty() && text.unresolved.is_empty(),
                        _ => false,
                    });
                }
                return value.assuming(assumed);
            }
            _ => return value.assuming(assumed),
        }
    }
    Value::written(Shape::Null).assuming(assumed)
}
