//! A Terraform module read a directory at a time: the files named, their neighbours (for the
//! locals and variables they declare), and the variable files Terraform would apply.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::super::terraform;
use super::{Files, Item, Located, Read, host_text, read_beside, stopped};

/// The conditions of the `wanted` files of the Terraform module in `dir`; a file of the module
/// that is not HCL is an error of its own, and the others are read without it. The variable
/// files Terraform loads by itself (`terraform.tfvars`, `*.auto.tfvars`, their JSON forms)
/// and then `var_files` give the variables their values; a variable file Terraform does not
/// load by itself that is wanted is read alone, by the shape of its values.
pub(super) fn read_module(
    dir: &Path,
    wanted: &[PathBuf],
    files: &dyn Files,
    var_files: &[PathBuf],
    reached_modules: &mut Vec<(PathBuf, String, bool)>,
    read: &mut Read,
) {
    let automatic = |path: &Path| terraform::variable_file(path).is_some_and(|v| v.automatic);
    let configuration = |path: &Path| terraform::variable_file(path).is_none();
    // A variable file Terraform does not load by itself is read alone, but for one given as
    // `--var-file`, which is read with the modules.
    let given_var_file = |path: &Path| {
        var_files
            .iter()
            .any(|v| super::normalise(v) == super::normalise(path))
    };
    for path in wanted
        .iter()
        .filter(|p| !configuration(p) && !automatic(p) && !given_var_file(p))
    {
        read_files(
            vec![(path.clone(), Kind::Wanted)],
            files,
            reached_modules,
            read,
        );
    }
    let mut listed = files.list(dir).unwrap_or_default();
    listed.retain(|path| terraform::claims(path));
    listed.sort();
    // A variable file asked for is reported through the module's resources, all wanted.
    let all_wanted = wanted.iter().any(|p| automatic(p));
    let mut names: Vec<(PathBuf, Kind)> = Vec::new();
    for path in wanted.iter().chain(&listed) {
        let given = wanted.contains(path);
        if configuration(path) && !names.iter().any(|(p, _)| p == path) {
            let kind = if given || all_wanted {
                Kind::Wanted
            } else {
                Kind::Beside
            };
            names.push((path.clone(), kind));
        }
    }
    // Then the variable files in Terraform's order: `terraform.tfvars`,
    // `terraform.tfvars.json`, then `*.auto.tfvars(.json)` by name; then `--var-file`s.
    let mut variables: Vec<&PathBuf> = wanted
        .iter()
        .chain(&listed)
        .filter(|p| automatic(p))
        .collect();
    variables.sort_by_key(|path| {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let rank = match name.as_deref() {
            Some("terraform.tfvars") => 0,
            Some("terraform.tfvars.json") => 1,
            _ => 2,
        };
        (rank, name)
    });
    variables.dedup();
    if names.is_empty() && variables.iter().all(|p| !wanted.contains(p)) {
        return;
    }
    let any_configuration = !names.is_empty();
    for path in variables {
        let given = wanted.contains(path);
        names.push((
            path.clone(),
            Kind::Variables {
                assumed: true,
                given,
            },
        ));
    }
    if any_configuration {
        for path in var_files {
            names.push((
                path.clone(),
                Kind::Variables {
                    assumed: false,
                    given: false,
                },
            ));
        }
    }
    read_files(names, files, reached_modules, read);
}

/// How [`read_files`] takes one file of a module.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Its conditions are wanted.
    Wanted,
    /// Read only for what it declares.
    Beside,
    /// A variable file applied to the module, its values assumptions or not, and whether it
    /// was named (read alone, where no configuration declares its variables).
    Variables { assumed: bool, given: bool },
}

/// One module's files read together: the conditions of those wanted.
fn read_files(
    names: Vec<(PathBuf, Kind)>,
    files: &dyn Files,
    reached_modules: &mut Vec<(PathBuf, String, bool)>,
    read: &mut Read,
) {
    let dir = names
        .first()
        .and_then(|(path, _)| path.parent())
        .unwrap_or(Path::new(""))
        .to_owned();
    let mut texts = Vec::with_capacity(names.len());
    for (name, _) in &names {
        match host_text(name, files) {
            Ok(text) => texts.push(Some(text)),
            Err(error) => {
                read.items.push(Item::Unread(error));
                texts.push(None);
            }
        }
    }
    // A file not read stands in the module as an empty one.
    let module: Vec<terraform::ModuleFile<'_>> = texts
        .iter()
        .zip(&names)
        .map(|(text, (path, kind))| {
            // `-var-file` reads a file named `….json` as JSON, any other as HCL.
            let json = path.extension().is_some_and(|ext| ext == "json");
            terraform::ModuleFile {
                text: text.as_deref().unwrap_or(""),
                wanted: text.is_some()
                    && matches!(kind, Kind::Wanted | Kind::Variables { given: true, .. }),
                kind: match (*kind, terraform::variable_file(path)) {
                    (Kind::Variables { assumed, .. }, _) => {
                        terraform::FileKind::Variables { json, assumed }
                    }
                    // A variable file read alone.
                    (_, Some(_)) => terraform::FileKind::Variables {
                        json,
                        assumed: false,
                    },
                    (_, None) => terraform::FileKind::Configuration,
                },
            }
        })
        .collect();
    let names: Vec<PathBuf> = names.into_iter().map(|(path, _)| path).collect();
    // `templatefile()`'s templates, read from the module's directory.
    let templates = |relative: &str| read_beside(files, &dir, relative);
    // A local module's `.tf` files, for the conditions a call passes it.
    let children = |relative: &str| -> Vec<String> {
        let child = dir.join(relative.trim_start_matches("./"));
        let mut listed = files.list(&child).unwrap_or_default();
        // As Terraform lists a module: `.tf` files, but for hidden ones, which it ignores.
        listed.retain(|path| {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.ends_with(".tf") && !name.starts_with('.')
        });
        listed.sort();
        listed
            .iter()
            .filter_map(|path| host_text(path, files).ok())
            .collect()
    };
    let terraform::Module {
        found,
        stops,
        reached,
    } = terraform::module(&module, &templates, &children);
    reached_modules.extend(reached.into_iter().map(|reach| {
        let super::Reached {
            module: source,
            resource,
            given,
        } = reach;
        let module = super::normalise(&dir.join(source.trim_start_matches("./")));
        (module, resource, given)
    }));
    for (index, stop) in stops {
        if let (Some(name), Some(Some(text))) = (names.get(index), texts.get(index)) {
            read.items.push(Item::Unread(stopped(name, text, stop)));
        }
    }
    let documents: Vec<Option<Arc<str>>> =
        texts.into_iter().map(|text| text.map(Arc::from)).collect();
    for (index, mut found) in found {
        let (Some(name), Some(Some(document))) = (names.get(index), documents.get(index)) else {
            continue;
        };
        // A condition kept in a template file is reported in that file.
        let (file, document) = match found.template.take() {
            Some(template) => (
                dir.join(template.path.trim_start_matches("./")),
                Arc::from(template.text),
            ),
            None => (name.clone(), Arc::clone(document)),
        };
        read.items.push(Item::Found(Box::new(Located {
            file,
            document,
            found,
            declared_in: name.clone(),
        })));
    }
}
