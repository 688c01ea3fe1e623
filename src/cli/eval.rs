//! `azabac eval`: evaluate one condition against one request.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde_json::{Value, json};

use azabac::diagnostic::render::{self, HumanOptions};
use azabac::diagnostic::{Diagnostic, Severity};
use azabac::eval::{Program, Request};
use azabac::span::line_column;

use super::input::{Input, InputArgs, ResourceArg};
use super::output::{out, outln};
use super::{ColorChoice, Status};

/// Output formats of `eval`.
#[derive(Clone, Copy, Debug, Default, ValueEnum)]
pub enum EvalFormat {
    /// `true` or `false` on a line; problems on standard error.
    #[default]
    Human,
    /// `{"result": bool, "errors": [...]}` (plus `"trace"` with `--trace`).
    Json,
}

/// Arguments of `azabac eval`.
#[derive(Args, Debug)]
pub struct EvalArgs {
    #[command(flatten)]
    inputs: InputArgs,
    #[command(flatten)]
    resource: ResourceArg,
    /// The request, as JSON (`-` reads standard input).
    #[arg(long, value_name = "REQ.json")]
    request: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: EvalFormat,
    /// Also show every sub-expression's value and which ones decided the result.
    #[arg(long)]
    trace: bool,
    /// Extend the attribute catalogue with this JSON file (repeatable).
    #[arg(long, value_name = "FILE")]
    catalog: Vec<PathBuf>,
    /// When to colour human output.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t)]
    color: ColorChoice,
}

pub fn run(args: &EvalArgs) -> Status {
    let catalog = match super::check::load_catalog(&args.catalog) {
        Ok(catalog) => catalog,
        Err(message) => return usage(&message),
    };
    let input = match super::read_one_input(&args.inputs, &args.resource) {
        Ok(input) => input,
        Err(status) => return status,
    };
    let request_text = match super::read_file_or_stdin(&args.request) {
        Ok(text) => text,
        Err(message) => return usage(&message),
    };
    let program = match compile(&input, &catalog) {
        Ok(program) => program,
        Err(diagnostics) => {
            match args.format {
                EvalFormat::Human => eprint!(
                    "{}",
                    render::human(
                        &diagnostics,
                        &input.name,
                        &input.text,
                        HumanOptions {
                            color: args.color.enabled(),
                        }
                    )
                ),
                EvalFormat::Json => print_json(&json!({
                    "result": false,
                    "errors": render::json_diagnostics(&diagnostics, &input.text),
                })),
            }
            return Status::Failure;
        }
    };
    let request = match Request::from_json(&request_text, &catalog) {
        Ok(request) => request,
        Err(error) => {
            let file = args.request.display();
            match args.format {
                EvalFormat::Human => eprintln!("error: request `{file}` {error}"),
                EvalFormat::Json => print_json(&json!({
                    "result": false,
                    "errors": [{"kind": "request", "file": file.to_string(), "path": error.path, "message": error.message()}],
                })),
            }
            return Status::Failure;
        }
    };
    // A request Azure never makes: said on standard error, whatever the format.
    if let Ok(value) = azabac::rbac::read_json(&request_text) {
        for unsent in azabac::eval::unsent_attributes(&value, &catalog) {
            eprintln!(
                "warning: request `{}` at {}: {}",
                args.request.display(),
                unsent.path,
                unsent.message
            );
        }
    }
    let trace = args.trace.then(|| program.trace(&request));
    let outcome = match &trace {
        Some(trace) => (trace.result, trace.error),
        None => {
            let outcome = program.run(&request);
            (outcome.result, outcome.error)
        }
    };
    match args.format {
        EvalFormat::Human => {
            outln!("{}", outcome.0);
            if let Some(error) = outcome.1 {
                let (line, column) = line_column(&input.text, error.span.start());
                eprintln!(
                    "note: {}:{line}:{column}: evaluation error, so the condition is false (fail closed): {error}",
                    input.name
                );
            }
            if let Some(trace) = &trace {
                out!("{}", trace.render());
            }
        }
        EvalFormat::Json => {
            print_json(&azabac::report::json::evaluation(
                outcome.0,
                outcome.1.as_ref(),
                trace.as_ref(),
                &input.text,
            ));
        }
    }
    Status::Success
}

fn usage(message: &str) -> Status {
    eprintln!("error: {message}");
    Status::UsageOrIo
}

/// Parses, checks and compiles one input; any error diagnostic stops it.
fn compile(input: &Input, catalog: &azabac::catalog::Catalog) -> Result<Program, Vec<Diagnostic>> {
    if input
        .read_diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error)
        || input.unread
    {
        return Err(input.read_diagnostics.clone());
    }
    Program::from_source(&input.text, catalog).map_err(|diagnostics| {
        diagnostics
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect()
    })
}

fn print_json(value: &Value) {
    outln!(
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_default()
    );
}
