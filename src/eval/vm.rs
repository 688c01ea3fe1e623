//! The interpreter: one loop that runs a leaf and follows its branch. No recursion, no stack,
//! no allocation on the common path; every value pair compared counts against a budget.

use super::like::LikeMatcher;
use super::program::{ACCEPT, Compare, Membership, Op, Program, Source, Test, TextTest, Unary};
use super::request::{Operand, Request};
use super::value::Value;
use super::{ErrorKind, EvalError};
use crate::syntax::{OperatorFamily, Quantifier, Relation};

/// The result of one evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// Whether the condition holds; always `false` when there is an error.
    pub result: bool,
    /// The error that ended evaluation, if any.
    pub error: Option<EvalError>,
}

/// Sees each leaf's value as the VM computes it (used by traces; a no-op otherwise).
pub(super) trait Recorder {
    fn leaf(&mut self, pc: usize, value: Result<bool, ErrorKind>);
}

/// The recorder of plain evaluation: compiles to nothing.
pub(super) struct NoRecorder;

impl Recorder for NoRecorder {
    #[inline(always)]
    fn leaf(&mut self, _pc: usize, _value: Result<bool, ErrorKind>) {}
}

impl Program {
    /// Whether the condition allows the request: `false` on any evaluation error (fail closed).
    ///
    /// ```
    /// use azabac::catalog::Catalog;
    /// use azabac::eval::{Program, Request};
    ///
    /// let catalog = Catalog::builtin();
    /// let program = Program::from_source(
    ///     "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'",
    ///     catalog,
    /// ).unwrap();
    /// let request = Request::from_json(
    ///     r#"{"action": "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
    ///         "resource": {"Microsoft.Storage/storageAccounts/blobServices/containers:name": "logs"}}"#,
    ///     catalog,
    /// ).unwrap();
    /// assert!(program.evaluate(&request));
    /// ```
    pub fn evaluate(&self, request: &Request) -> bool {
        self.execute(request, &mut NoRecorder).result
    }

    /// Evaluates and also says which error, if any, made the condition false.
    pub fn run(&self, request: &Request) -> Outcome {
        self.execute(request, &mut NoRecorder)
    }

    #[inline(always)]
    pub(super) fn execute<R: Recorder>(&self, request: &Request, recorder: &mut R) -> Outcome {
        let mut pc = 0;
        let mut steps: u64 = 0;
        // Every branch goes forward, so this visits each instruction at most once.
        while let Some(instr) = self.code.get(pc) {
            let value = match &instr.op {
                &Op::Action { name, number } => Ok(self.action_is(name, number, request)),
                &Op::SubOperation(i) => Ok(self.suboperation_is(i, request)),
                Op::Text(t) => self.text(t, request, &mut steps),
                &op => self.leaf(op, request, &mut steps),
            };
            recorder.leaf(pc, value);
            match value {
                Ok(true) => pc = instr.on_true as usize,
                Ok(false) => pc = instr.on_false as usize,
                Err(kind) => {
                    return Outcome {
                        result: false,
                        error: Some(EvalError {
                            kind,
                            span: self.span_at(pc),
                        }),
                    };
                }
            }
        }
        Outcome {
            result: pc == ACCEPT as usize,
            error: None,
        }
    }

    /// Every other leaf, out of line so that the loop keeps few values live and stays cheap
    /// to enter.
    #[inline(never)]
    fn leaf(&self, op: Op, request: &Request, steps: &mut u64) -> Result<bool, ErrorKind> {
        match op {
            Op::Const(value) => Ok(value),
            Op::Action { name, number } => Ok(self.action_is(name, number, request)),
            Op::SubOperation(i) => Ok(self.suboperation_is(i, request)),
            Op::ActionGlob(i) => Ok(self.action_glob(i, request)),
            Op::Exists(slot) => Ok(self.exists(slot, request)),
            Op::GuidIn(m) => self.guid_in(m, request, steps),
            Op::StrIn(m) => self.str_in(m, request, steps),
            Op::Text(t) => self.text(&t, request, steps),
            Op::Unary(u) => self.unary(u, request, steps),
            Op::Compare(i) => match self.comparisons.get(i as usize) {
                Some(compare) => self.compare(compare, request, steps),
                None => Ok(false),
            },
        }
    }

    /// `ActionMatches` with a literal action: a catalogue action by its number, any other by
    /// the lowercased names' bytes.
    #[inline(always)]
    fn action_is(&self, name: u32, number: u32, request: &Request) -> bool {
        if number != 0 {
            return number == request.action_number();
        }
        self.strings
            .get(name as usize)
            .is_some_and(|name| **name == *request.action_key())
    }

    /// `ActionMatches` with a `*`.
    fn action_glob(&self, glob: u32, request: &Request) -> bool {
        self.globs
            .get(glob as usize)
            .is_some_and(|glob| glob.matches_lowercase(request.action_key()))
    }

    /// `Exists`.
    fn exists(&self, slot: u32, request: &Request) -> bool {
        self.operand(Source::Slot(slot), request).is_some()
    }

    /// `SubOperationMatches`: the lowercased names compare as bytes. Out of line, yet called
    /// straight from the loop: inlined, it would have the loop load the request's
    /// suboperations before it starts, which costs every short evaluation.
    #[inline(never)]
    fn suboperation_is(&self, name: u32, request: &Request) -> bool {
        self.strings.get(name as usize).is_some_and(|name| {
            request
                .suboperation_keys()
                .iter()
                .any(|key| **key == **name)
        })
    }

    /// Counts `pairs` value pairs against the budget.
    #[inline(always)]
    fn spend(&self, steps: &mut u64, pairs: usize) -> Result<(), ErrorKind> {
        *steps = steps.saturating_add(pairs as u64);
        if *steps > self.budget {
            Err(ErrorKind::BudgetExhausted)
        } else {
            Ok(())
        }
    }

    /// The values an operand reads, `None` when the request lacks the attribute.
    fn operand<'r>(&'r self, source: Source, request: &'r Request) -> Option<Operand<'r>> {
        match source {
            Source::Slot(i) => request.slot(self.slots.get(i as usize)?),
            Source::Constant(i) => self.constants.get(i as usize).map(|c| Operand {
                values: &c.values,
                multi: c.list,
            }),
        }
    }

    fn guid_in(
        &self,
        m: Membership,
        request: &Request,
        steps: &mut u64,
    ) -> Result<bool, ErrorKind> {
        let set = self.guids.get(m.range()).unwrap_or_default();
        self.membership(
            m,
            OperatorFamily::Guid,
            request,
            steps,
            |value| match value {
                Value::Guid(guid) if set.len() <= 8 => set.contains(guid),
                Value::Guid(guid) => set.binary_search(guid).is_ok(),
                _ => false,
            },
        )
    }

    fn str_in(&self, m: Membership, request: &Request, steps: &mut u64) -> Result<bool, ErrorKind> {
        let set = self.strings.get(m.range()).unwrap_or_default();
        self.membership(m, OperatorFamily::String, request, steps, |value| {
            let text = text(value, m.fold);
            if set.len() <= 4 {
                set.iter().any(|s| **s == *text)
            } else {
                set.binary_search_by(|s| (**s).cmp(text)).is_ok()
            }
        })
    }

    /// `(∃|∀) l: contains(l) == member` over the slot's values, after the type checks.
    #[inline(always)]
    fn membership(
        &self,
        m: Membership,
        family: OperatorFamily,
        request: &Request,
        steps: &mut u64,
        contains: impl Fn(&Value) -> bool,
    ) -> Result<bool, ErrorKind> {
        let Some(operand) = self.operand(Source::Slot(m.slot), request) else {
            return Ok(false);
        };
        if let Some(value) = lone(operand, family, m.single) {
            return Ok(contains(value?) == m.member);
        }
        check_operand(operand, family, m.single)?;
        self.spend(steps, operand.values.len())?;
        Ok(quantify_left(m.all_left, operand.values, |v| {
            contains(v) == m.member
        }))
    }

    fn compare(&self, c: &Compare, request: &Request, steps: &mut u64) -> Result<bool, ErrorKind> {
        // Decision 4: an absent operand makes the comparison false, whatever the operator.
        let (Some(left), Some(right)) = (
            self.operand(c.left, request),
            self.operand(c.right, request),
        ) else {
            return Ok(false);
        };
        // Constants were typed when compiled; only request values can have another type.
        check_operand(left, c.family, false)?;
        check_operand(right, c.family, false)?;
        self.spend(steps, left.values.len().saturating_mul(right.values.len()))?;
        if c.quantifier.is_none() && (left.multi || right.multi) {
            return Err(ErrorKind::ListWithoutQuantifier);
        }
        let patterns = match (c.test, c.right) {
            (Test::LikeConstant { .. }, Source::Constant(i)) => {
                self.constants.get(i as usize).map(|c| &c.patterns[..])
            }
            _ => None,
        }
        .unwrap_or(&[]);
        Ok(quantify(
            c.quantifier,
            c.negated,
            left.values,
            right.values,
            |a, j, b| holds(c.test, a, b, patterns.get(j)),
        ))
    }

    /// A string attribute against one constant string.
    #[inline(never)]
    fn text(&self, t: &TextTest, request: &Request, steps: &mut u64) -> Result<bool, ErrorKind> {
        let Some(operand) = self
            .slots
            .get(t.slot as usize)
            .and_then(|slot| request.read(slot))
        else {
            return Ok(false);
        };
        let constant = self.strings.get(t.string as usize).map_or("", |s| &**s);
        let passes = |value: &Value| t.relation.holds(text(value, t.fold), constant) != t.negated;
        if let Some(value) = lone(operand, OperatorFamily::String, t.single) {
            return Ok(passes(value?));
        }
        check_operand(operand, OperatorFamily::String, t.single)?;
        self.spend(steps, operand.values.len())?;
        Ok(quantify_left(t.all_left, operand.values, passes))
    }

    /// An attribute against one constant value.
    fn unary(&self, u: Unary, request: &Request, steps: &mut u64) -> Result<bool, ErrorKind> {
        let Some(operand) = self.operand(Source::Slot(u.slot), request) else {
            return Ok(false);
        };
        let Some(constant) = self.constants.get(u.constant as usize) else {
            return Ok(false);
        };
        let Some(right) = constant.values.first() else {
            return Ok(false);
        };
        // The constant was typed by the operator when compiled, so its family is the
        // operator's.
        let pattern = constant.patterns.first();
        if let Some(left) = lone(operand, right.family(), u.single) {
            return Ok(holds(u.test, left?, right, pattern) != u.negated);
        }
        check_operand(operand, right.family(), u.single)?;
        self.spend(steps, operand.values.len())?;
        Ok(quantify_left(u.all_left, operand.values, |left| {
            holds(u.test, left, right, pattern) != u.negated
        }))
    }
}

/// Whether one pair of values passes a test, before negation. `pattern` is the compiled form
/// of `right` for [`Test::LikeConstant`].
#[inline(always)]
fn holds(test: Test, left: &Value, right: &Value, pattern: Option<&LikeMatcher>) -> bool {
    match test {
        Test::Str { relation, fold } => {
            let (a, b) = (text(left, fold), text(right, fold));
            match relation {
                Relation::Equals => a == b,
                Relation::StartsWith => a.starts_with(b),
                Relation::EndsWith => a.ends_with(b),
                Relation::Contains => a.contains(b),
                _ => false,
            }
        }
        Test::LikeConstant { fold } => pattern.is_some_and(|p| p.matches(text(left, fold))),
        Test::LikeDynamic { fold } => {
            super::like::matches(&super::like::decode(text(right, fold)), text(left, fold))
        }
        Test::Ordered(relation) => {
            let ordering = match (left, right) {
                (Value::Integer(a), Value::Integer(b)) => a.cmp(b),
                (Value::DateTime(a), Value::DateTime(b)) => a.cmp(b),
                _ => return false,
            };
            ordered(relation, ordering)
        }
        Test::Equal => left == right,
    }
}

/// The common case of an operand with exactly one value, checked as [`check_operand`] does;
/// `None` for any other number of values. With one value both quantifiers are the one test,
/// and the test costs nothing against the budget, which bounds the work on lists.
#[inline(always)]
fn lone<'r>(
    operand: Operand<'r>,
    family: OperatorFamily,
    single: bool,
) -> Option<Result<&'r Value, ErrorKind>> {
    let [value] = operand.values else {
        return None;
    };
    Some(if value.family() != family {
        Err(ErrorKind::TypeMismatch {
            expected: family,
            found: value.family(),
        })
    } else if single && operand.multi {
        Err(ErrorKind::ListWithoutQuantifier)
    } else {
        Ok(value)
    })
}

/// Fails when a value is not of the operator's type, or when an unquantified operator meets
/// a list.
fn check_operand(
    operand: Operand<'_>,
    family: OperatorFamily,
    single: bool,
) -> Result<(), ErrorKind> {
    if let Some(wrong) = operand.values.iter().find(|v| v.family() != family) {
        return Err(ErrorKind::TypeMismatch {
            expected: family,
            found: wrong.family(),
        });
    }
    if single && operand.multi {
        return Err(ErrorKind::ListWithoutQuantifier);
    }
    Ok(())
}

fn text(value: &Value, fold: bool) -> &str {
    match value {
        Value::String(s) => s.get(fold),
        _ => "",
    }
}

fn ordered(relation: Relation, ordering: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::{Equal, Greater, Less};
    match relation {
        Relation::Equals => ordering == Equal,
        Relation::GreaterThan => ordering == Greater,
        Relation::GreaterThanEquals => ordering != Less,
        Relation::LessThan => ordering == Less,
        Relation::LessThanEquals => ordering != Greater,
        _ => false,
    }
}

#[inline(always)]
fn quantify_left(all: bool, values: &[Value], passes: impl Fn(&Value) -> bool) -> bool {
    if all {
        values.iter().all(passes)
    } else {
        values.iter().any(passes)
    }
}

/// The quantifier formulas of [LANGUAGE.md §6.8](crate::spec::language#section-6-8); without a
/// quantifier, the one pair. `test(l, j, r)` gets the index `j` of `r` so constant patterns can be
/// looked up.
#[inline(always)]
fn quantify(
    quantifier: Option<Quantifier>,
    negated: bool,
    left: &[Value],
    right: &[Value],
    test: impl Fn(&Value, usize, &Value) -> bool,
) -> bool {
    let test = |l: &Value, j: usize, r: &Value| test(l, j, r) != negated;
    let Some(quantifier) = quantifier else {
        return match (left.first(), right.first()) {
            (Some(l), Some(r)) => test(l, 0, r),
            _ => false,
        };
    };
    let for_left = |l: &Value| {
        let mut pairs = right.iter().enumerate();
        if quantifier.all_right() {
            pairs.all(|(j, r)| test(l, j, r))
        } else {
            pairs.any(|(j, r)| test(l, j, r))
        }
    };
    quantify_left(quantifier.all_left(), left, for_left)
}
