//! ARM expressions evaluated to the shared [`Value`](crate::input::value): the template's
//! values are the nodes (a string that is itself an expression is parsed and evaluated where
//! it is reached), and members, `tryGet()`, `union()`, `coalesce()` and null tests are the
//! value layer's, under ARM's rules (keys ignore case; `union()` merges objects deeply).

use serde_json::Value as Json;

use super::super::meter::Meter;
use super::super::value::{
    self, Field, Host, Map, Member, Merge, Part, Rules, Shape, Step, Text, coalesce, equals, merge,
    name_of,
};
use super::short;
use super::syntax::{Expr, Kind, parse};
use super::{PASSED, UNKNOWN};
use crate::limits::ARM_MAX_DEPTH as MAX_DEPTH;

/// A value of the template: its members are the template's JSON values.
pub(crate) type Value<'t> = value::Value<&'t Json>;

/// One template, as expressions read it.
pub(crate) struct Arm<'t> {
    pub template: &'t Json,
    /// `copyIndex()` of the `copy` instance being read, if any.
    pub copy_index: Option<usize>,
    /// Whether the resource is read once over a `copy` loop of the template's input (a
    /// parameter's items): its `copyIndex()` is an item the deployment's caller gives.
    pub input_copy: bool,
    /// The template's work budget ([`ARM_MAX_STEPS`](crate::limits::ARM_MAX_STEPS)).
    pub meter: &'t Meter,
}

impl<'t> Host for Arm<'t> {
    type Node = &'t Json;
    const RULES: Rules = Rules {
        keys_ignore_case: true,
        numeric_keys_index_lists: false,
        bool_text: None,
        text_case_known: false,
    };

    fn spend(&self, units: usize, at: usize) -> bool {
        self.meter.spend(units, at)
    }

    fn value(&self, node: &&'t Json, depth: usize) -> Value<'t> {
        let value = Value::written(match node {
            Json::Null => Shape::Null,
            Json::Bool(b) => Shape::Bool(*b),
            Json::Number(n) => Shape::Number(n.to_string()),
            Json::String(text) => return self.string(text, depth).at_node(*node),
            Json::Array(items) => Shape::List(items.iter().map(Member::Node).collect()),
            Json::Object(object) => Shape::Map(Map {
                fields: object
                    .iter()
                    .map(|(key, value)| Field {
                        key: key.clone(),
                        key_at: 0,
                        value: Member::Node(value),
                        assumed: Vec::new(),
                    })
                    .collect(),
                open: Vec::new(),
            }),
        });
        value.at_node(*node)
    }
}

impl<'t> Arm<'t> {
    /// A JSON string of the template: an expression's value, or the string (`[[` a literal
    /// `[`), its offsets into the string.
    pub(crate) fn string(&self, text: &str, depth: usize) -> Value<'t> {
        match parse(text, self.meter) {
            None => {
                let literal = match text.strip_prefix("[[") {
                    Some(rest) => Text::literal(format!("[{rest}"), (1..=rest.len() + 1).collect()),
                    None => Text::literal(text.to_owned(), (0..text.len()).collect()),
                };
                Value::written(Shape::Text(literal))
            }
            Some(Ok(expr)) if depth <= MAX_DEPTH => self.eval(&expr, text, depth),
            Some(_) => Value::unknown(format!("the ARM expression `{}`", short(text)), 0),
        }
    }

    /// The value of `expr`, written in `source`.
    pub(super) fn eval(&self, expr: &Expr, source: &str, depth: usize) -> Value<'t> {
        let at = expr.span.start;
        let written = || {
            format!(
                "`{}`",
                name_of(source.get(expr.span.clone()).unwrap_or("?"))
            )
        };
        if depth > MAX_DEPTH || !self.meter.spend(1, at) {
            return Value::unknown(written(), at);
        }
        match &expr.kind {
            Kind::String(text) => Value::written(Shape::Text(text.clone())),
            Kind::Integer(digits) => Value::written(Shape::Number(digits.clone())),
            Kind::Member { target, name } => {
                let target = self.eval(target, source, depth + 1);
                let step = Step::Key(name.clone());
                let value = target.member(self, (&step, false), (&written(), at), depth);
                self.relocated(value, at)
            }
            Kind::Index { target, index } => {
                let target = self.eval(target, source, depth + 1);
                let index = self.eval(index, source, depth + 1);
                // An item of the template's input (`parameters('p')[copyIndex()]` read once over
                // it): the input; never an index into what the template writes or a
                // deployment's output.
                let input = matches!(&target.shape, Shape::Unknown(u) if u.input);
                let Some((step, assumed)) = index.into_step() else {
                    if input {
                        return Value::input(written(), at).assuming(target.assumed);
                    }
                    return Value::unknown(written(), at).assuming(target.assumed);
                };
                let value = target.member(self, (&step, false), (&written(), at), depth);
                self.relocated(value.assuming(assumed), at)
            }
            Kind::Call { name, args } => self.call(name, args, source, expr, depth),
        }
    }

    fn call(
        &self,
        name: &str,
        args: &[Expr],
        source: &str,
        expr: &Expr,
        depth: usize,
    ) -> Value<'t> {
        let at = expr.span.start;
        let written = || {
            format!(
                "`{}`",
                name_of(source.get(expr.span.clone()).unwrap_or("?"))
            )
        };
        let all = || -> Vec<Value<'t>> {
            args.iter()
                .map(|arg| self.eval(arg, source, depth + 1))
                .collect()
        };
        let shape = match (name, args) {
            ("parameters" | "variables", [key]) => {
                // The name must be known whole: `parameters(concat('c', parameters('x')))`
                // names a parameter only a deployment knows.
                let key = self.eval(key, source, depth + 1);
                let Shape::Text(name_text) = &key.shape else {
                    return Value::unknown(written(), at);
                };
                if !name_text.unresolved.is_empty() {
                    return Value::unknown(written(), at).assuming(key.assumed);
                }
                let declared = (name == "parameters")
                    .then(|| self.parameter(&name_text.text))
                    .flatten();
                // A value a nested deployment passes (see `json/scope.rs`): known here, and
                // read through what it assumed; or known only at deployment.
                let passed = declared
                    .and_then(|p| p.get(PASSED))
                    .and_then(Json::as_array);
                if declared.is_some_and(|p| p.get(UNKNOWN).is_some()) {
                    return Value::unknown(written(), at);
                }
                return match self.named(name, &name_text.text) {
                    Some(node) => {
                        let value = self.value(&node, depth + 1);
                        let assumed: Vec<String> = match passed {
                            Some(assumed) => assumed
                                .iter()
                                .filter_map(|a| a.as_str().map(str::to_owned))
                                .collect(),
                            None => (name == "parameters")
                                .then(|| format!("parameters('{}')", name_text.text))
                                .into_iter()
                                .collect(),
                        };
                        self.relocated(value.assuming(assumed).assuming(key.assumed), at)
                    }
                    // A parameter without a default: what the template's caller gives.
                    None if declared.is_some() => Value::input(written(), at),
                    None => Value::unknown(written(), at),
                };
            }
            ("concat", _) => return self.charged(self.concat(all(), written(), at), at),
            ("format", [_, ..]) => {
                let spend = |units, here| self.meter.spend(units, here);
                return format(all(), written(), at, &spend);
            }
            ("copyindex", _) => {
                let offset = match all().as_slice() {
                    [] => Some(0),
                    [value] | [_, value] => match &value.shape {
                        Shape::Number(n) => n.parse().ok(),
                        Shape::Text(_) if args.len() == 1 => Some(0),
                        _ => None,
                    },
                    _ => None,
                };
                match (self.copy_index, offset) {
                    (Some(index), Some(offset)) => match index.checked_add(offset) {
                        Some(n) => Shape::Number(n.to_string()),
                        None => return Value::lacking(written(), at),
                    },
                    _ if self.input_copy => return Value::input(written(), at),
                    _ => return Value::unknown(written(), at),
                }
            }
            ("tryget", [target, keys @ ..]) if !keys.is_empty() => {
                let mut value = self.eval(target, source, depth + 1);
                for key in keys {
                    let key = self.eval(key, source, depth + 1);
                    let Some((step, assumed)) = key.into_step() else {
                        return Value::unknown(written(), at).assuming(value.assumed);
                    };
                    value = value
                        .member(self, (&step, true), (&written(), at), depth)
                        .assuming(assumed);
                }
                return self.relocated(value, at);
            }
            ("coalesce", [_, ..]) => return coalesce(all()),
            ("union", [_, ..]) => return merge(self, Merge::Deep, all(), &written(), at, depth),
            ("if", [condition, then, otherwise]) => {
                let condition = self.eval(condition, source, depth + 1);
                let Shape::Bool(holds) = condition.shape else {
                    return Value::unknown(written(), at);
                };
                let branch = if holds { then } else { otherwise };
                return self
                    .eval(branch, source, depth + 1)
                    .assuming(condition.assumed);
            }
            ("equals", [a, b]) => {
                let (a, b) = (
                    self.eval(a, source, depth + 1),
                    self.eval(b, source, depth + 1),
                );
                let same = equals(self, &a, &b, depth);
                let assumed = a.assumed.into_iter().chain(b.assumed);
                return match same {
                    Some(same) => Value::written(Shape::Bool(same)).assuming(assumed),
                    None => Value::unknown(written(), at).assuming(assumed),
                };
            }
            ("not", [_]) => {
                return decided(all(), written(), at, |v| match v {
                    [Shape::Bool(b)] => Some(!b),
                    _ => None,
                });
            }
            ("empty", [_]) => return decided(all(), written(), at, empty),
            ("length", [_]) => {
                let value = all().pop().unwrap_or_else(|| Value::unknown(written(), at));
                return value.length((&written(), at));
            }
            ("items", [_]) => {
                let value = all().pop().unwrap_or_else(|| Value::unknown(written(), at));
                return value.entries(Part::Items, (&written(), at));
            }
            ("objectkeys", [_]) => {
                let value = all().pop().unwrap_or_else(|| Value::unknown(written(), at));
                return value.entries(Part::Keys, (&written(), at));
            }
            ("null", []) => Shape::Null,
            ("true", []) => Shape::Bool(true),
            ("false", []) => Shape::Bool(false),
            ("createarray", _) => Shape::List(
                all()
                    .into_iter()
                    .map(|value| Member::Value(Box::new(value)))
                    .collect(),
            ),
            _ => return Value::unknown(written(), at),
        };
        Value::written(shape)
    }

    /// The template value a whole `parameters('k')` (its default) or `variables('k')` names.
    pub(super) fn named_by(&self, expr: &Expr, source: &str) -> Option<&'t Json> {
        let Kind::Call { name, args } = &expr.kind else {
            return None;
        };
        let ([key], "parameters" | "variables") = (args.as_slice(), name.as_str()) else {
            return None;
        };
        match self.eval(key, source, 1).shape {
            Shape::Text(key) if key.unresolved.is_empty() => self.named(name, &key.text),
            _ => None,
        }
    }

    /// A value from elsewhere (a parameter's default, a variable, a member of one), every
    /// byte and hole of its text mapped to the reference at `at`; the copy is charged to the
    /// template's budget (a chain of variables that double each other would otherwise grow
    /// without bound).
    fn relocated(&self, mut value: Value<'t>, at: usize) -> Value<'t> {
        if let Shape::Text(text) = value.shape {
            let mut here = Text::default();
            here.extend(text, Some(at));
            value.shape = Shape::Text(here);
        }
        self.charged(value, at)
    }

    /// `value`, its text charged to the template's budget: past it, not followed.
    fn charged(&self, value: Value<'t>, at: usize) -> Value<'t> {
        match &value.shape {
            Shape::Text(text) if !self.meter.spend(text.cost(), at) => {
                Value::unknown("values past the template's budget", at)
            }
            _ => value,
        }
    }

    /// The template's declaration of the parameter `key` (compared ignoring case).
    fn parameter(&self, key: &str) -> Option<&'t Json> {
        let section = self.template.get("parameters")?.as_object()?;
        let (_, entry) = section.iter().find(|(k, _)| k.eq_ignore_ascii_case(key))?;
        Some(entry)
    }

    /// A parameter's default or a variable's value, its name compared ignoring case as ARM
    /// compares it.
    fn named(&self, kind: &str, key: &str) -> Option<&'t Json> {
        let section = self.template.get(kind)?.as_object()?;
        let (_, entry) = section.iter().find(|(k, _)| k.eq_ignore_ascii_case(key))?;
        if kind == "parameters" {
            entry.get("defaultValue")
        } else {
            Some(entry)
        }
    }

    /// `concat()` of strings (and integers), or of arrays.
    fn concat(&self, values: Vec<Value<'t>>, what: String, at: usize) -> Value<'t> {
        if !values.is_empty() && values.iter().all(|v| matches!(v.shape, Shape::List(_))) {
            let mut items = Vec::new();
            let mut assumed = Vec::new();
            for value in values {
                assumed.extend(value.assumed);
                if let Shape::List(list) = value.shape {
                    items.extend(list);
                }
            }
            return Value::written(Shape::List(items)).assuming(assumed);
        }
        let mut out = Text::default();
        for value in values {
            out.extend(text(value, &what, at), None);
        }
        Value::written(Shape::Text(out))
    }
}

/// `format(f, a, b, …)`: `{n}` the argument's text (mapped to the placeholder), `{{` and `}}`
/// a brace; each argument's text is charged through `spend` before it is copied in (a format
/// string of many placeholders would otherwise build its whole output first).
fn format<'t>(
    mut values: Vec<Value<'t>>,
    what: String,
    at: usize,
    spend: &dyn Fn(usize, usize) -> bool,
) -> Value<'t> {
    let format = text(values.remove(0), &what, at);
    let parts: Vec<Text> = values.into_iter().map(|v| text(v, &what, at)).collect();
    let mut out = Text {
        unresolved: format.unresolved.clone(),
        inputs: format.inputs,
        holes: format.holes.clone(),
        assumed: format.assumed.clone(),
        ..Text::default()
    };
    let bytes = format.text.as_bytes();
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        let here = format.offsets.get(i).copied().unwrap_or(at);
        match byte {
            b'{' | b'}' if bytes.get(i + 1) == Some(&byte) => {
                out.push(if byte == b'{' { "{" } else { "}" }, here);
                i += 2;
            }
            b'{' => {
                let close = format.text.get(i..).and_then(|r| r.find('}'));
                let index: Option<usize> = close
                    .and_then(|close| format.text.get(i + 1..i + close))
                    .and_then(|n| n.trim().parse().ok());
                let (Some(close), Some(part)) = (close, index.and_then(|n| parts.get(n))) else {
                    return Value::unknown(what, at);
                };
                if !spend(part.cost(), here) {
                    return Value::unknown("values past the template's budget", at);
                }
                // An argument's text comes from elsewhere: it maps to its placeholder.
                out.extend(part.clone(), Some(here));
                i += close + 1;
            }
            _ => {
                let c = format
                    .text
                    .get(i..)
                    .and_then(|r| r.chars().next())
                    .unwrap_or(' ');
                let mut utf8 = [0; 4];
                out.text.push_str(c.encode_utf8(&mut utf8));
                for k in 0..c.len_utf8() {
                    out.offsets
                        .push(format.offsets.get(i + k).copied().unwrap_or(here));
                }
                i += c.len_utf8();
            }
        }
    }
    Value::written(Shape::Text(out))
}

/// A Boolean function of values known here; unknown where `decide` cannot tell.
fn decided<'t>(
    values: Vec<Value<'t>>,
    what: String,
    at: usize,
    decide: impl Fn(&[Shape<&'t Json>]) -> Option<bool>,
) -> Value<'t> {
    let mut assumed = Vec::new();
    let mut shapes = Vec::new();
    for value in values {
        assumed.extend(value.assumed);
        shapes.push(value.shape);
    }
    match decide(&shapes) {
        Some(b) => Value::written(Shape::Bool(b)).assuming(assumed),
        None => Value::unknown(what, at).assuming(assumed),
    }
}

/// `empty(x)`: `null`, `''`, `[]` or `{}`.
fn empty<N>(values: &[Shape<N>]) -> Option<bool> {
    match values {
        [Shape::Null] => Some(true),
        [Shape::Text(t)] if t.unresolved.is_empty() => Some(t.text.is_empty()),
        [Shape::List(items)] => Some(items.is_empty()),
        [Shape::Map(map)] if map.open.is_empty() => Some(map.fields.is_empty()),
        _ => None,
    }
}

/// A value's text, for a condition or a string built from it (see
/// [`Value::into_text`](value::Value::into_text)): its offsets are where it is written in its
/// own expression, so it is not moved; anything but a string or an integer is named `what`.
pub(crate) fn text(value: Value<'_>, what: &str, at: usize) -> Text {
    match value.shape {
        Shape::Text(mut text) => {
            text.assumed.extend(value.assumed);
            text
        }
        _ => value.into_text::<Arm<'_>>((what, at), |_| true),
    }
}

#[cfg(test)]
impl Value<'_> {
    /// The value as an integer, if it is one.
    pub(super) fn shape_number(&self) -> Option<usize> {
        match &self.shape {
            Shape::Number(n) => n.parse().ok(),
            _ => None,
        }
    }

    /// Whether the value is `true`.
    pub(super) fn is_true(&self) -> bool {
        matches!(self.shape, Shape::Bool(true))
    }
}
