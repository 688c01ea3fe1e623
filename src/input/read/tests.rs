//! The entry point over files in memory: each host's files, errors in their places.

use super::*;

fn files(entries: &[(&str, &str)]) -> BTreeMap<PathBuf, String> {
    entries
        .iter()
        .map(|(path, text)| (PathBuf::from(path), (*text).to_owned()))
        .collect()
}

fn paths(names: &[&str]) -> Vec<PathBuf> {
    names.iter().map(PathBuf::from).collect()
}

const ASSIGNMENT: &str = "resource \"azurerm_role_assignment\" \"a\" {\n  principal_type = \"User\"\n  condition = local.c\n}\n";

#[test]
fn each_file_goes_to_the_host_that_claims_it_and_a_bad_one_loses_nothing_else() {
    let files = files(&[
        ("a.cond", "true"),
        ("b.json", "{"),
        ("m/main.tf", ASSIGNMENT),
        (
            "m/locals.tf",
            "locals {\n  c = \"@Request[x] StringEquals 'y'\"\n}\n",
        ),
        ("m/broken.tf", "resource {"),
        ("c.bicep", "var x = '\n"),
    ]);
    let read = read(
        &paths(&["a.cond", "b.json", "m/main.tf", "c.bicep", "gone.json"]),
        &files,
    );
    let summary: Vec<String> = read
        .items
        .iter()
        .map(|item| match item {
            Item::Condition(file) => format!("condition {}", file.file.display()),
            Item::Found(located) => format!(
                "{} {} {:?}",
                located.file.display(),
                located.found.place.resource,
                located.found.embedded.text
            ),
            Item::Unread(error) => format!(
                "unread {}:{}:{} {}",
                error.file.display(),
                error.line,
                error.column,
                if error.is_unopened() {
                    "unopened"
                } else {
                    "refused"
                }
            ),
        })
        .collect();
    assert_eq!(
        summary,
        [
            "condition a.cond",
            "unread b.json:1:2 refused",
            "unread c.bicep:1:10 refused",
            "unread gone.json:1:1 unopened",
            "unread m/broken.tf:1:10 refused",
            // The module's other files still give the local.
            "m/main.tf azurerm_role_assignment.a \"@Request[x] StringEquals 'y'\"",
        ]
    );
    assert!(read.documents.is_empty());
}

#[test]
fn templates_are_read_through_the_same_files_and_reported_in_them() {
    let files = files(&[
        (
            "m/main.tf",
            "resource \"azurerm_role_assignment\" \"a\" {\n  principal_type = \"User\"\n  condition = file(\"${path.module}/c.cond\")\n}\n",
        ),
        ("m/c.cond", "@Request[x] StringEquals 'y'\n"),
    ]);
    let read = read(&paths(&["m/main.tf"]), &files);
    let [Item::Found(located)] = read.items.as_slice() else {
        panic!("{:?}", read.items)
    };
    assert_eq!(located.file, PathBuf::from("m/c.cond"));
    assert_eq!(located.declared_in, PathBuf::from("m/main.tf"));
    assert!(located.found.place.unresolved.is_empty());
}

#[test]
fn json_comments_are_blanks_and_an_empty_json_file_holds_nothing() {
    let files = files(&[
        ("empty.json", "  \n"),
        (
            "roles.json",
            "[\n  // a reader /* kept */\n  {\"roleDefinitionId\": \"x\", /* why */ \"condition\": \"@Request[a] StringEquals 'b'\"}\n]\n",
        ),
    ]);
    let read = read(&paths(&["empty.json", "roles.json"]), &files);
    let [Item::Found(located)] = read.items.as_slice() else {
        panic!("{:?}", read.items)
    };
    assert_eq!(located.found.place.line, 3);
    assert!(located.document.contains("// a reader"));
    assert!(!read.documents[1].text.contains("why"));
}

#[test]
fn a_host_file_must_be_utf8_and_no_larger_than_the_limit() {
    let mut files: BTreeMap<PathBuf, Vec<u8>> = BTreeMap::new();
    files.insert(PathBuf::from("a.bicep"), b"var x = 'caf\xe9'\n".to_vec());
    let read = read(&paths(&["a.bicep"]), &files);
    let errors: Vec<&FileError> = read.errors().collect();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].problem, Problem::NotUtf8);
    assert_eq!(
        (errors[0].line, errors[0].column, errors[0].offset),
        (1, 13, 12)
    );
}
