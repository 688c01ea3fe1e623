//! Every code block of the documentation, checked by what it is:
//!
//! | Block | Check |
//! | --- | --- |
//! | `rust` | runs as a doctest: `src/lib.rs` includes the page |
//! | `console` | a transcript: each `$ azabac ARGS` runs from the repository's root and prints what follows; `$ echo $?` shows a non-zero exit status, which must otherwise be 0 |
//! | `json request`, `json access`, `json suite DIR`, `json catalog` | read by the library as an evaluation request, a decision request, a suite in `DIR` (whose cases must pass), a catalogue extension |
//! | `toml project`, `toml cargo` | an `azabac.toml` that `check` accepts; a manifest that parses |
//! | `yaml` | parses; a workflow has `on` and `jobs`, and a step using this action only its inputs |
//! | `condition` | checks without an error |
//! | `hcl`, `bicep` | checks clean with `--deny-warnings` |
//! | `sh` | each line runs cargo, or azabac with a subcommand, flags and values it has |

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    dead_code,
    reason = "test support: a broken fixture must stop the test"
)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::binary;
use super::markdown::Block;
use super::transcript;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The values a flag takes, as `--help` lists them.
#[derive(Default, Clone)]
pub struct Values {
    pub possible: Vec<String>,
    pub default: Option<String>,
}

/// A command's `--help`: its text, its flags (long name to values; short names map to their
/// long one), and each flag's declaration as the reference writes it (`-f, --file FILE...`:
/// the help's `<FILE>` without its brackets).
pub struct Help {
    pub text: String,
    pub flags: BTreeMap<String, Values>,
    pub shorts: BTreeMap<String, String>,
    pub declarations: BTreeMap<String, String>,
}

/// The subcommands `azabac --help` lists.
pub fn subcommands() -> Vec<String> {
    let help = String::from_utf8(binary::azabac(&["--help"]).stdout).unwrap();
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

/// A subcommand's `--help`, with its flags read from the option lines and the `Possible values`
/// and `[default: …]` that follow each.
pub fn help(command: &str) -> Help {
    let output = binary::azabac(&[command, "--help"]);
    assert!(output.status.success(), "{command} --help");
    let text = String::from_utf8(output.stdout).unwrap();
    let mut flags: BTreeMap<String, Values> = BTreeMap::new();
    let mut shorts = BTreeMap::new();
    let mut declarations = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let declared = trimmed.starts_with('-') && !trimmed.starts_with("- ") && indent <= 6;
        if declared {
            let names = flag_names(trimmed.split("  ").next().unwrap_or_default());
            let long = names.iter().find(|n| n.starts_with("--")).cloned();
            current = long.clone().filter(|l| l != "--help" && l != "--version");
            if let Some(long) = &current {
                flags.entry(long.clone()).or_default();
                let declaration = trimmed.split("  ").next().unwrap_or_default();
                declarations.insert(long.clone(), declaration.replace(['<', '>'], ""));
                for short in names.iter().filter(|n| !n.starts_with("--")) {
                    shorts.insert(short.clone(), long.clone());
                }
            }
            // The compact form: `[default: human] [possible values: human, json]` on the line.
            if let (Some(long), Some(at)) = (&current, trimmed.find("[possible values: ")) {
                let list = &trimmed[at + "[possible values: ".len()..];
                let list = list.split(']').next().unwrap_or_default();
                flags.get_mut(long).unwrap().possible =
                    list.split(", ").map(str::to_owned).collect();
            }
        } else if let Some(value) = trimmed.strip_prefix("- ").and_then(|v| v.split(':').next())
            && let Some(long) = &current
        {
            flags.get_mut(long).unwrap().possible.push(value.to_owned());
        }
        if let (Some(long), Some(at)) = (&current, trimmed.find("[default: ")) {
            let value = trimmed[at + "[default: ".len()..]
                .split(']')
                .next()
                .unwrap_or_default();
            flags.get_mut(long).unwrap().default = Some(value.to_owned());
        }
        if line.is_empty()
            && current.is_some()
            && flags
                .get(current.as_ref().unwrap())
                .is_some_and(|v| v.default.is_some())
        {
            current = None;
        }
    }
    Help {
        text,
        flags,
        shorts,
        declarations,
    }
}

/// The flag names of an option declaration or a reference table's first cell:
/// `` `-f, --file FILE...` `` is `-f` and `--file`.
pub fn flag_names(cell: &str) -> Vec<String> {
    cell.trim_matches('`')
        .split(", ")
        .filter_map(|part| {
            let name: String = part
                .trim()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            name.starts_with('-').then_some(name)
        })
        .collect()
}

/// A directory of its own for one check: under cargo's temporary directory for tests, named
/// by the process and a counter, so that concurrent runs never share one.
fn scratch() -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("docs-{}-{n}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// The problems of one block of the page `page`.
pub fn check(block: &Block, page: &str, lib: &str) -> Vec<String> {
    let body = &block.body;
    let kind = block.tag.split_whitespace().next().unwrap_or_default();
    match (block.lang.as_str(), kind) {
        ("rust", _) => {
            let include = format!("#[doc = include_str!(\"../{page}\")]");
            if lib.lines().any(|l| l.trim() == include) {
                Vec::new()
            } else {
                vec![format!(
                    "the page is not a doctest: src/lib.rs has no `{include}`"
                )]
            }
        }
        ("console", _) => transcript_problems(body, block.line + 1),
        ("json", kind) => json(body, kind, &block.tag),
        ("toml", "project") => {
            let dir = scratch();
            fs::write(dir.join("azabac.toml"), body).unwrap();
            // The variable files it names stand beside it, empty.
            let table = body.parse::<toml::Table>().unwrap_or_default();
            let var_files = table
                .get("terraform")
                .and_then(|t| t.get("var_files"))
                .and_then(toml::Value::as_array)
                .cloned()
                .unwrap_or_default();
            for file in var_files.iter().filter_map(toml::Value::as_str) {
                let path = dir.join(file);
                fs::create_dir_all(path.parent().unwrap()).unwrap();
                fs::write(path, "").unwrap();
            }
            let config = dir.join("azabac.toml");
            let output = binary::azabac(&[
                "check",
                "--config",
                config.to_str().unwrap(),
                "docs/examples/assignments.json",
            ]);
            match output.status.code() {
                Some(2) => vec![format!(
                    "`check` refuses it:\n{}",
                    String::from_utf8_lossy(&output.stderr)
                )],
                _ => Vec::new(),
            }
        }
        ("toml", "cargo") => match body.parse::<toml::Table>() {
            Ok(_) => Vec::new(),
            Err(e) => vec![format!("not TOML: {e}")],
        },
        ("yaml", _) => yaml(body),
        ("condition", _) => {
            let checker = azabac::check::Checker::new(azabac::catalog::Catalog::builtin());
            match azabac::Condition::parse(body.trim_end()).check(&checker) {
                Ok(_) => Vec::new(),
                Err(_) => vec!["the condition has errors".to_owned()],
            }
        }
        ("hcl" | "bicep", _) => {
            let dir = scratch();
            let file = dir.join(if block.lang == "hcl" {
                "main.tf"
            } else {
                "main.bicep"
            });
            fs::write(&file, body).unwrap();
            let output = binary::azabac(&["check", "--deny-warnings", file.to_str().unwrap()]);
            match output.status.code() {
                Some(0) => Vec::new(),
                code => vec![format!(
                    "`check --deny-warnings` exits {code:?}:\n{}",
                    String::from_utf8_lossy(&output.stdout)
                )],
            }
        }
        ("sh", _) => shell(body),
        (lang, tag) => vec![format!(
            "a block of `{lang} {tag}` is not one the documentation test checks"
        )],
    }
}

/// Runs each step of a transcript and compares its standard output and exit status.
fn transcript_problems(body: &str, first: usize) -> Vec<String> {
    let mut problems = Vec::new();
    for step in transcript::steps(body, first) {
        let args: Vec<&str> = step.args.iter().map(String::as_str).collect();
        let output = binary::azabac(&args);
        let stdout = String::from_utf8_lossy(&output.stdout);
        let actual: Vec<&str> = stdout.lines().collect();
        let code = output.status.code();
        if code != Some(step.exit) || !transcript::matches(&step.expected, &actual) {
            problems.push(format!(
                "line {}: `azabac {}` exits {code:?} (the page says {}) and prints\n{stdout}{}\nwhere the page shows\n{}",
                step.line,
                step.args.join(" "),
                step.exit,
                String::from_utf8_lossy(&output.stderr),
                step.expected.join("\n")
            ));
        }
    }
    problems
}

fn json(body: &str, kind: &str, tag: &str) -> Vec<String> {
    use azabac::catalog::Catalog;
    let catalog = Catalog::builtin();
    let value: serde_json::Value = match serde_json::from_str(body) {
        Ok(value) => value,
        Err(e) => return vec![format!("not JSON: {e}")],
    };
    let result = match kind {
        "request" => azabac::eval::Request::from_json(body, catalog)
            .map(drop)
            .map_err(|e| e.to_string()),
        "access" => azabac::rbac::AccessRequest::from_value(&value, catalog)
            .map(drop)
            .map_err(|e| e.to_string()),
        "catalog" => Catalog::parse_file(body)
            .and_then(|file| Catalog::from_files(&[file]))
            .map(drop)
            .map_err(|e| e.to_string()),
        "suite" => suite(value, tag),
        _ => Err(format!(
            "say what the JSON is: ```json request|access|suite|catalog (`{tag}`)"
        )),
    };
    result.err().into_iter().collect()
}

/// A suite shown on a page, loaded as if it sat in the directory the block names
/// (```` ```json suite examples/ai-delegation/tests ````), and run: every case must pass.
fn suite(mut value: serde_json::Value, tag: &str) -> Result<(), String> {
    let dir = Path::new(ROOT).join(
        tag.split_whitespace()
            .nth(1)
            .ok_or("say where the suite sits: ```json suite DIR")?,
    );
    if let Some(serde_json::Value::String(file)) = value.get_mut("conditionFile") {
        *file = dir.join(&*file).display().to_string();
    }
    let path = scratch().join("shown.test.json");
    fs::write(&path, value.to_string()).unwrap();
    let suite = azabac::suite::Suite::load(&path, azabac::catalog::Catalog::builtin())
        .map_err(|e| e.to_string())?;
    let now = azabac::eval::Ticks::parse("2026-12-01T00:00:00Z").unwrap();
    let failed: Vec<String> = suite
        .run(now)
        .into_iter()
        .filter(|c| !c.passed)
        .map(|c| c.name)
        .collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("cases fail: {}", failed.join(", ")))
    }
}

fn yaml(body: &str) -> Vec<String> {
    let documents = match yaml_rust2::YamlLoader::load_from_str(body) {
        Ok(documents) => documents,
        Err(e) => return vec![format!("not YAML: {e}")],
    };
    let action = yaml_rust2::YamlLoader::load_from_str(
        &fs::read_to_string(Path::new(ROOT).join("action.yml")).unwrap(),
    )
    .unwrap();
    let inputs = action[0]["inputs"].as_hash().unwrap();
    let mut problems = Vec::new();
    for document in &documents {
        let mut steps: Vec<&yaml_rust2::Yaml> = document
            .as_vec()
            .map(|v| v.iter().collect())
            .unwrap_or_default();
        if let Some(jobs) = document["jobs"].as_hash() {
            if document["on"].is_badvalue() {
                problems.push("a workflow without `on`".to_owned());
            }
            for job in jobs.values() {
                steps.extend(job["steps"].as_vec().into_iter().flatten());
            }
        }
        for step in steps {
            if let Some(run) = step["run"].as_str() {
                problems.extend(shell(run));
            }
            if let Some(args) = step["with"]["args"].as_str() {
                problems.extend(shell(&format!("azabac check {args} .")));
            }
            let uses_this = step["uses"].as_str().is_some_and(|u| u.starts_with("./"));
            for (key, _) in step["with"].as_hash().into_iter().flatten() {
                let key = key.as_str().unwrap_or_default();
                if uses_this && !inputs.keys().any(|k| k.as_str() == Some(key)) {
                    problems.push(format!("the action has no input `{key}`"));
                }
            }
        }
    }
    problems
}

/// Each line of a shell block runs cargo, or azabac with a subcommand, flags and values it has.
fn shell(body: &str) -> Vec<String> {
    let commands = subcommands();
    let mut problems = Vec::new();
    let text = body.replace("\\\n", " ");
    for line in text.lines() {
        let words = transcript::split(line);
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        let args: &[&str] = match words.as_slice() {
            [] => continue,
            ["azabac", rest @ ..] => rest,
            ["cargo", "run", rest @ ..] => match rest.iter().position(|w| *w == "--") {
                Some(at) => &rest[at + 1..],
                None => continue,
            },
            ["cargo", ..] | ["cd", ..] => continue,
            _ => {
                problems.push(format!("`{line}` is neither azabac nor cargo"));
                continue;
            }
        };
        let Some(command) = args.first().filter(|c| commands.iter().any(|k| k == *c)) else {
            problems.push(format!("`{line}` names no subcommand"));
            continue;
        };
        let help = help(command);
        let mut words = args[1..].iter().peekable();
        while let Some(word) = words.next() {
            let (flag, inline) = word
                .split_once('=')
                .map_or((*word, None), |(f, v)| (f, Some(v)));
            if !flag.starts_with('-') || flag == "-" {
                continue;
            }
            let long = help
                .shorts
                .get(flag)
                .cloned()
                .unwrap_or_else(|| flag.to_owned());
            let Some(values) = help.flags.get(&long) else {
                problems.push(format!("`{line}`: {command} has no flag {flag}"));
                continue;
            };
            if !values.possible.is_empty() {
                let value = inline
                    .map(str::to_owned)
                    .or_else(|| words.next().map(|v| (*v).to_owned()))
                    .unwrap_or_default();
                if !values.possible.contains(&value) {
                    problems.push(format!(
                        "`{line}`: {flag} takes {}, not `{value}`",
                        values.possible.join(", ")
                    ));
                }
            }
        }
    }
    problems
}
