//! Where conditions come from: arguments, files (`-f`), directories, standard input (`-`).

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use clap::Args;

use std::rc::Rc;

use azabac::diagnostic::{Code, Diagnostic};
use azabac::input::embedded::{self, Embedded};
use azabac::input::host::{self, Found, Host, Place};
use azabac::input::{bicep, terraform};
use azabac::limits::MAX_ANALYSED_BYTES;
use azabac::span::Span;

/// The file extension of a condition file in a directory given to `-f`.
pub const CONDITION_EXTENSION: &str = "cond";

/// The file extension of JSON files (role definitions, role and deny assignments, ARM
/// templates) whose `condition` fields are read, in a directory or given by name.
pub const JSON_EXTENSION: &str = "json";

/// The file extension of Terraform configuration files.
pub const TERRAFORM_EXTENSION: &str = "tf";

/// The file extension of Bicep files.
pub const BICEP_EXTENSION: &str = "bicep";

/// The inputs of a subcommand.
#[derive(Args, Debug, Clone)]
pub struct InputArgs {
    /// Conditions to read; `-` reads one condition from standard input. An argument that
    /// names an existing file or directory is read as if given with `-f`.
    #[arg(value_name = "CONDITION")]
    pub conditions: Vec<String>,
    /// Files to read: a `.cond` file is one whole condition; a Terraform, Bicep or JSON file
    /// (ARM template, plan, export, suite) is read for the conditions it holds, each reported
    /// at its line; a directory means every such file below it, in name order (see below).
    #[arg(short = 'f', long = "file", value_name = "FILE", num_args = 1..)]
    pub files: Vec<PathBuf>,
    /// Leave out files and directories a directory walk meets that match this glob
    /// (repeatable; `.gitignore` rules, hidden directories, `.terraform/` and `node_modules/`
    /// are left out already).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
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
    /// Whether the file (or standard input) started with a UTF-8 byte-order mark, which is
    /// not part of the text.
    pub bom: bool,
    /// For a condition found in a JSON file: the file's text and where the condition sits,
    /// so that reports point into the file.
    pub origin: Option<Origin>,
}

/// Where a condition embedded in a JSON file came from.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The host file, as named on the command line.
    pub file: String,
    /// The file's whole text.
    pub document: Rc<str>,
    /// The condition's JSON path (or resource address) and its map into the document.
    pub embedded: Embedded,
    /// Its host, resource, line, and what it depends on.
    pub place: Place,
    /// The file the resource holding it is declared in, with its suppression comments: `file`,
    /// but for a condition kept in a template, the Terraform file that renders it.
    pub declared_in: String,
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

/// Whether an argument that names no existing file was meant as a path: one word of the
/// characters paths hold (letters, digits, `/ . _ - ~`), and not `true` or `false`, the only
/// conditions without an attribute reference, a function or an operator. Such a typo is a
/// usage error, not a run of syntax errors.
fn looks_like_a_path(argument: &str) -> bool {
    !argument.is_empty()
        && argument
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '/' | '.' | '_' | '-' | '~'))
        && !argument.eq_ignore_ascii_case("true")
        && !argument.eq_ignore_ascii_case("false")
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
        let mut paths = Vec::new();
        for (index, condition) in self.conditions.iter().enumerate() {
            if condition != "-" && Path::new(condition).exists() {
                self.expand(Path::new(condition), &mut paths)?;
            } else if condition == "-" {
                let mut bytes = Vec::new();
                io::stdin()
                    .lock()
                    .take(limit())
                    .read_to_end(&mut bytes)
                    .map_err(|e| ReadError(format!("cannot read standard input: {e}")))?;
                inputs.push(from_bytes("<stdin>".into(), None, bytes, None));
            } else if looks_like_a_path(condition) {
                return Err(ReadError(format!(
                    "no such file or directory: `{condition}` (a condition would hold an \
                     attribute or a function; a path that does not exist is not read as one)"
                )));
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
            self.expand(path, &mut paths)?;
        }
        read_paths(&paths, &mut inputs, documents)?;
        Ok(without_rendered_files(inputs))
    }

    /// A file as given, or the files a directory walk finds below it: `.gitignore`-aware
    /// (inside a git repository or not), without hidden directories, `.terraform/`,
    /// `node_modules/` or what `--exclude` names, in path order.
    fn expand(&self, path: &Path, paths: &mut Vec<PathBuf>) -> Result<(), ReadError> {
        if !path.is_dir() {
            paths.push(path.to_owned());
            return Ok(());
        }
        let mut overrides = ignore::overrides::OverrideBuilder::new(path);
        for glob in &self.exclude {
            overrides
                .add(&format!("!{glob}"))
                .map_err(|e| ReadError(format!("--exclude `{glob}`: {e}")))?;
        }
        let overrides = overrides
            .build()
            .map_err(|e| ReadError(format!("--exclude: {e}")))?;
        let walk = ignore::WalkBuilder::new(path)
            .hidden(true)
            .git_ignore(true)
            .git_exclude(true)
            .git_global(false)
            .require_git(false)
            .overrides(overrides)
            .filter_entry(|entry| {
                let name = entry.file_name();
                !(entry.file_type().is_some_and(|t| t.is_dir())
                    && (name == ".terraform" || name == "node_modules"))
            })
            .sort_by_file_path(|a, b| a.cmp(b))
            .build();
        for entry in walk {
            let entry =
                entry.map_err(|e| ReadError(format!("cannot walk {}: {e}", path.display())))?;
            let file = entry.path();
            if entry.file_type().is_some_and(|t| t.is_file())
                && file.extension().is_some_and(|ext| {
                    [
                        CONDITION_EXTENSION,
                        JSON_EXTENSION,
                        TERRAFORM_EXTENSION,
                        BICEP_EXTENSION,
                    ]
                    .iter()
                    .any(|e| ext == *e)
                })
            {
                paths.push(file.to_owned());
            }
        }
        Ok(())
    }
}

/// Reads every file: conditions, JSON files, and Terraform files, which are read a module
/// directory at a time (its other `.tf` files give the locals and variables).
fn read_paths(
    paths: &[PathBuf],
    inputs: &mut Vec<Input>,
    documents: &mut Vec<Document>,
) -> Result<(), ReadError> {
    let mut modules: Vec<(PathBuf, Vec<PathBuf>)> = Vec::new();
    for path in paths {
        if path
            .extension()
            .is_some_and(|ext| ext == TERRAFORM_EXTENSION)
        {
            let dir = path.parent().unwrap_or(Path::new("")).to_owned();
            match modules.iter_mut().find(|(d, _)| *d == dir) {
                Some((_, files)) => files.push(path.clone()),
                None => modules.push((dir, vec![path.clone()])),
            }
        } else {
            read_one(path, inputs, documents)?;
        }
    }
    for (dir, wanted) in modules {
        inputs.extend(read_terraform_module(&dir, &wanted)?);
    }
    Ok(())
}

/// The conditions of the `wanted` files of the Terraform module in `dir`.
fn read_terraform_module(dir: &Path, wanted: &[PathBuf]) -> Result<Vec<Input>, ReadError> {
    let mut names: Vec<PathBuf> = wanted.to_vec();
    let listing = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    if let Ok(entries) = fs::read_dir(listing) {
        for entry in entries.flatten() {
            let path = entry.path();
            let neighbour = if dir.as_os_str().is_empty() {
                PathBuf::from(entry.file_name())
            } else {
                path.clone()
            };
            if path
                .extension()
                .is_some_and(|ext| ext == TERRAFORM_EXTENSION)
                && !names.contains(&neighbour)
            {
                names.push(neighbour);
            }
        }
    }
    let mut texts = Vec::with_capacity(names.len());
    for name in &names {
        let text = azabac::text::read_to_string(name)
            .map_err(|e| ReadError(format!("cannot read {}: {e}", name.display())))?;
        texts.push(text);
    }
    let files: Vec<terraform::ModuleFile<'_>> = texts
        .iter()
        .enumerate()
        .map(|(i, text)| terraform::ModuleFile {
            text,
            wanted: i < wanted.len(),
        })
        .collect();
    // `templatefile()`'s templates, read from the module's directory, no larger than a
    // condition could be analysed from.
    let templates = |relative: &str| -> Option<String> { read_beside(listing, relative) };
    let found = terraform::module(&files, &templates).map_err(|e| {
        let name = names
            .get(e.file)
            .map_or_else(String::new, |n| n.display().to_string());
        ReadError(format!("{name}: not Terraform: {}", e.message))
    })?;
    let documents: Vec<Rc<str>> = texts.into_iter().map(Rc::from).collect();
    Ok(found
        .into_iter()
        .filter_map(|(index, mut found)| {
            // A condition kept in a template file is reported in that file.
            if let Some(template) = found.template.take() {
                let relative = template.path.trim_start_matches("./");
                let file = dir.join(relative).display().to_string();
                let declared_in = names.get(index)?.display().to_string();
                let document = Rc::from(template.text);
                return Some(found_input_declared(&file, &document, found, &declared_in));
            }
            let file = names.get(index)?.display().to_string();
            let document = documents.get(index)?;
            Some(found_input(&file, document, found))
        })
        .collect())
}

/// `inputs` without the condition files a Terraform file reads whole (`file()`,
/// `templatefile()`): each is reported once, as the resource that reads it, with its role.
fn without_rendered_files(inputs: Vec<Input>) -> Vec<Input> {
    let canonical = |file: &str| fs::canonicalize(file).ok();
    let rendered: Vec<PathBuf> = inputs
        .iter()
        .filter_map(|input| input.origin.as_ref())
        .filter(|origin| origin.file != origin.declared_in)
        .filter_map(|origin| canonical(&origin.file))
        .collect();
    if rendered.is_empty() {
        return inputs;
    }
    inputs
        .into_iter()
        .filter(|input| {
            input.origin.is_some()
                || input
                    .path
                    .as_deref()
                    .and_then(|path| fs::canonicalize(path).ok())
                    .is_none_or(|path| !rendered.contains(&path))
        })
        .collect()
}

fn read_one(
    path: &Path,
    inputs: &mut Vec<Input>,
    documents: &mut Vec<Document>,
) -> Result<(), ReadError> {
    if path.extension().is_some_and(|ext| ext == JSON_EXTENSION) {
        inputs.extend(read_json_file(path, documents)?);
    } else if path.extension().is_some_and(|ext| ext == BICEP_EXTENSION) {
        inputs.extend(read_bicep_file(path)?);
    } else {
        inputs.push(read_file(path)?);
    }
    Ok(())
}

/// Every `condition` of a JSON file, each an input that reports into the file.
fn read_json_file(path: &Path, documents: &mut Vec<Document>) -> Result<Vec<Input>, ReadError> {
    let text = azabac::text::read_to_string(path)
        .map_err(|e| ReadError(format!("cannot read {}: {e}", path.display())))?;
    let found =
        embedded::conditions(&text).map_err(|e| ReadError(format!("{}: {e}", path.display())))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| ReadError(format!("{}: {e}", path.display())))?;
    let kind = host::json_kind(&value);
    let selected = host::select_json(&value, kind, found, &text);
    let document: Rc<str> = text.into();
    let file = path.display().to_string();
    documents.push(Document {
        file: file.clone(),
        text: Rc::clone(&document),
    });
    Ok(selected
        .into_iter()
        .map(|found| found_input(&file, &document, found))
        .collect())
}

/// Every ABAC condition of a Bicep file.
fn read_bicep_file(path: &Path) -> Result<Vec<Input>, ReadError> {
    let text = azabac::text::read_to_string(path)
        .map_err(|e| ReadError(format!("cannot read {}: {e}", path.display())))?;
    // `loadTextContent()`'s files, read from the Bicep file's directory, no larger than a
    // condition could be analysed from.
    let dir = path.parent().unwrap_or(Path::new(""));
    let load = |relative: &str| -> Option<String> { read_beside(dir, relative) };
    let found = bicep::conditions_with_files(&text, &load).map_err(|e| {
        let (line, column) = azabac::span::line_column(&text, e.offset);
        ReadError(format!(
            "{}: not Bicep azabac can read at line {line} column {column}: {}",
            path.display(),
            e.problem
        ))
    })?;
    let document: Rc<str> = text.into();
    let file = path.display().to_string();
    Ok(found
        .into_iter()
        .map(|mut found| match found.template.take() {
            // A condition kept in a file the Bicep file loads is reported in that file.
            Some(template) => {
                let loaded = dir.join(&template.path).display().to_string();
                let text: Rc<str> = Rc::from(template.text);
                found_input_declared(&loaded, &text, found, &file)
            }
            None => found_input(&file, &document, found),
        })
        .collect())
}

/// A file a host file reads (`templatefile()`, `file()`, `loadTextContent()`), `relative` to
/// `dir`: `None` if it cannot be read, is not UTF-8, or is larger than a condition could be
/// analysed from.
fn read_beside(dir: &Path, relative: &str) -> Option<String> {
    let mut bytes = Vec::new();
    fs::File::open(dir.join(relative))
        .ok()?
        .take(limit())
        .read_to_end(&mut bytes)
        .ok()?;
    (bytes.len() <= MAX_ANALYSED_BYTES).then_some(())?;
    String::from_utf8(azabac::text::strip_bom(&bytes).0.to_vec()).ok()
}

/// One input for a condition found in a host file, named by the file and its resource (or
/// JSON path).
fn found_input(file: &str, document: &Rc<str>, found: Found) -> Input {
    found_input_declared(file, document, found, file)
}

/// [`found_input`] of a condition whose resource is declared in another file than `file`.
fn found_input_declared(file: &str, document: &Rc<str>, found: Found, declared_in: &str) -> Input {
    let name = match found.place.host {
        Host::Json => format!("{file} {}", found.embedded.path),
        _ => format!("{file} {}", found.place.resource),
    };
    let mut input = from_bytes(name, None, found.embedded.text.clone().into_bytes(), None);
    input.origin = Some(Origin {
        file: file.to_owned(),
        document: Rc::clone(document),
        embedded: found.embedded,
        place: found.place,
        declared_in: declared_in.to_owned(),
    });
    input
}

fn limit() -> u64 {
    u64::try_from(MAX_ANALYSED_BYTES)
        .unwrap_or(u64::MAX)
        .saturating_add(1)
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

fn from_bytes(name: String, path: Option<PathBuf>, mut bytes: Vec<u8>, size: Option<u64>) -> Input {
    let mut read_diagnostics = Vec::new();
    // A file or standard input may start with a byte-order mark: not part of the condition.
    let mut bom = false;
    if (path.is_some() || name == "<stdin>") && azabac::text::strip_bom(&bytes).1 {
        bytes.drain(..3);
        bom = true;
        read_diagnostics.push(
            Diagnostic::new(
                Code::ByteOrderMark,
                Span::new(0, 0),
                "the file starts with a UTF-8 byte-order mark, which azabac reads past; Azure \
                 rejects a condition that carries one (AZ0001)",
            )
            .with_help(
                "save the file as UTF-8 without a BOM, or make sure what sends the condition \
                 (`$(cat file)`, `Get-Content`) leaves the mark out",
            ),
        );
    }
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
            bom,
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
        bom,
        origin: None,
    }
}
