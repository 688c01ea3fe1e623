#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

//! `explain` on the condition of every built-in role that has one, snapshot-tested beside
//! the role's own description, so that a reviewer can check the one against the other.

use azabac::Condition;
use azabac::catalog::Catalog;
use azabac::catalog::builtin_roles;
use azabac::check::Checker;

#[test]
fn every_built_in_role_condition_explains_beside_its_description() {
    let catalog = Catalog::builtin();
    let mut count = 0;
    for role in builtin_roles() {
        let mut conditional = 0;
        for (index, permission) in role.permissions.iter().enumerate() {
            let Some(condition) = &permission.condition else {
                continue;
            };
            // A block's condition sees that block's permissions alone.
            let mut block = role.clone();
            block.permissions = vec![permission.clone()];
            let checker = Checker::new(catalog).with_role(&block);
            let checked = Condition::parse(condition.as_str())
                .check(&checker)
                .unwrap_or_else(|c| panic!("{}: {:?}", role.role_name, c.diagnostics()));
            let explanation = checked.explain();
            let slug: String = role
                .role_name
                .to_ascii_lowercase()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            let text = format!(
                "role: {}\ndescription: {}\nblock: {index}\n\n{explanation}",
                role.role_name,
                role.description.as_deref().unwrap_or("")
            );
            // A role's second conditional block is `…-2`, as in `corpus/conditions/roles/`.
            conditional += 1;
            let name = match conditional {
                1 => format!("explain-{slug}"),
                n => format!("explain-{slug}-{n}"),
            };
            insta::assert_snapshot!(name, text);
            count += 1;
        }
    }
    assert_eq!(count, 34, "every conditional block of a built-in role");
}

/// A caveat the catalogue carries for an action (Key Vault's list call, which names no secret)
/// is said under the block that guards it.
#[test]
fn explain_says_what_the_catalogue_warns_about_an_action() {
    let checker = Checker::new(Catalog::builtin());
    let text = "(!(ActionMatches{'Microsoft.KeyVault/vaults/secrets/readMetadata/action'})) OR \
        (@Resource[Microsoft.KeyVault/vaults/secrets:name] StringStartsWith 'app-')";
    let explanation = Condition::parse(text).check(&checker).unwrap().explain();
    assert!(
        explanation.contains(
            "  Note: Listing secrets is a readMetadata/action request that names no secret"
        ),
        "{explanation}"
    );
    let blob = "(!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR \
        (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs')";
    let explanation = Condition::parse(blob).check(&checker).unwrap().explain();
    assert!(!explanation.contains("Note:"), "{explanation}");
}

/// Issue 19 point 6: `explain` says when a guarded action is unknown (a typo leaves the action
/// meant unrestricted) and when a block is true for one action only, denying the role's others.
#[test]
fn explain_says_when_a_guard_names_no_known_action_or_a_block_denies_the_rest() {
    let checker = Checker::new(Catalog::builtin());
    let typo = "(!(ActionMatches{'Microsoft.Authorization/roleAssignment/write'})) OR \
        (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {ba92f5b4-2d11-453d-a403-e96b0029c9fe})";
    let explanation = Condition::parse(typo).check(&checker).unwrap().explain();
    assert!(
        explanation
            .contains("`Microsoft.Authorization/roleAssignment/write` is no action azabac knows"),
        "{explanation}"
    );
    let only = "ActionMatches{'Microsoft.Authorization/roleAssignments/write'} AND \
        @Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {ba92f5b4-2d11-453d-a403-e96b0029c9fe}";
    let explanation = Condition::parse(only).check(&checker).unwrap().explain();
    assert!(
        explanation.contains("true only for Microsoft.Authorization/roleAssignments/write: it denies every other action"),
        "{explanation}"
    );
}

/// Read against a role that can write role assignments, a condition that gates only the
/// delete says the write is left open (AZ0318's reading), in text and JSON; gating the write
/// too, or reading it without a role, says nothing of it.
#[test]
fn explain_says_when_a_delegation_role_can_still_assign_any_role() {
    let catalog = Catalog::builtin();
    let admin =
        azabac::catalog::find_builtin_role("Role Based Access Control Administrator").unwrap();
    let delete = "(!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR \
        (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {ba92f5b4-2d11-453d-a403-e96b0029c9fe})";
    let write = delete
        .replace("roleAssignments/delete", "roleAssignments/write")
        .replace("@Resource", "@Request");
    let note = "that includes `Microsoft.Authorization/roleAssignments/write`, which Role Based \
        Access Control Administrator grants";
    let read = |condition: &str, with_role: bool| {
        let checker = if with_role {
            Checker::new(catalog).with_role(admin)
        } else {
            Checker::new(catalog)
        };
        let checked = Condition::parse(condition).check(&checker).unwrap();
        let view = azabac::report::json::explanation(&checked.explanation(), condition);
        (checked.explain(), view["unrestricted"].clone())
    };
    let (text, unrestricted) = read(delete, true);
    assert!(text.contains(note), "{text}");
    assert_eq!(
        unrestricted,
        serde_json::json!(["Microsoft.Authorization/roleAssignments/write"])
    );
    for (condition, with_role) in [
        (delete, false),
        (&format!("({write}) AND ({delete})"), true),
    ] {
        let (text, unrestricted) = read(condition, with_role);
        assert!(!text.contains("includes `Microsoft"), "{text}");
        assert_eq!(unrestricted, serde_json::json!([]));
    }
}

/// Read against a role, an unguarded block that reads an attribute some of the role's
/// operations lack says that it denies them (AZ0313's reading), naming the operations.
#[test]
fn explain_says_which_of_the_roles_operations_an_unguarded_block_denies() {
    let catalog = Catalog::builtin();
    let reader = azabac::catalog::find_builtin_role("Storage Blob Data Reader").unwrap();
    let read = |condition: &str| {
        let checker = Checker::new(catalog).with_role(reader);
        Condition::parse(condition)
            .check(&checker)
            .unwrap()
            .explain()
    };
    let path = read(
        "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringLike 'logs/*'",
    );
    assert!(
        path.contains("has no value for `Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read` with suboperation `Blob.List`, which Storage Blob Data Reader grants: the block is false there and denies it."),
        "{path}"
    );
    // Every operation of the role has a container name: nothing to say.
    let name = read(
        "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'",
    );
    assert!(!name.contains("Note:"), "{name}");
    // Either side of an OR may hold: the block is not read as denying.
    let either = read(
        "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringLike 'logs/*' OR @Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'",
    );
    assert!(!either.contains("Note:"), "{either}");
}

/// The JSON view reads the same condition block by block: its `text` is `explain`'s, each
/// block's `text` is its source, each guarded action is named in the reading, and `facts` is
/// the empty list kept for proofs.
#[test]
fn the_json_view_agrees_with_the_reading_for_every_built_in_condition() {
    let catalog = Catalog::builtin();
    for role in builtin_roles() {
        for permission in &role.permissions {
            let Some(condition) = &permission.condition else {
                continue;
            };
            let checker = Checker::new(catalog).with_role(role);
            let checked = Condition::parse(condition.as_str())
                .check(&checker)
                .unwrap();
            let view = azabac::report::json::explanation(&checked.explanation(), condition);
            assert_eq!(view["text"], checked.explain(), "{}", role.role_name);
            assert_eq!(view["role"]["name"], role.role_name.as_str());
            let blocks = view["blocks"].as_array().unwrap();
            assert!(!blocks.is_empty());
            for block in blocks {
                let (start, end) = (
                    block["start"].as_u64().unwrap() as usize,
                    block["end"].as_u64().unwrap() as usize,
                );
                assert_eq!(block["text"], &condition[start..end]);
                assert_eq!(block["facts"], serde_json::json!([]));
                for action in block["actions"].as_array().unwrap() {
                    assert!(checked.explain().contains(action.as_str().unwrap()));
                }
                // Read against the role, a guarded block says whether the role grants it, as
                // the reading's "(the role does not grant it)" does.
                if let Some(guard) = block["guard"].as_str() {
                    let not_granted = format!("For {guard} (the role does not grant it):");
                    let grants = block["roleGrants"].as_bool().unwrap();
                    assert_eq!(!grants, checked.explain().contains(&not_granted));
                }
            }
        }
    }
}
