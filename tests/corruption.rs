#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly"
)]

//! Exact or refused, by construction (issue 29, point 7): random worlds and requests in the
//! shapes the tools print, each corrupted by a class of the readers' past mistakes
//! (`tests/support/corrupt.rs`), decide exactly as the clean input where the corruption keeps
//! the meaning, are refused where Azure refuses them, and never decide otherwise. The same
//! generator runs as the fuzz target `corrupt`.

#[path = "support/generate.rs"]
mod generate;

#[path = "support/corrupt.rs"]
mod corrupt;

use corrupt::{CLASSES, Expect};
use generate::{Bytes, Rng};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Choices from bytes, so that a failure shrinks to the fewest choices.
    #[test]
    fn a_corrupted_input_decides_as_the_clean_one_or_is_refused(
        bytes in proptest::collection::vec(any::<u8>(), 0..512)
    ) {
        let mut choices = Bytes::new(&bytes);
        let clean = corrupt::world(&mut choices);
        if let Err(e) = corrupt::reads(&clean) {
            prop_assert!(false, "{}", e);
        }
        let corrupted = corrupt::corrupt(&clean, &mut choices);
        if let Err(e) = corrupt::check(&clean, &corrupted) {
            prop_assert!(false, "{}", e);
        }
    }
}

/// Every class corrupts something in most worlds, and what it must come to holds: the
/// property above is not true for want of corruptions.
#[test]
fn every_class_of_corruption_is_drawn_and_holds() {
    for class in 0..CLASSES {
        let (mut corrupted, mut refused) = (0, 0);
        for seed in 1..=40u64 {
            let mut choices = Rng(seed * 7919 + class as u64);
            let clean = corrupt::world(&mut choices);
            corrupt::reads(&clean).unwrap();
            let bad = corrupt::corrupt_as(&clean, class, &mut choices);
            corrupt::check(&clean, &bad).unwrap_or_else(|e| panic!("class {class}: {e}"));
            if !bad.what.starts_with("nothing") {
                corrupted += 1;
            }
            if bad.expect.contains(&Expect::Refused) {
                refused += 1;
            }
        }
        assert!(
            corrupted >= 20,
            "class {class} corrupted {corrupted} of 40 worlds"
        );
        // Every class but two draws refusals: keys re-cased (3) and PIM times at another
        // offset (10) keep the meaning by construction.
        if ![3, 10].contains(&class) {
            assert!(refused > 0, "class {class} never expects a refusal");
        }
    }
}
