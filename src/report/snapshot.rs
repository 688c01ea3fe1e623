//! A condition's snapshot: its canonical text, its plain-English reading and a decision
//! table over requests, as stable, diff-friendly text. `azabac snapshot` prints it; a Rust
//! test pins it with `insta::assert_snapshot!(checked.snapshot(&requests)?)`.

use std::fmt::Write as _;

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::eval::{Program, Request};
use crate::syntax::Expr;

/// The snapshot of a checked condition's tree, compiled to `program`, with one decision per
/// request (a label, and the request). [`crate::Checked::snapshot`] is the public way in.
pub(crate) fn snapshot(
    tree: &Expr,
    program: &Program,
    catalog: &Catalog,
    requests: &[(String, Request)],
) -> Result<String, Vec<Diagnostic>> {
    let canonical = crate::syntax::format::format_checked(tree)?;
    let mut out = String::from("condition:\n");
    for line in canonical.lines() {
        let _ = writeln!(out, "  {line}");
    }
    out.push_str("\nexplanation:\n");
    for line in crate::report::explain(tree, catalog, None).lines() {
        let _ = writeln!(out, "  {line}");
    }
    if !requests.is_empty() {
        out.push_str("\ndecisions:\n");
        for (label, request) in requests {
            let outcome = program.run(request);
            let result = if outcome.result { "true " } else { "false" };
            let error = outcome
                .error
                .map(|e| format!("  (error: {})", e.kind))
                .unwrap_or_default();
            let _ = writeln!(out, "  {result}  {label}{error}");
        }
    }
    Ok(out)
}
