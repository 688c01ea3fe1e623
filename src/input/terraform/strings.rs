//! HCL strings decoded as Terraform decodes them, each decoded byte mapped to where it is
//! written: quoted strings with their escapes, and heredocs with `<<-`'s indentation stripped
//! by Terraform's rule (which hcl-edit 0.10 gets wrong in one case).

use hcl_edit::Span as _;
use hcl_edit::template::{Element, Template};

use super::eval::Text;

/// Decodes the raw quoted-string text at `span` of `text` (HCL escapes: `\"`, `\\`, `\n`,
/// `\r`, `\t`, `\uXXXX`, `\UXXXXXXXX`, and `$${`, `%%{`), each decoded character mapped to
/// where it starts. If the decoding disagrees with the parser's `expected`, the parser wins and
/// every byte maps to the span's start.
pub(super) fn decode_quoted(
    text: &str,
    span: std::ops::Range<usize>,
    expected: &str,
    value: &mut Text,
) {
    let raw = text.get(span.clone()).unwrap_or("");
    let mut decoded = Text::default();
    decoded.text.reserve(raw.len());
    decoded.offsets.reserve(raw.len());
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let at = span.start + i;
        match c {
            '\\' => {
                let Some((_, e)) = chars.next() else { break };
                let mapped = match e {
                    'n' => Some('\n'),
                    'r' => Some('\r'),
                    't' => Some('\t'),
                    '"' => Some('"'),
                    '\\' => Some('\\'),
                    'u' | 'U' => {
                        let n = if e == 'u' { 4 } else { 8 };
                        let hex: String = (0..n)
                            .filter_map(|_| chars.next().map(|(_, h)| h))
                            .collect();
                        u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)
                    }
                    _ => None,
                };
                match mapped {
                    Some(m) => decoded.push(m.encode_utf8(&mut [0; 4]), at),
                    None => decoded.push(&format!("\\{e}"), at),
                }
            }
            '$' | '%'
                if raw
                    .get(i + 1..)
                    .is_some_and(|r| r.starts_with(c) && r[1..].starts_with('{')) =>
            {
                // `$${` is a literal `${`; the second `$` is skipped.
                chars.next();
                decoded.push(c.encode_utf8(&mut [0; 4]), at);
            }
            _ => decoded.push(c.encode_utf8(&mut [0; 4]), at),
        }
    }
    if decoded.text == expected {
        value.extend(decoded, None);
    } else {
        value.push(expected, span.start);
    }
}

/// How a `<<-` heredoc's lines are dedented: by `indent` spaces or tabs, and whether hcl-edit
/// read the same indent (so that its value of each literal is a check on the decoding).
#[derive(Clone, Copy)]
pub(super) struct Dedent {
    pub(super) indent: usize,
    pub(super) as_parsed: bool,
}

/// The indent Terraform strips from a `<<-` heredoc: the fewest leading spaces or tabs of any
/// line that has anything but them (an interpolation counts, as in HCL's spec suite's
/// `interp_indented_less`), blank lines aside.
pub(super) fn heredoc_indent(text: &str, template: &Template) -> usize {
    let mut fewest: Option<usize> = None;
    let mut line_start = true;
    let elements: Vec<&Element> = template.iter().collect();
    for (index, element) in elements.iter().enumerate() {
        let Element::Literal(literal) = element else {
            line_start = false;
            continue;
        };
        let raw = literal.span().and_then(|s| text.get(s)).unwrap_or("");
        let last_element = index + 1 == elements.len();
        let segments: Vec<&str> = raw.split('\n').collect();
        for (i, segment) in segments.iter().enumerate() {
            let starts_line = line_start || i > 0;
            let segment = segment.trim_end_matches('\r');
            let spaces = segment.len() - segment.trim_start_matches([' ', '\t']).len();
            let blank = spaces == segment.len();
            // A blank segment counts only where an interpolation follows it on its line.
            let ends_before_interpolation = i + 1 == segments.len() && !last_element;
            if starts_line && (!blank || ends_before_interpolation) {
                fewest = Some(fewest.map_or(spaces, |f| f.min(spaces)));
            }
        }
        line_start = raw.ends_with('\n');
    }
    fewest.unwrap_or(0)
}

/// Decodes a heredoc's raw literal at `span`: `indent` leading spaces dropped at each line
/// start, `$${` and `%%{` unescaped. Falls back as [`decode_quoted`] does.
pub(super) fn decode_heredoc(
    text: &str,
    span: std::ops::Range<usize>,
    indent: usize,
    expected: Option<&str>,
    value: &mut Text,
) {
    let raw = text.get(span.clone()).unwrap_or("");
    let mut decoded = Text::default();
    let mut at_line_start = span.start == 0 || text.as_bytes().get(span.start - 1) == Some(&b'\n');
    let mut skip = 0;
    // HCL reads a CRLF file's line breaks as `\n`: so does this map, when the value has no CR.
    let drop_cr = !expected.is_some_and(|e| e.contains('\r'));
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let at = span.start + i;
        if drop_cr && c == '\r' && chars.peek().is_some_and(|&(_, next)| next == '\n') {
            continue;
        }
        if at_line_start {
            skip = indent;
            at_line_start = false;
        }
        if skip > 0 && (c == ' ' || c == '\t') {
            skip -= 1;
            continue;
        }
        skip = 0;
        if (c == '$' || c == '%')
            && raw
                .get(i + 1..)
                .is_some_and(|r| r.starts_with(c) && r[1..].starts_with('{'))
        {
            chars.next();
            decoded.push(c.encode_utf8(&mut [0; 4]), at);
            continue;
        }
        decoded.push(c.encode_utf8(&mut [0; 4]), at);
        if c == '\n' {
            at_line_start = true;
        }
    }
    match expected {
        Some(expected) if decoded.text != expected => value.push(expected, span.start),
        _ => value.extend(decoded, None),
    }
}
