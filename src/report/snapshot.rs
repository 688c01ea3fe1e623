//! A condition's snapshot: its canonical text, its plain-English reading and a decision
//! table over requests, as stable, diff-friendly text. `azabac snapshot` prints it; a Rust
//! test pins it with `insta::assert_snapshot!(azabac::report::snapshot(...)?)`.

use std::fmt::Write as _;

use crate::catalog::Catalog;
use crate::diagnostic::Diagnostic;
use crate::eval::{Program, Request};

/// The snapshot of `source` with one decision per request (a label, and the request).
/// Invalid conditions give their diagnostics instead.
///
/// ```
/// use azabac::catalog::Catalog;
/// use azabac::eval::Request;
/// let catalog = Catalog::builtin();
/// let text = azabac::report::snapshot(
///     "@Environment[isPrivateLink] boolequals true",
///     catalog,
///     &[("no private link".into(), Request::new("Microsoft.Storage/storageAccounts/read"))],
/// ).unwrap();
/// assert!(text.starts_with("condition:\n  @Environment[isPrivateLink] BoolEquals true\n"));
/// assert!(text.contains("  false  no private link\n"));
/// ```
pub fn snapshot(
    source: &str,
    catalog: &Catalog,
    requests: &[(String, Request)],
) -> Result<String, Vec<Diagnostic>> {
    let parsed = crate::syntax::parse(source);
    let Some(tree) = parsed.valid_condition() else {
        return Err(parsed.diagnostics);
    };
    let canonical = crate::syntax::format::format_checked(tree)?;
    let program = Program::from_source(source, catalog)?;
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
