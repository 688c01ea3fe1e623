//! Conditions in Bicep (`.bicep`). No maintained Rust Bicep parser exists, so azabac parses
//! the language's values and expressions itself ([`syntax`]: the grammar of Bicep's own
//! parser, line breaks, comments and directives included), and reads the declarations
//! conditions sit in: `param` and `var` declarations, and `resource` and `module` declarations
//! with their bodies. Other declarations (`type`, `func`, `output`, `import`, `metadata`) are
//! passed over a line at a time; a declaration that uses a construct the reader does not
//! follow is passed over whole, and only what reads it is not checkable (`declarations.rs`).
//!
//! Read: `condition:` in the `properties` of `Microsoft.Authorization/roleAssignments`
//! resources (with `conditionVersion`, `principalType`, `roleDefinitionId`), and in the entries
//! of a module's `roleAssignments` parameter (Azure Verified Modules: `roleDefinitionIdOrName`,
//! `principalType`, `condition`, `conditionVersion`). An interpolation of a `var` with a literal
//! value resolves, as does a member of one (`vars.key`, `vars['key']`, `list[0]`); a `param`
//! with a default resolves as an assumption; a member a literal value lacks leaves the condition
//! not checkable offline; anything else is a value known only at deployment, a
//! [`Hole`](super::place::Hole) where
//! the interpolation sits, which `check` checks around. A resource declared with a `for` loop
//! over an array written literally is read once per item (`symbol[i]`); over anything else,
//! once, with the item unresolved.

use std::collections::HashMap;

mod assignments;
mod calls;
mod declarations;
mod loops;
mod modules;
mod roles;
mod syntax;
mod text;
mod value;

use super::error::{Budget, Language, Stop};
use super::meter::Meter;
use super::place::{Found, Host, Reached, inline_suppressions};
use declarations::{Declaration, declarations};
use syntax::{Expr, Kind, Property};

/// Whether this host reads the file: a `.bicep` file.
pub(crate) fn claims(path: &std::path::Path) -> bool {
    path.extension().is_some_and(|ext| ext == "bicep")
}

/// Every ABAC condition of a Bicep file. A condition read from a file with
/// `loadTextContent()` is not checkable without the file: see [`conditions_with_files`].
#[cfg(test)]
pub fn conditions(text: &str) -> Result<Vec<Found>, Stop> {
    conditions_with_files(text, &|_| None)
}

/// Every ABAC condition of a Bicep file, `load` giving the text of a file the Bicep file reads
/// with `loadTextContent('path')` (relative to the Bicep file's directory): such a condition
/// is the file's text, reported in that file ([`Found::template`]).
#[cfg(test)]
pub fn conditions_with_files(
    text: &str,
    load: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<Found>, Stop> {
    read_file(text, load).map(|(found, _)| found)
}

/// [`conditions_with_files`], with the local modules' role assignments a call gave their
/// condition: (the module's path as the call writes it, the resource's symbolic name), whose
/// own condition slot is then not reported again.
pub(crate) fn read_file(
    text: &str,
    load: &dyn Fn(&str) -> Option<String>,
) -> Result<(Vec<Found>, Vec<Reached>), Stop> {
    let file = declarations(text)?;
    // Role definitions declared here, `existing` or not: `symbol.id` is a resource id, and
    // one with `properties` is a custom role the file defines.
    let mut role_definitions: Vec<(&str, Option<&Expr>)> = Vec::new();
    let mut custom_roles: Vec<(&str, &Expr)> = Vec::new();
    for declaration in &file.declarations {
        let is_role_definition = declaration.keyword == "resource"
            && declaration
                .kind
                .to_ascii_lowercase()
                .starts_with("microsoft.authorization/roledefinitions");
        if !is_role_definition {
            continue;
        }
        let properties = properties(&declaration.body).unwrap_or_default();
        role_definitions.push((declaration.symbol.as_str(), get(properties, "name")));
        if let Some(properties) = get(properties, "properties") {
            custom_roles.push((declaration.symbol.as_str(), properties));
        }
    }
    let budget = Meter::new(crate::limits::BICEP_MAX_VALUE_BYTES);
    let reached = std::cell::RefCell::new(Vec::new());
    let modules = std::cell::RefCell::new(HashMap::new());
    let expanded_past = std::cell::Cell::new(None);
    let scope = Scope {
        expanded_past: &expanded_past,
        text,
        params: &file.params,
        inputs: &file.inputs,
        vars: &file.vars,
        unfollowed: &file.unfollowed,
        role_definitions: &role_definitions,
        custom_roles: &custom_roles,
        bindings: Vec::new(),
        input_bindings: Vec::new(),
        load,
        reached: &reached,
        modules: &modules,
        budget: &budget,
    };
    let mut found = Vec::new();
    for declaration in &file.declarations {
        let before = found.len();
        let Declaration {
            keyword,
            symbol,
            kind,
            body,
            range,
        } = declaration;
        match &body.kind {
            Kind::Object(_) => {
                scope.declaration(keyword, symbol.clone(), kind, body, &mut found);
            }
            // `[for item in items: {…}]`: each instance when the items are written literally;
            // else the body once, its references to the item not checkable.
            Kind::For(each) => {
                if !matches!(each.body.kind, Kind::Object(_)) {
                    continue;
                }
                scope.per_item(each, symbol, &mut found, |scope, address, found| {
                    scope.declaration(keyword, address, kind, &each.body, found);
                });
            }
            _ => continue,
        }
        // The declaration's `azabac:suppress` comments, for each condition it holds.
        if let Some(new) = found.get_mut(before..)
            && !new.is_empty()
        {
            let suppressions = inline_suppressions(text, range.clone());
            for found in new {
                found.place.suppressions.clone_from(&suppressions);
            }
        }
    }
    // Declarations not followed that may hold a condition: one result each, saying why.
    for unfollowed in &file.unfollowed_declarations {
        let what = (unfollowed.why.clone(), unfollowed.at);
        found.push(Found::not_checkable(
            Host::Bicep,
            unfollowed.symbol.clone(),
            what,
            text,
            None,
        ));
    }
    // Past its budget, the file is an error of its own: the values read so far are partial.
    if let Some(at) = expanded_past.get() {
        return Err(Stop::budget(
            Language::Bicep,
            at,
            Budget::Steps(crate::limits::BICEP_MAX_EXPANSIONS),
        ));
    }
    if let Some(at) = budget.passed() {
        return Err(Stop::budget(
            Language::Bicep,
            at,
            Budget::ValueBytes(budget.limit()),
        ));
    }
    Ok((found, reached.into_inner()))
}

/// The properties of an object expression; `None` for anything else.
fn properties(expr: &Expr) -> Option<&[Property]> {
    match &expr.kind {
        Kind::Object(properties) => Some(properties),
        _ => None,
    }
}

/// The value of the property `key` as the object writes it: the last one written, `None`
/// where a spread follows it (which may replace it) or the object lacks it.
fn get<'e>(properties: &'e [Property], key: &str) -> Option<&'e Expr> {
    let mut found = None;
    for property in properties {
        match property {
            Property::Value { key: k, value, .. } if k == key => found = Some(value),
            Property::Spread(_) => found = None,
            _ => {}
        }
    }
    found
}

struct Scope<'s> {
    /// The file's text, for expressions as written.
    text: &'s str,
    params: &'s HashMap<String, Expr>,
    /// The `param`s without a default.
    inputs: &'s std::collections::HashSet<String>,
    vars: &'s HashMap<String, Expr>,
    /// The `param`s and `var`s not followed, with why.
    unfollowed: &'s HashMap<String, String>,
    /// The symbolic names of the file's `Microsoft.Authorization/roleDefinitions` resources,
    /// with their `name` (the GUID).
    role_definitions: &'s [(&'s str, Option<&'s Expr>)],
    /// The custom roles the file defines: the symbolic names of its role definition resources
    /// that carry `properties`, with them.
    custom_roles: &'s [(&'s str, &'s Expr)],
    /// A `for` loop's item and index, or a lambda's parameters: for one instance, their
    /// values; read once, `None` (not known, and shadowing a `var` or `param` of the name).
    bindings: Vec<(String, Option<Expr>)>,
    /// The bindings read once over the module's input (a loop over a `param`): what the
    /// module's callers give.
    input_bindings: Vec<String>,
    /// The files `loadTextContent()` and local modules read.
    load: &'s dyn Fn(&str) -> Option<String>,
    /// The local modules' role assignments a call gave their condition: (the module's path as
    /// the call writes it, the resource's symbolic name).
    reached: &'s std::cell::RefCell<Vec<Reached>>,
    /// The local modules read, by path as the calls write it, each parsed once (`None`: not
    /// there, or not Bicep the reader follows).
    modules: &'s std::cell::RefCell<HashMap<String, Option<std::rc::Rc<declarations::File>>>>,
    /// Where a `roleAssignments` value led through more expressions than
    /// [`BICEP_MAX_EXPANSIONS`](crate::limits::BICEP_MAX_EXPANSIONS), or nested deeper than
    /// the depth limit, if one did: the file is refused.
    expanded_past: &'s std::cell::Cell<Option<usize>>,
    /// The bytes of values the file may still resolve
    /// ([`BICEP_MAX_VALUE_BYTES`](crate::limits::BICEP_MAX_VALUE_BYTES)): `var`s that
    /// interpolate each other twice over would otherwise double their text at every level.
    budget: &'s Meter,
}

impl Scope<'_> {
    /// An expression as written, on one line (its line breaks and indentation one space), to
    /// name what a value depends on.
    fn source(&self, expr: &Expr) -> String {
        let written = self.text.get(expr.span.clone()).unwrap_or("");
        // Only the head names it (see `name_of`): a long value is not copied to be cut.
        let mut end = written.len().min(1024);
        while !written.is_char_boundary(end) {
            end -= 1;
        }
        let head = written.get(..end).unwrap_or("");
        let one_line = head.split_whitespace().collect::<Vec<_>>().join(" ");
        super::value::name_of(&one_line)
    }
}

#[cfg(test)]
mod tests;
