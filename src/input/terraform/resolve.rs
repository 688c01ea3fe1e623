//! References followed to the values the module writes: `local.x`, a variable's default (an
//! assumption), `each.value`, a `for` expression's variables, and members of them (`.key`,
//! `["key"]`, `[0]`), each step looking through a value that is itself a reference.

use hcl_edit::expr::{Expression, ObjectKey, TraversalOperator};

use super::{MAX_REFERENCE_DEPTH, Reader};

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

    /// What a reference names, written literally: `local.x`, `var.x` (its default: an
    /// assumption, named in the third field) or `each.value`, and members of it (`.key`,
    /// `["key"]`, `[0]`); with the file it is written in. `None` for anything else.
    pub(super) fn resolve(
        &self,
        expression: &Expression,
        depth: usize,
    ) -> Option<(usize, &'b Expression, Option<String>)> {
        match self.walk(expression, depth) {
            Walk::Found(found) => Some(found),
            Walk::Lacks | Walk::Unknown => None,
        }
    }

    /// `lookup(map, key[, default])` of a map written literally (a local, a variable's
    /// default, `each.value`): the member (followed through references), or its default when
    /// the map lacks the key and the call gives one; `None` for anything else.
    pub(super) fn looked_up(
        &self,
        call: &hcl_edit::expr::FuncCall,
        depth: usize,
    ) -> Option<LookedUp<'b>> {
        if call.name.name.as_str() != "lookup" || !call.name.namespace.is_empty() {
            return None;
        }
        let args: Vec<&Expression> = call.args.iter().collect();
        let (map, key, default) = match args.as_slice() {
            [map, key] => (*map, *key, false),
            [map, key, _] => (*map, *key, true),
            _ => return None,
        };
        let (file, object, assumed) = self.resolve(map, depth + 1)?;
        if !matches!(object, Expression::Object(_)) {
            return None;
        }
        let key = self.evaluate(key, depth + 1);
        if !key.unresolved.is_empty() {
            return None;
        }
        match member(object, &Step::Key(key.text)) {
            Some(value) => self
                .at(file)
                .follow((file, value, assumed), depth + 1)
                .map(LookedUp::Member),
            None => default.then_some(LookedUp::Default),
        }
    }

    /// Whether `expression` names a member that a value written literally lacks
    /// (`local.names[2]` of a two-item list): Terraform's error, not a value a deployment
    /// supplies.
    pub(super) fn lacks_member(&self, expression: &Expression, depth: usize) -> bool {
        matches!(self.walk(expression, depth), Walk::Lacks)
    }

    fn walk(&self, expression: &Expression, depth: usize) -> Walk<'b> {
        if depth > MAX_REFERENCE_DEPTH {
            return Walk::Unknown;
        }
        let Expression::Traversal(traversal) = expression else {
            return Walk::Unknown;
        };
        let Expression::Variable(root) = &traversal.expr else {
            return Walk::Unknown;
        };
        // A `for` expression's value variable: the element, every operator a member of it.
        if let Some(bound) = self.bound.as_ref().filter(|b| b.value_var == root.as_str()) {
            let (file, element) = bound.element;
            return self.walk_members((file, element, None), &traversal.operators, depth);
        }
        let Some((first, members)) = traversal.operators.split_first() else {
            return Walk::Unknown;
        };
        let TraversalOperator::GetAttr(name) = first.value() else {
            return Walk::Unknown;
        };
        let name = name.as_str();
        let root = match root.as_str() {
            "local" => self
                .scope
                .locals
                .get(name)
                .map(|&(file, value)| (file, value, None)),
            "var" => self
                .scope
                .variables
                .get(name)
                .map(|&(file, value)| (file, value, Some(format!("var.{name}")))),
            "each" if name == "value" => self
                .each
                .as_ref()
                .and_then(|each| each.value)
                .map(|(file, value)| (file, value, None)),
            _ => None,
        };
        match root {
            Some(root) => self.walk_members(root, members, depth),
            None => Walk::Unknown,
        }
    }

    /// The members `operators` name, from `root` on.
    fn walk_members(
        &self,
        root: (usize, &'b Expression, Option<String>),
        operators: &[hcl_edit::Decorated<TraversalOperator>],
        depth: usize,
    ) -> Walk<'b> {
        // Each step looks through a value that is itself a reference (`{ ra = local.ra }`).
        let Some(mut at) = self.at(root.0).follow(root, depth) else {
            return Walk::Unknown;
        };
        for operator in operators {
            let Some(step) = self.step(operator.value(), depth) else {
                return Walk::Unknown;
            };
            match member(at.1, &step) {
                Some(value) => at.1 = value,
                None if matches!(at.1, Expression::Object(_) | Expression::Array(_)) => {
                    return Walk::Lacks;
                }
                None => return Walk::Unknown,
            }
            at = match self.at(at.0).follow(at, depth) {
                Some(at) => at,
                None => return Walk::Unknown,
            };
        }
        Walk::Found(at)
    }

    /// The step a traversal operator takes: `.key`, `["key"]`, `[0]`, or an index that is
    /// itself a reference resolving to a literal (`[count.index]`, `[each.key]`).
    pub(super) fn step(&self, operator: &TraversalOperator, depth: usize) -> Option<Step> {
        match operator {
            TraversalOperator::GetAttr(key) => Some(Step::Key(key.as_str().to_owned())),
            TraversalOperator::LegacyIndex(n) => {
                Some(Step::Index(usize::try_from(*n.value()).ok()?))
            }
            TraversalOperator::Index(Expression::Number(n)) => {
                Some(Step::Index(usize::try_from(n.value().as_u64()?).ok()?))
            }
            TraversalOperator::Index(Expression::String(key)) => {
                Some(Step::Key(key.value().as_str().to_owned()))
            }
            TraversalOperator::Index(
                index @ (Expression::Traversal(_) | Expression::Variable(_)),
            ) => {
                let value = self.evaluate(index, depth + 1);
                value.unresolved.is_empty().then_some(Step::Key(value.text))
            }
            _ => None,
        }
    }

    /// `found`, or what it names when it is itself a reference that resolves.
    pub(super) fn follow(
        &self,
        found: (usize, &'b Expression, Option<String>),
        depth: usize,
    ) -> Option<(usize, &'b Expression, Option<String>)> {
        let (file, value, assumed) = found;
        if !matches!(value, Expression::Traversal(_)) {
            return Some((file, value, assumed));
        }
        match self.at(file).resolve(value, depth + 1) {
            Some((file, value, inner)) => Some((file, value, assumed.or(inner))),
            None => Some((file, value, assumed)),
        }
    }
}

/// What `lookup()` gives: the map's member, or the call's default.
pub(super) enum LookedUp<'b> {
    Member((usize, &'b Expression, Option<String>)),
    Default,
}

/// Where a reference leads: to a value written in the module, to a member that such a value
/// lacks, or to something only a deployment knows.
enum Walk<'b> {
    Found((usize, &'b Expression, Option<String>)),
    Lacks,
    Unknown,
}

/// One step into a value: `.key` or `["key"]`, or `[0]`.
pub(super) enum Step {
    Key(String),
    Index(usize),
}

/// The member of an object or list written literally that `step` names; `None` for anything
/// else.
pub(super) fn member<'e>(value: &'e Expression, step: &Step) -> Option<&'e Expression> {
    match (value, step) {
        (Expression::Object(object), Step::Key(key)) => object.iter().find_map(|(k, v)| {
            let name = match k {
                ObjectKey::Ident(ident) => ident.as_str(),
                ObjectKey::Expression(Expression::String(s)) => s.value().as_str(),
                ObjectKey::Expression(_) => return None,
            };
            (name == key).then(|| v.expr())
        }),
        (Expression::Array(items), Step::Index(index)) => items.get(*index),
        // `list["0"]`: Terraform converts the key to a number for a list.
        (Expression::Array(items), Step::Key(key)) => items.get(key.parse::<usize>().ok()?),
        _ => None,
    }
}
