//! PIM ([decision R11](crate::spec::decisions#decision-r11)): when an assignment grants, by its
//! kind (a role assignment, an eligibility schedule or instance, an assignment schedule or
//! instance, a schedule request), its markings and its window.

use super::item::{At, Field, Item, Key, PIM_ONLY};
use super::{InputError, InputProblem};
use crate::eval::Ticks;

/// When an assignment grants ([decision R11](crate::spec::decisions#decision-r11)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grant {
    /// Always: a plain role assignment.
    Always,
    /// Not until activated: a PIM eligibility (schedule, instance, or a marked assignment).
    Eligible,
    /// Only from `start` until `end` (each open when absent): a PIM assignment schedule or
    /// schedule instance, `Assigned` or `Activated`, with status `Provisioned`.
    During {
        /// The first instant it grants.
        start: Option<Ticks>,
        /// The first instant it no longer grants.
        end: Option<Ticks>,
    },
    /// Never: a PIM assignment schedule whose status is not `Provisioned`.
    NotProvisioned,
}

impl Grant {
    /// Whether it grants at `now`.
    pub fn active_at(self, now: Ticks) -> bool {
        match self {
            Grant::Always => true,
            Grant::Eligible | Grant::NotProvisioned => false,
            Grant::During { start, end } => {
                start.is_none_or(|start| start <= now) && end.is_none_or(|end| now < end)
            }
        }
    }
}

/// What kind of resource an assignment item is, by its `type` or its id
/// ([decision R11](crate::spec::decisions#decision-r11)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// `roleAssignments`, or an item that does not say.
    Assignment,
    /// `roleEligibilitySchedules` or `roleEligibilityScheduleInstances`.
    Eligibility,
    /// `roleAssignmentSchedules` or `roleAssignmentScheduleInstances`.
    Schedule,
    /// `…ScheduleRequests`: a request to change a schedule, not a grant.
    Request,
}

/// The kind of the item with `type` (if given) and `id`: the resource type of `type`
/// (`Microsoft.Authorization/{type}`) and of an id that is a path
/// (`{scope}/providers/Microsoft.Authorization/{type}/{name}`, read by the grammar already, one
/// trailing `/` stripped); when both are given they must name one kind. An item with neither is
/// a role assignment.
fn kind_of(type_given: Option<&str>, id: Option<&str>) -> Result<Kind, KindError> {
    let from_type = match type_given {
        Some(text) => Some(
            text.split_once('/')
                .filter(|(namespace, _)| namespace.eq_ignore_ascii_case(NAMESPACE))
                .and_then(|(_, resource)| kind_named(resource))
                .ok_or_else(|| KindError::Type(text.to_owned()))?,
        ),
        None => None,
    };
    let from_id = match id {
        Some(id) => {
            let resource = id.rsplit('/').nth(1).unwrap_or_default();
            Some(kind_named(resource).ok_or_else(|| KindError::Id(resource.to_owned()))?)
        }
        None => None,
    };
    match (from_type, from_id) {
        (Some(a), Some(b)) if a != b => Err(KindError::Disagree),
        (Some(kind), _) | (None, Some(kind)) => Ok(kind),
        (None, None) => Ok(Kind::Assignment),
    }
}

/// Why an item's kind cannot be read.
enum KindError {
    /// Its `type` names a resource type that is no assignment (written as given).
    Type(String),
    /// Its id names a resource type that is no assignment.
    Id(String),
    /// Its `type` and its id name different kinds.
    Disagree,
}

/// The kind a resource type of `Microsoft.Authorization` (any case) names, if any.
fn kind_named(resource: &str) -> Option<Kind> {
    let is = |names: &[&str]| names.iter().any(|n| n.eq_ignore_ascii_case(resource));
    if is(&["roleAssignments"]) {
        Some(Kind::Assignment)
    } else if is(&[
        "roleEligibilityScheduleRequests",
        "roleAssignmentScheduleRequests",
    ]) {
        Some(Kind::Request)
    } else if is(&[
        "roleEligibilitySchedules",
        "roleEligibilityScheduleInstances",
    ]) {
        Some(Kind::Eligibility)
    } else if is(&["roleAssignmentSchedules", "roleAssignmentScheduleInstances"]) {
        Some(Kind::Schedule)
    } else {
        None
    }
}

/// The keys of a PIM schedule's window, which a role assignment does not have.
const SCHEDULE_ONLY: [Key; 3] = [Key::Status, Key::StartDateTime, Key::EndDateTime];

/// The keys of `keys` that `item` holds (not `null`), at its top or in its `properties`, as
/// written.
fn written(item: &Item<'_>, keys: &[Key]) -> Vec<String> {
    let objects = match &item.properties {
        Some(_) => [Some(&item.top), Some(&item.properties_fields)],
        None => [Some(&item.top), None],
    };
    let mut found = Vec::new();
    for fields in objects.into_iter().flatten() {
        for key in keys {
            if let Some((written, field)) = fields.get(*key)
                && !matches!(field, Field::Null)
            {
                found.push(written.to_owned());
            }
        }
    }
    found
}

/// The namespace of role assignments and PIM's resources.
const NAMESPACE: &str = "Microsoft.Authorization";

/// When the assignment `item` (at `at`, with `id` when it has one the grammar of ids read: a
/// `name` or a label never says the kind) grants: by its kind, `eligible`, `assignmentType`,
/// `status` and `startDateTime`/`endDateTime`; markings that contradict each other or the kind
/// are an error, and so is a schedule request.
pub(crate) fn grant(item: &Item<'_>, at: At<'_>, id: Option<&str>) -> Result<Grant, InputError> {
    let body = item.body();
    let base = item.body_base(at);
    let type_given = item.top.string(Key::Type, item.top_base(at))?;
    // Keys only PIM items have: without an `id` or `type` that says the kind, an item holding
    // one is not read as a plain role assignment ([decision R20](crate::spec::decisions#decision-r20)).
    if type_given.is_none() && id.is_none() {
        let pim = written(item, &PIM_ONLY);
        if !pim.is_empty() {
            return Err(InputError::new(
                &base.to_string(),
                InputProblem::KindNotSettled { keys: pim },
            ));
        }
    }
    let id_path = || match item.top.get(Key::Id) {
        Some(_) => item.top.path(Key::Id, item.top_base(at)),
        None => body.path(Key::RoleAssignmentId, base),
    };
    let kind = kind_of(type_given, id).map_err(|error| match error {
        KindError::Type(other) => InputError::new(
            &item.top.path(Key::Type, item.top_base(at)),
            InputProblem::NotAnAssignment(other),
        ),
        KindError::Id(other) => InputError::new(&id_path(), InputProblem::NotAnAssignment(other)),
        KindError::Disagree => InputError::new(
            &base.to_string(),
            InputProblem::Contradiction(format!(
                "`type` `{}` and the id's resource type (`{}`) name different kinds",
                type_given.unwrap_or_default(),
                id.unwrap_or_default()
            )),
        ),
    })?;
    if kind == Kind::Assignment {
        // A role assignment has no window: a schedule's `status` or times on one contradict
        // its kind, whichever of them would be read.
        let window = written(item, &SCHEDULE_ONLY);
        if !window.is_empty() {
            return Err(InputError::new(
                &base.to_string(),
                InputProblem::Contradiction(format!(
                    "a role assignment (by its `type` or id) with a PIM schedule's {}",
                    window
                        .iter()
                        .map(|key| format!("`{key}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            ));
        }
        if body.get(Key::Eligible).is_none() && body.get(Key::AssignmentType).is_none() {
            // The common case: a plain role assignment.
            return Ok(Grant::Always);
        }
    }
    let eligible = body.boolean(Key::Eligible, base)?;
    let assignment_type = body.string(Key::AssignmentType, base)?;
    let typed = match assignment_type {
        None => None,
        Some(text) => Some(match text.to_ascii_lowercase().as_str() {
            "eligible" => true,
            "active" | "assigned" | "activated" => false,
            _ => {
                return Err(InputError::new(
                    &body.path(Key::AssignmentType, base),
                    InputProblem::AssignmentType(text.to_owned()),
                ));
            }
        }),
    };
    let contradiction = |what: String| {
        Err(InputError::new(
            &base.to_string(),
            InputProblem::Contradiction(what),
        ))
    };
    if let (Some(a), Some(b)) = (eligible, typed)
        && a != b
    {
        return contradiction(format!(
            "`eligible: {a}` and `assignmentType` `{}` disagree",
            assignment_type.unwrap_or_default()
        ));
    }
    let marked_eligible = eligible.or(typed);
    match kind {
        Kind::Request => Err(InputError::new(
            &base.to_string(),
            InputProblem::ScheduleRequest,
        )),
        Kind::Eligibility if marked_eligible == Some(false) => {
            contradiction("a PIM eligibility marked as an active assignment".into())
        }
        Kind::Eligibility => Ok(Grant::Eligible),
        Kind::Schedule if marked_eligible == Some(true) => {
            contradiction("a PIM assignment schedule marked eligible".into())
        }
        Kind::Schedule => {
            let provisioned = match body.string(Key::Status, base)? {
                None => {
                    return Err(InputError::missing(&base.to_string(), "status"));
                }
                Some(status) => status.eq_ignore_ascii_case("provisioned"),
            };
            if !provisioned {
                return Ok(Grant::NotProvisioned);
            }
            let instant = |key: Key| -> Result<Option<Ticks>, InputError> {
                match body.string(key, base)? {
                    None => Ok(None),
                    Some(text) => Ticks::parse_instant(text).map(Some).map_err(|e| {
                        InputError::new(&body.path(key, base), InputProblem::Time(e.to_string()))
                    }),
                }
            };
            Ok(Grant::During {
                start: instant(Key::StartDateTime)?,
                end: instant(Key::EndDateTime)?,
            })
        }
        Kind::Assignment if marked_eligible == Some(true) => Ok(Grant::Eligible),
        Kind::Assignment => Ok(Grant::Always),
    }
}
