//! Which JSON files hold conditions (ARM templates, Terraform plans and states, exports,
//! azabac's own suites and cases), and for each condition found in one, its resource, line and
//! facts.
//!
//! A JSON file is read for conditions only when it is one of the kinds that hold them: an ARM
//! template, a Terraform plan or state, a role, role assignment or deny assignment export, or an
//! azabac suite. Anything else (a VS Code `tasks.json`, a package manifest) is not scanned, and
//! an ARM resource's own deploy `condition` (`"[parameters('deploy')]"`) is never an ABAC
//! condition.

mod opaque;
mod path;
mod plan;
mod scope;
pub(super) mod text;

use path::{at, path_of, segments};
use text::offset_of;
pub(crate) use text::without_comments;

use std::path::Path;

use serde_json::Value;

use super::arm;
use super::error::{Budget, Language, Stop};
use super::meter::Meter;
use crate::limits::ARM_MAX_STEPS;

use super::embedded::Embedded;
use super::place::{Facts, Found, Hole, Host, Place, PrincipalTypes};

/// Whether this host reads the file: a `.json` file.
pub(crate) fn claims(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "json")
}

/// The ABAC conditions of a JSON file's `text`, with its comments (`//`, `/* */`, which ARM
/// templates and Bicep's configuration allow) already blanked by [`without_comments`], each
/// with its host, resource and line; a file of nothing but blanks holds none.
pub(crate) fn conditions(text: &str) -> Result<Vec<Found>, Stop> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let found = super::embedded::conditions(text)
        .map_err(|e| Stop::syntax(Language::Json, e.offset, e.problem))?;
    // The scan above read the whole text as JSON, within the same nesting limit.
    let value: Value = serde_json::from_str(text).map_err(|e| {
        Stop::syntax(
            Language::Json,
            offset_of(text, e.line(), e.column()),
            e.to_string(),
        )
    })?;
    let kind = json_kind(&value);
    select_json(&value, kind, found, text)
}

/// The kinds of JSON file that hold conditions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonKind {
    /// An ARM deployment template.
    Arm,
    /// A Terraform plan (`resource_changes`) or state (`values.root_module`).
    Plan,
    /// A role, role assignment or deny assignment export, or an azabac suite or case file.
    Export,
    /// Anything else: not scanned.
    Other,
}

/// What kind of JSON file `document` is.
pub fn json_kind(document: &Value) -> JsonKind {
    let object = document.as_object();
    let has = |key: &str| object.is_some_and(|o| o.contains_key(key));
    let schema = object
        .and_then(|o| o.get("$schema"))
        .and_then(Value::as_str)
        .unwrap_or("");
    if schema.contains("deploymentTemplate") || has("resources") && has("contentVersion") {
        return JsonKind::Arm;
    }
    if has("resource_changes") || has("format_version") && (has("values") || has("planned_values"))
    {
        return JsonKind::Plan;
    }
    // azabac's own suites, and its corpus cases of a condition Azure rejects.
    if has("cases") || has("condition") && has("rejected") {
        return JsonKind::Export;
    }
    let items: Vec<&Value> = match document {
        Value::Array(items) => items.iter().collect(),
        Value::Object(o) => match o.get("value").or_else(|| o.get("data")) {
            Some(Value::Array(items)) => items.iter().collect(),
            _ => vec![document],
        },
        _ => Vec::new(),
    };
    const MARKS: [&str; 9] = [
        "roleName",
        "roleDefinitionId",
        "principalId",
        "permissions",
        "denyAssignmentName",
        "RoleDefinitionId",
        "ObjectId",
        "Permissions",
        "properties",
    ];
    let is_rbac = |item: &&Value| {
        item.as_object().is_some_and(|o| {
            let body = o.get("properties").and_then(Value::as_object).unwrap_or(o);
            MARKS.iter().any(|m| {
                o.keys()
                    .chain(body.keys())
                    .any(|k| k.eq_ignore_ascii_case(m) && !k.eq_ignore_ascii_case("properties"))
            })
        })
    };
    if items.iter().any(is_rbac) {
        return JsonKind::Export;
    }
    JsonKind::Other
}

/// The conditions of `document` (of kind `kind`, as [`crate::input::embedded::conditions`] found
/// them, with their paths) that are ABAC conditions, each with its host, resource and line.
/// `text` is the document, for lines.
pub fn select_json(
    document: &Value,
    kind: JsonKind,
    found: Vec<Embedded>,
    text: &str,
) -> Result<Vec<Found>, Stop> {
    // The template's work budget, over all its conditions and their `copy` instances.
    let meter = Meter::new(ARM_MAX_STEPS);
    let scopes = scope::Scopes::new(document);
    // Where the last condition evaluated is, for an error past the budget.
    let mut last = 0;
    let line_of = |embedded: &Embedded| {
        let at = embedded.document_offset(0);
        // The key sits before the string: its line is the string's unless the writer broke
        // the line after the colon.
        crate::span::line_column(text, at).0
    };
    let mut out = Vec::new();
    for embedded in found {
        let (host, resource, facts, holder) = match kind {
            JsonKind::Other => continue,
            JsonKind::Export => (Host::Json, embedded.path.clone(), None, None),
            JsonKind::Arm => {
                let Some((resource, facts, holder, scope)) =
                    arm_resource(&scopes, &embedded.path, &meter)
                else {
                    continue;
                };
                (Host::Arm, resource, Some(facts), Some((holder, scope)))
            }
            JsonKind::Plan => {
                let Some((resource, facts)) = plan_resource(document, &embedded.path) else {
                    continue;
                };
                (Host::Plan, resource, Some(facts), None)
            }
        };
        let line = line_of(&embedded);
        let place = |resource: String, unresolved, holes, assumed, slot| Place {
            host,
            resource,
            line,
            unresolved,
            holes,
            assumed,
            slot,
            resource_ids: Vec::new(),
            facts: facts.clone(),
            suppressions: Vec::new(),
        };
        if host != Host::Arm {
            let place = place(resource, Vec::new(), Vec::new(), Vec::new(), None);
            out.push(Found {
                template: None,
                place,
                embedded,
            });
            continue;
        }
        // An ARM expression (`[format(…)]`, as Bicep compiles): evaluated where its inputs are
        // literal, its positions mapped through ARM's escapes and then the JSON's; once per
        // instance of a `copy` loop whose count is known when it reads `copyIndex()`.
        let Some((holder, scope)) = holder else {
            continue;
        };
        let copies = Some(holder)
            .filter(|_| arm::reads_copy_index(&embedded.text, &meter))
            .and_then(|holder| arm::copy_count(holder, &scope, &meter))
            .filter(|(n, _)| *n <= arm::MAX_COPIES);
        // Read once over the template's input: `copyIndex()` is an item its caller gives.
        let over_input = copies
            .as_ref()
            .is_none_or(|(n, assumed)| *n == 0 && !assumed.is_empty())
            && arm::copies_input(holder, &scope, &meter);
        let instances: Vec<(Option<usize>, String, Vec<String>)> = match copies {
            // No instance under a default a deployment can override: read once, never hidden.
            Some((0, assumed)) if !assumed.is_empty() => vec![(None, resource, Vec::new())],
            Some((count, assumed)) => (0..count)
                .map(|i| (Some(i), format!("{resource}[{i}]"), assumed.clone()))
                .collect(),
            None => vec![(None, resource, Vec::new())],
        };
        last = embedded.document_offset(0);
        for (index, resource, mut assumed) in instances {
            if meter.passed().is_some() {
                break;
            }
            let value = if over_input && index.is_none() {
                arm::value_over_input(&embedded.text, &scope, &meter)
            } else {
                arm::value_of(&embedded.text, &scope, index, &meter)
            };
            // A condition left out (a parameter whose default is `null`, a `tryGet()` of a
            // member the entry lacks): no condition.
            if value
                .as_ref()
                .is_some_and(|value| value.as_null().is_some())
            {
                continue;
            }
            let (evaluated, unresolved, holes, input) =
                match value.map(|value| arm::as_text(value, &embedded.text)) {
                    Some(evaluated) => {
                        let input = evaluated.slot();
                        let offsets = evaluated
                            .offsets
                            .iter()
                            .map(|&at| embedded.document_offset(at))
                            .collect();
                        for name in evaluated.assumed {
                            if !assumed.contains(&name) {
                                assumed.push(name);
                            }
                        }
                        let holes = evaluated
                            .holes
                            .into_iter()
                            .map(|hole| Hole {
                                offset: embedded.document_offset(hole.offset),
                                ..hole
                            })
                            .collect();
                        (
                            Embedded::new(embedded.path.clone(), evaluated.text, offsets),
                            evaluated.unresolved,
                            holes,
                            input,
                        )
                    }
                    None => (embedded.clone(), Vec::new(), Vec::new(), None),
                };
            out.push(Found {
                template: None,
                place: place(resource, unresolved, holes, assumed, input),
                embedded: evaluated,
            });
        }
    }
    if kind == JsonKind::Arm {
        out.extend(opaque::opaque_assignments(document, text));
    }
    match meter.passed() {
        Some(_) => Err(Stop::budget(
            Language::Json,
            last,
            Budget::Steps(ARM_MAX_STEPS),
        )),
        None => Ok(out),
    }
}

/// For a condition in an ARM template: the resource (its JSON path) when the condition is a
/// role assignment's `properties.condition` or a role definition block's, with its facts, the
/// resource, and the template its expressions read (see [`scope::Scopes`]); `None` for anything
/// else, such as a resource's deploy `condition`.
fn arm_resource<'d>(
    scopes: &scope::Scopes<'d>,
    path: &str,
    meter: &Meter,
) -> Option<(String, Facts, &'d Value, scope::Scope<'d>)> {
    let document = scopes.document;
    let parts = segments(path);
    let n = parts.len();
    let part = |i: usize| parts.get(i).map_or("", String::as_str);
    if !part(n.checked_sub(1)?).eq_ignore_ascii_case("condition") || n < 2 {
        return None;
    }
    // `…resources[i].properties.condition` or `…resources.name.properties.condition`
    // (languageVersion 2.0), or a role definition's `…properties.permissions[j].condition`.
    let (resource_len, role_definition) = if part(n - 2).eq_ignore_ascii_case("properties") {
        (n - 2, false)
    } else if n >= 5
        && part(n - 3).eq_ignore_ascii_case("permissions")
        && part(n - 4).eq_ignore_ascii_case("properties")
    {
        (n - 4, true)
    } else {
        return None;
    };
    let resource_path = parts.get(..resource_len)?;
    let holder = at(document, resource_path)?;
    let scope = scopes.scope_of(resource_path, meter);
    let document: &Value = &scope;
    let resource = holder.as_object()?;
    // ARM compares property names ignoring case.
    let property = |name: &str| {
        resource
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    };
    let kind = property("type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_ascii_lowercase();
    // A PIM schedule request takes no principal type of its own and needs `conditionVersion`.
    let request = [
        "roleeligibilityschedulerequests",
        "roleassignmentschedulerequests",
    ]
    .iter()
    .any(|t| kind.ends_with(&format!("microsoft.authorization/{t}")));
    let wanted = if role_definition {
        "microsoft.authorization/roledefinitions"
    } else {
        "microsoft.authorization/roleassignments"
    };
    if !kind.ends_with(wanted) && (role_definition || !request) {
        return None;
    }
    let properties = property("properties")?.as_object()?;
    let field = |name: &str| {
        properties
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    };
    let address = format!("${}", path_of(resource_path));
    let facts = Facts {
        assignment: !role_definition,
        principal_type: request || field("principalType").is_some(),
        principal_type_value: field("principalType")
            .and_then(Value::as_str)
            .filter(|v| !v.starts_with('['))
            .map(str::to_owned),
        principal_types: PrincipalTypes::Azure,
        // An expression only a deployment can evaluate is neither a wrong version nor a
        // missing one.
        version: field("conditionVersion")
            .and_then(Value::as_str)
            .and_then(|version| match arm::evaluate(version, document, meter) {
                None => Some(version.to_owned()),
                Some(e) if e.unresolved.is_empty() => Some(e.text),
                Some(_) => None,
            }),
        // Absent, `null`, or an expression that comes to `null` (`[null()]`): missing.
        version_required: request
            && field("conditionVersion").is_none_or(|v| match v {
                Value::String(text) => arm::value_of(text, document, None, meter)
                    .is_some_and(|value| value.as_null().is_some()),
                other => other.is_null(),
            }),
        role: field("roleDefinitionId")
            .and_then(Value::as_str)
            .map(|role| {
                arm::role_reference(role, document, meter).unwrap_or_else(|| role.to_owned())
            }),
        defined_role: field("roleDefinitionId")
            .and_then(Value::as_str)
            .filter(|_| !role_definition)
            .and_then(|role| arm::defined_role(role, document, meter)),
        principal_type_fix: "set `\"principalType\"` in the role assignment's properties",
    };
    Some((address, facts, holder, scope))
}

/// For a condition in a Terraform plan or state: the resource address, once per resource.
/// A plan's conditions are read from `resource_changes[i].change.after` only (its
/// `planned_values`, `prior_state` and `configuration` repeat them); a state's from
/// `values.root_module` (and its child modules).
fn plan_resource(document: &Value, path: &str) -> Option<(String, Facts)> {
    let parts = segments(path);
    let n = parts.len();
    let part = |i: usize| parts.get(i).map_or("", String::as_str);
    let resource_len = match part(0) {
        "resource_changes" if n == 5 && part(2) == "change" && part(3) == "after" => 2,
        "values" if part(1) == "root_module" && n >= 5 => n - 2,
        _ => return None,
    };
    if part(n - 1) != "condition" {
        return None;
    }
    let resource_value = at(document, parts.get(..resource_len)?)?;
    let resource = resource_value.as_object()?;
    let kind = resource.get("type").and_then(Value::as_str).unwrap_or("");
    if !(kind == "azurerm_role_assignment" || kind.starts_with("azurerm_pim_")) {
        return None;
    }
    let values = at(document, parts.get(..n - 1)?)?.as_object()?;
    let address = resource
        .get("address")
        .and_then(Value::as_str)
        .unwrap_or(path)
        .to_owned();
    let skip_check = values
        .get("skip_service_principal_aad_check")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    Some((
        address,
        Facts {
            assignment: true,
            principal_type: skip_check
                || values.get("principal_type").is_some_and(|v| !v.is_null()),
            principal_type_value: values
                .get("principal_type")
                .and_then(Value::as_str)
                .map(str::to_owned),
            principal_types: if kind == "azurerm_role_assignment" {
                PrincipalTypes::AzurermProvider
            } else {
                PrincipalTypes::Azure
            },
            version: values
                .get("condition_version")
                .and_then(Value::as_str)
                .map(str::to_owned),
            version_required: kind.starts_with("azurerm_pim_"),
            role: values
                .get("role_definition_id")
                .or_else(|| values.get("role_definition_name"))
                .and_then(Value::as_str)
                .map(str::to_owned),
            defined_role: (part(0) == "resource_changes")
                .then(|| plan::planned_role(document, resource_value))
                .flatten(),
            principal_type_fix: "set `principal_type` on the resource",
        },
    ))
}
