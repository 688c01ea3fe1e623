//! `azabac snapshot`: a condition's canonical text, explanation and decision table; with
//! `--check`, compared with its committed record (a unified diff when they differ), and with
//! `--update`, rewritten. Without inputs, `--check` and `--update` take the pairs of condition,
//! requests and snapshot file that `azabac.toml` declares in `[[snapshot]]` entries.

use std::path::{Path, PathBuf};

use clap::Args;

use azabac::Condition;
use azabac::catalog::Catalog;
use azabac::check::Checker;
use azabac::diagnostic::render::{self, HumanOptions};
use azabac::eval::Request;

use super::Status;
use super::config::{ConfigArgs, SnapshotPin};
use super::input::{Input, InputArgs, ResourceArg};
use super::output::{out, outln};

/// Arguments of `azabac snapshot`.
#[derive(Args, Debug)]
pub struct SnapshotArgs {
    #[command(flatten)]
    inputs: InputArgs,
    #[command(flatten)]
    resource: ResourceArg,
    /// Evaluation requests, one JSON object per line (`#` lines and blank lines skipped);
    /// each gets a row `true`/`false`, labelled by its `name` field or its line number.
    #[arg(long, value_name = "REQS.jsonl")]
    requests: Option<PathBuf>,
    /// Extend the attribute catalogue with this JSON file (repeatable).
    #[arg(long, value_name = "FILE")]
    catalog: Vec<PathBuf>,
    /// Compare the record with the committed snapshot FILE (for the one condition given), or,
    /// without a condition, every `[[snapshot]]` of `azabac.toml`; a difference fails with a
    /// unified diff.
    #[arg(long, value_name = "FILE", num_args = 0..=1)]
    check: Option<Option<PathBuf>>,
    /// With `--check`, rewrite the snapshot files that differ instead of failing (alone, the
    /// same as `--check --update`).
    #[arg(long)]
    update: bool,
    #[command(flatten)]
    config: ConfigArgs,
}

/// Why a record could not be made.
enum Failure {
    /// The condition is invalid: its diagnostics, rendered.
    Invalid(String),
    /// A requests file that does not read: the message.
    Requests(String),
}

pub fn run(args: &SnapshotArgs) -> Status {
    let catalog = match super::catalog(&args.catalog) {
        Ok(catalog) => catalog,
        Err(status) => return status,
    };
    let given = !args.inputs.conditions.is_empty() || !args.inputs.files.is_empty();
    let pinned = args.check.is_some() || args.update;
    if !pinned {
        return print(&catalog, args);
    }
    let pins = match (&args.check, given) {
        (Some(Some(file)), true) => vec![Pin::Given(file.clone())],
        (_, true) => {
            eprintln!(
                "error: with a condition given, name its snapshot file: `--check FILE` (and \
                 `--update` to rewrite it)"
            );
            return Status::UsageOrIo;
        }
        (Some(Some(file)), false) => {
            eprintln!(
                "error: `--check {}` compares one condition: give it too (`-f FILE`), or use \
                 `--check` alone for the `[[snapshot]]` entries of azabac.toml",
                file.display()
            );
            return Status::UsageOrIo;
        }
        (_, false) => match args.config.load() {
            Ok(config) if !config.snapshots.is_empty() => {
                config.snapshots.into_iter().map(Pin::Declared).collect()
            }
            Ok(config) => {
                let file = config.source.map_or_else(
                    || "no azabac.toml was found".to_owned(),
                    |p| format!("{} declares none", p.display()),
                );
                eprintln!(
                    "error: no condition given and no `[[snapshot]]` entries ({file}); add \
                     `[[snapshot]]` entries with `condition`, `requests` and `snapshot`, or \
                     give a condition and `--check FILE`"
                );
                return Status::UsageOrIo;
            }
            Err(message) => {
                eprintln!("error: {message}");
                return Status::UsageOrIo;
            }
        },
    };
    let (mut matched, mut differ, mut updated) = (0, 0, 0);
    for pin in &pins {
        let (input, requests, snapshot, name) = match pin {
            Pin::Given(file) => match super::read_one_input(&args.inputs, &args.resource) {
                Ok(input) => (
                    input,
                    args.requests.clone(),
                    file.clone(),
                    file.display().to_string(),
                ),
                Err(status) => return status,
            },
            Pin::Declared(entry) => {
                let inputs = InputArgs {
                    conditions: Vec::new(),
                    files: vec![entry.condition.clone()],
                    exclude: Vec::new(),
                    var_files: args.inputs.var_files.clone(),
                };
                match super::read_one_input(&inputs, &ResourceArg::default()) {
                    Ok(input) => (
                        Input {
                            name: entry.condition_name.clone(),
                            ..input
                        },
                        entry.requests.clone(),
                        entry.snapshot.clone(),
                        entry.name.clone(),
                    ),
                    Err(status) => return status,
                }
            }
        };
        let now = match record(&catalog, &input, requests.as_deref()) {
            Ok(text) => text,
            Err(Failure::Invalid(report)) => {
                out!("{report}");
                return Status::Failure;
            }
            Err(Failure::Requests(message)) => return requests_failed(&message),
        };
        let saved = azabac::text::read(&snapshot).ok();
        let committed = saved.as_ref().map(|s| s.text.replace("\r\n", "\n"));
        // A checkout may turn the file's line endings into CRLF: the record is the same.
        if committed.as_ref() == Some(&now) {
            matched += 1;
            continue;
        }
        if args.update {
            // Written as the file was saved (its line ending), or as the record is.
            let text = saved.map_or_else(|| now.clone(), |saved| saved.restore(&now));
            if let Err(e) = std::fs::write(&snapshot, text) {
                eprintln!("error: cannot write {}: {e}", snapshot.display());
                return Status::UsageOrIo;
            }
            outln!("updated {name}");
            updated += 1;
            continue;
        }
        differ += 1;
        match committed {
            None => outln!(
                "{name}: no snapshot of {} (run `azabac snapshot --update` to write it)",
                input.name
            ),
            Some(committed) => {
                outln!("{name}: the record of {} differs:", input.name);
                let diff = similar::TextDiff::from_lines(&committed, &now);
                out!(
                    "{}",
                    diff.unified_diff()
                        .context_radius(3)
                        .header(&format!("{name} (committed)"), &format!("{name} (now)"))
                );
            }
        }
    }
    if args.update {
        outln!("snapshots: {matched} unchanged, {updated} updated");
        return Status::Success;
    }
    outln!("snapshots: {matched} match, {differ} differ");
    if differ == 0 {
        Status::Success
    } else {
        Status::Failure
    }
}

/// A snapshot to compare: the one given on the command line, or a project file's entry.
enum Pin {
    Given(PathBuf),
    Declared(SnapshotPin),
}

/// `azabac snapshot` without `--check`: the record on standard output.
fn print(catalog: &Catalog, args: &SnapshotArgs) -> Status {
    let input = match super::read_one_input(&args.inputs, &args.resource) {
        Ok(input) => input,
        Err(status) => return status,
    };
    match record(catalog, &input, args.requests.as_deref()) {
        Ok(text) => {
            out!("{text}");
            Status::Success
        }
        Err(Failure::Invalid(report)) => {
            out!("{report}");
            Status::Failure
        }
        Err(Failure::Requests(message)) => requests_failed(&message),
    }
}

/// Reports a requests file that does not read: an unreadable file is an I/O error, a
/// malformed request line is the input's.
fn requests_failed(message: &str) -> Status {
    eprintln!("error: {message}");
    if message.starts_with("cannot read") {
        Status::UsageOrIo
    } else {
        Status::Failure
    }
}

/// The record of `input` over the requests of `requests` (a JSON Lines file).
fn record(catalog: &Catalog, input: &Input, requests: Option<&Path>) -> Result<String, Failure> {
    let requests = match requests {
        Some(path) => read_requests(catalog, path)?,
        None => Vec::new(),
    };
    let checker = Checker::new(catalog);
    Condition::parse(input.text.as_str())
        .check(&checker)
        .map_err(|invalid| invalid.diagnostics().to_vec())
        .and_then(|checked| checked.snapshot(&requests))
        .map_err(|diagnostics| {
            Failure::Invalid(render::human(
                &diagnostics,
                &input.name,
                &input.text,
                HumanOptions { color: false },
            ))
        })
}

/// The labelled requests of a JSON Lines file.
fn read_requests(catalog: &Catalog, path: &Path) -> Result<Vec<(String, Request)>, Failure> {
    let text = azabac::text::read_to_string(path)
        .map_err(|e| Failure::Requests(format!("cannot read {}: {e}", path.display())))?;
    let mut requests = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let at = format!("{}:{}", path.display(), index + 1);
        let mut value = azabac::rbac::read_json(trimmed)
            .map_err(|e| Failure::Requests(format!("{at}: {}", e.message())))?;
        let label = value
            .as_object_mut()
            .and_then(|o| o.remove("name"))
            .and_then(|n| n.as_str().map(str::to_owned))
            .unwrap_or_else(|| format!("line {}", index + 1));
        let request = Request::from_value(&value, catalog)
            .map_err(|e| Failure::Requests(format!("{at}: {e}")))?;
        requests.push((label, request));
    }
    Ok(requests)
}
