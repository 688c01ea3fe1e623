//! Conditions where users keep them (issue 20): Terraform, ARM templates and plans, read in
//! place. For each file of `corpus/iac/`, the conditions found, their resources, lines,
//! verdicts and codes are pinned; a directory walk skips what users expect it to skip.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly on broken fixtures"
)]

#[path = "support/binary.rs"]
mod binary;

use binary::{azabac, code, json};
use serde_json::Value;

/// (file, resource, line, valid (`None`: not checkable offline), codes, assumed)
type Pinned = (
    &'static str,
    &'static str,
    u64,
    Option<bool>,
    Vec<&'static str>,
    Vec<&'static str>,
);

fn found(args: &[&str]) -> Vec<Pinned> {
    let output = azabac(args);
    let results = json(&output);
    let results = match results {
        Value::Array(items) => items,
        single => vec![single],
    };
    results
        .iter()
        .map(|r| {
            let mut codes: Vec<&'static str> = r["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| &*String::leak(d["code"].as_str().unwrap().to_owned()))
                .collect();
            codes.sort_unstable();
            let assumed = r["assumed"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|v| &*String::leak(v.as_str().unwrap().to_owned()))
                        .collect()
                })
                .unwrap_or_default();
            // A condition file read on its own has no host keys: its input is the file.
            let file = r["file"].as_str().or(r["input"].as_str()).unwrap();
            (
                &*String::leak(file.to_owned()),
                &*String::leak(r["resource"].as_str().unwrap_or("").to_owned()),
                r["line"].as_u64().unwrap_or(0),
                r["valid"].as_bool(),
                codes,
                assumed,
            )
        })
        .collect()
}

/// The result for `resource` in a JSON report of several conditions.
fn resource<'r>(results: &'r Value, resource: &str) -> &'r Value {
    results
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["resource"] == resource)
        .unwrap_or_else(|| panic!("no {resource} in {results}"))
}

#[test]
fn every_condition_of_the_corpus_is_found_once_at_its_line_with_its_verdict() {
    let tf = "corpus/iac/terraform/delegation/main.tf";
    let avm = "corpus/iac/terraform/avm/main.tf";
    let arm = "corpus/iac/arm/storage-delegation.json";
    let bicep = "corpus/iac/bicep/main.bicep";
    let template = "corpus/iac/terraform/template/main.tf";
    let open = "corpus/iac/terraform/open/main.tf";
    let bicep_open = "corpus/iac/bicep/open.bicep";
    let expected: Vec<Pinned> = vec![
        // Members of a variable's object and array and of a parameter's default object.
        (
            "corpus/iac/arm/members.json",
            "$.resources[0]",
            45,
            Some(true),
            vec![],
            vec!["parameters('tests')['tag']"],
        ),
        // A `copy` loop (what Bicep compiles a `for` to): one condition per `copyIndex()`.
        (
            "corpus/iac/arm/members.json",
            "$.resources[1][0]",
            61,
            Some(true),
            vec![],
            vec![],
        ),
        (
            "corpus/iac/arm/members.json",
            "$.resources[1][1]",
            61,
            Some(false),
            vec!["AZ0002", "AZ0011", "AZ0013", "AZ0013"],
            vec![],
        ),
        // A condition version from a parameter without a default: neither wrong nor missing (a
        // condition from a parameter whose default is `null` is no condition, and not here).
        (
            "corpus/iac/arm/optional.json",
            "$.resources[0]",
            26,
            Some(true),
            vec![],
            vec![],
        ),
        // Roles named through a variable and `subscriptionResourceId(…, variables(…))`: each
        // assignment is checked against its role.
        (
            "corpus/iac/arm/roles.json",
            "$.resources[0]",
            27,
            Some(true),
            vec!["AZ0318"],
            vec![],
        ),
        (
            "corpus/iac/arm/roles.json",
            "$.resources[1]",
            38,
            Some(true),
            vec!["AZ0311"],
            vec![],
        ),
        // A custom role the template defines, named as Bicep compiles `role.id`.
        (
            "corpus/iac/arm/roles.json",
            "$.resources[3]",
            69,
            Some(true),
            vec!["AZ0318"],
            vec![],
        ),
        (arm, "$.resources[0]", 20, Some(true), vec![], vec![]),
        // Bicep's compiled `[format(…)]` of a parameter without a default: checked around it.
        (
            arm,
            "$.resources[1]",
            30,
            Some(true),
            vec!["AZ0317", "AZ0404"],
            vec![],
        ),
        // With a default: evaluated (an assumption), and its typo found through the escapes.
        (
            arm,
            "$.resources[2]",
            41,
            Some(false),
            vec!["AZ0015"],
            vec!["parameters('containerName')"],
        ),
        // languageVersion 2.0: resources keyed by symbolic name; a nested deployment's too.
        (
            "corpus/iac/arm/symbolic.json",
            "$.resources.reader",
            14,
            Some(true),
            vec![],
            vec![],
        ),
        (
            "corpus/iac/arm/symbolic.json",
            "$.resources.nested.properties.template.resources[0]",
            35,
            Some(false),
            vec!["AZ0003"],
            vec![],
        ),
        // Constructs the reader once refused (issue 30): a ternary continued on the next lines,
        // decided by a parameter's default (an assumption); directives inside objects and a
        // module body; a nested child resource; `.?` and `??` in a loop over a default.
        (
            "corpus/iac/bicep/continued.bicep",
            "reader",
            48,
            Some(true),
            vec![],
            vec!["param production"],
        ),
        (
            "corpus/iac/bicep/continued.bicep",
            "vault.params.roleAssignments[0]",
            69,
            Some(false),
            vec!["AZ0015"],
            vec!["param auditors"],
        ),
        // A module's `roleAssignments` built by `concat()` of a `var`, a `map()` lambda over a
        // parameter (its entry read once, its typo found) and an array in place, each reported
        // where written.
        (
            "corpus/iac/bicep/expressions.bicep",
            "account.params.roleAssignments[0]",
            18,
            Some(true),
            vec![],
            vec![],
        ),
        (
            "corpus/iac/bicep/expressions.bicep",
            "account.params.roleAssignments",
            28,
            Some(true),
            vec!["AZ0301"],
            vec![],
        ),
        (
            "corpus/iac/bicep/expressions.bicep",
            "account.params.roleAssignments[1]",
            41,
            Some(false),
            vec!["AZ0015"],
            vec![],
        ),
        // `map()` over items written literally: one entry per item, its parameters bound.
        (
            "corpus/iac/bicep/expressions.bicep",
            "archive.params.roleAssignments[0]",
            69,
            Some(true),
            vec![],
            vec![],
        ),
        (
            "corpus/iac/bicep/expressions.bicep",
            "archive.params.roleAssignments[1]",
            69,
            Some(false),
            vec!["AZ0002", "AZ0011", "AZ0013", "AZ0013"],
            vec![],
        ),
        // A condition file Bicep loads with `loadTextContent()`: checked and reported there.
        (
            "corpus/iac/bicep/conditions/delegation.cond",
            "delegation",
            1,
            Some(true),
            vec![],
            vec![],
        ),
        (bicep, "delegation", 18, Some(true), vec![], vec![]),
        (bicep, "reader", 28, Some(true), vec!["AZ0317"], vec![]),
        (
            bicep,
            "storage.params.roleAssignments[0]",
            44,
            Some(true),
            vec!["AZ0303"],
            vec!["param containerName"],
        ),
        // `uniqueString()` inside a string: checked around it, so its typo is found.
        (
            bicep,
            "storage.params.roleAssignments[1]",
            50,
            Some(false),
            vec!["AZ0015", "AZ0404"],
            vec![],
        ),
        (bicep, "typo", 63, Some(false), vec!["AZ0015"], vec![]),
        (
            bicep,
            "resourceId",
            74,
            Some(false),
            vec!["AZ0010", "AZ0402"],
            vec![],
        ),
        // An `existing` role definition: `.name` resolves to its GUID, `.id` is a resource id.
        (bicep, "byName", 91, Some(true), vec![], vec![]),
        (
            bicep,
            "byId",
            101,
            Some(false),
            vec!["AZ0010", "AZ0402"],
            vec![],
        ),
        // Members of object and array variables resolve; a member they lack does not.
        (
            "corpus/iac/bicep/members.bicep",
            "tagged",
            29,
            Some(true),
            vec![],
            vec!["param projectTag"],
        ),
        (
            "corpus/iac/bicep/members.bicep",
            "missing",
            40,
            None,
            vec!["AZ0402"],
            vec![],
        ),
        // A `for` loop over items written literally: one condition per item.
        (
            "corpus/iac/bicep/members.bicep",
            "perReader[0]",
            64,
            Some(true),
            vec![],
            vec![],
        ),
        (
            "corpus/iac/bicep/members.bicep",
            "perReader[1]",
            64,
            Some(false),
            vec!["AZ0002", "AZ0011", "AZ0013", "AZ0013"],
            vec![],
        ),
        // A module's `roleAssignments` built by a loop: one entry per item.
        (
            "corpus/iac/bicep/members.bicep",
            "storage.params.roleAssignments[0]",
            78,
            Some(true),
            vec![],
            vec![],
        ),
        (
            "corpus/iac/bicep/members.bicep",
            "storage.params.roleAssignments[1]",
            78,
            Some(false),
            vec!["AZ0002", "AZ0011", "AZ0013", "AZ0013"],
            vec![],
        ),
        // A loop filtered on its item's members, and one over `items()` of an object: only the
        // instances kept, numbered among all items (the second's role from the entry: AZ0311).
        (
            "corpus/iac/bicep/members.bicep",
            "perEnabledReader[0]",
            94,
            Some(true),
            vec![],
            vec![],
        ),
        (
            "corpus/iac/bicep/members.bicep",
            "perContainer[1]",
            117,
            Some(true),
            vec!["AZ0311"],
            vec![],
        ),
        // Values only a deployment knows: a joined parameter in a GUID set, a module output
        // in a string, checked around (the role, through a `var`, is known); a delete-only
        // delegation found; a whole clause not checkable.
        (
            bicep_open,
            "delegation",
            27,
            Some(true),
            vec!["AZ0404"],
            vec![],
        ),
        (
            bicep_open,
            "deleteOnly",
            39,
            Some(true),
            vec!["AZ0318", "AZ0404"],
            vec![],
        ),
        (bicep_open, "reader", 51, Some(true), vec!["AZ0404"], vec![]),
        (bicep_open, "clause", 63, None, vec!["AZ0402"], vec![]),
        // A custom role the file defines: the assignment is checked against it.
        // A condition version from a parameter; a condition left out when empty (one from a
        // parameter whose default is `null` is no condition, and not here).
        (
            "corpus/iac/bicep/optional.bicep",
            "reader",
            17,
            Some(true),
            vec![],
            vec![],
        ),
        (
            "corpus/iac/bicep/optional.bicep",
            "optional",
            28,
            None,
            vec!["AZ0402"],
            vec![],
        ),
        (
            "corpus/iac/bicep/roles.bicep",
            "deleteOnly",
            38,
            Some(true),
            vec!["AZ0318"],
            vec![],
        ),
        // A plan's condition, once, from `resource_changes`.
        // A custom role the plan creates, referenced by the assignment's configuration: the
        // assignment is checked against its planned permissions, in a module instance too.
        (
            "corpus/iac/plan/custom-role.json",
            "azurerm_role_assignment.delete_only",
            88,
            Some(true),
            vec!["AZ0318"],
            vec![],
        ),
        (
            "corpus/iac/plan/custom-role.json",
            "module.team[\"apps\"].azurerm_role_assignment.delete_only",
            182,
            Some(true),
            vec!["AZ0311"],
            vec![],
        ),
        (
            "corpus/iac/plan/plan.json",
            "azurerm_role_assignment.reader",
            24,
            Some(true),
            vec!["AZ0303"],
            vec![],
        ),
        // A state's child module, by its address.
        (
            "corpus/iac/plan/state.json",
            "module.storage.azurerm_role_assignment.this[\"reader\"]",
            17,
            Some(true),
            vec!["AZ0303"],
            vec![],
        ),
        (
            avm,
            "azapi_resource.ai_user_delegation",
            33,
            Some(true),
            vec![],
            vec![],
        ),
        // An azapi custom role: each permission block's condition.
        (
            avm,
            "azapi_resource.blob_tag_reader.body.properties.permissions[0]",
            60,
            Some(true),
            vec![],
            vec![],
        ),
        (
            avm,
            "module.storage.role_assignments[\"reader\"]",
            12,
            Some(true),
            vec![],
            vec![],
        ),
        (
            avm,
            "module.storage.role_assignments[\"writer\"]",
            18,
            Some(false),
            vec!["AZ0030", "AZ0303", "AZ0317"],
            vec![],
        ),
        // `merge()` of a local's map and the call's own: the later `writer` replaces the
        // local's, and its misspelt operator is found.
        (
            avm,
            "module.logs.role_assignments[\"reader\"]",
            77,
            Some(true),
            vec![],
            vec![],
        ),
        (
            avm,
            "module.logs.role_assignments[\"writer\"]",
            98,
            Some(false),
            vec!["AZ0015"],
            vec![],
        ),
        (
            tf,
            "azurerm_role_assignment.ai_owner_delegation",
            15,
            Some(true),
            vec![],
            vec![],
        ),
        (
            tf,
            "azurerm_role_assignment.logs_reader",
            41,
            Some(true),
            vec!["AZ0317"],
            vec!["var.container"],
        ),
        (
            tf,
            "azurerm_role_assignment.quoted",
            50,
            Some(false),
            vec!["AZ0003"],
            vec![],
        ),
        // A module output inside a string literal: checked around it (AZ0404), so the
        // missing guard is found.
        (
            tf,
            "azurerm_role_assignment.from_module",
            59,
            Some(true),
            vec!["AZ0303", "AZ0404"],
            vec![],
        ),
        (
            tf,
            "azurerm_role_assignment.typo_in_heredoc",
            68,
            Some(false),
            vec!["AZ0015"],
            vec![],
        ),
        // A role definition's resource id where a GUID belongs: an error though not checkable.
        (
            tf,
            "azurerm_role_assignment.resource_id",
            88,
            Some(false),
            vec!["AZ0010", "AZ0402"],
            vec![],
        ),
        // A principal type the azurerm provider refuses.
        (
            tf,
            "azurerm_role_assignment.lowercase_type",
            98,
            Some(false),
            vec!["AZ0031"],
            vec![],
        ),
        // `for_each` over a map or set written literally: one condition per instance, and a
        // module's `role_assignments` held in a local, read where written.
        (
            "corpus/iac/terraform/members/for_each.tf",
            "azurerm_role_assignment.reader[\"logs\"]",
            35,
            Some(true),
            vec![],
            vec![],
        ),
        (
            "corpus/iac/terraform/members/for_each.tf",
            "azurerm_role_assignment.reader[\"audit\"]",
            35,
            Some(false),
            vec!["AZ0002", "AZ0011", "AZ0013", "AZ0013"],
            vec![],
        ),
        (
            "corpus/iac/terraform/members/for_each.tf",
            "azurerm_role_assignment.by_name[\"logs\"]",
            45,
            Some(true),
            vec![],
            vec![],
        ),
        (
            "corpus/iac/terraform/members/for_each.tf",
            "azurerm_role_assignment.by_name[\"audit\"]",
            45,
            Some(true),
            vec![],
            vec![],
        ),
        // `count` over `length()` of a local, indexed by `count.index`; a map looked up by
        // `each.key`: the second instance of each reads a value with a stray quote.
        (
            "corpus/iac/terraform/members/for_each.tf",
            "azurerm_role_assignment.counted[0]",
            71,
            Some(true),
            vec![],
            vec![],
        ),
        (
            "corpus/iac/terraform/members/for_each.tf",
            "azurerm_role_assignment.counted[1]",
            71,
            Some(false),
            vec!["AZ0002", "AZ0011", "AZ0013", "AZ0013"],
            vec![],
        ),
        (
            "corpus/iac/terraform/members/for_each.tf",
            "azurerm_role_assignment.owned[\"logs\"]",
            81,
            Some(true),
            vec![],
            vec![],
        ),
        (
            "corpus/iac/terraform/members/for_each.tf",
            "azurerm_role_assignment.owned[\"audit\"]",
            81,
            Some(false),
            vec!["AZ0002", "AZ0011", "AZ0013", "AZ0013"],
            vec![],
        ),
        // A `for_each` built by a `for` expression: per element, keyed as Terraform keys it, its
        // role from the element (AZ0311); an `if` filter keeps the elements it passes.
        (
            "corpus/iac/terraform/members/for_each.tf",
            "azurerm_role_assignment.container_access[\"logs-reader\"]",
            122,
            Some(true),
            vec!["AZ0311"],
            vec![],
        ),
        (
            "corpus/iac/terraform/members/for_each.tf",
            "azurerm_role_assignment.container_access[\"audit-writer\"]",
            122,
            Some(false),
            vec!["AZ0002", "AZ0011", "AZ0013", "AZ0013"],
            vec![],
        ),
        (
            "corpus/iac/terraform/members/for_each.tf",
            "azurerm_role_assignment.per_reader[\"logs-7c1f0a55-2b1e-4d5a-9a59-6a7c0e3f2b10\"]",
            132,
            Some(true),
            vec![],
            vec![],
        ),
        (
            "corpus/iac/terraform/members/for_each.tf",
            "module.storage.role_assignments[\"reader\"]",
            23,
            Some(true),
            vec![],
            vec![],
        ),
        // A module's `role_assignments` built by a `for` expression: one entry per element.
        (
            "corpus/iac/terraform/members/for_each.tf",
            "module.logs_storage.role_assignments[\"logs\"]",
            92,
            Some(true),
            vec![],
            vec![],
        ),
        (
            "corpus/iac/terraform/members/for_each.tf",
            "module.logs_storage.role_assignments[\"audit\"]",
            92,
            Some(false),
            vec!["AZ0002", "AZ0011", "AZ0013", "AZ0013"],
            vec![],
        ),
        // Members of maps and lists in locals and variables resolve; a missing one does not.
        (
            "corpus/iac/terraform/members/main.tf",
            "azurerm_role_assignment.current_audit",
            25,
            Some(true),
            vec![],
            vec!["var.tests"],
        ),
        (
            "corpus/iac/terraform/members/main.tf",
            "azurerm_role_assignment.missing",
            35,
            None,
            vec!["AZ0402"],
            vec![],
        ),
        // Values only a deployment knows, inside one literal each: checked around them.
        (
            open,
            "azurerm_role_assignment.acr_delegation",
            27,
            Some(true),
            vec!["AZ0404"],
            vec![],
        ),
        // ... so a typo of the delegation action is found.
        (
            open,
            "azurerm_role_assignment.typo",
            41,
            Some(true),
            vec!["AZ0301", "AZ0404"],
            vec![],
        ),
        // ... and a guard without its `!`.
        (
            open,
            "azurerm_role_assignment.joined",
            55,
            Some(true),
            vec!["AZ0313", "AZ0316", "AZ0404"],
            vec![],
        ),
        // What does not depend on the values is checked: a string operator on a Boolean; the
        // date and strings left open draw nothing.
        (
            open,
            "azurerm_role_assignment.reader",
            66,
            Some(false),
            vec!["AZ0203", "AZ0404"],
            vec![],
        ),
        // A whole clause, a guard's action, an attribute's key: not checkable.
        (
            open,
            "azurerm_role_assignment.clause",
            93,
            None,
            vec!["AZ0402"],
            vec![],
        ),
        (
            open,
            "azurerm_role_assignment.guarded_action",
            102,
            None,
            vec!["AZ0402"],
            vec![],
        ),
        (
            open,
            "azurerm_role_assignment.tag_key",
            111,
            None,
            vec!["AZ0402"],
            vec![],
        ),
        // A flush-left `<<-` heredoc with values inside: read with its text intact.
        (
            open,
            "azurerm_role_assignment.flush_heredoc",
            123,
            Some(true),
            vec!["AZ0404"],
            vec![],
        ),
        // Optional conditions: `null` under a default or from `lookup()` is no condition; a
        // PIM resource's version from a variable is neither wrong nor missing, and a PIM
        // resource has no principal type to set.
        (
            "corpus/iac/terraform/optional/main.tf",
            "azurerm_role_assignment.storage[\"reader\"]",
            47,
            Some(true),
            vec![],
            vec![],
        ),
        (
            "corpus/iac/terraform/optional/main.tf",
            "azurerm_pim_eligible_role_assignment.eligible",
            56,
            Some(true),
            vec![],
            vec![],
        ),
        // Custom roles the module defines: each assignment is checked against its own role.
        (
            "corpus/iac/terraform/roles/main.tf",
            "azurerm_role_assignment.delete_only",
            48,
            Some(true),
            vec!["AZ0318", "AZ0404"],
            vec![],
        ),
        (
            "corpus/iac/terraform/roles/main.tf",
            "azurerm_role_assignment.wrong_action",
            58,
            Some(true),
            vec!["AZ0210", "AZ0311"],
            vec![],
        ),
        // A custom role whose actions only a deployment knows: not read (AZ0401).
        (
            "corpus/iac/terraform/roles/main.tf",
            "azurerm_role_assignment.unknown_role",
            77,
            Some(true),
            vec!["AZ0401"],
            vec![],
        ),
        // A built-in role looked up by a `data "azurerm_role_definition"`: checked against it.
        (
            "corpus/iac/terraform/roles/main.tf",
            "azurerm_role_assignment.looked_up",
            92,
            Some(true),
            vec!["AZ0311"],
            vec![],
        ),
        // `templatefile()` over a local list joined: the template file's condition, checked
        // and reported in the template.
        (
            "corpus/iac/terraform/template/conditions/delegation.tftpl",
            "azurerm_role_assignment.delegation",
            1,
            Some(true),
            vec![],
            vec![],
        ),
        // The template's typo, at its line and column in the template.
        (
            "corpus/iac/terraform/template/conditions/typo.tftpl",
            "azurerm_role_assignment.typo",
            1,
            Some(true),
            vec!["AZ0301"],
            vec![],
        ),
        // A `%{ for }` directive is not evaluated: not checkable.
        (
            template,
            "azurerm_role_assignment.looped",
            34,
            None,
            vec!["AZ0402"],
            vec![],
        ),
        // A variable's default passed to the template: an assumption.
        (
            "corpus/iac/terraform/template/conditions/delegation.tftpl",
            "azurerm_role_assignment.from_default",
            1,
            Some(true),
            vec![],
            vec!["var.role_ids"],
        ),
        // Role GUIDs from data sources passed to the template: checked around them, there.
        (
            "corpus/iac/terraform/template/conditions/delegation.tftpl",
            "azurerm_role_assignment.from_data",
            1,
            Some(true),
            vec!["AZ0404"],
            vec![],
        ),
        // A condition file read whole with `file()`: checked there against the resource's role,
        // and found once (not also as a `.cond` file of its own).
        (
            "corpus/iac/terraform/template/conditions/logs-reader.cond",
            "azurerm_role_assignment.from_file",
            1,
            Some(true),
            vec!["AZ0311"],
            vec![],
        ),
    ];
    assert_eq!(
        found(&["check", "--format", "json", "corpus/iac"]),
        expected
    );
}

/// A condition kept in a `templatefile()` template is reported at its line and column there.
#[test]
fn a_template_files_condition_is_reported_in_the_template() {
    let output = azabac(&["check", "--format", "json", "corpus/iac/terraform/template"]);
    let results = json(&output);
    let typo = resource(&results, "azurerm_role_assignment.typo");
    assert_eq!(
        typo["file"],
        "corpus/iac/terraform/template/conditions/typo.tftpl"
    );
    let d = &typo["diagnostics"][0];
    assert_eq!(
        (d["code"].as_str(), d["line"].as_u64(), d["column"].as_u64()),
        (Some("AZ0301"), Some(3), Some(19))
    );
    // So is a condition file read with `trimspace(file(…))`, through the trimmed blank.
    let from_file = resource(&results, "azurerm_role_assignment.from_file");
    let d = &from_file["diagnostics"][0];
    assert_eq!(
        (d["code"].as_str(), d["line"].as_u64(), d["column"].as_u64()),
        (Some("AZ0311"), Some(13), Some(19))
    );
    // A suppression comment above the resource in main.tf covers the template's condition.
    let dir = std::env::temp_dir().join(format!("azabac-iac-template-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("conditions")).unwrap();
    for file in [
        "main.tf",
        "conditions/typo.tftpl",
        "conditions/delegation.tftpl",
        "conditions/looped.tftpl",
        "conditions/logs-reader.cond",
    ] {
        std::fs::copy(
            format!("corpus/iac/terraform/template/{file}"),
            dir.join(file),
        )
        .unwrap();
    }
    let main = std::fs::read_to_string(dir.join("main.tf"))
        .unwrap()
        .replace(
            "resource \"azurerm_role_assignment\" \"typo\" {",
            "# azabac:suppress AZ0301 reviewed\nresource \"azurerm_role_assignment\" \"typo\" {",
        );
    std::fs::write(dir.join("main.tf"), main).unwrap();
    let output = azabac(&["check", "--format", "json", dir.to_str().unwrap()]);
    let results = json(&output);
    let typo = resource(&results, "azurerm_role_assignment.typo");
    assert!(
        typo["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["code"] != "AZ0301")
    );
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Diagnostics point into the host file, through HCL escapes and heredoc indentation.
/// A condition whose values only a deployment knows, each inside one literal, is checked
/// around them: JSON lists them under `open` (not `unresolved`), findings point into the file,
/// and the README's CI recipe fails on a delegation typo next to a role's GUID from a data
/// source. A value elsewhere leaves the condition `unresolved` and `"valid": null`.
#[test]
fn values_known_only_at_deployment_are_checked_around() {
    let file = "corpus/iac/terraform/open/main.tf";
    let output = azabac(&["check", "--format", "json", "--deny", "widens-access", file]);
    assert_eq!(code(&output), 1);
    let results = json(&output);
    let typo = resource(&results, "azurerm_role_assignment.typo");
    assert_eq!(
        typo["open"],
        serde_json::json!(["data.azurerm_role_definition.acr_pull.role_definition_id"])
    );
    assert!(typo.get("unresolved").is_none());
    assert_eq!(typo["valid"], false);
    let text = std::fs::read_to_string(file).unwrap();
    let found = typo["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "AZ0301")
        .unwrap();
    assert_eq!(found["severity"], "error");
    let start = found["start"].as_u64().unwrap() as usize;
    assert!(text[start..].starts_with("'Microsoft.Authorization/roleAssignments/wirte'"));
    // The correct delegation stays valid under the recipe.
    let valid = resource(&results, "azurerm_role_assignment.acr_delegation");
    assert_eq!(valid["valid"], true);
    let clause = resource(&results, "azurerm_role_assignment.clause");
    assert_eq!(
        clause["unresolved"],
        serde_json::json!(["var.write_clause"])
    );
    assert!(clause.get("open").is_none());
    assert!(clause["valid"].is_null());
}

/// The commands that need a condition's whole text (`explain`, `fmt`, `parse`, `compile`,
/// `eval`, `snapshot`) leave out a condition whose values only a deployment knows, with a
/// note naming them, instead of reading its text with the values missing (`{}` would be a
/// false error); with nothing left, that is a usage error.
/// `explain` reads a resource's condition against the role the resource assigns, as `check`
/// checks it: here a custom role the Bicep file defines, whose ungated write it points out.
#[test]
fn explain_reads_a_resources_condition_against_its_own_role() {
    let output = azabac(&["explain", "corpus/iac/bicep/roles.bicep"]);
    assert_eq!(code(&output), 0, "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.starts_with("As a condition of platform-delegation:"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "which platform-delegation grants: whoever holds the assignment can assign any role"
        ),
        "{stdout}"
    );
    // `--role` says otherwise.
    let named = azabac(&[
        "explain",
        "--role",
        "Reader",
        "corpus/iac/bicep/roles.bicep",
    ]);
    assert!(String::from_utf8_lossy(&named.stdout).starts_with("As a condition of Reader:"));
}

#[test]
fn commands_that_need_the_whole_text_leave_out_unknown_values() {
    let open = "corpus/iac/terraform/open/main.tf";
    for args in [
        vec!["explain", "-f", open],
        vec!["parse", "-f", open],
        vec!["fmt", "--check", open],
    ] {
        let output = azabac(&args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(code(&output), 2, "{args:?}: {stderr}");
        assert!(stderr.contains("known only at deployment"), "{stderr}");
        assert!(!stderr.contains("AZ0021"), "{stderr}");
    }
    // Beside conditions that can be read, those are read and the others left out.
    let output = azabac(&["parse", "-f", "corpus/iac/terraform/delegation/main.tf"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("from_module: left out: the condition depends on module.naming.container"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("ai_owner_delegation"));
}

#[test]
fn diagnostics_point_at_the_host_files_line_and_column() {
    let output = azabac(&[
        "check",
        "--format",
        "json",
        "corpus/iac/terraform/delegation",
    ]);
    let results = json(&output);
    let at = |name: &str, code: &str| -> (u64, u64) {
        let result = resource(&results, name);
        let d = result["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == code)
            .unwrap();
        (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap())
    };
    // `StringEqual` on line 75, column 81 of the file, inside a `<<-EOT` heredoc.
    assert_eq!(
        at("azurerm_role_assignment.typo_in_heredoc", "AZ0015"),
        (75, 81)
    );
    // `\"logs\"` inside a quoted HCL string: the double-quoted literal starts at the `\"`.
    let line = std::fs::read_to_string("corpus/iac/terraform/delegation/main.tf").unwrap();
    let quoted_line = line.lines().nth(49).unwrap();
    let column = quoted_line.find("\\\"logs").unwrap() as u64 + 1;
    assert_eq!(at("azurerm_role_assignment.quoted", "AZ0003"), (50, column));
}

/// ARM expressions map back through `''`, `{{` and the JSON string's escapes.
#[test]
fn arm_expressions_point_through_their_escapes() {
    let output = azabac(&[
        "check",
        "--format",
        "json",
        "corpus/iac/arm/storage-delegation.json",
    ]);
    let results = json(&output);
    let typo = &results[2];
    let text = std::fs::read_to_string("corpus/iac/arm/storage-delegation.json").unwrap();
    let column = text.lines().nth(40).unwrap().find("StringEqual ").unwrap() as u64 + 1;
    assert_eq!(typo["diagnostics"][0]["code"], "AZ0015");
    assert_eq!(typo["diagnostics"][0]["line"], 41);
    assert_eq!(typo["diagnostics"][0]["column"], column);
}

/// Bicep strings map back through `\'` escapes.
#[test]
fn bicep_diagnostics_point_through_escapes() {
    let output = azabac(&["check", "--format", "json", "corpus/iac/bicep/main.bicep"]);
    let results = json(&output);
    let typo = resource(&results, "typo");
    let text = std::fs::read_to_string("corpus/iac/bicep/main.bicep").unwrap();
    let column = text.lines().nth(62).unwrap().find("StringEqual ").unwrap() as u64 + 1;
    assert_eq!(typo["diagnostics"][0]["line"], 63);
    assert_eq!(typo["diagnostics"][0]["column"], column);
    assert_eq!(typo["host"], "bicep");
}

/// What a walk skips: `.terraform/`, `node_modules/`, hidden directories, JSON files that
/// hold no conditions; a run that finds none exits 2 unless `--allow-empty`. A file named
/// explicitly is read whatever the walk would do with it.
#[test]
fn a_walk_skips_what_users_expect_and_an_empty_run_is_an_error() {
    let output = azabac(&["check", "corpus/iac/other"]);
    assert_eq!(code(&output), 2);
    assert!(String::from_utf8_lossy(&output.stderr).contains("no condition found"));
    assert_eq!(
        code(&azabac(&["check", "--allow-empty", "corpus/iac/other"])),
        0
    );

    let named = azabac(&[
        "check",
        "--format",
        "json",
        "corpus/iac/other/node_modules/pkg/roles.json",
    ]);
    assert_eq!(
        code(&named),
        1,
        "read because it is named: and it is no condition"
    );

    let excluded = found(&[
        "check",
        "--format",
        "json",
        "--exclude",
        "plan",
        "--exclude",
        "*.tf",
        "--exclude",
        "bicep/",
        "corpus/iac",
    ]);
    // Without the Terraform file that reads it, a condition file is read on its own.
    assert!(
        excluded
            .iter()
            .all(|f| (f.0.ends_with(".json") && !f.0.contains("plan"))
                || (f.0.ends_with("logs-reader.cond") && f.1.is_empty())),
        "{excluded:?}"
    );
    assert!(excluded.iter().any(|f| f.0.ends_with("logs-reader.cond")));

    // Only conditions that cannot be read offline: exit 2 as well, saying so.
    let dir = std::env::temp_dir().join(format!("azabac-iac-unresolved-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("main.tf"),
        "resource \"azurerm_role_assignment\" \"a\" {\n  principal_type = \"User\"\n  condition = module.conditions.reader\n}\n",
    )
    .unwrap();
    let output = azabac(&["check", dir.to_str().unwrap()]);
    assert_eq!(code(&output), 2);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("1 condition found, none checkable offline"),
        "{stderr}"
    );
    assert_eq!(
        code(&azabac(&["check", "--allow-empty", dir.to_str().unwrap()])),
        0
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Decision 31 (issue 30): a host file the readers cannot follow is a result of its own, an
/// AZ0405 error at its line and column, in every format; every other file is still checked;
/// the run exits 1. A file that cannot be opened stays a usage error (exit 2).
#[test]
fn a_file_the_readers_cannot_follow_is_an_error_of_its_own_and_the_others_are_checked() {
    let dir = std::env::temp_dir().join(format!("azabac-iac-unread-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("module")).unwrap();
    let condition = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'";
    std::fs::write(
        dir.join("a-broken.bicep"),
        "resource ra 'Microsoft.Authorization/roleAssignments@2022-04-01' = {\n  properties: {\n    condition: 'abc\n  }\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("b-good.bicep"),
        format!("resource ra 'Microsoft.Authorization/roleAssignments@2022-04-01' = {{\n  properties: {{\n    principalType: 'User'\n    condition: '{}'\n  }}\n}}\n", condition.replace('\'', "\\'")),
    )
    .unwrap();
    std::fs::write(dir.join("c-broken.json"), "{\"condition\": \"x\",\n}\n").unwrap();
    std::fs::write(dir.join("module/broken.tf"), "locals {\n  a = \n").unwrap();
    std::fs::write(
        dir.join("module/main.tf"),
        format!("resource \"azurerm_role_assignment\" \"a\" {{\n  principal_type = \"User\"\n  condition = \"{condition}\"\n}}\n"),
    )
    .unwrap();
    let root = dir.to_str().unwrap();
    let output = azabac(&["check", "--format", "json", root]);
    assert_eq!(code(&output), 1);
    let results = json(&output);
    let results = results.as_array().unwrap();
    let unread: Vec<(String, u64, u64, &str)> = results
        .iter()
        .filter(|r| r["diagnostics"][0]["code"] == "AZ0405")
        .map(|r| {
            assert_eq!(r["valid"], false, "{r}");
            assert_eq!(r["input"], r["file"], "{r}");
            (
                r["file"]
                    .as_str()
                    .unwrap()
                    .strip_prefix(root)
                    .unwrap()
                    .to_owned(),
                r["line"].as_u64().unwrap(),
                r["column"].as_u64().unwrap(),
                r["diagnostics"][0]["severity"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        unread,
        [
            ("/a-broken.bicep".to_owned(), 3, 20, "error"),
            ("/c-broken.json".to_owned(), 2, 1, "error"),
            ("/module/broken.tf".to_owned(), 2, 7, "error"),
        ]
    );
    // The good files are checked, the Terraform one without its broken neighbour.
    let valid: Vec<&str> = results
        .iter()
        .filter(|r| r["valid"] == true)
        .map(|r| r["resource"].as_str().unwrap())
        .collect();
    assert_eq!(valid, ["ra", "azurerm_role_assignment.a"]);

    let summary = azabac(&["check", "--format", "summary", root]);
    assert_eq!(code(&summary), 1);
    let stdout = String::from_utf8_lossy(&summary.stdout);
    assert!(
        stdout.contains("checked 2 conditions: 2 valid, 0 invalid, 3 files not read (3 errors"),
        "{stdout}"
    );
    assert!(
        stdout.contains("a-broken.bicep:3:20: AZ0405 not Bicep azabac can read: a string without its closing `'`"),
        "{stdout}"
    );
    let human = azabac(&["check", root]);
    let stdout = String::from_utf8_lossy(&human.stdout);
    assert!(
        stdout.contains("a-broken.bicep: not read (1 error)"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("InvalidRoleAssignmentCondition"),
        "{stdout}"
    );
    let github = azabac(&["check", "--format", "github", root]);
    assert!(
        String::from_utf8_lossy(&github.stdout).contains("a-broken.bicep,line=3,col=20,"),
        "{}",
        String::from_utf8_lossy(&github.stdout)
    );
    let sarif = json(&azabac(&["check", "--format", "sarif", root]));
    let rules = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(rules.iter().filter(|r| r["ruleId"] == "AZ0405").count(), 3);

    // Commands that need a condition's whole text name the file they cannot read.
    let explain = azabac(&[
        "explain",
        "-f",
        dir.join("a-broken.bicep").to_str().unwrap(),
    ]);
    assert_eq!(code(&explain), 1);
    assert!(String::from_utf8_lossy(&explain.stderr).contains("a-broken.bicep:3:20:"));

    // A file that cannot be opened: a usage error, as before.
    let missing = dir.join("missing.bicep");
    std::fs::write(&missing, "").unwrap();
    std::fs::remove_file(&missing).unwrap();
    let output = azabac(&["check", "-f", missing.to_str().unwrap()]);
    assert_eq!(code(&output), 2);
    std::fs::remove_dir_all(&dir).unwrap();
}
