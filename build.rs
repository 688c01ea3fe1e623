//! Generates the condition parsers from `grammar/condition.lalrpop` into `$OUT_DIR`:
//!
//! - `condition.rs`, the reporting parser: the whole grammar (feature `recovery`), with its
//!   error productions and lalrpop's error recovery, table-driven.
//! - `fast/condition.rs`, the fast parser: the grammar without them, as recursive ascent, which
//!   lalrpop generates only for grammars without error recovery. The error productions are
//!   left out by `cfg`; the one with the recovery token `!` is cut out of the text between its
//!   marker lines, since lalrpop rejects `!` in a recursive-ascent grammar before it applies
//!   `cfg`. Its states' lists of expected tokens are emptied (see `drop_expected_lists`).

use std::error::Error;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=grammar");
    let out_dir = std::env::var_os("OUT_DIR").unwrap_or_default();
    if let Err(error) = generate(Path::new(&out_dir)) {
        println!("cargo:warning=lalrpop failed: {error}");
        std::process::exit(1);
    }
}

fn generate(out_dir: &Path) -> Result<(), Box<dyn Error>> {
    lalrpop::Configuration::new()
        .set_in_dir("grammar")
        .set_out_dir(out_dir)
        .set_features(["recovery".to_owned()])
        .emit_rerun_directives(true)
        .process()?;

    let grammar = std::fs::read_to_string("grammar/condition.lalrpop")?;
    let declaration = "\ngrammar<";
    if !grammar.contains(declaration) {
        return Err("grammar/condition.lalrpop has no `grammar<…>` declaration".into());
    }
    let (before, rest) = grammar
        .split_once("// BEGIN reporting parser only\n")
        .ok_or("grammar/condition.lalrpop has no `// BEGIN reporting parser only` line")?;
    let (_, after) = rest
        .split_once("// END reporting parser only\n")
        .ok_or("grammar/condition.lalrpop has no `// END reporting parser only` line")?;
    let fast =
        format!("{before}{after}").replacen(declaration, "\n#[recursive_ascent]\ngrammar<", 1);
    let fast_dir = out_dir.join("fast");
    std::fs::create_dir_all(&fast_dir)?;
    let fast_path = fast_dir.join("condition.lalrpop");
    // Rewriting an unchanged file would make lalrpop regenerate the parser on every build.
    if std::fs::read_to_string(&fast_path).ok().as_deref() != Some(fast.as_str()) {
        std::fs::write(&fast_path, fast)?;
    }
    lalrpop::Configuration::new()
        .set_in_dir(&fast_dir)
        .set_out_dir(&fast_dir)
        .process()?;
    drop_expected_lists(&fast_dir.join("condition.rs"))
}

/// Empties the lists of expected tokens that each state of the fast parser builds for its
/// error: a failed fast parse is read again by the reporting parser, which reports it, so the
/// lists are never read. Building them is most of each state's code, and without them the
/// parser's hot code is a fraction of the size. Idempotent, and leaves an unchanged file alone.
fn drop_expected_lists(path: &Path) -> Result<(), Box<dyn Error>> {
    const START: &str = "let __expected = alloc::vec![";
    const EMPTY: &str = "let __expected = alloc::vec::Vec::new();";
    let generated = std::fs::read_to_string(path)?;
    // The edit depends on how lalrpop writes its states (its version is pinned in Cargo.toml):
    // if it writes them otherwise, stop rather than build a parser of unknown size silently.
    if !generated.contains(START) && !generated.contains(EMPTY) {
        return Err(format!(
            "{}: no `{START}` in the generated fast parser; lalrpop's output changed, so update \
             drop_expected_lists in build.rs",
            path.display()
        )
        .into());
    }
    let mut out = String::with_capacity(generated.len());
    let mut rest = generated.as_str();
    while let Some(at) = rest.find(START) {
        let (before, list) = rest.split_at(at);
        let end = list
            .find("];")
            .ok_or("an expected-token list without its end")?;
        out.push_str(before);
        out.push_str(EMPTY);
        rest = list.get(end + 2..).unwrap_or_default();
    }
    out.push_str(rest);
    if out != generated {
        std::fs::write(path, out)?;
    }
    Ok(())
}
