//! Running a suite's cases: each condition case evaluated with its trace, each decision case
//! decided with its candidates, against what the case expects.

use super::{Case, CaseKind, CaseResult, Suite, Target};

impl Suite {
    /// Runs every case.
    pub fn run(&self) -> Vec<CaseResult> {
        self.cases.iter().map(|case| self.run_case(case)).collect()
    }

    fn run_case(&self, case: &Case) -> CaseResult {
        let word = |allowed: bool| if allowed { "allow" } else { "deny" };
        match (&self.target, &case.kind) {
            (Target::Condition(program), CaseKind::Condition { request, expect }) => {
                let trace = program.trace(request);
                CaseResult {
                    name: case.name.clone(),
                    path: case.path.clone(),
                    passed: trace.result == *expect,
                    expected: expect.to_string(),
                    actual: trace.result.to_string(),
                    reason: trace.error.as_ref().map(ToString::to_string),
                    details: trace.render(),
                }
            }
            (
                Target::World(world),
                CaseKind::Decision {
                    request,
                    expect,
                    reason,
                },
            ) => {
                let decision = world.decide(request, true);
                let sentence = decision.reason.to_string();
                let reason_ok = reason
                    .as_ref()
                    .is_none_or(|phrase| sentence.contains(phrase.as_str()));
                let mut details = String::new();
                for c in &decision.candidates {
                    details.push_str(&format!(
                        "{} at {}: {}\n",
                        c.role.role_name,
                        c.assignment.scope,
                        c.result.as_str()
                    ));
                    for (label, result) in [
                        ("role condition", &c.role_condition),
                        ("condition", &c.condition),
                    ] {
                        if let Some(trace) = result.as_ref().and_then(|r| r.trace.as_ref()) {
                            details.push_str(&format!("  {label}:\n"));
                            for line in trace.render().lines() {
                                details.push_str(&format!("    {line}\n"));
                            }
                        }
                    }
                }
                CaseResult {
                    name: case.name.clone(),
                    path: case.path.clone(),
                    passed: decision.allowed() == *expect && reason_ok,
                    expected: match reason {
                        Some(phrase) => format!("{} (reason containing {phrase:?})", word(*expect)),
                        None => word(*expect).to_owned(),
                    },
                    actual: word(decision.allowed()).to_owned(),
                    reason: Some(sentence),
                    details,
                }
            }
            _ => CaseResult {
                name: case.name.clone(),
                path: case.path.clone(),
                passed: false,
                expected: String::new(),
                actual: format!("case {} does not fit the suite", case.path),
                reason: None,
                details: String::new(),
            },
        }
    }
}
