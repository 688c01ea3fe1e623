//! A condition as a ready-to-paste value for the files and shells it lives in, escaped so that
//! the host reads back exactly the condition: the other direction of the readers beside it.
//!
//! | Host | Form |
//! | --- | --- |
//! | `terraform` | several lines: a `<<-` heredoc whose delimiter the text does not contain; one line, or text with tabs or carriage returns: a quoted string; `${` and `%{` doubled |
//! | `bicep` | one line: `'…'` with `\'`, `\\`, `\${`; several: `'''…'''`, unless the text holds `'''` |
//! | `arm` | a JSON string; a leading `[` doubled, as ARM reads `[[` as a literal `[` |
//! | `powershell` | an `@'…'@` here-string; `'…'` with `''` when a line starts with `'@` |
//! | `bash` | single quotes, `'` written `'\''` |
//! | `az-cli` | an `az role assignment create` command line for bash, the condition quoted as for `bash` |

/// Where an emitted condition goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Target {
    /// A Terraform expression.
    Terraform,
    /// A Bicep expression.
    Bicep,
    /// An ARM template's JSON string.
    Arm,
    /// A PowerShell string.
    PowerShell,
    /// A bash word.
    Bash,
    /// A bash `az role assignment create` command line.
    AzCli,
}

impl Target {
    /// Every target, as `--emit` names them.
    pub const ALL: &'static [(&'static str, Target)] = &[
        ("terraform", Target::Terraform),
        ("bicep", Target::Bicep),
        ("arm", Target::Arm),
        ("powershell", Target::PowerShell),
        ("bash", Target::Bash),
        ("az-cli", Target::AzCli),
    ];
}

/// `condition` as a value for `target`.
///
/// ```
/// use azabac::input::emit::{emit, Target};
/// assert_eq!(emit("@Resource[x] StringEquals 'it''s'", Target::Bash), r#"'@Resource[x] StringEquals '\''it'\'''\''s'\'''"#);
/// assert_eq!(emit("a ${b}", Target::Terraform), r#""a $${b}""#);
/// ```
pub fn emit(condition: &str, target: Target) -> String {
    match target {
        Target::Terraform => terraform(condition),
        Target::Bicep => bicep(condition),
        Target::Arm => arm(condition),
        Target::PowerShell => powershell(condition),
        Target::Bash => bash(condition),
        Target::AzCli => format!(
            "az role assignment create \\\n  --assignee-object-id \"$PRINCIPAL_ID\" \\\n  \
             --assignee-principal-type \"$PRINCIPAL_TYPE\" \\\n  --role \"$ROLE\" \\\n  \
             --scope \"$SCOPE\" \\\n  --condition-version 2.0 \\\n  --condition {}",
            bash(condition)
        ),
    }
}

fn terraform(condition: &str) -> String {
    let escape_template = |text: &str| text.replace("${", "$${").replace("%{", "%%{");
    // A heredoc keeps lines as they are but for the indentation `<<-` strips: text with
    // carriage returns or tabs, whose stripping is not clear-cut, goes in a quoted string.
    if !condition.contains('\n') || condition.contains(['\r', '\t']) {
        let mut out = String::from("\"");
        for c in escape_template(condition).chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                c => out.push(c),
            }
        }
        out.push('"');
        return out;
    }
    let mut delimiter = String::from("EOT");
    while condition.lines().any(|line| line.trim() == delimiter) {
        delimiter.push('_');
    }
    let mut out = format!("<<-{delimiter}\n");
    for line in escape_template(condition).split('\n') {
        if !line.is_empty() {
            out.push_str("  ");
        }
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("  ");
    out.push_str(&delimiter);
    out
}

fn bicep(condition: &str) -> String {
    if condition.contains('\n') && !condition.contains("'''") && !condition.ends_with('\'') {
        return format!("'''\n{condition}'''");
    }
    let mut out = String::from("'");
    let mut chars = condition.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' if chars.peek() == Some(&'{') => out.push_str("\\$"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

fn arm(condition: &str) -> String {
    let literal = if condition.starts_with('[') {
        format!("[{condition}")
    } else {
        condition.to_owned()
    };
    serde_json::Value::String(literal).to_string()
}

fn powershell(condition: &str) -> String {
    // A line that starts with `'@` would end the here-string.
    if condition.lines().any(|line| line.starts_with("'@")) {
        return format!("'{}'", condition.replace('\'', "''"));
    }
    format!("@'\n{condition}\n'@")
}

fn bash(condition: &str) -> String {
    format!("'{}'", condition.replace('\'', "'\\''"))
}
