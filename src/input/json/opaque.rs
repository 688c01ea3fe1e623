//! Role assignments in an ARM template whose `properties` are one expression
//! (`"properties": "[variables('reader')]"`, what `bicep build` writes for `properties:
//! someVar`): whether they carry a condition, and which, is not read here yet, so each is one
//! result not checkable offline, never passed over.

use serde_json::Value;

use super::super::embedded::locate;
use super::super::place::{Found, Host};
use super::path_of;
use crate::limits::MAX_JSON_DEPTH;

/// One result not checkable offline for each role assignment of `document` whose
/// `properties` is an expression; `text` is the document, for lines.
pub(super) fn opaque_assignments(document: &Value, text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let mut path = Vec::new();
    walk(document, &mut path, 0, &mut |path, properties| {
        let resource = format!("${}", path_of(path));
        let at = locate(text, &format!("{resource}.properties")).unwrap_or(0);
        let what = (format!("the properties `{properties}`"), at);
        let fix = "set `principalType` in the role assignment's properties";
        out.push(Found::not_checkable(
            Host::Arm,
            resource,
            what,
            text,
            Some(fix),
        ));
    });
    out
}

/// Calls `found` with the path of each role assignment under `value` whose `properties` is an
/// expression, and the expression.
fn walk(
    value: &Value,
    path: &mut Vec<String>,
    depth: usize,
    found: &mut dyn FnMut(&[String], &str),
) {
    if depth > MAX_JSON_DEPTH {
        return;
    }
    match value {
        Value::Object(object) => {
            let get = |name: &str| {
                object
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .and_then(|(_, v)| v.as_str())
            };
            let kind = get("type").unwrap_or("");
            let properties = get("properties");
            // A resource: an entry of a `resources` array or object (not a variable that
            // looks like one).
            let resource = path.len() >= 2
                && path
                    .get(path.len() - 2)
                    .is_some_and(|parent| parent.eq_ignore_ascii_case("resources"));
            let kind = kind.to_ascii_lowercase();
            let holds_condition = [
                "roleassignments",
                "roleeligibilityschedulerequests",
                "roleassignmentschedulerequests",
            ]
            .iter()
            .any(|t| kind.ends_with(&format!("microsoft.authorization/{t}")));
            if resource
                && holds_condition
                && let Some(properties) = properties
                && properties.starts_with('[')
                && !properties.starts_with("[[")
            {
                found(path, properties);
            }
            for (key, child) in object {
                path.push(key.clone());
                walk(child, path, depth + 1, found);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                path.push(index.to_string());
                walk(child, path, depth + 1, found);
                path.pop();
            }
        }
        _ => {}
    }
}
