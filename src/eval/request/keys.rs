//! How a request's entries are found: a [`Slot`] per attribute reference, made when a
//! condition compiles, and the [`Key`] of each entry, made when a request is read. Names of
//! the built-in catalogue carry their number, so two such keys compare as integers; other
//! names compare by hash, then text. Never by a name alone.

use std::hash::Hasher;
use std::sync::LazyLock;

use crate::catalog::{Catalog, Form};
use crate::syntax::attribute::with_lowercase;
use crate::syntax::{AttributeName, AttributeRef, AttributeSource};
use rustc_hash::{FxHashMap, FxHasher};

/// An attribute reference resolved to how a request stores it. The compiler makes one per
/// distinct reference, so that evaluation compares a number (and for some names a text),
/// never parses.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Slot {
    pub(super) target: Target,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) enum Target {
    /// An entry of the request's attributes.
    Entry(Key),
    /// `@Request[subOperation]`: the request's suboperations
    /// ([decision 25](crate::spec::decisions#decision-25)).
    SubOperations,
}

/// Which part of an attribute an entry holds. A dictionary is stored as one entry for its
/// keys and one per key for that key's value, so that every read finds one entry.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) enum Part {
    /// A plain attribute.
    Whole,
    /// One value of a dictionary, by its case-sensitive key (exactly as written).
    Member(Box<str>),
    /// The keys of a dictionary.
    Keys,
}

impl Part {
    fn tag(&self) -> u64 {
        match self {
            Part::Whole => 0,
            Part::Member(_) => 1,
            Part::Keys => 2,
        }
    }
}

/// Where an entry is found in a request: its source, its name as written inside the
/// brackets (a dictionary's path), ASCII-lowercased, and its part.
///
/// `id` decides most comparisons alone. A name of the built-in catalogue carries its number
/// there, and without a member its `id` is the source, part and number: two such keys are
/// equal exactly when their ids are. Every other key (custom security attributes, extensions,
/// dictionary members) has a hash for `id`, with [`HASHED`] set, and equal ids are confirmed
/// on the number or the text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) struct Key {
    id: u64,
    source: AttributeSource,
    /// 1 + the index of the name among the built-in catalogue's, or 0.
    known: u32,
    /// The name, ASCII-lowercased; empty for a catalogue name, which `known` identifies.
    name: Box<str>,
    part: Part,
}

/// The bit of [`Key::id`] that marks a hash.
const HASHED: u64 = 1 << 63;

/// The built-in catalogue's attribute names (dictionary paths for dictionaries), lowercased,
/// each with its number.
static WELL_KNOWN: LazyLock<FxHashMap<Box<str>, u32>> = LazyLock::new(|| {
    let attributes = Catalog::builtin().attributes();
    attributes
        .iter()
        .filter(|a| a.entry.form != Form::Family)
        .zip(1..)
        .map(|(a, number)| (a.entry.name.to_ascii_lowercase().into(), number))
        .collect()
});

/// The built-in catalogue's actions, lowercased; action `n` is at `n - 1`.
static ACTION_NAMES: LazyLock<Vec<Box<str>>> = LazyLock::new(|| {
    let actions = Catalog::builtin().actions();
    actions
        .iter()
        .map(|a| a.name.to_ascii_lowercase().into())
        .collect()
});

/// The number of each of [`ACTION_NAMES`].
static KNOWN_ACTIONS: LazyLock<FxHashMap<&'static str, u32>> =
    LazyLock::new(|| ACTION_NAMES.iter().map(|name| &**name).zip(1..).collect());

/// The number of an ASCII-lowercased action among the built-in catalogue's, or 0. Two
/// actions with numbers are equal exactly when their numbers are, and an action with a number
/// never equals one without, so `ActionMatches` with a catalogue action compares integers.
pub(crate) fn action_number(lowercase: &str) -> u32 {
    KNOWN_ACTIONS.get(lowercase).copied().unwrap_or(0)
}

/// The lowercased action of a number from [`action_number`].
pub(crate) fn action_name(number: u32) -> Option<&'static str> {
    let index = usize::try_from(number.checked_sub(1)?).ok()?;
    ACTION_NAMES.get(index).map(|name| &**name)
}

impl Key {
    pub(super) fn new(source: AttributeSource, name: &str, part: Part) -> Key {
        with_lowercase(name, None, |name| Key::from_lowercase(source, name, part))
    }

    /// The key of an ASCII-lowercased name. A catalogue name is known by its number, so its
    /// text is not kept.
    pub(super) fn from_lowercase(source: AttributeSource, name: &str, part: Part) -> Key {
        let known = WELL_KNOWN.get(name).copied().unwrap_or(0);
        let name = if known == 0 {
            name.into()
        } else {
            Box::default()
        };
        Key::build(source, known, name, part)
    }

    /// The key of one value of the dictionary this key names.
    pub(super) fn member(&self, member: &str) -> Key {
        Key::build(
            self.source,
            self.known,
            self.name.clone(),
            Part::Member(member.into()),
        )
    }

    fn build(source: AttributeSource, known: u32, name: Box<str>, part: Part) -> Key {
        let fields = u64::from(known) << 8 | part.tag() << 3 | source as u64;
        let id = match &part {
            Part::Whole | Part::Keys if known != 0 => fields,
            _ => {
                let mut hasher = FxHasher::default();
                hasher.write_u64(fields);
                if known == 0 {
                    hasher.write(name.as_bytes());
                }
                if let Part::Member(member) = &part {
                    hasher.write(member.as_bytes());
                }
                hasher.finish() | HASHED
            }
        };
        Key {
            id,
            source,
            known,
            name,
            part,
        }
    }

    /// The same entry.
    #[inline(always)]
    pub(super) fn is(&self, other: &Key) -> bool {
        self.id == other.id && (self.id & HASHED == 0 || self.confirms(other))
    }

    /// The same entry, given equal hashes.
    fn confirms(&self, other: &Key) -> bool {
        let member = match (&self.part, &other.part) {
            (Part::Member(a), Part::Member(b)) => a == b,
            (a, b) => a.tag() == b.tag(),
        };
        member && self.same_attribute(other)
    }

    /// The same attribute (or dictionary), whatever the parts.
    pub(super) fn same_attribute(&self, other: &Key) -> bool {
        self.source == other.source
            && self.known == other.known
            && (self.known != 0 || self.name == other.name)
    }
}

/// The legacy attribute that reads the request's suboperations.
const SUBOPERATION_ATTRIBUTE: &str = "subOperation";

impl Slot {
    /// The slot an attribute reference reads.
    pub fn of(attribute: &AttributeRef) -> Slot {
        let source = attribute.source;
        let part = match &attribute.name {
            AttributeName::Name(name)
                if source == AttributeSource::Request
                    && name.eq_ignore_ascii_case(SUBOPERATION_ATTRIBUTE) =>
            {
                return Slot {
                    target: Target::SubOperations,
                };
            }
            AttributeName::Keyed { key, .. } => Part::Member(key.as_str().into()),
            AttributeName::KeySet { .. } => Part::Keys,
            _ => Part::Whole,
        };
        let key = attribute
            .name
            .with_lookup_key(|name| Key::from_lowercase(source, name, part));
        Slot {
            target: Target::Entry(key),
        }
    }

    /// Whether the slot reads the request's suboperations.
    pub(super) fn is_suboperations(&self) -> bool {
        self.target == Target::SubOperations
    }
}
