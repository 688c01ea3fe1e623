//! Building a [`Catalog`]: catalogue files merged by name (a later entry replaces an earlier
//! one), then compiled into lookup tables and per-source operation sets, every entry checked.

use super::{
    ActionEntry, ActionInfo, AttributeEntry, AttributeInfo, Availability, Bypass, BypassEntry,
    Catalog, CatalogError, CatalogFile, Form, Operation, SourceInfo, SuboperationEntry,
    SuboperationInfo,
};
use super::{ActionPattern, OpSet};
use crate::syntax::{AttributeName, AttributeSource, Operator};
use rustc_hash::FxHashMap;

/// Catalogue files merged by name, before compiling.
#[derive(Default)]
pub(super) struct Merged {
    actions: Vec<ActionEntry>,
    suboperations: Vec<SuboperationEntry>,
    attributes: Vec<AttributeEntry>,
    bypasses: Vec<BypassEntry>,
}

impl Merged {
    pub(super) fn add(&mut self, file: &CatalogFile) -> Result<(), CatalogError> {
        for action in &file.actions {
            match self
                .actions
                .iter_mut()
                .find(|a| a.name.eq_ignore_ascii_case(&action.name))
            {
                Some(existing) => {
                    let mut suboperations = std::mem::take(&mut existing.suboperations);
                    *existing = action.clone();
                    for sub in suboperations.drain(..) {
                        if !existing
                            .suboperations
                            .iter()
                            .any(|s| s.eq_ignore_ascii_case(&sub))
                        {
                            existing.suboperations.push(sub);
                        }
                    }
                }
                None => self.actions.push(action.clone()),
            }
        }
        for sub in &file.suboperations {
            match self
                .suboperations
                .iter_mut()
                .find(|s| s.name.eq_ignore_ascii_case(&sub.name))
            {
                Some(existing) => *existing = sub.clone(),
                None => self.suboperations.push(sub.clone()),
            }
        }
        for attribute in &file.attributes {
            validate_attribute(attribute)?;
            match self
                .attributes
                .iter_mut()
                .find(|a| a.form == attribute.form && a.name.eq_ignore_ascii_case(&attribute.name))
            {
                Some(existing) => *existing = attribute.clone(),
                None => self.attributes.push(attribute.clone()),
            }
        }
        self.bypasses.extend(file.bypasses.iter().cloned());
        Ok(())
    }

    pub(super) fn compile(self) -> Result<Catalog, CatalogError> {
        let actions: Vec<ActionInfo> = self
            .actions
            .iter()
            .map(|a| ActionInfo {
                name: a.name.clone(),
                display_name: a.display_name.clone(),
                data_action: a.data_action,
                status: a.status,
                caveat: a.caveat.clone(),
            })
            .collect();
        let suboperations: Vec<SuboperationInfo> = self
            .suboperations
            .iter()
            .map(|s| SuboperationInfo {
                name: s.name.clone(),
                display_name: s.display_name.clone(),
                status: s.status,
                replacement: s.replacement.clone(),
            })
            .collect();
        let sub_index = |name: &str| {
            suboperations
                .iter()
                .position(|s| s.name.eq_ignore_ascii_case(name))
                .ok_or_else(|| CatalogError::UnknownSuboperation(name.to_owned()))
        };
        let mut operations = Vec::new();
        for (index, action) in self.actions.iter().enumerate() {
            operations.push(Operation {
                action: index,
                suboperation: None,
            });
            let mut subs = Vec::new();
            for name in &action.suboperations {
                subs.push(
                    sub_index(name)
                        .map_err(|e| CatalogError::entry(format!("action `{}`", action.name), e))?,
                );
            }
            for (s, sub) in self.suboperations.iter().enumerate() {
                if sub
                    .actions
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case(&action.name))
                {
                    subs.push(s);
                }
            }
            subs.sort_unstable();
            subs.dedup();
            operations.extend(subs.into_iter().map(|s| Operation {
                action: index,
                suboperation: Some(s),
            }));
        }
        let mut catalog = Catalog {
            actions,
            suboperations,
            operations,
            attributes: Vec::new(),
            bypasses: self
                .bypasses
                .into_iter()
                .map(|b| Bypass {
                    action: b.action,
                    performs: b.performs.into_iter().map(ActionPattern::new).collect(),
                    why: b.why,
                })
                .collect(),
            index: Default::default(),
            action_index: FxHashMap::default(),
        };
        catalog.action_index = catalog
            .actions
            .iter()
            .enumerate()
            .map(|(index, action)| (action.name.to_ascii_lowercase(), index))
            .collect();
        for entry in self.attributes {
            let info = catalog.compile_attribute(entry)?;
            let key = info.entry.name.to_ascii_lowercase().into();
            if let Some(map) = catalog.index.get_mut(info.entry.form as usize) {
                map.insert(key, catalog.attributes.len());
            }
            catalog.attributes.push(info);
        }
        Ok(catalog)
    }
}

impl Catalog {
    fn compile_attribute(&self, entry: AttributeEntry) -> Result<AttributeInfo, CatalogError> {
        let context =
            |message: String| CatalogError::entry(format!("attribute `{}`", entry.name), message);
        let mut sources = Vec::new();
        for (name, availability) in &entry.sources {
            let source = AttributeSource::from_name(name).ok_or_else(|| {
                context(format!(
                    "unknown source `{name}` (expected Request, Resource, Principal or Environment)"
                ))
            })?;
            let mut operations = self.no_operations();
            for item in availability {
                let set = self.available(item).map_err(|e| context(e.to_string()))?;
                operations = operations.union(&set);
            }
            let always = entry
                .always_supplied
                .iter()
                .any(|always| always.eq_ignore_ascii_case(name));
            sources.push(SourceInfo {
                source,
                operations,
                always,
            });
        }
        if let Some(unknown) = entry
            .always_supplied
            .iter()
            .find(|always| !entry.sources.keys().any(|s| s.eq_ignore_ascii_case(always)))
        {
            return Err(context(format!(
                "`alwaysSupplied` names `{unknown}`, which is not one of its sources"
            )));
        }
        let operators = entry
            .operators
            .iter()
            .map(|name| {
                Operator::from_name(name)
                    .ok_or_else(|| context(format!("unknown operator `{name}`")))
            })
            .collect::<Result<_, _>>()?;
        Ok(AttributeInfo {
            entry,
            sources,
            operators,
        })
    }

    fn available(&self, item: &Availability) -> Result<OpSet, CatalogError> {
        let (action, only, except) = match item {
            Availability::Action(action) => (action, None, &[][..]),
            Availability::Narrowed(n) => (
                &n.action,
                n.suboperations.as_deref(),
                n.except_suboperations.as_slice(),
            ),
        };
        let resolve = |names: &[String]| {
            names
                .iter()
                .map(|name| {
                    self.suboperation_index(name)
                        .ok_or_else(|| CatalogError::UnknownSuboperation(name.to_owned()))
                })
                .collect::<Result<Vec<_>, _>>()
        };
        let only = only.map(resolve).transpose()?;
        let except = resolve(except)?;
        let actions = self.operations_of(&ActionPattern::new(action.as_str()));
        Ok(self.operations_where(|index, op| {
            actions.contains(index)
                && only
                    .as_ref()
                    .is_none_or(|only| op.suboperation.is_some_and(|s| only.contains(&s)))
                && op.suboperation.is_none_or(|s| !except.contains(&s))
        }))
    }
}

fn validate_attribute(entry: &AttributeEntry) -> Result<(), CatalogError> {
    let fail = |message: &str| {
        Err(CatalogError::entry(
            format!("attribute `{}`", entry.name),
            message,
        ))
    };
    if entry.name.trim().is_empty() {
        return fail("the name is empty");
    }
    if entry.form != Form::Exact && entry.name.contains(':') {
        return fail("a keyed, keySet or family entry is named by its path, without `:`");
    }
    if entry.form == Form::Exact
        && let Err(error) = AttributeName::parse(&entry.name)
    {
        return fail(&format!("not an attribute name: {error:?}"));
    }
    if entry.sources.is_empty() {
        return fail("it has no sources");
    }
    Ok(())
}
