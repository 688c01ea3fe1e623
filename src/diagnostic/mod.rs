//! The one diagnostic model of azabac, shared by every stage, and its renderers.
//!
//! A [`Diagnostic`] has a stable [`Code`], a [`Severity`], a one-line lowercase message (user
//! input in backticks), a primary span, secondary labels and an optional help text. Stages only
//! build diagnostics; [`render`] turns them into text for people (ariadne) or JSON for tools.

mod code;
pub mod policy;
pub mod render;
pub mod suggest;

pub use code::{Basis, Category, Code};

use crate::span::Span;

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// The condition is invalid: Azure would reject it, or it cannot mean what it says.
    Error,
    /// The condition is accepted but risky or unidiomatic; `--deny-warnings` makes these fail.
    Warning,
    /// Something to know that is not a problem (a check skipped, an input read in another
    /// encoding); `--deny-warnings` does not count notes.
    Note,
}

impl Severity {
    /// `"error"`, `"warning"` or `"note"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// A secondary span with a note, shown beside the primary one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// What the label points at.
    pub span: Span,
    /// What it says about it.
    pub message: String,
}

/// One finding about one condition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable identity, such as `AZ0001`.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// One line, lowercase, user input in backticks.
    pub message: String,
    /// The text the diagnostic is about.
    pub span: Span,
    /// Other places that explain it.
    pub labels: Vec<Label>,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with the code's default severity.
    #[cold]
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: code.default_severity(),
            message: message.into(),
            span,
            labels: Vec::new(),
            help: None,
        }
    }

    /// Adds a secondary label.
    #[must_use]
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Sets the help text.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the help text when there is one.
    #[must_use]
    pub fn with_optional_help(mut self, help: Option<String>) -> Self {
        if help.is_some() {
            self.help = help;
        }
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Whether any diagnostic in `diagnostics` is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

/// Whether any diagnostic in `diagnostics` is an error Azure itself would raise: an error of a
/// code whose default severity is error, not a warning a [`policy::Policy`] raised.
pub fn has_azure_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| {
        d.is_error()
            && d.code.default_severity() == Severity::Error
            && d.code != Code::HostFileUnread
    })
}

/// Why a condition was rejected, in one line for an error that names the file it came from:
/// `invalid condition at LINE:COLUMN: CODE message`, from the first error (or the first
/// diagnostic).
pub fn rejection_summary(diagnostics: &[Diagnostic], source: &str) -> String {
    let first = diagnostics
        .iter()
        .find(|d| d.is_error())
        .or(diagnostics.first());
    let (line, column) = first.map_or((1, 1), |d| crate::span::line_column(source, d.span.start()));
    match first {
        Some(d) => format!(
            "invalid condition at {line}:{column}: {} {}",
            d.code.as_str(),
            d.message
        ),
        None => format!("invalid condition at {line}:{column}"),
    }
}

/// Collects the diagnostics of one condition, keeping the first `limit` and counting the rest,
/// so that time and memory stay bounded whatever the input (a megabyte of `)` would otherwise
/// be a million errors, each rendered with its line and column).
#[derive(Clone, Debug)]
pub struct Collector {
    kept: Vec<Diagnostic>,
    limit: usize,
    dropped: usize,
    dropped_errors: usize,
    first_dropped: Option<Span>,
}

impl Collector {
    /// A collector that keeps at most `limit` diagnostics.
    pub fn new(limit: usize) -> Self {
        Collector {
            kept: Vec::new(),
            limit,
            dropped: 0,
            dropped_errors: 0,
            first_dropped: None,
        }
    }

    /// Adds a diagnostic, or counts it once the limit is reached.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        if self.kept.len() < self.limit {
            self.kept.push(diagnostic);
            return;
        }
        self.dropped += 1;
        self.dropped_errors += usize::from(diagnostic.is_error());
        self.first_dropped.get_or_insert(diagnostic.span);
    }

    /// The diagnostic added last, if it was kept.
    pub fn last_mut(&mut self) -> Option<&mut Diagnostic> {
        if self.dropped > 0 {
            None
        } else {
            self.kept.last_mut()
        }
    }

    /// The kept diagnostics, in the order they were added.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.kept.iter()
    }

    /// Whether any diagnostic added so far, kept or not, is an error.
    pub fn has_errors(&self) -> bool {
        self.dropped_errors > 0 || has_errors(&self.kept)
    }

    /// The kept diagnostics in source order, followed by one [`Code::TooManyDiagnostics`]
    /// summary when some were dropped. The summary is an error if any dropped one was, so
    /// dropping never changes whether a condition is valid.
    pub fn finish(mut self) -> Vec<Diagnostic> {
        self.kept.sort_by_key(|d| (d.span.start, d.severity));
        if let Some(span) = self.first_dropped {
            let warnings = self.dropped - self.dropped_errors;
            let mut summary = Diagnostic::new(
                Code::TooManyDiagnostics,
                span,
                format!(
                    "{} more diagnostics are not shown ({}, {})",
                    self.dropped,
                    count(self.dropped_errors, "error"),
                    count(warnings, "warning")
                ),
            )
            .with_help(format!("fix the first {} and check again", self.limit));
            if self.dropped_errors == 0 {
                summary.severity = Severity::Warning;
            }
            self.kept.push(summary);
        }
        self.kept
    }
}

/// `1 error`, `2 errors`.
fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}
