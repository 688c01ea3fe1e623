//! The decision procedure ([RBAC.md §1.4](crate::spec::rbac#section-1-4)): deny assignments first,
//! then the caller's and its groups' assignments at the scope or above, their roles and their
//! conditions.

use std::panic::AssertUnwindSafe;
use std::sync::LazyLock;

use rayon::prelude::*;

use super::access::AccessRequest;
use super::decision::{Candidate, CandidateResult, Decision, DecisionWarning, Reason, Requested};
use super::scopes::Ancestry;
use super::{Deny, World};
use crate::catalog::{ActionPattern, Reading, RoleDefinition};
use crate::eval::{Program, Request, Slot, Ticks};
use crate::id::AssignableScope;
use crate::rbac::{DenyAssignment, DenyEffect, Grant, Scope};
use crate::syntax::{AttributeName, AttributeRef, AttributeSource};

/// `@Environment[UtcNow]`, which a decision gives its conditions
/// ([decision R13](crate::spec::decisions#decision-r13)), as the slot requests are read by: made
/// once, since making a slot hashes its name.
static UTC_NOW: LazyLock<Slot> = LazyLock::new(|| {
    Slot::of(&AttributeRef {
        source: AttributeSource::Environment,
        name: AttributeName::Name("UtcNow".into()),
    })
});

/// The reading a decision reads patterns by, and the first pattern it met that an action
/// matches under one reading of a `*` between two `/` and not the other
/// ([decision R18](crate::spec::decisions#decision-r18)): with the role (or deny assignment)
/// that holds it.
struct TwoReadings<'w> {
    reading: Reading,
    found: Option<(&'w ActionPattern, &'w str, Option<uuid::Uuid>)>,
}

impl<'w> TwoReadings<'w> {
    fn new(reading: Reading) -> TwoReadings<'w> {
        TwoReadings {
            reading,
            found: None,
        }
    }

    /// Notes the first pattern of `blocks` that reads `action` two ways, held by `holder`: a
    /// reason to decide again by the other reading. Only what could decide is noted (the
    /// caller's active assignments, the deny assignments that name the caller); what the warning
    /// names is what did decide ([`culprit`]), this only when that holds no such pattern.
    fn note(
        &mut self,
        blocks: &'w [super::Block],
        action: &str,
        data: bool,
        holder: impl FnOnce() -> (&'w str, Option<uuid::Uuid>),
    ) {
        if self.found.is_some() || !blocks.iter().any(|block| block.open(data)) {
            return;
        }
        if let Some(pattern) = blocks
            .iter()
            .filter(|block| block.open(data))
            .find_map(|block| block.permission.read_two_ways(action, data))
        {
            let (role, role_id) = holder();
            self.found = Some((pattern, role, role_id));
        }
    }
}

impl World {
    /// Decides many requests on up to `threads` threads (rayon's work stealing, measured
    /// against a hand-made chunked map in `docs/performance.md`); the decisions come in input
    /// order. Should a worker fail (a bug), every decision is a deny.
    pub fn decide_all(
        &self,
        requests: &[AccessRequest],
        now: Ticks,
        threads: std::num::NonZeroUsize,
    ) -> Vec<Decision<'_>> {
        let decide_all = || -> Vec<Decision<'_>> {
            requests
                .par_iter()
                .map(|access| self.decide(access, now, false))
                .collect()
        };
        let decided = match rayon::ThreadPoolBuilder::new()
            .num_threads(threads.get())
            .build()
        {
            Ok(pool) => std::panic::catch_unwind(AssertUnwindSafe(|| pool.install(decide_all))),
            // No threads to be had: decide here, in order.
            Err(_) => Ok(requests
                .iter()
                .map(|a| self.decide(a, now, false))
                .collect()),
        };
        decided.unwrap_or_else(|_| {
            requests
                .iter()
                .map(|_| Decision {
                    reason: Reason::WorkerFailed,
                    candidates: Vec::new(),
                    audited: Vec::new(),
                    now,
                    warnings: Vec::new(),
                })
                .collect()
        })
    }

    /// The enforced deny assignment that applies to the request, if any
    /// ([RBAC.md §1.4](crate::spec::rbac#section-1-4) steps 3–4); the audit-only ones that apply
    /// are added to `audited` ([decision R17](crate::spec::decisions#decision-r17)), nearest scope
    /// first, up to the enforced one.
    fn denied_by<'w>(
        &'w self,
        access: &AccessRequest,
        request: &Request,
        ancestry: &Ancestry,
        audited: &mut Vec<&'w DenyAssignment>,
        read: &mut TwoReadings<'w>,
    ) -> Option<&'w DenyAssignment> {
        let action = request.action_key();
        let data = request.is_data_action();
        // A deny condition that fails to evaluate still denies (decision R2).
        let holds = |program: Option<&Program>| {
            program.is_none_or(|p| {
                let outcome = p.run(request);
                outcome.result || outcome.error.is_some()
            })
        };
        // Denies apply from scopes that match under either case mapping (decision R15).
        for &scope in ancestry.chain.iter().chain(&ancestry.deny_only) {
            let at_scope = ancestry.is_at_scope(scope);
            let Some(info) = self.scopes.info.get(scope as usize) else {
                continue;
            };
            for &index in &info.deny {
                let Some(Deny {
                    assignment: deny,
                    condition,
                    blocks,
                }) = self.deny.get(index as usize)
                else {
                    continue;
                };
                if !at_scope && deny.do_not_apply_to_child_scopes {
                    continue;
                }
                if !access.named_by(deny) {
                    continue;
                }
                // Noted as a reason to decide again by the other reading; what is named is
                // what decided (`culprit`). Conditions are not run for it, and an audit-only
                // deny changes no decision.
                if deny.effect == DenyEffect::Enforced {
                    read.note(blocks, action, data, || {
                        (deny.name.as_deref().unwrap_or(&deny.id), None)
                    });
                }
                let denies_action = blocks.iter().any(|block| {
                    block.permission.grants_read(action, data, read.reading)
                        && holds(block.condition.as_deref())
                });
                if denies_action && holds(condition.as_deref()) {
                    match deny.effect {
                        DenyEffect::Enforced => return Some(deny),
                        DenyEffect::Audit => audited.push(deny),
                    }
                }
            }
        }
        None
    }

    /// An enforced deny assignment at a management group (or service group) that names the
    /// caller and the action, when the hierarchy does not place the request's subscription or
    /// management group (or service group): it may or may not sit above the request, and azabac
    /// does not guess.
    fn unplaced_group_deny<'w>(
        &'w self,
        access: &AccessRequest,
        read: &mut TwoReadings<'w>,
    ) -> Option<(&'w DenyAssignment, Scope)> {
        if self.group_denies.is_empty() {
            return None;
        }
        let anchor = match access.scope.subscription() {
            Some(id) => Scope::parse(&format!("/subscriptions/{id}")).ok()?,
            // A group, or a resource under one: the group is what the hierarchy places.
            None => access.scope.group()?,
        };
        if self.hierarchy.parent_of(&anchor).is_some() {
            return None;
        }
        // Service groups sit only under service groups, everything else only under management
        // groups.
        let service = anchor.service_group().is_some();
        let request = &access.request;
        let (action, data) = (request.action_key(), request.is_data_action());
        self.group_denies
            .iter()
            .filter_map(|&index| self.deny.get(index as usize))
            .find(|deny| {
                let at = &deny.assignment.scope;
                at.service_group().is_some() == service
                    // At the anchor or below it, the deny is placed: the ancestors find it or
                    // it cannot apply.
                    && !self.hierarchy.is_at_or_above(&anchor, at)
                    && deny.assignment.effect == DenyEffect::Enforced
                    && access.named_by(&deny.assignment)
                    && {
                        read.note(
                            &deny.blocks,
                            action,
                            data,
                            || (deny.assignment.name.as_deref().unwrap_or(&deny.assignment.id), None),
                        );
                        deny.blocks
                            .iter()
                            .any(|block| block.permission.grants_read(action, data, read.reading))
                    }
            })
            .map(|deny| (&deny.assignment, anchor))
    }

    /// Decides whether `access` (a `roleAssignments/write` request, see
    /// [`assignment_write_request`](super::assignment_write_request)) may assign `role` at
    /// `access.scope`: a role outside its `assignableScopes` cannot be assigned there, whoever asks
    /// ([decision R16](crate::spec::decisions#decision-r16)); otherwise as [`World::decide`].
    /// Existing assignments are decided without this check, as Azure does.
    pub fn decide_assignment<'w>(
        &'w self,
        access: &AccessRequest,
        role: &'w RoleDefinition,
        now: Ticks,
        trace: bool,
    ) -> Decision<'w> {
        if !self.assignable(role, &access.scope) {
            return Decision {
                reason: Reason::NotAssignable {
                    role,
                    scope: access.scope.clone(),
                },
                candidates: Vec::new(),
                audited: Vec::new(),
                now,
                warnings: Vec::new(),
            };
        }
        if access.scope.management_group().is_some() && data_actions_of_a_custom_role(role) {
            return Decision {
                reason: Reason::DataActionsAtManagementGroup {
                    role,
                    scope: access.scope.clone(),
                },
                candidates: Vec::new(),
                audited: Vec::new(),
                now,
                warnings: Vec::new(),
            };
        }
        self.decide(access, now, trace)
    }

    /// Whether some assignable scope of `role` is `scope` or above it, or, for the type-level
    /// `/providers/Microsoft.Management/serviceGroups`, whether `scope` is a service group.
    fn assignable(&self, role: &RoleDefinition, scope: &Scope) -> bool {
        if role.assignable_scopes.is_empty() {
            return true;
        }
        let ancestors = scope.ancestors(self.hierarchy());
        role.assignable_scopes
            .iter()
            .any(|assignable| match assignable {
                AssignableScope::Scope(assignable) => {
                    ancestors.iter().any(|s| s.same_under_both(assignable))
                }
                AssignableScope::ServiceGroups => scope.service_group().is_some(),
            })
    }

    /// Decides a request at the instant `now`
    /// ([decision R13](crate::spec::decisions#decision-r13)): deny assignments, then the caller's
    /// and its groups' assignments at the scope or above, their roles and their conditions. `now`
    /// is `@Environment[UtcNow]` when the request does not give it; a request that gives another
    /// instant is an input error. With `trace`, every condition evaluated carries its trace. The
    /// library never reads a clock: the caller says when.
    pub fn decide(&self, access: &AccessRequest, now: Ticks, trace: bool) -> Decision<'_> {
        let given = access
            .request
            .slot(&UTC_NOW)
            .and_then(|operand| match operand.values {
                [crate::eval::Value::DateTime(given)] => Some(*given),
                _ => None,
            });
        match given {
            Some(given) if given != now => Decision {
                reason: Reason::ClockDisagrees { given, now },
                candidates: Vec::new(),
                audited: Vec::new(),
                now,
                warnings: Vec::new(),
            },
            None if self.reads_clock => {
                let request = access.request.clone().with(
                    AttributeSource::Environment,
                    "UtcNow",
                    crate::eval::Value::DateTime(now),
                );
                self.decide_request(access, &request, now, trace)
            }
            _ => self.decide_request(access, &access.request, now, trace),
        }
    }

    /// [`World::decide_read`] by the documented reading of `*`, and, where a pattern with a `*`
    /// between two `/` decided and the other reading would decide the other way, that said in
    /// the decision's warnings ([decision R18](crate::spec::decisions#decision-r18)). Only
    /// requests that such a pattern matches one way and not the other are decided twice.
    fn decide_request<'w>(
        &'w self,
        access: &AccessRequest,
        request: &Request,
        now: Ticks,
        trace: bool,
    ) -> Decision<'w> {
        let mut read = TwoReadings::new(Reading::Documented);
        let mut decision = self.decide_read(access, request, now, trace, &mut read);
        if let Some(noted) = read.found {
            let mut other = TwoReadings::new(Reading::Other);
            let other = self.decide_read(access, request, now, false, &mut other);
            if other.allowed() != decision.allowed() && !other.is_input_error() {
                let (pattern, role, role_id) = culprit(request, &decision, &other).unwrap_or(noted);
                decision.warnings.push(DecisionWarning::AmbiguousWildcard {
                    pattern: pattern.as_str().to_owned(),
                    role: role.to_owned(),
                    role_id,
                    other_allows: other.allowed(),
                });
            }
        }
        decision
    }

    /// [`World::decide`] with `request` standing for `access.request` (which may lack the
    /// clock), patterns read as `read` says, noting there the first pattern that reads the
    /// action two ways among those that could decide it (of the caller's active assignments and
    /// of the deny assignments that hold); [`World::decide_request`] warns only when the other
    /// reading flips the decision.
    fn decide_read<'w>(
        &'w self,
        access: &AccessRequest,
        request: &Request,
        now: Ticks,
        trace: bool,
        read: &mut TwoReadings<'w>,
    ) -> Decision<'w> {
        let action = request.action_key();
        let data = request.is_data_action();
        if let Some(omitted) = self
            .always_read
            .iter()
            .find(|always| request.slot(&always.slot).is_none() && always.supplied_on(request))
        {
            return Decision {
                reason: Reason::AttributeOmitted {
                    attribute: &omitted.written,
                    action: request.action().into(),
                },
                candidates: Vec::new(),
                audited: Vec::new(),
                now,
                warnings: Vec::new(),
            };
        }
        let ancestry = self.scopes.ancestors(&access.scope);

        let mut audited = Vec::new();
        if let Some(deny) = self.denied_by(access, request, &ancestry, &mut audited, read) {
            return Decision {
                reason: Reason::Denied(deny),
                candidates: Vec::new(),
                audited,
                now,
                warnings: Vec::new(),
            };
        }
        if let Some((deny, scope)) = self.unplaced_group_deny(access, read) {
            return Decision {
                reason: Reason::DenyNotPlaced { deny, scope },
                candidates: Vec::new(),
                audited,
                now,
                warnings: Vec::new(),
            };
        }

        // The caller's and its groups' assignments at the scope or above (steps 5–9).
        let mut indices: Vec<u32> = Vec::new();
        for principal in std::iter::once(&access.principal_id).chain(&access.group_ids) {
            for &(scope, index) in self.by_principal.get(principal) {
                if ancestry.chain.contains(&scope) {
                    indices.push(index);
                }
            }
        }
        indices.sort_unstable();
        indices.dedup();
        let mut candidates = Vec::with_capacity(indices.len());
        for index in indices {
            let Some(indexed) = self.assignments.get(index as usize) else {
                continue;
            };
            let Some(role) = self.roles.get(indexed.role) else {
                continue;
            };
            let assignment = &indexed.assignment;
            let mut candidate = Candidate {
                assignment,
                role,
                via_group: (assignment.principal_id != access.principal_id)
                    .then_some(assignment.principal_id),
                result: CandidateResult::ActionNotGranted,
                role_condition: None,
                condition: None,
            };
            // Only an assignment that grants now can decide, however `*` is read.
            if assignment.grant != Grant::Eligible && assignment.grant.active_at(now) {
                read.note(&indexed.blocks, action, data, || {
                    (role.role_name.as_str(), role.id)
                });
            }
            let mut granting = indexed
                .blocks
                .iter()
                .filter(|block| block.permission.grants_read(action, data, read.reading))
                .map(|block| block.condition.as_deref())
                .peekable();
            if granting.peek().is_none() {
                candidates.push(candidate);
                continue;
            }
            // PIM (decision R11): an eligibility grants nothing until activated, a schedule only
            // inside its window, at the decision's clock.
            if assignment.grant == Grant::Eligible {
                candidate.result = CandidateResult::Eligible;
                candidates.push(candidate);
                continue;
            }
            if !assignment.grant.active_at(now) {
                candidate.result = CandidateResult::Inactive;
                candidates.push(candidate);
                continue;
            }
            // A role grants through any block whose condition holds (decision 14).
            let mut role_ok = false;
            for condition in granting {
                match condition {
                    None => {
                        role_ok = true;
                        candidate.role_condition = None;
                        break;
                    }
                    Some(program) => {
                        let result = self.condition(program, request, trace);
                        let holds = result.result;
                        candidate.role_condition = Some(result);
                        if holds {
                            role_ok = true;
                            break;
                        }
                    }
                }
            }
            let own_ok = match (role_ok, indexed.condition.as_deref()) {
                (false, _) => false,
                (true, None) => true,
                (true, Some(program)) => {
                    let result = self.condition(program, request, trace);
                    let holds = result.result;
                    candidate.condition = Some(result);
                    holds
                }
            };
            candidate.result = if own_ok {
                CandidateResult::Granted
            } else {
                CandidateResult::ConditionFalse
            };
            candidates.push(candidate);
        }

        let granted = candidates
            .iter()
            .find(|c| c.result == CandidateResult::Granted);
        let any = |result: CandidateResult| candidates.iter().any(|c| c.result == result);
        let asked = || Requested {
            action: request.action().into(),
            data_action: data,
            scope: access.scope.clone(),
        };
        let reason = match granted {
            Some(c) => Reason::Granted {
                role: c.role,
                assignment: c.assignment,
                via_group: c.via_group,
            },
            None if any(CandidateResult::ConditionFalse) => Reason::ConditionsFalse(asked()),
            None if any(CandidateResult::Eligible) => Reason::OnlyEligible(asked()),
            None if any(CandidateResult::Inactive) => Reason::OnlyInactive(asked()),
            None => Reason::NotGranted(asked()),
        };
        Decision {
            reason,
            candidates,
            audited,
            now,
            warnings: Vec::new(),
        }
    }
}

/// What made two decisions of one request, by the two readings of a `*` between two `/`,
/// differ ([decision R18](crate::spec::decisions#decision-r18)): a deny assignment that applies
/// under one reading only, else an assignment that grants under one reading only; with the
/// first of its patterns that reads the action two ways, and its name (and role id). `None`
/// when neither holds such a pattern.
fn culprit<'w>(
    request: &Request,
    one: &Decision<'w>,
    other: &Decision<'w>,
) -> Option<(&'w ActionPattern, &'w str, Option<uuid::Uuid>)> {
    let action = request.action_key();
    let data = request.is_data_action();
    let denied_by = |decision: &Decision<'w>| match decision.reason {
        Reason::Denied(deny) | Reason::DenyNotPlaced { deny, .. } => Some(deny),
        _ => None,
    };
    let (first, second) = (denied_by(one), denied_by(other));
    let deny = match (first, second) {
        (Some(a), b) if b.is_none_or(|b| b.id != a.id) => Some(a),
        (a, Some(b)) if a.is_none_or(|a| a.id != b.id) => Some(b),
        _ => None,
    };
    if let Some(deny) = deny
        && let Some(pattern) = deny
            .permissions
            .iter()
            .find_map(|p| p.read_two_ways(action, data))
    {
        return Some((pattern, deny.name.as_deref().unwrap_or(&deny.id), None));
    }
    let (allowing, denying) = if one.allowed() {
        (one, other)
    } else {
        (other, one)
    };
    allowing
        .candidates
        .iter()
        .filter(|c| c.result == CandidateResult::Granted)
        .filter(|c| {
            !denying.candidates.iter().any(|d| {
                std::ptr::eq(d.assignment, c.assignment) && d.result == CandidateResult::Granted
            })
        })
        .find_map(|c| {
            let pattern = c
                .role
                .permissions
                .iter()
                .find_map(|p| p.read_two_ways(action, data))?;
            Some((pattern, c.role.role_name.as_str(), c.role.id))
        })
}

/// Whether `role` is a custom role (no built-in role has its GUID) with data actions, which
/// Azure does not assign at a management group
/// ([decision R21](crate::spec::decisions#decision-r21)).
pub(super) fn data_actions_of_a_custom_role(role: &RoleDefinition) -> bool {
    let built_in = role
        .id
        .is_some_and(|id| crate::catalog::find_builtin_role(&id.to_string()).is_some());
    !built_in
        && role
            .permissions
            .iter()
            .any(|block| !block.data_actions.is_empty())
}
