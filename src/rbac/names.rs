//! Names that input may give principals in place of GUIDs. `az` and ARM print GUIDs; a test
//! suite (`principals`) lets people write `alice` instead, and the readers of assignments,
//! deny assignments and access requests resolve such names here, where they read the field,
//! instead of anyone rewriting their JSON beforehand.

use std::collections::HashMap;

use uuid::Uuid;

use super::{InputError, InputProblem};

/// Principal names and the GUIDs they stand for. Empty, it accepts GUIDs only.
///
/// ```
/// use azabac::rbac::PrincipalNames;
/// let mut names = PrincipalNames::new("a name in `principals`");
/// names.insert("alice", "a11ce000-0000-0000-0000-000000000001".parse().unwrap());
/// assert_eq!(names.get("alice").unwrap().to_string(), "a11ce000-0000-0000-0000-000000000001");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PrincipalNames {
    by_name: HashMap<String, Uuid>,
    /// What a name would have to be, for errors: "a name in `principals`".
    described_as: String,
}

impl PrincipalNames {
    /// No names yet; `described_as` says in errors where a name would be looked up.
    pub fn new(described_as: impl Into<String>) -> PrincipalNames {
        PrincipalNames {
            by_name: HashMap::new(),
            described_as: described_as.into(),
        }
    }

    /// Adds a name (exact, case-sensitive) for `id`; a later name replaces an earlier one.
    pub fn insert(&mut self, name: impl Into<String>, id: Uuid) {
        self.by_name.insert(name.into(), id);
    }

    /// The GUID a name stands for.
    pub fn get(&self, name: &str) -> Option<Uuid> {
        self.by_name.get(name).copied()
    }

    /// A principal field's value: a GUID (principal ids are bare GUIDs wherever Azure prints
    /// them), else a known name; anything else is an error at `path`.
    pub(crate) fn resolve(&self, text: &str, path: &str) -> Result<Uuid, InputError> {
        if let Ok(id) = Uuid::parse_str(text.trim()) {
            return Ok(id);
        }
        self.get(text).ok_or_else(|| {
            InputError::new(
                path,
                InputProblem::NotAGuid {
                    text: text.to_owned(),
                    ending: false,
                    names: (!self.described_as.is_empty()).then(|| self.described_as.clone()),
                },
            )
        })
    }
}
