//! SARIF 2.1.0 output (for code scanning) of `check` and `test`: one run, the driver's rules,
//! one result per finding, located at the file, line and column when there is a file.

use serde_json::{Value, json};

/// The SARIF schema URI written into each log.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// One finding.
pub struct Finding {
    /// The rule: a diagnostic code, or `test-failure`.
    pub rule: String,
    /// `error` or `warning`.
    pub level: &'static str,
    /// What was found.
    pub message: String,
    /// Where, when the input is a file: its path and 1-based line/column range.
    pub location: Option<Location>,
}

/// A place in a file.
pub struct Location {
    pub file: String,
    /// `(line, column, end line, end column)`, 1-based; `None` for the whole file.
    pub region: Option<(usize, usize, usize, usize)>,
}

/// The SARIF log for `findings`, with `rules` as `(id, short description)`.
pub fn log(rules: &[(String, String)], findings: &[Finding]) -> Value {
    let rules: Vec<Value> = rules
        .iter()
        .map(|(id, text)| json!({"id": id, "shortDescription": {"text": text}}))
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|finding| {
            let mut result = json!({
                "ruleId": finding.rule,
                "level": finding.level,
                "message": {"text": finding.message},
            });
            if let (Some(location), Value::Object(fields)) = (&finding.location, &mut result) {
                let mut physical = json!({"artifactLocation": {"uri": uri(&location.file)}});
                if let (Some((line, column, end_line, end_column)), Value::Object(p)) =
                    (location.region, &mut physical)
                {
                    p.insert(
                        "region".into(),
                        json!({"startLine": line, "startColumn": column,
                               "endLine": end_line, "endColumn": end_column.max(1)}),
                    );
                }
                fields.insert("locations".into(), json!([{"physicalLocation": physical}]));
            }
            result
        })
        .collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "azabac",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/azabac/azabac",
                "rules": rules,
            }},
            "results": results,
            // Columns count Unicode characters, as everywhere else in azabac.
            "columnKind": "unicodeCodePoints",
        }]
    })
}

/// A relative path as a URI reference (`/` separators, spaces and `%` escaped).
fn uri(path: &str) -> String {
    path.replace('\\', "/")
        .replace('%', "%25")
        .replace(' ', "%20")
}
