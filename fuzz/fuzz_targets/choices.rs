//! The shared generator and oracle (`tests/support/`), steered by the fuzzer's bytes.

#[path = "../../tests/support/generate.rs"]
pub mod generate;

#[path = "../../tests/support/oracle.rs"]
pub mod oracle;

#[path = "../../tests/support/corrupt.rs"]
pub mod corrupt;
