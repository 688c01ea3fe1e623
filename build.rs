//! Generates the condition parser from `grammar/condition.lalrpop` into `$OUT_DIR`.

fn main() {
    println!("cargo:rerun-if-changed=grammar");
    let out_dir = std::env::var_os("OUT_DIR").unwrap_or_default();
    if let Err(error) = lalrpop::Configuration::new()
        .set_in_dir("grammar")
        .set_out_dir(out_dir)
        .emit_rerun_directives(true)
        .process()
    {
        println!("cargo:warning=lalrpop failed: {error}");
        std::process::exit(1);
    }
}
