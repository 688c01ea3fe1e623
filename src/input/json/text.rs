//! JSON text as the parsers read it: comments (which ARM reads) blanked, and `serde_json`'s
//! line and column turned back into an offset.

/// The byte offset of `serde_json`'s 1-based line and column (which counts bytes).
pub(crate) fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    (start + column.saturating_sub(1)).min(text.len())
}

/// `text` with its comments outside strings made spaces (line breaks kept), so that every
/// offset stays the file's.
pub(crate) fn without_comments(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('/') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = text.as_bytes().to_vec();
    let (mut i, mut quoted, mut escaped) = (0, false, false);
    while let Some(&b) = out.get(i) {
        if quoted {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => quoted = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        let next = out.get(i + 1).copied();
        match (b, next) {
            (b'"', _) => quoted = true,
            (b'/', Some(b'/')) => {
                while let Some(byte) = out.get_mut(i).filter(|b| **b != b'\n') {
                    *byte = b' ';
                    i += 1;
                }
                continue;
            }
            (b'/', Some(b'*')) => {
                let end = text
                    .get(i + 2..)
                    .and_then(|rest| rest.find("*/"))
                    .map_or(out.len(), |at| i + 2 + at + 2);
                for byte in out.get_mut(i..end).into_iter().flatten() {
                    if *byte != b'\n' {
                        *byte = b' ';
                    }
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    // Only ASCII bytes were replaced, by spaces: the text stays UTF-8.
    std::borrow::Cow::Owned(String::from_utf8(out).unwrap_or_else(|_| text.to_owned()))
}
