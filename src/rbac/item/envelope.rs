//! The file around the items: one item, an array, or a list in the envelope a tool printed,
//! judged complete by its markers ([decision R14](crate::spec::decisions#decision-r14)) before
//! any item's error is reported.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::judge::{ENVELOPE, Envelope, List, Marker, MarkerSeed, judge};
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

/// A list as [`judge`] reads it: its key, and how many rows it has or the kind it is instead.
fn list<'k>(key: &'k str, rows: &Rows<'_>) -> List<'k> {
    List {
        key,
        rows: rows.as_ref().map(|(rows, _)| *rows).map_err(|kind| *kind),
    }
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
    let value = read.value.as_ref().map(|(key, rows)| list(key, rows));
    let data = read.data.as_ref().map(|(key, rows)| list(key, rows));
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
