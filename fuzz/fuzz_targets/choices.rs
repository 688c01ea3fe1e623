//! The fuzzer's bytes as the shared generator's choices: the fuzzer steers the generator.

use arbitrary::Unstructured;

#[path = "../../tests/support/generate.rs"]
pub mod generate;

/// Choices read from the fuzz input; when it runs out, every choice is 0.
pub struct Bytes<'a, 'b>(pub &'b mut Unstructured<'a>);

impl generate::Choices for Bytes<'_, '_> {
    fn below(&mut self, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        self.0.choose_index(n).unwrap_or(0)
    }
}
