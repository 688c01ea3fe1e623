//! Unit tests of the reader's private parts.

use super::assignments::loaded_file;
use super::*;
use syntax::Parser;

/// `text` parsed as one expression.
fn expression(text: &str) -> Expr {
    Parser { text, at: 0 }.expression(0).unwrap()
}

/// A stray `)` or `}` in an array, or a `'''` that never ends where a declaration looks
/// for its `=` or in a value, ends the read (found by the property soups; each read nothing
/// forever): a value that is not Bicep is an error of the file.
#[test]
fn a_stray_closer_in_an_array_ends_the_read() {
    for text in [
        "var x = [ ) ]",
        "var y = [ } ]",
        "module m 'x' = { params: { a: [ ) ] } }",
    ] {
        assert!(conditions(text).is_err(), "{text}");
    }
    assert!(conditions("var m'''\nvar n = 'x'").unwrap().is_empty());
    assert!(conditions("var m=('''").is_err());
}

/// `var`s that `concat()` themselves (which Bicep refuses), or each other twice over, end: a
/// cycle and a doubling chain lead through more expressions than the bound, and the file is
/// refused rather than read in part.
#[test]
fn role_assignment_expressions_end_on_cycles_and_doubling() {
    let mut text = String::from(
        "var entry = [ { condition: '@Resource[a:b] StringEquals \\'x\\'' } ]\n\
         var cycle = concat(cycle, entry)\nvar v0 = concat(entry, entry)\n",
    );
    for i in 1..40 {
        text.push_str(&format!("var v{i} = concat(v{j}, v{j})\n", j = i - 1));
    }
    text.push_str(
        "module m 'x' = {\n  params: {\n    roleAssignments: union(cycle, v39)\n  }\n}\n",
    );
    let error = conditions(&text).unwrap_err();
    assert!(
        matches!(
            error.problem,
            crate::input::error::Problem::Budget {
                budget: crate::input::error::Budget::Steps(_),
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn strings_decode_with_their_offsets_and_references_resolve() {
    let text = "param p string = 'x'\nvar v = 'y'\n\
        resource r 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (deploy) {\n\
          properties: {\n\
            principalType: 'User'\n\
            condition: 'a \\'b\\' \\\\ \\$ ${v} ${p} \\u{41}'\n\
          }\n\
        }\n";
    let found = conditions(text).unwrap();
    let [found] = found.as_slice() else {
        panic!("{found:?}")
    };
    assert_eq!(found.embedded.text, "a 'b' \\ $ y x A");
    assert_eq!(found.place.assumed, ["param p"]);
    assert_eq!(found.place.resource, "r");
    // `'b'` maps to the `\\'` that wrote its quote.
    let at = found.embedded.document_offset(2);
    assert_eq!(&text[at..at + 2], "\\'");
}

#[test]
fn other_resources_loops_and_unknown_values_are_handled() {
    let text = "resource s 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  properties: {\n    condition: 'not ABAC'\n  }\n}\n\
        resource r 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for i in range(0, 2): {\n  properties: { condition: 'c' }\n}]\n\
        resource u 'Microsoft.Authorization/roleAssignments@2022-04-01' = {\n  properties: {\n    condition: '${concat('a', 'b')}'\n  }\n}\n";
    let found = conditions(text).unwrap();
    // The loop over `range()` is read once: its literal condition is the same for every
    // instance.
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].place.resource, "r");
    assert_eq!(found[0].embedded.text, "c");
    assert_eq!(found[1].place.resource, "u");
    assert!(!found[1].place.unresolved.is_empty());
}

#[test]
fn a_loop_over_items_written_literally_is_read_per_instance() {
    let text = "param readers array = [\n  { id: 'a', container: 'logs' }\n  { id: 'b', container: 'audit' }\n]\n\
        resource r 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (reader, i) in readers: {\n\
          name: guid(reader.id)\n\
          properties: {\n\
            principalType: 'User'\n\
            condition: '${reader.container} ${i}'\n\
          }\n\
        }]\n\
        resource f 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for reader in readers: if (deploy) {\n\
          properties: { condition: '${reader.container}' }\n\
        }]\n";
    let found = conditions(text).unwrap();
    let read: Vec<(&str, &str, &[String], &[String])> = found
        .iter()
        .map(|f| {
            (
                f.place.resource.as_str(),
                f.embedded.text.as_str(),
                f.place.assumed.as_slice(),
                f.place.unresolved.as_slice(),
            )
        })
        .collect();
    let assumed = ["param readers".to_owned()];
    let unresolved = ["reader.container".to_owned()];
    assert_eq!(
        read,
        [
            ("r[0]", "logs 0", &assumed[..], &[][..]),
            ("r[1]", "audit 1", &assumed[..], &[][..]),
            // A filter on something other than the item's members: read once.
            ("f", "", &[][..], &unresolved[..]),
        ]
    );
}

/// A filter on the item's members written literally is decided per item; instances keep
/// their index among all items.
#[test]
fn a_filter_on_the_items_members_is_decided_per_item() {
    let read = |filter: &str| {
        let text = format!(
            "var readers = [\n  {{ on: true, c: 'logs' }}\n  {{ on: false, c: 'audit' }}\n]\n\
             var roles = {{\n  zeta: {{ on: false }}\n  alpha: {{ on: true }}\n}}\n\
             resource r 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (x, i) in {filter} {{\n\
               properties: {{ principalType: 'User', condition: '${{i}}' }}\n\
             }}]\n"
        );
        conditions(&text)
            .unwrap()
            .into_iter()
            .map(|f| format!("{} {}", f.place.resource, f.embedded.text))
            .collect::<Vec<_>>()
    };
    assert_eq!(read("readers: if (x.on)"), ["r[0] 0"]);
    assert_eq!(read("readers: if (!x.on)"), ["r[1] 1"]);
    assert_eq!(read("readers: if (x.c != 'logs')"), ["r[1] 1"]);
    assert_eq!(read("readers: if ((x.c == 'logs') )"), ["r[0] 0"]);
    // `items()` of an object: its entries in key order.
    assert_eq!(read("items(roles): if (x.value.on)"), ["r[0] 0"]);
    // Not decided offline (a parameter, a missing member, a function, a type mismatch):
    // read once.
    for filter in [
        "readers: if (deploy)",
        "readers: if (x.missing)",
        "readers: if (contains(x.c, 'l'))",
        "readers: if (x.on == 'true')",
    ] {
        assert_eq!(read(filter), ["r "], "{filter}");
    }
}

#[test]
fn members_of_objects_and_arrays_written_literally_resolve() {
    let text = "param keys object = { tag: 'project' }\n\
        var kinds = { blob: 'Microsoft.Storage/storageAccounts/blobServices/containers' }\n\
        var names = [ 'logs', 'audit' ]\n\
        resource r 'Microsoft.Authorization/roleAssignments@2022-04-01' = {\n\
          properties: {\n\
            principalType: 'User'\n\
            condition: '${kinds.blob} ${kinds['blob']} ${names[1]} ${keys.tag} ${kinds.other} ${names[2]}'\n\
          }\n\
        }\n";
    let found = conditions(text).unwrap();
    let [found] = found.as_slice() else {
        panic!("{found:?}")
    };
    let kind = "Microsoft.Storage/storageAccounts/blobServices/containers";
    assert_eq!(
        found.embedded.text,
        format!("{kind} {kind} audit project  ")
    );
    assert_eq!(found.place.assumed, ["param keys"]);
    assert_eq!(found.place.unresolved, ["kinds.other", "names[2]"]);
}

#[test]
fn an_unterminated_string_is_an_error_with_its_offset() {
    let error = conditions("var v = 'open\n").unwrap_err();
    assert_eq!(error.offset, 13);
}

/// `loadTextContent('path')` (with an encoding, or under `trim()`) is the loaded file's text,
/// mapped into that file; without the file, or with a path azabac does not follow, the
/// condition is not checkable.
#[test]
fn a_condition_loaded_from_a_file_is_that_files_text() {
    assert_eq!(
        loaded_file(&expression("loadTextContent('c.cond')")),
        Some(("c.cond".to_owned(), false))
    );
    assert_eq!(
        loaded_file(&expression(
            "trim(\n  loadTextContent('a/c.cond', 'utf-8')\n)"
        )),
        Some(("a/c.cond".to_owned(), true))
    );
    for other in [
        "loadTextContent(path)",
        "loadTextContent('${p}.cond')",
        "loadTextContent('c.cond', x)",
        "loadFileAsBase64('c.cond')",
        "loadTextContent('c\\\\d.cond')",
    ] {
        assert_eq!(loaded_file(&expression(other)), None, "{other}");
    }
    let text = "resource r 'Microsoft.Authorization/roleAssignments@2022-04-01' = {\n\
                properties: { principalType: 'User', condition: trim(loadTextContent('c.cond')) }\n}\n";
    let load = |path: &str| (path == "c.cond").then(|| "\n  a OR b \n".to_owned());
    let found = conditions_with_files(text, &load).unwrap();
    let [found] = found.as_slice() else {
        panic!("{found:?}")
    };
    assert_eq!(found.embedded.text, "a OR b");
    assert_eq!(found.template.as_ref().unwrap().path, "c.cond");
    // `b` is at byte 8 of the file.
    assert_eq!(found.embedded.document_offset(5), 8);
    // Without the file: not checkable.
    let found = conditions(text).unwrap();
    assert!(!found[0].place.unresolved.is_empty());
}

/// `null` (written, a `var`, a `param` default) is no condition at all; a nullable `param`
/// without a default is a value only a deployment knows.
#[test]
fn null_is_no_condition() {
    let text = "param none string? = null\nparam given string?\nvar alsoNone = none\n\
                resource a 'Microsoft.Authorization/roleAssignments@2022-04-01' = { properties: { condition: null } }\n\
                resource b 'Microsoft.Authorization/roleAssignments@2022-04-01' = { properties: { condition: alsoNone } }\n\
                resource c 'Microsoft.Authorization/roleAssignments@2022-04-01' = { properties: { condition: given } }\n";
    let found = conditions(text).unwrap();
    let resources: Vec<&str> = found.iter().map(|f| f.place.resource.as_str()).collect();
    assert_eq!(resources, ["c"]);
    assert!(!found[0].place.unresolved.is_empty());
}

/// Spreads are read through where the file writes the object they spread (a later entry
/// replaces an earlier one); a spread only a deployment knows may replace what comes before
/// it (read on that assumption, stated) and may hold what the object lacks (not checkable).
#[test]
fn spreads_of_objects_written_here_are_read_through() {
    let text = "param given object\n\
        var base = { principalType: 'User' }\n\
        var withCondition = { condition: 'from var' }\n\
        resource a 'Microsoft.Authorization/roleAssignments@2022-04-01' = { properties: { ...base, condition: 'a' } }\n\
        resource b 'Microsoft.Authorization/roleAssignments@2022-04-01' = { properties: { condition: 'early', ...withCondition } }\n\
        resource c 'Microsoft.Authorization/roleAssignments@2022-04-01' = { properties: { condition: 'c', ...given } }\n\
        resource d 'Microsoft.Authorization/roleAssignments@2022-04-01' = { properties: { ...base } }\n\
        resource e 'Microsoft.Authorization/roleAssignments@2022-04-01' = { properties: { ...given } }\n";
    let found = conditions(text).unwrap();
    type Read<'f> = (&'f str, &'f str, &'f [String], &'f [String], bool);
    let read: Vec<Read<'_>> = found
        .iter()
        .map(|f| {
            (
                f.place.resource.as_str(),
                f.embedded.text.as_str(),
                f.place.unresolved.as_slice(),
                f.place.assumed.as_slice(),
                f.place.facts.as_ref().unwrap().principal_type,
            )
        })
        .collect();
    let spread = ["...given".to_owned()];
    let replaced = ["...given does not replace `condition`".to_owned()];
    assert_eq!(
        read,
        [
            ("a", "a", &[][..], &[][..], true),
            ("b", "from var", &[][..], &[][..], false),
            ("c", "c", &[][..], &replaced[..], true),
            ("e", "", &spread[..], &[][..], true),
        ]
    );
}

/// `.?`, `[?n]` and `??` over a parameter's default: the value they come to is an assumption.
#[test]
fn safe_members_and_coalescing_keep_their_assumptions() {
    let text = "param settings object = {}\nparam list array = []\n\
        resource a 'Microsoft.Authorization/roleAssignments@2022-04-01' = { properties: { condition: settings.?condition ?? 'fallback' } }\n\
        resource b 'Microsoft.Authorization/roleAssignments@2022-04-01' = { properties: { condition: list[?3] ?? 'other' } }\n\
        resource c 'Microsoft.Authorization/roleAssignments@2022-04-01' = { properties: { condition: settings.?condition } }\n";
    let found = conditions(text).unwrap();
    let read: Vec<(&str, &str, &[String])> = found
        .iter()
        .map(|f| {
            (
                f.place.resource.as_str(),
                f.embedded.text.as_str(),
                f.place.assumed.as_slice(),
            )
        })
        .collect();
    let settings = ["param settings".to_owned()];
    let list = ["param list".to_owned()];
    // `c` comes to `null` under the default: no condition.
    assert_eq!(
        read,
        [("a", "fallback", &settings[..]), ("b", "other", &list[..])]
    );
}

/// A declaration's line comment is no part of it: `param p string // e.g. = 'x'` has no
/// default.
#[test]
fn a_comment_on_a_declarations_line_is_not_its_value() {
    let text = "param container string // e.g. = 'logs'\n\
        param other /* the kind */ string = 'audit'\n\
        resource a 'Microsoft.Authorization/roleAssignments@2022-04-01' = { properties: { condition: '${container} ${other}' } }\n";
    let found = conditions(text).unwrap();
    assert_eq!(found[0].embedded.text, " audit");
    assert_eq!(found[0].place.unresolved, ["container"]);
}

/// Objects nest as deep as the limit says, once per level; an escape Bicep does not have is
/// an error.
#[test]
fn nesting_counts_once_per_level_and_unknown_escapes_are_refused() {
    let nested = |levels: usize| {
        format!(
            "var x = {}1{}\n",
            "{ a: ".repeat(levels),
            " }".repeat(levels)
        )
    };
    assert!(conditions(&nested(63)).is_ok());
    assert!(conditions(&nested(70)).is_err());
    let error = conditions("var x = 'a\\qb'\n").unwrap_err();
    assert_eq!(error.offset, 10);
}

/// A loop's item, or a lambda's parameter, shadows a `var` of its name, also when the loop is
/// read once (its items not known): never the `var`'s value.
#[test]
fn a_loop_item_shadows_a_var_of_its_name() {
    let text = "param containers array\nvar container = 'logs'\n\
        resource r 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for container in containers: {\n\
          properties: { principalType: 'User', condition: 'x ${container}' }\n}]\n";
    let found = conditions(text).unwrap();
    assert_eq!(found[0].embedded.text, "x ");
    assert_eq!(found[0].place.unresolved, ["container"]);
}

/// Bicep's own layouts: `=` with the value on the next line (`if (…)` too), a ternary decided
/// by `&&` and `||` of literals; what follows a declaration's value on its line is an error.
#[test]
fn declarations_read_as_bicep_lays_them_out() {
    let text = "param deploy bool = true\n\
        resource r 'Microsoft.Authorization/roleAssignments@2022-04-01' =\n  if (deploy) {\n\
          properties: { principalType: 'User', condition: deploy && !false || false ? 'a' : 'b' }\n}\n";
    let found = conditions(text).unwrap();
    assert_eq!(found[0].embedded.text, "a");
    assert_eq!(found[0].place.assumed, ["param deploy"]);
    // What follows a declaration's value on its line is a construct not followed: that
    // declaration is passed over, what reads it named with why, the rest read.
    let text = "var good = 'x'\nvar c2 = good garbage here\n\
        resource r 'Microsoft.Authorization/roleAssignments@2022-04-01' = {\n\
          properties: { principalType: 'User', condition: c2 }\n}\n\
        resource s 'Microsoft.Authorization/roleAssignments@2022-04-01' = {\n\
          properties: { principalType: 'User', condition: good }\n}\n";
    let found = conditions(text).unwrap();
    assert_eq!(
        found[0].place.unresolved,
        [
            "c2 (a construct azabac does not follow at line 2: expected the end of the line after \
          a declaration's value)"
        ]
    );
    assert_eq!(found[1].embedded.text, "x");
    // Brackets that do not pair, which Bicep refuses, are the file's error.
    assert!(conditions("var good = 'x'\nvar c2 = good ) here\n").is_err());
}

/// A role assignment's `properties` (or a module entry) held in a `var` is read there; one only
/// a deployment knows (a parameter, a spread of one) is a condition not checkable offline,
/// never a role assignment passed over.
#[test]
fn properties_held_elsewhere_are_read_or_named() {
    let text = "param given object\nparam body object\n\
        var props = { principalType: 'User', condition: 'from var' }\n\
        resource a 'Microsoft.Authorization/roleAssignments@2022-04-01' = { properties: props }\n\
        resource b 'Microsoft.Authorization/roleAssignments@2022-04-01' = { properties: given }\n\
        resource c 'Microsoft.Authorization/roleAssignments@2022-04-01' = { ...body }\n\
        module m 'x' = { params: { roleAssignments: [ props ] } }\n";
    let found = conditions(text).unwrap();
    let read: Vec<(&str, &str, &[String])> = found
        .iter()
        .map(|f| {
            (
                f.place.resource.as_str(),
                f.embedded.text.as_str(),
                f.place.unresolved.as_slice(),
            )
        })
        .collect();
    let given = ["given".to_owned()];
    let body = ["...body".to_owned()];
    assert_eq!(
        read,
        [
            ("a", "from var", &[][..]),
            ("b", "", &given[..]),
            ("c", "", &body[..]),
            ("m.params.roleAssignments[0]", "from var", &[][..]),
        ]
    );
}

/// Values read through the shared value layer: an AVM module's `roleAssignments` held in a
/// `param`'s default (an assumption) or a member of a `var`, properties built by `union()`
/// (objects merged deeply) or `coalesce()`, and a loop over `concat()` of arrays.
#[test]
fn module_entries_and_properties_are_read_through_params_members_and_functions() {
    let text = "param ras array = [ { principalId: 'p', roleDefinitionIdOrName: 'Reader', condition: 'from param' } ]\n\
        var config = { nested: { ras: [ { principalId: 'q', roleDefinitionIdOrName: 'Reader', condition: 'from member' } ] } }\n\
        var base = { principalType: 'User', condition: 'replaced' }\n\
        var more = [ 'x' ]\n\
        module a 'br/public:avm/res/storage/storage-account:0.9.0' = { params: { roleAssignments: ras } }\n\
        module b './m.bicep' = { params: { roleAssignments: config.nested.ras } }\n\
        resource c 'Microsoft.Authorization/roleAssignments@2022-04-01' = { properties: union(base, { condition: 'from union' }) }\n\
        resource d 'Microsoft.Authorization/roleAssignments@2022-04-01' = { properties: { principalType: 'User', condition: coalesce(null, 'from coalesce') } }\n\
        resource e 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for name in concat(more, [ 'y' ]): { properties: { principalType: 'User', condition: name } }]\n";
    let found = conditions(text).unwrap();
    let read: Vec<(&str, &str, &[String])> = found
        .iter()
        .map(|f| {
            (
                f.place.resource.as_str(),
                f.embedded.text.as_str(),
                f.place.assumed.as_slice(),
            )
        })
        .collect();
    let param = ["param ras".to_owned()];
    assert_eq!(
        read,
        [
            ("a.params.roleAssignments[0]", "from param", &param[..]),
            ("b.params.roleAssignments[0]", "from member", &[][..]),
            ("c", "from union", &[][..]),
            ("d", "from coalesce", &[][..]),
            ("e[0]", "x", &[][..]),
            ("e[1]", "y", &[][..]),
        ]
    );
}

/// A loop's index is an integer (it indexes an array); entries a module's `roleAssignments`
/// takes from a call azabac does not follow are one entry not checkable, never none; names
/// whose ternaries read each other end (they once overflowed the stack).
#[test]
fn loop_indexes_unknown_entries_and_cycles() {
    let text = "var props = [ { principalType: 'User', condition: 'from index' } ]\n\
        param base array\n\
        var a = b ? 'x' : 'y'\n\
        var b = a ? true : false\n\
        resource r 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (p, i) in props: { properties: props[i] }]\n\
        module m 'x.bicep' = { params: { roleAssignments: filter(base, x => true) } }\n\
        resource c 'Microsoft.Authorization/roleAssignments@2022-04-01' = { properties: { principalType: 'User', condition: a } }\n";
    let found = conditions(text).unwrap();
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
            ("r[0]", "from index", 0),
            ("m.params.roleAssignments", "", 1),
            ("c", "", 1),
        ]
    );
}

/// `roleAssignments` by its value (`ra ?? []` of a default, a member only a deployment knows),
/// and a loop over a default `[]` read once, never hidden by the default.
#[test]
fn entries_by_value_and_loops_empty_by_default() {
    let text = "param ra array = [ { principalType: 'User', condition: 'from default' } ]\n\
        param config object\nparam none array = []\n\
        module a 'x.bicep' = { params: { roleAssignments: ra ?? [] } }\n\
        module b 'x.bicep' = { params: { roleAssignments: config.ra } }\n\
        resource r 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for n in none: { properties: { principalType: 'User', condition: 'from loop' } }]\n";
    let found = conditions(text).unwrap();
    let read: Vec<(&str, &str)> = found
        .iter()
        .map(|f| (f.place.resource.as_str(), f.embedded.text.as_str()))
        .collect();
    let expected = [
        ("a.params.roleAssignments[0]", "from default"),
        ("b.params.roleAssignments", ""),
        ("r", "from loop"),
    ];
    assert_eq!(read, expected);
}
