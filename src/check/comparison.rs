//! Comparisons: operator family against operand types, literals read at check time, and
//! quantifier rules; [`super::lints`] has the lints that need the whole comparison.

use crate::catalog::{Resolved, ValueType};
use crate::diagnostic::{Code, Diagnostic};
use crate::span::{Span, Spanned};
use crate::syntax::{
    AttributeRef, BaseOperator, Comparison, Literal, Operand, OperandKind, Operator,
    OperatorFamily, Relation,
};

use super::{Pass, Scope};
use crate::syntax::literal;

/// Attributes whose provider maps operators onto KQL
/// ([decision 21](crate::spec::decisions#decision-21)).
pub(super) const LOG_ANALYTICS_PREFIX: &str = "Microsoft.OperationalInsights/";

/// One side of a comparison, resolved.
pub(super) enum Side<'a, 'c> {
    Attribute {
        reference: &'a AttributeRef,
        resolved: Option<Resolved<'c>>,
        span: Span,
    },
    Literal(&'a Literal, Span),
    Set(&'a [Spanned<Literal>], Span),
}

impl Side<'_, '_> {
    pub(super) fn span(&self) -> Span {
        match self {
            Side::Attribute { span, .. } | Side::Literal(_, span) | Side::Set(_, span) => *span,
        }
    }

    fn value_type(&self) -> Option<ValueType> {
        match self {
            Side::Attribute { resolved, .. } => resolved.and_then(|r| r.attribute.entry.value_type),
            _ => None,
        }
    }

    pub(super) fn is_multi_valued(&self) -> bool {
        match self {
            Side::Attribute { resolved, .. } => {
                resolved.is_some_and(|r| r.attribute.entry.multi_valued)
            }
            _ => false,
        }
    }

    /// Known to hold exactly one value: a scalar literal, or a declared single-valued attribute.
    pub(super) fn is_single_valued(&self) -> bool {
        match self {
            Side::Attribute { resolved, .. } => resolved.is_some_and(|r| {
                !r.attribute.entry.multi_valued && r.attribute.entry.value_type.is_some()
            }),
            Side::Literal(..) => true,
            Side::Set(..) => false,
        }
    }
}

impl<'c> Pass<'_, 'c> {
    pub(super) fn comparison(&mut self, comparison: &Comparison, scope: &Scope) {
        let left = self.side(&comparison.left, scope);
        let right = self.side(&comparison.right, scope);
        let operator = comparison.operator.node;
        let operator_span = comparison.operator.span;
        self.quantifier_rules(operator, operator_span, [&left, &right]);
        for side in [&left, &right] {
            self.operator_support(operator, operator_span, side);
        }
        let mismatch = [&left, &right].into_iter().find_map(|side| {
            let value_type = side.value_type()?;
            (!accepts(operator.base.family(), value_type)).then_some((side, value_type))
        });
        if let Some((side, value_type)) = mismatch {
            self.type_mismatch(operator, operator_span, side, value_type);
        }
        for side in [&left, &right] {
            match side {
                Side::Literal(literal, span) => self.literal(operator, literal, *span),
                Side::Set(items, _) => {
                    for item in *items {
                        self.literal(operator, &item.node, item.span);
                    }
                }
                Side::Attribute { .. } => {}
            }
        }
        self.lints(operator, operator_span, &left, &right);
    }

    fn side<'a>(&mut self, operand: &'a Operand, scope: &Scope) -> Side<'a, 'c> {
        match &operand.node {
            OperandKind::Attribute(reference) => Side::Attribute {
                reference,
                resolved: self.attribute_use(reference, operand.span, scope),
                span: operand.span,
            },
            OperandKind::Literal(literal) => Side::Literal(literal, operand.span),
            OperandKind::Set(items) => Side::Set(items, operand.span),
        }
    }

    fn quantifier_rules(&mut self, operator: Operator, span: Span, sides: [&Side<'_, '_>; 2]) {
        let base = operator.base;
        if let Some(quantifier) = operator.quantifier {
            if !base.is_quantifiable() {
                let help = match base.relation() {
                    Relation::StartsWith => format!(
                        "for several prefixes, write one `{}` per prefix joined with `OR`",
                        base.name()
                    ),
                    _ => format!("compare one value with `{}`", base.name()),
                };
                self.push(
                    Diagnostic::new(
                        Code::QuantifierNotAllowed,
                        span,
                        format!(
                            "`{}` has no quantified form `{}:{}`",
                            base.name(),
                            quantifier.name(),
                            base.name()
                        ),
                    )
                    .with_help(format!(
                        "only the equality and `Like` string operators, the numeric operators and the GUID operators take a quantifier; {help}"
                    )),
                );
            }
            return;
        }
        for side in sides {
            match side {
                Side::Set(_, set_span) => self.push(
                    Diagnostic::new(
                        Code::SetWithoutQuantifier,
                        *set_span,
                        format!("`{}` compares single values, not a set", base.name()),
                    )
                    .with_label(span, "this operator has no quantifier")
                    .with_help(quantified_help(base)),
                ),
                Side::Attribute {
                    reference,
                    span: attribute_span,
                    ..
                } if side.is_multi_valued() => self.push(
                    Diagnostic::new(
                        Code::MultiValuedWithoutQuantifier,
                        *attribute_span,
                        format!(
                            "`{}` holds a list of values, and `{}` compares one",
                            reference.name,
                            base.name()
                        ),
                    )
                    .with_label(span, "this operator has no quantifier")
                    .with_help(quantified_help(base)),
                ),
                _ => {}
            }
        }
    }

    fn operator_support(&mut self, operator: Operator, span: Span, side: &Side<'_, '_>) {
        let Side::Attribute {
            reference,
            resolved: Some(resolved),
            span: attribute_span,
        } = side
        else {
            return;
        };
        let entry = &resolved.attribute.entry;
        let listed = resolved.attribute.operators.contains(&operator);
        if listed || !(entry.operators_exclusive || entry.operators_advisory) {
            return;
        }
        let supported: Vec<String> = entry.operators.iter().map(|o| format!("`{o}`")).collect();
        let diagnostic = if entry.operators_exclusive {
            Diagnostic::new(
                Code::UnsupportedOperator,
                span,
                format!("`{}` does not support `{operator}`", reference.name),
            )
            .with_help(format!("it supports only {}", supported.join(" and ")))
        } else {
            Diagnostic::new(
                Code::UndocumentedOperator,
                span,
                format!("the docs do not list `{operator}` for `{}`", reference.name),
            )
            .with_help(format!(
                "they list {}; Azure is not shown to refuse others",
                supported.join(", ")
            ))
        };
        self.push(diagnostic.with_label(*attribute_span, "the attribute"));
    }

    fn type_mismatch(
        &mut self,
        operator: Operator,
        span: Span,
        side: &Side<'_, '_>,
        value_type: ValueType,
    ) {
        let name = match side {
            Side::Attribute { reference, .. } => reference.name.to_string(),
            _ => String::new(),
        };
        let suggestion = counterpart(operator, value_type)
            .map(|o| format!("compare a {} with `{o}`", value_type.as_str()))
            .unwrap_or_else(|| {
                format!(
                    "compare a {} with the {} operators",
                    value_type.as_str(),
                    value_type.family().as_str()
                )
            });
        self.push(
            Diagnostic::new(
                Code::OperatorTypeMismatch,
                span,
                format!(
                    "`{}` compares {}, but `{name}` is a {}",
                    operator.base.name(),
                    plural(operator.base.family()),
                    value_type.as_str()
                ),
            )
            .with_label(side.span(), format!("this is a {}", value_type.as_str()))
            .with_help(suggestion),
        );
    }

    fn literal(&mut self, operator: Operator, literal: &Literal, span: Span) {
        if self.checker.is_unknown(span) {
            // Its value, and so its type, is known only at deployment.
            return;
        }
        let family = operator.base.family();
        let op = operator.base.name();
        let mismatch = |this: &mut Self, help: String| {
            this.push(
                Diagnostic::new(
                    Code::LiteralTypeMismatch,
                    span,
                    format!(
                        "`{op}` compares {}, but this is {}",
                        plural(family),
                        describe(literal)
                    ),
                )
                .with_help(help),
            );
        };
        match (family, literal) {
            (OperatorFamily::String, Literal::String(_))
            | (OperatorFamily::Numeric, Literal::Integer(_))
            | (OperatorFamily::Bool, Literal::Bool(_))
            | (OperatorFamily::Guid, Literal::Guid(_)) => {}
            (OperatorFamily::String, other) => {
                mismatch(
                    self,
                    format!("write strings in single quotes: `'{}'`", show(other)),
                );
            }
            (OperatorFamily::DateTime, Literal::String(text)) => {
                if let Err(why) = literal::datetime(&text.value()) {
                    self.push(
                        Diagnostic::new(
                            Code::InvalidDateTime,
                            span,
                            format!("`'{}'` is not a DateTime: {why}", text.raw()),
                        )
                        .with_help("write an instant in UTC such as `'2023-05-01T13:00:00.0Z'`, with at most 7 fractional digits"),
                    );
                }
            }
            (OperatorFamily::Guid, Literal::String(text)) => {
                if literal::guid(&text.value()).is_some() {
                    self.push(
                        Diagnostic::new(Code::QuotedGuid, span, "a GUID in quotes").with_help(
                            format!("Azure's examples write GUIDs bare: `{}`", text.value()),
                        ),
                    );
                } else {
                    // A role definition's resource id (Terraform's `.id`, Bicep's
                    // `subscriptionResourceId()`) ends in the GUID that belongs here.
                    let value = text.value();
                    let tail = value.rsplit('/').next().filter(|_| {
                        value
                            .to_ascii_lowercase()
                            .contains("/providers/microsoft.authorization/roledefinitions/")
                    });
                    let help = match tail.filter(|t| literal::guid(t).is_some()) {
                        Some(guid) => format!(
                            "this is a role definition's resource id: write its GUID alone, \
                             without quotes: `{guid}`"
                        ),
                        None => {
                            "a GUID looks like `8e3af657-a8ff-443c-a75c-2fe8c4bcb635`, without \
                                 quotes"
                                .to_owned()
                        }
                    };
                    mismatch(self, help);
                }
            }
            (OperatorFamily::Numeric | OperatorFamily::Bool, Literal::String(text)) => {
                let value = text.value();
                let unquoted = match family {
                    OperatorFamily::Numeric => value.parse::<i64>().is_ok(),
                    _ => value.eq_ignore_ascii_case("true") || value.eq_ignore_ascii_case("false"),
                };
                let help = if unquoted {
                    format!("remove the quotes: `{value}`")
                } else if family == OperatorFamily::Numeric {
                    "numeric operators compare 64-bit integers".to_owned()
                } else {
                    "boolean operators compare `true` or `false`".to_owned()
                };
                mismatch(self, help);
            }
            (OperatorFamily::DateTime, _) => {
                mismatch(
                    self,
                    "DateTime values are quoted strings such as `'2023-05-01T13:00:00.0Z'`"
                        .to_owned(),
                );
            }
            (_, _) => mismatch(self, format!("`{op}` needs {}", article(family))),
        }
    }
}

fn accepts(family: OperatorFamily, value_type: ValueType) -> bool {
    family == value_type.family()
}

/// The operator of `value_type`'s family with the same relation: `GuidNotEquals` for a
/// String is `StringNotEquals`.
fn counterpart(operator: Operator, value_type: ValueType) -> Option<Operator> {
    let prefixes = ["String", "Numeric", "Bool", "DateTime", "Guid"];
    let name = operator.base.name();
    let relation = prefixes.iter().find_map(|p| name.strip_prefix(p))?;
    let prefix = match value_type.family() {
        OperatorFamily::String => "String",
        OperatorFamily::Numeric => "Numeric",
        OperatorFamily::Bool => "Bool",
        OperatorFamily::DateTime => "DateTime",
        OperatorFamily::Guid => "Guid",
    };
    let base = BaseOperator::from_name(&format!("{prefix}{relation}"))?;
    let quantifier = operator.quantifier.filter(|_| base.is_quantifiable());
    Some(Operator { quantifier, base })
}

fn quantified_help(base: BaseOperator) -> String {
    if base.is_quantifiable() {
        format!(
            "to match any of several values, write `ForAnyOfAnyValues:{}`",
            base.name()
        )
    } else {
        format!(
            "`{}` has no quantified form; compare single values",
            base.name()
        )
    }
}

fn describe(literal: &Literal) -> String {
    match literal {
        Literal::String(s) => format!("the string `'{}'`", s.raw()),
        Literal::Integer(n) => format!("the integer `{n}`"),
        Literal::Bool(b) => format!("the boolean `{b}`"),
        Literal::Guid(g) => format!("the GUID `{g}`"),
    }
}

pub(super) fn show(literal: &Literal) -> String {
    match literal {
        Literal::String(s) => s.raw().to_owned(),
        Literal::Integer(n) => n.to_string(),
        Literal::Bool(b) => b.to_string(),
        Literal::Guid(g) => g.to_string(),
    }
}

fn plural(family: OperatorFamily) -> &'static str {
    match family {
        OperatorFamily::String => "strings",
        OperatorFamily::Numeric => "integers",
        OperatorFamily::Bool => "booleans",
        OperatorFamily::DateTime => "DateTimes",
        OperatorFamily::Guid => "GUIDs",
    }
}

fn article(family: OperatorFamily) -> &'static str {
    match family {
        OperatorFamily::String => "a string in single quotes",
        OperatorFamily::Numeric => "an integer",
        OperatorFamily::Bool => "`true` or `false`",
        OperatorFamily::DateTime => "a quoted DateTime",
        OperatorFamily::Guid => "a GUID",
    }
}
