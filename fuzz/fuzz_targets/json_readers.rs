//! Arbitrary JSON into every reader: the evaluation request, the access request, role
//! definitions, role and deny assignments, the hierarchy, and a world built from them. Bad
//! input must be an error, never a panic; a world that builds must decide without panicking;
//! role assignments read from the text and from the value agree.
#![no_main]

use azabac::catalog::Catalog;
use azabac::eval::Request;
use azabac::rbac::{AccessRequest, DenyAssignment, Hierarchy, RoleAssignment, World};
use azabac::catalog::RoleDefinition;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// The instant every decision here is made at: 2026-12-01T00:00:00Z, in 100 ns ticks.
const NOW: azabac::eval::Ticks = azabac::eval::Ticks(17_960_832_000_000_000);

fuzz_target!(|data: &[u8]| {
    let catalog = Catalog::builtin();
    let text = String::from_utf8_lossy(data);
    let _ = Request::from_json(&text, catalog);
    let _ = RoleDefinition::from_json(&text);
    // Role assignments read from the text (as `decide` reads them) and from the strictly
    // parsed value agree, down to the error; a text the strict parser refuses is refused.
    let read = |builder: Result<azabac::rbac::WorldBuilder, azabac::rbac::InputError>| {
        builder
            .and_then(|b| b.build(catalog))
            .map(|world| world.assignments().map(|a| format!("{a:?}")).collect::<Vec<_>>())
            .map_err(|e| e.to_string())
    };
    let from_text = read(World::builder().assignments_text(&text));
    match azabac::rbac::read_json(&text) {
        Ok(strict) => assert_eq!(from_text, read(World::builder().assignments(&strict)), "{text}"),
        Err(_) => assert!(from_text.is_err(), "{text}"),
    }
    let Ok(value) = serde_json::from_str::<Value>(&text) else {
        return;
    };
    let _ = Request::from_value(&value, catalog);
    let access = AccessRequest::from_value(&value, catalog);
    let _ = RoleDefinition::from_value(value.clone());
    let _ = RoleAssignment::read_all(&value);
    let _ = DenyAssignment::read_all(&value);
    let _ = Hierarchy::from_value(&value);
    // The same document as each part of a world at once.
    let world = World::builder()
        .roles(&value)
        .and_then(|b| b.assignments(&value))
        .and_then(|b| b.deny_assignments(&value))
        .and_then(|b| b.build(catalog));
    if let (Ok(world), Ok(access)) = (world, access) {
        let decision = world.decide(&access, NOW, true);
        assert!(!decision.allowed() || decision.deny().is_none());
    }
});
