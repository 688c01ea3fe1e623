//! Why a host file was not read: a result of its own, with the file, line and column where the
//! reader stopped, and never a run that stops ([decision 31](crate::spec::decisions#decision-31)).

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// A file [`crate::input::read`] did not read, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct FileError {
    /// The file, as given.
    pub file: PathBuf,
    /// The byte offset where the reader stopped, in the file's text without its byte-order
    /// mark (`text`); 0 when the whole file is at fault (it cannot be opened, is too large);
    /// for a file that is not UTF-8, where its first byte that is not.
    pub offset: usize,
    /// The 1-based line of `offset`.
    pub line: usize,
    /// The 1-based column of `offset`, in characters.
    pub column: usize,
    /// Why.
    pub problem: Problem,
    /// The text the offset, line and column are in, to show them: the file read (without its
    /// byte-order mark; as far as it is UTF-8, with the rest replaced); `None` when it was not
    /// read.
    pub text: Option<Arc<str>>,
}

impl FileError {
    /// Whether the file could not be opened or read at all (rather than read and refused):
    /// the command line's usage error, exit status 2.
    pub fn is_unopened(&self) -> bool {
        matches!(self.problem, Problem::Unopened(_))
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.problem
        )
    }
}

impl std::error::Error for FileError {}

/// The languages of host files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Language {
    /// JSON: ARM templates, Terraform plans, exports, suites.
    Json,
    /// HCL: Terraform configurations.
    Hcl,
    /// Bicep.
    Bicep,
}

impl Language {
    /// Its name in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Json => "JSON",
            Language::Hcl => "Terraform (HCL)",
            Language::Bicep => "Bicep",
        }
    }
}

/// Why a file was not read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// The file cannot be opened or read: the system's words.
    Unopened(String),
    /// The file is larger than [`crate::limits::MAX_HOST_FILE_BYTES`].
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The file is not UTF-8.
    NotUtf8,
    /// The file is not in its language where the reader stopped: what was expected there, in
    /// the parser's words (`expected `,` or `}``, `a string without its closing `'``).
    Syntax {
        /// The file's language.
        language: Language,
        /// What was expected, or what is wrong, at the offset.
        expected: String,
    },
    /// The file passes one of azabac's budgets for a host file
    /// ([`crate::limits`]): reading on would cost more than any real file does.
    Budget {
        /// The file's language.
        language: Language,
        /// Which budget.
        budget: Budget,
    },
}

/// The budgets a host reader keeps per file ([`crate::limits`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Budget {
    /// Nesting: objects, arrays, calls, references (the limit).
    Depth(usize),
    /// Bytes of values resolved from what the file writes (the limit).
    ValueBytes(usize),
    /// Expressions evaluated (the limit).
    Steps(usize),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Unopened(reason) => write!(f, "cannot read the file: {reason}"),
            Problem::TooLarge { limit } => write!(
                f,
                "the file is larger than azabac reads a host file ({limit} bytes)"
            ),
            Problem::NotUtf8 => f.write_str("the file is not UTF-8"),
            Problem::Syntax { language, expected } => {
                write!(f, "not {} azabac can read: {expected}", language.as_str())
            }
            Problem::Budget { language, budget } => {
                write!(f, "the {} file passes azabac's budget: ", language.as_str())?;
                match budget {
                    Budget::Depth(limit) => write!(f, "nesting deeper than {limit}"),
                    Budget::ValueBytes(limit) => {
                        write!(f, "values resolved past {limit} bytes")
                    }
                    Budget::Steps(limit) => {
                        write!(f, "more than {limit} units of work (expressions and bytes)")
                    }
                }
            }
        }
    }
}

/// Where a host reader stopped in one file, and why: the reader's error, which
/// [`crate::input::read`] gives the file's name, line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Stop {
    /// The byte offset in the file.
    pub(crate) offset: usize,
    /// Why.
    pub(crate) problem: Problem,
}

impl Stop {
    /// A syntax error of `language` at `offset`.
    pub(crate) fn syntax(language: Language, offset: usize, expected: impl Into<String>) -> Stop {
        Stop {
            offset,
            problem: Problem::Syntax {
                language,
                expected: expected.into(),
            },
        }
    }

    /// A budget of `language` passed at `offset`.
    pub(crate) fn budget(language: Language, offset: usize, budget: Budget) -> Stop {
        Stop {
            offset,
            problem: Problem::Budget { language, budget },
        }
    }
}
