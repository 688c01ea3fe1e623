//! Role assignment exports read from the text ([decision R14](crate::spec::decisions#decision-r14),
//! [decision R20](crate::spec::decisions#decision-r20)): each item's fields by a fixed schema,
//! keys in any spelling, two keys equal ignoring case an error, and the envelope around the
//! list read with its completeness markers, all in one pass of `serde` over the file. No
//! `serde_json::Value` is built, each item is read into the same place as the one before it and
//! handed on at once (so a list is never held), and no JSON path is made unless there is an
//! error to report ([`At`], [`Base`]). The same visitors read a `Value` (`&Value` is a
//! `Deserializer`), so there is one reader for both.
//!
//! Measured on the 100,000-assignment tenant of `cargo bench --bench rbac` (62 MB): reading
//! through a `Value` with a path string per field lookup, the load took 2.3 s and 310 MB;
//! read this way, 0.42 s and 121 MB (`docs/performance.md`).

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{InputError, InputProblem};
use crate::json::{Skip, SkipVisitor};
use crate::keys::KeySet;

/// The keys an item of a role assignment export may have that azabac reads, in any spelling.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Key {
    Id,
    Name,
    Type,
    Properties,
    Scope,
    PrincipalId,
    PrincipalType,
    RoleDefinitionId,
    Role,
    Condition,
    ConditionVersion,
    Eligible,
    AssignmentType,
    Status,
    StartDateTime,
    EndDateTime,
    OriginRoleAssignmentId,
    MemberType,
    RoleEligibilityScheduleId,
    LinkedRoleEligibilityScheduleId,
    RoleAssignmentId,
    ObjectId,
    ObjectType,
}

/// Every [`Key`] with its documented spelling.
const KEYS: [(&str, Key); 23] = [
    ("id", Key::Id),
    ("name", Key::Name),
    ("type", Key::Type),
    ("properties", Key::Properties),
    ("scope", Key::Scope),
    ("principalId", Key::PrincipalId),
    ("principalType", Key::PrincipalType),
    ("roleDefinitionId", Key::RoleDefinitionId),
    ("role", Key::Role),
    ("condition", Key::Condition),
    ("conditionVersion", Key::ConditionVersion),
    ("eligible", Key::Eligible),
    ("assignmentType", Key::AssignmentType),
    ("status", Key::Status),
    ("startDateTime", Key::StartDateTime),
    ("endDateTime", Key::EndDateTime),
    ("originRoleAssignmentId", Key::OriginRoleAssignmentId),
    ("memberType", Key::MemberType),
    ("roleEligibilityScheduleId", Key::RoleEligibilityScheduleId),
    (
        "linkedRoleEligibilityScheduleId",
        Key::LinkedRoleEligibilityScheduleId,
    ),
    ("RoleAssignmentId", Key::RoleAssignmentId),
    ("ObjectId", Key::ObjectId),
    ("ObjectType", Key::ObjectType),
];

/// The keys only PIM items have ([decision R20](crate::spec::decisions#decision-r20)).
pub(crate) const PIM_ONLY: [Key; 7] = [
    Key::RoleEligibilityScheduleId,
    Key::LinkedRoleEligibilityScheduleId,
    Key::AssignmentType,
    Key::MemberType,
    Key::Status,
    Key::StartDateTime,
    Key::EndDateTime,
];

impl Key {
    fn of(text: &str) -> Option<Key> {
        KEYS.iter()
            .find(|(name, _)| name.len() == text.len() && name.eq_ignore_ascii_case(text))
            .map(|(_, key)| *key)
    }

    /// The key as the schema spells it.
    pub(crate) fn name(self) -> &'static str {
        KEYS.iter()
            .find(|(_, key)| *key == self)
            .map_or("", |(name, _)| name)
    }
}

/// A field's value as read: only strings, `null` and booleans are read; another JSON type is
/// kept as its kind, for the error that names it.
#[derive(Debug)]
pub(crate) enum Field<'de> {
    Str(Cow<'de, str>),
    Null,
    Bool(bool),
    Other(&'static str),
}

/// One object's fields: each known key's value with the key as written, and the first two keys
/// equal ignoring case, if any.
#[derive(Debug, Default)]
pub(crate) struct Fields<'de> {
    slots: [Option<(Cow<'de, str>, Field<'de>)>; KEYS.len()],
    /// Which slots hold a field, one bit each, so that clearing touches only those.
    set: u32,
    twice: Option<(String, String)>,
}

impl<'de> Fields<'de> {
    /// The field `key` holds, with the key as written.
    pub(crate) fn get(&self, key: Key) -> Option<(&str, &Field<'de>)> {
        self.slots
            .get(key as usize)?
            .as_ref()
            .map(|(written, value)| (written.as_ref(), value))
    }

    /// Every key present, as written.
    pub(crate) fn keys(&self) -> impl Iterator<Item = (Key, &str)> {
        KEYS.iter()
            .filter_map(|(_, key)| self.get(*key).map(|(written, _)| (*key, written)))
    }

    /// Holds `value` under `key` written `written`, unless a field is there already.
    fn hold(&mut self, key: Key, written: Cow<'de, str>, value: Field<'de>) {
        if let Some(slot) = self.slots.get_mut(key as usize)
            && slot.is_none()
        {
            *slot = Some((written, value));
            self.set |= 1 << key as u32;
        }
    }

    /// Empties the fields for the next object.
    fn clear(&mut self) {
        let mut set = self.set;
        while set != 0 {
            if let Some(slot) = self.slots.get_mut(set.trailing_zeros() as usize) {
                *slot = None;
            }
            set &= set - 1;
        }
        self.set = 0;
        self.twice = None;
    }
}

/// Where an item sits in its file: the file's one object (`$`), or the `index`-th item of the
/// list at `list` (`$`, `$.value`, `$.data`). It becomes a JSON path only for a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct At<'a> {
    /// The list's path, or `None` for a file that is one object.
    pub(crate) list: Option<&'a str>,
    /// The item's index in the list (0 for a file that is one object).
    pub(crate) index: usize,
}

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.list {
            None => f.write_str("$"),
            Some(list) => write!(f, "{list}[{}]", self.index),
        }
    }
}

/// The object a field is read from: an item itself, or its `properties` (as written).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Base<'a> {
    at: At<'a>,
    properties: Option<&'a str>,
}

impl fmt::Display for Base<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.at, f)?;
        match self.properties {
            Some(key) => write!(f, ".{key}"),
            None => Ok(()),
        }
    }
}

/// One item: its top-level fields and, for an ARM resource, its `properties`.
#[derive(Debug, Default)]
pub(crate) struct Item<'de> {
    pub(crate) top: Fields<'de>,
    /// `properties` as written, when it is an object; its fields are `properties_fields`.
    pub(crate) properties: Option<Cow<'de, str>>,
    pub(crate) properties_fields: Fields<'de>,
    /// `properties` of another JSON type than an object: the key and the kind.
    pub(crate) properties_not_object: Option<(Cow<'de, str>, &'static str)>,
}

impl<'de> Item<'de> {
    /// The fields an assignment is read from: `properties` when it is there, the item itself
    /// otherwise (the flat shapes of `az` and PowerShell).
    pub(crate) fn body(&self) -> &Fields<'de> {
        match self.properties {
            Some(_) => &self.properties_fields,
            None => &self.top,
        }
    }

    /// Empties the item for the next one: an item is read into the same place as the one
    /// before it, so that reading a list moves no item.
    fn clear(&mut self) {
        self.top.clear();
        self.properties_fields.clear();
        self.properties = None;
        self.properties_not_object = None;
    }

    /// The item's own object, for the item at `at`.
    pub(crate) fn top_base<'a>(&self, at: At<'a>) -> Base<'a> {
        Base {
            at,
            properties: None,
        }
    }

    /// Where [`Item::body`] is, for the item at `at`.
    pub(crate) fn body_base<'a>(&'a self, at: At<'a>) -> Base<'a> {
        Base {
            at,
            properties: self.properties.as_deref(),
        }
    }

    /// The problems the object shape itself has: two keys equal ignoring case, `properties`
    /// not an object.
    pub(crate) fn shape_error(&self, at: At<'_>) -> Option<InputError> {
        if let Some((first, second)) = &self.top.twice {
            return Some(InputError::new(
                &at.to_string(),
                InputProblem::keys_differ(first, second),
            ));
        }
        if let Some((key, found)) = &self.properties_not_object {
            return Some(InputError::new(
                &format!("{at}.{key}"),
                InputProblem::Expected {
                    what: "an object",
                    found,
                },
            ));
        }
        let key = self.properties.as_ref()?;
        let (first, second) = self.properties_fields.twice.as_ref()?;
        Some(InputError::new(
            &format!("{at}.{key}"),
            InputProblem::keys_differ(first, second),
        ))
    }
}

/// The JSON kind of a value a field does not read.
struct Kind;

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
        SkipVisitor.visit_seq(seq)?;
        Ok("an array")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<&'static str, A::Error> {
        SkipVisitor.visit_map(map)?;
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
struct KeySeed;

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
struct Nested<'a, 'de> {
    key: &'a mut Option<Cow<'de, str>>,
    fields: &'a mut Fields<'de>,
    not_object: &'a mut Option<(Cow<'de, str>, &'static str)>,
    seen: &'a mut KeySet<Cow<'de, str>>,
}

impl<'a, 'de> Nested<'a, 'de> {
    fn of(
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
fn read_key<'de, A: MapAccess<'de>>(
    map: &mut A,
    key: Cow<'de, str>,
    fields: &mut Fields<'de>,
    seen: &mut KeySet<Cow<'de, str>>,
    nested: Option<&mut Nested<'_, 'de>>,
) -> Result<(), A::Error> {
    if let Some(first) = seen.find(&key) {
        // A key repeated as written is an error of the JSON itself, at its place, as the
        // strict reader every other file goes through says it (`crate::json`).
        if *first == key {
            return Err(de::Error::custom(format_args!("duplicate key `{key}`")));
        }
        if fields.twice.is_none() {
            fields.twice = Some((first.to_string(), key.to_string()));
        }
    }
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
    seen.insert(key);
    Ok(())
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
struct Scratch<'de> {
    item: Item<'de>,
    seen: KeySet<Cow<'de, str>>,
    seen_properties: KeySet<Cow<'de, str>>,
}

/// One item of a list read into a [`Scratch`]: `Err` is the kind it is instead of an object.
struct ItemSeed<'a, 'de> {
    scratch: &'a mut Scratch<'de>,
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

const ENVELOPE: [(&str, Envelope); 12] = [
    ("value", Envelope::Value),
    ("data", Envelope::Data),
    ("nextLink", Envelope::NextLink),
    ("@odata.nextLink", Envelope::NextLink),
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
    twice: Option<(String, String)>,
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
            if envelope.is_some()
                && let Some(first) = read.seen.find(&key)
            {
                if *first == key {
                    return Err(de::Error::custom(format_args!("duplicate key `{key}`")));
                }
                if read.twice.is_none() {
                    read.twice = Some((first.to_string(), key.to_string()));
                }
            }
            match envelope {
                Some(Envelope::Value) if read.value.is_none() => {
                    let path = format!("$.{key}");
                    let seed = ItemsSeed {
                        sink: Some(&mut *self.sink),
                        list: &path,
                    };
                    let list = map.next_value_seed(seed)?;
                    read.seen.insert(key.clone());
                    read.value = Some((key, list));
                }
                // `data` is the file's list only if a Resource Graph marker says so, which may
                // come after it: its items are kept until then.
                Some(Envelope::Data) if read.data.is_none() => {
                    let seed = ItemsSeed {
                        sink: None,
                        list: "",
                    };
                    let list = map.next_value_seed(seed)?;
                    read.seen.insert(key.clone());
                    read.data = Some((key, list));
                }
                Some(role) if role != Envelope::Value && role != Envelope::Data => {
                    let marker = map.next_value_seed(MarkerSeed)?;
                    read.seen.insert(key.clone());
                    read.markers.push((key, role, marker));
                }
                _ => {
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
    if let Some((first, second)) = read.twice.clone().or_else(|| read.single.top.twice.clone()) {
        return Err(InputError::new(
            "$",
            InputProblem::keys_differ(&first, &second),
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
        (None, _) => return Ok(None),
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

/// [`judge`] on a file read into a `Value` that is an object (the deny assignments and role
/// definitions readers, `super::fields`): the key of its list, or `None` when the object is
/// one item. The same markers in the same spellings, read the same way.
pub(crate) fn list_of(
    object: &serde_json::Map<String, serde_json::Value>,
) -> Result<Option<&str>, InputError> {
    let mut value = None;
    let mut data = None;
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
            Some(Envelope::Value) if value.is_none() => value = Some(kind(key.as_str(), item)),
            Some(Envelope::Data) if data.is_none() => data = Some(kind(key.as_str(), item)),
            Some(Envelope::Value | Envelope::Data) | None => {}
            Some(role) => {
                let marker = item.deserialize_any(MarkerVisitor).unwrap_or(Marker::Set);
                markers.push((key.as_str(), role, marker));
            }
        }
    }
    Ok(match judge(value, data, &markers)? {
        Some(Envelope::Value) => value.map(|list| list.key),
        Some(_) => data.map(|list| list.key),
        None => None,
    })
}

fn incomplete(marker: &str, what: &'static str) -> InputError {
    InputError::new(&format!("$.{marker}"), InputProblem::Incomplete(what))
}

impl<'de> Fields<'de> {
    /// The string `key` holds: `None` when absent or `null`; another JSON type is an error at
    /// the key's path under `base`.
    pub(crate) fn string(&self, key: Key, base: Base<'_>) -> Result<Option<&str>, InputError> {
        match self.get(key) {
            None | Some((_, Field::Null)) => Ok(None),
            Some((_, Field::Str(text))) => Ok(Some(text)),
            Some((written, Field::Bool(_))) => {
                Err(expected(base, written, "a string", "a boolean"))
            }
            Some((written, Field::Other(found))) => Err(expected(base, written, "a string", found)),
        }
    }

    /// The boolean `key` holds: `None` when absent or `null`.
    pub(crate) fn boolean(&self, key: Key, base: Base<'_>) -> Result<Option<bool>, InputError> {
        match self.get(key) {
            None | Some((_, Field::Null)) => Ok(None),
            Some((_, Field::Bool(b))) => Ok(Some(*b)),
            Some((written, Field::Str(_))) => {
                Err(expected(base, written, "true or false", "a string"))
            }
            Some((written, Field::Other(found))) => {
                Err(expected(base, written, "true or false", found))
            }
        }
    }

    /// The JSON path of `key` under `base`, as the key is written (or as the schema spells it
    /// when it is absent). Made only for a message.
    pub(crate) fn path(&self, key: Key, base: Base<'_>) -> String {
        let written = self.get(key).map_or(key.name(), |(written, _)| written);
        format!("{base}.{written}")
    }
}

fn expected(base: Base<'_>, key: &str, what: &'static str, found: &'static str) -> InputError {
    InputError::new(
        &format!("{base}.{key}"),
        InputProblem::Expected { what, found },
    )
}
