//! Files as azabac reads them, whatever the editor saved: a UTF-8 byte-order mark at the start
//! is not part of the text, and a file's line ending (LF or CRLF) is noted, so that `fmt
//! --write` keeps it and comparisons (`fmt --check`, `snapshot --check`) look past it.

use std::path::Path;

/// The UTF-8 encoding of U+FEFF, the byte-order mark some Windows editors write first.
const BOM: &str = "\u{feff}";

/// A file's line ending: the one its first line break uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LineEnding {
    /// `\n`, or no line break at all.
    #[default]
    Lf,
    /// `\r\n`.
    Crlf,
}

impl LineEnding {
    /// The line ending of `text`: its first line break's.
    pub fn of(text: &str) -> LineEnding {
        match text.find('\n') {
            Some(at) if at > 0 && text.as_bytes().get(at - 1) == Some(&b'\r') => LineEnding::Crlf,
            _ => LineEnding::Lf,
        }
    }

    /// `text` (with `\n` line breaks, or any) written with this line ending.
    pub fn apply(self, text: &str) -> String {
        let lf = text.replace("\r\n", "\n");
        match self {
            LineEnding::Lf => lf,
            LineEnding::Crlf => lf.replace('\n', "\r\n"),
        }
    }
}

/// A file's text without its byte-order mark, and what it was saved with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileText {
    /// The text, without a leading byte-order mark.
    pub text: String,
    /// Whether the file started with a UTF-8 byte-order mark.
    pub bom: bool,
    /// The file's line ending.
    pub line_ending: LineEnding,
}

impl FileText {
    /// `text` as read from a file: a leading byte-order mark removed and remembered.
    pub fn new(text: String) -> FileText {
        let (text, bom) = match text.strip_prefix(BOM) {
            Some(rest) => (rest.to_owned(), true),
            None => (text, false),
        };
        let line_ending = LineEnding::of(&text);
        FileText {
            text,
            bom,
            line_ending,
        }
    }

    /// `text` written back as the file was saved: its byte-order mark and line ending.
    pub fn restore(&self, text: &str) -> String {
        let body = self.line_ending.apply(text);
        if self.bom {
            format!("{BOM}{body}")
        } else {
            body
        }
    }
}

/// The bytes of a file without a leading UTF-8 byte-order mark, and whether it had one.
pub fn strip_bom(bytes: &[u8]) -> (&[u8], bool) {
    match bytes.strip_prefix(BOM.as_bytes()) {
        Some(rest) => (rest, true),
        None => (bytes, false),
    }
}

/// Reads a UTF-8 file as [`FileText`].
pub fn read(path: &Path) -> std::io::Result<FileText> {
    std::fs::read_to_string(path).map(FileText::new)
}

/// Reads a UTF-8 file's text, without its byte-order mark.
pub fn read_to_string(path: &Path) -> std::io::Result<String> {
    read(path).map(|file| file.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_is_removed_and_line_endings_are_kept_on_restore() {
        let file = FileText::new("\u{feff}a\r\nb\r\n".to_owned());
        assert_eq!(file.text, "a\r\nb\r\n");
        assert!(file.bom);
        assert_eq!(file.line_ending, LineEnding::Crlf);
        assert_eq!(file.restore("x\ny\n"), "\u{feff}x\r\ny\r\n");
        let plain = FileText::new("a\nb".to_owned());
        assert!(!plain.bom);
        assert_eq!(plain.restore("x\r\ny"), "x\ny");
        assert_eq!(LineEnding::of("one line"), LineEnding::Lf);
        assert_eq!(strip_bom(b"\xef\xbb\xbfx"), (&b"x"[..], true));
    }
}
