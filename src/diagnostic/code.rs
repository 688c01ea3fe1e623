//! The stable diagnostic codes. A code never changes meaning once published; retired codes are
//! not reused. The README's table of codes is checked against [`Code::ALL`] by a test.

use std::fmt;

use super::Severity;

macro_rules! codes {
    ($($variant:ident = $code:literal, $severity:ident, $title:literal;)*) => {
        /// Identity of a kind of diagnostic: `AZ0001`, `AZ0101`, ...
        ///
        /// `AZ00xx` are syntax errors, `AZ01xx` syntax warnings, `AZ09xx` internal errors.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Code {
            $(#[doc = $title] $variant,)*
        }

        impl Code {
            /// Every code, in numeric order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as written in reports, such as `AZ0001`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// The severity a diagnostic with this code has unless a caller promotes it.
            pub fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            /// A short lowercase description of what the code reports.
            pub fn title(self) -> &'static str {
                match self { $(Code::$variant => $title,)* }
            }
        }
    };
}

codes! {
    UnexpectedCharacter = "AZ0001", Error, "a character that cannot start any token";
    UnterminatedString = "AZ0002", Error, "a string literal without its closing `'`";
    DoubleQuotedString = "AZ0003", Error, "a string literal in double quotes";
    InvalidStringCharacter = "AZ0004", Error, "a control or invisible character inside a string literal";
    UnterminatedAttribute = "AZ0005", Error, "an attribute reference without its closing `]`";
    UnknownAttributeSource = "AZ0006", Error, "an attribute source other than `@Request`, `@Resource`, `@Principal`, `@Environment`";
    MalformedAttributeName = "AZ0007", Error, "an attribute name that is empty or has a damaged `<$key_case_sensitive$>` or `&$keys$&` marker";
    MissingAtSign = "AZ0008", Error, "an attribute reference written without its leading `@`";
    InvalidNumber = "AZ0009", Error, "a number that is not a 64-bit integer";
    MalformedGuid = "AZ0010", Error, "a GUID that is not 8-4-4-4-12 or 32 hexadecimal digits";
    UnexpectedToken = "AZ0011", Error, "a token where the grammar does not allow it";
    UnexpectedEnd = "AZ0012", Error, "the condition ends before it is complete";
    UnclosedDelimiter = "AZ0013", Error, "a `(` or `{` that is never closed";
    UnmatchedDelimiter = "AZ0014", Error, "a `)` or `}` with no matching opener";
    UnknownOperator = "AZ0015", Error, "a word in operator position that is not an operator";
    ComparisonSymbol = "AZ0016", Error, "a symbol such as `==` or `!=` used as an operator";
    SingleAmpersandOrPipe = "AZ0017", Error, "a lone `&` or `|` instead of `&&`/`AND` or `||`/`OR`";
    FunctionParentheses = "AZ0018", Error, "`ActionMatches`, `SubOperationMatches` or `Exists` called with parentheses";
    NotExists = "AZ0019", Error, "`NotExists`, which is not a keyword";
    InvalidFunctionArgument = "AZ0020", Error, "a function given other than exactly one string argument";
    EmptySet = "AZ0021", Error, "an empty set literal `{}`";
    AttributeAsBoolean = "AZ0022", Error, "an attribute used as a condition on its own";
    EmptyCondition = "AZ0023", Error, "an empty condition";
    UnknownFunction = "AZ0024", Error, "a word in expression position that is not a function or keyword";
    ConditionTooLong = "AZ0025", Error, "a condition over 8192 bytes";
    NestingTooDeep = "AZ0026", Error, "parentheses and negations nested deeper than 256";
    SetTooLarge = "AZ0027", Error, "a set literal with more than 1024 values";
    InvalidUtf8 = "AZ0028", Error, "input that is not valid UTF-8";
    TooManyDiagnostics = "AZ0029", Error, "more than 100 diagnostics in one condition: the rest are counted, not shown";
    AmbiguousAndOr = "AZ0101", Warning, "`AND` and `OR` mixed at one level without parentheses";
    NonCanonicalSpelling = "AZ0102", Warning, "a keyword, operator or source not spelled as documented";
    ConstantCondition = "AZ0103", Warning, "`true` or `false` used as a condition";
    FormatterMismatch = "AZ0901", Error, "internal: the formatter's output does not parse to the same tree";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
