//! `azabac can-assign`, `can-delete` and `assignable-roles`: delegation decisions, the
//! `roleAssignments/write` or `delete` request Azure makes, decided in a world read from files.

use clap::Args;
use serde_json::{Value, json};
use uuid::Uuid;

use azabac::catalog::RoleDefinition;
use azabac::eval::Request;
use azabac::rbac::{AccessRequest, PrincipalNames, PrincipalType, Scope, assignment_write_request};
use azabac::syntax::AttributeSource;

use super::Status;
use super::decide::{DecideFormat, Loaded, WorldArgs, load_world, print_decision, usage};
use super::output::outln;

const DELETE: &str = "Microsoft.Authorization/roleAssignments/delete";
const ROLE_DEFINITION_ID: &str = "Microsoft.Authorization/roleAssignments:RoleDefinitionId";
const PRINCIPAL_ID: &str = "Microsoft.Authorization/roleAssignments:PrincipalId";
const PRINCIPAL_TYPE: &str = "Microsoft.Authorization/roleAssignments:PrincipalType";

/// Arguments of `azabac can-assign`.
#[derive(Args, Debug)]
pub struct CanAssignArgs {
    /// The delegate who would create the assignment: object id, or a display name or UPN of
    /// `--principals`.
    #[arg(long = "as", value_name = "PRINCIPAL")]
    caller: String,
    /// The delegate's groups (object ids or names, comma-separated or repeated).
    #[arg(long, value_name = "GROUP", value_delimiter = ',')]
    groups: Vec<String>,
    /// The role to assign, by name or GUID.
    #[arg(long, value_name = "ROLE")]
    role: String,
    /// The principal who would receive the role: object id, or a display name or UPN of
    /// `--principals`.
    #[arg(long, value_name = "PRINCIPAL")]
    to: String,
    /// That principal's type: User, Group, ServicePrincipal, ForeignGroup or Device (default:
    /// the type `--principals` gives it, if any).
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
    /// The delegate who would delete the assignment: object id, or a name of `--principals`.
    #[arg(long = "as", value_name = "PRINCIPAL")]
    caller: String,
    /// The delegate's groups.
    #[arg(long, value_name = "GROUP", value_delimiter = ',')]
    groups: Vec<String>,
    /// The assignment to delete, by id or name, among `--assignments`.
    #[arg(long, value_name = "ID")]
    assignment: String,
    #[command(flatten)]
    world: WorldArgs,
}

/// Arguments of `azabac assignable-roles`.
#[derive(Args, Debug)]
pub struct AssignableArgs {
    /// The delegate: object id, or a name of `--principals`.
    #[arg(long = "as", value_name = "PRINCIPAL")]
    caller: String,
    /// The delegate's groups.
    #[arg(long, value_name = "GROUP", value_delimiter = ',')]
    groups: Vec<String>,
    /// Where the assignments would be created.
    #[arg(long, value_name = "SCOPE")]
    scope: String,
    /// The principal who would receive each role (object id or a name of `--principals`);
    /// without it, conditions that read the principal see it absent.
    #[arg(long, value_name = "PRINCIPAL")]
    to: Option<String>,
    /// That principal's type (default: the type `--principals` gives it, if any).
    #[arg(long, value_name = "TYPE")]
    principal_type: Option<String>,
    #[command(flatten)]
    world: WorldArgs,
}

/// Whether a condition of an assignment held by `caller` (or one of `groups`), or of its role,
/// reads `attribute`.
fn delegation_reads(
    world: &azabac::rbac::World,
    caller: Uuid,
    groups: &[Uuid],
    attribute: &str,
) -> bool {
    let attribute = attribute.to_ascii_lowercase();
    let reads = |text: &str| text.to_ascii_lowercase().contains(&attribute);
    world
        .assignments()
        .filter(|a| a.principal_id == caller || groups.contains(&a.principal_id))
        .any(|a| {
            a.condition.as_deref().is_some_and(reads)
                || world
                    .find_role(&a.role_definition_id.to_string())
                    .is_some_and(|role| {
                        role.permissions
                            .iter()
                            .filter_map(|p| p.condition.as_deref())
                            .any(reads)
                    })
        })
}

/// The caller and groups `--as` and `--groups` name, by id or by a name of `--principals`.
fn caller(
    principals: &PrincipalNames,
    caller: &str,
    groups: &[String],
) -> Result<(Uuid, Vec<Uuid>), Status> {
    let caller = principal(principals, caller, "--as")?;
    let groups = groups
        .iter()
        .map(|g| principal(principals, g, "--groups"))
        .collect::<Result<_, _>>()?;
    Ok((caller, groups))
}

/// A principal by object id, or by a display name or UPN of `--principals`.
fn principal(principals: &PrincipalNames, text: &str, flag: &str) -> Result<Uuid, Status> {
    principals.resolve(text, flag).map_err(|e| {
        let hint = if principals.is_empty() {
            " (give `--principals FILE` to name principals)"
        } else {
            ""
        };
        usage(&format!("{flag}: {}{hint}", e.problem))
    })
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
            principals,
            ..
        },
        kind,
        scope,
    ) = match world_and_target(&args.world, args.principal_type.as_deref(), &args.scope) {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    let Some(role) = world.find_role(&args.role) else {
        return usage(&world.unknown_role(&args.role));
    };
    let ((caller, groups), to) = match (
        caller(&principals, &args.caller, &args.groups),
        principal(&principals, &args.to, "--to"),
    ) {
        (Ok(caller), Ok(to)) => (caller, to),
        (Err(status), _) | (_, Err(status)) => return status,
    };
    let kind = kind.or_else(|| principals.principal_type(to));
    let access = AccessRequest {
        principal_id: caller,
        principal_type: None,
        group_ids: groups,
        scope,
        request: assignment_write_request(role.id, Some(to), kind),
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
        principals,
        ..
    } = match load_world(&args.world) {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    let (caller, groups) = match caller(&principals, &args.caller, &args.groups) {
        Ok(resolved) => resolved,
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
        principal_id: caller,
        principal_type: None,
        group_ids: groups,
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
    let (
        Loaded {
            world,
            now,
            principals,
            ..
        },
        kind,
        scope,
    ) = match world_and_target(&args.world, args.principal_type.as_deref(), &args.scope) {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    let (caller, groups) = match caller(&principals, &args.caller, &args.groups) {
        Ok(resolved) => resolved,
        Err(status) => return status,
    };
    let to = match args
        .to
        .as_deref()
        .map(|to| principal(&principals, to, "--to"))
    {
        Some(Ok(to)) => Some(to),
        Some(Err(status)) => return status,
        None => None,
    };
    let kind = kind.or_else(|| to.and_then(|to| principals.principal_type(to)));
    // A delegation condition that reads what was not given fails for every role: say so.
    for (given, attribute, flag) in [
        (
            kind.is_some(),
            PRINCIPAL_TYPE,
            "--principal-type User|Group|ServicePrincipal",
        ),
        (to.is_some(), PRINCIPAL_ID, "--to PRINCIPAL"),
    ] {
        if !given && delegation_reads(&world, caller, &groups, attribute) {
            eprintln!(
                "note: a delegation condition of this delegate reads `@Request[{attribute}]`, \
                 which is absent without `{flag}`: it is false for every role (as in Azure \
                 when a client leaves it out), so the roles it would allow are not listed; \
                 add `{flag}`"
            );
        }
    }
    let mut allowed: Vec<&RoleDefinition> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    // Custom roles last in the catalogue but first to win: walk backwards, keep one per id.
    let roles: Vec<&RoleDefinition> = world.roles().collect();
    for role in roles.iter().rev() {
        if role.id.is_some_and(|id| !seen.insert(id)) {
            continue;
        }
        let access = AccessRequest {
            principal_id: caller,
            principal_type: None,
            group_ids: groups.clone(),
            scope: scope.clone(),
            request: assignment_write_request(role.id, to, kind),
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
