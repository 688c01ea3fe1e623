//! The corpus is the spec: every condition under `corpus/conditions/` is checked here.
//!
//! - `docs/`: one file per condition of `corpus/conditions.jsonl` (real conditions from
//!   Microsoft's documentation and public projects), named by its id;
//! - `roles/`: one file per conditional permission block of the built-in role definitions;
//! - `cases/`: our own cases: `construct-*` (valid syntax), `azNNNN-*` (produces code
//!   AZNNNN) and, for checker codes, `ok-azNNNN-*` (the fixed twin, which must not). A name
//!   ending in `@<role-slug>` is checked against that built-in role, as `check --role` does.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly on broken fixtures"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use azabac::catalog::Catalog;
use azabac::catalog::{RoleDefinition, builtin_roles};
use azabac::check::Checker;
use azabac::diagnostic::render::{self, HumanOptions};
use azabac::diagnostic::{Code, Diagnostic, Severity, has_errors};
use azabac::syntax::{self, tree};
use serde_json::Value;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");

fn checker() -> Checker<'static> {
    Checker::new(Catalog::builtin())
}

/// The built-in role a case file names after `@`, as a slug of its name.
fn role_of(path: &Path) -> Option<&'static RoleDefinition> {
    let stem = path.file_stem()?.to_str()?;
    let (_, slug) = stem.split_once('@')?;
    let slugify = |name: &str| {
        name.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect::<String>()
    };
    let role = builtin_roles()
        .iter()
        .find(|r| slugify(&r.role_name) == slug);
    Some(role.unwrap_or_else(|| panic!("no built-in role has the slug `{slug}`")))
}

/// Reads a corpus file and checks it as `azabac check` does.
fn read(path: &Path) -> (String, Vec<Diagnostic>) {
    let decoded = syntax::decode(fs::read(path).unwrap());
    let mut diagnostics: Vec<_> = decoded.diagnostic.into_iter().collect();
    let checker = match role_of(path) {
        Some(role) => checker().with_role(role),
        None => checker(),
    };
    diagnostics.extend(checker.check_source(&decoded.text));
    (decoded.text, diagnostics)
}

fn jsonl() -> Vec<Value> {
    fs::read_to_string(format!("{CORPUS}/conditions.jsonl"))
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

fn files(folder: &str) -> Vec<std::path::PathBuf> {
    let mut paths: Vec<_> = fs::read_dir(format!("{CORPUS}/conditions/{folder}"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    paths.sort();
    paths
}

#[test]
fn docs_folder_mirrors_the_jsonl_exactly() {
    let rows = jsonl();
    assert!(
        rows.len() >= 98,
        "the shared corpus has 94 conditions, and azabac adds four"
    );
    for row in &rows {
        let id = row["id"].as_str().unwrap();
        let accepted = format!("{CORPUS}/conditions/docs/{id}.cond");
        let rejected = format!("{CORPUS}/conditions/docs-rejected/{id}.cond");
        let (path, in_rejected) = match fs::metadata(&accepted) {
            Ok(_) => (accepted, false),
            Err(_) => (rejected, true),
        };
        let text = fs::read_to_string(&path).unwrap();
        assert_eq!(text, row["condition"].as_str().unwrap(), "{id}");
        // docs/ holds what checks without an error; docs-rejected/ the published texts that
        // are not conditions Azure accepts (skeletons, fragments, troubleshooting examples).
        let diagnostics = checker().check_source(&text);
        assert_eq!(
            has_errors(&diagnostics),
            in_rejected,
            "{path}: {diagnostics:#?}"
        );
    }
    assert_eq!(
        files("docs").len() + files("docs-rejected").len(),
        rows.len(),
        "docs/ or docs-rejected/ holds a file that is not in the jsonl"
    );
}

/// The slug of a role name, as the roles folder names its files.
fn slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_matches('-').to_owned()
}

/// The shipped built-in roles, as raw JSON.
fn shipped_roles() -> Vec<Value> {
    serde_json::from_str::<Value>(azabac::catalog::BUILTIN_ROLES_JSON)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn roles_folder_holds_one_file_per_conditional_block() {
    let mut expected = BTreeMap::new();
    for role in shipped_roles() {
        let name = role["roleName"].as_str().unwrap();
        let conditions = role["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p["condition"].as_str());
        for (n, condition) in conditions.enumerate() {
            let file = match n {
                0 => format!("{}.cond", slug(name)),
                _ => format!("{}-{}.cond", slug(name), n + 1),
            };
            expected.insert(file, condition.to_owned());
        }
    }
    let on_disk: BTreeMap<String, String> = files("roles")
        .iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read_to_string(p).unwrap())
        })
        .collect();
    assert_eq!(expected.len(), 34, "34 conditional blocks");
    assert_eq!(on_disk, expected);
}

/// Every block and condition of the shipped file survives reading, and the file is the
/// corrected one: 887 roles, 13 of them with several blocks, 30 with conditions in 34 blocks,
/// and the four roles whose one block really is empty.
#[test]
fn built_in_roles_keep_every_block_and_condition() {
    let shipped = shipped_roles();
    let read = builtin_roles();
    assert_eq!(shipped.len(), 887);
    assert_eq!(read.len(), shipped.len());
    let strings = |value: &Value| -> Vec<String> {
        value
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|i| i.as_str().unwrap().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let patterns = |list: &[azabac::catalog::ActionPattern]| -> Vec<String> {
        list.iter().map(|p| p.as_str().to_owned()).collect()
    };
    let (mut multi, mut conditional_roles, mut conditional_blocks, mut empty) =
        (0, 0, 0, Vec::new());
    for (raw, role) in shipped.iter().zip(read) {
        assert_eq!(raw["roleName"].as_str(), Some(role.role_name.as_str()));
        let blocks = raw["permissions"].as_array().unwrap();
        assert_eq!(blocks.len(), role.permissions.len(), "{}", role.role_name);
        multi += usize::from(blocks.len() > 1);
        let mut has_condition = false;
        for (block, permission) in blocks.iter().zip(&role.permissions) {
            let what = &role.role_name;
            assert_eq!(
                strings(&block["actions"]),
                patterns(&permission.actions),
                "{what}"
            );
            assert_eq!(
                strings(&block["notActions"]),
                patterns(&permission.not_actions),
                "{what}"
            );
            assert_eq!(
                strings(&block["dataActions"]),
                patterns(&permission.data_actions),
                "{what}"
            );
            assert_eq!(
                strings(&block["notDataActions"]),
                patterns(&permission.not_data_actions),
                "{what}"
            );
            assert_eq!(
                block["condition"].as_str(),
                permission.condition.as_deref(),
                "{what}"
            );
            if permission.condition.is_some() {
                conditional_blocks += 1;
                has_condition = true;
            }
            let is_empty = permission.actions.is_empty()
                && permission.not_actions.is_empty()
                && permission.data_actions.is_empty()
                && permission.not_data_actions.is_empty();
            if is_empty {
                empty.push(role.role_name.clone());
            }
        }
        conditional_roles += usize::from(has_condition);
    }
    assert_eq!((multi, conditional_roles, conditional_blocks), (13, 30, 34));
    assert_eq!(
        empty,
        [
            "Azure Center for SAP solutions Management role",
            "Azure Center for SAP solutions Service role for management",
            "Defender Unified RBAC Authorization Manager",
            "Defender Unified RBAC Authorization Reader",
        ]
    );
}

#[test]
fn every_valid_condition_checks_without_errors() {
    let mut checked = 0;
    for row in jsonl() {
        if row["valid"] != Value::Bool(true) {
            continue;
        }
        let diagnostics = checker().check_source(row["condition"].as_str().unwrap());
        assert!(!has_errors(&diagnostics), "{}: {diagnostics:#?}", row["id"]);
        checked += 1;
    }
    for path in files("roles") {
        let (_, diagnostics) = read(&path);
        assert!(
            !has_errors(&diagnostics),
            "{}: {diagnostics:#?}",
            path.display()
        );
        checked += 1;
    }
    assert_eq!(checked, 85 + 34);
}

#[test]
fn every_invalid_condition_fails_at_the_right_span() {
    // (id, expected code of the first error, text the error must point at)
    let expected = [
        ("fmt-skeleton-simple", Code::UnexpectedToken, "<"),
        (
            "fmt-op-or-example-missing-bracket",
            Code::UnterminatedAttribute,
            "@Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:versionId",
        ),
        (
            "troubleshoot-unescaped-dollar-ps",
            Code::MalformedAttributeName,
            "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Project<$>",
        ),
    ];
    let invalid: Vec<Value> = jsonl()
        .into_iter()
        .filter(|row| row["valid"] == Value::Bool(false))
        .collect();
    assert_eq!(invalid.len(), expected.len());
    for (id, code, text) in expected {
        let row = invalid.iter().find(|row| row["id"] == id).unwrap();
        let source = row["condition"].as_str().unwrap();
        let parsed = syntax::parse(source);
        let error = parsed
            .diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error)
            .unwrap();
        assert_eq!(error.code, code, "{id}");
        assert_eq!(error.span.slice(source), text, "{id}");
    }
}

/// The unknown-validity rows are documentation shorthand or literal-left examples; pin what
/// azabac decides for each so a change is seen.
#[test]
fn unknown_validity_conditions_have_a_pinned_outcome() {
    for row in jsonl() {
        if row["valid"] != "unknown" {
            continue;
        }
        let id = row["id"].as_str().unwrap();
        let diagnostics = checker().check_source(row["condition"].as_str().unwrap());
        let expected_valid = !matches!(
            id,
            "blob-portal-generated-null-fragment"
                | "fmt-op-stringlike-shorthand-true"
                | "fmt-op-stringlike-shorthand-case-false"
        );
        assert_eq!(
            !has_errors(&diagnostics),
            expected_valid,
            "{id}: {diagnostics:#?}"
        );
    }
}

/// Codes about the file around a condition (its version, its role, its resource), which a
/// condition's text alone cannot draw.
const HOST_CODES: [Code; 8] = [
    Code::HostFileUnread,
    Code::UnsupportedConditionVersion,
    Code::MissingPrincipalType,
    Code::RoleNotKnown,
    Code::NotCheckable,
    Code::ByteOrderMark,
    Code::CheckedAroundUnknowns,
    Code::InvalidPrincipalType,
];

#[test]
fn every_diagnostic_code_has_a_case() {
    let mut seen = BTreeSet::new();
    let mut fixed = BTreeSet::new();
    for path in files("cases") {
        let (_, diagnostics) = read(&path);
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if let Some(code) = name.strip_prefix("ok-az").and_then(|rest| rest.get(..4)) {
            let code = format!("AZ{code}");
            assert!(
                !has_errors(&diagnostics) && diagnostics.iter().all(|d| d.code.as_str() != code),
                "{name} must check without errors and without {code}: {diagnostics:#?}"
            );
            fixed.insert(code);
        }
        if let Some(code) = name.strip_prefix("az").and_then(|rest| rest.get(..4)) {
            let code = format!("AZ{code}");
            assert!(
                diagnostics.iter().any(|d| d.code.as_str() == code),
                "{name} does not produce {code}: {diagnostics:#?}"
            );
        }
        if name.starts_with("construct-") {
            assert!(!has_errors(&diagnostics), "{name}: {diagnostics:#?}");
        }
        seen.extend(diagnostics.iter().map(|d| d.code));
    }
    let missing: Vec<_> = Code::ALL
        .iter()
        // AZ0901 is a bug; the host codes are about the file around the condition, not its
        // text (`tests/severities.rs`, `tests/iac.rs` and `tests/pipeline.rs` have their cases).
        .filter(|code| {
            !seen.contains(code) && **code != Code::FormatterMismatch && !HOST_CODES.contains(code)
        })
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a corpus case: {missing:?}"
    );
    let checker_codes = Code::ALL
        .iter()
        .filter(|code| code.as_str() >= "AZ0200" && code.as_str() < "AZ0400")
        .filter(|code| !HOST_CODES.contains(code));
    let unfixed: Vec<_> = checker_codes
        .filter(|code| !fixed.contains(code.as_str()))
        .collect();
    assert!(
        unfixed.is_empty(),
        "checker codes without a passing `ok-` twin: {unfixed:?}"
    );
}

#[test]
fn formatting_is_idempotent_and_keeps_the_tree_on_the_whole_corpus() {
    let mut formatted = 0;
    for folder in ["docs", "docs-rejected", "roles", "cases"] {
        for path in files(folder) {
            let (text, diagnostics) = read(&path);
            if has_errors(&diagnostics) {
                continue;
            }
            let parsed = syntax::parse(&text);
            let tree = parsed.valid_condition().unwrap();
            let once =
                syntax::format(&text).unwrap_or_else(|d| panic!("{}: {d:#?}", path.display()));
            let reparsed = syntax::parse(&once);
            assert_eq!(reparsed.valid_condition(), Some(tree), "{}", path.display());
            assert_eq!(
                syntax::format(&once).unwrap(),
                once,
                "not idempotent: {}",
                path.display()
            );
            assert!(
                reparsed.diagnostics.iter().all(|d| d.code != Code::NonCanonicalSpelling && d.code != Code::AmbiguousAndOr),
                "canonical text still draws style warnings: {}",
                path.display()
            );
            formatted += 1;
        }
    }
    assert!(formatted >= 120, "formatted only {formatted} conditions");
}

/// The diagnostics of every corpus file, as people see them: one snapshot per file, so that a
/// change of wording shows only where the wording is.
#[test]
fn corpus_diagnostics() {
    insta::glob!("../corpus/conditions", "**/*.cond", |path| {
        let (text, diagnostics) = read(path);
        let snapshot = if diagnostics.is_empty() {
            "(none)\n".to_owned()
        } else {
            render::human(&diagnostics, "input", &text, HumanOptions { color: false })
        };
        insta::assert_snapshot!(snapshot);
    });
}

/// The canonical text of every corpus file that parses, one snapshot per file, so that a
/// printer change shows only in these.
#[test]
fn corpus_canonical_text() {
    insta::glob!("../corpus/conditions", "**/*.cond", |path| {
        let (text, _) = read(path);
        let parsed = syntax::parse(&text);
        if let Some(condition) = parsed.valid_condition() {
            insta::assert_snapshot!(syntax::format::format_checked(condition).unwrap());
        }
    });
}

/// The tree, with spans, of every corpus file that parses, one snapshot per file.
#[test]
fn corpus_trees() {
    insta::glob!("../corpus/conditions", "**/*.cond", |path| {
        let (text, _) = read(path);
        let parsed = syntax::parse(&text);
        if let Some(condition) = parsed.valid_condition() {
            insta::assert_snapshot!(tree::render(condition));
        }
    });
}

/// The right side's literals of every comparison: where a value only a deployment knows may
/// stand (`azabac check` on Terraform, Bicep and ARM).
fn right_literals(expr: &syntax::Expr, out: &mut Vec<azabac::span::Span>) {
    use azabac::syntax::{ExprKind, OperandKind};
    match &expr.node {
        ExprKind::Or(items) | ExprKind::And(items) => {
            items.iter().for_each(|item| right_literals(item, out));
        }
        ExprKind::Not(inner) => right_literals(inner, out),
        ExprKind::Comparison(comparison) => match &comparison.right.node {
            OperandKind::Literal(_) => out.push(comparison.right.span),
            OperandKind::Set(items) => out.extend(items.iter().map(|item| item.span)),
            OperandKind::Attribute(_) => {}
        },
        _ => {}
    }
}

/// Leaving a value open never finds more than the condition with the value written: for each
/// literal on a comparison's right side of every error-free real condition and case, checking
/// with that literal's value left open (a placeholder, as the host readers leave one) draws no
/// error and no code the written condition does not draw.
#[test]
fn leaving_a_value_open_never_adds_a_finding() {
    const NIL: &str = "00000000-0000-0000-0000-000000000000";
    let mut tried = 0;
    for folder in ["docs", "roles", "cases"] {
        for path in files(folder) {
            let (source, diagnostics) = read(&path);
            if has_errors(&diagnostics) {
                continue;
            }
            let checker = match role_of(&path) {
                Some(role) => checker().with_role(role),
                None => checker(),
            };
            let codes: BTreeSet<Code> = diagnostics.iter().map(|d| d.code).collect();
            let parsed = syntax::parse(&source);
            let mut literals = Vec::new();
            right_literals(parsed.valid_condition().unwrap(), &mut literals);
            for literal in literals {
                let (start, end) = (literal.start(), literal.end());
                let quoted = source[start..end].starts_with('\'');
                let (placeholder, at) = if quoted {
                    ("'_'", start + 1)
                } else {
                    (NIL, start)
                };
                let filled = format!("{}{placeholder}{}", &source[..start], &source[end..]);
                let hole = if quoted {
                    azabac::span::Span::new(at, at + 1)
                } else {
                    azabac::span::Span::new(at, at + NIL.len())
                };
                let Some(found) = checker.check_source_with_unknowns(&filled, &[hole]) else {
                    // Only the legacy `@Request[subOperation]` names are guards.
                    assert!(source.contains("subOperation]"), "{path:?}: {filled}");
                    continue;
                };
                tried += 1;
                assert!(!has_errors(&found), "{path:?}: {filled}\n{found:#?}");
                for d in &found {
                    assert!(
                        codes.contains(&d.code),
                        "{path:?}: {filled} adds {}",
                        d.code
                    );
                }
            }
        }
    }
    assert!(tried > 300, "only {tried} literals tried");
}
