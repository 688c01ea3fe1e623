//! Role assignment exports read from the text ([decision R14](crate::spec::decisions#decision-r14),
//! [decision R20](crate::spec::decisions#decision-r20)): each item's fields by a fixed schema,
//! keys in any spelling, two keys equal ignoring case an error, and the envelope around the
//! list read with its completeness markers, all in one pass of `serde` over the file, with no
//! `serde_json::Value` built and no JSON path made unless there is an error to report. The same
//! visitors read a `Value` (`&Value` is a `Deserializer`), so there is one reader for both.
//!
//! Measured on the 100,000-assignment tenant of `cargo bench --bench rbac` (62 MB), reading
//! through a `Value` and a path string per field cost more than parsing the JSON itself; see
//! `docs/performance.md`.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::{InputError, InputProblem};

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
}

/// One item: its top-level fields and, for an ARM resource, its `properties`.
#[derive(Debug, Default)]
pub(crate) struct Item<'de> {
    pub(crate) top: Fields<'de>,
    /// `properties` as written, and its fields, when it is an object.
    pub(crate) properties: Option<(Cow<'de, str>, Box<Fields<'de>>)>,
    /// `properties` of another JSON type than an object: the key and the kind.
    pub(crate) properties_not_object: Option<(Cow<'de, str>, &'static str)>,
}

impl<'de> Item<'de> {
    /// The fields an assignment is read from: `properties` when it is there, the item itself
    /// otherwise (the flat shapes of `az` and PowerShell).
    pub(crate) fn body(&self) -> &Fields<'de> {
        self.properties.as_ref().map_or(&self.top, |(_, body)| body)
    }

    /// The JSON path of the body within the item at `path`.
    pub(crate) fn body_path(&self, path: &str) -> String {
        match &self.properties {
            Some((key, _)) => format!("{path}.{key}"),
            None => path.to_owned(),
        }
    }

    /// The problems the object shape itself has: two keys equal ignoring case, `properties`
    /// not an object.
    pub(crate) fn shape_error(&self, path: &str) -> Option<InputError> {
        if let Some((first, second)) = &self.top.twice {
            return Some(InputError::new(
                path,
                InputProblem::KeysDifferInCase {
                    first: first.clone(),
                    second: second.clone(),
                },
            ));
        }
        if let Some((key, found)) = &self.properties_not_object {
            return Some(InputError::new(
                &format!("{path}.{key}"),
                InputProblem::Expected {
                    what: "an object",
                    found,
                },
            ));
        }
        let (key, body) = self.properties.as_ref()?;
        let (first, second) = body.twice.as_ref()?;
        Some(InputError::new(
            &format!("{path}.{key}"),
            InputProblem::KeysDifferInCase {
                first: first.clone(),
                second: second.clone(),
            },
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
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<&'static str, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok("an array")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<&'static str, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
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

/// Reads one object's keys into `fields` (and, at the top of an item, `properties` into
/// `item`), each value read by `value` for the keys `take` says are not the item's own.
/// `seen` holds every key of the object so far, to find two equal ignoring case.
fn read_key<'de, A: MapAccess<'de>>(
    map: &mut A,
    key: Cow<'de, str>,
    fields: &mut Fields<'de>,
    seen: &mut Vec<Cow<'de, str>>,
    item: Option<&mut Item<'de>>,
) -> Result<(), A::Error> {
    if let Some(first) = seen.iter().find(|k| k.eq_ignore_ascii_case(&key)) {
        // A key repeated as written is an error of the JSON itself, at its place, as the
        // strict reader every other file goes through says it (`crate::json`).
        if *first == key {
            return Err(de::Error::custom(format_args!("duplicate key `{key}`")));
        }
        if fields.twice.is_none() {
            fields.twice = Some((first.to_string(), key.to_string()));
        }
    }
    match (Key::of(&key), item) {
        (Some(Key::Properties), Some(item)) => match map.next_value_seed(PropertiesSeed)? {
            Ok(body) => item.properties = Some((key.clone(), Box::new(body))),
            Err(found) => item.properties_not_object = Some((key.clone(), found)),
        },
        (Some(known), _) => {
            let value = map.next_value_seed(FieldSeed)?;
            if let Some(slot) = fields.slots.get_mut(known as usize)
                && slot.is_none()
            {
                *slot = Some((key.clone(), value));
            }
        }
        (None, _) => {
            map.next_value::<IgnoredAny>()?;
        }
    }
    seen.push(key);
    Ok(())
}

/// `properties`: an object's fields, or the JSON kind it is instead.
struct PropertiesSeed;

impl<'de> DeserializeSeed<'de> for PropertiesSeed {
    type Value = Result<Fields<'de>, &'static str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(PropertiesVisitor)
    }
}

struct PropertiesVisitor;

impl<'de> Visitor<'de> for PropertiesVisitor {
    type Value = Result<Fields<'de>, &'static str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = Fields::default();
        let mut seen = Vec::with_capacity(16);
        while let Some(key) = map.next_key_seed(KeySeed)? {
            read_key(&mut map, key, &mut fields, &mut seen, None)?;
        }
        Ok(Ok(fields))
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

/// One item of a list: an object's fields, or the kind it is instead.
struct ItemSeed;

impl<'de> DeserializeSeed<'de> for ItemSeed {
    type Value = Result<Item<'de>, &'static str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(ItemVisitor)
    }
}

struct ItemVisitor;

impl<'de> Visitor<'de> for ItemVisitor {
    type Value = Result<Item<'de>, &'static str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut item = Item::default();
        let mut top = Fields::default();
        let mut seen = Vec::with_capacity(16);
        while let Some(key) = map.next_key_seed(KeySeed)? {
            read_key(&mut map, key, &mut top, &mut seen, Some(&mut item))?;
        }
        item.top = top;
        Ok(Ok(item))
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

/// The items of a list, each an object or the kind it is instead.
struct ItemsSeed;

type Listed<'de> = Vec<Result<Item<'de>, &'static str>>;

impl<'de> DeserializeSeed<'de> for ItemsSeed {
    type Value = Result<Listed<'de>, &'static str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(ItemsVisitor)
    }
}

struct ItemsVisitor;

impl<'de> Visitor<'de> for ItemsVisitor {
    type Value = Result<Listed<'de>, &'static str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 20));
        while let Some(item) = seq.next_element_seed(ItemSeed)? {
            items.push(item);
        }
        Ok(Ok(items))
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
#[derive(Debug)]
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

/// The envelope keys and their roles.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Envelope {
    Value,
    Data,
    NextLink,
    SkipToken,
    Truncated,
    Count,
    Total,
}

const ENVELOPE: [(&str, Envelope); 11] = [
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
];

/// A whole file: its items with their JSON paths, or the marker that says the list is not
/// complete.
pub(crate) struct File<'de> {
    /// Each item (or the kind it is instead of an object) with its path.
    pub(crate) items: Vec<(String, Result<Item<'de>, &'static str>)>,
}

/// The file as read, before its completeness is judged.
#[derive(Default)]
struct Read<'de> {
    /// A list under `value` or `data`, with its key as written.
    list: Option<(Cow<'de, str>, Envelope, Result<Listed<'de>, &'static str>)>,
    /// Each marker with its key as written.
    markers: Vec<(Cow<'de, str>, Envelope, Marker)>,
    /// The object itself, read as one item.
    single: Item<'de>,
    top: Fields<'de>,
    seen: Vec<Cow<'de, str>>,
    /// A top-level array.
    array: Option<Listed<'de>>,
    /// Not an object or array: the kind.
    other: Option<&'static str>,
}

struct FileVisitor;

impl<'de> Visitor<'de> for FileVisitor {
    type Value = Read<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object or an array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Read<'de>, A::Error> {
        let items = ItemsVisitor.visit_seq(seq)?.unwrap_or_default();
        Ok(Read {
            array: Some(items),
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
            if read.seen.contains(&key) {
                return Err(de::Error::custom(format_args!("duplicate key `{key}`")));
            }
            match envelope {
                Some(role @ (Envelope::Value | Envelope::Data)) if read.list.is_none() => {
                    let list = map.next_value_seed(ItemsSeed)?;
                    read.seen.push(key.clone());
                    read.list = Some((key, role, list));
                }
                Some(role) if role != Envelope::Value && role != Envelope::Data => {
                    let marker = map.next_value_seed(MarkerSeed)?;
                    read.seen.push(key.clone());
                    read.markers.push((key, role, marker));
                }
                _ => {
                    let (single, top, seen) = (&mut read.single, &mut read.top, &mut read.seen);
                    read_key(&mut map, key, top, seen, Some(single))?;
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
/// item, an array, or a list in its envelope, with the envelope's completeness markers
/// read in any spelling. A list that says more exists is an error naming the marker.
pub(crate) fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<File<'de>, InputError>
where
    D::Error: fmt::Display,
{
    let read = deserializer
        .deserialize_any(FileVisitor)
        .map_err(|e| InputError::new("$", InputProblem::NotJson(e.to_string())))?;
    let listed = |path: String, items: Listed<'de>| File {
        items: items
            .into_iter()
            .enumerate()
            .map(|(i, item)| (format!("{path}[{i}]"), item))
            .collect(),
    };
    if let Some(items) = read.array {
        return Ok(listed("$".to_owned(), items));
    }
    if let Some(kind) = read.other {
        return Ok(File {
            items: vec![("$".to_owned(), Err(kind))],
        });
    }
    let twice = read.seen.iter().enumerate().find_map(|(i, first)| {
        let second = read
            .seen
            .iter()
            .skip(i + 1)
            .find(|other| other.eq_ignore_ascii_case(first))?;
        Some((first.to_string(), second.to_string()))
    });
    if let Some((first, second)) = twice {
        return Err(InputError::new(
            "$",
            InputProblem::KeysDifferInCase { first, second },
        ));
    }
    let graph = read
        .markers
        .iter()
        .any(|(_, role, _)| role != &Envelope::NextLink);
    match read.list {
        Some((key, Envelope::Value, list)) => {
            let items = list.map_err(|found| {
                InputError::new(
                    &format!("$.{key}"),
                    InputProblem::Expected {
                        what: "an array",
                        found,
                    },
                )
            })?;
            if let Some((marker, ..)) = read.markers.iter().find(|(_, role, value)| {
                *role == Envelope::NextLink && !matches!(value, Marker::Unset)
            }) {
                return Err(incomplete(
                    marker,
                    "a page whose link to the next page says the list goes on; give every page",
                ));
            }
            Ok(listed(format!("$.{key}"), items))
        }
        Some((key, _, list)) if graph => {
            let items = list.map_err(|_| {
                InputError::new(
                    &format!("$.{key}"),
                    InputProblem::Incomplete(
                        "a Resource Graph result in the `table` format (columns and rows); \
                         query with `\"resultFormat\": \"objectArray\"`, as `az graph query` does",
                    ),
                )
            })?;
            let find = |wanted: Envelope| read.markers.iter().find(|(_, role, _)| *role == wanted);
            if let Some((marker, ..)) = read.markers.iter().find(|(_, role, value)| {
                *role == Envelope::SkipToken && !matches!(value, Marker::Unset)
            }) {
                return Err(incomplete(
                    marker,
                    "a Resource Graph result with a skip token: more rows follow; query with \
                     `--first 1000` and `--skip-token` (or `$skipToken`) until none is left",
                ));
            }
            if let Some((marker, _, Marker::Set)) = find(Envelope::Truncated) {
                return Err(incomplete(
                    marker,
                    "a Resource Graph result whose `resultTruncated` says rows were left out",
                ));
            }
            if let (Some((_, _, Marker::Number(count))), Some((marker, _, Marker::Number(total)))) =
                (find(Envelope::Count), find(Envelope::Total))
                && total > count
            {
                return Err(incomplete(
                    marker,
                    "a Resource Graph result with more records in total than rows",
                ));
            }
            Ok(listed(format!("$.{key}"), items))
        }
        // `data` without a Resource Graph marker: an item's field, not an envelope.
        _ => Ok(File {
            items: vec![(
                "$".to_owned(),
                Ok(Item {
                    top: read.top,
                    ..read.single
                }),
            )],
        }),
    }
}

fn incomplete(marker: &str, what: &'static str) -> InputError {
    InputError::new(&format!("$.{marker}"), InputProblem::Incomplete(what))
}

impl<'de> Fields<'de> {
    /// The string `key` holds: `None` when absent or `null`; another JSON type is an error at
    /// the key's path under `base`.
    pub(crate) fn string(&self, key: Key, base: &str) -> Result<Option<&str>, InputError> {
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
    pub(crate) fn boolean(&self, key: Key, base: &str) -> Result<Option<bool>, InputError> {
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
    pub(crate) fn path(&self, key: Key, base: &str) -> String {
        let written = self.get(key).map_or(key.name(), |(written, _)| written);
        format!("{base}.{written}")
    }
}

fn expected(base: &str, key: &str, what: &'static str, found: &'static str) -> InputError {
    InputError::new(
        &format!("{base}.{key}"),
        InputProblem::Expected { what, found },
    )
}
