//! The character rules of id segments ([decision R19](crate::spec::decisions#decision-r19)):
//! what every segment refuses (whitespace, control and format characters, percent escapes, a
//! combining mark where a name starts), and the strict rules of the segments whose grammar
//! Azure documents (GUIDs, resource group names, management group names).

use std::fmt;

use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory};

/// A text that is not the id it was read as, and what to remove or change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdError {
    /// The text as given.
    pub text: String,
    /// What it was read as: `a scope`, `a role definition id`, ….
    pub what: &'static str,
    /// Why not, with the fix where there is one.
    pub why: String,
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not {}: {}", self.text, self.what, self.why)
    }
}

impl std::error::Error for IdError {}

/// A name for a character people may not see, with its code point.
fn describe(c: char) -> String {
    let name = match c {
        ' ' => "space",
        '\t' => "tab",
        '\n' | '\r' => "line break",
        '\u{00A0}' => "non-breaking space",
        '\u{00AD}' => "soft hyphen",
        '\u{200B}' => "zero-width space",
        '\u{200C}' => "zero-width non-joiner",
        '\u{200D}' => "zero-width joiner",
        '\u{FEFF}' => "byte-order mark",
        _ if c.is_whitespace() => "whitespace",
        _ if c.is_control() => "control character",
        _ if c.general_category_group() == GeneralCategoryGroup::Mark => "combining mark",
        _ => "invisible formatting character",
    };
    format!("{name} U+{:04X}", u32::from(c))
}

/// Whether `text` is ASCII without whitespace, control characters, `%`, `?` or `#`: what
/// nearly every id is, and where neither [`generic`] nor [`query_or_fragment`] refuses
/// anything, whatever the segments. One pass over the bytes.
pub(crate) fn plain(text: &str) -> bool {
    text.bytes()
        .all(|b| b > b' ' && b < 0x7f && !matches!(b, b'%' | b'?' | b'#'))
}

/// The refusals every segment of every id makes, whatever its type: a character Azure's ids
/// never hold where it would change which resource is meant.
///
/// Nearly every id is ASCII, where only whitespace, control characters and `%` can be refused:
/// one pass over the bytes settles those, and the Unicode categories (format characters,
/// combining marks) are looked up only beyond ASCII. Measured on the 100,000-assignment tenant
/// of `cargo bench --bench rbac`, looking the category up for every character took 43% of the
/// load.
pub(crate) fn generic(segment: &str) -> Result<(), String> {
    if plain(segment) {
        return Ok(());
    }
    let mut chars = segment.char_indices().peekable();
    if let Some(&(_, first)) = chars.peek()
        && first.general_category_group() == GeneralCategoryGroup::Mark
    {
        return Err(format!(
            "the segment `{segment}` starts with a {}: remove it",
            describe(first)
        ));
    }
    for (at, c) in chars {
        if c.is_whitespace() || c.is_control() || c.general_category() == GeneralCategory::Format {
            return Err(format!("remove the {} in `{segment}`", describe(c)));
        }
        if c == '%' {
            let escape = segment
                .get(at + 1..at + 3)
                .filter(|hex| hex.len() == 2 && hex.bytes().all(|b| b.is_ascii_hexdigit()));
            if let Some(hex) = escape {
                return Err(format!(
                    "`%{hex}` in `{segment}` is a percent escape from a URL: write the character \
                     it stands for"
                ));
            }
        }
    }
    Ok(())
}

/// Whether `text` is a GUID as Azure writes one in an id: 8-4-4-4-12 hexadecimal digits.
pub(crate) fn is_guid(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// A segment that must be a GUID: a subscription id, a role definition or assignment name.
pub(crate) fn guid(segment: &str, what: &str) -> Result<(), String> {
    if is_guid(segment) {
        return Ok(());
    }
    Err(format!(
        "{what} is a GUID (8-4-4-4-12 hexadecimal digits), not `{segment}`"
    ))
}

/// The longest resource group or management group name Azure accepts, in characters.
pub(crate) const MAX_GROUP_NAME: usize = 90;

/// A resource group name as Azure accepts one: 1 to 90 Unicode letters and digits, `_`, `-`,
/// `.`, `(`, `)`, not ending in `.`.
pub(crate) fn resource_group(segment: &str) -> Result<(), String> {
    group_name(segment, "a resource group name")?;
    if segment.ends_with('.') {
        return Err(format!(
            "a resource group name cannot end with `.`: remove the last `.` of `{segment}`"
        ));
    }
    Ok(())
}

/// A management group name as Azure accepts one: 1 to 90 letters, digits, `-`, `_`, `(`, `)`,
/// `.`.
pub(crate) fn management_group(segment: &str) -> Result<(), String> {
    group_name(segment, "a management group name")
}

/// A letter or digit as .NET's `Char.IsLetterOrDigit` reads one, which the resource group rule
/// names ([R19](crate::spec::decisions#decision-r19)): a letter (`Lu`, `Ll`, `Lt`, `Lm`, `Lo`)
/// or a decimal digit (`Nd`) of the Basic Multilingual Plane, the check being made on UTF-16
/// code units. Rust's `is_alphanumeric` is wider (`²`, `Ⅻ`, combining vowel signs).
fn letter_or_digit(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || (u32::from(c) <= 0xFFFF
            && matches!(
                c.general_category(),
                GeneralCategory::UppercaseLetter
                    | GeneralCategory::LowercaseLetter
                    | GeneralCategory::TitlecaseLetter
                    | GeneralCategory::ModifierLetter
                    | GeneralCategory::OtherLetter
                    | GeneralCategory::DecimalNumber
            ))
}

fn group_name(segment: &str, what: &str) -> Result<(), String> {
    if let Some(c) = segment
        .chars()
        .find(|c| !(letter_or_digit(*c) || matches!(c, '_' | '-' | '.' | '(' | ')')))
    {
        return Err(format!(
            "{what} has letters, digits, `_`, `-`, `.`, `(` and `)` only: remove the {} in \
             `{segment}`",
            if c.is_ascii_graphic() {
                format!("`{c}`")
            } else {
                describe(c)
            }
        ));
    }
    if segment.chars().count() > MAX_GROUP_NAME {
        return Err(format!(
            "{what} has at most {MAX_GROUP_NAME} characters; `{segment}` has {}",
            segment.chars().count()
        ));
    }
    Ok(())
}

/// A query (`?…`) or fragment (`#…`) in `text`: the part to strip, and what it is.
pub(crate) fn query_or_fragment(text: &str, what: &str) -> Result<(), String> {
    if let Some(at) = text.bytes().position(|b| b == b'?' || b == b'#') {
        let (part, kind) = match text.get(at..at + 1) {
            Some("?") => (&text[at..], "a query, such as `?api-version=…`,"),
            _ => (&text[at..], "a fragment"),
        };
        return Err(format!("strip `{part}`: {kind} is not part of {what}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_segment_refuses_what_would_change_the_resource_meant() {
        assert!(generic("rg1").is_ok());
        assert!(generic("Microsoft.Storage").is_ok());
        for (bad, says) in [
            ("rg 1", "space U+0020"),
            ("rg1\u{200B}", "zero-width space U+200B"),
            ("rg%31", "`%31`"),
            ("\u{301}rg1", "starts with a combining mark U+0301"),
            ("rg\u{7}", "control character U+0007"),
            ("rg\u{2066}", "invisible formatting character U+2066"),
        ] {
            let why = generic(bad).unwrap_err();
            assert!(why.contains(says), "{bad:?}: {why}");
        }
        // A lone `%` is not an escape.
        assert!(generic("100%").is_ok());
    }

    #[test]
    fn groups_follow_azure_naming_rules() {
        assert!(resource_group("rg-1_(a).b").is_ok());
        assert!(resource_group("Ünïcode").is_ok());
        assert!(
            resource_group("rg1.")
                .unwrap_err()
                .contains("cannot end with `.`")
        );
        assert!(
            resource_group("rg1\u{301}")
                .unwrap_err()
                .contains("combining mark U+0301")
        );
        assert!(resource_group("rg/1").is_err());
        assert!(
            resource_group(&"r".repeat(91))
                .unwrap_err()
                .contains("at most 90")
        );
        assert!(management_group("platform.").is_ok());
        assert!(management_group("a+b").unwrap_err().contains("`+`"));
    }

    #[test]
    fn guids_are_hyphenated_hex() {
        assert!(is_guid("00000000-0000-0000-0000-0000000000aa"));
        assert!(is_guid("ABCDEF00-0000-0000-0000-0000000000AA"));
        assert!(!is_guid("00000000000000000000000000000000"));
        assert!(!is_guid("{00000000-0000-0000-0000-0000000000aa}"));
        assert!(!is_guid("s1"));
    }

    #[test]
    fn queries_and_fragments_say_what_to_strip() {
        let why =
            query_or_fragment("/subscriptions/x?api-version=2022-04-01", "the scope").unwrap_err();
        assert_eq!(
            why,
            "strip `?api-version=2022-04-01`: a query, such as `?api-version=…`, is not part of the scope"
        );
        assert!(
            query_or_fragment("/a#x", "the scope")
                .unwrap_err()
                .contains("`#x`")
        );
    }
}
