//! Conditions in Bicep (`.bicep`). No maintained Rust Bicep parser exists, so this is a small
//! reader of the part of the language conditions sit in: `param` and `var` declarations,
//! `resource` and `module` declarations with their object bodies, strings (`'…'` with `\'`,
//! `\\`, `\$`, `\n`, `\r`, `\t`, `\u{…}` escapes and `${…}` interpolation; `'''…'''` verbatim),
//! objects, arrays, and everything else skipped with its brackets balanced.
//!
//! Read: `condition:` in the `properties` of `Microsoft.Authorization/roleAssignments`
//! resources (with `conditionVersion`, `principalType`, `roleDefinitionId`), and in the entries
//! of a module's `roleAssignments` parameter (Azure Verified Modules: `roleDefinitionIdOrName`,
//! `principalType`, `condition`, `conditionVersion`). An interpolation of a `var` with a literal
//! value resolves, as does a member of one (`vars.key`, `vars['key']`, `list[0]`); a `param`
//! with a default resolves as an assumption; a member a literal value lacks leaves the condition
//! not checkable offline; anything else is a value known only at deployment, a [`Hole`] where
//! the interpolation sits, which `check` checks around. A resource declared with a `for` loop over an array written literally is read once
//! per item (`symbol[i]`); over anything else, once, with the item unresolved.

use std::collections::HashMap;

mod calls;
mod loops;
mod reader;
mod roles;
mod values;

use super::embedded::Embedded;
use super::error::{Budget, Language, Stop};
use super::meter::Meter;
use super::place::{
    Facts, Found, Hole, Host, Place, PrincipalTypes, Template, inline_suppressions,
};
use reader::Reader;
use values::Value;

use crate::limits::BICEP_MAX_DEPTH as MAX_DEPTH;

/// A value as far as the reader follows it.
#[derive(Clone, Debug)]
enum Node {
    /// A string: its parts, each literal text with offsets or an interpolation.
    String(Vec<Part>),
    Object(Vec<(String, usize, Node)>),
    Array(Vec<Node>),
    /// `[for item in source: body]`.
    For(Box<ForLoop>),
    /// Anything else: its source text, and where it starts in the file.
    Other(String, usize),
}

/// A `for` expression: `[for item in source: body]`, `[for (item, index) in …]`, with the
/// text of its `if (…)` filter when it has one.
#[derive(Clone, Debug)]
struct ForLoop {
    item: String,
    index: Option<String>,
    source: String,
    filter: Option<String>,
    /// Where `for` is.
    at: usize,
    body: Node,
}

#[derive(Clone, Debug)]
enum Part {
    /// Decoded text, and for each byte where it starts in the file.
    Text(String, Vec<usize>),
    /// `${…}`: the expression's source and where it starts.
    Interpolation(String, usize),
}

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
pub fn conditions_with_files(
    text: &str,
    load: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<Found>, Stop> {
    let mut reader = Reader { text, at: 0 };
    let mut params: HashMap<String, Node> = HashMap::new();
    let mut vars: HashMap<String, Node> = HashMap::new();
    // keyword, symbol, type, body, and the declaration's byte range.
    let mut declarations: Vec<(String, String, String, Node, std::ops::Range<usize>)> = Vec::new();
    loop {
        reader.skip_space(true);
        let start = reader.at;
        let Some(word) = reader.word() else {
            if reader.at >= text.len() {
                break;
            }
            // Decorators (`@description(…)`) and anything unknown: skip the line.
            reader.skip_line();
            continue;
        };
        match word.as_str() {
            "param" => {
                let Some(name) = reader.word_after_space() else {
                    reader.skip_line();
                    continue;
                };
                // `param name type = default`
                reader.skip_until_on_line(b'=');
                if reader.eat(b'=') {
                    let value = reader.value(0)?;
                    params.insert(name, value);
                } else {
                    reader.skip_line();
                }
            }
            "var" => {
                let Some(name) = reader.word_after_space() else {
                    reader.skip_line();
                    continue;
                };
                reader.skip_until_on_line(b'=');
                if reader.eat(b'=') {
                    let value = reader.value(0)?;
                    vars.insert(name, value);
                }
            }
            "resource" | "module" => {
                let Some(symbol) = reader.word_after_space() else {
                    reader.skip_line();
                    continue;
                };
                reader.skip_space(false);
                let kind = match reader.value(0)? {
                    Node::String(parts) => plain(&parts),
                    _ => String::new(),
                };
                reader.skip_until_on_line(b'=');
                if !reader.eat(b'=') {
                    reader.skip_line();
                    continue;
                }
                reader.skip_space(false);
                // `= if (cond) {…}`: the body after the condition.
                if reader.peek_word("if") {
                    reader.word();
                    reader.skip_space(false);
                    reader.skip_parentheses();
                    reader.skip_space(false);
                }
                let body = reader.value(0)?;
                declarations.push((word, symbol, kind, body, start..reader.at));
            }
            _ => reader.skip_line(),
        }
    }
    // Role definitions declared here, `existing` or not: `symbol.id` is a resource id, and
    // one with `properties` is a custom role the file defines.
    let mut role_definitions: Vec<(&str, Option<&Node>)> = Vec::new();
    let mut custom_roles: Vec<(&str, &Node)> = Vec::new();
    for (keyword, symbol, kind, body, _) in &declarations {
        let is_role_definition = keyword == "resource"
            && kind
                .to_ascii_lowercase()
                .starts_with("microsoft.authorization/roledefinitions");
        if !is_role_definition {
            continue;
        }
        let fields = match body {
            Node::Object(fields) => fields.as_slice(),
            _ => &[],
        };
        role_definitions.push((symbol.as_str(), get(fields, "name")));
        if let Some(properties) = get(fields, "properties") {
            custom_roles.push((symbol.as_str(), properties));
        }
    }
    let budget = Meter::new(crate::limits::BICEP_MAX_VALUE_BYTES);
    let scope = Scope {
        params: &params,
        vars: &vars,
        role_definitions: &role_definitions,
        custom_roles: &custom_roles,
        bindings: Vec::new(),
        load,
        budget: &budget,
    };
    let mut found = Vec::new();
    for (keyword, symbol, kind, body, range) in &declarations {
        let before = found.len();
        match body {
            Node::Object(fields) => {
                scope.declaration(keyword, symbol.clone(), kind, fields, text, &mut found);
            }
            // `[for item in items: {…}]`: each instance when the items are written literally;
            // else the body once, its references to the item not checkable.
            Node::For(each) => {
                let Node::Object(fields) = &each.body else {
                    continue;
                };
                scope.per_item(each, symbol, &mut found, |scope, address, found| {
                    scope.declaration(keyword, address, kind, fields, text, found);
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
    // Past its budget, the file is an error of its own: the values read so far are partial.
    if let Some(at) = budget.passed() {
        return Err(Stop::budget(
            Language::Bicep,
            at,
            Budget::ValueBytes(budget.limit()),
        ));
    }
    Ok(found)
}

/// The value of an object's field `name`.
fn get<'n>(fields: &'n [(String, usize, Node)], name: &str) -> Option<&'n Node> {
    fields.iter().find(|(k, _, _)| k == name).map(|(_, _, v)| v)
}

/// The text of a string without interpolations (`''` if it has any).
fn plain(parts: &[Part]) -> String {
    let mut out = String::new();
    for part in parts {
        match part {
            Part::Text(text, _) => out.push_str(text),
            Part::Interpolation(..) => return String::new(),
        }
    }
    out
}

struct Scope<'s> {
    params: &'s HashMap<String, Node>,
    vars: &'s HashMap<String, Node>,
    /// The symbolic names of the file's `Microsoft.Authorization/roleDefinitions` resources,
    /// with their `name` (the GUID).
    role_definitions: &'s [(&'s str, Option<&'s Node>)],
    /// The custom roles the file defines: the symbolic names of its role definition resources
    /// that carry `properties`, with them.
    custom_roles: &'s [(&'s str, &'s Node)],
    /// A `for` loop's item and index, for one instance.
    bindings: Vec<(String, Node)>,
    /// The files `loadTextContent()` reads.
    load: &'s dyn Fn(&str) -> Option<String>,
    /// The bytes of values the file may still resolve
    /// ([`BICEP_MAX_VALUE_BYTES`](crate::limits::BICEP_MAX_VALUE_BYTES)): `var`s that
    /// interpolate each other twice over would otherwise double their text at every level.
    budget: &'s Meter,
}

impl<'s> Scope<'s> {
    /// A declaration's conditions: a role assignment resource's, or a module's
    /// `roleAssignments` entries'.
    fn declaration(
        &self,
        keyword: &str,
        symbol: String,
        kind: &str,
        fields: &[(String, usize, Node)],
        text: &str,
        found: &mut Vec<Found>,
    ) {
        if keyword == "resource" {
            let lower = kind.to_ascii_lowercase();
            if !lower.starts_with("microsoft.authorization/roleassignments") {
                return;
            }
            if let Some(Node::Object(properties)) = get(fields, "properties") {
                self.push(
                    properties,
                    symbol,
                    "set `principalType` in the resource's properties",
                    "roleDefinitionId",
                    text,
                    found,
                );
            }
        } else if let Some(Node::Object(params)) = get(fields, "params") {
            let entry =
                |scope: &Scope<'_>, node: &Node, address: String, found: &mut Vec<Found>| {
                    if let Node::Object(entry) = node {
                        scope.push(
                            entry,
                            address,
                            "add `principalType` to the role assignment entry",
                            "roleDefinitionIdOrName",
                            text,
                            found,
                        );
                    }
                };
            let address = format!("{symbol}.params.roleAssignments");
            if let Some(node) = get(params, "roleAssignments") {
                self.entries(
                    node,
                    &address,
                    found,
                    &mut calls::Walk::new(text, &entry),
                    0,
                );
            }
        }
    }

    /// The GUID a role definition reference names, where it is written literally:
    /// `roleDef.id` of a role definition resource whose `name` resolves, or
    /// `subscriptionResourceId('Microsoft.Authorization/roleDefinitions', X)` (and its kin)
    /// whose last argument resolves.
    fn role_definition_guid(&self, source: &str) -> Option<String> {
        self.role_definition_guid_at(source, 0)
    }

    fn role_definition_guid_at(&self, source: &str, depth: usize) -> Option<String> {
        // `var rbacAdmin = subscriptionResourceId(…)`: the var's expression.
        if let Some(Node::Other(expression, _)) = self.vars.get(source)
            && depth < 8
        {
            return self.role_definition_guid_at(expression.trim(), depth + 1);
        }
        if let Some(symbol) = source.strip_suffix(".id") {
            let (_, name) = self.role_definitions.iter().find(|(s, _)| *s == symbol)?;
            let value = self.string((*name)?, 0, 0);
            return value.unresolved.is_empty().then_some(value.text);
        }
        if !self.is_role_definition_id(source) {
            return None;
        }
        let inner = source.get(source.find('(')? + 1..source.rfind(')')?)?;
        let last = inner.rsplit(',').next()?.trim();
        let value = match last.strip_prefix('\'').and_then(|l| l.strip_suffix('\'')) {
            Some(literal) => return Some(literal.to_owned()),
            None => self.reference(last, 0, 0),
        };
        value.unresolved.is_empty().then_some(value.text)
    }

    /// Whether a Bicep expression is a role definition's resource id by its shape:
    /// `subscriptionResourceId('Microsoft.Authorization/roleDefinitions', …)` and its tenant,
    /// management-group and resource-group kin, or `roleDef.id` of a role definition resource
    /// of the file (declared or `existing`); `roleDef.name` is its GUID.
    fn is_role_definition_id(&self, source: &str) -> bool {
        let lower = source.to_ascii_lowercase();
        let call = [
            "subscriptionresourceid(",
            "tenantresourceid(",
            "managementgroupresourceid(",
            "resourceid(",
        ]
        .iter()
        .any(|f| lower.starts_with(f))
            && lower.contains("microsoft.authorization/roledefinitions");
        call || source.strip_suffix(".id").is_some_and(|symbol| {
            self.role_definitions
                .iter()
                .any(|(s, _)| *s == symbol.trim())
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &self,
        fields: &[(String, usize, Node)],
        address: String,
        fix: &'static str,
        role_key: &str,
        text: &str,
        found: &mut Vec<Found>,
    ) {
        let Some((_, key_at, condition)) = fields.iter().find(|(k, _, _)| k == "condition") else {
            return;
        };
        // `null` (written, a `var`, a `param` default): no condition at all.
        if self.is_null(condition, 0) {
            return;
        }
        // `loadTextContent('path')` (or `trim()` of it): the file's text, reported there.
        let loaded = match condition {
            Node::Other(source, _) => loaded_file(source).and_then(|(path, trimmed)| {
                let content = (self.load)(path)?;
                Some((path.to_owned(), content, trimmed))
            }),
            _ => None,
        };
        let (value, template) = match loaded {
            Some((path, content, trimmed)) => {
                let (start, end) = if trimmed {
                    let start = content.len() - content.trim_start().len();
                    (start, start + content.trim().len())
                } else {
                    (0, content.len())
                };
                let value = Value {
                    text: content.get(start..end).unwrap_or("").to_owned(),
                    offsets: (start..end).collect(),
                    ..Value::default()
                };
                (
                    value,
                    Some(Template {
                        path,
                        text: content,
                    }),
                )
            }
            None => (self.string(condition, *key_at, 0), None),
        };
        let literal = |name: &str| match get(fields, name) {
            Some(node) => {
                let v = self.string(node, 0, 0);
                Some(if v.unresolved.is_empty() {
                    v.text
                } else {
                    match node {
                        Node::Other(source, _) => self
                            .role_definition_guid(source.trim())
                            .unwrap_or_else(|| source.clone()),
                        _ => String::new(),
                    }
                })
            }
            None => None,
        };
        let facts = Facts {
            assignment: true,
            principal_type: get(fields, "principalType").is_some(),
            principal_type_value: get(fields, "principalType").and_then(|node| {
                let value = self.string(node, 0, 0);
                value.unresolved.is_empty().then_some(value.text)
            }),
            principal_types: PrincipalTypes::Azure,
            // A version only a deployment knows is neither wrong nor missing.
            version: get(fields, "conditionVersion").and_then(|node| {
                let value = self.string(node, 0, 0);
                value.unresolved.is_empty().then_some(value.text)
            }),
            version_required: false,
            role: literal(role_key),
            defined_role: get(fields, role_key).and_then(|node| self.defined_role(node)),
            principal_type_fix: fix,
        };
        let mut offsets = value.offsets;
        let end = match &template {
            Some(_) => offsets.last().map_or(0, |o| o + 1),
            None => offsets.last().map_or(*key_at, |o| o + 1),
        };
        offsets.push(end);
        let line = match &template {
            Some(_) => 1,
            None => crate::span::line_column(text, *key_at).0,
        };
        found.push(Found {
            template,
            embedded: Embedded::new(address.clone(), value.text, offsets),
            place: Place {
                host: Host::Bicep,
                resource: address,
                line,
                unresolved: value.unresolved,
                holes: value.holes,
                assumed: value.assumed,
                resource_ids: value.resource_ids,
                facts: Some(facts),
                suppressions: Vec::new(),
            },
        });
    }
}

/// The path of `loadTextContent('path')` (an encoding may follow), and whether `trim()` wraps
/// it; `None` for anything else, and for a path with escapes or interpolations.
fn loaded_file(source: &str) -> Option<(&str, bool)> {
    let source = source.trim();
    let (inner, trimmed) = match source
        .strip_prefix("trim(")
        .and_then(|rest| rest.strip_suffix(')'))
    {
        Some(inner) => (inner.trim(), true),
        None => (source, false),
    };
    let arguments = inner
        .strip_prefix("loadTextContent(")?
        .strip_suffix(')')?
        .trim_start();
    let path = arguments.strip_prefix('\'')?;
    let end = path.find('\'')?;
    let (path, rest) = (path.get(..end)?, path.get(end + 1..)?.trim());
    let encoding = rest.is_empty()
        || rest
            .strip_prefix(',')
            .is_some_and(|e| e.trim().starts_with('\'') && e.trim().ends_with('\''));
    (encoding && !path.is_empty() && !path.contains(['\\', '$'])).then_some((path, trimmed))
}

#[cfg(test)]
mod tests;
