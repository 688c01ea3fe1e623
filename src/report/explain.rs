//! A plain-English reading of a condition, in the spirit of the descriptions Azure's docs
//! give built-in roles: for each action a block guards, what must hold for it; what holds for
//! every action; and that every other action is not restricted. Roles in GUID comparisons are
//! named from the built-in catalogue, suboperations by their display names.
//!
//! The reading follows the documented block shape, `(!(ActionMatches{…}) OR (…))`, joined
//! with `AND`. Anything else is read as it stands, with attribute names in backticks.

use std::fmt::Write as _;

use crate::catalog::{Catalog, ROLE_ASSIGNMENT_WRITE};
use crate::catalog::{RoleDefinition, find_builtin_role};
use crate::syntax::{
    AttributeName, AttributeRef, AttributeSource, Expr, ExprKind, Literal, OperandKind, Quantifier,
    Relation,
};

/// Explains `condition` (a valid tree). With `role`, also says which guarded actions the
/// role does not grant.
///
/// Reached through [`crate::Checked::explain`]:
///
/// ```
/// use azabac::Condition;
/// use azabac::catalog::Catalog;
/// use azabac::check::Checker;
/// let text = "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR \
///     (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] \
///     ForAnyOfAnyValues:GuidEquals{53ca6127-db72-4b80-b1b0-d745d6d5456d}))";
/// let checker = Checker::new(Catalog::builtin());
/// let explanation = Condition::parse(text).check(&checker).unwrap().explain();
/// assert!(explanation.contains(
///     "the role being assigned is Azure AI User (53ca6127-db72-4b80-b1b0-d745d6d5456d)"
/// ));
/// assert!(explanation.ends_with("Every other action: not restricted.\n"));
/// ```
pub fn explain(condition: &Expr, catalog: &Catalog, role: Option<&RoleDefinition>) -> String {
    explanation(condition, catalog, role).to_string()
}

/// A condition read block by block: what `azabac explain` prints (its `Display`), and the
/// shape of `explain --format json`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Explanation {
    /// The role the condition was read as a condition of (`--role`, `--role-file`).
    pub role: Option<RoleName>,
    /// The blocks joined by `AND`, in order.
    pub blocks: Vec<BlockReading>,
    /// For every action, what the blocks without an action guard require together, joined
    /// with "and"; `None` when every block is guarded, so every other action is not
    /// restricted.
    pub every_action: Option<String>,
    /// Actions of the role that no block restricts and that matter on their own: today
    /// `Microsoft.Authorization/roleAssignments/write` (AZ0318), with which the holder can
    /// assign any role. Empty without a role.
    pub unrestricted: Vec<String>,
}

/// A role's name and GUID.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleName {
    /// Its display name.
    pub name: String,
    /// Its GUID, when its definition gives one.
    pub id: Option<uuid::Uuid>,
}

/// One block of a condition, read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct BlockReading {
    /// Where the block is in the condition's text.
    pub span: crate::span::Span,
    /// The actions its `!(ActionMatches{…})` guard names, as written; empty for a block
    /// without a guard, which applies to every action.
    pub actions: Vec<String>,
    /// The guard read aloud (actions with their suboperations), for a guarded block.
    pub guard: Option<String>,
    /// What must hold for the guarded actions (or, unguarded, for every action).
    pub allows: String,
    /// For a guarded block read against a role: whether the role grants any guarded action.
    pub role_grants: Option<bool>,
    /// What an author must know: catalogue caveats, unknown actions, a block true for one
    /// action only.
    pub notes: Vec<String>,
}

/// Reads `condition` (a valid tree) block by block. With `role`, also says which guarded
/// actions the role does not grant.
pub fn explanation(
    condition: &Expr,
    catalog: &Catalog,
    role: Option<&RoleDefinition>,
) -> Explanation {
    let blocks: Vec<&Expr> = match &condition.node {
        ExprKind::And(items) => items.iter().collect(),
        _ => vec![condition],
    };
    let reader = Reader { catalog };
    let mut readings = Vec::new();
    let mut ungated = Vec::new();
    for block in blocks {
        match reader.gated(block) {
            Some((actions, guard_text, rest)) => {
                let role_grants = role.map(|role| actions.iter().any(|a| reader.grants(role, a)));
                let mut notes: Vec<String> = actions
                    .iter()
                    .filter_map(|a| reader.caveat(a))
                    .map(str::to_owned)
                    .collect();
                for unknown in actions.iter().filter(|a| reader.unknown(a)) {
                    notes.push(format!(
                        "`{unknown}` is no action azabac knows to support conditions: if it is \
                         a typo, the action meant is not restricted here."
                    ));
                }
                readings.push(BlockReading {
                    span: block.span,
                    allows: reader.sentence(&rest),
                    actions,
                    guard: Some(guard_text),
                    role_grants,
                    notes,
                });
            }
            None => {
                let mut notes = Vec::new();
                if let Some(only) = reader.only_action(block) {
                    let who = role.map_or_else(String::new, |r| format!(" of {}", r.role_name));
                    notes.push(format!(
                        "a block is true only for {only}: it denies every other action{who}."
                    ));
                } else if let Some(role) = role
                    && let Some(note) = reader.denied_for_lack(block, role)
                {
                    notes.push(note);
                }
                readings.push(BlockReading {
                    span: block.span,
                    actions: Vec::new(),
                    guard: None,
                    allows: reader.expr(block, false),
                    role_grants: None,
                    notes,
                });
                ungated.push(block);
            }
        }
    }
    let every_action = (!ungated.is_empty()).then(|| {
        let parts: Vec<String> = ungated
            .iter()
            .map(|b| reader.expr(b, ungated.len() > 1))
            .collect();
        parts.join(" and ")
    });
    let write_unrestricted = role.is_some_and(|role| {
        every_action.is_none()
            && reader.grants(role, ROLE_ASSIGNMENT_WRITE)
            && !readings
                .iter()
                .flat_map(|b| &b.actions)
                .any(|a| crate::catalog::ActionPattern::new(a).matches(ROLE_ASSIGNMENT_WRITE))
    });
    Explanation {
        role: role.map(|r| RoleName {
            name: r.role_name.clone(),
            id: r.id,
        }),
        blocks: readings,
        every_action,
        unrestricted: write_unrestricted
            .then(|| ROLE_ASSIGNMENT_WRITE.to_owned())
            .into_iter()
            .collect(),
    }
}

impl std::fmt::Display for Explanation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(role) = &self.role {
            writeln!(f, "As a condition of {}:", role.name)?;
        }
        for block in &self.blocks {
            match &block.guard {
                Some(guard) => {
                    let note = if block.role_grants == Some(false) {
                        " (the role does not grant it)"
                    } else {
                        ""
                    };
                    writeln!(f, "For {guard}{note}: allowed only when {}.", block.allows)?;
                    for caveat in &block.notes {
                        writeln!(f, "  Note: {caveat}")?;
                    }
                }
                None => {
                    for note in &block.notes {
                        writeln!(f, "Note: {note}")?;
                    }
                }
            }
        }
        match &self.every_action {
            Some(sentence) => writeln!(f, "Every action: allowed only when {sentence}.")?,
            None => writeln!(f, "Every other action: not restricted.")?,
        }
        if let (Some(role), false) = (&self.role, self.unrestricted.is_empty()) {
            let actions: Vec<String> = self.unrestricted.iter().map(|a| format!("`{a}`")).collect();
            writeln!(
                f,
                "  Note: that includes {}, which {} grants: whoever holds the assignment can \
                 assign any role, Owner included.",
                actions.join(", "),
                role.name
            )?;
        }
        Ok(())
    }
}

struct Reader<'c> {
    catalog: &'c Catalog,
}

impl Reader<'_> {
    /// Whether `role` grants `action`: as a data action or a control action, as the catalogue
    /// says it is (both, for an action the catalogue does not know).
    fn grants(&self, role: &RoleDefinition, action: &str) -> bool {
        let known = self
            .catalog
            .actions()
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(action));
        match known {
            Some(info) => role.grants(action, info.data_action),
            None => role.grants(action, false) || role.grants(action, true),
        }
    }

    /// For an unguarded block whose every part must hold (comparisons and `Exists` joined by
    /// `AND`): the actions `role` grants for which one of its attributes has no value, so that the
    /// block is false and denies them (an absent attribute makes its comparison false,
    /// [LANGUAGE.md §8.3](crate::spec::language#section-8-3)).
    fn denied_for_lack(&self, block: &Expr, role: &RoleDefinition) -> Option<String> {
        let parts: Vec<&Expr> = match &block.node {
            ExprKind::And(items) => items.iter().collect(),
            _ => vec![block],
        };
        let mut attributes: Vec<&AttributeRef> = Vec::new();
        for part in parts {
            match &part.node {
                ExprKind::Comparison(comparison) => {
                    for operand in [&comparison.left, &comparison.right] {
                        if let OperandKind::Attribute(attribute) = &operand.node {
                            attributes.push(attribute);
                        }
                    }
                }
                ExprKind::Exists(attribute) => attributes.push(&attribute.node),
                _ => {}
            }
        }
        // The operations (action, suboperation) the role grants that some attribute lacks;
        // an attribute the catalogue does not know says nothing.
        let catalog = self.catalog;
        let lacks = |index: usize| {
            attributes.iter().any(|a| {
                catalog.attribute(&a.name).is_some_and(|resolved| {
                    !resolved
                        .attribute
                        .source(a.source)
                        .is_some_and(|s| s.operations.contains(index))
                })
            })
        };
        let denied: Vec<String> = (0..catalog.operations().len())
            .filter(|&index| {
                catalog
                    .action_of(index)
                    .is_some_and(|action| role.grants(&action.name, action.data_action))
            })
            .filter(|&index| lacks(index))
            .map(|index| catalog.describe(index))
            .collect();
        let (shown, more) = denied.split_at(denied.len().min(3));
        let mut list = shown.join(", ");
        if list.is_empty() {
            return None;
        }
        if !more.is_empty() {
            let _ = write!(list, " and {} more", more.len());
        }
        let them = if denied.len() == 1 { "it" } else { "them" };
        Some(format!(
            "an attribute this block reads has no value for {list}, which {} grants: the block \
             is false there and denies {them}.",
            role.role_name
        ))
    }

    /// Whether `action` is neither a catalogue action nor a pattern with `*`.
    fn unknown(&self, action: &str) -> bool {
        !action.contains('*') && self.catalog.action(action).is_none()
    }

    /// For a block `ActionMatches{'A'} AND …`, or `ActionMatches{'A'}` itself beside other
    /// blocks (a guard without its `!`, or a deliberate one-action block), the action it is
    /// true for.
    fn only_action(&self, block: &Expr) -> Option<String> {
        let items = match &block.node {
            ExprKind::And(items) => items.as_slice(),
            _ => std::slice::from_ref(block),
        };
        items.iter().find_map(|item| match &item.node {
            ExprKind::ActionMatches(pattern) => Some(pattern.node.value().into_owned()),
            _ => None,
        })
    }

    /// What the catalogue says an author must know about `action`'s requests.
    fn caveat(&self, action: &str) -> Option<&str> {
        self.catalog.action(action)?.caveat.as_deref()
    }

    /// A block `!(guard) OR rest…`: the guarded actions, the guard read aloud, and the rest.
    fn gated<'e>(&self, block: &'e Expr) -> Option<(Vec<String>, String, Vec<&'e Expr>)> {
        let ExprKind::Or(items) = &block.node else {
            return None;
        };
        let (first, rest) = items.split_first()?;
        let ExprKind::Not(guard) = &first.node else {
            return None;
        };
        let mut actions = Vec::new();
        let text = self.guard(guard, &mut actions)?;
        Some((actions, text, rest.iter().collect()))
    }

    /// A guard of `ActionMatches` joined by `OR`, each perhaps with `AND [NOT]
    /// SubOperationMatches`; `None` for anything else.
    fn guard(&self, guard: &Expr, actions: &mut Vec<String>) -> Option<String> {
        match &guard.node {
            ExprKind::ActionMatches(pattern) => {
                let action = pattern.node.value().into_owned();
                actions.push(action.clone());
                Some(action)
            }
            ExprKind::Or(items) => {
                let parts: Option<Vec<String>> =
                    items.iter().map(|i| self.guard(i, actions)).collect();
                Some(join(&parts?, "and"))
            }
            ExprKind::And(items) => {
                let (first, rest) = items.split_first()?;
                let mut text = self.guard(first, actions)?;
                for item in rest {
                    match &item.node {
                        ExprKind::SubOperationMatches(name) => {
                            let _ = write!(text, " as {}", self.suboperation(&name.node.value()));
                        }
                        ExprKind::Not(inner) => match &inner.node {
                            ExprKind::SubOperationMatches(name) => {
                                let _ = write!(
                                    text,
                                    ", except {}",
                                    self.suboperation(&name.node.value())
                                );
                            }
                            _ => return None,
                        },
                        _ => return None,
                    }
                }
                Some(text)
            }
            _ => None,
        }
    }

    fn suboperation(&self, name: &str) -> String {
        match self.catalog.suboperation(name) {
            Some(info) => format!("{} (`{}`)", info.display_name, info.name),
            None => format!("`{name}`"),
        }
    }

    /// Several expressions, any of which allows: "a, or b".
    fn sentence(&self, items: &[&Expr]) -> String {
        let parts: Vec<String> = items.iter().map(|e| self.expr(e, false)).collect();
        parts.join(", or ")
    }

    /// One expression; `nested` puts a mixed `AND`/`OR` in parentheses.
    fn expr(&self, expr: &Expr, nested: bool) -> String {
        let wrap = |text: String| if nested { format!("({text})") } else { text };
        match &expr.node {
            ExprKind::Or(items) => wrap(
                items
                    .iter()
                    .map(|i| self.expr(i, true))
                    .collect::<Vec<_>>()
                    .join(" or "),
            ),
            ExprKind::And(items) => wrap(
                items
                    .iter()
                    .map(|i| self.expr(i, true))
                    .collect::<Vec<_>>()
                    .join(" and "),
            ),
            ExprKind::Not(inner) => match &inner.node {
                ExprKind::Exists(attribute) => format!("{} is absent", subject(&attribute.node)),
                ExprKind::ActionMatches(pattern) => {
                    format!("the action is not {}", pattern.node.value())
                }
                ExprKind::SubOperationMatches(name) => {
                    format!(
                        "the request is not {}",
                        self.suboperation(&name.node.value())
                    )
                }
                _ => format!("not {}", self.expr(inner, true)),
            },
            ExprKind::ActionMatches(pattern) => format!("the action is {}", pattern.node.value()),
            ExprKind::SubOperationMatches(name) => {
                format!("the request is {}", self.suboperation(&name.node.value()))
            }
            ExprKind::Exists(attribute) => format!("{} is present", subject(&attribute.node)),
            ExprKind::Constant(true) => "always".to_owned(),
            ExprKind::Constant(false) => "never".to_owned(),
            ExprKind::Comparison(comparison) => self.comparison(comparison),
            ExprKind::Error => "(an error)".to_owned(),
        }
    }

    fn comparison(&self, comparison: &crate::syntax::Comparison) -> String {
        let (attribute, other, swapped) = match (&comparison.left.node, &comparison.right.node) {
            (OperandKind::Attribute(a), other) => (a, other, false),
            (other, OperandKind::Attribute(a)) => (a, other, true),
            _ => return "two literals compare".to_owned(),
        };
        let operator = comparison.operator.node;
        let base = operator.base;
        let values: Vec<String> = match other {
            OperandKind::Literal(literal) => vec![value(literal)],
            OperandKind::Set(items) => items.iter().map(|l| value(&l.node)).collect(),
            OperandKind::Attribute(b) => vec![subject(b)],
        };
        let many = values.len() > 1;
        let list = |word: &str| join(&values, word);
        let relation = match (base.relation(), swapped) {
            (Relation::Equals, _) => "is",
            (Relation::StartsWith, _) => "starts with",
            (Relation::EndsWith, _) => "ends with",
            (Relation::Contains, _) => "contains",
            (Relation::Like, _) => "matches",
            (Relation::GreaterThan, false) | (Relation::LessThan, true) => "is greater than",
            (Relation::GreaterThanEquals, false) | (Relation::LessThanEquals, true) => {
                "is at least"
            }
            (Relation::LessThan, false) | (Relation::GreaterThan, true) => "is less than",
            (Relation::LessThanEquals, false) | (Relation::GreaterThanEquals, true) => "is at most",
        };
        let negated = base.is_negated();
        let subject = subject(attribute);
        let case = if base.ignores_case() {
            " (ignoring case)"
        } else {
            ""
        };
        let quantifier = operator.quantifier;
        let text = match (quantifier, negated, many) {
            (None | Some(Quantifier::ForAnyOfAnyValues), false, false) => {
                format!("{subject} {relation} {}", list("or"))
            }
            (None | Some(Quantifier::ForAnyOfAnyValues), false, true) => {
                format!("{subject} {relation} one of {}", list("or"))
            }
            (None, true, _) => format!("{subject} {} {}", not(relation), list("or")),
            (Some(Quantifier::ForAnyOfAllValues), true, true) if relation == "is" => {
                format!("{subject} is none of {}", list("or"))
            }
            (Some(Quantifier::ForAnyOfAllValues), true, _) => {
                format!("{subject} {} {}", not(relation), either(&values))
            }
            (Some(Quantifier::ForAllOfAnyValues), false, _) => {
                format!(
                    "every value of {subject} {relation} {}{}",
                    if many { "one of " } else { "" },
                    list("or")
                )
            }
            (Some(Quantifier::ForAllOfAllValues), true, _) => {
                format!("no value of {subject} {relation} {}", list("or"))
            }
            (Some(Quantifier::ForAnyOfAnyValues), true, _) => {
                format!(
                    "some value of {subject} {} some value of {}",
                    not(relation),
                    list("and")
                )
            }
            (Some(Quantifier::ForAllOfAnyValues), true, _) => {
                format!(
                    "every value of {subject} {} some value of {}",
                    not(relation),
                    list("and")
                )
            }
            (Some(Quantifier::ForAnyOfAllValues), false, _) => {
                format!("some value of {subject} {relation} all of {}", list("and"))
            }
            (Some(Quantifier::ForAllOfAllValues), false, _) => {
                format!("every value of {subject} {relation} all of {}", list("and"))
            }
        };
        format!("{text}{case}")
    }
}

/// "is" → "is not", "matches" → "does not match", "starts with" → "does not start with".
fn not(relation: &str) -> String {
    match relation.strip_prefix("is ") {
        Some(rest) => format!("is not {rest}"),
        None if relation == "is" => "is not".to_owned(),
        None => match relation.split_once(' ') {
            Some((verb, rest)) => format!("does not {} {rest}", verb.trim_end_matches('s')),
            None => match relation {
                "matches" => "does not match".to_owned(),
                "contains" => "does not contain".to_owned(),
                other => format!("does not {other}"),
            },
        },
    }
}

/// "a", "a or b", "any of a, b or c" for a negated list.
fn either(values: &[String]) -> String {
    if values.len() > 1 {
        format!("any of {}", join(values, "or"))
    } else {
        join(values, "or")
    }
}

/// "a", "a and b", "a, b and c".
fn join(items: &[String], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {word} {last}", init.join(", ")),
    }
}

/// A literal read aloud: roles by name, strings quoted.
fn value(literal: &Literal) -> String {
    match literal {
        Literal::Guid(guid) => guid_text(&guid.to_string()),
        Literal::String(s) => {
            let text = s.value();
            match uuid::Uuid::parse_str(&text) {
                Ok(guid) => guid_text(&guid.to_string()),
                Err(_) => format!("'{text}'"),
            }
        }
        Literal::Integer(n) => n.to_string(),
        Literal::Bool(b) => b.to_string(),
    }
}

/// A GUID: the built-in role it names, with the whole GUID (what a Terraform or Bicep author
/// pastes back into the condition), or the GUID alone.
fn guid_text(guid: &str) -> String {
    match find_builtin_role(guid) {
        Some(role) => format!("{} ({guid})", role.role_name),
        None => guid.to_owned(),
    }
}

/// What an attribute is, in words where the docs give it one.
fn subject(attribute: &AttributeRef) -> String {
    const ASSIGNMENTS: &str = "microsoft.authorization/roleassignments";
    let source = attribute.source;
    match &attribute.name {
        AttributeName::Qualified {
            path,
            attribute: name,
        } if path.eq_ignore_ascii_case(ASSIGNMENTS) => {
            let lower = name.to_ascii_lowercase();
            match (source, lower.as_str()) {
                (AttributeSource::Request, "roledefinitionid") => "the role being assigned".into(),
                (AttributeSource::Resource, "roledefinitionid") => {
                    "the role of the assignment being deleted".into()
                }
                (AttributeSource::Request, "principalid") => "the principal being assigned".into(),
                (AttributeSource::Resource, "principalid") => {
                    "the principal of the assignment being deleted".into()
                }
                (AttributeSource::Request, "principaltype") => {
                    "the type of the principal being assigned".into()
                }
                (AttributeSource::Resource, "principaltype") => {
                    "the type of the principal of the assignment being deleted".into()
                }
                _ => format!("`@{}[{}]`", source.name(), attribute.name),
            }
        }
        AttributeName::Keyed { path, key }
            if path.to_ascii_lowercase().ends_with("/blobs/tags") =>
        {
            match source {
                AttributeSource::Request => format!("the blob index tag `{key}` being written"),
                _ => format!("the blob's index tag `{key}`"),
            }
        }
        AttributeName::KeySet { path } if path.to_ascii_lowercase().ends_with("/blobs/tags") => {
            match source {
                AttributeSource::Request => "the keys of the blob index tags being written".into(),
                _ => "the keys of the blob's index tags".into(),
            }
        }
        _ => format!("`@{}[{}]`", source.name(), attribute.name),
    }
}
