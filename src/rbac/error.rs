//! What is wrong with RBAC input, and where: every reader's error is an [`InputError`], a JSON
//! path and a typed [`InputProblem`] whose `Display` is the sentence the CLI prints.

use std::fmt;

use serde_json::Value;
use uuid::Uuid;

use super::{ScopeError, UnknownPrincipalType};
use crate::catalog::RoleError;
use crate::eval::RequestProblem;
use crate::id::IdError;
use crate::limits::MAX_GROUP_DEPTH;

/// RBAC input that could not be read: where in the JSON, and what is wrong there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// A JSON path such as `$[3].properties.scope`.
    pub path: String,
    /// What is wrong.
    pub problem: InputProblem,
}

/// What is wrong with a piece of RBAC input.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputProblem {
    /// The text is not JSON; the reader's message says where.
    NotJson(String),
    /// A value of another JSON type than the field takes.
    Expected {
        /// What the field takes, such as "an array of strings".
        what: &'static str,
        /// The JSON type found, such as "a number".
        found: &'static str,
    },
    /// A required field is missing.
    Missing {
        /// The field.
        field: &'static str,
        /// What may stand instead, such as "`dataAction`".
        or: Option<&'static str>,
    },
    /// Two fields that exclude each other are both given.
    Conflict {
        /// One field.
        first: &'static str,
        /// The other.
        second: &'static str,
    },
    /// Not a GUID where one is needed.
    NotAGuid {
        /// The text.
        text: String,
        /// Whether a path ending in a GUID (as ARM writes ids) would do.
        ending: bool,
        /// The names that would do instead, such as "a name in `principals`".
        names: Option<String>,
    },
    /// A role named by a name no given or built-in role has.
    UnknownRoleName(String),
    /// An assignment's role is neither built in nor among the given roles.
    UnknownRole(Uuid),
    /// A scope that is not one.
    Scope(ScopeError),
    /// A principal type that is not one.
    PrincipalType(UnknownPrincipalType),
    /// A role definition that cannot be read.
    Role(Box<RoleError>),
    /// A condition azabac (and Azure) rejects: its first error, as `check` reports it.
    Condition(String),
    /// A `conditionVersion` other than 2.0.
    ConditionVersion(String),
    /// An `assignmentType` other than Active or Eligible.
    AssignmentType(String),
    /// `excludePrincipals` names every principal (the zero GUID).
    ExcludesEveryone,
    /// A hierarchy parent that is not a management group.
    NotAManagementGroup(String),
    /// A hierarchy child that is neither a management group nor a subscription (`/`, a
    /// resource group, a resource).
    NotAGroupChild(String),
    /// A service group's parent that is not a service group.
    NotAServiceGroup(String),
    /// A child under a service group that is not a service group: a service group's members
    /// (subscriptions, resource groups, resources) do not inherit its roles.
    NotAServiceGroupChild(String),
    /// An assignment whose `id` names another scope than its `scope`.
    IdScopeMismatch {
        /// The scope the id names.
        id_scope: String,
        /// The `scope` given.
        scope: String,
    },
    /// A role definition id that is neither a GUID nor
    /// `[SCOPE]/providers/Microsoft.Authorization/roleDefinitions/GUID`
    /// ([decision R19](crate::spec::decisions#decision-r19)), with what to change.
    RoleDefinitionId(IdError),
    /// A scope placed under two parents in the hierarchy.
    TwoParents {
        /// The scope.
        child: String,
        /// The parent given first.
        first: String,
        /// The other parent.
        second: String,
    },
    /// Management groups that form a cycle, through this one.
    Cycle(String),
    /// Management groups nested deeper than [`MAX_GROUP_DEPTH`] above this scope.
    TooDeep(String),
    /// More assignments than a world indexes.
    TooMany,
    /// An evaluation request that cannot be read (its path is in [`InputError::path`]).
    Request(RequestProblem),
    /// One role GUID given twice with different definitions.
    RoleGivenTwice {
        /// The GUID.
        id: Uuid,
        /// Where it was given first.
        first: String,
        /// The first difference.
        difference: String,
    },
    /// A built-in role's definition given without a condition the shipped one has.
    BuiltInConditionLost {
        /// The role's name.
        role: String,
        /// The block (1-based) whose condition is missing.
        block: usize,
    },
    /// A list that says it is incomplete: what is missing could deny.
    Incomplete(&'static str),
    /// A name that more than one principal of the principals files has.
    AmbiguousPrincipal {
        /// The name.
        name: String,
        /// Each principal it names: display name, type, user principal name, id.
        candidates: Vec<String>,
    },
    /// An unknown key in an entry of a principals map.
    UnknownPrincipalKey(String),
    /// Two keys of one object equal ignoring case, which ARM reads as one
    /// ([decision R14](crate::spec::decisions#decision-r14)).
    KeysDifferInCase {
        /// One key.
        first: String,
        /// The other.
        second: String,
    },
    /// Markings of one assignment that contradict each other
    /// ([decision R11](crate::spec::decisions#decision-r11)).
    Contradiction(String),
    /// A PIM schedule request, which asks for a change and grants nothing itself.
    ScheduleRequest,
    /// Two copies of one assignment or deny assignment (one id) that differ
    /// ([decision R20](crate::spec::decisions#decision-r20)): which one Azure holds is not known.
    CopiesDiffer {
        /// `role assignment` or `deny assignment`.
        kind: &'static str,
        /// The id.
        id: String,
        /// Where the first copy is: a file and JSON path.
        first: String,
    },
    /// An assignment at a management group of a custom role with data actions, which Azure
    /// does not make ([decision R21](crate::spec::decisions#decision-r21)).
    DataActionsAtManagementGroup {
        /// The role's name.
        role: String,
    },
    /// A given role named as another role with another GUID: Azure keeps custom role names
    /// unique in a tenant, built-in ones included
    /// ([decision R20](crate::spec::decisions#decision-r20)).
    RoleNameTaken {
        /// The name.
        name: String,
        /// The other role: where it was given, or that it is built in, and its GUID.
        other: String,
    },
    /// An item with keys only PIM items have and no `id` or `type` to say which kind it is
    /// ([decision R20](crate::spec::decisions#decision-r20)): a schedule and a role assignment
    /// grant differently, so its kind is never guessed.
    KindNotSettled {
        /// The PIM keys it has, as written.
        keys: Vec<String>,
    },
    /// A field of an ARM resource's `properties` given beside it, at the resource's top.
    OutsideProperties {
        /// The key as written.
        key: String,
        /// `properties` as written.
        properties: String,
    },
    /// An item of a role assignment list whose `type` (or id) names another kind of resource,
    /// such as a role definition or a deny assignment.
    NotAnAssignment(String),
    /// A time that is not RFC 3339 (any offset; at most 7 fractional digits).
    Time(String),
    /// A `denyAssignmentEffect` other than `enforced` or `audit`.
    DenyEffect(String),
    /// A catalogue action given in the other plane's field (`action` for a data action).
    WrongPlane {
        /// The action.
        action: String,
        /// The field it belongs in: `action` or `dataAction`.
        field: &'static str,
    },
}

impl InputError {
    /// `problem` at `path`.
    pub(crate) fn new(path: &str, problem: InputProblem) -> InputError {
        InputError {
            path: path.to_owned(),
            problem,
        }
    }

    /// A value of the wrong JSON type at `path`.
    pub(crate) fn expected(path: &str, what: &'static str, found: &Value) -> InputError {
        let found = match found {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        };
        InputError::new(path, InputProblem::Expected { what, found })
    }

    /// A required `field` missing from the object at `path`.
    pub(crate) fn missing(path: &str, field: &'static str) -> InputError {
        InputError::new(path, InputProblem::Missing { field, or: None })
    }

    /// What is wrong, in a sentence.
    pub fn message(&self) -> String {
        self.problem.to_string()
    }
}

impl InputProblem {
    /// Two keys of one object equal ignoring case, named in a fixed order (by their bytes), so
    /// that every reader names a pair alike whichever order it met them in.
    pub(crate) fn keys_differ(a: &str, b: &str) -> InputProblem {
        let (first, second) = if a <= b { (a, b) } else { (b, a) };
        InputProblem::KeysDifferInCase {
            first: first.to_owned(),
            second: second.to_owned(),
        }
    }
}

impl fmt::Display for InputProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputProblem::NotJson(why) => write!(f, "not valid JSON: {why}"),
            InputProblem::Expected { what, found } => write!(f, "expected {what}, found {found}"),
            InputProblem::Missing { field, or: None } => write!(f, "missing `{field}`"),
            InputProblem::Missing {
                field,
                or: Some(or),
            } => write!(f, "missing `{field}` (or {or})"),
            InputProblem::Conflict { first, second } => {
                write!(f, "give `{first}` or `{second}`, not both")
            }
            InputProblem::NotAGuid {
                text,
                names: Some(names),
                ..
            } => write!(f, "`{text}` is neither a GUID nor {names}"),
            InputProblem::NotAGuid {
                text, ending: true, ..
            } => write!(f, "`{text}` is not a GUID or does not end in one"),
            InputProblem::NotAGuid { text, .. } => write!(f, "`{text}` is not a GUID"),
            InputProblem::UnknownRoleName(name) => {
                write!(f, "no built-in or given role is named `{name}`")
            }
            InputProblem::UnknownRole(id) => write!(
                f,
                "role definition {id} is neither built in nor in the given roles"
            ),
            InputProblem::Scope(error) => write!(f, "{error}"),
            InputProblem::PrincipalType(error) => write!(f, "{error}"),
            InputProblem::Role(error) => f.write_str(&error.message()),
            InputProblem::Condition(summary) => f.write_str(summary),
            InputProblem::ConditionVersion(version) => write!(
                f,
                "condition version `{version}` is not supported; only 2.0 is"
            ),
            InputProblem::AssignmentType(kind) => {
                write!(f, "`{kind}` is not an assignment type (Active or Eligible)")
            }
            InputProblem::ExcludesEveryone => {
                f.write_str("`excludePrincipals` cannot name all principals (the zero GUID)")
            }
            InputProblem::NotAManagementGroup(scope) => {
                write!(f, "`{scope}` is not a management group")
            }
            InputProblem::NotAServiceGroup(scope) => write!(
                f,
                "`{scope}` is not a service group: a service group sits only under another"
            ),
            InputProblem::NotAServiceGroupChild(scope) => write!(
                f,
                "`{scope}` cannot sit under a service group: a service group passes roles only \
                 to child service groups, never to its member subscriptions, resource groups or \
                 resources"
            ),
            InputProblem::NotAGroupChild(scope) => write!(
                f,
                "`{scope}` cannot sit under a management group: only management groups and \
                 subscriptions do"
            ),
            InputProblem::IdScopeMismatch { id_scope, scope } => write!(
                f,
                "the id names scope `{id_scope}` but `scope` is `{scope}`; which one Azure \
                 holds is not known"
            ),
            InputProblem::RoleDefinitionId(error) => write!(f, "{error}"),
            InputProblem::TwoParents {
                child,
                first,
                second,
            } => write!(f, "`{child}` is under both `{first}` and `{second}`"),
            InputProblem::Cycle(start) => {
                write!(f, "management groups form a cycle through `{start}`")
            }
            InputProblem::TooDeep(start) => write!(
                f,
                "management groups above `{start}` nest deeper than {MAX_GROUP_DEPTH} levels"
            ),
            InputProblem::TooMany => f.write_str("too many assignments"),
            InputProblem::Request(problem) => write!(f, "{problem}"),
            InputProblem::RoleGivenTwice {
                id,
                first,
                difference,
            } => write!(
                f,
                "role {id} is also given at {first}, differently ({difference}); give one \
                 definition"
            ),
            InputProblem::BuiltInConditionLost { role, block } => write!(
                f,
                "the built-in role {role} has a condition in permission block {block} that this \
                 definition lacks; without it the role would grant what Azure does not"
            ),
            InputProblem::Contradiction(what) => write!(f, "contradictory markings: {what}"),
            InputProblem::Incomplete(what) => write!(f, "incomplete export: {what}"),
            InputProblem::AmbiguousPrincipal { name, candidates } => write!(
                f,
                "`{name}` names {} principals: {}; give the object id or the user principal \
                 name",
                candidates.len(),
                candidates.join("; ")
            ),
            InputProblem::UnknownPrincipalKey(key) => write!(
                f,
                "unknown key `{key}`; a principal entry has `displayName`, \
                 `userPrincipalName` and `type`"
            ),
            InputProblem::KeysDifferInCase { first, second } => write!(
                f,
                "keys `{first}` and `{second}` differ only in case, and Azure reads keys \
                 ignoring case: give one"
            ),
            InputProblem::KindNotSettled { keys } => write!(
                f,
                "the item has keys only PIM items have ({}) but no `id` or `type` to say which \
                 kind it is, and a PIM schedule grants differently from a role assignment; \
                 export the items whole, with `id` and `type` (the ARM REST response, or \
                 `Get-AzRoleAssignmentScheduleInstance`), not only their `properties` (`az rest \
                 --query value[].properties` drops them)",
                keys.iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            InputProblem::OutsideProperties { key, properties } => write!(
                f,
                "`{key}` beside `{properties}`: an ARM resource's fields are read from \
                 `{properties}`, so this one would be passed over; give it inside `{properties}`"
            ),
            InputProblem::NotAnAssignment(kind) => write!(
                f,
                "`{kind}` is not a role assignment: a list of role assignments holds \
                 `Microsoft.Authorization/roleAssignments` and PIM's schedules and instances \
                 (`roleAssignmentScheduleInstances`, `roleEligibilityScheduleInstances`, …)"
            ),
            InputProblem::CopiesDiffer { kind, id, first } => write!(
                f,
                "the {kind} {id} is also given at {first}, differently; which one Azure holds is \
                 not known: give one"
            ),
            InputProblem::DataActionsAtManagementGroup { role } => write!(
                f,
                "assigns the custom role `{role}`, which has data actions, at a management group: \
                 Azure assigns no such role there, so the export is not what Azure holds"
            ),
            InputProblem::RoleNameTaken { name, other } => write!(
                f,
                "the role name `{name}` is also {other}: Azure keeps role names unique in a \
                 tenant, so one of the two is not what Azure has"
            ),
            InputProblem::ScheduleRequest => f.write_str(
                "a PIM schedule request asks for a change and grants nothing; give the \
                 schedules or schedule instances (roleAssignmentScheduleInstances, \
                 roleEligibilityScheduleInstances)",
            ),
            InputProblem::Time(why) => write!(f, "not a time azabac reads: {why}"),
            InputProblem::DenyEffect(effect) => write!(
                f,
                "`{effect}` is not a deny assignment effect (enforced or audit)"
            ),
            InputProblem::WrongPlane { action, field } => {
                let plane = if *field == "dataAction" {
                    "a data action"
                } else {
                    "a control-plane action"
                };
                write!(f, "`{action}` is {plane}: give it as `{field}`")
            }
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at {}: {}", self.path, self.problem)
    }
}

impl std::error::Error for InputError {}
