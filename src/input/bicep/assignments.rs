//! Role assignments: the `properties` of a `Microsoft.Authorization/roleAssignments` resource,
//! or an entry of a module's `roleAssignments` parameter, with the facts around their
//! condition (principal type, version, the role and whether the file defines it), and the
//! references to role definitions their `roleDefinitionId` and conditions make.

use super::super::embedded::Embedded;
use super::super::place::{Facts, Found, Host, Place, PrincipalTypes, Template};
use super::super::value::{Map, Shape};
use super::Scope;
use super::calls::Walk;
use super::syntax::{Expr, Kind, plain};
use super::text::Value;
use super::value::{Lookup, get};
use crate::limits::BICEP_MAX_ROLE_REFERENCE_DEPTH as MAX_ROLE_REFERENCE_DEPTH;

/// The functions that make a resource id, whose first argument names its type.
const RESOURCE_ID_FUNCTIONS: [&str; 5] = [
    "subscriptionResourceId",
    "tenantResourceId",
    "managementGroupResourceId",
    "resourceId",
    "extensionResourceId",
];

/// What holds a condition: where its role is named, what fixes a missing principal type, and
/// whether it is a PIM schedule request (which takes no principal type of its own, Azure sets
/// the request's, and needs `conditionVersion`).
pub(super) struct Holder {
    role_key: &'static str,
    fix: &'static str,
    request: bool,
}

/// A `Microsoft.Authorization/roleAssignments` resource.
const RESOURCE: Holder = Holder {
    role_key: "roleDefinitionId",
    fix: "set `principalType` in the resource's properties",
    request: false,
};

/// A `roleEligibilityScheduleRequests` or `roleAssignmentScheduleRequests` resource (PIM).
const REQUEST: Holder = Holder {
    role_key: "roleDefinitionId",
    fix: "set `principalType` in the resource's properties",
    request: true,
};

/// An entry of an Azure Verified Module's `roleAssignments`.
const ENTRY: Holder = Holder {
    role_key: "roleDefinitionIdOrName",
    fix: "add `principalType` to the role assignment entry",
    request: false,
};

/// What holds a condition in a resource of type `kind` (`type@version`): a role assignment,
/// a PIM schedule request, or nothing.
pub(super) fn holder_of(kind: &str) -> Option<&'static Holder> {
    let lower = kind.to_ascii_lowercase();
    if lower.starts_with("microsoft.authorization/roleassignments@") {
        Some(&RESOURCE)
    } else if lower.starts_with("microsoft.authorization/roleeligibilityschedulerequests@")
        || lower.starts_with("microsoft.authorization/roleassignmentschedulerequests@")
    {
        Some(&REQUEST)
    } else {
        None
    }
}

impl Scope<'_> {
    /// A declaration's conditions: a role assignment resource's (or a PIM schedule
    /// request's), or a module's `roleAssignments` entries'.
    pub(super) fn declaration(
        &self,
        keyword: &str,
        symbol: String,
        kind: &str,
        body: &Expr,
        found: &mut Vec<Found>,
    ) {
        let Shape::Map(fields) = self.value_of(body, 0).shape else {
            return;
        };
        // A local module whose role assignment takes its condition from a parameter.
        if keyword == "module" && super::modules::is_local(kind) {
            self.local_module(&symbol, kind, &fields, found);
        }
        if keyword == "resource" {
            let Some(holder) = holder_of(kind) else {
                return;
            };
            match get(&fields, "properties") {
                Lookup::Value(value, _, assumed) => {
                    self.object(value, assumed, symbol, holder, found);
                }
                // `...body` of a value a deployment gives: it may carry the properties.
                Lookup::Open(open) => {
                    self.push_unknown(symbol, open.what, open.at, holder, found);
                }
                Lookup::Missing => {}
            }
        } else if let Lookup::Value(params, ..) = get(&fields, "params")
            && let Shape::Map(params) = self.value_of(params, 0).shape
            && let Lookup::Value(expr, ..) = get(&params, "roleAssignments")
        {
            let entry =
                |scope: &Scope<'_>, expr: &Expr, address: String, found: &mut Vec<Found>| {
                    scope.object(expr, Vec::new(), address, &ENTRY, found);
                };
            let address = format!("{symbol}.params.roleAssignments");
            self.entries(expr, &address, found, &mut Walk::new(&entry), 0);
        }
    }

    /// The condition of the role assignment whose properties are `expr` (written in place, or
    /// in a `var`, a `param`'s default or a loop's item, read on `assumed`): checked where the
    /// object is known, not checkable where only a deployment knows it, none where it is no
    /// object (`null`, a member the value lacks).
    fn object(
        &self,
        expr: &Expr,
        assumed: Vec<String>,
        address: String,
        holder: &Holder,
        found: &mut Vec<Found>,
    ) {
        let value = self.value_of(expr, 0);
        match value.shape {
            Shape::Map(map) => {
                let mut assumed = assumed;
                assumed.extend(value.assumed);
                self.push(&map, assumed, address, holder, found);
            }
            Shape::Unknown(unknown) if !unknown.lacking => {
                self.push_unknown(address, self.source(expr), expr.span.start, holder, found);
            }
            _ => {}
        }
    }

    /// A role assignment whose properties only a deployment knows (`properties: props` of a
    /// parameter): whether it holds a condition, and which, depends on `what`.
    fn push_unknown(
        &self,
        address: String,
        what: String,
        at: usize,
        holder: &Holder,
        found: &mut Vec<Found>,
    ) {
        let what = (what, at);
        found.push(Found::not_checkable(
            Host::Bicep,
            address,
            what,
            self.text,
            Some(holder.fix),
        ));
    }

    /// The GUID a role definition reference names, where it is written literally:
    /// `roleDef.id` of a role definition resource whose `name` resolves, or
    /// `subscriptionResourceId('Microsoft.Authorization/roleDefinitions', X)` (and its kin)
    /// whose last argument resolves, directly or through `var`s.
    pub(super) fn role_definition_guid(&self, expr: &Expr, depth: usize) -> Option<String> {
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

    /// The condition of one role assignment's properties `map`, with its facts, named
    /// `address`; `assumed` is what reading the map took.
    pub(super) fn push(
        &self,
        map: &Map<&Expr>,
        assumed: Vec<String>,
        address: String,
        holder: &Holder,
        found: &mut Vec<Found>,
    ) {
        let role_key = holder.role_key;
        let (condition, key_at, mut assumed) = match get(map, "condition") {
            Lookup::Value(condition, key_at, field_assumed) => {
                let mut all = assumed;
                all.extend(field_assumed);
                (Ok(condition), key_at, all)
            }
            Lookup::Missing => return,
            // `...base` of a value a deployment gives, without `condition:`: whether and what
            // condition it carries is the spread's.
            Lookup::Open(open) => {
                let at = open.at;
                (Err(open.what), at, assumed)
            }
        };
        // `null` (written, a `var`, a `param` default): no condition at all.
        if let Ok(condition) = condition
            && self.is_null(condition).is_some()
        {
            return;
        }
        // `loadTextContent('path')` (or `trim()` of it): the file's text, reported there.
        let loaded = condition
            .as_ref()
            .ok()
            .and_then(|condition| loaded_file(condition))
            .and_then(|(path, trimmed)| {
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
            None => match condition {
                Ok(condition) => (self.string(condition, key_at, 0), None),
                Err(what) => (Value::missing(what), None),
            },
        };
        let get = |name: &str| match get(map, name) {
            Lookup::Value(value, ..) => Some(value),
            Lookup::Missing | Lookup::Open(_) => None,
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
            // A PIM request takes no principal type of its own (Azure sets the request's).
            principal_type: holder.request
                || !matches!(super::value::get(map, "principalType"), Lookup::Missing),
            principal_type_value: known("principalType"),
            principal_types: PrincipalTypes::Azure,
            // A version only a deployment knows is neither wrong nor missing.
            version: known("conditionVersion"),
            // A PIM request needs `conditionVersion` beside a condition; one only a deployment
            // knows is not missing.
            version_required: holder.request
                && match super::value::get(map, "conditionVersion") {
                    Lookup::Missing => true,
                    Lookup::Value(version, ..) => self.is_null(version).is_some(),
                    Lookup::Open(_) => false,
                },
            role: literal(role_key),
            defined_role: get(role_key).and_then(|expr| self.defined_role(expr)),
            principal_type_fix: holder.fix,
        };
        let mut value = value;
        for name in assumed.drain(..) {
            if !value.assumed.contains(&name) {
                value.assumed.push(name);
            }
        }
        let input = value.slot();
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
                slot: input,
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
