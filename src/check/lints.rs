//! The lints that need a whole comparison: constants compared with constants, vacuous or
//! contradictory sets, tautologies, and provider-specific operators
//! ([decision 21](crate::spec::decisions#decision-21)).

use std::collections::BTreeSet;

use super::Pass;
use super::attribute::is_request;
use super::comparison::{LOG_ANALYTICS_PREFIX, Side, show};
use crate::diagnostic::suggest::closest;
use crate::diagnostic::{Code, Diagnostic};
use crate::span::{Span, Spanned};
use crate::syntax::{Literal, Operator, Relation};

impl Pass<'_, '_> {
    pub(super) fn lints(
        &mut self,
        operator: Operator,
        span: Span,
        left: &Side<'_, '_>,
        right: &Side<'_, '_>,
    ) {
        let is_attribute = |side: &Side<'_, '_>| matches!(side, Side::Attribute { .. });
        if !is_attribute(left) && !is_attribute(right) {
            self.push(
                Diagnostic::new(
                    Code::ConstantComparison,
                    left.span().to(right.span()),
                    "this compares two literals, so its value never depends on the request",
                )
                .with_help("compare an attribute, such as `@Resource[…]`, with the literal"),
            );
        }
        if let Some(quantifier) = operator.quantifier
            && operator.base.relation() == Relation::Equals
            && left.is_single_valued()
            && let Side::Set(items, set_span) = right
        {
            let base = operator.base.name();
            // One value cannot equal every member of a set of different values: "any of"
            // a negated equality is then always true, and "all of" an equality never.
            let verdict = match (operator.base.is_negated(), quantifier.all_right()) {
                (true, false) => Some((
                    "always true",
                    "to allow only values outside the set, write `ForAnyOfAllValues:",
                )),
                (false, true) => Some((
                    "never true",
                    "to allow any value of the set, write `ForAnyOfAnyValues:",
                )),
                _ => None,
            };
            // Values known only at deployment may equal their neighbours, or not.
            let known = !items.iter().any(|item| self.checker.is_unknown(item.span));
            if let Some((verdict, help)) = verdict.filter(|_| items.len() >= 2 && known) {
                let distinct = distinct_values(items, operator.base.ignores_case());
                if distinct >= 2 {
                    self.push(
                        Diagnostic::new(
                            Code::ConstantComparison,
                            span,
                            format!("`{operator}` with {distinct} different values is {verdict}: one value cannot equal all of them"),
                        )
                        .with_label(*set_span, "different values")
                        .with_help(format!("{help}{base}`")),
                    );
                }
            }
        }
        self.guid_deny_list(operator, span, left, right);
        self.never_sent_values(operator, span, left, right);
        if let Some(quantifier) = operator.quantifier {
            for (side, all) in [
                (left, quantifier.all_left()),
                (right, quantifier.all_right()),
            ] {
                if let Side::Attribute {
                    reference,
                    span: attribute_span,
                    ..
                } = side
                    && all
                    && side.is_multi_valued()
                    && is_request(reference)
                {
                    self.push(
                        Diagnostic::new(
                            Code::VacuousForAll,
                            span,
                            format!("`{}` is true when the request's `{}` is empty", quantifier.name(), reference.name),
                        )
                        .with_label(*attribute_span, "supplied by the request")
                        .with_help(format!(
                            "if a request with no values must not pass, also require one: `AND @Request[{}] ForAnyOfAnyValues:StringLike {{'*'}}`",
                            reference.name
                        )),
                    );
                }
            }
        }
        for side in [left, right] {
            let Side::Attribute {
                reference,
                resolved: Some(resolved),
                ..
            } = side
            else {
                continue;
            };
            let entry = &resolved.attribute.entry;
            let key_vault_only = matches!(
                operator.base.relation(),
                Relation::EndsWith | Relation::Contains
            );
            if key_vault_only
                && !resolved
                    .attribute
                    .operators
                    .iter()
                    .any(|o| o.base == operator.base)
            {
                let name = operator.base.name();
                let message = if entry.name.starts_with("Microsoft.KeyVault/") {
                    format!(
                        "`{name}` is not in Microsoft's current documentation: the Key Vault ABAC \
                         page listed it until its revision of 2026-07-28"
                    )
                } else {
                    format!(
                        "`{name}` is not in Microsoft's current documentation; an earlier Key \
                         Vault page listed it for Key Vault attributes only, not `{}`",
                        reference.name
                    )
                };
                self.push(
                    Diagnostic::new(Code::KeyVaultOnlyOperator, span, message).with_help(
                        "Azure is not shown to refuse it; `StringLike` with `*` expresses \
                         suffixes and substrings in the documented language",
                    ),
                );
            }
            if operator.base.relation() == Relation::Like
                && entry.name.starts_with(LOG_ANALYTICS_PREFIX)
            {
                self.push(
                    Diagnostic::new(
                        Code::ProviderSpecificOperator,
                        span,
                        format!("Log Analytics evaluates `{}` as the KQL term match `has`, not as a wildcard", operator.base.name()),
                    )
                    .with_help("`*` and `?` have no wildcard meaning here; azabac cannot evaluate this the way Log Analytics does"),
                );
            }
        }
    }
}

fn distinct_values(items: &[Spanned<Literal>], ignore_case: bool) -> usize {
    let values: BTreeSet<String> = items
        .iter()
        .map(|item| match &item.node {
            Literal::String(s) if ignore_case => s.value().to_lowercase(),
            Literal::String(s) => s.value().into_owned(),
            Literal::Guid(g) => g.to_string(),
            other => show(other),
        })
        .collect();
    values.len()
}

/// The delegation attributes a deny-list names: roles and principals.
const DELEGATION_IDS: [&str; 2] = [
    "Microsoft.Authorization/roleAssignments:RoleDefinitionId",
    "Microsoft.Authorization/roleAssignments:PrincipalId",
];

impl Pass<'_, '_> {
    /// A `GuidNotEquals` comparison of the role or principal a role assignment names: a deny-list,
    /// which every role or principal it does not name passes, custom roles with the listed roles'
    /// permissions included ([decision 29](crate::spec::decisions#decision-29)).
    fn guid_deny_list(
        &mut self,
        operator: Operator,
        span: Span,
        left: &Side<'_, '_>,
        right: &Side<'_, '_>,
    ) {
        if operator.base != crate::syntax::BaseOperator::GuidNotEquals {
            return;
        }
        let named = [left, right].into_iter().find_map(|side| match side {
            Side::Attribute {
                resolved: Some(resolved),
                ..
            } => DELEGATION_IDS
                .iter()
                .position(|id| resolved.attribute.entry.name.eq_ignore_ascii_case(id)),
            _ => None,
        });
        let Some(which) = named else {
            return;
        };
        let (things, instead) = if which == 0 {
            (
                "role",
                "list the roles that may be assigned instead: `ForAnyOfAnyValues:GuidEquals {…}`",
            )
        } else {
            (
                "principal",
                "list the principals that may be named instead: `ForAnyOfAnyValues:GuidEquals {…}`",
            )
        };
        self.push(
            Diagnostic::new(
                Code::GuidDenyList,
                span,
                format!(
                    "a deny-list: every {things} it does not name passes, including a custom \
                     {things} made tomorrow with the same permissions as one it names"
                ),
            )
            .with_help(instead),
        );
    }
}

impl Pass<'_, '_> {
    /// Literals an attribute with a closed list of values never equals (a principal type
    /// Azure does not send, `'ManagedIdentity'`, `'Gruop'`): a comparison they make constant
    /// is AZ0304 (a negated one is then true for every value, which widens access); a value
    /// in a set that stays meaningful without it is AZ0319.
    fn never_sent_values(
        &mut self,
        operator: Operator,
        span: Span,
        left: &Side<'_, '_>,
        right: &Side<'_, '_>,
    ) {
        let Side::Attribute {
            reference,
            resolved: Some(resolved),
            ..
        } = left
        else {
            return;
        };
        let values = &resolved.attribute.entry.values;
        if values.is_empty() || operator.base.relation() != Relation::Equals {
            return;
        }
        let ignore_case = operator.base.ignores_case();
        let items: Vec<(&Literal, Span)> = match right {
            Side::Literal(literal, span) => vec![(*literal, *span)],
            Side::Set(items, _) => items.iter().map(|item| (&item.node, item.span)).collect(),
            Side::Attribute { .. } => return,
        };
        let never: Vec<(String, Span)> = items
            .iter()
            .filter(|(_, span)| !self.checker.is_unknown(*span))
            .filter_map(|(literal, span)| match literal {
                Literal::String(s) => {
                    let value = s.value();
                    let sent = values.iter().any(|v| {
                        if ignore_case {
                            v.eq_ignore_ascii_case(&value)
                        } else {
                            *v == value
                        }
                    });
                    (!sent).then(|| (value.into_owned(), *span))
                }
                _ => None,
            })
            .collect();
        let Some((first, first_span)) = never.first() else {
            return;
        };
        let all = never.len() == items.len();
        let right_all = operator.quantifier.is_some_and(|q| q.all_right()) || items.len() == 1;
        let negated = operator.base.is_negated();
        let listed = values
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let help = |value: &str| {
            let takes = format!("`{}` takes {listed}", reference.name);
            if value.to_ascii_lowercase().contains("identity") {
                // Azure sends a managed identity's principal type as its service principal's.
                return format!("a managed identity is a `ServicePrincipal`; {takes}");
            }
            match closest(value, values.iter().map(String::as_str)) {
                Some(near) => format!("did you mean `{near}`? {takes}"),
                None => takes,
            }
        };
        // "Equals one of them" needs every one to be possible when all must hold, any when
        // one must; "differs from one of them" is then always true, "from all" ignores it.
        let verdict = match (negated, right_all, all) {
            (false, true, _) | (false, false, true) => Some("never true"),
            (true, false, _) | (true, true, true) => {
                Some("true for every value a request can carry")
            }
            _ => None,
        };
        if let Some(verdict) = verdict {
            let (value, value_span) = (first, first_span);
            self.push(
                Diagnostic::new(
                    Code::ConstantComparison,
                    span,
                    format!(
                        "`'{value}'` is not a value Azure sends for `{}`, so this comparison is {verdict}",
                        reference.name
                    ),
                )
                .with_label(*value_span, "never sent")
                .with_help(help(value)),
            );
            return;
        }
        for (value, value_span) in &never {
            self.push(
                Diagnostic::new(
                    Code::NeverSentValue,
                    *value_span,
                    format!(
                        "`'{value}'` is not a value Azure sends for `{}`: it never matches",
                        reference.name
                    ),
                )
                .with_help(help(value)),
            );
        }
    }
}
