//! Renderers: ariadne reports for people, JSON objects for tools.

use std::ops::Range;

use ariadne::{Color, Config, IndexType, Label as AriadneLabel, Report, ReportKind, Source};
use serde_json::{Value, json};

use super::{Diagnostic, Severity, has_azure_errors};
use crate::span::{Span, floor_char_boundary, line_column};

/// What Azure answers for every invalid condition (decision 22): printed once under the reports
/// of an input that has errors, so people can match azabac's findings to Azure's message.
pub const AZURE_REJECTION_NOTE: &str = "note: Azure would reject this condition with \
     `InvalidRoleAssignmentCondition` (\"The given role assignment condition is invalid.\")";

/// Options for the human renderer.
#[derive(Clone, Copy, Debug, Default)]
pub struct HumanOptions {
    /// Emit ANSI colours.
    pub color: bool,
}

/// Renders `diagnostics` about `source` (named `name` in the report headers) as ariadne reports,
/// followed by [`AZURE_REJECTION_NOTE`] when any of them is an error Azure raises (not a warning
/// raised by a policy).
pub fn human(
    diagnostics: &[Diagnostic],
    name: &str,
    source: &str,
    options: HumanOptions,
) -> String {
    let mut out = Vec::new();
    for diagnostic in diagnostics {
        write_report(&mut out, diagnostic, name, source, options);
    }
    let mut text = String::from_utf8_lossy(&out).into_owned();
    if has_azure_errors(diagnostics) {
        text.push_str(AZURE_REJECTION_NOTE);
        text.push('\n');
    }
    text
}

fn write_report(
    out: &mut Vec<u8>,
    diagnostic: &Diagnostic,
    name: &str,
    source: &str,
    options: HumanOptions,
) {
    let (kind, color) = match diagnostic.severity {
        Severity::Error => (ReportKind::Error, Color::Red),
        Severity::Warning => (ReportKind::Warning, Color::Yellow),
        Severity::Note => (ReportKind::Custom("Note", Color::Cyan), Color::Cyan),
    };
    let primary = display_range(diagnostic.span, source);
    let config = Config::default()
        .with_color(options.color)
        .with_index_type(IndexType::Byte);
    let mut report = Report::build(kind, (name, primary.clone()))
        .with_config(config)
        .with_code(diagnostic.code.as_str())
        .with_message(&diagnostic.message)
        .with_label(
            AriadneLabel::new((name, primary))
                .with_message(&diagnostic.message)
                .with_color(color)
                .with_order(0),
        );
    for (index, label) in diagnostic.labels.iter().enumerate() {
        report = report.with_label(
            AriadneLabel::new((name, display_range(label.span, source)))
                .with_message(&label.message)
                .with_color(Color::Blue)
                .with_order(i32::try_from(index).unwrap_or(i32::MAX).saturating_add(1)),
        );
    }
    if let Some(help) = &diagnostic.help {
        report = report.with_help(help);
    }
    // Writing into a Vec cannot fail for I/O reasons; if ariadne itself reports a failure we
    // fall back to a plain line so that no finding is ever lost.
    if report
        .finish()
        .write((name, Source::from(source)), &mut *out)
        .is_err()
    {
        let (line, column) = line_column(source, diagnostic.span.start());
        out.extend_from_slice(
            format!(
                "{}[{}]: {} at {name}:{line}:{column}\n",
                diagnostic.severity.as_str(),
                diagnostic.code,
                diagnostic.message
            )
            .as_bytes(),
        );
    }
}

/// A range ariadne can draw: inside the source, and at least one character wide where the
/// source has one (an empty span at the end of input points at the last character).
fn display_range(span: Span, source: &str) -> Range<usize> {
    let len = source.len();
    let start = floor_char_boundary(source, span.start().min(len));
    let end = floor_char_boundary(source, span.end().min(len)).max(start);
    if start < end {
        return start..end;
    }
    if let Some(next) = source.get(start..).and_then(|rest| rest.chars().next()) {
        return start..start + next.len_utf8();
    }
    match source
        .get(..start)
        .and_then(|before| before.char_indices().next_back())
    {
        Some((index, _)) => index..start,
        None => 0..0,
    }
}

/// One diagnostic as a JSON object:
/// `{"code", "severity", "message", "start", "end", "line", "column", "endLine", "endColumn",
/// "help", "labels"}`, with byte offsets and 1-based lines and columns (in characters).
pub fn json_diagnostic(diagnostic: &Diagnostic, source: &str) -> Value {
    let (line, column) = line_column(source, diagnostic.span.start());
    let (end_line, end_column) = line_column(source, diagnostic.span.end());
    let labels: Vec<Value> = diagnostic
        .labels
        .iter()
        .map(|label| {
            let (line, column) = line_column(source, label.span.start());
            json!({
                "start": label.span.start,
                "end": label.span.end,
                "line": line,
                "column": column,
                "message": label.message,
            })
        })
        .collect();
    json!({
        "code": diagnostic.code.as_str(),
        "severity": diagnostic.severity.as_str(),
        "message": diagnostic.message,
        "start": diagnostic.span.start,
        "end": diagnostic.span.end,
        "line": line,
        "column": column,
        "endLine": end_line,
        "endColumn": end_column,
        "help": diagnostic.help,
        "labels": labels,
    })
}

/// Every diagnostic of one input as a JSON array.
pub fn json_diagnostics(diagnostics: &[Diagnostic], source: &str) -> Value {
    Value::Array(
        diagnostics
            .iter()
            .map(|d| json_diagnostic(d, source))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    #[test]
    fn display_range_never_leaves_the_source() {
        assert_eq!(display_range(Span::point(3), "abc"), 2..3);
        assert_eq!(display_range(Span::point(0), ""), 0..0);
        assert_eq!(display_range(Span::new(1, 1), "aé"), 1..3);
        assert_eq!(display_range(Span::new(50, 60), "abc"), 2..3);
    }

    #[test]
    fn json_has_the_documented_fields() {
        let d =
            Diagnostic::new(Code::EmptySet, Span::new(2, 4), "empty set").with_help("add a value");
        let value = json_diagnostic(&d, "a\n{}");
        assert_eq!(value["code"], "AZ0021");
        assert_eq!(value["severity"], "error");
        assert_eq!(value["line"], 2);
        assert_eq!(value["column"], 1);
        assert_eq!(value["help"], "add a value");
    }
}
