//! Console transcripts in the documentation: `$ azabac ARGS` (or `$ cargo run --release --
//! ARGS`; a line ending in `\` goes on on the next) followed by the standard output it prints,
//! where a line `…` stands for any number of lines and `…` inside a line for any text (a
//! literal `…` in the output matches too). `$ echo $?` after a command shows its exit status;
//! without it, the status must be 0.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    dead_code,
    reason = "test support: a malformed transcript must stop the test"
)]

/// One command of a transcript, the standard output it shows, and its exit status.
pub struct Step {
    pub args: Vec<String>,
    pub expected: Vec<String>,
    pub exit: i32,
    /// The line of the command in its page (1-based).
    pub line: usize,
}

/// The steps of a `console` block whose body starts at page line `first`.
pub fn steps(body: &str, first: usize) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    let mut lines = body.lines().enumerate();
    while let Some((index, line)) = lines.next() {
        let at = first + index;
        let Some(command) = line.strip_prefix("$ ") else {
            let step = steps
                .last_mut()
                .unwrap_or_else(|| panic!("line {at}: output before a command"));
            step.expected.push(line.to_owned());
            continue;
        };
        let mut command = command.to_owned();
        while command.ends_with('\\') {
            command.pop();
            let (_, next) = lines
                .next()
                .unwrap_or_else(|| panic!("line {at}: `\\` ends the block"));
            command.push_str(next.trim_start());
        }
        if command.trim() == "echo $?" {
            let step = steps
                .last_mut()
                .unwrap_or_else(|| panic!("line {at}: `echo $?` first"));
            let (_, status) = lines
                .next()
                .unwrap_or_else(|| panic!("line {at}: no status after `echo $?`"));
            step.exit = status
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("line {at}: `{status}` is no status"));
            continue;
        }
        let words = split(&command);
        let args = match words
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            ["azabac", rest @ ..] | ["cargo", "run", "--release", "--", rest @ ..] => {
                rest.iter().map(|w| (*w).to_owned()).collect()
            }
            _ => panic!("line {at}: a transcript runs azabac: {command}"),
        };
        steps.push(Step {
            args,
            expected: Vec::new(),
            exit: 0,
            line: at,
        });
    }
    steps
}

/// Splits a command line as a POSIX shell does for words in single or double quotes and
/// backslash escapes, up to an unquoted `#` that starts a word (a comment). No expansions:
/// documented commands use none.
pub fn split(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') => word.extend(chars.next()),
            (Some(_), c) => word.push(c),
            (None, '#') if !in_word => break,
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, '\\') => {
                word.extend(chars.next());
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
