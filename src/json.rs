//! JSON input read strictly: a document whose object repeats a key is an error, not the
//! silent last-one-wins of `serde_json::Value`. Two `"action"` keys in a request, or two
//! `"scope"` keys in an assignment, would otherwise decide on whichever came last, which a
//! person reading the file might not expect; Azure's own readers are not documented to agree.
//! Everything else (nesting limit, numbers) is `serde_json`'s.
//!
//! Embedders reach it through [`crate::rbac::read_json`], which reads users' files the same
//! strict way, with a typed error.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde_json::map::Entry;
use serde_json::{Map, Number, Value};

/// Parses `text` as JSON, rejecting duplicate keys in any object. Errors say where, as
/// `serde_json` does (`duplicate key `action` at line 1 column 30`).
///
/// Public through [`crate::rbac::read_json`], with a typed error:
///
/// ```
/// assert!(azabac::rbac::read_json(r#"{"action": "a", "scope": "/"}"#).is_ok());
/// let error = azabac::rbac::read_json(r#"{"action": "a", "action": "b"}"#).unwrap_err();
/// assert!(error.message().contains("duplicate key `action`"));
/// ```
pub fn parse(text: &str) -> Result<Value, serde_json::Error> {
    serde_json::from_str::<Strict>(text).map(|Strict(value)| value)
}

/// A `Value` deserialized with duplicate keys rejected.
struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Strict, D::Error> {
        deserializer.deserialize_any(StrictVisitor)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Strict;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Strict, E> {
        Ok(Strict(Value::Bool(b)))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Strict, E> {
        Ok(Strict(Value::Number(n.into())))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Strict, E> {
        Ok(Strict(Value::Number(n.into())))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Strict, E> {
        Ok(Strict(
            Number::from_f64(n).map_or(Value::Null, Value::Number),
        ))
    }

    fn visit_str<E>(self, s: &str) -> Result<Strict, E> {
        Ok(Strict(Value::String(s.to_owned())))
    }

    fn visit_string<E>(self, s: String) -> Result<Strict, E> {
        Ok(Strict(Value::String(s)))
    }

    fn visit_unit<E>(self) -> Result<Strict, E> {
        Ok(Strict(Value::Null))
    }

    fn visit_none<E>(self) -> Result<Strict, E> {
        Ok(Strict(Value::Null))
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Strict, D::Error> {
        Strict::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Strict, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(Strict(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Strict(Value::Array(items)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Strict, A::Error> {
        let mut map = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            match map.entry(key) {
                Entry::Occupied(entry) => {
                    return Err(de::Error::custom(format_args!(
                        "duplicate key `{}`",
                        entry.key()
                    )));
                }
                Entry::Vacant(entry) => {
                    let Strict(value) = access.next_value()?;
                    entry.insert(value);
                }
            }
        }
        Ok(Strict(Value::Object(map)))
    }
}

/// A value passed over, read only as far as [`parse`] reads it: an object that repeats a key,
/// at any depth, is the same error, so a reader that skips what it does not use refuses the
/// files [`parse`] refuses and nothing else. Nothing is kept but each object's keys while it is
/// read (borrowed where the text allows). Nesting deeper than
/// [`MAX_JSON_DEPTH`](crate::limits::MAX_JSON_DEPTH) is an error, as `serde_json` makes it for
/// a text (a `Value` built by other means has no such limit of its own).
pub(crate) struct Skip;

impl<'de> Deserialize<'de> for Skip {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Skip, D::Error> {
        deserializer.deserialize_any(SkipVisitor { depth: 0 })
    }
}

/// [`Skip`] at a depth of nesting.
#[derive(Clone, Copy)]
struct SkipSeed {
    depth: usize,
}

impl<'de> de::DeserializeSeed<'de> for SkipSeed {
    type Value = Skip;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Skip, D::Error> {
        deserializer.deserialize_any(SkipVisitor { depth: self.depth })
    }
}

/// [`Skip`]'s visitor, for a reader that has met a map or sequence it passes over, `depth`
/// levels deep in what it skips.
pub(crate) struct SkipVisitor {
    pub(crate) depth: usize,
}

impl SkipVisitor {
    fn deeper<E: de::Error>(&self) -> Result<SkipSeed, E> {
        if self.depth >= crate::limits::MAX_JSON_DEPTH {
            return Err(E::custom(format_args!(
                "nested more than {} levels deep",
                crate::limits::MAX_JSON_DEPTH
            )));
        }
        Ok(SkipSeed {
            depth: self.depth + 1,
        })
    }
}

impl<'de> Visitor<'de> for SkipVisitor {
    type Value = Skip;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_str<E>(self, _: &str) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_unit<E>(self) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_none<E>(self) -> Result<Skip, E> {
        Ok(Skip)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Skip, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Skip, A::Error> {
        let seed = self.deeper()?;
        while seq.next_element_seed(seed)?.is_some() {}
        Ok(Skip)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Skip, A::Error> {
        let seed = self.deeper()?;
        // A scan while the object is small (every one real files hold), a hash past that.
        const SMALL: usize = crate::keys::SMALL;
        let mut keys: Vec<Cow<'de, str>> = Vec::new();
        let mut many: HashSet<Cow<'de, str>> = HashSet::new();
        while let Some(Key(key)) = access.next_key::<Key<'de>>()? {
            let repeated = if many.is_empty() && keys.len() < SMALL {
                keys.contains(&key)
            } else {
                if many.is_empty() {
                    many.extend(keys.drain(..));
                }
                many.contains(&key)
            };
            if repeated {
                return Err(de::Error::custom(format_args!("duplicate key `{key}`")));
            }
            if many.is_empty() {
                keys.push(key);
            } else {
                many.insert(key);
            }
            access.next_value_seed(seed)?;
        }
        Ok(Skip)
    }
}

/// An object's key, borrowed from the text where it has no escape.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Key<'de>, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(text)))
    }
    fn visit_str<E>(self, text: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(text.to_owned())))
    }
    fn visit_string<E>(self, text: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(text)))
    }
}
