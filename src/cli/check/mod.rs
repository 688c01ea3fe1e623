//! `azabac check`: report every error and warning in conditions.

mod findings;
mod report;

use std::collections::HashMap;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde_json::Value;

use azabac::catalog::{Catalog, RoleDefinition};

use super::config::ConfigArgs;
use super::input::InputArgs;
use super::output::outln;
use super::{ColorChoice, Status};
pub(super) use findings::host_role;
use findings::{Checked, check, defined_roles, role_of, version_error};
use report::{json_report, print_github, print_human, print_summary, sarif_report};

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
    #[arg(long, value_enum, value_name = "WHEN", default_value_t)]
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
    // `[terraform] var_files` first, then the command line's, which win.
    let mut input_args = args.inputs.clone();
    input_args.var_files = config
        .var_files
        .iter()
        .chain(&args.inputs.var_files)
        .cloned()
        .collect();
    let (inputs, documents) = match input_args.read_with_documents() {
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
        CheckFormat::Github => print_github(&results, args.deny_warnings),
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
    // Condition slots (the module's inputs) count as found: a module's own repository checks
    // what it can, and says where its callers fill the rest.
    if !results.is_empty()
        && results.iter().all(|r| !r.unresolved().is_empty())
        && results.iter().any(|r| r.slot().is_none())
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
