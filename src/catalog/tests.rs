use super::*;

fn builtin() -> &'static Catalog {
    Catalog::builtin()
}

fn attribute(text: &str) -> &'static AttributeInfo {
    builtin()
        .attribute(&AttributeName::parse(text).unwrap())
        .unwrap_or_else(|| panic!("{text} is not in the catalogue"))
        .attribute
}

#[test]
fn the_builtin_catalogue_covers_section_nine() {
    let catalog = builtin();
    // `secrets/rotate/action` left the Key Vault page on 2026-07-28: not a data action.
    assert_eq!(catalog.actions().len(), 38);
    assert!(
        catalog
            .action("Microsoft.KeyVault/vaults/secrets/rotate/action")
            .is_none()
    );
    assert_eq!(catalog.suboperations().len(), 4);
    // 38 actions, plus read × 2, write × 2 and add/action × 1 suboperations.
    assert_eq!(catalog.operations().len(), 43);
    for text in [
        "Microsoft.Authorization/roleAssignments:RoleDefinitionId",
        "Microsoft.Authorization/roleAssignments:PrincipalId",
        "Microsoft.Authorization/roleAssignments:PrincipalType",
        "Microsoft.Storage/storageAccounts:name",
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Any<$key_case_sensitive$>",
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags&$keys$&",
        "Microsoft.Storage/storageAccounts/queueServices/queues:name",
        "Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Project",
        "Microsoft.KeyVault/vaults/secrets:name",
        "Microsoft.ContainerRegistry/registries/repositories:name",
        "Microsoft.OperationalInsights/workspaces/tables/record:Severity<$key_case_sensitive$>",
        "UtcNow",
        "subOperation",
        "isPrivateLink",
        "Microsoft.Network/privateEndpoints",
        // Preview (decision 30).
        "Microsoft.Storage/storageAccounts/blobServices/containers/metadata:stage",
    ] {
        attribute(text);
    }
    let metadata =
        attribute("Microsoft.Storage/storageAccounts/blobServices/containers/metadata:Stage");
    assert_eq!(metadata.entry.status, Status::Preview);
}

#[test]
fn lookups_ignore_ascii_case() {
    let a = attribute("microsoft.authorization/roleassignments:roledefinitionid");
    assert_eq!(
        a.entry.name,
        "Microsoft.Authorization/roleAssignments:RoleDefinitionId"
    );
}

#[test]
fn delegation_attributes_come_from_request_on_write_and_resource_on_delete() {
    let catalog = builtin();
    let role_id = attribute("Microsoft.Authorization/roleAssignments:RoleDefinitionId");
    let write = catalog.operations_of(&ActionPattern::new(
        "Microsoft.Authorization/roleAssignments/write",
    ));
    let delete = catalog.operations_of(&ActionPattern::new(
        "Microsoft.Authorization/roleAssignments/delete",
    ));
    let request = &role_id.source(AttributeSource::Request).unwrap().operations;
    let resource = &role_id
        .source(AttributeSource::Resource)
        .unwrap()
        .operations;
    assert_eq!(request, &write);
    assert_eq!(resource, &delete);
}

#[test]
fn blob_path_is_not_available_for_list_blobs() {
    let catalog = builtin();
    let path = attribute("Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path");
    let available = &path.source(AttributeSource::Resource).unwrap().operations;
    let list = catalog.operations_with_suboperation("blob.list").unwrap();
    assert_eq!(list.iter().count(), 1);
    assert!(available.intersection(&list).is_empty());
    let read = catalog.operations_of(&ActionPattern::new(
        "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
    ));
    assert_eq!(read.difference(available), list);
}

#[test]
fn an_extension_adds_and_replaces_entries() {
    let extension = Catalog::parse_file(
        r#"{"attributes": [
            {"name": "Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Level",
             "type": "Integer",
             "sources": {"Principal": ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*"]}}
        ]}"#,
    )
    .unwrap();
    let catalog = Catalog::from_files(&[extension]).unwrap();
    let level = catalog
        .attribute(
            &AttributeName::parse(
                "Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Level",
            )
            .unwrap(),
        )
        .unwrap();
    assert!(!level.via_family);
    assert_eq!(level.attribute.entry.value_type, Some(ValueType::Integer));
    let other = catalog
        .attribute(
            &AttributeName::parse("Microsoft.Directory/CustomSecurityAttributes/Id:Other_Thing")
                .unwrap(),
        )
        .unwrap();
    assert!(other.via_family);
}

#[test]
fn bad_extensions_are_reported_not_loaded() {
    let cases = [
        (r#"{"version": 2}"#, "version 2"),
        (
            r#"{"attributes": [{"name": "X", "sources": {"Elsewhere": ["*"]}}]}"#,
            "unknown source `Elsewhere`",
        ),
        (
            r#"{"attributes": [{"name": "X", "sources": {"Request": ["*"]}, "operators": ["StringEqualz"]}]}"#,
            "unknown operator",
        ),
        (
            r#"{"attributes": [{"name": "X", "sources": {"Request": [{"action": "*", "suboperations": ["Nope"]}]}}]}"#,
            "unknown suboperation `Nope`",
        ),
        (
            r#"{"attributes": [{"name": "X", "type": "Text", "sources": {}}]}"#,
            "unknown variant",
        ),
        (
            r#"{"attributes": [{"name": "X", "sources": {"Request": ["*"]}, "alwaysSupplied": ["Resource"]}]}"#,
            "`alwaysSupplied` names `Resource`, which is not one of its sources",
        ),
        (r#"{"attribute": []}"#, "unknown field"),
    ];
    for (text, expected) in cases {
        let error = Catalog::parse_file(text)
            .and_then(|file| Catalog::from_files(&[file]))
            .unwrap_err();
        assert!(error.to_string().contains(expected), "{text}: {error}");
    }
}
