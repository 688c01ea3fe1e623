//! A module's `roleAssignments` built by an expression rather than written as an array, as
//! Azure Verified Module users write them: a `var` holding the array, `concat()` or `union()`
//! of arrays, and `map(items, item => {…})`, read per item as a `for` loop over the same
//! items (once, what it takes from the item known only at deployment, where they are not
//! known).

use super::reader::Reader;
use super::{ForLoop, MAX_DEPTH, Node, Scope};
use crate::input::place::Found;

use crate::limits::BICEP_MAX_EXPANSIONS as MAX_EXPANSIONS;

/// What reads one entry: the scope, the entry, its address, where found conditions go.
pub(super) type ReadEntry<'a> = &'a dyn Fn(&Scope<'_>, &Node, String, &mut Vec<Found>);

/// One walk over a `roleAssignments` value: the file's text (expressions are parsed where they
/// are written), what reads each entry, and how many more expressions it may lead through.
pub(super) struct Walk<'w> {
    text: &'w str,
    read: ReadEntry<'w>,
    budget: usize,
}

impl<'w> Walk<'w> {
    pub(super) fn new(text: &'w str, read: ReadEntry<'w>) -> Self {
        Walk {
            text,
            read,
            budget: MAX_EXPANSIONS,
        }
    }
}

impl Scope<'_> {
    /// Reads every role assignment entry `node` holds: an array's entries (named
    /// `address[i]`), a `for` loop's per item, and the arrays the expressions above lead to.
    pub(super) fn entries(
        &self,
        node: &Node,
        address: &str,
        found: &mut Vec<Found>,
        walk: &mut Walk<'_>,
        depth: usize,
    ) {
        let read = walk.read;
        match node {
            Node::Array(entries) => {
                for (index, node) in entries.iter().enumerate() {
                    read(self, node, format!("{address}[{index}]"), found);
                }
            }
            // `[for r in items: {…}]`: per item, as a resource loop.
            Node::For(each) => {
                self.per_item(each, address, found, |scope, address, found| {
                    read(scope, &each.body, address, found);
                });
            }
            Node::Other(source, at) if depth < MAX_DEPTH && walk.budget > 0 => {
                walk.budget -= 1;
                self.expression_entries(source, *at, address, found, walk, depth + 1);
            }
            _ => {}
        }
    }

    fn expression_entries(
        &self,
        source: &str,
        at: usize,
        address: &str,
        found: &mut Vec<Found>,
        walk: &mut Walk<'_>,
        depth: usize,
    ) {
        // A `var` that holds the array (or another such expression).
        if let Some(node) = self.vars.get(source.trim()) {
            return self.entries(node, address, found, walk, depth);
        }
        let Some((name, arguments)) = call(source) else {
            return;
        };
        let (text, read) = (walk.text, walk.read);
        let parse = |offset: usize| {
            Reader {
                text,
                at: at + offset,
            }
            .value(depth)
            .ok()
        };
        match name {
            // The entries of arrays written in place are numbered across the arguments.
            "concat" | "union" => {
                let mut index = 0;
                for (offset, _) in arguments {
                    let Some(node) = parse(offset) else {
                        continue;
                    };
                    match self.through_vars(&node, depth) {
                        Node::Array(entries) => {
                            for node in entries {
                                read(self, node, format!("{address}[{index}]"), found);
                                index += 1;
                            }
                        }
                        node => self.entries(node, address, found, walk, depth),
                    }
                }
            }
            // `map(items, item => {…})` (or `(item, i) => …`): per item, as a `for` loop over
            // the same items; the entry once, the item unbound, where they are not known.
            "map" => {
                let (Some(&(_, items)), Some(&(offset, lambda))) =
                    (arguments.first(), arguments.get(1))
                else {
                    return;
                };
                let Some(arrow) = lambda.find("=>") else {
                    return;
                };
                let parameters = lambda.get(..arrow).unwrap_or("").trim();
                let parameters = parameters
                    .strip_prefix('(')
                    .and_then(|p| p.strip_suffix(')'))
                    .unwrap_or(parameters);
                let mut names = parameters.split(',').map(|name| name.trim().to_owned());
                let (Some(item), index) = (names.next(), names.next()) else {
                    return;
                };
                let body = arrow + 2;
                let Some(node) = parse(offset + body + leading(lambda.get(body..).unwrap_or("")))
                else {
                    return;
                };
                let each = ForLoop {
                    item,
                    index,
                    source: items.to_owned(),
                    filter: None,
                    at: at + offset,
                    body: node,
                };
                self.per_item(&each, address, found, |scope, address, found| {
                    read(scope, &each.body, address, found);
                });
            }
            _ => {}
        }
    }
}

impl Scope<'_> {
    /// What `node` is, through the `var`s that hold it.
    fn through_vars<'a>(&'a self, node: &'a Node, depth: usize) -> &'a Node {
        match node {
            Node::Other(source, _) if depth < MAX_DEPTH => match self.vars.get(source.trim()) {
                Some(held) => self.through_vars(held, depth + 1),
                None => node,
            },
            _ => node,
        }
    }
}

/// A call's function name and its arguments, each with its offset in `source`; `None` when
/// `source` is not one call.
fn call(source: &str) -> Option<(&str, Vec<(usize, &str)>)> {
    let open = source.find('(')?;
    let name = source.get(..open)?.trim();
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return None;
    }
    let mut arguments = Vec::new();
    let (mut depth, mut quoted, mut escaped) = (0usize, false, false);
    let mut start = open + 1;
    for (i, c) in source.char_indices().skip_while(|(i, _)| *i <= open) {
        if quoted {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '\'' => quoted = false,
                _ => {}
            }
            continue;
        }
        match c {
            '\'' => quoted = true,
            '(' | '[' | '{' => depth += 1,
            ')' if depth == 0 => {
                let argument = source.get(start..i)?;
                if !argument.trim().is_empty() {
                    arguments.push((start + leading(argument), argument.trim()));
                }
                return source
                    .get(i + 1..)?
                    .trim()
                    .is_empty()
                    .then_some((name, arguments));
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                let argument = source.get(start..i)?;
                arguments.push((start + leading(argument), argument.trim()));
                start = i + 1;
            }
            _ => {}
        }
    }
    None
}

/// How many bytes of blank `text` starts with.
fn leading(text: &str) -> usize {
    text.len() - text.trim_start().len()
}
