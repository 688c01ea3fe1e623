//! A [`Decision`]: allowed or not, why, and what each candidate assignment did.

use uuid::Uuid;

use crate::catalog::RoleDefinition;
use crate::eval::{EvalError, Trace};
use crate::rbac::{DenyAssignment, RoleAssignment};

/// The outcome of one condition.
#[derive(Clone, Debug)]
pub struct ConditionResult<'w> {
    /// The condition's text.
    pub text: &'w str,
    /// Its value (false on an evaluation error).
    pub result: bool,
    /// The evaluation error that made it false, if any.
    pub error: Option<EvalError>,
    /// The trace, when asked for.
    pub trace: Option<Trace>,
}

/// What one candidate assignment did for the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CandidateResult {
    /// It grants the action and its conditions hold.
    Granted,
    /// Its role grants the action, but a condition is false.
    ConditionFalse,
    /// Its role does not grant the action.
    ActionNotGranted,
    /// It is PIM-eligible, not active, so it grants nothing.
    Eligible,
}

impl CandidateResult {
    /// `granted`, `conditionFalse`, `actionNotGranted` or `eligible`.
    pub fn as_str(self) -> &'static str {
        match self {
            CandidateResult::Granted => "granted",
            CandidateResult::ConditionFalse => "conditionFalse",
            CandidateResult::ActionNotGranted => "actionNotGranted",
            CandidateResult::Eligible => "eligible",
        }
    }
}

/// An assignment of the caller (or one of its groups) at the scope or above. It borrows from
/// the [`World`], so a decision allocates nothing per candidate.
#[derive(Clone, Debug)]
pub struct Candidate<'w> {
    /// The assignment.
    pub assignment: &'w RoleAssignment,
    /// Its role.
    pub role: &'w RoleDefinition,
    /// The group it is assigned to, when not to the caller directly.
    pub via_group: Option<Uuid>,
    /// What it did.
    pub result: CandidateResult,
    /// The condition of the role's granting permission block, if it has one.
    pub role_condition: Option<ConditionResult<'w>>,
    /// The assignment's own condition, if it has one and was reached.
    pub condition: Option<ConditionResult<'w>>,
}

/// A decision and its reason.
#[derive(Clone, Debug)]
pub struct Decision<'w> {
    /// Whether the request is allowed.
    pub allowed: bool,
    /// Why, in a sentence.
    pub reason: String,
    /// The deny assignment that blocked it, if one did.
    pub deny: Option<&'w DenyAssignment>,
    /// Every assignment of the caller and its groups at the scope or above, in input order.
    pub candidates: Vec<Candidate<'w>>,
}
