#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

//! What a user's own test looks like: pin a condition's snapshot with insta through the
//! library, here the Azure AI Account Owner condition against three requests.

use azabac::Condition;
use azabac::catalog::Catalog;
use azabac::check::Checker;
use azabac::eval::Request;

#[test]
fn the_ai_account_owner_condition_is_pinned() {
    let catalog = Catalog::builtin();
    let source =
        std::fs::read_to_string("corpus/conditions/roles/azure-ai-account-owner.cond").unwrap();
    let request = |json: &str| Request::from_json(json, catalog).unwrap();
    let requests = [
        (
            "assign Azure AI User".to_owned(),
            request(
                r#"{"action": "Microsoft.Authorization/roleAssignments/write",
                    "request": {"Microsoft.Authorization/roleAssignments:RoleDefinitionId": "53ca6127-db72-4b80-b1b0-d745d6d5456d"}}"#,
            ),
        ),
        (
            "assign Owner".to_owned(),
            request(
                r#"{"action": "Microsoft.Authorization/roleAssignments/write",
                    "request": {"Microsoft.Authorization/roleAssignments:RoleDefinitionId": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"}}"#,
            ),
        ),
        (
            "create an AI account".to_owned(),
            request(r#"{"action": "Microsoft.CognitiveServices/accounts/write"}"#),
        ),
    ];
    let checker = Checker::new(catalog);
    let checked = Condition::parse(source).check(&checker).unwrap();
    insta::assert_snapshot!(checked.snapshot(&requests).unwrap());
}
