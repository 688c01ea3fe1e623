//! `azabac test`: run test suites (`azabac::suite`) and report each failure with its reason
//! and trace, then `N passed, N failed`.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use serde_json::{Value, json};

use azabac::suite::{CaseResult, Suite, SuiteWarning};

use super::Status;
use super::output::outln;

/// Output formats of `test`.
#[derive(Clone, Copy, Debug, Default, ValueEnum)]
pub enum TestFormat {
    /// Failures with their reasons and traces, a line per suite, and the summary.
    #[default]
    Human,
    /// `{"suites": [...], "passed": N, "failed": N}`.
    Json,
    /// GitHub Actions workflow commands: an error annotation on the suite file per failure.
    Github,
    /// A SARIF 2.1.0 log: one `test-failure` result per failing case, on its suite file.
    Sarif,
}

/// Arguments of `azabac test`.
#[derive(Args, Debug)]
pub struct TestArgs {
    /// Suite files, or directories holding `*.test.json` suites (searched recursively).
    #[arg(value_name = "FILE_OR_DIR", required = true)]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    format: TestFormat,
    /// Extend the attribute catalogue with this JSON file (repeatable).
    #[arg(long, value_name = "FILE")]
    catalog: Vec<PathBuf>,
    /// Decide at this instant (RFC 3339, any offset) where a suite gives no `now`; default: the
    /// system clock, read once.
    #[arg(long, value_name = "TIMESTAMP")]
    now: Option<String>,
    /// Also write the JSON report to this file, whatever `--format` prints.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Also write the SARIF report to this file, whatever `--format` prints.
    #[arg(long, value_name = "FILE")]
    sarif: Option<PathBuf>,
}

/// The file name ending of suites found in directories.
const SUITE_SUFFIX: &str = ".test.json";

fn collect(path: &Path, found: &mut Vec<PathBuf>) -> Result<(), String> {
    if !path.is_dir() {
        found.push(path.to_owned());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(|e| format!("cannot read directory {}: {e}", path.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            collect(&entry, found)?;
        } else if entry
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.ends_with(SUITE_SUFFIX))
        {
            found.push(entry);
        }
    }
    Ok(())
}

pub fn run(args: &TestArgs) -> Status {
    let catalog = match super::catalog(&args.catalog) {
        Ok(catalog) => catalog,
        Err(status) => return status,
    };
    let mut files = Vec::new();
    for path in &args.paths {
        if let Err(message) = collect(path, &mut files) {
            eprintln!("error: {message}");
            return Status::UsageOrIo;
        }
    }
    if files.is_empty() {
        eprintln!("error: no `*{SUITE_SUFFIX}` suite found");
        return Status::UsageOrIo;
    }
    let now = match super::clock(args.now.as_deref()) {
        Ok(now) => now,
        Err(status) => return status,
    };
    let mut broken = false;
    let mut results: Vec<Ran> = Vec::new();
    for file in &files {
        match Suite::load(file, &catalog) {
            Ok(suite) => results.push(Ran {
                file: file.clone(),
                cases: suite.run(now),
                warnings: suite.warnings,
            }),
            Err(error) => {
                broken = true;
                match args.format {
                    TestFormat::Github => outln!(
                        "::error file={}::{}",
                        super::github::property(&file.display().to_string()),
                        super::github::data(&format!("{}: {}", error.path, error.message()))
                    ),
                    _ => eprintln!("error: {error}"),
                }
            }
        }
    }
    let passed: usize = results
        .iter()
        .map(|r| r.cases.iter().filter(|c| c.passed).count())
        .sum();
    let failed: usize = results
        .iter()
        .map(|r| r.cases.iter().filter(|c| !c.passed).count())
        .sum();
    match args.format {
        TestFormat::Human => print_human(&results),
        TestFormat::Json => outln!("{}", json_report(&results, passed, failed)),
        TestFormat::Github => print_github(&results),
        TestFormat::Sarif => outln!("{}", sarif_report(&results)),
    }
    // The other reports of the same run, into files.
    if let Some(path) = &args.json
        && let Err(status) = super::write_report(path, &json_report(&results, passed, failed))
    {
        return status;
    }
    if let Some(path) = &args.sarif
        && let Err(status) = super::write_report(path, &sarif_report(&results))
    {
        return status;
    }
    // A suite not read leaves the count meaningless: no summary then (issue 32).
    if !broken && !matches!(args.format, TestFormat::Json | TestFormat::Sarif) {
        outln!("{passed} passed, {failed} failed");
    }
    if broken {
        Status::UsageOrIo
    } else if failed > 0 {
        Status::Failure
    } else {
        Status::Success
    }
}

/// One suite's run: its cases' results and the warnings its reading found.
struct Ran {
    file: PathBuf,
    cases: Vec<CaseResult>,
    warnings: Vec<SuiteWarning>,
}

fn print_human(results: &[Ran]) {
    for Ran {
        file,
        cases,
        warnings,
    } in results
    {
        for warning in warnings {
            outln!(
                "WARN {} {}: {}",
                file.display(),
                warning.path,
                warning.message
            );
        }
        for case in cases {
            for warning in &case.warnings {
                outln!("WARN {} › {}: {warning}", file.display(), case.name);
            }
        }
        for case in cases.iter().filter(|c| !c.passed) {
            outln!(
                "FAIL {} › {}: expected {}, got {}",
                file.display(),
                case.name,
                case.expected,
                case.actual
            );
            if let Some(reason) = &case.reason {
                outln!("  reason: {reason}");
            }
            for line in case.details.lines() {
                outln!("  {line}");
            }
        }
        let failed = cases.iter().filter(|c| !c.passed).count();
        outln!(
            "{}: {} passed{}",
            file.display(),
            cases.len() - failed,
            if failed > 0 {
                format!(", {failed} failed")
            } else {
                String::new()
            }
        );
    }
}

fn json_report(results: &[Ran], passed: usize, failed: usize) -> String {
    let suites: Vec<Value> = results
        .iter()
        .map(
            |Ran {
                 file,
                 cases,
                 warnings,
             }| {
                let cases: Vec<Value> = cases
                .iter()
                .map(|c| {
                    json!({"name": c.name, "passed": c.passed, "expected": c.expected.to_string(),
                           "actual": c.actual.as_str(), "reason": c.reason})
                })
                .collect();
                let warnings: Vec<Value> = warnings
                    .iter()
                    .map(|w| json!({"path": w.path, "message": w.message}))
                    .collect();
                json!({"file": file.display().to_string(), "cases": cases, "warnings": warnings})
            },
        )
        .collect();
    let value = json!({"suites": suites, "passed": passed, "failed": failed});
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

/// The 1-based line and column where a case starts in its suite file, when it can be found.
fn case_position(file: &Path, case: &CaseResult) -> Option<(usize, usize)> {
    let text = azabac::text::read_to_string(file).ok()?;
    let at = azabac::input::embedded::locate(&text, &case.path)?;
    Some(azabac::span::line_column(&text, at))
}

fn print_github(results: &[Ran]) {
    for Ran {
        file,
        cases,
        warnings,
    } in results
    {
        for warning in warnings {
            outln!(
                "::warning file={}::{}",
                super::github::property(&file.display().to_string()),
                super::github::data(&format!("{}: {}", warning.path, warning.message))
            );
        }
        for case in cases.iter().filter(|c| !c.passed) {
            let position = case_position(file, case)
                .map(|(line, column)| format!(",line={line},col={column}"))
                .unwrap_or_default();
            let mut message = format!("expected {}, got {}", case.expected, case.actual);
            if let Some(reason) = &case.reason {
                message.push_str(&format!("\nreason: {reason}"));
            }
            outln!(
                "::error file={}{position},title={}::{}",
                super::github::property(&file.display().to_string()),
                super::github::property(&case.name),
                super::github::data(&message)
            );
        }
    }
}

fn sarif_report(results: &[Ran]) -> String {
    let mut findings = Vec::new();
    for Ran {
        file,
        cases,
        warnings,
    } in results
    {
        for warning in warnings {
            findings.push(super::sarif::Finding {
                rule: "request-never-sent".into(),
                level: "warning",
                message: format!("{}: {}", warning.path, warning.message),
                location: Some(super::sarif::Location {
                    file: file.display().to_string(),
                    region: None,
                }),
            });
        }
        for case in cases.iter().filter(|c| !c.passed) {
            let mut message = format!(
                "{}: expected {}, got {}",
                case.name, case.expected, case.actual
            );
            if let Some(reason) = &case.reason {
                message.push_str(&format!(" ({reason})"));
            }
            findings.push(super::sarif::Finding {
                rule: "test-failure".into(),
                level: "error",
                message,
                location: Some(super::sarif::Location {
                    file: file.display().to_string(),
                    region: case_position(file, case)
                        .map(|(line, column)| (line, column, line, column + 1)),
                }),
            });
        }
    }
    let rules = [
        (
            "test-failure".to_owned(),
            "a test case whose outcome is not the expected one".to_owned(),
        ),
        (
            "request-never-sent".to_owned(),
            "a case's request gives an attribute Azure never sends for its action".to_owned(),
        ),
    ];
    let log = super::sarif::log(&rules, &findings);
    serde_json::to_string_pretty(&log).unwrap_or_default()
}
