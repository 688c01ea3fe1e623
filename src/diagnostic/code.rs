//! The stable diagnostic codes. A code never changes meaning once published; retired codes are
//! not reused. The table of codes in `docs/diagnostics.md` is checked against [`Code::ALL`] by a test.

use std::fmt;

use super::Severity;

macro_rules! codes {
    ($($variant:ident = $code:literal, $severity:ident, $title:literal;)*) => {
        /// Identity of a kind of diagnostic: `AZ0001`, `AZ0101`, ...
        ///
        /// `AZ00xx` are syntax errors, `AZ01xx` syntax warnings, `AZ02xx` type and catalogue
        /// findings (errors but for AZ0210, [decision 28](crate::spec::decisions#decision-28)),
        /// `AZ03xx` checker warnings, `AZ04xx` notes, `AZ09xx` internal errors.
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
    UnsupportedConditionVersion = "AZ0030", Error, "a `conditionVersion` other than `2.0` beside the condition, such as `1.0`";
    InvalidPrincipalType = "AZ0031", Error, "a role assignment's principal type that Azure, or the host tool that deploys it, refuses";
    AmbiguousAndOr = "AZ0101", Warning, "`AND` and `OR` mixed at one level without parentheses";
    NonCanonicalSpelling = "AZ0102", Warning, "a keyword, operator, source or attribute not spelled as documented";
    ConstantCondition = "AZ0103", Warning, "`true` or `false` used as a condition";
    UnknownAttribute = "AZ0201", Error, "an attribute the catalogue does not know";
    WrongAttributeSource = "AZ0202", Error, "a known attribute under a source that does not provide it";
    OperatorTypeMismatch = "AZ0203", Error, "an operator whose family does not match the attribute's type";
    LiteralTypeMismatch = "AZ0204", Error, "a literal of the wrong type for the operator";
    InvalidDateTime = "AZ0205", Error, "a DateTime literal that is not RFC 3339 UTC with at most 7 fractional digits";
    SetWithoutQuantifier = "AZ0206", Error, "a set literal compared by an operator without a quantifier";
    MultiValuedWithoutQuantifier = "AZ0207", Error, "a multi-valued attribute compared by an operator without a quantifier";
    QuantifierNotAllowed = "AZ0208", Error, "a quantifier on an operator that has no quantified form";
    UnsupportedOperator = "AZ0209", Error, "an operator the attribute does not support, such as `DateTimeEquals` on `UtcNow`";
    AttributeNotAvailable = "AZ0210", Warning, "an attribute that has no value for an action its block targets: false there";
    UnknownSuboperation = "AZ0211", Error, "a suboperation the catalogue does not know";
    UnknownAction = "AZ0301", Warning, "an `ActionMatches` pattern that matches no action known to support conditions";
    Deprecated = "AZ0302", Warning, "a deprecated form: `Blob.Read.WithTagConditions`, `@Request[subOperation]`, or the pre-2022 read target";
    UngatedCondition = "AZ0303", Warning, "a condition or block without an `ActionMatches` guard, which applies to every action";
    ConstantComparison = "AZ0304", Warning, "a comparison or block that is always true or always false";
    VacuousForAll = "AZ0305", Warning, "a `ForAll…` quantifier over a request-supplied list, which is true when the list is empty";
    QuotedGuid = "AZ0306", Warning, "a GUID written in quotes";
    KeyVaultOnlyOperator = "AZ0307", Warning, "`StringEndsWith` or `StringContains`, which Microsoft's current documentation does not list";
    ProviderSpecificOperator = "AZ0308", Warning, "an operator that Log Analytics gives another meaning (`StringLike` is KQL `has_cs`)";
    OverOldLengthLimit = "AZ0309", Warning, "a condition over 4096 bytes, the limit before 2023";
    UndeclaredAttribute = "AZ0310", Warning, "a custom security attribute the catalogue does not declare, so its type is not checked";
    RoleLacksAction = "AZ0311", Warning, "an `ActionMatches` target that the role does not grant";
    BypassingAction = "AZ0312", Warning, "an action the role grants that does what a targeted action does, left ungated";
    UnavailableForGrantedAction = "AZ0313", Warning, "an attribute without a value for an action that the role grants and an ungated block applies to";
    UndocumentedOperator = "AZ0314", Warning, "an operator outside the ones the docs list for the attribute, which Azure is not shown to refuse";
    GuidDenyList = "AZ0315", Warning, "a `GuidNotEquals` deny-list of roles or principals, which any role or principal not listed passes";
    GuardWithoutNot = "AZ0316", Warning, "an `ActionMatches` disjunct without its `!`, which leaves the action it names unrestricted";
    MissingPrincipalType = "AZ0317", Warning, "a role assignment with a condition and no principal type, which a deployer's delegation condition reading `PrincipalType` refuses";
    UnrestrictedDelegation = "AZ0318", Warning, "a condition that restricts some actions of a role that can write role assignments, and leaves `roleAssignments/write` unrestricted";
    NeverSentValue = "AZ0319", Warning, "a value the attribute never has, such as a principal type Azure does not send, in a set it cannot make constant";
    RoleNotKnown = "AZ0401", Note, "a condition of a role assignment whose role is neither built in nor in the files given: role-aware checks skipped";
    NotCheckable = "AZ0402", Note, "a condition in a host file that depends on what is known only at deployment: not checked";
    ByteOrderMark = "AZ0403", Note, "a condition file that starts with a UTF-8 byte-order mark: read without it, though Azure rejects a condition that carries one";
    CheckedAroundUnknowns = "AZ0404", Note, "a condition in a host file checked around values known only at deployment, which are left open";
    HostFileUnread = "AZ0405", Error, "a host file azabac cannot follow (not its language where the reader stopped, or past azabac's budget for a host file): its conditions are not checked";
    FormatterMismatch = "AZ0901", Error, "internal: the formatter's output does not parse to the same tree";
}

/// Why a code has its severity ([decision 29](crate::spec::decisions#decision-29)): an error is
/// what Azure refuses when the assignment or role is written, or what cannot mean what it says;
/// `docs/error-codes.md` gives each error code's evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Basis {
    /// Azure refuses the condition when the assignment or role is written.
    RejectedByAzure,
    /// Whatever Azure does with it, the condition cannot mean what it says.
    Meaningless,
    /// A bound azabac keeps so that no input can exhaust it
    /// ([decision 13](crate::spec::decisions#decision-13)).
    AzabacLimit,
    /// Accepted by Azure, but suspicious: a warning users can raise.
    Suspicious,
    /// A bug in azabac.
    Internal,
    /// Something to know, not a problem: a note.
    Information,
}

impl Basis {
    /// The phrase the code table of `docs/diagnostics.md` uses.
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::RejectedByAzure => "rejected by Azure",
            Basis::Meaningless => "cannot mean what it says",
            Basis::AzabacLimit => "azabac's limit",
            Basis::Suspicious => "suspicious",
            Basis::Internal => "internal",
            Basis::Information => "information",
        }
    }
}

/// A group of warnings that users raise or silence together (`--deny widens-access`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Category {
    /// Findings that can widen access: a guard that misses the action it names, a block that
    /// is always true, a deny-list any custom role bypasses, an unguarded delegation.
    WidensAccess,
    /// Findings where the condition may not do what its author meant, without widening access.
    Correctness,
    /// Findings about what Microsoft documents: deprecated, preview-only or undocumented forms.
    Documentation,
    /// Spelling and layout.
    Style,
}

impl Category {
    /// Every category.
    pub const ALL: &'static [Category] = &[
        Category::WidensAccess,
        Category::Correctness,
        Category::Documentation,
        Category::Style,
    ];

    /// The name `--deny`, `--allow` and `azabac.toml` take, such as `widens-access`.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::WidensAccess => "widens-access",
            Category::Correctness => "correctness",
            Category::Documentation => "documentation",
            Category::Style => "style",
        }
    }

    /// The category named `name`, ignoring ASCII case.
    pub fn from_name(name: &str) -> Option<Category> {
        Category::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(name))
    }
}

impl Code {
    /// The code named `text` (`AZ0301`, ignoring ASCII case).
    pub fn from_name(text: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(text))
    }

    /// Why the code has its severity.
    pub fn basis(self) -> Basis {
        use Code::*;
        match self {
            NestingTooDeep | SetTooLarge | TooManyDiagnostics | HostFileUnread => {
                Basis::AzabacLimit
            }
            InvalidUtf8
            | WrongAttributeSource
            | OperatorTypeMismatch
            | LiteralTypeMismatch
            | InvalidDateTime
            | SetWithoutQuantifier
            | MultiValuedWithoutQuantifier
            | QuantifierNotAllowed
            | UnsupportedOperator
            | UnknownSuboperation => Basis::Meaningless,
            FormatterMismatch => Basis::Internal,
            code if code.default_severity() == Severity::Note => Basis::Information,
            code if code.default_severity() == Severity::Error => Basis::RejectedByAzure,
            _ => Basis::Suspicious,
        }
    }

    /// The warning category, for warnings.
    pub fn category(self) -> Option<Category> {
        use Code::*;
        match self {
            UnknownAction
            | ConstantComparison
            | RoleLacksAction
            | BypassingAction
            | GuidDenyList
            | GuardWithoutNot
            | UnrestrictedDelegation => Some(Category::WidensAccess),
            AttributeNotAvailable
            | ConstantCondition
            | UngatedCondition
            | VacuousForAll
            | UndeclaredAttribute
            | UnavailableForGrantedAction
            | MissingPrincipalType
            | NeverSentValue => Some(Category::Correctness),
            Deprecated
            | KeyVaultOnlyOperator
            | ProviderSpecificOperator
            | OverOldLengthLimit
            | UndocumentedOperator => Some(Category::Documentation),
            AmbiguousAndOr | NonCanonicalSpelling | QuotedGuid => Some(Category::Style),
            _ => None,
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
