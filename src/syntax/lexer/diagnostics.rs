//! The words of lexical diagnostics that need more than a sentence: invisible characters by
//! name, and each way an attribute name can be malformed.

use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use crate::syntax::attribute::{AttributeNameError, KEY_MARKER, KEYS_MARKER};

/// A name for characters people cannot see, or `None` for visible ones.
pub(super) fn invisible_character_name(c: char) -> Option<String> {
    let name = match c {
        '\u{00A0}' => "non-breaking space",
        '\u{00AD}' => "soft hyphen",
        '\u{200B}' => "zero-width space",
        '\u{200C}' => "zero-width non-joiner",
        '\u{200D}' => "zero-width joiner",
        '\u{200E}' | '\u{200F}' | '\u{061C}' => "bidirectional mark",
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => "bidirectional control",
        '\u{2060}'..='\u{2064}' => "invisible formatting character",
        '\u{FEFF}' => "byte-order mark",
        '\u{FFFD}' => "replacement character (the input was not valid UTF-8 here)",
        _ if c.is_control() => "control character",
        _ => return None,
    };
    Some(format!("{name} U+{:04X}", u32::from(c)))
}

pub(super) fn attribute_name_diagnostic(
    error: &AttributeNameError,
    inner: &str,
    span: Span,
) -> Diagnostic {
    let code = Code::MalformedAttributeName;
    match error {
        AttributeNameError::Empty => Diagnostic::new(code, span, "attribute name is empty")
            .with_help("write the attribute inside the brackets, e.g. `@Environment[isPrivateLink]`"),
        AttributeNameError::EmptyPart => {
            Diagnostic::new(code, span, format!("attribute name `{inner}` is incomplete"))
                .with_help("qualified names have a path and an attribute: `Microsoft.Storage/storageAccounts/blobServices/containers:name`")
        }
        AttributeNameError::EmptyKey => {
            Diagnostic::new(code, span, format!("attribute name `{inner}` has no key before `{KEY_MARKER}`"))
                .with_help(format!("write the key before the marker: `…/tags:Project{KEY_MARKER}`"))
        }
        AttributeNameError::DamagedKeyMarker(marker) => Diagnostic::new(
            code,
            span,
            format!("attribute name `{inner}` has a damaged key marker `{marker}`"),
        )
        .with_help(format!(
            "the marker is `{KEY_MARKER}`; a shell probably expanded `$key_case_sensitive` as a \
             variable: in PowerShell write `` `$ ``, in bash use single quotes or `\\$`"
        )),
        AttributeNameError::DamagedKeysMarker(marker) => Diagnostic::new(
            code,
            span,
            format!("attribute name `{inner}` has a damaged keys marker `{marker}`"),
        )
        .with_help(format!(
            "the marker is `{KEYS_MARKER}`; a shell probably expanded `$keys` as a variable: in \
             PowerShell write `` `$ ``, in bash use single quotes or `\\$`"
        )),
    }
}
