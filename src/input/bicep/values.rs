//! Bicep values as strings, as far as literals resolve: strings decoded with their offsets,
//! interpolations, `var`s and `param` defaults (assumptions), loop bindings and their members,
//! and role definition references, each read from the parsed expression.

use super::syntax::{Binary, Expr, Kind, Piece};
use super::{Field, Scope, field};

use crate::limits::BICEP_MAX_NULL_DEPTH as MAX_NULL_DEPTH;
use crate::limits::BICEP_MAX_REFERENCE_DEPTH as MAX_REFERENCE_DEPTH;

/// A string value as far as it resolves: the value layer's
/// [`Text`](crate::input::value::Text).
pub(super) use super::super::value::Text as Value;

/// One step into a value: `.key`, `['key']`, or `[0]`; `safe` for `.?key`, `[?'key']` and
/// `[?0]`, which are `null` where the value lacks the member.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Step {
    Key(String, bool),
    Index(usize, bool),
}

/// `name`, `name.key`, `name['key']`, `name.?key`, `name[0]` and chains of them: the root name
/// and the steps; `None` for any other expression.
pub(super) fn member_path(expr: &Expr) -> Option<(&str, Vec<Step>)> {
    let mut steps = Vec::new();
    let mut current = expr;
    loop {
        match &current.kind {
            Kind::Name(root) => {
                steps.reverse();
                return Some((root, steps));
            }
            Kind::Member { target, name, safe } => {
                steps.push(Step::Key(name.clone(), *safe));
                current = target;
            }
            Kind::Index {
                target,
                index,
                safe,
                from_end: false,
            } => {
                steps.push(match &index.kind {
                    Kind::Integer(digits) => Step::Index(digits.parse().ok()?, *safe),
                    Kind::String(pieces) => Step::Key(super::syntax::plain(pieces)?, *safe),
                    _ => return None,
                });
                current = target;
            }
            _ => return None,
        }
    }
}

/// What a member path leads to.
pub(super) enum Lookup<'e> {
    /// A value written in the file, and the parameter whose default it comes from, if any.
    Found(&'e Expr, Option<String>),
    /// `null`: a safe member (`.?key`, `[?0]`) the value lacks, and the parameter whose
    /// default that value is, if any.
    Null(Option<String>),
    /// A member the value written lacks: Bicep's error, not a value a deployment supplies.
    Missing,
    /// A name or a value the file does not write.
    Unknown,
}

impl<'s> Scope<'s> {
    /// The value a member path names, through the bindings, `var`s and `param` defaults.
    pub(super) fn lookup(&self, expr: &Expr) -> Lookup<'_> {
        let Some((root, path)) = member_path(expr) else {
            return Lookup::Unknown;
        };
        let (mut node, assumed) = match self.bindings.iter().rev().find(|(name, _)| name == root) {
            Some((_, Some(node))) => (node, None),
            // A loop's item or a lambda's parameter whose value is not known here: it shadows
            // any `var` or `param` of its name.
            Some((_, None)) => return Lookup::Unknown,
            None => match (self.vars.get(root), self.params.get(root)) {
                (Some(node), _) => (node, None),
                (None, Some(node)) => (node, Some(format!("param {root}"))),
                (None, None) => return Lookup::Unknown,
            },
        };
        for step in &path {
            node = match (&node.kind, step) {
                (Kind::Object(properties), Step::Key(key, safe)) => match field(properties, key) {
                    Field::Value(value) => value,
                    Field::Missing if *safe => return Lookup::Null(assumed),
                    Field::Missing => return Lookup::Missing,
                    Field::Spread(_) => return Lookup::Unknown,
                },
                (Kind::Array(elements), Step::Index(index, safe)) => {
                    match super::syntax::element(elements, *index) {
                        Some(Some(value)) => value,
                        Some(None) => return Lookup::Unknown,
                        None if *safe => return Lookup::Null(assumed),
                        None => return Lookup::Missing,
                    }
                }
                (Kind::Null, Step::Key(_, true) | Step::Index(_, true)) => {
                    return Lookup::Null(assumed);
                }
                (Kind::Object(_) | Kind::Array(_) | Kind::String(_), _) => {
                    return Lookup::Missing;
                }
                _ => return Lookup::Unknown,
            };
        }
        Lookup::Found(node, assumed)
    }

    /// Whether `expr` is `null`: written so, a `var` or a member holding it, a safe member the
    /// value lacks, a ternary or `??` that comes to it, or a `param` whose default it is (under
    /// the default there is no value, such as a condition left out). `Some` with the defaults
    /// it took when it is `null`.
    pub(super) fn is_null(&self, expr: &Expr, depth: usize) -> Option<Vec<String>> {
        match &expr.kind {
            Kind::Null => Some(Vec::new()),
            Kind::Parenthesized(inner) => self.is_null(inner, depth),
            _ if depth > MAX_NULL_DEPTH => None,
            Kind::Ternary {
                condition,
                then,
                otherwise,
            } => {
                let mut assumed = Vec::new();
                let branch = if self.holds(condition, &mut assumed, 0)? {
                    then
                } else {
                    otherwise
                };
                let mut inner = self.is_null(branch, depth + 1)?;
                assumed.append(&mut inner);
                Some(assumed)
            }
            Kind::Binary {
                operator: Binary::Coalesce,
                left,
                right,
            } => {
                let mut assumed = self.is_null(left, depth + 1)?;
                assumed.extend(self.is_null(right, depth + 1)?);
                Some(assumed)
            }
            _ => match self.lookup(expr) {
                Lookup::Null(assumed) => Some(assumed.into_iter().collect()),
                Lookup::Found(node, assumed) => {
                    let mut inner = self.is_null(node, depth + 1)?;
                    inner.extend(assumed);
                    Some(inner)
                }
                Lookup::Missing | Lookup::Unknown => None,
            },
        }
    }

    /// `expr` as a string, as far as it resolves; `at` is where it sits in the file.
    pub(super) fn string(&self, expr: &Expr, at: usize, depth: usize) -> Value {
        let mut value = Value::default();
        match &expr.kind {
            Kind::String(pieces) => {
                for piece in pieces {
                    match piece {
                        Piece::Text(text, offsets) => {
                            value.text.push_str(text);
                            value.offsets.extend(offsets);
                        }
                        Piece::Hole(hole, at) => self.interpolate(&mut value, hole, *at, depth),
                    }
                }
            }
            Kind::Object(_) | Kind::Array(_) | Kind::For(_) => {
                value.unresolved.push("a value that is not a string".into());
            }
            Kind::Parenthesized(inner) => return self.string(inner, at, depth),
            // `condition ? then : otherwise`: the branch the condition picks, where it is
            // decided offline; else the value depends on the condition.
            Kind::Ternary {
                condition,
                then,
                otherwise,
            } if depth <= MAX_REFERENCE_DEPTH => {
                let mut assumed = Vec::new();
                let Some(holds) = self.holds(condition, &mut assumed, 0) else {
                    value.unresolved.push(self.source(condition));
                    return value;
                };
                let mut value = self.string(if holds { then } else { otherwise }, at, depth + 1);
                value.assumed.extend(assumed);
                return value;
            }
            // `value ?? fallback`: the fallback where the value is `null`.
            Kind::Binary {
                operator: Binary::Coalesce,
                left,
                right,
            } if depth <= MAX_REFERENCE_DEPTH => {
                if let Some(assumed) = self.is_null(left, 0) {
                    let mut value = self.string(right, at, depth + 1);
                    value.assumed.extend(assumed);
                    return value;
                }
                let first = self.string(left, at, depth + 1);
                if first.unresolved.is_empty() {
                    return first;
                }
                value.unresolved.push(self.source(expr));
            }
            _ => value.extend(self.reference(expr, at, depth), Some(at)),
        }
        value
    }

    /// `${hole}` at `at`, appended to `value`.
    fn interpolate(&self, value: &mut Value, hole: &Expr, at: usize, depth: usize) {
        let source = self.source(hole);
        if self.is_role_definition_id(hole) {
            // A resource id for sure, known or not: kept as written (with its `${` and `}`),
            // so that the error points at it.
            let written = format!("${{{source}}}");
            let start = value.text.len();
            value.text.push_str(&written);
            value.offsets.extend((0..written.len()).map(|i| at + i));
            value.unresolved.push(source.clone());
            value
                .resource_ids
                .push((start..start + written.len(), source));
            return;
        }
        let inner = self.reference(hole, at, depth);
        // What the value adds to the output: its text, and the names of what it leaves open.
        if !self.spend(inner.cost(), at) {
            value.unresolved.push(past_budget());
            return;
        }
        value.extend(inner, Some(at));
    }

    /// Spends `bytes` of the file's budget for resolved values, for the value at `at`;
    /// `false` once it is spent.
    fn spend(&self, bytes: usize, at: usize) -> bool {
        self.budget.spend(bytes, at)
    }

    /// A reference: a `var` of a literal, a loop's item, a member of one, or a `param`'s
    /// default (an assumption).
    pub(super) fn reference(&self, expr: &Expr, at: usize, depth: usize) -> Value {
        // Each reference costs a byte too, so that empty values cannot multiply the work.
        if !self.spend(1, at) {
            return Value {
                unresolved: vec![past_budget()],
                ..Value::default()
            };
        }
        // What it is named by in the report, made only when it does not resolve.
        let unresolved = || Value::unresolved(self.source(expr), at);
        if let Kind::Parenthesized(inner) = &expr.kind {
            return self.reference(inner, at, depth);
        }
        // `roleDef.name` of a role definition resource: its GUID, where written literally.
        if let Kind::Member { target, name, .. } = &expr.kind
            && name == "name"
            && let Kind::Name(symbol) = &target.kind
            && let Some((_, Some(node))) = self.role_definitions.iter().find(|(s, _)| s == symbol)
            && depth <= MAX_REFERENCE_DEPTH
        {
            return self.string(node, at, depth + 1);
        }
        if depth > MAX_REFERENCE_DEPTH {
            return unresolved();
        }
        match self.lookup(expr) {
            Lookup::Found(node, assumed) => {
                let mut value = self.string(node, at, depth + 1);
                value.assumed.extend(assumed);
                value
            }
            // A member a literal value lacks is Bicep's error, not a value a deployment
            // supplies: no hole.
            Lookup::Missing | Lookup::Null(_) => Value::missing(self.source(expr)),
            Lookup::Unknown => unresolved(),
        }
    }
}

/// What a value past the file's budget is, for the report.
fn past_budget() -> String {
    format!(
        "values past azabac's budget of {} bytes per Bicep file",
        crate::limits::BICEP_MAX_VALUE_BYTES
    )
}
