//! Console transcripts in the documentation: `$ azabac ARGS` (or `$ cargo run --release --
//! ARGS`) followed by the output it prints, where a line `…` stands for any number of lines
//! and `…` inside a line for any text.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    dead_code,
    reason = "test support: a malformed transcript must stop the test"
)]

/// One command of a transcript and the standard output it shows.
pub struct Step {
    pub args: Vec<String>,
    pub expected: Vec<String>,
    /// The line of the command in its page (1-based).
    pub line: usize,
}

/// The steps of a `console` block whose body starts at page line `first`.
pub fn steps(body: &str, first: usize) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    for (index, line) in body.lines().enumerate() {
        if let Some(command) = line.strip_prefix("$ ") {
            let words = split(command);
            let args = match words.first().map(String::as_str) {
                Some("azabac") => words[1..].to_vec(),
                Some("cargo") if words.get(1..4) == Some(&run_release()) => words[4..].to_vec(),
                _ => panic!(
                    "line {}: a transcript runs azabac: {command}",
                    first + index
                ),
            };
            steps.push(Step {
                args,
                expected: Vec::new(),
                line: first + index,
            });
        } else {
            let step = steps
                .last_mut()
                .unwrap_or_else(|| panic!("line {}: output before a command", first + index));
            step.expected.push(line.to_owned());
        }
    }
    steps
}

fn run_release() -> [String; 3] {
    ["run".into(), "--release".into(), "--".into()]
}

/// Splits a command line as a POSIX shell does for words in single or double quotes (no
/// expansions: transcripts use none).
pub fn split(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') => word.push(chars.next().unwrap()),
            (Some(_), c) => word.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, '\\') => {
                word.push(chars.next().unwrap());
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            (None, c) => {
                word.push(c);
                in_word = true;
            }
        }
    }
    assert!(quote.is_none(), "unclosed quote in `{command}`");
    if in_word {
        words.push(word);
    }
    words
}

/// Whether `actual` (lines, trailing spaces ignored) matches `expected`, where an expected line
/// `…` matches any run of lines and `…` inside a line any text.
pub fn matches(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first.trim() == "…" => {
            (0..=actual.len()).any(|skip| matches(rest, &actual[skip..]))
        }
        Some((first, rest)) => match actual.split_first() {
            Some((line, others)) => {
                line_matches(first.trim_end(), line.trim_end()) && matches(rest, others)
            }
            None => false,
        },
    }
}

fn line_matches(pattern: &str, line: &str) -> bool {
    let mut parts = pattern.split('…');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = line.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}
