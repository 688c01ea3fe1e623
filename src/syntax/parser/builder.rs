//! The grammar's actions: [`Builder`] makes tree nodes for the productions of
//! `grammar/condition.lalrpop` and collects the diagnostics of single productions, including
//! every error production (which only the reporting parser has).

use lalrpop_util::ErrorRecovery;

use super::NoLexError;
use super::errors::{operator_help, parse_error_diagnostic};
use crate::diagnostic::{Code, Collector, Diagnostic, suggest};
use crate::limits::MAX_SET_VALUES;
use crate::span::{Span, Spanned};
use crate::syntax::ast::{
    Comparison, Expr, ExprKind, Literal, Operand, OperandKind, StringLiteral,
};
use crate::syntax::lexer::{Text, Token};
use crate::syntax::operator::Operator;
use crate::syntax::printer;

/// The span between two parser locations (bounds in either order).
pub(crate) fn span(start: u32, end: u32) -> Span {
    Span::between(start, end)
}

/// An `AND` chain, or a single operand, as an operand of `OR`.
pub struct Chain {
    /// The expression.
    pub expr: Expr,
    /// Whether it is an `AND` chain written without parentheses: inside an `OR`, that is the
    /// ambiguous mix of [decision 3](crate::spec::decisions#decision-3).
    pub bare_and: bool,
}

/// Two or more `AND` chains joined by `OR`, as the grammar collects them.
pub struct OrChain {
    operands: Vec<Expr>,
    /// The first `OR`, where a diagnostic about the chain points.
    first_or: Span,
    /// The operands that are `AND` chains without parentheses
    /// ([decision 3](crate::spec::decisions#decision-3)'s ambiguous mix): rare, so boxed, which
    /// keeps the parser's symbols small.
    ambiguous: Option<Box<[Span]>>,
}

impl OrChain {
    pub(crate) fn new(first: Chain, first_or: Span, second: Chain) -> OrChain {
        OrChain {
            operands: Vec::with_capacity(2),
            first_or,
            ambiguous: None,
        }
        .with(first)
        .with(second)
    }

    pub(crate) fn with(mut self, next: Chain) -> OrChain {
        if next.bare_and {
            let mut spans = self.ambiguous.take().map(Vec::from).unwrap_or_default();
            spans.push(next.expr.span);
            self.ambiguous = Some(spans.into_boxed_slice());
        }
        self.operands.push(next.expr);
        self
    }
}

/// The arguments between a function's braces.
pub enum Arguments {
    /// `{}`
    None,
    /// One literal, the only valid count.
    One(Spanned<Literal>),
    /// Two or more.
    Several(Vec<Spanned<Literal>>),
}

/// Builds tree nodes for the grammar and collects the diagnostics of its productions.
pub struct Builder<'src> {
    source: &'src str,
    diagnostics: Collector,
}

type Recovery<'src> = ErrorRecovery<u32, Token<'src>, NoLexError>;

impl<'src> Builder<'src> {
    /// A builder for `source`, adding to the lexer's `diagnostics`.
    pub(super) fn new(source: &'src str, diagnostics: Collector) -> Builder<'src> {
        Builder {
            source,
            diagnostics,
        }
    }

    /// The diagnostics so far, the lexer's included.
    pub(super) fn diagnostics(&self) -> &Collector {
        &self.diagnostics
    }

    /// Starts over from `diagnostics` (the reporting parser's run after the fast one failed).
    pub(super) fn reset(&mut self, diagnostics: Collector) {
        self.diagnostics = diagnostics;
    }

    /// The diagnostics of the whole parse.
    pub(super) fn into_diagnostics(self) -> Collector {
        self.diagnostics
    }

    fn node(kind: ExprKind, l: u32, r: u32) -> Expr {
        Spanned::new(kind, span(l, r))
    }

    fn error(&mut self, diagnostic: Diagnostic, l: u32, r: u32) -> Expr {
        self.error_at(diagnostic, span(l, r))
    }

    fn error_at(&mut self, diagnostic: Diagnostic, span: Span) -> Expr {
        self.diagnostics.push(diagnostic);
        Spanned::new(ExprKind::Error, span)
    }

    pub(crate) fn or(&mut self, l: u32, r: u32, chain: OrChain) -> Expr {
        let OrChain {
            operands,
            first_or,
            ambiguous,
        } = chain;
        let expr = Self::node(ExprKind::Or(operands), l, r);
        if let Some(ambiguous) = ambiguous {
            let mut diagnostic = Diagnostic::new(
                Code::AmbiguousAndOr,
                first_or,
                "`AND` and `OR` are mixed without parentheses",
            )
            .with_help(format!(
                "Azure's documentation calls this order ambiguous; azabac reads it as `{}` \
                 (`AND` first). Add parentheses to say which grouping you mean",
                printer::sketch(&expr)
            ));
            for &span in ambiguous.iter() {
                diagnostic = diagnostic.with_label(span, "this `AND` chain is grouped first");
            }
            self.diagnostics.push(diagnostic);
        }
        expr
    }

    pub(crate) fn and(&mut self, l: u32, r: u32, operands: Vec<Expr>) -> Chain {
        Chain {
            expr: Self::node(ExprKind::And(operands), l, r),
            bare_and: true,
        }
    }

    pub(crate) fn not(&mut self, l: u32, r: u32, operand: Expr) -> Expr {
        Self::node(ExprKind::Not(Box::new(operand)), l, r)
    }

    pub(crate) fn action_matches(&mut self, l: u32, r: u32, args: Arguments) -> Expr {
        match self.single_string(l, r, "ActionMatches", "an action such as `Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read`", args) {
            Some(pattern) => Self::node(ExprKind::ActionMatches(pattern), l, r),
            None => Self::node(ExprKind::Error, l, r),
        }
    }

    pub(crate) fn sub_operation_matches(&mut self, l: u32, r: u32, args: Arguments) -> Expr {
        match self.single_string(
            l,
            r,
            "SubOperationMatches",
            "a suboperation such as `Blob.List`",
            args,
        ) {
            Some(name) => Self::node(ExprKind::SubOperationMatches(name), l, r),
            None => Self::node(ExprKind::Error, l, r),
        }
    }

    /// [Decision 12](crate::spec::decisions#decision-12): exactly one string argument.
    fn single_string(
        &mut self,
        l: u32,
        r: u32,
        function: &str,
        example: &str,
        args: Arguments,
    ) -> Option<Spanned<StringLiteral>> {
        match args {
            Arguments::One(Spanned {
                node: Literal::String(s),
                span,
            }) => Some(Spanned::new(s, span)),
            Arguments::One(arg) => {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::InvalidFunctionArgument,
                        arg.span,
                        format!("`{function}` takes a quoted string"),
                    )
                    .with_help(format!("write {example} in single quotes")),
                );
                None
            }
            Arguments::None => {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::InvalidFunctionArgument,
                        span(l, r),
                        format!("`{function}` needs an argument"),
                    )
                    .with_help(format!(
                        "write {example} in single quotes between the braces"
                    )),
                );
                None
            }
            Arguments::Several(args) => {
                let second = args.get(1).map_or(span(l, r), |arg| arg.span);
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::InvalidFunctionArgument,
                        second,
                        format!("`{function}` takes one argument, not {}", args.len()),
                    )
                    .with_label(span(l, r), "in this call")
                    .with_help(format!(
                        "combine several checks with `OR`: `{function}{{'a'}} OR {function}{{'b'}}`"
                    )),
                );
                None
            }
        }
    }

    pub(crate) fn exists(
        &mut self,
        l: u32,
        al: u32,
        r: u32,
        attribute: Box<crate::syntax::ast::AttributeRef>,
    ) -> Expr {
        Self::node(ExprKind::Exists(Spanned::new(attribute, span(al, r))), l, r)
    }

    pub(crate) fn comparison(
        &mut self,
        l: u32,
        r: u32,
        left: Operand,
        operator: Spanned<Operator>,
        right: Operand,
    ) -> Expr {
        Self::node(
            ExprKind::Comparison(Box::new(Comparison {
                left,
                operator,
                right,
            })),
            l,
            r,
        )
    }

    /// An operand where a condition was expected.
    pub(crate) fn lone_operand(&mut self, operand: Operand) -> Expr {
        let span = operand.span;
        match operand.node {
            OperandKind::Literal(Literal::Bool(value)) => {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::ConstantCondition,
                        span,
                        format!("`{value}` is a constant condition"),
                    )
                    .with_help(if value {
                        "it is always true, so it restricts nothing"
                    } else {
                        "it is always false, so it grants nothing"
                    }),
                );
                Spanned::new(ExprKind::Constant(value), span)
            }
            OperandKind::Attribute(_) => {
                let text = span.slice(self.source);
                self.error_at(
                    Diagnostic::new(
                        Code::AttributeAsBoolean,
                        span,
                        format!("attribute `{text}` is used as a condition on its own"),
                    )
                    .with_help(format!(
                        "compare it with an operator, e.g. `{text} BoolEquals true`"
                    )),
                    span,
                )
            }
            OperandKind::Literal(_) | OperandKind::Set(_) => {
                let text = span.slice(self.source);
                self.error_at(
                    Diagnostic::new(
                        Code::UnexpectedToken,
                        span,
                        format!("value `{text}` is used as a condition on its own"),
                    )
                    .with_help(format!(
                        "compare an attribute with it, e.g. `@Resource[…] StringEquals {text}`"
                    )),
                    span,
                )
            }
        }
    }

    pub(crate) fn function_with_parentheses(&mut self, l: u32, r: u32, function: &str) -> Expr {
        let text = span(l, r).slice(self.source);
        let fixed = text.replacen('(', "{", 1);
        let fixed = match fixed.rfind(')') {
            Some(index) => format!(
                "{}}}{}",
                fixed.get(..index).unwrap_or(""),
                fixed.get(index + 1..).unwrap_or("")
            ),
            None => fixed,
        };
        let (message, help) = if function == "Exists" {
            (
                "`Exists` takes an attribute without parentheses".to_owned(),
                format!(
                    "write `Exists {}`",
                    text.trim_start_matches(|c: char| c.is_ascii_alphabetic())
                        .trim_matches(|c| c == '(' || c == ')' || c == ' ')
                ),
            )
        } else {
            (
                format!("`{function}` takes its argument in braces, not parentheses"),
                format!("write `{fixed}`"),
            )
        };
        self.error(
            Diagnostic::new(Code::FunctionParentheses, span(l, r), message).with_help(help),
            l,
            r,
        )
    }

    pub(crate) fn unknown_function(
        &mut self,
        l: u32,
        wr: u32,
        r: u32,
        word: Text<'src>,
        before_attribute: bool,
    ) -> Expr {
        let word = word.get(self.source);
        let span = span(l, wr);
        let diagnostic = if word.eq_ignore_ascii_case("NotExists") && before_attribute {
            let attribute = self::span(wr, r).slice(self.source).trim();
            Diagnostic::new(Code::NotExists, span, "`NotExists` is not a keyword")
                .with_help(format!("write `NOT Exists {attribute}`"))
        } else {
            let known = ["ActionMatches", "SubOperationMatches", "Exists"];
            let help = match suggest::closest(word, known) {
                Some(near) => format!("did you mean `{near}`?"),
                None => "the functions are `ActionMatches{'…'}`, `SubOperationMatches{'…'}` and `Exists @…[…]`".to_owned(),
            };
            Diagnostic::new(
                Code::UnknownFunction,
                span,
                format!("unknown function `{word}`"),
            )
            .with_help(help)
        };
        self.error(diagnostic, l, r)
    }

    pub(crate) fn unknown_operator(
        &mut self,
        l: u32,
        r: u32,
        span: Span,
        word: Text<'src>,
        has_right: bool,
    ) -> Expr {
        let word = word.get(self.source);
        let message = format!("unknown operator `{word}`");
        let help = operator_help(word, has_right);
        self.error(
            Diagnostic::new(Code::UnknownOperator, span, message).with_help(help),
            l,
            r,
        )
    }

    /// `StringEquals(@Resource[…], 'a')`: an operator written as a function.
    pub(crate) fn operator_call(&mut self, l: u32, r: u32, operator: Operator) -> Expr {
        self.error(
            Diagnostic::new(
                Code::FunctionParentheses,
                span(l, r),
                format!("`{operator}` is an operator, not a function"),
            )
            .with_help(format!(
                "write it between its operands: `@Resource[…] {operator} 'value'`"
            )),
            l,
            r,
        )
    }

    /// `contains(@Resource[…], 'a')`: a function of another language.
    pub(crate) fn function_call(&mut self, l: u32, wr: u32, r: u32, word: Text<'src>) -> Expr {
        let word = word.get(self.source);
        let help = match word.to_ascii_lowercase().as_str() {
            "contains" => "conditions have no functions of values: write \
                `@Resource[…] StringLike '*value*'`"
                .to_owned(),
            "startswith" => "write `@Resource[…] StringStartsWith 'value'`".to_owned(),
            "endswith" => "write `@Resource[…] StringLike '*value'`".to_owned(),
            _ => super::errors::membership_help(word).unwrap_or_else(|| {
                "conditions compare with operators between the operands: \
                `@Resource[…] StringEquals 'value'`"
                    .to_owned()
            }),
        };
        self.error(
            Diagnostic::new(
                Code::UnknownFunction,
                span(l, wr),
                format!("unknown function `{word}`"),
            )
            .with_help(help),
            l,
            r,
        )
    }

    /// `ForAnyOfAnyValues:StringEquals ('a', 'b')`: a set in parentheses.
    pub(crate) fn parenthesized_set(&mut self, l: u32, r: u32, set: Span) -> Expr {
        let diagnostic = crate::syntax::lexer::misdelimited_set(self.source, set);
        self.error(diagnostic, l, r)
    }

    pub(crate) fn comparison_symbol(
        &mut self,
        l: u32,
        r: u32,
        span: Span,
        symbol: Text<'src>,
    ) -> Expr {
        let symbol = symbol.get(self.source);
        let help = match symbol {
            "==" | "=" => {
                "conditions name their operators: `StringEquals`, `GuidEquals`, `NumericEquals`, `BoolEquals` or `DateTimeEquals`, by the type of the values"
            }
            "!=" | "<>" => {
                "conditions name their operators: `StringNotEquals`, `GuidNotEquals`, `NumericNotEquals`, `BoolNotEquals` or `DateTimeNotEquals`, by the type of the values"
            }
            "<" => "write `NumericLessThan` or `DateTimeLessThan`",
            "<=" => "write `NumericLessThanEquals` or `DateTimeLessThanEquals`",
            ">" => "write `NumericGreaterThan` or `DateTimeGreaterThan`",
            _ => "write `NumericGreaterThanEquals` or `DateTimeGreaterThanEquals`",
        };
        self.error(
            Diagnostic::new(
                Code::ComparisonSymbol,
                span,
                format!("`{symbol}` is not an operator"),
            )
            .with_help(help),
            l,
            r,
        )
    }

    pub(crate) fn set(&mut self, l: u32, r: u32, values: Vec<Spanned<Literal>>) -> Operand {
        if values.len() > MAX_SET_VALUES {
            self.diagnostics.push(
                Diagnostic::new(
                    Code::SetTooLarge,
                    span(l, r),
                    format!("set has {} values; at most {MAX_SET_VALUES} are allowed", values.len()),
                )
                .with_help("split the condition, or match a pattern with `StringLike` instead of listing values"),
            );
        }
        Spanned::new(OperandKind::Set(values), span(l, r))
    }

    pub(crate) fn empty_set(&mut self, l: u32, r: u32) -> Operand {
        self.diagnostics.push(
            Diagnostic::new(Code::EmptySet, span(l, r), "empty set `{}`").with_help(
                "a set needs at least one value; Azure documents no meaning for an empty one",
            ),
        );
        Spanned::new(OperandKind::Set(Vec::new()), span(l, r))
    }

    pub(crate) fn string(&mut self, l: u32, r: u32, raw: Text<'src>) -> Spanned<Literal> {
        let raw = raw.get(self.source);
        Spanned::new(Literal::String(StringLiteral::from_raw(raw)), span(l, r))
    }

    /// A bare GUID, which the lexer checked (or replaced by an empty text, read as nil).
    pub(crate) fn guid(&mut self, l: u32, r: u32, text: Text<'src>) -> Spanned<Literal> {
        let guid = crate::syntax::literal::guid(text.get(self.source)).unwrap_or_default();
        Spanned::new(Literal::Guid(guid), span(l, r))
    }

    pub(crate) fn recover(&mut self, recovery: Recovery<'src>) -> Expr {
        let diagnostic = parse_error_diagnostic(recovery.error, self.source);
        let mut span = diagnostic.span;
        for (start, _, end) in &recovery.dropped_tokens {
            span = span.to(self::span(*start, *end));
        }
        // One error per place: recovery can fail again where it just failed.
        let repeated = self
            .diagnostics
            .iter()
            .any(|d| d.span.start == diagnostic.span.start && d.code == diagnostic.code);
        if !repeated {
            self.diagnostics.push(diagnostic);
        }
        Spanned::new(ExprKind::Error, span)
    }
}
