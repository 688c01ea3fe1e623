//! Evaluation: a checked condition compiles once into a [`Program`], which decides requests
//! fast; [`reference::evaluate`] decides them slowly and obviously, as the VM's oracle.
//!
//! ```
//! use azabac::catalog::Catalog;
//! use azabac::check::Checker;
//! use azabac::eval::{self, Request};
//! use azabac::syntax;
//!
//! let source = "(!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR \
//!     (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] \
//!      ForAnyOfAnyValues:GuidEquals {53ca6127-db72-4b80-b1b0-d745d6d5456d})";
//! let catalog = Catalog::builtin();
//! // parse → check → compile, each step with its own diagnostics...
//! let parsed = syntax::parse(source);
//! let condition = parsed.valid_condition().unwrap();
//! assert!(Checker::new(catalog).check(condition, source).is_empty());
//! let program = eval::compile(condition, source).unwrap();
//! // ...or all three at once: `Program::from_source(source, catalog)`.
//!
//! let request = Request::from_json(r#"{
//!     "action": "Microsoft.Authorization/roleAssignments/write",
//!     "request": {"Microsoft.Authorization/roleAssignments:RoleDefinitionId":
//!                 "/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635"}
//! }"#, catalog).unwrap();
//! assert!(!program.evaluate(&request));
//!
//! // Why? The trace gives every sub-expression's value and marks the ones that decided.
//! let trace = program.trace(&request);
//! assert!(!trace.result);
//! assert!(trace.render().contains("GuidEquals"));
//! ```

mod compile;
mod disasm;
mod like;
mod program;
pub mod reference;
mod request;
mod trace;
mod value;
mod vm;

use std::fmt;

pub use compile::compile;
pub use program::Program;
pub use request::{
    Attribute, Operand, Request, RequestError, RequestProblem, Slot, Unsent, unsent_attributes,
};
pub use trace::{Trace, TraceNode, TraceNodeKind, TraceValue};
pub use value::{Str, Ticks, Value, fold};
pub use vm::Outcome;

use crate::catalog::Catalog;
use crate::check::Checker;
use crate::diagnostic::{Diagnostic, Severity};
use crate::span::Span;
use crate::syntax::{self, Literal, OperatorFamily};

/// Why an evaluation failed, which makes the condition false (fail closed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A request value of another type than the operator compares, such as a string custom
    /// security attribute compared with `NumericEquals`.
    TypeMismatch {
        /// The operator's type.
        expected: OperatorFamily,
        /// The value's type.
        found: OperatorFamily,
    },
    /// A list (a multi-valued attribute or a set literal) compared by an operator without a
    /// quantifier.
    ListWithoutQuantifier,
    /// A literal that does not have the operator's type (only the reference evaluator meets
    /// these: the compiler rejects them).
    InvalidLiteral,
    /// The evaluation did more work than the program's budget allows.
    BudgetExhausted,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::TypeMismatch { expected, found } => write!(
                f,
                "the request has a {} value where the operator compares {} values",
                value::type_name(*found),
                value::type_name(*expected)
            ),
            ErrorKind::ListWithoutQuantifier => f.write_str(
                "a list of values is compared by an operator without a quantifier such as `ForAnyOfAnyValues:`",
            ),
            ErrorKind::InvalidLiteral => {
                f.write_str("a literal does not have the type the operator compares")
            }
            ErrorKind::BudgetExhausted => {
                f.write_str("the evaluation exceeded its work budget (the request's lists are too large)")
            }
        }
    }
}

/// An evaluation error and the comparison it happened in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EvalError {
    /// What went wrong.
    pub kind: ErrorKind,
    /// The sub-expression being evaluated.
    pub span: Span,
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind)
    }
}

impl std::error::Error for EvalError {}

impl Program {
    /// Parses, checks and compiles a condition. Fails with every diagnostic when any of them
    /// is an error; warnings do not stop compilation.
    pub fn from_source(source: &str, catalog: &Catalog) -> Result<Program, Vec<Diagnostic>> {
        let parsed = syntax::parse(source);
        let Some(condition) = parsed.valid_condition() else {
            return Err(parsed.diagnostics);
        };
        let diagnostics = Checker::new(catalog).check(condition, source);
        if diagnostics.iter().any(|d| d.severity == Severity::Error) {
            return Err(diagnostics);
        }
        compile(condition, source).map_err(|d| vec![d])
    }
}

/// The value a literal has under an operator family: strings become DateTimes for DateTime
/// operators and GUIDs for GUID operators ([decision 8](crate::spec::decisions#decision-8)). A
/// `Like` pattern keeps its raw text ([decision 1](crate::spec::decisions#decision-1)); any other
/// string is unescaped.
pub(crate) fn literal_value(
    literal: &Literal,
    family: OperatorFamily,
    pattern: bool,
) -> Result<Value, String> {
    match (family, literal) {
        (OperatorFamily::String, Literal::String(s)) if pattern => Ok(Value::string(s.raw())),
        (OperatorFamily::String, Literal::String(s)) => Ok(Value::string(s.value())),
        (OperatorFamily::Numeric, Literal::Integer(n)) => Ok(Value::Integer(*n)),
        (OperatorFamily::Bool, Literal::Bool(b)) => Ok(Value::Bool(*b)),
        (OperatorFamily::DateTime, Literal::String(s)) => Ticks::parse(&s.value())
            .map(Value::DateTime)
            .map_err(|e| e.to_string()),
        (OperatorFamily::Guid, Literal::Guid(g)) => Ok(Value::guid(*g)),
        (OperatorFamily::Guid, Literal::String(s)) => syntax::literal::guid(&s.value())
            .map(Value::guid)
            .ok_or_else(|| format!("'{}' is not a GUID", s.raw())),
        (family, literal) => Err(format!(
            "a {} literal cannot be compared by a {} operator",
            match literal {
                Literal::String(_) => "string",
                Literal::Integer(_) => "number",
                Literal::Bool(_) => "boolean",
                Literal::Guid(_) => "GUID",
            },
            value::type_name(family)
        )),
    }
}

#[cfg(test)]
mod tests;
