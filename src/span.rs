//! Byte ranges into a condition's source text, and the wrapper that attaches them to tree nodes.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::{Deref, Range};

/// A half-open byte range `start..end` into the source text of one condition. Offsets are
/// `u32`, which keeps every tree node small; conditions are analysed only up to a mebibyte.
///
/// INVARIANT: `start <= end`, and both lie on `char` boundaries of the text they were made from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Span {
    /// Offset of the first byte.
    pub start: u32,
    /// Offset one past the last byte.
    pub end: u32,
}

/// A byte offset as a span bound (saturating: no text analysed here comes near 4 GiB).
pub(crate) fn offset(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

impl Span {
    /// A span from `start` to `end`; the bounds are swapped if given in the wrong order.
    pub fn new(start: usize, end: usize) -> Self {
        Span::between(offset(start), offset(end))
    }

    /// A span between two offsets given in either order.
    pub(crate) fn between(a: u32, b: u32) -> Self {
        Span {
            start: a.min(b),
            end: a.max(b),
        }
    }

    /// An empty span at `offset`, used for "something is missing here".
    pub fn point(at: usize) -> Self {
        Span {
            start: offset(at),
            end: offset(at),
        }
    }

    /// The smallest span covering both `self` and `other`.
    #[must_use]
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// Offset of the first byte, as an index.
    pub fn start(self) -> usize {
        self.start as usize
    }

    /// Offset one past the last byte, as an index.
    pub fn end(self) -> usize {
        self.end as usize
    }

    /// Number of bytes covered.
    pub fn len(self) -> usize {
        self.end() - self.start()
    }

    /// Whether the span covers no bytes.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The text this span covers in `source`, or `""` when it lies outside it.
    pub fn slice(self, source: &str) -> &str {
        source.get(self.start()..self.end()).unwrap_or("")
    }
}

impl From<Range<usize>> for Span {
    fn from(range: Range<usize>) -> Self {
        Span::new(range.start, range.end)
    }
}

impl From<Span> for Range<usize> {
    fn from(span: Span) -> Self {
        span.start()..span.end()
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// A tree node with the span of source text it came from.
///
/// Equality and hashing look only at the node, never at the span, so two trees parsed from
/// differently laid-out text compare equal when they mean the same thing (the formatter relies
/// on this to prove that it changed nothing but layout).
#[derive(Clone, Copy)]
pub struct Spanned<T> {
    /// The node itself.
    pub node: T,
    /// Where it came from.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Attaches `span` to `node`.
    pub fn new(node: T, span: Span) -> Self {
        Spanned { node, span }
    }
}

impl<T> Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.node
    }
}

impl<T: PartialEq> PartialEq for Spanned<T> {
    fn eq(&self, other: &Self) -> bool {
        self.node == other.node
    }
}

impl<T: Eq> Eq for Spanned<T> {}

impl<T: Hash> Hash for Spanned<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.node.hash(state);
    }
}

impl<T: fmt::Debug> fmt::Debug for Spanned<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.node.fmt(f)?;
        write!(f, " @ {}", self.span)
    }
}

/// The largest `char` boundary of `source` at or before `offset` (clamped to its length).
pub fn floor_char_boundary(source: &str, offset: usize) -> usize {
    let mut offset = offset.min(source.len());
    while offset > 0 && !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// 1-based line and column of a byte offset, counting columns in Unicode scalar values.
///
/// Offsets past the end are clamped to the end; offsets inside a character count as that
/// character.
pub fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    // Two passes the compiler vectorises: a count of line breaks, and the last one.
    let before = source.as_bytes().get(..offset).unwrap_or_default();
    let line = 1 + before.iter().filter(|&&byte| byte == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&byte| byte == b'\n')
        .map_or(0, |index| index + 1);
    let column = source
        .get(line_start..floor_char_boundary(source, offset))
        .map_or(0, |text| text.chars().count())
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spanned_equality_ignores_spans() {
        let a = Spanned::new(7, Span::new(0, 1));
        let b = Spanned::new(7, Span::new(5, 9));
        assert_eq!(a, b);
        assert_ne!(a, Spanned::new(8, Span::new(0, 1)));
    }

    #[test]
    fn line_column_counts_characters() {
        let text = "ab\ncé d";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 3), (2, 1));
        // 'é' is two bytes; 'd' is at byte 7 but column 4.
        assert_eq!(line_column(text, 7), (2, 4));
        assert_eq!(line_column(text, 100), (2, 5));
    }
}
