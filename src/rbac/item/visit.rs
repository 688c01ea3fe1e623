//! The visitors that read one item's keys into its [`Fields`]: each known key's value (a
//! string, `null`, a boolean, or the kind it is instead), `properties` into its own fields, and
//! every other value passed over as the strict reader would read it ([`crate::json::Skip`]).

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{Field, Fields, Item, Key};
use crate::json::{Skip, SkipVisitor};
use crate::keys::{KeySet, Met};

/// The JSON kind of a value a field does not read.
pub(super) struct Kind;

impl<'de> Visitor<'de> for Kind {
    type Value = &'static str;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<&'static str, E> {
        Ok("a boolean")
    }
    fn visit_i64<E>(self, _: i64) -> Result<&'static str, E> {
        Ok("a number")
    }
    fn visit_u64<E>(self, _: u64) -> Result<&'static str, E> {
        Ok("a number")
    }
    fn visit_f64<E>(self, _: f64) -> Result<&'static str, E> {
        Ok("a number")
    }
    fn visit_str<E>(self, _: &str) -> Result<&'static str, E> {
        Ok("a string")
    }
    fn visit_unit<E>(self) -> Result<&'static str, E> {
        Ok("null")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<&'static str, A::Error> {
        SkipVisitor { depth: 0 }.visit_seq(seq)?;
        Ok("an array")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<&'static str, A::Error> {
        SkipVisitor { depth: 0 }.visit_map(map)?;
        Ok("an object")
    }
}

/// A field's value: a string, `null` or a boolean read, anything else kept as its kind.
struct FieldSeed;

impl<'de> DeserializeSeed<'de> for FieldSeed {
    type Value = Field<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Field<'de>, D::Error> {
        deserializer.deserialize_any(FieldVisitor)
    }
}

struct FieldVisitor;

impl<'de> Visitor<'de> for FieldVisitor {
    type Value = Field<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Field<'de>, E> {
        Ok(Field::Str(Cow::Borrowed(text)))
    }
    fn visit_str<E>(self, text: &str) -> Result<Field<'de>, E> {
        Ok(Field::Str(Cow::Owned(text.to_owned())))
    }
    fn visit_string<E>(self, text: String) -> Result<Field<'de>, E> {
        Ok(Field::Str(Cow::Owned(text)))
    }
    fn visit_unit<E>(self) -> Result<Field<'de>, E> {
        Ok(Field::Null)
    }
    fn visit_none<E>(self) -> Result<Field<'de>, E> {
        Ok(Field::Null)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Field<'de>, E> {
        Ok(Field::Bool(b))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Field<'de>, E> {
        Ok(Field::Other("a number"))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Field<'de>, E> {
        Ok(Field::Other("a number"))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Field<'de>, E> {
        Ok(Field::Other("a number"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Field<'de>, A::Error> {
        Kind.visit_seq(seq).map(Field::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Field<'de>, A::Error> {
        Kind.visit_map(map).map(Field::Other)
    }
}

/// A map key, borrowed from the text when it has no escapes.
pub(super) struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Cow<'de, str>, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(text))
    }
    fn visit_str<E>(self, text: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(text.to_owned()))
    }
    fn visit_string<E>(self, text: String) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(text))
    }
}

/// Where `properties` goes when an item's keys are read: its key, its fields (or the kind it
/// is instead of an object), and the keys seen in it.
pub(super) struct Nested<'a, 'de> {
    key: &'a mut Option<Cow<'de, str>>,
    fields: &'a mut Fields<'de>,
    not_object: &'a mut Option<(Cow<'de, str>, &'static str)>,
    seen: &'a mut KeySet<Cow<'de, str>>,
}

impl<'a, 'de> Nested<'a, 'de> {
    pub(super) fn of(
        item: &'a mut Item<'de>,
        seen: &'a mut KeySet<Cow<'de, str>>,
    ) -> (&'a mut Fields<'de>, Self) {
        let Item {
            top,
            properties,
            properties_fields,
            properties_not_object,
        } = item;
        (
            top,
            Nested {
                key: properties,
                fields: properties_fields,
                not_object: properties_not_object,
                seen,
            },
        )
    }
}

/// Reads one key of an object and its value into `fields` (and, at the top of an item,
/// `properties` into `nested`). `seen` holds every key of the object so far, to find two
/// equal ignoring case.
pub(super) fn read_key<'de, A: MapAccess<'de>>(
    map: &mut A,
    key: Cow<'de, str>,
    fields: &mut Fields<'de>,
    seen: &mut KeySet<Cow<'de, str>>,
    nested: Option<&mut Nested<'_, 'de>>,
) -> Result<(), A::Error> {
    let key = meet(seen, &mut fields.twice, key)?;
    match (Key::of(&key), nested) {
        (Some(Key::Properties), Some(nested)) if nested.key.is_none() => {
            nested.seen.clear();
            let seed = PropertiesSeed {
                fields: nested.fields,
                seen: nested.seen,
            };
            match map.next_value_seed(seed)? {
                Ok(()) => *nested.key = Some(key.clone()),
                Err(found) => *nested.not_object = Some((key.clone(), found)),
            }
        }
        (Some(known), _) => {
            let value = map.next_value_seed(FieldSeed)?;
            fields.hold(known, key.clone(), value);
        }
        (None, _) => {
            map.next_value::<Skip>()?;
        }
    }
    Ok(())
}

/// Meets the next `key` of an object whose keys so far are `seen`, and hands it back: a key repeated as written is
/// an error of the JSON itself, at its place, as the strict reader every other file goes through
/// says it (`crate::json`); another spelling of a key held goes to `twice`, for the error the
/// object's reader reports.
pub(super) fn meet<'de, E: de::Error>(
    seen: &mut KeySet<Cow<'de, str>>,
    twice: &mut Vec<(String, String)>,
    key: Cow<'de, str>,
) -> Result<Cow<'de, str>, E> {
    match seen.meet(key.clone()) {
        Met::New => Ok(key),
        Met::Again => Err(de::Error::custom(format_args!("duplicate key `{key}`"))),
        Met::Variant(first) => {
            twice.push((first, key.to_string()));
            Ok(key)
        }
    }
}

/// `properties`: an object's fields, or the JSON kind it is instead.
struct PropertiesSeed<'a, 'de> {
    fields: &'a mut Fields<'de>,
    seen: &'a mut KeySet<Cow<'de, str>>,
}

impl<'de> DeserializeSeed<'de> for PropertiesSeed<'_, 'de> {
    type Value = Result<(), &'static str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for PropertiesSeed<'_, 'de> {
    type Value = Result<(), &'static str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while let Some(key) = map.next_key_seed(KeySeed)? {
            read_key(&mut map, key, self.fields, self.seen, None)?;
        }
        Ok(Ok(()))
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
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Kind.visit_seq(seq).map(Err)
    }
}

/// Where one item is read: the item (emptied first) and the keys seen in it and in its
/// `properties`, kept from item to item so that reading a list allocates nothing per item.
#[derive(Default)]
pub(super) struct Scratch<'de> {
    pub(super) item: Item<'de>,
    seen: KeySet<Cow<'de, str>>,
    seen_properties: KeySet<Cow<'de, str>>,
}

/// One item of a list read into a [`Scratch`]: `Err` is the kind it is instead of an object.
pub(super) struct ItemSeed<'a, 'de> {
    pub(super) scratch: &'a mut Scratch<'de>,
}

impl<'de> DeserializeSeed<'de> for ItemSeed<'_, 'de> {
    type Value = Result<(), &'static str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ItemSeed<'_, 'de> {
    type Value = Result<(), &'static str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let Scratch {
            item,
            seen,
            seen_properties,
        } = self.scratch;
        item.clear();
        seen.clear();
        let (top, mut nested) = Nested::of(item, seen_properties);
        while let Some(key) = map.next_key_seed(KeySeed)? {
            read_key(&mut map, key, top, seen, Some(&mut nested))?;
        }
        Ok(Ok(()))
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
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Kind.visit_seq(seq).map(Err)
    }
}
