//! `azabac parse`: print the syntax tree.

use clap::{Args, ValueEnum};
use serde_json::json;

use azabac::diagnostic::render;
use azabac::syntax::{self, json as ast_json, tree};

use super::Status;
use super::input::InputArgs;
use super::output::{out, outln};

/// Output formats of `parse`.
#[derive(Clone, Copy, Debug, Default, ValueEnum)]
pub enum ParseFormat {
    /// `{"input", "valid", "condition", "diagnostics"}` per input (an array for several).
    #[default]
    Json,
    /// One node per line with its byte span, for people.
    Tree,
}

/// Arguments of `azabac parse`.
#[derive(Args, Debug)]
pub struct ParseArgs {
    #[command(flatten)]
    inputs: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: ParseFormat,
}

pub fn run(args: &ParseArgs) -> Status {
    let inputs = match super::read_inputs(&args.inputs) {
        Ok(inputs) => inputs,
        Err(status) => return status,
    };
    let mut all_valid = true;
    let mut objects = Vec::new();
    for input in &inputs {
        let parsed = if input.unread {
            syntax::Parse {
                condition: None,
                diagnostics: Vec::new(),
            }
        } else {
            syntax::parse(&input.text)
        };
        let mut diagnostics = input.read_diagnostics.clone();
        diagnostics.extend(parsed.diagnostics.iter().cloned());
        // A note from reading (a byte-order mark) is not an error: only errors invalidate.
        let read_error = input
            .read_diagnostics
            .iter()
            .any(|d| d.severity == azabac::diagnostic::Severity::Error);
        let valid = parsed.is_valid() && !read_error;
        all_valid &= valid;
        match args.format {
            ParseFormat::Json => objects.push(json!({
                "input": input.name,
                "valid": valid,
                "condition": parsed.condition.as_ref().map(ast_json::expr),
                "diagnostics": render::json_diagnostics(&diagnostics, &input.text),
            })),
            ParseFormat::Tree => {
                if inputs.len() > 1 {
                    outln!("{}:", input.name);
                }
                match &parsed.condition {
                    Some(condition) => out!("{}", tree::render(condition)),
                    None => outln!("(no tree)"),
                }
                for diagnostic in &diagnostics {
                    outln!(
                        "{} {}: {} @{}",
                        diagnostic.severity.as_str(),
                        diagnostic.code,
                        diagnostic.message,
                        diagnostic.span
                    );
                }
            }
        }
    }
    if let ParseFormat::Json = args.format {
        super::print_json_per_input(objects);
    }
    if all_valid {
        Status::Success
    } else {
        Status::Failure
    }
}
