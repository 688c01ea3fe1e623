//! The shared operations over a host whose nodes are JSON values, with each host's rules.

use serde_json::{Value as Json, json};

use super::*;

/// JSON as a host: a string is text, written at 0.
struct Written<const DEEP: bool>;

impl<const DEEP: bool> Host for Written<DEEP> {
    type Node = Json;
    const RULES: Rules = Rules {
        keys_ignore_case: DEEP,
        numeric_keys_index_lists: !DEEP,
        bool_text: if DEEP { None } else { Some(["true", "false"]) },
        text_case_known: !DEEP,
    };
    fn spend(&self, _units: usize, _at: usize) -> bool {
        true
    }

    fn value(&self, node: &Json, _depth: usize) -> Value<Json> {
        Value::written(match node {
            Json::Null => Shape::Null,
            Json::Bool(b) => Shape::Bool(*b),
            Json::Number(n) => Shape::Number(n.to_string()),
            Json::String(s) => Shape::Text(Text::literal(s.clone(), vec![0; s.len()])),
            Json::Array(items) => Shape::List(items.iter().cloned().map(Member::Node).collect()),
            Json::Object(object) => Shape::Map(Map {
                fields: object
                    .iter()
                    .map(|(key, value)| Field {
                        key: key.clone(),
                        key_at: 0,
                        value: Member::Node(value.clone()),
                        assumed: Vec::new(),
                    })
                    .collect(),
                open: Vec::new(),
            }),
        })
    }
}

const TERRAFORM: Written<false> = Written;
const ARM: Written<true> = Written;

/// A value as JSON again, every member forced; an unknown as `"?what"`, `"!what"` lacking.
fn json<const DEEP: bool>(host: &Written<DEEP>, value: Value<Json>) -> Json {
    match value.shape {
        Shape::Null => Json::Null,
        Shape::Bool(b) => json!(b),
        Shape::Number(n) => serde_json::from_str(&n).unwrap_or(json!(n)),
        Shape::Text(t) => json!(t.text),
        Shape::List(items) => items
            .into_iter()
            .map(|item| json(host, force(host, item, 0)))
            .collect(),
        Shape::Map(map) => Json::Object(
            map.fields
                .into_iter()
                .map(|f| (f.key, json(host, force(host, f.value, 0))))
                .collect(),
        ),
        Shape::Unknown(u) => json!(format!("{}{}", if u.lacking { "!" } else { "?" }, u.what)),
    }
}

fn of<const DEEP: bool>(host: &Written<DEEP>, node: Json) -> Value<Json> {
    host.value(&node, 0)
}

/// `value.key`, an unsafe step.
fn get<const DEEP: bool>(host: &Written<DEEP>, value: Value<Json>, key: &str) -> Value<Json> {
    value.member(host, (&Step::Key(key.into()), false), (key, 0), 0)
}

#[test]
fn members_follow_the_hosts_key_rules_and_safe_steps_give_null() {
    let value = || of(&ARM, json!({"Role": {"name": "x"}, "list": [1, 2]}));
    let role = get(&ARM, value(), "role");
    assert_eq!(json(&ARM, role), json!({"name": "x"}));
    let step = Step::Key("role".into());
    let exact =
        of(&TERRAFORM, json!({"Role": 1})).member(&TERRAFORM, (&step, false), ("x.role", 3), 0);
    assert_eq!(
        exact.as_unknown().map(|u| (u.lacking, u.at)),
        Some((true, 3))
    );
    let missing = Step::Key("nope".into());
    assert!(
        value()
            .member(&ARM, (&missing, true), ("", 0), 0)
            .as_null()
            .is_some()
    );
    let second = Step::Index(1);
    let list = get(&ARM, value(), "list");
    assert_eq!(
        json(&ARM, list.member(&ARM, (&second, false), ("", 0), 0)),
        json!(2)
    );
    // Into `null`: safe gives `null`, unsafe is the host's error.
    let null = || of(&ARM, Json::Null);
    assert!(
        null()
            .member(&ARM, (&second, true), ("", 0), 0)
            .as_null()
            .is_some()
    );
    assert!(
        null()
            .member(&ARM, (&second, false), ("", 0), 0)
            .as_unknown()
            .unwrap()
            .lacking
    );
    // Terraform converts a numeric key for a list; ARM does not.
    let zero = Step::Key("0".into());
    let tf = of(&TERRAFORM, json!(["a"])).member(&TERRAFORM, (&zero, false), ("", 0), 0);
    assert_eq!(json(&TERRAFORM, tf), json!("a"));
    let arm = of(&ARM, json!(["a"])).member(&ARM, (&zero, false), ("", 0), 0);
    assert!(arm.as_unknown().unwrap().lacking);
}

#[test]
fn unknowns_and_assumptions_propagate_through_members() {
    let mut value = of(&TERRAFORM, json!({"a": {"b": "c"}}));
    value.assumed.push("var.x".into());
    let b = Step::Key("b".into());
    let found = get(&TERRAFORM, get(&TERRAFORM, value, "a"), "b");
    assert_eq!(found.assumed, ["var.x"]);
    let unknown =
        Value::<Json>::unknown("var.y", 7).member(&TERRAFORM, (&b, false), ("var.y.b", 9), 0);
    assert_eq!(
        unknown.as_unknown().map(|u| (u.what.as_str(), u.lacking)),
        Some(("var.y", false))
    );
}

#[test]
fn terraform_merges_shallow_and_arm_unions_objects_deeply_and_nested_arrays_replaced() {
    let a = json!({"p": {"one": "a", "three": "c1"}, "arr": [1, 2], "k": 1});
    let b = json!({"p": {"three": "c2", "four": "d"}, "arr": [3, 4]});
    let shallow = merge(
        &TERRAFORM,
        Merge::Shallow,
        vec![of(&TERRAFORM, a.clone()), of(&TERRAFORM, b.clone())],
        "m",
        0,
        0,
    );
    assert_eq!(
        json(&TERRAFORM, shallow),
        json!({"p": {"three": "c2", "four": "d"}, "arr": [3, 4], "k": 1})
    );
    let deep = merge(&ARM, Merge::Deep, vec![of(&ARM, a), of(&ARM, b)], "u", 0, 0);
    assert_eq!(
        json(&ARM, deep),
        json!({"p": {"one": "a", "three": "c2", "four": "d"}, "arr": [3, 4], "k": 1})
    );
    // Lists given whole are joined as sets.
    let lists = merge(
        &ARM,
        Merge::Deep,
        vec![of(&ARM, json!(["a", "b"])), of(&ARM, json!(["b", "c"]))],
        "u",
        0,
        0,
    );
    assert_eq!(json(&ARM, lists), json!(["a", "b", "c"]));
    // Lists of objects: equal objects (keys by ARM's rules) are one element.
    let objects = merge(
        &ARM,
        Merge::Deep,
        vec![
            of(&ARM, json!([{"a": 1}, {"b": 2.0}])),
            of(&ARM, json!([{"A": 1}, {"b": 2}, {"b": 3}])),
        ],
        "u",
        4,
        0,
    );
    assert_eq!(json(&ARM, objects), json!([{"a": 1}, {"b": 2.0}, {"b": 3}]));
    // An element not known: whether it repeats one is not decided here.
    let mut list = of(&ARM, json!([]));
    if let Shape::List(items) = &mut list.shape {
        items.push(Member::Value(Box::new(Value::unknown("p", 0))));
    }
    let unknown = merge(
        &ARM,
        Merge::Deep,
        vec![of(&ARM, json!(["x"])), list],
        "u",
        4,
        0,
    );
    assert_eq!(unknown.as_unknown().map(|u| u.at), Some(4));
    // A deep union of a value only a deployment knows and a map: open, never closed.
    let mut a = of(&ARM, json!({"inner": 1}));
    if let Shape::Map(map) = &mut a.shape {
        map.fields[0].value = Member::Value(Box::new(Value::unknown("p", 0)));
    }
    let b = of(&ARM, json!({"inner": {"x": 1}}));
    let inner = merge(&ARM, Merge::Deep, vec![a, b], "u", 0, 0);
    let condition = Step::Key("condition".into());
    let read = get(&ARM, inner, "inner").member(&ARM, (&condition, true), ("", 0), 0);
    assert!(read.is_from_deployment(), "{read:?}");
}

/// Values compare by value and type; strings by the host's rule for case.
#[test]
fn equality_is_by_value_and_decided_only_where_known() {
    let eq = |a: Json, b: Json| equals(&ARM, &of(&ARM, a), &of(&ARM, b), 0);
    assert_eq!(eq(json!(1.0), json!(1)), Some(true));
    assert_eq!(eq(json!(-0.0), json!(0)), Some(true));
    // Integers past f64's precision are compared exactly.
    assert_eq!(
        eq(json!(9007199254740993_i64), json!(9007199254740992_i64)),
        Some(false)
    );
    assert_eq!(eq(json!("a"), json!("b")), Some(false));
    // ARM's case rule for strings is not relied on.
    assert_eq!(eq(json!("a"), json!("A")), None);
    let tf = |a: Json, b: Json| equals(&TERRAFORM, &of(&TERRAFORM, a), &of(&TERRAFORM, b), 0);
    assert_eq!(tf(json!("a"), json!("A")), Some(false));
    assert_eq!(eq(json!("1"), json!(1)), None);
    assert_eq!(
        eq(json!([1, {"k": "v"}]), json!([1, {"K": "v"}])),
        Some(true)
    );
    assert_eq!(tf(json!({"k": "v"}), json!({"K": "v"})), Some(false));
    let unknown = Value::unknown("p", 0);
    assert_eq!(equals(&ARM, &unknown, &of(&ARM, json!(1)), 0), None);
}

/// `lookup()` takes its default only where the map, known whole, lacks the key; a value's
/// text names what it depends on; a lacking value stays lacking through `merge()`.
#[test]
fn lookup_text_and_lacking_values() {
    let map = || of(&TERRAFORM, json!({"a": "x"}));
    let default = || Some(of(&TERRAFORM, json!("d")));
    assert_eq!(
        json(
            &TERRAFORM,
            map().lookup(&TERRAFORM, "a", default(), ("", 0), 0)
        ),
        json!("x")
    );
    assert_eq!(
        json(
            &TERRAFORM,
            map().lookup(&TERRAFORM, "b", default(), ("", 0), 0)
        ),
        json!("d")
    );
    let lacking = map().lookup(&TERRAFORM, "b", None, ("m.b", 3), 0);
    assert!(lacking.as_unknown().unwrap().lacking);
    let open = merge(
        &TERRAFORM,
        Merge::Shallow,
        vec![map(), Value::unknown("var.x", 0)],
        "m",
        0,
        0,
    );
    assert!(
        open.lookup(&TERRAFORM, "b", default(), ("", 0), 0)
            .is_from_deployment()
    );
    // Text: a Boolean as the host converts it, or not known; an unknown named as it is.
    let yes = of(&TERRAFORM, json!(true)).into_text::<Written<false>>(("b", 5), |_| true);
    assert_eq!(
        (yes.text.as_str(), yes.offsets.as_slice()),
        ("true", &[5, 5, 5, 5][..])
    );
    let arm = of(&ARM, json!(true)).into_text::<Written<true>>(("b", 5), |_| true);
    assert_eq!(arm.unresolved, ["b"]);
    let unknown =
        Value::<Json>::unknown("var.y", 2).into_text::<Written<false>>(("x", 5), |_| true);
    assert_eq!(
        (unknown.unresolved.as_slice(), unknown.holes[0].offset),
        (&["var.y".to_owned()][..], 2)
    );
    let list = of(&TERRAFORM, json!([1])).into_text::<Written<false>>(("l", 5), |_| true);
    assert!(list.holes.is_empty() && list.unresolved == ["l"]);
    // A lacking map stays lacking through a merge; a string is no map.
    let lacks = merge(
        &TERRAFORM,
        Merge::Shallow,
        vec![map(), Value::lacking("m.x", 1)],
        "m",
        0,
        0,
    );
    assert!(lacks.as_unknown().unwrap().lacking);
    let string = merge(
        &TERRAFORM,
        Merge::Shallow,
        vec![of(&TERRAFORM, json!("s"))],
        "m",
        2,
        0,
    );
    assert!(string.as_unknown().unwrap().lacking);
    // JSON of a value nested past the limit is not given.
    let mut deep = json!(1);
    for _ in 0..40 {
        deep = json!([deep]);
    }
    assert_eq!(of(&ARM, deep).into_json(&ARM, 0), None);
}

#[test]
fn a_map_not_known_keeps_the_fields_before_it_on_an_assumption_and_leaves_the_map_open() {
    let merged = merge(
        &TERRAFORM,
        Merge::Shallow,
        vec![
            of(&TERRAFORM, json!({"a": 1})),
            Value::unknown("var.more", 5),
            of(&TERRAFORM, json!({"b": 2})),
            of(&TERRAFORM, Json::Null),
        ],
        "merge(…)",
        0,
        0,
    );
    let Shape::Map(map) = &merged.shape else {
        panic!("{merged:?}")
    };
    assert_eq!(map.open[0].what, "var.more");
    assert_eq!(map.fields[0].assumed, ["var.more does not replace `a`"]);
    assert!(map.fields[1].assumed.is_empty());
    // A key the known maps lack may come from the unknown one.
    let c = Step::Key("c".into());
    assert!(
        !merged
            .clone()
            .member(&TERRAFORM, (&c, false), ("", 0), 0)
            .as_unknown()
            .unwrap()
            .lacking
    );
    // Anything but maps: the host's error.
    let odd = merge(
        &TERRAFORM,
        Merge::Shallow,
        vec![of(&TERRAFORM, json!("s"))],
        "merge(…)",
        2,
        0,
    );
    assert_eq!(odd.as_unknown().map(|u| u.at), Some(2));
}

#[test]
fn coalesce_takes_the_first_value_not_null_and_stops_at_an_unknown() {
    let mut null = of(&ARM, Json::Null);
    null.assumed.push("parameters('p')".into());
    let first = coalesce(vec![
        null.clone(),
        of(&ARM, json!("x")),
        Value::unknown("u", 0),
    ]);
    assert_eq!(first.assumed, ["parameters('p')"]);
    assert_eq!(json(&ARM, first), json!("x"));
    // An unknown before any value: the result is it, named as it is.
    let stopped = coalesce(vec![Value::unknown("u", 9), of(&ARM, json!("x"))]);
    assert_eq!(
        stopped.as_unknown().map(|u| (u.what.as_str(), u.at)),
        Some(("u", 9))
    );
    assert_eq!(
        coalesce(vec![null.clone(), null]).as_null().map(<[_]>::len),
        Some(2)
    );
}

#[test]
fn entries_come_in_key_order_and_elements_in_the_order_written() {
    let map = || of(&TERRAFORM, json!({"b": 1, "a": {"x": 2}}));
    let keys = map().entries(Part::Keys, ("keys(m)", 0));
    assert_eq!(json(&TERRAFORM, keys), json!(["a", "b"]));
    let values = map().entries(Part::Values, ("values(m)", 0));
    assert_eq!(json(&TERRAFORM, values), json!([{"x": 2}, 1]));
    let items = map().entries(Part::Items, ("items(m)", 0));
    assert_eq!(
        json(&TERRAFORM, items),
        json!([{"key": "a", "value": {"x": 2}}, {"key": "b", "value": 1}])
    );
    let odd = of(&TERRAFORM, json!(["a"])).entries(Part::Keys, ("keys(l)", 7));
    assert_eq!(odd.as_unknown().map(|u| u.at), Some(7));
    let elements = of(&TERRAFORM, json!(["x", "y"])).elements().unwrap();
    let names: Vec<&str> = elements.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["0", "1"]);
    assert!(of(&TERRAFORM, json!("s")).elements().is_none());
    // A map a deployment may add to has no elements known here.
    let open = merge(
        &TERRAFORM,
        Merge::Shallow,
        vec![map(), Value::unknown("var.x", 0)],
        "m",
        0,
        0,
    );
    assert!(open.elements().is_none());
}
