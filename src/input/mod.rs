//! Input readers: conditions found where users keep them, each with its place in the host file,
//! so that diagnostics point at the file's own line and column.
//!
//! [`host`] says which files hold conditions and where each one sits; [`embedded`] finds them
//! in JSON (exports, suites, ARM templates with [`arm`]'s expressions, Terraform plans),
//! [`terraform`] in `.tf` module directories and [`bicep`] in `.bicep` files; [`owner`] says
//! whose condition each is; [`emit`] writes a condition back for each host.

pub mod arm;
pub mod bicep;
pub mod embedded;
pub mod emit;
pub mod holes;
pub mod host;
pub mod owner;
pub mod terraform;

pub use embedded::{Embedded, NotJson};
