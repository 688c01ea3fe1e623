//! `for` loops (`[for item in items: {…}]`, `[for (item, i) in …]`), read once per item when
//! the items are written literally (an array, or `items()` of an object), and an `if (…)`
//! filter decided per item where it reads the item's members written literally.

use super::super::value::{Member, Shape, equals};
use super::syntax::{Binary, Expr, For, Kind, Piece, Property};
use super::value::Values;
use super::{Found, Scope};

use crate::limits::BICEP_MAX_INSTANCES as MAX_INSTANCES;

use crate::limits::BICEP_MAX_REFERENCE_DEPTH as MAX_REFERENCE_DEPTH;

impl<'s> Scope<'s> {
    /// The items a loop runs over, when they are an array known here (see
    /// [`Scope::value_of`]: written, in a `var`, a `param`'s default, a member of one, spreads
    /// and `concat()` of such), or `items()` of an object known whole (its `{key, value}`
    /// entries in the key order Azure sorts them in), with the defaults they were read
    /// through; `None` for anything else.
    fn instances(&self, each: &For) -> Option<(Vec<Expr>, Vec<String>)> {
        let (source, entries) = match &each.source.kind {
            Kind::Call {
                target: None,
                name,
                arguments,
            } if name == "items" => match arguments.as_slice() {
                [inner] => (inner, true),
                _ => return None,
            },
            _ => (&each.source, false),
        };
        let value = self.value_of(source, 0);
        let assumed = value.assumed.clone();
        let items: Vec<Expr> = match (value.shape, entries) {
            (Shape::List(items), false) => items
                .into_iter()
                .map(|item| match item {
                    Member::Node(node) => Some(node.clone()),
                    Member::Value(value) => value.node.cloned(),
                })
                .collect::<Option<Vec<_>>>()?,
            // Items bound as `{key, value}` objects, so that the loop's body reads them as it
            // reads any object.
            (Shape::Map(map), true) if map.open.is_empty() => map
                .sorted()
                .into_iter()
                .map(|field| match field.value {
                    Member::Node(node) => Some(entry(&field.key, field.key_at, node)),
                    Member::Value(value) => Some(entry(&field.key, field.key_at, value.node?)),
                })
                .collect::<Option<Vec<_>>>()?,
            _ => return None,
        };
        (items.len() <= MAX_INSTANCES).then_some((items, assumed))
    }

    /// Calls `read` once per item of the loop when its items are written literally and its
    /// filter, if any, is decided for each (the item and index bound, the address `address[i]`
    /// with the item's index among all items, as Bicep numbers a filtered loop's instances,
    /// the assumption the items came from added), else once with the item unbound and the
    /// address as it is.
    pub(super) fn per_item(
        &self,
        each: &For,
        address: &str,
        found: &mut Vec<Found>,
        read: impl Fn(&Scope<'_>, String, &mut Vec<Found>),
    ) {
        let Some(instances) = self.filtered_instances(each) else {
            // Once, the item (and index) not known: they shadow what the file names so.
            let mut bindings = self.bindings.clone();
            bindings.push((each.item.clone(), None));
            bindings.extend(each.index.clone().map(|index| (index, None)));
            // Over the module's input, the item is what its callers give.
            let mut input_bindings = self.input_bindings.clone();
            // An input without a value here, or one whose default holds no item; never one
            // whose items are known but too many, or a filter's.
            let open_input = match &self.value_of(&each.source, 0).shape {
                Shape::Unknown(unknown) => unknown.input,
                Shape::List(items) => items.is_empty(),
                Shape::Map(map) => map.fields.is_empty() && map.open.is_empty(),
                _ => false,
            };
            if open_input && self.is_input(&each.source, 0) {
                input_bindings.push(each.item.clone());
            }
            let scope = Scope {
                bindings,
                input_bindings,
                ..*self
            };
            return read(&scope, address.to_owned(), found);
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
    fn filtered_instances(&self, each: &For) -> Option<Vec<(usize, Scope<'s>, Vec<String>)>> {
        let (items, assumed) = self.instances(each)?;
        // No instance under a default a deployment can override (a `param` default of `[]`):
        // not decided here, so that the body's condition is never hidden by a default.
        if items.is_empty() && !assumed.is_empty() {
            return None;
        }
        let mut instances = Vec::new();
        for (index, item) in items.into_iter().enumerate() {
            let scope = self.bind(each, item, index);
            let mut filtered = assumed.clone();
            if let Some(filter) = &each.filter {
                let keep = scope.holds(filter, &mut filtered, 0)?;
                // A filter decided by a default the items do not come from (`if (enabled)`)
                // does not decide which items there are.
                if filtered.iter().any(|a| !assumed.contains(a)) {
                    return None;
                }
                if !keep {
                    continue;
                }
            }
            instances.push((index, scope, filtered));
        }
        Some(instances)
    }

    /// Whether a filter's (or a ternary's) condition holds: a Boolean known here (written, or
    /// a member or default naming one, whose name goes to `assumed`), `!`, `&&` and `||` of
    /// such, or `==`/`!=` of values known here (see [`equals`]); `None` for anything else
    /// (both sides of `&&` and `||` must be known). `depth` counts toward the value depth a
    /// reference may lead to, so that names whose ternaries read each other end.
    pub(super) fn holds(
        &self,
        condition: &Expr,
        assumed: &mut Vec<String>,
        depth: usize,
    ) -> Option<bool> {
        if depth > MAX_REFERENCE_DEPTH {
            return None;
        }
        match &condition.kind {
            Kind::Parenthesized(inner) => self.holds(inner, assumed, depth + 1),
            Kind::Unary {
                operator: b'!',
                operand,
            } => self.holds(operand, assumed, depth + 1).map(|b| !b),
            Kind::Binary {
                operator: Binary::And,
                left,
                right,
            } => Some(
                self.holds(left, assumed, depth + 1)? && self.holds(right, assumed, depth + 1)?,
            ),
            Kind::Binary {
                operator: Binary::Or,
                left,
                right,
            } => Some(
                self.holds(left, assumed, depth + 1)? || self.holds(right, assumed, depth + 1)?,
            ),
            Kind::Binary {
                operator: operator @ (Binary::Equal | Binary::NotEqual),
                left,
                right,
            } => {
                let left = self.value_of(left, depth + 1);
                let right = self.value_of(right, depth + 1);
                let same = equals(&Values(self), &left, &right, depth)?;
                assumed.extend(left.assumed);
                assumed.extend(right.assumed);
                Some(same == (*operator == Binary::Equal))
            }
            _ => {
                let value = self.value_of(condition, depth + 1);
                let Shape::Bool(holds) = value.shape else {
                    return None;
                };
                assumed.extend(value.assumed);
                Some(holds)
            }
        }
    }

    /// This scope with a loop's item (and index) bound for one instance.
    fn bind(&self, each: &For, item: Expr, index: usize) -> Scope<'s> {
        let mut bindings = self.bindings.clone();
        bindings.push((each.item.clone(), Some(item)));
        if let Some(name) = &each.index {
            // An integer, as Bicep's index is: `items[i]` indexes a list with it.
            bindings.push((
                name.clone(),
                Some(Expr {
                    kind: Kind::Integer(index.to_string()),
                    span: each.at..each.at,
                }),
            ));
        }
        Scope {
            bindings,
            input_bindings: self.input_bindings.clone(),
            ..*self
        }
    }
}

/// `{key: 'key', value: value}`, one entry of `items()`.
fn entry(key: &str, at: usize, value: &Expr) -> Expr {
    let key = Expr {
        kind: Kind::String(vec![Piece::Text(key.to_owned(), vec![at; key.len()])]),
        span: at..at,
    };
    Expr {
        kind: Kind::Object(vec![
            Property::Value {
                key: "key".to_owned(),
                key_at: at,
                value: key,
            },
            Property::Value {
                key: "value".to_owned(),
                key_at: at,
                value: value.clone(),
            },
        ]),
        span: at..at,
    }
}

impl Scope<'_> {
    /// Whether `expr` is the module's input, or nothing (`[]`, `{}`, `null`) written here.
    fn input_or_written(&self, expr: &Expr, depth: usize) -> bool {
        match &expr.kind {
            Kind::Null => true,
            Kind::Array(items) => items.is_empty(),
            Kind::Object(properties) => properties.is_empty(),
            Kind::Call {
                target: None,
                name,
                arguments,
            } => matches!(name.as_str(), "createArray" | "createObject") && arguments.is_empty(),
            _ => self.is_input(expr, depth),
        }
    }

    /// Whether a loop's collection is the module's input as written: a `param` (its default,
    /// if any, only what callers leave out), a binding read once over one, a member of either,
    /// or `coalesce()`, `??`, `items()`, `union()`/`concat()` whose first argument is one.
    fn is_input(&self, expr: &Expr, depth: usize) -> bool {
        if depth > MAX_REFERENCE_DEPTH {
            return false;
        }
        match &expr.kind {
            Kind::Name(name) => match self.bindings.iter().rev().find(|(n, _)| n == name) {
                Some((_, None)) => self.input_bindings.contains(name),
                Some((_, Some(_))) => false,
                None => {
                    !self.vars.contains_key(name)
                        && (self.params.contains_key(name) || self.inputs.contains(name))
                }
            },
            Kind::Parenthesized(inner) | Kind::NonNull(inner) => self.is_input(inner, depth + 1),
            Kind::Member { target, .. } | Kind::Index { target, .. } => {
                self.is_input(target, depth + 1)
            }
            // Every argument the module's input or written here (`roleAssignments ?? []`):
            // a value only a deployment knows may be among the items.
            Kind::Binary {
                operator: Binary::Coalesce,
                left,
                right,
            } => self.is_input(left, depth + 1) && self.input_or_written(right, depth + 1),
            Kind::Call {
                target: None,
                name,
                arguments,
            } if matches!(name.as_str(), "coalesce" | "union" | "concat") => {
                arguments.iter().any(|a| self.is_input(a, depth + 1))
                    && arguments
                        .iter()
                        .all(|a| self.input_or_written(a, depth + 1))
            }
            Kind::Call {
                target: None,
                name,
                arguments,
            } if name == "items" => {
                matches!(arguments.as_slice(), [only] if self.is_input(only, depth + 1))
            }
            _ => false,
        }
    }
}
