//! Terraform expressions evaluated to the shared [`Value`](crate::input::value): objects and
//! tuples (their members left as nodes), `local.x`, a variable's default (an assumption),
//! `each.value`, a `for` expression's variables and members of them (`.key`, `["key"]`, `[0]`),
//! `merge()`, `lookup()`, `toset()`, `tomap()`, `length()` and `{ for … }` objects; anything
//! else is a string ([`Reader::evaluate`]). Members, `merge()` and `lookup()` are the value
//! layer's, under Terraform's rules (keys exact, `merge()` shallow).

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};

use super::super::value::{self, Field, Host, Map, Member, Merge, Part, Rules, Shape, Step, merge};
use super::each::Bound;
use super::eval::Text;
use super::{MAX_REFERENCE_DEPTH, Reader};

/// An expression not evaluated yet: the file it is written in, and the `for` expression's
/// variables it may read.
#[derive(Clone)]
pub(super) struct Node<'b> {
    pub(super) file: usize,
    pub(super) expr: &'b Expression,
    pub(super) bound: Option<Bound<'b>>,
}

/// A value of the module: its members are nodes of the module's files.
pub(super) type Value<'b> = value::Value<Node<'b>>;

impl<'b> Host for Reader<'_, 'b, '_> {
    type Node = Node<'b>;
    const RULES: Rules = Rules {
        keys_ignore_case: false,
        numeric_keys_index_lists: true,
        bool_text: Some(["true", "false"]),
        text_case_known: true,
    };

    fn spend(&self, units: usize, at: usize) -> bool {
        self.meter.spend(units, at)
    }

    fn value(&self, node: &Node<'b>, depth: usize) -> Value<'b> {
        let reader = Reader {
            file: node.file,
            each: self.each.clone(),
            bound: node.bound.clone().or_else(|| self.bound.clone()),
            ..*self
        };
        reader.value_of(node.expr, depth)
    }
}

impl<'s, 'b, 't> Reader<'s, 'b, 't> {
    /// This reader, reading file `file` of the module.
    pub(super) fn at(&self, file: usize) -> Reader<'s, 'b, 't> {
        Reader {
            file,
            each: self.each.clone(),
            bound: self.bound.clone(),
            ..*self
        }
    }

    /// `expr`, written in this reader's file, as a node.
    pub(super) fn node(&self, expr: &'b Expression) -> Node<'b> {
        Node {
            file: self.file,
            expr,
            bound: self.bound.clone(),
        }
    }

    /// The expression as written, for a report.
    pub(super) fn source(&self, expr: &Expression) -> String {
        value::name_of(expr.span().and_then(|s| self.text().get(s)).unwrap_or("?"))
    }

    /// The value of `expr`, one level deep.
    pub(super) fn value_of(&self, expr: &'b Expression, depth: usize) -> Value<'b> {
        let at = expr.span().map_or(0, |s| s.start);
        if depth > MAX_REFERENCE_DEPTH || !self.meter.spend(1, at) {
            return Value::unknown(self.source(expr), at);
        }
        let shape = match expr {
            Expression::Null(_) => Shape::Null,
            Expression::Bool(b) => Shape::Bool(*b.value()),
            Expression::Number(n) => Shape::Number(n.value().to_string()),
            Expression::Parenthesis(inner) => return self.value_of(inner.inner(), depth + 1),
            Expression::Array(items) => {
                Shape::List(items.iter().map(|e| Member::Node(self.node(e))).collect())
            }
            Expression::Object(object) => {
                let mut map = Map {
                    fields: Vec::new(),
                    open: Vec::new(),
                };
                for (key, item) in object.iter() {
                    let (key, key_at) = match key {
                        ObjectKey::Ident(ident) => (
                            ident.as_str().to_owned(),
                            ident.span().map_or(at, |s| s.start),
                        ),
                        ObjectKey::Expression(key) => {
                            let key_at = key.span().map_or(at, |s| s.start);
                            let text = self.evaluate(key, depth + 1);
                            if text.unresolved.is_empty() {
                                (text.text, key_at)
                            } else {
                                // A key only a deployment knows: the field is kept under its
                                // key as written, and the map may hold any key.
                                let written = self.source(key);
                                map.open.push(value::Unknown {
                                    what: written.clone(),
                                    at: key_at,
                                    lacking: false,
                                    input: false,
                                });
                                (written, key_at)
                            }
                        }
                    };
                    map.fields.push(Field {
                        key,
                        key_at,
                        value: Member::Node(self.node(item.expr())),
                        assumed: Vec::new(),
                    });
                }
                Shape::Map(map)
            }
            Expression::Traversal(traversal) => return self.traversal(traversal, expr, depth),
            Expression::Variable(name) => match &self.bound {
                Some(bound) if bound.key_var == Some(name.as_str()) => {
                    let mut key = Text::default();
                    key.push(&bound.key, at);
                    Shape::Text(key)
                }
                Some(bound) if bound.value_var == name.as_str() => {
                    let (file, element) = bound.element;
                    return self.at(file).value_of(element, depth + 1);
                }
                _ => return Value::unknown(self.source(expr), at),
            },
            Expression::FuncCall(call) if call.name.namespace.is_empty() => {
                return self.call(call, expr, depth);
            }
            // `condition ? a : b`: the branch the condition picks, where it is decided here
            // (on the defaults it read, which the value then assumes).
            Expression::Conditional(conditional) => {
                let mut assumed = Vec::new();
                return match self.holds(&conditional.cond_expr, &mut assumed, depth + 1) {
                    Some(holds) => {
                        let branch = match holds {
                            true => &conditional.true_expr,
                            false => &conditional.false_expr,
                        };
                        self.value_of(branch, depth + 1).assuming(assumed)
                    }
                    // Undecided between the module's input and nothing: the input.
                    None if Value::input_or_null(
                        &self.value_of(&conditional.true_expr, depth + 1),
                        &self.value_of(&conditional.false_expr, depth + 1),
                    ) =>
                    {
                        Value::input(self.source(expr), at)
                    }
                    None => Value::unknown(self.source(&conditional.cond_expr), at),
                };
            }
            Expression::ForExpr(for_expr) => match self.for_elements(for_expr, depth + 1) {
                Some((elements, assumed)) => {
                    let fields = elements
                        .into_iter()
                        .map(|element| Field {
                            key: element.key,
                            key_at: at,
                            value: Member::Node(Node {
                                file: self.file,
                                expr: &for_expr.value_expr,
                                bound: Some(element.bound),
                            }),
                            assumed: Vec::new(),
                        })
                        .collect();
                    let map = Shape::Map(Map {
                        fields,
                        open: Vec::new(),
                    });
                    return Value::written(map)
                        .assuming(assumed)
                        .at_node(self.node(expr));
                }
                None => return Value::unknown(self.source(expr), at),
            },
            _ => Shape::Text(self.evaluate(expr, depth + 1)),
        };
        Value::written(shape).at_node(self.node(expr))
    }

    /// `merge()`, `lookup()`, `toset()`, `tomap()` and `length()`; any other call is a string.
    fn call(
        &self,
        call: &'b hcl_edit::expr::FuncCall,
        expr: &'b Expression,
        depth: usize,
    ) -> Value<'b> {
        let at = expr.span().map_or(0, |s| s.start);
        let source = self.source(expr);
        let args: Vec<&'b Expression> = call.args.iter().collect();
        match (call.name.name.as_str(), args.as_slice()) {
            ("merge", _) => {
                let values = args.iter().map(|a| self.value_of(a, depth + 1)).collect();
                merge(self, Merge::Shallow, values, &source, at, depth)
            }
            ("lookup", [map, key, default @ ..]) if default.len() <= 1 => {
                let map = self.value_of(map, depth + 1);
                let key = self.evaluate(key, depth + 1);
                if !key.unresolved.is_empty() {
                    return Value::unknown(source, at).assuming(map.assumed);
                }
                let default = default.first().map(|d| self.value_of(d, depth + 1));
                // A fallback written here or known only at deployment: an input map's member
                // is then no longer wholly the module's input.
                let fallback = default
                    .as_ref()
                    .is_some_and(|d| !matches!(&d.shape, Shape::Null));
                if fallback && matches!(&map.shape, Shape::Unknown(u) if u.input) {
                    return Value::unknown(source, at).assuming(map.assumed);
                }
                map.lookup(self, &key.text, default, (&source, at), depth)
                    .assuming(key.assumed)
            }
            ("toset" | "tomap", [inner]) => self.value_of(inner, depth + 1),
            ("keys", [inner]) => self
                .value_of(inner, depth + 1)
                .entries(Part::Keys, (&source, at)),
            ("values", [inner]) => self
                .value_of(inner, depth + 1)
                .entries(Part::Values, (&source, at)),
            ("length", [inner]) => self.value_of(inner, depth + 1).length((&source, at)),
            // `strcontains(s, sub)`, `startswith(s, p)`, `endswith(s, p)` of strings known here
            // (AVM modules choose `role_definition_id` or `_name` by one).
            (name @ ("strcontains" | "startswith" | "endswith"), [text, part]) => {
                // Each argument read once: `null` is Terraform's error, not a string.
                let strings = [text, part].map(|arg| {
                    let value = self.value_of(arg, depth + 1);
                    match value.shape {
                        Shape::Null => None,
                        _ => Some(self.text_of(value, self.source(arg), at)),
                    }
                });
                let [Some(text), Some(part)] = strings else {
                    return Value::unknown(source, at);
                };
                if !text.unresolved.is_empty() || !part.unresolved.is_empty() {
                    return Value::unknown(source, at).assuming(text.assumed);
                }
                let holds = match name {
                    "strcontains" => text.text.contains(&part.text),
                    "startswith" => text.text.starts_with(&part.text),
                    _ => text.text.ends_with(&part.text),
                };
                let mut assumed = text.assumed;
                assumed.extend(part.assumed);
                Value::written(Shape::Bool(holds)).assuming(assumed)
            }
            _ => Value::written(Shape::Text(self.evaluate(expr, depth + 1))),
        }
    }

    /// A reference: `local.x`, `var.x` (its default: an assumption), `each.key`,
    /// `each.value`, `count.index`, a `for` expression's value variable, and the members
    /// named after it, each step looking through a value that is itself a reference.
    fn traversal(
        &self,
        traversal: &'b hcl_edit::expr::Traversal,
        expr: &'b Expression,
        depth: usize,
    ) -> Value<'b> {
        let at = expr.span().map_or(0, |s| s.start);
        let source = self.source(expr);
        let unknown = || Value::unknown(self.source(expr), at);
        let operators = traversal.operators.as_slice();
        let Expression::Variable(root) = &traversal.expr else {
            // Members of any other value (`values(local.m)[0]`, `merge(a, b).k`).
            let value = self.value_of(&traversal.expr, depth + 1);
            return self.members(value, operators, (&source, at), depth);
        };
        let (value, members) = match (root.as_str(), operators) {
            // A `for` expression's value variable: the element, every operator a member of it.
            (name, _) if self.bound.as_ref().is_some_and(|b| b.value_var == name) => {
                let Some(bound) = &self.bound else {
                    return unknown();
                };
                let (file, element) = bound.element;
                (self.at(file).value_of(element, depth + 1), operators)
            }
            (root, [first, members @ ..]) => {
                let TraversalOperator::GetAttr(name) = first.value() else {
                    return unknown();
                };
                let name = name.as_str();
                let here = |text: &str| {
                    let mut value = Text::default();
                    value.push(text, at);
                    Value::written(Shape::Text(value))
                };
                let value = match (root, name, &self.each, self.count) {
                    ("local", name, ..) => match self.scope.locals.get(name) {
                        Some(&(file, local)) => self.at(file).value_of(local, depth + 1),
                        None => return unknown(),
                    },
                    ("var", name, ..) => match self.scope.variables.get(name) {
                        Some(variable) => {
                            // No value here: what the module's callers give (unless a variable
                            // file that may give one could not be read).
                            let Some((file, written)) = variable.value else {
                                if self.scope.variables_unread {
                                    return unknown();
                                }
                                return Value::input(source, at);
                            };
                            let mut value = self.at(file).value_of(written, depth + 1);
                            // `null` for a variable that is not nullable: its default.
                            if !variable.nullable
                                && matches!(value.shape, Shape::Null)
                                && let Some((file, default)) = variable.default
                            {
                                value = self.at(file).value_of(default, depth + 1);
                            }
                            let value = match variable.ty {
                                Some(ty) => self.conform(value, ty, depth + 1),
                                None => value,
                            };
                            if variable.assumed {
                                value.assuming([format!("var.{name}")])
                            } else {
                                value
                            }
                        }
                        None => return unknown(),
                    },
                    ("each", "key", Some(each), _) => here(&each.key),
                    ("each", "value", Some(each), _) => match &each.value {
                        Some(Member::Node(node)) => {
                            let reader = Reader {
                                bound: each.bound.clone(),
                                ..self.at(node.file)
                            };
                            reader.value_of(node.expr, depth + 1)
                        }
                        Some(Member::Value(value)) => (**value).clone(),
                        // A set's instance: its value is its key.
                        None => here(&each.key),
                    },
                    // Read once over the module's input: what its callers give.
                    ("each" | "count", ..) if self.input_each => {
                        return Value::input(source, at);
                    }
                    ("count", "index", _, Some(index)) => {
                        Value::written(Shape::Number(index.to_string()))
                    }
                    ("path", "module", ..) => here("."),
                    _ => return unknown(),
                };
                (value, members)
            }
            _ => return unknown(),
        };
        self.members(value, members, (&source, at), depth)
    }

    /// The members `operators` name, from `value` on; the reference is `source`, at `at`.
    fn members(
        &self,
        mut value: Value<'b>,
        operators: &[hcl_edit::Decorated<TraversalOperator>],
        (source, at): (&str, usize),
        depth: usize,
    ) -> Value<'b> {
        for operator in operators {
            let Some((step, assumed)) = self.step(operator.value(), depth) else {
                return Value::unknown(source, at).assuming(value.assumed);
            };
            value = value
                .member(self, (&step, false), (source, at), depth)
                .assuming(assumed);
        }
        value
    }

    /// The step a traversal operator takes (`.key`, `["key"]`, `[0]`, or an index that is
    /// itself a value known here: `[count.index]`, `[each.key]`, `[var.k]`), with the
    /// defaults the index was read through.
    pub(super) fn step(
        &self,
        operator: &'b TraversalOperator,
        depth: usize,
    ) -> Option<(Step, Vec<String>)> {
        match operator {
            TraversalOperator::GetAttr(key) => {
                Some((Step::Key(key.as_str().to_owned()), Vec::new()))
            }
            TraversalOperator::LegacyIndex(n) => {
                Some((Step::Index(usize::try_from(*n.value()).ok()?), Vec::new()))
            }
            TraversalOperator::Index(index) => self.value_of(index, depth + 1).into_step(),
            _ => None,
        }
    }

    /// A value's text where a string is wanted (see [`Value::into_text`](value::Value::into_text)),
    /// charged to the file's budget; anything but a string, a number or a Boolean is named
    /// `source`.
    pub(super) fn text_of(&self, value: Value<'b>, source: String, at: usize) -> Text {
        value.into_text::<Self>((&source, at), |cost| self.meter.spend(cost, at))
    }
}
