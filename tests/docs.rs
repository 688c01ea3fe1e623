//! The README and the reference in `docs/` stay true: every code block is checked by its kind
//! (`tests/support/blocks.rs`), every link and citation resolves to the place it names, every
//! page lists its sections, the code table is the program's, and `--help` and `docs/cli.md`
//! state the same flags, values, exit status and directory walk (`src/cli/help.rs`, included
//! here, holds the facts both print).

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly on broken fixtures"
)]

#[path = "support/binary.rs"]
mod binary;
#[path = "support/blocks.rs"]
mod blocks;
#[path = "support/citations.rs"]
mod citations;
#[path = "../src/cli/help.rs"]
mod help_facts;
#[path = "support/markdown.rs"]
mod markdown;
#[path = "support/transcript.rs"]
mod transcript;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Component, Path, PathBuf};

use blocks::{Help, help};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The pages users read: the README and every page of `docs/` but the specification.
fn user_pages() -> Vec<String> {
    let mut docs: Vec<String> = fs::read_dir(Path::new(ROOT).join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| p.strip_prefix(ROOT).unwrap().display().to_string())
        .collect();
    docs.sort();
    docs.insert(0, "README.md".into());
    docs
}

/// Every Markdown file of the repository (build output and fuzzing corpora aside).
fn all_pages() -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                if !name.starts_with('.') && name != "target" && name != "fuzz" {
                    walk(&path, out);
                }
            } else if name.ends_with(".md") {
                out.push(path.strip_prefix(ROOT).unwrap().display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    walk(Path::new(ROOT), &mut out);
    out.sort();
    out
}

fn read(path: &str) -> String {
    fs::read_to_string(Path::new(ROOT).join(path)).unwrap()
}

/// `dir/../x` as `x`: paths of the repository, for messages and lookups.
fn normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Pages parsed once per test.
#[derive(Default)]
struct Pages(BTreeMap<String, markdown::Page>);

impl Pages {
    fn get(&mut self, path: &str) -> &markdown::Page {
        self.0
            .entry(path.to_owned())
            .or_insert_with(|| markdown::parse(&read(path)))
    }
}

#[test]
fn the_readme_is_at_most_600_lines() {
    let lines = read("README.md").lines().count();
    assert!(lines <= 600, "README.md has {lines} lines");
}

/// A relative link names a file of the repository and, with `#anchor`, a heading or an
/// explicit anchor of that page.
#[test]
fn every_link_resolves() {
    let mut pages = Pages::default();
    let mut broken = Vec::new();
    for path in all_pages() {
        let links: Vec<(String, usize)> = pages
            .get(&path)
            .links
            .iter()
            .map(|l| (l.dest.clone(), l.line))
            .collect();
        let dir = Path::new(&path).parent().unwrap().to_owned();
        for (dest, line) in links {
            if dest.contains("://") || dest.starts_with("mailto:") {
                continue;
            }
            let (file, anchor) = dest.split_once('#').unwrap_or((&dest, ""));
            let target = if file.is_empty() {
                PathBuf::from(&path)
            } else {
                normal(&dir.join(file))
            };
            if !Path::new(ROOT).join(&target).exists() {
                broken.push(format!("{path}:{line}: no file {}", target.display()));
            } else if !anchor.is_empty()
                && !pages
                    .get(&target.display().to_string())
                    .anchors()
                    .contains(anchor)
            {
                broken.push(format!(
                    "{path}:{line}: no anchor #{anchor} in {}",
                    target.display()
                ));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

/// Each page opens with its contents: a link to every section, in order.
#[test]
fn every_page_lists_its_sections() {
    for path in user_pages() {
        let page = markdown::parse(&read(&path));
        let sections: Vec<String> = page
            .headings
            .iter()
            .filter(|h| h.level == 2 && h.text != "Contents")
            .map(|h| format!("#{}", markdown::slug(&h.text)))
            .collect();
        let listed: Vec<String> = page
            .links_under("Contents")
            .map(|l| l.dest.clone())
            .collect();
        assert_eq!(
            listed, sections,
            "{path}: the contents and the sections differ"
        );
    }
}

/// The specification file and anchor a link of the page at `path` goes to.
fn place_in_pages(path: &str, dest: &str) -> Option<(String, String)> {
    let (file, anchor) = dest.split_once('#')?;
    let target = if file.is_empty() {
        PathBuf::from(path)
    } else {
        normal(&Path::new(path).parent()?.join(file))
    };
    let stem = target
        .strip_prefix("docs/spec")
        .ok()?
        .file_stem()?
        .to_str()?
        .to_owned();
    Some((stem, anchor.to_owned()))
}

/// In every Markdown file, the specification included, a citation is a link to its place.
#[test]
fn every_citation_in_the_pages_is_a_link_to_its_place() {
    let mut problems = Vec::new();
    for path in all_pages() {
        let page = markdown::parse(&read(&path));
        let found = citations::problems(&page.runs, &|dest| place_in_pages(&path, dest));
        problems.extend(found.into_iter().map(|p| format!("{path} {p}")));
    }
    assert!(
        problems.is_empty(),
        "cite the specification with a link to the place:\n{}",
        problems.join("\n")
    );
}

/// The doc comments of a source file, as Markdown: each run of `///` or `//!` lines, with the
/// line it starts at.
fn doc_comments(path: &Path) -> Vec<(usize, String)> {
    let mut groups: Vec<(usize, String)> = Vec::new();
    let mut last: Option<(usize, &str)> = None;
    let text = fs::read_to_string(path).unwrap();
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let kind = ["///", "//!"]
            .into_iter()
            .find(|k| trimmed.starts_with(k) && !trimmed.starts_with("////"));
        let Some(kind) = kind else {
            last = None;
            continue;
        };
        let doc = trimmed[kind.len()..]
            .strip_prefix(' ')
            .unwrap_or(&trimmed[kind.len()..]);
        match (&mut groups.last_mut(), last) {
            (Some((_, group)), Some((previous, k))) if previous + 1 == index && k == kind => {
                group.push('\n');
                group.push_str(doc);
            }
            _ => groups.push((index + 1, doc.to_owned())),
        }
        last = Some((index, kind));
    }
    groups
}

fn sources() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(ROOT).join("src"), &mut out);
    out.sort();
    out
}

/// In rustdoc, a citation is a link to its place: in the library, an intra-doc link into the
/// documentation-only module `spec` (`crate::spec::decisions#decision-24`); in the binary,
/// whose docs rustdoc does not build with `spec`, a relative link to the file
/// (`../../docs/spec/DECISIONS.md#decision-23`). The anchor must exist.
#[test]
fn every_citation_in_rustdoc_is_a_link_to_its_place() {
    let mut spec_anchors = BTreeMap::new();
    for (module, file) in [
        ("language", "LANGUAGE"),
        ("decisions", "DECISIONS"),
        ("rbac", "RBAC"),
    ] {
        let anchors = markdown::parse(&read(&format!("docs/spec/{file}.md"))).anchors();
        spec_anchors.insert(module, (file, anchors));
    }
    let mut problems = Vec::new();
    for path in sources() {
        let name = path.strip_prefix(ROOT).unwrap().display().to_string();
        let binary = name.starts_with("src/cli/") || name == "src/main.rs";
        for (start, text) in doc_comments(&path) {
            let page = markdown::parse(&text);
            let place = |dest: &str| -> Option<(String, String)> {
                let (target, anchor) = dest.split_once('#')?;
                let (file, anchors) = if binary {
                    let file = normal(&Path::new(&name).parent()?.join(target));
                    let stem = file.strip_prefix("docs/spec").ok()?.file_stem()?.to_str()?;
                    let (_, (file, anchors)) =
                        spec_anchors.iter().find(|(_, (f, _))| *f == stem)?;
                    (*file, anchors)
                } else {
                    let module = target.strip_prefix("crate::spec::")?;
                    let (file, anchors) = spec_anchors.get(module)?;
                    (*file, anchors)
                };
                anchors
                    .contains(anchor)
                    .then(|| (file.to_owned(), anchor.to_owned()))
            };
            for problem in citations::problems(&page.runs, &place) {
                problems.push(format!("{name} (doc comment at line {start}) {problem}"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "cite the specification with a link to the place:\n{}",
        problems.join("\n")
    );
}

/// The diagnostics page's table of codes is the program's: one row per code, each with its
/// severity, basis, category and title.
#[test]
fn the_code_table_lists_every_code_as_the_program_has_it() {
    use azabac::diagnostic::Code;
    let page = markdown::parse(&read("docs/diagnostics.md"));
    let rows = &page.table("The codes", "Code").unwrap().rows;
    assert_eq!(
        rows.len(),
        Code::ALL.len(),
        "the table and the program have different codes"
    );
    for (code, row) in Code::ALL.iter().zip(rows) {
        let title = code.title();
        let expected = [
            code.as_str(),
            code.default_severity().as_str(),
            code.basis().as_str(),
            code.category().map_or("", |c| c.as_str()),
            title,
        ];
        assert_eq!(row[..5], expected, "the row of {code}");
    }
}

/// A table of `N | meaning` rows as the constants hold them.
fn exit_rows(exit: help_facts::ExitStatus) -> Vec<Vec<String>> {
    exit.iter()
        .map(|(code, meaning)| vec![code.to_string(), (*meaning).to_owned()])
        .collect()
}

/// Each command has a section in `docs/cli.md`: its flags table holds exactly the flags its
/// `--help` declares (the world flags by reference), each with the values and default the help
/// gives; its exit-status table is the one `src/cli/help.rs` holds; and the help the binary
/// prints ends with the text `help.rs` makes of the same facts. "Inputs" states what a
/// directory means and how it is walked, as `help.rs` does.
#[test]
fn help_and_the_reference_agree() {
    let cli = markdown::parse(&read("docs/cli.md"));
    // Each documented flag: its long name, to its declaration (`-f, --file FILE...`) and its
    // meaning.
    let flags_of = |heading: &str| -> BTreeMap<String, (String, String)> {
        cli.table(heading, "Flag").map_or_else(BTreeMap::new, |t| {
            t.rows
                .iter()
                .flat_map(|row| {
                    let long = blocks::flag_names(&row[0])
                        .into_iter()
                        .filter(|f| f.starts_with("--"));
                    let declared = row[0].trim_matches('`').to_owned();
                    long.map(|f| (f, (declared.clone(), row[1].clone())))
                        .collect::<Vec<_>>()
                })
                .collect()
        })
    };
    let world = flags_of("World flags");
    let mut problems = Vec::new();
    let inputs = cli.table("Inputs", "Files").unwrap();
    let kinds: Vec<Vec<String>> = help_facts::DIRECTORY_KINDS
        .iter()
        .map(|(p, m)| vec![format!("`{p}`"), (*m).to_owned()])
        .collect();
    if inputs.rows != kinds {
        problems.push("Inputs: the table of files differs from DIRECTORY_KINDS".to_owned());
    }
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let cli_text = flat(&read("docs/cli.md"));
    for sentence in [help_facts::DIRECTORY_LEAD, help_facts::DIRECTORY_WALK] {
        if !cli_text.contains(&flat(sentence)) {
            problems.push(format!("Inputs does not say: {sentence}"));
        }
    }
    let top = String::from_utf8(binary::azabac(&["--help"]).stdout).unwrap();
    if !top.contains(help_facts::OVERVIEW) {
        problems.push("azabac --help does not end with help.rs's OVERVIEW".to_owned());
    }
    for command in blocks::subcommands() {
        let heading = format!("azabac {command}");
        let help: Help = help(&command);
        let mut documented = flags_of(&heading);
        if cli.links_under(&heading).any(|l| l.dest == "#world-flags") {
            documented.extend(world.clone());
        }
        let declared: BTreeSet<&String> = help.flags.keys().collect();
        let listed: BTreeSet<&String> = documented.keys().collect();
        for flag in declared.symmetric_difference(&listed) {
            let side = if help.flags.contains_key(*flag) {
                "in --help, not in docs/cli.md"
            } else {
                "in docs/cli.md, not in --help"
            };
            problems.push(format!("{command} {flag}: {side}"));
        }
        for (flag, values) in &help.flags {
            let Some((declared, meaning)) = documented.get(flag) else {
                continue;
            };
            if help.declarations.get(flag) != Some(declared) {
                problems.push(format!(
                    "{command} {flag}: --help declares `{}`, docs/cli.md `{declared}`",
                    help.declarations.get(flag).map_or("", String::as_str)
                ));
            }
            for value in &values.possible {
                if !meaning.contains(&format!("`{value}`")) {
                    problems.push(format!(
                        "{command} {flag}: the reference does not name the value `{value}`"
                    ));
                }
            }
            if let Some(default) = &values.default
                && !values.possible.is_empty()
                && !meaning.contains(&format!("`{default}` (default)"))
            {
                problems.push(format!(
                    "{command} {flag}: the reference does not say `{default}` is the default"
                ));
            }
        }
        // The usage line names only flags the command has.
        let usage = cli_text
            .split(&format!("## azabac {command} **Usage:** "))
            .nth(1)
            .and_then(|rest| rest.split('`').nth(1))
            .unwrap_or_default();
        if usage.is_empty() {
            problems.push(format!("{command}: no **Usage:** line"));
        }
        for word in usage
            .split([' ', '[', ']', '|'])
            .filter(|w| w.starts_with("--"))
        {
            if !help.flags.contains_key(word) {
                problems.push(format!(
                    "{command}: the usage line names {word}, which it does not have"
                ));
            }
        }
        let Some(exit) = help_facts::exit_status(&command) else {
            problems.push(format!("{command}: help.rs has no exit status"));
            continue;
        };
        match cli.table(&heading, "Exit") {
            Some(table) if table.rows == exit_rows(exit) => {}
            _ => problems.push(format!(
                "{command}: the exit-status table differs from help.rs"
            )),
        }
        let after = if help.flags.contains_key("--file") {
            help_facts::after_reading(exit)
        } else {
            help_facts::after(exit)
        };
        if !help.text.contains(&after) {
            problems.push(format!(
                "{command}: --help does not end with help.rs's text"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "--help and docs/cli.md differ:\n{}",
        problems.join("\n")
    );
}

/// The README links each command's reference, one click away.
#[test]
fn the_readme_links_every_command_reference() {
    let readme = markdown::parse(&read("README.md"));
    for command in blocks::subcommands() {
        let dest = format!("docs/cli.md#azabac-{command}");
        assert!(
            readme.links.iter().any(|l| l.dest == dest),
            "README.md does not link {dest}"
        );
    }
}

/// Every fenced block of the README and `docs/` says what it is, and is checked as such.
#[test]
fn every_code_block_is_checked() {
    let lib = read("src/lib.rs");
    let mut problems = Vec::new();
    for path in user_pages() {
        for block in markdown::parse(&read(&path)).blocks {
            let at = format!("{path}:{}", block.line);
            problems.extend(
                blocks::check(&block, &path, &lib)
                    .into_iter()
                    .map(|p| format!("{at}: {p}")),
            );
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
