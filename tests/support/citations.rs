//! Citations of the specification in prose: `decision 24`, `decisions 14 and R10`, `R13`,
//! `§6.8`, `LANGUAGE.md §6`, `RBAC.md §1.4`; each must be the text of a link to the place it
//! names.

#![allow(
    clippy::indexing_slicing,
    dead_code,
    reason = "test support: each includer uses a part"
)]

use super::markdown::Run;

/// A citation: where it sits in its run, the anchor it names, and the specification file it
/// names when the text says (`DECISIONS`, `LANGUAGE`, `RBAC`).
pub struct Citation {
    pub text: String,
    pub anchor: String,
    pub file: Option<&'static str>,
}

/// The numbers of a list after `decisions`: `14, 16 and R10`, `R1–R12`.
fn decision_list(text: &str) -> Vec<String> {
    let mut numbers = Vec::new();
    let mut rest = text;
    loop {
        let digits = rest.strip_prefix('R').unwrap_or(rest);
        let len = digits.bytes().take_while(u8::is_ascii_digit).count();
        if len == 0 {
            break;
        }
        let taken = rest.len() - digits.len() + len;
        numbers.push(rest[..taken].to_owned());
        rest = &rest[taken..];
        let Some(next) = [", ", " and ", "–", "-"]
            .iter()
            .find_map(|sep| rest.strip_prefix(sep))
        else {
            break;
        };
        rest = next;
    }
    numbers
}

/// Every citation in `text`.
pub fn citations(text: &str) -> Vec<Citation> {
    let mut found = Vec::new();
    let lower = text.to_ascii_lowercase();
    let bytes = text.as_bytes();
    let word_start = |i: usize| i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
    let mut decided = Vec::new();
    for (i, _) in lower.match_indices("decision") {
        if !word_start(i) {
            continue;
        }
        let rest = &text[i + "decision".len()..];
        let rest = rest.strip_prefix('s').unwrap_or(rest);
        let Some(list) = rest.strip_prefix(' ') else {
            continue;
        };
        for number in decision_list(list) {
            decided.push(number.clone());
            found.push(Citation {
                anchor: format!("decision-{}", number.to_ascii_lowercase()),
                text: format!("decision {number}"),
                file: Some("DECISIONS"),
            });
        }
    }
    // A bare `R13`, not counted twice when a `decision` phrase above holds it.
    for (i, _) in text.match_indices('R') {
        let digits = text[i + 1..].bytes().take_while(u8::is_ascii_digit).count();
        let after = bytes.get(i + 1 + digits);
        if digits == 0
            || digits > 2
            || !word_start(i)
            || after.is_some_and(u8::is_ascii_alphanumeric)
        {
            continue;
        }
        let number = &text[i..i + 1 + digits];
        if let Some(at) = decided.iter().position(|d| d == number) {
            decided.remove(at);
            continue;
        }
        found.push(Citation {
            anchor: format!("decision-{}", number.to_ascii_lowercase()),
            text: number.to_owned(),
            file: Some("DECISIONS"),
        });
    }
    for (i, _) in text.match_indices('§') {
        let section: String = text[i + '§'.len_utf8()..]
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let section = section.trim_end_matches('.');
        let before = text[..i].trim_end();
        let file = if before.ends_with("LANGUAGE.md") {
            Some("LANGUAGE")
        } else if before.ends_with("RBAC.md") {
            Some("RBAC")
        } else {
            None
        };
        found.push(Citation {
            anchor: format!("section-{}", section.replace('.', "-")),
            text: format!("§{section}"),
            file,
        });
    }
    found
}

/// The problems of the citations in `runs`: one outside a link, or in a link whose place is
/// not the one it names. `place` reads a link's destination as the specification file it
/// names (`DECISIONS`, `LANGUAGE`, `RBAC`) and the anchor, or `None` when it names none.
pub fn problems(runs: &[Run], place: &dyn Fn(&str) -> Option<(String, String)>) -> Vec<String> {
    let mut problems = Vec::new();
    for run in runs {
        // A link whose text is a bare number of a list (`decisions [14](…) and [R10](…)`).
        let bare = run.text.trim();
        let digits = bare.strip_prefix('R').unwrap_or(bare);
        if let Some(dest) = &run.link
            && !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
        {
            let anchor = format!("decision-{}", bare.to_ascii_lowercase());
            if place(dest).is_none_or(|(file, at)| file != "DECISIONS" || at != anchor) {
                problems.push(format!(
                    "line {}: [{bare}] goes to `{dest}`, not to #{anchor}",
                    run.line
                ));
            }
        }
        for citation in citations(&run.text) {
            let at = format!("line {}: {}", run.line, citation.text);
            let Some(dest) = &run.link else {
                problems.push(format!("{at}: not a link, in \"{}\"", run.text.trim()));
                continue;
            };
            match place(dest) {
                Some((file, anchor))
                    if anchor == citation.anchor && citation.file.is_none_or(|f| f == file) => {}
                _ => problems.push(format!(
                    "{at}: the link goes to `{dest}`, not to #{}",
                    citation.anchor
                )),
            }
        }
    }
    problems
}
