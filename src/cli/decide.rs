//! `azabac decide`, `can-assign`, `can-delete` and `assignable-roles`: RBAC decisions over a
//! world read from `az`/ARM JSON files.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use rayon::prelude::*;
use serde_json::{Value, json};

use azabac::catalog::Catalog;
use azabac::eval::Ticks;
use azabac::rbac::{AccessRequest, Decision, InputError, PrincipalNames, World};
use azabac::report::json as report;

use super::Status;
use super::output::outln;

/// Output formats of the decision commands.
#[derive(Clone, Copy, Debug, Default, ValueEnum)]
pub enum DecideFormat {
    /// The decision and its reason, then each candidate assignment.
    #[default]
    Human,
    /// `{"decision", "reason", "assignments": [...]}`.
    Json,
}

/// The world: roles, assignments, deny assignments, hierarchy.
#[derive(Args, Debug)]
pub struct WorldArgs {
    /// Role assignments: `az role assignment list`, PowerShell, ARM REST, Resource Graph or PIM
    /// JSON (repeatable; docs/tenant.md lists every shape).
    #[arg(long, value_name = "A.json")]
    assignments: Vec<PathBuf>,
    /// Custom role definitions: `az role definition list`, ARM REST or PowerShell JSON
    /// (repeatable).
    #[arg(long, value_name = "R.json")]
    roles: Vec<PathBuf>,
    /// Where `--roles` redefines a built-in role, use the export's definition instead of
    /// azabac's (for an export newer than azabac's data).
    #[arg(long)]
    prefer_exported_roles: bool,
    /// Deny assignments, ARM JSON (repeatable).
    #[arg(long, value_name = "D.json")]
    deny_assignments: Vec<PathBuf>,
    /// The management-group and service-group hierarchy: `az account management-group show
    /// --expand --recurse`, `az service-group show`, or `{"parents": {…}}`.
    #[arg(long, value_name = "H.json")]
    hierarchy: Option<PathBuf>,
    /// Principals by name: a Microsoft Graph export of users, groups or service principals,
    /// or a map `{"<object id>": {"displayName", "userPrincipalName", "type"}}` (repeatable);
    /// principal fields and `--as`/`--to`/`--groups` then accept a display name or UPN.
    #[arg(long, value_name = "P.json")]
    principals: Vec<PathBuf>,
    /// Extend the attribute catalogue with this JSON file (repeatable).
    #[arg(long, value_name = "FILE")]
    catalog: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub(super) format: DecideFormat,
    /// Show the trace of every condition evaluated.
    #[arg(long)]
    pub(super) trace: bool,
    /// Decide at this instant (RFC 3339, any offset): `@Environment[UtcNow]` of every condition;
    /// default: the system clock, read once.
    #[arg(long, value_name = "TIMESTAMP")]
    now: Option<String>,
}

/// Arguments of `azabac decide`.
#[derive(Args, Debug)]
pub struct DecideArgs {
    /// The request, as JSON (`-` reads standard input).
    #[arg(
        long,
        value_name = "REQ.json",
        required_unless_present = "requests",
        conflicts_with = "requests"
    )]
    request: Option<PathBuf>,
    /// A stream of requests, one JSON object per line; one JSON decision per line out.
    #[arg(long, value_name = "REQS.jsonl")]
    requests: Option<PathBuf>,
    #[command(flatten)]
    world: WorldArgs,
}

pub(super) fn usage(message: &str) -> Status {
    eprintln!("error: {message}");
    Status::UsageOrIo
}

/// An input file's problem: printed with the file, exit 1.
fn invalid(file: &Path, error: &InputError, format: DecideFormat) -> Status {
    match format {
        DecideFormat::Human => eprintln!("error: `{}` {error}", file.display()),
        DecideFormat::Json => outln!(
            "{}",
            json!({"decision": "deny", "errors": [report::input_error(file, error)]})
        ),
    }
    Status::Failure
}

enum Load {
    Io(String),
    Invalid(PathBuf, InputError),
}

fn read_json(path: &Path) -> Result<Value, Load> {
    let text = super::read_file_or_stdin(path).map_err(Load::Io)?;
    azabac::rbac::read_json(&text).map_err(|error| Load::Invalid(path.to_owned(), error))
}

/// A world read from its files, with the warnings its files gave (as JSON views), and the
/// instant its decisions are made at (`--now`, or the system clock read once).
pub(super) struct Loaded {
    pub(super) world: World,
    pub(super) catalog: Catalog,
    pub(super) warnings: Vec<Value>,
    pub(super) now: Ticks,
    /// The principals files' names.
    pub(super) principals: PrincipalNames,
}

pub(super) fn load_world(args: &WorldArgs) -> Result<Loaded, Status> {
    let fail = |load: Load| match load {
        Load::Io(message) => usage(&message),
        Load::Invalid(file, error) => invalid(&file, &error, args.format),
    };
    let catalog = super::check::load_catalog(&args.catalog).map_err(|m| usage(&m))?;
    let mut principals = PrincipalNames::new("");
    for path in &args.principals {
        let value = read_json(path).map_err(fail)?;
        principals
            .read_directory(&value)
            .map_err(|e| fail(Load::Invalid(path.clone(), e)))?;
    }
    let mut builder = World::builder()
        .prefer_exported_roles(args.prefer_exported_roles)
        .principal_names(principals.clone());
    let mut warnings = Vec::new();
    for path in &args.roles {
        let value = read_json(path).map_err(fail)?;
        let before = builder.warnings().len();
        builder = builder
            .file(path.display().to_string())
            .roles(&value)
            .map_err(|e| fail(Load::Invalid(path.clone(), e)))?;
        // Said on standard error in every format, and in every JSON decision's `warnings`.
        for warning in builder.warnings().get(before..).unwrap_or_default() {
            eprintln!("warning: `{}` {warning}", path.display());
            warnings.push(report::role_warning(path, warning));
        }
    }
    for path in &args.assignments {
        // Read from the text, with no JSON value built: exports hold 100,000 assignments.
        let text = super::read_file_or_stdin(path).map_err(|e| fail(Load::Io(e)))?;
        builder = builder
            .file(path.display().to_string())
            .assignments_text(&text)
            .map_err(|e| fail(Load::Invalid(path.clone(), e)))?;
    }
    for path in &args.deny_assignments {
        let value = read_json(path).map_err(fail)?;
        builder = builder
            .file(path.display().to_string())
            .deny_assignments(&value)
            .map_err(|e| fail(Load::Invalid(path.clone(), e)))?;
    }
    if let Some(path) = &args.hierarchy {
        let value = read_json(path).map_err(fail)?;
        builder = builder
            .hierarchy(&value)
            .map_err(|e| fail(Load::Invalid(path.clone(), e)))?;
    }
    let world = builder.build(&catalog).map_err(|e| {
        // Conditions and role references span files; name the assignment or role instead.
        fail(Load::Invalid(PathBuf::from("<world>"), e))
    })?;
    for deny in world.unplaced_denies() {
        eprintln!("warning: {}", report::unplaced_deny_message(deny));
        warnings.push(report::unplaced_deny_warning(deny));
    }
    let now = super::clock(args.now.as_deref())?;
    Ok(Loaded {
        world,
        catalog,
        warnings,
        now,
        principals,
    })
}

pub(super) fn print_decision(decision: &Decision, args: &WorldArgs, warnings: &[Value]) -> Status {
    print_decision_only(decision, args, warnings);
    if decision.is_input_error() {
        Status::Failure
    } else {
        Status::Success
    }
}

/// A decision's JSON view with the world's `warnings` and the decision's own.
fn decision_json(decision: &Decision, trace: bool, warnings: &[Value]) -> Value {
    let mut view = report::decision(decision, trace);
    if let Value::Object(object) = &mut view {
        let mut all = warnings.to_vec();
        all.extend(decision.warnings.iter().map(report::decision_warning));
        object.insert("warnings".into(), Value::Array(all));
    }
    view
}

fn print_decision_only(decision: &Decision, args: &WorldArgs, warnings: &[Value]) {
    match args.format {
        DecideFormat::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&decision_json(decision, args.trace, warnings))
                .unwrap_or_default()
        ),
        DecideFormat::Human => {
            let verdict = if decision.allowed() { "allow" } else { "deny" };
            outln!("{verdict}: {}", decision.reason);
            for warning in &decision.warnings {
                outln!("  warning: {warning}");
            }
            for c in &decision.candidates {
                let via = c
                    .via_group
                    .map(|g| format!(" (through group {g})"))
                    .unwrap_or_default();
                outln!(
                    "  {} at {}{via}: {} [{}]",
                    c.role.role_name,
                    c.assignment.scope,
                    c.result.as_str(),
                    c.assignment.id
                );
                for (label, result) in [
                    ("role condition", &c.role_condition),
                    ("condition", &c.condition),
                ] {
                    let Some(result) = result else { continue };
                    let error = result
                        .error
                        .as_ref()
                        .map(|e| format!(" ({e})"))
                        .unwrap_or_default();
                    outln!("    {label}: {}{error}", result.result);
                    if let Some(trace) = result.trace.as_ref().filter(|_| args.trace) {
                        for line in trace.render().lines() {
                            outln!("      {line}");
                        }
                    }
                }
            }
        }
    }
}

pub fn run_decide(args: &DecideArgs) -> Status {
    let Loaded {
        world,
        catalog,
        warnings,
        now,
        principals,
    } = match load_world(&args.world) {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    if let Some(path) = &args.requests {
        return stream(
            &world,
            &catalog,
            &principals,
            path,
            now,
            args.world.trace,
            &warnings,
        );
    }
    let Some(path) = &args.request else {
        return usage("give --request or --requests");
    };
    let value = match read_json(path) {
        Ok(value) => value,
        Err(Load::Io(message)) => return usage(&message),
        Err(Load::Invalid(file, error)) => return invalid(&file, &error, args.world.format),
    };
    let access = match AccessRequest::from_value_named(&value, &catalog, &principals) {
        Ok(access) => access,
        Err(error) => return invalid(path, &error, args.world.format),
    };
    // A request Azure never makes: said on standard error, whatever the format.
    for unsent in azabac::eval::unsent_attributes(&value, &catalog) {
        eprintln!(
            "warning: request `{}` at {}: {}",
            path.display(),
            unsent.path,
            unsent.message
        );
    }
    print_decision(
        &world.decide(&access, now, args.world.trace),
        &args.world,
        &warnings,
    )
}

/// Decides a stream of requests on every core, printing one JSON line per input line, in
/// order. A line that cannot be read gets `{"decision": "deny", "errors": [...]}` and makes
/// the exit status 1.
#[allow(clippy::too_many_arguments, reason = "the pieces of a loaded world")]
fn stream(
    world: &World,
    catalog: &Catalog,
    principals: &PrincipalNames,
    path: &Path,
    now: Ticks,
    trace: bool,
    warnings: &[Value],
) -> Status {
    let lines: Vec<String> = if path.as_os_str() == "-" {
        let mut lines: Vec<String> = std::io::stdin()
            .lock()
            .lines()
            .map_while(Result::ok)
            .collect();
        // A byte-order mark before the first line (PowerShell's pipes write one).
        if let Some(first) = lines.first_mut()
            && let Some(rest) = first.strip_prefix('\u{feff}')
        {
            *first = rest.to_owned();
        }
        lines
    } else {
        match azabac::text::read_to_string(path) {
            Ok(text) => text.lines().map(str::to_owned).collect(),
            Err(e) => return usage(&format!("cannot read `{}`: {e}", path.display())),
        }
    };
    let decide_line = |line: &str| -> (Value, bool) {
        let value: Value = match azabac::rbac::read_json(line) {
            Ok(value) => value,
            Err(error) => {
                return (
                    json!({"decision": "deny", "errors": [report::input_error(path, &error)]}),
                    false,
                );
            }
        };
        match AccessRequest::from_value_named(&value, catalog, principals) {
            Ok(access) => {
                let decision = world.decide(&access, now, trace);
                (
                    decision_json(&decision, trace, warnings),
                    !decision.is_input_error(),
                )
            }
            Err(error) => (
                json!({"decision": "deny", "errors": [report::input_error(path, &error)]}),
                false,
            ),
        }
    };
    let work: Vec<(usize, &str)> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i, l.as_str()))
        .collect();
    // Lines are decided on every core (rayon), and printed in input order. A worker that
    // fails (a bug) makes every line a deny.
    let results: Vec<(Value, bool)> =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            work.par_iter().map(|(_, line)| decide_line(line)).collect()
        }))
        .unwrap_or_else(|_| {
            let failed = json!({"decision": "deny", "errors": [{"kind": "internal", "message": "a worker failed"}]});
            vec![(failed, false); work.len()]
        });
    let mut ok = true;
    for ((line, _), (value, fine)) in work.iter().zip(results) {
        let mut value = value;
        if let Value::Object(object) = &mut value {
            object.insert("line".into(), json!(line + 1));
        }
        outln!("{value}");
        ok &= fine;
    }
    if ok { Status::Success } else { Status::Failure }
}
