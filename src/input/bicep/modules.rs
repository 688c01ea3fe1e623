//! Local modules (`module m './ra.bicep' = { params: { condition: cond } }`): a role
//! assignment of the module whose `condition` is one of the module's parameters is checked at
//! the argument the call passes, in the calling file, per instance of a loop over the call,
//! against what the module's resource says around it (its principal type, version and role,
//! each read through the call's arguments). The module file's own condition slot is then not
//! reported a second time for that call (`read/mod.rs`, from [`Scope::reached`]).

use super::super::place::{Found, Reached};
use super::super::value::{Field, Map, Member, Shape};
use super::assignments::holder_of;
use super::declarations::{File, declarations};
use super::syntax::{Element, Expr, Kind, Piece, Property};
use super::value::{Lookup, get};
use super::{Scope, properties};
use crate::limits::BICEP_MAX_ROLE_REFERENCE_DEPTH as MAX_DEPTH;

/// Whether a module's path names a file beside the caller (not a registry or template spec).
pub(super) fn is_local(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".bicep")
        && !lower.starts_with("br:")
        && !lower.starts_with("br/")
        && !lower.starts_with("ts:")
        && !lower.starts_with("ts/")
}

impl Scope<'_> {
    /// The role assignments of the local module `path` that a call (`symbol`, whose body's
    /// fields are `fields`) gives its condition: one result each, at the argument.
    pub(super) fn local_module(
        &self,
        symbol: &str,
        path: &str,
        fields: &Map<&Expr>,
        found: &mut Vec<Found>,
    ) {
        let Lookup::Value(params, ..) = get(fields, "params") else {
            return;
        };
        let Shape::Map(args) = self.value_of(params, 0).shape else {
            return;
        };
        // The module is read and parsed once per file, its text charged to the file's budget
        // once, as a loaded file's is.
        let cached = self.modules.borrow().get(path).cloned();
        let module = match cached {
            Some(module) => module,
            None => {
                let module = (self.load)(path)
                    .filter(|text| self.spend(text.len(), params.span.start))
                    .and_then(|text| declarations(&text).ok())
                    .map(std::rc::Rc::new);
                self.modules
                    .borrow_mut()
                    .insert(path.to_owned(), module.clone());
                module
            }
        };
        let Some(module) = module else {
            return;
        };
        let at = params.span.start;
        for declaration in &module.declarations {
            let Some(holder) =
                holder_of(&declaration.kind).filter(|_| declaration.keyword == "resource")
            else {
                continue;
            };
            // A loop of the module's own shares the condition the call gives: read once.
            let body = match &declaration.body.kind {
                Kind::For(each) => &each.body,
                _ => &declaration.body,
            };
            let Some(written) = properties(body)
                .and_then(|body| super::get(body, "properties"))
                .and_then(properties)
            else {
                continue;
            };
            let Some(condition) = super::get(written, "condition") else {
                continue;
            };
            let Some(name) = parameter_of(condition, module.as_ref(), 0) else {
                continue;
            };
            let reach = |given| {
                self.reached.borrow_mut().push(Reached {
                    module: path.to_owned(),
                    resource: declaration.symbol.clone(),
                    given,
                });
            };
            let Lookup::Value(argument, key_at, assumed) = get(&args, &name) else {
                // This call leaves the module's own condition (its default) in place.
                reach(false);
                continue;
            };
            // The facts, each read through the call's arguments: a value known here, as a
            // string at the call; one that is not, present but unknown; the role, only known.
            let mut facts: Vec<(&str, Expr)> = Vec::new();
            for key in ["principalType", "conditionVersion", "roleDefinitionId"] {
                let Some(expr) = super::get(written, key) else {
                    continue;
                };
                let substituted = substitute(expr, module.as_ref(), &args, 0);
                let value = substituted.as_ref().and_then(|e| {
                    let value = self.string(e, at, 0);
                    if value.unresolved.is_empty() {
                        return Some(value.text);
                    }
                    // `subscriptionResourceId(…, guid)`: the role's GUID.
                    (key == "roleDefinitionId")
                        .then(|| self.role_definition_guid(e, 0))
                        .flatten()
                });
                match value {
                    Some(text) => {
                        let offsets = vec![at; text.len()];
                        facts.push((key, literal(Piece::Text(text, offsets), at)));
                    }
                    None if key == "roleDefinitionId" => {}
                    None => facts.push((key, unknown(at))),
                }
            }
            // The condition as the call makes it: the argument itself, or what the module reads
            // of it (`settings.condition`, a `var` holding it), every text in it the call's.
            let mut module_text = false;
            let direct = matches!(&condition.kind, Kind::Name(name)
                if module.inputs.contains(name) || module.params.contains_key(name));
            let built = (!direct)
                .then(|| substitute_tracked(condition, module.as_ref(), &args, 0, &mut module_text))
                .flatten();
            let condition: &Expr = match &built {
                Some(expr) if !module_text => expr,
                // Text the module writes around the argument: read in the module only.
                Some(_) => continue,
                None if direct => argument,
                None => continue,
            };
            let mut map = Map {
                fields: vec![Field {
                    key: "condition".to_owned(),
                    key_at,
                    value: Member::Node(condition),
                    assumed,
                }],
                open: Vec::new(),
            };
            map.fields.extend(facts.iter().map(|(key, expr)| Field {
                key: (*key).to_owned(),
                key_at: at,
                value: Member::Node(expr),
                assumed: Vec::new(),
            }));
            let before = found.len();
            self.push(
                &map,
                Vec::new(),
                format!("{symbol}.{}", declaration.symbol),
                holder,
                found,
            );
            reach(found.len() > before);
        }
    }
}

/// The module parameter a role assignment's `condition` reads: the parameter itself, a choice
/// between it and `null` (`empty(condition) ? null : condition`, `condition ?? null`), a
/// member of it (`settings.condition`), or a `var` holding one of these.
fn parameter_of(condition: &Expr, module: &File, depth: usize) -> Option<String> {
    if depth > MAX_DEPTH {
        return None;
    }
    let is_parameter = |name: &str| {
        !module.vars.contains_key(name)
            && (module.params.contains_key(name) || module.inputs.contains(name))
    };
    match &condition.kind {
        Kind::Name(name) if is_parameter(name) => Some(name.clone()),
        Kind::Name(name) => parameter_of(module.vars.get(name)?, module, depth + 1),
        Kind::Parenthesized(inner) | Kind::NonNull(inner) => parameter_of(inner, module, depth + 1),
        Kind::Member { target, .. } => parameter_of(target, module, depth + 1),
        Kind::Binary {
            operator: super::syntax::Binary::Coalesce,
            left,
            right,
        } if matches!(right.kind, Kind::Null) => parameter_of(left, module, depth + 1),
        Kind::Ternary {
            then, otherwise, ..
        } => match (&then.kind, &otherwise.kind) {
            (Kind::Null, _) => parameter_of(otherwise, module, depth + 1),
            (_, Kind::Null) => parameter_of(then, module, depth + 1),
            _ => None,
        },
        _ => None,
    }
}

/// [`substitute`], telling in `module_text` whether a string, number or Boolean the module
/// writes stayed in the result (its positions are the module file's, not the caller's).
fn substitute_tracked(
    expr: &Expr,
    module: &File,
    args: &Map<&Expr>,
    depth: usize,
    module_text: &mut bool,
) -> Option<Expr> {
    if depth > MAX_DEPTH {
        return None;
    }
    match &expr.kind {
        Kind::Name(name) => {
            if let Lookup::Value(argument, ..) = get(args, name)
                && (module.params.contains_key(name) || module.inputs.contains(name))
            {
                return Some(argument.clone());
            }
            let written = module.vars.get(name).or_else(|| module.params.get(name))?;
            substitute_tracked(written, module, args, depth + 1, module_text)
        }
        Kind::Member { target, name, safe } => Some(Expr {
            kind: Kind::Member {
                target: Box::new(substitute_tracked(
                    target,
                    module,
                    args,
                    depth + 1,
                    module_text,
                )?),
                name: name.clone(),
                safe: *safe,
            },
            span: expr.span.clone(),
        }),
        Kind::Parenthesized(inner) | Kind::NonNull(inner) => {
            substitute_tracked(inner, module, args, depth + 1, module_text)
        }
        Kind::Binary {
            operator: super::syntax::Binary::Coalesce,
            left,
            right,
        } if matches!(right.kind, Kind::Null) => {
            substitute_tracked(left, module, args, depth + 1, module_text)
        }
        Kind::Ternary {
            then, otherwise, ..
        } => match (&then.kind, &otherwise.kind) {
            (Kind::Null, _) => substitute_tracked(otherwise, module, args, depth + 1, module_text),
            (_, Kind::Null) => substitute_tracked(then, module, args, depth + 1, module_text),
            _ => None,
        },
        Kind::String(_) | Kind::Integer(_) | Kind::Bool(_) => {
            *module_text = true;
            Some(expr.clone())
        }
        _ => None,
    }
}

/// `expr`, written in the module, with each of the module's parameters replaced by the
/// argument the call passes (or the parameter's default) and each `var` by its value, to be
/// read in the caller's scope; `None` where it names anything else (a resource, a loop's item)
/// or is more than the depth limit deep.
fn substitute(expr: &Expr, module: &File, args: &Map<&Expr>, depth: usize) -> Option<Expr> {
    if depth > MAX_DEPTH {
        return None;
    }
    let sub = |e: &Expr| substitute(e, module, args, depth + 1);
    let boxed = |e: &Expr| sub(e).map(Box::new);
    let kind = match &expr.kind {
        Kind::Name(name) => {
            if let Lookup::Value(argument, ..) = get(args, name)
                && (module.params.contains_key(name) || module.inputs.contains(name))
            {
                return Some(argument.clone());
            }
            let written = module.vars.get(name).or_else(|| module.params.get(name))?;
            return sub(written);
        }
        Kind::String(pieces) => Kind::String(
            pieces
                .iter()
                .map(|piece| match piece {
                    Piece::Text(..) => Some(piece.clone()),
                    Piece::Hole(hole, at) => Some(Piece::Hole(sub(hole)?, *at)),
                })
                .collect::<Option<_>>()?,
        ),
        Kind::Integer(_) | Kind::Bool(_) | Kind::Null => expr.kind.clone(),
        Kind::Call {
            target: None,
            name,
            arguments,
        } => Kind::Call {
            target: None,
            name: name.clone(),
            arguments: arguments.iter().map(sub).collect::<Option<_>>()?,
        },
        Kind::Member { target, name, safe } => Kind::Member {
            target: boxed(target)?,
            name: name.clone(),
            safe: *safe,
        },
        Kind::Index {
            target,
            index,
            safe,
            from_end,
        } => Kind::Index {
            target: boxed(target)?,
            index: boxed(index)?,
            safe: *safe,
            from_end: *from_end,
        },
        Kind::Parenthesized(inner) => Kind::Parenthesized(boxed(inner)?),
        Kind::Binary {
            operator,
            left,
            right,
        } => Kind::Binary {
            operator: *operator,
            left: boxed(left)?,
            right: boxed(right)?,
        },
        Kind::Ternary {
            condition,
            then,
            otherwise,
        } => Kind::Ternary {
            condition: boxed(condition)?,
            then: boxed(then)?,
            otherwise: boxed(otherwise)?,
        },
        Kind::Array(elements) => Kind::Array(
            elements
                .iter()
                .map(|element| match element {
                    Element::Value(e) => sub(e).map(Element::Value),
                    Element::Spread(e) => sub(e).map(Element::Spread),
                })
                .collect::<Option<_>>()?,
        ),
        Kind::Object(properties) => Kind::Object(
            properties
                .iter()
                .map(|property| match property {
                    Property::Value { key, key_at, value } => Some(Property::Value {
                        key: key.clone(),
                        key_at: *key_at,
                        value: sub(value)?,
                    }),
                    _ => None,
                })
                .collect::<Option<_>>()?,
        ),
        _ => return None,
    };
    Some(Expr {
        kind,
        span: expr.span.clone(),
    })
}

/// A string written at `at` in the calling file.
fn literal(piece: Piece, at: usize) -> Expr {
    Expr {
        kind: Kind::String(vec![piece]),
        span: at..at,
    }
}

/// A value present but not known here, at `at` in the calling file: a name no file declares.
fn unknown(at: usize) -> Expr {
    Expr {
        kind: Kind::Name("a module's value not known here".to_owned()),
        span: at..at,
    }
}
