use super::*;
use crate::catalog::find_builtin_role;
use crate::diagnostic::{Severity, has_errors};

const AI_ACCOUNT_OWNER: &str = "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals{53ca6127-db72-4b80-b1b0-d745d6d5456d})) AND ((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals{53ca6127-db72-4b80-b1b0-d745d6d5456d}))";

fn codes(diagnostics: &[Diagnostic]) -> Vec<Code> {
    diagnostics.iter().map(|d| d.code).collect()
}

fn check(source: &str) -> Vec<Diagnostic> {
    Checker::new(Catalog::builtin()).check_source(source)
}

#[test]
fn the_azure_ai_account_owner_condition_is_clean() {
    assert_eq!(check(AI_ACCOUNT_OWNER), []);
}

#[test]
fn request_in_the_delete_block_names_the_action() {
    let broken = AI_ACCOUNT_OWNER.replacen("@Resource[", "@Request[", 1);
    let diagnostics = check(&broken);
    assert_eq!(codes(&diagnostics), [Code::AttributeNotAvailable]);
    let error = &diagnostics[0];
    assert!(
        error
            .message
            .contains("`Microsoft.Authorization/roleAssignments/delete`"),
        "{}",
        error.message
    );
    assert_eq!(
        error.span.slice(&broken),
        "@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId]"
    );
    assert!(
        error.span.start() > broken.find("delete").unwrap(),
        "points at the delete block"
    );
    assert!(error.help.as_deref().unwrap().contains("@Resource["));
}

#[test]
fn a_suboperation_narrows_the_targets() {
    // Listing has a prefix and no path; reading has a path and no prefix.
    let read = "!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'} AND NOT SubOperationMatches{'Blob.List'}) OR @Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringLike 'logs/*'";
    assert_eq!(check(read), []);
    let list = read.replace("AND NOT", "AND");
    assert_eq!(codes(&check(&list)), [Code::AttributeNotAvailable]);
    let bare = read.replace(" AND NOT SubOperationMatches{'Blob.List'}", "");
    assert_eq!(
        codes(&check(&bare)),
        [Code::Deprecated],
        "the pre-2022 read target"
    );
}

#[test]
fn custom_security_attributes_are_typed_by_an_extension() {
    let source = "@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Level] StringEquals 'high'";
    let plain = check(source);
    assert!(!has_errors(&plain));
    assert!(codes(&plain).contains(&Code::UndeclaredAttribute));

    let extension = Catalog::parse_file(
        r#"{"attributes": [{"name": "Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Level",
            "type": "Integer",
            "sources": {"Principal": ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*"]}}]}"#,
    )
    .unwrap();
    let catalog = Catalog::from_files(&[extension]).unwrap();
    let checker = Checker::new(&catalog);
    let typed = checker.check_source(source);
    assert!(
        codes(&typed).contains(&Code::OperatorTypeMismatch),
        "{typed:#?}"
    );
    assert!(!codes(&typed).contains(&Code::UndeclaredAttribute));
    let numeric = checker.check_source(
        "@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Level] NumericGreaterThan 3",
    );
    assert!(!has_errors(&numeric), "{numeric:#?}");
}

#[test]
fn a_role_that_lacks_the_target_or_grants_a_sibling_is_reported() {
    let catalog = Catalog::builtin();
    let reader = find_builtin_role("Storage Blob Data Reader").unwrap();
    let write_gate = "!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write'}) OR @Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'";
    let diagnostics = Checker::new(catalog)
        .with_role(reader)
        .check_source(write_gate);
    assert_eq!(codes(&diagnostics), [Code::RoleLacksAction]);

    let contributor = find_builtin_role("Storage Blob Data Contributor").unwrap();
    let diagnostics = Checker::new(catalog)
        .with_role(contributor)
        .check_source(write_gate);
    assert_eq!(codes(&diagnostics), [Code::BypassingAction]);
    assert!(diagnostics[0].message.contains("blobs/add/action"));
    assert!(diagnostics.iter().all(|d| d.severity == Severity::Warning));
}

#[test]
fn a_misspelt_target_is_one_finding_even_with_a_role() {
    let catalog = Catalog::builtin();
    let admin = find_builtin_role("Role Based Access Control Administrator").unwrap();
    let typo = AI_ACCOUNT_OWNER.replace("roleAssignments/write", "roleAssignments/wrte");
    let diagnostics = Checker::new(catalog).with_role(admin).check_source(&typo);
    assert_eq!(codes(&diagnostics), [Code::UnknownAction]);
    assert!(
        diagnostics[0]
            .help
            .as_deref()
            .unwrap()
            .contains("roleAssignments/write")
    );
}

#[test]
fn a_delegation_role_whose_write_no_block_targets_is_reported() {
    let catalog = Catalog::builtin();
    let admin = find_builtin_role("Role Based Access Control Administrator").unwrap();
    let (_, delete_only) = AI_ACCOUNT_OWNER.split_once(" AND ").unwrap();
    let diagnostics = Checker::new(catalog)
        .with_role(admin)
        .check_source(delete_only);
    assert_eq!(codes(&diagnostics), [Code::UnrestrictedDelegation]);
    assert_eq!(
        diagnostics[0].code.category(),
        Some(crate::diagnostic::Category::WidensAccess)
    );

    // Gating the write alone is Microsoft's "constrain adding" example: nothing to report.
    let (write_only, _) = AI_ACCOUNT_OWNER.split_once(" AND ").unwrap();
    let diagnostics = Checker::new(catalog)
        .with_role(admin)
        .check_source(write_only);
    assert_eq!(codes(&diagnostics), []);

    // A role that cannot write role assignments has nothing to hand out.
    let reader = find_builtin_role("Storage Blob Data Reader").unwrap();
    let read_gate = "!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'}) OR @Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'";
    let diagnostics = Checker::new(catalog)
        .with_role(reader)
        .check_source(read_gate);
    assert_eq!(codes(&diagnostics), []);

    // An ungated block applies to the write too (AZ0303 says so instead).
    let ungated = format!(
        "{delete_only} AND @Request[Microsoft.Authorization/roleAssignments:PrincipalType] StringEqualsIgnoreCase 'User'"
    );
    let diagnostics = Checker::new(catalog)
        .with_role(admin)
        .check_source(&ungated);
    assert!(!codes(&diagnostics).contains(&Code::UnrestrictedDelegation));
}

/// `source` with each `_` or nil GUID a placeholder for a value only a deployment knows.
fn check_around(source: &str) -> Option<Vec<Diagnostic>> {
    const NIL: &str = "00000000-0000-0000-0000-000000000000";
    let mut unknown = Vec::new();
    for (at, _) in source.match_indices(NIL) {
        unknown.push(Span::new(at, at + NIL.len()));
    }
    for (at, _) in source.match_indices("'_'") {
        unknown.push(Span::new(at + 1, at + 2));
    }
    Checker::new(Catalog::builtin()).check_source_with_unknowns(source, &unknown)
}

#[test]
fn values_left_open_skip_only_what_depends_on_them() {
    // A date, a string where a GUID goes, and duplicates in a set are left open.
    let clean = check_around(
        "@Environment[UtcNow] DateTimeLessThan '_' AND \
         @Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] GuidEquals '_' AND \
         @Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] \
         ForAllOfAllValues:StringEquals {'_', 'logs'}",
    )
    .unwrap();
    assert!(
        !codes(&clean).iter().any(|c| matches!(
            c,
            Code::InvalidDateTime | Code::LiteralTypeMismatch | Code::ConstantComparison
        )),
        "{clean:#?}"
    );
    // The rest is still checked: an operator the attribute's type does not take.
    let found =
        check_around("@Resource[Microsoft.Storage/storageAccounts:isHnsEnabled] StringEquals '_'")
            .unwrap();
    assert!(
        codes(&found).contains(&Code::OperatorTypeMismatch),
        "{found:#?}"
    );
    // And the delegation slips around a GUID from a data source.
    let found = check_around(
        "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/wirte'})) OR \
         (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] \
         ForAnyOfAnyValues:GuidEquals {00000000-0000-0000-0000-000000000000}))",
    )
    .unwrap();
    assert!(codes(&found).contains(&Code::UnknownAction), "{found:#?}");
}

#[test]
fn values_elsewhere_leave_the_condition_unchecked() {
    // A guard's action, a value on the left, a whole clause, an attribute's key.
    for source in [
        "!(ActionMatches{'_'}) OR @Resource[Microsoft.Storage/storageAccounts:name] StringEquals 'a'",
        "'_' StringEquals 'a'",
        "!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'}) OR \
         (00000000-0000-0000-0000-000000000000)",
        "@Request[subOperation] ForAnyOfAnyValues:StringEqualsIgnoreCase {'_'}",
    ] {
        assert_eq!(check_around(source), None, "{source}");
    }
    let source = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:_] \
                  StringEquals 'a'";
    let at = source.find(":_]").unwrap() + 1;
    let checker = Checker::new(Catalog::builtin());
    assert_eq!(
        checker.check_source_with_unknowns(source, &[Span::new(at, at + 1)]),
        None
    );
    // A syntax error away from every placeholder is reported.
    let found =
        check_around("@Resource[Microsoft.Storage/storageAccounts:name] StringEqual '_'").unwrap();
    assert_eq!(codes(&found), [Code::UnknownOperator]);
}
