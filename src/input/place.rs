//! The files conditions live in, and what a found condition knows about its place: which host
//! (`terraform`, `bicep`, `arm`, `plan`, `json`), which resource, on which line, whether it
//! could be read offline, and what the resource says around it (principal type, version,
//! role).
//!
//! Every host reader makes these; `check` reads them.

use super::embedded::Embedded;

/// The kind of file a condition was found in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Host {
    /// A Terraform configuration (`.tf`).
    Terraform,
    /// A Bicep file (`.bicep`).
    Bicep,
    /// An ARM template (`.json`).
    Arm,
    /// A Terraform plan or state (`terraform show -json`).
    Plan,
    /// An export of roles or assignments, or an azabac suite (`.json`).
    Json,
}

impl Found {
    /// A role assignment whose properties (or entry, or body) only a deployment knows: one
    /// result not checkable offline, named `resource`, at byte `at` of `text`, depending on
    /// `what`. With `fix` (what sets a principal type there), its facts say that nothing is
    /// missing: the deployment may give it.
    pub(crate) fn not_checkable(
        host: Host,
        resource: String,
        (what, at): (String, usize),
        text: &str,
        fix: Option<&'static str>,
    ) -> Found {
        Found {
            template: None,
            embedded: Embedded::new(resource.clone(), String::new(), vec![at]),
            place: Place {
                host,
                resource,
                line: crate::span::line_column(text, at).0,
                unresolved: vec![what],
                holes: Vec::new(),
                assumed: Vec::new(),
                resource_ids: Vec::new(),
                slot: None,
                facts: fix.map(|fix| Facts {
                    assignment: true,
                    principal_type: true,
                    principal_type_value: None,
                    principal_types: PrincipalTypes::Azure,
                    version: None,
                    version_required: false,
                    role: None,
                    defined_role: None,
                    principal_type_fix: fix,
                }),
                suppressions: Vec::new(),
            },
        }
    }
}

impl Host {
    /// The name JSON output uses: `terraform`, `bicep`, `arm`, `plan`, `json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Host::Terraform => "terraform",
            Host::Bicep => "bicep",
            Host::Arm => "arm",
            Host::Plan => "plan",
            Host::Json => "json",
        }
    }
}

/// What the resource around a condition says, for the resource-level checks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// Whether the resource is a role assignment (rather than a role definition or unknown).
    pub assignment: bool,
    /// Whether it sets a principal type (or sends one another way, as Terraform's
    /// `skip_service_principal_aad_check` does).
    pub principal_type: bool,
    /// The condition version it sets, if any.
    pub version: Option<String>,
    /// Whether the host requires a version beside a condition (`azurerm_pim_*`).
    pub version_required: bool,
    /// The role it assigns, as written (a GUID, an id, a name, or an expression).
    pub role: Option<String>,
    /// The role it assigns, when the file or module defines it (a Terraform
    /// `azurerm_role_definition`, a Bicep `Microsoft.Authorization/roleDefinitions` resource)
    /// with its permissions written literally.
    pub defined_role: Option<crate::catalog::RoleDefinition>,
    /// How to set a principal type on this host, for the fix.
    pub principal_type_fix: &'static str,
    /// The principal type it sets, where written literally.
    pub principal_type_value: Option<String>,
    /// Which principal types the host passes on to Azure.
    pub principal_types: PrincipalTypes,
}

/// The principal types a host accepts in a role assignment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PrincipalTypes {
    /// Azure's: `User`, `Group`, `ServicePrincipal`, `ForeignGroup`, `Device`, ignoring case.
    #[default]
    Azure,
    /// The azurerm provider's `azurerm_role_assignment`: `User`, `Group`, `ServicePrincipal`,
    /// exactly (its schema validates with `StringInSlice(…, false)`).
    AzurermProvider,
}

impl PrincipalTypes {
    /// Whether `value` is one of them.
    pub fn accepts(self, value: &str) -> bool {
        match self {
            PrincipalTypes::Azure => [
                "User",
                "Group",
                "ServicePrincipal",
                "ForeignGroup",
                "Device",
            ]
            .iter()
            .any(|t| t.eq_ignore_ascii_case(value)),
            PrincipalTypes::AzurermProvider => {
                ["User", "Group", "ServicePrincipal"].contains(&value)
            }
        }
    }

    /// Who refuses another value, and what it takes.
    pub fn expected(self) -> &'static str {
        match self {
            PrincipalTypes::Azure => {
                "Azure accepts `User`, `Group`, `ServicePrincipal`, `ForeignGroup` or `Device`"
            }
            PrincipalTypes::AzurermProvider => {
                "the azurerm provider accepts `User`, `Group` or `ServicePrincipal`, spelled so"
            }
        }
    }
}

/// One condition found in a host file: the condition with its map into the file (its `path`
/// is the JSON path or the resource address), and its place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// The condition and its map into the file.
    pub embedded: Embedded,
    /// Where it is and what is around it.
    pub place: Place,
    /// For a condition that is a whole template file (Terraform's `templatefile()`): that
    /// file, which the map points into instead of the file the resource is in.
    pub template: Option<Template>,
}

/// A template file a condition is kept in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    /// Its path as the module wrote it, relative to the module's directory.
    pub path: String,
    /// Its text.
    pub text: String,
}

/// A local module's role assignment that a call in the file reached (Bicep's `module`,
/// Terraform's `module` with a `./` source): the module as the call writes its path, the
/// resource's name in it, and whether the call gave its condition. The readers' entry drops
/// the module's own result for a resource every call in the run gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Reached {
    pub(crate) module: String,
    pub(crate) resource: String,
    pub(crate) given: bool,
}

/// Where a found condition is, and what is around it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Place {
    /// The host.
    pub host: Host,
    /// The resource that holds it: a Terraform address, a Bicep symbolic name, a JSON path.
    pub resource: String,
    /// The 1-based line of the `condition` key in the file.
    pub line: usize,
    /// What the text depends on that cannot be known offline (`module.x.id`, a parameter
    /// without a default): the condition is not checkable when this is not empty.
    pub unresolved: Vec<String>,
    /// Where in the condition's text each value that `unresolved` names goes (an empty
    /// range there), when the reader could tell: a condition whose every unknown value is a
    /// hole inside one string or GUID literal is checked around them (see
    /// [`crate::input::holes`]).
    pub holes: Vec<Hole>,
    /// Values taken from defaults that a deployment can override (`var.x`).
    pub assumed: Vec<String>,
    /// References whose shape says they are a role definition's resource id, where the
    /// condition wants a GUID (`azurerm_role_definition.x.id`, Bicep's
    /// `subscriptionResourceId(…)`): where each sits in the condition's text, and its source.
    /// An error even when the value is not known.
    pub resource_ids: Vec<(std::ops::Range<usize>, String)>,
    /// The module's input the whole condition is (`var.condition`, a parameter without a
    /// default, `each.value.condition` over a variable): a condition slot, which the module's
    /// callers fill, so not checkable here but no gap in what was checked.
    pub slot: Option<String>,
    /// What the resource says around the condition.
    pub facts: Option<Facts>,
    /// The `azabac:suppress` comments of the declaration that holds the condition (Terraform
    /// and Bicep, which have comments; JSON has none).
    pub suppressions: Vec<InlineSuppression>,
}

/// A value known only at deployment, and where it goes in a condition's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hole {
    /// The byte offset in the condition's text where the value goes.
    pub at: usize,
    /// The expression as written (`var.container`, `data.x.role_definition_id`).
    pub source: String,
    /// Where the expression is in the file.
    pub offset: usize,
}

/// A comment `# azabac:suppress CODE REASON` (or `// …`) inside a declaration, or in the
/// comment lines right above it: the declaration's conditions do not draw `CODE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlineSuppression {
    /// The comment's 1-based line in the file.
    pub line: usize,
    /// The code, as written (the CLI checks it is one).
    pub code: String,
    /// Why, as written; empty when the comment gives none, which the CLI refuses.
    pub reason: String,
}

/// The marker of an inline suppression comment.
const SUPPRESS_MARKER: &str = "azabac:suppress";

/// The `azabac:suppress` comments that apply to the declaration spanning `block` (byte
/// offsets) of `text`: those on its lines, and those in the run of comment lines (`#`, `//`,
/// and decorators) right above its first line.
pub fn inline_suppressions(text: &str, block: std::ops::Range<usize>) -> Vec<InlineSuppression> {
    // Only the declaration's lines and the comments right above it are read, so that a file
    // of many declarations costs each one its own lines, not the whole file.
    let start = crate::span::floor_char_boundary(text, block.start.min(text.len()));
    let end = crate::span::floor_char_boundary(text, block.end.max(block.start).min(text.len()));
    let line_start = |at: usize| {
        text.get(..at)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |i| i + 1)
    };
    // Comments, and Bicep's decorators (`@description(…)`) between them and the declaration.
    let is_comment = |line: &str| {
        let line = line.trim_start();
        line.starts_with('#') || line.starts_with("//") || line.starts_with('@')
    };
    let mut first = line_start(start);
    while first > 0 {
        let above = line_start(first - 1);
        if !is_comment(text.get(above..first - 1).unwrap_or("")) {
            break;
        }
        first = above;
    }
    let last_end = text
        .get(end..)
        .and_then(|t| t.find('\n'))
        .map_or(text.len(), |i| end + i);
    let lines = text.get(first..last_end).unwrap_or("");
    if !lines.contains(SUPPRESS_MARKER) {
        return Vec::new();
    }
    let number = 1 + text
        .get(..first)
        .map_or(0, |t| t.bytes().filter(|&b| b == b'\n').count());
    let mut found = Vec::new();
    for (this, line) in (number..).zip(lines.split('\n')) {
        // Only in a comment: the marker right after the `#` or `//` that starts one.
        let Some(comment) = comment_start(line) else {
            continue;
        };
        let body = line.get(comment..).unwrap_or("");
        let body = body.trim_start_matches(['#', '/']).trim_start();
        if !body.starts_with(SUPPRESS_MARKER) {
            continue;
        }
        let at = line.len() - body.len();
        let rest = line.get(at + SUPPRESS_MARKER.len()..).unwrap_or("").trim();
        let (code, reason) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let reason = reason
            .trim()
            .trim_start_matches(['-', ':', '\u{2014}'])
            .trim()
            .to_owned();
        found.push(InlineSuppression {
            line: this,
            code: code.trim_end_matches([':', ',']).to_owned(),
            reason,
        });
    }
    found
}

/// Where a line's comment (`#` or `//`) starts, outside Terraform's `"…"` and Bicep's `'…'`
/// strings.
fn comment_start(line: &str) -> Option<usize> {
    let mut quote = None;
    let mut escaped = false;
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if b == b'\\' {
                    escaped = true;
                } else if b == q {
                    quote = None;
                }
            }
            None => match b {
                b'"' | b'\'' => quote = Some(b),
                b'#' => return Some(i),
                b'/' if bytes.get(i + 1) == Some(&b'/') => return Some(i),
                _ => {}
            },
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suppression_comments_apply_inside_and_right_above_a_declaration() {
        let text = "# azabac:suppress AZ0001 far\n\n# note\n# azabac:suppress AZ0317: set by policy\n\
                    resource \"a\" \"b\" {\n  x = \"# azabac:suppress\"\n  // azabac:suppress AZ0303\n}\n";
        let start = text.find("resource").unwrap_or(0);
        let found = inline_suppressions(text, start..text.len() - 1);
        let summary: Vec<(usize, &str, &str)> = found
            .iter()
            .map(|s| (s.line, s.code.as_str(), s.reason.as_str()))
            .collect();
        assert_eq!(summary, [(4, "AZ0317", "set by policy"), (7, "AZ0303", "")]);
    }

    /// The whole-file reading the local one replaced, kept as the oracle.
    fn whole_file(text: &str, block: std::ops::Range<usize>) -> Vec<(usize, String)> {
        let lines: Vec<&str> = text.split('\n').collect();
        let first = crate::span::line_column(text, block.start).0;
        let last = crate::span::line_column(text, block.end.max(block.start)).0;
        let is_comment = |line: &str| {
            let line = line.trim_start();
            line.starts_with('#') || line.starts_with("//") || line.starts_with('@')
        };
        let mut start = first;
        while start > 1 && lines.get(start - 2).is_some_and(|l| is_comment(l)) {
            start -= 1;
        }
        (start..=last)
            .filter_map(|n| {
                let line = lines.get(n - 1)?;
                let body = line.get(comment_start(line)?..)?;
                let body = body.trim_start_matches(['#', '/']).trim_start();
                body.starts_with(SUPPRESS_MARKER)
                    .then(|| (n, line.to_string()))
            })
            .collect()
    }

    #[test]
    fn reading_a_declarations_own_lines_finds_what_reading_the_file_did() {
        let pieces = [
            "# azabac:suppress AZ0317 a\n",
            "\n",
            "resource \"a\" \"b\" {\n",
            "  // azabac:suppress AZ0303 b\n",
            "@description('x')\n",
            "}\n",
            "x = \"# azabac:suppress\"\n",
            "é // azabac:suppress AZ0001\n",
        ];
        // Texts of four pieces, blocks at character boundaries.
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            texts = texts
                .iter()
                .flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}")))
                .collect();
        }
        for text in texts.iter().step_by(3) {
            let bounds: Vec<usize> = (0..=text.len())
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            for &start in bounds.iter().step_by(5) {
                for &end in bounds.iter().step_by(9) {
                    let found: Vec<usize> = inline_suppressions(text, start..end)
                        .iter()
                        .map(|s| s.line)
                        .collect();
                    let expected: Vec<usize> = whole_file(text, start..end)
                        .iter()
                        .map(|(n, _)| *n)
                        .collect();
                    assert_eq!(found, expected, "{text:?} {start}..{end}");
                }
            }
        }
    }
}
