//! Attribute names: the text inside `@Source[…]`, parsed into the forms of
//! [LANGUAGE.md §4.2](crate::spec::language#section-4-2).

use std::fmt;

/// The marker after a dictionary key that makes the lookup case-sensitive.
pub const KEY_MARKER: &str = "<$key_case_sensitive$>";
/// The suffix that turns a dictionary path into the list of its keys.
pub const KEYS_MARKER: &str = "&$keys$&";

/// The text inside `@Source[…]`, in one of its documented forms.
///
/// Printing a name gives back its text with the markers in their documented spelling.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum AttributeName {
    /// `resource/type/path:attribute`, e.g.
    /// `Microsoft.Authorization/roleAssignments:RoleDefinitionId`.
    Qualified {
        /// The resource-type path before the first `:`.
        path: String,
        /// The attribute after it.
        attribute: String,
    },
    /// `path:key<$key_case_sensitive$>`: the value stored under a case-sensitive key, e.g. a
    /// blob index tag.
    Keyed {
        /// The dictionary path, e.g. `Microsoft.Storage/…/blobs/tags`.
        path: String,
        /// The key, exactly as written (case matters).
        key: String,
    },
    /// `path&$keys$&`: the list of keys of a dictionary.
    KeySet {
        /// The dictionary path.
        path: String,
    },
    /// A bare name without `/` or `:`, e.g. `isPrivateLink`, `UtcNow`.
    Name(String),
    /// A bare resource-type path without `:`, e.g. `Microsoft.Network/privateEndpoints`.
    Path(String),
}

/// Why an attribute name could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AttributeNameError {
    /// `[]` or only white space.
    Empty,
    /// `path:` with nothing after the colon, or `:attr` with nothing before it.
    EmptyPart,
    /// A `<…>` key marker other than `<$key_case_sensitive$>`, such as the `<$>` left when a
    /// shell expanded `$key_case_sensitive`. Holds the damaged marker text.
    DamagedKeyMarker(String),
    /// A `&…&` keys marker other than `&$keys$&`. Holds the damaged marker text.
    DamagedKeysMarker(String),
    /// `<$key_case_sensitive$>` with no key before it.
    EmptyKey,
}

impl AttributeName {
    /// Parses the text inside the brackets.
    ///
    /// The split is at the **first** `:`, since resource-type paths never contain one and
    /// blob-tag keys may. Markers are matched ignoring ASCII case.
    ///
    /// ```
    /// use azabac::syntax::AttributeName;
    /// let name = AttributeName::parse("Microsoft.Storage/x/blobs/tags:a:b<$key_case_sensitive$>").unwrap();
    /// assert_eq!(name, AttributeName::Keyed { path: "Microsoft.Storage/x/blobs/tags".into(), key: "a:b".into() });
    /// ```
    pub fn parse(text: &str) -> Result<AttributeName, AttributeNameError> {
        if text.trim().is_empty() {
            return Err(AttributeNameError::Empty);
        }
        if let Some((path, rest)) = crate::scan::split_once(text, b':') {
            if path.is_empty() || rest.is_empty() {
                return Err(AttributeNameError::EmptyPart);
            }
            if let Some(key) = strip_suffix_ignore_ascii_case(rest, KEY_MARKER) {
                if key.is_empty() {
                    return Err(AttributeNameError::EmptyKey);
                }
                return Ok(AttributeName::Keyed {
                    path: path.to_owned(),
                    key: key.to_owned(),
                });
            }
            if let Some(marker) = damaged_key_marker(rest) {
                return Err(AttributeNameError::DamagedKeyMarker(marker.to_owned()));
            }
            return Ok(AttributeName::Qualified {
                path: path.to_owned(),
                attribute: rest.to_owned(),
            });
        }
        if let Some(path) = strip_suffix_ignore_ascii_case(text, KEYS_MARKER) {
            if path.is_empty() {
                return Err(AttributeNameError::EmptyPart);
            }
            return Ok(AttributeName::KeySet {
                path: path.to_owned(),
            });
        }
        if let Some(index) = text.find('&') {
            return Err(AttributeNameError::DamagedKeysMarker(
                text.get(index..).unwrap_or("&").to_owned(),
            ));
        }
        if let Some(marker) = damaged_key_marker(text) {
            return Err(AttributeNameError::DamagedKeyMarker(marker.to_owned()));
        }
        if text.contains('/') {
            Ok(AttributeName::Path(text.to_owned()))
        } else {
            Ok(AttributeName::Name(text.to_owned()))
        }
    }

    /// The resource-type path, for the forms that have one.
    pub fn path(&self) -> Option<&str> {
        match self {
            AttributeName::Qualified { path, .. }
            | AttributeName::Keyed { path, .. }
            | AttributeName::KeySet { path } => Some(path),
            AttributeName::Path(path) => Some(path),
            AttributeName::Name(_) => None,
        }
    }

    /// The form's name as used in JSON output.
    pub fn form(&self) -> &'static str {
        match self {
            AttributeName::Qualified { .. } => "qualified",
            AttributeName::Keyed { .. } => "keyed",
            AttributeName::KeySet { .. } => "keySet",
            AttributeName::Name(_) => "name",
            AttributeName::Path(_) => "path",
        }
    }
}

impl AttributeName {
    /// What the catalogue and requests key this attribute by, ASCII-lowercased: the whole
    /// name (`path:attribute`, a bare name or path), or a dictionary's path for its keys and
    /// its key set. Lookups use [`AttributeName::with_lookup_key`], which allocates nothing.
    ///
    /// ```
    /// use azabac::syntax::AttributeName;
    /// let name = AttributeName::parse("Microsoft.Storage/x/blobs/tags:Project<$key_case_sensitive$>").unwrap();
    /// assert_eq!(name.lookup_key(), "microsoft.storage/x/blobs/tags");
    /// let name = AttributeName::parse("Microsoft.Authorization/roleAssignments:RoleDefinitionId").unwrap();
    /// assert_eq!(name.lookup_key(), "microsoft.authorization/roleassignments:roledefinitionid");
    /// ```
    pub fn lookup_key(&self) -> String {
        self.with_lookup_key(str::to_owned)
    }

    /// Calls `f` with [`AttributeName::lookup_key`], built in a reused buffer so that a lookup
    /// allocates nothing.
    pub fn with_lookup_key<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        let (first, second) = self.key_parts();
        with_lowercase(first, second, f)
    }

    /// The pieces of the lookup key: one, or two joined by `:`.
    fn key_parts(&self) -> (&str, Option<&str>) {
        match self {
            AttributeName::Qualified { path, attribute } => (path, Some(attribute)),
            AttributeName::Keyed { path, .. } | AttributeName::KeySet { path } => (path, None),
            AttributeName::Name(name) | AttributeName::Path(name) => (name, None),
        }
    }
}

impl AttributeName {
    /// The name as written between the brackets, in pieces (some empty): the one spelling
    /// that `Display` and [`AttributeName::push_to`] share.
    fn pieces(&self) -> [&str; 4] {
        match self {
            AttributeName::Qualified { path, attribute } => [path, ":", attribute, ""],
            AttributeName::Keyed { path, key } => [path, ":", key, KEY_MARKER],
            AttributeName::KeySet { path } => [path, KEYS_MARKER, "", ""],
            AttributeName::Name(name) | AttributeName::Path(name) => [name, "", "", ""],
        }
    }

    /// Whether `text` is the name exactly as `Display` writes it.
    pub fn is_written(&self, text: &str) -> bool {
        self.pieces()
            .iter()
            .try_fold(text, |rest, piece| rest.strip_prefix(piece))
            .is_some_and(str::is_empty)
    }

    /// Appends the name as `Display` writes it, without the formatting machinery.
    pub fn push_to(&self, out: &mut String) {
        for piece in self.pieces() {
            out.push_str(piece);
        }
    }
}

impl fmt::Display for AttributeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.pieces()
            .iter()
            .try_for_each(|piece| f.write_str(piece))
    }
}

fn strip_suffix_ignore_ascii_case<'a>(text: &'a str, suffix: &str) -> Option<&'a str> {
    let split = text.len().checked_sub(suffix.len())?;
    let (head, tail) = (text.get(..split)?, text.get(split..)?);
    tail.eq_ignore_ascii_case(suffix).then_some(head)
}

/// Calls `f` with `first` (and `:second`, if given) ASCII-lowercased, built in a buffer
/// kept per thread, so that the lookups of names allocate nothing once it has grown.
///
/// Measured against an owned lowercase key (`String::with_capacity` per call), callgrind
/// (2026-12-01, `docs/performance.md`): the owned key costs parse + check + compile 1.8% and a
/// request read from JSON 3.0% more instructions.
pub(crate) fn with_lowercase<R>(first: &str, second: Option<&str>, f: impl FnOnce(&str) -> R) -> R {
    thread_local! {
        static BUFFER: std::cell::Cell<String> = const { std::cell::Cell::new(String::new()) };
    }
    // Taken while in use: a nested call, or one while the thread ends, starts from empty.
    let mut key = BUFFER.try_with(std::cell::Cell::take).unwrap_or_default();
    key.clear();
    key.push_str(first);
    if let Some(second) = second {
        key.push(':');
        key.push_str(second);
    }
    key.make_ascii_lowercase();
    let result = f(&key);
    let _ = BUFFER.try_with(|buffer| buffer.set(key));
    result
}

/// A trailing `<…>` that is not the documented key marker, or a lone `<$`/`$>` fragment.
fn damaged_key_marker(text: &str) -> Option<&str> {
    crate::scan::position(
        text.as_bytes(),
        |word| crate::scan::has(word, b'<') | crate::scan::has(word, b'$'),
        |b| matches!(b, b'<' | b'$'),
    )?;
    let start = text
        .rfind('<')
        .or_else(|| text.as_bytes().windows(2).position(|pair| pair == b"$>"))?;
    let marker = text.get(start..)?;
    (marker.contains('$') || marker.ends_with('>')).then_some(marker)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<AttributeName, AttributeNameError> {
        AttributeName::parse(text)
    }

    #[test]
    fn reads_every_documented_form() {
        assert_eq!(
            parse("Microsoft.Authorization/roleAssignments:RoleDefinitionId"),
            Ok(AttributeName::Qualified {
                path: "Microsoft.Authorization/roleAssignments".into(),
                attribute: "RoleDefinitionId".into()
            })
        );
        assert_eq!(
            parse(
                "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Project<$key_case_sensitive$>"
            ),
            Ok(AttributeName::Keyed {
                path: "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags".into(),
                key: "Project".into()
            })
        );
        assert_eq!(
            parse("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags&$keys$&"),
            Ok(AttributeName::KeySet {
                path: "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags".into()
            })
        );
        assert_eq!(
            parse("isPrivateLink"),
            Ok(AttributeName::Name("isPrivateLink".into()))
        );
        assert_eq!(
            parse("Microsoft.Network/privateEndpoints"),
            Ok(AttributeName::Path(
                "Microsoft.Network/privateEndpoints".into()
            ))
        );
    }

    #[test]
    fn reports_what_a_shell_leaves_of_the_markers() {
        assert_eq!(
            parse("x/tags:Project<$>"),
            Err(AttributeNameError::DamagedKeyMarker("<$>".into()))
        );
        assert_eq!(
            parse("x/tags:Project<>"),
            Err(AttributeNameError::DamagedKeyMarker("<>".into()))
        );
        assert_eq!(
            parse("x/tags&&"),
            Err(AttributeNameError::DamagedKeysMarker("&&".into()))
        );
        assert_eq!(
            parse("x/tags:<$key_case_sensitive$>"),
            Err(AttributeNameError::EmptyKey)
        );
        assert_eq!(parse(""), Err(AttributeNameError::Empty));
        assert_eq!(parse("x:"), Err(AttributeNameError::EmptyPart));
    }

    #[test]
    fn display_round_trips_with_canonical_markers() {
        let name = parse("x/tags:Key<$KEY_CASE_SENSITIVE$>").unwrap();
        assert_eq!(name.to_string(), "x/tags:Key<$key_case_sensitive$>");
        assert_eq!(parse(&name.to_string()), Ok(name));
    }
}
