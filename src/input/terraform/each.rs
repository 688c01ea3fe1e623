//! The instances of a resource or module call: its `for_each` over a map or set written
//! literally (or a `for` expression over one), or its `count`, each read with its own `each`
//! or `count.index`; their values are the value layer's (`value.rs`).

use std::borrow::Cow;
use std::collections::HashSet;

use hcl_edit::expr::{BinaryOperator, Expression, ForExpr, UnaryOperator};
use hcl_edit::structure::Block;

use super::super::value::{Host, Member, Shape, equals, force};
use super::value::Node;
use super::{Found, MAX_REFERENCE_DEPTH, Reader};

/// One instance of a resource's `for_each`: its key, its value (`None` for a set, whose
/// value is its key: a node with the file it is written in and, for an instance of a `for`
/// expression, its variables, or a value already read, as a variable's type makes it), and
/// the `for` expression's variables the value may read.
#[derive(Clone)]
pub(super) struct Each<'b> {
    pub(super) key: Cow<'b, str>,
    pub(super) value: Option<Member<Node<'b>>>,
    pub(super) bound: Option<Bound<'b>>,
}

use crate::limits::TERRAFORM_MAX_INSTANCES as MAX_INSTANCES;

/// A `for` expression's variables for one element of its collection.
#[derive(Clone)]
pub(super) struct Bound<'b> {
    /// The key variable's name (`k` of `for k, v in …`), if any.
    pub(super) key_var: Option<&'b str>,
    /// The element's key: its map key, or its index in a list.
    pub(super) key: Cow<'b, str>,
    /// The value variable's name.
    pub(super) value_var: &'b str,
    /// The element as written, with the file it is written in.
    pub(super) element: (usize, &'b Expression),
}

/// One element of a `for` expression that makes an object: the key it makes, and its
/// variables.
pub(super) struct ForElement<'b> {
    pub(super) key: String,
    pub(super) bound: Bound<'b>,
}

impl<'s, 'b, 't> Reader<'s, 'b, 't> {
    /// Calls `read` once per instance of the block's `for_each` when it resolves (with
    /// `each` set and the address `address["key"]`; a variable's default it came from is
    /// listed as assumed), else once for the block.
    pub(super) fn each_instance(
        &self,
        block: &'b Block,
        address: String,
        found: &mut Vec<(usize, Found)>,
        read: impl Fn(&Self, String, &mut Vec<(usize, Found)>),
    ) {
        let attribute = |name: &str| block.body.get_attribute(name).map(|a| &a.value);
        // Read once over the module's input: what `each` holds, its callers give. `open`: the
        // collection is not known here (then only an input without a value is one); else it
        // is empty under a default or a variable file (an input as written is one).
        let once = |open: bool| Reader {
            input_each: ["for_each", "count"].into_iter().any(|name| {
                attribute(name).is_some_and(|expr| {
                    is_input(expr)
                        && !self.scope.variables_unread
                        && (!open
                            || matches!(self.value_of(expr, 0).shape,
                                Shape::Unknown(unknown) if unknown.input))
                })
            }),
            each: self.each.clone(),
            bound: self.bound.clone(),
            ..*self
        };
        // Each instance's reader and address, and the variable default they came from.
        let (instances, assumed): (Vec<(Self, String)>, Vec<String>) =
            match attribute("for_each").and_then(|e| self.instances(e, 0)) {
                Some((each, assumed)) if each.len() <= MAX_INSTANCES => {
                    let readers = each.into_iter().map(|each| {
                        let address = format!("{address}[\"{}\"]", each.key);
                        let reader = Reader {
                            bound: each.bound.clone(),
                            each: Some(each),
                            ..*self
                        };
                        (reader, address)
                    });
                    (readers.collect(), assumed)
                }
                // `count = N` or `count = length(x)` of a value written literally.
                _ => match attribute("count").and_then(|e| self.count_of(e)) {
                    Some((count, assumed)) if count <= MAX_INSTANCES => {
                        let readers = (0..count).map(|index| {
                            let reader = Reader {
                                count: Some(index),
                                each: self.each.clone(),
                                bound: self.bound.clone(),
                                ..*self
                            };
                            (reader, format!("{address}[{index}]"))
                        });
                        (readers.collect(), assumed)
                    }
                    _ => return read(&once(true), address, found),
                },
            };
        // No instance under a default a deployment can override (`count = var.on ? 1 : 0`
        // with `on = false`, `for_each = var.names` with `[]`): the block is read once, as
        // where its instances are not known, so that its condition is never hidden by a default.
        if instances.is_empty() && !assumed.is_empty() {
            return read(&once(false), address, found);
        }
        for (reader, address) in instances {
            assuming(found, &assumed, |found| read(&reader, address, found));
        }
    }

    /// How many instances a `count` expression gives: a number written literally, or
    /// `length()` of a list or map written literally (in place, a local, a variable's default:
    /// an assumption, listed in the second field).
    fn count_of(&self, expression: &'b Expression) -> Option<(usize, Vec<String>)> {
        let value = self.value_of(expression, 0);
        match &value.shape {
            Shape::Number(n) => Some((n.parse().ok()?, value.assumed)),
            _ => None,
        }
    }

    /// The instances a `for_each` expression gives, when its value is a map known whole or a
    /// set of strings known here (see `value.rs`: in place, in a local or a member of one, in a
    /// variable's default, an assumption listed in the second field, `toset()`, `merge()`, a
    /// `for` expression); a set's repeated strings are one instance.
    fn instances(
        &self,
        expression: &'b Expression,
        depth: usize,
    ) -> Option<(Vec<Each<'b>>, Vec<String>)> {
        let value = self.value_of(expression, depth);
        let instances = match value.shape {
            Shape::Map(map) if map.open.is_empty() => map
                .fields
                .into_iter()
                .map(|field| {
                    let bound = match &field.value {
                        Member::Node(node) => node.bound.clone(),
                        Member::Value(_) => None,
                    };
                    Each {
                        key: Cow::Owned(field.key),
                        value: Some(field.value),
                        bound,
                    }
                })
                .collect(),
            Shape::List(items) => {
                let mut seen = HashSet::new();
                let mut instances = Vec::new();
                for item in items {
                    let Shape::Text(key) = force(self, item, depth).shape else {
                        return None;
                    };
                    if !key.unresolved.is_empty() {
                        return None;
                    }
                    if seen.insert(key.text.clone()) {
                        instances.push(Each {
                            key: Cow::Owned(key.text),
                            value: None,
                            bound: None,
                        });
                    }
                }
                instances
            }
            _ => return None,
        };
        Some((instances, value.assumed))
    }

    /// The elements of a `for` expression that makes an object (`{ for … : KEY => VALUE }`),
    /// when its collection is a list or map written literally (in place, a local, a variable's
    /// default: an assumption, named in the second field), each key resolves from the element
    /// (`a.name`, `"${a.x}-${a.y}"`, `k`, an index) and its `if` filter, if any, is decided
    /// from the element's members written literally (`a.enabled`, `!`, `==`/`!=` of strings and
    /// Booleans): the elements the filter keeps, with their keys and variables. Anything else
    /// (another filter, grouping `...`, two elements with one key) is `None`.
    pub(super) fn for_elements(
        &self,
        for_expr: &'b ForExpr,
        depth: usize,
    ) -> Option<(Vec<ForElement<'b>>, Vec<String>)> {
        if depth > MAX_REFERENCE_DEPTH || for_expr.grouping {
            return None;
        }
        let key_expr = for_expr.key_expr.as_ref()?;
        let value_var = for_expr.intro.value_var.as_str();
        let key_var = for_expr.intro.key_var.as_ref().map(|v| v.as_str());
        let collection = self.value_of(&for_expr.intro.collection_expr, depth + 1);
        let assumed = collection.assumed.clone();
        let collection_assumed = &assumed;
        let elements = collection.elements()?;
        if elements.len() > MAX_INSTANCES {
            return None;
        }
        let mut seen = HashSet::new();
        let mut kept = Vec::new();
        for (key, element) in elements {
            // The element as written, through the references that lead to it.
            let Member::Node(node) = element else {
                return None;
            };
            let written = self.value(&node, depth).node?;
            let bound = Bound {
                key_var,
                key: Cow::Owned(key),
                value_var,
                element: (written.file, written.expr),
            };
            let reader = Reader {
                bound: Some(bound.clone()),
                ..self.at(self.file)
            };
            // A filter decided only under a default a deployment can override (`if var.on`)
            // does not decide which elements there are: the expression is not expanded.
            if let Some(cond) = &for_expr.cond {
                let mut assumed = Vec::new();
                let keep = reader.holds(&cond.expr, &mut assumed, depth + 1)?;
                if assumed.iter().any(|a| !collection_assumed.contains(a)) {
                    return None;
                }
                if !keep {
                    continue;
                }
            }
            let key = reader.evaluate(key_expr, depth + 1);
            if !key.unresolved.is_empty() || !seen.insert(key.text.clone()) {
                // A key only a deployment knows, or one made twice (which Terraform refuses).
                return None;
            }
            kept.push(ForElement {
                key: key.text,
                bound,
            });
        }
        Some((kept, assumed))
    }

    /// Whether a condition holds (a `for` expression's `if` filter, with the element this
    /// reader binds; a conditional's condition): a Boolean known here (written, or a member of
    /// the element, or a variable's default, whose name goes to `assumed`), `!` of one, or
    /// `==`/`!=` of values known here (see [`equals`]); `None` for anything else.
    pub(super) fn holds(
        &self,
        cond: &'b Expression,
        assumed: &mut Vec<String>,
        depth: usize,
    ) -> Option<bool> {
        if depth > MAX_REFERENCE_DEPTH {
            return None;
        }
        match cond {
            Expression::Parenthesis(inner) => self.holds(inner.inner(), assumed, depth + 1),
            Expression::UnaryOp(op) if *op.operator.value() == UnaryOperator::Not => {
                self.holds(&op.expr, assumed, depth + 1).map(|b| !b)
            }
            Expression::BinaryOp(op) => {
                let equal = match op.operator.value() {
                    BinaryOperator::Eq => true,
                    BinaryOperator::NotEq => false,
                    _ => return None,
                };
                let left = self.value_of(&op.lhs_expr, depth + 1);
                let right = self.value_of(&op.rhs_expr, depth + 1);
                let same = equals(self, &left, &right, depth)?;
                assumed.extend(left.assumed);
                assumed.extend(right.assumed);
                Some(same == equal)
            }
            _ => {
                let value = self.value_of(cond, depth + 1);
                let Shape::Bool(holds) = value.shape else {
                    return None;
                };
                assumed.extend(value.assumed);
                Some(holds)
            }
        }
    }
}

/// Whether an expression is the module's input as written: `var.x` (or a member of it), or
/// `toset()`, `tomap()`, `keys()`, `values()` or `length()` of one.
fn is_input(expr: &Expression) -> bool {
    match expr {
        Expression::Traversal(traversal) => {
            matches!(&traversal.expr, Expression::Variable(root) if root.as_str() == "var")
        }
        Expression::Parenthesis(inner) => is_input(inner.inner()),
        Expression::FuncCall(call)
            if matches!(
                call.name.name.as_str(),
                "toset" | "tomap" | "keys" | "values" | "length"
            ) && call.name.namespace.is_empty() =>
        {
            call.args.iter().next().is_some_and(is_input)
        }
        _ => false,
    }
}

/// Runs `read`, adding `assumed` (the defaults the values came from) to each condition it
/// finds.
pub(super) fn assuming(
    found: &mut Vec<(usize, Found)>,
    assumed: &[String],
    read: impl FnOnce(&mut Vec<(usize, Found)>),
) {
    let before = found.len();
    read(found);
    for (_, found) in found.get_mut(before..).into_iter().flatten() {
        for name in assumed {
            if !found.place.assumed.contains(name) {
                found.place.assumed.push(name.clone());
            }
        }
    }
}
