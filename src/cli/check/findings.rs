//! What `check` finds about each condition: the checker's findings, the resource's, the
//! version beside it, and the role it is checked against.

use std::collections::HashMap;

use serde_json::Value;
use uuid::Uuid;

use azabac::catalog::{self, Catalog, RoleDefinition};
use azabac::check::Checker;
use azabac::diagnostic::{Code, Diagnostic, Severity};
use azabac::input::holes::fill;
use azabac::input::owner::{Owner, condition_version, owner, role_guid};
use azabac::input::place::Place;
use azabac::span::Span;

use super::super::config::Config;
use super::super::input::Input;

/// The findings about one input.
pub(super) struct Checked {
    pub(super) input: Input,
    pub(super) diagnostics: Vec<Diagnostic>,
    /// The values only a deployment knows that the condition was checked around.
    pub(super) open: Vec<String>,
}

/// Findings as the reader sees them: for a condition inside a JSON file, moved into the file
/// (each span mapped through the string's escapes), named by the file and shown in it.
pub(super) struct Located<'a> {
    pub(super) name: &'a str,
    pub(super) source: &'a str,
    pub(super) diagnostics: Vec<Diagnostic>,
}

/// One finding with the file it is in, if any, and its 1-based line/column range there.
pub(super) struct Placed {
    pub(super) diagnostic: Diagnostic,
    pub(super) file: Option<String>,
    pub(super) region: (usize, usize, usize, usize),
}

impl Checked {
    /// Every finding, located in the file the condition came from (see [`Checked::located`]).
    pub(super) fn placed(&self) -> Vec<Placed> {
        let located = self.located();
        let file = self
            .input
            .origin
            .as_ref()
            .map(|o| o.file.clone())
            .or_else(|| self.input.path.as_ref().map(|p| p.display().to_string()))
            // Annotations and SARIF name files from the repository's root: `./x` is `x`.
            .map(|file| file.trim_start_matches("./").to_owned());
        located
            .diagnostics
            .into_iter()
            .map(|diagnostic| {
                let (line, column) =
                    azabac::span::line_column(located.source, diagnostic.span.start());
                let (end_line, end_column) =
                    azabac::span::line_column(located.source, diagnostic.span.end());
                Placed {
                    diagnostic,
                    file: file.clone(),
                    region: (line, column, end_line, end_column),
                }
            })
            .collect()
    }

    pub(super) fn located(&self) -> Located<'_> {
        let Some(origin) = &self.input.origin else {
            return Located {
                name: &self.input.name,
                source: &self.input.text,
                diagnostics: self.diagnostics.clone(),
            };
        };
        let embedded = &origin.embedded;
        let map = |span: Span| {
            Span::new(
                embedded.document_offset(span.start()),
                embedded.document_offset(span.end()),
            )
        };
        let diagnostics = self
            .diagnostics
            .iter()
            .map(|d| {
                let mut moved = d.clone();
                moved.span = map(d.span);
                for label in &mut moved.labels {
                    label.span = map(label.span);
                }
                moved
            })
            .collect();
        Located {
            name: &origin.file,
            source: &origin.document,
            diagnostics,
        }
    }

    pub(super) fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    pub(super) fn valid(&self, deny_warnings: bool) -> bool {
        self.count(Severity::Error) == 0 && !(deny_warnings && self.count(Severity::Warning) > 0)
    }

    /// The module's input the whole condition is, where it is a condition slot.
    pub(super) fn slot(&self) -> Option<&str> {
        self.input.origin.as_ref()?.place.slot.as_deref()
    }

    /// What the condition depends on that only a deployment knows: it was not checked.
    pub(super) fn unresolved(&self) -> &[String] {
        self.input
            .origin
            .as_ref()
            .map_or(&[], |o| o.place.unresolved.as_slice())
    }
}

/// Checks one input: the reading problems, then what the front end and the checker find
/// (against `role` when one applies), with the project's suppressions and severities applied.
/// A condition from a host file that depends on values only a deployment knows is checked
/// around them when each is a value inside one literal, and is otherwise not checkable.
pub(super) fn check(
    catalog: &Catalog,
    role: Result<Option<&RoleDefinition>, Diagnostic>,
    version: Option<Diagnostic>,
    config: &Config,
    mut input: Input,
) -> Checked {
    let mut diagnostics = input.read_diagnostics.clone();
    if let Some(note) = version {
        diagnostics.push(note);
    }
    let mut checker = Checker::new(catalog);
    match role {
        Ok(Some(role)) => checker = checker.with_role(role),
        Ok(None) => {}
        Err(note) => diagnostics.push(note),
    }
    let mut open = Vec::new();
    // Whether the text as read is still to be checked: not when it depends on values only a
    // deployment knows, which it is checked around, or is not checkable.
    let mut check_text = !input.unread;
    if let Some(origin) = &mut input.origin {
        diagnostics.extend(resource_id_errors(&origin.place));
        if origin.place.unresolved.is_empty() {
            diagnostics.extend(resource_findings(&origin.place));
        } else {
            check_text = false;
            let around = fill(&origin.embedded, &origin.place).and_then(|filled| {
                checker
                    .check_source_with_unknowns(&filled.embedded.text, &filled.unknown)
                    .map(|found| (filled, found))
            });
            match around {
                Some((filled, found)) => {
                    diagnostics.push(checked_around(&filled.sources));
                    diagnostics.extend(resource_findings(&origin.place));
                    diagnostics.extend(found);
                    input.text.clone_from(&filled.embedded.text);
                    origin.embedded = filled.embedded;
                    origin.place.unresolved.clear();
                    open = filled.sources;
                }
                // A condition slot: the module's input, which its callers give; what the
                // resource says around it is still checked.
                None if origin.place.slot.is_some() => {
                    diagnostics.push(slot(origin.place.slot.as_deref().unwrap_or_default()));
                    diagnostics.extend(resource_findings(&origin.place));
                }
                // Not checkable offline: a note, never a false error.
                None => diagnostics.push(not_checkable(&origin.place.unresolved)),
            }
        }
    }
    if check_text {
        diagnostics.extend(checker.check_source(&input.text));
    }
    config.apply(&input, &mut diagnostics);
    Checked {
        input,
        diagnostics,
        open,
    }
}

/// The errors for a role definition's resource id where the condition wants a GUID: certain
/// even when the value is not known.
fn resource_id_errors(place: &Place) -> Vec<Diagnostic> {
    place
        .resource_ids
        .iter()
        .map(|(range, source)| {
            Diagnostic::new(
                Code::MalformedGuid,
                Span::new(range.start, range.end),
                format!(
                    "`{source}` is a role definition's resource id, and the condition wants its \
                     GUID"
                ),
            )
            .with_help(
                "Terraform: use `.role_definition_id` (the GUID) instead of `.id` or \
                 `.role_definition_resource_id`; Bicep: `last(split(…, '/'))`, or the role's \
                 GUID",
            )
        })
        .collect()
}

/// The note for a condition that depends on `unresolved` in a way it cannot be checked
/// around.
fn not_checkable(unresolved: &[String]) -> Diagnostic {
    let mut named: Vec<&str> = Vec::new();
    for what in unresolved {
        if !named.contains(&what.as_str()) {
            named.push(what);
        }
    }
    Diagnostic::new(
        Code::NotCheckable,
        Span::new(0, 0),
        format!(
            "not checkable offline: the condition depends on {}",
            named.join(", ")
        ),
    )
    .with_help(
        "give the values literally, as defaults or locals, or check the rendered condition (a \
         plan, `azabac check -`)",
    )
}

/// The note for a condition slot: the whole condition is the module's input `input`.
fn slot(input: &str) -> Diagnostic {
    Diagnostic::new(
        Code::NotCheckable,
        Span::new(0, 0),
        format!(
            "a condition slot: the condition is the module's input `{input}`, which its callers \
             give; not checkable here"
        ),
    )
    .with_help(
        "check it where a caller gives it (a Terraform variable file with `--var-file`, a \
         local module call in the run), or check the rendered condition (a plan, `azabac \
         check -`)",
    )
}

/// The note for a condition checked around the values `open` stands for.
fn checked_around(open: &[String]) -> Diagnostic {
    let values = match open.len() {
        1 => "1 value".to_owned(),
        n => format!("{n} values"),
    };
    Diagnostic::new(
        Code::CheckedAroundUnknowns,
        Span::new(0, 0),
        format!(
            "checked around {values} known only at deployment: {}",
            open.join(", ")
        ),
    )
    .with_help(
        "what depends on the values themselves (a GUID's shape, a date) is checked once they \
         are known: check the rendered condition (a plan, `azabac check -`)",
    )
}

/// What the resource around a condition says wrong: a role assignment with a condition and no
/// principal type (AZ0317), a version a host requires and is missing, or `1.0` (AZ0030).
pub(super) fn resource_findings(place: &Place) -> Vec<Diagnostic> {
    let Some(facts) = &place.facts else {
        return Vec::new();
    };
    let mut found = Vec::new();
    if facts.assignment && !facts.principal_type {
        found.push(
            Diagnostic::new(
                Code::MissingPrincipalType,
                Span::new(0, 0),
                format!(
                    "`{}` sets no principal type: Azure then leaves `PrincipalType` out of the \
                     request, and a deployer whose own delegation condition reads it (as \
                     Microsoft's recommended conditions do) is refused with a bare 403",
                    place.resource
                ),
            )
            .with_help(facts.principal_type_fix),
        );
    }
    if let Some(value) = &facts.principal_type_value
        && !facts.principal_types.accepts(value)
    {
        found.push(
            Diagnostic::new(
                Code::InvalidPrincipalType,
                Span::new(0, 0),
                format!(
                    "`{}` sets principal type `{value}`, which {}",
                    place.resource,
                    facts.principal_types.expected()
                ),
            )
            .with_help("write the principal type as Azure names it, such as `ServicePrincipal`"),
        );
    }
    match facts.version.as_deref().map(str::trim) {
        Some("2.0") => {}
        Some(version) => found.push(
            Diagnostic::new(
                Code::UnsupportedConditionVersion,
                Span::new(0, 0),
                format!(
                    "`{}` sets condition version `{version}`: Azure accepts only 2.0",
                    place.resource
                ),
            )
            .with_help("set it to \"2.0\""),
        ),
        None if facts.version_required => {
            // Each host names the field its own way.
            // An azapi body is Azure's JSON in HCL: `conditionVersion`.
            let azapi = place.resource.starts_with("azapi_resource.");
            let (key, help) = match place.host {
                azabac::input::place::Host::Terraform if azapi => (
                    "conditionVersion",
                    "add `conditionVersion = \"2.0\"` to the body's `properties`",
                ),
                azabac::input::place::Host::Terraform => {
                    ("condition_version", "add `condition_version = \"2.0\"`")
                }
                azabac::input::place::Host::Bicep => {
                    ("conditionVersion", "add `conditionVersion: '2.0'`")
                }
                _ => ("conditionVersion", "add `\"conditionVersion\": \"2.0\"`"),
            };
            found.push(
                Diagnostic::new(
                    Code::UnsupportedConditionVersion,
                    Span::new(0, 0),
                    format!(
                        "`{}` has a condition without `{key}`, which this resource requires \
                         beside it",
                        place.resource
                    ),
                )
                .with_help(help),
            );
        }
        None => {}
    }
    found
}

/// The error for a `conditionVersion` beside a condition in a JSON file that is not `2.0`
/// ([decision 23](../../../docs/spec/DECISIONS.md#decision-23): Azure rejects `1.0`; a missing version
/// means `2.0`).
pub(super) fn version_error(input: &Input, documents: &HashMap<&str, Value>) -> Option<Diagnostic> {
    let origin = input.origin.as_ref()?;
    if origin.place.facts.is_some() {
        // The host's reader read the version with the resource.
        return None;
    }
    let document = documents.get(origin.file.as_str())?;
    let (version, path) = condition_version(document, &origin.embedded.path)?;
    let message = match version {
        Value::String(version) if version.trim() == "2.0" => return None,
        Value::String(version) => {
            format!("`{path}` is `{version}`: Azure accepts only conditionVersion 2.0")
        }
        // `decide` refuses a non-string version too: the two commands read a file alike.
        other => format!(
            "`{path}` is `{other}`, not a string: the API defines conditionVersion as the string \"2.0\""
        ),
    };
    Some(
        Diagnostic::new(Code::UnsupportedConditionVersion, Span::new(0, 0), message)
            .with_help("set it to \"2.0\", or leave it out (it means 2.0)"),
    )
}

/// The roles the given JSON files define, by GUID: role definitions in any shape `--roles`
/// reads, as one object, an array or an ARM list.
pub(super) fn defined_roles(documents: &[Value]) -> HashMap<Uuid, RoleDefinition> {
    let mut roles = HashMap::new();
    for document in documents {
        let items: Vec<&Value> = match document {
            Value::Array(items) => items.iter().collect(),
            Value::Object(object) => match object.get("value") {
                Some(Value::Array(items)) => items.iter().collect(),
                _ => vec![document],
            },
            _ => Vec::new(),
        };
        for item in items {
            if let Ok(role) = RoleDefinition::from_value(item.clone())
                && let Some(id) = role.id
            {
                roles.entry(id).or_insert(role);
            }
        }
    }
    roles
}

/// The role the resource holding `input` assigns or defines, when the host file says which
/// and azabac knows it (built in, or defined in the same file): what `explain` explains a
/// condition of a Terraform, Bicep, ARM or plan resource against, as `check` checks it.
pub(in crate::cli) fn host_role(input: &Input) -> Option<RoleDefinition> {
    input.origin.as_ref()?.place.facts.as_ref()?;
    let documents = HashMap::new();
    let defined = HashMap::new();
    let mut blocks = Vec::new();
    role_of(input, &documents, &defined, &mut blocks)
        .ok()
        .flatten()
        .cloned()
}

/// The role a condition from a JSON file is checked against: the role definition it is a block
/// of, or the role its assignment assigns (defined in the files given, or built in). A role
/// azabac cannot tell is a note, never an error.
pub(super) fn role_of<'r>(
    input: &Input,
    documents: &HashMap<&str, Value>,
    defined: &'r HashMap<Uuid, RoleDefinition>,
    blocks: &'r mut Vec<RoleDefinition>,
) -> Result<Option<&'r RoleDefinition>, Diagnostic> {
    let Some(origin) = &input.origin else {
        return Ok(None);
    };
    if let Some(facts) = &origin.place.facts {
        // The host's reader read the role with the resource, and defined it when the files
        // define it.
        if let Some(role) = &facts.defined_role {
            blocks.push(role.clone());
            return Ok(blocks.last());
        }
        let Some(text) = facts.role.as_deref() else {
            return Ok(None);
        };
        let guid = role_guid(text);
        let known = match guid {
            Some(guid) => defined
                .get(&guid)
                .or_else(|| catalog::builtin_roles().iter().find(|r| r.id == Some(guid))),
            None => defined
                .values()
                .find(|r| r.role_name.eq_ignore_ascii_case(text.trim()))
                .or_else(|| catalog::find_builtin_role(text)),
        };
        return match known {
            Some(role) => Ok(Some(role)),
            None => Err(Diagnostic::new(
                Code::RoleNotKnown,
                Span::new(0, 0),
                format!(
                    "the role `{text}` is neither built in nor defined in the files given: the \
                 role-aware checks (AZ0311–AZ0313) are skipped"
                ),
            )),
        };
    }
    let Some(document) = documents.get(origin.file.as_str()) else {
        return Ok(None);
    };
    let unknown = |what: String| {
        Diagnostic::new(Code::RoleNotKnown, Span::new(0, 0), what).with_help(
            "give the file that defines the role beside this one, or `--role`/`--role-file`, \
             to check the condition against it",
        )
    };
    match owner(document, &origin.embedded.path) {
        Owner::Role(role) => {
            blocks.push(*role);
            Ok(blocks.last())
        }
        Owner::Assignment(guid) => match defined.get(&guid) {
            Some(role) => Ok(Some(role)),
            None => match catalog::builtin_roles().iter().find(|r| r.id == Some(guid)) {
                Some(role) => Ok(Some(role)),
                None => Err(unknown(format!(
                    "role {guid} is neither built in nor defined in the files given: the \
                     role-aware checks (AZ0311–AZ0313) are skipped"
                ))),
            },
        },
        Owner::UnknownRole(text) => Err(unknown(format!(
            "the role `{text}` is not one azabac can read: the role-aware checks (AZ0311–AZ0313) \
             are skipped"
        ))),
        _ => Ok(None),
    }
}
