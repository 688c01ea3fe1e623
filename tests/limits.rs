#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

//! Every limit of the input, each with the diagnostic or error a user sees: long and deep
//! conditions, large sets, huge files, bytes that are not text, NUL bytes, deep and huge JSON,
//! duplicate keys, numbers, GUIDs and dates out of range. Nothing may panic, overflow the stack
//! or grow memory without bound, and no decision on bad input may be an allow.

#[path = "support/binary.rs"]
mod binary;

use azabac::catalog::Catalog;
use azabac::diagnostic::Code;
use azabac::eval::{ErrorKind, Program, Request};
use azabac::rbac::{AccessRequest, RoleAssignment, World};
use azabac::syntax;
use binary::azabac;
use serde_json::json;

/// The instant every decision here is made at: 2026-12-01T00:00:00Z, in 100 ns ticks.
const NOW: azabac::eval::Ticks = azabac::eval::Ticks(17_960_832_000_000_000);

fn catalog() -> &'static Catalog {
    Catalog::builtin()
}

fn codes(source: &str) -> Vec<Code> {
    syntax::parse(source)
        .diagnostics
        .iter()
        .map(|d| d.code)
        .collect()
}

fn temp_file(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("azabac-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

const WRITE: &str = "Microsoft.Authorization/roleAssignments/write";
const ROLE_ID: &str = "Microsoft.Authorization/roleAssignments:RoleDefinitionId";

#[test]
fn a_condition_over_8_kb_is_az0025() {
    let long = format!(
        "@Environment[isPrivateLink] BoolEquals true{}",
        " ".repeat(8200)
    );
    assert!(codes(&long).contains(&Code::ConditionTooLong));
    let fits = format!(
        "@Environment[isPrivateLink] BoolEquals true{}",
        " ".repeat(8000)
    );
    assert!(!codes(&fits).contains(&Code::ConditionTooLong));
}

#[test]
fn nesting_beyond_256_is_az0026() {
    let deep = format!("{}true{}", "(".repeat(257), ")".repeat(257));
    assert!(codes(&deep).contains(&Code::NestingTooDeep));
    let negations = format!("{}true", "NOT ".repeat(300));
    assert!(codes(&negations).contains(&Code::NestingTooDeep));
    // 100,000 parentheses: an error, no stack overflow (tests/properties.rs goes further).
    let huge = format!("{}true{}", "(".repeat(100_000), ")".repeat(100_000));
    assert!(codes(&huge).contains(&Code::ConditionTooLong));
}

#[test]
fn a_set_over_1024_values_is_az0027() {
    let set = |n: usize| {
        let values: Vec<String> = (0..n).map(|i| i.to_string()).collect();
        format!(
            "@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Level] ForAnyOfAnyValues:NumericEquals {{{}}}",
            values.join(",")
        )
    };
    assert!(codes(&set(1025)).contains(&Code::SetTooLarge));
    assert!(!codes(&set(1024)).contains(&Code::SetTooLarge));
}

#[test]
fn a_100_mb_file_is_refused_without_being_read_whole() {
    let path = temp_file("huge.cond");
    let file = std::fs::File::create(&path).unwrap();
    // Sparse: 100 MB of NUL bytes without writing them.
    file.set_len(100_000_000).unwrap();
    let output = azabac(&["check", "--format", "json", "-f", path.to_str().unwrap()]);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("AZ0025"), "{stdout}");
    assert!(stdout.contains("100000000 bytes"), "{stdout}");
}

#[test]
fn bytes_that_are_not_utf8_are_az0028() {
    let path = temp_file("latin1.cond");
    std::fs::write(&path, b"@Resource[x] StringEquals 'caf\xe9'").unwrap();
    let output = azabac(&["check", "--format", "json", "-f", path.to_str().unwrap()]);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stdout).contains("AZ0028"));
}

#[test]
fn nul_bytes_are_errors_in_and_out_of_strings() {
    assert!(codes("true\0").contains(&Code::UnexpectedCharacter));
    assert!(codes("@Environment[x] StringEquals 'a\0b'").contains(&Code::InvalidStringCharacter));
}

#[test]
fn deeply_nested_and_huge_json_requests_are_errors_or_bounded_work() {
    // serde_json stops at 128 levels: an error, no stack overflow.
    let deep = format!(
        r#"{{"action": "{WRITE}", "request": {{"{ROLE_ID}": {}0{}}}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert!(Request::from_json(&deep, catalog()).is_err());
    // A million values under one attribute: read, then the evaluation budget ends the work.
    let values: Vec<String> = (0..1_000_000).map(|i| format!("\"v{i}\"")).collect();
    let huge = format!(
        r#"{{"action": "a", "principal": {{"Microsoft.Directory/CustomSecurityAttributes/Id:Teams": [{}]}}}}"#,
        values.join(",")
    );
    let request = Request::from_json(&huge, catalog()).unwrap();
    let set: Vec<String> = (0..1024).map(|i| format!("'w{i}'")).collect();
    let teams = "@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:Teams]";
    // Membership in a set costs one lookup per value: a million values are simply read.
    let member = Program::from_source(
        &format!(
            "{teams} ForAnyOfAnyValues:StringEquals {{{}}}",
            set.join(",")
        ),
        catalog(),
    )
    .unwrap();
    let outcome = member.run(&request);
    assert_eq!((outcome.result, outcome.error), (false, None));
    // A test over every pair (a million values × 800 patterns) ends at the budget, false.
    let patterns: Vec<String> = (0..800).map(|i| format!("'*w{i}*'")).collect();
    let pairs = Program::from_source(
        &format!(
            "{teams} ForAnyOfAnyValues:StringLike {{{}}}",
            patterns.join(",")
        ),
        catalog(),
    )
    .unwrap();
    let outcome = pairs.run(&request);
    assert!(!outcome.result);
    assert_eq!(
        outcome.error.map(|e| e.kind),
        Some(ErrorKind::BudgetExhausted)
    );
}

#[test]
fn duplicate_json_keys_are_errors() {
    let request = format!(r#"{{"action": "{WRITE}", "action": "Microsoft.Foo/read"}}"#);
    let error = Request::from_json(&request, catalog()).unwrap_err();
    assert!(
        error.to_string().contains("duplicate key `action`"),
        "{error}"
    );
    let nested = format!(
        r#"{{"action": "{WRITE}", "request": {{"{ROLE_ID}": "53ca6127-db72-4b80-b1b0-d745d6d5456d", "{ROLE_ID}": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"}}}}"#
    );
    assert!(Request::from_json(&nested, catalog()).is_err());
    // The CLI's world files and request streams too: exit 1, and a deny.
    let path = temp_file("dup-assignments.json");
    std::fs::write(
        &path,
        r#"[{"principalId": "a0000000-0000-0000-0000-000000000001", "scope": "/", "scope": "/subscriptions/00000000-0000-0000-0000-0000000000aa",
             "roleDefinitionId": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"}]"#,
    )
    .unwrap();
    let request_path = temp_file("dup-request.json");
    std::fs::write(
        &request_path,
        r#"{"principalId": "a0000000-0000-0000-0000-000000000001", "scope": "/", "action": "x/read"}"#,
    )
    .unwrap();
    let output = azabac(&[
        "decide",
        "--request",
        request_path.to_str().unwrap(),
        "--assignments",
        path.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("duplicate key `scope`"), "{stdout}");
    assert!(stdout.contains(r#""decision":"deny""#), "{stdout}");
}

#[test]
fn numbers_out_of_range_are_errors() {
    assert!(codes("@Principal[Microsoft.Directory/CustomSecurityAttributes/Id:n] NumericEquals 9223372036854775808").contains(&Code::InvalidNumber));
    for number in ["9223372036854775808", "1e30", "1.5", "-9223372036854775809"] {
        let request = format!(
            r#"{{"action": "a", "principal": {{"Microsoft.Directory/CustomSecurityAttributes/Id:n": {number}}}}}"#
        );
        let error = Request::from_json(&request, catalog())
            .map(|_| ())
            .unwrap_err();
        assert!(error.to_string().contains("principal"), "{number}: {error}");
    }
}

#[test]
fn guids_of_the_wrong_length_are_errors() {
    assert!(
        codes(&format!(
            "@Request[{ROLE_ID}] ForAnyOfAnyValues:GuidEquals {{53ca6127-db72-4b80-b1b0-d745d6d5456}}"
        ))
        .contains(&Code::MalformedGuid)
    );
    let request =
        format!(r#"{{"action": "{WRITE}", "request": {{"{ROLE_ID}": "53ca6127-db72"}}}}"#);
    assert!(Request::from_json(&request, catalog()).is_err());
    let assignment = json!([{"principalId": "a0000000-0000-0000-0000-00000000001", "scope": "/",
                             "roleDefinitionId": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"}]);
    let error = RoleAssignment::read_all(&assignment).unwrap_err();
    assert_eq!(error.path, "$[0].principalId");
    let access = json!({"principalId": "a0000000", "scope": "/", "action": WRITE});
    assert!(AccessRequest::from_value(&access, catalog()).is_err());
}

#[test]
fn dates_out_of_range_are_errors() {
    let condition = |date: &str| {
        Program::from_source(
            &format!("@Environment[UtcNow] DateTimeGreaterThan '{date}'"),
            catalog(),
        )
    };
    assert!(condition("2023-05-01T13:00:00Z").is_ok());
    for date in [
        "10000-01-01T00:00:00Z",
        "2023-13-01T00:00:00Z",
        "2023-02-30T00:00:00Z",
        "-0001-01-01T00:00:00Z",
    ] {
        let diagnostics = condition(date).err().unwrap_or_default();
        assert!(
            diagnostics.iter().any(|d| d.code == Code::InvalidDateTime),
            "{date}: {diagnostics:?}"
        );
        let request = format!(r#"{{"action": "a", "environment": {{"UtcNow": "{date}"}}}}"#);
        assert!(Request::from_json(&request, catalog()).is_err(), "{date}");
    }
}

#[test]
fn a_world_that_does_not_read_decides_nothing() {
    // Bad input is an error before any decision: there is no world to allow from.
    let bad = json!([{"principalId": "a0000000-0000-0000-0000-000000000001", "scope": "subscriptions",
                      "roleDefinitionId": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"}]);
    assert!(World::builder().assignments(&bad).is_err());
}

#[test]
fn deeply_nested_and_huge_world_files_are_errors_or_bounded() {
    // 100,000 levels of arrays as an assignments file: a clear error from the CLI, no crash.
    let deep = temp_file("deep-assignments.json");
    std::fs::write(
        &deep,
        format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
    )
    .unwrap();
    let request = temp_file("world-request.json");
    std::fs::write(
        &request,
        r#"{"principalId": "a0000000-0000-0000-0000-000000000001", "scope": "/", "action": "x/read"}"#,
    )
    .unwrap();
    let output = azabac(&[
        "decide",
        "--request",
        request.to_str().unwrap(),
        "--assignments",
        deep.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    // The reader skips what it does not read without recursing, so the depth is no danger:
    // the first item is not an assignment.
    assert!(
        stdout.contains("recursion limit exceeded")
            || stdout.contains(r#""message":"expected an object, found an array","path":"$[0]""#),
        "{stdout}"
    );
    assert!(stdout.contains(r#""decision":"deny""#), "{stdout}");
    // 20,000 assignments in one file: read and indexed, and decided on.
    let many: Vec<serde_json::Value> = (0..20_000)
        .map(|i| {
            json!({"principalId": format!("a0000000-0000-0000-0000-{i:012}"), "scope": "/",
                   "roleDefinitionId": "acdd72a7-3385-48ef-bd42-f606fba81ae7"})
        })
        .collect();
    let world = World::builder()
        .assignments(&serde_json::Value::Array(many))
        .unwrap()
        .build(catalog())
        .unwrap();
    let access = AccessRequest::from_value(
        &json!({"principalId": "a0000000-0000-0000-0000-000000000001", "scope": "/subscriptions/00000000-0000-0000-0000-0000000000aa", "action": "Microsoft.Compute/virtualMachines/read"}),
        catalog(),
    )
    .unwrap();
    assert!(world.decide(&access, NOW, false).allowed());
}
