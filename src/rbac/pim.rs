//! PIM ([decision R11](crate::spec::decisions#decision-r11)): when an assignment grants, by its
//! kind (a role assignment, an eligibility schedule or instance, an assignment schedule or
//! instance, a schedule request), its markings and its window.

use super::fields::{Fields, key_of};
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

/// The keys only PIM items have ([decision R20](crate::spec::decisions#decision-r20)).
const PIM_ONLY: [&str; 7] = [
    "roleEligibilityScheduleId",
    "linkedRoleEligibilityScheduleId",
    "assignmentType",
    "memberType",
    "status",
    "startDateTime",
    "endDateTime",
];

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

/// The kind of the item with `type` (if given) and `id`.
fn kind_of(kind: Option<&str>, id: &str) -> Kind {
    let text = kind
        .map(str::to_ascii_lowercase)
        .or_else(|| {
            let lower = id.to_ascii_lowercase();
            let at = lower.rfind("/providers/microsoft.authorization/")?;
            lower.get(at + "/providers/".len()..).map(str::to_owned)
        })
        .unwrap_or_default();
    let resource = text
        .strip_prefix("microsoft.authorization/")
        .unwrap_or(&text)
        .split('/')
        .next()
        .unwrap_or_default();
    match resource {
        "roleeligibilityschedulerequests" | "roleassignmentschedulerequests" => Kind::Request,
        "roleeligibilityschedules" | "roleeligibilityscheduleinstances" => Kind::Eligibility,
        "roleassignmentschedules" | "roleassignmentscheduleinstances" => Kind::Schedule,
        _ => Kind::Assignment,
    }
}

/// When the assignment item read by `fields` grants: by its kind, `eligible`,
/// `assignmentType`, `status` and `startDateTime`/`endDateTime`; markings that contradict each
/// other are an error, and so is a schedule request.
pub(crate) fn grant(fields: &Fields<'_>, id: &str) -> Result<Grant, InputError> {
    let type_given = key_of(fields.top, "type").and_then(|(_, v)| v.as_str());
    // Keys only PIM items have: without an `id` or `type` that says the kind, an item holding
    // one is not read as a plain role assignment ([decision R20](crate::spec::decisions#decision-r20)).
    if type_given.is_none() && !id.starts_with('/') {
        let objects = if std::ptr::eq(fields.top, fields.body) {
            vec![fields.top]
        } else {
            vec![fields.top, fields.body]
        };
        let pim: Vec<String> = objects
            .iter()
            .flat_map(|object| object.keys())
            .filter(|key| PIM_ONLY.iter().any(|k| key.eq_ignore_ascii_case(k)))
            .cloned()
            .collect();
        if !pim.is_empty() {
            return Err(InputError::new(
                &fields.body_path,
                InputProblem::KindNotSettled { keys: pim },
            ));
        }
    }
    let kind = kind_of(type_given, id);
    let eligible = fields.bool("eligible")?;
    let assignment_type = fields.string("assignmentType")?;
    let typed = match &assignment_type {
        None => None,
        Some((text, path)) => Some(match text.to_ascii_lowercase().as_str() {
            "eligible" => true,
            "active" | "assigned" | "activated" => false,
            _ => {
                return Err(InputError::new(
                    path,
                    InputProblem::AssignmentType((*text).to_owned()),
                ));
            }
        }),
    };
    let contradiction = |what: String| {
        Err(InputError::new(
            &fields.body_path,
            InputProblem::Contradiction(what),
        ))
    };
    if let (Some(a), Some(b)) = (eligible, typed)
        && a != b
    {
        return contradiction(format!(
            "`eligible: {a}` and `assignmentType` `{}` disagree",
            assignment_type.as_ref().map_or("", |(t, _)| t)
        ));
    }
    let marked_eligible = eligible.or(typed);
    match kind {
        Kind::Request => Err(InputError::new(
            &fields.body_path,
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
            let provisioned = match fields.string("status")? {
                None => {
                    return Err(InputError::missing(&fields.body_path, "status"));
                }
                Some((status, _)) => status.eq_ignore_ascii_case("provisioned"),
            };
            if !provisioned {
                return Ok(Grant::NotProvisioned);
            }
            let instant = |name: &'static str| -> Result<Option<Ticks>, InputError> {
                match fields.string(name)? {
                    None => Ok(None),
                    Some((text, path)) => Ticks::parse_instant(text)
                        .map(Some)
                        .map_err(|e| InputError::new(&path, InputProblem::Time(e.to_string()))),
                }
            };
            Ok(Grant::During {
                start: instant("startDateTime")?,
                end: instant("endDateTime")?,
            })
        }
        Kind::Assignment if marked_eligible == Some(true) => Ok(Grant::Eligible),
        Kind::Assignment => Ok(Grant::Always),
    }
}
