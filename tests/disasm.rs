#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]
//! The disassembler's listing of every built-in role condition, snapshot-tested: a change to
//! the compiler shows up here as a reviewable diff.

use std::fs;
use std::path::Path;

use azabac::catalog::Catalog;
use azabac::eval::Program;

#[test]
fn built_in_role_conditions_disassemble() {
    let catalog = Catalog::builtin();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/conditions/roles");
    let mut paths: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    assert_eq!(
        paths.len(),
        34,
        "one file per conditional block of a built-in role"
    );
    for path in paths {
        let source = fs::read_to_string(&path).unwrap();
        let program = Program::from_source(&source, catalog)
            .unwrap_or_else(|d| panic!("{}: {d:?}", path.display()));
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(format!("disasm-{name}"), program.disassemble());
    }
}

#[test]
fn case_conditions_disassemble() {
    // One of each instruction shape: membership (GUID, string, folded), an attribute against
    // one constant (like with each matcher shape, ordered, quantified), general comparisons
    // (against a set of patterns, attribute against attribute), glob actions.
    // Compiled without the checker, which (rightly) objects to attributes that these
    // actions do not all carry.
    let source = "(ActionMatches{'Microsoft.Storage/*/blobs/read'} AND NOT SubOperationMatches{'Blob.List'}) OR \
        @Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringLike 'logs/*' OR \
        @Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringLikeIgnoreCase '*.TXT' OR \
        @Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] ForAnyOfAllValues:StringNotEqualsIgnoreCase {'Logs', 'audit'} OR \
        @Environment[UtcNow] DateTimeLessThan '2023-05-01T13:00:00Z' OR \
        @Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Project] ForAllOfAnyValues:StringStartsWith 'Cas' OR \
        @Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Project] ForAnyOfAllValues:StringLike {'B*', '*r'} OR \
        @Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Engineering_Project] StringEquals @Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Project<$key_case_sensitive$>] OR \
        Exists @Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:versionId]";
    let parsed = azabac::syntax::parse(source);
    let program = azabac::eval::compile(parsed.valid_condition().unwrap(), source).unwrap();
    insta::assert_snapshot!("disasm-shapes", program.disassemble());
}
