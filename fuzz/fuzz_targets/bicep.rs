//! Any bytes as a Bicep file (issue 30), read through `input::read`: its conditions or an
//! error of the file, never a panic, always an end (libFuzzer's `-timeout` and `-rss_limit_mb`
//! catch a reader that hangs or exhausts memory). Any file it loads (`loadTextContent()`) is the
//! same bytes. Seeds: the `.bicep` files of `corpus/iac/bicep/`.
#![no_main]

use std::io;
use std::path::{Path, PathBuf};

use libfuzzer_sys::fuzz_target;

/// Every path holds the fuzzer's bytes.
struct Same<'d>(&'d [u8]);

impl azabac::input::Files for Same<'_> {
    fn read(&self, _: &Path, limit: usize) -> io::Result<Vec<u8>> {
        Ok(self.0.get(..limit.saturating_add(1)).unwrap_or(self.0).to_vec())
    }

    fn list(&self, _: &Path) -> io::Result<Vec<PathBuf>> {
        Ok(Vec::new())
    }
}

fuzz_target!(|data: &[u8]| {
    // As text: bytes that are not UTF-8 would stop every read at its first step.
    let text = String::from_utf8_lossy(data);
    let data = text.as_bytes();
    let _ = azabac::input::read(&[PathBuf::from("main.bicep")], &Same(data));
});
