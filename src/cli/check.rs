//! `azabac check`: report every error and warning in conditions.

use clap::{Args, ValueEnum};
use serde_json::{Value, json};

use azabac::diagnostic::render::{self, HumanOptions};
use azabac::diagnostic::{Diagnostic, Severity};
use azabac::syntax;

use super::input::{Input, InputArgs};
use super::{ColorChoice, Status};

/// Output formats of `check`.
#[derive(Clone, Copy, Debug, Default, ValueEnum)]
pub enum CheckFormat {
    /// Reports for people (ariadne).
    #[default]
    Human,
    /// One JSON object per input (an array for several inputs).
    Json,
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
    #[arg(long)]
    deny_warnings: bool,
    /// When to colour human output.
    #[arg(long, value_enum, default_value_t)]
    color: ColorChoice,
}

/// The findings about one input.
struct Checked {
    input: Input,
    diagnostics: Vec<Diagnostic>,
}

impl Checked {
    fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    fn valid(&self, deny_warnings: bool) -> bool {
        self.count(Severity::Error) == 0 && !(deny_warnings && self.count(Severity::Warning) > 0)
    }
}

/// Checks one input: the reading problems, then what the front end finds.
fn check(input: Input) -> Checked {
    let mut diagnostics = input.read_diagnostics.clone();
    if !input.unread {
        diagnostics.extend(syntax::parse(&input.text).diagnostics);
    }
    Checked { input, diagnostics }
}

pub fn run(args: &CheckArgs) -> Status {
    let inputs = match super::read_inputs(&args.inputs) {
        Ok(inputs) => inputs,
        Err(status) => return status,
    };
    let results: Vec<Checked> = inputs.into_iter().map(check).collect();
    match args.format {
        CheckFormat::Human => print_human(&results, args),
        CheckFormat::Json => print_json(&results, args.deny_warnings),
    }
    if results.iter().all(|r| r.valid(args.deny_warnings)) {
        Status::Success
    } else {
        Status::Failure
    }
}

fn print_human(results: &[Checked], args: &CheckArgs) {
    let options = HumanOptions {
        color: args.color.enabled(),
    };
    let mut valid = 0;
    let (mut errors, mut warnings) = (0, 0);
    for result in results {
        let report = render::human(
            &result.diagnostics,
            &result.input.name,
            &result.input.text,
            options,
        );
        print!("{report}");
        let (e, w) = (
            result.count(Severity::Error),
            result.count(Severity::Warning),
        );
        errors += e;
        warnings += w;
        let is_valid = result.valid(args.deny_warnings);
        valid += usize::from(is_valid);
        println!(
            "{}: {}{}",
            result.input.name,
            if is_valid { "valid" } else { "invalid" },
            counts(e, w)
        );
    }
    if results.len() > 1 {
        println!(
            "checked {} conditions: {} valid, {} invalid{}",
            results.len(),
            valid,
            results.len() - valid,
            counts(errors, warnings)
        );
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

fn print_json(results: &[Checked], deny_warnings: bool) {
    let objects: Vec<Value> = results
        .iter()
        .map(|result| {
            json!({
                "input": result.input.name,
                "valid": result.valid(deny_warnings),
                "diagnostics": render::json_diagnostics(&result.diagnostics, &result.input.text),
            })
        })
        .collect();
    super::print_json_per_input(objects);
}
