//! Conditions in Terraform (`.tf`), read with `hcl-edit`, which keeps byte spans, so that each
//! found condition maps back to the file through HCL escapes and heredoc indentation.
//!
//! A module directory is read as one: its `locals` and its variables' defaults resolve the
//! references a condition makes. Resolved from literals: `local.x` and its members (`.key`, `["key"]`, `[0]`), `format()`, `join()`,
//! `replace()`, `lower()`, `upper()`, `trimspace()`, `lookup()`, `file()`, and `templatefile()` of a template the
//! caller's loader gives (`${name}` of the variables passed, `$${` and `%%{` escapes; a `%{`
//! directive leaves it unresolved); a variable's default resolves too, but is an assumption (a
//! `.tfvars` file or `-var` can override it), listed in [`Place::assumed`]. Anything else
//! (module outputs, resource attributes, data sources) is unresolved, never guessed: a value
//! known only at deployment, with a [`Hole`](super::place::Hole) where it goes in the text
//! (a member a literal value lacks has none), which `check` checks around when it sits inside
//! one literal and otherwise leaves not checkable offline. A `for_each` over a map or set written literally (or a `for` expression
//! over one, `{ for a in local.x : a.name => a }`) is read per instance (`each.key`,
//! `each.value`), each addressed `kind.name["key"]`; a `count` of a
//! number or of `length()` of a literal value likewise (`count.index`, `kind.name[0]`).
//!
//! Read: `azurerm_role_assignment` and `azurerm_pim_*` assignment resources (`condition`,
//! `condition_version`, `principal_type`, `role_definition_id`/`_name`,
//! `skip_service_principal_aad_check`), `azapi_resource` bodies of type
//! `Microsoft.Authorization/roleAssignments` (and the permission blocks of `roleDefinitions`
//! bodies), and module calls whose `role_assignments` map
//! carries `condition` (Azure Verified Modules, landing-zone vending). A `condition` in
//! `lifecycle`, `precondition`, `postcondition` or a variable's `validation` is Terraform's,
//! not an ABAC condition, and is never read.

use std::collections::HashMap;

use hcl_edit::Span as _;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Attribute, Block};

mod azapi;
mod children;
mod each;
mod eval;
mod modules;
mod roles;
mod strings;
mod template;
mod types;
mod value;
mod variables;

use each::{Bound, Each, assuming};
use roles::is_role_definition_id;
pub use variables::FileKind;
use variables::Variable;
pub(crate) use variables::variable_file;

use super::embedded::Embedded;
use super::error::{Budget, Language, Stop};
use super::meter::Meter;
use super::place::{Facts, Found, Host, Place, PrincipalTypes, Reached, inline_suppressions};
use crate::limits::TERRAFORM_MAX_WORK;

use crate::limits::TERRAFORM_MAX_REFERENCE_DEPTH as MAX_REFERENCE_DEPTH;

/// Whether this host reads the file: a `.tf` file, or a variable file (see [`variable_file`]).
pub(crate) fn claims(path: &std::path::Path) -> bool {
    path.extension().is_some_and(|ext| ext == "tf") || variable_file(path).is_some()
}

/// One file of a module: its text, whether its conditions are wanted (a file named on the
/// command line is; its neighbours are read only for locals and variables), and what it is.
#[derive(Clone, Copy, Debug)]
pub struct ModuleFile<'t> {
    /// The file's text.
    pub text: &'t str,
    /// Whether to report its conditions.
    pub wanted: bool,
    /// What the file is.
    pub kind: FileKind,
}

/// Gives the text of a template file for `templatefile()`, by its path as the module wrote it
/// (`path.module` read as `.`), relative to the module's directory; `None` when it cannot be
/// read, which leaves the condition unresolved.
pub type Templates<'l> = &'l dyn Fn(&str) -> Option<String>;

/// Gives the texts of the `.tf` files of a local module a call names (`source = "./modules/ra"`,
/// relative to the calling module's directory); empty when there are none.
pub type Children<'l> = &'l dyn Fn(&str) -> Vec<String>;

/// What one module directory holds.
#[derive(Debug, Default)]
pub(crate) struct Module {
    /// The conditions of its wanted files, each with the index of its file.
    pub(crate) found: Vec<(usize, Found)>,
    /// The files that are not HCL, each with where its parser stopped.
    pub(crate) stops: Vec<(usize, Stop)>,
    /// The local modules' role assignments a call reached: (the module's source as the call
    /// writes it, the resource's address in it, whether the call gave its condition).
    pub(crate) reached: Vec<Reached>,
}

/// The conditions of the wanted files of one module directory, and the files that are not
/// HCL: the module is read without them (what they declare is unresolved, never guessed).
pub(crate) fn module(
    files: &[ModuleFile<'_>],
    templates: Templates<'_>,
    children: Children<'_>,
) -> Module {
    let calls = Calls {
        children,
        read: std::cell::RefCell::default(),
        reached: std::cell::RefCell::default(),
    };
    let mut stops = Vec::new();
    let (bodies, objects) = variables::parse(files, &mut stops);
    let mut scope = Scope {
        variables_unread: stops.iter().any(|(index, _)| {
            matches!(
                files.get(*index).map(|f| f.kind),
                Some(FileKind::Variables { .. })
            )
        }),
        ..Scope::default()
    };
    for (index, body) in bodies.iter().enumerate() {
        if matches!(
            files.get(index).map(|f| f.kind),
            Some(FileKind::Variables { .. })
        ) {
            continue;
        }
        for block in body.get_blocks("locals") {
            for attribute in block.body.attributes() {
                scope
                    .locals
                    .insert(attribute.key.as_str().to_owned(), (index, &attribute.value));
            }
        }
        // The roles the module defines, and those it looks up.
        for block in body.get_blocks("resource").chain(body.get_blocks("data")) {
            if let [kind, name] = block.labels.as_slice()
                && kind.as_str() == "azurerm_role_definition"
            {
                let roles = match block.ident.as_str() {
                    "resource" => &mut scope.role_definitions,
                    _ => &mut scope.role_lookups,
                };
                roles.insert(name.as_str().to_owned(), (index, block));
            }
        }
        for block in body.get_blocks("variable") {
            if let Some(name) = block.labels.first() {
                let default = block
                    .body
                    .get_attribute("default")
                    .map(|d| (index, &d.value));
                let variable = Variable {
                    value: default,
                    default,
                    nullable: !matches!(
                        block.body.get_attribute("nullable").map(|a| &a.value),
                        Some(Expression::Bool(b)) if !*b.value()
                    ),
                    assumed: true,
                    ty: block.body.get_attribute("type").map(|t| (index, &t.value)),
                };
                scope.variables.insert(name.as_str().to_owned(), variable);
            }
        }
    }
    let alone = variables::apply(files, &bodies, &objects, &mut scope);
    let mut found = Vec::new();
    for (index, body) in bodies.iter().enumerate() {
        let Some(file) = files
            .get(index)
            .filter(|f| f.wanted && f.kind == FileKind::Configuration)
        else {
            continue;
        };
        let meter = Meter::new(TERRAFORM_MAX_WORK);
        let reader = Reader::new(&scope, (files, index), templates, &calls, &meter);
        let first = found.len();
        for block in body.get_blocks("resource").chain(body.get_blocks("module")) {
            let before = found.len();
            if block.ident.as_str() == "resource" {
                reader.resource(block, file.text, &mut found);
            } else {
                reader.module_call(block, &mut found);
            }
            // Past its budget, the file is an error of its own, at the block that passed it:
            // what was read of it is partial.
            if meter.passed().is_some() {
                found.truncate(first);
                let at = block.span().map_or(0, |span| span.start);
                stops.push((
                    index,
                    Stop::budget(Language::Hcl, at, Budget::ValueBytes(TERRAFORM_MAX_WORK)),
                ));
                break;
            }
            // The block's `azabac:suppress` comments, for each condition it holds.
            if let (Some(span), Some(new)) = (block.span(), found.get_mut(before..))
                && !new.is_empty()
            {
                let suppressions = inline_suppressions(file.text, span);
                for (_, found) in new {
                    found.place.suppressions.clone_from(&suppressions);
                }
            }
        }
    }
    variables::read_alone(
        alone,
        &scope,
        files,
        (templates, &calls),
        &mut found,
        &mut stops,
    );
    Module {
        found,
        stops,
        reached: calls.reached.into_inner(),
    }
}

/// What references resolve against: the module's locals and variables' defaults, each with
/// its file.
#[derive(Default)]
struct Scope<'b> {
    locals: HashMap<String, (usize, &'b Expression)>,
    variables: HashMap<String, Variable<'b>>,
    /// The custom roles the module defines (`azurerm_role_definition`), by name.
    role_definitions: HashMap<String, (usize, &'b Block)>,
    /// The roles the module looks up (`data "azurerm_role_definition"`), by name.
    role_lookups: HashMap<String, (usize, &'b Block)>,
    /// Whether a variable file of the module could not be read: a variable without a value
    /// may then have one there, so it is not known, rather than the module's input.
    variables_unread: bool,
}

/// The local modules a module's calls reach (`children.rs`): their files, each read and parsed
/// once, and, per call, the resource it reached and whether it gave the condition.
struct Calls<'s> {
    children: Children<'s>,
    read: std::cell::RefCell<HashMap<String, std::rc::Rc<Vec<hcl_edit::structure::Body>>>>,
    reached: std::cell::RefCell<Vec<Reached>>,
}

struct Reader<'s, 'b, 't> {
    scope: &'s Scope<'b>,
    files: &'s [ModuleFile<'t>],
    file: usize,
    templates: Templates<'s>,
    /// The local modules the module's calls reach.
    calls: &'s Calls<'s>,
    /// `each.key` and `each.value` of the `for_each` instance being read, if any.
    each: Option<Each<'b>>,
    /// A `for` expression's variables for the element being read, if any.
    bound: Option<Bound<'b>>,
    /// `count.index` of the `count` instance being read, if any.
    count: Option<usize>,
    /// Whether the block is read once over a `for_each` or `count` of the module's input
    /// (`var.role_assignments`), whose `each` the module's callers give.
    input_each: bool,
    /// The budget of the file whose conditions are being read
    /// ([`TERRAFORM_MAX_WORK`](crate::limits::TERRAFORM_MAX_WORK)).
    meter: &'s Meter,
}

impl<'s, 'b, 't> Reader<'s, 'b, 't> {
    /// The reader of file `file` of `files`, outside any instance, under `meter`.
    fn new(
        scope: &'s Scope<'b>,
        (files, file): (&'s [ModuleFile<'t>], usize),
        templates: Templates<'s>,
        calls: &'s Calls<'s>,
        meter: &'s Meter,
    ) -> Self {
        Reader {
            scope,
            files,
            file,
            templates,
            calls,
            each: None,
            bound: None,
            count: None,
            input_each: false,
            meter,
        }
    }

    fn text(&self) -> &str {
        self.files.get(self.file).map_or("", |f| f.text)
    }

    /// A role assignment resource (or a PIM one, or an `azapi_resource` of that type); with a
    /// `for_each` over a map or set written literally (in place, in a local or a variable's
    /// default), each instance, addressed `kind.name["key"]`.
    fn resource(&self, block: &'b Block, text: &str, found: &mut Vec<(usize, Found)>) {
        let (Some(kind), Some(name)) = (block.labels.first(), block.labels.get(1)) else {
            return;
        };
        let address = format!("{}.{}", kind.as_str(), name.as_str());
        self.each_instance(block, address, found, |reader, address, found| {
            reader.resource_instance(block, address, text, found);
        });
    }

    fn resource_instance(
        &self,
        block: &Block,
        address: String,
        text: &str,
        found: &mut Vec<(usize, Found)>,
    ) {
        let Some(kind) = block.labels.first() else {
            return;
        };
        let kind = kind.as_str();
        let body = &block.body;
        if kind == "azapi_resource" {
            return self.azapi(body, &address, found);
        }
        if kind != "azurerm_role_assignment" && !kind.starts_with("azurerm_pim_") {
            return;
        }
        let Some(condition) = body.get_attribute("condition") else {
            return;
        };
        let skip_check = body
            .get_attribute("skip_service_principal_aad_check")
            .is_some_and(|a| {
                matches!(
                    self.value_of(&a.value, 0).shape,
                    super::value::Shape::Bool(true)
                )
            });
        let version = self.version(body.get_attribute("condition_version").map(|a| &a.value));
        // The attribute that names the role: the first that is not `null` (an Azure Verified
        // Module sets one of the two by whether its input is a resource id).
        let role = ["role_definition_id", "role_definition_name"]
            .into_iter()
            .filter_map(|name| body.get_attribute(name))
            .find(|a| !self.is_null(&a.value));
        // A `principal_type` that is `null` is not set.
        let principal_type = body
            .get_attribute("principal_type")
            .filter(|a| !self.is_null(&a.value));
        let facts = Facts {
            assignment: true,
            // PIM resources take no `principal_type` (the schedule request's is read-only, set
            // by Azure), and are requested through `role*ScheduleRequests/write`, which a
            // delegation condition on `roleAssignments/write` does not see: nothing to add.
            principal_type: kind.starts_with("azurerm_pim_")
                || principal_type.is_some()
                || skip_check,
            principal_type_value: principal_type.and_then(|a| self.literal(&a.value)),
            principal_types: if kind == "azurerm_role_assignment" {
                PrincipalTypes::AzurermProvider
            } else {
                PrincipalTypes::Azure
            },
            version: version.clone().flatten(),
            // A version only a deployment knows is not a missing one.
            version_required: kind.starts_with("azurerm_pim_") && version.is_none(),
            role: role.map(|a| self.role_text(&a.value)),
            defined_role: role.and_then(|a| self.defined_role(&a.value)),
            principal_type_fix: "add `principal_type = \"ServicePrincipal\"` (or `\"User\"`, \
                                 `\"Group\"`) to the resource",
        };
        self.push(condition, address, Some(facts), text, found);
    }

    /// An expression's value, when it resolves from literals.
    fn literal(&self, expression: &Expression) -> Option<String> {
        let value = self.evaluate(expression, 0);
        value.unresolved.is_empty().then_some(value.text)
    }

    fn push(
        &self,
        condition: &Attribute,
        address: String,
        facts: Option<Facts>,
        text: &str,
        found: &mut Vec<(usize, Found)>,
    ) {
        let key_span = condition.key.span().map_or(0, |s| s.start);
        let Some(facts) = self.push_from_variable_file(&condition.value, &address, facts, found)
        else {
            return;
        };
        self.push_value(&condition.value, key_span, address, facts, text, found);
    }

    fn push_value(
        &self,
        value: &Expression,
        key_at: usize,
        address: String,
        facts: Option<Facts>,
        text: &str,
        found: &mut Vec<(usize, Found)>,
    ) {
        // `null` (written, a variable's default, a `lookup()` default): no condition at all;
        // but a variable whose default is `null` (AVM's and the provider modules' optional
        // `condition`) is the module's input, which its callers may give: a condition slot.
        let optional_input = self.null_default_variable(value);
        if optional_input.is_none() && self.is_null(value) {
            return;
        }
        // A condition that is a whole template file: reported in the template.
        if let Expression::FuncCall(call) = value
            && let Some(rendered) = self.template_file(call, 0)
        {
            found.push((
                self.file,
                Found {
                    embedded: Embedded::new(address.clone(), rendered.text, rendered.offsets),
                    place: Place {
                        host: Host::Terraform,
                        resource: address,
                        line: 1,
                        unresolved: rendered.unresolved,
                        holes: rendered.holes,
                        assumed: rendered.assumed,
                        resource_ids: Vec::new(),
                        slot: None,
                        facts,
                        suppressions: Vec::new(),
                    },
                    template: Some(super::place::Template {
                        path: rendered.path,
                        text: rendered.template,
                    }),
                },
            ));
            return;
        }
        let end = value.span().map_or(key_at, |s| s.end);
        let evaluated = match optional_input {
            Some(name) => {
                let at = value.span().map_or(key_at, |s| s.start);
                let mut input = eval::Text::input(name, at);
                input.offsets.push(end);
                input
            }
            None => self.evaluate(value, 0).finish(end),
        };
        let line = crate::span::line_column(text, key_at).0;
        let input = evaluated.slot();
        found.push((
            self.file,
            Found {
                template: None,
                embedded: Embedded::new(address.clone(), evaluated.text, evaluated.offsets),
                place: Place {
                    host: Host::Terraform,
                    resource: address,
                    line,
                    unresolved: evaluated.unresolved,
                    holes: evaluated.holes,
                    assumed: evaluated.assumed,
                    resource_ids: evaluated.resource_ids,
                    slot: input,
                    facts,
                    suppressions: Vec::new(),
                },
            },
        ));
    }
}

impl<'b> Reader<'_, 'b, '_> {
    /// What a condition version attribute says: `None` when it is not set (absent, or
    /// `null`); `Some(None)` when its value is known only at deployment, which is neither a
    /// wrong version nor a missing one; `Some(Some(v))` when it resolves.
    fn version(&self, expression: Option<&'b Expression>) -> Option<Option<String>> {
        let expression = expression.filter(|e| !self.is_null(e))?;
        Some(self.literal(expression))
    }

    /// Whether `expression` is `null`: written so, or a reference or `lookup()` that leads to
    /// it (a variable whose default is `null` counts: under its default there is no value).
    fn is_null(&self, expression: &'b Expression) -> bool {
        match expression {
            // A string, a number, a collection: never `null`, and not evaluated to tell.
            Expression::String(_)
            | Expression::StringTemplate(_)
            | Expression::HeredocTemplate(_)
            | Expression::Number(_)
            | Expression::Bool(_)
            | Expression::Array(_)
            | Expression::Object(_)
            | Expression::ForExpr(_) => false,
            _ => self.value_of(expression, 0).as_null().is_some(),
        }
    }
}

#[cfg(test)]
mod tests;
