//! The one entry point of the host readers: [`read`] takes the files to read and a [`Files`]
//! to read them through, asks each host which files it claims, and gives every condition found
//! and every file it could not read ([`Read`]). One file it cannot read never loses the other
//! files' conditions ([decision 31](crate::spec::decisions#decision-31)).
//!
//! The library reads no file system of its own: the command line implements [`Files`] over
//! the disk (and keeps the walk, `.gitignore` rules and `--exclude`, which need the `ignore`
//! crate), tests and embedders over a map.

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::error::{FileError, Problem, Stop};
use super::place::{Found, Reached};
use super::{bicep, json, terraform};
use crate::limits::{MAX_ANALYSED_BYTES, MAX_HOST_FILE_BYTES};
use crate::span::line_column;

/// How [`read`] reaches files.
pub trait Files {
    /// The bytes of the file at `path`: all of them, or the first `limit + 1` when it is
    /// larger than `limit` (more than `limit` bytes means "too large"; the reader reads no
    /// further).
    fn read(&self, path: &Path, limit: usize) -> io::Result<Vec<u8>>;

    /// The paths of the files directly in the folder `dir` (`dir` joined with each name; an
    /// empty `dir` is the current folder, and its files are bare names), in any order.
    fn list(&self, dir: &Path) -> io::Result<Vec<PathBuf>>;
}

/// Files held in memory, by path: for tests, and for embedders that have the texts already.
impl<T: AsRef<[u8]>> Files for BTreeMap<PathBuf, T> {
    fn read(&self, path: &Path, limit: usize) -> io::Result<Vec<u8>> {
        let bytes = self
            .get(path)
            .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))?
            .as_ref();
        Ok(bytes
            .get(..limit.saturating_add(1))
            .unwrap_or(bytes)
            .to_vec())
    }

    fn list(&self, dir: &Path) -> io::Result<Vec<PathBuf>> {
        // Paths order by their components, so those below `dir` follow it in one run.
        Ok(self
            .range::<Path, _>((Bound::Included(dir), Bound::Unbounded))
            .map(|(path, _)| path)
            .take_while(|path| path.starts_with(dir))
            .filter(|path| path.parent() == Some(dir))
            .cloned()
            .collect())
    }
}

/// What [`read`] found, in the order of the paths given (a Terraform module's files after the
/// others, a module at a time), with every JSON file read whole.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct Read {
    /// The conditions, and the files not read, in order.
    pub items: Vec<Item>,
    /// Every JSON file read, conditions or not: it may define the roles they belong to.
    pub documents: Vec<Document>,
}

impl Read {
    /// The files not read.
    pub fn errors(&self) -> impl Iterator<Item = &FileError> {
        self.items.iter().filter_map(|item| match item {
            Item::Unread(error) => Some(error),
            _ => None,
        })
    }
}

/// One thing [`read`] found.
#[derive(Clone, Debug)]
pub enum Item {
    /// A condition file (`.cond`, or any file no host claims): one whole condition, its bytes
    /// as read (the first [`MAX_ANALYSED_BYTES`] + 1 of a larger file), to be decoded by the
    /// caller, which reports a byte-order mark, invalid UTF-8 and the length.
    Condition(ConditionFile),
    /// A condition found in a host file.
    Found(Box<Located>),
    /// A file not read, and why.
    Unread(FileError),
}

/// A file that is one whole condition.
#[derive(Clone, Debug)]
pub struct ConditionFile {
    /// The file, as given.
    pub file: PathBuf,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// A condition found in a host file, with that file.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Located {
    /// The file the condition's map points into: the host file, or the template it renders
    /// (Terraform's `templatefile()`, Bicep's `loadTextContent()`).
    pub file: PathBuf,
    /// That file's text.
    pub document: Arc<str>,
    /// The condition, its map into `document`, and its place (its `template` is `None`: the
    /// template, if any, is `file` and `document` here).
    pub found: Found,
    /// The file the resource holding it is declared in (with its suppression comments):
    /// `file`, but for a condition kept in a template.
    pub declared_in: PathBuf,
}

/// A JSON file, read whole.
#[derive(Clone, Debug)]
pub struct Document {
    /// The file, as given.
    pub file: PathBuf,
    /// Its text, its comments (`//`, `/* */`, which ARM reads) made spaces so that a JSON
    /// parser reads it.
    pub text: Arc<str>,
}

/// The host that claims a file, by its extension; a file no host claims is a condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Claim {
    Condition,
    Json,
    Terraform,
    Bicep,
}

fn claim(path: &Path) -> Claim {
    if terraform::claims(path) {
        Claim::Terraform
    } else if json::claims(path) {
        Claim::Json
    } else if bicep::claims(path) {
        Claim::Bicep
    } else {
        Claim::Condition
    }
}

/// Reads every file of `paths` through `files`: conditions files whole, host files for the
/// conditions they hold, a Terraform module a folder at a time (its other `.tf` files give the
/// locals and variables). A file that cannot be read, or that a host cannot follow, is an
/// [`Item::Unread`] in its place; the others are still read.
pub fn read(paths: &[PathBuf], files: &dyn Files) -> Read {
    read_with(paths, files, &Options::default())
}

/// What a run tells the readers beyond the files.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct Options {
    /// Terraform variable files applied to every module read, after the ones Terraform loads
    /// by itself, a later one's values replacing an earlier one's (`-var-file`); their values
    /// are not assumptions.
    pub var_files: Vec<PathBuf>,
}

impl Options {
    /// These options with `var_files` as the Terraform variable files.
    #[must_use]
    pub fn var_files(mut self, var_files: Vec<PathBuf>) -> Self {
        self.var_files = var_files;
        self
    }
}

/// [`read`], with `options`.
pub fn read_with(paths: &[PathBuf], files: &dyn Files, options: &Options) -> Read {
    let mut read = Read::default();
    // The module folders in the order first met, each with its files given (an index, so that
    // a repository of many modules costs no comparison of every folder with every other).
    let mut modules: Vec<(PathBuf, Vec<PathBuf>)> = Vec::new();
    let mut module_of: HashMap<PathBuf, usize> = HashMap::new();
    // The local modules' role assignments a call gave their condition (a Bicep module's file,
    // a Terraform module's directory).
    let mut reached: Vec<(PathBuf, String, bool)> = Vec::new();
    for path in paths {
        match claim(path) {
            Claim::Terraform => {
                let dir = path.parent().unwrap_or(Path::new("")).to_owned();
                let index = *module_of.entry(dir.clone()).or_insert_with(|| {
                    modules.push((dir, Vec::new()));
                    modules.len() - 1
                });
                if let Some((_, wanted)) = modules.get_mut(index) {
                    wanted.push(path.clone());
                }
            }
            Claim::Condition => match files.read(path, MAX_ANALYSED_BYTES) {
                Ok(bytes) => read.items.push(Item::Condition(ConditionFile {
                    file: path.clone(),
                    bytes,
                })),
                Err(error) => read.items.push(Item::Unread(unopened(path, &error))),
            },
            Claim::Json => read_json(path, files, &mut read),
            Claim::Bicep => read_bicep(path, files, &mut reached, &mut read),
        }
    }
    for (dir, wanted) in modules {
        terraform_modules::read_module(
            &dir,
            &wanted,
            files,
            &options.var_files,
            &mut reached,
            &mut read,
        );
    }
    // A local module's role assignment whose condition every call in the run gives is reported
    // at the calls, not a second time in the module; one a call leaves to the module's own
    // default keeps its own result.
    if !reached.is_empty() {
        read.items.retain(|item| match item {
            Item::Found(located) => {
                let declared = normalise(&located.declared_in);
                // A Bicep module is a file; a Terraform module, a directory.
                let calls: Vec<bool> = reached
                    .iter()
                    .filter(|(module, resource, _)| {
                        (*module == declared || declared.parent() == Some(module.as_path()))
                            && located
                                .found
                                .place
                                .resource
                                .strip_prefix(resource.as_str())
                                // The module's own instances too (`this[0]`, `r[1]`).
                                .is_some_and(|rest| rest.is_empty() || rest.starts_with('['))
                    })
                    .map(|(.., given)| *given)
                    .collect();
                calls.is_empty() || calls.contains(&false)
            }
            _ => true,
        });
    }
    read
}

/// A file that could not be opened.
fn unopened(path: &Path, error: &io::Error) -> FileError {
    whole_file(path, Problem::Unopened(error.to_string()))
}

/// An error of the whole file, at its start.
fn whole_file(path: &Path, problem: Problem) -> FileError {
    FileError {
        file: path.to_owned(),
        offset: 0,
        line: 1,
        column: 1,
        problem,
        text: None,
    }
}

/// A reader's stop in `text`, with its line and column.
fn stopped(path: &Path, text: &str, stop: Stop) -> FileError {
    let (line, column) = line_column(text, stop.offset);
    FileError {
        file: path.to_owned(),
        offset: stop.offset,
        line,
        column,
        problem: stop.problem,
        text: Some(Arc::from(text)),
    }
}

/// A host file's text: UTF-8, without its byte-order mark, no larger than
/// [`MAX_HOST_FILE_BYTES`].
fn host_text(path: &Path, files: &dyn Files) -> Result<String, FileError> {
    let bytes = files
        .read(path, MAX_HOST_FILE_BYTES)
        .map_err(|error| unopened(path, &error))?;
    if bytes.len() > MAX_HOST_FILE_BYTES {
        return Err(whole_file(
            path,
            Problem::TooLarge {
                limit: MAX_HOST_FILE_BYTES,
            },
        ));
    }
    let mut bytes = bytes;
    if crate::text::strip_bom(&bytes).1 {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|error| {
        let valid_up_to = error.utf8_error().valid_up_to();
        let valid = String::from_utf8_lossy(error.as_bytes().get(..valid_up_to).unwrap_or(&[]));
        let (line, column) = line_column(&valid, valid.len());
        FileError {
            file: path.to_owned(),
            offset: valid_up_to,
            line,
            column,
            problem: Problem::NotUtf8,
            // The offset is before the first byte replaced.
            text: Some(Arc::from(String::from_utf8_lossy(error.as_bytes()))),
        }
    })
}

/// A file a host file reads (`templatefile()`, `file()`, `loadTextContent()`), `relative` to
/// `dir`: `None` if it cannot be read, is not UTF-8, or is larger than a condition could be
/// analysed from.
fn read_beside(files: &dyn Files, dir: &Path, relative: &str) -> Option<String> {
    let bytes = files.read(&dir.join(relative), MAX_ANALYSED_BYTES).ok()?;
    (bytes.len() <= MAX_ANALYSED_BYTES).then_some(())?;
    String::from_utf8(crate::text::strip_bom(&bytes).0.to_vec()).ok()
}

fn read_json(path: &Path, files: &dyn Files, read: &mut Read) {
    let text = match host_text(path, files) {
        Ok(text) => text,
        Err(error) => return read.items.push(Item::Unread(error)),
    };
    // The file as JSON parsers read it: its comments blanked, every offset the file's.
    let blanked = json::without_comments(&text);
    let found = match json::conditions(&blanked) {
        Ok(found) => found,
        Err(stop) => return read.items.push(Item::Unread(stopped(path, &text, stop))),
    };
    read.documents.push(Document {
        file: path.to_owned(),
        text: Arc::from(blanked.as_ref()),
    });
    let document: Arc<str> = text.into();
    read.items.extend(found.into_iter().map(|found| {
        Item::Found(Box::new(Located {
            file: path.to_owned(),
            document: Arc::clone(&document),
            found,
            declared_in: path.to_owned(),
        }))
    }));
}

fn read_bicep(
    path: &Path,
    files: &dyn Files,
    modules: &mut Vec<(PathBuf, String, bool)>,
    read: &mut Read,
) {
    let text = match host_text(path, files) {
        Ok(text) => text,
        Err(error) => return read.items.push(Item::Unread(error)),
    };
    let dir = path.parent().unwrap_or(Path::new(""));
    let load = |relative: &str| read_beside(files, dir, relative);
    let found = match bicep::read_file(&text, &load) {
        Ok((found, reached)) => {
            modules.extend(reached.into_iter().map(|reach| {
                let Reached {
                    module,
                    resource,
                    given,
                } = reach;
                let module = normalise(&dir.join(module.trim_start_matches("./")));
                (module, resource, given)
            }));
            found
        }
        Err(stop) => return read.items.push(Item::Unread(stopped(path, &text, stop))),
    };
    let document: Arc<str> = text.into();
    read.items.extend(found.into_iter().map(|mut found| {
        // A condition kept in a file the Bicep file loads is reported in that file.
        let (file, document) = match found.template.take() {
            Some(template) => (
                dir.join(template.path.trim_start_matches("./")),
                Arc::from(template.text),
            ),
            None => (path.to_owned(), Arc::clone(&document)),
        };
        Item::Found(Box::new(Located {
            file,
            document,
            found,
            declared_in: path.to_owned(),
        }))
    }));
}

/// `path` without `.` components and with each `..` taking its parent away, as written (no
/// file system access): two spellings of one file compare equal.
pub(super) fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

mod terraform_modules;

#[cfg(test)]
mod tests;
