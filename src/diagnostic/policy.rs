//! Severities users control ([decision 29](crate::spec::decisions#decision-29)): `--deny` raises
//! warnings to errors and `--allow` silences them, by code (`AZ0315`) or category
//! (`widens-access`). Errors stay errors: an error means Azure rejects the condition, so no policy
//! can allow one.
//!
//! ```
//! use azabac::diagnostic::policy::Policy;
//! use azabac::diagnostic::{Code, Diagnostic, Severity};
//! use azabac::span::Span;
//!
//! let mut policy = Policy::default();
//! policy.deny("widens-access").unwrap();
//! policy.allow("AZ0102").unwrap();
//! assert!(policy.allow("AZ0201").is_err(), "an error code cannot be allowed");
//!
//! let mut found = vec![
//!     Diagnostic::new(Code::GuidDenyList, Span::new(0, 1), "a deny-list"),
//!     Diagnostic::new(Code::NonCanonicalSpelling, Span::new(0, 1), "`stringequals`"),
//! ];
//! policy.apply(&mut found);
//! assert_eq!(found.len(), 1);
//! assert_eq!(found[0].severity, Severity::Error);
//! ```

use std::fmt;

use super::{Category, Code, Diagnostic, Severity};

/// What `--deny` and `--allow` name: one code, or a category of warnings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Selector {
    /// One code, such as `AZ0315`.
    Code(Code),
    /// Every warning of a category, such as `widens-access`.
    Category(Category),
}

impl Selector {
    /// Reads `AZ0315` or `widens-access` (ignoring ASCII case).
    pub fn parse(text: &str) -> Result<Selector, PolicyError> {
        let text = text.trim();
        if let Some(code) = Code::from_name(text) {
            return Ok(Selector::Code(code));
        }
        Category::from_name(text)
            .map(Selector::Category)
            .ok_or_else(|| PolicyError::Unknown(text.to_owned()))
    }

    fn matches(self, code: Code) -> bool {
        match self {
            Selector::Code(c) => c == code,
            Selector::Category(category) => code.category() == Some(category),
        }
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Selector::Code(code) => f.write_str(code.as_str()),
            Selector::Category(category) => f.write_str(category.as_str()),
        }
    }
}

/// A selector that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PolicyError {
    /// Neither a code nor a category.
    Unknown(String),
    /// An error code given to `allow`: errors are what Azure rejects.
    AllowError(Code),
    /// One selector both denied and allowed.
    Both(Selector),
    /// A note's code given to `deny` or `allow`: notes are information, neither raised nor
    /// silenced, and naming one would otherwise do nothing without a word.
    Note(Code),
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyError::Unknown(text) => {
                let categories: Vec<&str> = Category::ALL.iter().map(|c| c.as_str()).collect();
                write!(
                    f,
                    "`{text}` is neither a diagnostic code (`AZ0315`) nor a category ({})",
                    categories.join(", ")
                )?;
                // A misspelt category (`widens-acess`) would silently raise nothing.
                match super::suggest::closest(text, categories.iter().copied()) {
                    Some(near) => write!(f, "; did you mean `{near}`?"),
                    None => Ok(()),
                }
            }
            PolicyError::AllowError(code) => write!(
                f,
                "{code} is an error, and an error cannot be allowed: it means Azure rejects the \
                 condition, or the condition cannot mean what it says"
            ),
            PolicyError::Both(selector) => {
                write!(f, "`{selector}` is both denied and allowed; keep one")
            }
            PolicyError::Note(code) => write!(
                f,
                "{code} is a note, and `deny` and `allow` take warnings: a note is information, \
                 neither raised to an error nor silenced"
            ),
        }
    }
}

impl std::error::Error for PolicyError {}

/// Which warnings are raised to errors and which are silenced. A code named beats its
/// category: `deny = ["widens-access"]` with `allow = ["AZ0315"]` silences AZ0315 and raises
/// the rest of the category.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    deny: Vec<Selector>,
    allow: Vec<Selector>,
}

impl Policy {
    /// Raises the warnings `text` names to errors.
    pub fn deny(&mut self, text: &str) -> Result<(), PolicyError> {
        let selector = Selector::parse(text)?;
        if let Selector::Code(code) = selector
            && code.default_severity() == Severity::Note
        {
            return Err(PolicyError::Note(code));
        }
        if self.allow.contains(&selector) {
            return Err(PolicyError::Both(selector));
        }
        self.deny.push(selector);
        Ok(())
    }

    /// Silences the warnings `text` names.
    pub fn allow(&mut self, text: &str) -> Result<(), PolicyError> {
        let selector = Selector::parse(text)?;
        if let Selector::Code(code) = selector {
            match code.default_severity() {
                Severity::Error => return Err(PolicyError::AllowError(code)),
                Severity::Note => return Err(PolicyError::Note(code)),
                Severity::Warning => {}
            }
        }
        if self.deny.contains(&selector) {
            return Err(PolicyError::Both(selector));
        }
        self.allow.push(selector);
        Ok(())
    }

    /// Whether the policy changes nothing.
    pub fn is_empty(&self) -> bool {
        self.deny.is_empty() && self.allow.is_empty()
    }

    /// What the policy does to a warning of `code`: `Some(true)` raises it, `Some(false)`
    /// silences it, `None` leaves it.
    fn verdict(&self, code: Code) -> Option<bool> {
        let named = |list: &[Selector], code_level: bool| {
            list.iter()
                .any(|s| matches!(s, Selector::Code(_)) == code_level && s.matches(code))
        };
        for code_level in [true, false] {
            match (
                named(&self.deny, code_level),
                named(&self.allow, code_level),
            ) {
                (true, _) => return Some(true),
                (false, true) => return Some(false),
                (false, false) => {}
            }
        }
        None
    }

    /// Applies the policy to `diagnostics`: denied warnings become errors, allowed ones are
    /// dropped. Errors and notes are left as they are.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        if self.is_empty() {
            return;
        }
        diagnostics.retain_mut(|d| {
            if d.severity != Severity::Warning {
                return true;
            }
            match self.verdict(d.code) {
                Some(true) => {
                    d.severity = Severity::Error;
                    true
                }
                Some(false) => false,
                None => true,
            }
        });
    }
}
