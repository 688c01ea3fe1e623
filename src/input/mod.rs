//! Input readers: conditions found where users keep them, each with its place in the host file,
//! so that diagnostics point at the file's own line and column.
//!
//! [`read()`] is the entry point: it asks each host which files it claims and gives every
//! condition found and every file it could not read ([`Read`]). The hosts: `json` (exports,
//! suites, ARM templates with `arm`'s expressions, Terraform plans), `terraform` (`.tf`
//! module directories) and `bicep` (`.bicep` files). Beneath them: [`place`], what a found
//! condition knows of its place; [`embedded`], conditions inside JSON strings with their byte
//! maps; [`error`], why a file was not read. After reading: [`owner`] says whose condition
//! each is, [`holes`] fills what only a deployment knows, [`emit`] writes a condition back
//! for each host.

pub(crate) mod arm;
pub(crate) mod bicep;
pub mod embedded;
pub mod emit;
pub mod error;
pub mod holes;
pub(crate) mod json;
mod meter;
pub mod owner;
pub mod place;
mod read;
pub(crate) mod terraform;
pub mod value;

pub use embedded::{Embedded, NotJson};
pub use error::{FileError, Problem};
pub use read::{ConditionFile, Document, Files, Item, Located, Options, Read, read, read_with};

/// The ARM expression reader, reached directly by the `arm` fuzz target (every string of a
/// template evaluated, not only conditions): not an API.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing {
    pub use super::arm::evaluate_at;

    /// Every string of `template` evaluated as an ARM expression against it, with and without
    /// a `copy` index, and every resource's `copy` count, under one budget for the template,
    /// as the reader evaluates conditions.
    pub fn evaluate_every_string(template: &serde_json::Value) {
        fn strings<'v>(value: &'v serde_json::Value, out: &mut Vec<&'v str>) {
            match value {
                serde_json::Value::String(text) => out.push(text),
                serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
                serde_json::Value::Object(object) => {
                    object.values().for_each(|v| strings(v, out));
                }
                _ => {}
            }
        }
        let meter = super::meter::Meter::new(crate::limits::ARM_MAX_STEPS);
        let mut texts = Vec::new();
        strings(template, &mut texts);
        for text in texts {
            for index in [None, Some(2)] {
                let _ = super::arm::evaluate_metered(text, template, index, &meter);
            }
            let _ = super::arm::is_null(text, template, &meter);
        }
        if let Some(serde_json::Value::Array(resources)) = template.get("resources") {
            for resource in resources {
                let _ = super::arm::copy_count(resource, template, &meter);
            }
        }
    }
}
