//! `templatefile()`: a template file rendered from the values a module passes it, each
//! rendered byte mapped to where it is in the template.

use std::collections::HashMap;

use hcl_edit::Span as _;
use hcl_edit::expr::{Expression, ObjectKey};

use super::{MAX_REFERENCE_DEPTH, Reader};
use crate::input::place::Hole;

impl<'s, 'b, 't> Reader<'s, 'b, 't> {
    /// `templatefile(path, {…})` rendered from literal values: the template file, and the
    /// text with, for each byte and one past its end, its offset in the template (a variable's
    /// value at its `${`); `None` when the path, a variable or the template does not resolve.
    pub(super) fn template_file(
        &self,
        call: &hcl_edit::expr::FuncCall,
        depth: usize,
    ) -> Option<Rendered> {
        let args: Vec<&Expression> = call.args.iter().collect();
        if !call.name.namespace.is_empty() || depth > MAX_REFERENCE_DEPTH {
            return None;
        }
        match (call.name.name.as_str(), args.as_slice()) {
            ("templatefile", [_, Expression::Object(_)]) => {}
            // `file(path)`: the file's text as it is, no template.
            ("file", [path]) => {
                let path = self.evaluate(path, depth + 1);
                if !path.unresolved.is_empty() {
                    return None;
                }
                let template = (self.templates)(&path.text)?;
                return Some(Rendered {
                    path: path.text,
                    text: template.clone(),
                    offsets: (0..=template.len()).collect(),
                    template,
                    assumed: path.assumed,
                    unresolved: Vec::new(),
                    holes: Vec::new(),
                });
            }
            // `trimspace(file(…))`, `chomp(templatefile(…))`: the rendered text trimmed.
            (name @ ("trimspace" | "chomp"), [Expression::FuncCall(inner)]) => {
                let mut rendered = self.template_file(inner, depth + 1)?;
                let text = &rendered.text;
                let (start, end) = if name == "chomp" {
                    (0, text.trim_end_matches(['\n', '\r']).len())
                } else {
                    let start = text.len() - text.trim_start().len();
                    (start, start + text.trim().len())
                };
                rendered.text = text.get(start..end)?.to_owned();
                rendered.offsets = rendered.offsets.get(start..=end)?.to_vec();
                rendered
                    .holes
                    .retain(|hole| (start..=end).contains(&hole.at));
                for hole in &mut rendered.holes {
                    hole.at -= start;
                }
                return Some(rendered);
            }
            _ => return None,
        }
        let [path, Expression::Object(variables)] = args.as_slice() else {
            return None;
        };
        let path = self.evaluate(path, depth + 1);
        if !path.unresolved.is_empty() {
            return None;
        }
        let template = (self.templates)(&path.text)?;
        let mut values = HashMap::new();
        let mut assumed = path.assumed;
        for (key, value) in variables.iter() {
            let key = match key {
                ObjectKey::Ident(ident) => ident.as_str().to_owned(),
                ObjectKey::Expression(Expression::String(s)) => s.value().to_string(),
                ObjectKey::Expression(_) => return None,
            };
            let evaluated = self.evaluate(value.expr(), depth + 1);
            // A value only a deployment knows: a hole where the template places it.
            let text = if evaluated.unresolved.is_empty() {
                Ok(evaluated.text)
            } else {
                Err(value
                    .expr()
                    .span()
                    .and_then(|s| self.text().get(s))
                    .unwrap_or("?")
                    .to_owned())
            };
            assumed.extend(evaluated.assumed);
            values.insert(key, text);
        }
        let (text, offsets, holes) = render_template(&template, &values)?;
        Some(Rendered {
            path: path.text,
            template,
            text,
            offsets,
            assumed,
            unresolved: holes.iter().map(|h| h.source.clone()).collect(),
            holes,
        })
    }
}

/// A template file rendered by `templatefile()`.
pub(super) struct Rendered {
    /// The template's path, as the module wrote it.
    pub(super) path: String,
    /// The template's text.
    pub(super) template: String,
    /// The rendered text.
    pub(super) text: String,
    /// For each byte of `text` and one past its end, its offset in `template`.
    pub(super) offsets: Vec<usize>,
    /// Variables' defaults the values took.
    pub(super) assumed: Vec<String>,
    /// The values passed that only a deployment knows, as written.
    pub(super) unresolved: Vec<String>,
    /// Where in `text` each of them goes (its offset: the `${` in the template).
    pub(super) holes: Vec<Hole>,
}

/// A template file's text with `${name}` replaced by its variable's value and the `$${` and
/// `%%{` escapes undone, with each output byte's offset in the template (and one past the
/// end); `None` for a `%{` directive, any other interpolation, or a name not given, none of
/// which is evaluated here.
pub(super) fn render_template(
    template: &str,
    values: &HashMap<String, Result<String, String>>,
) -> Option<(String, Vec<usize>, Vec<Hole>)> {
    let mut out = String::with_capacity(template.len());
    let mut offsets = Vec::with_capacity(template.len() + 1);
    let mut holes = Vec::new();
    let mut push = |text: &str, at: usize, out: &mut String, each: bool| {
        for (i, _) in text.bytes().enumerate() {
            offsets.push(if each { at + i } else { at });
        }
        out.push_str(text);
    };
    let mut rest = 0;
    while let Some(found) = template.get(rest..)?.find(['$', '%']) {
        let at = rest + found;
        push(template.get(rest..at)?, rest, &mut out, true);
        let tail = template.get(at..)?;
        if tail.starts_with("$${") || tail.starts_with("%%{") {
            push(tail.get(1..3)?, at + 1, &mut out, true);
            rest = at + 3;
        } else if tail.starts_with("${") {
            let end = tail.find('}')?;
            let name = tail.get(2..end)?.trim().trim_start_matches('~');
            let name = name.trim_end_matches('~').trim();
            match values.get(name)? {
                Ok(value) => push(value, at, &mut out, false),
                Err(source) => holes.push(Hole {
                    at: out.len(),
                    source: source.clone(),
                    offset: at,
                }),
            }
            rest = at + end + 1;
        } else if tail.starts_with("%{") {
            return None;
        } else {
            push(tail.get(..1)?, at, &mut out, true);
            rest = at + 1;
        }
    }
    push(template.get(rest..)?, rest, &mut out, true);
    offsets.push(template.len());
    Some((out, offsets, holes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_render_names_and_escapes_and_refuse_directives() {
        let values = HashMap::from([
            ("role".to_owned(), Ok("x".to_owned())),
            ("open".to_owned(), Err("data.x.id".to_owned())),
        ]);
        let template = "{${role}} ${ role } $${a} %%{b} 100%";
        let (text, offsets, holes) = render_template(template, &values).unwrap();
        assert!(holes.is_empty());
        assert_eq!(text, "{x} x ${a} %{b} 100%");
        // Each byte maps to where it is written: a value at its `${`, an escape past its `$`.
        assert_eq!(offsets.len(), text.len() + 1);
        assert_eq!(offsets[1], 1);
        assert_eq!(offsets[4], template.find("${ role }").unwrap());
        assert_eq!(&template[offsets[6]..offsets[6] + 2], "${");
        assert_eq!(*offsets.last().unwrap(), template.len());
        assert_eq!(render_template("${other}", &values), None);
        assert_eq!(render_template("%{ if true }x%{ endif }", &values), None);
        assert_eq!(render_template("${role", &values), None);
        // A value only a deployment knows leaves a hole where it goes, at its `${`.
        let (text, _, holes) = render_template("{${open}}", &values).unwrap();
        assert_eq!(text, "{}");
        assert_eq!((holes[0].at, holes[0].offset), (1, 1));
        assert_eq!(holes[0].source, "data.x.id");
    }
}
