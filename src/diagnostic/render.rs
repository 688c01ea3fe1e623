//! Renderers: ariadne reports for people, JSON objects for tools.

use std::ops::Range;

use ariadne::{Color, Config, IndexType, Label as AriadneLabel, Report, ReportKind, Source};
use serde_json::{Value, json};

use super::{Diagnostic, Severity, has_azure_errors};
use crate::span::{Span, floor_char_boundary, line_column};

/// What Azure answers for every invalid condition
/// ([decision 22](crate::spec::decisions#decision-22)): printed once under the reports of an input
/// that has errors, so people can match azabac's findings to Azure's message.
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

/// A line longer than this many characters is shown as a window around what a report is
/// about, so that a long one-line condition does not fill the screen.
const LONG_LINE: usize = 100;

/// How many characters of context a window keeps on each side.
const CONTEXT: usize = 40;

fn write_report(
    out: &mut Vec<u8>,
    diagnostic: &Diagnostic,
    name: &str,
    source: &str,
    options: HumanOptions,
) {
    if diagnostic.severity == Severity::Note && !options.color {
        // ariadne paints a custom kind ("Note") whatever its colour setting.
        let mut painted = Vec::new();
        write_windowed(&mut painted, diagnostic, name, source, options);
        out.extend_from_slice(strip_ansi(&String::from_utf8_lossy(&painted)).as_bytes());
        return;
    }
    write_windowed(out, diagnostic, name, source, options);
}

/// `text` without ANSI escape sequences (`ESC [ … m`).
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for next in chars.by_ref() {
                if next.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn write_windowed(
    out: &mut Vec<u8>,
    diagnostic: &Diagnostic,
    name: &str,
    source: &str,
    options: HumanOptions,
) {
    match Window::around(diagnostic, source) {
        Some(window) => {
            let mut windowed = Vec::new();
            write_full(
                &mut windowed,
                &window.diagnostic,
                name,
                &window.text,
                options,
            );
            // ariadne heads the report with the window's column; it names the source's.
            let text = String::from_utf8_lossy(&windowed).replacen(
                &format!("{name}:{}:{} ", window.line + 1, window.column_in_window),
                &format!("{name}:{}:{} ", window.line + 1, window.column),
                1,
            );
            out.extend_from_slice(text.as_bytes());
        }
        None => write_full(out, diagnostic, name, source, options),
    }
}

/// A long line cut down to the part a diagnostic is about, with `…` where it was cut, and the
/// diagnostic moved into it.
struct Window {
    text: String,
    /// The 0-based line of the source the window shows.
    line: usize,
    diagnostic: Diagnostic,
    /// The 1-based column of the diagnostic in the window and in the source, in characters.
    column_in_window: usize,
    column: usize,
}

impl Window {
    /// The window for `diagnostic`, when its line is longer than [`LONG_LINE`] characters.
    fn around(diagnostic: &Diagnostic, source: &str) -> Option<Window> {
        let at = floor_char_boundary(source, diagnostic.span.start().min(source.len()));
        let line_start = source.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
        let line_end = source
            .get(at..)?
            .find('\n')
            .map_or(source.len(), |i| at + i);
        let line_text = source.get(line_start..line_end)?;
        if line_text.chars().count() <= LONG_LINE {
            return None;
        }
        let on_line = |span: Span| span.start() >= line_start && span.end() <= line_end;
        let spans = std::iter::once(diagnostic.span)
            .chain(diagnostic.labels.iter().map(|l| l.span))
            .filter(|&s| on_line(s));
        let (first, last) = spans.fold((at, at), |(a, b), s| (a.min(s.start()), b.max(s.end())));
        let from = line_text
            .get(..first - line_start)?
            .char_indices()
            .rev()
            .nth(CONTEXT.saturating_sub(1))
            .map_or(line_start, |(i, _)| line_start + i);
        let to = source
            .get(last..line_end)?
            .char_indices()
            .nth(CONTEXT)
            .map_or(line_end, |(i, _)| last + i);
        let (line, column) = line_column(source, diagnostic.span.start());
        // Empty lines before the window keep ariadne's line numbers the source's.
        let lines_before = "\n".repeat(line - 1);
        let cut = if from > line_start { "…" } else { "" };
        let suffix = if to < line_end { "…" } else { "" };
        let text = format!("{lines_before}{cut}{}{suffix}", source.get(from..to)?);
        let shift = lines_before.len() + cut.len();
        let moved = |span: Span| Span::new(span.start() - from + shift, span.end() - from + shift);
        let mut moved_diagnostic = diagnostic.clone();
        moved_diagnostic.span = moved(diagnostic.span);
        moved_diagnostic.labels = diagnostic
            .labels
            .iter()
            .filter(|l| on_line(l.span) && l.span.start() >= from && l.span.end() <= to)
            .map(|l| super::Label {
                span: moved(l.span),
                message: l.message.clone(),
            })
            .collect();
        let column_in_window = line_column(&text, moved_diagnostic.span.start()).1;
        Some(Window {
            text,
            line: line - 1,
            diagnostic: moved_diagnostic,
            column_in_window,
            column,
        })
    }
}

fn write_full(
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

    #[test]
    fn a_long_line_is_shown_as_a_window_with_the_source_line_and_column() {
        let source = format!(
            "first line\n{}'needle'{}",
            "a ".repeat(150),
            " b".repeat(100)
        );
        let start = source.find("'needle'").unwrap();
        let diagnostic = Diagnostic::new(
            crate::diagnostic::Code::UnexpectedToken,
            Span::new(start, start + 8),
            "here",
        );
        let text = human(
            &[diagnostic],
            "f.cond",
            &source,
            HumanOptions { color: false },
        );
        assert!(text.contains("[ f.cond:2:301 ]"), "{text}");
        let shown = text.lines().find(|l| l.contains("'needle'")).unwrap();
        assert!(shown.starts_with(" 2 │ …"), "{shown}");
        assert!(shown.ends_with('…'), "{shown}");
        assert!(shown.chars().count() < 140, "{shown}");
        // A short line is shown whole.
        let short = human(
            &[Diagnostic::new(
                crate::diagnostic::Code::UnexpectedToken,
                Span::new(0, 5),
                "x",
            )],
            "f.cond",
            "first line",
            HumanOptions { color: false },
        );
        assert!(short.contains(" 1 │ first line"), "{short}");
    }
}
