//! `for` loops (`[for item in items: {…}]`, `[for (item, i) in …]`), read once per item when
//! the items are written literally (an array, or `items()` of an object), and an `if (…)`
//! filter decided per item where it reads the item's members written literally.

use super::values::{Step, member_path};
use super::{ForLoop, Found, Node, Part, Scope, get};

use crate::limits::BICEP_MAX_INSTANCES as MAX_INSTANCES;

use crate::limits::BICEP_MAX_FILTER_DEPTH as MAX_FILTER_DEPTH;

impl<'s> Scope<'s> {
    /// The items a loop runs over, when they are an array written literally, or `items()` of
    /// an object written literally (its `{key, value}` entries in the key order Azure sorts
    /// them in): a `var`, a `param`'s default (an assumption, named in the second field), or a
    /// member of one; `None` for anything else.
    fn instances(&self, each: &ForLoop) -> Option<(Vec<Node>, Option<String>)> {
        let source = each.source.trim();
        let (source, entries) = match source
            .strip_prefix("items(")
            .and_then(|rest| rest.strip_suffix(')'))
        {
            Some(inner) => (inner.trim(), true),
            None => (source, false),
        };
        let (node, assumed) = self.node(source)?;
        let items = match (node, entries) {
            (Node::Array(items), false) => items.clone(),
            (Node::Object(fields), true) => {
                let mut fields: Vec<_> = fields.iter().collect();
                fields.sort_by(|a, b| a.0.cmp(&b.0));
                fields
                    .into_iter()
                    .map(|(key, at, value)| {
                        let key = Node::String(vec![Part::Text(key.clone(), vec![*at; key.len()])]);
                        Node::Object(vec![
                            ("key".to_owned(), *at, key),
                            ("value".to_owned(), *at, value.clone()),
                        ])
                    })
                    .collect()
            }
            _ => return None,
        };
        (items.len() <= MAX_INSTANCES).then_some((items, assumed))
    }

    /// The node a member path (`name`, `name.key`, `name[0]`) names, through the loop's
    /// bindings, `var`s and `param` defaults (an assumption, named in the second field).
    fn node(&self, source: &str) -> Option<(&Node, Option<String>)> {
        let (root, path) = member_path(source)?;
        let (mut node, assumed) = match self.bindings.iter().rev().find(|(name, _)| name == root) {
            Some((_, node)) => (node, None),
            None => match (self.vars.get(root), self.params.get(root)) {
                (Some(node), _) => (node, None),
                (None, Some(node)) => (node, Some(format!("param {root}"))),
                (None, None) => return None,
            },
        };
        for step in &path {
            node = match (node, step) {
                (Node::Object(fields), Step::Key(key)) => get(fields, key)?,
                (Node::Array(items), Step::Index(index)) => items.get(*index)?,
                _ => return None,
            };
        }
        Some((node, assumed))
    }

    /// Calls `read` once per item of the loop when its items are written literally and its
    /// filter, if any, is decided for each (the item and index bound, the address `address[i]`
    /// with the item's index among all items, as Bicep numbers a filtered loop's instances,
    /// the assumption the items came from added), else once with the item unbound and the
    /// address as it is.
    pub(super) fn per_item(
        &self,
        each: &ForLoop,
        address: &str,
        found: &mut Vec<Found>,
        read: impl Fn(&Scope<'_>, String, &mut Vec<Found>),
    ) {
        let Some(instances) = self.filtered_instances(each) else {
            return read(self, address.to_owned(), found);
        };
        for (index, scope, assumed) in instances {
            let at = found.len();
            read(&scope, format!("{address}[{index}]"), found);
            for found in found.get_mut(at..).into_iter().flatten() {
                found.place.assumed.extend(assumed.clone());
            }
        }
    }

    /// Each instance the loop makes: its index, its scope, and what it assumed; `None` when
    /// the items or the filter of any one are not known offline.
    fn filtered_instances(&self, each: &ForLoop) -> Option<Vec<(usize, Scope<'s>, Vec<String>)>> {
        let (items, assumed) = self.instances(each)?;
        let mut instances = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let scope = self.bind(each, item, index);
            let mut assumed: Vec<String> = assumed.iter().cloned().collect();
            if let Some(filter) = &each.filter {
                let condition = filter.trim().strip_prefix("if")?;
                if !scope.holds(condition, &mut assumed, 0)? {
                    continue;
                }
            }
            instances.push((index, scope, assumed));
        }
        Some(instances)
    }

    /// Whether a filter's condition holds: a Boolean written literally (or a member naming
    /// one), `!` of one, or `==`/`!=` of strings and Booleans written literally; `None` for
    /// anything else.
    fn holds(&self, condition: &str, assumed: &mut Vec<String>, depth: usize) -> Option<bool> {
        if depth > MAX_FILTER_DEPTH {
            return None;
        }
        let condition = condition.trim();
        if let Some(inner) = condition
            .strip_prefix('(')
            .and_then(|rest| rest.strip_suffix(')'))
            .filter(|inner| balanced(inner))
        {
            return self.holds(inner, assumed, depth + 1);
        }
        if let Some(rest) = condition.strip_prefix('!')
            && !rest.starts_with('=')
        {
            return self.holds(rest, assumed, depth + 1).map(|b| !b);
        }
        for (operator, equal) in [("==", true), ("!=", false)] {
            if let Some((left, right)) = condition.split_once(operator) {
                let left = self.scalar(left, assumed)?;
                let right = self.scalar(right, assumed)?;
                if std::mem::discriminant(&left) != std::mem::discriminant(&right) {
                    // Bicep refuses to compare a string with a Boolean.
                    return None;
                }
                return Some((left == right) == equal);
            }
        }
        match self.scalar(condition, assumed)? {
            Scalar::Bool(value) => Some(value),
            Scalar::String(_) => None,
        }
    }

    /// A string or Boolean written literally, or a member naming one.
    fn scalar(&self, text: &str, assumed: &mut Vec<String>) -> Option<Scalar> {
        let text = text.trim();
        match text {
            "true" => return Some(Scalar::Bool(true)),
            "false" => return Some(Scalar::Bool(false)),
            _ => {}
        }
        if let Some(inner) = text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
            // Escapes and interpolations are not followed.
            return (!inner.contains(['\\', '\'', '$'])).then(|| Scalar::String(inner.to_owned()));
        }
        let (node, assumption) = self.node(text)?;
        let scalar = match node {
            Node::Other(other, _) if other.trim() == "true" => Scalar::Bool(true),
            Node::Other(other, _) if other.trim() == "false" => Scalar::Bool(false),
            Node::String(parts) if parts.iter().all(|p| matches!(p, Part::Text(..))) => {
                Scalar::String(
                    parts
                        .iter()
                        .map(|part| match part {
                            Part::Text(text, _) => text.as_str(),
                            Part::Interpolation(..) => "",
                        })
                        .collect(),
                )
            }
            _ => return None,
        };
        assumed.extend(assumption);
        Some(scalar)
    }

    /// This scope with a loop's item (and index) bound for one instance.
    fn bind(&self, each: &ForLoop, item: &Node, index: usize) -> Scope<'s> {
        let mut bindings = self.bindings.clone();
        bindings.push((each.item.clone(), item.clone()));
        if let Some(name) = &each.index {
            let text = index.to_string();
            let offsets = vec![each.at; text.len()];
            bindings.push((name.clone(), Node::String(vec![Part::Text(text, offsets)])));
        }
        Scope { bindings, ..*self }
    }
}

/// A value a filter compares.
#[derive(PartialEq, Eq)]
enum Scalar {
    Bool(bool),
    String(String),
}

/// Whether `text`'s parentheses pair up on their own (so `(a) == (b)` is not one group).
fn balanced(text: &str) -> bool {
    let mut depth = 0usize;
    let mut quoted = false;
    for b in text.bytes() {
        match b {
            b'\'' => quoted = !quoted,
            b'(' if !quoted => depth += 1,
            b')' if !quoted => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return false,
            },
            _ => {}
        }
    }
    depth == 0
}
