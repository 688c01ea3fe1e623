//! Comparison operators: the closed list of [LANGUAGE.md §6](crate::spec::language#section-6)
//! (plus the Key Vault preview string operators of
//! [decision 17](crate::spec::decisions#decision-17)) and the four quantifiers of
//! [§6.8](crate::spec::language#section-6-8).

use std::fmt;

/// The kind of value an operator compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OperatorFamily {
    /// `String…`
    String,
    /// `Numeric…`
    Numeric,
    /// `Bool…`
    Bool,
    /// `DateTime…`
    DateTime,
    /// `Guid…`
    Guid,
}

impl OperatorFamily {
    /// Lowercase name, as used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            OperatorFamily::String => "string",
            OperatorFamily::Numeric => "numeric",
            OperatorFamily::Bool => "bool",
            OperatorFamily::DateTime => "datetime",
            OperatorFamily::Guid => "guid",
        }
    }
}

/// The relation an operator tests, before negation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Relation {
    /// Equal.
    Equals,
    /// Prefix (strings).
    StartsWith,
    /// Suffix (strings, Key Vault preview).
    EndsWith,
    /// Substring (strings, Key Vault preview).
    Contains,
    /// Wildcard match with `*` and `?` (strings).
    Like,
    /// `>`
    GreaterThan,
    /// `>=`
    GreaterThanEquals,
    /// `<`
    LessThan,
    /// `<=`
    LessThanEquals,
}

impl Relation {
    /// camelCase name, as used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Equals => "equals",
            Relation::StartsWith => "startsWith",
            Relation::EndsWith => "endsWith",
            Relation::Contains => "contains",
            Relation::Like => "like",
            Relation::GreaterThan => "greaterThan",
            Relation::GreaterThanEquals => "greaterThanEquals",
            Relation::LessThan => "lessThan",
            Relation::LessThanEquals => "lessThanEquals",
        }
    }
}

macro_rules! base_operators {
    ($($variant:ident = $name:literal, $family:ident, $relation:ident, $negated:literal, $ignore_case:literal;)*) => {
        /// A comparison operator without quantifier, such as `StringEquals`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum BaseOperator {
            $(#[doc = concat!("`", $name, "`")] $variant,)*
        }

        impl BaseOperator {
            /// Every base operator, in documentation order.
            pub const ALL: &'static [BaseOperator] = &[$(BaseOperator::$variant,)*];

            /// The documented spelling.
            pub fn name(self) -> &'static str {
                match self { $(BaseOperator::$variant => $name,)* }
            }

            /// The operator spelled exactly `name`, as nearly every condition spells it.
            fn from_documented_name(name: &str) -> Option<BaseOperator> {
                match name { $($name => Some(BaseOperator::$variant),)* _ => None }
            }

            /// The value family it compares.
            pub fn family(self) -> OperatorFamily {
                match self { $(BaseOperator::$variant => OperatorFamily::$family,)* }
            }

            /// The relation it tests before negation.
            pub fn relation(self) -> Relation {
                match self { $(BaseOperator::$variant => Relation::$relation,)* }
            }

            /// Whether it is a `…Not…` operator (the negation of [`Self::relation`]).
            pub fn is_negated(self) -> bool {
                match self { $(BaseOperator::$variant => $negated,)* }
            }

            /// Whether it is an `…IgnoreCase` operator.
            pub fn ignores_case(self) -> bool {
                match self { $(BaseOperator::$variant => $ignore_case,)* }
            }
        }
    };
}

base_operators! {
    StringEquals = "StringEquals", String, Equals, false, false;
    StringEqualsIgnoreCase = "StringEqualsIgnoreCase", String, Equals, false, true;
    StringNotEquals = "StringNotEquals", String, Equals, true, false;
    StringNotEqualsIgnoreCase = "StringNotEqualsIgnoreCase", String, Equals, true, true;
    StringStartsWith = "StringStartsWith", String, StartsWith, false, false;
    StringStartsWithIgnoreCase = "StringStartsWithIgnoreCase", String, StartsWith, false, true;
    StringNotStartsWith = "StringNotStartsWith", String, StartsWith, true, false;
    StringNotStartsWithIgnoreCase = "StringNotStartsWithIgnoreCase", String, StartsWith, true, true;
    StringLike = "StringLike", String, Like, false, false;
    StringLikeIgnoreCase = "StringLikeIgnoreCase", String, Like, false, true;
    StringNotLike = "StringNotLike", String, Like, true, false;
    StringNotLikeIgnoreCase = "StringNotLikeIgnoreCase", String, Like, true, true;
    StringEndsWith = "StringEndsWith", String, EndsWith, false, false;
    StringNotEndsWith = "StringNotEndsWith", String, EndsWith, true, false;
    StringContains = "StringContains", String, Contains, false, false;
    StringNotContains = "StringNotContains", String, Contains, true, false;
    NumericEquals = "NumericEquals", Numeric, Equals, false, false;
    NumericNotEquals = "NumericNotEquals", Numeric, Equals, true, false;
    NumericGreaterThan = "NumericGreaterThan", Numeric, GreaterThan, false, false;
    NumericGreaterThanEquals = "NumericGreaterThanEquals", Numeric, GreaterThanEquals, false, false;
    NumericLessThan = "NumericLessThan", Numeric, LessThan, false, false;
    NumericLessThanEquals = "NumericLessThanEquals", Numeric, LessThanEquals, false, false;
    BoolEquals = "BoolEquals", Bool, Equals, false, false;
    BoolNotEquals = "BoolNotEquals", Bool, Equals, true, false;
    DateTimeEquals = "DateTimeEquals", DateTime, Equals, false, false;
    DateTimeNotEquals = "DateTimeNotEquals", DateTime, Equals, true, false;
    DateTimeGreaterThan = "DateTimeGreaterThan", DateTime, GreaterThan, false, false;
    DateTimeGreaterThanEquals = "DateTimeGreaterThanEquals", DateTime, GreaterThanEquals, false, false;
    DateTimeLessThan = "DateTimeLessThan", DateTime, LessThan, false, false;
    DateTimeLessThanEquals = "DateTimeLessThanEquals", DateTime, LessThanEquals, false, false;
    GuidEquals = "GuidEquals", Guid, Equals, false, false;
    GuidNotEquals = "GuidNotEquals", Guid, Equals, true, false;
}

impl BaseOperator {
    /// Looks a name up ignoring ASCII case ([decision 2](crate::spec::decisions#decision-2)).
    pub fn from_name(name: &str) -> Option<BaseOperator> {
        BaseOperator::from_documented_name(name).or_else(|| {
            BaseOperator::ALL
                .iter()
                .copied()
                .find(|op| op.name().eq_ignore_ascii_case(name))
        })
    }

    /// Whether [LANGUAGE.md §6.8](crate::spec::language#section-6-8) lists it as usable after a
    /// quantifier.
    pub fn is_quantifiable(self) -> bool {
        matches!(
            self.family(),
            OperatorFamily::String | OperatorFamily::Numeric | OperatorFamily::Guid
        ) && matches!(self.relation(), Relation::Equals | Relation::Like)
            || matches!(self.family(), OperatorFamily::Numeric)
    }
}

/// How a quantified operator combines the values on its two sides
/// ([LANGUAGE.md §6.8](crate::spec::language#section-6-8)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Quantifier {
    /// ∃l ∃r
    ForAnyOfAnyValues,
    /// ∀l ∃r
    ForAllOfAnyValues,
    /// ∃l ∀r
    ForAnyOfAllValues,
    /// ∀l ∀r
    ForAllOfAllValues,
}

impl Quantifier {
    /// Every quantifier.
    pub const ALL: &'static [Quantifier] = &[
        Quantifier::ForAnyOfAnyValues,
        Quantifier::ForAllOfAnyValues,
        Quantifier::ForAnyOfAllValues,
        Quantifier::ForAllOfAllValues,
    ];

    /// The documented spelling.
    pub fn name(self) -> &'static str {
        match self {
            Quantifier::ForAnyOfAnyValues => "ForAnyOfAnyValues",
            Quantifier::ForAllOfAnyValues => "ForAllOfAnyValues",
            Quantifier::ForAnyOfAllValues => "ForAnyOfAllValues",
            Quantifier::ForAllOfAllValues => "ForAllOfAllValues",
        }
    }

    /// The quantifier spelled exactly `name`.
    fn from_documented_name(name: &str) -> Option<Quantifier> {
        Quantifier::ALL.iter().copied().find(|q| q.name() == name)
    }

    /// Looks a name up ignoring ASCII case.
    pub fn from_name(name: &str) -> Option<Quantifier> {
        Quantifier::ALL
            .iter()
            .copied()
            .find(|q| q.name().eq_ignore_ascii_case(name))
    }

    /// Whether every left value must satisfy the comparison (`ForAll…`), or one suffices.
    pub fn all_left(self) -> bool {
        matches!(
            self,
            Quantifier::ForAllOfAnyValues | Quantifier::ForAllOfAllValues
        )
    }

    /// Whether a left value must satisfy the comparison against every right value (`…OfAll…`).
    pub fn all_right(self) -> bool {
        matches!(
            self,
            Quantifier::ForAnyOfAllValues | Quantifier::ForAllOfAllValues
        )
    }
}

/// A comparison operator as written: an optional quantifier and a base operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Operator {
    /// `ForAnyOfAnyValues` in `ForAnyOfAnyValues:GuidEquals`.
    pub quantifier: Option<Quantifier>,
    /// `GuidEquals` in `ForAnyOfAnyValues:GuidEquals`.
    pub base: BaseOperator,
}

impl Operator {
    /// The operator spelled exactly as documented, e.g. `ForAnyOfAnyValues:GuidEquals`.
    pub fn from_documented_name(name: &str) -> Option<Operator> {
        Operator::read(
            name,
            Quantifier::from_documented_name,
            BaseOperator::from_documented_name,
        )
    }

    /// Parses `Base` or `Quantifier:Base`, ignoring ASCII case.
    ///
    /// ```
    /// use azabac::syntax::{BaseOperator, Operator, Quantifier};
    /// let op = Operator::from_name("forAnyOfAnyValues:guidequals").unwrap();
    /// assert_eq!(op.quantifier, Some(Quantifier::ForAnyOfAnyValues));
    /// assert_eq!(op.base, BaseOperator::GuidEquals);
    /// assert_eq!(op.to_string(), "ForAnyOfAnyValues:GuidEquals");
    /// ```
    pub fn from_name(name: &str) -> Option<Operator> {
        Operator::read(name, Quantifier::from_name, BaseOperator::from_name)
    }

    /// `Base` or `Quantifier:Base`, each part looked up with the given function.
    fn read(
        name: &str,
        quantifier: fn(&str) -> Option<Quantifier>,
        base: fn(&str) -> Option<BaseOperator>,
    ) -> Option<Operator> {
        // Operator names are short: a byte loop finds the `:` sooner than `memchr` starts.
        let colon = name.bytes().position(|b| b == b':');
        match colon.and_then(|at| Some((name.get(..at)?, name.get(at + 1..)?))) {
            Some((q, b)) => Some(Operator {
                quantifier: Some(quantifier(q)?),
                base: base(b)?,
            }),
            None => Some(Operator {
                quantifier: None,
                base: base(name)?,
            }),
        }
    }

    /// Whether `text` is this operator in its documented spelling (no allocation).
    pub fn is_spelled_canonically(&self, text: &str) -> bool {
        match (self.quantifier, text.split_once(':')) {
            (Some(quantifier), Some((q, base))) => {
                q == quantifier.name() && base == self.base.name()
            }
            (None, None) => text == self.base.name(),
            _ => false,
        }
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(quantifier) = self.quantifier {
            write!(f, "{}:", quantifier.name())?;
        }
        f.write_str(self.base.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_is_consistent_with_names() {
        for op in BaseOperator::ALL {
            let name = op.name();
            assert_eq!(op.is_negated(), name.contains("Not"), "{name}");
            assert_eq!(op.ignores_case(), name.ends_with("IgnoreCase"), "{name}");
            assert_eq!(BaseOperator::from_name(&name.to_uppercase()), Some(*op));
        }
        assert_eq!(BaseOperator::ALL.len(), 32);
    }

    #[test]
    fn quantifiable_operators_are_the_sixteen_of_the_docs() {
        let quantifiable: Vec<_> = BaseOperator::ALL
            .iter()
            .filter(|op| op.is_quantifiable())
            .map(|op| op.name())
            .collect();
        assert_eq!(quantifiable.len(), 16, "{quantifiable:?}");
        assert!(!BaseOperator::StringStartsWith.is_quantifiable());
        assert!(!BaseOperator::BoolEquals.is_quantifiable());
        assert!(!BaseOperator::DateTimeEquals.is_quantifiable());
        assert!(BaseOperator::NumericLessThan.is_quantifiable());
        assert!(BaseOperator::StringNotLikeIgnoreCase.is_quantifiable());
    }
}
