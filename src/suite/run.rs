//! Running a suite's cases: each condition case evaluated with its trace, each decision case
//! decided with its candidates, against what the case expects.

use std::fmt::Write as _;

use super::{Case, CaseResult, ConditionCase, DecisionCase, Expected, Outcome, Suite, Target};
use crate::eval::{Program, Ticks};
use crate::rbac::World;

impl Suite {
    /// Runs every case; decisions are made at the suite's `now`, or else at `clock` (the
    /// library reads no clock: the caller says when).
    pub fn run(&self, clock: Ticks) -> Vec<CaseResult> {
        let now = self.now.unwrap_or(clock);
        match &self.target {
            Target::Condition { program, cases } => cases
                .iter()
                .map(|case| condition_case(program, case))
                .collect(),
            Target::World { world, cases } => cases
                .iter()
                .map(|case| decision_case(world, case, now))
                .collect(),
        }
    }
}

fn condition_case(program: &Program, case: &Case<ConditionCase>) -> CaseResult {
    let ConditionCase { request, expect } = &case.kind;
    let trace = program.trace(request);
    CaseResult {
        name: case.name.clone(),
        path: case.path.clone(),
        passed: trace.result == *expect,
        expected: Expected {
            outcome: Outcome::of_condition(*expect),
            reason_contains: None,
        },
        actual: Outcome::of_condition(trace.result),
        reason: trace.error.as_ref().map(ToString::to_string),
        details: trace.render(),
        warnings: Vec::new(),
    }
}

fn decision_case(world: &World, case: &Case<DecisionCase>, now: Ticks) -> CaseResult {
    let DecisionCase {
        request,
        assigns,
        expect,
        reason,
    } = &case.kind;
    let role = assigns.and_then(|id| world.find_role(&id.to_string()));
    let decision = match role {
        Some(role) => world.decide_assignment(request, role, now, true),
        None => world.decide(request, now, true),
    };
    let sentence = decision.reason.sentence();
    let reason_ok = reason
        .as_ref()
        .is_none_or(|phrase| sentence.contains(phrase.as_str()));
    let mut details = String::new();
    for c in &decision.candidates {
        let _ = writeln!(
            details,
            "{} at {}: {}",
            c.role.role_name,
            c.assignment.scope,
            c.result.as_str()
        );
        for (label, result) in [
            ("role condition", &c.role_condition),
            ("condition", &c.condition),
        ] {
            if let Some(trace) = result.as_ref().and_then(|r| r.trace.as_ref()) {
                let _ = writeln!(details, "  {label}:");
                for line in trace.render().lines() {
                    let _ = writeln!(details, "    {line}");
                }
            }
        }
    }
    CaseResult {
        name: case.name.clone(),
        path: case.path.clone(),
        passed: decision.allowed() == *expect && reason_ok,
        expected: Expected {
            outcome: Outcome::of_decision(*expect),
            reason_contains: reason.clone(),
        },
        actual: Outcome::of_decision(decision.allowed()),
        reason: Some(sentence),
        details,
        warnings: decision.warnings.iter().map(ToString::to_string).collect(),
    }
}
