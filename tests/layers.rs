//! The layers of ARCHITECTURE.md, enforced: every `crate::` and `super::` path in the library's
//! sources (and the grammar, which is compiled into the parser) names a module of its own layer
//! or of a layer below. The layer table is read from ARCHITECTURE.md itself (its ```layers
//! block), so the document and the rule cannot drift apart; the same test checks that every
//! source file belongs to a layer and that every `src/` path the document names exists.
//!
//! Test code (`tests.rs` files, `#[cfg(test)] mod tests { … }` blocks) is not part of the
//! library's graph and is not checked; the binary (`src/cli/`, `src/main.rs`) is the top layer.

#![allow(
    clippy::panic,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test reports by panicking"
)]

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// One layer: its name and its groups of modules. Modules of one group may import each other;
/// two groups of one layer may not (they are peers).
#[derive(Debug)]
struct Layer {
    name: String,
    groups: Vec<Vec<String>>,
}

/// Where a module sits: its layer (0 is the bottom) and its group in that layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Place {
    layer: usize,
    group: usize,
}

struct Layers(Vec<Layer>);

impl Layers {
    /// Reads the ```layers block: one layer a line, top first, as `name: a b | c d`.
    fn from_architecture(text: &str) -> Layers {
        let start = text
            .find("```layers\n")
            .expect("ARCHITECTURE.md has a ```layers block");
        let body = &text[start + "```layers\n".len()..];
        let body = &body[..body.find("```").expect("the ```layers block is closed")];
        let mut layers: Vec<Layer> = body
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| {
                let (name, modules) = line
                    .split_once(':')
                    .unwrap_or_else(|| panic!("a layer line is `name: modules`: {line:?}"));
                Layer {
                    name: name.trim().to_owned(),
                    groups: modules
                        .split('|')
                        .map(|group| group.split_whitespace().map(str::to_owned).collect())
                        .collect(),
                }
            })
            .collect();
        layers.reverse();
        Layers(layers)
    }

    /// The place of a module path (`syntax::parser::Builder`): that of the longest module
    /// prefix the table names.
    fn place(&self, path: &[String]) -> Option<(Place, usize)> {
        let mut best: Option<(Place, usize)> = None;
        for (layer, entry) in self.0.iter().enumerate() {
            for (group, modules) in entry.groups.iter().enumerate() {
                for module in modules {
                    let parts: Vec<&str> = module.split("::").collect();
                    let matches = parts.len() <= path.len()
                        && parts.iter().zip(path).all(|(a, b)| *a == b.as_str());
                    if matches && best.is_none_or(|(_, len)| parts.len() > len) {
                        best = Some((Place { layer, group }, parts.len()));
                    }
                }
            }
        }
        best
    }

    /// Why `from` may not name `to`, if it may not.
    fn violation(&self, from: Place, to: Place) -> Option<String> {
        if to.layer > from.layer {
            Some(format!(
                "goes up from layer `{}` to layer `{}`",
                self.0[from.layer].name, self.0[to.layer].name
            ))
        } else if to.layer == from.layer && to.group != from.group {
            Some(format!(
                "crosses between peers of layer `{}`",
                self.0[from.layer].name
            ))
        } else {
            None
        }
    }

    /// Every violation in one source file, as lines of a report.
    fn check_source(&self, module: &[String], source: &str) -> Vec<String> {
        let Some((from, _)) = self.place(module) else {
            return vec![format!(
                "module `{}` is in no layer of ARCHITECTURE.md",
                module.join("::")
            )];
        };
        let mut found = Vec::new();
        for path in referenced_paths(&library_code(source), module) {
            let Some((to, _)) = self.place(&path) else {
                continue;
            };
            if let Some(why) = self.violation(from, to) {
                found.push(format!(
                    "`{}` names `{}`: {why}",
                    module.join("::"),
                    path.join("::")
                ));
            }
        }
        found
    }
}

/// The source without comments, string and char literals, and inline test modules.
fn library_code(source: &str) -> String {
    let mut code = without_literals(source);
    while let Some(at) = code.find("#[cfg(test)]\nmod tests {") {
        let open = at + code[at..].find('{').expect("found above");
        let mut depth = 0usize;
        let mut end = code.len();
        for (i, c) in code[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        code.replace_range(at..end, "");
    }
    code
}

/// The source without comments and string and char literals.
fn without_literals(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '\'' => {
                // A char literal (`'"'`, `'\\''`) is dropped; a lifetime (`'a`) kept.
                let mut ahead = chars.clone();
                match (ahead.next(), ahead.next()) {
                    (Some('\\'), _) => {
                        chars.next();
                        chars.next();
                        for c in chars.by_ref() {
                            if c == '\'' {
                                break;
                            }
                        }
                    }
                    (Some(_), Some('\'')) => {
                        chars.next();
                        chars.next();
                    }
                    _ => out.push(c),
                }
            }
            'r' if chars.peek() == Some(&'#') => {
                // A raw string `r#"…"#`.
                let mut ahead = chars.clone();
                ahead.next();
                if ahead.next() == Some('"') {
                    chars.next();
                    chars.next();
                    let mut previous = ' ';
                    for c in chars.by_ref() {
                        if previous == '"' && c == '#' {
                            break;
                        }
                        previous = c;
                    }
                    out.push_str("\"\"");
                } else {
                    out.push(c);
                }
            }
            '"' => {
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
                out.push_str("\"\"");
            }
            _ => out.push(c),
        }
    }
    out
}

/// Every module path named through `crate::` or `super::` in `code`, groups (`{a, b::c}`)
/// expanded, `super` resolved against `module`.
fn referenced_paths(code: &str, module: &[String]) -> Vec<Vec<String>> {
    let bytes = code.as_bytes();
    let mut paths = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let rest = &code[at..];
        let boundary = at == 0
            || !(bytes[at - 1].is_ascii_alphanumeric()
                || bytes[at - 1] == b'_'
                || bytes[at - 1] == b':');
        let root = if !boundary {
            None
        } else if rest.starts_with("crate::") {
            Some((Vec::new(), "crate::".len()))
        } else if rest.starts_with("super::") {
            // Each `super` pops one module: `x.rs`'s is its folder's module, `mod.rs`'s the
            // folder's parent (its module path already names the folder).
            Some((module.to_vec(), 0))
        } else {
            None
        };
        match root {
            Some((base, skip)) => {
                let (expanded, used) = parse_tree(&code[at + skip..], base);
                paths.extend(expanded);
                at += skip + used.max(1);
            }
            None => at += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    paths
}

/// Reads a use-tree at the start of `text` (after `crate::`, or at `super::`) onto `prefix`.
/// Returns the expanded paths and the bytes read.
fn parse_tree(text: &str, prefix: Vec<String>) -> (Vec<Vec<String>>, usize) {
    let bytes = text.as_bytes();
    let mut at = 0;
    let mut path = prefix;
    loop {
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        if bytes.get(at) == Some(&b'{') {
            at += 1;
            let mut all = Vec::new();
            loop {
                while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b',') {
                    at += 1;
                }
                if at >= bytes.len() || bytes[at] == b'}' {
                    return (all, at + 1);
                }
                let (inner, used) = parse_tree(&text[at..], path.clone());
                all.extend(inner);
                at += used.max(1);
            }
        }
        let word_end = text[at..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(text.len(), |end| at + end);
        let word = &text[at..word_end];
        if word.is_empty() || word == "self" || word == "*" {
            return (
                vec![path],
                word_end.max(at + usize::from(text[at..].starts_with('*'))),
            );
        }
        if word == "super" {
            path.pop();
        } else {
            path.push(word.to_owned());
        }
        at = word_end;
        if text[at..].starts_with("::") {
            at += 2;
        } else {
            return (vec![path], at);
        }
    }
}

/// Every library source file with its module path (`src/syntax/parser.rs` is
/// `syntax::parser`; `mod.rs` is its folder's module), and the grammar as `syntax::parser`.
fn library_sources(root: &Path) -> Vec<(PathBuf, Vec<String>)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).expect("read src") {
            let path = entry.expect("read src").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let src = root.join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    files.sort();
    let mut sources: Vec<(PathBuf, Vec<String>)> = files
        .into_iter()
        .filter_map(|file| {
            let relative = file.strip_prefix(&src).expect("under src");
            let mut module: Vec<String> = relative
                .with_extension("")
                .iter()
                .map(|part| part.to_string_lossy().into_owned())
                .collect();
            if module.last().is_some_and(|last| last == "mod") {
                module.pop();
            }
            let name = module.last().map(String::as_str);
            let binary = module
                .first()
                .is_some_and(|first| first == "cli" || first == "main");
            (name != Some("tests") && name != Some("lib") && !binary).then_some((file, module))
        })
        .collect();
    sources.push((
        root.join("grammar/condition.lalrpop"),
        vec!["syntax".to_owned(), "parser".to_owned()],
    ));
    sources
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn architecture_layers() -> Layers {
    Layers::from_architecture(&fs::read_to_string(root().join("ARCHITECTURE.md")).expect("read"))
}

#[test]
fn imports_go_down_the_layers_of_architecture_md() {
    let layers = architecture_layers();
    let mut report = String::new();
    let root = root();
    for (file, module) in library_sources(&root) {
        let source = fs::read_to_string(&file).expect("read source");
        let shown = file.strip_prefix(&root).unwrap_or(&file).display();
        for problem in layers.check_source(&module, &source) {
            writeln!(report, "{shown}: {problem}").expect("write");
        }
    }
    assert!(report.is_empty(), "imports against the layers:\n{report}");
}

/// The back-edges the renovation removed, each written as it was: the test must see every one.
#[test]
fn each_former_back_edge_would_fail() {
    let layers = architecture_layers();
    let module = |path: &str| path.split("::").map(str::to_owned).collect::<Vec<_>>();
    for (from, line) in [
        ("catalog", "use crate::rbac::ActionPattern;"),
        ("check", "use crate::rbac::{ActionPattern, RoleDefinition};"),
        ("check::targets", "use crate::eval::Program;"),
        ("eval::compile", "use crate::rbac::ActionPattern;"),
        ("catalog::role", "use crate::eval::Program;"),
        (
            "syntax::lexer",
            "let span = super::parser::span(*start, *stop);",
        ),
        (
            "syntax::printer",
            "use super::parser::{MAX_CONDITION_BYTES, Parse, parse};",
        ),
        ("syntax::literal", "crate::syntax::lexer::parse_guid(text)"),
        ("rbac::world", "crate::report::explain(tree, catalog, None)"),
        ("report", "use crate::suite::Suite;"),
        ("span", "use crate::{diagnostic::Diagnostic, limits};"),
    ] {
        let found = layers.check_source(&module(from), line);
        assert!(!found.is_empty(), "`{line}` in `{from}` was not reported");
    }
    // And the allowed directions pass.
    for (from, line) in [
        ("rbac::world", "use crate::eval::{Program, Request, Trace};"),
        ("syntax::parser", "use super::lexer::{self, Text, Token};"),
        (
            "eval",
            "use crate::syntax::{self, Literal, OperatorFamily};",
        ),
        ("catalog::role", "use super::ActionPattern;"),
    ] {
        let found = layers.check_source(&module(from), line);
        assert!(found.is_empty(), "`{line}` in `{from}`: {found:?}");
    }
}

/// ARCHITECTURE.md maps the code path for path: every folder and loose file under `src/` is
/// named in it, and every `src/…` path it names exists.
#[test]
fn architecture_md_names_every_source_path_and_only_real_ones() {
    let root = root();
    let text = fs::read_to_string(root.join("ARCHITECTURE.md")).expect("read");
    let mut missing = BTreeSet::new();
    for entry in fs::read_dir(root.join("src")).expect("read src") {
        let path = entry.expect("read src").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let shown = if path.is_dir() {
            format!("src/{name}/")
        } else {
            format!("src/{name}")
        };
        if !text.contains(&shown) {
            missing.insert(shown);
        }
    }
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md does not name {missing:?}"
    );
    let mut stale = BTreeSet::new();
    for (at, _) in text.match_indices("`src/") {
        let rest = &text[at + 1..];
        let path = &rest[..rest.find('`').expect("closed")];
        for path in expand_braces(path) {
            if !root.join(&path).exists() {
                stale.insert(path);
            }
        }
    }
    assert!(
        stale.is_empty(),
        "ARCHITECTURE.md names paths that do not exist: {stale:?}"
    );
}

/// `src/a/{b,c}.rs` as `src/a/b.rs` and `src/a/c.rs`.
fn expand_braces(path: &str) -> Vec<String> {
    match (path.find('{'), path.find('}')) {
        (Some(open), Some(close)) if open < close => path[open + 1..close]
            .split(',')
            .map(|part| format!("{}{}{}", &path[..open], part.trim(), &path[close + 1..]))
            .collect(),
        _ => vec![path.to_owned()],
    }
}

/// The host readers stay in files one can read whole (issue 30): every file under
/// `src/input/` has at most 500 lines.
#[test]
fn every_host_reader_file_has_at_most_500_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let long: Vec<String> = library_sources(root)
        .into_iter()
        .filter(|(path, _)| path.starts_with(root.join("src/input")))
        .filter_map(|(path, _)| {
            let lines = fs::read_to_string(&path)
                .expect("read source")
                .lines()
                .count();
            (lines > 500).then(|| format!("{}: {lines} lines", path.display()))
        })
        .collect();
    assert!(long.is_empty(), "split these files: {long:?}");
}
