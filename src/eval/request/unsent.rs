//! Attributes a request's JSON gives that Azure never sends for its action: a case that tests
//! a request Azure does not make.

use serde_json::Value as Json;

use crate::catalog::Catalog;
use crate::syntax::{AttributeName, AttributeSource};

/// An attribute a request's JSON gives that Azure never sends for its action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unsent {
    /// The JSON path of the attribute, such as `$.request["…:RoleDefinitionId"]`.
    pub path: String,
    /// The field it is given under: `request`, `resource`, `principal` or `environment`.
    pub field: String,
    /// What is wrong, and where Azure sends the attribute instead when it does.
    pub message: String,
}

/// The attributes of a request's JSON (the shape [`super::Request::from_json`] reads) that Azure never
/// sends for its action and suboperations, by the catalogue: a condition that reads one sees it
/// absent in Azure, so an evaluation that gives it tests a request Azure does not make. Where
/// Azure sends the attribute under another source for that action (a role assignment's
/// `RoleDefinitionId` is `@Request` on write, `@Resource` on delete), the message says so.
pub fn unsent_attributes(value: &Json, catalog: &Catalog) -> Vec<Unsent> {
    let Some(object) = value.as_object() else {
        return Vec::new();
    };
    let Some(action) = ["action", "dataAction"]
        .iter()
        .find_map(|k| object.get(*k).and_then(Json::as_str))
    else {
        return Vec::new();
    };
    let suboperations: Vec<&str> = object
        .get("subOperations")
        .and_then(Json::as_array)
        .map(|items| items.iter().filter_map(Json::as_str).collect())
        .unwrap_or_default();
    let mut unsent = Vec::new();
    for &source in AttributeSource::ALL {
        let field = source.name().to_ascii_lowercase();
        let Some(Json::Object(attributes)) = object.get(&field) else {
            continue;
        };
        for name in attributes.keys() {
            let Ok(parsed) = AttributeName::parse(name) else {
                continue;
            };
            if catalog.supplies(source, &parsed, action, &suboperations) != Some(false) {
                continue;
            }
            let elsewhere = AttributeSource::ALL.iter().find(|&&other| {
                other != source
                    && catalog.supplies(other, &parsed, action, &suboperations) == Some(true)
            });
            let hint = match elsewhere {
                Some(other) => format!(
                    "; Azure sends it as `@{}` for this action: give it under `{}`",
                    other.name(),
                    other.name().to_ascii_lowercase()
                ),
                None => String::new(),
            };
            unsent.push(Unsent {
                path: format!("$.{field}[{}]", Json::String(name.clone())),
                field: field.clone(),
                message: format!(
                    "Azure never sends `@{}[{name}]` for `{action}`{hint}",
                    source.name()
                ),
            });
        }
    }
    unsent
}
