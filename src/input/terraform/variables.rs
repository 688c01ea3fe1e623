//! Terraform's variable files and variable types: `terraform.tfvars`, `*.auto.tfvars`, their
//! `.tfvars.json` forms and `-var-file`s give a module's variables their values, in Terraform's
//! order (a later file's value replaces an earlier one's whole); a variable's `type` makes the
//! attributes it declares `optional()` `null` (or their default) where a value leaves them out.
//! A variable file with no configuration beside it is read alone, by the shape Azure Verified
//! Modules give `role_assignments`.

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, Object, ObjectKey, TraversalOperator};
use hcl_edit::structure::Body;

use super::super::error::{Budget, Language, Stop};
use super::super::meter::Meter;
use super::{Calls, Facts, Found, MAX_REFERENCE_DEPTH, ModuleFile, Reader, Scope, Templates};
use crate::limits::TERRAFORM_MAX_WORK;

/// The variable file `path` names (`.tfvars` or `.tfvars.json`), and whether Terraform loads
/// it by itself (`terraform.tfvars`, `*.auto.tfvars` and their JSON forms); `None` for any
/// other file. Whether it is JSON is its extension's, as for a `-var-file`.
pub(crate) fn variable_file(path: &std::path::Path) -> Option<VariableFile> {
    // The extension first: most files are `.tf`, `.bicep` or another `.json`.
    let extension = path.extension()?;
    if extension != "tfvars" && extension != "json" {
        return None;
    }
    let name = path.file_name()?.to_str()?;
    let stem = match name.strip_suffix(".tfvars") {
        Some(stem) => stem,
        None => name.strip_suffix(".tfvars.json")?,
    };
    let automatic = stem == "terraform" || stem.ends_with(".auto");
    Some(VariableFile { automatic })
}

/// A variable file: whether Terraform loads it without being told.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct VariableFile {
    /// `terraform.tfvars`, `*.auto.tfvars` (and `.json`): loaded by Terraform itself.
    pub(crate) automatic: bool,
}

/// What one file of a module holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// Terraform configuration (`.tf`).
    Configuration,
    /// Values for the module's variables, in the order Terraform applies them (a later file's
    /// value replaces an earlier one's): `terraform.tfvars`, `terraform.tfvars.json`, then
    /// `*.auto.tfvars` and `*.auto.tfvars.json` in lexical order, then each `-var-file`. `assumed`: the value can still be replaced at deployment
    /// (by `-var`, `TF_VAR_` or a later file), so what is read through it is an assumption.
    Variables {
        /// JSON (a name ending in `.json`) rather than HCL.
        json: bool,
        /// Whether the values are assumptions.
        assumed: bool,
    },
}

/// A variable the module declares: its value (a variable file's, else its default), whether
/// reading through it is an assumption, and its type constraint.
pub(super) struct Variable<'b> {
    /// The value and the file it is written in; `None` without a default or a file's value.
    pub(super) value: Option<(usize, &'b Expression)>,
    /// The variable's default, which a variable file's `null` gives way to where the variable
    /// is not `nullable`.
    pub(super) default: Option<(usize, &'b Expression)>,
    /// `nullable` (true unless written `false`).
    pub(super) nullable: bool,
    /// Whether the value can be replaced at deployment (a default, `terraform.tfvars`).
    pub(super) assumed: bool,
    /// The `type` written, whose `optional()` attributes a value may leave out.
    pub(super) ty: Option<(usize, &'b Expression)>,
}

/// Each file parsed: a configuration's or an HCL variable file's body (empty where it does not
/// parse, with a stop), and the object each `.tfvars.json` file is, by its index.
pub(super) fn parse(
    files: &[ModuleFile<'_>],
    stops: &mut Vec<(usize, Stop)>,
) -> (Vec<Body>, Vec<(usize, Object)>) {
    let mut bodies = Vec::with_capacity(files.len());
    // The object a `.tfvars.json` file is, by its file's index.
    let mut objects = Vec::new();
    for (index, file) in files.iter().enumerate() {
        let parsed = match file.kind {
            FileKind::Variables { json: true, .. } => variables_json(file.text).map(|object| {
                objects.push((index, object));
                Body::default()
            }),
            _ => hcl_edit::parser::parse_body(file.text)
                .map_err(|error| {
                    let offset = error.location().offset();
                    Stop::syntax(Language::Hcl, offset, error.message())
                })
                .and_then(|body| match file.kind {
                    FileKind::Variables { .. } => only_attributes(body),
                    FileKind::Configuration => Ok(body),
                }),
        };
        match parsed {
            Ok(body) => bodies.push(body),
            Err(stop) => {
                stops.push((index, stop));
                bodies.push(Body::default());
            }
        }
    }
    (bodies, objects)
}

/// Gives the variables the module declares the values of its variable files, a later file's
/// replacing an earlier one's; returns the values of the files read alone (no configuration).
pub(super) fn apply<'b>(
    files: &[ModuleFile<'_>],
    bodies: &'b [Body],
    objects: &'b [(usize, Object)],
    scope: &mut Scope<'b>,
) -> Vec<(usize, Vec<(&'b str, &'b Expression)>)> {
    // The variable files' values replace the defaults, a later file's an earlier one's; a
    // value for a variable the module does not declare is not read (Terraform warns of it).
    // Without configuration, the files are read alone.
    let configured = files.iter().any(|f| f.kind == FileKind::Configuration);
    let mut alone = Vec::new();
    for (index, file) in files.iter().enumerate() {
        let FileKind::Variables { assumed, .. } = file.kind else {
            continue;
        };
        let values: Vec<(&str, &Expression)> = match objects.iter().find(|(i, _)| *i == index) {
            Some((_, object)) => object
                .iter()
                .filter_map(|(key, value)| Some((object_key(key)?, value.expr())))
                .collect(),
            None => bodies.get(index).map_or_else(Vec::new, |body| {
                body.attributes()
                    .map(|a| (a.key.as_str(), &a.value))
                    .collect()
            }),
        };
        if !configured {
            alone.push((index, values));
            continue;
        }
        for (name, value) in values {
            if let Some(variable) = scope.variables.get_mut(name) {
                variable.value = Some((index, value));
                variable.assumed = assumed;
            }
        }
    }
    alone
}

/// Reads the values of each variable file read alone that is wanted: every `role_assignments`
/// map in them, by the shape Azure Verified Modules give it (`modules.rs`).
pub(super) fn read_alone<'b>(
    alone: Vec<(usize, Vec<(&'b str, &'b Expression)>)>,
    scope: &Scope<'b>,
    files: &[ModuleFile<'_>],
    (templates, calls): (Templates<'_>, &Calls<'_>),
    found: &mut Vec<(usize, Found)>,
    stops: &mut Vec<(usize, Stop)>,
) {
    // A variable file read alone (no configuration declares its variables): its values are
    // read by the shape Azure Verified Modules give them, each `role_assignments` map's entries.
    for (index, values) in alone {
        if files.get(index).is_some_and(|f| f.wanted) {
            let meter = Meter::new(TERRAFORM_MAX_WORK);
            let reader = Reader::new(scope, (files, index), templates, calls, &meter);
            let first = found.len();
            for (name, value) in values {
                reader.variable_values(name, value, found);
            }
            if let Some(at) = meter.passed() {
                found.truncate(first);
                stops.push((
                    index,
                    Stop::budget(Language::Hcl, at, Budget::ValueBytes(TERRAFORM_MAX_WORK)),
                ));
            }
        }
    }
}

/// A `.tfvars.json` file's object, read as the HCL expression it also is (JSON's objects,
/// arrays, strings, numbers and literals are HCL's, `"key": value` included), once it is known
/// to be one JSON object; a JSON escape HCL reads otherwise (`\/`, `\b`, `\f`) or a string
/// holding `${` or `%{` (a template to Terraform) is refused, never read another way.
fn variables_json(text: &str) -> Result<hcl_edit::expr::Object, Stop> {
    let refuse = |at: usize, message: &str| Err(Stop::syntax(Language::Json, at, message));
    let object = match serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text) {
        Ok(object) => object,
        Err(error) => {
            let at = super::super::json::text::offset_of(text, error.line(), error.column());
            return refuse(
                at,
                &format!("a variable file in JSON is one object: {error}"),
            );
        }
    };
    // `${` or `%{` in a string, however escaped: HCL would read a template there.
    if let Some(string) = strings_of(&serde_json::Value::Object(object))
        .into_iter()
        .find(|s| s.contains("${") || s.contains("%{"))
    {
        let at = string
            .get(..2.min(string.len()))
            .and_then(|head| text.find(head))
            .unwrap_or(0);
        return refuse(
            at,
            "a string holding `${` or `%{` in a JSON variable file is not read by azabac",
        );
    }
    let bytes = text.as_bytes();
    let mut in_string = false;
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        match (in_string, byte) {
            (_, b'"') => in_string = !in_string,
            (true, b'\\') => {
                if let Some(b'/' | b'b' | b'f') = bytes.get(index + 1) {
                    return refuse(
                        index,
                        "a JSON escape (`\\/`, `\\b` or `\\f`) not read in variable files",
                    );
                }
                index += 1;
            }
            _ => {}
        }
        index += 1;
    }
    match hcl_edit::parser::parse_expr(text.trim_end()) {
        Ok(Expression::Object(object)) => Ok(object),
        Ok(_) => refuse(0, "a variable file in JSON is one object"),
        Err(error) => refuse(error.location().offset(), error.message()),
    }
}

/// Every string of a JSON value, keys included (to the JSON reader's own depth limit).
fn strings_of(value: &serde_json::Value) -> Vec<&str> {
    let mut out = Vec::new();
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        match value {
            serde_json::Value::String(s) => out.push(s.as_str()),
            serde_json::Value::Array(items) => stack.extend(items),
            serde_json::Value::Object(fields) => {
                for (key, item) in fields {
                    out.push(key.as_str());
                    stack.push(item);
                }
            }
            _ => {}
        }
    }
    out
}

/// Where a variable file's value is not a literal: a reference, a function call, an operator
/// or an interpolation, which Terraform refuses in variable files (it reads them with no
/// variables and no functions).
fn not_literal(expr: &Expression, depth: usize) -> Option<usize> {
    let here = || expr.span().map_or(0, |s| s.start);
    if depth > MAX_REFERENCE_DEPTH {
        return Some(here());
    }
    // A template whose interpolations are themselves literal (`"x${"y"}"`) is one Terraform
    // reads with no variables; a directive (`%{ if }`) is not read here.
    let template = |template: &hcl_edit::template::Template| {
        template.iter().find_map(|element| match element {
            hcl_edit::template::Element::Literal(_) => None,
            hcl_edit::template::Element::Interpolation(interpolation) => {
                not_literal(&interpolation.expr, depth + 1)
            }
            hcl_edit::template::Element::Directive(_) => Some(here()),
        })
    };
    match expr {
        Expression::Null(_)
        | Expression::Bool(_)
        | Expression::Number(_)
        | Expression::String(_) => None,
        Expression::StringTemplate(t) => template(t),
        Expression::HeredocTemplate(h) => template(&h.template),
        Expression::Parenthesis(inner) => not_literal(inner.inner(), depth + 1),
        // `-1`: a number.
        Expression::UnaryOp(op) if matches!(op.expr, Expression::Number(_)) => None,
        Expression::Array(items) => items.iter().find_map(|item| not_literal(item, depth + 1)),
        Expression::Object(object) => object.iter().find_map(|(key, value)| match key {
            ObjectKey::Ident(_) | ObjectKey::Expression(Expression::String(_)) => {
                not_literal(value.expr(), depth + 1)
            }
            ObjectKey::Expression(key) => Some(key.span().map_or(0, |s| s.start)),
        }),
        _ => Some(here()),
    }
}

/// A variable file's body, which holds only `name = value` attributes of literal values.
fn only_attributes(body: Body) -> Result<Body, Stop> {
    if let Some(at) = body
        .attributes()
        .find_map(|attribute| not_literal(&attribute.value, 0))
    {
        return Err(Stop::syntax(
            Language::Hcl,
            at,
            "a variable file's values are literal: Terraform allows no reference, function call \
             or directive here",
        ));
    }
    let block = body
        .blocks()
        .next()
        .map(|block| block.span().map_or(0, |s| s.start));
    match block {
        Some(at) => Err(Stop::syntax(
            Language::Hcl,
            at,
            "a variable file holds only `name = value` attributes, not blocks",
        )),
        None => Ok(body),
    }
}

/// A JSON variable file's key as a variable name.
fn object_key(key: &hcl_edit::expr::ObjectKey) -> Option<&str> {
    match key {
        hcl_edit::expr::ObjectKey::Ident(ident) => Some(ident.as_str()),
        hcl_edit::expr::ObjectKey::Expression(Expression::String(s)) => Some(s.value().as_str()),
        hcl_edit::expr::ObjectKey::Expression(_) => None,
    }
}

impl<'b> Reader<'_, 'b, '_> {
    /// `var.x` of a variable whose value is its default `null` (no variable file gives one):
    /// its name, the module's input.
    pub(super) fn null_default_variable(&self, expr: &Expression) -> Option<String> {
        let Expression::Traversal(traversal) = expr else {
            return None;
        };
        let Expression::Variable(root) = &traversal.expr else {
            return None;
        };
        let [operator] = traversal.operators.as_slice() else {
            return None;
        };
        let TraversalOperator::GetAttr(name) = operator.value() else {
            return None;
        };
        let variable = self.scope.variables.get(name.as_str())?;
        let default_null = matches!(variable.default, Some((_, Expression::Null(_))));
        let from_default = variable.value.map(|(_, e)| e as *const Expression)
            == variable.default.map(|(_, e)| e as *const Expression);
        (root.as_str() == "var" && default_null && from_default && !self.scope.variables_unread)
            .then(|| format!("var.{}", name.as_str()))
    }

    /// A condition that is a reference to text written whole in a variable file: reported
    /// there, where the text is, with what it was read through; `Some(facts)` back otherwise.
    pub(super) fn push_from_variable_file(
        &self,
        condition: &'b Expression,
        address: &str,
        facts: Option<Facts>,
        found: &mut Vec<(usize, Found)>,
    ) -> Option<Option<Facts>> {
        // Only a reference can lead into a variable file, and only where the module has one.
        if !matches!(condition, Expression::Traversal(_))
            || self.files.iter().all(|f| f.kind == FileKind::Configuration)
        {
            return Some(facts);
        }
        let value = self.value_of(condition, 0);
        let Some(node) = value.node.as_ref().filter(|node| {
            self.files
                .get(node.file)
                .is_some_and(|f| f.kind != FileKind::Configuration)
        }) else {
            return Some(facts);
        };
        let reader = self.reading(node);
        let at = node.expr.span().map_or(0, |s| s.start);
        let before = found.len();
        reader.push_value(
            node.expr,
            at,
            address.to_owned(),
            facts,
            reader.text(),
            found,
        );
        for (_, found) in found.get_mut(before..).into_iter().flatten() {
            for name in &value.assumed {
                if !found.place.assumed.contains(name) {
                    found.place.assumed.push(name.clone());
                }
            }
        }
        None
    }
}
