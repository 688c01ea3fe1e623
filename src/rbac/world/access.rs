//! What a decision is asked: an [`AccessRequest`] (who, where, and the evaluation request),
//! read from its JSON; and the `roleAssignments/write` request Azure makes for a delegation.

use serde_json::Value;
use uuid::Uuid;

use crate::catalog::Catalog;
use crate::eval::Request;
use crate::rbac::assignment::ALL_PRINCIPALS;
use crate::rbac::{DenyAssignment, InputError, InputProblem, PrincipalNames, PrincipalType, Scope};
use crate::syntax::AttributeSource;

/// A request to decide: who, where, and the evaluation request (action, attributes).
#[derive(Clone, Debug)]
pub struct AccessRequest {
    /// The caller.
    pub principal_id: Uuid,
    /// The caller's type, when known.
    pub principal_type: Option<PrincipalType>,
    /// The caller's groups, transitively.
    pub group_ids: Vec<Uuid>,
    /// The scope acted on.
    pub scope: Scope,
    /// The action (or data action), suboperations and attributes.
    pub request: Request,
}

impl AccessRequest {
    /// Reads the JSON form: the evaluation request of `azabac eval` plus `principalId`,
    /// `principalType`, `groupIds` and `scope`, principals by GUID.
    pub fn from_value(value: &Value, catalog: &Catalog) -> Result<AccessRequest, InputError> {
        AccessRequest::from_value_named(value, catalog, &PrincipalNames::default())
    }

    /// [`AccessRequest::from_value`], with principals also by the names of `names`.
    pub fn from_value_named(
        value: &Value,
        catalog: &Catalog,
        names: &PrincipalNames,
    ) -> Result<AccessRequest, InputError> {
        let Value::Object(object) = value else {
            return Err(InputError::expected("$", "an object", value));
        };
        // Fields match ignoring ASCII case ([decision R14](crate::spec::decisions#decision-r14));
        // two spellings of one are an error, never one silently taken.
        if let Some((first, second)) = crate::keys::repeated(object.keys().map(String::as_str)) {
            return Err(InputError::new(
                "$",
                InputProblem::keys_differ(first, second),
            ));
        }
        let mut rest = object.clone();
        let mut take = |name: &str| {
            let key = rest
                .keys()
                .find(|k| k.eq_ignore_ascii_case(name))
                .cloned()?;
            rest.remove(&key)
        };
        let mut take_string = |name: &str| -> Result<Option<String>, InputError> {
            match take(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s)),
                Some(other) => Err(InputError::expected(
                    &format!("$.{name}"),
                    "a string",
                    &other,
                )),
            }
        };
        let principal =
            take_string("principalId")?.ok_or_else(|| InputError::missing("$", "principalId"))?;
        let principal_id = names.resolve(&principal, "$.principalId")?;
        let principal_type = take_string("principalType")?
            .map(|t| PrincipalType::parse(&t))
            .transpose()
            .map_err(|e| InputError::new("$.principalType", InputProblem::PrincipalType(e)))?;
        let scope_text = take_string("scope")?.ok_or_else(|| InputError::missing("$", "scope"))?;
        let scope = Scope::parse_request(&scope_text)
            .map_err(|e| InputError::new("$.scope", InputProblem::Scope(e)))?;
        let group_ids = match take("groupIds") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let path = format!("$.groupIds[{i}]");
                    match item {
                        Value::String(s) => names.resolve(s, &path),
                        other => Err(InputError::expected(&path, "a GUID string", other)),
                    }
                })
                .collect::<Result<_, _>>()?,
            Some(other) => {
                return Err(InputError::expected(
                    "$.groupIds",
                    "an array of GUIDs",
                    &other,
                ));
            }
        };
        if !rest
            .keys()
            .any(|k| k.eq_ignore_ascii_case("action") || k.eq_ignore_ascii_case("dataAction"))
        {
            return Err(InputError::new(
                "$",
                InputProblem::Missing {
                    field: "action",
                    or: Some("`dataAction`"),
                },
            ));
        }
        let request = Request::from_value(&Value::Object(rest), catalog)
            .map_err(|e| InputError::new(&e.path, InputProblem::Request(e.problem)))?;
        // A catalogue action in the other plane's field is a mistake, not a request Azure makes
        // (decision R12 decides by the field, so it would silently deny or grant by the plane
        // the user did not mean).
        if let Some(known) = catalog.action(request.action())
            && known.data_action != request.is_data_action()
        {
            let (field, other) = if known.data_action {
                ("dataAction", "action")
            } else {
                ("action", "dataAction")
            };
            return Err(InputError::new(
                &format!("$.{other}"),
                InputProblem::WrongPlane {
                    action: request.action().to_owned(),
                    field,
                },
            ));
        }
        Ok(AccessRequest {
            principal_id,
            principal_type,
            group_ids,
            scope,
            request,
        })
    }

    /// Whether `id` is the caller or one of its groups.
    fn is_caller(&self, id: &Uuid) -> bool {
        *id == self.principal_id || self.group_ids.contains(id)
    }

    /// Whether the deny assignment `deny` names the caller (directly, by a group, or as
    /// everyone) and does not exclude it.
    pub(super) fn named_by(&self, deny: &DenyAssignment) -> bool {
        deny.principals
            .iter()
            .any(|p| *p == ALL_PRINCIPALS || self.is_caller(p))
            && !deny.exclude_principals.iter().any(|p| self.is_caller(p))
    }
}

/// The evaluation request of `Microsoft.Authorization/roleAssignments/write` that assigns the role
/// `role` to the principal `to` of type `kind`, with the request attributes Azure fills from the
/// assignment's body ([RBAC.md §1.6](crate::spec::rbac#section-1-6)); what is not given is left
/// out, as a client that omits it leaves it out.
pub fn assignment_write_request(
    role: Option<Uuid>,
    to: Option<Uuid>,
    kind: Option<PrincipalType>,
) -> Request {
    const PREFIX: &str = "Microsoft.Authorization/roleAssignments";
    let mut request = Request::new(format!("{PREFIX}/write"));
    let guid = |id: Uuid| crate::eval::Value::Guid(id.as_u128());
    if let Some(role) = role {
        request = request.with(
            AttributeSource::Request,
            &format!("{PREFIX}:RoleDefinitionId"),
            guid(role),
        );
    }
    if let Some(to) = to {
        request = request.with(
            AttributeSource::Request,
            &format!("{PREFIX}:PrincipalId"),
            guid(to),
        );
    }
    if let Some(kind) = kind {
        request = request.with(
            AttributeSource::Request,
            &format!("{PREFIX}:PrincipalType"),
            crate::eval::Value::string(kind.as_str()),
        );
    }
    request
}
