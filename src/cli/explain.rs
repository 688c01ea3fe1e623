//! `azabac explain`: a plain-English reading of a condition.

use std::path::PathBuf;

use clap::Args;

use azabac::Condition;
use azabac::catalog;
use azabac::check::Checker;
use azabac::diagnostic::render::{self, HumanOptions};

use super::Status;
use super::input::InputArgs;
use super::output::out;

/// Arguments of `azabac explain`.
#[derive(Args, Debug)]
pub struct ExplainArgs {
    #[command(flatten)]
    inputs: InputArgs,
    /// The built-in role the condition is attached to, by name or GUID: guarded actions
    /// the role does not grant are pointed out.
    #[arg(long, value_name = "NAME_OR_GUID")]
    role: Option<String>,
    /// Extend the attribute catalogue with this JSON file (repeatable).
    #[arg(long, value_name = "FILE")]
    catalog: Vec<PathBuf>,
}

pub fn run(args: &ExplainArgs) -> Status {
    let catalog = match super::catalog(&args.catalog) {
        Ok(catalog) => catalog,
        Err(status) => return status,
    };
    let role = match &args.role {
        None => None,
        Some(name) => match catalog::find_builtin_role(name) {
            Some(role) => Some(role),
            None => {
                eprintln!("error: no built-in role is named `{name}`");
                return Status::UsageOrIo;
            }
        },
    };
    let input = match super::read_one_input(&args.inputs) {
        Ok(input) => input,
        Err(status) => return status,
    };
    let mut checker = Checker::new(&catalog);
    if let Some(role) = role {
        checker = checker.with_role(role);
    }
    match Condition::parse(input.text.as_str()).check(&checker) {
        Ok(checked) => out!("{}", checked.explain()),
        Err(invalid) => {
            out!(
                "{}",
                render::human(
                    invalid.diagnostics(),
                    &input.name,
                    &input.text,
                    HumanOptions { color: false }
                )
            );
            return Status::Failure;
        }
    }
    Status::Success
}
