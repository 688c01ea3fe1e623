//! Role assignment exports read from the text ([decision R14](crate::spec::decisions#decision-r14),
//! [decision R20](crate::spec::decisions#decision-r20)): each item's fields by a fixed schema,
//! keys in any spelling, two keys equal ignoring case an error, and the envelope around the
//! list read with its completeness markers, all in one pass of `serde` over the file. No
//! `serde_json::Value` is built, each item is read into the same place as the one before it and
//! handed on at once (so a list is never held), and no JSON path is made unless there is an
//! error to report ([`At`], [`Base`]). The same visitors read a `Value` (`&Value` is a
//! `Deserializer`), so there is one reader for both.
//!
//! Measured on the 100,000-assignment tenant of `cargo bench --bench rbac` (62 MB): the reader
//! before issue 29 (`37659ca`, through a `Value`) loaded it in 0.86 s and 221 MB, a strict
//! reader through a `Value` with a path string per field lookup (never landed) in 2.3 s and
//! 310 MB; this one in 0.42 s and 121 MB (`docs/performance.md`, "Strict and fast exports").
//!
//! The module is in three parts: the schema of an item (here: [`Key`], [`Fields`], [`Item`],
//! where an item is, [`At`] and [`Base`]), the visitors that read one item's keys into it
//! (`visit`), and the envelope around a list with its completeness markers (`envelope`).

use std::borrow::Cow;
use std::fmt;

use super::{InputError, InputProblem};

mod envelope;
mod judge;
mod visit;

pub(crate) use envelope::read_each;
pub(crate) use judge::list_of;

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
    /// Each key met whose spelling differs from one held (ignoring ASCII case), with it.
    twice: Vec<(String, String)>,
}

impl<'de> Fields<'de> {
    /// The field `key` holds, with the key as written.
    pub(crate) fn get(&self, key: Key) -> Option<(&str, &Field<'de>)> {
        self.slots
            .get(key as usize)?
            .as_ref()
            .map(|(written, value)| (written.as_ref(), value))
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
        self.twice.clear();
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
    /// not an object, a field of `properties` given beside it.
    pub(crate) fn shape_error(&self, at: At<'_>) -> Option<InputError> {
        if let Some((first, second)) =
            crate::keys::canonical(self.top.twice.iter().map(|(a, b)| (a, b)))
        {
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
        // An ARM resource's fields are read from `properties`: one given beside it would be
        // passed over, and which of the two Azure holds is not known, unless it is the same
        // value (a Resource Graph query that `extend`s a row with its properties' fields).
        let outside = KEYS.iter().find_map(|(_, field)| {
            if matches!(field, Key::Id | Key::Name | Key::Type | Key::Properties) {
                return None;
            }
            let (written, value) = self.top.get(*field)?;
            let inside = self.properties_fields.get(*field).map(|(_, v)| v);
            let same = match (value, inside) {
                (Field::Null, _) => true,
                (Field::Str(a), Some(Field::Str(b))) => a == b,
                (Field::Bool(a), Some(Field::Bool(b))) => a == b,
                _ => false,
            };
            (!same).then_some(written)
        });
        if let Some(written) = outside {
            return Some(InputError::new(
                &format!("{at}.{written}"),
                InputProblem::OutsideProperties {
                    key: written.to_owned(),
                    properties: key.to_string(),
                },
            ));
        }
        let (first, second) =
            crate::keys::canonical(self.properties_fields.twice.iter().map(|(a, b)| (a, b)))?;
        Some(InputError::new(
            &format!("{at}.{key}"),
            InputProblem::keys_differ(first, second),
        ))
    }
}

// `Fields` keeps one slot per key, indexed by its discriminant, and one bit per slot in a `u32`.
const _: () = {
    assert!(KEYS.len() <= u32::BITS as usize);
    let mut rest: &[(&str, Key)] = &KEYS;
    let mut i = 0;
    while let [(_, key), tail @ ..] = rest {
        assert!(*key as usize == i);
        rest = tail;
        i += 1;
    }
};

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
