//! Input readers: conditions found where users keep them, each with its place in the host file,
//! so that diagnostics point at the file's own line and column.
//!
//! Today that is JSON (`az` and ARM exports, ARM templates): [`embedded`], and whose
//! condition each is ([`owner`]).

pub mod arm;
pub mod bicep;
pub mod embedded;
pub mod emit;
pub mod host;
pub mod owner;
pub mod terraform;

pub use embedded::{Embedded, NotJson};
