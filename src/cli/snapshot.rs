//! `azabac snapshot`: a condition's canonical text, explanation and decision table.

use std::io::BufRead;
use std::path::PathBuf;

use clap::Args;

use azabac::Condition;
use azabac::check::Checker;
use azabac::diagnostic::render::{self, HumanOptions};
use azabac::eval::Request;

use super::Status;
use super::input::InputArgs;
use super::output::out;

/// Arguments of `azabac snapshot`.
#[derive(Args, Debug)]
pub struct SnapshotArgs {
    #[command(flatten)]
    inputs: InputArgs,
    /// Evaluation requests, one JSON object per line (`#` lines and blank lines skipped);
    /// each gets a row `true`/`false`, labelled by its `name` field or its line number.
    #[arg(long, value_name = "REQS.jsonl")]
    requests: Option<PathBuf>,
    /// Extend the attribute catalogue with this JSON file (repeatable).
    #[arg(long, value_name = "FILE")]
    catalog: Vec<PathBuf>,
}

pub fn run(args: &SnapshotArgs) -> Status {
    let catalog = match super::catalog(&args.catalog) {
        Ok(catalog) => catalog,
        Err(status) => return status,
    };
    let input = match super::read_one_input(&args.inputs) {
        Ok(input) => input,
        Err(status) => return status,
    };
    let mut requests = Vec::new();
    if let Some(path) = &args.requests {
        let file = match std::fs::File::open(path) {
            Ok(file) => file,
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", path.display());
                return Status::UsageOrIo;
            }
        };
        for (index, line) in std::io::BufReader::new(file).lines().enumerate() {
            let Ok(line) = line else {
                eprintln!("error: cannot read {}", path.display());
                return Status::UsageOrIo;
            };
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let mut value = match azabac::rbac::read_json(trimmed) {
                Ok(value) => value,
                Err(e) => {
                    eprintln!("error: {}:{}: {}", path.display(), index + 1, e.message());
                    return Status::Failure;
                }
            };
            let label = value
                .as_object_mut()
                .and_then(|o| o.remove("name"))
                .and_then(|n| n.as_str().map(str::to_owned))
                .unwrap_or_else(|| format!("line {}", index + 1));
            match Request::from_value(&value, &catalog) {
                Ok(request) => requests.push((label, request)),
                Err(e) => {
                    eprintln!("error: {}:{}: {e}", path.display(), index + 1);
                    return Status::Failure;
                }
            }
        }
    }
    let checker = Checker::new(&catalog);
    let snapshot = Condition::parse(input.text.as_str())
        .check(&checker)
        .map_err(|invalid| invalid.diagnostics().to_vec())
        .and_then(|checked| checked.snapshot(&requests));
    match snapshot {
        Ok(text) => {
            out!("{text}");
            Status::Success
        }
        Err(diagnostics) => {
            out!(
                "{}",
                render::human(
                    &diagnostics,
                    &input.name,
                    &input.text,
                    HumanOptions { color: false }
                )
            );
            Status::Failure
        }
    }
}
