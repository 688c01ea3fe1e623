//! The grammar of scopes: what reads, what is normalised, and what is refused with the fix.

use std::borrow::Cow;

use super::scope::{Scope, ordinal_upper};

const SUB: &str = "00000000-0000-0000-0000-0000000000aa";

fn scope(text: &str) -> Scope {
    Scope::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

fn why(text: &str) -> String {
    match Scope::parse(text) {
        Ok(scope) => panic!("`{text}` read as `{scope}`"),
        Err(e) => e.why,
    }
}

#[test]
fn normalises_case_and_one_trailing_slash() {
    assert_eq!(scope("/"), Scope::root());
    assert_eq!(
        scope(&format!("/Subscriptions/{}/", SUB.to_uppercase())),
        scope(&format!("/subscriptions/{SUB}"))
    );
    assert!(Scope::parse("subscriptions/abc").is_err());
    assert!(Scope::parse("/subscriptions").is_err());
    assert!(Scope::parse(&format!("/subscriptions/{SUB}/resourceGroups")).is_err());
    assert!(
        Scope::parse(&format!(
            "/subscriptions/{SUB}/providers/Microsoft.Storage/storageAccounts"
        ))
        .is_err()
    );
    assert!(Scope::parse("/foo/bar").is_err());
}

/// Each way a scope copied from a URL or a document can name another resource than the one
/// meant is an error that says what to remove (the shapes of issue 29).
#[test]
fn a_scope_that_would_name_another_resource_is_refused_with_the_fix() {
    let rg = format!("/subscriptions/{SUB}/resourceGroups/rg1");
    for (text, says) in [
        (
            format!("{rg}?api-version=2022-04-01"),
            "strip `?api-version=2022-04-01`: a query",
        ),
        (format!("{rg}#x"), "strip `#x`: a fragment"),
        (
            format!("/subscriptions/{SUB}/resourceGroups/rg%31"),
            "`%31` in `rg%31` is a percent escape",
        ),
        ("//".to_owned(), "an empty segment (`//`)"),
        ("///".to_owned(), "an empty segment (`//`)"),
        (format!("{rg}//"), "an empty segment (`//`)"),
        (format!("{rg}\u{200B}"), "zero-width space U+200B"),
        (format!("{rg}."), "cannot end with `.`"),
        (format!("{rg} "), "space U+0020"),
        (format!(" {rg}"), "remove what comes before the first `/`"),
        (format!("{rg}\u{301}"), "combining mark U+0301"),
        (
            format!(
                "/subscriptions/{SUB}/resourceGroups/rg1/providers/Microsoft.Web/sites/\u{301}a"
            ),
            "starts with a combining mark U+0301",
        ),
        (
            format!("/subscriptions/{SUB}//resourceGroups/rg1"),
            "empty segment",
        ),
        (
            "/subscriptions/sub-one/resourceGroups/rg1".to_owned(),
            "a subscription id is a GUID",
        ),
        (
            format!("/subscriptions/{SUB}/providers/Microsoft.Authorization/roleAssignments/a1"),
            "a role assignment's name is a GUID",
        ),
        (
            "/providers/Microsoft.Management/managementGroups/plat+form".to_owned(),
            "a management group name has",
        ),
    ] {
        let why = why(&text);
        assert!(why.contains(says), "{text:?}: {why}");
    }
}

#[test]
fn a_request_scope_below_a_container_is_the_container() {
    let container = format!(
        "/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa/blobServices/default/containers/logs"
    );
    for below in ["/blobs/a.txt", "/blobs/2026/12/a b.txt", "/a?b#c", "/"] {
        let read = Scope::parse_request(&format!("{container}{below}")).unwrap();
        assert_eq!(read, scope(&container), "{below}");
    }
    assert_eq!(Scope::parse_request(&container).unwrap(), scope(&container));
    // Only what is below the container is cut: the container itself is read strictly.
    assert!(Scope::parse_request(&format!("{container}?api-version=1")).is_err());
    assert_ne!(
        Scope::parse(&format!("{container}/blobs/a.txt")).unwrap(),
        scope(&container),
        "only a request's scope is cut, never an export's"
    );
}

#[test]
fn names_azure_documents_follow_their_grammar() {
    scope(&format!(
        "/subscriptions/{SUB}/resourceGroups/Rg-1_(prod).eu"
    ));
    scope(&format!("/subscriptions/{SUB}/resourceGroups/ünïcode"));
    // Letters and decimal digits of any script, as `Char.IsLetterOrDigit` reads them; not
    // other numbers (`²`, `Ⅻ`) or characters beyond the Basic Multilingual Plane.
    scope(&format!("/subscriptions/{SUB}/resourceGroups/日本-rg١"));
    for name in ["rg²", "rgⅫ", "rg𝐀"] {
        let error = Scope::parse(&format!("/subscriptions/{SUB}/resourceGroups/{name}"));
        assert!(error.is_err(), "{name}");
    }
    scope("/providers/Microsoft.Management/managementGroups/platform.eu");
    scope(&format!(
        "/subscriptions/{SUB}/providers/Microsoft.Authorization/roleAssignments/a1a1a1a1-0000-0000-0000-000000000001"
    ));
    scope("/providers/Microsoft.Management/serviceGroups/sg-1");
    scope("/providers/Microsoft.Capacity");
}

#[test]
fn extension_resources_sit_under_their_resource() {
    let assignment = scope(&format!(
        "/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/a1a1a1a1-0000-0000-0000-000000000001"
    ));
    assert_eq!(
        assignment.parent().unwrap().as_str(),
        format!("/subscriptions/{SUB}/resourcegroups/rg")
    );
    // An extension resource of a management group or service group is not the group, but
    // sits under it.
    for (group, name) in [
        (
            "/providers/Microsoft.Management/managementGroups/mg1",
            "mg1",
        ),
        ("/providers/Microsoft.Management/serviceGroups/sg1", "sg1"),
    ] {
        let under = scope(&format!(
            "{group}/providers/Microsoft.Authorization/roleAssignments/a1a1a1a1-0000-0000-0000-000000000001"
        ));
        assert_eq!(under.management_group(), None);
        assert_eq!(under.service_group(), None);
        assert_eq!(under.group(), Some(scope(group)));
        let at = scope(group);
        let named = at.management_group().or(at.service_group());
        assert_eq!(named, Some(name));
        assert_eq!(at.group(), Some(at.clone()));
    }
    assert_eq!(scope(&format!("/subscriptions/{SUB}")).group(), None);
}

#[test]
fn parents_of_every_shape_are_prefixes() {
    let sub = format!("/subscriptions/{SUB}");
    for (child, parent) in [
        (
            format!("{sub}/providers/Microsoft.Web/sites/a"),
            sub.clone(),
        ),
        (
            format!("{sub}/resourceGroups/rg/providers/A.B/c/d/e/f"),
            format!("{sub}/resourcegroups/rg/providers/a.b/c/d"),
        ),
        (format!("{sub}/resourceGroups/rg"), sub.clone()),
        (sub.clone(), "/".to_owned()),
        (
            "/providers/Microsoft.Management/managementGroups/m".to_owned(),
            "/".to_owned(),
        ),
    ] {
        let child = scope(&child);
        assert_eq!(child.parent().unwrap().as_str(), parent);
        assert!(child.as_str().starts_with(&parent));
    }
    assert_eq!(Scope::root().parent(), None);
}

#[test]
fn case_beyond_ascii_has_two_keys() {
    let rg = |name: &str| scope(&format!("/subscriptions/{SUB}/resourceGroups/{name}"));
    // Both mappings agree on most letters.
    let (a, b) = (rg("RG-Ä"), rg("rg-ä"));
    assert_ne!(a, b);
    assert!(a.same_under_both(&b));
    // The Kelvin sign folds to `k` but is its own upper case.
    let (kelvin, k) = (rg("\u{212A}"), rg("k"));
    assert_eq!(kelvin.fold_key(), k.fold_key());
    assert_ne!(kelvin.upper_key(), k.upper_key());
    assert!(!kelvin.same_under_both(&k));
    // `ß` and `ẞ` fold together but do not upper-case together.
    let (sharp, capital) = (rg("ß"), rg("\u{1E9E}"));
    assert_eq!(sharp.fold_key(), capital.fold_key());
    assert_ne!(sharp.upper_key(), capital.upper_key());
    // Dotless i is its own upper case in .NET's ordinal comparisons.
    assert_eq!(ordinal_upper('\u{131}'), '\u{131}');
    assert_eq!(ordinal_upper('ß'), 'ß');
    assert_eq!(ordinal_upper('\u{1F80}'), '\u{1F88}');
    assert_eq!(ordinal_upper('\u{1FB3}'), '\u{1FBC}');
    assert_eq!(ordinal_upper('\u{1F88}'), '\u{1F88}');
    assert_eq!(ordinal_upper('ǆ'), 'Ǆ');
    // ASCII scopes borrow their text.
    assert!(matches!(k.upper_key(), Cow::Borrowed(_)));
}

#[test]
fn the_fast_path_of_role_definition_ids_agrees_with_the_grammar() {
    use super::role::{by_grammar, common_form};
    let owner = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
    let tail = format!("/providers/Microsoft.Authorization/roleDefinitions/{owner}");
    let mut texts = vec![
        owner.to_owned(),
        tail.clone(),
        tail.to_uppercase(),
        format!("/subscriptions/{SUB}{tail}"),
        format!("/SUBSCRIPTIONS/{SUB}{tail}"),
        format!("/subscriptions/s1{tail}"),
        format!("/subscriptions/{SUB}/resourceGroups/rg{tail}"),
        format!("/providers/Microsoft.Management/managementGroups/mg{tail}"),
        format!("{tail}/"),
        format!("/{tail}"),
        format!("{tail}?api-version=1"),
        format!("{tail}/{owner}"),
        format!("/providers/Microsoft.Authorization/roleDefinitions/{{{owner}}}"),
        format!(
            "/providers/Microsoft.Authorization/roleDefinitions/{}",
            &owner[1..]
        ),
        format!("/providers/Microsoft.Authorization/roleDefinitions/x{owner}"),
        format!("/providers/Microsoft.Authorization/roleDefinitionz/{owner}"),
        format!(
            "/providers/Microsoft.Authorization/roleDefinitions/ä{}",
            &owner[2..]
        ),
        format!("/subscriptions/{SUB}/subscriptions/{SUB}{tail}"),
        format!("/subscriptions//providers/Microsoft.Authorization/roleDefinitions/{owner}"),
        format!("/providers/Microsoft.Authorization/roleDefinitions/{owner}\u{200B}"),
        String::new(),
    ];
    // Every character of the common form, removed or doubled.
    for at in 0..tail.len() {
        let mut cut = tail.clone();
        cut.remove(at);
        texts.push(cut);
        let mut doubled = tail.clone();
        doubled.insert(at, tail.as_bytes()[at] as char);
        texts.push(doubled);
    }
    for text in &texts {
        assert_eq!(
            super::role_definition_guid(text),
            by_grammar(text),
            "{text:?}"
        );
        if let Some(guid) = common_form(text) {
            assert!(
                by_grammar(text).is_ok_and(|read| read.to_string() == guid.to_ascii_lowercase())
            );
        }
    }
}

#[test]
fn the_scope_of_an_id_prefix_is_the_scope_the_prefix_parses_to() {
    let ids = [
        format!("/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/a1a1a1a1-0000-0000-0000-000000000001"),
        format!("/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa/providers/Microsoft.Authorization/roleAssignments/a1a1a1a1-0000-0000-0000-000000000001"),
        "/providers/Microsoft.Management/managementGroups/mg/providers/Microsoft.Authorization/roleAssignments/a1a1a1a1-0000-0000-0000-000000000001".to_owned(),
        "/providers/Microsoft.Authorization/roleAssignments/a1a1a1a1-0000-0000-0000-000000000001".to_owned(),
        format!("/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s"),
    ];
    for id in &ids {
        let whole = scope(id);
        let text = whole.as_str();
        for len in 0..=text.len() {
            let by_parse = text.get(..len).and_then(|prefix| {
                // The root `/` ends where its one `/` does.
                let ends_a_segment =
                    len == 1 || len == text.len() || text.as_bytes().get(len) == Some(&b'/');
                Scope::parse(prefix)
                    .ok()
                    .filter(|_| ends_a_segment && len > 0)
            });
            assert_eq!(whole.prefix(len), by_parse, "{id} cut at {len}");
        }
    }
}

#[test]
fn scopes_longer_than_any_azure_writes_read_the_same() {
    // Past the segments cut on the stack: a resource nested twenty levels deep.
    let nested: String = (0..20).map(|i| format!("/child{i}/c{i}")).collect();
    let text =
        format!("/subscriptions/{SUB}/resourceGroups/rg/providers/Contoso.Deep/root/r{nested}");
    let deep = scope(&text);
    assert_eq!(deep.as_str(), text.to_ascii_lowercase());
    let parent = deep.parent().unwrap();
    assert!(parent.as_str().ends_with("/child18/c18"), "{parent}");
    let odd = why(&format!("{text}/child20"));
    assert_eq!(odd, "a provider part needs a namespace and type/name pairs");
    assert!(why(&format!("{text}/child20/x y")).contains("space"));
}
