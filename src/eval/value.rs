//! Typed values, as both evaluators compare them: GUIDs as 128-bit integers, DateTimes as
//! 100 ns ticks, 64-bit integers, booleans, and strings that carry their case-folded form.

use std::fmt;

use jiff::Timestamp;
use uuid::Uuid;

use crate::syntax::OperatorFamily;

/// One scalar value of an attribute or a literal.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Value {
    /// Text, with its case-folded form.
    String(Str),
    /// A 64-bit signed integer.
    Integer(i64),
    /// `true` or `false`.
    Bool(bool),
    /// An instant, in 100 ns ticks since 1970-01-01T00:00:00Z (.NET precision).
    DateTime(Ticks),
    /// A GUID as one 128-bit number, so that case and hyphens do not matter.
    Guid(u128),
}

impl Value {
    /// A string value.
    pub fn string(text: impl Into<String>) -> Value {
        Value::String(Str::new(text))
    }

    /// A GUID value.
    pub fn guid(guid: Uuid) -> Value {
        Value::Guid(guid.as_u128())
    }

    /// The operator family that compares values of this type.
    pub fn family(&self) -> OperatorFamily {
        match self {
            Value::String(_) => OperatorFamily::String,
            Value::Integer(_) => OperatorFamily::Numeric,
            Value::Bool(_) => OperatorFamily::Bool,
            Value::DateTime(_) => OperatorFamily::DateTime,
            Value::Guid(_) => OperatorFamily::Guid,
        }
    }

    /// The type's name as people read it in messages: `String`, `Integer`, ...
    pub fn type_name(&self) -> &'static str {
        type_name(self.family())
    }
}

/// The name of the values an operator family compares, as messages spell it.
pub fn type_name(family: OperatorFamily) -> &'static str {
    match family {
        OperatorFamily::String => "String",
        OperatorFamily::Numeric => "Integer",
        OperatorFamily::Bool => "Boolean",
        OperatorFamily::DateTime => "DateTime",
        OperatorFamily::Guid => "Guid",
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::String(s) => write!(f, "'{}'", s.as_str()),
            Value::Integer(n) => write!(f, "{n}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::DateTime(t) => write!(f, "'{t}'"),
            Value::Guid(g) => write!(f, "{}", Uuid::from_u128(*g)),
        }
    }
}

/// A string and, when it differs, its Unicode simple case folding
/// ([decision 20](crate::spec::decisions#decision-20)), computed once when the value is made so
/// that `…IgnoreCase` operators never fold at evaluation time.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Str {
    text: Box<str>,
    folded: Option<Box<str>>,
}

impl Str {
    /// A string value from its text.
    pub fn new(text: impl Into<String>) -> Str {
        let text: String = text.into();
        let folded = fold(&text);
        let folded = (folded != text).then(|| folded.into_boxed_str());
        Str {
            text: text.into_boxed_str(),
            folded,
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The case-folded text.
    pub fn folded(&self) -> &str {
        self.folded.as_deref().unwrap_or(&self.text)
    }

    /// The text, folded if `ignore_case`.
    pub fn get(&self, ignore_case: bool) -> &str {
        if ignore_case {
            self.folded()
        } else {
            self.as_str()
        }
    }
}

/// Unicode simple case folding (`CaseFolding.txt`, statuses C and S): one character to one,
/// so folding never changes the number of characters (`?` in a `…LikeIgnoreCase` pattern still
/// means one character).
pub fn fold(text: &str) -> String {
    if text
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        return text.to_owned();
    }
    text.chars().map(casefold::simple_fold_char).collect()
}

/// An instant in 100 ns ticks since the Unix epoch: the precision of Azure's DateTime comparisons
/// ([decision 9](crate::spec::decisions#decision-9)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ticks(pub i64);

impl Ticks {
    /// Ticks per second.
    pub const PER_SECOND: i64 = 10_000_000;

    /// The instant, truncated to 100 ns.
    pub fn from_timestamp(timestamp: Timestamp) -> Ticks {
        let nanos = timestamp.as_nanosecond();
        // jiff's range (years -9999..=9999) fits in i64 ticks with room to spare.
        Ticks(i64::try_from(nanos.div_euclid(100)).unwrap_or(i64::MAX))
    }

    /// Reads a DateTime string by the literal rule: RFC 3339 in UTC, 0 to 7 fractional
    /// digits.
    ///
    /// ```
    /// use azabac::eval::Ticks;
    /// let a = Ticks::parse("2022-06-01T23:38:32.8883645Z").unwrap();
    /// let b = Ticks::parse("2022-06-01T23:38:32.8883646Z").unwrap();
    /// assert_eq!(b.0 - a.0, 1);
    /// ```
    pub fn parse(text: &str) -> Result<Ticks, crate::syntax::literal::DateTimeError> {
        crate::syntax::literal::datetime(text).map(Ticks::from_timestamp)
    }

    /// Reads an instant of an export or `--now`: RFC 3339 with any offset, normalised to UTC
    /// ([`crate::syntax::literal::instant`]).
    ///
    /// ```
    /// use azabac::eval::Ticks;
    /// assert_eq!(
    ///     Ticks::parse_instant("2026-12-01T05:00:00+05:00").unwrap(),
    ///     Ticks::parse("2026-12-01T00:00:00Z").unwrap()
    /// );
    /// ```
    pub fn parse_instant(text: &str) -> Result<Ticks, crate::syntax::literal::DateTimeError> {
        crate::syntax::literal::instant(text).map(Ticks::from_timestamp)
    }
}

impl fmt::Display for Ticks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seconds = self.0.div_euclid(Self::PER_SECOND);
        let fraction = self.0.rem_euclid(Self::PER_SECOND);
        match Timestamp::from_second(seconds) {
            Ok(t) if fraction == 0 => write!(f, "{}", t.strftime("%Y-%m-%dT%H:%M:%SZ")),
            Ok(t) => write!(f, "{}.{fraction:07}Z", t.strftime("%Y-%m-%dT%H:%M:%S")),
            Err(_) => write!(f, "<{} ticks>", self.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Str, Ticks, fold};

    #[test]
    fn folding_is_simple_and_one_to_one() {
        assert_eq!(fold("ReadOnly/Ä"), "readonly/ä");
        // Simple folding keeps ß (full folding would give "ss") and folds final sigma.
        assert_eq!(fold("Straße"), "straße");
        assert_eq!(fold("ΟΔΟΣ"), fold("οδος"));
        assert_eq!(fold("K"), "k", "the Kelvin sign folds to k");
        let s = Str::new("Cascade");
        assert_eq!((s.as_str(), s.folded()), ("Cascade", "cascade"));
        let lower = Str::new("cascade");
        assert_eq!(lower.folded(), "cascade");
    }

    #[test]
    fn ticks_keep_seven_digits() {
        let t = Ticks::parse("2022-06-01T23:38:32.8883645Z").unwrap();
        assert_eq!(t.to_string(), "2022-06-01T23:38:32.8883645Z");
        let whole = Ticks::parse("2023-05-01T13:00:00.000Z").unwrap();
        assert_eq!(whole.to_string(), "2023-05-01T13:00:00Z");
        assert_eq!(whole, Ticks::parse("2023-05-01T13:00:00Z").unwrap());
        assert!(Ticks::parse("0001-01-01T00:00:00Z").unwrap().0 < 0);
    }
}
