//! `azabac compile`: compile conditions and show the bytecode.

use std::path::PathBuf;

use clap::Args;

use azabac::diagnostic::Severity;
use azabac::diagnostic::render::{self, HumanOptions};
use azabac::eval::Program;

use super::input::InputArgs;
use super::output::{out, outln};
use super::{ColorChoice, Status};

/// Arguments of `azabac compile`.
#[derive(Args, Debug)]
pub struct CompileArgs {
    #[command(flatten)]
    inputs: InputArgs,
    /// Print the disassembled program: slots, constants and instructions.
    #[arg(long)]
    disasm: bool,
    /// Extend the attribute catalogue with this JSON file (repeatable).
    #[arg(long, value_name = "FILE")]
    catalog: Vec<PathBuf>,
    /// When to colour diagnostics.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t)]
    color: ColorChoice,
}

pub fn run(args: &CompileArgs) -> Status {
    let catalog = match super::catalog(&args.catalog) {
        Ok(catalog) => catalog,
        Err(status) => return status,
    };
    let inputs = match super::read_inputs(&args.inputs) {
        Ok(inputs) => inputs,
        Err(status) => return status,
    };
    let mut status = Status::Success;
    let several = inputs.len() > 1;
    for input in &inputs {
        let compiled = if input.unread
            || input
                .read_diagnostics
                .iter()
                .any(|d| d.severity == Severity::Error)
        {
            Err(input.read_diagnostics.clone())
        } else {
            Program::from_source(&input.text, &catalog)
        };
        match compiled {
            Ok(program) if args.disasm => {
                if several {
                    outln!("; {}", input.name);
                }
                out!("{}", program.disassemble());
            }
            Ok(program) => outln!("{}: compiled, {} instructions", input.name, program.len()),
            Err(diagnostics) => {
                let errors: Vec<_> = diagnostics
                    .into_iter()
                    .filter(|d| d.severity == Severity::Error)
                    .collect();
                eprint!(
                    "{}",
                    render::human(
                        &errors,
                        &input.name,
                        &input.text,
                        HumanOptions {
                            color: args.color.enabled()
                        }
                    )
                );
                status = Status::Failure;
            }
        }
    }
    status
}
