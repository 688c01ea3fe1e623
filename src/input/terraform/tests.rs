//! Unit tests of the reader's private parts.

use super::*;

fn conditions(text: &str) -> Vec<Found> {
    let module = module(
        &[ModuleFile {
            text,
            wanted: true,
            kind: FileKind::Configuration,
        }],
        &|_| None,
        &|_| Vec::new(),
    );
    assert_eq!(module.stops, []);
    module.found.into_iter().map(|(_, found)| found).collect()
}

/// `<<-` strips the fewest leading spaces of any line with content, as HCL's spec suite has
/// it (`indented_less`, `interp_indented_less`, `tabs`, `newlines_between`); a line with
/// less indent before an interpolation keeps its text (hcl-edit 0.10 strips it).
#[test]
fn indented_heredocs_strip_the_fewest_leading_spaces() {
    let cases = [
        ("    Foo\n  Bar\n    Baz\n", "  Foo\nBar\n  Baz\n"),
        ("    Foo\n  ${local.x}\n    Baz\n", "  Foo\nX\n  Baz\n"),
        ("\tFoo\n  Bar\n  Baz\n", "Foo\n Bar\n Baz\n"),
        ("Foo\n\n    Bar\n", "Foo\n\n    Bar\n"),
        ("    Foo\n\n    Bar\n", "Foo\n\nBar\n"),
        (
            "(\n (\n  a ${local.x}\n )\n OR b\n)\n",
            "(\n (\n  a X\n )\n OR b\n)\n",
        ),
    ];
    for (body, expected) in cases {
        let text = format!(
            "locals {{\n  x = \"X\"\n}}\nresource \"azurerm_role_assignment\" \"a\" {{\n  condition = <<-EOT\n{body}  EOT\n}}\n"
        );
        let found = conditions(&text);
        assert_eq!(found[0].embedded.text, expected, "{body:?}");
    }
}

#[test]
fn escapes_functions_and_references_resolve_with_their_offsets() {
    let text = r#"
locals {
  role = "53ca6127-db72-4b80-b1b0-d745d6d5456d"
  set  = format("{%s}", join(", ", [local.role, "x"]))
}
variable "name" {
  default = "logs"
}
resource "azurerm_role_assignment" "a" {
  condition = "a \"b\" $${c} %%{d} ${local.set} ${var.name} ${replace("ab", "b", "c")}"
}
"#;
    let found = conditions(text);
    let [found] = found.as_slice() else {
        panic!("{found:?}")
    };
    assert_eq!(
        found.embedded.text,
        r#"a "b" ${c} %{d} {53ca6127-db72-4b80-b1b0-d745d6d5456d, x} logs ac"#
    );
    assert_eq!(found.place.assumed, ["var.name"]);
    assert!(found.place.unresolved.is_empty());
    // `"b"` after `a ` starts at the `\` of `"`.
    let quote = found.embedded.document_offset(2);
    assert_eq!(&text[quote..quote + 2], "\\\"");
    // `${c}` maps to the `$$` that wrote it.
    let dollar = found.embedded.document_offset(6);
    assert_eq!(&text[dollar..dollar + 3], "$${");
}

/// A `for_each` built by a `for` expression is read per element, keyed as Terraform keys
/// it; a form azabac does not follow is read once, never guessed.
#[test]
fn for_expressions_in_for_each_are_read_per_element() {
    let read = |for_each: &str| {
        let text = format!(
            r#"
locals {{
  list = [{{ name = "a", c = "x" }}, {{ name = "b", c = "y" }}]
  map  = {{ one = {{ c = "x" }}, two = {{ c = "y" }} }}
}}
resource "azurerm_role_assignment" "r" {{
  for_each  = {for_each}
  condition = "${{each.key}}=${{each.value.c}}"
}}
"#
        );
        conditions(&text)
            .into_iter()
            .map(|found| (found.place.resource, found.embedded.text))
            .collect::<Vec<_>>()
    };
    let pair = |key: &str, text: &str| {
        (
            format!("azurerm_role_assignment.r[\"{key}\"]"),
            text.to_owned(),
        )
    };
    assert_eq!(
        read("{ for e in local.list : e.name => e }"),
        [pair("a", "a=x"), pair("b", "b=y")]
    );
    assert_eq!(
        read("{ for i, e in local.list : i => e }"),
        [pair("0", "0=x"), pair("1", "1=y")]
    );
    assert_eq!(
        read(r#"{ for k, v in local.map : "${k}-${v.c}" => v }"#),
        [pair("one-x", "one-x=x"), pair("two-y", "two-y=y")]
    );
    // A value built from the element, its variables bound.
    assert_eq!(
        read(r#"{ for i, e in local.list : "${i}${e.name}" => { c = "${e.c}${i}" } }"#),
        [pair("0a", "0a=x0"), pair("1b", "1b=y1")]
    );
    // A filter on the element's members keeps the elements it passes.
    assert_eq!(
        read(r#"{ for e in local.list : e.name => e if e.c != "x" }"#),
        [pair("b", "b=y")]
    );
    assert_eq!(
        read(r#"{ for e in local.list : e.name => e if !(e.c == "y") }"#),
        [pair("a", "a=x")]
    );
    assert_eq!(
        read("{ for e in local.list : e.name => e if true }"),
        [pair("a", "a=x"), pair("b", "b=y")]
    );
    // Another filter, grouping, or one key made twice: read once, with what it takes from
    // the loop unresolved.
    for once in [
        "{ for e in local.list : e.name => e if length(e.c) > 0 }",
        "{ for e in local.list : e.name => e if e.c == true }",
        "{ for e in local.list : e.name => e... }",
        "{ for e in local.list : \"same\" => e }",
        "{ for e in local.list : e.missing => e }",
    ] {
        let found = read(once);
        assert_eq!(found.len(), 1, "{once}");
        assert_eq!(found[0].0, "azurerm_role_assignment.r", "{once}");
    }
}

#[test]
fn terraforms_own_conditions_and_other_resources_are_not_read() {
    let text = r#"
resource "azurerm_storage_account" "s" {
  lifecycle {
precondition {
  condition     = true
  error_message = "x"
}
  }
}
variable "v" {
  validation {
condition     = length(var.v) > 0
error_message = "x"
  }
}
resource "azurerm_role_assignment" "a" {
  principal_type = "User"
  lifecycle {
postcondition {
  condition     = self.id != ""
  error_message = "x"
}
  }
}
"#;
    assert!(conditions(text).is_empty());
}

#[test]
fn unknown_values_leave_the_condition_unresolved() {
    let text = r#"
resource "azurerm_role_assignment" "a" {
  condition = templatefile("c.tftpl", { role = azurerm_role_definition.r.role_definition_id })
}
"#;
    let found = conditions(text);
    assert_eq!(found.len(), 1);
    assert!(!found[0].place.unresolved.is_empty());
}

/// `merge()` of maps, for a `for_each` and a module's `role_assignments`: a later map's key
/// replaces an earlier one's; a map known only at deployment leaves the resource read once,
/// and the module's entries before it read with the assumption that it does not replace them.
/// An entry may be a reference to one written elsewhere.
#[test]
fn merged_maps_are_read_as_terraform_merges_them() {
    let text = r#"
locals {
  a = { one = { c = "x" }, two = { c = "y" } }
}
resource "azurerm_role_assignment" "r" {
  for_each  = merge(local.a, { two = { c = "z" } })
  condition = "${each.key}=${each.value.c}"
}
resource "azurerm_role_assignment" "unknown" {
  for_each  = merge(local.a, var.more)
  condition = "${each.key}"
}
module "m" {
  role_assignments = merge(local.ra, { two = { condition = "2" } })
}
module "o" {
  role_assignments = { one = local.ra.one }
}
module "n" {
  role_assignments = merge({ one = { condition = "1" } }, var.more, { three = { condition = "3" } })
}
locals {
  ra = { one = { condition = "1" }, two = { condition = "x" } }
}
"#;
    let read: Vec<(String, String)> = conditions(text)
        .into_iter()
        .map(|f| (f.place.resource, f.embedded.text))
        .collect();
    let pair = |r: &str, t: &str| (r.to_owned(), t.to_owned());
    assert_eq!(
        read,
        [
            pair("azurerm_role_assignment.r[\"one\"]", "one=x"),
            pair("azurerm_role_assignment.r[\"two\"]", "two=z"),
            pair("azurerm_role_assignment.unknown", ""),
            pair("module.m.role_assignments[\"one\"]", "1"),
            pair("module.m.role_assignments[\"two\"]", "2"),
            pair("module.o.role_assignments[\"one\"]", "1"),
            pair("module.n.role_assignments[\"one\"]", "1"),
            pair("module.n.role_assignments[\"three\"]", "3"),
            // What `var.more` adds: not checkable, never passed over.
            pair("module.n.role_assignments[var.more]", ""),
        ]
    );
    let assumed: Vec<Vec<String>> = conditions(text)
        .into_iter()
        .filter(|f| f.place.resource.starts_with("module.n"))
        .map(|f| f.place.assumed)
        .collect();
    assert_eq!(
        assumed,
        [
            vec!["var.more does not replace `one`".to_owned()],
            vec![],
            vec![]
        ]
    );
}

/// `null` is no condition at all: written, or a `lookup()` default; a variable whose default
/// is `null` is the module's optional input, a condition slot; and `lookup()` of a literal map
/// gives its member.
#[test]
fn null_is_no_condition_and_lookup_gives_the_member() {
    let text = r#"
variable "none" {
  default = null
}
locals {
  m = { c = "x", r = "Reader" }
}
resource "azurerm_role_assignment" "written" {
  condition = null
}
resource "azurerm_role_assignment" "defaulted" {
  condition = var.none
}
resource "azurerm_role_assignment" "looked_up_default" {
  condition = lookup(local.m, "missing", null)
}
resource "azurerm_role_assignment" "looked_up" {
  condition = lookup(local.m, "c", null)
}
resource "azurerm_role_assignment" "lacking" {
  condition = lookup(local.m, "missing")
}
"#;
    let read: Vec<(String, String, Vec<String>)> = conditions(text)
        .into_iter()
        .map(|f| (f.place.resource, f.embedded.text, f.place.unresolved))
        .collect();
    assert_eq!(
        read,
        [
            (
                "azurerm_role_assignment.defaulted".to_owned(),
                String::new(),
                vec!["var.none".to_owned()]
            ),
            (
                "azurerm_role_assignment.looked_up".to_owned(),
                "x".to_owned(),
                vec![]
            ),
            (
                "azurerm_role_assignment.lacking".to_owned(),
                String::new(),
                vec![r#"lookup(local.m, "missing")"#.to_owned()]
            ),
        ]
    );
}

/// `keys()` and `values()` of a map known whole give its entries in key order, as
/// Terraform does: a `for_each` over `toset(keys(…))` is one instance per key.
#[test]
fn keys_and_values_of_a_map_are_in_key_order() {
    let text = r#"
locals {
  containers = { b = "audit", a = "logs" }
}
resource "azurerm_role_assignment" "per_key" {
  for_each  = toset(keys(local.containers))
  condition = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals '${local.containers[each.key]}'"
}
resource "azurerm_role_assignment" "first" {
  condition = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals '${values(local.containers)[0]}'"
}
"#;
    let found = conditions(text);
    let read: Vec<(&str, &str)> = found
        .iter()
        .map(|f| (f.place.resource.as_str(), f.embedded.text.as_str()))
        .collect();
    let condition = |name: &str| {
        format!(
            "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals '{name}'"
        )
    };
    let (logs, audit) = (condition("logs"), condition("audit"));
    assert_eq!(
        read,
        [
            ("azurerm_role_assignment.per_key[\"a\"]", logs.as_str()),
            ("azurerm_role_assignment.per_key[\"b\"]", audit.as_str()),
            ("azurerm_role_assignment.first", logs.as_str()),
        ]
    );
}

/// No instance under a default a deployment can override hides nothing: `count = var.on ?
/// 1 : 0` with `on = false`, `for_each` over a default `[]`, and a `for` filter decided by a
/// default are read once, as where the instances are not known.
#[test]
fn instances_a_default_removes_are_read_once() {
    let text = r#"
variable "on" { default = false }
variable "names" { default = [] }
variable "ras" {
  default = { a = { condition = "from filter" } }
}
resource "azurerm_role_assignment" "flag" {
  count     = var.on ? 1 : 0
  condition = "from flag"
}
resource "azurerm_role_assignment" "empty" {
  for_each  = toset(var.names)
  condition = "from empty"
}
resource "azurerm_role_assignment" "filtered" {
  for_each  = { for k, v in var.ras : k => v if var.on }
  condition = each.value.condition
}
"#;
    let found = conditions(text);
    let read: Vec<(&str, &str)> = found
        .iter()
        .map(|f| (f.place.resource.as_str(), f.embedded.text.as_str()))
        .collect();
    assert_eq!(
        read,
        [
            ("azurerm_role_assignment.flag", "from flag"),
            ("azurerm_role_assignment.empty", "from empty"),
            ("azurerm_role_assignment.filtered", ""),
        ]
    );
    assert!(!found[2].place.unresolved.is_empty());
}

/// azapi bodies only a deployment knows are not checkable, never passed over; their keys
/// are Azure's, in any case; a PIM request by azapi needs `conditionVersion`.
#[test]
fn azapi_bodies_unknown_cased_and_pim() {
    let text = r#"
variable "props" {}
resource "azapi_resource" "unknown" {
  type = "Microsoft.Authorization/roleAssignments@2022-04-01"
  body = jsonencode({ properties = var.props })
}
resource "azapi_resource" "cased" {
  type = "Microsoft.Authorization/roleAssignments@2022-04-01"
  body = { Properties = { principalType = "User", Condition = "cased" } }
}
resource "azapi_resource" "pim" {
  type = "Microsoft.Authorization/roleEligibilityScheduleRequests@2022-04-01-preview"
  body = { properties = { condition = "pim" } }
}
"#;
    let found = conditions(text);
    let read: Vec<(&str, &str, usize)> = found
        .iter()
        .map(|f| {
            (
                f.place.resource.as_str(),
                f.embedded.text.as_str(),
                f.place.unresolved.len(),
            )
        })
        .collect();
    assert_eq!(
        read,
        [
            ("azapi_resource.unknown", "", 1),
            ("azapi_resource.cased", "cased", 0),
            ("azapi_resource.pim", "pim", 0),
        ]
    );
    let pim = found[2].place.facts.as_ref().unwrap();
    assert!(pim.version_required && pim.principal_type);
}
