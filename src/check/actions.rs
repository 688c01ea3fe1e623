//! What guards name: each action pattern and suboperation checked against the catalogue (and,
//! with a role, against what the role grants), and the reports that need every block:
//! requests no block gates, and bypasses of a restriction (`Blob.List`).

use super::Pass;
use super::targets::PatternId;
use crate::catalog::ROLE_ASSIGNMENT_WRITE;
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
        // An unknown pattern already has AZ0301 (with its did-you-mean); a second finding
        // that the role lacks the misspelt action would be a cascade from one slip.
        if let Some(role) = checker.role.as_ref().filter(|_| found.is_empty()) {
            let granted = !known.intersection(&role.granted).is_empty();
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
                    .with_help("a condition only sees the actions its role grants, so this target restricts nothing; target an action the role grants (a third party reports Azure refusing such a condition with InvalidRoleAssignmentCondition, which Microsoft's documentation does not confirm)"),
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

    /// With a role that can write role assignments: warns when every block is guarded and
    /// no guard targets `roleAssignments/write`, so the condition restricts other actions and
    /// leaves the one that hands out access unrestricted (a delete-only delegation condition,
    /// or a data-plane condition on `Owner`). Only called when no block is ungated: an
    /// ungated block applies to the write as well.
    pub(super) fn report_unrestricted_delegation(&mut self, whole: Span) {
        let Some(role) = &self.checker.role else {
            return;
        };
        // A misspelt target (AZ0301) is most likely the write itself: one finding per slip.
        let misspelt = self
            .diagnostics
            .iter()
            .any(|d| d.code == Code::UnknownAction);
        if self.guards.is_empty() || misspelt {
            return;
        }
        let catalog = self.checker.catalog;
        let id = self.patterns.intern(catalog, ROLE_ASSIGNMENT_WRITE);
        let Some(write) = self.patterns.operations(id) else {
            return;
        };
        if write.intersection(&role.granted).is_empty() {
            return;
        }
        let targeted = self
            .guards
            .iter()
            .any(|guard| !guard.targets.known.intersection(write).is_empty());
        if targeted {
            return;
        }
        let diagnostic = Diagnostic::new(
            Code::UnrestrictedDelegation,
            whole,
            format!(
                "the role `{}` grants `{ROLE_ASSIGNMENT_WRITE}` and no block targets it: whoever holds this assignment can assign any role, `Owner` included, at its scope",
                role.definition.role_name
            ),
        )
        .with_help(format!(
            "add a block that names the roles it may assign: `(!(ActionMatches{{'{ROLE_ASSIGNMENT_WRITE}'}})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {{…}})`"
        ));
        self.push(diagnostic);
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
