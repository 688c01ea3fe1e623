//! Role assignments: the `properties` of a `Microsoft.Authorization/roleAssignments` resource,
//! or an entry of a module's `roleAssignments` parameter, with the facts around their
//! condition (principal type, version, the role and whether the file defines it), and the
//! references to role definitions their `roleDefinitionId` and conditions make.

use super::super::embedded::Embedded;
use super::super::place::{Facts, Found, Host, Place, PrincipalTypes, Template};
use super::calls::Walk;
use super::syntax::{Expr, Kind, Property, plain};
use super::values::{Lookup, Value};
use super::{Field, Scope, get, properties};
use crate::limits::BICEP_MAX_ROLE_REFERENCE_DEPTH as MAX_ROLE_REFERENCE_DEPTH;

/// The functions that make a resource id, whose first argument names its type.
const RESOURCE_ID_FUNCTIONS: [&str; 5] = [
    "subscriptionResourceId",
    "tenantResourceId",
    "managementGroupResourceId",
    "resourceId",
    "extensionResourceId",
];

impl Scope<'_> {
    /// A declaration's conditions: a role assignment resource's, or a module's
    /// `roleAssignments` entries'.
    pub(super) fn declaration(
        &self,
        keyword: &str,
        symbol: String,
        kind: &str,
        body: &Expr,
        found: &mut Vec<Found>,
    ) {
        let Some(fields) = properties(body) else {
            return;
        };
        if keyword == "resource" {
            let lower = kind.to_ascii_lowercase();
            if !lower.starts_with("microsoft.authorization/roleassignments") {
                return;
            }
            let fix = "set `principalType` in the resource's properties";
            match self.property(fields, "properties", 0) {
                Field::Value(value) => match self.object(value, 0) {
                    Ok(properties) => {
                        self.push(properties, symbol, fix, "roleDefinitionId", found);
                    }
                    Err(Some(what)) => {
                        self.push_unknown(symbol, what, value.span.start, fix, found)
                    }
                    Err(None) => {}
                },
                // `...body` of a value a deployment gives: it may carry the properties.
                Field::Spread(spread) => {
                    let what = format!("...{}", self.source(spread));
                    self.push_unknown(symbol, what, spread.span.start, fix, found);
                }
                Field::Missing => {}
            }
        } else if let Some(params) = get(fields, "params").and_then(|p| self.object(p, 0).ok()) {
            let entry =
                |scope: &Scope<'_>, expr: &Expr, address: String, found: &mut Vec<Found>| {
                    let fix = "add `principalType` to the role assignment entry";
                    match scope.object(expr, 0) {
                        Ok(entry) => {
                            scope.push(entry, address, fix, "roleDefinitionIdOrName", found);
                        }
                        Err(Some(what)) => {
                            scope.push_unknown(address, what, expr.span.start, fix, found);
                        }
                        Err(None) => {}
                    }
                };
            let address = format!("{symbol}.params.roleAssignments");
            if let Some(expr) = get(params, "roleAssignments") {
                self.entries(expr, &address, found, &mut Walk::new(&entry), 0);
            }
        }
    }

    /// The properties of the object `expr` is: written in place, or in a `var`, a `param`'s
    /// default or a loop's item (through members); `Err` with what it depends on when only a
    /// deployment knows it, `Err(None)` when it is no object (`null`, a value that lacks it).
    fn object<'a>(
        &'a self,
        expr: &'a Expr,
        depth: usize,
    ) -> Result<&'a [Property], Option<String>> {
        match &expr.kind {
            Kind::Object(properties) => Ok(properties),
            Kind::Parenthesized(inner) => self.object(inner, depth),
            _ if depth >= MAX_ROLE_REFERENCE_DEPTH => Err(Some(self.source(expr))),
            _ => match self.lookup(expr) {
                Lookup::Found(node, _) => self.object(node, depth + 1),
                Lookup::Null(_) | Lookup::Missing => Err(None),
                Lookup::Unknown => Err(Some(self.source(expr))),
            },
        }
    }

    /// A role assignment whose properties only a deployment knows (`properties: props` of a
    /// parameter): whether it holds a condition, and which, depends on `what`.
    fn push_unknown(
        &self,
        address: String,
        what: String,
        at: usize,
        fix: &'static str,
        found: &mut Vec<Found>,
    ) {
        found.push(Found {
            template: None,
            embedded: Embedded::new(address.clone(), String::new(), vec![at]),
            place: Place {
                host: Host::Bicep,
                resource: address,
                line: crate::span::line_column(self.text, at).0,
                unresolved: vec![what],
                holes: Vec::new(),
                assumed: Vec::new(),
                resource_ids: Vec::new(),
                facts: Some(Facts {
                    assignment: true,
                    // Perhaps in what the deployment gives: not missing.
                    principal_type: true,
                    principal_type_value: None,
                    principal_types: PrincipalTypes::Azure,
                    version: None,
                    version_required: false,
                    role: None,
                    defined_role: None,
                    principal_type_fix: fix,
                }),
                suppressions: Vec::new(),
            },
        });
    }

    /// The GUID a role definition reference names, where it is written literally:
    /// `roleDef.id` of a role definition resource whose `name` resolves, or
    /// `subscriptionResourceId('Microsoft.Authorization/roleDefinitions', X)` (and its kin)
    /// whose last argument resolves, directly or through `var`s.
    fn role_definition_guid(&self, expr: &Expr, depth: usize) -> Option<String> {
        match &expr.kind {
            // `var rbacAdmin = subscriptionResourceId(…)`: the var's expression.
            Kind::Name(name) if depth < MAX_ROLE_REFERENCE_DEPTH => {
                self.role_definition_guid(self.vars.get(name)?, depth + 1)
            }
            Kind::Member { target, name, .. } if name == "id" => {
                let Kind::Name(symbol) = &target.kind else {
                    return None;
                };
                let (_, name) = self.role_definitions.iter().find(|(s, _)| s == symbol)?;
                let value = self.string((*name)?, 0, 0);
                value.unresolved.is_empty().then_some(value.text)
            }
            Kind::Call { arguments, .. } if self.is_role_definition_id(expr) => {
                let last = arguments.last()?;
                if let Kind::String(pieces) = &last.kind {
                    return plain(pieces);
                }
                let value = self.reference(last, 0, 0);
                value.unresolved.is_empty().then_some(value.text)
            }
            _ => None,
        }
    }

    /// Whether a Bicep expression is a role definition's resource id by its shape:
    /// `subscriptionResourceId('Microsoft.Authorization/roleDefinitions', …)` and its tenant,
    /// management-group, resource-group and extension kin, or `roleDef.id` of a role definition
    /// resource of the file (declared or `existing`); `roleDef.name` is its GUID.
    pub(super) fn is_role_definition_id(&self, expr: &Expr) -> bool {
        match &expr.kind {
            Kind::Call {
                target,
                name,
                arguments,
            } => {
                let namespace = target
                    .as_ref()
                    .is_none_or(|t| matches!(&t.kind, Kind::Name(n) if n == "az"));
                namespace
                    && RESOURCE_ID_FUNCTIONS
                        .iter()
                        .any(|f| f.eq_ignore_ascii_case(name))
                    && arguments.iter().any(|argument| match &argument.kind {
                        Kind::String(pieces) => plain(pieces).is_some_and(|text| {
                            text.eq_ignore_ascii_case("Microsoft.Authorization/roleDefinitions")
                        }),
                        _ => false,
                    })
            }
            Kind::Member { target, name, .. } if name == "id" => {
                matches!(&target.kind, Kind::Name(symbol)
                    if self.role_definitions.iter().any(|(s, _)| s == symbol))
            }
            _ => false,
        }
    }

    /// The condition of one role assignment's `fields`, with its facts, named `address`.
    fn push(
        &self,
        fields: &[Property],
        address: String,
        fix: &'static str,
        role_key: &str,
        found: &mut Vec<Found>,
    ) {
        let (condition, key_at) = match self.property(fields, "condition", 0) {
            Field::Value(condition) => {
                let key_at = fields.iter().rev().find_map(|property| match property {
                    Property::Value { key, key_at, .. } if key == "condition" => Some(*key_at),
                    _ => None,
                });
                (Some(condition), key_at.unwrap_or(condition.span.start))
            }
            Field::Missing => return,
            // `...base` of a value a deployment gives, after (or without) `condition:`: whether
            // and what condition it carries is the spread's.
            Field::Spread(spread) => (None, spread.span.start),
        };
        // `null` (written, a `var`, a `param` default): no condition at all.
        if condition.is_some_and(|condition| self.is_null(condition, 0).is_some()) {
            return;
        }
        // `loadTextContent('path')` (or `trim()` of it): the file's text, reported there.
        let loaded = condition.and_then(loaded_file).and_then(|(path, trimmed)| {
            let content = (self.load)(&path)?;
            Some((path, content, trimmed))
        });
        let (value, template) = match loaded {
            Some((path, content, trimmed)) => {
                let (start, end) = if trimmed {
                    let start = content.len() - content.trim_start().len();
                    (start, start + content.trim().len())
                } else {
                    (0, content.len())
                };
                let value = Value::literal(
                    content.get(start..end).unwrap_or("").to_owned(),
                    (start..end).collect(),
                );
                (
                    value,
                    Some(Template {
                        path,
                        text: content,
                    }),
                )
            }
            None => match (condition, self.property(fields, "condition", 0)) {
                (Some(condition), _) => (self.string(condition, key_at, 0), None),
                (None, Field::Spread(spread)) => {
                    (Value::missing(format!("...{}", self.source(spread))), None)
                }
                (None, _) => (Value::default(), None),
            },
        };
        let get = |name: &str| match self.property(fields, name, 0) {
            Field::Value(value) => Some(value),
            Field::Missing | Field::Spread(_) => None,
        };
        let literal = |name: &str| {
            get(name).map(|expr| {
                let v = self.string(expr, 0, 0);
                if v.unresolved.is_empty() {
                    return v.text;
                }
                match &expr.kind {
                    Kind::String(_) => String::new(),
                    _ => self
                        .role_definition_guid(expr, 0)
                        .unwrap_or_else(|| self.source(expr)),
                }
            })
        };
        let known = |name: &str| {
            get(name).and_then(|expr| {
                let value = self.string(expr, 0, 0);
                value.unresolved.is_empty().then_some(value.text)
            })
        };
        let facts = Facts {
            assignment: true,
            // A spread may carry it: not missing.
            principal_type: !matches!(self.property(fields, "principalType", 0), Field::Missing),
            principal_type_value: known("principalType"),
            principal_types: PrincipalTypes::Azure,
            // A version only a deployment knows is neither wrong nor missing.
            version: known("conditionVersion"),
            version_required: false,
            role: literal(role_key),
            defined_role: get(role_key).and_then(|expr| self.defined_role(expr)),
            principal_type_fix: fix,
        };
        let mut offsets = value.offsets;
        let end = match &template {
            Some(_) => offsets.last().map_or(0, |o| o + 1),
            None => offsets.last().map_or(key_at, |o| o + 1),
        };
        offsets.push(end);
        let line = match &template {
            Some(_) => 1,
            None => crate::span::line_column(self.text, key_at).0,
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
pub(super) fn loaded_file(expr: &Expr) -> Option<(String, bool)> {
    let call = |expr: &Expr, wanted: &str| match &expr.kind {
        Kind::Call {
            target: None,
            name,
            arguments,
        } if name == wanted => Some(arguments.clone()),
        _ => None,
    };
    let (inner, trimmed) = match call(expr, "trim").as_deref() {
        Some([inner]) => (inner.clone(), true),
        Some(_) => return None,
        None => (expr.clone(), false),
    };
    let arguments = call(&inner, "loadTextContent")?;
    let string = |expr: &Expr| match &expr.kind {
        Kind::String(pieces) => plain(pieces),
        _ => None,
    };
    let (path, encoding) = match arguments.as_slice() {
        [path] => (string(path)?, true),
        [path, encoding] => (string(path)?, string(encoding).is_some()),
        _ => return None,
    };
    (encoding && !path.is_empty() && !path.contains(['\\', '$'])).then_some((path, trimmed))
}
