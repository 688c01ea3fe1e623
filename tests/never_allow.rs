#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

//! Never a wrong allow on input Azure reads differently (issue 18): for random small worlds and
//! requests, adding any of the malformed inputs that are errors turns the decision into an
//! input error (the world or the request is refused, or the decision says it could not
//! decide), never into an allow; and the malformations that are only warnings never turn a deny
//! into an allow.

use azabac::catalog::Catalog;
use azabac::eval::Ticks;
use azabac::rbac::{AccessRequest, InputError, World};
use proptest::prelude::*;
use serde_json::{Value, json};

const NOW: Ticks = Ticks(17_960_832_000_000_000);
const SUB: &str = "/subscriptions/00000000-0000-0000-0000-0000000000aa";
const PRINCIPALS: [&str; 2] = [
    "aaaaaaaa-0000-0000-0000-00000000a11c",
    "bbbbbbbb-0000-0000-0000-0000000000b0",
];
/// Owner, Reader, Storage Blob Data Reader, and the custom Widget Operator.
const ROLES: [&str; 4] = [
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    "acdd72a7-3385-48ef-bd42-f606fba81ae7",
    "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
    "00000012-0000-0000-0000-000000000012",
];
const SCOPES: [&str; 3] = ["", "/resourceGroups/rg1", "/resourceGroups/rg2"];
const ACTIONS: [(&str, &str); 4] = [
    ("action", "Microsoft.Storage/storageAccounts/read"),
    ("action", "Contoso.Widgets/widgets/read"),
    ("action", "Microsoft.Authorization/roleAssignments/write"),
    (
        "dataAction",
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
    ),
];

/// The files of a world and one request, as JSON.
#[derive(Clone, Debug)]
struct Input {
    roles: Value,
    assignments: Value,
    deny: Value,
    hierarchy: Option<Value>,
    request: Value,
}

fn custom_role() -> Value {
    json!({"roleName": "Widget Operator", "name": ROLES[3],
        "permissions": [{"actions": ["Contoso.Widgets/*"], "notActions": []}]})
}

fn input() -> impl Strategy<Value = Input> {
    let assignment = (0..2usize, 0..4usize, 0..3usize).prop_map(|(p, r, s)| {
        json!({"principalId": PRINCIPALS[p], "roleDefinitionId": ROLES[r],
            "scope": format!("{SUB}{}", SCOPES[s])})
    });
    (
        proptest::collection::vec(assignment, 0..5),
        0..2usize,
        0..3usize,
        0..4usize,
    )
        .prop_map(|(assignments, p, s, a)| {
            let (field, action) = ACTIONS[a];
            let mut request = json!({"principalId": PRINCIPALS[p],
                "scope": format!("{SUB}{}/providers/Microsoft.Storage/storageAccounts/st", SCOPES[s])});
            request[field] = json!(action);
            Input {
                roles: json!([custom_role()]),
                assignments: Value::Array(assignments),
                deny: json!([]),
                hierarchy: None,
                request,
            }
        })
}

/// What deciding the input came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Allow,
    Deny,
    /// Refused: the world or the request could not be read, or the decision could not be made.
    InputError,
}

fn decide(input: &Input) -> Outcome {
    let catalog = Catalog::builtin();
    let build = || -> Result<World, InputError> {
        let mut builder = World::builder()
            .roles(&input.roles)?
            .assignments(&input.assignments)?
            .deny_assignments(&input.deny)?;
        if let Some(hierarchy) = &input.hierarchy {
            builder = builder.hierarchy(hierarchy)?;
        }
        builder.build(catalog)
    };
    let Ok(world) = build() else {
        return Outcome::InputError;
    };
    let Ok(access) = AccessRequest::from_value(&input.request, catalog) else {
        return Outcome::InputError;
    };
    let decision = world.decide(&access, NOW, false);
    match (decision.is_input_error(), decision.allowed()) {
        (true, true) => panic!("an input error that allows: {}", decision.reason),
        (true, false) => Outcome::InputError,
        (false, true) => Outcome::Allow,
        (false, false) => Outcome::Deny,
    }
}

/// The malformations that are errors, each applied to a valid input.
fn malform(input: &Input, which: usize) -> Input {
    let mut bad = input.clone();
    let first_assignment =
        json!({"principalId": PRINCIPALS[0], "roleDefinitionId": ROLES[0], "scope": SUB});
    let push = |list: &mut Value, item: Value| list.as_array_mut().unwrap().push(item);
    match which {
        // Two keys equal ignoring case.
        0 => push(
            &mut bad.assignments,
            json!({"principalId": PRINCIPALS[0],
            "roleDefinitionId": ROLES[0], "scope": SUB, "Scope": "/"}),
        ),
        // An ARM page that goes on.
        1 => {
            bad.assignments =
                json!({"value": bad.assignments, "nextLink": "https://example.invalid/next"})
        }
        // An `az graph query` result with more rows to come.
        2 => {
            bad.assignments = json!({"count": 0, "data": [], "skip_token": "x", "total_records": 9})
        }
        // A misspelt key in a permission block.
        3 => {
            bad.roles = json!([{"roleName": "Widget Operator", "name": ROLES[3],
            "permissions": [{"actions": ["*"], "notAction": ["Microsoft.Authorization/*"]}]}])
        }
        // One role GUID given twice, differently.
        4 => push(
            &mut bad.roles,
            json!({"roleName": "Widget Operator", "name": ROLES[3],
            "permissions": [{"actions": ["*"]}]}),
        ),
        // A built-in role's copy without its condition (Azure AI Account Owner).
        5 => push(
            &mut bad.roles,
            json!({"roleName": "Azure AI Account Owner",
            "name": "e47c6f54-e4a2-4754-9501-8e0985b135e1",
            "permissions": [{"actions": ["Microsoft.Authorization/roleAssignments/write"]}]}),
        ),
        // A role definition id that is not one.
        6 => push(
            &mut bad.assignments,
            json!({"principalId": PRINCIPALS[0], "scope": SUB,
            "roleDefinitionId": format!("{SUB}/providers/Microsoft.Authorization/roleDefinitions/../roleDefinitions/{}", ROLES[0])}),
        ),
        // An id that names another scope than `scope`.
        7 => push(
            &mut bad.assignments,
            json!({"principalId": PRINCIPALS[0], "roleDefinitionId": ROLES[0],
            "scope": SUB, "id": format!("{SUB}/resourceGroups/rg9/providers/Microsoft.Authorization/roleAssignments/00000013-0000-0000-0000-000000000013")}),
        ),
        // PowerShell's unknown object type.
        8 => push(
            &mut bad.assignments,
            json!({"ObjectId": PRINCIPALS[1], "ObjectType": "Unknown",
            "RoleDefinitionId": ROLES[0], "Scope": SUB}),
        ),
        // A schedule request read as a grant.
        9 => push(
            &mut bad.assignments,
            json!({"type": "Microsoft.Authorization/roleAssignmentScheduleRequests",
            "id": format!("{SUB}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/00000014-0000-0000-0000-000000000014"),
            "properties": {"principalId": PRINCIPALS[0], "roleDefinitionId": ROLES[0], "scope": SUB}}),
        ),
        // Contradictory PIM markings.
        10 => {
            let mut item = first_assignment.clone();
            item["eligible"] = json!(true);
            item["assignmentType"] = json!("Active");
            push(&mut bad.assignments, item);
        }
        // A wildcard in the request's action.
        11 => bad.request["action"] = json!("Microsoft.Storage/*"),
        // A catalogue data action asked as a control action.
        12 => {
            let object = bad.request.as_object_mut().unwrap();
            object.remove("dataAction");
            object.insert(
                "action".into(),
                json!("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"),
            );
        }
        // A request whose UtcNow is not the decision's time.
        13 => bad.request["environment"] = json!({"UtcNow": "2020-01-01T00:00:00Z"}),
        // A management-group deny that nothing places, naming everyone and every action.
        14 => {
            bad.deny = json!([{"id": "d", "scope": "/providers/Microsoft.Management/managementGroups/corp",
                "principals": [{"id": "00000000-0000-0000-0000-000000000000"}],
                "permissions": [{"actions": ["*"], "dataActions": ["*"]}]}]);
        }
        // A blob read that omits its container's name, which Azure always supplies, where a
        // condition reads it.
        15 => {
            let mut item = first_assignment.clone();
            item["condition"] = json!(
                "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] \
                 StringNotEquals 'secret'"
            );
            item["conditionVersion"] = json!("2.0");
            push(&mut bad.assignments, item);
            let object = bad.request.as_object_mut().unwrap();
            object.remove("action");
            object.insert(
                "dataAction".into(),
                json!("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"),
            );
        }
        // A deny effect azabac does not know.
        _ => {
            bad.deny = json!([{"id": "d", "scope": SUB, "denyAssignmentEffect": "warn",
                "principals": [{"id": PRINCIPALS[0]}], "permissions": [{"actions": ["*"]}]}]);
        }
    }
    bad
}

const MALFORMATIONS: usize = 17;

/// `value` with every object key re-cased by `case`: ARM reads schema keys ignoring case.
fn recased(value: &Value, case: fn(&str) -> String) -> Value {
    match value {
        Value::Object(object) => Value::Object(
            object
                .iter()
                .map(|(key, value)| (case(key), recased(value, case)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| recased(v, case)).collect()),
        other => other.clone(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn malformed_input_is_an_input_error_never_an_allow(input in input(), which in 0..MALFORMATIONS) {
        prop_assert_ne!(decide(&input), Outcome::InputError, "the valid input decides");
        let bad = malform(&input, which);
        prop_assert_eq!(decide(&bad), Outcome::InputError, "malformation {}", which);
    }

    /// Role and assignment files decide the same with their keys in any case, as ARM reads
    /// them: a key spelt in another case is neither ignored nor an error.
    #[test]
    fn keys_in_any_case_decide_the_same(input in input(), upper in any::<bool>()) {
        let case: fn(&str) -> String = if upper { str::to_ascii_uppercase } else { str::to_ascii_lowercase };
        let mut recast = input.clone();
        recast.roles = recased(&input.roles, case);
        recast.assignments = recased(&input.assignments, case);
        prop_assert_eq!(decide(&recast), decide(&input));
    }

    /// A built-in role's copy that grants more is only a warning: azabac's definition is used,
    /// so a deny stays a deny.
    #[test]
    fn a_warning_never_turns_a_deny_into_an_allow(input in input()) {
        let baseline = decide(&input);
        let mut wider = input.clone();
        wider.roles.as_array_mut().unwrap().push(json!({"roleName": "Reader", "name": ROLES[1],
            "permissions": [{"actions": ["*"], "dataActions": ["*"]}]}));
        let with_warning = decide(&wider);
        prop_assert_ne!(with_warning, Outcome::InputError);
        if baseline == Outcome::Deny {
            prop_assert_eq!(with_warning, Outcome::Deny);
        }
    }
}
