//! Any bytes as a Terraform module's one file (issue 30), read through `input::read`: its
//! conditions or an error of the file, never a panic, always an end (libFuzzer's `-timeout` and
//! `-rss_limit_mb` catch a reader that hangs or exhausts memory). A template read by
//! `templatefile()` is the same bytes: a reader that follows it reads what the fuzzer wrote once
//! more. Seeds: the `.tf` files of `corpus/iac/terraform/`.
#![no_main]

use std::io;
use std::path::{Path, PathBuf};

use libfuzzer_sys::fuzz_target;

/// Every path holds the fuzzer's bytes; the module's folder holds `main.tf` alone.
struct Same<'d>(&'d [u8]);

impl azabac::input::Files for Same<'_> {
    fn read(&self, _: &Path, limit: usize) -> io::Result<Vec<u8>> {
        Ok(self.0.get(..limit.saturating_add(1)).unwrap_or(self.0).to_vec())
    }

    fn list(&self, _: &Path) -> io::Result<Vec<PathBuf>> {
        Ok(vec![PathBuf::from("main.tf")])
    }
}

fuzz_target!(|data: &[u8]| {
    // As text: bytes that are not UTF-8 would stop every read at its first step.
    let text = String::from_utf8_lossy(data);
    let data = text.as_bytes();
    let _ = azabac::input::read(&[PathBuf::from("main.tf")], &Same(data));
});
