//! Where conditions come from: arguments, files (`-f`), directories, standard input (`-`).

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use clap::Args;

use std::sync::Arc;

use azabac::diagnostic::{Code, Diagnostic};
use azabac::input::embedded::Embedded;
use azabac::input::error::Language;
use azabac::input::place::{Host, Place};
use azabac::input::{FileError, Item, Located, Problem};
use azabac::limits::MAX_ANALYSED_BYTES;
use azabac::span::Span;

/// The file extension of a condition file in a directory given to `-f`.
pub const CONDITION_EXTENSION: &str = "cond";

/// The file extension of JSON files (role definitions, role and deny assignments, ARM
/// templates) whose `condition` fields are read, in a directory or given by name.
pub const JSON_EXTENSION: &str = "json";

/// The file extension of Terraform configuration files.
pub const TERRAFORM_EXTENSION: &str = "tf";

/// The file extension of Terraform variable files (`.tfvars.json` ends in `.json`).
pub const TERRAFORM_VARIABLES_EXTENSION: &str = "tfvars";

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
    /// A Terraform variable file whose values the modules read take (repeatable; a later
    /// file's value replaces an earlier one's, after `terraform.tfvars` and `*.auto.tfvars`,
    /// as `terraform -var-file`); what is read through it is not an assumption.
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
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
    /// For a host file the readers could not follow: why, and where (its text is the file's,
    /// not a condition).
    pub unreadable: Option<FileError>,
}

/// Where a condition embedded in a JSON file came from.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The host file, as named on the command line.
    pub file: String,
    /// The file's whole text.
    pub document: Arc<str>,
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
    pub text: Arc<str>,
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
        // A variable file that is not there is a usage error, as a path that does not exist is.
        if let Some(missing) = self.var_files.iter().find(|path| !path.is_file()) {
            return Err(ReadError(format!(
                "--var-file {}: no such file",
                missing.display()
            )));
        }
        let options = azabac::input::Options::default().var_files(self.var_files.clone());
        read_paths(&paths, &options, &mut inputs, documents)?;
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
                        TERRAFORM_VARIABLES_EXTENSION,
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

/// The file system, as the library's readers reach it.
struct Disk;

impl azabac::input::Files for Disk {
    fn read(&self, path: &Path, limit: usize) -> io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        fs::File::open(path)?
            .take(u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1))
            .read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    fn list(&self, dir: &Path) -> io::Result<Vec<PathBuf>> {
        let listing = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let mut paths = Vec::new();
        for entry in fs::read_dir(listing)? {
            let entry = entry?;
            if entry.file_type().is_ok_and(|t| t.is_file()) {
                paths.push(dir.join(entry.file_name()));
            }
        }
        Ok(paths)
    }
}

/// Reads every file through the library's one entry point: conditions files whole, host files
/// for their conditions, a file not read as an input of its own that carries its error.
fn read_paths(
    paths: &[PathBuf],
    options: &azabac::input::Options,
    inputs: &mut Vec<Input>,
    documents: &mut Vec<Document>,
) -> Result<(), ReadError> {
    let read = azabac::input::read_with(paths, &Disk, options);
    // A file that cannot be opened at all is a usage error, as a path that does not exist is.
    if let Some(error) = read.errors().find(|error| error.is_unopened()) {
        return Err(ReadError(format!(
            "cannot read {}: {}",
            error.file.display(),
            match &error.problem {
                azabac::input::Problem::Unopened(reason) => reason.as_str(),
                _ => "",
            }
        )));
    }
    for item in read.items {
        match item {
            Item::Condition(file) => {
                // A file too large to read whole: its size, for the report.
                let size = (file.bytes.len() > MAX_ANALYSED_BYTES)
                    .then(|| fs::metadata(&file.file).ok().map(|m| m.len()))
                    .flatten();
                inputs.push(from_bytes(
                    file.file.display().to_string(),
                    Some(file.file),
                    file.bytes,
                    size,
                ));
            }
            Item::Found(located) => inputs.push(found_input(*located)),
            Item::Unread(error) => inputs.push(unread_input(error)),
        }
    }
    documents.extend(read.documents.into_iter().map(|document| Document {
        file: document.file.display().to_string(),
        text: document.text,
    }));
    Ok(())
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

/// One input for a condition found in a host file, named by the file and its resource (or
/// JSON path).
fn found_input(located: Located) -> Input {
    let Located {
        file,
        document,
        found,
        declared_in,
        ..
    } = located;
    let file = file.display().to_string();
    let name = match found.place.host {
        Host::Json => format!("{file} {}", found.embedded.path),
        _ => format!("{file} {}", found.place.resource),
    };
    let mut input = from_bytes(name, None, found.embedded.text.clone().into_bytes(), None);
    input.origin = Some(Origin {
        file,
        document,
        embedded: found.embedded,
        place: found.place,
        declared_in: declared_in.display().to_string(),
    });
    input
}

/// The input that stands for a host file the readers could not follow: the file's text, not
/// parsed, with one error diagnostic where the reader stopped.
fn unread_input(error: FileError) -> Input {
    // The text the reader read, to show the line (a file not read is shown by its name).
    let text = error.text.as_deref().unwrap_or_default().to_owned();
    let at = azabac::span::floor_char_boundary(&text, error.offset);
    let diagnostic = Diagnostic::new(
        Code::HostFileUnread,
        Span::new(at, at),
        error.problem.to_string(),
    )
    .with_help(help_for(&error.problem));
    Input {
        name: error.file.display().to_string(),
        path: Some(error.file.clone()),
        text,
        read_diagnostics: vec![diagnostic],
        unread: true,
        bom: false,
        origin: None,
        unreadable: Some(error),
    }
}

/// What to do about a file the readers could not follow.
fn help_for(problem: &Problem) -> String {
    let others = "the conditions of the other files are checked";
    match problem {
        Problem::Budget { .. } | Problem::TooLarge { .. } => format!(
            "azabac reads no further than its budgets for a host file (docs/error-codes.md, \
             azabac's limits); {others}"
        ),
        Problem::NotUtf8 => format!("save the file as UTF-8; {others}"),
        // azabac's JSON (with comments, as ARM reads it) and HCL parsers read the whole
        // language: the file is broken.
        Problem::Syntax {
            language: Language::Json | Language::Hcl,
            ..
        } => format!(
            "the file is not valid where the parser stopped; leave it out with `--exclude` if it \
             is not meant to be read; {others}"
        ),
        _ => format!(
            "if the file deploys as it is, this is a construct azabac's reader does not \
             follow yet: please report it; {others}"
        ),
    }
}

fn limit() -> u64 {
    u64::try_from(MAX_ANALYSED_BYTES)
        .unwrap_or(u64::MAX)
        .saturating_add(1)
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
            unreadable: None,
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
        unreadable: None,
    }
}

/// Which condition of a host file a command that works on one condition takes.
#[derive(Args, Debug, Clone, Default)]
pub struct ResourceArg {
    /// The condition of this resource, as `check --format json` names it in `"resource"`
    /// (`azurerm_role_assignment.reader`, `module.storage.role_assignments["reader"]`,
    /// `perReader[0]`, `$.resources[0]`), or its symbolic name alone where that is unique
    /// (`reader`, `perReader`).
    #[arg(long, value_name = "ADDRESS")]
    pub resource: Option<String>,
}

impl ResourceArg {
    /// The inputs this argument selects: without it, all; with it, the condition whose
    /// resource is `ADDRESS`, or the one whose symbolic name it is. A miss is an error naming
    /// the resources found, with the nearest as a did-you-mean.
    pub fn select(&self, inputs: Vec<Input>) -> Result<Vec<Input>, String> {
        let Some(wanted) = self.resource.as_deref() else {
            return Ok(inputs);
        };
        let resource = |input: &Input| input.origin.as_ref().map(|o| o.place.resource.clone());
        if inputs
            .iter()
            .any(|i| resource(i).as_deref() == Some(wanted))
        {
            return Ok(inputs
                .into_iter()
                .filter(|i| resource(i).as_deref() == Some(wanted))
                .collect());
        }
        let symbolic: Vec<usize> = inputs
            .iter()
            .enumerate()
            .filter(|(_, i)| resource(i).is_some_and(|r| names_resource(&r, wanted)))
            .map(|(index, _)| index)
            .collect();
        let names: Vec<String> = inputs.iter().filter_map(resource).collect();
        match symbolic.as_slice() {
            [_] => Ok(inputs
                .into_iter()
                .enumerate()
                .filter(|(index, _)| symbolic.contains(index))
                .map(|(_, input)| input)
                .collect()),
            [] => {
                let near =
                    azabac::diagnostic::suggest::closest(wanted, names.iter().map(String::as_str));
                Err(format!(
                    "no resource `{wanted}` holds a condition{}{}",
                    near.map(|n| format!(" (did you mean `{n}`?)"))
                        .unwrap_or_default(),
                    listed(&inputs)
                ))
            }
            _ => Err(format!(
                "`{wanted}` names {} resources; give one whole{}",
                symbolic.len(),
                listed(&inputs)
            )),
        }
    }
}

/// Whether `name` is one of a resource's names, its instance keys left out
/// (`azurerm_role_assignment.reader["logs"]`: `azurerm_role_assignment`, `reader`;
/// `writers[0].assignment`: `writers`, `assignment`).
fn names_resource(resource: &str, name: &str) -> bool {
    let mut bare = String::with_capacity(resource.len());
    let mut depth = 0usize;
    for c in resource.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => bare.push(c),
            _ => {}
        }
    }
    bare.split('.').any(|segment| segment == name)
}

/// The conditions found, one a line (`  RESOURCE (FILE:LINE)`), after a heading line.
pub fn listed(inputs: &[Input]) -> String {
    let mut out = String::from("; the conditions found:");
    for input in inputs {
        match &input.origin {
            Some(origin) => out.push_str(&format!(
                "\n  {} ({}:{})",
                origin.place.resource, origin.file, origin.place.line
            )),
            None => out.push_str(&format!("\n  {}", input.name)),
        }
    }
    out
}
