//! The pipeline facade: one condition's text, parsed once and checked once, then compiled,
//! explained, formatted or snapshot from what the checker accepted.
//!
//! A [`Condition`] owns its source, its tree and its diagnostics; [`Condition::check`] turns
//! it into a [`Checked`] only when neither the parser nor the checker found an error, and a
//! `Checked` is what compiles, explains and snapshots. The stage modules below stay usable on
//! their own (`syntax::parse`, `check::Checker`, `eval::compile`), for tools that need a stage
//! alone.
//!
//! ```
//! use azabac::Condition;
//! use azabac::catalog::Catalog;
//! use azabac::check::Checker;
//! use azabac::eval::Request;
//!
//! let catalog = Catalog::builtin();
//! let checker = Checker::new(catalog);
//! let condition = Condition::parse("@Environment[isPrivateLink] boolequals true");
//! let checked = condition.check(&checker).unwrap();
//! // Warnings pass: here AZ0102, `boolequals` is spelled `BoolEquals`.
//! assert!(checked.diagnostics().iter().any(|d| d.code.as_str() == "AZ0102"));
//! let program = checked.compile().unwrap();
//! let request = Request::from_json(r#"{"action": "a/b/read", "environment": {"isPrivateLink": true}}"#, catalog).unwrap();
//! assert!(program.evaluate(&request));
//! assert_eq!(checked.format().unwrap(), "@Environment[isPrivateLink] BoolEquals true");
//! assert!(checked.explain().contains("allowed only when"));
//! ```

use crate::catalog::{Catalog, RoleDefinition};
use crate::check::Checker;
use crate::diagnostic::{Diagnostic, has_errors};
use crate::eval::{Program, Request};
use crate::syntax::Expr;

/// A condition's text with its tree (when it parsed) and every diagnostic so far.
#[derive(Clone, Debug)]
pub struct Condition {
    source: String,
    tree: Option<Expr>,
    diagnostics: Vec<Diagnostic>,
}

impl Condition {
    /// Parses `source`.
    pub fn parse(source: impl Into<String>) -> Condition {
        let source = source.into();
        let parsed = crate::syntax::parse(&source);
        Condition {
            source,
            tree: parsed.condition,
            diagnostics: parsed.diagnostics,
        }
    }

    /// The text.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The tree, when the condition parsed without errors.
    pub fn tree(&self) -> Option<&Expr> {
        self.tree.as_ref().filter(|_| !self.has_errors())
    }

    /// Every diagnostic so far, in the order the stages found them.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        has_errors(&self.diagnostics)
    }

    /// The canonical text, proven to parse back to the same tree (formatting needs a valid
    /// parse, not a check).
    pub fn format(&self) -> Result<String, Vec<Diagnostic>> {
        match self.tree() {
            Some(tree) => crate::syntax::format::format_checked(tree),
            None => Err(self.diagnostics.clone()),
        }
    }

    /// Checks the condition with `checker`. A condition with a syntax error is not checked
    /// (the checker reads only valid trees); with any error it comes back, with every
    /// diagnostic, as `Err`.
    pub fn check<'c>(mut self, checker: &'c Checker<'c>) -> Result<Checked<'c>, Condition> {
        let Some(tree) = self.tree.take_if(|_| !has_errors(&self.diagnostics)) else {
            return Err(self);
        };
        let found = checker.check(&tree, &self.source);
        self.diagnostics.extend(found);
        if self.has_errors() {
            self.tree = Some(tree);
            return Err(self);
        }
        Ok(Checked {
            source: self.source,
            tree,
            diagnostics: self.diagnostics,
            catalog: checker.catalog(),
            role: checker.role(),
        })
    }
}

/// A condition that parsed and checked without errors (warnings allowed), with the catalogue
/// and role it was checked against.
#[derive(Clone, Debug)]
pub struct Checked<'c> {
    source: String,
    tree: Expr,
    diagnostics: Vec<Diagnostic>,
    catalog: &'c Catalog,
    role: Option<&'c RoleDefinition>,
}

impl<'c> Checked<'c> {
    /// The text.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The tree.
    pub fn tree(&self) -> &Expr {
        &self.tree
    }

    /// The warnings and notes the parser and the checker found.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The catalogue it was checked against.
    pub fn catalog(&self) -> &'c Catalog {
        self.catalog
    }

    /// Compiles it. A checked condition compiles; the compiler's own diagnostics (literal
    /// types, which the checker reports first) are kept for safety, never expected.
    pub fn compile(&self) -> Result<Program, Diagnostic> {
        crate::eval::compile(&self.tree, &self.source)
    }

    /// The plain-English reading (`azabac explain`), naming roles from the catalogue and, when
    /// the checker knew the role, what it grants.
    pub fn explain(&self) -> String {
        crate::report::explain(&self.tree, self.catalog, self.role)
    }

    /// The same reading, block by block (`azabac explain --format json`).
    pub fn explanation(&self) -> crate::report::Explanation {
        crate::report::explanation(&self.tree, self.catalog, self.role)
    }

    /// The canonical text, proven to parse back to the same tree.
    pub fn format(&self) -> Result<String, Vec<Diagnostic>> {
        crate::syntax::format::format_checked(&self.tree)
    }

    /// The stable record of `azabac snapshot`: canonical text, explanation, and one decision
    /// per labelled request.
    pub fn snapshot(&self, requests: &[(String, Request)]) -> Result<String, Vec<Diagnostic>> {
        let program = self.compile().map_err(|d| vec![d])?;
        crate::report::snapshot(&self.tree, &program, self.catalog, requests)
    }
}
