//! Whether an envelope's list is the whole list ([decision R14](crate::spec::decisions#decision-r14)):
//! its completeness markers in every spelling, read beside `value` or `data`, a count compared
//! with the rows, for the text reader (`super::envelope`) and the `Value` readers
//! ([`list_of`]) alike.

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

use super::visit::Kind;
use crate::rbac::{InputError, InputProblem};

/// A paging marker's value, read enough to say whether the list goes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Marker {
    /// Set: a link, a token, `true`.
    Set,
    /// Unset: `null`, `""`, `false`.
    Unset,
    /// A count.
    Number(u64),
}

struct MarkerVisitor;

impl<'de> Visitor<'de> for MarkerVisitor {
    type Value = Marker;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a paging marker")
    }
    fn visit_str<E>(self, text: &str) -> Result<Marker, E> {
        Ok(match text {
            "" => Marker::Unset,
            t if t.eq_ignore_ascii_case("false") => Marker::Unset,
            _ => Marker::Set,
        })
    }
    fn visit_unit<E>(self) -> Result<Marker, E> {
        Ok(Marker::Unset)
    }
    fn visit_none<E>(self) -> Result<Marker, E> {
        Ok(Marker::Unset)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Marker, E> {
        Ok(if b { Marker::Set } else { Marker::Unset })
    }
    fn visit_u64<E>(self, n: u64) -> Result<Marker, E> {
        Ok(Marker::Number(n))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Marker, E> {
        Ok(u64::try_from(n).map_or(Marker::Set, Marker::Number))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Marker, E> {
        Ok(Marker::Set)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Marker, A::Error> {
        Kind.visit_seq(seq).map(|_| Marker::Set)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Marker, A::Error> {
        Kind.visit_map(map).map(|_| Marker::Set)
    }
}

pub(super) struct MarkerSeed;

impl<'de> DeserializeSeed<'de> for MarkerSeed {
    type Value = Marker;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Marker, D::Error> {
        deserializer.deserialize_any(MarkerVisitor)
    }
}

/// The envelope keys and their roles, in the order their problems are reported.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Envelope {
    Value,
    Data,
    NextLink,
    SkipToken,
    Truncated,
    Total,
    Count,
}

pub(super) const ENVELOPE: [(&str, Envelope); 14] = [
    ("value", Envelope::Value),
    ("data", Envelope::Data),
    ("nextLink", Envelope::NextLink),
    ("@odata.nextLink", Envelope::NextLink),
    // The legacy Azure AD Graph's link, and the token other Azure list APIs continue with.
    ("odata.nextLink", Envelope::NextLink),
    ("continuationToken", Envelope::SkipToken),
    ("skip_token", Envelope::SkipToken),
    ("skipToken", Envelope::SkipToken),
    ("$skipToken", Envelope::SkipToken),
    ("resultTruncated", Envelope::Truncated),
    ("count", Envelope::Count),
    ("total_records", Envelope::Total),
    ("totalRecords", Envelope::Total),
    ("@odata.count", Envelope::Total),
];

/// A list of an envelope as read: its key as written, and how many rows it has or the kind it
/// is instead of an array.
#[derive(Clone, Copy)]
pub(super) struct List<'k> {
    pub(super) key: &'k str,
    pub(super) rows: Result<usize, &'static str>,
}

/// Which list an object's envelope holds, judged complete by its markers
/// ([decision R14](crate::spec::decisions#decision-r14)): `value` (an ARM or Graph page), or
/// `data` with a Resource Graph marker (`count`, `totalRecords`, a skip token,
/// `resultTruncated`); `None` when the object is one item (`data` without a marker is one of
/// its fields). Whichever list it is, every marker is read: a link to a next page, a skip token
/// or `resultTruncated` says more exists, and a count (`count`, `totalRecords`,
/// `@odata.count`) must be the list's length. Any of these is an error naming the marker, and
/// so is an envelope holding both `value` and `data`.
pub(super) fn judge(
    value: Option<List<'_>>,
    data: Option<List<'_>>,
    markers: &[(&str, Envelope, Marker)],
) -> Result<Option<Envelope>, InputError> {
    let graph = markers
        .iter()
        .any(|(_, role, _)| *role != Envelope::NextLink);
    let (list, role) = match (value, data) {
        (Some(_), Some(data)) => {
            return Err(InputError::new(
                &format!("$.{}", data.key),
                InputProblem::Conflict {
                    first: "value",
                    second: "data",
                },
            ));
        }
        (Some(value), None) => (value, Envelope::Value),
        (None, Some(data)) if graph => (data, Envelope::Data),
        (None, _) => {
            // One item: a marker that says more exists beside it says the file is a page whose
            // list is missing.
            let more = markers.iter().filter(|(_, role, marker)| {
                matches!(
                    role,
                    Envelope::NextLink | Envelope::SkipToken | Envelope::Truncated
                ) && !matches!(marker, Marker::Unset | Marker::Number(0))
            });
            if let Some((key, ..)) = more.min_by_key(|(key, role, _)| (*role, *key)) {
                return Err(incomplete(
                    key,
                    "a marker that says more exists, beside no list (`value` or `data`): give \
                     the pages whole",
                ));
            }
            return Ok(None);
        }
    };
    let rows = match list.rows {
        Ok(rows) => rows,
        Err(_) if role == Envelope::Data => {
            return Err(InputError::new(
                &format!("$.{}", list.key),
                InputProblem::Incomplete(
                    "a Resource Graph result in the `table` format (columns and rows); \
                     query with `\"resultFormat\": \"objectArray\"`, as `az graph query` does",
                ),
            ));
        }
        Err(found) => {
            return Err(InputError::new(
                &format!("$.{}", list.key),
                InputProblem::Expected {
                    what: "an array",
                    found,
                },
            ));
        }
    };
    // Every marker is judged; the first problem in a fixed order (what says more exists before
    // a count that differs, then by key) is reported, so both readers name the same one.
    let problems = markers.iter().filter_map(|marker| problem(marker, rows));
    if let Some((_, key, why)) = problems.min() {
        return Err(incomplete(key, why));
    }
    Ok(Some(role))
}

/// What the envelope `marker` says is wrong with a list of `rows` rows, if anything.
fn problem<'k>(
    &(key, role, marker): &(&'k str, Envelope, Marker),
    rows: usize,
) -> Option<(Envelope, &'k str, &'static str)> {
    // Set: a link, a token, `true`, a number other than 0.
    let set = !matches!(marker, Marker::Unset | Marker::Number(0));
    let rows = rows as u64;
    let why = match (role, marker) {
        (Envelope::NextLink, _) if set => {
            "a page whose link to the next page says the list goes on; give every page"
        }
        (Envelope::SkipToken, _) if set => {
            "a result with a skip token: more rows follow; query with `--first 1000` and \
             `--skip-token` (or `$skipToken`) until none is left"
        }
        (Envelope::Truncated, _) if set => {
            "a result whose `resultTruncated` says rows were left out"
        }
        (Envelope::Total, Marker::Number(n)) if n > rows => {
            "a result with more records in total than rows: give every page"
        }
        (Envelope::Count | Envelope::Total, Marker::Number(n)) if n != rows => {
            "a result whose count is not the number of its rows"
        }
        (Envelope::Count | Envelope::Total, Marker::Set) => "a count that is not a number",
        _ => return None,
    };
    Some((role, key, why))
}

/// [`judge`] on a file read into a `Value` that is an object (the deny assignments, role
/// definitions, hierarchy and principals readers): the key of its list and the list, or `None`
/// when the object is one item. The same markers in the same spellings, read the same way.
pub(crate) fn list_of(
    object: &serde_json::Map<String, serde_json::Value>,
) -> Result<Option<(&str, &[serde_json::Value])>, InputError> {
    let mut value = None;
    let mut data = None;
    let mut lists: [&[serde_json::Value]; 2] = [&[], &[]];
    let mut markers = Vec::new();
    let kind = |key, list: &serde_json::Value| List {
        key,
        rows: match list {
            serde_json::Value::Array(items) => Ok(items.len()),
            other => Err(other.deserialize_any(Kind).unwrap_or("a JSON value")),
        },
    };
    for (key, item) in object {
        let role = ENVELOPE
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(key))
            .map(|(_, role)| *role);
        match role {
            Some(Envelope::Value) if value.is_none() => {
                value = Some(kind(key.as_str(), item));
                lists[0] = item.as_array().map_or(&[], Vec::as_slice);
            }
            Some(Envelope::Data) if data.is_none() => {
                data = Some(kind(key.as_str(), item));
                lists[1] = item.as_array().map_or(&[], Vec::as_slice);
            }
            Some(Envelope::Value | Envelope::Data) | None => {}
            Some(role) => {
                let marker = item.deserialize_any(MarkerVisitor).unwrap_or(Marker::Set);
                markers.push((key.as_str(), role, marker));
            }
        }
    }
    // `judge` returns a list only when it is an array.
    Ok(match judge(value, data, &markers)? {
        Some(Envelope::Value) => value.map(|list| (list.key, lists[0])),
        Some(_) => data.map(|list| (list.key, lists[1])),
        None => None,
    })
}

pub(super) fn incomplete(marker: &str, what: &'static str) -> InputError {
    InputError::new(&format!("$.{marker}"), InputProblem::Incomplete(what))
}
