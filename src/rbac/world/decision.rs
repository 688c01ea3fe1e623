//! A [`Decision`]: allowed or not, why, and what each candidate assignment did.

use std::fmt;

use uuid::Uuid;

use crate::catalog::RoleDefinition;
use crate::eval::{EvalError, Ticks, Trace};
use crate::rbac::{DenyAssignment, RoleAssignment, Scope};

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
    /// It is a PIM assignment schedule outside its window at the decision's time, or not
    /// provisioned, so it grants nothing.
    Inactive,
}

impl CandidateResult {
    /// `granted`, `conditionFalse`, `actionNotGranted` or `eligible`.
    pub fn as_str(self) -> &'static str {
        match self {
            CandidateResult::Granted => "granted",
            CandidateResult::ConditionFalse => "conditionFalse",
            CandidateResult::ActionNotGranted => "actionNotGranted",
            CandidateResult::Eligible => "eligible",
            CandidateResult::Inactive => "inactive",
        }
    }
}

/// An assignment of the caller (or one of its groups) at the scope or above. It borrows from
/// the [`World`](super::World), so a decision allocates nothing per candidate.
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

/// What was asked, kept by the reasons that name no assignment: "no role grants … at …".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requested {
    /// The action as the request wrote it.
    pub action: Box<str>,
    /// Whether it is a data action.
    pub data_action: bool,
    /// Where it was asked.
    pub scope: Scope,
}

impl Requested {
    fn kind(&self) -> &'static str {
        if self.data_action {
            "data action"
        } else {
            "action"
        }
    }
}

/// Why a decision is what it is. `Display` gives the sentence `azabac decide` prints.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reason<'w> {
    /// A deny assignment applies ([RBAC.md §1.4](crate::spec::rbac#section-1-4) steps 3–4); nothing
    /// else was looked at.
    Denied(&'w DenyAssignment),
    /// An assignment's role grants the action and every condition on the way holds: the
    /// first such assignment in input order.
    Granted {
        /// The granting role.
        role: &'w RoleDefinition,
        /// The granting assignment.
        assignment: &'w RoleAssignment,
        /// The group it is assigned to, when not to the caller directly.
        via_group: Option<Uuid>,
    },
    /// Roles grant the action, but every granting assignment's condition is false.
    ConditionsFalse(Requested),
    /// Only PIM-eligible assignments grant the action; they grant nothing until activated.
    OnlyEligible(Requested),
    /// Only PIM assignment schedules grant the action, and none is active at the decision's
    /// time (or provisioned).
    OnlyInactive(Requested),
    /// No role of the caller or its groups grants the action at the scope or above.
    NotGranted(Requested),
    /// A worker thread of [`World::decide_all`](super::World::decide_all) failed (a bug):
    /// a deny.
    WorkerFailed,
    /// A deny assignment at a management group (or service group) names the caller and the
    /// action, but nothing places the request's subscription or management group among the
    /// management groups (or its service group among the service groups, `--hierarchy`), so
    /// whether it applies cannot be told: an input error, never an allow (issue 18).
    DenyNotPlaced {
        /// The deny assignment.
        deny: &'w DenyAssignment,
        /// The subscription, management group or service group the hierarchy does not place.
        scope: Scope,
    },
    /// The request gives `@Environment[UtcNow]` at another instant than the decision's clock
    /// ([decision R13](crate::spec::decisions#decision-r13)): an input error.
    ClockDisagrees {
        /// The request's `UtcNow`.
        given: Ticks,
        /// The decision's clock.
        now: Ticks,
    },
    /// A condition of the world reads an attribute that Azure supplies on every request of this
    /// action, and the request omits it ([decision R13](crate::spec::decisions#decision-r13)): an
    /// input error, never a default.
    AttributeOmitted {
        /// The attribute, as written in a condition (`@Resource[…]`).
        attribute: &'w str,
        /// The request's action.
        action: String,
    },
    /// The role to assign may not be assigned at the scope: none of its `assignableScopes` is the
    /// scope or above it ([decision R16](crate::spec::decisions#decision-r16)).
    NotAssignable {
        /// The role.
        role: &'w RoleDefinition,
        /// Where it was to be assigned.
        scope: Scope,
    },
    /// The role to assign is a custom role with data actions, and the scope a management group,
    /// where Azure assigns no such role ([decision R21](crate::spec::decisions#decision-r21)).
    DataActionsAtManagementGroup {
        /// The role.
        role: &'w RoleDefinition,
        /// The management group's scope.
        scope: Scope,
    },
}

impl Reason<'_> {
    /// The sentence of [`Display`](fmt::Display), written into one allocation sized for it:
    /// `to_string` grows its string several times over a sentence this long, which costs a
    /// decision stream (`decide --requests`) about a fifth more instructions per decision.
    pub(crate) fn sentence(&self) -> String {
        // The longest fixed text of any sentence is under 110 bytes.
        let named = match self {
            Reason::Denied(deny) => {
                deny.name.as_deref().unwrap_or(&deny.id).len() + deny.scope.as_str().len()
            }
            Reason::Granted {
                role, assignment, ..
            } => role.role_name.len() + assignment.id.len() + assignment.scope.as_str().len() + 36,
            Reason::ConditionsFalse(asked)
            | Reason::OnlyEligible(asked)
            | Reason::OnlyInactive(asked)
            | Reason::NotGranted(asked) => asked.action.len() + asked.scope.as_str().len(),
            Reason::WorkerFailed | Reason::ClockDisagrees { .. } => 60,
            Reason::AttributeOmitted { attribute, action } => attribute.len() + action.len(),
            Reason::DenyNotPlaced { deny, scope } => {
                deny.id.len() + deny.scope.as_str().len() + 2 * scope.as_str().len()
            }
            Reason::DataActionsAtManagementGroup { role, scope } => {
                role.role_name.len() + scope.as_str().len()
            }
            Reason::NotAssignable { role, scope } => {
                role.role_name.len()
                    + scope.as_str().len()
                    + role
                        .assignable_scopes
                        .iter()
                        .map(|s| s.to_string().len() + 2)
                        .sum::<usize>()
            }
        };
        let mut sentence = String::with_capacity(110 + named);
        let _ = fmt::Write::write_fmt(&mut sentence, format_args!("{self}"));
        sentence
    }
}

impl fmt::Display for Reason<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Denied(deny) => write!(
                f,
                "denied by deny assignment {} at {}",
                deny.name.as_deref().unwrap_or(&deny.id),
                deny.scope
            ),
            Reason::Granted {
                role,
                assignment,
                via_group,
            } => {
                write!(
                    f,
                    "granted by {} (assignment {} at {}",
                    role.role_name, assignment.id, assignment.scope
                )?;
                match via_group {
                    Some(group) => write!(f, ", through group {group})"),
                    None => f.write_str(")"),
                }
            }
            Reason::ConditionsFalse(asked) => write!(
                f,
                "roles grant {} {} at {}, but every granting assignment's condition is false",
                asked.kind(),
                asked.action,
                asked.scope
            ),
            Reason::OnlyEligible(asked) => write!(
                f,
                "only PIM-eligible assignments grant {} {} at {}; eligible assignments grant \
                 nothing until activated",
                asked.kind(),
                asked.action,
                asked.scope
            ),
            Reason::OnlyInactive(asked) => write!(
                f,
                "only PIM assignments outside their schedule or not provisioned grant {} {} at \
                 {} at the decision's time",
                asked.kind(),
                asked.action,
                asked.scope
            ),
            Reason::NotGranted(asked) => write!(
                f,
                "no role grants {} {} at {}",
                asked.kind(),
                asked.action,
                asked.scope
            ),
            Reason::WorkerFailed => f.write_str("internal error: a worker failed"),
            Reason::ClockDisagrees { given, now } => write!(
                f,
                "cannot decide: the request's UtcNow {given} is not the decision's time {now} \
                 (give --now {given}, or leave UtcNow out)"
            ),
            Reason::AttributeOmitted { attribute, action } => write!(
                f,
                "cannot decide: a condition reads {attribute}, which Azure supplies on every \
                 {action} request, and the request omits it; give it in the request"
            ),
            Reason::DenyNotPlaced { deny, scope } => write!(
                f,
                "cannot decide: deny assignment {} at {} names the caller and the action, but \
                 no hierarchy places {scope} under {} groups; give --hierarchy with {scope} in it",
                deny.name.as_deref().unwrap_or(&deny.id),
                deny.scope,
                if scope.service_group().is_some() {
                    "service"
                } else {
                    "management"
                },
            ),
            Reason::DataActionsAtManagementGroup { role, scope } => write!(
                f,
                "{} cannot be assigned at {scope}: a custom role with data actions cannot be \
                 assigned at a management group",
                role.role_name
            ),
            Reason::NotAssignable { role, scope } => write!(
                f,
                "{} cannot be assigned at {scope}: its assignable scopes are {}",
                role.role_name,
                role.assignable_scopes
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// A decision: why, and what each candidate assignment did. Allowed exactly when the reason
/// is [`Reason::Granted`].
#[derive(Clone, Debug)]
pub struct Decision<'w> {
    /// Why.
    pub reason: Reason<'w>,
    /// Every assignment of the caller and its groups at the scope or above, in input order
    /// (none when a deny assignment decided).
    pub candidates: Vec<Candidate<'w>>,
    /// The audit-only deny assignments that apply to the request: they block nothing, and say that
    /// they would have ([decision R17](crate::spec::decisions#decision-r17)).
    pub audited: Vec<&'w DenyAssignment>,
    /// When it was decided: `@Environment[UtcNow]` for its conditions
    /// ([decision R13](crate::spec::decisions#decision-r13)).
    pub now: Ticks,
    /// What the decision rests on that Azure leaves open: a `*` between two `/` whose other
    /// reading would decide the other way ([decision R18](crate::spec::decisions#decision-r18)).
    pub warnings: Vec<DecisionWarning>,
}

/// Something a decision rests on that Azure does not document.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecisionWarning {
    /// A pattern with a `*` between two `/` decided, and reading that `*` as also matching no
    /// segment would decide the other way ([decision R18](crate::spec::decisions#decision-r18)).
    AmbiguousWildcard {
        /// The pattern, as written.
        pattern: String,
        /// The role whose block holds it, or the deny assignment's name.
        role: String,
        /// The role's GUID (`None` for a deny assignment).
        role_id: Option<uuid::Uuid>,
        /// Whether the other reading allows (else it denies).
        other_allows: bool,
    },
}

impl fmt::Display for DecisionWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecisionWarning::AmbiguousWildcard {
                pattern,
                role,
                other_allows,
                ..
            } => write!(
                f,
                "`{pattern}` of {role} decided, and Azure does not document whether its `*` \
                 between two `/` matches an empty segment: read that way, the request would be \
                 {}",
                if *other_allows { "allowed" } else { "denied" }
            ),
        }
    }
}

impl<'w> Decision<'w> {
    /// Whether the input did not suffice to decide (the decision is then a deny, and the
    /// CLI reports an input error).
    pub fn is_input_error(&self) -> bool {
        matches!(
            self.reason,
            Reason::DenyNotPlaced { .. }
                | Reason::ClockDisagrees { .. }
                | Reason::AttributeOmitted { .. }
        )
    }

    /// Whether the request is allowed.
    pub fn allowed(&self) -> bool {
        matches!(self.reason, Reason::Granted { .. })
    }

    /// The deny assignment that blocked the request, if one did.
    pub fn deny(&self) -> Option<&'w DenyAssignment> {
        match self.reason {
            Reason::Denied(deny) => Some(deny),
            _ => None,
        }
    }
}
