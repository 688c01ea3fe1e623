//! Test suites: what users state about their conditions and their RBAC worlds, run by
//! `azabac test`. A suite is one JSON file:
//!
//! - **condition-level**: `condition` (or `conditionFile`) and cases of an evaluation request
//!   with the expected `true` or `false`;
//! - **decision-level**: a `world` (custom `roles`, `assignments`, `denyAssignments`, a
//!   `hierarchy`, each inline or the name of a JSON file beside the suite) and cases of an
//!   access request, or of a delegation written briefly (`assign`: who, as whom, which role, to
//!   whom, where), with the expected `allow` or `deny` and, optionally, a phrase its reason
//!   contains.
//!
//! Principals may be named: `principals` maps names to GUIDs, and every principal field
//! (assignments' `principalId`, deny assignments' principals, requests' `principalId` and
//! `groupIds`, `assign`'s `as` and `to`) takes a name or a GUID. Assignments may name their
//! role with `role` (a built-in or given role's name or GUID) instead of `roleDefinitionId`.
//! `docs/testing.md` shows a complete example of each.
//!
//! - this module: the suite and its results;
//! - `read`: reading a suite file, resolving its names and the files it names;
//! - `run`: running the cases.

mod read;
mod run;

use std::fmt;
use std::path::PathBuf;

use crate::eval::{Program, Request, RequestProblem};
use crate::rbac::{AccessRequest, InputProblem, World};

/// A suite that cannot be read or built: the file, where in it, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuiteError {
    /// The suite's file (or a world file it names).
    pub file: PathBuf,
    /// The JSON path inside it.
    pub path: String,
    /// What is wrong.
    pub problem: SuiteProblem,
}

/// What is wrong with a suite.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SuiteProblem {
    /// The file cannot be read.
    Read(String),
    /// The file is not JSON; the reader's message says where.
    NotJson(String),
    /// The suite's own shape: a field it does not have, a missing or mistyped one.
    Shape(String),
    /// Its condition does not check: the first error, as `check` reports it.
    Condition(String),
    /// A world file (or a request) that cannot be read as `azabac decide` reads it.
    Input(InputProblem),
    /// A condition case's request that cannot be read.
    Request(RequestProblem),
}

impl SuiteError {
    /// What is wrong, in a sentence.
    pub fn message(&self) -> String {
        self.problem.to_string()
    }
}

impl fmt::Display for SuiteProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SuiteProblem::Read(why) => f.write_str(why),
            SuiteProblem::NotJson(why) => write!(f, "not valid JSON: {why}"),
            SuiteProblem::Shape(what) | SuiteProblem::Condition(what) => f.write_str(what),
            SuiteProblem::Input(problem) => write!(f, "{problem}"),
            SuiteProblem::Request(problem) => write!(f, "{problem}"),
        }
    }
}

impl fmt::Display for SuiteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.file.display(),
            self.path,
            self.problem
        )
    }
}

impl std::error::Error for SuiteError {}

/// An outcome: a condition's value, or a decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// The condition is true.
    True,
    /// The condition is false.
    False,
    /// The request is allowed.
    Allow,
    /// The request is denied.
    Deny,
}

impl Outcome {
    /// `true`, `false`, `allow` or `deny`, as suites write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::True => "true",
            Outcome::False => "false",
            Outcome::Allow => "allow",
            Outcome::Deny => "deny",
        }
    }

    fn of_condition(value: bool) -> Outcome {
        if value { Outcome::True } else { Outcome::False }
    }

    fn of_decision(allowed: bool) -> Outcome {
        if allowed {
            Outcome::Allow
        } else {
            Outcome::Deny
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a case expects: an outcome and, for a decision, a phrase its reason must contain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expected {
    /// The outcome.
    pub outcome: Outcome,
    /// A phrase the decision's reason contains.
    pub reason_contains: Option<String>,
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.reason_contains {
            Some(phrase) => write!(f, "{} (reason containing {phrase:?})", self.outcome),
            None => write!(f, "{}", self.outcome),
        }
    }
}

/// One case's outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseResult {
    /// The case's name (or `#N`).
    pub name: String,
    /// Where the case is in its suite file, as a JSON path (`$.cases[3]`).
    pub path: String,
    /// Whether the outcome (and reason) was the expected one.
    pub passed: bool,
    /// What the case expects.
    pub expected: Expected,
    /// What happened.
    pub actual: Outcome,
    /// Why (a decision's reason, or an evaluation error), when there is one to give.
    pub reason: Option<String>,
    /// The condition trace, or each candidate assignment with its conditions' traces.
    pub details: String,
    /// What the decision rests on that Azure leaves open (a `*` between two `/` read two
    /// ways), whether the case passed or not.
    pub warnings: Vec<String>,
}

/// A suite, read and built, ready to run.
pub struct Suite {
    /// The suite's file.
    pub file: PathBuf,
    /// Its description, if any.
    pub description: Option<String>,
    /// The instant its decisions are made at (`now`), when it says; otherwise the caller's.
    pub now: Option<crate::eval::Ticks>,
    /// What is suspicious in its cases, though they run: attributes a request gives that Azure
    /// never sends for its action, which make a case vacuous.
    pub warnings: Vec<SuiteWarning>,
    target: Target,
}

/// Something suspicious in a suite: where (a JSON path in its file), and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuiteWarning {
    /// A JSON path such as `$.cases[2].request.resource`.
    pub path: String,
    /// What is wrong there, in a sentence.
    pub message: String,
}

/// What a suite tests, with its cases: condition cases only for a condition, decision cases
/// only for a world.
enum Target {
    Condition {
        program: Box<Program>,
        cases: Vec<Case<ConditionCase>>,
    },
    World {
        world: Box<World>,
        cases: Vec<Case<DecisionCase>>,
    },
}

struct Case<K> {
    name: String,
    path: String,
    kind: K,
}

struct ConditionCase {
    request: Request,
    expect: bool,
}

struct DecisionCase {
    request: Box<AccessRequest>,
    /// For `assign`, the role to assign, whose assignable scopes also decide
    /// ([decision R16](crate::spec::decisions#decision-r16)).
    assigns: Option<uuid::Uuid>,
    expect: bool,
    reason: Option<String>,
}

impl Suite {
    /// How many cases the suite has.
    pub fn len(&self) -> usize {
        match &self.target {
            Target::Condition { cases, .. } => cases.len(),
            Target::World { cases, .. } => cases.len(),
        }
    }

    /// Whether the suite has no cases.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
