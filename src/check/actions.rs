//! What guards name: each action pattern and suboperation checked against the catalogue (and,
//! with a role, against what the role grants), and the reports that need every block:
//! requests no block gates, and bypasses of a restriction (`Blob.List`).

use super::Pass;
use super::targets::PatternId;
use crate::diagnostic::{Code, Diagnostic, suggest};
use crate::span::Span;

impl Pass<'_, '_> {
    pub(super) fn action_pattern(&mut self, id: PatternId, span: Span) {
        let checker = self.checker;
        let (Some(pattern), Some(known)) =
            (self.patterns.pattern(id), self.patterns.operations(id))
        else {
            return;
        };
        let mut found = Vec::new();
        if known.is_empty() {
            let names = checker.catalog.actions().iter().map(|a| a.name.as_str());
            let help = match suggest::closest(pattern.as_str(), names) {
                Some(name) => format!("did you mean `{name}`?"),
                None => "a condition only ever sees the actions its role assignment grants; if Azure added this action, declare it in a catalogue file passed with `--catalog FILE`".to_owned(),
            };
            found.push(
                Diagnostic::new(
                    Code::UnknownAction,
                    span,
                    format!(
                        "`{}` matches no action known to support conditions",
                        pattern.as_str()
                    ),
                )
                .with_help(help),
            );
        }
        if let Some(role) = &checker.role {
            let granted = if known.is_empty() {
                pattern.is_wildcard()
                    || role.definition.grants(pattern.as_str(), true)
                    || role.definition.grants(pattern.as_str(), false)
            } else {
                !known.intersection(&role.granted).is_empty()
            };
            if !granted {
                found.push(
                    Diagnostic::new(
                        Code::RoleLacksAction,
                        span,
                        format!(
                            "the role `{}` does not grant `{}`",
                            role.definition.role_name,
                            pattern.as_str()
                        ),
                    )
                    .with_help("Azure rejects conditions that target actions the role lacks (InvalidRoleAssignmentCondition); target an action the role grants"),
                );
            }
        }
        for diagnostic in found {
            self.push(diagnostic);
        }
    }

    pub(super) fn suboperation(&mut self, name: &str, span: Span) {
        match self.catalog().suboperation(name) {
            None => {
                let names = self
                    .catalog()
                    .suboperations()
                    .iter()
                    .map(|s| s.name.as_str());
                let help = match suggest::closest(name, names) {
                    Some(known) => format!("did you mean `{known}`?"),
                    None => {
                        let all: Vec<String> = self
                            .catalog()
                            .suboperations()
                            .iter()
                            .map(|s| format!("`{}`", s.name))
                            .collect();
                        format!("the suboperations are {}", all.join(", "))
                    }
                };
                self.push(
                    Diagnostic::new(
                        Code::UnknownSuboperation,
                        span,
                        format!("`{name}` is not a suboperation"),
                    )
                    .with_help(help),
                );
            }
            Some(sub) if sub.status == crate::catalog::Status::Deprecated => {
                let help = sub.replacement.as_ref().map(|r| format!("instead, {r}"));
                self.push(
                    Diagnostic::new(
                        Code::Deprecated,
                        span,
                        format!("the suboperation `{}` is deprecated", sub.name),
                    )
                    .with_optional_help(help),
                );
            }
            Some(_) => {}
        }
    }

    pub(super) fn report_ungated(&mut self, ungated: &[Span], blocks: usize, whole: Span) {
        let help = "to restrict only some actions, guard the block: `!(ActionMatches{'<action>'}) OR (<expression>)`; if the role grants only the actions this is meant for, the warning can be ignored";
        if ungated.is_empty() {
            return;
        }
        if ungated.len() == blocks {
            self.push(
                Diagnostic::new(
                    Code::UngatedCondition,
                    whole,
                    "the condition has no `ActionMatches` guard, so it applies to every action the role grants",
                )
                .with_help(help),
            );
            return;
        }
        for &span in ungated {
            self.push(
                Diagnostic::new(
                    Code::UngatedCondition,
                    span,
                    "this block has no `ActionMatches` guard, so it applies to every action the role grants",
                )
                .with_help(help),
            );
        }
    }

    /// With a role: warns when the role grants an action that does what a targeted action
    /// does (blob `add/action` and `write`, ...) and no block targets it.
    pub(super) fn report_bypasses(&mut self) {
        let Some(role) = &self.checker.role else {
            return;
        };
        if self.guards.is_empty() {
            return;
        }
        let catalog = self.checker.catalog;
        let targeted = self
            .guards
            .iter()
            .fold(catalog.no_operations(), |all, guard| {
                all.union(&guard.targets.known)
            });
        let mut found = Vec::new();
        for bypass in catalog.bypasses() {
            let id = self.patterns.intern(catalog, &bypass.action);
            let Some(bypassing) = self.patterns.operations(id) else {
                continue;
            };
            let granted = !bypassing.intersection(&role.granted).is_empty();
            if !granted || !bypassing.intersection(&targeted).is_empty() {
                continue;
            }
            for guard in &self.guards {
                let hit = guard.actions.iter().find_map(|&(id, span)| {
                    let pattern = self.patterns.pattern(id)?;
                    let ops = self.patterns.operations(id)?;
                    ops.iter()
                        .any(|op| {
                            catalog
                                .action_of(op)
                                .is_some_and(|a| bypass.performs.iter().any(|p| p.matches(&a.name)))
                        })
                        .then_some((pattern, span))
                });
                if let Some((pattern, span)) = hit {
                    found.push(
                        Diagnostic::new(
                            Code::BypassingAction,
                            span,
                            format!(
                                "the role `{}` also grants `{}`, which no block targets: it bypasses the condition on `{}`",
                                role.definition.role_name,
                                bypass.action,
                                pattern.as_str()
                            ),
                        )
                        .with_help(format!(
                            "add `!(ActionMatches{{'{}'}})` to this block's guard ({})",
                            bypass.action, bypass.why
                        )),
                    );
                    break;
                }
            }
        }
        for diagnostic in found {
            self.push(diagnostic);
        }
    }
}
