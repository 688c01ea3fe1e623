//! The JSON views of decisions, traces and evaluations: the shapes `azabac decide`, `eval` and
//! the delegation commands print (documented in `docs/cli.md`; keys in alphabetical order, as
//! `serde_json` keeps them), for scripts and for `insta::assert_json_snapshot!`.
//!
//! ```
//! use azabac::catalog::Catalog;
//! use azabac::eval::{Program, Request};
//!
//! let catalog = Catalog::builtin();
//! let program = Program::from_source("@Environment[isPrivateLink] BoolEquals true", catalog).unwrap();
//! let request = Request::from_json(r#"{"action": "a/b/read", "environment": {"isPrivateLink": false}}"#, catalog).unwrap();
//! let outcome = program.run(&request);
//! let view = azabac::report::json::evaluation(outcome.result, outcome.error.as_ref(), None, program.source());
//! assert_eq!(view, serde_json::json!({"result": false, "errors": []}));
//! ```

use std::path::Path;

use serde_json::{Value, json};

use crate::eval::{ErrorKind, EvalError, Trace, TraceValue};
use crate::rbac::{
    ConditionResult, Decision, DecisionWarning, DenyAssignment, InputError, RoleWarning,
};
use crate::report::Explanation;
use crate::span::line_column;

/// A condition's reading (`azabac explain --format json`): `{"role", "blocks", "everyAction",
/// "text"}`. `role` is `{"name", "id"}` or `null`; each block has its place in `source`
/// (`start`, `end`, 1-based `line`, `column`), `text` (its source), `actions` (the guarded
/// actions, empty for a block that applies to every action), `guard` (read aloud, or `null`),
/// `allows` (what must hold), `roleGrants` (`true`/`false` read against a role, else `null`),
/// `notes`, and `facts`: an empty list today, where proved facts about the block will go.
/// `everyAction` is what every action must meet (the unguarded blocks together), or `null`
/// when every other action is not restricted; `text` is the plain-English reading.
pub fn explanation(explanation: &Explanation, source: &str) -> Value {
    let blocks: Vec<Value> = explanation
        .blocks
        .iter()
        .map(|block| {
            let (line, column) = line_column(source, block.span.start());
            json!({
                "start": block.span.start(),
                "end": block.span.end(),
                "line": line,
                "column": column,
                "text": block.span.slice(source),
                "actions": block.actions,
                "guard": block.guard,
                "allows": block.allows,
                "roleGrants": block.role_grants,
                "notes": block.notes,
                "facts": [],
            })
        })
        .collect();
    json!({
        "role": explanation.role.as_ref().map(|r| json!({
            "name": r.name,
            "id": r.id.map(|id| id.to_string()),
        })),
        "blocks": blocks,
        "everyAction": explanation.every_action,
        "unrestricted": explanation.unrestricted,
        "text": explanation.to_string(),
    })
}

/// A decision: `{"decision", "reason", "assignments", "audited", "now", ["denyAssignment"]}`, each
/// assignment with its role, scope, result and conditions (and their traces when `trace`),
/// and the audit-only deny assignments that apply.
pub fn decision(decision: &Decision<'_>, trace: bool) -> Value {
    let assignments: Vec<Value> = decision
        .candidates
        .iter()
        .map(|c| {
            json!({
                "id": c.assignment.id,
                "role": c.role.role_name,
                "roleId": c.assignment.role_definition_id.to_string(),
                "scope": c.assignment.scope.as_str(),
                "viaGroup": c.via_group.map(|g| g.to_string()),
                "result": c.result.as_str(),
                "roleCondition": c.role_condition.as_ref().map(|r| condition(r, trace)),
                "condition": c.condition.as_ref().map(|r| condition(r, trace)),
            })
        })
        .collect();
    let audited: Vec<Value> = decision
        .audited
        .iter()
        .map(|deny| json!({"id": deny.id, "name": deny.name, "scope": deny.scope.as_str()}))
        .collect();
    let mut value = json!({
        "decision": if decision.allowed() { "allow" } else { "deny" },
        "reason": decision.reason.sentence(),
        "assignments": assignments,
        "audited": audited,
        "now": decision.now.to_string(),
    });
    if let (Some(deny), Value::Object(object)) = (decision.deny(), &mut value) {
        object.insert(
            "denyAssignment".into(),
            json!({"id": deny.id, "name": deny.name, "scope": deny.scope.as_str()}),
        );
    }
    value
}

/// One condition of a decision: `{"text", "result", "error", ["trace"]}`.
fn condition(result: &ConditionResult<'_>, trace: bool) -> Value {
    let mut value = json!({
        "text": result.text,
        "result": result.result,
        "error": result.error.map(|e| e.to_string()),
    });
    if trace && let (Some(t), Value::Object(object)) = (&result.trace, &mut value) {
        object.insert("trace".into(), self::trace(t));
    }
    value
}

/// A trace: one object per sub-expression, in tree order, `{"depth", "kind", "text", "start",
/// "end", "line", "column", "value", "decided", "reads"}`.
pub fn trace(trace: &Trace) -> Value {
    Value::Array(
        trace
            .nodes
            .iter()
            .map(|node| {
                let (line, column) = line_column(trace.source(), node.span.start());
                json!({
                    "depth": node.depth,
                    "kind": node.kind.as_str(),
                    "text": node.span.slice(trace.source()),
                    "start": node.span.start,
                    "end": node.span.end,
                    "line": line,
                    "column": column,
                    "value": match node.value {
                        TraceValue::True => json!(true),
                        TraceValue::False => json!(false),
                        TraceValue::NotEvaluated => Value::Null,
                        TraceValue::Error => json!("error"),
                    },
                    "decided": node.decided,
                    "reads": node.reads,
                })
            })
            .collect(),
    )
}

/// An evaluation of `source`: `{"result", "errors", ["trace"]}`.
pub fn evaluation(
    result: bool,
    error: Option<&EvalError>,
    trace: Option<&Trace>,
    source: &str,
) -> Value {
    let mut value = json!({
        "result": result,
        "errors": error.map(|e| eval_error(e, source)).into_iter().collect::<Vec<_>>(),
    });
    if let (Some(trace), Some(object)) = (trace, value.as_object_mut()) {
        object.insert("trace".into(), self::trace(trace));
    }
    value
}

/// An evaluation error: `{"kind", "message", "start", "end", "line", "column"}`.
pub fn eval_error(error: &EvalError, source: &str) -> Value {
    let (line, column) = line_column(source, error.span.start());
    let kind = match error.kind {
        ErrorKind::TypeMismatch { .. } => "typeMismatch",
        ErrorKind::ListWithoutQuantifier => "listWithoutQuantifier",
        ErrorKind::InvalidLiteral => "invalidLiteral",
        ErrorKind::BudgetExhausted => "budgetExhausted",
    };
    json!({
        "kind": kind,
        "message": error.to_string(),
        "start": error.span.start,
        "end": error.span.end,
        "line": line,
        "column": column,
    })
}

/// A warning about a world file: `{"kind": "role", "message", "file", "path"}` for a role that
/// differs from azabac's built-in definition (see [`RoleWarning`]).
pub fn role_warning(file: &Path, warning: &RoleWarning) -> Value {
    json!({
        "kind": "role",
        "message": format!(
            "role {} differs from the built-in definition: {}; {}",
            warning.role,
            warning.difference,
            if warning.exported_used {
                "the export's definition is used"
            } else {
                "azabac's built-in definition is used"
            }
        ),
        "file": file.display().to_string(),
        "path": warning.path,
    })
}

/// A decision's warning ([`Decision::warnings`]): for a `*` between two `/` whose other reading
/// would decide the other way, `{"kind": "ambiguousWildcard", "message", "file": null, "path":
/// null, "pattern", "role", "roleId", "otherReading": "allow"|"deny"}`.
pub fn decision_warning(warning: &DecisionWarning) -> Value {
    match warning {
        DecisionWarning::AmbiguousWildcard {
            pattern,
            role,
            role_id,
            other_allows,
        } => json!({
            "kind": "ambiguousWildcard",
            "message": warning.to_string(),
            "file": null,
            "path": null,
            "pattern": pattern,
            "role": role,
            "roleId": role_id.map(|id| id.to_string()),
            "otherReading": if *other_allows { "allow" } else { "deny" },
        }),
    }
}

/// A warning about a deny assignment at a management group the hierarchy does not mention:
/// `{"kind": "deny", "message", "file": null, "path": null}`.
pub fn unplaced_deny_warning(deny: &DenyAssignment) -> Value {
    json!({
        "kind": "deny",
        "message": unplaced_deny_message(deny),
        "file": null,
        "path": null,
    })
}

/// The words of [`unplaced_deny_warning`].
pub fn unplaced_deny_message(deny: &DenyAssignment) -> String {
    format!(
        "deny assignment {} at {} is at a management group the hierarchy does not mention: it \
         reaches no subscription; give --hierarchy with its management group",
        deny.name.as_deref().unwrap_or(&deny.id),
        deny.scope
    )
}

/// An input file that could not be read as what it should be:
/// `{"kind": "input", "file", "path", "message"}`.
pub fn input_error(file: &Path, error: &InputError) -> Value {
    json!({
        "kind": "input",
        "file": file.display().to_string(),
        "path": error.path,
        "message": error.message(),
    })
}
