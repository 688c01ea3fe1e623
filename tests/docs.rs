//! The README and the reference in `docs/` stay true: every code block runs (a doctest, a
//! transcript of the binary, or a parse by the reader it shows), every link and citation
//! resolves, every page has its contents, the code table is the program's, and `--help` says
//! what the reference says about flags, exit status and directories.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly on broken fixtures"
)]

#[path = "support/markdown.rs"]
mod markdown;
#[path = "support/transcript.rs"]
mod transcript;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use markdown::Page;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The pages users read: the README and every page of `docs/` but the specification, which
/// is source material with its own numbering.
fn pages() -> Vec<Page> {
    let mut paths = vec![PathBuf::from("README.md")];
    let mut docs: Vec<PathBuf> = fs::read_dir(Path::new(ROOT).join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| p.strip_prefix(ROOT).unwrap().to_owned())
        .collect();
    docs.sort();
    paths.extend(docs);
    paths.into_iter().map(|path| page(&path)).collect()
}

fn page(path: &Path) -> Page {
    Page {
        path: path.to_string_lossy().into_owned(),
        text: fs::read_to_string(Path::new(ROOT).join(path)).unwrap(),
    }
}

/// Every Markdown file of the repository's documentation, the specification included.
fn all_pages() -> Vec<Page> {
    let mut all = pages();
    all.push(page(Path::new("ARCHITECTURE.md")));
    for spec in ["LANGUAGE", "DECISIONS", "RBAC"] {
        all.push(page(&PathBuf::from(format!("docs/spec/{spec}.md"))));
    }
    all
}

fn azabac(args: &[String]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_azabac"))
        .args(args)
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn the_readme_is_at_most_600_lines() {
    let lines = page(Path::new("README.md")).text.lines().count();
    assert!(lines <= 600, "README.md has {lines} lines");
}

/// A relative link names a file of the repository and, with `#anchor`, a heading or an
/// explicit anchor of that page.
#[test]
fn every_link_resolves() {
    let mut broken = Vec::new();
    for page in all_pages() {
        let dir = Path::new(&page.path).parent().unwrap().to_owned();
        for (line, text) in markdown::paragraphs(&page.text) {
            for link in markdown::links(&text) {
                let target = link.target.split_whitespace().next().unwrap_or_default();
                if target.contains("://") || target.starts_with("mailto:") {
                    continue;
                }
                let (file, anchor) = target.split_once('#').unwrap_or((target, ""));
                let file = if file.is_empty() {
                    PathBuf::from(&page.path)
                } else {
                    dir.join(file)
                };
                let path = Path::new(ROOT).join(&file);
                if !path.exists() {
                    broken.push(format!("{}:{line}: no file {}", page.path, file.display()));
                    continue;
                }
                if !anchor.is_empty()
                    && !markdown::anchors(&fs::read_to_string(&path).unwrap()).contains(anchor)
                {
                    broken.push(format!(
                        "{}:{line}: no anchor #{anchor} in {}",
                        page.path,
                        file.display()
                    ));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

/// Each page opens with its contents: a link to every section, in order.
#[test]
fn every_page_lists_its_sections() {
    for page in pages() {
        let sections: Vec<String> = markdown::headings(&page.text)
            .into_iter()
            .filter(|(level, heading, _)| *level == 2 && heading != "Contents")
            .map(|(_, heading, _)| markdown::slug(&heading))
            .collect();
        let contents = markdown::section(&page.text, "Contents");
        let listed: Vec<String> = contents
            .lines()
            .flat_map(markdown::links)
            .filter_map(|l| l.target.strip_prefix('#').map(str::to_owned))
            .collect();
        assert_eq!(
            listed, sections,
            "{}: the contents and the sections differ",
            page.path
        );
    }
}

/// Where a citation of the specification sits in a line: `decision 24`, `decisions 14`,
/// `R13`, `§6.8`, `LANGUAGE.md §6`, `RBAC.md §1.4`.
fn citations(line: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = line.as_bytes();
    let mut found = Vec::new();
    let mut push = |start: usize, end: usize| found.push(start..end);
    for (i, _) in line.match_indices("decision") {
        let rest = &line[i + "decision".len()..];
        let rest = rest.strip_prefix('s').unwrap_or(rest);
        if let Some(number) = rest.strip_prefix(' ') {
            let digits = number.strip_prefix('R').unwrap_or(number);
            if digits.starts_with(|c: char| c.is_ascii_digit()) {
                push(i, line.len() - number.len() + 1);
            }
        }
    }
    for (i, _) in line.match_indices('§') {
        push(i, i + '§'.len_utf8());
    }
    for (i, _) in line.match_indices('R') {
        let before = i.checked_sub(1).map(|j| bytes[j]);
        let number = &line[i + 1..];
        let digits = number.bytes().take_while(u8::is_ascii_digit).count();
        let after = number.as_bytes().get(digits);
        if digits > 0
            && digits <= 2
            && before.is_none_or(|b| !b.is_ascii_alphanumeric())
            && after.is_none_or(|b| !b.is_ascii_alphanumeric())
        {
            push(i, i + 1 + digits);
        }
    }
    found
}

/// The citations of `text` (prose lines) that sit outside the text of a link.
fn unlinked(text: &[(usize, String)]) -> Vec<(usize, String)> {
    let mut bad = Vec::new();
    for (line, text) in text {
        let blanked = markdown::without_code_spans(text);
        let linked: Vec<std::ops::Range<usize>> =
            markdown::links(text).into_iter().map(|l| l.text).collect();
        for cite in citations(&blanked) {
            if !linked
                .iter()
                .any(|l| l.start <= cite.start && cite.end <= l.end)
            {
                bad.push((*line, text.trim().to_owned()));
                break;
            }
        }
    }
    bad
}

#[test]
fn every_citation_in_the_pages_is_a_link() {
    let mut bad = Vec::new();
    for page in pages() {
        let prose: Vec<(usize, String)> = markdown::prose(&page.text)
            .into_iter()
            .map(|(n, l)| (n, l.to_owned()))
            .collect();
        bad.extend(
            unlinked(&prose)
                .into_iter()
                .map(|(n, l)| format!("{}:{n}: {l}", page.path)),
        );
    }
    assert!(
        bad.is_empty(),
        "cite the specification with a link:\n{}",
        bad.join("\n")
    );
}

/// The doc comments of the library's and the binary's sources, outside their code blocks, as
/// paragraphs.
fn doc_comments(path: &Path) -> Vec<(usize, String)> {
    let mut lines: Vec<(usize, String)> = Vec::new();
    let mut in_code = false;
    for (index, line) in fs::read_to_string(path).unwrap().lines().enumerate() {
        let trimmed = line.trim_start();
        let Some(doc) = trimmed
            .strip_prefix("///")
            .or_else(|| trimmed.strip_prefix("//!"))
        else {
            in_code = false;
            continue;
        };
        if doc.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if !in_code {
            lines.push((index + 1, doc.to_owned()));
        }
    }
    markdown::join(lines.iter().map(|(n, l)| (*n, l.as_str())))
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

/// In rustdoc, a citation links into the specification module (`crate::spec::decisions#…`),
/// and the anchor it names exists in the page that module includes.
#[test]
fn every_citation_in_rustdoc_is_a_link_to_an_anchor_that_exists() {
    let spec = |module: &str| {
        let file = match module {
            "language" => "LANGUAGE",
            "decisions" => "DECISIONS",
            "rbac" => "RBAC",
            other => panic!("no specification module `{other}`"),
        };
        markdown::anchors(&page(&PathBuf::from(format!("docs/spec/{file}.md"))).text)
    };
    let mut bad = Vec::new();
    for path in sources() {
        let name = path.strip_prefix(ROOT).unwrap().display().to_string();
        let comments = doc_comments(&path);
        bad.extend(
            unlinked(&comments)
                .into_iter()
                .map(|(n, l)| format!("{name}:{n}: {l}")),
        );
        for (line, text) in &comments {
            for link in markdown::links(text) {
                let Some(rest) = link
                    .target
                    .strip_prefix("crate::spec::")
                    .or_else(|| link.target.strip_prefix("azabac::spec::"))
                else {
                    continue;
                };
                let (module, anchor) = rest.split_once('#').unwrap_or((rest, ""));
                if !anchor.is_empty() && !spec(module).contains(anchor) {
                    bad.push(format!(
                        "{name}:{line}: no anchor #{anchor} in spec::{module}"
                    ));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "cite the specification with a link that resolves:\n{}",
        bad.join("\n")
    );
}

/// The diagnostics page's table of codes is the program's: one row per code, each with its
/// severity, basis, category and title.
#[test]
fn the_code_table_lists_every_code_as_the_program_has_it() {
    use azabac::diagnostic::Code;
    let page = page(Path::new("docs/diagnostics.md"));
    let rows = markdown::table(&page.text, "Code");
    assert_eq!(
        rows.len(),
        Code::ALL.len(),
        "the table and the program have different codes"
    );
    for (code, row) in Code::ALL.iter().zip(&rows) {
        let expected = [
            code.as_str(),
            code.default_severity().as_str(),
            code.basis().as_str(),
            code.category().map_or("", |c| c.as_str()),
            code.title(),
        ];
        assert_eq!(row[..5], expected, "the row of {code}");
    }
}

/// The subcommands `azabac --help` lists.
fn subcommands() -> Vec<String> {
    let help = String::from_utf8(azabac(&["--help".into()]).stdout).unwrap();
    let commands = help
        .split_once("Commands:\n")
        .unwrap()
        .1
        .split_once("\n\n")
        .unwrap()
        .0;
    commands
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_owned)
        .collect()
}

/// A subcommand's `--help`.
fn help(command: &str) -> String {
    let output = azabac(&[command.to_owned(), "--help".into()]);
    assert!(output.status.success(), "{command} --help");
    String::from_utf8(output.stdout).unwrap()
}

/// The long flags a help text declares (not `--help`, `--version`).
fn help_flags(help: &str) -> BTreeSet<String> {
    help.lines()
        .filter_map(|line| {
            let line = line.trim_start();
            let line = line
                .strip_prefix("-")
                .filter(|l| l.chars().nth(1) == Some(','))
                .map_or(line, |l| l[2..].trim_start());
            let flag = line.strip_prefix("--")?;
            let name: String = flag
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            (!name.is_empty()).then(|| format!("--{name}"))
        })
        .filter(|f| f != "--help" && f != "--version")
        .collect()
}

/// The flags a table of the reference gives, by its first cell (`-f, --file FILE...`).
fn table_flags(rows: &[Vec<String>]) -> BTreeSet<String> {
    rows.iter()
        .filter_map(|row| {
            let cell = row.first()?.trim_matches('`');
            let flag = cell.split(", ").last()?.split_whitespace().next()?;
            Some(flag.to_owned())
        })
        .collect()
}

/// The `N  meaning` rows after a heading line of a help text, until a blank line.
fn help_rows(help: &str, heading: &str) -> Vec<(String, String)> {
    let Some((_, rest)) = help.split_once(heading) else {
        return Vec::new();
    };
    rest.lines()
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .map(|l| {
            let (key, meaning) = l.trim().split_once("  ").unwrap();
            (key.to_owned(), meaning.trim().to_owned())
        })
        .collect()
}

/// Each command has a section in `docs/cli.md` whose flags table holds exactly the flags its
/// `--help` declares (the world flags by reference), whose exit-status table says what the
/// help says, and, for the commands that read conditions, the directory table of "Inputs"
/// is what the help says a directory means.
#[test]
fn help_and_the_reference_agree() {
    let cli = page(Path::new("docs/cli.md")).text;
    let world = table_flags(&markdown::table(
        markdown::section(&cli, "World flags"),
        "Flag",
    ));
    let directories: Vec<(String, String)> =
        markdown::table(markdown::section(&cli, "Inputs"), "Files")
            .into_iter()
            .map(|row| (row[0].trim_matches('`').to_owned(), row[1].clone()))
            .collect();
    let mut problems = Vec::new();
    for command in subcommands() {
        let help = help(&command);
        let section = markdown::section(&cli, &format!("azabac {command}"));
        let mut documented = table_flags(&markdown::table(section, "Flag"));
        if section.contains("[world flags](#world-flags)") {
            documented.extend(world.iter().cloned());
        }
        let declared = help_flags(&help);
        for flag in declared.symmetric_difference(&documented) {
            let side = if declared.contains(flag) {
                "in --help, not in docs/cli.md"
            } else {
                "in docs/cli.md, not in --help"
            };
            problems.push(format!("{command} {flag}: {side}"));
        }
        let exit: Vec<(String, String)> = markdown::table(section, "Exit")
            .into_iter()
            .map(|r| (r[0].clone(), r[1].clone()))
            .collect();
        let help_exit = help_rows(&help, "Exit status:");
        if exit != help_exit || exit.is_empty() {
            problems.push(format!(
                "{command}: exit status\n  --help: {help_exit:?}\n  docs:   {exit:?}"
            ));
        }
        if declared.contains("--file") && help_rows(&help, "Directories:") != directories {
            problems.push(format!(
                "{command}: what a directory means differs from docs/cli.md#inputs"
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
    let readme = page(Path::new("README.md")).text;
    for command in subcommands() {
        let link = format!("(docs/cli.md#azabac-{command})");
        assert!(readme.contains(&link), "README.md does not link {link}");
    }
}

/// Every fenced block says what it is, and each kind is checked: Rust runs as a doctest (the
/// page is included by `src/lib.rs`), transcripts run, JSON, TOML and YAML parse, conditions
/// check, Terraform and Bicep read clean, and shell lines call azabac with flags it has.
#[test]
fn every_code_block_is_checked() {
    let lib = fs::read_to_string(Path::new(ROOT).join("src/lib.rs")).unwrap();
    let checker = azabac::check::Checker::new(azabac::catalog::Catalog::builtin());
    let mut problems = Vec::new();
    for page in pages() {
        for block in markdown::blocks(&page.text) {
            let at = format!("{}:{}", page.path, block.line);
            match block.lang.as_str() {
                "rust" => {
                    let include = format!("include_str!(\"../{}\")", page.path);
                    if !lib.contains(&include) {
                        problems.push(format!("{at}: the page is not a doctest of src/lib.rs"));
                    }
                }
                "console" => problems.extend(run_transcript(&block, &page.path)),
                "json" => {
                    if let Err(e) = serde_json::from_str::<serde_json::Value>(&block.body) {
                        problems.push(format!("{at}: not JSON: {e}"));
                    }
                }
                "toml" => {
                    if let Err(e) = block.body.parse::<toml::Table>() {
                        problems.push(format!("{at}: not TOML: {e}"));
                    }
                }
                "yaml" => {
                    if let Err(e) = yaml_rust2::YamlLoader::load_from_str(&block.body) {
                        problems.push(format!("{at}: not YAML: {e}"));
                    }
                }
                "condition" => {
                    let checked = azabac::Condition::parse(block.body.trim_end()).check(&checker);
                    if checked.is_err() {
                        problems.push(format!("{at}: the condition has errors"));
                    }
                }
                "hcl" | "bicep" => problems.extend(read_host(&block, &at)),
                "sh" => problems.extend(shell_lines(&block, &at)),
                other => problems.push(format!("{at}: a block of `{other}` is not checked; use one of the kinds tests/docs.rs checks")),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Runs each step of a transcript from the repository's root and compares its standard
/// output; a usage error (exit 2) means the transcript is stale.
fn run_transcript(block: &markdown::Block, path: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for step in transcript::steps(&block.body, block.line + 1) {
        let output = azabac(&step.args);
        let stdout = String::from_utf8_lossy(&output.stdout);
        let actual: Vec<&str> = stdout.lines().collect();
        if output.status.code() == Some(2) || !transcript::matches(&step.expected, &actual) {
            problems.push(format!(
                "{path}:{}: `azabac {}` exits {:?} and prints\n{stdout}{}\nwhere the page shows\n{}",
                step.line,
                step.args.join(" "),
                output.status.code(),
                String::from_utf8_lossy(&output.stderr),
                step.expected.join("\n")
            ));
        }
    }
    problems
}

/// A Terraform or Bicep example, written to a file of its own, reads and checks clean with
/// every warning an error (a suppression comment it shows must work).
fn read_host(block: &markdown::Block, at: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("docs-{}", at.replace(['/', ':', '.'], "-")));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    let file = dir.join(if block.lang == "hcl" {
        "main.tf"
    } else {
        "main.bicep"
    });
    fs::write(&file, &block.body).unwrap();
    let args = [
        "check",
        "--no-config",
        "--deny-warnings",
        file.to_str().unwrap(),
    ]
    .map(String::from);
    let output = azabac(&args);
    match output.status.code() {
        Some(0) => Vec::new(),
        code => vec![format!(
            "{at}: `azabac check --deny-warnings` exits {code:?}:\n{}",
            String::from_utf8_lossy(&output.stdout)
        )],
    }
}

/// Each line of a shell block runs cargo, or azabac with a subcommand and flags it has.
fn shell_lines(block: &markdown::Block, at: &str) -> Vec<String> {
    let commands = subcommands();
    let mut problems = Vec::new();
    let text = block.body.replace("\\\n", " ");
    for line in text.lines() {
        let line = line.split(" #").next().unwrap_or_default().trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let words = transcript::split(line);
        let args: Vec<String> = match words
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            ["azabac", ..] => words[1..].to_vec(),
            ["cargo", "run", "--release", "--", ..] => words[4..].to_vec(),
            ["cargo", ..] | ["cd", ..] => continue,
            _ => {
                problems.push(format!("{at}: `{line}` is neither azabac nor cargo"));
                continue;
            }
        };
        let Some(command) = args.first().filter(|c| commands.contains(c)) else {
            problems.push(format!("{at}: `{line}` names no subcommand"));
            continue;
        };
        let flags = help_flags(&help(command));
        for word in &args[1..] {
            let flag = word.split('=').next().unwrap_or_default();
            if flag.starts_with("--") && !flags.contains(flag) {
                problems.push(format!("{at}: `{line}`: {command} has no flag {flag}"));
            }
        }
    }
    problems
}
