//! `azabac.toml`, the project file: found from the working directory upwards (or named with
//! `--config`, or ignored with `--no-config`). `[check]` sets which warnings are raised to
//! errors (`deny`) or silenced (`allow`), by code or category, and `[[check.suppress]]` silences
//! one code where a reviewed condition draws it (conditions have no comment syntax):
//!
//! ```toml
//! [check]
//! deny = ["widens-access"]
//! allow = ["AZ0102"]
//!
//! [[check.suppress]]
//! file = "roles/platform.json"       # relative to azabac.toml
//! path = "$[0].properties.condition" # optional: one condition of a JSON file
//! # or: resource = "/subscriptions/…/roleAssignments/…" (the id or name of what holds it)
//! code = "AZ0315"
//! reason = "deny-list reviewed in SEC-123"
//!
//! [terraform]
//! var_files = ["envs/prod.tfvars"]   # as `--var-file`, before the command line's
//!
//! [[snapshot]]                          # what `azabac snapshot --check` compares
//! condition = "conditions/delegation.cond"
//! requests = "delegation-requests.jsonl" # optional
//! snapshot = "snapshots/delegation.snap"
//! ```

use std::cell::Cell;
use std::path::{Path, PathBuf};

use clap::Args;
use serde::Deserialize;

use azabac::diagnostic::policy::Policy;
use azabac::diagnostic::{Code, Diagnostic, Severity};

use azabac::input::owner::holder_names;

use super::input::Input;

/// The project file's name.
pub const FILE_NAME: &str = "azabac.toml";

/// Where the project file comes from.
#[derive(Args, Debug, Clone)]
pub struct ConfigArgs {
    /// Read this project file instead of the `azabac.toml` found from the working directory
    /// upwards.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Read no project file.
    #[arg(long)]
    no_config: bool,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    check: CheckSection,
    #[serde(default)]
    snapshot: Vec<SnapshotEntry>,
    #[serde(default)]
    terraform: TerraformSection,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct TerraformSection {
    #[serde(default)]
    var_files: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SnapshotEntry {
    condition: String,
    #[serde(default)]
    requests: Option<String>,
    snapshot: String,
}

/// One `[[snapshot]]` entry: a condition file, its requests, and the committed record of
/// both, each path resolved against the project file's directory.
#[derive(Debug, Clone)]
pub struct SnapshotPin {
    /// The condition's file.
    pub condition: PathBuf,
    /// The requests file (`snapshot --requests`), if any.
    pub requests: Option<PathBuf>,
    /// The committed snapshot file.
    pub snapshot: PathBuf,
    /// The snapshot file as written in the project file, for messages.
    pub name: String,
    /// The condition's file as written in the project file, for messages.
    pub condition_name: String,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct CheckSection {
    #[serde(default)]
    deny: Vec<String>,
    #[serde(default)]
    allow: Vec<String>,
    #[serde(default)]
    suppress: Vec<SuppressEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SuppressEntry {
    file: String,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    resource: Option<String>,
    code: String,
    #[serde(default)]
    reason: Option<String>,
}

/// One `[[check.suppress]]` entry, resolved, or one `azabac:suppress` comment.
#[derive(Debug)]
pub struct Suppression {
    /// Where it is written.
    source: Written,
    /// The file (or directory) it covers: for an entry, resolved against the project file's
    /// directory; for a comment, its own file.
    file: PathBuf,
    /// As written, for messages.
    file_text: String,
    /// The JSON path of one condition in the file, if it names one.
    path: Option<String>,
    /// The id or name of the resource holding the condition (an assignment's id, a role's
    /// name, a Terraform address, a Bicep symbolic name), if it names one.
    resource: Option<String>,
    code: Code,
    used: Cell<bool>,
}

/// Where a suppression is written.
#[derive(Debug, PartialEq, Eq)]
enum Written {
    /// The project file's `[[check.suppress]]` entry of this number, from 1.
    Entry(usize),
    /// A comment on this 1-based line of a Terraform or Bicep file.
    Comment(usize),
}

/// The project configuration `check` applies.
#[derive(Debug, Default)]
pub struct Config {
    /// The file it was read from, if any.
    pub source: Option<PathBuf>,
    /// The severities from `[check]` and the command line.
    pub policy: Policy,
    suppressions: Vec<Suppression>,
    /// The `[[snapshot]]` entries.
    pub snapshots: Vec<SnapshotPin>,
    /// `[terraform] var_files`, resolved against the project file's directory: applied before
    /// the command line's `--var-file`s.
    pub var_files: Vec<PathBuf>,
}

impl ConfigArgs {
    /// The project file these arguments select, read; `Ok(Config::default())` when there is
    /// none. A file that does not read is an error naming it.
    pub fn load(&self) -> Result<Config, String> {
        let path = match (&self.config, self.no_config) {
            (_, true) => return Ok(Config::default()),
            (Some(path), false) => path.clone(),
            (None, false) => match find_upwards() {
                Some(path) => path,
                None => return Ok(Config::default()),
            },
        };
        let text = azabac::text::read_to_string(&path)
            .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        Config::parse(&text, &path).map_err(|e| format!("`{}`: {e}", path.display()))
    }
}

/// `azabac.toml` in the working directory or the nearest directory above it.
fn find_upwards() -> Option<PathBuf> {
    let start = std::env::current_dir().ok()?;
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|candidate| candidate.is_file())
}

impl Config {
    fn parse(text: &str, path: &Path) -> Result<Config, String> {
        let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut policy = Policy::default();
        for text in &file.check.deny {
            policy
                .deny(text)
                .map_err(|e| format!("[check] deny: {e}"))?;
        }
        for text in &file.check.allow {
            policy
                .allow(text)
                .map_err(|e| format!("[check] allow: {e}"))?;
        }
        let base = path.parent().unwrap_or(Path::new("."));
        let suppressions = file
            .check
            .suppress
            .into_iter()
            .enumerate()
            .map(|(i, entry)| Suppression::new(i + 1, entry, base))
            .collect::<Result<_, _>>()?;
        let snapshots = file
            .snapshot
            .into_iter()
            .map(|entry| SnapshotPin {
                condition: base.join(&entry.condition),
                requests: entry.requests.map(|r| base.join(r)),
                snapshot: base.join(&entry.snapshot),
                name: entry.snapshot,
                condition_name: entry.condition,
            })
            .collect();
        let var_files = file
            .terraform
            .var_files
            .iter()
            .map(|file| base.join(file))
            .collect();
        Ok(Config {
            source: Some(path.to_owned()),
            policy,
            suppressions,
            snapshots,
            var_files,
        })
    }

    /// Adds the command line's `--deny` and `--allow` to the file's.
    pub fn extend(&mut self, deny: &[String], allow: &[String]) -> Result<(), String> {
        for text in deny {
            self.policy.deny(text).map_err(|e| format!("--deny: {e}"))?;
        }
        for text in allow {
            self.policy
                .allow(text)
                .map_err(|e| format!("--allow: {e}"))?;
        }
        Ok(())
    }

    /// Adds the `azabac:suppress` comments of the Terraform and Bicep files read, each once.
    /// A comment without a reason, or whose code is unknown or an error, is an error naming
    /// its file and line.
    pub fn add_comments(&mut self, inputs: &[Input]) -> Result<(), String> {
        for input in inputs {
            let Some(origin) = &input.origin else {
                continue;
            };
            for comment in &origin.place.suppressions {
                let file = normalise(Path::new(&origin.declared_in));
                if self
                    .suppressions
                    .iter()
                    .any(|s| s.source == Written::Comment(comment.line) && s.file == file)
                {
                    continue;
                }
                let at = format!("{}:{}: `azabac:suppress`", origin.declared_in, comment.line);
                let code = checked_code(&at, &comment.code, Some(&comment.reason))?;
                self.suppressions.push(Suppression {
                    source: Written::Comment(comment.line),
                    file,
                    file_text: origin.declared_in.clone(),
                    path: None,
                    resource: None,
                    code,
                    used: Cell::new(false),
                });
            }
        }
        Ok(())
    }

    /// Drops the suppressed findings about `input` and applies the policy to the rest.
    pub fn apply(&self, input: &Input, diagnostics: &mut Vec<Diagnostic>) {
        diagnostics.retain(|d| {
            // An error is what Azure rejects: no suppression hides it.
            if d.severity == Severity::Error {
                return true;
            }
            let suppression = self.suppressions.iter().find(|s| s.covers(input, d.code));
            if let Some(suppression) = suppression {
                suppression.used.set(true);
            }
            suppression.is_none()
        });
        self.policy.apply(diagnostics);
    }

    /// The suppressions that matched nothing, as warnings to print.
    pub fn unused(&self) -> Vec<String> {
        let source = self
            .source
            .as_ref()
            .map_or_else(String::new, |p| p.display().to_string());
        self.suppressions
            .iter()
            .filter(|s| !s.used.get())
            .map(|s| {
                let at = match (&s.path, &s.resource) {
                    (Some(p), _) => format!(" at `{p}`"),
                    (None, Some(r)) => format!(" for `{r}`"),
                    (None, None) => String::new(),
                };
                match s.source {
                    Written::Entry(index) => format!(
                        "{source}: [[check.suppress]] #{index} ({} in `{}`{at}) suppressed \
                         nothing; remove it",
                        s.code, s.file_text
                    ),
                    Written::Comment(line) => format!(
                        "{}:{line}: `azabac:suppress {}` suppressed nothing; remove it",
                        s.file_text, s.code
                    ),
                }
            })
            .collect()
    }
}

impl Suppression {
    fn new(index: usize, entry: SuppressEntry, base: &Path) -> Result<Suppression, String> {
        let at = format!("[[check.suppress]] #{index}");
        let code = checked_code(&at, &entry.code, entry.reason.as_deref())?;
        Ok(Suppression {
            source: Written::Entry(index),
            file: normalise(&base.join(&entry.file)),
            file_text: entry.file,
            path: entry.path,
            resource: entry.resource,
            code,
            used: Cell::new(false),
        })
    }

    /// Whether this entry silences `code` in `input`: the input's file is the entry's file or
    /// below its directory, and, when the entry names a JSON path, the condition sits there;
    /// a comment, when it belongs to the declaration that holds the condition.
    fn covers(&self, input: &Input, code: Code) -> bool {
        if code != self.code {
            return false;
        }
        if let Written::Comment(line) = self.source {
            return input.origin.as_ref().is_some_and(|origin| {
                origin.place.suppressions.iter().any(|c| c.line == line)
                    && normalise(Path::new(&origin.declared_in)) == self.file
            });
        }
        let file = match (&input.path, &input.origin) {
            (Some(path), _) => path.clone(),
            (None, Some(origin)) => PathBuf::from(&origin.file),
            (None, None) => return false,
        };
        if !normalise(&file).starts_with(&self.file) {
            return false;
        }
        let Some(origin) = &input.origin else {
            return self.path.is_none() && self.resource.is_none();
        };
        if self
            .path
            .as_ref()
            .is_some_and(|p| *p != origin.embedded.path)
        {
            return false;
        }
        match &self.resource {
            None => true,
            Some(resource) if origin.place.resource == *resource => true,
            // A resource named without its instance key covers each instance of its
            // `for_each` or loop (`….reader` covers `….reader["logs"]`, `perReader[0]`).
            Some(resource)
                if origin
                    .place
                    .resource
                    .strip_prefix(resource.as_str())
                    .is_some_and(|key| key.starts_with('[')) =>
            {
                true
            }
            Some(resource) => serde_json::from_str(&origin.document)
                .map(|document| holder_names(&document, &origin.embedded.path))
                .is_ok_and(|names| names.iter().any(|n| n.eq_ignore_ascii_case(resource))),
        }
    }
}

/// The code a suppression names, if it may be suppressed: a known code that is not an error,
/// with a reason given.
fn checked_code(at: &str, code: &str, reason: Option<&str>) -> Result<Code, String> {
    let code = Code::from_name(code).ok_or_else(|| {
        format!("{at}: `{code}` is not a diagnostic code (write `azabac:suppress AZ0000 reason`)")
    })?;
    if code.default_severity() == Severity::Error {
        return Err(format!(
            "{at}: {code} is an error, and an error cannot be suppressed: it means Azure \
             rejects the condition"
        ));
    }
    if reason.map(str::trim).unwrap_or("").is_empty() {
        return Err(format!(
            "{at}: a suppression needs a `reason`, so that the next reader knows why {code} \
             is accepted here"
        ));
    }
    Ok(code)
}

/// `path` made absolute and canonical when it exists, so that `./a/../b.json` and `b.json`
/// are one file.
fn normalise(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|dir| dir.join(path))
            .unwrap_or_else(|_| path.to_owned())
    })
}
