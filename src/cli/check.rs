//! `azabac check`: report every error and warning in conditions.

use clap::{Args, ValueEnum};
use serde_json::{Value, json};

use std::collections::HashMap;
use std::path::PathBuf;

use uuid::Uuid;

use azabac::catalog::{self, Catalog, RoleDefinition};
use azabac::check::Checker;
use azabac::diagnostic::render::{self, HumanOptions};
use azabac::diagnostic::{Code, Diagnostic, Severity};
use azabac::input::owner::{Owner, condition_version, owner, role_guid};
use azabac::span::Span;

use super::config::{Config, ConfigArgs};
use super::input::{Input, InputArgs};
use super::output::{out, outln};
use super::{ColorChoice, Status};
use azabac::input::host::{Host, Place};

/// Output formats of `check`.
#[derive(Clone, Copy, Debug, Default, ValueEnum)]
pub enum CheckFormat {
    /// Reports for people (ariadne).
    #[default]
    Human,
    /// One JSON object per input (an array for several inputs).
    Json,
    /// GitHub Actions workflow commands (`::error file=…,line=…,col=…::…`), one per
    /// diagnostic, which GitHub shows as annotations on the file and line.
    Github,
    /// A SARIF 2.1.0 log, for code scanning.
    Sarif,
    /// One line per argument (how many conditions, valid, invalid, warnings), each invalid
    /// condition's first error, and the total: the state of a whole tree at a glance.
    Summary,
}

/// Arguments of `azabac check`.
#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    inputs: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: CheckFormat,
    /// Treat warnings as errors: any warning makes the input invalid and the exit status 1.
    /// Notes are not warnings.
    #[arg(long)]
    deny_warnings: bool,
    /// Raise the warnings of this code (`AZ0315`) or category (`widens-access`,
    /// `correctness`, `documentation`, `style`) to errors (repeatable; adds to `azabac.toml`).
    #[arg(long, value_name = "CODE|CATEGORY")]
    deny: Vec<String>,
    /// Silence the warnings of this code or category (repeatable). An error code cannot be
    /// allowed: it means Azure rejects the condition.
    #[arg(long, value_name = "CODE|CATEGORY")]
    allow: Vec<String>,
    #[command(flatten)]
    config: ConfigArgs,
    /// Also write the JSON report to this file, whatever `--format` prints.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Also write the SARIF report to this file, whatever `--format` prints.
    #[arg(long, value_name = "FILE")]
    sarif: Option<PathBuf>,
    /// Exit 0 when no condition is found, or none can be checked offline (by default such a
    /// run exits 2, so that a CI step that checks nothing does not pass).
    #[arg(long)]
    allow_empty: bool,
    /// When to colour human output.
    #[arg(long, value_enum, default_value_t)]
    color: ColorChoice,
    /// Extend the attribute catalogue with this JSON file (repeatable), for example to
    /// declare custom security attributes and their types.
    #[arg(long, value_name = "FILE")]
    catalog: Vec<PathBuf>,
    /// Also check against this built-in role, by name or GUID: targeted actions it does not
    /// grant, and actions it grants that bypass the condition.
    #[arg(long, value_name = "NAME_OR_GUID", conflicts_with = "role_file")]
    role: Option<String>,
    /// Like `--role`, for a role definition in a JSON file (`az role definition list`
    /// output, an ARM resource, or an `az role definition create` file).
    #[arg(long, value_name = "FILE")]
    role_file: Option<PathBuf>,
}

/// Loads the catalogue with its extensions, and the role if one was named.
fn setup(args: &CheckArgs) -> Result<(Catalog, Option<RoleDefinition>), String> {
    let catalog = load_catalog(&args.catalog)?;
    let role = super::load_role(args.role.as_deref(), args.role_file.as_deref())?;
    Ok((catalog, role))
}

/// The built-in catalogue extended by `--catalog` files.
pub(super) fn load_catalog(paths: &[PathBuf]) -> Result<Catalog, String> {
    let mut extensions = Vec::new();
    for path in paths {
        let text = azabac::text::read_to_string(path)
            .map_err(|e| format!("cannot read catalogue `{}`: {e}", path.display()))?;
        let file = Catalog::parse_file(&text)
            .map_err(|e| format!("catalogue `{}`: {e}", path.display()))?;
        extensions.push(file);
    }
    Catalog::from_files(&extensions).map_err(|e| e.to_string())
}

/// The findings about one input.
struct Checked {
    input: Input,
    diagnostics: Vec<Diagnostic>,
}

/// Findings as the reader sees them: for a condition inside a JSON file, moved into the file
/// (each span mapped through the string's escapes), named by the file and shown in it.
struct Located<'a> {
    name: &'a str,
    source: &'a str,
    diagnostics: Vec<Diagnostic>,
}

/// One finding with the file it is in, if any, and its 1-based line/column range there.
struct Placed {
    diagnostic: Diagnostic,
    file: Option<String>,
    region: (usize, usize, usize, usize),
}

impl Checked {
    /// Every finding, located in the file the condition came from (see [`Checked::located`]).
    fn placed(&self) -> Vec<Placed> {
        let located = self.located();
        let file = self
            .input
            .origin
            .as_ref()
            .map(|o| o.file.clone())
            .or_else(|| self.input.path.as_ref().map(|p| p.display().to_string()));
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

    fn located(&self) -> Located<'_> {
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

    fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    fn valid(&self, deny_warnings: bool) -> bool {
        self.count(Severity::Error) == 0 && !(deny_warnings && self.count(Severity::Warning) > 0)
    }

    /// What the condition depends on that only a deployment knows: it was not checked.
    fn unresolved(&self) -> &[String] {
        self.input
            .origin
            .as_ref()
            .map_or(&[], |o| o.place.unresolved.as_slice())
    }
}

/// Checks one input: the reading problems, then what the front end and the checker find
/// (against `role` when one applies), with the project's suppressions and severities applied.
fn check(
    catalog: &Catalog,
    role: Result<Option<&RoleDefinition>, Diagnostic>,
    version: Option<Diagnostic>,
    config: &Config,
    input: Input,
) -> Checked {
    let mut diagnostics = input.read_diagnostics.clone();
    if let Some(note) = version {
        diagnostics.push(note);
    }
    if let Some(origin) = &input.origin {
        for (range, source) in &origin.place.resource_ids {
            diagnostics.push(
                Diagnostic::new(
                    Code::MalformedGuid,
                    Span::new(range.start, range.end),
                    format!(
                        "`{source}` is a role definition's resource id, and the condition wants \
                         its GUID"
                    ),
                )
                .with_help(
                    "Terraform: use `.role_definition_id` (the GUID) instead of `.id` or \
                     `.role_definition_resource_id`; Bicep: `last(split(…, '/'))`, or the \
                     role's GUID",
                ),
            );
        }
        if !origin.place.unresolved.is_empty() {
            // Not checkable offline: a note, never a false error.
            diagnostics.push(
                Diagnostic::new(
                    Code::NotCheckable,
                    Span::new(0, 0),
                    format!(
                        "not checkable offline: the condition depends on {}",
                        origin.place.unresolved.join(", ")
                    ),
                )
                .with_help(
                    "give the values literally, as defaults or locals, or check the rendered \
                     condition (a plan, `azabac check -`)",
                ),
            );
            config.apply(&input, &mut diagnostics);
            return Checked { input, diagnostics };
        }
        diagnostics.extend(resource_findings(&origin.place));
    }
    let mut checker = Checker::new(catalog);
    match role {
        Ok(Some(role)) => checker = checker.with_role(role),
        Ok(None) => {}
        Err(note) => diagnostics.push(note),
    }
    if !input.unread {
        diagnostics.extend(checker.check_source(&input.text));
    }
    config.apply(&input, &mut diagnostics);
    Checked { input, diagnostics }
}

/// What the resource around a condition says wrong: a role assignment with a condition and no
/// principal type (AZ0317), a version a host requires and is missing, or `1.0` (AZ0030).
fn resource_findings(place: &Place) -> Vec<Diagnostic> {
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
        None if facts.version_required => found.push(
            Diagnostic::new(
                Code::UnsupportedConditionVersion,
                Span::new(0, 0),
                format!(
                    "`{}` has a condition without `condition_version`, which this resource \
                     requires beside it",
                    place.resource
                ),
            )
            .with_help("add `condition_version = \"2.0\"`"),
        ),
        None => {}
    }
    found
}

/// The error for a `conditionVersion` beside a condition in a JSON file that is not `2.0`
/// (decision 23: Azure rejects `1.0`; a missing version means `2.0`).
fn version_error(input: &Input, documents: &HashMap<&str, Value>) -> Option<Diagnostic> {
    let origin = input.origin.as_ref()?;
    if origin.place.facts.is_some() {
        // The host's reader read the version with the resource.
        return None;
    }
    let document = documents.get(origin.file.as_str())?;
    let (version, path) = condition_version(document, &origin.embedded.path)?;
    (version.trim() != "2.0").then(|| {
        Diagnostic::new(
            Code::UnsupportedConditionVersion,
            Span::new(0, 0),
            format!("`{path}` is `{version}`: Azure accepts only conditionVersion 2.0"),
        )
        .with_help("set it to \"2.0\", or leave it out (it means 2.0)")
    })
}

/// The roles the given JSON files define, by GUID: role definitions in any shape `--roles`
/// reads, as one object, an array or an ARM list.
fn defined_roles(documents: &[Value]) -> HashMap<Uuid, RoleDefinition> {
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

/// The role a condition from a JSON file is checked against: the role definition it is a block
/// of, or the role its assignment assigns (defined in the files given, or built in). A role
/// azabac cannot tell is a note, never an error.
fn role_of<'r>(
    input: &Input,
    documents: &HashMap<&str, Value>,
    defined: &'r HashMap<Uuid, RoleDefinition>,
    blocks: &'r mut Vec<RoleDefinition>,
) -> Result<Option<&'r RoleDefinition>, Diagnostic> {
    let Some(origin) = &input.origin else {
        return Ok(None);
    };
    if let Some(facts) = &origin.place.facts {
        // The host's reader read the role with the resource.
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

pub fn run(args: &CheckArgs) -> Status {
    let (catalog, role) = match setup(args) {
        Ok(setup) => setup,
        Err(message) => {
            eprintln!("error: {message}");
            return Status::UsageOrIo;
        }
    };
    let config = match args.config.load().and_then(|mut config| {
        config.extend(&args.deny, &args.allow)?;
        Ok(config)
    }) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("error: {message}");
            return Status::UsageOrIo;
        }
    };
    let (inputs, documents) = match args.inputs.read_with_documents() {
        Ok(read) => read,
        Err(error) => {
            eprintln!("error: {}", error.0);
            return Status::UsageOrIo;
        }
    };
    let mut config = config;
    if let Err(message) = config.add_comments(&inputs) {
        eprintln!("error: {message}");
        return Status::UsageOrIo;
    }
    // Without `--role`, each condition from a JSON file is checked against its own role.
    let parsed: HashMap<&str, Value> = documents
        .iter()
        .filter_map(|d| Some((d.file.as_str(), serde_json::from_str(&d.text).ok()?)))
        .collect();
    let defined = defined_roles(&parsed.values().cloned().collect::<Vec<_>>());
    if inputs.is_empty() && !args.allow_empty {
        eprintln!(
            "error: no condition found in what was given (`.cond` files, conditions in JSON \
             exports, ARM templates and plans, Terraform and Bicep files); pass --allow-empty \
             if that is expected"
        );
        return Status::UsageOrIo;
    }
    let results: Vec<Checked> = inputs
        .into_iter()
        .map(|input| {
            let mut blocks = Vec::new();
            let own = match &role {
                Some(role) => Ok(Some(role)),
                None => role_of(&input, &parsed, &defined, &mut blocks),
            };
            let version = version_error(&input, &parsed);
            check(&catalog, own, version, &config, input)
        })
        .collect();
    match args.format {
        CheckFormat::Human => print_human(&results, args),
        CheckFormat::Summary => print_summary(&results, args),
        CheckFormat::Json => outln!("{}", json_report(&results, args.deny_warnings)),
        CheckFormat::Github => print_github(&results),
        CheckFormat::Sarif => outln!("{}", sarif_report(&results)),
    }
    // The other reports of the same run, into files.
    if let Some(path) = &args.json
        && let Err(status) = super::write_report(path, &json_report(&results, args.deny_warnings))
    {
        return status;
    }
    if let Some(path) = &args.sarif
        && let Err(status) = super::write_report(path, &sarif_report(&results))
    {
        return status;
    }
    let unused = config.unused();
    for warning in &unused {
        eprintln!("warning: {warning}");
    }
    if !results.is_empty()
        && results.iter().all(|r| !r.unresolved().is_empty())
        && !args.allow_empty
    {
        let n = results.len();
        eprintln!(
            "error: {n} condition{} found, none checkable offline: each depends on values only \
             a deployment knows; pass --allow-empty if that is expected",
            if n == 1 { "" } else { "s" }
        );
        return Status::UsageOrIo;
    }
    let all_valid = results.iter().all(|r| r.valid(args.deny_warnings));
    // Under `--deny-warnings`, a stale suppression fails the run as any warning does.
    let stale_denied = args.deny_warnings && !unused.is_empty();
    if all_valid && !stale_denied {
        Status::Success
    } else {
        Status::Failure
    }
}

/// What became of one condition, for the report's lines.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Valid,
    Invalid,
    NotCheckable,
}

/// Counts of conditions and findings, for the summary lines.
#[derive(Default)]
struct Tally {
    conditions: usize,
    valid: usize,
    invalid: usize,
    unchecked: usize,
    errors: usize,
    warnings: usize,
}

impl Tally {
    /// Counts `result` and says what became of it.
    fn add(&mut self, result: &Checked, deny_warnings: bool) -> Verdict {
        let (e, w) = (
            result.count(Severity::Error),
            result.count(Severity::Warning),
        );
        self.conditions += 1;
        self.errors += e;
        self.warnings += w;
        let verdict = if !result.unresolved().is_empty() && e == 0 {
            Verdict::NotCheckable
        } else if result.valid(deny_warnings) {
            Verdict::Valid
        } else {
            Verdict::Invalid
        };
        match verdict {
            Verdict::Valid => self.valid += 1,
            Verdict::Invalid => self.invalid += 1,
            Verdict::NotCheckable => self.unchecked += 1,
        }
        verdict
    }

    /// `V valid, I invalid[, U not checkable offline][ (E errors, W warnings)]`.
    fn counts(&self) -> String {
        let unchecked = match self.unchecked {
            0 => String::new(),
            n => format!(", {n} not checkable offline"),
        };
        format!(
            "{} valid, {} invalid{unchecked}{}",
            self.valid,
            self.invalid,
            counts(self.errors, self.warnings)
        )
    }

    /// The last line of a report.
    fn total_line(&self) -> String {
        format!("checked {} conditions: {}", self.conditions, self.counts())
    }
}

/// The summary: per argument given, its counts and each invalid condition's first error, then
/// the total line of the human report.
fn print_summary(results: &[Checked], args: &CheckArgs) {
    // Each input under the first argument whose path it is below; conditions given inline
    // under `<arguments>`.
    let given: Vec<String> = args
        .inputs
        .conditions
        .iter()
        .filter(|c| std::path::Path::new(c.as_str()).exists())
        .cloned()
        .chain(args.inputs.files.iter().map(|f| f.display().to_string()))
        .collect();
    let group_of = |result: &Checked| -> String {
        let file = match (&result.input.origin, &result.input.path) {
            (Some(origin), _) => std::path::PathBuf::from(&origin.file),
            (None, Some(path)) => path.clone(),
            (None, None) => return "<arguments>".to_owned(),
        };
        given
            .iter()
            .find(|g| file.starts_with(g.as_str()))
            .cloned()
            .unwrap_or_else(|| file.display().to_string())
    };
    let mut groups: Vec<(String, Vec<&Checked>)> = Vec::new();
    for result in results {
        let group = group_of(result);
        match groups.iter_mut().find(|(g, _)| *g == group) {
            Some((_, members)) => members.push(result),
            None => groups.push((group, vec![result])),
        }
    }
    let mut total = Tally::default();
    for (group, members) in &groups {
        let mut tally = Tally::default();
        let mut invalid = Vec::new();
        for result in members {
            total.add(result, args.deny_warnings);
            if tally.add(result, args.deny_warnings) == Verdict::Invalid {
                invalid.push(*result);
            }
        }
        let plural = if members.len() == 1 { "" } else { "s" };
        outln!(
            "{group}: {} condition{plural}, {}",
            members.len(),
            tally.counts()
        );
        for result in invalid {
            outln!("  {}", first_error(result));
        }
    }
    outln!("{}", total.total_line());
}

/// `FILE:LINE:COL[ (RESOURCE)]: CODE message` of a condition's first error (or finding).
fn first_error(result: &Checked) -> String {
    let located = result.located();
    let first = located
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error)
        .or_else(|| located.diagnostics.first());
    let Some(d) = first else {
        return result.input.name.clone();
    };
    let (line, column) = azabac::span::line_column(located.source, d.span.start());
    let resource = result
        .input
        .origin
        .as_ref()
        .map_or_else(String::new, |o| format!(" ({})", o.place.resource));
    format!(
        "{}:{line}:{column}{resource}: {} {}",
        located.name, d.code, d.message
    )
}

fn print_human(results: &[Checked], args: &CheckArgs) {
    let options = HumanOptions {
        color: args.color.enabled(),
    };
    let mut tally = Tally::default();
    for result in results {
        let located = result.located();
        let report = render::human(&located.diagnostics, located.name, located.source, options);
        out!("{report}");
        let verdict = tally.add(result, args.deny_warnings);
        let (e, w) = (
            result.count(Severity::Error),
            result.count(Severity::Warning),
        );
        match verdict {
            Verdict::NotCheckable => outln!("{}: not checkable offline", result.input.name),
            Verdict::Valid => outln!("{}: valid{}", result.input.name, counts(e, w)),
            Verdict::Invalid => outln!("{}: invalid{}", result.input.name, counts(e, w)),
        }
    }
    if results.len() > 1 {
        outln!("{}", tally.total_line());
    }
}

fn counts(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    match (errors, warnings) {
        (0, 0) => String::new(),
        (e, 0) => format!(" ({})", plural(e, "error")),
        (0, w) => format!(" ({})", plural(w, "warning")),
        (e, w) => format!(" ({}, {})", plural(e, "error"), plural(w, "warning")),
    }
}

fn json_report(results: &[Checked], deny_warnings: bool) -> String {
    let objects: Vec<Value> = results
        .iter()
        .map(|result| {
            let located = result.located();
            // Not checkable: `null`, unless something certain is already wrong.
            let valid = match result.unresolved() {
                [] => json!(result.valid(deny_warnings)),
                _ if result.count(Severity::Error) > 0 => json!(false),
                _ => Value::Null,
            };
            let mut object = json!({
                "input": result.input.name,
                "valid": valid,
                "diagnostics": render::json_diagnostics(&located.diagnostics, located.source),
            });
            // A condition from a host file: which file, host, resource and line; offsets,
            // lines and columns are the file's. Not checkable: what it depends on.
            if let (Some(origin), Value::Object(fields)) = (&result.input.origin, &mut object) {
                let place = &origin.place;
                fields.insert("file".into(), json!(origin.file));
                fields.insert("host".into(), json!(place.host.as_str()));
                fields.insert("resource".into(), json!(place.resource));
                fields.insert("line".into(), json!(place.line));
                if place.host == Host::Json || place.host == Host::Arm {
                    fields.insert("jsonPath".into(), json!(origin.embedded.path));
                }
                if !place.unresolved.is_empty() {
                    fields.insert("unresolved".into(), json!(place.unresolved));
                }
                if !place.assumed.is_empty() {
                    fields.insert("assumed".into(), json!(place.assumed));
                }
            }
            object
        })
        .collect();
    super::json_per_input(objects)
}

/// One workflow command per diagnostic. Inputs without a file (arguments, standard input)
/// are annotated without one, which GitHub shows on the run.
fn print_github(results: &[Checked]) {
    for result in results {
        for placed in result.placed() {
            let Placed {
                diagnostic,
                file,
                region: (line, column, end_line, end_column),
            } = placed;
            // GitHub's three annotation levels are `error`, `warning` and `notice`.
            let level = match diagnostic.severity {
                Severity::Note => "notice",
                other => other.as_str(),
            };
            let mut properties = Vec::new();
            if let Some(file) = &file {
                properties.push(format!("file={}", super::github::property(file)));
            }
            properties.push(format!("line={line}"));
            properties.push(format!("col={column}"));
            properties.push(format!("endLine={end_line}"));
            properties.push(format!("endColumn={end_column}"));
            properties.push(format!(
                "title={}",
                super::github::property(&format!(
                    "{} {}",
                    diagnostic.code.as_str(),
                    result.input.name
                ))
            ));
            let message = match &diagnostic.help {
                Some(help) => format!("{}\n{help}", diagnostic.message),
                None => diagnostic.message.clone(),
            };
            outln!(
                "::{level} {}::{}",
                properties.join(","),
                super::github::data(&message)
            );
        }
    }
}

/// One SARIF log for every input; rules are the codes that occur.
fn sarif_report(results: &[Checked]) -> String {
    let mut codes = Vec::new();
    let mut findings = Vec::new();
    for result in results {
        for placed in result.placed() {
            let Placed {
                diagnostic,
                file,
                region: (line, column, end_line, end_column),
            } = placed;
            if !codes.contains(&diagnostic.code) {
                codes.push(diagnostic.code);
            }
            let mut message = format!("{}: {}", result.input.name, diagnostic.message);
            if let Some(help) = &diagnostic.help {
                message.push_str(&format!(" ({help})"));
            }
            findings.push(super::sarif::Finding {
                rule: diagnostic.code.as_str().to_owned(),
                level: diagnostic.severity.as_str(),
                message,
                location: file.clone().map(|file| super::sarif::Location {
                    file,
                    region: Some((line, column, end_line, end_column)),
                }),
            });
        }
    }
    codes.sort_by_key(|c| c.as_str());
    let rules: Vec<(String, String)> = codes
        .iter()
        .map(|c| (c.as_str().to_owned(), c.title().to_owned()))
        .collect();
    let log = super::sarif::log(&rules, &findings);
    serde_json::to_string_pretty(&log).unwrap_or_default()
}
