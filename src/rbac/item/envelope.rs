//! The file around the items: one item, an array, or a list in the envelope a tool printed,
//! judged complete by its markers ([decision R14](crate::spec::decisions#decision-r14)) before
//! any item's error is reported.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::visit::{ItemSeed, KeySeed, Kind, Nested, Scratch, meet, read_key};
use super::{At, Item};
use crate::keys::KeySet;
use crate::rbac::{InputError, InputProblem};

/// What reading a file does with each item as it is read: hand it to `each` while nothing has
/// failed, and keep the first error for after the file's completeness is judged, so that an
/// incomplete list is reported before anything in it.
struct Sink<'s, 'de> {
    each: &'s mut dyn FnMut(At<'_>, &Item<'de>) -> Result<(), InputError>,
    failed: Option<InputError>,
}

impl<'de> Sink<'_, 'de> {
    fn take(&mut self, at: At<'_>, item: Result<&Item<'de>, &'static str>) {
        if self.failed.is_some() {
            return;
        }
        let result = match item {
            Ok(item) => (self.each)(at, item),
            Err(found) => Err(InputError::new(
                &at.to_string(),
                InputProblem::Expected {
                    what: "an object",
                    found,
                },
            )),
        };
        if let Err(error) = result {
            self.failed = Some(error);
        }
    }
}

/// The items of a list, each an object or the kind it is instead: handed to the sink as they
/// are read, or kept when there is none (a list that may not be the file's, `data`).
struct ItemsSeed<'a, 's, 'de> {
    sink: Option<&'a mut Sink<'s, 'de>>,
    list: &'a str,
}

type Listed<'de> = Vec<Result<Item<'de>, &'static str>>;

/// A list as read: how many items it has and those kept (none when they went to a sink), or the
/// kind it is instead of an array.
type Rows<'de> = Result<(usize, Listed<'de>), &'static str>;

impl<'de> DeserializeSeed<'de> for ItemsSeed<'_, '_, 'de> {
    type Value = Rows<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ItemsSeed<'_, '_, 'de> {
    type Value = Rows<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array")
    }
    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut kept = Vec::new();
        let mut scratch = Scratch::default();
        let mut index = 0;
        while let Some(read) = seq.next_element_seed(ItemSeed {
            scratch: &mut scratch,
        })? {
            match &mut self.sink {
                Some(sink) => sink.take(
                    At {
                        list: Some(self.list),
                        index,
                    },
                    read.map(|()| &scratch.item),
                ),
                None => kept.push(read.map(|()| std::mem::take(&mut scratch.item))),
            }
            index += 1;
        }
        Ok(Ok((index, kept)))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Kind.visit_map(map).map(Err)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Err("a boolean"))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Err("a number"))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Err("a number"))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Err("a number"))
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Err("a string"))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Err("null"))
    }
}

/// A paging marker's value, read enough to say whether the list goes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Marker {
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

struct MarkerSeed;

impl<'de> DeserializeSeed<'de> for MarkerSeed {
    type Value = Marker;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Marker, D::Error> {
        deserializer.deserialize_any(MarkerVisitor)
    }
}

/// The envelope keys and their roles, in the order their problems are reported.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Envelope {
    Value,
    Data,
    NextLink,
    SkipToken,
    Truncated,
    Total,
    Count,
}

const ENVELOPE: [(&str, Envelope); 14] = [
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

/// The file as read, before its completeness is judged. The items of a top-level array and of
/// `value` have gone to the sink already.
#[derive(Default)]
struct Read<'de> {
    /// The list under `value`, with its key as written (its items have gone to the sink).
    value: Option<(Cow<'de, str>, Rows<'de>)>,
    /// The list under `data`, kept until the markers say whether it is the file's.
    data: Option<(Cow<'de, str>, Rows<'de>)>,
    /// Each marker with its key as written.
    markers: Vec<(Cow<'de, str>, Envelope, Marker)>,
    /// The object itself, read as one item, and the keys seen in it and its `properties`.
    single: Item<'de>,
    seen: KeySet<Cow<'de, str>>,
    seen_properties: KeySet<Cow<'de, str>>,
    /// The first two keys of the envelope equal ignoring case.
    twice: Vec<(String, String)>,
    /// The file is an array.
    array: bool,
    /// Not an object or array: the kind.
    other: Option<&'static str>,
}

struct FileVisitor<'a, 's, 'de> {
    sink: &'a mut Sink<'s, 'de>,
}

impl<'de> Visitor<'de> for FileVisitor<'_, '_, 'de> {
    type Value = Read<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object or an array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Read<'de>, A::Error> {
        let items = ItemsSeed {
            sink: Some(self.sink),
            list: "$",
        };
        items.visit_seq(seq)?.unwrap_or_default();
        Ok(Read {
            array: true,
            ..Read::default()
        })
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Read<'de>, A::Error> {
        let mut read = Read::default();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let envelope = ENVELOPE
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(&key))
                .map(|(_, role)| *role);
            // A second `value` or `data` is a field like any other, read (and refused) as one.
            let envelope = match envelope {
                Some(Envelope::Value) if read.value.is_some() => None,
                Some(Envelope::Data) if read.data.is_some() => None,
                other => other,
            };
            let key = match envelope {
                Some(_) => meet(&mut read.seen, &mut read.twice, key)?,
                None => key,
            };
            match envelope {
                Some(Envelope::Value) => {
                    let path = format!("$.{key}");
                    let seed = ItemsSeed {
                        sink: Some(&mut *self.sink),
                        list: &path,
                    };
                    let list = map.next_value_seed(seed)?;
                    read.value = Some((key, list));
                }
                // `data` is the file's list only if a Resource Graph marker says so, which may
                // come after it: its items are kept until then.
                Some(Envelope::Data) => {
                    let seed = ItemsSeed {
                        sink: None,
                        list: "",
                    };
                    let list = map.next_value_seed(seed)?;
                    read.data = Some((key, list));
                }
                Some(role) => {
                    let marker = map.next_value_seed(MarkerSeed)?;
                    read.markers.push((key, role, marker));
                }
                None => {
                    let (top, mut nested) = Nested::of(&mut read.single, &mut read.seen_properties);
                    read_key(&mut map, key, top, &mut read.seen, Some(&mut nested))?;
                }
            }
        }
        Ok(read)
    }
    fn visit_bool<E>(self, _: bool) -> Result<Read<'de>, E> {
        Ok(Read::other("a boolean"))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Read<'de>, E> {
        Ok(Read::other("a number"))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Read<'de>, E> {
        Ok(Read::other("a number"))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Read<'de>, E> {
        Ok(Read::other("a number"))
    }
    fn visit_str<E>(self, _: &str) -> Result<Read<'de>, E> {
        Ok(Read::other("a string"))
    }
    fn visit_unit<E>(self) -> Result<Read<'de>, E> {
        Ok(Read::other("null"))
    }
}

impl Read<'_> {
    fn other(kind: &'static str) -> Self {
        Read {
            other: Some(kind),
            ..Read::default()
        }
    }
}

/// Reads a file of role assignments from `deserializer` (a JSON text, or a `&Value`): one
/// item, an array, or a list in its envelope, with the envelope's completeness markers read in
/// any spelling. Each item goes to `each` as it is read, with where it is; nothing is kept
/// but what `each` keeps. A list that says more exists is an error naming the marker, reported
/// before the first error `each` returned.
pub(crate) fn read_each<'de, D: Deserializer<'de>>(
    deserializer: D,
    each: &mut dyn FnMut(At<'_>, &Item<'de>) -> Result<(), InputError>,
) -> Result<(), InputError>
where
    D::Error: fmt::Display,
{
    let mut sink = Sink { each, failed: None };
    let read = deserializer
        .deserialize_any(FileVisitor { sink: &mut sink })
        .map_err(|e| InputError::new("$", InputProblem::NotJson(e.to_string())))?;
    complete(read, &mut sink)?;
    sink.failed.map_or(Ok(()), Err)
}

/// Judges whether the file `read` is complete, and hands the items it kept to `sink`.
fn complete<'de>(read: Read<'de>, sink: &mut Sink<'_, 'de>) -> Result<(), InputError> {
    let here = At {
        list: None,
        index: 0,
    };
    if read.array {
        return Ok(());
    }
    if let Some(kind) = read.other {
        sink.take(here, Err(kind));
        return Ok(());
    }
    // Two keys of the file's object equal ignoring case, whichever reader met them.
    let met = read.twice.iter().chain(&read.single.top.twice);
    if let Some((first, second)) = crate::keys::canonical(met.map(|(a, b)| (a, b))) {
        return Err(InputError::new(
            "$",
            InputProblem::keys_differ(first, second),
        ));
    }
    let markers: Vec<(&str, Envelope, Marker)> = read
        .markers
        .iter()
        .map(|(key, role, marker)| (key.as_ref(), *role, *marker))
        .collect();
    let value = read.value.as_ref().map(|(key, rows)| List::of(key, rows));
    let data = read.data.as_ref().map(|(key, rows)| List::of(key, rows));
    match judge(value, data, &markers)? {
        // `value`'s items have gone to the sink already.
        Some(Envelope::Value) => {}
        Some(_) => {
            if let Some((key, Ok((_, items)))) = &read.data {
                let path = format!("$.{key}");
                for (index, item) in items.iter().enumerate() {
                    let at = At {
                        list: Some(&path),
                        index,
                    };
                    sink.take(at, item.as_ref().map_err(|kind| *kind));
                }
            }
        }
        None => sink.take(here, Ok(&read.single)),
    }
    Ok(())
}

/// A list of an envelope as read: its key as written, and how many rows it has or the kind it
/// is instead of an array.
#[derive(Clone, Copy)]
struct List<'k> {
    key: &'k str,
    rows: Result<usize, &'static str>,
}

impl<'k> List<'k> {
    fn of(key: &'k str, rows: &Rows<'_>) -> List<'k> {
        List {
            key,
            rows: rows.as_ref().map(|(rows, _)| *rows).map_err(|kind| *kind),
        }
    }
}

/// Which list an object's envelope holds, judged complete by its markers
/// ([decision R14](crate::spec::decisions#decision-r14)): `value` (an ARM or Graph page), or
/// `data` with a Resource Graph marker (`count`, `totalRecords`, a skip token,
/// `resultTruncated`); `None` when the object is one item (`data` without a marker is one of
/// its fields). Whichever list it is, every marker is read: a link to a next page, a skip token
/// or `resultTruncated` says more exists, and a count (`count`, `totalRecords`,
/// `@odata.count`) must be the list's length. Any of these is an error naming the marker, and
/// so is an envelope holding both `value` and `data`.
fn judge(
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

fn incomplete(marker: &str, what: &'static str) -> InputError {
    InputError::new(&format!("$.{marker}"), InputProblem::Incomplete(what))
}
