//! `azabac decide`, `can-assign`, `can-delete` and `assignable-roles`: RBAC decisions over a
//! world read from `az`/ARM JSON files.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use rayon::prelude::*;
use serde_json::{Value, json};
use uuid::Uuid;

use azabac::catalog::Catalog;
use azabac::catalog::RoleDefinition;
use azabac::eval::Request;
use azabac::eval::Ticks;
use azabac::rbac::{
    AccessRequest, Decision, InputError, PrincipalType, Scope, World, assignment_write_request,
};
use azabac::report::json as report;
use azabac::syntax::AttributeSource;

use super::Status;
use super::output::outln;

const DELETE: &str = "Microsoft.Authorization/roleAssignments/delete";
const ROLE_DEFINITION_ID: &str = "Microsoft.Authorization/roleAssignments:RoleDefinitionId";
const PRINCIPAL_ID: &str = "Microsoft.Authorization/roleAssignments:PrincipalId";
const PRINCIPAL_TYPE: &str = "Microsoft.Authorization/roleAssignments:PrincipalType";

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
    /// Role assignments (`az role assignment list` or ARM JSON; repeatable).
    #[arg(long, value_name = "A.json")]
    assignments: Vec<PathBuf>,
    /// Custom role definitions (`az role definition list` or ARM JSON; repeatable).
    #[arg(long, value_name = "R.json")]
    roles: Vec<PathBuf>,
    /// Where `--roles` redefines a built-in role, use the export's definition instead of
    /// azabac's (for an export newer than azabac's data).
    #[arg(long)]
    prefer_exported_roles: bool,
    /// Deny assignments (ARM JSON; repeatable).
    #[arg(long, value_name = "D.json")]
    deny_assignments: Vec<PathBuf>,
    /// The management-group hierarchy.
    #[arg(long, value_name = "H.json")]
    hierarchy: Option<PathBuf>,
    /// Extend the attribute catalogue with this JSON file (repeatable).
    #[arg(long, value_name = "FILE")]
    catalog: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: DecideFormat,
    /// Show the trace of every condition evaluated.
    #[arg(long)]
    trace: bool,
    /// Decide at this instant (RFC 3339 in UTC): `@Environment[UtcNow]` of every condition;
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

/// Arguments of `azabac can-assign`.
#[derive(Args, Debug)]
pub struct CanAssignArgs {
    /// The delegate who would create the assignment (object id).
    #[arg(long = "as", value_name = "PRINCIPAL")]
    caller: Uuid,
    /// The delegate's groups (object ids, comma-separated or repeated).
    #[arg(long, value_name = "GROUP", value_delimiter = ',')]
    groups: Vec<Uuid>,
    /// The role to assign, by name or GUID.
    #[arg(long, value_name = "ROLE")]
    role: String,
    /// The principal who would receive the role (object id).
    #[arg(long, value_name = "PRINCIPAL_ID")]
    to: Uuid,
    /// That principal's type: User, Group, ServicePrincipal, ForeignGroup or Device.
    #[arg(long, value_name = "TYPE")]
    principal_type: Option<String>,
    /// Where the assignment would be created.
    #[arg(long, value_name = "SCOPE")]
    scope: String,
    #[command(flatten)]
    world: WorldArgs,
}

/// Arguments of `azabac can-delete`.
#[derive(Args, Debug)]
pub struct CanDeleteArgs {
    /// The delegate who would delete the assignment (object id).
    #[arg(long = "as", value_name = "PRINCIPAL")]
    caller: Uuid,
    /// The delegate's groups.
    #[arg(long, value_name = "GROUP", value_delimiter = ',')]
    groups: Vec<Uuid>,
    /// The assignment to delete, by id or name, among `--assignments`.
    #[arg(long, value_name = "ID")]
    assignment: String,
    #[command(flatten)]
    world: WorldArgs,
}

/// Arguments of `azabac assignable-roles`.
#[derive(Args, Debug)]
pub struct AssignableArgs {
    /// The delegate (object id).
    #[arg(long = "as", value_name = "PRINCIPAL")]
    caller: Uuid,
    /// The delegate's groups.
    #[arg(long, value_name = "GROUP", value_delimiter = ',')]
    groups: Vec<Uuid>,
    /// Where the assignments would be created.
    #[arg(long, value_name = "SCOPE")]
    scope: String,
    /// The principal who would receive each role; without it, conditions that read the
    /// principal see it absent.
    #[arg(long, value_name = "PRINCIPAL_ID")]
    to: Option<Uuid>,
    /// That principal's type.
    #[arg(long, value_name = "TYPE")]
    principal_type: Option<String>,
    #[command(flatten)]
    world: WorldArgs,
}

fn usage(message: &str) -> Status {
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
struct Loaded {
    world: World,
    catalog: Catalog,
    warnings: Vec<Value>,
    now: Ticks,
}

fn load_world(args: &WorldArgs) -> Result<Loaded, Status> {
    let fail = |load: Load| match load {
        Load::Io(message) => usage(&message),
        Load::Invalid(file, error) => invalid(&file, &error, args.format),
    };
    let catalog = super::check::load_catalog(&args.catalog).map_err(|m| usage(&m))?;
    let mut builder = World::builder().prefer_exported_roles(args.prefer_exported_roles);
    let mut warnings = Vec::new();
    for path in &args.roles {
        let value = read_json(path).map_err(fail)?;
        let before = builder.warnings().len();
        builder = builder
            .roles(&value)
            .map_err(|e| fail(Load::Invalid(path.clone(), e)))?;
        // Said on standard error in every format, and in every JSON decision's `warnings`.
        for warning in builder.warnings().get(before..).unwrap_or_default() {
            eprintln!("warning: `{}` {warning}", path.display());
            warnings.push(report::role_warning(path, warning));
        }
    }
    for path in &args.assignments {
        let value = read_json(path).map_err(fail)?;
        builder = builder
            .assignments(&value)
            .map_err(|e| fail(Load::Invalid(path.clone(), e)))?;
    }
    for path in &args.deny_assignments {
        let value = read_json(path).map_err(fail)?;
        builder = builder
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
    })
}

fn print_decision(decision: &Decision, args: &WorldArgs, warnings: &[Value]) -> Status {
    print_decision_only(decision, args, warnings);
    if decision.is_input_error() {
        Status::Failure
    } else {
        Status::Success
    }
}

/// A decision's JSON view with the world's `warnings`.
fn decision_json(decision: &Decision, trace: bool, warnings: &[Value]) -> Value {
    let mut view = report::decision(decision, trace);
    if let Value::Object(object) = &mut view {
        object.insert("warnings".into(), Value::Array(warnings.to_vec()));
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
    } = match load_world(&args.world) {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    if let Some(path) = &args.requests {
        return stream(&world, &catalog, path, now, args.world.trace, &warnings);
    }
    let Some(path) = &args.request else {
        return usage("give --request or --requests");
    };
    let value = match read_json(path) {
        Ok(value) => value,
        Err(Load::Io(message)) => return usage(&message),
        Err(Load::Invalid(file, error)) => return invalid(&file, &error, args.world.format),
    };
    let access = match AccessRequest::from_value(&value, &catalog) {
        Ok(access) => access,
        Err(error) => return invalid(path, &error, args.world.format),
    };
    print_decision(
        &world.decide(&access, now, args.world.trace),
        &args.world,
        &warnings,
    )
}

/// Decides a stream of requests on every core, printing one JSON line per input line, in
/// order. A line that cannot be read gets `{"decision": "deny", "errors": [...]}` and makes
/// the exit status 1.
fn stream(
    world: &World,
    catalog: &Catalog,
    path: &Path,
    now: Ticks,
    trace: bool,
    warnings: &[Value],
) -> Status {
    let lines: Vec<String> = if path.as_os_str() == "-" {
        std::io::stdin()
            .lock()
            .lines()
            .map_while(Result::ok)
            .collect()
    } else {
        match std::fs::read_to_string(path) {
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
        match AccessRequest::from_value(&value, catalog) {
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

/// The principal type and scope given on the command line.
fn target(kind: Option<&str>, scope: &str) -> Result<(Option<PrincipalType>, Scope), Status> {
    let kind = kind
        .map(PrincipalType::parse)
        .transpose()
        .map_err(|e| usage(&e.to_string()))?;
    Ok((
        kind,
        Scope::parse(scope).map_err(|e| usage(&e.to_string()))?,
    ))
}

/// The world, and the principal type and scope of an assignment to make in it.
fn world_and_target(
    world: &WorldArgs,
    kind: Option<&str>,
    scope: &str,
) -> Result<(Loaded, Option<PrincipalType>, Scope), Status> {
    let loaded = load_world(world)?;
    let (kind, scope) = target(kind, scope)?;
    Ok((loaded, kind, scope))
}

pub fn run_can_assign(args: &CanAssignArgs) -> Status {
    let (
        Loaded {
            world,
            warnings,
            now,
            ..
        },
        kind,
        scope,
    ) = match world_and_target(&args.world, args.principal_type.as_deref(), &args.scope) {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    let Some(role) = world.find_role(&args.role) else {
        return usage(&format!(
            "no built-in or given role is named `{}`",
            args.role
        ));
    };
    let access = AccessRequest {
        principal_id: args.caller,
        principal_type: None,
        group_ids: args.groups.clone(),
        scope,
        request: assignment_write_request(role.id, Some(args.to), kind),
    };
    print_decision(
        &world.decide_assignment(&access, role, now, args.world.trace),
        &args.world,
        &warnings,
    )
}

pub fn run_can_delete(args: &CanDeleteArgs) -> Status {
    let Loaded {
        world,
        warnings,
        now,
        ..
    } = match load_world(&args.world) {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    let matches: Vec<_> = world.find_assignments(&args.assignment).collect();
    let target = match matches.as_slice() {
        [one] => *one,
        [] => {
            return usage(&format!(
                "no assignment `{}` in --assignments",
                args.assignment
            ));
        }
        several => {
            let ids: Vec<&str> = several.iter().map(|a| a.id.as_str()).collect();
            return usage(&format!(
                "`{}` names {} assignments; give the full id of one: {}",
                args.assignment,
                several.len(),
                ids.join(", ")
            ));
        }
    };
    let mut request = Request::new(DELETE)
        .with(
            AttributeSource::Resource,
            ROLE_DEFINITION_ID,
            azabac::eval::Value::Guid(target.role_definition_id.as_u128()),
        )
        .with(
            AttributeSource::Resource,
            PRINCIPAL_ID,
            azabac::eval::Value::Guid(target.principal_id.as_u128()),
        );
    if let Some(kind) = target.principal_type {
        request = request.with(
            AttributeSource::Resource,
            PRINCIPAL_TYPE,
            azabac::eval::Value::string(kind.as_str()),
        );
    }
    let access = AccessRequest {
        principal_id: args.caller,
        principal_type: None,
        group_ids: args.groups.clone(),
        scope: target.scope.clone(),
        request,
    };
    print_decision(
        &world.decide(&access, now, args.world.trace),
        &args.world,
        &warnings,
    )
}

pub fn run_assignable(args: &AssignableArgs) -> Status {
    let (Loaded { world, now, .. }, kind, scope) =
        match world_and_target(&args.world, args.principal_type.as_deref(), &args.scope) {
            Ok(loaded) => loaded,
            Err(status) => return status,
        };
    let mut allowed: Vec<&RoleDefinition> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    // Custom roles last in the catalogue but first to win: walk backwards, keep one per id.
    let roles: Vec<&RoleDefinition> = world.roles().collect();
    for role in roles.iter().rev() {
        if role.id.is_some_and(|id| !seen.insert(id)) {
            continue;
        }
        let access = AccessRequest {
            principal_id: args.caller,
            principal_type: None,
            group_ids: args.groups.clone(),
            scope: scope.clone(),
            request: assignment_write_request(role.id, args.to, kind),
        };
        if world.decide_assignment(&access, role, now, false).allowed() {
            allowed.push(role);
        }
    }
    allowed.sort_by(|a, b| {
        a.role_name
            .to_ascii_lowercase()
            .cmp(&b.role_name.to_ascii_lowercase())
    });
    match args.world.format {
        DecideFormat::Human => {
            for role in &allowed {
                let id = role.id.map(|id| id.to_string()).unwrap_or_default();
                outln!("{id}  {}", role.role_name);
            }
            eprintln!(
                "{} of {} roles assignable at {scope}",
                allowed.len(),
                seen.len()
            );
        }
        DecideFormat::Json => {
            let roles: Vec<Value> = allowed
                .iter()
                .map(|r| json!({"name": r.role_name, "id": r.id.map(|id| id.to_string())}))
                .collect();
            outln!(
                "{}",
                serde_json::to_string_pretty(&json!({"scope": scope.as_str(), "roles": roles}))
                    .unwrap_or_default()
            );
        }
    }
    Status::Success
}
