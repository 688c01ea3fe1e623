//! Bicep values as strings, as far as literals resolve: string parts decoded with their
//! offsets, interpolations, `var`s and `param` defaults (assumptions), loop bindings and their
//! members, and role definition references.

use super::{Hole, Node, Part, Scope, get};

use crate::limits::BICEP_MAX_NULL_DEPTH as MAX_NULL_DEPTH;

/// A string value as far as it resolves.
#[derive(Default)]
pub(super) struct Value {
    pub(super) text: String,
    pub(super) offsets: Vec<usize>,
    pub(super) unresolved: Vec<String>,
    /// Where in `text` each unresolved value goes.
    pub(super) holes: Vec<Hole>,
    pub(super) assumed: Vec<String>,
    pub(super) resource_ids: Vec<(std::ops::Range<usize>, String)>,
}

impl Scope<'_> {
    /// Whether `node` is `null`: written so, or a `var` holding it, or a `param` whose default
    /// it is (under the default there is no value, such as a condition left out).
    pub(super) fn is_null(&self, node: &Node, depth: usize) -> bool {
        let Node::Other(source, _) = node else {
            return false;
        };
        let source = source.trim();
        if source == "null" {
            return true;
        }
        if depth > MAX_NULL_DEPTH {
            return false;
        }
        if self.bindings.iter().any(|(name, _)| name == source) {
            return false;
        }
        match (self.vars.get(source), self.params.get(source)) {
            (Some(node), _) | (None, Some(node)) => self.is_null(node, depth + 1),
            (None, None) => false,
        }
    }

    pub(super) fn string(&self, node: &Node, at: usize, depth: usize) -> Value {
        let mut value = Value::default();
        match node {
            Node::String(parts) => {
                for part in parts {
                    match part {
                        Part::Text(text, offsets) => {
                            value.text.push_str(text);
                            value.offsets.extend(offsets);
                        }
                        Part::Interpolation(source, at) => {
                            if self.is_role_definition_id(source.trim()) {
                                // A resource id for sure, known or not: kept as written (with
                                // its `${` and `}`), so that the error points at it.
                                let written = format!("${{{source}}}");
                                let start = value.text.len();
                                value.text.push_str(&written);
                                value.offsets.extend((0..written.len()).map(|i| at + i));
                                value.unresolved.push(source.trim().to_owned());
                                value
                                    .resource_ids
                                    .push((start..start + written.len(), source.trim().to_owned()));
                                continue;
                            }
                            let inner = self.reference(source.trim(), *at, depth);
                            if !self.spend(inner.text.len(), *at) {
                                value.unresolved.push(past_budget());
                                continue;
                            }
                            let base = value.text.len();
                            value.holes.extend(inner.holes.into_iter().map(|hole| Hole {
                                at: hole.at + base,
                                offset: *at,
                                ..hole
                            }));
                            value.text.push_str(&inner.text);
                            value
                                .offsets
                                .extend(std::iter::repeat_n(*at, inner.text.len()));
                            value.unresolved.extend(inner.unresolved);
                            value.assumed.extend(inner.assumed);
                        }
                    }
                }
            }
            Node::Other(source, _) => {
                let inner = self.reference(source.trim(), at, depth);
                value.text = inner.text;
                value.offsets = vec![at; value.text.len()];
                value.unresolved = inner.unresolved;
                value.holes = inner.holes;
                value.assumed = inner.assumed;
            }
            _ => value.unresolved.push("a value that is not a string".into()),
        }
        value
    }

    /// Spends `bytes` of the file's budget for resolved values, for the value at `at`;
    /// `false` once it is spent.
    fn spend(&self, bytes: usize, at: usize) -> bool {
        self.budget.spend(bytes, at)
    }

    /// A name: a `var` of a literal, or a `param`'s default (an assumption).
    pub(super) fn reference(&self, name: &str, at: usize, depth: usize) -> Value {
        // Each reference costs a byte too, so that empty values cannot multiply the work.
        if !self.spend(1, at) {
            return Value {
                unresolved: vec![past_budget()],
                ..Value::default()
            };
        }
        let unresolved = || Value {
            unresolved: vec![name.to_owned()],
            holes: vec![Hole {
                at: 0,
                source: name.to_owned(),
                offset: at,
            }],
            ..Value::default()
        };
        // `roleDef.name` of a role definition resource: its GUID, where written literally.
        if let Some(symbol) = name.strip_suffix(".name")
            && let Some((_, Some(node))) = self.role_definitions.iter().find(|(s, _)| *s == symbol)
            && depth <= 16
        {
            return self.string(node, at, depth + 1);
        }
        let Some((root, path)) = member_path(name).filter(|_| depth <= 16) else {
            return unresolved();
        };
        let bound = self.bindings.iter().rev().find(|(name, _)| name == root);
        let (node, param) = match (bound, self.vars.get(root), self.params.get(root)) {
            (Some((_, node)), _, _) => (node, false),
            (None, Some(node), _) => (node, false),
            (None, None, Some(node)) => (node, true),
            (None, None, None) => return unresolved(),
        };
        // `vars.key`, `vars['key']`, `list[0]`: into an object or array written literally. A
        // member it lacks is Bicep's error, not a value a deployment supplies: no hole.
        let missing = || Value {
            unresolved: vec![name.to_owned()],
            ..Value::default()
        };
        let mut node = node;
        for step in &path {
            node = match (node, step) {
                (Node::Object(fields), Step::Key(key)) => match get(fields, key) {
                    Some(node) => node,
                    None => return missing(),
                },
                (Node::Array(items), Step::Index(index)) => match items.get(*index) {
                    Some(node) => node,
                    None => return missing(),
                },
                _ => return missing(),
            };
        }
        let mut value = self.string(node, at, depth + 1);
        if param {
            value.assumed.push(format!("param {root}"));
        }
        value
    }
}

/// What a value past the file's budget is, for the report.
fn past_budget() -> String {
    format!(
        "values past azabac's budget of {} bytes per Bicep file",
        crate::limits::BICEP_MAX_VALUE_BYTES
    )
}

/// One step into a value: `.key` or `['key']`, or `[0]`.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Step {
    Key(String),
    Index(usize),
}

/// `name`, `name.key`, `name['key']`, `name[0]` and chains of them: the root identifier and
/// the steps; `None` for any other expression.
pub(super) fn member_path(source: &str) -> Option<(&str, Vec<Step>)> {
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let end = source
        .bytes()
        .position(|b| !is_word(b))
        .unwrap_or(source.len());
    let (root, mut rest) = source.split_at(end);
    if root.is_empty() || root.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let mut path = Vec::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after
                .bytes()
                .position(|b| !is_word(b))
                .unwrap_or(after.len());
            if end == 0 {
                return None;
            }
            path.push(Step::Key(after.get(..end)?.to_owned()));
            rest = after.get(end..)?;
        } else if let Some(after) = rest.strip_prefix("['") {
            let end = after.find("']")?;
            let key = after.get(..end)?;
            if key.contains(['\\', '\'', '$']) {
                return None;
            }
            path.push(Step::Key(key.to_owned()));
            rest = after.get(end + 2..)?;
        } else if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']')?;
            path.push(Step::Index(after.get(..end)?.trim().parse().ok()?));
            rest = after.get(end + 1..)?;
        } else {
            return None;
        }
    }
    Some((root, path))
}
