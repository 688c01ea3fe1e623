//! Scopes in the world: [`Scope`] is read by the one grammar of ids (`crate::id`); above it
//! sit the hierarchy's management and service groups, which [`Scope::ancestors`] climbs.

use super::Hierarchy;
pub(crate) use crate::id::scope::{MANAGEMENT_GROUPS, Segments, parent_segments};
pub use crate::id::scope::{Scope, ScopeError};

impl Scope {
    /// This scope and everything above it, nearest first, ending with `/`. Subscriptions and
    /// management groups sit under the management groups `hierarchy` gives them.
    pub fn ancestors(&self, hierarchy: &Hierarchy) -> Vec<Scope> {
        let mut chain = vec![self.clone()];
        let mut current = self.clone();
        loop {
            let next = match hierarchy.parent_of(&current) {
                Some(group) => Some(group.clone()),
                None => current.parent(),
            };
            match next {
                Some(next) if chain.len() <= 64 && !chain.contains(&next) => {
                    chain.push(next.clone());
                    current = next;
                }
                _ => break,
            }
        }
        if !chain.last().is_some_and(Scope::is_root) {
            chain.push(Scope::root());
        }
        chain
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUB: &str = "00000000-0000-0000-0000-0000000000aa";

    fn scope(text: &str) -> Scope {
        Scope::parse(text).unwrap()
    }

    #[test]
    fn ancestors_climb_resources_groups_subscriptions_and_management_groups() {
        let blob = scope(&format!(
            "/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acc/blobServices/default/containers/c"
        ));
        let chain: Vec<String> = blob
            .ancestors(&Hierarchy::default())
            .iter()
            .map(ToString::to_string)
            .collect();
        let sub = format!("/subscriptions/{SUB}");
        assert_eq!(
            chain,
            [
                format!(
                    "{sub}/resourcegroups/rg/providers/microsoft.storage/storageaccounts/acc/blobservices/default/containers/c"
                ),
                format!(
                    "{sub}/resourcegroups/rg/providers/microsoft.storage/storageaccounts/acc/blobservices/default"
                ),
                format!("{sub}/resourcegroups/rg/providers/microsoft.storage/storageaccounts/acc"),
                format!("{sub}/resourcegroups/rg"),
                sub.clone(),
                "/".to_owned(),
            ]
        );
        let tree = serde_json::json!({
            "id": "/providers/Microsoft.Management/managementGroups/root",
            "children": [{"id": "/providers/Microsoft.Management/managementGroups/platform",
                          "children": [{"id": sub}]}]
        });
        let hierarchy = Hierarchy::from_value(&tree).unwrap();
        let chain = scope(&format!("{sub}/resourceGroups/rg")).ancestors(&hierarchy);
        assert_eq!(
            chain.iter().map(Scope::as_str).collect::<Vec<_>>(),
            [
                format!("{sub}/resourcegroups/rg").as_str(),
                sub.as_str(),
                "/providers/microsoft.management/managementgroups/platform",
                "/providers/microsoft.management/managementgroups/root",
                "/",
            ]
        );
        let flat = serde_json::json!({"parents": {"s": "platform", "platform": "root"}});
        assert_eq!(
            Hierarchy::from_value(&flat)
                .unwrap()
                .parent_of(&scope(&sub)),
            None,
            "`s` is not a GUID, so it names a management group"
        );
    }

    #[test]
    fn rejects_cycles() {
        let flat = serde_json::json!({"parents": {"a": "b", "b": "a"}});
        assert!(Hierarchy::from_value(&flat).is_err());
    }
}
