//! Where conditions come from: arguments, files (`-f`), directories, standard input (`-`).

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use clap::Args;

use azabac::diagnostic::{Code, Diagnostic};
use azabac::span::Span;
use azabac::syntax::parser::MAX_ANALYSED_BYTES;

/// The file extension of a condition file in a directory given to `-f`.
pub const CONDITION_EXTENSION: &str = "cond";

/// The inputs of a subcommand.
#[derive(Args, Debug, Clone)]
pub struct InputArgs {
    /// Conditions to read; `-` reads one condition from standard input.
    #[arg(value_name = "CONDITION")]
    pub conditions: Vec<String>,
    /// Files to read, each holding one whole condition; a directory means every
    /// `*.cond` file below it, in name order.
    #[arg(short = 'f', long = "file", value_name = "FILE", num_args = 1..)]
    pub files: Vec<PathBuf>,
}

/// One condition to work on.
#[derive(Debug)]
pub struct Input {
    /// How reports name it: a path, `<stdin>`, or `<argument N>`.
    pub name: String,
    /// The file it came from, if any.
    pub path: Option<PathBuf>,
    /// Its text; invalid UTF-8 is replaced by U+FFFD.
    pub text: String,
    /// Problems found while reading, before parsing: invalid UTF-8, too large to read.
    pub read_diagnostics: Vec<Diagnostic>,
    /// Whether the text must not be parsed (it was too large to read whole).
    pub unread: bool,
}

/// A failure to read an input at all.
#[derive(Debug)]
pub struct ReadError(pub String);

impl InputArgs {
    /// Reads every input, in the order given: arguments first, then files.
    pub fn read(&self) -> Result<Vec<Input>, ReadError> {
        let mut inputs = Vec::new();
        if self.conditions.is_empty() && self.files.is_empty() {
            return Err(ReadError(
                "no condition given: pass it as an argument, with -f FILE, or as - to read standard input"
                    .into(),
            ));
        }
        for (index, condition) in self.conditions.iter().enumerate() {
            if condition == "-" {
                let mut bytes = Vec::new();
                io::stdin()
                    .lock()
                    .take(limit())
                    .read_to_end(&mut bytes)
                    .map_err(|e| ReadError(format!("cannot read standard input: {e}")))?;
                inputs.push(from_bytes("<stdin>".into(), None, bytes, None));
            } else {
                inputs.push(from_bytes(
                    format!("<argument {}>", index + 1),
                    None,
                    condition.clone().into_bytes(),
                    None,
                ));
            }
        }
        for path in &self.files {
            if path.is_dir() {
                let mut found = Vec::new();
                collect_condition_files(path, &mut found)?;
                found.sort();
                for file in found {
                    inputs.push(read_file(&file)?);
                }
            } else {
                inputs.push(read_file(path)?);
            }
        }
        Ok(inputs)
    }
}

fn limit() -> u64 {
    u64::try_from(MAX_ANALYSED_BYTES)
        .unwrap_or(u64::MAX)
        .saturating_add(1)
}

fn collect_condition_files(dir: &Path, found: &mut Vec<PathBuf>) -> Result<(), ReadError> {
    let entries = fs::read_dir(dir)
        .map_err(|e| ReadError(format!("cannot read directory {}: {e}", dir.display())))?;
    for entry in entries {
        let path = entry
            .map_err(|e| ReadError(format!("cannot read directory {}: {e}", dir.display())))?
            .path();
        if path.is_dir() {
            collect_condition_files(&path, found)?;
        } else if path
            .extension()
            .is_some_and(|ext| ext == CONDITION_EXTENSION)
        {
            found.push(path);
        }
    }
    Ok(())
}

fn read_file(path: &Path) -> Result<Input, ReadError> {
    let file = fs::File::open(path)
        .map_err(|e| ReadError(format!("cannot read {}: {e}", path.display())))?;
    let size = file.metadata().ok().map(|m| m.len());
    let mut bytes = Vec::new();
    file.take(limit())
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError(format!("cannot read {}: {e}", path.display())))?;
    Ok(from_bytes(
        path.display().to_string(),
        Some(path.to_owned()),
        bytes,
        size,
    ))
}

fn from_bytes(name: String, path: Option<PathBuf>, bytes: Vec<u8>, size: Option<u64>) -> Input {
    let mut read_diagnostics = Vec::new();
    if bytes.len() > MAX_ANALYSED_BYTES {
        let size = size.unwrap_or(u64::try_from(bytes.len()).unwrap_or(u64::MAX));
        read_diagnostics.push(
            Diagnostic::new(
                Code::ConditionTooLong,
                Span::new(0, 0),
                format!(
                    "the input is {size} bytes or more; Azure accepts conditions of at most 8192"
                ),
            )
            .with_help(format!(
                "inputs over {MAX_ANALYSED_BYTES} bytes are not analysed further"
            )),
        );
        return Input {
            name,
            path,
            text: String::new(),
            read_diagnostics,
            unread: true,
        };
    }
    let decoded = azabac::syntax::decode(bytes);
    read_diagnostics.extend(decoded.diagnostic);
    let text = decoded.text;
    Input {
        name,
        path,
        text,
        read_diagnostics,
        unread: false,
    }
}
