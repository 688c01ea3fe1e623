//! ARM expressions against what `bicep build` and people write.

use super::*;

/// A fresh budget, as a template has.
fn meter() -> crate::input::meter::Meter {
    crate::input::meter::Meter::new(crate::limits::ARM_MAX_STEPS)
}
use serde_json::json;

#[test]
fn evaluates_what_is_literal_and_names_what_is_not() {
    let template = json!({
        "parameters": {"d": {"type": "string", "defaultValue": "x"}, "n": {"type": "string"}},
        "variables": {"v": "[concat('a', parameters('d'))]", "w": "lit"}
    });
    let e = evaluate(
        "[concat(variables('v'), '-', variables('w'))]",
        &template,
        &meter(),
    )
    .unwrap();
    assert_eq!(e.text, "ax-lit");
    assert_eq!(e.assumed, ["parameters('d')"]);
    let e = evaluate("[format('{0}', parameters('n'))]", &template, &meter()).unwrap();
    assert_eq!(e.unresolved, ["`parameters('n')`"]);
    let e = evaluate("[reference('x').outputs.c.value]", &template, &meter()).unwrap();
    assert!(!e.unresolved.is_empty());
    assert_eq!(evaluate("[[not an expression]", &template, &meter()), None);
    assert_eq!(evaluate("plain", &template, &meter()), None);
}

#[test]
fn members_of_parameters_and_variables_written_literally_resolve() {
    let template = json!({
        "parameters": {"p": {"type": "object", "defaultValue": {"tag": "project"}}},
        "variables": {
            "guards": {"read": "[format('!(ActionMatches{{''{0}''}})', variables('kind'))]"},
            "kind": "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
            "names": ["logs", "audit"]
        }
    });
    let e = evaluate(
        "[format('{0} {1} {2}', variables('guards').read, variables('names')[1], parameters('p')['tag'])]",
        &template, &meter())
    .unwrap();
    assert_eq!(
        e.text,
        "!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'}) audit project"
    );
    assert_eq!(e.assumed, ["parameters('p')"]);
    assert!(e.unresolved.is_empty(), "{e:?}");
    // A member the value lacks, an index by expression, and a non-string stay unknown.
    for text in [
        "[variables('guards').write]",
        "[variables('names')[copyIndex()]]",
        "[variables('names')[5]]",
        "[variables('guards')]",
    ] {
        let e = evaluate(text, &template, &meter()).unwrap();
        assert!(!e.unresolved.is_empty(), "{text}: {e:?}");
    }
}

#[test]
fn copy_loops_count_what_is_written_and_index_it() {
    let template = json!({
        "parameters": {"p": {"type": "array", "defaultValue": ["x"]}},
        "variables": {"names": ["logs", "audit"], "m": {"a": 1}}
    });
    let count = |copy: serde_json::Value| copy_count(&json!({"copy": copy}), &template, &meter());
    assert_eq!(count(json!({"count": 3})), Some((3, vec![])));
    assert_eq!(
        count(json!({"count": "[length(variables('names'))]"})),
        Some((2, vec![]))
    );
    assert_eq!(
        count(json!({"count": "[length(variables('m'))]"})),
        Some((1, vec![]))
    );
    assert_eq!(
        count(json!({"count": "[length(parameters('p'))]"})),
        Some((1, vec!["parameters('p')".to_owned()]))
    );
    assert_eq!(count(json!({"count": "[parameters('n')]"})), None);
    let e = evaluate_at(
        "[format('{0}-{1}', variables('names')[copyIndex()], copyIndex(1))]",
        &template,
        Some(1),
    )
    .unwrap();
    assert_eq!(e.text, "audit-2");
    // Outside a loop's instance, `copyIndex()` is not known.
    let e = evaluate("[variables('names')[copyIndex()]]", &template, &meter()).unwrap();
    assert!(!e.unresolved.is_empty());
}

/// A variable whose value names itself (or a cycle of them) is read to [`MAX_DEPTH`] and
/// no deeper (the `arm` fuzz target found the stack overflow).
#[test]
fn a_variable_that_names_itself_ends() {
    let template =
        json!({"variables": {"a": "[variables('b')]", "b": "[concat(variables('a'), 'x')]"}});
    let evaluated = evaluate("[variables('a')]", &template, &meter()).unwrap();
    assert!(!evaluated.unresolved.is_empty(), "{evaluated:?}");
}

/// An index that is itself a call with an index, nested without end, is read to
/// [`MAX_DEPTH`] and no deeper (the `arm` fuzz target found the stack overflow).
#[test]
fn indexes_nest_no_deeper_than_calls() {
    let template = json!({"parameters": {"x": {"type": "array", "defaultValue": [1]}}});
    let mut text = String::from("[");
    for _ in 0..10_000 {
        text.push_str("parameters('x')[copyIndex(");
    }
    text.push(']');
    let evaluated = evaluate_at(&text, &template, Some(0)).unwrap();
    assert!(!evaluated.unresolved.is_empty());
}

/// `bicep build` writes these for a module's role assignments in a `copy` loop (issue 30):
/// the argument loop once pushed an argument for a `]` it never consumed, until memory ran
/// out. Each is read at once, as an expression not followed.
#[test]
fn a_loop_over_module_role_assignments_is_read_at_once() {
    let template =
        json!({"parameters": {"roleAssignments": {"type": "array", "defaultValue": []}}});
    for text in [
        "[tryGet(parameters('roleAssignments')[copyIndex()], 'condition')]",
        "[if(not(equals(tryGet(parameters('roleAssignments')[copyIndex()], 'condition'), null())), '2.0', null())]",
        "[f(])]",
        "[f(a, ])]",
    ] {
        let evaluated = evaluate(text, &template, &meter()).unwrap();
        assert!(!evaluated.unresolved.is_empty(), "{text}: {evaluated:?}");
    }
}

#[test]
fn offsets_point_through_doubled_quotes_and_braces() {
    let text = "[format('a''{{b}}{0}', 'z')]";
    let e = evaluate(text, &json!({}), &meter()).unwrap();
    assert_eq!(e.text, "a'{b}z");
    // The quote maps to its doubled `''`, the brace to its `{{`.
    assert_eq!(&text[e.offsets[1]..e.offsets[1] + 2], "''");
    assert_eq!(&text[e.offsets[2]..e.offsets[2] + 2], "{{");
}

/// The example `evaluate`'s documentation used to give.
#[test]
fn evaluate_example() {
    let template =
        serde_json::json!({"parameters": {"c": {"type": "string", "defaultValue": "logs"}}});
    let e = evaluate(
        "[format('x ''{0}'' {{y}}', parameters('c'))]",
        &template,
        &meter(),
    )
    .unwrap();
    assert_eq!(e.text, "x 'logs' {y}");
    assert_eq!(e.assumed, ["parameters('c')"]);
}

/// The example `evaluate_at`'s documentation used to give.
#[test]
fn evaluate_at_example() {
    let template = serde_json::json!({"variables": {"names": ["logs", "audit"]}});
    let e = evaluate_at("[variables('names')[copyIndex()]]", &template, Some(1)).unwrap();
    assert_eq!(e.text, "audit");
}

/// The example `is_null`'s documentation used to give.
#[test]
fn is_null_example() {
    let template = serde_json::json!({"parameters": {
        "none": {"type": "string", "defaultValue": null},
        "given": {"type": "string"}
    }});
    assert!(is_null("[parameters('none')]", &template, &meter()));
    assert!(!is_null("[parameters('given')]", &template, &meter()));
}

/// The functions `bicep build` writes around optional values, evaluated through the value
/// layer: `tryGet()` is `null` where the member is lacking, `coalesce()` takes the first value
/// not `null`, `if()` is decided by `equals()`/`not()`/`empty()` of literals, `union()`
/// merges objects deeply (keys ignoring case) and joins arrays as sets.
#[test]
fn optional_values_are_followed_as_arm_evaluates_them() {
    let template = json!({
        "parameters": {
            "ras": {"type": "array", "defaultValue": [{"condition": "c0"}, {"principalId": "p"}]},
            "none": {"type": "array", "defaultValue": null}
        },
        "variables": {"a": {"Tag": {"x": "1"}, "list": [1]}, "b": {"tag": {"y": "2"}, "list": [2]}}
    });
    let budget = meter();
    let at = |text: &str, index| value_of(text, &template, index, &budget).unwrap();
    let null = |text: &str, index| at(text, index).as_null().is_some();
    let condition = "[tryGet(parameters('ras')[copyIndex()], 'condition')]";
    assert_eq!(
        evaluate_at(condition, &template, Some(0)).unwrap().text,
        "c0"
    );
    assert!(null(condition, Some(1)));
    // Without the instance, the entry is not known: neither `null` nor a value.
    assert!(!null(condition, None));
    let version = "[if(not(equals(tryGet(parameters('ras')[copyIndex()], 'condition'), null())), '2.0', null())]";
    assert_eq!(
        evaluate_at(version, &template, Some(0)).unwrap().text,
        "2.0"
    );
    assert!(null(version, Some(1)));
    let count = "[length(coalesce(parameters('none'), createArray()))]";
    assert_eq!(
        copy_count(&json!({"copy": {"count": count}}), &template, &meter()),
        Some((0, vec!["parameters('none')".to_owned()]))
    );
    assert_eq!(
        evaluate(
            "[union(variables('a'), variables('b')).TAG.x]",
            &template,
            &meter()
        )
        .unwrap()
        .text,
        "1"
    );
    assert_eq!(
        evaluate(
            "[union(variables('a'), variables('b')).tag.y]",
            &template,
            &meter()
        )
        .unwrap()
        .text,
        "2"
    );
    // Entries in key order, ARM's keys compared ignoring case.
    assert_eq!(
        at("[length(objectKeys(variables('b')))]", None).shape_number(),
        Some(2)
    );
    assert_eq!(
        evaluate("[items(variables('b'))[0].KEY]", &template, &meter())
            .unwrap()
            .text,
        "list"
    );
    // A function azabac does not follow is not known.
    assert!(
        !evaluate("[string(1)]", &template, &meter())
            .unwrap()
            .unresolved
            .is_empty()
    );
    assert_eq!(
        at(
            "[length(union(variables('a').list, variables('b').list, createArray(1)))]",
            None
        )
        .shape_number(),
        Some(2)
    );
    assert!(at("[empty(coalesce(parameters('none'), createArray()))]", None).is_true());
}

/// A string that does not follow the grammar is not followed, whatever it starts like.
#[test]
fn what_does_not_follow_the_grammar_is_not_followed() {
    for text in [
        "[concat('a',)]",
        "[concat('a' 'b')]",
        "['unterminated]",
        "[a.b]",
        "[-]",
        "[f()x]",
    ] {
        let e = evaluate(text, &json!({}), &meter()).unwrap();
        assert!(
            e.unresolved
                .iter()
                .any(|u| u.starts_with("the ARM expression")),
            "{text}: {e:?}"
        );
    }
}

/// A name known only in part names no parameter; an index past `usize` is no index; an
/// index read through a parameter's default is assumed with it.
#[test]
fn names_and_indexes_are_known_whole_or_not_at_all() {
    let template = json!({"parameters": {
        "env": {"type": "string"},
        "cond": {"type": "string", "defaultValue": "c"},
        "k": {"type": "int", "defaultValue": 1}
    }, "variables": {"conds": ["a", "b"]}});
    let e = evaluate(
        "[parameters(concat('cond', parameters('env')))]",
        &template,
        &meter(),
    )
    .unwrap();
    assert!(!e.unresolved.is_empty(), "{e:?}");
    let e = evaluate_at("[copyIndex(18446744073709551615)]", &template, Some(2)).unwrap();
    assert!(!e.unresolved.is_empty());
    let e = evaluate("[variables('conds')[parameters('k')]]", &template, &meter()).unwrap();
    assert_eq!(
        (e.text.as_str(), e.assumed.as_slice()),
        ("b", &["parameters('k')".to_owned()][..])
    );
}
