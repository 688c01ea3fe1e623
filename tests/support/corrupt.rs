//! The property that finds the next wrong allow (issue 29, point 7): random small worlds and
//! requests written in the shapes the tools print, and corruptions drawn from the classes that
//! readers have got wrong (characters Azure's grammar refuses, at any place of any id; keys in
//! another case; PIM items without their kind; paging markers; copies of one resource, equal or
//! not; role names taken twice; timestamps with offsets; request attribute bags with one key
//! twice; role definition ids with something after the GUID; data actions at a management
//! group). A corrupted input decides exactly as the clean one where the corruption keeps the
//! meaning, is refused where Azure refuses it, and is never decided otherwise.
//!
//! Shared by `tests/corruption.rs` (choices from proptest) and the fuzz target `corrupt`
//! (choices from the fuzzer's bytes), which include this file with `#[path]` beside
//! `generate.rs`, whose [`Choices`] steer it.

#![allow(
    clippy::indexing_slicing,
    dead_code,
    reason = "indices are drawn below the length they index; each includer uses a part"
)]

use azabac::catalog::Catalog;
use azabac::eval::Ticks;
use azabac::rbac::{AccessRequest, World};
use serde_json::{Map, Value, json};

use super::generate::Choices;

/// The instant every decision is made at: 2026-12-01T00:00:00Z, in 100 ns ticks.
pub const NOW: Ticks = Ticks(17_960_832_000_000_000);

const S1: &str = "00000000-0000-0000-0000-0000000000aa";
const S2: &str = "00000000-0000-0000-0000-0000000000bb";
const MG: &str = "/providers/Microsoft.Management/managementGroups/mg1";
const PRINCIPALS: [&str; 2] = [
    "aaaaaaaa-0000-0000-0000-00000000a11c",
    "bbbbbbbb-0000-0000-0000-0000000000b0",
];
const OWNER: &str = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
const READER: &str = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
const BLOB_READER: &str = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1";
const RBAC_ADMIN: &str = "f58310d9-a9f6-439a-9e8d-f62e7b41a168";
const WIDGETS: &str = "c0570000-0000-0000-0000-0000000000c1";
const ROLES: [&str; 5] = [OWNER, READER, BLOB_READER, RBAC_ADMIN, WIDGETS];

/// The documented delegation condition: only Reader and Storage Blob Data Reader may be
/// assigned.
const DELEGATION: &str = "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR \
    (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] \
    ForAnyOfAnyValues:GuidEquals {acdd72a7-3385-48ef-bd42-f606fba81ae7, \
    2a2b9908-6ea1-4ae2-8e65-a410df84e7d1}))";
const BLOB_TAG: &str = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR \
    (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Project<$key_case_sensitive$>] \
    StringEquals 'Cascade'))";
const BLOB_READ: &str = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read";

fn sub(id: &str) -> String {
    format!("/subscriptions/{id}")
}

/// The scopes assignments and deny assignments sit at.
fn scopes() -> [String; 5] {
    [
        MG.to_owned(),
        sub(S1),
        format!("{}/resourceGroups/rg1", sub(S1)),
        format!(
            "{}/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/st1",
            sub(S1)
        ),
        format!("{}/resourceGroups/rg2", sub(S2)),
    ]
}

/// A GUID of its own for the `n`-th resource of a kind.
fn guid(kind: u8, n: usize) -> String {
    format!("{kind:02x}{n:06x}-0000-4000-8000-000000000000")
}

/// A role definition id as exports write it.
fn role_id(guid: &str, c: &mut impl Choices) -> String {
    match c.below(3) {
        0 => guid.to_owned(),
        1 => format!("/providers/Microsoft.Authorization/roleDefinitions/{guid}"),
        _ => format!(
            "{}/providers/Microsoft.Authorization/roleDefinitions/{guid}",
            sub(S1)
        ),
    }
}

/// An instant `minutes` from [`NOW`], written at `offset` minutes from UTC (RFC 3339), with
/// seven digits of fraction when `fraction`.
pub fn instant(minutes: i64, offset: i64, fraction: bool) -> String {
    // Minutes since 2026-11-01T00:00 in local time; November has 30 days.
    let local = 30 * 1440 + minutes + offset;
    let (day, minute) = (local.div_euclid(1440), local.rem_euclid(1440));
    let (month, day) = if day < 30 {
        (11, day + 1)
    } else {
        (12, day - 29)
    };
    let zone = match offset {
        0 if !fraction => "Z".to_owned(),
        _ => format!(
            "{}{:02}:{:02}",
            if offset < 0 { '-' } else { '+' },
            offset.abs() / 60,
            offset.abs() % 60
        ),
    };
    format!(
        "2026-{month:02}-{day:02}T{:02}:{:02}:00{}{zone}",
        minute / 60,
        minute % 60,
        if fraction { ".0000000" } else { "" }
    )
}

/// How a list of role assignments is written: a bare array (`az role assignment list`), or an
/// object with the list under `list` beside `fields` (an ARM page's `nextLink`, a Resource
/// Graph result's `resultTruncated`, `skip_token`, ...), and the keys that count its rows
/// (`count`) and its records in all (`totalRecords`, which says `more` than there are).
#[derive(Clone, Debug, PartialEq)]
pub struct Envelope {
    pub list: Option<String>,
    pub fields: Map<String, Value>,
    pub counts: Vec<String>,
    pub totals: Vec<String>,
    pub more: usize,
}

impl Envelope {
    fn array() -> Envelope {
        Envelope {
            list: None,
            fields: Map::new(),
            counts: Vec::new(),
            totals: Vec::new(),
            more: 0,
        }
    }

    fn of(c: &mut impl Choices) -> Envelope {
        let mut envelope = Envelope::array();
        let fields = |pairs: &[(&str, Value)]| {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect()
        };
        match c.below(4) {
            0 => {}
            // An ARM page.
            1 => {
                envelope.list = Some("value".into());
                envelope.fields = fields(&[("nextLink", Value::Null)]);
            }
            // The Resource Graph REST response.
            2 => {
                envelope.list = Some("data".into());
                envelope.fields =
                    fields(&[("facets", json!([])), ("resultTruncated", json!("false"))]);
                envelope.counts = vec!["count".into()];
                envelope.totals = vec!["totalRecords".into()];
            }
            // `az graph query`.
            _ => {
                envelope.list = Some("data".into());
                envelope.fields = fields(&[("skip_token", Value::Null)]);
                envelope.counts = vec!["count".into()];
                envelope.totals = vec!["total_records".into()];
            }
        }
        envelope
    }
}

/// A world's files and its requests, as JSON.
#[derive(Clone, Debug)]
pub struct Input {
    pub roles: Value,
    pub assignments: Vec<Value>,
    pub envelope: Envelope,
    pub deny: Value,
    pub hierarchy: Value,
    pub requests: Vec<Value>,
}

impl Input {
    /// The role assignment file's text, in its envelope.
    pub fn assignments_text(&self) -> String {
        let list = Value::Array(self.assignments.clone());
        let Some(key) = &self.envelope.list else {
            return list.to_string();
        };
        let mut object = self.envelope.fields.clone();
        object.insert(key.clone(), list);
        let rows = self.assignments.len();
        for count in &self.envelope.counts {
            object.insert(count.clone(), json!(rows));
        }
        for total in &self.envelope.totals {
            object.insert(total.clone(), json!(rows + self.envelope.more));
        }
        Value::Object(object).to_string()
    }
}

/// One role assignment of the world, before it is written in a shape.
struct Assignment {
    id_guid: String,
    scope: String,
    principal: &'static str,
    role: &'static str,
    condition: Option<&'static str>,
}

/// A role assignment written as `az role assignment list`, an ARM resource, or PowerShell's
/// `Get-AzRoleAssignment | ConvertTo-Json`.
fn written(a: &Assignment, c: &mut impl Choices) -> Value {
    let id = format!(
        "{}/providers/Microsoft.Authorization/roleAssignments/{}",
        a.scope, a.id_guid
    );
    let role = role_id(a.role, c);
    let (condition, version) = match a.condition {
        Some(text) => (json!(text), json!("2.0")),
        None => (Value::Null, Value::Null),
    };
    match c.below(3) {
        0 => json!({"id": id, "name": a.id_guid, "principalId": a.principal,
            "principalType": "User", "roleDefinitionId": role, "scope": a.scope,
            "condition": condition, "conditionVersion": version,
            "type": "Microsoft.Authorization/roleAssignments"}),
        1 => json!({"id": id, "name": a.id_guid, "type": "Microsoft.Authorization/roleAssignments",
            "properties": {"principalId": a.principal, "principalType": "User",
                "roleDefinitionId": role, "scope": a.scope, "condition": condition,
                "conditionVersion": version}}),
        _ => json!({"RoleAssignmentId": id, "RoleAssignmentName": a.id_guid,
            "ObjectId": a.principal, "ObjectType": "User", "RoleDefinitionId": a.role,
            "Scope": a.scope, "Condition": condition, "ConditionVersion": version}),
    }
}

/// A PIM assignment schedule instance (activated, with its window) or eligibility instance.
fn pim(a: &Assignment, c: &mut impl Choices) -> Value {
    let eligible = c.chance(30);
    let kind = if eligible {
        "roleEligibilityScheduleInstances"
    } else {
        "roleAssignmentScheduleInstances"
    };
    let mut properties = json!({"principalId": a.principal, "principalType": "User",
        "roleDefinitionId": role_id(a.role, c), "scope": a.scope, "memberType": "Direct",
        "status": "Provisioned"});
    if !eligible {
        properties["assignmentType"] = json!("Activated");
    }
    let starts = [-2880, -60, 0, 60];
    properties["startDateTime"] = json!(instant(*c.pick(&starts), 0, false));
    let ends = [None, Some(0), Some(60), Some(-30), Some(1440)];
    if let Some(end) = *c.pick(&ends) {
        properties["endDateTime"] = json!(instant(end, 0, false));
    }
    json!({"id": format!("{}/providers/Microsoft.Authorization/{kind}/{}", a.scope, a.id_guid),
        "name": a.id_guid, "type": format!("Microsoft.Authorization/{kind}"),
        "properties": properties})
}

/// A random world and three requests in it.
pub fn world(c: &mut impl Choices) -> Input {
    let scopes = scopes();
    let custom = json!({"id": format!("{MG}/providers/Microsoft.Authorization/roleDefinitions/{WIDGETS}"),
        "name": WIDGETS, "type": "Microsoft.Authorization/roleDefinitions",
        "roleName": "Widget Operator", "roleType": "CustomRole",
        "permissions": [{"actions": ["Contoso.Widgets/*", "Microsoft.Storage/*/read"],
            "notActions": ["Contoso.Widgets/*/delete"], "dataActions": [], "notDataActions": []}],
        "assignableScopes": [MG]});
    let mut assignments = Vec::new();
    for n in 0..1 + c.below(6) {
        let role = *c.pick(&ROLES);
        // Not Owner at the management group, so that most requests are decided by the rest.
        let scope = scopes[c.below(scopes.len())].clone();
        let condition = match role {
            RBAC_ADMIN => Some(DELEGATION),
            BLOB_READER if c.chance(50) => Some(BLOB_TAG),
            _ => None,
        };
        let a = Assignment {
            id_guid: guid(0xa1, n),
            scope,
            principal: PRINCIPALS[c.below(PRINCIPALS.len())],
            role,
            condition,
        };
        assignments.push(if c.chance(20) && a.condition.is_none() {
            pim(&a, c)
        } else {
            written(&a, c)
        });
    }
    let deny = if c.chance(40) {
        let scope = scopes[1 + c.below(2)].clone();
        let principal = if c.chance(50) {
            "00000000-0000-0000-0000-000000000000"
        } else {
            *c.pick(&PRINCIPALS)
        };
        let id = guid(0xd0, 0);
        json!([{"id": format!("{scope}/providers/Microsoft.Authorization/denyAssignments/{id}"),
            "name": id, "properties": {"denyAssignmentName": "deny", "scope": scope,
                "permissions": [{"actions": [*c.pick(&["*/delete", "Microsoft.Storage/*", "Contoso.Widgets/*/delete"])],
                    "notActions": [], "dataActions": [], "notDataActions": []}],
                "doNotApplyToChildScopes": c.chance(30),
                "principals": [{"id": principal, "type": "User"}],
                "excludePrincipals": []}}])
    } else {
        json!([])
    };
    let hierarchy = json!({"id": MG, "name": "mg1", "type": "Microsoft.Management/managementGroups",
        "children": [{"id": sub(S1), "name": S1, "type": "/subscriptions", "children": null},
            {"id": sub(S2), "name": S2, "type": "/subscriptions", "children": null}]});
    let envelope = Envelope::of(c);
    let requests = (0..3).map(|_| request(c)).collect();
    Input {
        roles: json!([custom]),
        assignments,
        envelope,
        deny,
        hierarchy,
        requests,
    }
}

/// A request near the world's assignments.
fn request(c: &mut impl Choices) -> Value {
    let account = format!(
        "{}/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/st1",
        sub(S1)
    );
    let principal = *c.pick(&PRINCIPALS);
    match c.below(5) {
        0 => json!({"principalId": principal, "scope": account,
            "action": "Microsoft.Storage/storageAccounts/read"}),
        1 => json!({"principalId": principal,
            "scope": format!("{}/resourceGroups/rg1/providers/Contoso.Widgets/widgets/w1", sub(S1)),
            "action": *c.pick(&["Contoso.Widgets/widgets/delete", "Contoso.Widgets/delete", "Contoso.Widgets/widgets/read"])}),
        2 => {
            let roles = [READER, OWNER, BLOB_READER];
            let role = role_id(roles[c.below(roles.len())], c);
            json!({"principalId": principal,
                "scope": format!("{}/resourceGroups/{}", sub(S1), c.pick(&["rg1", "rg9"])),
                "action": "Microsoft.Authorization/roleAssignments/write",
                "request": {"Microsoft.Authorization/roleAssignments:RoleDefinitionId": role}})
        }
        3 => json!({"principalId": principal,
            "scope": format!("{account}/blobServices/default/containers/logs/blobs/a/b.txt"),
            "dataAction": BLOB_READ,
            "resource": {"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags":
                {"Project": *c.pick(&["Cascade", "Other"])},
                "Microsoft.Storage/storageAccounts/blobServices/containers:name": "logs"}}),
        _ => json!({"principalId": principal,
            "scope": format!("{}/resourceGroups/rg2/providers/Microsoft.Compute/virtualMachines/vm1", sub(S2)),
            "action": "Microsoft.Compute/virtualMachines/delete"}),
    }
}

/// What a corrupted input must decide, request by request, against the clean one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// Exactly as the clean input: the corruption keeps the meaning.
    Same,
    /// An input error: Azure refuses it.
    Refused,
    /// One or the other: the corruption may keep the meaning (a principal's GUID with a space
    /// around it is trimmed) or not.
    SameOrRefused,
}

/// A corrupted input, what each request must come to, and what was done.
#[derive(Clone, Debug)]
pub struct Corrupted {
    pub input: Input,
    pub expect: Vec<Expect>,
    pub what: String,
}

/// What deciding a request came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Allow,
    Deny,
    /// The world or the request could not be read, or the decision could not be made.
    Refused,
}

/// Each request's outcome: the world is built from the files as `azabac decide` reads them
/// (the assignments from their text).
pub fn decide(input: &Input) -> Vec<Outcome> {
    let catalog = Catalog::builtin();
    let world = World::builder()
        .roles(&input.roles)
        .and_then(|b| b.assignments_text(&input.assignments_text()))
        .and_then(|b| b.deny_assignments(&input.deny))
        .and_then(|b| b.hierarchy(&input.hierarchy))
        .and_then(|b| b.build(catalog));
    input
        .requests
        .iter()
        .map(|request| {
            let Ok(world) = &world else {
                return Outcome::Refused;
            };
            let Ok(access) = AccessRequest::from_value(request, catalog) else {
                return Outcome::Refused;
            };
            let decision = world.decide(&access, NOW, false);
            assert!(
                !(decision.is_input_error() && decision.allowed()),
                "an input error that allows: {}",
                decision.reason
            );
            match (decision.is_input_error(), decision.allowed()) {
                (true, _) => Outcome::Refused,
                (false, true) => Outcome::Allow,
                (false, false) => Outcome::Deny,
            }
        })
        .collect()
}

/// Whether the world of `input` builds and every request reads: what a clean input must do.
pub fn reads(input: &Input) -> Result<(), String> {
    let catalog = Catalog::builtin();
    World::builder()
        .roles(&input.roles)
        .and_then(|b| b.assignments_text(&input.assignments_text()))
        .and_then(|b| b.deny_assignments(&input.deny))
        .and_then(|b| b.hierarchy(&input.hierarchy))
        .and_then(|b| b.build(catalog))
        .map_err(|e| format!("the clean world is refused: {e}"))?;
    for request in &input.requests {
        AccessRequest::from_value(request, catalog)
            .map_err(|e| format!("a clean request is refused: {e}: {request}"))?;
    }
    Ok(())
}

/// Checks the property: `Err` says which request decided what, against what was expected.
pub fn check(clean: &Input, corrupted: &Corrupted) -> Result<(), String> {
    let before = decide(clean);
    let after = decide(&corrupted.input);
    for (i, ((before, after), expect)) in
        before.iter().zip(&after).zip(&corrupted.expect).enumerate()
    {
        let holds = match expect {
            Expect::Same => after == before,
            Expect::Refused => *after == Outcome::Refused,
            Expect::SameOrRefused => after == before || *after == Outcome::Refused,
        };
        if !holds {
            return Err(format!(
                "{}: request {i} decided {after:?}, clean {before:?}, expected {expect:?}\nrequest: {}\nassignments: {}",
                corrupted.what,
                corrupted.input.requests[i],
                corrupted.input.assignments_text(),
            ));
        }
    }
    Ok(())
}

/// Text Azure's grammar of ids refuses wherever it is put in an id.
const REFUSED_ANYWHERE: [&str; 13] = [
    " ",
    "\t",
    "\n",
    "\u{a0}",
    "\u{200b}",
    "\u{200d}",
    "\u{feff}",
    "\u{202e}",
    "\u{7}",
    "%31",
    "%2F",
    "?api-version=2022-04-01",
    "#x",
];

/// The keys that hold ids, in any reader.
const ID_KEYS: [&str; 9] = [
    "id",
    "scope",
    "roledefinitionid",
    "principalid",
    "roleassignmentid",
    "objectid",
    "microsoft.authorization/roleassignments:roledefinitionid",
    "assignablescopes",
    "name",
];

/// Which file of an input a corruption touches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum File {
    Roles,
    Assignments,
    Deny,
    Hierarchy,
    Request(usize),
}

impl Input {
    fn file_mut(&mut self, file: File) -> &mut Value {
        match file {
            File::Roles => &mut self.roles,
            File::Deny => &mut self.deny,
            File::Hierarchy => &mut self.hierarchy,
            File::Request(i) => &mut self.requests[i],
            File::Assignments => unreachable!("the assignments are a list"),
        }
    }
}

/// Every string that holds an id in `value`, by JSON pointer. `name` counts only where it is a
/// GUID (a role's or an assignment's), not a display name.
fn id_strings(value: &Value, at: &str, found: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            for (key, item) in object {
                let here = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                let is_id = ID_KEYS.contains(&key.to_ascii_lowercase().as_str());
                match item {
                    Value::String(text) if is_id && (key != "name" || text.len() == 36) => {
                        found.push(here);
                    }
                    Value::Array(items) if is_id => {
                        for (i, entry) in items.iter().enumerate() {
                            if entry.is_string() {
                                found.push(format!("{here}/{i}"));
                            }
                        }
                    }
                    _ => id_strings(item, &here, found),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                id_strings(item, &format!("{at}/{i}"), found);
            }
        }
        _ => {}
    }
}

/// `value` with every object key re-cased, except inside request attribute bags, whose
/// attribute names and dictionary keys are data (tags keep their case).
fn recased(value: &Value, case: &mut impl FnMut(&str) -> String, in_bags: bool) -> Value {
    match value {
        Value::Object(object) => Value::Object(
            object
                .iter()
                .map(|(key, item)| {
                    let bag = in_bags
                        && matches!(
                            key.as_str(),
                            "request" | "resource" | "principal" | "environment"
                        );
                    let item = if bag {
                        item.clone()
                    } else {
                        recased(item, case, in_bags)
                    };
                    (case(key), item)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| recased(item, case, in_bags))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A case change for keys: upper (`how` 0), lower (1), or alternating.
fn case_change(how: usize) -> impl FnMut(&str) -> String {
    move |key: &str| match how {
        0 => key.to_ascii_uppercase(),
        1 => key.to_ascii_lowercase(),
        _ => key
            .chars()
            .enumerate()
            .map(|(i, ch)| {
                if i % 2 == 0 {
                    ch.to_ascii_uppercase()
                } else {
                    ch.to_ascii_lowercase()
                }
            })
            .collect(),
    }
}

/// How many classes of corruption [`corrupt_as`] knows.
pub const CLASSES: usize = 13;

/// A corruption of `input`, drawn from every class, with what each request must come to.
pub fn corrupt(input: &Input, c: &mut impl Choices) -> Corrupted {
    let class = c.below(CLASSES);
    corrupt_as(input, class, c)
}

/// A corruption of `input` of the class `class` (below [`CLASSES`]).
pub fn corrupt_as(input: &Input, class: usize, c: &mut impl Choices) -> Corrupted {
    let mut bad = input.clone();
    let n = input.requests.len();
    let every = |expect: Expect| vec![expect; n];
    let one = |i: usize, expect: Expect| {
        let mut list = vec![Expect::Same; n];
        list[i] = expect;
        list
    };
    let (expect, what) = match class {
        // A character Azure's grammar refuses, anywhere in any id.
        0 | 1 => {
            let files = [
                File::Roles,
                File::Assignments,
                File::Deny,
                File::Hierarchy,
                File::Request(c.below(n)),
            ];
            let file = *c.pick(&files);
            let mut found = Vec::new();
            match file {
                File::Assignments => {
                    id_strings(&Value::Array(bad.assignments.clone()), "", &mut found)
                }
                other => id_strings(bad.file_mut(other), "", &mut found),
            }
            if found.is_empty() {
                return Corrupted {
                    input: bad,
                    expect: every(Expect::Same),
                    what: format!("nothing: no id in {file:?}"),
                };
            }
            let pointer = found[c.below(found.len())].clone();
            let refused = *c.pick(&REFUSED_ANYWHERE);
            let mut list = Value::Array(bad.assignments.clone());
            let target = match file {
                File::Assignments => list.pointer_mut(&pointer),
                other => bad.file_mut(other).pointer_mut(&pointer),
            };
            let Some(Value::String(text)) = target else {
                unreachable!("{pointer} is a string");
            };
            let chars: Vec<char> = text.chars().collect();
            let at = c.below(chars.len() + 1);
            let mut changed: String = chars[..at].iter().collect();
            changed.push_str(refused);
            changed.extend(&chars[at..]);
            let what = format!("{refused:?} at {at} of {text:?} ({file:?} {pointer})");
            let key = pointer
                .rsplit('/')
                .find(|part| part.parse::<usize>().is_err())
                .unwrap_or_default()
                .to_ascii_lowercase();
            let edge = at == 0 || at == chars.len();
            let kept = match key.as_str() {
                // An item's `name` repeats the last segment of its id, which is what is read.
                "name" => true,
                // GUIDs are read trimmed: whitespace around one keeps it.
                "principalid" | "objectid" | "id"
                    if edge
                        && refused.chars().all(char::is_whitespace)
                        && text.trim().len() == 36 =>
                {
                    true
                }
                // Below a blob container a request's scope is cut: what follows the
                // container's name is the blob's, not an id.
                "scope" => {
                    let byte = text.char_indices().nth(at).map_or(text.len(), |(i, _)| i);
                    let below = text.find("/containers/").and_then(|start| {
                        let name = start + "/containers/".len();
                        text.get(name..)?.find('/').map(|end| name + end)
                    });
                    below.is_some_and(|slash| byte > slash)
                }
                _ => false,
            };
            *text = changed;
            if let (File::Assignments, Value::Array(items)) = (file, list) {
                bad.assignments = items;
            }
            let expect = if kept {
                Expect::SameOrRefused
            } else {
                Expect::Refused
            };
            let expect = match file {
                File::Request(i) => one(i, expect),
                _ => every(expect),
            };
            (expect, what)
        }
        // A combining mark where a segment starts, a `.` ending a resource group's name.
        2 => {
            let rg = c.chance(50);
            let mut text = Value::Array(bad.assignments.clone()).to_string();
            let what = if rg {
                text = text.replacen("/resourceGroups/rg1", "/resourceGroups/rg1.", 1);
                "a resource group name ending in `.`"
            } else {
                text = text.replacen("/resourceGroups/", "/resourceGroups/\u{301}", 1);
                "a combining mark starting a resource group name"
            };
            let changed = serde_json::from_str::<Value>(&text).ok()
                != Some(Value::Array(bad.assignments.clone()));
            if let Ok(Value::Array(items)) = serde_json::from_str(&text) {
                bad.assignments = items;
            }
            let expect = if changed {
                Expect::Refused
            } else {
                Expect::Same
            };
            (every(expect), what.to_owned())
        }
        // Keys in another case: ARM reads schema keys ignoring case.
        3 => {
            let mut case = case_change(c.below(3));
            let what = match c.below(5) {
                0 => {
                    bad.assignments = bad
                        .assignments
                        .iter()
                        .map(|item| recased(item, &mut case, false))
                        .collect();
                    "the assignments' keys"
                }
                1 => {
                    let envelope = &mut bad.envelope;
                    envelope.list = envelope.list.as_deref().map(&mut case);
                    envelope.fields = envelope
                        .fields
                        .iter()
                        .map(|(k, v)| (case(k), v.clone()))
                        .collect();
                    envelope.counts = envelope.counts.iter().map(|k| case(k)).collect();
                    envelope.totals = envelope.totals.iter().map(|k| case(k)).collect();
                    "the envelope's keys"
                }
                2 => {
                    bad.roles = recased(&bad.roles, &mut case, false);
                    "the roles' keys"
                }
                3 => {
                    bad.deny = recased(&bad.deny, &mut case, false);
                    "the deny assignments' keys"
                }
                _ => {
                    let i = c.below(n);
                    bad.requests[i] = recased(&bad.requests[i], &mut case, true);
                    "a request's keys"
                }
            };
            (every(Expect::Same), format!("{what} re-cased"))
        }
        // `az rest --query value[].properties`: an item without its id and type.
        4 => {
            let with = bad
                .assignments
                .iter()
                .enumerate()
                .filter(|(_, item)| item.get("properties").is_some())
                .map(|(i, _)| i)
                .collect::<Vec<_>>();
            if with.is_empty() {
                return nothing(bad, "no item with properties");
            }
            let i = with[c.below(with.len())];
            let properties = bad.assignments[i]["properties"].clone();
            let pim = [
                "assignmentType",
                "status",
                "startDateTime",
                "endDateTime",
                "memberType",
            ]
            .iter()
            .any(|key| properties.get(key).is_some());
            bad.assignments[i] = properties;
            let expect = if pim {
                Expect::Refused
            } else {
                // A plain role assignment's properties are one without its id.
                Expect::Same
            };
            (every(expect), format!("item {i} as its properties only"))
        }
        // A paging marker: set, the list is incomplete; unset, it is whole.
        5 => {
            let set = c.chance(60);
            let envelope = &mut bad.envelope;
            if envelope.list.is_none() || envelope.list.as_deref() == Some("value") {
                envelope.list = Some("value".into());
                let key = *c.pick(&["nextLink", "@odata.nextLink", "NextLink", "NEXTLINK"]);
                envelope
                    .fields
                    .retain(|k, _| !k.eq_ignore_ascii_case("nextLink"));
                let value = if set {
                    json!(
                        "https://management.azure.com/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$skiptoken=x"
                    )
                } else {
                    c.pick(&[Value::Null, json!("")]).clone()
                };
                envelope.fields.insert(key.to_owned(), value);
            } else {
                match c.below(3) {
                    0 => {
                        let key = *c.pick(&["$skipToken", "skipToken", "skip_token"]);
                        let value = if set {
                            json!("ew0KICAiJGlkIjogIjEiDQp9")
                        } else {
                            c.pick(&[Value::Null, json!("")]).clone()
                        };
                        envelope.fields.insert(key.to_owned(), value);
                    }
                    1 => {
                        let value = if set {
                            c.pick(&[json!(true), json!("true"), json!("True")]).clone()
                        } else {
                            c.pick(&[json!(false), json!("false")]).clone()
                        };
                        envelope.fields.insert("resultTruncated".to_owned(), value);
                    }
                    _ => {
                        if envelope.totals.is_empty() {
                            envelope.totals.push("totalRecords".into());
                        }
                        envelope.more = if set { 1 + c.below(5) } else { 0 };
                    }
                }
            }
            let expect = if set { Expect::Refused } else { Expect::Same };
            (every(expect), format!("a paging marker, set: {set}"))
        }
        // A copy of an assignment: equal after reading (the id's case aside, or in another
        // shape) is read as one; a copy that differs is refused.
        6 | 7 => {
            let i = c.below(bad.assignments.len());
            let mut copy = bad.assignments[i].clone();
            let Some(id_key) = ["id", "RoleAssignmentId"]
                .into_iter()
                .find(|k| copy.get(*k).is_some_and(Value::is_string))
            else {
                return nothing(bad, "no id to copy by");
            };
            let differ = c.chance(50);
            let what = if differ {
                let principal = principal_of(&mut copy);
                let Some(principal) = principal else {
                    return nothing(bad, "no principal");
                };
                let other = if principal.as_str() == Some(PRINCIPALS[0]) {
                    PRINCIPALS[1]
                } else {
                    PRINCIPALS[0]
                };
                *principal = json!(other);
                "a copy for another principal"
            } else {
                match c.below(3) {
                    0 => {
                        let id = copy[id_key]
                            .as_str()
                            .unwrap_or_default()
                            .to_ascii_uppercase();
                        copy[id_key] = json!(id);
                        "a copy with its id in upper case"
                    }
                    1 if copy.get("properties").is_none() && id_key == "id" => {
                        // `az`'s flat item as an ARM resource.
                        let Value::Object(flat) = copy.clone() else {
                            unreachable!("items are objects");
                        };
                        let (top, properties): (Map<String, Value>, Map<String, Value>) = flat
                            .into_iter()
                            .partition(|(k, _)| matches!(k.as_str(), "id" | "name" | "type"));
                        let mut resource = top;
                        resource.insert("properties".into(), Value::Object(properties));
                        copy = Value::Object(resource);
                        "a copy as an ARM resource"
                    }
                    _ => "an identical copy",
                }
            };
            let at = c.below(bad.assignments.len() + 1);
            bad.assignments.insert(at, copy);
            let expect = if differ {
                Expect::Refused
            } else {
                Expect::Same
            };
            (every(expect), format!("{what} of item {i}, at {at}"))
        }
        // A copy of a role or a deny assignment, equal or not.
        8 => {
            let differ = c.chance(50);
            let deny = c.chance(50) && bad.deny.as_array().is_some_and(|d| !d.is_empty());
            let list = if deny { &mut bad.deny } else { &mut bad.roles };
            let Some(items) = list.as_array_mut() else {
                unreachable!("the roles and deny assignments are arrays");
            };
            let mut copy = items[0].clone();
            if differ {
                if deny {
                    let flag = &mut copy["properties"]["doNotApplyToChildScopes"];
                    *flag = json!(!flag.as_bool().unwrap_or(false));
                } else {
                    copy["permissions"][0]["actions"] = json!(["*"]);
                }
            }
            items.push(copy);
            let expect = if differ {
                Expect::Refused
            } else {
                Expect::Same
            };
            let kind = if deny { "deny assignment" } else { "role" };
            (
                every(expect),
                format!("a copy of a {kind}, differing: {differ}"),
            )
        }
        // A custom role named as another role, under another GUID.
        9 => {
            let name = *c.pick(&[
                "Owner",
                "owner",
                "Widget Operator",
                "WIDGET OPERATOR",
                "Reader",
            ]);
            let fresh = guid(0xc2, 0);
            if let Some(roles) = bad.roles.as_array_mut() {
                roles.push(
                    json!({"name": fresh, "roleName": name, "roleType": "CustomRole",
                    "permissions": [{"actions": ["*/read"], "notActions": []}],
                    "assignableScopes": [MG]}),
                );
            }
            (
                every(Expect::Refused),
                format!("a custom role named {name:?}"),
            )
        }
        // PIM times at another offset, or with a fraction: the same instants.
        10 => {
            let offset = *c.pick(&[0, 330, -480, 60, -60, 345, 840]);
            let fraction = c.chance(50);
            let mut changed = 0;
            for item in &mut bad.assignments {
                let Some(Value::Object(properties)) = item.get_mut("properties") else {
                    continue;
                };
                for key in ["startDateTime", "endDateTime"] {
                    if let Some(Value::String(text)) = properties.get_mut(key)
                        && let Some(minutes) = minutes_from_now(text)
                    {
                        *text = instant(minutes, offset, fraction);
                        changed += 1;
                    }
                }
            }
            (
                every(Expect::Same),
                format!("{changed} PIM times at offset {offset}, fraction: {fraction}"),
            )
        }
        // One resource in another spelling, a kind that contradicts itself, and envelopes
        // beyond the assignments' own markers.
        12 => spellings_and_envelopes(&mut bad, c),
        // A request's bag with one attribute twice, a role definition id with something after
        // its GUID, or a custom role with data actions at a management group.
        _ => match c.below(3) {
            0 => {
                let i = c.below(n);
                let request = &mut bad.requests[i];
                let bag = ["request", "resource"]
                    .into_iter()
                    .find(|bag| request.get(*bag).is_some_and(Value::is_object))
                    .unwrap_or("request");
                let Some(object) = request.as_object_mut() else {
                    unreachable!("requests are objects");
                };
                let entry = object.entry(bag).or_insert_with(|| json!({}));
                let Some(attributes) = entry.as_object_mut() else {
                    unreachable!("bags are objects");
                };
                let key = attributes.keys().next().cloned().unwrap_or_else(|| {
                    "Microsoft.Authorization/roleAssignments:RoleDefinitionId".into()
                });
                attributes
                    .entry(key.clone())
                    .or_insert_with(|| json!(READER));
                attributes.insert(key.to_ascii_uppercase(), json!(OWNER));
                (
                    one(i, Expect::Refused),
                    format!("request {i}: `{key}` twice"),
                )
            }
            1 => {
                let i = c.below(n);
                let Some(attributes) = bad.requests[i]
                    .get_mut("request")
                    .and_then(Value::as_object_mut)
                else {
                    return nothing(bad, "no request bag");
                };
                let smuggled = match c.below(3) {
                    0 => format!(
                        "/providers/Microsoft.Authorization/roleDefinitions/{OWNER}/{READER}"
                    ),
                    1 => format!(
                        "/providers/Microsoft.Authorization/roleDefinitions/{OWNER}/../{READER}"
                    ),
                    _ => format!(
                        "/providers/Microsoft.Authorization/roleDefinitions/{OWNER}?x=/{READER}"
                    ),
                };
                attributes.insert(
                    "Microsoft.Authorization/roleAssignments:RoleDefinitionId".into(),
                    json!(smuggled),
                );
                (one(i, Expect::Refused), format!("request {i}: {smuggled}"))
            }
            _ => {
                bad.roles[0]["permissions"][0]["dataActions"] = json!([BLOB_READ]);
                let a = Assignment {
                    id_guid: guid(0xa2, 0),
                    scope: MG.to_owned(),
                    principal: PRINCIPALS[0],
                    role: WIDGETS,
                    condition: None,
                };
                let item = written(&a, c);
                bad.assignments.push(item);
                (
                    every(Expect::Refused),
                    "a custom role with data actions at a management group".to_owned(),
                )
            }
        },
    };
    Corrupted {
        input: bad,
        expect,
        what,
    }
}

/// Class 12: an id with a trailing `/` (one spelling of the same id), an item whose `type`
/// contradicts its id or has no namespace, an `originRoleAssignmentId` Azure would not print,
/// every marker beside a `value` list, a count that is not the rows', `value` beside `data`,
/// and the deny assignments' and roles' files in an envelope.
fn spellings_and_envelopes(bad: &mut Input, c: &mut impl Choices) -> (Vec<Expect>, String) {
    let every = |expect: Expect| vec![expect; bad.requests.len()];
    let rows = bad.assignments.len();
    match c.below(7) {
        0 => {
            let i = c.below(rows);
            let item = &mut bad.assignments[i];
            let Some(key) = ["id", "RoleAssignmentId"]
                .into_iter()
                .find(|k| item.get(*k).is_some_and(Value::is_string))
            else {
                return (every(Expect::Same), "nothing: no id".into());
            };
            let id = format!("{}/", item[key].as_str().unwrap_or_default());
            item[key] = json!(id);
            (every(Expect::Same), format!("item {i}'s id ending in `/`"))
        }
        1 => {
            let i = c.below(rows);
            let item = &mut bad.assignments[i];
            let what = match item.get("type").and_then(Value::as_str) {
                Some(kind) if kind.contains("Schedule") => {
                    item["type"] = json!("Microsoft.Authorization/roleAssignments");
                    "a PIM item typed as a role assignment"
                }
                Some(_) if c.chance(50) => {
                    item["type"] =
                        json!("Microsoft.Authorization/roleEligibilityScheduleInstances");
                    "a role assignment typed as an eligibility"
                }
                _ => {
                    item["type"] = json!("roleAssignments");
                    "a type without its namespace"
                }
            };
            (every(Expect::Refused), format!("item {i}: {what}"))
        }
        2 => {
            let Some(i) = bad
                .assignments
                .iter()
                .position(|item| item["properties"].get("assignmentType").is_some())
            else {
                return (every(Expect::Same), "nothing: no activated instance".into());
            };
            let named = format!(
                "{}/providers/Microsoft.Authorization/roleAssignments/{}",
                sub(S1),
                guid(0xee, 0)
            );
            let (origin, expect) = match c.below(4) {
                // One the world does not hold, spelled with a trailing `/`: governs nothing.
                0 => (format!("{named}/"), Expect::Same),
                1 => (format!(" {named}"), Expect::Refused),
                2 => (format!("{named}%20"), Expect::Refused),
                _ => (
                    named.replace("roleAssignments", "roleDefinitions"),
                    Expect::Refused,
                ),
            };
            bad.assignments[i]["properties"]["originRoleAssignmentId"] = json!(origin);
            (every(expect), format!("item {i}'s origin {origin:?}"))
        }
        3 => {
            // The list under `value`, with a marker Resource Graph writes.
            let envelope = &mut bad.envelope;
            envelope.list = Some("value".into());
            envelope.counts.clear();
            envelope.totals.clear();
            envelope.more = 0;
            envelope.fields = Map::new();
            let (key, value, expect) = match c.below(5) {
                0 => (
                    "$skipToken",
                    json!("ew0KICAiJGlkIjogIjEiDQp9"),
                    Expect::Refused,
                ),
                1 => ("resultTruncated", json!("true"), Expect::Refused),
                2 => (
                    "@odata.count",
                    json!(rows + 1 + c.below(3)),
                    Expect::Refused,
                ),
                3 => ("Count", json!(c.below(rows)), Expect::Refused),
                _ => ("@odata.count", json!(rows), Expect::Same),
            };
            envelope.fields.insert(key.into(), value.clone());
            (every(expect), format!("`value` beside {key}: {value}"))
        }
        4 => {
            // `value` and `data` in one envelope: which list is the file's is not known.
            let envelope = &mut bad.envelope;
            let other = match envelope.list.as_deref() {
                Some("data") => "value",
                _ => {
                    envelope.list = Some("value".into());
                    "data"
                }
            };
            envelope.fields.insert(other.into(), json!([]));
            (every(Expect::Refused), format!("`{other}` beside the list"))
        }
        5 => {
            // A count of the rows that is not the rows'.
            let envelope = &mut bad.envelope;
            if envelope.list.is_none() {
                envelope.list = Some("data".into());
            }
            envelope.counts.clear();
            envelope.totals.clear();
            envelope.more = 0;
            let count = rows + 1 + c.below(3);
            envelope.fields.insert("count".into(), json!(count));
            (
                every(Expect::Refused),
                format!("`count` {count} of {rows} rows"),
            )
        }
        _ => {
            // The deny assignments' or roles' file in an ARM page.
            let set = c.chance(50);
            let deny = c.chance(50);
            let list = if deny { &mut bad.deny } else { &mut bad.roles };
            let marker = if set {
                json!("https://management.azure.com/next?$skiptoken=x")
            } else {
                Value::Null
            };
            let key = *c.pick(&["nextLink", "NextLink", "@odata.nextLink"]);
            *list = json!({"value": list.clone(), key: marker});
            let expect = if set { Expect::Refused } else { Expect::Same };
            let file = if deny { "deny assignments" } else { "roles" };
            (
                every(expect),
                format!("the {file} in a page, {key} set: {set}"),
            )
        }
    }
}

/// An input left as it was, where a corruption found nothing to corrupt.
fn nothing(input: Input, why: &str) -> Corrupted {
    let n = input.requests.len();
    Corrupted {
        input,
        expect: vec![Expect::Same; n],
        what: format!("nothing: {why}"),
    }
}

/// The principal field of an assignment item, wherever its shape keeps it.
fn principal_of(item: &mut Value) -> Option<&mut Value> {
    if item.get("properties").is_some() {
        return item.get_mut("properties")?.get_mut("principalId");
    }
    let key = ["principalId", "ObjectId"]
        .into_iter()
        .find(|k| item.get(*k).is_some())?;
    item.get_mut(key)
}

/// The minutes from [`NOW`] of an instant [`instant`] wrote in UTC.
fn minutes_from_now(text: &str) -> Option<i64> {
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<i64>().ok();
    let (month, day, hour, minute) = (
        number(5..7)?,
        number(8..10)?,
        number(11..13)?,
        number(14..16)?,
    );
    let day_index = if month == 11 { day - 1 } else { 29 + day };
    Some(day_index * 1440 + hour * 60 + minute - 30 * 1440)
}
