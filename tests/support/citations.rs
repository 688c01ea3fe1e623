//! Citations of the specification in prose: `decision 24`, `decisions 14, 16 and R10`, `R13`,
//! `§6.8`, `section 6.8`, `LANGUAGE.md §6`, `the RBAC specification's §1.4`; each must be the
//! text of a link to the place it names. A paragraph is read whole, so that a list that goes on
//! after a link (`[decision 14](…) or 16`) is read as the list it is.

#![allow(
    clippy::indexing_slicing,
    dead_code,
    reason = "test support: each includer uses a part"
)]

use std::ops::Range;

use super::markdown::Run;

/// A citation: where its number sits in its paragraph (the part a link must hold), the anchor
/// it names, and the specification file it names when the text says (`DECISIONS`,
/// `LANGUAGE`, `RBAC`).
pub struct Citation {
    pub range: Range<usize>,
    pub text: String,
    pub anchor: String,
    pub file: Option<&'static str>,
}

/// The separators of a list of cited numbers.
const SEPARATORS: [&str; 7] = [", and ", ", ", " and ", " or ", " to ", "–", "-"];

/// The numbers of a list that starts at `at` in `text` (`14, 16 and R10`, `R1–R12`), each
/// with its range.
fn numbers(text: &str, mut at: usize, section: bool) -> Vec<(Range<usize>, String)> {
    let mut found = Vec::new();
    loop {
        let rest = &text[at..];
        let digits = if section {
            rest
        } else {
            rest.strip_prefix('R').unwrap_or(rest)
        };
        let mut len = digits
            .bytes()
            .take_while(|b| b.is_ascii_digit() || section && *b == b'.')
            .count();
        if section {
            len = digits[..len].trim_end_matches('.').len();
        }
        if len == 0 || !digits.starts_with(|c: char| c.is_ascii_digit()) {
            break;
        }
        let taken = rest.len() - digits.len() + len;
        found.push((at..at + taken, text[at..at + taken].to_owned()));
        at += taken;
        let Some(next) = SEPARATORS.iter().find(|sep| {
            text[at..].starts_with(**sep)
                && text[at + sep.len()..]
                    .starts_with(|c: char| c.is_ascii_digit() || !section && c == 'R')
        }) else {
            break;
        };
        at += next.len();
    }
    found
}

/// The specification file named just before `at`: `LANGUAGE.md`, `RBAC`, `the RBAC
/// specification's`, in or out of backticks.
fn file_before(text: &str, at: usize) -> Option<&'static str> {
    let before = text[..at]
        .trim_end()
        .trim_end_matches(['`', '\'', 's'])
        .trim_end_matches(['`', '\'']);
    let words: Vec<&str> = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '[')
        .take(3)
        .collect();
    for word in words {
        let word = word.trim_matches(['`', '\'', ',']);
        if word.starts_with("LANGUAGE") {
            return Some("LANGUAGE");
        }
        if word.starts_with("RBAC") {
            return Some("RBAC");
        }
        if word.starts_with("DECISIONS") {
            return Some("DECISIONS");
        }
    }
    None
}

/// Every citation in `text`.
pub fn citations(text: &str) -> Vec<Citation> {
    let mut found = Vec::new();
    let lower = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    let word_start = |i: usize| i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
    let mut covered: Vec<Range<usize>> = Vec::new();
    for (word, section) in [("decision", false), ("section", true)] {
        for (i, _) in lower.match_indices(word) {
            if !word_start(i) {
                continue;
            }
            let after = i + word.len();
            let after = after + usize::from(text[after..].starts_with('s'));
            if !text[after..].starts_with(' ') {
                continue;
            }
            for (range, number) in numbers(text, after + 1, section) {
                covered.push(range.clone());
                found.push(if section {
                    Citation {
                        range: range.clone(),
                        anchor: format!("section-{}", number.replace('.', "-")),
                        text: format!("section {number}"),
                        file: file_before(text, i).or_else(|| file_after(text, range.end)),
                    }
                } else {
                    Citation {
                        range,
                        anchor: format!("decision-{}", number.to_ascii_lowercase()),
                        text: format!("decision {number}"),
                        file: Some("DECISIONS"),
                    }
                });
            }
        }
    }
    // A bare `R13`, and the list it starts, unless a phrase above holds it.
    for (i, _) in text.match_indices('R') {
        let is_number = text[i + 1..].starts_with(|c: char| c.is_ascii_digit());
        if !is_number || !word_start(i) || covered.iter().any(|r| r.contains(&i)) {
            continue;
        }
        for (range, number) in numbers(text, i, false) {
            if covered.iter().any(|r| r.contains(&range.start)) {
                continue;
            }
            covered.push(range.clone());
            found.push(Citation {
                anchor: format!("decision-{}", number.to_ascii_lowercase()),
                text: number,
                file: Some("DECISIONS"),
                range,
            });
        }
    }
    for (i, _) in text.match_indices('§') {
        let start = i + '§'.len_utf8();
        let start = start + usize::from(text[start..].starts_with(' '));
        for (range, number) in numbers(text, start, true) {
            found.push(Citation {
                anchor: format!("section-{}", number.replace('.', "-")),
                text: format!("§{number}"),
                file: file_before(text, i),
                range,
            });
        }
    }
    found
}

/// `of the RBAC specification` after a section number.
fn file_after(text: &str, at: usize) -> Option<&'static str> {
    let rest: String = text[at..].chars().take(40).collect();
    if rest.contains("RBAC") {
        Some("RBAC")
    } else if rest.contains("LANGUAGE") || rest.contains("language spec") {
        Some("LANGUAGE")
    } else {
        None
    }
}

/// The problems of the citations in `runs`: one outside a link, or in a link whose place is
/// not the one it names. `place` reads a link's destination as the specification file it
/// names (`DECISIONS`, `LANGUAGE`, `RBAC`) and the anchor, or `None` when it names none.
pub fn problems(runs: &[Run], place: &dyn Fn(&str) -> Option<(String, String)>) -> Vec<String> {
    let mut problems = Vec::new();
    let mut start = 0;
    while start < runs.len() {
        let block = runs[start].block;
        let end = runs[start..]
            .iter()
            .position(|r| r.block != block)
            .map_or(runs.len(), |n| start + n);
        let paragraph = &runs[start..end];
        start = end;
        // The paragraph's text, and the range of each link's text in it.
        let mut text = String::new();
        let mut links: Vec<(Range<usize>, &str)> = Vec::new();
        for run in paragraph {
            let from = text.len();
            text.push_str(&run.text);
            if let Some(dest) = &run.link {
                links.push((from..text.len(), dest));
            }
        }
        let line = paragraph[0].line;
        for citation in citations(&text) {
            let at = format!("line {line}: {}", citation.text);
            let Some((_, dest)) = links.iter().find(|(range, _)| {
                range.start <= citation.range.start && citation.range.end <= range.end
            }) else {
                problems.push(format!("{at}: not a link, in \"{}\"", text.trim()));
                continue;
            };
            match place(dest) {
                Some((file, anchor))
                    if anchor == citation.anchor && citation.file.is_none_or(|f| f == file) => {}
                _ => problems.push(format!(
                    "{at}: the link goes to `{dest}`, not to {}#{}",
                    citation.file.unwrap_or("the specification"),
                    citation.anchor
                )),
            }
        }
        // A link whose text is a bare number of a list (`decisions [14](…) and [R10](…)`).
        for (range, dest) in &links {
            let bare = text[range.clone()].trim();
            let digits = bare.strip_prefix('R').unwrap_or(bare);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            let anchor = format!("decision-{}", bare.to_ascii_lowercase());
            if place(dest).is_none_or(|(file, at)| file != "DECISIONS" || at != anchor) {
                problems.push(format!(
                    "line {line}: [{bare}] goes to `{dest}`, not to #{anchor}"
                ));
            }
        }
    }
    problems
}
