//! Where conditions come from: arguments, files (`-f`), directories, standard input (`-`).

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use clap::Args;

use std::rc::Rc;

use azabac::diagnostic::{Code, Diagnostic};
use azabac::input::embedded::{self, Embedded};
use azabac::limits::MAX_ANALYSED_BYTES;
use azabac::span::Span;

/// The file extension of a condition file in a directory given to `-f`.
pub const CONDITION_EXTENSION: &str = "cond";

/// The file extension of JSON files (role definitions, role and deny assignments, ARM
/// templates) whose `condition` fields are read, in a directory or given by name.
pub const JSON_EXTENSION: &str = "json";

/// The inputs of a subcommand.
#[derive(Args, Debug, Clone)]
pub struct InputArgs {
    /// Conditions to read; `-` reads one condition from standard input. An argument that
    /// names an existing file or directory is read as if given with `-f`.
    #[arg(value_name = "CONDITION")]
    pub conditions: Vec<String>,
    /// Files to read, each holding one whole condition, or a JSON file whose `condition`
    /// fields are each read (role definitions, role and deny assignments); a directory means
    /// every `*.cond` and `*.json` file below it, in name order.
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
    /// For a condition found in a JSON file: the file's text and where the condition sits,
    /// so that reports point into the file.
    pub origin: Option<Origin>,
}

/// Where a condition embedded in a JSON file came from.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The JSON file, as named on the command line.
    pub file: String,
    /// The file's whole text.
    pub document: Rc<str>,
    /// The condition's JSON path and its map into the document.
    pub embedded: Embedded,
}

/// A failure to read an input at all.
#[derive(Debug)]
pub struct ReadError(pub String);

/// A JSON file read for its conditions, whole: it may also define the roles they belong to.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file, as named on the command line.
    pub file: String,
    /// Its text.
    pub text: Rc<str>,
}

impl InputArgs {
    /// Reads every input, in the order given: arguments first, then files.
    pub fn read(&self) -> Result<Vec<Input>, ReadError> {
        self.read_with_documents().map(|(inputs, _)| inputs)
    }

    /// [`InputArgs::read`], with every JSON file read, conditions or not.
    pub fn read_with_documents(&self) -> Result<(Vec<Input>, Vec<Document>), ReadError> {
        let mut documents = Vec::new();
        let inputs = self.read_into(&mut documents)?;
        Ok((inputs, documents))
    }

    fn read_into(&self, documents: &mut Vec<Document>) -> Result<Vec<Input>, ReadError> {
        let mut inputs = Vec::new();
        if self.conditions.is_empty() && self.files.is_empty() {
            return Err(ReadError(
                "no condition given: pass it as an argument, with -f FILE, or as - to read standard input"
                    .into(),
            ));
        }
        for (index, condition) in self.conditions.iter().enumerate() {
            if condition != "-" && Path::new(condition).exists() {
                read_path(Path::new(condition), &mut inputs, documents)?;
            } else if condition == "-" {
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
            read_path(path, &mut inputs, documents)?;
        }
        Ok(inputs)
    }
}

/// A file (a condition, or a JSON file of conditions) or a directory of them.
fn read_path(
    path: &Path,
    inputs: &mut Vec<Input>,
    documents: &mut Vec<Document>,
) -> Result<(), ReadError> {
    if path.is_dir() {
        let mut found = Vec::new();
        collect_condition_files(path, &mut found)?;
        found.sort();
        for file in found {
            read_one(&file, inputs, documents)?;
        }
        Ok(())
    } else {
        read_one(path, inputs, documents)
    }
}

fn read_one(
    path: &Path,
    inputs: &mut Vec<Input>,
    documents: &mut Vec<Document>,
) -> Result<(), ReadError> {
    if path.extension().is_some_and(|ext| ext == JSON_EXTENSION) {
        inputs.extend(read_json_file(path, documents)?);
    } else {
        inputs.push(read_file(path)?);
    }
    Ok(())
}

/// Every `condition` of a JSON file, each an input that reports into the file.
fn read_json_file(path: &Path, documents: &mut Vec<Document>) -> Result<Vec<Input>, ReadError> {
    let text = fs::read_to_string(path)
        .map_err(|e| ReadError(format!("cannot read {}: {e}", path.display())))?;
    let found =
        embedded::conditions(&text).map_err(|e| ReadError(format!("{}: {e}", path.display())))?;
    let document: Rc<str> = text.into();
    let file = path.display().to_string();
    documents.push(Document {
        file: file.clone(),
        text: Rc::clone(&document),
    });
    Ok(found
        .into_iter()
        .map(|embedded| {
            let mut input = from_bytes(
                format!("{file} {}", embedded.path),
                None,
                embedded.text.clone().into_bytes(),
                None,
            );
            input.origin = Some(Origin {
                file: file.clone(),
                document: Rc::clone(&document),
                embedded,
            });
            input
        })
        .collect())
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
            .is_some_and(|ext| ext == CONDITION_EXTENSION || ext == JSON_EXTENSION)
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
            origin: None,
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
        origin: None,
    }
}
