//! Bicep expressions evaluated to the shared [`Value`](crate::input::value): objects (their
//! spreads read through, shallow as Bicep spreads), arrays (spreads of arrays joined), names
//! (loop items and lambda parameters, `var`s, `param` defaults: an assumption), members and
//! safe members (`.?`, `[?…]`), indexes, the non-null assertion, ternaries decided from
//! literals, `??`, `union()`, `concat()` of arrays, `coalesce()`, `length()`, and a role
//! definition resource's `.name`. Anything else is a value only a deployment knows. Members,
//! spreads, `union()` and `??` are the value layer's, under Bicep's rules.

use super::super::value::{
    self, Field, Host, Map, Member, Merge, Part, Rules, Shape, Step, Unknown, coalesce, merge,
};
use super::Scope;
use super::syntax::{Binary, Element, Expr, Kind, Property};

use crate::limits::BICEP_MAX_REFERENCE_DEPTH as MAX_REFERENCE_DEPTH;

/// A value of the file: its members are the file's expressions.
pub(super) type Value<'a> = value::Value<&'a Expr>;

/// The file's values, as the value layer reads them: one scope's.
#[derive(Clone, Copy)]
pub(super) struct Values<'a, 's>(pub(super) &'a Scope<'s>);

impl<'a> Host for Values<'a, '_> {
    type Node = &'a Expr;
    const RULES: Rules = Rules {
        keys_ignore_case: true,
        numeric_keys_index_lists: false,
        bool_text: None,
        text_case_known: true,
    };

    fn spend(&self, units: usize, at: usize) -> bool {
        self.0.spend(units, at)
    }

    fn value(&self, node: &&'a Expr, depth: usize) -> Value<'a> {
        self.0.value_of(node, depth)
    }
}

/// What a map says of a key: a value written in the file (where its key is, and what reading
/// it assumes), nothing, or what only a deployment knows that may hold it.
pub(super) enum Lookup<'a> {
    Value(&'a Expr, usize, Vec<String>),
    Missing,
    Open(Unknown),
}

/// What `map` says of `key`, by Bicep's rules (see [`Map::field`]).
pub(super) fn get<'a>(map: &Map<&'a Expr>, key: &str) -> Lookup<'a> {
    let Some(field) = map.field::<Values<'_, '_>>(key) else {
        return match map.open.first() {
            Some(open) => Lookup::Open(open.clone()),
            None => Lookup::Missing,
        };
    };
    let node = match &field.value {
        Member::Node(node) => Some(*node),
        Member::Value(value) => value.node,
    };
    match node {
        Some(node) => Lookup::Value(node, field.key_at, field.assumed.clone()),
        // Built by `union()` of objects: not written in one place.
        None => Lookup::Open(Unknown {
            what: key.to_owned(),
            at: field.key_at,
            lacking: false,
            input: false,
        }),
    }
}

impl<'s> Scope<'s> {
    /// What a name holds as the file writes it: a loop's item or a lambda's parameter bound
    /// for this instance, a `var`, or a `param`'s default (with that assumption); `None` for
    /// anything else, and for an item or parameter whose value is not known here (which
    /// shadows any `var` or `param` of its name).
    pub(super) fn named(&self, name: &str) -> Option<(&Expr, Option<String>)> {
        match self.bindings.iter().rev().find(|(n, _)| n == name) {
            Some((_, node)) => node.as_ref().map(|node| (node, None)),
            None => match (self.vars.get(name), self.params.get(name)) {
                (Some(node), _) => Some((node, None)),
                (None, Some(node)) => Some((node, Some(format!("param {name}")))),
                (None, None) => None,
            },
        }
    }

    /// Whether `name` is the module's input not known here: a `param` without a default, or a
    /// binding read once over the module's input.
    fn is_input_name(&self, name: &str) -> bool {
        match self.bindings.iter().rev().find(|(n, _)| n == name) {
            Some((_, None)) => self.input_bindings.iter().any(|n| n == name),
            Some((_, Some(_))) => false,
            None => !self.vars.contains_key(name) && self.inputs.contains(name),
        }
    }

    /// The value of `expr`, one level deep.
    pub(super) fn value_of<'a>(&'a self, expr: &'a Expr, depth: usize) -> Value<'a> {
        let at = expr.span.start;
        let unknown = || Value::unknown(self.source(expr), at);
        if depth > MAX_REFERENCE_DEPTH || !self.spend(1, at) {
            return unknown();
        }
        let values = Values(self);
        let shape = match &expr.kind {
            Kind::Null => Shape::Null,
            Kind::Bool(b) => Shape::Bool(*b),
            Kind::Integer(digits) => Shape::Number(digits.clone()),
            Kind::String(_) => Shape::Text(self.string(expr, at, depth)),
            Kind::Parenthesized(inner) | Kind::NonNull(inner) => {
                return self.value_of(inner, depth + 1);
            }
            Kind::Object(properties) => return self.object_value(expr, properties, depth),
            Kind::Array(elements) => {
                let mut items = Vec::new();
                let mut assumed = Vec::new();
                for element in elements {
                    match element {
                        Element::Value(item) => items.push(Member::Node(item)),
                        Element::Spread(spread) => {
                            let spread = self.value_of(spread, depth + 1);
                            let Shape::List(spread_items) = spread.shape else {
                                return unknown().assuming(spread.assumed);
                            };
                            assumed.extend(spread.assumed);
                            items.extend(spread_items);
                        }
                    }
                }
                return Value::written(Shape::List(items))
                    .assuming(assumed)
                    .at_node(expr);
            }
            Kind::Name(name) => {
                return match self.named(name) {
                    Some((node, assumed)) => self.value_of(node, depth + 1).assuming(assumed),
                    // What the module's callers give: a `param` without a default, an item
                    // read once over one.
                    None if self.is_input_name(name) => Value::input(self.source(expr), at),
                    // A `param` or `var` whose value is not followed: named with why.
                    None if !self.bindings.iter().any(|(n, _)| n == name)
                        && let Some(why) = self.unfollowed.get(name) =>
                    {
                        Value::unknown(format!("{name} ({why})"), at)
                    }
                    None => unknown(),
                };
            }
            Kind::Member { target, name, safe } => {
                // `roleDef.name` of a role definition resource: its name, where written.
                if let (Kind::Name(symbol), "name") = (&target.kind, name.as_str())
                    && let Some((_, Some(node))) =
                        self.role_definitions.iter().find(|(s, _)| s == symbol)
                {
                    return self.value_of(node, depth + 1);
                }
                let step = Step::Key(name.clone());
                return self.member(expr, target, &step, *safe, depth);
            }
            Kind::Index {
                target,
                index,
                safe,
                from_end: false,
            } => {
                let Some((step, assumed)) = self.value_of(index, depth + 1).into_step() else {
                    return unknown();
                };
                return self
                    .member(expr, target, &step, *safe, depth)
                    .assuming(assumed);
            }
            // `condition ? then : otherwise`: the branch the condition picks, where it is
            // decided offline; else the value depends on the condition.
            Kind::Ternary {
                condition,
                then,
                otherwise,
            } => {
                let mut assumed = Vec::new();
                return match self.holds(condition, &mut assumed, depth + 1) {
                    Some(holds) => {
                        let branch = if holds { then } else { otherwise };
                        self.value_of(branch, depth + 1).assuming(assumed)
                    }
                    // Undecided between the module's input and nothing: the input.
                    None if Value::input_or_null(
                        &self.value_of(then, depth + 1),
                        &self.value_of(otherwise, depth + 1),
                    ) =>
                    {
                        Value::input(self.source(expr), at)
                    }
                    None => Value::unknown(self.source(condition), condition.span.start),
                };
            }
            Kind::Binary {
                operator: Binary::Coalesce,
                left,
                right,
            } => {
                let values = vec![
                    self.value_of(left, depth + 1),
                    self.value_of(right, depth + 1),
                ];
                return coalesce(values);
            }
            Kind::Call {
                target: None,
                name,
                arguments,
            } => {
                let all = || -> Vec<Value<'a>> {
                    arguments
                        .iter()
                        .map(|argument| self.value_of(argument, depth + 1))
                        .collect()
                };
                return match (name.as_str(), arguments.as_slice()) {
                    ("union", [_, ..]) => {
                        merge(&values, Merge::Deep, all(), &self.source(expr), at, depth)
                    }
                    ("coalesce", [_, ..]) => coalesce(all()),
                    ("items", [inner]) => self
                        .value_of(inner, depth + 1)
                        .entries(Part::Items, (&self.source(expr), at)),
                    ("objectKeys", [inner]) => self
                        .value_of(inner, depth + 1)
                        .entries(Part::Keys, (&self.source(expr), at)),
                    ("concat", [_, ..]) => {
                        let mut items = Vec::new();
                        let mut assumed = Vec::new();
                        for value in all() {
                            let Shape::List(list) = value.shape else {
                                return unknown().assuming(value.assumed);
                            };
                            assumed.extend(value.assumed);
                            items.extend(list);
                        }
                        Value::written(Shape::List(items)).assuming(assumed)
                    }
                    ("length", [inner]) => self
                        .value_of(inner, depth + 1)
                        .length((&self.source(expr), at)),
                    // `empty(x)` of a value known here: `null`, `''`, `[]` or `{}`.
                    ("empty", [inner]) => {
                        let value = self.value_of(inner, depth + 1);
                        let empty = match &value.shape {
                            Shape::Null => Some(true),
                            Shape::Text(text) if text.unresolved.is_empty() => {
                                Some(text.text.is_empty())
                            }
                            Shape::List(items) => Some(items.is_empty()),
                            Shape::Map(map) if map.open.is_empty() => Some(map.fields.is_empty()),
                            _ => None,
                        };
                        match empty {
                            Some(empty) => {
                                Value::written(Shape::Bool(empty)).assuming(value.assumed)
                            }
                            None => unknown().assuming(value.assumed),
                        }
                    }
                    _ => unknown(),
                };
            }
            _ => return unknown(),
        };
        Value::written(shape).at_node(expr)
    }

    /// `target.name`, `target[i]` and their safe forms (`.?`, `[?…]`): the value layer's
    /// member; a member of a value only a deployment knows is named as written whole.
    fn member<'a>(
        &'a self,
        expr: &'a Expr,
        target: &'a Expr,
        step: &Step,
        safe: bool,
        depth: usize,
    ) -> Value<'a> {
        let target = self.value_of(target, depth + 1);
        if target.is_from_deployment() {
            let input = matches!(&target.shape, Shape::Unknown(u) if u.input);
            let what = self.source(expr);
            let value = if input {
                Value::input(what, expr.span.start)
            } else {
                Value::unknown(what, expr.span.start)
            };
            return value.assuming(target.assumed);
        }
        let what = self.source(expr);
        target.member(&Values(self), (step, safe), (&what, expr.span.start), depth)
    }

    /// An object's fields, in order, its spreads read through: a spread's fields replace
    /// those before them, as Bicep's spread does; a spread only a deployment knows leaves the
    /// object open, each field before it read on the assumption that it is not replaced.
    fn object_value<'a>(
        &'a self,
        expr: &'a Expr,
        properties: &'a [Property],
        depth: usize,
    ) -> Value<'a> {
        let field = |key: &str, key_at: usize, value: &'a Expr| Field {
            key: key.to_owned(),
            key_at,
            value: Member::Node(value),
            assumed: Vec::new(),
        };
        if !properties.iter().any(|p| matches!(p, Property::Spread(_))) {
            // No spread: the fields as written (a repeated key is Bicep's error; the last one
            // is read).
            let fields = properties
                .iter()
                .filter_map(|property| match property {
                    Property::Value { key, key_at, value } => Some(field(key, *key_at, value)),
                    _ => None,
                })
                .collect();
            let map = Map {
                fields,
                open: Vec::new(),
            };
            return Value::written(Shape::Map(map)).at_node(expr);
        }
        let mut object = Value::written(Shape::Map(Map {
            fields: Vec::new(),
            open: Vec::new(),
        }));
        let mut written: Vec<Field<&'a Expr>> = Vec::new();
        let flush = |object: Value<'a>, written: &mut Vec<Field<&'a Expr>>| {
            if written.is_empty() {
                return object;
            }
            let fields = Value::written(Shape::Map(Map {
                fields: std::mem::take(written),
                open: Vec::new(),
            }));
            merge(
                &Values(self),
                Merge::Shallow,
                vec![object, fields],
                "",
                0,
                depth,
            )
        };
        for property in properties {
            match property {
                Property::Value { key, key_at, value } => {
                    written.push(field(key, *key_at, value));
                }
                Property::Spread(spread) => {
                    object = flush(object, &mut written);
                    let what = format!("...{}", self.source(spread));
                    let mut spread = self.value_of(spread, depth + 1);
                    if let Shape::Unknown(unknown) = &mut spread.shape {
                        unknown.what.clone_from(&what);
                    }
                    object = merge(
                        &Values(self),
                        Merge::Shallow,
                        vec![object, spread],
                        &what,
                        expr.span.start,
                        depth,
                    );
                }
                Property::Resource(_) => {}
            }
        }
        flush(object, &mut written).at_node(expr)
    }
}
