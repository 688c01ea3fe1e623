//! Literal values as every stage reads them: DateTime strings
//! ([decision 9](crate::spec::decisions#decision-9)) and GUIDs
//! ([decision 8](crate::spec::decisions#decision-8)). The lexer reads bare GUIDs, the checker
//! quoted ones and DateTimes, the evaluator both in requests: one rule each, here.

use std::fmt;

use jiff::Timestamp;
use uuid::Uuid;

/// The most fractional-second digits a DateTime may have: .NET ticks are 100 ns.
pub const MAX_FRACTION_DIGITS: usize = 7;

/// Why a text is not a DateTime as Azure reads one
/// ([decision 9](crate::spec::decisions#decision-9)).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DateTimeError {
    /// Not shaped `yyyy-mm-ddThh:mm:ss[.fffffff]Z`.
    Shape,
    /// Not in UTC: no trailing `Z`.
    NotUtc,
    /// A fraction of a second that is empty or not digits.
    Fraction,
    /// More fractional digits than .NET's 100 ns ticks keep.
    TooPrecise {
        /// How many digits were given.
        digits: usize,
    },
    /// Shaped right, but no such date and time (`2022-02-30`); the calendar's reason.
    NoSuchDate(String),
}

impl fmt::Display for DateTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateTimeError::Shape => f.write_str("expected `yyyy-mm-ddThh:mm:ss[.fffffff]Z`"),
            DateTimeError::NotUtc => f.write_str("the time must be in UTC, ending in `Z`"),
            DateTimeError::Fraction => f.write_str("the fraction of a second must be digits"),
            DateTimeError::TooPrecise { digits } => write!(
                f,
                "{digits} fractional digits, but Azure keeps at most {MAX_FRACTION_DIGITS} (100 ns)"
            ),
            DateTimeError::NoSuchDate(why) => write!(f, "not a valid date and time: {why}"),
        }
    }
}

impl std::error::Error for DateTimeError {}

/// Reads a DateTime literal: RFC 3339 in UTC (`Z`), 0 to 7 fractional digits.
///
/// ```
/// use azabac::syntax::literal::{DateTimeError, datetime};
/// assert!(datetime("2022-06-01T23:38:32.8883645Z").is_ok());
/// assert!(datetime("2024-01-01T00:00:00Z").is_ok());
/// assert_eq!(datetime("2022-06-01T00:00:00+02:00"), Err(DateTimeError::NotUtc));
/// assert!(matches!(datetime("2022-02-30T00:00:00Z"), Err(DateTimeError::NoSuchDate(_))));
/// ```
pub fn datetime(text: &str) -> Result<Timestamp, DateTimeError> {
    let bytes = text.as_bytes();
    let shape_ok = bytes.len() >= 19
        && bytes.get(4) == Some(&b'-')
        && bytes.get(7) == Some(&b'-')
        && bytes.get(10) == Some(&b'T')
        && bytes.get(13) == Some(&b':')
        && bytes.get(16) == Some(&b':');
    if !shape_ok {
        return Err(DateTimeError::Shape);
    }
    let Some(body) = text.strip_suffix('Z') else {
        return Err(DateTimeError::NotUtc);
    };
    if let Some((_, fraction)) = body.split_once('.') {
        if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DateTimeError::Fraction);
        }
        if fraction.len() > MAX_FRACTION_DIGITS {
            return Err(DateTimeError::TooPrecise {
                digits: fraction.len(),
            });
        }
    } else if body.len() != 19 {
        return Err(DateTimeError::Shape);
    }
    text.parse::<Timestamp>()
        .map_err(|e| DateTimeError::NoSuchDate(e.to_string()))
}

/// Reads an instant as exports and `--now` give it ([decision R19](crate::spec::decisions#decision-r19)):
/// RFC 3339 with any offset (`Z`, `+05:00`, as PowerShell 7 writes), 0 to 7 fractional digits,
/// read as the UTC instant it names. Conditions' DateTime literals and requests' attribute
/// values keep [`datetime`]'s rule ([decision 9](crate::spec::decisions#decision-9)).
///
/// ```
/// use azabac::syntax::literal::{datetime, instant};
/// let utc = instant("2026-12-01T00:00:00Z").unwrap();
/// assert_eq!(instant("2026-12-01T05:00:00+05:00").unwrap(), utc);
/// assert_eq!(instant("2026-11-30t16:00:00.0000000-08:00").unwrap(), utc);
/// assert!(instant("2026-12-01T00:00:00").is_err(), "an instant says its offset");
/// assert!(datetime("2026-12-01T05:00:00+05:00").is_err(), "conditions keep UTC");
/// ```
pub fn instant(text: &str) -> Result<Timestamp, DateTimeError> {
    let bytes = text.as_bytes();
    let shape_ok = bytes.len() >= 20
        && bytes.get(4) == Some(&b'-')
        && bytes.get(7) == Some(&b'-')
        && matches!(bytes.get(10), Some(b'T' | b't'))
        && bytes.get(13) == Some(&b':')
        && bytes.get(16) == Some(&b':');
    if !shape_ok {
        return Err(DateTimeError::Shape);
    }
    // The zone: `Z`, or `+hh:mm`/`-hh:mm` at the end.
    let (body, zone) = match text.len().checked_sub(6).and_then(|at| text.get(at..)) {
        Some(offset)
            if offset.starts_with(['+', '-'])
                && offset.as_bytes().get(3) == Some(&b':')
                && offset[1..3]
                    .bytes()
                    .chain(offset[4..].bytes())
                    .all(|b| b.is_ascii_digit()) =>
        {
            (&text[..text.len() - 6], offset)
        }
        _ => match text.strip_suffix(['Z', 'z']) {
            Some(body) => (body, "Z"),
            None => return Err(DateTimeError::Shape),
        },
    };
    match body.get(19..) {
        Some("") => {}
        Some(fraction) => {
            let digits = fraction.strip_prefix('.').ok_or(DateTimeError::Shape)?;
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(DateTimeError::Fraction);
            }
            if digits.len() > MAX_FRACTION_DIGITS {
                return Err(DateTimeError::TooPrecise {
                    digits: digits.len(),
                });
            }
        }
        None => return Err(DateTimeError::Shape),
    }
    let normal = format!("{}T{}{zone}", &body[..10], &body[11..]);
    normal
        .parse::<Timestamp>()
        .map_err(|e| DateTimeError::NoSuchDate(e.to_string()))
}

/// Reads a GUID as Azure writes it ([decision 8](crate::spec::decisions#decision-8)): hyphenated
/// 8-4-4-4-12 or 32 hex digits, any case, bare or in quotes.
///
/// ```
/// use azabac::syntax::literal::guid;
/// assert!(guid("8e3af657-a8ff-443c-a75c-2fe8c4bcb635").is_some());
/// assert!(guid("{8e3af657-a8ff-443c-a75c-2fe8c4bcb635}").is_none());
/// ```
pub fn guid(text: &str) -> Option<Uuid> {
    if !super::token::is_guid_shaped(text) {
        return None;
    }
    Uuid::try_parse(text).ok()
}

#[cfg(test)]
mod tests {
    use super::{datetime, guid};

    #[test]
    fn datetimes_of_the_docs_parse() {
        for text in [
            "2022-06-01T00:00:00.0Z",
            "2022-06-01T23:38:32.8883645Z",
            "2023-05-01T13:00:00.0Z",
            "2023-04-01T13:00:00.000Z",
            "2024-01-01T00:00:00Z",
        ] {
            assert!(datetime(text).is_ok(), "{text}");
        }
    }

    #[test]
    fn other_datetimes_are_errors() {
        for (text, why) in [
            ("2022-06-01", "expected"),
            ("2022-06-01T00:00:00", "UTC"),
            ("2022-06-01T00:00:00.12345678Z", "8 fractional digits"),
            ("2022-06-01T00:00:00.Z", "digits"),
            ("2022-13-01T00:00:00Z", "valid"),
            ("2022-06-01 00:00:00Z", "expected"),
        ] {
            let error = datetime(text).unwrap_err().to_string();
            assert!(error.contains(why), "{text}: {error}");
        }
    }

    #[test]
    fn guids_in_both_forms() {
        assert!(guid("8e3af657-a8ff-443c-a75c-2fe8c4bcb635").is_some());
        assert!(guid("8E3AF657A8FF443CA75C2FE8C4BCB635").is_some());
        assert!(guid("{8e3af657-a8ff-443c-a75c-2fe8c4bcb635}").is_none());
        assert!(guid("owner").is_none());
    }
}
