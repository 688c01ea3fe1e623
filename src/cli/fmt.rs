//! `azabac fmt`: print conditions in canonical form, check or rewrite them.

use std::fs;

use clap::Args;

use azabac::diagnostic::render::{self, HumanOptions};
use azabac::input::emit::Target;
use azabac::syntax;

use super::input::{Input, InputArgs, ResourceArg};
use super::output::outln;
use super::{ColorChoice, Status};

/// Arguments of `azabac fmt`.
#[derive(Args, Debug)]
pub struct FmtArgs {
    #[command(flatten)]
    inputs: InputArgs,
    #[command(flatten)]
    resource: ResourceArg,
    /// Print nothing on standard output; name each input not already in canonical form on
    /// standard error, and exit 1 if there is one.
    #[arg(long, conflicts_with = "write")]
    check: bool,
    /// Rewrite files given with `-f` in canonical form.
    #[arg(long)]
    write: bool,
    /// When to colour error reports.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t)]
    color: ColorChoice,
    /// Print each condition as a ready-to-paste value for this host, escaped for it:
    /// `terraform`, `bicep`, `arm`, `powershell`, `bash`, `az-cli`.
    #[arg(long, value_name = "HOST", value_parser = parse_target, conflicts_with_all = ["check", "write"])]
    emit: Option<Target>,
    /// With `--emit`, keep the condition as written instead of its canonical form.
    #[arg(long, requires = "emit")]
    as_written: bool,
}

fn parse_target(text: &str) -> Result<Target, String> {
    Target::ALL
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(text))
        .map(|(_, target)| *target)
        .ok_or_else(|| {
            let names: Vec<&str> = Target::ALL.iter().map(|(n, _)| *n).collect();
            format!("expected one of {}", names.join(", "))
        })
}

pub fn run(args: &FmtArgs) -> Status {
    let inputs = match super::read_selected(&args.inputs, &args.resource) {
        Ok(inputs) => inputs,
        Err(status) => return status,
    };
    let mut status = Status::Success;
    for input in &inputs {
        let read_error = input
            .read_diagnostics
            .iter()
            .any(|d| d.severity == azabac::diagnostic::Severity::Error);
        let formatted = if input.unread || read_error {
            Err(input.read_diagnostics.clone())
        } else {
            // Notes from reading (a byte-order mark) go to standard error, once.
            if !input.read_diagnostics.is_empty() {
                let options = HumanOptions {
                    color: args.color.enabled(),
                };
                eprint!(
                    "{}",
                    render::human(&input.read_diagnostics, &input.name, &input.text, options)
                );
            }
            syntax::format(&input.text)
        };
        match formatted {
            Ok(canonical) => {
                if let Err(failure) = emit(args, input, &canonical) {
                    status = worst(status, failure);
                }
            }
            Err(diagnostics) => {
                let options = HumanOptions {
                    color: args.color.enabled(),
                };
                eprint!(
                    "{}",
                    render::human(&diagnostics, &input.name, &input.text, options)
                );
                eprintln!("{}: not formatted: the condition has errors", input.name);
                status = worst(status, Status::Failure);
            }
        }
    }
    status
}

/// Whether `text` is `canonical`, allowing one trailing newline in files, and in files whatever
/// line ending they were saved with (CR is whitespace between tokens,
/// [decision 16](../../docs/spec/DECISIONS.md#decision-16); `--write` keeps the file's ending).
fn is_canonical(input: &Input, canonical: &str) -> bool {
    if input.path.is_none() {
        return input.text == canonical;
    }
    let text = input.text.replace("\r\n", "\n");
    text.strip_suffix('\n').unwrap_or(&text) == canonical
}

fn emit(args: &FmtArgs, input: &Input, canonical: &str) -> Result<(), Status> {
    if let Some(target) = args.emit {
        let text = if args.as_written {
            input.text.trim_end_matches(['\n', '\r'])
        } else {
            canonical
        };
        outln!("{}", azabac::input::emit::emit(text, target));
        return Ok(());
    }
    if args.check {
        if is_canonical(input, canonical) {
            return Ok(());
        }
        eprintln!(
            "{}: not in canonical form; run `azabac fmt` to see it",
            input.name
        );
        return Err(Status::Failure);
    }
    if args.write {
        let Some(path) = &input.path else {
            let why = if input.origin.is_some() {
                "a condition in a host file is never rewritten"
            } else {
                "--write rewrites condition files"
            };
            eprintln!("{}: {why}; printing it instead", input.name);
            outln!("{canonical}");
            return Ok(());
        };
        if is_canonical(input, canonical) {
            return Ok(());
        }
        // The file as it was saved: its line ending, and its byte-order mark if it had one.
        let saved = azabac::text::FileText {
            text: input.text.clone(),
            bom: input.bom,
            line_ending: azabac::text::LineEnding::of(&input.text),
        };
        return fs::write(path, saved.restore(&format!("{canonical}\n"))).map_err(|e| {
            eprintln!("error: cannot write {}: {e}", path.display());
            Status::UsageOrIo
        });
    }
    outln!("{canonical}");
    Ok(())
}

fn worst(a: Status, b: Status) -> Status {
    match (a, b) {
        (Status::UsageOrIo, _) | (_, Status::UsageOrIo) => Status::UsageOrIo,
        (Status::Failure, _) | (_, Status::Failure) => Status::Failure,
        _ => Status::Success,
    }
}
