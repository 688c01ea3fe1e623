//! A module's `roleAssignments` built by an expression rather than written as an array, as
//! Azure Verified Module users write them: a `var` holding the array, `concat()` or `union()`
//! of arrays, spreads (`[...a, …]`), and `map(items, item => {…})`, read per item as a `for`
//! loop over the same items (once, what it takes from the item known only at deployment,
//! where they are not known).

use super::super::value::{Member, Shape};
use super::syntax::{Element, Expr, For, Kind};
use super::{Found, Scope};

use crate::limits::BICEP_MAX_DEPTH as MAX_DEPTH;
use crate::limits::BICEP_MAX_EXPANSIONS as MAX_EXPANSIONS;

/// What reads one entry: the scope, the entry, its address, where found conditions go.
pub(super) type ReadEntry<'a> = &'a dyn Fn(&Scope<'_>, &Expr, String, &mut Vec<Found>);

/// One walk over a `roleAssignments` value: what reads each entry, and how many more
/// expressions it may lead through.
pub(super) struct Walk<'w> {
    read: ReadEntry<'w>,
    budget: usize,
}

impl<'w> Walk<'w> {
    pub(super) fn new(read: ReadEntry<'w>) -> Self {
        Walk {
            read,
            budget: MAX_EXPANSIONS,
        }
    }
}

impl Scope<'_> {
    /// Reads every role assignment entry `expr` holds: an array's entries (named
    /// `address[i]`), a `for` loop's per item, and the arrays the expressions above lead to.
    pub(super) fn entries(
        &self,
        expr: &Expr,
        address: &str,
        found: &mut Vec<Found>,
        walk: &mut Walk<'_>,
        depth: usize,
    ) {
        if depth >= MAX_DEPTH || walk.budget == 0 {
            // Entries past the bound would be lost: the file is refused instead.
            if self.expanded_past.get().is_none() {
                self.expanded_past.set(Some(expr.span.start));
            }
            return;
        }
        walk.budget -= 1;
        let read = walk.read;
        match &expr.kind {
            Kind::Array(elements) if elements.iter().all(|e| matches!(e, Element::Value(_))) => {
                for (index, element) in elements.iter().enumerate() {
                    if let Element::Value(entry) = element {
                        read(self, entry, format!("{address}[{index}]"), found);
                    }
                }
            }
            // `[...a, {…}]`: as `concat(a, [{…}])`.
            Kind::Array(elements) => {
                let mut index = 0;
                for element in elements {
                    match element {
                        Element::Value(entry) => {
                            read(self, entry, format!("{address}[{index}]"), found);
                            index += 1;
                        }
                        Element::Spread(part) => {
                            self.part(part, address, &mut index, found, walk, depth + 1);
                        }
                    }
                }
            }
            // `[for r in items: {…}]`: per item, as a resource loop.
            Kind::For(each) => {
                self.per_item(each, address, found, |scope, address, found| {
                    read(scope, &each.body, address, found);
                });
            }
            Kind::Parenthesized(inner) => self.entries(inner, address, found, walk, depth + 1),
            // A name (a `var`, a `param`'s default: an assumption, a loop's item) that holds
            // the array or another such expression.
            Kind::Name(name) => {
                let Some((held, assumed)) = self.named(name) else {
                    // Only a deployment knows the entries: one not checkable offline.
                    return read(self, expr, address.to_owned(), found);
                };
                {
                    let before = found.len();
                    self.entries(held, address, found, walk, depth + 1);
                    for found in found.get_mut(before..).into_iter().flatten() {
                        if let Some(name) = &assumed
                            && !found.place.assumed.contains(name)
                        {
                            found.place.assumed.push(name.clone());
                        }
                    }
                }
            }
            // A member of a value the file writes (`config.roleAssignments`).
            Kind::Member { .. } | Kind::Index { .. } | Kind::NonNull(_) => {
                let value = self.value_of(expr, 0);
                match value.node.filter(|held| !std::ptr::eq(*held, expr)) {
                    Some(held) => {
                        let before = found.len();
                        self.entries(held, address, found, walk, depth + 1);
                        for found in found.get_mut(before..).into_iter().flatten() {
                            found.place.assumed.extend(value.assumed.iter().cloned());
                        }
                    }
                    None => self.by_value(expr, address, found, walk),
                }
            }
            Kind::Call {
                target: None,
                name,
                arguments,
            } => match (name.as_str(), arguments.as_slice()) {
                // The entries of arrays written in place are numbered across the arguments.
                ("concat" | "union", _) => {
                    let mut index = 0;
                    for argument in arguments {
                        self.part(argument, address, &mut index, found, walk, depth + 1);
                    }
                }
                // `map(items, item => {…})` (or `(item, i) => …`): per item, as a `for` loop
                // over the same items; the entry once, the item unbound, where they are not
                // known.
                ("map", [items, lambda]) => {
                    let Kind::Lambda { parameters, body } = &lambda.kind else {
                        return;
                    };
                    let (Some(item), index) = (parameters.first(), parameters.get(1)) else {
                        return;
                    };
                    let each = For {
                        item: item.clone(),
                        index: index.cloned(),
                        source: items.clone(),
                        filter: None,
                        at: lambda.span.start,
                        body: (**body).clone(),
                    };
                    self.per_item(&each, address, found, |scope, address, found| {
                        read(scope, &each.body, address, found);
                    });
                }
                // Any other call (`filter()`, `coalesce()`, a module's output): by its value.
                _ => self.by_value(expr, address, found, walk),
            },
            // A ternary, `??`: by its value (see `Scope::value_of`).
            _ => self.by_value(expr, address, found, walk),
        }
    }

    /// Entries read by the value `expr` has: each element of a list (as written), one entry
    /// for an object, one not checkable offline for a value only a deployment knows; nothing
    /// for `null` or what a literal value lacks.
    fn by_value(&self, expr: &Expr, address: &str, found: &mut Vec<Found>, walk: &Walk<'_>) {
        let value = self.value_of(expr, 0);
        let before = found.len();
        match value.shape {
            Shape::List(items) => {
                for (index, item) in items.into_iter().enumerate() {
                    let entry = match item {
                        Member::Node(node) => Some(node),
                        Member::Value(value) => value.node,
                    };
                    if let Some(entry) = entry {
                        (walk.read)(self, entry, format!("{address}[{index}]"), found);
                    }
                }
            }
            Shape::Map(_) => (walk.read)(self, expr, address.to_owned(), found),
            Shape::Unknown(unknown) if !unknown.lacking => {
                (walk.read)(self, expr, address.to_owned(), found);
            }
            _ => {}
        }
        for found in found.get_mut(before..).into_iter().flatten() {
            for name in &value.assumed {
                if !found.place.assumed.contains(name) {
                    found.place.assumed.push(name.clone());
                }
            }
        }
    }

    /// One part of a `concat()`, `union()` or spread: an array (through the `var`s that hold
    /// it), its entries numbered on from `index`; anything else read as entries of its own.
    fn part(
        &self,
        part: &Expr,
        address: &str,
        index: &mut usize,
        found: &mut Vec<Found>,
        walk: &mut Walk<'_>,
        depth: usize,
    ) {
        let mut assumed = Vec::new();
        let held = self.through_names(part, &mut assumed, depth);
        let before = found.len();
        match &held.kind {
            Kind::Array(elements) if elements.iter().all(|e| matches!(e, Element::Value(_))) => {
                for element in elements {
                    if let Element::Value(entry) = element {
                        (walk.read)(self, entry, format!("{address}[{index}]"), found);
                        *index += 1;
                    }
                }
            }
            _ => self.entries(part, address, found, walk, depth),
        }
        for found in found.get_mut(before..).into_iter().flatten() {
            for name in &assumed {
                if !found.place.assumed.contains(name) {
                    found.place.assumed.push(name.clone());
                }
            }
        }
    }

    /// What `expr` is, through the names that hold it (see [`Scope::named`]), with the
    /// defaults it took.
    fn through_names<'a>(
        &'a self,
        expr: &'a Expr,
        assumed: &mut Vec<String>,
        depth: usize,
    ) -> &'a Expr {
        match &expr.kind {
            Kind::Name(name) if depth < MAX_DEPTH => match self.named(name) {
                Some((held, from)) => {
                    assumed.extend(from);
                    self.through_names(held, assumed, depth + 1)
                }
                None => expr,
            },
            _ => expr,
        }
    }
}
