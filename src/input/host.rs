//! The files conditions live in, and what a found condition knows about its place: which host
//! (`terraform`, `bicep`, `arm`, `plan`, `json`), which resource, on which line, whether it
//! could be read offline, and what the resource says around it (principal type, version,
//! role).
//!
//! A JSON file is read for conditions only when it is one of the kinds that hold them: an ARM
//! template, a Terraform plan or state, a role, role assignment or deny assignment export, or an
//! azabac suite. Anything else (a VS Code `tasks.json`, a package manifest) is not scanned, and
//! an ARM resource's own deploy `condition` (`"[parameters('deploy')]"`) is never an ABAC
//! condition.

use serde_json::Value;

use super::embedded::Embedded;

/// The kind of file a condition was found in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Host {
    /// A Terraform configuration (`.tf`).
    Terraform,
    /// A Bicep file (`.bicep`).
    Bicep,
    /// An ARM template (`.json`).
    Arm,
    /// A Terraform plan or state (`terraform show -json`).
    Plan,
    /// An export of roles or assignments, or an azabac suite (`.json`).
    Json,
}

impl Host {
    /// The name JSON output uses: `terraform`, `bicep`, `arm`, `plan`, `json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Host::Terraform => "terraform",
            Host::Bicep => "bicep",
            Host::Arm => "arm",
            Host::Plan => "plan",
            Host::Json => "json",
        }
    }
}

/// What the resource around a condition says, for the resource-level checks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// Whether the resource is a role assignment (rather than a role definition or unknown).
    pub assignment: bool,
    /// Whether it sets a principal type (or sends one another way, as Terraform's
    /// `skip_service_principal_aad_check` does).
    pub principal_type: bool,
    /// The condition version it sets, if any.
    pub version: Option<String>,
    /// Whether the host requires a version beside a condition (`azurerm_pim_*`).
    pub version_required: bool,
    /// The role it assigns, as written (a GUID, an id, a name, or an expression).
    pub role: Option<String>,
    /// How to set a principal type on this host, for the fix.
    pub principal_type_fix: &'static str,
    /// The principal type it sets, where written literally.
    pub principal_type_value: Option<String>,
    /// Which principal types the host passes on to Azure.
    pub principal_types: PrincipalTypes,
}

/// The principal types a host accepts in a role assignment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PrincipalTypes {
    /// Azure's: `User`, `Group`, `ServicePrincipal`, `ForeignGroup`, `Device`, ignoring case.
    #[default]
    Azure,
    /// The azurerm provider's `azurerm_role_assignment`: `User`, `Group`, `ServicePrincipal`,
    /// exactly (its schema validates with `StringInSlice(…, false)`).
    AzurermProvider,
}

impl PrincipalTypes {
    /// Whether `value` is one of them.
    pub fn accepts(self, value: &str) -> bool {
        match self {
            PrincipalTypes::Azure => [
                "User",
                "Group",
                "ServicePrincipal",
                "ForeignGroup",
                "Device",
            ]
            .iter()
            .any(|t| t.eq_ignore_ascii_case(value)),
            PrincipalTypes::AzurermProvider => {
                ["User", "Group", "ServicePrincipal"].contains(&value)
            }
        }
    }

    /// Who refuses another value, and what it takes.
    pub fn expected(self) -> &'static str {
        match self {
            PrincipalTypes::Azure => {
                "Azure accepts `User`, `Group`, `ServicePrincipal`, `ForeignGroup` or `Device`"
            }
            PrincipalTypes::AzurermProvider => {
                "the azurerm provider accepts `User`, `Group` or `ServicePrincipal`, spelled so"
            }
        }
    }
}

/// One condition found in a host file: the condition with its map into the file (its `path`
/// is the JSON path or the resource address), and its place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// The condition and its map into the file.
    pub embedded: Embedded,
    /// Where it is and what is around it.
    pub place: Place,
    /// For a condition that is a whole template file (Terraform's `templatefile()`): that
    /// file, which the map points into instead of the file the resource is in.
    pub template: Option<Template>,
}

/// A template file a condition is kept in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    /// Its path as the module wrote it, relative to the module's directory.
    pub path: String,
    /// Its text.
    pub text: String,
}

/// Where a found condition is, and what is around it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// The host.
    pub host: Host,
    /// The resource that holds it: a Terraform address, a Bicep symbolic name, a JSON path.
    pub resource: String,
    /// The 1-based line of the `condition` key in the file.
    pub line: usize,
    /// What the text depends on that cannot be known offline (`module.x.id`, a parameter
    /// without a default): the condition is not checkable when this is not empty.
    pub unresolved: Vec<String>,
    /// Values taken from defaults that a deployment can override (`var.x`).
    pub assumed: Vec<String>,
    /// References whose shape says they are a role definition's resource id, where the
    /// condition wants a GUID (`azurerm_role_definition.x.id`, Bicep's
    /// `subscriptionResourceId(…)`): where each sits in the condition's text, and its source.
    /// An error even when the value is not known.
    pub resource_ids: Vec<(std::ops::Range<usize>, String)>,
    /// What the resource says around the condition.
    pub facts: Option<Facts>,
    /// The `azabac:suppress` comments of the declaration that holds the condition (Terraform
    /// and Bicep, which have comments; JSON has none).
    pub suppressions: Vec<InlineSuppression>,
}

/// A comment `# azabac:suppress CODE REASON` (or `// …`) inside a declaration, or in the
/// comment lines right above it: the declaration's conditions do not draw `CODE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlineSuppression {
    /// The comment's 1-based line in the file.
    pub line: usize,
    /// The code, as written (the CLI checks it is one).
    pub code: String,
    /// Why, as written; empty when the comment gives none, which the CLI refuses.
    pub reason: String,
}

/// The marker of an inline suppression comment.
const SUPPRESS_MARKER: &str = "azabac:suppress";

/// The `azabac:suppress` comments that apply to the declaration spanning `block` (byte
/// offsets) of `text`: those on its lines, and those in the run of comment lines (`#`, `//`,
/// and decorators) right above its first line.
pub fn inline_suppressions(text: &str, block: std::ops::Range<usize>) -> Vec<InlineSuppression> {
    let lines: Vec<&str> = text.split('\n').collect();
    let first = crate::span::line_column(text, block.start).0;
    let last = crate::span::line_column(text, block.end.max(block.start)).0;
    // Comments, and Bicep's decorators (`@description(…)`) between them and the declaration.
    let is_comment = |line: &str| {
        let line = line.trim_start();
        line.starts_with('#') || line.starts_with("//") || line.starts_with('@')
    };
    let mut start = first;
    while start > 1 && lines.get(start - 2).is_some_and(|l| is_comment(l)) {
        start -= 1;
    }
    let mut found = Vec::new();
    for number in start..=last {
        let Some(line) = lines.get(number - 1) else {
            break;
        };
        // Only in a comment: the marker right after the `#` or `//` that starts one.
        let Some(comment) = comment_start(line) else {
            continue;
        };
        let body = line.get(comment..).unwrap_or("");
        let body = body.trim_start_matches(['#', '/']).trim_start();
        if !body.starts_with(SUPPRESS_MARKER) {
            continue;
        }
        let at = line.len() - body.len();
        let rest = line.get(at + SUPPRESS_MARKER.len()..).unwrap_or("").trim();
        let (code, reason) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let reason = reason
            .trim()
            .trim_start_matches(['-', ':', '\u{2014}'])
            .trim()
            .to_owned();
        found.push(InlineSuppression {
            line: number,
            code: code.trim_end_matches([':', ',']).to_owned(),
            reason,
        });
    }
    found
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

/// The conditions of `document` (of kind `kind`, as [`super::embedded::conditions`] found
/// them, with their paths) that are ABAC conditions, each with its host, resource and line.
/// `text` is the document, for lines.
pub fn select_json(
    document: &Value,
    kind: JsonKind,
    found: Vec<Embedded>,
    text: &str,
) -> Vec<Found> {
    let line_of = |embedded: &Embedded| {
        let at = embedded.document_offset(0);
        // The key sits before the string: its line is the string's unless the writer broke
        // the line after the colon.
        crate::span::line_column(text, at).0
    };
    found
        .into_iter()
        .filter_map(|embedded| {
            let (host, resource, facts) = match kind {
                JsonKind::Other => return None,
                JsonKind::Export => (Host::Json, embedded.path.clone(), None),
                JsonKind::Arm => {
                    let (resource, facts) = arm_resource(document, &embedded.path)?;
                    (Host::Arm, resource, Some(facts))
                }
                JsonKind::Plan => {
                    let (resource, facts) = plan_resource(document, &embedded.path)?;
                    (Host::Plan, resource, Some(facts))
                }
            };
            let line = line_of(&embedded);
            // An ARM expression (`[format(…)]`, as Bicep compiles): evaluated where its inputs
            // are literal, its positions mapped through ARM's escapes and then the JSON's.
            let (embedded, unresolved, assumed) = match host {
                Host::Arm => match super::arm::evaluate(&embedded.text, document) {
                    Some(evaluated) => {
                        let offsets = evaluated
                            .offsets
                            .iter()
                            .map(|&at| embedded.document_offset(at))
                            .collect();
                        (
                            Embedded::new(embedded.path.clone(), evaluated.text, offsets),
                            evaluated.unresolved,
                            evaluated.assumed,
                        )
                    }
                    None => (embedded, Vec::new(), Vec::new()),
                },
                _ => (embedded, Vec::new(), Vec::new()),
            };
            Some(Found {
                template: None,
                place: Place {
                    host,
                    resource,
                    line,
                    unresolved,
                    assumed,
                    resource_ids: Vec::new(),
                    facts,
                    suppressions: Vec::new(),
                },
                embedded,
            })
        })
        .collect()
}

/// The segments of a JSON path as [`super::embedded`] writes them: keys and indexes.
fn segments(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path.strip_prefix('$').unwrap_or(path);
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            out.push(after.get(..end).unwrap_or("").to_owned());
            rest = after.get(end..).unwrap_or("");
        } else if let Some(after) = rest.strip_prefix('[') {
            if after.starts_with('"') {
                let mut stream = serde_json::Deserializer::from_str(after).into_iter::<String>();
                let Some(Ok(key)) = stream.next() else { break };
                let used = stream.byte_offset();
                out.push(key);
                rest = after.get(used + 1..).unwrap_or("");
            } else {
                let end = after.find(']').unwrap_or(after.len());
                out.push(after.get(..end).unwrap_or("").to_owned());
                rest = after.get(end + 1..).unwrap_or("");
            }
        } else {
            break;
        }
    }
    out
}

/// The value at the first `count` segments of `path`.
fn at<'v>(document: &'v Value, segments: &[String]) -> Option<&'v Value> {
    segments
        .iter()
        .try_fold(document, |value, segment| match value {
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?),
            Value::Object(object) => object.get(segment),
            _ => None,
        })
}

/// For a condition in an ARM template: the resource (its JSON path) when the condition is a
/// role assignment's `properties.condition` or a role definition block's, with its facts;
/// `None` for anything else, such as a resource's deploy `condition`.
fn arm_resource(document: &Value, path: &str) -> Option<(String, Facts)> {
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
    let resource = at(document, resource_path)?.as_object()?;
    let kind = resource.get("type").and_then(Value::as_str).unwrap_or("");
    let wanted = if role_definition {
        "microsoft.authorization/roledefinitions"
    } else {
        "microsoft.authorization/roleassignments"
    };
    if !kind.to_ascii_lowercase().ends_with(wanted) {
        return None;
    }
    let properties = resource.get("properties")?.as_object()?;
    let field = |name: &str| {
        properties
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    };
    let address = format!("${}", path_of(resource_path));
    Some((
        address,
        Facts {
            assignment: !role_definition,
            principal_type: field("principalType").is_some(),
            principal_type_value: field("principalType")
                .and_then(Value::as_str)
                .filter(|v| !v.starts_with('['))
                .map(str::to_owned),
            principal_types: PrincipalTypes::Azure,
            version: field("conditionVersion")
                .and_then(Value::as_str)
                .map(str::to_owned),
            version_required: false,
            role: field("roleDefinitionId")
                .and_then(Value::as_str)
                .map(str::to_owned),
            principal_type_fix: "set `\"principalType\"` in the role assignment's properties",
        },
    ))
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
    let resource = at(document, parts.get(..resource_len)?)?.as_object()?;
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
            principal_type_fix: "set `principal_type` on the resource",
        },
    ))
}

/// A JSON path of `parts`, as [`super::embedded`] writes paths (without the `$`).
fn path_of(parts: &[String]) -> String {
    parts
        .iter()
        .map(|p| {
            if p.parse::<usize>().is_ok() {
                format!("[{p}]")
            } else if p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') && !p.is_empty() {
                format!(".{p}")
            } else {
                format!("[{}]", Value::String(p.clone()))
            }
        })
        .collect()
}

/// Where a line's comment (`#` or `//`) starts, outside Terraform's `"…"` and Bicep's `'…'`
/// strings.
fn comment_start(line: &str) -> Option<usize> {
    let mut quote = None;
    let mut escaped = false;
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if b == b'\\' {
                    escaped = true;
                } else if b == q {
                    quote = None;
                }
            }
            None => match b {
                b'"' | b'\'' => quote = Some(b),
                b'#' => return Some(i),
                b'/' if bytes.get(i + 1) == Some(&b'/') => return Some(i),
                _ => {}
            },
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suppression_comments_apply_inside_and_right_above_a_declaration() {
        let text = "# azabac:suppress AZ0001 far\n\n# note\n# azabac:suppress AZ0317: set by policy\n\
                    resource \"a\" \"b\" {\n  x = \"# azabac:suppress\"\n  // azabac:suppress AZ0303\n}\n";
        let start = text.find("resource").unwrap_or(0);
        let found = inline_suppressions(text, start..text.len() - 1);
        let summary: Vec<(usize, &str, &str)> = found
            .iter()
            .map(|s| (s.line, s.code.as_str(), s.reason.as_str()))
            .collect();
        assert_eq!(summary, [(4, "AZ0317", "set by policy"), (7, "AZ0303", "")]);
    }
}
