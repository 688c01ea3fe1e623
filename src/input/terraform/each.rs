//! The instances of a resource or module call: its `for_each` over a map or set written
//! literally (or a `for` expression over one), or its `count`, each read with its own `each`
//! or `count.index`.

use std::borrow::Cow;
use std::collections::HashSet;

use hcl_edit::expr::{
    BinaryOperator, Expression, ForExpr, ObjectKey, TraversalOperator, UnaryOperator,
};
use hcl_edit::structure::Block;
use hcl_edit::template::Element;

use super::resolve::member;
use super::{Found, MAX_REFERENCE_DEPTH, Reader, assuming};

/// One instance of a resource's `for_each`: its key, its value with the file it is written
/// in (`None` for a set, whose value is its key), and, for an instance of a `for` expression,
/// its variables, which the value may read.
#[derive(Clone)]
pub(super) struct Each<'b> {
    pub(super) key: Cow<'b, str>,
    pub(super) value: Option<(usize, &'b Expression)>,
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
    /// The element, with the file it is written in.
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
        // Each instance's reader and address, and the variable default they came from.
        let (instances, assumed): (Vec<(Self, String)>, Option<String>) =
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
                    _ => return read(self, address, found),
                },
            };
        for (reader, address) in instances {
            assuming(found, assumed.as_ref(), |found| {
                read(&reader, address, found)
            });
        }
    }

    /// How many instances a `count` expression gives: a number written literally, or
    /// `length()` of a list or map written literally (in place, a local, a variable's default:
    /// an assumption, named in the second field).
    fn count_of(&self, expression: &'b Expression) -> Option<(usize, Option<String>)> {
        match expression {
            Expression::Number(n) => Some((usize::try_from(n.value().as_u64()?).ok()?, None)),
            Expression::FuncCall(call)
                if call.name.name.as_str() == "length" && call.args.len() == 1 =>
            {
                let arg = call.args.iter().next()?;
                let (value, assumed) = match arg {
                    Expression::Traversal(_) => {
                        let (_, value, assumed) = self.resolve(arg, 0)?;
                        (value, assumed)
                    }
                    other => (other, None),
                };
                let len = match value {
                    Expression::Array(items) => items.len(),
                    Expression::Object(object) => object.len(),
                    _ => return None,
                };
                Some((len, assumed))
            }
            _ => None,
        }
    }

    /// The instances a `for_each` expression gives, when it is a map or a set of strings
    /// written literally: in place, in a local (or a member of one), in a variable's default
    /// (an assumption, named in the second field), `toset([...])` of strings, `merge()` of
    /// maps, or a `for` expression over such a collection (see [`Reader::for_instances`]).
    fn instances(
        &self,
        expression: &'b Expression,
        depth: usize,
    ) -> Option<(Vec<Each<'b>>, Option<String>)> {
        if depth > MAX_REFERENCE_DEPTH {
            return None;
        }
        match expression {
            Expression::Object(object) => {
                let mut instances = Vec::new();
                for (key, value) in object.iter() {
                    let key = match key {
                        ObjectKey::Ident(ident) => ident.as_str(),
                        ObjectKey::Expression(Expression::String(s)) => s.value().as_str(),
                        ObjectKey::Expression(_) => return None,
                    };
                    instances.push(Each {
                        key: Cow::Borrowed(key),
                        value: Some((self.file, value.expr())),
                        bound: None,
                    });
                }
                Some((instances, None))
            }
            Expression::Array(items) => {
                let mut instances = Vec::new();
                for item in items.iter() {
                    let Expression::String(s) = item else {
                        return None;
                    };
                    instances.push(Each {
                        key: Cow::Borrowed(s.value().as_str()),
                        value: None,
                        bound: None,
                    });
                }
                Some((instances, None))
            }
            Expression::FuncCall(call)
                if call.name.name.as_str() == "toset" && call.args.len() == 1 =>
            {
                self.instances(call.args.iter().next()?, depth + 1)
            }
            Expression::ForExpr(for_expr) => self.for_instances(for_expr, depth + 1),
            // `merge(local.a, {…})` of maps: a later map's key replaces an earlier one's.
            Expression::FuncCall(call) if call.name.name.as_str() == "merge" => {
                let mut merged: Vec<Each<'b>> = Vec::new();
                let mut assumed = None;
                for argument in call.args.iter() {
                    let (instances, from) = self.instances(argument, depth + 1)?;
                    assumed = assumed.or(from);
                    for instance in instances {
                        // A set's instances have no value: `merge()` takes maps.
                        instance.value?;
                        match merged.iter_mut().find(|m| m.key == instance.key) {
                            Some(earlier) => *earlier = instance,
                            None => merged.push(instance),
                        }
                    }
                }
                Some((merged, assumed))
            }
            Expression::Traversal(_) => {
                let (file, value, assumed) = self.resolve(expression, depth)?;
                let (instances, inner) = self.at(file).instances(value, depth + 1)?;
                Some((instances, assumed.or(inner)))
            }
            _ => None,
        }
    }

    /// The instances of `{ for a in COLLECTION : KEY => VALUE }` (see
    /// [`Reader::for_elements`]): each instance's value is VALUE, read with the element's
    /// variables bound (`each.value.role` of `=> { role = a.role }` is the element's `role`).
    pub(super) fn for_instances(
        &self,
        for_expr: &'b ForExpr,
        depth: usize,
    ) -> Option<(Vec<Each<'b>>, Option<String>)> {
        let (elements, assumed) = self.for_elements(for_expr, depth)?;
        let value_var = for_expr.intro.value_var.as_str();
        let instances = elements
            .into_iter()
            .map(|ForElement { key, bound }| {
                let value = match &for_expr.value_expr {
                    // The element itself.
                    Expression::Variable(name) if name.as_str() == value_var => bound.element,
                    value => (self.file, value),
                };
                Each {
                    key: Cow::Owned(key),
                    value: Some(value),
                    bound: Some(bound),
                }
            })
            .collect();
        Some((instances, assumed))
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
    ) -> Option<(Vec<ForElement<'b>>, Option<String>)> {
        if depth > MAX_REFERENCE_DEPTH || for_expr.grouping {
            return None;
        }
        let key_expr = for_expr.key_expr.as_ref()?;
        let value_var = for_expr.intro.value_var.as_str();
        let key_var = for_expr.intro.key_var.as_ref().map(|v| v.as_str());
        let collection = &for_expr.intro.collection_expr;
        let (file, collection, assumed) = match collection {
            Expression::Traversal(_) => self.resolve(collection, depth)?,
            _ => (self.file, collection, None),
        };
        let elements: Vec<(Cow<'b, str>, &'b Expression)> = match collection {
            Expression::Array(items) => items
                .iter()
                .enumerate()
                .map(|(index, item)| (Cow::Owned(index.to_string()), item))
                .collect(),
            Expression::Object(object) => object
                .iter()
                .map(|(key, value)| match key {
                    ObjectKey::Ident(ident) => Some((Cow::Borrowed(ident.as_str()), value.expr())),
                    ObjectKey::Expression(Expression::String(s)) => {
                        Some((Cow::Borrowed(s.value().as_str()), value.expr()))
                    }
                    ObjectKey::Expression(_) => None,
                })
                .collect::<Option<_>>()?,
            _ => return None,
        };
        if elements.len() > MAX_INSTANCES {
            return None;
        }
        let mut seen = HashSet::new();
        let mut kept = Vec::new();
        for (key, element) in elements {
            let (element_file, element, _) = self.at(file).follow((file, element, None), depth)?;
            let bound = Bound {
                key_var,
                key,
                value_var,
                element: (element_file, element),
            };
            if let Some(cond) = &for_expr.cond
                && !self.for_holds(&cond.expr, &bound, depth + 1)?
            {
                continue;
            }
            let key = self.for_key(key_expr, &bound, depth + 1)?;
            if !seen.insert(key.clone()) {
                // Terraform refuses a `for` expression that makes one key twice.
                return None;
            }
            kept.push(ForElement { key, bound });
        }
        Some((kept, assumed))
    }

    /// The key a `for` expression's key expression gives for one element: the key variable,
    /// the element (a string), a member of it, or a string template of those.
    fn for_key(&self, key_expr: &Expression, vars: &Bound<'b>, depth: usize) -> Option<String> {
        if depth > MAX_REFERENCE_DEPTH {
            return None;
        }
        match key_expr {
            Expression::String(s) => Some(s.value().as_str().to_owned()),
            Expression::Variable(name) if Some(name.as_str()) == vars.key_var => {
                Some(vars.key.clone().into_owned())
            }
            Expression::Variable(name) if name.as_str() == vars.value_var => {
                self.literal_string(vars.element, depth)
            }
            Expression::Traversal(traversal) => {
                let Expression::Variable(root) = &traversal.expr else {
                    return None;
                };
                if root.as_str() != vars.value_var {
                    return None;
                }
                let at = self.element_member(traversal, vars, depth)?;
                self.literal_string(at, depth)
            }
            Expression::StringTemplate(template) => {
                let mut key = String::new();
                for element in template.iter() {
                    match element {
                        Element::Literal(literal) => key.push_str(literal.value()),
                        Element::Interpolation(interpolation) => {
                            key.push_str(&self.for_key(&interpolation.expr, vars, depth + 1)?);
                        }
                        Element::Directive(_) => return None,
                    }
                }
                Some(key)
            }
            _ => None,
        }
    }

    /// The member of the element a traversal rooted at the value variable names
    /// (`a.name`, `a["name"]`, `a.tags[0]`), each step through members written literally.
    fn element_member(
        &self,
        traversal: &hcl_edit::expr::Traversal,
        vars: &Bound<'b>,
        depth: usize,
    ) -> Option<(usize, &'b Expression)> {
        let mut at = vars.element;
        for operator in traversal.operators.iter() {
            let step = match operator.value() {
                TraversalOperator::GetAttr(_)
                | TraversalOperator::LegacyIndex(_)
                | TraversalOperator::Index(Expression::Number(_) | Expression::String(_)) => {
                    self.step(operator.value(), depth)?
                }
                _ => return None,
            };
            let value = member(at.1, &step)?;
            let (file, value, _) = self.at(at.0).follow((at.0, value, None), depth)?;
            at = (file, value);
        }
        Some(at)
    }

    /// Whether a `for` expression's `if` filter holds for one element: a Boolean written
    /// literally (or a member of the element naming one), `!` of one, or `==`/`!=` of strings
    /// and Booleans; `None` for anything else.
    fn for_holds(&self, cond: &Expression, vars: &Bound<'b>, depth: usize) -> Option<bool> {
        if depth > MAX_REFERENCE_DEPTH {
            return None;
        }
        match cond {
            Expression::Parenthesis(inner) => self.for_holds(inner.inner(), vars, depth + 1),
            Expression::UnaryOp(op) if *op.operator.value() == UnaryOperator::Not => {
                self.for_holds(&op.expr, vars, depth + 1).map(|b| !b)
            }
            Expression::BinaryOp(op) => {
                let equal = match op.operator.value() {
                    BinaryOperator::Eq => true,
                    BinaryOperator::NotEq => false,
                    _ => return None,
                };
                let left = self.for_scalar(&op.lhs_expr, vars, depth + 1)?;
                let right = self.for_scalar(&op.rhs_expr, vars, depth + 1)?;
                // Terraform compares values of two types as unequal; azabac does not follow
                // its conversions.
                if std::mem::discriminant(&left) != std::mem::discriminant(&right) {
                    return None;
                }
                Some((left == right) == equal)
            }
            _ => match self.for_scalar(cond, vars, depth + 1)? {
                Scalar::Bool(value) => Some(value),
                Scalar::String(_) => None,
            },
        }
    }

    /// A string or Boolean written literally, or a member of the element naming one.
    fn for_scalar(&self, expr: &Expression, vars: &Bound<'b>, depth: usize) -> Option<Scalar> {
        match expr {
            Expression::Bool(value) => Some(Scalar::Bool(*value.value())),
            Expression::Traversal(traversal) if matches!(&traversal.expr, Expression::Variable(root) if root.as_str() == vars.value_var) =>
            {
                let at = self.element_member(traversal, vars, depth)?;
                let (_, value, _) = self.at(at.0).follow((at.0, at.1, None), depth)?;
                match value {
                    Expression::Bool(value) => Some(Scalar::Bool(*value.value())),
                    Expression::String(s) => Some(Scalar::String(s.value().as_str().to_owned())),
                    _ => None,
                }
            }
            _ => self.for_key(expr, vars, depth).map(Scalar::String),
        }
    }

    /// A string written literally (or a reference to one), as a key.
    fn literal_string(&self, at: (usize, &'b Expression), depth: usize) -> Option<String> {
        let (_, value, _) = self.at(at.0).follow((at.0, at.1, None), depth)?;
        match value {
            Expression::String(s) => Some(s.value().as_str().to_owned()),
            _ => None,
        }
    }
}

/// A value a `for` expression's filter compares.
#[derive(PartialEq, Eq)]
enum Scalar {
    Bool(bool),
    String(String),
}
