//! `azabac explain`: a plain-English reading of a condition, or its JSON view.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde_json::json;

use azabac::Condition;
use azabac::check::Checker;
use azabac::diagnostic::render::{self, HumanOptions};

use super::Status;
use super::input::{InputArgs, ResourceArg};
use super::output::{out, outln};

/// Arguments of `azabac explain`.
#[derive(Args, Debug)]
pub struct ExplainArgs {
    #[command(flatten)]
    inputs: InputArgs,
    #[command(flatten)]
    resource: ResourceArg,
    /// What to print: the reading in English, or its blocks as JSON.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Human)]
    format: ExplainFormat,
    /// The built-in role the condition is attached to, by name or GUID: guarded actions
    /// the role does not grant are pointed out.
    #[arg(long, value_name = "NAME_OR_GUID", conflicts_with = "role_file")]
    role: Option<String>,
    /// Like `--role`, for a role definition in a JSON file (`az role definition list`
    /// output, an ARM resource, or an `az role definition create` file).
    #[arg(long, value_name = "FILE")]
    role_file: Option<PathBuf>,
    /// Extend the attribute catalogue with this JSON file (repeatable).
    #[arg(long, value_name = "FILE")]
    catalog: Vec<PathBuf>,
}

/// The output formats of `azabac explain`.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum ExplainFormat {
    Human,
    Json,
}

pub fn run(args: &ExplainArgs) -> Status {
    let catalog = match super::catalog(&args.catalog) {
        Ok(catalog) => catalog,
        Err(status) => return status,
    };
    let role = match super::load_role(args.role.as_deref(), args.role_file.as_deref()) {
        Ok(role) => role,
        Err(message) => {
            eprintln!("error: {message}");
            return Status::UsageOrIo;
        }
    };
    let inputs = match super::read_selected(&args.inputs, &args.resource) {
        Ok(inputs) => inputs,
        Err(status) => return status,
    };
    // Without `--resource`, every condition of what was given, each under its resource's
    // name; JSON is then an array of the one-condition objects.
    let several = inputs.len() > 1;
    let mut status = Status::Success;
    let mut views = Vec::new();
    for input in &inputs {
        if several && matches!(args.format, ExplainFormat::Human) {
            let heading = match &input.origin {
                Some(origin) => format!(
                    "{} ({}:{})",
                    origin.place.resource, origin.file, origin.place.line
                ),
                None => input.name.clone(),
            };
            outln!("── {heading}");
        }
        let (one, view) = explain_one(input, &catalog, role.as_ref(), args.format);
        if let Some(mut view) = view {
            if several && let (Some(origin), Some(fields)) = (&input.origin, view.as_object_mut()) {
                fields.insert("resource".into(), json!(origin.place.resource));
                fields.insert("file".into(), json!(origin.file));
            }
            views.push(view);
        }
        if matches!(one, Status::Failure) {
            status = Status::Failure;
        }
    }
    if matches!(args.format, ExplainFormat::Json) {
        let out = match (several, views.pop()) {
            (false, Some(view)) => view,
            (true, last) => {
                views.extend(last);
                serde_json::Value::Array(views)
            }
            (false, None) => serde_json::Value::Null,
        };
        outln!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    }
    status
}

/// One condition explained: printed (human), or its JSON object returned.
fn explain_one(
    input: &super::input::Input,
    catalog: &azabac::catalog::Catalog,
    given_role: Option<&azabac::catalog::RoleDefinition>,
    format: ExplainFormat,
) -> (Status, Option<serde_json::Value>) {
    // Without `--role`, a condition of a Terraform, Bicep, ARM or plan resource is explained
    // against the role that resource assigns, where azabac knows it, as `check` checks it.
    let role = given_role
        .cloned()
        .or_else(|| super::check::host_role(input));
    let mut checker = Checker::new(catalog);
    if let Some(role) = &role {
        checker = checker.with_role(role);
    }
    match (
        Condition::parse(input.text.as_str()).check(&checker),
        format,
    ) {
        (Ok(checked), ExplainFormat::Human) => out!("{}", checked.explain()),
        (Ok(checked), ExplainFormat::Json) => {
            let mut view = azabac::report::json::explanation(&checked.explanation(), &input.text);
            if let Some(fields) = view.as_object_mut() {
                fields.insert("input".into(), json!(input.name));
                fields.insert("valid".into(), json!(true));
            }
            return (Status::Success, Some(view));
        }
        (Err(invalid), ExplainFormat::Human) => {
            out!(
                "{}",
                render::human(
                    invalid.diagnostics(),
                    &input.name,
                    &input.text,
                    HumanOptions { color: false }
                )
            );
            return (Status::Failure, None);
        }
        (Err(invalid), ExplainFormat::Json) => {
            let view = json!({
                "input": input.name,
                "valid": false,
                "diagnostics": render::json_diagnostics(invalid.diagnostics(), &input.text),
            });
            return (Status::Failure, Some(view));
        }
    }
    (Status::Success, None)
}
