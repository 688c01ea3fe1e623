//! Names that input may give principals in place of GUIDs. `az` and ARM print GUIDs; a test
//! suite (`principals`) lets people write `alice` instead, and a principals file (a Microsoft
//! Graph export of users, groups and service principals, or a plain map) lets them write a
//! display name or user principal name. The readers of assignments, deny assignments and
//! access requests resolve such names here, where they read the field, instead of anyone
//! rewriting their JSON beforehand.

use std::collections::HashMap;

use serde_json::Value;
use uuid::Uuid;

use super::fields::{key_of, keys_equal_ignoring_case};
use super::{InputError, InputProblem, PrincipalType};

/// Principal names and the GUIDs they stand for. Empty, it accepts GUIDs only.
///
/// ```
/// use azabac::rbac::PrincipalNames;
/// let mut names = PrincipalNames::new("a name in `principals`");
/// names.insert("alice", "a11ce000-0000-0000-0000-000000000001".parse().unwrap());
/// assert_eq!(names.get("alice").unwrap().to_string(), "a11ce000-0000-0000-0000-000000000001");
///
/// // A Microsoft Graph list response: the type is in `@odata.context`.
/// let users = serde_json::json!({
///     "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users",
///     "value": [{"id": "b0b00000-0000-0000-0000-000000000002", "displayName": "Bob Jones",
///                "userPrincipalName": "bob@contoso.com"}]});
/// names.read_directory(&users).unwrap();
/// let bob = names.resolve("BOB@contoso.com", "$.to").unwrap();
/// assert_eq!(names.principal_type(bob).map(|t| t.as_str()), Some("User"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PrincipalNames {
    by_name: HashMap<String, Uuid>,
    /// What a name would have to be, for errors: "a name in `principals`".
    described_as: String,
    /// The principals of principals files, in the order read.
    directory: Vec<Principal>,
    /// Each display name and user principal name, lowercased, and the principals that have it.
    by_label: HashMap<String, Vec<usize>>,
    /// Each object id and the principals entries that give it (a list of 200,000 users is read
    /// in time linear in its length).
    by_id: HashMap<Uuid, Vec<usize>>,
}

/// A principal of a principals file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    /// Its object id.
    pub id: Uuid,
    /// Its display name, if given.
    pub display_name: Option<String>,
    /// Its user principal name (users), if given.
    pub user_principal_name: Option<String>,
    /// Its type, where the file says it: the Graph collection in `@odata.context`, an item's
    /// `@odata.type`, or a plain map's `type`. Never guessed.
    pub principal_type: Option<PrincipalType>,
}

impl PrincipalNames {
    /// No names yet; `described_as` says in errors where a name would be looked up.
    pub fn new(described_as: impl Into<String>) -> PrincipalNames {
        PrincipalNames {
            described_as: described_as.into(),
            ..PrincipalNames::default()
        }
    }

    /// Adds a name (exact, case-sensitive) for `id`; a later name replaces an earlier one.
    pub fn insert(&mut self, name: impl Into<String>, id: Uuid) {
        self.by_name.insert(name.into(), id);
    }

    /// Whether it knows no name at all, so that only GUIDs resolve.
    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty() && self.directory.is_empty()
    }

    /// The GUID a name stands for.
    pub fn get(&self, name: &str) -> Option<Uuid> {
        self.by_name.get(name).copied()
    }

    /// Reads a principals file: a Microsoft Graph list response (`{"@odata.context",
    /// "value": [...]}`, the type from the context's collection, `#users`, `#groups`,
    /// `#servicePrincipals`, `#devices`, or each item's `@odata.type`), a JSON array of such
    /// objects (`az ad user list`), or a plain map `{"<object id>": {"displayName",
    /// "userPrincipalName", "type"}}`. A page that says more exists (`@odata.nextLink` set, `@odata.count` above its rows) is refused: names
    /// on the pages not given would not resolve.
    pub fn read_directory(&mut self, value: &Value) -> Result<(), InputError> {
        match value {
            Value::Array(items) => self.read_graph_items(items, None, "$"),
            // A list in its envelope (a Graph page), judged complete by the markers every
            // reader reads (`super::item::list_of`); otherwise a plain map of ids.
            Value::Object(object) => {
                keys_equal_ignoring_case(object, "$")?;
                match super::item::list_of(object)? {
                    Some((key, items)) => {
                        let collection = key_of(object, "@odata.context", "$")?
                            .and_then(|(_, v)| v.as_str())
                            .and_then(collection_type);
                        self.read_graph_items(items, collection, &format!("$.{key}"))
                    }
                    None => self.read_map(object),
                }
            }
            other => Err(InputError::expected(
                "$",
                "a Microsoft Graph list, an array of principals, or a map of object ids",
                other,
            )),
        }
    }

    /// A plain map `{"<object id>": {"displayName", "userPrincipalName", "type"}}`, its keys in
    /// any spelling.
    fn read_map(&mut self, object: &serde_json::Map<String, Value>) -> Result<(), InputError> {
        for (id_text, entry) in object {
            let path = format!("$.{id_text}");
            let id = parse_id(id_text, &path)?;
            let Value::Object(fields) = entry else {
                return Err(InputError::expected(
                    &path,
                    "an object with `displayName`, `userPrincipalName`, `type`",
                    entry,
                ));
            };
            let mut principal = Principal {
                id,
                display_name: None,
                user_principal_name: None,
                principal_type: None,
            };
            keys_equal_ignoring_case(fields, &path)?;
            for (key, field) in fields {
                let at = format!("{path}.{key}");
                let text = || {
                    field
                        .as_str()
                        .map(str::to_owned)
                        .ok_or_else(|| InputError::expected(&at, "a string", field))
                };
                let is = |name: &str| key.eq_ignore_ascii_case(name);
                if is("displayName") {
                    principal.display_name = Some(text()?);
                } else if is("userPrincipalName") {
                    principal.user_principal_name = Some(text()?);
                } else if is("type") {
                    let kind = PrincipalType::parse(&text()?)
                        .map_err(|e| InputError::new(&at, InputProblem::PrincipalType(e)))?;
                    principal.principal_type = Some(kind);
                } else {
                    return Err(InputError::new(
                        &at,
                        InputProblem::UnknownPrincipalKey(key.clone()),
                    ));
                }
            }
            self.add(principal, &path)?;
        }
        Ok(())
    }

    fn read_graph_items(
        &mut self,
        items: &[Value],
        collection: Option<PrincipalType>,
        base: &str,
    ) -> Result<(), InputError> {
        for (index, item) in items.iter().enumerate() {
            let path = format!("{base}[{index}]");
            let Value::Object(fields) = item else {
                return Err(InputError::expected(&path, "a principal object", item));
            };
            keys_equal_ignoring_case(fields, &path)?;
            let id = match key_of(fields, "id", &path)?.map(|(_, v)| v) {
                Some(Value::String(id)) => parse_id(id, &format!("{path}.id"))?,
                Some(other) => {
                    return Err(InputError::expected(&format!("{path}.id"), "a GUID", other));
                }
                None => {
                    return Err(InputError::new(
                        &path,
                        InputProblem::Missing {
                            field: "id",
                            or: None,
                        },
                    ));
                }
            };
            let text = |key: &str| -> Result<Option<String>, InputError> {
                Ok(key_of(fields, key, &path)?
                    .and_then(|(_, v)| v.as_str())
                    .map(str::to_owned))
            };
            let item_type = key_of(fields, "@odata.type", &path)?
                .and_then(|(_, v)| v.as_str())
                .and_then(graph_type);
            if let (Some(item), Some(list)) = (item_type, collection)
                && item != list
            {
                return Err(InputError::new(
                    &format!("{path}.@odata.type"),
                    InputProblem::Contradiction(format!(
                        "a {} in a list of {}s",
                        item.as_str(),
                        list.as_str()
                    )),
                ));
            }
            self.add(
                Principal {
                    id,
                    display_name: text("displayName")?,
                    user_principal_name: text("userPrincipalName")?,
                    principal_type: item_type.or(collection),
                },
                &path,
            )?;
        }
        Ok(())
    }

    /// Adds a principal; the same object id given another type elsewhere is an error.
    fn add(&mut self, principal: Principal, path: &str) -> Result<(), InputError> {
        if let Some(kind) = principal.principal_type
            && let Some(other) = self
                .entries(principal.id)
                .find_map(|p| p.principal_type.filter(|t| *t != kind))
        {
            return Err(InputError::new(
                path,
                InputProblem::Contradiction(format!(
                    "{} is a {} here and a {} in another principals entry",
                    principal.id,
                    kind.as_str(),
                    other.as_str()
                )),
            ));
        }
        let index = self.directory.len();
        for label in [&principal.display_name, &principal.user_principal_name]
            .into_iter()
            .flatten()
        {
            let slot = self.by_label.entry(label.to_lowercase()).or_default();
            if !slot.contains(&index) {
                slot.push(index);
            }
        }
        self.by_id.entry(principal.id).or_default().push(index);
        self.directory.push(principal);
        Ok(())
    }

    /// The principals entries that give `id`, in the order read.
    fn entries(&self, id: Uuid) -> impl Iterator<Item = &Principal> {
        self.by_id
            .get(&id)
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .filter_map(|&i| self.directory.get(i))
    }

    /// The principal of the principals files with this object id.
    pub fn principal(&self, id: Uuid) -> Option<&Principal> {
        self.entries(id).next()
    }

    /// The type the principals files give `id`, if they give one.
    pub fn principal_type(&self, id: Uuid) -> Option<PrincipalType> {
        self.entries(id).find_map(|p| p.principal_type)
    }

    /// A principal field's value: a GUID (principal ids are bare GUIDs wherever Azure prints
    /// them), else a known name, else a display name or user principal name of the principals
    /// files (ignoring case) that exactly one principal has; anything else is an error at
    /// `path`, and a name several principals have is one listing them.
    pub fn resolve(&self, text: &str, path: &str) -> Result<Uuid, InputError> {
        self.resolve_at(text, || path.to_owned())
    }

    /// [`PrincipalNames::resolve`], with the path made only for an error.
    pub(crate) fn resolve_at(
        &self,
        text: &str,
        path: impl FnOnce() -> String,
    ) -> Result<Uuid, InputError> {
        let trimmed = text.trim();
        if let Ok(id) = Uuid::parse_str(trimmed) {
            return Ok(id);
        }
        if let Some(id) = self.get(text) {
            return Ok(id);
        }
        let found = self
            .by_label
            .get(&trimmed.to_lowercase())
            .map(Vec::as_slice)
            .unwrap_or_default();
        let mut ids: Vec<Uuid> = found
            .iter()
            .filter_map(|&i| self.directory.get(i))
            .map(|p| p.id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        match ids.as_slice() {
            [id] => Ok(*id),
            [] => {
                let names = match (self.described_as.is_empty(), self.directory.is_empty()) {
                    (true, true) => None,
                    (false, true) => Some(self.described_as.clone()),
                    (true, false) => {
                        Some("a display name or user principal name in the principals files".into())
                    }
                    (false, false) => Some(format!(
                        "{} or a display name or user principal name in the principals files",
                        self.described_as
                    )),
                };
                Err(InputError::new(
                    &path(),
                    InputProblem::NotAGuid {
                        text: text.to_owned(),
                        ending: false,
                        names,
                    },
                ))
            }
            several => Err(InputError::new(
                &path(),
                InputProblem::AmbiguousPrincipal {
                    name: trimmed.to_owned(),
                    candidates: several
                        .iter()
                        .filter_map(|id| self.principal(*id))
                        .map(describe)
                        .collect(),
                },
            )),
        }
    }
}

/// A principal for a list of candidates: `Alice Smith (User, alice@contoso.com, a11ce…)`.
fn describe(principal: &Principal) -> String {
    let mut details = Vec::new();
    if let Some(kind) = principal.principal_type {
        details.push(kind.as_str().to_owned());
    }
    if let Some(upn) = &principal.user_principal_name {
        details.push(upn.clone());
    }
    details.push(principal.id.to_string());
    format!(
        "{} ({})",
        principal
            .display_name
            .as_deref()
            .unwrap_or("(no display name)"),
        details.join(", ")
    )
}

fn parse_id(text: &str, path: &str) -> Result<Uuid, InputError> {
    Uuid::parse_str(text.trim()).map_err(|_| {
        InputError::new(
            path,
            InputProblem::NotAGuid {
                text: text.to_owned(),
                ending: false,
                names: None,
            },
        )
    })
}

/// The principal type of a Graph list's `@odata.context`: `…$metadata#users`,
/// `…#users(id,displayName)`, `#groups`, `#servicePrincipals`, `#devices`; `None` for a mixed
/// collection (`#directoryObjects`).
fn collection_type(context: &str) -> Option<PrincipalType> {
    let (_, fragment) = context.rsplit_once('#')?;
    let collection = fragment.split(['(', '/']).next()?;
    match collection.to_ascii_lowercase().as_str() {
        "users" => Some(PrincipalType::User),
        "groups" => Some(PrincipalType::Group),
        "serviceprincipals" => Some(PrincipalType::ServicePrincipal),
        "devices" => Some(PrincipalType::Device),
        _ => None,
    }
}

/// The principal type of an item's `@odata.type`, such as `#microsoft.graph.user`.
fn graph_type(odata_type: &str) -> Option<PrincipalType> {
    match odata_type
        .trim_start_matches('#')
        .to_ascii_lowercase()
        .as_str()
    {
        "microsoft.graph.user" => Some(PrincipalType::User),
        "microsoft.graph.group" => Some(PrincipalType::Group),
        "microsoft.graph.serviceprincipal" => Some(PrincipalType::ServicePrincipal),
        "microsoft.graph.device" => Some(PrincipalType::Device),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ALICE: &str = "a11ce000-0000-0000-0000-000000000001";

    fn users(items: serde_json::Value) -> serde_json::Value {
        json!({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users", "value": items})
    }

    #[test]
    fn contradictory_types_and_incomplete_pages_are_errors() {
        let mut names = PrincipalNames::new("");
        let group_in_users = users(json!([{"id": ALICE, "@odata.type": "#microsoft.graph.group"}]));
        let error = names.read_directory(&group_in_users).unwrap_err();
        assert_eq!(error.path, "$.value[0].@odata.type");

        let mut names = PrincipalNames::new("");
        names
            .read_directory(&users(json!([{"id": ALICE, "displayName": "Alice"}])))
            .unwrap();
        let as_group = json!({ALICE: {"displayName": "Alice", "type": "Group"}});
        assert!(matches!(
            names.read_directory(&as_group).unwrap_err().problem,
            InputProblem::Contradiction(_)
        ));
        // The same principal twice with one type is fine.
        let as_user = json!({ALICE: {"userPrincipalName": "alice@contoso.com", "type": "User"}});
        names.read_directory(&as_user).unwrap();
        assert_eq!(
            names.resolve("ALICE@contoso.com", "$").unwrap().to_string(),
            ALICE
        );

        let mut page = users(json!([]));
        page["@odata.nextLink"] = json!("https://graph.microsoft.com/v1.0/users?$skiptoken=x");
        assert!(matches!(
            PrincipalNames::new("")
                .read_directory(&page)
                .unwrap_err()
                .problem,
            InputProblem::Incomplete(_)
        ));
        let mut counted = users(json!([]));
        counted["@odata.count"] = json!(3);
        assert!(matches!(
            PrincipalNames::new("")
                .read_directory(&counted)
                .unwrap_err()
                .problem,
            InputProblem::Incomplete(_)
        ));
        // Keys in any spelling (decision R14); a key that is none of them is an error.
        let spelled = json!({ALICE: {"DisplayName": "Alice", "TYPE": "User"}});
        let mut names = PrincipalNames::new("");
        names.read_directory(&spelled).unwrap();
        assert_eq!(names.resolve("Alice", "$").unwrap().to_string(), ALICE);
        let typo = json!({ALICE: {"displayNmae": "Alice"}});
        assert!(matches!(
            PrincipalNames::new("")
                .read_directory(&typo)
                .unwrap_err()
                .problem,
            InputProblem::UnknownPrincipalKey(_)
        ));
    }

    #[test]
    fn a_name_two_principals_have_is_an_error_listing_both() {
        let mut names = PrincipalNames::new("");
        names
            .read_directory(&users(json!([
                {"id": ALICE, "displayName": "Data Team", "userPrincipalName": "dt@contoso.com"},
                {"id": "b0b00000-0000-0000-0000-000000000002", "displayName": "data team"}
            ])))
            .unwrap();
        let error = names.resolve("Data Team", "$.to").unwrap_err();
        let InputProblem::AmbiguousPrincipal { candidates, .. } = &error.problem else {
            panic!("{error:?}")
        };
        assert_eq!(candidates.len(), 2);
        assert!(names.resolve("dt@contoso.com", "$.to").is_ok());
        assert!(
            names
                .principal_type(names.resolve("dt@contoso.com", "$").unwrap())
                .is_some()
        );
    }
}
