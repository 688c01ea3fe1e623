//! Just enough Markdown for the documentation tests: fenced code blocks, headings and their
//! anchors as GitHub makes them, explicit `<a id>` anchors, links, and tables.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    dead_code,
    reason = "test support: a malformed page must stop the test; each includer uses a part"
)]

use std::collections::BTreeSet;

/// A page of documentation: its path (relative to the repository) and text.
pub struct Page {
    pub path: String,
    pub text: String,
}

/// A fenced code block: its info string, first line number (1-based, of the fence) and body.
pub struct Block {
    pub lang: String,
    pub line: usize,
    pub body: String,
}

/// The fenced code blocks of a page.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        match &mut open {
            None => {
                if let Some(info) = trimmed.strip_prefix("```") {
                    open = Some(Block {
                        lang: info.trim().to_owned(),
                        line: index + 1,
                        body: String::new(),
                    });
                }
            }
            Some(block) => {
                if trimmed.starts_with("```") {
                    blocks.push(open.take().unwrap());
                } else {
                    block.body.push_str(line);
                    block.body.push('\n');
                }
            }
        }
    }
    assert!(open.is_none(), "a code block is never closed");
    blocks
}

/// The lines of a page outside fenced code blocks, with their 1-based numbers.
pub fn prose(text: &str) -> Vec<(usize, &str)> {
    let mut inside = false;
    let mut lines = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("```") {
            inside = !inside;
            continue;
        }
        if !inside {
            lines.push((index + 1, line));
        }
    }
    lines
}

/// The paragraphs of a page outside fenced code blocks: runs of non-blank lines joined by
/// spaces (so that a link broken across lines is one link), each with its first line's
/// number. A table row or heading is a paragraph of its own.
pub fn paragraphs(text: &str) -> Vec<(usize, String)> {
    join(prose(text))
}

/// Runs of non-blank lines joined by spaces, each with its first line's number; table rows
/// and headings stand alone.
pub fn join<'a>(lines: impl IntoIterator<Item = (usize, &'a str)>) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut open = false;
    let mut last = 0;
    for (number, line) in lines {
        let trimmed = line.trim();
        let alone = trimmed.starts_with('|') || trimmed.starts_with('#');
        if trimmed.is_empty() || number != last + 1 {
            open = false;
        }
        last = number;
        if trimmed.is_empty() {
            continue;
        }
        match out.last_mut() {
            Some((_, paragraph)) if open && !alone => {
                paragraph.push(' ');
                paragraph.push_str(trimmed);
            }
            _ => out.push((number, trimmed.to_owned())),
        }
        open = !alone;
    }
    out
}

/// A line with its inline code spans blanked out (same length), so that what is quoted as
/// code is not read as prose.
pub fn without_code_spans(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    for c in line.chars() {
        if c == '`' {
            in_code = !in_code;
            out.push(' ');
        } else if in_code {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
}

/// A link: its text's byte range in the line, and its target.
pub struct Link {
    pub text: std::ops::Range<usize>,
    pub target: String,
}

/// The inline links `[text](target)` of one line (code spans excluded).
pub fn links(line: &str) -> Vec<Link> {
    let line = without_code_spans(line);
    let bytes = line.as_bytes();
    let mut links = Vec::new();
    let mut at = 0;
    while let Some(open) = line[at..].find('[').map(|i| i + at) {
        // The matching `]`, allowing one level of nested brackets.
        let mut depth = 0;
        let mut close = None;
        for (i, &b) in bytes.iter().enumerate().skip(open) {
            match b {
                b'[' => depth += 1,
                b']' => {
                    depth -= 1;
                    if depth == 0 {
                        close = Some(i);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(close) = close else { break };
        if bytes.get(close + 1) == Some(&b'(')
            && let Some(end) = line[close + 2..].find(')').map(|i| i + close + 2)
        {
            links.push(Link {
                text: open + 1..close,
                target: line[close + 2..end].to_owned(),
            });
            at = end + 1;
            continue;
        }
        at = open + 1;
    }
    links
}

/// The text of a heading as GitHub renders it: inline code marks, links and HTML tags gone.
fn heading_text(heading: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in heading.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            '`' => {}
            _ => text.push(c),
        }
    }
    // `[text](target)` reads as `text`.
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find("](") {
            Some(mid) => match after[mid + 2..].find(')') {
                Some(end) => {
                    out.push_str(&after[..mid]);
                    rest = &after[mid + 2 + end + 1..];
                }
                None => {
                    out.push('[');
                    rest = after;
                }
            },
            None => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// GitHub's anchor for a heading: lower case, punctuation but `-` and `_` dropped, spaces as
/// `-`.
pub fn slug(heading: &str) -> String {
    heading_text(heading)
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_' || *c == ' ')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The headings of a page outside code blocks: level, text and line.
pub fn headings(text: &str) -> Vec<(usize, String, usize)> {
    prose(text)
        .into_iter()
        .filter_map(|(line, text)| {
            let level = text.bytes().take_while(|&b| b == b'#').count();
            let rest = text.get(level..)?;
            (level > 0 && rest.starts_with(' ')).then(|| (level, rest.trim().to_owned(), line))
        })
        .collect()
}

/// Every anchor a link may name in a page: its headings' slugs (with GitHub's `-1`, `-2` for
/// repeats) and its explicit `id="…"` and `name="…"` anchors.
pub fn anchors(text: &str) -> BTreeSet<String> {
    let mut anchors = BTreeSet::new();
    for (_, heading, _) in headings(text) {
        let base = slug(&heading);
        let mut anchor = base.clone();
        let mut n = 0;
        while anchors.contains(&anchor) {
            n += 1;
            anchor = format!("{base}-{n}");
        }
        anchors.insert(anchor);
    }
    for attribute in ["id=\"", "name=\""] {
        let mut rest = text;
        while let Some(at) = rest.find(attribute) {
            let after = &rest[at + attribute.len()..];
            let end = after.find('"').unwrap();
            anchors.insert(after[..end].to_owned());
            rest = &after[end..];
        }
    }
    anchors
}

/// The lines of a page from the heading `heading` (exact text) to the next heading of the
/// same or a higher level.
pub fn section<'a>(text: &'a str, heading: &str) -> &'a str {
    let lines: Vec<&str> = text.lines().collect();
    let found = headings(text);
    let (level, _, line) = found
        .iter()
        .find(|(_, h, _)| h == heading)
        .unwrap_or_else(|| panic!("no heading `{heading}`"));
    let end = found
        .iter()
        .find(|(l, _, at)| at > line && l <= level)
        .map_or(lines.len(), |(_, _, at)| at - 1);
    let start: usize = lines[..*line].iter().map(|l| l.len() + 1).sum();
    let stop: usize = lines[..end].iter().map(|l| l.len() + 1).sum();
    &text[start..stop.min(text.len())]
}

/// The rows of the first table in `text` whose header's first cell is `first`, each as its
/// cells (trimmed, `\|` read as `|`).
pub fn table(text: &str, first: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        let cells = cells(line);
        if !inside {
            if cells.first().is_some_and(|c| c == first) {
                inside = true;
            }
            continue;
        }
        if cells.is_empty() {
            break;
        }
        if cells
            .iter()
            .all(|c| c.chars().all(|ch| ch == '-' || ch == ':'))
        {
            continue;
        }
        rows.push(cells);
    }
    rows
}

fn cells(line: &str) -> Vec<String> {
    let line = line.trim();
    let Some(inner) = line.strip_prefix('|').and_then(|l| l.strip_suffix('|')) else {
        return Vec::new();
    };
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cell.push('|');
                chars.next();
            }
            '|' => cells.push(std::mem::take(&mut cell).trim().to_owned()),
            _ => cell.push(c),
        }
    }
    cells.push(cell.trim().to_owned());
    cells
}
