//! Unit tests of the request reader, the compiler and the VM against the reference.

use super::{ErrorKind, Program, Request, reference};
use crate::catalog::Catalog;
use crate::syntax;

const WRITE: &str = "Microsoft.Authorization/roleAssignments/write";

fn catalog() -> &'static Catalog {
    Catalog::builtin()
}

fn request(json: &str) -> Request {
    Request::from_json(json, catalog()).unwrap()
}

fn error(json: &str) -> String {
    Request::from_json(json, catalog()).unwrap_err().to_string()
}

/// Evaluates with both evaluators, insisting they agree.
fn eval(condition: &str, json: &str) -> Result<bool, ErrorKind> {
    let request = request(json);
    let parsed = syntax::parse(condition);
    let tree = parsed.valid_condition().unwrap();
    let program = super::compile(tree, condition).unwrap();
    let vm = program.run(&request);
    let oracle = reference::evaluate(tree, &request);
    assert_eq!(
        vm.error.map(|e| (e.kind, e.span)),
        oracle.err().map(|e| (e.kind, e.span)),
        "errors differ for {condition}"
    );
    let trace = program.trace(&request);
    assert_eq!(
        trace.result, vm.result,
        "the trace disagrees for {condition}"
    );
    match vm.error {
        Some(e) => Err(e.kind),
        None => {
            assert_eq!(Ok(vm.result), oracle, "results differ for {condition}");
            Ok(vm.result)
        }
    }
}

#[test]
fn request_json_is_typed_by_the_catalogue() {
    let r = request(
        r#"{"action": "x", "subOperations": ["Blob.List"],
            "request": {"microsoft.authorization/roleassignments:roledefinitionid":
                         "/subscriptions/00000000-0000-0000-0000-0000000000aa/providers/Microsoft.Authorization/roleDefinitions/53CA6127-DB72-4B80-B1B0-D745D6D5456D"},
            "resource": {"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags": {"Project": "Cascade"}},
            "principal": {"Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Project": ["Baker", "Cascade"]},
            "environment": {"isPrivateLink": true, "UtcNow": "2023-05-01T13:00:00Z"}}"#,
    );
    assert_eq!(r.action(), "x");
    assert_eq!(r.suboperations().len(), 1);
}

/// A role definition's resource id is read by its grammar
/// ([decision R19](crate::spec::decisions#decision-r19)): a GUID smuggled after it, `..`, or a
/// query is an error that says why, never its last segment.
#[test]
fn a_role_definition_id_in_a_request_is_read_by_its_grammar() {
    let id = "/subscriptions/00000000-0000-0000-0000-0000000000aa/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
    for (value, says) in [
        (
            format!("{id}/53ca6127-db72-4b80-b1b0-d745d6d5456d"),
            "with nothing after it",
        ),
        (format!("{id}?x=/"), "strip `?x=/`"),
        (
            id.replace(
                "/providers/Microsoft.Authorization",
                "/x/../providers/Microsoft.Authorization",
            ),
            "is not a role definition id",
        ),
    ] {
        let json = format!(
            r#"{{"action": "x", "request": {{"Microsoft.Authorization/roleAssignments:RoleDefinitionId": "{value}"}}}}"#
        );
        let message = error(&json);
        assert!(message.contains(says), "{value}: {message}");
    }
}

/// Two spellings of one attribute in a bag ([decision R14](crate::spec::decisions#decision-r14))
/// are an error, never one silently taken; a dictionary's keys are data and stay distinct.
#[test]
fn an_attribute_given_twice_in_two_spellings_is_an_error() {
    let message = error(
        r#"{"action": "Microsoft.Authorization/roleAssignments/write", "request": {
            "Microsoft.Authorization/roleAssignments:RoleDefinitionId": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
            "microsoft.authorization/roleassignments:roledefinitionid": "53ca6127-db72-4b80-b1b0-d745d6d5456d"}}"#,
    );
    assert!(
        message.contains("name one key in two spellings"),
        "{message}"
    );
    let message = error(r#"{"action": "x", "Action": "y"}"#);
    assert!(
        message.contains("`action`") && message.contains("`Action`"),
        "{message}"
    );
    let tags = request(
        r#"{"dataAction": "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
            "resource": {
              "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Project<$key_case_sensitive$>": "a",
              "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:project<$key_case_sensitive$>": "b"}}"#,
    );
    assert!(tags.is_data_action());
    // Fields in another spelling read as the field.
    assert!(request(r#"{"Action": "x", "SubOperations": []}"#).action() == "x");
}

#[test]
fn malformed_requests_name_the_path_and_the_type() {
    assert_eq!(
        error(
            r#"{"action": "x", "request": {"Microsoft.Authorization/roleAssignments:RoleDefinitionId": "owner"}}"#
        ),
        r#"at $.request["Microsoft.Authorization/roleAssignments:RoleDefinitionId"]: expected a GUID (or a role definition's resource id), found the string "owner""#
    );
    assert_eq!(
        error(r#"{"action": "x", "environment": {"UtcNow": "2023-05-01T13:00:00+02:00"}}"#),
        r#"at $.environment["UtcNow"]: expected a DateTime such as "2023-05-01T13:00:00Z": the time must be in UTC, ending in `Z`"#
    );
    assert_eq!(
        error(r#"{"action": "x", "environment": {"isPrivateLink": "yes"}}"#),
        r#"at $.environment["isPrivateLink"]: expected a Boolean, found the string "yes""#
    );
    assert!(
        error(r#"{"action": "x", "request": {"isPrivateLink": true}}"#)
            .contains("not a @Request attribute; give it under `environment`")
    );
    assert!(error(r#"{"action": "x", "resource": {"Microsoft.Storage/storageAccounts/blobServices/containers:nmae": "a"}}"#)
        .contains("did you mean `Microsoft.Storage/storageAccounts/blobServices/containers:name`?"));
    assert!(error(r#"{"action": "x", "resource": {"Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags": {"a": 1}}}"#)
        .starts_with(r#"at $.resource["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags"]["a"]: expected a String"#));
    assert!(error(r#"{"resource": {}}"#).contains("missing `action`"));
    assert!(error(r#"{"action": "x", "scope": "/"}"#).contains("unknown field `scope`"));
    assert!(error(r#"{"action": "x", "dataAction": "y"}"#).contains("not both"));
    assert!(error(r#"{"action": 1}"#).contains("expected a string, found the number 1"));
    assert!(error(r#"["x"]"#).starts_with("at $: expected an object"));
    assert!(error(r#"{"action": "x", "principal": {"Microsoft.Directory/CustomSecurityAttributes/Id:S_A": 1.5}}"#)
        .contains("expected an Integer"));
    assert!(error(r#"{"action": "x", "resource": {"Microsoft.Storage/storageAccounts/blobServices/containers:name": ["a"]}}"#)
        .contains("expected a single String, found an array"));
    assert!(
        error(r#"{"action": "x", "request": {"subOperation": "Blob.List"}}"#)
            .contains("top-level `subOperations`")
    );
}

#[test]
fn delegation_condition() {
    let condition = "(!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR \
        (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {53ca6127-db72-4b80-b1b0-d745d6d5456d})";
    let with = |guid: &str| {
        format!(
            r#"{{"action": "{WRITE}", "request": {{"Microsoft.Authorization/roleAssignments:RoleDefinitionId": "{guid}"}}}}"#
        )
    };
    assert_eq!(
        eval(condition, &with("53CA6127-DB72-4B80-B1B0-D745D6D5456D")),
        Ok(true)
    );
    assert_eq!(
        eval(condition, &with("8e3af657-a8ff-443c-a75c-2fe8c4bcb635")),
        Ok(false)
    );
    assert_eq!(
        eval(condition, &format!(r#"{{"action": "{WRITE}"}}"#)),
        Ok(false)
    );
    assert_eq!(
        eval(
            condition,
            r#"{"action": "Microsoft.CognitiveServices/accounts/read"}"#
        ),
        Ok(true)
    );
}

#[test]
fn runtime_type_errors_make_the_condition_false() {
    let condition = "NOT (@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Team_Level] NumericGreaterThan 3)";
    let json = r#"{"action": "x", "principal": {"Microsoft.Directory/CustomSecurityAttributes/Id:Team_Level": "high"}}"#;
    assert!(matches!(
        eval(condition, json),
        Err(ErrorKind::TypeMismatch { .. })
    ));
    let list = r#"{"action": "x", "principal": {"Microsoft.Directory/CustomSecurityAttributes/Id:Team_Level": [1, 5]}}"#;
    assert_eq!(eval(condition, list), Err(ErrorKind::ListWithoutQuantifier));
}

#[test]
fn the_budget_stops_runaway_work() {
    let condition = "@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:S_A] ForAllOfAllValues:StringNotEquals @Principal[Microsoft.Directory/CustomSecurityAttributes/Id:S_B]";
    let values: Vec<String> = (0..3000).map(|i| format!("\"v{i}\"")).collect();
    let json = format!(
        r#"{{"action": "x", "principal": {{"Microsoft.Directory/CustomSecurityAttributes/Id:S_A": [{0}], "Microsoft.Directory/CustomSecurityAttributes/Id:S_B": [{0}]}}}}"#,
        values.join(",")
    );
    let program = Program::from_source(condition, catalog()).unwrap();
    let outcome = program.run(&request(&json));
    assert!(!outcome.result);
    assert_eq!(
        outcome.error.map(|e| e.kind),
        Some(ErrorKind::BudgetExhausted)
    );
}

#[test]
fn program_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Program>();
    assert_send_sync::<Request>();
}

#[test]
fn action_matches_compares_catalogue_actions_by_number_and_others_by_text() {
    let catalogue = "ActionMatches{'Microsoft.Authorization/roleAssignments/write'}";
    assert_ne!(
        super::request::action_number(&WRITE.to_ascii_lowercase()),
        0
    );
    for (action, expected) in [
        (WRITE, true),
        ("MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE", true),
        ("Microsoft.Authorization/roleAssignments/delete", false),
        ("Microsoft.Authorization/roleAssignments/write/extra", false),
        ("Contoso.Widgets/widgets/write", false),
    ] {
        let json = format!(r#"{{"action": "{action}"}}"#);
        assert_eq!(eval(catalogue, &json), Ok(expected), "{action}");
    }
    // An action outside the catalogue has no number: its text decides, ignoring case.
    let other = "ActionMatches{'Contoso.Widgets/widgets/write'}";
    assert_eq!(
        super::request::action_number("contoso.widgets/widgets/write"),
        0
    );
    for (action, expected) in [
        ("Contoso.Widgets/widgets/write", true),
        ("contoso.widgets/WIDGETS/write", true),
        (WRITE, false),
    ] {
        let json = format!(r#"{{"action": "{action}"}}"#);
        assert_eq!(eval(other, &json), Ok(expected), "{action}");
    }
}

#[test]
fn dictionaries_read_by_key_and_by_keys_and_are_replaced_whole() {
    use super::{Attribute, Value};
    use crate::syntax::{AttributeName, AttributeRef, AttributeSource};
    const TAGS: &str = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags";
    let read = |request: &Request, name: &str| {
        let name = AttributeName::parse(&format!("{TAGS}{name}")).unwrap();
        request
            .attribute(&AttributeRef {
                source: AttributeSource::Resource,
                name,
            })
            .map(|o| {
                (
                    o.values.iter().map(Value::to_string).collect::<Vec<_>>(),
                    o.multi,
                )
            })
    };
    let strings = |items: &[&str]| items.iter().map(|s| Value::string(*s)).collect::<Vec<_>>();
    let dictionary = |keys: &[&str], values: &[&str]| Attribute::Dictionary {
        keys: strings(keys),
        values: strings(values),
    };
    let request = Request::new("a").with(
        AttributeSource::Resource,
        TAGS,
        dictionary(&["Project", "project", "Project"], &["A", "b", "C"]),
    );
    // Keys are case-sensitive, and a key given twice keeps its first value.
    let one = |v: &str| Some((vec![format!("'{v}'")], false));
    assert_eq!(read(&request, ":Project<$key_case_sensitive$>"), one("A"));
    assert_eq!(read(&request, ":project<$key_case_sensitive$>"), one("b"));
    assert_eq!(read(&request, ":PROJECT<$key_case_sensitive$>"), None);
    // The path is matched ignoring ASCII case, as every attribute name is.
    let upper = AttributeName::parse(&format!(
        "{}:Project<$key_case_sensitive$>",
        TAGS.to_uppercase()
    ))
    .unwrap();
    assert!(
        request
            .attribute(&AttributeRef {
                source: AttributeSource::Resource,
                name: upper
            })
            .is_some()
    );
    assert_eq!(
        read(&request, "&$keys$&").map(|(keys, multi)| (keys.len(), multi)),
        Some((3, true))
    );
    // Another source is another attribute.
    let principal = AttributeRef {
        source: AttributeSource::Principal,
        name: AttributeName::parse(&format!("{TAGS}&$keys$&")).unwrap(),
    };
    assert!(request.attribute(&principal).is_none());

    // Setting the path again replaces the whole dictionary, keys and values.
    let replaced = request.with(
        AttributeSource::Resource,
        TAGS,
        dictionary(&["Team"], &["x"]),
    );
    assert_eq!(read(&replaced, ":Project<$key_case_sensitive$>"), None);
    assert_eq!(read(&replaced, ":Team<$key_case_sensitive$>"), one("x"));
    assert_eq!(
        read(&replaced, "&$keys$&"),
        Some((vec!["'Team'".into()], true))
    );
    let emptied = replaced.with(AttributeSource::Resource, TAGS, dictionary(&[], &[]));
    assert_eq!(read(&emptied, ":Team<$key_case_sensitive$>"), None);
    assert_eq!(
        read(&emptied, "&$keys$&"),
        Some((vec![], true)),
        "an empty dictionary is present"
    );
}

#[test]
fn listings_name_slots_in_their_documented_spelling() {
    const NAME: &str = "Microsoft.Storage/storageAccounts/blobServices/containers:name";
    for written in [format!("@Resource[{NAME}]"), format!("@resource[{NAME}]")] {
        let condition = format!("{written} StringEquals 'logs'");
        let parsed = syntax::parse(&condition);
        let program = super::compile(parsed.valid_condition().unwrap(), &condition).unwrap();
        let listing = program.disassemble();
        assert!(
            listing.contains(&format!("s0   @Resource[{NAME}]")),
            "{written}: {listing}"
        );
    }
}
