//! A Bicep file's declarations: `param` defaults, `var`s, and `resource` and `module`
//! declarations with their bodies, each parsed by Bicep's grammar ([`super::syntax`]). A
//! declaration whose value uses a construct the reader does not follow is passed over (the
//! reader picks up again at the next declaration), and what reads it is not checkable, naming
//! the construct and its line; a string, array or object without its end is Bicep's own error,
//! and the file's.

use std::collections::HashMap;
use std::ops::Range;

use super::super::error::{Problem, Stop};
use super::syntax::{self, Expr, Kind, Parser};

/// A `resource` or `module` declaration.
pub(super) struct Declaration {
    pub(super) keyword: String,
    pub(super) symbol: String,
    /// The resource type or module path, as written.
    pub(super) kind: String,
    pub(super) body: Expr,
    /// The declaration's bytes, for its suppression comments.
    pub(super) range: Range<usize>,
}

/// The declarations of a file: its `param` defaults, its `var`s, its resources and modules.
#[derive(Default)]
pub(super) struct File {
    pub(super) params: HashMap<String, Expr>,
    /// The `param`s without a default: what the module's callers give.
    pub(super) inputs: std::collections::HashSet<String>,
    pub(super) vars: HashMap<String, Expr>,
    pub(super) declarations: Vec<Declaration>,
    /// The `param`s and `var`s whose value the reader does not follow, each with why (the
    /// construct, and its line): what reads them is not checkable, and says so.
    pub(super) unfollowed: HashMap<String, String>,
    /// The `resource` and `module` declarations whose body the reader does not follow and
    /// that may hold a condition (the word `condition` is in them): each one result, not
    /// checkable, saying why.
    pub(super) unfollowed_declarations: Vec<Unfollowed>,
}

/// A `resource` or `module` declaration the reader does not follow.
pub(super) struct Unfollowed {
    pub(super) symbol: String,
    /// Where the construct not followed is.
    pub(super) at: usize,
    /// The construct, and its line.
    pub(super) why: String,
}

/// Reads the declarations of `text`; a value the grammar does not have is an error.
pub(super) fn declarations(text: &str) -> Result<File, Stop> {
    let mut parser = Parser { text, at: 0 };
    let mut file = File::default();
    loop {
        parser.skip(true);
        if parser.at >= text.len() {
            return Ok(file);
        }
        let start = parser.at;
        // Decorators (`@description(…)`), other declarations and what they span: to the end
        // of the statement (strings and brackets may span lines).
        let Some(word) = parser.name() else {
            skip_statement(&mut parser);
            continue;
        };
        match word.as_str() {
            "param" | "var" => {
                parser.skip(false);
                let Some(name) = parser.name() else {
                    parser.skip_line();
                    continue;
                };
                // `param name type = default`, `var name = value`; a type may be an object
                // over several lines (`param cfg {` … `} = {…}`).
                if !skip_to_assignment(&mut parser) {
                    if word == "param" {
                        file.inputs.insert(name);
                    }
                    continue;
                }
                parser.skip(true);
                let value = match parser
                    .expression(0)
                    .and_then(|value| parser.end_of_declaration().map(|()| value))
                {
                    Ok(value) => value,
                    Err(stop) => {
                        resync(&mut parser, stop.offset);
                        let why = not_followed(text, start..parser.at, stop)?;
                        file.unfollowed.insert(name, why);
                        continue;
                    }
                };
                match word.as_str() {
                    "param" => file.params.insert(name, value),
                    _ => file.vars.insert(name, value),
                };
            }
            "resource" | "module" => {
                parser.skip(false);
                let Some(symbol) = parser.name() else {
                    parser.skip_line();
                    continue;
                };
                parser.skip(false);
                if parser.text.as_bytes().get(parser.at) != Some(&b'\'') {
                    parser.skip_line();
                    continue;
                }
                let kind = match parser.string(0)?.kind {
                    Kind::String(pieces) => syntax::plain(&pieces).unwrap_or_default(),
                    _ => String::new(),
                };
                if !skip_to_assignment(&mut parser) {
                    continue;
                }
                // `= if (condition) {…}`: the body; whether it deploys is the deployment's.
                parser.skip(true);
                let body = match parser
                    .declaration_value(0)
                    .and_then(|(_, body)| parser.end_of_declaration().map(|()| body))
                {
                    Ok(body) => body,
                    Err(stop) => {
                        let at = stop.offset;
                        resync(&mut parser, stop.offset);
                        let why = not_followed(text, start..parser.at, stop)?;
                        // A body that may hold a condition: one result, never dropped.
                        if text
                            .get(start..parser.at)
                            .is_some_and(|t| t.contains("condition"))
                        {
                            file.unfollowed_declarations
                                .push(Unfollowed { symbol, at, why });
                        }
                        continue;
                    }
                };
                file.declarations.push(Declaration {
                    keyword: word,
                    symbol,
                    kind,
                    body,
                    range: start..parser.at,
                });
            }
            _ => skip_statement(&mut parser),
        }
    }
}

/// Why a declaration (`declaration`, the bytes up to the next one) is not followed: the
/// parser's words, and the line, for a construct the grammar here does not have; `Err` (the
/// file's error) for text Bicep itself refuses: a string, array, object or interpolation
/// without its end, an escape Bicep does not have, brackets that do not pair, and anything
/// past a budget.
fn not_followed(text: &str, declaration: Range<usize>, stop: Stop) -> Result<String, Stop> {
    let Problem::Syntax { expected, .. } = &stop.problem else {
        return Err(stop);
    };
    let lexical = ["without its", "end of the file", "escape", "after `$`"];
    if lexical.iter().any(|l| expected.contains(l))
        || !balanced(text.get(declaration).unwrap_or(""))
    {
        return Err(stop);
    }
    let line = crate::span::line_column(text, stop.offset).0;
    Ok(format!(
        "a construct azabac does not follow at line {line}: {expected}"
    ))
}

/// Where the string or comment that starts at `at` ends (`'…'` with its escapes,
/// triple-quoted, `//`, `/* */`); `None` where none starts there.
fn past_trivia(text: &str, at: usize) -> Option<usize> {
    let rest = text.get(at..)?;
    if let Some(after) = rest.strip_prefix("'''") {
        return Some(at + 3 + after.find("'''").map_or(after.len(), |end| end + 3));
    }
    if rest.starts_with('\'') {
        let bytes = rest.as_bytes();
        let mut end = 1;
        while let Some(&b) = bytes.get(end) {
            end += if b == b'\\' { 2 } else { 1 };
            if b == b'\'' || b == b'\n' {
                break;
            }
        }
        return Some(at + end);
    }
    if rest.starts_with("//") {
        return Some(at + rest.find('\n').unwrap_or(rest.len()));
    }
    if rest.starts_with("/*") {
        return Some(at + rest.find("*/").map_or(rest.len(), |end| end + 2));
    }
    None
}

/// Whether the brackets of `text` pair, outside strings and comments.
fn balanced(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut open = Vec::new();
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        if let Some(next) = past_trivia(text, at) {
            at = next;
            continue;
        }
        match byte {
            b'(' | b'[' | b'{' => open.push(byte),
            b')' | b']' | b'}' => {
                let want = match byte {
                    b')' => b'(',
                    b']' => b'[',
                    _ => b'{',
                };
                if open.pop() != Some(want) {
                    return false;
                }
            }
            _ => {}
        }
        at += 1;
    }
    open.is_empty()
}

/// Moves to the end of the statement at the cursor: the first line break outside strings
/// (`'…'` and triple-quoted), comments and brackets, so that a decorator's or an `output`'s
/// value over several lines is never read as declarations.
fn skip_statement(parser: &mut Parser<'_>) {
    let end = statement_end(parser.text, parser.at, false);
    parser.at = end.unwrap_or(parser.text.len());
}

/// Moves past a `param`'s or `var`'s type to just after its `=`, `true`; `false` (the cursor at
/// the statement's end) where the statement has none.
fn skip_to_assignment(parser: &mut Parser<'_>) -> bool {
    match statement_end(parser.text, parser.at, true) {
        Some(at) if parser.text.as_bytes().get(at) == Some(&b'=') => {
            parser.at = at + 1;
            true
        }
        end => {
            parser.at = end.unwrap_or(parser.text.len());
            false
        }
    }
}

/// Where the statement from `at` ends: the first line break (or, with `assignment`, the first
/// `=` that is no `==`, `=>`, `!=`, `<=` or `>=`) outside strings, comments and brackets;
/// `None` at the end of the text.
fn statement_end(text: &str, mut at: usize, assignment: bool) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    while let Some(&byte) = bytes.get(at) {
        if let Some(next) = past_trivia(text, at) {
            at = next;
            continue;
        }
        match byte {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' if depth == 0 => return Some(at),
            b'=' if assignment && depth == 0 => {
                let before = at.checked_sub(1).and_then(|i| bytes.get(i));
                let after = bytes.get(at + 1);
                if !matches!(before, Some(b'=' | b'!' | b'<' | b'>'))
                    && !matches!(after, Some(b'=' | b'>'))
                {
                    return Some(at);
                }
            }
            _ => {}
        }
        at += 1;
    }
    None
}

/// Moves past the declaration that stopped the reader at `stopped`: to the start of the next
/// line whose first word begins a declaration (a keyword followed by a space or tab, a
/// decorator or a directive); to the end of the text if none does.
fn resync(parser: &mut Parser<'_>, stopped: usize) {
    const STARTS: [&str; 14] = [
        "param ",
        "var ",
        "resource ",
        "module ",
        "output ",
        "type ",
        "func ",
        "import ",
        "metadata ",
        "targetScope",
        "extension ",
        "using ",
        "assert ",
        "@",
    ];
    let text = parser.text;
    let mut at = stopped.max(parser.at);
    loop {
        let Some(newline) = text.get(at..).and_then(|rest| rest.find('\n')) else {
            parser.at = text.len();
            return;
        };
        at += newline + 1;
        let line = text.get(at..).unwrap_or("").trim_start_matches([' ', '\t']);
        let keyword = STARTS.iter().any(|start| {
            let word = start.trim_end();
            line.strip_prefix(word)
                .is_some_and(|rest| word.len() == start.len() || rest.starts_with([' ', '\t']))
        });
        if keyword || line.starts_with("#disable") {
            parser.at = at;
            return;
        }
    }
}
