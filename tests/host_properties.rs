//! Properties of the host readers over generated text: the Terraform, Bicep and ARM readers
//! (through the one entry point, `input::read`), the suppression comments and the principals
//! files never panic on any input and end; every condition they find maps each of its bytes to
//! a place inside the file, on a character boundary, so that reports can always point into it;
//! every file they refuse is refused at a place inside it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly on broken fixtures"
)]

use azabac::catalog::Catalog;
use azabac::check::Checker;
use std::io;
use std::path::{Path, PathBuf};

use azabac::input::holes::fill;
use azabac::input::place::{Found, Host, inline_suppressions};
use azabac::input::{Files, Item};
use azabac::rbac::PrincipalNames;
use proptest::prelude::*;

/// Fragments of the files the readers meet, joined in any order: real syntax and broken.
fn soup(fragments: &'static [&'static str]) -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        prop::sample::select(fragments).prop_map(str::to_owned),
        any::<char>().prop_map(String::from),
        "[a-z_]{1,6}",
    ];
    prop::collection::vec(
        (fragment, prop::sample::select(vec!["", " ", "\n", "\r\n"])),
        0..60,
    )
    .prop_map(|parts| parts.into_iter().map(|(f, s)| f + s).collect())
}

const TERRAFORM: &[&str] = &[
    "resource \"azurerm_role_assignment\" \"a\" {",
    "resource \"azapi_resource\" \"b\" {",
    "module \"m\" {",
    "locals {",
    "variable \"v\" {",
    "}",
    "{",
    "condition = ",
    "condition_version = \"2.0\"",
    "principal_type = \"User\"",
    "type = \"Microsoft.Authorization/roleDefinitions@2022-04-01\"",
    "body = { properties = { permissions = [ { condition = \"x\" } ] } }",
    "role_assignments = { r = { condition = ",
    "default = ",
    "\"@Resource[a:b] StringEquals 'x'\"",
    "\"${local.x}\"",
    "\"$${x} %%{y} \\\"q\\\"\"",
    "<<-EOT\n  ((x))\n  EOT",
    "<<EOT\n${var.v}\nEOT",
    "local.x",
    "var.v",
    "format(\"%s\", local.x)",
    "join(\", \", local.l)",
    "templatefile(\"${path.module}/t.tftpl\", { a = \"b\" })",
    "# azabac:suppress AZ0317 why",
    "lifecycle { precondition { condition = true } }",
    "for_each = local.m",
    "count = length(local.l)",
    "\"${local.l[count.index]}\"",
    "local.m[each.key]",
    "for_each = toset([\"a\", \"b\"])",
    "for_each = { k = { c = \"x\" } }",
    "\"${each.value.c}\"",
    "\"${each.key}\"",
    "local.m.k[\"c\"]",
    "local.l[0]",
    "m = { k = local.m }",
    "role_assignments = each.value",
    "\"'${var.none}'\"",
    "\"{${data.x.y}, ${module.m.ids}}\"",
    "\"@Resource[a:b] StringEquals '${var.none}' AND ${var.clause}\"",
    "resource \"azurerm_role_definition\" \"r\" {",
    "permissions {",
    "actions = [\"Microsoft.Authorization/roleAssignments/write\"]",
    "data_actions = concat(local.l, [\"x\"])",
    "role_definition_name = azurerm_role_definition.r.name",
    "for_each = { for a in local.l : a.name => a }",
    "for_each = { for k, v in local.m : \"${k}-${v.c}\" => v if v.c != \"x\" }",
    "for_each = { for i, a in local.l : i => a if !(a.on == true) }",
    "l = [{ name = \"a\", c = \"x\", on = true }, { name = \"a\" }]",
    "\"${each.value.name}\"",
    "for_each = { for i, a in local.l : \"${i}${a.name}\" => { c = a.c, k = i } }",
    "role_assignments = { for k, v in local.m : k => { condition = \"${v.c}${k}\" } }",
    "role_assignments = { for a in local.l : a.name => a }",
    "role_assignments = merge(local.m, { k = { condition = \"x\" } }, var.none)",
    "for_each = merge(local.m, { k = { c = \"y\" } })",
    "condition = trimspace(file(\"${path.module}/c.cond\"))",
    "condition = lookup(each.value, \"c\", null)",
    "condition_version = lookup(local.m, \"v\")",
    "condition = null",
    "condition = chomp(templatefile(\"t.tftpl\", { a = \"b\" }))",
    "[",
    "]",
    "\"",
];

const BICEP: &[&str] = &[
    "resource r 'Microsoft.Authorization/roleAssignments@2022-04-01' = {",
    "resource d 'Microsoft.Authorization/roleDefinitions@2022-04-01' existing = {",
    "module m 'br/public:avm/res/x:1.0' = {",
    "param p string = 'x'",
    "var v = 'y'",
    "}",
    "{",
    "properties: {",
    "params: { roleAssignments: [ {",
    "condition: ",
    "principalType: 'User'",
    "roleDefinitionId: d.id",
    "name: '53ca6127-db72-4b80-b1b0-d745d6d5456d'",
    "'@Resource[a:b] StringEquals \\'x\\''",
    "'${v}'",
    "'${d.name}'",
    "'''\n((x))\n'''",
    "'\\$'",
    "subscriptionResourceId('Microsoft.Authorization/roleDefinitions', v)",
    "// azabac:suppress AZ0317 why",
    "@description('x')",
    "= if (p) {",
    "[for x in xs: x]",
    "= [for (x, i) in xs: {",
    "= [for x in xs: if (p) {",
    "= [for x in xs: if (!(x.c == 'a')) {",
    "= [for e in items(o): if (e.value != 'z') {",
    "'${e.key}'",
    "var xs = [ { c: 'a' } { c: 'b' } ]",
    "'${x.c} ${i}'",
    "'${v.k[0]}'",
    "var o = { k: [ 'z' ] }",
    "}]",
    "'${storage.outputs.name}'",
    "'{${join(ids, ', ')}}'",
    "resource c 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {",
    "permissions: [ { actions: xs } ]",
    "roleName: 'x'",
    "roleDefinitionId: c.id",
    "roleAssignments: concat(v, [",
    "var m = map(xs, a => {",
    "roleAssignments: map(xs, (a, i) => { condition: '${a.c}${i}' })",
    "condition: trim(loadTextContent('c.cond'))",
    "condition: loadTextContent('c.cond', 'utf-8')",
    "roleAssignments: union(m, v)",
    "roleAssignments: m",
    ")",
    "'",
    "]",
];

/// Fragments of ARM expressions, joined into the strings of a template: real syntax and broken.
const ARM: &[&str] = &[
    "[",
    "]",
    "[[",
    "(",
    ")",
    ",",
    "'",
    "''",
    ".",
    "format('{0} {1}', ",
    "concat(",
    "parameters('p')",
    "variables('v')",
    "variables('w')",
    "copyIndex()",
    "copyIndex(1)",
    "tryGet(",
    "if(",
    "not(",
    "equals(",
    "null()",
    "length(",
    "[0]",
    "[1]",
    ".condition",
    "'condition'",
    "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals '",
    "{0}",
    "{{",
    "}}",
    "2",
];

/// A JSON value of the kinds principals fields hold, right or wrong.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::json;
    prop_oneof![
        Just(json!(null)),
        Just(json!(1)),
        Just(json!(["x"])),
        Just(json!({})),
        prop::sample::select(vec![
            "a11ce000-0000-0000-0000-000000000001",
            "b0b00000-0000-0000-0000-000000000002",
            "not a guid",
            "User",
            "Group",
            "ServicePrincipal",
            "user",
            "Alice",
            "#microsoft.graph.user",
            "#microsoft.graph.group",
            "https://graph.microsoft.com/v1.0/$metadata#users",
            "https://graph.microsoft.com/v1.0/$metadata#directoryObjects",
            "",
        ])
        .prop_map(|s| json!(s)),
    ]
}

/// Objects such as Graph prints, with any of the keys a principals reader looks at.
fn principal_items() -> impl Strategy<Value = Vec<serde_json::Value>> {
    let keys = prop::sample::select(vec![
        "id",
        "displayName",
        "userPrincipalName",
        "type",
        "@odata.type",
        "mail",
    ]);
    let object = prop::collection::btree_map(keys, json_value(), 0..5).prop_map(|map| {
        serde_json::Value::Object(map.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    });
    prop::collection::vec(object, 0..5)
}

/// A principals file: a Graph list, an array of objects, a map of ids, or something else.
fn principals_file() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        (principal_items(), json_value(), any::<bool>()).prop_map(|(items, context, next)| {
            let mut page = serde_json::json!({"@odata.context": context, "value": items});
            if next {
                page["@odata.nextLink"] = serde_json::json!("https://graph.microsoft.com/next");
            }
            page
        }),
        principal_items().prop_map(serde_json::Value::Array),
        principal_items().prop_map(|items| {
            let ids = [
                "a11ce000-0000-0000-0000-000000000001",
                "x",
                "b0b00000-0000-0000-0000-000000000002",
            ];
            serde_json::Value::Object(
                items
                    .into_iter()
                    .zip(ids.iter().cycle())
                    .map(|(item, id)| ((*id).to_owned(), item))
                    .collect(),
            )
        }),
        json_value(),
    ]
}

/// A folder of one file, `main`, holding `text`; every other path (a template, a file
/// `loadTextContent()` reads) holds `other`.
struct Soup<'t> {
    main: &'t Path,
    text: &'t str,
    other: &'t str,
}

impl Files for Soup<'_> {
    fn read(&self, path: &Path, limit: usize) -> io::Result<Vec<u8>> {
        let text = if path == self.main {
            self.text
        } else {
            self.other
        };
        let bytes = text.as_bytes();
        Ok(bytes
            .get(..limit.saturating_add(1))
            .unwrap_or(bytes)
            .to_vec())
    }

    fn list(&self, _: &Path) -> io::Result<Vec<PathBuf>> {
        Ok(vec![self.main.to_owned()])
    }
}

/// `text` read as the file `name` (its host by its extension), `other` as every file it
/// reads: each condition found maps into the file it names, each refusal is inside the file.
fn reads_soup(name: &str, text: &str, other: &str) -> Result<(), TestCaseError> {
    let main = PathBuf::from(name);
    let soup = Soup {
        main: &main,
        text,
        other,
    };
    for item in azabac::input::read(std::slice::from_ref(&main), &soup).items {
        match item {
            Item::Found(located) => maps_inside(&located.document, &located.found)?,
            Item::Unread(error) => {
                prop_assert_eq!(&error.file, &main);
                prop_assert!(
                    error.offset <= text.len(),
                    "{} past {}",
                    error.offset,
                    text.len()
                );
                prop_assert!(error.line >= 1 && error.column >= 1);
            }
            Item::Condition(file) => prop_assert!(false, "{name} read as a condition: {file:?}"),
        }
    }
    Ok(())
}

/// Every character boundary of the found condition, and its end, maps inside `text` on a
/// character boundary (Terraform and Bicep map every byte so, JSON every boundary, where the
/// checker's spans fall); so does the text with its unknown values' placeholders, which the
/// checker checks without panicking.
fn maps_inside(text: &str, found: &Found) -> Result<(), TestCaseError> {
    let checker = Checker::new(Catalog::builtin());
    prop_assert!(
        found.template.is_none(),
        "the entry point gives the template's text"
    );
    let every_byte = found.place.host != Host::Arm && found.place.host != Host::Json;
    let points = |condition: &str| -> Vec<usize> {
        (0..=condition.len())
            .filter(|&at| every_byte || condition.is_char_boundary(at))
            .collect()
    };
    if let Some(filled) = fill(&found.embedded, &found.place) {
        for at in points(&filled.embedded.text) {
            let offset = filled.embedded.document_offset(at);
            prop_assert!(offset <= text.len() && text.is_char_boundary(offset));
        }
        for span in &filled.unknown {
            prop_assert!(filled.embedded.text.get(span.start()..span.end()).is_some());
        }
        let _ = checker.check_source_with_unknowns(&filled.embedded.text, &filled.unknown);
    }
    for at in points(&found.embedded.text) {
        let offset = found.embedded.document_offset(at);
        prop_assert!(offset <= text.len(), "{offset} past {}", text.len());
        prop_assert!(text.is_char_boundary(offset), "{offset} inside a character");
    }
    prop_assert!(found.place.line >= 1);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn terraform_never_panics_and_maps_into_the_file(text in soup(TERRAFORM)) {
        reads_soup("main.tf", &text, " ((${a}é))\r\n")?;
    }

    #[test]
    fn bicep_never_panics_and_maps_into_the_file(text in soup(BICEP)) {
        reads_soup("main.bicep", &text, " \n((é)) \n")?;
    }

    #[test]
    fn arm_never_panics_and_maps_into_the_file(
        condition in soup(ARM),
        variable in soup(ARM),
        count in soup(ARM),
    ) {
        let template = serde_json::json!({
            "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            "contentVersion": "1.0.0.0",
            "parameters": {"p": {"type": "array", "defaultValue": [{"condition": "@Request[x] StringEquals 'a'"}, null]}},
            "variables": {"v": variable, "w": "[variables('v')]"},
            "resources": [{
                "type": "Microsoft.Authorization/roleAssignments",
                "apiVersion": "2022-04-01",
                "name": "[guid('a')]",
                "copy": {"name": "c", "count": count},
                "properties": {
                    "roleDefinitionId": "[variables('w')]",
                    "principalId": "[parameters('p')[0]]",
                    "condition": condition,
                    "conditionVersion": "2.0"
                }
            }]
        });
        let text = serde_json::to_string_pretty(&template).unwrap();
        reads_soup("azuredeploy.json", &text, "")?;
    }

    #[test]
    fn suppression_comments_never_panic(text in soup(TERRAFORM), start in 0usize..400, len in 0usize..400) {
        let start = start.min(text.len());
        for comment in inline_suppressions(&text, start..start.saturating_add(len)) {
            prop_assert!(comment.line >= 1);
        }
    }

    #[test]
    fn principals_files_never_panic(file in principals_file()) {
        let mut names = PrincipalNames::new("");
        if names.read_directory(&file).is_ok() {
            for name in ["a11ce000-0000-0000-0000-000000000001", "User", "Alice", ""] {
                if let Ok(id) = names.resolve(name, "$") {
                    let _ = names.principal_type(id);
                }
            }
        }
    }
}
