//! The reports of `check`: human, summary, JSON, GitHub workflow commands and SARIF.

use serde_json::{Value, json};

use azabac::diagnostic::Severity;
use azabac::diagnostic::render::{self, HumanOptions};
use azabac::input::place::Host;

use super::super::output::{out, outln};
use super::CheckArgs;
use super::findings::{Checked, Placed};

/// What became of one condition, for the report's lines.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Valid,
    Invalid,
    NotCheckable,
    /// A host file the readers could not follow.
    Unread,
}

/// Counts of conditions and findings, for the summary lines.
#[derive(Default)]
struct Tally {
    conditions: usize,
    valid: usize,
    invalid: usize,
    unchecked: usize,
    unread: usize,
    errors: usize,
    warnings: usize,
}

impl Tally {
    /// Counts `result` and says what became of it.
    fn add(&mut self, result: &Checked, deny_warnings: bool) -> Verdict {
        let (e, w) = (
            result.count(Severity::Error),
            result.count(Severity::Warning),
        );
        self.errors += e;
        self.warnings += w;
        if result.input.unreadable.is_some() {
            self.unread += 1;
            return Verdict::Unread;
        }
        self.conditions += 1;
        let verdict = if !result.unresolved().is_empty() && e == 0 {
            Verdict::NotCheckable
        } else if result.valid(deny_warnings) {
            Verdict::Valid
        } else {
            Verdict::Invalid
        };
        match verdict {
            Verdict::Valid => self.valid += 1,
            Verdict::Invalid => self.invalid += 1,
            Verdict::NotCheckable => self.unchecked += 1,
            Verdict::Unread => {}
        }
        verdict
    }

    /// `V valid, I invalid[, U not checkable offline][, F files not read][ (E errors, W
    /// warnings)]`.
    fn counts(&self) -> String {
        let unchecked = match self.unchecked {
            0 => String::new(),
            n => format!(", {n} not checkable offline"),
        };
        let unread = match self.unread {
            0 => String::new(),
            1 => ", 1 file not read".to_owned(),
            n => format!(", {n} files not read"),
        };
        format!(
            "{} valid, {} invalid{unchecked}{unread}{}",
            self.valid,
            self.invalid,
            counts(self.errors, self.warnings)
        )
    }

    /// The last line of a report.
    fn total_line(&self) -> String {
        let plural = if self.conditions == 1 { "" } else { "s" };
        format!(
            "checked {} condition{plural}: {}",
            self.conditions,
            self.counts()
        )
    }
}

/// The summary: per argument given, its counts and each invalid condition's first error, then
/// the total line of the human report.
pub(super) fn print_summary(results: &[Checked], args: &CheckArgs) {
    // Each input under the first argument whose path it is below; conditions given inline
    // under `<arguments>`.
    let given: Vec<String> = args
        .inputs
        .conditions
        .iter()
        .filter(|c| std::path::Path::new(c.as_str()).exists())
        .cloned()
        .chain(args.inputs.files.iter().map(|f| f.display().to_string()))
        .collect();
    let group_of = |result: &Checked| -> String {
        let file = match (&result.input.origin, &result.input.path) {
            (Some(origin), _) => std::path::PathBuf::from(&origin.file),
            (None, Some(path)) => path.clone(),
            (None, None) => return "<arguments>".to_owned(),
        };
        given
            .iter()
            .find(|g| file.starts_with(g.as_str()))
            .cloned()
            .unwrap_or_else(|| file.display().to_string())
    };
    let mut groups: Vec<(String, Vec<&Checked>)> = Vec::new();
    for result in results {
        let group = group_of(result);
        match groups.iter_mut().find(|(g, _)| *g == group) {
            Some((_, members)) => members.push(result),
            None => groups.push((group, vec![result])),
        }
    }
    let mut total = Tally::default();
    for (group, members) in &groups {
        let mut tally = Tally::default();
        let mut invalid = Vec::new();
        for result in members {
            total.add(result, args.deny_warnings);
            if matches!(
                tally.add(result, args.deny_warnings),
                Verdict::Invalid | Verdict::Unread
            ) {
                invalid.push(*result);
            }
        }
        let plural = if tally.conditions == 1 { "" } else { "s" };
        outln!(
            "{group}: {} condition{plural}, {}",
            tally.conditions,
            tally.counts()
        );
        for result in invalid {
            outln!("  {}", first_error(result));
        }
    }
    outln!("{}", total.total_line());
}

/// `FILE:LINE:COL[ (RESOURCE)]: CODE message` of a condition's first error (or finding).
fn first_error(result: &Checked) -> String {
    let located = result.located();
    let first = located
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error)
        .or_else(|| located.diagnostics.first());
    let Some(d) = first else {
        return result.input.name.clone();
    };
    let (line, column) = azabac::span::line_column(located.source, d.span.start());
    let resource = result
        .input
        .origin
        .as_ref()
        .map_or_else(String::new, |o| format!(" ({})", o.place.resource));
    format!(
        "{}:{line}:{column}{resource}: {} {}",
        located.name, d.code, d.message
    )
}

pub(super) fn print_human(results: &[Checked], args: &CheckArgs) {
    let options = HumanOptions {
        color: args.color.enabled(),
    };
    let mut tally = Tally::default();
    for result in results {
        let located = result.located();
        let report = render::human(&located.diagnostics, located.name, located.source, options);
        out!("{report}");
        let verdict = tally.add(result, args.deny_warnings);
        let (e, w) = (
            result.count(Severity::Error),
            result.count(Severity::Warning),
        );
        match verdict {
            Verdict::NotCheckable => match result.slot() {
                Some(_) => outln!(
                    "{}: not checkable offline (a condition slot){}",
                    result.input.name,
                    counts(e, w)
                ),
                None => outln!("{}: not checkable offline", result.input.name),
            },
            Verdict::Valid => outln!("{}: valid{}", result.input.name, counts(e, w)),
            Verdict::Invalid => outln!("{}: invalid{}", result.input.name, counts(e, w)),
            Verdict::Unread => outln!("{}: not read{}", result.input.name, counts(e, w)),
        }
    }
    if results.len() > 1 {
        outln!("{}", tally.total_line());
    }
}

fn counts(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    match (errors, warnings) {
        (0, 0) => String::new(),
        (e, 0) => format!(" ({})", plural(e, "error")),
        (0, w) => format!(" ({})", plural(w, "warning")),
        (e, w) => format!(" ({}, {})", plural(e, "error"), plural(w, "warning")),
    }
}

pub(super) fn json_report(results: &[Checked], deny_warnings: bool) -> String {
    let objects: Vec<Value> = results
        .iter()
        .map(|result| {
            let located = result.located();
            // Not checkable: `null`, unless something certain is already wrong.
            let valid = match result.unresolved() {
                [] => json!(result.valid(deny_warnings)),
                _ if result.count(Severity::Error) > 0 => json!(false),
                _ => Value::Null,
            };
            let mut object = json!({
                "input": result.input.name,
                "valid": valid,
                "diagnostics": render::json_diagnostics(&located.diagnostics, located.source),
            });
            // A host file not read: the file and where its reader stopped.
            if let (Some(error), Value::Object(fields)) = (&result.input.unreadable, &mut object) {
                fields.insert("file".into(), json!(error.file.display().to_string()));
                fields.insert("line".into(), json!(error.line));
                fields.insert("column".into(), json!(error.column));
            }
            // A condition from a host file: which file, host, resource and line; offsets,
            // lines and columns are the file's. Not checkable: what it depends on.
            if let (Some(origin), Value::Object(fields)) = (&result.input.origin, &mut object) {
                let place = &origin.place;
                fields.insert("file".into(), json!(origin.file));
                fields.insert("host".into(), json!(place.host.as_str()));
                fields.insert("resource".into(), json!(place.resource));
                fields.insert("line".into(), json!(place.line));
                if place.host == Host::Json || place.host == Host::Arm {
                    fields.insert("jsonPath".into(), json!(origin.embedded.path));
                }
                if !place.unresolved.is_empty() {
                    fields.insert("unresolved".into(), json!(place.unresolved));
                }
                if let Some(slot) = result.slot() {
                    fields.insert("slot".into(), json!(slot));
                }
                if !result.open.is_empty() {
                    fields.insert("open".into(), json!(result.open));
                }
                if !place.assumed.is_empty() {
                    fields.insert("assumed".into(), json!(place.assumed));
                }
            }
            object
        })
        .collect();
    super::super::json_per_input(objects)
}

/// One workflow command per diagnostic. Inputs without a file (arguments, standard input)
/// are annotated without one, which GitHub shows on the run.
pub(super) fn print_github(results: &[Checked], deny_warnings: bool) {
    let mut tally = Tally::default();
    for result in results {
        tally.add(result, deny_warnings);
        for placed in result.placed() {
            let Placed {
                diagnostic,
                file,
                region: (line, column, end_line, end_column),
            } = placed;
            // GitHub's three annotation levels are `error`, `warning` and `notice`.
            let level = match diagnostic.severity {
                Severity::Note => "notice",
                other => other.as_str(),
            };
            let mut properties = Vec::new();
            if let Some(file) = &file {
                properties.push(format!("file={}", super::super::github::property(file)));
            }
            properties.push(format!("line={line}"));
            properties.push(format!("col={column}"));
            properties.push(format!("endLine={end_line}"));
            properties.push(format!("endColumn={end_column}"));
            properties.push(format!(
                "title={}",
                super::super::github::property(&format!(
                    "{} {}",
                    diagnostic.code.as_str(),
                    result.input.name
                ))
            ));
            let message = match &diagnostic.help {
                Some(help) => format!("{}\n{help}", diagnostic.message),
                None => diagnostic.message.clone(),
            };
            outln!(
                "::{level} {}::{}",
                properties.join(","),
                super::super::github::data(&message)
            );
        }
    }
    // The run's summary, also when nothing was found: a step that printed nothing reads as
    // one that did not run.
    outln!(
        "::notice title=azabac::{}",
        super::super::github::data(&tally.total_line())
    );
}

/// One SARIF log for every input; rules are the codes that occur.
pub(super) fn sarif_report(results: &[Checked]) -> String {
    let mut codes = Vec::new();
    let mut findings = Vec::new();
    for result in results {
        for placed in result.placed() {
            let Placed {
                diagnostic,
                file,
                region: (line, column, end_line, end_column),
            } = placed;
            if !codes.contains(&diagnostic.code) {
                codes.push(diagnostic.code);
            }
            let mut message = format!("{}: {}", result.input.name, diagnostic.message);
            if let Some(help) = &diagnostic.help {
                message.push_str(&format!(" ({help})"));
            }
            findings.push(super::super::sarif::Finding {
                rule: diagnostic.code.as_str().to_owned(),
                level: diagnostic.severity.as_str(),
                message,
                location: file.clone().map(|file| super::super::sarif::Location {
                    file,
                    region: Some((line, column, end_line, end_column)),
                }),
            });
        }
    }
    codes.sort_by_key(|c| c.as_str());
    let rules: Vec<(String, String)> = codes
        .iter()
        .map(|c| (c.as_str().to_owned(), c.title().to_owned()))
        .collect();
    let log = super::super::sarif::log(&rules, &findings);
    serde_json::to_string_pretty(&log).unwrap_or_default()
}
