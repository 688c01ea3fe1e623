//! Generates the condition parsers from `grammar/condition.lalrpop` into `$OUT_DIR`:
//!
//! - `condition.rs`, the reporting parser: the whole grammar (feature `recovery`), with its
//!   error productions and lalrpop's error recovery, table-driven.
//! - `fast/condition.rs`, the fast parser: the grammar without them, as recursive ascent, which
//!   lalrpop generates only for grammars without error recovery. The error productions are
//!   left out by `cfg`; the one with the recovery token `!` is cut out of the text between its
//!   marker lines, since lalrpop rejects `!` in a recursive-ascent grammar before it applies
//!   `cfg`.

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
    Ok(())
}
